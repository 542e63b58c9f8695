"""**Smoothness of j**: |d^2/dt^2 j(w + t u; x)| <= L(R) ||u||^2 with L(R) = 2 B^3 (S + beta R) + beta B^2 for
||w|| <= R.

The second directional derivative is E_{pi_w}[(x - E x)^2 (y - E y)] - beta Var_{pi_w}(x) with x_a = <u, phi_a>
and y_a = <theta* - beta w, phi_a> (claim ``identity``; the third central moment comes from differentiating the
covariance). With |y_a - E y| <= Y for every action (Cauchy-Schwarz: ||phi_a - mu_w|| <= 2B and
||theta* - beta w|| <= S + beta R, so Y = 2B(S + beta R)) and Var(x) <= ||u||^2 B^2 (cited from
:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` at pi = pi_w), -(Y + beta) B^2 ||u||^2 <= d^2 j <= (Y + beta) B^2
||u||^2 (claims ``upper``, ``lower``). Hence J and J_S are L(R)-smooth on the ball of radius R; at R = 2S/beta,
L = 6 B^3 S + beta B^2. Proved for a symbolic number K of actions, every d. Source: docs/setting.md (lemma 1,
smoothness; derived here).
"""

from functools import cache

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc, citation
from rlhfsym.setting import symbol

from . import cov_quad_le_sq_mul_sq_norm_of_norm_le as ceiling
from ._chain import CHAIN
from ._family import A, B, beta, boltzmann, mean, n, objective, of, p, r, reference, s, shifted, t, total, var, x

S = symbol("S")
R = sp.Symbol("R", nonnegative=True)
Y = sp.Symbol("Y", nonnegative=True)
SMOOTHNESS = (Y + beta) * B**2
#: L(R), with Y = 2B(S + beta R) (Cauchy-Schwarz); at the iterates' ball R = 2S/beta, L = 6 B^3 S + beta B^2.
SMOOTHNESS_R = SMOOTHNESS.subs(Y, 2 * B * (S + beta * R))
SMOOTHNESS_AT_BALL = sp.expand(SMOOTHNESS_R.subs(R, 2 * S / beta))
U = ceiling.U


@cache
def _parts():
    ref = reference()
    pi = boltzmann(ref, of(s))
    y = lambda a: r[a] - beta * s[a]  # noqa: E731
    mx, my = mean(pi, of(x)), mean(pi, y)
    third = total(lambda a: pi(a) * (x[a] - mx) ** 2 * (y(a) - my))
    return ref, pi, y, mx, my, third


def identity_claim() -> Claim:
    ref, pi, _, _, _, third = _parts()
    second = sp.diff(objective(ref, shifted(of(s), of(x), t), of(r)), t, 2).xreplace({t: 0})
    return Claim(
        "identity",
        second,
        "==",
        third - beta * var(pi, of(x)),
        calc(("==", third - beta * var(pi, of(x)), "differentiate the policy gradient Cov_pi(x, y) once more")),
    )


@cache
def _bounds():
    ref, pi, y, mx, my, third = _parts()
    above = Hypothesis("y_hi", y(A) - my, "<=", Y, "|<theta* - beta w, phi_a - mu_w>| <= Y", forall=(A,),
                       kind="asserted")
    below = Hypothesis("y_lo", -Y, "<=", y(A) - my, "|<theta* - beta w, phi_a - mu_w>| <= Y", forall=(A,),
                       kind="asserted")
    b = sp.Dummy("b", integer=True)
    spectral = citation(ceiling.LEMMA, "main", {p: sp.Lambda(b, ref(b) * sp.exp(s[b]))}, "spectral")
    square = lambda a: (x[a] - mx) ** 2  # noqa: E731
    return pi, third, above, below, (ceiling.CS, ceiling.NORM), spectral, square


def upper_claim() -> Claim:
    pi, third, above, _, assumptions, spectral, square = _bounds()
    v = var(pi, of(x))
    return Claim(
        "upper",
        third - beta * v,
        "<=",
        SMOOTHNESS * U,
        calc(
            (
                "<=",
                Y * v + beta * v,
                "E[(x - Ex)^2 (y - Ey)] <= Y Var(x), and -beta Var <= beta Var",
                Algebra(total(lambda a: pi(a) * square(a) * above.slack, over=A) + 2 * beta * v),
            ),
            ("<=", SMOOTHNESS * U, "Var(x) <= ||u||^2 B^2", Algebra((Y + beta) * spectral.slack)),
        ),
        hypotheses=(above, *assumptions, spectral),
    )


def lower_claim() -> Claim:
    pi, third, _, below, assumptions, spectral, square = _bounds()
    v = var(pi, of(x))
    return Claim(
        "lower",
        third - beta * v,
        ">=",
        -SMOOTHNESS * U,
        calc(
            (
                ">=",
                -Y * v - beta * v,
                "E[(x - Ex)^2 (y - Ey)] >= -Y Var(x)",
                Algebra(total(lambda a: pi(a) * square(a) * below.slack, over=A)),
            ),
            (">=", -SMOOTHNESS * U, "Var(x) <= ||u||^2 B^2", Algebra((Y + beta) * spectral.slack)),
        ),
        hypotheses=(below, *assumptions, spectral),
    )


_ = n  # the norms of the features enter through the cited ceiling's hypotheses

LEMMA = CHAIN.register(
    Lemma(
        name="hess_quad_abs_le_of_norm_le",
        statement="|u^T Hess j(w; x) u| <= (2 B^3 (S + beta R) + beta B^2) ||u||^2 for ||w|| <= R",
        source="docs/setting.md (lemma 1, smoothness; derived here)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); Y = 2B(S + beta R) by Cauchy-Schwarz",
        constants={"L_R": SMOOTHNESS_R, "L": SMOOTHNESS_AT_BALL},
        claims=(identity_claim(), upper_claim(), lower_claim()),
    )
)
