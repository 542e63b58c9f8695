"""**REINFORCE is unbiased**: with a ~ pi_w(.|x), g = (r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))
has E[g] = grad j(w; x).

In a direction u: E_{a~pi_w}[(r_a - beta log(pi_w(a)/pi_ref(a))) (u_a - E u)] = Cov_{pi_w}(u, r - beta s), which is
<u, grad j(w; x)> by :mod:`grad_eq_cov_mul_of_loglinear` (log(pi_w/pi_ref) = s - log Z, and the constant log Z
drops out against the centred u). Proved for K = 2, 3, 4 with symbolic entries (every d). Source: setting.md,
section 2 (the likelihood-ratio estimator).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._model import KS, beta, boltzmann, cov, mean, reals, reference


def claim(K: int) -> Claim:
    ref, s, r, u = reference(K), reals("s", K), reals("r", K), reals("u", K)
    pi = boltzmann(ref, s)
    centred = [ua - mean(pi, u) for ua in u]
    estimate = mean(pi, [(r[a] - beta * sp.log(pi[a] / ref[a])) * centred[a] for a in range(K)])
    target = cov(pi, u, [ra - beta * sa for ra, sa in zip(r, s, strict=True)])
    return Claim(
        f"K{K}",
        estimate,
        "==",
        target,
        calc(("==", target, "log(pi_w/pi_ref) = s - log Z; E[c (u - E u)] = 0 for a constant c")),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_unbiased_of_loglinear",
        statement="E_{a ~ pi_w}[(r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))] = grad j(w; x)",
        source="setting.md, section 2 (likelihood-ratio / REINFORCE estimator)",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric (exact and Monte Carlo) for K = 6, d = 5",
        depends_on=("grad_eq_cov_mul_of_loglinear",),
        claims=tuple(claim(K) for K in KS),
    )
)
