"""Certified values of the theorems: rlhfsym.bound / theorems / sample_size and the CLI commands behind them."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

from rlhfsym import cli
from rlhfsym.api import chain as load_chain
from rlhfsym.bounds import bound, sample_size, theorem_info, theorems
from rlhfsym.errors import ParameterError
from rlhfsym.setting import SYMBOLS

#: Values under which every theorem's conditions hold (eta = 1 <= 1/(beta B^2) = 2).
VALUES = {
    "B": "1",
    "S": "1",
    "beta": "0.5",
    "n": "1000",
    "gamma": "0.01",
    "T": "100",
    "eta": "1",
    "delta": "0.05",
    "residual": "0.1",
    "d": "2",
    "gamma_D": "0.5",
}
NAMES = [row["theorem"] for row in theorems()]
BOUND_KEYS = {
    "schema", "theorem", "algorithm", "bounds", "iterate", "holds", "delta", "parameters", "digits", "lower",
    "upper", "terms", "constants", "step", "vacuous", "trivial_bound", "vacuous_reason", "rate_n", "rate_T",
    "conditional_on", "assumptions", "expression", "latex",
}  # fmt: skip
LIST_KEYS = {
    "theorem", "algorithm", "bounds", "iterate", "holds", "parameters", "rate_n", "rate_T", "statement", "bound",
    "conditions", "asserted",
}  # fmt: skip


def assumed(theorem: str) -> list[str]:
    """The theorem's asserted conditions, which a caller must assume by name (the refusal is tested over the
    registry in tests/test_chain_connected.py)."""
    return [h.name for h in theorem_info(theorem).asserted]


def values_for(theorem: str, **changes: str) -> dict[str, str]:
    return {**{p: VALUES[p] for p in theorem_info(theorem).parameters}, **changes}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rlhfsym", *args], capture_output=True, text=True, timeout=300)


def flags(values: dict[str, str]) -> list[str]:
    return [item for name, value in values.items() for item in (f"--{name}", value)]


def test_theorem_list_covers_every_theorem_of_the_chain_with_its_labels() -> None:
    chain = load_chain()
    assert NAMES == [lemma.name for lemma in chain.ordered() if lemma.kind == "theorem"]
    for row in theorems():
        assert set(row) == LIST_KEYS
        lemma = chain.get(row["theorem"])
        assert row["rate_n"] == lemma.rates["n"] and row["rate_T"] == lemma.rates.get("T")
        assert {SYMBOLS[p] for p in row["parameters"]} >= lemma.bound.free_symbols
        assert row["statement"] == lemma.statement and sp.sympify(row["bound"], locals=SYMBOLS) == lemma.bound
        info = theorem_info(row["theorem"])
        assert [c["name"] for c in row["conditions"]] == [h.name for h in info.conditions]
        assert [c["name"] for c in row["asserted"]] == [h.name for h in info.asserted]
        for c in row["conditions"] + row["asserted"]:
            assert set(c) == {"name", "statement", "text"} and c["statement"]


@pytest.mark.parametrize("theorem", NAMES)
def test_bound_json_has_the_documented_keys_and_an_ordered_enclosure(theorem: str) -> None:
    data = bound(theorem, assume=assumed(theorem), **values_for(theorem)).to_json()
    assert set(data) == BOUND_KEYS
    assert data["conditional_on"] == assumed(theorem)
    kinds = [a["kind"] for a in data["assumptions"]]
    assert set(kinds) <= {"rule", "parameter", "asserted", "external"}
    assert kinds == sorted(kinds, key=["rule", "parameter", "asserted", "external"].index)
    assert Fraction(data["lower"]) <= Fraction(data["upper"])
    assert list(data["parameters"]) == list(theorem_info(theorem).parameters)
    assert (data["step"] is None) == (data["algorithm"] == "erm")
    assert data["schema"] == "rlhfsym.bound.v2"


@pytest.mark.parametrize("theorem", NAMES)
def test_upper_is_never_below_the_100_digit_bound_at_points_of_the_box(theorem: str) -> None:
    boxed = values_for(theorem, S="[0.9,1.1]", B="[0.95,1]")
    result = bound(theorem, digits=4, assume=assumed(theorem), **boxed)
    expr = theorem_info(theorem).bound
    rng = random.Random(theorem)
    for _ in range(20):
        point = {SYMBOLS[p]: sp.Rational(v) for p, v in values_for(theorem).items()}
        point[SYMBOLS["S"]] = sp.Rational(rng.randint(900, 1100), 1000)
        point[SYMBOLS["B"]] = sp.Rational(rng.randint(950, 1000), 1000)
        exact = expr.xreplace(point).evalf(100)
        assert sp.Rational(result.lower) <= exact <= sp.Rational(result.upper), (point, exact)


def test_api_json_is_exactly_the_cli_json() -> None:
    theorem = "ga_best_gap_le_of_coverage"
    done = run("bound", theorem, "--json", "--digits", "8", *flags(values_for(theorem)))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == bound(theorem, digits=8, **values_for(theorem)).to_json()


def test_paper_forms_report_the_step_size_they_use() -> None:
    assert bound("ga_best_gap_le_of_coverage", **values_for("ga_best_gap_le_of_coverage")).eta == "2/13"  # 1/L
    assert bound("sga_prompt_best_gap_le_of_coverage", **values_for("sga_prompt_best_gap_le_of_coverage")).eta == (
        "1/(13*sqrt(t))"
    )
    assert bound("ga_last_dist_le_of_coverage", **values_for("ga_last_dist_le_of_coverage")).eta == "1"


def test_interval_parameters_enclose_the_bound_at_both_ends() -> None:
    theorem = "ga_last_dist_le_of_coverage"
    wide = bound(theorem, digits=12, **values_for(theorem, gamma="[0.01,0.02]"))
    for end in ("0.01", "0.02"):
        point = bound(theorem, digits=12, **values_for(theorem, gamma=end))
        assert Fraction(wide.lower) <= Fraction(point.lower) <= Fraction(point.upper) <= Fraction(wide.upper)


BREAKS = [
    ("ga_last_dist_le_of_coverage", {"eta": "3"}, "eta", "eta <= 1/(B**2*beta)"),
    ("ga_last_dist_le_of_coverage", {"eta": "[1,3]"}, "eta", "it fails at"),
    ("ga_last_dist_le_of_coverage", {"gamma": "0"}, "gamma", "must be > 0 (feature coverage)"),
    ("ga_last_dist_le_of_coverage", {"gamma": "-1"}, "gamma", "must be > 0"),
    ("ga_last_dist_le_of_coverage", {"gamma": "2"}, "gamma", "must be <= B^2"),
    ("ga_last_dist_le_of_coverage", {"beta": "[2,1]"}, "beta", "lo > hi"),
    ("ga_last_dist_le_of_coverage", {"beta": "nan"}, "beta", "NaN"),
    ("ga_last_dist_le_of_coverage", {"n": "10"}, "n", "is not a parameter of ga_last_dist_le_of_coverage"),
    ("erm_gap_le_of_coverage", {"delta": "1"}, "delta", "must lie in (0, 1)"),
    ("erm_gap_le_of_coverage", {"delta": "0"}, "delta", "must lie in (0, 1)"),
    ("erm_gap_le_of_coverage", {"n": "2.5"}, "n", "must be an integer"),
    ("erm_gap_le_of_coverage", {"B": "0.1.2"}, "B", "is not a number"),
]


@pytest.mark.parametrize(("theorem", "change", "parameter", "rule"), BREAKS)
def test_values_that_break_an_assumption_raise_naming_the_parameter(theorem, change, parameter, rule) -> None:
    with pytest.raises(ParameterError, match=re.escape(rule)) as err:
        bound(theorem, **values_for(theorem, **change))
    assert err.value.parameter == parameter


@pytest.mark.parametrize(("theorem", "change", "parameter", "rule"), BREAKS[:3] + BREAKS[8:10])
def test_cli_refuses_a_broken_assumption_with_one_line_and_exit_2(theorem, change, parameter, rule, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["bound", theorem, *flags(values_for(theorem, **change))])
    assert done.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and f"parameter {parameter}" in err and rule in err


def test_missing_parameter_is_named_with_its_meaning() -> None:
    values = values_for("erm_gap_le_of_coverage")
    del values["delta"]
    with pytest.raises(ParameterError, match=r"delta: is required by erm_gap_le_of_coverage \(confidence"):
        bound("erm_gap_le_of_coverage", **values)


def test_unknown_theorem_lists_the_known_ones() -> None:
    with pytest.raises(ParameterError, match="unknown theorem; known: erm_gap_le_of_coverage"):
        bound("no_such_theorem")


def test_python_floats_are_refused() -> None:
    with pytest.raises(ParameterError, match="floats are already rounded"):
        bound("erm_gap_le_of_coverage", **{**values_for("erm_gap_le_of_coverage"), "delta": 0.05})


@pytest.mark.parametrize("digits", [0, 51, True, "6"])
def test_digits_outside_one_to_fifty_are_refused(digits) -> None:
    with pytest.raises(ParameterError, match="digits"):
        bound("erm_gap_le_of_coverage", digits=digits, **values_for("erm_gap_le_of_coverage"))


def _certified_at(theorem: str, var: str, k: int, values: dict[str, str]):
    return bound(theorem, digits=30, **values, **{var: str(k)})


@pytest.mark.parametrize(
    ("theorem", "var", "epsilon"),
    [
        ("erm_gap_le_of_coverage", "n", "0.05"),
        ("ga_best_gap_le_of_coverage", "T", "400"),
        ("ga_last_dist_le_of_coverage", "T", "0.01"),
        ("sga_prompt_best_gap_le_of_coverage", "n", "7928"),
    ],
)
def test_sample_size_is_certified_at_the_answer_and_exceeded_just_below(theorem, var, epsilon) -> None:
    values = {p: v for p, v in values_for(theorem).items() if p != var}
    answer = sample_size(theorem, epsilon, solve_for=var, **values)
    assert answer.variable == var and answer.to_json()[var] == answer.value
    assert Fraction(_certified_at(theorem, var, answer.value, values).upper) <= Fraction(epsilon)
    if answer.value > 1:
        assert answer.previous == "exceeds"
        assert Fraction(_certified_at(theorem, var, answer.value - 1, values).lower) > Fraction(epsilon)
    assert answer.monotone and answer.smallest


def test_sample_size_in_the_population_coverage_is_the_first_n_where_the_chernoff_condition_holds() -> None:
    """epsilon = 10 is met by the bound at every n; the answer is then the least n with d e^{-c n gamma_D/B^2} <=
    delta/2 (c = (1 - log 2)/2, computed here at 50 digits), and one prompt fewer is refused by that condition."""
    import mpmath

    values = {p: v for p, v in values_for("erm_gap_le_of_population_coverage").items() if p != "n"}
    answer = sample_size("erm_gap_le_of_population_coverage", "10", **values)
    mpmath.mp.dps = 50
    c = (1 - mpmath.log(2)) / 2
    least = int(mpmath.ceil(mpmath.log(2 * 2 / mpmath.mpf("0.05")) / (c * mpmath.mpf("0.5"))))
    assert answer.value == least
    with pytest.raises(ParameterError, match="chernoff_confidence") as refused:
        bound("erm_gap_le_of_population_coverage", **values, n=str(least - 1))
    assert refused.value.parameter == "n"  # "n is large enough": the error names what the user must raise
    bound("erm_gap_le_of_population_coverage", **values, n=str(least))


def test_sample_size_refuses_a_variable_the_bound_does_not_depend_on() -> None:
    values = {p: v for p, v in values_for("ga_last_dist_le_of_coverage").items()}
    with pytest.raises(ParameterError, match="does not depend on n"):
        sample_size("ga_last_dist_le_of_coverage", "0.1", solve_for="n", **values)


def test_sample_size_refuses_an_epsilon_below_the_limit_and_gives_the_limit() -> None:
    values = {p: v for p, v in values_for("erm_min_norm_gap_le_of_partial_coverage", residual="1").items() if p != "n"}
    with pytest.raises(ParameterError, match=r"tends to >= 0\.25"):
        sample_size("erm_min_norm_gap_le_of_partial_coverage", "0.01", **values)


def test_sample_size_refuses_the_solved_variable_as_a_given_parameter() -> None:
    with pytest.raises(ParameterError, match="is what is solved for"):
        sample_size("erm_gap_le_of_coverage", "0.1", **values_for("erm_gap_le_of_coverage"))


def test_sample_size_cli_prints_json_with_the_answer_under_its_name() -> None:
    values = {p: v for p, v in values_for("ga_last_dist_le_of_coverage").items() if p != "T"}
    done = run("sample-size", "ga_last_dist_le_of_coverage", "--epsilon", "0.5", "--solve-for", "T", "--json",
               *flags(values))  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data["T"], int) and data["certified"] is True and data["smallest"] is True


def test_bound_list_cli_json_equals_the_api_list() -> None:
    done = run("bound", "--list", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"schema": "rlhfsym.theorems.v2", "theorems": theorems()}


def test_bound_cli_table_shows_the_certified_upper_value() -> None:
    done = run("bound", "erm_gap_le_of_coverage", *flags(values_for("erm_gap_le_of_coverage")))
    assert done.returncode == 0, done.stderr
    assert "upper       0.0858939" in done.stdout


def test_bound_without_theorem_or_list_is_an_error(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["bound"])
    assert done.value.code == 2 and "give a THEOREM" in capsys.readouterr().err
