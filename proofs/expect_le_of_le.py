"""**Expectation of a pathwise inequality** (external fact, taken on trust): if X <= c Y + b on every path of a
random experiment, with c >= 0 and b fixed (not random), then E[X] <= c E[Y] + b (linearity and monotonicity of
expectation).

Roles: ``X``, ``Y`` the random quantities on one path, ``EX``, ``EY`` their expectations. Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

X, Y, EX, EY, b = sp.symbols("X Y EX EY b", real=True)
c = sp.Symbol("c", nonnegative=True)
PATHWISE = Hypothesis("pathwise", X, "<=", c * Y + b, "the inequality on every path")

LEMMA = CHAIN.register(
    Lemma(
        name="expect_le_of_le",
        statement="X <= c Y + b on every path, c >= 0, b fixed: E[X] <= c E[Y] + b",
        source="classical (linearity and monotonicity of expectation), taken on trust",
        doc=__doc__,
        scope="every probability space",
        kind="external",
        claims=(Claim.taken_on_trust("main", EX, "<=", c * EY + b, (PATHWISE,)),),
    )
)
