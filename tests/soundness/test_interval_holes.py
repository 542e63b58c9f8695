"""Regression tests for the classes of soundness holes found in ``prove_le`` and ``enclose`` (issue 10). Each test is
named after the claim it refutes; none reads the clock (budgets are box counts, deadlines are ones that have
already passed).
"""

from __future__ import annotations

import inspect
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from rlhfsym.errors import ParameterError, RlhfsymError
from rlhfsym.interval import (
    PROVED,
    REFUTED,
    UNDECIDED,
    IntervalError,
    enclose,
    prove_le,
)
from rlhfsym.interval._enclosure import (
    MAX_INPUT_BITS,
    MAX_MAGNITUDE_BITS,
    IntervalArgumentError,
    IntervalOverflowError,
)

x = sp.Symbol("x", real=True)
R = sp.Rational


def value_100_digits(expr: sp.Expr, point: dict) -> mpmath.mpf:
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    fn = sp.lambdify(symbols, expr, "mpmath")
    with mpmath.workdps(100):
        return +fn(*[mpmath.mpf(Fraction(point[s]).numerator) / Fraction(point[s]).denominator for s in symbols])


# ---- 1. widths: a real box is never treated as a point -------------------------------------------------------


@pytest.mark.parametrize("derivatives", [True, False])
def test_a_box_whose_float_width_underflows_is_not_a_point_so_a_false_claim_at_1200_bits_is_not_proved(derivatives):
    # (x - 1/3)^2 >= 2^-2300 fails only within 2^-1150 of 1/3: found after ~1150 bisections, where a float width
    # relative to the starting box is 2^-1150 == 0.0, and the old search evaluated such boxes at one end only.
    f, g = R(1, 2**2300), (x - R(1, 3)) ** 2
    assert value_100_digits(f - g, {x: R(1, 3)}) > 0  # the claim is false at 1/3
    result = prove_le(f, g, {x: (0, 1)}, prec=1200, derivatives=derivatives, max_boxes=3000)
    assert result.status != PROVED
    if result.status == REFUTED:
        assert value_100_digits(f - g, result.counterexample) > 0


def test_boxes_left_open_at_high_precision_have_exact_nonzero_widths():
    c = sp.sqrt(2) / 2
    result = prove_le(x - c + 1, sp.exp(x - c), {x: (0, 1)}, prec=1200, max_boxes=300)
    assert result.status == UNDECIDED
    lo, hi = result.undecided_box[x]
    assert lo < hi and lo**2 <= Fraction(1, 2) <= hi**2  # a real interval around sqrt(2)/2, however narrow


# ---- 2. counterexamples satisfy every assumption -------------------------------------------------------------

ASSUMED = [
    ("odd k", sp.Symbol("k", integer=True, odd=True), 1, lambda k: (k - 2) ** 2, (1, 3)),  # false at k = 2 only
    ("even k", sp.Symbol("k", integer=True, even=True), 1, lambda k: (k - 1) ** 2, (0, 2)),  # false at k = 1
    ("prime p", sp.Symbol("p", prime=True), 1, lambda p: (p - 4) ** 2, (2, 5)),  # false at p = 4
    ("positive integer k", sp.Symbol("k", integer=True, positive=True), R(1, 5), lambda k: (k - R(7, 2)) ** 2,
     (1, 6)),  # false between integers only
]  # fmt: skip


@pytest.mark.parametrize(("name", "symbol", "f", "g", "box"), ASSUMED, ids=[a[0] for a in ASSUMED])
def test_a_claim_true_at_every_admissible_point_is_not_refuted_at_an_inadmissible_one(name, symbol, f, g, box):
    result = prove_le(f, g(symbol), {symbol: box}, max_boxes=500)
    assert result.status != REFUTED, (name, result.counterexample)


def test_a_counterexample_satisfies_every_assumption_of_its_symbols():
    k = sp.Symbol("k", integer=True, odd=True)
    result = prove_le((k - 2) ** 2, R(1, 2), {k: (1, 3)})  # false at the odd points 1 and 3
    assert result.status == REFUTED and result.counterexample[k] in (1, 3)
    p = sp.Symbol("p", prime=True)
    result = prove_le(2, (p - 12) ** 2, {p: (2, 20)})  # false at the primes 11 and 13
    assert result.status == REFUTED and sp.isprime(int(result.counterexample[p]))
    z = sp.Symbol("z", real=True, nonzero=True)
    result = prove_le(R(1, 4), z**2, {z: (-1, 1)})  # the centre 0 is not admissible; -1/4 or 1/4 is
    assert result.status == REFUTED and result.counterexample[z] != 0


def test_a_symbol_declared_irrational_has_no_rational_counterexample():
    z = sp.Symbol("z", irrational=True)
    result = prove_le(z, R(1, 2), {z: (0, 1)}, max_boxes=200)  # false for z > 1/2, but only rationals can be shown
    assert result.status == UNDECIDED


def test_a_point_value_contradicting_an_assumption_is_refused_at_the_door():
    k = sp.Symbol("k", integer=True, odd=True)
    with pytest.raises(IntervalArgumentError, match="assumptions") as info:
        prove_le(k, 3, {k: 2})
    assert info.value.parameter == "k" and isinstance(info.value, ParameterError)


# ---- 3. resources: huge magnitudes, huge inputs, deep or costly evaluations ----------------------------------


@pytest.mark.parametrize("backend", ["arb", "mpmath"])
def test_exp_of_ten_to_the_ten_is_refused_as_an_overflow_not_a_memory_error(backend):
    with pytest.raises(IntervalOverflowError, match="overflow") as info:
        enclose(sp.exp(10**10), backend=backend)
    assert isinstance(info.value, IntervalError) and isinstance(info.value, RlhfsymError)


def test_a_tiny_value_is_rounded_outward_not_expanded():
    e = enclose(sp.exp(-(10**10)))
    assert e.lower == 0 and 0 < e.upper <= Fraction(1, 2**MAX_MAGNITUDE_BITS)


def test_prove_le_on_exp_exp_finishes_with_a_certified_counterexample_below_the_magnitude_limit():
    result = prove_le(sp.exp(sp.exp(x)), 0, {x: (0, 30)}, max_boxes=200)
    assert result.status == REFUTED and result.violation.lower > 0
    assert result.violation.upper < 2**MAX_MAGNITUDE_BITS


def test_prove_le_where_every_value_overflows_is_undecided_not_a_traceback():
    result = prove_le(sp.exp(sp.exp(x)), 0, {x: (20, 30)}, max_boxes=50)
    assert result.status == UNDECIDED


def test_box_ends_beyond_the_input_size_limit_are_refused_naming_the_symbol():
    with pytest.raises(IntervalArgumentError) as info:
        enclose(x, {x: Fraction(1, 2 ** (MAX_INPUT_BITS + 1))})
    assert info.value.parameter == "x" and isinstance(info.value, ParameterError)
    with pytest.raises(IntervalArgumentError):
        prove_le(x, 1, {x: (0, 2 ** (MAX_INPUT_BITS + 1))})


def test_an_exact_power_sympy_would_expand_to_a_trillion_bits_is_refused():
    with pytest.raises(IntervalArgumentError, match="exact power"):
        enclose(sp.Pow(2, 10**12, evaluate=False))


def test_high_precision_internal_enclosures_keep_working():
    e = enclose(sp.exp(sp.Rational(1, 3)), prec=20_000)  # endpoints with 20,000-bit numerators are internal
    assert e.width < Fraction(1, 10**6000) and e.contains(e.midpoint)


def test_resource_errors_inside_an_evaluation_become_interval_errors(monkeypatch):
    import rlhfsym.interval._evaluate as evaluate

    def deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(evaluate, "reference_enclosure", deep)
    with pytest.raises(IntervalError, match="resources"):
        enclose(x, {x: 1}, backend="mpmath")


def test_resource_errors_inside_prove_le_leave_boxes_undecided(monkeypatch):
    import rlhfsym.interval._boxes as boxes

    def exhausted(self, *args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(boxes._Search, "step", exhausted)
    result = prove_le(x, 2, {x: (0, 1)}, max_boxes=10)
    assert result.status == UNDECIDED and "resources" in result.detail


# ---- 4. deadlines: verdicts depend on counts; max_seconds is a deadline ---------------------------------------


def test_the_default_is_no_deadline_so_verdicts_depend_on_counts_only():
    assert inspect.signature(prove_le).parameters["max_seconds"].default is None


@pytest.mark.parametrize(
    ("f", "g", "box"),
    [
        (x**2, 2, {x: (0, 1)}),  # proved on its first box
        (x**2, R(1, 2), {x: (0, 1)}),  # refuted on its first box
        (sp.exp(sp.exp(x)), 0, {x: (0, 30)}),  # certification of a huge counterexample
    ],
)
def test_a_passed_deadline_gives_undecided_even_where_the_answer_is_one_box_away(f, g, box):
    result = prove_le(f, g, box, max_seconds=1e-9)
    assert result.status == UNDECIDED and result.counterexample is None
    assert "deadline" in result.detail and "max_seconds" in result.detail


# ---- 4. the ordered span: a union of two nonnegative end images is cut at 0, never below a true value ---------------


@pytest.mark.parametrize(
    ("expr", "lo", "hi"),
    [(sp.exp(x), -800, 3), (sp.exp(-(x**2)), -40, 40), (x * sp.exp(x), 0, 50)],
)
def test_an_image_cut_at_zero_still_contains_every_sampled_value(expr, lo, hi):
    enc = enclose(expr, {x: (lo, hi)})
    assert enc.lower >= 0
    f = sp.lambdify(x, expr, "mpmath")
    with mpmath.workdps(60):
        low = mpmath.mpf(enc.lower.numerator) / enc.lower.denominator
        high = mpmath.mpf(enc.upper.numerator) / enc.upper.denominator
        for t in (Fraction(lo), Fraction(hi), Fraction(lo + hi, 2), lo + Fraction(hi - lo, 7)):
            value = f(mpmath.mpf(t.numerator) / t.denominator)
            slack = abs(value) * mpmath.mpf(10) ** -50  # the rounding of a 60-digit value
            assert low <= value + slack and value - slack <= high, (t, value, enc)


def test_a_face_without_an_enclosure_is_bisected_from_the_box_it_came_from_not_left_open():
    # h = -exp(exp(x)) decreases, so its minimum face is x = 30, where exp(exp(30)) is beyond the magnitude limit.
    result = prove_le(sp.exp(sp.exp(x)), 0, {x: (0, 30)}, max_boxes=200)
    point = result.counterexample[x]
    assert result.status == REFUTED and 0 <= point < 30
    assert sp.exp(sp.exp(sp.Rational(point))) > 0  # the counterexample is a true one
