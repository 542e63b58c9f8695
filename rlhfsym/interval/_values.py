"""Values of symbols (exact points or closed rational intervals) and the working precision."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from fractions import Fraction

import sympy as sp

from ..errors import ParameterError
from ._enclosure import Enclosure, IntervalError, exact_rational

__all__ = [
    "DEFAULT_PREC",
    "Range",
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
        raise ParameterError("prec", f"must be an integer number of bits in [{_MIN_PREC}, {_MAX_PREC}]", bits)
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
        return raw.lower, raw.upper
    if isinstance(raw, (tuple, list)):
        if len(raw) != 2:
            raise ParameterError(name, "an interval has exactly two ends [lo, hi]", raw)
        lo, hi = exact_rational(name, raw[0]), exact_rational(name, raw[1])
        if lo > hi:
            raise ParameterError(name, f"interval with lo > hi ({lo} > {hi})", f"[{raw[0]}, {raw[1]}]")
        return lo, hi
    x = exact_rational(name, raw)
    return x, x


def _check_assumptions(symbol: sp.Symbol, lo: Fraction, hi: Fraction) -> None:
    """A value must respect the symbol's declared sign (sympy may have simplified the expression using it)."""
    rule = None
    if symbol.is_positive and lo <= 0:
        rule = "the symbol is declared positive: its values must be > 0"
    elif symbol.is_nonnegative and lo < 0:
        rule = "the symbol is declared nonnegative: its values must be >= 0"
    elif symbol.is_negative and hi >= 0:
        rule = "the symbol is declared negative: its values must be < 0"
    elif symbol.is_nonpositive and hi > 0:
        rule = "the symbol is declared nonpositive: its values must be <= 0"
    elif symbol.is_integer and lo == hi and lo.denominator != 1:
        rule = "the symbol is declared integer: a point value must be an integer"
    if rule is not None:
        raise ParameterError(symbol.name, rule, f"[{lo}, {hi}]" if lo != hi else str(lo))


def resolve_ranges(symbols: Sequence[sp.Symbol], values: Mapping[object, object] | None) -> list[Range]:
    """The range of each of ``symbols`` from ``values`` (keyed by the Symbol or by its name), in that order.

    Keys for other symbols are ignored; a symbol without a value is an :class:`IntervalError` naming it.
    Integer symbols are relaxed to real intervals (an enclosure over the reals covers every integer point).
    """
    values = {} if values is None else values
    if not isinstance(values, Mapping):
        raise ParameterError("values", "must be a mapping {symbol or name: value or (lo, hi)}", values)
    by_symbol: dict[sp.Symbol, object] = {}
    by_name: dict[str, object] = {}
    for key, raw in values.items():
        if isinstance(key, sp.Symbol):
            by_symbol[key] = raw
        elif isinstance(key, str):
            by_name[key] = raw
        else:
            raise ParameterError(str(key), "a value must be keyed by a sympy Symbol or by its name", raw)
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
