"""The probability step shared by every gap bound: Hoeffding's inequality at the fixed point w*.

The rewards are bounded, |<theta*, phi_a>| <= S B (:mod:`abs_inner_le_of_norm_le`, cited at every action), so the
optimal objective j(w*; x) = beta log E_{pi_ref}[e^{r_a / beta}] of every prompt lies in [-S B, S B]
(:mod:`obj_opt_mem_icc_of_norm_le`, cited with the rewards written in coordinates). The values j(w*; x_i) of the
n training prompts are i.i.d. (w* does not depend on the sample), so by Hoeffding's inequality
(:mod:`abs_mean_sub_le_of_iid_mem_icc`, cited with f = j(w*; .), lo = -S B, hi = S B) with probability at least
1 - delta, |J(w*) - J_S(w*)| = dev <= 2 S B sqrt(log(2/delta)/(2n)) = DEVIATION. The one parameter condition is
``confidence``: log(2/delta) >= 0, which delta in (0, 1) certifies.
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis, citation

from . import abs_inner_le_of_norm_le as rewards
from . import abs_mean_sub_le_of_iid_mem_icc as hoeffding
from . import obj_opt_mem_icc_of_norm_le as optimum
from ._family import A

S, B = rewards.S, rewards.B
n, delta = hoeffding.n, hoeffding.delta
gap, dev = sp.symbols("gap dev", nonnegative=True)  # |J(w) - J_S(w)| at the bounded iterate; |J(w*) - J_S(w*)|

_b = sp.Dummy("b", integer=True)
#: The rewards r_b = <theta*, phi_b> in coordinates (the sum abs_inner_le_of_norm_le bounds), as the family
#: obj_opt_mem_icc_of_norm_le is stated in.
REWARDS = {optimum.r: sp.Lambda(_b, rewards.REWARD.xreplace({A: _b}))}

REWARD_LO = citation(rewards.LEMMA, "lo", name="reward_lo", forall=(A,))
REWARD_HI = citation(rewards.LEMMA, "hi", name="reward_hi", forall=(A,))
OPTIMUM_LO = citation(optimum.LEMMA, "lower", REWARDS, name="optimum_lo")
OPTIMUM_HI = citation(optimum.LEMMA, "upper", REWARDS, name="optimum_hi")
#: j(w*; x) at an arbitrary prompt x, in coordinates.
OPTIMAL_OBJECTIVE = OPTIMUM_HI.lhs


def hoeffding_at(share: sp.Rational = sp.S.One) -> tuple[Hypothesis, ...]:
    """Hoeffding at w* with failure probability ``share * delta`` (a statement that joins it to other events by the
    union bound spends the rest of delta on them), and what it rests on, in the order they discharge one another:
    the parameter condition log(2/(share delta)) >= 0, the rewards' range, the range of j(w*; .), and last the
    citation |J(w*) - J_S(w*)| = dev <= 2 S B sqrt(log(2/(share delta))/(2n))."""
    share = sp.Rational(share)
    if not 0 < share <= 1:
        raise ValueError(f"hoeffding_at: the share of delta must be in (0, 1], got {share}")
    level = 2 / share
    confidence = Hypothesis(
        "confidence", sp.S.Zero, "<=", sp.log(level / delta), f"log({level}/delta) >= 0: delta <= {level}",
        kind="parameter",
    )
    at = {hoeffding.X: OPTIMAL_OBJECTIVE, hoeffding.lo: -S * B, hoeffding.hi: S * B, hoeffding.dev: dev}
    if share != 1:
        at[hoeffding.delta] = share * delta
    cited = citation(hoeffding.LEMMA, "main", at, name="hoeffding")
    return (confidence, REWARD_LO, REWARD_HI, OPTIMUM_LO, OPTIMUM_HI, cited)


#: Hoeffding at w* with failure probability delta, and what it rests on, in the order they discharge one another.
HYPOTHESES = hoeffding_at()
HOEFFDING = HYPOTHESES[-1]


def with_deviation(derivation: Derivation) -> Derivation:
    """Bound the ``dev`` of ``derivation`` by Hoeffding's inequality (probability >= 1 - delta) at w*."""
    return derivation.assume(*HYPOTHESES).apply(HOEFFDING, "Hoeffding at w* (probability >= 1 - delta)")


#: 2 S B sqrt(log(2/delta)/(2n)): the deviation at w*, from Hoeffding's inequality and the range of j(w*; .).
DEVIATION = with_deviation(Derivation.of(dev, HYPOTHESES)).result
