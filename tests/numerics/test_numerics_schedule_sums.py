"""Numeric checks of the external facts about step-size schedules (sum_ge_mul_last_of_antitone, sum_inv_le_log_of_le,
floor_half_mem_icc) and of the window claims built on them in sga_reinforce_best_gap_le_of_coverage, each evaluated on
many windows."""

from __future__ import annotations

import math

import numpy as np
from rlhfsym.proofs import sum_inv_le_log_of_le as harmonic
from rlhfsym.proofs.sga_reinforce_best_gap_le_of_coverage import L_BALL, NOISE_BOUND, REINFORCE_CAP

ROUNDOFF = 1e-12


def test_a_nonincreasing_window_sums_to_at_least_its_length_times_its_last_term() -> None:
    rng = np.random.default_rng(0)
    for _ in range(300):
        size = int(rng.integers(1, 60))
        f = -np.sort(-rng.normal(size=size + 1) * rng.uniform(0.1, 10))  # nonincreasing, any sign
        a = int(rng.integers(0, size))
        n = int(rng.integers(0, size - a + 1))
        window = f[a + 1 : a + n + 1]  # f[t] for t = a+1..a+N (index 0 unused)
        assert window.sum() >= n * f[a + n] - ROUNDOFF * (1 + np.abs(window).sum()), (a, n)


def test_the_midpoint_bound_of_the_harmonic_sum_holds_on_every_small_window() -> None:
    for a in range(0, 120):
        for n in range(0, 120):
            total = math.fsum(1 / t for t in range(a + 1, a + n + 1))
            assert total <= math.log((a + n + 0.5) / (a + 0.5)) + ROUNDOFF, (a, n)


def test_the_midpoint_bound_is_stated_with_the_constant_factor_outside() -> None:
    claim = harmonic.LEMMA.claims[0]
    at = {harmonic.a: 3, harmonic.N: 5, harmonic.c: 2}
    lhs = float(claim.lhs.subs(at).doit())
    rhs = float(claim.rhs.subs(at))
    assert math.isclose(lhs, 2 * math.fsum(1 / t for t in range(4, 9)), rel_tol=1e-14)
    assert lhs <= rhs


def test_the_last_half_of_a_run_has_the_floor_and_the_ceiling_of_half_its_length() -> None:
    for steps in range(1, 2001):
        start, length = steps // 2, steps - steps // 2
        assert start + length == steps
        assert steps - 1 <= 2 * start <= steps
        assert length >= 1


def test_the_tail_step_sum_is_at_least_root_T_over_four_L() -> None:
    for L in (1 / 3, 2.0, 7.5):
        for steps in [*range(1, 400), 4097, 100_001]:
            t = np.arange(steps // 2 + 1, steps + 1, dtype=float)
            assert np.sum(1 / (2 * float(L) * np.sqrt(t))) >= math.sqrt(steps) / (4 * float(L)) * (1 - ROUNDOFF)


def test_the_tail_noise_bound_covers_the_capped_noise_of_every_window() -> None:
    values = {"B": 1.3, "S": 0.7, "beta": 0.4}
    subs = {s: values[s.name] for s in NOISE_BOUND.free_symbols}
    bound = float(NOISE_BOUND.subs(subs))
    scale = float((REINFORCE_CAP**2 / (4 * L_BALL**2)).subs(subs))
    for steps in [*range(1, 500), 10_007]:
        tail = scale * math.fsum(1 / t for t in range(steps // 2 + 1, steps + 1))
        assert tail <= bound * (1 + ROUNDOFF), steps
