"""Stage 2b: last year's figures, from last year's file or from what the source states."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import nit_definitions, report_text, write_tree
from publisher.assemble import assemble
from publisher.load import load_reports

DEFINITIONS = nit_definitions()
RATINGS = {"national-democratic-governance": 1.25, "electoral-process": 1.25, "civil-society": 1.50,
           "independent-media": 1.25, "local-democratic-governance": 1.50,
           "judicial-framework-and-independence": 1.50, "corruption": 1.50}


def assembled(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path / "content", files)
    sources, problems = load_reports(tmp_path / "content", DEFINITIONS)
    reports, more = assemble(sources, DEFINITIONS)
    assert [p for p in problems + more if p.severity == "error"] == []
    return {(r.slug, r.edition): r for r in reports}


def test_no_score_changes_means_last_years_score_is_this_years(tmp_path):
    front = "previous: {democracy_percentage: 7, status: Consolidated Authoritarian Regime}\nscore_changes: []"
    report = assembled(tmp_path, {"reports/k/2015.md": report_text("K", 2015, RATINGS, front=front)})[("k", 2015)]
    assert report.previous.scores["democracy-score"] == Decimal("1.39") and report.score_change == 0
    assert report.previous.scores["democracy-percentage"] == 7 and not report.previous.from_file
    assert all(r.previous == r.rating and r.change == 0 for r in report.category_ratings)


def test_listed_changes_give_last_years_ratings_and_score(tmp_path):
    front = "score_changes:\n  - {category: civil-society, from: 2.00, to: 1.50}"
    report = assembled(tmp_path, {"reports/k/2015.md": report_text("K", 2015, RATINGS, front=front)})[("k", 2015)]
    civil = next(r for r in report.category_ratings if r.category.key == "civil-society")
    assert (civil.previous, civil.change) == (Decimal("2.00"), Decimal("-0.50"))
    # Last year: 10.25 / 7 = 1.464... -> 1.46; this year 1.39.
    assert report.previous.scores["democracy-score"] == Decimal("1.46") and report.score_change == Decimal("-0.07")


def test_stated_democracy_score_change_wins_over_the_derived_one(tmp_path):
    front = "score_changes: []\ndemocracy_score_change: {from: 1.40, to: 1.39}"
    report = assembled(tmp_path, {"reports/k/2015.md": report_text("K", 2015, RATINGS, front=front)})[("k", 2015)]
    assert report.previous.scores["democracy-score"] == Decimal("1.40")


def test_without_any_statement_last_year_is_unknown(tmp_path):
    report = assembled(tmp_path, {"reports/k/2015.md": report_text("K", 2015, RATINGS)})[("k", 2015)]
    assert report.previous is None and report.score_change is None
    assert all(r.previous is None for r in report.category_ratings)


def test_last_years_file_wins_over_statements(tmp_path):
    earlier = dict(RATINGS, corruption=1.75)
    reports = assembled(tmp_path, {
        "reports/k/2014.md": report_text("K", 2014, earlier),
        "reports/k/2015.md": report_text("K", 2015, RATINGS, front=(
            "score_changes:\n  - {category: corruption, from: 1.75, to: 1.50}")),
    })
    report = reports[("k", 2015)]
    assert report.previous.from_file and report.previous.scores["democracy-score"] == Decimal("1.43")
    assert report.previous_url == "countries/k/2014/" and reports[("k", 2014)].next_url == "countries/k/2015/"
