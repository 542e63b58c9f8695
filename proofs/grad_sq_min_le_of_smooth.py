"""**Ascent lemma for an L-smooth function, summed** (external fact, taken on trust): gradient ascent with step 1/L on a
function f that is L-smooth on a convex set holding every iterate w_0..w_T gains at least ||grad f(w_t)||^2 / (2L) per
step, so the smallest gradient norm g over the iterates satisfies T g^2 <= 2 L (f_max - f(w_0)) for any upper bound
f_max of f on the set.

Roles: ``g`` the smallest ||grad f(w_t)||, ``Delta`` an upper bound of f_max - f(w_0), ``L`` the smoothness constant,
``T`` the number of steps, ``eta`` the step size, which must be 1/L (hypotheses ``step_le`` and ``step_ge``: the gain
eta (1 - L eta/2) ||grad f(w_t)||^2 per step is 1/(2L) ||grad f(w_t)||^2 at eta = 1/L and less at any other step).
Reference: Y. Nesterov, Introductory Lectures on Convex Optimization (2004), (1.2.13).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

T = symbol("T")
g, Delta = sp.symbols("g Delta", nonnegative=True)
L = sp.Symbol("L", positive=True)
eta = sp.Symbol("eta", positive=True)
STEP_LE = Hypothesis("step_le", eta, "<=", 1 / L, "the step size is at most 1/L")
STEP_GE = Hypothesis("step_ge", 1 / L, "<=", eta, "the step size is at least 1/L")

LEMMA = CHAIN.register(
    Lemma(
        name="grad_sq_min_le_of_smooth",
        statement="GA with step 1/L on an L-smooth f: T min_t ||grad f(w_t)||^2 <= 2 L (f_max - f(w_0))",
        source="Nesterov, Introductory Lectures on Convex Optimization (2004), eq. (1.2.13), taken on trust",
        doc=__doc__,
        scope="every L-smooth function on a convex set holding the iterates",
        kind="external",
        claims=(Claim.taken_on_trust("main", g**2, "<=", 2 * L * Delta / T, (STEP_LE, STEP_GE)),),
    )
)
