"""Negative controls: for each theorem, the property suite's search with ONE assumption broken (the
:class:`rlhfsym.vocabulary.Control` its module declares) must find a measured value above the bound (the checks can
fail). Each control runs the theorem's search (:func:`rlhfsym.search.search`) on the same families of instances
(unless the control names others), stops at the first violation of a deterministic or exactly computed claim, and
asserts that a violation was found (an instance, or counted exceedances that the binomial test rejects)."""

from __future__ import annotations

import pytest
from hypothesis import settings
from property_suite import RECORDS, THEOREMS, scale

from rlhfsym.bounds import theorem_info
from rlhfsym.search import search

pytestmark = pytest.mark.property

#: Examples a control may spend in the ci profile (up to 10 times more in deep); it stops at the first violation,
#: which the derandomised ci searches find within a few hundred examples at most.
BUDGET = 600


@pytest.mark.cost(3)  # seconds, from 0.1 to 16 by theorem (a control stops at its first violation)
@pytest.mark.parametrize("theorem", THEOREMS)
def test_negative_control_with_one_assumption_broken_is_found(theorem: str) -> None:
    control = theorem_info(theorem).declared.control
    budget = round(BUDGET * min(max(scale(), 1.0), 10.0))
    # The pinned instances and the perturbed copies are left out: the search itself must find the violation.
    tally = search(theorem, examples=budget, derandomize=settings.default.derandomize, stop=True,
                   examples_pinned=(), perturbations=0, **control.options())
    RECORDS.append(("control", tally))
    assert tally.caught, f"the broken assumption ({control.broken}) went unnoticed: {tally.summary()}"
