"""**The noise of a REINFORCE step on the ball**: if the REINFORCE SGA iterates stay in the ball ||w_m - w*|| <= 2S/beta
at every iteration m, then at every step t, eta_t^2 E||g_t||^2 <= (14 B^2 S)^2 / (4 L'^2 t) with eta_t = 1/(2 L' sqrt t)
and L' = L(3S/beta).

Proof. Step t draws its estimate g_t at w_{t-1}, and ||w_{t-1}|| <= ||w_{t-1} - w*|| + ||w*|| <= 2S/beta + S/beta =
3S/beta (the ball at m = t - 1, the triangle inequality :mod:`norm_sub_le_norm_add_norm` and claim ``opt_norm`` of
:mod:`ga_step_dist_le_of_coverage`; claim ``radius``). There every sampled estimate has ||g_t|| <= 2B (S B + 2 beta B
(3S/beta)) = 14 B^2 S (:mod:`reinforce_norm_le_of_norm_le` at R = 3S/beta), so eta_t^2 ||g_t||^2 <= (14 B^2 S)^2/(4 L'^2
t) on every path (claim ``pathwise``), and in expectation over the run (:mod:`expect_le_of_le`; claim ``main``).

Roles: ``d_reinforce(m)`` is ||w_m - w*|| along the run, ``V_reinforce[t]`` is eta_t^2 E||g_t||^2 of step t,
``G_step`` is ||g_t|| on one path and ``W`` is ||w_{t-1}||.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc, citation

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as ga_step
from . import norm_sub_le_norm_add_norm as triangle
from . import reinforce_norm_le_of_norm_le as estimate
from ._chain import CHAIN
from ._model import beta
from .ga_best_gap_le_of_coverage import S
from .hess_quad_abs_le_of_norm_le import SMOOTHNESS_R
from .hess_quad_abs_le_of_norm_le import R as R_H

BALL = 2 * S / beta  # the ball ||w_t - w*|| <= 2S/beta
RADIUS = S / beta + BALL  # so ||w_t|| <= ||w*|| + 2S/beta = 3S/beta
L_BALL = sp.expand(SMOOTHNESS_R.subs(R_H, RADIUS))  # 8 B^3 S + beta B^2
REINFORCE_CAP = sp.expand(estimate.CAP.xreplace({estimate.R: RADIUS}))  # ||g_t|| <= 14 B^2 S
SCALE = REINFORCE_CAP**2 / (4 * L_BALL**2)
step = sp.Symbol("t", positive=True, integer=True)  # the step index of eta_t
#: d_reinforce(m) = ||w_m - w*|| along the run of REINFORCE SGA (a random quantity: one path).
dist = sp.Function("d_reinforce", nonnegative=True)
m = sp.Symbol("m", integer=True, nonnegative=True)  # an iteration
#: The noise eta_t^2 E||g_t||^2 of step t along the run.
noise_step = sp.IndexedBase("V_reinforce", nonnegative=True)
G_step = sp.Symbol("G_step", nonnegative=True)  # ||g_t|| on one path
W = estimate.W  # ||w_{t-1}||
IN_BALL = Hypothesis("ball", dist(m), "<=", BALL, "the iterates stay in ||w_m - w*|| <= 2S/beta at every m",
                     forall=(m,), kind="asserted")  # fmt: skip
SQUARED_STEP = 1 / (4 * L_BALL**2 * step)  # eta_t^2


def _at() -> Claim:
    return Claim("at", dist(m), "<=", BALL, calc(("<=", BALL, "the ball, at iterate m", Algebra(IN_BALL.slack))),
                 hypotheses=(IN_BALL,))  # fmt: skip


def _radius(at: Claim) -> Claim:
    before = citation(at, instance={m: step - 1}, name="at_previous")
    split = citation(triangle.LEMMA, "main", {triangle.N_ab: W, triangle.N_ac: dist(step - 1),
                                             triangle.N_cb: ga_step.N_opt}, name="triangle")  # fmt: skip
    opt = citation(ga_step.LEMMA, "opt_norm", name="opt_norm")
    return Claim(
        "radius",
        W,
        "<=",
        RADIUS,
        calc(("<=", dist(step - 1) + ga_step.N_opt, "||w_{t-1}|| <= ||w_{t-1} - w*|| + ||w*||", Algebra(split.slack)),
             ("<=", RADIUS, "the ball at t - 1 and ||w*|| <= S/beta", Algebra(before.slack + opt.slack))),
        hypotheses=(IN_BALL, before, split, opt),
    )  # fmt: skip


def _pathwise(radius: Claim) -> Claim:
    inside = citation(radius, name="radius")
    bounded = citation(estimate.LEMMA, "main", {estimate.G: G_step, estimate.R: RADIUS}, name="estimate")
    return Claim(
        "pathwise",
        SQUARED_STEP * G_step**2,
        "<=",
        SCALE / step,
        calc(("<=", SCALE / step, "||g_t|| <= 14 B^2 S, squared, times eta_t^2 = 1/(4 L'^2 t)",
              Algebra(SQUARED_STEP * bounded.slack * (REINFORCE_CAP + G_step))),),
        hypotheses=(IN_BALL, inside, bounded),
    )  # fmt: skip


def _main(pathwise: Claim) -> Claim:
    on_every_path = citation(pathwise, name="pathwise")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: SQUARED_STEP * G_step**2, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero,
         expectation.b: SCALE / step, expectation.EX: noise_step[step], expectation.EY: sp.S.Zero},
        name="expectation",
    )  # fmt: skip
    return Claim(
        "main",
        noise_step[step],
        "<=",
        SCALE / step,
        calc(("<=", SCALE / step, "the expectation over the run of the pathwise bound", Algebra(mean.slack)),),
        hypotheses=(IN_BALL, on_every_path, mean),
    )


def _claims() -> tuple[Claim, ...]:
    at = _at()
    radius = _radius(at)
    pathwise = _pathwise(radius)
    return at, radius, pathwise, _main(pathwise)


LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_noise_le_of_ball",
        statement="REINFORCE SGA iterates in ||w_m - w*|| <= 2S/beta: eta_t^2 E||g_t||^2 <= (14 B^2 S)^2/(4 L'^2 t)",
        source="derived here (docs/setting.md, section 4: the REINFORCE variant)",
        doc=__doc__,
        scope="every d and K; every step t of a run that stays in the ball",
        claims=_claims(),
    )
)
