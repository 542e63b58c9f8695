"""A calculus variable restricted by the lemma's domain box to a closed range ``[a, b]`` (Monotone and
FirstDerivativeTest): every premise is proved on ``[a, b]`` and only there.

Each false claim below is confirmed false by an exact evaluation at an explicit point before the engine is asked
about it (so no test passes vacuously), and each is aimed at one premise of the restricted rule: an end outside
the range, f' negative just past the end of the range, f undefined inside the range or at its end, a box that does
not restrict the variable, a centre outside the range, a derivative witness that is not the derivative. None may
come back ``verified``. The true claims, false for values outside the range, must verify with the box and not
without it.
"""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import (
    FAILED,
    VERIFIED,
    Algebra,
    Claim,
    FirstDerivativeTest,
    Hypothesis,
    Lemma,
    Monotone,
    calc,
    check_lemma,
)

tau = sp.Symbol("tau", real=True)
u = sp.Symbol("u", nonnegative=True)
x = sp.Symbol("x", positive=True)
other = sp.Symbol("other", real=True)
HALF = sp.Rational(1, 2)
UNIT = (0, 1)


def one_step(lhs, rel, rhs, rule, hypotheses=()) -> Claim:
    return Claim("main", lhs, rel, rhs, calc((rel, rhs, "the step under attack", rule)), hypotheses=hypotheses)


def lemma(name: str, claim: Claim, domain: dict | None = None) -> Lemma:
    return Lemma(name, f"statement of {name}", "adversarial test", claims=(claim,), domain=domain or {})


def status(name: str, claim: Claim, domain: dict | None = None) -> tuple[str, str]:
    report = check_lemma(lemma(name, claim, domain))
    return report.status, report.steps[0].detail


def false_at(lhs, rel: str, rhs, point: dict) -> bool:
    """Is ``lhs REL rhs`` false at the exact point (both sides finite reals there)?"""
    a, b = (sp.nsimplify(sp.sympify(e).xreplace(point)) for e in (lhs, rhs))
    assert a.is_real and b.is_real, (a, b)
    return {"<=": bool(a > b), ">=": bool(a < b)}[rel]


# ------------------------------------------------------------------------------------------- true claims verify

RISING = tau - tau**2 / 2  # f' = 1 - tau: >= 0 on [0, 1], < 0 beyond


def test_monotone_on_the_unit_range_proves_a_claim_false_beyond_it() -> None:
    lhs, rhs = RISING.subs(tau, 0), RISING  # 0 <= tau - tau^2/2, for tau in [0, 1]
    assert false_at(lhs, "<=", rhs, {tau: 3})
    claim = one_step(lhs, "<=", rhs, Monotone(RISING, tau, sp.S.Zero, tau))
    assert status("rising_on_unit", claim, {tau: UNIT})[0] == VERIFIED
    assert status("rising_everywhere", claim)[0] != VERIFIED


def test_monotone_on_the_unit_range_proves_f_defined_there_only() -> None:
    f = -sp.log(2 - tau)  # increasing where defined (tau < 2); undefined from 2 on
    claim = one_step(f.subs(tau, 0), "<=", f, Monotone(f, tau, sp.S.Zero, tau))
    assert status("log_on_unit", claim, {tau: UNIT})[0] == VERIFIED
    assert status("log_everywhere", claim)[0] != VERIFIED


def test_monotone_with_a_bound_variable_and_a_parameter_verifies_on_the_unit_range() -> None:
    # h(s) = x s - s^2/2 for s in [0, 1] with x >= 1: h' = x - s >= 0, so h(0) <= h(1) = x - 1/2.
    s = sp.Symbol("s", nonnegative=True)
    h = x * s - s**2 / 2
    big = Hypothesis("x_ge_one", x, ">=", sp.S.One)
    rule = Monotone(h, s, sp.S.Zero, sp.S.One, derivative_witness=big.slack + (1 - s))
    claim = one_step(sp.S.Zero, "<=", x - HALF, rule, hypotheses=(big,))
    verdict, detail = status("bound_variable", claim, {s: UNIT})
    assert verdict == VERIFIED, detail


def test_first_derivative_test_on_the_unit_range_proves_a_claim_false_beyond_it() -> None:
    f = -(tau**3) / 3 + sp.Rational(5, 4) * tau**2 - tau  # f' = (tau - 1/2)(2 - tau)
    lhs, rhs = f, f.subs(tau, HALF)
    assert false_at(lhs, ">=", rhs, {tau: 4})
    claim = one_step(lhs, ">=", rhs, FirstDerivativeTest(f, tau, HALF))
    assert status("fdt_on_unit", claim, {tau: UNIT})[0] == VERIFIED
    assert status("fdt_everywhere", claim)[0] != VERIFIED


# --------------------------------------------------------------------------- false claims aimed at each premise


def test_an_end_outside_the_range_is_refused() -> None:
    lhs, rhs = RISING.subs(tau, 0), RISING.subs(tau, 3)  # 0 <= -3/2
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(RISING, tau, sp.S.Zero, sp.S(3)))
    verdict, detail = status("end_outside", claim, {tau: UNIT})
    assert verdict != VERIFIED
    assert "lies in the lemma's domain [0, 1]" in detail


def test_a_symbolic_end_that_leaves_the_range_is_refused() -> None:
    # hi = 3 u for u in [0, 1] goes to 3: f(0) <= f(3u) is false at u = 1.
    f = RISING.subs(tau, u)
    lhs, rhs = f.subs(u, 0), f.subs(u, 3 * u)
    assert false_at(lhs, "<=", rhs, {u: 1})
    claim = one_step(lhs, "<=", rhs, Monotone(f, u, sp.S.Zero, 3 * u))
    verdict, _ = status("symbolic_end_outside", claim, {u: UNIT})
    assert verdict != VERIFIED


@pytest.mark.parametrize("witness", [False, True], ids=["assumptions", "witness"])
def test_a_derivative_negative_just_past_the_end_of_a_wider_range_is_refused(witness: bool) -> None:
    # f = tau - tau^20/20: f' = 1 - tau^19 >= 0 on [0, 1] but < 0 on (1, 6/5], where f drops to about -0.72.
    f = tau - tau**20 / 20
    end = sp.Rational(6, 5)
    lhs, rhs = f.subs(tau, 0), f.subs(tau, end)
    assert false_at(lhs, "<=", rhs, {})
    rule = Monotone(f, tau, sp.S.Zero, end, derivative_witness=(1 - tau**19) if witness else None)
    claim = one_step(lhs, "<=", rhs, rule)
    verdict, detail = status("steep_past_one", claim, {tau: (0, end)})
    assert verdict != VERIFIED, detail
    if not witness:  # refuted at the end of the range, where f' = 1 - (6/5)^19 < 0
        assert verdict == FAILED and "at tau = 6/5" in detail
    assert status("steep_past_one_unit", claim, {tau: UNIT})[0] != VERIFIED  # hi = 6/5 is outside [0, 1]


def test_a_box_wider_than_the_rising_stretch_does_not_restrict_enough() -> None:
    lhs, rhs = RISING.subs(tau, 0), RISING.subs(tau, 5)  # 0 <= 5 - 25/2
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(RISING, tau, sp.S.Zero, sp.S(5)))
    assert status("wide_box", claim, {tau: (0, 5)})[0] != VERIFIED


def test_a_box_on_another_symbol_does_not_restrict_the_variable() -> None:
    lhs, rhs = RISING.subs(tau, 0), RISING.subs(tau, 3)
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs + 0 * other, Monotone(RISING, tau, sp.S.Zero, sp.S(3)))
    assert status("other_box", claim, {other: UNIT})[0] != VERIFIED


def test_a_box_not_inside_the_variables_interval_is_refused() -> None:
    # u >= 0 by its assumptions; the box [-1, 1] reaches outside them, so it is not the range of u.
    f = u - u**2 / 2
    lhs, rhs = f.subs(u, 0), f.subs(u, 3)
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(f, u, sp.S.Zero, sp.S(3)))
    verdict, _ = status("box_outside_assumptions", claim, {u: (-1, 1)})
    assert verdict != VERIFIED
    true_claim = one_step(f.subs(u, 0), "<=", f.subs(u, 1), Monotone(f, u, sp.S.Zero, sp.S.One))
    verdict, detail = status("box_outside_assumptions_true", true_claim, {u: (-1, 1)})
    assert verdict != VERIFIED and "does not restrict" in detail


def test_f_undefined_inside_the_range_is_refused() -> None:
    # f = 1/(x - tau), f' = 1/(x - tau)^2 > 0 where defined; for x in (0, 1) the pole is inside [0, 1]:
    # f(0) <= f(1) reads 1/x <= 1/(x - 1), false at x = 1/2 (2 <= -2).
    f = 1 / (x - tau)
    lhs, rhs = f.subs(tau, 0), f.subs(tau, 1)
    assert false_at(lhs, "<=", rhs, {x: HALF})
    claim = one_step(lhs, "<=", rhs, Monotone(f, tau, sp.S.Zero, sp.S.One))
    verdict, detail = status("pole_inside", claim, {tau: UNIT})
    assert verdict != VERIFIED
    assert "defined and differentiable for every tau in [0, 1]" in detail


def test_f_undefined_at_the_end_of_the_range_is_refused() -> None:
    # f = 1/(1 - tau) has its pole at the end tau = 1 of the range; the box (0, 2) puts it inside: f(0) <= f(2)
    # reads 1 <= -1. With the range [0, 1] the rule must still see the pole at the end (f is not analytic there).
    f = 1 / (1 - tau)
    lhs, rhs = f.subs(tau, 0), f.subs(tau, 2)
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(f, tau, sp.S.Zero, sp.S(2)))
    assert status("pole_in_box", claim, {tau: (0, 2)})[0] != VERIFIED
    at_end = one_step(f.subs(tau, 0), "<=", f, Monotone(f, tau, sp.S.Zero, tau))
    verdict, detail = status("pole_at_end", at_end, {tau: UNIT})
    assert verdict != VERIFIED
    assert "in [0, 1]" in detail


def test_a_centre_outside_the_range_is_refused() -> None:
    # f' = (1 - v)(v - 2): f'(v)(v - 2) = (1 - v)(v - 2)^2 >= 0 on [0, 1], yet f(1) < f(2) (by 1/6).
    f = -(tau**3) / 3 + sp.Rational(3, 2) * tau**2 - 2 * tau
    assert sp.expand(sp.diff(f, tau) - (1 - tau) * (tau - 2)) == 0
    lhs, rhs = f, f.subs(tau, 2)
    assert false_at(lhs, ">=", rhs, {tau: 1})
    claim = one_step(lhs, ">=", rhs, FirstDerivativeTest(f, tau, sp.S(2)))
    verdict, detail = status("centre_outside", claim, {tau: UNIT})
    assert verdict != VERIFIED
    assert "lies in the lemma's domain [0, 1]" in detail


def test_a_derivative_witness_that_is_not_the_derivative_is_refused() -> None:
    # f = tau - tau^2, f' = 1 - 2 tau < 0 past 1/2: f(1/2) <= f(1) reads 1/4 <= 0, false. The witness 1 - tau is
    # >= 0 on [0, 1] but is not f'.
    f = tau - tau**2
    lhs, rhs = f.subs(tau, HALF), f.subs(tau, 1)
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(f, tau, HALF, sp.S.One, derivative_witness=1 - tau))
    verdict, detail = status("wrong_witness", claim, {tau: UNIT})
    assert verdict != VERIFIED
    assert "witness does not equal" in detail


def test_a_derivative_negative_inside_the_range_is_refused() -> None:
    f = tau - tau**2
    lhs, rhs = f.subs(tau, HALF), f.subs(tau, 1)
    assert false_at(lhs, "<=", rhs, {})
    claim = one_step(lhs, "<=", rhs, Monotone(f, tau, HALF, sp.S.One))
    assert status("negative_inside", claim, {tau: UNIT})[0] != VERIFIED


def test_a_derivative_witness_may_use_a_hypothesis_stated_for_every_value_on_the_range() -> None:
    # The hypothesis 1 - tau^2 >= 0, stated for every tau (true on the range), is f' itself for f = tau - tau^3/3.
    f = tau - tau**3 / 3
    q = Hypothesis("q", sp.S.Zero, "<=", 1 - tau**2, "1 - tau^2 >= 0 on the range", forall=(tau,))
    claim = one_step(f.subs(tau, 0), "<=", f.subs(tau, 1), Monotone(f, tau, sp.S.Zero, sp.S.One,
                                                                   derivative_witness=q.slack), hypotheses=(q,))
    verdict, detail = status("forall_witness", claim, {tau: UNIT})
    assert verdict == VERIFIED, detail


def test_a_derivative_witness_may_not_use_a_hypothesis_known_at_one_value_only() -> None:
    # f = tau/2 - tau^2, f' = 1/2 - 2 tau = 2 (1/4 - tau): the slack of "tau <= 1/4" at one tau is not f' >= 0 on
    # the range. f(0) <= f(1) reads 0 <= -1/2, false wherever the hypothesis holds (tau = 0).
    f = tau / 2 - tau**2
    lhs, rhs = f.subs(tau, 0), f.subs(tau, 1)
    assert false_at(lhs, "<=", rhs, {})
    low = Hypothesis("low", tau, "<=", sp.Rational(1, 4))
    claim = one_step(lhs, "<=", rhs, Monotone(f, tau, sp.S.Zero, sp.S.One, derivative_witness=2 * low.slack),
                     hypotheses=(low,))
    verdict, detail = status("pointwise_witness", claim, {tau: UNIT})
    assert verdict != VERIFIED
    assert "known only at one value of tau" in detail


# ------------------------------------------------------------------------------ witnesses read on the lemma's box

y = sp.Symbol("y", real=True)


def test_an_algebra_witness_is_read_on_the_box() -> None:
    # tau^2 <= tau on [0, 1] (witness tau (1 - tau)), false at tau = 2; x y <= 1 on the unit square, false at 2, 2.
    assert false_at(tau**2, "<=", tau, {tau: 2})
    claim = one_step(tau**2, "<=", tau, Algebra(tau * (1 - tau)))
    assert status("square_on_unit", claim, {tau: UNIT})[0] == VERIFIED
    assert status("square_everywhere", claim)[0] != VERIFIED
    assert status("square_other_box", claim, {other: UNIT})[0] != VERIFIED
    assert false_at(tau * y, "<=", 1, {tau: 2, y: 2})
    square = one_step(tau * y, "<=", sp.S.One, Algebra(1 - tau * y))
    assert status("product_on_square", square, {tau: UNIT, y: UNIT})[0] == VERIFIED
    assert status("product_on_one_side", square, {tau: UNIT})[0] != VERIFIED


@pytest.mark.parametrize(
    ("lhs", "rhs", "point", "domain"),
    [
        (tau**2, tau - sp.Rational(1, 4), {tau: 1}, {tau: UNIT}),  # witness -(tau - 1/2)^2
        (tau * y, HALF, {tau: 1, y: 1}, {tau: UNIT, y: UNIT}),  # false at the corner of the box
        (tau**2, tau, {tau: sp.Rational(11, 10)}, {tau: (0, sp.Rational(11, 10))}),  # box past where it holds
    ],
    ids=["negative witness", "corner", "wide box"],
)
def test_a_false_claim_with_its_gap_as_witness_is_not_verified_on_the_box(lhs, rhs, point, domain) -> None:
    assert false_at(lhs, "<=", rhs, point) and all(domain[s][0] <= v <= domain[s][1] for s, v in point.items())
    claim = one_step(lhs, "<=", rhs, Algebra(sp.expand(rhs - lhs)))
    assert status("false_on_box", claim, domain)[0] != VERIFIED


def test_the_box_reading_is_refused_for_a_box_outside_the_symbols_interval() -> None:
    # u >= 0 with the box [-1, 1]: not read through a cover, so u^2 <= u keeps its whole half-line (false at 2).
    assert false_at(u**2, "<=", u, {u: 2})
    claim = one_step(u**2, "<=", u, Algebra(u * (1 - u)))
    assert status("square_box_outside", claim, {u: (-1, 1)})[0] != VERIFIED


def test_an_integer_symbol_is_not_read_through_a_real_cover() -> None:
    # The box of an integer k is not a closed range [a, b]: it is never read through a real cover. Here the witness
    # -k (k - 1)(k - 2) is 0 at k = 0, 1, 2 (the claim holds there, with equality) and false at k = 3.
    k = sp.Symbol("k", integer=True, nonnegative=True)
    claim = one_step(k**3 + 2 * k, "<=", 3 * k**2, Algebra(-k * (k - 1) * (k - 2)))
    assert status("integer_box", claim, {k: (0, 2)})[0] != VERIFIED
    assert false_at(k**3 + 2 * k, "<=", 3 * k**2, {k: 3})
