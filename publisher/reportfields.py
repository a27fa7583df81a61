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

from .frontmatter import SLUG_RE, FrontMatter, did_you_mean, shown
from .model import OtherScore, ScoreChange, StatedChange, StatedPrevious
from .series import Series, Status

Parser = Callable[[FrontMatter, "Field", Series], Any]


@dataclass(frozen=True)
class Field:
    """One front-matter field of a report."""

    name: str  # the key in the file
    required: bool
    parse: Parser  # (front matter, this field, the report's series) -> the value for `attributes`
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

def text(fm: FrontMatter, field: Field, series: Series) -> str | None:
    return fm.text(field.name, required=field.required)


def year(fm: FrontMatter, field: Field, series: Series) -> int | None:
    return fm.year(field.name, required=field.required)


def flag(fm: FrontMatter, field: Field, series: Series) -> bool:
    return bool(fm.boolean(field.name))


def names(fm: FrontMatter, field: Field, series: Series) -> tuple[str, ...]:
    return fm.text_list(field.name)


def ratings(fm: FrontMatter, field: Field, series: Series) -> dict[str, Decimal] | None:
    """Category key -> rating, in category order; None when any entry is wrong (so nothing
    computed from the ratings is compared, and each wrong entry gives one message)."""
    name = field.name
    raw = fm.value(name)
    if raw is None and not fm.present(name):
        return None  # missing: `check_keys` said so
    if not isinstance(raw, dict) or not raw:
        fm.error((name,), f"'{name}' must map category keys to ratings, e.g. 'civil-society: 1.50'")
        return None
    keys = [c.key for c in series.all_nodes()]
    draft = fm.value("draft") is True
    result: dict[str, Decimal] = {}
    unrated = 0
    for key in raw:
        category = series.category(str(key))
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
                           high=category.max, step=category.step)  # (a group's step is None)
        if number is not None:
            result[category.key] = number
    if len(result) + unrated != len(raw):
        return None
    return {k: result[k] for k in keys if k in result}


def unknown_category_hint(key: str, candidates: list[str]) -> str:
    """'; did you mean ...' for a close match, else the categories to choose from."""
    return did_you_mean(key, candidates, "; expected one of: " + ", ".join(candidates))


def score_fields(series: Series) -> dict[str, str]:
    """The front-matter names a series gives its scores besides `scores:` (each score's own
    `field`: Nations in Transit's democracy_score) -> the score's key."""
    return {s.field: s.key for s in series.scores if s.field}


def change_field(series: Series) -> str:
    """The front-matter name of the main score's stated change: `<its field>_change`
    (democracy_score_change) when it has a field of its own, else `score_change`."""
    main = series.main_score
    return f"{main.field}_change" if main.field else "score_change"


def allowed_fields(series: Series) -> tuple[str, ...]:
    """The fields a report of this series may hold, in order: the declared ones, with the
    series' own names for its scores after `scores`, and its name for the main score's change
    in place of `score_change`."""
    names: list[str] = []
    for name in FIELD_NAMES:
        if name == "score_change":
            names.append(change_field(series))
        else:
            names.append(name)
        if name == "scores":
            names += score_fields(series)
    return tuple(names)


def stated_scores(fm: FrontMatter, field: Field, series: Series) -> dict[str, Decimal]:
    """The scores the source states, checked in `load` against what the ratings give: under
    `scores:` by key, or each under its own field (democracy_score: 1.39)."""
    result: dict[str, Decimal] = {}
    raw = fm.mapping(field.name, expected="a mapping from score keys to values, e.g. 'total: 23'")
    for key in raw or {}:
        score = series.score(str(key))
        if score is None:
            keys = [s.key for s in series.scores]
            fm.error((field.name, key), f"unknown score '{key}'" + did_you_mean(
                str(key), keys, "; expected one of: " + ", ".join(keys)))
        elif fm.value(field.name, key) is not None:
            _stated(fm, (field.name, key), score, result)
    for name, key in score_fields(series).items():
        if fm.value(name) is not None:
            _stated(fm, (name,), series.score(key), result)
    return result


def _stated(fm: FrontMatter, path: tuple, score, result: dict[str, Decimal]) -> None:
    what = ".".join(map(str, path))
    number = fm.number(*path, what=f"'{what}'", low=score.min, high=score.max)
    if number is not None:
        result[score.key] = number


def status(fm: FrontMatter, field: Field, series: Series) -> Status | None:
    return _status(fm, (field.name,), series)


def _status(fm: FrontMatter, path: tuple, series: Series) -> Status | None:
    value = fm.value(*path)
    if value is None:
        return None
    found = series.status_named(value) if isinstance(value, str) else None
    if found is None:
        statuses = [s.name for s in series.statuses]
        fm.error(path, f"unknown status {shown(value)}" + did_you_mean(
            str(value), statuses, "; expected one of: " + ", ".join(statuses)))
    return found


def previous_fields(series: Series) -> tuple[str, ...]:
    """What `previous:` may hold: each score (by its field, else its key), and the status."""
    return tuple(s.field or s.key for s in series.scores) + ("status",)


def previous(fm: FrontMatter, field: Field, series: Series) -> StatedPrevious | None:
    name = field.name
    allowed = previous_fields(series)
    if fm.mapping(name, expected=f"a mapping with {' and '.join(allowed)}") is None:
        return None
    fm.check_keys((name,), allowed)
    stated: dict[str, Decimal] = {}
    for score in series.scores:
        if fm.value(name, score.field or score.key) is not None:
            _stated(fm, (name, score.field or score.key), score, stated)
    return StatedPrevious(stated, _status(fm, (name, "status"), series), fm.line(name))


CHANGE_FIELDS = ("category", "from", "to")


def score_changes(fm: FrontMatter, field: Field,
                  series: Series) -> tuple[ScoreChange, ...] | None:
    """The rating changes the source lists; None when it lists none at all ([]: no changes)."""
    name = field.name
    raw = fm.value(name)
    if raw is None:
        return None
    if not isinstance(raw, list):
        fm.error((name,), f"'{name}' must be a list of {{category, from, to}}")
        return None
    changes = []
    keys = [c.key for c in series.all_nodes()]
    for index, item in enumerate(raw):
        path = (name, index)
        if not isinstance(item, dict):
            fm.error(path, "each score change is a mapping with: category, from, to")
            continue
        if not fm.check_keys(path, CHANGE_FIELDS, CHANGE_FIELDS):
            continue
        category = series.category(str(item["category"]))
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


def stated_change(fm: FrontMatter, field: Field, series: Series) -> StatedChange | None:
    name = change_field(series)
    raw = fm.value(name)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fm.error((name,), f"'{name}' must be a mapping with: from, to")
        return None
    if not fm.check_keys((name,), ("from", "to"), ("from", "to")):
        return None
    main = series.main_score
    before, after = (fm.number(name, end, what=f"{name} '{end}'", low=main.min, high=main.max)
                     for end in ("from", "to"))
    if before is None or after is None:
        return None
    return StatedChange(before, after, fm.line(name))


OTHER_SCORE_FIELDS = ("label", "score", "max", "status", "note")


def other_scores(fm: FrontMatter, field: Field, series: Series) -> tuple[OtherScore, ...]:
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
           series: Series) -> tuple[str | None, str | None]:
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
    Field("status", False, status, "the status the source states; checked against the "
                                   "series' status rule", attributes=()),
    Field("scores", False, stated_scores, "the scores the source states, by key (a score with a "
                                          "`field` of its own is written under that name, e.g. "
                                          "democracy_score); checked", attributes=()),
    Field("previous", False, previous, "last edition's figures as the source states them: its "
                                       "scores and status", attributes=("stated_previous",)),
    Field("score_changes", False, score_changes, "the rating changes the source lists: "
                                                 "category, from, to ([] for none)"),
    Field("score_change", False, stated_change, "the main score's change the source states: "
                                                "from, to (with a field of its own, "
                                                "`<field>_change`: democracy_score_change)",
          attributes=("stated_score_change",)),
    Field("other_scores", False, other_scores, "scores from other reports: key -> label, score, "
                                               "max, status, note"),
    Field("authors", False, names, "the authors' names, a list"),
    Field("summary", False, text, "one paragraph for listings and meta tags"),
    Field("source", False, source, "where the report came from: url, note",
          attributes=("source_url", "source_note")),
)

FIELD_NAMES = tuple(f.name for f in REPORT_FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in REPORT_FIELDS if f.required)


def parse_fields(fm: FrontMatter, series: Series) -> dict[str, Any]:
    """Every declared field's value, by field name (unknown and missing fields reported)."""
    fm.check_keys((), allowed_fields(series), REQUIRED_FIELDS)
    return {f.name: f.parse(fm, f, series) for f in REPORT_FIELDS}
