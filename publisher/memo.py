"""Values derived once per immutable record and kept between builds of a live engine.

A rebuild keeps the `Report` records of every country that did not change (the same objects),
so a listing that shows every report derives values for the changed records only. The engine
owns one `Memory` and makes it active while it builds (`remembering`); views ask for derived
values with `derived(make, records, context)`. With no engine active (a unit test, a one-off
call) the values are simply computed.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator


class RecordMemo:
    """`make(record, context)` per record, kept while the record is in use.

    Keyed by identity; the memo holds each record, so an id is never reused while it is
    stored. A change of `context` (site settings, definitions) forgets everything.
    """

    def __init__(self, make: Callable[[Any, Any], Any]):
        self._make = make
        self._context: Any = None
        self._values: dict[int, tuple[Any, Any]] = {}

    def __len__(self) -> int:
        return len(self._values)

    def values(self, records: Sequence[Any], context: Any) -> list[Any]:
        """`make(record, context)` for each record, in order; forgets records not asked for."""
        if context != self._context:
            self._context, self._values = context, {}
        known, kept, result = self._values, {}, []
        for record in records:
            hit = known.get(id(record))
            if hit is None or hit[0] is not record:
                hit = (record, self._make(record, context))
            kept[id(record)] = hit
            result.append(hit[1])
        self._values = kept
        return result


class Memory:
    """What a live engine keeps between builds: per deriving function, its values for the
    records in use (`RecordMemo`), and the most recent results of costly pure functions."""

    def __init__(self) -> None:
        self._memos: dict[Callable[[Any, Any], Any], RecordMemo] = {}
        self._recent: dict[Callable[..., Any], OrderedDict[Any, Any]] = {}

    def footprint(self) -> dict[str, int]:
        return {"derived values": sum(len(m) for m in self._memos.values()),
                "recent results": sum(len(r) for r in self._recent.values())}

    def recent(self, make: Callable[..., Any], key: Any, limit: int, *args: Any) -> Any:
        results = self._recent.setdefault(make, OrderedDict())
        if key in results:
            results.move_to_end(key)
            return results[key]
        value = results[key] = make(*args)
        while len(results) > limit:
            results.popitem(last=False)
        return value

    def derived(self, make: Callable[[Any, Any], Any], records: Sequence[Any],
                context: Any) -> list[Any]:
        memo = self._memos.get(make)
        if memo is None:
            memo = self._memos[make] = RecordMemo(make)
        return memo.values(records, context)


_ACTIVE: ContextVar[Memory | None] = ContextVar("publisher_memory", default=None)


@contextmanager
def remembering(memory: Memory) -> Iterator[None]:
    """Make `memory` the one `derived` uses, for the duration of a build."""
    token = _ACTIVE.set(memory)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def recent(make: Callable[..., Any], key: Any, limit: int, *args: Any) -> Any:
    """`make(*args)`, a pure function of `key`; the active engine remembers its last `limit`
    results (a save that changed one section finds the others' results)."""
    memory = _ACTIVE.get()
    if memory is None:
        return make(*args)
    return memory.recent(make, key, limit, *args)


def derived(make: Callable[[Any, Any], Any], records: Sequence[Any], context: Any = None) -> list[Any]:
    """`make(record, context)` for each record, remembered across builds of the active engine."""
    memory = _ACTIVE.get()
    if memory is None:
        return [make(record, context) for record in records]
    return memory.derived(make, records, context)
