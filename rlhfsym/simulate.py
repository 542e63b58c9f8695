"""A theorem at work: run its algorithm on an instance, measure the bounded quantity exactly, certify the bound.

:func:`measure` takes an instance and a training sample (for instance a :class:`rlhfsym.testing.Case`), runs the
theorem's algorithm (GA, prompt-sampling SGA or REINFORCE SGA, or none for the empirical optimum), measures what
the theorem bounds (``gap`` = \\|J(w) - J_S(w)\\|, ``excess`` = J(w*) - J(w), ``distance`` = \\|w - w*\\|) at the
iterate it names, and certifies the bound (:func:`rlhfsym.bounds.bound`) at the parameters measured on the
instance. :func:`simulate` does the same on one seeded random instance (the ``rlhfsym simulate`` command).

Measured parameters are float64 numbers with rounding errors, so they enter the bound as intervals that contain
them with a relative margin (``B``, ``S``: 1e-12; ``gamma``: 1e-12 B^2; ``residual``: 1e-9 S/beta + 1e-12):
the certified upper value then holds for the true parameters of the instance. Parameters the simulation chose
(``beta``, ``eta``, ``n``, ``T``, ``delta``) enter as the exact binary numbers the algorithm used. A measured
quantity is also a float: ``within`` allows it a relative excess of :data:`ROUNDOFF` over the bound, and an absolute
excess ``floor`` of :data:`FLOAT_FLOOR` times the scale of the numbers it was computed from (S B, beta B ||w|| and
beta max |log pi_ref| for objective values; ||w|| + ||w*|| for distances), so that an instance whose bound is 0
(S = 0) or below float resolution is not read as a violation.

Negative controls break one assumption on purpose: ``claimed`` puts a claimed value (say ``gamma = B^2`` on an
uncovered sample) in place of the measured one, ``conditions=False`` evaluates the bound's formula without
certifying its conditions (say ``eta <= 1/(beta B^2)``), and ``step_factor`` multiplies the steps the algorithm
takes (the bound keeps the step the theorem states).

How each claim is measured: ``deterministic`` -- the one run; ``probability`` (over the training sample) -- the
one sample given (the claim allows a failure with probability delta); ``expectation`` over the algorithm -- the
mean over ``runs`` seeds, with its standard error (``within`` allows :data:`Z` standard errors); expectation over
the sample (``ga_last_expected_gap_le_of_stability``) -- the exact mean over every sample of size n when there are
at most :data:`MAX_SAMPLES` of them, else the mean over ``runs`` drawn samples (then ``exact`` is False).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from itertools import combinations_with_replacement

import numpy as np
import sympy as sp

from .bounds import BoundResult, _box, _validated, bound, theorem_info
from .errors import ParameterError
from .interval import enclose
from .numerics import (
    Instance,
    covered_subspace,
    empirical_weights,
    gradient_ascent,
    measure_parameters,
    objective,
    random_instance,
    sample_prompts,
    sga_prompt,
    sga_reinforce,
    uncovered_residual,
)
from .setting import SYMBOLS

__all__ = ["FLOAT_FLOOR", "ROUNDOFF", "Simulation", "Z", "default_eta", "every_sample", "measure", "simulate"]

#: A measured float may exceed its bound by this relative amount (float64 round-off of J, J_S and norms).
ROUNDOFF = 1e-9
#: Standard errors allowed to a mean over seeds (expectation claims).
Z = 4.0
#: Absolute float error allowed to a measured value, relative to the scale of the numbers it is computed from.
FLOAT_FLOOR = 1e-12
#: Exact expectation over samples when there are at most this many multisets of size n.
MAX_SAMPLES = 3000
#: Relative margins of the measured parameters (float64 errors are far below them).
NORM_MARGIN = 1e-12
COVERAGE_MARGIN = 1e-12
RESIDUAL_MARGIN = 1e-9


@dataclass(frozen=True)
class Simulation:
    """A measured value beside its certified bound.

    ``value`` is the bounded quantity (a mean for expectation claims, with ``stderr``), ``result`` the certified
    bound at the measured parameters, ``applicable`` False when an assumption the bound cannot check failed on
    this run (REINFORCE's ball), ``exact`` False when an expectation is estimated rather than computed, ``floor``
    the absolute float error allowed to ``value`` (see :data:`FLOAT_FLOOR`).
    """

    theorem: str
    value: float
    stderr: float
    result: BoundResult
    measured: dict[str, float]
    runs: int = 1
    applicable: bool = True
    exact: bool = True
    note: str = ""
    extra: dict = field(default_factory=dict)
    floor: float = 0.0

    @property
    def upper(self) -> float:
        """The certified upper value (rounded up), as a float rounded up once more (inf beyond float range)."""
        try:
            return float(np.nextafter(float(Fraction(self.result.upper)), np.inf))
        except OverflowError:
            return math.inf

    @property
    def ratio(self) -> float:
        """measured / bound: how close the instance comes to the bound (1 would be tight); 0 when both are 0 up
        to the float floor."""
        return _ratio(self.value, self.upper, self.floor)

    @property
    def checked_ratio(self) -> float:
        """The ratio that ``within`` checks: (measured - Z stderr - floor) / bound, at least 0. ``within`` is
        ``checked_ratio <= 1 + ROUNDOFF``; for a deterministic claim it is the ratio net of float round-off."""
        return _ratio(max(self.value - Z * self.stderr - self.floor, 0.0), self.upper, 0.0)

    @property
    def within(self) -> bool:
        """Is the measured value at most the bound (allowing round-off, and Z standard errors for a mean)?"""
        return self.value - Z * self.stderr - self.floor <= self.upper * (1 + ROUNDOFF) + 1e-300

    def to_json(self) -> dict:
        """``{"theorem", "measured", "stderr", "upper", "ratio", "within", "runs", ...}`` plus the bound's JSON."""
        return {
            "theorem": self.theorem,
            "measured": self.value,
            "stderr": self.stderr,
            "upper": self.result.upper,
            "ratio": self.ratio,
            "within": self.within,
            "applicable": self.applicable,
            "exact": self.exact,
            "runs": self.runs,
            "note": self.note,
            "measured_parameters": self.measured,
            "bound": self.result.to_json(),
        }


def _ratio(value: float, upper: float, floor: float) -> float:
    if upper > 0:
        return value / upper
    return 0.0 if value <= floor else math.inf


# --------------------------------------------------------------------------------------------- parameters


def _exact(x: float) -> str:
    """The exact binary value of a float, written as a ratio (what the algorithm really used)."""
    f = Fraction(x)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _around(x: float, margin: float, floor: float = 0.0, cap: Fraction | None = None) -> str:
    """An interval ``[x - margin, x + margin]`` (lower end kept above ``floor``, both ends at most ``cap``)
    written exactly."""
    lo, hi = Fraction(x) - Fraction(margin), Fraction(x) + Fraction(margin)
    lo = max(lo, Fraction(floor))
    if cap is not None:
        lo, hi = min(lo, cap), min(hi, cap)
    return f"[{lo.numerator}/{lo.denominator},{hi.numerator}/{hi.denominator}]"


def _gamma_cap(B: float) -> Fraction:
    """Just below the square of the lower end of B's interval: the cap of gamma's interval.

    gamma = lambda_min(Sigma_S(0)) <= B^2, but the independent intervals of gamma and B overlap when gamma is within
    the margins of B^2 (antipodal actions +-B under a uniform reference have gamma = B^2 exactly), and the condition
    ``gamma <= B^2`` could not be certified on the box. Every theorem holds for any gamma' in (0, lambda_min]
    (gamma enters its proof only as a lower bound on lambda_min, and every bound is nonincreasing in it), so
    capping the interval below B_lo^2 keeps the certified upper value an upper bound of the bound at the instance."""
    low = Fraction(B) - Fraction(NORM_MARGIN * B)
    return Fraction(float(low * low) * (1 - 1e-15))  # a short binary number below B_lo^2 (float error 1e-16)


def _parameters(inst: Instance, indices: np.ndarray, wanted: tuple[str, ...], **chosen: object) -> dict:
    """The theorem's parameters: measured ones as intervals that contain their true values, chosen ones exact."""
    m = measure_parameters(inst, indices)
    B, S = m["B"], m["S"]
    values: dict[str, object] = {
        "B": _around(B, NORM_MARGIN * B, floor=B / 2),
        "S": _around(S, NORM_MARGIN * S),
        "beta": _exact(inst.beta),
        "n": len(indices),
        "K": inst.K,
        "d": inst.d,
    }
    if "gamma" in wanted and not isinstance(chosen.get("gamma", 0.0), float):
        pass  # a claimed exact value (negative controls): entered as given below
    elif "gamma" in wanted:
        gamma = chosen.pop("gamma", m["gamma"])
        margin = COVERAGE_MARGIN * B * B
        if gamma <= margin:
            raise ParameterError("gamma", f"the sample is not covered: measured gamma = {gamma:.3g} <= {margin:.3g}")
        values["gamma"] = _around(gamma, margin, cap=_gamma_cap(B))
    if "residual" in wanted:
        r = uncovered_residual(inst, indices)
        values["residual"] = _around(r, RESIDUAL_MARGIN * (S / inst.beta) + 1e-12)
    for name, value in chosen.items():
        if isinstance(value, Fraction):
            values[name] = f"{value.numerator}/{value.denominator}"
        else:
            values[name] = value if isinstance(value, (int, str)) else _exact(float(value))
    return {name: values[name] for name in wanted}


def _measured(inst: Instance, indices: np.ndarray) -> dict[str, float]:
    """The parameters measured on the instance and the sample, and the number N of prompts."""
    return {**measure_parameters(inst, indices), "N": inst.N}


def _certify(
    theorem: str,
    inst: Instance,
    indices: np.ndarray,
    *,
    claimed: Mapping[str, object] | None = None,
    conditions: bool = True,
    **chosen: object,
) -> BoundResult:
    """The bound at the instance's parameters; ``claimed`` values replace measured or chosen ones, and
    ``conditions=False`` encloses the formula without certifying the theorem's conditions (negative controls)."""
    info = theorem_info(theorem)
    values = _parameters(inst, indices, info.parameters, **{**chosen, **(claimed or {})})
    if conditions:
        return bound(theorem, digits=12, **values)
    validated = _validated(info, values)
    return BoundResult(info, validated, enclose(info.bound, _box(validated)), 12)


# --------------------------------------------------------------------------------------------- quantities


def _gap(inst: Instance, indices: np.ndarray, w: np.ndarray) -> float:
    return abs(objective(inst, w) - objective(inst, w, empirical_weights(inst, indices)))


def _excess(inst: Instance, w: np.ndarray) -> float:
    return objective(inst, inst.w_star) - objective(inst, w)


def _distance(inst: Instance, w: np.ndarray) -> float:
    return float(np.linalg.norm(w - inst.w_star))


QUANTITY: dict[str, Callable[[Instance, np.ndarray, np.ndarray], float]] = {
    "gap": _gap,
    "excess": lambda inst, indices, w: _excess(inst, w),
    "distance": lambda inst, indices, w: _distance(inst, w),
}


def _scale(quantity: str, inst: Instance, w: np.ndarray) -> float:
    """The size of the numbers a quantity at ``w`` is computed from: ``||w|| + ||w*||`` for a distance; for an
    objective value S B + beta B (||w|| + ||w*||) + beta max |log pi_ref| (the reward, the log-ratios and the
    reference log-probabilities that the KL term adds up)."""
    size = float(np.linalg.norm(w)) + float(np.linalg.norm(inst.w_star))
    if quantity == "distance":
        return size
    B = float(np.max(np.linalg.norm(inst.features, axis=-1)))
    S = float(np.linalg.norm(inst.theta))
    return S * B + inst.beta * (B * size + float(np.max(np.abs(inst.log_pi_ref))))


def _floor(quantity: str, inst: Instance, *iterates: np.ndarray) -> float:
    """The absolute float error allowed to the quantity measured at these iterates (FLOAT_FLOOR times the scale)."""
    return FLOAT_FLOOR * max(_scale(quantity, inst, w) for w in iterates)


@cache
def _step_function(theorem: str) -> Callable[..., float]:
    """The theorem's stated step size as a float function of (B, S, beta, t), compiled once (exact constants of the
    expression are printed as ratios, so no digit is lost)."""
    step = theorem_info(theorem).step
    t = sp.Symbol("t", positive=True, integer=True)
    return sp.lambdify([SYMBOLS["B"], SYMBOLS["S"], SYMBOLS["beta"], t], step, "math")


def theorem_step(theorem: str, inst: Instance, indices: np.ndarray) -> Callable[[int], float]:
    """The step size ``t -> eta_t`` a paper form states (its constant ``eta`` = 1/L or ``eta_t`` = 1/(2L sqrt t),
    derived by the chain), at the B and S measured on the instance and its beta, as floats for the numerics."""
    m = measure_parameters(inst, indices)
    rate, B, S, beta = _step_function(theorem), m["B"], m["S"], inst.beta
    return lambda t: float(rate(B, S, beta, t))


def default_eta(inst: Instance, indices: np.ndarray) -> float:
    """A constant step just inside the sharp forms' condition eta <= 1/(beta B^2)."""
    B = measure_parameters(inst, indices)["B"]
    return 1 / (inst.beta * B * B * (1 + 1e-9))


# --------------------------------------------------------------------------------------------- the theorems


@dataclass(frozen=True)
class _Run:
    inst: Instance
    indices: np.ndarray
    T: int
    eta: float | None
    delta: str
    runs: int
    seed: int
    claimed: Mapping[str, object] | None = None
    conditions: bool = True
    step_factor: float = 1.0

    def certify(self, theorem: str, indices: np.ndarray | None = None, **chosen: object) -> BoundResult:
        indices = self.indices if indices is None else indices
        return _certify(theorem, self.inst, indices, claimed=self.claimed, conditions=self.conditions, **chosen)


def _erm(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    if theorem == "erm_min_norm_gap_le_of_partial_coverage":
        basis = covered_subspace(inst, indices)
        w = basis @ (basis.T @ inst.w_star)  # the minimum-norm empirical maximiser P_U w*
    else:
        w = inst.w_star  # under coverage the empirical maximiser is w*
    result = run.certify(theorem, delta=run.delta)
    return Simulation(
        theorem, _gap(inst, indices, w), 0.0, result, _measured(inst, indices), floor=_floor("gap", inst, w)
    )


def _ga(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    info = theorem_info(theorem)
    weights = empirical_weights(inst, indices)
    if info.labels["iterate"] == "best-gradient":
        eta = theorem_step(theorem, inst, indices)(1)  # the paper form's eta = 1/L, from the chain
        path = gradient_ascent(inst, weights, eta * run.step_factor, run.T)
        w = path.best_gradient
        chosen: dict[str, object] = {"T": run.T, "delta": run.delta}
    else:
        eta = run.eta if run.eta is not None else default_eta(inst, indices)
        w = gradient_ascent(inst, weights, eta * run.step_factor, run.T).last
        chosen = {"T": run.T, "eta": eta}
        if "delta" in info.parameters:
            chosen["delta"] = run.delta
    quantity = info.labels["bounds"]
    value = QUANTITY[quantity](inst, indices, w)
    result = run.certify(theorem, **chosen)
    return Simulation(
        theorem, value, 0.0, result, _measured(inst, indices), extra={"eta": eta}, floor=_floor(quantity, inst, w)
    )


def every_sample(inst: Instance, n: int) -> Iterator[tuple[np.ndarray, float]]:
    """Every multiset of n prompts (sorted indices) with its probability under i.i.d. draws from the prompt
    weights; there are C(N + n - 1, n) of them."""
    p = inst.weights / inst.weights.sum()
    for combo in combinations_with_replacement(range(inst.N), n):
        counts = np.bincount(combo, minlength=inst.N)
        ways = math.factorial(n) / math.prod(math.factorial(int(c)) for c in counts)
        yield np.array(combo, dtype=np.int64), ways * float(np.prod(p**counts))


def _expected_gap(theorem: str, run: _Run) -> Simulation:
    """E_S[J(w_T) - J_S(w_T)] over training samples of size n, with gamma the least coverage among them."""
    inst, n = run.inst, len(run.indices)
    exact = math.comb(inst.N + n - 1, n) <= MAX_SAMPLES
    if exact:
        samples = list(every_sample(inst, n))
    else:
        rng = np.random.default_rng(run.seed)
        samples = [(sample_prompts(inst, n, rng), 1.0 / run.runs) for _ in range(run.runs)]
    eta = run.eta if run.eta is not None else min(default_eta(inst, s) for s, _ in samples)
    gaps, gammas, floor = [], [], 0.0
    for indices, probability in samples:
        weights = empirical_weights(inst, indices)
        w = gradient_ascent(inst, weights, eta * run.step_factor, run.T).last
        gaps.append((probability, objective(inst, w) - objective(inst, w, weights)))
        gammas.append(measure_parameters(inst, indices)["gamma"])
        floor = max(floor, _floor("gap", inst, w))
    mean = sum(p * g for p, g in gaps)
    stderr = 0.0 if exact or len(gaps) < 2 else float(np.std([g for _, g in gaps], ddof=1) / np.sqrt(len(gaps)))
    result = run.certify(theorem, gamma=min(gammas), T=run.T, eta=eta)
    note = "exact over every sample" if exact else f"mean over {len(samples)} drawn samples; gamma is their least"
    return Simulation(
        theorem, abs(mean), stderr, result, _measured(inst, run.indices), len(samples), True, exact, note,
        floor=floor,
    )


def _sga(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    info = theorem_info(theorem)
    algorithm = info.labels["algorithm"]
    quantity = QUANTITY[info.labels["bounds"]]
    chosen: dict[str, object] = {"T": run.T}
    if info.labels["iterate"] == "best-gradient":
        rate, factor = theorem_step(theorem, inst, indices), run.step_factor
        schedule: object = lambda t: factor * rate(t)  # noqa: E731  eta_t = 1/(2L sqrt t), from the chain
        chosen["delta"] = run.delta
    else:
        eta = run.eta if run.eta is not None else default_eta(inst, indices)
        schedule = eta * run.step_factor
        chosen["eta"] = eta
    step = sga_reinforce if algorithm == "sga-reinforce" else sga_prompt
    values, outside, floor = [], 0, 0.0
    m = _measured(inst, indices)
    for k in range(run.runs):
        path = step(inst, indices, schedule, run.T, run.seed * 1_000_003 + k)
        w = path.best_gradient if info.labels["iterate"] == "best-gradient" else path.last
        values.append(quantity(inst, indices, w))
        floor = max(floor, _floor(info.labels["bounds"], inst, w))
        if algorithm == "sga-reinforce":
            reach = np.linalg.norm(path.iterates - inst.w_star, axis=1).max()
            outside += bool(reach > 2 * m["S"] / inst.beta * (1 + ROUNDOFF))
    result = run.certify(theorem, **chosen)
    stderr = float(np.std(values, ddof=1) / np.sqrt(run.runs)) if run.runs > 1 else 0.0
    note = f"{outside} of {run.runs} runs left the assumed ball ||w_t - w*|| <= 2S/beta" if outside else ""
    # Prompt-sampling SGA on a sample of one distinct prompt draws nothing: its expectation is the one run.
    exact = algorithm == "sga-prompt" and np.unique(indices).size == 1
    return Simulation(
        theorem, float(np.mean(values)), stderr, result, m, run.runs, outside == 0, exact, note, floor=floor,
        extra={"outside": outside},
    )


def _runner(theorem: str) -> Callable[[str, _Run], Simulation]:
    labels = theorem_info(theorem).labels
    if labels["algorithm"] == "erm":
        return _erm
    if labels["algorithm"] == "ga":
        return _expected_gap if labels["holds"] == "expectation" else _ga
    return _sga


def measure(
    theorem: str,
    instance: Instance,
    indices: object,
    *,
    T: int = 100,
    eta: float | None = None,
    delta: str = "0.05",
    runs: int = 20,
    seed: int = 0,
    claimed: Mapping[str, object] | None = None,
    conditions: bool = True,
    step_factor: float = 1.0,
) -> Simulation:
    """Run ``theorem``'s algorithm on ``instance`` with the training sample ``indices`` and certify its bound.

    ``eta`` is the constant step of the sharp forms (default just inside 1/(beta B^2)); the paper forms use their
    own step. ``runs`` seeds are averaged for expectation claims. Raises ``ParameterError`` when the sample is
    not covered and the theorem needs coverage, or when a chosen value breaks a condition of the theorem.

    For negative controls, which break one assumption on purpose: ``claimed`` maps parameter names to exact values
    (strings, ints or Fractions) that replace the measured or chosen ones in the bound (a claimed ``gamma`` is
    not checked against the sample); ``conditions=False`` encloses the bound's formula without certifying the
    theorem's conditions; ``step_factor`` multiplies every step the algorithm takes, while the bound keeps the
    step the theorem states (or ``eta``).
    """
    indices = np.asarray(indices, dtype=np.int64)
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ParameterError("T", "must be an integer >= 1", T)
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ParameterError("runs", "must be an integer >= 1", runs)
    if isinstance(step_factor, bool) or not isinstance(step_factor, (int, float)) or not step_factor > 0:
        raise ParameterError("step_factor", "must be a number > 0", step_factor)
    if claimed is not None and not isinstance(claimed, Mapping):
        raise ParameterError("claimed", "must be a mapping of parameter names to exact values", claimed)
    run = _Run(instance, indices, T, eta, delta, runs, seed, claimed, bool(conditions), float(step_factor))
    return _runner(theorem)(theorem, run)


def simulate(
    theorem: str,
    *,
    seed: int = 0,
    n: int | None = None,
    N: int = 30,
    K: int = 3,
    d: int | None = None,
    beta: float = 1.0,
    T: int = 50,
    eta: float | None = None,
    delta: str = "0.05",
    runs: int = 20,
) -> Simulation:
    """:func:`measure` on one seeded random instance (features uniform in the unit ball, ||theta*|| = 1).

    Defaults: d = 3 and n = 20; for the partial-coverage theorem d = 2n(K-1) + 2, so that the sample cannot cover;
    for the expectation over samples N = 4, n = 3 and d = 2, so that every sample is covered and the expectation
    is computed exactly over all of them.
    """
    partial = theorem_info(theorem).labels["algorithm"] == "erm" and "residual" in theorem_info(theorem).parameters
    stability = theorem == "ga_last_expected_gap_le_of_stability"
    n = n if n is not None else (3 if stability else 20)
    d = d if d is not None else (2 * n * (K - 1) + 2 if partial else 2 if stability else 3)
    N = 4 if stability and N == 30 else N
    inst = random_instance(seed, N=N, K=K, d=d, beta=beta)
    indices = sample_prompts(inst, n, seed)
    return measure(theorem, inst, indices, T=T, eta=eta, delta=delta, runs=runs, seed=seed)
