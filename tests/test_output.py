"""How certified values are written out (rlhfsym.output): one number format rounded outward, a schema on every JSON
output, a bound split into named terms, the vacuous flag against the trivial bound of each quantity, bound --all,
and the Python API of a result (repr, float, _repr_latex_)."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from rlhfsym import cli
from rlhfsym.bounds import bound, bound_all, sample_size, theorem_info, theorems
from rlhfsym.output import SCHEMAS, exact_number, float_up, iterate_radius, number, terms, trivial_bounds
from rlhfsym.setting import SYMBOLS

#: Values under which every theorem's conditions hold (eta = 1 <= 1/(beta B^2) = 2).
VALUES = {"B": "1", "S": "1", "beta": "0.5", "n": "1000", "gamma": "0.01", "T": "100", "eta": "1", "delta": "0.05",
          "residual": "0.1", "K": "3", "d": "3", "gamma_D": "0.1"}  # fmt: skip
NAMES = [row["theorem"] for row in theorems()]
#: The paper-form GA bound at beta = 0.1 (issue 16: 2.6e19 printed without a word at its own parameters).
PAPER_GA = ("ga_best_gap_le_of_coverage", {"B": "1", "S": "1", "beta": "0.1", "n": "1000", "gamma": "0.01",
                                           "T": "100", "delta": "0.05"})  # fmt: skip
#: The one layout: positional (no exponent) or d.ddd e+-X; never a trailing zero after a decimal point.
POSITIONAL = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")
SCIENTIFIC = re.compile(r"^-?[1-9](\.[0-9]*[1-9])?e[+-][0-9]+$")


def values_for(theorem: str, **changes: str) -> dict[str, str]:
    return {**{p: VALUES[p] for p in theorem_info(theorem).parameters}, **changes}


def assumed(theorem: str) -> list[str]:
    return [h.name for h in theorem_info(theorem).asserted]


def in_one_format(text: str, digits: int) -> bool:
    """Is ``text`` in the layout of :func:`rlhfsym.output.number` at ``digits`` significant digits?"""
    if SCIENTIFIC.match(text):
        exponent = int(text.split("e")[1])
        return not -5 <= exponent < digits
    if not POSITIONAL.match(text):
        return False
    figures = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0")
    return len(figures) <= digits


# ------------------------------------------------------------------------------------------------ the number format

fractions = st.fractions(max_denominator=10**30).filter(lambda q: abs(q) < 10**40)


@given(fractions, st.integers(1, 30))
@example(Fraction(264974 * 10**14), 6)  # issue 16: "26497400000000000000" is 2.64974e+19
@example(Fraction(999999, 10**6), 2)
def test_number_rounds_outward_within_one_unit_in_the_one_layout(x: Fraction, digits: int) -> None:
    up, down = number(x, digits, "up"), number(x, digits, "down")
    assert Fraction(Decimal(down)) <= x <= Fraction(Decimal(up))
    assert in_one_format(up, digits) and in_one_format(down, digits), (up, down)
    if x != 0:
        unit = Fraction(10) ** (math.floor(math.log10(abs(float(x)) or 1e-300)) - digits + 2)
        assert Fraction(Decimal(up)) - x < unit and x - Fraction(Decimal(down)) < unit


def test_number_never_writes_more_digits_than_are_significant() -> None:
    assert number(Fraction(264974 * 10**14), 6, "up") == "2.64974e+19"
    assert number(Fraction(253796 * 10**24), 6, "up") == "2.53796e+29"
    assert number(Fraction(1, 3), 3, "up") == "0.334" and number(Fraction(1, 3), 3, "down") == "0.333"
    assert number(Fraction(1, 4), 6, "up") == "0.25"  # no trailing zeros
    assert number(Fraction(123456), 6, "up") == "123456" and number(Fraction(1234567), 6, "up") == "1.23457e+6"
    assert number(Fraction(1, 10**6), 6, "up") == "1e-6" and number(Fraction(1, 10**5), 6, "up") == "0.00001"


@given(fractions)
def test_exact_number_reads_back_exactly(x: Fraction) -> None:
    text = exact_number(x)
    if text is not None:
        assert (Fraction(text) if "/" in text else Fraction(Decimal(text))) == x


@given(st.fractions(min_value=-(10**300), max_value=10**300, max_denominator=10**20))
def test_float_up_is_the_least_float_at_or_above(x: Fraction) -> None:
    f = float_up(x)
    assert Fraction(f) >= x and Fraction(math.nextafter(f, -math.inf)) < x


# ------------------------------------------------------------------------------------------------ bound JSON


def certified_strings(data: dict) -> list[str]:
    """Every certified value of a bound's JSON: its ends, its terms', its constants' and its step's."""
    ends = [data["lower"], data["upper"]]
    for item in [*data["terms"], *data["constants"].values(), *([data["step"]] if data["step"] else [])]:
        ends += [v for v in (item["lower"], item["upper"]) if v is not None]
    return ends


@pytest.mark.parametrize("theorem", NAMES)
def test_bound_json_decimals_round_outward_from_the_exact_enclosure(theorem: str) -> None:
    data = bound(theorem, digits=4, assume=assumed(theorem), **values_for(theorem)).to_json(exact=True)
    items = [data, *data["terms"], *data["constants"].values(), *([data["step"]] if data["step"] else [])]
    for item in items:
        if item["lower"] is None:
            continue
        assert Fraction(Decimal(item["lower"])) <= Fraction(item["exact_lower"])
        assert Fraction(item["exact_upper"]) <= Fraction(Decimal(item["upper"]))
    assert all(in_one_format(text, 4) for text in certified_strings(data)), certified_strings(data)


@pytest.mark.parametrize("theorem", NAMES)
def test_terms_are_named_by_what_they_decay_in_and_add_up_to_the_bound(theorem: str) -> None:
    info = theorem_info(theorem)
    split = terms(info.bound)
    assert sp.Add(*(expr for _, expr in split)) == info.bound
    n, T = SYMBOLS["n"], SYMBOLS["T"]
    for name, expr in split:
        assert name == {(True, False): "statistical", (False, True): "optimisation",
                        (True, True): "statistical-optimisation", (False, False): "bias"}[(expr.has(n), expr.has(T))]
    data = bound(theorem, assume=assumed(theorem), **values_for(theorem)).to_json(exact=True)
    low = sum(Fraction(t["exact_lower"]) for t in data["terms"])
    high = sum(Fraction(t["exact_upper"]) for t in data["terms"])
    assert low <= Fraction(data["exact_upper"]) and Fraction(data["exact_lower"]) <= high


def test_the_paper_form_ga_bound_splits_into_a_statistical_and_an_optimisation_term_with_its_constants() -> None:
    theorem, values = PAPER_GA
    data = bound(theorem, **values).to_json()
    assert [t["name"] for t in data["terms"]] == ["statistical", "optimisation"]
    assert data["terms"][0]["upper"] == "0.0858939"  # the Hoeffding term of erm_gap_le_of_coverage
    assert set(data["constants"]) >= {"L", "eta"} and data["step"]["expression"] == "1/(6*B**3*S + B**2*beta)"
    eta = Fraction(10, 61)  # 1/L at B = S = 1, beta = 1/10
    assert Fraction(Decimal(data["step"]["lower"])) <= eta <= Fraction(Decimal(data["step"]["upper"]))


def test_sharp_forms_report_rho() -> None:
    data = bound("ga_last_gap_le_of_coverage", **values_for("ga_last_gap_le_of_coverage")).to_json()
    rho = 1 - Fraction(1, 2) * 1 * Fraction(1, 100) * sp.exp(-8)  # 1 - beta eta gamma e^{-4BS/beta}
    lower, upper = (Fraction(Decimal(data["constants"]["rho"][end])) for end in ("lower", "upper"))
    assert lower <= sp.Rational(rho.evalf(50)) <= upper


def test_every_json_output_carries_its_schema(capsys: pytest.CaptureFixture) -> None:
    theorem = "ga_last_dist_le_of_coverage"
    flags = [item for name, value in values_for(theorem).items() for item in (f"--{name}", value)]
    for argv, schema in (
        (["bound", theorem, "--json", *flags], "bound"),
        (["bound", "--list", "--json"], "theorems"),
        (["bound", "--all", "--json", *flags], "bound-all"),
        (["sample-size", theorem, "--json", "--epsilon", "0.5", "--solve-for", "T",
          *[f for f in flags if f not in ("--T", "100")]], "sample-size"),
        (["simulate", "ga_last_gap_le_of_coverage", "--T", "5", "--json"], "simulate"),
        (["verify", "--lemma", "log_le_sub_one", "--jobs", "1", "--json"], "verify"),
    ):  # fmt: skip
        assert cli.main(argv) == 0
        assert json.loads(capsys.readouterr().out)["schema"] == SCHEMAS[schema], argv


def test_sample_size_json_is_in_the_one_format_with_exact_ends_on_request() -> None:
    answer = sample_size("erm_gap_le_of_coverage", "0.05", B=1, S=1, gamma="0.01", delta="0.05")
    data = answer.to_json(exact=True)
    assert data["schema"] == SCHEMAS["sample-size"] and data["n"] == int(answer) == 2952
    assert in_one_format(data["upper_at_value"], 12) and in_one_format(data["lower_at_previous"], 12)
    assert Fraction(data["exact_upper_at_value"]) <= Fraction(Decimal(data["upper_at_value"])) <= Fraction("0.05")
    assert Fraction(Decimal(data["lower_at_previous"])) <= Fraction(data["exact_lower_at_previous"])
    assert repr(answer) == "<sample-size erm_gap_le_of_coverage: n = 2952, bound <= 0.05>"


def test_simulate_json_writes_measured_parameters_short() -> None:
    from rlhfsym.simulate import simulate

    data = simulate("ga_last_gap_le_of_coverage", seed=3, T=20).to_json()
    shown = [v for v in data["bound"]["parameters"].values()]
    assert max(len(v) for v in shown) <= 40, shown  # issue 16: 90-digit interval strings
    for value in shown:
        for end in value.strip("[]").split(", "):
            assert in_one_format(end, 17) or "/" in end, end
    exact = simulate("ga_last_gap_le_of_coverage", seed=3, T=20).to_json(exact=True)["bound"]["exact_parameters"]
    for name, value in exact.items():  # the short ends enclose the exact ones
        short = data["bound"]["parameters"][name].strip("[]").split(", ")
        ends = value.strip("[]").split(", ")
        assert Fraction(short[0]) <= Fraction(ends[0]) and Fraction(ends[-1]) <= Fraction(short[-1])


# ------------------------------------------------------------------------------------------------ vacuous bounds


def test_the_paper_form_ga_bound_at_beta_one_tenth_is_vacuous() -> None:
    theorem, values = PAPER_GA
    result = bound(theorem, **values)
    data = result.to_json()
    assert data["vacuous"] is True and Fraction(Decimal(data["lower"])) > 10**11
    # the trivial bound of a gap within S/beta of w*: 2 S B + beta min(2 B S/beta, B^2 S^2/(2 beta^2)) = 2 + 2
    assert data["trivial_bound"] == "4" and "4" in data["vacuous_reason"] and "gap" in data["vacuous_reason"]
    assert "(vacuous)" in repr(result)


def test_a_useful_bound_is_not_vacuous() -> None:
    data = bound("erm_gap_le_of_coverage", **values_for("erm_gap_le_of_coverage")).to_json()
    assert data["vacuous"] is False and data["trivial_bound"] == "2"  # 2 S B at the optimum


def test_the_text_output_says_vacuous_in_one_line(capsys: pytest.CaptureFixture) -> None:
    theorem, values = PAPER_GA
    assert cli.main(["bound", theorem, *[x for k, v in values.items() for x in (f"--{k}", v)]]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "VACUOUS" in line]
    assert len(lines) == 1 and "above 4" in lines[0]
    assert cli.main(["bound", "erm_gap_le_of_coverage", *[x for k, v in values_for("erm_gap_le_of_coverage").items()
                                                          for x in (f"--{k}", v)]]) == 0  # fmt: skip
    assert "VACUOUS" not in capsys.readouterr().out


def _trivial_at(theorem: str, measured: dict) -> float:
    quantity = theorem_info(theorem).labels["bounds"]
    found = trivial_bounds(quantity, iterate_radius(theorem_info(theorem).declared))
    assert found is not None
    point = {SYMBOLS[k]: measured[k] for k in ("B", "S", "beta")}
    return min(float(c.xreplace(point)) for c in found[1])


@pytest.mark.parametrize(
    "theorem",
    ["erm_gap_le_of_coverage", "ga_last_gap_le_of_coverage", "ga_last_excess_le_of_coverage",
     "ga_last_dist_le_of_coverage", "ga_best_gap_le_of_coverage", "sga_prompt_last_excess_le_of_coverage"],
)  # fmt: skip
@pytest.mark.parametrize(("seed", "beta"), [(0, "1"), (1, "0.1"), (2, "0.05"), (3, "2")])
def test_no_simulated_value_exceeds_the_trivial_bound_of_its_quantity(theorem: str, seed: int, beta: str) -> None:
    """The trivial bounds are what the vacuous flag compares with: a measured value above one would make it wrong."""
    from rlhfsym.simulate import simulate

    result = simulate(theorem, seed=seed, beta=float(beta), T=30, runs=2)
    trivial = _trivial_at(theorem, result.measured)
    assert result.value <= trivial * (1 + 1e-9) + 1e-12, (result.value, trivial, result.measured)


def test_a_quantity_without_a_declared_trivial_bound_is_not_marked() -> None:
    assert trivial_bounds("no-such-quantity", 1) is None


# ------------------------------------------------------------------------------------------------ bound --all


def test_bound_all_evaluates_every_theorem_that_applies_and_skips_the_others_with_the_reason() -> None:
    given = {k: v for k, v in VALUES.items() if k != "residual"}
    found = bound_all(**given)
    evaluated = {r.info.name for r in found.results}
    skipped = {s.theorem: s for s in found.skipped}
    assert evaluated | set(skipped) == set(NAMES) and not evaluated & set(skipped)
    assert skipped["erm_min_norm_gap_le_of_partial_coverage"].missing == ("residual",)
    for name in NAMES:
        if theorem_info(name).asserted:
            assert name in skipped and "asserted condition" in skipped[name].reason
    for result in found.results:  # each as bound() gives it on the parameters it takes
        alone = bound(result.info.name, **values_for(result.info.name))
        assert (result.lower, result.upper) == (alone.lower, alone.upper)


def test_bound_all_skips_a_theorem_whose_condition_fails() -> None:
    found = bound_all(**{**VALUES, "eta": "3"})  # eta > 1/(beta B^2) = 2: the sharp forms' eta_le fails
    reasons = {s.theorem: s.reason for s in found.skipped}
    assert "eta <= 1/(B**2*beta)" in reasons["ga_last_dist_le_of_coverage"]
    assert "ga_best_gap_le_of_coverage" in {r.info.name for r in found.results}  # takes no eta


def test_bound_all_with_assume_evaluates_the_conditional_theorems() -> None:
    found = bound_all(assume=["ball"], **VALUES)
    result = next(r for r in found.results if r.info.name == "sga_reinforce_best_gap_le_of_coverage")
    assert [h.name for h in result.conditional_on] == ["ball"]


def test_bound_all_cli_lists_skipped_theorems_and_ignored_parameters(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["bound", "--all", "--B", "1", "--S", "1", "--n", "100", "--delta", "0.05", "--gamma", "0.01",
                     "--K", "3"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "erm_gap_le_of_coverage" in out.splitlines()[2]
    assert "skipped ga_last_dist_le_of_coverage: needs beta, T, eta" in out
    assert "no theorem takes K" in out


# ------------------------------------------------------------------------------------------------ the Python API


@pytest.mark.parametrize("theorem", NAMES)
def test_a_bound_result_has_a_short_repr_a_float_upper_and_latex(theorem: str) -> None:
    result = bound(theorem, assume=assumed(theorem), **values_for(theorem))
    assert repr(result).startswith(f"<bound {theorem}: ") and result.upper in repr(result) and len(repr(result)) < 120
    value = float(result)
    assert Fraction(value) >= result.enclosure.upper
    assert Fraction(math.nextafter(value, -math.inf)) < result.enclosure.upper
    latex = result._repr_latex_()
    assert latex.startswith("$") and latex.endswith("$") and "\\le" in latex


@pytest.mark.parametrize("theorem", NAMES)
def test_a_bound_is_marked_only_where_the_package_knows_the_iterates_radius(theorem: str) -> None:
    """No radius (an algorithm that may move away from w*, no declared ball): no trivial bound, never vacuous."""
    result = bound(theorem, assume=assumed(theorem), **values_for(theorem))
    if iterate_radius(theorem_info(theorem).declared) is None:
        assert result.vacuity["vacuous"] is None and result.vacuity["trivial_bound"] is None


def test_a_step_above_one_over_beta_b_squared_leaves_the_bound_unmarked() -> None:
    """GA with a step above 1/(beta B^2) may leave the ball of radius S/beta: the trivial bound is not known there
    (the formula, whose condition fails, is what a negative control compares with)."""
    from rlhfsym.bounds import formula

    result = formula("ga_last_gap_le_of_coverage", **values_for("ga_last_gap_le_of_coverage", eta="3"))
    assert result.vacuity["vacuous"] is None and result.vacuity["trivial_bound"] is None


def test_a_check_result_converts_to_its_certified_upper_float_and_shows_as_latex() -> None:
    from rlhfsym import check

    within = check("ga_last_dist_le_of_coverage", 0.01, **values_for("ga_last_dist_le_of_coverage"))
    assert float(within) == within.upper and Fraction(float(within)) >= Fraction(Decimal(within.bound))
    assert within._repr_latex_().startswith("$") and "\\le" in within._repr_latex_()
    above = check("ga_last_dist_le_of_coverage", 3.0, **values_for("ga_last_dist_le_of_coverage"))
    assert not above and " > " in above._repr_latex_()
    assert len(repr(within)) < 160


def test_latex_values_are_in_the_one_format() -> None:
    """The values of the LaTeX macros (certified_evaluator) too: never 26497400000000000000."""
    from rlhfsym.bounds import certified_evaluator

    evaluate = certified_evaluator({"B": "1", "S": "1", "n": "1000", "gamma": "0.01", "delta": "0.05"})
    B = SYMBOLS["B"]
    assert evaluate(264974 * 10**14 * B) == "2.64974e+19" and evaluate(B / 4) == "0.25"
    assert evaluate(SYMBOLS["beta"]) is None


def _gap_and_excess(inst, indices, w) -> tuple[float, float]:
    from rlhfsym.numerics import empirical_weights, objective

    population, sample = objective(inst, w), objective(inst, w, empirical_weights(inst, indices))
    return abs(population - sample), objective(inst, inst.w_star) - population


def test_the_trivial_gap_bound_of_the_optimum_is_attained() -> None:
    """2 S B is the right number at the optimum: one prompt whose every action earns S B, in the sample, and one
    whose every action earns -S B, of population weight 1 - eps, give a gap of 2 S B (1 - eps)."""
    import numpy as np

    from rlhfsym.numerics import Instance

    eps = 1e-3
    inst = Instance(np.array([[[1.0], [1.0]], [[-1.0], [-1.0]]]), np.array([eps, 1 - eps]), np.array([1.0]),
                    np.full((2, 2), 0.5), 1.0)  # fmt: skip
    gap, _ = _gap_and_excess(inst, np.array([0]), inst.w_star)
    trivial = min(float(c.subs({SYMBOLS["B"]: 1, SYMBOLS["S"]: 1, SYMBOLS["beta"]: 1})) for c in
                  trivial_bounds("gap", 0)[1])  # fmt: skip
    assert trivial == 2 and 2 * (1 - eps) - 1e-9 <= gap <= trivial


@pytest.mark.parametrize("seed", range(40))
def test_no_parameter_within_s_over_beta_of_the_optimum_exceeds_the_trivial_bounds(seed: int) -> None:
    """Any w with ||w - w*|| <= S/beta (not only an algorithm's iterates), any reference policy (skewed ones too),
    any sample: the gap, the excess and the distance stay within the trivial bounds of radius S/beta."""
    import numpy as np

    from rlhfsym.numerics import Instance

    rng = np.random.default_rng(seed)
    N, K, d = rng.integers(1, 5), rng.integers(2, 5), rng.integers(1, 4)
    features = rng.normal(size=(N, K, d))
    features /= np.maximum(1.0, np.linalg.norm(features, axis=-1, keepdims=True)) * rng.uniform(0.3, 1.0)
    B = float(np.max(np.linalg.norm(features, axis=-1)))
    theta = rng.normal(size=d)
    theta *= rng.uniform(0.2, 3.0) / np.linalg.norm(theta)
    S, beta = float(np.linalg.norm(theta)), float(rng.choice([0.05, 0.3, 1.0, 4.0]))
    pi_ref = rng.dirichlet(np.full(K, 0.2), size=N)
    pi_ref = np.maximum(pi_ref, 1e-6)
    pi_ref /= pi_ref.sum(axis=1, keepdims=True)
    inst = Instance(features, rng.dirichlet(np.ones(N)), theta, pi_ref, beta)
    indices = rng.integers(0, N, size=rng.integers(1, 6))
    point = {SYMBOLS["B"]: B, SYMBOLS["S"]: S, SYMBOLS["beta"]: beta}
    bounds = {q: min(float(c.subs(point)) for c in trivial_bounds(q, 1)[1]) for q in ("gap", "excess", "distance")}
    for _ in range(20):
        direction = rng.normal(size=d)
        w = inst.w_star + direction / np.linalg.norm(direction) * rng.uniform(0, 1) ** 0.3 * S / beta
        gap, excess = _gap_and_excess(inst, indices, w)
        scale = S * B + beta * B * (np.linalg.norm(w) + S / beta)
        assert gap <= bounds["gap"] + 1e-9 * scale and excess <= bounds["excess"] + 1e-9 * scale
        assert np.linalg.norm(w - inst.w_star) <= bounds["distance"] * (1 + 1e-12)
