"""The symbolic model of one prompt x with a fixed small number K of actions, written term by term.

The chain's proofs use :mod:`._family` (a symbolic K, finite sums); this term-by-term model serves the slow
cross-checks (``tests/test_proofs_small_k.py``) and the engine's tests, which expand the same identities at
K = 2, ..., 5 as an independent route to them.

Everything is written from its literal definition (docs/setting.md, section 1), so that the checker, not the author,
does the algebra:

* reference policy ``pi_ref(a) = p_a / sum_b p_b`` with ``p_a > 0`` (any full-support distribution);
* a score vector ``s_a = <w, phi(x,a)>``; the Boltzmann policy ``pi_w(a) = pi_ref(a) exp(s_a) / Z``,
  ``Z = sum_b pi_ref(b) exp(s_b)``;
* ``KL(P || Q) = sum_a P_a log(P_a / Q_a)``; ``j = E_{pi_w}[r] - beta KL(pi_w || pi_ref)``;
* ``E``, ``cov`` and ``var`` under a weight vector.

The features enter only through projections (``s_a = <w, phi_a>``, ``r_a = <theta*, phi_a>``, ``x_a = <u, phi_a>``),
which is why a scalar identity proved here holds in every dimension d.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from rlhfsym.setting import symbol

#: The numbers of actions of the cross-checks.
KS = (2, 3, 4)
#: The feature dimension of the vector-level claims (d <= 3 follows by setting coordinates to 0).
D = 3

beta = symbol("beta")
B = symbol("B")
t = sp.Symbol("t", real=True)
tau = sp.Symbol("tau", nonnegative=True)

Vec = Sequence[sp.Expr]


def reals(name: str, K: int) -> tuple[sp.Symbol, ...]:
    """Real symbols ``name1..nameK`` (scores, rewards, projections)."""
    return sp.symbols(f"{name}1:{K + 1}", real=True)


def positives(name: str, K: int) -> tuple[sp.Symbol, ...]:
    """Positive symbols ``name1..nameK``."""
    return sp.symbols(f"{name}1:{K + 1}", positive=True)


def vector(name: str, d: int = D) -> tuple[sp.Symbol, ...]:
    """A real vector of symbols ``name_1..name_d``."""
    return sp.symbols(f"{name}_1:{d + 1}", real=True)


def dot(u: Vec, v: Vec) -> sp.Expr:
    return sum((a * b for a, b in zip(u, v, strict=True)), sp.S.Zero)


def normalised(weights: Vec) -> list[sp.Expr]:
    total = sum(weights, sp.S.Zero)
    return [w / total for w in weights]


def reference(K: int) -> list[sp.Expr]:
    """``pi_ref`` as ``p_a / sum p``: an arbitrary full-support distribution on K actions."""
    return normalised(positives("p", K))


def partition(ref: Vec, scores: Vec) -> sp.Expr:
    """``Z = sum_a pi_ref(a) exp(s_a)``."""
    return sum((q * sp.exp(s) for q, s in zip(ref, scores, strict=True)), sp.S.Zero)


def log_partition(ref: Vec, scores: Vec) -> sp.Expr:
    """``A = log Z``."""
    return sp.log(partition(ref, scores))


def boltzmann(ref: Vec, scores: Vec) -> list[sp.Expr]:
    """``pi(a) = pi_ref(a) exp(s_a) / Z``."""
    Z = partition(ref, scores)
    return [q * sp.exp(s) / Z for q, s in zip(ref, scores, strict=True)]


def mean(pi: Vec, x: Vec) -> sp.Expr:
    return sum((q * a for q, a in zip(pi, x, strict=True)), sp.S.Zero)


def cov(pi: Vec, x: Vec, y: Vec) -> sp.Expr:
    mx, my = mean(pi, x), mean(pi, y)
    return sum((q * (a - mx) * (b - my) for q, a, b in zip(pi, x, y, strict=True)), sp.S.Zero)


def var(pi: Vec, x: Vec) -> sp.Expr:
    return cov(pi, x, x)


def kl(P: Vec, Q: Vec) -> sp.Expr:
    """``KL(P || Q) = sum_a P_a log(P_a / Q_a)``."""
    return sum((a * sp.log(a / b) for a, b in zip(P, Q, strict=True)), sp.S.Zero)


def objective(ref: Vec, scores: Vec, rewards: Vec) -> sp.Expr:
    """``j = E_pi[r] - beta KL(pi || pi_ref)`` for the Boltzmann policy with these scores."""
    pi = boltzmann(ref, scores)
    return mean(pi, rewards) - beta * kl(pi, ref)


def shifted(x: Vec, y: Vec, c: sp.Expr) -> list[sp.Expr]:
    """``x + c y`` coordinatewise."""
    return [a + c * b for a, b in zip(x, y, strict=True)]
