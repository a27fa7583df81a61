"""Importer stage 2: headings, sections, chrome removal and authors."""
from __future__ import annotations

import pytest

from publisher.importer.sections import (
    classify_heading,
    is_chrome_line,
    parse_names,
    split_layout,
    strip_boilerplate,
)

from import_helpers import definitions

DEFS = definitions()
NIT = DEFS.primary


@pytest.mark.parametrize("line, kind, title", [
    ("header1 Executive Summary", "summary", "Executive Summary"),
    ("Executive Summary:", "summary", "Executive Summary"),
    ("header2 Score changes in 2015", "changes", "Score Changes in 2015"),
    ("Status Changes", "changes", "Status Changes"),
    ("header2 Changes in 2024", "changes", "Changes in 2024"),
    ("Outlook for 2015.", "outlook", "Outlook for 2015"),
    ("National Democratic Governance 1.00-7.00 pts0-7 pts", "category", "National Democratic Governance"),
    ("Civil Society 1.502 7.007", "category", "Civil Society"),
    ("corruption", "category", "Corruption"),
    ("header1 Authors", "authors", "Authors"),
    ("Author: Joanna Lillis", "authors", "Authors"),
    ("header4 Something New", "other", "Something New"),
])
def test_headings_by_shape(line, kind, title):
    heading = classify_heading(line, NIT, [])
    assert heading is not None and (heading.kind, heading.title) == (kind, title)


@pytest.mark.parametrize("line", [
    "National Democratic Governance. Nazarbayev and his ruling party continued to control all.",
    "Civil Society rating declined from 1.50 to 1.25 due to the crackdown.",
    "Civil Society5.755.505.505.755.756.006.256.506.506.50",  # a ratings-history row
    "National Democratic Governance (1 = best, 7 = worst): 6.75",  # an old-scale score line
    "The ratings reflect the consensus of Freedom House.",
])
def test_body_lines_starting_with_a_category_are_not_headings(line):
    heading = classify_heading(line, NIT, [])
    assert heading is None or heading.kind != "category"


def test_note_box_and_footer_need_their_context():
    assert classify_heading("Note", NIT, ["The ratings reflect the consensus of Freedom House"]).kind == "note"
    assert classify_heading("Note", NIT, ["Something else entirely."]) is None
    assert classify_heading("On Kazakhstan", NIT, ["See all data, scores & information"]).kind == "footer"
    assert classify_heading("On Kazakhstan", NIT, ["Kazakhstan is large."]) is None


@pytest.mark.parametrize("line, chrome", [
    ("See the methodology.", True), ("See More", True), ("Croatia_hero", True), ("header3", True),
    ("1.00-7.00 pts0-7 pts", True), ("The full Kazakhstan country report will be posted soon.", True),
    ("See all data, scores & information on this country or territory.", True),
    ("The hero of the day was a judge.", False), ("See the appendix for more detail.", False),
])
def test_chrome_lines(line, chrome):
    assert is_chrome_line(line) is chrome


def test_boilerplate_is_removed_sentence_by_sentence_keeping_spliced_body():
    dropped: list[str] = []
    text = ("The ratings reflect the consensus of Freedom House, its academic advisers, and the author(s) "
            "of this report. The opinions expressed in this report are those of the author(s). The previous "
            "year, a general was sentenced for bribery.")
    assert strip_boilerplate(text, dropped) == "The previous year, a general was sentenced for bribery."
    assert len(dropped) == 2
    assert strip_boilerplate("Body ends here. See the methodology.", []) == "Body ends here."
    assert strip_boilerplate("A body sentence about the ratings reflect.", []) == \
        "A body sentence about the ratings reflect."


def test_the_note_label_goes_only_with_the_boilerplate_it_labels():
    """A property-test draw found "note" lost from a body paragraph starting "note: 1.6 ...":
    the label is dropped only when a boilerplate sentence follows it."""
    dropped: list[str] = []
    labelled = ("NOTE: The ratings reflect the consensus of Freedom House, its academic advisers, "
                "and the author(s) of this report. Body text.")
    assert strip_boilerplate(labelled, dropped) == "Body text." and dropped[0] == "NOTE:"
    for body in ("note: 1.6 1.6 1.6 of the budget went unaccounted for.",
                 "Note: the figures below are the ministry's own."):
        assert strip_boilerplate(body, []) == body


@pytest.mark.parametrize("text, names", [
    ("Tena Prelec", ["Tena Prelec"]),
    ("Anna Wójcik and Miłosz Wiatrowski", ["Anna Wójcik", "Miłosz Wiatrowski"]),
    ("A. Smith, B. Jones, and C. de Vries", ["A. Smith", "B. Jones", "C. de Vries"]),
    ("the government in 2019", []),
])
def test_author_names(text, names):
    assert parse_names(text) == names


PAGE = """Testland

Consolidated Democracy
DEMOCRACY-SCORE Democracy Score 6.00 7

header1 Executive Summary

By Ana Example and Boris Sample

First paragraph of the summary,
wrapped over two lines.

Civil Society 1.00-7.00 pts0-7 pts
Assesses the civic sector. 6.006 7.007

Body of civil society.
  • 1Note one.
  • 2Note two.
Corruption

Corruption body.

Note

The ratings reflect the consensus of Freedom House, its academic advisers, and the author(s) of this report. Spliced corruption text stays.

Author: Ana Example

Ana Example is a researcher.

On Testland

See all data, scores & information on this country or territory.

See More
  • Global Freedom Score

    90 100 free
"""


def test_layout_splits_header_sections_footer():
    layout = split_layout(PAGE, NIT)
    assert layout.header[0] == "Testland"
    titles = [s.heading.title for s in layout.sections]
    assert titles == ["Executive Summary", "Civil Society", "Corruption", "About the Author"]
    summary, civil, corruption, about = layout.sections
    assert summary.blocks[0].items == ["First paragraph of the summary, wrapped over two lines."]
    assert [b.kind for b in civil.blocks] == ["para", "para", "bullets"]
    assert civil.blocks[2].items == ["1Note one.", "2Note two."]
    assert [b.items[0] for b in corruption.blocks] == ["Corruption body.", "Spliced corruption text stays."]
    assert about.blocks[0].items == ["Ana Example is a researcher."]
    assert layout.authors == ["Ana Example", "Boris Sample"]
    assert "90 100 free" in "\n".join(layout.footer)
    assert "Note" in layout.dropped


def test_authors_heading_with_bullets_gives_names_and_no_section_text():
    page = "header1 Authors\n\n  • Dario Čepo\n  • Jane Roe\n\nheader2 Executive Summary\n\nText here.\n"
    layout = split_layout(page, NIT)
    assert layout.authors == ["Dario Čepo", "Jane Roe"]
    assert layout.sections[0].blocks == []


def test_author_line_that_runs_into_a_bio_is_not_a_name():
    assert classify_heading("Author: Joanna Lillis is a freelance journalist based in Almaty.", NIT, []) is None
