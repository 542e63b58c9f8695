"""The algorithms a theorem is about: empirical risk maximisation, gradient ascent, and stochastic gradient ascent
over prompts or along REINFORCE.

An :class:`Algorithm` runs itself in numpy (:mod:`rlhfsym.numerics`) on an instance and a training sample, says
which iterates its run produces, which constant of a theorem states its step size when the theorem fixes one (a
paper form's ``eta = 1/L`` or ``eta_t = 1/(2L sqrt t)``), whether that step is a schedule in t, and whether a run
draws random numbers (then a simulation averages seeds). A new algorithm is one more module declaring one more
:class:`Algorithm`; the theorem that uses it imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .iterates import BEST_GRADIENT, LAST, MIN_NORM_OPTIMUM, OPTIMUM, Iterate
from .registry import Vocabulary

__all__ = [
    "ALGORITHMS", "ERM", "GA", "SGA_PROMPT", "SGA_REINFORCE", "SGA_REINFORCE_PROJ", "Algorithm", "EmpiricalOptima",
]  # fmt: skip

#: ``(instance, training sample, step, T, seed) -> run``: the step is a constant or a schedule ``t -> eta_t``.
Run = Callable[[Any, Any, Any, int, int], Any]


def _draws_nothing(inst: Any, indices: Any) -> bool:
    return True


@dataclass(frozen=True)
class Algorithm:
    """An algorithm a theorem is about: ``run(inst, indices, step, T, seed)`` in numpy, the ``iterates`` a run
    produces, ``step_constant`` (the constant a theorem that fixes its step states it in; None without steps),
    ``schedule`` (a fixed step is a schedule t -> eta_t, else a constant), ``stochastic`` (a run draws: simulations
    average seeds), ``draws_nothing(inst, indices)`` (this run's expectation is the run itself), ``iterative``
    (it takes steps at all); ``contracting``: with every step at most 1/(beta B^2) its iterates never move away
    from w* (a step along the exact gradient of the sample or of one prompt maps w - w* to
    (I - eta beta Sigma)(w - w*) with 0 <= eta beta Sigma <= I; a noisy estimate such as REINFORCE's does not);
    ``label`` is the name the theorem's JSON shows, ``text`` how plots and documents write it."""

    def __reduce__(self) -> tuple:
        """Pickled as its name (the disk cache): read back, it is the registered algorithm itself."""
        return (_registered, (self.name,))

    name: str
    label: str
    text: str
    run: Run
    iterates: tuple[Iterate, ...]
    step_constant: str | None = None
    schedule: bool = False
    stochastic: bool = False
    draws_nothing: Callable[[Any, Any], bool] = _draws_nothing
    iterative: bool = True
    contracting: bool = False


class EmpiricalOptima:
    """The maximisers of J_S that ERM's theorems speak of: w* itself (under coverage the empirical maximiser is
    w*) and the minimum-norm one P_U w* (the limit of GA from 0 without coverage)."""

    def __init__(self, inst: Any, indices: Any) -> None:
        self.inst, self.indices = inst, indices

    @property
    def optimum(self) -> Any:
        """w*, the empirical maximiser under coverage."""
        return self.inst.w_star

    @cached_property
    def min_norm(self) -> Any:
        """P_U w*, the minimum-norm empirical maximiser (U = range(Sigma_S(0)))."""
        from ..numerics import covered_subspace

        basis = covered_subspace(self.inst, self.indices)
        return basis @ (basis.T @ self.inst.w_star)


def _erm(inst: Any, indices: Any, step: Any, T: int, seed: int) -> EmpiricalOptima:
    return EmpiricalOptima(inst, indices)


def _ga(inst: Any, indices: Any, step: Any, T: int, seed: int) -> Any:
    from ..numerics import empirical_weights, gradient_ascent

    return gradient_ascent(inst, empirical_weights(inst, indices), step, T)


def _sga_prompt(inst: Any, indices: Any, step: Any, T: int, seed: int) -> Any:
    from ..numerics import sga_prompt

    return sga_prompt(inst, indices, step, T, seed)


def _sga_reinforce(inst: Any, indices: Any, step: Any, T: int, seed: int) -> Any:
    from ..numerics import sga_reinforce

    return sga_reinforce(inst, indices, step, T, seed)


def _sga_reinforce_proj(inst: Any, indices: Any, step: Any, T: int, seed: int) -> Any:
    from ..numerics import sga_reinforce_projected

    return sga_reinforce_projected(inst, indices, step, T, seed)


def _one_distinct_prompt(inst: Any, indices: Any) -> bool:
    """Prompt-sampling SGA on a sample of one distinct prompt draws nothing: its expectation is the one run."""
    import numpy as np

    return bool(np.unique(indices).size == 1)


def _always_draws(inst: Any, indices: Any) -> bool:
    return False


#: Every algorithm a theorem may be about.
ALGORITHMS: Vocabulary[Algorithm] = Vocabulary("algorithm")

ERM = ALGORITHMS.register(
    Algorithm("erm", "erm", "empirical risk maximisation", _erm, (OPTIMUM, MIN_NORM_OPTIMUM), iterative=False)
)
GA = ALGORITHMS.register(
    Algorithm("ga", "ga", "GA", _ga, (LAST, BEST_GRADIENT), step_constant="eta", contracting=True)
)
SGA_PROMPT = ALGORITHMS.register(
    Algorithm("sga-prompt", "sga-prompt", "prompt-sampling SGA", _sga_prompt, (LAST, BEST_GRADIENT),
              step_constant="eta_t", schedule=True, stochastic=True, draws_nothing=_one_distinct_prompt,
              contracting=True)
)  # fmt: skip
SGA_REINFORCE = ALGORITHMS.register(
    Algorithm("sga-reinforce", "sga-reinforce", "REINFORCE SGA", _sga_reinforce, (LAST, BEST_GRADIENT),
              step_constant="eta_t", schedule=True, stochastic=True, draws_nothing=_always_draws)
)  # fmt: skip


def _registered(name: str) -> Algorithm:
    """The algorithm registered as ``name`` (what a pickled one reads back as)."""
    return ALGORITHMS[name]
SGA_REINFORCE_PROJ = ALGORITHMS.register(
    Algorithm("sga-reinforce-proj", "sga-reinforce-proj", "projected REINFORCE SGA", _sga_reinforce_proj,
              (LAST, BEST_GRADIENT), step_constant="eta_t", schedule=True, stochastic=True,
              draws_nothing=_always_draws)
)  # fmt: skip
