"""Every address on the site, defined once, and the one way to turn one into a link.

An address is a site path: relative to the site root, "" for the home page, a trailing "/"
for a page that is a folder (written as its `index.html`). Records, views, data files and
templates all take their addresses from here (templates as `paths.<name>`, through `url()`),
so the URL scheme can change in this file alone.

Each `Address` is a pattern; call it with its fields, in order, for one address:
`report("kazakhstan", "", 2015)` is "countries/kazakhstan/2015/". An address without fields is
its own path: `countries` is "countries/".

A site with several series names the series in the addresses of its series' pages: their
`scope` is the series key and a slash ("fiw/"), where a site with one series has "" (and
today's addresses): `report("kazakhstan", "fiw/", 2024)` is "countries/kazakhstan/fiw/2024/".
"""
from __future__ import annotations

import string
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .config import SiteConfig
    from .definitions import Definitions


class Address(str):
    """A kind of address: a path pattern such as "editions/{year}/" (the string itself)."""

    fields: tuple[str, ...]  # the pattern's fields, in order: ("year",)
    _positional: str  # the same pattern with positional fields: "editions/{0}/"

    def __init__(self, pattern: str):
        super().__init__()
        parsed = list(string.Formatter().parse(pattern))
        self.fields = tuple(name for _, name, _, _ in parsed if name is not None)
        # A positional pattern ("editions/{0}/"): formatting it is the cost of every address.
        self._positional = "".join(
            literal.replace("{", "{{").replace("}", "}}") + ("" if name is None else f"{{{n}}}")
            for n, (literal, name, _, _) in enumerate(parsed))

    def __call__(self, *values: Any) -> str:
        if len(values) != len(self.fields):
            raise TypeError(f"address {str(self)!r} takes {len(self.fields)} value(s), "
                            f"got {len(values)}")
        return self._positional.format(*values)

    @property
    def top(self) -> str | None:
        """The first segment when it is fixed ("editions" for "editions/{year}/" and for a
        series' "{scope}editions/"), else None."""
        first = str(self).removeprefix("{scope}").split("/", 1)[0]
        return None if not first or "{" in first else first


# --- pages ----------------------------------------------------------------------------------
home = Address("")
series_home = Address("{scope}")  # a series' front page: the home page on a site with one series
countries = Address("countries/")
country = Address(countries + "{slug}/")
report = Address(country + "{scope}{edition}/")
report_json = Address(report + "report.json")
report_bibtex = Address(report + "citation.bib")  # the report's citation, for reference managers
report_ris = Address(report + "citation.ris")
report_csl = Address(report + "citation.csl.json")
editions = Address("{scope}editions/")
edition = Address(editions + "{year}/")
categories = Address("{scope}categories/")
category = Address(categories + "{key}/")
page = Address("{slug}/")  # a free page from content/pages/<slug>.md (About, Methodology ...)
data = Address("data/")
search = Address("search/")
not_found = Address("404.html")
# --- data files and feeds -------------------------------------------------------------------
# every report of the site ("" scope; with several series, a column names each one's series),
# or of one series: data/fiw/reports.csv
reports_csv = Address(data + "{scope}reports.csv")
reports_json = Address(data + "{scope}reports.json")
feed = Address("feed.xml")
status_css = Address("status-colours.css")  # each status' colours, from the series definitions
sitemap = Address("sitemap.xml")
robots = Address("robots.txt")
# --- folders no page kind makes ---------------------------------------------------------------
static = Address("static/{file}")  # the project's static/ folder, copied as it is
search_index = Address("pagefind/")  # the search index (see publisher/search.py)

# Every address above by name: what templates see as `paths`.
ADDRESSES: Mapping[str, Address] = MappingProxyType(
    {name: value for name, value in dict(globals()).items() if isinstance(value, Address)})
# Top-level folders that hold no page kind's pages (the page kinds name their own, see pages.py).
OTHER_FOLDERS = (static, search_index)


def scope(definitions: "Definitions", series: str) -> str:
    """The part of a series' addresses that names it: "" on a site with one series."""
    return f"{series}/" if definitions.several else ""


def output_file(path: str) -> str:
    """The file an address is written to: a folder's `index.html`, else the path itself."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def address_of(output: str) -> str:
    """The address of an output file (the inverse of `output_file`)."""
    return output[: -len("index.html")] if output.endswith("index.html") else output


def link(config: "SiteConfig", path: str = "") -> str:
    """The one URL helper: a site path ("countries/kz/2015/") -> a link under the base URL."""
    return config.base_url + path.lstrip("/")


def absolute(config: "SiteConfig", path: str = "") -> str:
    """A site path as an absolute URL (the site's `url:` origin, then the base URL)."""
    return config.url + link(config, path)
