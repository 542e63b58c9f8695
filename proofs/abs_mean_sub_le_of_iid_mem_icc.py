"""**Hoeffding's inequality** (external fact, taken on trust): for n i.i.d. draws x_1..x_n of a distribution D and a
function f of one draw, fixed before the draws, with lo <= f(x) <= hi for every x, with probability at least
1 - delta, |E_D f - (1/n) sum_i f(x_i)| <= (hi - lo) sqrt(log(2/delta) / (2 n)).

Roles of the symbols: ``X`` is f(x) at an arbitrary draw x (the hypotheses ``lower``, ``upper`` hold for every x),
``dev`` is |E_D f - (1/n) sum_i f(x_i)|. The function must not depend on the sample: the chain applies it at w*, a
fixed point. Reference: W. Hoeffding, "Probability inequalities for sums of bounded random variables", JASA 1963,
Theorem 2.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

n, delta = symbol("n"), symbol("delta")
X, lo, hi = sp.symbols("X lo hi", real=True)
dev = sp.Symbol("dev", nonnegative=True)

LOWER = Hypothesis("lower", lo, "<=", X, "f(x) >= lo at every draw x")
UPPER = Hypothesis("upper", X, "<=", hi, "f(x) <= hi at every draw x")
CONFIDENCE = Hypothesis("confidence", sp.S.Zero, "<=", sp.log(2 / delta), "delta <= 2")

LEMMA = CHAIN.register(
    Lemma(
        name="abs_mean_sub_le_of_iid_mem_icc",
        statement="Hoeffding: w.p. >= 1 - delta, |E_D f - mean_S f| <= (hi - lo) sqrt(log(2/delta)/(2n)) for a fixed f "
        "with values in [lo, hi]",
        source="W. Hoeffding, JASA 58 (1963), Theorem 2 (taken on trust)",
        doc=__doc__,
        scope="every n >= 1 and delta in (0, 1]; probability over the n i.i.d. draws",
        kind="external",
        claims=(
            Claim.taken_on_trust(
                "main", dev, "<=", (hi - lo) * sp.sqrt(sp.log(2 / delta) / (2 * n)), (LOWER, UPPER, CONFIDENCE)
            ),
        ),
    )
)
