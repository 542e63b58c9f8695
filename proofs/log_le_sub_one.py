"""**The tangent-line bound of the logarithm**: log y <= y - 1 for every y > 0.

Used for Gibbs' inequality (KL >= 0) in :mod:`gap_eq_smul_kl_of_boltzmann_opt`. Classical; proved here by the
first-derivative test: f(y) = y - 1 - log y has f(1) = 0 and f'(y) (y - 1) = (y - 1)^2 / y >= 0.
"""

import sympy as sp

from rlhfsym.chain import Claim, FirstDerivativeTest, Lemma, calc

from ._chain import CHAIN

y = sp.Symbol("y", positive=True)

LEMMA = CHAIN.register(
    Lemma(
        name="log_le_sub_one",
        statement="log y <= y - 1 for every y > 0",
        source="classical (tangent line of the concave logarithm at y = 1)",
        doc=__doc__,
        scope="every y > 0",
        claims=(
            Claim(
                "main",
                sp.log(y),
                "<=",
                y - 1,
                calc(
                    (
                        "<=",
                        y - 1,
                        "f(y) = y - 1 - log y is smallest at y = 1, where it is 0",
                        FirstDerivativeTest(y - 1 - sp.log(y), y, sp.S.One),
                    )
                ),
            ),
        ),
    )
)
