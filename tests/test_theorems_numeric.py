"""The chain's theorems and lemmas of docs/setting.md, section 4, against exact measurements on simulated instances.

Bounds are evaluated from the theorem's own sympy expression at the parameters measured on the instance (exact
rationals of the measured floats, 30 digits); a measured value may exceed a bound only by float round-off, for
which ``ROUNDOFF`` (relative 1e-9) is allowed. Probability claims are checked by counting violations over
independent training samples and a one-sided binomial test at level 1e-3 against the stated delta.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from theorem_helpers import LEVEL, ROUNDOFF, binomial_tail, bound_at

from rlhfsym.numerics import (
    Instance,
    covariance,
    coverage,
    covered_subspace,
    empirical_weights,
    gradient,
    gradient_ascent,
    measure_parameters,
    objective,
    per_prompt_objective,
    random_instance,
    sample_prompts,
    uncovered_residual,
)


def erm_gap(inst: Instance, indices: np.ndarray, w: np.ndarray) -> float:
    return abs(objective(inst, w) - objective(inst, w, empirical_weights(inst, indices)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_empirical_maximiser_found_by_ga_is_w_star_under_coverage(seed: int) -> None:
    inst = random_instance(seed, N=30, K=4, d=3, beta=0.7, S=2.0)
    indices = sample_prompts(inst, 6, seed)
    weights = empirical_weights(inst, indices)
    assert coverage(inst, weights) > 1e-6
    run = gradient_ascent(inst, weights, eta=1.0, T=3000)
    assert run.grad_norms[-1] < 1e-10
    assert np.linalg.norm(run.last - inst.w_star) < 1e-8


def test_erm_gap_bound_holds_with_probability_at_least_one_minus_delta() -> None:
    delta = Fraction(1, 10)
    violations = trials = 0
    for seed in range(4):
        inst = random_instance(100 + seed, N=50, K=3, d=2, beta=0.5, S=1.5)
        for draw in range(150):
            indices = sample_prompts(inst, 8, 1000 * seed + draw)
            measured = measure_parameters(inst, indices)
            assert measured["gamma"] > 0
            limit = bound_at("erm_gap_le_of_coverage", S=measured["S"], B=measured["B"], n=measured["n"], delta=delta)
            violations += erm_gap(inst, indices, inst.w_star) > limit * (1 + ROUNDOFF)
            trials += 1
    assert binomial_tail(violations, trials, float(delta)) >= LEVEL, (violations, trials)


def test_negative_control_erm_without_coverage_violates_the_gap_bound() -> None:
    # Training prompt 0 only sees direction e1 (gamma = 0); prompt 1 of the population sees e2.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.6, 0.8]), np.full((2, 2), 0.5), 1.0)
    indices = np.zeros(50, dtype=int)
    weights = empirical_weights(inst, indices)
    assert coverage(inst, weights) == pytest.approx(0.0, abs=1e-15)
    w_S = inst.w_star + np.array([0.0, -20.0])  # also an empirical maximiser: J_S ignores e2; J loses ~0.9
    assert np.linalg.norm(gradient(inst, w_S, weights)) < 1e-12
    assert objective(inst, w_S, weights) == pytest.approx(objective(inst, inst.w_star, weights), abs=1e-12)
    measured = measure_parameters(inst, indices)
    limit = bound_at("erm_gap_le_of_coverage", S=measured["S"], B=measured["B"], n=measured["n"], delta="0.1")
    assert erm_gap(inst, indices, w_S) > limit


@pytest.mark.parametrize(("K", "d"), [(6, 5), (2, 1), (4, 3)])
def test_optimal_objective_lies_in_plus_minus_S_B(K: int, d: int) -> None:
    for seed in range(5):
        inst = random_instance(seed, N=40, K=K, d=d, beta=0.3 + seed, S=2.0, B=1.5)
        values = per_prompt_objective(inst, inst.w_star)
        S, B = np.linalg.norm(inst.theta), np.max(np.linalg.norm(inst.features, axis=-1))
        assert np.all(np.abs(values) <= S * B * (1 + ROUNDOFF))


def test_error_bound_holds_at_random_points() -> None:
    rng = np.random.default_rng(7)
    for seed in range(5):
        inst = random_instance(seed, N=30, K=5, d=4, beta=0.8, S=2.0)
        weights = empirical_weights(inst, sample_prompts(inst, 5, seed))
        for _ in range(20):
            w = rng.standard_normal(inst.d) * rng.uniform(0, 3)
            lam = np.linalg.eigvalsh(covariance(inst, w, weights))[0]
            dist = np.linalg.norm(w - inst.w_star)
            lhs = inst.beta * lam * dist**2
            assert lhs <= np.linalg.norm(gradient(inst, w, weights)) * dist * (1 + ROUNDOFF) + 1e-15


def _uncovered_instance(seed: int) -> Instance:
    """d = 8 > n (K - 1) for the samples below: the sample covers at most n (K - 1) directions."""
    return random_instance(seed, N=40, K=2, d=8, beta=1.0, S=1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_ga_from_zero_converges_to_the_min_norm_empirical_maximiser_without_coverage(seed: int) -> None:
    inst = _uncovered_instance(seed)
    indices = sample_prompts(inst, 4, seed)
    basis = covered_subspace(inst, indices)
    assert basis.shape[1] < inst.d and measure_parameters(inst, indices)["gamma"] < 1e-12
    w_U = basis @ (basis.T @ inst.w_star)
    run = gradient_ascent(inst, empirical_weights(inst, indices), eta=1.0, T=20000)
    assert np.linalg.norm(run.last - w_U) < 1e-6
    assert uncovered_residual(inst, indices) == pytest.approx(np.linalg.norm(inst.w_star - w_U))


def test_partial_coverage_gap_bound_holds_with_probability_at_least_one_minus_delta() -> None:
    delta = Fraction(1, 10)
    violations = trials = 0
    for seed in range(3):
        inst = _uncovered_instance(10 + seed)
        for draw in range(100):
            indices = sample_prompts(inst, 4, 1000 * seed + draw)
            basis = covered_subspace(inst, indices)
            w_U = basis @ (basis.T @ inst.w_star)
            m = measure_parameters(inst, indices)
            limit = bound_at(
                "erm_min_norm_gap_le_of_partial_coverage",
                S=m["S"],
                B=m["B"],
                beta=m["beta"],
                n=m["n"],
                delta=delta,
                residual=uncovered_residual(inst, indices),
            )
            violations += erm_gap(inst, indices, w_U) > limit * (1 + ROUNDOFF)
            trials += 1
    assert binomial_tail(violations, trials, float(delta)) >= LEVEL, (violations, trials)


def test_negative_control_partial_coverage_bound_with_the_residual_ignored_is_violated() -> None:
    # Broken assumption: residual = ||P_perp w*||. Training prompt 0 sees only e1; prompt 1 of the population sees
    # e2, so w_U = (w*_1, 0) loses J on prompt 1. Claiming residual = 0 (coverage) leaves only the Hoeffding term.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.6, 0.8]), np.full((2, 2), 0.5), 1.0)
    indices = np.zeros(20_000, dtype=int)
    m = measure_parameters(inst, indices)
    assert uncovered_residual(inst, indices) == pytest.approx(0.8)
    w_U = np.array([0.6, 0.0])
    values = dict(S=m["S"], B=m["B"], beta=m["beta"], n=m["n"], delta="0.1")
    assert erm_gap(inst, indices, w_U) > bound_at("erm_min_norm_gap_le_of_partial_coverage", residual=0, **values)
    assert erm_gap(inst, indices, w_U) <= bound_at("erm_min_norm_gap_le_of_partial_coverage", residual="0.8", **values)
