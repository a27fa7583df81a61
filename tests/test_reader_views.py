"""The views a reader of an edition or a country meets (browse.py), on small fixtures written for
each test: regions from data/countries.yaml, edition essays (load.py), the fitted chart axis,
small multiples on shared axes, the "Other years" list and the edition map."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import copy_data, nit_definitions, report_text, write_tree
from publisher.assemble import assemble
from publisher.browse import (
    CellTable,
    edition_map,
    edition_view,
    fitted_axis,
    other_years,
    rating_entries,
    score_chart,
    small_multiples,
)
from publisher.definitions import load_definitions
from publisher.errors import ContentError
from publisher.essays import load_edition_essays, unshown_essays
from publisher.load import load_reports
from publisher.mapdata import load_world, unmapped_countries

SCALE = (D(1), D(7))


def definitions_with(tmp_path: Path, countries: str):
    data = tmp_path / "data"
    copy_data(data)
    (data / "countries.yaml").write_text(countries, encoding="utf-8")
    return load_definitions(data)


REGIONS = """\
- {name: Estonia, region: Central Europe}
- {name: Croatia, region: {1999: Balkans, 2014: Central Europe}}
- {name: Serbia, region: Balkans}
- name: Kazakhstan
  region: Eurasia
- name: Nowhereland
"""


def reports_of(tmp_path: Path, definitions, scores: dict[tuple[str, int], float]):
    files = {f"reports/{country.lower()}/{edition}.md":
             report_text(country, edition, {c.key: value for c in definitions.categories})
             for (country, edition), value in scores.items()}
    write_tree(tmp_path / "content", files)
    sources, problems = load_reports(tmp_path / "content", definitions)
    assert not [p for p in problems if p.severity == "error"], problems
    reports, _ = assemble(sources, definitions)
    return reports


def cells_for(reports, definitions) -> CellTable:
    return CellTable({id(r): rating_entries(r, definitions) for r in reports})


# --- regions ----------------------------------------------------------------------------------

def test_regions_keep_the_order_countries_yaml_first_names_them(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    assert [(r.key, r.name) for r in definitions.regions] == [
        ("central-europe", "Central Europe"), ("balkans", "Balkans"), ("eurasia", "Eurasia")]
    assert definitions.region_of("Estonia", 2015).name == "Central Europe"
    assert definitions.region_of("  kazakhstan ", 2015).name == "Eurasia"  # as names match
    assert definitions.region_of("Nowhereland", 2015) is None
    assert definitions.region_of("Atlantis", 2015) is None
    # the importer's list of names is unchanged by regions
    assert definitions.countries == ("Estonia", "Croatia", "Serbia", "Kazakhstan", "Nowhereland")


def test_a_regrouped_country_is_in_each_region_from_its_first_edition(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    assert definitions.region_of("Croatia", 2013).name == "Balkans"
    assert definitions.region_of("Croatia", 2014).name == "Central Europe"
    assert definitions.region_of("Croatia", 2024).name == "Central Europe"
    assert definitions.region_of("Croatia", 1998).name == "Balkans"  # before the first: the first


@pytest.mark.parametrize("entry", ["{name: X, region: 7}", "{name: X, region: ''}",
                                   "{name: X, region: {Balkans: 1999}}", "{name: X, region: [A]}"])
def test_a_region_that_is_not_a_name_or_editions_is_an_error_with_its_line(tmp_path, entry):
    with pytest.raises(ContentError) as failure:
        definitions_with(tmp_path, "- {name: Estonia, region: Central Europe}\n- " + entry + "\n")
    (problem,) = failure.value.problems
    assert problem.path.endswith("countries.yaml") and problem.line == 2
    assert "region of X must be a region's name (region: Eurasia)" in problem.message


def test_the_repositorys_countries_are_in_the_three_regions_of_the_series():
    definitions = nit_definitions()
    assert [r.name for r in definitions.regions] == ["Central Europe", "Balkans", "Eurasia"]
    assert all(definitions.region_of(name, 2015) for name in definitions.countries)
    counts = {r.name: sum(1 for n in ("Bulgaria", "Czech Republic", "Estonia", "Hungary", "Latvia",
                                      "Lithuania", "Poland", "Romania", "Slovakia", "Slovenia",
                                      "Albania", "Bosnia and Herzegovina", "Croatia", "Kosovo",
                                      "North Macedonia", "Montenegro", "Serbia", "Armenia",
                                      "Azerbaijan", "Belarus", "Georgia", "Kazakhstan",
                                      "Kyrgyzstan", "Moldova", "Russia", "Tajikistan",
                                      "Turkmenistan", "Ukraine", "Uzbekistan")
                          if definitions.region_of(n, 2015) == r)
              for r in definitions.regions}
    assert counts == {"Central Europe": 10, "Balkans": 7, "Eurasia": 12}  # NIT 2015's 29


def test_an_edition_is_grouped_by_region_with_unweighted_averages(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    reports = reports_of(tmp_path, definitions, {
        ("Estonia", 2015): 6.0, ("Croatia", 2015): 4.25, ("Serbia", 2015): 4.5,
        ("Kazakhstan", 2015): 1.5, ("Nowhereland", 2015): 3.0, ("Atlantis", 2015): 2.0})
    view = edition_view(2015, tuple(reports), (None, None), definitions,
                        cells_for(reports, definitions))
    groups = [(g.name, [r.report.country for r in g.rows], g.average) for g in view.regions]
    assert groups == [
        ("Central Europe", ["Estonia", "Croatia"], D("5.13")),  # (6 + 4.25) / 2 = 5.125, half up
        ("Balkans", ["Serbia"], D("4.50")),
        ("Eurasia", ["Kazakhstan"], D("1.50")),
        ("Other countries", ["Nowhereland", "Atlantis"], D("2.50")),
    ]
    assert [r.rank for r in view.regions[0].rows] == [1, 3]  # the edition's ranks, kept
    assert view.rows[0].region.name == "Central Europe" and view.rows[3].region is None


def test_no_regions_at_all_means_no_grouping(tmp_path):
    definitions = definitions_with(tmp_path, "- name: Estonia\n")
    reports = reports_of(tmp_path, definitions, {("Estonia", 2015): 6.0})
    view = edition_view(2015, tuple(reports), (None, None), definitions,
                        cells_for(reports, definitions))
    assert view.regions == ()


# --- the fitted axis and the country chart -------------------------------------------------------

@pytest.mark.parametrize("values, low, high, step", [
    (["1.39", "1.32"], "1.30", "1.40", "0.05"),  # the example fills the chart
    (["1.43", "1.39", "1.32"], "1.30", "1.45", "0.05"),
    (["2.14", "1.32"], "1.25", "2.25", "0.25"),
    (["1.39"], "1.35", "1.45", "0.05"),  # one value: room above and below
    (["6.96", "6.9"], "6.90", "7.00", "0.05"),  # never past the top of the scale
    (["1.00", "1.02"], "1.00", "1.10", "0.05"),  # ... nor below its bottom
    (["1.32", "5.5"], "1", "6", "1"),
])
def test_the_axis_is_fitted_to_the_values_with_round_ticks(values, low, high, step):
    axis = fitted_axis([D(v) for v in values], SCALE)
    assert (axis.low, axis.high, axis.step) == (D(low), D(high), D(step))
    assert axis.fitted and axis.low <= min(map(D, values)) and axis.high >= max(map(D, values))
    assert 2 <= len(axis.ticks) - 1 <= 5


def test_values_spanning_the_scale_get_the_full_scale_in_whole_points():
    axis = fitted_axis([D("1.00"), D("7.00")], SCALE)
    assert (axis.low, axis.high, axis.step, axis.fitted) == (D(1), D(7), D(1), False)
    assert len(axis.ticks) == 7


def test_the_country_chart_fits_its_axis_and_says_so(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    reports = reports_of(tmp_path, definitions, {("Kazakhstan", 2014): 1.5,
                                                 ("Kazakhstan", 2015): 1.25})
    chart = score_chart("Kazakhstan", reports, definitions.primary)
    assert [label for label, _ in chart.y_ticks] == ["1.25", "1.30", "1.35", "1.40", "1.45", "1.50"]
    assert chart.axis_note == ("The vertical axis runs from 1.25 to 1.50, fitted to these scores "
                               "so that small changes show; the full scale is 1 to 7.")
    top, bottom = chart.y_ticks[-1][1], chart.y_ticks[0][1]
    first, last = chart.points
    assert first.y == top and last.y == bottom  # 1.50 at the top, 1.25 at the foot


# --- small multiples ----------------------------------------------------------------------------

def test_small_multiples_share_both_axes_and_break_at_missing_editions(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    reports = reports_of(tmp_path, definitions, {
        ("Estonia", 2013): 6.0, ("Estonia", 2014): 6.0, ("Estonia", 2016): 5.75,
        ("Kazakhstan", 2015): 1.5, ("Kazakhstan", 2016): 1.25})
    latest = (reports[-3], reports[-1])  # Estonia 2016, Kazakhstan 2016
    histories = (((2013, D("6.00")), (2014, D("6.00")), (2016, D("5.75"))),
                 ((2015, D("1.50")), (2016, D("1.25"))))
    multiples = small_multiples(latest, histories, definitions)
    assert (multiples.axis.low, multiples.axis.high) == (D(1), D(6))  # fitted to every score
    assert [year for year, _ in multiples.x_ticks] == [2013, 2016]
    estonia, kazakhstan = multiples.charts
    # the same edition and score land on the same spot in every chart
    assert estonia.last.x == kazakhstan.last.x
    assert kazakhstan.first.x > estonia.first.x
    assert len(estonia.segments) == 1  # 2013-2014 joined; 2016 stands alone after the gap
    assert estonia.points[0].y < kazakhstan.points[0].y  # 6.00 above 1.50
    assert [(r.name if r else None, [c.name for c in cs]) for r, cs in multiples.groups] == [
        ("Central Europe", ["Estonia"]), ("Eurasia", ["Kazakhstan"])]
    assert multiples.y_ticks[0][0] == "1" and multiples.y_ticks[-1][0] == "6"
    assert all(label == "" for label, _ in multiples.y_ticks[1:-1])
    assert small_multiples((), (), definitions) is None


# --- other years, the map --------------------------------------------------------------------------

def test_other_years_lists_every_edition_and_marks_the_current_one():
    links = other_years("kazakhstan", "", (2013, 2014, 2016), 2014)
    assert [(l.edition, l.url, l.current) for l in links] == [
        (2013, "countries/kazakhstan/2013/", False), (2014, "countries/kazakhstan/2014/", True),
        (2016, "countries/kazakhstan/2016/", False)]


def test_the_edition_map_links_each_country_named_with_status_and_score(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    reports = reports_of(tmp_path, definitions, {("Estonia", 2015): 6.0, ("Kazakhstan", 2015): 1.5,
                                                 ("Atlantis", 2015): 2.0})
    view = edition_view(2015, tuple(reports), (None, None), definitions,
                        cells_for(reports, definitions))
    drawn = edition_map(view.rows, definitions, load_world())
    assert [(a.country, a.url, a.label) for a in drawn.covered] == [  # in the ranking's order
        ("Estonia", "countries/estonia/2015/",
         "Estonia: Consolidated Democracy, Democracy Score 6.00 out of 7"),
        ("Kazakhstan", "countries/kazakhstan/2015/",
         "Kazakhstan: Consolidated Authoritarian Regime, Democracy Score 1.50 out of 7")]
    assert drawn.missing == ("Atlantis",)
    assert drawn.context and all(c.code not in ("EST", "KAZ") for c in drawn.context)
    assert edition_map(view.rows, definitions, None) is None
    problems = unmapped_countries(reports, load_world(), "data/map/world.json")
    assert [(p.severity, p.line) for p in problems] == [("warning", 1)]
    assert problems[0].message.startswith("1 country has no shape in the map data")
    assert ": Atlantis;" in problems[0].message


# --- edition essays -----------------------------------------------------------------------------

ESSAY = """\
---
title: Democracy on the *Defensive*
authors: [Jane Doe, "  John   Roe "]
key_findings:
  - Of 29 countries, **13** were democracies.
  - See [the data](https://example.org/data).
---

The year in one paragraph.[^1]

# A top heading

## A section

### A subsection

[^1]: A source, https://example.org/source.
"""


def test_an_essay_has_its_title_authors_findings_and_notes():
    (essay,), problems = load_edition_essays([("content/editions/2015.md", ESSAY.encode())], nit_definitions())
    assert problems == []
    assert essay.edition == 2015 and essay.title == "Democracy on the *Defensive*"
    assert essay.authors == ("Jane Doe", "John Roe")
    assert essay.key_findings == ("Of 29 countries, <strong>13</strong> were democracies.",
                                  'See <a href="https://example.org/data">the data</a>.')
    html = essay.essay.html
    # under the essay's own h2, its headings start at h3
    assert "<h3>A top heading</h3>" in html and "<h3>A section</h3>" in html
    assert "<h4>A subsection</h4>" in html and "<h2>" not in html and "<h1>" not in html
    (note,) = essay.essay.footnotes
    assert note.note_id == "essay-fn1" and "example.org/source" in note.html


def test_findings_without_an_essay_and_the_mistakes_an_editor_makes():
    only_findings = b"---\nkey_findings: [One finding.]\n---\n"
    (essay,), problems = load_edition_essays([("content/editions/2016.md", only_findings)], nit_definitions())
    assert problems == [] and essay.essay is None and essay.key_findings == ("One finding.",)
    bad = [
        ("content/editions/latest.md", ESSAY.encode()),
        ("content/editions/2017.md", b"---\ntitel: X\n---\nText.\n"),
        ("content/editions/2018.md", b"---\nkey_findings: A single string\n---\n"),
        ("content/editions/2019.md", b"---\ntitle: X\n---\nA note[^9] with no text.\n"),
        ("content/editions/2020.md", b"---\n---\n"),
    ]
    essays, problems = load_edition_essays(bad, nit_definitions())
    messages = [(p.path.rsplit("/", 1)[-1], p.line, p.severity, p.message) for p in problems]
    assert ("latest.md", 1, "error", "an edition's essay is named after the edition's year, e.g. "
            "content/editions/2015.md, not 'latest.md'") in messages
    assert ("2017.md", 2, "error", "unknown field 'titel'; did you mean 'title'?") in messages
    assert any(m[0] == "2018.md" and m[1] == 2 and "'key_findings' must be a list" in m[3]
               for m in messages)
    assert any(m[0] == "2019.md" and m[2] == "error" and "[^9]" in m[3] for m in messages)
    assert ("2020.md", 1, "warning",
            "the file has neither key findings nor an essay: nothing to show") in messages
    assert [e.edition for e in essays] == [2020]


def test_an_essay_of_an_edition_without_reports_is_a_warning(tmp_path):
    definitions = definitions_with(tmp_path, REGIONS)
    reports = reports_of(tmp_path, definitions, {("Estonia", 2015): 6.0})
    essays, _ = load_edition_essays([("content/editions/2015.md", ESSAY.encode()),
                                     ("content/editions/2030.md", ESSAY.encode())], definitions)
    (problem,) = unshown_essays(essays, reports)
    assert (problem.path, problem.severity) == ("content/editions/2030.md", "warning")
    assert "no report of edition 2030" in problem.message
