"""**The sample mean is unbiased** (external fact, taken on trust): for n i.i.d. draws x_1..x_n of a distribution D
and a function f of one draw fixed before the draws (integrable), E_S[E_D f - (1/n) sum_i f(x_i)] = 0, the
expectation being over the sample S (linearity of expectation: each E_S f(x_i) = E_D f).

Roles: ``mean_dev`` is E_S[E_D f - (1/n) sum_i f(x_i)]; the two claims ``le`` and ``ge`` state the equality as two
inequalities (the chain cites inequalities only). The function must not depend on the sample: the chain applies it
at w*, a fixed point, with f = j(w*; .), so that E_S[J(w*) - J_S(w*)] = 0. The statement is true of the quantity
``mean_dev`` denotes and false of most numbers, so it declares ``defines=(mean_dev,)``: no citation may give it a
value (rlhfsym.chain.definitions). Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

mean_dev = sp.Symbol("mean_dev", real=True)

LEMMA = CHAIN.register(
    Lemma(
        name="expect_mean_eq_of_iid",
        statement="E_S[E_D f - (1/n) sum_i f(x_i)] = 0 for n i.i.d. draws and a fixed integrable f",
        source="classical (linearity of expectation), taken on trust",
        doc=__doc__,
        scope="every n >= 1 and every distribution of draws; expectation over the sample",
        kind="external",
        defines=(mean_dev,),
        claims=(
            Claim.taken_on_trust("le", mean_dev, "<=", sp.S.Zero, ()),
            Claim.taken_on_trust("ge", mean_dev, ">=", sp.S.Zero, ()),
        ),
    )
)
