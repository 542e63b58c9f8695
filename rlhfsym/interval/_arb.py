"""The fast path: an evaluator compiled once per expression (shared subexpressions by ``sympy.cse``) and run in
python-flint's ``arb`` ball arithmetic.

A ball ``[m +/- r]`` is rigorous: every arb operation returns a ball containing every result of the operation on
points of its argument balls, and a ball that reaches outside an operation's domain (``log`` of a ball with a
point <= 0, division by a ball containing 0, ``sqrt`` of a ball with a negative point) comes out as NaN, which
propagates (``0 * NaN`` is NaN, ``0 * inf`` is NaN; each helper below returns NaN on a non-finite argument). So the
compiled evaluator either returns finite balls, which are enclosures, or signals failure (:class:`BallError`); it
never returns a wrong finite ball. Radii are carried with 30 bits, so a ball is slightly wider than the interval
it stands for.

Kernels are arb's ``+ - * /``, ``exp``, ``log``, ``sqrt``, ``root`` and integer ``**``, plus helpers written here
from exact end points (``lower()``, ``upper()``, ``abs_upper()`` are exact arb numbers, so comparing them is
decided):

* ``_sq``/``_ipow``: an even power of a ball that straddles 0 is ``[0, max|x|**n]`` (arb's ``x**n`` of a ball
  centred on 0 is NaN, and ``x*x`` would give ``[-1, 1]`` on ``[-1, 1]``); an odd power is ``[lo**n, hi**n]``;
* ``_root``: ``x**(1/q)`` of a ball touching 0 is ``[0, hi**(1/q)]`` (arb's ``root`` answers NaN there);
* ``_rpow``: ``x**y`` for ``x > 0``, an integer power when ``y`` is an exact integer, else ``exp(y log x)``;
* ``_abs``, ``_max2``, ``_min2``: end point formulas;
* mode ``"interval"`` only: ``_mul_i``, ``_div_i``, ``_exp_i``, ``_log_i``, ``_sq_i``, ``_ipow_i``, ``_root_i``,
  ``_rpow_i`` -- the image of the end points of sign-definite balls under a monotone operation, joined by
  ``union`` (as tight as interval arithmetic; a plain ball product of two positive balls of relative radius 1/2
  reaches below 0).

The source of each evaluator is generated from the whitelisted tree only: its identifiers are ``a<i>`` (inputs),
``t<i>`` (temporaries), ``k<i>`` (constants, passed as objects) and the helper names above; no text of the user
is ever compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy as sp
from flint import arb, ctx, fmpq

from ._enclosure import Enclosure
from ._tree import kind_of

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

_ZERO = arb(0)
_NAN = arb("nan")


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


def _arb_to_fraction(x: arb) -> Fraction:
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)


def ball_to_enclosure(b: arb) -> Enclosure:
    """``[lower, upper]`` of a finite ball, rounded outward to exact binary numbers."""
    if not b.is_finite():
        raise BallError("the ball is not finite")
    return Enclosure(_arb_to_fraction(b.lower()), _arb_to_fraction(b.upper()))


# ---- helpers called by the generated code -------------------------------------------------------------------


def _hull0(u: arb) -> arb:
    """A ball containing ``[0, u]`` and no negative number (``u`` >= 0)."""
    return _ZERO.union(u).nonnegative_part()


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


# ---- end point kernels (mode "interval"): interval arithmetic carried on arb numbers ---------------------------
# A ball is symmetric about its midpoint, so a ball product, quotient or exp of wide balls overshoots on one side
# (a product of two positive balls of relative radius 1/2 reaches below 0). These kernels compute the end points of
# the exact image, each rounded by arb, and return their union: the tightness of interval arithmetic at about ten
# times the cost. Each one falls back to the plain ball operation where its case analysis does not apply, so NaN
# (a domain failure) still propagates.


def _span(lo: arb, hi: arb) -> arb:
    return lo.union(hi)


def _mul_i(x: arb, y: arb) -> arb:
    if x >= 0:
        if y >= 0:
            return _span(x.lower() * y.lower(), x.upper() * y.upper())
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


def _exp_i(x: arb) -> arb:
    if not x.is_finite():
        return _NAN
    return _span(x.lower().exp(), x.upper().exp())


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


def _rpow(x: arb, y: arb) -> arb:
    """``x**y`` for ``x > 0`` (NaN otherwise): an exact integer ``y`` uses the integer power (so ``2**x`` at
    ``x = 1`` is exactly 2), any other ``y`` gives ``exp(y * log(x))``."""
    if not x > 0:
        return _NAN
    if y.is_integer():
        return x ** int(y.unique_fmpz())
    return (y * x.log()).exp()


def _rpow_i(x: arb, y: arb) -> arb:
    if not x > 0:
        return _NAN
    if y.is_integer():
        return _ipow_i(x, int(y.unique_fmpz())) if y > 0 else 1 / _ipow_i(x, -int(y.unique_fmpz()))
    return _exp_i(_mul_i(y, _log_i(x)))


_HELPERS = {
    "_rpow": _rpow,
    "_rpow_i": _rpow_i,
    "_sq": _sq,
    "_ipow": _ipow,
    "_root": _root,
    "_abs": _abs,
    "_max2": _max2,
    "_min2": _min2,
    "_mul_i": _mul_i,
    "_div_i": _div_i,
    "_exp_i": _exp_i,
    "_log_i": _log_i,
    "_sq_i": _sq_i,
    "_ipow_i": _ipow_i,
    "_root_i": _root_i,
}

#: Modes of the compiled evaluator: plain ball operations, or end point kernels for products, quotients, powers,
#: exp and log (tighter on wide inputs, slower).
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
        kind = kind_of(node)
        if kind == "symbol":
            from ._enclosure import IntervalError

            raise IntervalError(f"symbol {node} has no value")
        if kind == "rational":
            q = Fraction(int(node.p), int(node.q))
            return self._const(node, point_ball(q))
        if kind == "constant":
            value = {sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler}[node]()
            return self._const(node, value)
        if kind == "add":
            return self._add(node)
        if kind == "mul":
            return self._mul(node)
        if kind == "pow":
            return self._pow(node)
        x = self.emit(node.args[0])
        if kind == "exp":
            return self._tmp(f"_exp_i({x})" if self.tight else f"{x}.exp()")
        if kind == "log":
            return self._tmp(f"_log_i({x})" if self.tight else f"{x}.log()")
        if kind == "abs":
            return self._tmp(f"_abs({x})")
        helper = "_max2" if kind == "max" else "_min2"
        for arg in node.args[1:]:
            x = self._tmp(f"{helper}({x}, {self.emit(arg)})")
        return x

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

    def _pow(self, node: sp.Basic) -> str:
        base, exponent = node.args
        x = self.emit(base)
        if isinstance(exponent, sp.Rational):
            p, q = int(exponent.p), int(exponent.q)
            if q != 1:
                x = self._tmp(f"_root{'_i' if self.tight else ''}({x}, {q})")
            power = self._ipow_code(x, abs(p))
            if p > 0:
                return power
            one = self._const(sp.Integer(1), arb(1))
            return self._tmp(f"{one} / {power}")
        y = self.emit(exponent)
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
    namespace: dict[str, Any] = {"__builtins__": {}, **_HELPERS, **emitter.constants}
    exec(compile(source, "<rlhfsym.interval kernel>", "exec"), namespace)  # generated from the whitelisted tree
    return source, namespace["_kernel"]


@lru_cache(maxsize=512)
def compile_kernel(
    exprs: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...], prec: int, mode: str = "ball"
) -> Kernel:
    """The compiled arb evaluator of ``exprs`` in the inputs ``symbols`` at ``prec`` bits (cached)."""
    return Kernel(exprs, symbols, prec, mode)
