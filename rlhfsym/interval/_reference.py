"""The reference path: a walk of the sympy tree in mpmath's interval arithmetic (the context class of ``mpmath.iv``).

Every node is evaluated by an mpmath interval kernel (``mpi_add``, ``mpi_mul``, ``mpi_pow_int``, ``mpi_exp``, ...:
lower ends rounded down, upper ends rounded up). Domains are checked here, before a kernel is called, because
mpmath answers ``[-inf, 0]`` for ``log([0, 1])``, ``[1, inf]`` for ``1/[0, 1]``, and raises ``ComplexResult`` for
``sqrt([-1, 1])``. Each precision has its own private context, created once and never re-configured, so nothing
global (``mpmath.iv.prec``) changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy as sp
from mpmath import libmp
from mpmath.ctx_iv import MPIntervalContext

from ._enclosure import Enclosure, IntervalDomainError, IntervalError
from ._tree import CONSTANTS, _shown, kind_of
from ._values import Range

__all__ = ["reference_enclosure", "reference_enclosures"]


@lru_cache(maxsize=16)
def _context(prec: int) -> MPIntervalContext:
    """A private interval context at ``prec`` bits (the class of ``mpmath.iv``); configured once, here."""
    ctx = MPIntervalContext()
    ctx.prec = prec
    return ctx


def _interval(ctx: MPIntervalContext, lo: Fraction, hi: Fraction) -> Any:
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
    return IntervalDomainError(f"{rule}, but the enclosure of {_shown(node)} is {_show(x)}")


def _extreme(pick_max: bool) -> Callable[[Any, Any, Any], Any]:
    """Max/Min of two intervals, endpoint by endpoint with exact comparisons (never Python's max on intervals,
    whose ``<`` answers None when the intervals overlap)."""

    def kernel(ctx: MPIntervalContext, x: Any, y: Any) -> Any:
        (a1, b1), (a2, b2) = x._mpi_, y._mpi_
        if pick_max:
            return ctx.make_mpf((a1 if libmp.mpf_ge(a1, a2) else a2, b1 if libmp.mpf_ge(b1, b2) else b2))
        return ctx.make_mpf((a1 if libmp.mpf_le(a1, a2) else a2, b1 if libmp.mpf_le(b1, b2) else b2))

    return kernel


_MAX, _MIN = _extreme(True), _extreme(False)


class _Walker:
    def __init__(self, ctx: MPIntervalContext, env: Mapping[sp.Symbol, Range]) -> None:
        self.ctx = ctx
        self.env = env
        self.memo: dict[sp.Basic, Any] = {}

    def ev(self, node: sp.Basic) -> Any:
        value = self.memo.get(node)
        if value is None:
            value = self._eval(node)
            self.memo[node] = value
        return value

    def _eval(self, node: sp.Basic) -> Any:
        ctx = self.ctx
        kind = kind_of(node)
        if kind == "symbol":
            if node not in self.env:
                raise IntervalError(f"symbol {node} has no value")
            return _interval(ctx, *self.env[node])
        if kind == "rational":
            return _interval(ctx, Fraction(int(node.p), int(node.q)), Fraction(int(node.p), int(node.q)))
        if kind == "constant":
            return +getattr(ctx, CONSTANTS[node])
        if kind == "add":
            total = self.ev(node.args[0])
            for arg in node.args[1:]:
                total = total + self.ev(arg)
            return total
        if kind == "mul":
            product = self.ev(node.args[0])
            for arg in node.args[1:]:
                product = product * self.ev(arg)
            return product
        if kind == "pow":
            return self._pow(node)
        x = self.ev(node.args[0])
        if kind == "exp":
            return ctx.exp(x)
        if kind == "log":
            if _sign_lo(x) <= 0:
                raise _domain("log needs an argument > 0", node.args[0], x)
            return ctx.ln(x)
        if kind == "abs":
            return abs(x)
        pick = _MAX if kind == "max" else _MIN
        for arg in node.args[1:]:
            x = pick(ctx, x, self.ev(arg))
        return x

    def _reciprocal(self, x: Any, node: sp.Basic) -> Any:
        if _sign_lo(x) <= 0 <= _sign_hi(x):
            raise _domain("division needs a divisor whose enclosure excludes 0", node, x)
        return self.ctx.one / x

    def _pow(self, node: sp.Basic) -> Any:
        ctx = self.ctx
        base, exponent = node.args
        x = self.ev(base)
        if isinstance(exponent, sp.Integer):
            n = int(exponent)
            if n >= 0:
                return x**n  # mpi_pow_int: an even power of an interval straddling 0 starts at 0
            return self._reciprocal(x ** (-n), base)
        if isinstance(exponent, sp.Rational):
            p, q = int(exponent.p), int(exponent.q)
            if _sign_lo(x) < 0 or (p < 0 and _sign_lo(x) == 0):
                rule = "a fractional power needs a base " + ("> 0" if p < 0 else ">= 0")
                raise _domain(rule, base, x)
            if q == 2:
                root = ctx.sqrt(x)
                return root ** p if p > 0 else self._reciprocal(root ** (-p), base)
            return self._monotone_power(x, Fraction(p, q))
        if _sign_lo(x) <= 0:
            raise _domain("a power with a non-rational exponent needs a base > 0", base, x)
        return x ** self.ev(exponent)  # mpi_pow: an integer point exponent is an integer power, else exp(y log x)

    def _monotone_power(self, x: Any, t: Fraction) -> Any:
        """``x**t`` for a rational ``t`` on ``x >= 0`` (``x > 0`` if ``t < 0``): monotone, so the lower end is the
        lower end of an enclosure of ``exp(t*log(a))`` at one end point, the upper end likewise at the other."""
        ctx = self.ctx
        a, b = x._mpi_
        tt = _interval(ctx, t, t)

        def at(end: Any) -> Any:
            if end == libmp.fzero:
                return ctx.make_mpf((libmp.fzero, libmp.fzero))
            return ctx.exp(tt * ctx.ln(ctx.make_mpf((end, end))))

        low_end, high_end = (a, b) if t > 0 else (b, a)
        return ctx.make_mpf((at(low_end)._mpi_[0], at(high_end)._mpi_[1]))


def _to_fraction(raw: Any) -> Fraction:
    p, q = libmp.to_rational(raw)
    return Fraction(int(p), int(q))


def _finish(expr: sp.Expr, walker: _Walker) -> Enclosure:
    a, b = walker.ev(expr)._mpi_
    if a in (libmp.fninf, libmp.finf, libmp.fnan) or b in (libmp.fninf, libmp.finf, libmp.fnan):
        raise IntervalError(f"the enclosure of {_shown(expr)} is not finite")
    return Enclosure(_to_fraction(a), _to_fraction(b))


def reference_enclosure(expr: sp.Expr, symbols: Sequence[sp.Symbol], ranges: Sequence[Range], prec: int) -> Enclosure:
    """An enclosure of ``expr`` over the box ``symbols[i] in ranges[i]``, by mpmath interval arithmetic at ``prec``."""
    return _finish(expr, _Walker(_context(prec), dict(zip(symbols, ranges, strict=True))))


def reference_enclosures(
    exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], ranges: Sequence[Range], prec: int
) -> list[Enclosure | None]:
    """Enclosures of several expressions sharing one walk (common nodes evaluated once); None where a domain or
    finiteness check fails."""
    walker = _Walker(_context(prec), dict(zip(symbols, ranges, strict=True)))
    out: list[Enclosure | None] = []
    for expr in exprs:
        try:
            out.append(_finish(expr, walker))
        except IntervalError:
            out.append(None)
    return out
