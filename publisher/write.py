"""Stage 5: write the site into a fresh folder next to the output, then swap it in.

The previous output stays complete until the new one is whole: a failed or killed build never
leaves a half-written site. Incremental builds fill the fresh folder with hard links to the
unchanged files of the current output and write only what changed (`Staging`). On Linux the
swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames, and a leftover
backup is restored on the next run.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ContentError, Problem, display_path

RENAME_EXCHANGE = 2
AT_FDCWD = -100


class BuildLocked(Exception):
    """Another build is writing to the same output folder."""


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for `out_dir` so two builds cannot interleave their output."""
    out_dir = out_dir.resolve()
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is writing to {out_dir} (lock {lock_path}); "
                              "wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover_interrupted_swap(out_dir: Path) -> None:
    """If a two-rename swap was killed between its renames, put the old site back."""
    backup = _backup_path(out_dir)
    if backup.exists() and not out_dir.exists():
        os.rename(backup, out_dir)
    if backup.exists():
        shutil.rmtree(backup, ignore_errors=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


class Staging:
    """The next output, assembled in a folder next to `out_dir` and swapped in whole.

    Files that did not change are hard links to the current output (same inode, same mtime:
    never rewritten); new and changed files are created fresh (a linked inode is unlinked, never
    written through). Until `commit()` swaps the folders, the current output is untouched; a
    build that fails or is killed leaves only a `.<out>.new-*` folder, removed next time.

    `mirror`: a folder that already holds hard links to every file of the current output (the
    previous output, brought up to date after the last swap by `make_mirror`); then only the
    changes are applied, instead of linking every unchanged file again.
    """

    def __init__(self, out_dir: Path, mirror: Path | None = None):
        self.out_dir = out_dir.resolve()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.mirror = mirror is not None
        recover_interrupted_swap(self.out_dir)
        if mirror is None:
            mirror = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-",
                                           dir=self.out_dir.parent))
        self.root = mirror
        self._dirs: set[str] = {""}

    def _parent(self, path: str) -> None:
        parent = os.path.dirname(path)
        if parent not in self._dirs:
            os.makedirs(os.path.join(self.root, parent), exist_ok=True)
            while parent and parent not in self._dirs:
                self._dirs.add(parent)
                parent = os.path.dirname(parent)

    def _clear(self, target: str) -> None:
        if self.mirror:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass

    def link(self, path: str) -> tuple[int, int, int]:
        """Carry an unchanged file over from the current output."""
        source, target = os.path.join(self.out_dir, path), os.path.join(self.root, path)
        if self.mirror:
            try:
                if os.path.samefile(source, target):
                    return _stat(target)
            except OSError:
                pass
        self._parent(path)
        self._clear(target)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links: copy (the bytes stay the same)
            shutil.copy2(source, target)
        return _stat(target)

    def write(self, path: str, data: bytes) -> tuple[int, int, int]:
        """A new file at `path` (an error names it)."""
        target = os.path.join(self.root, path)
        try:
            self._parent(path)
            self._clear(target)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise OSError(error.errno, error.strerror, error.filename or target) from None
        return _stat(target)

    def remove_folder(self, path: str) -> None:
        """Drop a whole folder of the staged output (whatever it holds)."""
        shutil.rmtree(os.path.join(self.root, path), ignore_errors=True)

    def remove(self, path: str) -> None:
        """Drop a file the new output no longer has (only needed for a mirror)."""
        if self.mirror:
            _remove_with_empty_parents(self.root, path)

    def commit(self) -> Path | None:
        """Swap the staged folder in; returns the folder now holding the old output, if any."""
        os.chmod(self.root, 0o755)
        had_output = self.out_dir.exists()
        swap_in(self.root, self.out_dir)
        return self.root if had_output else None

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _remove_with_empty_parents(root: Path, path: str) -> None:
    try:
        os.unlink(os.path.join(root, path))
    except FileNotFoundError:
        return
    parent = os.path.dirname(path)
    while parent:
        try:
            os.rmdir(os.path.join(root, parent))
        except OSError:
            return
        parent = os.path.dirname(parent)


def make_mirror(folder: Path, out_dir: Path, files: dict[str, "OutputFile"]) -> None:
    """Turn `folder` (an old output) into hard links to exactly the files of `out_dir`.

    Everything is checked against the files on disk (inode by inode), so whatever `folder`
    held before, it ends as a faithful mirror; costs a walk and a stat per file, off the
    critical path (serve does it after the browser was told to reload).
    """
    present = set()
    base = str(folder)
    for current, _, names in os.walk(base):
        relative = os.path.relpath(current, base)
        for name in names:
            present.add(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    for path in present - files.keys():
        _remove_with_empty_parents(folder, path)
    made: set[str] = set()
    for path, entry in files.items():
        target = os.path.join(base, path)
        if path in present:
            try:
                if os.stat(target).st_ino == entry.ino:
                    continue
            except OSError:
                pass
            os.unlink(target)
        parent = os.path.dirname(path)
        if parent and parent not in made:
            os.makedirs(os.path.join(base, parent), exist_ok=True)
            made.add(parent)
        try:
            os.link(os.path.join(out_dir, path), target)
        except FileNotFoundError:  # gone from the output: the next build writes it anew
            continue


def _stat(path: str) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Make `new_dir` the output; afterwards `new_dir` holds the old output (or nothing)."""
    if not out_dir.exists():
        os.rename(new_dir, out_dir)
        return
    if _exchange(new_dir, out_dir):
        return
    backup = _backup_path(out_dir)
    os.rename(out_dir, backup)
    os.rename(new_dir, out_dir)
    os.rename(backup, new_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _backup_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.old"


# --- what an output folder holds --------------------------------------------------------------

SITE_MARKER = ".publisher-site"
MARKER_TEXT = b"Built by the report publisher; this folder is replaced on each build.\n"


def walk_output(root: Path) -> list[str]:
    result = []
    base = str(root)
    for folder, _, names in os.walk(base):
        relative = os.path.relpath(folder, base)
        for name in names:
            result.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    return result


def check_output_folder(out_dir: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy inputs or unrelated files."""
    out = out_dir.resolve()
    shown = display_path(out_dir)
    for source in inputs:
        src = source.resolve()
        if out == src or out in src.parents:
            raise ContentError([Problem(shown, 0, f"output folder would contain or replace "
                                                  f"{display_path(source)}; choose another --out")])
    if out.exists() and (not out.is_dir() or (any(out.iterdir())
                                             and not (out / SITE_MARKER).exists())):
        raise ContentError([Problem(shown, 0, "refusing to replace this folder: it is not empty "
                                              "and was not built by this tool")])
