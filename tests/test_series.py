"""series.py: a series definition read and checked with file and line, and every value of a
report derived from what it states (Nations in Transit, Freedom in the World, Freedom on the Net)."""
from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import ROOT
from publisher.scores import round_places
from publisher.series import derive, parse_expression, read_series
from publisher.yamlsafe import load_yaml, load_yaml_file

DEFINITIONS = ROOT / "data/series"


def load(path: Path):
    data, lines = load_yaml_file(path)
    series, problems = read_series(data, lines, path.name)
    assert not problems, [str(p) for p in problems]
    return series


NIT = load(DEFINITIONS / "nit.yaml")
FIW = load(DEFINITIONS / "fiw.yaml")
FOTN = load(DEFINITIONS / "fotn.yaml")
KAZAKHSTAN_2015 = {"national-democratic-governance": D("1.25"), "electoral-process": D("1.25"),
                   "civil-society": D("1.50"), "independent-media": D("1.25"),
                   "local-democratic-governance": D("1.50"),
                   "judicial-framework-and-independence": D("1.50"), "corruption": D("1.50")}


def shown(derived, key, places=2):
    return round_places(derived.values[key], places)


def test_nit_score_percentage_and_status_from_the_ratings():
    derived = derive(NIT, KAZAKHSTAN_2015)
    assert shown(derived, "democracy-score") == D("1.39")
    assert shown(derived, "democracy-percentage") == D("6.55")  # from the unrounded mean, not 6.50
    assert derived.status.name == "Consolidated Authoritarian Regime" and not derived.problems
    assert NIT.title_of(2015) == "Nations in Transit 2015"
    assert NIT.coverage_of(2015) == "events of 2014"
    assert NIT.era(2019).inverted and NIT.era(2020) is None


def test_a_stated_score_that_disagrees_is_one_problem_naming_both_values():
    derived = derive(NIT, KAZAKHSTAN_2015, {"democracy-percentage": D("6.50")})
    assert derived.problems == (("democracy-percentage",
                                 "democracy_percentage: stated 6.50 but the ratings give 6.55"),)


def test_the_status_band_is_matched_on_the_rounded_score():
    ratings = dict.fromkeys(KAZAKHSTAN_2015, D("5.00"))
    assert derive(NIT, ratings).status.key == "semi-consolidated-democracy"
    ratings["corruption"] = D("5.25")  # mean 5.0357 -> 5.04
    assert derive(NIT, ratings).status.key == "consolidated-democracy"


def test_fiw_from_every_indicator():
    ratings = {leaf.key: D(3) for leaf in FIW.leaves() if not leaf.optional}
    derived = derive(FIW, ratings)
    assert derived.values["political-rights"] == 30 and derived.values["civil-liberties"] == 45
    assert derived.values["total"] == 75
    assert derived.values["pr-rating"] == 2 and derived.values["cl-rating"] == 2
    assert derived.status.name == "Free" and not derived.problems


def test_fiw_scores_only_page_states_the_two_groups():
    """'PR Political Rights 5 40', 'CL Civil Liberties 18 60' (Kazakhstan 2021: 23, Not Free)."""
    derived = derive(FIW, {"political-rights": D(5), "civil-liberties": D(18)}, {"total": D(23)})
    assert derived.values["total"] == 23 and derived.values["freedom-rating"] == 6  # mean of 7, 5
    assert derived.status.name == "Not Free" and not derived.problems


def test_fiw_on_a_rating_boundary():
    """Hungary 2019: PR 27 -> 3, CL 43 -> 3: Partly Free (CL 44 would rate 2 and make it Free)."""
    assert derive(FIW, {"political-rights": D(27), "civil-liberties": D(43)}).status.name == "Partly Free"
    assert derive(FIW, {"political-rights": D(30), "civil-liberties": D(44)}).status.name == "Free"


def test_the_discretionary_question_subtracts_and_may_be_left_out():
    ratings = {leaf.key: D(0) for leaf in FIW.leaves() if not leaf.optional}
    assert derive(FIW, ratings).values["political-rights"] == 0
    ratings["additional-discretionary-question"] = D(-1)
    derived = derive(FIW, ratings)
    assert derived.values["political-rights"] == -1 and derived.status.name == "Not Free"


def test_a_group_stated_beside_its_parts_must_agree():
    ratings = {leaf.key: D(2) for leaf in FIW.leaves() if leaf.code.startswith("A")}
    derived = derive(FIW, {**ratings, "electoral-process": D(7)})
    assert derived.problems == (("electoral-process",
                                 "rating for 'electoral-process' is 7 but its parts give 6"),)


def test_fotn_total_and_status():
    derived = derive(FOTN, {"obstacles-to-access": D(10), "limits-on-content": D(11),
                            "violations-of-user-rights": D(11)})
    assert derived.values["total"] == 32 and derived.status.name == "Not Free"
    assert derive(FOTN, {"obstacles-to-access": D(25), "limits-on-content": D(34),
                         "violations-of-user-rights": D(35)}).status.name == "Free"
    assert FOTN.era(2015).inverted and not FOTN.era(2019)
    assert sum(leaf.max for leaf in FOTN.leaves()) == 100


def test_nothing_stated_means_nothing_derived():
    derived = derive(FOTN, {})
    assert derived.values == {} and derived.status is None and not derived.problems


@pytest.mark.parametrize("text, value", [("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 / 4", Fraction(5, 2)),
                                         ("mean(2, 4, 9)", 5), ("sum(1, 2) - 3", 0)])
def test_expressions(text, value):
    from publisher.series import _evaluate

    assert _evaluate(parse_expression(text).tree, {}, NIT) == value


@pytest.mark.parametrize("text", ["1 +", "(1 + 2", "1 $ 2", "mean(1, 2"])
def test_a_formula_that_cannot_be_read_says_so(text):
    with pytest.raises(ValueError):
        parse_expression(text)


def definition_problems(text: str) -> list[str]:
    data, lines = load_yaml(text)
    series, problems = read_series(data, lines, "x.yaml")
    return [f"{p.line}: {p.message}" for p in problems]


MINIMAL = """\
key: x
name: X
categories:
  - {key: a, title: A, min: 0, max: 4, step: 1}
  - {key: b, title: B, min: 0, max: 4, step: 1}
scores:
  - {key: total, title: Total, value: a + b, decimals: 0}
status:
  input: total
  bands:
    - {min: 0, max: 3, status: low}
    - {min: 4, max: 8, status: high}
statuses:
  - {key: low, name: Low, colour: "#a4262c"}
  - {key: high, name: High, colour: "#1d4e89"}
"""


def test_a_minimal_definition_is_a_series():
    assert definition_problems(MINIMAL) == []


@pytest.mark.parametrize("edit, message", [
    (("max: 8, status: high", "max: 8, status: hihg"), "12: band gives status 'hihg', which is not among the statuses"),
    (("{min: 4, max: 8", "{min: 3, max: 8"), "10: bands 0-3 and 3-8 overlap"),
    (("value: a + b", "value: a + c"), "7: the formula of 'total' uses 'c', which is no category, earlier score or lookup of a category"),
    (('"#1d4e89"', '"blue"'), "15: colour 'blue' must be written #rrggbb"),
    (("step: 1}\n  - {key: b", "step: 3}\n  - {key: b"), "4: category 'a': its scale needs min < max and a whole number of steps of 3 between them"),
    (("input: total", "input: totl"), "9: the status rule reads 'totl', which is no category, score or lookup of the series"),
    (("name: X\n", "name: X\ncolor: red\n"), "3: unknown field 'color' in a series definition; expected one of: key, name, short_name, publisher, edition_title, covers, scale_note, opening, categories, scores, headline, main, best, known_as, lookups, status, statuses, history"),
])
def test_each_mistake_in_a_definition_is_one_message_on_its_line(edit, message):
    assert definition_problems(MINIMAL.replace(*edit)) == [message]


def test_a_group_declaring_the_wrong_range_is_refused():
    text = MINIMAL.replace("categories:\n", "categories:\n  - key: g\n    title: G\n    aggregate: sum\n"
                           "    max: 9\n    children:\n      - {key: c, title: C, min: 0, max: 4, step: 1}\n")
    assert definition_problems(text) == ["4: group 'g' declares max 9, but its parts range from 0 to 4"]
