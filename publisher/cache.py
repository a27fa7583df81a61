"""The build cache: content hashes, the on-disk store, and report sections kept out of memory.

Everything cached is keyed by a hash of what produced it (file bytes, the shared definitions,
and the build's own code and library versions), so a stale entry can never be read back: a
changed input simply asks for another key. The store lives in `.build-cache/` (git-ignored) and
can be deleted at any time.

`StoredSections` stands in for the (large) rendered and raw sections of a report: the build
keeps one light `Report` per report in memory and reads the sections back from the store only
when a page actually needs them, which keeps memory flat at thousands of reports.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Iterator

from . import VERSION

CACHE_FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose output ends up in the site: a new version invalidates the cache.
OUTPUT_LIBRARIES = ("Jinja2", "MarkupSafe", "markdown-it-py", "mdit-py-plugins", "linkify-it-py",
                    "PyYAML", "pagefind_bin")
# A file modified this soon before we hashed it may change again within the same timestamp
# tick without its size or mtime changing (the "racy git" problem): hash it again next time.
RACY_NS = 1_000_000_000


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_parts(*parts: Any) -> str:
    """A hash of several strings/bytes, unambiguous about where each part ends."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_CODE_FP: str | None = None


def code_fingerprint() -> str:
    """The build's own version: publisher source (importer excluded), Python and library versions."""
    global _CODE_FP
    if _CODE_FP is None:
        parts: list[Any] = [CACHE_FORMAT, VERSION, sys.version]
        for name in OUTPUT_LIBRARIES:
            try:
                parts.append(f"{name}={importlib.metadata.version(name)}")
            except importlib.metadata.PackageNotFoundError:
                parts.append(f"{name}=-")
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            relative = path.relative_to(PACKAGE_DIR)
            if relative.parts[0] == "importer":
                continue
            parts += [relative.as_posix(), path.read_bytes()]
        _CODE_FP = digest_parts(*parts)
    return _CODE_FP


class FileDigests:
    """File content hashes, re-reading a file only when its size, mtime or inode changed."""

    def __init__(self, known: dict[str, tuple[int, int, int, str, int]] | None = None):
        # path -> (size, mtime_ns, inode, digest, time the digest was taken)
        self.known = dict(known or {})
        self._this_scan: dict[str, str] = {}

    def new_scan(self) -> None:
        """Start looking at the files afresh (once per build); until then, each file is
        checked once, however many build steps ask for its hash."""
        self._this_scan = {}

    def get(self, path: Path | str) -> str:
        key = str(path)
        seen = self._this_scan.get(key)
        if seen is not None:
            return seen
        self._this_scan[key] = value = self._check(key)
        return value

    def _check(self, key: str) -> str:
        st = os.stat(key)
        entry = self.known.get(key)
        if (entry is not None and entry[:3] == (st.st_size, st.st_mtime_ns, st.st_ino)
                and st.st_mtime_ns + RACY_NS < entry[4]):
            return entry[3]
        taken = time.time_ns()
        with open(key, "rb") as handle:
            data = handle.read()
        value = digest(data)
        self.known[key] = (st.st_size, st.st_mtime_ns, st.st_ino, value, taken)
        return value

    def forget_missing(self, keep: set[str]) -> None:
        for key in [k for k in self.known if k not in keep]:
            del self.known[key]


class Store:
    """Pickled values in `.build-cache/<kind>/<key>.pickle`, written atomically."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.pickle"

    def read(self, kind: str, key: str) -> Any:
        """The stored value, or None when absent or unreadable (a cache miss, never an error)."""
        try:
            with open(self.path(kind, key), "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # truncated or from an incompatible version: rebuild it
            return None

    def write(self, kind: str, key: str, value: Any) -> Path:
        target = self.path(kind, key)
        write_atomic(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return target

    def exists(self, kind: str, key: str) -> bool:
        return self.path(kind, key).exists()


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# --- Sections kept in the store -------------------------------------------------------------

_ENTRIES: OrderedDict[str, Any] = OrderedDict()
_ENTRY_LIMIT = 48
# While a page renders, the build sets this to a list: every read of stored sections is noted,
# so a page that never looked at any report's sections need not be rendered again when only
# section text changed (see pipeline: "reads").
READS: list | None = None


class StaleCache(Exception):
    """A stored entry a record points to is gone or unreadable: the build starts over."""


def load_entry(path: str) -> Any:
    """A report's cache entry; the few most recent stay in memory (entries never change)."""
    entry = _ENTRIES.get(path)
    if entry is not None:
        _ENTRIES.move_to_end(path)
        return entry
    try:
        with open(path, "rb") as handle:
            entry = pickle.load(handle)
    except Exception as error:
        raise StaleCache(path) from error
    remember_entry(path, entry)
    return entry


def find_entry(path: str) -> Any:
    """A report's cache entry from memory or the store; None when there is none (a miss)."""
    try:
        return load_entry(path)
    except StaleCache:
        return None


def remember_entry(path: str, entry: Any) -> None:
    """Keep an entry just read or written among the most recent ones (bounded memory)."""
    _ENTRIES[path] = entry
    _ENTRIES.move_to_end(path)
    while len(_ENTRIES) > _ENTRY_LIMIT:
        _ENTRIES.popitem(last=False)


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
        if READS is not None:
            READS.append(self.path)
        entry = load_entry(self.path)
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


def fingerprint(value: Any) -> str:
    """A hash of a record's full value (stored sections count by their store key).

    The pickler runs without its memo ("fast" mode), so the bytes depend on the values only,
    never on which equal objects happen to be shared: records made in a worker process, read
    back from the cache or made afresh fingerprint alike. (Records are trees: no cycles.)
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return digest(buffer.getvalue())


def summary_fingerprint(report: Any) -> str:
    """A hash of a light report without its sections: what listings and summaries can see."""
    return fingerprint(replace(report, sections=(), source=replace(report.source, sections=())))


class RecordMemo:
    """Values derived from immutable records, kept between builds while the record is in use.

    A rebuild keeps the `Report` records of every country that did not change (same objects),
    so a listing that shows every report derives values for the changed records only. Keyed by
    identity; the memo holds each record, so an id is never reused while it is stored. A change
    of `context` (site settings, definitions) forgets everything.
    """

    def __init__(self, make: Any):
        self._make = make
        self._context: Any = None
        self._values: dict[int, tuple[Any, Any]] = {}

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
