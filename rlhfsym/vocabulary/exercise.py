"""How a theorem is exercised: its search plan, its negative control, the instance ``rlhfsym simulate`` draws for
it, and an assumption its runs are checked against.

* :class:`Plan` -- the families of instances a search draws (:mod:`rlhfsym.vocabulary.families`), the steps, the
  seeds averaged, the perturbed copies, the examples of the ci profile, a relative cost, the pinned instances;
* :class:`Control` -- ONE assumption broken on purpose, so that the search must find a violation: a claimed value
  in place of a measured one (:func:`duplicated`, :func:`shrunk`, :func:`claimed_coverage`), the conditions left
  uncertified, a factor on the steps taken or on the step chosen (:func:`rho_zero`);
* :class:`Shape` -- the default instance of ``rlhfsym simulate``;
* :class:`Ball` -- an assumption a theorem rests on that its bound cannot check, checked on every run instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .families import Family, Pinned

__all__ = [
    "DEFAULT_N",
    "Ball",
    "Control",
    "Plan",
    "Shape",
    "claimed_coverage",
    "duplicated",
    "rho_zero",
    "shrunk",
]

#: A value set per instance and training sample: a constant, or a function of them (negative controls).
PerSample = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Plan:
    """How a theorem is searched (:func:`rlhfsym.search.search`): the ``families`` drawn, the range ``T`` of steps,
    ``runs`` seeds averaged for an expectation over the algorithm, ``perturbations`` perturbed copies checked per
    drawn instance, ``examples`` drawn in the ci profile, a relative ``cost`` per example (the tightness report
    divides its budget by it), and the ``pinned`` instances every search checks first."""

    families: tuple[Family, ...]
    T: tuple[int, int] = (1, 30)
    runs: int = 1
    perturbations: int = 2
    examples: int = 100
    cost: float = 1.0
    pinned: tuple[Pinned, ...] = ()


@dataclass(frozen=True)
class Control:
    """A negative control: the theorem's search with ONE assumption (``broken``, in words) broken must find a
    violation. ``claimed`` values replace measured ones in the bound, ``conditions=False`` leaves the theorem's
    conditions uncertified, ``step_factor`` multiplies the steps taken, ``eta_factor`` sets the chosen step
    (times 1/(beta B^2)); ``families`` replaces the plan's."""

    broken: str
    claimed: Mapping[str, object] | PerSample | None = None
    conditions: bool = True
    step_factor: float = 1.0
    eta_factor: float | PerSample | None = None
    families: tuple[Family, ...] | None = None

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`rlhfsym.search.search` that break the assumption."""
        broken: dict[str, Any] = {
            "claimed": self.claimed, "conditions": self.conditions, "step_factor": self.step_factor,
            "eta_factor": self.eta_factor,
        }  # fmt: skip
        if self.families is not None:
            broken["families"] = self.families
        return broken


def duplicated(copies: int) -> PerSample:
    """Claim n = copies x the sample size: the sample is each prompt repeated, not i.i.d. draws (Hoeffding's n)."""
    return lambda inst, indices: {"n": copies * len(indices)}


def shrunk(name: str, factor: float) -> PerSample:
    """Claim a norm bound ``factor`` times the measured one (B for the features, S for theta*)."""

    def claim(inst: Any, indices: Any) -> dict:
        from ..numerics import measure_parameters

        return {name: repr(factor * measure_parameters(inst, indices)[name])}

    return claim


def claimed_coverage(fraction: float) -> PerSample:
    """Claim gamma = fraction B^2, whatever the samples cover."""

    def claim(inst: Any, indices: Any) -> dict:
        from ..numerics import measure_parameters

        return {"gamma": repr(fraction * measure_parameters(inst, indices)["B"] ** 2)}

    return claim


def rho_zero(inst: Any, indices: Any) -> float:
    """The step factor (of 1/(beta B^2)) that makes the formula's rho exactly 0: eta = e^{4BS/beta}/(beta gamma),
    above 1/(beta B^2) whenever gamma < B^2 or S > 0."""
    from ..numerics import measure_parameters

    m = measure_parameters(inst, indices)
    return m["B"] ** 2 * math.exp(4 * m["B"] * m["S"] / m["beta"]) / m["gamma"]


#: The number of prompts ``rlhfsym simulate`` draws unless told otherwise.
DEFAULT_N = 30


@dataclass(frozen=True)
class Shape:
    """The instance ``rlhfsym simulate`` draws for a theorem unless told otherwise: ``n`` training prompts, feature
    dimension ``d`` (or, when ``uncovered``, d = 2n(K - 1) + 2, so that the sample cannot cover), and ``N``
    prompts in place of the default :data:`DEFAULT_N` (None: keep it)."""

    n: int = 20
    d: int = 3
    N: int | None = None
    uncovered: bool = False

    def resolve(self, *, n: int | None, N: int, K: int, d: int | None) -> dict[str, int]:
        """The N, K, d, n of a simulation given the flags (None: not given; ``N`` not given is DEFAULT_N)."""
        n = n if n is not None else self.n
        d = d if d is not None else (2 * n * (K - 1) + 2 if self.uncovered else self.d)
        N = self.N if self.N is not None and N == DEFAULT_N else N
        return {"N": N, "K": K, "d": d, "n": n}


@dataclass(frozen=True)
class Ball:
    """An asserted condition on the runs that no parameter can certify: the iterates stay in
    ||w_t - w*|| <= radius S/beta (``condition``: the name of the theorem's asserted hypothesis that says so).
    Simulations assume it by name and check it on every run; an instance on which a run leaves the ball breaks the
    condition: it is counted, not checked against the bound."""

    radius: int
    condition: str
    text: str = field(default="")

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", f"||w_t - w*|| <= {self.radius}S/beta")
