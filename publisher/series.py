"""A report series as data: `data/series/<key>.yaml` (Nations in Transit, Freedom in the World,
Freedom on the Net, or any index a think tank keeps).

A definition gives the series' names, a tree of categories (leaves rated on a scale with a
step, groups that sum or average their children), the scores derived from them (expressions
over category and score keys, with their rounding), band tables that turn a value into another
(Freedom in the World's 1-7 ratings), the status rule (a band table), the statuses with their
colours, and the scale history (editions published on an inverted scale). Everything is checked
with file and line when it is read; `derive` then computes every value of a report from what it
states, and checks what it states against what can be computed.

Expressions: numbers, keys, `+ - * /`, parentheses, `mean(...)` and `sum(...)`; the name
`categories` stands for the top-level categories. A minus between two names needs spaces around
it (`democracy-score - 1`), since keys contain hyphens. Arithmetic is exact (fractions); a value
is rounded (half up) only when it is shown or stored, and expressions always use the unrounded
values (Nations in Transit's percentage comes from the unrounded mean: 6.55, not 6.50).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .errors import Problem
from .scores import round_places

CODE_RE = re.compile(r"\s*([A-Z]{1,3}\d{0,2})(?:[.:]\s*|\s+|$)")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SERIES_KEYS = ("key", "name", "short_name", "publisher", "edition_title", "covers", "scale_note", "opening",
               "categories", "scores", "headline", "main", "best", "known_as", "lookups", "status", "statuses", "history")
NODE_KEYS = ("key", "code", "title", "description", "question", "min", "max", "step",
             "aggregate", "children", "optional")
SCORE_KEYS = ("key", "title", "value", "decimals", "min", "max", "field", "description")
AGGREGATES = ("sum", "mean")


# --- the records ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryNode:
    """A category: a leaf rated on its scale, or a group of categories summed or averaged."""

    key: str
    title: str
    code: str  # the label pages print ("A1", "PR"); "" when none
    description: str  # what it assesses (or the indicator's question)
    min: Decimal
    max: Decimal
    step: Decimal | None  # leaves: ratings are min + a whole number of steps; groups: None
    aggregate: str | None  # groups: "sum" or "mean"; leaves: None
    children: tuple["CategoryNode", ...] = ()
    optional: bool = False  # a leaf a report may leave out: it then counts as 0 in a sum
    order: int = 0  # position among all the series' categories, depth first
    level: int = 0  # 0 for the tree's top level, 1 for their children ...

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def places(self) -> int:
        """Decimals its values are shown with: its step's (a leaf), its parts' (a sum), 2 (a mean)."""
        if not self.children:
            exponent = self.step.normalize().as_tuple().exponent if self.step is not None else 0
            return max(0, -exponent)
        if self.aggregate == "mean":
            return 2
        return max(child.places for child in self.children)

    @property
    def label(self) -> str:
        """Its name in lists and links: "A. Electoral Process", "Civil Society", "A1" (an
        indicator whose title is its code)."""
        return f"{self.code}. {self.title}" if self.code and self.code != self.title else self.title

    def scale(self) -> str:
        """'1 to 7 in steps of 0.25', as messages and docs say it."""
        step = f" in steps of {plain_number(self.step)}" if self.step is not None else ""
        return f"{plain_number(self.min)} to {plain_number(self.max)}{step}"


def plain_number(number: Decimal) -> str:
    """A number as written by hand: no trailing zeros, no exponent ("0.25", "7", "100")."""
    return f"{number.normalize():f}"


@dataclass(frozen=True)
class Expression:
    """A parsed formula: its text (for messages), and a tree of (op, operands) tuples."""

    text: str
    tree: tuple

    def names(self) -> set[str]:
        return set(_names(self.tree))


@dataclass(frozen=True)
class ScoreDef:
    """A value derived from the categories (and earlier scores) with its rounding."""

    key: str
    title: str
    value: Expression
    decimals: int
    min: Decimal | None
    max: Decimal | None  # the scale's top, shown as "/ max"
    field: str  # a front-matter key that states this score directly ("" when none)
    description: str

    @property
    def title_parts(self) -> tuple[str, str]:
        """("Democracy ", "Score"): a narrow table heading keeps only the last word."""
        head, _, last = self.title.rpartition(" ")
        return (head + " " if head else "", last)


@dataclass(frozen=True)
class Band:
    min: Decimal
    max: Decimal
    value: str  # a status key, or a lookup's result


@dataclass(frozen=True)
class BandTable:
    """A value of `input` -> the band containing it (after rounding to `decimals`)."""

    key: str
    title: str
    input: str
    decimals: int | None  # round the input to this many places before matching (None: exact)
    bands: tuple[Band, ...]

    def band(self, value: Fraction | Decimal) -> Band | None:
        if isinstance(value, Decimal) and (self.decimals is None
                                           or value == value.quantize(Decimal(1).scaleb(-self.decimals))):
            number = value  # already as precise as the bands compare (most lookups)
        elif self.decimals is not None:
            number = round_places(value, self.decimals)
        else:
            number = Decimal(value.numerator) / Decimal(value.denominator)
        for band in self.bands:
            if band.min <= number <= band.max:
                return band
        return None


@dataclass(frozen=True)
class Status:
    """A status of the series: its name (always shown), colour, and the range of the status
    rule's input it covers (for the methodology page)."""

    key: str
    name: str
    min: Decimal
    max: Decimal
    aliases: tuple[str, ...] = ()  # older wordings found on source pages
    colour: str = ""
    tint: str = ""  # a pale background of the colour (given, or mixed with white)
    dark: str = ""  # the colour on a dark background (given, or lightened)
    dark_tint: str = ""  # the pale background in the dark scheme (given, or darkened)

    def contains(self, value: Decimal) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class ScaleEra:
    """Editions published on another scale (the importer converts them: new = min + max - old)."""

    first: int | None
    last: int | None
    inverted: bool
    labels: tuple[str, ...]  # text that identifies this scale on a page
    note: str

    def covers(self, edition: int) -> bool:
        return (self.first is None or edition >= self.first) and (self.last is None or edition <= self.last)


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    short_name: str
    publisher: str
    edition_title: str  # "{name} {edition}"
    covers: str  # what an edition covers: "events of {year_before}"
    scale_note: str
    categories: tuple[CategoryNode, ...]  # the tree's top level
    scores: tuple[ScoreDef, ...]
    headline: tuple[str, ...]  # keys of the values shown as badges, in order
    main: str  # the score that ranks countries, draws the charts and gives "the" score change
    best: str  # what the top of the scales means, in captions: "most democratic", "most free"
    known_as: tuple[str, ...]  # keys other reports list its score under (`other_scores`)
    lookups: tuple[BandTable, ...]
    status: BandTable
    statuses: tuple[Status, ...]
    history: tuple[ScaleEra, ...] = ()
    opening: str = "Overview"  # the section a report opens with (`build.py new` writes it first)
    path: str = ""  # the definition's file, as shown in messages
    nodes: dict[str, CategoryNode] = field(default_factory=dict, compare=False)
    parents: dict[str, str] = field(default_factory=dict, compare=False)  # key -> its group's key

    def title_of(self, edition: int) -> str:
        return self.edition_title.format(name=self.name, short_name=self.short_name,
                                         edition=edition)

    def coverage_of(self, edition: int) -> str:
        return self.covers.format(edition=edition, year_before=edition - 1)

    def all_nodes(self) -> tuple[CategoryNode, ...]:
        """Every category, in tree order: a group before its parts."""
        return tuple(self.nodes.values())

    def leaves(self) -> tuple[CategoryNode, ...]:
        return tuple(n for n in self.nodes.values() if not n.is_group)

    def ancestors(self, key: str) -> list[str]:
        """The groups a category belongs to, nearest first."""
        found = []
        while key in self.parents:
            key = self.parents[key]
            found.append(key)
        return found

    @property
    def grouped(self) -> bool:
        """Some top-level categories are groups of indicators (FIW, FOTN), not rated directly."""
        return any(c.is_group for c in self.categories)

    def bands_ratings_of(self, category: CategoryNode) -> bool:
        """Whether a rating in `category` falls in a status band (it is rated on the scale of
        the main score, like Nations in Transit's 1-7), so that its cells can take its colour."""
        return (category.min, category.max) == self.score_scale()

    def indicators(self) -> tuple[CategoryNode, ...]:
        """The leaves every report rates (an optional one, like FIW's discretionary question, aside)."""
        return tuple(n for n in self.leaves() if not n.optional)

    def status_named(self, name: str) -> Status | None:
        wanted = " ".join(name.split()).casefold()
        for status in self.statuses:
            if wanted in {n.casefold() for n in (status.name, *status.aliases)}:
                return status
        return None

    def status_by_key(self, key: str) -> Status | None:
        return next((s for s in self.statuses if s.key == key), None)

    def score(self, key: str) -> ScoreDef | None:
        return next((s for s in self.scores if s.key == key), None)

    @property
    def main_score(self) -> ScoreDef:
        return next(s for s in self.scores if s.key == self.main)

    def category(self, key: str) -> CategoryNode | None:
        """A category (leaf or group) by key."""
        return self.nodes.get(key)

    def section_category(self, title: str) -> CategoryNode | None:
        """The category a report section with this title is about: its title ("Civil Society",
        "Political Rights"), its code and title ("A Electoral Process", "A. Electoral
        Process"), or an indicator's code and its question in any wording ("A1. Was ...?")."""
        wanted = " ".join(title.split()).casefold()
        for node in self.nodes.values():
            if node.title.casefold() == wanted:
                return node
        match = CODE_RE.match(title)
        if match is None:
            return None
        node = self.by_code.get(match.group(1))
        if node is None:
            return None
        rest = " ".join(title[match.end():].split()).casefold()
        if any(ch.isdigit() for ch in node.code) or rest == node.title.casefold():
            return node
        return None

    @property
    def by_code(self) -> dict[str, CategoryNode]:
        return {n.code: n for n in self.nodes.values() if n.code}

    def value_title(self, key: str) -> str:
        """The title of a score, category or lookup ("Democracy Score")."""
        for found in (self.score(key), self.category(key),
                      next((t for t in self.lookups if t.key == key), None)):
            if found is not None and found.title:
                return found.title
        return key

    def places_of(self, key: str) -> int:
        score = self.score(key)
        if score is not None:
            return score.decimals
        node = self.category(key)
        return node.places if node is not None else 2

    @property
    def secondary(self) -> tuple[tuple[str, str, int], ...]:
        """(key, title, decimals) of the headline values besides the main score: the extra
        columns of the ranking and history tables."""
        return tuple((key, self.value_title(key), self.places_of(key))
                     for key in self.headline if key != self.main)

    @property
    def main_aggregate(self) -> str:
        """'average' or 'sum' when the main score is that of the top-level categories, else ''."""
        tree = self.main_score.value.tree
        if len(tree) == 2 and tree[1] == ("name", "categories"):
            return {"mean": "average", "sum": "sum"}.get(tree[0], "")
        return ""

    def scale_text(self) -> str:
        """The main score's scale in a caption: "1–7, 7 = most democratic"."""
        low, high = (plain_number(v) for v in self.score_scale())
        return f"{low}–{high}, {high} = {self.best}" if self.best else f"{low}–{high}"

    def shared_scale(self) -> tuple[str, str] | None:
        """(low, high) as written when every top-level category has the same scale, else None."""
        scales = {(c.min, c.max) for c in self.categories}
        return tuple(plain_number(v) for v in scales.pop()) if len(scales) == 1 else None

    def rating_scale_text(self) -> str:
        """The top-level categories' scale in a caption, when they share one ("" if not)."""
        scale = self.shared_scale()
        if scale is None:
            return ""
        low, high = scale
        return f"{low}–{high}, {high} = {self.best}" if self.best else f"{low}–{high}"

    def rating_range_words(self) -> str:
        """"from 1 to 7 (7 = most democratic)", when the top-level categories share a scale."""
        scale = self.shared_scale()
        if scale is None:
            return ""
        low, high = scale
        return f"from {low} to {high}" + (f" ({high} = {self.best})" if self.best else "")

    def scale_sentence(self) -> str:
        """"Ratings run from 1 to 7, where 7 is the most democratic." ("" when the top-level
        categories have scales of their own)."""
        scale = self.shared_scale()
        if scale is None or not self.best:
            return ""
        low, high = scale
        return f"Ratings run from {low} to {high}, where {high} is the {self.best}."

    def score_scale(self) -> tuple[Decimal, Decimal]:
        """The main score's scale (charts and cells use it): as defined, else the widest
        scale of the top-level categories."""
        main = self.main_score
        low = main.min if main.min is not None else min(c.min for c in self.categories)
        high = main.max if main.max is not None else max(c.max for c in self.categories)
        return low, high

    def era(self, edition: int) -> ScaleEra | None:
        return next((e for e in self.history if e.covers(edition)), None)


# --- deriving a report's values ------------------------------------------------------------------

@dataclass(frozen=True)
class Derived:
    """Every value of one report: stated or computed, exact (round for showing)."""

    values: dict[str, Fraction]  # category, score and lookup key -> exact value
    status: Status | None
    problems: tuple[tuple[str, str], ...]  # (the key or field it concerns, message)
    # Scores computed from a stated (rounded) score rather than from ratings: known only
    # about as well as that score (a draft's percentage from the source's Democracy Score).
    approximate: frozenset[str] = frozenset()


class Unknown(Exception):
    """A value an expression needs is not known for this report."""


def derive(series: Series, ratings: dict[str, Decimal],
           stated: dict[str, Decimal] | None = None,
           unrated: frozenset[str] | None = None) -> Derived:
    """Values of every category, score and lookup from the `ratings` a report states (at any
    level of the tree) and the scores it states; each stated value that can also be computed
    must agree (rounded as the definition says). A score computed from a stated score (the
    ratings giving none) is known only within that score's rounding: a value stated for it must
    fall in that range, and is then the one kept.

    `categories` in a formula stands for the top-level categories; with `unrated` given (a
    report file, whose categories are all it tracks), for those the report rates, since a
    series may track fewer in early editions; `unrated` are then those a draft leaves unknown
    for now (null), which make every formula over them unknown. Without it (a scraped page
    that may be cut off) every top-level category must have a value."""
    stated = stated or {}
    values: dict[str, Fraction] = {}
    problems: list[tuple[str, str]] = []
    for node in series.categories:
        _node_value(node, ratings, values, problems)
    for lookup in series.lookups:  # those of categories first: scores may use them
        if lookup.input in series.nodes:
            _look_up(lookup, values)
    ranges: dict[str, tuple[Fraction, Fraction]] = {}  # stated (rounded) values and what follows
    for score in series.scores:
        _score_value(series, score, stated.get(score.key), values, ranges, problems, unrated)
    for lookup in series.lookups:
        if lookup.input not in series.nodes:
            _look_up(lookup, values)
    status = None
    if series.status.input in values:
        band = series.status.band(values[series.status.input])
        if band is None:
            problems.append((series.status.input, f"no status band of the series contains "
                                                  f"{_shown(values[series.status.input])}"))
        else:
            status = series.status_by_key(band.value)
    return Derived(values, status, tuple(problems), frozenset(ranges))


def _score_value(series: Series, score: ScoreDef, given: Decimal | None,
                 values: dict[str, Fraction], ranges: dict[str, tuple[Fraction, Fraction]],
                 problems: list, unrated: frozenset[str] | None = None) -> None:
    name = score.field or score.key
    try:
        computed = _evaluate(score.value.tree, values, series, unrated)
    except Unknown:
        computed = None
    if computed is None:
        if given is not None:
            values[score.key] = Fraction(given)
            ranges[score.key] = _rounding_range(given)
        return
    inputs = sorted(score.value.names() & set(ranges))
    if not inputs:
        values[score.key] = computed
        if given is not None and round_places(computed, score.decimals) != given:
            problems.append((score.key, f"{name}: stated {round_places(given, score.decimals)} "
                                        f"but the ratings give "
                                        f"{round_places(computed, score.decimals)}"))
        return
    low, high = _range_of(score.value.tree, values, ranges, inputs, series)
    ranges[score.key] = (low, high)
    values[score.key] = computed
    if given is None:
        return
    if not round_places(low, score.decimals) <= given <= round_places(high, score.decimals):
        what = " and ".join(f"{series.score(k).field or k} {_stated_text(values[k])}"
                            for k in inputs)
        problems.append((score.key, f"{name}: stated {round_places(given, score.decimals)} "
                                    f"but the {what} gives about "
                                    f"{round_places(computed, score.decimals)}"))
    values[score.key] = Fraction(given)
    ranges[score.key] = _rounding_range(given)


def _stated_text(value: Fraction) -> str:
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{number.normalize():f}" if number == number.to_integral_value() else f"{round_places(value, 2)}"


def _rounding_range(given: Decimal) -> tuple[Fraction, Fraction]:
    """The values that round to `given` as written (6.55: 6.545 to 6.555; 7: 6.5 to 7.5)."""
    exponent = given.as_tuple().exponent
    half = Fraction(1, 2) * Fraction(10) ** (exponent if isinstance(exponent, int) else 0)
    return Fraction(given) - half, Fraction(given) + half


def _range_of(tree: tuple, values: dict[str, Fraction], ranges: dict, inputs: list[str],
              series: Series) -> tuple[Fraction, Fraction]:
    """The range of a formula when `inputs` lie anywhere in their ranges (formulas are sums,
    means and scalings, monotone in each input: the corners bound them)."""
    results = []
    for corner in range(2 ** len(inputs)):
        trial = dict(values)
        for bit, key in enumerate(inputs):
            trial[key] = ranges[key][(corner >> bit) & 1]
        results.append(_evaluate(tree, trial, series, None))
    return min(results), max(results)


def _look_up(lookup: BandTable, values: dict[str, Fraction]) -> None:
    if lookup.input in values:
        band = lookup.band(values[lookup.input])
        if band is not None:
            values[lookup.key] = Fraction(Decimal(band.value))


def _node_value(node: CategoryNode, ratings: dict[str, Decimal], values: dict[str, Fraction],
                problems: list) -> None:
    for child in node.children:
        _node_value(child, ratings, values, problems)
    given = ratings.get(node.key)
    if node.is_group:
        parts = [values.get(c.key, Fraction(0) if c.optional else None) for c in node.children]
        if all(p is not None for p in parts):
            total = sum(parts, Fraction(0))
            computed = total if node.aggregate == "sum" else total / len(parts)
            values[node.key] = computed
            if given is not None and Fraction(given) != computed:
                problems.append((node.key, f"rating for '{node.key}' is {given} but its parts "
                                           f"give {_shown(computed)}"))
            return
    if given is not None:
        values[node.key] = Fraction(given)


def _shown(value: Fraction) -> str:
    number = round_places(value, 2)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _evaluate(tree: tuple, values: dict[str, Fraction], series: Series,
              unrated: frozenset[str] | None = None) -> Fraction:
    op, *args = tree
    if op == "num":
        return args[0]
    if op == "name":
        if args[0] not in values:
            raise Unknown(args[0])
        return values[args[0]]
    if op in ("mean", "sum"):
        items: list[Fraction] = []
        for arg in args:
            if arg == ("name", "categories"):
                if unrated is None:
                    items += [_evaluate(("name", n.key), values, series) for n in series.categories]
                    continue
                if any(n.key not in values and (n.key in unrated or _unrated_within(n, unrated))
                       for n in series.categories):
                    raise Unknown("categories")
                items += [values[n.key] for n in series.categories if n.key in values]
            else:
                items.append(_evaluate(arg, values, series, unrated))
        if not items:
            raise Unknown(op)
        total = sum(items, Fraction(0))
        return total if op == "sum" else total / len(items)
    left, right = (_evaluate(a, values, series, unrated) for a in args)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        raise Unknown("division by zero")
    return left / right


def _unrated_within(node: CategoryNode, unrated: frozenset[str]) -> bool:
    return any(c.key in unrated or _unrated_within(c, unrated) for c in node.children)


def _names(tree: tuple):
    op, *args = tree
    if op == "name":
        yield args[0]
    elif op != "num":
        for arg in args:
            yield from _names(arg)


# --- the expression parser -----------------------------------------------------------------------

TOKEN_RE = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)"
                      r"|(?P<op>[-+*/(),]))")


def parse_expression(text: str) -> Expression:
    """Parse a formula; ValueError (with what is wrong) when it cannot be."""
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read {text[position:]!r} in the formula {text!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    parser = _Parser(tokens, text)
    tree = parser.expression()
    if parser.position != len(tokens):
        raise ValueError(f"unexpected {tokens[parser.position][1]!r} in the formula {text!r}")
    return Expression(text, tree)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str):
        self.tokens = tokens
        self.text = text
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise ValueError(f"the formula {self.text!r} ends too soon")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expression(self) -> tuple:
        tree = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            tree = (op, tree, self.term())
        return tree

    def term(self) -> tuple:
        tree = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            tree = (op, tree, self.factor())
        return tree

    def factor(self) -> tuple:
        kind, value = self.take()
        if kind == "num":
            return ("num", Fraction(Decimal(value)))
        if kind == "name":
            if self.peek() == "(" and value in AGGREGATES:
                self.take()
                args = [self.expression()]
                while self.peek() == ",":
                    self.take()
                    args.append(self.expression())
                if self.take()[1] != ")":
                    raise ValueError(f"a ')' is missing in the formula {self.text!r}")
                return (value, *args)
            return ("name", value)
        if value == "(":
            tree = self.expression()
            if self.take()[1] != ")":
                raise ValueError(f"a ')' is missing in the formula {self.text!r}")
            return tree
        raise ValueError(f"unexpected {value!r} in the formula {self.text!r}")


# --- reading a definition ------------------------------------------------------------------------

class _Reader:
    """Checks one definition file's values, noting each problem with its line."""

    def __init__(self, shown: str, lines: dict):
        self.shown = shown
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, path: tuple) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.shown, self.line(path), message))

    def mapping(self, value: Any, path: tuple, allowed: tuple[str, ...], required: tuple[str, ...],
                what: str) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"{what} must be a mapping")
            return None
        for key in value:
            if key not in allowed:
                self.error(path + (key,), f"unknown field '{key}' in {what}; expected one of: "
                                          + ", ".join(allowed))
        for key in required:
            if key not in value:
                self.error(path, f"{what} needs '{key}'")
        return value

    def text(self, value: Any, path: tuple, default: str | None = None) -> str:
        if value is None and default is not None:
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(path, f"'{path[-1]}' must be text")
            return ""
        return " ".join(str(value).split())

    def key(self, value: Any, path: tuple) -> str:
        text = str(value) if value is not None else ""
        if not KEY_RE.match(text):
            self.error(path, f"'{text}' is not a key (lower-case letters, digits and single hyphens)")
        return text

    def number(self, value: Any, path: tuple) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(path, f"'{path[-1]}' must be a number")
            return None
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value))
        except InvalidOperation:
            self.error(path, f"'{path[-1]}' must be a number, got {value!r}")
            return None
        if not number.is_finite() or abs(number) > 10**6:
            self.error(path, f"'{path[-1]}' must be a number, got {value!r}")
            return None
        return number

    def places(self, value: Any, path: tuple) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            self.error(path, f"'{path[-1]}' must be a whole number of decimals from 0 to 6")
            return None
        return value


def read_series(data: Any, lines: dict, shown: str) -> tuple[Series | None, list[Problem]]:
    """A validated series from a parsed definition file (None when it has errors)."""
    reader = _Reader(shown, lines)
    top = reader.mapping(data, (), SERIES_KEYS, ("key", "name", "categories", "status", "statuses"),
                         "a series definition")
    if top is None:
        return None, reader.problems
    nodes: dict[str, CategoryNode] = {}
    counter = [0]
    raw_categories = top.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        reader.error(("categories",), "'categories' must be a non-empty list")
        raw_categories = []
    categories = tuple(node for index, item in enumerate(raw_categories)
                       if (node := _node(reader, item, ("categories", index), nodes, counter)))
    statuses = _statuses(reader, top.get("statuses"))
    raw_scores = top.get("scores") or []
    score_keys = {str(item.get("key")) for item in raw_scores if isinstance(item, dict)}
    lookups = tuple(table for index, item in enumerate(top.get("lookups") or [])
                    if (table := _band_table(reader, item, ("lookups", index),
                                             set(nodes) | score_keys, None)))
    scores = _scores(reader, raw_scores, nodes, {t.key for t in lookups if t.input in nodes})
    known = set(nodes) | {s.key for s in scores} | {t.key for t in lookups}
    status = _band_table(reader, top.get("status"), ("status",), known, {s.key for s in statuses},
                         is_status=True)
    if status is not None and all(b.value in {s.key for s in statuses} for b in status.bands):
        statuses = _with_ranges(reader, statuses, status)  # (an unknown status is said already)
    headline = tuple(str(k) for k in top.get("headline") or [s.key for s in scores])
    for index, key in enumerate(headline):
        if key not in known:
            reader.error(("headline", index), f"headline '{key}' is no category, score or lookup "
                                              "of the series")
    main = str(top.get("main") or (scores[0].key if scores else ""))
    if main not in {s.key for s in scores}:
        reader.error(("main",), f"main score '{main}' is not one of the series' scores"
                     if top.get("main") else "the series needs at least one score under 'scores'")
    history = tuple(era for index, item in enumerate(top.get("history") or [])
                    if (era := _era(reader, item, ("history", index))))
    if reader.problems or status is None:
        return None, reader.problems
    name = reader.text(top.get("name"), ("name",))
    series = Series(
        key=reader.key(top.get("key"), ("key",)), name=name,
        short_name=reader.text(top.get("short_name"), ("short_name",), name),
        publisher=reader.text(top.get("publisher"), ("publisher",), ""),
        edition_title=reader.text(top.get("edition_title"), ("edition_title",), "{name} {edition}"),
        covers=reader.text(top.get("covers"), ("covers",), "events of {year_before}"),
        scale_note=reader.text(top.get("scale_note"), ("scale_note",), ""),
        opening=reader.text(top.get("opening"), ("opening",), "Overview"),
        categories=categories, scores=scores, headline=headline, main=main,
        best=reader.text(top.get("best"), ("best",), ""),
        known_as=tuple(str(k) for k in top.get("known_as") or ()), lookups=lookups,
        status=status,
        statuses=statuses, history=history, path=shown,
        # in tree order, a group before its parts (children are read before their group)
        nodes=dict(sorted(nodes.items(), key=lambda item: item[1].order)),
        parents={child.key: node.key for node in nodes.values() for child in node.children})
    for pattern, place in ((series.edition_title, "edition_title"), (series.covers, "covers")):
        try:
            pattern.format(name="", short_name="", edition=2000, year_before=1999)
        except (KeyError, IndexError, ValueError) as error:
            reader.error((place,), f"'{place}' may use {{name}}, {{short_name}}, {{edition}} and "
                                   f"{{year_before}} only (found {error})")
    return (series if not reader.problems else None), reader.problems


def _node(reader: _Reader, item: Any, path: tuple, nodes: dict, counter: list,
          level: int = 0) -> CategoryNode | None:
    raw = reader.mapping(item, path, NODE_KEYS, ("key",), "a category")
    if raw is None:
        return None
    key = reader.key(raw.get("key"), path + ("key",))
    if key in nodes:
        reader.error(path + ("key",), f"category '{key}' is defined twice")
    counter[0] += 1
    order = counter[0]
    children = tuple(child for index, sub in enumerate(raw.get("children") or [])
                     if (child := _node(reader, sub, path + ("children", index), nodes, counter,
                                         level + 1)))
    low = reader.number(raw.get("min"), path + ("min",)) if "min" in raw else None
    high = reader.number(raw.get("max"), path + ("max",)) if "max" in raw else None
    aggregate = raw.get("aggregate")
    step = None
    if children:
        if aggregate not in AGGREGATES:
            reader.error(path + ("aggregate",), f"group '{key}' needs 'aggregate: sum' or "
                                                "'aggregate: mean'")
            aggregate = "sum"
        parts = [(c.min, c.max) for c in children]
        if aggregate == "sum":
            span = (sum((p[0] for p in parts), Decimal(0)), sum((p[1] for p in parts), Decimal(0)))
        else:
            span = (min(p[0] for p in parts), max(p[1] for p in parts))
        wrong = [f"{end} {given}" for end, given, real in (("min", low, span[0]), ("max", high, span[1]))
                 if given is not None and given != real]
        if wrong:
            reader.error(path, f"group '{key}' declares {' and '.join(wrong)}, but its parts range "
                               f"from {span[0]} to {span[1]}")
        low, high = span
    else:
        if aggregate is not None:
            reader.error(path + ("aggregate",), f"'{key}' has no children to aggregate")
        step = reader.number(raw.get("step", 1), path + ("step",))
        if "min" not in raw or "max" not in raw:
            reader.error(path, f"category '{key}' needs 'min' and 'max'")
        scale_known = low is not None and high is not None and step is not None
        low, high = low if low is not None else Decimal(0), high if high is not None else Decimal(0)
        if scale_known and (low >= high or step <= 0
                                 or ((high - low) / step) != ((high - low) / step).to_integral_value()):
            reader.error(path, f"category '{key}': its scale needs min < max and a whole number "
                               f"of steps of {step} between them")
    description = reader.text(raw.get("description") or raw.get("question") or "",
                              path + ("description",), "")
    code = reader.text(raw.get("code") or "", path + ("code",), "")
    title = reader.text(raw["title"], path + ("title",)) if "title" in raw else (code or key)
    node = CategoryNode(key, title, code, description,
                        low, high, step, aggregate if children else None, children,
                        bool(raw.get("optional", False)), order, level)
    nodes[key] = node
    return node


def _scores(reader: _Reader, items: Any, nodes: dict, lookups: set[str]) -> tuple[ScoreDef, ...]:
    """The scores, each formula over categories, earlier scores and the lookups of categories."""
    if not isinstance(items, list):
        reader.error(("scores",), "'scores' must be a list")
        return ()
    result: list[ScoreDef] = []
    for index, item in enumerate(items):
        path = ("scores", index)
        raw = reader.mapping(item, path, SCORE_KEYS, ("key", "title", "value"), "a score")
        if raw is None:
            continue
        key = reader.key(raw.get("key"), path + ("key",))
        try:
            expression = parse_expression(str(raw.get("value", "")))
        except ValueError as error:
            reader.error(path + ("value",), str(error))
            continue
        known = set(nodes) | {s.key for s in result} | lookups | {"categories"}
        for name in sorted(expression.names() - known):
            reader.error(path + ("value",), f"the formula of '{key}' uses '{name}', which is no "
                                            "category, earlier score or lookup of a category")
        decimals = reader.places(raw.get("decimals", 2), path + ("decimals",))
        result.append(ScoreDef(
            key, reader.text(raw.get("title"), path + ("title",)), expression,
            2 if decimals is None else decimals,
            reader.number(raw["min"], path + ("min",)) if "min" in raw else None,
            reader.number(raw["max"], path + ("max",)) if "max" in raw else None,
            reader.text(raw.get("field") or "", path + ("field",), ""),
            reader.text(raw.get("description") or "", path + ("description",), "")))
    return tuple(result)


def _band_table(reader: _Reader, item: Any, path: tuple, known: set[str],
                statuses: set[str] | None, is_status: bool = False) -> BandTable | None:
    what = "the status rule" if is_status else "a lookup"
    allowed = ("input", "decimals", "bands", "title") + (() if is_status else ("key",))
    raw = reader.mapping(item, path, allowed, ("input", "bands") + (() if is_status else ("key",)),
                         what)
    if raw is None:
        return None
    source = str(raw.get("input"))
    if source not in known:
        reader.error(path + ("input",), f"{what} reads '{source}', which is no category, score "
                                        "or lookup of the series")
    bands = []
    for index, band in enumerate(raw.get("bands") or []):
        band_path = path + ("bands", index)
        entry = reader.mapping(band, band_path, ("min", "max", "status" if is_status else "value"),
                               ("min", "max", "status" if is_status else "value"), "a band")
        if entry is None:
            continue
        low, high = reader.number(entry.get("min"), band_path), reader.number(entry.get("max"), band_path)
        value = str(entry.get("status" if is_status else "value"))
        if statuses is not None and value not in statuses:
            reader.error(band_path, f"band gives status '{value}', which is not among the statuses")
        if low is not None and high is not None:
            if low > high:
                reader.error(band_path, f"band runs from {low} to {high}: min must not exceed max")
            bands.append(Band(low, high, value))
    ordered = sorted(bands, key=lambda b: b.min)
    for earlier, later in zip(ordered, ordered[1:]):
        if later.min <= earlier.max:
            reader.error(path + ("bands",), f"bands {earlier.min}-{earlier.max} and "
                                            f"{later.min}-{later.max} overlap")
    if not bands:
        reader.error(path + ("bands",), f"{what} needs at least one band")
        return None
    decimals = reader.places(raw.get("decimals"), path + ("decimals",))
    return BandTable("status" if is_status else reader.key(raw.get("key"), path + ("key",)),
                     reader.text(raw.get("title") or "", path + ("title",), ""), source,
                     decimals, tuple(bands))


def _with_ranges(reader: _Reader, statuses: tuple[Status, ...], rule: BandTable) -> tuple[Status, ...]:
    """Each status with the range of the rule's bands that give it."""
    result = []
    for index, status in enumerate(statuses):
        bands = [b for b in rule.bands if b.value == status.key]
        if not bands:
            reader.error(("statuses", index), f"no band of the status rule gives '{status.key}'")
            continue
        result.append(replace(status, min=min(b.min for b in bands), max=max(b.max for b in bands)))
    return tuple(result)


def _statuses(reader: _Reader, items: Any) -> tuple[Status, ...]:
    if not isinstance(items, list) or not items:
        reader.error(("statuses",), "'statuses' must be a non-empty list")
        return ()
    result = []
    for index, item in enumerate(items):
        path = ("statuses", index)
        raw = reader.mapping(item, path, ("key", "name", "colour", "aliases") + SHADES,
                             ("key", "name", "colour"), "a status")
        if raw is None:
            continue
        colour = str(raw.get("colour", ""))
        shades = {name: str(raw[name]) for name in SHADES if name in raw}
        for name, value in (("colour", colour), *shades.items()):
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
                reader.error(path + (name,), f"{name} {value!r} must be written #rrggbb")
                colour = "#000000"
                shades = {}
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list):
            reader.error(path + ("aliases",), "'aliases' must be a list of names")
            aliases = []
        colour = colour.lower()
        result.append(Status(reader.key(raw.get("key"), path + ("key",)),
                             reader.text(raw.get("name"), path + ("name",)), Decimal(0), Decimal(0),
                             tuple(" ".join(str(a).split()) for a in aliases), colour,
                             shades.get("tint", _mix(colour, "#ffffff", 0.85)).lower(),
                             shades.get("dark", _mix(colour, "#ffffff", 0.45)).lower(),
                             shades.get("dark_tint", _mix(colour, "#121212", 0.75)).lower()))
    return tuple(result)


SHADES = ("tint", "dark", "dark_tint")


def _mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` of the way to `other` (both #rrggbb)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour
    parts = [round(int(colour[i:i + 2], 16) * (1 - share) + int(other[i:i + 2], 16) * share)
             for i in (1, 3, 5)]
    return "#" + "".join(f"{part:02x}" for part in parts)


def _era(reader: _Reader, item: Any, path: tuple) -> ScaleEra | None:
    raw = reader.mapping(item, path, ("editions", "inverted", "labels", "note"), ("editions",),
                         "a scale era")
    if raw is None:
        return None
    match = re.fullmatch(r"(\d{4})?-(\d{4})?|(\d{4})", str(raw.get("editions")))
    if match is None:
        reader.error(path + ("editions",), "editions must be written 2009-2018, -2019, 2020- or 2017")
        return None
    first = int(match.group(1) or match.group(3)) if (match.group(1) or match.group(3)) else None
    last = int(match.group(2) or match.group(3)) if (match.group(2) or match.group(3)) else None
    labels = raw.get("labels") or []
    return ScaleEra(first, last, bool(raw.get("inverted", False)),
                    tuple(str(label) for label in labels) if isinstance(labels, list) else (),
                    reader.text(raw.get("note") or "", path + ("note",), ""))
