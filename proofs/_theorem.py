"""Theorems of this chain: a :class:`~rlhfsym.chain.Lemma` of kind ``theorem`` with the labels every bound states.

Each theorem says what it bounds (``gap`` = |J(w) - J_S(w)|, ``excess`` = J(w*) - J(w), ``distance`` =
||w - w*||), for which iterate (``optimum``, ``last``, ``best-gradient``), for which algorithm (``erm``, ``ga``,
``sga-prompt``, ``sga-reinforce``) and how it holds (``deterministic``, ``expectation``, ``probability`` at least
1 - delta); its rates in n and T are recomputed by the checker.
"""

from __future__ import annotations

from typing import Any

from rlhfsym.chain import Lemma

BOUNDS = ("gap", "excess", "distance")
ITERATES = ("optimum", "last", "best-gradient")
ALGORITHMS = ("erm", "ga", "sga-prompt", "sga-reinforce")
HOLDS = ("deterministic", "expectation", "probability")


def _one_of(label: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{label} must be one of {allowed}, got {value!r}")
    return value


def theorem(
    *, bounds: str, iterate: str, algorithm: str, holds: str, rate_n: str, rate_T: str | None, **lemma: Any
) -> Lemma:
    """A theorem with its labels; ``rate_T=None`` for an algorithm without iterations (the JSON shows null)."""
    meta = {
        "algorithm": _one_of("algorithm", algorithm, ALGORITHMS),
        "bounds": _one_of("bounds", bounds, BOUNDS),
        "iterate": _one_of("iterate", iterate, ITERATES),
        "holds": _one_of("holds", holds, HOLDS),
        "rate_n": None,
        "rate_T": None,
    }
    rates = {"n": rate_n, **({"T": rate_T} if rate_T is not None else {})}
    return Lemma(kind="theorem", meta=meta, rates=rates, **lemma)
