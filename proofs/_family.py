"""The symbolic model of one prompt x with a symbolic number K of actions, shared by the proof modules.

The same objects as :mod:`._model`, written with finite sums of symbolic length (``Sum`` over an integer index from
1 to K) so that a proof holds for every K >= 1 at once; the engine reasons about the sums by linearity, renaming of
the index and the sign of a sum of signed terms (:mod:`rlhfsym.chain.sums`). Per-action quantities are indexed
families (``IndexedBase``):

* ``p[a] > 0`` -- reference weights, normalised: ``pi_ref(a) = p[a] / sum_b p[b]`` (any full-support distribution);
* ``s[a] = <w, phi_a>`` (scores), ``r[a] = <theta*, phi_a>`` (rewards), ``u[a] = <u, phi_a>``, ``x[a]``, ``v[a]``
  (projections), all real; ``n[a] = ||phi_a||^2 >= 0``;
* ``pi_w(a) = pi_ref(a) exp(s_a) / Z``, ``Z = sum_b pi_ref(b) exp(s_b)``; ``KL(P || Q) = sum_a P_a log(P_a / Q_a)``;
  ``j = E_{pi_w}[r] - beta KL(pi_w || pi_ref)``; ``E``, ``Cov``, ``Var`` under a weight family.

Each sum gets a fresh index, so nested sums never share one. The features enter only through the projections,
which is why a claim proved here holds for every feature dimension d as well.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import sympy as sp

from rlhfsym.setting import symbol

K = symbol("K")
d = symbol("d")
beta = symbol("beta")
B = symbol("B")
t = sp.Symbol("t", real=True)
tau = sp.Symbol("tau", nonnegative=True)
#: The generic action: a hypothesis about every action is stated ``forall=(A,)``, and a sum of its slacks runs over A.
A = sp.Symbol("a", integer=True)
#: The generic coordinate (of an eigenbasis, or of the features), from 1 to d.
J = sp.Symbol("i", integer=True)

#: An indexed family: a function of an index (a per-action quantity).
Family = Callable[[sp.Expr], sp.Expr]

_counter = itertools.count()


def index(name: str = "a") -> sp.Dummy:
    """A fresh integer index (a bound variable of one sum)."""
    return sp.Dummy(f"{name}{next(_counter)}", integer=True)


def family(name: str, **assumptions: bool) -> sp.IndexedBase:
    """An indexed family of reals (``real=True`` unless stated)."""
    return sp.IndexedBase(name, **(assumptions or {"real": True}))


p = family("p", positive=True)
s, r, u, v, x = (family(name) for name in ("s", "r", "u", "v", "x"))
n = family("n", nonnegative=True)


def total(f: Family, over: sp.Symbol | None = None) -> sp.Expr:
    """``sum_{a=1}^K f(a)`` (over a fresh index, or ``over`` -- the generic action A when the sum carries the slacks
    of hypotheses stated for every A)."""
    a = index() if over is None else over
    return sp.Sum(f(a), (a, 1, K))


def coordinates(f: Family, over: sp.Symbol | None = None) -> sp.Expr:
    """``sum_{i=1}^d f(i)``."""
    i = index("i") if over is None else over
    return sp.Sum(f(i), (i, 1, d))


def reference() -> Family:
    """``pi_ref(a) = p[a] / sum_b p[b]`` (one sum object for the mass, shared by every use)."""
    return lambda a: p[a] / _REFERENCE_MASS


def _mass() -> sp.Expr:
    b = index("b")
    return sp.Sum(p[b], (b, 1, K))


_REFERENCE_MASS = _mass()


def of(base: sp.IndexedBase) -> Family:
    return lambda a: base[a]


def partition(weights: Family, scores: Family) -> sp.Expr:
    """``Z = sum_a w(a) exp(score_a)``."""
    return total(lambda a: weights(a) * sp.exp(scores(a)))


def log_partition(weights: Family, scores: Family) -> sp.Expr:
    return sp.log(partition(weights, scores))


def boltzmann(weights: Family, scores: Family) -> Family:
    """``pi(a) = w(a) exp(score_a) / Z``."""
    Z = partition(weights, scores)
    return lambda a: weights(a) * sp.exp(scores(a)) / Z


def mean(pi: Family, f: Family) -> sp.Expr:
    return total(lambda a: pi(a) * f(a))


def cov(pi: Family, f: Family, g: Family) -> sp.Expr:
    mf, mg = mean(pi, f), mean(pi, g)
    return total(lambda a: pi(a) * (f(a) - mf) * (g(a) - mg))


def var(pi: Family, f: Family) -> sp.Expr:
    """``sum_a pi(a) (f(a) - E_pi f)^2`` (one mean, so that the summand is a square)."""
    m = mean(pi, f)
    return total(lambda a: pi(a) * (f(a) - m) ** 2)


def kl(P: Family, Q: Family) -> sp.Expr:
    """``KL(P || Q) = sum_a P_a log(P_a / Q_a)``."""
    return total(lambda a: P(a) * sp.log(P(a) / Q(a)))


def objective(weights: Family, scores: Family, rewards: Family) -> sp.Expr:
    """``j = E_pi[r] - beta KL(pi || pi_ref)`` for the Boltzmann policy with these scores."""
    pi = boltzmann(weights, scores)
    return mean(pi, rewards) - beta * kl(pi, weights)


def shifted(f: Family, g: Family, c: sp.Expr) -> Family:
    """``f + c g``."""
    return lambda a: f(a) + c * g(a)


def combine(f: Family, g: Family, op: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> Family:
    return lambda a: op(f(a), g(a))
