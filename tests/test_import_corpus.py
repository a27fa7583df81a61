"""Table-driven: every page of the corpus (tests/fixtures/raw, copied from ../shared) and the seed, against facts read by hand.

The expected facts live in tests/fixtures/import_expected/*.yaml (schema in its README). Each page
is imported through the real command (`--report` JSON) and, for per-section reference numbers,
through `parse_page`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publisher.importer import Overrides, parse_page
from publisher.importer.identify import read_raw
from publisher.importer.write import section_markdown

from import_helpers import CORPUS, EXPECTED, SEED, definitions, run_import

FIXTURE_FILES = sorted(EXPECTED.glob("*.yaml"))
REFUSAL_WORDS = {"Freedom in the World": "Freedom in the World", "Freedom on the Net": "Freedom on the Net"}


def _raw_path(expected: dict) -> Path:
    return SEED if expected["source"] == "seed" else CORPUS / expected["source"]


def _identity_args(expected: dict) -> list[str]:
    """Overrides only where the page itself does not say (the fixture's *_in_text flags)."""
    args = []
    if expected["outcome"] != "refused":
        if expected.get("country_in_text") is False:
            args += ["--country", expected["country"]]
        if expected.get("edition_in_text") is False:
            args += ["--edition", str(expected["edition"])]
    return args


def _titles_match(got: str, want: str) -> bool:
    got, want = got.casefold(), want.casefold()
    # "Changes in 2024" may be written "Score Changes in 2024" (docs/content-format.md)
    return got == want or got.removeprefix("score ") == want.removeprefix("score ")


def _num(value):
    return None if value is None else round(float(value), 2)


@pytest.fixture(scope="module")
def defs():
    return definitions()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_page_against_expected_facts(fixture: Path, tmp_path: Path, defs) -> None:
    expected = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    raw = _raw_path(expected)
    code, out, err, entries = run_import([str(raw), "--content", str(tmp_path / "content"),
                                          *_identity_args(expected)], tmp_path)
    assert len(entries) == 1
    entry = entries[0]
    outcome = expected["outcome"]
    if outcome == "refused":
        assert code == 1 and entry["written"] is None
        assert any(expected["refusal_type"] in p for p in entry["problems"]), entry["problems"]
        assert not list((tmp_path / "content").rglob("*.md"))
        return
    if outcome == "written":
        assert code == 0, entry["problems"]
        assert entry["written"]
    else:
        assert code == 1 and entry["written"] is None
        assert any("incomplete" in p for p in entry["problems"]), entry["problems"]
        assert not list((tmp_path / "content").rglob("*.md"))
    assert entry["country"] == expected["country"]
    assert entry["edition"] == expected["edition"]
    assert entry["status"] == expected["status"]
    assert _num(entry["democracy_score"]) == _num(expected["democracy_score"])
    assert _num(entry["democracy_percentage"]) == _num(expected["democracy_percentage"])
    _check_previous(entry["previous"], expected["previous"])
    _check_changes(entry, expected)
    assert {k: _num(v) for k, v in entry["ratings"].items()} == \
        {k: _num(v) for k, v in (expected["ratings"] or {}).items()}
    _check_authors(entry["authors"], expected)
    titles = [s["title"] for s in entry["sections"]]
    assert len(titles) == len(expected["sections"]), titles
    assert all(_titles_match(g, w) for g, w in zip(titles, expected["sections"])), titles
    _check_references_and_chrome(raw, expected, defs)


def _check_previous(got, want) -> None:
    if want is None:
        assert got is None
        return
    assert got is not None
    assert got["democracy_percentage"] == want.get("democracy_percentage")
    assert got["status"] == want.get("status")
    if "democracy_score" in want:
        assert _num(got.get("democracy_score")) == _num(want["democracy_score"])


def _check_changes(entry: dict, expected: dict) -> None:
    want = expected["score_changes"]
    got = entry["score_changes"]
    if want is None:
        assert got is None
    else:
        assert [(c["category"], _num(c["from"]), _num(c["to"])) for c in got] == \
            [(c["category"], _num(c["from"]), _num(c["to"])) for c in want]
    want_ds, got_ds = expected["democracy_score_change"], entry["democracy_score_change"]
    if want_ds is None:
        assert got_ds is None
    else:
        assert got_ds is not None
        assert (_num(got_ds["from"]), _num(got_ds["to"])) == (_num(want_ds["from"]), _num(want_ds["to"]))


def _check_authors(got: list, expected: dict) -> None:
    # The fixtures call "Anonymous" the page's own attribution; we keep it as the page shows it.
    assert got == expected["authors"]


def _check_references_and_chrome(raw: Path, expected: dict, defs) -> None:
    overrides = Overrides(country=expected["country"], edition=expected["edition"])
    report = parse_page(read_raw(raw), defs, overrides)
    wanted = expected.get("section_references") or {}
    for title, numbers in wanted.items():
        section = next(s for s in report.sections if _titles_match(s.title, title))
        assert section.references == numbers, title
    if "section_notes" in expected:
        for item in expected["section_notes"]:
            section = next(s for s in report.sections if s.title == item["title"])
            assert section.references == item["reference_numbers"], item["title"]
            assert [n.number for n in section.notes if n.text] == item["notes_with_text"], item["title"]
            assert [n.number for n in section.notes if not n.text] == item["missing_notes"], item["title"]
    for title, notes in (expected.get("note_texts") or {}).items():
        section = next(s for s in report.sections if s.title == title)
        texts = {n.number: n.text for n in section.notes if n.text}
        assert texts == {int(k): v for k, v in notes.items()}, title
    assert report.scale == expected["scale"]
    others = {o.key: {"score": o.score, "max": o.max, "status": o.status} for o in report.other_scores}
    assert others == (expected.get("other_scores") or {})
    body = "\n".join(section_markdown(s) for s in report.sections)
    plain = body.replace("\\", "")
    for chrome in expected.get("chrome_to_drop") or []:
        assert chrome not in plain, chrome
    for title, sentences in (expected.get("body_must_keep") or {}).items():
        section = next(s for s in report.sections if s.title == title)
        text = " ".join(p.text for p in section.paragraphs)
        for sentence in sentences:
            assert sentence in text, (title, sentence)
