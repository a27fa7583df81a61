"""The build cache on disk (`.build-cache/`), and report sections kept there, out of memory.

Entries can only ever be the project's own records: the body is read by an unpickler that
knows an allow-list of classes (the dataclasses of `model`, `definitions`, `errors`, `groups`,
`inputs`, `outputs` and `series`, `StoredSections`, and `Decimal` and `Fraction`) and refuses
every other name, so unpickling can call nothing else (no `os.system`, no import): write access
to the cache is not code execution. (A JSON body was tried and measured: 5x slower to write and
3.5x slower to read, +2 s per 1,000-report cold build, for the same guarantee.) Each entry
proves what it is: its file starts with a header line naming its kind,
its key (itself a hash of the inputs that made it) and a checksum of the body. An entry whose
header does not match the file it was read from (two entries swapped), or whose body does not
match its checksum (garbled, truncated), is a miss: it is deleted and built again, silently.
The cache can be deleted at any time.

`StoredSections` stands in for the (large) rendered and raw sections of a report: the build
keeps one light `Report` per report in memory and reads the sections back from the store only
when a page needs them, which keeps memory flat at thousands of reports. The engine makes a
`SectionReader` active while it builds (`reading`); it keeps the few most recent entries in
memory and notes which pages read any sections (`tracking`).
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import io
import json
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import fields, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

from .fingerprints import CACHE_FORMAT, digest

ENTRY_SUFFIX = ".json"
RECENT_ENTRIES = 48  # report entries kept in memory: the pages of one country at a time


class BadEntry(Exception):
    """A stored entry is not what its file name says, or not readable at all."""


class StaleCache(Exception):
    """A stored entry a record points to is gone or unreadable: the build starts over."""


# --- the codec: records <-> bytes, readable only as the project's own records ---------------------

# The modules whose dataclasses an entry may hold (besides StoredSections, Decimal, Fraction).
RECORD_MODULES = tuple(f"{__package__}.{name}" for name in (
    "model", "definitions", "errors", "groups", "inputs", "outputs", "series"))


@functools.cache
def _records_of(module_name: str) -> dict[str, type]:
    """The dataclasses defined in one of RECORD_MODULES, by name. Imported on first use, so
    reading an output manifest never loads the modules of the stages that make reports."""
    module = importlib.import_module(module_name)
    return {value.__qualname__: value for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value)
            and value.__module__ == module_name}


def _allowed(module: str, name: str) -> type | None:
    """The allow-list: the class an entry may name as (module, name), if any: a dataclass of
    the record modules, StoredSections, or the standard library's Decimal and Fraction."""
    if module in RECORD_MODULES:
        return _records_of(module).get(name)
    return {("decimal", "Decimal"): Decimal, ("fractions", "Fraction"): Fraction,
            (StoredSections.__module__, "StoredSections"): StoredSections}.get((module, name))


class _RecordUnpickler(pickle.Unpickler):
    """Reads a pickle that may name only the allow-listed classes. Unpickling can call nothing
    else (no `os.system`, no `eval`, no import but of the record modules): any other name in
    the stream is refused, so an entry can only ever become the project's own data records."""

    def find_class(self, module: str, name: str) -> Any:
        found = _allowed(module, name)
        if found is None:
            raise BadEntry(f"the entry names {module}.{name}, which a cache entry may not hold")
        return found


def encode_entry(kind: str, key: str, value: Any) -> bytes:
    """An entry file: a header line (what it is, and a checksum of the body), then the body."""
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = json.dumps({"format": CACHE_FORMAT, "kind": kind, "key": key,
                         "checksum": digest(body)}).encode("ascii")
    return header + b"\n" + body


def decode_entry(data: bytes, kind: str, key: str) -> Any:
    """The value of an entry file, if it is the entry `kind`/`key`; else BadEntry."""
    head, newline, body = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        raise BadEntry(f"{kind}/{key}: no header") from None
    if not newline or header != {"format": CACHE_FORMAT, "kind": kind, "key": key,
                                 "checksum": digest(body)}:
        raise BadEntry(f"not the entry {kind}/{key}")
    try:
        return _RecordUnpickler(io.BytesIO(body)).load()
    except BadEntry:
        raise
    except Exception as error:  # a forged body whose checksum was made to match
        raise BadEntry(f"{kind}/{key}: {type(error).__name__}") from None


# --- the store --------------------------------------------------------------------------------

class Store:
    """Entries in `.build-cache/<kind>/<key>.json`, written atomically."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}{ENTRY_SUFFIX}"

    def read(self, kind: str, key: str) -> Any:
        """The stored value, or None when absent or bad (a cache miss, never an error)."""
        return read_entry_file(str(self.path(kind, key)))

    def write(self, kind: str, key: str, value: Any) -> Path:
        target = self.path(kind, key)
        write_atomic(target, encode_entry(kind, key, value))
        return target


def entry_identity(path: str) -> tuple[str, str]:
    """(kind, key) of an entry file, from its path: `<root>/<kind>/<key>.json`."""
    folder, name = os.path.split(path)
    return os.path.basename(folder), name[: -len(ENTRY_SUFFIX)]


def read_entry_file(path: str) -> Any:
    """An entry's value, or None when it is absent; a bad entry is deleted (and so rebuilt)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError:
        return None
    try:
        return decode_entry(data, *entry_identity(path))
    except BadEntry:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None


def write_atomic(target: Path, data: bytes) -> None:
    """Write a whole file or nothing; an error names `target`."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError) and not error.filename:
            raise OSError(error.errno, error.strerror, str(target)) from None
        raise


# --- sections kept in the store ----------------------------------------------------------------

class SectionReader:
    """Reads report entries back for `StoredSections`, keeping the most recent in memory.

    Entries never change (their key is a hash of what made them), so a remembered one is
    always right. While `tracking`, every read is noted: a page that never looked at any
    report's sections need not be rendered again when only section text changed.
    """

    def __init__(self, limit: int = RECENT_ENTRIES):
        self.limit = limit
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self._reads: list[str] | None = None

    def entry(self, path: str) -> Any:
        """A report's cache entry; StaleCache when it is gone or bad."""
        if self._reads is not None:
            self._reads.append(path)
        entry = self._entries.get(path)
        if entry is not None:
            self._entries.move_to_end(path)
            return entry
        entry = read_entry_file(path)
        if entry is None:
            raise StaleCache(path)
        self.remember(path, entry)
        return entry

    def find(self, path: str) -> Any:
        """A report's cache entry from memory or the store; None when there is none (a miss)."""
        entry = self._entries.get(path)
        if entry is not None:
            self._entries.move_to_end(path)
            return entry
        entry = read_entry_file(path)
        if entry is not None:
            self.remember(path, entry)
        return entry

    def remember(self, path: str, entry: Any) -> None:
        """Keep an entry just read or written among the most recent ones (bounded memory)."""
        self._entries[path] = entry
        self._entries.move_to_end(path)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def forget(self) -> None:
        self._entries.clear()

    def footprint(self) -> dict[str, int]:
        return {"recent entries": len(self._entries)}

    @contextmanager
    def tracking(self) -> Iterator[list[str]]:
        """Note every entry read inside the block (in the list yielded)."""
        outer, self._reads = self._reads, []
        try:
            yield self._reads
        finally:
            self._reads = outer


_READER: ContextVar[SectionReader | None] = ContextVar("publisher_section_reader", default=None)


@contextmanager
def reading(reader: SectionReader) -> Iterator[SectionReader]:
    """Make `reader` the one stored sections are read through, for the duration of a build."""
    token = _READER.set(reader)
    try:
        yield reader
    finally:
        _READER.reset(token)


def current_reader() -> SectionReader:
    """The active reader; outside a build, a fresh one (nothing remembered, nothing tracked)."""
    return _READER.get() or SectionReader(limit=1)


class StoredSections(Sequence):
    """A tuple of sections that lives in the store; behaves like the tuple it stands for.

    `part` picks the tuple out of the stored value: "sections" (rendered), "raw" (the
    source's sections) or "all" (a stored tuple as is). `overrides` holds, per section, the
    fields the assemble stage changed (e.g. the category rating), applied on every read.
    """

    __slots__ = ("path", "part", "overrides")

    def __init__(self, path: str, part: str, overrides: tuple | None = None):
        self.path = path
        self.part = part
        self.overrides = overrides

    def _items(self) -> tuple:
        entry = current_reader().entry(self.path)
        if self.part == "sections":
            base = entry[2]
        elif self.part == "raw":
            base = entry[0].sections
        else:
            base = entry
        if not self.overrides:
            return base
        return tuple(replace(item, **dict(changes)) if changes else item
                     for item, changes in zip(base, self.overrides))

    def __getitem__(self, index):
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredSections):
            if (self.path, self.part, self.overrides) == (other.path, other.part, other.overrides):
                return True
            return self._items() == other._items()
        if isinstance(other, tuple):
            return self._items() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items())

    def __reduce__(self):
        return (StoredSections, (self.path, self.part, self.overrides))

    def __repr__(self) -> str:  # what a template printing the tuple would see
        return repr(self._items())


def section_overrides(assembled: tuple, rendered: tuple) -> tuple | None:
    """Per section, the fields `assembled` changed relative to `rendered`; None if not derivable.

    Only cheap, small changes are kept as overrides; when a heavy field differs, or the
    sections were re-made, the caller stores the assembled tuple as it is.
    """
    if len(assembled) != len(rendered):
        return None
    result = []
    for new, old in zip(assembled, rendered):
        if new is old:
            result.append(())
            continue
        if type(new) is not type(old):
            return None
        changes = tuple((f.name, getattr(new, f.name)) for f in fields(new)
                        if getattr(new, f.name) is not getattr(old, f.name))
        if any(name in ("html", "text", "footnotes") for name, _ in changes):
            return None
        result.append(changes)
    return tuple(result)
