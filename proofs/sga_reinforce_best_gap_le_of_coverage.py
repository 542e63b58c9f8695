"""**Theorem 3 (SGA with REINFORCE, paper form, conditional on a ball)**: under coverage, SGA that draws a training
prompt x uniformly and an action a ~ pi_{w_t}(.|x) and steps along the REINFORCE estimate (r*(x,a) - beta
log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x)) with eta_t = 1/(2 L' sqrt t), from w_0 = 0, **if its iterates stay in
the ball ||w_t - w*|| <= 2 S/beta** (hypothesis ``ball``, assumed), has a best full-gradient iterate w_hat with, in
expectation over the algorithm and with probability >= 1 - delta over the sample, E|J(w_hat) - J_S(w_hat)| <= C (N /
sqrt T)^(1/4) + 2 S B sqrt(log(2/delta)/(2n)), where, at the radius ||w|| <= 3 S/beta of that ball: L' = 8 B^3 S + beta
B^2 (:mod:`hess_quad_abs_le_of_norm_le`), the Lipschitz constant 4 B^2 S (:mod:`grad_norm_le_of_norm_le`), the coverage
floor gamma e^{-6BS/beta}, C = 2 (4 B^2 S) sqrt(2 S/(beta^2 gamma e^{-6BS/beta})), and N = 8 L' B^2 S^2/beta + (14 B^2
S)^2 (1 + log 2)/2. The rate is O(T^(-1/8) + n^(-1/2)), the published one.

Proof as in :mod:`sga_prompt_best_gap_le_of_coverage`, with two differences. The estimate is unbiased: at every training
prompt its mean over a ~ pi_w is grad j(w; x_i) (the identity of :mod:`reinforce_unbiased_of_loglinear`), and the
uniform prompt draw averages that to grad J_S(w); the ascent lemma's unbiasedness premises, written out over the n
prompts, are that identity averaged, which the checker proves. It is bounded on the ball: |r_a| <= S B and
|log(pi_w(a)/pi_ref(a))| = |s_a - log Z| <= 2 B ||w|| <= 6 B S/beta, so ||g_t|| <= (S B + 6 B S) 2 B = 14 B^2 S; but its
noise does not vanish at w* (there the weight is the constant beta log Z_{w*}). Summed over all T steps the noise would
give sum eta_t^2 ~ log T; the ascent lemma is therefore summed over the last N = ceil(T/2) steps only, the window t =
T0+1..T0+N with T0 = floor(T/2) (:mod:`floor_half_mem_icc`, a definition: T0 + N = T, T - 1 <= 2 T0 <= T). There sum
eta_t >= N eta_T >= sqrt(T)/(4L') (claim ``tail_steps``: :mod:`sum_ge_mul_last_of_antitone`, the schedule being
nonincreasing, claim ``step_antitone``), and sum eta_t^2 E||g_t||^2 <= ((14 B^2 S)^2/(4L'^2)) sum_t 1/t <= ((14 B^2
S)^2/(4L'^2)) log((T + 1/2)/(T0 + 1/2)) <= ((14 B^2 S)^2/(4L'^2)) (1 + log 2) (claim ``tail_noise``:
:mod:`sum_inv_le_log_of_le`, and (T + 1/2)/(T0 + 1/2) <= 3); the progress J_S(w*) - E J_S(w_T0) <= beta (B^2/2)
(2S/beta)^2 because that iterate lies in the ball (claim ``start_path``: :mod:`gap_le_dev_add_sq_dist_of_norm_le`, claim
``excess_le``, at D = ||w_T0 - w*||, then the expectation over the run by :mod:`expect_le_of_le`). The best
full-gradient iterate over all t is at least as good as the best in the window. The pathwise bound uses the ball at
w_hat (claim ``ball_hat``) exactly as :mod:`ga_best_gap_le_of_coverage` does at radius S/beta, here at 2S/beta
(||w_hat|| <= 3S/beta). The ball is the one asserted condition, ``ball``: d(m) = ||w_m - w*|| <= 2S/beta at every
iteration m. The cap on the noise of each step, eta_t^2 E||g_t||^2 <= eta_t^2 (14 B^2 S)^2 (hypothesis
``reinforce_cap``), follows from the ball by the bounds above (:mod:`reinforce_noise_le_of_ball`, through
:mod:`reinforce_norm_le_of_norm_le` at ||w|| <= 3S/beta); smoothness (J_S is L'-smooth on the ball) enters through the
ascent lemma's text, not as a hypothesis. And
sampled actions do not make each step non-expansive: on simulations the iterates leave the ball ||w_t - w*|| <= S/beta
of the other variants (by up to 2%, in about a fifth of the runs), which is why this theorem assumes the wider ball
2S/beta and the tests check that assumption on every run. It is what the SGA result gives for the REINFORCE variant once
the iterates are known to stay bounded, not a proof that they do. Source: paper, Theorem (Stochastic Gradient Ascent)
(reconstructed: docs/setting.md, section 4, T3), REINFORCE variant; derived here.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Monotone, calc, citation
from rlhfsym.chain.citations import apply_instance
from rlhfsym.vocabulary import BEST_GRADIENT, EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY, GAP, SGA_REINFORCE
from rlhfsym.vocabulary.exercise import Ball, Control, Plan, shrunk
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY

from . import _family as family
from . import expect_grad_sq_min_le_of_smooth as ascent_lemma
from . import expect_le_of_le as expectation
from . import floor_half_mem_icc as floor_half
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition_lemma
from . import reinforce_noise_le_of_ball as noise
from . import reinforce_unbiased_of_loglinear as unbiased
from . import sum_ge_mul_last_of_antitone as antitone_sum
from . import sum_inv_le_log_of_le as harmonic
from ._chain import CHAIN
from ._concentration import n as sample_size
from ._model import B, beta
from ._sga_expectation import expected_gap, progress, schedule
from ._theorem import theorem
from .ga_best_gap_le_of_coverage import T, pathwise
from .reinforce_noise_le_of_ball import BALL, L_BALL, REINFORCE_CAP, dist, m, noise_step, step

t_hat = sp.Symbol("t_hat", integer=True, nonnegative=True)  # w_hat = w_{t_hat}
start = floor_half.T0  # the window starts at T0 = floor(T/2)
#: The one asserted condition of this theorem: every iterate of the run stays in the ball ||w_m - w*|| <= 2S/beta.
#: Nothing certifies it (sampled actions do not make each step non-expansive, and no lemma of the chain bounds
#: the random path); simulations check it on every run.
IN_BALL = Hypothesis(
    "ball",
    dist(m),
    "<=",
    BALL,
    "ASSUMED: the REINFORCE iterates stay in ||w_t - w*|| <= 2S/beta at every t (checked on simulations, not proved)",
    forall=(m,),
    kind="asserted",
)
AT = Claim("at", dist(m), "<=", BALL, calc(("<=", BALL, "the ball, at iterate m", Algebra(IN_BALL.slack))),
           hypotheses=(IN_BALL,))
_AT_HAT = citation(AT, instance={m: t_hat}, name="at_hat")
#: ||w_hat - w*|| = d(t_hat), written |d(t_hat)| as in ga_best_gap_le_of_coverage (d >= 0).
BALL_HAT = Claim(
    "ball_hat",
    sp.Abs(dist(t_hat)),
    "<=",
    BALL,
    calc(("<=", dist(t_hat), "|d| = d since d >= 0"), ("<=", BALL, "the ball at t_hat", Algebra(_AT_HAT.slack))),
    hypotheses=(IN_BALL, _AT_HAT),
)
PATH = pathwise(2, citation(BALL_HAT, name="ball_hat"), (IN_BALL,))
# The progress of the window: on every path J_S(w*) - J_S(w_T0) <= beta (B^2/2) d(T0)^2 <= beta (B^2/2) (2S/beta)^2
# (claim excess_le of gap_le_dev_add_sq_dist_of_norm_le at D = d(T0), then the ball at T0), and its expectation over
# the algorithm is Delta_E (expect_le_of_le with c = 0).
excess_start = sp.Symbol("X_T0", real=True)  # J_S(w*) - J_S(w_T0) on one path
CEILING = beta * B**2 / 2 * BALL**2
_EXCESS_T0 = citation(
    decomposition_lemma.LEMMA,
    "excess_le",
    {decomposition_lemma.E: excess_start, decomposition_lemma.D: sp.Abs(dist(start))},
    name="excess_T0",
)
_AT_START = citation(AT, instance={m: start}, name="at_start")
START_PATH = Claim(
    "start_path",
    excess_start,
    "<=",
    CEILING,
    calc(
        ("<=", beta * B**2 / 2 * dist(start) ** 2, "the KL ceiling at D = ||w_T0 - w*||", Algebra(_EXCESS_T0.slack)),
        (
            "<=",
            CEILING,
            "||w_T0 - w*|| <= 2S/beta (the ball at T0)",
            Algebra(beta * B**2 / 2 * _AT_START.slack * (BALL + dist(start))),
        ),
    ),
    hypotheses=(IN_BALL, _EXCESS_T0, _AT_START),
)
_START_ON_EVERY_PATH = citation(START_PATH, name="start_on_every_path")
# Unbiasedness, written out: the estimate's conditional mean in a direction u is the uniform prompt draw's average
# of the mean over a ~ pi_w(.|x_i) at each training prompt, (1/n) sum_i E_a[(r_ia - beta log(pi_w(a|x_i)/pi_ref(a|x_i)))
# (u_ia - E u_i)], with the prompt's scores s_ia = <w, phi(x_i, a)>, rewards, reference weights and projections
# u_ia = <u, phi(x_i, a)>; the directional derivative of J_S is (1/n) sum_i d/dt j(w + t u; x_i). The ascent lemma's
# premises mean_g <= grad_g and mean_g >= grad_g are then the identity of reinforce_unbiased_of_loglinear at every
# prompt, averaged: the checker proves them (their gap is 0 as a normal form), so they discharge themselves.
_prompt = sp.Symbol("i", integer=True, positive=True)
_b = sp.Dummy("b", integer=True)
_AT_PROMPT = {
    fam: sp.Lambda(_b, sp.IndexedBase(f"{fam.name}_x", **fam.assumptions0)[_prompt, _b])
    for fam in (family.s, family.r, family.u, family.p)
}
_IDENTITY = next(c for c in unbiased.LEMMA.claims if c.label == "main")  # E_a[estimate] == d/dt j(w + t u; x)
#: E_i[E_a[<g, u>]] = sum_i E_a[<g, u> | x_i]/n over the uniform draw, and <grad J_S(w), u> = (1/n) sum_i D_i.
_ESTIMATE_MEAN = sp.Sum(apply_instance(_IDENTITY.lhs, _AT_PROMPT) / sample_size, (_prompt, 1, sample_size))
_DERIVATIVE = sp.Sum(apply_instance(_IDENTITY.rhs, _AT_PROMPT), (_prompt, 1, sample_size)) / sample_size
TAIL_START = citation(
    expectation.LEMMA,
    "main",
    {
        expectation.X: excess_start,
        expectation.c: sp.S.Zero,
        expectation.Y: sp.S.Zero,
        expectation.b: CEILING,
        expectation.EX: progress,
        expectation.EY: sp.S.Zero,
    },
    name="tail_start",
)
# The window t = T0+1..T0+N of the last N = ceil(T/2) steps, T0 = floor(T/2) (floor_half_mem_icc, a definition).
WINDOW_START, LENGTH = start, floor_half.N
_SPLIT_LE = citation(floor_half.LEMMA, "split_le", name="split_le")
_SPLIT_GE = citation(floor_half.LEMMA, "split_ge", name="split_ge")
_HALF_LE = citation(floor_half.LEMMA, "half_le", name="half_le")
_HALF_GE = citation(floor_half.LEMMA, "half_ge", name="half_ge")
WINDOW_END = WINDOW_START + LENGTH  # = T
SCHEDULE, STEP_ANTITONE, _ANTITONE = schedule(L_BALL, step)  # eta_t = 1/(2L' sqrt t), t >= 1, nonincreasing
_WINDOW_SUM = citation(
    antitone_sum.LEMMA,
    "main",
    {antitone_sum.f: SCHEDULE, antitone_sum.a: WINDOW_START, antitone_sum.N: LENGTH},
    name="window_sum",
)
_z = sp.Symbol("z", positive=True)
TAIL_STEPS = Claim(
    "tail_steps",
    sp.sqrt(T) / (4 * L_BALL),
    "<=",
    _WINDOW_SUM.rhs,
    calc(
        (
            "<=",
            LENGTH / (2 * L_BALL * sp.sqrt(T)),
            "N = T - T0 >= T/2 steps",
            Algebra((2 * _SPLIT_GE.slack + _HALF_LE.slack) / (4 * L_BALL * sp.sqrt(T))),
        ),
        (
            "<=",
            _WINDOW_SUM.lhs,
            "each >= eta_{T0+N} = eta_T = 1/(2L' sqrt T)",
            Monotone(-LENGTH / (2 * L_BALL * sp.sqrt(_z)), _z, WINDOW_END, T, gap_witness=_SPLIT_LE.slack),
        ),
        ("<=", _WINDOW_SUM.rhs, "a nonincreasing schedule: each step of the window is >= the last",
         Algebra(_WINDOW_SUM.slack)),
    ),
    hypotheses=(_SPLIT_LE, _SPLIT_GE, _HALF_LE, _ANTITONE, _WINDOW_SUM),
)
_SCALE = noise.SCALE
#: eta_t^2 E||g_t||^2 <= (14 B^2 S)^2/(4 L'^2 t) at every step, on the ball (reinforce_noise_le_of_ball).
CAP = citation(noise.LEMMA, "main", name="reinforce_cap", forall=(step,))
NOISE_BOUND = REINFORCE_CAP**2 * (1 + sp.log(2)) / (4 * L_BALL**2)
_HARMONIC = citation(
    harmonic.LEMMA, "main", {harmonic.a: WINDOW_START, harmonic.N: LENGTH, harmonic.c: _SCALE}, name="harmonic"
)
_y = sp.Symbol("y", positive=True)
_RATIO = (WINDOW_END + sp.Rational(1, 2)) / (WINDOW_START + sp.Rational(1, 2))
TAIL_NOISE = Claim(
    "tail_noise",
    sp.Sum(noise_step[step], (step, WINDOW_START + 1, WINDOW_END)),
    "<=",
    NOISE_BOUND,
    calc(
        (
            "<=",
            _HARMONIC.lhs,
            "||g_t|| <= 14 B^2 S at every step, eta_t^2 = 1/(4L'^2 t)",
            Algebra(sp.Sum(CAP.slack, (step, WINDOW_START + 1, WINDOW_END))),
        ),
        ("<=", _HARMONIC.rhs, "the harmonic sum over the window", Algebra(_HARMONIC.slack)),
        (
            "<=",
            _SCALE * sp.log(3),
            "(T0 + N + 1/2)/(T0 + 1/2) <= 3 since N = T - T0 <= T0 + 1",
            Monotone(
                _SCALE * sp.log(_y),
                _y,
                _RATIO,
                sp.Integer(3),
                gap_witness=(_HALF_GE.slack + _SPLIT_LE.slack + WINDOW_START) / (WINDOW_START + sp.Rational(1, 2)),
            ),
        ),
        ("<=", NOISE_BOUND, "log 3 <= 1 + log 2"),
    ),
    hypotheses=(IN_BALL, CAP, _HALF_GE, _SPLIT_LE, _HARMONIC),
)
ASCENT_REASON = (
    "ascent lemma in expectation (unbiased REINFORCE, L'-smooth on the ball), summed over the last ceil(T/2) steps"
    " t = T0+1..T, T0 = floor(T/2): min_t E||grad J_S(w_{t-1})||^2 sum eta_t <= J_S(w*) - E J_S(w_T0)"
    " + (L'/2) sum eta_t^2 E||g_t||^2 (summing over the tail keeps log T out)"
)
EXPECTED = expected_gap(
    PATH,
    L_BALL,
    TAIL_START,
    {
        ascent_lemma.eta: SCHEDULE,
        ascent_lemma.V: noise_step,
        ascent_lemma.t0: WINDOW_START,
        ascent_lemma.N: LENGTH,
        ascent_lemma.eta_sum: TAIL_STEPS.lhs,
        ascent_lemma.noise: NOISE_BOUND,
        ascent_lemma.mean_g: _ESTIMATE_MEAN,
        ascent_lemma.grad_g: _DERIVATIVE,
    },
    premises=(
        _START_ON_EVERY_PATH,
        _SPLIT_LE,
        _SPLIT_GE,
        _HALF_LE,
        _ANTITONE,
        citation(TAIL_STEPS, name="tail_steps"),
        _HALF_GE,
        CAP,
        citation(TAIL_NOISE, name="tail_noise"),
    ),
    ascent_reason=ASCENT_REASON,
    claims=(AT, BALL_HAT, START_PATH, STEP_ANTITONE, TAIL_STEPS, TAIL_NOISE),
)
BOUND = EXPECTED.bound

LEMMA = CHAIN.register(
    theorem(
        name="sga_reinforce_best_gap_le_of_coverage",
        statement="REINFORCE SGA, eta_t = 1/(2L' sqrt t), best full-gradient iterate, IF ||w_t - w*|| <= 2S/beta:"
        " E|J - J_S| = O(T^(-1/8) + n^(-1/2)) w.p. >= 1 - delta",
        source="paper, Theorem (Stochastic Gradient Ascent) (reconstructed: docs/setting.md, T3), REINFORCE variant",
        doc=__doc__,
        scope="every d and K; conditional on the iterates staying in ||w_t - w*|| <= 2S/beta (assumed)",
        constants={
            "L_prime": L_BALL,
            "reinforce_cap": REINFORCE_CAP,
            "lipschitz": PATH.lipschitz,
            "eta_t": 1 / (2 * L_BALL * sp.sqrt(step)),
        },
        bound=BOUND,
        bounds=GAP,
        iterate=BEST_GRADIENT,
        algorithm=SGA_REINFORCE,
        holds=EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T="T^(-1/8)",
        form="paper form, conditional on a ball",
        step="eta_t = 1/(2 L' sqrt t)",
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=50, cost=5.0, pinned=TWO_LEVELS_ONLY),
        control=Control("theta above its norm bound S", claimed=shrunk("S", 0.1)),
        runs_within=Ball(2, "ball"),
        claims=EXPECTED.claims,
    )
)
