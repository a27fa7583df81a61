"""Property tests: the importer never crashes on arbitrary input, and never loses a body word,
on pages of every series (Nations in Transit on the repository's data/, Freedom in the World and
Freedom on the Net on a site of all three)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.importer.identify import decode_raw
from publisher.importer.model import ImportFailure
from publisher.importer.pipeline import Overrides, as_draft, draft_blocker, missing_parts, parse_page
from publisher.importer.write import render

from import_helpers import FIXTURES, all_series, definitions, every_note_once_and_defined, kept_words, words

DEFS = definitions()
ALL = all_series()
SERIES = {s.key: s for s in ALL.series}
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


SERIES_LINES = [
    "Partly Free", "NOT FREE", "23", "/ 100", "100", "PR Political Rights 27 40", "CL Civil Liberties 43 60",
    "Political Rights | 5 / 40 |", "Political Rights:", "Last Year's Score & Status", "72 100 Free",
    "Global freedom statuses are calculated on a weighted scale. See the methodology.",
    "header1 Overview", "Overview", "Key Developments in 2020", "Key Developments:", "Introduction:",
    "Key Developments, June 1, 2018 – May 31, 2019", "June 2014 - May 2015", "Status Change",
    "A Electoral Process", "A1 1.00-4.00 pts0-4 pts", "A1 0-4 pts", "Q 0-4 pts",
    "Was the current head of government or other chief national authority elected through free and fair "
    "elections? 0.000 4.004", "Was the current head of government or oth", "0 / 4", "| 0 / 4 |",
    "A Obstacles to Access 25 25", "Obstacles to Access", "Obstacles to Access: ", "(0 = best, 25 = worst)",
    "(0 = Best, 100 = Worst)", "2014 Freedom On the Net Total (0 = Best, 100 = Worst) 60", "Total Score: ",
    "A1 1.00-6.00 pts0-6 pts", "Do infrastructural limitations restrict access to the internet? 4.004 6.006",
    "Freedom in the World 2022 - Testland", "Freedom on the Net 2014", "Testland | Freedom House",
    "Internet freedom in Testland remained “Not Free”.", "(see A3, B1)", "since December 2011.[1] As such",
    "Aggregate Score: 22 (0 = Least Free, 100 = Most Free)", "Freedom Rating: 6.0 (1 = Most Free, 7 = Least Free)",
]


def _import(text: str, definitions=DEFS) -> None:
    """Everything `import` does short of writing; ImportFailure is the only allowed error."""
    report = parse_page(decode_raw(text.encode("utf-8")), definitions, Overrides(country="Testland", edition=2020))
    if not missing_parts(report):
        render(report)
    elif not draft_blocker(report):
        render(as_draft(report))


@given(st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_crashes(text):
    for definitions in (DEFS, ALL):
        try:
            _import(text, definitions)
        except ImportFailure as error:
            assert str(error)


@given(st.lists(st.one_of(st.sampled_from(SERIES_LINES + INTERESTING_LINES), st.text(max_size=60)), max_size=80))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_series_like_line_soup_never_crashes_on_a_site_of_several_series(lines):
    try:
        _import("\n".join(lines), ALL)
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


SERIES_PAGES = ("fiw_complete_new_layout.txt", "fotn_complete_new_layout.txt", "fotn_complete_old_layout.txt")


def import_damaged_series_page(which: int, position: int, noise: str, cut: bool = False) -> None:
    """Fuzz target: a whole Freedom in the World or Freedom on the Net page (tests/fixtures/import)
    cut off at `position` (as captures are), or with `noise` spliced in there, imported on a site
    of all three series as the command does. Only ImportFailure may come out."""
    page = (FIXTURES / SERIES_PAGES[which % len(SERIES_PAGES)]).read_text(encoding="utf-8")
    at = position % (len(page) + 1)
    damaged = page[:at] if cut else page[:at] + noise + page[at:]
    try:
        _import(damaged, ALL)
    except ImportFailure as error:
        assert str(error)


@given(st.integers(min_value=0), st.integers(min_value=0), st.text(max_size=40), st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_damaged_whole_series_page_never_crashes(which, position, noise, cut):
    import_damaged_series_page(which, position, noise, cut)


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


_words = words


@given(report_page())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_every_body_word_ends_up_in_a_section_or_a_note(generated):
    page, body = generated
    report = parse_page(page, DEFS, Overrides(edition=2020))
    kept, _ = kept_words(report)
    lost = _words("\n".join(body)) - kept
    assert not lost, lost
    assert not missing_parts(report)
    text = render(report)
    for section in report.sections:
        for note in section.notes:
            assert f"[^{note.number}]:" in text


# --- body words on pages of Freedom in the World and Freedom on the Net --------------------------

@st.composite
def series_page(draw):
    """A whole page of a series: its header widgets, then each indicator under its group, with
    its code, its widget label, its question and rating, and random body text with notes."""
    series = SERIES[draw(st.sampled_from(["fiw", "fotn"]))]
    ratings = {leaf.key: draw(st.integers(int(leaf.min), int(leaf.max))) for leaf in series.leaves()
               if not leaf.optional}
    header = ["Testland", "", series.statuses[0].name]
    for group in series.categories:
        total = sum(ratings.get(leaf.key, 0) for leaf in _leaves(group))
        header.append(f"{group.code} {group.title} {total} {group.max:f}")
    header += ["Last Year's Score & Status", f"50 100 {series.statuses[1].name}", ""]
    summary = draw(st.lists(paragraph(), min_size=1, max_size=2))
    body: list[str] = list(summary)
    parts = ["header1 Overview", "", "\n\n".join(summary), ""]
    for group in series.categories:
        parts += [f"{group.code} {group.title}", ""]
        for leaf in _leaves(group):
            if leaf.optional:
                continue
            paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=3))
            body += paragraphs
            value, top = ratings[leaf.key], int(leaf.max)
            parts += [f"{leaf.code} 1.00-{top}.00 pts0-{top} pts", f"{leaf.description} {value:.2f}{value} {top:.2f}{top}",
                      "", "\n\n".join(paragraphs), ""]
    return series, "\n".join(header + parts) + "\n", body, ratings


def _leaves(node):
    return [node] if not node.children else [leaf for child in node.children for leaf in _leaves(child)]


@given(series_page())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_no_body_word_is_lost_on_series_pages_and_no_note_is_attached_twice(generated):
    series, page, body, ratings = generated
    report = parse_page(page, ALL, Overrides(edition=2022))
    assert report.series.key == series.key
    assert {k: int(v) for k, v in report.ratings.items()} == ratings
    kept, attached = kept_words(report)
    lost = _words("\n".join(body)) - kept
    assert not lost, lost
    flat = " ".join(page.split())
    twice = {text: count for text, count in attached.items()
             if text and count > flat.count(" ".join(text.split()))}
    assert not twice, twice  # a note text is attached at most as often as the page shows it
    assert not missing_parts(report)
    every_note_once_and_defined(report, render(report))
