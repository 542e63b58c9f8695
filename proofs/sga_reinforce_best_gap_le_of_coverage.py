"""**Theorem 3 (SGA with REINFORCE, paper form, conditional on a ball)**: under coverage, SGA that draws a
training prompt x uniformly and an action a ~ pi_{w_t}(.|x) and steps along the REINFORCE estimate
(r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x)) with eta_t = 1/(2 L' sqrt t), from w_0 = 0,
**if its iterates stay in the ball ||w_t - w*|| <= 2 S/beta** (hypothesis ``ball``, assumed), has a best
full-gradient iterate w_hat with, in expectation over the algorithm and with probability >= 1 - delta over the
sample, E|J(w_hat) - J_S(w_hat)| <= C (N / sqrt T)^(1/4) + 2 S B sqrt(log(2/delta)/(2n)), where, at the radius
||w|| <= 3 S/beta of that ball: L' = 8 B^3 S + beta B^2 (:mod:`hess_quad_abs_le_of_norm_le`), the Lipschitz
constant 4 B^2 S (:mod:`grad_norm_le_of_norm_le`), the coverage floor gamma e^{-6BS/beta}, C = 2 (4 B^2 S)
sqrt(2 S/(beta^2 gamma e^{-6BS/beta})), and N = 8 L' B^2 S^2/beta + (14 B^2 S)^2 (1 + log 2)/2. The rate is
O(T^(-1/8) + n^(-1/2)), the published one.

Proof as in :mod:`sga_prompt_best_gap_le_of_coverage`, with two differences. The estimate is unbiased
(:mod:`reinforce_unbiased_of_loglinear`) and bounded on the ball: |r_a| <= S B and
|log(pi_w(a)/pi_ref(a))| = |s_a - log Z| <= 2 B ||w|| <= 6 B S/beta, so ||g_t|| <= (S B + 6 B S) 2 B = 14 B^2 S; but
its noise does not vanish at w* (there the weight is the constant beta log Z_{w*}). Summed over all T steps the
noise would give sum eta_t^2 ~ log T; the ascent lemma is therefore summed over the last ceil(T/2) steps only
(the window t = floor(T/2)+1..T): there sum eta_t >= sqrt(T)/(4L'), sum eta_t^2 <= (1 + log 2)/(4L'^2), and the
progress J_S(w*) - E J_S(w_{floor(T/2)}) <= beta (B^2/2) (2S/beta)^2 because that iterate lies in the ball. The
best full-gradient iterate over all t is at least as good as the best in the window. And sampled actions do not
make each step non-expansive: on simulations the iterates leave the ball ||w_t - w*|| <= S/beta of the other
variants (by up to 2%, in about a fifth of the runs), which is why this theorem assumes the wider ball 2S/beta and
the tests check that assumption on every run. It is what the SGA result gives for the REINFORCE variant once the
iterates are known to stay bounded, not a proof that they do. Source: paper, Theorem (Stochastic Gradient Ascent)
(reconstructed: setting.md, section 4, T3), REINFORCE variant; derived here.
"""

import sympy as sp

from rlhfsym.chain import Hypothesis
from rlhfsym.vocabulary import BEST_GRADIENT, EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY, GAP, SGA_REINFORCE
from rlhfsym.vocabulary.exercise import Ball, Control, Plan, shrunk
from rlhfsym.vocabulary.families import TINY, TWO_LEVELS_ONLY

from ._chain import CHAIN
from ._model import B, beta
from ._sga_expectation import eta_sum, expected_gap, noise, progress
from ._theorem import theorem
from .ga_best_gap_le_of_coverage import S, T, pathwise
from .hess_quad_abs_le_of_norm_le import SMOOTHNESS_R
from .hess_quad_abs_le_of_norm_le import R as R_H

BALL = 2 * S / beta  # the assumed ball ||w_t - w*|| <= 2S/beta
RADIUS = S / beta + BALL  # so ||w_t|| <= ||w*|| + 2S/beta = 3S/beta
L_BALL = sp.expand(SMOOTHNESS_R.subs(R_H, RADIUS))  # 8 B^3 S + beta B^2
REINFORCE_CAP = sp.expand(2 * B * (S * B + beta * 2 * B * RADIUS))  # ||g_t|| <= 14 B^2 S
step = sp.Symbol("t", positive=True, integer=True)  # the step index of eta_t
PATH = pathwise(
    2, "ASSUMED: the REINFORCE iterates stay in ||w_t - w*|| <= 2S/beta (checked on simulations, not proved)"
)
FACTS = (
    Hypothesis(
        "tail_start",
        progress,
        "<=",
        beta * B**2 / 2 * BALL**2,
        "J_S(w*) - J_S(w_{T0}) = beta E_S KL(pi_{w_T0} || pi_{w*}) <= beta (B^2/2) ||w_T0 - w*||^2, and w_T0 lies in"
        " the assumed ball ||w - w*|| <= 2S/beta (T0 = floor(T/2))",
    ),
    Hypothesis(
        "tail_noise",
        noise,
        "<=",
        REINFORCE_CAP**2 * (1 + sp.log(2)) / (4 * L_BALL**2),
        "sum_{t=T0+1}^T eta_t^2 E||g_t||^2 <= (14 B^2 S)^2/(4L'^2) sum_{t=T0+1}^T 1/t and"
        " sum_{t=floor(T/2)+1}^T 1/t <= 1 + log 2 for every T >= 1",
    ),
    Hypothesis(
        "tail_steps",
        sp.sqrt(T) / (4 * L_BALL),
        "<=",
        eta_sum,
        "the last ceil(T/2) >= T/2 steps each have eta_t >= 1/(2L' sqrt T): their sum is >= sqrt(T)/(4L')",
    ),
)
ASCENT_REASON = (
    "ascent lemma in expectation (unbiased REINFORCE, ||g_t|| <= 14 B^2 S, L'-smooth on the ball), summed over the"
    " last ceil(T/2) steps t = T0+1..T: min_t E||grad J_S(w_{t-1})||^2 sum eta_t <= J_S(w*) - E J_S(w_T0)"
    " + (L'/2) sum eta_t^2 E||g_t||^2 (summing over the tail keeps log T out)"
)
EXPECTED = expected_gap(PATH, L_BALL, FACTS, ASCENT_REASON)
BOUND = EXPECTED.bound

LEMMA = CHAIN.register(
    theorem(
        name="sga_reinforce_best_gap_le_of_coverage",
        statement="REINFORCE SGA, eta_t = 1/(2L' sqrt t), best full-gradient iterate, IF ||w_t - w*|| <= 2S/beta:"
        " E|J - J_S| = O(T^(-1/8) + n^(-1/2)) w.p. >= 1 - delta",
        source="paper, Theorem (Stochastic Gradient Ascent) (reconstructed: setting.md, T3), REINFORCE variant",
        doc=__doc__,
        scope="every d and K; conditional on the iterates staying in ||w_t - w*|| <= 2S/beta (assumed)",
        depends_on=(
            "reinforce_unbiased_of_loglinear",
            "ga_best_gap_le_of_coverage",
            "dist_sq_le_of_coverage",
            "hess_quad_abs_le_of_norm_le",
            "grad_norm_le_of_norm_le",
            "erm_gap_le_of_coverage",
        ),
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
        plan=Plan(TINY, T=(1, 20), runs=4, perturbations=1, examples=100, cost=5.0, pinned=TWO_LEVELS_ONLY),
        control=Control("theta above its norm bound S", claimed=shrunk("S", 0.1)),
        runs_within=Ball(2),
        claims=EXPECTED.claims,
    )
)
