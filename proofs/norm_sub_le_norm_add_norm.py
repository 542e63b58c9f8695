"""**Triangle inequality** (external fact, taken on trust): ||a - b|| <= ||a - c|| + ||c - b|| for vectors a, b, c.

Roles: ``N_ab`` is ||a - b||, ``N_ac`` is ||a - c||, ``N_cb`` is ||c - b||. Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

N_ab, N_ac, N_cb = sp.symbols("N_ab N_ac N_cb", nonnegative=True)

LEMMA = CHAIN.register(
    Lemma(
        name="norm_sub_le_norm_add_norm",
        statement="||a - b|| <= ||a - c|| + ||c - b||",
        source="classical (the triangle inequality), taken on trust",
        doc=__doc__,
        scope="every normed space",
        kind="external",
        claims=(Claim.taken_on_trust("main", N_ab, "<=", N_ac + N_cb, ()),),
    )
)
