"""Leading order of a bound in one variable, as ``v -> oo``: polynomial (``v^(p)``), stretched exponential
(``exp(-c v^q)``, 0 < q < 1) or geometric (``base^v``).

The bound is split into terms. A term ``c * v^p`` (``c`` free of ``v``) has polynomial order ``p`` (times powers
of polynomials in ``log v``, which add a logarithmic factor ``log(v)^k`` to the order; a power of a polynomial in
``v`` of degree m, such as ``(v + 2)^p``, counts as ``v^(m p)``); a term ``c * exp(E)`` whose exponent ``E`` has
polynomial order ``q`` in ``0 < q < 1`` with a negative leading coefficient (confirmed by the same limit) has
stretched-exponential order ``exp(-c v^q)``; a term ``c * base^(k v)`` has geometric order ``base^k``; a term free
of ``v`` does not count (a bound ``a n^(-1/2) + b T^(-1/4)`` has order ``n^(-1/2)`` in n). The rate of the bound
is its slowest term: the largest ``p`` among polynomial terms, else the smallest ``q`` among stretched ones, else
the geometric term. A polynomial rate is then confirmed with sympy's ``limit``: ``(sum of the v-dependent terms) /
v^p`` must tend to a finite limit that is not 0 (its sign may rest on conditions that assumptions cannot state,
such as delta < 1).

>>> import sympy as sp
>>> n = sp.Symbol("n", positive=True)
>>> leading_rate(3 / sp.sqrt(n) + 1 / n, n).text
'n^(-1/2)'
>>> leading_rate(sp.exp(1 - 2 * sp.sqrt(n + 1)), n).text
'exp(-c*n^(1/2))'
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Rate", "RateError", "leading_rate"]


class RateError(ValueError):
    """The bound has a term whose order in the variable is neither polynomial nor geometric."""


@dataclass(frozen=True)
class Rate:
    """The order of a bound in ``var``: ``kind`` is ``"polynomial"`` (``var^exponent``), ``"stretched"``
    (``exp(-c var^exponent)``, some c > 0), ``"geometric"`` (``base^(exponent var)``) or ``"constant"`` (no term
    depends on ``var``)."""

    var: sp.Symbol
    kind: str
    exponent: sp.Expr | None = None
    base: sp.Expr | None = None
    base_name: str | None = None
    log_power: sp.Expr = sp.S.Zero

    @property
    def text(self) -> str:
        if self.kind == "polynomial":
            logs = "" if self.log_power == 0 else f"*log({self.var})^({self.log_power})"
            return f"{self.var}^({self.exponent}){logs}"
        if self.kind == "stretched":
            return f"exp(-c*{self.var}^({self.exponent}))"
        if self.kind == "geometric":
            base = self.base_name or f"({sp.sstr(self.base)})"
            power = f"{self.var}" if self.exponent == 1 else f"({sp.sstr(self.exponent * self.var)})"
            return f"{base}^{power}"
        return f"{self.var}^0"


def _log_degree(base: sp.Expr, var: sp.Symbol) -> sp.Expr | None:
    """The degree of ``base`` as a polynomial in ``log(var)`` (free of ``var`` otherwise), or None."""
    y = sp.Dummy("y")
    as_poly = base.subs(sp.log(var), y)
    if as_poly.has(var):
        return None
    try:
        return sp.Poly(as_poly, y).degree()
    except sp.PolynomialError:
        return None


def _polynomial_order(rest: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """``(p, k)`` when ``rest`` is ``var^p`` times powers of polynomials in ``log(var)`` of total degree ``k``."""
    p, k = sp.S.Zero, sp.S.Zero
    for base, exp in rest.as_powers_dict().items():
        if exp.has(var):
            return None
        if base == var:
            p += exp
            continue
        degree = _log_degree(base, var)
        if degree is not None:
            k += degree * exp
            continue
        if base.is_polynomial(var) and sp.degree(base, var) > 0:
            p += sp.degree(base, var) * exp  # (a v^m + ...)^e ~ a^e v^(m e); the caller's limit confirms it
            continue
        return None
    return p, k


def _stretched_order(rest: sp.Expr, var: sp.Symbol) -> sp.Expr | None:
    """``q`` when ``rest`` is ``exp(E)`` with ``E ~ -c var^q``, c > 0 and 0 < q < 1 (confirmed by a limit)."""
    if not isinstance(rest, sp.exp):
        return None
    exponent = rest.args[0]
    try:
        order = leading_rate(exponent, var)
    except RateError:
        return None
    if order.kind != "polynomial" or order.log_power != 0 or not (0 < order.exponent < 1):
        return None
    coefficient = sp.limit(exponent / var**order.exponent, var, sp.oo)
    return order.exponent if coefficient.is_negative else None


def _term_order(term: sp.Expr, var: sp.Symbol) -> tuple[str, sp.Expr, sp.Expr]:
    """``("polynomial", p, k)`` (``var^p log(var)^k``), ``("stretched", q, None)`` (``exp(-c var^q)``) or
    ``("geometric", k, base)`` for a term with ``var``."""
    _, rest = term.as_independent(var, as_Add=False)
    rest = sp.powdenest(sp.powsimp(sp.expand_power_base(rest, force=True), force=True), force=True)
    stretched = _stretched_order(rest, var)
    if stretched is not None:
        return "stretched", stretched, None
    if rest.is_Pow and not rest.base.has(var):
        k, linear = rest.exp.as_independent(var, as_Add=False)
        if linear == var:
            return "geometric", k, rest.base
    order = _polynomial_order(rest, var)
    if order is not None:
        return "polynomial", order[0], order[1]
    raise RateError(f"cannot read the order in {var} of the term {sp.sstr(term)}")


def leading_rate(bound: sp.Expr, var: sp.Symbol, names: dict[sp.Expr, str] | None = None) -> Rate:
    """The slowest-decaying order of ``bound`` in ``var`` (see the module docstring); ``names`` maps a geometric
    base to a display name such as ``rho``."""
    terms = [t for t in sp.Add.make_args(sp.expand(bound)) if t.has(var)]
    if not terms:
        return Rate(var, "constant")
    orders = [_term_order(t, var) for t in terms]
    polynomial = [(p, k) for kind, p, k in orders if kind == "polynomial"]
    if polynomial:
        exponent, logs = max(polynomial, key=lambda pk: (sp.N(pk[0]), sp.N(pk[1])))
        limit = sp.limit(sp.Add(*terms) / (var**exponent * sp.log(var) ** logs), var, sp.oo)
        if limit == 0 or limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or limit.is_finite is False:
            raise RateError(f"the order {var}^({exponent}) is not confirmed: the limit ratio is {sp.sstr(limit)}")
        return Rate(var, "polynomial", exponent=exponent, log_power=logs)
    stretched = [q for kind, q, _ in orders if kind == "stretched"]
    if stretched:
        return Rate(var, "stretched", exponent=min(stretched, key=sp.N))
    bases = {base for _, _, base in orders}
    if len(bases) != 1:
        raise RateError(f"several geometric bases in {var}: {', '.join(sp.sstr(b) for b in bases)}")
    base = bases.pop()
    slowest = min((k for _, k, _ in orders), key=lambda k: sp.N(k))
    return Rate(var, "geometric", exponent=slowest, base=base, base_name=(names or {}).get(base))
