"""The public hypothesis strategies of ``rlhfsym.testing``: what they generate, the corners they reach, the knobs
they refuse, and how rarely they reject.

Corner tests use ``hypothesis.find`` with a fixed random generator and the generate phase only, so they do not
depend on the active profile; property tests run under the profile of ``conftest.py`` (``ci``: 100 examples).
"""

from __future__ import annotations

import inspect
import random
import re
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import rlhfsym.testing as rt
from rlhfsym.errors import ParameterError
from rlhfsym.numerics import Instance, covariance, covered_subspace, random_instance, sample_prompts
from rlhfsym.setting import PARAMETERS, parse_number, validate_parameters
from rlhfsym.testing import Case, in_band, instances, perturb, perturbations, settings

ALL_PARAMETERS = tuple(PARAMETERS)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
#: find(): generate only (no shrinking), a fixed generator, no example database.
SEARCH = hsettings(max_examples=3000, database=None, phases=[Phase.generate], deadline=None,
                   suppress_health_check=list(HealthCheck))


def reach(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """An example satisfying ``condition`` (``find`` with a fixed seed); fails the test if there is none."""
    return find(strategy, condition, settings=SEARCH, random=random.Random(0))


def ratio(case: Case) -> float:
    """``gamma / B^2`` of a case."""
    p = case.parameters()
    return p["gamma"] / p["B"] ** 2


def sigma_s(case: Case) -> np.ndarray:
    """``Sigma_S(0)``, the empirical reference covariance of a case."""
    return covariance(case.instance, np.zeros(case.instance.d), case.empirical_weights())


def rank(case: Case) -> int:
    """``dim U_S``, the rank of Sigma_S(0) by the package's own tolerance."""
    return int(covered_subspace(case.instance, case.indices).shape[1])


# ============================================================================ settings()


@given(settings(include=ALL_PARAMETERS))
def test_settings_are_accepted_by_validate_parameters(values: dict[str, Any]) -> None:
    assert set(values) == set(ALL_PARAMETERS)
    validate_parameters(**values)
    for name, value in values.items():
        assert type(value) is (int if PARAMETERS[name].integer else Fraction), name
        assert parse_number(name, str(value)) == value  # the text form round-trips through the CLI parser
    assert values["gamma"] <= values["B"] ** 2 and values["gamma_D"] <= values["B"] ** 2


@given(settings(include=("B", "n", "K", "d", "gamma", "gamma_D", "S", "beta", "residual"), realizable=True))
def test_realizable_settings_satisfy_what_an_instance_forces(values: dict[str, Any]) -> None:
    validate_parameters(**values)
    assert values["d"] <= values["n"] * (values["K"] - 1)
    assert values["gamma"] <= values["B"] ** 2 / values["d"] and values["gamma_D"] <= values["B"] ** 2 / values["d"]
    assert values["residual"] <= values["S"] / values["beta"]


@given(settings(include=("beta", "delta", "n", "gamma", "B"), beta=("1/10", 10), delta="1/20", n=(3, 5),
                gamma=("1e-4", "1/2"), B=1))
def test_settings_stay_inside_the_given_ranges(values: dict[str, Any]) -> None:
    assert set(values) == {"beta", "delta", "n", "gamma", "B"}
    assert Fraction(1, 10) <= values["beta"] <= 10 and values["delta"] == Fraction(1, 20)
    assert 3 <= values["n"] <= 5 and values["B"] == 1
    assert Fraction(1, 10**4) <= values["gamma"] <= Fraction(1, 2)


def test_default_settings_leave_eta_out_and_a_range_brings_it_in() -> None:
    assert set(reach(settings(), lambda v: True)) == set(rt.DEFAULT_PARAMETERS)
    assert "eta" in reach(settings(eta=("1/100", 1)), lambda v: True)


@pytest.mark.parametrize(
    ("label", "condition"),
    [
        ("tiny coverage", lambda v: v["gamma"] <= Fraction(1, 10**8) * v["B"] ** 2),
        ("coverage at the cap", lambda v: v["gamma"] == v["B"] ** 2),
        ("small beta", lambda v: v["beta"] <= Fraction(1, 1000)),
        ("large beta", lambda v: v["beta"] >= 1000),
        ("delta near 0", lambda v: v["delta"] <= Fraction(1, 10**6)),
        ("delta near 1", lambda v: v["delta"] >= 1 - Fraction(1, 10**6)),
        ("one prompt", lambda v: v["n"] == 1),
        ("one step", lambda v: v["T"] == 1),
        ("no reward", lambda v: v["S"] == 0),
    ],
)
def test_settings_reach_the_corners(label: str, condition: Callable[[dict[str, Any]], bool]) -> None:
    reach(settings(), condition)


# ============================================================================ instances(): coverage modes


@given(instances(coverage="full"))
def test_full_coverage_cases_have_positive_gamma(case: Case) -> None:
    p = case.parameters()
    assert p["gamma"] >= rt.FULL_GAMMA_FLOOR * p["B"] ** 2 > 0
    assert p["d"] <= np.unique(case.indices).size * (p["K"] - 1) <= p["n"] * (p["K"] - 1)
    assert rank(case) == p["d"] and case.residual() <= 1e-9 * max(1.0, np.linalg.norm(case.instance.w_star))
    assert in_band(case)


@given(instances(coverage="tiny"))
def test_tiny_coverage_cases_have_small_positive_gamma(case: Case) -> None:
    low, high = rt.TINY_GAMMA_BAND
    assert low <= ratio(case) < high
    assert rank(case) == case.instance.d  # still covered by the package's rank tolerance
    assert in_band(case)


@given(instances(coverage="none"))
def test_none_coverage_cases_have_zero_gamma(case: Case) -> None:
    assert abs(ratio(case)) <= rt.NONE_GAMMA_CEILING
    assert rank(case) < case.instance.d
    assert in_band(case)


def test_none_coverage_reaches_both_constructions_and_an_exact_zero() -> None:
    reach(instances(coverage="none"), lambda c: c.instance.d > c.n * (c.instance.K - 1))
    subspace = reach(instances(coverage="none", d=(2, 5)), lambda c: c.instance.d <= c.n * (c.instance.K - 1)
                     and rank(c) >= 1 and c.residual() > 0 and c.parameters()["gamma_D"] > 1e-6)
    assert 1 <= rank(subspace) < subspace.instance.d
    reach(instances(coverage="none"), lambda c: c.parameters()["gamma"] == 0.0)


@pytest.mark.parametrize("mode", ["full", "tiny", "none", "generic"])
def test_instances_reach_d_equal_one_and_k_equal_two(mode: str) -> None:
    """Also with a single prompt when the mode allows it (not "none": d = 1 needs a prompt outside the sample)."""
    case = reach(instances(coverage=mode), lambda c: c.instance.d == 1 and c.instance.K == 2)
    assert case.coverage == mode and in_band(case)


@pytest.mark.parametrize(
    ("label", "kwargs", "condition"),
    [
        ("small beta", {}, lambda c: c.instance.beta <= 1e-3),
        ("large beta", {}, lambda c: c.instance.beta >= 1e3),
        ("tiny coverage", {"coverage": "tiny"}, lambda c: ratio(c) <= 1e-8),
        ("nearly collinear differences", {"coverage": "tiny", "d": (3, 5)}, lambda c: c.instance.d >= 3 and (
            lambda s: s[-2] <= 1e-6 * s[-1])(np.linalg.eigvalsh(sigma_s(c)))),
        ("d above n(K-1)", {"coverage": "none"}, lambda c: c.instance.d > c.n * (c.instance.K - 1)),
        ("one training prompt", {"coverage": "full"}, lambda c: c.n == 1),
        ("no reward", {}, lambda c: c.parameters()["S"] == 0),
    ],
)
def test_instances_reach_the_hard_corners(
    label: str, kwargs: dict[str, Any], condition: Callable[[Case], bool]
) -> None:
    reach(instances(**kwargs), condition)


# ============================================================================ instances(): what every case is


@given(instances())
def test_cases_are_valid_instances_with_a_sample_drawn_from_the_weights(case: Case) -> None:
    inst = case.instance
    assert case.indices.dtype == np.int64 and case.indices.ndim == 1 and not case.indices.flags.writeable
    assert 1 <= case.n <= 10 and 1 <= inst.N <= 10 and 2 <= inst.K <= 5 and 1 <= inst.d <= 5
    assert np.all(inst.weights[case.indices] > 0)  # only prompts of positive weight are ever sampled
    assert np.all(inst.pi_ref > 0) and np.allclose(inst.pi_ref.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    p = case.parameters()
    rounding = 1e-12  # B and S are measured norms
    assert 1e-3 <= p["beta"] <= 1e3 and 0.1 * (1 - rounding) <= p["B"] <= 10.0 * (1 + rounding)
    assert 0.0 <= p["S"] <= 10.0 * (1 + rounding)
    assert set(p) == {"B", "S", "beta", "n", "K", "d", "gamma", "gamma_D"}
    assert case.coverage in rt.COVERAGE_MODES and case.ref in rt.REFERENCE_MODES
    assert in_band(case)
    assert case.coverage in repr(case)


@given(st.data())
def test_some_feature_sits_at_the_norm_bound(data: st.DataObject) -> None:
    B = data.draw(st.sampled_from([1e-3, 0.1, 1.0, 2.5, 7.3, 123.456]), label="B")
    case = data.draw(instances(B=B, coverage=data.draw(st.sampled_from(rt.COVERAGE_MODES), label="mode")))
    norms = np.linalg.norm(case.instance.features, axis=-1)
    assert abs(norms.max() - B) <= 4e-16 * B  # at the bound up to one rounding
    assert case.parameters()["B"] == norms.max()


@given(instances(d=3, K=(2, 3), n=(4, 6), N=7, beta=0.5, B=2.0, S=(1.0, 2.0), ref="uniform"))
def test_instances_honour_their_knobs(case: Case) -> None:
    inst = case.instance
    assert (inst.N, inst.d, inst.beta) == (7, 3, 0.5) and inst.K in (2, 3) and 4 <= case.n <= 6
    assert np.all(inst.pi_ref == 1.0 / inst.K) or case.coverage in ("full", "tiny")
    assert 1.0 * (1 - 1e-12) <= np.linalg.norm(inst.theta) <= 2.0 * (1 + 1e-12)


@given(instances(ref="peaked", coverage=("none", "generic")))
def test_peaked_reference_puts_most_mass_on_one_action(case: Case) -> None:
    pi = case.instance.pi_ref
    assert np.all(pi.max(axis=1) >= 1 - 1e-2) and np.all(pi > 0)


def test_peaked_reference_reaches_small_probabilities() -> None:
    case = reach(instances(ref="peaked"), lambda c: c.instance.pi_ref.min() < 1e-8)
    assert np.all(case.instance.pi_ref > 0)
    reach(instances(ref="peaked", coverage="full"), lambda c: c.instance.pi_ref[np.unique(c.indices)].min() < 1e-4)


# ============================================================================ perturbations


@given(instances().flatmap(lambda c: st.tuples(st.just(c), perturbations(c, scale=0.1))))
def test_perturbed_cases_stay_valid(pair: tuple[Case, Case]) -> None:
    case, new = pair
    old, inst = case.instance, new.instance
    assert inst.features.shape == old.features.shape and np.array_equal(new.indices, case.indices)
    assert np.array_equal(inst.weights, old.weights) and inst.beta == old.beta
    assert np.all(inst.pi_ref > 0) and np.allclose(inst.pi_ref.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    p = case.parameters()
    assert np.linalg.norm(inst.theta - old.theta) <= 0.1 * p["S"] * (1 + 1e-12)
    assert np.linalg.norm(inst.features - old.features, axis=-1).max() <= 0.1 * p["B"] * (1 + 1e-12)
    assert np.abs(np.log(inst.pi_ref / old.pi_ref)).max() <= 2 * 0.05 + 1e-9
    assert new.coverage == case.coverage and in_band(new)


@given(instances(coverage=("full", "tiny")), st.integers(0, 2**32 - 1), st.sampled_from([1e-3, 0.1, 1.0]))
def test_perturbation_keeps_gamma_within_its_factor(case: Case, seed: int, scale: float) -> None:
    new = perturb(case, seed, scale=scale)
    assert 0.56 <= new.parameters()["gamma"] / case.parameters()["gamma"] <= 1.5
    assert rank(new) == new.instance.d


@given(instances(coverage="none"), st.integers(0, 2**32 - 1))
def test_perturbation_keeps_uncovered_directions_uncovered(case: Case, seed: int) -> None:
    new = perturb(case, seed, scale=0.5)
    assert rank(new) <= rank(case) < case.instance.d and abs(ratio(new)) <= rt.NONE_GAMMA_CEILING


def test_perturbation_of_size_zero_is_the_case_itself() -> None:
    case = reach(instances(ref="random"), lambda c: True)
    same = perturb(case, 7, scale=0.0)
    assert np.array_equal(same.instance.features, case.instance.features)
    assert np.array_equal(same.instance.theta, case.instance.theta)
    assert np.allclose(same.instance.pi_ref, case.instance.pi_ref, rtol=1e-15, atol=0)


# ============================================================================ rejection rate and speed


@pytest.mark.parametrize(
    "build",
    [instances, lambda: instances(coverage="none"), lambda: instances(coverage="tiny"), settings],
    ids=["instances", "instances-none", "instances-tiny", "settings"],
)
def test_strategies_rarely_reject(build: Callable[[], st.SearchStrategy[Any]]) -> None:
    """Count the draws the strategy was asked for and the examples that reached the test body."""
    drawn, accepted = [0], [0]
    inner = build()

    @st.composite
    def counted(draw: st.DrawFn) -> Any:
        drawn[0] += 1
        return draw(inner)

    @hsettings(max_examples=150, database=None, derandomize=True, deadline=None)
    @given(counted())
    def body(value: Any) -> None:
        accepted[0] += 1

    body()
    assert accepted[0] == 150 and accepted[0] >= 0.95 * drawn[0], (accepted[0], drawn[0])


# ============================================================================ argument validation


@pytest.fixture(scope="module")
def a_case() -> Case:
    inst = random_instance(0, N=4, K=3, d=2)
    return Case(inst, sample_prompts(inst, 5, 0))


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("beta", lambda: settings(beta=0.1)),
        ("beta", lambda: settings(beta=("1", "1/2"))),
        ("delta", lambda: settings(delta=(0, "1/2"))),
        ("delta", lambda: settings(delta="1")),
        ("n", lambda: settings(n="3/2")),
        ("K", lambda: settings(K=1)),
        ("S", lambda: settings(S="nan")),
        ("B", lambda: settings(B=True)),
        ("gamma", lambda: settings(gamma=(2, 3), B=1)),
        ("gamma", lambda: settings(gamma=("1/2", 1), B=1, d=(1, 4), realizable=True)),
        ("d", lambda: settings(d=50, n=(1, 5), K=(2, 3), realizable=True)),
        ("residual", lambda: settings(residual=(2, 3), S=1, beta=1, realizable=True)),
        ("include", lambda: settings(include=["zeta"])),
        ("include", lambda: settings(include="beta")),
        ("include", lambda: settings(include=())),
        ("eta", lambda: settings(eta="1/10", include=("B",))),
        ("coverage_fraction", lambda: settings(coverage_fraction=(0, 1))),
        ("coverage_fraction", lambda: settings(coverage_fraction=("1/2", 2))),
        ("realizable", lambda: settings(realizable="yes")),
        ("d", lambda: instances(d=0)),
        ("K", lambda: instances(K=1)),
        ("n", lambda: instances(n=(3, 1))),
        ("N", lambda: instances(N=True)),
        ("N", lambda: instances(N=10**6, K=10, d=10)),
        ("n", lambda: instances(n=2.0)),
        ("beta", lambda: instances(beta=0.0)),
        ("B", lambda: instances(B=float("inf"))),
        ("S", lambda: instances(S=-1.0)),
        ("S", lambda: instances(S=(1.0, 2.0, 3.0))),
        ("coverage", lambda: instances(coverage="partial")),
        ("coverage", lambda: instances(coverage=())),
        ("ref", lambda: instances(ref="spiky")),
        ("d", lambda: instances(coverage="full", d=10, n=2, K=2)),
        ("N", lambda: instances(coverage="none", d=1, N=1)),
        ("case", lambda: perturbations(object())),  # type: ignore[arg-type]
        ("case", lambda: perturb(object(), 0)),  # type: ignore[arg-type]
        ("seed", lambda: perturb(reach(instances(), lambda c: True), -1)),
    ],
)
def test_bad_knob_is_rejected_with_its_name(name: str, build: Callable[[], object]) -> None:
    with pytest.raises(ParameterError) as caught:
        build()
    assert caught.value.parameter == name and f"parameter {name}" in str(caught.value)


@pytest.mark.parametrize("scale", [-0.1, 2.0, float("nan"), "0.1", True])
def test_bad_perturbation_scale_is_rejected_with_its_name(a_case: Case, scale: object) -> None:
    with pytest.raises(ParameterError, match="parameter scale"):
        perturbations(a_case, scale=scale)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="parameter scale"):
        perturb(a_case, 0, scale=scale)  # type: ignore[arg-type]


def test_case_checks_its_fields(a_case: Case) -> None:
    inst = a_case.instance
    with pytest.raises(ParameterError, match="parameter indices"):
        Case(inst, np.array([inst.N]))
    with pytest.raises(ParameterError, match="parameter instance"):
        Case("not an instance", np.array([0]))  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="parameter coverage"):
        Case(inst, np.array([0]), coverage="partial")
    with pytest.raises(ParameterError, match="parameter ref"):
        Case(inst, np.array([0]), ref="spiky")
    assert isinstance(a_case.instance, Instance) and a_case.coverage == "generic" and in_band(a_case)


# ============================================================================ the module itself


def test_strategies_and_the_setting_read_one_rule_table() -> None:
    assert list(rt.RULES) == list(PARAMETERS)
    for name, rule in rt.RULES.items():
        parameter = PARAMETERS[name]
        fields = ("meaning", "rule", "lowest", "lowest_open", "highest", "highest_open", "integer")
        assert all(getattr(parameter, f) == getattr(rule, f) for f in fields), name


def test_public_api_is_exported_typed_and_documented() -> None:
    for name in rt.__all__:
        obj = getattr(rt, name)
        if callable(obj):
            assert inspect.getdoc(obj), name
        if inspect.isfunction(obj):
            hints = inspect.signature(obj)
            assert hints.return_annotation is not inspect.Signature.empty, name
            assert all(p.annotation is not inspect.Parameter.empty for p in hints.parameters.values()), name
    assert {"settings", "instances", "perturbations", "perturb", "Case", "in_band"} <= set(rt.__all__)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)


def test_module_imports_neither_sympy_nor_the_chain() -> None:
    result = _run("import sys, rlhfsym.testing; "
                  "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sympy' or m.startswith('rlhfsym.chain')"
                  " or m.startswith('rlhfsym.proofs') or m == 'rlhfsym.setting'))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_missing_hypothesis_gives_the_install_hint() -> None:
    result = _run("import sys; sys.modules['hypothesis'] = None; import rlhfsym.testing")
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "pip install 'rlhfsym[test]'" in result.stderr


@pytest.mark.cost(6)
def test_docs_examples_run() -> None:
    """Every ```python block of docs/testing.md runs, and the test functions it defines pass."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks
    namespace: dict[str, Any] = {"__name__": "docs_testing_md"}
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), namespace)  # our own documentation
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert tests
    for test in tests:
        test()
