"""Importer stage 5: Markdown escaping, front matter and the atomic, no-overwrite write."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.importer.model import ImportFailure, Note, OtherScore, Paragraph, ParsedReport, Previous, Ref, \
    ScoreChange, Section
from publisher.importer.write import front_matter, paragraph_markdown, render, section_markdown, write_new
from publisher.markdown import make_markdown, plain_text

from import_helpers import definitions

NIT = definitions().primary


def rendered_words(markdown: str) -> str:
    md = make_markdown()
    env: dict = {}
    return plain_text(md.parse(markdown, env))


@pytest.mark.parametrize("text", [
    "1. This line must not become a list.",
    "2014. A year that starts a paragraph.",
    "# Not a heading",
    "- not a bullet",
    "+ not a bullet either",
    "> not a quote",
    "---",
    "A *starred* word and _underscored_ phrase and `code`.",
    "A stray [^3] and [a link](http://x.example) and <b>tag</b> and &amp; entity.",
    "A | pipe | table | row and ~~strike~~",
    "Back\\slash and trailing spaces   ",
])
def test_source_text_never_becomes_markdown_structure(text):
    markdown = paragraph_markdown(Paragraph(text))
    assert rendered_words(markdown) == " ".join(text.split())


def test_urls_are_written_as_they_are():
    url = "http://www.akorda.kz/ru/page/page_214519_obrashchenie-prezidenta-respub…."
    assert url in paragraph_markdown(Paragraph(f"See {url}"))


def test_references_replace_their_source_span():
    paragraph = Paragraph("It takes time.1 Then 20142 more", [Ref(1, 14, 15), Ref(2, 25, 26)])
    assert paragraph_markdown(paragraph) == "It takes time.[^1] Then 2014[^2] more"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
@settings(max_examples=300, deadline=None)
def test_escaped_text_renders_as_written(text):
    if not text.strip():
        return
    assert rendered_words(paragraph_markdown(Paragraph(text))) == " ".join(text.split())


def test_section_markdown_lists_missing_notes_and_keeps_orphans_as_text():
    section = Section("Civil Society", "civil-society", [Paragraph("Claim.1", [Ref(1, 6, 7)])],
                      notes=[Note(1, None)], orphan_notes=["An unclaimed citation."])
    text = section_markdown(section)
    assert text.startswith("## Civil Society\n")
    assert "[^1]: [missing]" in text and "An unclaimed citation." in text


def report() -> ParsedReport:
    r = ParsedReport(country="Testland", edition=2015, status="Consolidated Democracy",
                     series=NIT, scores={"democracy-score": D("5.50"), "democracy-percentage": D("75.00")},
                     source_url="https://freedomhouse.org/country/testland/nations-transit/2015")
    r.ratings = {"civil-society": D("1.5"), "corruption": D("7")}
    r.previous = Previous({"democracy-percentage": 7}, "Consolidated Democracy")
    r.score_changes = [ScoreChange("civil-society", D("1.75"), D("1.5"))]
    r.score_change = ("democracy-score", D("5.6"), D("5.5"))
    r.other_scores = [OtherScore("global-freedom", "Global Freedom Score", 23, 100, "Not Free")]
    r.authors = ["Jane O'Roe", "Yes"]
    r.notes_on_source = ["Ratings converted: new = 8 - old."]
    r.sections = [Section("Executive Summary", None, [Paragraph("First sentence. Second: yes # no.")])]
    return r


def test_front_matter_numbers_have_two_decimals_and_read_back():
    text = front_matter(report())
    assert "civil-society: 1.50" in text and "corruption: 7.00" in text and "from: 1.75" in text
    data = yaml.safe_load(text)
    assert data["authors"] == ["Jane O'Roe", "Yes"]  # "Yes" stays a string, not a boolean
    assert data["summary"] == "First sentence. Second: yes # no."
    assert data["previous"] == {"democracy_percentage": 7, "status": "Consolidated Democracy"}
    assert data["other_scores"]["global-freedom"]["note"].startswith("Freedom House site value")
    assert data["source"]["note"] == "Ratings converted: new = 8 - old."


def test_render_puts_front_matter_then_sections():
    text = render(report())
    assert text.startswith("---\ncountry: Testland\n") and "\n---\n\n## Executive Summary\n" in text


def test_write_new_refuses_to_overwrite_without_force(tmp_path: Path):
    target = tmp_path / "reports" / "testland" / "2015.md"
    write_new(target, "one", force=False)
    with pytest.raises(ImportFailure, match="--force"):
        write_new(target, "two", force=False)
    assert target.read_text() == "one"
    write_new(target, "three", force=True)
    assert target.read_text() == "three"
    assert [p.name for p in target.parent.iterdir()] == ["2015.md"]  # no temp files left
