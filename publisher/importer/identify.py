"""Stage 1: read the raw file, tell what kind of page it is, which scale it uses, and whose report.

Everything here works on cues the Freedom House page families share (widget labels, title lines,
report addresses), never on a particular country's sentences.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .model import ImportFailure

MAX_BYTES = 5 * 1024 * 1024  # a whole report is ~50 KB; far bigger input is not a scraped page

REPORT_TYPES = {
    "fiw": "Freedom in the World",
    "fotn": "Freedom on the Net",
}

# Each cue: (pattern, weight). Cues are searched in the page's head, where the widgets sit;
# narrative text further down may mention other reports by name.
_NIT_CUES = (
    (r"Democracy[\s-]+Score", 3),
    (r"Democracy[\s-]+Percentage", 3),
    (r"Nations in Transit", 3),
)
_FIW_CUES = (
    (r"Freedom in the World", 3),
    (r"Political Rights\W{0,6}\d", 2),
    (r"Civil Liberties\W{0,6}\d", 2),
    (r"Global freedom statuses", 2),
    (r"Last Year'?s Score\s*&\s*Status", 2),
    (r"\b(?:Aggregate Score|Freedom Rating|Freedom Status)\b", 1),
    (r"head of government or other chief national authority", 2),
    (r"^\s*(?:Free|Partly Free|Not Free)\s*$", 1),
    (r"Key Developments", 1),
)
_FOTN_CUES = (
    (r"Freedom on the Net", 3),
    (r"Obstacles to Access|Limits on Content|Violations of User Rights", 2),
    (r"Internet Penetration", 1),
    (r"Internet freedom in\b", 2),
    (r"\(see [A-Z][A-Za-z ,]+\)", 1),
    (r"^\s*(?:Free|Partly Free|Not Free)\s*$", 1),
    (r"Key Developments", 1),
)
HEAD_CHARS = 2500

OLD_SCALE_RE = re.compile(
    r"1\s*=\s*best,\s*7\s*=\s*worst|with 1 representing the highest level of democratic progress",
    re.I,
)
NEW_SCALE_RE = re.compile(
    r"7\s*=\s*best,\s*1\s*=\s*worst|with 7 representing the highest level of democratic progress",
    re.I,
)
REPORT_URL_RES = (
    re.compile(r"/country/(?P<country>[a-z0-9-]+)/nations-transit/(?P<year>\d{4})\b", re.I),
    re.compile(r"/report/nations-transit/(?P<year>\d{4})/(?P<country>[a-z0-9-]+)\b", re.I),
)
OTHER_TYPE_URL_RE = re.compile(r"/(?:freedom-world|freedom-net|freedom-in-the-world|freedom-on-the-net)/", re.I)


def read_raw(path: Path) -> str:
    """The file's text, or ImportFailure saying plainly why it cannot be a scraped page."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure("file not found") from None
    except IsADirectoryError:
        raise ImportFailure("is a directory, not a file") from None
    except OSError as error:
        raise ImportFailure(f"cannot read file: {error.strerror or error}") from None
    return decode_raw(data)


def decode_raw(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFailure(f"file is {len(data)} bytes; a scraped report page is far smaller")
    if not data.strip():
        raise ImportFailure("file is empty")
    if b"\x00" in data:
        raise ImportFailure("file is binary (it contains NUL bytes), not scraped page text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailure(f"file is not valid UTF-8 text (bad byte at offset {error.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise ImportFailure("file looks binary (many control characters), not scraped page text")
    # Non-breaking and other odd spaces become plain spaces: they are layout, never words; so
    # are page breaks. Other control characters (DEL, C1) are debris, which YAML cannot carry.
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    return re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f]", "", text)


def _cue_score(cues, head: str) -> int:
    return sum(weight for pattern, weight in cues if re.search(pattern, head, re.I | re.M))


def report_type(text: str) -> str:
    """'nit', 'fiw', 'fotn', or 'unknown', from the cues in the page's head."""
    head = text[:HEAD_CHARS]
    scores = {
        "nit": _cue_score(_NIT_CUES, head),
        "fiw": _cue_score(_FIW_CUES, head),
        "fotn": _cue_score(_FOTN_CUES, head),
    }
    best = max(scores, key=lambda k: (scores[k], k == "nit"))
    return best if scores[best] >= 3 else "unknown"


def refuse_other_type(kind: str) -> None:
    if kind in REPORT_TYPES:
        raise ImportFailure(
            f"this is a {REPORT_TYPES[kind]} page, not a Nations in Transit report; "
            "only Nations in Transit country reports can be imported"
        )
    if kind == "unknown":
        raise ImportFailure(
            "this does not look like a Nations in Transit report (no Democracy Score, "
            "Democracy Percentage or 'Nations in Transit' title found)"
        )


def detect_scale(text: str) -> str:
    """'old' for the pre-2020 scale (1 = best), 'new' otherwise; refuses a page stating both."""
    old, new = OLD_SCALE_RE.search(text), NEW_SCALE_RE.search(text)
    if old and new:
        raise ImportFailure(
            "the page states both the old scale (1 = best) and the new one (7 = best); "
            "refusing rather than mixing them"
        )
    return "old" if old else "new"


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def country_from_slug(slug: str, known: tuple[str, ...] = ()) -> str:
    """A country's display name from an address slug: a known name if one matches."""
    for name in known:
        if slugify(name) == slug.lower():
            return name
    small = {"and", "of", "the"}
    words = slug.lower().split("-")
    return " ".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))


@dataclass
class UrlIdentity:
    country: str | None
    edition: int | None
    other_type: bool = False


def identity_from_url(url: str | None, known: tuple[str, ...] = ()) -> UrlIdentity:
    """Country and edition from a report address; `known`: the covered countries' names."""
    if not url:
        return UrlIdentity(None, None)
    for pattern in REPORT_URL_RES:
        match = pattern.search(url)
        if match:
            return UrlIdentity(country_from_slug(match["country"], known), int(match["year"]))
    return UrlIdentity(None, None, bool(OTHER_TYPE_URL_RE.search(url)))


_NAME = r"[A-Z][\w'’.-]*(?: (?:and|of|the|[A-Z][\w'’.-]*)){0,3}"
_TITLE_RES = (
    re.compile(rf"^\s*Nations in Transit (?P<year>\d{{4}})\s*[-–—:|]\s*(?P<country>{_NAME})\s*$", re.M),
    re.compile(rf"^\s*(?P<country>{_NAME})\s*[-–—:|]\s*Nations in Transit (?P<year>\d{{4}})\s*$", re.M),
)
_COUNTRY_CUES = (
    re.compile(rf"^\s*On (?P<country>{_NAME})\s*\n\s*\n?\s*See all data", re.M),
    re.compile(rf"\bAs a result, (?P<country>{_NAME})[’']s? Democracy Score"),
    re.compile(rf"\bThe full (?P<country>{_NAME}) (?:country )?report"),
    re.compile(rf"\b(?P<country>{_NAME})[’']s (?:rating for|[a-z ]{{3,60}} rating (?:remains|stagnates|declined|improved))"),
)
_EDITION_CUES = (
    re.compile(r"^\s*(?:header\d+\s+)?(?:Score |Status |Ratings? )?Changes in (?P<year>\d{4})\b", re.M | re.I),
    re.compile(r"\bNo (?:score |status )?changes in (?P<year>\d{4})\b", re.I),
    re.compile(r"^\s*Nations in Transit (?P<year>\d{4})\b", re.M),
    re.compile(r"^\s*(?P<year>\d{4}) Scores\s*$", re.M),
    re.compile(r"^\s*(?:header\d+\s+)?Outlook for (?P<year>\d{4})\b", re.M | re.I),
)


def _plausible_name(name: str, statuses: set[str]) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 4
        and name.casefold() not in statuses
        and not re.search(r"\d|Nations in Transit|Freedom|Democracy|Score|Status|Summary", name)
    )


def country_from_text(text: str, status_names: set[str],
                      known: tuple[str, ...] = ()) -> tuple[str | None, bool]:
    """(country, strong): strong when a structural cue names it (title line, footer, "As a
    result, X's Democracy Score", "X remained a consolidated ..."), weak when only counted
    (among the `known` country names)."""
    for pattern in _TITLE_RES:
        match = pattern.search(text)
        if match and _plausible_name(match["country"], status_names):
            return match["country"], True
    first = _title_line(text, status_names)
    if first:
        return first, True
    statuses = "|".join(re.escape(s) for s in sorted(status_names, key=len, reverse=True))
    cues = _COUNTRY_CUES + (
        re.compile(rf"\b(?P<country>{_NAME}) (?:remained|remains|is|was|became) an? (?:{statuses})\b", re.I),
    )
    for pattern in cues:
        for match in pattern.finditer(text):
            name = match["country"]
            if _plausible_name(name, status_names) and name[0].isupper():
                return name, True
    return _most_named_country(text, known), False


def _most_named_country(text: str, known: tuple[str, ...]) -> str | None:
    """Last resort: the covered country the text names clearly most often (possessives count
    double: a report says "Estonia's institutions" about its own country)."""
    if len(known) < 2:
        return None
    scores = []
    for country in known:
        plain = len(re.findall(rf"\b{re.escape(country)}\b", text))
        possessive = len(re.findall(rf"\b{re.escape(country)}[’']s\b", text))
        scores.append((plain + 2 * possessive, country))
    scores.sort(reverse=True)
    (best, country), (second, _) = scores[0], scores[1]
    return country if best >= 2 and best >= 2 * second else None


def _title_line(text: str, status_names: set[str]) -> str | None:
    """A first line that is just a name, followed within a few lines by the status line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:4]
    if len(lines) < 2 or not _plausible_name(lines[0], status_names):
        return None
    if not re.fullmatch(_NAME, lines[0]):
        return None
    following = {line.casefold() for line in lines[1:]}
    return lines[0] if following & status_names else None


def edition_from_text(text: str) -> int | None:
    for pattern in _EDITION_CUES:
        match = pattern.search(text)
        if match:
            year = int(match["year"])
            if 1990 <= year <= 2100:
                return year
    return None
