"""**Theorem (Gradient Ascent, sharp form: distance)**: under coverage (gamma > 0), GA on J_S from w_0 = 0 with a
constant step 0 < eta <= 1/(beta B^2) satisfies, deterministically, ||w_T - w*|| <= rho^T S / beta with
rho = 1 - eta beta gamma exp(-4 B S / beta) in [0, 1).

Proof by two inductions on t. ||w_0 - w*|| = ||w*|| = ||theta*|| / beta <= S / beta, and every GA step is non-expansive
(claims ``opt_norm`` and ``nonexp`` of :mod:`ga_step_dist_le_of_coverage`), so ||w_t - w*|| <= S/beta at every t (claim
``ball``). Inside that ball, ||w_t|| <= 2S/beta = R, and one step contracts: ||w_{t+1} - w*|| <= rho ||w_t - w*|| (claim
``contract`` of :mod:`ga_step_dist_le_of_coverage`, through :mod:`ga_step_dist_sq_le_of_coverage` with that R), with rho
>= 0 (claim ``rho_nonneg`` of :mod:`ga_step_dist_sq_le_of_coverage`); so ||w_t - w*|| <= rho^t S/beta (claim ``all_t``).
This is beyond the paper (linear convergence of the last iterate), derived here. Source: docs/setting.md, section 4,
sharp
forms.
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Induction, calc, citation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import DETERMINISTIC, DISTANCE, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from . import ga_step_dist_le_of_coverage as step_lemma
from . import ga_step_dist_sq_le_of_coverage as one_step
from ._chain import CHAIN
from ._model import beta
from ._theorem import theorem
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE, R
from .ga_step_dist_sq_le_of_coverage import RHO as RHO_R

S, T = symbol("S"), symbol("T")
t = sp.Symbol("t", integer=True, nonnegative=True)
#: The training sample GA runs on: the distance is a function of the sample too, so that a lemma about two runs
#: (:mod:`ga_last_stable_of_coverage`) can cite this theorem at two samples.
sample = sp.Symbol("sample", real=True)  # a label of the sample (real, so that calculus rules admit it)
distance = sp.Function("d", nonnegative=True)


def dist(time: sp.Expr, on: sp.Expr = sample) -> sp.Expr:
    """d(t, sample) = ||w_t - w*|| for GA run on the training sample ``on``."""
    return distance(time, on)


RADIUS = 2 * S / beta
RHO = RHO_R.subs(R, RADIUS)
START_DIST = S / beta

#: ||w_0 - w*|| = ||w*|| (w_0 = 0) <= S/beta.
START = citation(step_lemma.LEMMA, "opt_norm", {step_lemma.N_opt: dist(0)}, name="start")
#: Every GA step is non-expansive (eta <= 1/(beta B^2)), at every t.
NONEXP = citation(
    step_lemma.LEMMA, "nonexp", {step_lemma.N: dist(t), step_lemma.N_next: dist(t + 1)}, name="nonexp", forall=(t,)
)
BALL = Claim(
    "ball",
    dist(t),
    "<=",
    START_DIST,
    calc(
        (
            "<=",
            START_DIST,
            "induction on t: d(0) <= S/beta and d never grows",
            Induction(t, NONEXP.slack + INDUCTION_HYPOTHESIS, base_witness=START.slack),
        )
    ),
    hypotheses=(ETA_LE, START, NONEXP),
)
IN_BALL = citation(BALL, name="in_ball", forall=(t,))
#: Inside the ball, one GA step contracts by rho, at every t.
STEP = citation(
    step_lemma.LEMMA, "contract", {step_lemma.N: dist(t), step_lemma.N_next: dist(t + 1)}, name="step", forall=(t,)
)
RHO_NONNEG = citation(one_step.LEMMA, "rho_nonneg", {R: RADIUS}, name="rho_nonneg")
ASSUMPTIONS = (ETA_LE, GAMMA_LE)
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
    hypotheses=(*ASSUMPTIONS, START, IN_BALL, STEP, RHO_NONNEG),
)
PROOF = Derivation.of(dist(T), ASSUMPTIONS).cite(ALL_T, instance={t: T}, why="all_t at t = T")
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_dist_le_of_coverage",
        statement="GA, eta <= 1/(beta B^2): ||w_T - w*|| <= rho^T S/beta, rho = 1 - eta beta gamma e^{-4BS/beta}",
        source="derived here (docs/setting.md, section 4, sharp forms)",
        doc=__doc__,
        scope="every d and K",
        constants={"rho": RHO},
        bound=BOUND,
        bounds=DISTANCE,
        iterate=LAST,
        algorithm=GA,
        holds=DETERMINISTIC,
        rate_n="n^0",
        rate_T="rho^T",
        form="sharp form",
        plan=Plan(WIDE, perturbations=3, examples=500, pinned=EQUALITY_CASES),
        control=Control("eta above 1/(beta B^2)", eta_factor=5 / 2, conditions=False),
        claims=(BALL, ALL_T, PROOF.claim("main")),
    )
)
