"""The seven identities and inequalities of the Boltzmann-policy model, checked numerically on random instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numerics_helpers import measured_B, random_parameters

from rlhfsym.numerics import (
    Instance,
    covariance,
    covariances,
    empirical_weights,
    gradient,
    kl,
    log_partition,
    log_policy,
    mean_features,
    objective,
    per_prompt_gradient,
    per_prompt_objective,
    policy,
    random_instance,
    reinforce_estimate,
    sample_prompts,
)

FD_STEP = 1e-6
#: Central differences with h = 1e-6: truncation ~h^2, round-off ~1e-16/h, so 1e-6 relative is generous.
FD_RTOL = 1e-6


def _sample_weights(inst: Instance, seed: int) -> np.ndarray:
    """Empirical weights of a small sample (some prompts get weight 0)."""
    return empirical_weights(inst, sample_prompts(inst, 3, seed))


def _central_difference(f, w: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    columns = []
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = FD_STEP
        columns.append((f(w + step) - f(w - step)) / (2 * FD_STEP))
    return np.stack(columns, axis=-1)


# ----------------------------------------------------------------------------- the policy itself


def test_policy_rows_sum_to_one_and_zero_parameter_gives_reference(inst: Instance) -> None:
    for w in random_parameters(inst, 5, seed=1):
        np.testing.assert_allclose(policy(inst, w).sum(axis=1), 1.0, atol=1e-14)
    np.testing.assert_allclose(policy(inst, np.zeros(inst.d)), inst.pi_ref, rtol=1e-14)


def test_policy_is_reference_tilted_by_exponential_score(inst: Instance) -> None:
    w = random_parameters(inst, 4, seed=2)[2]
    unnormalised = inst.pi_ref * np.exp(inst.features @ w)
    np.testing.assert_allclose(policy(inst, w), unnormalised / unnormalised.sum(axis=1, keepdims=True),
                               rtol=1e-13)


def test_stable_softmax_handles_scores_of_magnitude_1e4() -> None:
    inst = random_instance(7, N=6, K=5, d=3)
    w = np.array([1e4, -2e4, 5e3])
    log_pi = log_policy(inst, w)
    pi = policy(inst, w)
    assert np.all(np.isfinite(log_pi)) and np.all(np.isfinite(pi))
    np.testing.assert_allclose(pi.sum(axis=1), 1.0, atol=1e-14)
    scores = inst.features @ w
    assert np.all(np.argmax(pi, axis=1) == np.argmax(scores + inst.log_pi_ref, axis=1))
    for quantity in (per_prompt_objective(inst, w), gradient(inst, w), kl(inst, w, np.zeros(3))):
        assert np.all(np.isfinite(quantity))


def test_prompt_subsets_agree_with_full_arrays(inst: Instance) -> None:
    w = random_parameters(inst, 4, seed=3)[2]
    prompts = np.array([inst.N - 1, 0, 0])
    np.testing.assert_array_equal(log_policy(inst, w, prompts), log_policy(inst, w)[prompts])
    np.testing.assert_array_equal(mean_features(inst, w, prompts), mean_features(inst, w)[prompts])
    np.testing.assert_array_equal(covariances(inst, w, prompts), covariances(inst, w)[prompts])
    np.testing.assert_array_equal(per_prompt_gradient(inst, w, prompts), per_prompt_gradient(inst, w)[prompts])


def test_w_star_maximises_every_prompt_objective(inst: Instance) -> None:
    best = per_prompt_objective(inst, inst.w_star)
    for w in random_parameters(inst, 8, seed=4):
        assert np.all(per_prompt_objective(inst, w) <= best + 1e-12)


# ----------------------------------------------------------------------------- 1. gradient identity


def test_gradient_matches_finite_differences(inst: Instance) -> None:
    weights = _sample_weights(inst, seed=5)
    for w in random_parameters(inst, 5, seed=6):
        exact = per_prompt_gradient(inst, w)
        numeric = _central_difference(lambda u: per_prompt_objective(inst, u), w)
        np.testing.assert_allclose(numeric, exact, rtol=FD_RTOL, atol=FD_RTOL)
        for wts in (None, weights):
            numeric_total = _central_difference(lambda u, wts=wts: objective(inst, u, wts), w)
            np.testing.assert_allclose(numeric_total, gradient(inst, w, wts), rtol=FD_RTOL, atol=FD_RTOL)


def test_gradient_equals_covariance_times_direction(inst: Instance) -> None:
    weights = _sample_weights(inst, seed=7)
    for w in random_parameters(inst, 6, seed=8):
        direction = inst.theta - inst.beta * w
        np.testing.assert_allclose(per_prompt_gradient(inst, w), covariances(inst, w) @ direction,
                                   rtol=1e-11, atol=1e-13)
        for wts in (None, weights):
            np.testing.assert_allclose(gradient(inst, w, wts), covariance(inst, w, wts) @ direction,
                                       rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(gradient(inst, w, weights), weights @ per_prompt_gradient(inst, w),
                                   rtol=1e-11, atol=1e-13)


def test_gradient_vanishes_at_w_star(inst: Instance) -> None:
    np.testing.assert_allclose(gradient(inst, inst.w_star), 0.0, atol=1e-13)


# ----------------------------------------------------------------------------- 2. objective gap = beta KL


def test_kl_gap_equals_objective_gap(inst: Instance) -> None:
    optimum = per_prompt_objective(inst, inst.w_star)
    for w in random_parameters(inst, 8, seed=9):
        gap = optimum - per_prompt_objective(inst, w)
        divergence = kl(inst, w, inst.w_star)
        np.testing.assert_allclose(gap, inst.beta * divergence, rtol=0, atol=1e-10)
        assert np.all(divergence >= 0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), scale=st.floats(0.0, 4.0), K=st.integers(2, 7), d=st.integers(1, 6))
def test_kl_gap_equals_objective_gap_for_arbitrary_instances(seed: int, scale: float, K: int, d: int) -> None:
    inst = random_instance(seed, N=3, K=K, d=d, beta=0.8, S=1.5, ref_concentration=1.0)
    w = scale * np.random.default_rng(seed).standard_normal(d)
    gap = per_prompt_objective(inst, inst.w_star) - per_prompt_objective(inst, w)
    np.testing.assert_allclose(gap, inst.beta * kl(inst, w, inst.w_star), rtol=0, atol=1e-10)


# ----------------------------------------------------------------------------- 3. ascent direction


def test_ascent_direction_is_covariance_quadratic_form(inst: Instance) -> None:
    for w in random_parameters(inst, 8, seed=10):
        delta = inst.w_star - w
        inner = per_prompt_gradient(inst, w) @ delta
        quadratic = inst.beta * np.einsum("i,nij,j->n", delta, covariances(inst, w), delta)
        np.testing.assert_allclose(inner, quadratic, rtol=1e-10, atol=1e-13)
        assert np.all(quadratic >= -1e-15)


# ----------------------------------------------------------------------------- 4. spectral bound


def test_covariance_spectral_norm_le_B_squared(inst: Instance) -> None:
    B = measured_B(inst)
    for w in random_parameters(inst, 10, seed=11, max_norm=10.0):
        largest = np.linalg.eigvalsh(covariances(inst, w))[:, -1]
        assert np.all(largest <= B**2 + 1e-12)


# ----------------------------------------------------------------------------- 5. KL as a Bregman divergence


def test_kl_equals_bregman_divergence_of_log_partition(inst: Instance) -> None:
    params = random_parameters(inst, 6, seed=12)
    for w in params:
        for v in params:
            bregman = log_partition(inst, v) - log_partition(inst, w) - mean_features(inst, w) @ (v - w)
            np.testing.assert_allclose(kl(inst, w, v), bregman, rtol=1e-9, atol=1e-12)


def test_kl_le_half_B_squared_distance_squared(inst: Instance) -> None:
    B = measured_B(inst)
    params = random_parameters(inst, 8, seed=13)
    for w in params:
        for v in params:
            assert np.all(kl(inst, w, v) <= 0.5 * B**2 * np.sum((v - w) ** 2) + 1e-14)


def test_kl_vanishes_only_on_the_diagonal(inst: Instance) -> None:
    w, v = random_parameters(inst, 4, seed=14)[1:3]
    np.testing.assert_allclose(kl(inst, w, w), 0.0, atol=1e-15)
    assert np.all(kl(inst, w, v) > 0)


# ----------------------------------------------------------------------------- 6. covariance lower bound


def _min_eigenvalue(matrices: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(0.5 * (matrices + np.swapaxes(matrices, 1, 2))).min())


@pytest.mark.parametrize("factor", [4.0, 2.0], ids=["exp(-4B|w|)", "exp(-2B|w|)"])
def test_covariance_ge_exp_scaled_reference_covariance(inst: Instance, factor: float) -> None:
    B = measured_B(inst)
    reference = covariances(inst, np.zeros(inst.d))
    for w in random_parameters(inst, 40, seed=15, max_norm=5.0):
        scale = np.exp(-factor * B * np.linalg.norm(w))
        assert _min_eigenvalue(covariances(inst, w) - scale * reference) >= -1e-12


def test_covariance_can_fall_below_reference_covariance() -> None:
    """The exponential factor is needed: without it the PSD ordering fails (so the test above can fail)."""
    inst = random_instance(16, N=3, K=4, d=2)
    reference = covariances(inst, np.zeros(2))
    assert _min_eigenvalue(covariances(inst, np.array([8.0, -3.0])) - reference) < -1e-3


# ----------------------------------------------------------------------------- 7. REINFORCE is unbiased


def test_reinforce_estimate_is_unbiased(inst: Instance) -> None:
    for w in random_parameters(inst, 5, seed=17):
        pi = policy(inst, w)
        exact = per_prompt_gradient(inst, w)
        for x in range(inst.N):
            estimates = np.array([reinforce_estimate(inst, w, x, a) for a in range(inst.K)])
            np.testing.assert_allclose(pi[x] @ estimates, exact[x], rtol=0, atol=1e-10)


def test_reinforce_monte_carlo_mean_within_five_standard_errors(inst: Instance) -> None:
    """Sampled check: the mean of M = 20000 draws is within 5 standard errors (exact variance) per coordinate."""
    rng = np.random.default_rng(18)
    draws = 20_000
    w = random_parameters(inst, 4, seed=19)[2]
    pi = policy(inst, w)
    exact = per_prompt_gradient(inst, w)
    for x in range(inst.N):
        estimates = np.array([reinforce_estimate(inst, w, x, a) for a in range(inst.K)])
        counts = rng.multinomial(draws, pi[x])
        mean = counts @ estimates / draws
        std_error = np.sqrt((pi[x] @ estimates**2 - exact[x] ** 2) / draws)
        assert np.all(np.abs(mean - exact[x]) <= 5 * std_error + 1e-12)
