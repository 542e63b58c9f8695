"""**Ascent lemma in expectation, summed over a window** (external fact, taken on trust): stochastic gradient
ascent w_t = w_{t-1} + eta_t g_t with unbiased estimates (E[g_t | F_{t-1}] = grad f(w_{t-1})) of an L-smooth f on a
convex set holding every iterate satisfies, over any window of steps t = t0+1..T,
min_t E||grad f(w_{t-1})||^2 sum_t eta_t <= f_max - E f(w_{t0}) + (L/2) sum_t eta_t^2 E||g_t||^2.

Roles: ``m2`` the smallest E||grad f(w_{t-1})||^2 over the window, ``Delta_E`` an upper bound of
f_max - E f(w_{t0}), ``noise`` an upper bound of sum_t eta_t^2 E||g_t||^2, ``eta_sum`` a lower bound of sum_t eta_t.
Reference: S. Ghadimi and G. Lan, SIAM J. Optim. 23 (2013), the proof of Theorem 2.1.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

m2, Delta_E, noise = sp.symbols("m2 Delta_E noise", nonnegative=True)
eta_sum, L = sp.symbols("eta_sum L", positive=True)

LEMMA = CHAIN.register(
    Lemma(
        name="expect_grad_sq_min_le_of_smooth",
        statement="SGA, unbiased gradients, L-smooth f: min_t E||grad f||^2 sum eta_t <= f_max - E f(w_t0)"
        " + (L/2) sum eta_t^2 E||g_t||^2",
        source="Ghadimi and Lan, SIAM J. Optim. 23 (2013), proof of Theorem 2.1, taken on trust",
        doc=__doc__,
        scope="every L-smooth function on a convex set holding the iterates; expectation over the algorithm",
        kind="external",
        claims=(Claim.taken_on_trust("main", m2, "<=", (Delta_E + L / 2 * noise) / eta_sum, ()),),
    )
)
