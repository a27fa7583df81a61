"""Full-text search: a Pagefind index of the built pages, made at build time.

Pagefind (PyPI `pagefind[bin]`) ships a static index plus a small WebAssembly engine, so
search works on GitHub Pages and offline with no server. When it is not installed the site
is built without an index and the search page offers browsing instead.

Pagefind holds every page it indexes in memory (about 1.3 MB per synthetic report: 6 GB for
5,000 reports). The index is therefore made in parts of at most `REPORTS_PER_PART` reports,
one Pagefind run after another, each part a bundle of its own (`pagefind/`, then
`pagefind/part-2/` ...); the search page merges them in the browser (`mergeIndex`). Parts
follow country folders, so a part's address list depends only on which reports exist.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPORTS_PER_PART = 200  # ~300 MB of Pagefind memory per run


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
    return tuple(SearchPart("pagefind/" if n == 0 else f"pagefind/part-{n + 1}/", tuple(folders))
                 for n, folders in enumerate(groups) if folders or n == 0)


def search_available() -> bool:
    return importlib.util.find_spec("pagefind_bin") is not None


def build_search_index(site_dir: Path, parts: tuple[SearchPart, ...]) -> str | None:
    """Index `site_dir` in place, part by part. Returns a warning, or None."""
    if not search_available():
        return "search index not built: install 'pagefind[bin]' (see requirements.txt)"
    for part in parts:
        if not part.folders:
            continue
        folders = ",".join(folder.rstrip("/") for folder in part.folders)
        pattern = f"{{{folders}}}/**/*.html" if len(part.folders) > 1 else f"{folders}/**/*.html"
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent",
             "--glob", pattern, "--output-subdir", part.bundle.rstrip("/")],
            capture_output=True, text=True, timeout=600,
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            return ("search index not built: pagefind failed: "
                    + (detail[-1] if detail else "no output"))
    return None
