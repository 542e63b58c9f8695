"""The property suite's size: in the ci profile the searches of this folder check at least 10^4 instances end to
end (an instance re-checked after a perturbation, or with another training sample, counts again). Runs last in
the folder (file order); skipped when only part of the suite ran."""

from __future__ import annotations

import os

import pytest
from property_suite import CI_FLOOR, RECORDS, THEOREMS, scale

pytestmark = pytest.mark.property


def test_property_suite_checks_at_least_ten_thousand_instances_per_ci_budget() -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("pytest-xdist: the searches ran in several workers; the controller checks the total "
                    "(tests/conftest.py, pytest_sessionfinish)")
    searched = {tally.theorem for kind, tally in RECORDS if kind == "property"}
    if searched != set(THEOREMS):
        pytest.skip(f"only {len(searched)} of {len(THEOREMS)} property tests ran")
    checked = sum(tally.checks for kind, tally in RECORDS if kind == "property")
    assert checked >= CI_FLOOR * scale(), checked
