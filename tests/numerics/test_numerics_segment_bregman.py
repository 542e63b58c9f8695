"""The Bregman bound along a segment of kl_le_half_exp_mul_var_ref_of_mem_icc, checked numerically at every prompt of
random instances: KL(pi_u || pi_v) <= (e^{2M}/2) Var_{pi_ref}(<v - u, phi>) with M the largest |score| of u and v
(the symbolic proof is for one prompt and a symbolic K)."""

from __future__ import annotations

import numpy as np
from numerics_helpers import random_parameters

from rlhfsym.numerics import Instance, random_instance


def _policy(inst: Instance, w: np.ndarray) -> np.ndarray:
    logits = inst.log_pi_ref + inst.features @ w
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def _sides(inst: Instance, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(KL(pi_u || pi_v), (e^{2M}/2) Var_ref(Delta)) at every prompt."""
    pu, pv = _policy(inst, u), _policy(inst, v)
    kl = np.sum(pu * (np.log(pu) - np.log(pv)), axis=1)
    scores = np.concatenate([inst.features @ u, inst.features @ v], axis=1)
    M = np.abs(scores).max(axis=1)
    delta = inst.features @ (v - u)
    mean = np.sum(inst.pi_ref * delta, axis=1, keepdims=True)
    variance = np.sum(inst.pi_ref * (delta - mean) ** 2, axis=1)
    return kl, np.exp(2 * M) * variance / 2


def test_kl_along_a_segment_le_half_exp_scaled_reference_variance(inst: Instance) -> None:
    ws = random_parameters(inst, 30, seed=41, max_norm=4.0)
    for u, v in zip(ws, ws[::-1], strict=True):
        kl, bound = _sides(inst, u, v)
        assert np.all(kl <= bound * (1 + 1e-9) + 1e-12)


def test_the_bound_is_zero_along_a_direction_the_reference_does_not_vary() -> None:
    """Where every action has the same projection on Delta, both sides are 0 (what the covariance weighting buys
    over B^2 ||v - u||^2 / 2, which is positive there)."""
    inst = random_instance(3, N=2, K=3, d=2)
    features = np.array(inst.features)
    features[:, :, 1] = 0.7  # the second coordinate is the same for every action
    flat = Instance(features, inst.weights, inst.theta, inst.pi_ref, inst.beta)
    kl, bound = _sides(flat, np.array([0.3, 0.0]), np.array([0.3, 2.0]))
    assert np.allclose(kl, 0.0, atol=1e-12) and np.allclose(bound, 0.0, atol=1e-12)


def test_the_exponential_factor_is_needed() -> None:
    """Without e^{2M} the bound fails on some segment (so the test above can fail)."""
    inst = random_instance(5, N=3, K=4, d=2)
    ws = random_parameters(inst, 30, seed=7, max_norm=4.0)
    worst = 0.0
    for u, v in zip(ws, ws[::-1], strict=True):
        kl, bound = _sides(inst, u, v)
        scores = np.concatenate([inst.features @ u, inst.features @ v], axis=1)
        worst = max(worst, float(np.max(kl - bound / np.exp(2 * np.abs(scores).max(axis=1)))))
    assert worst > 1e-6
