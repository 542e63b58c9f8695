"""The rules that justify a step ``prev REL rhs``: each states the argument that makes it sound and checks it.

A rule is a small frozen object carrying its data; :meth:`Rule.check` returns a :class:`~.decide.Verdict`:

* ``verified`` -- every premise of the rule's soundness argument was established;
* ``failed`` -- the step as justified is refuted: its statement is false at an admissible point where the claim's
  hypotheses hold, or an identity the rule requires of the step's own data is false at an admissible point;
* ``undecided`` -- some premise could not be established; the detail names it. Never counted as verified.

**What an expression means.** An expression denotes the function its sympy tree computes, defined at the points
where every node of the tree is a finite real number (:mod:`.domains`). A claim ``lhs REL rhs`` with hypotheses
asserts the relation at every point of its symbols' domains (their assumptions, and the lemma's ``domain`` box)
where the hypotheses hold and both sides are defined.

**The soundness argument of each rule** (also :data:`SOUNDNESS`, printed by the docs):

* :class:`Algebra`, equality: ``prev - rhs`` has a normal form 0 (rational functions of independent generators for
  ``exp`` and ``log`` atoms). Two trees equal as rational functions of independent generators take the same value
  at every point where both are defined.
* :class:`Algebra`, inequality: the gap equals the witness (hypothesis slacks replaced by the hypotheses' own
  gaps) as such an identity, and sympy's assumptions make the witness >= 0 for every value of its symbols and of
  the slacks >= 0; at a point where the hypotheses hold, the gap therefore equals a nonnegative number. A symbol
  that the lemma's box gives a range inside its interval may be read through that range's cover (see Monotone):
  the claim asserts nothing outside the box.
* :class:`Monotone`: the gap equals ``f(hi) - f(lo)``; ``var`` ranges over an interval I of the line; ``f`` is
  defined, continuous on I and differentiable on its interior; ``lo`` and ``hi`` are finite, lie in I, and
  ``hi - lo >= 0``; ``f' >= 0`` on I (by assumptions, or by a witness that uses only hypotheses holding at every
  value of ``var`` and defined on I). The mean value theorem gives ``f(hi) >= f(lo)``. When the lemma's
  ``domain`` box gives ``var`` a range ``[a, b]`` inside I, I is ``[a, b]`` (the claim asserts nothing outside
  it): each fact on it is proved at ``var = a + (b - a) t/(1 + t)`` for every ``t >= 0`` and at ``var = b``, a pair
  of substitutions that takes ``var`` through ``[a, b]`` exactly; f's side conditions hold strictly there, so f
  is analytic on a neighbourhood of ``[a, b]``.
* :class:`FirstDerivativeTest`: the gap equals ``f(var) - f(c)`` with ``c`` free of ``var`` and in I; ``f`` as
  for Monotone (I restricted by the lemma's box as for Monotone); ``f'(v) (v - c) >= 0`` on I (assumptions, or a
  witness as for Monotone). Then ``f`` decreases up
  to ``c`` and increases after it, so ``f(var) >= f(c)``.
* :class:`Induction`: ``var`` ranges over the integers from its least value m0 (0 or 1, exactly its assumptions);
  the gap ``g`` is defined at every such integer; ``g(m0) >= 0``; ``g(m + 1)`` equals a witness that is >= 0
  whenever the induction hypothesis ``g(m) >= 0`` and the slacks it uses are, and it uses only hypotheses that hold
  at every ``m`` and are defined there. Then ``g(m) >= 0`` for every ``m >= m0``.
* :class:`Box`: every symbol of the step has a rational range in the lemma's ``domain``; the certified interval
  enclosure of ``rhs - prev`` is >= 0 on every box of a cover of the domain (:func:`rlhfsym.interval.prove_le`).
  A refutation is ``failed`` only at a point that the symbols' assumptions admit and where every hypothesis is
  certified to hold.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

import sympy as sp

from ..errors import RlhfsymError
from ..interval import Decision, enclose, prove_le
from .decide import FAILED, UNDECIDED, VERIFIED, Verdict, decide_nonneg, decide_zero, is_nonneg
from .domains import (
    admits,
    conditions,
    integer_class,
    interval_class,
    proves,
    smooth_in,
    unproved_condition,
)
from .sums import slacks_under_sums

if TYPE_CHECKING:
    from .statement import Hypothesis

__all__ = [
    "INDUCTION_HYPOTHESIS",
    "SOUNDNESS",
    "Algebra",
    "Box",
    "FirstDerivativeTest",
    "Induction",
    "Monotone",
    "Rule",
    "StepContext",
    "StepKind",
    "exact_expr",
]

Domain = Mapping[sp.Symbol, tuple[sp.Rational, sp.Rational]]


class StepKind(enum.Enum):
    """What a line of a lemma's report checks: a chain link (by its rule), a citation, a chain's conclusion, the
    stated bound, a stated rate."""

    LINK = "link"
    CITATION = "citation"
    CONCLUSION = "conclusion"
    BOUND = "bound"
    RATE = "rate"
    EXTERNAL = "external fact"


def exact_expr(value: object, what: str) -> sp.Expr:
    """``value`` as a sympy expression of exact numbers: text is never parsed, and Floats (already rounded: the
    normal forms of ``(x + 1e20)**2`` and ``x**2 + 2e20 x + 1e40`` differ by ~1e23), infinities, NaN and the
    imaginary unit are refused with a ValueError naming ``what``."""
    expr = sp.sympify(value, strict=True)  # text raises SympifyError: it is never parsed
    if not isinstance(expr, sp.Expr):
        raise ValueError(f"{what}: expected a sympy expression, got {type(expr).__name__}")
    if expr.atoms(sp.Float):
        raise ValueError(f"{what}: sympy Floats are already rounded; write {sorted(expr.atoms(sp.Float))[0]} as a"
                         " Rational")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError(f"{what}: {sp.sstr(expr)} is not finite")
    if expr.has(sp.I):
        raise ValueError(f"{what}: {sp.sstr(expr)} has the imaginary unit; claims are about real numbers")
    return expr


@dataclass(frozen=True)
class StepContext:
    """What a rule checks: the step ``prev REL rhs``, the claim's hypotheses, and the lemma's domain box."""

    prev: sp.Expr
    rel: str
    rhs: sp.Expr
    hypotheses: tuple[Hypothesis, ...] = ()
    domain: Domain = field(default_factory=dict)

    @property
    def gap(self) -> sp.Expr:
        """What the step says is nonnegative (``rhs - prev`` for ``<=``, ``prev - rhs`` for ``>=``)."""
        return self.rhs - self.prev if self.rel == "<=" else self.prev - self.rhs

    @property
    def constraints(self) -> tuple[sp.Expr, ...]:
        """What a counterexample to the step's statement must make >= 0: the hypotheses' gaps, and the lemma's box
        (``s - lo``, ``hi - s``)."""
        box = tuple(e for s, (lo, hi) in self.domain.items() for e in (s - lo, hi - s))
        return tuple(h.gap for h in self.hypotheses) + box

    @property
    def refutable(self) -> bool:
        """Can a sampled point be checked against every hypothesis? Not when one is stated for every value of a
        variable: a point satisfies it only if it holds at all of them, which sampling cannot see."""
        return not any(h.forall for h in self.hypotheses)

    def slack_map(self) -> dict[sp.Symbol, sp.Expr]:
        return {h.slack: h.gap for h in self.hypotheses}


class Rule:
    """Base class of step justifications: a rule declares its data, its soundness argument and its check."""

    label: ClassVar[str] = "rule"
    #: The soundness argument in one line (docs/engine.md and the closing notes print it).
    soundness: ClassVar[str] = ""

    def check(self, step: StepContext) -> Verdict:
        """The verdict on ``step`` (see the module docstring)."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short text of the rule's data, for reports (``in v from lo to hi``)."""
        return ""

    def describe_tex(self, tex) -> str:
        """The same for LaTeX; ``tex`` renders an expression."""
        return ""

    def _validate(self, *names: str) -> None:
        for name in names:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, exact_expr(value, f"{self.label} {name}"))


# ------------------------------------------------------------------------------------------------ shared checks


def decide_witnessed(step: StepContext, gap: sp.Expr, witness: sp.Expr | None) -> Verdict:
    """``gap >= 0``: ``gap`` equals the witness (slacks substituted) and the witness is >= 0 by assumptions; with no
    witness, the gap's own sign (a counterexample must satisfy the hypotheses)."""
    if witness is None:
        return decide_nonneg(gap, step.constraints, search=step.refutable)
    summed = summed_pointwise(step, witness)
    if summed:
        return Verdict(UNDECIDED, summed)
    match = decide_zero(gap - witness.xreplace(step.slack_map()))
    if not match.ok:
        return Verdict(match.status, f"the witness does not equal the gap: {match.detail}")
    if is_nonneg(witness) or nonneg_on_box(witness, step):
        return Verdict(VERIFIED)
    return Verdict(UNDECIDED, f"sympy cannot decide that the witness {sp.sstr(witness)} is >= 0")


#: The most boxed symbols a witness is read through the covers of (2^k readings).
_MAX_BOX_READINGS = 3


def nonneg_on_box(expr: sp.Expr, step: StepContext, points: Cover | None = None) -> bool:
    """Is ``expr`` >= 0 at every point of the lemma's box: read with ``points`` and with each boxed symbol of it
    whose range lies inside its interval through that range's :class:`Cover` (every combination), each reading
    proved >= 0 by sympy's assumptions? Sound because a claim asserts its relation only on the box (a symbol whose
    box reaches outside its interval keeps its whole interval: a stronger demand)."""
    covers = [points] if points is not None else []
    for symbol in sorted(expr.free_symbols & set(step.domain), key=sp.default_sort_key):
        if points is not None and symbol == points.var:
            continue
        cover, _ = restriction(symbol, step)
        if cover is not None:
            covers.append(cover)
    if not covers or len(covers) > _MAX_BOX_READINGS:
        return False
    readings = [expr]
    for cover in covers:
        readings = [value for reading in readings for value in cover.of(reading)]
    return all(_finite_form(value) and is_nonneg(value) for value in readings)


def summed_pointwise(step: StepContext, witness: sp.Expr) -> str:
    """'' unless the witness sums, over an index, the slack of a hypothesis that mentions that index without being
    stated for every value of it (its slack stands for one value of the index only); else the reason."""
    by_slack = {h.slack: h for h in step.hypotheses}
    for slack, idx in slacks_under_sums(witness, by_slack):
        h = by_slack[slack]
        if idx in h.gap.free_symbols and idx not in h.forall:
            return f"the witness sums the slack of {h.name} over {idx}, but {h.name} is not stated for every {idx}"
        if idx in h.gap.free_symbols and idx in step.domain:
            lo, hi = step.domain[idx]
            return (f"the witness sums the slack of {h.name} over {idx}, but the lemma's box restricts {idx} to"
                    f" [{lo}, {hi}]: {h.name} holds only there, and the sum may range past it")
    return ""


def _holds_throughout(h: Hypothesis, var: sp.Symbol) -> bool:
    """Does ``h`` hold at every value of ``var``: it does not mention it, or it is stated for all of them?"""
    return var not in h.gap.free_symbols or var in h.forall


def witness_premises(step: StepContext, witness: sp.Expr | None, var: sp.Symbol) -> str:
    """'' when every hypothesis whose slack ``witness`` uses holds at every value of ``var`` and, if it mentions
    ``var``, is defined at every value of it; else the reason."""
    if witness is None:
        return ""
    used = witness.free_symbols
    for h in step.hypotheses:
        if h.slack not in used:
            continue
        if not _holds_throughout(h, var):
            return f"the witness uses {h.name}, known only at one value of {var}"
        if var in h.gap.free_symbols:
            condition = unproved_condition(h.gap)
            if condition is not None:
                return f"the witness uses {h.name}, not shown defined at every value of {var}: {condition}"
    return ""


def _unproved_in(f: sp.Expr, var: sp.Symbol, step: StepContext, points: Cover | None = None) -> str:
    """'' when ``f`` is differentiable in ``var`` on its whole domain at every point where the step's sides are
    defined: every side condition of a node that involves ``var`` is proved strictly (for all values of ``var`` and
    of the other symbols; with ``points``, at every point of that cover of a closed range of ``var``), and every
    node free of ``var`` -- a constant of the calculus argument -- is a part of the step's sides (so defined
    wherever they are) or has its conditions proved. Else the first failure."""
    sides = {node for side in (step.prev, step.rhs) for node in sp.preorder_traversal(side)}
    for condition in conditions(f, strict=True):
        if var in condition.origin.free_symbols:
            if points is not None:
                if not holds_on(condition.kind, condition.expr, points):
                    return (f"cannot show that f is defined and differentiable for every {var} in "
                            f"{points.interval}: {condition}")
            elif not proves(condition.kind, condition.expr):
                return f"cannot show that f is defined and differentiable for every {var}: {condition}"
        elif condition.origin not in sides and not proves("nonnegative" if condition.kind == "positive" and
                                                          condition.origin.is_Pow else condition.kind,
                                                          condition.expr):
            return f"cannot show that the part {sp.sstr(condition.origin)} of f (free of {var}) is defined"
    return ""


def calculus_domain(f: sp.Expr, var: sp.Symbol, step: StepContext) -> tuple[sp.Expr, sp.Symbol, str]:
    """``(f, var, '')`` when ``f`` is differentiable on the interval ``var`` ranges over (the lemma's box
    ``[a, b]`` when it restricts ``var``, see :func:`restriction`), or on its open interior with ``f`` continuous at
    the closed end 0 (then ``f`` and ``var`` are returned on the interior); else the reason in the third place."""
    domain = interval_class(var)
    if domain is None:
        return f, var, f"the domain of {var} is not an interval of the real line (its assumptions: {_assumed(var)})"
    reason = smooth_in(f, var)
    if reason:
        return f, var, f"f must be built from arithmetic, powers, exp and log for a calculus rule: {reason}"
    points, reason = restriction(var, step)
    if reason:
        return f, var, reason
    if points is not None:  # a closed range [a, b] from the lemma's box: f analytic at every point of it
        return f, var, _unproved_in(f, var, step, points)
    problem = _unproved_in(f, var, step)
    if not problem:
        return f, var, ""
    inner = interior(var)
    if inner is None:
        return f, var, problem
    f_inner = f.xreplace({var: inner})
    inside = _unproved_in(f_inner, inner, step)
    if inside:
        return f, var, inside
    at_zero = f.subs(var, 0)
    if not _finite_real(at_zero) or (at_zero.has(sp.zoo, sp.nan)):
        return f, var, f"cannot show that f is defined at the end {var} = 0"
    zero_condition = next((c for c in conditions(at_zero, strict=False) if not proves(c.kind, c.expr)), None)
    if zero_condition is not None:
        return f, var, f"cannot show that f is defined at the end {var} = 0: {zero_condition}"
    try:
        edge = sp.limit(f, var, 0, "+" if domain == "nonnegative" else "-")
    except (NotImplementedError, ValueError, TypeError):
        return f, var, f"cannot show that f is continuous at the end {var} = 0"
    if edge.is_finite is not True or not decide_zero(edge - at_zero).ok:
        return f, var, f"cannot show that f is continuous at the end {var} = 0"
    return f_inner, inner, ""


@dataclass(frozen=True)
class Cover:
    """Substitutions that together take ``var`` through every point of ``[lo, hi]`` and nowhere else:
    ``var = hi``, and ``var = lo + (hi - lo) t/(1 + t)`` for a dummy ``t >= 0`` (the half-open ``[lo, hi)``, onto).
    A fact proved at each substitution for every value of ``t`` holds at every point of the range. (The end comes
    first: a number, where a false premise is refuted at once.)"""

    var: sp.Symbol
    lo: sp.Rational
    hi: sp.Rational

    @property
    def interval(self) -> str:
        return f"[{self.lo}, {self.hi}]"

    def substitutions(self) -> tuple[dict[sp.Symbol, sp.Expr], ...]:
        t = sp.Dummy(f"{self.var.name}_t", nonnegative=True)
        return ({self.var: self.hi}, {self.var: self.lo + (self.hi - self.lo) * t / (1 + t)})

    def of(self, expr: sp.Expr) -> tuple[sp.Expr, ...]:
        """``expr`` read at each substitution (itself alone when it does not involve ``var``)."""
        if self.var not in expr.free_symbols:
            return (expr,)
        return tuple(expr.xreplace(sub) for sub in self.substitutions())


def restriction(var: sp.Symbol, step: StepContext) -> tuple[Cover | None, str]:
    """The cover of the closed range ``[a, b]`` the lemma's domain box gives ``var``, or None when the box does not
    mention it; the reason in the second place when it mentions it but ``[a, b]`` is not inside the interval of
    ``var``'s assumptions (both ends admitted: then the interval, being convex, holds the whole range).

    Sound because a claim of a lemma with a box asserts its relation only for the box's values of ``var``; a
    calculus variable that the claim does not mention is bound by the rule, and a fact of f on ``[a, b]`` proves
    ``f(hi) >= f(lo)`` for ends inside ``[a, b]`` alike."""
    if var not in step.domain:
        return None, ""
    if interval_class(var) is None:  # integers, or a line with holes: a range of it is not [a, b]
        return None, f"the domain of {var} is not an interval of the real line (its assumptions: {_assumed(var)})"
    lo, hi = step.domain[var]
    if not (admits(lo, var) and admits(hi, var)):
        return None, (f"the lemma's domain [{lo}, {hi}] of {var} is not inside the interval {var} ranges over (its"
                      f" assumptions: {_assumed(var)}), so it does not restrict {var} to a closed interval")
    return Cover(var, lo, hi), ""


def holds_on(kind: str, expr: sp.Expr, points: Cover) -> bool:
    """Does sympy prove ``expr`` nonzero / positive / nonnegative at every point of the cover (for every value of
    its dummy and of the other symbols)?"""
    return all(_finite_form(value) and proves(kind, value) for value in points.of(expr))


def _finite_form(expr: sp.Expr) -> bool:
    return not expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I)


def inside(end: sp.Expr, points: Cover) -> bool:
    """Is ``end`` in ``[a, b]`` (``end - a >= 0`` and ``b - end >= 0`` proved on the cover)?"""
    return holds_on("nonnegative", end - points.lo, points) and holds_on("nonnegative", points.hi - end, points)


def witnessed_on(step: StepContext, expr: sp.Expr, witness: sp.Expr | None, points: Cover) -> Verdict:
    """``expr >= 0`` at every point of the cover: with a witness, ``expr`` equals it (an identity, slacks
    substituted) and it is >= 0 on the cover; without, ``expr``'s own sign on the cover (a counterexample held to
    the hypotheses and the box that do not involve ``var``)."""
    if witness is not None:
        summed = summed_pointwise(step, witness)
        if summed:
            return Verdict(UNDECIDED, summed)
        match = decide_zero(expr - witness.xreplace(step.slack_map()))
        if not match.ok:
            return Verdict(match.status, f"the witness does not equal it: {match.detail}")
        if nonneg_on_box(witness, step, points):
            return Verdict(VERIFIED)
        return Verdict(UNDECIDED, f"sympy cannot decide that the witness {sp.sstr(witness)} is >= 0 for {points.var}"
                                  f" in {points.interval}")
    steady = [h for h in step.hypotheses if points.var not in h.gap.free_symbols]
    box = tuple(e for s, (lo, hi) in step.domain.items() if s != points.var for e in (s - lo, hi - s))
    constraints = tuple(h.gap for h in steady) + box
    for value in points.of(expr):
        if not _finite_form(value):
            return Verdict(UNDECIDED, f"{sp.sstr(expr)} is not defined at every {points.var} in {points.interval}")
        verdict = decide_nonneg(value, constraints, search=not any(h.forall for h in steady))
        if not verdict.ok:
            where = (f"at {points.var} = {points.hi}" if points.var in expr.free_symbols and value.is_number else
                     f"for {points.var} in {points.interval} (read at {points.var} = {points.lo} + "
                     f"({points.hi - points.lo}) t/(1 + t), t >= 0)")
            return Verdict(verdict.status, f"{where}: {verdict.detail}")
    return Verdict(VERIFIED)


def _finite_real(expr: sp.Expr) -> bool:
    return expr.is_real is True and not expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def interior(var: sp.Symbol) -> sp.Symbol | None:
    """The open interior of a closed half-line ``var`` ranges over (a positive or negative dummy), or None."""
    domain = interval_class(var)
    if domain == "nonnegative":
        return sp.Dummy(var.name, positive=True)
    if domain == "nonpositive":
        return sp.Dummy(var.name, negative=True)
    return None


def defined_where_step_is(end: sp.Expr, step: StepContext) -> bool:
    """Is ``end`` a finite real wherever the step's two sides are: a subtree of one of them (a tree is defined only
    if every subtree is), or defined at every point of its symbols' domains?"""
    if end.is_number:
        return _finite_real(end)
    for side in (step.prev, step.rhs):
        if any(node == end for node in sp.preorder_traversal(side)):
            return True
    return unproved_condition(end, strict=False) is None and end.is_real is True


def _assumed(var: sp.Symbol) -> str:
    stated = getattr(var, "_assumptions_orig", None) or var.assumptions0
    keys = sorted(k for k, v in stated.items() if v and k != "commutative")
    return ", ".join(keys) or "no assumptions"


def _inequality(step: StepContext, rule: str) -> Verdict | None:
    if step.rel == "==":
        return Verdict(FAILED, f"{rule} proves an inequality, not an equality")
    return None


# ------------------------------------------------------------------------------------------------------ rules


@dataclass(frozen=True)
class Algebra(Rule):
    """Equal by normal forms; or ``rhs - lhs`` equals ``witness`` (slacks substituted) and the witness is >= 0."""

    witness: sp.Expr | None = None
    label: ClassVar[str] = "algebra"
    soundness: ClassVar[str] = (
        "equality: the difference is 0 as a rational function of independent exp/log generators; inequality: the "
        "gap equals a witness that sympy's assumptions make >= 0 for all slacks >= 0 (at every point of the lemma's "
        "domain box: a boxed symbol may be read through the cover of its range, as for monotone)"
    )

    def __post_init__(self) -> None:
        self._validate("witness")

    def check(self, step: StepContext) -> Verdict:
        if step.rel == "==":
            if self.witness is not None:
                return Verdict(FAILED, "a witness justifies an inequality, not an equality")
            return decide_zero(step.prev - step.rhs, step.constraints, search=step.refutable)
        return decide_witnessed(step, step.gap, self.witness)


@dataclass(frozen=True)
class Monotone(Rule):
    """A step whose gap is ``f(hi) - f(lo)``: >= 0 because ``hi - lo >= 0`` and ``df/dvar >= 0`` on ``var``'s domain.

    ``gap_witness`` and ``derivative_witness`` play the role of :class:`Algebra`'s witness for the two side
    conditions (they may use hypothesis slacks; the derivative witness only those of hypotheses that hold at every
    value of ``var``); ``None`` means sympy must decide the sign on its own.
    """

    f: sp.Expr
    var: sp.Symbol
    lo: sp.Expr
    hi: sp.Expr
    gap_witness: sp.Expr | None = None
    derivative_witness: sp.Expr | None = None
    label: ClassVar[str] = "monotone"
    soundness: ClassVar[str] = (
        "mean value theorem: gap = f(hi) - f(lo), lo <= hi finite in the interval I of var (or in the lemma's "
        "domain [a, b] of var, inside I: every fact on it proved at var = a + (b - a) t/(1 + t) for all t >= 0 and "
        "at var = b), f differentiable on I (continuous at a closed end of a half-line), f' >= 0 on I"
    )

    def __post_init__(self) -> None:
        self._validate("f", "lo", "hi", "gap_witness", "derivative_witness")

    def describe(self) -> str:
        return f"in {self.var} from {sp.sstr(self.lo)} to {sp.sstr(self.hi)}"

    def describe_tex(self, tex) -> str:
        return rf" in ${tex(self.var)}$ from ${tex(self.lo)}$ to ${tex(self.hi)}$"

    def check(self, step: StepContext) -> Verdict:
        wrong = _inequality(step, "a monotonicity step")
        if wrong is not None:
            return wrong
        f, var, reason = calculus_domain(self.f, self.var, step)
        if reason:
            return Verdict(UNDECIDED, reason)
        reason = witness_premises(step, self.derivative_witness, self.var)
        if reason:
            return Verdict(UNDECIDED, reason)
        for end in (self.lo, self.hi):
            if not defined_where_step_is(end, step):
                return Verdict(
                    UNDECIDED,
                    f"cannot show that the end {sp.sstr(end)} is a finite real number wherever the step's sides are"
                    " (it is neither a part of them nor defined everywhere)",
                )
        ends = decide_zero(step.gap - (self.f.subs(self.var, self.hi) - self.f.subs(self.var, self.lo)))
        if not ends.ok:
            return Verdict(ends.status, f"the step's gap is not f(hi) - f(lo): {ends.detail}")
        points, _ = restriction(self.var, step)
        if points is None:
            order = decide_witnessed(step, self.hi - self.lo, self.gap_witness)
        else:  # the ends may mention var, which then takes only the values of [a, b]
            order = witnessed_on(step, self.hi - self.lo, self.gap_witness, points)
        if not order.ok:
            return Verdict(order.status, f"hi - lo >= 0: {order.detail}")
        if points is not None:
            for end in (self.lo, self.hi):
                if not inside(end, points):
                    return Verdict(UNDECIDED, f"cannot show that {sp.sstr(end)} lies in the lemma's domain "
                                              f"{points.interval} of {self.var}")
            slope = witnessed_on(step, sp.diff(self.f, self.var), self.derivative_witness, points)
            if not slope.ok:
                return Verdict(slope.status, f"d/d{self.var} >= 0: {slope.detail}")
            return Verdict(VERIFIED)
        for end in self._ends_to_place():
            if not admits(end, self.var):
                return Verdict(UNDECIDED, f"cannot show that {sp.sstr(end)} lies in the domain of {self.var}")
        slope = self._slope(step, f, var)
        if not slope.ok:
            return Verdict(slope.status, f"d/d{self.var} >= 0: {slope.detail}")
        return Verdict(VERIFIED)

    def _ends_to_place(self) -> tuple[sp.Expr, ...]:
        """The ends whose membership in the domain must be shown once ``lo <= hi`` is: a domain unbounded above
        holds ``hi`` as soon as it holds ``lo`` (and one unbounded below ``lo`` as soon as it holds ``hi``)."""
        domain = interval_class(self.var)
        if domain in ("real", "positive", "nonnegative") and admits(self.lo, self.var):
            return ()
        if domain in ("real", "negative", "nonpositive") and admits(self.hi, self.var):
            return ()
        return (self.lo, self.hi)

    def _slope(self, step: StepContext, f: sp.Expr, var: sp.Symbol) -> Verdict:
        """``f' >= 0`` at every value of ``var``; on a closed half-line where ``f`` is differentiable throughout, the
        sign may also be read on the open interior (``f`` is continuous at the end)."""
        verdict = self._slope_on(step, f, var)
        inner = interior(var) if var is self.var else None
        if verdict.status == UNDECIDED and inner is not None:
            inside = self._slope_on(step, f.xreplace({var: inner}), inner)
            if inside.status != UNDECIDED:
                return inside
        return verdict

    def _slope_on(self, step: StepContext, f: sp.Expr, var: sp.Symbol) -> Verdict:
        derivative = sp.diff(f, var)
        witness = self.derivative_witness
        if witness is not None and var is not self.var:
            witness = witness.xreplace({self.var: var})
            moved = tuple(_moved(h, self.var, var) for h in step.hypotheses)
            step = StepContext(step.prev, step.rel, step.rhs, moved, step.domain)
        if witness is None:
            # The derivative's sign must hold at every value of var; a counterexample may still be held to the
            # hypotheses (and the box) that do not involve var: they hold at every value of it.
            steady = [h for h in step.hypotheses if self.var not in h.gap.free_symbols]
            box = tuple(e for s, (lo, hi) in step.domain.items() if s != self.var for e in (s - lo, hi - s))
            constraints = tuple(h.gap for h in steady) + box
            return decide_nonneg(derivative, constraints, search=not any(h.forall for h in steady))
        return decide_witnessed(step, derivative, witness)


def _moved(h: Hypothesis, var: sp.Symbol, inner: sp.Symbol) -> Hypothesis:
    """``h`` read with ``var`` renamed (same slack), for a derivative read on a domain's interior."""
    return h.renamed({var: inner}) if var in h.gap.free_symbols else h


@dataclass(frozen=True)
class FirstDerivativeTest(Rule):
    """A step whose gap is ``f(var) - f(c)``: >= 0 on ``var``'s domain because ``f'(var) * (var - c) >= 0`` there.

    ``c`` must not depend on ``var``. ``derivative_witness``, if given, equals ``f'(var) * (var - c)`` and is >= 0
    by assumptions (slacks of hypotheses that hold at every value of ``var`` may appear).
    """

    f: sp.Expr
    var: sp.Symbol
    c: sp.Expr
    derivative_witness: sp.Expr | None = None
    label: ClassVar[str] = "first-derivative test"
    soundness: ClassVar[str] = (
        "gap = f(var) - f(c), c free of var and in the interval I of var (or in the lemma's domain [a, b] of var, "
        "read as for monotone), f differentiable on I (continuous at a closed end of a half-line), "
        "f'(v)(v - c) >= 0 on I, so f is smallest at c"
    )

    def __post_init__(self) -> None:
        self._validate("f", "c", "derivative_witness")

    def describe(self) -> str:
        return f"in {self.var} at {sp.sstr(self.c)}"

    def describe_tex(self, tex) -> str:
        return rf" in ${tex(self.var)}$ at ${tex(self.c)}$"

    def check(self, step: StepContext) -> Verdict:
        wrong = _inequality(step, "a first-derivative test")
        if wrong is not None:
            return wrong
        if self.var in self.c.free_symbols:
            return Verdict(UNDECIDED, f"the centre {sp.sstr(self.c)} depends on {self.var}; it must be fixed")
        f, var, reason = calculus_domain(self.f, self.var, step)
        if reason:
            return Verdict(UNDECIDED, reason)
        reason = witness_premises(step, self.derivative_witness, self.var)
        if reason:
            return Verdict(UNDECIDED, reason)
        points, _ = restriction(self.var, step)
        placed = admits(self.c, self.var) if points is None else inside(self.c, points)
        if not defined_where_step_is(self.c, step) or not placed:
            where = "the domain" if points is None else f"the lemma's domain {points.interval}"
            return Verdict(UNDECIDED, f"cannot show that {sp.sstr(self.c)} lies in {where} of {self.var}")
        ends = decide_zero(step.gap - (self.f - self.f.subs(self.var, self.c)))
        if not ends.ok:
            return Verdict(ends.status, f"the step's gap is not f({self.var}) - f(c): {ends.detail}")
        if points is not None:
            product = sp.diff(self.f, self.var) * (self.var - self.c)
            verdict = witnessed_on(step, product, self.derivative_witness, points)
            if not verdict.ok:
                return Verdict(verdict.status, f"f'({self.var})*({self.var} - c) >= 0: {verdict.detail}")
            return Verdict(VERIFIED)
        product = sp.diff(f, var) * (var - self.c)
        if self.derivative_witness is None:
            if is_nonneg(product):
                return Verdict(VERIFIED)
            return Verdict(UNDECIDED, f"sympy cannot decide the sign of f'({self.var})*({self.var} - {self.c})")
        witness = self.derivative_witness.xreplace({self.var: var})
        moved = tuple(_moved(h, self.var, var) for h in step.hypotheses)
        verdict = decide_witnessed(StepContext(step.prev, step.rel, step.rhs, moved, step.domain), product, witness)
        if not verdict.ok:
            return Verdict(verdict.status, f"f'({self.var})*({self.var} - c) >= 0: {verdict.detail}")
        return Verdict(VERIFIED)


#: In an :class:`Induction` witness: the nonnegative gap of the claim at ``var`` (the induction hypothesis).
INDUCTION_HYPOTHESIS = sp.Dummy("induction_hypothesis", nonnegative=True)


@dataclass(frozen=True)
class Induction(Rule):
    """A step whose gap ``g(var)`` is >= 0 for every integer ``var`` from its least value (0 for a nonnegative,
    1 for a positive integer): ``g`` there (``base_witness`` as in :class:`Algebra`), and ``g(var + 1)`` equals
    ``step_witness``, in which :data:`INDUCTION_HYPOTHESIS` stands for ``g(var)`` and slacks of hypotheses that
    hold for every ``var`` may appear, and which is >= 0."""

    var: sp.Symbol
    step_witness: sp.Expr
    base_witness: sp.Expr | None = None
    label: ClassVar[str] = "induction"
    soundness: ClassVar[str] = (
        "induction on the integers from var's least value: g defined there, g(m0) >= 0, g(m+1) = a witness >= 0 "
        "given g(m) >= 0 and hypotheses that hold (and are defined) at every m (so var is not boxed: a box "
        "restricts the hypotheses' forall to it)"
    )

    def __post_init__(self) -> None:
        self._validate("step_witness", "base_witness")

    def describe(self) -> str:
        return f"on {self.var}"

    def describe_tex(self, tex) -> str:
        return rf" on ${tex(self.var)}$"

    def check(self, step: StepContext) -> Verdict:
        wrong = _inequality(step, "an induction step")
        if wrong is not None:
            return wrong
        ray = integer_class(self.var)
        if ray is None:
            return Verdict(
                UNDECIDED,
                f"induction needs a variable that ranges over the integers from 0 or from 1 (integer and"
                f" nonnegative, or integer and positive, and nothing else); {self.var} is {_assumed(self.var)}",
            )
        least = sp.Integer(ray[1])
        if self.var in step.domain:
            lo, hi = step.domain[self.var]
            return Verdict(UNDECIDED, f"the lemma's box restricts {self.var} to [{lo}, {hi}]: a hypothesis stated"
                                      f" for every {self.var} holds only there, and induction needs it from"
                                      f" {self.var} = {least} on")
        reason = witness_premises(step, self.step_witness, self.var)
        if reason:
            return Verdict(UNDECIDED, reason.replace("the witness", "the induction step"))
        gap = step.gap
        condition = unproved_condition(gap)
        if condition is not None:
            return Verdict(UNDECIDED, f"cannot show that the gap is defined at every {self.var} >= {least}: "
                                      f"{condition}")
        base = decide_witnessed(step, gap.subs(self.var, least), self.base_witness)
        if not base.ok:
            return Verdict(base.status, f"base case {self.var} = {least}: {base.detail}")
        filled = self.step_witness.xreplace({**step.slack_map(), INDUCTION_HYPOTHESIS: gap})
        match = decide_zero(gap.subs(self.var, self.var + 1) - filled)
        if not match.ok:
            return Verdict(match.status, f"the gap at {self.var} + 1 is not the step witness: {match.detail}")
        if not is_nonneg(self.step_witness):
            return Verdict(UNDECIDED, f"sympy cannot decide that the step witness {sp.sstr(self.step_witness)} is"
                                      " >= 0")
        return Verdict(VERIFIED)


@dataclass(frozen=True)
class Box(Rule):
    """``prev REL rhs`` for every point of the lemma's ``domain``, by interval evaluation with subdivision
    (:func:`rlhfsym.interval.prove_le`) within ``max_boxes`` boxes (a count: verdicts never depend on the machine's
    speed) and, if given, a wall-clock deadline of ``max_seconds``; every symbol of the step needs a range."""

    max_boxes: int = 20_000
    max_seconds: float | None = None
    label: ClassVar[str] = "box"
    soundness: ClassVar[str] = (
        "certified interval enclosures of rhs - prev are >= 0 on a cover of the lemma's domain box; a refutation "
        "only at an admissible point where the hypotheses are certified"
    )

    def __post_init__(self) -> None:
        if isinstance(self.max_boxes, bool) or not isinstance(self.max_boxes, int) or self.max_boxes < 1:
            raise ValueError(f"box max_boxes must be an integer >= 1, got {self.max_boxes!r}")

    def check(self, step: StepContext) -> Verdict:
        wrong = _inequality(step, "a box")
        if wrong is not None:
            return wrong
        return box_verdict(step, self.max_boxes, self.max_seconds)


def box_verdict(step: StepContext, max_boxes: int, max_seconds: float | None = None) -> Verdict:
    """``prev REL rhs`` on every point of the step's domain box by interval arithmetic with subdivision."""
    small, large = (step.prev, step.rhs) if step.rel == "<=" else (step.rhs, step.prev)
    symbols = (small - large).free_symbols
    missing = sorted(str(s) for s in symbols if s not in step.domain)
    if missing:
        return Verdict(UNDECIDED, f"no box: the lemma declares no range for {', '.join(missing)}")
    box = {s: (_fraction(lo), _fraction(hi)) for s, (lo, hi) in step.domain.items() if s in symbols}
    try:
        result = prove_le(small, large, box, max_boxes=max_boxes, max_seconds=max_seconds)
    except RlhfsymError as err:  # an operation outside the interval whitelist, a range outside a symbol's sign
        return Verdict(UNDECIDED, f"interval arithmetic cannot check the step on the box: {err}")
    where = ", ".join(f"{s} in [{lo}, {hi}]" for s, (lo, hi) in sorted(box.items(), key=lambda kv: str(kv[0])))
    if result.status == "proved":
        return Verdict(VERIFIED, f"proved on the box {where} by interval subdivision ({result.boxes} boxes)")
    if result.status == "refuted":
        point = dict(result.counterexample)
        shown = ", ".join(f"{s}={v}" for s, v in sorted(point.items(), key=lambda kv: str(kv[0])))
        blocked = _inadmissible(step, point)
        if blocked:
            return Verdict(UNDECIDED, f"box {where}: false at {shown}, but {blocked}; undecided")
        return Verdict(FAILED, f"refuted on the box at {shown} (certified)")
    return Verdict(UNDECIDED, f"box {where}: undecided after {result.boxes} boxes ({result.detail})")


def _fraction(x: sp.Rational) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _inadmissible(step: StepContext, point: Mapping[sp.Symbol, Fraction]) -> str:
    """'' when the point is admitted by every symbol's assumptions and every hypothesis is certified there."""
    values = {s: sp.Rational(v.numerator, v.denominator) for s, v in point.items()}
    for s, v in values.items():
        if not admits(v, s):
            return f"{s} = {v} is not a value {s} takes"
    for h in step.hypotheses:
        gap = h.gap
        if h.forall:
            return f"hypothesis {h.name} is stated for every {', '.join(map(str, h.forall))}: one point cannot show it"
        if not gap.free_symbols <= set(values):
            return f"hypothesis {h.name} involves symbols outside the box"
        try:
            holds = enclose(gap, {s: values[s] for s in gap.free_symbols}).ge(0)
        except RlhfsymError:
            return f"hypothesis {h.name} cannot be evaluated there"
        if holds is not Decision.TRUE:
            return f"hypothesis {h.name} is not certified to hold there"
    return ""


#: Each rule's soundness argument, by label (docs/engine.md prints this table).
SOUNDNESS: dict[str, str] = {rule.label: rule.soundness for rule in (Algebra, Monotone, FirstDerivativeTest,
                                                                       Induction, Box)}
