"""Full-text search: a Pagefind index of the built pages, made at build time.

Pagefind (PyPI `pagefind[bin]`) ships a static index plus a small WebAssembly engine, so
search works on GitHub Pages and offline with no server. When it is not installed the site
is built without an index and the search page offers browsing instead.

Pagefind holds every page it indexes in memory (about 1.3 MB per synthetic report: 6 GB for
5,000 reports). The index is therefore made in parts of at most `REPORTS_PER_PART` reports,
one Pagefind run after another, each part a bundle of its own (`pagefind/`, then
`pagefind/part-2/` ...); the search page merges them in the browser (`mergeIndex`). Parts
follow country folders, so a part's address list depends only on which reports exist.

Faults: Pagefind writes each bundle into a fresh private folder, never into the staged site
(whose unchanged files are hard links to the live site: writing through one would change
the published site), and the bundle is moved in only once checked: every file written and
not empty, the entry file valid and counting the pages it was given. Pagefind dies with the
build (the kernel kills it when the build process goes, `PR_SET_PDEATHSIG`), and a run that
fails or leaves a broken bundle fails the build, so the previous site stays published and
the next build makes the index again.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .workers import die_with_parent

SEARCH_FOLDER = "pagefind"  # every bundle lives under it (a reserved page slug)
REPORTS_PER_PART = 200  # ~300 MB of Pagefind memory per run
ENTRY_FILE = "pagefind-entry.json"
RUN_TIMEOUT = 600
BODY_MARK = b"data-pagefind-body"


@dataclass(frozen=True)
class SearchPart:
    """One Pagefind bundle: where it goes, and the pages it indexes (site folders)."""

    bundle: str  # site path of the bundle, e.g. "pagefind/" or "pagefind/part-2/"
    folders: tuple[str, ...]  # site folders whose pages it indexes, e.g. "countries/aland/"


def search_parts(report_counts: dict[str, int], country_folders: dict[str, str],
                 page_folders: tuple[str, ...],
                 per_part: int | None = None) -> tuple[SearchPart, ...]:
    """The index parts: the free pages and whole countries, in order, at most `per_part`
    reports to a part (a country with more reports gets a part of its own)."""
    per_part = per_part or REPORTS_PER_PART
    groups: list[list[str]] = [list(page_folders)]
    count = 0
    for slug, reports in report_counts.items():
        if count and count + reports > per_part:
            groups.append([])
            count = 0
        groups[-1].append(country_folders[slug])
        count += reports
    return tuple(SearchPart(f"{SEARCH_FOLDER}/" if n == 0 else f"{SEARCH_FOLDER}/part-{n + 1}/",
                            tuple(folders))
                 for n, folders in enumerate(groups) if folders or n == 0)


def search_available() -> bool:
    return importlib.util.find_spec("pagefind_bin") is not None


class IndexFailed(Exception):
    """Pagefind failed, or left a bundle that is not whole."""


def build_search_index(site_dir: Path, parts: tuple[SearchPart, ...]) -> str | None:
    """Index `site_dir`, part by part. Returns a warning (Pagefind is not installed), or
    None; raises ContentError when the index could not be made."""
    if not search_available():
        return "search index not built: install 'pagefind[bin]' (see requirements.txt)"
    for part in parts:
        if not part.folders:
            continue
        try:
            _index_part(site_dir, part)
        except (IndexFailed, OSError, subprocess.SubprocessError) as error:
            raise ContentError([Problem("search", 0, f"the search index could not be built "
                                        f"({part.bundle}): {error}; the previous site is "
                                        "still published")]) from None
    return None


def _index_part(site_dir: Path, part: SearchPart) -> None:
    pages = _count_pages(site_dir, part.folders)
    folders = ",".join(folder.rstrip("/") for folder in part.folders)
    pattern = f"{{{folders}}}/**/*.html" if len(part.folders) > 1 else f"{folders}/**/*.html"
    scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.index-", dir=site_dir.parent))
    try:
        bundle = scratch / "bundle"
        _run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent",
              "--glob", pattern, "--output-path", str(bundle)])
        check_bundle(bundle, pages)
        target = site_dir / part.bundle.rstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        _move_in(bundle, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _count_pages(site_dir: Path, folders: tuple[str, ...]) -> int:
    """The pages Pagefind should index: those marked `data-pagefind-body` (it leaves the
    others out once any page of the site is marked)."""
    return sum(1 for folder in folders for path in (site_dir / folder).rglob("*.html")
               if BODY_MARK in path.read_bytes())


def _run(command: list[str]) -> None:
    """Run the indexer so that it cannot outlive this process."""
    parent = os.getpid()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: die_with_parent(parent))
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except BaseException:  # a timeout, Ctrl+C, an error: never leave it running
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        detail = (err or out).strip().splitlines()
        raise IndexFailed("pagefind failed: " + (detail[-1] if detail else
                                                 f"exit status {process.returncode}"))


def check_bundle(bundle: Path, pages: int) -> None:
    """A bundle is whole: every file not empty, the entry file valid and counting `pages`."""
    entry = bundle / ENTRY_FILE
    try:
        data = json.loads(entry.read_bytes())
    except (OSError, ValueError) as error:
        raise IndexFailed(f"{ENTRY_FILE} missing or invalid ({type(error).__name__})") from None
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, dict):
        raise IndexFailed(f"{ENTRY_FILE} lists no languages")
    counted = sum(int(v.get("page_count", 0)) for v in languages.values() if isinstance(v, dict))
    if counted != pages:
        raise IndexFailed(f"{ENTRY_FILE} counts {counted} pages, {pages} were indexed")
    for folder, _, names in os.walk(bundle):
        for name in names:
            path = Path(folder, name)
            if path.stat().st_size == 0:
                raise IndexFailed(f"{path.relative_to(bundle).as_posix()} is empty "
                                  "(no space left on the device?)")


def _move_in(bundle: Path, target: Path) -> None:
    """Move the checked bundle into the site: files made by the indexer, never linked ones."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(bundle):
        destination = target / entry.name
        if destination.exists():
            raise IndexFailed(f"{destination} already exists in the staged site")
        os.rename(entry.path, destination)
