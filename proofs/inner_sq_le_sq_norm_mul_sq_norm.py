"""**Cauchy-Schwarz inequality**: <u, f>^2 <= ||u||^2 ||f||^2.

Proved for d = 3 with symbolic coordinates (which covers d <= 3, coordinates may be 0) through Lagrange's
identity ||u||^2 ||f||^2 - <u, f>^2 = sum_{i<j} (u_i f_j - u_j f_i)^2. Every scalar lemma of the chain that uses
a projection ``x_a = <u, phi_a>`` states its Cauchy-Schwarz consequence as a hypothesis; this lemma is where
that hypothesis comes from. Classical.
"""

from itertools import combinations

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, calc

from ._chain import CHAIN
from ._model import D, dot, vector

u, f = vector("u"), vector("f")
lagrange = sum(((u[i] * f[j] - u[j] * f[i]) ** 2 for i, j in combinations(range(D), 2)), sp.S.Zero)

LEMMA = CHAIN.register(
    Lemma(
        name="inner_sq_le_sq_norm_mul_sq_norm",
        statement="<u, f>^2 <= ||u||^2 ||f||^2",
        source="classical (Lagrange's identity)",
        doc=__doc__,
        scope=f"symbolic for d <= {D}; every d is classical",
        claims=(
            Claim(
                "d3",
                dot(u, f) ** 2,
                "<=",
                dot(u, u) * dot(f, f),
                calc(
                    (
                        "<=",
                        dot(u, u) * dot(f, f),
                        "Lagrange's identity: the gap is a sum of squares",
                        Algebra(witness=lagrange),
                    )
                ),
            ),
        ),
    )
)
