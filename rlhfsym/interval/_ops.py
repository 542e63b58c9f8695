"""The table of interval operations: every sympy node the package evaluates is declared here, once.

Each :class:`Operation` row states

* ``matches`` -- its sympy node test (a class, refined by a predicate for the three kinds of powers);
* ``domain`` -- where its argument must lie (checked by the mpmath kernel; the arb kernels answer NaN outside);
* ``arb`` -- its arb kernels: :class:`Unary` code templates for ball and interval mode, a :class:`Fold` of a binary
  helper, or the name of a structural emitter (``add``, ``mul``, the powers, the leaves) of
  :mod:`rlhfsym.interval._arb`;
* ``mpmath`` -- its kernel on the reference path (:mod:`rlhfsym.interval._kernels_mp`);
* ``derivative`` -- how to differentiate it (the chain rule given the derivatives of its arguments), or None;
* ``pieces`` -- for the operations without a derivative (``Abs``, ``Max``, ``Min``): the smooth branches and the
  conditions (expressions that must be >= 0 on a box) under which each branch is the operation's value.

The four consumers read this table: the whitelist (:func:`check_whitelist`, :data:`KERNELS`), the arb code
generator, the mpmath walker, and the derivative (:func:`derivative`) used by ``prove_le``.

**Why a derivative rule may be trusted.** Each rule's formula is defined (its enclosure finite) only where the
operation is differentiable: ``sqrt(u)`` gives ``u'/(2 sqrt(u))``, undefined at ``u = 0``; ``log(u)`` gives
``u'/u``; ``tan(u)`` gives ``(1 + tan(u)**2) u'`` with the poles of ``tan``; ``x**y`` needs ``x > 0`` like the
operation. ``Abs``, ``Max`` and ``Min`` have no rule (their derivative jumps where they are not differentiable); a
box on which one branch is selected replaces them by that branch. So a derivative enclosed on a box is continuous
there and equals the derivative of the expression (one-sided on the box's faces).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from . import _kernels_mp as mp
from ._enclosure import MAX_INPUT_BITS, IntervalArgumentError, IntervalError, check_input_size
from ._util import shown

__all__ = [
    "CONSTANTS",
    "KERNELS",
    "OPERATIONS",
    "Fold",
    "NoDerivativeError",
    "Operation",
    "Pieces",
    "Unary",
    "as_expression",
    "check_whitelist",
    "derivative",
    "operation_of",
]


@dataclass(frozen=True)
class Unary:
    """arb code templates of a one-argument operation: ``ball`` for ball mode, ``interval`` for interval mode."""

    ball: str
    interval: str


@dataclass(frozen=True)
class Fold:
    """A binary arb helper folded over the arguments (``Max(a, b, c)`` is ``_max2(_max2(a, b), c)``)."""

    ball: str
    interval: str


Derivative = Callable[[sp.Basic, Sequence[sp.Expr]], sp.Expr]
Pieces = Callable[[sp.Basic], list[tuple[tuple[sp.Expr, ...], sp.Expr]]]


@dataclass(frozen=True)
class Operation:
    """One row of the table (see the module docstring)."""

    name: str
    formula: str
    domain: str
    classes: tuple[type, ...]
    arb: Unary | Fold | str
    mpmath: Callable
    derivative: Derivative | None = None
    pieces: Pieces | None = None
    test: Callable[[sp.Basic], bool] | None = None
    leaf: bool = False
    #: The kernels read only the first argument's enclosure (the powers with an exact rational exponent).
    base_only: bool = False

    def matches(self, node: sp.Basic) -> bool:
        """The sympy node test."""
        return isinstance(node, self.classes) and (self.test is None or self.test(node))


# ---- derivative rules: (node, derivatives of its arguments) -> derivative of the node ------------------------


def _d_add(node: sp.Basic, d: Sequence[sp.Expr]) -> sp.Expr:
    return sp.Add(*d)


def _d_mul(node: sp.Basic, d: Sequence[sp.Expr]) -> sp.Expr:
    args = node.args
    return sp.Add(*[d[i] * sp.Mul(*args[:i], *args[i + 1 :]) for i in range(len(args)) if d[i] != 0])


def _d_power(node: sp.Basic, d: Sequence[sp.Expr]) -> sp.Expr:
    """``(u**q)' = q u**(q-1) u'`` for a constant rational ``q``."""
    base, q = node.args
    return q * base ** (q - 1) * d[0]


def _d_pow_real(node: sp.Basic, d: Sequence[sp.Expr]) -> sp.Expr:
    """``(u**v)' = u**v (v' log u + v u'/u)`` for ``u > 0``."""
    base, e = node.args
    return node * (d[1] * sp.log(base) + e * d[0] / base)


def _unary(rule: Callable[[sp.Expr], sp.Expr]) -> Derivative:
    def d(node: sp.Basic, dargs: Sequence[sp.Expr]) -> sp.Expr:
        return rule(node.args[0]) * dargs[0]

    return d


def _abs_pieces(node: sp.Basic) -> list[tuple[tuple[sp.Expr, ...], sp.Expr]]:
    u = node.args[0]
    return [((u,), u), ((-u,), -u)]


def _extreme_pieces(pick_max: bool) -> Pieces:
    def pieces(node: sp.Basic) -> list[tuple[tuple[sp.Expr, ...], sp.Expr]]:
        args = node.args
        out = []
        for i, a in enumerate(args):
            others = [b for j, b in enumerate(args) if j != i]
            out.append((tuple((a - b) if pick_max else (b - a) for b in others), a))
        return out

    return pieces


def _is_int_pow(node: sp.Basic) -> bool:
    return isinstance(node.exp, sp.Integer)


def _is_rational_pow(node: sp.Basic) -> bool:
    return isinstance(node.exp, sp.Rational) and not isinstance(node.exp, sp.Integer)


def _is_real_pow(node: sp.Basic) -> bool:
    return not isinstance(node.exp, sp.Rational)


_ANY = "every real x"

#: The table. Order matters only within one sympy class (the three powers); the first matching row is used.
OPERATIONS: tuple[Operation, ...] = (
    Operation("rational", "p/q", "exact; numerator and denominator of at most MAX_INPUT_BITS bits",
              (sp.Rational,), "rational", mp.mp_rational, lambda n, d: sp.S.Zero, leaf=True),
    Operation("constant", "pi, E, EulerGamma", "entered as enclosures, never as rounded floats",
              (sp.core.numbers.Pi, sp.core.numbers.Exp1, sp.core.numbers.EulerGamma), "constant", mp.mp_constant,
              lambda n, d: sp.S.Zero, leaf=True),
    Operation("add", "x + y, x - y", _ANY, (sp.Add,), "add", mp.mp_add, _d_add),
    Operation("mul", "x * y, x / y", "the divisor's enclosure must exclude 0", (sp.Mul,), "mul", mp.mp_mul, _d_mul),
    Operation("pow_int", "x**n, n an integer", "an even n gives an enclosure >= 0; n < 0 needs 0 outside x",
              (sp.Pow,), "pow_int", mp.mp_pow_int, _d_power, test=_is_int_pow, base_only=True),
    Operation("pow_rational", "x**(p/q); sqrt(x) is x**(1/2)", "x >= 0 (x > 0 when p/q < 0)",
              (sp.Pow,), "pow_rational", mp.mp_pow_rational, _d_power, test=_is_rational_pow, base_only=True),
    Operation("pow_real", "x**y, y not rational, as exp(y*log(x))", "x > 0",
              (sp.Pow,), "pow_real", mp.mp_pow_real, _d_pow_real, test=_is_real_pow),
    Operation("exp", "exp(x)", _ANY, (sp.exp,), Unary("{0}.exp()", "_exp_i({0})"), mp.mp_exp,
              _unary(sp.exp)),
    Operation("log", "log(x)", "x > 0", (sp.log,), Unary("{0}.log()", "_log_i({0})"), mp.mp_log,
              _unary(lambda u: 1 / u)),
    Operation("sin", "sin(x)", _ANY, (sp.sin,), Unary("{0}.sin()", "_sin_i({0})"), mp.mp_sin,
              _unary(sp.cos)),
    Operation("cos", "cos(x)", _ANY, (sp.cos,), Unary("{0}.cos()", "_cos_i({0})"), mp.mp_cos,
              _unary(lambda u: -sp.sin(u))),
    Operation("tan", "tan(x)", "the enclosure of x must avoid the poles pi/2 + k pi", (sp.tan,),
              Unary("{0}.tan()", "_tan_i({0})"), mp.mp_tan, _unary(lambda u: 1 + sp.tan(u) ** 2)),
    Operation("atan", "atan(x)", _ANY, (sp.atan,), Unary("{0}.atan()", "_atan_i({0})"), mp.mp_atan,
              _unary(lambda u: 1 / (1 + u**2))),
    Operation("sinh", "sinh(x)", _ANY, (sp.sinh,), Unary("{0}.sinh()", "_sinh_i({0})"), mp.mp_sinh,
              _unary(sp.cosh)),
    Operation("cosh", "cosh(x)", _ANY, (sp.cosh,), Unary("{0}.cosh()", "_cosh_i({0})"), mp.mp_cosh,
              _unary(sp.sinh)),
    Operation("tanh", "tanh(x)", _ANY, (sp.tanh,), Unary("{0}.tanh()", "_tanh_i({0})"), mp.mp_tanh,
              _unary(lambda u: 1 - sp.tanh(u) ** 2)),
    Operation("abs", "Abs(x)", _ANY + "; no derivative (a box may select one branch: x or -x)", (sp.Abs,),
              Unary("_abs({0})", "_abs({0})"), mp.mp_abs, pieces=_abs_pieces),
    Operation("max", "Max(x, y, ...)", _ANY + "; no derivative (a box may select one argument)", (sp.Max,),
              Fold("_max2", "_max2"), mp.mp_max, pieces=_extreme_pieces(True)),
    Operation("min", "Min(x, y, ...)", _ANY + "; no derivative (a box may select one argument)", (sp.Min,),
              Fold("_min2", "_min2"), mp.mp_min, pieces=_extreme_pieces(False)),
)  # fmt: skip

_BY_CLASS: dict[type, tuple[Operation, ...]] = {}
for _op in OPERATIONS:
    for _cls in _op.classes:
        _BY_CLASS[_cls] = (*_BY_CLASS.get(_cls, ()), _op)

#: Each operation of the whitelist with its domain (leaves -- rationals and constants -- are not listed).
KERNELS: Mapping[str, str] = {op.name: f"{op.formula}: {op.domain}" for op in OPERATIONS if not op.leaf}

#: Constants entered as enclosures (never as rounded floats), with their names in mpmath and arb.
CONSTANTS: Mapping[sp.Expr, str] = {sp.pi: "pi", sp.E: "e", sp.EulerGamma: "euler"}

_ALLOWED = (
    "+, -, *, /, integer and rational powers, x**y for x > 0, "
    + ", ".join(op.formula.split("(")[0] for op in OPERATIONS if isinstance(op.arb, (Unary, Fold)))
    + ", pi, E, EulerGamma"
)


_ROWS_OF_TYPE: dict[type, tuple[Operation, ...]] = {}


def _rows_of_type(cls: type) -> tuple[Operation, ...]:
    """The rows whose classes ``cls`` belongs to (the nearest class of its MRO that has rows), cached per type."""
    rows = _ROWS_OF_TYPE.get(cls)
    if rows is None:
        rows = next((_BY_CLASS[c] for c in cls.__mro__ if c in _BY_CLASS), ())
        _ROWS_OF_TYPE[cls] = rows
    return rows


def operation_of(node: sp.Basic) -> Operation:
    """The row of ``node`` (not a Symbol); IntervalError naming it when it has none."""
    for op in _rows_of_type(type(node)):
        if op.test is None or op.test(node):
            return op
    if isinstance(node, sp.Float):
        raise IntervalError(f"the sympy Float {node} is already rounded; write the number as a sympy Rational")
    if node.has(sp.I) or isinstance(node, (sp.re, sp.im)):
        raise IntervalError(f"complex numbers have no real interval kernel: {shown(node)}")
    if node in (sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise IntervalError(f"{node} is not a finite real number")
    name = getattr(node, "func", type(node)).__name__
    raise IntervalError(f"{name} is not an interval kernel (in {shown(node)}); allowed: {_ALLOWED}")


def _exact_bits(node: sp.Basic, memo: dict[sp.Basic, int]) -> int:
    """An upper estimate of the bits of an exact rational that sympy's automatic evaluation may build from ``node``
    when the expression is rebuilt (``Pow(2, 10**12, evaluate=False)`` becomes ``2**(10**12)``; ``(2*x)**n``
    distributes into ``2**n * x**n``): a rational's size, times ``|e|`` for a power, summed over a product; a sum with
    symbols, a symbol or a function is never evaluated to digits (0)."""
    known = memo.get(node)
    if known is not None:
        return known
    if isinstance(node, sp.Rational):
        out = max(int(node.p).bit_length(), int(node.q).bit_length(), 1)
    elif isinstance(node, sp.Pow) and isinstance(node.exp, sp.Rational):
        e = abs(Fraction(int(node.exp.p), int(node.exp.q)))
        out = _exact_bits(node.base, memo) * max(1, -(-e.numerator // e.denominator))
    elif isinstance(node, sp.Mul):
        out = sum(_exact_bits(a, memo) for a in node.args)
    elif isinstance(node, sp.Add) and not node.free_symbols:
        out = max(_exact_bits(a, memo) for a in node.args) + 1
    else:
        out = 0
    memo[node] = out
    return out


def check_whitelist(expr: sp.Basic) -> None:
    """Raise IntervalError naming the first node of ``expr`` that has no interval kernel, or an
    :class:`~rlhfsym.interval.IntervalArgumentError` for a rational, or an exact power sympy would evaluate, beyond
    ``MAX_INPUT_BITS`` bits (:func:`~rlhfsym.interval._enclosure.check_input_size`). Expressions that pass are
    remembered (sympy expressions are immutable), so a repeated check costs a lookup."""
    if expr in _WHITELISTED:
        return
    _check_whitelist(expr)
    if len(_WHITELISTED) >= 4096:
        _WHITELISTED.clear()
    _WHITELISTED.add(expr)


_WHITELISTED: set[sp.Basic] = set()


def _check_whitelist(expr: sp.Basic) -> None:
    memo: dict[sp.Basic, int] = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Symbol):
            continue
        op = operation_of(node)
        if op.name == "rational":
            check_input_size("expr", Fraction(int(node.p), int(node.q)))
        elif op.name.startswith("pow") and _exact_bits(node, memo) > MAX_INPUT_BITS:
            raise IntervalArgumentError(
                "expr", f"the exact power {shown(node)} would have more than {MAX_INPUT_BITS} bits; refused"
            )


def as_expression(obj: object, name: str = "expr") -> sp.Expr:
    """A sympy expression from a sympy object, an int or a Fraction; text and floats are refused."""
    if isinstance(obj, sp.Basic):
        if not isinstance(obj, sp.Expr):
            raise IntervalError(f"{name} must be a sympy expression, not {type(obj).__name__}: {shown(obj)}")
        return obj
    if isinstance(obj, bool):
        raise IntervalArgumentError(name, "must be a sympy expression or an exact number, not a boolean", obj)
    if isinstance(obj, int):
        return sp.Integer(obj)
    if isinstance(obj, Fraction):
        return sp.Rational(obj.numerator, obj.denominator)
    if isinstance(obj, float):
        raise IntervalArgumentError(name, "floats are already rounded; pass a sympy Rational or a Fraction", obj)
    raise IntervalArgumentError(
        name, f"must be a sympy expression (text is never parsed), not {type(obj).__name__}", obj
    )


class NoDerivativeError(IntervalError):
    """The expression contains an operation without a derivative rule (Abs, Max, Min) in the variable."""


def derivative(
    expr: sp.Expr, symbol: sp.Symbol, memo: dict[tuple[sp.Basic, sp.Symbol], sp.Expr] | None = None
) -> sp.Expr:
    """``d expr / d symbol`` by the table's rules (the chain rule, node by node); :class:`NoDerivativeError` at an
    ``Abs``, ``Max`` or ``Min`` whose arguments depend on ``symbol``. ``memo`` (keyed by node and symbol) may be
    shared between calls."""
    memo = {} if memo is None else memo

    def d(node: sp.Basic) -> sp.Expr:
        known = memo.get((node, symbol))
        if known is not None:
            return known
        if isinstance(node, sp.Symbol):
            out = sp.S.One if node == symbol else sp.S.Zero
        else:
            op = operation_of(node)
            dargs = [] if op.leaf else [d(a) for a in node.args]
            if all(x == 0 for x in dargs):  # the node does not depend on the symbol
                out = sp.S.Zero
            elif op.derivative is None:
                raise NoDerivativeError(f"{op.name} has no derivative (in {shown(node)})")
            else:
                out = op.derivative(node, dargs)
        memo[(node, symbol)] = out
        return out

    return d(expr)
