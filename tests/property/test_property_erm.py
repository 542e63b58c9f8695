"""Property tests of the empirical-optimum theorems: on searched and perturbed instances, the gap of the empirical
optimum stays within its certified bound with probability >= 1 - delta over the training sample (every sample of
size n enumerated with its probability; independent samples counted for a binomial test). See ``property_suite``."""

from __future__ import annotations

import pytest
from property_suite import check_theorem

pytestmark = pytest.mark.property


def test_erm_gap_is_within_its_bound_with_probability_one_minus_delta_under_coverage() -> None:
    check_theorem("erm_gap_le_of_coverage")


def test_min_norm_erm_gap_is_within_its_bound_with_probability_one_minus_delta_under_partial_coverage() -> None:
    check_theorem("erm_min_norm_gap_le_of_partial_coverage")
