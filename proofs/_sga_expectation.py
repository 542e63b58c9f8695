"""The expectation half shared by the SGA paper forms: from the pathwise bound gap <= C sqrt(g) + dev at the best
full-gradient iterate to E gap <= C ((2 L_s Delta + L_s^2 noise) / (2 L_s eta_sum))^(1/4) + Hoeffding's term.

E gap <= C E sqrt(g) + dev (expectation of the pathwise claim), E sqrt(g) <= (E g^2)^(1/4) (Jensen), and the
ascent lemma in expectation summed over a window of steps: E g^2 <= min_t E||grad J_S(w_t)||^2 <=
(Delta + (L_s/2) noise) / eta_sum, where Delta bounds the progress J_S(w*) - E J_S(w_start), noise bounds
sum eta_t^2 E||g_t||^2 and eta_sum <= sum eta_t over the window. The three facts and their reasons are the
caller's; the bound is composed from them.
"""

from dataclasses import dataclass

import sympy as sp

from rlhfsym.chain import Claim, Derivation, Hypothesis

from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, with_deviation
from .ga_best_gap_le_of_coverage import Pathwise

mean_gap, mean_root, mean_square = sp.symbols("E_gap E_sqrt_g E_g2", nonnegative=True)
progress, noise = sp.symbols("Delta_E noise", nonnegative=True)  # J_S(w*) - E J_S(w_start); sum eta_t^2 E||g_t||^2
eta_sum = sp.Symbol("eta_sum", positive=True)  # sum of the step sizes over the window


@dataclass(frozen=True)
class ExpectedGap:
    """The bound and the two claims (``pathwise``, ``main``) of an SGA paper form."""

    bound: sp.Expr
    claims: tuple[Claim, ...]


def expected_gap(
    path: Pathwise,
    smoothness: sp.Expr,
    facts: tuple[Hypothesis, Hypothesis, Hypothesis],
    ascent_reason: str,
) -> ExpectedGap:
    """Claims ``pathwise`` and ``main`` from the window facts ``(Delta_E <= ..., noise <= ..., ... <= eta_sum)``."""
    coefficient = path.coefficient
    expect = Hypothesis(
        "expectation",
        mean_gap,
        "<=",
        coefficient * mean_root + dev,
        "expectation over the algorithm of claim pathwise (dev is fixed given the sample)",
    )
    jensen = Hypothesis(
        "jensen", mean_root, "<=", mean_square ** sp.Rational(1, 4), "Jensen: E g^(1/2) <= (E g^2)^(1/4)"
    )
    ascent = Hypothesis("ascent_sum", mean_square, "<=", (progress + smoothness / 2 * noise) / eta_sum, ascent_reason)
    progress_fact, noise_fact, steps_fact = facts
    derivation = (
        Derivation.of(mean_gap, (expect, jensen, ascent, *facts, *CONCENTRATION))
        .apply(expect, "expectation of the pathwise claim")
        .apply(jensen, "Jensen")
        .apply(ascent, "the ascent lemma in expectation, summed over the window")
        .apply(progress_fact)
        .apply(noise_fact)
        .apply(steps_fact)
    )
    main = with_deviation(derivation)
    return ExpectedGap(main.result, (path.derivation.claim("pathwise"), main.claim("main")))
