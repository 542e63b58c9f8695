"""**Theorem (SGA with prompt sampling, sharp form: excess risk)**: under coverage, prompt-sampling SGA with a
constant step 0 < eta <= 1/(beta B^2) from w_0 = 0 satisfies E[J(w*) - J(w_T)] <= (B^2 S^2 / (2 beta)) rho^T,
rho = 1 - eta beta gamma e^{-4BS/beta}, in expectation over the algorithm's draws.

J(w*) - J(w) <= beta (B^2/2) ||w - w*||^2 on every path (KL gap and Bregman bound: claim ``excess_le`` of
:mod:`gap_le_dev_add_sq_dist_of_norm_le`), in expectation over the draws by :mod:`expect_le_of_le`, and E||w_T - w*||^2
<= rho^T S^2/beta^2 (claim ``all_t`` of :mod:`sga_prompt_last_dist_le_of_coverage`). Derived here (docs/setting.md,
section
4, sharp forms).
"""

import sympy as sp

from rlhfsym.chain import Derivation, citation
from rlhfsym.vocabulary import EXCESS, EXPECTATION_OVER_ALGORITHM, LAST, SGA_PROMPT
from rlhfsym.vocabulary.exercise import Control, Plan, rho_zero
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from . import expect_le_of_le as expectation
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import sga_prompt_last_dist_le_of_coverage as last_dist
from ._chain import CHAIN
from ._model import B, beta
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import RHO, T, t
from .sga_prompt_last_dist_le_of_coverage import ASSUMPTIONS, second

mean_excess = sp.Symbol("E_excess", nonnegative=True)
#: On every path: J(w*) - J(w_T) = E (the bridge's symbol) <= beta (B^2/2) D^2 with D = ||w_T - w*||.
KL_PATHWISE = citation(decomposition.LEMMA, "excess_le", name="kl_pathwise")
#: In expectation over the algorithm's draws: E[J(w*) - J(w_T)] <= beta (B^2/2) E||w_T - w*||^2 = beta (B^2/2) e(T).
KL = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: decomposition.E, expectation.c: beta * B**2 / 2, expectation.Y: decomposition.D**2,
     expectation.b: sp.S.Zero, expectation.EX: mean_excess, expectation.EY: second(T)},
    name="kl",
)
PROOF = (
    Derivation.of(mean_excess, (*ASSUMPTIONS, KL_PATHWISE, KL))
    .apply(KL, "KL gap and Bregman bound, in expectation")
    .cite(last_dist.LEMMA, "all_t", {t: T}, name="second_moment", why="E||w_T - w*||^2 <= rho^T S^2/beta^2")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_prompt_last_excess_le_of_coverage",
        statement="prompt-sampling SGA, eta <= 1/(beta B^2): E[J(w*) - J(w_T)] <= (B^2 S^2 / (2 beta)) rho^T",
        source="derived here (docs/setting.md, section 4, sharp forms)",
        doc=__doc__,
        scope="every d, K and n",
        constants={"rho": RHO},
        bound=BOUND,
        bounds=EXCESS,
        iterate=LAST,
        algorithm=SGA_PROMPT,
        holds=EXPECTATION_OVER_ALGORITHM,
        rate_n="n^0",
        rate_T="rho^T",
        form="sharp form",
        plan=Plan(WIDE, T=(1, 20), runs=6, perturbations=2, examples=250, cost=1.5, pinned=EQUALITY_CASES),
        control=Control("eta above 1/(beta B^2)", eta_factor=rho_zero, conditions=False),
        claims=(PROOF.claim("main"),),
    )
)
