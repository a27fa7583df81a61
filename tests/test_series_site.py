"""A site with several series (issue 15): Nations in Transit, Freedom in the World and Freedom
on the Net side by side, built end to end from tests/fixtures/multi (Kazakhstan in all three,
Estonia in Freedom in the World only; a scores-only page, one with every indicator rated)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ALL_SERIES, ROOT, copy_project, report_text

MULTI = ROOT / "tests/fixtures/multi/content"


def multi_project(root: Path) -> Path:
    return copy_project(root, MULTI, series=ALL_SERIES)


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search", *args],
                          cwd=project, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = multi_project(tmp_path_factory.mktemp("multi"))
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def page(site: Path, address: str) -> BeautifulSoup:
    return BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_each_series_has_its_pages_under_its_key(site: Path):
    for address in ("fiw/", "fotn/", "nit/", "fiw/editions/", "fiw/editions/2024/",
                    "fiw/categories/", "fiw/categories/political-rights/", "fiw/categories/a1/",
                    "fotn/editions/2015/", "nit/editions/2015/", "nit/categories/corruption/",
                    "countries/kazakhstan/fiw/2024/", "countries/kazakhstan/fotn/2015/",
                    "countries/kazakhstan/nit/2015/", "countries/estonia/fiw/2024/"):
        assert (site / address / "index.html").is_file(), address
    assert not (site / "editions").exists() and not (site / "countries/kazakhstan/2015").exists()


def test_the_home_page_shows_each_series_latest_edition(site: Path):
    home = page(site, "")
    cards = home.select(".series-card")
    assert [c.h2.get_text(strip=True) for c in cards] == [
        "Freedom in the World", "Freedom on the Net", "Nations in Transit"]
    latest = {c.h2.get_text(strip=True): c.find("p").a["href"] for c in cards}
    assert latest["Freedom in the World"].endswith("fiw/editions/2024/")
    assert latest["Nations in Transit"].endswith("nit/editions/2015/")
    nav = [a.get_text(strip=True) for a in home.select(".site-nav a")]
    assert nav[:5] == ["Home", "FIW", "FOTN", "NIT", "Countries"]


def test_a_country_page_shows_every_series_it_has(site: Path):
    kazakhstan = page(site, "countries/kazakhstan/")
    series = [h.get_text(strip=True) for h in kazakhstan.select("h2.series-heading")]
    assert series == ["Freedom in the World", "Freedom on the Net", "Nations in Transit"]
    ids = [tag["id"] for tag in kazakhstan.select("[id]")]
    assert len(ids) == len(set(ids))  # each series' sections have ids of their own
    estonia = page(site, "countries/estonia/")
    assert [h.get_text(strip=True) for h in estonia.select("h2.series-heading")] == [
        "Freedom in the World"]


def test_values_come_from_the_definition(site: Path):
    full = json.loads((site / "countries/kazakhstan/fiw/2024/report.json").read_text())
    assert full["series"] == "fiw" and full["status"] == "Not Free"
    # every indicator rated: groups and total are their sums; status from the 1-7 ratings
    assert full["ratings"]["political-rights"] == 5 and full["ratings"]["civil-liberties"] == 18
    assert full["ratings"]["electoral-process"] == 1 and full["ratings"]["a3"] == 1
    assert full["scores"] == {"total": 23, "freedom-rating": 6.0}
    scores_only = json.loads((site / "countries/kazakhstan/fiw/2023/report.json").read_text())
    assert scores_only["scores"]["total"] == 23 and "a1" not in scores_only["ratings"]
    estonia = json.loads((site / "countries/estonia/fiw/2024/report.json").read_text())
    assert estonia["scores"] == {"total": 95, "freedom-rating": 1.0} and estonia["status"] == "Free"
    net = json.loads((site / "countries/kazakhstan/fotn/2015/report.json").read_text())
    assert net["scores"] == {"total": 39} and net["status"] == "Not Free"
    assert net["previous"]["total"] == 38 and net["previous"]["source"] == "stated"
    nit = json.loads((site / "countries/kazakhstan/nit/2015/report.json").read_text())
    assert nit["democracy_score"] == nit["scores"]["democracy-score"] == 1.39
    assert nit["previous"]["source"] == "file"  # last year's file, in the same series


def test_a_report_page_shows_its_series_headline(site: Path):
    report = page(site, "countries/kazakhstan/fiw/2024/")
    cards = [c.dt.get_text(strip=True) for c in report.select(".score-card")]
    assert cards == ["Global Freedom Score", "Political Rights", "Civil Liberties", "Status"]
    assert report.select_one(".report-header__series").get_text(strip=True) == \
        "Freedom in the World 2024"
    years = [a.get_text(strip=True) for a in report.select(".other-years a")]
    assert years == ["2023", "2024"]  # its own series' editions only
    assert "Nations in Transit" not in report.select_one("main").get_text()


def test_downloads_per_series_and_combined(site: Path):
    combined = list(csv.DictReader(io.StringIO((site / "data/reports.csv").read_text())))
    assert {row["series"] for row in combined} == {"fiw", "fotn", "nit"} and len(combined) == 6
    own = list(csv.DictReader(io.StringIO((site / "data/fiw/reports.csv").read_text())))
    assert {row["series"] for row in own} == {"fiw"}
    assert {"total", "political-rights", "civil-liberties"} <= set(own[0])
    nit = list(csv.DictReader(io.StringIO((site / "data/nit/reports.csv").read_text())))
    assert nit[-1]["democracy_score"] == "1.39" and nit[-1]["corruption"] == "1.50"


def test_a_report_outside_a_series_folder_is_refused(tmp_path: Path):
    project = multi_project(tmp_path)
    shutil.copy(MULTI / "reports/nit/kazakhstan/2015.md", project / "content/reports/2015.md")
    (project / "content/reports/kazakhstan").mkdir()
    shutil.move(project / "content/reports/2015.md", project / "content/reports/kazakhstan/2015.md")
    result = build(project)
    assert result.returncode == 1
    assert ("content/reports/kazakhstan/2015.md:1: expected reports/<series>/<country-slug>/"
            "<edition>.md") in result.stderr
    assert "several series (fiw, fotn, nit)" in result.stderr


def test_a_stated_score_the_ratings_contradict_is_one_message(tmp_path: Path):
    project = multi_project(tmp_path)
    path = project / "content/reports/fiw/kazakhstan/2023.md"
    path.write_text(path.read_text().replace("total: 23", "total: 25"))
    result = build(project)
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if ".md:" in line]
    assert problems == [f"content/reports/fiw/kazakhstan/2023.md:9: total: stated 25 but the "
                        "ratings give 23"], result.stderr


def test_an_edit_rebuilds_byte_identical_to_a_clean_build(tmp_path: Path):
    project = multi_project(tmp_path / "p")
    assert build(project).returncode == 0
    path = project / "content/reports/fiw/estonia/2024.md"
    path.write_text(path.read_text().replace("political-rights: 38", "political-rights: 36"))
    assert build(project).returncode == 0
    clean = multi_project(tmp_path / "clean")
    shutil.copy(path, clean / "content/reports/fiw/estonia/2024.md")
    assert build(clean).returncode == 0
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes()
                          for p in sorted(root.rglob("*")) if p.is_file()}
    assert files(project / "site") == files(clean / "site")
    estonia = json.loads((project / "site/countries/estonia/fiw/2024/report.json").read_text())
    assert estonia["scores"]["total"] == 93


def test_the_other_scores_panel_links_to_the_report_the_site_has(site: Path):
    report = page(site, "countries/kazakhstan/nit/2015/")
    link = report.select_one("#other-scores .other-scores__report a")
    assert link.get_text(strip=True) == "Kazakhstan, Freedom in the World 2024"
    assert link["href"].endswith("countries/kazakhstan/fiw/2024/")


def test_the_repository_sample_builds_in_three_series(tmp_path: Path):
    """The repository's own project as it is: Kazakhstan's Nations in Transit report (the seed)
    and the Freedom in the World and Freedom on the Net reports imported from the captures,
    every one of those marked partial on its page."""
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    imported = sorted((site / "countries/kazakhstan").glob("f*/*/index.html"))
    assert {p.parent.parent.name for p in imported} == {"fiw", "fotn"} and len(imported) >= 6
    for path in imported:
        assert "Partial report." in path.read_text(encoding="utf-8"), path
    assert "Partial report." not in (site / "countries/kazakhstan/nit/2015/index.html").read_text()
    country = page(site, "countries/kazakhstan/")
    assert [h.get_text(strip=True) for h in country.select("h2.series-heading")] == [
        "Freedom in the World", "Freedom on the Net", "Nations in Transit"]
    cards = page(site, "").select(".series-card")
    assert len(cards) == 3


def test_search_can_filter_reports_by_series(site: Path):
    report = page(site, "countries/kazakhstan/fotn/2015/")
    filters = [tag["data-pagefind-filter"] for tag in report.select("[data-pagefind-filter]")]
    assert "series:Freedom on the Net" in filters


def test_new_asks_which_series_and_writes_into_its_folder(tmp_path: Path):
    project = multi_project(tmp_path)
    run = lambda *args: subprocess.run([sys.executable, str(ROOT / "build.py"), *args],
                                       cwd=project, capture_output=True, text=True, timeout=120)
    unnamed = run("new", "Estonia", "2025")
    assert unnamed.returncode == 2
    assert "several series (fiw, fotn, nit): say which with --series KEY" in unnamed.stderr
    wrong = run("new", "Estonia", "2025", "--series", "fitw")
    assert wrong.returncode == 2 and "'fitw' is not a series of this site" in wrong.stderr
    assert run("new", "Estonia", "2025", "--series", "fiw").returncode == 0
    written = project / "content/reports/fiw/estonia/2025.md"
    text = written.read_text(encoding="utf-8")
    previous = (MULTI / "reports/fiw/estonia/2024.md").read_text(encoding="utf-8")
    assert "draft: true" in text and "## Overview" in text
    assert "political-rights: 38" in previous and "political-rights: 38" in text  # last edition's
    fresh = run("new", "Testland", "2025", "--series", "fotn")
    assert fresh.returncode == 0
    fotn = (project / "content/reports/fotn/testland/2025.md").read_text(encoding="utf-8")
    assert "  a1: 3\n" in fotn and "## A1. " in fotn  # the middle of 0-6; the indicator's question
    check = run("check", "--drafts")
    assert check.returncode == 0, check.stderr
    assert "0 error(s)" in check.stdout + check.stderr


def test_the_categories_page_of_a_grouped_series_links_every_level(site: Path):
    """Freedom in the World's groups (Political Rights; A Electoral Process ...) and its
    indicators each have a page, and its categories page links every one of them."""
    index = page(site, "fiw/categories/")
    linked = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in index.select(".category-tree a")}
    pages = {p.parent.name for p in (site / "fiw/categories").glob("*/index.html")}
    assert linked == pages and {"political-rights", "electoral-process", "a1", "g4"} <= pages
    headings = [h.get_text(" ", strip=True) for h in index.select(".category-tree__group")]
    assert headings[:2] == ["PR. Political Rights", "A. Electoral Process"]
    group = page(site, "fiw/categories/political-rights/")
    parts = [a.get_text(strip=True) for a in group.select(".category-parts a")]
    assert parts[0] == "A. Electoral Process" and len(parts) == 4  # A, B, C and the discretionary Q
    assert "Cells are coloured" not in group.get_text()  # 0-40 points fall in no status band
    nit = page(site, "nit/categories/corruption/")
    assert "Cells are coloured by the status band" in nit.get_text()


ESSAY = """---
title: {title}
key_findings:
  - {finding}
---

The edition in a sentence.[^1]

[^1]: A source, https://example.org/essay.
"""


def test_each_series_has_its_own_edition_essays(tmp_path: Path):
    project = multi_project(tmp_path)
    editions = project / "content/editions"
    (editions / "fiw").mkdir(parents=True)
    (editions / "nit").mkdir()
    (editions / "fiw/2024.md").write_text(ESSAY.format(title="A World Year", finding="Estonia held."))
    (editions / "nit/2015.md").write_text(ESSAY.format(title="A Transit Year", finding="Kazakhstan fell."))
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    fiw = page(site, "fiw/editions/2024/")
    assert fiw.select_one("#essay").get_text(strip=True) == "A World Year"
    assert "Estonia held." in fiw.select_one(".key-findings").get_text()
    nit = page(site, "nit/editions/2015/")
    assert "Kazakhstan fell." in nit.select_one(".key-findings").get_text()
    assert page(site, "fotn/editions/2015/").select_one(".key-findings") is None
    assert page(site, "fiw/editions/2023/").select_one(".key-findings") is None


@pytest.mark.parametrize("name, message", [
    ("2024.md", "content/editions/2024.md:1: this site has several series (fiw, fotn, nit), so an "
                "edition's essay goes in content/editions/<series>/<edition>.md"),
    ("fitw/2024.md", "content/editions/fitw/2024.md:1: 'fitw' is not a series of this site: "
                     "expected content/editions/<series>/<edition>.md with one of: fiw, fotn, nit"),
])
def test_an_essay_outside_a_series_folder_is_refused(tmp_path: Path, name: str, message: str):
    project = multi_project(tmp_path)
    path = project / "content/editions" / name
    path.parent.mkdir(parents=True)
    path.write_text(ESSAY.format(title="Somewhere", finding="Lost."))
    result = build(project)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr


def test_an_essay_in_a_series_folder_of_a_one_series_site_is_refused(project: Path):
    (project / "content/editions/nit").mkdir(parents=True)
    (project / "content/editions/nit/2015.md").write_text(ESSAY.format(title="X", finding="Y."))
    (project / "content/reports/testland").mkdir()
    (project / "content/reports/testland/2015.md").write_text(report_text())
    result = build(project)
    assert result.returncode == 1
    assert ("content/editions/nit/2015.md:1: an edition's essay goes in "
            "content/editions/<edition>.md") in result.stderr, result.stderr
