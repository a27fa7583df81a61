"""The sample site the browser tests look at: several countries and editions, every regime status,
notes with missing texts, long URLs, repeated and adjacent references, a table in the narrative.

The project copy takes the repository's own data/, templates/, static/, site.yaml and content/
(so pages added there, such as About or Methodology, are built too) and adds the reports below.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CATEGORY_TITLES, ROOT, copy_project, report_text, write_tree

LONG_URL = ("https://www.example.org/archive/official-gazette/2014/04/03/"
            "resolution-of-the-central-election-commission-on-the-registration-of-candidates"
            "-for-the-extraordinary-presidential-election?lang=en&format=pdf&session=0123456789abcdef")

RICH_NOTES = f"""\
The president appointed a new government in April.[^1] Parliament approved the cabinet without
debate,[^2] and the opposition boycotted the session.[^1] Three ministers kept their posts.[^3][^4][^5]

### Changes in the cabinet

The prime minister announced a reform programme on national television.[^6]

[^1]: Official Gazette, 3 April 2014, {LONG_URL}
[^2]: [missing]
[^3]: "Cabinet sworn in," [Example News Agency](https://news.example.org/2014/04/cabinet-sworn-in), 4 April 2014.
[^4]: [missing]
[^5]: Interview with a member of parliament, Astana, May 2014.
[^6]: Transcript at https://tv.example.org/transcripts/2014-04-10.
"""

ELECTORAL_NOTES = """\
The early presidential election was called with two months' notice.[^1] Observers reported
ballot stuffing in several regions.[^2][^3] The turnout figure was disputed.[^a]

| Candidate | Party | Votes (%) | Registered observers | Complaints filed |
|---|---|--:|--:|--:|
| Incumbent President | Nur Otan (Radiant Fatherland) | 97.75 | 1,200 | 0 |
| Communist candidate | Communist People's Party of Kazakhstan | 1.61 | 45 | 12 |
| Environmental candidate | Independent, self-nominated | 0.64 | 3 | 4 |

[^1]: Decree of the President, https://example.org/decree.
[^2]: OSCE/ODIHR, Final Report, https://www.osce.example/odihr/elections/final-report-2014.pdf, p. 12.
[^3]: [missing]
[^a]: Central Election Commission figures as published on election night.
"""

def _ratings(value: float) -> dict[str, float]:
    return {key: value for key in CATEGORY_TITLES}


RICH_RATINGS_2014 = {"national-democratic-governance": 1.25, "electoral-process": 1.25,
                     "civil-society": 1.75, "independent-media": 1.25,
                     "local-democratic-governance": 1.50,
                     "judicial-framework-and-independence": 1.50, "corruption": 1.50}
RICH_RATINGS_2015 = dict(RICH_RATINGS_2014, **{"civil-society": 1.50})
RICH_RATINGS_2016 = dict(RICH_RATINGS_2015, **{"electoral-process": 1.00})

RICH_REPORT = "countries/testland/2015/"


def rich_report() -> str:
    """The report page the keyboard, print and screenshot tests look at most closely."""
    return report_text(
        "Testland", 2015, RICH_RATINGS_2015,
        front="status: Consolidated Authoritarian Regime\ndemocracy_score: 1.39\n"
              "democracy_percentage: 6.55\n"
              "authors: [Jane Doe, Johannes Alexander Longname-Smythe]\n"
              "summary: Power stayed in the president's hands; the early election was neither free nor fair.\n"
              "score_changes:\n  - {category: civil-society, from: 1.75, to: 1.50}\n"
              "other_scores:\n"
              "  global-freedom: {label: Global Freedom Score, score: 23, max: 100, status: Not Free}\n"
              "  internet-freedom: {label: Internet Freedom Score, score: 32, max: 100, status: Not Free, "
              "note: Value when the page was captured.}\n"
              f"source: {{url: '{LONG_URL}'}}",
        sections={
            "Executive Summary": (
                "Power remained concentrated in the presidency.[^1]\n\n"
                "- Civil society came under new pressure.\n- Media outlets were closed.\n\n"
                "[^1]: See https://example.org/summary-source."),
            "Score Changes in 2015": "Civil Society rating declined from 1.75 to 1.50.",
            "National Democratic Governance": RICH_NOTES,
            "Electoral Process": ELECTORAL_NOTES,
            "Civil Society": "New rules for non-governmental organizations were adopted.",
            "Independent Media": "Two newspapers were closed by court order.",
            "Local Democratic Governance": "Local councils remained appointed.",
            "Judicial Framework and Independence": "Judges remained dependent on the executive.",
            "Corruption": "Several officials were convicted; the largest cases were not pursued.",
        })


# Real countries for the edition map (the sample's own countries have no shape on it):
# every regime status, small Montenegro (drawn with a marker) among them.
MAPPED_2015 = {"Poland": 5.75, "Hungary": 4.5, "Serbia": 4.25, "Montenegro": 4.0,
               "Georgia": 3.25, "Ukraine": 3.0, "Armenia": 2.75, "Russia": 1.5}


def sample_content() -> dict[str, str]:
    """content/reports/... files: four countries, every regime status, one country with three
    editions, and real countries in 2015 for the map."""
    mapped = {f"reports/{name.lower()}/2015.md": report_text(name, 2015, _ratings(value))
              for name, value in MAPPED_2015.items()}
    return {**mapped,
        "reports/testland/2014.md": report_text("Testland", 2014, RICH_RATINGS_2014),
        "reports/testland/2015.md": rich_report(),
        "reports/testland/2016.md": report_text("Testland", 2016, RICH_RATINGS_2016,
                                                front="authors: [Jane Doe]"),
        "reports/otherland/2015.md": report_text(
            "Otherland", 2015, _ratings(5.5),
            front="previous: {democracy_percentage: 70, status: Consolidated Democracy}"),
        "reports/otherland/2016.md": report_text("Otherland", 2016, _ratings(4.5)),
        "reports/midland/2015.md": report_text("Midland", 2015, _ratings(3.5)),
        "reports/northern-longlandia-and-the-autonomous-island-territories/2016.md": report_text(
            "Northern Longlandia and the Autonomous Island Territories", 2016, _ratings(2.5)),
    }


ESSAY_2015 = """\
---
title: Democracy on the Defensive
authors: [Jane Doe]
key_findings:
  - Of the five countries assessed for 2014, **two** were rated as democracies.
  - Testland's Democracy Score fell for the [tenth year in a row](https://example.org/trend).
  - Civil society came under new pressure in the east of the region.
---

As the year closed, the region's democracies were on the defensive.[^1] Governments in the
east copied each other's laws against civil society, and the west looked away.

## A region divided

Two of the five countries are democracies; three are not.[^2] The gap between them grew wider
than at any time since the series began.

### What changed

Independent media lost ground almost everywhere.

[^1]: Regional overview, https://example.org/overview-2015.
[^2]: See the ranking below.
"""

# Regions for the sample countries, appended to the repository's data/countries.yaml.
SAMPLE_REGIONS = """
- {name: Testland, region: Eurasia}
- {name: Otherland, region: Central Europe}
- {name: Midland, region: Balkans}
- {name: Northern Longlandia and the Autonomous Island Territories, region: Eurasia}
"""


def make_project(root: Path) -> Path:
    """A Nations in Transit project: the repository's files, its NIT report and the sample
    reports, regions and essay."""
    copy_project(root)
    # The repository's pages and its Nations in Transit report (the seed), in a one-series site.
    shutil.copytree(ROOT / "content/pages", root / "content/pages")
    shutil.copytree(ROOT / "content/reports/nit", root / "content/reports", dirs_exist_ok=True)
    write_tree(root / "content", sample_content())
    write_tree(root / "content", {"editions/2015.md": ESSAY_2015})
    with open(root / "data" / "countries.yaml", "a", encoding="utf-8") as countries:
        countries.write(SAMPLE_REGIONS)
    return root
