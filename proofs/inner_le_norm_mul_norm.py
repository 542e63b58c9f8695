"""**Cauchy-Schwarz inequality, in an inner-product space** (external fact, taken on trust): <g, z> <= ||g|| ||z||.

Roles: ``I`` is <g, z>, ``G`` is ||g||, ``D`` is ||z||. In coordinates the chain proves it
(:mod:`inner_sq_le_sq_norm_mul_sq_norm`, every d); this form names the vectors only through these three numbers.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

inner = sp.Symbol("I", real=True)
G, D = sp.symbols("G D", nonnegative=True)

LEMMA = CHAIN.register(
    Lemma(
        name="inner_le_norm_mul_norm",
        statement="<g, z> <= ||g|| ||z||",
        source="classical (Cauchy-Schwarz), taken on trust; in coordinates proved by inner_sq_le_sq_norm_mul_sq_norm",
        doc=__doc__,
        scope="every inner-product space",
        kind="external",
        claims=(Claim.taken_on_trust("main", inner, "<=", G * D, ()),),
    )
)
