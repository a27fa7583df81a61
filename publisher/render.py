"""Stage 3: records -> HTML pages and data files, via Jinja templates.

`site_pages()` lists every output file as a `Page` (path + how to produce its bytes); the
writer only writes them. Templates get records and formatting filters, never raw content.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assemble import country_url
from .browse import Browse, category_url, edition_url
from .memo import RecordMemo
from .config import SiteConfig
from .definitions import Definitions
from .model import ContentPage, Report
from .reportdata import DATA_FIELDS, report_record, reports_csv, reports_json
from .search import SearchPart, search_parts


ALL_REPORTS = "reports:*"
FEED_ENTRIES = 50  # the newest reports; the sitemap and the listings carry all of them


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, how to produce its bytes, and what it is made from.

    `deps` names the records the page reads ("report:<slug>/<edition>" for one report,
    ALL_REPORTS for listings, "value:<text>" for any other fact the page shows, compared as
    written); `template` is the Jinja template (None for data files).
    Incremental builds re-produce a page only when one of these changed.
    """

    path: str  # output path relative to the site root, e.g. "countries/kazakhstan/2015/index.html"
    produce: Callable[[], bytes]
    deps: tuple[str, ...] = (ALL_REPORTS,)
    template: str | None = None


def report_dep(report: Report) -> str:
    return f"report:{report.slug}/{report.edition}"


@dataclass(frozen=True)
class SiteData:
    """Everything the templates may show, computed before rendering."""

    config: SiteConfig
    definitions: Definitions
    reports: tuple[Report, ...]
    pages: tuple[ContentPage, ...] = ()


def make_environment(templates_dir: Path, config: SiteConfig) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url"] = lambda path="": url_for(config, path)
    env.globals["absolute_url"] = lambda path="": config.url + url_for(config, path)
    env.globals["site"] = config
    env.filters["num"] = format_number
    env.filters["plain"] = format_plain
    env.filters["signed"] = format_signed
    env.filters["change_words"] = change_words
    return env


def url_for(config: SiteConfig, path: str = "") -> str:
    """The one URL helper: a site path ("countries/kz/2015/") -> a link under the base URL."""
    return config.base_url + path.lstrip("/")


def format_number(value: Decimal | int | None, places: int = 2) -> str:
    if value is None:
        return "–"
    return f"{Decimal(value):.{places}f}"


def format_plain(value: Decimal | int | None) -> str:
    """A number as people write it: 23, 6.5, 6.55 (no padding zeros)."""
    if value is None:
        return "–"
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_signed(value: Decimal | None, places: int = 2) -> str:
    """+0.25, −0.25 (true minus sign), 0.00."""
    if value is None:
        return "–"
    text = f"{abs(Decimal(value)):.{places}f}"
    return "+" + text if value > 0 else ("−" + text if value < 0 else text)


def change_words(value: Decimal | None, places: int = 2) -> str:
    """Direction of a change in words, so it never depends on colour or symbols."""
    if value is None:
        return "change unknown"
    if value == 0:
        return "no change"
    word = "up" if value > 0 else "down"
    return f"{word} {abs(Decimal(value)):.{places}f}"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str  # site path; "" is the home page


def navigation(pages: tuple[ContentPage, ...]) -> tuple[NavItem, ...]:
    items = [NavItem("Countries", "countries/"), NavItem("Editions", "editions/"),
             NavItem("Categories", "categories/")]
    items += [NavItem(p.title, p.url) for p in pages]
    items += [NavItem("Data", "data/")]
    return tuple(items)


class Lazy:
    """A page's context value computed only when the page is rendered (see `Browse`)."""

    def __init__(self, make: Callable[[], Any]):
        self.make = make


def site_pages(data: SiteData, env: Environment) -> list[Page]:
    """Every file the site consists of (static assets are copied by the writer).

    Each page gets only the records its `deps` name, so what a page shows and what it is
    rebuilt for cannot drift apart: a listing of latest reports depends on those reports, a
    list of addresses on the addresses, and a page showing no report data on none.
    """
    browse = Browse(data.reports, data.definitions)
    env.globals["nav"] = navigation(data.pages)
    common = {"definitions": data.definitions, "statuses": data.definitions.statuses,
              "categories": tuple((c, category_url(c.key)) for c in data.definitions.categories)}
    return (_site_wide_pages(data, env, browse, common) + _free_pages(data, env, common)
            + _browse_pages(data, env, browse, common) + _report_pages(data, env, common))


def _site_wide_pages(data: SiteData, env: Environment, browse: Browse, common: dict) -> list[Page]:
    """Home, the lists of countries, editions and categories, downloads, sitemap, feed."""
    countries = browse.country_list()
    latest_year = browse.latest_year
    latest = browse.reports_by_year.get(latest_year, []) if latest_year else []
    country_deps = (*(report_dep(c.latest) for c in countries),
                    facts_dep([(c.slug, c.count, c.first_edition) for c in countries]))
    editions = browse.edition_list()
    newest = _newest_first(data.reports)[:FEED_ENTRIES]
    addresses = sitemap_paths(data, browse)
    example = countries[0].latest if countries else None
    search_bundles = tuple(part.bundle for part in index_parts(data))
    return [
        _html(env, "index.html", "index.html",
              deps=(*(report_dep(r) for r in latest), *country_deps, facts_dep(browse.years)),
              edition=Lazy(lambda: browse.edition(latest_year) if latest_year else None),
              countries=countries,
              edition_links=tuple(NavItem(str(y), edition_url(y)) for y in reversed(browse.years)),
              **common),
        _html(env, "404.html", "404.html", deps=(), **common),
        _html(env, "countries/index.html", "countries.html", deps=country_deps,
              countries=countries, **common),
        _html(env, "editions/index.html", "editions.html",
              deps=(facts_dep(editions),), editions=editions, **common),
        _html(env, "categories/index.html", "categories.html", deps=(), **common),
        _html(env, "data/index.html", "data.html",
              deps=(facts_dep((len(countries), len(browse.years))),
                    *((report_dep(example),) if example else ())),
              fields=DATA_FIELDS, countries=len(countries), editions=len(browse.years),
              example=example, example_json=example.json_url if example else None,
              **common),
        _html(env, "search/index.html", "search.html", deps=(facts_dep(search_bundles),),
              bundles=search_bundles, **common),
        Page("data/reports.csv", lambda: reports_csv(data.reports, data.config, data.definitions)),
        Page("data/reports.json", lambda: reports_json(data.reports, data.config, data.definitions)),
        _html(env, "sitemap.xml", "sitemap.xml", deps=(facts_dep(addresses),), paths=addresses),
        _html(env, "feed.xml", "feed.xml", deps=tuple(report_dep(r) for r in newest),
              reports=newest, **common),
        _html(env, "robots.txt", "robots.txt", deps=()),
    ]


def _free_pages(data: SiteData, env: Environment, common: dict) -> list[Page]:
    """About, Methodology ...: their own text and the definitions, which every page's
    fingerprint includes, so they depend on no report."""
    return [_html(env, page.url + "index.html",
                  "methodology.html" if page.template == "methodology" else "page.html",
                  deps=(), page=page, **common)
            for page in data.pages]


def _browse_pages(data: SiteData, env: Environment, browse: Browse, common: dict) -> list[Page]:
    """A page per country, per edition and per category."""
    pages = []
    for slug, reports in browse.reports_by_country.items():
        deps = tuple(report_dep(r) for r in reports)
        pages.append(_html(env, country_url(slug) + "index.html", "country.html", deps=deps,
                           country=Lazy(lambda s=slug: browse.country(s)), **common))
    for year, reports in browse.reports_by_year.items():
        # An edition page shows its own reports, and links to the neighbouring editions.
        previous_year, next_year = browse.neighbours(year)
        deps = (*(report_dep(r) for r in reports), f"value:{previous_year}-{next_year}")
        pages.append(_html(env, edition_url(year) + "index.html", "edition.html", deps=deps,
                           edition=Lazy(lambda y=year: browse.edition(y)), **common))
    rating_deps = category_deps(data.reports)
    for category in data.definitions.categories:
        # A category page shows one rating of every report: it depends on those alone.
        deps = (rating_deps.get(category.key, facts_dep(())),)
        pages.append(_html(env, category_url(category.key) + "index.html", "category.html",
                           deps=deps, category=Lazy(lambda k=category.key: browse.category(k)),
                           **common))
    return pages


def _report_pages(data: SiteData, env: Environment, common: dict) -> list[Page]:
    """Each report's page and its report.json."""
    pages = []
    for report in data.reports:
        deps = (report_dep(report),)
        pages.append(_html(env, report.url + "index.html", "report.html", deps=deps,
                           report=report, **common))
        pages.append(Page(report.json_url,
                          _json_producer(lambda r=report: report_record(r, data.config)), deps))
    return pages


def index_parts(data: SiteData, per_part: int | None = None) -> tuple[SearchPart, ...]:
    """The parts of the search index (see publisher/search.py): free pages, then countries."""
    counts = dict(sorted(Counter(report.slug for report in data.reports).items()))
    return search_parts(counts, {slug: country_url(slug) for slug in counts},
                        tuple(page.url for page in data.pages), per_part)


def sitemap_paths(data: SiteData, browse: Browse) -> tuple[str, ...]:
    """Every page address the sitemap lists, as site paths ("" is the home page)."""
    paths = ["", "countries/", "editions/", "categories/", "data/"]
    paths += [page.url for page in data.pages]
    paths += [country_url(slug) for slug in browse.reports_by_country]
    paths += [edition_url(year) for year in browse.years]
    paths += [category_url(c.key) for c in data.definitions.categories]
    paths += [report.url for report in data.reports]
    return tuple(paths)


def facts_dep(facts: Any) -> str:
    """A page dependency on facts spelled out by value (compared through their digest)."""
    return "value:" + hashlib.sha1(repr(facts).encode("utf-8")).hexdigest()


def category_deps(reports: tuple[Report, ...]) -> dict[str, str]:
    """Per category, a dependency on everything its page shows: each report's rating in it."""
    facts: dict[str, list[str]] = {}
    for report_facts in _CATEGORY_FACTS.values(reports, None):
        for key, fact in report_facts:
            facts.setdefault(key, []).append(fact)
    return {key: facts_dep(rows) for key, rows in facts.items()}


def _category_facts(report: Report, _context: None) -> tuple[tuple[str, str], ...]:
    return tuple((item.category.key, repr((report.slug, report.country, report.edition,
                                           str(item.rating), str(item.previous), item.section_id)))
                 for item in report.ratings)


# Made once per report record, not once per build: a rebuild re-derives the changed reports only.
_CATEGORY_FACTS = RecordMemo(_category_facts)


def _newest_first(reports: tuple[Report, ...]) -> list[Report]:
    return sorted(reports, key=lambda r: (-r.edition, r.country))


def _html(env: Environment, path: str, template: str, deps: tuple[str, ...] = (ALL_REPORTS,),
          **context: Any) -> Page:
    page_url = path[: -len("index.html")] if path.endswith("index.html") else path

    def produce() -> bytes:
        values = {k: v.make() if isinstance(v, Lazy) else v for k, v in context.items()}
        return env.get_template(template).render(page_path=path, page_url=page_url,
                                                  **values).encode("utf-8")
    return Page(path, produce, deps, template)


def _json_producer(make: Callable[[], Any]) -> Callable[[], bytes]:
    def produce() -> bytes:
        return (json.dumps(make(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return produce
