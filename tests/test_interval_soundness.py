"""Soundness of rlhfsym.interval: every enclosure contains the 100-digit value at sampled points of its box.

Two families of expressions: random trees over the whole whitelist (a seeded generator that tracks signs, so every
expression is defined on its box), and the shapes of the lemma chain (products of powers, square roots of ratios,
``exp(-4*B*S/beta)``, ``log(2/delta)``, sums). For each expression and box, the compiled arb path (both modes) and
the mpmath reference path are run; the true value is computed independently with mpmath at 100 digits from the
exact rational point (``lambdify(..., "mpmath")``), at every corner of the box and at random interior points. The
fast and reference enclosures must also overlap. Counts: about 12,000 point checks on 700 boxes in the default run.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from rlhfsym.interval import compile_enclosure, enclose

X, Y, Z = sp.symbols("x y z", positive=True)
SYMBOLS = (X, Y, Z)
R = sp.Rational


# ---- independent 100-digit values ------------------------------------------------------------------------------


def exact_values(expr: sp.Expr, symbols, points) -> list[mpmath.mpf]:
    """``expr`` at each exact rational point, computed by mpmath at 100 digits (no interval code involved)."""
    f = sp.lambdify(symbols, expr, "mpmath")
    out = []
    with mpmath.workdps(100):
        for point in points:
            args = [mpmath.mpf(p.numerator) / p.denominator for p in point]
            out.append(+f(*args))
    return out


def sample_points(ranges, rng: random.Random, interior: int) -> list[tuple[Fraction, ...]]:
    """Every corner of the box and ``interior`` random exact points inside it."""
    corners = list(itertools.product(*[sorted({lo, hi}) for lo, hi in ranges]))
    inside = [
        tuple(lo + (hi - lo) * Fraction(rng.randint(0, 10**6), 10**6) for lo, hi in ranges) for _ in range(interior)
    ]
    return corners + inside


# ---- random whitelisted expressions ----------------------------------------------------------------------------


def random_positive(rng: random.Random, depth: int) -> sp.Expr:
    """A random expression that is > 0 (and finite) wherever its symbols are > 0."""
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.75:
            return rng.choice(SYMBOLS)
        return R(rng.randint(1, 40), rng.randint(1, 13))
    a = random_positive(rng, depth - 1)
    op = rng.randrange(13)
    if op == 0:
        return a + random_positive(rng, depth - 1)
    if op == 1:
        return a * random_positive(rng, depth - 1)
    if op == 2:
        return a / random_positive(rng, depth - 1)
    if op == 3:
        return a ** rng.choice([-3, -2, -1, 2, 3, 4])
    if op == 4:
        return sp.sqrt(a)
    if op == 5:
        return a ** R(rng.choice([1, 2, 3, 5, -1, -2]), rng.choice([3, 4, 5]))
    if op == 6:
        return sp.exp(-a)
    if op == 7:
        return sp.log(1 + a)
    if op == 8:
        return sp.Max(a, random_positive(rng, depth - 1))
    if op == 9:
        return sp.Min(a, random_positive(rng, depth - 1))
    if op == 10:
        return sp.Abs(random_real(rng, depth - 1)) + R(1, 7)
    if op == 11:
        return sp.exp(sp.Min(a, 3))
    return a ** random_real_small(rng, depth - 1)


def random_real_small(rng: random.Random, depth: int) -> sp.Expr:
    """A real expression with values in [-1, 1] (an exponent for ``x**y``)."""
    return 2 * sp.exp(-random_positive(rng, depth)) - 1


def random_real(rng: random.Random, depth: int) -> sp.Expr:
    """A random real expression (any sign), finite wherever the symbols are > 0."""
    a = random_positive(rng, depth)
    op = rng.randrange(5)
    if op == 0:
        return a - random_positive(rng, depth)
    if op == 1:
        return (a - random_positive(rng, depth)) ** rng.choice([2, 3])
    if op == 2:
        return random_real_small(rng, depth) * a
    if op == 3:
        return sp.log(a)
    return R(rng.randint(-9, 9), 4) - a


def random_ranges(rng: random.Random, symbols) -> list[tuple[Fraction, Fraction]]:
    """A random box in (0, 3]: points, narrow and wide intervals."""
    ranges = []
    for _ in symbols:
        lo = Fraction(rng.randint(1, 2000), 1000)
        width = rng.choice([Fraction(0), Fraction(1, 10**6), Fraction(1, 1000), Fraction(1, 10), Fraction(1)])
        ranges.append((lo, lo + width * Fraction(rng.randint(1, 100), 100)))
    return ranges


def check_box(expr: sp.Expr, symbols, ranges, rng: random.Random, interior: int) -> int:
    """Assert soundness of all three evaluators on one box; return the number of points checked."""
    values = dict(zip(symbols, ranges, strict=True))
    ball = compile_enclosure(expr, symbols, mode="ball")(list(ranges))
    tight = enclose(expr, values, mode="interval")
    reference = enclose(expr, values, backend="mpmath")
    assert ball.overlaps(reference), (expr, ranges, ball, reference)
    assert tight.overlaps(reference), (expr, ranges, tight, reference)
    points = sample_points(ranges, rng, interior)
    for point, value in zip(points, exact_values(expr, symbols, points), strict=True):
        for name, enc in (("arb ball", ball), ("arb interval", tight), ("mpmath", reference)):
            assert enc.contains(value), f"{name} enclosure {enc} misses {value} of {expr} at {point}"
    return len(points)


def test_enclosure_contains_100_digit_value_of_random_whitelisted_expressions():
    rng = random.Random(20240607)
    checked = boxes = 0
    for _ in range(160):
        expr = random_real(rng, 3) if rng.random() < 0.4 else random_positive(rng, 3)
        symbols = tuple(sorted(expr.free_symbols, key=sp.default_sort_key))
        for _ in range(3):
            checked += check_box(expr, symbols, random_ranges(rng, symbols), rng, interior=16)
            boxes += 1
    assert boxes == 480
    assert checked >= 8000


# ---- the shapes of the lemma chain ------------------------------------------------------------------------------

B, S, beta, n, delta, gamma, eta = sp.symbols("B S beta n delta gamma eta", positive=True)
CHAIN = [
    2 * B * S / beta * sp.sqrt(sp.log(2 / delta) / (2 * n)),
    sp.exp(-4 * B * S / beta),
    B**2 * S**3 / (beta**2 * gamma) * n ** R(-1, 2),
    sp.sqrt(B**2 / (gamma * n)) * sp.log(2 / delta) + eta * B**2 * S / (1 - eta * gamma),
    (1 - eta * gamma) ** 7 * S + 4 * B * S * sp.exp(4 * B * S / beta) / beta,
    sp.log(1 + B * S / (beta * delta)) / n + sp.sqrt(sp.log(2 / delta)) / gamma,
    sp.Max(B * S / beta, sp.sqrt(sp.log(2 / delta) / n)) * (1 + eta) ** 2,
]
CHAIN_RANGES = {
    B: (Fraction(1, 2), Fraction(4)),
    S: (Fraction(1, 10), Fraction(3)),
    beta: (Fraction(1, 20), Fraction(2)),
    n: (Fraction(10), Fraction(100000)),
    delta: (Fraction(1, 1000), Fraction(1, 2)),
    gamma: (Fraction(1, 100), Fraction(1)),
    eta: (Fraction(1, 1000), Fraction(1, 2)),
}


@st.composite
def chain_boxes(draw):
    index = draw(st.integers(0, len(CHAIN) - 1))
    expr = CHAIN[index]
    symbols = tuple(sorted(expr.free_symbols, key=sp.default_sort_key))
    ranges = []
    for s in symbols:
        lo, hi = CHAIN_RANGES[s]
        a = lo + (hi - lo) * Fraction(draw(st.integers(0, 1000)), 1000)
        width = (hi - lo) * Fraction(draw(st.sampled_from([0, 1, 10, 1000])), 10**5)
        ranges.append((a, min(a + width, hi)))
    return expr, symbols, ranges, draw(st.randoms(use_true_random=False))


@given(chain_boxes())
def test_enclosure_contains_100_digit_value_of_chain_shaped_bounds(case):
    expr, symbols, ranges, rng = case
    assert check_box(expr, symbols, ranges, rng, interior=8) >= 9


def test_compiled_chain_bound_contains_100_digit_value_on_many_narrow_boxes():
    """Many boxes through one compiled evaluator (the use of the fast path): ~3,000 boxes and points."""
    rng = random.Random(7)
    checked = 0
    for expr in CHAIN:
        symbols = tuple(sorted(expr.free_symbols, key=sp.default_sort_key))
        compiled = compile_enclosure(expr, symbols)
        boxes = []
        for _ in range(60):
            ranges = []
            for s in symbols:
                lo, hi = CHAIN_RANGES[s]
                a = lo + (hi - lo) * Fraction(rng.randint(0, 10**6), 10**6)
                ranges.append((a, a + a * Fraction(rng.randint(0, 1000), 10**6)))
            boxes.append(ranges)
        for ranges in boxes:
            enc = compiled(ranges)
            points = sample_points(ranges, rng, interior=2)[-4:]
            for value in exact_values(expr, symbols, points):
                assert enc.contains(value)
                checked += 1
    assert checked >= 1600


@pytest.mark.slow
def test_reference_path_contains_100_digit_value_on_deep_random_expressions():
    rng = random.Random(99)
    for _ in range(300):
        expr = random_positive(rng, 5)
        symbols = tuple(sorted(expr.free_symbols, key=sp.default_sort_key))
        for _ in range(4):
            check_box(expr, symbols, random_ranges(rng, symbols), rng, interior=30)
