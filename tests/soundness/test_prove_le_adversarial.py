"""Adversarial claims for ``prove_le``: false inequalities aimed at each premise of its soundness argument, and true
ones of the same shapes.

Each FALSE claim comes with an explicit counterexample point, at which the test itself confirms (mpmath at 100
digits, independent of the interval code) that ``f - g > 0``; ``prove_le`` must never answer ``proved``, and a
``refuted`` answer must come with a point of the box that violates the claim at 100 digits too. Each TRUE claim must
never be refuted. Budgets are small box counts, never seconds.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from rlhfsym.interval import PROVED, REFUTED, prove_le

x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", positive=True)
k = sp.Symbol("k", integer=True)
k_odd = sp.Symbol("k", integer=True, odd=True)
k_even = sp.Symbol("k", integer=True, even=True)
k_pos = sp.Symbol("k", integer=True, positive=True)
p = sp.Symbol("p", prime=True)
R = sp.Rational
pi = sp.pi


def value_100_digits(expr: sp.Expr, point: dict) -> mpmath.mpf:
    """``expr`` at an exact point by mpmath at 100 digits (no interval code involved)."""
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    fn = sp.lambdify(symbols, expr, "mpmath")
    with mpmath.workdps(100):
        return +fn(*[mpmath.mpf(Fraction(point[s]).numerator) / Fraction(point[s]).denominator for s in symbols])


# (name, f, g, box, counterexample, options): f <= g is FALSE on the box, violated at the counterexample.
FALSE_CLAIMS = [
    # domain edges: sqrt, roots and log at the end of their domains (no derivative there)
    ("sqrt(x) <= x on [0, 1]", sp.sqrt(x), x, {x: (0, 1)}, {x: R(1, 4)}, {}),
    ("x^(1/3) <= x on [0, 1]", x ** R(1, 3), x, {x: (0, 1)}, {x: R(1, 8)}, {}),
    ("x log x >= -1/4 on [1/100, 1]", -R(1, 4), x * sp.log(x), {x: (R(1, 100), 1)}, {x: R(37, 100)}, {}),
    ("log(1+x) <= x - x^2/2 + x^3/3 - x^4/4 (tight at 0)", sp.log(1 + x), x - x**2 / 2 + x**3 / 3 - x**4 / 4,
     {x: (0, 1)}, {x: 1}, {}),
    ("log(x) <= x - 2 on [1/2, 2]", sp.log(x), x - 2, {x: (R(1, 2), 2)}, {x: 1}, {}),
    # poles
    ("tan(x) <= 10 on [0, 3/2]", sp.tan(x), 10, {x: (0, R(3, 2))}, {x: R(3, 2)}, {}),
    ("tan(x) <= 100 on [1, 157/100]", sp.tan(x), 100, {x: (1, R(157, 100))}, {x: R(157, 100)}, {}),
    ("1/x <= 100 on [1/1000, 1]", 1 / x, 100, {x: (R(1, 1000), 1)}, {x: R(1, 1000)}, {}),
    ("x <= tan(x) across the pole, [0, 2]", x, sp.tan(x), {x: (0, 2)}, {x: 2}, {}),
    ("tan(x) >= -10 right of the pole, [158/100, 3]", -10, sp.tan(x), {x: (R(158, 100), 3)}, {x: R(158, 100)}, {}),
    # tight points: the claim fails by a hair next to a touching point
    ("exp(x) >= 1 + x + x^2/2 on [-1, 1]", 1 + x + x**2 / 2, sp.exp(x), {x: (-1, 1)}, {x: -1}, {}),
    ("cos(x) <= 1 - x^2/2 + x^4/25", sp.cos(x), 1 - x**2 / 2 + x**4 / 25, {x: (-1, 1)}, {x: R(1, 2)}, {}),
    ("sin(x) >= x - x^3/6 + x^5/100", x - x**3 / 6 + x**5 / 100, sp.sin(x), {x: (0, 1)}, {x: 1}, {}),
    ("sinh(x) <= x + x^3/6", sp.sinh(x), x + x**3 / 6, {x: (0, 1)}, {x: 1}, {}),
    ("(x - 1/3)^2 >= 1e-30", R(1, 10**30), (x - R(1, 3)) ** 2, {x: (0, 1)}, {x: R(1, 3)}, {}),
    ("(x - 1/3)^2 + (y - 2/7)^2 >= 1e-20", R(1, 10**20), (x - R(1, 3)) ** 2 + (y - R(2, 7)) ** 2,
     {x: (0, 1), y: (0, 1)}, {x: R(1, 3), y: R(2, 7)}, {}),
    ("(x - sqrt(2)/2)^2 >= 1e-30 (irrational touching point)", R(1, 10**30), (x - sp.sqrt(2) / 2) ** 2,
     {x: (0, 1)}, {x: R(7071067811865475244, 10**19)}, {}),
    ("exp(x - 1/3) >= x + 2/3 + 1e-40 (convex, critical point 1/3)", x + R(2, 3) + R(1, 10**40),
     sp.exp(x - R(1, 3)), {x: (0, 1)}, {x: R(1, 3)}, {}),
    ("x^4 >= 1e-50 (degenerate critical point)", R(1, 10**50), x**4, {x: (-1, 1)}, {x: 0}, {}),
    ("exp(x) >= 1 + x + 1e-25 at an interior tight point", 1 + x + R(1, 10**25), sp.exp(x), {x: (-1, 2)},
     {x: 0}, {}),
    # integer and parity: the counterexample must be an admissible integer
    ("(k - 9/2)^2 >= 1/4 + 1e-9, k integer", R(1, 4) + R(1, 10**9), (k - R(9, 2)) ** 2, {k: (0, 10)}, {k: 4}, {}),
    ("(k - 4)^2 >= 2, k odd", 2, (k_odd - 4) ** 2, {k_odd: (1, 9)}, {k_odd: 3}, {}),
    ("(k - 5)^2 >= 2, k even", 2, (k_even - 5) ** 2, {k_even: (0, 10)}, {k_even: 4}, {}),
    ("(p - 12)^2 >= 2, p prime", 2, (p - 12) ** 2, {p: (2, 20)}, {p: 11}, {}),
    ("2^k <= k^3, k positive integer", 2**k_pos, k_pos**3, {k_pos: (1, 30)}, {k_pos: 10}, {}),
    # high precision: a box is never treated as a point when its float width would underflow
    ("(x - 1/3)^2 >= 2^-2300 at 1200 bits, no derivatives", R(1, 2**2300), (x - R(1, 3)) ** 2, {x: (0, 1)},
     {x: R(1, 3)}, {"prec": 1200, "derivatives": False, "max_boxes": 3000}),
    ("exp(x) >= 1 + x + 1e-70 at 256 bits", 1 + x + R(1, 10**70), sp.exp(x), {x: (-1, 1)}, {x: 0},
     {"prec": 256}),
    ("x^2 >= 2^-3000 at 2000 bits", R(1, 2**3000), x**2, {x: (-1, 1)}, {x: 0},
     {"prec": 2000, "derivatives": False}),
    # huge magnitudes
    ("exp(x) <= 10^400 on [0, 1000]", sp.exp(x), sp.Integer(10) ** 400, {x: (0, 1000)}, {x: 1000}, {}),
    ("exp(exp(x)) <= 10^50 on [0, 10]", sp.exp(sp.exp(x)), sp.Integer(10) ** 50, {x: (0, 10)}, {x: 5}, {}),
    ("x^100 <= 10^90 on [0, 10]", x**100, sp.Integer(10) ** 90, {x: (0, 10)}, {x: 10}, {}),
    ("cosh(x) <= 10^40 on [0, 200]", sp.cosh(x), sp.Integer(10) ** 40, {x: (0, 200)}, {x: 200}, {}),
    ("(x + 10^20)^2 - x^2 - 2 10^20 x <= 10^40 - 1 (cancellation)",
     (x + 10**20) ** 2 - x**2 - 2 * 10**20 * x, sp.Integer(10) ** 40 - 1, {x: (0, 1)}, {x: R(1, 2)}, {}),
    # trigonometry near extrema, fast oscillation, saturation
    ("sin(x) <= 1 - 1e-10 on [0, 2]", sp.sin(x), 1 - R(1, 10**10), {x: (0, 2)}, {x: R(15707963, 10**7)}, {}),
    ("cos(x) >= -1 + 1e-12 on [3, 4]", -1 + R(1, 10**12), sp.cos(x), {x: (3, 4)}, {x: R(314159265, 10**8)}, {}),
    ("sin(10^6 x) <= 1/2 on [0, 1]", sp.sin(10**6 * x), R(1, 2), {x: (0, 1)}, {x: R(15708, 10**10)}, {}),
    ("atan(x) <= pi/2 - 1e-3 on [0, 10^4]", sp.atan(x), pi / 2 - R(1, 1000), {x: (0, 10**4)}, {x: 10**4}, {}),
    ("tanh(x) <= 1 - 1e-20 on [0, 100]", sp.tanh(x), 1 - R(1, 10**20), {x: (0, 100)}, {x: 100}, {}),
    # Abs / Max / Min kinks
    ("|x - 1/3| >= 1e-20", R(1, 10**20), sp.Abs(x - R(1, 3)), {x: (0, 1)}, {x: R(1, 3)}, {}),
    ("|x| + |y| >= 1/10", R(1, 10), sp.Abs(x) + sp.Abs(y), {x: (-1, 1), y: (-1, 1)}, {x: 0, y: 0}, {}),
    ("Max(x, 1 - x) >= 1/2 + 1e-15", R(1, 2) + R(1, 10**15), sp.Max(x, 1 - x), {x: (0, 1)}, {x: R(1, 2)}, {}),
    ("|sin x| >= x/2 on [0, 4]", x / 2, sp.Abs(sp.sin(x)), {x: (0, 4)}, {x: 3}, {}),
    ("Min(x, y) <= x y", sp.Min(x, y), x * y, {x: (0, 1), y: (0, 1)}, {x: R(1, 2), y: R(1, 2)}, {}),
    ("|exp(x) - 1| <= |x| (kink and tight point at 0)", sp.Abs(sp.exp(x) - 1), sp.Abs(x), {x: (-1, 1)},
     {x: R(1, 2)}, {}),
    ("||x| - 1/2| >= 1e-12 (nested kinks)", R(1, 10**12), sp.Abs(sp.Abs(x) - R(1, 2)), {x: (-1, 1)},
     {x: R(-1, 2)}, {}),
    # cancellations that sympy does not simplify
    ("(x + 1)^2 - x^2 - 2x <= 1 - 1e-15", (x + 1) ** 2 - x**2 - 2 * x, 1 - R(1, 10**15), {x: (0, 1)},
     {x: R(1, 2)}, {}),
    ("sin(x)^2 + cos(x)^2 >= 1 + 1e-18", 1 + R(1, 10**18), sp.sin(x) ** 2 + sp.cos(x) ** 2, {x: (0, 10)}, {x: 1},
     {}),
    ("cosh(x)^2 - sinh(x)^2 <= 1 - 1e-18 on [0, 30]", sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1 - R(1, 10**18),
     {x: (0, 30)}, {x: 1}, {}),
    ("(1 + 1/n)^n >= e on [1, 10^6]", sp.E, (1 + 1 / n) ** n, {n: (1, 10**6)}, {n: 1000}, {}),
]  # fmt: skip

# (name, f, g, box, options): f <= g is TRUE at every admissible point of the box.
TRUE_CLAIMS = [
    ("log(x) <= x - 1", sp.log(x), x - 1, {x: (R(1, 100), 100)}, {}),
    ("1 + x <= exp(x), tight at 0", 1 + x, sp.exp(x), {x: (-2, 2)}, {}),
    ("sin(x) <= x", sp.sin(x), x, {x: (0, 10)}, {}),
    ("1 - x^2/2 <= cos(x), tight at 0", 1 - x**2 / 2, sp.cos(x), {x: (-3, 3)}, {}),
    ("x <= tan(x) below the pole", x, sp.tan(x), {x: (0, R(3, 2))}, {}),
    ("atan(x) <= x", sp.atan(x), x, {x: (0, 100)}, {}),
    ("tanh(x) <= x", sp.tanh(x), x, {x: (0, 50)}, {}),
    ("1 + x^2/2 <= cosh(x)", 1 + x**2 / 2, sp.cosh(x), {x: (-5, 5)}, {}),
    ("x <= sinh(x)", x, sp.sinh(x), {x: (0, 10)}, {}),
    ("0 <= |x - 1/3|", 0, sp.Abs(x - R(1, 3)), {x: (0, 1)}, {}),
    ("(x + y)/2 <= Max(x, y), tight on the diagonal", (x + y) / 2, sp.Max(x, y), {x: (0, 1), y: (0, 1)}, {}),
    ("|sin x| <= |x|", sp.Abs(sp.sin(x)), sp.Abs(x), {x: (-2, 2)}, {}),
    ("exp(-x^2) <= 1", sp.exp(-(x**2)), 1, {x: (-3, 3)}, {}),
    ("sin^2 + cos^2 <= 1 + 1e-15", sp.sin(x) ** 2 + sp.cos(x) ** 2, 1 + R(1, 10**15), {x: (0, 10)}, {}),
    ("1 <= (k - 4)^2 at odd k (false at k = 4, not odd)", 1, (k_odd - 4) ** 2, {k_odd: (1, 9)}, {}),
    ("1 <= (p - 9)^2 at primes (false at p = 9, not prime)", 1, (p - 9) ** 2, {p: (2, 20)}, {}),
    ("1/4 <= (k - 9/2)^2 at integers (false between 4 and 5)", R(1, 4), (k - R(9, 2)) ** 2, {k: (0, 10)}, {}),
    ("0 <= x^2 at 1200 bits", 0, x**2, {x: (-1, 1)}, {"prec": 1200}),
    ("exp(x) <= 10^450 on [0, 1000]", sp.exp(x), sp.Integer(10) ** 450, {x: (0, 1000)}, {}),
    ("exp(x - sqrt(2)/2) >= x - sqrt(2)/2 + 1 (irrational touching point)", x - sp.sqrt(2) / 2 + 1,
     sp.exp(x - sp.sqrt(2) / 2), {x: (0, 1)}, {}),
]  # fmt: skip


def _run(f, g, box, options):
    options = {"max_boxes": 400, **options}
    return prove_le(f, g, box, **options)


@pytest.mark.parametrize(("name", "f", "g", "box", "point", "options"), FALSE_CLAIMS, ids=[c[0] for c in FALSE_CLAIMS])
def test_false_claim_is_never_proved(name, f, g, box, point, options):
    # The test's own premise: the claim is false at the given point of the box (100 digits).
    assert all(box[s][0] <= point[s] <= box[s][1] for s in box), name
    assert value_100_digits(f - g, point) > 0, f"{name}: the claimed counterexample does not violate the claim"
    result = _run(f, g, box, options)
    assert result.status != PROVED, (name, result)
    if result.status == REFUTED:
        found = result.counterexample
        assert all(box[s][0] <= found[s] <= box[s][1] for s in box)
        assert value_100_digits(f - g, found) > 0 and result.violation.lower > 0


@pytest.mark.parametrize(("name", "f", "g", "box", "options"), TRUE_CLAIMS, ids=[c[0] for c in TRUE_CLAIMS])
def test_true_claim_is_never_refuted(name, f, g, box, options):
    result = _run(f, g, box, options)
    assert result.status != REFUTED, (name, result.counterexample, result.detail)


def test_the_suites_are_as_large_as_promised():
    assert len(FALSE_CLAIMS) >= 40 and len(TRUE_CLAIMS) >= 15
