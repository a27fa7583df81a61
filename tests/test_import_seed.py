"""The seed (Kazakhstan NIT 2015, a whole report) through the importer, the loader and the renderer."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from publisher.importer import Overrides, parse_page
from publisher.importer.identify import read_raw
from publisher.load import load_report_file
from publisher.markdown import render_section

from import_helpers import REPO, SEED, SEED_URL, definitions, run_import

EXPECTED_REFS = {
    "National Democratic Governance": 6, "Electoral Process": 6, "Civil Society": 25,
    "Independent Media": 21, "Local Democratic Governance": 3,
    "Judicial Framework and Independence": 21, "Corruption": 13,
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed")
    code, out, err, entries = run_import([str(SEED), "--content", str(tmp / "content"),
                                          "--source-url", SEED_URL], tmp)
    assert code == 0, err
    return tmp / "content", Path(entries[0]["written"]), entries[0]


def test_committed_content_file_is_the_importers_output(imported):
    _, written, _ = imported
    committed = REPO / "content" / "reports" / "nit" / "kazakhstan" / "2015.md"
    assert committed.read_text(encoding="utf-8") == written.read_text(encoding="utf-8")


def test_loader_accepts_it_and_renders_every_reference(imported):
    content, written, entry = imported
    defs = definitions()
    source, problems = load_report_file(written, content, defs)
    assert source is not None, [str(p) for p in problems]
    assert all(p.severity == "warning" for p in problems)
    counts, with_text, warnings = {}, 0, 0
    for index, raw in enumerate(source.sections):
        section, section_problems = render_section(raw, f"s{index}", str(written))
        assert not [p for p in section_problems if p.severity == "error"]
        warnings += len(section_problems)
        if section.footnotes:
            counts[section.title] = len(section.footnotes)
        with_text += sum(1 for note in section.footnotes if note.html)
    assert counts == EXPECTED_REFS and sum(counts.values()) == 95
    assert with_text == 9
    assert warnings == 86  # the lost note texts, one warning each
    assert str(source.score) == "1.39" and str(source.scores["democracy-percentage"]) == "6.55"
    assert source.source_url == SEED_URL


def test_report_entry_for_the_seed(imported):
    _, _, entry = imported
    refs = {s["title"]: (s["references"], s["notes_with_text"], s["missing_notes"], s["orphan_notes"])
            for s in entry["sections"] if s["references"]}
    assert refs == {
        "National Democratic Governance": (6, 0, 6, 0), "Electoral Process": (6, 1, 5, 0),
        "Civil Society": (25, 0, 25, 0), "Independent Media": (21, 1, 20, 0),
        "Local Democratic Governance": (3, 3, 0, 0), "Judicial Framework and Independence": (21, 2, 19, 0),
        "Corruption": (13, 2, 11, 0),
    }


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[^\W\d_]+", text))


def test_no_word_of_the_narrative_is_lost():
    """Every word of the page is in a section, a note, the front matter or the dropped chrome."""
    raw = read_raw(SEED)
    report = parse_page(raw, definitions(), Overrides(source_url=SEED_URL))
    kept = Counter()
    for section in report.sections:
        kept += _words(section.title)
        for paragraph in section.paragraphs:
            kept += _words(paragraph.text)
        for note in section.notes:
            kept += _words(note.text or "")
        for orphan in section.orphan_notes:
            kept += _words(orphan)
    accounted = kept + _words(" ".join(report.dropped)) + _words(" ".join(report.authors))
    lost = _words(raw) - accounted
    assert not lost, lost
