"""Property tests: the importer never crashes on arbitrary input, and never loses a body word."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.importer.identify import decode_raw
from publisher.importer.model import ImportFailure
from publisher.importer.pipeline import Overrides, missing_parts, parse_page
from publisher.importer.write import render

from import_helpers import definitions

DEFS = definitions()
CATEGORIES = [c.title for c in DEFS.categories]
HEADER = (
    "Testland\n\nSemi-Consolidated Democracy\n"
    "DEMOCRACY-PERCENTAGE Democracy Percentage 54.17 100\nDEMOCRACY-SCORE Democracy Score 4.25 7\n"
    "Last Year's Democracy Percentage & Status\n54 100 Semi-Consolidated Democracy\n"
    "The ratings are based on a scale of 1 to 7, with 7 representing the highest level of democratic "
    "progress and 1 the lowest. See the methodology.\n\nheader1 Executive Summary\n\n"
)
INTERESTING_LINES = [
    "header1 Executive Summary", "Score changes in 2020", "Outlook for 2021.", "Note", "On Testland",
    "See all data, scores & information on this country or territory.", "See More", "Croatia_hero",
    "  • Global Freedom Score", "    23 100 not free", "  • 1President, 2013, http://x.example/a.",
    "  • 27,632,000 people.", "Author: Jane Roe", "header2 Authors", "  • Jane Roe", "By Jane Roe",
    "DEMOCRACY-SCORE Democracy Score 1.39 7", "Democracy Percentage 5.36 / 100",
    "Last Year's Democracy Percentage & Status", "7 100 Consolidated Authoritarian Regime",
    "Democracy Score (1 = best, 7 = worst): 6.61", "Civil Society5.755.50", "200720082009",
    "Civil Society rating declined from 1.50 to 1.25.", "As a result, X’s Democracy Score declined from 1.36 to 1.32.",
    "The ratings reflect the consensus of Freedom House. Body text.", "http://example.org/a?b=1. body goes on.2",
    "It takes time.1 In 20142 the sentence2 and torture. 3", "[^1]: [missing]", "1. # * _ [ ] < > | ~ `",
    "", "", "",
] + [f"{t} 1.00-7.00 pts0-7 pts" for t in CATEGORIES] + ["Considers things. 1.251 7.007"]


def _import(text: str) -> None:
    """Everything `import` does short of writing; ImportFailure is the only allowed error."""
    report = parse_page(decode_raw(text.encode("utf-8")), DEFS)
    if not missing_parts(report):
        render(report)


@given(st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_crashes(text):
    try:
        _import(text)
    except ImportFailure as error:
        assert str(error)


@given(st.lists(st.one_of(st.sampled_from(INTERESTING_LINES), st.text(max_size=60)), max_size=80))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_report_like_line_soup_never_crashes(lines):
    try:
        _import("\n".join(lines))
        _import(HEADER + "\n".join(lines))
    except ImportFailure as error:
        assert str(error)


# --- body words ------------------------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüßčłø", min_size=2, max_size=9)
NUMBER = st.sampled_from(["1.6", "16/12", "2014", "$5,000", "27,632,000", "An-72", "14", "2013–20", "3.50"])
PUNCT = st.sampled_from(["", "", "", ".", ",", ";", ":", ")", "”", ".”"])


@st.composite
def token(draw):
    if draw(st.integers(0, 9)) == 0:
        return draw(NUMBER)
    word = draw(WORD)
    if draw(st.booleans()):
        word = word.capitalize()
    glue = draw(st.sampled_from(["", "", "", "", str(draw(st.integers(1, 30))), " " + str(draw(st.integers(1, 30)))]))
    return word + draw(PUNCT) + glue


@st.composite
def paragraph(draw):
    kind = draw(st.integers(0, 9))
    words = " ".join(draw(st.lists(token(), min_size=4, max_size=30)))
    if kind == 0:  # a citation spliced onto the start of the next paragraph
        return f"{draw(WORD).capitalize()} {draw(WORD)}, 2014, http://{draw(WORD)}.example/{draw(WORD)}. {words}"
    if kind == 1:  # a bare URL line
        return f"http://{draw(WORD)}.example/{draw(WORD)}/{draw(st.integers(1, 999))}."
    if kind == 2:  # a numbered note list
        items = draw(st.lists(st.text(alphabet="abcdefgh ,.", min_size=3, max_size=30), min_size=1, max_size=4))
        return "\n".join(f"  • {i + 1}{draw(WORD).capitalize()} {item}" for i, item in enumerate(items))
    return words.strip()


@st.composite
def report_page(draw):
    sections = []
    body: list[str] = []
    summary = draw(st.lists(paragraph(), min_size=1, max_size=3))
    body += summary
    for title in CATEGORIES:
        paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=5))
        body += paragraphs
        rating = draw(st.sampled_from(["1.25", "2.50", "4.75", "6.00"]))
        sections.append(f"{title} 1.00-7.00 pts0-7 pts\nA category description. {rating}4 7.007\n\n"
                        + "\n\n".join(paragraphs))
    page = HEADER + "\n\n".join(summary) + "\n\n" + "\n\n".join(sections) + "\n"
    return page, body


def _words(text: str) -> Counter:
    return Counter(w.casefold() for w in re.findall(r"[^\W\d_]+", text))


@given(report_page())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_every_body_word_ends_up_in_a_section_or_a_note(generated):
    page, body = generated
    report = parse_page(page, DEFS, Overrides(edition=2020))
    kept = Counter()
    for section in report.sections:
        for paragraph_ in section.paragraphs:
            kept += _words(paragraph_.text)
        for note in section.notes:
            kept += _words(note.text or "")
        for orphan in section.orphan_notes:
            kept += _words(orphan)
    lost = _words("\n".join(body)) - kept
    assert not lost, lost
    assert not missing_parts(report)
    text = render(report)
    for section in report.sections:
        for note in section.notes:
            assert f"[^{note.number}]:" in text
