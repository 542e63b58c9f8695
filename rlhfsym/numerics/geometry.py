"""The geometry of RLHF instances: the array builders behind :func:`rlhfsym.testing.instances` and
:func:`rlhfsym.testing.perturb`, at unit scale (feature norms <= 1, rescaled to the norm bound B by
:func:`at_norm_bound`).

* :func:`ball`, :func:`unit_vector`, :func:`rotation` -- points uniform in a ball, directions, Haar rotations;
* :func:`generic_features` -- prompts with a centre and actions spread around it (no coverage guarantee);
* :func:`covered_features` -- features whose sampled prompts cover every direction of a random basis, with a floor
  on lambda_min(Sigma_S(0)); :func:`squeezed_features` squeezes some directions to a tiny coverage;
* :func:`subspace_features` -- sampled prompts whose actions differ only inside a subspace (gamma = 0);
* :func:`reference_policy`, :func:`sample_indices`, :func:`reference_covariance` and :func:`at_norm_bound`.

Every function draws from the numpy generator it is given, in a fixed order, so a seed fixes the arrays. numpy
only: no hypothesis, no sympy.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "at_norm_bound",
    "ball",
    "covered_features",
    "generic_features",
    "reference_covariance",
    "reference_policy",
    "rotation",
    "sample_indices",
    "squeezed_features",
    "subspace_features",
    "unit_vector",
]


def sample_indices(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` prompt indices drawn with replacement from the (normalised) prompt weights."""
    return rng.choice(weights.size, size=n, replace=True, p=weights).astype(np.int64)


def unit_vector(rng: np.random.Generator, d: int) -> np.ndarray:
    """A direction uniform on the unit sphere of R^d (a Gaussian vector, normalised)."""
    while True:
        v = rng.standard_normal(d)
        norm = float(np.linalg.norm(v))
        if norm > 0:
            return v / norm


def ball(rng: np.random.Generator, shape: tuple[int, ...], d: int, radius: float) -> np.ndarray:
    """Points uniform in the ball of the given radius in R^d, array of shape ``(*shape, d)``."""
    v = rng.standard_normal((*shape, d))
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    v /= np.where(norms > 0, norms, 1.0)
    return v * (radius * rng.random((*shape, 1)) ** (1.0 / d))


def rotation(rng: np.random.Generator, d: int) -> np.ndarray:
    """A Haar-random orthogonal d x d matrix (columns: an orthonormal basis)."""
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


def generic_features(rng: np.random.Generator, N: int, K: int, d: int) -> np.ndarray:
    """Each prompt: a centre in the ball of radius 1/2, actions spread around it within radius 1/2 (norms <= 1)."""
    centres = ball(rng, (N,), d, 0.5)
    spread = rng.uniform(0.1, 1.0, (N, 1, 1))
    return centres[:, None, :] + spread * ball(rng, (N, K), d, 0.5)


def reference_policy(rng: np.random.Generator, N: int, K: int, ref: str, peak: float) -> np.ndarray:
    """Rows of pi_ref: ``"uniform"`` (1/K), ``"random"`` (Dirichlet, entries > 0) or ``"peaked"`` (one action holds
    ``1 - peak``, the others share ``peak``)."""
    if ref == "uniform":
        return np.full((N, K), 1.0 / K)
    if ref == "random":
        rows = np.maximum(rng.dirichlet(np.full(K, np.exp(rng.uniform(np.log(0.2), np.log(5.0)))), size=N), 1e-12)
        return rows / rows.sum(axis=1, keepdims=True)
    top = rng.integers(K, size=N)
    rows = rng.uniform(0.5, 1.0, (N, K))
    rows[np.arange(N), top] = 0.0
    rows *= peak / rows.sum(axis=1, keepdims=True)
    rows[np.arange(N), top] = 1.0 - rows.sum(axis=1)
    return rows


def covered_features(
    rng: np.random.Generator, N: int, K: int, d: int, indices: np.ndarray, pi_ref: np.ndarray, target: float
) -> tuple[np.ndarray, np.ndarray]:
    """Features (norms <= 1) with ``lambda_min(Sigma_S(0)) >= target`` when the returned reference allows.

    A random orthonormal basis q_1..q_d is dealt out to the distinct sampled prompts, heaviest first, each taking
    the min(K - 1, d) least-covered directions: prompt x puts its most likely action b at a centre c_x and action
    a_j at ``c_x +- s_j q_j`` (s_j in [1/4, 1/2]); its other actions and the unsampled prompts are generic.
    Since ``Cov_p = sum_{a<b} p_a p_b (phi_a - phi_b)(phi_a - phi_b)^T``,
    ``Sigma_S(0) >= sum_j (sum_{x covers j} w_x p_{x,b} p_{x,a_j} s_j^2) q_j q_j^T``: its smallest weight is
    a lower bound on gamma / B^2 after rescaling. If it is below target, the sampled rows of pi_ref are mixed with
    the uniform row (the least mixing that reaches it).
    """
    n = indices.size
    prompts, counts = np.unique(indices, return_counts=True)
    basis = rotation(rng, d)
    features = generic_features(rng, N, K, d)
    per_prompt = min(K - 1, d)
    covered = np.zeros(d)
    tie = rng.permutation(d)
    rows, bases, actions, directions, strength = [], [], [], [], []
    for i in np.argsort(-counts, kind="stable"):
        x, share = int(prompts[i]), counts[i] / n
        base = int(np.argmax(pi_ref[x]))
        chosen = rng.permutation(np.delete(np.arange(K), base))[:per_prompt]
        dirs = np.lexsort((tie, covered))[:per_prompt]
        centre = ball(rng, (), d, 0.5)
        features[x, base] = centre
        for a, j in zip(chosen, dirs, strict=True):
            s = rng.uniform(0.25, 0.5)
            features[x, a] = centre + rng.choice((-1.0, 1.0)) * s * basis[:, j]
            rows.append(x), bases.append(base), actions.append(a), directions.append(j), strength.append(share * s * s)
        covered[dirs] += share
    rows_a, bases_a, actions_a, dirs_a = (np.array(v) for v in (rows, bases, actions, directions))
    strength_a = np.array(strength)
    sampled = prompts
    for tau in (0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.3, 1.0):
        mixed = pi_ref.copy()
        mixed[sampled] = (1.0 - tau) * pi_ref[sampled] + tau / K
        pair = strength_a * mixed[rows_a, bases_a] * mixed[rows_a, actions_a]
        if np.bincount(dirs_a, weights=pair, minlength=d).min() >= target:
            break
    if tau > 0:
        mixed /= mixed.sum(axis=1, keepdims=True)
    return features, mixed


def reference_covariance(features: np.ndarray, pi: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(Sigma, Delta)``: the weighted reference covariance and the within-prompt deviations ``phi - mu``."""
    mu = np.einsum("xa,xai->xi", pi, features)
    delta = features - mu[:, None, :]
    sigma = np.einsum("x,xa,xai,xaj->ij", weights, pi, delta, delta)
    return 0.5 * (sigma + sigma.T), delta


def squeezed_features(
    rng: np.random.Generator, features: np.ndarray, pi_ref: np.ndarray, indices: np.ndarray, k: int, target: float
) -> np.ndarray:
    """Squeeze the within-prompt deviations by kappa along the k least covered directions of Sigma_S(0), and
    move every prompt to a centre of norm in [1/2, 1]: ``lambda_min`` becomes ``kappa^2 gamma`` exactly (those
    directions are eigenvectors), and kappa is solved so that ``gamma / B^2`` is about ``target``."""
    N, _, d = features.shape
    weights = np.bincount(indices, minlength=N) / indices.size
    sigma, delta = reference_covariance(features, pi_ref, weights)
    values, vectors = np.linalg.eigh(sigma)
    q = vectors[:, :k]
    along = (delta @ q) @ q.T
    centres = ball(rng, (N,), d, 1.0)
    centres *= (0.5 + 0.5 * rng.random((N, 1))) / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-300)

    def build(kappa: float) -> np.ndarray:
        return centres[:, None, :] + (delta - along) + kappa * along

    kappa = 1.0
    for _ in range(4):
        largest = float(np.max(np.linalg.norm(build(kappa), axis=-1)))
        kappa = min(1.0, math.sqrt(target * largest**2 / max(float(values[0]), 1e-300)))
    return build(kappa)


def subspace_features(
    rng: np.random.Generator, N: int, K: int, d: int, indices: np.ndarray, rank: int, *, aligned: bool
) -> np.ndarray:
    """Generic features, except on the sampled prompts, whose actions differ only inside a subspace V of
    dimension ``rank < d``: then ``range(Sigma_S(0)) <= V`` and gamma = 0.

    ``aligned``: V is spanned by the first ``rank`` coordinate axes and the sampled prompts' features lie in V
    (features confined to a subspace; the other coordinates are exactly 0, so Sigma_S(0) has exact zero rows and
    rank 0 gives Sigma_S(0) = 0 exactly). Otherwise V is random (rank >= 1) and the centres are generic.
    """
    features = generic_features(rng, N, K, d)
    basis = np.eye(d) if aligned else rotation(rng, d)
    v = basis[:, :rank]
    for x in np.unique(indices):
        coefficients = ball(rng, (K,), rank, 0.5) if rank else np.zeros((K, 0))
        centre = v @ ball(rng, (), rank, 0.5) if aligned and rank else np.zeros(d)
        if not aligned:
            centre = ball(rng, (), d, 0.5)
        features[x] = centre + coefficients @ v.T
    return features


def at_norm_bound(features: np.ndarray, B: float) -> np.ndarray | None:
    """Rescale so that the largest feature norm is B (the largest feature is then set to norm B once more, so
    the measured B equals B up to one rounding); None if every feature is 0."""
    norms = np.linalg.norm(features, axis=-1)
    largest = float(norms.max())
    if not largest > 0 or not math.isfinite(largest):
        return None
    scaled = features * (B / largest)
    where = np.unravel_index(int(np.argmax(norms)), norms.shape)
    scaled[where] *= B / float(np.linalg.norm(scaled[where]))
    return scaled
