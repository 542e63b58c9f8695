"""**Theorem (partial coverage)**: without coverage (gamma = 0, e.g. d > n(K - 1)), let U_S = range(Sigma_S(0)) and
w_U = P_U w* the minimum-norm empirical maximiser (the limit of GA from w_0 = 0). With probability at least
1 - delta over the sample,
|J(w_U) - J_S(w_U)| <= (beta B^2 / 2) residual^2 + 2 S B sqrt(log(2/delta) / (2n)),  residual = ||P_perp w*||.

The training prompts see w only through its component in U_S (the centred features of the sample span U_S, and
the policy on a prompt depends on w through score differences), so J_S(w_U) = J_S(w*) = max J_S and
|J(w_U) - J_S(w_U)| <= |J(w*) - J_S(w*)| + (J(w*) - J(w_U)) (hypothesis ``decomposition``). The excess is
beta E_D KL(pi_{w_U} || pi_{w*}) <= beta (B^2/2) ||w* - w_U||^2 (:mod:`gap_eq_smul_kl_of_boltzmann_opt`,
:mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`), and Hoeffding bounds the deviation at w*. The residual term does not
shrink with n: only the covered part generalizes at n^(-1/2). Under coverage the residual is 0 and the bound is
that of :mod:`erm_gap_le_of_coverage`. Source: setting.md, section 3 (partial coverage; this residual form,
||P_perp w*||^2 weighted by B^2, is derived here and is coarser than the covariance-weighted residual).
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import ERM, GAP, MIN_NORM_OPTIMUM, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, shrunk
from rlhfsym.vocabulary.families import PARTIAL_SMALL, SMALL, TWO_LEVELS_ONLY

from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, gap, with_deviation
from ._model import B, beta
from ._theorem import theorem

residual = symbol("residual")
excess = sp.Symbol("excess", nonnegative=True)
DECOMPOSITION = Hypothesis(
    "decomposition",
    gap,
    "<=",
    excess + dev,
    "J_S(w_U) = J_S(w*): |J(w_U) - J_S(w_U)| <= (J(w*) - J(w_U)) + |J(w*) - J_S(w*)|",
)
KL = Hypothesis(
    "kl",
    excess,
    "<=",
    beta * B**2 / 2 * residual**2,
    "J(w*) - J(w_U) = beta E_D KL(pi_{w_U} || pi_{w*}) <= beta (B^2/2) ||w* - w_U||^2",
)
PROOF = with_deviation(
    Derivation.of(gap, (DECOMPOSITION, KL, *CONCENTRATION))
    .apply(DECOMPOSITION, "decompose at w*")
    .apply(KL, "KL gap and Bregman bound at distance ||P_perp w*||")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_min_norm_gap_le_of_partial_coverage",
        statement="no coverage, w.p. >= 1 - delta: |J(w_U) - J_S(w_U)| <= (beta B^2/2) residual^2 + Hoeffding term",
        source="setting.md, section 3 (partial coverage), derived here",
        doc=__doc__,
        scope="every d, K and n; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        depends_on=(
            "gap_eq_smul_kl_of_boltzmann_opt",
            "kl_le_half_sq_mul_dist_sq_of_norm_le",
            "erm_gap_le_of_coverage",
            "obj_opt_mem_icc_of_norm_le",
        ),
        bound=BOUND,
        bounds=GAP,
        iterate=MIN_NORM_OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        plan=Plan((*SMALL, PARTIAL_SMALL), perturbations=2, examples=500, cost=3.0, pinned=TWO_LEVELS_ONLY),
        control=Control("features above the norm bound B", claimed=shrunk("B", 0.1)),
        shape=Shape(uncovered=True),
        claims=(PROOF.claim("main"),),
    )
)
