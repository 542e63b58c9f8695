"""Property tests of the stochastic-gradient theorems on searched and perturbed instances: the prompt-sampling
last-iterate distance and excess in expectation over the algorithm (means over seeds, 4 standard errors, counted
against the t tail), and the best full-gradient gaps of the paper forms (in expectation over the algorithm, with
probability >= 1 - delta over the sample). REINFORCE's runs that leave the ball its theorem assumes are counted
and reported, not checked. See ``property_suite``."""

from __future__ import annotations

import pytest
from property_suite import check_theorem

pytestmark = pytest.mark.property


def test_sga_prompt_last_iterate_mean_distance_is_within_rho_to_the_half_T_times_S_over_beta() -> None:
    check_theorem("sga_prompt_last_dist_le_of_coverage")


def test_sga_prompt_last_iterate_mean_excess_is_within_its_bound() -> None:
    check_theorem("sga_prompt_last_excess_le_of_coverage")


def test_sga_prompt_best_gradient_mean_gap_is_within_the_paper_bound_with_probability_one_minus_delta() -> None:
    check_theorem("sga_prompt_best_gap_le_of_coverage")


def test_sga_reinforce_best_gradient_mean_gap_is_within_the_paper_bound_where_its_ball_assumption_holds() -> None:
    # Runs outside the assumed ball are not checked; the summary reports how many there were.
    check_theorem("sga_reinforce_best_gap_le_of_coverage")
