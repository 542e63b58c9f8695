"""The coverage transfer of min_eig_ge_exp_smul_coverage_of_norm_le, checked numerically on random instances:
lambda_min(Sigma_S(w)) >= e^{-2B||w||} lambda_min(Sigma_S(0)) on samples of every size, beyond the symbolic proof's
scalar reading (it reads the averaged quadratic form at a unit eigenvector)."""

from __future__ import annotations

import numpy as np
import pytest
from numerics_helpers import measured_B, random_parameters

from rlhfsym.numerics import Instance, covariance, empirical_weights, random_instance, sample_prompts


def _min_eig(matrix: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(0.5 * (matrix + matrix.T)).min())


@pytest.mark.parametrize("n", [1, 3, 20])
def test_smallest_eigenvalue_of_the_sample_covariance_transfers(inst: Instance, n: int) -> None:
    B = measured_B(inst)
    weights = empirical_weights(inst, sample_prompts(inst, n, 7 + n))
    gamma = _min_eig(covariance(inst, np.zeros(inst.d), weights))
    for w in random_parameters(inst, 30, seed=21 + n, max_norm=4.0):
        floor = np.exp(-2 * B * np.linalg.norm(w)) * gamma
        assert _min_eig(covariance(inst, w, weights)) >= floor - 1e-12


def test_the_factor_is_needed() -> None:
    """Without e^{-2B||w||} the transfer fails (so the test above can fail): far from 0 the policy concentrates."""
    inst = random_instance(16, N=3, K=4, d=2)
    weights = empirical_weights(inst, sample_prompts(inst, 3, 1))
    gamma = _min_eig(covariance(inst, np.zeros(2), weights))
    assert _min_eig(covariance(inst, np.array([8.0, -3.0]), weights)) < gamma - 1e-3
