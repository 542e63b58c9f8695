"""**Policy-gradient identity** for the log-linear (Boltzmann) policy:
grad_w j(w; x) = Sigma_w(x) (theta* - beta w), hence grad J_S(w) = Sigma_S(w) (theta* - beta w).

Stated through directional derivatives: for every direction u, d/dt j(w + t u; x) at t = 0 equals
Cov_{pi_w}(<u, phi>, <theta* - beta w, phi>) (claim ``main``), and u^T Sigma_w(x) v = Cov_{pi_w}(<u, phi>, <v, phi>)
for the covariance matrix Sigma_w(x) = sum_a pi_w(a) (phi_a - mu_w)(phi_a - mu_w)^T (claim ``bilinear``). Both
are proved for a symbolic number K of actions (finite sums over a = 1..K), with symbolic scores s_a = <w, phi_a>,
rewards r_a = <theta*, phi_a>, projections u_a = <u, phi_a>, reference weights and beta; ``bilinear`` also for a
symbolic feature dimension d (sums over the coordinates). Averaging over the training prompts gives the empirical
form, since the direction theta* - beta w does not depend on x. Source: paper, section 3 (reconstructed; see
docs/setting.md).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._family import (
    beta,
    boltzmann,
    coordinates,
    cov,
    family,
    mean,
    objective,
    of,
    r,
    reference,
    s,
    shifted,
    t,
    total,
    u,
)

phi = family("phi")
U, V = family("U"), family("V")


def directional_claim() -> Claim:
    """d/dt j(s + t u) at t = 0 equals Cov_pi(u, r - beta s)."""
    ref = reference()
    derivative = sp.diff(objective(ref, shifted(of(s), of(u), t), of(r)), t).xreplace({t: 0})
    pi = boltzmann(ref, of(s))
    return Claim(
        "main",
        derivative,
        "==",
        cov(pi, of(u), lambda a: r[a] - beta * s[a]),
        calc(
            (
                "==",
                cov(pi, of(u), lambda a: r[a] - beta * s[a]),
                "differentiate under the finite sum: d pi_a/dt = pi_a (u_a - E u), log(pi_a/pi_ref(a)) = s_a - log Z",
            )
        ),
    )


def bilinear_claim() -> Claim:
    """u^T Sigma v = Cov(<u, phi>, <v, phi>) for any weights pi, in d coordinates."""
    pi = reference()
    mu = lambda i: mean(pi, lambda a: phi[a, i])  # noqa: E731
    sigma = lambda i, j: total(lambda a: pi(a) * (phi[a, i] - mu(i)) * (phi[a, j] - mu(j)))  # noqa: E731
    quadratic = coordinates(lambda i: coordinates(lambda j: U[i] * sigma(i, j) * V[j]))
    projections = cov(
        pi, lambda a: coordinates(lambda i: U[i] * phi[a, i]), lambda a: coordinates(lambda i: V[i] * phi[a, i])
    )
    return Claim(
        "bilinear",
        quadratic,
        "==",
        projections,
        calc(("==", projections, "expand Sigma = sum_a pi_a (phi_a - mu)(phi_a - mu)^T; inner products are linear")),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="grad_eq_cov_mul_of_loglinear",
        statement="grad_w j(w; x) = Sigma_w(x) (theta* - beta w)",
        source="paper, section 3 (reconstructed: docs/setting.md)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        claims=(directional_claim(), bilinear_claim()),
    )
)
