"""Importer stage 3: widgets, ratings, last year's figures, score changes, other scores."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from publisher.importer import scores
from publisher.importer.sections import Block

from import_helpers import definitions

DEFS = definitions()


@pytest.mark.parametrize("text, score, percentage", [
    ("DEMOCRACY-PERCENTAGE Democracy Percentage 6.55 100\nDEMOCRACY-SCORE Democracy Score 1.39 7", "1.39", "6.55"),
    ("Democracy Percentage 5.36 / 100\nDemocracy Score 1.32 / 7", "1.32", "5.36"),
    ("Democracy Percentage | 82.14 100 |\nDemocracy Score | 5.93 7 |", "5.93", "82.14"),
    ("Democracy Percentage\n4.17\n/ 100\nDemocracy Score\n1.25\n7", "1.25", "4.17"),
    ("Democracy Percentage 0.00 100\nDemocracy Score 1.00 7", "1.00", "0.00"),
])
def test_widgets_in_all_their_flattened_forms(text, score, percentage):
    assert scores.header_number(scores.SCORE_RE, text, D(7)) == D(score)
    assert scores.header_number(scores.PERCENT_RE, text, D(100)) == D(percentage)


def test_last_years_percentage_is_not_this_years():
    text = "Last Year's Democracy Percentage & Status\n7 100 Consolidated Authoritarian Regime"
    assert scores.header_number(scores.PERCENT_RE, text, D(100)) is None
    previous = scores.previous_figures(text, DEFS)
    assert (previous.democracy_percentage, previous.status) == (7, "Consolidated Authoritarian Regime")


def test_last_year_in_ecoi_form_and_old_status_wording():
    text = "LAST YEAR'S DEMOCRACY PERCENTAGE & STATUS\n39 / 100 Transitional Government or Hybrid Regime"
    previous = scores.previous_figures(text, DEFS)
    assert (previous.democracy_percentage, previous.status) == (39, "Transitional or Hybrid Regime")


def test_status_line_in_any_case():
    assert scores.status_in(["Kazakhstan", "CONSOLIDATED AUTHORITARIAN REGIME"], DEFS) == \
        "Consolidated Authoritarian Regime"
    assert scores.status_in(["Regime Classification: Semi-Consolidated Democracy"], DEFS) == \
        "Semi-Consolidated Democracy"
    assert scores.status_in(["Not Free"], DEFS) is None


@pytest.mark.parametrize("line, rating", [
    ("Considers the democratic character of the governmental system; and the independence, "
     "effectiveness, and accountability of the legislative and executive branches. 1.251 7.007", "1.25"),
    ("Considers the democratic character of the governmental system. 4.505 7.007", "4.50"),
    ("4.75 / 7", "4.75"),
])
def test_rating_glued_to_widget_digits_and_description_dropped(line, rating):
    blocks = [Block("para", [line]), Block("para", ["Body text 1.50 stays."])]
    dropped: list[str] = []
    description = DEFS.category("national-democratic-governance").description
    assert scores.rating_from_section("", blocks, description, dropped) == D(rating)
    assert [b.items[0] for b in blocks] == ["Body text 1.50 stays."]
    assert dropped


def test_rating_is_not_taken_from_body_text():
    blocks = [Block("para", ["The court fined the paper 1.25 7 times in a row, said the editor."])]
    assert scores.rating_from_section("", blocks, "Considers the democratic character.", []) is None
    assert len(blocks) == 1


def test_old_scale_lines_and_history_table():
    text = ("Democracy Score (1 = best, 7 = worst): 6.61\n"
            "Civil Society (1 = best, 7 = worst): 6.50\n")
    assert scores.old_scale_score(text, 2014) == (D("6.61"), None)
    assert scores.old_scale_ratings(text, DEFS, 2014) == {"civil-society": D("6.50")}
    table = ("200720082009\nCivil Society5.755.506.25\nCorruption1.\n"
             "Democracy Score6.396.396.32\n")
    assert scores.old_scale_ratings(table, DEFS, 2009) == {"civil-society": D("6.25")}
    assert scores.old_scale_score(table, 2009) == (D("6.32"), D("6.39"))
    assert scores.to_new_scale(D("6.61")) == D("1.39")


def test_table_row_not_lining_up_with_the_years_is_not_guessed():
    table = "200720082009\nCivil Society5.755.50\n"
    assert scores.old_scale_ratings(table, DEFS, 2009) == {}


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
    changes, overall = scores.score_changes([sentence], DEFS, [])
    assert [(c.category, c.before, c.after) for c in changes] == [(key, D(start), D(end))]
    assert overall is None


def test_democracy_score_change_and_unchanged_forms():
    assert scores.score_changes(["As a result, Kazakhstan’s Democracy Score declined from 1.36 to 1.32."],
                                DEFS, [])[1] == (D("1.36"), D("1.32"))
    assert scores.score_changes(["As a result, Ukraine’s Democracy Score remained the same at 3.36."],
                                DEFS, [])[1] == (D("3.36"), D("3.36"))
    assert scores.score_changes(["As a result, Croatia’s Democracy Score remained unchanged."],
                                DEFS, [], D("4.25"))[1] == (D("4.25"), D("4.25"))
    assert scores.score_changes(["No score changes in 2016."], DEFS, []) == ([], None)


def test_unrecognisable_category_is_reported_not_guessed():
    problems: list[str] = []
    changes, _ = scores.score_changes(["Governance rating declined from 2.00 to 1.75."], DEFS, problems)
    assert changes == [] and problems


def test_footer_other_scores():
    footer = "See More\n  • Global Freedom Score\n\n    23 100 not free\n  • Internet Freedom Score\n\n    32 100 partly free"
    found = scores.other_scores(footer)
    assert [(o.key, o.label, o.score, o.max, o.status) for o in found] == [
        ("global-freedom", "Global Freedom Score", 23, 100, "Not Free"),
        ("internet-freedom", "Internet Freedom Score", 32, 100, "Partly Free"),
    ]


def test_rating_in_its_own_block_after_the_description():
    description = DEFS.category("corruption").description
    blocks = [Block("para", [description]), Block("para", ["3.25 / 7"]), Block("para", ["Body."])]
    dropped: list[str] = []
    assert scores.rating_from_section("", blocks, description, dropped) == D("3.25")
    assert [b.items[0] for b in blocks] == ["Body."]
