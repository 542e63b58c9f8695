"""Regression tests of the engine's soundness holes found by the adversarial review (one per class of hole).

Each false claim is confirmed false by an exact evaluation at an explicit point before the engine is asked about
it, so that no test here can pass vacuously; none may come back ``verified``. Each true claim that the engine used
to report ``failed`` must no longer be ``failed``.
"""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import (
    FAILED,
    INDUCTION_HYPOTHESIS,
    VERIFIED,
    Algebra,
    Box,
    Claim,
    Derivation,
    FirstDerivativeTest,
    Hypothesis,
    Induction,
    Lemma,
    Monotone,
    RegistryError,
    calc,
    check_lemma,
    check_lemmas,
)

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
p = sp.Symbol("p", positive=True)
v = sp.Symbol("v", real=True)


def one_step(lhs, rel, rhs, rule=None, hypotheses=(), label="main") -> Claim:
    link = (rel, rhs, "the step under attack") if rule is None else (rel, rhs, "the step under attack", rule)
    return Claim(label, lhs, rel, rhs, calc(link), hypotheses=hypotheses)


def lemma(name: str, *claims: Claim, **kw) -> Lemma:
    return Lemma(name, f"statement of {name}", "adversarial test", claims=claims, **kw)


def false_at(lhs, rel: str, rhs, point: dict) -> bool:
    """Is ``lhs REL rhs`` false at the exact point (both sides finite reals there)?"""
    a, b = (sp.nsimplify(e.xreplace(point)) for e in (lhs, rhs))
    assert a.is_real and b.is_real, (a, b)
    return {"<=": bool(a > b), ">=": bool(a < b), "==": bool(a != b)}[rel]


# 1. FirstDerivativeTest with a centre that moves with the variable


def test_first_derivative_test_with_a_moving_centre_does_not_prove_f_ge_f_of_minus_x() -> None:
    f = (x - 1) * sp.exp(x)
    lhs, rhs = f.subs(x, -x), f
    assert false_at(lhs, "<=", rhs, {x: -1})  # f(1) = 0 > f(-1) = -2/e
    claim = one_step(lhs, "<=", rhs, FirstDerivativeTest(f, x, -x))
    report = check_lemma(lemma("moving_centre", claim))
    assert report.status != VERIFIED
    assert "depends on x" in report.steps[0].detail


# 2. Induction on a variable that never takes the value 0


@pytest.mark.parametrize(
    "m",
    [sp.Symbol("m", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True, odd=True)],
    ids=["positive", "positive odd"],
)
def test_induction_with_the_base_at_zero_does_not_prove_one_le_two_m_minus_one_squared(m: sp.Symbol) -> None:
    # 1 <= 2 (m - 1)^2 holds at m = 0 (1 <= 2) and passes from m to m + 1 for m >= 1, but fails at m = 1.
    lhs, rhs = sp.S.One, 2 * (m - 1) ** 2
    gap = rhs - lhs
    witness = m**2 + (m - 1) * (m + 1)  # = gap(m + 1) = 2m^2 - 1, which sympy reads >= 0 for an integer m >= 1
    assert sp.expand(gap.subs(m, m + 1) - witness) == 0
    assert false_at(lhs, "<=", rhs, {m: 1})
    claim = one_step(lhs, "<=", rhs, Induction(m, witness, base_witness=sp.S.One))
    report = check_lemma(lemma("late_start", claim))
    assert report.status != VERIFIED
    assert ("base case m = 1" if not m.is_odd else "integers from 0 or from 1") in report.steps[0].detail


def test_induction_refuses_a_variable_that_skips_integers() -> None:
    # An even m takes 0, 2, 4, ...: a step from m to m + 1 says nothing about them, true claim or not.
    m = sp.Symbol("m", integer=True, nonnegative=True, even=True)
    claim = one_step(sp.S.Zero, "<=", m, Induction(m, INDUCTION_HYPOTHESIS + 1, base_witness=sp.S.Zero))
    report = check_lemma(lemma("even_step", claim))
    assert report.status != VERIFIED
    assert "integers from 0 or from 1" in report.steps[0].detail


def test_induction_checks_the_base_at_the_least_value_of_a_positive_integer() -> None:
    m = sp.Symbol("m", integer=True, positive=True)
    # m <= m^2 for m >= 1: base 1 <= 1, step (m+1)^2 - (m+1) = (m^2 - m) + 2m.
    claim = one_step(m, "<=", m**2, Induction(m, INDUCTION_HYPOTHESIS + 2 * m, base_witness=sp.S.Zero))
    assert check_lemma(lemma("m_le_m_sq", claim)).status == VERIFIED


# 3. Functions not defined or not continuous between the ends


def test_monotone_does_not_prove_one_le_minus_one_across_a_jump() -> None:
    f = -sp.sqrt(x**2 - 2 * x + 1) / (x - 1)  # -|x - 1|/(x - 1): 1 below 1, -1 above; derivative 0 where defined
    assert sp.cancel(sp.together(sp.diff(f, x))) == 0
    claim = one_step(f.subs(x, 0), "<=", f.subs(x, 2), Monotone(f, x, sp.S.Zero, sp.S(2)))
    assert false_at(f.subs(x, 0), "<=", f.subs(x, 2), {})
    report = check_lemma(lemma("jump", claim))
    assert report.status != VERIFIED
    assert "defined" in report.steps[0].detail


def test_first_derivative_test_does_not_cross_a_jump() -> None:
    f = -sp.sqrt(x**2 - 2 * x + 1) / (x - 1)
    claim = one_step(f.subs(x, 2), "<=", f, FirstDerivativeTest(f, x, sp.S(2)))
    assert false_at(f.subs(x, 2), "<=", f, {x: 2}) is False and false_at(f.subs(x, 2), "<=", f, {x: 0}) is False
    # f(x) >= f(2) = -1 is true where f is defined; the argument still needs f differentiable between: refused.
    assert check_lemma(lemma("jump_fdt", claim)).status != VERIFIED
    lower = one_step(f, "<=", f.subs(x, 0), FirstDerivativeTest(-f, x, sp.S(0)))
    assert false_at(f, "<=", f.subs(x, 0), {x: sp.Rational(1, 2)}) is False
    assert check_lemma(lemma("jump_fdt_minus", lower)).status != VERIFIED


def test_a_witness_hypothesis_with_a_pole_does_not_make_minus_one_over_x_minus_one_increasing() -> None:
    pole = Hypothesis("pole", sp.S.Zero, "<=", 1 / (x - 1) ** 2, "d/dx (-1/(x-1)) >= 0", forall=(x,))
    f = -1 / (x - 1)
    rule = Monotone(f, x, sp.S.Zero, sp.S(2), derivative_witness=pole.slack)
    claim = one_step(f.subs(x, 0), "<=", f.subs(x, 2), rule, hypotheses=(pole,))
    assert false_at(f.subs(x, 0), "<=", f.subs(x, 2), {})  # 1 <= -1
    assert check_lemma(lemma("pole_witness", claim)).status != VERIFIED


def test_a_derivative_witness_defined_only_on_half_the_line_is_refused() -> None:
    # h = (y - 1) (|y-1| - 1 + y) / (|y-1| - 1 + y) equals y - 1 where defined, i.e. for y > 1 only.
    d = sp.Abs(y - 1) - 1 + y
    half = Hypothesis("half", sp.S.Zero, "<=", ((y - 1) * sp.Abs(y - 1) - (y - 1) + (y - 1) * y) / d, forall=(y,))
    f = (y - 1) ** 2 / 2
    claim = one_step(f.subs(y, -1), "<=", f.subs(y, 0),
                     Monotone(f, y, sp.S(-1), sp.S.Zero, derivative_witness=half.slack), hypotheses=(half,))
    assert false_at(f.subs(y, -1), "<=", f.subs(y, 0), {})  # 2 <= 1/2
    assert check_lemma(lemma("half_line_witness", claim)).status != VERIFIED


def test_a_substitution_across_a_pole_is_not_verified() -> None:
    a = sp.Symbol("a", real=True)
    fact = Hypothesis("fact", a, "<=", a + 2, "a <= a + 2")
    derivation = Derivation.of(-1 / (a - 1), (fact,)).apply(fact)
    claim = derivation.claim("main")
    assert false_at(claim.lhs, "<=", claim.rhs, {a: 0})  # 1 <= -1 at a = 0
    assert check_lemma(lemma("across_pole", claim)).status != VERIFIED


# 4. Citations forget the cited lemma's domain


def _boxed() -> Lemma:
    # p^2 <= p holds on [1/10, 1] only; proved by Box there.
    return lemma("sq_le_self_on_unit", one_step(p**2, "<=", p, Box()), domain={p: (sp.Rational(1, 10), 1)})


def test_a_boxed_claim_cited_outside_its_box_does_not_give_four_le_two() -> None:
    boxed = _boxed()
    assert check_lemma(boxed).status == VERIFIED
    cited = Hypothesis("c", sp.S(4), "<=", sp.S(2), by="sq_le_self_on_unit#main", instance={p: sp.S(2)})
    claim = one_step(sp.S(4), "<=", sp.S(2), Algebra(cited.slack), hypotheses=(cited,))
    assert false_at(sp.S(4), "<=", sp.S(2), {})
    report = check_lemma(lemma("citing_outside", claim, depends_on=(boxed.name,)), {boxed.name: boxed})
    assert report.status != VERIFIED
    assert "domain" in next(s for s in report.steps if s.rule == "citation").detail


def test_a_boxed_claim_cited_without_an_instance_needs_a_domain_inside_its_box() -> None:
    boxed = _boxed()
    cited = Hypothesis("c", p**2, "<=", p, by="sq_le_self_on_unit#main")
    claim = one_step(p**2, "<=", p, Algebra(cited.slack), hypotheses=(cited,))
    assert false_at(p**2, "<=", p, {p: 2})
    bare = check_lemma(lemma("citing_bare", claim, depends_on=(boxed.name,)), {boxed.name: boxed})
    assert bare.status != VERIFIED
    wide = lemma("citing_wide", claim, depends_on=(boxed.name,), domain={p: (sp.Rational(1, 10), 2)})
    assert check_lemma(wide, {boxed.name: boxed}).status != VERIFIED
    inside = lemma("citing_inside", claim, depends_on=(boxed.name,), domain={p: (sp.Rational(1, 5), 1)})
    assert check_lemma(inside, {boxed.name: boxed}).status == VERIFIED


def test_a_report_shows_its_lemmas_domain() -> None:
    report = check_lemma(_boxed())
    assert report.domain == ("p in [1/10, 1]",)
    assert report.to_json()["domain"] == ["p in [1/10, 1]"]


# 5. forall ignored when a hypothesis is discharged


def test_a_hypothesis_assumed_at_one_n_does_not_discharge_one_assumed_for_every_n() -> None:
    n = sp.Symbol("n", integer=True, nonnegative=True)
    a = sp.Function("a", real=True)
    rec = Hypothesis("rec", a(n + 1), "<=", a(n), "a decreases", forall=(n,))
    start = Hypothesis("start", a(0), "<=", sp.S.Zero, "a(0) <= 0")
    decreasing = lemma(
        "nonpos_of_decreasing",
        one_step(a(n), "<=", sp.S.Zero, Induction(n, INDUCTION_HYPOTHESIS + rec.slack, base_witness=start.slack),
                 hypotheses=(rec, start)),
    )
    assert check_lemma(decreasing).status == VERIFIED
    # With a(k) = |k - 1| - 1: a(0) = 0 <= 0 and a(1) <= a(0) hold at n = 0, yet a(3) = 1 > 0.
    once = Hypothesis("once", a(n + 1), "<=", a(n), "a decreases at this n only")
    cited = Hypothesis("c", a(n), "<=", sp.S.Zero, by="nonpos_of_decreasing#main")
    claim = one_step(a(n), "<=", sp.S.Zero, Algebra(cited.slack), hypotheses=(once, start, cited))
    report = check_lemma(lemma("citing_once", claim, depends_on=(decreasing.name,)), {decreasing.name: decreasing})
    assert report.status != VERIFIED
    assert "rec" in next(s for s in report.steps if s.rule == "citation").detail


# 6. Instance keys that are not symbols


@pytest.mark.parametrize("key", [x**2, sp.Function("d")(sp.Symbol("n"))], ids=["x**2", "d(n)"])
def test_an_instance_key_that_is_not_a_symbol_does_not_give_zero_le_minus_one(key) -> None:
    sq = lemma("sq_nonneg", one_step(sp.S.Zero, "<=", x**2, Algebra(x**2)))
    cited = Hypothesis("c", sp.S.Zero, "<=", sp.S(-1), by="sq_nonneg#main", instance={key: sp.S(-1)})
    claim = one_step(sp.S.Zero, "<=", sp.S(-1), Algebra(cited.slack), hypotheses=(cited,))
    report = check_lemma(lemma("citing_key", claim, depends_on=("sq_nonneg",)), {"sq_nonneg": sq})
    assert report.status != VERIFIED
    assert "not a symbol" in next(s for s in report.steps if s.rule == "citation").detail


def test_an_instance_of_a_bound_variable_is_refused() -> None:
    t = sp.Symbol("t", integer=True, nonnegative=True)
    b = sp.Function("b", real=True)
    rec = Hypothesis("rec", b(t + 1), "<=", b(t), forall=(t,))
    bounded = lemma("step_le", one_step(b(t + 1), "<=", b(t), Algebra(rec.slack), hypotheses=(rec,)),
                    hypotheses=())
    s = sp.Symbol("s", integer=True, nonnegative=True)
    # rename only inside the hypothesis: b is given a value for the bound t
    cited = Hypothesis("c", b(s + 1), "<=", b(s), by="step_le#main", instance={t: s})
    ok = check_lemma(lemma("citing_rename", one_step(b(s + 1), "<=", b(s), Algebra(cited.slack),
                                                       hypotheses=(cited, rec)), depends_on=("step_le",)),
                     {"step_le": bounded})
    assert ok.status == VERIFIED  # t is free in the claim's sides: renaming it there is fine


# 7. Duplicate lemma names


def test_two_lemmas_with_one_name_are_refused_everywhere_a_set_of_lemmas_enters() -> None:
    true = lemma("twin", one_step(x, "<=", x + 1, Algebra(sp.S.One)))
    false = lemma("twin", one_step(x, "<=", x - 1, Algebra(sp.S.One)))
    assert false_at(x, "<=", x - 1, {x: 0})
    with pytest.raises(RegistryError):
        check_lemmas([true, false])
    with pytest.raises(RegistryError):
        check_lemma(false, {"twin": true})
    with pytest.raises(RegistryError):
        check_lemma(true, {"other": false})


# 8. Floats inside normal forms


def test_floats_are_refused_in_statements() -> None:
    big = sp.Float("1e20")
    assert (x + big) ** 2 != x**2 + 2 * big * x + sp.Float("1e40")
    with pytest.raises(ValueError, match="Float"):
        one_step((x + big) ** 2, "==", x**2 + 2 * big * x + sp.Float("1e40"))
    with pytest.raises(ValueError, match="Float"):
        Hypothesis("h", x, "<=", sp.Float("0.1"))
    with pytest.raises(ValueError, match="Float"):
        Algebra(sp.Float("0.5") * x**2)
    with pytest.raises(ValueError, match="Float"):
        Monotone(x * sp.Float("2.0"), x, sp.S.Zero, sp.S.One)


# 9 is the interval core's (tests/soundness/test_interval_holes.py).

# False alarms


def test_a_true_claim_about_a_negative_symbol_is_not_refuted_at_a_positive_point() -> None:
    u = sp.Symbol("u", negative=True)
    claim = one_step(sp.exp(u), "<=", sp.S.One)  # true for u < 0; sympy cannot read the sign of 1 - exp(u)
    assert false_at(sp.exp(u), "<=", sp.S.One, {u: sp.Rational(39, 500)})  # where the old sampler looked
    report = check_lemma(lemma("exp_le_one_of_neg", claim))
    assert report.status != FAILED


def test_a_true_claim_about_an_odd_integer_is_not_refuted_at_an_even_point() -> None:
    k = sp.Symbol("k", integer=True, odd=True)
    claim = one_step(sp.Mod(k**2 - 1, 8), "==", sp.S.Zero)  # 8 | k^2 - 1 for odd k; Mod(15, 8) = 7 at k = 4
    assert all(sp.Mod(j**2 - 1, 8) == 0 for j in range(-9, 10, 2))
    assert check_lemma(lemma("odd_square", claim)).status != FAILED


def test_an_equality_under_a_hypothesis_is_not_refuted_outside_it() -> None:
    nonpos = Hypothesis("nonpos", x, "<=", sp.S.Zero)
    claim = one_step(sp.Abs(x), "==", -x, hypotheses=(nonpos,))
    assert false_at(sp.Abs(x), "==", -x, {x: 1})  # false outside the hypothesis only
    report = check_lemma(lemma("abs_of_nonpos", claim))
    assert report.status != FAILED


def test_a_box_refutation_outside_the_hypotheses_is_not_a_failure() -> None:
    q = sp.Symbol("q", positive=True)
    small = Hypothesis("small", q, "<=", sp.Rational(1, 2))
    claim = one_step(q**2, "<=", q / 2, Box(), hypotheses=(small,))  # true for q <= 1/2, false at q = 1
    assert false_at(q**2, "<=", q / 2, {q: 1})
    report = check_lemma(lemma("sq_le_half", claim, domain={q: (sp.Rational(1, 10), 1)}))
    assert report.status != FAILED
