"""Stage 3: the numbers. Score widgets, category ratings (groups in the header, indicators and
categories in their sections), last year's figures, score changes and the footer's other
Freedom House scores.

Widgets reach us flattened in several ways ("DEMOCRACY-SCORE Democracy Score 1.39 7",
"Democracy Score 1.32 / 7", "| 82.14 100 |", "PR Political Rights 24 40", "Political Rights | 5 /
40 |", values on their own lines, "Obstacles to Access (0 = best, 25 = worst) 15"), so each fact
is read as: its label (from the series definition), then only separators, then the value and the
scale's maximum. Which labels, maxima and scales: all from the definition.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import scores as arithmetic
from ..series import CategoryNode, ScoreDef, Series
from .identify import phrase
from .model import OtherScore, Previous, ScoreChange
from .sections import Block

NUMBER = r"(-?\d{1,3}(?:\.\d{1,2})?)"
SEP = r"[\s|:/]*"
# "(0 = best, 25 = worst)": a scale label, its two ends captured
SCALE_LABEL = r"\(\s*(?P<{0}a>-?\d+)\s*=\s*[A-Za-z ]+?,\s*(?P<{0}b>-?\d+)\s*=\s*[A-Za-z ]+?\s*\)"
TOTAL_WORDS = r"(?:Aggregate|Overall|Total)[\s-]+Score"  # how pages name a series' headline total
CHANGE_RE = re.compile(
    r"(?P<subject>[^.;•]{0,120}?)\s*(?:score|rating)?\s*(?:has\s+)?"
    r"(?P<verb>declined|improved|decreased|increased|worsened|fell|rose|dropped|went (?:up|down)|"
    r"deteriorated|grew|moved)\s+from\s+(?P<from>\d\.\d\d)\s+to\s+(?P<to>\d\.\d\d)",
    re.I,
)
OTHER_SCORE_RE = re.compile(
    r"(?P<label>(?:Global|Internet) Freedom Score|[A-Z][A-Za-z ]{2,40} Score)\s*[\n\s|]*"
    r"(?P<score>\d{1,3})\s*[|/]?\s*(?P<max>100)\s*[|]?\s*(?P<status>(?:partly |not )?free)?",
    re.I,
)
STATUS_CASE = {"free": "Free", "partly free": "Partly Free", "not free": "Not Free"}


def shown(number: Decimal) -> str:
    """A scale's end as pages print it: "7" for 7.00, "0.5" for 0.50."""
    return f"{number.normalize():f}"


def places(value: Decimal | None) -> int:
    return max(0, -value.normalize().as_tuple().exponent) if value is not None else 0


def node_places(node: CategoryNode) -> int:
    """How many decimals a category's values have: its step's (a group: its parts')."""
    if node.step is not None:
        return max(places(node.step), places(node.min), places(node.max))
    return max(node_places(child) for child in node.children)


def to_new_scale(value: Decimal, low: Decimal, high: Decimal, decimals: int) -> Decimal:
    """A value published on an inverted scale, on today's: new = min + max - old."""
    return (low + high - value).quantize(Decimal(1).scaleb(-decimals))


def status_in(lines: list[str], series: Series) -> str | None:
    """The status line of the header: a line that is exactly a status name (any case), perhaps
    after its label ("Status:", "Regime Classification:", "Freedom Status:", words of the series'
    name before "Status"; never another report's, such as "Press Freedom Status: Not Free")."""
    own = set(series.name.casefold().split())
    for line in lines:
        text = line.strip()
        label = re.match(r"^(?:Regime Classification|(?P<words>[A-Za-z ]*?)\s*Status)\s*:\s*", text, re.I)
        if label:
            if label["words"] and not set(label["words"].casefold().split()) <= own:
                continue
            text = text[label.end():]
        status = series.status_named(text.strip().rstrip("."))
        if status:
            return status.name
    return None


# --- scores ----------------------------------------------------------------------------------

def score_pattern(score: ScoreDef, series: Series) -> re.Pattern:
    """A score's widget: its title (or its key in words, "Total Score"), perhaps after the
    series' name and a year ("2014 Freedom On the Net Total"), a scale label, the value, the
    scale's top."""
    labels = [phrase(score.title)]
    words = score.key.replace("-", " ")
    if words.casefold() != score.title.casefold():
        labels.append(phrase(words) + r"(?:[\s-]+Score)?")
    if series.headline and score.key == series.headline[0]:
        labels.append(TOTAL_WORDS)
    top = rf"{re.escape(shown(score.max))}(?:\.00)?" if score.max is not None else r"\d{1,3}"
    return re.compile(
        rf"(?<!Year's )(?<!Year’s )(?:(?P<year>\d{{4}})\s+)?(?:{phrase(series.name)}[\s-]+)?"
        rf"(?:{'|'.join(labels)})(?:\s*{SCALE_LABEL.format('s')})?"
        rf"{SEP}{NUMBER}{SEP}(?:/|out of)?{SEP}(?:{top})?(?=\s|\||$)",
        re.I,
    )


def score_widgets(text: str, series: Series, edition: int | None) -> tuple[dict[str, Decimal],
                                                                          dict[str, Decimal]]:
    """(this edition's, last edition's) scores the widgets state, by score key, as printed.

    A widget naming a year ("2013 Freedom On the Net Total ... 59") is last edition's when the
    year is the one before; a big whole number on its own line over the scale's top ("23" then
    "/ 100") is the headline score when that score is shown in whole numbers."""
    current: dict[str, Decimal] = {}
    previous: dict[str, Decimal] = {}
    for score in series.scores:
        low = score.min if score.min is not None else Decimal(0)
        for match in score_pattern(score, series).finditer(text):
            value = Decimal(match.group(match.re.groups))
            if not low <= value <= (score.max if score.max is not None else Decimal(10**6)):
                continue
            year = int(match["year"]) if match["year"] else None
            value = value.quantize(Decimal(1).scaleb(-score.decimals))
            if year is None or edition is None or year == edition:
                current.setdefault(score.key, value)
            elif year == edition - 1:
                previous.setdefault(score.key, value)
    headline = series.score(series.headline[0]) if series.headline else None
    if headline is not None and headline.key not in current and headline.decimals == 0 \
            and headline.max is not None:
        match = re.search(rf"^\s*(-?\d{{1,3}})\s*\n\s*(?:/\s*)?{re.escape(shown(headline.max))}\s*$",
                          text, re.M)
        if match:
            current[headline.key] = Decimal(match.group(1))
    return current, previous


# --- categories in the header ------------------------------------------------------------------

def group_pattern(node: CategoryNode) -> re.Pattern:
    """A group's widget: "PR Political Rights 24 40", "Political Rights | 5 / 40 |", "Obstacles
    to Access: 14 (0 = Best, 25 = Worst)"; its value, and its scale's top however printed."""
    code = rf"(?:{re.escape(node.code)}\s+)?" if node.code else ""
    return re.compile(
        rf"(?<![\w]){code}{phrase(node.title)}\s*(?:{SCALE_LABEL.format('p')})?[\s|:]*"
        r"(?P<value>-?\d{1,3})(?![\d.]|\s*=)"
        r"(?:[ \t|]*(?:/|out of)?[ \t]*(?P<max>\d{1,3})(?![\d.]|\s*=))?"
        rf"[\s|]*(?:{SCALE_LABEL.format('q')})?",
        re.I,
    )


def group_widgets(text: str, series: Series) -> dict[str, Decimal]:
    """Group ratings the header's widgets state (as printed), by category key. A widget counts
    only when it shows the group's scale top (so "Political Rights: 7", a 1-7 rating, is not
    read as 7 points of 40)."""
    found: dict[str, Decimal] = {}
    for node in series.all_nodes():
        if not node.is_group:
            continue
        for match in group_pattern(node).finditer(text):
            tops = [int(match[k]) for k in ("max", "pa", "pb", "qa", "qb") if match[k]]
            value = Decimal(match["value"])
            if int(node.max) in tops and node.min <= value <= node.max:
                found.setdefault(node.key, value)
                break
    return found


def previous_pattern(series: Series) -> re.Pattern:
    """"Last Year's Democracy Percentage & Status / 54 100 Semi-Consolidated Democracy", "Last
    Year's Score & Status / 23 / 100 Not Free": the label names a score, or says just "Score"
    (the headline one)."""
    return re.compile(
        r"Last Year[’']?s\s+(?P<label>[A-Za-z -]{0,40}?)\s*(?:&|and)\s*Status\s*[\s|]*"
        r"(?P<value>-?\d{1,3}(?:\.\d+)?)\s*[|/]?\s*(?:\d{1,3}\b)?\s*[|]?\s*"
        r"(?P<status>[A-Za-z][A-Za-z -]{3,60})?",
        re.I,
    )


def previous_figures(text: str, series: Series) -> Previous | None:
    match = previous_pattern(series).search(text)
    if not match:
        return None
    label = " ".join(match["label"].split())
    score = next((s for s in series.scores if re.fullmatch(phrase(s.title), label, re.I)), None)
    if score is None and re.fullmatch(r"(?:Total |Aggregate |Overall )?Score", label, re.I) \
            and series.headline:
        score = series.score(series.headline[0])
    if score is None:
        return None
    value = arithmetic.round_whole(Decimal(match["value"]))  # pages show it whole
    low = score.min if score.min is not None else Decimal(0)
    if score.max is not None and not low <= value <= score.max:
        return None
    status = None
    if match["status"]:
        found = series.status_named(match["status"].strip())
        status = found.name if found else None
    return Previous({score.key: value}, status)


def rating_pattern(node: CategoryNode) -> re.Pattern:
    """A category's rating as its widget prints it: "1.251 7.007" (the rating 1.25, then the
    widget's rounded value and the scale's top, glued on), "4.75 / 7", "0.000 4.004", and, on
    a whole-point scale, "0 / 4"."""
    top = re.escape(shown(node.max))
    glued = rf"(?<![\d.])(-?\d{{1,3}}\.\d\d)\d?\s*(?:/\s*)?{top}(?:\.00)?\d?(?![\d.])"
    if node.step is not None and node.step == node.step.to_integral_value():
        return re.compile(rf"{glued}|(?<![\d.])(-?\d{{1,3}})\s*(?:/|out of)\s*{top}(?:\.00)?(?![\d.])")
    return re.compile(glued)


def find_rating(text: str, node: CategoryNode) -> re.Match | None:
    """The first rating widget in `text` on the category's scale."""
    for match in rating_pattern(node).finditer(text):
        value = Decimal(next(g for g in match.groups() if g is not None))
        if node.min <= value <= node.max:
            return match
    return None


def rating_value(match: re.Match) -> Decimal:
    return Decimal(next(g for g in match.groups() if g is not None))


def rating_from_section(heading_rest: str, blocks: list[Block], node: CategoryNode,
                        dropped: list[str]) -> Decimal | None:
    """Find the category's rating next to its heading and remove the widget text around it.

    The rating sits on the heading line or at the end of the category's one-sentence
    description (or in a block of its own right after it); that description is page chrome
    (the build shows it from data/), so text up to the rating is dropped when it is that
    description.
    """
    description = node.description
    match = find_rating(heading_rest, node)
    if match:
        return rating_value(match)
    for _ in range(2):  # the description and the widget may be one block or two
        if not blocks or blocks[0].kind != "para":
            return None
        text = blocks[0].items[0]
        match = find_rating(text[:800], node)
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
            return rating_value(match)
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


def _value(node_places_: int) -> str:
    """A value as a table prints it: fixed decimals, so glued values can be told apart."""
    return rf"-?\d{{1,3}}\.\d{{{node_places_}}}" if node_places_ else r"-?\d{1,3}"


def table_ratings(text: str, series: Series, edition: int | None) -> dict[str, Decimal]:
    """Ratings from labelled header lines ("Civil Society (1 = best, 7 = worst): 6.50") or
    glued ratings-history tables ("Civil Society5.755.50…": one column per edition, the years
    on a line of their own), as printed."""
    ratings: dict[str, Decimal] = {}
    years = _table_years(text)
    for category in series.leaves():
        title = re.escape(category.title)
        decimals = node_places(category)
        value = _value(decimals)
        match = re.search(rf"^\s*{title}\s*\([^)]*=[^)]*\)\s*:?\s*({value})\s*$", text, re.I | re.M)
        if match:
            ratings[category.key] = Decimal(match.group(1))
            continue
        if not decimals:
            continue  # whole numbers glued together cannot be told apart
        row = re.search(rf"^\s*{title}\s*((?:{value}|n/a)+)\s*$", text, re.I | re.M)
        if not row:
            continue
        values = re.findall(rf"{value}|n/a", row.group(1))
        column = len(values) - 1
        if years and edition in years and len(years) == len(values):
            column = years.index(edition)
        elif years and len(years) != len(values):
            continue  # a row that does not line up with the years is damaged; never guess
        if values[column] != "n/a":
            ratings[category.key] = Decimal(values[column])
    return ratings


def table_scores(text: str, series: Series, edition: int | None) -> tuple[dict[str, Decimal],
                                                                          dict[str, Decimal]]:
    """(this edition's, last edition's) scores from a glued ratings-history table row
    ("Democracy Score6.616.61…"), as printed."""
    current: dict[str, Decimal] = {}
    previous: dict[str, Decimal] = {}
    years = _table_years(text)
    for score in series.scores:
        if not score.decimals:
            continue
        value = _value(score.decimals)
        title = r"[\s-]+".join(re.escape(word) for word in score.title.split())  # values glued on
        row = re.search(rf"^\s*{title}\s*((?:{value}|n/a)+)\s*$", text, re.I | re.M)
        if not row:
            continue
        values = [None if v == "n/a" else Decimal(v) for v in re.findall(rf"{value}|n/a", row.group(1))]
        if years and len(years) != len(values):
            continue  # the row does not line up with the years: damaged, never guess
        column = years.index(edition) if years and edition in years else len(values) - 1
        if values[column] is not None:
            current[score.key] = values[column]
        if column > 0 and values[column - 1] is not None:
            previous[score.key] = values[column - 1]
    return current, previous


def _table_years(text: str) -> list[int]:
    match = re.search(r"^\s*((?:(?:19|20)\d\d){2,})\s*$", text, re.M)
    return [int(y) for y in re.findall(r"\d{4}", match.group(1))] if match else []


def table_edition(text: str) -> int | None:
    years = _table_years(text)
    return years[-1] if years else None


def score_changes(texts: list[str], series: Series, problems: list[str], changing: tuple[str, ...] = (),
                  current: dict[str, Decimal] | None = None
                  ) -> tuple[list[ScoreChange], tuple[str, Decimal, Decimal] | None]:
    """Rating changes, and the change of a score in `changing` (keys of the scores whose change
    a report states: Nations in Transit's Democracy Score), stated in the score-changes section."""
    current = current or {}
    changes: list[ScoreChange] = []
    overall = None
    titled = [(s, re.compile(phrase(s.title), re.I)) for s in series.scores]
    for text in texts:
        for match in CHANGE_RE.finditer(text):
            start, end = Decimal(match["from"]), Decimal(match["to"])
            subject = text[match.start(): match.start("verb")]
            named = next((s for s, pattern in titled if pattern.search(subject)), None)
            if named is not None:
                if named.key in changing:
                    overall = (named.key, start, end)
                continue
            key = category_for(subject, series)
            if key is None:
                problems.append(f"score change with no recognisable category: {match.group(0).strip()!r}")
                continue
            if not any(c.category == key for c in changes):
                changes.append(ScoreChange(key, start, end))
        for score, pattern in titled:
            if score.key not in changing or overall is not None:
                continue
            # "remained unchanged at 4.25", or just "remained unchanged." (then it is this
            # edition's score)
            same = re.search(pattern.pattern + r"\s+(?:remained|remains|was|stayed|is)\s+"
                             r"(?:unchanged|the same|stable)(?:\s+at\s+(\d\.\d\d))?", text, re.I)
            if same:
                value = Decimal(same.group(1)) if same.group(1) else current.get(score.key)
                overall = (score.key, value, value) if value is not None else None
    return changes, overall


def category_for(subject: str, series: Series) -> str | None:
    """The category a phrase names, tolerating short, lower-case or slightly wrong titles."""
    stems = _stems(subject)
    best, best_score = None, 0.0
    for category in series.all_nodes():
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
