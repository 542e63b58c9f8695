"""An RLHF instance read from an ``.npz`` file (``numpy.savez``): a paper's instance, reproduced.

The file holds named arrays (``N`` prompts, ``K`` actions, feature dimension ``d``); any other name is refused:

=============  ===========  ==========================================================================
name           shape        rule
=============  ===========  ==========================================================================
``features``   (N, K, d)    phi(x, a, :), real and finite; N >= 1, K >= 2, d >= 1
``theta``      (d,)         theta*, the true reward r*(x, a) = <theta*, phi(x, a)>; real and finite
``pi_ref``     (N, K)       the reference policy: entries > 0, every row sums to 1 (to 1e-9)
``weights``    (N,)         the prompt distribution D: entries >= 0, summing to 1 (to 1e-9)
``indices``    (n,)         optional, the training sample: integers in [0, N), prompts of weight > 0
``beta``       ()           optional, the KL coefficient: real, finite, > 0
=============  ===========  ==========================================================================

Arrays are read with ``numpy.load(..., allow_pickle=False)`` (an array of Python objects is refused, never
unpickled), and every array's shape and type is checked from its header before its data are read, so that sizes
above the caller's ``limits`` are refused without allocating them. Every broken rule raises
:class:`~rlhfsym.errors.ParameterError` naming the array (``parameter`` is the array's name, ``"file"`` for the
file itself) and the rule.

>>> import io, numpy as np
>>> buffer = io.BytesIO()
>>> np.savez(buffer, features=np.array([[[1.0], [-1.0]]]), theta=np.array([0.5]), pi_ref=np.array([[0.5, 0.5]]),
...          weights=np.array([1.0]))
>>> read_instance(io.BytesIO(buffer.getvalue())).instance.features.shape
(1, 2, 1)
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

import numpy as np

from rlhfsym.errors import ParameterError
from rlhfsym.numerics.instance import SUM_TOLERANCE, Instance

__all__ = ["ARRAYS", "OPTIONAL", "REQUIRED", "InstanceFile", "read_instance"]

#: The arrays an instance file must hold, and those it may hold.
REQUIRED = ("features", "theta", "pi_ref", "weights")
OPTIONAL = ("indices", "beta")
ARRAYS = REQUIRED + OPTIONAL
_LISTED = f"{', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
#: The axes of each array, by name (the sizes are those of ``features``; ``n`` is the sample's).
_AXES = {"features": ("N", "K", "d"), "theta": ("d",), "pi_ref": ("N", "K"), "weights": ("N",), "indices": ("n",),
         "beta": ()}  # fmt: skip


@dataclass(frozen=True)
class InstanceFile:
    """What an instance file holds: the :class:`~rlhfsym.numerics.Instance` (its beta is the file's, else the one
    given) and the training sample (None when the file has no ``indices``)."""

    instance: Instance
    indices: np.ndarray | None


def _fail(array: str, rule: str) -> ParameterError:
    return ParameterError(array, rule)


def _headers(archive: zipfile.ZipFile) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """``{name: (shape, dtype)}`` of every array, read from the .npy headers (no data read)."""
    headers: dict[str, tuple[tuple[int, ...], np.dtype]] = {}
    for member in archive.namelist():
        name = member[:-4] if member.endswith(".npy") else member
        if name not in ARRAYS:
            raise _fail(name, f"unknown array; an instance file holds {_LISTED}")
        if name in headers:
            raise _fail(name, "is in the file twice")
        with archive.open(member) as stream:
            try:
                version = np.lib.format.read_magic(stream)
                read = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
                if version not in read:
                    raise ValueError(f"unsupported .npy format version {version}")
                shape, _, dtype = read[version](stream)
            except ValueError as err:
                raise _fail(name, f"is not a valid .npy array ({' '.join(str(err).split())})") from None
        headers[name] = (tuple(int(s) for s in shape), dtype)
    return headers


def _check_type(name: str, dtype: np.dtype) -> None:
    if dtype.hasobject:
        raise _fail(name, "holds Python objects; only numeric arrays are read (pickles are refused)")
    integer = dtype.kind in "iu"
    if name == "indices" and not integer:
        raise _fail(name, f"must hold integers (prompt indices), not {dtype}")
    if not integer and dtype.kind != "f":
        raise _fail(name, f"must hold real numbers (floats or integers), not {dtype}")


def _sizes(headers: Mapping[str, tuple[tuple[int, ...], np.dtype]]) -> dict[str, int]:
    """N, K, d (from ``features``) and n (from ``indices``), each array's shape checked against its axes."""
    shape = headers["features"][0]
    if len(shape) != 3:
        raise _fail("features", f"must have shape (N, K, d), got {shape}")
    sizes = dict(zip(("N", "K", "d"), shape, strict=True))
    if sizes["N"] < 1 or sizes["K"] < 2 or sizes["d"] < 1:
        raise _fail("features", f"needs N >= 1, K >= 2, d >= 1, got (N, K, d) = {shape}")
    if "indices" in headers:
        got = headers["indices"][0]
        if len(got) != 1 or got[0] < 1:
            raise _fail("indices", f"must have shape (n,) with n >= 1 (the training sample), got {got}")
        sizes["n"] = got[0]
    for name, (got, _) in headers.items():
        expected = tuple(sizes[axis] for axis in _AXES[name])
        if got != expected:
            label = "(" + ", ".join(_AXES[name]) + ("," if len(_AXES[name]) == 1 else "") + ")"
            raise _fail(name, f"must have shape {label} = {expected}, got {got}")
    return sizes


def _check_limits(sizes: Mapping[str, int], limits: Mapping[str, int], max_entries: int | None) -> None:
    """Every size within its limit, and N*K*d (the features) and N*d*d (the per-prompt covariances) within
    ``max_entries``, before any array is read."""
    for axis, limit in limits.items():
        if axis in sizes and sizes[axis] > limit:
            array = "indices" if axis == "n" else "features"
            raise _fail(array, f"{axis} = {sizes[axis]} is above the limit {limit}")
    if max_entries is not None:
        N, K, d = sizes["N"], sizes["K"], sizes["d"]
        for what, entries in ((f"N*K*d = {N}*{K}*{d}", N * K * d), (f"N*d*d = {N}*{d}*{d}", N * d * d)):
            if entries > max_entries:
                raise _fail("features", f"{what} = {entries} entries, above the limit of {max_entries}")


def _check_values(arrays: Mapping[str, np.ndarray]) -> None:
    """Finiteness, the probability rules of pi_ref and weights, the sample's range and the sign of beta."""
    for name, array in arrays.items():
        if name != "indices" and not np.all(np.isfinite(array)):
            raise _fail(name, "must be finite (no NaN or inf)")
    pi_ref, weights = arrays["pi_ref"], arrays["weights"]
    if not np.all(pi_ref > 0):
        x, a = (int(i) for i in np.argwhere(~(pi_ref > 0))[0])
        raise _fail("pi_ref", f"entries must be > 0 (pi_ref[{x}, {a}] = {pi_ref[x, a]:.6g})")
    sums = pi_ref.sum(axis=1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > SUM_TOLERANCE:
        row = f"row {worst} sums to {float(sums[worst])!r}"
        raise _fail("pi_ref", f"every row must sum to 1 (to {SUM_TOLERANCE:g}); {row}")
    if not np.all(weights >= 0):
        x = int(np.argmax(weights < 0))
        raise _fail("weights", f"entries must be >= 0 (weights[{x}] = {weights[x]:.6g})")
    if abs(weights.sum() - 1.0) > SUM_TOLERANCE:
        raise _fail("weights", f"must sum to 1 (to {SUM_TOLERANCE:g}); they sum to {float(weights.sum())!r}")
    if "indices" in arrays:
        indices, N = arrays["indices"], pi_ref.shape[0]
        outside = (indices < 0) | (indices >= N)
        if np.any(outside):
            raise _fail("indices", f"entries must lie in [0, N) = [0, {N}), got {int(indices[outside][0])}")
        unweighted = indices[weights[indices] == 0]
        if unweighted.size:
            raise _fail("indices", f"prompt {int(unweighted[0])} has weight 0, so no training sample holds it")
    if "beta" in arrays and not arrays["beta"] > 0:
        raise _fail("beta", f"must be > 0, got {float(arrays['beta'])!r}")


def read_instance(
    source: str | IO[bytes],
    *,
    beta: float | None = None,
    limits: Mapping[str, int] | None = None,
    max_entries: int | None = None,
) -> InstanceFile:
    """The instance and training sample an ``.npz`` file holds (its arrays and rules: the module's docstring).

    ``beta`` is the KL coefficient when the file has none (default 1; giving it when the file has one is refused);
    ``limits`` caps the sizes ``N``, ``K``, ``d``, ``n`` and ``max_entries`` the entries of N*K*d and N*d*d, both
    checked from the headers before any data is read. Raises :class:`~rlhfsym.errors.ParameterError` naming the
    array (or ``file``) and the rule.
    """
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise _fail("file", "is not an .npz archive of named arrays (numpy.savez writes one)") from None
    with archive:
        headers = _headers(archive)
        for name in REQUIRED:
            if name not in headers:
                raise _fail(name, f"is missing; an instance file holds {_LISTED}")
        for name, (_, dtype) in headers.items():
            _check_type(name, dtype)
        sizes = _sizes(headers)
        _check_limits(sizes, limits or {}, max_entries)
        if "beta" in headers and beta is not None:
            raise _fail("beta", "is in the file; do not give beta too")
        arrays = _load(archive)
    _check_values(arrays)
    indices = arrays.get("indices")
    kl = float(arrays["beta"]) if "beta" in arrays else (1.0 if beta is None else beta)
    inst = Instance(arrays["features"], arrays["weights"], arrays["theta"], arrays["pi_ref"], kl)
    return InstanceFile(inst, None if indices is None else indices.astype(np.int64))


def _load(archive: zipfile.ZipFile) -> dict[str, np.ndarray]:
    """Every array's data (pickles refused), as float64 (int64 for ``indices``)."""
    out: dict[str, np.ndarray] = {}
    for member in archive.namelist():
        name = member[:-4] if member.endswith(".npy") else member
        with archive.open(member) as stream:
            try:
                array = np.lib.format.read_array(stream, allow_pickle=False)
            except (ValueError, OSError) as err:
                raise _fail(name, f"cannot be read ({' '.join(str(err).split())})") from None
        if name == "indices":
            if array.dtype.kind == "u" and array.size and int(array.max()) > 2**62:
                raise _fail(name, f"entries must lie in [0, N), got {int(array.max())}")
            out[name] = array.astype(np.int64)
        else:
            out[name] = array.astype(np.float64)
    return out
