"""Gradient ascent and the two stochastic ascents: recursions, recorded norms, reproducibility, step sizes."""

from __future__ import annotations

import numpy as np
import pytest
from numerics_helpers import measured_B

from rlhfsym.errors import ParameterError
from rlhfsym.numerics import (
    AscentResult,
    Instance,
    empirical_weights,
    gradient,
    gradient_ascent,
    per_prompt_gradient,
    random_instance,
    sample_prompts,
    sga_prompt,
    sga_reinforce,
)


def _distances(result: AscentResult, inst: Instance) -> np.ndarray:
    return np.linalg.norm(result.iterates - inst.w_star, axis=1)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("eta_factor", [1.0, 2.0], ids=["eta=1/(beta B^2)", "eta=2/(beta B^2)"])
def test_gradient_ascent_distance_to_w_star_is_non_increasing(seed: int, eta_factor: float) -> None:
    """Lemma: eta <= 2/(beta B^2) gives ||w_{t+1} - w*|| <= ||w_t - w*|| (contraction by I - eta beta Sigma)."""
    inst = random_instance(seed, N=12, K=5, d=4, beta=0.5 + seed, B=1.0 + 0.3 * seed, S=2.0)
    weights = empirical_weights(inst, sample_prompts(inst, 6, seed))
    eta = eta_factor / (inst.beta * measured_B(inst) ** 2)
    start = np.random.default_rng(seed).standard_normal(inst.d) * 3
    for w0 in (None, start):
        distances = _distances(gradient_ascent(inst, weights, eta, 60, w0), inst)
        assert np.all(np.diff(distances) <= 1e-12 * (1 + distances[:-1]))


def test_gradient_ascent_with_too_large_a_step_can_move_away_from_w_star() -> None:
    """The step-size condition matters: eta = 50/(beta B^2) increases the distance (so the lemma test can fail)."""
    inst = random_instance(0, N=12, K=5, d=4, beta=0.5, B=1.0, S=2.0)
    weights = empirical_weights(inst, sample_prompts(inst, 6, 0))
    eta = 50.0 / (inst.beta * measured_B(inst) ** 2)
    start = np.random.default_rng(0).standard_normal(inst.d) * 3
    assert np.max(np.diff(_distances(gradient_ascent(inst, weights, eta, 60, start), inst))) > 1.0


def test_gradient_ascent_follows_the_recursion_and_records_gradient_norms(inst: Instance) -> None:
    weights = empirical_weights(inst, sample_prompts(inst, 5, 1))
    eta, T = 0.7, 15
    result = gradient_ascent(inst, weights, eta, T)
    assert result.iterates.shape == (T + 1, inst.d) and result.grad_norms.shape == (T + 1,)
    np.testing.assert_array_equal(result.iterates[0], 0.0)
    for t in range(T + 1):
        g = gradient(inst, result.iterates[t], weights)
        np.testing.assert_allclose(result.grad_norms[t], np.linalg.norm(g), rtol=1e-12, atol=1e-15)
        if t < T:
            np.testing.assert_allclose(result.iterates[t + 1], result.iterates[t] + eta * g, rtol=1e-13, atol=1e-15)


def test_result_accessors_pick_last_and_argmin_of_gradient_norms() -> None:
    result = AscentResult(iterates=np.arange(8.0).reshape(4, 2), grad_norms=np.array([3.0, 1.0, 2.0, 1.0]))
    assert result.best_index == 1
    np.testing.assert_array_equal(result.best_gradient, [2.0, 3.0])
    np.testing.assert_array_equal(result.last, [6.0, 7.0])


def test_best_index_is_argmin_of_recorded_norms(inst: Instance) -> None:
    indices = sample_prompts(inst, 8, 2)
    result = sga_reinforce(inst, indices, 0.5, 40, seed=3)
    assert result.best_index == int(np.argmin(result.grad_norms))
    np.testing.assert_array_equal(result.best_gradient, result.iterates[result.best_index])


def test_gradient_ascent_with_zero_steps_records_the_start() -> None:
    inst = random_instance(4)
    result = gradient_ascent(inst, None, 0.1, 0, w0=np.ones(inst.d))
    assert result.iterates.shape == (1, inst.d)
    np.testing.assert_allclose(result.grad_norms, [np.linalg.norm(gradient(inst, np.ones(inst.d)))])


def test_gradient_ascent_approaches_w_star_on_full_support() -> None:
    inst = random_instance(5, N=6, K=4, d=3, beta=1.0)
    result = gradient_ascent(inst, None, 1.0, 400)
    assert np.linalg.norm(result.last - inst.w_star) < 0.5 * np.linalg.norm(inst.w_star)
    assert result.grad_norms[-1] < result.grad_norms[0]


def test_sga_prompt_on_a_single_prompt_sample_is_exact_gradient_ascent(inst: Instance) -> None:
    """With every sampled index equal to x, each step is along the exact grad j(w; x)."""
    x = inst.N - 1
    one_hot = np.eye(inst.N)[x]
    stochastic = sga_prompt(inst, [x, x, x], 0.4, 12, seed=0)
    exact = gradient_ascent(inst, one_hot, 0.4, 12)
    np.testing.assert_allclose(stochastic.iterates, exact.iterates, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(stochastic.grad_norms, exact.grad_norms, rtol=1e-12, atol=1e-15)


def test_sga_prompt_steps_along_a_sampled_prompt_gradient(inst: Instance) -> None:
    indices = np.array([0, inst.N - 1, 0])
    eta, T = 0.3, 10
    result = sga_prompt(inst, indices, eta, T, seed=4)
    for t in range(T):
        step = (result.iterates[t + 1] - result.iterates[t]) / eta
        candidates = per_prompt_gradient(inst, result.iterates[t], np.unique(indices))
        assert np.min(np.linalg.norm(candidates - step, axis=1)) <= 1e-12


@pytest.mark.parametrize("algorithm", [sga_prompt, sga_reinforce], ids=["prompt", "reinforce"])
def test_stochastic_ascent_records_full_empirical_gradient_norms(inst: Instance, algorithm) -> None:  # type: ignore[no-untyped-def]
    indices = sample_prompts(inst, 6, 5)
    weights = empirical_weights(inst, indices)
    result = algorithm(inst, indices, 0.5, 20, 6)
    recomputed = [np.linalg.norm(gradient(inst, w, weights)) for w in result.iterates]
    np.testing.assert_allclose(result.grad_norms, recomputed, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("algorithm", [sga_prompt, sga_reinforce], ids=["prompt", "reinforce"])
def test_stochastic_ascent_is_reproducible_for_a_seed_and_differs_across_seeds(algorithm) -> None:  # type: ignore[no-untyped-def]
    inst = random_instance(8, N=15, K=5, d=4)
    indices = sample_prompts(inst, 10, 9)
    first = algorithm(inst, indices, 0.5, 30, 11)
    again = algorithm(inst, indices, 0.5, 30, np.random.default_rng(11))
    other = algorithm(inst, indices, 0.5, 30, 12)
    np.testing.assert_array_equal(first.iterates, again.iterates)
    np.testing.assert_array_equal(first.grad_norms, again.grad_norms)
    assert not np.allclose(first.iterates, other.iterates)


def test_sga_reinforce_steps_average_to_the_prompt_gradient() -> None:
    """One step from w0 over many seeds: the mean step is grad J_S(w0) (within 5 standard errors)."""
    inst = random_instance(10, N=4, K=3, d=2)
    indices = np.arange(inst.N)
    w0 = np.array([0.3, -0.2])
    steps = np.array([sga_reinforce(inst, indices, 1.0, 1, seed, w0).iterates[1] - w0 for seed in range(3000)])
    target = gradient(inst, w0, empirical_weights(inst, indices))
    std_error = steps.std(axis=0) / np.sqrt(len(steps))
    assert np.all(np.abs(steps.mean(axis=0) - target) <= 5 * std_error)


@pytest.mark.parametrize(
    "eta",
    [
        pytest.param(0.25, id="float"),
        pytest.param(lambda t: 0.5 / np.sqrt(t), id="callable"),
        pytest.param(np.linspace(0.5, 0.1, 8), id="array"),
    ],
)
def test_step_size_forms_give_the_stated_schedule(eta) -> None:  # type: ignore[no-untyped-def]
    """Form of eta: constant, t -> eta_t for t = 1..T, or an array of length T; checked on a one-prompt sample."""
    inst = random_instance(12, N=3, K=4, d=3)
    T = 8
    schedule = [eta(t) if callable(eta) else (eta if np.ndim(eta) == 0 else eta[t - 1]) for t in range(1, T + 1)]
    result = sga_prompt(inst, [1], eta, T, seed=0)
    for t in range(T):
        g = per_prompt_gradient(inst, result.iterates[t], [1])[0]
        np.testing.assert_allclose(result.iterates[t + 1], result.iterates[t] + schedule[t] * g, rtol=1e-13,
                                   atol=1e-15)


def test_schedule_is_called_with_steps_one_to_T() -> None:
    inst = random_instance(13)
    calls: list[int] = []
    sga_prompt(inst, [0, 1], lambda t: calls.append(t) or 0.1, 5, seed=0)
    assert calls == [1, 2, 3, 4, 5]


def test_step_size_array_of_wrong_length_is_rejected() -> None:
    inst = random_instance(14)
    for algorithm in (sga_prompt, sga_reinforce):
        with pytest.raises(ParameterError) as caught:
            algorithm(inst, [0, 1], np.full(4, 0.1), 5, 0)
        assert caught.value.parameter == "eta"


def test_projected_reinforce_iterates_stay_in_the_ball_and_match_reinforce_inside_it() -> None:
    """Every iterate of projected REINFORCE SGA has ||w_t|| <= ||theta*||/beta; a run whose steps never leave the
    ball is the plain REINFORCE run (same seed, same draws)."""
    from rlhfsym.numerics import sga_reinforce_projected

    inst = random_instance(11, N=5, K=3, d=2)
    indices = np.arange(inst.N)
    radius = np.linalg.norm(inst.theta) / inst.beta
    for eta in (1e-3, 1.0, 1e6, 1e300):
        run = sga_reinforce_projected(inst, indices, eta, 30, seed=3)
        assert np.all(np.isfinite(run.iterates))
        assert np.all(np.linalg.norm(run.iterates, axis=1) <= radius * (1 + 1e-12))
    tiny = 1e-6  # 30 steps of size 1e-6 stay deep inside the ball
    projected = sga_reinforce_projected(inst, indices, tiny, 30, seed=3)
    np.testing.assert_array_equal(projected.iterates, sga_reinforce(inst, indices, tiny, 30, 3).iterates)


def test_reinforce_estimate_norm_is_at_most_its_cap_on_the_ball() -> None:
    """The statement of reinforce_norm_le_of_norm_le on numbers: ||g|| <= 2B (S B + 2 beta B ||w||) for
    every prompt, action and w (the cap at R = ||w||)."""
    from rlhfsym.numerics import reinforce_estimate

    for seed in range(5):
        inst = random_instance(20 + seed, N=4, K=4, d=3)
        B, S = measured_B(inst), float(np.linalg.norm(inst.theta))
        rng = np.random.default_rng(seed)
        for w in rng.normal(size=(6, inst.d)) * (1 + 2 * seed):
            cap = 2 * B * (S * B + 2 * inst.beta * B * np.linalg.norm(w))
            for x in range(inst.N):
                for a in range(inst.K):
                    assert np.linalg.norm(reinforce_estimate(inst, w, x, a)) <= cap * (1 + 1e-12)
