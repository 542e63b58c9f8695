"""**Tower property** (external fact, taken on trust): if the conditional expectation of the next value given
the past is at most rho times the current value on every path, E[Z_{t+1} | F_t] <= rho Z_t with rho fixed, then
E[Z_{t+1}] <= rho E[Z_t].

Roles: ``C`` is E[Z_{t+1} | F_t], ``Z`` is Z_t, ``e_next`` is E[Z_{t+1}], ``e`` is E[Z_t]. Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

C, Z, e_next, e = sp.symbols("C Z e_next e", real=True)
rho = sp.Symbol("rho", nonnegative=True)
CONDITIONAL = Hypothesis("conditional", C, "<=", rho * Z, "the conditional bound on every path")

LEMMA = CHAIN.register(
    Lemma(
        name="tower_le_of_cond_le",
        statement="E[Z_{t+1} | F_t] <= rho Z_t on every path: E[Z_{t+1}] <= rho E[Z_t]",
        source="classical (the tower property of conditional expectation), taken on trust",
        doc=__doc__,
        scope="every filtered probability space",
        kind="external",
        claims=(Claim.taken_on_trust("main", e_next, "<=", rho * e, (CONDITIONAL,)),),
    )
)
