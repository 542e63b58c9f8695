"""The arb kernels: helpers called by the generated evaluators (python-flint ``arb`` balls in, one ball out).

Every helper returns a ball containing the image of every point of its argument balls, or NaN (which propagates)
when the balls reach outside the operation's domain or are not finite. ``lower()``, ``upper()``, ``abs_upper()`` of
a ball are exact arb numbers, so comparisons between them are decided. Two families:

* **ball mode** (plain arb): arb's own functions (``exp``, ``log``, ``sin``, ...) plus ``_sq``/``_ipow`` (an even
  power of a ball straddling 0 is ``[0, max|x|**n]``), ``_root`` (``x**(1/q)`` of a ball touching 0), ``_rpow``
  (``x**y`` for ``x > 0``), ``_abs``, ``_max2``, ``_min2``;
* **interval mode** (suffix ``_i``): the exact image of the end points under a monotone piece of the operation,
  each end rounded by arb, joined by ``union`` -- as tight as interval arithmetic. Trigonometric kernels locate the
  extrema ``k pi/2`` from an enclosure of ``x / (pi/2)``: an integer of the right residue that the enclosure may
  contain adds the extremum ``+-1`` (so an undecided location only widens the result). ``_tan_i`` answers NaN
  unless the enclosure of ``x/pi + 1/2`` contains no integer, i.e. the ball avoids every pole ``pi/2 + k pi``
  (arb's own ``tan``, used in ball mode, is NaN or infinite on a ball containing a pole: a finite ball must contain
  every value).
"""

from __future__ import annotations

from flint import arb

__all__ = ["HELPERS"]

_ZERO = arb(0)
_ONE = arb(1)
_NAN = arb("nan")


def _span(lo: arb, hi: arb) -> arb:
    return lo.union(hi)


def _ordered_span(lo: arb, hi: arb) -> arb:
    """A ball containing ``[lo, hi]`` where ``lo`` and ``hi`` enclose the least and the greatest value of an
    interval. A ball's radius is rounded up, so the union of two nonnegative balls may reach below 0: when the least
    value is certainly >= 0 (or the greatest <= 0), every value is, and the ball is cut there (no value is lost)."""
    out = lo.union(hi)
    if lo >= 0 and not out >= 0:
        return out.nonnegative_part()
    if hi <= 0 and not out <= 0:
        return -((-out).nonnegative_part())
    return out


def _hull0(u: arb) -> arb:
    """A ball containing ``[0, u]`` and no negative number (``u`` >= 0)."""
    return _ZERO.union(u).nonnegative_part()


# ---- ball mode --------------------------------------------------------------------------------------------------


def _sq(x: arb) -> arb:
    if x > 0 or x < 0:
        return x * x
    if not x.is_finite():
        return _NAN
    u = x.abs_upper()
    return _hull0(u * u)


def _ipow(x: arb, n: int) -> arb:
    """``x**n`` for an integer ``n >= 3``."""
    if x > 0 or x < 0:
        return x**n
    if not x.is_finite():
        return _NAN
    if n % 2 == 0:
        return _hull0(x.abs_upper() ** n)
    return (x.lower() ** n).union(x.upper() ** n)


def _root(x: arb, q: int) -> arb:
    """``x**(1/q)`` for ``x >= 0``; NaN if the ball has a negative point."""
    if x > 0:
        return x.sqrt() if q == 2 else x.root(q)
    if x >= 0 and x.is_finite():
        u = x.upper()
        return _hull0(u.sqrt() if q == 2 else u.root(q))
    return _NAN


def _abs(x: arb) -> arb:
    if x >= 0:
        return x
    if x <= 0:
        return -x
    if not x.is_finite():
        return _NAN
    return _hull0(x.abs_upper())


def _max2(x: arb, y: arb) -> arb:
    if x >= y:
        return x
    if y >= x:
        return y
    if not (x.is_finite() and y.is_finite()):
        return _NAN
    xl, yl, xu, yu = x.lower(), y.lower(), x.upper(), y.upper()  # exact numbers: comparisons are decided
    return (xl if xl >= yl else yl).union(xu if xu >= yu else yu)


def _min2(x: arb, y: arb) -> arb:
    return -_max2(-x, -y)


def _rpow(x: arb, y: arb) -> arb:
    """``x**y`` for ``x > 0`` (NaN otherwise): an exact integer ``y`` uses the integer power (so ``2**x`` at
    ``x = 1`` is exactly 2), any other ``y`` gives ``exp(y * log(x))``."""
    if not x > 0:
        return _NAN
    if y.is_integer():
        return x ** int(y.unique_fmpz())
    return (y * x.log()).exp()


# ---- interval mode ----------------------------------------------------------------------------------------------


def _mul_i(x: arb, y: arb) -> arb:
    if x >= 0:
        if y >= 0:
            return _ordered_span(x.lower() * y.lower(), x.upper() * y.upper())
        if y <= 0:
            return _span(x.upper() * y.lower(), x.lower() * y.upper())
    elif x <= 0:
        if y >= 0:
            return _span(x.lower() * y.upper(), x.upper() * y.lower())
        if y <= 0:
            return _span(x.upper() * y.upper(), x.lower() * y.lower())
    return x * y


def _div_i(x: arb, y: arb) -> arb:
    if y > 0:
        if x >= 0:
            return _span(x.lower() / y.upper(), x.upper() / y.lower())
        if x <= 0:
            return _span(x.lower() / y.lower(), x.upper() / y.upper())
        if x.is_finite():
            return _span(x.lower() / y.lower(), x.upper() / y.lower())
    elif y < 0:
        return _div_i(-x, -y)
    return x / y


def _increasing(x: arb, f: str) -> arb:
    """The image of the ball under the increasing function ``f`` (an arb method name): ``[f(lo), f(hi)]``."""
    if not x.is_finite():
        return _NAN
    return _ordered_span(getattr(x.lower(), f)(), getattr(x.upper(), f)())


def _exp_i(x: arb) -> arb:
    return _increasing(x, "exp")


def _log_i(x: arb) -> arb:
    if x > 0 and x.is_finite():
        return _span(x.lower().log(), x.upper().log())
    return _NAN


def _sq_i(x: arb) -> arb:
    if x >= 0:
        return _span(x.lower() * x.lower(), x.upper() * x.upper())
    if x <= 0:
        return _span(x.upper() * x.upper(), x.lower() * x.lower())
    return _sq(x)


def _ipow_i(x: arb, n: int) -> arb:
    if x >= 0 or (x <= 0 and n % 2 == 1):
        return _span(x.lower() ** n, x.upper() ** n)
    if x <= 0:
        return _span(x.upper() ** n, x.lower() ** n)
    return _ipow(x, n)


def _root_i(x: arb, q: int) -> arb:
    if x > 0 and x.is_finite():
        lo, hi = x.lower(), x.upper()
        return _span(lo.sqrt(), hi.sqrt()) if q == 2 else _span(lo.root(q), hi.root(q))
    return _root(x, q)


def _rpow_i(x: arb, y: arb) -> arb:
    if not x > 0:
        return _NAN
    if y.is_integer():
        return _ipow_i(x, int(y.unique_fmpz())) if y > 0 else 1 / _ipow_i(x, -int(y.unique_fmpz()))
    return _exp_i(_mul_i(y, _log_i(x)))


def _quarter_turns(x: arb) -> tuple[int, int] | None:
    """Integers ``a <= b`` such that every ``k`` with ``k pi/2`` in the ball satisfies ``a <= k <= b`` (the ceiling of
    the lower end and the floor of the upper end of an enclosure of ``x / (pi/2)``); None if more than three."""
    t = x / (arb.pi() / 2)
    a, b = int(t.lower().ceil().unique_fmpz()), int(t.upper().floor().unique_fmpz())
    return None if b - a >= 3 else (a, b)


def _sin_cos_i(x: arb, shift: int) -> arb:
    """``sin`` (shift 1) or ``cos`` (shift 0) of the ball: the values at the ends, joined with ``+1`` if the ball may
    contain a maximum ``k pi/2`` (``k = shift mod 4``) and with ``-1`` if it may contain a minimum
    (``k = shift + 2 mod 4``). Between consecutive multiples of ``pi/2`` both functions are monotone."""
    if not x.is_finite():
        return _NAN
    turns = _quarter_turns(x)
    if turns is None:
        return _ONE.union(-_ONE)
    lo, hi = x.lower(), x.upper()
    f = "sin" if shift == 1 else "cos"
    out = _span(getattr(lo, f)(), getattr(hi, f)())
    for k in range(turns[0], turns[1] + 1):
        if (k - shift) % 4 == 0:
            out = out.union(_ONE)
        elif (k - shift) % 4 == 2:
            out = out.union(-_ONE)
    return out


def _sin_i(x: arb) -> arb:
    return _sin_cos_i(x, 1)


def _cos_i(x: arb) -> arb:
    return _sin_cos_i(x, 0)


def _tan_i(x: arb) -> arb:
    """``tan`` is increasing between consecutive poles: the image is ``[tan(lo), tan(hi)]`` once the ball avoids
    every pole."""
    if not x.is_finite() or (x / arb.pi() + arb(1) / 2).contains_integer():
        return _NAN
    return _span(x.lower().tan(), x.upper().tan())


def _atan_i(x: arb) -> arb:
    return _increasing(x, "atan")


def _sinh_i(x: arb) -> arb:
    return _increasing(x, "sinh")


def _tanh_i(x: arb) -> arb:
    return _increasing(x, "tanh")


def _cosh_i(x: arb) -> arb:
    """``cosh`` decreases on ``x <= 0`` and increases on ``x >= 0``: its minimum 1 is at 0."""
    if not x.is_finite():
        return _NAN
    ends = _span(x.lower().cosh(), x.upper().cosh())
    if x > 0 or x < 0:
        return ends
    return ends.union(_ONE)


#: Every helper the generated code may call, by name (the generated code sees nothing else).
HELPERS = {
    f.__name__: f
    for f in (
        _sq, _ipow, _root, _abs, _max2, _min2, _rpow,
        _mul_i, _div_i, _exp_i, _log_i, _sq_i, _ipow_i, _root_i, _rpow_i,
        _sin_i, _cos_i, _tan_i, _atan_i, _sinh_i, _cosh_i, _tanh_i,
    )
}  # fmt: skip
