"""Full-text search: a Pagefind index of the built pages, made at build time.

Pagefind (PyPI `pagefind[bin]`) ships a static index plus a small WebAssembly engine, so
search works on GitHub Pages and offline with no server. When it is not installed the site
is built without an index and the search page offers browsing instead.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path


def search_available() -> bool:
    return importlib.util.find_spec("pagefind_bin") is not None


def build_search_index(site_dir: Path) -> str | None:
    """Index `site_dir` in place (writes site_dir/pagefind/). Returns a warning, or None."""
    if not search_available():
        return "search index not built: install 'pagefind[bin]' (see requirements.txt)"
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        return "search index not built: pagefind failed: " + (detail[-1] if detail else "no output")
    return None
