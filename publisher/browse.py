"""Browse-and-compare views: countries over time, editions ranked, categories across countries.

Everything a listing page shows is computed here from the `Report` records, once, so the
templates only loop and print (ranks, changes, chart geometry included).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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
    category_rows: tuple[tuple[Category, tuple[RatingCell | None, ...]], ...]  # per category, per report
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


@dataclass(frozen=True)
class CategoryView:
    category: Category
    url: str
    editions: tuple[int, ...]
    rows: tuple[tuple[str, str, tuple[RatingCell | None, ...]], ...]  # country, country url, per edition


@dataclass(frozen=True)
class Browse:
    countries: tuple[CountryView, ...]
    editions: tuple[EditionView, ...]
    categories: tuple[CategoryView, ...]
    status_counts: tuple[tuple[Status, int], ...]  # in the latest edition

    @property
    def latest_edition(self) -> EditionView | None:
        return self.editions[-1] if self.editions else None


def edition_url(year: int) -> str:
    return f"editions/{year}/"


def category_url(key: str) -> str:
    return f"categories/{key}/"


def build_browse(reports: tuple[Report, ...], definitions: Definitions) -> Browse:
    by_country: dict[str, list[Report]] = {}
    for report in reports:
        by_country.setdefault(report.slug, []).append(report)
    countries = tuple(sorted((country_view(sorted(rs, key=lambda r: r.edition), definitions)
                              for rs in by_country.values()), key=lambda c: c.name))
    years = sorted({r.edition for r in reports})
    editions = tuple(edition_view(year, [r for r in reports if r.edition == year], years, definitions)
                     for year in years)
    categories = tuple(category_view(c, countries, years, definitions) for c in definitions.categories)
    latest = editions[-1] if editions else None
    counts = tuple((status, len(rows)) for status, rows in latest.groups) if latest else ()
    return Browse(countries, editions, categories, counts)


def country_view(reports: list[Report], definitions: Definitions) -> CountryView:
    first = reports[0]
    changes = tuple(
        StatusChange(r.edition, r.previous.status, r.status, r.previous.from_file)
        for r in reports
        if r.previous and r.previous.status and r.previous.status != r.status
    )
    rows = []
    for category in definitions.categories:
        cells = tuple(_cell(r, category, definitions) for r in reports)
        if any(cells):
            rows.append((category, cells))
    editions = [r.edition for r in reports]
    missing = tuple(y for y in range(editions[0], editions[-1] + 1) if y not in editions)
    return CountryView(first.slug, first.country, first.country_url, tuple(reports), reports[-1],
                       changes, tuple(rows), missing, score_chart(first.country, reports))


def _cell(report: Report, category: Category, definitions: Definitions) -> RatingCell | None:
    for item in report.ratings:
        if item.category.key == category.key:
            anchor = f"#{item.section_id}" if item.section_id else ""
            band = definitions.status_for_score(item.rating)
            return RatingCell(item.rating, item.change, report.url + anchor, band.key if band else "none")
    return None


def edition_view(year: int, reports: list[Report], years: list[int],
                 definitions: Definitions) -> EditionView:
    ranked = sorted(reports, key=lambda r: (-r.democracy_score, r.country))
    rows = []
    for index, report in enumerate(ranked):
        # Equal scores share a rank (1, 2, 2, 4), as published rankings do.
        rank = index + 1
        if index and report.democracy_score == ranked[index - 1].democracy_score:
            rank = rows[-1].rank
        changed = bool(report.previous and report.previous.status
                       and report.previous.status != report.status)
        cells = tuple(_cell(report, c, definitions) for c in definitions.categories)
        rows.append(EditionRow(rank, report, changed, cells))
    groups = tuple((status, tuple(r for r in rows if r.report.status == status))
                   for status in definitions.statuses)
    position = years.index(year)
    return EditionView(
        year, edition_url(year), tuple(rows), tuple(g for g in groups if g[1]),
        years[position - 1] if position else None,
        years[position + 1] if position + 1 < len(years) else None,
    )


def category_view(category: Category, countries: tuple[CountryView, ...], years: list[int],
                  definitions: Definitions) -> CategoryView:
    rows = []
    for country in countries:
        by_year = {r.edition: _cell(r, category, definitions) for r in country.reports}
        cells = tuple(by_year.get(y) for y in years)
        if any(cells):
            rows.append((country.name, country.url, cells))
    return CategoryView(category, category_url(category.key), tuple(years), tuple(rows))


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
