"""**Theorem (Gradient Ascent, sharp form: distance)**: under coverage (gamma > 0), GA on J_S from w_0 = 0 with a
constant step 0 < eta <= 1/(beta B^2) satisfies, deterministically, ||w_T - w*|| <= rho^T S / beta with
rho = 1 - eta beta gamma exp(-4 B S / beta) in [0, 1).

Proof by induction on t (claim ``all_t``): ||w_0 - w*|| = ||theta*|| / beta = S / beta; if ||w_t - w*|| <=
rho^t S/beta <= S/beta then ||w_t|| <= 2S/beta = R, so :mod:`ga_step_dist_sq_le_of_coverage` with that R gives
||w_{t+1} - w*|| <= rho ||w_t - w*|| (hypothesis ``step``, which holds at every t under the induction), and
rho >= 0 is cited from the same lemma. This is beyond the paper (linear convergence of the last iterate), derived
here. Source: setting.md, section 4, sharp forms.
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Hypothesis, Induction, calc
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import DETERMINISTIC, DISTANCE, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from ._chain import CHAIN
from ._model import beta
from ._theorem import theorem
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE, R
from .ga_step_dist_sq_le_of_coverage import RHO as RHO_R

S, T = symbol("S"), symbol("T")
t = sp.Symbol("t", integer=True, nonnegative=True)
dist = sp.Function("d", nonnegative=True)  # d(t) = ||w_t - w*||
RADIUS = 2 * S / beta
RHO = RHO_R.subs(R, RADIUS)
START_DIST = S / beta

START = Hypothesis("start", dist(0), "<=", START_DIST, "w_0 = 0, so ||w_0 - w*|| = ||theta*|| / beta = S / beta")
STEP = Hypothesis(
    "step",
    dist(t + 1),
    "<=",
    RHO * dist(t),
    "one GA step contracts by rho while ||w_t|| <= 2S/beta (ga_step_dist_sq_le_of_coverage, R = 2S/beta),"
    " which the induction maintains",
    forall=(t,),
)
RHO_NONNEG = Hypothesis(
    "rho_nonneg", sp.S.Zero, "<=", RHO, by="ga_step_dist_sq_le_of_coverage#rho_nonneg", instance={R: RADIUS}
)
ASSUMPTIONS = (START, STEP, ETA_LE, GAMMA_LE)
ALL_T = Claim(
    "all_t",
    dist(t),
    "<=",
    RHO**t * START_DIST,
    calc(
        (
            "<=",
            RHO**t * START_DIST,
            "induction on t",
            Induction(t, STEP.slack + RHO_NONNEG.slack * INDUCTION_HYPOTHESIS, base_witness=START.slack),
        )
    ),
    hypotheses=(*ASSUMPTIONS, RHO_NONNEG),
)
PROOF = Derivation.of(dist(T), ASSUMPTIONS).cite(ALL_T, instance={t: T}, why="all_t at t = T")
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_dist_le_of_coverage",
        statement="GA, eta <= 1/(beta B^2): ||w_T - w*|| <= rho^T S/beta, rho = 1 - eta beta gamma e^{-4BS/beta}",
        source="derived here (setting.md, section 4, sharp forms)",
        doc=__doc__,
        scope="every d and K",
        depends_on=("ga_step_dist_sq_le_of_coverage",),
        constants={"rho": RHO},
        bound=BOUND,
        bounds=DISTANCE,
        iterate=LAST,
        algorithm=GA,
        holds=DETERMINISTIC,
        rate_n="n^0",
        rate_T="rho^T",
        form="sharp form",
        plan=Plan(WIDE, perturbations=3, examples=1000, pinned=EQUALITY_CASES),
        control=Control("eta above 1/(beta B^2)", eta_factor=5 / 2, conditions=False),
        claims=(ALL_T, PROOF.claim("main")),
    )
)
