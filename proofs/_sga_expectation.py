"""The expectation half shared by the SGA paper forms: from the pathwise bound gap <= C sqrt(g) + dev at the best
full-gradient iterate to E gap <= C (N / sqrt T)^(1/4) + 2 S B sqrt(log(2/delta)/(2n)).

E gap <= C E sqrt(g) + dev (expectation of the pathwise claim), E sqrt(g) <= (E g^2)^(1/4) (Jensen), and
sqrt(T) E g^2 <= N (the ascent lemma in expectation, summed; its reason is the caller's).
"""

from dataclasses import dataclass

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Monotone, calc

from ._concentration import DEVIATION, dev, deviation_steps, gap
from ._concentration import HYPOTHESES as CONCENTRATION
from .ga_best_gap_le_of_coverage import Pathwise, T, g, x

mean_gap, mean_root, mean_square = sp.symbols("E_gap E_sqrt_g E_g2", nonnegative=True)


@dataclass(frozen=True)
class ExpectedGap:
    """The bound and the two claims (``pathwise``, ``main``) of an SGA paper form."""

    bound: sp.Expr
    claims: tuple[Claim, ...]


def expected_gap(path: Pathwise, numerator: sp.Expr, descent_reason: str) -> ExpectedGap:
    """Claims ``pathwise`` and ``main`` for ``sqrt(T) E g^2 <= numerator`` (stated, with ``descent_reason``)."""
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
    descent = Hypothesis("descent", sp.sqrt(T) * mean_square, "<=", numerator, descent_reason)
    optimization = coefficient * (numerator / sp.sqrt(T)) ** sp.Rational(1, 4)
    bound = optimization + DEVIATION
    main = Claim(
        "main",
        mean_gap,
        "<=",
        bound,
        calc(
            ("<=", coefficient * mean_root + dev, "expectation of the pathwise claim", Algebra(expect.slack)),
            ("<=", coefficient * mean_square ** sp.Rational(1, 4) + dev, "Jensen", Algebra(coefficient * jensen.slack)),
            (
                "<=",
                optimization + dev,
                "E g^2 <= N / sqrt(T)",
                Monotone(
                    coefficient * x ** sp.Rational(1, 4) + dev,
                    x,
                    mean_square,
                    numerator / sp.sqrt(T),
                    gap_witness=descent.slack / sp.sqrt(T),
                ),
            ),
            *deviation_steps(optimization),
        ),
        hypotheses=(expect, jensen, descent, *CONCENTRATION),
    )
    pathwise = Claim("pathwise", gap, "<=", coefficient * sp.sqrt(g) + dev, path.steps)
    return ExpectedGap(bound, (pathwise, main))
