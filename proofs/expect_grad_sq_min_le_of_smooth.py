"""**Ascent lemma in expectation, summed over a window** (external fact, taken on trust): stochastic gradient ascent w_t
= w_{t-1} + eta_t g_t with step sizes eta_t >= 0 and unbiased estimates (E[g_t | F_{t-1}] = grad f(w_{t-1})) of a
function f that is L-smooth on a convex set holding every iterate satisfies, over any window of steps t = t0+1..t0+N
(t0, N >= 0), min_t E||grad f(w_{t-1})||^2 sum_t eta_t <= f_max - E f(w_{t0}) + (L/2) sum_t eta_t^2 E||g_t||^2, f_max an
upper bound of f on the set. Per step, f(w_{t-1} + eta_t g_t) >= f(w_{t-1}) + eta_t <grad f(w_{t-1}), g_t> - (L/2)
eta_t^2 ||g_t||^2 (smoothness along the segment, which the convex set holds); the conditional expectation turns the
inner product into ||grad f(w_{t-1})||^2, and the sum telescopes. No condition on the size of eta_t is needed for this
form (the noise term carries E||g_t||^2, not a variance).

Roles: ``m2`` the smallest E||grad f(w_{t-1})||^2 over the window, ``Delta_E`` an upper bound of f_max - E f(w_{t0}),
``L`` the smoothness constant, ``eta`` the step sizes (a family read at t >= 1, each >= 0: hypothesis ``step_nonneg``),
``V`` the noise of each step, V_t = eta_t^2 E||g_t||^2, ``t0`` the steps before the window and ``N`` its length;
``eta_sum`` a lower bound of sum_t eta_t over the window (hypothesis ``steps``) and ``noise`` an upper bound of sum_t
V_t (hypothesis ``noise_sum``); ``mean_g`` the conditional mean E[<g_t, u> | F_{t-1}] of the estimate in a direction u
and ``grad_g`` the directional derivative <grad f(w_{t-1}), u>, for every step and direction (hypotheses
``unbiased_le``, ``unbiased_ge``: unbiasedness as two inequalities). Reference: S. Ghadimi and G. Lan, SIAM J. Optim. 23
(2013), the proof of Theorem 2.1.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

m2, Delta_E, noise = sp.symbols("m2 Delta_E noise", nonnegative=True)
eta_sum, L = sp.symbols("eta_sum L", positive=True)
eta = sp.IndexedBase("eta")  # the step sizes eta_t, read at t >= 1 only (hypothesis ``step_nonneg``)
V = sp.IndexedBase("V", nonnegative=True)  # the noise of each step, eta_t^2 E||g_t||^2
t = sp.Symbol("t", integer=True, positive=True)
t0, N = sp.symbols("t0 N", integer=True, nonnegative=True)
mean_g, grad_g = sp.symbols("mean_g grad_g", real=True)

STEP_NONNEG = Hypothesis("step_nonneg", sp.S.Zero, "<=", eta[t], "every step size is >= 0", forall=(t,))
UNBIASED_LE = Hypothesis("unbiased_le", mean_g, "<=", grad_g, "E[<g_t, u> | F_{t-1}] <= <grad f(w_{t-1}), u>")
UNBIASED_GE = Hypothesis("unbiased_ge", grad_g, "<=", mean_g, "E[<g_t, u> | F_{t-1}] >= <grad f(w_{t-1}), u>")
STEPS = Hypothesis("steps", eta_sum, "<=", sp.Sum(eta[t], (t, t0 + 1, t0 + N)), "eta_sum <= sum_{t=t0+1}^{t0+N} eta_t")
NOISE = Hypothesis(
    "noise_sum", sp.Sum(V[t], (t, t0 + 1, t0 + N)), "<=", noise, "sum_{t=t0+1}^{t0+N} eta_t^2 E||g_t||^2 <= noise"
)

LEMMA = CHAIN.register(
    Lemma(
        name="expect_grad_sq_min_le_of_smooth",
        statement="SGA, unbiased gradients, L-smooth f: min_t E||grad f||^2 sum eta_t <= f_max - E f(w_t0)"
        " + (L/2) sum eta_t^2 E||g_t||^2",
        source="Ghadimi and Lan, SIAM J. Optim. 23 (2013), proof of Theorem 2.1, taken on trust",
        doc=__doc__,
        scope="every L-smooth function on a convex set holding the iterates; expectation over the algorithm",
        kind="external",
        claims=(
            Claim.taken_on_trust(
                "main",
                m2,
                "<=",
                (Delta_E + L / 2 * noise) / eta_sum,
                (STEP_NONNEG, UNBIASED_LE, UNBIASED_GE, STEPS, NOISE),
            ),
        ),
    )
)
