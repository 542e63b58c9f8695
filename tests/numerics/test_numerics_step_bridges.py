"""Numeric checks of the bridge lemmas on random instances beyond the symbolic sizes (K = 6, d = 5; K = 2, d = 1;
K = 8, d = 3): the gap decomposition at w* (gap_le_dev_add_sq_dist_of_norm_le), one GA step in distances
(ga_step_dist_le_of_coverage) and one prompt-sampling SGA step given the past (sga_step_cond_le_of_coverage)."""

from __future__ import annotations

import numpy as np
from numerics_helpers import measured_B, random_parameters

from rlhfsym.numerics import (
    Instance,
    covariance,
    empirical_weights,
    gradient,
    objective,
    per_prompt_gradient,
    sample_prompts,
)

TOL = 1e-10


def _sample(inst: Instance, n: int = 12, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """The prompts of a sample (with repeats) and their empirical weights."""
    prompts = sample_prompts(inst, n, seed)
    return prompts, empirical_weights(inst, prompts)


def _in_ball(inst: Instance, count: int, seed: int) -> list[np.ndarray]:
    """Parameters w with ||w - w*|| <= S/beta (S = ||theta*||), the ball the GA and SGA iterates stay in."""
    rng = np.random.default_rng(seed)
    radius = np.linalg.norm(inst.theta) / inst.beta
    out = [np.zeros(inst.d)]
    for fraction in np.linspace(0.0, 1.0, count - 1):
        direction = rng.standard_normal(inst.d)
        out.append(inst.w_star + fraction * radius * direction / np.linalg.norm(direction))
    return out


def _contraction(inst: Instance, eta: float, weights: np.ndarray) -> float:
    """rho = 1 - eta beta gamma e^{-4BS/beta}, gamma = lambda_min(Sigma_S(0))."""
    B, S = measured_B(inst), float(np.linalg.norm(inst.theta))
    gamma = float(np.linalg.eigvalsh(covariance(inst, np.zeros(inst.d), weights))[0])
    return 1 - eta * inst.beta * max(gamma, 0.0) * np.exp(-4 * B * S / inst.beta)


def test_gap_is_at_most_the_deviation_at_w_star_plus_the_bregman_term(inst: Instance) -> None:
    _, weights = _sample(inst)
    ceiling = inst.beta * measured_B(inst) ** 2 / 2
    dev = abs(objective(inst, inst.w_star) - objective(inst, inst.w_star, weights))
    for w in random_parameters(inst, 8, seed=21):
        sq = float(np.sum((w - inst.w_star) ** 2))
        for wts in (None, weights):
            excess = objective(inst, inst.w_star, wts) - objective(inst, w, wts)
            assert -TOL <= excess <= ceiling * sq + TOL
        gap = abs(objective(inst, w) - objective(inst, w, weights))
        assert gap <= dev + ceiling * sq + TOL


def test_a_ga_step_is_non_expansive_and_contracts_inside_the_ball(inst: Instance) -> None:
    _, weights = _sample(inst)
    eta = 1 / (inst.beta * measured_B(inst) ** 2)
    rho = _contraction(inst, eta, weights)
    assert 0 <= rho <= 1
    for w in random_parameters(inst, 8, seed=22) + _in_ball(inst, 6, seed=23):
        before = np.linalg.norm(w - inst.w_star)
        after = np.linalg.norm(w + eta * gradient(inst, w, weights) - inst.w_star)
        assert after <= before * (1 + 1e-12) + TOL
    for w in _in_ball(inst, 8, seed=24):
        before = np.linalg.norm(w - inst.w_star)
        after = np.linalg.norm(w + eta * gradient(inst, w, weights) - inst.w_star)
        assert after <= rho * before * (1 + 1e-12) + TOL


def test_a_prompt_step_is_non_expansive_and_contracts_in_mean_square_inside_the_ball(inst: Instance) -> None:
    prompts, weights = _sample(inst)
    eta = 1 / (inst.beta * measured_B(inst) ** 2)
    rho = _contraction(inst, eta, weights)
    for w in _in_ball(inst, 8, seed=25):
        before = float(np.sum((w - inst.w_star) ** 2))
        steps = w + eta * per_prompt_gradient(inst, w, prompts)  # one row per drawn prompt of the sample
        after = np.sum((steps - inst.w_star) ** 2, axis=1)
        assert np.all(after <= before * (1 + 1e-12) + TOL)
        assert float(np.mean(after)) <= rho * before * (1 + 1e-12) + TOL
