"""Exact-number input: the one parser refuses what would not be the number the user wrote, or would not fit.

Each refused input comes with the reason it is dangerous; each accepted one with the exact value it must give.
"""

from __future__ import annotations

import decimal
from fractions import Fraction

import pytest

from rlhfsym.errors import ParameterError
from rlhfsym.exact import MAX_EXPONENT, exact_rational


@pytest.mark.parametrize(
    "raw",
    [
        "١",  # ARABIC-INDIC DIGIT ONE: Fraction reads it as 1, a user meant no number
        "１/２",  # fullwidth digits
        "٠.٥",
        "1e" + "٣",
        decimal.Decimal("1e1000000000"),  # a billion digits if made exact
        decimal.Decimal("1e-1000000000"),
        decimal.Decimal(f"1e{MAX_EXPONENT + 1}"),
    ],
    ids=repr,
)
def test_non_ascii_digits_and_huge_decimal_exponents_are_refused(raw: object) -> None:
    with pytest.raises(ParameterError) as err:
        exact_rational("x", raw)
    assert err.value.parameter == "x"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", Fraction(12)),
        ("1/3", Fraction(1, 3)),
        (decimal.Decimal("1.5e3"), Fraction(1500)),
        (decimal.Decimal(f"1e{MAX_EXPONENT}"), Fraction(10) ** MAX_EXPONENT),
        (decimal.Decimal("0E+999999"), Fraction(0)),
    ],
    ids=repr,
)
def test_ascii_numbers_and_bounded_decimals_are_read_exactly(raw: object, value: Fraction) -> None:
    assert exact_rational("x", raw) == value
