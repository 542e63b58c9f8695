"""**Theorem (partial coverage)**: without coverage (gamma = 0, e.g. d > n(K - 1)), let U_S = range(Sigma_S(0)) and
w_U = P_U w* the minimum-norm empirical maximiser (the limit of GA from w_0 = 0). With probability at least
1 - delta over the sample,
|J(w_U) - J_S(w_U)| <= (beta B^2 / 2) residual^2 + 2 S B sqrt(log(2/delta) / (2n)),  residual = ||P_perp w*||.

On a training prompt x_i the scores of w_U are r_a / beta - c_i with c_i = <w* - w_U, phi(x_i, a)> the same for every
action (w* - w_U is orthogonal to U_S, which holds the centred features of the sample), and a constant shift of the
scores leaves the Boltzmann policy unchanged: j(w*; x_i) - j(w_U; x_i) = 0 identically (the checker's normal forms
of the two objectives agree), so J_S(w_U) = J_S(w*) = max J_S (averaged by :mod:`expect_le_of_le`). By the
triangle inequality (:mod:`norm_sub_le_norm_add_norm`), |J(w_U) - J_S(w_U)| <= |J(w*) - J_S(w*)| + (J(w*) - J(w_U))
(claim ``decomposition``). The excess is beta E_D KL(pi_{w_U} || pi_{w*}) <= beta (B^2/2) ||w* - w_U||^2 (claims
``excess_le`` and ``excess_nonneg`` of :mod:`gap_le_dev_add_sq_dist_of_norm_le`, through
:mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`), and Hoeffding bounds the deviation at w* (:mod:`_concentration`). The
residual term does not shrink with n: only the covered part generalizes at n^(-1/2). Under coverage the residual is 0
and the bound is that of :mod:`erm_gap_le_of_coverage`. Source: docs/setting.md, section 3 (partial coverage;
this residual
form, ||P_perp w*||^2 weighted by B^2, is derived here and is coarser than the covariance-weighted residual).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Derivation, calc, citation
from rlhfsym.chain.citations import apply_instance
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import ERM, GAP, MIN_NORM_OPTIMUM, PROBABILITY

from . import _partial as exercise
from . import expect_le_of_le as expectation
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import norm_sub_le_norm_add_norm as triangle
from ._chain import CHAIN
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, gap, with_deviation
from ._family import beta, r, s
from ._theorem import theorem

residual = symbol("residual")
excess = sp.Symbol("excess", nonnegative=True)
shift = sp.Symbol("c", real=True)  # <w* - w_U, phi(x_i, a)>, the same for every action a of a training prompt
_b = sp.Dummy("b", integer=True)
#: On a training prompt the scores of w_U are <w_U, phi_a> = r_a / beta - c: w* - w_U is orthogonal to U_S, which
#: holds the centred features phi(x_i, a) - phi(x_i, b) of the sample, so <w* - w_U, phi(x_i, a)> = c for every a.
SHIFTED = {s: sp.Lambda(_b, r[_b] / beta - shift)}
#: j(w*; x_i) - j(w_U; x_i), which is 0: a constant shift of the scores leaves the Boltzmann policy unchanged (the
#: normal forms of the two objectives agree, so the pathwise premise of expect_le_of_le below holds by algebra).
_SHIFTED_EXCESS = apply_instance(decomposition.EXCESS, SHIFTED)
#: J_S(w*) - J_S(w_U) <= 0 (the mean of the pathwise bound over the training prompts).
SAMPLE_BLIND = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: _SHIFTED_EXCESS, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: sp.S.Zero,
     expectation.EX: decomposition.E_S, expectation.EY: sp.S.Zero},
    name="sample_blind",
)
_TRIANGLE = citation(
    triangle.LEMMA,
    "main",
    {triangle.N_ab: gap, triangle.N_ac: sp.Abs(decomposition.E_S - excess), triangle.N_cb: dev},
    name="triangle",
)
_NONNEG = citation(decomposition.LEMMA, "excess_nonneg", {decomposition.E: excess}, name="excess_nonneg")
_NONNEG_S = citation(decomposition.LEMMA, "excess_nonneg", {decomposition.E: decomposition.E_S},
                     name="excess_nonneg_S")
_half = (_NONNEG_S.slack - SAMPLE_BLIND.slack) / 2  # E_S, in slacks
DECOMPOSITION_CLAIM = Claim(
    "decomposition",
    gap,
    "<=",
    excess + dev,
    calc(
        ("<=", sp.Abs(decomposition.E_S - excess) + dev, "triangle inequality through J(w*) - J_S(w*)",
         Algebra(_TRIANGLE.slack)),
        (
            "<=",
            excess + dev,
            "J_S(w*) - J_S(w_U) = 0 and J(w*) - J(w_U) >= 0",
            Algebra(_NONNEG.slack - sp.Abs(_half - _NONNEG.slack) + (SAMPLE_BLIND.slack + _NONNEG_S.slack) / 2),
        ),
    ),
    hypotheses=(_TRIANGLE, SAMPLE_BLIND, _NONNEG, _NONNEG_S),
)
DECOMPOSITION = citation(DECOMPOSITION_CLAIM, name="decomposition")
#: J(w*) - J(w_U) = beta E_D KL(pi_{w_U} || pi_{w*}) <= beta (B^2/2) ||w* - w_U||^2, and ||w* - w_U|| = residual.
KL = citation(decomposition.LEMMA, "excess_le", {decomposition.D: residual, decomposition.E: excess}, name="kl")
PROOF = with_deviation(
    Derivation.of(gap, (DECOMPOSITION, KL, *CONCENTRATION))
    .apply(DECOMPOSITION, "decompose at w*")
    .apply(KL, "KL gap and Bregman bound at distance ||P_perp w*||")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_min_norm_gap_le_of_partial_coverage",
        statement="no coverage, w.p. >= 1 - delta: |J(w_U) - J_S(w_U)| <= (beta B^2/2) residual^2 + Hoeffding term",
        source="docs/setting.md, section 3 (partial coverage), derived here",
        doc=__doc__,
        scope="every d, K and n; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        bound=BOUND,
        bounds=GAP,
        iterate=MIN_NORM_OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        plan=exercise.plan(examples=250),
        control=exercise.CONTROL,
        shape=exercise.SHAPE,
        claims=(DECOMPOSITION_CLAIM, PROOF.claim("main")),
    )
)
