"""What a build reads: the project's input files, listed once per build, each read once.

- **One listing per build** (`InputScan`): content/, data/, templates/, static/ and site.yaml,
  in a stable order. A symbolic link is followed only while it stays inside the project (the
  project folder, or the content folder when it lives elsewhere); a link that leaves it is an
  error naming the link, so nothing outside the project can be published.
- **Read once, hashed as parsed.** A file's bytes are read once and hashed; what is parsed is
  what was hashed (`InputScan.read`), so a save landing between the two can never bind one
  version's hash to another version's text in the cache. Report files are read by the country
  builder itself (`groups.py`, possibly in a worker process), which reports back what it read
  (`FileDigests.record`).
- **Hashing costs a stat** while a file is unchanged (`FileDigests`): size, mtime and inode are
  compared with what was seen when it was last hashed.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, display_path
from .fingerprints import digest, digest_parts

# A file modified this soon before we hashed it may change again within the same timestamp
# tick without its size or mtime changing (the "racy git" problem): hash it again next time.
RACY_NS = 1_000_000_000
FOLDERS = ("content", "data", "templates", "static")


@dataclass(frozen=True)
class Project:
    """Where a project's inputs live."""

    content: Path
    data: Path
    templates: Path
    static: Path
    config: Path  # site.yaml

    @classmethod
    def at(cls, root: Path, content: Path | None = None) -> "Project":
        return cls(content or root / "content", root / "data", root / "templates",
                   root / "static", root / "site.yaml")

    @property
    def root(self) -> Path:
        return self.config.parent

    def folder(self, name: str) -> Path:
        return getattr(self, name)

    def allowed_roots(self) -> tuple[str, ...]:
        """Real paths a symbolic link may lead into."""
        return tuple(sorted({os.path.realpath(self.root), os.path.realpath(self.content)}))


@dataclass(frozen=True)
class FileState:
    """A file as last hashed: its stat, the hash of its bytes, and when the hash was taken."""

    size: int
    mtime_ns: int
    ino: int
    digest: str
    taken_ns: int

    def matches(self, st: os.stat_result) -> bool:
        return ((st.st_size, st.st_mtime_ns, st.st_ino) == (self.size, self.mtime_ns, self.ino)
                and st.st_mtime_ns + RACY_NS < self.taken_ns)


def read_file(path: str) -> tuple[bytes, FileState]:
    """A file's bytes and its state, consistent with each other: if the file changes while it
    is read (its stat differs before and after), it is read again."""
    for _ in range(5):
        with open(path, "rb") as handle:
            before = os.fstat(handle.fileno())
            taken = time.time_ns()
            data = handle.read()
            after = os.fstat(handle.fileno())
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) \
                and len(data) == after.st_size:
            break
    return data, FileState(after.st_size, after.st_mtime_ns, after.st_ino, digest(data), taken)


class FileDigests:
    """File content hashes, re-reading a file only when its size, mtime or inode changed."""

    def __init__(self, known: dict[str, FileState] | None = None):
        self.known: dict[str, FileState] = dict(known or {})

    def unchanged(self, path: str) -> str | None:
        """The hash of a file whose stat shows no change since it was hashed, else None."""
        state = self.known.get(path)
        if state is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        return state.digest if state.matches(st) else None

    def stat_unchanged(self, path: str) -> bool:
        """Is the file's stat what it was when last hashed (the racy-tick rule aside)?"""
        state = self.known.get(path)
        try:
            st = os.stat(path)
        except OSError:
            return False
        return state is not None and (st.st_size, st.st_mtime_ns, st.st_ino) == (
            state.size, state.mtime_ns, state.ino)

    def record(self, path: str, state: FileState) -> None:
        self.known[path] = state

    def forget_except(self, keep: set[str]) -> None:
        for path in [p for p in self.known if p not in keep]:
            del self.known[path]


class InputScan:
    """The input files of one build, and their hashes (each file read at most once)."""

    def __init__(self, project: Project, digests: FileDigests):
        self.project = project
        self.digests = digests
        self.problems: list[Problem] = []
        self._digests: dict[str, str] = {}  # path -> hash, for this build
        self._bytes: dict[str, bytes] = {}  # small inputs read this build (not report files)
        self._roots = project.allowed_roots()
        self.listing: dict[str, list[tuple[str, str]]] = {
            name: self._scan(project.folder(name)) for name in FOLDERS}
        self.config_present = self._config_present()

    # --- listing ---------------------------------------------------------------------------

    def _inside(self, real: str) -> bool:
        return any(real == root or real.startswith(root + os.sep) for root in self._roots)

    def _refuse_link(self, path: str) -> None:
        try:
            target = os.readlink(path)
        except OSError:
            target = os.path.realpath(path)
        self.problems.append(Problem(
            display_path(path), 0,
            f"symbolic link to {target} leads outside the project; nothing outside the project "
            "is published: copy the file into the project instead, or remove the link"))

    def _config_present(self) -> bool:
        config = str(self.project.config)
        if os.path.islink(config) and not self._inside(os.path.realpath(config)):
            self._refuse_link(config)
            return False
        return os.path.isfile(config)

    def _scan(self, folder: Path) -> list[tuple[str, str]]:
        """(relative posix path, path) of every file under `folder`, in Path sort order."""
        found: list[tuple[tuple[str, ...], str, str]] = []
        top = str(folder)
        if os.path.islink(top) and not self._inside(os.path.realpath(top)):
            self._refuse_link(top)
            return []
        if not os.path.isdir(top):
            return []
        visited = {os.path.realpath(top)}

        def walk(directory: str, prefix: tuple[str, ...]) -> None:
            try:
                entries = list(os.scandir(directory))
            except OSError:
                return
            for entry in entries:
                try:
                    parts = prefix + (entry.name,)
                    if entry.is_symlink():
                        real = os.path.realpath(entry.path)
                        if not self._inside(real):
                            self._refuse_link(entry.path)
                            continue
                        if os.path.isdir(real):
                            if real not in visited:  # a link loop is walked once
                                visited.add(real)
                                walk(entry.path, parts)
                            continue
                        if os.path.isfile(real):
                            found.append((parts, "/".join(parts), entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        walk(entry.path, parts)
                    elif entry.is_file(follow_symlinks=False):
                        found.append((parts, "/".join(parts), entry.path))
                except OSError:
                    continue

        walk(top, ())
        found.sort(key=lambda item: item[0])
        return [(relative, path) for _, relative, path in found]

    # --- reading and hashing ---------------------------------------------------------------

    def read(self, path: str | Path) -> bytes:
        """A small input's bytes (definitions, templates, site.yaml, static files), read once
        per build; its hash is of exactly these bytes."""
        key = str(path)
        data = self._bytes.get(key)
        if data is None:
            data, state = read_file(key)
            self._bytes[key] = data
            self._digests[key] = state.digest
            self.digests.record(key, state)
        return data

    def digest(self, path: str | Path) -> str:
        """A file's hash: from its unchanged stat, else by reading it (once)."""
        key = str(path)
        known = self._digests.get(key)
        if known is not None:
            return known
        known = self.digests.unchanged(key)
        if known is None:
            self.read(key)
            return self._digests[key]
        self._digests[key] = known
        return known

    def known_digest(self, path: str) -> str | None:
        """A report file's hash if its stat shows no change (else its builder reads it)."""
        known = self._digests.get(path)
        if known is None:
            known = self.digests.unchanged(path)
            if known is not None:
                self._digests[path] = known
        return known

    def observed(self, path: str, state: FileState) -> None:
        """A report file as its builder read it: the hash of the bytes that were parsed."""
        self._digests[path] = state.digest
        self.digests.record(path, state)

    def all_known(self, paths: list[str]) -> bool:
        return all(self.known_digest(p) is not None for p in paths)

    def fingerprint(self, *extra: Any) -> str:
        """One hash of everything the build reads (report files as their builders read them):
        no change here means no change in the output."""
        parts: list[Any] = list(extra)
        for name in FOLDERS:
            parts.append(f"[{os.path.realpath(self.project.folder(name))}]")
            for relative, path in self.listing[name]:
                parts += [relative, self.digest(path)]
        if self.config_present:
            parts += ["site.yaml", self.digest(self.project.config)]
        return digest_parts(*parts)

    def every_path(self) -> set[str]:
        paths = {path for files in self.listing.values() for _, path in files}
        if self.config_present:
            paths.add(str(self.project.config))
        return paths
