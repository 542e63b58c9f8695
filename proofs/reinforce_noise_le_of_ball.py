"""**The noise of a REINFORCE step on the ball** (external fact: a derivation of this package, not yet checked by the
kernel -- an open obligation, listed in the trusted base of every theorem that cites it): if the REINFORCE SGA
iterates stay in the ball ||w_m - w*|| <= 2S/beta at every iteration m, then at every step t,
eta_t^2 E||g_t||^2 <= (14 B^2 S)^2 / (4 L'^2 t) with eta_t = 1/(2 L' sqrt t) and L' = L(3S/beta).

The argument: on the ball ||w|| <= ||w*|| + 2S/beta = 3S/beta; the sampled estimate is g = (r_a - beta log(pi_w(a) /
pi_ref(a))) (phi_a - mu_w) with |r_a| <= S B (:mod:`abs_inner_le_of_norm_le`), |log(pi_w(a) / pi_ref(a))| <= 2 B ||w||
(the score is <w, phi_a> minus a log-mean-exp of the scores, each within B ||w||) and ||phi_a - mu_w|| <= 2B, so
||g|| <= 2B (S B + 2 beta B (3S/beta)) = 14 B^2 S on every path. The middle bound has no lemma in the chain yet: that
is why this step is taken on trust here rather than proved.

Roles: ``d_reinforce(m)`` is ||w_m - w*|| along the run, ``V_reinforce[t]`` is eta_t^2 E||g_t||^2 of step t.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN
from ._model import B, beta
from .ga_best_gap_le_of_coverage import S
from .hess_quad_abs_le_of_norm_le import SMOOTHNESS_R
from .hess_quad_abs_le_of_norm_le import R as R_H

BALL = 2 * S / beta  # the ball ||w_t - w*|| <= 2S/beta
RADIUS = S / beta + BALL  # so ||w_t|| <= ||w*|| + 2S/beta = 3S/beta
L_BALL = sp.expand(SMOOTHNESS_R.subs(R_H, RADIUS))  # 8 B^3 S + beta B^2
REINFORCE_CAP = sp.expand(2 * B * (S * B + beta * 2 * B * RADIUS))  # ||g_t|| <= 14 B^2 S
SCALE = REINFORCE_CAP**2 / (4 * L_BALL**2)
step = sp.Symbol("t", positive=True, integer=True)  # the step index of eta_t
#: d_reinforce(m) = ||w_m - w*|| along the run of REINFORCE SGA (a random quantity: one path).
dist = sp.Function("d_reinforce", nonnegative=True)
m = sp.Symbol("m", integer=True, nonnegative=True)  # an iteration
#: The noise eta_t^2 E||g_t||^2 of step t along the run.
noise_step = sp.IndexedBase("V_reinforce", nonnegative=True)
IN_BALL = Hypothesis("ball", dist(m), "<=", BALL, "the iterates stay in ||w_m - w*|| <= 2S/beta at every m",
                     forall=(m,), kind="asserted")  # fmt: skip

LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_noise_le_of_ball",
        statement="REINFORCE SGA iterates in ||w_m - w*|| <= 2S/beta: eta_t^2 E||g_t||^2 <= (14 B^2 S)^2/(4 L'^2 t)",
        source="derived in prose in this module (taken on trust: an open obligation of the chain)",
        doc=__doc__,
        scope="every d and K; every step t of a run that stays in the ball",
        kind="external",
        claims=(Claim.taken_on_trust("main", noise_step[step], "<=", SCALE / step, (IN_BALL,)),),
    )
)
