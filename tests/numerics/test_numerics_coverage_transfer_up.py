"""The upper coverage transfer of cov_le_exp_smul_cov_ref_of_norm_le, checked numerically on random instances:
Sigma_w(x) <= e^{2B||w||} Sigma_0(x) in the PSD order at every prompt, beyond the symbolic proof's scalar reading
(a variance of one projection)."""

from __future__ import annotations

import numpy as np
from numerics_helpers import measured_B, random_parameters

from rlhfsym.numerics import Instance, covariances, random_instance


def _min_eigenvalue(matrices: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(0.5 * (matrices + np.swapaxes(matrices, 1, 2))).min())


def test_covariance_le_exp_scaled_reference_covariance(inst: Instance) -> None:
    B = measured_B(inst)
    reference = covariances(inst, np.zeros(inst.d))
    for w in random_parameters(inst, 40, seed=25, max_norm=5.0):
        scale = np.exp(2 * B * np.linalg.norm(w))
        assert _min_eigenvalue(scale * reference - covariances(inst, w)) >= -1e-12 * scale


def test_covariance_can_rise_above_reference_covariance() -> None:
    """The factor is needed: a tilt towards the rarer actions raises the variance (so the test above can fail)."""
    inst = random_instance(16, N=3, K=4, d=2)
    reference = covariances(inst, np.zeros(2))
    found = min(_min_eigenvalue(reference - covariances(inst, w)) for w in random_parameters(inst, 40, seed=3))
    assert found < -1e-6
