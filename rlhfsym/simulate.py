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
quantity is also a float: ``within`` allows it a relative excess of :data:`ROUNDOFF` over the bound.

How each claim is measured: ``deterministic`` -- the one run; ``probability`` (over the training sample) -- the
one sample given (the claim allows a failure with probability delta); ``expectation`` over the algorithm -- the
mean over ``runs`` seeds, with its standard error (``within`` allows :data:`Z` standard errors); expectation over
the sample (``ga_last_expected_gap_le_of_stability``) -- the exact mean over every sample of size n when there are
at most :data:`MAX_SAMPLES` of them, else the mean over ``runs`` drawn samples (then ``exact`` is False).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations_with_replacement

import numpy as np

from .bounds import BoundResult, bound, theorem_info
from .errors import ParameterError
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

__all__ = ["ROUNDOFF", "Simulation", "Z", "default_eta", "measure", "simulate"]

#: A measured float may exceed its bound by this relative amount (float64 round-off of J, J_S and norms).
ROUNDOFF = 1e-9
#: Standard errors allowed to a mean over seeds (expectation claims).
Z = 4.0
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
    this run (REINFORCE's ball), ``exact`` False when an expectation is estimated rather than computed.
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

    @property
    def upper(self) -> float:
        """The certified upper value (rounded up), as a float rounded up once more."""
        return float(np.nextafter(float(Fraction(self.result.upper)), np.inf))

    @property
    def ratio(self) -> float:
        """measured / bound: how close the instance comes to the bound (1 would be tight)."""
        return self.value / self.upper if self.upper > 0 else math.inf

    @property
    def within(self) -> bool:
        """Is the measured value at most the bound (allowing round-off, and Z standard errors for a mean)?"""
        return self.value - Z * self.stderr <= self.upper * (1 + ROUNDOFF) + 1e-300

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


# --------------------------------------------------------------------------------------------- parameters


def _exact(x: float) -> str:
    """The exact binary value of a float, written as a ratio (what the algorithm really used)."""
    f = Fraction(x)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _around(x: float, margin: float, floor: float = 0.0) -> str:
    """An interval ``[x - margin, x + margin]`` (lower end kept above ``floor``) written exactly."""
    lo, hi = Fraction(x) - Fraction(margin), Fraction(x) + Fraction(margin)
    lo = max(lo, Fraction(floor))
    return f"[{lo.numerator}/{lo.denominator},{hi.numerator}/{hi.denominator}]"


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
    if "gamma" in wanted:
        gamma = chosen.pop("gamma", m["gamma"])
        margin = COVERAGE_MARGIN * B * B
        if gamma <= margin:
            raise ParameterError("gamma", f"the sample is not covered: measured gamma = {gamma:.3g} <= {margin:.3g}")
        values["gamma"] = _around(gamma, margin)
    if "residual" in wanted:
        r = uncovered_residual(inst, indices)
        values["residual"] = _around(r, RESIDUAL_MARGIN * (S / inst.beta) + 1e-12)
    for name, value in chosen.items():
        values[name] = value if isinstance(value, (int, str)) else _exact(float(value))
    return {name: values[name] for name in wanted}


def _measured(inst: Instance, indices: np.ndarray) -> dict[str, float]:
    """The parameters measured on the instance and the sample, and the number N of prompts."""
    return {**measure_parameters(inst, indices), "N": inst.N}


def _certify(theorem: str, inst: Instance, indices: np.ndarray, **chosen: object) -> BoundResult:
    wanted = theorem_info(theorem).parameters
    return bound(theorem, digits=12, **_parameters(inst, indices, wanted, **chosen))


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


def _smoothness(inst: Instance, indices: np.ndarray, radius: int) -> float:
    """L at ||w|| <= radius S/beta: 2 B^3 (S + radius S) + beta B^2 (hess_quad_abs_le_of_norm_le)."""
    m = measure_parameters(inst, indices)
    B, S = m["B"], m["S"]
    return 2 * B**3 * (S + radius * S) + inst.beta * B**2


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


def _erm(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    if theorem == "erm_min_norm_gap_le_of_partial_coverage":
        basis = covered_subspace(inst, indices)
        w = basis @ (basis.T @ inst.w_star)  # the minimum-norm empirical maximiser P_U w*
    else:
        w = inst.w_star  # under coverage the empirical maximiser is w*
    result = _certify(theorem, inst, indices, delta=run.delta)
    return Simulation(theorem, _gap(inst, indices, w), 0.0, result, _measured(inst, indices))


def _ga(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    info = theorem_info(theorem)
    weights = empirical_weights(inst, indices)
    if info.labels["iterate"] == "best-gradient":
        eta = 1 / _smoothness(inst, indices, 2)  # the paper form's eta = 1/L, L = 6 B^3 S + beta B^2
        path = gradient_ascent(inst, weights, eta, run.T)
        w = path.best_gradient
        chosen: dict[str, object] = {"T": run.T, "delta": run.delta}
    else:
        eta = run.eta if run.eta is not None else default_eta(inst, indices)
        w = gradient_ascent(inst, weights, eta, run.T).last
        chosen = {"T": run.T, "eta": eta}
        if "delta" in info.parameters:
            chosen["delta"] = run.delta
    value = QUANTITY[info.labels["bounds"]](inst, indices, w)
    result = _certify(theorem, inst, indices, **chosen)
    return Simulation(theorem, value, 0.0, result, _measured(inst, indices), extra={"eta": eta})


def _all_samples(inst: Instance, n: int) -> Iterator[tuple[np.ndarray, float]]:
    """Every multiset of n prompts with its probability under i.i.d. draws from the prompt weights."""
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
        samples = list(_all_samples(inst, n))
    else:
        rng = np.random.default_rng(run.seed)
        samples = [(sample_prompts(inst, n, rng), 1.0 / run.runs) for _ in range(run.runs)]
    eta = run.eta if run.eta is not None else min(default_eta(inst, s) for s, _ in samples)
    gaps, gammas = [], []
    for indices, probability in samples:
        weights = empirical_weights(inst, indices)
        w = gradient_ascent(inst, weights, eta, run.T).last
        gaps.append((probability, objective(inst, w) - objective(inst, w, weights)))
        gammas.append(measure_parameters(inst, indices)["gamma"])
    mean = sum(p * g for p, g in gaps)
    stderr = 0.0 if exact else float(np.std([g for _, g in gaps], ddof=1) / np.sqrt(len(gaps)))
    result = _certify(theorem, inst, run.indices, gamma=min(gammas), T=run.T, eta=eta)
    note = "exact over every sample" if exact else f"mean over {len(samples)} drawn samples; gamma is their least"
    return Simulation(
        theorem, abs(mean), stderr, result, _measured(inst, run.indices), len(samples), True, exact, note
    )


def _sga(theorem: str, run: _Run) -> Simulation:
    inst, indices = run.inst, run.indices
    info = theorem_info(theorem)
    algorithm = info.labels["algorithm"]
    quantity = QUANTITY[info.labels["bounds"]]
    chosen: dict[str, object] = {"T": run.T}
    if info.labels["iterate"] == "best-gradient":
        radius = 3 if algorithm == "sga-reinforce" else 2
        L = _smoothness(inst, indices, radius)
        schedule: object = lambda t: 1 / (2 * L * np.sqrt(t))  # noqa: E731
        chosen["delta"] = run.delta
    else:
        schedule = run.eta if run.eta is not None else default_eta(inst, indices)
        chosen["eta"] = schedule
    step = sga_reinforce if algorithm == "sga-reinforce" else sga_prompt
    values, outside = [], 0
    m = _measured(inst, indices)
    for k in range(run.runs):
        path = step(inst, indices, schedule, run.T, run.seed * 1_000_003 + k)
        w = path.best_gradient if info.labels["iterate"] == "best-gradient" else path.last
        values.append(quantity(inst, indices, w))
        if algorithm == "sga-reinforce":
            reach = np.linalg.norm(path.iterates - inst.w_star, axis=1).max()
            outside += bool(reach > 2 * m["S"] / inst.beta * (1 + ROUNDOFF))
    result = _certify(theorem, inst, indices, **chosen)
    stderr = float(np.std(values, ddof=1) / np.sqrt(run.runs)) if run.runs > 1 else 0.0
    note = f"{outside} of {run.runs} runs left the assumed ball ||w_t - w*|| <= 2S/beta" if outside else ""
    return Simulation(theorem, float(np.mean(values)), stderr, result, m, run.runs, outside == 0, True, note)


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
) -> Simulation:
    """Run ``theorem``'s algorithm on ``instance`` with the training sample ``indices`` and certify its bound.

    ``eta`` is the constant step of the sharp forms (default just inside 1/(beta B^2)); the paper forms use their
    own step. ``runs`` seeds are averaged for expectation claims. Raises ``ParameterError`` when the sample is
    not covered and the theorem needs coverage, or when a chosen value breaks a condition of the theorem.
    """
    indices = np.asarray(indices, dtype=np.int64)
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ParameterError("T", "must be an integer >= 1", T)
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ParameterError("runs", "must be an integer >= 1", runs)
    run = _Run(instance, indices, T, eta, delta, runs, seed)
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
