"""**Theorem (Gradient Ascent in the population coverage: expected generalization gap of the last iterate)**: if the
prompt distribution has coverage gamma_D (gamma_D <= lambda_min(Sigma_D(0))), GA with 0 < eta <= 1/(beta B^2) from
w_0 = 0 on n i.i.d. prompts satisfies, with no condition on the samples,
|E_S[J(w_T) - J_S(w_T)]| <= (B^2 S^2 / (2 beta)) (rho_D^(2T) + d e^{-c n gamma_D / B^2}),
rho_D = 1 - eta beta (gamma_D/2) e^{-4BS/beta}, c = (1 - log 2)/2, the expectation being over the training sample.

Proof. On every sample, X = (J(w_T) - J_S(w_T)) - (J(w*) - J_S(w*)) lies in [-c_0 d(T)^2, c_0 d(T)^2], c_0 =
beta B^2/2, d(T) = ||w_T - w*|| (claims ``excess_le``, ``excess_nonneg`` of :mod:`gap_le_dev_add_sq_dist_of_norm_le`,
as in :mod:`ga_last_expected_gap_le_of_coverage`). GA never moves away from w*, so d(T) <= S/beta on every sample
(claim ``ball`` of :mod:`ga_last_dist_le_of_coverage`; claims ``always_hi``, ``always_lo``); on the matrix Chernoff
event G = {lambda_min(Sigma_S(0)) >= gamma_D/2} (:mod:`min_eig_ge_of_matrix_chernoff` at eps = 1/2, which restates
the coverage definition at gamma = gamma_D/2), d(T) <= rho_D^T S/beta (:mod:`ga_last_dist_le_of_coverage`; claims
``event_hi``, ``event_lo``). Splitting the expectation over G (:mod:`expect_le_add_mul_of_le_on_event`) and using
P(not G) <= d e^{-c n gamma_D/B^2} (claim ``fail`` of the Chernoff fact) and E_S[J(w*) - J_S(w*)] = 0
(:mod:`expect_mean_eq_of_iid`) gives the bound (claim ``main``). Unlike
:mod:`ga_last_expected_gap_le_of_coverage`, no condition on every sample is asserted: the samples that the population
coverage does not reach cost their probability times the trivial bound. Derived here (docs/setting.md, section 4).
"""

import sympy as sp

from rlhfsym.chain import Derivation, citation
from rlhfsym.vocabulary import EXPECTATION_OVER_SAMPLE, EXPECTED_GAP, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, shrunk
from rlhfsym.vocabulary.families import GENERIC_EVERY, POPULATION_COVERED, RAW_EVERY

from . import coverage_le_min_eig as coverage
from . import expect_le_add_mul_of_le_on_event as split
from . import expect_mean_eq_of_iid as unbiased
from . import ga_last_dist_le_of_coverage as last_dist
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import min_eig_ge_of_matrix_chernoff as chernoff
from ._chain import CHAIN
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import ETA_LE, T, dist
from .ga_last_expected_gap_le_of_coverage import DEV_AT_OPT, GAP_AT_T, LOWER, LOWER_S, UPPER, UPPER_S, expected
from .ga_last_gap_le_of_population_coverage import FEATURES, GAMMA_D_LE, HALF, POPULATION, TAIL, gamma_D

mean_dev = unbiased.mean_dev
#: Chernoff's main claim at eps = 1/2, its confidence at its own tail (the event G: lambda_0 >= gamma_D/2).
EVENT = citation(chernoff.LEMMA, "main", {chernoff.eps: HALF, chernoff.delta_c: TAIL}, name="chernoff")
FAIL = citation(chernoff.LEMMA, "fail", {chernoff.eps: HALF}, name="chernoff_fail")  # P(not G) <= TAIL
BALL = citation(last_dist.LEMMA, "ball", {last_dist.t: T}, name="ball")  # d(T) <= S/beta on every sample
CONTEXT = (ETA_LE, GAMMA_D_LE, FEATURES, POPULATION, EVENT, UPPER, UPPER_S, LOWER, LOWER_S)
CEILING_T = decomposition.CEILING.xreplace({decomposition.D: dist(T)})


def _pathwise(sign: int, on_event: bool) -> Derivation:
    """sign X <= c_0 d(T)^2 <= a (on G, d(T) <= rho_D^T S/beta) or <= b (always, d(T) <= S/beta)."""
    witness = UPPER_S.slack + LOWER.slack if sign > 0 else UPPER.slack + LOWER_S.slack
    start = (
        Derivation.of(sign * (GAP_AT_T - DEV_AT_OPT), CONTEXT if on_event else (*CONTEXT, BALL))
        .bound(sign * (GAP_AT_T - DEV_AT_OPT), CEILING_T, witness, "E and E_S both lie in [0, beta (B^2/2) d(T)^2]")
    )  # fmt: skip
    if on_event:
        return start.cite(last_dist.LEMMA, "main", {coverage.gamma: gamma_D * HALF}, name="dist",
                          why="on the Chernoff event: the distance bound at gamma = gamma_D/2")
    return start.apply(BALL, "GA never moves away from w*: d(T) <= S/beta")


EVENT_HI, EVENT_LO = _pathwise(1, True), _pathwise(-1, True)
ALWAYS_HI, ALWAYS_LO = _pathwise(1, False), _pathwise(-1, False)
a, b = EVENT_HI.result, ALWAYS_HI.result  # (B^2 S^2/(2 beta)) rho_D^(2T) and B^2 S^2/(2 beta)
assert EVENT_LO.result == a and ALWAYS_LO.result == b
CLAIMS = tuple(d.claim(label) for d, label in ((EVENT_HI, "event_hi"), (EVENT_LO, "event_lo"),
                                                (ALWAYS_HI, "always_hi"), (ALWAYS_LO, "always_lo")))  # fmt: skip


def _mean(sign: int, name: str) -> tuple:
    """sign E_S[gap] <= sign E_S[J(w*) - J_S(w*)] + a + b P(not G)."""
    on, always = (citation(CLAIMS[0 if sign > 0 else 1], name=f"{name}_event"),
                  citation(CLAIMS[2 if sign > 0 else 3], name=f"{name}_always"))  # fmt: skip
    mean = citation(
        split.LEMMA,
        "main",
        {split.X: sign * GAP_AT_T, split.Y: sign * DEV_AT_OPT, split.a: a, split.b: b, split.EX: sign * expected,
         split.EY: sign * mean_dev, split.p_out: chernoff.p_fail},
        name=name,
    )  # fmt: skip
    return on, always, mean


ON_HI, ALL_HI, MEAN_HI = _mean(1, "mean_hi")
ON_LO, ALL_LO, MEAN_LO = _mean(-1, "mean_lo")
UNBIASED_LE = citation(unbiased.LEMMA, "le", name="unbiased_le")
UNBIASED_GE = citation(unbiased.LEMMA, "ge", name="unbiased_ge")
BOUND_VALUE = a + b * TAIL
# BOUND_VALUE - E_S[gap] and BOUND_VALUE + E_S[gap], in slacks; BOUND_VALUE - |x| = (P + Q)/2 - |Q - P|/2.
_P = MEAN_HI.slack + UNBIASED_LE.slack + b * FAIL.slack
_Q = MEAN_LO.slack + UNBIASED_GE.slack + b * FAIL.slack
PROOF = Derivation.of(
    sp.Abs(expected),
    (*CONTEXT, BALL, FAIL, ON_HI, ALL_HI, ON_LO, ALL_LO, MEAN_HI, MEAN_LO, UNBIASED_LE, UNBIASED_GE),
).bound(sp.Abs(expected), BOUND_VALUE, (_P + _Q) / 2 - sp.Abs(_Q - _P) / 2,
        "E_S split over the Chernoff event, P(not G) <= d e^{-c n gamma_D/B^2}, E_S[J(w*) - J_S(w*)] = 0")  # fmt: skip
BOUND = PROOF.result
RHO_D = last_dist.RHO.xreplace({coverage.gamma: gamma_D * HALF})

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_expected_gap_le_of_population_coverage",
        statement="GA, eta <= 1/(beta B^2), gamma_D <= lambda_min(Sigma_D(0)): |E_S[J(w_T) - J_S(w_T)]| <= "
        "(B^2 S^2/(2 beta)) (rho_D^(2T) + d e^{-c n gamma_D/B^2})",
        source="derived here (docs/setting.md, section 4): the gap decomposition at w*, split over the matrix Chernoff"
        " event",
        doc=__doc__,
        scope="every d and K; expectations over the sample by external facts",
        constants={"rho_D": RHO_D},
        bound=BOUND,
        bounds=EXPECTED_GAP,
        iterate=LAST,
        algorithm=GA,
        holds=EXPECTATION_OVER_SAMPLE,
        rate_n="(sqrt(2)*exp(-1/2))^(gamma_D*n/B**2)",  # d e^{-c n gamma_D/B^2}, c = (1 - log 2)/2
        rate_T="rho_D^(2*T)",
        form="population coverage",
        plan=Plan((RAW_EVERY, GENERIC_EVERY, POPULATION_COVERED), T=(1, 20), perturbations=1, examples=60, cost=2.0),
        control=Control("features above the norm bound B", claimed=shrunk("B", 0.1)),
        shape=Shape(n=3, d=2, N=4),
        claims=(*CLAIMS, PROOF.claim("main")),
    )
)
