"""**Stability implies generalization in expectation** (external fact, taken on trust): if an algorithm's
outputs on any two samples that differ in one draw are at most epsilon apart, and the per-draw objective is
G-Lipschitz on a convex set that holds every output, then |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon, where the
expectation is over the sample S of n i.i.d. draws.

Roles: ``E_gap`` is |E_S[J(A(S)) - J_S(A(S))]|; ``Lip`` the supremum of ||grad_w j(w; x)|| over the draws x and a
convex set holding every output (hypothesis ``lipschitz``: Lip <= G); ``apart`` the supremum over pairs of samples
differing in one draw of ||A(S) - A(S')|| (hypothesis ``stable``: apart <= epsilon). ``G`` and ``epsilon`` are any
numbers with those properties. References: O. Bousquet and A. Elisseeff, JMLR 2 (2002), Lemma 7; M. Hardt, B. Recht
and Y. Singer, ICML 2016, Theorem 2.2 (the exchangeability argument E_S[J(A(S))] = E_{S,z}[j(A(S^(i)); z_i)]).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

E_gap, Lip, apart = sp.symbols("E_gap Lip apart", nonnegative=True)
epsilon, G = sp.symbols("epsilon G", real=True)  # any bounds: the premises force them >= 0
LIPSCHITZ = Hypothesis("lipschitz", Lip, "<=", G, "j(.; x) is G-Lipschitz on a convex set holding every output",
                       kind="asserted")  # fmt: skip
STABLE = Hypothesis("stable", apart, "<=", epsilon, "outputs on samples differing in one draw are <= epsilon apart",
                    kind="asserted")  # fmt: skip

LEMMA = CHAIN.register(
    Lemma(
        name="abs_expect_gap_le_of_uniform_stable",
        statement="epsilon-uniformly stable A, G-Lipschitz objective: |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon",
        source="Bousquet and Elisseeff, JMLR 2 (2002); Hardt, Recht and Singer, ICML 2016, Thm 2.2 (on trust)",
        doc=__doc__,
        scope="every distribution of draws; expectation over the sample",
        kind="external",
        claims=(Claim.taken_on_trust("main", E_gap, "<=", G * epsilon, (LIPSCHITZ, STABLE)),),
    )
)
