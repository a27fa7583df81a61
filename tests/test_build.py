"""End to end: build fixture sites into a temp folder and inspect the output with an HTML parser."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, load_json, report_text, write_tree
from publisher.errors import ContentError
from publisher.pipeline import Paths, build

RATINGS_2014 = {"national-democratic-governance": 1.25, "electoral-process": 1.25,
                "civil-society": 1.75, "independent-media": 1.25,
                "local-democratic-governance": 1.50, "judicial-framework-and-independence": 1.50,
                "corruption": 1.50}
RATINGS_2015 = dict(RATINGS_2014, **{"civil-society": 1.50})
NOTES = "Claim one.[^1] Claim two.[^2] Again.[^1]\n\n[^1]: First source, https://example.org/a.\n[^2]: [missing]"


def fixture_site(project: Path) -> Path:
    write_tree(project / "content", {
        "reports/testland/2014.md": report_text("Testland", 2014, RATINGS_2014),
        "reports/testland/2015.md": report_text(
            "Testland", 2015, RATINGS_2015,
            front="status: Consolidated Authoritarian Regime\ndemocracy_score: 1.39\n"
                  "democracy_percentage: 6.55\nauthors: [Jane Doe, John Roe]\n"
                  "previous: {democracy_percentage: 7, status: Consolidated Authoritarian Regime}\n"
                  "score_changes:\n  - {category: civil-society, from: 1.75, to: 1.50}\n"
                  "other_scores:\n  global-freedom: {label: Global Freedom Score, score: 23, max: 100, "
                  "status: Not Free, note: Value when the page was captured.}\n"
                  "source: {url: 'https://example.org/testland/2015'}",
            sections={"Executive Summary": "Summary.", "National Democratic Governance": NOTES,
                      "Electoral Process": NOTES, "Civil Society": "Civil.",
                      "Independent Media": "Media.", "Local Democratic Governance": "Local.",
                      "Judicial Framework and Independence": "Courts.", "Corruption": "Graft."}),
        "reports/otherland/2015.md": report_text("Otherland", 2015, {k: 5.5 for k in RATINGS_2014},
                                                 front="previous: {democracy_percentage: 70, "
                                                       "status: Consolidated Democracy}"),
    })
    return project


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def built(project: Path) -> Path:
    fixture_site(project)
    build(Paths.at(project), project / "site", search=False)
    return project / "site"


def test_report_page_structure(built: Path):
    page = soup(built / "countries/testland/2015/index.html")
    assert page.html["lang"] == "en"
    assert len(page.find_all("h1")) == 1 and page.h1.get_text(strip=True) == "Testland"
    skip = page.find("a", class_="skip-link")
    assert skip["href"] == "#main" and page.find(id="main").name == "main"
    assert page.find("header") and page.find("footer") and page.find("nav", attrs={"aria-label": "Main"})
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4"])]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_report_page_scores_and_last_year(built: Path):
    page = soup(built / "countries/testland/2015/index.html")
    cards = {c.dt.get_text(strip=True): c for c in page.select(".score-card")}
    score = cards["Democracy Score"]
    assert score.select_one(".score-card__value").get_text(" ", strip=True) == "1.39 out of 7"
    # Last year from the 2014 file: mean of RATINGS_2014 = 10 / 7 = 1.43.
    assert "2014: 1.43 (down 0.04)" in score.get_text(" ", strip=True)
    pct = cards["Democracy Percentage"].get_text(" ", strip=True)
    assert "6.55 out of 100" in pct and "2014: 7.14 (down 0.59)" in pct
    status = cards["Regime status"].get_text(" ", strip=True)
    assert "Consolidated Authoritarian Regime" in status and "(unchanged)" in status
    row = next(r for r in page.select(".ratings-table tbody tr") if "Civil Society" in r.th.text)
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0].startswith("1.50") and cells[1] == "1.75" and "Declined −0.25" in cells[2]


def test_stated_previous_is_used_when_last_years_file_is_absent(built: Path):
    page = soup(built / "countries/otherland/2015/index.html")
    text = page.select_one(".scores").get_text(" ", strip=True)
    assert "2014: 70 (rounded, as the source states it)" in text
    assert "2014: Consolidated Democracy (unchanged)" in text


def test_category_sections_and_notes(built: Path):
    page = soup(built / "countries/testland/2015/index.html")
    section = page.find("section", id="national-democratic-governance")
    assert "Rating: 1.25 out of 7" in section.select_one(".category-box__rating").get_text(" ", strip=True)
    assert "democratic character of the governmental system" in section.select_one(".category-box__description").text
    refs = section.select('a[role="doc-noteref"]')
    assert [r.get_text() for r in refs] == ["[1]", "[2]", "[1]"]
    notes = section.find("section", attrs={"role": "doc-endnotes"})
    assert notes["aria-labelledby"] == "national-democratic-governance-notes"
    assert notes.h3.get_text(strip=True) == "Notes: National Democratic Governance"
    items = notes.find_all("li")
    assert [li["value"] for li in items] == ["1", "2"]
    assert "Note text not available in the source." in items[1].get_text()
    for ref in refs:  # every reference points at a note, and every back link at a reference
        assert page.find(id=ref["href"][1:]).name == "li"
    backs = notes.select('a[role="doc-backlink"]')
    assert [b.get_text() for b in backs] == ["Back to reference 1, use 1", "Back to reference 1, use 2",
                                             "Back to reference 2"]
    assert all(page.find(id=b["href"][1:]) is not None for b in backs)


def test_report_json(built: Path):
    data = load_json(built / "countries/testland/2015/report.json")
    assert data["country"] == "Testland" and data["edition"] == 2015
    assert data["status"] == "Consolidated Authoritarian Regime"
    assert (data["democracy_score"], data["democracy_percentage"]) == (1.39, 6.55)
    assert data["ratings"]["civil-society"] == 1.5 and len(data["ratings"]) == 7
    assert data["other_scores"]["global-freedom"]["score"] == 23
    assert data["authors"] == ["Jane Doe", "John Roe"]
    assert data["previous"] == {"edition": 2014, "democracy_score": 1.43, "democracy_percentage": 7.14,
                                "status": "Consolidated Authoritarian Regime", "source": "file"}
    ndg = next(s for s in data["sections"] if s["id"] == "national-democratic-governance")
    assert ndg["category"] == "national-democratic-governance" and ndg["rating"] == 1.25
    assert ndg["text"] == "Claim one. Claim two. Again."
    assert ndg["footnotes"] == [{"number": 1, "text": "First source, https://example.org/a."},
                                {"number": 2, "text": None}]
    other = load_json(built / "countries/otherland/2015/report.json")
    assert other["previous"] == {"edition": 2014, "democracy_score": None, "democracy_percentage": 70,
                                 "status": "Consolidated Democracy", "source": "stated"}


def test_index_lists_every_country_and_edition(built: Path):
    page = soup(built / "index.html")
    countries = page.select(".country-index li")
    assert [li.a.get_text(strip=True) for li in countries] == ["Otherland", "Testland"]
    assert "Consolidated Democracy" in countries[0].get_text()
    assert [a.get_text() for a in page.select(".edition-index a")] == ["2015", "2014"]


def test_404_and_static(built: Path):
    assert soup(built / "404.html").h1.get_text(strip=True) == "Page not found"
    assert (built / "static/css/site.css").is_file()


def test_base_url_prefixes_every_link(project: Path):
    fixture_site(project)
    build(Paths.at(project), project / "site", base_url="/reports-site/", search=False)
    for html in (project / "site").rglob("*.html"):
        page = soup(html)
        for tag in page.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if target and not target.startswith(("#", "http://", "https://")):
                assert target.startswith("/reports-site/"), (html, target)


def test_stated_previous_is_checked_against_last_years_file(project: Path):
    fixture_site(project)
    path = project / "content/reports/testland/2015.md"
    path.write_text(path.read_text().replace("democracy_percentage: 7,", "democracy_percentage: 9,"))
    with pytest.raises(ContentError) as error:
        build(Paths.at(project), project / "site", search=False)
    assert any("previous.democracy_percentage: stated 9.00 but" in p.message and "2014.md gives 7.14" in p.message
               for p in error.value.problems)


def test_score_change_from_is_checked_against_last_years_file(project: Path):
    fixture_site(project)
    path = project / "content/reports/testland/2015.md"
    path.write_text(path.read_text().replace("from: 1.75", "from: 2.00"))
    with pytest.raises(ContentError) as error:
        build(Paths.at(project), project / "site", search=False)
    assert any("score change for 'civil-society' says it was 2.00 but" in p.message
               for p in error.value.problems)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_failed_build_keeps_previous_site_and_prints_path_line(project: Path):
    fixture_site(project)
    assert run_cli(cwd=project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    path = project / "content/reports/testland/2014.md"
    path.write_text(path.read_text().replace("corruption: 1.50", "corruption: 8.2"))
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/reports/testland/2014.md:11: rating for 'corruption' 8.2 is out of range (1-7)" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_cli_check_summary(project: Path):
    fixture_site(project)
    result = run_cli("check", cwd=project)
    assert result.returncode == 0
    # two notes without text, and the countries the edition maps cannot draw
    assert "check OK: 3 report(s), 3 warning(s), 0 error(s)" in result.stdout
    assert "testland/2015.md:33: warning: 2 notes have no text yet ([missing]" in result.stderr
    assert ("data/map/world.json:1: warning: 2 countries have no shape in the map data, so the "
            "edition maps leave them out") in result.stderr
    assert ": Otherland, Testland;" in result.stderr


def test_cli_options(project: Path, tmp_path: Path):
    fixture_site(project)
    content = project / "content"
    result = run_cli("--content", str(content), "--out", "elsewhere", "--base-url", "/x/", cwd=project)
    assert result.returncode == 0, result.stderr
    assert 'href="/x/static/css/site.css"' in (project / "elsewhere/index.html").read_text()


def test_refuses_to_replace_a_folder_it_did_not_build(project: Path):
    fixture_site(project)
    (project / "precious").mkdir()
    (project / "precious/thesis.txt").write_text("do not delete")
    result = run_cli("--out", "precious", cwd=project)
    assert result.returncode == 1 and "not built by this tool" in result.stderr
    assert (project / "precious/thesis.txt").exists()
    result = run_cli("--out", ".", cwd=project)
    assert result.returncode == 1 and "would contain or replace" in result.stderr
