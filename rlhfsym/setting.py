"""The RLHF setting as code: one sympy symbol per parameter, and the validation of concrete values.

Parameters (shared/design/setting.md, section 5): ``B`` feature-norm bound, ``S`` = ||theta*||, ``beta`` KL
coefficient, ``n`` training prompts, ``K`` actions per prompt, ``d`` feature dimension, ``gamma`` =
lambda_min(Sigma_S(0)) (empirical coverage), ``gamma_D`` = lambda_min(Sigma_D(0)) (population coverage), ``T``
algorithm steps, ``eta`` step size, ``delta`` confidence; and, for partial coverage, ``residual`` = ||P_perp w*||,
the part of w* outside U_S = range(Sigma_S(0)) (setting.md, section 3).

A concrete value is an exact number or an interval ``[lo, hi]``. Numbers are given as ``int``, ``Fraction``, a
sympy ``Rational`` or a string (``"0.1"``, ``"1/3"``, ``"2e-3"``) parsed exactly by :class:`fractions.Fraction`;
never by ``eval`` or ``sympify``. Python floats are refused: ``0.1`` is already rounded to a binary number that
is not one tenth.

>>> validate_parameters(beta="0.1", n=1000)["beta"]
Value(lo=1/10, hi=1/10)
>>> validate_parameters(beta=[0, 1])
Traceback (most recent call last):
...
rlhfsym.errors.ParameterError: parameter beta = [0, 1]: must be > 0 (got lower end 0)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from .errors import ParameterError

__all__ = [
    "PARAMETERS",
    "SYMBOLS",
    "Parameter",
    "Value",
    "parse_number",
    "parse_value",
    "symbol",
    "validate_parameters",
    "validate_value",
]


@dataclass(frozen=True)
class Parameter:
    """A parameter of the setting: its symbol, what it means, and the rule a value must obey."""

    name: str
    symbol: sp.Symbol
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


def _p(name: str, meaning: str, rule: str, lowest: int, lowest_open: bool, **kw: Any) -> Parameter:
    integer = kw.get("integer", False)
    assumptions = {"integer": True} if integer else {"real": True}
    assumptions["positive" if (lowest > 0 or lowest_open) else "nonnegative"] = True
    return Parameter(name, sp.Symbol(name, **assumptions), meaning, rule, Fraction(lowest), lowest_open, **kw)


_TABLE = (
    _p("B", "max over prompts and actions of ||phi(x,a)||_2", "must be > 0", 0, True),
    _p("S", "||theta*||_2", "must be >= 0", 0, False),
    _p("beta", "KL coefficient", "must be > 0", 0, True),
    _p("n", "number of training prompts", "must be an integer >= 1", 1, False, integer=True),
    _p("K", "actions per prompt", "must be an integer >= 2", 2, False, integer=True),
    _p("d", "feature dimension", "must be an integer >= 1", 1, False, integer=True),
    _p("gamma", "lambda_min(Sigma_S(0)), empirical coverage", "must be > 0 (feature coverage)", 0, True),
    _p("gamma_D", "lambda_min(Sigma_D(0)), population coverage", "must be > 0 (feature coverage)", 0, True),
    _p("residual", "||P_perp w*||: the part of w* = theta*/beta outside range(Sigma_S(0))", "must be >= 0", 0, False),
    _p("T", "number of algorithm steps", "must be an integer >= 1", 1, False, integer=True),
    _p("eta", "step size", "must be > 0", 0, True),
    _p(
        "delta",
        "confidence: claims hold with probability >= 1 - delta",
        "must lie in (0, 1)",
        0,
        True,
        highest=Fraction(1),
        highest_open=True,
    ),
)

#: Every parameter of the setting, by name.
PARAMETERS: Mapping[str, Parameter] = {p.name: p for p in _TABLE}
#: The sympy symbol of every parameter, by name (defined once, here).
SYMBOLS: Mapping[str, sp.Symbol] = {p.name: p.symbol for p in _TABLE}


def symbol(name: str) -> sp.Symbol:
    """The sympy symbol of parameter ``name`` (``ParameterError`` for an unknown name)."""
    return _parameter(name).symbol


def _parameter(name: str) -> Parameter:
    try:
        return PARAMETERS[name]
    except KeyError:
        raise ParameterError(name, f"unknown parameter; known: {', '.join(PARAMETERS)}") from None


@dataclass(frozen=True)
class Value:
    """An exact point (``lo == hi``) or a closed interval ``[lo, hi]`` of rationals."""

    lo: sp.Rational
    hi: sp.Rational

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def __repr__(self) -> str:
        return f"Value(lo={self.lo}, hi={self.hi})"


def parse_number(name: str, raw: object) -> Fraction:
    """An exact rational from an int, Fraction, sympy Rational or decimal/fraction string; floats are refused."""
    if isinstance(raw, bool):
        raise ParameterError(name, "must be a number, not a boolean", raw)
    if isinstance(raw, float):
        raise ParameterError(name, "floats are already rounded; pass a string such as '0.1' or a Fraction", raw)
    if isinstance(raw, (int, Fraction)):
        return Fraction(raw)
    if isinstance(raw, sp.Rational):
        return Fraction(int(raw.p), int(raw.q))
    if isinstance(raw, str):
        return _parse_text(name, raw)
    raise ParameterError(name, f"must be a number or [lo, hi], not {type(raw).__name__}", raw)


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE]([+-]?\d+))?")
_RATIO = re.compile(r"[+-]?\d+/\d+")
MAX_EXPONENT = 400


def _parse_text(name: str, raw: str) -> Fraction:
    """Exact value of a decimal (``0.1``, ``2e-3``) or a ratio (``1/3``); anything else is refused."""
    text = raw.strip()
    if len(text) > 100:
        raise ParameterError(name, "a number written with more than 100 characters is refused", raw)
    word = text.lower().lstrip("+-")
    if word == "nan":
        raise ParameterError(name, "must be a finite number, not NaN", raw)
    if word in ("inf", "infinity"):
        raise ParameterError(name, "must be finite", raw)
    decimal = _DECIMAL.fullmatch(text)
    if decimal is None and _RATIO.fullmatch(text) is None:
        raise ParameterError(name, "is not a number (write 0.1, 1/3 or 2e-3)", raw)
    if decimal is not None and decimal.group(4) is not None and abs(int(decimal.group(4))) > MAX_EXPONENT:
        raise ParameterError(name, f"the exponent must lie in [-{MAX_EXPONENT}, {MAX_EXPONENT}]", raw)
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise ParameterError(name, "is not a number (a ratio needs a nonzero denominator)", raw) from None


def parse_value(name: str, raw: object) -> tuple[Fraction, Fraction]:
    """``(lo, hi)`` from a number or a pair ``[lo, hi]`` (a list, a tuple, or the text ``"[lo, hi]"``)."""
    ends = raw
    if isinstance(raw, str) and raw.strip().startswith("["):
        inner = raw.strip()
        if not inner.endswith("]") or inner.count(",") != 1:
            raise ParameterError(name, "an interval is written [lo, hi]", raw)
        ends = inner[1:-1].split(",")
    if isinstance(ends, (list, tuple)):
        if len(ends) != 2:
            raise ParameterError(name, "an interval has exactly two ends [lo, hi]", raw)
        lo, hi = parse_number(name, ends[0]), parse_number(name, ends[1])
        if lo > hi:
            raise ParameterError(name, f"interval with lo > hi ({lo} > {hi})", raw)
        return lo, hi
    x = parse_number(name, raw)
    return x, x


def _shown(raw: object) -> object:
    return list(raw) if isinstance(raw, tuple) else raw


def validate_value(name: str, raw: object) -> Value:
    """Parse ``raw`` and check both ends against the rule of parameter ``name``."""
    parameter = _parameter(name)
    lo, hi = parse_value(name, raw)
    for end, x in (("lower", lo), ("upper", hi)):
        if not parameter.admits(x):
            detail = f" (got {end} end {x})" if lo != hi else ""
            raise ParameterError(name, parameter.rule + detail, _shown(raw))
    return Value(sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator))


def _cross_checks(values: Mapping[str, Value]) -> None:
    """Rules that tie parameters together."""
    for cov in ("gamma", "gamma_D"):
        if cov in values and "B" in values and values[cov].lo > values["B"].hi ** 2:
            raise ParameterError(cov, "must be <= B^2 (a covariance of features of norm <= B)", values[cov].lo)


def validate_parameters(**raw: object) -> dict[str, Value]:
    """Validate every given parameter; returns ``{name: Value}`` or raises ``ParameterError``."""
    values = {name: validate_value(name, value) for name, value in raw.items()}
    _cross_checks(values)
    return values
