"""**Theorem (SGA with prompt sampling, sharp form: distance)**: under coverage, SGA that steps along the exact
gradient of one uniformly drawn training prompt, with a constant step 0 < eta <= 1/(beta B^2) from w_0 = 0,
satisfies E||w_T - w*|| <= rho^(T/2) S / beta with rho = 1 - eta beta gamma e^{-4BS/beta}, in expectation over the
algorithm's draws (for every training sample).

On every path of the algorithm, ||w_0 - w*|| = ||w*|| <= S/beta and every prompt step is non-expansive
(:mod:`ga_step_dist_le_of_coverage` claim ``opt_norm``, :mod:`sga_step_cond_le_of_coverage` claim ``prompt_nonexp``), so
the iterates stay in ||w_t - w*|| <= S/beta (claim ``path_ball``, induction along the path), where the conditional bound
E_i[||w_{t+1} - w*||^2 | w_t] <= rho ||w_t - w*||^2 holds (claim ``cond`` of :mod:`sga_step_cond_le_of_coverage`). By
the tower property (:mod:`tower_le_of_cond_le`, applied to Z_{t+1} + kappa Z_t with kappa = 1 - rho), e(t) = E||w_t -
w*||^2 satisfies e(t+1) <= rho e(t), and e(0) <= S^2/beta^2 (:mod:`expect_le_of_le` of the deterministic start); by
induction (claim ``all_t``) e(t) <= rho^t S^2/beta^2, and E||w_T - w*|| <= sqrt(e(T)) (Jensen,
:mod:`mean_rpow_le_rpow_mean`). Derived here (docs/setting.md, section 4: SGA prompt-sampling last iterate).
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Induction, calc, citation
from rlhfsym.vocabulary import DISTANCE, EXPECTATION_OVER_ALGORITHM, LAST, SGA_PROMPT
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as step_lemma
from . import mean_rpow_le_rpow_mean as jensen
from . import sga_step_cond_le_of_coverage as cond_lemma
from . import tower_le_of_cond_le as tower
from ._chain import CHAIN
from ._model import beta
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import RADIUS, RHO, RHO_NONNEG, S, T, t
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE

second = sp.Function("e", nonnegative=True)  # e(t) = E ||w_t - w*||^2
mean_dist = sp.Symbol("Ed", nonnegative=True)  # E ||w_T - w*||
path = sp.Function("d", nonnegative=True)  # d(t) = ||w_t - w*|| on one path of the algorithm
conditional = sp.Function("c_next", nonnegative=True)  # E_i[||w_{t+1} - w*||^2 | w_t] on that path
KAPPA = 1 - RHO  # eta beta gamma e^{-4BS/beta}: rho = 1 - kappa

#: On every path: d(0) = ||w*|| <= S/beta (w_0 = 0), and each prompt step is non-expansive.
PATH_START = citation(step_lemma.LEMMA, "opt_norm", {step_lemma.N_opt: path(0)}, name="path_start")
PATH_NONEXP = citation(
    cond_lemma.LEMMA, "prompt_nonexp", {step_lemma.N: path(t), cond_lemma.N_i: path(t + 1)}, name="path_nonexp",
    forall=(t,),
)
PATH_BALL = Claim(
    "path_ball",
    path(t),
    "<=",
    S / beta,
    calc(
        (
            "<=",
            S / beta,
            "induction on t along the path: d(0) <= S/beta and d never grows",
            Induction(t, PATH_NONEXP.slack + INDUCTION_HYPOTHESIS, base_witness=PATH_START.slack),
        )
    ),
    hypotheses=(ETA_LE, PATH_START, PATH_NONEXP),
)
IN_BALL = citation(PATH_BALL, name="in_ball", forall=(t,))
#: Given w_t (inside the ball on every path): E_i ||w_{t+1} - w*||^2 <= rho ||w_t - w*||^2.
CONDITIONAL = citation(
    cond_lemma.LEMMA, "cond", {step_lemma.N: path(t), cond_lemma.sga_step.following: conditional(t)},
    name="conditional", forall=(t,),
)
#: Tower property for Z_{t+1} + kappa Z_t (Z_t = ||w_t - w*||^2 is known at time t, so its conditional expectation is
#: c_next(t) + kappa d(t)^2 <= d(t)^2): e(t+1) + kappa e(t) <= e(t), i.e. e(t+1) <= rho e(t).
STEP = citation(
    tower.LEMMA,
    "main",
    {tower.C: conditional(t) + KAPPA * path(t) ** 2, tower.Z: path(t) ** 2, tower.rho: sp.S.One,
     tower.e_next: second(t + 1) + KAPPA * second(t), tower.e: second(t)},
    name="step",
    forall=(t,),
)
PATH_START_SQ = citation(step_lemma.LEMMA, "opt_norm_sq", {step_lemma.N_opt: path(0)}, name="path_start_sq")
#: e(0) = E ||w_0 - w*||^2 <= S^2/beta^2 (the start is the same on every path).
START = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: path(0) ** 2, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: S**2 / beta**2,
     expectation.EX: second(0), expectation.EY: sp.S.Zero},
    name="start",
)
#: Jensen for the concave square root: E||w_T - w*|| = E[Y^(1/2)] <= (E Y)^(1/2) with Y = ||w_T - w*||^2.
JENSEN = citation(
    jensen.LEMMA, "main", {jensen.m_p: mean_dist, jensen.m_1: second(T), jensen.p: sp.Rational(1, 2)}, name="jensen"
)
ASSUMPTIONS = (ETA_LE, GAMMA_LE)
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
    hypotheses=(*ASSUMPTIONS, IN_BALL, CONDITIONAL, STEP, PATH_START_SQ, START, RHO_NONNEG),
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
        source="derived here (docs/setting.md, section 4, sharp forms)",
        doc=__doc__,
        scope="every d, K and n",
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
        claims=(PATH_BALL, ALL_T, PROOF.claim("main")),
    )
)
