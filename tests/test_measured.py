"""A value measured by a user's own code against a certified bound: rlhfsym.check, rlhfsym.measured and
rlhfsym.testing.assert_within_bound, and the example that opens docs/testing.md (a user's own numpy GA)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rlhfsym
from rlhfsym import testing as rt
from rlhfsym.bounds import bound
from rlhfsym.errors import ParameterError
from rlhfsym.measured import Check, check, exact_parameters
from rlhfsym.numerics import Instance
from rlhfsym.rules import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
DIST = "ga_last_dist_le_of_coverage"
STABILITY = "ga_last_expected_gap_le_of_stability"
GOOD = {"B": 1.0, "S": 0.5, "beta": 1.0, "gamma": 0.25, "T": 20, "eta": 0.9}
#: The planted bug of the docs' example: a sign error in the gradient's (theta - beta w).
CORRECT, PLANTED = "theta - beta * w", "theta + beta * w"


# ------------------------------------------------------------------------------------------------ the docs' example


def _opening_example() -> str:
    """The first ```python block of docs/testing.md: the user's own GA and its test (extracted as
    tests/test_docs.py extracts the blocks of the other docs)."""
    blocks = re.findall(r"^```python\n(.*?)^```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)
    assert blocks, "docs/testing.md has no python block"
    return blocks[0]


def _tests_of(source: str) -> list:
    namespace: dict = {"__name__": "docs_testing_md_example"}
    exec(compile(source, str(DOCS), "exec"), namespace)  # our own documentation
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert len(tests) == 1, [f.__name__ for f in tests]
    return tests


def test_the_docs_open_with_a_test_of_the_users_own_gradient_ascent() -> None:
    text = DOCS.read_text(encoding="utf-8")
    first_section = text.split("\n## ", 2)[1]
    assert first_section.startswith("Your own gradient ascent") and "```python" in first_section
    source = _opening_example()
    assert "rt.assert_within_bound" in source and "rt.instances(" in source
    assert "from rlhfsym.numerics" not in source, "the user's GA is written with numpy alone"


# The example as written (the user's correct GA) runs, with every other block of docs/testing.md, in
# tests/test_testing_strategies.py::test_docs_examples_run (about 20 s: once is enough).


@pytest.mark.cost(5)
def test_the_docs_example_catches_a_sign_error_planted_in_the_gradient() -> None:
    source = _opening_example()
    assert source.count(CORRECT) == 1
    (test,) = _tests_of(source.replace(CORRECT, PLANTED))
    with pytest.raises(AssertionError) as failure:
        test()
    message = str(failure.value)
    assert f"{DIST}: the measured distance" in message and "EXCEEDS the certified bound" in message
    for shown in ("parameters  B=", "gamma=", "T=", "eta=", "entered as  B=[", "case        Case("):
        assert shown in message, message


# ------------------------------------------------------------------------------------------------ check


def test_check_is_the_public_rlhfsym_check() -> None:
    assert rlhfsym.check is check and "check" in dir(rlhfsym)


def test_a_value_below_the_bound_holds_and_one_above_it_does_not() -> None:
    within = check(DIST, 0.01, **GOOD)
    assert isinstance(within, Check) and within.holds and bool(within)
    assert within.upper >= float(Fraction(within.bound)) > 0.01
    assert within.ratio == pytest.approx(0.01 / within.upper)
    above = check(DIST, 2 * within.upper, **GOOD)
    assert not above and above.ratio == pytest.approx(2.0, rel=1e-9)
    assert "ABOVE THE BOUND" in repr(above) and "within the bound" in repr(within)
    assert len(repr(within)) < 160


def test_the_tolerances_are_relative_and_absolute() -> None:
    upper = check(DIST, 0.0, **GOOD).upper
    assert check(DIST, upper * (1 + 5e-10), **GOOD)
    assert not check(DIST, upper * (1 + 5e-9), **GOOD)
    assert check(DIST, upper + 1e-6, atol=2e-6, **GOOD)
    assert not check(DIST, upper * 1.01, rtol=0.0, **GOOD)


def test_the_check_is_the_bound_certified_at_intervals_around_the_floats() -> None:
    result = check(DIST, 0.01, **GOOD).result
    B, gamma, eta = (result.parameters[name] for name in ("B", "gamma", "eta"))
    assert B.lo < 1 < B.hi and B.hi - B.lo == pytest.approx(2e-12, rel=1e-6)
    assert gamma.lo < Fraction(1, 4) < gamma.hi
    assert eta.is_point and eta.lo == Fraction(0.9)  # the binary value the code used, not 9/10


def test_numpy_scalars_and_zero_dimensional_arrays_are_measured_values() -> None:
    values = {"B": np.float32(1.0), "S": np.array(0.5), "beta": np.float64(1.0), "gamma": 0.25, "T": np.int64(20),
              "eta": 0.9}  # fmt: skip
    assert check(DIST, np.float64(0.01), **values).bound == check(DIST, 0.01, **GOOD).bound


def test_a_pair_of_floats_is_an_interval_entered_exactly() -> None:
    result = check(DIST, 0.01, **{**GOOD, "gamma": (0.2, 0.3)}).result
    assert (result.parameters["gamma"].lo, result.parameters["gamma"].hi) == (Fraction(0.2), Fraction(0.3))


def test_exact_values_enter_as_given() -> None:
    entered = exact_parameters({"B": 1, "S": "1/2", "gamma": Fraction(1, 4), "delta": "0.05", "T": 20})
    assert entered == {"B": 1, "S": "1/2", "gamma": Fraction(1, 4), "delta": "0.05", "T": 20}


def test_every_margin_of_the_parameter_table_gives_an_interval_around_the_float() -> None:
    context = {"B": 2.0, "S": 3.0, "beta": 0.5}
    for name, rule in RULES.items():
        if rule.margin is None:
            continue
        values = {**context, name: 0.125}
        lo, hi = exact_parameters(values)[name]
        assert lo < Fraction(0.125) < hi, name
        assert float(hi - lo) == pytest.approx(2 * rule.margin(values), rel=1e-9), name


def test_gamma_at_the_norm_bound_is_capped_below_B_squared() -> None:
    # Antipodal actions +-B under a uniform reference: gamma = B^2 exactly; gamma <= B^2 must still be certified.
    lo, hi = exact_parameters({"B": 1.0, "gamma": 1.0})["gamma"]
    B_lo = exact_parameters({"B": 1.0})["B"][0]
    assert lo <= hi < B_lo**2
    result = check(DIST, 0.0, **{**GOOD, "gamma": 1.0, "eta": 0.5})
    # The cap lowers gamma, so it can only raise the bound (every bound is nonincreasing in gamma).
    assert Fraction(result.bound) >= Fraction(bound(DIST, B=1, S="0.5", beta=1, gamma=1, T=20, eta="0.5").lower)


def test_a_gamma_within_its_margin_of_zero_is_not_coverage() -> None:
    with pytest.raises(ParameterError, match="parameter gamma: the sample is not covered"):
        check(DIST, 0.01, **{**GOOD, "gamma": 1e-13})
    with pytest.raises(ParameterError, match="parameter gamma"):
        check(DIST, 0.01, **{**GOOD, "gamma": -1e-3})


def test_a_step_at_one_over_beta_B_squared_measured_is_refused_since_B_may_be_larger() -> None:
    B = 1.3
    with pytest.raises(ParameterError, match="parameter eta"):
        check(DIST, 0.01, **{**GOOD, "B": B, "gamma": 0.5, "eta": 1 / B**2})
    assert check(DIST, 0.01, **{**GOOD, "B": B, "gamma": 0.5, "eta": (1 - 1e-9) / B**2})


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"eta": 2.0}, "parameter eta = 2: must satisfy eta <= 1/(B**2*beta)"),
        ({"T": 2.5}, "parameter T = 2.5: must be an integer"),
        ({"gamma": True}, "parameter gamma = True: must be a number, not a boolean"),
        ({"gamma": float("nan")}, "parameter gamma = nan: must be a finite number"),
        ({"S": float("inf")}, "parameter S = inf: must be a finite number"),
        ({"S": -0.5}, "parameter S"),
        ({"beta": 0.0}, "parameter beta"),
        ({"delta": 0.05}, "parameter delta: is not a parameter of ga_last_dist_le_of_coverage"),
        ({"foo": 1.0}, "parameter foo: unknown parameter"),
        ({"gamma": (0.3, 0.2)}, "parameter gamma = (0.3, 0.2): interval with lo > hi"),
        ({"gamma": (0.1, 0.2, 0.3)}, "parameter gamma = (0.1, 0.2, 0.3): an interval is a pair"),
        ({"gamma": [0.1, 0.2]}, "parameter gamma"),
    ],
)
def test_bad_values_raise_a_parameter_error_naming_the_parameter_and_the_rule(change, fragment) -> None:
    with pytest.raises(ParameterError) as error:
        check(DIST, 0.01, **{**GOOD, **change})
    assert fragment in str(error.value)


def test_a_missing_parameter_is_named() -> None:
    values = {k: v for k, v in GOOD.items() if k != "gamma"}
    with pytest.raises(ParameterError, match="parameter gamma: is required by ga_last_dist_le_of_coverage"):
        check(DIST, 0.01, **values)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"measured": "0.1"}, "parameter measured"),
        ({"measured": True}, "parameter measured"),
        ({"measured": 0.1, "rtol": -1.0}, "parameter rtol"),
        ({"measured": 0.1, "atol": float("inf")}, "parameter atol"),
    ],
)
def test_bad_measured_values_and_tolerances_are_refused(kwargs, fragment) -> None:
    with pytest.raises(ParameterError, match=fragment):
        check(DIST, **kwargs, **GOOD)


def test_a_diverged_run_measuring_nan_or_inf_is_never_within_the_bound() -> None:
    for value in (float("nan"), float("inf"), np.float64("nan")):
        assert not check(DIST, value, **GOOD)
    with pytest.raises(AssertionError, match="the measured distance nan is NaN, NOT WITHIN the certified bound"):
        rt.assert_within_bound(DIST, float("nan"), **GOOD)


def test_an_unknown_theorem_is_refused() -> None:
    with pytest.raises(ParameterError, match="parameter theorem"):
        check("no_such_theorem", 0.1, **GOOD)


def test_an_asserted_condition_must_be_assumed_by_name() -> None:
    with pytest.raises(ParameterError, match=r"parameter assume: .*every_sample_covered"):
        check(STABILITY, 0.01, **GOOD)
    result = check(STABILITY, 0.01, assume="every_sample_covered", **GOOD)
    assert result.holds_how == "expectation" and "assumed     every_sample_covered" in result.explain()


def test_the_json_carries_the_measured_value_the_bound_and_the_given_parameters() -> None:
    data = check(DIST, 0.01, **GOOD).to_json()
    assert data["holds"] is True and data["measured"] == 0.01 and data["given"]["eta"] == "0.9"
    assert data["bound"]["theorem"] == DIST and data["upper"] == data["bound"]["upper"]


# ------------------------------------------------------------------------------------------------ soundness


def _binary(x: Fraction) -> Fraction:
    return Fraction(float(x))


@given(
    rt.settings(include=("B", "S", "beta", "gamma", "T"), B=("1/10", 10), S=(0, 10), beta=("1/100", 100),
                T=(1, 200)),
    st.floats(1e-3, 1.0),
)  # fmt: skip
def test_the_bound_checked_at_the_floats_is_at_least_the_bound_at_the_true_values(values, step) -> None:
    """The true B, S, gamma are exact; the code measures them as floats (rounded once: well within the margins) and
    uses binary beta and eta. The bound certified at the measured floats is never below the bound at the true
    values (the box contains them; a gamma capped below B^2 only raises the bound)."""
    beta = _binary(values["beta"])
    eta = _binary(Fraction(step) / (beta * values["B"] ** 2) * Fraction(999, 1000))
    true = bound(DIST, B=values["B"], S=values["S"], beta=beta, gamma=values["gamma"], T=values["T"], eta=eta)
    measured = {"B": float(values["B"]), "S": float(values["S"]), "beta": float(beta), "gamma": float(values["gamma"]),
                "T": values["T"], "eta": float(eta)}  # fmt: skip
    result = check(DIST, float(Fraction(true.lower)), **measured)
    assert result.holds
    assert Fraction(result.bound) >= Fraction(true.lower)


def test_simulate_enters_its_measured_parameters_by_the_same_rules() -> None:
    from rlhfsym.simulate import simulate

    run = simulate(DIST, seed=2, T=5)
    m = run.measured
    entered = exact_parameters({name: m[name] for name in ("B", "S", "gamma")})
    for name in ("B", "S", "gamma"):
        value = run.result.parameters[name]
        assert (value.lo, value.hi) == entered[name], name


# ------------------------------------------------------------------------------------------------ assert_within_bound


def test_assert_within_bound_returns_the_check_when_it_holds() -> None:
    result = rt.assert_within_bound(DIST, 0.01, **GOOD)
    assert isinstance(result, Check) and result.holds


def test_assert_within_bound_reports_the_parameters_the_value_and_the_bound() -> None:
    upper = check(DIST, 0.0, **GOOD).upper
    with pytest.raises(AssertionError) as failure:
        rt.assert_within_bound(DIST, 3 * upper, **GOOD)
    message = str(failure.value)
    assert f"the measured distance {3 * upper!r} EXCEEDS the certified bound" in message
    assert "parameters  B=1.0, S=0.5, beta=1.0, gamma=0.25, T=20, eta=0.9" in message
    assert "ratio 3" in message


@given(rt.instances(coverage="full", d=(1, 3), n=(1, 4)))
def test_assert_within_bound_takes_the_parameters_a_case_measures(case) -> None:
    p = case.parameters()
    result = rt.assert_within_bound(DIST, 0.0, case=case, T=3, eta=0.5 / (p["beta"] * p["B"] ** 2))
    assert {name: result.given[name] for name in ("B", "S", "beta", "gamma")} == {
        name: p[name] for name in ("B", "S", "beta", "gamma")
    }


def test_assert_within_bound_names_the_case_on_failure() -> None:
    # Two antipodal actions at the norm bound under a uniform reference: gamma = B^2 = 1 exactly.
    inst = Instance(np.array([[[1.0], [-1.0]]]), np.ones(1), np.array([0.5]), np.full((1, 2), 0.5), 1.0)
    case = rt.Case(inst, np.zeros(3, dtype=np.int64), coverage="full", ref="uniform")
    with pytest.raises(AssertionError, match=r"case        Case\(coverage='full', ref='uniform', N=1, K=2, d=1"):
        rt.assert_within_bound(DIST, 1e6, case=case, T=1, eta=0.5)


def test_assert_within_bound_refuses_what_is_not_a_case() -> None:
    with pytest.raises(ParameterError, match="parameter case"):
        rt.assert_within_bound(DIST, 0.0, case="a case", T=1, eta=0.5)
