"""**Theorem (SGA with prompt sampling and the paper's step, last iterate: gap)**: under coverage, prompt-sampling SGA
with eta_t = 1/(2L sqrt t), L = 6 B^3 S + beta B^2, from w_0 = 0 satisfies, with probability >= 1 - delta over the
sample and in expectation over the algorithm's draws, E|J(w_T) - J_S(w_T)| <= (B^2 S^2/(2 beta)) e^{-2c(sqrt(T+1) - 1)}
+ 2 S B sqrt(log(2/delta)/(2n)), c = beta gamma e^{-4BS/beta}/(2L): O(e^{-c' sqrt T} + n^(-1/2)) for the last
iterate, against O(T^(-1/8) + n^(-1/2)) for the best full-gradient iterate of the paper's statement
(:mod:`sga_prompt_best_gap_le_of_coverage`).

On every path |J(w_T) - J_S(w_T)| <= |J(w*) - J_S(w*)| + beta (B^2/2) ||w_T - w*||^2
(:mod:`gap_le_dev_add_sq_dist_of_norm_le`, claim ``main``); the deviation at w* is fixed given the sample, so in
expectation over the draws (:mod:`expect_le_of_le`) E gap <= dev + beta (B^2/2) E||w_T - w*||^2, the second moment is
claim ``all_t`` of :mod:`sga_prompt_paper_step_last_excess_le_of_coverage`, and Hoeffding's inequality at w* bounds dev
(:mod:`_concentration`). Derived here (docs/setting.md, section 4: the paper's SGA step, read at the last iterate).
"""

import sympy as sp

from rlhfsym.chain import Derivation, citation
from rlhfsym.vocabulary import EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY, GAP, LAST, SGA_PROMPT
from rlhfsym.vocabulary.exercise import Control, Plan, duplicated
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY

from . import expect_le_of_le as expectation
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import sga_prompt_paper_step_last_excess_le_of_coverage as last_excess
from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, gap, with_deviation
from ._model import B, beta
from ._theorem import theorem
from .sga_prompt_paper_step_last_excess_le_of_coverage import ASSUMPTIONS, RATE, L, T, m, second, step

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
          why="E||w_T - w*||^2 <= e^{-2c(sqrt(T+1) - 1)} S^2/beta^2")
)  # fmt: skip
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_prompt_paper_step_last_gap_le_of_coverage",
        statement="prompt-sampling SGA, eta_t = 1/(2L sqrt t), w.p. >= 1 - delta: E|J(w_T) - J_S(w_T)| <="
        " (B^2 S^2/(2 beta)) e^{-2c(sqrt(T+1) - 1)} + 2 S B sqrt(log(2/delta)/(2n))",
        source="derived here (docs/setting.md, section 4: the paper's SGA step, last iterate)",
        doc=__doc__,
        scope="every d, K and n; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        constants={"L": L, "c": RATE, "eta_t": 1 / (2 * L * sp.sqrt(step))},
        bound=BOUND,
        bounds=GAP,
        iterate=LAST,
        algorithm=SGA_PROMPT,
        holds=EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T="exp(-c*T^(1/2))",
        form="sharp form",
        step="eta_t = 1/(2 L sqrt t)",
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=150, cost=2.0, pinned=TWO_LEVELS_ONLY),
        control=Control("the sample is one prompt repeated, not n i.i.d. draws", claimed=duplicated(1000)),
        claims=(PROOF.claim("main"),),
    )
)
