"""**Square of the norm of a sum** (external fact, taken on trust): ||a + b||^2 = ||a||^2 + 2 <a, b> + ||b||^2 for
vectors a, b of a real inner-product space (bilinearity and symmetry of the inner product), stated as the two
inequalities a citation can use (``le`` and ``ge``).

Roles: ``N_sum`` is ||a + b||, ``N_a`` is ||a||, ``N_b`` is ||b||, ``I`` is <a, b>. Classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

N_sum, N_a, N_b = sp.symbols("N_sum N_a N_b", nonnegative=True)
I = sp.Symbol("I", real=True)  # noqa: E741
EXPANSION = N_a**2 + 2 * I + N_b**2

LEMMA = CHAIN.register(
    Lemma(
        name="sq_norm_add_eq",
        statement="||a + b||^2 = ||a||^2 + 2 <a, b> + ||b||^2",
        source="classical (bilinearity of the inner product), taken on trust",
        doc=__doc__,
        scope="every real inner-product space",
        kind="external",
        claims=(
            Claim.taken_on_trust("le", N_sum**2, "<=", EXPANSION, ()),
            Claim.taken_on_trust("ge", EXPANSION, "<=", N_sum**2, ()),
        ),
    )
)
