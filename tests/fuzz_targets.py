"""Fuzz targets shared by the property tests (small budget) and fuzz/run.py (large budget).

Each target takes generated input and must either succeed or fail with the tool's own clear
error (a `Problem` list); any other exception is a bug.
"""
from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path
from typing import Any, Iterator

from hypothesis import strategies as st

from conftest import nit_definitions, report_text
from publisher import charset
from publisher.assemble import assemble
from publisher.load import load_report_file
from publisher.markdown import render_section
from publisher.model import RawSection

DEFINITIONS = nit_definitions()

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
        assert all(len(p.message) < 2000 for p in problems)  # a huge value is cut, not quoted whole
        assert report is not None or any(p.severity == "error" for p in problems)  # never dropped silently
        if report is not None:
            check_loaded(report)
            reports, more = assemble([report], DEFINITIONS)
            assert all(p.message for p in more)
            assert len(reports) == 1


def check_loaded(report) -> None:
    """What a loaded report promises: no text the feed or a page could not hold, every rating
    on its category's scale."""
    for text in _texts(report):
        assert charset.first_forbidden(text) is None, repr(text)
    for key, rating in report.ratings.items():
        category = DEFINITIONS.category(key)
        assert category.min <= rating <= category.max
        assert ((rating - category.min) / category.step) % 1 == 0, rating


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)


# Values that have broken loaders: numbers of every spelling and size, escapes making any
# code point (controls, surrogates, separators), deep nesting.
ESCAPE = st.one_of(
    st.sampled_from(["\\0", "\\a", "\\b", "\\t", "\\n", "\\v", "\\f", "\\r", "\\e", "\\ ",
                     '\\"', "\\/", "\\\\", "\\N", "\\_", "\\L", "\\P", "\\q", "\\x4", "\\u12"]),
    st.integers(0, 0xFF).map(lambda c: f"\\x{c:02x}"),
    st.integers(0, 0xFFFF).map(lambda c: f"\\u{c:04x}"),
    st.integers(0, 0x10FFFF).map(lambda c: f"\\U{c:08x}"),
)
escaped_text = st.lists(st.one_of(ESCAPE, st.text(alphabet="ab -'", max_size=3)), max_size=8).map(
    lambda parts: '"' + "".join(parts) + '"')
numberish = st.one_of(
    st.floats().map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.decimals().map(str),
    st.integers(1, 6000).map(lambda n: "7" * n),
    st.sampled_from(["1e99", "-1E+400", "1.0e+308", ".inf", "-.inf", ".nan", "1_000", "0x1F", "0o17",
                     "0b11", "1:30", "190:20:30", "1,50", "1.255", "+1.5", "2015-02-30", "~", "null",
                     "yes", "no", "'3.00'", "[]", "{}", "!!int 3", "&a 3", "*a"]),
)
nested = st.one_of(st.integers(1, 25_000).map(lambda n: "[" * n + "]" * n),
                   st.integers(1, 5_000).map(lambda n: "{a: " * n + "1" + "}" * n),
                   st.integers(1, 5_000).map(lambda n: "[" * n))
hostile_value = st.one_of(escaped_text, numberish, nested)

VALUE_PLACES = {
    "country": lambda v: ("country: Testland", f"country: {v}"),
    "edition": lambda v: ("edition: 2015", f"edition: {v}"),
    "rating": lambda v: ("civil-society: 3.00", f"civil-society: {v}"),
    "summary": lambda v: ("ratings:", f"summary: {v}\nratings:"),
    "democracy_score": lambda v: ("ratings:", f"democracy_score: {v}\nratings:"),
    "previous": lambda v: ("ratings:", f"previous:\n  democracy_percentage: {v}\n  status: {v}\nratings:"),
    "authors": lambda v: ("ratings:", f"authors:\n  - {v}\nratings:"),
    "other_scores": lambda v: ("ratings:", f"other_scores:\n  global-freedom:\n    label: {v}\n"
                                           f"    score: {v}\n    max: 100\nratings:"),
    "score_changes": lambda v: ("ratings:", f"score_changes:\n  - category: civil-society\n"
                                            f"    from: {v}\n    to: 3.00\nratings:"),
    "source": lambda v: ("ratings:", f"source:\n  url: {v}\n  note: {v}\nratings:"),
    "draft": lambda v: ("ratings:", f"draft: {v}\nratings:"),
}
value_place = st.sampled_from(sorted(VALUE_PLACES))


def load_value(place: str, value: str) -> None:
    """Loader on a valid report with one hostile value written into one field."""
    old, new = VALUE_PLACES[place](value)
    load_one(report_text().replace(old, new, 1).encode("utf-8", "surrogatepass"))


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


# --- the build cache: any bytes in an entry file are a value or a bad entry, never a crash -----

def _sample_entry() -> bytes:
    """A real report entry: the kind of value the cache holds most."""
    from publisher.store import encode_entry

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports" / "testland" / "2015.md"
        path.parent.mkdir(parents=True)
        path.write_text(mutated_report("", 0), encoding="utf-8")
        report, problems = load_report_file(path, Path(tmp), DEFINITIONS)
    return encode_entry("reports", "key", (report, problems, None, []))


SAMPLE_ENTRY = _sample_entry()


def decode_damaged(position: int, garbage: bytes, keep_header: bool) -> None:
    """An entry file damaged anywhere (bytes replaced, cut short, the header rewritten to
    match): `decode_entry` returns a value or raises BadEntry, nothing else."""
    from publisher.store import BadEntry, decode_entry

    data = SAMPLE_ENTRY
    cut = position % (len(data) + 1)
    damaged = data[:cut] + garbage + data[cut + len(garbage):]
    if keep_header:  # a forged entry whose checksum matches its (damaged) body
        import json

        from publisher.fingerprints import CACHE_FORMAT, digest

        body = damaged.partition(b"\n")[2]
        header = {"format": CACHE_FORMAT, "kind": "reports", "key": "key",
                  "checksum": digest(body)}
        damaged = json.dumps(header).encode() + b"\n" + body
    try:
        decode_entry(damaged, "reports", "key")
    except BadEntry:
        pass
