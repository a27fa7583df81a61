"""The front matter of a report: every field declared once, in the order files list them.

A declaration gives the field's name, whether it is required, the parser that reads it and
one line of documentation; `docs/content-format.md` lists the same lines (a test compares
them), the importer writes fields in this order (a test compares that too), and `load` builds
`ReportSource` from the parsed values through `Field.attributes`. A parser reads its field
with the typed access of `frontmatter.FrontMatter`, records its own problems and returns the
value, or the field's "absent" value when it is not written or unusable.

Relations between fields (stated scores against the ratings, a rating's section in the body)
are checked in `load`, once every field is read.

Adding a field: a declaration (and a parser, if no existing one fits) here, the attribute in
`model.ReportSource`, its line in the docs; then show it in a template, and in `reportdata`
if it belongs in the downloads.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .definitions import Definitions, Status
from .frontmatter import SLUG_RE, FrontMatter, did_you_mean, shown
from .model import OtherScore, ScoreChange, StatedChange, StatedPrevious

Parser = Callable[[FrontMatter, "Field", Definitions], Any]


@dataclass(frozen=True)
class Field:
    """One front-matter field of a report."""

    name: str  # the key in the file
    required: bool
    parse: Parser  # (front matter, this field, definitions) -> the value for `attributes`
    doc: str  # one line, as docs/content-format.md lists it
    # The ReportSource attributes the value fills: one, several (the parser returns a tuple)
    # or none (a stated value only checked against what the ratings give).
    attributes: tuple[str, ...] | None = None

    def attribute_values(self, value: Any) -> dict[str, Any]:
        """The ReportSource attributes this field's parsed value fills."""
        names = (self.name,) if self.attributes is None else self.attributes
        if len(names) == 1:
            return {names[0]: value}
        return dict(zip(names, value)) if names else {}


# --- parsers ------------------------------------------------------------------------------

def text(fm: FrontMatter, field: Field, definitions: Definitions) -> str | None:
    return fm.text(field.name, required=field.required)


def year(fm: FrontMatter, field: Field, definitions: Definitions) -> int | None:
    return fm.year(field.name, required=field.required)


def flag(fm: FrontMatter, field: Field, definitions: Definitions) -> bool:
    return bool(fm.boolean(field.name))


def names(fm: FrontMatter, field: Field, definitions: Definitions) -> tuple[str, ...]:
    return fm.text_list(field.name)


def ratings(fm: FrontMatter, field: Field, definitions: Definitions) -> dict[str, Decimal] | None:
    """Category key -> rating, in category order; None when any entry is wrong (so nothing
    computed from the ratings is compared, and each wrong entry gives one message)."""
    name = field.name
    raw = fm.value(name)
    if raw is None and not fm.present(name):
        return None  # missing: `check_keys` said so
    if not isinstance(raw, dict) or not raw:
        fm.error((name,), f"'{name}' must map category keys to ratings, e.g. 'civil-society: 1.50'")
        return None
    keys = [c.key for c in definitions.categories]
    draft = fm.value("draft") is True
    result: dict[str, Decimal] = {}
    unrated = 0
    for key in raw:
        category = definitions.category(str(key))
        if category is None:
            missing = [k for k in keys if k not in raw]
            fm.error((name, key), f"unknown category '{key}'"
                     + unknown_category_hint(str(key), missing or keys))
            continue
        if raw[key] is None:
            if draft:  # a draft may leave a rating for later (the source did not give it)
                unrated += 1
            else:
                fm.error((name, key), f"rating for '{key}' is empty: give the rating (only a "
                                      "draft, 'draft: true', may leave it null)")
            continue
        number = fm.number(name, key, what=f"rating for '{key}'", low=category.min,
                           high=category.max, step=category.step)
        if number is not None:
            result[category.key] = number
    if len(result) + unrated != len(raw):
        return None
    return {k: result[k] for k in keys if k in result}


def unknown_category_hint(key: str, candidates: list[str]) -> str:
    """'; did you mean ...' for a close match, else the categories to choose from."""
    return did_you_mean(key, candidates, "; expected one of: " + ", ".join(candidates))


def stated_number(low: Decimal | None, high: Decimal | None) -> Parser:
    """A figure the ratings also give (Democracy Score, Democracy Percentage): read here,
    compared in `load`. None bounds: the categories' scale (see Definitions.score_range)."""
    def parse(fm: FrontMatter, field: Field, definitions: Definitions) -> Decimal | None:
        if fm.value(field.name) is None:
            return None
        widest = definitions.score_range()
        return fm.number(field.name, what=f"'{field.name}'", low=widest[0] if low is None else low,
                         high=widest[1] if high is None else high)
    return parse


def status(fm: FrontMatter, field: Field, definitions: Definitions) -> Status | None:
    return _status(fm, (field.name,), definitions)


def _status(fm: FrontMatter, path: tuple, definitions: Definitions) -> Status | None:
    value = fm.value(*path)
    if value is None:
        return None
    found = definitions.status_named(value) if isinstance(value, str) else None
    if found is None:
        statuses = [s.name for s in definitions.statuses]
        fm.error(path, f"unknown status {shown(value)}" + did_you_mean(
            str(value), statuses, "; expected one of: " + ", ".join(statuses)))
    return found


PREVIOUS_FIELDS = ("democracy_percentage", "status", "democracy_score")


def previous(fm: FrontMatter, field: Field, definitions: Definitions) -> StatedPrevious | None:
    name = field.name
    if fm.mapping(name, expected="a mapping with democracy_percentage and status") is None:
        return None
    fm.check_keys((name,), PREVIOUS_FIELDS)
    low, high = definitions.score_range()
    percentage = score = None
    if fm.value(name, "democracy_percentage") is not None:
        percentage = fm.number(name, "democracy_percentage", what=f"{name}.democracy_percentage",
                               low=Decimal(0), high=Decimal(100))
    if fm.value(name, "democracy_score") is not None:
        score = fm.number(name, "democracy_score", what=f"{name}.democracy_score", low=low,
                          high=high)
    return StatedPrevious(percentage, _status(fm, (name, "status"), definitions), score,
                          fm.line(name))


CHANGE_FIELDS = ("category", "from", "to")


def score_changes(fm: FrontMatter, field: Field,
                  definitions: Definitions) -> tuple[ScoreChange, ...] | None:
    """The rating changes the source lists; None when it lists none at all ([]: no changes)."""
    name = field.name
    raw = fm.value(name)
    if raw is None:
        return None
    if not isinstance(raw, list):
        fm.error((name,), f"'{name}' must be a list of {{category, from, to}}")
        return None
    changes = []
    keys = [c.key for c in definitions.categories]
    for index, item in enumerate(raw):
        path = (name, index)
        if not isinstance(item, dict):
            fm.error(path, "each score change is a mapping with: category, from, to")
            continue
        if not fm.check_keys(path, CHANGE_FIELDS, CHANGE_FIELDS):
            continue
        category = definitions.category(str(item["category"]))
        if category is None:
            fm.error(path + ("category",), f"unknown category '{item['category']}'"
                     + unknown_category_hint(str(item["category"]), keys))
            continue
        before, after = (fm.number(*path, end, what=f"score change '{end}'", low=category.min,
                                   high=category.max, step=category.step)
                         for end in ("from", "to"))
        if before is not None and after is not None:
            changes.append(ScoreChange(category, before, after, fm.line(*path)))
    return tuple(changes)


def stated_change(fm: FrontMatter, field: Field, definitions: Definitions) -> StatedChange | None:
    name = field.name
    raw = fm.value(name)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fm.error((name,), f"'{name}' must be a mapping with: from, to")
        return None
    if not fm.check_keys((name,), ("from", "to"), ("from", "to")):
        return None
    low, high = definitions.score_range()
    before, after = (fm.number(name, end, what=f"{name} '{end}'", low=low, high=high)
                     for end in ("from", "to"))
    if before is None or after is None:
        return None
    return StatedChange(before, after, fm.line(name))


OTHER_SCORE_FIELDS = ("label", "score", "max", "status", "note")


def other_scores(fm: FrontMatter, field: Field, definitions: Definitions) -> tuple[OtherScore, ...]:
    name = field.name
    raw = fm.mapping(name, expected="a mapping from a key such as global-freedom to "
                                    "{score, max, status}")
    if raw is None:
        return ()
    result = []
    for key, item in raw.items():
        path = (name, key)
        if not SLUG_RE.match(str(key)):
            fm.error(path, f"{name} key '{key}' must be a slug such as global-freedom")
            continue
        if not isinstance(item, dict) or "score" not in item or "max" not in item:
            fm.error(path, f"{name}.{key} needs at least score and max")
            continue
        if not fm.check_keys(path, OTHER_SCORE_FIELDS):
            continue
        maximum = fm.number(*path, "max", what=f"{name}.{key}.max", low=Decimal(1))
        score = fm.number(*path, "score", what=f"{name}.{key}.score", low=Decimal(0),
                          high=maximum)
        label = fm.text(*path, "label") or str(key).replace("-", " ").capitalize() + " Score"
        status_name, note = fm.text(*path, "status"), fm.text(*path, "note")
        if score is not None and maximum is not None:
            result.append(OtherScore(str(key), label, score, maximum, status_name, note))
    return tuple(result)


SOURCE_FIELDS = ("url", "note")


def source(fm: FrontMatter, field: Field,
           definitions: Definitions) -> tuple[str | None, str | None]:
    """(url, note) of `source:`."""
    name = field.name
    if fm.mapping(name, expected="a mapping with url (and optional note)") is None:
        return None, None
    fm.check_keys((name,), SOURCE_FIELDS)
    return fm.url(name, "url"), fm.text(name, "note")


# --- the declaration ----------------------------------------------------------------------

REPORT_FIELDS: tuple[Field, ...] = (
    Field("country", True, text, "the country's display name"),
    Field("edition", True, year, "the edition's year (it covers the year before); must match "
                                 "the file name"),
    Field("draft", False, flag, "true: a draft, not published by a normal build"),
    Field("ratings", True, ratings, "category key -> rating, on the scale its series definition "
                                    "gives each category"),
    Field("status", False, status, "the regime status; checked against the Democracy Score",
          attributes=()),
    Field("democracy_score", False, stated_number(None, None),
          "the mean of the ratings, 2 decimals; checked", attributes=()),
    Field("democracy_percentage", False, stated_number(Decimal(0), Decimal(100)),
          "(mean - 1) / 6 * 100, 2 decimals; checked", attributes=()),
    Field("previous", False, previous, "last edition's figures as the source states them: "
                                       "democracy_percentage, status, democracy_score",
          attributes=("stated_previous",)),
    Field("score_changes", False, score_changes, "the rating changes the source lists: "
                                                 "category, from, to ([] for none)"),
    Field("democracy_score_change", False, stated_change, "the Democracy Score change the source "
                                                          "states: from, to"),
    Field("other_scores", False, other_scores, "scores from other reports: key -> label, score, "
                                               "max, status, note"),
    Field("authors", False, names, "the authors' names, a list"),
    Field("summary", False, text, "one paragraph for listings and meta tags"),
    Field("source", False, source, "where the report came from: url, note",
          attributes=("source_url", "source_note")),
)

FIELD_NAMES = tuple(f.name for f in REPORT_FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in REPORT_FIELDS if f.required)


def parse_fields(fm: FrontMatter, definitions: Definitions) -> dict[str, Any]:
    """Every declared field's value, by field name (unknown and missing fields reported)."""
    fm.check_keys((), FIELD_NAMES, REQUIRED_FIELDS)
    return {f.name: f.parse(fm, f, definitions) for f in REPORT_FIELDS}
