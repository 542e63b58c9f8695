"""A finite RLHF instance: prompts with weights, action features, a linear true reward and a reference policy.

The true reward is ``r*(x, a) = <theta, phi(x, a)>``; the KL coefficient is ``beta > 0``; the regularised
optimum is ``w* = theta / beta``.  An empirical distribution over a sample of prompt indices is represented
as weights over the N prompts (``counts / n``), so every population quantity has an empirical twin.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations_with_replacement

import numpy as np

from rlhfsym.errors import ParameterError
from rlhfsym.numerics.geometry import unit_vector

__all__ = [
    "Instance",
    "empirical_weights",
    "every_sample",
    "random_instance",
    "sample_prompts",
]

#: Absolute tolerance for "sums to 1" checks on probability vectors.
SUM_TOLERANCE = 1e-9


# ----------------------------------------------------------------------------- validation helpers


def as_float_array(name: str, value: object) -> np.ndarray:
    """Convert ``value`` to a float64 array, or raise ``ParameterError(name, ...)``."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ParameterError(name, "must be an array of real numbers", value) from exc


def check_shape(name: str, array: np.ndarray, expected: tuple[int, ...], label: str) -> None:
    """Raise unless ``array.shape == expected``; ``label`` names the axes, e.g. ``"(N,K)"``."""
    if array.shape != expected:
        raise ParameterError(name, f"shape {label}={expected} expected, got {array.shape}")


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise unless every entry is finite (no NaN, no inf)."""
    if not np.all(np.isfinite(array)):
        raise ParameterError(name, "must be finite (no NaN or inf)")


def check_probability_rows(name: str, array: np.ndarray, *, strictly_positive: bool) -> None:
    """Raise unless every row (last axis) is a probability vector, to ``SUM_TOLERANCE``."""
    if strictly_positive and not np.all(array > 0):
        raise ParameterError(name, "entries must be > 0")
    if not strictly_positive and not np.all(array >= 0):
        raise ParameterError(name, "entries must be >= 0")
    sums = array.sum(axis=-1)
    if not np.all(np.abs(sums - 1.0) <= SUM_TOLERANCE):
        rule = "rows must sum to 1" if array.ndim > 1 else "must sum to 1"
        worst = np.atleast_1d(sums)[int(np.argmax(np.abs(np.atleast_1d(sums) - 1.0)))]
        raise ParameterError(name, rule, float(worst))


def check_positive_scalar(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return ``float(value)`` if it is a finite real number > 0 (>= 0 with ``allow_zero``)."""
    if isinstance(value, bool):
        raise ParameterError(name, "must be a real number", value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ParameterError(name, "must be a real number", value) from exc
    if not np.isfinite(number):
        raise ParameterError(name, "must be finite", value)
    if allow_zero and number < 0:
        raise ParameterError(name, "must be >= 0", value)
    if not allow_zero and number <= 0:
        raise ParameterError(name, "must be > 0", value)
    return number


def check_int(name: str, value: object, minimum: int) -> int:
    """Return ``int(value)`` if it is an integer (not a bool) >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ParameterError(name, "must be an integer", value)
    if value < minimum:
        raise ParameterError(name, f"must be >= {minimum}", value)
    return int(value)


def check_indices(name: str, indices: object, upper: int) -> np.ndarray:
    """Return ``indices`` as a non-empty 1-D int64 array with entries in ``[0, upper)``."""
    array = np.asarray(indices)
    if array.ndim != 1 or array.size == 0:
        raise ParameterError(name, "must be a non-empty 1-D array of indices", indices)
    if array.dtype.kind not in "iu":
        raise ParameterError(name, "must contain integers", indices)
    if array.min() < 0 or array.max() >= upper:
        raise ParameterError(name, f"entries must lie in [0, {upper})", indices)
    return array.astype(np.int64, copy=False)


def make_rng(seed: int | np.random.Generator) -> np.random.Generator:
    """``np.random.default_rng(seed)`` for an int seed >= 0; a Generator is used as given."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_int("seed", seed, 0))


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


# ----------------------------------------------------------------------------- the instance


@dataclass(frozen=True, eq=False)
class Instance:
    """Features ``phi`` (N,K,d), prompt weights (N,), true-reward parameter ``theta`` (d,),
    reference policy ``pi_ref`` (N,K) and KL coefficient ``beta > 0``.

    Arrays are copied to read-only float64; every broken rule raises ``ParameterError``.
    """

    features: np.ndarray
    weights: np.ndarray
    theta: np.ndarray
    pi_ref: np.ndarray
    beta: float
    log_pi_ref: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        features = _validated_features(self.features)
        N, K, d = features.shape
        weights = as_float_array("weights", self.weights)
        check_shape("weights", weights, (N,), "(N,)")
        check_finite("weights", weights)
        check_probability_rows("weights", weights, strictly_positive=False)
        theta = as_float_array("theta", self.theta)
        check_shape("theta", theta, (d,), "(d,)")
        check_finite("theta", theta)
        pi_ref = as_float_array("pi_ref", self.pi_ref)
        check_shape("pi_ref", pi_ref, (N, K), "(N,K)")
        check_finite("pi_ref", pi_ref)
        check_probability_rows("pi_ref", pi_ref, strictly_positive=True)
        beta = check_positive_scalar("beta", self.beta)
        object.__setattr__(self, "features", _read_only(features))
        object.__setattr__(self, "weights", _read_only(weights))
        object.__setattr__(self, "theta", _read_only(theta))
        object.__setattr__(self, "pi_ref", _read_only(pi_ref))
        object.__setattr__(self, "beta", beta)
        object.__setattr__(self, "log_pi_ref", _read_only(np.log(pi_ref)))

    @property
    def N(self) -> int:
        """Number of prompts."""
        return int(self.features.shape[0])

    @property
    def K(self) -> int:
        """Number of actions per prompt."""
        return int(self.features.shape[1])

    @property
    def d(self) -> int:
        """Feature dimension."""
        return int(self.features.shape[2])

    @property
    def w_star(self) -> np.ndarray:
        """The regularised optimum ``w* = theta / beta`` (maximises j(.; x) for every prompt x)."""
        return self.theta / self.beta


def _validated_features(value: object) -> np.ndarray:
    features = as_float_array("features", value)
    if features.ndim != 3:
        raise ParameterError("features", f"must have 3 axes (N,K,d), got shape {features.shape}")
    N, K, d = features.shape
    if N < 1 or K < 2 or d < 1:
        raise ParameterError("features", f"need N >= 1, K >= 2, d >= 1, got (N,K,d)={features.shape}")
    check_finite("features", features)
    return features


# ----------------------------------------------------------------------------- random instances and samples


def random_instance(
    seed: int | np.random.Generator,
    *,
    N: int = 20,
    K: int = 4,
    d: int = 3,
    beta: float = 1.0,
    B: float = 1.0,
    S: float = 1.0,
    ref_concentration: float | None = None,
) -> Instance:
    """A random instance: features uniform in the ball ``||phi|| <= B``, ``||theta|| = S``,
    prompt weights ~ Dirichlet(1, ..., 1).

    ``pi_ref`` is uniform (1/K) when ``ref_concentration`` is None, otherwise each row is drawn from
    Dirichlet(c, ..., c), floored at 1e-12 and renormalised so that every entry stays > 0.
    The feature with the largest norm is rescaled to norm exactly B, so the measured B equals ``B``.
    """
    N = check_int("N", N, 1)
    K = check_int("K", K, 2)
    d = check_int("d", d, 1)
    B = check_positive_scalar("B", B)
    S = check_positive_scalar("S", S, allow_zero=True)
    rng = make_rng(seed)
    features = _uniform_ball(rng, (N, K), d, B)
    theta = unit_vector(rng, d) * S
    weights = rng.dirichlet(np.ones(N))
    pi_ref = _reference_policy(rng, N, K, ref_concentration)
    return Instance(features=features, weights=weights, theta=theta, pi_ref=pi_ref, beta=beta)


def _uniform_ball(rng: np.random.Generator, shape: tuple[int, int], d: int, B: float) -> np.ndarray:
    directions = rng.standard_normal((*shape, d))
    norms = np.linalg.norm(directions, axis=-1, keepdims=True)
    directions /= np.where(norms > 0, norms, 1.0)
    radii = B * rng.random((*shape, 1)) ** (1.0 / d)
    points = directions * radii
    flat = points.reshape(-1, d)
    largest = int(np.argmax(np.linalg.norm(flat, axis=1)))
    flat[largest] = directions.reshape(-1, d)[largest] * B
    return points


def _reference_policy(rng: np.random.Generator, N: int, K: int, concentration: float | None) -> np.ndarray:
    if concentration is None:
        return np.full((N, K), 1.0 / K)
    c = check_positive_scalar("ref_concentration", concentration)
    rows = np.maximum(rng.dirichlet(np.full(K, c), size=N), 1e-12)
    return rows / rows.sum(axis=1, keepdims=True)


def sample_prompts(instance: Instance, n: int, seed: int | np.random.Generator) -> np.ndarray:
    """``n`` prompt indices drawn i.i.d. (with replacement) from the prompt weights."""
    n = check_int("n", n, 1)
    rng = make_rng(seed)
    p = np.asarray(instance.weights) / instance.weights.sum()
    return rng.choice(instance.N, size=n, replace=True, p=p).astype(np.int64)


def empirical_weights(instance: Instance, indices: object) -> np.ndarray:
    """Empirical prompt weights of a sample: ``bincount(indices, minlength=N) / n``."""
    array = check_indices("indices", indices, instance.N)
    return np.bincount(array, minlength=instance.N).astype(np.float64) / array.size


def every_sample(inst: Instance, n: int) -> Iterator[tuple[np.ndarray, float]]:
    """Every multiset of n prompts (sorted indices) with its probability under i.i.d. draws from the prompt
    weights; there are C(N + n - 1, n) of them."""
    p = inst.weights / inst.weights.sum()
    for combo in combinations_with_replacement(range(inst.N), n):
        counts = np.bincount(combo, minlength=inst.N)
        ways = math.factorial(n) / math.prod(math.factorial(int(c)) for c in counts)
        yield np.array(combo, dtype=np.int64), ways * float(np.prod(p**counts))
