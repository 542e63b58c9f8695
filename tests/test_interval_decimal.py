"""Decimal output of rlhfsym.interval: upper ends rounded up, lower ends rounded down, exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rlhfsym.errors import ParameterError
from rlhfsym.interval import Enclosure, exact_decimal, round_decimal


@pytest.mark.parametrize(
    ("x", "digits", "up", "down"),
    [
        (Fraction(1, 3), 3, "0.334", "0.333"),
        (Fraction(-1, 3), 3, "-0.333", "-0.334"),
        (Fraction(2, 3), 1, "0.7", "0.6"),
        (Fraction(1, 4), 3, "0.250", "0.250"),
        (Fraction(9999, 10000), 2, "1.0", "0.99"),
        (Fraction(-9999, 10000), 2, "-0.99", "-1.0"),
        (Fraction(123456), 3, "124000", "123000"),
        (Fraction(10**25 + 1), 2, "1.1e+25", "1.0e+25"),
        (Fraction(1, 3 * 10**10), 3, "3.34e-11", "3.33e-11"),
        (Fraction(5), 1, "5", "5"),
        (Fraction(0), 4, "0", "0"),
    ],
)
def test_round_decimal_examples(x, digits, up, down):
    assert round_decimal(x, digits, "up") == up
    assert round_decimal(x, digits, "down") == down


fractions = st.fractions(max_denominator=10**30).filter(lambda q: abs(q) < 10**40)


@given(fractions, st.integers(1, 30))
@example(Fraction(999, 1000), 2)
@example(Fraction(-1, 7 * 10**12), 5)
def test_upper_rounded_up_is_at_least_the_value_and_within_one_unit_of_the_last_digit(x, digits):
    up, down = Fraction(round_decimal(x, digits, "up")), Fraction(round_decimal(x, digits, "down"))
    assert down <= x <= up
    if x != 0:
        e = 0
        while Fraction(10) ** (e + 1) <= abs(x):
            e += 1
        while Fraction(10) ** e > abs(x):
            e -= 1
        unit = Fraction(10) ** (e - digits + 1)
        assert up - x < unit and x - down < unit
        assert up == down == x or up - down == unit  # neighbours on the grid of `digits` significant digits


@given(fractions, st.integers(1, 30))
def test_rounded_strings_carry_at_most_the_requested_significant_digits(x, digits):
    for direction in ("up", "down"):
        text = round_decimal(x, digits, direction)
        mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
        assert len(mantissa.rstrip("0")) <= digits


@given(st.integers(-(10**30), 10**30), st.integers(0, 120))
def test_exact_decimal_of_a_binary_number_reads_back_exactly(m, k):
    x = Fraction(m, 2**k)
    text = exact_decimal(x)
    assert "/" not in text and Fraction(text) == x


def test_exact_decimal_of_a_non_terminating_rational_is_a_ratio():
    assert exact_decimal(Fraction(1, 3)) == "1/3"
    assert exact_decimal(Fraction(-5, 8)) == "-0.625"


def test_enclosure_decimals_round_outward():
    e = Enclosure(Fraction(1, 3), Fraction(2, 3))
    assert (e.lower_decimal(2), e.upper_decimal(2)) == ("0.33", "0.67")
    assert e.to_strings(2) == ("0.33", "0.67")


@pytest.mark.parametrize("digits", [0, -1, 1.5, True])
def test_digits_must_be_a_positive_integer(digits):
    with pytest.raises(ParameterError, match="digits"):
        round_decimal(Fraction(1, 3), digits, "up")


def test_floats_are_refused_by_round_decimal():
    with pytest.raises(ParameterError, match="floats"):
        round_decimal(0.1, 3, "up")  # type: ignore[arg-type]
