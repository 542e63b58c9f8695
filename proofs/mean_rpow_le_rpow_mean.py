"""**Jensen's inequality for a concave power** (external fact, taken on trust): for a random Y >= 0 and
0 < p <= 1, E[Y^p] <= (E[Y])^p.

Roles: ``m_p`` is E[Y^p], ``m_1`` is E[Y]. The chain uses p = 1/2 (E||w_T - w*|| <= sqrt(E||w_T - w*||^2)) and
p = 1/4 (E g^(1/2) = E (g^2)^(1/4) <= (E g^2)^(1/4)). Reference: J. L. W. V. Jensen, Acta Math. 30 (1906).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

m_p, m_1 = sp.symbols("m_p m_1", nonnegative=True)
p = sp.Symbol("p", positive=True)
P_LE_ONE = Hypothesis("p_le_one", p, "<=", sp.S.One, "the power is at most 1 (concave)")

LEMMA = CHAIN.register(
    Lemma(
        name="mean_rpow_le_rpow_mean",
        statement="E[Y^p] <= (E[Y])^p for Y >= 0 and 0 < p <= 1",
        source="Jensen, Acta Mathematica 30 (1906), taken on trust",
        doc=__doc__,
        scope="every probability space",
        kind="external",
        claims=(Claim.taken_on_trust("main", m_p, "<=", m_1**p, (P_LE_ONE,)),),
    )
)
