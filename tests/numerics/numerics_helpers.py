"""Helpers shared by the numerics tests (a uniquely named module, imported from the test folder)."""

from __future__ import annotations

import numpy as np
import pytest

from rlhfsym.numerics import Instance

#: Random-instance shapes beyond the defaults (K=4, d=3).
SHAPES = [
    pytest.param({"N": 7, "K": 6, "d": 5, "beta": 1.0, "B": 1.0, "S": 1.0}, id="K6-d5"),
    pytest.param({"N": 5, "K": 2, "d": 1, "beta": 0.5, "B": 2.0, "S": 3.0}, id="K2-d1"),
    pytest.param({"N": 4, "K": 8, "d": 3, "beta": 0.3, "B": 1.5, "S": 2.0, "ref_concentration": 0.7},
                 id="K8-d3-dirichlet-ref"),
]


def random_parameters(inst: Instance, count: int, seed: int, max_norm: float = 3.0) -> list[np.ndarray]:
    """``count`` parameter vectors w with norms spread over [0, max_norm]; the first is 0, the last is w*."""
    rng = np.random.default_rng(seed)
    out = [np.zeros(inst.d)]
    for norm in np.linspace(0.1, max_norm, count - 2):
        direction = rng.standard_normal(inst.d)
        out.append(norm * direction / np.linalg.norm(direction))
    out.append(np.array(inst.w_star))
    return out


def measured_B(inst: Instance) -> float:
    """``max_{x,a} ||phi(x,a)||``."""
    return float(np.max(np.linalg.norm(inst.features, axis=-1)))
