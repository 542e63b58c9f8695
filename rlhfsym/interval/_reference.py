"""The reference path: a walk of the sympy tree in mpmath's interval arithmetic (the context class of ``mpmath.iv``).

Every node is evaluated by the mpmath kernel of its row of the operation table (:mod:`rlhfsym.interval._ops`,
kernels in :mod:`rlhfsym.interval._kernels_mp`), which checks the node's domain before calling mpmath. Each
precision has its own private context, created once and never re-configured, so nothing global
(``mpmath.iv.prec``) changes. End points become exact rationals only below ``2**MAX_MAGNITUDE_BITS`` in magnitude
(:func:`~rlhfsym.interval._enclosure.fraction_from_man_exp`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy as sp
from mpmath import libmp
from mpmath.ctx_iv import MPIntervalContext

from ._enclosure import Enclosure, IntervalError, fraction_from_man_exp
from ._kernels_mp import interval, interval_context
from ._ops import operation_of
from ._util import shown
from ._values import Range

__all__ = ["reference_enclosure", "reference_enclosures"]


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
        if isinstance(node, sp.Symbol):
            if node not in self.env:
                raise IntervalError(f"symbol {node} has no value")
            return interval(self.ctx, *self.env[node])
        op = operation_of(node)
        if op.leaf:
            return op.mpmath(self.ctx, node, ())
        if op.base_only:
            return op.mpmath(self.ctx, node, (self.ev(node.args[0]),))
        return op.mpmath(self.ctx, node, [self.ev(a) for a in node.args])


def _to_fraction(raw: Any, direction: str) -> Fraction:
    """An mpf value ``(sign, man, exp, bc)`` as a Fraction (rounded outward only below ``2**-MAX_MAGNITUDE_BITS``)."""
    sign, man, exp, _ = raw
    return fraction_from_man_exp(-int(man) if sign else int(man), int(exp), direction)  # type: ignore[arg-type]


def _finish(expr: sp.Expr, walker: _Walker) -> Enclosure:
    a, b = walker.ev(expr)._mpi_
    if a in (libmp.fninf, libmp.finf, libmp.fnan) or b in (libmp.fninf, libmp.finf, libmp.fnan):
        raise IntervalError(f"the enclosure of {shown(expr)} is not finite")
    return Enclosure(_to_fraction(a, "down"), _to_fraction(b, "up"))


def reference_enclosure(expr: sp.Expr, symbols: Sequence[sp.Symbol], ranges: Sequence[Range], prec: int) -> Enclosure:
    """An enclosure of ``expr`` over the box ``symbols[i] in ranges[i]``, by mpmath interval arithmetic at ``prec``."""
    return _finish(expr, _Walker(interval_context(prec), dict(zip(symbols, ranges, strict=True))))


def reference_enclosures(
    exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], ranges: Sequence[Range], prec: int
) -> list[Enclosure | None]:
    """Enclosures of several expressions sharing one walk (common nodes evaluated once); None where a domain or
    finiteness check fails."""
    walker = _Walker(interval_context(prec), dict(zip(symbols, ranges, strict=True)))
    out: list[Enclosure | None] = []
    for expr in exprs:
        try:
            out.append(_finish(expr, walker))
        except IntervalError:
            out.append(None)
    return out
