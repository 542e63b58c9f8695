"""The Boltzmann policy of a linear score and the quantities built on it.

``pi_w(a|x) = pi_ref(a|x) exp(<w, phi(x,a)>) / Z_w(x)``;
``j(w; x) = E_{pi_w}[r*] - beta KL(pi_w || pi_ref)``;
``grad_w j(w; x) = Sigma_w(x) (theta - beta w)`` with ``Sigma_w(x) = Cov_{pi_w}[phi]``.

``weights=None`` means the population prompt weights; pass ``empirical_weights(...)`` for the empirical
versions (J_S, Sigma_S).  ``prompts=None`` means all N prompts; an index array restricts per-prompt outputs.
"""

from __future__ import annotations

import numpy as np

from rlhfsym.errors import ParameterError
from rlhfsym.numerics.instance import (
    Instance,
    as_float_array,
    check_finite,
    check_indices,
    check_int,
    check_probability_rows,
    check_shape,
)

__all__ = [
    "covariance",
    "covariances",
    "coverage",
    "gradient",
    "kl",
    "log_partition",
    "log_policy",
    "mean_features",
    "objective",
    "per_prompt_gradient",
    "per_prompt_objective",
    "policy",
    "reinforce_estimate",
    "weighted_gradient",
]

#: Bytes of features handled per block by ``weighted_gradient`` (a few MiB: the block stays in cache
#: between the two passes, so main memory is streamed about once).
BLOCK_BYTES = 4 * 2**20


# ----------------------------------------------------------------------------- argument handling


def check_parameter(inst: Instance, w: object, name: str = "w") -> np.ndarray:
    """Return ``w`` as a finite float64 vector of shape (d,), or raise ``ParameterError(name, ...)``."""
    vector = as_float_array(name, w)
    check_shape(name, vector, (inst.d,), "(d,)")
    check_finite(name, vector)
    return vector


def resolve_weights(inst: Instance, weights: object | None) -> np.ndarray:
    """The population weights for None, else ``weights`` checked to be a probability vector of shape (N,)."""
    if weights is None:
        return inst.weights
    array = as_float_array("weights", weights)
    check_shape("weights", array, (inst.N,), "(N,)")
    check_finite("weights", array)
    check_probability_rows("weights", array, strictly_positive=False)
    return array


def restrict(inst: Instance, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(features, log_pi_ref, weights)`` restricted to prompts of nonzero weight (no copy if all are)."""
    support = np.flatnonzero(weights)
    if support.size == inst.N:
        return inst.features, inst.log_pi_ref, weights
    return inst.features[support], inst.log_pi_ref[support], weights[support]


def _select(inst: Instance, prompts: object | None) -> tuple[np.ndarray, np.ndarray]:
    if prompts is None:
        return inst.features, inst.log_pi_ref
    index = check_indices("prompts", prompts, inst.N)
    return inst.features[index], inst.log_pi_ref[index]


# ----------------------------------------------------------------------------- array kernels (no validation)


def _scores(features: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``<w, phi(x,a)>`` as an (M,K) array, by one matvec on the (M*K, d) view."""
    M, K, d = features.shape
    return (features.reshape(M * K, d) @ w).reshape(M, K)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``logits - logsumexp(logits)``, stable (the row maximum is subtracted first)."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _logsumexp(logits: np.ndarray) -> np.ndarray:
    top = logits.max(axis=-1)
    return top + np.log(np.exp(logits - top[..., None]).sum(axis=-1))


def _log_policy(features: np.ndarray, log_ref: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _log_softmax(_scores(features, w) + log_ref)


def _expect(probabilities: np.ndarray, features: np.ndarray) -> np.ndarray:
    """``sum_a p(a|x) phi(x,a)`` per prompt: (M,K) x (M,K,d) -> (M,d) by a batched matmul."""
    return (probabilities[:, None, :] @ features)[:, 0, :]


def weighted_gradient(
    features: np.ndarray,
    log_ref: np.ndarray,
    weights: np.ndarray,
    theta: np.ndarray,
    beta: float,
    w: np.ndarray,
) -> np.ndarray:
    """``sum_x weights_x Sigma_w(x) (theta - beta w)``, the gradient of a weighted objective, without Sigma.

    Low-level array kernel: ``features`` (N,K,d) float64 C-contiguous, ``log_ref`` (N,K), ``weights`` (N,),
    ``theta`` and ``w`` (d,).  Nothing is validated here.  With ``v = theta - beta w`` and ``c = <v, phi>``,
    ``grad = sum_{x,a} weights_x pi_w(a|x) (c_xa - E_{pi_w}[c](x)) phi(x,a)``: pass 1 computes the scores
    ``<w, phi>`` and ``c`` (two matvecs), pass 2 one transposed matvec with the coefficients.  Both passes run
    block by block over prompts (``BLOCK_BYTES`` of features each), so the second pass reads from cache;
    temporaries are O(N K), never O(N K d).
    """
    N, K, d = features.shape
    v = theta - beta * w
    grad = np.zeros(d)
    per_block = max(1, BLOCK_BYTES // (K * d * 8))
    for start in range(0, N, per_block):
        stop = min(N, start + per_block)
        grad += _block_gradient(features[start:stop], log_ref[start:stop], weights[start:stop], w, v)
    return grad


def _block_gradient(
    features: np.ndarray, log_ref: np.ndarray, weights: np.ndarray, w: np.ndarray, v: np.ndarray
) -> np.ndarray:
    P, K, d = features.shape
    flat = features.reshape(P * K, d)
    logits = (flat @ w).reshape(P, K)
    logits += log_ref
    c = (flat @ v).reshape(P, K)
    logits -= logits.max(axis=1, keepdims=True)
    pi = np.exp(logits, out=logits)
    pi /= pi.sum(axis=1, keepdims=True)
    cbar = np.einsum("pk,pk->p", pi, c)
    c -= cbar[:, None]
    c *= pi
    c *= weights[:, None]
    return c.reshape(P * K) @ flat


def _per_prompt_alpha(
    features: np.ndarray, log_ref: np.ndarray, theta: np.ndarray, beta: float, w: np.ndarray
) -> np.ndarray:
    """``pi_w(a|x) (c_xa - cbar_x)`` with ``c = <theta - beta w, phi>``: per-prompt gradient coefficients."""
    pi = np.exp(_log_policy(features, log_ref, w))
    c = _scores(features, theta - beta * w)
    return pi * (c - (pi * c).sum(axis=1, keepdims=True))


def _reinforce(
    features_x: np.ndarray, log_ref_x: np.ndarray, theta: np.ndarray, beta: float, w: np.ndarray, action: int
) -> np.ndarray:
    """``(r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))`` for one prompt's features."""
    log_pi = _log_softmax(features_x @ w + log_ref_x)
    mu = np.exp(log_pi) @ features_x
    phi = features_x[action]
    return (phi @ theta - beta * (log_pi[action] - log_ref_x[action])) * (phi - mu)


# ----------------------------------------------------------------------------- public API


def log_policy(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``log pi_w(a|x)`` as an (N,K) array (stable log-softmax of ``log pi_ref + <w, phi>``)."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    return _log_policy(features, log_ref, w)


def policy(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``pi_w(a|x)`` as an (N,K) array; rows sum to 1; ``w = 0`` gives ``pi_ref``."""
    return np.exp(log_policy(inst, w, prompts))


def log_partition(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``A_x(w) = log sum_a pi_ref(a|x) exp(<w, phi(x,a)>)`` per prompt (stable logsumexp), shape (N,)."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    return _logsumexp(_scores(features, w) + log_ref)


def mean_features(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``mu_w(x) = E_{pi_w(.|x)}[phi(x,.)]``, shape (N,d)."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    return _expect(np.exp(_log_policy(features, log_ref, w)), features)


def covariances(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``Sigma_w(x) = Cov_{pi_w(.|x)}[phi(x,.)]`` per prompt, shape (N,d,d), symmetric PSD."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    pi = np.exp(_log_policy(features, log_ref, w))
    centred = features - _expect(pi, features)[:, None, :]
    sigma = np.swapaxes(centred * pi[:, :, None], 1, 2) @ centred
    return 0.5 * (sigma + np.swapaxes(sigma, 1, 2))


def covariance(inst: Instance, w: object, weights: object | None = None) -> np.ndarray:
    """``Sigma(w) = sum_x weights_x Sigma_w(x)``, shape (d,d): Sigma_D, or Sigma_S under empirical weights."""
    weights = resolve_weights(inst, weights)
    support = np.flatnonzero(weights)
    return np.einsum("n,nij->ij", weights[support], covariances(inst, w, support))


def per_prompt_objective(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``j(w; x) = E_{pi_w}[r*(x,.)] - beta KL(pi_w(.|x) || pi_ref(.|x))`` per prompt, shape (N,)."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    log_pi = _log_policy(features, log_ref, w)
    reward = _scores(features, inst.theta)
    return (np.exp(log_pi) * (reward - inst.beta * (log_pi - log_ref))).sum(axis=1)


def objective(inst: Instance, w: object, weights: object | None = None) -> float:
    """``J(w) = sum_x weights_x j(w; x)`` (the population J, or J_S under empirical weights)."""
    weights = resolve_weights(inst, weights)
    support = np.flatnonzero(weights)
    return float(weights[support] @ per_prompt_objective(inst, w, support))


def gradient(inst: Instance, w: object, weights: object | None = None) -> np.ndarray:
    """``grad J(w) = sum_x weights_x Sigma_w(x) (theta - beta w)``, shape (d,), by ``weighted_gradient``."""
    w = check_parameter(inst, w)
    features, log_ref, weights = restrict(inst, resolve_weights(inst, weights))
    return weighted_gradient(features, log_ref, weights, inst.theta, inst.beta, w)


def per_prompt_gradient(inst: Instance, w: object, prompts: object | None = None) -> np.ndarray:
    """``grad_w j(w; x) = Sigma_w(x) (theta - beta w)`` per prompt, shape (N,d)."""
    w = check_parameter(inst, w)
    features, log_ref = _select(inst, prompts)
    return _expect(_per_prompt_alpha(features, log_ref, inst.theta, inst.beta, w), features)


def kl(inst: Instance, w: object, v: object, prompts: object | None = None) -> np.ndarray:
    """``KL(pi_w(.|x) || pi_v(.|x))`` per prompt from log-probabilities, shape (N,); clipped at 0 against
    round-off."""
    w = check_parameter(inst, w, "w")
    v = check_parameter(inst, v, "v")
    features, log_ref = _select(inst, prompts)
    log_w = _log_policy(features, log_ref, w)
    log_v = _log_policy(features, log_ref, v)
    return np.maximum((np.exp(log_w) * (log_w - log_v)).sum(axis=1), 0.0)


def coverage(inst: Instance, weights: object | None = None) -> float:
    """``gamma = lambda_min(Sigma(0))``, ``Sigma(0) = sum_x weights_x Cov_{pi_ref}[phi]`` (symmetrised)."""
    sigma = covariance(inst, np.zeros(inst.d), weights)
    return float(np.linalg.eigvalsh(0.5 * (sigma + sigma.T))[0])


def reinforce_estimate(inst: Instance, w: object, prompt: int, action: int) -> np.ndarray:
    """``(r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))``, shape (d,).

    With ``a ~ pi_w(.|x)`` it is an unbiased estimate of ``grad j(w; x)``.
    """
    w = check_parameter(inst, w)
    prompt = check_int("prompt", prompt, 0)
    action = check_int("action", action, 0)
    if prompt >= inst.N:
        raise ParameterError("prompt", f"must be < N={inst.N}", prompt)
    if action >= inst.K:
        raise ParameterError("action", f"must be < K={inst.K}", action)
    return _reinforce(inst.features[prompt], inst.log_pi_ref[prompt], inst.theta, inst.beta, w, action)
