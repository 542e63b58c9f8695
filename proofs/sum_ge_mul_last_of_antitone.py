"""**A window of a nonincreasing sequence sums to at least its length times its last term** (external fact, taken on
trust): if f_{t+1} <= f_t for every t >= 1, then for integers a >= 0 and N >= 0 every term of the window t = a+1..a+N is
at least its last one, so sum_{t=a+1}^{a+N} f_t >= N f_{a+N} (the empty window, N = 0, gives 0 >= 0).

Roles: ``f`` the sequence (an indexed family, read at t >= 1 only), ``a`` the number of terms before the window, ``N``
its length. The chain cites it for step sizes eta_t = 1/(2L sqrt t): sum_{t=1}^T eta_t >= T eta_T = sqrt(T)/(2L), and
over the last steps of a run. Classical (termwise comparison of finite sums).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

f = sp.IndexedBase("f")  # real entries at t >= 1 (the hypothesis compares them); no sign is assumed
t = sp.Symbol("t", integer=True, positive=True)  # the index, t >= 1
a, N = sp.symbols("a N", integer=True, nonnegative=True)
ANTITONE = Hypothesis("antitone", f[t + 1], "<=", f[t], "the sequence does not increase: f_{t+1} <= f_t", forall=(t,))

LEMMA = CHAIN.register(
    Lemma(
        name="sum_ge_mul_last_of_antitone",
        statement="f nonincreasing, a, N >= 0: sum_{t=a+1}^{a+N} f_t >= N f_{a+N}",
        source="classical (termwise comparison of finite sums), taken on trust",
        doc=__doc__,
        scope="every sequence of reals nonincreasing on t >= 1 and every window",
        kind="external",
        claims=(Claim.taken_on_trust("main", N * f[a + N], "<=", sp.Sum(f[t], (t, a + 1, a + N)), (ANTITONE,)),),
    )
)
