"""The chain's gradient-ascent theorems against exact measurements on simulated instances.

Theorems (GA from w_0 = 0 on the empirical objective J_S, rho = 1 - eta beta gamma exp(-4 B S / beta),
L = 6 B^3 S + beta B^2):

* ``ga_last_dist_le_of_coverage``: for 0 < eta <= 1/(beta B^2), ||w_T - w*|| <= rho^T S / beta;
* ``ga_last_excess_le_of_coverage``: same eta, J(w*) - J(w_T) <= (B^2 S^2 / (2 beta)) rho^(2T);
* ``ga_last_gap_le_of_coverage``: same eta, with probability >= 1 - delta, |J(w_T) - J_S(w_T)| <= the excess
  bound + 2 S B sqrt(log(2/delta)/(2n));
* ``ga_best_gap_le_of_coverage``: eta = 1/L, the best-gradient iterate (argmin_t ||grad J_S(w_t)||, t = 0..T),
  with probability >= 1 - delta, |J(w_hat) - J_S(w_hat)| <= the paper's bound.

As in ``test_theorems_numeric.py``, bounds are the theorem's own sympy expression evaluated at the parameters
measured on the instance (exact rationals of the measured floats, 30 digits); a measured value may exceed a bound
by float round-off only: relative ``ROUNDOFF`` (1e-9), plus, for the deterministic trajectory claims, an absolute
``FLOOR`` of 1e-12 times the quantity's natural scale (S/beta for distances, S B + |J(w*)| for objective values).
The floor is needed because GA in float64 converges to w* only up to ~1e-16 ||w*||, while rho^T S/beta can fall
far below that at T = 300 (e.g. rho = 0.85); a floor of 1e-12 of the scale is far below any real violation.
Deterministic claims are checked at EVERY iterate t = 0..T (the bound evaluated at T = t); probability claims by
counting violations over independent training samples and a one-sided binomial test at level 1e-3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from theorem_helpers import LEVEL, ROUNDOFF, binomial_tail, bound_at

from rlhfsym.api import chain
from rlhfsym.numerics import (
    Instance,
    empirical_weights,
    gradient,
    gradient_ascent,
    measure_parameters,
    objective,
    random_instance,
    sample_prompts,
)

FLOOR = 1e-12
DELTA = Fraction(1, 10)

DIST = "ga_last_dist_le_of_coverage"
EXCESS = "ga_last_excess_le_of_coverage"
GAP = "ga_last_gap_le_of_coverage"
BEST = "ga_best_gap_le_of_coverage"

SHAPES = ((30, 4, 3), (20, 2, 1), (40, 6, 5))
TS = (0, 1, 5, 50, 300)
T_MAX = max(TS)
#: eta = factor / (beta B^2): the largest step the theorems allow, and a smaller one.
ETA_FACTORS = (1.0, 0.3)


# ----------------------------------------------------------------------------- helpers


def bound_path(theorem: str, ts: Iterable[int], **values: object) -> np.ndarray:
    """The bound at T = t for every t in ``ts``: every other parameter substituted exactly (as in ``bound_at``),
    then the expression in T evaluated with 30 significant digits (mpmath), t by t."""
    expr = chain().get(theorem).bound
    (T,) = [s for s in expr.free_symbols if s.name == "T"]
    exact = {s: sp.Rational(values[s.name]) for s in expr.free_symbols if s.name != "T"}
    in_T = sp.lambdify(T, expr.xreplace(exact), "mpmath")
    with mpmath.workdps(30):
        return np.array([float(in_T(t)) for t in ts])


def gap(inst: Instance, indices: np.ndarray, w: np.ndarray) -> float:
    """|J(w) - J_S(w)|: population objective against the empirical objective of the sample."""
    return abs(objective(inst, w) - objective(inst, w, empirical_weights(inst, indices)))


def step_one_over_L(measured: dict) -> float:
    """The paper's step size eta = 1/L, L = 6 B^3 S + beta B^2, from the measured constants."""
    B, S, beta = measured["B"], measured["S"], measured["beta"]
    return 1.0 / (6 * B**3 * S + beta * B**2)


@dataclass(frozen=True)
class Case:
    """An instance, a training sample and the constants measured on them."""

    seed: int
    inst: Instance
    indices: np.ndarray
    measured: dict

    @property
    def weights(self) -> np.ndarray:
        return empirical_weights(self.inst, self.indices)

    def values(self, **extra: object) -> dict:
        """The measured constants under the names of the bounds' symbols, plus ``extra`` (eta, T, delta)."""
        m = self.measured
        return {"S": m["S"], "B": m["B"], "beta": m["beta"], "gamma": m["gamma"], "n": m["n"], **extra}

    def describe(self, **extra: object) -> str:
        m = self.measured
        shown = {
            "seed": self.seed,
            "N,K,d": (self.inst.N, self.inst.K, self.inst.d),
            "beta": m["beta"],
            "S": m["S"],
            "B": m["B"],
            "n": m["n"],
            "gamma": m["gamma"],
            **extra,
        }
        return ", ".join(f"{k}={v!r}" for k, v in shown.items())


def make_case(seed: int, inst: Instance, indices: np.ndarray) -> Case:
    return Case(seed, inst, indices, measure_parameters(inst, indices))


def covered_cases(shape: tuple[int, int, int]) -> list[Case]:
    """Eight instances of one shape: beta in [0.2, 3] and S in [0.5, 3] (the four corners and four random draws),
    uniform and concentrated (Dirichlet 0.1) reference policies, n from the smallest with n (K-1) >= d up to 40;
    every sample covers the feature space (gamma > 0)."""
    N, K, d = shape
    shape_no = SHAPES.index(shape)
    rng = np.random.default_rng(2024 + shape_no)
    corners = [(0.2, 3.0), (3.0, 0.5), (0.2, 0.5), (3.0, 3.0)]
    draws = [(float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.5, 3.0))) for _ in range(4)]
    n_min = -(-d // (K - 1))
    cases = []
    for k, (beta, S) in enumerate(corners + draws):
        seed = 100 * shape_no + k
        inst = random_instance(seed, N=N, K=K, d=d, beta=beta, S=S, ref_concentration=0.1 if k % 3 == 2 else None)
        case = make_case(seed, inst, sample_prompts(inst, (n_min, 5, 40)[k % 3], seed))
        assert case.measured["gamma"] > 0, case.describe()
        cases.append(case)
    return cases


def one_dimensional_two_action_instance(S: float, beta: float) -> Case:
    """One prompt, d = 1, features +-1, uniform reference: Sigma(0) = 1 = B^2, so gamma = B^2 = 1 (full coverage)
    and a step eta beta gamma > 2 overshoots w* at the first step."""
    inst = Instance(np.array([[[1.0], [-1.0]]]), np.array([1.0]), np.array([S]), np.full((1, 2), 0.5), beta)
    case = make_case(0, inst, np.zeros(10, dtype=int))
    assert case.measured["gamma"] == pytest.approx(1.0, abs=1e-12)
    assert case.measured["B"] == 1.0
    return case


# ----------------------------------------------------------------------------- the evaluation of the bounds


def test_bound_along_the_trajectory_agrees_with_the_exact_bound() -> None:
    case = covered_cases(SHAPES[0])[4]
    for theorem in (DIST, EXCESS, GAP):
        for factor in ETA_FACTORS:
            values = case.values(eta=factor / (case.measured["beta"] * case.measured["B"] ** 2), delta=DELTA)
            path = bound_path(theorem, TS, **values)
            exact = [bound_at(theorem, T=t, **values) for t in TS]
            assert path == pytest.approx(exact, rel=1e-20, abs=0), theorem


def test_best_gradient_gap_bound_fixes_eta_to_one_over_L() -> None:
    names = {s.name for s in chain().get(BEST).bound.free_symbols}
    assert "eta" not in names
    assert names <= {"S", "B", "beta", "gamma", "T", "n", "delta"}


# ----------------------------------------------------------------------------- deterministic last-iterate claims


@pytest.mark.parametrize("factor", ETA_FACTORS)
@pytest.mark.parametrize("shape", SHAPES)
def test_ga_iterates_stay_in_the_ball_of_radius_S_over_beta_around_w_star(shape: tuple, factor: float) -> None:
    for case in covered_cases(shape):
        m = case.measured
        for eta in (factor / (m["beta"] * m["B"] ** 2), step_one_over_L(m)):
            run = gradient_ascent(case.inst, case.weights, eta, T_MAX)
            dist = np.linalg.norm(run.iterates - case.inst.w_star, axis=1)
            radius = m["S"] / m["beta"]
            worst = int(np.argmax(dist))
            assert dist[worst] <= radius * (1 + ROUNDOFF), case.describe(eta=eta, t=worst, dist=dist[worst])


@pytest.mark.parametrize("factor", ETA_FACTORS)
@pytest.mark.parametrize("shape", SHAPES)
def test_ga_last_iterate_distance_contracts_by_rho_per_step_under_coverage(shape: tuple, factor: float) -> None:
    for case in covered_cases(shape):
        m = case.measured
        eta = factor / (m["beta"] * m["B"] ** 2)
        limits = bound_path(DIST, range(T_MAX + 1), **case.values(eta=eta))
        floor = FLOOR * m["S"] / m["beta"]
        for T in TS:
            run = gradient_ascent(case.inst, case.weights, eta, T)
            dist = np.linalg.norm(run.iterates - case.inst.w_star, axis=1)
            excess = dist - (limits[: T + 1] * (1 + ROUNDOFF) + floor)
            t = int(np.argmax(excess))
            assert excess[t] <= 0, case.describe(eta=eta, T=T, t=t, dist=dist[t], bound=limits[t])


@pytest.mark.parametrize("factor", ETA_FACTORS)
@pytest.mark.parametrize("shape", SHAPES)
def test_ga_last_iterate_excess_risk_decays_as_rho_squared_per_step_under_coverage(shape: tuple, factor: float) -> None:
    for case in covered_cases(shape):
        m = case.measured
        eta = factor / (m["beta"] * m["B"] ** 2)
        limits = bound_path(EXCESS, range(T_MAX + 1), **case.values(eta=eta))
        optimum = objective(case.inst, case.inst.w_star)
        floor = FLOOR * (m["S"] * m["B"] + abs(optimum))
        for T in TS:
            run = gradient_ascent(case.inst, case.weights, eta, T)
            loss = optimum - np.array([objective(case.inst, w) for w in run.iterates])
            excess = loss - (limits[: T + 1] * (1 + ROUNDOFF) + floor)
            t = int(np.argmax(excess))
            assert excess[t] <= 0, case.describe(eta=eta, T=T, t=t, excess=loss[t], bound=limits[t])


# ----------------------------------------------------------------------------- probability claims


def sampled_cases(draws: int) -> Iterator[tuple[int, Case]]:
    """Three instances (one per shape, including a concentrated reference policy) x ``draws`` independent
    training samples with n in {4, 10, 40} (n (K-1) >= d, and gamma > 0 is asserted)."""
    settings = ((1.5, 0.5, None), (0.5, 1.0, 0.1), (2.5, 2.5, None))  # (beta, S, ref_concentration)
    for k, ((N, K, d), (beta, S, conc)) in enumerate(zip(SHAPES, settings, strict=True)):
        inst = random_instance(300 + k, N=N, K=K, d=d, beta=beta, S=S, ref_concentration=conc)
        for draw in range(draws):
            seed = 1000 * k + draw
            case = make_case(seed, inst, sample_prompts(inst, (4, 10, 40)[draw % 3], seed))
            assert case.measured["gamma"] > 0, case.describe()
            yield draw, case


def test_ga_last_iterate_gap_bound_holds_with_probability_at_least_one_minus_delta() -> None:
    violations = trials = 0
    for draw, case in sampled_cases(150):
        m = case.measured
        eta = ETA_FACTORS[draw % 2] / (m["beta"] * m["B"] ** 2)
        T = (1, 5, 50, 300)[draw % 4]
        run = gradient_ascent(case.inst, case.weights, eta, T)
        limit = bound_at(GAP, **case.values(eta=eta, T=T, delta=DELTA))
        violations += gap(case.inst, case.indices, run.last) > limit * (1 + ROUNDOFF)
        trials += 1
    assert binomial_tail(violations, trials, float(DELTA)) >= LEVEL, (violations, trials)


def test_ga_best_gradient_gap_bound_holds_with_probability_at_least_one_minus_delta() -> None:
    violations = trials = 0
    for draw, case in sampled_cases(150):
        T = (1, 5, 50, 300)[draw % 4]
        run = gradient_ascent(case.inst, case.weights, step_one_over_L(case.measured), T)
        limit = bound_at(BEST, **case.values(T=T, delta=DELTA))
        violations += gap(case.inst, case.indices, run.best_gradient) > limit * (1 + ROUNDOFF)
        trials += 1
    assert binomial_tail(violations, trials, float(DELTA)) >= LEVEL, (violations, trials)


def test_best_gradient_iterate_is_the_argmin_of_the_gradient_norms_and_one_over_L_stays_in_the_ball() -> None:
    for draw, case in sampled_cases(4):
        m = case.measured
        eta = step_one_over_L(m)
        assert eta <= 1 / (m["beta"] * m["B"] ** 2)  # L >= beta B^2: the last-iterate theorems' step condition
        run = gradient_ascent(case.inst, case.weights, eta, (5, 300)[draw % 2])
        norms = np.array([np.linalg.norm(gradient(case.inst, w, case.weights)) for w in run.iterates])
        assert run.grad_norms == pytest.approx(norms, rel=1e-10, abs=1e-15)
        best = run.best_index
        assert run.grad_norms[best] == run.grad_norms.min()
        assert np.array_equal(run.best_gradient, run.iterates[best])
        assert norms[best] <= norms.min() * (1 + 1e-9) + 1e-15
        dist = np.linalg.norm(run.iterates - case.inst.w_star, axis=1)
        assert np.all(dist <= m["S"] / m["beta"] * (1 + ROUNDOFF)), case.describe(eta=eta)


# ----------------------------------------------------------------------------- negative controls


def test_negative_control_distance_bound_fails_for_a_step_above_one_over_beta_B_squared() -> None:
    """Broken: eta <= 1/(beta B^2) only (eta = 2.5/(beta B^2)); coverage holds (gamma = B^2 = 1).

    The first step lands at 2.5 w*, outside the ball of radius S/beta; GA then oscillates around w*, while the
    formula's rho = 1 - 2.5 exp(-1) = 0.080 (in (0, 1): a finite, decaying bound)."""
    case = one_dimensional_two_action_instance(S=0.25, beta=1.0)
    eta = 2.5 / (case.measured["beta"] * case.measured["B"] ** 2)
    limits = bound_path(DIST, range(51), **case.values(eta=eta))
    assert 0 < limits[1] / limits[0] < 0.1  # rho
    run = gradient_ascent(case.inst, case.weights, eta, 50)
    dist = np.linalg.norm(run.iterates - case.inst.w_star, axis=1)
    assert dist[1] == pytest.approx(1.5 * 0.25)  # |2.5 w* - w*| > S/beta = 0.25
    assert np.all(dist[1:] > limits[1:] * (1 + ROUNDOFF) + FLOOR * 0.25)


def test_negative_control_excess_bound_fails_for_a_step_above_one_over_beta_B_squared() -> None:
    """Broken: eta <= 1/(beta B^2) only (eta = 2.5/(beta B^2)); coverage holds (gamma = B^2 = 1).
    The excess of the overshooting iterates does not decay; the formula's rho^(2T) does."""
    case = one_dimensional_two_action_instance(S=0.25, beta=1.0)
    eta = 2.5 / (case.measured["beta"] * case.measured["B"] ** 2)
    limits = bound_path(EXCESS, range(51), **case.values(eta=eta))
    run = gradient_ascent(case.inst, case.weights, eta, 50)
    optimum = objective(case.inst, case.inst.w_star)
    loss = optimum - np.array([objective(case.inst, w) for w in run.iterates])
    assert np.all(loss[1:] > limits[1:] * (1 + ROUNDOFF) + FLOOR * (0.25 + abs(optimum)))


def test_negative_control_gap_bound_fails_with_probability_above_delta_for_a_too_large_step() -> None:
    """Broken: eta <= 1/(beta B^2) only; coverage holds (gamma > 0 asserted) and the samples are i.i.d.

    eta = exp(4 B S / beta) / (beta gamma) makes the formula's rho exactly 0, so the bound is the Hoeffding term
    alone (T >= 1); eta beta B^2 >= exp(4 B S / beta) B^2 / gamma > 1 breaks the step condition. The huge first
    step sends w_T far from w*, where the policy sits on actions of tiny reference probability (Dirichlet 0.1
    reference), and the KL terms of J and J_S differ by far more than the Hoeffding term."""
    inst = random_instance(7, N=40, K=6, d=5, beta=1.0, S=0.5, ref_concentration=0.1)
    violations = trials = 0
    for draw in range(60):
        case = make_case(draw, inst, sample_prompts(inst, 20, 500 + draw))
        m = case.measured
        assert m["gamma"] > 0
        eta = math.exp(4 * m["B"] * m["S"] / m["beta"]) / (m["beta"] * m["gamma"])
        assert eta > 1 / (m["beta"] * m["B"] ** 2)
        run = gradient_ascent(inst, case.weights, eta, 50)
        limit = bound_at(GAP, **case.values(eta=eta, T=50, delta=DELTA))
        violations += gap(inst, case.indices, run.last) > limit * (1 + ROUNDOFF)
        trials += 1
    assert binomial_tail(violations, trials, float(DELTA)) < LEVEL, (violations, trials)


def test_negative_control_best_gradient_gap_bound_fails_with_probability_above_delta_for_a_too_large_step() -> None:
    """Broken: eta = 1/L only (eta = 300/L); coverage holds (gamma > 0 asserted), the samples are i.i.d. and the
    bound is evaluated at the measured gamma.

    Why not an overstated gamma (the assumption "gamma is the coverage of the sample")? With eta = 1/L the
    measured gap stays below the Hoeffding term alone on the instances of the tests above and on weakly covered
    constructions (a direction covered by the sample at gamma ~ 1e-4..1e-7 but strongly by the population), so no
    overstatement of gamma, however large, produces a violation: such a control could not fail. A too-large step
    can: the first steps throw w_t into the saturated region where grad J_S is exponentially small, so the
    best-gradient iterate is far from w*, and with a Dirichlet(0.1) reference policy the KL terms of J and J_S
    differ there by more than the (eta-free) bound."""
    inst = random_instance(11, N=30, K=4, d=3, beta=3.0, S=0.5, ref_concentration=0.1)
    violations = trials = 0
    for draw in range(60):
        case = make_case(draw, inst, sample_prompts(inst, 20, 700 + draw))
        assert case.measured["gamma"] > 0
        run = gradient_ascent(inst, case.weights, 300 * step_one_over_L(case.measured), 300)
        limit = bound_at(BEST, **case.values(T=300, delta=DELTA))
        violations += gap(inst, case.indices, run.best_gradient) > limit * (1 + ROUNDOFF)
        trials += 1
    assert binomial_tail(violations, trials, float(DELTA)) < LEVEL, (violations, trials)


def _all_samples(inst: Instance, n: int):
    """Every multiset of n prompts with its probability under i.i.d. sampling from the weights."""
    from itertools import combinations_with_replacement

    for combo in combinations_with_replacement(range(inst.N), n):
        counts = np.bincount(combo, minlength=inst.N)
        ways = math.factorial(n) / np.prod([math.factorial(c) for c in counts])
        yield np.array(combo), ways * float(np.prod(inst.weights**counts))


def _exact_expected_gap(inst: Instance, n: int, eta_of: Callable[[float, float], float], T: int) -> tuple[float, float]:
    """(E_S[J(w_T) - J_S(w_T)] exactly, the smallest coverage over all samples)."""
    total, gamma_min = 0.0, math.inf
    for indices, probability in _all_samples(inst, n):
        m = measure_parameters(inst, indices)
        gamma_min = min(gamma_min, m["gamma"])
        weights = empirical_weights(inst, indices)
        w = gradient_ascent(inst, weights, eta=eta_of(m["beta"], m["B"]), T=T).last
        total += probability * (objective(inst, w) - objective(inst, w, weights))
    return total, gamma_min


@pytest.mark.parametrize("T", [1, 10, 60])
def test_expected_gap_of_ga_is_at_most_G_times_stability(T: int) -> None:
    for seed in range(3):
        inst = random_instance(seed, N=4, K=3, d=2, beta=1.0 + seed, S=1.0)
        m = measure_parameters(inst, np.arange(inst.N))
        expected, gamma_min = _exact_expected_gap(inst, 3, lambda beta, B: 1 / (beta * B**2), T)
        assert gamma_min > 0
        limit = bound_at(
            "ga_last_expected_gap_le_of_stability",
            S=m["S"],
            B=m["B"],
            beta=m["beta"],
            gamma=gamma_min,
            eta=1 / (m["beta"] * m["B"] ** 2),
            T=T,
        )
        assert abs(expected) <= limit * (1 + ROUNDOFF) + 1e-15


def test_neighbouring_samples_give_ga_outputs_within_twice_the_distance_bound() -> None:
    inst = random_instance(4, N=6, K=3, d=2, beta=1.5, S=1.0)
    rng = np.random.default_rng(4)
    stability = chain().get("ga_last_stable_of_coverage").constants["stability"]
    for _ in range(20):
        S1 = sample_prompts(inst, 5, int(rng.integers(1 << 30)))
        S2 = S1.copy()
        S2[rng.integers(5)] = rng.integers(inst.N)
        m1, m2 = measure_parameters(inst, S1), measure_parameters(inst, S2)
        eta = 1 / (m1["beta"] * m1["B"] ** 2)
        w1 = gradient_ascent(inst, empirical_weights(inst, S1), eta=eta, T=30).last
        w2 = gradient_ascent(inst, empirical_weights(inst, S2), eta=eta, T=30).last
        values = {
            "S": m1["S"],
            "B": m1["B"],
            "beta": m1["beta"],
            "gamma": min(m1["gamma"], m2["gamma"]),
            "eta": eta,
            "T": 30,
        }
        limit = float(stability.xreplace({s: sp.Rational(values[s.name]) for s in stability.free_symbols}).evalf(30))
        assert np.linalg.norm(w1 - w2) <= limit * (1 + ROUNDOFF)


def test_negative_control_expected_gap_without_coverage_exceeds_the_stability_bound() -> None:
    # Broken assumption: every sample is covered. Prompt 1 (weight 0.01) is the only one that sees e2, so most
    # samples leave e2 uncovered and GA never learns w*_2; the bound is evaluated at a claimed gamma = B^2.
    features = np.array([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 1.0], [0.0, -1.0]]])
    inst = Instance(features, np.array([0.99, 0.01]), np.array([0.6, 0.8]), np.full((2, 2), 0.5), 1.0)
    expected, gamma_min = _exact_expected_gap(inst, 3, lambda beta, B: 1 / (beta * B**2), 1500)
    assert gamma_min == pytest.approx(0.0, abs=1e-15)
    m = measure_parameters(inst, np.arange(2))
    limit = bound_at(
        "ga_last_expected_gap_le_of_stability",
        S=m["S"],
        B=m["B"],
        beta=m["beta"],
        gamma=m["B"] ** 2,
        eta=1 / (m["beta"] * m["B"] ** 2),
        T=1500,
    )
    assert abs(expected) > limit
