from decimal import Decimal
from fractions import Fraction

from publisher import scores

KAZAKHSTAN_2015 = ["1.25", "1.25", "1.50", "1.25", "1.50", "1.50", "1.50"]


from conftest import nit_definitions
from publisher.series import derive

NIT = nit_definitions().primary


def nit_values(ratings):
    keys = [c.key for c in NIT.categories]
    derived = derive(NIT, dict(zip(keys, (Decimal(str(r)) for r in ratings))))
    return (scores.round_2(derived.values["democracy-score"]),
            scores.round_2(derived.values["democracy-percentage"]))


def test_score_is_mean_rounded_to_two_decimals():
    assert nit_values(KAZAKHSTAN_2015)[0] == Decimal("1.39")


def test_percentage_comes_from_the_unrounded_mean():
    # 9.75 / 7 = 1.392857...; (1.392857 - 1) / 6 * 100 = 6.547... -> 6.55.
    assert nit_values(KAZAKHSTAN_2015)[1] == Decimal("6.55")
    # From the rounded score one would wrongly get 6.50.
    assert scores.round_2((Fraction(Decimal("1.39")) - 1) / 6 * 100) == Decimal("6.50")


def test_other_published_examples():
    # Russia 2019: 10 / 7 -> 7.14; Kosovo 2019: 21.75 / 7 -> 35.12.
    assert nit_values(["1.50", "1.25", "1.75", "1.25", "1.50", "1.50", "1.25"])[1] == Decimal("7.14")
    assert nit_values(["3.25", "3.50", "4.00", "3.25", "3.75", "2.75", "1.25"])[1] == Decimal("35.12")


def test_rounding_is_half_up_not_bankers():
    assert scores.round_2(Fraction(1, 200)) == Decimal("0.01")
    assert scores.round_2(Fraction(3, 200)) == Decimal("0.02")
    assert scores.round_whole(Decimal("6.5")) == 7
    assert scores.round_whole(Decimal("54.17")) == 54


def test_floats_are_read_as_written():
    assert scores.to_fraction(1.1) + scores.to_fraction(1.2) == Fraction(23, 10)
