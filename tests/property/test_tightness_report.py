"""rlhfsym.report outside the property suite: the statistics the searches' counts are judged by (rlhfsym.statistics),
``tightness()`` rows and ``rlhfsym report --tightness``, and the mutation script's weakened bounds."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from rlhfsym import cli
from rlhfsym.bounds import theorem_info, theorems
from rlhfsym.errors import ParameterError
from rlhfsym.report import reproduce, tightness
from rlhfsym.statistics import binomial_tail, t_tail

ROOT = Path(__file__).resolve().parents[2]


def _mutation_script():
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "benchmarks" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("k", "trials", "p"), [(0, 10, 0.3), (3, 10, 0.3), (7, 20, 0.05), (20, 20, 0.5), (1, 1, 0.9)])
def test_binomial_tail_matches_the_exact_sum(k: int, trials: int, p: float) -> None:
    exact = sum(Fraction(math.comb(trials, i)) * Fraction(p) ** i * (1 - Fraction(p)) ** (trials - i)
                for i in range(k, trials + 1))
    assert binomial_tail(k, trials, p) == pytest.approx(float(exact), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    ("z", "dof", "expected"),
    [(0.0, 5, 0.5), (1.0, 1, 0.25), (4.0, 5, 0.0051617077404), (2.0, 10, 0.0366940173854), (4.0, 3, 0.0140042280051)],
)
def test_t_tail_matches_students_distribution(z: float, dof: int, expected: float) -> None:
    # reference values: mpmath.betainc, 0.5 I_{dof/(dof+z^2)}(dof/2, 1/2), 15 digits
    assert t_tail(z, dof) == pytest.approx(expected, rel=1e-9)


def test_tightness_rows_are_json_and_reproduce_their_worst_ratio() -> None:
    rows = tightness(examples=12, theorems=["ga_last_dist_le_of_coverage", "erm_gap_le_of_coverage"])
    assert [row["theorem"] for row in rows] == ["ga_last_dist_le_of_coverage", "erm_gap_le_of_coverage"]
    for row in rows:
        assert {"theorem", "worst_ratio", "measured", "upper", "examples", "instance"} <= set(row)
        assert 0 <= row["worst_ratio"] <= 1
        assert json.loads(json.dumps(row)) == row
        assert reproduce(row) == pytest.approx(row["worst_ratio"], rel=1e-12)


def test_tightness_refuses_bad_arguments_by_name() -> None:
    with pytest.raises(ParameterError, match="examples"):
        tightness(examples=0)
    with pytest.raises(ParameterError, match="theorems"):
        tightness(examples=1, theorems=["no_such_theorem"])


@pytest.mark.cost(20)
def test_report_tightness_command_prints_every_theorem_and_exits_0(capsys: pytest.CaptureFixture) -> None:
    # The command in this process: its cost is the searches (a subprocess would import the chain and compile every
    # bound again); `python -m rlhfsym` itself is run by the subprocess rows of tests/test_cli_bad_input.py.
    assert cli.main(["report", "--tightness", "--examples", "5"]) == 0
    printed = capsys.readouterr().out
    for row in theorems():
        assert row["theorem"] in printed


def test_tightness_without_hypothesis_names_the_test_extra() -> None:
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "from rlhfsym.errors import RlhfsymError\nfrom rlhfsym.report import tightness\n"
            "try:\n    tightness(examples=1)\nexcept RlhfsymError as err:\n    print(err)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'rlhfsym[test]'" in done.stdout, done.stderr


def test_mutations_halve_each_term_and_each_constant_that_occurs_in_the_bound() -> None:
    script = _mutation_script()
    found = {m.label: m for m in script.mutations("ga_last_gap_le_of_coverage")}
    assert set(found) == {"term:optimisation", "term:hoeffding", "constant:rho"}
    half, twentieth = sp.Rational(1, 2), sp.Rational(1, 20)
    point = {"B": 1, "S": 1, "beta": 1, "gamma": half, "eta": 1, "T": 3, "n": 10, "delta": twentieth}
    original = theorem_info("ga_last_gap_le_of_coverage").bound
    values = {s: point[s.name] for s in original.free_symbols}
    for mutation in found.values():
        assert mutation.expression.xreplace(values) < original.xreplace(values)
    lipschitz = {m.label: m for m in script.mutations("ga_best_gap_le_of_coverage")}["constant:lipschitz"]
    assert lipschitz.expression is None and "does not occur" in lipschitz.note


def test_mutation_check_catches_a_halved_distance_bound() -> None:
    script = _mutation_script()
    for mutation in script.mutations("ga_last_dist_le_of_coverage"):
        row = script.run(mutation, scale=0.05, seed=None)
        assert row["status"] == "caught", row
