"""Adversarial suite of the lemma checker (issue "A checker that never certifies a false statement").

Every FALSE claim below comes with an explicit counterexample: a point (exact rationals, and a formula for every
unknown function) that the symbols' assumptions admit, inside the lemma's ``domain`` box, where every assumption of
the claim holds, where every node of both sides is a finite real number, and where the relation is false. The test
evaluates that point *before* it asks the engine (exactly, or to 100 digits with a margin), so that no case can pass
vacuously; then the engine must not say ``verified``. Every TRUE claim must not come back ``failed`` (a refutation
that ignores an assumption, a hypothesis or the lemma's box).

HOLES THIS SUITE FOUND -- the engine said ``verified`` of a FALSE claim; each is closed now, and its cases are the
regression tests (the fixes: discharges must be well founded, a forall citation may not move a boxed value, sign
readings trust only the functions of domains.TRUSTED_FUNCTIONS, a domain box must hold a value of its symbol):

* ``hole-circular-discharge`` and ``hole-circular-discharge-same-lemma``: two citations of the claim "x <= 0 if
  x <= 0" discharge each other's hypothesis, so "x <= 0" is verified with no assumption, and a third lemma derives
  0 <= -1. A citation is accepted as discharger (citations.py, premise 4) although it is itself only proved from the
  hypotheses it is asked to discharge: the discharge relation is never checked for cycles.
* ``hole-forall-citation-of-boxed-lemma-monotone``, ``hole-forall-citation-of-boxed-lemma-same-lemma`` and
  ``hole-forall-citation-of-boxed-lemma-induction``: a claim proved on the box t in [0, 1] is cited ``forall=(t,)``;
  Monotone (and Induction) then use it at every t of the real line (of the integers from 0), and prove 0 <= -4 (and
  0 <= (m^2 - 11 m)/2 at m = 5). The box check of citations.py (premise 2) only certifies the *free* occurrence of t
  at the citing lemma's point; a ``forall`` citation is not confined to the box, and witness_premises (rules.py)
  accepts it as "holding at every value of var".
* ``hole-sympy-atan-*``: sympy 1.14 reads atan(m) > 0 for a nonnegative integer m and atan(n) != 0 for an integer
  (or rational) n, but atan(0) = 0. The Algebra rule trusts the sign (decide.is_nonneg), so 1 <= ceiling(atan(m))
  is verified, false at m = 0; ``admits`` admits atan(m) as a value of a positive symbol, so a citation carries
  "1 <= ceiling(p) for p > 0" to p = atan(0) = 0.
* ``hole-empty-box-intermediate-integer`` and ``hole-empty-box-intermediate-odd``: a chain passes through a symbol
  that is not in the claim, and the lemma's box holds no value that symbol takes (an integer y in [1/3, 2/3], an odd
  k in [0, 0]). Each step is true at every admissible point -- there is none for the Box step, which the interval
  proof on the real box establishes anyway --, and the chain concludes 0 <= -1/5 (and 1 <= 0). Chaining
  ``L <= E(y) <= R`` into ``L <= R`` needs some admissible y in the box; neither check.py's conclusion nor the Box
  rule (rules.py: "every symbol of the step has a rational range") checks that the range meets the symbol's
  domain (integrality, parity).

The bespoke ``test_the_circular_discharge_gives_zero_le_minus_one_with_no_assumption`` is the minimal reproduction
of the first hole.

FALSE ALARMS THIS SUITE FOUND -- the engine said ``failed`` of a TRUE claim; each is closed now (a counterexample
must make every node of the tree defined, satisfy the hypotheses that hold at every value of a calculus variable,
and lie in the lemma's box):

* ``alarm-sqrt-product-*``: sqrt(x) sqrt(y) = sqrt(x y) for real x, y holds wherever both sides are defined
  (x, y >= 0), but decide._search evaluates the residual at x, y < 0, where sqrt(x) is imaginary and the product
  real: the counterexample search checks that the *value* is real, not that every node of the tree is.
* ``alarm-monotone-slope-ignores-hypotheses``: a x <= a y from x <= y and 0 <= a by Monotone in v of a v; the
  derivative a is sampled at a < 0, which the hypothesis 0 <= a (it does not mention v, so it holds at every v)
  excludes: Monotone._slope_on searches with no constraints.
* ``alarm-search-ignores-the-lemma-box-*``: an Algebra step true on the lemma's domain box (5 <= k for k in
  [5, 8]; x^2 <= 1 for x in [-1/2, 1/2]) is refuted by the random search outside the box, so the box fallback of
  check_step never runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
import sympy as sp

from rlhfsym.chain import (
    FAILED,
    INDUCTION_HYPOTHESIS,
    VERIFIED,
    Algebra,
    Box,
    Claim,
    CompositionError,
    Derivation,
    FirstDerivativeTest,
    Hypothesis,
    Induction,
    Lemma,
    Monotone,
    Registry,
    RegistryError,
    calc,
    check_lemma,
    check_lemmas,
)

IH = INDUCTION_HYPOTHESIS
R = sp.Rational

x, y, z, v, s, t = sp.symbols("x y z v s t", real=True)
p, q, r = sp.symbols("p q r", positive=True)
h0 = sp.Symbol("h0", nonnegative=True)
u = sp.Symbol("u", negative=True)
m = sp.Symbol("m", integer=True, nonnegative=True)
j = sp.Symbol("j", integer=True, positive=True)
n = sp.Symbol("n", integer=True)
k = sp.Symbol("k", integer=True, odd=True)
e = sp.Symbol("e", integer=True, even=True)
a = sp.Function("a", real=True)

# --------------------------------------------------------------------------------------------------------- helpers


def one_step(lhs, rel: str, rhs, rule=None, hypotheses: tuple = (), label: str = "main") -> Claim:
    link = (rel, rhs, "the step under attack") if rule is None else (rel, rhs, "the step under attack", rule)
    return Claim(label, lhs, rel, rhs, calc(link), hypotheses=hypotheses)


def lemma(name: str, *claims: Claim, **kw) -> Lemma:
    return Lemma(name, f"statement of {name}", "adversarial test", claims=claims, **kw)


def single(name: str, lhs, rel: str, rhs, rule=None, hypotheses: tuple = (), **kw) -> list[Lemma]:
    """A one-lemma, one-claim, one-step build."""
    return [lemma(name, one_step(lhs, rel, rhs, rule, hypotheses), **kw)]


@dataclass(frozen=True)
class Statement:
    """What a claim asserts: ``lhs REL rhs`` wherever its assumptions hold, inside ``domain``."""

    lhs: sp.Expr
    rel: str
    rhs: sp.Expr
    assumptions: tuple[Hypothesis, ...] = ()
    domain: Mapping[sp.Symbol, tuple] = field(default_factory=dict)


def statement_of(target: Lemma, label: str) -> Statement:
    claim = next(c for c in target.claims if c.label == label)
    assumptions = tuple(h for h in (*target.hypotheses, *claim.hypotheses) if h.by is None)
    return Statement(claim.lhs, claim.rel, claim.rhs, assumptions, target.domain)


_DIGITS = 100
_MARGIN = sp.Float("1e-60", _DIGITS)


def _substitute(expr: sp.Expr, point: Mapping[Any, Any]) -> sp.Expr:
    """``expr`` at ``point``: symbols by their values, unknown functions by the given formulas."""
    values = {key: sp.sympify(val) for key, val in point.items() if isinstance(key, sp.Symbol)}
    out = sp.sympify(expr).xreplace(values)
    for key, formula in point.items():
        if not isinstance(key, sp.Symbol):
            out = out.replace(key, formula)
    return out.doit()


def _finite_real(value: sp.Expr) -> bool:
    number = sp.N(value, _DIGITS)
    return bool(number.is_number and number.is_real and number.is_finite and not number.has(sp.zoo, sp.nan))


def defined_at(expr: sp.Expr, point: Mapping[Any, Any]) -> bool:
    """Is every node of ``expr`` a finite real number at ``point`` (the engine's meaning of 'defined')?"""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Expr) and not _finite_real(_substitute(node, point)):
            return False
    return True


def _sign(expr: sp.Expr) -> int:
    """The sign of an exact real number: exact for rationals, else at 100 digits with a margin."""
    value = sp.nsimplify(expr) if expr.is_Rational else expr
    if value.is_Rational:
        return int(sp.sign(value))
    number = sp.N(value, _DIGITS)
    assert abs(number) > _MARGIN, f"too close to 0 to decide: {value}"
    return 1 if number > 0 else -1


def _admits(symbol: sp.Symbol, value: sp.Expr) -> bool:
    """Does the concrete number ``value`` have every property that ``symbol``'s assumptions state?"""
    value = sp.nsimplify(sp.sympify(value))
    for key, holds in symbol.assumptions0.items():
        if key == "commutative" or holds is None:
            continue
        if getattr(value, f"is_{key}") is not holds:
            return False
    return True


def holds_at(gap: sp.Expr, point: Mapping[Any, Any]) -> bool:
    if not defined_at(gap, point):
        return False
    value = _substitute(gap, point)
    return value == 0 or _sign(value) > 0


def _grid(symbol: sp.Symbol) -> list[sp.Rational]:
    candidates = [sp.Rational(i, 4) for i in range(-80, 81)] if not symbol.is_integer else list(range(-40, 41))
    return [sp.sympify(c) for c in candidates if _admits(symbol, c)]


def holds_for_every(h: Hypothesis, point: Mapping[Any, Any]) -> bool:
    """A hypothesis stated for every value of its ``forall`` variables: it holds wherever it is defined on a grid
    of their values (a finite check of the counterexample's honesty; the cases use gaps such as 0 and 1/v^2)."""
    (var,) = h.forall
    points = ({**point, var: value} for value in _grid(var))
    return all(holds_at(h.gap, at) for at in points if defined_at(h.gap, at))


def assert_false_at(st: Statement, point: Mapping[Any, Any]) -> None:
    """The counterexample is genuine: admissible, in the box, assumptions hold, both sides defined, relation false."""
    symbols = set(st.lhs.free_symbols | st.rhs.free_symbols)
    for h in st.assumptions:
        symbols |= h.gap.free_symbols - set(h.forall)
    for sym in symbols:
        assert sym in point, f"the counterexample gives no value for {sym}"
        assert _admits(sym, point[sym]), f"{sym} = {point[sym]} is not a value of {sym}"
        if sym in st.domain:
            lo, hi = st.domain[sym]
            assert sp.Rational(lo) <= point[sym] <= sp.Rational(hi), f"{sym} = {point[sym]} is outside the box"
    for h in st.assumptions:
        if h.forall:
            assert holds_for_every(h, point), f"the assumption {h} (for every {h.forall}) fails on the grid"
        else:
            assert holds_at(h.gap, point), f"the assumption {h} does not hold at the counterexample"
    assert defined_at(st.lhs, point) and defined_at(st.rhs, point), "a side is not defined at the counterexample"
    lhs, rhs = _substitute(st.lhs, point), _substitute(st.rhs, point)
    if st.rel == "==":
        difference = sp.simplify(lhs - rhs)
        assert difference != 0 and _sign(difference) != 0, f"{st.lhs} == {st.rhs} holds at {point}"
    else:
        gap = rhs - lhs if st.rel == "<=" else lhs - rhs
        assert gap != 0 and _sign(gap) < 0, f"{st.lhs} {st.rel} {st.rhs} holds at {point}"


def assert_true_at(st: Statement, point: Mapping[Any, Any]) -> None:
    """A sanity check of a TRUE case: where the assumptions hold and both sides are defined, the relation holds."""
    if not all(holds_at(h.gap, point) for h in st.assumptions if not h.forall):
        return
    if not (defined_at(st.lhs, point) and defined_at(st.rhs, point)):
        return
    lhs, rhs = _substitute(st.lhs, point), _substitute(st.rhs, point)
    if st.rel == "==":
        difference = sp.simplify(lhs - rhs)
        assert difference == 0 or abs(sp.N(difference, _DIGITS)) < _MARGIN, (st, point)
    else:
        gap = rhs - lhs if st.rel == "<=" else lhs - rhs
        assert gap == 0 or sp.N(gap, _DIGITS) > -_MARGIN, (st, point)


@dataclass(frozen=True)
class Case:
    """One attack: the rule and the premise of its soundness argument attacked, the lemmas (dependency order, the
    target last), the claim of the target, and the counterexample (FALSE cases) or sample points (TRUE cases)."""

    id: str
    rule: str
    premise: str
    build: Callable[[], Sequence[Lemma]]
    point: Mapping[Any, Any] = field(default_factory=dict)
    label: str = "main"
    #: The statement to evaluate when building the lemmas is itself refused (a CompositionError, a RegistryError).
    statement: Callable[[], Statement] | None = None
    refusals: tuple[type[BaseException], ...] = ()
    samples: tuple[Mapping[Any, Any], ...] = ()
    #: The lemma whose claim is attacked (an index into the build; the last by default).
    target: int = -1


def target_report(lemmas: Sequence[Lemma], target: int = -1):
    return check_lemmas(list(lemmas))[target]


def _table(values: Mapping[int, int], default: int = 0) -> Callable[[sp.Expr], sp.Expr]:
    """An unknown function given by a table of its values at integers (``default`` elsewhere)."""
    return lambda i: sp.Integer(values.get(int(i), default))


# ==================================================================================================== FALSE claims


def _hx(rel: str = "<=", rhs=0, name: str = "hx", lhs=None) -> Hypothesis:
    return Hypothesis(name, x if lhs is None else lhs, rel, rhs)


# ---- Algebra: equalities ---------------------------------------------------------------------------------------

ALGEBRA_EQ = [
    Case("alg-eq-square-without-cross-term", "Algebra ==", "normal form 0",
         lambda: single("a1", (x + 1) ** 2, "==", x**2 + 1), {x: 1}),
    Case("alg-eq-exp-of-sum-is-sum-of-exps", "Algebra ==", "exp generators",
         lambda: single("a2", sp.exp(x + y), "==", sp.exp(x) + sp.exp(y)), {x: 0, y: 0}),
    Case("alg-eq-log-of-product-is-product-of-logs", "Algebra ==", "log generators",
         lambda: single("a3", sp.log(p * q), "==", sp.log(p) * sp.log(q)), {p: 2, q: 2}),
    Case("alg-eq-log-of-square-is-log", "Algebra ==", "log expansion",
         lambda: single("a4", sp.log(p**2), "==", sp.log(p)), {p: 2}),
    Case("alg-eq-exp-2x-is-2-exp-x", "Algebra ==", "exp Laurent monomials",
         lambda: single("a5", sp.exp(2 * x), "==", 2 * sp.exp(x)), {x: 0}),
    Case("alg-eq-sqrt-of-square-is-identity", "Algebra ==", "fractional power of a possibly negative base",
         lambda: single("a6", sp.sqrt(x**2), "==", x), {x: -1}),
    Case("alg-eq-domain-changing-cancellation-wrong-sign", "Algebra ==", "cancellation",
         lambda: single("a7", (x**2 - 1) / (x - 1), "==", x - 1), {x: 0}),
    Case("alg-eq-x-over-x-is-x", "Algebra ==", "cancellation",
         lambda: single("a8", x / x, "==", x), {x: 2}),
    Case("alg-eq-log-exp-shifted", "Algebra ==", "log(exp) normal form",
         lambda: single("a9", sp.log(sp.exp(x)), "==", x + 1), {x: 0}),
    Case("alg-eq-root-product-is-root-of-sum", "Algebra ==", "fractional powers",
         lambda: single("a10", sp.sqrt(p) * sp.sqrt(q), "==", sp.sqrt(p + q)), {p: 1, q: 1}),
    Case("alg-eq-cube-root-of-cube-shifted", "Algebra ==", "fractional powers",
         lambda: single("a11", (p**3) ** R(1, 3), "==", p + 1), {p: 1}),
    Case("alg-eq-exp-exp-minus-is-exp", "Algebra ==", "exp generators",
         lambda: single("a12", sp.exp(x) * sp.exp(-x), "==", sp.exp(x)), {x: 1}),
    Case("alg-eq-equality-with-a-witness", "Algebra ==", "a witness proves an inequality only",
         lambda: single("a13", x, "==", x + 1, Algebra(sp.S.One)), {x: 0}),
    Case("alg-eq-abs-under-a-hypothesis", "Algebra ==", "constraints never prove an identity",
         lambda: single("a14", sp.Abs(x), "==", x, hypotheses=(_hx(),)), {x: -1}),
    Case("alg-eq-odd-power-of-minus-one", "Algebra ==", "parity assumptions",
         lambda: single("a15", (-1) ** k, "==", sp.S.One), {k: 1}),
    Case("alg-eq-square-mod-three", "Algebra ==", "integer symbols",
         lambda: single("a16", sp.Mod(n**2, 3), "==", sp.S.One), {n: 3}),
    Case("alg-eq-minus-one-power-shift", "Algebra ==", "integer powers",
         lambda: single("a17", (-1) ** n, "==", (-1) ** (n + 1)), {n: 0}),
    Case("alg-eq-cos-pi-n", "Algebra ==", "integer symbols",
         lambda: single("a18", sp.cos(sp.pi * n), "==", sp.S.One), {n: 1}),
    Case("alg-eq-floor-is-identity", "Algebra ==", "function atoms are generators",
         lambda: single("a19", sp.floor(x), "==", x), {x: R(1, 2)}),
    Case("alg-eq-factorial-recursion-off-by-one", "Algebra ==", "function atoms",
         lambda: single("a20", sp.factorial(m + 1), "==", (m + 1) * sp.factorial(m) + 1), {m: 0}),
    Case("alg-eq-abs-is-identity", "Algebra ==", "function atoms",
         lambda: single("a21", sp.Abs(x), "==", x), {x: -1}),
    Case("alg-eq-exp-log-of-real-squared", "Algebra ==", "exp(log) of a possibly negative argument",
         lambda: single("a22", sp.exp(sp.log(x**2) / 2), "==", x), {x: -1}),
]

# ---- Algebra: inequalities ---------------------------------------------------------------------------------------

_rev = Hypothesis("rev", x, ">=", z)
_foreign = Hypothesis("foreign", x, "<=", z)
_ab = Hypothesis("ab", x, "<=", y)
_nonneg = Hypothesis("nonneg", 0, "<=", x)

ALGEBRA_LE = [
    Case("alg-le-witness-is-not-the-gap", "Algebra <=", "gap equals the witness",
         lambda: single("b1", x, "<=", x - 1, Algebra(sp.S.One)), {x: 0}),
    Case("alg-le-square-below-itself", "Algebra <=", "sign by assumptions",
         lambda: single("b2", x**2, "<=", x), {x: 2}),
    Case("alg-le-exp-below-tangent", "Algebra <=", "sign by assumptions",
         lambda: single("b3", sp.exp(x), "<=", 1 + x), {x: 1}),
    Case("alg-ge-log-above-tangent", "Algebra >=", "sign by assumptions",
         lambda: single("b4", sp.log(p), ">=", p - 1), {p: 2}),
    Case("alg-le-log-of-real-nonneg", "Algebra <=", "log of a possibly negative argument",
         lambda: single("b5", sp.S.Zero, "<=", sp.log(x)), {x: R(1, 2)}),
    Case("alg-le-cube-nonneg", "Algebra <=", "sign by assumptions",
         lambda: single("b6", sp.S.Zero, "<=", x**3), {x: -1}),
    Case("alg-le-witness-from-a-reversed-hypothesis", "Algebra <=", "slacks are the hypotheses' own gaps",
         lambda: single("b7", x, "<=", z, Algebra(_rev.slack), (_rev,)), {x: 1, z: 0}),
    Case("alg-le-witness-from-a-foreign-hypothesis", "Algebra <=", "slacks of the claim's hypotheses only",
         lambda: single("b8", x, "<=", z, Algebra(_foreign.slack)), {x: 1, z: 0}),
    Case("alg-le-witness-equal-but-negative", "Algebra <=", "the witness is >= 0",
         lambda: single("b9", sp.S.Zero, "<=", -(x**2) - 1, Algebra(-(x**2) - 1)), {x: 0}),
    Case("alg-le-slack-with-the-wrong-coefficient", "Algebra <=", "gap equals the witness",
         lambda: single("b10", 2 * x, "<=", y, Algebra(2 * _ab.slack), (_ab,)), {x: 1, y: 1}),
    Case("alg-le-log-squared-minus-one", "Algebra <=", "log of a possibly negative argument",
         lambda: single("b11", sp.S.One, "<=", sp.log(x) ** 2), {x: 1}),
    Case("alg-le-cube-root-below-identity", "Algebra <=", "fractional power of a possibly negative base",
         lambda: single("b12", x ** R(1, 3), "<=", x), {x: R(1, 8)}),
    Case("alg-le-abs-below-identity", "Algebra <=", "fractional power of a possibly negative base",
         lambda: single("b13", sp.sqrt(x**2), "<=", x), {x: -1}),
    Case("alg-le-witness-through-a-square-root", "Algebra <=", "the witness's sign",
         lambda: single("b14", sp.S.Zero, "<=", x, Algebra(sp.sqrt(x) ** 2)), {x: -1}),
    Case("alg-le-integer-nonneg", "Algebra <=", "integer symbols",
         lambda: single("b15", sp.S.Zero, "<=", n), {n: -1}),
    Case("alg-le-integer-cubic", "Algebra <=", "integer symbols",
         lambda: single("b16", sp.S.Zero, "<=", n**3 - n - 1), {n: 1}),
    Case("alg-le-odd-nonneg", "Algebra <=", "parity symbols",
         lambda: single("b17", sp.S.Zero, "<=", k), {k: -1}),
    Case("alg-le-even-square-at-least-one", "Algebra <=", "parity symbols",
         lambda: single("b18", sp.S.One, "<=", e**2), {e: 0}),
    Case("alg-le-under-a-hypothesis-false-inside-it", "Algebra <=", "counterexample respects hypotheses",
         lambda: single("b19", x, "<=", x**2, hypotheses=(_nonneg,)), {x: R(1, 2)}),
    Case("alg-le-witness-slack-squared", "Algebra <=", "gap equals the witness",
         lambda: single("b20", sp.S.Zero, "<=", x - 1, Algebra(_nonneg.slack**2), (_nonneg,)), {x: R(1, 2)}),
    Case("alg-le-negative-symbol-above-half", "Algebra <=", "sign assumptions",
         lambda: single("b21", u / 2, "<=", u), {u: -1}),
    Case("hole-sympy-atan-ceiling", "Algebra <=", "sympy's sign of atan(m) (trusted by is_nonneg)",
         lambda: single("b22", sp.S.One, "<=", sp.ceiling(sp.atan(m))), {m: 0}),
    Case("hole-sympy-atan-floor", "Algebra <=", "sympy's sign of atan(m) (trusted by is_nonneg)",
         lambda: single("b23", sp.floor(-sp.atan(m)), "<=", sp.S(-1)), {m: 0}),
    Case("hole-sympy-atan-nonzero", "Algebra <=", "sympy's atan(n) != 0 (trusted by is_nonneg)",
         lambda: single("b24", sp.S.One, "<=", sp.ceiling(sp.Abs(sp.atan(n)))), {n: 0}),
    # The sign reading splits |v| of a real symbol into the cases v >= 0 and v <= 0; both cases must read.
    Case("alg-le-abs-split-one-case-only", "Algebra <=", "abs split: every sign case reads",
         lambda: single("b25", sp.S.Zero, "<=", sp.Abs(x) - 2 * x), {x: 1}),
    Case("alg-le-abs-split-odd-product", "Algebra <=", "abs split: every sign case reads",
         lambda: single("b26", sp.S.Zero, "<=", x * sp.Abs(x)), {x: -1}),
    Case("alg-le-abs-split-beyond-the-split-limit", "Algebra <=", "abs split: unsplit absolute values stay opaque",
         lambda: single("b27", sp.S.Zero, "<=", sp.Abs(x) + sp.Abs(y) - x - y + sp.Abs(z) - 2 * z), {x: 0, y: 0, z: 1}),
    Case("alg-le-abs-split-loses-integrality", "Algebra <=", "abs split: the cases keep no other assumption",
         lambda: single("b28", sp.S.One, "<=", sp.Abs(n)), {n: 0}),
    Case("alg-le-abs-split-of-a-compound-argument", "Algebra <=", "abs split: |e| is e or -e, both forms must read",
         lambda: single("b29", sp.S.Zero, "<=", sp.Abs(x - 1) - x), {x: 1}),
    Case("alg-le-abs-split-reversed-triangle", "Algebra <=", "abs split: |e| is e or -e, both forms must read",
         lambda: single("b30", sp.Abs(x) + sp.Abs(y), "<=", sp.Abs(x + y)), {x: 1, y: -1}),
    Case("alg-le-abs-split-compound-minus-one", "Algebra <=", "abs split: |e| is e or -e, both forms must read",
         lambda: single("b31", sp.S.One, "<=", sp.Abs(x - y)), {x: 0, y: 0}),
    Case("alg-le-abs-split-difference-of-abs", "Algebra <=", "abs split: |e| is e or -e, both forms must read",
         lambda: single("b32", sp.S.Zero, "<=", sp.Abs(x) - sp.Abs(x - 1)), {x: 0}),
    Case("alg-le-abs-split-of-a-non-real-argument", "Algebra <=", "abs split: only real arguments are split",
         lambda: single("b33", sp.S.Zero, "<=", sp.Abs(sp.sqrt(x) - 1) - sp.sqrt(x) - 1), {x: 4}),
]

# ---- Monotone -----------------------------------------------------------------------------------------------------

_xz = Hypothesis("xz", x, "<=", z)
_v_ge_one = Hypothesis("v_ge_one", 1, "<=", v, "known at one v only")
_pole = Hypothesis("pole", 0, "<=", v**-2, "1/v^2 >= 0 where defined", forall=(v,))
_w = sp.Symbol("w", positive=True)
_nonpos = sp.Symbol("w0", nonpositive=True)
_nonzero = sp.Symbol("w1", real=True, nonzero=True)
_rational = sp.Symbol("w2", rational=True)
_jump = sp.Piecewise((v, v < 0), (v - 1, True))


def _boxed_forall_monotone() -> list[Lemma]:
    boxed = lemma("t_le_one_on_unit", one_step(t, "<=", sp.S.One, Box()), domain={t: (0, 1)})
    cited = Hypothesis("h", t, "<=", 1, by="t_le_one_on_unit#main", forall=(t,))
    f = t - t**2 / 2  # f' = 1 - t, the slack of the citation
    rule = Monotone(f, t, sp.S.Zero, sp.S(4), derivative_witness=cited.slack)
    user = lemma("zero_le_neg_four", one_step(sp.S.Zero, "<=", sp.S(-4), rule, (cited,)),
                 depends_on=(boxed.name,), domain={t: (0, 1)})
    return [boxed, user]


def _boxed_forall_same_lemma() -> list[Lemma]:
    first = one_step(t, "<=", sp.S.One, Box(), label="on_box")
    cited = Hypothesis("h", t, "<=", 1, by="#on_box", forall=(t,))
    rule = Monotone(t - t**2 / 2, t, sp.S.Zero, sp.S(4), derivative_witness=cited.slack)
    return [lemma("same_lemma_box_forall", first, one_step(sp.S.Zero, "<=", sp.S(-4), rule, (cited,)),
                  domain={t: (0, 1)})]


MONOTONE = [
    Case("mono-decreasing-cube", "Monotone", "f' >= 0",
         lambda: single("c1", sp.S.Zero, "<=", sp.S(-1), Monotone(-(v**3), v, sp.S.Zero, sp.S.One)), {}),
    Case("mono-ends-reversed", "Monotone", "hi - lo >= 0",
         lambda: single("c2", sp.S.One, "<=", sp.S.Zero, Monotone(v**3, v, sp.S.One, sp.S.Zero)), {}),
    Case("mono-lower-end-outside-positive-domain", "Monotone", "lo in I",
         lambda: single("c3", sp.S.One, "<=", sp.S(-1), Monotone(-1 / _w, _w, sp.S(-1), sp.S.One)), {}),
    Case("mono-lower-end-outside-nonneg-domain", "Monotone", "lo in I",
         lambda: single("c4", sp.S(4), "<=", sp.S.One, Monotone(h0**2, h0, sp.S(-2), sp.S.One)), {}),
    Case("mono-pole-inside", "Monotone", "f defined on I",
         lambda: single("c5", sp.S.One, "<=", sp.S(-1), Monotone(-1 / v, v, sp.S(-1), sp.S.One)), {}),
    Case("mono-essential-singularity-inside", "Monotone", "f defined on I",
         lambda: single("c6", -sp.exp(-1), "<=", -sp.E, Monotone(-sp.exp(1 / v), v, sp.S(-1), sp.S.One)), {}),
    Case("mono-piecewise-jump", "Monotone", "f built from arithmetic, powers, exp, log",
         lambda: single("c7", R(-1, 4), "<=", R(-1, 2), Monotone(_jump, v, R(-1, 4), R(1, 2))), {}),
    Case("mono-floor-sawtooth", "Monotone", "f built from arithmetic, powers, exp, log",
         lambda: single("c8", R(9, 10), "<=", R(1, 10), Monotone(v - sp.floor(v), v, R(9, 10), R(11, 10))), {}),
    Case("mono-heaviside-step-down", "Monotone", "f built from arithmetic, powers, exp, log",
         lambda: single("c9", sp.S.Zero, "<=", sp.S(-1), Monotone(-sp.Heaviside(v), v, sp.S(-1), sp.S.One)), {}),
    Case("mono-abs-kink", "Monotone", "f built from arithmetic, powers, exp, log",
         lambda: single("c10", sp.S(2), "<=", sp.S.One, Monotone(sp.Abs(v), v, sp.S(-2), sp.S.One)), {}),
    Case("mono-max-decreasing", "Monotone", "f' >= 0 (Max is not a sympy Function)",
         lambda: single("c11", sp.S.Zero, "<=", sp.S(-1), Monotone(-sp.Max(v, 0), v, sp.S.Zero, sp.S.One)), {}),
    Case("mono-derivative-witness-from-a-point-hypothesis", "Monotone", "witness uses hypotheses holding for all v",
         lambda: single("c12", sp.S(2), "<=", sp.S.Zero,
                        Monotone(v**3 - 3 * v, v, sp.S(-1), sp.S.Zero,
                                 derivative_witness=3 * _v_ge_one.slack * (_v_ge_one.slack + 2)),
                        (_v_ge_one,)), {v: 2}),
    Case("mono-derivative-witness-with-a-pole", "Monotone", "witness hypotheses defined on I",
         lambda: single("c13", sp.S.One, "<=", sp.S(-1),
                        Monotone(-1 / v, v, sp.S(-1), sp.S.One, derivative_witness=_pole.slack), (_pole,)), {}),
    Case("mono-closed-half-line-decreasing-near-zero", "Monotone", "f' >= 0 on the interior",
         lambda: single("c14", sp.S.Zero, "<=", sp.S(-1), Monotone(h0 - 2 * sp.sqrt(h0), h0, sp.S.Zero, sp.S.One)),
         {}),
    Case("mono-proves-an-equality", "Monotone", "an inequality only",
         lambda: single("c15", sp.S.One, "==", sp.E, Monotone(sp.exp(v), v, sp.S.Zero, sp.S.One)), {}),
    Case("mono-gap-is-not-f-hi-minus-f-lo", "Monotone", "gap = f(hi) - f(lo)",
         lambda: single("c16", sp.S.Zero, "<=", sp.S(-1), Monotone(v, v, sp.S.Zero, sp.S.One)), {}),
    Case("mono-rational-variable", "Monotone", "var ranges over an interval",
         lambda: single("c17", 1 / (sp.sqrt(2) - 1), "<=", -1 / (2 - sp.sqrt(2)),
                        Monotone(-1 / (_rational - sp.sqrt(2)), _rational, sp.S.One, sp.S(2))), {}),
    Case("mono-punctured-line", "Monotone", "var ranges over an interval",
         lambda: single("c18", sp.S.One, "<=", sp.S(-1), Monotone(-1 / _nonzero, _nonzero, sp.S(-1), sp.S.One)), {}),
    Case("mono-log-minus-identity", "Monotone", "f' >= 0",
         lambda: single("c19", sp.S(-1), "<=", sp.log(2) - 2, Monotone(sp.log(_w) - _w, _w, sp.S.One, sp.S(2))), {}),
    Case("mono-gap-witness-reversed-order", "Monotone", "hi - lo >= 0 from the slack",
         lambda: single("c20", sp.exp(z), "<=", sp.exp(x), Monotone(sp.exp(v), v, z, x, gap_witness=_xz.slack),
                        (_xz,)), {x: 0, z: 1}),
    Case("mono-derivative-witness-not-the-derivative", "Monotone", "witness equals f'",
         lambda: single("c21", sp.S.One, "<=", sp.S.Zero, Monotone(v**2, v, sp.S(-1), sp.S.Zero,
                                                                   derivative_witness=v**2)), {}),
    Case("mono-nonpositive-domain-wrong-direction", "Monotone", "f' >= 0",
         lambda: single("c22", sp.S.One, "<=", sp.S.Zero, Monotone(_nonpos**2, _nonpos, sp.S(-1), sp.S.Zero)), {}),
    Case("hole-forall-citation-of-boxed-lemma-monotone", "Monotone + citation", "forall citation confined to a box",
         _boxed_forall_monotone, {}),
    Case("hole-forall-citation-of-boxed-lemma-same-lemma", "Monotone + citation #", "forall citation in a box",
         _boxed_forall_same_lemma, {}),
]

# ---- FirstDerivativeTest -------------------------------------------------------------------------------------------

_v_ge_two = Hypothesis("v_ge_two", 2, "<=", v, "known at one v only")
_fdt_piecewise = sp.Piecewise((v**2, v < 1), (v**2 - 10, True))

FIRST_DERIVATIVE = [
    Case("fdt-centre-moves-with-the-variable", "FirstDerivativeTest", "c free of var",
         lambda: single("d1", (v / 2) ** 2 - v, "<=", v**2 - 2 * v, FirstDerivativeTest(v**2 - 2 * v, v, v / 2)),
         {v: 1}),
    Case("fdt-centre-outside-the-domain", "FirstDerivativeTest", "c in I",
         lambda: single("d2", sp.S.One, "<=", _w**2, FirstDerivativeTest(_w**2, _w, sp.S(-1))), {_w: R(1, 2)}),
    Case("fdt-punctured-line", "FirstDerivativeTest", "var ranges over an interval",
         lambda: single("d3", sp.S(2), "<=", _nonzero + 1 / _nonzero,
                        FirstDerivativeTest(_nonzero + 1 / _nonzero, _nonzero, sp.S.One)), {_nonzero: -1}),
    Case("fdt-piecewise-jump", "FirstDerivativeTest", "f built from arithmetic, powers, exp, log",
         lambda: single("d4", sp.S.Zero, "<=", _fdt_piecewise, FirstDerivativeTest(_fdt_piecewise, v, sp.S.Zero)),
         {v: 2}),
    Case("fdt-derivative-witness-from-a-point-hypothesis", "FirstDerivativeTest", "witness hypotheses hold for all v",
         lambda: single("d5", sp.S.Zero, "<=", v**2 / 2 - 2 * v,
                        FirstDerivativeTest(v**2 / 2 - 2 * v, v, sp.S.Zero,
                                            derivative_witness=_v_ge_two.slack * (_v_ge_two.slack + 2)),
                        (_v_ge_two,)), {v: 3}),
    Case("fdt-proves-an-equality", "FirstDerivativeTest", "an inequality only",
         lambda: single("d6", sp.S.Zero, "==", v**2, FirstDerivativeTest(v**2, v, sp.S.Zero)), {v: 1}),
    Case("fdt-gap-is-not-f-minus-f-c", "FirstDerivativeTest", "gap = f(var) - f(c)",
         lambda: single("d7", sp.S.One, "<=", v**2, FirstDerivativeTest(v**2, v, sp.S.Zero)), {v: 0}),
    Case("fdt-maximum-instead-of-minimum", "FirstDerivativeTest", "f'(v)(v - c) >= 0",
         lambda: single("d8", sp.S.Zero, "<=", -(v**2), FirstDerivativeTest(-(v**2), v, sp.S.Zero)), {v: 1}),
    Case("fdt-closed-half-line-dip", "FirstDerivativeTest", "f'(v)(v - c) >= 0 on the interior",
         lambda: single("d9", sp.S.Zero, "<=", h0 - 2 * sp.sqrt(h0),
                        FirstDerivativeTest(h0 - 2 * sp.sqrt(h0), h0, sp.S.Zero)), {h0: 1}),
    Case("fdt-wrong-witness", "FirstDerivativeTest", "witness equals f'(v)(v - c)",
         lambda: single("d10", sp.S.Zero, "<=", v**3, FirstDerivativeTest(v**3, v, sp.S.Zero,
                                                                          derivative_witness=3 * v**2)), {v: -1}),
    Case("fdt-pole", "FirstDerivativeTest", "f defined on I",
         lambda: single("d11", -sp.S.One / 6, "<=", -1 / (2 * v**2) + 1 / (3 * v**3),
                        FirstDerivativeTest(-1 / (2 * v**2) + 1 / (3 * v**3), v, sp.S.One)), {v: -1}),
]

# ---- Induction -----------------------------------------------------------------------------------------------------

_m_ge_two = Hypothesis("m_ge_two", 2, "<=", m, "known at the claim's m only")
_mreal = sp.Symbol("mr", nonnegative=True)
_ko = sp.Symbol("ko", integer=True, positive=True, odd=True)


def _boxed_forall_induction() -> list[Lemma]:
    kk = sp.Symbol("kk", integer=True, nonnegative=True)
    boxed = lemma("five_le_on_box", one_step(sp.S(5), "<=", kk, Box()), domain={kk: (5, 8)})
    cited = Hypothesis("h", sp.S(5), "<=", m, by="five_le_on_box#main", instance={kk: m}, forall=(m,))
    g = (m**2 - 11 * m) / 2  # g(m + 1) = g(m) + (m - 5)
    rule = Induction(m, IH + cited.slack, base_witness=sp.S.Zero)
    user = lemma("g_nonneg_on_box", one_step(sp.S.Zero, "<=", g, rule, (cited,)), depends_on=(boxed.name,),
                 domain={m: (5, 8)})
    return [boxed, user]


INDUCTION = [
    Case("ind-base-witness-does-not-match", "Induction", "g(m0) >= 0",
         lambda: single("e1", sp.S(3), "<=", j + 1, Induction(j, IH + 1, base_witness=sp.S.Zero)), {j: 1}),
    Case("ind-integer-variable-without-a-least-value", "Induction", "var ranges over 0.. or 1..",
         lambda: single("e2", sp.S.Zero, "<=", n + 5, Induction(n, IH + 1, base_witness=sp.S(5))), {n: -6}),
    Case("ind-real-variable", "Induction", "var ranges over the integers",
         lambda: single("e3", sp.S.Zero, "<=", _mreal * (_mreal - 1),
                        Induction(_mreal, IH + 2 * _mreal, base_witness=sp.S.Zero)), {_mreal: R(1, 2)}),
    Case("ind-step-witness-from-a-point-hypothesis", "Induction", "step hypotheses hold at every m",
         lambda: single("e4", sp.S.Zero, "<=", (m**2 - 5 * m) / 2,
                        Induction(m, IH + _m_ge_two.slack, base_witness=sp.S.Zero), (_m_ge_two,)), {m: 2}),
    Case("ind-base-fails", "Induction", "g(m0) >= 0",
         lambda: single("e5", sp.S.One, "<=", m, Induction(m, IH + 1)), {m: 0}),
    Case("ind-step-witness-not-nonneg", "Induction", "the step witness is >= 0",
         lambda: single("e6", m**2, "<=", 2**m, Induction(m, 2 * IH + m**2 - 2 * m - 1, base_witness=sp.S.One)),
         {m: 3}),
    Case("ind-proves-an-equality", "Induction", "an inequality only",
         lambda: single("e7", m, "==", m**2, Induction(m, IH + 2 * m, base_witness=sp.S.Zero)), {m: 2}),
    Case("ind-step-witness-with-negative-constant", "Induction", "the step witness is >= 0",
         lambda: single("e8", sp.S.Zero, "<=", 1 - m, Induction(m, IH - 1, base_witness=sp.S.One)), {m: 2}),
    Case("ind-gap-undefined-at-an-integer", "Induction", "g defined at every m",
         lambda: single("e9", sp.S.Zero, "<=", -1 / (m - 1), Induction(m, IH * (m - 1) / m, base_witness=sp.S.One)),
         {m: 2}),
    Case("ind-odd-variable", "Induction", "var ranges over 0.. or 1..",
         lambda: single("e10", sp.S.One, "<=", 2 * (_ko - 1) ** 2,
                        Induction(_ko, _ko**2 + (_ko - 1) * (_ko + 1), base_witness=sp.S.One)), {_ko: 1}),
    Case("hole-forall-citation-of-boxed-lemma-induction", "Induction + citation", "forall citation in a box",
         _boxed_forall_induction, {m: 5}),
]

# ---- Citations ---------------------------------------------------------------------------------------------------


def _ident() -> Lemma:
    hx = Hypothesis("hx", x, "<=", 0)
    return lemma("ident", one_step(x, "<=", sp.S.Zero, Algebra(hx.slack), (hx,)))


def _circular() -> list[Lemma]:
    first = Hypothesis("c1", x, "<=", 0, by="ident#main")
    second = Hypothesis("c2", x, "<=", 0, by="ident#main")
    circ = lemma("circ", one_step(x, "<=", sp.S.Zero, Algebra(first.slack), (first, second)), depends_on=("ident",))
    at_one = Hypothesis("d", sp.S.One, "<=", 0, by="circ#main", instance={x: sp.S.One})
    final = lemma("zero_le_neg_one", one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(at_one.slack), (at_one,)),
                  depends_on=("circ",))
    return [_ident(), circ, final]


def _circular_same_lemma() -> list[Lemma]:
    hx = Hypothesis("hx", x, "<=", 0)
    first = one_step(x, "<=", sp.S.Zero, Algebra(hx.slack), (hx,), label="c1")
    h1, h2 = Hypothesis("h1", x, "<=", 0, by="#c1"), Hypothesis("h2", x, "<=", 0, by="#c1")
    return [lemma("circ_local", first, one_step(x, "<=", sp.S.Zero, Algebra(h1.slack), (h1, h2)))]


def _cube() -> Lemma:
    hx = Hypothesis("hx", sp.S.Zero, "<=", x, "x is nonnegative")
    return lemma("cube_nonneg_of_nonneg", one_step(sp.S.Zero, "<=", x**3, Algebra(hx.slack**3), (hx,)))


def _sq_minus_self() -> Lemma:
    # 0 <= m^2 - m for every integer m >= 0, by induction.
    return lemma("sq_sub_self_nonneg", one_step(sp.S.Zero, "<=", m**2 - m, Induction(m, IH + 2 * m, sp.S.Zero)))


def _cite_one(target: Lemma, cited: Hypothesis, lhs, rel, rhs, extra: tuple = (), name: str = "citing",
              **kw) -> list[Lemma]:
    return [target, lemma(name, one_step(lhs, rel, rhs, Algebra(cited.slack), (*extra, cited)),
                          depends_on=(target.name,), **kw)]


def _max_at_s() -> Lemma:
    ss = sp.Symbol("ss", integer=True, nonnegative=True)
    hmax = Hypothesis("hmax", a(t), "<=", a(ss), forall=(t,))
    c0 = one_step(a(t), "<=", a(ss), Algebra(hmax.slack), (hmax,), label="c0")
    h1 = Hypothesis("h1", a(ss + 1), "<=", a(ss), by="#c0", instance={t: ss + 1})
    return lemma("max_at_s", c0, one_step(a(ss + 1), "<=", a(ss), Algebra(h1.slack), (hmax, h1)))


def _captured() -> list[Lemma]:
    target = _max_at_s()
    ss = sp.Symbol("ss", integer=True, nonnegative=True)
    triv = Hypothesis("triv", a(t), "<=", a(t), forall=(t,))
    cited = Hypothesis("h2", a(t + 1), "<=", a(t), by="max_at_s#main", instance={ss: t})
    return _cite_one(target, cited, a(t + 1), "<=", a(t), (triv,))


def _false_dependency() -> list[Lemma]:
    dep = lemma("le_sub_one", one_step(x, "<=", x - 1, Algebra(sp.S.One)))
    cited = Hypothesis("h", sp.S.Zero, "<=", sp.S(-1), by="le_sub_one#main", instance={x: sp.S.Zero})
    return _cite_one(dep, cited, sp.S.Zero, "<=", sp.S(-1))


def _undecided_dependency() -> list[Lemma]:
    # exp(x) >= 1 + x + x^4/1000 is false at x = -30 (outside the search range): the dependency stays undecided.
    dep = lemma("exp_ge_quartic", one_step(sp.exp(x), ">=", 1 + x + x**4 / 1000))
    at = Hypothesis("h", sp.exp(-30), ">=", 1 - 30 + R(30**4, 1000), by="exp_ge_quartic#main", instance={x: -30})
    return _cite_one(dep, at, sp.exp(-30), ">=", 1 - 30 + R(30**4, 1000))


def _later_claim() -> list[Lemma]:
    h = Hypothesis("h", sp.S.Zero, "<=", x, by="#later")
    first = one_step(sp.S.Zero, "<=", x, Algebra(h.slack), (h,), label="main")
    later = one_step(sp.S.Zero, "<=", x**2, Algebra(x**2), label="later")
    return [lemma("forward_citation", first, later)]


def _lemma_level_forward_citation() -> list[Lemma]:
    h = Hypothesis("h", sp.S.Zero, "<=", -(x**2), by="#second")
    first = one_step(sp.S.Zero, "<=", -(x**2), Algebra(h.slack), label="main")
    second = one_step(sp.S.Zero, "<=", -(x**2), Algebra(h.slack), label="second")
    return [lemma("lemma_level_forward", first, second, hypotheses=(h,))]


def _boxed() -> Lemma:
    return lemma("sq_le_self_on_unit", one_step(p**2, "<=", p, Box()), domain={p: (R(1, 10), 1)})


def _citing_lookup_mismatch() -> list[Lemma]:
    cited = Hypothesis("c", x**3, ">=", 0, by="cube_nonneg_of_nonneg#main")
    return [lemma("citing", one_step(sp.S.Zero, "<=", x**3, Algebra(cited.slack), (cited,)),
                  depends_on=("cube_nonneg_of_nonneg",))]


def _atan_citation() -> list[Lemma]:
    dep = lemma("one_le_ceil", one_step(sp.S.One, "<=", sp.ceiling(p)))
    cited = Hypothesis("c", 1, "<=", sp.ceiling(sp.atan(m)), by="one_le_ceil#main", instance={p: sp.atan(m)})
    return _cite_one(dep, cited, sp.S.One, "<=", sp.ceiling(sp.atan(m)))


def _bound_variable_instance() -> list[Lemma]:
    # a(0) <= a(2) for an increasing a (forall t), from two citations of an earlier claim.
    tt = sp.Symbol("tt", integer=True, nonnegative=True)
    inc = Hypothesis("inc", a(tt), "<=", a(tt + 1), forall=(tt,))
    step = one_step(a(tt), "<=", a(tt + 1), Algebra(inc.slack), (inc,), label="step")
    c0 = Hypothesis("c0", a(0), "<=", a(1), by="#step", instance={tt: 0})
    c1 = Hypothesis("c1", a(1), "<=", a(2), by="#step", instance={tt: 1})
    main = Claim("main", a(0), "<=", a(2), calc(("<=", a(1), "c0", Algebra(c0.slack)),
                                                ("<=", a(2), "c1", Algebra(c1.slack))), hypotheses=(inc, c0, c1))
    target = lemma("increasing_twice", step, main)
    once = Hypothesis("once", a(7), "<=", a(8), "a increases at 7 only")
    cited = Hypothesis("h", a(0), "<=", a(2), by="increasing_twice#main", instance={tt: 7})
    return _cite_one(target, cited, a(0), "<=", a(2), (once,))


def _forall_once() -> list[Lemma]:
    rec = Hypothesis("rec", a(m + 1), "<=", a(m), "a decreases", forall=(m,))
    start = Hypothesis("start", a(0), "<=", sp.S.Zero, "a(0) <= 0")
    decreasing = lemma("nonpos_of_decreasing", one_step(a(m), "<=", sp.S.Zero,
                                                        Induction(m, IH + rec.slack, base_witness=start.slack),
                                                        (rec, start)))
    once = Hypothesis("once", a(m + 1), "<=", a(m), "a decreases at this m only")
    cited = Hypothesis("c", a(m), "<=", sp.S.Zero, by="nonpos_of_decreasing#main")
    return _cite_one(decreasing, cited, a(m), "<=", sp.S.Zero, (once, start))


_b0 = sp.Symbol("b0", real=True)

def _le_one() -> Lemma:
    hx = Hypothesis("hx", x, "<=", 1)
    return lemma("le_one_of_le_one", one_step(x, "<=", sp.S.One, Algebra(hx.slack), (hx,)))


CITATIONS = [
    Case("cite-self-discharge-needs-the-instance-true-by-assumptions", "citation",
         "premise 4: a premise discharges itself only where its instance is nonnegative by the assumptions",
         lambda: _cite_one(_le_one(), Hypothesis("c", p, "<=", 1, by="le_one_of_le_one#main", instance={x: p}),
                           p, "<=", sp.S.One), {p: 2}),
    Case("hole-circular-discharge", "citation", "premise 4: dischargers are proved, not assumed", _circular, {}),
    Case("hole-circular-discharge-same-lemma", "citation #", "premise 4: dischargers are proved, not assumed",
         _circular_same_lemma, {x: 1}),
    Case("cite-key-is-a-sum", "citation", "premise 3: keys are symbols",
         lambda: _cite_one(lemma("sq_nonneg", one_step(sp.S.Zero, "<=", x**2, Algebra(x**2))),
                           Hypothesis("c", sp.S.Zero, "<=", sp.S(-1), by="sq_nonneg#main", instance={x + 1: -1}),
                           sp.S.Zero, "<=", sp.S(-1)), {}),
    Case("cite-bound-variable-given-a-value", "citation", "premise 3: bound variables keep their quantifier",
         _bound_variable_instance, {a: _table({0: 1, 2: 0, 7: 0, 8: 1})}),
    Case("cite-value-captures-a-bound-variable", "citation", "premise 3: no capture", _captured,
         {t: 0, a: lambda i: i}),
    Case("cite-value-outside-the-sign-domain", "citation", "premise 2: assumptions of the key",
         lambda: _cite_one(lemma("p_nonneg", one_step(sp.S.Zero, "<=", p)),
                           Hypothesis("c", 0, "<=", x, by="p_nonneg#main", instance={p: x}), sp.S.Zero, "<=", x),
         {x: -1}),
    Case("cite-non-integer-value-of-an-integer-key", "citation", "premise 2: integrality",
         lambda: _cite_one(_sq_minus_self(),
                           Hypothesis("c", sp.S.Zero, "<=", R(1, 4) - R(1, 2), by="sq_sub_self_nonneg#main",
                                      instance={m: R(1, 2)}),
                           sp.S.Zero, "<=", R(-1, 4)), {}),
    Case("cite-negative-value-of-a-nonneg-integer-key", "citation", "premise 2: sign",
         lambda: _cite_one(lemma("m_nonneg", one_step(sp.S.Zero, "<=", m)),
                           Hypothesis("c", sp.S.Zero, "<=", sp.S(-3), by="m_nonneg#main", instance={m: -3}),
                           sp.S.Zero, "<=", sp.S(-3)), {}),
    Case("cite-outside-the-cited-box", "citation", "premise 2: the cited lemma's domain box",
         lambda: _cite_one(_boxed(), Hypothesis("c", sp.S(9), "<=", sp.S(3), by="sq_le_self_on_unit#main",
                                                instance={p: sp.S(3)}), sp.S(9), "<=", sp.S(3)), {}),
    Case("cite-box-straddling-value", "citation", "premise 2: the value certified inside the box",
         lambda: _cite_one(_boxed(), Hypothesis("c", (q + R(1, 2)) ** 2, "<=", q + R(1, 2),
                                                by="sq_le_self_on_unit#main", instance={p: q + R(1, 2)}),
                           (q + R(1, 2)) ** 2, "<=", q + R(1, 2), domain={q: (R(1, 10), 1)}), {q: 1}),
    Case("cite-wrong-direction", "citation", "premise 1: H is the cited claim",
         lambda: _cite_one(_cube(), Hypothesis("c", x**3, "<=", 0, by="cube_nonneg_of_nonneg#main"),
                           x**3, "<=", sp.S.Zero, (Hypothesis("hx", 0, "<=", x),)), {x: 1}),
    Case("cite-not-an-instance", "citation", "premise 1: H is the cited claim",
         lambda: _cite_one(_cube(), Hypothesis("c", 1, "<=", z**3, by="cube_nonneg_of_nonneg#main", instance={x: z}),
                           sp.S.One, "<=", z**3, (Hypothesis("hz", 0, "<=", z),)), {z: R(1, 2)}),
    Case("cite-undischarged-hypothesis", "citation", "premise 4: hypotheses discharged",
         lambda: _cite_one(_cube(), Hypothesis("c", 0, "<=", z**3, by="cube_nonneg_of_nonneg#main", instance={x: z}),
                           sp.S.Zero, "<=", z**3), {z: -1}),
    Case("cite-discharged-by-a-weaker-hypothesis", "citation", "premise 4: the same relation",
         lambda: _cite_one(_cube(), Hypothesis("c", 0, "<=", z**3, by="cube_nonneg_of_nonneg#main", instance={x: z}),
                           sp.S.Zero, "<=", z**3, (Hypothesis("hz", -1, "<=", z),)), {z: R(-1, 2)}),
    Case("cite-forall-discharged-by-a-point-hypothesis", "citation", "premise 4: as universally",
         _forall_once, {m: 3, a: _table({0: 0}, default=1)}),
    Case("cite-false-dependency", "citation", "dependencies verified", _false_dependency, {}),
    Case("cite-undecided-dependency", "citation", "dependencies verified", _undecided_dependency, {}),
    Case("cite-later-claim-of-the-same-lemma", "citation #", "earlier claims only", _later_claim, {x: -1}),
    Case("cite-lemma-level-forward-citation", "citation #", "earlier claims only", _lemma_level_forward_citation,
         {x: 1}),
    Case("cite-equality", "citation", "inequalities only",
         lambda: _cite_one(lemma("sq_eq", one_step((x + 1) ** 2, "==", x**2 + 2 * x + 1)),
                           Hypothesis("c", (z + 1) ** 2, "<=", z**2 + 2 * z + 1 - 1, by="sq_eq#main",
                                      instance={x: z}), (z + 1) ** 2, "<=", z**2 + 2 * z), {z: 0}),
    Case("cite-missing-claim", "citation", "the cited claim exists",
         lambda: _cite_one(_cube(), Hypothesis("c", 0, "<=", -1 - z**2, by="cube_nonneg_of_nonneg#nope"),
                           sp.S.Zero, "<=", -1 - z**2), {z: 0}),
    Case("cite-dependency-not-given", "citation", "the cited lemma is checked",
         lambda: _citing_lookup_mismatch()[-1:], {x: -1}),
    Case("hole-sympy-atan-citation-instance", "citation", "premise 2: admits trusts sympy's atan(m) > 0",
         _atan_citation, {m: 0}),
]


# ---- Registry and lookups ------------------------------------------------------------------------------------------


def _cycle() -> list[Lemma]:
    ha = Hypothesis("ha", sp.S.Zero, "<=", sp.S(-1), by="cyc_b#main")
    hb = Hypothesis("hb", sp.S.Zero, "<=", sp.S(-1), by="cyc_a#main")
    first = lemma("cyc_a", one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(ha.slack), (ha,)), depends_on=("cyc_b",))
    second = lemma("cyc_b", one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(hb.slack), (hb,)), depends_on=("cyc_a",))
    return [first, second]


def _cycle_through_check_lemma() -> list[Lemma]:
    first, second = _cycle()
    check_lemma(first, {"cyc_b": second})  # raises RegistryError: the dependencies form a cycle
    return [first, second]


def _registry_cycle() -> list[Lemma]:
    registry = Registry("adversarial")
    for item in _cycle():
        registry.register(item)
    return registry.ordered()


def _registry_duplicate() -> list[Lemma]:
    registry = Registry("adversarial")
    registry.register(lemma("twin", one_step(x, "<=", x + 1, Algebra(sp.S.One))))
    registry.register(lemma("twin", one_step(x, "<=", x - 1, Algebra(sp.S.One))))
    return list(registry)


def _registry_unknown() -> list[Lemma]:
    registry = Registry("adversarial")
    h = Hypothesis("h", sp.S.Zero, "<=", sp.S(-1), by="ghost#main")
    registry.register(lemma("haunted", one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(h.slack), (h,)),
                            depends_on=("ghost",)))
    return registry.ordered()


def _lookup_key_mismatch() -> list[Lemma]:
    user = _citing_lookup_mismatch()[0]
    check_lemma(user, {"cube_nonneg_of_nonneg": lemma("other_name", one_step(x, "<=", x + 1, Algebra(sp.S.One)))})
    return [user]


_CONST = lambda: Statement(sp.S.Zero, "<=", sp.S(-1))  # noqa: E731

REGISTRY = [
    Case("reg-cycle-in-check-lemmas", "registry", "dependencies verified first", _cycle, {}),
    Case("reg-cycle-in-check-lemma", "registry", "no cycles", _cycle_through_check_lemma, {},
         statement=_CONST, refusals=(RegistryError,)),
    Case("reg-cycle-in-the-registry", "registry", "no cycles", _registry_cycle, {}, statement=_CONST,
         refusals=(RegistryError,)),
    Case("reg-duplicate-registration", "registry", "one lemma per name", _registry_duplicate, {x: 0},
         statement=lambda: Statement(x, "<=", x - 1), refusals=(RegistryError,)),
    Case("reg-unknown-dependency", "registry", "dependencies exist", _registry_unknown, {}, statement=_CONST,
         refusals=(RegistryError,)),
    Case("reg-unknown-dependency-in-check-lemmas", "registry", "dependencies exist",
         lambda: _registry_unknown_lemmas(), {}),
    Case("reg-lookup-key-does-not-match-the-name", "registry", "lookup keys are names", _lookup_key_mismatch,
         {x: -1}, statement=lambda: Statement(sp.S.Zero, "<=", x**3), refusals=(RegistryError,)),
    Case("reg-dependency-checked-after-its-user", "registry", "dependencies verified first",
         lambda: _user_before_dependency(), {}, target=0),
]


def _registry_unknown_lemmas() -> list[Lemma]:
    h = Hypothesis("h", sp.S.Zero, "<=", sp.S(-1), by="ghost#main")
    return [lemma("haunted", one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(h.slack), (h,)), depends_on=("ghost",))]


def _user_before_dependency() -> list[Lemma]:
    dep = lemma("le_sub_two", one_step(x, "<=", x - 2, Algebra(sp.S(2))))  # false, and checked after its user
    cited = Hypothesis("h", sp.S.Zero, "<=", sp.S(-2), by="le_sub_two#main", instance={x: sp.S.Zero})
    user = lemma("user_first", one_step(sp.S.Zero, "<=", sp.S(-2), Algebra(cited.slack), (cited,)),
                 depends_on=(dep.name,))
    return [user, dep]


# ---- Derivation (the composition rule) -----------------------------------------------------------------------------

_c_le_b = Hypothesis("c_le_b", q, "<=", p, "q is at most p")
_floor = Hypothesis("floor", p, "<=", q, "q is at least p")
_u2_le_b = Hypothesis("u2_le_b", x**2, "<=", p, "x^2 is at most p")
_a_le_b = Hypothesis("a_le_b", p, "<=", q)
_lower = Hypothesis("lower", p - 3, "<=", q, "q is at least p - 3")


def _derived(start, *facts: Hypothesis, name: str = "derived") -> list[Lemma]:
    derivation = Derivation.of(start, facts)
    for fact in facts:
        derivation = derivation.apply(fact)
    return [lemma(name, derivation.claim("main"))]


def _cite_missing() -> list[Lemma]:
    cube = _cube()
    derivation = Derivation.of(-(z**3)).cite(cube, "main", {x: z})
    return [cube, lemma("derived", derivation.claim("main"), depends_on=(cube.name,))]


def _wrong_bound_witness() -> list[Lemma]:
    derivation = Derivation.of(sp.sqrt(p), (_a_le_b,)).bound(p, p / 2, _a_le_b.slack, "halve p")
    return [lemma("derived", derivation.claim("main"))]


def _replace_the_wrong_quantity() -> list[Lemma]:
    derivation = Derivation.of(q * r, (_floor,)).apply(_floor, replace=r)
    return [lemma("derived", derivation.claim("main"))]


DERIVATION = [
    Case("der-upper-bound-where-decreasing", "Derivation", "f' >= 0 in the replaced quantity",
         lambda: _derived(1 / q, _c_le_b), {p: 2, q: 1}),
    Case("der-lower-bound-where-increasing", "Derivation", "f decreasing in the replaced quantity",
         lambda: _derived(q * r, _floor), {p: 1, q: 2, r: 1}),
    Case("der-power-of-a-possibly-negative-quantity", "Derivation", "x = v^(1/p) needs v >= 0",
         lambda: _derived(-1 / x, _u2_le_b), {x: -1, p: 4},
         statement=lambda: Statement(-1 / x, "<=", -1 / sp.sqrt(p), (_u2_le_b,)), refusals=(CompositionError,)),
    Case("der-cite-with-a-missing-hypothesis", "Derivation", "cited hypotheses discharged", _cite_missing, {z: -1},
         statement=lambda: Statement(-(z**3), "<=", sp.S.Zero), refusals=(CompositionError,)),
    Case("der-bound-with-a-wrong-witness", "Derivation", "hi - lo >= 0 from the witness", _wrong_bound_witness,
         {p: 1, q: 1}),
    Case("der-increasing-and-decreasing", "Derivation", "f' >= 0 everywhere",
         lambda: _derived(p - p**2, _a_le_b), {p: 1, q: 2}),
    Case("der-lower-bound-possibly-negative", "Derivation", "f decreasing on the whole domain",
         lambda: _derived(-(q**2), _lower), {p: 1, q: 1}),
    Case("der-across-an-essential-singularity", "Derivation", "f defined on the domain",
         lambda: _derived(-sp.exp(1 / (x - 1)), Hypothesis("fact", x, "<=", x + 2)), {x: 0}),
    Case("der-replace-names-another-quantity", "Derivation", "the fact bounds what is replaced",
         _replace_the_wrong_quantity, {p: 1, q: 2, r: 1},
         statement=lambda: Statement(q * r, "<=", p * r, (_floor,)), refusals=(CompositionError,)),
]

# ---- Box and the Algebra-to-Box fallback ---------------------------------------------------------------------------

_small = Hypothesis("small", q, "<=", R(1, 2))

BOX = [
    Case("box-refuted", "Box", "enclosure >= 0 on a cover",
         lambda: single("f1", x**2, "<=", x, Box(max_boxes=64), domain={x: (0, 2)}), {x: 2}),
    Case("box-domain-disagrees-with-the-sign", "Box", "the box lies in the symbol's domain",
         lambda: single("f2", p**2, "<=", p / 2, Box(max_boxes=64), domain={p: (-1, 1)}), {p: 1}),
    Case("box-symbol-without-a-range", "Box", "every symbol has a range",
         lambda: single("f3", x**2 + y, "<=", x + y, Box(max_boxes=64), domain={x: (0, 2)}), {x: 2, y: 0}),
    Case("box-budget-of-one", "Box", "budget edge",
         lambda: single("f4", x**2, "<=", x + R(1, 10**6), Box(max_boxes=1), domain={x: (0, 2)}), {x: 2}),
    Case("box-proves-an-equality", "Box", "an inequality only",
         lambda: single("f5", x, "==", x**2, Box(max_boxes=64), domain={x: (0, 1)}), {x: R(1, 2)}),
    Case("box-log-not-defined-on-the-box", "Box", "the expression is defined on the box",
         lambda: single("f6", sp.log(x), "<=", sp.S(-1), Box(max_boxes=64), domain={x: (-1, 1)}), {x: 1}),
    Case("box-fallback-refutes", "Algebra fallback", "enclosure >= 0 on a cover",
         lambda: single("f7", sp.exp(x), "<=", 1 + x + x**2, domain={x: (0, 3)}), {x: 3}),
    Case("box-single-point", "Box", "enclosure >= 0",
         lambda: single("f8", x**2, "<=", x - R(1, 2), Box(max_boxes=64), domain={x: (1, 1)}), {x: 1}),
    Case("box-integer-symbol", "Box", "enclosure >= 0",
         lambda: single("f9", j**2, "<=", 2 * j, Box(max_boxes=64), domain={j: (1, 3)}), {j: 3}),
    Case("box-under-a-hypothesis-false-inside-it", "Box", "refutation at an admissible point",
         lambda: single("f10", q**2, "<=", q / 4, Box(max_boxes=64), (_small,), domain={q: (R(1, 10), 1)}),
         {q: R(1, 2)}),
    Case("box-tiny-violation", "Box", "enclosure >= 0",
         lambda: single("f11", x**2, "<=", x - R(1, 10**12), Box(max_boxes=200), domain={x: (0, 1)}), {x: 1}),
    Case("box-fallback-under-a-box-smaller-than-the-claim", "Algebra fallback", "claims hold on their box only",
         lambda: _cite_one(lemma("sq_le_self_on_half", one_step(p**2, "<=", p, Box()),
                                 domain={p: (R(1, 10), R(1, 2))}),
                           Hypothesis("c", p**2, "<=", p, by="sq_le_self_on_half#main"), p**2, "<=", p,
                           domain={p: (R(1, 10), 2)}), {p: 2}),
]

# ---- Chains -------------------------------------------------------------------------------------------------------

CHAINS = [
    Case("chain-mixes-le-and-ge", "chain", "relations compose",
         lambda: [lemma("g1", Claim("main", x, "<=", x - 5, calc(("<=", x + 1, "add one", Algebra(sp.S.One)),
                                                                  (">=", x - 5, "drop six", Algebra(sp.S(6))))))],
         {x: 0}),
    Case("chain-ends-elsewhere", "chain", "the chain ends at the rhs",
         lambda: [lemma("g2", Claim("main", x, "<=", x - 1, calc(("<=", x + 1, "add one", Algebra(sp.S.One)))))],
         {x: 0}),
    Case("chain-proves-the-other-direction", "chain", "relations compose",
         lambda: [lemma("g3", Claim("main", x, ">=", x + 1, calc(("<=", x + 1, "add one", Algebra(sp.S.One)))))],
         {x: 0}),
    Case("chain-inequality-for-an-equality", "chain", "relations compose",
         lambda: [lemma("g4", Claim("main", x, "==", x + 1, calc(("<=", x + 1, "add one", Algebra(sp.S.One)))))],
         {x: 0}),
    Case("chain-false-middle-step", "chain", "every step verified",
         lambda: [lemma("g5", Claim("main", x, "<=", x - 1, calc(("<=", x + 1, "add", Algebra(sp.S.One)),
                                                                  ("==", x - 1, "wrong"))))], {x: 0}),
    Case("chain-ends-at-an-equal-form-only-where-defined", "chain", "the chain ends at the rhs",
         lambda: [lemma("g6", Claim("main", sp.S.Zero, "<=", 2 * sp.log(x),
                                    calc(("<=", sp.log(x**2), "square inside")))) ], {x: R(1, 2)}),
    Case("chain-ge-chain-for-le-claim", "chain", "relations compose",
         lambda: [lemma("g7", Claim("main", x + 1, "<=", x, calc((">=", x, "drop one", Algebra(sp.S.One)))))],
         {x: 0}),
]

_yi = sp.Symbol("yi", integer=True, nonnegative=True)
_ko0 = sp.Symbol("ko0", integer=True, odd=True)


def _empty_box_integer() -> list[Lemma]:
    # 0 <= y^2 - y for every integer y >= 0 (induction); y^2 - y <= -1/5 for every real y in [1/3, 2/3] (box).
    chain = calc(("<=", _yi**2 - _yi, "integers", Induction(_yi, IH + 2 * _yi, base_witness=sp.S.Zero)),
                 ("<=", R(-1, 5), "on the box", Box(max_boxes=100)))
    return [lemma("empty_box", Claim("main", sp.S.Zero, "<=", R(-1, 5), chain), domain={_yi: (R(1, 3), R(2, 3))})]


def _empty_box_odd() -> list[Lemma]:
    # 1 <= k^2 for every odd k (sympy's assumptions); k^2 <= 0 on the box [0, 0], which holds no odd integer.
    chain = calc(("<=", _ko0**2, "odd squares", Algebra()), ("<=", sp.S.Zero, "on the box", Box(max_boxes=10)))
    return [lemma("odd_box", Claim("main", sp.S.One, "<=", sp.S.Zero, chain), domain={_ko0: (0, 0)})]


CHAINS += [
    Case("hole-empty-box-intermediate-integer", "chain + Box", "an intermediate symbol takes a value in the box",
         _empty_box_integer, {}, statement=lambda: Statement(sp.S.Zero, "<=", R(-1, 5)), refusals=(ValueError,)),
    Case("hole-empty-box-intermediate-odd", "chain + Box", "an intermediate symbol takes a value in the box",
         _empty_box_odd, {}, statement=lambda: Statement(sp.S.One, "<=", sp.S.Zero), refusals=(ValueError,)),
]

FALSE_CASES = ALGEBRA_EQ + ALGEBRA_LE + MONOTONE + FIRST_DERIVATIVE + INDUCTION + CITATIONS + REGISTRY + DERIVATION
FALSE_CASES += BOX + CHAINS


@pytest.mark.parametrize("case", FALSE_CASES, ids=lambda c: c.id)
def test_a_false_claim_is_never_verified(case: Case) -> None:
    if case.statement is not None:
        assert_false_at(case.statement(), case.point)
        try:
            lemmas = case.build()
        except case.refusals:
            return
    else:
        lemmas = case.build()
        assert_false_at(statement_of(lemmas[case.target], case.label), case.point)
    try:
        report = target_report(lemmas, case.target)
    except case.refusals:
        return
    assert report.status != VERIFIED, f"{case.rule} ({case.premise}) verified a false claim: {report.steps}"


def test_the_false_cases_cover_every_rule_and_are_many() -> None:
    assert len(FALSE_CASES) >= 100
    assert len({c.id for c in FALSE_CASES}) == len(FALSE_CASES)
    rules = {c.rule.split()[0] for c in FALSE_CASES}
    assert {"Algebra", "Monotone", "FirstDerivativeTest", "Induction", "citation", "registry", "Derivation", "Box",
            "chain"} <= rules


# ===================================================================================================== TRUE claims


def _log_le_sub_one() -> Lemma:
    return lemma("log_le_sub_one", one_step(sp.log(p), "<=", p - 1, FirstDerivativeTest(p - 1 - sp.log(p), p, 1)))


def _true_citation() -> list[Lemma]:
    dep = _log_le_sub_one()
    cited = Hypothesis("tangent", sp.log(p / q), "<=", p / q - 1, by="log_le_sub_one#main", instance={p: p / q})
    return _cite_one(dep, cited, sp.log(p / q), "<=", p / q - 1)


def _true_integer_citation() -> list[Lemma]:
    dep = _sq_minus_self()
    cited = Hypothesis("c", sp.S.Zero, "<=", (2 * m) ** 2 - 2 * m, by="sq_sub_self_nonneg#main",
                       instance={m: 2 * m})
    return _cite_one(dep, cited, sp.S.Zero, "<=", 4 * m**2 - 2 * m)


def _true_cube_citation() -> list[Lemma]:
    cited = Hypothesis("c", 0, "<=", z**3, by="cube_nonneg_of_nonneg#main", instance={x: z})
    return _cite_one(_cube(), cited, sp.S.Zero, "<=", z**3, (Hypothesis("hz", 0, "<=", z),))


def _true_derivation_up() -> list[Lemma]:
    return _derived(3 * sp.sqrt(p) + r, _a_le_b)


def _true_derivation_down() -> list[Lemma]:
    return _derived(r / sp.sqrt(q), _floor)


def _true_forall_recursion() -> list[Lemma]:
    rec = Hypothesis("rec", a(m + 1), "<=", a(m) / 2, "a halves", forall=(m,))
    start = Hypothesis("start", a(0), "<=", sp.S.Zero)
    return single("halving", a(m), "<=", sp.S.Zero, Induction(m, IH / 2 + rec.slack, base_witness=start.slack),
                  (rec, start))


_ha = Hypothesis("ha", 0, "<=", z, "z is nonnegative")
_hxy = Hypothesis("hxy", x, "<=", y)
_witness_forall = Hypothesis("sq", 0, "<=", (v - 1) ** 2, forall=(v,))
_k_box = sp.Symbol("kb", integer=True, nonnegative=True)
_w3 = sp.Symbol("w3", nonnegative=True)

TRUE_CASES = [
    Case("abs-split-both-cases-read", "Algebra <=", "abs split: |x| - x >= 0 in both sign cases",
         lambda: single("t_abs1", sp.S.Zero, "<=", sp.Abs(x) - x), samples=({x: -1}, {x: 2})),
    Case("cite-self-discharge-at-an-instance-true-by-assumptions", "citation",
         "premise 4: x <= 1 at x = -p holds for every positive p",
         lambda: _cite_one(_le_one(), Hypothesis("c", -p, "<=", 1, by="le_one_of_le_one#main", instance={x: -p}),
                           -p, "<=", sp.S.One), samples=({p: 2},)),
    Case("abs-split-triangle-inequality", "Algebra <=", "abs split: |x + y| <= |x| + |y|",
         lambda: single("t_abs3", sp.Abs(x + y), "<=", sp.Abs(x) + sp.Abs(y)), samples=({x: 1, y: -1},)),
    Case("abs-split-two-symbols", "Algebra <=", "abs split: |x||y| >= x y",
         lambda: single("t_abs2", x * y, "<=", sp.Abs(x) * sp.Abs(y)), samples=({x: -1, y: 2},)),
    Case("alarm-sqrt-product-equality", "Algebra ==", "a refutation only where the sides are defined",
         lambda: single("t1", sp.sqrt(x) * sp.sqrt(y), "==", sp.sqrt(x * y)), samples=({x: 1, y: 4},)),
    Case("alarm-sqrt-product-inequality", "Algebra <=", "a refutation only where the sides are defined",
         lambda: single("t2", sp.sqrt(x * y), "<=", sp.sqrt(x) * sp.sqrt(y)), samples=({x: 1, y: 4},)),
    Case("alarm-sqrt-product-nonneg", "Algebra <=", "a refutation only where the sides are defined",
         lambda: single("t3", sp.S.Zero, "<=", sp.sqrt(x) * sp.sqrt(y)), samples=({x: 1, y: 4},)),
    Case("alarm-monotone-slope-ignores-hypotheses", "Monotone", "hypotheses that hold at every v constrain f'",
         lambda: single("t4", z * x, "<=", z * y, Monotone(z * v, v, x, y, gap_witness=_hxy.slack), (_ha, _hxy)),
         samples=({x: 0, y: 1, z: 2},)),
    Case("alarm-search-ignores-the-lemma-box-integer", "Algebra <=", "a refutation inside the lemma's box",
         lambda: single("t5", sp.S(5), "<=", _k_box, domain={_k_box: (5, 8)}), samples=({_k_box: 5},)),
    Case("alarm-search-ignores-the-lemma-box-real", "Algebra <=", "a refutation inside the lemma's box",
         lambda: single("t6", x**2, "<=", sp.S.One, domain={x: (R(-1, 2), R(1, 2))}), samples=({x: R(1, 2)},)),
    Case("true-exp-of-negative-le-one", "Algebra <=", "samples respect the sign",
         lambda: single("t7", sp.exp(u), "<=", sp.S.One), samples=({u: -1},)),
    Case("true-abs-of-nonpositive", "Algebra ==", "samples respect hypotheses",
         lambda: single("t8", sp.Abs(x), "==", -x, hypotheses=(_hx(),)), samples=({x: -2},)),
    Case("true-odd-power-of-minus-one", "Algebra ==", "samples respect parity",
         lambda: single("t9", (-1) ** k, "==", sp.S(-1)), samples=({k: 3},)),
    Case("true-cos-of-odd-pi", "Algebra ==", "samples respect parity",
         lambda: single("t10", sp.cos(sp.pi * k), "==", sp.S(-1)), samples=({k: 1},)),
    Case("true-log-of-square-where-defined", "Algebra ==", "a refutation only where the sides are defined",
         lambda: single("t11", sp.log(x**2), "==", 2 * sp.log(x)), samples=({x: 2},)),
    Case("true-cube-root-of-cube-where-defined", "Algebra ==", "a refutation only where the sides are defined",
         lambda: single("t12", (x**3) ** R(1, 3), "==", x), samples=({x: 2},)),
    Case("true-x-over-x", "Algebra ==", "cancellation where defined",
         lambda: single("t13", x / x, "==", sp.S.One), samples=({x: 3},)),
    Case("true-sum-of-logs-where-defined", "Algebra ==", "a refutation only where the sides are defined",
         lambda: single("t14", sp.log(x) + sp.log(y), "==", sp.log(x * y)), samples=({x: 2, y: 3},)),
    Case("true-cube-roots-where-defined", "Algebra ==", "a refutation only where the sides are defined",
         lambda: single("t15", x ** R(1, 3) * y ** R(1, 3), "==", (x * y) ** R(1, 3)), samples=({x: 2, y: 3},)),
    Case("true-log-difference", "Algebra ==", "complex parts that cancel",
         lambda: single("t16", sp.log(x) - sp.log(2 * x), "==", -sp.log(2)), samples=({x: 3},)),
    Case("true-abs-log-nonneg", "Algebra <=", "sign",
         lambda: single("t17", sp.S.Zero, "<=", sp.Abs(sp.log(x))), samples=({x: 3},)),
    Case("true-cube-under-nonneg", "Algebra <=", "samples respect hypotheses",
         lambda: single("t18", sp.S.Zero, "<=", x**3, hypotheses=(_nonneg,)), samples=({x: 2},)),
    Case("true-square-above-under-one", "Algebra <=", "samples respect hypotheses",
         lambda: single("t19", x, "<=", x**2, hypotheses=(Hypothesis("one", 1, "<=", x),)), samples=({x: 2},)),
    Case("true-integer-square-minus-self", "Algebra <=", "samples are integers",
         lambda: single("t20", sp.S.Zero, "<=", n**2 - n), samples=({n: -3}, {n: 0}, {n: 4})),
    Case("true-odd-square", "Algebra <=", "samples respect parity",
         lambda: single("t21", sp.S.One, "<=", k**2), samples=({k: -1},)),
    Case("true-log-one-plus", "Algebra <=", "samples respect the sign",
         lambda: single("t22", sp.log(1 + p), "<=", p), samples=({p: 2},)),
    Case("true-negative-below-half", "Algebra <=", "samples respect the sign",
         lambda: single("t23", u, "<=", u / 2), samples=({u: -2},)),
    Case("true-under-a-log-hypothesis", "Algebra <=", "constraints not defined are not satisfied",
         lambda: single("t24", sp.S.One, "<=", x, hypotheses=(Hypothesis("lg", 0, "<=", sp.log(x)),)),
         samples=({x: 3},)),
    Case("true-under-a-half-hypothesis", "Algebra <=", "samples respect hypotheses",
         lambda: single("t25", x, "<=", sp.S.One, hypotheses=(Hypothesis("half", x, "<=", R(1, 2)),)),
         samples=({x: 0},)),
    Case("true-fdt-log", "FirstDerivativeTest", "the classical tangent", lambda: [_log_le_sub_one()],
         samples=({p: 3},)),
    Case("true-fdt-closed-half-line", "FirstDerivativeTest", "continuity at 0",
         lambda: single("t27", sp.S.Zero, "<=", h0 - sp.log(1 + h0),
                        FirstDerivativeTest(h0 - sp.log(1 + h0), h0, sp.S.Zero)), samples=({h0: 2},)),
    Case("true-monotone-nonpositive-domain", "Monotone", "nonpositive half-line",
         lambda: single("t28", sp.S(-1), "<=", sp.S.Zero, Monotone(-(_nonpos**2), _nonpos, sp.S(-1), sp.S.Zero))),
    Case("true-monotone-sqrt-half-line", "Monotone", "continuity at 0",
         lambda: single("t29", sp.sqrt(h0), "<=", sp.sqrt(h0 + 1), Monotone(sp.sqrt(_w3), _w3, h0, h0 + 1)),
         samples=({h0: 2},)),
    Case("true-monotone-with-a-forall-witness", "Monotone", "forall hypothesis defined everywhere",
         lambda: single("t30", R(-1, 3), "<=", R(1, 3),
                        Monotone((v - 1) ** 3 / 3, v, sp.S.Zero, sp.S(2), derivative_witness=_witness_forall.slack),
                        (_witness_forall,))),
    Case("true-monotone-with-a-slack-derivative", "Monotone", "derivative witness from a hypothesis",
         lambda: single("t31", z * x, "<=", z * y, Monotone(z * v, v, x, y, gap_witness=_hxy.slack,
                                                            derivative_witness=_ha.slack), (_ha, _hxy)),
         samples=({x: 0, y: 1, z: 2},)),
    Case("true-monotone-exp", "Monotone", "increasing",
         lambda: single("t32", sp.exp(x), "<=", sp.exp(z), Monotone(sp.exp(v), v, x, z, gap_witness=_xz.slack),
                        (_xz,)), samples=({x: 0, z: 1},)),
    Case("true-induction-m-le-m-squared", "Induction", "base at the least value",
         lambda: single("t33", j, "<=", j**2, Induction(j, IH + 2 * j, base_witness=sp.S.Zero)), samples=({j: 3},)),
    Case("true-induction-square-minus-self", "Induction", "base and step", lambda: [_sq_minus_self()],
         samples=({m: 5},)),
    Case("true-induction-forall-recursion", "Induction", "forall recursion", _true_forall_recursion),
    Case("true-box-square-below-self", "Box", "enclosure on the box", lambda: [_boxed()], samples=({p: R(1, 2)},)),
    Case("true-box-outside-hypotheses", "Box", "refutation only where the hypotheses hold",
         lambda: single("t37", q**2, "<=", q / 2, Box(max_boxes=64), (_small,), domain={q: (R(1, 10), 1)}),
         samples=({q: R(1, 4)},)),
    Case("true-box-integer", "Box", "integers in a real box",
         lambda: single("t38", j, "<=", j**2, Box(max_boxes=64), domain={j: (1, 3)}), samples=({j: 2},)),
    Case("true-citation-tangent", "citation", "a positive instance", _true_citation, samples=({p: 1, q: 2},)),
    Case("true-citation-integer-instance", "citation", "an integer instance", _true_integer_citation,
         samples=({m: 3},)),
    Case("true-citation-discharged", "citation", "hypothesis discharged", _true_cube_citation, samples=({z: 2},)),
    Case("true-derivation-upper", "Derivation", "increasing", _true_derivation_up, samples=({p: 1, q: 4, r: 1},)),
    Case("true-derivation-lower", "Derivation", "decreasing", _true_derivation_down,
         samples=({p: 1, q: 4, r: 1},)),
    Case("true-chain-of-equalities-for-ge", "chain", "relations compose",
         lambda: [lemma("t44", Claim("main", (x + 1) ** 2, ">=", x**2 + 2 * x + 1,
                                     calc(("==", x**2 + 2 * x + 1, "expand"))))], samples=({x: 3},)),
    Case("true-chain-ends-at-an-equal-form", "chain", "the chain ends at the rhs",
         lambda: [lemma("t45", Claim("main", x, "<=", (x + 1) ** 2 - x**2 - x,
                                     calc(("<=", x + 1, "add one", Algebra(sp.S.One)))))], samples=({x: 3},)),
    Case("true-sqrt-product-positive", "Algebra ==", "positive symbols",
         lambda: single("t46", sp.sqrt(p) * sp.sqrt(q), "==", sp.sqrt(p * q)), samples=({p: 2, q: 3},)),
]


@pytest.mark.parametrize("case", TRUE_CASES, ids=lambda c: c.id)
def test_a_true_claim_is_never_failed(case: Case) -> None:
    lemmas = case.build()
    st = statement_of(lemmas[-1], case.label)
    for point in case.samples:
        assert_true_at(st, point)
    report = target_report(lemmas)
    assert report.status != FAILED, f"{case.rule} ({case.premise}) refuted a true claim: {report.steps}"


def test_the_true_cases_are_many() -> None:
    assert len(TRUE_CASES) >= 40
    assert len({c.id for c in TRUE_CASES}) == len(TRUE_CASES)


# ================================================================================================ bespoke shapes


def test_the_circular_discharge_gives_zero_le_minus_one_with_no_assumption() -> None:
    """HOLE (minimal reproduction): citations.py premise 4 accepts a citation as the discharger of another."""
    lemmas = _circular()
    final = statement_of(lemmas[-1], "main")
    assert final.assumptions == () and final.lhs == 0 and final.rhs == -1
    reports = check_lemmas(lemmas)
    assert reports[0].status == VERIFIED  # the cited lemma "x <= 0 if x <= 0" is true
    assert reports[-1].status != VERIFIED


def test_a_derivative_witness_slack_of_a_foreign_hypothesis_stands_for_nothing() -> None:
    foreign = Hypothesis("foreign", 0, "<=", -v, forall=(v,))
    rule = Monotone(-(v**2), v, sp.S.Zero, sp.S.One, derivative_witness=2 * foreign.slack)
    claim = one_step(sp.S.Zero, "<=", sp.S(-1), rule)  # foreign is not a hypothesis of the claim
    assert_false_at(Statement(sp.S.Zero, "<=", sp.S(-1)), {})
    assert check_lemma(lemma("foreign_witness", claim)).status != VERIFIED


def test_the_induction_hypothesis_symbol_cannot_be_an_instance_key() -> None:
    dep = lemma("ih_nonneg", one_step(sp.S.Zero, "<=", IH))
    cited = Hypothesis("c", 0, "<=", sp.S(-1), by="ih_nonneg#main", instance={IH: -1})
    lemmas = _cite_one(dep, cited, sp.S.Zero, "<=", sp.S(-1))
    assert_false_at(statement_of(lemmas[-1], "main"), {})
    assert check_lemmas(lemmas)[-1].status != VERIFIED


def test_a_slack_symbol_in_a_claims_side_is_just_a_nonnegative_parameter() -> None:
    h = Hypothesis("h", x, "<=", y)
    # b - a <= s for every s >= 0 is false (s = 0, a = 0, b = 1); the slack of h is not b - a inside the sides.
    claim = one_step(y - x, "<=", h.slack, Algebra(h.slack), (h,))
    lem = lemma("slack_in_side", claim)
    assert check_lemma(lem).status != VERIFIED


def test_induction_on_a_gap_that_also_contains_the_induction_hypothesis_symbol() -> None:
    # 0 <= IH - m for every m >= 0 and every IH >= 0 is false (IH = 0, m = 1).
    claim = one_step(sp.S.Zero, "<=", IH - m, Induction(m, IH - 1, base_witness=IH))
    assert check_lemma(lemma("ih_in_gap", claim)).status != VERIFIED


def test_box_max_boxes_is_validated() -> None:
    for bad in (0, -1, True, 1.5, "10"):
        with pytest.raises(ValueError):
            Box(max_boxes=bad)


def test_domain_with_a_float_end_is_refused() -> None:
    claim = one_step(p**2, "<=", p, Box())
    with pytest.raises(ValueError):
        lemma("float_domain", claim, domain={p: (0.1, 1)})
