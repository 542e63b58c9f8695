"""``enclose`` and ``compile_enclosure``: certified evaluation of a sympy expression over a box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Literal

import sympy as sp
from flint import arb

from ._arb import MODES, BallError, Kernel, ball, ball_to_enclosure, compile_kernel, flint_precision
from ._enclosure import Enclosure, IntervalArgumentError, IntervalError
from ._ops import as_expression, check_whitelist
from ._reference import reference_enclosure
from ._util import resource_errors_as_interval_errors
from ._values import Range, current_precision, resolve_ranges

__all__ = ["Backend", "CompiledEnclosure", "Mode", "compile_enclosure", "enclose", "sorted_symbols"]

Backend = Literal["arb", "mpmath"]
Mode = Literal["ball", "interval"]


@lru_cache(maxsize=4096)
def sorted_symbols(expr: sp.Expr) -> tuple[sp.Symbol, ...]:
    """The free symbols of ``expr`` in sympy's canonical order (remembered: sympy walks the whole tree for them on
    every call, and expressions equal as trees have the same free symbols)."""
    return tuple(sorted(expr.free_symbols, key=sp.default_sort_key))


class CompiledEnclosure:
    """``expr`` compiled once into an arb evaluator over the inputs ``symbols`` (in that order).

    ``compiled(values)`` is an :class:`Enclosure` of ``expr`` over the box ``values`` (a mapping as for
    :func:`enclose`, or a sequence of values in the order of ``symbols``). If a ball reaches a domain boundary
    (possibly only through rounding: balls are coarser than intervals) or overflows, the evaluation is redone on
    the mpmath reference path, which answers or raises :class:`IntervalDomainError`; a wrong answer is never given.
    ``compiled.balls(*balls)`` is the raw evaluator (arb balls in, one arb ball out, :class:`BallError` when
    not finite), for inner loops.

    ``mode="ball"`` runs plain ball operations (fastest; on wide inputs a ball product, ``exp`` or ``tanh``
    overshoots on one side); ``mode="interval"`` runs end point kernels for products, quotients, powers and the
    elementary functions (monotone pieces, the extrema of ``sin`` and ``cos``), as tight as interval arithmetic,
    about five times slower.
    """

    def __init__(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...], prec: int, mode: Mode = "ball") -> None:
        if mode not in MODES:
            raise IntervalArgumentError("mode", f"must be one of {', '.join(MODES)}", mode)
        self.expr = expr
        self.symbols = symbols
        self.prec = prec
        self.mode = mode
        self._kernel: Kernel = compile_kernel((expr,), symbols, prec, mode)

    @property
    def source(self) -> str:
        """The generated straight-line code (for inspection)."""
        return self._kernel.source

    def balls(self, *balls: arb) -> arb:
        """The ball of ``expr`` on input balls, or :class:`BallError`."""
        return self._kernel(*balls)[0]

    def ranges(self, values: Mapping[object, object] | Sequence[object]) -> list[Range]:
        """The validated ``(lo, hi)`` of each input symbol."""
        if isinstance(values, Mapping):
            return resolve_ranges(self.symbols, values)
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise IntervalArgumentError("values", "must be a mapping or a sequence of values", values)
        if len(values) != len(self.symbols):
            raise IntervalArgumentError("values", f"needs {len(self.symbols)} values, one per symbol", values)
        return resolve_ranges(self.symbols, dict(zip(self.symbols, values, strict=True)))

    def enclose_ranges(self, ranges: Sequence[Range]) -> Enclosure:
        """The enclosure over already validated ranges (arb, falling back to the reference path)."""
        with resource_errors_as_interval_errors("the enclosure"):
            try:
                with flint_precision(self.prec):
                    out = self._kernel(*[ball(lo, hi) for lo, hi in ranges])[0]
                    return ball_to_enclosure(out)
            except BallError:
                return reference_enclosure(self.expr, self.symbols, ranges, self.prec)

    def __call__(self, values: Mapping[object, object] | Sequence[object] = ()) -> Enclosure:
        return self.enclose_ranges(self.ranges(values))

    def __repr__(self) -> str:
        return f"CompiledEnclosure({sp.sstr(self.expr)}, symbols={self.symbols}, prec={self.prec}, mode={self.mode})"


def compile_enclosure(
    expr: sp.Expr, symbols: Sequence[sp.Symbol] | None = None, *, prec: int | None = None, mode: Mode = "ball"
) -> CompiledEnclosure:
    """Compile ``expr`` once (cached on ``(expr, symbols, prec)``) into an evaluator of certified enclosures.

    ``symbols`` fixes the order of the inputs (default: the free symbols in canonical order); every free symbol of
    ``expr`` must be among them. Raises :class:`IntervalError` if a node of ``expr`` has no interval kernel.
    """
    expr = as_expression(expr)
    with resource_errors_as_interval_errors("the whitelist check"):
        check_whitelist(expr)
    order = sorted_symbols(expr) if symbols is None else tuple(symbols)
    if not all(isinstance(s, sp.Symbol) for s in order) or len(set(order)) != len(order):
        raise IntervalArgumentError("symbols", "must be distinct sympy Symbols", order)
    missing = set(sorted_symbols(expr)) - set(order)
    if missing:
        names = ", ".join(sorted(s.name for s in missing))
        raise IntervalError(f"symbol {names} has no value (not among the compiled inputs)")
    with resource_errors_as_interval_errors("the compilation"):
        return CompiledEnclosure(expr, order, current_precision(prec), mode)


def enclose(
    expr: sp.Expr,
    values: Mapping[object, object] | None = None,
    *,
    backend: Backend = "arb",
    prec: int | None = None,
    mode: Mode = "interval",
) -> Enclosure:
    """An enclosure ``[lower, upper]`` of ``expr`` containing its value at every point of the box ``values``.

    ``values`` maps each free symbol (or its name) to an exact number or an interval ``(lo, hi)`` of exact
    rationals (int, Fraction, sympy Rational, a decimal string; never a float). ``backend="arb"`` (default) runs
    the compiled arb evaluator (``mode`` as for :class:`CompiledEnclosure`; the default here is the tight
    ``"interval"``, while :func:`compile_enclosure`, made for throughput, defaults to ``"ball"``), ``"mpmath"`` the
    reference interval walk. ``prec`` is the working precision in bits (default: :func:`working_precision`, 64).
    """
    expr = as_expression(expr)
    with resource_errors_as_interval_errors("the whitelist check"):
        check_whitelist(expr)
    bits = current_precision(prec)
    symbols = sorted_symbols(expr)
    ranges = resolve_ranges(symbols, values)
    if backend == "mpmath":
        with resource_errors_as_interval_errors("the reference enclosure"):
            return reference_enclosure(expr, symbols, ranges, bits)
    if backend != "arb":
        raise IntervalArgumentError("backend", "must be 'arb' or 'mpmath'", backend)
    return compile_enclosure(expr, symbols, prec=bits, mode=mode).enclose_ranges(ranges)
