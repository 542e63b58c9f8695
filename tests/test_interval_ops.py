"""The table of interval operations (``rlhfsym.interval._ops``): one row per operation, read by the whitelist, the
arb code generator, the mpmath walker and the derivative; and the kernels added with it (sin, cos, tan, atan, sinh,
cosh, tanh), checked against 100-digit values on random boxes in both backends and both arb modes.
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from rlhfsym.errors import ParameterError, RlhfsymError
from rlhfsym.interval import (
    KERNELS,
    IntervalDomainError,
    IntervalError,
    compile_enclosure,
    enclose,
)
from rlhfsym.interval._arb import _Emitter
from rlhfsym.interval._enclosure import IntervalArgumentError, IntervalOverflowError
from rlhfsym.interval._ops import OPERATIONS, Fold, NoDerivativeError, Unary, derivative, operation_of

x, y = sp.symbols("x y", real=True)
R = sp.Rational
FUNCTIONS = [sp.sin, sp.cos, sp.tan, sp.atan, sp.sinh, sp.cosh, sp.tanh]

# One sample node per row of the table.
SAMPLES = {
    "rational": R(1, 3),
    "constant": sp.pi,
    "add": x + y,
    "mul": x * y,
    "pow_int": x**3,
    "pow_rational": x ** R(2, 3),
    "pow_real": x**y,
    "exp": sp.exp(x),
    "log": sp.log(x),
    "sin": sp.sin(x),
    "cos": sp.cos(x),
    "tan": sp.tan(x),
    "atan": sp.atan(x),
    "sinh": sp.sinh(x),
    "cosh": sp.cosh(x),
    "tanh": sp.tanh(x),
    "abs": sp.Abs(x),
    "max": sp.Max(x, y),
    "min": sp.Min(x, y),
}


def value_100_digits(expr: sp.Expr, point: dict) -> mpmath.mpf:
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    fn = sp.lambdify(symbols, expr, "mpmath")
    with mpmath.workdps(100):
        return +fn(*[mpmath.mpf(Fraction(point[s]).numerator) / Fraction(point[s]).denominator for s in symbols])


def test_every_row_declares_its_test_domain_kernels_and_derivative_once():
    names = [op.name for op in OPERATIONS]
    assert len(names) == len(set(names)) == len(SAMPLES) and set(names) == set(SAMPLES)
    for op in OPERATIONS:
        assert op.formula and op.domain and callable(op.mpmath)
        assert isinstance(op.arb, (Unary, Fold)) or callable(getattr(_Emitter, "_" + op.arb, None)), op.name
        if not op.leaf:
            assert (op.derivative is None) == (op.pieces is not None), op.name  # a derivative, or branches
            assert KERNELS[op.name].startswith(op.formula)
    assert set(KERNELS) == {op.name for op in OPERATIONS if not op.leaf}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_node_is_classified_by_its_own_row(name):
    assert operation_of(SAMPLES[name]).name == name


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - {"rational", "constant"}))
def test_each_operation_encloses_its_100_digit_value_in_both_backends(name):
    expr = SAMPLES[name]
    box = {x: (R(1, 3), R(7, 5)), y: (R(-1, 2), R(2, 3))}
    values = {s: box[s] for s in expr.free_symbols}
    encs = [
        enclose(expr, values),
        enclose(expr, values, backend="mpmath"),
        compile_enclosure(expr, sorted(expr.free_symbols, key=sp.default_sort_key), mode="ball")(values),
    ]
    rng = random.Random(name)
    for _ in range(20):
        point = {s: lo + (hi - lo) * Fraction(rng.randint(0, 1000), 1000) for s, (lo, hi) in values.items()}
        v = value_100_digits(expr, point)
        assert all(e.contains(v) for e in encs), (name, point, v, encs)


def _random_smooth(rng: random.Random, depth: int) -> sp.Expr:
    """A random expression of smooth operations, defined wherever x, y > 0 (so that sympy's diff and ours apply)."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([x, y, R(rng.randint(1, 9), rng.randint(1, 5))])
    a = _random_smooth(rng, depth - 1)
    b = _random_smooth(rng, depth - 1)
    op = rng.randrange(12)
    return [
        a + b, a * b, a / (1 + b**2), a**3, sp.sqrt(1 + a**2), (1 + a**2) ** b, sp.exp(-(a**2)), sp.log(1 + a**2),
        sp.sin(a) * sp.cos(b), sp.atan(a) + sp.tanh(b), sp.sinh(a) / sp.cosh(b), sp.tan(a / (1 + a**2) / 2),
    ][op]  # fmt: skip


def test_the_table_derivative_equals_sympys_at_100_digits_on_random_expressions():
    rng = random.Random(15)
    checked = 0
    for _ in range(60):
        e = _random_smooth(rng, 3)
        for s in (x, y):
            ours, theirs = derivative(e, s), sp.diff(e, s)
            for _ in range(3):
                point = {x: Fraction(rng.randint(1, 300), 100), y: Fraction(rng.randint(1, 300), 100)}
                a, b = value_100_digits(ours + 0 * x * y, point), value_100_digits(theirs + 0 * x * y, point)
                assert abs(a - b) <= mpmath.mpf(10) ** -80 * (1 + abs(b)), (e, s, point)
                checked += 1
    assert checked == 360


def test_a_shared_memo_never_mixes_the_derivatives_of_two_symbols():
    e = sp.exp(x * y) + x**2 * y
    memo: dict = {}
    assert derivative(e, x, memo) == sp.diff(e, x)
    assert derivative(e, y, memo) == sp.diff(e, y)


def test_abs_max_min_have_no_derivative_but_do_where_their_argument_is_constant():
    for e in (sp.Abs(x), sp.Max(x, y), sp.Min(x, 1)):
        with pytest.raises(NoDerivativeError):
            derivative(e, x)
    assert derivative(sp.Abs(y) * x, x) == sp.Abs(y)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_new_kernels_contain_100_digit_values_on_random_boxes(fn):
    rng = random.Random(fn.__name__)
    expr = fn(x)
    checked = refused = 0
    for _ in range(150):
        scale = rng.choice([Fraction(1, 1000), 1, 10, 1000])
        lo = Fraction(rng.randint(-4000, 4000), 1000) * scale
        hi = lo + rng.choice([0, Fraction(1, 10**6), Fraction(1, 100), 1, 5]) * scale
        try:
            encs = [
                enclose(expr, {x: (lo, hi)}),
                enclose(expr, {x: (lo, hi)}, backend="mpmath"),
                compile_enclosure(expr, [x], mode="ball")([(lo, hi)]),
            ]
        except (IntervalDomainError, IntervalOverflowError):
            refused += 1
            continue
        for t in [lo, hi] + [lo + (hi - lo) * Fraction(rng.randint(0, 1000), 1000) for _ in range(5)]:
            v = value_100_digits(expr, {x: t})
            assert all(e.contains(v) for e in encs), (fn, lo, hi, t, v, encs)
            checked += 1
    assert checked >= 500 and refused <= 60


def test_interval_mode_kernels_are_tight_where_a_ball_kernel_is_not():
    # Interval mode: the exact image, up to the 30-bit radii of arb balls.
    eps = Fraction(1, 10**8)
    tight = enclose(sp.sin(x), {x: (0, 3)})
    assert -eps <= tight.lower and tight.upper <= 1 + eps
    assert compile_enclosure(sp.tanh(x), [x], mode="ball")([(-2, 2)]).lower < -2  # arb: about [-52.6, 0.96]
    assert enclose(sp.cos(x), {x: (0, R(3, 2))}).upper <= 1 + eps
    assert enclose(sp.cosh(x), {x: (-1, 2)}).lower >= 1 - eps
    assert enclose(sp.tanh(x), {x: (-2, 2)}).upper < 1


@pytest.mark.parametrize("backend", ["arb", "mpmath"])
def test_tan_of_a_box_containing_a_pole_is_a_domain_error_and_of_one_beside_it_is_finite(backend):
    with pytest.raises(IntervalDomainError, match="poles"):
        enclose(sp.tan(x), {x: (R(3, 2), R(8, 5))}, backend=backend)  # pi/2 = 1.5707... inside
    with pytest.raises(IntervalDomainError, match="poles"):
        enclose(sp.tan(x), {x: (R(47, 10), R(48, 10))}, backend=backend)  # 3 pi/2 = 4.712...
    e = enclose(sp.tan(x), {x: (R(3, 2), R(157, 100))}, backend=backend)  # just below pi/2
    with mpmath.workdps(50):
        assert e.contains(mpmath.tan(mpmath.mpf(157) / 100)) and e.contains(mpmath.tan(mpmath.mpf(3) / 2))


def test_the_derivative_of_tan_shares_its_poles():
    with pytest.raises(IntervalDomainError):
        enclose(derivative(sp.tan(x), x), {x: (1, 2)})


def test_bad_arguments_are_interval_errors_that_callers_catching_parameter_errors_still_catch():
    assert issubclass(IntervalArgumentError, IntervalError) and issubclass(IntervalArgumentError, ParameterError)
    assert issubclass(IntervalError, RlhfsymError)
    with pytest.raises(IntervalArgumentError) as info:
        enclose(x, {x: 0.5})
    assert info.value.parameter == "x" and "floats" in info.value.rule
    with pytest.raises(IntervalArgumentError):
        enclose(x, {x: 1}, prec=3)


def _random_trig(rng: random.Random, depth: int) -> sp.Expr:
    """A random composition of the new kernels with arithmetic, defined everywhere (tan kept away from its poles)."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([x, y, R(rng.randint(-9, 9), rng.randint(1, 5))])
    a = _random_trig(rng, depth - 1)
    b = _random_trig(rng, depth - 1)
    return [
        sp.sin(a) + b, sp.cos(a) * b, sp.tan(sp.atan(a) / 2), sp.atan(a * b), sp.sinh(sp.sin(a)) - b,
        sp.cosh(sp.cos(a)) * sp.tanh(b), sp.tanh(a) ** 2 + b, sp.exp(sp.sin(a)) * sp.cos(b),
    ][rng.randrange(8)]  # fmt: skip


def test_random_compositions_of_the_new_kernels_contain_100_digit_values_in_every_path():
    rng = random.Random(2024)
    checked = 0
    for _ in range(80):
        e = _random_trig(rng, 3)
        symbols = sorted(e.free_symbols, key=sp.default_sort_key)
        for _ in range(2):
            box = {}
            for s in symbols:
                lo = Fraction(rng.randint(-3000, 3000), 1000)
                box[s] = (lo, lo + rng.choice([0, Fraction(1, 1000), Fraction(1, 10), Fraction(2)]))
            encs = [enclose(e, box), enclose(e, box, backend="mpmath")]
            if symbols:
                encs.append(compile_enclosure(e, symbols, mode="ball")(box))
            for _ in range(6):
                point = {s: lo + (hi - lo) * Fraction(rng.randint(0, 1000), 1000) for s, (lo, hi) in box.items()}
                v = value_100_digits(e + 0 * x, point)
                assert all(enc.contains(v) for enc in encs), (e, box, point, v, encs)
                checked += 1
    assert checked == 960
