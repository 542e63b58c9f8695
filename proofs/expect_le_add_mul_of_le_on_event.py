"""**Expectation split over an event** (external fact, taken on trust): if X <= Y + a on every path of an event G,
X <= Y + b on every path, with a, b >= 0 fixed (not random) and Y integrable, then E[X] <= E[Y] + a + b P(not G).
(E[X - Y] = E[(X - Y) 1_G] + E[(X - Y) 1_{not G}] <= a P(G) + b P(not G) <= a + b P(not G).)

Roles: ``X``, ``Y`` the random quantities on one path, ``EX``, ``EY`` their expectations, ``p_out`` the probability of
the complement of G. Hypothesis ``on_event`` is the inequality on the paths of G: the chain tracks no events, so that
a citation's ``on_event`` was derived on the event whose failure probability it cites as ``p_out`` is read in the
citation's roles (the trusted base), as the union bound of two failure probabilities is. Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

X, Y, EX, EY = sp.symbols("X Y EX EY", real=True)
a, b, p_out = sp.symbols("a b p_out", real=True)
ON_EVENT = Hypothesis("on_event", X, "<=", Y + a, "the inequality on every path of the event G")
ALWAYS = Hypothesis("always", X, "<=", Y + b, "the inequality on every path")
A_NONNEG = Hypothesis("a_nonneg", a, ">=", sp.S.Zero, "a >= 0")
B_NONNEG = Hypothesis("b_nonneg", b, ">=", sp.S.Zero, "b >= 0")

LEMMA = CHAIN.register(
    Lemma(
        name="expect_le_add_mul_of_le_on_event",
        statement="X <= Y + a on the event G and X <= Y + b always, a, b >= 0 fixed: E[X] <= E[Y] + a + b P(not G)",
        source="classical (linearity and monotonicity of expectation, split over G and its complement), taken on"
        " trust",
        doc=__doc__,
        scope="every probability space and event",
        kind="external",
        claims=(
            Claim.taken_on_trust("main", EX, "<=", EY + a + b * p_out, (ON_EVENT, ALWAYS, A_NONNEG, B_NONNEG)),
        ),
    )
)
