"""**KL-gap identity**: j(w*; x) - j(w; x) = beta KL(pi_w(.|x) || pi_{w*}(.|x)) >= 0, where w* = theta*/beta.

So the Boltzmann optimum pi_{w*} maximises j(.; x) at every prompt, and the excess objective of any w is beta
times a KL divergence. The identity is proved for K = 2, 3, 4 with symbolic scores s_a = <w, phi_a>, rewards
r_a = <theta*, phi_a> (so w* has scores r_a / beta), reference weights and beta, hence for every d. The sign is
Gibbs' inequality, proved from log y <= y - 1 (:mod:`log_le_sub_one`) with y = pi_{w*}(a) / pi_w(a).
Source: paper, section 3 (reconstructed in setting.md, section 2).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc

from ._chain import CHAIN
from ._model import KS, beta, boltzmann, kl, objective, reals, reference
from .log_le_sub_one import y


def _parts(K: int):
    ref, s, r = reference(K), reals("s", K), reals("r", K)
    optimum = [ra / beta for ra in r]
    return ref, s, r, optimum, boltzmann(ref, s), boltzmann(ref, optimum)


def identity_claim(K: int) -> Claim:
    ref, s, r, optimum, pi, pi_opt = _parts(K)
    gap = objective(ref, optimum, r) - objective(ref, s, r)
    return Claim(
        f"K{K}",
        gap,
        "==",
        beta * kl(pi, pi_opt),
        calc(("==", beta * kl(pi, pi_opt), "log(pi_w/pi_ref) = s - log Z_w and r = beta s*: collect the terms")),
    )


def nonneg_claim(K: int) -> Claim:
    _, _, _, _, pi, pi_opt = _parts(K)
    gibbs = tuple(
        Hypothesis(
            f"gibbs{a + 1}",
            sp.log(pi_opt[a] / pi[a]),
            "<=",
            pi_opt[a] / pi[a] - 1,
            by="log_le_sub_one#main",
            instance={y: pi_opt[a] / pi[a]},
        )
        for a in range(K)
    )
    witness = beta * sum((pi[a] * h.slack for a, h in enumerate(gibbs)), sp.S.Zero)
    return Claim(
        f"nonneg_K{K}",
        beta * kl(pi, pi_opt),
        ">=",
        sp.S.Zero,
        calc((">=", sp.S.Zero, "Gibbs: sum_a pi_a (y_a - 1 - log y_a) = KL, each term >= 0", Algebra(witness))),
        hypotheses=gibbs,
    )


LEMMA = CHAIN.register(
    Lemma(
        name="gap_eq_smul_kl_of_boltzmann_opt",
        statement="j(w*; x) - j(w; x) = beta KL(pi_w(.|x) || pi_{w*}(.|x)) >= 0 with w* = theta*/beta",
        source="paper, section 3 (reconstructed: setting.md, section 2)",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric for K = 6, d = 5",
        depends_on=("log_le_sub_one",),
        claims=(*(identity_claim(K) for K in KS), *(nonneg_claim(K) for K in KS)),
    )
)
