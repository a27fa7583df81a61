"""Browse-and-compare views: countries over time, editions ranked, categories across countries.

Everything a listing page shows is computed here, so the templates only loop and print
(ranks, changes, chart geometry included). Each view is a function of what its page kind
hands it (see pages.py) and of the shared definitions, nothing else: that is what lets a
page's dependencies be made from its inputs.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from . import urls
from .definitions import Category, Definitions, Status
from .model import Report


@dataclass(frozen=True)
class StatusChange:
    edition: int
    old: Status
    new: Status
    from_file: bool  # False when last year's status is only as the source stated it


@dataclass(frozen=True)
class RatingCell:
    """One category rating of one report, with the change from the previous edition."""

    rating: Decimal
    change: Decimal | None
    url: str  # the report section's address
    band: str  # key of the status band the rating falls in, for the heat-map colour


@dataclass(frozen=True)
class ChartPoint:
    edition: int
    score: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class ScoreChart:
    """An inline SVG line chart of the Democracy Score; geometry computed here."""

    width: int
    height: int
    points: tuple[ChartPoint, ...]
    segments: tuple[str, ...]  # SVG path data; a gap where an edition is missing
    x_ticks: tuple[tuple[int, float], ...]
    y_ticks: tuple[tuple[int, float], ...]
    summary: str


@dataclass(frozen=True)
class CountryView:
    slug: str
    name: str
    url: str
    reports: tuple[Report, ...]  # by edition, oldest first
    latest: Report
    status_changes: tuple[StatusChange, ...]
    # per category: the category, its page's address, a cell per report
    category_rows: tuple[tuple[Category, str, tuple[RatingCell | None, ...]], ...]
    missing_editions: tuple[int, ...]
    chart: ScoreChart


@dataclass(frozen=True)
class EditionRow:
    rank: int
    report: Report
    status_changed: bool
    cells: tuple[RatingCell | None, ...]  # one per category, in category order


@dataclass(frozen=True)
class EditionView:
    year: int
    url: str
    rows: tuple[EditionRow, ...]  # ranked by Democracy Score, best first
    groups: tuple[tuple[Status, tuple[EditionRow, ...]], ...]
    previous_year: int | None
    next_year: int | None

    @property
    def previous_url(self) -> str | None:
        return urls.edition(self.previous_year) if self.previous_year else None

    @property
    def next_url(self) -> str | None:
        return urls.edition(self.next_year) if self.next_year else None


@dataclass(frozen=True)
class CategoryView:
    category: Category
    url: str
    editions: tuple[int, ...]
    rows: tuple[tuple[str, str, tuple[RatingCell | None, ...]], ...]  # country, country url, per edition


@dataclass(frozen=True)
class CountrySummary:
    """One row of the country list: a country, its latest report and the editions it has."""

    slug: str
    name: str
    url: str
    latest: Report
    count: int
    first_edition: int


@dataclass(frozen=True)
class EditionSummary:
    """One edition in the list of editions: how many countries, how many in each status."""

    year: int
    url: str
    count: int
    status_counts: tuple[tuple[Status, int], ...]


def status_counts(reports: list[Report], definitions: Definitions) -> tuple[tuple[Status, int], ...]:
    """How many of `reports` are in each status (in the order of the statuses; empty ones left out)."""
    counts = Counter(r.status.key for r in reports)
    return tuple((status, counts[status.key]) for status in definitions.statuses
                 if counts[status.key])


def country_list(latest: tuple[Report, ...],
                 spans: tuple[tuple[int, int], ...]) -> tuple[CountrySummary, ...]:
    """The rows of the country list: each country's latest report, with its number of editions
    and first edition (`spans`, in the same order)."""
    return tuple(CountrySummary(r.slug, r.country, r.country_url, r, count, first)
                 for r, (count, first) in zip(latest, spans))


def edition_list(reports_by_year: dict[int, list[Report]],
                 definitions: Definitions) -> tuple[EditionSummary, ...]:
    """Every edition, oldest first, with its number of countries per status."""
    return tuple(EditionSummary(year, urls.edition(year), len(reports),
                                status_counts(reports, definitions))
                 for year, reports in reports_by_year.items())


@dataclass(frozen=True)
class EditionLink:
    """One year in a report's "Other years" list."""

    edition: int
    url: str
    current: bool  # the report on the page


def other_years(slug: str, editions: tuple[int, ...], current: int) -> tuple[EditionLink, ...]:
    """Every edition of a country's report, oldest first, the one on the page marked."""
    return tuple(EditionLink(year, urls.report(slug, year), year == current) for year in editions)


def neighbours_of(years: tuple[int, ...], year: int) -> tuple[int | None, int | None]:
    """The editions before and after `year` among `years` (in order)."""
    position = years.index(year)
    return (years[position - 1] if position else None,
            years[position + 1] if position + 1 < len(years) else None)


def country_view(reports: tuple[Report, ...], definitions: Definitions,
                 cells: CellTable) -> CountryView:
    """A country's page: its reports by edition (oldest first), status changes, cells, chart."""
    changes = tuple(
        StatusChange(r.edition, r.previous.status, r.status, r.previous.from_file)
        for r in reports
        if r.previous and r.previous.status and r.previous.status != r.status
    )
    rows = []
    for category in definitions.categories:
        row = tuple(cells.cell(r, category) for r in reports)
        if any(row):
            rows.append((category, urls.category(category.key), row))
    editions = [r.edition for r in reports]
    missing = tuple(y for y in range(editions[0], editions[-1] + 1) if y not in editions)
    latest = reports[-1]  # a country renamed over the years goes by its latest name
    return CountryView(latest.slug, latest.country, latest.country_url, tuple(reports), latest,
                       changes, tuple(rows), missing, score_chart(latest.country, list(reports)))


class RatingEntry(NamedTuple):
    """One report in one category's table: its country and edition, and its rating cell
    (None when the report does not rate the category). A named tuple: a build makes one per
    report and category, and hashes its repr (see pages.PerReport)."""

    slug: str
    country: str
    edition: int
    cell: RatingCell | None


def rating_entries(report: Report, definitions: Definitions) -> dict[str, RatingEntry]:
    """A report's entry in every category's table, by category key."""
    cells = {}
    for item in report.ratings:
        anchor = f"#{item.section_id}" if item.section_id else ""
        cells[item.category.key] = RatingCell(item.rating, item.change, report.url + anchor,
                                              _band(definitions, item.rating))
    return {c.key: RatingEntry(report.slug, report.country, report.edition, cells.get(c.key))
            for c in definitions.categories}


def _band(definitions: Definitions, rating: Decimal) -> str:
    band = definitions.status_for_score(rating)
    return band.key if band else "none"


class CellTable:
    """Every report's rating cells (`rating_entries`), which the country, edition and category
    views all show; made once per report record by the page kinds (see pages.py)."""

    def __init__(self, entries: dict[int, dict[str, RatingEntry]]):
        self._entries = entries  # by id() of the report record

    def cell(self, report: Report, category: Category) -> RatingCell | None:
        return self._entries[id(report)][category.key].cell


def edition_view(year: int, reports: tuple[Report, ...], neighbours: tuple[int | None, int | None],
                 definitions: Definitions, cells: CellTable) -> EditionView:
    """An edition's page: its reports ranked, grouped by status, with their cells."""
    ranked = sorted(reports, key=lambda r: (-r.democracy_score, r.country))
    rows = []
    for index, report in enumerate(ranked):
        # Equal scores share a rank (1, 2, 2, 4), as published rankings do.
        rank = index + 1
        if index and report.democracy_score == ranked[index - 1].democracy_score:
            rank = rows[-1].rank
        changed = bool(report.previous and report.previous.status
                       and report.previous.status != report.status)
        row_cells = tuple(cells.cell(report, c) for c in definitions.categories)
        rows.append(EditionRow(rank, report, changed, row_cells))
    groups = tuple((status, tuple(r for r in rows if r.report.status == status))
                   for status in definitions.statuses)
    previous_year, next_year = neighbours
    return EditionView(year, urls.edition(year), tuple(rows), tuple(g for g in groups if g[1]),
                       previous_year, next_year)


def category_view(category: Category, entries: tuple[RatingEntry, ...],
                  years: tuple[int, ...]) -> CategoryView:
    """A category's page: every country's rating in it per edition, countries by name.
    `entries`: every report's entry in this category, by country (slug) and edition."""
    by_country: dict[str, list[RatingEntry]] = {}
    for entry in entries:
        by_country.setdefault(entry.slug, []).append(entry)
    rows = []
    for slug, country_entries in by_country.items():
        by_year = {e.edition: e.cell for e in country_entries}
        row = tuple(by_year.get(y) for y in years)
        if any(row):
            # a country renamed over the years goes by its latest name
            rows.append((country_entries[-1].country, urls.country(slug), row))
    rows.sort(key=lambda row: row[0])
    return CategoryView(category, urls.category(category.key), years, tuple(rows))


def score_chart(country: str, reports: list[Report], width: int = 640, height: int = 240) -> ScoreChart:
    """Democracy Score over the editions on a fixed 1-7 axis (so countries compare at a glance)."""
    left, right, top, bottom = 44, 16, 16, 36
    editions = [r.edition for r in reports]
    first, last = editions[0], editions[-1]
    span = max(last - first, 1)

    def x_of(year: int) -> float:
        if first == last:
            return round(left + (width - left - right) / 2, 1)
        return round(left + (year - first) / span * (width - left - right), 1)

    def y_of(score: Decimal) -> float:
        return round(top + (7 - float(score)) / 6 * (height - top - bottom), 1)

    points = tuple(ChartPoint(r.edition, r.democracy_score, x_of(r.edition), y_of(r.democracy_score))
                   for r in reports)
    segments, current = [], []
    for point in points:
        if current and point.edition != current[-1].edition + 1:
            segments.append(current)
            current = []
        current.append(point)
    segments.append(current)
    paths = tuple("M" + " L".join(f"{p.x} {p.y}" for p in seg) for seg in segments if len(seg) > 1)
    step = 1 if span <= 10 else (2 if span <= 20 else 5)
    x_ticks = tuple((y, x_of(y)) for y in range(first, last + 1) if (y - first) % step == 0 or y == last)
    y_ticks = tuple((v, y_of(Decimal(v))) for v in range(1, 8))
    return ScoreChart(width, height, points, paths, x_ticks, y_ticks, chart_summary(country, reports))


def chart_summary(country: str, reports: list[Report]) -> str:
    first, last = reports[0], reports[-1]
    if len(reports) == 1:
        return f"{country}'s Democracy Score was {first.democracy_score} in {first.edition}."
    direction = ("rose" if last.democracy_score > first.democracy_score
                 else "fell" if last.democracy_score < first.democracy_score else "was unchanged")
    low = min(reports, key=lambda r: (r.democracy_score, r.edition))
    high = max(reports, key=lambda r: (r.democracy_score, -r.edition))
    if direction == "was unchanged":
        core = f"{country}'s Democracy Score was {first.democracy_score} in both {first.edition} and {last.edition}"
    else:
        core = (f"{country}'s Democracy Score {direction} from {first.democracy_score} in {first.edition} "
                f"to {last.democracy_score} in {last.edition}")
    return (f"{core}; its lowest was {low.democracy_score} ({low.edition}) and its highest "
            f"{high.democracy_score} ({high.edition}), on a scale of 1 to 7.")
