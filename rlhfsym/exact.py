"""Exact numbers from user input: one parser for the whole package (no sympy, no RLHF).

A value is an exact rational: ``int``, :class:`fractions.Fraction`, :class:`decimal.Decimal`, a sympy ``Integer`` or
``Rational``, an mpmath ``mpf`` (an exact binary number), a numpy integer, or a string ``"0.1"``, ``"1/3"``,
``"2e-3"`` read by :class:`fractions.Fraction` after a regular expression has checked its shape (never ``eval`` or
``sympify``; ASCII digits only). Python and numpy floats and sympy Floats are refused: ``0.1`` is already rounded
to a binary number that is not one tenth. Booleans, NaN and infinities are refused; so are decimal exponents (of
texts and of Decimals) beyond +-:data:`MAX_EXPONENT` (``"1e1000000000"`` would build a number with a billion
digits) and texts longer than :data:`MAX_LENGTH` characters. Every refusal is a
:class:`~rlhfsym.errors.ParameterError` naming the value.

>>> exact_rational("beta", "0.1")
Fraction(1, 10)
>>> exact_rational("n", "2e-3"), exact_rational("n", "1/3")
(Fraction(1, 500), Fraction(1, 3))
>>> try:
...     exact_rational("beta", 0.1)
... except ValueError as err:
...     print(err.parameter, "-", err.rule[:26])
beta - floats are already rounded
"""

from __future__ import annotations

import decimal
import numbers
import re
from fractions import Fraction

from .errors import ParameterError

__all__ = ["FLOAT_RULE", "MAX_EXPONENT", "MAX_LENGTH", "exact_rational"]

MAX_EXPONENT = 400
MAX_LENGTH = 100
FLOAT_RULE = "floats are already rounded; pass a string such as '0.1' or a Fraction"
# ASCII digits only: ``\d`` would also match '١' or '１', which Fraction reads as digits.
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE]([+-]?\d+))?", re.ASCII)
_RATIO = re.compile(r"[+-]?\d+/\d+", re.ASCII)


def exact_rational(name: str, raw: object) -> Fraction:
    """``raw`` as an exact :class:`~fractions.Fraction`, or a ``ParameterError`` naming ``name`` and the rule."""
    if isinstance(raw, bool) or type(raw).__name__ == "bool_":
        raise ParameterError(name, "must be a number, not a boolean", raw)
    if isinstance(raw, float) or getattr(raw, "is_Float", False) is True:
        raise ParameterError(name, FLOAT_RULE, raw)
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, numbers.Integral):
        return Fraction(int(raw))
    if getattr(raw, "is_Rational", False) is True:  # sympy Integer / Rational
        return Fraction(int(raw.p), int(raw.q))  # type: ignore[attr-defined]
    if isinstance(raw, decimal.Decimal):
        if not raw.is_finite():
            raise ParameterError(name, "must be finite", raw)
        if raw and abs(raw.adjusted()) > MAX_EXPONENT:
            raise ParameterError(name, f"the exponent must lie in [-{MAX_EXPONENT}, {MAX_EXPONENT}]", raw)
        return Fraction(raw)
    if isinstance(raw, str):
        return _parse_text(name, raw)
    if hasattr(raw, "_mpf_") and not hasattr(raw, "_mpi_"):  # mpmath mpf: an exact binary number
        from mpmath import libmp

        value = raw._mpf_
        if value in (libmp.finf, libmp.fninf, libmp.fnan):
            raise ParameterError(name, "must be finite", raw)
        p, q = libmp.to_rational(value)
        return Fraction(int(p), int(q))
    if isinstance(raw, numbers.Real):  # numpy floating types and the like
        raise ParameterError(name, FLOAT_RULE, raw)
    raise ParameterError(name, f"must be a number or [lo, hi], not {type(raw).__name__}", raw)


def _parse_text(name: str, raw: str) -> Fraction:
    """Exact value of a decimal (``0.1``, ``2e-3``) or a ratio (``1/3``); anything else is refused."""
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise ParameterError(name, f"a number written with more than {MAX_LENGTH} characters is refused", raw)
    word = text.lower().lstrip("+-")
    if word == "nan":
        raise ParameterError(name, "must be a finite number, not NaN", raw)
    if word in ("inf", "infinity"):
        raise ParameterError(name, "must be finite", raw)
    match = _DECIMAL.fullmatch(text)
    if match is None and _RATIO.fullmatch(text) is None:
        raise ParameterError(name, "is not a number (write 0.1, 1/3 or 2e-3)", raw)
    if match is not None and match.group(4) is not None and abs(int(match.group(4))) > MAX_EXPONENT:
        raise ParameterError(name, f"the exponent must lie in [-{MAX_EXPONENT}, {MAX_EXPONENT}]", raw)
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise ParameterError(name, "is not a number (a ratio needs a nonzero denominator)", raw) from None
