"""Helpers shared by the tests that compare measured quantities with the chain's bounds (a uniquely named module
imported from the test folder)."""

from __future__ import annotations

import math

import sympy as sp

from rlhfsym.api import chain

#: A measured value may exceed a bound by float round-off only: this relative amount.
ROUNDOFF = 1e-9
#: Level of the one-sided binomial test on violation counts of probability claims.
LEVEL = 1e-3


def bound_at(theorem: str, **values: object) -> float:
    """The theorem's bound at exact values (floats are taken exactly, as the binary numbers they are), 30 digits."""
    expr = chain().get(theorem).bound
    exact = {s: sp.Rational(values[s.name]) for s in expr.free_symbols}
    return float(expr.xreplace(exact).evalf(30))


def binomial_tail(k: int, trials: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(trials, p)."""
    return sum(math.comb(trials, i) * p**i * (1 - p) ** (trials - i) for i in range(k, trials + 1))
