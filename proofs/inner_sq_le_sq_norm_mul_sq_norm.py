"""**Cauchy-Schwarz inequality**: <u, f>^2 <= ||u||^2 ||f||^2 in every dimension d.

Proved for a symbolic dimension d (sums over the coordinates i = 1..d) through Lagrange's identity
||u||^2 ||f||^2 - <u, f>^2 = (1/2) sum_{i,j} (u_i f_j - u_j f_i)^2, a sum of squares. Every scalar lemma of the
chain that uses a projection ``x_a = <u, phi_a>`` can cite this claim for its Cauchy-Schwarz consequence.
Classical.
"""


from rlhfsym.chain import Algebra, Claim, Lemma, calc

from ._chain import CHAIN
from ._family import coordinates, family

u, f = family("u"), family("f")
INNER = coordinates(lambda i: u[i] * f[i])
SQ_U, SQ_F = coordinates(lambda i: u[i] ** 2), coordinates(lambda i: f[i] ** 2)
LAGRANGE = coordinates(lambda i: coordinates(lambda j: (u[i] * f[j] - u[j] * f[i]) ** 2)) / 2

LEMMA = CHAIN.register(
    Lemma(
        name="inner_sq_le_sq_norm_mul_sq_norm",
        statement="<u, f>^2 <= ||u||^2 ||f||^2",
        source="classical (Lagrange's identity)",
        doc=__doc__,
        scope="every d (sums over the coordinates)",
        claims=(
            Claim(
                "main",
                INNER**2,
                "<=",
                SQ_U * SQ_F,
                calc(
                    (
                        "<=",
                        SQ_U * SQ_F,
                        "Lagrange's identity: the gap is half a double sum of squares",
                        Algebra(witness=LAGRANGE),
                    )
                ),
            ),
        ),
    )
)
