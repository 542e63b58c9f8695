"""Random claims about a calculus variable restricted to a closed range by the lemma's box: whatever the engine
verifies is true.

Each case draws a polynomial (sometimes divided by ``tau - c``, a pole that may fall inside the range), a box
``[a, b]`` and ends inside or outside it, and asks for ``f(lo) <= f(hi)`` (Monotone), ``f(lo) <= f(tau)`` on the box
(Monotone to a free end), ``f(tau) >= f(c)`` on the box (FirstDerivativeTest) or ``f(tau) - f(lo) >= 0`` on the box
(Algebra with the gap as witness). A verified claim is evaluated exactly: at its ends, or at 201 points of the
box, and a verified claim about the box must have no pole in it.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from rlhfsym.chain import VERIFIED, Algebra, Claim, FirstDerivativeTest, Lemma, Monotone, calc, check_lemma

tau = sp.Symbol("tau", real=True)
CASES = 300


def _grid(a: sp.Rational, b: sp.Rational) -> list[sp.Rational]:
    return [a + (b - a) * sp.Rational(k, 200) for k in range(201)]


def _case(rng: random.Random, i: int) -> tuple[Lemma, object] | None:
    def rational() -> sp.Rational:
        return sp.Rational(rng.randint(-6, 6), rng.choice([1, 2, 3, 4]))

    f = sum(rng.randint(-3, 3) * tau**k for k in range(1, 5))
    pole = None
    if rng.random() < 0.3:
        pole = rational()
        f = f / (tau - pole)
    a = rational()
    b = a + sp.Rational(rng.randint(0, 8), rng.choice([1, 2, 4]))
    lo, hi = rational(), rational()
    if rng.random() < 0.5:
        lo, hi = (a + (b - a) * sp.Rational(rng.randint(0, 4), 4) for _ in range(2))
    if pole is not None and pole in (lo, hi):
        return None
    kind = rng.choice(["ends", "free end", "centre", "algebra"])
    grid = _grid(a, b)

    def no_pole() -> bool:
        return pole is None or not a <= pole <= b

    if kind == "ends":
        claim = Claim("main", f.subs(tau, lo), "<=", f.subs(tau, hi),
                      calc(("<=", f.subs(tau, hi), "", Monotone(f, tau, lo, hi))))

        def truth() -> bool:
            return bool(f.subs(tau, lo) <= f.subs(tau, hi)) and a <= min(lo, hi) and max(lo, hi) <= b and no_pole()
    elif kind == "free end":
        claim = Claim("main", f.subs(tau, lo), "<=", f, calc(("<=", f, "", Monotone(f, tau, lo, tau))))

        def truth() -> bool:
            return no_pole() and all(f.subs(tau, lo) <= f.subs(tau, t) for t in grid)
    elif kind == "centre":
        rule = FirstDerivativeTest(f, tau, lo)
        claim = Claim("main", f, ">=", f.subs(tau, lo), calc((">=", f.subs(tau, lo), "", rule)))

        def truth() -> bool:
            return no_pole() and all(f.subs(tau, t) >= f.subs(tau, lo) for t in grid)
    else:
        g = f - f.subs(tau, lo)
        claim = Claim("main", sp.S.Zero, "<=", g, calc(("<=", g, "", Algebra(g))))

        def truth() -> bool:
            return all(g.subs(tau, t) >= 0 for t in grid if t != pole)
    try:
        return Lemma(f"fuzz_{i}", "a random claim on a closed range", "fuzz", claims=(claim,),
                     domain={tau: (a, b)}), truth
    except ValueError:  # an empty box for the symbol's values, or an end the claim cannot hold
        return None


@pytest.mark.slow
def test_every_verified_claim_on_a_closed_range_is_true() -> None:
    rng = random.Random(20261202)
    verified = 0
    for i in range(CASES):
        case = _case(rng, i)
        if case is None:
            continue
        lemma, truth = case
        if check_lemma(lemma).status == VERIFIED:
            verified += 1
            assert truth(), lemma.name
    assert verified >= CASES // 20  # the fuzz exercises verifying paths, not only refusals
