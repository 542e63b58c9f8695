"""The mpmath kernels of the reference path: each takes the interval context, the sympy node and the intervals of
its arguments, checks the node's domain, and returns an interval of ``mpmath.iv``'s class.

mpmath's interval kernels (``mpi_add``, ``mpi_mul``, ``mpi_pow_int``, ``mpi_exp``, ``mpi_log``, ``mpi_cos_sin``,
``mpi_tan``, ``mpi_atan``: lower ends rounded down, upper ends rounded up) do the arithmetic. Domains are checked
here, before a kernel is called, because mpmath answers ``[-inf, 0]`` for ``log([0, 1])``, ``[1, inf]`` for
``1/[0, 1]``, ``[-inf, inf]`` for ``tan`` across a pole, and raises ``ComplexResult`` for ``sqrt([-1, 1])``.
``sinh``, ``cosh`` and ``tanh`` have no tight mpmath interval kernel; they are composed here from ``mpi_exp`` and
interval ``+ - /`` at each end point (inclusion-isotone, hence sound), using their monotonicity (``cosh``: minimum 1
at 0), at ``prec + 20`` bits plus the bits lost to cancellation near 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy as sp
from mpmath import libmp
from mpmath.ctx_iv import MPIntervalContext
from mpmath.libmp import libmpi

from ._enclosure import IntervalDomainError
from ._util import shown

__all__ = ["interval", "interval_context"]

Kernel = Callable[[MPIntervalContext, sp.Basic, Sequence[Any]], Any]


@lru_cache(maxsize=32)
def interval_context(prec: int) -> MPIntervalContext:
    """A private interval context at ``prec`` bits (the class of ``mpmath.iv``); configured once, here."""
    ctx = MPIntervalContext()
    ctx.prec = prec
    return ctx


def interval(ctx: MPIntervalContext, lo: Fraction, hi: Fraction) -> Any:
    """The interval ``[lo, hi]`` with the lower end rounded down and the upper end rounded up."""
    a = libmp.from_rational(lo.numerator, lo.denominator, ctx.prec, libmp.round_floor)
    b = libmp.from_rational(hi.numerator, hi.denominator, ctx.prec, libmp.round_ceiling)
    return ctx.make_mpf((a, b))


def _sign_lo(x: Any) -> int:
    return libmp.mpf_sign(x._mpi_[0])


def _sign_hi(x: Any) -> int:
    return libmp.mpf_sign(x._mpi_[1])


def _show(x: Any) -> str:
    a, b = x._mpi_
    return f"[{libmp.to_str(a, 8)}, {libmp.to_str(b, 8)}]"


def _domain(rule: str, node: sp.Basic, x: Any) -> IntervalDomainError:
    return IntervalDomainError(f"{rule}, but the enclosure of {shown(node)} is {_show(x)}")


def _finite(x: Any) -> bool:
    a, b = x._mpi_
    return not any(v in (libmp.finf, libmp.fninf, libmp.fnan) for v in (a, b))


def _reciprocal(ctx: MPIntervalContext, x: Any, node: sp.Basic) -> Any:
    if _sign_lo(x) <= 0 <= _sign_hi(x):
        raise _domain("division needs a divisor whose enclosure excludes 0", node, x)
    return ctx.one / x


# ---- arithmetic -------------------------------------------------------------------------------------------------


def mp_add(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def mp_mul(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    product = xs[0]
    for x in xs[1:]:
        product = product * x
    return product


def mp_pow_int(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    """``x**n``: mpi_pow_int (an even power of an interval straddling 0 starts at 0); ``1/x**|n|`` for ``n < 0``."""
    x, n = xs[0], int(node.exp)
    if n >= 0:
        return x**n
    return _reciprocal(ctx, x ** (-n), node.base)


def mp_pow_rational(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    x = xs[0]
    p, q = int(node.exp.p), int(node.exp.q)
    if _sign_lo(x) < 0 or (p < 0 and _sign_lo(x) == 0):
        rule = "a fractional power needs a base " + ("> 0" if p < 0 else ">= 0")
        raise _domain(rule, node.base, x)
    if q == 2:
        root = ctx.sqrt(x)
        return root**p if p > 0 else _reciprocal(ctx, root ** (-p), node.base)
    return _monotone_power(ctx, x, Fraction(p, q))


def _monotone_power(ctx: MPIntervalContext, x: Any, t: Fraction) -> Any:
    """``x**t`` for a rational ``t`` on ``x >= 0`` (``x > 0`` if ``t < 0``): monotone, so the lower end is the lower
    end of an enclosure of ``exp(t*log(a))`` at one end point, the upper end likewise at the other."""
    a, b = x._mpi_
    tt = interval(ctx, t, t)

    def at(end: Any) -> Any:
        if end == libmp.fzero:
            return ctx.make_mpf((libmp.fzero, libmp.fzero))
        return ctx.exp(tt * ctx.ln(ctx.make_mpf((end, end))))

    low_end, high_end = (a, b) if t > 0 else (b, a)
    return ctx.make_mpf((at(low_end)._mpi_[0], at(high_end)._mpi_[1]))


def mp_pow_real(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    x, y = xs
    if _sign_lo(x) <= 0:
        raise _domain("a power with a non-rational exponent needs a base > 0", node.base, x)
    return x**y  # mpi_pow: an integer point exponent is an integer power, else exp(y log x)


# ---- elementary functions ---------------------------------------------------------------------------------------


def mp_exp(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return ctx.exp(xs[0])


def mp_log(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    x = xs[0]
    if _sign_lo(x) <= 0:
        raise _domain("log needs an argument > 0", node.args[0], x)
    return ctx.ln(x)


def mp_sin(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return ctx.sin(xs[0])


def mp_cos(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return ctx.cos(xs[0])


def _avoids_poles(ctx: MPIntervalContext, x: Any) -> bool:
    """Does the interval avoid every pole ``pi/2 + k pi`` of tan? Yes iff an enclosure ``[a, b]`` of
    ``x/pi + 1/2`` contains no integer: ``floor(a) == floor(b)`` and ``a`` is not an integer."""
    if not _finite(x):
        return False
    u = x / ctx.pi + ctx.one / 2
    a, b = u._mpi_
    if not _finite(u):
        return False
    fa = libmp.to_int(a, libmp.round_floor)
    return fa == libmp.to_int(b, libmp.round_floor) and libmp.mpf_cmp(a, libmp.from_int(fa)) > 0


def mp_tan(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    x = xs[0]
    if not _avoids_poles(ctx, x):
        raise _domain("tan needs an argument whose enclosure avoids the poles pi/2 + k pi", node.args[0], x)
    return ctx.tan(x)


def mp_atan(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return ctx.make_mpf(libmpi.mpi_atan(xs[0]._mpi_, ctx.prec))


def _point_exp(ctx: MPIntervalContext, end: Any, scale: int) -> tuple[MPIntervalContext, Any]:
    """``exp(scale * end)`` as an interval, in a context with enough bits for the cancellation in
    ``e - 1/e`` near 0 (about ``-log2|end|`` bits, capped)."""
    mag = end[2] + end[3] if end != libmp.fzero else 0  # |end| < 2**(exp + bc)
    wide = interval_context(ctx.prec + 20 + min(max(0, -mag), 4 * ctx.prec))
    p = wide.make_mpf((end, end))
    return wide, wide.exp(p * scale)


def _sinh_at(ctx: MPIntervalContext, end: Any) -> Any:
    wide, e = _point_exp(ctx, end, 1)
    return (e - wide.one / e) / 2


def _cosh_at(ctx: MPIntervalContext, end: Any) -> Any:
    wide, e = _point_exp(ctx, end, 1)
    return (e + wide.one / e) / 2


def _tanh_at(ctx: MPIntervalContext, end: Any) -> Any:
    wide, e = _point_exp(ctx, end, 2)
    return (e - wide.one) / (e + wide.one)


def _increasing(ctx: MPIntervalContext, x: Any, at: Callable[[MPIntervalContext, Any], Any]) -> Any:
    """An increasing function on ``[a, b]``: the lower end of its enclosure at ``a``, the upper end at ``b``."""
    if not _finite(x):
        return ctx.make_mpf((libmp.fninf, libmp.finf))
    a, b = x._mpi_
    return ctx.make_mpf((at(ctx, a)._mpi_[0], at(ctx, b)._mpi_[1]))


def mp_sinh(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return _increasing(ctx, xs[0], _sinh_at)


def mp_tanh(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return _increasing(ctx, xs[0], _tanh_at)


def mp_cosh(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    """``cosh`` decreases on ``x <= 0``, increases on ``x >= 0``; on an interval straddling 0 it is ``[1, max]``."""
    x = xs[0]
    if not _finite(x):
        return ctx.make_mpf((libmp.fone, libmp.finf))
    a, b = x._mpi_
    if _sign_lo(x) >= 0:
        return ctx.make_mpf((_cosh_at(ctx, a)._mpi_[0], _cosh_at(ctx, b)._mpi_[1]))
    if _sign_hi(x) <= 0:
        return ctx.make_mpf((_cosh_at(ctx, b)._mpi_[0], _cosh_at(ctx, a)._mpi_[1]))
    ua, ub = _cosh_at(ctx, a)._mpi_[1], _cosh_at(ctx, b)._mpi_[1]
    return ctx.make_mpf((libmp.fone, ua if libmp.mpf_ge(ua, ub) else ub))


# ---- non-smooth -------------------------------------------------------------------------------------------------


def mp_abs(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return abs(xs[0])


def _extreme(pick_max: bool) -> Kernel:
    """Max/Min, end point by end point with exact comparisons (never Python's max on intervals, whose ``<``
    answers None when the intervals overlap)."""

    def kernel(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
        a, b = xs[0]._mpi_
        for x in xs[1:]:
            c, d = x._mpi_
            if pick_max:
                a, b = (a if libmp.mpf_ge(a, c) else c), (b if libmp.mpf_ge(b, d) else d)
            else:
                a, b = (a if libmp.mpf_le(a, c) else c), (b if libmp.mpf_le(b, d) else d)
        return ctx.make_mpf((a, b))

    return kernel


mp_max, mp_min = _extreme(True), _extreme(False)


# ---- leaves -----------------------------------------------------------------------------------------------------


def mp_rational(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    q = Fraction(int(node.p), int(node.q))
    return interval(ctx, q, q)


_CONSTANTS = {sp.pi: "pi", sp.E: "e", sp.EulerGamma: "euler"}


def mp_constant(ctx: MPIntervalContext, node: sp.Basic, xs: Sequence[Any]) -> Any:
    return +getattr(ctx, _CONSTANTS[node])
