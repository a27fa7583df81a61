"""Browse-and-compare views: countries over time, editions ranked, categories across countries.

Everything a listing page shows is computed here, so the templates only loop and print
(ranks, changes, chart geometry included). Each view is a function of what its page kind
hands it (see pages.py) and of the shared definitions, nothing else: that is what lets a
page's dependencies be made from its inputs.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import NamedTuple

from . import urls
from .definitions import Category, Definitions, Region, Status
from .mapdata import Choropleth, MapEntry, World, choropleth
from .model import Report
from .scores import round_places
from .series import Series, plain_number


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
    places: int  # decimals the rating is shown with (its category's: 2 for NIT, 0 for FIW points)


@dataclass(frozen=True)
class ChartPoint:
    edition: int
    score: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class ScoreChart:
    """An inline SVG line chart of the series' main score; geometry computed here."""

    width: int
    height: int
    points: tuple[ChartPoint, ...]
    segments: tuple[str, ...]  # SVG path data; a gap where an edition is missing
    x_ticks: tuple[tuple[int, float], ...]
    y_ticks: tuple[tuple[str, float], ...]  # label, position
    summary: str
    axis_note: str  # what the vertical axis shows ("fitted to these scores ...")
    title: str = ""  # "Democracy Score by edition"
    plot_left: int = 60  # where the plotting area starts (the y labels are left of it)


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
    region: Region | None = None  # as data/countries.yaml groups it in its latest edition


@dataclass(frozen=True)
class EditionRow:
    rank: int
    report: Report
    status_changed: bool
    cells: tuple[RatingCell | None, ...]  # one per category, in category order
    region: Region | None  # as data/countries.yaml groups the country in this edition


@dataclass(frozen=True)
class RegionGroup:
    """An edition's countries in one region, ranked, with their average main score."""

    region: Region | None  # None: the countries data/countries.yaml gives no region
    rows: tuple[EditionRow, ...]
    average: Decimal  # unweighted mean of the main scores, rounded as the score is

    @property
    def name(self) -> str:
        return self.region.name if self.region else "Other countries"

    @property
    def key(self) -> str:
        return self.region.key if self.region else "other"


@dataclass(frozen=True)
class EditionView:
    year: int
    url: str
    rows: tuple[EditionRow, ...]  # ranked by the main score, best first
    groups: tuple[tuple[Status, tuple[EditionRow, ...]], ...]
    previous_year: int | None
    next_year: int | None
    # by region, in the series' order (empty when no country of the edition has a region)
    regions: tuple[RegionGroup, ...] = ()
    scope: str = ""  # the series' part of the addresses (see urls.scope)

    @property
    def previous_url(self) -> str | None:
        return urls.edition(self.scope, self.previous_year) if self.previous_year else None

    @property
    def next_url(self) -> str | None:
        return urls.edition(self.scope, self.next_year) if self.next_year else None


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
    region: Region | None = None  # as data/countries.yaml groups it in its latest edition


@dataclass(frozen=True)
class EditionSummary:
    """One edition in the list of editions: how many countries, how many in each status."""

    year: int
    url: str
    count: int
    status_counts: tuple[tuple[Status, int], ...]


def series_of(reports, definitions: Definitions) -> Series:
    """The series of `reports` (the reports of one page are all of one series)."""
    return definitions.series_of(reports[0]) if reports else definitions.primary


def status_counts(reports: list[Report], definitions: Definitions) -> tuple[tuple[Status, int], ...]:
    """How many of `reports` are in each status (in the order of the statuses; empty ones left out)."""
    counts = Counter(r.status.key for r in reports)
    return tuple((status, counts[status.key]) for status in series_of(reports, definitions).statuses
                 if counts[status.key])


def country_list(latest: tuple[Report, ...], spans: tuple[tuple[int, int], ...],
                 definitions: Definitions) -> tuple[CountrySummary, ...]:
    """The rows of the country list: each country's latest report, with its number of editions
    and first edition (`spans`, in the same order), and its region."""
    return tuple(CountrySummary(r.slug, r.country, r.country_url, r, count, first,
                                definitions.region_of(r.country, r.edition))
                 for r, (count, first) in zip(latest, spans))


def edition_list(reports_by_year: dict[int, list[Report]], definitions: Definitions,
                 scope: str = "") -> tuple[EditionSummary, ...]:
    """Every edition of a series, oldest first, with its number of countries per status."""
    return tuple(EditionSummary(year, urls.edition(scope, year), len(reports),
                                status_counts(reports, definitions))
                 for year, reports in reports_by_year.items())


@dataclass(frozen=True)
class HeadlineValue:
    """One badge of a report page: a score (or category) of the series' headline, with last
    year's value and the change when known."""

    title: str
    value: Decimal
    max: Decimal
    places: int  # decimals it is shown with
    previous: Decimal | None  # last year's value, when known
    change: Decimal | None  # None with a previous value: it is only known rounded (as stated)


def headline_values(report: Report, series: Series) -> tuple[HeadlineValue, ...]:
    """The report's headline values: the main score, then the others the series definition
    lists, in its order."""
    previous = report.previous
    ratings = {r.category.key: r for r in report.category_ratings}
    result = []
    for key in (series.main, *(k for k in series.headline if k != series.main)):
        score, node = series.score(key), series.category(key)
        if score is not None and key in report.scores:
            last = previous.scores.get(key) if previous else None
            result.append(HeadlineValue(score.title, report.scores[key],
                                        score.max if score.max is not None else series.score_scale()[1],
                                        score.decimals, last, report.changes.get(key)))
        elif node is not None and key in ratings:
            item = ratings[key]
            result.append(HeadlineValue(node.title, item.rating, node.max, node.places,
                                        item.previous, item.change))
    return tuple(result)


@dataclass(frozen=True)
class EditionLink:
    """One year in a report's "Other years" list."""

    edition: int
    url: str
    current: bool  # the report on the page


def other_years(slug: str, scope: str, editions: tuple[int, ...],
                current: int) -> tuple[EditionLink, ...]:
    """Every edition of a country's report in its series, oldest first, the one on the page
    marked."""
    return tuple(EditionLink(year, urls.report(slug, scope, year), year == current)
                 for year in editions)


def neighbours_of(years: tuple[int, ...], year: int) -> tuple[int | None, int | None]:
    """The editions before and after `year` among `years` (in order)."""
    position = years.index(year)
    return (years[position - 1] if position else None,
            years[position + 1] if position + 1 < len(years) else None)


def country_view(reports: tuple[Report, ...], definitions: Definitions,
                 cells: CellTable, scope: str = "") -> CountryView:
    """A country's page: its reports by edition (oldest first), status changes, cells, chart."""
    changes = tuple(
        StatusChange(r.edition, r.previous.status, r.status, r.previous.from_file)
        for r in reports
        if r.previous and r.previous.status and r.previous.status != r.status
    )
    rows = []
    for category in series_of(reports, definitions).categories:
        row = tuple(cells.cell(r, category) for r in reports)
        if any(row):
            rows.append((category, urls.category(scope, category.key), row))
    editions = [r.edition for r in reports]
    missing = tuple(y for y in range(editions[0], editions[-1] + 1) if y not in editions)
    latest = reports[-1]  # a country renamed over the years goes by its latest name
    series = definitions.series_by_key(latest.series)
    return CountryView(latest.slug, latest.country, latest.country_url, tuple(reports), latest,
                       changes, tuple(rows), missing,
                       score_chart(latest.country, list(reports), series),
                       definitions.region_of(latest.country, latest.edition))


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
    series = definitions.series_of(report)
    cells = {}
    for item in report.category_ratings:
        anchor = f"#{item.section_id}" if item.section_id else ""
        cells[item.category.key] = RatingCell(item.rating, item.change, report.url + anchor,
                                              _band(series, item.category, item.rating),
                                              item.category.places)
    return {report.scope + c.key: RatingEntry(report.slug, report.country, report.edition,
                                              cells.get(c.key))
            for c in series.all_nodes()}


def _band(series: Series, category: Category, rating: Decimal) -> str:
    """The status whose band a rating falls in, for its cell's colour: where a category is
    rated on the scale of the status rule's input (Nations in Transit's 1-7), else none."""
    if not series.bands_ratings_of(category):
        return "none"
    band = series.status.band(rating)
    return band.value if band else "none"


class CellTable:
    """Every report's rating cells (`rating_entries`), which the country, edition and category
    views all show; made once per report record by the page kinds (see pages.py)."""

    def __init__(self, entries: dict[int, dict[str, RatingEntry]]):
        self._entries = entries  # by id() of the report record

    def cell(self, report: Report, category: Category) -> RatingCell | None:
        return self._entries[id(report)][report.scope + category.key].cell


def edition_view(year: int, reports: tuple[Report, ...], neighbours: tuple[int | None, int | None],
                 definitions: Definitions, cells: CellTable, scope: str = "") -> EditionView:
    """An edition's page: its reports ranked, grouped by status, with their cells."""
    ranked = sorted(reports, key=lambda r: (-r.score, r.country))
    rows = []
    for index, report in enumerate(ranked):
        # Equal scores share a rank (1, 2, 2, 4), as published rankings do.
        rank = index + 1
        if index and report.score == ranked[index - 1].score:
            rank = rows[-1].rank
        changed = bool(report.previous and report.previous.status
                       and report.previous.status != report.status)
        row_cells = tuple(cells.cell(report, c) for c in series_of(reports, definitions).categories)
        rows.append(EditionRow(rank, report, changed, row_cells,
                               definitions.region_of(report.country, year)))
    groups = tuple((status, tuple(r for r in rows if r.report.status == status))
                   for status in series_of(reports, definitions).statuses)
    previous_year, next_year = neighbours
    return EditionView(year, urls.edition(scope, year), tuple(rows),
                       tuple(g for g in groups if g[1]), previous_year, next_year,
                       region_groups(rows, definitions, series_of(reports, definitions)), scope)


def edition_map(rows: tuple[EditionRow, ...], definitions: Definitions,
                world: World | None) -> Choropleth | None:
    """The edition's map of regime status: each country a link to its report, named with its
    status and score, in the ranking's order (the order the keyboard visits them). None when
    there are no shapes to draw with."""
    if world is None or not rows:
        return None
    series = definitions.series_by_key(rows[0].report.series)
    main = series.main_score
    top = plain_number(series.score_scale()[1])
    entries = [MapEntry(row.report.country, row.report.status.key, row.report.url,
                        f"{row.report.country}: {row.report.status.name}, {main.title} "
                        f"{row.report.score:.{main.decimals}f} out of {top}")
               for row in rows]
    edition = rows[0].report.edition
    return replace(choropleth(entries, series.statuses, world=world),
                   title=f"{series.status.title or 'Status'} by country, {series.title_of(edition)}",
                   status_title=series.status.title or "Status")


def region_groups(rows: list[EditionRow], definitions: Definitions,
                  series: Series) -> tuple[RegionGroup, ...]:
    """An edition's ranked rows by region, in the series' order of regions; the countries
    without a region last. None at all when no country has a region."""
    if not any(row.region for row in rows):
        return ()
    groups = []
    for region in (*definitions.regions, None):
        members = tuple(row for row in rows if row.region == region)
        if members:
            total = sum((Fraction(row.report.score) for row in members), Fraction(0))
            groups.append(RegionGroup(region, members,
                                      round_places(total / len(members),
                                                   max(series.main_score.decimals, 2))))
    return tuple(groups)


def category_view(category: Category, entries: tuple[RatingEntry, ...],
                  years: tuple[int, ...], scope: str = "") -> CategoryView:
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
    return CategoryView(category, urls.category(scope, category.key), years, tuple(rows))


# Steps a fitted axis may take, finest first: the finest that needs at most AXIS_INTERVALS.
AXIS_STEPS = tuple(Decimal(step) for step in ("0.05", "0.1", "0.25", "0.5", "1", "2"))
AXIS_INTERVALS = 5


@dataclass(frozen=True)
class Axis:
    """A value axis: from `low` to `high` with a tick every `step`."""

    low: Decimal
    high: Decimal
    step: Decimal
    fitted: bool  # narrower than the full scale, to show small changes

    @property
    def ticks(self) -> tuple[Decimal, ...]:
        count = int((self.high - self.low) / self.step)
        return tuple(self.low + self.step * n for n in range(count + 1))

    def position(self, value: Decimal, top: float, bottom: float) -> float:
        """Where `value` goes between `top` (the axis' high end) and `bottom` (its low end)."""
        share = float((self.high - value) / (self.high - self.low))
        return round(top + share * (bottom - top), 1)


def fitted_axis(values: list[Decimal], scale: tuple[Decimal, Decimal], places: int = 2) -> Axis:
    """An axis that fits `values` with round ticks, inside the full `scale` (1 to 7): a fall from
    1.39 to 1.32 fills the chart instead of a tenth of it. Never narrower than two ticks apart."""
    low, high = min(values), max(values)
    floor, ceiling = scale
    # Steps made for Nations in Transit's 1-7, scaled up by powers of ten for a wider scale
    # (a 0-100 score gets steps of 5 to 200)
    factor = Decimal(1)
    while (ceiling - floor) / factor > 60:
        factor *= 10
    finest = Decimal(1).scaleb(-places)  # no tick finer than the score is given (23, not 22.5)
    for step in (s * factor for s in AXIS_STEPS if s * factor >= finest):
        start = max((low / step).to_integral_value(rounding=ROUND_FLOOR) * step, floor)
        end = min((high / step).to_integral_value(rounding=ROUND_CEILING) * step, ceiling)
        if end - start < 2 * step:  # one value or a tiny range: room above and below
            end = min(end + step, ceiling)
            if end - start < 2 * step:
                start = max(start - step, floor)
        if (end - start) / step <= AXIS_INTERVALS:
            break
    if end - start >= ceiling - floor:  # the data span the whole scale: show it, in whole points
        return Axis(floor, ceiling, Decimal(1), False)
    return Axis(start, end, step, True)


def score_chart(country: str, reports: list[Report], series: Series,
                width: int = 640, height: int = 240) -> ScoreChart:
    """The main score over the editions, its y-axis fitted to the scores (and saying so)."""
    scale = series.score_scale()
    left, right, top, bottom = ScoreChart.plot_left, 16, 16, 36
    editions = [r.edition for r in reports]
    first, last = editions[0], editions[-1]
    span = max(last - first, 1)
    axis = fitted_axis([r.score for r in reports], scale, series.main_score.decimals)

    def x_of(year: int) -> float:
        if first == last:
            return round(left + (width - left - right) / 2, 1)
        return round(left + (year - first) / span * (width - left - right), 1)

    def y_of(score: Decimal) -> float:
        return axis.position(score, top, height - bottom)

    points = tuple(ChartPoint(r.edition, r.score, x_of(r.edition), y_of(r.score))
                   for r in reports)
    paths = _line_paths(points)
    step = 1 if span <= 10 else (2 if span <= 20 else 5)
    x_ticks = tuple((y, x_of(y)) for y in range(first, last + 1) if (y - first) % step == 0 or y == last)
    y_ticks = tuple((_tick_label(v, axis), y_of(v)) for v in axis.ticks)
    return ScoreChart(width, height, points, paths, x_ticks, y_ticks,
                      chart_summary(country, reports, series), axis_note(axis, scale),
                      f"{series.main_score.title} by edition")


def _line_paths(points) -> tuple[str, ...]:
    """SVG path data joining consecutive editions; a gap where an edition is missing."""
    segments, current = [], []
    for point in points:
        if current and point.edition != current[-1].edition + 1:
            segments.append(current)
            current = []
        current.append(point)
    segments.append(current)
    return tuple("M" + " L".join(f"{p.x} {p.y}" for p in seg) for seg in segments if len(seg) > 1)


def _tick_label(value: Decimal, axis: Axis) -> str:
    places = 0 if axis.step >= 1 else (1 if axis.step * 10 == (axis.step * 10).to_integral_value() else 2)
    return f"{value:.{places}f}"


def axis_note(axis: Axis, scale: tuple[Decimal, Decimal]) -> str:
    """What the vertical axis shows, in words."""
    low, high = (plain_number(v) for v in scale)
    if not axis.fitted:
        return f"The vertical axis shows the full scale, {low} to {high}."
    return (f"The vertical axis runs from {_tick_label(axis.low, axis)} to "
            f"{_tick_label(axis.high, axis)}, fitted to these "
            f"scores so that small changes show; the full scale is {low} to {high}.")


@dataclass(frozen=True)
class SmallMultiple:
    """One country's small chart on the countries page."""

    slug: str
    name: str
    url: str
    region: Region | None
    status: Status  # in its latest edition
    points: tuple[ChartPoint, ...]
    segments: tuple[str, ...]  # SVG path data; a gap where an edition is missing

    @property
    def first(self) -> ChartPoint:
        return self.points[0]

    @property
    def last(self) -> ChartPoint:
        return self.points[-1]


@dataclass(frozen=True)
class SmallMultiples:
    """Every country's main score over time, small, on the same axes."""

    width: int
    height: int
    charts: tuple[SmallMultiple, ...]
    axis: Axis
    y_ticks: tuple[tuple[str, float], ...]  # label ("" for an unlabelled grid line), position
    x_ticks: tuple[tuple[int, float], ...]  # first and last edition of the site
    plot: tuple[float, float, float, float]  # left, right, top, bottom of the plotting area
    axis_note: str
    # the charts by region, in the series' order (one group, region None, when none has one)
    groups: tuple[tuple[Region | None, tuple[SmallMultiple, ...]], ...]


Histories = tuple[tuple[tuple[int, Decimal], ...], ...]  # per country: (edition, score) pairs


def small_multiples(latest: tuple[Report, ...], histories: Histories,
                    definitions: Definitions, width: int = 240,
                    height: int = 120) -> SmallMultiples | None:
    """A small chart per country (`latest`, with its `histories` in the same order), all on
    the same axes: the site's first to last edition across, the main score up, fitted to
    every country's scores."""
    if not latest:
        return None
    left, right, top, bottom = 36.0, width - 10.0, 10.0, height - 24.0
    years = sorted({edition for history in histories for edition, _ in history})
    first, last = years[0], years[-1]
    series = definitions.series_by_key(latest[0].series)
    scale = series.score_scale()
    axis = fitted_axis([score for history in histories for _, score in history], scale,
                       series.main_score.decimals)

    def x_of(year: int) -> float:
        if first == last:
            return round((left + right) / 2, 1)
        return round(left + (year - first) / (last - first) * (right - left), 1)

    charts = []
    for report, history in zip(latest, histories):
        points = tuple(ChartPoint(edition, score, x_of(edition), axis.position(score, top, bottom))
                       for edition, score in history)
        charts.append(SmallMultiple(report.slug, report.country, report.country_url,
                                    definitions.region_of(report.country, report.edition),
                                    report.status, points, _line_paths(points)))
    ends = (axis.low, axis.high)
    y_ticks = tuple((_tick_label(v, axis) if v in ends else "", axis.position(v, top, bottom))
                    for v in axis.ticks)
    x_ticks = tuple((year, x_of(year)) for year in dict.fromkeys((first, last)))
    note = axis_note(axis, scale).replace("these scores", "every country's scores")
    groups = tuple((region, members) for region in (*definitions.regions, None)
                   if (members := tuple(c for c in charts if c.region == region)))
    if len(groups) == 1 and groups[0][0] is None:
        groups = ((None, tuple(charts)),)
    return SmallMultiples(width, height, tuple(charts), axis, y_ticks, x_ticks,
                          (left, right, top, bottom), note, groups)


def chart_summary(country: str, reports: list[Report], series: Series) -> str:
    first, last = reports[0], reports[-1]
    title = series.main_score.title
    if len(reports) == 1:
        return f"{country}'s {title} was {first.score} in {first.edition}."
    direction = ("rose" if last.score > first.score
                 else "fell" if last.score < first.score else "was unchanged")
    low = min(reports, key=lambda r: (r.score, r.edition))
    high = max(reports, key=lambda r: (r.score, -r.edition))
    if direction == "was unchanged":
        core = f"{country}'s {title} was {first.score} in both {first.edition} and {last.edition}"
    else:
        core = (f"{country}'s {title} {direction} from {first.score} in {first.edition} "
                f"to {last.score} in {last.edition}")
    low_end, high_end = (plain_number(v) for v in series.score_scale())
    return (f"{core}; its lowest was {low.score} ({low.edition}) and its highest "
            f"{high.score} ({high.edition}), on a scale of {low_end} to {high_end}.")
