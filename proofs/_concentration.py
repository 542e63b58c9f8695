"""The probability step shared by every gap bound: Hoeffding's inequality at the fixed point w*.

The values j(w*; x_i) of the n training prompts are i.i.d. in an interval of length M <= 2 S B
(:mod:`obj_opt_mem_icc_of_norm_le`), so with probability at least 1 - delta,
|J(w*) - J_S(w*)| = dev <= M sqrt(log(2/delta)/(2n)) <= 2 S B sqrt(log(2/delta)/(2n)) = DEVIATION.
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis
from rlhfsym.setting import symbol

from ._model import B

S, n, delta = symbol("S"), symbol("n"), symbol("delta")
gap, dev = sp.symbols("gap dev", nonnegative=True)  # |J(w) - J_S(w)| at the bounded iterate; |J(w*) - J_S(w*)|
width = sp.Symbol("M", positive=True)
confidence = sp.sqrt(sp.log(2 / delta) / (2 * n))

HOEFFDING = Hypothesis(
    "hoeffding",
    dev,
    "<=",
    width * confidence,
    "with probability >= 1 - delta: Hoeffding for n i.i.d. values in an interval of length M",
)
RANGE = Hypothesis("range", width, "<=", 2 * S * B, "j(w*; x) in [-S B, S B] (obj_opt_mem_icc_of_norm_le)")
CONFIDENCE = Hypothesis("confidence", sp.S.Zero, "<=", sp.log(2 / delta), "delta < 1 <= 2")
HYPOTHESES = (HOEFFDING, RANGE, CONFIDENCE)


def with_deviation(derivation: Derivation) -> Derivation:
    """Bound the ``dev`` of ``derivation``: Hoeffding (probability >= 1 - delta), then M <= 2 S B."""
    return (
        derivation.assume(CONFIDENCE)
        .apply(HOEFFDING, "Hoeffding (probability >= 1 - delta)")
        .apply(RANGE, "M <= 2 S B", derivative_witness=sp.sqrt(CONFIDENCE.slack / (2 * n)))
    )


#: 2 S B sqrt(log(2/delta)/(2n)): the deviation at w*, composed from Hoeffding and the range of j.
DEVIATION = with_deviation(Derivation.of(dev)).result
