"""Reports as plain data: the `report.json` record (and, later, rows for CSV/JSON downloads)."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from . import urls
from .memo import derived
from .config import SiteConfig
from .definitions import Definitions
from .model import Report
from .series import Series, plain_number

def data_fields(series: Series) -> tuple[tuple[str, str], ...]:
    """The columns of data/reports.csv and the keys of data/reports.json, as documented on
    the Data page: identity, status, each score (under its own field name, else its key), a
    column per category, last edition's main score and status, the address."""
    main = series.main_score
    leaves = series.categories
    low, high = min(c.min for c in leaves), max(c.max for c in leaves)
    status_input = series.score(series.status.input) or series.category(series.status.input)
    return (
        ("country", "Country name."),
        ("slug", "Country identifier used in addresses, e.g. kazakhstan."),
        ("edition", "Edition year of the report (it covers the year before)."),
        ("year_covered", "The calendar year the report covers."),
        ("status", f"{series.status.title or 'Status'}, from the "
                   f"{status_input.title if status_input else series.status.input} bands."),
        *((score.field or score.key, score.description or f"{score.title}.")
          for score in series.scores),
        ("<category key>", f"One column per category: that category's rating, {plain_number(low)}-"
                           f"{plain_number(high)}; empty when not rated."),
        (f"previous_{main.field or main.key}", f"Last edition's {main.title}, when known."),
        ("previous_status", "Last edition's status, when known."),
        ("url", "Address of the report page."),
    )


def _number(value: Decimal | None) -> float | int | None:
    """JSON numbers: whole numbers stay integers, others keep their 2 decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
        else float(value)


def _shown(value: Decimal | None, places: int) -> Decimal | None:
    """A value with the decimals its definition gives it (a 0-4 indicator 3, a rating 1.50)."""
    return None if value is None else value.quantize(Decimal(1).scaleb(-places))


def _headline(report: Report, series: Series) -> dict[str, Any]:
    """The identity and headline figures every data form starts with (numbers as Decimals
    with their decimals: `_number` makes them JSON numbers)."""
    return {
        "country": report.country,
        "slug": report.slug,
        "edition": report.edition,
        "year_covered": report.year_covered,
        "status": report.status.name,
        **{score.field or score.key: _shown(report.scores.get(score.key), score.decimals)
           for score in series.scores},
    }


def report_record(report: Report, config: SiteConfig, series: Series) -> dict[str, Any]:
    """The facts of one report, as documented on the Data page: its series, status and scores
    by the definition's keys, and (as the first Nations in Transit sites had them) each score
    under its own field name too."""
    source = report.source
    previous = report.previous
    return {
        **{key: _number(value) if isinstance(value, Decimal) else value
           for key, value in _headline(report, series).items()},
        "series": series.key,
        "scores": {key: _number(_shown(value, series.places_of(key)))
                   for key, value in report.scores.items()},
        "ratings": {r.category.key: _number(_shown(r.rating, r.category.places))
                    for r in report.category_ratings},
        "other_scores": {
            s.key: {"label": s.label, "score": _number(s.score), "max": _number(s.max),
                    "status": s.status, "note": s.note}
            for s in source.other_scores
        },
        "authors": list(source.authors),
        "summary": source.summary,
        "source_url": source.source_url,
        "source_note": source.source_note,
        "url": urls.absolute(config, report.url),
        "previous": None if previous is None else {
            "edition": previous.edition,
            **{score.field or score.key: _number(_shown(previous.scores.get(score.key),
                                                        score.decimals))
               for score in series.scores},
            "status": previous.status.name if previous.status else None,
            "source": "file" if previous.from_file else "stated",
        },
        "score_changes": None if source.score_changes is None else [
            {"category": c.category.key, "from": _number(c.before), "to": _number(c.after)}
            for c in source.score_changes
        ],
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "category": section.category.key if section.category else None,
                "rating": _number(_shown(source.category_values.get(section.category.key),
                                         section.category.places))
                if section.category else None,
                "text": section.text,
                "footnotes": [
                    {"number": int(n.label) if n.label.isdigit() else n.label, "text": n.text}
                    for n in section.footnotes
                ],
            }
            for section in report.sections
        ],
    }


COMBINED_FIELDS: tuple[tuple[str, str], ...] = (
    ("series", "Key of the report's series (its definition in data/series/)."),
    ("country", "Country name."),
    ("slug", "Country identifier used in addresses, e.g. kazakhstan."),
    ("edition", "Edition year of the report."),
    ("year_covered", "The calendar year the report covers."),
    ("status", "The report's status in its series."),
    ("score", "The series' main score (each series' own file has every score and rating)."),
    ("url", "Address of the report page."),
)


def report_row(report: Report, config: SiteConfig, definitions: Definitions,
               combined: bool = False) -> dict[str, Any]:
    """One row of the all-reports downloads: one country-edition, flat. On a site with several
    series every row names its series first; the file of every report together (`combined`)
    has the columns all series share, each series' own file all of its scores and ratings."""
    series = definitions.series_by_key(report.series)
    if combined:
        return {"series": series.key, "country": report.country, "slug": report.slug,
                "edition": report.edition, "year_covered": report.year_covered,
                "status": report.status.name,
                "score": _shown(report.score, series.main_score.decimals),
                "url": urls.absolute(config, report.url)}
    main = series.main_score
    ratings = {r.category.key: r.rating for r in report.category_ratings}
    previous = report.previous
    row = {"series": series.key} if definitions.several else {}
    row.update(_headline(report, series))
    for category in series.categories:
        row[category.key] = _shown(ratings.get(category.key), category.places)
    row[f"previous_{main.field or main.key}"] = (_shown(previous.scores.get(main.key),
                                                        main.decimals) if previous else None)
    row["previous_status"] = previous.status.name if previous and previous.status else None
    row["url"] = urls.absolute(config, report.url)
    return row


def _file_series(reports: tuple[Report, ...], definitions: Definitions) -> Series | None:
    """The series of a download's rows; None for every report of a site with several."""
    keys = {r.series for r in reports}
    if not definitions.several:
        return definitions.primary
    return definitions.series_by_key(keys.pop()) if len(keys) == 1 else None


def reports_csv(reports: tuple[Report, ...], config: SiteConfig, definitions: Definitions) -> bytes:
    """data/reports.csv: the rows of `report_row`, numbers with their 2 decimals, text cells
    made safe to open in a spreadsheet (`csv_text`)."""
    series = _file_series(reports, definitions)
    columns = [csv_text(name) for name in row_columns(definitions, series)]
    lines = derived(_row_lines, reports, (config, definitions, series is None))
    return (_csv_line(columns) + "".join(csv for csv, _ in lines)).encode("utf-8")


def reports_json(reports: tuple[Report, ...], config: SiteConfig, definitions: Definitions) -> bytes:
    """data/reports.json: a JSON array of the rows of `report_row`, one compact row per line
    (readable, diffable, and fast to write)."""
    series = _file_series(reports, definitions)
    lines = derived(_row_lines, reports, (config, definitions, series is None))
    return ("[\n" + ",\n".join(js for _, js in lines) + "\n]\n").encode("utf-8")


def row_columns(definitions: Definitions, series: Series | None = None) -> list[str]:
    """The columns of a download: of one series' reports, or (None) of every report together."""
    if series is None and definitions.several:
        return [name for name, _ in COMBINED_FIELDS]
    series = series or definitions.primary
    names = [name for name, _ in data_fields(series) if not name.startswith("<")]
    position = names.index(f"previous_{series.main_score.field or series.main_score.key}")
    names = names[:position] + [c.key for c in series.categories] + names[position:]
    return (["series"] if definitions.several else []) + names


def _row_lines(report: Report, context: tuple[SiteConfig, Definitions, bool]) -> tuple[str, str]:
    """One report's line of reports.csv and of reports.json (both downloads list every report:
    their rows are formatted once per report record, see memo.py)."""
    config, definitions, combined = context
    row = report_row(report, config, definitions, combined)
    values = ["" if value is None else f"{value:f}" if isinstance(value, Decimal)
              else csv_text(value) if isinstance(value, str) else value
              for value in row.values()]
    numbers = {key: _number(value) if isinstance(value, Decimal) else value
               for key, value in row.items()}
    return _csv_line(values), json.dumps(numbers, ensure_ascii=False)


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A text cell that spreadsheet programs show and never evaluate: one starting with = + -
    @, a tab or a carriage return gets a leading apostrophe, as OWASP recommends ("=1+2" ->
    "'=1+2"). Only text cells: numbers (-0.25) are written as numbers, never prefixed.
    reports.json keeps the text as it is."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    # The writer quotes a cell that holds the line end ("\n") but not a lone "\r", which
    # readers take for one: a row with such a cell is written with every cell quoted.
    carriage_return = any(isinstance(value, str) and "\r" in value for value in values)
    csv.writer(buffer, lineterminator="\n",
               quoting=csv.QUOTE_ALL if carriage_return else csv.QUOTE_MINIMAL).writerow(values)
    return buffer.getvalue()

