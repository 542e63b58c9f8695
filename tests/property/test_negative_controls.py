"""Negative controls: for each theorem, the property suite's search with ONE assumption broken must find a
measured value above the bound (the checks can fail). Each control runs the theorem's search
(:func:`rlhfsym.report.search`) on the same families of instances, stops at the first violation of a deterministic
or exactly computed claim, and asserts that a violation was found (an instance, or counted exceedances that the
binomial test rejects)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import settings
from property_suite import RECORDS, scale

from rlhfsym.numerics import Instance, measure_parameters
from rlhfsym.report import Tally, search

pytestmark = pytest.mark.property

#: Examples a control may spend in the ci profile (up to 10 times more in deep); it stops at the first violation,
#: which the derandomised ci searches find within a few hundred examples at most.
BUDGET = 600


def control(theorem: str, **broken: object) -> Tally:
    budget = round(BUDGET * min(max(scale(), 1.0), 10.0))
    # The pinned instances and the perturbed copies are left out: the search itself must find the violation.
    tally = search(theorem, examples=budget, derandomize=settings.default.derandomize, stop=True,
                   examples_pinned=(), perturbations=0, **broken)
    RECORDS.append(("control", tally))
    assert tally.caught, f"the broken assumption went unnoticed: {tally.summary()}"
    return tally


def duplicated(copies: int):
    """Claim n = copies x the sample size: the sample is each prompt repeated, not i.i.d. draws (Hoeffding's n)."""
    return lambda inst, indices: {"n": copies * len(indices)}


def shrunk(name: str, factor: float):
    """Claim a norm bound ``factor`` times the measured one (B for the features, S for theta*)."""

    def claim(inst: Instance, indices: np.ndarray) -> dict:
        return {name: repr(factor * measure_parameters(inst, indices)[name])}

    return claim


def rho_zero(inst: Instance, indices: np.ndarray) -> float:
    """The step factor (of 1/(beta B^2)) that makes the formula's rho exactly 0: eta = e^{4BS/beta}/(beta gamma),
    above 1/(beta B^2) whenever gamma < B^2 or S > 0."""
    m = measure_parameters(inst, indices)
    return m["B"] ** 2 * math.exp(4 * m["B"] * m["S"] / m["beta"]) / m["gamma"]


def claimed_coverage(inst: Instance, indices: np.ndarray) -> dict:
    """Claim gamma = 0.999 B^2, whatever the samples cover."""
    return {"gamma": repr(0.999 * measure_parameters(inst, indices)["B"] ** 2)}


def test_negative_control_erm_gap_with_a_duplicated_sample_counted_as_iid_is_found() -> None:
    control("erm_gap_le_of_coverage", claimed=duplicated(100))


def test_negative_control_min_norm_erm_gap_with_features_above_the_norm_bound_is_found() -> None:
    control("erm_min_norm_gap_le_of_partial_coverage", claimed=shrunk("B", 0.1))


def test_negative_control_ga_last_distance_with_eta_above_one_over_beta_B_squared_is_found() -> None:
    control("ga_last_dist_le_of_coverage", eta_factor=2.5, conditions=False)


def test_negative_control_ga_last_excess_with_eta_above_one_over_beta_B_squared_is_found() -> None:
    control("ga_last_excess_le_of_coverage", eta_factor=rho_zero, conditions=False)


def test_negative_control_ga_last_gap_with_eta_above_one_over_beta_B_squared_is_found() -> None:
    control("ga_last_gap_le_of_coverage", eta_factor=rho_zero, conditions=False)


def test_negative_control_ga_best_gap_with_a_step_of_300_over_L_instead_of_one_over_L_is_found() -> None:
    control("ga_best_gap_le_of_coverage", step_factor=300.0)


def test_negative_control_ga_expected_gap_with_uncovered_samples_and_a_claimed_gamma_is_found() -> None:
    control("ga_last_expected_gap_le_of_stability", claimed=claimed_coverage, families=("corner-small", "raw-small"))


def test_negative_control_sga_prompt_last_distance_with_eta_above_one_over_beta_B_squared_is_found() -> None:
    control("sga_prompt_last_dist_le_of_coverage", eta_factor=2.5, conditions=False)


def test_negative_control_sga_prompt_last_excess_with_eta_above_one_over_beta_B_squared_is_found() -> None:
    control("sga_prompt_last_excess_le_of_coverage", eta_factor=rho_zero, conditions=False)


def test_negative_control_sga_prompt_best_gap_with_steps_300_times_the_schedule_is_found() -> None:
    control("sga_prompt_best_gap_le_of_coverage", step_factor=300.0)


def test_negative_control_sga_reinforce_best_gap_with_theta_above_its_norm_bound_is_found() -> None:
    control("sga_reinforce_best_gap_le_of_coverage", claimed=shrunk("S", 0.1))
