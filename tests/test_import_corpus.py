"""Table-driven: every page of the corpus (tests/fixtures/raw, copied from ../shared) and the seed, against facts read by hand.

The expected facts live in tests/fixtures/import_expected/*.yaml (schema in its README). Each page
is imported through the real command (`--report` JSON) on a site defining all three series (the
repository's data/ and the test fixtures' Freedom in the World and Freedom on the Net definitions),
and, for per-section reference numbers and what is missing, through `parse_page`. A site without a
series' definition refuses that series' pages by name; `--partial` drafts agree with the series'
derivations.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from publisher.importer import Overrides, missing_parts, parse_page
from publisher.importer.identify import read_raw
from publisher.importer.write import section_markdown
from publisher.series import derive

from import_helpers import CORPUS, EXPECTED, SEED, all_series, all_series_data, run_import

FIXTURE_FILES = sorted(EXPECTED.glob("*.yaml"))
OTHER_SERIES_FILES = [p for p in FIXTURE_FILES if not p.stem.startswith(("nit", "seed"))]
SERIES = {s.key: s for s in all_series().series}


def _raw_path(expected: dict) -> Path:
    return SEED if expected["source"] == "seed" else CORPUS / expected["source"]


def _identity_args(expected: dict) -> list[str]:
    """Overrides only where the page itself does not say (the fixture's *_in_text flags)."""
    args = []
    if expected["outcome"] != "refused" or expected["report_type"] != "nit":
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


def _load(fixture: Path) -> dict:
    return yaml.safe_load(fixture.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def defs():
    return all_series()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_page_against_expected_facts(fixture: Path, tmp_path: Path, defs) -> None:
    expected = _load(fixture)
    raw = _raw_path(expected)
    code, out, err, entries = run_import([str(raw), "--content", str(tmp_path / "content"),
                                          *_identity_args(expected)], tmp_path, all_series_data())
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
    assert entry["series"] == expected["report_type"]
    assert entry["country"] == expected["country"]
    assert entry["edition"] == expected["edition"]
    assert entry["status"] == expected["status"]
    assert entry["scale"] == expected["scale"]
    assert {k: _num(v) for k, v in entry["scores"].items()} == \
        {k: _num(v) for k, v in _expected_scores(expected).items()}
    _check_previous(entry["previous"], expected["previous"])
    _check_changes(entry, expected)
    assert {k: _num(v) for k, v in entry["ratings"].items()} == \
        {k: _num(v) for k, v in (expected["ratings"] or {}).items()}
    _check_authors(entry["authors"], expected)
    titles = [s["title"] for s in entry["sections"]]
    assert len(titles) == len(expected["sections"]), titles
    assert all(_titles_match(g, w) for g, w in zip(titles, expected["sections"])), titles
    _check_references_and_chrome(raw, expected, defs)
    if "missing" in expected:
        _check_missing(raw, expected, defs)


def _check_missing(raw: Path, expected: dict, defs) -> None:
    """What the page lacks, each category once, under what it lacks (missing_parts' wording)."""
    report = parse_page(read_raw(raw), defs, Overrides(country=expected["country"], edition=expected["edition"]))
    parts = dict(part.split(": ", 1) for part in missing_parts(report) if ": " in part)
    named = {label: parts.get(label, "").split(", ") if label in parts else []
             for label in ("categories without section or rating", "category sections", "ratings")}
    both = named["categories without section or rating"]
    assert both + named["category sections"] == [t for t in expected["missing"]["sections"] if t in both] + \
        [t for t in expected["missing"]["sections"] if t not in both]
    assert sorted(both + named["ratings"]) == sorted(expected["missing"]["ratings"])


def _expected_scores(expected: dict) -> dict:
    """The stated scores by score key: `scores`, or a Nations in Transit page's two fields."""
    if "scores" in expected:
        return expected["scores"] or {}
    named = {"democracy-score": expected.get("democracy_score"),
             "democracy-percentage": expected.get("democracy_percentage")}
    return {k: v for k, v in named.items() if v is not None}


def _check_previous(got, want) -> None:
    """Last year's figures: every one the page states, and no other (None stands for absent)."""
    if want is None:
        assert got is None
        return
    assert got is not None
    for key in set(want) | set(got):
        assert _num(got.get(key)) == _num(want.get(key)) if key != "status" else got.get(key) == want.get(key), key


def _check_changes(entry: dict, expected: dict) -> None:
    want = expected["score_changes"]
    got = entry["score_changes"]
    if want is None:
        assert got is None
    else:
        assert [(c["category"], _num(c["from"]), _num(c["to"])) for c in got] == \
            [(c["category"], _num(c["from"]), _num(c["to"])) for c in want]
    want_ds, got_ds = expected.get("democracy_score_change"), entry.get("democracy_score_change")
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
    assert report.series.key == expected["report_type"]
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


@pytest.mark.parametrize("fixture", OTHER_SERIES_FILES, ids=lambda p: p.stem)
def test_a_site_without_the_series_definition_refuses_the_page_by_name(fixture: Path, tmp_path: Path) -> None:
    expected = _load(fixture)
    code, out, err, entries = run_import([str(_raw_path(expected)), "--content", str(tmp_path / "content"),
                                          *_identity_args(expected)], tmp_path)  # data/: NIT alone
    assert code == 1 and entries[0]["written"] is None
    assert any(f"this is a {expected['refusal_type']} page" in p for p in entries[0]["problems"]), \
        entries[0]["problems"]
    assert not list((tmp_path / "content").rglob("*.md"))


@pytest.mark.parametrize("fixture", [p for p in OTHER_SERIES_FILES if "edition_covered_year" in _load(p)],
                         ids=lambda p: p.stem)
def test_the_edition_follows_from_the_year_the_page_covers(fixture: Path, tmp_path: Path) -> None:
    expected = _load(fixture)
    args = ["--country", expected["country"]] if not expected["country_in_text"] else []
    code, out, err, entries = run_import([str(_raw_path(expected)), "--content", str(tmp_path / "content"),
                                          *args], tmp_path, all_series_data())
    assert expected["edition"] == expected["edition_covered_year"] + 1
    assert entries[0]["edition"] == expected["edition"]


@pytest.mark.parametrize("fixture", OTHER_SERIES_FILES, ids=lambda p: p.stem)
def test_partial_writes_a_draft_that_agrees_with_the_series_derivations(fixture: Path, tmp_path: Path) -> None:
    expected = _load(fixture)
    content = tmp_path / "content"
    code, out, err, entries = run_import([str(_raw_path(expected)), "--content", str(content), "--partial",
                                          *_identity_args(expected)], tmp_path, all_series_data())
    entry = entries[0]
    if not expected["draft"]:
        assert code == 1 and entry["written"] is None and "not even a draft" in err
        return
    assert code == 0, err
    written = Path(entry["written"])
    # A site of several series: reports/<series>/<country>/<edition>.md
    assert written == content / "reports" / expected["report_type"] / "kazakhstan" / f"{expected['edition']}.md" \
        or written.parent.parent.name == expected["report_type"]
    text = written.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["draft"] is True and "series" not in meta
    series = SERIES[expected["report_type"]]
    keys = {n.title: n.key for n in series.all_nodes()}
    ratings = meta["ratings"]
    assert {k: v for k, v in ratings.items() if v is not None} == expected["ratings"]
    assert {k for k, v in ratings.items() if v is None} == {keys[t] for t in expected["missing"]["ratings"]}
    for title in expected["missing"]["sections"]:
        node = series.nodes[keys[title]]
        heading = f"{node.code}. " if node.code and not node.is_group else node.title
        assert re.search(rf"^## {re.escape(heading)}.*\n\n\[missing\]\n", text, re.M), title
    stated = {k: Decimal(str(v)) for k, v in (meta.get("scores") or {}).items()}
    derived = derive(series, {k: Decimal(str(v)) for k, v in ratings.items() if v is not None}, stated)
    assert derived.problems == ()
    for key, value in stated.items():  # every stated total agrees with what the ratings give
        assert derived.values[key] == value
    if meta.get("status"):
        assert derived.status is not None and derived.status.name == meta["status"]
    assert meta.get("status") == expected["status"]
    if expected["previous"]:
        assert meta["previous"] == expected["previous"]
