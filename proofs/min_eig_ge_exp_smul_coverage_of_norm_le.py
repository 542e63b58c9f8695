"""**Coverage transfer to the smallest eigenvalue**: lambda_min(Sigma_S(w)) >= e^{-2BR} gamma for ||w|| <= R.

Let e be a unit eigenvector of Sigma_S(w) for lambda = lambda_min(Sigma_S(w)), so lambda = e^T Sigma_S(w) e =: Q_e
(:mod:`sq_norm_eq_sum_sq_of_eigenbasis`, claim ``quad_le_eig``). At every prompt the scores s_a = <w, phi_a> lie in
[-B R, B R] (Cauchy-Schwarz, :mod:`inner_le_norm_mul_norm`, with ||phi_a|| <= B from :mod:`setting_norm_le`; claims
``score_hi`` and ``score_lo``), so Var_{pi_w}(<e, phi>) >= e^{-2BR} Var_{pi_ref}(<e, phi>)
(:mod:`cov_ge_exp_smul_cov_ref_of_norm_le`, claim ``sharp``; claim ``ratio`` writes it as Var_ref <= e^{2BR} Var_w).
Averaged over the sample (:mod:`expect_le_of_le`; e^T Sigma_S(w) e is the sample mean of Var_{pi_w(x_i)}(<e, phi>)):
Q_e0 := e^T Sigma_S(0) e <= e^{2BR} Q_e. And Q_e0 >= lambda_min(Sigma_S(0)) ||e||^2 (:mod:`min_eig_mul_sq_le_quad`)
>= gamma (:mod:`coverage_le_min_eig`). Hence gamma e^{-2BR} <= Q_e = lambda (claim ``main``). The one assumption is
``ball``: ||w|| <= R. Every K and d. Source: docs/setting.md (coverage transfer; the e^{-2BR} factor is derived
here).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation

from . import cov_ge_exp_smul_cov_ref_of_norm_le as transfer
from . import coverage_le_min_eig as coverage
from . import expect_le_of_le as expectation
from . import inner_le_norm_mul_norm as cauchy_schwarz
from . import min_eig_mul_sq_le_quad as spectral
from . import setting_norm_le as norms
from . import sq_norm_eq_sum_sq_of_eigenbasis as eigenbasis
from ._chain import CHAIN
from ._family import A, B, coordinates, s

R = transfer.R
W = sp.Symbol("W", nonnegative=True)  # ||w||
lam = sp.Symbol("lambda", positive=True)  # lambda_min(Sigma_S(w))
Q_e, Q_e0 = sp.symbols("Q_e Q_e0", real=True)  # e^T Sigma_S(w) e, e^T Sigma_S(0) e
y = sp.Symbol("y", nonnegative=True)
M = B * R
FLOOR = coverage.gamma * sp.exp(-2 * M)

BALL = Hypothesis("ball", W, "<=", R, "||w|| <= R", kind="asserted")
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))
SQ_PHI = coordinates(lambda i: norms.phi[A, i] ** 2)  # ||phi_a||^2 in d coordinates


def _score(sign: int) -> Claim:
    """sign * s_a <= B R: Cauchy-Schwarz <sign w, phi_a> <= ||phi_a|| ||w|| <= B R."""
    cs = citation(
        cauchy_schwarz.LEMMA,
        "main",
        {cauchy_schwarz.inner: sign * s[A], cauchy_schwarz.G: sp.sqrt(SQ_PHI), cauchy_schwarz.D: W},
        name="cs",
    )
    return Claim(
        "score_hi" if sign > 0 else "score_lo",
        sign * s[A],
        "<=",
        M,
        calc(
            ("<=", sp.sqrt(SQ_PHI) * W, "Cauchy-Schwarz", Algebra(cs.slack)),
            (
                "<=",
                B * W,
                "||phi_a||^2 <= B^2 and sqrt is increasing",
                Monotone(sp.sqrt(y) * W, y, SQ_PHI, B**2, gap_witness=FEATURES.slack),
            ),
            ("<=", M, "||w|| <= R", Algebra(B * BALL.slack)),
        ),
        hypotheses=(BALL, FEATURES, cs),
    )


def _ratio(hi: Claim, lo: Claim) -> Claim:
    above = citation(hi, name="score_hi_all", forall=(A,))
    below = citation(lo, name="score_lo_all", forall=(A,))
    sharp = citation(transfer.LEMMA, "sharp", name="sharp")
    return Claim(
        "ratio",
        sharp.rhs * sp.exp(2 * M),
        "<=",
        sp.exp(2 * M) * sharp.lhs,
        calc(("<=", sp.exp(2 * M) * sharp.lhs, "Var_w >= e^{-2BR} Var_ref", Algebra(sp.exp(2 * M) * sharp.slack))),
        hypotheses=(BALL, FEATURES, above, below, sharp),
    )


def _main(ratio: Claim) -> Claim:
    pathwise = citation(ratio, name="at_every_prompt")
    mean = citation(
        expectation.LEMMA,
        "main",
        {
            expectation.X: ratio.lhs,
            expectation.c: sp.exp(2 * M),
            expectation.Y: ratio.rhs / sp.exp(2 * M),
            expectation.b: sp.S.Zero,
            expectation.EX: Q_e0,
            expectation.EY: Q_e,
        },
        name="sample_mean",
    )
    floor = citation(coverage.LEMMA, "main", name="coverage")
    rayleigh = citation(
        spectral.LEMMA, "quad_ge", {spectral.lam: coverage.lam0, spectral.D: sp.S.One, spectral.Q: Q_e0},
        name="rayleigh_at_0",
    )
    eigen = citation(eigenbasis.LEMMA, "quad_le_eig", {eigenbasis.Q_k: Q_e, eigenbasis.mu_k: lam}, name="eigenvector")
    factor = sp.exp(-2 * M)
    return Claim(
        "main",
        FLOOR,
        "<=",
        lam,
        calc(
            ("<=", coverage.lam0 * factor, "gamma <= lambda_min(Sigma_S(0))", Algebra(factor * floor.slack)),
            ("<=", Q_e0 * factor, "Rayleigh at the unit vector e", Algebra(factor * rayleigh.slack)),
            ("<=", Q_e, "the sample mean of the per-prompt transfer", Algebra(factor * mean.slack)),
            ("<=", lam, "e is a unit eigenvector for lambda_min", Algebra(eigen.slack)),
        ),
        hypotheses=(BALL, FEATURES, pathwise, mean, floor, rayleigh, eigen),
    )


def _claims() -> tuple[Claim, ...]:
    hi, lo = _score(1), _score(-1)
    ratio = _ratio(hi, lo)
    return hi, lo, ratio, _main(ratio)


LEMMA = CHAIN.register(
    Lemma(
        name="min_eig_ge_exp_smul_coverage_of_norm_le",
        statement="gamma e^{-2BR} <= lambda_min(Sigma_S(w)) for ||w|| <= R (coverage transfer)",
        source="docs/setting.md (coverage transfer; the e^{-2BR} factor is derived here)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); the sample average by the external expect_le_of_le",
        constants={"floor": FLOOR},
        claims=_claims(),
    )
)
