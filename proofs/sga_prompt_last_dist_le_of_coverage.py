"""**Theorem (SGA with prompt sampling, sharp form: distance)**: under coverage, SGA that steps along the exact
gradient of one uniformly drawn training prompt, with a constant step 0 < eta <= 1/(beta B^2) from w_0 = 0,
satisfies E||w_T - w*|| <= rho^(T/2) S / beta with rho = 1 - eta beta gamma e^{-4BS/beta}, in expectation over the
algorithm's draws (for every training sample).

By induction (claim ``all_t``) on e(t) = E||w_t - w*||^2: e(0) = S^2/beta^2 and e(t+1) <= rho e(t) by the tower
property and :mod:`sga_step_dist_sq_le_of_coverage` with R = 2S/beta (the iterates stay in that ball pathwise);
then E||w_T - w*|| <= sqrt(e(T)) (Jensen). Derived here (setting.md, section 4: SGA prompt-sampling last iterate).
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Hypothesis, Induction, calc
from rlhfsym.vocabulary import DISTANCE, EXPECTATION_OVER_ALGORITHM, LAST, SGA_PROMPT
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from ._chain import CHAIN
from ._model import beta
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import RADIUS, RHO, RHO_NONNEG, S, T, t
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE

second = sp.Function("e", nonnegative=True)  # e(t) = E ||w_t - w*||^2
mean_dist = sp.Symbol("Ed", nonnegative=True)  # E ||w_T - w*||
START = Hypothesis("start", second(0), "<=", S**2 / beta**2, "w_0 = 0: ||w_0 - w*||^2 = S^2 / beta^2")
STEP = Hypothesis(
    "step",
    second(t + 1),
    "<=",
    RHO * second(t),
    "tower property and sga_step_dist_sq_le_of_coverage with R = 2S/beta (pathwise ball)",
    forall=(t,),
)
JENSEN = Hypothesis("jensen", mean_dist, "<=", sp.sqrt(second(T)), "Jensen: E||w_T - w*|| <= sqrt(E||w_T - w*||^2)")
ASSUMPTIONS = (START, STEP, ETA_LE, GAMMA_LE)
ALL_T = Claim(
    "all_t",
    second(t),
    "<=",
    RHO**t * S**2 / beta**2,
    calc(
        (
            "<=",
            RHO**t * S**2 / beta**2,
            "induction on t",
            Induction(t, STEP.slack + RHO_NONNEG.slack * INDUCTION_HYPOTHESIS, base_witness=START.slack),
        )
    ),
    hypotheses=(*ASSUMPTIONS, RHO_NONNEG),
)
PROOF = (
    Derivation.of(mean_dist, (*ASSUMPTIONS, JENSEN))
    .apply(JENSEN, "Jensen")
    .cite(ALL_T, instance={t: T}, why="sqrt is increasing and e(T) <= rho^T S^2/beta^2")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_prompt_last_dist_le_of_coverage",
        statement="prompt-sampling SGA, eta <= 1/(beta B^2): E||w_T - w*|| <= rho^(T/2) S/beta",
        source="derived here (setting.md, section 4, sharp forms)",
        doc=__doc__,
        scope="every d, K and n",
        depends_on=("sga_step_dist_sq_le_of_coverage", "ga_step_dist_sq_le_of_coverage"),
        constants={"rho": RHO, "radius": RADIUS},
        bound=BOUND,
        bounds=DISTANCE,
        iterate=LAST,
        algorithm=SGA_PROMPT,
        holds=EXPECTATION_OVER_ALGORITHM,
        rate_n="n^0",
        rate_T="rho^(T/2)",
        form="sharp form",
        plan=Plan(WIDE, T=(1, 20), runs=6, perturbations=2, examples=300, cost=2.0, pinned=EQUALITY_CASES),
        control=Control("eta above 1/(beta B^2)", eta_factor=5 / 2, conditions=False),
        claims=(ALL_T, PROOF.claim("main")),
    )
)
