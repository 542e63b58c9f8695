"""A theorem at work: run its algorithm on an instance, measure the bounded quantity exactly, certify the bound.

:func:`measure` takes an instance and a training sample (for instance a :class:`rlhfsym.testing.Case`), runs the
theorem's algorithm (its :class:`~rlhfsym.vocabulary.Algorithm`), measures what the theorem bounds (its
:class:`~rlhfsym.vocabulary.Quantity`) at the iterate it names (its :class:`~rlhfsym.vocabulary.Iterate`), and
certifies the bound (:func:`rlhfsym.bounds.bound`) at the parameters measured on the instance. :func:`simulate`
does the same on one seeded random instance (the ``rlhfsym simulate`` command). Nothing here names a theorem: each
one's declaration (:attr:`rlhfsym.bounds.TheoremInfo.declared`) says what to run and measure.

Measured parameters are float64 numbers with rounding errors, so they enter the bound as intervals that contain
them with the margin of the parameter table (:data:`rlhfsym.rules.RULES`: ``B``, ``S``: 1e-12 relative;
``gamma``: 1e-12 B^2; ``residual``: 1e-9 S/beta + 1e-12), capped by the cross rules (gamma just below the lower
end of B^2), as :func:`rlhfsym.measured.exact_parameters` enters them (the one place those rules are applied): the
certified upper value then holds for the true parameters of the instance. Parameters without a
margin (``beta``, ``n``, ``K``, ``d``) and those the simulation chose (``eta``, ``T``, ``delta``) enter as the exact
binary numbers the algorithm used. A measured quantity is also a float: ``within`` allows it a relative excess of
:data:`ROUNDOFF` over the bound, and an absolute excess ``floor`` of :data:`FLOAT_FLOOR` times the scale of the
numbers it was computed from (:attr:`rlhfsym.vocabulary.Quantity.scale`), so that an instance whose bound is 0
(S = 0) or below float resolution is not read as a violation.

Negative controls break one assumption on purpose: ``claimed`` puts a claimed value (say ``gamma = B^2`` on an
uncovered sample) in place of the measured one, ``conditions=False`` evaluates the bound's formula without
certifying its conditions (say ``eta <= 1/(beta B^2)``), and ``step_factor`` multiplies the steps the algorithm
takes (the bound keeps the step the theorem states).

How each claim is measured (its :class:`~rlhfsym.vocabulary.Holds`): one run of a deterministic algorithm on the
sample given (a claim with probability over the sample allows a failure with probability delta); the mean over
``runs`` seeds of an algorithm that draws, with its standard error (``within`` allows :data:`Z` standard errors);
an expectation over the sample -- the exact mean over every sample of size n when there are at most
:data:`MAX_SAMPLES` of them, else the mean over ``runs`` drawn samples (then ``exact`` is False).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

import numpy as np
import sympy as sp

from .bounds import BoundResult, TheoremInfo, bound, formula, theorem_info
from .errors import ParameterError
from .measured import ROUNDOFF, exact_parameters, upper_float
from .measured import ratio as _ratio
from .numerics import Instance, every_sample, measure_parameters, per_prompt_coverage, random_instance, sample_prompts
from .setting import SYMBOLS
from .vocabulary import DEFAULT_N, Quantity

__all__ = [
    "FLOAT_FLOOR",
    "ROUNDOFF",
    "Simulation",
    "Z",
    "default_eta",
    "measure",
    "simulate",
    "simulation_shape",
    "theorem_step",
]

#: Standard errors allowed to a mean over seeds (expectation claims).
Z = 4.0
#: Absolute float error allowed to a measured value, relative to the scale of the numbers it is computed from.
FLOAT_FLOOR = 1e-12
#: Exact expectation over samples when there are at most this many multisets of size n.
MAX_SAMPLES = 3000
#: The seed of run k of a simulation seeded ``seed`` is ``seed * SEED_STRIDE + k``.
SEED_STRIDE = 1_000_003
#: How the sharp forms' step is chosen when none is given: just inside their condition (:func:`default_eta`).
DEFAULT_STEP = "eta = 1/(beta B^2)"


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
        return upper_float(self.result)

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

    def to_json(self, exact: bool = False) -> dict:
        """``{"schema", "theorem", "measured", "stderr", "upper", "ratio", "within", "runs", ...}`` plus the bound's
        JSON (``exact``: with the exact ends of its enclosures). Measured values are JSON numbers (binary floats,
        written so that they read back exactly); certified values are decimal strings rounded outward."""
        from .output import SCHEMAS

        return {
            "schema": SCHEMAS["simulate"],
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
            "bound": self.result.to_json(exact),
        }


# --------------------------------------------------------------------------------------------- parameters


def _chosen_value(value: object) -> object:
    """A value the simulation chose (or a negative control claims), exactly: a ratio, an int, a string as given,
    or the binary value of a float."""
    if isinstance(value, (Fraction, int, str)):
        return value
    return Fraction(float(value))  # type: ignore[arg-type]


def _parameters(
    inst: Instance,
    indices: np.ndarray,
    wanted: tuple[str, ...],
    measured_instead: Mapping[str, float],
    chosen: Mapping[str, object],
) -> dict[str, object]:
    """The theorem's parameters: measured ones (or ``measured_instead``) entered by
    :func:`rlhfsym.measured.exact_parameters` (an interval that contains the true value when the parameter table
    gives them a margin, gamma capped below B^2, exactly otherwise); chosen ones exact."""
    m = measure_parameters(inst, indices, residual="residual" in wanted)
    values = {
        name: _chosen_value(chosen[name]) if name in chosen else measured_instead.get(name, m[name]) for name in wanted
    }
    return exact_parameters(values)


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
    measured_instead: Mapping[str, float] | None = None,
    **chosen: object,
) -> BoundResult:
    """The bound at the instance's parameters; ``claimed`` values replace measured or chosen ones, and
    ``conditions=False`` encloses the formula without certifying the theorem's conditions (negative controls)."""
    info = theorem_info(theorem)
    given = {name: value for name, value in {**chosen, **(claimed or {})}.items() if value is not None}
    values = _parameters(inst, indices, info.parameters, measured_instead or {}, given)
    return _certified(theorem, info, conditions, values)


#: The bounds certified in this process, by theorem and exact parameter values (at most CERTIFIED_KEPT of them). A
#: search meets the same values many times -- every training sample of a population when the theorem's parameters
#: are the population's, the perturbed copies of an instance -- and the bound at given exact values is a function of
#: them alone: each is certified (its conditions included) once, and every measured value is checked against it.
_CERTIFIED: dict[tuple, BoundResult] = {}
CERTIFIED_KEPT = 4096


def _certified(theorem: str, info: TheoremInfo, conditions: bool, values: Mapping[str, object]) -> BoundResult:
    """``bound(theorem, **values)`` (``formula`` when ``conditions`` is False), certified once per exact values;
    a bound that raises (a condition the values break) is not kept, so it raises again."""
    key = (theorem, id(info), conditions, tuple(sorted(values.items())))
    try:
        found = _CERTIFIED.get(key)
    except TypeError:  # a value that cannot be a key (never one of exact_parameters'): certify every time
        key, found = None, None
    if found is not None and found.info is info:
        return found
    if not conditions:
        result = formula(theorem, digits=12, **values)
    else:  # the asserted conditions a simulation checks on every run, or makes true by how it measures
        result = bound(theorem, digits=12, assume=info.declared.simulation_assumes, **values)
    if key is not None:
        if len(_CERTIFIED) >= CERTIFIED_KEPT:
            _CERTIFIED.clear()
        _CERTIFIED[key] = result
    return result


def _floor(quantity: Quantity, inst: Instance, w: np.ndarray) -> float:
    """The absolute float error allowed to the quantity measured at ``w`` (FLOAT_FLOOR times its scale)."""
    return FLOAT_FLOOR * quantity.scale(inst, w)


# --------------------------------------------------------------------------------------------- step sizes


@cache
def _step_function(theorem: str) -> Callable[..., float]:
    """The theorem's stated step size as a float function of (B, S, beta, gamma, t), compiled once (exact constants
    of the expression are printed as ratios, so no digit is lost)."""
    step = theorem_info(theorem).step
    t = sp.Symbol("t", positive=True, integer=True)
    return sp.lambdify([SYMBOLS["B"], SYMBOLS["S"], SYMBOLS["beta"], SYMBOLS["gamma"], t], step, "math")


def theorem_step(theorem: str, inst: Instance, indices: np.ndarray) -> Callable[[int], float]:
    """The step size ``t -> eta_t`` a paper form states (its constant ``eta`` = 1/L or ``eta_t`` = 1/(2L sqrt t),
    derived by the chain), at the B, S (and gamma, for a step set by the coverage) measured on the instance and
    its beta, as floats for the numerics."""
    m = measure_parameters(inst, indices)
    rate, B, S, beta, gamma = _step_function(theorem), m["B"], m["S"], inst.beta, m["gamma"]
    if SYMBOLS["gamma"] in theorem_info(theorem).step.free_symbols and not gamma > 0:
        raise ParameterError("gamma", "must be > 0: the step size is set by the coverage of the sample", gamma)
    return lambda t: float(rate(B, S, beta, gamma, t))


def default_eta(inst: Instance, indices: np.ndarray) -> float:
    """A constant step just inside the sharp forms' condition eta <= 1/(beta B^2)."""
    B = measure_parameters(inst, indices)["B"]
    return 1 / (inst.beta * B * B * (1 + 1e-9))


# --------------------------------------------------------------------------------------------- the runs


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


def _step(info: TheoremInfo, run: _Run, indices: np.ndarray) -> tuple[object, float | None]:
    """``(step taken, eta)``: the step the algorithm takes (a constant, or a schedule t -> eta_t) times the run's
    step factor, and the constant step before that factor (None for a schedule or an algorithm without steps)."""
    algorithm = info.declared.algorithm
    if not algorithm.iterative:
        return None, None
    if info.states_step:  # a paper form: the step its chain states (eta = 1/L, eta_t = 1/(2L sqrt t))
        rate, factor = theorem_step(info.name, run.inst, indices), run.step_factor
        if algorithm.schedule:
            return (lambda t: factor * rate(t)), None
        eta = rate(1)
        return eta * factor, eta
    eta = run.eta if run.eta is not None else default_eta(run.inst, indices)
    return eta * run.step_factor, eta


def _once(info: TheoremInfo, run: _Run) -> Simulation:
    """A deterministic algorithm, run once on the sample given."""
    declared, inst, indices = info.declared, run.inst, run.indices
    step, eta = _step(info, run, indices)
    w = declared.iterate.select(declared.algorithm.run(inst, indices, step, run.T, run.seed))
    value = declared.bounds.measure(inst, indices, w)
    result = run.certify(info.name, T=run.T, eta=eta, delta=run.delta)
    extra = {} if eta is None else {"eta": eta}
    return Simulation(
        info.name, value, 0.0, result, _measured(inst, indices), extra=extra, floor=_floor(declared.bounds, inst, w)
    )


def _over_seeds(info: TheoremInfo, run: _Run) -> Simulation:
    """An algorithm that draws: the mean over ``runs`` seeded runs on the sample given, with its standard error;
    runs that break the theorem's assumption on runs (``runs_within``) are counted."""
    declared, inst, indices = info.declared, run.inst, run.indices
    step, eta = _step(info, run, indices)
    ball = declared.runs_within
    values, outside, floor = [], 0, 0.0
    m = _measured(inst, indices)
    for k in range(run.runs):
        path = declared.algorithm.run(inst, indices, step, run.T, run.seed * SEED_STRIDE + k)
        w = declared.iterate.select(path)
        values.append(declared.bounds.measure(inst, indices, w))
        floor = max(floor, _floor(declared.bounds, inst, w))
        if ball is not None:
            reach = np.linalg.norm(path.iterates - inst.w_star, axis=1).max()
            outside += bool(reach > ball.radius * m["S"] / inst.beta * (1 + ROUNDOFF))
    result = run.certify(info.name, T=run.T, eta=eta, delta=run.delta)
    stderr = float(np.std(values, ddof=1) / np.sqrt(run.runs)) if run.runs > 1 else 0.0
    note = f"{outside} of {run.runs} runs left the assumed ball {ball.text}" if ball is not None and outside else ""
    exact = declared.algorithm.draws_nothing(inst, indices)
    return Simulation(
        info.name, float(np.mean(values)), stderr, result, m, run.runs, outside == 0, exact, note, floor=floor,
        extra={"outside": outside},
    )  # fmt: skip


def _over_samples(info: TheoremInfo, run: _Run) -> Simulation:
    """An expectation over the training sample: the mean over every sample of size n (or over ``runs`` drawn
    ones), each weighted by its probability, with the bound certified at the least coverage of any possible sample,
    min_x lambda_min(Sigma_0(x)) (n copies of the worst prompt are a sample): the theorem's asserted condition that
    every sample is covered at gamma then holds by construction, also when the samples are drawn."""
    declared, inst, n = info.declared, run.inst, len(run.indices)
    exact = math.comb(inst.N + n - 1, n) <= MAX_SAMPLES
    if exact:
        samples = list(every_sample(inst, n))
    else:
        rng = np.random.default_rng(run.seed)
        samples = [(sample_prompts(inst, n, rng), 1.0 / run.runs) for _ in range(run.runs)]
    values, floor, eta = [], 0.0, None
    for indices, probability in samples:
        step, eta = _step(info, run, indices)
        w = declared.iterate.select(declared.algorithm.run(inst, indices, step, run.T, run.seed))
        values.append((probability, declared.bounds.measure(inst, indices, w)))
        floor = max(floor, _floor(declared.bounds, inst, w))
    mean = sum(p * v for p, v in values)
    stderr = 0.0 if exact or len(values) < 2 else float(np.std([v for _, v in values], ddof=1) / np.sqrt(len(values)))
    # every possible sample is covered at the smallest per-prompt coverage (n copies of the worst prompt are one)
    every = per_prompt_coverage(inst)
    result = run.certify(info.name, measured_instead={"gamma": every}, T=run.T, eta=eta, delta=run.delta)
    note = ("exact over every sample" if exact else f"mean over {len(samples)} drawn samples") + (
        "; gamma is the least coverage of any sample (min over prompts)")
    return Simulation(
        info.name, declared.bounds.of_mean(mean), stderr, result, _measured(inst, run.indices), len(samples), True,
        exact, note, floor=floor,
    )  # fmt: skip


def _measurement(info: TheoremInfo) -> Callable[[TheoremInfo, _Run], Simulation]:
    """How the theorem's claim is measured: over the samples, over seeds, or once."""
    if info.declared.holds.over_sample:
        return _over_samples
    return _over_seeds if info.declared.algorithm.stochastic else _once


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
    info = theorem_info(theorem)
    run = _Run(instance, indices, T, eta, delta, runs, seed, claimed, bool(conditions), float(step_factor))
    return _measurement(info)(info, run)


def simulation_shape(theorem: str, *, n: int | None, N: int, K: int, d: int | None) -> dict[str, int]:
    """The N, K, d, n a simulation of ``theorem`` uses: those given, else the defaults its declaration states
    (:class:`rlhfsym.vocabulary.Shape`: d = 3 and n = 20 unless the theorem says otherwise)."""
    return theorem_info(theorem).declared.shape.resolve(n=n, N=N, K=K, d=d)


def simulate(
    theorem: str,
    *,
    seed: int = 0,
    n: int | None = None,
    N: int = DEFAULT_N,
    K: int = 3,
    d: int | None = None,
    beta: float = 1.0,
    T: int = 50,
    eta: float | None = None,
    delta: str = "0.05",
    runs: int = 20,
) -> Simulation:
    """:func:`measure` on one seeded random instance (features uniform in the unit ball, ||theta*|| = 1).

    Defaults: d = 3 and n = 20, unless the theorem's declared :class:`~rlhfsym.vocabulary.Shape` says otherwise
    (the partial-coverage theorem: d = 2n(K-1) + 2, so that the sample cannot cover; the expectation over samples:
    N = 4, n = 3 and d = 2, so that every sample is covered and the expectation is computed exactly over all of
    them).
    """
    shape = simulation_shape(theorem, n=n, N=N, K=K, d=d)
    inst = random_instance(seed, N=shape["N"], K=K, d=shape["d"], beta=beta)
    indices = sample_prompts(inst, shape["n"], seed)
    return measure(theorem, inst, indices, T=T, eta=eta, delta=delta, runs=runs, seed=seed)
