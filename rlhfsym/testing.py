"""Hypothesis strategies for rlhfsym's setting: exact parameter values and concrete RLHF instances.

For use in your own test-suite (``pip install rlhfsym[test]``)::

    from rlhfsym import testing as rt          # ``rt.settings`` would clash with ``hypothesis.settings``

    @given(rt.instances(coverage="full"))
    def test_my_bound(case): ...

Public API
----------
* :func:`settings` -- dicts ``{name: value}`` of exact parameter values (``int`` / ``Fraction``) that
  :func:`rlhfsym.setting.validate_parameters` accepts, cross rule ``gamma, gamma_D <= B^2`` included.
* :func:`instances` -- :class:`Case` objects: an :class:`rlhfsym.numerics.Instance` and a training sample of
  n prompt indices drawn with replacement from its prompt weights, in a chosen coverage mode
  (``"full"``, ``"tiny"``, ``"none"``, ``"generic"``; ``"any"`` mixes them) and reference mode
  (``"uniform"``, ``"random"``, ``"peaked"``).
* :func:`perturb` and :func:`perturbations` -- small relative perturbations of a case's features, ``theta*``
  and ``pi_ref`` that keep it valid and keep it in its coverage band.
* Coverage bands, relative to ``B^2``: ``FULL_GAMMA_FLOOR``, ``TINY_GAMMA_BAND``, ``NONE_GAMMA_CEILING``.
* :func:`assert_within_bound` -- the assertion that a value your code measured on a case is within a theorem's
  bound certified at the case's parameters (:func:`rlhfsym.check`, which imports sympy on first use); its failure
  message gives the parameters, the measured value and the bound.

Every strategy validates its arguments when it is built and raises :class:`rlhfsym.errors.ParameterError`
naming the argument and the rule (never hypothesis's ``InvalidArgument``). Structural choices (mode, N, K, d, n,
beta, B, S, the size of the corner) are drawn by hypothesis, so they shrink; bulk arrays come from a numpy
generator seeded by a hypothesis-drawn integer. Cases are built directly, never by filtering; a final check of
the coverage band rejects the rare case whose construction missed it (none in 1,000 default draws; the tests
require that at least 95% of draws reach the test body).

This module needs numpy and hypothesis only: it does not import sympy or the proof chain (only
:func:`assert_within_bound` does, when it is called). The parameter rules
of :mod:`rlhfsym.setting` are read from ``RULES`` (:mod:`rlhfsym.rules`, the one table both use).
The design is in ``docs/testing.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

try:
    from hypothesis import reject
    from hypothesis import strategies as st
    from hypothesis.strategies import SearchStrategy
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "rlhfsym.testing needs hypothesis, a test-time dependency of rlhfsym: pip install 'rlhfsym[test]'"
    ) from _missing

from rlhfsym.errors import ParameterError
from rlhfsym.exact import exact_rational
from rlhfsym.measured import ROUNDOFF, Check, check
from rlhfsym.numerics.geometry import (
    at_norm_bound,
    ball,
    covered_features,
    generic_features,
    reference_policy,
    sample_indices,
    squeezed_features,
    subspace_features,
    unit_vector,
)
from rlhfsym.numerics.instance import Instance, check_indices, empirical_weights, make_rng
from rlhfsym.numerics.measure import covered_subspace, measure_parameters, uncovered_residual
from rlhfsym.rules import CROSS_RULES, RULES, Rule

__all__ = [
    "COVERAGE_MODES",
    "DEFAULT_PARAMETERS",
    "FULL_GAMMA_FLOOR",
    "NONE_GAMMA_CEILING",
    "REFERENCE_MODES",
    "RULES",
    "TINY_GAMMA_BAND",
    "Case",
    "Rule",
    "assert_within_bound",
    "in_band",
    "instances",
    "perturb",
    "perturbations",
    "settings",
]

#: A "full" case has ``gamma >= FULL_GAMMA_FLOOR * B^2`` (also after one perturbation).
FULL_GAMMA_FLOOR = 1e-6
#: A "tiny" case has ``lo * B^2 <= gamma < hi * B^2`` and ``U_S = R^d`` (also after one perturbation).
#: ``lo`` stays above the rank tolerance of :func:`rlhfsym.numerics.covered_subspace` (1e-10 of lambda_max).
TINY_GAMMA_BAND = (1e-9, 1e-6)
#: A "none" case has ``|gamma| <= NONE_GAMMA_CEILING * B^2`` and ``dim U_S < d`` (zero up to rounding).
NONE_GAMMA_CEILING = 1e-12
#: Coverage modes a case can be built in; ``instances(coverage="any")`` draws from all of them.
COVERAGE_MODES = ("full", "tiny", "none", "generic")
#: Reference-policy modes; ``instances(ref="any")`` draws from all of them.
REFERENCE_MODES = ("uniform", "random", "peaked")

# Internal targets of the constructions, inside the public bands with room for one perturbation.
_FULL_TARGET = 8e-6  # lower bound aimed at by the construction of a "full" case (relative to B^2)
_FULL_BUILT = 4e-6  # checked after construction; one perturbation keeps >= 0.45 of it
_TINY_EXPONENTS = (6.5, 8.5)  # a "tiny" case aims at gamma = 10^-u B^2, u in this range
_TINY_BUILT = (2e-9, 5e-7)  # checked after construction; one perturbation stays within x0.56 .. x1.5
_MAX_ARRAY = 10**7  # N * K * d entries at most
_SEED = st.integers(0, 2**32 - 1)


#: The parameters :func:`settings` includes by default (those the parameter table marks ``drawn``: every one but
#: ``eta`` and ``residual``, which are opt-in).
DEFAULT_PARAMETERS = tuple(name for name, rule in RULES.items() if rule.drawn)

#: The default range of every parameter drawn directly (the ``draw`` column of the parameter table).
_DEFAULT_RANGES: Mapping[str, tuple[Fraction, Fraction]] = {
    name: rule.draw for name, rule in RULES.items() if rule.draw is not None
}
_DEFAULT_COVERAGE_FRACTION = (Fraction(1, 10**8), Fraction(1))

#: An exact number for :func:`settings`: an int, a Fraction, or a decimal / ratio string such as ``"1e-3"``.
Exact = int | Fraction | str
#: A knob of :func:`settings`: one exact number (the value is fixed) or a closed range ``(lo, hi)``.
ExactRange = Exact | tuple[Exact, Exact]
#: A knob of :func:`instances`: one number or a closed range ``(lo, hi)``.
IntRange = int | tuple[int, int]
FloatRange = float | tuple[float, float]


def _exact(name: str, raw: object) -> Fraction:
    """An exact rational, read as :func:`rlhfsym.setting.parse_number` reads it (:mod:`rlhfsym.exact`)."""
    return exact_rational(name, raw)


def _exact_range(name: str, raw: object) -> tuple[Fraction, Fraction]:
    """``(lo, hi)`` from one number or a pair; both ends must satisfy the parameter's rule."""
    if isinstance(raw, (tuple, list)):
        if len(raw) != 2:
            raise ParameterError(name, "a range has exactly two ends (lo, hi)", raw)
        lo, hi = _exact(name, raw[0]), _exact(name, raw[1])
    else:
        lo = hi = _exact(name, raw)
    if lo > hi:
        raise ParameterError(name, f"range with lo > hi ({lo} > {hi})", raw)
    rule = RULES[name]
    for end, x in (("lower", lo), ("upper", hi)):
        if not rule.admits(x):
            raise ParameterError(name, f"{rule.rule} (got {end} end {x})", raw)
    return lo, hi


# ============================================================================ exact numbers across scales


def _floor_log10(x: Fraction) -> int:
    """``floor(log10(x))`` for an exact ``x > 0`` (no float overflow for tiny or huge x)."""
    e = math.floor(math.log10(x.numerator) - math.log10(x.denominator))
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e


def _scaled_fractions(lo: Fraction, hi: Fraction) -> SearchStrategy[Fraction]:
    """Exact numbers in ``[lo, hi]`` spread over every decade: ``m/10 * 10^e`` (two digits) clamped to the
    range, or an end of the range. Shrinks towards 1 (or the nearest end)."""
    if lo == hi:
        return st.just(lo)
    low = lo if lo > 0 else min(hi, hi / 10**9)

    def build(mantissa: int, exponent: int) -> Fraction:
        return min(max(Fraction(mantissa, 10) * Fraction(10) ** exponent, lo), hi)

    spread = st.builds(build, st.integers(10, 99), st.integers(_floor_log10(low), _floor_log10(hi)))
    return st.one_of(spread, st.sampled_from((lo, hi)))


def _value_strategy(rule: Rule, lo: Fraction, hi: Fraction) -> SearchStrategy[Fraction | int]:
    """Values of one parameter in ``[lo, hi]``: integers, or exact numbers across decades; a parameter with an
    upper end (delta) is spread towards both ends (``x`` and ``1 - x`` with x small)."""
    if rule.integer:
        return st.integers(int(lo), int(hi))
    if rule.highest is None:
        return _scaled_fractions(lo, hi)
    half = rule.highest / 2
    branches = []
    if lo <= half:
        branches.append(_scaled_fractions(lo, min(hi, half)))
    if hi >= half:
        branches.append(_scaled_fractions(rule.highest - hi, rule.highest - max(lo, half)).map(
            lambda x: rule.highest - x))  # type: ignore[operator]
    return st.one_of(*branches)


# ============================================================================ settings()


def settings(
    *,
    include: Iterable[str] | None = None,
    realizable: bool = False,
    coverage_fraction: tuple[Exact, Exact] | None = None,
    **parameters: ExactRange | None,
) -> SearchStrategy[dict[str, Fraction | int]]:
    """Dicts ``{name: value}`` of exact parameter values accepted by ``rlhfsym.setting.validate_parameters``.

    Values are ``int`` for n, K, d, T and ``Fraction`` for the others (never float); ``str(value)`` is a form
    the CLI parses. ``include`` lists the parameters of the dict (default ``DEFAULT_PARAMETERS``: B, S, beta, n,
    K, d, gamma, gamma_D, T, delta); giving a range for ``eta`` or ``residual`` adds it when ``include`` is not
    given. Each parameter knob (a keyword named after the parameter) is a number (fixed) or a closed range
    ``(lo, hi)`` whose ends obey the parameter's rule; defaults (the ``draw`` column of the parameter table
    :data:`rlhfsym.rules.RULES`): B in [1/100, 100], S in [0, 100], beta in [1/1000, 1000], n and T in
    [1, 10^6], K in [2, 100], d in [1, 10^4], eta in [10^-6, 10], delta in [10^-9, 1 - 10^-9], residual in
    [0, 100]. Real values are spread over every decade of their range and reach both ends (S = 0, delta near 0
    and near 1); integers reach their ends (n = 1, T = 1).

    Coverage: gamma and gamma_D never exceed ``cap = B^2`` (the cross rules :data:`rlhfsym.rules.CROSS_RULES`).
    Without a ``gamma`` range they are ``f * cap`` with ``f`` in ``coverage_fraction`` (default [10^-8, 1]), so
    tiny coverage (10^-8 B^2) and the edge ``gamma = B^2`` are both reached; an absolute ``gamma`` range is cut at
    the cap.

    ``realizable=True`` also requires what a concrete instance forces (docs/setting.md, section 3):
    ``d <= n (K - 1)`` (coverage needs it), ``gamma, gamma_D <= B^2 / d`` (trace bound), and
    ``residual <= S / beta`` (``||P_perp w*|| <= ||w*||``).
    """
    for name in parameters:
        if name not in RULES:
            raise ParameterError(name, f"unknown parameter; known: {', '.join(RULES)}")
    given = {name: value for name, value in parameters.items() if value is not None}
    if not isinstance(realizable, bool):
        raise ParameterError("realizable", "must be True or False", realizable)
    if include is None:
        names = tuple(DEFAULT_PARAMETERS) + tuple(p for p in RULES if p in given and p not in DEFAULT_PARAMETERS)
    else:
        if isinstance(include, str):
            raise ParameterError("include", "must be a collection of parameter names, not one string", include)
        names = tuple(include)
        for name in names:
            if name not in RULES:
                raise ParameterError("include", f"unknown parameter {name!r}; known: {', '.join(RULES)}", names)
        if not names:
            raise ParameterError("include", "must name at least one parameter", names)
        for name in given:
            if name not in names:
                raise ParameterError(name, f"a range was given but {name} is not in include={list(names)}")
    ranges = {name: _exact_range(name, value) for name, value in given.items()}
    for name, default in _DEFAULT_RANGES.items():
        ranges.setdefault(name, default)
    fraction = _coverage_fraction(coverage_fraction, given)
    _check_settings_feasible(ranges, realizable)
    return _settings(names, ranges, fraction, realizable)


def _coverage_fraction(raw: object, given: Mapping[str, object]) -> tuple[Fraction, Fraction]:
    if raw is None:
        return _DEFAULT_COVERAGE_FRACTION
    if "gamma" in given and "gamma_D" in given:
        raise ParameterError("coverage_fraction", "is unused when both gamma and gamma_D ranges are given", raw)
    if not isinstance(raw, (tuple, list)) or len(raw) != 2:
        raise ParameterError("coverage_fraction", "must be a range (lo, hi) with 0 < lo <= hi <= 1", raw)
    lo, hi = _exact("coverage_fraction", raw[0]), _exact("coverage_fraction", raw[1])
    if not 0 < lo <= hi <= 1:
        raise ParameterError("coverage_fraction", "must be a range (lo, hi) with 0 < lo <= hi <= 1", raw)
    return lo, hi


def _check_settings_feasible(ranges: Mapping[str, tuple[Fraction, Fraction]], realizable: bool) -> None:
    """Reject knob combinations for which some draw would have no admissible value."""
    (_, n_hi), (_, K_hi), (d_lo, d_hi) = ranges["n"], ranges["K"], ranges["d"]
    if realizable and d_lo > n_hi * (K_hi - 1):
        raise ParameterError("d", f"realizable needs d <= n (K - 1); the smallest d ({d_lo}) exceeds "
                                  f"the largest n (K - 1) = {n_hi * (K_hi - 1)}")
    for cross in CROSS_RULES:
        cap = cross.cap(ranges[cross.of][0]) / (d_hi if realizable else 1)
        bound = f"{cross.of}^{cross.power}" + (" / d" if realizable else "")
        where = f"smallest {cross.of}" + (" and largest d" if realizable else "")
        if cross.name in ranges and ranges[cross.name][0] > cap:
            raise ParameterError(cross.name, f"must be <= {bound} (a covariance of features of norm <= B); the range "
                                             f"starts at {ranges[cross.name][0]} > {cap}, the cap for the {where}")
    if realizable and "residual" in ranges:
        lowest_ratio = ranges["S"][0] / ranges["beta"][1]
        if ranges["residual"][0] > lowest_ratio:
            raise ParameterError("residual", f"realizable needs residual <= S / beta; the range starts at "
                                             f"{ranges['residual'][0]} > {lowest_ratio} (smallest S / largest beta)")


def _settings(
    names: tuple[str, ...],
    ranges: Mapping[str, tuple[Fraction, Fraction]],
    fraction: tuple[Fraction, Fraction],
    realizable: bool,
) -> SearchStrategy[dict[str, Fraction | int]]:
    @st.composite
    def draw_setting(draw: st.DrawFn) -> dict[str, Fraction | int]:
        values: dict[str, Fraction | int] = {}

        def pick(name: str, lo: Fraction | None = None, hi: Fraction | None = None) -> Fraction | int:
            r_lo, r_hi = ranges[name]
            lo = r_lo if lo is None else max(lo, r_lo)
            hi = r_hi if hi is None else min(hi, r_hi)
            return draw(_value_strategy(RULES[name], lo, hi))

        values["B"] = pick("B")
        if realizable:
            (_, n_hi), (d_lo, _) = ranges["n"], ranges["d"]
            values["K"] = pick("K", lo=Fraction(1 + -(-int(d_lo) // int(n_hi))))
            values["d"] = pick("d", hi=n_hi * (values["K"] - 1))
            values["n"] = pick("n", lo=Fraction(-(-values["d"] // (values["K"] - 1))))
        else:
            values["K"], values["d"], values["n"] = pick("K"), pick("d"), pick("n")
        for cross in CROSS_RULES:
            cap = cross.cap(Fraction(values[cross.of])) / (values["d"] if realizable else 1)
            if cross.name in ranges:
                values[cross.name] = pick(cross.name, hi=cap)
            else:
                values[cross.name] = cap * draw(_scaled_fractions(*fraction))
        values["S"], values["beta"] = pick("S"), pick("beta")
        values["residual"] = pick("residual", hi=values["S"] / values["beta"] if realizable else None)
        for name in ("T", "eta", "delta"):
            values[name] = pick(name)
        return {name: values[name] for name in names}

    return draw_setting()


# ============================================================================ cases


@dataclass(frozen=True, eq=False)
class Case:
    """An RLHF instance and a training sample: ``indices`` are the n training prompts (int64, read-only),
    drawn with replacement from ``instance.weights``.

    ``coverage`` is the mode the case was built in (one of ``COVERAGE_MODES``) and ``ref`` the reference
    mode (one of ``REFERENCE_MODES``); both are labels, the guarantees are in :func:`instances`.
    """

    instance: Instance
    indices: np.ndarray
    coverage: str = "generic"
    ref: str = "random"

    def __post_init__(self) -> None:
        if not isinstance(self.instance, Instance):
            raise ParameterError("instance", "must be an rlhfsym.numerics.Instance", type(self.instance).__name__)
        indices = np.array(check_indices("indices", self.indices, self.instance.N), dtype=np.int64)
        indices.setflags(write=False)
        object.__setattr__(self, "indices", indices)
        if self.coverage not in COVERAGE_MODES:
            raise ParameterError("coverage", f"must be one of {COVERAGE_MODES}", self.coverage)
        if self.ref not in REFERENCE_MODES:
            raise ParameterError("ref", f"must be one of {REFERENCE_MODES}", self.ref)

    @property
    def n(self) -> int:
        """Number of training prompts (with repetitions)."""
        return int(self.indices.size)

    def parameters(self) -> dict[str, float | int]:
        """``measure_parameters(instance, indices)``: B, S, beta, n, K, d, gamma, gamma_D, measured."""
        return measure_parameters(self.instance, self.indices)

    def residual(self) -> float:
        """``uncovered_residual(instance, indices)``: ``||P_perp w*||``, 0 up to rounding under coverage."""
        return uncovered_residual(self.instance, self.indices)

    def empirical_weights(self) -> np.ndarray:
        """Prompt weights of the training sample, ``bincount(indices) / n`` (the weights of J_S, Sigma_S)."""
        return empirical_weights(self.instance, self.indices)

    def __repr__(self) -> str:
        p = self.parameters()
        return (f"Case(coverage={self.coverage!r}, ref={self.ref!r}, N={self.instance.N}, K={p['K']}, d={p['d']}, "
                f"n={p['n']}, beta={p['beta']:.3g}, B={p['B']:.3g}, S={p['S']:.3g}, gamma={p['gamma']:.3g})")


def in_band(case: Case) -> bool:
    """Does the case satisfy the guarantee of its coverage mode, measured? "full": ``gamma >= FULL_GAMMA_FLOOR
    B^2``; "tiny": gamma in ``TINY_GAMMA_BAND`` times B^2 and ``U_S = R^d``; "none": ``|gamma| <=
    NONE_GAMMA_CEILING B^2`` and ``dim U_S < d`` (U_S by :func:`rlhfsym.numerics.covered_subspace`);
    "generic": always true."""
    if case.coverage == "generic":
        return True
    p = case.parameters()
    B2, gamma = p["B"] ** 2, p["gamma"]
    if case.coverage == "full":
        return gamma >= FULL_GAMMA_FLOOR * B2
    rank = covered_subspace(case.instance, case.indices).shape[1]
    if case.coverage == "tiny":
        return TINY_GAMMA_BAND[0] * B2 <= gamma < TINY_GAMMA_BAND[1] * B2 and rank == p["d"]
    return abs(gamma) <= NONE_GAMMA_CEILING * B2 and rank < p["d"]


# ---------------------------------------------------------------------------- knob validation


def _int_range(name: str, raw: object, minimum: int) -> tuple[int, int]:
    ends = raw if isinstance(raw, (tuple, list)) else (raw, raw)
    if len(ends) != 2:
        raise ParameterError(name, "must be an integer or a range (lo, hi)", raw)
    for end in ends:
        if isinstance(end, (bool, np.bool_)) or not isinstance(end, (int, np.integer)):
            raise ParameterError(name, "must be an integer or a range (lo, hi) of integers", raw)
    lo, hi = int(ends[0]), int(ends[1])
    if lo > hi:
        raise ParameterError(name, f"range with lo > hi ({lo} > {hi})", raw)
    if lo < minimum:
        raise ParameterError(name, f"must be >= {minimum}", raw)
    return lo, hi


def _float_range(name: str, raw: object, *, allow_zero: bool) -> tuple[float, float]:
    ends = raw if isinstance(raw, (tuple, list)) else (raw, raw)
    if len(ends) != 2:
        raise ParameterError(name, "must be a number or a range (lo, hi)", raw)
    for end in ends:
        if isinstance(end, (bool, np.bool_)) or not isinstance(end, (int, float, Fraction, np.integer, np.floating)):
            raise ParameterError(name, "must be a real number or a range (lo, hi) of real numbers", raw)
    lo, hi = float(ends[0]), float(ends[1])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ParameterError(name, "must be finite", raw)
    if lo > hi:
        raise ParameterError(name, f"range with lo > hi ({lo} > {hi})", raw)
    if lo < 0 or (lo == 0 and not allow_zero):
        raise ParameterError(name, "must be >= 0" if allow_zero else "must be > 0", raw)
    return lo, hi


def _modes(name: str, raw: object, known: tuple[str, ...]) -> tuple[str, ...]:
    values = known if raw == "any" else (raw,) if isinstance(raw, str) else raw
    if not isinstance(values, (tuple, list)) or not values or any(v not in known for v in values):
        raise ParameterError(name, f"must be 'any', one of {known}, or a tuple of them", raw)
    return tuple(dict.fromkeys(values))


def _scaled_floats(lo: float, hi: float) -> SearchStrategy[float]:
    """Floats in ``[lo, hi]`` spread over decades (``m/10 * 10^e``, two digits) or an end; shrinks towards 1."""
    if lo == hi:
        return st.just(lo)
    low = lo if lo > 0 else min(hi, hi * 1e-9)

    def build(mantissa: int, exponent: int) -> float:
        return min(max(mantissa / 10 * 10.0**exponent, lo), hi)

    exponents = st.integers(math.floor(math.log10(low)), math.floor(math.log10(hi)))
    return st.one_of(st.builds(build, st.integers(10, 99), exponents), st.sampled_from((lo, hi)))


@dataclass(frozen=True)
class _Knobs:
    d: tuple[int, int]
    K: tuple[int, int]
    n: tuple[int, int]
    N: tuple[int, int]
    beta: tuple[float, float]
    B: tuple[float, float]
    S: tuple[float, float]
    coverage: tuple[str, ...]
    ref: tuple[str, ...]

    def covered_need(self, K: int) -> int:
        """Distinct sampled prompts a covered case with K actions needs for the smallest d."""
        return -(-self.d[0] // (K - 1))

    def high_dim_possible(self) -> bool:
        """Can ``d > n (K - 1)`` happen within the ranges?"""
        return self.n[0] * (self.K[0] - 1) < self.d[1]


# ---------------------------------------------------------------------------- instances()


def instances(
    *,
    d: IntRange = (1, 5),
    K: IntRange = (2, 5),
    n: IntRange = (1, 10),
    N: IntRange = (1, 10),
    beta: FloatRange = (1e-3, 1e3),
    B: FloatRange = (0.1, 10.0),
    S: FloatRange = (0.0, 10.0),
    coverage: str | tuple[str, ...] = "any",
    ref: str | tuple[str, ...] = "any",
) -> SearchStrategy[Case]:
    """:class:`Case` objects: an instance with N prompts, K actions, features in R^d with max norm exactly B
    (up to rounding), ``||theta*|| = S``, KL coefficient beta, Dirichlet prompt weights, and n training prompts
    drawn with replacement from the weights.

    Knobs: ``d``, ``K``, ``n``, ``N`` are an int or a range ``(lo, hi)``; ``beta``, ``B``, ``S`` a number or a
    range (beta, B, S are spread over the decades of their range and reach its ends: S = 0, beta = 10^-3, 10^3).

    ``coverage`` (a mode, a tuple of modes, or "any" for all of ``COVERAGE_MODES``):

    * ``"full"``: ``gamma >= FULL_GAMMA_FLOOR * B^2`` by construction; ``d <= m (K - 1)`` with m the number of
      distinct sampled prompts (so ``d <= n (K - 1)``); every direction of a random orthonormal basis is the
      difference of two actions of a sampled prompt.
    * ``"tiny"``: ``TINY_GAMMA_BAND[0] * B^2 <= gamma < TINY_GAMMA_BAND[1] * B^2``: a full case whose
      within-prompt differences are squeezed along the k least covered directions (features nearly collinear).
    * ``"none"``: ``|gamma| <= NONE_GAMMA_CEILING * B^2`` and ``dim U_S < d``: either ``d > n (K - 1)``, or the
      sampled prompts' within-prompt differences confined to a subspace of dimension r < d (partial coverage;
      unsampled prompts are generic, so gamma_D may be > 0 and the residual > 0).
    * ``"generic"``: features uniform around random centres, no coverage guarantee.

    ``ref``: ``"uniform"`` (1/K), ``"random"`` (Dirichlet rows, entries > 0) or ``"peaked"`` (one action has
    ``1 - eps``, the others share eps, eps = 10^-2 .. 10^-9); "any" draws from all three. In "full" and "tiny"
    cases the sampled prompts' rows may be mixed with the uniform row as much as the coverage floor needs.

    Raises ``ParameterError`` naming the knob for a bad knob, or when "full"/"tiny" cannot reach the smallest d.
    """
    knobs = _Knobs(
        d=_int_range("d", d, 1),
        K=_int_range("K", K, 2),
        n=_int_range("n", n, 1),
        N=_int_range("N", N, 1),
        beta=_float_range("beta", beta, allow_zero=False),
        B=_float_range("B", B, allow_zero=False),
        S=_float_range("S", S, allow_zero=True),
        coverage=_modes("coverage", coverage, COVERAGE_MODES),
        ref=_modes("ref", ref, REFERENCE_MODES),
    )
    if knobs.N[1] * knobs.K[1] * knobs.d[1] > _MAX_ARRAY:
        raise ParameterError("N", f"N * K * d must stay <= {_MAX_ARRAY} (the features array)",
                             (knobs.N[1], knobs.K[1], knobs.d[1]))
    if {"full", "tiny"} & set(knobs.coverage):
        most = min(knobs.n[1], knobs.N[1]) * (knobs.K[1] - 1)
        if knobs.d[0] > most:
            raise ParameterError("d", f"coverage 'full' or 'tiny' needs d <= min(n, N) (K - 1) = {most}", d)
    if "none" in knobs.coverage and knobs.d[1] == 1 and knobs.N[1] == 1:
        raise ParameterError("N", "coverage 'none' with d = 1 needs N >= 2 (a prompt outside the sample carries "
                                  "the nonzero features)", N)
    return _cases(knobs)


def _cases(knobs: _Knobs) -> SearchStrategy[Case]:
    @st.composite
    def draw_case(draw: st.DrawFn) -> Case:
        mode = draw(st.sampled_from(knobs.coverage))
        ref = draw(st.sampled_from(knobs.ref))
        if mode in ("full", "tiny"):
            K, n, N, d_range = _covered_shape(draw, knobs)
        elif mode == "none" and knobs.high_dim_possible() and draw(st.booleans()):
            K, n, N, d_range = _high_dim_shape(draw, knobs)
        else:
            # gamma = 0 with d = 1 needs a prompt outside the sample to carry a nonzero feature: N >= 2
            one_prompt = mode == "none" and knobs.N[1] == 1
            K, n = draw(st.integers(*knobs.K)), draw(st.integers(*knobs.n))
            d = draw(st.integers(max(knobs.d[0], 2) if one_prompt else knobs.d[0], knobs.d[1]))
            two = mode == "none" and d == 1
            N, d_range = draw(st.integers(max(knobs.N[0], 2) if two else knobs.N[0], knobs.N[1])), (d, d)
        peak = 10.0 ** -draw(st.floats(2.0, 9.0)) if ref == "peaked" else 0.0
        beta = draw(_scaled_floats(*knobs.beta))
        B = draw(_scaled_floats(*knobs.B))
        S = draw(_scaled_floats(*knobs.S))
        rng = np.random.default_rng(draw(_SEED))
        weights = rng.dirichlet(np.ones(N))
        pi_ref = reference_policy(rng, N, K, ref, peak)
        indices = sample_indices(rng, weights, n)
        if mode in ("full", "tiny"):
            weights, indices = _spread_sample(rng, weights, indices, knobs.covered_need(K))
            d = draw(st.integers(d_range[0], min(d_range[1], np.unique(indices).size * (K - 1))))
            features, pi_ref = covered_features(rng, N, K, d, indices, pi_ref, _FULL_TARGET)
            if mode == "tiny":
                squeezed = draw(st.integers(1, d))
                target = 10.0 ** -draw(st.floats(*_TINY_EXPONENTS))
                features = squeezed_features(rng, features, pi_ref, indices, squeezed, target)
        else:
            d = draw(st.integers(*d_range))
            if mode == "none" and d <= n * (K - 1):
                rank = draw(st.integers(0 if N >= 2 else 1, d - 1))
                if rank == 0:
                    weights, indices = _leave_a_prompt_out(rng, weights, indices)
                aligned = rank == 0 or draw(st.booleans())
                features = subspace_features(rng, N, K, d, indices, rank, aligned=aligned)
            else:
                features = generic_features(rng, N, K, d)
        features = at_norm_bound(features, B)
        if features is None:
            reject()
        theta = unit_vector(rng, d) * S
        case = Case(Instance(features, weights, theta, pi_ref, beta), indices, mode, ref)
        if not _built_in_band(case):
            reject()
        return case

    return draw_case()


def _covered_shape(draw: st.DrawFn, knobs: _Knobs) -> tuple[int, int, int, tuple[int, int]]:
    """K, n, N for a covered case: enough actions and prompts that d_lo <= m (K - 1) is possible."""
    K = draw(st.integers(max(knobs.K[0], 1 + -(-knobs.d[0] // min(knobs.n[1], knobs.N[1]))), knobs.K[1]))
    need = knobs.covered_need(K)
    n = draw(st.integers(max(knobs.n[0], need), knobs.n[1]))
    N = draw(st.integers(max(knobs.N[0], need), knobs.N[1]))
    return K, n, N, knobs.d


def _high_dim_shape(draw: st.DrawFn, knobs: _Knobs) -> tuple[int, int, int, tuple[int, int]]:
    """K, n, N and a range of d with ``d > n (K - 1)``."""
    K = draw(st.integers(knobs.K[0], min(knobs.K[1], (knobs.d[1] - 1) // knobs.n[0] + 1)))
    n = draw(st.integers(knobs.n[0], min(knobs.n[1], (knobs.d[1] - 1) // (K - 1))))
    N = draw(st.integers(*knobs.N))
    return K, n, N, (max(knobs.d[0], n * (K - 1) + 1), knobs.d[1])


def _built_in_band(case: Case) -> bool:
    """The construction's own check, stricter than ``in_band`` so that one perturbation stays in the band."""
    if case.coverage not in ("full", "tiny"):
        return in_band(case)
    p = case.parameters()
    ratio = p["gamma"] / p["B"] ** 2
    if case.coverage == "full":
        return ratio >= _FULL_BUILT
    return _TINY_BUILT[0] <= ratio <= _TINY_BUILT[1] and in_band(case)


# ---------------------------------------------------------------------------- samples that a case needs


def _spread_sample(
    rng: np.random.Generator, weights: np.ndarray, indices: np.ndarray, need: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and a sample with at least ``need`` distinct prompts: while the sample has fewer, it is redrawn,
    from flatter and flatter Dirichlet weights (concentration 1, 2, 4, ...); after 20 tries the example is
    rejected (only likely when ``need`` is close to n or N)."""
    for attempt in range(20):
        if np.unique(indices).size >= need:
            return weights, indices
        weights = rng.dirichlet(np.full(weights.size, 2.0 ** min(attempt + 1, 10)))
        indices = sample_indices(rng, weights, indices.size)
    reject()
    raise AssertionError("unreachable")  # pragma: no cover



def _leave_a_prompt_out(
    rng: np.random.Generator, weights: np.ndarray, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and a sample that misses at least one prompt (N >= 2): while every prompt is sampled, one
    prompt's weight is divided by 1000 and the sample redrawn (a few times, then the example is rejected)."""
    for _ in range(8):
        if np.unique(indices).size < weights.size:
            return weights, indices
        weights = weights.copy()
        weights[rng.integers(weights.size)] *= 1e-3
        weights /= weights.sum()
        indices = sample_indices(rng, weights, indices.size)
    reject()
    raise AssertionError("unreachable")  # pragma: no cover


# ============================================================================ perturbations


def _check_scale(scale: object) -> float:
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise ParameterError("scale", "must be a real number in [0, 1]", scale)
    value = float(scale)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ParameterError("scale", "must be a real number in [0, 1]", scale)
    return value


def perturb(case: Case, seed: int | np.random.Generator, *, scale: float = 1e-3) -> Case:
    """A small random perturbation of ``case`` (same prompts, weights, sample and beta) that stays valid and in
    its coverage band.

    * ``pi_ref(a|x)`` is multiplied by ``exp(rho xi)`` with ``xi`` in [-1, 1], ``rho = min(scale, 0.05)``, and
      renormalised: rows stay > 0 and sum to 1.
    * ``theta*`` moves by at most ``scale * S`` (so S = 0 stays 0); each feature by at most ``eps = scale * B``.
      B is re-measured: features may leave the ball of radius B.
    * Coverage: if ``U_S = R^d`` (full or tiny), ``eps <= gamma / (8 B)``; since the reweighting keeps
      ``Cov >= e^{-4 rho} Cov`` and moving features by eps moves ``Sigma`` by at most ``2 B eps + eps^2``,
      ``gamma`` changes by a factor in [0.56, 1.5]. If ``U_S != R^d`` (none), the sampled prompts' features move
      by a common shift per prompt plus a part inside ``U_S``, so the uncovered directions stay uncovered (when
      ``U_S = {0}`` they do not move at all: Sigma_S(0) stays exactly 0).
    * The band of the case's mode is then checked (measured); if it fails, eps and rho are halved and the
      perturbation retried (60 times at most, after which the case is returned unchanged).
    """
    if not isinstance(case, Case):
        raise ParameterError("case", "must be an rlhfsym.testing.Case", type(case).__name__)
    size = _check_scale(scale)
    rng = make_rng(seed)
    inst = case.instance
    N, K, d = inst.features.shape
    p = case.parameters()
    B, gamma = p["B"], p["gamma"]
    xi = rng.uniform(-1.0, 1.0, (N, K))
    noise = ball(rng, (N, K), d, 1.0)
    basis = covered_subspace(inst, case.indices)
    eps = size * B
    if basis.shape[1] < d:
        sampled = np.unique(case.indices)
        inside = (noise[sampled] @ basis) @ basis.T
        # U_S = {0} (Sigma_S(0) = 0): a common shift would leave rounding noise that the package's relative rank
        # tolerance reads as coverage, so the sampled prompts' features are kept as they are.
        shift = ball(rng, (sampled.size,), d, 1.0)[:, None, :] if basis.shape[1] else 0.0
        noise[sampled] = 0.5 * shift + 0.5 * inside
    else:
        eps = min(eps, max(gamma, 0.0) / (8.0 * B))
    theta = inst.theta + size * p["S"] * ball(rng, (), d, 1.0)
    rho = min(size, 0.05)
    label = "random" if case.ref == "uniform" and rho > 0 else case.ref
    for _ in range(60):
        logits = inst.log_pi_ref + rho * xi
        pi = np.exp(logits - logits.max(axis=1, keepdims=True))
        pi /= pi.sum(axis=1, keepdims=True)
        new = Case(Instance(inst.features + eps * noise, inst.weights, theta, pi, inst.beta), case.indices,
                   case.coverage, label)
        if in_band(new):
            return new
        eps, rho = eps / 2, rho / 2
    return case


def perturbations(case: Case, *, scale: float = 1e-3) -> SearchStrategy[Case]:
    """Perturbed copies of ``case`` by :func:`perturb` with a size drawn in [0, scale] (shrinks to 0, the case
    itself) and a drawn seed. With a strategy of cases: ``instances().flatmap(perturbations)``."""
    if not isinstance(case, Case):
        raise ParameterError("case", "must be an rlhfsym.testing.Case", type(case).__name__)
    size = _check_scale(scale)
    return st.builds(lambda s, seed: perturb(case, seed, scale=s), st.floats(0.0, size), _SEED)


# ============================================================================ a measured value against a bound


def _case_parameters(theorem: str, case: Case) -> dict[str, float | int]:
    """The parameters of ``theorem`` that ``case`` measures (B, S, beta, n, K, d, gamma, gamma_D, residual)."""
    from rlhfsym.bounds import theorem_info

    wanted = theorem_info(theorem).parameters
    measured: dict[str, float | int] = case.parameters()
    if "residual" in wanted:
        measured["residual"] = case.residual()
    return {name: measured[name] for name in wanted if name in measured}


def assert_within_bound(
    theorem: str,
    measured: float,
    *,
    case: Case | None = None,
    assume: object = None,
    rtol: float = ROUNDOFF,
    atol: float = 0.0,
    **parameters: object,
) -> Check:
    """Assert that ``measured`` (a value your code measured) is within ``theorem``'s bound certified at
    ``parameters``: floats your code measured enter as intervals that contain them (:func:`rlhfsym.check`,
    :func:`rlhfsym.measured.exact_parameters`), exact values as given. With ``case``, every parameter of the theorem
    that the case measures (B, S, beta, n, K, d, gamma, gamma_D, residual) and that is not given is the case's.

    Passes when ``measured <= upper * (1 + rtol) + atol`` (``upper``: the certified upper value, rounded up) and
    returns the :class:`~rlhfsym.measured.Check`; fails with an ``AssertionError`` whose message gives the theorem,
    the measured value, the bound and their ratio, the parameters as given and as entered, and the case. A
    :class:`~rlhfsym.errors.ParameterError` (a condition of the theorem fails on these values, so no bound applies:
    an uncovered sample, a step above 1/(beta B^2)) propagates: draw cases the theorem applies to.
    """
    if case is not None:
        if not isinstance(case, Case):
            raise ParameterError("case", "must be an rlhfsym.testing.Case", type(case).__name__)
        parameters = {**_case_parameters(theorem, case), **parameters}
    result = check(theorem, measured, assume=assume, rtol=rtol, atol=atol, **parameters)
    if not result.holds:
        shown = "" if case is None else f"\n  case        {case!r}"
        raise AssertionError(result.explain() + shown)
    return result
