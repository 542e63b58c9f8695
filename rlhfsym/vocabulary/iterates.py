"""Which iterate a theorem speaks of: the empirical optimum (or its minimum-norm choice), the last iterate, or the
best-gradient iterate. An :class:`Iterate` reads itself off what an :class:`~rlhfsym.vocabulary.Algorithm` ran."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .registry import Vocabulary

__all__ = ["BEST_GRADIENT", "ITERATES", "LAST", "MIN_NORM_OPTIMUM", "OPTIMUM", "Iterate"]


@dataclass(frozen=True)
class Iterate:
    """An iterate a theorem bounds: ``select(run)`` picks it from the output of its algorithm's run (an
    :class:`~rlhfsym.numerics.AscentResult`, or the empirical optima of ERM); ``label`` is the name the theorem's
    JSON shows, ``text`` how plots and documents write it; ``radius`` k with ||w - w*|| <= k S/beta for this iterate
    whatever the algorithm (None: it depends on the algorithm), from which a quantity's trivial bound follows."""

    def __reduce__(self) -> tuple:
        """Pickled as its name (the disk cache): read back, it is the registered iterate itself."""
        return (_registered, (self.name,))

    name: str
    label: str
    text: str
    select: Callable[[Any], Any]
    radius: int | None = None


#: Every iterate a theorem may speak of.
ITERATES: Vocabulary[Iterate] = Vocabulary("iterate")

OPTIMUM = ITERATES.register(Iterate("optimum", "optimum", "the empirical optimum", attrgetter("optimum"), radius=0))
MIN_NORM_OPTIMUM = ITERATES.register(
    # ||P_U w* - w*|| = ||P_perp w*|| <= ||w*|| <= S/beta
    Iterate("min-norm-optimum", "min-norm", "the minimum-norm empirical optimum P_U w*", attrgetter("min_norm"),
            radius=1)
)  # fmt: skip
LAST = ITERATES.register(Iterate("last", "last", "the last iterate", attrgetter("last")))
BEST_GRADIENT = ITERATES.register(
    Iterate("best-gradient", "best-gradient", "the best-gradient iterate (smallest ||grad J_S||)",
            attrgetter("best_gradient"))
)  # fmt: skip


def _registered(name: str) -> Iterate:
    """The iterate registered as ``name`` (what a pickled one reads back as)."""
    return ITERATES[name]
