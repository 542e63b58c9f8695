"""The property of every theorem of the chain, on searched and perturbed instances: its measured value never exceeds
its certified bound, checked as its claim holds (its declared :class:`rlhfsym.vocabulary.Holds`): deterministic
claims on every instance and any training sample; claims with probability >= 1 - delta over the sample over every
sample of size n with its probability (independent samples counted for a binomial test); expectations over the
algorithm as means over seeds (4 standard errors, counted against the t tail); expectations over the sample exactly
over every sample. Runs that leave the ball a theorem assumes of them (REINFORCE) are counted and reported, not
checked. One test per theorem of the registry; see ``property_suite``."""

from __future__ import annotations

import pytest
from property_suite import THEOREMS, check_theorem

pytestmark = pytest.mark.property


@pytest.mark.cost(12)  # seconds, from 4 to 30 by theorem: the longest tests of the suite, run first
@pytest.mark.parametrize("theorem", THEOREMS)
def test_theorem_is_within_its_certified_bound_on_searched_instances(theorem: str) -> None:
    check_theorem(theorem)
