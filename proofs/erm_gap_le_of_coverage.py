"""**Theorem 1 (empirical optimum)**: under feature coverage (gamma > 0), with probability at least 1 - delta over the n
training prompts, the empirical maximiser w_S of J_S satisfies |J(w_S) - J_S(w_S)| <= 2 S B sqrt(log(2/delta) / (2 n)).

Proof. Coverage makes lambda = lambda_min(Sigma_S(w_S)) >= e^{-2B||w_S||} gamma > 0 (the coverage transfer of
:mod:`min_eig_ge_exp_smul_coverage_of_norm_le`, cited at the maximiser's own norm R = ||w_S||, so it rests on the
definition of gamma), and grad J_S(w_S) = 0 at a maximiser (:mod:`grad_eq_zero_of_max`), so the error bound
(:mod:`dist_sq_le_of_coverage`, claim ``inner_ge``) gives beta gamma e^{-2B||w_S||} ||w_S - w*||^2 <= beta lambda ||w_S
- w*||^2 <= <grad J_S(w_S), w* - w_S> = 0: w_S = w*. For any w, |J(w) - J_S(w)| <= |J(w*) - J_S(w*)| + beta (B^2/2) ||w
- w*||^2 (:mod:`gap_le_dev_add_sq_dist_of_norm_le`: the KL gap identity :mod:`gap_eq_smul_kl_of_boltzmann_opt` and the
Bregman bound :mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`, with opposite signs in J and J_S). At w* the values j(w*;
x_i) are i.i.d. in an interval of length at most 2 S B (:mod:`obj_opt_mem_icc_of_norm_le`), so by Hoeffding's inequality
|J(w*) - J_S(w*)| <= 2 S B sqrt(log(2/delta)/(2n)) with probability >= 1 - delta (:mod:`_concentration`). The rate is
n^(-1/2), as published; the constant does not depend on gamma, which is needed only to make the empirical maximiser
unique. Source: paper, Theorem (empirical optimum), O(n^-1/2) (reconstructed: docs/setting.md).
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis, citation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import ERM, GAP, OPTIMUM, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan, duplicated
from rlhfsym.vocabulary.families import SMALL, TWO_LEVELS_ONLY
from rlhfsym.vocabulary.figures import N_GRID, Figure, PowerRate

from . import dist_sq_le_of_coverage as error_bound
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import grad_eq_zero_of_max as stationarity
from . import min_eig_ge_exp_smul_coverage_of_norm_le as transfer
from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import gap, with_deviation
from ._model import beta
from ._theorem import theorem
from .dist_sq_le_of_coverage import D, inner

gamma = symbol("gamma")
COVERAGE = Hypothesis(
    "coverage",
    sp.S.Zero,
    "<=",
    gamma,
    "feature coverage: gamma = lambda_min(Sigma_S(0)) > 0, so lambda >= e^{-2B||w_S||} gamma > 0 and the empirical"
    " maximiser is unique",
    kind="parameter",
)
STATIONARY = citation(stationarity.LEMMA, "main", {stationarity.inner: inner}, name="stationary")
ERROR = citation(error_bound.LEMMA, "inner_ge", name="error_bound")
#: ||w_S||: the coverage transfer holds at the maximiser's own norm, whatever it is.
W_S = sp.Symbol("W_S", nonnegative=True)
#: lambda = lambda_min(Sigma_S(w_S)) >= gamma e^{-2B||w_S||} > 0 (coverage transfer at R = ||w_S||).
TRANSFER = citation(transfer.LEMMA, "main", {transfer.W: W_S, transfer.R: W_S}, name="transfer")
FLOOR = TRANSFER.lhs  # gamma e^{-2B||w_S||}
DECOMPOSITION = citation(decomposition.LEMMA, "main", {decomposition.D: D}, name="decomposition")
PROOF = with_deviation(
    Derivation.of(gap, (COVERAGE, STATIONARY, ERROR, TRANSFER, *CONCENTRATION))
    .apply(DECOMPOSITION, "decompose at w*")
    .bound(D**2, sp.S.Zero, (ERROR.slack + STATIONARY.slack + beta * D**2 * TRANSFER.slack) / (beta * FLOOR),
           "w_S = w*: beta gamma e^{-2B||w_S||} D^2 <= beta lambda D^2 <= <grad J_S(w_S), w* - w_S> = 0")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_gap_le_of_coverage",
        statement="w.p. >= 1 - delta: |J(w_S) - J_S(w_S)| <= 2 S B sqrt(log(2/delta)/(2n)) for the empirical optimum",
        source="paper, Theorem (empirical optimum), O(n^-1/2) (reconstructed: docs/setting.md, section 4, T1)",
        doc=__doc__,
        scope="every d and K; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        bound=BOUND,
        bounds=GAP,
        iterate=OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        plan=Plan(SMALL, perturbations=2, examples=300, cost=3.0, pinned=TWO_LEVELS_ONLY),
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
