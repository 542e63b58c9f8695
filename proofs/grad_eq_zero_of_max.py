"""**First-order optimality** (external fact, taken on trust): at a maximiser w_S of a differentiable function
J_S on an open set, grad J_S(w_S) = 0, so <grad J_S(w_S), z> = 0 for every z.

Roles: ``I`` is <grad J_S(w_S), z>. Claim ``main``: I <= 0 (the direction the chain uses). Classical (Fermat).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

inner = sp.Symbol("I", real=True)

LEMMA = CHAIN.register(
    Lemma(
        name="grad_eq_zero_of_max",
        statement="at a maximiser of a differentiable function the gradient vanishes",
        source="classical (Fermat's theorem on stationary points), taken on trust",
        doc=__doc__,
        scope="every differentiable function on an open set",
        kind="external",
        claims=(Claim.taken_on_trust("main", inner, "<=", sp.S.Zero, ()),),
    )
)
