"""Leading order of a bound in one variable, as ``v -> oo``: polynomial (``v^(p)``) or geometric (``base^v``).

The bound is split into terms. A term ``c * v^p`` (``c`` free of ``v``) has polynomial order ``p``; a term
``c * base^(k v)`` has geometric order ``base^k``; a term free of ``v`` does not count (a bound
``a n^(-1/2) + b T^(-1/4)`` has order ``n^(-1/2)`` in n). The rate of the bound is its slowest term: the largest
``p`` among polynomial terms, else the geometric term. A polynomial rate is then confirmed with sympy's ``limit``:
``(sum of the v-dependent terms) / v^p`` must tend to a finite limit that is not 0 (its sign may rest on
conditions that assumptions cannot state, such as delta < 1).

>>> import sympy as sp
>>> n = sp.Symbol("n", positive=True)
>>> leading_rate(3 / sp.sqrt(n) + 1 / n, n).text
'n^(-1/2)'
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Rate", "RateError", "leading_rate"]


class RateError(ValueError):
    """The bound has a term whose order in the variable is neither polynomial nor geometric."""


@dataclass(frozen=True)
class Rate:
    """The order of a bound in ``var``: ``kind`` is ``"polynomial"`` (``var^exponent``), ``"geometric"``
    (``base^(exponent var)``) or ``"constant"`` (no term depends on ``var``)."""

    var: sp.Symbol
    kind: str
    exponent: sp.Expr | None = None
    base: sp.Expr | None = None
    base_name: str | None = None

    @property
    def text(self) -> str:
        if self.kind == "polynomial":
            return f"{self.var}^({self.exponent})"
        if self.kind == "geometric":
            base = self.base_name or f"({sp.sstr(self.base)})"
            power = f"{self.var}" if self.exponent == 1 else f"({sp.sstr(self.exponent * self.var)})"
            return f"{base}^{power}"
        return f"{self.var}^0"


def _term_order(term: sp.Expr, var: sp.Symbol) -> tuple[str, sp.Expr, sp.Expr]:
    """``("polynomial", p, 1)`` or ``("geometric", k, base)`` for one term that depends on ``var``."""
    _, rest = term.as_independent(var, as_Add=False)
    rest = sp.powdenest(sp.powsimp(sp.expand_power_base(rest, force=True), force=True), force=True)
    if rest == var:
        return "polynomial", sp.S.One, sp.S.One
    if rest.is_Pow:
        base, exp = rest.args
        if base == var and not exp.has(var):
            return "polynomial", exp, sp.S.One
        if not base.has(var):
            k, linear = exp.as_independent(var, as_Add=False)
            if linear == var:
                return "geometric", k, base
    raise RateError(f"cannot read the order in {var} of the term {sp.sstr(term)}")


def leading_rate(bound: sp.Expr, var: sp.Symbol, names: dict[sp.Expr, str] | None = None) -> Rate:
    """The slowest-decaying order of ``bound`` in ``var`` (see the module docstring); ``names`` maps a geometric
    base to a display name such as ``rho``."""
    terms = [t for t in sp.Add.make_args(sp.expand(bound)) if t.has(var)]
    if not terms:
        return Rate(var, "constant")
    orders = [_term_order(t, var) for t in terms]
    polynomial = [p for kind, p, _ in orders if kind == "polynomial"]
    if polynomial:
        exponent = max(polynomial, key=lambda p: sp.N(p))
        limit = sp.limit(sp.Add(*terms) / var**exponent, var, sp.oo)
        if limit == 0 or limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or limit.is_finite is False:
            raise RateError(f"the order {var}^({exponent}) is not confirmed: the limit ratio is {sp.sstr(limit)}")
        return Rate(var, "polynomial", exponent=exponent)
    bases = {base for _, _, base in orders}
    if len(bases) != 1:
        raise RateError(f"several geometric bases in {var}: {', '.join(sp.sstr(b) for b in bases)}")
    base = bases.pop()
    slowest = min((k for _, k, _ in orders), key=lambda k: sp.N(k))
    return Rate(var, "geometric", exponent=slowest, base=base, base_name=(names or {}).get(base))
