"""**Spectral bound of the policy covariance**: u^T Sigma_w(x) u <= B^2 ||u||^2, i.e. lambda_max(Sigma_w(x)) <= B^2.

For any distribution pi on the K actions and projections x_a = <u, phi_a>: Var_pi(x) <= E_pi[x^2] <=
E_pi[||u||^2 ||phi_a||^2] <= ||u||^2 B^2, using Cauchy-Schwarz (x_a^2 <= ||u||^2 n_a with n_a = ||phi_a||^2) and
||phi_a|| <= B. Claim ``main`` takes the two facts as hypotheses for every action a (x_a^2 <= U n_a, n_a <= B^2
with U = ||u||^2); claim ``vector`` writes the projections in d coordinates and discharges Cauchy-Schwarz by citing
:mod:`inner_sq_le_sq_norm_mul_sq_norm` at every action. Both for a symbolic number K of actions (and d for
``vector``). lambda_max <= B^2 is the Rayleigh-quotient reading. Source: docs/setting.md; classical.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc, citation

from . import inner_sq_le_sq_norm_mul_sq_norm as cauchy_schwarz
from ._chain import CHAIN
from ._family import A, B, coordinates, family, mean, n, of, reference, total, var, x

U = sp.Symbol("U", nonnegative=True)
phi = family("phi")


def _chain(pi, proj, sq_norm_u, norm, cs, bounded):
    """Var_pi(x) = E x^2 - (E x)^2 <= E x^2 <= E[U n_a] <= U B^2."""
    second = mean(pi, lambda a: proj(a) ** 2)
    return calc(
        ("==", second - mean(pi, proj) ** 2, "Var = E x^2 - (E x)^2"),
        ("<=", second, "drop -(E x)^2 <= 0"),
        (
            "<=",
            mean(pi, lambda a: sq_norm_u * norm(a)),
            "Cauchy-Schwarz at each action",
            Algebra(total(lambda a: pi(a) * cs.slack, over=A)),
        ),
        (
            "<=",
            sq_norm_u * B**2,
            "||phi_a||^2 <= B^2 and sum_a pi_a = 1",
            Algebra(sq_norm_u * total(lambda a: pi(a) * bounded.slack, over=A)),
        ),
    )


#: For every action a: ||phi_a||^2 <= B^2 and the Cauchy-Schwarz consequence x_a^2 <= ||u||^2 ||phi_a||^2.
NORM = Hypothesis("norm", n[A], "<=", B**2, "||phi_a||^2 <= B^2", forall=(A,), kind="asserted")
CS = Hypothesis("cs", x[A] ** 2, "<=", U * n[A], "Cauchy-Schwarz: <u,phi_a>^2 <= ||u||^2 ||phi_a||^2", forall=(A,),
                kind="asserted")


def scalar_claim() -> Claim:
    pi = reference()
    return Claim("main", var(pi, of(x)), "<=", U * B**2, _chain(pi, of(x), U, of(n), CS, NORM), hypotheses=(CS, NORM))


def vector_claim() -> Claim:
    pi = reference()
    proj = lambda a: coordinates(lambda i: cauchy_schwarz.u[i] * phi[a, i])  # noqa: E731
    sq_norm = lambda a: coordinates(lambda i: phi[a, i] ** 2)  # noqa: E731
    i = sp.Dummy("i", integer=True)
    cs = citation(
        cauchy_schwarz.LEMMA, "main", {cauchy_schwarz.f: sp.Lambda(i, phi[A, i])}, name="cs_vector", forall=(A,)
    )
    bounded = Hypothesis("norm_vector", sq_norm(A), "<=", B**2, "||phi_a||^2 <= B^2", forall=(A,), kind="asserted")
    return Claim(
        "vector",
        var(pi, proj),
        "<=",
        cauchy_schwarz.SQ_U * B**2,
        _chain(pi, proj, cauchy_schwarz.SQ_U, sq_norm, cs, bounded),
        hypotheses=(cs, bounded),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="cov_quad_le_sq_mul_sq_norm_of_norm_le",
        statement="u^T Sigma_w(x) u <= B^2 ||u||^2 (lambda_max(Sigma_w(x)) <= B^2) when ||phi(x,a)|| <= B",
        source="docs/setting.md (classical)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        claims=(scalar_claim(), vector_claim()),
    )
)
