"""Gradient ascent on the empirical objective J_S and its two stochastic variants.

* ``gradient_ascent``: ``w_{t+1} = w_t + eta grad J_S(w_t)``.
* ``sga_prompt``: ``w_{t+1} = w_t + eta_t grad j(w_t; x_i)`` with ``x_i`` uniform over the n-sample.
* ``sga_reinforce``: as ``sga_prompt`` but along the REINFORCE estimate with ``a ~ pi_{w_t}(.|x_i)``.
* ``sga_reinforce_projected``: ``sga_reinforce`` followed by the projection onto the ball ``||w|| <= S/beta``
  (``S = ||theta*||``), which contains ``w* = theta*/beta``.

Every run records all iterates ``w_0..w_T`` and the FULL empirical gradient norms ``||grad J_S(w_t)||``,
so that the iterate with the smallest gradient (the one the theorems select) can be read off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rlhfsym.errors import ParameterError
from rlhfsym.numerics.instance import (
    Instance,
    as_float_array,
    check_finite,
    check_indices,
    check_int,
    check_positive_scalar,
    check_shape,
    empirical_weights,
    make_rng,
)
from rlhfsym.numerics.policy import (
    _log_softmax,
    _reinforce,
    check_parameter,
    resolve_weights,
    restrict,
    weighted_gradient,
)

__all__ = ["AscentResult", "gradient_ascent", "project_onto_ball", "sga_prompt", "sga_reinforce",
           "sga_reinforce_projected"]

#: A step size: a constant, a schedule ``t -> eta_t`` for t = 1..T, or an array of the T step sizes.
StepSize = float | Callable[[int], float] | np.ndarray


@dataclass(frozen=True, eq=False)
class AscentResult:
    """Iterates ``w_0..w_T`` (T+1,d) and full empirical gradient norms ``||grad J_S(w_t)||`` (T+1,)."""

    iterates: np.ndarray
    grad_norms: np.ndarray

    @property
    def last(self) -> np.ndarray:
        """The final iterate ``w_T``."""
        return self.iterates[-1]

    @property
    def best_index(self) -> int:
        """``argmin_t ||grad J_S(w_t)||`` (the first one on ties)."""
        return int(np.argmin(self.grad_norms))

    @property
    def best_gradient(self) -> np.ndarray:
        """The iterate with the smallest full empirical gradient norm."""
        return self.iterates[self.best_index]


class _EmpiricalGradient:
    """``w -> grad J_S(w)`` with the support of the weights selected once."""

    def __init__(self, inst: Instance, weights: np.ndarray) -> None:
        self.features, self.log_ref, self.weights = restrict(inst, weights)
        self.theta = inst.theta
        self.beta = inst.beta

    def __call__(self, w: np.ndarray) -> np.ndarray:
        return weighted_gradient(self.features, self.log_ref, self.weights, self.theta, self.beta, w)


def _start(inst: Instance, w0: object | None) -> np.ndarray:
    return np.zeros(inst.d) if w0 is None else check_parameter(inst, w0, "w0").copy()


def step_sizes(eta: StepSize, T: int) -> np.ndarray:
    """Step sizes ``eta_1..eta_T`` from a constant, a schedule ``t -> eta_t`` or an array; all finite > 0."""
    if callable(eta):
        values = np.array([check_positive_scalar("eta", eta(t)) for t in range(1, T + 1)], dtype=np.float64)
        return values.reshape(T)
    if np.ndim(eta) == 0:
        return np.full(T, check_positive_scalar("eta", eta))
    values = as_float_array("eta", eta)
    check_shape("eta", values, (T,), "(T,)")
    check_finite("eta", values)
    if not np.all(values > 0):
        raise ParameterError("eta", "step sizes must be > 0")
    return values


def _record(iterates: np.ndarray, full_gradient: _EmpiricalGradient) -> AscentResult:
    norms = np.array([np.linalg.norm(full_gradient(w)) for w in iterates])
    iterates.setflags(write=False)
    norms.setflags(write=False)
    return AscentResult(iterates=iterates, grad_norms=norms)


def gradient_ascent(
    inst: Instance, weights: object | None, eta: float, T: int, w0: object | None = None
) -> AscentResult:
    """Full-batch ascent ``w_{t+1} = w_t + eta grad J_S(w_t)`` for t < T from ``w0`` (default 0).

    ``weights`` are the prompt weights of J_S (e.g. ``empirical_weights``); None means the population J.
    """
    eta = check_positive_scalar("eta", eta)
    T = check_int("T", T, 0)
    full_gradient = _EmpiricalGradient(inst, resolve_weights(inst, weights))
    iterates = np.empty((T + 1, inst.d))
    iterates[0] = _start(inst, w0)
    norms = np.empty(T + 1)
    for t in range(T + 1):
        g = full_gradient(iterates[t])
        norms[t] = np.linalg.norm(g)
        if t < T:
            iterates[t + 1] = iterates[t] + eta * g
    iterates.setflags(write=False)
    norms.setflags(write=False)
    return AscentResult(iterates=iterates, grad_norms=norms)


def _prompt_gradient(inst: Instance, prompt: int, w: np.ndarray) -> np.ndarray:
    """``grad j(w; x)`` for one prompt via the weighted kernel with weight 1."""
    sl = slice(prompt, prompt + 1)
    return weighted_gradient(inst.features[sl], inst.log_pi_ref[sl], np.ones(1), inst.theta, inst.beta, w)


def _sample_action(inst: Instance, prompt: int, w: np.ndarray, rng: np.random.Generator) -> int:
    """One draw ``a ~ pi_w(.|x)`` by inverting the cumulative distribution."""
    log_pi = _log_softmax(inst.features[prompt] @ w + inst.log_pi_ref[prompt])
    cumulative = np.cumsum(np.exp(log_pi))
    return min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")), inst.K - 1)


def _stochastic_ascent(
    inst: Instance,
    indices: object,
    eta: StepSize,
    T: int,
    seed: int | np.random.Generator,
    w0: object | None,
    direction: Callable[[int, np.ndarray, np.random.Generator], np.ndarray],
    update: Callable[[np.ndarray, float, np.ndarray], np.ndarray] | None = None,
) -> AscentResult:
    sample = check_indices("indices", indices, inst.N)
    T = check_int("T", T, 0)
    etas = step_sizes(eta, T)
    rng = make_rng(seed)
    iterates = np.empty((T + 1, inst.d))
    iterates[0] = _start(inst, w0)
    for t in range(T):
        prompt = int(sample[rng.integers(sample.size)])
        g = direction(prompt, iterates[t], rng)
        iterates[t + 1] = iterates[t] + etas[t] * g if update is None else update(iterates[t], float(etas[t]), g)
    return _record(iterates, _EmpiricalGradient(inst, empirical_weights(inst, sample)))


def sga_prompt(
    inst: Instance,
    indices: object,
    eta: StepSize,
    T: int,
    seed: int | np.random.Generator,
    w0: object | None = None,
) -> AscentResult:
    """Stochastic ascent over prompts: ``w_{t+1} = w_t + eta_t grad j(w_t; x_{i_t})``, ``i_t`` uniform on
    the sample (duplicates count).  ``eta``: a constant, a schedule ``t -> eta_t`` (t = 1..T, e.g.
    ``1/(2 L sqrt t)``) or an array of length T.
    """
    return _stochastic_ascent(inst, indices, eta, T, seed, w0, lambda prompt, w, rng: _prompt_gradient(inst, prompt, w))


def sga_reinforce(
    inst: Instance,
    indices: object,
    eta: StepSize,
    T: int,
    seed: int | np.random.Generator,
    w0: object | None = None,
) -> AscentResult:
    """Stochastic ascent along REINFORCE: ``x`` uniform on the sample, ``a ~ pi_{w_t}(.|x)``, step along
    ``(r*(x,a) - beta log(pi_{w_t}(a|x)/pi_ref(a|x))) (phi(x,a) - mu_{w_t}(x))``.
    """

    def direction(prompt: int, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        action = _sample_action(inst, prompt, w, rng)
        return _reinforce(inst.features[prompt], inst.log_pi_ref[prompt], inst.theta, inst.beta, w, action)

    return _stochastic_ascent(inst, indices, eta, T, seed, w0, direction)


def project_onto_ball(w: np.ndarray, radius: float, scale: float = 1.0) -> np.ndarray:
    """The Euclidean projection of ``scale * w`` onto the ball ``||w|| <= radius``: ``w min(scale, radius/||w||)``
    (``scale`` >= 1 lets a caller project a huge point ``scale * w`` without forming it)."""
    norm = float(np.linalg.norm(w))
    return w * scale if norm * scale <= radius else w * (radius / norm)


def _projected_step(w: np.ndarray, eta: float, g: np.ndarray, radius: float) -> np.ndarray:
    """``P_C(w + eta g)`` for C = {||w|| <= radius}, computed as the projection of s (w/s + (eta/s) g) with
    s = max(1, eta), so that a huge step (a step set by a small coverage) does not overflow."""
    s = max(1.0, eta)
    return project_onto_ball(w / s + (eta / s) * g, radius, s)


def sga_reinforce_projected(
    inst: Instance,
    indices: object,
    eta: StepSize,
    T: int,
    seed: int | np.random.Generator,
    w0: object | None = None,
) -> AscentResult:
    """``sga_reinforce`` projected onto C = {||w|| <= S/beta}, S = ||theta*||: ``w_{t+1} = P_C(w_t + eta_t g_t)``.
    C contains w* = theta*/beta, so the projection never moves an iterate away from w*; ``w0`` (default 0) is
    projected too."""
    radius = float(np.linalg.norm(inst.theta)) / inst.beta

    def direction(prompt: int, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        action = _sample_action(inst, prompt, w, rng)
        return _reinforce(inst.features[prompt], inst.log_pi_ref[prompt], inst.theta, inst.beta, w, action)

    start = project_onto_ball(_start(inst, w0), radius)
    return _stochastic_ascent(inst, indices, eta, T, seed, start, direction,
                              lambda w, step, g: _projected_step(w, step, g, radius))  # fmt: skip
