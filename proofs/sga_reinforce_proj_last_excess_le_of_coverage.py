"""**Theorem (projected REINFORCE SGA, last iterate: excess)**: under coverage, SGA that draws a training prompt
uniformly and an action a ~ pi_{w_t}(.|x), steps along the REINFORCE estimate and projects onto C = {||w|| <= S/beta}
(which contains w*), with eta_t = 1/(beta lambda_C (t + 1)), lambda_C = gamma e^{-2BS/beta}, from w_0 = 0, satisfies,
in expectation over the algorithm's draws (for every training sample), E||w_T - w*||^2 <= G_C^2/(beta^2 lambda_C^2
(T + 2)) with G_C = 6 B^2 S, hence E[J(w*) - J(w_T)] <= 18 B^6 S^2 e^{4BS/beta}/(beta gamma^2 (T + 2)): O(1/T), with no
ball assumption and no best-iterate search (compare :mod:`sga_reinforce_best_gap_le_of_coverage`, conditional on a
ball).

Proof. The step w_m -> w_{m+1} uses eta_{m+1} = 1/(beta lambda_C (m + 2)); given w_m, E||w_{m+1} - w*||^2 <= (1 - k_m)
||w_m - w*||^2 + a_m with k_m = 2 eta_{m+1} beta lambda_C = 2/(m + 2) and a_m = eta_{m+1}^2 G_C^2 = M/(m + 2)^2,
M = G_C^2/(beta^2 lambda_C^2) (claim ``cond`` of :mod:`reinforce_proj_step_cond_le_of_coverage`: projection,
unbiasedness, coverage on C), and the tower property (:mod:`tower_le_of_cond_le`) gives e(m+1) <= (1 - k_m) e(m) + a_m
for e(m) = E||w_m - w*||^2. By induction e(m) <= M/(m + 2) (claim ``all_t``): at m = 0, e(0) = ||w*||^2 <= S^2/beta^2
<= M/2 since gamma <= B^2 and e^{4BS/beta} >= 1 (claim ``exp_ge_one``); and M/(m + 3) - (m/(m + 2)) M/(m + 2) - M/(m +
2)^2 = M/((m + 3)(m + 2)^2) >= 0. The excess follows by J(w*) - J(w) <= beta (B^2/2) ||w - w*||^2 on every path
(:mod:`gap_le_dev_add_sq_dist_of_norm_le`) in expectation (:mod:`expect_le_of_le`). The bound ||g|| <= 6 B^2 S on C
is :mod:`reinforce_norm_le_of_norm_le`. Derived here (docs/setting.md, section 4: the projected REINFORCE
variant).
"""

import sympy as sp

from rlhfsym.chain import INDUCTION_HYPOTHESIS, Claim, Derivation, Induction, Monotone, calc, citation
from rlhfsym.vocabulary import EXCESS, EXPECTATION_OVER_ALGORITHM, LAST, SGA_REINFORCE_PROJ
from rlhfsym.vocabulary.exercise import Control, Plan, shrunk
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as ga_step
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import reinforce_proj_step_cond_le_of_coverage as step_lemma
from . import tower_le_of_cond_le as tower
from ._chain import CHAIN
from ._model import B, beta
from ._theorem import theorem
from .ga_best_gap_le_of_coverage import S, T, gamma
from .ga_step_dist_sq_le_of_coverage import GAMMA_LE, eta
from .sga_prompt_noise_sum_le_of_coverage import step

m = sp.Symbol("m", integer=True, nonnegative=True)  # an iteration: w_m
path = sp.Function("d_rproj", nonnegative=True)  # ||w_m - w*|| on one path of the algorithm
conditional = sp.Function("c_rproj", nonnegative=True)  # E[||w_{m+1} - w*||^2 | w_m] on that path
second = sp.Function("e_rproj", nonnegative=True)  # e(m) = E||w_m - w*||^2
mean_excess = sp.Symbol("E_excess", nonnegative=True)
_v = sp.Symbol("v", real=True)

LAMBDA_C, G_C = step_lemma.LAMBDA_C, step_lemma.G_C
SCHEDULE = 1 / (beta * LAMBDA_C * (step + 1))  # eta_t, t >= 1: the step from w_{t-1} to w_t
NEXT_STEP = SCHEDULE.xreplace({step: m + 1})  # eta_{m+1}
KAPPA = 2 * NEXT_STEP * beta * LAMBDA_C  # 2/(m + 2)
#: M = G_C^2/(beta^2 lambda_C^2): E||w_m - w*||^2 <= M/(m + 2).
M = G_C**2 / (beta**2 * LAMBDA_C**2)
NOISE = NEXT_STEP**2 * G_C**2  # a_m = M/(m + 2)^2
TARGET = sp.Lambda(m, M / (m + 2))

_CONDITIONAL = citation(
    step_lemma.LEMMA, "cond", {step_lemma.N: path(m), step_lemma.E_next: conditional(m), eta: NEXT_STEP},
    name="conditional", forall=(m,),
)  # fmt: skip
#: Tower property for Z_{m+1} + k_m Z_m - a_m: e(m+1) + k_m e(m) - a_m <= e(m).
_STEP = citation(
    tower.LEMMA,
    "main",
    {tower.C: conditional(m) + KAPPA * path(m) ** 2 - NOISE, tower.Z: path(m) ** 2, tower.rho: sp.S.One,
     tower.e_next: second(m + 1) + KAPPA * second(m) - NOISE, tower.e: second(m)},
    name="step",
    forall=(m,),
)  # fmt: skip
_PATH_START_SQ = citation(ga_step.LEMMA, "opt_norm_sq", {ga_step.N_opt: path(0)}, name="path_start_sq")
_START = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: path(0) ** 2, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: S**2 / beta**2,
     expectation.EX: second(0), expectation.EY: sp.S.Zero},
    name="start",
)  # fmt: skip
EXP_GE_ONE = Claim(
    "exp_ge_one",
    sp.S.One,
    "<=",
    sp.exp(4 * B * S / beta),
    calc(("<=", sp.exp(4 * B * S / beta), "exp is increasing and 4BS/beta >= 0",
          Monotone(sp.exp(_v), _v, sp.S.Zero, 4 * B * S / beta)),),
)  # fmt: skip
_EXP_GE_ONE = citation(EXP_GE_ONE, name="exp_ge_one")
#: M/2 - S^2/beta^2 = (S^2/(beta^2 gamma^2)) (18 B^4 (e^{4BS/beta} - 1) + 17 B^4 + (B^2 - gamma)(B^2 + gamma)).
_BASE = _START.slack + S**2 / (beta**2 * gamma**2) * (
    18 * B**4 * _EXP_GE_ONE.slack + 17 * B**4 + GAMMA_LE.slack * (B**2 + gamma)
)
ALL_T = Claim(
    "all_t",
    second(m),
    "<=",
    TARGET(m),
    calc(
        (
            "<=",
            TARGET(m),
            "induction on m: e(m+1) <= (m/(m+2)) e(m) + M/(m+2)^2 <= M/(m+3)",
            Induction(
                m,
                _STEP.slack + m / (m + 2) * INDUCTION_HYPOTHESIS + M / ((m + 3) * (m + 2) ** 2),
                base_witness=_BASE,
            ),
        )
    ),
    hypotheses=(GAMMA_LE, _CONDITIONAL, _STEP, _PATH_START_SQ, _START, _EXP_GE_ONE),
)
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
    .cite(ALL_T, instance={m: T}, why="E||w_T - w*||^2 <= G_C^2/(beta^2 lambda_C^2 (T + 2))")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="sga_reinforce_proj_last_excess_le_of_coverage",
        statement="projected REINFORCE SGA on ||w|| <= S/beta, eta_t = 1/(beta lambda_C (t+1)): E[J(w*) - J(w_T)] <="
        " 18 B^6 S^2 e^{4BS/beta}/(beta gamma^2 (T + 2))",
        source="derived here (docs/setting.md, section 4: the projected REINFORCE variant)",
        doc=__doc__,
        scope="every d, K and n; no ball assumption",
        constants={"lambda_C": LAMBDA_C, "G_C": G_C, "eta_t": SCHEDULE},
        bound=BOUND,
        bounds=EXCESS,
        iterate=LAST,
        algorithm=SGA_REINFORCE_PROJ,
        holds=EXPECTATION_OVER_ALGORITHM,
        rate_n="n^0",
        rate_T="T^(-1)",
        form="sharp form",
        step="eta_t = 1/(beta lambda_C (t + 1))",
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=100, cost=3.0, pinned=TWO_LEVELS_ONLY),
        control=Control("theta above its norm bound S (S claimed 1000 times too small)", claimed=shrunk("S", 0.001)),
        claims=(EXP_GE_ONE, ALL_T, PROOF.claim("main")),
    )
)
