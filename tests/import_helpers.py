"""Shared helpers for the importer tests: where the raw pages are, and running the CLI."""
from __future__ import annotations

import io
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path


from conftest import data_folder, nit_definitions
from publisher.definitions import load_definitions
from publisher.importer.cli import main

REPO = Path(__file__).resolve().parents[1]
# Copies of ../shared/seeds and ../shared/corpus, kept in the repository so the tests run on any clone.
RAW = REPO / "tests" / "fixtures" / "raw"
SEED = RAW / "seeds" / "000_b3f4ee3caedc6501.txt"
CORPUS = RAW / "corpus"
EXPECTED = REPO / "tests" / "fixtures" / "import_expected"
FIXTURES = REPO / "tests" / "fixtures" / "import"
SERIES_DEFINITIONS = REPO / "data" / "series"  # Nations in Transit, Freedom in the World, Freedom on the Net
SEED_URL = "https://freedomhouse.org/country/kazakhstan/nations-transit/2015"


def definitions():
    """The definitions of a Nations in Transit site (the seed's series)."""
    return nit_definitions()


def all_series_data() -> Path:
    """The repository's data/ folder: every series definition."""
    return REPO / "data"


@cache
def all_series():
    """The definitions of a site with every series."""
    return load_definitions(all_series_data())


def run_import(args: list[str], tmp_path: Path, data: Path | None = None) -> tuple[int, str, str, list[dict]]:
    """Run the import command; return (exit code, stdout, stderr, report entries)."""
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)  # the command never replaces it without --force; it is ours
    out, err = io.StringIO(), io.StringIO()
    code = main([*args, "--data", str(data or data_folder()), "--report", str(report)], out=out, err=err)
    entries = json.loads(report.read_text(encoding="utf-8")) if report.exists() else []
    return code, out.getvalue(), err.getvalue(), entries


def words(text: str) -> Counter:
    """The words of a text, case folded, numbers aside."""
    return Counter(w.casefold() for w in re.findall(r"[^\W\d_]+", text))


def kept_words(report) -> tuple[Counter, Counter]:
    """(every word the report keeps: body, note texts, orphan note texts; how often each note
    text is attached to a reference)."""
    kept: Counter = Counter()
    attached: Counter = Counter()
    for section in report.sections:
        for paragraph in section.paragraphs:
            kept += words(paragraph.text)
        for note in section.notes:
            kept += words(note.text or "")
            attached[note.text] += bool(note.text)
        for orphan in section.orphan_notes:
            kept += words(orphan)
    return kept, attached


def every_note_once_and_defined(report, text: str) -> None:
    """Each section lists a note number once, and the rendered text defines each one."""
    for section in report.sections:
        numbers = [n.number for n in section.notes]
        assert len(numbers) == len(set(numbers)), section.title
        for number in numbers:
            assert f"[^{number}]:" in text
