"""**Rewards are bounded**: |r_a| = |<theta*, phi(x, a)>| <= S B for every action a of every prompt.

By Cauchy-Schwarz (:mod:`inner_sq_le_sq_norm_mul_sq_norm`, cited at every action), r_a^2 <= ||theta*||^2
||phi_a||^2 <= S^2 B^2 (the setting's norm bounds, :mod:`setting_norm_le`), so |r_a| = sqrt(r_a^2) <= S B (claim
``abs``, sqrt is increasing), hence -S B <= r_a <= S B (claims ``lo``, ``hi``). Written in d coordinates with
r_a = sum_i theta_i phi_{a,i}: every d. Derived here.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, Monotone, calc, citation

from . import inner_sq_le_sq_norm_mul_sq_norm as cauchy_schwarz
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._family import A, B, coordinates

S = norms.S
theta, phi = norms.theta, norms.phi
v = sp.Symbol("v", nonnegative=True)
#: r_a = <theta*, phi(x, a)>, at the generic action a.
REWARD = coordinates(lambda i: theta[i] * phi[A, i])
SQ_THETA, SQ_PHI = coordinates(lambda i: theta[i] ** 2), coordinates(lambda i: phi[A, i] ** 2)

i = sp.Dummy("i", integer=True)
CS = citation(
    cauchy_schwarz.LEMMA,
    "main",
    {cauchy_schwarz.u: theta, cauchy_schwarz.f: sp.Lambda(i, phi[A, i])},
    name="cauchy_schwarz",
    forall=(A,),
)
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))
THETA = citation(norms.LEMMA, "reward", name="reward_norm")
WITNESS = CS.slack + THETA.slack * SQ_PHI + S**2 * FEATURES.slack


def _abs() -> Claim:
    return Claim(
        "abs",
        sp.Abs(REWARD),
        "<=",
        S * B,
        calc(
            (
                "<=",
                S * B,
                "r_a^2 <= ||theta*||^2 ||phi_a||^2 <= S^2 B^2, and sqrt is increasing",
                Monotone(sp.sqrt(v), v, REWARD**2, S**2 * B**2, gap_witness=WITNESS),
            )
        ),
        hypotheses=(CS, FEATURES, THETA),
    )


def _sides(absolute: Claim) -> tuple[Claim, Claim]:
    fact = citation(absolute, name="abs_all")
    hi = Claim(
        "hi",
        REWARD,
        "<=",
        S * B,
        calc(("<=", S * B, "r <= |r|", Algebra(fact.slack + sp.Abs(REWARD) - REWARD))),
        hypotheses=(CS, FEATURES, THETA, fact),
    )
    lo = Claim(
        "lo",
        REWARD,
        ">=",
        -S * B,
        calc((">=", -S * B, "-r <= |r|", Algebra(fact.slack + sp.Abs(REWARD) + REWARD))),
        hypotheses=(CS, FEATURES, THETA, fact),
    )
    return hi, lo


def _claims() -> tuple[Claim, ...]:
    absolute = _abs()
    return (absolute, *_sides(absolute))


LEMMA = CHAIN.register(
    Lemma(
        name="abs_inner_le_of_norm_le",
        statement="|<theta*, phi(x, a)>| <= S B for every action (Cauchy-Schwarz and the norm bounds)",
        source="derived here (Cauchy-Schwarz and the setting's norm bounds)",
        doc=__doc__,
        scope="every d (coordinates), every K (the generic action)",
        claims=_claims(),
    )
)
