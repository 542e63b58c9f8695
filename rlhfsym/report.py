"""Worst cases of the theorems: hypothesis searches simulated instances for the largest measured / bound.

Main statements
---------------
* :func:`tightness` -- for each theorem, the worst ratio measured / certified bound that a targeted hypothesis search
  finds, and the instance that reached it (``rlhfsym report --tightness``). A ratio above 1 is a violation.
* :func:`search` -- the search itself: the property suite (``tests/property``), the negative controls and the
  mutation check (``benchmarks/mutation.py``) run it with their own budgets; it returns a :class:`Tally`.
* :data:`PLANS` -- one :class:`Plan` per theorem: the instances drawn, the parameters, and how the claim is checked.

How each kind of claim is checked on one drawn instance (and on its perturbed copies, :func:`rlhfsym.testing.perturb`):

* **deterministic** (``ga_last_dist``, ``ga_last_excess``): the claim holds for every training sample, so hypothesis
  draws the sample too; the measured value (net of float round-off, :data:`rlhfsym.simulate.FLOAT_FLOOR`) must be at
  most the certified bound on every instance.
* **exact expectation over the sample** (``ga_last_expected_gap``): the mean over every sample of size n, exactly
  (every sample must be covered), checked as a deterministic claim.
* **probability over the sample** (the gap bounds, confidence delta): every training sample of size n is
  enumerated with its probability under i.i.d. draws from the prompt weights, and the claim fails on the instance
  when the samples whose gap exceeds the bound weigh more than delta. The ratio is the (1 - delta)-quantile of
  measured / bound over the samples: it exceeds 1 exactly when the claim fails. A sample that is not covered
  counts as one where the claim holds (its bound is vacuous). Because hypothesis chooses instances adversarially,
  violations are counted only on one further sample per instance drawn by a generator that hypothesis does not
  control: their number is compared with delta by a one-sided binomial test at level :data:`LEVEL`.
* **expectation over the algorithm** (the SGA last-iterate bounds): the mean over ``runs`` seeds minus
  :data:`~rlhfsym.simulate.Z` = 4 standard errors must be at most the bound; such exceedances are counted and
  compared by a binomial test with the chance :func:`t_tail` that a mean of normal values exceeds its expectation
  by 4 standard errors. When the algorithm draws nothing (prompt-sampling SGA on one distinct prompt) the one run
  is the expectation, checked as a deterministic claim; when every seed drew the same path, the spread is unknown
  and the mean is measured again with :data:`RERUN` times the seeds. The SGA paper forms hold in expectation over
  the algorithm *and* with probability 1 - delta over the sample: they are enumerated as probability claims, a
  sample failing when its mean exceeds the bound by 4 standard errors, with allowance delta + t_tail.

REINFORCE's theorem assumes that its iterates stay in ||w_t - w*|| <= 2S/beta; a sample on which a run left the
ball is counted (:attr:`Tally.outside`) and not checked. Searches target the ratio (``hypothesis.target``), so
they climb towards the bound: one search per family of instances (:func:`_case_strategy`; the corner families,
built near the bounds' equality cases, get a double share). hypothesis is a test-time dependency, imported when a
search runs.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from . import bounds as _bounds
from .bounds import _box, theorem_info
from .errors import ParameterError, RlhfsymError
from .interval import enclose
from .numerics import Instance, sample_prompts
from .simulate import ROUNDOFF, Simulation, Z, default_eta, every_sample, measure

__all__ = [
    "DELTAS",
    "LEVEL",
    "PLANS",
    "BoundViolationError",
    "Draw",
    "Outcome",
    "Plan",
    "Tally",
    "binomial_tail",
    "case_from_json",
    "case_to_json",
    "pinned_draws",
    "reproduce",
    "search",
    "t_tail",
    "tightness",
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


# ============================================================================================ statistics


def binomial_tail(k: int, trials: int, p: float) -> float:
    """``P(X >= k)`` for ``X ~ Binomial(trials, p)`` (summed in log space; exact to float precision)."""
    if k <= 0:
        return 1.0
    if k > trials or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total, i = 0.0, k
    while i <= trials:
        log_ways = math.lgamma(trials + 1) - math.lgamma(i + 1) - math.lgamma(trials - i + 1)
        term = math.exp(log_ways + i * log_p + (trials - i) * log_q)
        total += term
        if term < 1e-18 * total and i > trials * p:
            break
        i += 1
    return min(total, 1.0)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def t_tail(z: float, dof: int) -> float:
    """``P(T > z)`` for Student's t with ``dof`` degrees of freedom (z >= 0): the chance that a mean of dof + 1
    normal values exceeds its expectation by z estimated standard errors."""
    if dof < 1:
        return 1.0
    if z <= 0:
        return 0.5 if z == 0 else 1.0 - t_tail(-z, dof)
    x = dof / (dof + z * z)
    a, b = dof / 2, 0.5
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        incomplete = front * _beta_continued_fraction(a, b, x) / a
    else:
        incomplete = 1 - front * _beta_continued_fraction(b, a, 1 - x) / b
    return 0.5 * incomplete


# ============================================================================================ plans


@dataclass(frozen=True)
class Plan:
    """How one theorem is searched and checked.

    ``claim``: ``"deterministic"``, ``"exact-expectation"`` (over the sample), ``"probability"``,
    ``"expectation"`` (over the algorithm) or ``"probability-expectation"`` (the SGA paper forms). ``cases`` names
    the families drawn (see :func:`_case_strategy`); ``T`` the range of steps; ``runs`` the seeds of an
    expectation; ``perturbations`` the perturbed copies checked per drawn instance; ``examples`` the examples of the
    property suite in the ci profile; ``cost`` a relative cost per example (the report divides its budget by it);
    ``pinned`` the instances every search checks first (:func:`pinned_draws`: regressions and equality cases).
    """

    theorem: str
    claim: str
    cases: tuple[str, ...]
    T: tuple[int, int] = (1, 30)
    runs: int = 1
    perturbations: int = 2
    examples: int = 100
    cost: float = 1.0
    pinned: tuple[str, ...] = ()

    @property
    def holds(self) -> str:
        """The theorem's label: deterministic, probability or expectation."""
        return str(theorem_info(self.theorem).labels["holds"])

    @property
    def uses_eta(self) -> bool:
        """Does the user choose the step (sharp forms)?"""
        return "eta" in theorem_info(self.theorem).parameters

    @property
    def allowance(self) -> float:
        """The chance that a true claim still reads as failing on one check: t_tail for a 4-standard-error test."""
        return t_tail(Z, self.runs - 1) if self.claim in ("expectation", "probability-expectation") else 0.0


def _plans() -> dict[str, Plan]:
    small = ("raw-small", "corner-small", "covered-small")
    tiny = ("raw-tiny", "corner-tiny", "covered-tiny")
    wide = ("raw", "corner", "covered")
    last = ("antipodal", "antipodal-T5")
    levels = ("two-levels",)
    plans = [
        Plan("erm_gap_le_of_coverage", "probability", small, perturbations=2, examples=500, cost=3.0, pinned=levels),
        Plan("erm_min_norm_gap_le_of_partial_coverage", "probability", (*small, "partial-small"), perturbations=2,
             examples=500, cost=3.0, pinned=levels),
        Plan("ga_last_dist_le_of_coverage", "deterministic", wide, perturbations=3, examples=1000, pinned=last),
        Plan("ga_last_excess_le_of_coverage", "deterministic", wide, perturbations=3, examples=1000, pinned=last),
        Plan("ga_last_gap_le_of_coverage", "probability", small, perturbations=2, examples=300, cost=3.0,
             pinned=levels),
        Plan("ga_best_gap_le_of_coverage", "probability", small, perturbations=2, examples=300, cost=3.0,
             pinned=levels),
        Plan("ga_last_expected_gap_le_of_stability", "exact-expectation", ("raw-every", "generic-every"), T=(1, 20),
             perturbations=2, examples=200, cost=1.0),
        Plan("sga_prompt_last_dist_le_of_coverage", "expectation", wide, T=(1, 20), runs=6, perturbations=2,
             examples=300, cost=2.0, pinned=last),
        Plan("sga_prompt_last_excess_le_of_coverage", "expectation", wide, T=(1, 20), runs=6, perturbations=2,
             examples=400, cost=1.5, pinned=last),
        Plan("sga_prompt_best_gap_le_of_coverage", "probability-expectation", tiny, T=(1, 20), runs=4,
             perturbations=1, examples=150, cost=4.0, pinned=levels),
        Plan("sga_reinforce_best_gap_le_of_coverage", "probability-expectation", tiny, T=(1, 20), runs=4,
             perturbations=1, examples=100, cost=5.0, pinned=levels),
    ]
    return {plan.theorem: plan for plan in plans}


#: The plan of every theorem of the chain (a test checks that none is missing).
PLANS: Mapping[str, Plan] = _plans()


# ============================================================================================ instances


def _hypothesis() -> Any:
    try:
        import hypothesis
    except ImportError as missing:  # pragma: no cover - exercised without the test extra
        raise RlhfsymError(_INSTALL) from missing
    return hypothesis


#: Shapes of the families: (d, K, N, n) ranges. "small" keeps every sample of size n enumerable (at most 20);
#: "tiny" at most 6 samples (the SGA paper forms average seeds on each); "every" has K - 1 >= d, so every sample
#: is covered and the expectation over samples is exact.
_SHAPES = {
    "raw": ((1, 3), (2, 4), (1, 5), (1, 6)),
    "raw-small": ((1, 3), (2, 4), (1, 4), (1, 3)),
    "raw-tiny": ((1, 2), (2, 3), (1, 3), (1, 2)),
    "raw-every": ((1, 2), (2, 4), (1, 4), (1, 3)),
}


def _log_uniform(st: Any, lo: float, hi: float) -> Any:
    """Numbers spread over the decades of [lo, hi], both ends included (hypothesis can climb along them)."""
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi))


def _raw_cases(shape: str) -> Any:
    """Instances whose every number is drawn by hypothesis (so that a targeted search can move each one): features
    in [-1, 1]^d (half of the entries from the corners -1, 0, 1, +-0.99) rescaled to the norm bound B,
    theta* = S u, reference logits in [-8, 8] or uniform, prompt weights in [1/100, 1], beta in [10^-3, 10^3],
    B in [0.1, 10], S in {0} or [10^-4, 10]; the training sample is drawn too (deterministic claims hold for every
    sample). Draws with all-zero features are rejected."""
    from hypothesis import reject
    from hypothesis import strategies as st

    from .testing import Case

    (d_lo, d_hi), (K_lo, K_hi), (N_lo, N_hi), (n_lo, n_hi) = _SHAPES[shape]
    # Corners (antipodal actions, prompts on one level, features confined to an axis) need exact values:
    # half of the entries come from {-1, 0, 1, +-0.99} (a slightly spread level still covers).
    unit = st.one_of(st.sampled_from((-1.0, 0.0, 1.0, -0.99, 0.99)),
                     st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False))

    @st.composite
    def draw_case(draw: Any) -> Case:
        K = draw(st.integers(K_lo, K_hi))
        d = draw(st.integers(d_lo, min(d_hi, K - 1) if shape == "raw-every" else d_hi))
        N = draw(st.integers(N_lo, N_hi))
        n = draw(st.integers(n_lo, n_hi))
        raw = np.array(draw(st.lists(unit, min_size=N * K * d, max_size=N * K * d))).reshape(N, K, d)
        largest = float(np.max(np.linalg.norm(raw, axis=-1)))
        if not largest > 0:
            reject()
        B = draw(_log_uniform(st, 0.1, 10.0))
        direction = np.array(draw(st.lists(unit, min_size=d, max_size=d)))
        norm = float(np.linalg.norm(direction))
        direction = direction / norm if norm > 0 else np.eye(d)[0]
        S = draw(st.one_of(st.just(0.0), _log_uniform(st, 1e-4, 10.0)))
        beta = draw(_log_uniform(st, 1e-3, 1e3))
        uniform = draw(st.booleans())
        if uniform:
            pi_ref = np.full((N, K), 1.0 / K)
        else:
            logits = np.array(draw(st.lists(st.floats(-8.0, 8.0), min_size=N * K, max_size=N * K))).reshape(N, K)
            pi_ref = np.exp(logits - logits.max(axis=1, keepdims=True))
            pi_ref /= pi_ref.sum(axis=1, keepdims=True)
        weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
        indices = draw(st.lists(st.integers(0, N - 1), min_size=n, max_size=n))
        inst = Instance(raw * (B / largest), weights / weights.sum(), S * direction, pi_ref, beta)
        return Case(inst, np.array(indices), "generic", "uniform" if uniform else "random")

    return draw_case()


#: Sizes of the corner families: (prompts N, training prompts n).
_CORNERS = {"corner": ((1, 3), (1, 4)), "corner-small": ((1, 3), (1, 3)), "corner-tiny": ((1, 3), (1, 2))}


def _corner_cases(shape: str) -> Any:
    """Instances near the bounds' equality cases, set by a few numbers that a targeted search climbs easily.

    Each prompt x has two actions ``B (c_x e_1 +- s_x u_x)`` (a centre c_x on the axis of theta* when the angle of
    theta* is 0, a spread s_x along a unit direction u_x), rescaled to the norm bound B, and a reference logit
    difference l_x (0: uniform). With c = 0 and s = 1 the actions are antipodal, where the Bregman bound
    KL <= (B^2/2) ||v - w||^2 and gamma = B^2 are tight; with c = +-1 and a small s the prompts sit on two levels
    of reward +-S B, where Hoeffding's inequality is nearly tight; d = 2 puts some prompts on the second axis."""
    from hypothesis import reject
    from hypothesis import strategies as st

    from .testing import Case

    (N_lo, N_hi), (n_lo, n_hi) = _CORNERS[shape]

    def corner(values: tuple[float, ...]) -> Any:
        return st.one_of(st.sampled_from(values), st.floats(min(values), max(values)))

    @st.composite
    def draw_case(draw: Any) -> Case:
        d = draw(st.integers(1, 2))
        N = draw(st.integers(N_lo, N_hi))
        n = draw(st.integers(n_lo, n_hi))
        features = np.zeros((N, 2, d))
        logits = np.zeros((N, 2))
        for x in range(N):
            centre = draw(corner((0.0, 1.0, -1.0)))
            spread = draw(st.one_of(st.just(1.0), _log_uniform(st, 1e-3, 1.0)))
            angle = draw(corner((0.0, math.pi / 2))) if d == 2 else 0.0
            u = np.array([math.cos(angle), math.sin(angle)])[:d]
            base = np.eye(d)[0] * centre
            features[x, 0], features[x, 1] = base + spread * u, base - spread * u
            logits[x, 0] = draw(corner((0.0, 2.0, -2.0)))
        largest = float(np.max(np.linalg.norm(features, axis=-1)))
        if not largest > 0:
            reject()
        B = draw(_log_uniform(st, 0.1, 10.0))
        S = draw(_log_uniform(st, 1e-4, 10.0))
        beta = draw(_log_uniform(st, 1e-3, 1e3))
        angle = draw(corner((0.0, math.pi / 2, math.pi))) if d == 2 else draw(st.sampled_from((0.0, math.pi)))
        theta = S * np.array([math.cos(angle), math.sin(angle)])[:d]
        weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
        pi_ref = np.exp(logits - logits.max(axis=1, keepdims=True))
        pi_ref /= pi_ref.sum(axis=1, keepdims=True)
        indices = draw(st.lists(st.integers(0, N - 1), min_size=n, max_size=n))
        inst = Instance(features * (B / largest), weights / weights.sum(), theta, pi_ref, beta)
        return Case(inst, np.array(indices), "generic", "uniform" if not logits.any() else "random")

    return draw_case()


def _case_strategy(family: str) -> Any:
    """The strategy of one family: ``raw*`` (:func:`_raw_cases`), ``corner*`` (:func:`_corner_cases`), or
    :func:`rlhfsym.testing.instances` with coverage ``full``/``tiny`` (``covered*``), ``none``/``full``
    (``partial-small``) or ``generic`` with K - 1 >= d (``generic-every``), in the sizes of the matching raw shape."""
    from . import testing as rt

    if family.startswith("raw"):
        return _raw_cases(family)
    if family.startswith("corner"):
        return _corner_cases(family)
    if family == "covered":
        return rt.instances(coverage=("full", "tiny"), d=(1, 4), K=(2, 5), n=(1, 8), N=(1, 8))
    if family == "covered-small":
        return rt.instances(coverage=("full", "tiny"), d=(1, 3), K=(2, 4), n=(1, 3), N=(1, 4))
    if family == "covered-tiny":
        return rt.instances(coverage=("full", "tiny"), d=(1, 2), K=(2, 3), n=(1, 2), N=(1, 3))
    if family == "partial-small":
        return rt.instances(coverage=("none", "full"), d=(1, 4), K=(2, 3), n=(1, 3), N=(2, 4))
    if family == "generic-every":
        from hypothesis import strategies as st

        return st.one_of(
            rt.instances(coverage="generic", d=1, K=(2, 4), n=(1, 3), N=(1, 4)),
            rt.instances(coverage="generic", d=2, K=(3, 4), n=(1, 3), N=(1, 4)),
        )
    raise ParameterError("family", "unknown family of instances", family)


@dataclass(frozen=True, eq=False)
class Draw:
    """One example of a search: a case (instance and training sample), the steps T, the step factor of the sharp
    forms (eta = eta_factor / (beta B^2 (1 + 1e-9))), the confidence delta, and the seeds and size of the
    perturbed copies."""

    case: Any
    T: int
    eta_factor: float = 1.0
    delta: str = "0.05"
    seeds: tuple[int, ...] = ()
    scale: float = 1e-3


def pinned_draws(name: str) -> Draw:
    """A pinned instance (hypothesis ``@example``), checked first by every search whose plan names it.

    * ``antipodal``: one prompt, d = 1, actions +-B under a uniform reference, so gamma = B^2 exactly: the equality
      case of the Bregman bound (the last-iterate excess bounds reach ratio 0.99 at T = 1, eta = 0.01/(beta B^2)).
      A regression too: gamma = B^2 once made the interval condition gamma <= B^2 undecidable, so this corner was
      refused and never checked. ``antipodal-T5``: the same at T = 5, eta = 0.5/(beta B^2).
    * ``two-levels``: two prompts of equal weight on the reward levels +-S B (actions B (+-1, +-0.98)), n = 2,
      beta = 1000, delta = 0.2: Hoeffding's inequality is nearly tight there (the gap is about S B with probability
      1/2), and the optimisation terms are negligible.
    """
    from .testing import Case

    if name.startswith("antipodal"):
        T, factor = (5, 0.5) if name == "antipodal-T5" else (1, 0.01)
        inst = Instance(np.array([[[1.0], [-1.0]]]), np.array([1.0]), np.array([1e-3]), np.full((1, 2), 0.5), 1.0)
        return Draw(Case(inst, np.array([0]), "full", "uniform"), T, factor, "0.05", (1, 2), 1e-3)
    if name == "two-levels":
        features = np.array([[[1.0], [0.98]], [[-1.0], [-0.98]]])
        inst = Instance(features, np.array([0.5, 0.5]), np.array([1e-3]), np.full((2, 2), 0.5), 1000.0)
        return Draw(Case(inst, np.array([0, 1]), "generic", "uniform"), 20, 1.0, "0.2", (1,), 1e-3)
    raise ParameterError("pinned", "unknown pinned instance (antipodal, antipodal-T5, two-levels)", name)


def _draws(plan: Plan, families: Sequence[str], perturbations: int) -> Any:
    from hypothesis import strategies as st

    cases = st.one_of(*[_case_strategy(f) for f in families])
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
    claim: str
    ratio: float
    measured: float
    upper: float
    violated: bool
    instance: dict
    mass: float = 0.0
    simulation: Simulation | None = field(default=None, repr=False)

    def text(self) -> str:
        """One paragraph for a failing test: the theorem, the claim, measured value, bound and the instance."""
        shown = {k: v for k, v in self.instance.items() if not isinstance(v, list)}
        where = f"; failing samples weigh {self.mass:.4g} > delta" if self.claim.startswith("probability") else ""
        return (f"{self.theorem} ({self.claim}): measured {self.measured!r} > bound {self.upper!r} "
                f"(ratio {self.ratio:.6g}{where}) on {shown}; instance: {self.instance}")


@dataclass
class Tally:
    """Everything a search measured: instances drawn (``examples``), with their perturbed copies (``populations``),
    instances and samples measured against a bound (``checks``) or not (``skipped``: not covered, a condition the
    intervals cannot certify), violations, counted exceedances per test, the runs of stochastic ascent made
    (``runs``) and those that left REINFORCE's ball (``outside``), and the worst outcome."""

    theorem: str
    claim: str
    examples: int = 0
    populations: int = 0
    checks: int = 0
    skipped: int = 0
    runs: int = 0
    outside: int = 0
    violations: list[Outcome] = field(default_factory=list)
    counted: dict[str, list[int]] = field(default_factory=dict)
    worst: Outcome | None = None

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
            "runs": self.runs, "outside": self.outside, "violations": len(self.violations),
            "worst_ratio": None if self.worst is None else self.worst.ratio, "tests": self.tests(),
        }


def _allowed(key: str) -> float:
    """The chance of one counted failure under the claim, written in its key: ``"... (p=0.05)"``."""
    return float(key.rsplit("p=", 1)[1].rstrip(")"))


#: A value set per instance and training sample: a constant, or a function of them (negative controls).
PerSample = Callable[[Instance, np.ndarray], Any]


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
    upper = enclose(expression, _box(sim.result.parameters)).upper
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


def _measure(plan: Plan, draw: Draw, inst: Instance, indices: np.ndarray, options: _Options,
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
    tally.checks += 1
    tally.runs += sim.runs if "outside" in sim.extra else 0
    if not sim.applicable:
        tally.outside += int(sim.extra.get("outside", 1))
        return None
    return sim


def _check_one(plan: Plan, draw: Draw, case: Any, options: _Options, tally: Tally, rng: np.random.Generator,
               label: int) -> Outcome | None:
    inst, indices = case.instance, case.indices
    tally.populations += 1
    if plan.claim in ("probability", "probability-expectation"):
        return _check_samples(plan, draw, case, options, tally, rng, label)
    sim = _measure(plan, draw, inst, indices, options, tally)
    if sim is None:
        return None
    upper = _upper(sim, options.expression)
    ratio = _checked(sim, upper)
    violated = ratio > 1 + ROUNDOFF
    if plan.claim == "expectation" and not sim.exact:
        tally.count(f"means above the bound by {Z:g} standard errors (p={plan.allowance:.6g})", violated)
        violated = False  # a statistical exceedance: judged by the binomial test, not one by one
    return Outcome(plan.theorem, plan.claim, ratio, sim.value, upper, violated,
                   case_to_json(case, draw, population=label), simulation=sim)


def _check_samples(plan: Plan, draw: Draw, case: Any, options: _Options, tally: Tally, rng: np.random.Generator,
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
    return Outcome(plan.theorem, plan.claim, ratio, measured, upper, mass > allowed,
                   case_to_json(described, draw, population=label), mass=mass, simulation=worst)


def _check_draw(plan: Plan, draw: Draw, options: _Options, tally: Tally, rng: np.random.Generator) -> float:
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
    families: Sequence[str] | None = None,
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
    """Search instances of ``theorem`` (its :class:`Plan`) with hypothesis, targeting measured / bound.

    ``examples`` (default: the plan's), ``seed`` (None: derandomised when ``derandomize``, else random),
    ``families`` and ``perturbations`` override the plan. ``expression`` replaces the theorem's bound (its
    conditions still certified): the mutation check. ``claimed``, ``conditions``, ``step_factor`` and
    ``eta_factor`` break one assumption (negative controls; see :func:`rlhfsym.simulate.measure`). ``stop``: end
    at the first violation; ``propagate``: let it fail the calling test (hypothesis then shrinks it when ``shrink``);
    ``examples_pinned`` are checked first (default: the plan's :func:`pinned_draws`, as hypothesis ``@example``
    would; they count as examples). Returns the :class:`Tally`.
    """
    hypothesis = _hypothesis()
    from hypothesis import HealthCheck, Phase, given, target
    from hypothesis import settings as hsettings

    plan = PLANS.get(theorem)
    if plan is None:
        raise ParameterError("theorem", f"no search plan; known: {', '.join(PLANS)}", theorem)
    count = plan.examples if examples is None else examples
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ParameterError("examples", "must be an integer >= 1", examples)
    tally = Tally(theorem, plan.claim)
    options = _Options(expression, claimed, conditions, step_factor, eta_factor, raise_violations=stop or propagate)
    rng = np.random.default_rng(_stable(_INDEPENDENT, theorem, seed))
    copies = plan.perturbations if perturbations is None else perturbations

    def check(draw: Draw) -> None:
        target(_check_draw(plan, draw, options, tally, rng), label=f"{theorem} measured/bound")

    pinned = [pinned_draws(name) for name in plan.pinned] if examples_pinned is None else examples_pinned
    try:
        for draw in pinned:
            _check_draw(plan, draw, options, tally, rng)
    except BoundViolationError:
        if propagate:
            raise
        return tally
    phases = [Phase.generate, Phase.target] + ([Phase.shrink] if shrink else [])
    chosen = tuple(families or plan.cases)
    # One search per family, each with its share of the examples: a targeted search climbs within one family far
    # better than across a mixture (the corners reach ratios near 1 that a mixture of families misses). The corner
    # families get a double share.
    weights = [2 if family.startswith("corner") else 1 for family in chosen]
    for family, weight in zip(chosen, weights, strict=True):
        share = max(1, round(count * weight / sum(weights)))
        run = hsettings(max_examples=share, deadline=None, database=None, phases=phases,
                        derandomize=derandomize and seed is None, suppress_health_check=list(HealthCheck),
                        print_blob=False)(given(_draws(plan, (family,), copies))(check))
        if seed is not None:
            run = hypothesis.seed(_stable(seed, theorem, family))(run)
        try:
            run()
        except BoundViolationError:
            if propagate:
                raise
            return tally
    return tally


# ============================================================================================ the report


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


def tightness(*, examples: int = 200, seed: int = 0, theorems: list[str] | None = None) -> list[dict]:
    """For each theorem, the worst ratio measured / certified bound found by a targeted hypothesis search.

    ``examples`` drawn instances per theorem (divided by the plan's relative cost, at least 10), each checked
    with its perturbed copies; ``seed`` makes the search reproducible. Each row: ``{"theorem", "holds",
    "worst_ratio", "measured", "upper", "examples", "checks", "violations", "instance"}``; ``instance`` rebuilds the
    worst case (:func:`case_from_json`), with T, the eta factor and delta. For a probability claim the ratio is
    the (1 - delta)-quantile of measured / bound over every training sample of size n (``instance["indices"]``
    is the sample at that quantile). A ratio above 1 is a violation.
    """
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise ParameterError("examples", "must be an integer >= 1", examples)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError("seed", "must be an integer >= 0", seed)
    _hypothesis()
    names = [row["theorem"] for row in _bounds.theorems()] if theorems is None else list(theorems)
    rows = []
    for name in names:
        plan = PLANS.get(name)
        if plan is None:
            raise ParameterError("theorems", f"no search plan for {name}; known: {', '.join(PLANS)}", name)
        budget = max(10, round(examples / plan.cost))
        tally = search(name, examples=budget, seed=seed)
        worst = tally.worst
        rows.append({
            "theorem": name,
            "holds": plan.holds,
            "worst_ratio": 0.0 if worst is None else worst.ratio,
            "measured": 0.0 if worst is None or not math.isfinite(worst.measured) else worst.measured,
            "upper": _certified_upper(worst),
            "examples": tally.examples,
            "checks": tally.checks,
            "violations": len(tally.violations),
            "outside": tally.outside,
            "runs": tally.runs,
            "instance": {} if worst is None else worst.instance,
        })
    return rows


def _certified_upper(worst: Outcome | None) -> str | None:
    """The certified upper value of the bound at the worst instance, rounded up to 6 significant digits."""
    if worst is None or worst.simulation is None:
        return None
    return worst.simulation.result.enclosure.upper_decimal(6)


def reproduce(row: Mapping[str, Any]) -> float:
    """The ratio of a :func:`tightness` row, measured again on the instance it describes (no search)."""
    plan = PLANS[row["theorem"]]
    described = row["instance"]
    draw = Draw(case_from_json(described), int(described["T"]), float(described["eta_factor"]), described["delta"])
    tally = Tally(plan.theorem, plan.claim)
    outcome = _check_one(plan, draw, draw.case, _Options(raise_violations=False), tally,
                         np.random.default_rng(0), int(described.get("population", 0)))
    return 0.0 if outcome is None else outcome.ratio

