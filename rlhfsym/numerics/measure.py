"""Measure the constants the generalisation bounds are stated in, on an instance and a training sample."""

from __future__ import annotations

import numpy as np

from rlhfsym.numerics.instance import Instance, check_indices, empirical_weights
from rlhfsym.numerics.policy import covariance, coverage

__all__ = ["covered_subspace", "measure_parameters", "per_prompt_coverage", "uncovered_residual"]

#: Eigenvalues of Sigma_S(0) at most this fraction of the larger of the largest one and B^2 count as zero
#: (uncovered directions): the B^2 floor keeps a covariance made only of rounding noise from reading as covered.
RANK_TOLERANCE = 1e-10


#: The latest measurements (at most MEASURED_KEPT), by instance (its arrays are read-only; the key holds it, so it is
#: compared by identity), sample and ``residual``: a simulation asks for the same ones several times per run.
_MEASURED: dict[tuple, dict[str, float | int]] = {}
MEASURED_KEPT = 64


def measure_parameters(inst: Instance, indices: object, *, residual: bool = False) -> dict[str, float | int]:
    """The bound's constants for a sample of prompt indices.

    ``B = max_{x,a} ||phi(x,a)||_2`` over all N prompts, ``S = ||theta||``, ``beta``, ``n = len(indices)``,
    ``K``, ``d``, ``gamma = lambda_min(Sigma_S(0))`` (empirical weights of the sample) and
    ``gamma_D = lambda_min(Sigma_D(0))`` (population weights); with ``residual=True`` also
    ``residual = ||P_perp w*||`` (:func:`uncovered_residual`).
    """
    array = check_indices("indices", indices, inst.N)
    key = (inst, array.tobytes(), residual)
    found = _MEASURED.get(key)
    if found is None:
        if len(_MEASURED) >= MEASURED_KEPT:
            _MEASURED.clear()
        found = _MEASURED[key] = _measure(inst, array, residual)
    return dict(found)


def _measure(inst: Instance, array: np.ndarray, residual: bool) -> dict[str, float | int]:
    measured: dict[str, float | int] = {
        "B": float(np.max(np.linalg.norm(inst.features, axis=-1))),
        "S": float(np.linalg.norm(inst.theta)),
        "beta": float(inst.beta),
        "n": int(array.size),
        "K": inst.K,
        "d": inst.d,
        "gamma": coverage(inst, empirical_weights(inst, array)),
        "gamma_D": coverage(inst),
    }
    if residual:
        measured["residual"] = uncovered_residual(inst, array)
    return measured


def per_prompt_coverage(inst: Instance) -> float:
    """``gamma_x = min_x lambda_min(Sigma_0(x))`` over the prompts of positive weight: the least coverage of a
    sample of size n (n copies of the worst prompt are a possible sample; Sigma_S(0) is a mean of the Sigma_0(x))."""
    return min(coverage(inst, np.eye(inst.N)[x]) for x in range(inst.N) if inst.weights[x] > 0)


def covered_subspace(inst: Instance, indices: object) -> np.ndarray:
    """An orthonormal basis (d, r) of U_S = range(Sigma_S(0)): the directions the training sample covers.

    Eigenvalues of the symmetrised Sigma_S(0) at most ``RANK_TOLERANCE`` times max(largest, B^2) are treated as 0.
    """
    array = check_indices("indices", indices, inst.N)
    sigma = covariance(inst, np.zeros(inst.d), empirical_weights(inst, array))
    values, vectors = np.linalg.eigh((sigma + sigma.T) / 2)
    scale = max(float(values[-1]), float(np.max(np.linalg.norm(inst.features, axis=-1))) ** 2, np.finfo(float).tiny)
    keep = values > RANK_TOLERANCE * scale
    return vectors[:, keep]


def uncovered_residual(inst: Instance, indices: object) -> float:
    """``residual = ||P_perp w*||_2``: the part of w* = theta*/beta outside U_S (0 under coverage)."""
    basis = covered_subspace(inst, indices)
    w_star = np.asarray(inst.w_star)
    return float(np.linalg.norm(w_star - basis @ (basis.T @ w_star)))
