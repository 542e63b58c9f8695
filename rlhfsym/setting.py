"""The RLHF setting as code: one sympy symbol per parameter, and the validation of concrete values.

Parameters (docs/setting.md, section 5): ``B`` feature-norm bound, ``S`` = ||theta*||, ``beta`` KL
coefficient, ``n`` training prompts, ``K`` actions per prompt, ``d`` feature dimension, ``gamma`` =
lambda_min(Sigma_S(0)) (empirical coverage), ``gamma_D`` = lambda_min(Sigma_D(0)) (population coverage), ``T``
algorithm steps, ``eta`` step size, ``delta`` confidence; and, for partial coverage, ``residual`` = ||P_perp w*||,
the part of w* outside U_S = range(Sigma_S(0)) (docs/setting.md, section 3).

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

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .errors import ParameterError
from .exact import exact_rational
from .rules import CROSS_RULES, RULES, Rule

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
class Parameter(Rule):
    """A parameter of the setting: its rule (:class:`rlhfsym.rules.Rule`) and its sympy symbol."""

    symbol: sp.Symbol = sp.S.Zero


def _with_symbol(rule: Rule) -> Parameter:
    assumptions = {"integer": True} if rule.integer else {"real": True}
    assumptions["positive" if (rule.lowest > 0 or rule.lowest_open) else "nonnegative"] = True
    return Parameter(
        **{f: getattr(rule, f) for f in Rule.__dataclass_fields__}, symbol=sp.Symbol(rule.name, **assumptions)
    )


_TABLE = tuple(_with_symbol(rule) for rule in RULES.values())

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
    """An exact rational from an int, Fraction, sympy Rational or decimal/fraction string; floats are refused
    (:func:`rlhfsym.exact.exact_rational`)."""
    return exact_rational(name, raw)


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
    """The rules that tie parameters together (:data:`rlhfsym.rules.CROSS_RULES`)."""
    for cross in CROSS_RULES:
        # On intervals, the rule must hold at every point of them: at the largest value of the first and the smallest
        # of the second (a box that reaches an impossible instance is refused like a value that breaks a rule).
        if cross.name in values and cross.of in values and values[cross.name].hi > values[cross.of].lo ** cross.power:
            shown = values[cross.name].hi if values[cross.name].is_point and values[cross.of].is_point else (
                f"[{values[cross.name].lo}, {values[cross.name].hi}] with {cross.of} in "
                f"[{values[cross.of].lo}, {values[cross.of].hi}]")
            raise ParameterError(cross.name, cross.rule + " at every point of the values given", shown)


def validate_parameters(**raw: object) -> dict[str, Value]:
    """Validate every given parameter; returns ``{name: Value}`` or raises ``ParameterError``."""
    values = {name: validate_value(name, value) for name, value in raw.items()}
    _cross_checks(values)
    return values
