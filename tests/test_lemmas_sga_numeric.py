"""Lemmas 1 and 6 of docs/setting.md, section 4, and the prompt-sampling SGA theorems against exact measurements.

Expectation claims are checked on the mean over ``SEEDS`` independent runs: the claim is rejected when the mean
exceeds the bound by more than ``Z`` standard errors (a one-sided test at about 3e-5 under normality).
"""

from __future__ import annotations

import numpy as np
import pytest
from theorem_helpers import ROUNDOFF, binomial_tail, bound_at

from rlhfsym.numerics import (
    Instance,
    covariance,
    empirical_weights,
    gradient,
    measure_parameters,
    objective,
    per_prompt_gradient,
    per_prompt_objective,
    policy,
    random_instance,
    reinforce_estimate,
    sample_prompts,
    sga_prompt,
    sga_reinforce,
)

SEEDS = 60
Z = 4.0


def _setting(seed: int, **shape: object):
    inst = random_instance(seed, **shape)
    indices = sample_prompts(inst, 6, seed)
    return inst, indices, measure_parameters(inst, indices)


@pytest.mark.parametrize("seed", range(4))
def test_second_directional_derivative_matches_identity_and_is_at_most_L_of_R(seed: int) -> None:
    inst = random_instance(seed, N=5, K=5, d=4, beta=0.5 + seed, S=2.0, B=1.3)
    rng = np.random.default_rng(seed)
    S, B, beta = np.linalg.norm(inst.theta), np.max(np.linalg.norm(inst.features, axis=-1)), inst.beta
    for _ in range(10):
        w, u = rng.standard_normal(inst.d) * rng.uniform(0, 2), rng.standard_normal(inst.d)
        R = np.linalg.norm(w)
        h = 1e-4
        second = (
            per_prompt_objective(inst, w + h * u)
            - 2 * per_prompt_objective(inst, w)
            + per_prompt_objective(inst, w - h * u)
        ) / h**2
        pi = policy(inst, w)
        x = inst.features @ u
        y = inst.features @ (inst.theta - beta * w)
        xc = x - (pi * x).sum(1, keepdims=True)
        yc = y - (pi * y).sum(1, keepdims=True)
        exact = (pi * xc**2 * yc).sum(1) - beta * (pi * xc**2).sum(1)
        assert np.allclose(second, exact, rtol=1e-4, atol=1e-6)
        L_R = 2 * B**3 * (S + beta * R) + beta * B**2
        assert np.all(np.abs(exact) <= L_R * (u @ u) * (1 + ROUNDOFF))


def test_one_ga_step_contracts_by_rho_R_at_random_points() -> None:
    for seed in range(6):
        inst, indices, m = _setting(seed, N=25, K=3, d=2, beta=1.5, S=1.0)
        weights = empirical_weights(inst, indices)
        B, beta, gamma = m["B"], m["beta"], m["gamma"]
        eta = 1 / (beta * B**2)
        rng = np.random.default_rng(seed)
        for _ in range(20):
            w = rng.standard_normal(inst.d) * rng.uniform(0, 2)
            step = w + eta * gradient(inst, w, weights)
            rho_R = 1 - eta * beta * gamma * np.exp(-2 * B * np.linalg.norm(w))
            before, after = np.linalg.norm(w - inst.w_star), np.linalg.norm(step - inst.w_star)
            assert after <= rho_R * before * (1 + ROUNDOFF) + 1e-15


def test_one_sga_step_contracts_in_mean_square_at_random_points() -> None:
    for seed in range(6):
        inst, indices, m = _setting(seed, N=25, K=3, d=2, beta=1.5, S=1.0)
        B, beta, gamma = m["B"], m["beta"], m["gamma"]
        eta = 1 / (beta * B**2)
        rng = np.random.default_rng(seed)
        for _ in range(20):
            w = rng.standard_normal(inst.d) * rng.uniform(0, 2)
            per_prompt = [w + eta * gradient(inst, w, empirical_weights(inst, np.array([i]))) for i in indices]
            mean_square = np.mean([np.sum((v - inst.w_star) ** 2) for v in per_prompt])
            rho_R = 1 - eta * beta * gamma * np.exp(-2 * B * np.linalg.norm(w))
            assert mean_square <= rho_R * np.sum((w - inst.w_star) ** 2) * (1 + ROUNDOFF) + 1e-15


def _sga_runs(inst, indices, eta: float, T: int) -> np.ndarray:
    return np.array([sga_prompt(inst, indices, eta, T, seed).last for seed in range(SEEDS)])


def _within(samples: np.ndarray, bound: float) -> bool:
    return samples.mean() - Z * samples.std(ddof=1) / np.sqrt(len(samples)) <= bound * (1 + ROUNDOFF)


@pytest.mark.parametrize(("seed", "T"), [(0, 0), (1, 5), (2, 60)])
def test_sga_prompt_mean_distance_is_at_most_rho_to_half_T(seed: int, T: int) -> None:
    inst, indices, m = _setting(seed, N=25, K=3, d=2, beta=2.0, S=1.0)
    eta = 1 / (m["beta"] * m["B"] ** 2)
    finals = _sga_runs(inst, indices, eta, T)
    distances = np.linalg.norm(finals - inst.w_star, axis=1)
    bound = bound_at(
        "sga_prompt_last_dist_le_of_coverage", S=m["S"], B=m["B"], beta=m["beta"], gamma=m["gamma"], eta=eta, T=T
    )
    assert _within(distances, bound)
    excess = np.array([objective(inst, inst.w_star) - objective(inst, w) for w in finals])
    assert _within(
        excess,
        bound_at(
            "sga_prompt_last_excess_le_of_coverage", S=m["S"], B=m["B"], beta=m["beta"], gamma=m["gamma"], eta=eta, T=T
        ),
    )


def test_negative_control_sga_prompt_without_coverage_violates_both_bounds() -> None:
    # Broken assumption: coverage. The training prompt's features span only e1 (measured gamma = 0), so SGA never
    # moves along e2 and w_T keeps distance >= |w*_2|; the bounds are evaluated at a claimed gamma = B^2 > 0.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.6, 0.8]), np.full((2, 2), 0.5), 1.0)
    indices = np.zeros(6, dtype=int)
    m = measure_parameters(inst, indices)
    assert m["gamma"] == pytest.approx(0.0, abs=1e-15)
    eta, T = 1 / (m["beta"] * m["B"] ** 2), 400
    finals = _sga_runs(inst, indices, eta, T)
    values = dict(S=m["S"], B=m["B"], beta=m["beta"], gamma=m["B"] ** 2, eta=eta, T=T)
    distances = np.linalg.norm(finals - inst.w_star, axis=1)
    assert distances.min() >= 0.8 - 1e-12
    assert distances.mean() > bound_at("sga_prompt_last_dist_le_of_coverage", **values)
    excess = np.array([objective(inst, inst.w_star) - objective(inst, w) for w in finals])
    assert excess.mean() > bound_at("sga_prompt_last_excess_le_of_coverage", **values)


def test_covariance_quadratic_form_is_at_least_lambda_min_times_distance_squared() -> None:
    inst, indices, _ = _setting(9, N=25, K=4, d=3, beta=1.0, S=1.0)
    weights = empirical_weights(inst, indices)
    z = np.array([0.3, -1.0, 2.0])
    sigma = covariance(inst, np.zeros(3), weights)
    assert z @ sigma @ z >= np.linalg.eigvalsh(sigma)[0] * (z @ z) * (1 - ROUNDOFF)


def _t3_bound(m: dict, T: int, gamma: float | None = None, delta: str = "0.1") -> float:
    return bound_at(
        "sga_prompt_best_gap_le_of_coverage",
        S=m["S"],
        B=m["B"],
        beta=m["beta"],
        gamma=m["gamma"] if gamma is None else gamma,
        n=m["n"],
        T=T,
        delta=delta,
    )


def _t3_mean_gap(inst, indices, m: dict, T: int, seeds: int, scale: float = 1.0) -> np.ndarray:
    """Gaps |J - J_S| at the best full-gradient iterate of prompt-sampling SGA with eta_t = scale/(2 L sqrt t)."""
    L = 6 * m["B"] ** 3 * m["S"] + m["beta"] * m["B"] ** 2
    weights = empirical_weights(inst, indices)
    gaps = []
    for seed in range(seeds):
        w = sga_prompt(inst, indices, lambda t: scale / (2 * L * np.sqrt(t)), T, seed).best_gradient
        gaps.append(abs(objective(inst, w) - objective(inst, w, weights)))
    return np.array(gaps)


def test_sga_prompt_best_gradient_gap_bound_holds_in_expectation_with_probability_one_minus_delta() -> None:
    violations = trials = 0
    for seed in range(3):
        inst = random_instance(40 + seed, N=25, K=3, d=2, beta=1.0 + seed, S=0.8)
        for draw in range(10):
            indices = sample_prompts(inst, 8, 100 * seed + draw)
            m = measure_parameters(inst, indices)
            gaps = _t3_mean_gap(inst, indices, m, T=100, seeds=10)
            violations += not _within(gaps, _t3_bound(m, T=100))
            trials += 1
    assert binomial_tail(violations, trials, 0.1) >= 1e-3, (violations, trials)


def test_negative_control_sga_prompt_best_gradient_without_coverage_violates_the_bound() -> None:
    # Broken assumption: coverage. Training prompt 0 sees only e1 (gamma = 0 measured), so SGA never moves along
    # e2, while population prompt 1 (reference policy peaked on its bad action) needs it; the bound is evaluated at a
    # claimed gamma = B^2. A small reward scale S keeps the optimisation term below the loss on the unseen prompt.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    pi_ref = np.array([[0.5, 0.5], [0.01, 0.99]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.006, 0.008]), pi_ref, 1.0)
    indices = np.zeros(10_000, dtype=int)
    m = measure_parameters(inst, indices)
    assert m["gamma"] == pytest.approx(0.0, abs=1e-15)
    gaps = _t3_mean_gap(inst, indices, m, T=3000, seeds=5)
    assert gaps.mean() - Z * gaps.std(ddof=1) / np.sqrt(len(gaps)) > _t3_bound(m, T=3000, gamma=m["B"] ** 2)


def test_gradient_norm_is_at_most_B_squared_times_S_plus_beta_R() -> None:
    for seed in range(5):
        inst = random_instance(seed, N=20, K=5, d=4, beta=0.3 + seed, S=1.5, B=1.2)
        S, B = np.linalg.norm(inst.theta), np.max(np.linalg.norm(inst.features, axis=-1))
        rng = np.random.default_rng(seed)
        for _ in range(20):
            w = rng.standard_normal(inst.d) * rng.uniform(0, 3)
            norms = np.linalg.norm(per_prompt_gradient(inst, w), axis=1)
            assert np.all(norms <= B**2 * (S + inst.beta * np.linalg.norm(w)) * (1 + ROUNDOFF))


@pytest.mark.parametrize("c", [1e-3, 1e-2, 0.1, 1.0, 10.0])
def test_series_of_the_sga_noise_is_at_most_one_plus_two_log(c: float) -> None:
    # sum_{k>=1} e^{-c sqrt k} / k <= 1 + 2 log(1 + 1/c): the T-free noise bound of sga_prompt_best_gap_le_of_coverage.
    k = np.arange(1, 4_000_001, dtype=float)
    head = np.sum(np.exp(-c * np.sqrt(k)) / k)
    tail = np.exp(-c * np.sqrt(k[-1])) * 2 * (np.sqrt(k[-1]) / c + 1 / c**2) / k[-1]  # >= the rest of the series
    assert head + tail <= 1 + 2 * np.log(1 + 1 / c)


def test_sga_prompt_noise_sum_is_bounded_independently_of_T() -> None:
    inst, indices, m = _setting(3, N=25, K=3, d=2, beta=2.0, S=1.0)
    B, S, beta, gamma = m["B"], m["S"], m["beta"], m["gamma"]
    L = 6 * B**3 * S + beta * B**2
    eta = lambda t: 1 / (2 * L * np.sqrt(t))  # noqa: E731
    c = beta * gamma * np.exp(-4 * B * S / beta) / (2 * L)
    limit = B**4 * S**2 / (4 * L**2) * (2 + 2 * np.log(1 + 1 / c))
    totals = []
    for seed in range(SEEDS):
        run = sga_prompt(inst, indices, eta, 400, seed)
        steps = np.diff(run.iterates, axis=0)  # eta_t g_t
        totals.append(np.sum(steps**2))  # sum_t eta_t^2 ||g_t||^2
    totals = np.array(totals)
    assert totals.mean() - Z * totals.std(ddof=1) / np.sqrt(SEEDS) <= limit


def test_harmonic_tail_over_the_last_half_is_at_most_one_plus_log_two() -> None:
    # sum_{t=floor(T/2)+1}^T 1/t <= 1 + log 2 for every T >= 1: the tail noise of sga_reinforce_best_gap_le_of_coverage.
    for T in range(1, 20_001):
        tail = sum(1 / t for t in range(T // 2 + 1, T + 1)) if T < 200 else np.log(T / (T // 2)) + 1 / (T // 2 + 1)
        assert tail <= 1 + np.log(2), T


def test_step_sizes_over_the_last_half_sum_to_at_least_root_T_over_four_L() -> None:
    # sum_{t=floor(T/2)+1}^T 1/(2L sqrt t) >= sqrt(T)/(4L): the tail step sum of the REINFORCE paper form.
    for L in (0.5, 3.0):
        for T in [*range(1, 300), 1000, 4097, 100_000]:
            t = np.arange(T // 2 + 1, T + 1, dtype=float)
            assert np.sum(1 / (2 * L * np.sqrt(t))) >= np.sqrt(T) / (4 * L) * (1 - ROUNDOFF), (L, T)


def test_reinforce_tail_mean_square_gradient_is_within_the_ascent_bound() -> None:
    # The window fact behind the REINFORCE paper form, measured: min over the last ceil(T/2) iterates of the
    # seed-averaged ||grad J_S(w_t)||^2 is at most (8 L' B^2 S^2/beta + (14 B^2 S)^2 (1 + log 2)/2) / sqrt(T).
    inst = random_instance(61, N=25, K=3, d=2, beta=2.0, S=0.8)
    indices = sample_prompts(inst, 8, 7)
    m = measure_parameters(inst, indices)
    B, S, beta = m["B"], m["S"], m["beta"]
    L = 8 * B**3 * S + beta * B**2
    for T in (10, 100, 400):
        runs = _reinforce_runs(inst, indices, m, T=T, seeds=SEEDS)
        squares = np.array([r.grad_norms**2 for r in runs])  # (seeds, T+1)
        window = squares[:, T // 2 : T].mean(axis=0)
        limit = (8 * L * B**2 * S**2 / beta + (14 * B**2 * S) ** 2 * (1 + np.log(2)) / 2) / np.sqrt(T)
        assert window.min() <= limit, (T, window.min(), limit)


def test_reinforce_estimate_norm_is_at_most_fourteen_B_squared_S_on_the_ball() -> None:
    for seed in range(5):
        inst = random_instance(seed, N=10, K=4, d=3, beta=0.5 + seed, S=1.5, B=1.2)
        S, B, beta = np.linalg.norm(inst.theta), np.max(np.linalg.norm(inst.features, axis=-1)), inst.beta
        rng = np.random.default_rng(seed)
        for _ in range(20):
            direction = rng.standard_normal(inst.d)
            w = direction / np.linalg.norm(direction) * rng.uniform(0, 3 * S / beta)
            for x in range(inst.N):
                for a in range(inst.K):
                    assert np.linalg.norm(reinforce_estimate(inst, w, x, a)) <= 14 * B**2 * S * (1 + ROUNDOFF)


def _reinforce_runs(inst, indices, m: dict, T: int, seeds: int):
    """REINFORCE SGA with eta_t = 1/(2 L' sqrt t), L' = 8 B^3 S + beta B^2 (smoothness on ||w|| <= 3S/beta)."""
    L = 8 * m["B"] ** 3 * m["S"] + m["beta"] * m["B"] ** 2
    return [sga_reinforce(inst, indices, lambda t: 1 / (2 * L * np.sqrt(t)), T, seed) for seed in range(seeds)]


def test_sga_reinforce_best_gradient_gap_bound_holds_where_its_ball_assumption_holds() -> None:
    violations = trials = runs_outside = 0
    for seed in range(3):
        inst = random_instance(60 + seed, N=25, K=3, d=2, beta=1.0 + seed, S=0.8)
        for draw in range(10):
            indices = sample_prompts(inst, 8, 100 * seed + draw)
            m = measure_parameters(inst, indices)
            weights = empirical_weights(inst, indices)
            runs = _reinforce_runs(inst, indices, m, T=100, seeds=10)
            radius = np.array([np.linalg.norm(r.iterates - inst.w_star, axis=1).max() for r in runs])
            runs_outside += int(np.sum(radius > 2 * m["S"] / m["beta"] * (1 + ROUNDOFF)))
            gaps = np.array(
                [abs(objective(inst, r.best_gradient) - objective(inst, r.best_gradient, weights)) for r in runs]
            )
            limit = bound_at(
                "sga_reinforce_best_gap_le_of_coverage",
                S=m["S"],
                B=m["B"],
                beta=m["beta"],
                gamma=m["gamma"],
                n=m["n"],
                T=100,
                delta="0.1",
            )
            violations += not _within(gaps, limit)
            trials += 1
    # The theorem assumes ||w_t - w*|| <= 2S/beta on every run; here every run stayed in it (a finding if not).
    assert runs_outside == 0
    assert binomial_tail(violations, trials, 0.1) >= 1e-3, (violations, trials)


def test_negative_control_sga_reinforce_without_coverage_violates_the_bound() -> None:
    # Broken assumption: coverage (as for the prompt-sampling variant); the bound is evaluated at a claimed gamma.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    pi_ref = np.array([[0.5, 0.5], [0.01, 0.99]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([0.006, 0.008]), pi_ref, 1.0)
    indices = np.zeros(10_000, dtype=int)
    m = measure_parameters(inst, indices)
    weights = empirical_weights(inst, indices)
    runs = _reinforce_runs(inst, indices, m, T=3000, seeds=5)
    gaps = np.array([abs(objective(inst, r.best_gradient) - objective(inst, r.best_gradient, weights)) for r in runs])
    limit = bound_at(
        "sga_reinforce_best_gap_le_of_coverage",
        S=m["S"],
        B=m["B"],
        beta=m["beta"],
        gamma=m["B"] ** 2,
        n=m["n"],
        T=3000,
        delta="0.1",
    )
    assert gaps.mean() - Z * gaps.std(ddof=1) / np.sqrt(len(gaps)) > limit
