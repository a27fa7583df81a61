"""Full-text search is indexed at build time, and the site still works without it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import publisher.search as search
from conftest import FIXTURE_SITE, ROOT
from publisher.pipeline import Paths, build

FIXTURE = FIXTURE_SITE


@pytest.mark.skipif(not search.search_available(), reason="pagefind[bin] not installed")
def test_build_writes_a_pagefind_index_of_reports_and_pages(tmp_path: Path):
    result = build(Paths.at(ROOT, FIXTURE), tmp_path / "site", base_url="/x/")
    bundle = tmp_path / "site/pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    # 12 reports plus the two content pages are marked data-pagefind-body; listings are not.
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 14
    assert not [w for w in result.warnings if w.path == "search"]


def test_site_builds_without_search(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(search, "search_available", lambda: False)
    result = build(Paths.at(ROOT, FIXTURE), tmp_path / "site")
    assert not (tmp_path / "site/pagefind").exists()
    assert (tmp_path / "site/search/index.html").is_file()
    assert [w.message for w in result.warnings if w.path == "search"] == [
        "search index not built: install 'pagefind[bin]' (see requirements.txt)"]
