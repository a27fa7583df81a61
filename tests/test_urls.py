"""urls.py: every address defined once, and everything else takes its addresses from there."""
from __future__ import annotations

import re

import pytest

from conftest import nit_definitions, ROOT, report_text, write_tree
from publisher import urls
from publisher.assemble import assemble
from publisher.config import SiteConfig
from publisher.load import load_pages, load_reports
from publisher.reportdata import report_record, report_row

DEFINITIONS = nit_definitions()
RATINGS = {c.key: 3.0 for c in DEFINITIONS.categories}


def test_an_address_is_a_pattern_called_with_its_fields():
    assert urls.report.fields == ("slug", "scope", "edition")
    assert urls.report("kazakhstan", "", 2015) == "countries/kazakhstan/2015/"
    assert urls.report("kazakhstan", "fiw/", 2024) == "countries/kazakhstan/fiw/2024/"
    assert urls.report_json("kazakhstan", "", 2015) == "countries/kazakhstan/2015/report.json"
    assert urls.edition("", 2015) == "editions/2015/" and urls.category("", "corruption") == "categories/corruption/"
    assert urls.edition("fiw/", 2024) == "fiw/editions/2024/" and urls.series_home("fiw/") == "fiw/"
    assert urls.countries == "countries/" and urls.countries() == "countries/"
    assert urls.static("css/site.css") == "static/css/site.css"
    with pytest.raises(TypeError, match="takes 3 value"):
        urls.report("kazakhstan")


def test_the_top_folder_of_an_address_is_known_without_its_fields():
    assert urls.report.top == urls.country.top == urls.countries.top == "countries"
    assert urls.edition.top == "editions" and urls.reports_csv.top == "data"
    assert urls.home.top is None and urls.page.top is None  # "" and "{slug}/"
    assert urls.feed.top == "feed.xml"


@pytest.mark.parametrize("address, values", [
    (urls.home, ()), (urls.countries, ()), (urls.report, ("k", "", 2015)), (urls.feed, ()),
    (urls.report_json, ("k", "", 2015)), (urls.page, ("about",)), (urls.not_found, ())])
def test_output_file_and_address_are_inverse(address, values):
    path = address(*values)
    output = urls.output_file(path)
    assert urls.address_of(output) == path
    assert output.endswith("index.html") == (path == "" or path.endswith("/"))


def test_links_under_the_base_url_and_absolute_links():
    config = SiteConfig(base_url="/reports-site/", url="https://example.org")
    assert urls.link(config, "countries/") == "/reports-site/countries/"
    assert urls.link(config) == "/reports-site/"
    assert urls.absolute(config, urls.report("k", "", 2015)) == \
        "https://example.org/reports-site/countries/k/2015/"


def test_records_and_data_files_take_their_addresses_from_urls(tmp_path):
    write_tree(tmp_path / "content", {
        "reports/k/2014.md": report_text("K", 2014, RATINGS),
        "reports/k/2015.md": report_text("K", 2015, RATINGS),
        "pages/about.md": "---\ntitle: About\n---\n\nAbout.\n",
    })
    sources, _ = load_reports(tmp_path / "content", DEFINITIONS)
    reports, _ = assemble(sources, DEFINITIONS)
    later = reports[1]
    assert later.url == urls.report("k", "", 2015) and later.country_url == urls.country("k")
    assert later.previous_url == urls.report("k", "", 2014) == later.previous.url
    assert reports[0].next_url == urls.report("k", "", 2015)
    # model.py derives these two from the record; they must agree with urls.py
    assert later.json_url == urls.report_json("k", "", 2015)
    pages, _ = load_pages(tmp_path / "content")
    assert pages[0].url == urls.page("about")
    config = SiteConfig(base_url="/x/", url="https://example.org")
    assert report_record(later, config, DEFINITIONS.primary)["url"] == urls.absolute(config, later.url)
    assert report_row(later, config, DEFINITIONS)["url"] == urls.absolute(config, later.url)


ADDRESS_ATTRIBUTE = re.compile(r'\b(?:href|src|action)="(?!\{\{|#)([^"]*)"')
LITERAL_LINK = re.compile(r"""\b(?:url|absolute_url)\(\s*['"]""")


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*") if p.is_file()))
def test_templates_write_no_address_of_their_own(template):
    """Every link in a template is `url(...)` or `absolute_url(...)` of an address from urls.py
    (`paths.<name>`) or from a record; never a literal path."""
    text = (ROOT / "templates" / template).read_text()
    assert not LITERAL_LINK.findall(text), "a literal path in url(): use paths.<name>"
    assert not ADDRESS_ATTRIBUTE.findall(text), "a link that does not go through url()"
