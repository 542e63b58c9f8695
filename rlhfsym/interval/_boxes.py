"""Box verification by branch and bound: prove ``f <= g`` at every point of a box, or refute it at a certified point.

The quantity ``h = g - f`` is enclosed on a box by the compiled arb evaluator. A box is

* proved when the enclosure of ``h`` is >= 0, or when the **mean value form**
  ``h(c) + sum_i dh/dx_i(X) * (X_i - c_i)`` (``c`` the centre, gradient enclosed on the whole box ``X``) is >= 0;
* reduced to a face when ``dh/dx_i`` has one sign on the box (**monotonicity**: the minimum of ``h`` lies on the
  face ``x_i = lo_i`` if ``dh/dx_i >= 0``, ``x_i = hi_i`` if ``<= 0``), which removes a dimension;
* refuted when ``h`` at an exact rational point of the box (its centre) is certainly < 0; the counterexample is
  then re-certified on the mpmath reference path: the enclosure of ``f - g`` at that point lies in ``(0, inf)``;
* else bisected along the variable of largest effect ``|dh/dx_i| * width_i`` (the widest relative to the
  starting box when no derivative is available), widest boxes first.

Enclosures on boxes use the end point kernels and intersect the enclosures of equivalent forms of ``h`` and of
each partial derivative (as written, ``factor_terms``, ``together``, and ``factor`` for small rational functions);
the form as written must be defined on the box. The gradient is used only where its enclosure is finite, i.e.
where ``h`` is continuously differentiable on the box (derivatives of ``Abs``, ``Max``, ``Min`` are not in the
whitelist, so those expressions go without it). Where a ball straddles 0 by a sliver, the box is retried on the
reference path, whose interval end points are exact. Boxes narrower than the working precision resolves are left
open. Integer symbols are relaxed to real intervals for proofs; counterexamples have integer coordinates for them.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, fmpq

from ..errors import ParameterError
from ._arb import BallError, Kernel, compile_kernel, flint_precision
from ._enclosure import Enclosure, IntervalError
from ._reference import reference_enclosure, reference_enclosures
from ._tree import as_expression, check_whitelist
from ._values import current_precision, resolve_ranges

__all__ = ["PROVED", "REFUTED", "UNDECIDED", "BoxResult", "prove_le"]

PROVED, REFUTED, UNDECIDED = "proved", "refuted", "undecided"

# Box coordinates are flint rationals (fmpq: exact, ten times faster than Fraction); a box is (lo, hi).
Point = tuple[fmpq, ...]
Box = tuple[Point, Point]


def _q(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def _frac(x: fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


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

    ``status`` is ``"proved"`` (``f <= g`` at every point of the box), ``"refuted"`` (``counterexample`` is an
    exact point of the box and ``violation`` an enclosure of ``f - g`` there, entirely > 0) or ``"undecided"``
    (budget spent; ``undecided_box`` is the smallest box left open, ``undecided_count`` how many were left).
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


class _Search:
    def __init__(
        self,
        f: sp.Expr,
        g: sp.Expr,
        symbols: tuple[sp.Symbol, ...],
        start: Box,
        prec: int,
        derivatives: bool,
    ) -> None:
        self.symbols = symbols
        self.start = list(zip(*start, strict=True))
        # Integer symbols are searched over real intervals (a proof over the reals covers the integers), but a
        # counterexample must be admissible: its integer coordinates are rounded to integers of the starting box.
        self.integer = [bool(s.is_integer) for s in symbols]
        self.prec = prec
        self.resolution = fmpq(2 ** max(prec - 8, 8))
        self.finest = 2.0 ** -max(prec - 8, 8)
        self.violation_expr = f - g
        h = g - f
        self.h_expr = h
        # Points: plain balls are tight there. Boxes: end point kernels, and every equivalent form of h and of each
        # partial derivative (each form is an identity, so the intersection of their enclosures is an enclosure,
        # often much tighter than any one of them).
        self.h_point: Kernel = compile_kernel((h,), symbols, prec, "ball")
        self.h_plain: Kernel = compile_kernel((h,), symbols, prec, "interval")
        self.h_forms: tuple[sp.Expr, ...] = _forms(h)
        self.h_box: Kernel = compile_kernel(self.h_forms, symbols, prec, "interval")
        self.grad_forms: tuple[tuple[sp.Expr, ...], ...] = ()
        self.g_box: Kernel | None = None
        if derivatives and symbols:
            try:
                self.grad_forms = tuple(_forms(sp.diff(h, s)) for s in symbols)
                outputs = tuple(e for forms in self.grad_forms for e in forms)
                self.g_box = compile_kernel(outputs, symbols, prec, "interval")
            except IntervalError:
                self.grad_forms, self.g_box = (), None
        self.failures = 0

    # -- evaluation ---------------------------------------------------------------------------------------------

    def _value(self, balls: Sequence[arb]) -> arb | None:
        try:
            return _meet(self.h_box(*balls))
        except BallError:
            pass
        try:
            return self.h_plain(*balls)[0]
        except BallError:
            self.failures += 1
            return None

    def _gradient(self, balls: Sequence[arb]) -> list[arb] | None:
        if self.g_box is None:
            return None
        try:
            out = self.g_box(*balls)
        except BallError:
            return None
        grads, k = [], 0
        for forms in self.grad_forms:
            grads.append(_meet(out[k : k + len(forms)]))
            k += len(forms)
        return grads

    def _at_point(self, point: Point) -> arb | None:
        try:
            return self.h_point(*[arb(x) for x in point])[0]
        except BallError:
            return None

    def certify(self, point: Point) -> tuple[Point, Enclosure] | None:
        """An admissible point near ``point`` (``point`` itself, or for integer symbols the point with those
        coordinates rounded down or up inside the starting box) and an enclosure of ``f - g`` there that is entirely
        > 0, computed on the reference path; None if there is none."""
        for candidate in self._admissible(point):
            ranges = [(_frac(x), _frac(x)) for x in candidate]
            for bits in (self.prec, 4 * self.prec, 16 * self.prec):
                try:
                    enc = reference_enclosure(self.violation_expr, self.symbols, ranges, bits)
                except IntervalError:
                    continue
                if enc.lower > 0:
                    return candidate, enc
        return None

    def _admissible(self, point: Point) -> list[Point]:
        if not any(self.integer):
            return [point]
        candidates = []
        for rounding in (lambda q: q.floor(), lambda q: q.ceil()):
            candidate = tuple(fmpq(rounding(x)) if is_int else x for x, is_int in zip(point, self.integer, strict=True))
            inside = all(a <= x <= b for x, (a, b) in zip(candidate, self.start, strict=True))
            if inside and candidate not in candidates:
                candidates.append(candidate)
        return candidates

    def _decide_point(self, point: Point) -> tuple[str, tuple[Point, Enclosure] | None]:
        """A box reduced to a point: decide ``h(point) >= 0`` at rising precision on the reference path."""
        ranges = [(_frac(x), _frac(x)) for x in point]
        for bits in (4 * self.prec, 16 * self.prec):
            try:
                enc = reference_enclosure(-self.violation_expr, self.symbols, ranges, bits)
            except IntervalError:
                continue
            if enc.lower >= 0:
                return PROVED, None
            if enc.upper < 0:
                found = self.certify(point)
                if found is not None:
                    return REFUTED, found
        return UNDECIDED, None

    # -- one box ------------------------------------------------------------------------------------------------

    def step(self, lo: Point, hi: Point, widths: tuple[float, ...]) -> tuple:
        """Process one box: ``("proved",)``, ``("refuted", point, enclosure)``, ``("reduced", box)``,
        ``("split", k)`` (bisect variable ``k``) or ``("stuck",)``. ``widths`` are the widths relative to the
        starting box."""
        n = len(lo)
        dims = [i for i in range(n) if widths[i]]
        if not dims:
            return self._point_step(lo)
        balls = [_ball(lo[i], hi[i]) for i in range(n)]
        value = self._value(balls)
        if value is not None and value >= 0:
            return (PROVED,)
        # The gradient is used only where h itself is enclosed (defined) on the whole box.
        grads = self._gradient(balls) if value is not None else None
        if grads is not None:
            reduced = _reduce(lo, hi, dims, [g >= 0 for g in grads], [g <= 0 for g in grads])
            if reduced is not None:
                return ("reduced", reduced)
        center = tuple((lo[i] + hi[i]) / 2 if widths[i] else lo[i] for i in range(n))
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
        if any(_on_edge(b) for b in (value, bound, *(grads or ()))):
            outcome = self._step_reference(lo, hi, center, dims)
            if outcome is not None:
                return outcome
        # A box narrower than the working precision resolves (relative to its coordinates or to the starting box)
        # is left open rather than split further.
        dims = [
            i
            for i in dims
            if widths[i] > self.finest and (hi[i] - lo[i]) * self.resolution > max(abs(lo[i]), abs(hi[i]))
        ]
        if not dims:
            return ("stuck",)
        if grads is not None:
            effect = {i: float(grads[i].abs_upper()) * float(hi[i] - lo[i]) for i in dims}
            return ("split", max(dims, key=lambda i: (effect[i], widths[i])))
        return ("split", max(dims, key=lambda i: widths[i]))

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
        return ("stuck",)

    def _step_reference(self, lo: Point, hi: Point, center: Point, dims: list[int]) -> tuple | None:
        """The same tests on the mpmath reference path, whose end points are exact where the balls are not (a
        derivative that vanishes on a face of the box comes out as ``[-1e-20, ...]`` in arb, ``[0, ...]`` here)."""
        ranges = [(_frac(a), _frac(b)) for a, b in zip(lo, hi, strict=True)]
        outputs = self.h_forms + tuple(e for forms in self.grad_forms for e in forms)
        encs = reference_enclosures(outputs, self.symbols, ranges, self.prec)
        k = len(self.h_forms)
        value = _meet_enclosures(encs[:k])
        if value is None:  # the expression as written must be defined on the box, not only a rewriting of it
            return None
        if value.lower >= 0:
            return (PROVED,)
        grads = []
        for forms in self.grad_forms:
            grads.append(_meet_enclosures(encs[k : k + len(forms)]))
            k += len(forms)
        if not grads or any(g is None for g in grads):
            return None
        reduced = _reduce(lo, hi, dims, [g.lower >= 0 for g in grads], [g.upper <= 0 for g in grads])
        if reduced is not None:
            return ("reduced", reduced)
        point = [(_frac(c), _frac(c)) for c in center]
        try:
            at_center = reference_enclosure(self.h_expr, self.symbols, point, self.prec)
        except IntervalError:
            return None
        bound = at_center.lower
        for i in dims:
            g, r = grads[i], _frac(hi[i] - center[i])
            bound -= max(-g.lower, g.upper) * r
        return (PROVED,) if bound >= 0 else None


_REWRITE_LIMIT = 300
_FACTOR_LIMIT = 120


def _forms(expr: sp.Expr) -> tuple[sp.Expr, ...]:
    """``expr`` and its distinct whitelisted rewritings by ``factor_terms`` and ``together`` (identities), and by
    ``factor`` for a small rational function. ``bcd exp(-t) - bcd/(1+t)**2`` also becomes
    ``bcd (exp(-t) - 1/(1+t)**2)``, ``bcd - bcd/(t+1)`` becomes ``a b**2 c**2 d**2/(t+1)``: enclosures of such forms
    are much tighter when terms nearly cancel."""
    forms = [expr]
    if sp.count_ops(expr) > _REWRITE_LIMIT:
        return (expr,)
    rewrites = [sp.factor_terms, sp.together]
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    if sp.count_ops(expr) <= _FACTOR_LIMIT and expr.is_rational_function(*symbols):
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


_EDGE = 2.0**-20


def _on_edge(b: arb | None) -> bool:
    """Does the ball straddle 0 by a sliver (at most 2**-20 of its width on one side)? Then balls lose a sign that
    exact interval end points may keep."""
    if b is None or not b.is_finite():
        return False
    low, high = float(b.lower()), float(b.upper())
    return low < 0 < high and min(-low, high) <= _EDGE * (high - low)


def _check_budget(max_boxes: object, max_seconds: object) -> None:
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 1:
        raise ParameterError("max_boxes", "must be an integer >= 1", max_boxes)
    if max_seconds is not None and (isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float))
                                    or not max_seconds > 0):
        raise ParameterError("max_seconds", "must be a number of seconds > 0, or None", max_seconds)


def prove_le(
    f: sp.Expr,
    g: sp.Expr,
    box: Mapping[object, object],
    *,
    max_boxes: int = 20_000,
    max_seconds: float | None = 10.0,
    prec: int | None = None,
    derivatives: bool = True,
) -> BoxResult:
    """Prove ``f <= g`` at every point of ``box`` by branch and bound on ``g - f``, or refute it at an exact point.

    ``box`` maps every free symbol of ``f`` and ``g`` (or its name) to a finite range ``(lo, hi)`` or a point of
    exact rationals. The budget is ``max_boxes`` box evaluations and ``max_seconds`` seconds (None: no limit);
    ``derivatives`` enables monotonicity and the mean value form. See :class:`BoxResult` for the outcome.
    """
    started = time.perf_counter()
    f, g = as_expression(f, "f"), as_expression(g, "g")
    check_whitelist(f)
    check_whitelist(g)
    _check_budget(max_boxes, max_seconds)
    bits = current_precision(prec)
    symbols = tuple(sorted(f.free_symbols | g.free_symbols, key=sp.default_sort_key))
    ranges = resolve_ranges(symbols, box)
    start_box: Box = (tuple(_q(lo) for lo, _ in ranges), tuple(_q(hi) for _, hi in ranges))
    search = _Search(f, g, symbols, start_box, bits, derivatives)
    order = itertools.count()
    # Heap entries: (-size, order, lo, hi, widths); size = the largest width relative to the starting box.
    start = tuple(1.0 if lo != hi else 0.0 for lo, hi in ranges)
    heap: list[tuple[float, int, Point, Point, tuple[float, ...]]] = [
        (-max(start, default=0.0), 0, start_box[0], start_box[1], start)
    ]
    stuck: list[Box] = []
    boxes = 0

    def result(status: str, **kw: object) -> BoxResult:
        return BoxResult(status, boxes, time.perf_counter() - started, **kw)  # type: ignore[arg-type]

    def spent() -> bool:
        return boxes >= max_boxes or (max_seconds is not None and time.perf_counter() - started > max_seconds)

    with flint_precision(bits):
        while heap and not spent():
            entry = heapq.heappop(heap)
            lo, hi, widths = entry[2], entry[3], entry[4]
            while True:
                boxes += 1
                outcome = search.step(lo, hi, widths)
                kind = outcome[0]
                if kind == REFUTED:
                    point = {s: _frac(x) for s, x in zip(symbols, outcome[1], strict=True)}
                    return result(REFUTED, counterexample=point, violation=outcome[2],
                                  detail=f"f - g = {outcome[2]} > 0 at {_show_point(point)}")
                if kind == "split":
                    k = outcome[1]
                    mid = (lo[k] + hi[k]) / 2
                    half = (*widths[:k], widths[k] / 2, *widths[k + 1 :])
                    for a, b in (((lo, (*hi[:k], mid, *hi[k + 1 :]))), ((*lo[:k], mid, *lo[k + 1 :]), hi)):
                        heapq.heappush(heap, (-max(half), next(order), a, b, half))
                elif kind == "stuck":
                    stuck.append((lo, hi))
                elif kind == "reduced":  # the face holding the minimum, examined at once
                    if not spent():
                        new_lo, new_hi = outcome[1]
                        widths = tuple(w if a != b else 0.0 for w, a, b in zip(widths, new_lo, new_hi, strict=True))
                        lo, hi = new_lo, new_hi
                        continue
                    heapq.heappush(heap, entry)  # budget spent: the box stays open as it was
                break
    left = [(item[2], item[3], item[4]) for item in heap] + [(a, b, (0.0,) * len(a)) for a, b in stuck]
    if not left:
        return result(PROVED, detail=f"{boxes} boxes")
    smallest = min(left, key=lambda item: max(item[2], default=0.0))
    reason = "budget spent" if heap else "g - f cannot be separated from 0 at the working precision"
    if search.failures:
        reason += f"; {search.failures} boxes left the domain of an operation"
    return result(
        UNDECIDED,
        undecided_box={s: (_frac(a), _frac(b)) for s, a, b in zip(symbols, smallest[0], smallest[1], strict=True)},
        undecided_count=len(left),
        detail=f"{reason}; {len(left)} boxes open after {boxes}",
    )


def _show_point(point: Mapping[sp.Symbol, Fraction]) -> str:
    return ", ".join(f"{s} = {v}" for s, v in point.items())
