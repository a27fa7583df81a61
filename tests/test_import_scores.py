"""Importer stage 3: widgets, ratings, last year's figures, score changes, other scores."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from publisher.importer import scores
from publisher.importer.sections import Block

from import_helpers import all_series, definitions

DEFS = definitions()
NIT = DEFS.primary
SERIES = {s.key: s for s in all_series().series}
FIW, FOTN = SERIES["fiw"], SERIES["fotn"]


@pytest.mark.parametrize("text, score, percentage", [
    ("DEMOCRACY-PERCENTAGE Democracy Percentage 6.55 100\nDEMOCRACY-SCORE Democracy Score 1.39 7", "1.39", "6.55"),
    ("Democracy Percentage 5.36 / 100\nDemocracy Score 1.32 / 7", "1.32", "5.36"),
    ("Democracy Percentage | 82.14 100 |\nDemocracy Score | 5.93 7 |", "5.93", "82.14"),
    ("Democracy Percentage\n4.17\n/ 100\nDemocracy Score\n1.25\n7", "1.25", "4.17"),
    ("Democracy Percentage 0.00 100\nDemocracy Score 1.00 7", "1.00", "0.00"),
])
def test_widgets_in_all_their_flattened_forms(text, score, percentage):
    stated, _ = scores.score_widgets(text, NIT, 2020)
    assert stated == {"democracy-score": D(score), "democracy-percentage": D(percentage)}


def test_last_years_percentage_is_not_this_years():
    text = "Last Year's Democracy Percentage & Status\n7 100 Consolidated Authoritarian Regime"
    assert scores.score_widgets(text, NIT, 2020) == ({}, {})
    previous = scores.previous_figures(text, NIT)
    assert (previous.scores, previous.status) == ({"democracy-percentage": 7}, "Consolidated Authoritarian Regime")


def test_last_year_in_ecoi_form_and_old_status_wording():
    text = "LAST YEAR'S DEMOCRACY PERCENTAGE & STATUS\n39 / 100 Transitional Government or Hybrid Regime"
    previous = scores.previous_figures(text, NIT)
    assert (previous.scores, previous.status) == ({"democracy-percentage": 39}, "Transitional or Hybrid Regime")


@pytest.mark.parametrize("text", [
    "Last Year's Score & Status\n72 100 Free",
    "LAST YEAR'S SCORE & STATUS\n72 / 100 Free\nGlobal freedom statuses are calculated",
])
def test_last_years_score_of_a_series_headed_by_its_total(text):
    previous = scores.previous_figures(text, FIW)
    assert (previous.scores, previous.status) == ({"total": 72}, "Free")


def test_status_line_in_any_case():
    assert scores.status_in(["Kazakhstan", "CONSOLIDATED AUTHORITARIAN REGIME"], NIT) == \
        "Consolidated Authoritarian Regime"
    assert scores.status_in(["Regime Classification: Semi-Consolidated Democracy"], NIT) == \
        "Semi-Consolidated Democracy"
    assert scores.status_in(["Not Free"], NIT) is None
    assert scores.status_in(["NOT FREE"], FIW) == "Not Free"
    assert scores.status_in(["Press Freedom Status: Not Free", "Partly Free"], FOTN) == "Partly Free"


@pytest.mark.parametrize("text, found", [
    ("PR Political Rights 24 40\nCL Civil Liberties 42 60", {"political-rights": 24, "civil-liberties": 42}),
    ("Political Rights 5 / 40\nCivil Liberties 18 / 60", {"political-rights": 5, "civil-liberties": 18}),
    ("Political Rights | 5 / 40 |\nCivil Liberties | 18 / 60 |", {"political-rights": 5, "civil-liberties": 18}),
    ("PR Political Rights -1 40", {"political-rights": -1}),
    ("Political Rights: 7\nCivil Liberties: 5", {}),  # the 1-7 ratings, not points of 40 and 60
    ("Political Rights: \nCivil Liberties: \nAggregate Score: ", {}),  # values lost
    ("Political Rights 45 40", {}),  # off the scale
])
def test_group_widgets_need_the_groups_scale_top(text, found):
    assert scores.group_widgets(text, FIW) == {k: D(v) for k, v in found.items()}


@pytest.mark.parametrize("text, found", [
    ("A Obstacles to Access 25 25\nB Limits on Content 34 35\nC Violations of User Rights 35 40",
     {"obstacles-to-access": 25, "limits-on-content": 34, "violations-of-user-rights": 35}),
    ("Obstacles to Access\n(0 = best, 25 = worst)\n\n15\n(0 = Best, 25 = Worst)\n\nLimits on Content\n"
     "(0 = best, 35 = worst)\n\n23\n(0 = Best, 35 = Worst)", {"obstacles-to-access": 15, "limits-on-content": 23}),
    ("Obstacles to Access: \n14\n(0 = Best, 25 = Worst)\nLimits on Content: \n23\n(0 = Best, 35 = Worst)",
     {"obstacles-to-access": 14, "limits-on-content": 23}),
    ("Obstacles to Access\n(0 = best, 25 = worst)\n\n(0 = Best, 25 = Worst)", {}),  # labels, no values
])
def test_group_widgets_in_the_layouts_of_freedom_on_the_net(text, found):
    assert scores.group_widgets(text, FOTN) == {k: D(v) for k, v in found.items()}


@pytest.mark.parametrize("text, stated, last_year", [
    ("NOT FREE\n23\n/ 100\nPolitical Rights 5 / 40", {"total": 23}, {}),  # the big number over "/ 100"
    ("Not Free\n/ 100\nPolitical Rights 5 / 40", {}, {}),  # its value lost
    ("Aggregate Score: 22 (0 = Least Free, 100 = Most Free)\nFreedom Rating: 6.0 (1 = Most Free, 7 = Least Free)",
     {"total": 22, "freedom-rating": D("6.0")}, {}),
])
def test_score_widgets_of_a_series_with_a_total(text, stated, last_year):
    assert scores.score_widgets(text, FIW, 2018) == ({k: D(v) for k, v in stated.items()}, last_year)


def test_old_total_widgets_name_this_years_and_last_years_edition():
    text = ("2014 Freedom On the Net Total (0 = Best, 100 = Worst) 60\n\nFreedom on the Net Total\n"
            "(0 = best, 100 = worst)\n\n60\n(0 = Best, 100 = Worst)\n"
            "  • 2013 Freedom On the Net Total (0 = Best, 100 = Worst) 59")
    assert scores.score_widgets(text, FOTN, 2014) == ({"total": D(60)}, {"total": D(59)})
    assert scores.score_widgets("Total Score: \n61\n(0 = Best, 100 = Worst)", FOTN, 2015) == ({"total": D(61)}, {})


@pytest.mark.parametrize("text, rating", [
    ("Was the current head of government elected? 0.000 4.004", "0.00"),
    ("Was the current head of government elected? 3.003 4.004", "3.00"),
    ("Was the current head of government elected? 2 / 4", "2"),
    ("Was the current head of government elected? | 4 / 4 |", "4"),
    ("Was the current head of government elected? 5 / 4", None),  # off the scale
])
def test_indicator_ratings_on_a_whole_point_scale(text, rating):
    match = scores.find_rating(text, FIW.nodes["a1"])
    assert (scores.rating_value(match) if match else None) == (D(rating) if rating else None)


@pytest.mark.parametrize("line, rating", [
    ("Considers the democratic character of the governmental system; and the independence, "
     "effectiveness, and accountability of the legislative and executive branches. 1.251 7.007", "1.25"),
    ("Considers the democratic character of the governmental system. 4.505 7.007", "4.50"),
    ("4.75 / 7", "4.75"),
])
def test_rating_glued_to_widget_digits_and_description_dropped(line, rating):
    blocks = [Block("para", [line]), Block("para", ["Body text 1.50 stays."])]
    dropped: list[str] = []
    node = DEFS.category("national-democratic-governance")
    assert scores.rating_from_section("", blocks, node, dropped) == D(rating)
    assert [b.items[0] for b in blocks] == ["Body text 1.50 stays."]
    assert dropped


def test_rating_is_not_taken_from_body_text():
    blocks = [Block("para", ["The court fined the paper 1.25 7 times in a row, said the editor."])]
    assert scores.rating_from_section("", blocks, DEFS.category("national-democratic-governance"), []) is None
    assert len(blocks) == 1


def test_old_scale_lines_and_history_table():
    text = ("Democracy Score (1 = best, 7 = worst): 6.61\n"
            "Civil Society (1 = best, 7 = worst): 6.50\n")
    assert scores.score_widgets(text, NIT, 2014) == ({"democracy-score": D("6.61")}, {})
    assert scores.table_ratings(text, NIT, 2014) == {"civil-society": D("6.50")}
    table = ("200720082009\nCivil Society5.755.506.25\nCorruption1.\n"
             "Democracy Score6.396.396.32\n")
    assert scores.table_ratings(table, NIT, 2009) == {"civil-society": D("6.25")}
    assert scores.table_scores(table, NIT, 2009) == ({"democracy-score": D("6.32")}, {"democracy-score": D("6.39")})


def test_conversion_from_an_inverted_scale_uses_the_scales_ends():
    assert scores.to_new_scale(D("6.61"), D(1), D(7), 2) == D("1.39")
    assert scores.to_new_scale(D(15), D(0), D(25), 0) == D(10)


def test_table_row_not_lining_up_with_the_years_is_not_guessed():
    table = "200720082009\nCivil Society5.755.50\n"
    assert scores.table_ratings(table, NIT, 2009) == {}


@pytest.mark.parametrize("sentence, key, start, end", [
    ("Civil Society rating declined from 1.50 to 1.25 due to arrests.", "civil-society", "1.50", "1.25"),
    ("Corruption score declined from 5.75 to 5.25. In December, more.", "corruption", "5.75", "5.25"),
    ("Judicial Framework and Independence: This rating improved from 5.00 to 5.25 due to reforms.",
     "judicial-framework-and-independence", "5.00", "5.25"),
    ("Judicial Framework and Independent rating declined from 5.25 to 5.00 as ...",
     "judicial-framework-and-independence", "5.25", "5.00"),
    ("Kazakhstan’s local governance rating worsened from 1.75 to 1.50.", "local-democratic-governance",
     "1.75", "1.50"),
    ("The media score decreased from 3.75 to 3.50.", "independent-media", "3.75", "3.50"),
])
def test_score_change_wordings(sentence, key, start, end):
    changes, overall = scores.score_changes([sentence], NIT, [])
    assert [(c.category, c.before, c.after) for c in changes] == [(key, D(start), D(end))]
    assert overall is None


def test_democracy_score_change_and_unchanged_forms():
    changing = ("democracy-score",)
    assert scores.score_changes(["As a result, Kazakhstan’s Democracy Score declined from 1.36 to 1.32."],
                                NIT, [], changing)[1] == ("democracy-score", D("1.36"), D("1.32"))
    assert scores.score_changes(["As a result, Ukraine’s Democracy Score remained the same at 3.36."],
                                NIT, [], changing)[1] == ("democracy-score", D("3.36"), D("3.36"))
    assert scores.score_changes(["As a result, Croatia’s Democracy Score remained unchanged."],
                                NIT, [], changing, {"democracy-score": D("4.25")})[1] == \
        ("democracy-score", D("4.25"), D("4.25"))
    assert scores.score_changes(["No score changes in 2016."], NIT, [], changing) == ([], None)
    # A change of a score the content cannot state (the percentage) is not a category's either.
    assert scores.score_changes(["The Democracy Percentage declined from 6.55 to 5.36."], NIT, [], changing) \
        == ([], None)


def test_unrecognisable_category_is_reported_not_guessed():
    problems: list[str] = []
    changes, _ = scores.score_changes(["Governance rating declined from 2.00 to 1.75."], NIT, problems)
    assert changes == [] and problems


def test_footer_other_scores():
    footer = "See More\n  • Global Freedom Score\n\n    23 100 not free\n  • Internet Freedom Score\n\n    32 100 partly free"
    found = scores.other_scores(footer)
    assert [(o.key, o.label, o.score, o.max, o.status) for o in found] == [
        ("global-freedom", "Global Freedom Score", 23, 100, "Not Free"),
        ("internet-freedom", "Internet Freedom Score", 32, 100, "Partly Free"),
    ]


def test_rating_in_its_own_block_after_the_description():
    node = DEFS.category("corruption")
    blocks = [Block("para", [node.description]), Block("para", ["3.25 / 7"]), Block("para", ["Body."])]
    dropped: list[str] = []
    assert scores.rating_from_section("", blocks, node, dropped) == D("3.25")
    assert [b.items[0] for b in blocks] == ["Body."]
