"""**Theorem (SGA with prompt sampling and the paper's step, last iterate: excess)**: under coverage, prompt-sampling
SGA with the paper's step eta_t = 1/(2L sqrt t), L = 6 B^3 S + beta B^2, from w_0 = 0 satisfies, in expectation over
the algorithm's draws (for every training sample), E||w_T - w*||^2 <= e^{-2c (sqrt(T+1) - 1)} S^2/beta^2 and
E[J(w*) - J(w_T)] <= (B^2 S^2/(2 beta)) e^{-2c (sqrt(T+1) - 1)}, with c = beta gamma e^{-4BS/beta}/(2L): a stretched
exponential rate e^{-c' sqrt T} for the last iterate, where the paper's statement for this step is the best-gradient
iterate at T^(-1/8) (:mod:`sga_prompt_best_gap_le_of_coverage`).

Proof. The step w_m -> w_{m+1} uses eta_{m+1} = 1/(2L sqrt(m+1)) <= 1/(2L) <= 1/(beta B^2) (claim ``step_size``), so
every prompt step is non-expansive (:mod:`sga_step_cond_le_of_coverage`, claim ``prompt_nonexp``) and, from ||w_0 - w*||
= ||w*|| <= S/beta (:mod:`ga_step_dist_le_of_coverage`, claim ``opt_norm``), every iterate stays in ||w_m - w*|| <=
S/beta (claim ``path_ball``). There the conditional contraction E_i[||w_{m+1} - w*||^2 | w_m] <= (1 - k_m) ||w_m -
w*||^2 holds with k_m = eta_{m+1} beta gamma e^{-4BS/beta} = c/sqrt(m+1) (claim ``cond`` of
:mod:`sga_step_cond_le_of_coverage` at eta = eta_{m+1}), and the tower property (:mod:`tower_le_of_cond_le`) gives
e(m+1) <= (1 - k_m) e(m) for e(m) = E||w_m - w*||^2, with 1 - k_m >= 0 (:mod:`ga_step_dist_sq_le_of_coverage`, claim
``rho_nonneg``). Then 1 - k <= e^{-k} (:mod:`log_le_sub_one` at y = e^{-k}) and k_m >= 2c (sqrt(m+2) - sqrt(m+1))
(claim ``decay``: the difference is c/(sqrt(m+1) (sqrt(m+1) + sqrt(m+2))^2) >= 0, and exp is monotone), so by
induction e(m) <= e^{-2c (sqrt(m+1) - 1)} S^2/beta^2 (claim ``all_t``; at m = 0, e(0) <= S^2/beta^2 by
:mod:`expect_le_of_le` of the deterministic start). The excess follows as in
:mod:`sga_prompt_last_excess_le_of_coverage`: J(w*) - J(w_T) <= beta (B^2/2) ||w_T - w*||^2 on every path
(:mod:`gap_le_dev_add_sq_dist_of_norm_le`, claim ``excess_le``), in expectation by :mod:`expect_le_of_le`.
Derived here (docs/setting.md, section 4: the paper's SGA step, read at the last iterate).
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Induction, Monotone, calc, citation
from rlhfsym.vocabulary import EXCESS, EXPECTATION_OVER_ALGORITHM, LAST, SGA_PROMPT
from rlhfsym.vocabulary.exercise import Control, Plan, shrunk
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY
from rlhfsym.vocabulary.figures import Figure, StretchedRate

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as step_lemma
from . import ga_step_dist_sq_le_of_coverage as one_step
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import log_le_sub_one as log_bound
from . import sga_step_cond_le_of_coverage as cond_lemma
from . import tower_le_of_cond_le as tower
from ._chain import CHAIN
from ._model import B, beta
from ._theorem import theorem
from .ga_best_gap_le_of_coverage import L, S, T, gamma
from .ga_step_dist_le_of_coverage import RADIUS
from .ga_step_dist_sq_le_of_coverage import GAMMA_LE, eta
from .sga_prompt_noise_sum_le_of_coverage import step

m = sp.Symbol("m", integer=True, nonnegative=True)  # an iteration: w_m
path = sp.Function("d_sgap", nonnegative=True)  # ||w_m - w*|| on one path of the algorithm
conditional = sp.Function("c_sgap", nonnegative=True)  # E_i[||w_{m+1} - w*||^2 | w_m] on that path
second = sp.Function("e_sgap", nonnegative=True)  # e(m) = E||w_m - w*||^2
mean_excess = sp.Symbol("E_excess", nonnegative=True)
_v, _u = sp.Symbol("v", positive=True), sp.Symbol("u", real=True)

NEXT_STEP = 1 / (2 * L * sp.sqrt(m + 1))  # eta_{m+1}, the step from w_m to w_{m+1}
#: c = beta gamma e^{-4BS/beta} / (2L): k_m = eta_{m+1} beta gamma e^{-4BS/beta} = c / sqrt(m+1).
RATE = beta * gamma * sp.exp(-4 * B * S / beta) / (2 * L)
AT_STEP = {eta: NEXT_STEP, one_step.R: RADIUS}
KAPPA = 1 - one_step.RHO.xreplace(AT_STEP)  # k_m
EXPONENT = 2 * RATE * (sp.sqrt(m + 1) - 1)  # the exponent of the target at m
TARGET = sp.Lambda(m, sp.exp(-EXPONENT) * S**2 / beta**2)

STEP_SIZE = Claim(
    "step_size",
    NEXT_STEP,
    "<=",
    1 / (beta * B**2),
    calc(
        ("<=", 1 / (2 * L), "eta_t = 1/(2L sqrt t) decreases in t >= 1",
         Monotone(-1 / (2 * L * sp.sqrt(_v)), _v, sp.S.One, m + 1)),
        ("<=", 1 / (beta * B**2), "2L = 12 B^3 S + 2 beta B^2 >= beta B^2"),
    ),
)  # fmt: skip
_STEP_SIZE_ALL = citation(STEP_SIZE, name="step_size_all", forall=(m,))
_PATH_START = citation(step_lemma.LEMMA, "opt_norm", {step_lemma.N_opt: path(0)}, name="path_start")
_PATH_NONEXP = citation(
    cond_lemma.LEMMA, "prompt_nonexp", {step_lemma.N: path(m), cond_lemma.N_i: path(m + 1), eta: NEXT_STEP},
    name="path_nonexp", forall=(m,),
)  # fmt: skip
PATH_BALL = Claim(
    "path_ball",
    path(m),
    "<=",
    S / beta,
    calc(("<=", S / beta, "induction on m along the path: d(0) <= S/beta and no prompt step moves away from w*",
          Induction(m, _PATH_NONEXP.slack + INDUCTION_HYPOTHESIS, base_witness=_PATH_START.slack))),
    hypotheses=(_STEP_SIZE_ALL, _PATH_START, _PATH_NONEXP),
)  # fmt: skip
_IN_BALL = citation(PATH_BALL, name="in_ball", forall=(m,))
#: Given w_m (in the ball): E_i ||w_{m+1} - w*||^2 <= (1 - k_m) ||w_m - w*||^2.
_CONDITIONAL = citation(
    cond_lemma.LEMMA, "cond", {step_lemma.N: path(m), cond_lemma.sga_step.following: conditional(m), eta: NEXT_STEP},
    name="conditional", forall=(m,),
)  # fmt: skip
#: Tower property for Z_{m+1} + k_m Z_m: e(m+1) + k_m e(m) <= e(m).
_STEP = citation(
    tower.LEMMA,
    "main",
    {tower.C: conditional(m) + KAPPA * path(m) ** 2, tower.Z: path(m) ** 2, tower.rho: sp.S.One,
     tower.e_next: second(m + 1) + KAPPA * second(m), tower.e: second(m)},
    name="step",
    forall=(m,),
)  # fmt: skip
_PATH_START_SQ = citation(step_lemma.LEMMA, "opt_norm_sq", {step_lemma.N_opt: path(0)}, name="path_start_sq")
_START = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: path(0) ** 2, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: S**2 / beta**2,
     expectation.EX: second(0), expectation.EY: sp.S.Zero},
    name="start",
)  # fmt: skip
_RHO_NONNEG = citation(one_step.LEMMA, "rho_nonneg", AT_STEP, name="rho_nonneg", forall=(m,))
#: 1 - k <= e^{-k}: log y <= y - 1 at y = e^{-k}.
_EXP_STEP = citation(log_bound.LEMMA, "main", {log_bound.y: sp.exp(-KAPPA)}, name="exp_step", forall=(m,))
#: k_m + E(m) - E(m+1) = c/sqrt(m+1) - 2c (sqrt(m+2) - sqrt(m+1)) = c / (sqrt(m+1) (sqrt(m+1) + sqrt(m+2))^2).
_ORDERED = RATE / (sp.sqrt(m + 1) * (sp.sqrt(m + 1) + sp.sqrt(m + 2)) ** 2)
DECAY = Claim(
    "decay",
    sp.exp(-KAPPA) * TARGET(m),
    "<=",
    TARGET(m + 1),
    calc(("<=", TARGET(m + 1), "e^{-k_m - E(m)} <= e^{-E(m+1)} since E(m+1) - E(m) <= k_m; exp is increasing",
          Monotone(-sp.exp(-_u) * S**2 / beta**2, _u, EXPONENT.xreplace({m: m + 1}), KAPPA + EXPONENT,
                   gap_witness=_ORDERED))),
)  # fmt: skip
_DECAY = citation(DECAY, name="decay", forall=(m,))
ALL_T = Claim(
    "all_t",
    second(m),
    "<=",
    TARGET(m),
    calc(
        (
            "<=",
            TARGET(m),
            "induction on m: e(m+1) <= (1 - k_m) e(m) <= e^{-k_m} e^{-E(m)} S^2/beta^2 <= e^{-E(m+1)} S^2/beta^2",
            Induction(
                m,
                _STEP.slack + _RHO_NONNEG.slack * INDUCTION_HYPOTHESIS + _EXP_STEP.slack * TARGET(m) + _DECAY.slack,
                base_witness=_START.slack,
            ),
        )
    ),
    hypotheses=(GAMMA_LE, _STEP_SIZE_ALL, _IN_BALL, _CONDITIONAL, _STEP, _PATH_START_SQ, _START, _RHO_NONNEG,
                _EXP_STEP, _DECAY),
)  # fmt: skip
ASSUMPTIONS = (GAMMA_LE,)
#: On every path J(w*) - J(w_T) <= beta (B^2/2) ||w_T - w*||^2; in expectation over the draws, beta (B^2/2) e(T).
KL_PATHWISE = citation(decomposition.LEMMA, "excess_le", name="kl_pathwise")
KL = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: decomposition.E, expectation.c: beta * B**2 / 2, expectation.Y: decomposition.D**2,
     expectation.b: sp.S.Zero, expectation.EX: mean_excess, expectation.EY: second(T)},
    name="kl",
)  # fmt: skip
PROOF = (
    Derivation.of(mean_excess, (*ASSUMPTIONS, KL_PATHWISE, KL))
    .apply(KL, "KL gap and Bregman bound, in expectation")
    .cite(ALL_T, instance={m: T}, why="E||w_T - w*||^2 <= e^{-2c(sqrt(T+1) - 1)} S^2/beta^2")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_prompt_paper_step_last_excess_le_of_coverage",
        statement="prompt-sampling SGA, eta_t = 1/(2L sqrt t): E[J(w*) - J(w_T)] <= (B^2 S^2/(2 beta))"
        " e^{-2c(sqrt(T+1) - 1)}, c = beta gamma e^{-4BS/beta}/(2L)",
        source="derived here (docs/setting.md, section 4: the paper's SGA step, last iterate)",
        doc=__doc__,
        scope="every d, K and n",
        constants={"L": L, "c": RATE, "eta_t": 1 / (2 * L * sp.sqrt(step))},
        bound=BOUND,
        bounds=EXCESS,
        iterate=LAST,
        algorithm=SGA_PROMPT,
        holds=EXPECTATION_OVER_ALGORITHM,
        rate_n="n^0",
        rate_T="exp(-c*T^(1/2))",
        form="sharp form",
        step="eta_t = 1/(2 L sqrt t)",
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=150, cost=2.0, pinned=TWO_LEVELS_ONLY),
        figure=Figure(
            "sga_prompt_paper_step_last_excess_vs_T.png", "T", (10, 30, 100, 300, 1_000, 3_000, 10_000), 100,
            StretchedRate("exp(-2c(sqrt(T+1) - 1))", 2),
            shows="the excess of the last iterate of prompt-sampling SGA with the paper's step eta_t = 1/(2L sqrt t), "
            "mean over 10 runs, against the bound and its rate e^{-2c sqrt T} (beside the paper form's best-gradient "
            "T^(-1/8) figure)",
        ),
        control=Control("theta above its norm bound S", claimed=shrunk("S", 0.1)),
        claims=(STEP_SIZE, PATH_BALL, DECAY, ALL_T, PROOF.claim("main")),
    )
)
