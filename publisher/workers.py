"""Worker processes for the parts of a build that pay for them (many countries, many pages).

Workers are forked from the build process, so they inherit its records, definitions and
compiled templates instead of receiving them pickled; what a task needs besides its item is
handed over as the run's `context`, which the forked workers inherit too.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator

# Set in the parent just before the pool forks; each worker inherits the value.
_CONTEXT: ContextVar[Any] = ContextVar("publisher_worker_context")


@contextmanager
def fork_pool(jobs: int):
    """A pool of `jobs` processes forked from this one.

    `gc.freeze()` first, so the workers' garbage collector never touches (and so copies) the
    memory they share with this process.
    """
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=die_with_parent,
                                                      initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        gc.unfreeze()


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a child process: be killed by the kernel when the build process goes (a killed build
    must not leave workers writing into its staging folder, or holding its output lock)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: nothing to ask for
        return
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def in_workers(task: Callable[[Any], Any], items: Iterable[Any], context: Any, jobs: int,
               chunksize: int = 1) -> Iterator[Any]:
    """`task(item)` for every item, in `jobs` worker processes, results as they come.
    Inside a task, `context()` is the `context` given here."""
    token = _CONTEXT.set(context)
    try:
        with fork_pool(jobs) as pool:
            yield from pool.imap_unordered(task, items, chunksize=chunksize)
    finally:
        _CONTEXT.reset(token)


def context() -> Any:
    return _CONTEXT.get()
