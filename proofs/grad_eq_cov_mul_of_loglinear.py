"""**Policy-gradient identity** for the log-linear (Boltzmann) policy:
grad_w j(w; x) = Sigma_w(x) (theta* - beta w), hence grad J_S(w) = Sigma_S(w) (theta* - beta w).

Stated through directional derivatives: for every direction u, d/dt j(w + t u; x) at t = 0 equals
Cov_{pi_w}(<u, phi>, <theta* - beta w, phi>) = u^T Sigma_w(x) (theta* - beta w). The first equality is proved for
K = 2, 3, 4 with symbolic scores s_a = <w, phi_a>, rewards r_a = <theta*, phi_a>, projections u_a = <u, phi_a>,
reference weights and beta; it holds in every dimension d because the features enter only through these
projections. The second (a covariance's bilinear form is the covariance of the projections) is proved with
symbolic vectors in d = 3 for K = 3. Averaging over the training prompts gives the empirical form, since the
direction theta* - beta w does not depend on x. Source: paper, section 3 (reconstructed in setting.md, section 2).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._model import KS, beta, boltzmann, cov, dot, mean, objective, reals, reference, shifted, t, vector


def directional_claim(K: int) -> Claim:
    """d/dt j(s + t u) at t = 0 equals Cov_pi(u, r - beta s), for K actions."""
    ref, s, r, u = reference(K), reals("s", K), reals("r", K), reals("u", K)
    derivative = sp.diff(objective(ref, shifted(s, u, t), r), t).subs(t, 0)
    pi = boltzmann(ref, s)
    direction = [ra - beta * sa for ra, sa in zip(r, s, strict=True)]
    return Claim(
        f"K{K}",
        derivative,
        "==",
        cov(pi, u, direction),
        calc(
            (
                "==",
                cov(pi, u, direction),
                "differentiate under the finite sum: d pi_a/dt = pi_a (u_a - E u), log(pi_a/pi_ref(a)) = s_a - log Z",
            )
        ),
    )


def bilinear_claim(K: int = 3, d: int = 3) -> Claim:
    """u^T Sigma v = Cov(<u, phi>, <v, phi>) for any weights pi (d-dimensional symbolic features)."""
    pi = reference(K)
    phi = [vector(f"phi{a + 1}", d) for a in range(K)]
    u, v = vector("u", d), vector("v", d)
    mu = [mean(pi, [phi[a][i] for a in range(K)]) for i in range(d)]
    sigma = sp.zeros(d, d)
    for a in range(K):
        centred = sp.Matrix([phi[a][i] - mu[i] for i in range(d)])
        sigma += pi[a] * centred * centred.T
    quadratic = (sp.Matrix(u).T * sigma * sp.Matrix(v))[0, 0]
    projections = cov(pi, [dot(u, phi[a]) for a in range(K)], [dot(v, phi[a]) for a in range(K)])
    return Claim(
        "bilinear",
        quadratic,
        "==",
        projections,
        calc(
            ("==", projections, "expand Sigma = sum_a pi_a (phi_a - mu)(phi_a - mu)^T; the inner products are linear")
        ),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="grad_eq_cov_mul_of_loglinear",
        statement="grad_w j(w; x) = Sigma_w(x) (theta* - beta w)",
        source="paper, section 3 (reconstructed: setting.md, section 2)",
        doc=__doc__,
        scope=(
            "symbolic for K = 2, 3, 4 and every d (projections); bilinear step for d = 3, K = 3; "
            "numeric for K = 6, d = 5"
        ),
        claims=(*(directional_claim(K) for K in KS), bilinear_claim()),
    )
)
