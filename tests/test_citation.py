"""citation.py: one citation per report, and its files read back by real parsers (bibtexparser,
rispy, citeproc-py), the page's citation text and its Highwire Press meta tags."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from bs4 import BeautifulSoup
from citeproc import Citation as CiteprocCitation, CitationItem, CitationStylesBibliography, \
    CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from conftest import nit_definitions, report_text, write_tree
from publisher.assemble import assemble
from publisher.citation import (
    Person,
    bibtex,
    citation_of,
    csl_json,
    highwire_tags,
    ris,
    split_name,
)
from publisher.config import SiteConfig
from publisher.load import load_reports
from publisher.pipeline import Paths, build

DEFINITIONS = nit_definitions()
RATINGS = {c.key: 3.0 for c in DEFINITIONS.categories}
SERIES = DEFINITIONS.primary  # Nations in Transit, published by Freedom House
CONFIG = SiteConfig(title="NIT Archive", publisher="The Archive", base_url="/reports/",
                    url="https://example.org")


def reports_of(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path / "content", files)
    sources, problems = load_reports(tmp_path / "content", DEFINITIONS)
    assert not [p for p in problems if p.severity == "error"], problems
    reports, _ = assemble(sources, DEFINITIONS)
    return {(r.slug, r.edition): r for r in reports}


@pytest.fixture
def reports(tmp_path: Path):
    return reports_of(tmp_path, {
        "reports/kazakhstan/2015.md": report_text(
            "Kazakhstan", 2015, RATINGS,
            front="authors: [Joanna Lillis, Anna van der Berg, Émile Zola-Ährens]\n"
                  "summary: Power stayed with the president & his family; 100% of seats."),
        "reports/trinidad-and-tobago/2016.md": report_text("'Trinidad & {Tobago} #1'", 2016, RATINGS),
    })


@pytest.mark.parametrize("name, given, family", [
    ("Joanna Lillis", "Joanna", "Lillis"),
    ("Johannes Alexander Longname-Smythe", "Johannes Alexander", "Longname-Smythe"),
    ("Anna van der Berg", "Anna", "van der Berg"),
    ("Lillis, Joanna", "Joanna", "Lillis"),
    ("Plato", "", "Plato"),
    ("  Jane   Doe ", "Jane", "Doe"),
])
def test_names_are_split_into_given_and_family(name, given, family):
    assert split_name(name) == Person(given, family)


def test_the_citation_credits_the_series_publisher_the_authors_and_the_stable_address(reports):
    citation = citation_of(reports[("kazakhstan", 2015)], CONFIG, SERIES)
    assert citation.publisher == "Freedom House"  # not the site's publisher or title
    assert citation.title == "Kazakhstan" and citation.container == "Nations in Transit 2015"
    assert citation.year == 2015 and citation.series == "Nations in Transit"
    assert citation.url == "https://example.org/reports/countries/kazakhstan/2015/"
    assert citation.key == "lillis2015kazakhstan"
    assert citation.author_line == "Lillis, Joanna, Anna van der Berg, and Émile Zola-Ährens"
    assert citation.author_sentence.endswith("Zola-Ährens.")


def test_the_series_publisher_setting_wins_and_the_site_stands_in_only_for_want_of_both(reports):
    report = reports[("kazakhstan", 2015)]
    assert SERIES.publisher == "Freedom House"
    assert citation_of(report, SiteConfig(series_publisher="Freedom House Europe"),
                       SERIES).publisher == "Freedom House Europe"
    unpublished = replace(SERIES, publisher="")
    assert citation_of(report, SiteConfig(publisher="The Archive"), unpublished).publisher == \
        "The Archive"
    assert citation_of(report, SiteConfig(title="NIT Archive"), unpublished).publisher == \
        "NIT Archive"


def test_a_report_without_authors_is_credited_to_the_publisher(reports):
    citation = citation_of(reports[("trinidad-and-tobago", 2016)], CONFIG, SERIES)
    assert citation.authors == (Person("", "Freedom House", corporate=True),)
    assert citation.author_line == "Freedom House"
    assert citation.key == "freedomhouse2016trinidadandtobago"


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.SeparateCoAuthors(), middlewares.SplitNameParts(),
        middlewares.LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    (entry,) = library.entries
    return entry, {f.key: f.value for f in entry.fields}


def test_bibtex_is_read_back_by_bibtexparser(reports):
    entry, fields = parse_bibtex(bibtex(citation_of(reports[("kazakhstan", 2015)], CONFIG, SERIES)))
    assert entry.entry_type == "incollection" and entry.key == "lillis2015kazakhstan"
    assert fields["title"] == "Kazakhstan"
    assert fields["booktitle"] == "Nations in Transit 2015"
    assert fields["series"] == "Nations in Transit"
    assert fields["publisher"] == "Freedom House" and fields["year"] == "2015"
    assert fields["url"] == "https://example.org/reports/countries/kazakhstan/2015/"
    names = [(n.first, n.von, n.last) for n in fields["author"]]
    assert names == [(["Joanna"], [], ["Lillis"]), (["Anna"], ["van", "der"], ["Berg"]),
                     (["Émile"], [], ["Zola-Ährens"])]
    assert "urldate" not in fields  # the access date is the reader's


def test_bibtex_escapes_what_latex_would_read_as_markup(reports):
    config = SiteConfig(series_publisher="Freedom & Co. 100%", url="https://example.org")
    text = bibtex(citation_of(reports[("trinidad-and-tobago", 2016)], config, SERIES))
    entry, fields = parse_bibtex(text)
    assert fields["title"] == "Trinidad & {Tobago} #1"
    assert fields["publisher"] == "Freedom & Co. 100%"
    # the corporate author stays one name, never "Co. 100%, Freedom &"
    (author,) = fields["author"]
    assert author.first == [] and author.von == [] and len(author.last) == 1


def test_ris_is_read_back_by_rispy(reports):
    text = ris(citation_of(reports[("kazakhstan", 2015)], CONFIG, SERIES))
    assert text.endswith("ER  - \r\n") and all(line[2:6] == "  - " for line in text.splitlines())
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "CHAP"
    assert entry["authors"] == ["Lillis, Joanna", "van der Berg, Anna", "Zola-Ährens, Émile"]
    assert entry["title"] == "Kazakhstan"
    assert entry["secondary_title"] == "Nations in Transit 2015"
    assert entry["tertiary_title"] == "Nations in Transit"
    assert entry["year"] == "2015" and entry["publisher"] == "Freedom House"
    assert entry["urls"] == ["https://example.org/reports/countries/kazakhstan/2015/"]
    assert entry["abstract"].startswith("Power stayed with the president & his family")


def test_csl_json_is_read_and_formatted_by_citeproc(reports):
    text = csl_json(citation_of(reports[("kazakhstan", 2015)], CONFIG, SERIES))
    (item,) = json.loads(text)
    assert item["type"] == "chapter" and item["issued"] == {"date-parts": [[2015]]}
    assert item["author"][0] == {"family": "Lillis", "given": "Joanna"}
    source = CiteProcJSON(json.loads(text))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    for part in ("Lillis", "2015", "Kazakhstan", "Nations in Transit 2015", "Freedom House",
                 "https://example.org/reports/countries/kazakhstan/2015/"):
        assert part in rendered, (part, rendered)


def test_a_corporate_author_is_a_literal_name_in_csl_json(reports):
    (item,) = json.loads(csl_json(citation_of(reports[("trinidad-and-tobago", 2016)], CONFIG, SERIES)))
    assert item["author"] == [{"literal": "Freedom House"}]
    assert "abstract" not in item


def test_highwire_tags_name_title_authors_date_publisher_and_public_url(reports):
    tags = highwire_tags(citation_of(reports[("kazakhstan", 2015)], CONFIG, SERIES))
    by_name: dict[str, list[str]] = {}
    for name, content in tags:
        by_name.setdefault(name, []).append(content)
    assert by_name["citation_title"] == ["Kazakhstan"]
    assert by_name["citation_author"] == ["Lillis, Joanna", "van der Berg, Anna",
                                          "Zola-Ährens, Émile"]
    assert by_name["citation_publication_date"] == ["2015"]
    assert by_name["citation_publisher"] == ["Freedom House"]
    assert by_name["citation_public_url"] == ["https://example.org/reports/countries/kazakhstan/2015/"]
    assert by_name["citation_inbook_title"] == by_name["citation_book_title"] == [
        "Nations in Transit 2015"]


# --- in a built site --------------------------------------------------------------------------

@pytest.fixture
def built(project: Path) -> Path:
    (project / "site.yaml").write_text("title: NIT Archive\nurl: https://example.org\n"
                                       "publisher: The Archive\n")
    write_tree(project / "content", {
        "reports/kazakhstan/2014.md": report_text("Kazakhstan", 2014, RATINGS),
        "reports/kazakhstan/2015.md": report_text("Kazakhstan", 2015, RATINGS,
                                                  front="authors: [Joanna Lillis]"),
    })
    build(Paths.at(project), project / "site", search=False, base_url="/nit/")
    return project / "site"


def test_the_report_page_cites_the_report_and_links_its_citation_files(built: Path):
    folder = built / "countries/kazakhstan/2015"
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.find(id="citation-text").get_text().split())
    assert text == ("Lillis, Joanna. “Kazakhstan.” In Nations in Transit 2015. Freedom House, "
                    "2015. https://example.org/nit/countries/kazakhstan/2015/. Accessed [date].")
    links = {a.get_text(): a for a in page.select(".cite__files a")}
    assert sorted(links) == ["BibTeX", "CSL-JSON", "RIS"]
    for label, name in (("BibTeX", "citation.bib"), ("RIS", "citation.ris"),
                        ("CSL-JSON", "citation.csl.json")):
        assert links[label]["href"] == f"/nit/countries/kazakhstan/2015/{name}"
        assert (folder / name).is_file()
        assert links[label]["download"].startswith("kazakhstan-2015.")
    parse_bibtex((folder / "citation.bib").read_text(encoding="utf-8"))
    assert rispy.loads((folder / "citation.ris").read_text(encoding="utf-8"))[0]["title"] == "Kazakhstan"
    assert json.loads((folder / "citation.csl.json").read_text())[0]["publisher"] == "Freedom House"
    meta = {m["name"]: m["content"] for m in page.select("head meta[name^=citation_]")}
    assert meta["citation_title"] == "Kazakhstan" and meta["citation_author"] == "Lillis, Joanna"
    assert meta["citation_public_url"] == "https://example.org/nit/countries/kazakhstan/2015/"
    # The site's own publisher stays in the footer; the citation credits the series' publisher.
    assert "The Archive" in page.find("footer").get_text()
    assert "The Archive" not in page.find(id="cite").get_text()


def test_the_report_page_lists_every_other_year_the_current_one_marked(built: Path):
    page = BeautifulSoup((built / "countries/kazakhstan/2014/index.html").read_text(), "html.parser")
    switcher = page.find("nav", class_="other-years")
    links = [(a.get_text(strip=True), a["href"], a.get("aria-current")) for a in switcher.select("a")]
    assert links == [("2014", "/nit/countries/kazakhstan/2014/", "page"),
                     ("2015", "/nit/countries/kazakhstan/2015/", None)]
    # near the top: before the scores and the first section
    html = str(page)
    assert html.index('class="other-years"') < html.index('id="scores-heading"')
