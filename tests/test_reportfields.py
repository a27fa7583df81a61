"""The report fields are declared once: the docs, the importer and the model follow the declaration."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal as D

import yaml

from conftest import nit_definitions, ROOT
from publisher.model import ReportSource
from publisher.reportfields import (
    CHANGE_FIELDS,
    FIELD_NAMES,
    OTHER_SCORE_FIELDS,
    REPORT_FIELDS,
    REQUIRED_FIELDS,
    SOURCE_FIELDS,
    change_field,
    previous_fields,
    score_fields,
)

NIT = nit_definitions().primary


def declared_names(keys) -> list[str]:
    """Front-matter keys as the declared fields they belong to: a series' own names for its
    scores (democracy_score) are `scores`, its main score's change (democracy_score_change) is
    `score_change`; consecutive repeats merged."""
    named = []
    for key in keys:
        name = ("scores" if key in score_fields(NIT) else
                "score_change" if key == change_field(NIT) else key)
        if not named or named[-1] != name:
            named.append(name)
    return named

DOCS = ROOT / "docs/content-format.md"
# Fields the importer has nothing to write for: a scraped page is never a draft.
NOT_IMPORTED = {"draft"}
# ReportSource attributes that are not front-matter fields: the file's place, the lines of its
# fields, the values computed from the ratings, and the body.
NOT_DECLARED = {"path", "series", "slug", "field_lines", "scores", "score", "category_values",
                "status", "sections"}


def docs_table() -> list[tuple[str, bool, str]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("### Fields", 1)[1].split("\n\n")[2]
    rows = []
    for line in table.splitlines()[2:]:
        match = re.fullmatch(r"\| `([a-z_]+)` \| (yes|no) \| (.+) \|", line)
        assert match, f"not a field row of docs/content-format.md: {line!r}"
        rows.append((match.group(1), match.group(2) == "yes", match.group(3)))
    return rows


def test_docs_list_every_field_as_declared():
    assert docs_table() == [(f.name, f.required, f.doc) for f in REPORT_FIELDS]


def test_docs_example_uses_declared_fields_in_their_order():
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```yaml\n---\n", 1)[1].split("\n---\n```", 1)[0]
    keys = declared_names(yaml.safe_load(example))
    assert keys == [name for name in FIELD_NAMES if name in keys]
    assert set(keys) == set(FIELD_NAMES)  # the example shows every field


def test_each_declaration_has_one_line_of_documentation():
    for field in REPORT_FIELDS:
        assert field.doc and "\n" not in field.doc and field.doc == field.doc.strip(), field.name
    assert len(set(FIELD_NAMES)) == len(FIELD_NAMES)
    assert REQUIRED_FIELDS == ("country", "edition", "ratings")


def test_declarations_fill_exactly_the_front_matter_attributes_of_report_source():
    declared = [a for f in REPORT_FIELDS for a in f.attribute_values(_sample(f))]
    attributes = {f.name for f in dataclasses.fields(ReportSource)}
    assert len(declared) == len(set(declared))
    assert set(declared) == attributes - NOT_DECLARED


def _sample(field):
    count = 1 if field.attributes is None else len(field.attributes)
    return None if count == 1 else (None,) * count


def full_import():
    """A parsed page with every field the importer knows filled in."""
    from publisher.importer.model import OtherScore, Paragraph, ParsedReport, Previous, ScoreChange, Section

    report = ParsedReport(country="Testland", edition=2015, status="Consolidated Democracy",
                          series=nit_definitions().primary,
                          scores={"democracy-score": D("5.50"), "democracy-percentage": D("75.00")},
                          source_url="https://freedomhouse.org/country/testland/nations-transit/2015")
    report.ratings = {"civil-society": D("5.50"), "corruption": D("5.50")}
    report.previous = Previous({"democracy-percentage": 74}, "Consolidated Democracy")
    report.score_changes = [ScoreChange("civil-society", D("5.75"), D("5.50"))]
    report.score_change = ("democracy-score", D("5.60"), D("5.50"))
    report.other_scores = [OtherScore("global-freedom", "Global Freedom Score", 90, 100, "Free")]
    report.authors = ["Jane Roe"]
    report.notes_on_source = ["Ratings converted: new = 8 - old."]
    report.sections = [Section("Executive Summary", None, [Paragraph("First sentence.")])]
    return report


def test_importer_writes_declared_fields_in_declaration_order():
    from publisher.importer.write import front_matter

    written = yaml.safe_load(front_matter(full_import()))
    keys = declared_names(written)
    assert keys == [name for name in FIELD_NAMES if name in keys]
    assert set(FIELD_NAMES) - set(keys) == NOT_IMPORTED
    assert set(written["previous"]) <= set(previous_fields(NIT))
    assert all(tuple(change) == CHANGE_FIELDS for change in written["score_changes"])
    assert all(set(item) <= set(OTHER_SCORE_FIELDS) for item in written["other_scores"].values())
    assert list(written["source"]) == [k for k in SOURCE_FIELDS if k in written["source"]]


def test_what_the_importer_writes_loads_without_a_problem(tmp_path):
    from publisher.importer.model import Note, Paragraph, Ref, Section
    from publisher.importer.write import render
    from publisher.load import load_report_data

    report = full_import()
    report.sections += [Section("Civil Society", "civil-society", [Paragraph("Claim.1", [Ref(1, 6, 7)])],
                                notes=[Note(1, "A source.")]),
                        Section("Corruption", "corruption", [Paragraph("Text.")])]
    path = tmp_path / "content/reports/testland/2015.md"
    source, problems = load_report_data(render(report).encode(), path, tmp_path / "content",
                                         nit_definitions())
    assert problems == []
    assert (source.country, source.source_note, source.score_changes[0].before) == (
        "Testland", "Ratings converted: new = 8 - old.", D("5.75"))


def test_new_report_skeleton_writes_declared_fields_in_declaration_order():
    from publisher.scaffold import report_skeleton

    text = report_skeleton("Testland", 2016, nit_definitions(), None)
    keys = declared_names(yaml.safe_load(text.split("---\n")[1]))
    assert keys == [name for name in FIELD_NAMES if name in keys]
