"""The whitelist: which sympy nodes have a true interval kernel in both backends, and how they are classified."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from ..errors import ParameterError
from ._enclosure import IntervalError

__all__ = ["CONSTANTS", "KERNELS", "as_expression", "check_whitelist", "kind_of"]

#: Each kernel of the whitelist, with its domain. Both backends implement exactly these.
KERNELS: Mapping[str, str] = {
    "add": "x + y, x - y",
    "mul": "x * y, x / y (the divisor's enclosure must exclude 0)",
    "pow_int": "x**n, n an integer (an even n gives an enclosure >= 0; n < 0 needs 0 outside x)",
    "pow_rational": "x**(p/q) for x >= 0 (x > 0 when p/q < 0); sqrt(x) is x**(1/2)",
    "pow_real": "x**y with a non-rational exponent, as exp(y*log(x)), for x > 0",
    "exp": "exp(x)",
    "log": "log(x) for x > 0",
    "abs": "Abs(x)",
    "max": "Max(x, y, ...)",
    "min": "Min(x, y, ...)",
}

#: Constants entered as enclosures (never as rounded floats).
CONSTANTS: Mapping[sp.Expr, str] = {sp.pi: "pi", sp.E: "e", sp.EulerGamma: "euler"}

_FUNCTIONS: Mapping[type, str] = {
    sp.Add: "add",
    sp.Mul: "mul",
    sp.Pow: "pow",
    sp.exp: "exp",
    sp.log: "log",
    sp.Abs: "abs",
    sp.Max: "max",
    sp.Min: "min",
}

_ALLOWED = "+, -, *, /, integer and rational powers, x**y for x > 0, exp, log, Abs, Max, Min, pi, E, EulerGamma"


def _shown(node: sp.Basic, limit: int = 80) -> str:
    text = sp.sstr(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def kind_of(node: sp.Basic) -> str:
    """``"symbol"``, ``"rational"``, ``"constant"``, or the name of the node's kernel; IntervalError otherwise."""
    if isinstance(node, sp.Symbol):
        return "symbol"
    if isinstance(node, sp.Rational):
        return "rational"
    if node in CONSTANTS:
        return "constant"
    kind = _FUNCTIONS.get(type(node))
    if kind is not None:
        return kind
    if isinstance(node, sp.Float):
        raise IntervalError(f"the sympy Float {node} is already rounded; write the number as a sympy Rational")
    if node.has(sp.I) or isinstance(node, (sp.re, sp.im)):
        raise IntervalError(f"complex numbers have no real interval kernel: {_shown(node)}")
    if node in (sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise IntervalError(f"{node} is not a finite real number")
    name = getattr(node, "func", type(node)).__name__
    raise IntervalError(f"{name} is not an interval kernel (in {_shown(node)}); allowed: {_ALLOWED}")


def check_whitelist(expr: sp.Basic) -> None:
    """Raise IntervalError naming the first node of ``expr`` that has no interval kernel."""
    for node in sp.preorder_traversal(expr):
        kind_of(node)


def as_expression(obj: object, name: str = "expr") -> sp.Expr:
    """A sympy expression from a sympy object, an int or a Fraction; text and floats are refused."""
    if isinstance(obj, sp.Basic):
        if not isinstance(obj, sp.Expr):
            raise IntervalError(f"{name} must be a sympy expression, not {type(obj).__name__}: {_shown(obj)}")
        return obj
    if isinstance(obj, bool):
        raise ParameterError(name, "must be a sympy expression or an exact number, not a boolean", obj)
    if isinstance(obj, int):
        return sp.Integer(obj)
    if isinstance(obj, Fraction):
        return sp.Rational(obj.numerator, obj.denominator)
    if isinstance(obj, float):
        raise ParameterError(name, "floats are already rounded; pass a sympy Rational or a Fraction", obj)
    raise ParameterError(name, f"must be a sympy expression (text is never parsed), not {type(obj).__name__}", obj)
