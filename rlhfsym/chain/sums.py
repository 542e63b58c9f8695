"""Finite sums of symbolic length: a normal form, and the sign of a sum.

A sum is a sympy ``Sum(f, (i, lo, hi), ...)`` over integer indices whose summand may use indexed quantities (``p[i]``
of an ``IndexedBase``, with their own assumptions). The engine reasons about sums with identities and signs of
*finite* sums that hold for every length, the empty sum included:

* **linearity** -- ``sum_i (f_i + g_i) = sum_i f_i + sum_i g_i`` and ``sum_i c f_i = c sum_i f_i`` for ``c`` free of
  ``i``;
* **products and Fubini** -- ``(sum_i f_i)(sum_j g_j) = sum_{i,j} f_i g_j`` and nested sums may be taken in any
  order, when no limit depends on another sum's index (otherwise the sum is left alone, as an opaque atom);
* **renaming** -- indices are bound variables: ``sum_i f(i) = sum_j f(j)``;
* **signs** -- a sum of terms >= 0 over a range (every ``hi >= lo - 1``: sympy's sums follow Karr's convention, in
  which a reversed range counts negatively) is >= 0; a sum of terms > 0 over a nonempty range (every
  ``hi >= lo``) is > 0.

:func:`canonical` rewrites an expression so that two expressions equal by these identities get the same form: every
sum becomes a combination of *canonical* sums; a canonical sum is a product of indexed factors summed over a set of
indices that the factors connect (a sum over unconnected indices is the product of the sums over each connected
group), with its indices named canonically. :func:`generators` then replaces each canonical sum by an independent
symbol, declared positive or nonnegative when its summand is: an identity or a sign of a rational function of
independent generators holds whatever values they take, so readings of the generated form are sound.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from functools import lru_cache

import sympy as sp

__all__ = ["canonical", "generators", "has_sums", "slacks_under_sums", "sum_indices"]

#: Permutations tried to name the indices of one canonical sum (a group of more indices over one range is named in a
#: fixed order: the form is then not canonical, which loses completeness, never soundness).
_MAX_PERMUTED = 4


def has_sums(expr: sp.Basic) -> bool:
    return bool(expr.atoms(sp.Sum))


def sum_indices(s: sp.Sum) -> list[tuple[sp.Symbol, sp.Expr, sp.Expr]] | None:
    """The limits ``(index, lo, hi)`` of a sum the engine reasons about (integer indices, integer limits free of every
    index of the sum), or None."""
    limits = []
    for limit in s.limits:
        if len(limit) != 3 or not isinstance(limit[0], sp.Symbol):
            return None
        limits.append(tuple(limit))
    indices = {idx for idx, _, _ in limits}
    for _, lo, hi in limits:
        if lo.is_integer is not True or hi.is_integer is not True or (lo.free_symbols | hi.free_symbols) & indices:
            return None
    return limits


@lru_cache(maxsize=256)
def _name(position: int) -> sp.Dummy:
    return sp.Dummy(f"c{position}", integer=True)


class _Multi:
    """A sum over ``limits`` of the product of ``factors`` (each depending on some of the indices)."""

    def __init__(self, limits: list[tuple[sp.Symbol, sp.Expr, sp.Expr]], factors: list[sp.Expr]) -> None:
        self.limits = limits
        self.factors = factors


def _fresh(limits, factors):
    """The same sum with its indices renamed apart (fresh dummies)."""
    mapping = {idx: sp.Dummy(idx.name, integer=True) for idx, _, _ in limits}
    return ([(mapping[i], lo, hi) for i, lo, hi in limits], [f.xreplace(mapping) for f in factors])


def _as_multi(s: sp.Expr) -> _Multi | None:
    """A canonical sum as limits and factors (renamed apart), or None if ``s`` is not one."""
    if not isinstance(s, sp.Sum):
        return None
    limits = sum_indices(s)
    if limits is None:
        return None
    fresh_limits, factors = _fresh(limits, list(sp.Mul.make_args(s.function)))
    return _Multi(fresh_limits, factors)


def _components(limits, factors) -> list[tuple[list, list]]:
    """Group indices connected by sharing a factor; each group with its factors (index-free factors excluded)."""
    index_set = [idx for idx, _, _ in limits]
    parent = {idx: idx for idx in index_set}

    def find(i):
        while parent[i] is not i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    uses = []
    for f in factors:
        used = [idx for idx in index_set if idx in f.free_symbols]
        uses.append(used)
        for other in used[1:]:
            parent[find(other)] = find(used[0])
    groups: dict[sp.Symbol, tuple[list, list]] = {}
    for limit in limits:
        groups.setdefault(find(limit[0]), ([], []))[0].append(limit)
    for f, used in zip(factors, uses, strict=True):
        if used:
            groups[find(used[0])][1].append(f)
    return list(groups.values())


def _named(limits, factors) -> sp.Expr:
    """The canonical sum of ``factors`` over ``limits``: indices named ``c0, c1, ...`` in the order (among those of
    equal range, every order is tried up to a few indices) that gives the smallest printed form."""
    ranges = sorted({(sp.default_sort_key(lo), sp.default_sort_key(hi)): (lo, hi) for _, lo, hi in limits}.items())
    groups = [[idx for idx, lo, hi in limits if (lo, hi) == pair] for _, pair in ranges]
    orders = [itertools.permutations(g) if len(g) <= _MAX_PERMUTED else [tuple(sorted(g, key=str))] for g in groups]
    bounds = {idx: (lo, hi) for idx, lo, hi in limits}
    body = sp.Mul(*factors)
    best, best_key = None, None
    for choice in itertools.product(*orders):
        order = [idx for group in choice for idx in group]
        mapping = {idx: _name(k) for k, idx in enumerate(order)}
        candidate = sp.Sum(body.xreplace(mapping), *[(mapping[idx], *bounds[idx]) for idx in order])
        key = sp.srepr(candidate)
        if best_key is None or key < best_key:
            best, best_key = candidate, key
    return best


def _term(coefficient_factors: list, limits, factors) -> sp.Expr:
    """``coefficient * sum_{limits} prod(factors)``, flattening canonical sums among the factors."""
    flat_limits, flat_factors = list(limits), []
    for f in factors:
        inner = _as_multi(f)
        if inner is not None:
            flat_limits += inner.limits
            flat_factors += inner.factors
        else:
            flat_factors.append(f)
    out = sp.Mul(*coefficient_factors)
    for group_limits, group_factors in _components(flat_limits, flat_factors):
        out *= _named(group_limits, group_factors) if group_factors else _named(group_limits, [sp.S.One])
    return out


def _expand_powers_of_sums(factor: sp.Expr) -> list[sp.Expr]:
    """A positive integer power of a canonical sum as that many factors (each renamed apart by flattening)."""
    if isinstance(factor, sp.Pow) and isinstance(factor.base, sp.Sum) and factor.exp.is_Integer and factor.exp > 0:
        return [factor.base] * int(factor.exp)
    return [factor]


def _canonical_sum(s: sp.Sum) -> sp.Expr:
    limits = sum_indices(s)
    if limits is None:
        return s
    indices = {idx for idx, _, _ in limits}
    summand = sp.expand(sp.expand_log(s.function))
    total = sp.S.Zero
    for term in sp.Add.make_args(summand):
        coefficient, dependent = [], []
        for factor in sp.Mul.make_args(term):
            for piece in _expand_powers_of_sums(factor):
                (dependent if piece.free_symbols & indices else coefficient).append(piece)
        total += _term(coefficient, limits, dependent)
    return total


def _products(expr: sp.Expr) -> sp.Expr:
    """Products of canonical sums outside any sum, merged into one canonical sum per connected group (so that
    ``(sum f)(sum g)`` and ``sum_{i,j} f_i g_j`` agree)."""
    expanded = sp.expand(expr)
    total = sp.S.Zero
    for term in sp.Add.make_args(expanded):
        coefficient, sums = [], []
        for factor in sp.Mul.make_args(term):
            for piece in _expand_powers_of_sums(factor):
                (sums if _as_multi(piece) is not None else coefficient).append(piece)
        total += _term(coefficient, [], sums) if sums else term
    return total


def canonical(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every sum rewritten by linearity, products, Fubini and renaming (module docstring); equal to
    ``expr`` wherever both are defined."""
    if not has_sums(expr):
        return expr
    inner = expr.replace(lambda e: isinstance(e, sp.Sum), _canonical_sum)
    return _products(inner)


def _sign(s: sp.Sum) -> dict[str, bool]:
    """The assumptions a generator of the canonical sum ``s`` may carry (read from its summand)."""
    from .decide import is_nonneg, is_pos

    limits = sum_indices(s)
    if limits is None:
        return {}
    ranges = all(is_nonneg(hi - lo + 1) for _, lo, hi in limits)  # not reversed (Karr's convention)
    nonempty = all(is_nonneg(hi - lo) for _, lo, hi in limits)
    if nonempty and is_pos(s.function):
        return {"positive": True}
    if ranges and is_nonneg(s.function):
        return {"nonnegative": True}
    if s.function.is_real is True:
        return {"real": True}
    return {}


def generators(expr: sp.Expr) -> sp.Expr:
    """``expr`` (canonical) with each outermost sum replaced by an independent symbol carrying the sign of its
    summand; the same sum gets the same symbol."""
    sums = sorted(expr.atoms(sp.Sum), key=sp.default_sort_key)
    if not sums:
        return expr
    mapping = {s: sp.Dummy("Sum", **_sign(s)) for s in sums}
    return expr.xreplace(mapping)


def slacks_under_sums(witness: sp.Expr, slacks: Iterable[sp.Symbol]) -> list[tuple[sp.Symbol, sp.Symbol]]:
    """Pairs ``(slack, index)``: a slack used inside the summand of a sum over ``index``."""
    wanted = set(slacks)
    found = []
    for s in witness.atoms(sp.Sum):
        for limit in s.limits:
            for slack in s.function.free_symbols & wanted:
                found.append((slack, limit[0]))
    return found
