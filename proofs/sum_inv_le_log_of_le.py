"""**Midpoint bound of the harmonic sum** (external fact, taken on trust): for integers a, N >= 0 and c >= 0,
sum_{t=a+1}^{a+N} c/t <= c log((a + N + 1/2)/(a + 1/2)). Each term is at most the integral of 1/x over [t - 1/2, t +
1/2], since 1/x is convex on x > 0 (Hermite-Hadamard: the value at the midpoint is at most the mean over the interval);
the integrals over t = a+1..a+N tile [a + 1/2, a + N + 1/2].

Roles: ``a`` the number of terms before the window t = a+1..a+N, ``N`` its length, ``c`` a constant factor. Reference:
the Hermite-Hadamard inequality (J. Hadamard, J. Math. Pures Appl. 58 (1893)); classical.
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

t = sp.Symbol("t", integer=True, positive=True)
a, N = sp.symbols("a N", integer=True, nonnegative=True)
c = sp.Symbol("c", nonnegative=True)
HALF = sp.Rational(1, 2)

LEMMA = CHAIN.register(
    Lemma(
        name="sum_inv_le_log_of_le",
        statement="a, N >= 0 integers, c >= 0: sum_{t=a+1}^{a+N} c/t <= c log((a + N + 1/2)/(a + 1/2))",
        source="classical (Hermite-Hadamard for the convex 1/x), taken on trust",
        doc=__doc__,
        scope="every window of integers a+1..a+N, a, N >= 0",
        kind="external",
        claims=(
            Claim.taken_on_trust(
                "main", sp.Sum(c / t, (t, a + 1, a + N)), "<=", c * sp.log((a + N + HALF) / (a + HALF)), ()
            ),
        ),
    )
)
