"""**Smoothness of j**: |d^2/dt^2 j(w + t u; x)| <= L(R) ||u||^2 with L(R) = 2 B^3 (S + beta R) + beta B^2 for
||w|| <= R.

The second directional derivative is E_{pi_w}[(x - E x)^2 (y - E y)] - beta Var_{pi_w}(x) with x_a = <u, phi_a>
and y_a = <theta* - beta w, phi_a> (claims ``K2``, ``K3``; the third central moment comes from differentiating
the covariance). With |y_a - E y| <= Y (Cauchy-Schwarz: ||phi_a - mu_w|| <= 2B and ||theta* - beta w|| <= S + beta
R, so Y = 2B(S + beta R)) and Var(x) <= ||u||^2 B^2 (cited from :mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` at
pi = pi_w), -(Y + beta) B^2 ||u||^2 <= d^2 j <= (Y + beta) B^2 ||u||^2 (claims ``upper``, ``lower``). Hence J and
J_S are L(R)-smooth on the ball of radius R; at R = 2S/beta, L = 6 B^3 S + beta B^2. Proved for K = 2, 3 with
symbolic entries (every d). Source: setting.md, section 4, lemma 1 (derived here).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._model import B, beta, boltzmann, mean, objective, reals, reference, shifted, t, var
from .cov_quad_le_sq_mul_sq_norm_of_norm_le import U, norms

KS_HERE = (2, 3)
S = symbol("S")
R = sp.Symbol("R", nonnegative=True)
Y = sp.Symbol("Y", nonnegative=True)
SMOOTHNESS = (Y + beta) * B**2
#: L(R), with Y = 2B(S + beta R) (Cauchy-Schwarz); at the iterates' ball R = 2S/beta, L = 6 B^3 S + beta B^2.
SMOOTHNESS_R = SMOOTHNESS.subs(Y, 2 * B * (S + beta * R))
SMOOTHNESS_AT_BALL = sp.expand(SMOOTHNESS_R.subs(R, 2 * S / beta))


def _parts(K: int):
    ref, s, r, u = reference(K), reals("s", K), reals("r", K), reals("x", K)
    pi = boltzmann(ref, s)
    y = [ra - beta * sa for ra, sa in zip(r, s, strict=True)]
    third = mean(pi, [(u[a] - mean(pi, u)) ** 2 * (y[a] - mean(pi, y)) for a in range(K)])
    return ref, s, r, u, pi, y, third


def identity_claim(K: int) -> Claim:
    ref, s, r, u, pi, _, third = _parts(K)
    second = sp.diff(objective(ref, shifted(s, u, t), r), t, 2).subs(t, 0)
    return Claim(
        f"K{K}",
        second,
        "==",
        third - beta * var(pi, u),
        calc(("==", third - beta * var(pi, u), "differentiate the policy gradient Cov_pi(x, y) once more")),
    )


def _bounds(K: int):
    ref, s, _, u, pi, y, third = _parts(K)
    centred = [y[a] - mean(pi, y) for a in range(K)]
    above = tuple(
        Hypothesis(f"y_hi{a + 1}", centred[a], "<=", Y, "|<theta* - beta w, phi_a - mu_w>| <= Y") for a in range(K)
    )
    below = tuple(
        Hypothesis(f"y_lo{a + 1}", -Y, "<=", centred[a], "|<theta* - beta w, phi_a - mu_w>| <= Y") for a in range(K)
    )
    n = norms(K)
    cs = tuple(
        Hypothesis(f"cs{a + 1}", u[a] ** 2, "<=", U * n[a], "Cauchy-Schwarz: <u,phi_a>^2 <= ||u||^2 ||phi_a||^2")
        for a in range(K)
    )
    bounded = tuple(Hypothesis(f"norm{a + 1}", n[a], "<=", B**2, "||phi_a||^2 <= B^2") for a in range(K))
    p = sp.symbols(f"p1:{K + 1}", positive=True)
    spectral = Hypothesis(
        "spectral",
        var(pi, u),
        "<=",
        U * B**2,
        by=f"cov_quad_le_sq_mul_sq_norm_of_norm_le#K{K}",
        instance=dict(zip(p, [ref[a] * sp.exp(s[a]) for a in range(K)], strict=True)),
    )
    squares = [(u[a] - mean(pi, u)) ** 2 for a in range(K)]
    return pi, u, third, above, below, cs + bounded, spectral, squares


def upper_claim(K: int) -> Claim:
    pi, u, third, above, _, assumptions, spectral, squares = _bounds(K)
    v = var(pi, u)
    return Claim(
        f"upper_K{K}",
        third - beta * v,
        "<=",
        SMOOTHNESS * U,
        calc(
            (
                "<=",
                Y * v + beta * v,
                "E[(x - Ex)^2 (y - Ey)] <= Y Var(x), and -beta Var <= beta Var",
                Algebra(mean(pi, [squares[a] * above[a].slack for a in range(K)]) + 2 * beta * v),
            ),
            ("<=", SMOOTHNESS * U, "Var(x) <= ||u||^2 B^2", Algebra((Y + beta) * spectral.slack)),
        ),
        hypotheses=(*above, *assumptions, spectral),
    )


def lower_claim(K: int) -> Claim:
    pi, u, third, _, below, assumptions, spectral, squares = _bounds(K)
    v = var(pi, u)
    return Claim(
        f"lower_K{K}",
        third - beta * v,
        ">=",
        -SMOOTHNESS * U,
        calc(
            (
                ">=",
                -Y * v - beta * v,
                "E[(x - Ex)^2 (y - Ey)] >= -Y Var(x)",
                Algebra(mean(pi, [squares[a] * below[a].slack for a in range(K)])),
            ),
            (">=", -SMOOTHNESS * U, "Var(x) <= ||u||^2 B^2", Algebra((Y + beta) * spectral.slack)),
        ),
        hypotheses=(*below, *assumptions, spectral),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="hess_quad_abs_le_of_norm_le",
        statement="|u^T Hess j(w; x) u| <= (2 B^3 (S + beta R) + beta B^2) ||u||^2 for ||w|| <= R",
        source="setting.md, section 4, lemma 1 (derived here)",
        doc=__doc__,
        scope="symbolic for K = 2, 3 and every d (projections); Y = 2B(S + beta R) by Cauchy-Schwarz",
        depends_on=("cov_quad_le_sq_mul_sq_norm_of_norm_le",),
        constants={
            "L_R": SMOOTHNESS.subs(Y, 2 * B * (S + beta * R)),
            "L": sp.expand(SMOOTHNESS.subs(Y, 2 * B * (S + beta * 2 * S / beta))),
        },
        claims=tuple(c for K in KS_HERE for c in (identity_claim(K), upper_claim(K), lower_claim(K))),
    )
)
