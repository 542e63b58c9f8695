"""Measure the constants the generalisation bounds are stated in, on an instance and a training sample."""

from __future__ import annotations

import numpy as np

from rlhfsym.numerics.instance import Instance, check_indices, empirical_weights
from rlhfsym.numerics.policy import coverage

__all__ = ["measure_parameters"]


def measure_parameters(inst: Instance, indices: object) -> dict[str, float | int]:
    """The bound's constants for a sample of prompt indices.

    ``B = max_{x,a} ||phi(x,a)||_2`` over all N prompts, ``S = ||theta||``, ``beta``, ``n = len(indices)``,
    ``K``, ``d``, ``gamma = lambda_min(Sigma_S(0))`` (empirical weights of the sample) and
    ``gamma_D = lambda_min(Sigma_D(0))`` (population weights).
    """
    array = check_indices("indices", indices, inst.N)
    return {
        "B": float(np.max(np.linalg.norm(inst.features, axis=-1))),
        "S": float(np.linalg.norm(inst.theta)),
        "beta": float(inst.beta),
        "n": int(array.size),
        "K": inst.K,
        "d": inst.d,
        "gamma": coverage(inst, empirical_weights(inst, array)),
        "gamma_D": coverage(inst),
    }
