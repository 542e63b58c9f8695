"""Values of symbols (exact points or closed rational intervals), the assumptions a value must satisfy, and the
working precision.

A symbol's assumptions (``positive``, ``integer``, ``odd``, ``prime``, ``nonzero``, ``irrational``, ...) are facts
sympy may already have used to rewrite an expression (``sqrt(p**2)`` is ``p`` for a positive ``p``,
``sin(pi*k)`` is 0 for an integer ``k``), so the expression is only known to mean what was written at
*admissible* values: values satisfying every assumption. Two rules follow:

* at the door (:func:`resolve_ranges`), an interval must respect the declared sign, and a point value must not
  contradict any assumption that sympy decides on it;
* a counterexample is reported only at an admissible point (:func:`admissible`: every key of
  ``symbol.assumptions0``, True or False, is decided by sympy on the exact value and agrees). A proof over the whole
  real interval covers in particular its admissible points, so proofs need no such check.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from ._enclosure import Enclosure, IntervalArgumentError, IntervalError, check_input_size, exact_rational

__all__ = [
    "DEFAULT_PREC",
    "Range",
    "admissible",
    "current_precision",
    "parse_range",
    "resolve_ranges",
    "working_precision",
]

#: Default working precision in bits (about 19 significant digits).
DEFAULT_PREC = 64
_MIN_PREC, _MAX_PREC = 16, 1_000_000

_PREC: contextvars.ContextVar[int] = contextvars.ContextVar("rlhfsym_interval_prec", default=DEFAULT_PREC)

Range = tuple[Fraction, Fraction]


def _check_prec(bits: object) -> int:
    if isinstance(bits, bool) or not isinstance(bits, int) or not _MIN_PREC <= bits <= _MAX_PREC:
        raise IntervalArgumentError("prec", f"must be an integer number of bits in [{_MIN_PREC}, {_MAX_PREC}]", bits)
    return bits


@contextmanager
def working_precision(bits: int) -> Iterator[int]:
    """Within the block, calls without an explicit ``prec`` work with ``bits`` bits (a context variable, so
    threads and async tasks each keep their own; nothing global is changed)."""
    token = _PREC.set(_check_prec(bits))
    try:
        yield bits
    finally:
        _PREC.reset(token)


def current_precision(prec: int | None = None) -> int:
    """``prec`` if given (validated), else the precision of the innermost :func:`working_precision` block."""
    return _PREC.get() if prec is None else _check_prec(prec)


def parse_range(name: str, raw: object) -> Range:
    """``(lo, hi)`` from an exact number (a point), a pair ``(lo, hi)`` / ``[lo, hi]``, or an :class:`Enclosure`."""
    if isinstance(raw, Enclosure):
        return check_input_size(name, raw.lower), check_input_size(name, raw.upper)
    if isinstance(raw, (tuple, list)):
        if len(raw) != 2:
            raise IntervalArgumentError(name, "an interval has exactly two ends [lo, hi]", raw)
        lo = check_input_size(name, exact_rational(name, raw[0]))
        hi = check_input_size(name, exact_rational(name, raw[1]))
        if lo > hi:
            raise IntervalArgumentError(name, f"interval with lo > hi ({lo} > {hi})", f"[{raw[0]}, {raw[1]}]")
        return lo, hi
    x = check_input_size(name, exact_rational(name, raw))
    return x, x


#: Integers at or above this bound are not certified prime or composite (sympy's test is a proof only below 2**64).
_PRIME_PROOF_LIMIT = 1 << 64


def admissible(symbol: sp.Symbol, value: Fraction) -> bool:
    """Does the exact rational ``value`` satisfy every assumption of ``symbol``? Each key of
    ``symbol.assumptions0`` (True or False) must be decided by sympy on ``Rational(value)`` with the same answer;
    an undecided key, or ``prime``/``composite`` at an integer >= 2**64, makes the value inadmissible."""
    number = sp.Rational(value.numerator, value.denominator)
    for key, expected in symbol.assumptions0.items():
        if key in ("prime", "composite") and value.denominator == 1 and abs(value.numerator) >= _PRIME_PROOF_LIMIT:
            return False
        if getattr(number, "is_" + key, None) is not expected:
            return False
    return True


@lru_cache(maxsize=1024)
def _sign_rules(symbol: sp.Symbol) -> tuple[tuple[str, str], ...]:
    """The declared sign rules of ``symbol`` as ``(kind, rule)``, computed once per symbol (sympy's assumption
    queries are slow)."""
    rules = []
    if symbol.is_positive:
        rules.append(("lo>0", "the symbol is declared positive: its values must be > 0"))
    elif symbol.is_nonnegative:
        rules.append(("lo>=0", "the symbol is declared nonnegative: its values must be >= 0"))
    if symbol.is_negative:
        rules.append(("hi<0", "the symbol is declared negative: its values must be < 0"))
    elif symbol.is_nonpositive:
        rules.append(("hi<=0", "the symbol is declared nonpositive: its values must be <= 0"))
    if symbol.is_integer:
        rules.append(("int", "the symbol is declared integer: a point value must be an integer"))
    if symbol.is_extended_real is False:
        rules.append(("nonreal", "the symbol is declared non-real: it takes no real value"))
    return tuple(rules)


@lru_cache(maxsize=1024)
def _assumption_items(symbol: sp.Symbol) -> tuple[tuple[str, bool], ...]:
    """``symbol.assumptions0`` as a tuple, computed once per symbol."""
    return tuple(sorted(symbol.assumptions0.items()))


def _broken(kind: str, lo: Fraction, hi: Fraction) -> bool:
    if kind == "lo>0":
        return lo <= 0
    if kind == "lo>=0":
        return lo < 0
    if kind == "hi<0":
        return hi >= 0
    if kind == "hi<=0":
        return hi > 0
    if kind == "int":
        return lo.denominator != 1 and lo == hi
    return True  # non-real


def _check_assumptions(symbol: sp.Symbol, lo: Fraction, hi: Fraction) -> None:
    """A value must respect the symbol's declared sign (sympy may have simplified the expression using it); a
    point value must not contradict any other assumption either."""
    rule = next((text for kind, text in _sign_rules(symbol) if _broken(kind, lo, hi)), None)
    if rule is None and lo == hi:
        items = _assumption_items(symbol)
        if len(items) > 1:
            number = sp.Rational(lo.numerator, lo.denominator)
            broken_keys = [key for key, expected in items if getattr(number, "is_" + key, None) is (not expected)]
            if broken_keys:
                rule = f"the value contradicts the symbol's assumptions ({', '.join(broken_keys)})"
    if rule is not None:
        raise IntervalArgumentError(symbol.name, rule, f"[{lo}, {hi}]" if lo != hi else str(lo))


def resolve_ranges(symbols: Sequence[sp.Symbol], values: Mapping[object, object] | None) -> list[Range]:
    """The range of each of ``symbols`` from ``values`` (keyed by the Symbol or by its name), in that order.

    Keys for other symbols are ignored; a symbol without a value is an :class:`IntervalError` naming it.
    Integer symbols are relaxed to real intervals (an enclosure over the reals covers every integer point).
    """
    values = {} if values is None else values
    if not isinstance(values, Mapping):
        raise IntervalArgumentError("values", "must be a mapping {symbol or name: value or (lo, hi)}", values)
    by_symbol: dict[sp.Symbol, object] = {}
    by_name: dict[str, object] = {}
    for key, raw in values.items():
        if isinstance(key, sp.Symbol):
            by_symbol[key] = raw
        elif isinstance(key, str):
            by_name[key] = raw
        else:
            raise IntervalArgumentError(str(key), "a value must be keyed by a sympy Symbol or by its name", raw)
    names = [s.name for s in symbols]
    ranges: list[Range] = []
    for symbol in symbols:
        if symbol in by_symbol:
            raw = by_symbol[symbol]
        elif symbol.name in by_name:
            if names.count(symbol.name) > 1:
                raise IntervalError(f"two symbols are named {symbol.name}; key the value by the Symbol itself")
            raw = by_name[symbol.name]
        else:
            raise IntervalError(f"symbol {symbol.name} has no value (give a number or an interval (lo, hi))")
        lo, hi = parse_range(symbol.name, raw)
        _check_assumptions(symbol, lo, hi)
        ranges.append((lo, hi))
    return ranges
