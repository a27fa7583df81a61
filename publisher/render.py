"""Stage 4, pages: records -> HTML pages and data files, via Jinja templates.

`site_pages()` lists every output file as a `Page` (path, how to produce its bytes, what it
depends on), one per page of each page kind declared in pages.py; the writer only writes them.
Templates get records and formatting filters, never raw content, and take every address from
urls.py (`url()`, `absolute_url()`, `paths`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import urls
from .config import SiteConfig
from .definitions import Definitions
from .mapdata import World
from .model import ContentPage, EditionEssay, Report
from .pages import (  # noqa: F401 (ALL_REPORTS, FEED_ENTRIES, index_parts, report_dep: engine API)
    ALL_REPORTS,
    FEED_ENTRIES,
    PAGE_KINDS,
    PageKind,
    SiteIndex,
    SiteWide,
    dependencies,
    index_parts,
    navigation,
    report_dep,
)


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, how to produce its bytes, and what it is made from.

    `deps` names the records the page reads ("report:<slug>/<edition>" for one report,
    ALL_REPORTS for every report, "value:<text>" for any other fact the page shows, compared
    as written), made from its kind's inputs (see pages.py); `template` is the Jinja template
    (None for data files). Incremental builds re-produce a page only when one of these changed.
    """

    path: str  # output path relative to the site root, e.g. "countries/kazakhstan/2015/index.html"
    produce: Callable[[], bytes]
    deps: tuple[str, ...] = (ALL_REPORTS,)
    template: str | None = None
    kind: str = ""  # the name of its page kind


@dataclass(frozen=True)
class SiteData:
    """Everything the templates may show, computed before rendering."""

    config: SiteConfig
    definitions: Definitions
    reports: tuple[Report, ...]
    pages: tuple[ContentPage, ...] = ()
    essays: tuple[EditionEssay, ...] = ()  # editions' essays and key findings, by edition
    world: World | None = None  # the country shapes of the edition maps (data/map/world.json)


def make_environment(templates_dir: Path, config: SiteConfig) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url"] = lambda path="": urls.link(config, path)
    env.globals["absolute_url"] = lambda path="": urls.absolute(config, path)
    env.globals["paths"] = urls.ADDRESSES
    env.globals["site"] = config
    env.filters["num"] = format_number
    env.filters["words"] = number_words
    env.filters["plain"] = format_plain
    env.filters["signed"] = format_signed
    env.filters["change_words"] = change_words
    return env


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")


def number_words(count: int) -> str:
    """A small count in words, as prose writes it ("seven categories"); digits from 13 on."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


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


def site_pages(data: SiteData, env: Environment,
               kinds: tuple[PageKind, ...] = PAGE_KINDS) -> list[Page]:
    """Every file the site consists of (static assets are copied by the writer): each page of
    each kind, with the dependencies made of its inputs (see pages.py)."""
    site = SiteIndex(data, kinds)
    shared = SiteWide(data.config, data.definitions, data.pages, site.cells(), data.world)
    common = {"definitions": data.definitions, "series": data.definitions.primary,
              "statuses": data.definitions.statuses,
              "scope": urls.scope(data.definitions, data.definitions.primary.key),
              # every series with its categories (methodology), the first one's as `categories`
              "all_series": tuple((s, urls.scope(data.definitions, s.key),
                                   tuple((c, urls.category(urls.scope(data.definitions, s.key),
                                                           c.key)) for c in s.leaves()))
                                  for s in data.definitions.series),
              "categories": tuple((c, urls.category(urls.scope(data.definitions,
                                                               data.definitions.primary.key),
                                                    c.key))
                                  for c in data.definitions.categories),
              "nav": navigation(site)}
    pages = []
    # Kinds that share their `inputs` function (a report's data and citation files) are
    # given the same inputs for the same key: made once, with their dependencies.
    given: dict[tuple[Callable[..., Any], tuple], tuple[Mapping[str, Any], tuple[str, ...]]] = {}
    for kind in kinds:
        for key, address in site.addresses(kind):
            found = given.get((kind.inputs, key))
            if found is None:
                inputs = kind.inputs(site, *key)
                found = given[(kind.inputs, key)] = (inputs, dependencies(inputs, data.reports))
            inputs, deps = found
            path = urls.output_file(address)
            template = kind.template_for(inputs)
            pages.append(Page(path, _producer(env, kind, template, path, inputs, shared, common),
                              deps, template, kind.name))
    return pages


def _producer(env: Environment, kind: PageKind, template: str | None, path: str,
              inputs: Mapping[str, Any], shared: SiteWide,
              common: Mapping[str, Any]) -> Callable[[], bytes]:
    """How to make one page's bytes: its kind's view of its inputs, through its template."""
    def produce() -> bytes:
        made = kind.view(shared, **inputs)
        if template is None:
            return made
        context = {**common, **made, "page_path": path, "page_url": urls.address_of(path)}
        return env.get_template(template).render(context).encode("utf-8")
    return produce
