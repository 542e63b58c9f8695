"""How a theorem's bound holds: deterministically, with probability over the training sample, in expectation over
the algorithm's draws, in expectation over the sample, or in expectation over the algorithm with probability over
the sample.

A :class:`Holds` says how a simulation measures its claim (one run; the mean over seeds when ``over_algorithm``;
the exact mean over every training sample when ``over_sample``) and how a search judges it (every training sample
enumerated with its probability when ``per_sample``; means over seeds counted against the chance that a true
expectation reads as exceeded when ``over_algorithm``), and writes itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .registry import Vocabulary

__all__ = [
    "DETERMINISTIC",
    "EXPECTATION_OVER_ALGORITHM",
    "EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY",
    "EXPECTATION_OVER_SAMPLE",
    "HOLDS",
    "PROBABILITY",
    "Holds",
]


@dataclass(frozen=True)
class Holds:
    """How a bound holds. ``over_sample``: an expectation over the training sample, measured exactly over every
    sample; ``over_algorithm``: an expectation over the algorithm's draws, measured as a mean over seeds;
    ``per_sample``: with probability >= 1 - delta over the training sample, judged over every sample with its
    probability. ``label`` is the name the theorem's JSON shows, ``text`` how plots and documents write it (the
    plots add ``(delta = ...)`` when ``per_sample``), ``sentence`` the command line's (``{delta}`` is the value)."""

    def __reduce__(self) -> tuple:
        """Pickled as its name (the disk cache): read back, it is the registered holds itself."""
        return (_registered, (self.name,))

    name: str
    label: str
    text: str
    sentence: str
    over_sample: bool = False
    over_algorithm: bool = False
    per_sample: bool = False

    def say(self, delta: str | None) -> str:
        """The command line's sentence, with the confidence given."""
        return self.sentence.format(delta=delta)

    def title(self, delta: str) -> str:
        """The plots' title line, with the confidence of the figure."""
        return self.text + (f" (delta = {delta})" if self.per_sample else "")


#: Every way a bound may hold.
HOLDS: Vocabulary[Holds] = Vocabulary("holds")

DETERMINISTIC = HOLDS.register(Holds("deterministic", "deterministic", "deterministically", "deterministically"))
PROBABILITY = HOLDS.register(
    Holds("probability", "probability", "with probability >= 1 - delta over the sample",
          "with probability >= 1 - delta = 1 - {delta} over the sample", per_sample=True)
)  # fmt: skip
EXPECTATION_OVER_ALGORITHM = HOLDS.register(
    Holds("expectation-over-algorithm", "expectation", "in expectation over the algorithm", "in expectation",
          over_algorithm=True)
)  # fmt: skip
EXPECTATION_OVER_SAMPLE = HOLDS.register(
    Holds("expectation-over-sample", "expectation", "in expectation over the sample", "in expectation",
          over_sample=True)
)  # fmt: skip
EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY = HOLDS.register(
    Holds("expectation-over-algorithm-with-probability", "expectation",
          "in expectation over the algorithm, w.p. >= 1 - delta over the sample",
          "in expectation; with probability >= 1 - {delta} over the sample", over_algorithm=True, per_sample=True)
)  # fmt: skip


def _registered(name: str) -> Holds:
    """The holds registered as ``name`` (what a pickled one reads back as)."""
    return HOLDS[name]
