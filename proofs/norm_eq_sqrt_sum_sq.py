"""**The Euclidean norm in coordinates** (external fact, taken on trust): for a vector u of R^d with coordinates
u_1..u_d in an orthonormal basis, ||u|| = sqrt(u_1^2 + ... + u_d^2).

Roles of the symbols: ``N`` is ||u||, the family ``u`` its coordinates (i = 1..d). Claims ``le`` (N <= sqrt(sum_i
u_i^2)) and ``ge`` (sqrt(sum_i u_i^2) <= N): the definition of the norm, read as the two inequalities a citation can
use. It ties a distance stated as a number (||w* - w_0|| = ||theta*|| / beta) to the setting's coordinates
(:mod:`setting_norm_le`). Reference: the definition of the Euclidean norm (any linear algebra text).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN
from ._family import coordinates, family

N = sp.Symbol("N", nonnegative=True)
u = family("u")
ROOT = sp.sqrt(coordinates(lambda i: u[i] ** 2))

LEMMA = CHAIN.register(
    Lemma(
        name="norm_eq_sqrt_sum_sq",
        statement="||u|| = sqrt(sum_i u_i^2) in an orthonormal basis",
        source="the definition of the Euclidean norm, taken on trust",
        doc=__doc__,
        scope="every dimension d",
        kind="external",
        claims=(
            Claim.taken_on_trust("le", N, "<=", ROOT, ()),
            Claim.taken_on_trust("ge", ROOT, "<=", N, ()),
        ),
    )
)
