"""The fast path: an evaluator compiled once per expression (shared subexpressions by ``sympy.cse``) and run in
python-flint's ``arb`` ball arithmetic.

A ball ``[m +/- r]`` is rigorous: every arb operation returns a ball containing every result of the operation on
points of its argument balls, and a ball that reaches outside an operation's domain (``log`` of a ball with a
point <= 0, division by a ball containing 0, ``sqrt`` of a ball with a negative point, ``tan`` across a pole) comes
out as NaN, which propagates (``0 * NaN`` is NaN, ``0 * inf`` is NaN; each helper returns NaN on a non-finite
argument). So the compiled evaluator either returns finite balls, which are enclosures, or signals failure
(:class:`BallError`); it never returns a wrong finite ball. Radii are carried with 30 bits, so a ball is slightly
wider than the interval it stands for.

Each node is emitted from its row of the operation table (:mod:`rlhfsym.interval._ops`): a code template of
:mod:`rlhfsym.interval._kernels_arb` for ball or interval mode, a fold of a binary helper, or one of the
structural emitters below (sums, products and quotients, the three kinds of powers, rationals and constants). The
source of each evaluator is generated from the whitelisted tree only: its identifiers are ``a<i>`` (inputs),
``t<i>`` (temporaries), ``k<i>`` (constants, passed as objects) and the helper names; no text of the user is ever
compiled.

Balls become exact enclosures through :func:`ball_to_enclosure`, whose conversion refuses magnitudes beyond
``2**MAX_MAGNITUDE_BITS`` (:class:`~rlhfsym.interval.IntervalOverflowError`) instead of building huge integers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy as sp
from flint import arb, ctx, fmpq

from ._enclosure import Enclosure, IntervalError, fraction_from_man_exp
from ._kernels_arb import HELPERS
from ._ops import CONSTANTS, Fold, Unary, operation_of

__all__ = [
    "MODES",
    "BallError",
    "Kernel",
    "ball",
    "ball_to_enclosure",
    "compile_kernel",
    "flint_precision",
    "point_ball",
]

class BallError(ArithmeticError):
    """A ball came out NaN or infinite (a domain boundary reached by rounding or for real, or an overflow)."""


@contextmanager
def flint_precision(prec: int) -> Iterator[None]:
    """Set python-flint's working precision for the block and restore it after (python-flint keeps one global
    precision; it is set once per top-level call, never changed during a computation)."""
    old = ctx.prec
    if old == prec:
        yield
        return
    ctx.prec = prec
    try:
        yield
    finally:
        ctx.prec = old


def _fmpq(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def point_ball(x: Fraction) -> arb:
    """A ball containing the rational ``x`` (exact when ``x`` is a short binary number)."""
    if x.denominator == 1:
        return arb(x.numerator)
    return arb(_fmpq(x))


def ball(lo: Fraction, hi: Fraction) -> arb:
    """A ball containing ``[lo, hi]``; if ``lo >= 0`` it contains no negative number."""
    a = point_ball(lo)
    if lo == hi:
        return a
    b = a.union(point_ball(hi))
    if lo >= 0 and not b >= 0:
        b = b.nonnegative_part()
    return b


def _arb_to_fraction(x: arb, direction: str) -> Fraction:
    """An exact arb number as a Fraction (rounded outward only below ``2**-MAX_MAGNITUDE_BITS``)."""
    man, exp = x.man_exp()
    return fraction_from_man_exp(int(man), int(exp), direction)  # type: ignore[arg-type]


def ball_to_enclosure(b: arb) -> Enclosure:
    """``[lower, upper]`` of a finite ball, rounded outward to exact binary numbers; IntervalOverflowError beyond
    ``2**MAX_MAGNITUDE_BITS``."""
    if not b.is_finite():
        raise BallError("the ball is not finite")
    return Enclosure(_arb_to_fraction(b.lower(), "down"), _arb_to_fraction(b.upper(), "up"))


#: Modes of the compiled evaluator: plain ball operations, or end point kernels for products, quotients, powers and
#: the elementary functions (tighter on wide inputs, slower).
MODES = ("ball", "interval")


# ---- code generation ----------------------------------------------------------------------------------------


class _Emitter:
    """Emit one line of straight-line code per node; each distinct node is computed once."""

    def __init__(self, symbols: Sequence[sp.Symbol], mode: str) -> None:
        self.tight = mode == "interval"
        self.names: dict[sp.Basic, str] = {s: f"a{i}" for i, s in enumerate(symbols)}
        self.lines: list[str] = []
        self.constants: dict[str, arb] = {}
        self.const_names: dict[sp.Basic, str] = {}
        self.counter = 0

    def _tmp(self, code: str) -> str:
        name = f"t{self.counter}"
        self.counter += 1
        self.lines.append(f"    {name} = {code}")
        return name

    def _const(self, node: sp.Basic, value: arb) -> str:
        name = self.const_names.get(node)
        if name is None:
            name = f"k{len(self.constants)}"
            self.constants[name] = value
            self.const_names[node] = name
        return name

    def bind(self, symbol: sp.Basic, node: sp.Basic) -> None:
        """A cse replacement ``symbol = node``."""
        self.names[symbol] = self.emit(node)

    def emit(self, node: sp.Basic) -> str:
        name = self.names.get(node)
        if name is None:
            name = self._emit(node)
            self.names[node] = name
        return name

    def _emit(self, node: sp.Basic) -> str:
        if isinstance(node, sp.Symbol):
            raise IntervalError(f"symbol {node} has no value")
        op = operation_of(node)
        kernel = op.arb
        if isinstance(kernel, Unary):
            x = self.emit(node.args[0])
            return self._tmp((kernel.interval if self.tight else kernel.ball).format(x))
        if isinstance(kernel, Fold):
            helper = kernel.interval if self.tight else kernel.ball
            x = self.emit(node.args[0])
            for arg in node.args[1:]:
                x = self._tmp(f"{helper}({x}, {self.emit(arg)})")
            return x
        return getattr(self, "_" + kernel)(node)

    # -- structural emitters (named by the table) ---------------------------------------------------------------

    def _rational(self, node: sp.Basic) -> str:
        return self._const(node, point_ball(Fraction(int(node.p), int(node.q))))

    def _constant(self, node: sp.Basic) -> str:
        value = {"pi": arb.pi, "e": arb.const_e, "euler": arb.const_euler}[CONSTANTS[node]]()
        return self._const(node, value)

    def _add(self, node: sp.Basic) -> str:
        plus, minus = [], []
        for term in node.args:
            coeff, _ = term.as_coeff_Mul()
            (minus if coeff.is_negative else plus).append(-term if coeff.is_negative else term)
        if plus:
            acc = self.emit(plus[0])
            rest = [("+", t) for t in plus[1:]] + [("-", t) for t in minus]
        else:
            acc = self._tmp(f"-{self.emit(minus[0])}")
            rest = [("-", t) for t in minus[1:]]
        for op, term in rest:
            acc = self._tmp(f"{acc} {op} {self.emit(term)}")
        return acc

    def _binary(self, op: str, x: str, y: str) -> str:
        """``x * y`` or ``x / y``; with end point kernels unless an operand is a constant (a point times a ball is
        already exact in ball arithmetic)."""
        if self.tight and not (x.startswith("k") or y.startswith("k")):
            return self._tmp(f"{'_mul_i' if op == '*' else '_div_i'}({x}, {y})")
        return self._tmp(f"{x} {op} {y}")

    def _product(self, factors: Sequence[sp.Basic]) -> str | None:
        acc = None
        for f in factors:
            name = self.emit(f)
            acc = name if acc is None else self._binary("*", acc, name)
        return acc

    def _mul(self, node: sp.Basic) -> str:
        coeff, factors = node.as_coeff_mul()
        num, den = [], []
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                den.append(sp.Pow(f.base, -f.exp))
            else:
                num.append(f)
        top = self._product(num)
        bottom = self._product(den)
        if top is None:
            top = self._const(sp.Integer(1), arb(1))
        acc = top if bottom is None else self._binary("/", top, bottom)
        if coeff == -1:
            return self._tmp(f"-{acc}")
        if coeff != 1:
            return self._binary("*", acc, self.emit(coeff))
        return acc

    def _ipow_code(self, x: str, n: int) -> str:
        """Code for ``x**n``, ``n >= 1``."""
        if n == 1:
            return x
        suffix = "_i" if self.tight else ""
        if n == 2:
            return self._tmp(f"_sq{suffix}({x})")
        return self._tmp(f"_ipow{suffix}({x}, {n})")

    def _pow_int(self, node: sp.Basic) -> str:
        """``x**n``: a power of ``x`` (``1 / x**|n|`` for ``n < 0``)."""
        return self._rational_power(node)

    def _pow_rational(self, node: sp.Basic) -> str:
        """``x**(p/q)``: the ``q``-th root, then the power ``|p|`` (and ``1 / ...`` for ``p < 0``)."""
        return self._rational_power(node)

    def _rational_power(self, node: sp.Basic) -> str:
        base, exponent = node.args
        x = self.emit(base)
        p, q = int(exponent.p), int(exponent.q)
        if q != 1:
            x = self._tmp(f"_root{'_i' if self.tight else ''}({x}, {q})")
        power = self._ipow_code(x, abs(p))
        if p > 0:
            return power
        if p == 0:
            return self._const(sp.Integer(1), arb(1))
        one = self._const(sp.Integer(1), arb(1))
        return self._tmp(f"{one} / {power}")

    def _pow_real(self, node: sp.Basic) -> str:
        """``x**y`` for ``x > 0``, by ``_rpow``."""
        base, exponent = node.args
        x, y = self.emit(base), self.emit(exponent)
        return self._tmp(f"_rpow{'_i' if self.tight else ''}({x}, {y})")


class Kernel:
    """A compiled evaluator: ``kernel(*balls)`` returns one ball per output, or raises :class:`BallError`."""

    def __init__(self, exprs: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...], prec: int, mode: str) -> None:
        self.exprs = exprs
        self.symbols = symbols
        self.prec = prec
        self.mode = mode
        with flint_precision(prec):
            self.source, self.function = _generate(exprs, symbols, mode)

    def __call__(self, *balls: arb) -> tuple[arb, ...]:
        old = ctx.prec
        if old == self.prec:  # the usual case inside flint_precision(): no global state touched
            out = self.function(*balls)
        else:
            ctx.prec = self.prec
            try:
                out = self.function(*balls)
            finally:
                ctx.prec = old
        for b in out:
            if not b.is_finite():
                raise BallError("a ball left the domain of an operation or overflowed")
        return out


def _generate(
    exprs: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...], mode: str
) -> tuple[str, Callable[..., Any]]:
    replacements, reduced = sp.cse(list(exprs), symbols=sp.numbered_symbols("_cse", cls=sp.Dummy))
    emitter = _Emitter(symbols, mode)
    for symbol, sub in replacements:
        emitter.bind(symbol, sub)
    outputs = [emitter.emit(e) for e in reduced]
    args = ", ".join(f"a{i}" for i in range(len(symbols)))
    body = emitter.lines or ["    pass"]
    source = "\n".join([f"def _kernel({args}):", *body, f"    return ({', '.join(outputs)},)"])
    namespace: dict[str, Any] = {"__builtins__": {}, **HELPERS, **emitter.constants}
    exec(compile(source, "<rlhfsym.interval kernel>", "exec"), namespace)  # generated from the whitelisted tree
    return source, namespace["_kernel"]


@lru_cache(maxsize=512)
def compile_kernel(
    exprs: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...], prec: int, mode: str = "ball"
) -> Kernel:
    """The compiled arb evaluator of ``exprs`` in the inputs ``symbols`` at ``prec`` bits (cached)."""
    return Kernel(exprs, symbols, prec, mode)
