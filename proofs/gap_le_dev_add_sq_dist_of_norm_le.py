"""**Decomposition of the gap at w***: for any w with ||w - w*|| = D, the excess J(w*) - J(w) lies in
[0, beta (B^2/2) D^2], and so does J_S(w*) - J_S(w); hence |J(w) - J_S(w)| <= |J(w*) - J_S(w*)| + beta (B^2/2) D^2.

At every prompt x, j(w*; x) - j(w; x) = beta KL(pi_w || pi_{w*}) >= 0 (:mod:`gap_eq_smul_kl_of_boltzmann_opt`, claims
``le`` and ``excess_nonneg``) and KL(pi_w || pi_{w*}) <= (B^2/2) D^2 (:mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`, cited
with v = w*, i.e. the scores r_a / beta, and ||phi_a||^2 written in d coordinates), whose premises are the setting's
feature bound (:mod:`setting_norm_le`) and Cauchy-Schwarz |<w* - w, phi_a>| <= ||phi_a|| D
(:mod:`inner_le_norm_mul_norm`, cited for +-<w* - w, phi_a>, then squared: claim ``cs_sq``), at every action (claim
``pointwise``). Taking expectations of the pathwise bounds over the prompt (:mod:`expect_le_of_le`, under D for J and
under the sample for J_S) gives claims ``excess_le`` and ``excess_nonneg``, stated for the expectation E of the excess
under any distribution of prompts. Since J(w) - J_S(w) = [J(w*) - J_S(w*)] - E + E_S, the triangle inequality
(:mod:`norm_sub_le_norm_add_norm`) gives |J(w) - J_S(w)| <= |E_S - E| + dev, and two numbers of [0, c] differ by at most
c (claim ``main``). Every K and d. Derived here (docs/setting.md, section 4).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, calc, citation

from . import expect_le_of_le as expectation
from . import gap_eq_smul_kl_of_boltzmann_opt as kl_gap
from . import inner_le_norm_mul_norm as cauchy_schwarz
from . import kl_le_half_sq_mul_dist_sq_of_norm_le as bregman
from . import norm_sub_le_norm_add_norm as triangle
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._concentration import dev, gap
from ._family import A, B, beta, coordinates, objective, of, r, reference, s

#: ||w - w*|| (a distance; cited at d(T), at ||w_S - w*||, at the residual ||P_perp w*||).
D = sp.Symbol("D", nonnegative=True)
#: The expectation of the excess j(w*; x) - j(w; x) over the prompts (J(w*) - J(w) under D, or under the sample).
E, E_S = sp.symbols("E E_S", real=True)
CEILING = beta * B**2 / 2 * D**2

_b = sp.Dummy("b", integer=True)
_ref = reference()
#: j(w*; x) - j(w; x) at the prompt x, the scores of w* being r_a / beta.
EXCESS = objective(_ref, lambda a: r[a] / beta, of(r)) - objective(_ref, of(s), of(r))
#: <w* - w, phi_a> at the generic action.
TOWARDS = r[A] / beta - s[A]
SQ_PHI = sp.Lambda(_b, coordinates(lambda i: norms.phi[_b, i] ** 2))  # ||phi_b||^2 in d coordinates

FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))
CS_HI = citation(
    cauchy_schwarz.LEMMA,
    "main",
    {cauchy_schwarz.inner: TOWARDS, cauchy_schwarz.G: sp.sqrt(SQ_PHI(A)), cauchy_schwarz.D: D},
    name="cs_hi",
    forall=(A,),
)
CS_LO = citation(
    cauchy_schwarz.LEMMA,
    "main",
    {cauchy_schwarz.inner: -TOWARDS, cauchy_schwarz.G: sp.sqrt(SQ_PHI(A)), cauchy_schwarz.D: D},
    name="cs_lo",
    forall=(A,),
)


def _cs_sq() -> Claim:
    return Claim(
        "cs_sq",
        TOWARDS**2,
        "<=",
        D**2 * SQ_PHI(A),
        calc(("<=", D**2 * SQ_PHI(A), "(||phi|| D)^2 - x^2 = (||phi|| D - x)(||phi|| D + x)",
              Algebra(CS_HI.slack * CS_LO.slack))),
        hypotheses=(CS_HI, CS_LO),
    )


def _pointwise(cs_sq: Claim) -> Claim:
    squared = citation(cs_sq, name="cs_sq_all", forall=(A,))
    kl = citation(
        bregman.LEMMA,
        "main",
        {bregman.v: sp.Lambda(_b, r[_b] / beta), bregman.n: SQ_PHI, bregman.D2: D**2},
        name="bregman",
    )
    le = citation(kl_gap.LEMMA, "le", name="kl_gap")
    return Claim(
        "pointwise",
        EXCESS,
        "<=",
        CEILING,
        calc(
            (
                "<=",
                CEILING,
                "j(w*) - j(w) = beta KL(pi_w || pi_{w*}) <= beta (B^2/2) D^2",
                Algebra(le.slack + beta * kl.slack),
            )
        ),
        hypotheses=(CS_HI, CS_LO, squared, FEATURES, kl, le),
    )


def _excess_le(pointwise: Claim) -> Claim:
    pathwise = citation(pointwise, name="pathwise_le")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: EXCESS, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: CEILING,
         expectation.EX: E, expectation.EY: sp.S.Zero},
        name="mean_le",
    )
    return Claim(
        "excess_le",
        E,
        "<=",
        CEILING,
        calc(("<=", CEILING, "the expectation of the pathwise bound", Algebra(mean.slack))),
        hypotheses=(pathwise, mean),
    )


def _excess_nonneg() -> Claim:
    pathwise = citation(kl_gap.LEMMA, "excess_nonneg", name="pathwise_nonneg")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: -EXCESS, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: sp.S.Zero,
         expectation.EX: -E, expectation.EY: sp.S.Zero},
        name="mean_nonneg",
    )
    return Claim(
        "excess_nonneg",
        E,
        ">=",
        sp.S.Zero,
        calc((">=", sp.S.Zero, "the expectation of j(w*) - j(w) >= 0", Algebra(mean.slack))),
        hypotheses=(pathwise, mean),
    )


def _main(excess_le: Claim, excess_nonneg: Claim) -> Claim:
    split = citation(
        triangle.LEMMA, "main", {triangle.N_ab: gap, triangle.N_ac: sp.Abs(E_S - E), triangle.N_cb: dev},
        name="triangle",
    )
    upper, upper_S = citation(excess_le, name="excess_le_D"), citation(excess_le, instance={E: E_S}, name="excess_le_S")
    lower, lower_S = citation(excess_nonneg, name="excess_nonneg_D"), citation(excess_nonneg, instance={E: E_S},
                                                                                name="excess_nonneg_S")
    # |E_S - E| <= c for E, E_S in [0, c]: (sum of the four slacks)/2 - |(E_S - E)| in slacks, read in both signs.
    difference = (upper.slack - upper_S.slack + lower_S.slack - lower.slack) / 2
    witness = (upper.slack + upper_S.slack + lower.slack + lower_S.slack) / 2 - sp.Abs(difference)
    return Claim(
        "main",
        gap,
        "<=",
        dev + CEILING,
        calc(
            ("<=", sp.Abs(E_S - E) + dev, "triangle inequality through J(w*) - J_S(w*)", Algebra(split.slack)),
            ("<=", dev + CEILING, "E and E_S both lie in [0, beta (B^2/2) D^2]", Algebra(witness)),
        ),
        hypotheses=(split, upper, upper_S, lower, lower_S),
    )


def _claims() -> tuple[Claim, ...]:
    cs_sq = _cs_sq()
    pointwise = _pointwise(cs_sq)
    excess_le, excess_nonneg = _excess_le(pointwise), _excess_nonneg()
    return cs_sq, pointwise, excess_le, excess_nonneg, _main(excess_le, excess_nonneg)


LEMMA = CHAIN.register(
    Lemma(
        name="gap_le_dev_add_sq_dist_of_norm_le",
        statement="0 <= J(w*) - J(w) <= beta (B^2/2) ||w - w*||^2 (also for J_S), so |J(w) - J_S(w)| <="
        " |J(w*) - J_S(w*)| + beta (B^2/2) ||w - w*||^2",
        source="derived here (docs/setting.md, section 4: the KL gap and the Bregman bound, opposite signs)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); expectations by the external fact expect_le_of_le",
        claims=_claims(),
    )
)
