"""Helpers of the property suite (a uniquely named module imported from ``tests/property``).

Every property test runs :func:`rlhfsym.search.search` on one theorem with the examples of the plan its module
declares (:func:`rlhfsym.search.plan_of`) times :func:`scale`, the active hypothesis profile's ``max_examples`` / 100:
1 in the ``ci`` profile (derandomised), 30 in ``deep`` (random), 0.2 in ``dev``. Each tally is kept in
:data:`RECORDS`, which ``conftest.py`` prints at the end of the run (instances checked, violations, worst ratios,
binomial tests). :data:`THEOREMS` is the registry the tests are parametrised over: every theorem of the chain.
"""

from __future__ import annotations

from hypothesis import settings

from rlhfsym.bounds import theorems
from rlhfsym.search import Tally, plan_of, search

#: Every tally of this run, in the order the tests ran (printed by conftest.py's terminal summary).
RECORDS: list[tuple[str, Tally]] = []
#: Instances the ci profile must check in total (the issue's floor).
CI_FLOOR = 10_000
#: Every theorem of the chain, in dependency order: one property and one negative control each.
THEOREMS = [row["theorem"] for row in theorems()]


def scale() -> float:
    """Examples per property relative to the ci profile: the active profile's max_examples / 100."""
    return settings.default.max_examples / 100


def examples_of(theorem: str) -> int:
    return max(1, round(plan_of(theorem).examples * scale()))


def check_theorem(theorem: str) -> Tally:
    """The property of one theorem: the searched instances (and their perturbed copies) never exceed the certified
    bound. A deterministic or exactly computed violation fails the test through hypothesis (shrunk); counted
    exceedances fail it when their binomial test rejects. The plan's pinned instances (the equality cases and the
    gamma = B^2 regression, :data:`rlhfsym.vocabulary.PINNED`) are checked first, as hypothesis examples."""
    examples = examples_of(theorem)
    tally = search(theorem, examples=examples, derandomize=settings.default.derandomize, propagate=True,
                   shrink=True)
    RECORDS.append(("property", tally))
    assert not tally.failures(), "\n".join(tally.failures())
    # Every example reached the check, and the checks are the instances the summary counts.
    assert tally.examples >= examples, (tally.examples, examples)
    assert tally.checks >= tally.examples, tally.summary()
    return tally
