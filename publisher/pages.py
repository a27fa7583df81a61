"""Page kinds: every kind of page and data file on the site, each declared once (PAGE_KINDS).

A `PageKind` says where its pages go (an address from urls.py), which template renders them,
which pages of the kind exist (`keys`: the address's fields, one tuple per page), what each
page is given (`inputs`), how its template context is made from that (`view`), and whether its
pages are in the main navigation and in the sitemap. The navigation, the sitemap and the slugs
a free page may not take are derived from the declarations; `render.site_pages()` turns them
into the list of output files.

What a page depends on is exactly what its `inputs` hand its view (`dependencies`):

- a `Report`, or a tuple of them: a "report:<series>/<slug>/<edition>" dependency each (the engine
  compares their fingerprints, or their summaries' for a page that read no report sections);
- any other value (counts, years, addresses, `Shown` values of many reports): by value, in one
  "value:" dependency made of their reprs (a `Shown`'s digests of them).

A view gets those inputs as keyword arguments, and `SiteWide` (settings, definitions and free
pages, which are in every page's fingerprint), never the whole site: so what a page shows and
what it is rebuilt for are made by the same code and cannot drift apart. tests/test_pages.py
checks it for every kind: perturb any report, and every page whose dependencies did not change
must come out byte for byte the same.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from . import urls
from .browse import (
    CellTable,
    category_view,
    country_list,
    country_view,
    edition_list,
    edition_map,
    edition_view,
    headline_values,
    neighbours_of,
    other_years,
    rating_entries,
    small_multiples,
)
from .citation import bibtex, citation_files, citation_of, csl_json, highwire_tags, ris
from .config import SiteConfig
from .definitions import Definitions
from .jsontext import indented
from .mapdata import World
from .memo import derived, recent
from .model import ContentPage, EditionEssay, Report
from .reportdata import COMBINED_FIELDS, data_fields, report_record, reports_csv, reports_json
from .search import SearchPart, search_parts

if TYPE_CHECKING:
    from .render import SiteData

ALL_REPORTS = "reports:*"  # the dependency of a page given every report (engine: all of them)
FEED_ENTRIES = 50  # the newest reports; the sitemap and the listings carry all of them


# --- dependencies -----------------------------------------------------------------------------

def report_dep(report: Report) -> str:
    source = report.source
    return f"report:{source.series}/{source.slug}/{source.edition}"


def facts_dep(facts: Any) -> str:
    """A dependency on facts spelled out by value (compared through their digest)."""
    return "value:" + hashlib.sha1(repr(facts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Shown:
    """What a page shows of many reports, one value per report (one rating of each, say), with
    a digest of each value's repr: both made once per report record by a `PerReport`, so the
    page's dependency joins short digests instead of walking every value on each build."""

    values: tuple[Any, ...]
    digests: tuple[str, ...]


class PerReport:
    """Values derived from each report record, by part (e.g. one per category), for pages that
    show a part of every report. Kept between builds while the record is unchanged (in the
    engine's memory, see memo.py)."""

    def __init__(self, make: Callable[[Report, Any], Mapping[str, Any]]):
        self._make = make

    def values(self, reports: tuple[Report, ...], context: Any) -> list[Made]:
        """Per report, in order: its values by part, and the digests of their reprs by part."""
        return derived(self._with_digests, reports, context)

    def _with_digests(self, report: Report, context: Any) -> Made:
        values = self._make(report, context)
        return values, {part: hashlib.blake2b(repr(value).encode("utf-8"),
                                              digest_size=16).hexdigest()
                        for part, value in values.items()}

    @staticmethod
    def shown(made: list[Made]) -> dict[str, Shown]:
        """Per part, every report's value of it, as one input."""
        parts = tuple(made[0][0]) if made else ()
        if all(len(report_values) == len(parts) for report_values, _ in made):
            try:  # every report has the same parts (the usual case): a column per part
                return {part: Shown(tuple([values[part] for values, _ in made]),
                                    tuple([digests[part] for _, digests in made]))
                        for part in parts}
            except KeyError:
                pass
        values: dict[str, list[Any]] = {}
        digests: dict[str, list[str]] = {}
        for report_values, report_digests in made:
            for part, value in report_values.items():
                values.setdefault(part, []).append(value)
                digests.setdefault(part, []).append(report_digests[part])
        return {part: Shown(tuple(values[part]), tuple(digests[part])) for part in values}


Made = tuple[Mapping[str, Any], Mapping[str, str]]  # one report's values by part, their digests

# Every report's entry in every category's table: category pages show one of each.
RATINGS = PerReport(rating_entries)


def dependencies(inputs: Mapping[str, Any], every_report: tuple[Report, ...]) -> tuple[str, ...]:
    """A page's dependencies: made of its inputs, as the module docstring says."""
    if len(inputs) == 1:  # the common case (a report's data and citation files): no facts
        (value,) = inputs.values()
        if isinstance(value, Report):
            return (report_dep(value),)
    deps: list[str] = []
    facts: list[Any] = []
    for name, value in inputs.items():
        if isinstance(value, Report):
            deps.append(report_dep(value))
        elif isinstance(value, tuple) and value and isinstance(value[0], Report):
            if value is every_report:
                deps.append(ALL_REPORTS)
            else:
                deps += [report_dep(report) for report in value]
        elif isinstance(value, Shown):
            facts.append((name, "".join(value.digests)))
        else:
            facts.append((name, value))
    if facts:
        deps.append(facts_dep(facts))
    return tuple(deps)


# --- what the site has ------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteWide:
    """What any page may show besides its inputs: the site settings, the definitions (with
    the map's shapes: every file of data/) and the free pages are in every page's
    fingerprint; `cells` is a memo of values derived from one report record (a view looks up
    only the reports it was given)."""

    config: SiteConfig
    definitions: Definitions
    pages: tuple[ContentPage, ...]
    cells: CellTable
    world: World | None = None  # the edition maps' shapes (data/, in every page's fingerprint)

    def series_at(self, scope: str):
        """The series whose addresses start with `scope` ("" on a site with one series)."""
        return self.definitions.series_at(scope)


class ScopeIndex:
    """The reports of one series (of the whole site, when it has one series): by country, by
    edition, each country's latest."""

    def __init__(self, series: Any, scope: str, reports: tuple[Report, ...]):
        self.series = series
        self.scope = scope
        self.reports = reports
        by_country: dict[str, list[Report]] = {}
        by_year: dict[int, list[Report]] = {}
        for report in reports:
            by_country.setdefault(report.slug, []).append(report)
            by_year.setdefault(report.edition, []).append(report)
        self.by_country = {slug: tuple(sorted(rs, key=lambda r: r.edition))
                           for slug, rs in sorted(by_country.items())}
        self.by_year = {year: tuple(rs) for year, rs in sorted(by_year.items())}
        self.years = tuple(self.by_year)
        # Each country's latest report, countries by name (a renamed one by its latest name),
        # and, in the same order, how many editions it has and its first.
        self.latest = tuple(sorted((rs[-1] for rs in self.by_country.values()),
                                   key=lambda r: r.country))
        self.spans = tuple((len(self.by_country[r.slug]), self.by_country[r.slug][0].edition)
                           for r in self.latest)
        # ... and its main score in each edition (the countries page charts them all)
        self.histories = tuple(tuple((x.edition, x.score) for x in self.by_country[r.slug])
                               for r in self.latest)


class SiteIndex:
    """Which reports, countries, editions and free pages the site has: what the page kinds'
    `keys` and `inputs` choose from. Views never see it."""

    def __init__(self, data: "SiteData", kinds: tuple["PageKind", ...]):
        self.config = data.config
        self.definitions = data.definitions
        self.several = data.definitions.several  # several series: their pages name them
        self.reports = data.reports  # by country (slug), then series and edition
        self.pages = data.pages
        self.kinds = kinds
        self.scoped = {urls.scope(self.definitions, series.key): ScopeIndex(
            series, urls.scope(self.definitions, series.key),
            tuple(r for r in self.reports if r.series == series.key))
            for series in self.definitions.series}
        self.scopes = tuple(self.scoped)  # in the order of the definitions
        by_country: dict[str, list[Report]] = {}
        for report in self.reports:
            by_country.setdefault(report.slug, []).append(report)
        # every report of a country, by series (in definition order), then edition
        order = {scope: n for n, scope in enumerate(self.scopes)}
        self.by_country = {slug: tuple(sorted(rs, key=lambda r: (order[r.scope], r.edition)))
                           for slug, rs in sorted(by_country.items())}
        self.by_key = {(r.slug, r.scope, r.edition): r for r in self.reports}
        self.report_keys = tuple(self.by_key)  # (slug, scope, edition) of each report, in order
        # Each country's editions in each series, oldest first (shared by its report pages)
        self.editions = {(slug, scope): tuple(r.edition for r in rs)
                         for scope, part in self.scoped.items()
                         for slug, rs in part.by_country.items()}
        self.free_pages = {page.slug: page for page in self.pages}
        # Each series' essays by edition (scope "" on a site of one series)
        self.essays: dict[str, dict[int, EditionEssay]] = {}
        for essay in data.essays:
            self.essays.setdefault(essay.scope, {})[essay.edition] = essay
        self._ratings: list[Made] | None = None
        self._rating_tables: dict[str, Shown] | None = None
        self._addresses: dict[str, tuple[tuple[tuple, str], ...]] = {}

    @property
    def primary(self) -> ScopeIndex:
        return self.scoped[self.scopes[0]]

    def ratings(self) -> list[Made]:
        """Per report, its `RATINGS` entries (made on first use, once per build)."""
        if self._ratings is None:
            self._ratings = RATINGS.values(self.reports, self.definitions)
        return self._ratings

    def rating_table(self, scope: str, key: str) -> Shown:
        """Every report's entry in the table of category `key` of the series at `scope`."""
        if self._rating_tables is None:
            self._rating_tables = PerReport.shown(self.ratings())
        return self._rating_tables.get(f"{scope}{key}", Shown((), ()))

    def cells(self) -> CellTable:
        return CellTable(dict(zip(map(id, self.reports),
                                  (values for values, _ in self.ratings()))))

    def newest(self, count: int) -> tuple[Report, ...]:
        return tuple(sorted(self.reports, key=lambda r: (-r.edition, r.country))[:count])

    def addresses(self, kind: "PageKind") -> tuple[tuple[tuple, str], ...]:
        """The pages of a kind: (key, address) of each, in order."""
        if kind.name not in self._addresses:
            keys = tuple(kind.keys(self))
            # the same keys give the same addresses: formatted again only when keys change
            self._addresses[kind.name] = recent(_addresses, (kind.address, keys), ADDRESS_LISTS,
                                                kind.address, keys)
        return self._addresses[kind.name]

    def sitemap_paths(self) -> tuple[str, ...]:
        """Every address the sitemap lists: each page of each kind declared `sitemap=True`."""
        return tuple(address for kind in self.kinds if kind.sitemap
                     for _, address in self.addresses(kind))


ADDRESS_LISTS = 64  # lists of a kind's addresses a live engine remembers (one per kind in use)


def _addresses(address: urls.Address, keys: tuple[tuple, ...]) -> tuple[tuple[tuple, str], ...]:
    return tuple((key, address(*key)) for key in keys)


# --- page kinds -------------------------------------------------------------------------------

def one_page(_site: SiteIndex) -> tuple[tuple[()], ...]:
    """`keys` of a kind with a single page (its address has no fields)."""
    return ((),)


def no_inputs(_site: SiteIndex, *_key: Any) -> dict[str, Any]:
    return {}


def no_context(_shared: SiteWide, **_inputs: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class PageKind:
    """One kind of page (or data file), declared once; see the module docstring."""

    name: str
    address: urls.Address  # where its pages go; `keys` gives the fields of each page's address
    # The Jinja template; None: `view` returns the file's bytes; a callable: each page's
    # template, from its inputs (a free page chooses its own)
    template: str | Callable[..., str] | None
    keys: Callable[[SiteIndex], Iterable[tuple]] = field(default=one_page, kw_only=True)
    # inputs(site_index, *key): everything the page shows, by name; its dependencies
    inputs: Callable[..., Mapping[str, Any]] = field(default=no_inputs, kw_only=True)
    # view(site_wide, **inputs): the template's context (or, with no template, the bytes)
    view: Callable[..., Mapping[str, Any] | bytes] = field(default=no_context, kw_only=True)
    nav: str | Callable[..., str] | None = field(default=None, kw_only=True)  # label in the
    # main navigation (a callable: nav(site_index, *key), a label per page)
    nav_position: int = field(default=0, kw_only=True)  # order in the navigation
    sitemap: bool = field(default=False, kw_only=True)  # listed in sitemap.xml (PAGE_KINDS order)

    def template_for(self, inputs: Mapping[str, Any]) -> str | None:
        return self.template(**inputs) if callable(self.template) else self.template


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str  # site path; "" is the home page


FREE_PAGES_NAV = 40  # About, Methodology ... sit between the browse lists and Data


def navigation(site: SiteIndex) -> tuple[NavItem, ...]:
    """The main navigation: every page of every kind with a `nav` label, by `nav_position`."""
    items = []
    for kind in site.kinds:
        if kind.nav is None:
            continue
        for key, address in site.addresses(kind):
            label = kind.nav(site, *key) if callable(kind.nav) else kind.nav
            if label is not None:
                items.append((kind.nav_position, NavItem(label, address)))
    return tuple(item for _, item in sorted(items, key=lambda pair: pair[0]))


def index_parts(site: Any, per_part: int | None = None) -> tuple[SearchPart, ...]:
    """The parts of the search index (see publisher/search.py): free pages, then countries.
    `site`: anything with the site's `reports` and free `pages` (SiteData, SiteIndex)."""
    counts = dict(sorted(Counter(report.slug for report in site.reports).items()))
    return search_parts(counts, {slug: urls.country(slug) for slug in counts},
                        tuple(urls.page(page.slug) for page in site.pages), per_part)


def _json_bytes(value: Any) -> bytes:
    return (indented(value) + "\n").encode("utf-8")


def _essays_of(site: SiteIndex, scope: str) -> dict:
    """The series' editions' essays (content/editions/[<series>/]), by edition."""
    return site.essays.get(scope, {})


def _home_inputs(site: SiteIndex, scope: str) -> dict[str, Any]:
    part = site.scoped[scope]
    year = part.years[-1] if part.years else None
    essay = _essays_of(site, scope).get(year)
    return {"scope": scope, "year": year, "edition": part.by_year[year] if year else (),
            "latest": part.latest, "spans": part.spans, "years": part.years,
            "key_findings": essay.key_findings if essay else (),
            # the latest edition's essay, by its title, if it has one
            "essay_title": (essay.title or "Essay") if essay and essay.essay else None}


def _home_view(shared: SiteWide, scope, year, edition, latest, spans, years,
               key_findings, essay_title) -> dict[str, Any]:
    return {
        "series": shared.series_at(scope), "scope": scope,
        "edition": (edition_view(year, edition, neighbours_of(years, year), shared.definitions,
                                 shared.cells, scope) if year else None),
        "key_findings": key_findings, "essay_title": essay_title,
        "countries": country_list(latest, spans, shared.definitions),
        "edition_links": tuple(NavItem(str(y), urls.edition(scope, y)) for y in reversed(years)),
    }


def _overview_inputs(site: SiteIndex) -> dict[str, Any]:
    """The home page of a site with several series: each series' latest edition (an input
    per series, each of them flat, so that its reports are dependencies of their own)."""
    inputs: dict[str, Any] = {"scopes": site.scopes, "countries": len(site.by_country)}
    for scope in site.scopes:
        part = site.scoped[scope]
        year = part.years[-1] if part.years else None
        inputs[f"year:{scope}"] = year
        inputs[f"edition:{scope}"] = part.by_year[year] if year else ()
    return inputs


def _overview_view(shared: SiteWide, scopes, countries, **parts) -> dict[str, Any]:
    editions = []
    for scope in scopes:
        year, reports = parts[f"year:{scope}"], parts[f"edition:{scope}"]
        editions.append((shared.series_at(scope), urls.series_home(scope),
                         edition_view(year, reports, (None, None), shared.definitions,
                                      shared.cells, scope) if year else None))
    return {"series_editions": tuple(editions), "country_count": countries}


def _edition_inputs(site: SiteIndex, scope: str, year: int) -> dict[str, Any]:
    part = site.scoped[scope]
    return {"scope": scope, "year": year, "reports": part.by_year[year],
            "neighbours": neighbours_of(part.years, year),
            "essay": _essays_of(site, scope).get(year)}


def _edition_view(shared: SiteWide, scope, year, reports, neighbours, essay) -> dict[str, Any]:
    edition = edition_view(year, reports, neighbours, shared.definitions, shared.cells, scope)
    return {"series": shared.series_at(scope), "scope": scope, "edition": edition,
            "essay": essay, "map": edition_map(edition.rows, shared.definitions, shared.world)}


def _countries_inputs(site: SiteIndex) -> dict[str, Any]:
    inputs: dict[str, Any] = {"scopes": site.scopes}
    for scope in site.scopes:
        part = site.scoped[scope]
        inputs.update({f"latest:{scope}": part.latest, f"spans:{scope}": part.spans,
                       f"histories:{scope}": part.histories})
    return inputs


def _countries_view(shared: SiteWide, scopes, **parts) -> dict[str, Any]:
    sections = tuple(
        CountriesSection(shared.series_at(scope), scope,
                         country_list(latest, parts[f"spans:{scope}"], shared.definitions),
                         small_multiples(latest, parts[f"histories:{scope}"], shared.definitions))
        for scope in scopes if (latest := parts[f"latest:{scope}"]))
    return {"sections": sections}


@dataclass(frozen=True)
class CountriesSection:
    """The countries page's part for one series: its countries' latest figures and charts."""

    series: Any
    scope: str
    countries: tuple
    multiples: Any


def _country_view(shared: SiteWide, reports) -> dict[str, Any]:
    """A country's page: a part for each series it has (one on a site with one series)."""
    parts = []
    for scope in dict.fromkeys(r.scope for r in reports):
        own = tuple(r for r in reports if r.scope == scope)
        parts.append((shared.series_at(scope), country_view(own, shared.definitions,
                                                            shared.cells, scope)))
    return {"country": parts[-1][1] if len(parts) == 1 else parts[0][1], "parts": tuple(parts)}


def _data_inputs(site: SiteIndex) -> dict[str, Any]:
    return {"countries": len(site.by_country),
            "editions": tuple((scope, len(site.scoped[scope].years)) for scope in site.scopes),
            "example": site.primary.latest[0] if site.primary.latest else None}


def _data_view(shared: SiteWide, countries, editions, example) -> dict[str, Any]:
    several = shared.definitions.several
    return {"fields": COMBINED_FIELDS if several else data_fields(shared.definitions.primary),
            "countries": countries,
            "editions": sum(count for _, count in editions),
            "downloads": tuple((shared.series_at(scope), scope, count) for scope, count in editions)
            if several else (),
            "example": example,
            "example_json": (urls.report_json(example.slug, example.scope, example.edition)
                             if example else None)}


def _report_inputs(site: SiteIndex, slug: str, scope: str, edition: int) -> dict[str, Any]:
    return {"report": site.by_key[(slug, scope, edition)]}


def _report_page_inputs(site: SiteIndex, slug: str, scope: str, edition: int) -> dict[str, Any]:
    report = site.by_key[(slug, scope, edition)]
    listed = {other.key for other in report.source.other_scores}
    return {"report": report, "editions": site.editions[(slug, scope)],
            # the country's latest report in each series whose score the report lists
            "others": tuple(site.scoped[other].by_country[slug][-1] for other in site.scopes
                            if other != scope and slug in site.scoped[other].by_country
                            and listed & set(site.scoped[other].series.known_as))
            if listed else ()}


def _report_view(shared: SiteWide, report: Report, editions: tuple[int, ...],
                 others: tuple[Report, ...]) -> dict[str, Any]:
    series = shared.definitions.series_of(report)
    citation = citation_of(report, shared.config, series)
    links = {key: (other, shared.definitions.series_of(other)) for other in others
             for key in shared.definitions.series_of(other).known_as}
    return {"report": report, "series": series, "headline": headline_values(report, series),
            "other_reports": links,
            "other_years": other_years(report.slug, report.scope, editions, report.edition),
            "citation": citation, "citation_files": citation_files(report),
            "highwire": highwire_tags(citation)}


def _citation_file(write: Callable[..., str]) -> Callable[..., bytes]:
    """The view of a citation file kind: the report's citation written by `write`."""
    return lambda shared, report: write(citation_of(report, shared.config,
                                                    shared.definitions.series_of(report))).encode("utf-8")


def _scopes(site: SiteIndex) -> Iterable[tuple[str]]:
    """`keys` of a kind with a page per series."""
    return ((scope,) for scope in site.scopes)


def _single(label: str) -> Callable[..., str | None]:
    """A navigation label for a site with one series (with several, each series' front page
    leads to its own editions and categories)."""
    return lambda site, *_key: None if site.several else label


def _category_keys(site: SiteIndex) -> Iterable[tuple[str, str]]:
    for scope in site.scopes:
        for node in site.scoped[scope].series.all_nodes():
            if site.rating_table(scope, node.key).values:
                yield scope, node.key


def _category_inputs(site: SiteIndex, scope: str, key: str) -> dict[str, Any]:
    return {"scope": scope, "category": site.scoped[scope].series.category(key),
            "entries": site.rating_table(scope, key), "years": site.scoped[scope].years}


def status_css(definitions: Definitions) -> bytes:
    """The stylesheet of the statuses' colours (`status--<key>` badges, `heat--<key>` cells,
    `map-country--<key>` shapes), light and dark, from the series definitions: a status is
    always named, the colour only repeats it. A key two series share takes the first one's."""
    first: dict[str, Any] = {}
    for series in definitions.series:
        for status in series.statuses:
            first.setdefault(status.key, status)
    statuses = list(first.values())
    light = "\n".join(f"  --s-{s.key}: {s.colour}; --s-{s.key}-tint: {s.tint};" for s in statuses)
    dark = "\n".join(f"    --s-{s.key}: {s.dark}; --s-{s.key}-tint: {s.dark_tint};"
                     for s in statuses)
    rules = "\n".join(
        f".status--{s.key} {{ --status: var(--s-{s.key}); --status-tint: var(--s-{s.key}-tint); }}\n"
        f".heat--{s.key} {{ background: var(--s-{s.key}-tint); "
        f"box-shadow: inset 4px 0 var(--s-{s.key}); }}\n"
        f".map-country--{s.key} {{ --status: var(--s-{s.key}); }}" for s in statuses)
    return (f"/* Status colours, made from data/series/ by the build. */\n:root {{\n{light}\n}}\n"
            f"@media (prefers-color-scheme: dark) {{\n  :root {{\n{dark}\n  }}\n}}\n"
            f"{rules}\n").encode("utf-8")


def _data_file_keys(site: SiteIndex) -> Iterable[tuple[str]]:
    """Every report together (""), and with several series also each series' own."""
    return (("",), *((scope,) for scope in site.scopes if scope))


def _data_file_reports(site: SiteIndex, scope: str) -> dict[str, Any]:
    return {"reports": site.scoped[scope].reports if scope else site.reports}


PAGE_KINDS: tuple[PageKind, ...] = (
    # The sitemap lists pages in this order; the navigation follows `nav_position`.
    PageKind("overview", urls.home, "overview.html",
             keys=lambda site: ((),) if site.several else (),
             inputs=_overview_inputs, view=_overview_view, nav="Home", nav_position=0,
             sitemap=True),
    PageKind("home", urls.series_home, "index.html", keys=_scopes, inputs=_home_inputs,
             view=_home_view,
             nav=lambda site, scope: site.scoped[scope].series.short_name if site.several
             else "Home",
             nav_position=0, sitemap=True),
    PageKind("countries", urls.countries, "countries.html", inputs=_countries_inputs,
             view=_countries_view, nav="Countries", nav_position=10, sitemap=True),
    PageKind("editions", urls.editions, "editions.html", keys=_scopes,
             inputs=lambda site, scope: {
                 "scope": scope,
                 "editions": edition_list(site.scoped[scope].by_year, site.definitions, scope)},
             view=lambda shared, scope, editions: {"series": shared.series_at(scope),
                                                   "scope": scope, "editions": editions},
             nav=_single("Editions"), nav_position=20, sitemap=True),
    PageKind("categories", urls.categories, "categories.html", keys=_scopes,
             inputs=lambda site, scope: {"scope": scope},
             view=lambda shared, scope: {
                 "series": shared.series_at(scope), "scope": scope,
                 "categories": tuple((c, urls.category(scope, c.key))
                                     for c in shared.series_at(scope).leaves())},
             nav=_single("Categories"), nav_position=30, sitemap=True),
    PageKind("data", urls.data, "data.html", inputs=_data_inputs, view=_data_view,
             nav="Data", nav_position=90, sitemap=True),
    PageKind("page", urls.page, lambda page: f"{page.template}.html",
             keys=lambda site: ((page.slug,) for page in site.pages),
             inputs=lambda site, slug: {"page": site.free_pages[slug]},
             view=lambda shared, page: {"page": page},
             nav=lambda site, slug: site.free_pages[slug].title, nav_position=FREE_PAGES_NAV,
             sitemap=True),
    PageKind("country", urls.country, "country.html",
             keys=lambda site: ((slug,) for slug in site.by_country),
             inputs=lambda site, slug: {"reports": site.by_country[slug]},
             view=_country_view, sitemap=True),
    PageKind("edition", urls.edition, "edition.html",
             keys=lambda site: ((scope, year) for scope in site.scopes
                                for year in site.scoped[scope].years),
             inputs=_edition_inputs, view=_edition_view, sitemap=True),
    PageKind("category", urls.category, "category.html", keys=_category_keys,
             inputs=_category_inputs,
             view=lambda shared, scope, category, entries, years: {
                 "series": shared.series_at(scope), "scope": scope,
                 "category": category_view(category, entries.values, years, scope)},
             sitemap=True),
    PageKind("report", urls.report, "report.html",
             keys=lambda site: site.report_keys, inputs=_report_page_inputs,
             view=_report_view, sitemap=True),
    PageKind("report.json", urls.report_json, None,
             keys=lambda site: site.report_keys, inputs=_report_inputs,
             view=lambda shared, report: _json_bytes(
                 report_record(report, shared.config, shared.definitions.series_of(report)))),
    PageKind("citation.bib", urls.report_bibtex, None,
             keys=lambda site: site.report_keys, inputs=_report_inputs, view=_citation_file(bibtex)),
    PageKind("citation.ris", urls.report_ris, None,
             keys=lambda site: site.report_keys, inputs=_report_inputs, view=_citation_file(ris)),
    PageKind("citation.csl.json", urls.report_csl, None,
             keys=lambda site: site.report_keys, inputs=_report_inputs,
             view=_citation_file(csl_json)),
    PageKind("not-found", urls.not_found, "404.html"),
    PageKind("search", urls.search, "search.html",
             inputs=lambda site: {"bundles": tuple(part.bundle for part in index_parts(site))},
             view=lambda shared, bundles: {"bundles": bundles}),
    PageKind("reports.csv", urls.reports_csv, None, keys=_data_file_keys,
             inputs=_data_file_reports,
             view=lambda shared, reports: reports_csv(reports, shared.config, shared.definitions)),
    PageKind("reports.json", urls.reports_json, None, keys=_data_file_keys,
             inputs=_data_file_reports,
             view=lambda shared, reports: reports_json(reports, shared.config,
                                                       shared.definitions)),
    PageKind("sitemap", urls.sitemap, "sitemap.xml",
             inputs=lambda site: {"paths": site.sitemap_paths()},
             view=lambda shared, paths: {"paths": paths}),
    PageKind("feed", urls.feed, "feed.xml",
             inputs=lambda site: {"reports": site.newest(FEED_ENTRIES)},
             view=lambda shared, reports: {"reports": reports}),
    PageKind("robots", urls.robots, "robots.txt"),
    PageKind("status-colours", urls.status_css, None,
             view=lambda shared: status_css(shared.definitions)),
)


def reserved_slugs(kinds: tuple[PageKind, ...]) -> frozenset[str]:
    """Top-level names the site's own pages and folders take, which a free page may not."""
    addresses = [kind.address for kind in kinds] + list(urls.OTHER_FOLDERS)
    return frozenset(a.top for a in addresses if a.top and "." not in a.top)


RESERVED_PAGE_SLUGS = reserved_slugs(PAGE_KINDS)
