"""measure_parameters on hand-built instances, random instances and prompt samples."""

from __future__ import annotations

import numpy as np

from rlhfsym.numerics import (
    Instance,
    coverage,
    empirical_weights,
    every_sample,
    measure_parameters,
    per_prompt_coverage,
    random_instance,
    sample_prompts,
)


def test_measure_parameters_on_two_point_instance_by_hand() -> None:
    """N=1, K=2, d=1: phi in {1, -3}, pi_ref = (1/4, 3/4), so gamma = Var = (1/4)(3/4)(4^2) = 3."""
    inst = Instance(features=[[[1.0], [-3.0]]], weights=[1.0], theta=[2.0], pi_ref=[[0.25, 0.75]], beta=0.5)
    measured = measure_parameters(inst, [0, 0, 0])
    assert set(measured) == {"B", "S", "beta", "n", "K", "d", "gamma", "gamma_D"}
    assert (measured["B"], measured["S"], measured["beta"]) == (3.0, 2.0, 0.5)
    assert (measured["n"], measured["K"], measured["d"]) == (3, 2, 1)
    assert abs(measured["gamma"] - 3.0) <= 1e-14 and abs(measured["gamma_D"] - 3.0) <= 1e-14
    for key in ("B", "S", "beta", "gamma", "gamma_D"):
        assert type(measured[key]) is float
    for key in ("n", "K", "d"):
        assert type(measured[key]) is int


def test_a_measurement_asked_again_is_the_same_and_belongs_to_its_own_instance_and_sample() -> None:
    """measure_parameters keeps its latest results by instance (read-only arrays, compared by identity), sample and
    residual: asked again it returns the same values (a copy the caller may change), and another instance with the
    same arrays but another beta, or another sample, is measured afresh."""
    arrays = {"features": [[[1.0], [-3.0]], [[2.0], [0.5]]], "weights": [0.5, 0.5], "theta": [2.0],
              "pi_ref": [[0.25, 0.75], [0.5, 0.5]]}  # fmt: skip
    inst = Instance(**arrays, beta=0.5)
    first = measure_parameters(inst, [0, 1])
    first["gamma"] = -1.0
    assert measure_parameters(inst, np.array([0, 1])) == {**first, "gamma": measure_parameters(inst, [0, 1])["gamma"]}
    assert measure_parameters(inst, [0, 1])["gamma"] > 0
    assert measure_parameters(Instance(**arrays, beta=2.0), [0, 1])["beta"] == 2.0
    assert measure_parameters(inst, [0, 0])["gamma"] == measure_parameters(inst, [0, 0, 0])["gamma"] == 3.0
    assert measure_parameters(inst, [1])["gamma"] != measure_parameters(inst, [0])["gamma"]
    assert "residual" in measure_parameters(inst, [0, 1], residual=True)
    assert "residual" not in measure_parameters(inst, [0, 1])


def test_empirical_coverage_differs_from_population_coverage_by_hand() -> None:
    """Prompt 0 varies only along e1, prompt 1 only along e2 (covariances diag(1,0), diag(0,1))."""
    features = [[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]]
    inst = Instance(features=features, weights=[0.5, 0.5], theta=[0.0, 1.0], pi_ref=[[0.5, 0.5]] * 2, beta=1.0)
    measured = measure_parameters(inst, [0, 0, 1, 0])
    assert abs(measured["gamma_D"] - 0.5) <= 1e-14
    assert abs(measured["gamma"] - 0.25) <= 1e-14
    assert abs(measure_parameters(inst, [0, 0])["gamma"]) <= 1e-14
    assert measured["B"] == 1.0 and measured["S"] == 1.0 and measured["n"] == 4


def test_B_is_measured_over_all_prompts_not_only_the_sample() -> None:
    features = np.zeros((3, 2, 2))
    features[2, 1] = [3.0, 4.0]
    features[0, 0] = [1.0, 0.0]
    inst = Instance(features=features, weights=[1 / 3] * 3, theta=[1.0, 0.0], pi_ref=[[0.5, 0.5]] * 3, beta=1.0)
    assert measure_parameters(inst, [0])["B"] == 5.0


def test_random_instance_has_the_requested_B_S_and_reference() -> None:
    inst = random_instance(3, N=30, K=5, d=4, beta=0.2, B=2.5, S=1.7)
    measured = measure_parameters(inst, sample_prompts(inst, 10, 0))
    assert abs(measured["B"] - 2.5) <= 1e-12 and abs(measured["S"] - 1.7) <= 1e-12
    assert measured["beta"] == 0.2 and (measured["K"], measured["d"]) == (5, 4)
    np.testing.assert_allclose(inst.pi_ref, 0.2)
    dirichlet = random_instance(3, N=30, K=5, d=4, ref_concentration=0.3)
    assert np.all(dirichlet.pi_ref > 0)
    assert not np.allclose(dirichlet.pi_ref, 0.2)


def test_random_instance_is_reproducible_for_a_seed() -> None:
    first, again, other = random_instance(21), random_instance(np.random.default_rng(21)), random_instance(22)
    np.testing.assert_array_equal(first.features, again.features)
    np.testing.assert_array_equal(first.weights, again.weights)
    assert not np.array_equal(first.features, other.features)


def test_sample_prompts_follow_the_weights() -> None:
    """Frequencies of 200000 draws lie within 5 binomial standard errors of the weights."""
    inst = random_instance(23, N=6)
    n = 200_000
    frequencies = empirical_weights(inst, sample_prompts(inst, n, 24))
    std_error = np.sqrt(inst.weights * (1 - inst.weights) / n)
    assert np.all(np.abs(frequencies - inst.weights) <= 5 * std_error + 1e-12)


def test_empirical_weights_are_counts_over_n() -> None:
    inst = random_instance(25, N=4)
    np.testing.assert_array_equal(empirical_weights(inst, [3, 0, 3, 3]), [0.25, 0.0, 0.0, 0.75])


def test_coverage_is_smallest_eigenvalue_of_weighted_reference_covariance() -> None:
    inst = random_instance(26, N=5, K=4, d=3)
    weights = empirical_weights(inst, [1, 1, 4])
    sigma = sum(weights[x] * np.cov(inst.features[x].T, aweights=inst.pi_ref[x], bias=True) for x in range(5))
    assert abs(coverage(inst, weights) - np.linalg.eigvalsh(sigma)[0]) <= 1e-13


def test_per_prompt_coverage_is_the_least_coverage_of_any_sample() -> None:
    """min_x lambda_min(Sigma_0(x)) is attained by n copies of the worst prompt and bounds every sample's gamma from
    below (Sigma_S(0) is a mean of the Sigma_0(x), and lambda_min is concave)."""
    for seed in range(5):
        inst = random_instance(seed, N=4, K=4, d=2)
        least = min(measure_parameters(inst, indices)["gamma"] for indices, _ in every_sample(inst, 3))
        assert abs(per_prompt_coverage(inst) - least) <= 1e-12 * max(1.0, abs(least))
        assert per_prompt_coverage(inst) > 0
