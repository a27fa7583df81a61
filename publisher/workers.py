"""Worker processes for the parts of a build that pay for them (many countries, many pages).

Workers are forked from the build process, so they inherit its records, definitions and
compiled templates instead of receiving them pickled; what a task needs besides its item is
handed over as the run's `context`.
"""
from __future__ import annotations

import gc
import multiprocessing
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

_CONTEXT: Any = None


@contextmanager
def fork_pool(jobs: int):
    """A pool of `jobs` processes forked from this one.

    `gc.freeze()` first, so the workers' garbage collector never touches (and so copies) the
    memory they share with this process.
    """
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield pool
    finally:
        gc.unfreeze()


def in_workers(task: Callable[[Any], Any], items: Iterable[Any], context: Any, jobs: int,
               chunksize: int = 1) -> Iterator[Any]:
    """`task(item)` for every item, in `jobs` worker processes, results as they come.
    Inside a task, `context()` is the `context` given here."""
    global _CONTEXT
    _CONTEXT = context
    try:
        with fork_pool(jobs) as pool:
            yield from pool.imap_unordered(task, items, chunksize=chunksize)
    finally:
        _CONTEXT = None


def context() -> Any:
    return _CONTEXT
