"""The setting's parameters (docs/setting.md, section 5) as one table, without sympy: every fact about a parameter.

Each :class:`Rule` row says what the parameter means, the rule its values obey, how LaTeX typesets it, the range
:mod:`rlhfsym.testing` draws it from by default, and, for a parameter a simulation measures on an instance, the
margin of the interval it enters the bound as. :data:`CROSS_RULES` ties parameters together (gamma <= B^2).
:mod:`rlhfsym.setting` adds a sympy symbol to each row and validates values; :mod:`rlhfsym.testing` draws values;
:mod:`rlhfsym.simulate` measures them; :mod:`rlhfsym.latex` typesets them; the CLI makes one flag of each. One
table, so none of them can drift.

>>> RULES["delta"].admits(Fraction(1, 2)), RULES["delta"].admits(Fraction(1))
(True, False)
>>> CROSS_RULES[0].cap(Fraction(2))
Fraction(4, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["CROSS_RULES", "RULES", "CrossRule", "Margin", "Rule"]

#: The margin of a measured parameter: the half-width of its interval, from the values measured on the instance
#: (``B``, ``S``, ``beta``, ... as floats).
Margin = Callable[[Mapping[str, float]], float]


@dataclass(frozen=True)
class Rule:
    """A parameter, what it means, and its rule: ``lowest < x`` (``<=`` unless open), ``x < highest``, integer.

    ``tex`` is how LaTeX typesets it; ``draw`` the closed range :func:`rlhfsym.testing.settings` draws it from by
    default (None: drawn relative to its cross rule), ``drawn`` whether it is in the default draw; ``margin`` the
    half-width of the interval a measured value enters a certified bound as (None: entered exactly, as the binary
    number a simulation used), and ``unmet`` the phrase for a measured value that does not satisfy the rule.
    """

    name: str
    meaning: str
    rule: str
    lowest: Fraction
    lowest_open: bool
    highest: Fraction | None = None
    highest_open: bool = True
    integer: bool = False
    tex: str = ""
    draw: tuple[Fraction, Fraction] | None = None
    drawn: bool = True
    margin: Margin | None = None
    unmet: str = ""

    def admits(self, x: Fraction) -> bool:
        """Does the exact number ``x`` satisfy the rule?"""
        if x < self.lowest or (self.lowest_open and x == self.lowest):
            return False
        if self.highest is not None and (x > self.highest or (self.highest_open and x == self.highest)):
            return False
        return not self.integer or x.denominator == 1


@dataclass(frozen=True)
class CrossRule:
    """A rule tying two parameters: ``name <= of^power`` (a covariance of features of norm <= B is <= B^2)."""

    name: str
    of: str
    power: int
    rule: str

    def cap(self, of_value: Fraction) -> Fraction:
        """The largest value ``name`` may take when ``of`` is ``of_value``."""
        return of_value**self.power


def _r(name: str, meaning: str, rule: str, lowest: int, lowest_open: bool, **kw: Any) -> Rule:
    return Rule(name, meaning, rule, Fraction(lowest), lowest_open, **kw)


def _range(lo: Fraction | int, hi: Fraction | int) -> tuple[Fraction, Fraction]:
    return Fraction(lo), Fraction(hi)


#: Every parameter's rule, by name, in the order of the table of docs/setting.md, section 5.
RULES: Mapping[str, Rule] = {
    r.name: r
    for r in (
        _r("B", "max over prompts and actions of ||phi(x,a)||_2", "must be > 0", 0, True, tex="B",
           draw=_range(Fraction(1, 100), 100), margin=lambda m: 1e-12 * m["B"]),
        _r("S", "||theta*||_2", "must be >= 0", 0, False, tex="S", draw=_range(0, 100),
           margin=lambda m: 1e-12 * m["S"]),
        _r("beta", "KL coefficient", "must be > 0", 0, True, tex=r"\beta", draw=_range(Fraction(1, 1000), 1000)),
        _r("n", "number of training prompts", "must be an integer >= 1", 1, False, integer=True, tex="n",
           draw=_range(1, 10**6)),
        _r("K", "actions per prompt", "must be an integer >= 2", 2, False, integer=True, tex="K", draw=_range(2, 100)),
        _r("d", "feature dimension", "must be an integer >= 1", 1, False, integer=True, tex="d",
           draw=_range(1, 10**4)),
        _r("gamma", "lambda_min(Sigma_S(0)), empirical coverage", "must be > 0 (feature coverage)", 0, True,
           tex=r"\gamma", margin=lambda m: 1e-12 * m["B"] * m["B"], unmet="the sample is not covered"),
        _r("gamma_D", "lambda_min(Sigma_D(0)), population coverage", "must be > 0 (feature coverage)", 0, True,
           tex=r"\gamma_{D}", margin=lambda m: 1e-12 * m["B"] * m["B"], unmet="the population is not covered"),
        _r(
            "residual",
            "||P_perp w*||: the part of w* = theta*/beta outside range(Sigma_S(0))",
            "must be >= 0",
            0,
            False,
            tex=r"r_{\perp}",
            draw=_range(0, 100),
            drawn=False,
            margin=lambda m: 1e-9 * (m["S"] / m["beta"]) + 1e-12,
        ),
        _r("T", "number of algorithm steps", "must be an integer >= 1", 1, False, integer=True, tex="T",
           draw=_range(1, 10**6)),
        _r("eta", "step size", "must be > 0", 0, True, tex=r"\eta", draw=_range(Fraction(1, 10**6), 10), drawn=False),
        _r(
            "delta",
            "confidence: claims hold with probability >= 1 - delta",
            "must lie in (0, 1)",
            0,
            True,
            highest=Fraction(1),
            highest_open=True,
            tex=r"\delta",
            draw=_range(Fraction(1, 10**9), 1 - Fraction(1, 10**9)),
        ),
    )
}  # fmt: skip

#: The rules that tie parameters together, checked wherever values meet (setting, testing, simulate).
CROSS_RULES: tuple[CrossRule, ...] = tuple(
    CrossRule(cov, "B", 2, "must be <= B^2 (a covariance of features of norm <= B)") for cov in ("gamma", "gamma_D")
)
