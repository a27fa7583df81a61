"""Stage 3: the numbers. Score widgets, category ratings, last year's figures, score changes and
the footer's other Freedom House scores.

Widgets reach us flattened in several ways ("DEMOCRACY-SCORE Democracy Score 1.39 7",
"Democracy Score 1.32 / 7", "| 82.14 100 |", values on their own lines), so each fact is
read as: its label, then only separators, then the value and the scale's maximum.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import scores as arithmetic
from ..definitions import Definitions
from .model import OtherScore, Previous, ScoreChange
from .sections import Block

NUMBER = r"(\d{1,3}(?:\.\d{1,2})?)"
SEP = r"[\s|:/]*"


def _widget(label: str, maximum: str) -> re.Pattern:
    return re.compile(
        rf"(?<!Year's )(?<!Year’s )\b{label}\b(?:\s*\(\s*\d\s*=\s*\w+,\s*\d\s*=\s*\w+\s*\))?"
        rf"{SEP}{NUMBER}{SEP}(?:/|out of)?{SEP}(?:{maximum})?(?=\s|\||$)",
        re.I,
    )


SCORE_RE = _widget(r"Democracy[\s-]+Score", r"7(?:\.00)?")
PERCENT_RE = _widget(r"Democracy[\s-]+Percentage", r"100(?:\.00)?")
OLD_SCORE_RE = re.compile(r"Democracy Score\s*\(\s*1\s*=\s*best,\s*7\s*=\s*worst\s*\)\s*:?\s*(\d\.\d\d)", re.I)
PREVIOUS_RE = re.compile(
    r"Last Year[’']?s Democracy Percentage\s*(?:&|and)\s*Status\s*[\s|]*"
    r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*[|/]?\s*(?:100\b)?\s*[|]?\s*(?P<status>[A-Za-z][A-Za-z -]{3,60})?",
    re.I,
)
# "1.251 7.007" is the rating 1.25, then the widget's rounded value and the scale, glued on.
RATING_RE = re.compile(r"(?<![\d.])([1-7]\.\d\d)\d?\s*(?:/\s*)?7(?:\.00)?\d?(?![\d.])")
CHANGE_RE = re.compile(
    r"(?P<subject>[^.;•]{0,120}?)\s*(?:score|rating)?\s*(?:has\s+)?"
    r"(?P<verb>declined|improved|decreased|increased|worsened|fell|rose|dropped|went (?:up|down)|"
    r"deteriorated|grew|moved)\s+from\s+(?P<from>\d\.\d\d)\s+to\s+(?P<to>\d\.\d\d)",
    re.I,
)
# "remained unchanged at 4.25", or just "remained unchanged." (then it is this edition's score)
UNCHANGED_RE = re.compile(
    r"Democracy Score\s+(?:remained|remains|was|stayed|is)\s+(?:unchanged|the same|stable)"
    r"(?:\s+at\s+(\d\.\d\d))?",
    re.I,
)
OTHER_SCORE_RE = re.compile(
    r"(?P<label>(?:Global|Internet) Freedom Score|[A-Z][A-Za-z ]{2,40} Score)\s*[\n\s|]*"
    r"(?P<score>\d{1,3})\s*[|/]?\s*(?P<max>100)\s*[|]?\s*(?P<status>(?:partly |not )?free)?",
    re.I,
)
STATUS_CASE = {"free": "Free", "partly free": "Partly Free", "not free": "Not Free"}


def to_new_scale(value: Decimal) -> Decimal:
    """The pre-2020 scale (1 = most democratic) on today's (7 = most democratic)."""
    return (Decimal(8) - value).quantize(Decimal("0.01"))


def status_in(lines: list[str], definitions: Definitions) -> str | None:
    """The status line of the header: a line that is exactly a status name (any case)."""
    for line in lines:
        text = re.sub(r"^(?:Regime Classification|Regime classification|Status)\s*:\s*", "", line.strip())
        status = definitions.status_named(text.strip().rstrip("."))
        if status:
            return status.name
    return None


def header_number(pattern: re.Pattern, text: str, high: Decimal) -> Decimal | None:
    for match in pattern.finditer(text):
        value = Decimal(match.group(1))
        if Decimal(0) <= value <= high:
            return value.quantize(Decimal("0.01"))
    return None


def previous_figures(text: str, definitions: Definitions) -> Previous | None:
    match = PREVIOUS_RE.search(text)
    if not match:
        return None
    pct = arithmetic.round_whole(Decimal(match["pct"]))
    status = None
    if match["status"]:
        found = definitions.status_named(match["status"].strip())
        status = found.name if found else None
    if pct > 100:
        return None
    return Previous(pct, status)


def rating_from_section(heading_rest: str, blocks: list[Block], description: str,
                        dropped: list[str]) -> Decimal | None:
    """Find the category's rating next to its heading and remove the widget text around it.

    The rating sits on the heading line or at the end of the category's one-sentence
    description (or in a block of its own right after it); that description is page chrome
    (the build shows it from data/), so text up to the rating is dropped when it is that
    description.
    """
    match = RATING_RE.search(heading_rest)
    if match:
        return Decimal(match.group(1))
    for _ in range(2):  # the description and the widget may be one block or two
        if not blocks or blocks[0].kind != "para":
            return None
        text = blocks[0].items[0]
        match = RATING_RE.search(text[:800])
        head = text[: match.start()].strip() if match else ""
        # The widget closes the description line; wording of descriptions changed over the
        # years, so a short line ending in the widget counts even when it differs from data/.
        ends_block = bool(match) and not text[match.end():].strip()
        if match and (not head or (ends_block and len(head.split()) <= 80)
                      or _is_description(head, description)):
            dropped.append(text[: match.end()].strip())
            rest = text[match.end():].strip()
            if rest:
                blocks[0].items[0] = rest
            else:
                del blocks[0]
            return Decimal(match.group(1))
        if not _is_description(text, description):
            return None
        dropped.append(text)
        del blocks[0]
    return None


def _is_description(text: str, description: str) -> bool:
    words = lambda s: re.findall(r"[a-z]+", s.lower())
    have, want = words(text), words(description)
    if not have or not want:
        return False
    common = len(set(have) & set(want))
    return common >= 0.6 * len(set(want)) and len(have) <= 1.5 * len(want)


def old_scale_ratings(text: str, definitions: Definitions, edition: int | None) -> dict[str, Decimal]:
    """Ratings from old-scale header lines or glued ratings tables ("Civil Society5.755.50…")."""
    ratings: dict[str, Decimal] = {}
    years = _table_years(text)
    for category in definitions.categories:
        title = re.escape(category.title)
        match = re.search(rf"^\s*{title}\s*\(\s*1\s*=\s*best[^)]*\)\s*:?\s*(\d\.\d\d)\s*$", text, re.I | re.M)
        if match:
            ratings[category.key] = Decimal(match.group(1))
            continue
        row = re.search(rf"^\s*{title}\s*((?:\d\.\d\d|n/a)+)\s*$", text, re.I | re.M)
        if not row:
            continue
        values = re.findall(r"\d\.\d\d|n/a", row.group(1))
        column = len(values) - 1
        if years and edition in years and len(years) == len(values):
            column = years.index(edition)
        elif years and len(years) != len(values):
            continue  # a row that does not line up with the years is damaged; never guess
        if values[column] != "n/a":
            ratings[category.key] = Decimal(values[column])
    return ratings


def old_scale_score(text: str, edition: int | None) -> tuple[Decimal | None, Decimal | None]:
    """(this edition's, last edition's) Democracy Score on the old scale, as far as shown."""
    match = OLD_SCORE_RE.search(text)
    if match:
        return Decimal(match.group(1)), None
    row = re.search(r"^\s*Democracy Score\s*((?:\d\.\d\d|n/a)+)\s*$", text, re.I | re.M)
    if not row:
        return None, None
    values = [None if v == "n/a" else Decimal(v) for v in re.findall(r"\d\.\d\d|n/a", row.group(1))]
    years = _table_years(text)
    if years and len(years) != len(values):
        return None, None  # the row does not line up with the years: damaged, never guess
    column = years.index(edition) if years and edition in years else len(values) - 1
    return values[column], (values[column - 1] if column > 0 else None)


def _table_years(text: str) -> list[int]:
    match = re.search(r"^\s*((?:(?:19|20)\d\d){2,})\s*$", text, re.M)
    return [int(y) for y in re.findall(r"\d{4}", match.group(1))] if match else []


def table_edition(text: str) -> int | None:
    years = _table_years(text)
    return years[-1] if years else None


def score_changes(texts: list[str], definitions: Definitions, problems: list[str],
                  current: Decimal | None = None) -> tuple[list[ScoreChange], tuple[Decimal, Decimal] | None]:
    """Rating changes and the Democracy Score change stated in the score-changes section."""
    changes: list[ScoreChange] = []
    overall = None
    for text in texts:
        for match in CHANGE_RE.finditer(text):
            start, end = Decimal(match["from"]), Decimal(match["to"])
            subject = text[match.start(): match.start("verb")]
            if re.search(r"Democracy\s+Score", subject, re.I):
                overall = (start, end)
                continue
            if re.search(r"Democracy\s+Percentage", subject, re.I):
                continue
            key = category_for(subject, definitions)
            if key is None:
                problems.append(f"score change with no recognisable category: {match.group(0).strip()!r}")
                continue
            if not any(c.category == key for c in changes):
                changes.append(ScoreChange(key, start, end))
        same = UNCHANGED_RE.search(text)
        if same and overall is None:
            value = Decimal(same.group(1)) if same.group(1) else current
            overall = (value, value) if value is not None else None
    return changes, overall


def category_for(subject: str, definitions: Definitions) -> str | None:
    """The category a phrase names, tolerating short, lower-case or slightly wrong titles."""
    stems = _stems(subject)
    best, best_score = None, 0.0
    for category in definitions.categories:
        title_stems = _stems(category.title)
        common = stems & title_stems
        if not common:
            continue
        score = len(common) / len(title_stems) + len(common)
        if score > best_score:
            best, best_score = category.key, score
        elif score == best_score:
            best = None  # ambiguous ("governance" alone): better no answer than a wrong one
    return best


def _stems(text: str) -> set[str]:
    stop = {"and", "the", "this", "rating", "score", "ratings", "for", "of", "its", "s"}
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in stop and len(w) > 2}


def other_scores(footer: str) -> list[OtherScore]:
    result = []
    for match in OTHER_SCORE_RE.finditer(footer):
        label = " ".join(match["label"].split())
        label = label[0].upper() + label[1:]
        key = re.sub(r"[^a-z0-9]+", "-", re.sub(r"\s*score$", "", label, flags=re.I).lower()).strip("-")
        status = STATUS_CASE.get((match["status"] or "").lower())
        if not any(o.key == key for o in result):
            result.append(OtherScore(key, label, int(match["score"]), int(match["max"]), status))
    return result
