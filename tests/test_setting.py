"""The setting: one sympy symbol per parameter with the right assumptions, and exact validation of values."""

from __future__ import annotations

import doctest
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import rlhfsym.setting as setting
from rlhfsym.errors import ParameterError, RlhfsymError
from rlhfsym.setting import PARAMETERS, SYMBOLS, Value, symbol, validate_parameters, validate_value

INTEGER_PARAMETERS = ("n", "K", "d", "T")
NONNEGATIVE_PARAMETERS = ("S", "residual")
EXPECTED_PARAMETERS = ("B", "S", "beta", "n", "K", "d", "gamma", "gamma_D", "residual", "T", "eta", "delta")


def test_setting_has_every_parameter():
    assert set(PARAMETERS) == set(EXPECTED_PARAMETERS)
    assert set(SYMBOLS) == set(PARAMETERS)


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_parameter_symbol_has_the_right_assumptions(name):
    s = symbol(name)
    assert s is SYMBOLS[name] is PARAMETERS[name].symbol
    assert isinstance(s, sp.Symbol) and s.name == name
    assert s.is_real is True
    if name in INTEGER_PARAMETERS:
        assert s.is_integer is True
        assert s.is_positive is True
    elif name in NONNEGATIVE_PARAMETERS:
        assert s.is_integer is not True
        assert s.is_nonnegative is True
        assert s.is_positive is None  # S = ||theta*|| may be 0
    else:
        assert s.is_integer is not True
        assert s.is_positive is True


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_parameter_has_meaning_and_rule(name):
    parameter = PARAMETERS[name]
    assert parameter.name == name
    assert parameter.meaning.strip()
    assert parameter.rule.startswith("must")


def test_symbol_of_unknown_parameter_is_refused():
    with pytest.raises(ParameterError) as err:
        symbol("lambda")
    assert err.value.parameter == "lambda"
    assert "unknown parameter" in str(err.value)


BAD_VALUES = [
    ("beta", 0, "must be > 0"),
    ("beta", "-1", "must be > 0"),
    ("beta", [0, 1], "must be > 0"),
    ("delta", "1", "must lie in (0, 1)"),
    ("delta", "0", "must lie in (0, 1)"),
    ("delta", "[1/2, 1]", "must lie in (0, 1)"),
    ("n", "2.5", "must be an integer >= 1"),
    ("n", 0, "must be an integer >= 1"),
    ("K", 1, "must be an integer >= 2"),
    ("T", "1/2", "must be an integer >= 1"),
    ("S", "-1/10", "must be >= 0"),
    ("gamma", "0", "must be > 0"),
    ("gamma_D", "-2", "must be > 0"),
    ("eta", "0", "must be > 0"),
    ("beta", "nan", "finite"),
    ("beta", "NaN", "finite"),
    ("beta", "inf", "finite"),
    ("beta", "-inf", "finite"),
    ("beta", 0.1, "floats are already rounded"),
    ("delta", 0.5, "floats are already rounded"),
    ("beta", True, "not a boolean"),
    ("beta", None, "must be a number"),
    ("beta", "[2,1]", "lo > hi"),
    ("beta", ["1", "1/2"], "lo > hi"),
    ("beta", "[1,2,3]", "interval"),
    ("beta", [1, 2, 3], "exactly two ends"),
    ("beta", "[1, 2", "interval"),
    ("beta", "1" * 101, "more than 100 characters"),
    ("beta", '__import__("os")', "not a number"),
    ("beta", "1/0", "not a number"),
    ("beta", "1+1", "not a number"),
    ("beta", "", "not a number"),
    ("lambda", "1", "unknown parameter"),
]


@pytest.mark.parametrize(("name", "raw", "rule"), BAD_VALUES, ids=[f"{n}={r!r}" for n, r, _ in BAD_VALUES])
def test_bad_value_raises_parameter_error_naming_parameter_and_rule(name, raw, rule):
    with pytest.raises(ParameterError) as err:
        validate_value(name, raw)
    assert err.value.parameter == name
    assert rule in err.value.rule
    message = str(err.value)
    assert message.startswith(f"parameter {name}")
    assert rule in message
    assert isinstance(err.value, RlhfsymError) and isinstance(err.value, ValueError)


def test_validate_parameters_names_the_bad_parameter():
    with pytest.raises(ParameterError) as err:
        validate_parameters(beta="0.1", n=1000, K=1)
    assert err.value.parameter == "K"


def test_coverage_larger_than_feature_bound_squared_is_refused():
    with pytest.raises(ParameterError) as err:
        validate_parameters(B=2, gamma=5)
    assert err.value.parameter == "gamma"
    assert "B^2" in err.value.rule
    assert validate_parameters(B=2, gamma=4)["gamma"] == Value(sp.Integer(4), sp.Integer(4))


def test_error_message_shortens_long_values():
    with pytest.raises(ParameterError) as err:
        validate_value("beta", "9" * 101)
    assert len(str(err.value)) < 200


def test_validation_of_a_short_string_finishes_promptly():
    # '1e1000000000' is 12 characters; parsing it must not build a number with a billion digits.
    code = (
        "from rlhfsym.setting import validate_value\n"
        "try:\n    validate_value('beta', '1e1000000000')\n"
        "except ValueError:\n    pass\n"
    )
    try:
        subprocess.run([sys.executable, "-c", code], timeout=6, check=True, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail("validate_value('beta', '1e1000000000') did not finish within 6 s")


@pytest.mark.parametrize(
    ("name", "raw", "lo", "hi"),
    [
        ("beta", "1/3", Fraction(1, 3), Fraction(1, 3)),
        ("beta", "0.1", Fraction(1, 10), Fraction(1, 10)),
        ("beta", " 2e-3 ", Fraction(1, 500), Fraction(1, 500)),
        ("beta", "[1, 2]", Fraction(1), Fraction(2)),
        ("beta", [Fraction(1, 3), "0.5"], Fraction(1, 3), Fraction(1, 2)),
        ("beta", (1, 1), Fraction(1), Fraction(1)),
        ("beta", sp.Rational(2, 7), Fraction(2, 7), Fraction(2, 7)),
        ("beta", Fraction(5, 3), Fraction(5, 3), Fraction(5, 3)),
        ("S", 0, Fraction(0), Fraction(0)),
        ("S", "[0, 3/2]", Fraction(0), Fraction(3, 2)),
        ("n", 1000, Fraction(1000), Fraction(1000)),
        ("n", "4/2", Fraction(2), Fraction(2)),
        ("K", 2, Fraction(2), Fraction(2)),
        ("delta", "0.05", Fraction(1, 20), Fraction(1, 20)),
        ("delta", "[0.01, 0.99]", Fraction(1, 100), Fraction(99, 100)),
    ],
)
def test_good_value_is_parsed_exactly(name, raw, lo, hi):
    value = validate_value(name, raw)
    assert isinstance(value.lo, sp.Rational) and isinstance(value.hi, sp.Rational)
    assert value.lo == sp.Rational(lo.numerator, lo.denominator)
    assert value.hi == sp.Rational(hi.numerator, hi.denominator)
    assert value.is_point == (lo == hi)


def test_decimal_string_is_exactly_one_tenth():
    value = validate_value("beta", "0.1")
    assert value.lo == sp.Rational(1, 10)
    assert value.lo != sp.Float(0.1, 30)
    assert repr(value) == "Value(lo=1/10, hi=1/10)"


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=1, max_value=10**12))
def test_fraction_string_round_trips_exactly(p, q):
    value = validate_value("beta", f"{p}/{q}")
    assert value.is_point
    assert value.lo == sp.Rational(p, q)
    assert Fraction(int(value.lo.p), int(value.lo.q)) == Fraction(p, q)


@given(st.fractions(min_value=Fraction(1, 10**9), max_value=Fraction(1) - Fraction(1, 10**9)))
def test_confidence_in_open_unit_interval_round_trips_exactly(f):
    value = validate_value("delta", f"{f.numerator}/{f.denominator}")
    assert value == Value(sp.Rational(f.numerator, f.denominator), sp.Rational(f.numerator, f.denominator))


def test_setting_doctests_pass():
    result = doctest.testmod(setting, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2
    assert result.failed == 0
