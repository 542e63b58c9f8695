"""**Theorem (Gradient Ascent, direct route: expected generalization gap of the last iterate)**: if every possible
training sample has coverage at least gamma (the asserted condition ``every_sample_covered``, as in
:mod:`ga_last_expected_gap_le_of_stability`), GA with 0 < eta <= 1/(beta B^2) from w_0 = 0 satisfies
|E_S[J(w_T) - J_S(w_T)]| <= (B^2 S^2 / (2 beta)) rho^(2T), rho = 1 - eta beta gamma e^{-4BS/beta}, the expectation
being over the training sample S.

Proof, without stability. On every sample, J(w_T) - J_S(w_T) = [J(w*) - J_S(w*)] - E + E_S with E = J(w*) - J(w_T)
and E_S = J_S(w*) - J_S(w_T), both in [0, beta (B^2/2) ||w_T - w*||^2] (claims ``excess_le`` and ``excess_nonneg`` of
:mod:`gap_le_dev_add_sq_dist_of_norm_le`, for the population and for the sample), and ||w_T - w*|| <= rho^T S/beta
(:mod:`ga_last_dist_le_of_coverage`, on that sample). So |(J(w_T) - J_S(w_T)) - (J(w*) - J_S(w*))| <= b :=
(B^2 S^2/(2 beta)) rho^(2T) on every path (claims ``pathwise_hi``, ``pathwise_lo``); b is the same number for every
sample because every sample is covered at the same gamma (that is what the asserted condition buys: with a coverage
that varies with the sample, rho does). Taking expectations (:mod:`expect_le_of_le`) and using that the sample mean of
the fixed function j(w*; .) is unbiased, E_S[J(w*) - J_S(w*)] = 0 (:mod:`expect_mean_eq_of_iid`), gives
-b <= E_S[J(w_T) - J_S(w_T)] <= b (claim ``main``). The bound is 12 rho^(-T) times the stability route's
6 B^2 S^2 rho^T / beta, and, like it, needs no Hoeffding term. Derived here (docs/setting.md, section 4).
"""

import sympy as sp

from rlhfsym.chain import Claim, Derivation, citation
from rlhfsym.vocabulary import EXPECTATION_OVER_SAMPLE, EXPECTED_GAP, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, claimed_coverage
from rlhfsym.vocabulary.families import CORNER_SMALL, GENERIC_EVERY, RAW_EVERY, RAW_SMALL

from . import expect_le_of_le as expectation
from . import expect_mean_eq_of_iid as unbiased
from . import ga_last_dist_le_of_coverage as last_dist
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from ._chain import CHAIN
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import ASSUMPTIONS, RHO, T, dist
from .ga_last_expected_gap_le_of_stability import COVERED

#: J(w_T), J_S(w_T), J(w*), J_S(w*) on one sample; E_S[J(w_T) - J_S(w_T)] over the samples.
J_T, JS_T, J_opt, JS_opt = sp.symbols("J_T JS_T J_opt JS_opt", real=True)
expected = sp.Symbol("E_signed_gap", real=True)
mean_dev = unbiased.mean_dev  # E_S[J(w*) - J_S(w*)]
GAP_AT_T, DEV_AT_OPT = J_T - JS_T, J_opt - JS_opt


def _excess(label: str, excess: sp.Expr, name: str) -> object:
    instance = {decomposition.E: excess} | ({decomposition.D: dist(T)} if label == "excess_le" else {})
    return citation(decomposition.LEMMA, label, instance, name=name)


UPPER = _excess("excess_le", J_opt - J_T, "excess_le")  # J(w*) - J(w_T) <= beta (B^2/2) d(T)^2
UPPER_S = _excess("excess_le", JS_opt - JS_T, "excess_le_S")
LOWER = _excess("excess_nonneg", J_opt - J_T, "excess_nonneg")  # J(w*) - J(w_T) >= 0
LOWER_S = _excess("excess_nonneg", JS_opt - JS_T, "excess_nonneg_S")
CONTEXT = (*ASSUMPTIONS, COVERED, UPPER, UPPER_S, LOWER, LOWER_S)


def _pathwise(label: str, sign: int) -> Derivation:
    """sign ((J(w_T) - J_S(w_T)) - (J(w*) - J_S(w*))) = sign (E_S - E) <= beta (B^2/2) d(T)^2 <= b on every path."""
    witness = UPPER_S.slack + LOWER.slack if sign > 0 else UPPER.slack + LOWER_S.slack
    return (
        Derivation.of(sign * (GAP_AT_T - DEV_AT_OPT), CONTEXT)
        .bound(sign * (GAP_AT_T - DEV_AT_OPT), decomposition.CEILING.xreplace({decomposition.D: dist(T)}), witness,
               "E and E_S both lie in [0, beta (B^2/2) d(T)^2]")
        .cite(last_dist.LEMMA, name="dist", why="the distance bound, squared (the same for every covered sample)")
    )  # fmt: skip


HI, LO = _pathwise("pathwise_hi", 1), _pathwise("pathwise_lo", -1)
PATHWISE_HI, PATHWISE_LO = HI.claim("pathwise_hi"), LO.claim("pathwise_lo")
b = HI.result  # beta (B^2/2) (rho^T S/beta)^2 = (B^2 S^2/(2 beta)) rho^(2T), free of the sample
assert LO.result == b


def _mean(pathwise: Claim, sign: int, name: str) -> tuple:
    """E_S of the pathwise bound: sign E_S[gap] <= sign E_S[J(w*) - J_S(w*)] + b."""
    path = citation(pathwise, name=f"{name}_path")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: sign * GAP_AT_T, expectation.c: sp.S.One, expectation.Y: sign * DEV_AT_OPT,
         expectation.b: b, expectation.EX: sign * expected, expectation.EY: sign * mean_dev},
        name=name,
    )  # fmt: skip
    return path, mean


PATH_HI, MEAN_HI = _mean(PATHWISE_HI, 1, "mean_hi")
PATH_LO, MEAN_LO = _mean(PATHWISE_LO, -1, "mean_lo")
UNBIASED_LE = citation(unbiased.LEMMA, "le", name="unbiased_le")
UNBIASED_GE = citation(unbiased.LEMMA, "ge", name="unbiased_ge")
# b - E_S[gap] = MEAN_HI.slack - mean_dev, b + E_S[gap] = MEAN_LO.slack + mean_dev; b - |x| = (P + Q)/2 - |Q - P|/2.
_P = MEAN_HI.slack + UNBIASED_LE.slack
_Q = MEAN_LO.slack + UNBIASED_GE.slack
PROOF = Derivation.of(
    sp.Abs(expected), (*CONTEXT, PATH_HI, PATH_LO, MEAN_HI, MEAN_LO, UNBIASED_LE, UNBIASED_GE)
).bound(sp.Abs(expected), b, (_P + _Q) / 2 - sp.Abs(_Q - _P) / 2,
        "E_S of the pathwise bounds, and E_S[J(w*) - J_S(w*)] = 0")  # fmt: skip
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_expected_gap_le_of_coverage",
        statement="GA, eta <= 1/(beta B^2), every possible sample covered at gamma: "
        "|E_S[J(w_T) - J_S(w_T)]| <= (B^2 S^2/(2 beta)) rho^(2T)",
        source="derived here (docs/setting.md, section 4): the gap decomposition at w* and E_S[J(w*) - J_S(w*)] = 0",
        doc=__doc__,
        scope="every d and K; conditional on every sample covered; expectations by external facts",
        constants={"rho": RHO},
        bound=BOUND,
        bounds=EXPECTED_GAP,
        iterate=LAST,
        algorithm=GA,
        holds=EXPECTATION_OVER_SAMPLE,
        rate_n="n^0",
        rate_T="rho^(2*T)",
        form="direct",
        plan=Plan((RAW_EVERY, GENERIC_EVERY), T=(1, 20), perturbations=2, examples=200, cost=1.0),
        control=Control(
            "uncovered samples and a claimed gamma", claimed=claimed_coverage(1 - 1 / 1000),
            families=(CORNER_SMALL, RAW_SMALL),
        ),
        shape=Shape(n=3, d=2, N=4),
        establishes=("every_sample_covered",),
        claims=(PATHWISE_HI, PATHWISE_LO, PROOF.claim("main")),
    )
)
