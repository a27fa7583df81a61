"""Exact arithmetic for the series' scores (publisher/series.py does the formulas).

Exact fractions, so a value computed from a mean comes from the unrounded mean (Nations in
Transit's Kazakhstan 2015: 9.75 / 7 = 1.392857... gives a percentage of 6.55, where the rounded
1.39 would wrongly give 6.50), and half-up rounding as the published tables do.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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
