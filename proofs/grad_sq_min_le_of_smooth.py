"""**Ascent lemma for an L-smooth function, summed** (external fact, taken on trust): gradient ascent with step
1/L on a function f that is L-smooth on a convex set holding every iterate w_0..w_T gains at least
||grad f(w_t)||^2 / (2L) per step, so the smallest gradient norm g over the iterates satisfies
T g^2 <= 2 L (f_max - f(w_0)) for any upper bound f_max of f on the set.

Roles: ``g`` the smallest ||grad f(w_t)||, ``Delta`` an upper bound of f_max - f(w_0), ``L`` the smoothness constant,
``T`` the number of steps. Reference: Y. Nesterov, Introductory Lectures on Convex Optimization (2004), (1.2.13).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

T = symbol("T")
g, Delta = sp.symbols("g Delta", nonnegative=True)
L = sp.Symbol("L", positive=True)

LEMMA = CHAIN.register(
    Lemma(
        name="grad_sq_min_le_of_smooth",
        statement="GA with step 1/L on an L-smooth f: T min_t ||grad f(w_t)||^2 <= 2 L (f_max - f(w_0))",
        source="Nesterov, Introductory Lectures on Convex Optimization (2004), eq. (1.2.13), taken on trust",
        doc=__doc__,
        scope="every L-smooth function on a convex set holding the iterates",
        kind="external",
        claims=(Claim.taken_on_trust("main", g**2, "<=", 2 * L * Delta / T, ()),),
    )
)
