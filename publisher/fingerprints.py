"""Hashes: of bytes, of several parts, of a record's value, and of the build's own code.

Every cache entry and every output file is keyed by such a hash of what produced it, so a
stale entry can never be read back: a changed input simply asks for another key.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import VERSION

# Raise when the cache's layout or meaning changes: every entry of older builds is then a miss.
CACHE_FORMAT = 2
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose output ends up in the site: a new version invalidates the cache.
OUTPUT_LIBRARIES = ("Jinja2", "MarkupSafe", "markdown-it-py", "mdit-py-plugins", "linkify-it-py",
                    "PyYAML", "pagefind_bin")


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


@functools.cache  # the code does not change while the process runs
def code_fingerprint() -> str:
    """The build's own version: publisher source (importer excluded), Python and library versions."""
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
    return digest_parts(*parts)


def fingerprint(value: Any) -> str:
    """A hash of a record's full value (stored sections count by their store key).

    The pickler only writes here, never reads, and runs without its memo ("fast" mode), so the
    bytes depend on the values only, never on which equal objects happen to be shared: records
    made in a worker process, read back from the cache or made afresh fingerprint alike.
    (Records are trees: no cycles.)
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return digest(buffer.getvalue())


def summary_fingerprint(report: Any) -> str:
    """A hash of a light report without its sections: what listings and summaries can see."""
    return fingerprint(replace(report, sections=(), source=replace(report.source, sections=())))
