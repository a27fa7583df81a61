"""Fuzz targets shared by the property tests (small budget) and fuzz/run.py (large budget).

Each target takes generated input and must either succeed or fail with the tool's own clear
error (a `Problem` list); any other exception is a bug.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from conftest import ROOT, report_text
from publisher.assemble import assemble
from publisher.definitions import load_definitions
from publisher.load import load_report_file
from publisher.markdown import render_section
from publisher.model import RawSection

DEFINITIONS = load_definitions(ROOT / "data")

# Text that looks like our content: YAML and Markdown punctuation, note syntax, unicode, controls.
ALPHABET = st.sampled_from(list("abc XYZ019\n\t:-#*_[]^()!<>&\"'`~|{}%.,/\\\u00a0\u2013é\ufeff\x00\r"))
noisy_text = st.text(ALPHABET, max_size=400) | st.text(max_size=200)


def mutated_report(draw_text: str, position: int) -> str:
    """Splice generated text into a valid report, so the fuzzer reaches deep into validation."""
    base = report_text(sections={"Executive Summary": "Claim.[^1]\n\n[^1]: Source.",
                                 **{t: "Text." for t in
                                    ("National Democratic Governance", "Electoral Process", "Civil Society",
                                     "Independent Media", "Local Democratic Governance",
                                     "Judicial Framework and Independence", "Corruption")}})
    cut = position % (len(base) + 1)
    return base[:cut] + draw_text + base[cut:]


def load_one(data: bytes) -> None:
    """Loader + Markdown stage on one file's bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports" / "testland" / "2015.md"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        report, problems = load_report_file(path, Path(tmp), DEFINITIONS)
        assert all(p.line >= 0 and p.message for p in problems)
        if report is not None:
            reports, more = assemble([report])
            assert all(p.message for p in more)
            assert len(reports) == 1


REF_RE = re.compile(r'id="([^"]+)"')


def render_one(source: str) -> None:
    """Markdown stage: never raises; ids unique; every rendered reference has its note."""
    section, problems = render_section(RawSection("Civil Society", 1, source, None), "civil-society", "f.md")
    ids = REF_RE.findall(section.html)
    assert len(ids) == len(set(ids))
    note_ids = {note.note_id for note in section.footnotes}
    for href in re.findall(r'href="#([^"]+)"', section.html):
        if "-fn" in href:
            assert href in note_ids, href
    assert all(p.message for p in problems)
