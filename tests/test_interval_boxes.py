"""Box verification (``prove_le``): true inequalities proved, false ones refuted at certified exact points, zero
margins left undecided with a small box, budgets respected."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from rlhfsym.errors import ParameterError
from rlhfsym.interval import PROVED, REFUTED, UNDECIDED, BoxResult, IntervalError, prove_le

a, b, c, d = sp.symbols("a b c d", positive=True)
x, y = sp.symbols("x y", real=True)
R = sp.Rational
B, S, beta, n, delta = sp.symbols("B S beta n delta", positive=True)


def value_100_digits(expr: sp.Expr, point: dict) -> mpmath.mpf:
    """``expr`` at an exact point, by mpmath at 100 digits (independent of the interval code)."""
    symbols = sorted(point, key=sp.default_sort_key)
    f = sp.lambdify(symbols, expr, "mpmath")
    with mpmath.workdps(100):
        return +f(*[mpmath.mpf(point[s].numerator) / point[s].denominator for s in symbols])


TRUE_INEQUALITIES = [
    ("log(1+x) <= x", sp.log(1 + x), x, {x: (0, 10)}),
    ("exp(-ab) <= 1/(1+ab)", sp.exp(-a * b), 1 / (1 + a * b), {a: (R(1, 10), 2), b: (R(1, 10), 2)}),
    ("sqrt(ab) <= (a+b)/2, separated", sp.sqrt(a * b), (a + b) / 2, {a: (1, 2), b: (3, 5)}),
    ("AM-GM, 4 variables", (a * b * c * d) ** R(1, 4), (a + b + c + d) / 4,
     {a: (1, 2), b: (3, 4), c: (5, 6), d: (7, 9)}),
    ("log(1+abcd) <= abcd", sp.log(1 + a * b * c * d), a * b * c * d, {a: (R(1, 10), 2), b: (R(1, 10), 2),
                                                                       c: (R(1, 2), 1), d: (R(1, 2), 1)}),
    ("1 - t <= exp(-t), t = 4BS/beta", 1 - 4 * B * S / beta, sp.exp(-4 * B * S / beta),
     {B: (R(1, 10), 1), S: (R(1, 10), 1), beta: (R(1, 2), 2)}),
    ("AM-GM with margin 1/20", sp.sqrt(a * b) + sp.sqrt(c * d), (a + b + c + d) / 2 + R(1, 20),
     {a: (1, 2), b: (1, 2), c: (1, 2), d: (1, 2)}),
    ("chain: sqrt(log(2/delta)/n) bound", 2 * B * S / beta * sp.sqrt(sp.log(2 / delta) / n),
     B * S / beta * sp.sqrt(sp.log(2 / delta)) / 10, {B: (R(1, 2), 2), S: (R(1, 2), 2), beta: (R(1, 10), 1),
                                                       delta: (R(1, 100), R(1, 10)), n: (400, 10**6)}),
    ("Abs/Max without derivatives", sp.Abs(x - y), sp.Max(x, y) + R(1, 10), {x: (0, 1), y: (0, 1)}),
]


@pytest.mark.parametrize(("name", "f", "g", "box"), TRUE_INEQUALITIES, ids=[t[0] for t in TRUE_INEQUALITIES])
def test_true_inequalities_are_proved(name, f, g, box):
    result = prove_le(f, g, box, max_boxes=5000, max_seconds=None)
    assert result.status == PROVED, (name, result)
    assert result.proved and result.counterexample is None and result.undecided_box is None


def test_false_inequality_is_refuted_with_a_certified_exact_counterexample():
    f, g = a * b + sp.exp(-c), 2 + sp.log(d)
    box = {a: (1, 3), b: (1, 3), c: (1, 2), d: (1, 2)}
    result = prove_le(f, g, box)
    assert result.status == REFUTED and result.refuted
    point = result.counterexample
    assert all(isinstance(v, Fraction) and box[s][0] <= v <= box[s][1] for s, v in point.items())
    assert result.violation.lower > 0  # the enclosure of f - g at the point is entirely > 0
    exact = value_100_digits(f - g, point)
    assert exact > 0 and result.violation.contains(exact)


def test_refutation_finds_a_violation_confined_to_a_small_corner():
    # f - g > 0 only where a and b are both above 99/100 of their range.
    f, g = x * y, R(3961, 1000)  # 1.99 * 1.99 = 3.9601 < 3.961 < 4
    result = prove_le(f, g, {x: (0, 2), y: (0, 2)}, max_boxes=5000)
    assert result.status == REFUTED
    assert result.violation.lower > 0 and value_100_digits(f - g, result.counterexample) > 0


def test_refutation_finds_a_violation_confined_to_a_small_interior_region():
    # f > 99/100 only within distance 0.01 of (7/10, 3/10): found by the centre tests of the bisection.
    f = sp.exp(-100 * ((x - R(7, 10)) ** 2 + (y - R(3, 10)) ** 2))
    result = prove_le(f, R(99, 100), {x: (0, 1), y: (0, 1)}, max_boxes=5000)
    assert result.status == REFUTED
    point = result.counterexample
    assert (point[x] - R(7, 10)) ** 2 + (point[y] - R(3, 10)) ** 2 < R(1, 10**4)
    assert result.violation.lower > 0 and value_100_digits(f - R(99, 100), point) > 0


def test_true_inequality_with_zero_margin_at_a_rational_interior_point_is_proved_by_the_second_order_form():
    # exp(u) >= 1 + u with equality only at u = x - 1/3 = 0; 1/3 is never a bisection point, but h is convex and
    # its gradient vanishes exactly at the rational point 1/3, where h = 0 exactly.
    result = prove_le(x + R(2, 3), sp.exp(x - R(1, 3)), {x: (0, 1)}, max_boxes=2000)
    assert result.status == PROVED and result.counterexample is None


def test_true_inequality_with_zero_margin_at_an_irrational_interior_point_ends_undecided_with_a_small_box():
    # exp(u) >= 1 + u with equality only at u = x - sqrt(2)/2 = 0: no rational point certifies the minimum.
    c = sp.sqrt(2) / 2
    result = prove_le(x - c + 1, sp.exp(x - c), {x: (0, 1)}, max_boxes=2000)
    assert result.status == UNDECIDED and result.counterexample is None
    lo, hi = result.undecided_box[x]
    assert lo**2 <= Fraction(1, 2) <= hi**2 and hi - lo < Fraction(1, 10**15)
    assert result.boxes <= 2000 and result.undecided_count >= 1


def test_box_budget_is_respected():
    # sqrt(ab) <= (a+b)/2 is tight on the whole diagonal: no finite subdivision proves it.
    result = prove_le(sp.sqrt(a * b), (a + b) / 2, {a: (1, 2), b: (1, 2)}, max_boxes=500, max_seconds=None)
    assert result.status == UNDECIDED and result.boxes == 500
    assert "budget" in result.detail and result.undecided_count > 1


def test_a_deadline_that_has_passed_gives_undecided_naming_the_deadline():
    # No clock is read here: a deadline of a nanosecond has passed before the first box, whatever the machine.
    for f, g in ((sp.sqrt(a * b), (a + b) / 2), (a * b, 3), (a * b, 5)):  # tight, false and true claims alike
        result = prove_le(f, g, {a: (1, 2), b: (1, 2)}, max_boxes=10**9, max_seconds=1e-9)
        assert result.status == UNDECIDED and result.counterexample is None
        assert "deadline" in result.detail and "max_seconds" in result.detail


def test_verdicts_depend_on_counts_by_default():
    import inspect

    assert inspect.signature(prove_le).parameters["max_seconds"].default is None
    result = prove_le(sp.sqrt(a * b), (a + b) / 2, {a: (1, 2), b: (1, 2)}, max_boxes=300)
    assert result.status == UNDECIDED and result.boxes == 300 and "budget" in result.detail


def test_domain_trouble_is_never_proved():
    # log(x) <= x - 1 holds for x > 0 but log is undefined at the corner x = 0 of the box.
    result = prove_le(sp.log(x), x - 1, {x: (0, 2)}, max_boxes=300)
    assert result.status == UNDECIDED and "domain" in result.detail


def test_without_derivatives_the_search_is_still_sound():
    assert prove_le(a * b, 5, {a: (1, 2), b: (1, 2)}, derivatives=False).status == PROVED
    refuted = prove_le(a * b, 3, {a: (1, 2), b: (1, 2)}, derivatives=False)
    assert refuted.status == REFUTED and refuted.violation.lower > 0


def test_point_coordinates_and_names_are_accepted():
    result = prove_le(sp.log(1 + a * b), a * b, {"a": (R(1, 2), 2), "b": "3/2"})
    assert result.status == PROVED


CHAIN_SHAPES = [
    sp.exp(-4 * a * b / c),
    a * b / c * sp.sqrt(sp.log(2 / d) / 100),
    (a + b) ** 2 / (c * d),
    sp.log(1 + a / d) + sp.sqrt(b * c),
]


@given(st.integers(0, len(CHAIN_SHAPES) - 1), st.integers(1, 50), st.randoms(use_true_random=False))
def test_prove_le_refutes_and_never_proves_an_inequality_false_everywhere(index, percent, rng: random.Random):
    e = CHAIN_SHAPES[index]
    box = {}
    for s in sorted(e.free_symbols, key=sp.default_sort_key):
        lo = Fraction(rng.randint(1, 100), 100)
        box[s] = (lo, lo + Fraction(rng.randint(1, 100), 100))
    if d in box:  # keep log(2/d) > 0
        box[d] = (min(box[d][0], Fraction(1, 2)), min(box[d][1], Fraction(3, 2)))
    result = prove_le(e * (1 + R(percent, 1000)), e, box, max_boxes=200)
    assert result.status == REFUTED
    assert result.violation.lower > 0
    assert value_100_digits(e * R(percent, 1000), result.counterexample) > 0


@given(st.integers(0, len(CHAIN_SHAPES) - 1), st.integers(1, 50), st.randoms(use_true_random=False))
def test_prove_le_never_refutes_an_inequality_true_everywhere(index, percent, rng: random.Random):
    e = CHAIN_SHAPES[index]
    box = {}
    for s in sorted(e.free_symbols, key=sp.default_sort_key):
        lo = Fraction(rng.randint(1, 100), 100)
        box[s] = (lo, lo + Fraction(rng.randint(1, 100), 100))
    if d in box:
        box[d] = (min(box[d][0], Fraction(1, 2)), min(box[d][1], Fraction(3, 2)))
    result = prove_le(e, e * (1 + R(percent, 1000)), box, max_boxes=200)
    assert result.status in (PROVED, UNDECIDED)


def test_integer_symbols_get_integer_counterexamples_only():
    k = sp.Symbol("k", integer=True, positive=True)
    refuted = prove_le((k - R(11, 2)) ** 2, R(1, 5), {k: (1, 10)})
    assert refuted.status == REFUTED and refuted.counterexample[k].denominator == 1
    # True at every integer, false between 5 and 6: no (inadmissible) counterexample, and no proof over the reals.
    result = prove_le(R(1, 5), (k - R(11, 2)) ** 2, {k: (1, 10)}, max_boxes=300)
    assert result.status == UNDECIDED


def test_bad_arguments_are_refused():
    with pytest.raises(IntervalError, match="symbol y has no value"):
        prove_le(x, y, {x: (0, 1)})
    with pytest.raises(ParameterError, match="floats"):
        prove_le(x, 1, {x: (0, 1.5)})
    with pytest.raises(ParameterError, match="lo > hi"):
        prove_le(x, 1, {x: (1, 0)})
    with pytest.raises(ParameterError, match="declared positive"):
        prove_le(a, 1, {a: (0, 1)})
    with pytest.raises(ParameterError, match="max_boxes"):
        prove_le(x, 1, {x: (0, 1)}, max_boxes=0)
    with pytest.raises(ParameterError, match="max_seconds"):
        prove_le(x, 1, {x: (0, 1)}, max_seconds=-1)
    with pytest.raises(IntervalError, match="floor"):
        prove_le(sp.floor(x), 1, {x: (0, 1)})


def test_box_result_is_a_frozen_record():
    result = prove_le(x, 2, {x: (0, 1)})
    assert isinstance(result, BoxResult) and result.boxes >= 1 and result.seconds >= 0
    with pytest.raises(AttributeError):
        result.status = REFUTED  # type: ignore[misc]
