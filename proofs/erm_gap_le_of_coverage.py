"""**Theorem 1 (empirical optimum)**: under feature coverage (gamma > 0), with probability at least 1 - delta over
the n training prompts, the empirical maximiser w_S of J_S satisfies
|J(w_S) - J_S(w_S)| <= 2 S B sqrt(log(2/delta) / (2 n)).

Proof. Coverage makes lambda = lambda_min(Sigma_S(w_S)) >= e^{-2B||w_S||} gamma > 0
(:mod:`cov_ge_exp_smul_cov_ref_of_norm_le`), and grad J_S(w_S) = 0 at a maximiser, so the error bound
(:mod:`dist_sq_le_of_coverage`, cited with gradient 0) gives beta lambda ||w_S - w*||^2 <= 0: w_S = w*.
For any w, J(w) - J_S(w) = [J(w*) - J_S(w*)] - beta E_D KL(pi_w || pi_{w*}) + beta E_S KL(pi_w || pi_{w*})
(:mod:`gap_eq_smul_kl_of_boltzmann_opt`), and the two KL terms lie in [0, (B^2/2) ||w - w*||^2]
(:mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`) with opposite signs (hypothesis ``decomposition``). At w* the
values j(w*; x_i) are i.i.d. in an interval of length at most 2 S B (:mod:`obj_opt_mem_icc_of_norm_le`), so by
Hoeffding's inequality |J(w*) - J_S(w*)| <= 2 S B sqrt(log(2/delta)/(2n)) with probability >= 1 - delta.
The rate is n^(-1/2), as published; the constant does not depend on gamma, which is needed only to make the
empirical maximiser unique. Source: paper, Theorem (empirical optimum), O(n^-1/2) (reconstructed: setting.md).
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import ERM, GAP, OPTIMUM, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan, duplicated
from rlhfsym.vocabulary.families import SMALL, TWO_LEVELS_ONLY
from rlhfsym.vocabulary.figures import N_GRID, Figure, PowerRate

from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, gap, with_deviation
from ._model import B, beta
from ._theorem import theorem
from .dist_sq_le_of_coverage import ASCENT, RAYLEIGH, D, G, inner, lam

gamma = symbol("gamma")
COVERAGE = Hypothesis(
    "coverage",
    sp.S.Zero,
    "<=",
    gamma,
    "feature coverage: gamma = lambda_min(Sigma_S(0)) > 0, so lambda >= e^{-2B||w_S||} gamma > 0 and the empirical"
    " maximiser is unique",
)
STATIONARY = Hypothesis("stationary", inner, "<=", sp.S.Zero, "grad J_S(w_S) = 0 at the empirical maximiser")
ERROR = Hypothesis(
    "error_bound", beta * lam * D**2, "<=", sp.S.Zero, by="dist_sq_le_of_coverage#main", instance={G: sp.S.Zero}
)
DECOMPOSITION = Hypothesis(
    "decomposition",
    gap,
    "<=",
    beta * B**2 / 2 * D**2 + dev,
    "|J(w) - J_S(w)| <= |J(w*) - J_S(w*)| + beta (B^2/2) ||w - w*||^2 (KL gap and Bregman bound, opposite signs)",
)
PROOF = with_deviation(
    Derivation.of(gap, (COVERAGE, RAYLEIGH, ASCENT, STATIONARY, ERROR, *CONCENTRATION))
    .apply(DECOMPOSITION, "decompose at w*")
    .bound(D**2, sp.S.Zero, ERROR.slack / (beta * lam), "w_S = w*: beta lambda D^2 <= 0")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_gap_le_of_coverage",
        statement="w.p. >= 1 - delta: |J(w_S) - J_S(w_S)| <= 2 S B sqrt(log(2/delta)/(2n)) for the empirical optimum",
        source="paper, Theorem (empirical optimum), O(n^-1/2) (reconstructed: setting.md, section 4, T1)",
        doc=__doc__,
        scope="every d and K; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        depends_on=(
            "dist_sq_le_of_coverage",
            "gap_eq_smul_kl_of_boltzmann_opt",
            "kl_le_half_sq_mul_dist_sq_of_norm_le",
            "obj_opt_mem_icc_of_norm_le",
            "cov_ge_exp_smul_cov_ref_of_norm_le",
        ),
        bound=BOUND,
        bounds=GAP,
        iterate=OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        plan=Plan(SMALL, perturbations=2, examples=500, cost=3.0, pinned=TWO_LEVELS_ONLY),
        control=Control("a duplicated sample counted as i.i.d. draws", claimed=duplicated(100)),
        figure=Figure(
            "erm_gap_vs_n.png", "n", N_GRID, 0,
            PowerRate("n^(-1/2)", -0.5),
            shows="the gap of the empirical optimum on 10 seeded samples per n, their mean, the bound and the rate "
            "n^(-1/2)",
        ),
        claims=(PROOF.claim("main"),),
    )
)
