"""Where an expression is a finite real number, and which values a symbol takes.

The rules of the engine need three facts about domains, each decided here once:

* :func:`conditions` -- the side conditions under which the tree of an expression evaluates to a finite real
  number: the base of every negative integer power is nonzero, the base of every non-integer power is positive
  (nonnegative when the exponent is positive and only continuity is needed), every ``log`` argument is positive.
  ``+``, ``*``, integer powers and ``exp`` need nothing. Where every condition holds *strictly*, an expression
  built from these operations is real analytic, hence continuous and differentiable;
* :func:`defined_everywhere` -- each condition proved from the assumptions of the symbols (so the expression is a
  finite real at every point of their domains), or the first condition that cannot be proved;
* :func:`interval_class` and :func:`integer_class` -- the domain of a variable, read from its assumptions *exactly*:
  a calculus rule needs one of the five intervals of the real line (``real``, ``positive``, ``nonnegative``,
  ``negative``, ``nonpositive``), induction one of the two rays of integers (from 0 or from 1). A symbol with any
  further assumption (``irrational``, ``odd``, ``nonzero`` on the line, ...) ranges over a set that is not one of
  these, and the rules refuse it;
* :func:`admits` -- does a value provably have every property that a symbol's assumptions assert (and lack every
  property they deny)? A citation instance, a counterexample and a sampled point must be admitted.

A sign read by sympy's assumptions is trusted: sympy's ``is_positive`` and friends answer True only when the
property holds for every value of the symbols (a real number is finite in sympy), and None when they cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

__all__ = [
    "CONTINUOUS",
    "INTERVALS",
    "RAYS",
    "Condition",
    "admits",
    "conditions",
    "defined_everywhere",
    "integer_class",
    "interval_class",
    "proves",
    "smooth_in",
    "trusted_atoms",
    "unproved_condition",
]

#: The five intervals of the real line a calculus variable may range over, by the assumptions that declare them.
INTERVALS: dict[str, dict[str, bool]] = {
    "real": {"real": True},
    "positive": {"positive": True},
    "nonnegative": {"nonnegative": True},
    "negative": {"negative": True},
    "nonpositive": {"nonpositive": True},
}
#: The two rays of integers an induction variable may range over, with their least element.
RAYS: dict[str, tuple[dict[str, bool], int]] = {
    "nonnegative integer": ({"integer": True, "nonnegative": True}, 0),
    "positive integer": ({"integer": True, "positive": True}, 1),
}
#: Functions that are continuous wherever their arguments are defined (calculus rules also need a derivative).
CONTINUOUS = (sp.exp, sp.log)

_REFERENCE = {name: sp.Dummy("ref", **kw).assumptions0 for name, kw in INTERVALS.items()}
_RAY_REFERENCE = {name: sp.Dummy("ref", **kw).assumptions0 for name, (kw, _) in RAYS.items()}


def interval_class(var: sp.Symbol) -> str | None:
    """The name of the interval ``var`` ranges over (a key of :data:`INTERVALS`), or None if it is not one."""
    if not isinstance(var, sp.Symbol):
        return None
    return next((name for name, ref in _REFERENCE.items() if var.assumptions0 == ref), None)


def integer_class(var: sp.Symbol) -> tuple[str, int] | None:
    """``(name, least value)`` of the ray of integers ``var`` ranges over, or None if it is not one."""
    if not isinstance(var, sp.Symbol):
        return None
    for name, ref in _RAY_REFERENCE.items():
        if var.assumptions0 == ref:
            return name, RAYS[name][1]
    return None


@dataclass(frozen=True)
class Condition:
    """A side condition ``expr REL 0`` (``kind`` is ``"nonzero"``, ``"positive"`` or ``"nonnegative"``) and where
    it comes from (``origin``: the power or log node)."""

    kind: str
    expr: sp.Expr
    origin: sp.Expr

    def __str__(self) -> str:
        rel = {"nonzero": "!= 0", "positive": "> 0", "nonnegative": ">= 0"}[self.kind]
        return f"{sp.sstr(self.expr)} {rel} (for {sp.sstr(self.origin)})"


def conditions(expr: sp.Expr, strict: bool = True) -> Iterator[Condition]:
    """The side conditions of ``expr`` (see the module docstring), every node of the tree visited once.

    With ``strict`` the base of a positive non-integer power must be > 0 (the power is then differentiable);
    without, >= 0 (continuous).
    """
    seen: set[sp.Basic] = set()
    for node in sp.preorder_traversal(expr):
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, sp.Pow):
            base, exponent = node.args
            if exponent.is_integer is True:
                if exponent.is_negative is not False:
                    yield Condition("nonzero", base, node)
            elif exponent.is_Rational and exponent > 0 and not strict:
                yield Condition("nonnegative", base, node)
            else:
                yield Condition("positive", base, node)
        elif isinstance(node, sp.log):
            yield Condition("positive", node.args[0], node)


def proves(kind: str, expr: sp.Expr) -> bool:
    """Does sympy read ``expr`` as nonzero / positive / nonnegative at every point of its symbols' domains?"""
    from .decide import is_nonneg, is_nonzero, is_pos  # decide uses this module's admits; imported late

    return {"nonzero": is_nonzero, "positive": is_pos, "nonnegative": is_nonneg}[kind](expr)


def unproved_condition(expr: sp.Expr, strict: bool = True) -> Condition | None:
    """The first side condition of ``expr`` that sympy's assumptions cannot prove, or None if all are proved.

    Sound by induction on the tree: a condition is read off equivalent forms of its expression, which agree with
    it at every point where that expression is itself defined -- and the conditions of that expression are in the
    list too.
    """
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        return Condition("nonzero", sp.S.Zero, expr)
    for condition in conditions(expr, strict):
        if not proves(condition.kind, condition.expr):
            return condition
    return None


def defined_everywhere(expr: sp.Expr, strict: bool = True) -> bool:
    """Is ``expr`` a finite real number at every point of its symbols' domains (each condition proved)?"""
    return unproved_condition(expr, strict) is None and _real_atoms(expr)


def _real_atoms(expr: sp.Expr) -> bool:
    """Every symbol and every function atom that is not arithmetic, exp or log is known to be real."""
    for atom in expr.atoms(sp.Symbol, sp.Function):
        if isinstance(atom, CONTINUOUS):
            continue
        if atom.is_real is not True:
            return False
    return True


def smooth_in(f: sp.Expr, var: sp.Symbol) -> str:
    """'' when every function atom of ``f`` that involves ``var`` is ``exp`` or ``log`` (so that ``f`` is analytic
    in ``var`` wherever its side conditions hold strictly) and every other atom is real; else the reason.

    ``Piecewise``, ``Abs``, ``floor``, ``Min``/``Max``, unknown functions of ``var``: sympy differentiates them
    branch by branch and misses their jumps and kinks, so a calculus rule refuses them.
    """
    for atom in f.atoms(sp.Function):
        if isinstance(atom, CONTINUOUS):
            continue
        if atom.has(var):
            return f"{sp.sstr(atom)} is not built from arithmetic, powers, exp and log"
        if atom.is_real is not True:
            return f"{sp.sstr(atom)} is not known to be real"
    for symbol in f.free_symbols:
        if symbol.is_real is not True:
            return f"the symbol {symbol} is not known to be real"
    return ""


#: Functions whose signs and properties sympy's assumptions read reliably: the engine trusts a reading of an
#: expression only when its function atoms are these or functions the user declared (``Function("d", real=True)``).
#: (sympy 1.14 says atan(m) > 0 for an integer m >= 0, yet atan(0) = 0.)
TRUSTED_FUNCTIONS = (sp.exp, sp.log, sp.Abs, sp.Max, sp.Min)


def trusted_atoms(expr: sp.Basic) -> bool:
    """Are all function atoms of ``expr`` ones whose assumptions the engine trusts (:data:`TRUSTED_FUNCTIONS`, or
    undefined functions whose assumptions the user declared)?"""
    return all(
        isinstance(f, (*TRUSTED_FUNCTIONS, sp.core.function.AppliedUndef)) for f in expr.atoms(sp.Function)
    )


def admits(value: sp.Expr, symbol: sp.Symbol) -> bool:
    """Does ``value`` provably have every property ``symbol``'s assumptions assert, and lack every one they deny?

    ``commutative`` is not a property of numbers the engine reasons about and is skipped. A value with a Float,
    an infinity, NaN or the imaginary unit is never admitted.
    """
    value = sp.sympify(value, strict=True)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or value.atoms(sp.Float) or not trusted_atoms(value):
        return False
    for key, holds in symbol.assumptions0.items():
        if key == "commutative" or holds is None:
            continue
        if getattr(value, f"is_{key}") is not holds:
            return False
    return True
