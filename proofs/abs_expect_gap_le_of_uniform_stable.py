"""**Stability implies generalization in expectation** (external fact, taken on trust): if an algorithm's
outputs on any two samples that differ in one draw are at most epsilon apart, and the per-draw objective is
G-Lipschitz on the region they lie in, then |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon, where the expectation is over
the sample S.

Roles: ``E_gap`` is |E_S[J(A(S)) - J_S(A(S))]|, ``epsilon`` the uniform-stability constant, ``G`` the Lipschitz
constant. References: O. Bousquet and A. Elisseeff, JMLR 2 (2002), Lemma 7; M. Hardt, B. Recht and Y. Singer,
ICML 2016, Theorem 2.2.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

E_gap, epsilon, G = sp.symbols("E_gap epsilon G", nonnegative=True)

LEMMA = CHAIN.register(
    Lemma(
        name="abs_expect_gap_le_of_uniform_stable",
        statement="epsilon-uniformly stable A, G-Lipschitz objective: |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon",
        source="Bousquet and Elisseeff, JMLR 2 (2002); Hardt, Recht and Singer, ICML 2016, Thm 2.2 (on trust)",
        doc=__doc__,
        scope="every distribution of draws; expectation over the sample",
        kind="external",
        claims=(Claim.taken_on_trust("main", E_gap, "<=", G * epsilon, ()),),
    )
)
