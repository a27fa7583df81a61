"""The whole build, stage by stage: load -> markdown/assemble -> render -> write.

`build()` is a pure "paths in, files out" call; `check` stops after assembling, and `serve`
calls `build()` again on every change.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .assemble import assemble
from .config import load_config
from .definitions import load_definitions
from .errors import ContentError, Problem, display_path
from .load import load_pages, load_reports
from .render import SiteData, make_environment, site_pages
from .search import build_search_index
from .write import output_lock, write_site

SITE_MARKER = ".publisher-site"


@dataclass(frozen=True)
class Paths:
    """Where a project's inputs live."""

    content: Path
    data: Path
    templates: Path
    static: Path
    config: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None) -> "Paths":
        return cls(content or root / "content", root / "data", root / "templates",
                   root / "static", root / "site.yaml")


@dataclass(frozen=True)
class BuildResult:
    reports: int
    files: int
    warnings: list[Problem]
    seconds: float


def load_site(paths: Paths, base_url: str | None = None) -> tuple[SiteData, list[Problem]]:
    """Read and validate everything; raise ContentError when any error was found."""
    try:
        config = load_config(paths.config).with_base_url(base_url)
    except ValueError as error:
        raise ContentError([Problem("--base-url", 0, str(error))]) from None
    definitions = load_definitions(paths.data)
    if not paths.content.is_dir():
        raise ContentError([Problem(display_path(paths.content), 0, "content folder not found")])
    sources, problems = load_reports(paths.content, definitions)
    reports, more = assemble(sources)
    pages, page_problems = load_pages(paths.content)
    problems = problems + more + page_problems
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    return SiteData(config, definitions, tuple(reports), tuple(pages)), problems


def build(paths: Paths, out_dir: Path, base_url: str | None = None,
          search: bool = True) -> BuildResult:
    """Validate everything, then render the whole site into `out_dir` (atomically).

    With `search`, the complete new site is indexed for full-text search before the swap.
    """
    started = time.perf_counter()
    check_output_folder(out_dir, paths)
    data, warnings = load_site(paths, base_url)
    env = make_environment(paths.templates, data.config)
    pages = site_pages(data, env)
    extras = {SITE_MARKER: b"Built by the report publisher; this folder is replaced on each build.\n",
              ".nojekyll": b""}
    if data.config.cname:
        extras["CNAME"] = (data.config.cname + "\n").encode()
    search_notes: list[Problem] = []

    def index(folder: Path) -> None:
        note = build_search_index(folder)
        if note:
            search_notes.append(Problem("search", 0, note, "warning"))

    with output_lock(out_dir):
        files = write_site(out_dir, pages, paths.static, extras, index if search else None)
    return BuildResult(len(data.reports), files, warnings + search_notes,
                       time.perf_counter() - started)


def check_output_folder(out_dir: Path, paths: Paths) -> None:
    """Refuse an output folder whose replacement would destroy inputs or unrelated files."""
    out = out_dir.resolve()
    shown = display_path(out_dir)
    for source in (paths.content, paths.data, paths.templates, paths.static, paths.config.parent):
        src = source.resolve()
        if out == src or out in src.parents:
            raise ContentError([Problem(shown, 0, f"output folder would contain or replace "
                                                  f"{display_path(source)}; choose another --out")])
    if out.exists() and (not out.is_dir() or (any(out.iterdir())
                                             and not (out / SITE_MARKER).exists())):
        raise ContentError([Problem(shown, 0, "refusing to replace this folder: it is not empty "
                                              "and was not built by this tool")])
