"""One theorem at work: rlhfsym.simulate and the `rlhfsym simulate` command."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from rlhfsym import cli
from rlhfsym.bounds import theorem_info, theorems
from rlhfsym.errors import ParameterError
from rlhfsym.numerics import Instance, random_instance, sample_prompts
from rlhfsym.setting import SYMBOLS
from rlhfsym.simulate import measure, simulate

NAMES = [row["theorem"] for row in theorems()]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rlhfsym", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("theorem", NAMES)
def test_simulated_value_is_within_its_certified_bound(theorem: str) -> None:
    result = simulate(theorem, seed=1, T=20, runs=5)
    assert result.applicable
    assert result.within, result.to_json()
    assert 0 <= result.ratio <= 1 + 1e-9


def test_measured_parameters_enter_the_bound_as_intervals_around_them() -> None:
    result = simulate("ga_last_dist_le_of_coverage", seed=2, T=5)
    parameters = result.result.to_json()["parameters"]
    assert parameters["B"].startswith("[") and parameters["gamma"].startswith("[")
    assert parameters["T"] == "5"


def test_uncovered_sample_is_refused_for_a_theorem_that_needs_coverage() -> None:
    inst = random_instance(0, N=10, K=2, d=5)
    with pytest.raises(ParameterError, match="not covered"):
        measure("ga_last_gap_le_of_coverage", inst, sample_prompts(inst, 2, 0), T=5)


def test_partial_coverage_theorem_runs_without_coverage() -> None:
    result = simulate("erm_min_norm_gap_le_of_partial_coverage", seed=3)
    assert result.measured["gamma"] < 1e-12 and result.within


def test_negative_control_simulated_bound_with_a_claimed_coverage_is_exceeded() -> None:
    # Broken assumption: coverage. The sample sees only e1; the bound is certified at a claimed gamma = B^2 by
    # measuring the excess of GA's last iterate, which never learns w*_2: the measured value exceeds the bound.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.6, 0.8]), np.full((2, 2), 0.5), 1.0)
    indices = np.zeros(5, dtype=np.int64)
    from rlhfsym.numerics import empirical_weights, gradient_ascent
    from rlhfsym.vocabulary import EXCESS

    w = gradient_ascent(inst, empirical_weights(inst, indices), 0.5, 200).last
    # The bound at the parameters of a sample that covers both prompts (gamma = 1/2 there).
    claimed = measure("ga_last_excess_le_of_coverage", inst, np.arange(2), T=200, eta=0.5)
    assert EXCESS.measure(inst, indices, w) > float(claimed.result.upper)


def test_simulate_cli_prints_the_value_beside_the_bound_and_exits_0() -> None:
    done = run("simulate", "ga_last_gap_le_of_coverage", "--seed", "3", "--T", "20")
    assert done.returncode == 0, done.stderr
    assert "bound" in done.stdout and "within the bound" in done.stdout


def test_simulate_cli_json_carries_the_measured_value_and_the_bound() -> None:
    done = run("simulate", "sga_prompt_last_dist_le_of_coverage", "--runs", "3", "--T", "10", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["within"] is True and data["runs"] == 3
    assert data["bound"]["theorem"] == "sga_prompt_last_dist_le_of_coverage"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--beta", "0"], "parameter beta = 0: must be > 0"),
        (["--eta", "[1,2]"], "not an interval"),
        (["--delta", "2"], "parameter delta = 2: must lie in (0, 1)"),
        (["--runs", "0"], "--runs must be a positive integer"),
        (["--n", "1", "--d", "5"], "not covered"),
    ],
)
def test_simulate_cli_refuses_bad_values_with_one_line_and_exit_2(args, message) -> None:
    done = run("simulate", "ga_last_gap_le_of_coverage", *args)
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.cost(3)
def test_latex_cli_writes_three_files_with_certified_values(tmp_path, chain_record, capsys) -> None:
    # chain_record: the session's complete check is written, and the command reads it (one check per session); in
    # this process, whose chain is built (`python -m rlhfsym latex` itself: tests/test_cli_bad_input.py)
    values = ["B=1", "S=1", "beta=0.5", "gamma=0.01", "T=100", "eta=1"]
    assert cli.main(["latex", "--out", str(tmp_path), "--values", *values]) == 0
    assert len(capsys.readouterr().out.split()) == 3
    macros = (tmp_path / "rlhfsym-macros.tex").read_text()
    assert r"\newcommand{\rlhfGaLastDistLeOfCoverageBoundValue}{\ensuremath{1.99967}}" in macros


def test_latex_cli_refuses_values_that_break_a_condition(tmp_path) -> None:
    done = run("latex", "--out", str(tmp_path), "--values", "B=1", "S=1", "beta=0.5", "gamma=0.01", "T=9", "eta=3")
    assert done.returncode == 2 and "parameter eta = 3" in done.stderr
    assert not (tmp_path / "rlhfsym-macros.tex").exists()


def test_a_bound_met_again_at_the_same_exact_values_is_the_bound_certified_there(monkeypatch) -> None:
    # rlhfsym.simulate keeps each certified bound by theorem and exact values (a search meets the same values often):
    # the kept result is bound()'s at those values, values that break a condition raise every time, the formula of a
    # negative control is kept apart from the bound, and a theorem whose declaration changed is certified again.
    from fractions import Fraction

    from rlhfsym import bounds
    from rlhfsym import simulate as sim

    calls: list[str] = []

    def counted(theorem: str, **kw):
        calls.append(theorem)
        return bounds.bound(theorem, **kw)

    monkeypatch.setattr(sim, "bound", counted)
    monkeypatch.setattr(sim, "_CERTIFIED", {})
    name = "ga_last_dist_le_of_coverage"
    info = theorem_info(name)
    good = {"B": Fraction(1), "S": Fraction(1), "beta": Fraction(1, 2), "gamma": Fraction(1, 100), "T": 100,
            "eta": Fraction(1)}  # fmt: skip
    first = sim._certified(name, info, True, good)
    assert sim._certified(name, info, True, dict(reversed(good.items()))) is first and calls == [name]
    direct = bounds.bound(name, digits=12, assume=info.declared.simulation_assumes, **good)
    assert (first.enclosure.lower, first.enclosure.upper) == (direct.enclosure.lower, direct.enclosure.upper)
    broken = {**good, "T": 9, "eta": Fraction(3)}  # eta > 1/(beta B^2)
    for _ in range(2):
        with pytest.raises(ParameterError, match="eta"):
            sim._certified(name, info, True, broken)
    assert calls == [name] * 3
    formula = sim._certified(name, info, False, broken)  # the formula where the theorem may not hold
    assert sim._certified(name, info, False, broken) is formula and calls == [name] * 3
    changed = dataclasses.replace(info)
    assert sim._certified(name, changed, True, good) is not first and calls == [name] * 4


GAMMA_BOX = {
    "B": ("1/2", "2"), "S": ("1/10", "2"), "beta": ("1/2", "2"), "gamma": ("1/100", "1/4"), "eta": ("1/100", "1/8"),
    "T": ("1", "50"), "n": ("10", "1000"), "delta": ("1/100", "1/2"),
}  # fmt: skip


@pytest.mark.parametrize(
    "theorem", [t for t in NAMES if "gamma" in theorem_info(t).parameters and t != "erm_gap_le_of_coverage"]
)
def test_every_bound_is_nonincreasing_in_gamma_on_a_box(theorem: str) -> None:
    # The premise of capping gamma's interval below B^2 in rlhfsym.simulate: a smaller gamma never lowers a bound.
    from fractions import Fraction

    import sympy as sp

    from rlhfsym.interval import prove_le

    # powsimp writes d/dgamma of x^T as T x^(T-1) x' (sympy's T x^T x' / x divides by a base that may be small).
    slope = sp.powsimp(sp.diff(theorem_info(theorem).bound, SYMBOLS["gamma"]))
    box = {s: tuple(Fraction(x) for x in GAMMA_BOX[s.name]) for s in slope.free_symbols}
    assert prove_le(slope, 0, box, max_boxes=20_000).status == "proved"


# ------------------------------------------------------------------------------------------------ --instance FILE.npz


def _paper_instance() -> dict[str, np.ndarray]:
    """A small instance as a paper would give it: 3 prompts, 3 actions, d = 2, a peaked reference policy."""
    features = np.array([
        [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]],
        [[0.5, 0.5], [-0.5, 0.5], [0.0, -1.0]],
        [[0.0, 0.0], [1.0, -1.0], [-1.0, 1.0]],
    ]) / np.sqrt(2)  # fmt: skip
    pi_ref = np.array([[0.7, 0.2, 0.1], [1 / 3, 1 / 3, 1 / 3], [0.05, 0.9, 0.05]])
    return {"features": features, "theta": np.array([0.3, -0.4]), "pi_ref": pi_ref,
            "weights": np.array([0.5, 0.3, 0.2])}  # fmt: skip


@pytest.mark.parametrize("theorem", ["ga_last_dist_le_of_coverage", "erm_gap_le_of_coverage"])
def test_simulate_on_an_instance_file_is_measure_on_that_instance(tmp_path, theorem: str) -> None:
    arrays = {**_paper_instance(), "indices": np.array([0, 1, 2, 2, 0]), "beta": np.array(0.5)}
    np.savez(tmp_path / "paper.npz", **arrays)
    done = run("simulate", theorem, "--instance", str(tmp_path / "paper.npz"), "--T", "30", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    inst = Instance(arrays["features"], arrays["weights"], arrays["theta"], arrays["pi_ref"], 0.5)
    expected = measure(theorem, inst, arrays["indices"], T=30)
    assert data["measured"] == expected.value and data["upper"] == expected.result.upper
    assert data["measured_parameters"]["n"] == 5 and data["measured_parameters"]["beta"] == 0.5


def test_simulate_on_an_instance_file_without_a_sample_draws_one_with_the_seed(tmp_path) -> None:
    arrays = _paper_instance()
    np.savez(tmp_path / "paper.npz", **arrays)
    done = run("simulate", "ga_last_dist_le_of_coverage", "--instance", str(tmp_path / "paper.npz"), "--seed", "7",
               "--n", "4", "--beta", "2", "--T", "10")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(n prompts drawn with seed 7): N=3, K=3, d=2, n=4, beta=2" in done.stdout
    inst = Instance(arrays["features"], arrays["weights"], arrays["theta"], arrays["pi_ref"], 2.0)
    expected = measure("ga_last_dist_le_of_coverage", inst, sample_prompts(inst, 4, 7), T=10, seed=7)
    assert f"bound       {expected.result.upper} (certified upper value)" in done.stdout


def test_read_instance_checks_every_array_before_building_the_instance() -> None:
    import io

    from rlhfsym.numerics.files import read_instance

    def npz(**arrays: np.ndarray) -> io.BytesIO:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return io.BytesIO(buffer.getvalue())

    good = _paper_instance()
    loaded = read_instance(npz(**good), beta=0.25)
    assert loaded.indices is None and loaded.instance.beta == 0.25
    assert np.array_equal(loaded.instance.features, good["features"])
    with pytest.raises(ParameterError, match="parameter pi_ref: every row must sum to 1"):
        read_instance(npz(**{**good, "pi_ref": good["pi_ref"] * 1.01}))
    with pytest.raises(ParameterError, match="parameter features: N = 3 is above the limit 2"):
        read_instance(npz(**good), limits={"N": 2})
    with pytest.raises(ParameterError, match="parameter features: N\\*K\\*d = 3\\*3\\*2 = 18 entries, above the limit"):
        read_instance(npz(**good), max_entries=17)
