"""Box verification by branch and bound: prove ``f <= g`` at every admissible point of a box, or refute it at a
certified admissible exact point.

Write ``h = g - f`` and ``X`` for a box (a product of closed intervals with exact rational ends). Each decision
below states the argument that makes it sound; the code checks every premise, and a box whose premises cannot be
established is bisected or left open (``undecided``), never proved.

**Proved: enclosure.** If an enclosure of ``h`` over ``X`` (every point's value lies in it) is >= 0, then
``h >= 0`` on ``X``. Enclosures of several forms of ``h`` that are identities wherever the form as written is
defined (``factor_terms``, ``together``, ``factor``) are intersected; the form as written must be defined on ``X``.

**Reduced: monotonicity.** If ``h`` is continuous on ``X`` and ``dh/dx_i`` has one sign on ``X``, then by the mean
value theorem on each segment parallel to axis ``i`` the minimum of ``h`` over ``X`` is attained on the face
``x_i = lo_i`` (derivative >= 0) or ``x_i = hi_i`` (<= 0); ``X`` is replaced by that face. Premises: the enclosure
of ``h`` on ``X`` exists (every operation inside its domain, so ``h`` is continuous), and the derivative comes from
the operation table's rules (:mod:`rlhfsym.interval._ops`), whose formulas are defined only where the operations
are differentiable. The sign is read off (a) an enclosure of the derivative, (b) its mean value form
``dh/dx_i(c) + sum_j H_ij(X) (X_j - c_j)`` (``H`` the Hessian enclosed on ``X``), or (c) on a box with a face on
the starting box's boundary or on a kink, after :data:`_SUB_DEPTH` bisections, a *nested search* proving
``dh/dx_i >= 0`` (or ``<= 0``) on ``X`` by these same rules (at most :data:`_SUB_LEVELS` levels, a budget of boxes
per search and per call; a nested search only proves, never refutes).

**Proved: mean value form.** ``h(x) = h(c) + grad h(xi) . (x - c)`` for some ``xi`` in ``X`` (``X`` convex), so
``h >= h(c) - sum_i |dh/dx_i(X)| r_i`` with ``c`` the centre and ``r_i`` the half widths; proved if that is >= 0.

**Proved: second-order form.** If the Hessian is enclosed on ``X`` (``h`` is C^2 there), Taylor's formula with the
Lagrange remainder gives ``h(x) = h(c) + g(c).t + t^T H(xi) t / 2`` (``t = x - c``), hence
``h >= h(c) - sum |g_i(c)| r_i + sum_i min(0, H_ii) r_i^2 / 2 - sum_{i<j} |H_ij| r_i r_j``. If every matrix in the
Hessian's enclosure is positive semidefinite (certified by Gershgorin's theorem: ``H_ii >= sum_{j != i} |H_ij|``
for the non-degenerate coordinates; on the reference path when a ball loses an exact 0), the remainder is >= 0, so
``h(x) >= h(c) + g(c).(x - c)`` for *any* point ``c`` of ``X``. Candidate critical points ``c*`` -- corners of
``X`` where the gradient's ball contains 0, and the rational nearest the limit of Newton's method (a heuristic) --
are put to the exact test: if sympy's exact arithmetic gives ``grad h(c*) = 0`` and ``h(c*) >= 0`` (exactly, or by
an enclosure), then ``h(x) >= h(c*) >= 0`` on ``X``. This proves inequalities tight at a rational point
(``exp(x) >= 1 + x``, ``cos(x) >= 1 - x^2/2``).

**Case split: Abs, Max, Min.** These have no derivative. On a box where a branch is selected -- ``u >= 0`` for
``Abs(u) = u``, ``a_i - a_j >= 0`` for all ``j`` for ``Max(a) = a_i`` -- ``h`` *equals* the expression with that
branch on the whole box, and the rules above apply to it. A condition is decided exactly at the box's corners when
it is affine (after the inner selections are substituted), else by its enclosure or, on deep boxes, a nested
search. A box on which an affine kink in one variable changes sign is split exactly at the kink.

**Refuted: certified admissible point.** A counterexample is an exact rational point ``p`` of the starting box at
which every symbol's assumptions hold (:func:`~rlhfsym.interval._values.admissible`: integer, odd, prime, nonzero,
... decided by sympy on the exact value; integer symbols try nearby integers, others nearby shifted points) and at
which the mpmath reference path gives an enclosure of ``f - g`` entirely > 0. Only then is ``refuted`` answered.

**Undecided.** Budget spent (``max_boxes`` boxes, or the ``max_seconds`` deadline), or boxes narrower than the
precision resolves. Widths are exact: a box's refinement is tracked by an integer depth per coordinate, and a
coordinate is a point only when ``lo == hi`` exactly (a real interval is never treated as a point).

Integer and other restricted symbols are searched over real intervals (a proof over the reals covers their
admissible values); their assumptions are dropped (a real symbol with the same sign stands in), so that rewritings
of ``h`` made for the search stay identities on the whole real box.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, fmpq

from ._arb import BallError, Kernel, compile_kernel, flint_precision
from ._enclosure import Enclosure, IntervalArgumentError, IntervalError
from ._evaluate import sorted_symbols
from ._ops import as_expression, check_whitelist, derivative, operation_of
from ._reference import reference_enclosure, reference_enclosures
from ._util import resource_errors_as_interval_errors
from ._values import admissible, current_precision, resolve_ranges

__all__ = ["PROVED", "REFUTED", "UNDECIDED", "BoxResult", "prove_le"]

PROVED, REFUTED, UNDECIDED = "proved", "refuted", "undecided"

# Box coordinates are flint rationals (fmpq: exact, ten times faster than Fraction); a box is (lo, hi).
Point = tuple[fmpq, ...]
Box = tuple[Point, Point]
_RESOURCE_ERRORS = (MemoryError, RecursionError, OverflowError)


def _q(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def _frac(x: fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _rational(x: fmpq) -> sp.Rational:
    return sp.Rational(int(x.p), int(x.q))


def _ball(lo: fmpq, hi: fmpq) -> arb:
    """A ball containing ``[lo, hi]``, with no negative point when ``lo >= 0``."""
    a = arb(lo)
    if lo == hi:
        return a
    b = a.union(arb(hi))
    if not b >= 0 and lo >= 0:
        b = b.nonnegative_part()
    return b


@dataclass(frozen=True)
class BoxResult:
    """The outcome of :func:`prove_le`.

    ``status`` is ``"proved"`` (``f <= g`` at every admissible point of the box), ``"refuted"``
    (``counterexample`` is an exact admissible point of the box and ``violation`` an enclosure of ``f - g`` there,
    entirely > 0) or ``"undecided"`` (budget or deadline spent, or precision exhausted; ``undecided_box`` is the
    smallest box left open, ``undecided_count`` how many were left, ``detail`` the reason).
    """

    status: str
    boxes: int
    seconds: float
    counterexample: Mapping[sp.Symbol, Fraction] | None = None
    violation: Enclosure | None = None
    undecided_box: Mapping[sp.Symbol, tuple[Fraction, Fraction]] | None = None
    undecided_count: int = 0
    detail: str = field(default="", compare=False)

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    @property
    def refuted(self) -> bool:
        return self.status == REFUTED


class _DeadlineError(Exception):
    """The ``max_seconds`` deadline passed (raised between steps, caught by :func:`prove_le`)."""


# ---- rewritings -----------------------------------------------------------------------------------------------

_REWRITE_LIMIT = 300
_FACTOR_LIMIT = 120


def _forms(expr: sp.Expr) -> tuple[sp.Expr, ...]:
    """``expr`` and its distinct whitelisted rewritings by ``factor_terms`` and ``together`` (identities), and by
    ``factor`` for a small rational function. ``bcd exp(-t) - bcd/(1+t)**2`` also becomes
    ``bcd (exp(-t) - 1/(1+t)**2)``, ``bcd - bcd/(t+1)`` becomes ``a b**2 c**2 d**2/(t+1)``: enclosures of such forms
    are much tighter when terms nearly cancel."""
    forms = [expr]
    symbols = sorted_symbols(expr)
    if not symbols:  # a constant gains nothing (factor would factor integers)
        return (expr,)
    ops = sp.count_ops(expr)
    if ops > _REWRITE_LIMIT:
        return (expr,)
    rewrites = [sp.factor_terms, sp.together]
    if ops <= _FACTOR_LIMIT and expr.is_rational_function(*symbols):
        rewrites.append(lambda e: sp.factor(sp.together(e)))  # polynomial factoring, kept to rational functions
    for rewrite in rewrites:
        try:
            form = rewrite(expr)
            check_whitelist(form)
        except (IntervalError, sp.PolynomialError, NotImplementedError, TypeError, ValueError):
            continue
        if form not in forms:
            forms.append(form)
    return tuple(forms)


def _meet(balls: Sequence[arb]) -> arb:
    """The intersection of balls that all contain the same number."""
    out = balls[0]
    for b in balls[1:]:
        out = out.intersection(b)
    return out


def _meet_enclosures(encs: Sequence[Enclosure | None]) -> Enclosure | None:
    """The intersection of the enclosures of equivalent forms; None unless the first (the form as written) exists."""
    if not encs or encs[0] is None:
        return None
    known = [e for e in encs if e is not None]
    return Enclosure(max(e.lower for e in known), min(e.upper for e in known))


# ---- one smooth piece of h -----------------------------------------------------------------------------------


class _Piece:
    """``h`` on the boxes where one branch of every Abs/Max/Min is selected (or ``h`` itself): its value forms, and
    (compiled on first use) its gradient and Hessian by the table's derivative rules."""

    def __init__(self, h: sp.Expr, symbols: tuple[sp.Symbol, ...], prec: int, smooth: bool) -> None:
        self.h = h
        self.symbols = symbols
        self.prec = prec
        self.smooth = smooth
        self.forms = _forms(h)
        self.value_kernel: Kernel = compile_kernel(self.forms, symbols, prec, "interval")
        self.plain_kernel: Kernel = compile_kernel((h,), symbols, prec, "interval")
        self._gradient: tuple | None = None
        self._hessian: tuple | None = None

    def value(self, balls: Sequence[arb]) -> arb | None:
        """An enclosure of ``h`` on the box (the meet of its forms), or None if ``h`` as written is not enclosed."""
        try:
            return _meet(self.value_kernel(*balls))
        except BallError:
            pass
        try:
            return self.plain_kernel(*balls)[0]
        except BallError:
            return None

    def gradient_parts(self) -> tuple | None:
        """``(grad exprs, grad forms, box kernel, point kernel)``, or None when ``h`` has no derivative."""
        if self._gradient is None:
            if not self.smooth:
                self._gradient = ()
            else:
                try:
                    memo: dict = {}
                    grads = tuple(derivative(self.h, s, memo) for s in self.symbols)
                    forms = tuple(_forms(e) for e in grads)
                    box = compile_kernel(tuple(e for fs in forms for e in fs), self.symbols, self.prec, "interval")
                    point = compile_kernel(grads, self.symbols, self.prec, "ball")
                    self._gradient = (grads, forms, box, point)
                except IntervalError:
                    self._gradient = ()
        return self._gradient or None

    def gradient(self, balls: Sequence[arb]) -> list[arb] | None:
        parts = self.gradient_parts()
        if parts is None:
            return None
        try:
            out = parts[2](*balls)
        except BallError:
            return None
        grads, k = [], 0
        for forms in parts[1]:
            grads.append(_meet(out[k : k + len(forms)]))
            k += len(forms)
        return grads

    def gradient_at(self, point: Sequence[fmpq]) -> tuple[arb, ...] | None:
        parts = self.gradient_parts()
        if parts is None:
            return None
        try:
            return parts[3](*[arb(x) for x in point])
        except BallError:
            return None

    def hessian_parts(self) -> tuple | None:
        """``(entries, box kernel in ball mode, point kernel, box kernel in interval mode)`` with the entries
        ``d2h/dx_i dx_j`` for ``i <= j``, or None. The interval-mode kernel is compiled on first use."""
        if self._hessian is None:
            parts = self.gradient_parts()
            if parts is None:
                self._hessian = ()
            else:
                try:
                    n, memo = len(self.symbols), {}
                    entries = tuple(derivative(parts[0][i], self.symbols[j], memo) for i in range(n)
                                    for j in range(i, n))
                    box = compile_kernel(entries, self.symbols, self.prec, "ball")
                    self._hessian = (entries, box, box, None)
                except IntervalError:
                    self._hessian = ()
        return self._hessian or None

    def hessian(self, kernel_index: int, balls: Sequence[arb]) -> list[list[arb]] | None:
        """The symmetric matrix of Hessian enclosures on the box (``kernel_index`` 1: ball mode, 3: interval mode,
        tight where an entry touches 0) or at a point (2)."""
        parts = self.hessian_parts()
        if parts is None:
            return None
        if kernel_index == 3 and parts[3] is None:
            parts = (*parts[:3], compile_kernel(parts[0], self.symbols, self.prec, "interval"))
            self._hessian = parts
        try:
            flat = parts[kernel_index](*balls)
        except BallError:
            return None
        n = len(self.symbols)
        matrix: list[list[arb]] = [[arb(0)] * n for _ in range(n)]
        k = 0
        for i in range(n):
            for j in range(i, n):
                matrix[i][j] = matrix[j][i] = flat[k]
                k += 1
        return matrix


# ---- exact affine conditions --------------------------------------------------------------------------------


def _affine(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> tuple[Fraction, list[Fraction]] | None:
    """``(b, [a_i])`` with ``expr == b + sum a_i x_i`` exactly (rational coefficients), or None."""
    try:
        poly = sp.Poly(expr, *symbols)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return None
    if poly.total_degree() > 1 or not all(isinstance(c, sp.Rational) for c in poly.coeffs()):
        return None
    b = Fraction(0)
    a = [Fraction(0)] * len(symbols)
    for monom, coeff in poly.terms():
        c = Fraction(int(coeff.p), int(coeff.q))
        if sum(monom) == 0:
            b = c
        else:
            a[monom.index(1)] = c
    return b, a


class _Condition:
    """A condition ``u >= 0`` of a branch: decided exactly at the corners when ``u`` is affine, else by the
    enclosure of ``u`` (index ``slot`` of the condition kernel's outputs)."""

    def __init__(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...], slot: int) -> None:
        self.expr = expr
        self.slot = slot
        self.affine = _affine(expr, symbols)

    def minimum(self, lo: Point, hi: Point) -> Fraction | None:
        """The exact minimum of an affine ``u`` over the box."""
        if self.affine is None:
            return None
        b, a = self.affine
        return b + sum((ai * _frac(lo[i]) if ai >= 0 else ai * _frac(hi[i])) for i, ai in enumerate(a) if ai)

    def kink(self, lo: Point, hi: Point) -> tuple[int, fmpq] | None:
        """For ``u = a x_k + b`` in one coordinate: ``(k, -b/a)`` when that root lies strictly inside the box."""
        if self.affine is None:
            return None
        b, a = self.affine
        used = [i for i, ai in enumerate(a) if ai]
        if len(used) != 1:
            return None
        k = used[0]
        root = _q(-b / a[k])
        return (k, root) if lo[k] < root < hi[k] else None


# ---- the search -----------------------------------------------------------------------------------------------


def _proof_symbols(symbols: tuple[sp.Symbol, ...]) -> dict[sp.Symbol, sp.Symbol]:
    """A stand-in real symbol, with only the declared sign, for each symbol with other assumptions (integer, odd,
    nonzero, ...): the search runs on real boxes, where those assumptions do not hold."""
    names = {s.name for s in symbols}
    out: dict[sp.Symbol, sp.Symbol] = {}
    for s in symbols:
        signs = {k: True for k in ("positive", "negative", "nonnegative", "nonpositive") if s.assumptions0.get(k)}
        proxy = sp.Symbol(s.name, real=True, **signs)
        if all(proxy.assumptions0.get(key) == value for key, value in s.assumptions0.items()):
            continue
        name = s.name + "_real"
        while name in names:
            name += "_"
        names.add(name)
        out[s] = sp.Symbol(name, real=True, **signs)
    return out


class _Search:
    """The state of one branch and bound on ``h >= 0`` over a starting box (``h`` in the proof symbols). The root
    search refutes at admissible points of the user's symbols; nested searches (``level > 0``, started by
    :meth:`subprove` to establish a sign on a box) only prove."""

    def __init__(
        self,
        h: sp.Expr,
        proof_symbols: tuple[sp.Symbol, ...],
        start: Box,
        prec: int,
        derivatives: bool,
        deadline: float | None,
        *,
        user_symbols: tuple[sp.Symbol, ...] | None = None,
        violation: sp.Expr | None = None,
        level: int = 0,
        root: _Search | None = None,
    ) -> None:
        self.proof_symbols = proof_symbols
        self.symbols = proof_symbols if user_symbols is None else user_symbols
        self.violation_expr = violation  # f - g in the user's symbols: evaluated only at admissible points
        self.level = level
        self.sub_depth = _SUB_DEPTH if level == 0 else 0  # a nested search is already deep
        self.root = self if root is None else root
        self.running = False
        if root is None:
            self.sub_searches: dict[tuple[sp.Expr, int], _Search] = {}
            self.sub_boxes = self.sub_cap = 0
        self.start = list(zip(*start, strict=True))
        # Where inequalities tend to be tight: the ends of the starting box and the kinks cut so far.
        self.faces: list[set[fmpq]] = [{a, b} for a, b in self.start]
        self.integer = [bool(s.is_integer) for s in self.symbols]
        self.prec = prec
        self.deadline = deadline
        self.derivatives = derivatives
        self.max_depth = max(prec - 8, 8)
        self.resolution = fmpq(2**self.max_depth)
        self.h_expr = h
        self.h_point: Kernel = compile_kernel((h,), self.proof_symbols, prec, "ball")
        self.failures = 0
        self.exact_checks = 0
        self.newton_runs = 0
        self.shallow_offers = self.shallow_tries = self.shallow_wins = 0
        self.tried: set[Point] = set()
        self._admissible: dict[tuple[int, fmpq], bool] = {}
        # Abs / Max / Min nodes, innermost first, with the conditions (slots of the condition kernel) of their
        # branches.
        nodes = [n for n in sp.postorder_traversal(h) if not isinstance(n, sp.Symbol) and operation_of(n).pieces]
        self.nonsmooth: list[sp.Basic] = list(dict.fromkeys(nodes))
        self.branches: list[list[tuple[list[int], sp.Expr]]] = []
        conditions: list[sp.Expr] = []
        for node in self.nonsmooth:
            options = []
            for conds, branch in operation_of(node).pieces(node):
                options.append((list(range(len(conditions), len(conditions) + len(conds))), branch))
                conditions.extend(conds)
            self.branches.append(options)
        self.conditions = conditions
        self._condition_cache: dict[tuple[int, tuple[int, ...]], _Condition] = {}
        self._replacements: dict[tuple[int, ...], dict[sp.Basic, sp.Expr]] = {(): {}}
        self.condition_kernel: Kernel | None = None
        if conditions:
            self.condition_kernel = compile_kernel(tuple(conditions), self.proof_symbols, prec, "interval")
        self.base = _Piece(h, self.proof_symbols, prec, smooth=derivatives and not self.nonsmooth)
        self.pieces: dict[tuple[int, ...], _Piece] = {(): self.base} if not self.nonsmooth else {}

    # -- budget ---------------------------------------------------------------------------------------------------

    def check_deadline(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise _DeadlineError

    def subprove(self, expr: sp.Expr, lo: Point, hi: Point) -> bool:
        """Is ``expr >= 0`` at every point of the box ``[lo, hi]``, by a nested search (the same rules, a budget of
        :data:`_SUB_BOXES` boxes, at most :data:`_SUB_LEVELS` levels deep, :data:`_SUB_CALL` nested boxes for a
        search started from the root and all its own nested searches, :data:`_SUB_TOTAL` per call of
        :func:`prove_le`)? Only a proof counts: a nested search never refutes (and an exhausted budget is not a
        proof: the nested search must close every box)."""
        root = self.root
        if self.level >= _SUB_LEVELS or root.sub_boxes >= _SUB_TOTAL:
            return False
        if self.level == 0:  # the nested boxes this call may spend, at every level below it together
            root.sub_cap = min(root.sub_boxes + _SUB_CALL, _SUB_TOTAL)
        elif root.sub_boxes >= root.sub_cap:
            return False
        key = (expr, self.level + 1)
        sub = root.sub_searches.get(key)
        if sub is None:
            try:
                check_whitelist(expr)
                sub = _Search(expr, self.proof_symbols, (lo, hi), self.prec, self.derivatives, self.deadline,
                              level=self.level + 1, root=root)
            except IntervalError:
                return False
            root.sub_searches[key] = sub
        if sub.running:  # never re-entered (d/dx exp(x) is exp(x))
            return False
        sub.start = list(zip(lo, hi, strict=True))
        sub.faces = [{a, b} for a, b in sub.start]
        sub.running = True
        try:
            status, _, _ = _branch_and_bound(sub, (lo, hi), _SUB_BOXES)
        finally:
            sub.running = False
        return status == PROVED

    # -- branches of Abs / Max / Min ------------------------------------------------------------------------------

    def _replacement(self, prefix: tuple[int, ...]) -> dict[sp.Basic, sp.Expr]:
        """Each of the first ``len(prefix)`` non-smooth nodes replaced by its selected branch (-1: kept), inner
        replacements applied inside outer branches."""
        known = self._replacements.get(prefix)
        if known is None:
            known = dict(self._replacement(prefix[:-1]))
            index = prefix[-1]
            if index >= 0:
                node = self.nonsmooth[len(prefix) - 1]
                known[node] = self.branches[len(prefix) - 1][index][1].xreplace(known)
            self._replacements[prefix] = known
        return known

    def _condition(self, slot: int, prefix: tuple[int, ...]) -> _Condition:
        """Condition ``slot`` with the inner selections ``prefix`` substituted (equal to it on the box, and exactly
        decidable when the substitution makes it affine)."""
        key = (slot, prefix)
        cond = self._condition_cache.get(key)
        if cond is None:
            expr = self.conditions[slot].xreplace(self._replacement(prefix))
            cond = _Condition(expr, self.proof_symbols, slot)
            self._condition_cache[key] = cond
        return cond

    def _selection(
        self, lo: Point, hi: Point, balls: Sequence[arb], depths: tuple[int, ...]
    ) -> tuple[tuple[int, ...], list]:
        """The branch selected on the box for every non-smooth node (-1 where none is), and the conditions left
        open."""
        if not self.nonsmooth:
            return (), []
        values = None
        if self.condition_kernel is not None:
            try:
                values = self.condition_kernel(*balls)
            except BallError:
                values = None
        chosen: list[int] = []
        open_conditions: list[_Condition] = []
        for options in self.branches:
            prefix = tuple(chosen)
            pick = -1
            for index, (slots, _) in enumerate(options):
                if all(self._holds(self._condition(slot, prefix), lo, hi, values) for slot in slots):
                    pick = index
                    break
            if pick < 0 and max(depths) >= self.sub_depth:
                for index, (slots, _) in enumerate(options):  # a branch that may hold: try to prove it does
                    conds = [self._condition(slot, prefix) for slot in slots]
                    if all(self._possible(c, values) for c in conds) and all(
                        self._holds(c, lo, hi, values) or self.subprove(c.expr, lo, hi) for c in conds
                    ):
                        pick = index
                        break
            if pick < 0:
                open_conditions.extend(self._condition(slot, prefix) for slots, _ in options for slot in slots)
            chosen.append(pick)
        return tuple(chosen), open_conditions

    @staticmethod
    def _holds(c: _Condition, lo: Point, hi: Point, values: Sequence[arb] | None) -> bool:
        """Is ``u >= 0`` on the whole box? Exact for affine ``u``, else by the enclosure of ``u`` as written."""
        m = c.minimum(lo, hi)
        if m is not None:
            return m >= 0
        return values is not None and bool(values[c.slot] >= 0)

    @staticmethod
    def _possible(c: _Condition, values: Sequence[arb] | None) -> bool:
        """May ``u >= 0`` hold on the whole box (its enclosure is not entirely < 0, and ``u`` is not affine: an
        affine condition is decided exactly)?"""
        if c.affine is not None:
            return False
        return values is not None and values[c.slot].is_finite() and not bool(values[c.slot] < 0)

    def piece(self, selection: tuple[int, ...]) -> _Piece:
        """``h`` with each non-smooth node replaced by its selected branch (innermost first; -1: kept), compiled
        once. On the boxes where the selection holds it equals ``h`` at every point; it is smooth when no node is
        kept (a kept node has no derivative rule, so its gradient is refused)."""
        piece = self.pieces.get(selection)
        if piece is None:
            smooth_h = self.h_expr.xreplace(self._replacement(selection))
            piece = _Piece(smooth_h, self.proof_symbols, self.prec, smooth=self.derivatives)
            self.pieces[selection] = piece
        return piece

    # -- points ---------------------------------------------------------------------------------------------------

    def _at_point(self, point: Point) -> arb | None:
        try:
            return self.h_point(*[arb(x) for x in point])[0]
        except BallError:
            return None

    def _is_admissible(self, i: int, value: fmpq) -> bool:
        key = (i, value)
        known = self._admissible.get(key)
        if known is None:
            known = admissible(self.symbols[i], _frac(value))
            self._admissible[key] = known
        return known

    def _admissible_points(self, point: Point) -> list[Point]:
        """Admissible points at or near ``point`` inside the starting box: the point itself; for integer symbols
        the integers ``floor``, ``ceil``, ``floor - 1``, ``ceil + 1``, ``floor - 2``, ``ceil + 2``; for other
        symbols whose value is not admissible (``nonzero`` at 0), points shifted by ``2**-8``, ``2**-20`` and
        ``2**-40`` of the box's width."""
        choices: list[list[fmpq]] = []
        for i, x in enumerate(point):
            a, b = self.start[i]
            options = [x]
            if self.integer[i]:
                fl, ce = fmpq(x.floor()), fmpq(x.ceil())
                options = [fl, ce, fl - 1, ce + 1, fl - 2, ce + 2]
            elif not self._is_admissible(i, x):
                options = [x + sign * (b - a) / 2**e for e in (8, 20, 40) for sign in (1, -1)]
            ok = list(dict.fromkeys(v for v in options if a <= v <= b and self._is_admissible(i, v)))
            if not ok:
                return []
            choices.append(ok)
        return list(itertools.islice(itertools.product(*choices), 16))

    def certify(self, point: Point) -> tuple[Point, Enclosure] | None:
        """An admissible point near ``point`` and an enclosure of ``f - g`` there that is entirely > 0, computed on
        the reference path at rising precision; None if there is none (always, in a nested search)."""
        if self.violation_expr is None:
            return None
        for candidate in self._admissible_points(point):
            ranges = [(_frac(x), _frac(x)) for x in candidate]
            for bits in (self.prec, 4 * self.prec, 16 * self.prec):
                self.check_deadline()
                try:
                    enc = reference_enclosure(self.violation_expr, self.symbols, ranges, bits)
                except (IntervalError, *_RESOURCE_ERRORS):
                    continue
                if enc.lower > 0:
                    return candidate, enc
        return None

    def _exact_value(self, expr: sp.Expr, point: Sequence[fmpq]) -> sp.Rational | None:
        """``expr`` at the rational point by sympy's exact evaluation (rational arithmetic and exact special
        values such as ``exp(0) = 1``), if it evaluates to a rational; None otherwise (at most 64 such checks)."""
        if self.exact_checks >= 64:
            return None
        self.exact_checks += 1
        try:
            value = expr.xreplace({s: _rational(x) for s, x in zip(self.proof_symbols, point, strict=True)})
        except (ZeroDivisionError, *_RESOURCE_ERRORS):
            return None
        return value if isinstance(value, sp.Rational) else None

    def _decide_point(self, point: Point) -> tuple[str, tuple[Point, Enclosure] | None]:
        """A box reduced to a point: decide ``h(point) >= 0`` exactly if sympy evaluates it to a rational, else at
        rising precision on the reference path."""
        exact = self._exact_value(self.h_expr, point)
        if exact is not None:
            if exact >= 0:
                return PROVED, None
            found = self.certify(point)
            return (REFUTED, found) if found is not None else (UNDECIDED, None)
        ranges = [(_frac(x), _frac(x)) for x in point]
        for bits in (4 * self.prec, 16 * self.prec):
            self.check_deadline()
            try:
                enc = reference_enclosure(self.h_expr, self.proof_symbols, ranges, bits)
            except (IntervalError, *_RESOURCE_ERRORS):
                continue
            if enc.lower >= 0:
                return PROVED, None
            if enc.upper < 0:
                found = self.certify(point)
                if found is not None:
                    return REFUTED, found
        return UNDECIDED, None

    def _point_step(self, point: Point) -> tuple:
        value = self._at_point(point)
        if value is not None and value >= 0:
            return (PROVED,)
        if value is not None and value < 0:
            found = self.certify(point)
            if found is not None:
                return (REFUTED, *found)
        status, found = self._decide_point(point)
        if status == PROVED:
            return (PROVED,)
        if status == REFUTED and found is not None:
            return (REFUTED, *found)
        # No enclosure, or a certainly negative one whose counterexample cannot be certified (beyond the magnitude
        # limit): not a tie at the working precision.
        return ("stuck",) if value is not None and not value < 0 else ("stuck", "undefined")

    # -- one box --------------------------------------------------------------------------------------------------

    def step(self, lo: Point, hi: Point, depths: tuple[int, ...]) -> tuple:
        """Process one box: ``("proved",)``, ``("refuted", point, enclosure)``, ``("reduced", box)``,
        ``("split", k, at)`` (cut coordinate ``k`` at ``at``) or ``("stuck",)``."""
        self.check_deadline()
        n = len(lo)
        dims = [i for i in range(n) if lo[i] != hi[i]]
        if not dims:
            return self._point_step(lo)
        balls = [_ball(lo[i], hi[i]) for i in range(n)]
        selection, open_conditions = self._selection(lo, hi, balls, depths)
        piece = self.piece(selection) if self.nonsmooth else self.base
        value = piece.value(balls)
        if value is None and piece is not self.base:
            value = self.base.value(balls)
        if value is None:
            self.failures += 1
        elif value >= 0:
            return (PROVED,)
        for c in open_conditions:  # an affine kink inside the box: cut exactly there
            kink = c.kink(lo, hi)
            if kink is not None:
                self.faces[kink[0]].add(kink[1])
                return ("split", *kink)
        # Derivatives are used only where h itself is enclosed (defined, hence continuous) on the whole box.
        grads = piece.gradient(balls) if value is not None else None
        if grads is not None:
            reduced = _reduce(lo, hi, dims, [g >= 0 for g in grads], [g <= 0 for g in grads])
            if reduced is not None:
                return ("reduced", reduced)
        center = tuple((lo[i] + hi[i]) / 2 if i in dims else lo[i] for i in range(n))
        at_center = self._at_point(center)
        if at_center is not None and at_center < 0:
            found = self.certify(center)
            if found is not None:
                return (REFUTED, *found)
        bound = None
        if grads is not None and at_center is not None:
            bound = at_center
            for i in dims:
                radius = arb(hi[i] - center[i])
                bound = bound + grads[i] * (-radius).union(radius)
            if bound >= 0:
                return (PROVED,)
            outcome = self._second_order(piece, lo, hi, dims, center, at_center, balls, depths, grads, bound)
            if outcome is not None:
                return outcome
            if at_center >= 0:
                reduced = self._monotone_by_subproof(piece, lo, hi, dims, grads, depths, value)
                if reduced is not None:
                    return ("reduced", reduced)
        if any(_on_edge(b) for b in (value, bound, *(grads or ()))):
            outcome = self._step_reference(piece, lo, hi, center, dims)
            if outcome is not None:
                return outcome
        # A box narrower than the working precision resolves (relative to its coordinates, or after max_depth
        # bisections of the starting box) is left open rather than split further.
        dims = [
            i
            for i in dims
            if depths[i] < self.max_depth and (hi[i] - lo[i]) * self.resolution > max(abs(lo[i]), abs(hi[i]))
        ]
        if not dims:
            return ("stuck",) if value is not None else ("stuck", "undefined")
        if grads is not None:
            effect = {i: (grads[i].abs_upper() * arb(hi[i] - lo[i])).upper() for i in dims}
            k = max(dims, key=lambda i: (effect[i], -depths[i]))
        else:
            k = min(dims, key=lambda i: depths[i])
        return ("split", k, (lo[k] + hi[k]) / 2)

    def _monotone_by_subproof(
        self,
        piece: _Piece,
        lo: Point,
        hi: Point,
        dims: list[int],
        grads: list[arb],
        depths: tuple[int, ...],
        value: arb,
    ) -> Box | None:
        """On a box with a face on the starting box's boundary or on a kink (where inequalities are often tight),
        establish the sign of ``dh/dx_i`` by a nested search: ``dh/dx_i >= 0`` on the box moves the minimum to the face
        ``x_i = lo_i``, ``<= 0`` to ``x_i = hi_i`` (the monotonicity rule, with its premise proved rather than read
        off one enclosure). Tried only once the box is :data:`_SUB_DEPTH` bisections deep in ``x_i``, and only
        towards a face where ``h`` nearly vanishes (at the face's centre, below ``2**-10`` of the spread of ``h``
        on the box): boxes that simpler rules decide never pay for it (a heuristic about cost only)."""
        parts = piece.gradient_parts()
        if parts is None:
            return None
        spread = (value.upper() - value.lower()) / 1024
        for i in dims:
            if depths[i] < self.sub_depth or not (grads[i].lower() < 0 < grads[i].upper()):
                continue
            for end, sign in ((lo, 1), (hi, -1)):
                if end[i] not in self.faces[i]:
                    continue
                centre = tuple(((lo[j] + hi[j]) / 2 if j != i else end[i]) for j in range(len(lo)))
                at_face = self._at_point(centre)
                if at_face is None or not at_face.upper() <= spread:
                    continue
                if self.subprove(sign * parts[0][i], lo, hi):
                    return (lo, (*hi[:i], lo[i], *hi[i + 1 :])) if sign == 1 else ((*lo[:i], hi[i], *lo[i + 1 :]), hi)
        return None

    def _second_order(
        self,
        piece: _Piece,
        lo: Point,
        hi: Point,
        dims: list[int],
        center: Point,
        at_center: arb,
        balls: list[arb],
        depths: tuple[int, ...],
        grads: list[arb],
        mean_value: arb,
    ) -> tuple | None:
        """The second-order form at the centre; the gradient's own mean value form, which may show a sign the
        plain enclosure hides (then the monotonicity rule reduces the box); and, where the Hessian is certified
        positive semidefinite, the first-order bound at the centre and the exact critical point test (see the
        module docstring)."""
        deep = max(depths) >= self.sub_depth
        g_center = piece.gradient_at(center)
        if g_center is None:
            return None
        radius = {i: arb(hi[i] - center[i]) for i in dims}
        first = None  # h(c) - sum |g_i(c)| r_i: every bound below is at most this
        if at_center >= 0:
            first = at_center
            for i in dims:
                first = first - g_center[i].abs_upper() * radius[i]
        # The mean value bound is about first - 2Q and the second-order one first - Q (Q the quadratic term), so
        # the second-order bound is likely >= 0 only if first + mean_value >= 0: shallow boxes pay for a Hessian
        # only then (a heuristic about cost; every bound is still checked).
        promising = first is not None and first >= 0
        if not deep:
            if not (promising and first.mid() + mean_value.mid() >= 0):
                return None
            # On shallow boxes the Hessian is worth its cost only if it often proves the box: after 32 tries, it
            # is computed only while at least a third of the tries succeed (every 16th opportunity still tries,
            # to keep the count current). Counts only: the search stays deterministic.
            self.shallow_offers += 1
            paying = self.shallow_tries < 32 or 3 * self.shallow_wins >= self.shallow_tries
            if not paying and self.shallow_offers % 16:
                return None
            self.shallow_tries += 1
        hess = piece.hessian(3 if deep else 1, balls)  # interval mode (tighter, slower) on deep boxes only
        if hess is None:
            return None
        if deep:
            # dh/dx_i(x) = dh/dx_i(c) + sum_j H_ij(xi) (x_j - c_j): an enclosure of the gradient on the box.
            tight = []
            for i in range(len(lo)):
                g = g_center[i]
                for j in dims:
                    g = g + hess[i][j] * (-radius[j]).union(radius[j])
                tight.append(g.intersection(grads[i]) if g.overlaps(grads[i]) else grads[i])
            reduced = _reduce(lo, hi, dims, [g >= 0 for g in tight], [g <= 0 for g in tight])
            if reduced is not None:
                return ("reduced", reduced)
        if promising:
            second = first
            for a, i in enumerate(dims):
                low = hess[i][i].lower()
                if low < 0:
                    second = second + low * radius[i] * radius[i] / 2
                for j in dims[a + 1 :]:
                    second = second - hess[i][j].abs_upper() * radius[i] * radius[j]
            if second >= 0:
                self.shallow_wins += not deep
                return (PROVED,)
        psd = _gershgorin(hess, dims)
        if not psd and _gershgorin_of_midpoints(hess, dims):  # plausibly convex: tighter Hessians
            if not deep:
                hess = piece.hessian(3, balls)
                psd = hess is not None and _gershgorin(hess, dims)
            if not psd and hess is not None and any(_on_edge(hess[i][i]) for i in dims):
                psd = self._gershgorin_reference(piece, lo, hi, dims)
        if not psd:
            return None
        if promising:  # h(x) >= h(c) + g(c).(x - c) on a box where h is convex
            self.shallow_wins += not deep
            return (PROVED,)
        return self._critical_point(piece, lo, hi, dims, center)

    def _gershgorin_reference(self, piece: _Piece, lo: Point, hi: Point, dims: list[int]) -> bool:
        """Gershgorin's test on the Hessian enclosed by the reference path, whose end points are exact where a ball
        loses them (``1 - cos(x)`` on ``[0, 3/2]`` is ``[0, ...]`` there, ``[-1e-20, ...]`` as a ball)."""
        parts = piece.hessian_parts()
        if parts is None:
            return False
        ranges = [(_frac(a), _frac(b)) for a, b in zip(lo, hi, strict=True)]
        try:
            flat = reference_enclosures(parts[0], self.proof_symbols, ranges, self.prec)
        except _RESOURCE_ERRORS:
            return False
        if any(e is None for e in flat):
            return False
        n = len(lo)
        entry: dict[tuple[int, int], Enclosure] = {}
        k = 0
        for i in range(n):
            for j in range(i, n):
                entry[(i, j)] = entry[(j, i)] = flat[k]  # type: ignore[assignment]
                k += 1
        return all(
            entry[(i, i)].lower - sum(max(-entry[(i, j)].lower, entry[(i, j)].upper) for j in dims if j != i) >= 0
            for i in dims
        )

    def _critical_point(self, piece: _Piece, lo: Point, hi: Point, dims: list[int], start: Point) -> tuple | None:
        """On a box where ``h`` is convex: candidate critical points -- the corners of the box at which the gradient's
        ball contains 0, and the rational nearest the limit of Newton's method (a heuristic) -- each put to the
        exact test ``grad h(c*) = 0``, ``h(c*) >= 0``, which proves ``h >= 0`` on the box
        (``h(x) >= h(c*) + grad h(c*).(x - c*) = h(c*)``)."""
        candidates: list[Point] = []
        if len(dims) <= 3:
            for ends in itertools.product(*[(lo[i], hi[i]) for i in dims]):
                corner = list(lo)
                for i, v in zip(dims, ends, strict=True):
                    corner[i] = v
                g = piece.gradient_at(corner)
                if g is not None and all(not (g[i] > 0 or g[i] < 0) for i in dims):
                    candidates.append(tuple(corner))
        newton = self._newton(piece, lo, hi, dims, start)
        if newton is not None:
            candidates.append(newton)
        for candidate in candidates:
            if candidate in self.tried:
                continue
            self.tried.add(candidate)
            outcome = self._exact_critical(piece, candidate, dims)
            if outcome is not None:
                return outcome
        return None

    def _newton(self, piece: _Piece, lo: Point, hi: Point, dims: list[int], start: Point) -> Point | None:
        """The rational nearest the limit of Newton's method for ``grad h = 0`` from ``start``, if it converges
        inside the box (floats: a heuristic whose answer is then checked exactly)."""
        if self.newton_runs >= _NEWTON_RUNS:
            return None
        self.newton_runs += 1
        x = [float(_frac(c)) for c in start]
        low = [float(_frac(2 * lo[i] - hi[i])) for i in range(len(lo))]  # the box widened by its width each side
        high = [float(_frac(2 * hi[i] - lo[i])) for i in range(len(lo))]
        for _ in range(30):
            point = tuple(_q(Fraction(v)) for v in x)
            g = piece.gradient_at(point)
            hess = piece.hessian(2, [arb(v) for v in point])
            if g is None or hess is None:
                return None
            step = _newton_step([float(g[i].mid()) for i in dims], [[float(hess[i][j].mid()) for j in dims]
                                                                      for i in dims])
            if step is None:
                return None
            for a, i in enumerate(dims):
                x[i] -= step[a]
            if any(not (math.isfinite(x[i]) and low[i] <= x[i] <= high[i]) for i in dims):
                return None
            if all(abs(step[a]) <= 1e-15 * (1 + abs(x[i])) for a, i in enumerate(dims)):
                break
        candidate = tuple(_q(_nearby_rational(x[i])) if i in dims else lo[i] for i in range(len(lo)))
        return candidate if all(lo[i] <= candidate[i] <= hi[i] for i in dims) else None

    def _exact_critical(self, piece: _Piece, candidate: Point, dims: list[int]) -> tuple | None:
        """``("proved",)`` if sympy's exact arithmetic gives ``dh/dx_i(c*) = 0`` for every non-degenerate ``i`` and
        ``h(c*) >= 0`` (exactly, or by an enclosure); a refutation if ``h(c*) < 0`` is certified; else None."""
        grads = piece.gradient_parts()
        if grads is None:
            return None
        for i in dims:
            value = self._exact_value(grads[0][i], candidate)
            if value is None or value != 0:
                return None
        exact = self._exact_value(piece.h, candidate)
        if exact is not None:
            if exact >= 0:
                return (PROVED,)
        else:
            ranges = [(_frac(c), _frac(c)) for c in candidate]
            try:
                enc = reference_enclosure(piece.h, self.proof_symbols, ranges, 4 * self.prec)
            except (IntervalError, *_RESOURCE_ERRORS):
                return None
            if enc.lower >= 0:
                return (PROVED,)
        found = self.certify(candidate)
        return (REFUTED, *found) if found is not None else None

    def _step_reference(self, piece: _Piece, lo: Point, hi: Point, center: Point, dims: list[int]) -> tuple | None:
        """The same tests on the mpmath reference path, whose end points are exact where the balls are not (a
        derivative that vanishes on a face of the box comes out as ``[-1e-20, ...]`` in arb, ``[0, ...]`` here)."""
        ranges = [(_frac(a), _frac(b)) for a, b in zip(lo, hi, strict=True)]
        parts = piece.gradient_parts()
        grad_forms = parts[1] if parts is not None else ()
        outputs = piece.forms + tuple(e for forms in grad_forms for e in forms)
        try:
            encs = reference_enclosures(outputs, self.proof_symbols, ranges, self.prec)
        except _RESOURCE_ERRORS:
            return None
        k = len(piece.forms)
        value = _meet_enclosures(encs[:k])
        if value is None:  # the expression as written must be defined on the box, not only a rewriting of it
            return None
        if value.lower >= 0:
            return (PROVED,)
        grads = []
        for forms in grad_forms:
            grads.append(_meet_enclosures(encs[k : k + len(forms)]))
            k += len(forms)
        if not grads or any(g is None for g in grads):
            return None
        reduced = _reduce(lo, hi, dims, [g.lower >= 0 for g in grads], [g.upper <= 0 for g in grads])
        if reduced is not None:
            return ("reduced", reduced)
        point = [(_frac(c), _frac(c)) for c in center]
        try:
            at_center = reference_enclosure(piece.h, self.proof_symbols, point, self.prec)
        except (IntervalError, *_RESOURCE_ERRORS):
            return None
        bound = at_center.lower
        for i in dims:
            g, r = grads[i], _frac(hi[i] - center[i])
            bound -= max(-g.lower, g.upper) * r
        return (PROVED,) if bound >= 0 else None


#: At most this many Newton searches for a critical point per call (each costs up to 30 point evaluations).
_NEWTON_RUNS = 200
#: Nested searches (:meth:`_Search.subprove`): boxes per nested search, levels of nesting, nested boxes (all levels)
#: per nested search started from the root, and per call of :func:`prove_le`.
_SUB_BOXES, _SUB_LEVELS, _SUB_CALL, _SUB_TOTAL = 12, 3, 150, 4_000
#: Nested searches are tried on a box only once it is this many bisections deep (in the coordinate concerned).
_SUB_DEPTH = 8


def _gershgorin(hess: list[list[arb]], dims: list[int]) -> bool:
    """Is every symmetric matrix in the enclosure positive semidefinite on the coordinates ``dims``? Yes if
    ``H_ii >= sum_{j != i} |H_ij|`` for each ``i`` (Gershgorin's circle theorem: every eigenvalue lies in a disc
    centred at some ``H_ii`` of radius ``sum_{j != i} |H_ij|``, so it is >= 0)."""
    return all(
        hess[i][i].lower() - sum((hess[i][j].abs_upper() for j in dims if j != i), arb(0)) >= 0 for i in dims
    )


def _gershgorin_of_midpoints(hess: list[list[arb]], dims: list[int]) -> bool:
    """Gershgorin's test on the midpoints of the enclosure (a heuristic: worth computing a tighter Hessian?)."""
    return all(hess[i][i].mid() - sum((abs(hess[i][j].mid()) for j in dims if j != i), arb(0)) >= 0 for i in dims)


def _newton_step(g: list[float], hess: list[list[float]]) -> list[float] | None:
    """``H^-1 g`` by Gaussian elimination with partial pivoting in floats (a heuristic: the result is checked
    exactly), or None if ``H`` is singular or not finite."""
    n = len(g)
    a = [[*row, g[i]] for i, row in enumerate(hess)]
    if not all(math.isfinite(v) for row in a for v in row):
        return None
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if a[pivot][col] == 0:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][c] * out[c] for c in range(r + 1, n))) / a[r][r]
    return out if all(math.isfinite(v) for v in out) else None


def _nearby_rational(x: float) -> Fraction:
    """The rational with the smallest denominator within ``1e-12 (1 + |x|)`` of ``x`` (a continued fraction
    convergent), or ``x`` itself as a binary fraction."""
    exact = Fraction(x)
    tolerance = Fraction(1, 10**12) * (1 + abs(exact))
    for limit in (1, 2, 3, 4, 6, 8, 10, 12, 16, 100, 1000, 10**4, 10**6):
        q = exact.limit_denominator(limit)
        if abs(q - exact) <= tolerance:
            return q
    return exact


def _reduce(lo: Point, hi: Point, dims: list[int], increasing: list, decreasing: list) -> Box | None:
    """The face holding the minimum when ``h`` is monotone in some variables, or None."""
    new_lo, new_hi = list(lo), list(hi)
    changed = False
    for i in dims:
        if increasing[i]:
            new_hi[i], changed = lo[i], True
        elif decreasing[i]:
            new_lo[i], changed = hi[i], True
    return (tuple(new_lo), tuple(new_hi)) if changed else None


_EDGE = arb(2) ** -20


def _on_edge(b: arb | None) -> bool:
    """Does the ball straddle 0 by a sliver (at most 2**-20 of its width on one side)? Then balls lose a sign that
    exact interval end points may keep. (A heuristic for retrying on the reference path; exact arb comparisons.)"""
    if b is None or not b.is_finite():
        return False
    low, high = b.lower(), b.upper()
    if not (low < 0 < high):
        return False
    return bool(min(-low, high) <= _EDGE * (high - low))


def _check_budget(max_boxes: object, max_seconds: object) -> None:
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 1:
        raise IntervalArgumentError("max_boxes", "must be an integer >= 1", max_boxes)
    if max_seconds is not None and (
        isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float)) or not max_seconds > 0
    ):
        raise IntervalArgumentError("max_seconds", "must be a number of seconds > 0, or None", max_seconds)


def prove_le(
    f: sp.Expr,
    g: sp.Expr,
    box: Mapping[object, object],
    *,
    max_boxes: int = 20_000,
    max_seconds: float | None = None,
    prec: int | None = None,
    derivatives: bool = True,
) -> BoxResult:
    """Prove ``f <= g`` at every admissible point of ``box`` by branch and bound on ``g - f``, or refute it at an
    exact admissible point.

    ``box`` maps every free symbol of ``f`` and ``g`` (or its name) to a finite range ``(lo, hi)`` or a point of
    exact rationals. The budget is ``max_boxes`` box evaluations: verdicts depend on counts only, never on the
    machine's speed. ``max_seconds`` (default None: no deadline) is a wall-clock deadline for the whole call
    (compilation, boxes, certification of counterexamples, the detail text); when it passes the answer is
    ``undecided`` with a detail naming it. ``derivatives`` enables monotonicity, the mean value and second-order
    forms. See :class:`BoxResult` for the outcome and the module docstring for the soundness argument.
    """
    started = time.perf_counter()
    _check_budget(max_boxes, max_seconds)
    deadline = None if max_seconds is None else started + float(max_seconds)
    f, g = as_expression(f, "f"), as_expression(g, "g")
    with resource_errors_as_interval_errors("prove_le"):
        check_whitelist(f)
        check_whitelist(g)
    bits = current_precision(prec)
    symbols = tuple(sorted(f.free_symbols | g.free_symbols, key=sp.default_sort_key))
    ranges = resolve_ranges(symbols, box)
    start_box: Box = (tuple(_q(lo) for lo, _ in ranges), tuple(_q(hi) for _, hi in ranges))
    boxes = 0

    def result(status: str, **kw: object) -> BoxResult:
        return BoxResult(status, boxes, time.perf_counter() - started, **kw)  # type: ignore[arg-type]

    def out_of_time() -> BoxResult:
        return result(UNDECIDED, detail=f"deadline of max_seconds = {max_seconds} s passed after {boxes} boxes")

    with flint_precision(bits):
        try:
            with resource_errors_as_interval_errors("prove_le"):
                proxies = _proof_symbols(symbols)
                proof_symbols = tuple(proxies.get(s, s) for s in symbols)
                h = (g - f).xreplace(proxies) if proxies else g - f
                search = _Search(h, proof_symbols, start_box, bits, derivatives, deadline, user_symbols=symbols,
                                 violation=f - g)
            search.check_deadline()
            outcome = _branch_and_bound(search, start_box, max_boxes)
        except _DeadlineError:
            return out_of_time()
    status, boxes, payload = outcome
    if status == REFUTED:
        point, violation = payload
        counterexample = {s: _frac(x) for s, x in zip(symbols, point, strict=True)}
        detail = f"f - g = {violation} > 0 at {_show_point(counterexample)}"
        return result(REFUTED, counterexample=counterexample, violation=violation, detail=detail)
    if status == PROVED:
        return result(PROVED, detail=f"{boxes} boxes")
    left, spent, resources = payload
    smallest = min(left, key=lambda item: item[2])
    if spent:
        reason = "budget spent"
    else:
        reason = "g - f cannot be separated from 0 at the working precision"
    if search.failures:
        reason += f"; {search.failures} boxes left the domain of an operation"
    if resources:
        reason += f"; {resources} boxes ran out of resources"
    return result(
        UNDECIDED,
        undecided_box={s: (_frac(a), _frac(b)) for s, a, b in zip(symbols, smallest[0], smallest[1], strict=True)},
        undecided_count=len(left),
        detail=f"{reason}; {len(left)} boxes open after {boxes}",
    )


def _branch_and_bound(search: _Search, start: Box, max_boxes: int) -> tuple[str, int, object]:
    """The loop of :func:`prove_le`: widest boxes first (smallest depth), faces examined at once. Returns
    ``(status, boxes, payload)``; raises ``_DeadlineError`` when the deadline passes."""
    n = len(start[0])
    order = itertools.count()
    depths0 = (0,) * n
    heap: list[tuple[int, int, Point, Point, tuple[int, ...]]] = [(0, next(order), start[0], start[1], depths0)]
    stuck: list[tuple[Point, Point, tuple[int, ...]]] = []
    boxes = resources = 0
    root = search.root
    while heap and boxes < max_boxes:
        if search.level and root.sub_boxes >= root.sub_cap:  # the nested boxes allowed to this call are spent
            break
        entry = heapq.heappop(heap)
        lo, hi, depths = entry[2], entry[3], entry[4]
        reduced_from: tuple[Point, Point] | None = None
        while True:
            boxes += 1
            if search.level:
                root.sub_boxes += 1
            try:
                outcome = search.step(lo, hi, depths)
            except _RESOURCE_ERRORS:
                resources += 1
                outcome = ("stuck", "resources")
            kind = outcome[0]
            if kind == REFUTED:
                return REFUTED, boxes, (outcome[1], outcome[2])
            if kind == "split":
                k, at = outcome[1], outcome[2]
                deeper = (*depths[:k], depths[k] + 1, *depths[k + 1 :])
                for a, b in ((lo, (*hi[:k], at, *hi[k + 1 :])), ((*lo[:k], at, *lo[k + 1 :]), hi)):
                    key = min((deeper[i] for i in range(n) if a[i] != b[i]), default=0)
                    heapq.heappush(heap, (key, next(order), a, b, deeper))
            elif (
                outcome[1:] in (("resources",), ("undefined",))
                and reduced_from is not None
                and (k := _widest(*reduced_from, depths, search.max_depth)) is not None
            ):
                # The face holding the minimum has no enclosure (its values overflow, or leave a domain): bisecting
                # the box it came from is sound too, and the faces of its halves may hold a certifiable
                # counterexample.
                a0, b0 = reduced_from
                at = (a0[k] + b0[k]) / 2
                deeper = (*depths[:k], depths[k] + 1, *depths[k + 1 :])
                for a, b in ((a0, (*b0[:k], at, *b0[k + 1 :])), ((*a0[:k], at, *a0[k + 1 :]), b0)):
                    key = min((deeper[i] for i in range(n) if a[i] != b[i]), default=0)
                    heapq.heappush(heap, (key, next(order), a, b, deeper))
            elif kind == "stuck":
                stuck.append((lo, hi, depths))
            elif kind == "reduced":  # the face holding the minimum, examined at once
                if boxes < max_boxes:
                    reduced_from = (lo, hi)
                    lo, hi = outcome[1]
                    continue
                heapq.heappush(heap, entry)  # budget spent: the box stays open as it was
            break
    if not heap and not stuck:
        return PROVED, boxes, None
    left = [(item[2], item[3], _widths(item[2], item[3], item[4])) for item in heap]
    left += [(a, b, _widths(a, b, d)) for a, b, d in stuck]
    return UNDECIDED, boxes, (left, bool(heap), resources)


def _widest(lo: Point, hi: Point, depths: tuple[int, ...], max_depth: int) -> int | None:
    """The least bisected non-degenerate coordinate of a box (None for a point or when every coordinate has been
    bisected ``max_depth`` times)."""
    dims = [i for i in range(len(lo)) if lo[i] != hi[i] and depths[i] < max_depth]
    return min(dims, key=lambda i: depths[i]) if dims else None


def _widths(lo: Point, hi: Point, depths: tuple[int, ...]) -> int:
    """Sort key of an open box: minus the depth of its widest coordinate (the least bisected non-degenerate one);
    a point scores below every box."""
    return -min((d for a, b, d in zip(lo, hi, depths, strict=True) if a != b), default=10**9)


def _show_point(point: Mapping[sp.Symbol, Fraction]) -> str:
    return ", ".join(f"{s} = {v}" for s, v in point.items())
