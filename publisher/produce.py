"""Make the planned files in the staging folder: render pages (in worker processes when many),
copy static files, write the small extras.

A file whose bytes come out the same as in the current output is linked, never rewritten, so
it keeps its inode and mtime.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, Problem, error_problems
from .fingerprints import digest
from .outputs import OutputFile, keep_or_write
from .plan import Plan, PlannedPage
from .store import StaleCache, current_reader
from .workers import context as worker_context, in_workers
from .write import Staging

if TYPE_CHECKING:
    from .render import Page

PARALLEL_PAGES_MIN = 150  # pages to render before worker processes pay off


@dataclass(frozen=True)
class Made:
    """One file made in the staging folder."""

    path: str
    entry: OutputFile  # its manifest entry
    written: bool  # False: the current output's file was kept (same bytes)


class RenderFailed(Exception):
    """A page could not be rendered; carries its problems (picklable, unlike ContentError)."""


def render_pages(plan: Plan, staging: Staging, old: dict[str, OutputFile], templates: Path,
                 jobs: int, compile_templates, progress=None) -> list[Made]:
    """Render the planned pages into the staging folder; in worker processes when many.
    `compile_templates()` is called before workers fork, so each compiles nothing;
    `progress(done, total)` is told as pages are done."""
    total = len(plan.render)
    items = by_folder(plan)
    try:
        if total >= PARALLEL_PAGES_MIN and jobs > 1:
            compile_templates()
            context = (plan.pages, staging, old, templates)
            made = in_workers(_render_task, items, context, jobs,
                              chunksize=max(1, total // (jobs * 8)))
        else:
            made = (render_page(plan.pages, staging, old, item, templates) for item in items)
        result = []
        for item in made:
            result.append(item)
            if progress is not None:
                progress(len(result), total)
        return result
    except RenderFailed as failed:
        raise ContentError([Problem(*p) for p in failed.args[0]]) from None


def by_folder(plan: Plan) -> list[PlannedPage]:
    """The pages to render, those of one folder together (a report's page beside its
    `report.json` and citation files), folders in the order the plan first names them (the
    heavy listing pages early, so the workers finish together): pages of one report read the
    same cache entry, which is then read once, while the section reader still holds it,
    instead of once per page kind (with the thousand report pages between them, it was long
    gone)."""
    folders: dict[str, list[PlannedPage]] = {}
    for item in plan.render:
        folders.setdefault(plan.pages[item.index].path.rpartition("/")[0], []).append(item)
    return [item for items in folders.values() for item in items]


def render_page(pages: list[Page], staging: Staging, old: dict[str, OutputFile],
                item: PlannedPage, templates: Path) -> Made:
    """Render one page into the staging folder (or keep the old file if the bytes are equal).

    Its fingerprint is the full one if it looked at any report's sections, else the summary
    one (see plan.py)."""
    page = pages[item.index]
    try:
        with current_reader().tracking() as reads:
            data = page.produce()
    except StaleCache:
        raise
    except Exception as error:
        problems = error_problems(error, templates)
        raise RenderFailed([(p.path, p.line, p.message, p.severity) for p in problems]) from None
    content = digest(data)
    stat, written = keep_or_write(staging, page.path, old.get(page.path), content,
                                  lambda: staging.write(page.path, data))
    fp = item.full_fp if reads else item.summary_fp
    return Made(page.path, OutputFile("page", fp, content, *stat, reads=bool(reads)), written)


def copy_files(plan: Plan, staging: Staging, old: dict[str, OutputFile]) -> list[Made]:
    """The new or changed static files, and the small extra files."""
    made = []
    for source in plan.copies:
        stat, written = keep_or_write(staging, source.path, old.get(source.path), source.digest,
                                      lambda: staging.write(source.path, source.data))
        made.append(Made(source.path, OutputFile("static", source.digest, source.digest, *stat),
                         written))
    for path, data in plan.writes:
        value = digest(data)
        stat, written = keep_or_write(staging, path, old.get(path), value,
                                      lambda: staging.write(path, data))
        made.append(Made(path, OutputFile("extra", value, value, *stat), written))
    return made


def _render_task(item: PlannedPage) -> Made:
    pages, staging, old, templates = worker_context()
    return render_page(pages, staging, old, item, templates)
