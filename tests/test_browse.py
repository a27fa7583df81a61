"""Browse-and-compare pages, checked against the fixture site's front matter.

The fixture (tests/fixtures/site) has five countries over 2013-2016 with status changes, a
missing edition (Borduria 2014), stated last-year figures and stated score changes. Expected
numbers are computed here from the front matter, independently of the publisher's code.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURE_SITE, nit_project
from publisher.pipeline import build
from publisher.render import FEED_ENTRIES

FIXTURE = FIXTURE_SITE
BASE = "/reports-site/"
BANDS = [("Consolidated Democracy", "5.01"), ("Semi-Consolidated Democracy", "4.01"),
         ("Transitional or Hybrid Regime", "3.01"), ("Semi-Consolidated Authoritarian Regime", "2.01"),
         ("Consolidated Authoritarian Regime", "1.00")]


def two(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_reports() -> dict[tuple[str, int], dict]:
    result = {}
    for path in sorted((FIXTURE / "reports").glob("*/*.md")):
        meta = yaml.safe_load(path.read_text().split("---")[1])
        ratings = {k: Decimal(str(v)) for k, v in meta["ratings"].items()}
        total = sum(ratings.values())
        score = two(total / 7)
        pct = two((total / 7 - 1) / 6 * 100)
        status = next(name for name, low in BANDS if score >= Decimal(low))
        result[(path.parent.name, meta["edition"])] = dict(meta, score=score, pct=pct, status=status,
                                                          ratings=ratings)
    return result


EXPECTED = expected_reports()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browse")
    out = root / "site"
    build(nit_project(FIXTURE), out, base_url=BASE)
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(), "html.parser")


def text(tag) -> str:
    return tag.get_text(" ", strip=True)


def test_fixture_is_big_enough():
    countries = {slug for slug, _ in EXPECTED}
    assert len(countries) >= 4 and all(sum(1 for s, _ in EXPECTED if s == c) >= 1 for c in countries)
    assert sum(1 for c in countries if sum(1 for s, _ in EXPECTED if s == c) >= 3) >= 3


@pytest.mark.parametrize("slug", sorted({s for s, _ in EXPECTED}))
def test_country_page_history_matches_front_matter(site, slug):
    soup = page(site, f"countries/{slug}")
    editions = sorted(e for s, e in EXPECTED if s == slug)
    rows = soup.find("caption", string=lambda s: s and "status and scores by edition" in s).find_parent("table").select("tbody tr")
    assert [int(r.th.a.get_text(strip=True)) for r in rows] == sorted(editions, reverse=True)
    for row in rows:
        data = EXPECTED[(slug, int(row.th.a.get_text(strip=True)))]
        cells = [text(td) for td in row.find_all("td")]
        assert data["status"] in cells[0]
        assert cells[1] == str(data["score"]) and cells[3] == str(data["pct"])
        assert row.th.a["href"] == f"{BASE}countries/{slug}/{data['edition']}/"
    chart = soup.select_one("svg[role=img]")
    desc = chart.find("desc").get_text()
    first, last = EXPECTED[(slug, editions[0])], EXPECTED[(slug, editions[-1])]
    assert str(first["score"]) in desc and str(last["score"]) in desc
    assert len(chart.find_all("circle")) == len(editions)


def test_country_page_marks_rating_changes_in_text_and_symbol(site):
    soup = page(site, "countries/aland")
    table = soup.find("caption", string=lambda s: s and "category ratings by edition" in s).find_parent("table")
    row = next(r for r in table.select("tbody tr") if "Corruption" in r.th.text)
    cells = row.find_all("td")
    assert text(cells[0]) == "4.75"
    assert text(cells[1]) == "4.50 ▼ −0.25 (declined)"
    assert "▼" in cells[2].get_text() and "declined" in cells[2].select_one(".visually-hidden").get_text()
    assert cells[1].a["href"] == f"{BASE}countries/aland/2014/#corruption"


def test_status_changes_are_called_out(site):
    aland = text(page(site, "countries/aland").find(id="status-changes").find_next("ul"))
    assert "2015: from Consolidated Democracy to Semi-Consolidated Democracy" in aland
    estoria = text(page(site, "countries/estoria").find(id="status-changes").find_next("ul"))
    assert "from Semi-Consolidated Democracy to Consolidated Democracy" in estoria
    assert "as the 2015 report states it" in estoria
    carpania = page(site, "countries/carpania").find(id="status-changes").find_next("p")
    assert "did not change" in carpania.get_text()


def test_missing_edition_breaks_the_line(site):
    soup = page(site, "countries/borduria")
    assert "No report on this site for 2014" in soup.get_text()
    assert soup.select("svg path.chart__line") == []  # 2013 and 2015 are not joined


@pytest.mark.parametrize("year", sorted({e for _, e in EXPECTED}))
def test_edition_page_ranks_countries(site, year):
    soup = page(site, f"editions/{year}")
    table = soup.find(id="ranking-caption").find_parent("table")
    rows = table.select("tbody tr")
    expected = sorted(((d["score"], slug) for (slug, e), d in EXPECTED.items() if e == year),
                      key=lambda t: (-t[0], EXPECTED[(t[1], year)]["country"]))
    assert [r.th.a["href"] for r in rows] == [f"{BASE}countries/{slug}/{year}/" for _, slug in expected]
    for rank, (row, (score, slug)) in enumerate(zip(rows, expected), 1):
        cells = [text(td) for td in row.find_all("td")]
        assert cells[0] == str(rank) and cells[2] == str(score)
        assert EXPECTED[(slug, year)]["status"] in cells[1]
        previous = EXPECTED.get((slug, year - 1))
        if previous:
            change = EXPECTED[(slug, year)]["score"] - previous["score"]
            word = "no change" if change == 0 else ("improved" if change > 0 else "declined")
            assert word in cells[3] and f"{abs(change):.2f}" in cells[3]
    heat = soup.find(id="ratings-caption").find_parent("table")
    for row in heat.select("tbody tr"):
        slug = row.th.a["href"].split("/")[-3]
        values = [td.a.get_text() for td in row.select("td.heat")]
        assert values == [f"{v:.2f}" for v in EXPECTED[(slug, year)]["ratings"].values()]


def test_edition_page_groups_by_status(site):
    soup = page(site, "editions/2015")
    groups = {text(s.h3): [a.get_text() for a in s.select("li a")] for s in soup.select(".status-group")}
    assert groups["Consolidated Democracy"] == ["Estoria"]
    assert groups["Semi-Consolidated Democracy"] == ["Aland"]
    assert groups["Consolidated Authoritarian Regime"] == ["Borduria"]
    assert "Status changed from Consolidated Democracy" in text(soup.find(id="ranking-caption").find_parent("table"))


def test_category_page_across_countries_and_editions(site):
    soup = page(site, "categories/civil-society")
    table = soup.find(id="category-caption").find_parent("table")
    years = [int(th.get_text(strip=True)) for th in table.select("thead th")[1:]]
    assert years == sorted({e for _, e in EXPECTED})
    for row in table.select("tbody tr"):
        slug = row.th.a["href"].split("/")[-2]
        for year, cell in zip(years, row.find_all("td")):
            data = EXPECTED.get((slug, year))
            if data is None:
                assert "not rated" in cell.get_text()
            else:
                assert cell.a.get_text() == f"{data['ratings']['civil-society']:.2f}"
                assert cell.a["href"] == f"{BASE}countries/{slug}/{year}/#civil-society"
                target = page(site, f"countries/{slug}/{year}")
                assert target.find(id="civil-society") is not None


def test_report_page_navigation_between_editions(site):
    soup = page(site, "countries/borduria/2015")
    prev = soup.find("a", rel="prev")
    assert prev["href"] == f"{BASE}countries/borduria/2013/" and "2013" in prev.get_text()
    assert soup.find("a", rel="next") is None
    crumbs = [a.get_text() for a in soup.select(".breadcrumbs a")]
    assert crumbs == ["Home", "Countries", "Borduria", "2015"]


def test_per_category_last_year_and_change_on_report(site):
    soup = page(site, "countries/aland/2015")
    row = next(r for r in soup.select(".ratings-table tbody tr") if "Civil Society" in r.th.text)
    cells = [text(td) for td in row.find_all("td")]
    assert cells[0].startswith("5.50") and cells[1] == "5.75" and "Declined −0.25" in cells[2]
    box = text(soup.find(id="civil-society").select_one(".category-box__rating"))
    assert "2014: 5.75, down 0.25" in box


def test_data_downloads(site):
    rows = list(csv.DictReader(io.StringIO((site / "data/reports.csv").read_text())))
    assert len(rows) == len(EXPECTED)
    for row in rows:
        data = EXPECTED[(row["slug"], int(row["edition"]))]
        assert row["democracy_score"] == str(data["score"]) and row["democracy_percentage"] == str(data["pct"])
        assert row["status"] == data["status"] and row["country"] == data["country"]
        assert row["civil-society"] == f"{data['ratings']['civil-society']:.2f}"
        assert row["url"] == f"https://example.github.io{BASE}countries/{row['slug']}/{row['edition']}/"
    as_json = json.loads((site / "data/reports.json").read_text())
    assert [(r["slug"], r["edition"]) for r in as_json] == [(r["slug"], int(r["edition"])) for r in rows]
    data_page = page(site, "data")
    links = {a["href"] for a in data_page.select("a")}
    assert f"{BASE}data/reports.csv" in links and f"{BASE}data/reports.json" in links
    assert "democracy_percentage" in data_page.get_text()


def test_sitemap_robots_feed(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    html_pages = {f"https://example.github.io{BASE}" + str(p.relative_to(site).parent).replace(".", "") + "/"
                  for p in site.rglob("index.html")}
    html_pages = {u.replace(BASE + "/", BASE) for u in html_pages}
    assert html_pages - locs == {f"https://example.github.io{BASE}search/"}
    assert "Sitemap: https://example.github.io/reports-site/sitemap.xml" in (site / "robots.txt").read_text()
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == min(len(EXPECTED), FEED_ENTRIES)
    assert entries[0].find(f"{atom}title").text == "Dravia: Nations in Transit 2016"
    assert entries[0].find(f"{atom}link").get("href") == f"https://example.github.io{BASE}countries/dravia/2016/"


def test_every_html_page_has_meta_canonical_and_opengraph(site):
    for path in site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), path
        assert soup.find("meta", property="og:title")["content"].strip()
        if path.name == "404.html":
            assert soup.find("link", rel="canonical") is None
            continue
        canonical = soup.find("link", rel="canonical")["href"]
        expected = f"https://example.github.io{BASE}" + str(path.relative_to(site).parent).replace(".", "") + "/"
        assert canonical == expected.replace(BASE + "/", BASE), path
        assert soup.find("meta", property="og:url")["content"] == canonical


def test_methodology_and_about_pages(site):
    method = page(site, "methodology")
    assert method.h1.get_text() == "Methodology"
    assert [text(th) for th in method.select("table tbody th")] == [name for name, _ in BANDS]
    assert len(method.select(".definitions dt")) == 7
    about = page(site, "about")
    assert "About this fixture site." in about.get_text()
    nav = [a.get_text() for a in about.select("nav[aria-label=Main] a")]
    assert nav == ["Home", "Countries", "Editions", "Categories", "Methodology", "About", "Data"]


def test_home_shows_latest_edition_at_a_glance(site):
    soup = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    glance = soup.select_one(".at-a-glance")
    latest = max(e for _, e in EXPECTED)
    assert f"Nations in Transit {latest}" in glance.h2.get_text()
    names = [a.get_text() for a in glance.select("tbody th a")]
    assert names == sorted((d["country"] for (s, e), d in EXPECTED.items() if e == latest))

    # Below it: every country (its latest name and status), every edition, newest first.
    latest_of = {}
    for (slug, edition), data in sorted(EXPECTED.items()):
        latest_of[slug] = data
    listed = [(a.get_text(), a["href"], li.select_one(".status").get_text(" ", strip=True))
              for li in soup.select(".country-index li") for a in li.select("a")]
    assert listed == sorted((d["country"], f"{BASE}countries/{slug}/", d["status"])
                            for slug, d in latest_of.items())
    years = sorted({e for _, e in EXPECTED}, reverse=True)
    assert [a["href"] for a in soup.select(".edition-index a")] == [f"{BASE}editions/{y}/" for y in years]


def test_search_page_works_without_index(site):
    soup = page(site, "search")
    form = soup.select_one("form.search-form")
    assert form["action"] == f"{BASE}search/" and form.find("input", attrs={"name": "q"})
    assert "list of countries" in soup.find(id="search-fallback").get_text()
    header_form = soup.select_one("header form[role=search]")
    assert header_form["action"] == f"{BASE}search/"
