"""The arithmetic behind the Democracy Score, the Democracy Percentage and the status.

Exact fractions, so the percentage comes from the unrounded mean (Kazakhstan 2015: 9.75 / 7 =
1.392857... gives 6.55, where the rounded 1.39 would wrongly give 6.50), and half-up rounding
to 2 decimals as the published tables do.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Iterable

TWO_PLACES = Decimal("0.01")


def to_fraction(value: Decimal | float | int | str) -> Fraction:
    """An exact fraction from a rating as written (floats go through their shortest repr)."""
    if isinstance(value, float):
        value = repr(value)
    return Fraction(Decimal(str(value)))


def _round_half_up(value: Fraction, places: int) -> Fraction:
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    whole = (abs(scaled) + Fraction(1, 2)).__floor__()
    return Fraction(sign * whole, scale)


def round_places(value: Fraction | Decimal, places: int) -> Decimal:
    """Round an exact value half-up to `places` decimals (as published tables do)."""
    rounded = _round_half_up(Fraction(value), places)
    return (Decimal(rounded.numerator) / Decimal(rounded.denominator)).quantize(
        Decimal(1).scaleb(-places))


def round_2(value: Fraction | Decimal) -> Decimal:
    """Round an exact value half-up to 2 decimals."""
    return round_places(value, 2)


def round_whole(value: Fraction | Decimal) -> int:
    """Round half-up to a whole number, as "Last year's Democracy Percentage" is shown."""
    return int(_round_half_up(Fraction(value), 0))


def mean_rating(ratings: Iterable[Decimal | float | str]) -> Fraction:
    """The unrounded mean of the category ratings."""
    values = [to_fraction(r) for r in ratings]
    if not values:
        raise ValueError("no ratings")
    return sum(values, Fraction(0)) / len(values)


def democracy_score(ratings: Iterable[Decimal | float | str]) -> Decimal:
    """Mean of the ratings, 2 decimals."""
    return round_2(mean_rating(ratings))


def democracy_percentage(ratings: Iterable[Decimal | float | str]) -> Decimal:
    """(unrounded mean - 1) / 6 * 100, 2 decimals."""
    return round_2((mean_rating(ratings) - 1) / 6 * 100)


def percentage_from_score(score: Decimal | float | str) -> Decimal:
    """Percentage from a stated score alone (only an approximation when the score is rounded)."""
    return round_2((to_fraction(score) - 1) / 6 * 100)
