"""The Python entry points behind the CLI: the chain's registry and its verification.

>>> result = verify(names=["log_le_sub_one"])
>>> result.ok, result.counts()
(True, {'verified': 1, 'failed': 0, 'undecided': 0, 'external': 0})
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from .chain import EXTERNAL, FAILED, UNDECIDED, VERIFIED, LemmaReport, Registry, check_lemmas

__all__ = ["VerifyResult", "chain", "default_jobs", "verify"]


def chain() -> Registry:
    """The registry of the paper's lemma chain, every proof module imported."""
    from .proofs import load_chain

    return load_chain()


def default_jobs() -> int:
    """Worker processes for checking: the CPUs this process may use, at most 4."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(4, available))


@dataclass(frozen=True)
class VerifyResult:
    """The reports of a verification run, in dependency order."""

    reports: tuple[LemmaReport, ...]

    @property
    def ok(self) -> bool:
        """True when every lemma is verified (external facts are taken on trust, never checked)."""
        return all(r.status in (VERIFIED, EXTERNAL) for r in self.reports)

    def counts(self) -> dict[str, int]:
        """How many lemmas are verified, failed, undecided; and how many external facts are taken on trust."""
        return {s: sum(r.status == s for r in self.reports) for s in (VERIFIED, FAILED, UNDECIDED, EXTERNAL)}

    def to_json(self) -> dict:
        return {"lemmas": [r.to_json() for r in self.reports], **self.counts()}


def _select(registry: Registry, names: Iterable[str] | None) -> list:
    ordered = registry.ordered()
    if names is None:
        return ordered
    wanted = set(names)
    unknown = sorted(wanted - {lemma.name for lemma in ordered})
    if unknown:
        from .errors import ParameterError

        raise ParameterError("lemma", f"unknown lemma {', '.join(unknown)}; see `rlhfsym chain`")
    needed: set[str] = set()
    stack = list(wanted)
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(registry.get(name).depends_on)
    return [lemma for lemma in ordered if lemma.name in needed]


def verify(names: Iterable[str] | None = None, jobs: int | None = None) -> VerifyResult:
    """Check every lemma of the chain (or the named ones and what they depend on)."""
    lemmas = _select(chain(), names)
    return VerifyResult(tuple(check_lemmas(lemmas, jobs=default_jobs() if jobs is None else jobs)))
