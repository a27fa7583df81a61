"""Stage 3, render.py and the page kinds it lists (pages.py), on small sites made for each test."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jinja2 import UndefinedError

from conftest import nit_definitions, ROOT, report_text, write_tree
from publisher import urls
from publisher.assemble import assemble
from publisher.config import SiteConfig
from publisher.load import load_reports
from publisher.model import ContentPage
from publisher.search import SEARCH_FOLDER
from publisher.pages import (
    PAGE_KINDS,
    RESERVED_PAGE_SLUGS,
    PageKind,
    SiteIndex,
    dependencies,
    facts_dep,
    navigation,
    report_dep,
    reserved_slugs,
)
from publisher.render import (
    ALL_REPORTS,
    FEED_ENTRIES,
    SiteData,
    change_words,
    format_number,
    format_plain,
    format_signed,
    index_parts,
    make_environment,
    site_pages,
)

DEFINITIONS = nit_definitions()
TEMPLATES = ROOT / "templates"
CONFIG = SiteConfig(title="Test Reports", base_url="/sub/", url="https://example.org")
RATINGS = {c.key: 3.0 for c in DEFINITIONS.categories}
ABOUT = ContentPage("about", "About", None, "<p>About us.</p>", "About us.", "page", 20)
METHOD = ContentPage("methodology", "Methodology", "How.", "<p>How.</p>", "How.", "methodology", 10)


def small_site(tmp_path: Path, files: dict[str, str] | None = None,
               pages: tuple[ContentPage, ...] = (METHOD, ABOUT)) -> SiteData:
    """Three reports of two countries (Testland 2014 and 2015, Otherland 2015), two free pages
    (in the loader's order: by their `order`)."""
    files = files or {
        "reports/testland/2014.md": report_text("Testland", 2014, RATINGS),
        "reports/testland/2015.md": report_text("Testland", 2015, dict(RATINGS, corruption=3.5),
                                                front="summary: Testland's year."),
        "reports/otherland/2015.md": report_text("Otherland", 2015, {k: 5.5 for k in RATINGS}),
    }
    write_tree(tmp_path / "content", files)
    sources, problems = load_reports(tmp_path / "content", DEFINITIONS)
    reports, more = assemble(sources, DEFINITIONS)
    assert [p for p in problems + more if p.severity == "error"] == []
    return SiteData(CONFIG, DEFINITIONS, tuple(reports), pages)


def pages_by_path(site: SiteData, kinds=PAGE_KINDS):
    return {page.path: page for page in site_pages(site, make_environment(TEMPLATES, CONFIG), kinds)}


def html(page) -> BeautifulSoup:
    return BeautifulSoup(page.produce().decode("utf-8"), "html.parser")


# --- filters and environment ---------------------------------------------------------------------

def test_number_filters():
    assert format_number(Decimal("3.5")) == "3.50" and format_number(7, 0) == "7"
    assert format_number(None) == "–"
    assert [format_plain(Decimal(v)) for v in ("23", "6.50", "6.55", "100")] == ["23", "6.5", "6.55", "100"]
    assert format_signed(Decimal("0.25")) == "+0.25"
    assert format_signed(Decimal("-0.25")) == "−0.25"  # a true minus sign
    assert format_signed(Decimal("0")) == "0.00" and format_signed(None) == "–"


def test_change_in_words_never_depends_on_sign_or_colour():
    assert change_words(Decimal("0.25")) == "up 0.25"
    assert change_words(Decimal("-0.07")) == "down 0.07"
    assert change_words(Decimal("0")) == "no change"
    assert change_words(None) == "change unknown"


def test_environment_escapes_and_refuses_undefined_names():
    env = make_environment(TEMPLATES, CONFIG)
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()


def test_links_go_through_the_base_url_and_the_site_origin():
    env = make_environment(TEMPLATES, CONFIG)
    render = lambda source: env.from_string(source).render()
    assert render("{{ url(paths.countries) }}") == "/sub/countries/"
    assert render("{{ url(paths.home) }}") == render("{{ url() }}") == "/sub/"
    assert render("{{ url(paths.static('css/site.css')) }}") == "/sub/static/css/site.css"
    assert render("{{ absolute_url(paths.feed) }}") == "https://example.org/sub/feed.xml"
    assert render("{{ url('/countries/x/') }}") == "/sub/countries/x/"  # never a second slash


# --- the page list ---------------------------------------------------------------------------------

def test_every_page_of_every_kind_and_nothing_else(tmp_path):
    pages = pages_by_path(small_site(tmp_path))
    assert sorted(pages) == sorted([
        "index.html", "countries/index.html", "editions/index.html", "categories/index.html",
        "data/index.html", "about/index.html", "methodology/index.html",
        "countries/otherland/index.html", "countries/testland/index.html",
        "editions/2014/index.html", "editions/2015/index.html",
        *[f"categories/{c.key}/index.html" for c in DEFINITIONS.categories],
        "countries/otherland/2015/index.html", "countries/testland/2014/index.html",
        "countries/testland/2015/index.html",
        "countries/otherland/2015/report.json", "countries/testland/2014/report.json",
        "countries/testland/2015/report.json",
        *[f"countries/{key}/{name}" for key in ("otherland/2015", "testland/2014", "testland/2015")
          for name in ("citation.bib", "citation.ris", "citation.csl.json")],
        "404.html", "search/index.html", "data/reports.csv", "data/reports.json", "sitemap.xml",
        "feed.xml", "robots.txt", "status-colours.css"])
    assert all((TEMPLATES / p.template).is_file() for p in pages.values() if p.template)
    assert pages["methodology/index.html"].template == "methodology.html"
    assert pages["about/index.html"].template == "page.html"
    assert pages["data/reports.csv"].template is None


def test_each_page_depends_on_what_its_kind_gives_it(tmp_path):
    site = small_site(tmp_path)
    pages = pages_by_path(site)
    reports = {(r.slug, r.edition): r for r in site.reports}
    dep = lambda slug, edition: report_dep(reports[(slug, edition)])
    report_page = pages["countries/testland/2015/index.html"].deps
    assert report_page[0] == dep("testland", 2015)
    assert len(report_page) == 2 and report_page[1].startswith("value:")  # the country's editions
    for name in ("report.json", "citation.bib", "citation.ris", "citation.csl.json"):
        assert pages[f"countries/testland/2015/{name}"].deps == (dep("testland", 2015),)
    assert pages["countries/testland/index.html"].deps == (dep("testland", 2014), dep("testland", 2015))
    edition = pages["editions/2015/index.html"].deps
    assert edition[:-1] == (dep("otherland", 2015), dep("testland", 2015))
    assert edition[-1].startswith("value:")  # the year and its neighbouring editions
    category = pages["categories/corruption/index.html"].deps
    assert len(category) == 1 and category[0].startswith("value:")  # one rating of each report
    for path in ("404.html", "robots.txt"):
        assert pages[path].deps == ()
    for path in ("about/index.html", "sitemap.xml", "search/index.html", "editions/index.html",
                 "categories/index.html"):  # (the categories page: its series' scope)
        assert len(pages[path].deps) == 1 and pages[path].deps[0].startswith("value:")
    assert pages["data/reports.csv"].deps == pages["data/reports.json"].deps == (ALL_REPORTS,)
    home = pages["index.html"].deps
    assert set(home[:-1]) == {dep("otherland", 2015), dep("testland", 2015)}


def test_dependencies_are_made_of_the_inputs(tmp_path):
    site = small_site(tmp_path)
    first, second, third = site.reports
    assert dependencies({}, site.reports) == ()
    assert dependencies({"report": first}, site.reports) == (report_dep(first),)
    assert dependencies({"reports": (first, second)}, site.reports) == (report_dep(first),
                                                                         report_dep(second))
    assert dependencies({"reports": site.reports}, site.reports) == (ALL_REPORTS,)
    # every other value: one dependency on all of them, by value
    facts = dependencies({"year": 2015, "years": (2014, 2015)}, site.reports)
    assert facts == (facts_dep([("year", 2015), ("years", (2014, 2015))]),)
    assert dependencies({"year": 2016, "years": (2014, 2015)}, site.reports) != facts
    both = dependencies({"report": first, "year": 2015}, site.reports)
    assert both == (report_dep(first), facts_dep([("year", 2015)]))


def test_report_pages_and_data_files(tmp_path):
    pages = pages_by_path(small_site(tmp_path))
    report = html(pages["countries/testland/2015/index.html"])
    assert report.h1.get_text() == "Testland"
    assert report.find("link", rel="alternate", type="application/json")["href"] == \
        "/sub/countries/testland/2015/report.json"
    record = json.loads(pages["countries/testland/2015/report.json"].produce())
    assert record["url"] == "https://example.org/sub/countries/testland/2015/"
    assert record["summary"] == "Testland's year."
    csv_lines = pages["data/reports.csv"].produce().decode().splitlines()
    assert csv_lines[0].startswith("country,slug,edition") and len(csv_lines) == 4
    assert len(json.loads(pages["data/reports.json"].produce())) == 3


def test_navigation_is_derived_from_the_page_kinds_and_free_pages(tmp_path):
    site = small_site(tmp_path)
    nav = navigation(SiteIndex(site, PAGE_KINDS))
    # free pages in their order (Methodology 10, About 20), between the lists and Data
    assert [(i.label, i.url) for i in nav] == [
        ("Home", ""), ("Countries", "countries/"), ("Editions", "editions/"),
        ("Categories", "categories/"), ("Methodology", "methodology/"), ("About", "about/"),
        ("Data", "data/")]
    pages = pages_by_path(site)
    links = html(pages["editions/2015/index.html"]).select("nav.site-nav a")
    assert [a.get_text() for a in links] == [i.label for i in nav]
    assert [a["href"] for a in links] == ["/sub/" + i.url for i in nav]
    # the section a page is in is marked; the page itself is marked as the page
    assert [a.get("aria-current") for a in links] == [None, None, "true", None, None, None, None]
    home = html(pages["index.html"]).select("nav.site-nav a")
    assert home[0].get("aria-current") == "page"


def test_sitemap_lists_the_pages_of_every_kind_declared_in_it(tmp_path):
    site = small_site(tmp_path)
    pages = pages_by_path(site)
    root = ET.fromstring(pages["sitemap.xml"].produce())
    listed = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    in_sitemap = {k.name for k in PAGE_KINDS if k.sitemap}
    expected = [urls.absolute(CONFIG, urls.address_of(p.path)) for p in pages.values()
                if p.kind in in_sitemap]
    assert sorted(listed) == sorted(expected) and len(set(listed)) == len(listed)
    assert listed[0] == "https://example.org/sub/"
    assert "https://example.org/sub/search/" not in listed  # a search page has nothing to index
    assert not any(loc.endswith((".json", ".csv", ".xml", ".txt", "404.html")) for loc in listed)


def test_feed_lists_the_newest_reports_first(tmp_path):
    files = {f"reports/c{n:02d}/{2000 + n % 30}.md": report_text(f"C{n:02d}", 2000 + n % 30, RATINGS)
             for n in range(FEED_ENTRIES + 5)}
    pages = pages_by_path(small_site(tmp_path, files))
    feed = ET.fromstring(pages["feed.xml"].produce())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == FEED_ENTRIES
    years = [int(e.find("{http://www.w3.org/2005/Atom}updated").text[:4]) for e in entries]
    assert years == sorted(years, reverse=True)
    assert len(pages["feed.xml"].deps) == FEED_ENTRIES


def test_a_site_without_reports_still_has_every_fixed_page(tmp_path):
    site = SiteData(CONFIG, DEFINITIONS, (), ())
    pages = pages_by_path(site)
    assert "index.html" in pages and "countries/index.html" in pages
    assert "No reports have been published yet." in pages["index.html"].produce().decode()
    for page in pages.values():
        page.produce()  # every kind renders with nothing to show


def test_search_index_parts_live_under_the_search_index_folder(tmp_path):
    site = small_site(tmp_path)
    parts = index_parts(site, per_part=1)
    assert urls.search_index == SEARCH_FOLDER + "/"  # search.py names the folder too
    assert all(part.bundle.startswith(urls.search_index) for part in parts)
    assert [p.folders for p in parts] == [("methodology/", "about/", "countries/otherland/"),
                                          ("countries/testland/",)]
    bundles = html(pages_by_path(site)["search/index.html"]).find("script")["data-bundle"]
    assert bundles == "/sub/pagefind/"


def test_reserved_slugs_are_the_top_folders_the_site_uses():
    assert RESERVED_PAGE_SLUGS == {"countries", "editions", "categories", "data", "search",
                                   "static", "pagefind"}


# --- a new page kind: one declaration (and its template) ---------------------------------------------

EXAMPLE_TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>Latest statuses</h1><ul>
{% for report in latest %}<li><a href="{{ url(report.url) }}">{{ report.country }}</a> {{ report.status.name }}</li>
{% endfor %}</ul>{% endblock %}
"""


def test_a_new_page_kind_is_one_declaration(tmp_path):
    """What adding a page kind takes: a declaration and a template. Its pages, its place in the
    navigation and the sitemap, its dependencies and its reserved slug follow."""
    templates = tmp_path / "templates"
    write_tree(templates, {path.relative_to(TEMPLATES).as_posix(): path.read_text()
                           for path in TEMPLATES.rglob("*") if path.is_file()})
    (templates / "worked-example.html").write_text(EXAMPLE_TEMPLATE)
    example = PageKind("worked-example", urls.Address("worked-example/"), "worked-example.html",
                       inputs=lambda site: {"latest": site.primary.latest},
                       view=lambda shared, latest: {"latest": latest},
                       nav="Statuses", nav_position=35, sitemap=True)
    kinds = (*PAGE_KINDS, example)
    site = small_site(tmp_path / "site")
    pages = {p.path: p for p in site_pages(site, make_environment(templates, CONFIG), kinds)}
    page = pages["worked-example/index.html"]
    assert page.kind == "worked-example" and page.template == "worked-example.html"
    assert set(page.deps) == {report_dep(r) for r in SiteIndex(site, kinds).primary.latest}
    shown = html(page)
    assert [a.get_text() for a in shown.select("main li a")] == ["Otherland", "Testland"]
    nav = [(a.get_text(), a.get("aria-current")) for a in shown.select("nav.site-nav a")]
    labels = [label for label, _ in nav]
    assert labels.index("Categories") < labels.index("Statuses") < labels.index("Methodology")
    assert dict(nav)["Statuses"] == "page"
    assert "https://example.org/sub/worked-example/" in pages["sitemap.xml"].produce().decode()
    assert "worked-example" in reserved_slugs(kinds)
    assert "worked-example" not in RESERVED_PAGE_SLUGS
