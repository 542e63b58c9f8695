"""Enclosures with exact rational endpoints, three-valued comparisons, decimal rounding that is outward, and the
errors of the interval package.

Errors: :class:`IntervalError` (an expression cannot be enclosed; a subclass of
:class:`rlhfsym.errors.RlhfsymError`), :class:`IntervalDomainError` (an operation's argument leaves its domain),
:class:`IntervalOverflowError` (a value beyond ``2**MAX_MAGNITUDE_BITS``) and :class:`IntervalArgumentError` (a bad
argument; also a :class:`rlhfsym.errors.ParameterError`, so it names the parameter and the rule).

Size limits. An exact input (an end of a box, a rational of an expression) may have a numerator and a denominator
of at most :data:`MAX_INPUT_BITS` bits each. An arb or mpmath number becomes an exact :class:`~fractions.Fraction`
only if its magnitude is below ``2**MAX_MAGNITUDE_BITS`` (else :class:`IntervalOverflowError`); a nonzero number
below ``2**-MAX_MAGNITUDE_BITS`` in magnitude is rounded outward to 0 or to ``+-2**-MAX_MAGNITUDE_BITS``, which keeps
every enclosure an enclosure. So no conversion builds an integer of more than about ``MAX_MAGNITUDE_BITS + prec``
bits (``exp(10**10)`` is refused in microseconds instead of exhausting memory).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ..errors import ParameterError, RlhfsymError
from ..exact import exact_rational as _exact_rational

__all__ = [
    "MAX_INPUT_BITS",
    "MAX_MAGNITUDE_BITS",
    "Decision",
    "Enclosure",
    "IntervalArgumentError",
    "IntervalDomainError",
    "IntervalError",
    "IntervalOverflowError",
    "check_input_size",
    "exact_decimal",
    "exact_rational",
    "fraction_from_man_exp",
    "round_decimal",
]

#: Largest bit length of the numerator and of the denominator of an exact input (about 79,000 decimal digits).
MAX_INPUT_BITS = 1 << 18
#: Largest magnitude, in bits, of a number converted to an exact rational: ``|x| < 2**65536`` (about 10**19728).
MAX_MAGNITUDE_BITS = 1 << 16


class IntervalError(RlhfsymError):
    """An expression cannot be enclosed: an operation outside the whitelist, a symbol without a value."""


class IntervalDomainError(IntervalError):
    """An enclosure reaches outside the domain of an operation (log of <= 0, division by an interval with 0)."""


class IntervalOverflowError(IntervalError):
    """A value is too large to be converted to an exact rational (magnitude >= ``2**MAX_MAGNITUDE_BITS``)."""


class IntervalArgumentError(IntervalError, ParameterError):
    """A bad argument of the interval package: ``IntervalArgumentError("x", "floats are already rounded", 0.1)``.

    It is an :class:`IntervalError` and a :class:`~rlhfsym.errors.ParameterError` (``parameter``, ``rule``,
    ``value``), so callers that catch either keep working."""


class Decision(enum.Enum):
    """The answer of a comparison of enclosures: certainly true, certainly false, or undecided.

    A ``Decision`` has no truth value (``bool(d)`` raises ``TypeError``), so that ``if a.le(b):`` cannot silently
    read "undecided" as an answer; compare with ``is Decision.TRUE``.
    """

    TRUE = "true"
    FALSE = "false"
    UNDECIDED = "undecided"

    def __bool__(self) -> bool:
        raise TypeError("a Decision has no truth value; compare it with `is Decision.TRUE` (it may be UNDECIDED)")


Number = int | Fraction


def exact_rational(name: str, raw: object) -> Fraction:
    """``raw`` as an exact Fraction (:func:`rlhfsym.exact.exact_rational`: ints, Fractions, Decimals, sympy
    Rationals, mpmath mpf, decimal or ratio strings; floats, NaN and infinities refused with an
    :class:`IntervalArgumentError`)."""
    try:
        return _exact_rational(name, raw)
    except IntervalArgumentError:
        raise
    except ParameterError as err:
        raise IntervalArgumentError(err.parameter, err.rule, err.value) from err


def check_input_size(name: str, value: Fraction) -> Fraction:
    """``value`` itself if its numerator and denominator have at most :data:`MAX_INPUT_BITS` bits, else an
    :class:`IntervalArgumentError` naming ``name``."""
    if value.numerator.bit_length() > MAX_INPUT_BITS or value.denominator.bit_length() > MAX_INPUT_BITS:
        bits = max(value.numerator.bit_length(), value.denominator.bit_length())
        raise IntervalArgumentError(
            name, f"an exact number with a {bits}-bit numerator or denominator is refused (at most {MAX_INPUT_BITS})"
        )
    return value


def fraction_from_man_exp(man: int, exp: int, direction: Literal["down", "up"]) -> Fraction:
    """``man * 2**exp`` as an exact Fraction, rounded outward (towards -inf for ``"down"``, +inf for ``"up"``) to 0
    or ``+-2**-MAX_MAGNITUDE_BITS`` when its magnitude is below ``2**-MAX_MAGNITUDE_BITS``; an
    :class:`IntervalOverflowError` when it is ``2**MAX_MAGNITUDE_BITS`` or more. The rounding keeps ``down`` results
    <= and ``up`` results >= the number, so an interval of such ends still contains what it contained."""
    if man == 0:
        return Fraction(0)
    magnitude = exp + abs(man).bit_length()  # 2**(magnitude - 1) <= |man * 2**exp| < 2**magnitude
    if magnitude > MAX_MAGNITUDE_BITS:
        raise IntervalOverflowError(
            f"overflow: a value of magnitude about 2**{magnitude} is beyond the limit 2**{MAX_MAGNITUDE_BITS}"
        )
    if magnitude < -MAX_MAGNITUDE_BITS:
        tiny = Fraction(1, 1 << MAX_MAGNITUDE_BITS)
        if man > 0:
            return tiny if direction == "up" else Fraction(0)
        return Fraction(0) if direction == "up" else -tiny
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def _exact(value: object, what: str) -> Fraction:
    return exact_rational(what, value)


@dataclass(frozen=True)
class Enclosure:
    """A closed interval ``[lower, upper]`` of exact rationals that contains a real quantity.

    Endpoints are :class:`fractions.Fraction`; those computed by this package are binary numbers (so they have
    finite decimal expansions). Comparisons are three-valued (:class:`Decision`).
    """

    lower: Fraction
    upper: Fraction

    def __post_init__(self) -> None:
        lo, hi = _exact(self.lower, "lower"), _exact(self.upper, "upper")
        if lo > hi:
            raise IntervalArgumentError("enclosure", f"interval with lo > hi ({lo} > {hi})", (lo, hi))
        object.__setattr__(self, "lower", lo)
        object.__setattr__(self, "upper", hi)

    @classmethod
    def point(cls, value: Number) -> Enclosure:
        """The degenerate enclosure ``[value, value]`` of an exact rational."""
        x = _exact(value, "value")
        return cls(x, x)

    @property
    def width(self) -> Fraction:
        """``upper - lower``."""
        return self.upper - self.lower

    @property
    def midpoint(self) -> Fraction:
        """``(lower + upper) / 2``."""
        return (self.lower + self.upper) / 2

    def contains(self, x: object) -> bool:
        """Is ``x`` (an exact rational, an mpmath mpf, or an enclosure) inside ``[lower, upper]``? Exact."""
        if isinstance(x, Enclosure):
            return self.lower <= x.lower and x.upper <= self.upper
        v = _exact(x, "x")
        return self.lower <= v <= self.upper

    def overlaps(self, other: Enclosure) -> bool:
        """Do the two intervals share a point?"""
        return self.lower <= other.upper and other.lower <= self.upper

    def _ends(self, other: Enclosure | Number) -> tuple[Fraction, Fraction]:
        if isinstance(other, Enclosure):
            return other.lower, other.upper
        v = _exact(other, "other")
        return v, v

    def le(self, other: Enclosure | Number) -> Decision:
        """Is every value of ``self`` <= every value of ``other``? TRUE, FALSE (every value >), or UNDECIDED."""
        lo, hi = self._ends(other)
        if self.upper <= lo:
            return Decision.TRUE
        if self.lower > hi:
            return Decision.FALSE
        return Decision.UNDECIDED

    def lt(self, other: Enclosure | Number) -> Decision:
        """Is every value of ``self`` < every value of ``other``? Three-valued."""
        lo, hi = self._ends(other)
        if self.upper < lo:
            return Decision.TRUE
        if self.lower >= hi:
            return Decision.FALSE
        return Decision.UNDECIDED

    def ge(self, other: Enclosure | Number) -> Decision:
        """Is every value of ``self`` >= every value of ``other``? Three-valued."""
        lo, hi = self._ends(other)
        return Enclosure(lo, hi).le(self)

    def gt(self, other: Enclosure | Number) -> Decision:
        """Is every value of ``self`` > every value of ``other``? Three-valued."""
        lo, hi = self._ends(other)
        return Enclosure(lo, hi).lt(self)

    def upper_decimal(self, digits: int) -> str:
        """The upper end rounded up to ``digits`` significant digits: a decimal string >= ``upper``."""
        return round_decimal(self.upper, digits, "up")

    def lower_decimal(self, digits: int) -> str:
        """The lower end rounded down to ``digits`` significant digits: a decimal string <= ``lower``."""
        return round_decimal(self.lower, digits, "down")

    def to_strings(self, digits: int | None = None) -> tuple[str, str]:
        """``(lower, upper)`` as strings: exact decimals (or ``p/q``) when ``digits`` is None, else rounded outward."""
        if digits is None:
            return exact_decimal(self.lower), exact_decimal(self.upper)
        return self.lower_decimal(digits), self.upper_decimal(digits)

    def __str__(self) -> str:
        return f"[{self.lower_decimal(17)}, {self.upper_decimal(17)}]"


def _at_least_pow10(n: int, d: int, e: int) -> bool:
    """Is ``n / d >= 10**e`` (n, d > 0)? Exact."""
    return n >= d * 10**e if e >= 0 else n * 10 ** (-e) >= d


def _decimal_exponent(x: Fraction) -> int:
    """``floor(log10(|x|))`` for ``x != 0``, exactly (a bit-length estimate, then exact comparisons)."""
    n, d = abs(x.numerator), x.denominator
    e = math.floor((n.bit_length() - d.bit_length()) * 0.30102999566398120)
    while not _at_least_pow10(n, d, e):
        e -= 1
    while _at_least_pow10(n, d, e + 1):
        e += 1
    return e


def _format(sign: str, mantissa: str, exponent: int) -> str:
    """``sign`` + the digits ``mantissa`` (d.ddd) times ``10**exponent``, positional when the exponent is modest."""
    digits = len(mantissa)
    if -7 <= exponent < 21:
        point = exponent + 1
        if point <= 0:
            body = "0." + "0" * (-point) + mantissa
        elif point >= digits:
            body = mantissa + "0" * (point - digits)
        else:
            body = mantissa[:point] + "." + mantissa[point:]
    else:
        body = mantissa[0] + ("." + mantissa[1:] if digits > 1 else "") + f"e{exponent:+d}"
    return sign + body


def round_decimal(x: Fraction | int, digits: int, direction: Literal["up", "down"]) -> str:
    """``x`` rounded to ``digits`` significant digits towards +inf (``"up"``) or -inf (``"down"``), exactly.

    The result is a decimal string ``s`` with ``Fraction(s) >= x`` (up) or ``Fraction(s) <= x`` (down), and
    ``|Fraction(s) - x| < 10**(e - digits + 1)`` where ``10**e <= |x| < 10**(e+1)``. ``round_decimal(1/3, 3, "up")``
    is ``"0.334"``.
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise IntervalArgumentError("digits", "must be an integer >= 1", digits)
    if direction not in ("up", "down"):
        raise IntervalArgumentError("direction", "must be 'up' or 'down'", direction)
    value = _exact(x, "x")
    if value == 0:
        return "0"
    e = _decimal_exponent(value)
    shift = digits - 1 - e
    scaled = value * Fraction(10) ** shift
    m = math.ceil(scaled) if direction == "up" else math.floor(scaled)
    if abs(m) == 10**digits:  # carried into a new digit: 9.99 -> 10.0
        m //= 10
        e += 1
    if m == 0:  # cannot happen for |scaled| >= 10**(digits-1) >= 1, kept as a guard
        return "0"
    return _format("-" if m < 0 else "", str(abs(m)), e)


_CHUNK = 10**3000


def _digits(n: int) -> str:
    """``str(n)`` for ``n >= 0`` of any size (Python refuses ``str`` of integers above 4300 digits)."""
    if n < _CHUNK:
        return str(n)
    high, low = divmod(n, _CHUNK)
    return _digits(high) + _digits(low).rjust(3000, "0")


def exact_decimal(x: Fraction | int) -> str:
    """The exact decimal expansion of ``x`` when its denominator is ``2**a * 5**b`` (every binary number), else
    ``"p/q"``. ``Fraction(exact_decimal(x)) == x`` always."""
    value = _exact(x, "x")
    d = value.denominator
    a = (d & -d).bit_length() - 1
    d >>= a
    b = 0
    while d % 5 == 0:
        d //= 5
        b += 1
    if d != 1:
        sign = "-" if value < 0 else ""
        return f"{sign}{_digits(abs(value.numerator))}/{_digits(value.denominator)}"
    k = max(a, b)
    n = abs(value.numerator * 10**k // value.denominator)
    sign = "-" if value < 0 else ""
    if k == 0:
        return f"{sign}{_digits(n)}"
    text = _digits(n).rjust(k + 1, "0")
    whole, frac = text[:-k], text[-k:].rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"
