"""The rules a value of each parameter of the setting must obey (setting.md, section 5), without sympy.

:mod:`rlhfsym.setting` adds a sympy symbol to each; :mod:`rlhfsym.testing` draws values that obey them. One table,
so the two cannot drift.

>>> RULES["delta"].admits(Fraction(1, 2)), RULES["delta"].admits(Fraction(1))
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A parameter, what it means, and its rule: ``lowest < x`` (``<=`` unless open), ``x < highest``, integer."""

    name: str
    meaning: str
    rule: str
    lowest: Fraction
    lowest_open: bool
    highest: Fraction | None = None
    highest_open: bool = True
    integer: bool = False

    def admits(self, x: Fraction) -> bool:
        """Does the exact number ``x`` satisfy the rule?"""
        if x < self.lowest or (self.lowest_open and x == self.lowest):
            return False
        if self.highest is not None and (x > self.highest or (self.highest_open and x == self.highest)):
            return False
        return not self.integer or x.denominator == 1


def _r(name: str, meaning: str, rule: str, lowest: int, lowest_open: bool, **kw: Any) -> Rule:
    return Rule(name, meaning, rule, Fraction(lowest), lowest_open, **kw)


#: Every parameter's rule, by name, in the order of setting.md.
RULES: Mapping[str, Rule] = {
    r.name: r
    for r in (
        _r("B", "max over prompts and actions of ||phi(x,a)||_2", "must be > 0", 0, True),
        _r("S", "||theta*||_2", "must be >= 0", 0, False),
        _r("beta", "KL coefficient", "must be > 0", 0, True),
        _r("n", "number of training prompts", "must be an integer >= 1", 1, False, integer=True),
        _r("K", "actions per prompt", "must be an integer >= 2", 2, False, integer=True),
        _r("d", "feature dimension", "must be an integer >= 1", 1, False, integer=True),
        _r("gamma", "lambda_min(Sigma_S(0)), empirical coverage", "must be > 0 (feature coverage)", 0, True),
        _r("gamma_D", "lambda_min(Sigma_D(0)), population coverage", "must be > 0 (feature coverage)", 0, True),
        _r(
            "residual",
            "||P_perp w*||: the part of w* = theta*/beta outside range(Sigma_S(0))",
            "must be >= 0",
            0,
            False,
        ),
        _r("T", "number of algorithm steps", "must be an integer >= 1", 1, False, integer=True),
        _r("eta", "step size", "must be > 0", 0, True),
        _r(
            "delta",
            "confidence: claims hold with probability >= 1 - delta",
            "must lie in (0, 1)",
            0,
            True,
            highest=Fraction(1),
            highest_open=True,
        ),
    )
}
