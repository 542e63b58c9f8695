"""**Spectral bound of the policy covariance**: u^T Sigma_w(x) u <= B^2 ||u||^2, i.e. lambda_max(Sigma_w(x)) <= B^2.

For any distribution pi on the K actions and projections x_a = <u, phi_a>: Var_pi(x) <= E_pi[x^2] <=
E_pi[||u||^2 ||phi_a||^2] <= ||u||^2 B^2, using Cauchy-Schwarz (x_a^2 <= ||u||^2 n_a with n_a = ||phi_a||^2) and
||phi_a|| <= B. The scalar claims hold for every d and K = 2, 3, 4 (hypotheses x_a^2 <= U n_a, n_a <= B^2 with
U = ||u||^2); the vector claim (d = 3, K = 2) discharges the Cauchy-Schwarz hypothesis by citing
:mod:`inner_sq_le_sq_norm_mul_sq_norm`. lambda_max <= B^2 is the Rayleigh-quotient reading. Source: setting.md,
section 2; classical.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc

from ._chain import CHAIN
from ._model import KS, B, D, dot, mean, reals, reference, var, vector
from .inner_sq_le_sq_norm_mul_sq_norm import f as cs_f
from .inner_sq_le_sq_norm_mul_sq_norm import u as cs_u

U = sp.Symbol("U", positive=True)


def norms(K: int) -> tuple[sp.Symbol, ...]:
    """n_a = ||phi_a||^2."""
    return sp.symbols(f"n1:{K + 1}", nonnegative=True)


def _chain(pi, x, sq_norm_u, n, cs, bounded):
    """Var_pi(x) = E x^2 - (E x)^2 <= E x^2 <= E[U n_a] <= U B^2."""
    second = mean(pi, [xa**2 for xa in x])
    return calc(
        ("==", second - mean(pi, x) ** 2, "Var = E x^2 - (E x)^2"),
        ("<=", second, "drop -(E x)^2 <= 0"),
        (
            "<=",
            mean(pi, [sq_norm_u * na for na in n]),
            "Cauchy-Schwarz at each action",
            Algebra(mean(pi, [h.slack for h in cs])),
        ),
        (
            "<=",
            sq_norm_u * B**2,
            "||phi_a||^2 <= B^2 and sum_a pi_a = 1",
            Algebra(sq_norm_u * mean(pi, [h.slack for h in bounded])),
        ),
    )


def bounded_norms(n) -> tuple[Hypothesis, ...]:
    return tuple(Hypothesis(f"norm{a + 1}", na, "<=", B**2, "||phi_a||^2 <= B^2") for a, na in enumerate(n))


def scalar_claim(K: int) -> Claim:
    pi, x, n = reference(K), reals("x", K), norms(K)
    cs = tuple(
        Hypothesis(f"cs{a + 1}", x[a] ** 2, "<=", U * n[a], "Cauchy-Schwarz: <u,phi_a>^2 <= ||u||^2 ||phi_a||^2")
        for a in range(K)
    )
    bounded = bounded_norms(n)
    return Claim(f"K{K}", var(pi, x), "<=", U * B**2, _chain(pi, x, U, n, cs, bounded), hypotheses=cs + bounded)


def vector_claim(K: int = 2) -> Claim:
    pi = reference(K)
    u = vector("u")
    phi = [vector(f"phi{a + 1}") for a in range(K)]
    x = [dot(u, p) for p in phi]
    n = [dot(p, p) for p in phi]
    cs = tuple(
        Hypothesis(
            f"cs{a + 1}",
            x[a] ** 2,
            "<=",
            dot(u, u) * n[a],
            by="inner_sq_le_sq_norm_mul_sq_norm#d3",
            instance={**dict(zip(cs_u, u, strict=True)), **dict(zip(cs_f, phi[a], strict=True))},
        )
        for a in range(K)
    )
    bounded = bounded_norms(n)
    return Claim(
        f"vector_d{D}_K{K}",
        var(pi, x),
        "<=",
        dot(u, u) * B**2,
        _chain(pi, x, dot(u, u), n, cs, bounded),
        hypotheses=cs + bounded,
    )


LEMMA = CHAIN.register(
    Lemma(
        name="cov_quad_le_sq_mul_sq_norm_of_norm_le",
        statement="u^T Sigma_w(x) u <= B^2 ||u||^2 (lambda_max(Sigma_w(x)) <= B^2) when ||phi(x,a)|| <= B",
        source="setting.md, section 2 (classical)",
        doc=__doc__,
        scope="scalar form symbolic for K = 2, 3, 4, every d; vector form for d = 3, K = 2; numeric for K = 6, d = 5",
        depends_on=("inner_sq_le_sq_norm_mul_sq_norm",),
        claims=(*(scalar_claim(K) for K in KS), vector_claim()),
    )
)
