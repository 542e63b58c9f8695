"""Engine rules added for theorems: induction over an integer, monotonicity on closed domains, rates."""

from __future__ import annotations

import sympy as sp

from rlhfsym.chain import (
    FAILED,
    INDUCTION_HYPOTHESIS,
    VERIFIED,
    Claim,
    Hypothesis,
    Induction,
    Lemma,
    Monotone,
    RateError,
    calc,
    check_lemma,
    leading_rate,
)

t = sp.Symbol("t", integer=True, nonnegative=True)
rho = sp.Symbol("rho", nonnegative=True)
d0 = sp.Symbol("d0", nonnegative=True)
d = sp.Function("d", nonnegative=True)


def _geometric_lemma(step: Hypothesis, witness: sp.Expr, base: Hypothesis) -> Lemma:
    claim = Claim("main", d(t), "<=", rho**t * d0,
                  calc(("<=", rho**t * d0, "induction on t", Induction(t, witness, base_witness=base.slack))),
                  hypotheses=(step, base))
    return Lemma("geometric_decay", "d(t) <= rho^t d0", "test", (claim,))


START = Hypothesis("start", d(0), "<=", d0)


def test_induction_proves_geometric_decay_from_a_recursion_for_every_t() -> None:
    step = Hypothesis("step", d(t + 1), "<=", rho * d(t), forall=(t,))
    lemma = _geometric_lemma(step, step.slack + rho * INDUCTION_HYPOTHESIS, START)
    assert check_lemma(lemma).status == VERIFIED


def test_induction_refuses_a_recursion_known_only_at_one_t() -> None:
    step = Hypothesis("step", d(t + 1), "<=", rho * d(t))  # no forall: a fact about one t only
    lemma = _geometric_lemma(step, step.slack + rho * INDUCTION_HYPOTHESIS, START)
    assert check_lemma(lemma).status != VERIFIED


def test_induction_with_a_wrong_step_witness_is_not_verified() -> None:
    step = Hypothesis("step", d(t + 1), "<=", rho * d(t), forall=(t,))
    lemma = _geometric_lemma(step, step.slack + INDUCTION_HYPOTHESIS, START)  # forgot the factor rho
    assert check_lemma(lemma).status != VERIFIED


def test_induction_needs_its_base_case() -> None:
    step = Hypothesis("step", d(t + 1), "<=", rho * d(t), forall=(t,))
    late_start = Hypothesis("start", d(0), "<=", 2 * d0)  # d(0) <= 2 d0 does not give d(0) <= d0
    assert check_lemma(_geometric_lemma(step, step.slack + rho * INDUCTION_HYPOTHESIS, late_start)).status != VERIFIED


def test_monotone_sqrt_on_a_closed_half_line_is_verified_and_a_discontinuous_one_is_not() -> None:
    x = sp.Symbol("x", nonnegative=True)
    a = sp.Symbol("a", nonnegative=True)
    sqrt_step = Claim("main", sp.sqrt(a), "<=", sp.sqrt(a + 1),
                      calc(("<=", sp.sqrt(a + 1), "sqrt increases", Monotone(sp.sqrt(x), x, a, a + 1))))
    assert check_lemma(Lemma("sqrt_le", "", "test", (sqrt_step,))).status == VERIFIED
    jump = sp.Piecewise((sp.S(5), sp.Eq(x, 0)), (x, True))  # f(0) = 5 > f(1) = 1, f' = 1 inside
    jump_step = Claim("main", sp.S(5), "<=", sp.S.One,
                      calc(("<=", sp.S.One, "", Monotone(jump, x, sp.S.Zero, sp.S.One))))
    report = check_lemma(Lemma("jump_le", "", "test", (jump_step,)))
    assert report.status != VERIFIED


def test_rates_of_polynomial_geometric_and_constant_bounds() -> None:
    n = sp.Symbol("n", positive=True)
    T = sp.Symbol("T", positive=True)
    c = sp.Symbol("c", positive=True)
    assert leading_rate(c / sp.sqrt(n) + 1 / n, n).text == "n^(-1/2)"
    assert leading_rate(c * T ** sp.Rational(-1, 4) + 1 / sp.sqrt(n), T).text == "T^(-1/4)"
    assert leading_rate(c * rho ** (2 * T) + 1 / sp.sqrt(n), T, {rho: "rho"}).text == "rho^(2*T)"
    assert leading_rate(c / sp.sqrt(n), T).text == "T^0"


def test_rate_reads_log_factors_and_refuses_an_unreadable_term() -> None:
    T = sp.Symbol("T", positive=True)
    assert leading_rate(sp.log(T) / T, T).text == "T^(-1)*log(T)^(1)"
    assert leading_rate(((1 + sp.log(T)) / sp.sqrt(T)) ** sp.Rational(1, 4), T).text == "T^(-1/8)*log(T)^(1/4)"
    try:
        leading_rate(sp.sin(T) / T, T)
    except RateError as err:
        assert "sin(T)" in str(err)
    else:
        raise AssertionError("sin(T)/T has no polynomial or geometric order")


def test_rate_reads_shifted_powers_and_stretched_exponentials() -> None:
    T = sp.Symbol("T", positive=True)
    c = sp.Symbol("c", positive=True)
    assert leading_rate(c / (T + 2), T).text == "T^(-1)"
    assert leading_rate(c / (T + 2) + sp.exp(-c * sp.sqrt(T)), T).text == "T^(-1)"  # the polynomial term is slower
    assert leading_rate(sp.exp(2 * c - 2 * c * sp.sqrt(T + 1)), T).text == "exp(-c*T^(1/2))"
    assert leading_rate(sp.exp(-c * sp.sqrt(T)) + sp.exp(-c * T ** sp.Rational(1, 3)), T).text == "exp(-c*T^(1/3))"
    for growing in (sp.exp(c * sp.sqrt(T)), sp.exp(-c * T**2) * T):  # a growing exponent; q outside (0, 1)
        try:
            leading_rate(growing, T)
        except RateError:
            continue
        raise AssertionError(f"{growing} has no stretched-exponential order")


def test_stated_rate_that_differs_from_the_computed_one_fails() -> None:
    n = sp.Symbol("n", positive=True)
    bound = 1 / sp.sqrt(n)
    claim = Claim("main", bound, "<=", bound, calc(("==", bound, "")))
    lemma = Lemma("wrong_rate", "", "test", (claim,), kind="theorem", bound=bound, rates={"n": "n^(-1)"})
    report = check_lemma(lemma)
    assert report.status == FAILED
    assert any(s.rule == "rate" and s.status == FAILED and "computed n^(-1/2)" in s.detail for s in report.steps)


def test_first_derivative_test_refuses_a_function_with_a_jump() -> None:
    from rlhfsym.chain import FirstDerivativeTest

    y = sp.Symbol("y", real=True)
    f = sp.Piecewise((sp.S(-5), sp.Eq(y, 2)), ((y - 1) ** 2, True))  # f(2) = -5 < f(1) = 0
    claim = Claim("main", sp.S.Zero, "<=", f, calc(("<=", f, "", FirstDerivativeTest(f, y, sp.S.One))))
    assert check_lemma(Lemma("jump_min", "", "test", (claim,))).status != VERIFIED


def test_engine_refuses_text_where_an_expression_is_expected() -> None:
    import pytest

    from rlhfsym.chain import Step

    with pytest.raises(sp.SympifyError):
        Step("==", "__import__('os').getcwd()", "text must never reach sympify")
