"""**The summed noise of prompt-sampling SGA under coverage** (external fact: a derivation of this package, not yet
checked by the kernel -- an open obligation, listed in the trusted base of every theorem that cites it): prompt-
sampling SGA on J_S with eta_t = 1/(2L sqrt t) from w_0 = 0, under coverage gamma, satisfies
sum_{t=1}^T eta_t^2 E||g_t||^2 <= (B^4 S^2/(4 L^2)) (2 + 2 log(1 + 1/c)), c = beta gamma e^{-4BS/beta}/(2L), for
every T.

The argument: the prompt gradient vanishes at w* (grad j(w*; x) = 0 for every prompt), so
||g_t|| <= beta B^2 ||w_{t-1} - w*||; one step contracts in expectation, E||w_t - w*||^2 <= (1 - 2c/sqrt t) E||w_{t-1} -
w*||^2 (:mod:`sga_step_dist_sq_le_of_coverage` at eta_t), hence E||w_t - w*||^2 <= e^{-c sqrt t} S^2/beta^2; so the sum
is at most (B^4 S^2/(4 L^2)) sum_k e^{-c sqrt k}/k <= (B^4 S^2/(4 L^2)) (2 + 2 log(1 + 1/c)), bounded independently of
T. The product of the per-step contractions and the series estimate have no lemma in the chain yet: that is why this
step is taken on trust here rather than proved.

Roles: ``V_prompt[t]`` is eta_t^2 E||g_t||^2 of step t of the run.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN
from ._model import B, beta
from .ga_best_gap_le_of_coverage import FLOOR, L, S, T

step = sp.Symbol("t", positive=True, integer=True)  # the step index of eta_t
#: The noise eta_t^2 E||g_t||^2 of step t along the run.
noise_step = sp.IndexedBase("V_prompt", nonnegative=True)
CONTRACTION = beta * FLOOR / (2 * L)  # c: E||w_t - w*||^2 <= e^{-c sqrt t} S^2/beta^2
NOISE_BOUND = B**4 * S**2 * (2 + 2 * sp.log(1 + 1 / CONTRACTION)) / (4 * L**2)

LEMMA = CHAIN.register(
    Lemma(
        name="sga_prompt_noise_sum_le_of_coverage",
        statement="prompt-sampling SGA, eta_t = 1/(2L sqrt t), coverage gamma: sum_t eta_t^2 E||g_t||^2 <= "
        "(B^4 S^2/(4L^2)) (2 + 2 log(1 + 1/c))",
        source="derived in prose in this module (taken on trust: an open obligation of the chain)",
        doc=__doc__,
        scope="every d, K and T",
        kind="external",
        claims=(Claim.taken_on_trust("main", sp.Sum(noise_step[step], (step, 1, T)), "<=", NOISE_BOUND, ()),),
    )
)
