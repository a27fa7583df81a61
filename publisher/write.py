"""Stage 4: write the site into a fresh folder next to the output, then swap it in.

The previous output stays complete until the new one is whole: a failed or killed build never
leaves a half-written site. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`;
elsewhere it is two renames, and a leftover backup is restored on the next run.
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
from typing import Callable, Iterator

from .render import Page

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


def write_site(out_dir: Path, pages: list[Page], static_dir: Path | None,
               extra_files: dict[str, bytes] | None = None,
               before_swap: Callable[[Path], None] | None = None) -> int:
    """Render every page into a new folder and swap it in place of `out_dir`. Returns file count.

    `before_swap(folder)` runs on the complete new folder (e.g. to add the search index).
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_swap(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        count = 0
        if static_dir is not None and static_dir.is_dir():
            count += _copy_static(static_dir, staging / "static")
        for page in pages:
            _write_file(staging / page.path, page.produce())
            count += 1
        for name, data in (extra_files or {}).items():
            _write_file(staging / name, data)
            count += 1
        if before_swap is not None:
            before_swap(staging)
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count


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


def _copy_static(static_dir: Path, target: Path) -> int:
    count = 0
    for source in sorted(static_dir.rglob("*")):
        if source.is_file() and not source.name.startswith("."):
            destination = target / source.relative_to(static_dir)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            count += 1
    return count


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
