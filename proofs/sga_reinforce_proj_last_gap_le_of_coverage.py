"""**Theorem (projected REINFORCE SGA, last iterate: gap)**: under coverage, REINFORCE SGA projected onto
C = {||w|| <= S/beta} with eta_t = 1/(beta lambda_C (t + 1)), lambda_C = gamma e^{-2BS/beta}, from w_0 = 0 satisfies,
with probability >= 1 - delta over the sample and in expectation over the algorithm's draws, E|J(w_T) - J_S(w_T)| <=
18 B^6 S^2 e^{4BS/beta}/(beta gamma^2 (T + 2)) + 2 S B sqrt(log(2/delta)/(2n)): O(1/T + n^(-1/2)) for the last
iterate, with no ball assumption (compare :mod:`sga_reinforce_best_gap_le_of_coverage`: O(T^(-1/8) + n^(-1/2)) for the
best full-gradient iterate, conditional on the iterates staying in a ball).

On every path |J(w_T) - J_S(w_T)| <= |J(w*) - J_S(w*)| + beta (B^2/2) ||w_T - w*||^2
(:mod:`gap_le_dev_add_sq_dist_of_norm_le`, claim ``main``); the deviation at w* is fixed given the sample, so in
expectation over the draws (:mod:`expect_le_of_le`) E gap <= dev + beta (B^2/2) E||w_T - w*||^2, the second moment is
claim ``all_t`` of :mod:`sga_reinforce_proj_last_excess_le_of_coverage`, and Hoeffding's inequality at w* bounds dev
(:mod:`_concentration`). Derived here (docs/setting.md, section 4: the projected REINFORCE variant).
"""

import sympy as sp

from rlhfsym.chain import Derivation, citation
from rlhfsym.vocabulary import EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY, GAP, LAST, SGA_REINFORCE_PROJ
from rlhfsym.vocabulary.exercise import Control, Plan, shrunk
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY

from . import expect_le_of_le as expectation
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import sga_reinforce_proj_last_excess_le_of_coverage as last_excess
from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, gap, with_deviation
from ._model import B, beta
from ._theorem import theorem
from .sga_reinforce_proj_last_excess_le_of_coverage import ASSUMPTIONS, G_C, LAMBDA_C, SCHEDULE, T, m, second

mean_gap = sp.Symbol("E_gap", nonnegative=True)
#: On every path: |J(w) - J_S(w)| <= |J(w*) - J_S(w*)| + beta (B^2/2) D^2, D = ||w_T - w*||.
GAP_PATHWISE = citation(decomposition.LEMMA, "main", name="gap_pathwise")
MEAN = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: gap, expectation.c: beta * B**2 / 2, expectation.Y: decomposition.D**2, expectation.b: dev,
     expectation.EX: mean_gap, expectation.EY: second(T)},
    name="mean",
)  # fmt: skip
PROOF = with_deviation(
    Derivation.of(mean_gap, (*ASSUMPTIONS, GAP_PATHWISE, MEAN, *CONCENTRATION))
    .apply(MEAN, "decompose at w*, in expectation over the draws (dev is fixed given the sample)")
    .cite(last_excess.LEMMA, "all_t", {m: T}, name="second_moment",
          why="E||w_T - w*||^2 <= G_C^2/(beta^2 lambda_C^2 (T + 2))")
)  # fmt: skip
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_reinforce_proj_last_gap_le_of_coverage",
        statement="projected REINFORCE SGA on ||w|| <= S/beta, eta_t = 1/(beta lambda_C (t+1)), w.p. >= 1 - delta:"
        " E|J(w_T) - J_S(w_T)| <= 18 B^6 S^2 e^{4BS/beta}/(beta gamma^2 (T + 2)) + 2 S B sqrt(log(2/delta)/(2n))",
        source="derived here (docs/setting.md, section 4: the projected REINFORCE variant)",
        doc=__doc__,
        scope="every d, K and n; no ball assumption; the probability step is Hoeffding's inequality at w*",
        constants={"lambda_C": LAMBDA_C, "G_C": G_C, "eta_t": SCHEDULE},
        bound=BOUND,
        bounds=GAP,
        iterate=LAST,
        algorithm=SGA_REINFORCE_PROJ,
        holds=EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T="T^(-1)",
        form="sharp form",
        step="eta_t = 1/(beta lambda_C (t + 1))",
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=50, cost=3.0, pinned=TWO_LEVELS_ONLY),
        control=Control("theta above its norm bound S (S claimed 1000 times too small)", claimed=shrunk("S", 0.001)),
        claims=(PROOF.claim("main"),),
    )
)
