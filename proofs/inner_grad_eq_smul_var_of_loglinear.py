"""**Ascent toward the optimum**: <grad j(w; x), w* - w> = beta (w* - w)^T Sigma_w(x) (w* - w) >= 0.

By :mod:`grad_eq_cov_mul_of_loglinear` the left side is Cov_{pi_w}(u_a, r_a - beta s_a) with u_a = <w* - w, phi_a>
= r_a / beta - s_a, so r_a - beta s_a = beta u_a and the covariance is beta Var_{pi_w}(u) >= 0. Proved for
K = 2, 3, 4 with symbolic entries (every d). Source: paper (reconstructed in setting.md, section 2).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._model import KS, beta, boltzmann, cov, reals, reference, var


def _parts(K: int):
    ref, s, r = reference(K), reals("s", K), reals("r", K)
    pi = boltzmann(ref, s)
    u = [ra / beta - sa for ra, sa in zip(r, s, strict=True)]
    return pi, u, cov(pi, u, [ra - beta * sa for ra, sa in zip(r, s, strict=True)])


def identity_claim(K: int) -> Claim:
    pi, u, inner = _parts(K)
    return Claim(f"K{K}", inner, "==", beta * var(pi, u), calc(("==", beta * var(pi, u), "r_a - beta s_a = beta u_a")))


def nonneg_claim(K: int) -> Claim:
    pi, u, _ = _parts(K)
    return Claim(
        f"nonneg_K{K}",
        beta * var(pi, u),
        ">=",
        sp.S.Zero,
        calc((">=", sp.S.Zero, "beta > 0 times a sum of pi_a (u_a - mean)^2")),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="inner_grad_eq_smul_var_of_loglinear",
        statement="<grad j(w; x), w* - w> = beta (w* - w)^T Sigma_w(x) (w* - w) >= 0",
        source="paper (reconstructed: setting.md, section 2)",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric for K = 6, d = 5",
        depends_on=("grad_eq_cov_mul_of_loglinear",),
        claims=(*(identity_claim(K) for K in KS), *(nonneg_claim(K) for K in KS)),
    )
)
