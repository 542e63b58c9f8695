"""Property tests of the gradient-ascent theorems on searched and perturbed instances: the last-iterate distance
and excess (deterministic: every instance, any training sample), the last-iterate and best-gradient gaps (with
probability >= 1 - delta over the sample) and the expected gap of the stability theorem (exact over every sample).
See ``property_suite``."""

from __future__ import annotations

import pytest
from property_suite import check_theorem

pytestmark = pytest.mark.property


def test_ga_last_iterate_distance_is_within_rho_to_the_T_times_S_over_beta_on_every_instance() -> None:
    check_theorem("ga_last_dist_le_of_coverage")


def test_ga_last_iterate_excess_is_within_its_bound_on_every_instance() -> None:
    check_theorem("ga_last_excess_le_of_coverage")


def test_ga_last_iterate_gap_is_within_its_bound_with_probability_one_minus_delta() -> None:
    check_theorem("ga_last_gap_le_of_coverage")


def test_ga_best_gradient_gap_is_within_the_paper_bound_with_probability_one_minus_delta() -> None:
    check_theorem("ga_best_gap_le_of_coverage")


def test_ga_expected_gap_over_every_sample_is_within_the_stability_bound() -> None:
    check_theorem("ga_last_expected_gap_le_of_stability")
