"""Full-text search is indexed at build time, and the site still works without it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import publisher.search as search
from conftest import FIXTURE_SITE, nit_project
from publisher.pipeline import build

FIXTURE = FIXTURE_SITE


@pytest.mark.skipif(not search.search_available(), reason="pagefind[bin] not installed")
def test_build_writes_a_pagefind_index_of_reports_and_pages(tmp_path: Path):
    result = build(nit_project(FIXTURE), tmp_path / "site", base_url="/x/")
    bundle = tmp_path / "site/pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    # 12 reports plus the two content pages are marked data-pagefind-body; listings are not.
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 14
    assert not [w for w in result.warnings if w.path == "search"]


@pytest.mark.skipif(not search.search_available(), reason="pagefind[bin] not installed")
def test_a_large_site_is_indexed_in_parts_the_search_page_merges(tmp_path: Path, monkeypatch):
    # 4 reports to a part: the free pages and Aland (3), Borduria (2), Carpania (3),
    # Dravia (3) with Estoria (1). Each part is one Pagefind run: its memory stays bounded.
    monkeypatch.setattr(search, "REPORTS_PER_PART", 4)
    build(nit_project(FIXTURE), tmp_path / "site", base_url="/x/")
    site = tmp_path / "site"
    bundles = ["pagefind/", "pagefind/part-2/", "pagefind/part-3/", "pagefind/part-4/"]
    counts = []
    for bundle in bundles:
        entry = json.loads((site / bundle / "pagefind-entry.json").read_text())
        counts.append(sum(lang["page_count"] for lang in entry["languages"].values()))
    assert counts == [2 + 3, 2, 3, 3 + 1]
    assert not (site / "pagefind/part-5").exists()
    script = (site / "search/index.html").read_text()
    assert 'data-bundle="/x/pagefind/"' in script
    assert 'data-more-bundles="/x/pagefind/part-2/ /x/pagefind/part-3/ /x/pagefind/part-4/"' in script


def test_parts_follow_whole_countries():
    parts = search.search_parts({"a": 150, "b": 60, "c": 250, "d": 10}, {
        k: f"countries/{k}/" for k in "abcd"}, ("about/",), per_part=200)
    assert [(p.bundle, p.folders) for p in parts] == [
        ("pagefind/", ("about/", "countries/a/")), ("pagefind/part-2/", ("countries/b/",)),
        ("pagefind/part-3/", ("countries/c/",)), ("pagefind/part-4/", ("countries/d/",))]
    assert [p.bundle for p in search.search_parts({}, {}, ())] == ["pagefind/"]


def test_site_builds_without_search(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(search, "search_available", lambda: False)
    result = build(nit_project(FIXTURE), tmp_path / "site")
    assert not (tmp_path / "site/pagefind").exists()
    assert (tmp_path / "site/search/index.html").is_file()
    assert [w.message for w in result.warnings if w.path == "search"] == [
        "search index not built: install 'pagefind[bin]' (see requirements.txt)"]
