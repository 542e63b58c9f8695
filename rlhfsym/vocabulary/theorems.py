"""What each theorem declares besides its proof: what it bounds, for which iterate of which algorithm, how it holds,
and how it is exercised (its search plan, its negative control, its plot, the instance it is simulated on).

Every theorem module of the chain declares one :class:`Theorem` (``proofs/_theorem.py`` registers it in
:data:`DECLARED` when it builds the theorem's lemma); the application (:mod:`rlhfsym.bounds`,
:mod:`rlhfsym.simulate`, :mod:`rlhfsym.search`, :mod:`rlhfsym.plots`, :mod:`rlhfsym.latex`, the CLI and the
generated documents) reads these facts, and never names a theorem.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .algorithms import Algorithm
from .exercise import Ball, Control, Plan, Shape
from .figures import Figure
from .holds import Holds
from .iterates import Iterate
from .quantities import Quantity
from .registry import Vocabulary

__all__ = ["DECLARED", "Theorem", "declare"]


@dataclass(frozen=True)
class Theorem:
    """A theorem's declared facts. ``bounds``, ``iterate``, ``algorithm``, ``holds``: what it says; ``form`` (paper
    form, sharp form, ...) and ``step`` (the step size it fixes, in words) for documents and plots; ``plan`` and
    ``control``: its search and its negative control (required); ``figure``: its rate plot, if any; ``shape``: the
    instance ``rlhfsym simulate`` draws; ``runs_within``: an asserted condition checked on each run;
    ``establishes``: the asserted conditions a simulation makes true by how it measures (an expectation over every
    sample certified at the least coverage of any sample). A simulation assumes exactly these, and nothing else."""

    name: str
    bounds: Quantity
    iterate: Iterate
    algorithm: Algorithm
    holds: Holds
    plan: Plan
    control: Control
    figure: Figure | None = None
    form: str = ""
    step: str = ""
    shape: Shape = field(default_factory=Shape)
    runs_within: Ball | None = None
    establishes: tuple[str, ...] = ()

    @property
    def simulation_assumes(self) -> tuple[str, ...]:
        """The asserted conditions a simulation of the theorem may assume: those it checks or establishes."""
        return (*(() if self.runs_within is None else (self.runs_within.condition,)), *self.establishes)

    def __post_init__(self) -> None:
        for attribute, kind in (("bounds", Quantity), ("iterate", Iterate), ("algorithm", Algorithm),
                                ("holds", Holds), ("plan", Plan), ("control", Control), ("shape", Shape)):
            value = getattr(self, attribute)
            if not isinstance(value, kind):
                raise TypeError(f"theorem {self.name}: {attribute} must be a {kind.__name__}, got {value!r}")
        if self.figure is not None and not isinstance(self.figure, Figure):
            raise TypeError(f"theorem {self.name}: figure must be a Figure, got {self.figure!r}")
        if self.iterate not in self.algorithm.iterates:
            raise ValueError(f"theorem {self.name}: {self.algorithm.name} does not produce the {self.iterate.name} "
                             f"iterate (it produces {', '.join(i.name for i in self.algorithm.iterates)})")
        if self.holds.over_sample and self.algorithm.stochastic:
            raise ValueError(f"theorem {self.name}: an expectation over the sample is measured on deterministic "
                             f"algorithms only ({self.algorithm.name} draws)")
        if self.figure is not None and self.figure.theorem != self.name:
            object.__setattr__(self, "figure", replace(self.figure, theorem=self.name))

    @property
    def labels(self) -> dict[str, str]:
        """The labels the theorem's JSON shows: ``{"algorithm", "bounds", "iterate", "holds"}``."""
        return {"algorithm": self.algorithm.label, "bounds": self.bounds.label, "iterate": self.iterate.label,
                "holds": self.holds.label}  # fmt: skip


#: Every declared theorem, by name, in registration order (the chain's order of imports).
DECLARED: Vocabulary[Theorem] = Vocabulary("theorem")


def declare(theorem: Theorem) -> Theorem:
    """Register a theorem's declaration and return it. A module run again (the registry walk re-runs every proof
    module against a fresh chain) declares its theorem again, which replaces the former, equal declaration; two
    modules cannot declare one name, since the chain's registry refuses the second lemma of that name."""
    return DECLARED.register(theorem, replace=True)
