"""The search for worst cases: hypothesis draws simulated instances of a theorem, targeting measured / bound.

:func:`search` runs one theorem's declared search plan (:class:`rlhfsym.vocabulary.Plan`: the families of instances,
the steps, the seeds, the perturbed copies, the pinned instances) and returns a :class:`Tally`. The property suite
(``tests/property``), the negative controls (each theorem's declared :class:`~rlhfsym.vocabulary.Control`), the
tightness report (:mod:`rlhfsym.report`) and the mutation check (``benchmarks/mutation.py``) run it with their own
budgets. Nothing here names a theorem: how a claim is judged is read off its :class:`~rlhfsym.vocabulary.Holds`.

How each kind of claim is checked on one drawn instance (and on its perturbed copies, :func:`rlhfsym.testing.perturb`):

* **deterministic**: the claim holds for every training sample, so hypothesis draws the sample too; the measured
  value (net of float round-off, :data:`rlhfsym.simulate.FLOAT_FLOOR`) must be at most the certified bound on every
  instance.
* **exact expectation over the sample** (``over_sample``): the mean over every sample of size n, exactly (every
  sample must be covered), checked as a deterministic claim.
* **probability over the sample** (``per_sample``, confidence delta): every training sample of size n is
  enumerated with its probability under i.i.d. draws from the prompt weights, and the claim fails on the instance
  when the samples whose gap exceeds the bound weigh more than delta. The ratio is the (1 - delta)-quantile of
  measured / bound over the samples: it exceeds 1 exactly when the claim fails. A sample that is not covered
  counts as one where the claim holds (its bound is vacuous). Because hypothesis chooses instances adversarially,
  violations are counted only on one further sample per instance drawn by a generator that hypothesis does not
  control: their number is compared with delta by a one-sided binomial test at level :data:`LEVEL`.
* **expectation over the algorithm** (``over_algorithm``): the mean over ``runs`` seeds minus
  :data:`~rlhfsym.simulate.Z` = 4 standard errors must be at most the bound; such exceedances are counted and
  compared by a binomial test with the chance :func:`~rlhfsym.statistics.t_tail` that a mean of normal values
  exceeds its expectation by 4 standard errors. When the run draws nothing (prompt-sampling SGA on one distinct
  prompt) the one run is the expectation, checked as a deterministic claim; when every seed drew the same path, the
  spread is unknown and the mean is measured again with :data:`RERUN` times the seeds. A claim in expectation over
  the algorithm *and* with probability 1 - delta over the sample (the SGA paper forms) is enumerated as a
  probability claim, a sample failing when its mean exceeds the bound by 4 standard errors, with allowance
  delta + t_tail.

A theorem with an asserted condition on its runs (REINFORCE: the iterates stay in ||w_t - w*|| <= 2S/beta) claims
nothing where the condition breaks: a sample on which any run leaves the ball breaks it, and is counted
(:attr:`Tally.broken`, with the runs that left in :attr:`Tally.outside`), never checked and never dropped run by
run (which would measure a conditional expectation the theorem does not state). Searches target the ratio
(``hypothesis.target``), so they climb towards the bound: one search per family of instances (the corner families,
built near the bounds' equality cases, get a double share). hypothesis is a test-time dependency, imported when a
search runs.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from .bounds import theorem_info
from .errors import ParameterError, RlhfsymError
from .numerics import Instance, every_sample, sample_prompts
from .simulate import ROUNDOFF, Simulation, Z, default_eta, measure
from .statistics import binomial_tail, t_tail
from .vocabulary import FAMILIES, Draw, Family, Holds, Pinned
from .vocabulary.exercise import PerSample

__all__ = [
    "DELTAS",
    "LEVEL",
    "BoundViolationError",
    "Outcome",
    "Tally",
    "case_from_json",
    "case_to_json",
    "plan_of",
    "recheck",
    "require_hypothesis",
    "search",
]

#: Level of the one-sided binomial tests on counted violations.
LEVEL = 1e-3
#: Confidences drawn for the probability claims (the binomial test runs per value, at LEVEL / len(DELTAS)).
DELTAS = ("0.01", "0.05", "0.2", "0.5")
#: A mean over seeds that is inconclusive (every seed drew the same path, or it is near the bound) is measured again
#: with this many times the seeds; "near" is a checked ratio above SUSPICIOUS.
RERUN = 16
SUSPICIOUS = 0.9
#: Seed of the generator of the independent samples (mixed with the theorem's name and the search's seed).
_INDEPENDENT = 20_260_116
_INSTALL = "rlhfsym report --tightness needs hypothesis, a test-time dependency: pip install 'rlhfsym[test]'"


class BoundViolationError(AssertionError):
    """A measured value above its certified bound (a deterministic claim), or a probability claim whose failing
    samples weigh more than delta. ``outcome`` holds the instance, the parameters, the measured value and the bound."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        super().__init__(outcome.text())


@dataclass(frozen=True)
class _Target:
    """A theorem under search: its name, how its claim holds, whether the user chooses its step (sharp forms), and
    its declared plan's families, steps, seeds, perturbed copies and pinned instances."""

    theorem: str
    holds: Holds
    uses_eta: bool
    families: tuple[Family, ...]
    T: tuple[int, int]
    runs: int
    perturbations: int
    examples: int
    pinned: tuple[Pinned, ...]

    @property
    def allowance(self) -> float:
        """The chance that a true claim still reads as failing on one check: t_tail for a 4-standard-error test."""
        return t_tail(Z, self.runs - 1) if self.holds.over_algorithm else 0.0


def plan_of(theorem: str) -> Any:
    """The search plan ``theorem`` declares (:class:`rlhfsym.vocabulary.Plan`)."""
    return theorem_info(theorem).declared.plan


def _target(theorem: str) -> _Target:
    info = theorem_info(theorem)
    plan = info.declared.plan
    return _Target(theorem, info.declared.holds, "eta" in info.parameters, plan.families, plan.T, plan.runs,
                   plan.perturbations, plan.examples, plan.pinned)


def require_hypothesis() -> Any:
    """The hypothesis module, or an error that names the test extra (a search needs it)."""
    try:
        import hypothesis
    except ImportError as missing:  # pragma: no cover - exercised without the test extra
        raise RlhfsymError(_INSTALL) from missing
    return hypothesis


def _draws(plan: _Target, families: Sequence[Family], perturbations: int) -> Any:
    from hypothesis import strategies as st

    cases = st.one_of(*[family.strategy() for family in families])
    return st.builds(
        Draw,
        case=cases,
        T=st.integers(*plan.T),
        eta_factor=st.one_of(st.just(1.0), st.floats(0.01, 1.0)),
        delta=st.sampled_from(DELTAS),
        seeds=st.lists(st.integers(0, 2**32 - 1), min_size=perturbations, max_size=perturbations).map(tuple),
        scale=st.one_of(st.just(1e-3), st.floats(1e-6, 1e-2)),
    )


# ============================================================================================ one check


@dataclass
class Outcome:
    """What one instance gave: the ratio checked (for a probability claim, the (1 - delta)-quantile over samples),
    the measured value and bound there, whether the claim fails, and a JSON description of the instance."""

    theorem: str
    holds: Holds
    ratio: float
    measured: float
    upper: float
    violated: bool
    instance: dict
    mass: float = 0.0
    simulation: Simulation | None = field(default=None, repr=False)

    @property
    def claim(self) -> str:
        """How the claim holds (the name of its :class:`~rlhfsym.vocabulary.Holds`)."""
        return self.holds.name

    def text(self) -> str:
        """One paragraph for a failing test: the theorem, the claim, measured value, bound and the instance."""
        shown = {k: v for k, v in self.instance.items() if not isinstance(v, list)}
        where = f"; failing samples weigh {self.mass:.4g} > delta" if self.holds.per_sample else ""
        return (f"{self.theorem} ({self.claim}): measured {self.measured!r} > bound {self.upper!r} "
                f"(ratio {self.ratio:.6g}{where}) on {shown}; instance: {self.instance}")


@dataclass
class Tally:
    """Everything a search measured: instances drawn (``examples``), with their perturbed copies (``populations``),
    instances and samples measured against a bound (``checks``) or not (``skipped``: not covered, a condition the
    intervals cannot certify), violations, counted exceedances per test, the runs of stochastic ascent made
    (``runs``) and those that left REINFORCE's ball (``outside``), the samples on which the theorem's asserted
    condition broke (``broken``: a run left the ball; not checked), and the worst outcome."""

    theorem: str
    holds: Holds
    examples: int = 0
    populations: int = 0
    checks: int = 0
    skipped: int = 0
    runs: int = 0
    outside: int = 0
    broken: int = 0
    violations: list[Outcome] = field(default_factory=list)
    counted: dict[str, list[int]] = field(default_factory=dict)
    worst: Outcome | None = None

    @property
    def claim(self) -> str:
        """How the claim holds (the name of its :class:`~rlhfsym.vocabulary.Holds`)."""
        return self.holds.name

    def count(self, key: str, failed: bool) -> None:
        row = self.counted.setdefault(key, [0, 0])
        row[0] += int(failed)
        row[1] += 1

    def note(self, outcome: Outcome) -> None:
        if self.worst is None or outcome.ratio > self.worst.ratio:
            self.worst = outcome
        if outcome.violated:
            self.violations.append(outcome)

    def tests(self) -> list[dict]:
        """The binomial tests: ``{"what", "failures", "trials", "allowed", "p_value", "rejected"}`` per count."""
        rows = []
        for key, (failures, trials) in sorted(self.counted.items()):
            allowed = _allowed(key)
            p_value = binomial_tail(failures, trials, allowed)
            rows.append({"what": key, "failures": failures, "trials": trials, "allowed": allowed,
                         "p_value": p_value, "rejected": p_value < LEVEL / max(len(self.counted), 1)})
        return rows

    @property
    def caught(self) -> bool:
        """Did the search find a violation (an instance, or a count that the binomial test rejects)?"""
        return bool(self.violations) or any(row["rejected"] for row in self.tests())

    def failures(self) -> list[str]:
        """Readable reasons the claim failed (empty when it held)."""
        reasons = [v.text() for v in self.violations[:3]]
        reasons += [f"{row['failures']} of {row['trials']} {row['what']}: binomial p = {row['p_value']:.3g}"
                    for row in self.tests() if row["rejected"]]
        return reasons

    def summary(self) -> dict:
        """A JSON-ready summary (the property suite prints it)."""
        return {
            "theorem": self.theorem, "claim": self.claim, "examples": self.examples,
            "populations": self.populations, "checks": self.checks, "skipped": self.skipped,
            "runs": self.runs, "outside": self.outside, "broken": self.broken, "violations": len(self.violations),
            "worst_ratio": None if self.worst is None else self.worst.ratio, "tests": self.tests(),
        }


def _allowed(key: str) -> float:
    """The chance of one counted failure under the claim, written in its key: ``"... (p=0.05)"``."""
    return float(key.rsplit("p=", 1)[1].rstrip(")"))


@dataclass(frozen=True)
class _Options:
    """What a search changes from the plain check: a replaced bound expression (mutations), and the broken
    assumption of a negative control (claimed values, conditions off, a factor on the steps, the eta factor;
    claimed values and the eta factor may be functions of the instance and the training sample)."""

    expression: sp.Expr | None = None
    claimed: Mapping[str, object] | PerSample | None = None
    conditions: bool = True
    step_factor: float = 1.0
    eta_factor: float | PerSample | None = None
    raise_violations: bool = True

    @property
    def broken(self) -> bool:
        """Does the search break an assumption on purpose (a negative control)?"""
        return bool(self.claimed) or not self.conditions or self.step_factor != 1.0 or self.eta_factor is not None


def _upper(sim: Simulation, expression: sp.Expr | None) -> float:
    if expression is None:
        return sim.upper
    upper = sim.result.enclose(expression).upper
    try:
        return float(np.nextafter(float(upper), np.inf))
    except OverflowError:
        return math.inf


def _checked(sim: Simulation, upper: float) -> float:
    """(measured - Z stderr - float floor) / bound, as ``Simulation.checked_ratio`` but against ``upper``."""
    net = max(sim.value - Z * sim.stderr - sim.floor, 0.0)
    if upper > 0:
        return net / upper
    return 0.0 if net == 0 else math.inf


def _inconclusive(sim: Simulation, upper: float) -> bool:
    """Should a mean over a few seeds be measured again with RERUN times the seeds before it is judged?

    When every seed drew the same path (few prompts, small T) the spread is unknown, not zero (a standard error at
    float resolution); and near the bound (checked ratio above :data:`SUSPICIOUS`) a 4-standard-error test on a
    handful of seeds would fail about t_tail(4, runs - 1) of the time even where the expectation is within it.
    The second stage is judged alone (its false-alarm chance, t_tail(4, 16 runs - 1), is smaller)."""
    degenerate = Z * sim.stderr <= max(sim.floor, 1e-9 * abs(sim.value))
    return degenerate or _checked(sim, upper) > SUSPICIOUS


def _measure(plan: _Target, draw: Draw, inst: Instance, indices: np.ndarray, options: _Options,
             tally: Tally) -> Simulation | None:
    """One end-to-end check, or None when the theorem does not apply (sample not covered, a condition that the
    interval parameters cannot certify, or a REINFORCE run outside its ball)."""
    eta = None
    claimed = options.claimed(inst, indices) if callable(options.claimed) else options.claimed
    try:
        if plan.uses_eta:
            factor = draw.eta_factor if options.eta_factor is None else options.eta_factor
            eta = (factor(inst, indices) if callable(factor) else factor) * default_eta(inst, indices)
        # A broken assumption (negative controls) may send the iterates to overflow: that is expected there.
        with np.errstate(over="ignore" if options.broken else "warn", invalid="ignore" if options.broken else "warn"):
            sim = measure(plan.theorem, inst, indices, T=draw.T, eta=eta, delta=draw.delta, runs=plan.runs,
                          seed=0, claimed=claimed, conditions=options.conditions, step_factor=options.step_factor)
            if plan.runs > 1 and not sim.exact and _inconclusive(sim, _upper(sim, options.expression)):
                sim = measure(plan.theorem, inst, indices, T=draw.T, eta=eta, delta=draw.delta,
                              runs=plan.runs * RERUN, seed=0, claimed=claimed, conditions=options.conditions,
                              step_factor=options.step_factor)
    except (RlhfsymError, OverflowError, ZeroDivisionError):
        tally.skipped += 1
        return None
    tally.runs += sim.runs if "outside" in sim.extra else 0
    if not sim.applicable:  # the asserted condition broke on this sample: the theorem claims nothing here
        tally.outside += int(sim.extra.get("outside", 1))
        tally.broken += 1
        return None
    tally.checks += 1
    return sim


def _check_one(plan: _Target, draw: Draw, case: Any, options: _Options, tally: Tally, rng: np.random.Generator,
               label: int) -> Outcome | None:
    inst, indices = case.instance, case.indices
    tally.populations += 1
    if plan.holds.per_sample:
        return _check_samples(plan, draw, case, options, tally, rng, label)
    sim = _measure(plan, draw, inst, indices, options, tally)
    if sim is None:
        return None
    upper = _upper(sim, options.expression)
    ratio = _checked(sim, upper)
    violated = ratio > 1 + ROUNDOFF
    if plan.holds.over_algorithm and not sim.exact:
        tally.count(f"means above the bound by {Z:g} standard errors (p={plan.allowance:.6g})", violated)
        violated = False  # a statistical exceedance: judged by the binomial test, not one by one
    return Outcome(plan.theorem, plan.holds, ratio, sim.value, upper, violated,
                   case_to_json(case, draw, population=label), simulation=sim)


def _check_samples(plan: _Target, draw: Draw, case: Any, options: _Options, tally: Tally, rng: np.random.Generator,
                   label: int) -> Outcome:
    """A probability claim on one instance: every sample of size n (the (1 - delta)-quantile ratio and the mass of
    the failing samples), then one independent sample, counted for the binomial test."""
    inst, n = case.instance, case.n
    delta = float(Fraction(draw.delta))
    allowed = delta + plan.allowance
    rows: list[tuple[float, float, Simulation | None, np.ndarray]] = []
    for indices, probability in every_sample(inst, n):
        sim = _measure(plan, draw, inst, indices, options, tally)
        ratio = 0.0 if sim is None else _checked(sim, _upper(sim, options.expression))
        rows.append((ratio, probability, sim, indices))
    rows.sort(key=lambda row: -row[0])
    total = sum(row[1] for row in rows)
    mass = sum(row[1] for row in rows if row[0] > 1 + ROUNDOFF) / total
    tail, at = 0.0, rows[-1]
    for row in rows:  # the (1 - allowed)-quantile: the largest ratio whose upper tail weighs more than allowed
        tail += row[1] / total
        if tail > allowed:
            at = row
            break
    fresh = sample_prompts(inst, n, rng)
    sim = _measure(plan, draw, inst, fresh, options, tally)
    failed = sim is not None and _checked(sim, _upper(sim, options.expression)) > 1 + ROUNDOFF
    tally.count(f"independent samples above the bound (p={allowed:.6g})", failed)
    ratio, _, worst, indices = at
    measured = math.nan if worst is None else worst.value
    upper = math.nan if worst is None else _upper(worst, options.expression)
    described = replace(case, indices=indices) if worst is not None else case
    return Outcome(plan.theorem, plan.holds, ratio, measured, upper, mass > allowed,
                   case_to_json(described, draw, population=label), mass=mass, simulation=worst)


def _check_draw(plan: _Target, draw: Draw, options: _Options, tally: Tally, rng: np.random.Generator) -> float:
    """Check the drawn case and its perturbed copies; returns the largest ratio (the search's target)."""
    from .testing import perturb

    tally.examples += 1
    cases = [draw.case] + [perturb(draw.case, seed, scale=draw.scale) for seed in draw.seeds]
    best = 0.0
    for label, case in enumerate(cases):
        outcome = _check_one(plan, draw, case, options, tally, rng, label)
        if outcome is None:
            continue
        tally.note(outcome)
        best = max(best, outcome.ratio if math.isfinite(outcome.ratio) else 1e300)
        if outcome.violated and options.raise_violations:
            raise BoundViolationError(outcome)
    return best


# ============================================================================================ the search


def _stable(*parts: object) -> int:
    return zlib.crc32(" ".join(map(str, parts)).encode())


def search(
    theorem: str,
    *,
    examples: int | None = None,
    seed: int | None = None,
    derandomize: bool = False,
    families: Sequence[Family | str] | None = None,
    perturbations: int | None = None,
    expression: sp.Expr | None = None,
    claimed: Mapping[str, object] | PerSample | None = None,
    conditions: bool = True,
    step_factor: float = 1.0,
    eta_factor: float | PerSample | None = None,
    stop: bool = False,
    propagate: bool = False,
    shrink: bool = False,
    examples_pinned: Sequence[Draw] | None = None,
) -> Tally:
    """Search instances of ``theorem`` (its declared :class:`~rlhfsym.vocabulary.Plan`) with hypothesis, targeting
    measured / bound.

    ``examples`` (default: the plan's), ``seed`` (None: derandomised when ``derandomize``, else random),
    ``families`` (:class:`~rlhfsym.vocabulary.Family` objects or their names) and ``perturbations`` override the
    plan. ``expression`` replaces the theorem's bound (its
    conditions still certified): the mutation check. ``claimed``, ``conditions``, ``step_factor`` and
    ``eta_factor`` break one assumption (negative controls; see :func:`rlhfsym.simulate.measure`). ``stop``: end
    at the first violation; ``propagate``: let it fail the calling test (hypothesis then shrinks it when ``shrink``);
    ``examples_pinned`` are checked first (default: the plan's pinned instances, as hypothesis ``@example``
    would; they count as examples). Returns the :class:`Tally`.
    """
    hypothesis = require_hypothesis()
    from hypothesis import HealthCheck, Phase, given, target
    from hypothesis import settings as hsettings

    plan = _target(theorem)
    count = plan.examples if examples is None else examples
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ParameterError("examples", "must be an integer >= 1", examples)
    tally = Tally(theorem, plan.holds)
    options = _Options(expression, claimed, conditions, step_factor, eta_factor, raise_violations=stop or propagate)
    rng = np.random.default_rng(_stable(_INDEPENDENT, theorem, seed))
    copies = plan.perturbations if perturbations is None else perturbations

    def check(draw: Draw) -> None:
        target(_check_draw(plan, draw, options, tally, rng), label=f"{theorem} measured/bound")

    pinned = [p.draw() for p in plan.pinned] if examples_pinned is None else examples_pinned
    try:
        for draw in pinned:
            _check_draw(plan, draw, options, tally, rng)
    except BoundViolationError:
        if propagate:
            raise
        return tally
    phases = [Phase.generate, Phase.target] + ([Phase.shrink] if shrink else [])
    chosen = tuple(FAMILIES[f] if isinstance(f, str) else f for f in families) if families else plan.families
    # One search per family, each with its share of the examples: a targeted search climbs within one family far
    # better than across a mixture (the corners reach ratios near 1 that a mixture of families misses). The corner
    # families get a double share (their declared weight).
    weights = [family.weight for family in chosen]
    for family, weight in zip(chosen, weights, strict=True):
        share = max(1, round(count * weight / sum(weights)))
        run = hsettings(max_examples=share, deadline=None, database=None, phases=phases,
                        derandomize=derandomize and seed is None, suppress_health_check=list(HealthCheck),
                        print_blob=False)(given(_draws(plan, (family,), copies))(check))
        if seed is not None:
            run = hypothesis.seed(_stable(seed, theorem, family.name))(run)
        try:
            run()
        except BoundViolationError:
            if propagate:
                raise
            return tally
    return tally


def recheck(theorem: str, draw: Draw, population: int = 0) -> Outcome | None:
    """One draw checked again as the search checked it, without a search (no perturbed copies, independent samples
    from a fixed generator): its :class:`Outcome`, or None when the theorem does not apply to it."""
    plan = _target(theorem)
    tally = Tally(theorem, plan.holds)
    return _check_one(plan, draw, draw.case, _Options(raise_violations=False), tally, np.random.default_rng(0),
                      population)


# ============================================================================================ cases as JSON


def case_to_json(case: Any, draw: Draw | None = None, *, population: int = 0) -> dict:
    """A JSON description that rebuilds the case exactly (:func:`case_from_json`): its measured parameters, the
    run's parameters (T, eta factor, delta, runs), and every array as lists of floats (repr round-trips)."""
    inst = case.instance
    p = case.parameters()
    row: dict[str, Any] = {
        "N": inst.N, "K": inst.K, "d": inst.d, "n": case.n, "beta": inst.beta, "B": p["B"], "S": p["S"],
        "gamma": p["gamma"], "coverage": case.coverage, "ref": case.ref, "population": population,
    }
    if draw is not None:
        row.update({"T": draw.T, "eta_factor": draw.eta_factor, "delta": draw.delta})
    row.update({
        "features": inst.features.tolist(), "weights": inst.weights.tolist(), "theta": inst.theta.tolist(),
        "pi_ref": inst.pi_ref.tolist(), "indices": case.indices.tolist(),
    })
    return row


def case_from_json(row: Mapping[str, Any]) -> Any:
    """The :class:`rlhfsym.testing.Case` that :func:`case_to_json` described."""
    from .testing import Case

    inst = Instance(np.array(row["features"]), np.array(row["weights"]), np.array(row["theta"]),
                    np.array(row["pi_ref"]), float(row["beta"]))
    indices = np.array(row["indices"], dtype=np.int64)
    return Case(inst, indices, row.get("coverage", "generic"), row.get("ref", "random"))
