"""**Excess of the minimum-norm optimum, covariance-weighted**: J(w*) - J(w_U) <= (beta/2) e^{2BS/beta} residual^2
lambda_dev, with lambda_dev = lambda_max(Sigma_D(0) - Sigma_S(0)) and residual = ||P_perp w*||.

Both ends of the segment from w_U to w* lie in the ball ||w|| <= S/beta: ||w*|| <= S/beta (claim ``opt_norm``,
built as in :mod:`ga_step_dist_le_of_coverage`) and ||w_U|| <= ||w*|| (:mod:`setting_min_norm`; claim ``norm_u``).
So by Cauchy-Schwarz (:mod:`inner_le_norm_mul_norm`, with ||phi_a|| <= B from :mod:`setting_norm_le`; claim
``phi_norm``) every score of w_U and of w* lies in [-M, M], M = B S/beta (claims ``lo_u``, ``hi_u``, ``lo_v``,
``hi_v``). At each prompt x, j(w*; x) - j(w_U; x) = beta KL(pi_{w_U} || pi_{w*})
(:mod:`gap_eq_smul_kl_of_boltzmann_opt`) <= beta (e^{2M}/2) V_0(x), V_0(x) = Var_{pi_ref}(<r, phi(x, .)>) =
r^T Sigma_0(x) r (:mod:`kl_le_half_exp_mul_var_ref_of_mem_icc`, the segment bound; claim ``pointwise``). Its
expectation over D (:mod:`expect_le_of_le`; E_D[r^T Sigma_0(x) r] = r^T Sigma_D(0) r = Q_D, the definition of
Sigma_D(0) read in the citation's roles) is claim ``excess_le``. Since r^T Sigma_S(0) r = 0 (:mod:`setting_min_norm`),
Q_D = r^T (Sigma_D(0) - Sigma_S(0)) r <= ||r||^2 lambda_dev (Rayleigh, :mod:`min_eig_mul_sq_le_quad`; claim
``quad_le``). Every K and d. Derived here (docs/setting.md, section 3).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, Monotone, calc, citation
from rlhfsym.setting import symbol

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as ga_step
from . import gap_eq_smul_kl_of_boltzmann_opt as kl_gap
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition
from . import inner_le_norm_mul_norm as cauchy_schwarz
from . import kl_le_half_exp_mul_var_ref_of_mem_icc as segment
from . import min_eig_mul_sq_le_quad as rayleigh
from . import setting_min_norm as min_norm
from ._chain import CHAIN
from ._family import A, B, beta, r, reference, s, var
from .max_eig_sub_le_of_matrix_bernstein import lam_dev
from .setting_norm_le import S

residual = symbol("residual")
#: The excess J(w*) - J(w_U) (the expectation over D of the excess at one prompt).
excess = sp.Symbol("excess", nonnegative=True)
#: r^T Sigma_D(0) r, the population covariance in the direction of the residual.
Q_D = sp.Symbol("Q_D", real=True)
N_U, N_opt, Q_S = min_norm.N_U, ga_step.N_opt, min_norm.Q_S
RADIUS = S / beta
M = B * RADIUS
FACTOR = beta * sp.exp(2 * M) / 2
_b = sp.Dummy("b", integer=True)
_v = sp.Symbol("v", nonnegative=True)
SQ_PHI = decomposition.SQ_PHI
FEATURES = decomposition.FEATURES
#: V_0(x) = Var_{pi_ref}(<w* - w_U, phi>), the scores of w* being r_a / beta and those of w_U the family s.
V0 = var(reference(), lambda a: r[a] / beta - s[a])


def _norm_u(opt_norm: Claim) -> Claim:
    proj = citation(min_norm.LEMMA, "norm_le", name="proj_norm")
    opt = citation(opt_norm, name="opt_norm")
    return Claim("norm_u", N_U, "<=", RADIUS,
                 calc(("<=", RADIUS, "||w_U|| <= ||w*|| <= S/beta", Algebra(proj.slack + opt.slack))),
                 hypotheses=(proj, opt))


def _phi_norm() -> Claim:
    return Claim("phi_norm", sp.sqrt(SQ_PHI(A)), "<=", B,
                 calc(("<=", B, "||phi_a||^2 <= B^2 and sqrt is increasing",
                       Monotone(sp.sqrt(_v), _v, SQ_PHI(A), B**2, gap_witness=FEATURES.slack))),
                 hypotheses=(FEATURES,))


def _score(label: str, score: sp.Expr, sign: int, norm: sp.Symbol, norm_claim: Claim, phi: Claim) -> Claim:
    """sign * score <= M: Cauchy-Schwarz, ||phi_a|| <= B, ||w|| <= S/beta."""
    cs = citation(cauchy_schwarz.LEMMA, "main", {cauchy_schwarz.inner: sign * score,
                                                 cauchy_schwarz.G: sp.sqrt(SQ_PHI(A)), cauchy_schwarz.D: norm},
                  name=f"cs_{label}")
    feature = citation(phi, name=f"phi_norm_{label}")
    bounded = citation(norm_claim, name=f"norm_{label}")
    witness = cs.slack + norm * feature.slack + B * bounded.slack
    rel, rhs = ("<=", M) if sign > 0 else (">=", -M)
    return Claim(label, score, rel, rhs,
                 calc((rel, rhs, "<w, phi_a> <= ||phi_a|| ||w|| <= B S/beta", Algebra(witness))),
                 hypotheses=(cs, feature, bounded))


def _pointwise(scores: tuple[Claim, ...]) -> Claim:
    ends = tuple(citation(c, name=f"{c.label}_all", forall=(A,)) for c in scores)
    bound = citation(segment.LEMMA, "main", {segment.u: s, segment.v: sp.Lambda(_b, r[_b] / beta),
                                             segment.transfer.R: RADIUS}, name="segment")
    le = citation(kl_gap.LEMMA, "le", name="kl_gap")
    return Claim("pointwise", decomposition.EXCESS, "<=", FACTOR * V0,
                 calc(("<=", FACTOR * V0, "j(w*) - j(w_U) = beta KL <= beta (e^{2M}/2) V_0 along the segment",
                       Algebra(le.slack + beta * bound.slack))),
                 hypotheses=(*ends, bound, le))


def _excess_le(pointwise: Claim) -> Claim:
    pathwise = citation(pointwise, name="pathwise")
    mean = citation(expectation.LEMMA, "main",
                    {expectation.X: decomposition.EXCESS, expectation.c: FACTOR, expectation.Y: V0,
                     expectation.b: sp.S.Zero, expectation.EX: excess, expectation.EY: Q_D}, name="mean")
    return Claim("excess_le", excess, "<=", FACTOR * Q_D,
                 calc(("<=", FACTOR * Q_D, "the expectation over D of the pathwise bound", Algebra(mean.slack))),
                 hypotheses=(pathwise, mean))


def _quad_le() -> Claim:
    ray = citation(rayleigh.LEMMA, "quad_le", {rayleigh.Q: Q_D - Q_S, rayleigh.lam_max: lam_dev,
                                               rayleigh.D: residual}, name="rayleigh")
    perp = citation(min_norm.LEMMA, "main", name="residual_perp")
    return Claim("quad_le", Q_D, "<=", lam_dev * residual**2,
                 calc(("<=", lam_dev * residual**2, "r^T Sigma_S(0) r = 0, then Rayleigh for Sigma_D(0) - Sigma_S(0)",
                       Algebra(ray.slack + perp.slack))),
                 hypotheses=(ray, perp))


def _main(excess_le: Claim, quad_le: Claim) -> Claim:
    first, second = citation(excess_le, name="excess_le"), citation(quad_le, name="quad_le")
    return Claim("main", excess, "<=", FACTOR * residual**2 * lam_dev,
                 calc(("<=", FACTOR * residual**2 * lam_dev, "the two bounds",
                       Algebra(first.slack + FACTOR * second.slack))),
                 hypotheses=(first, second))


def _claims() -> tuple[Claim, ...]:
    opt_norm = ga_step.opt_norm_claim()
    norm_u, phi = _norm_u(opt_norm), _phi_norm()
    scores = (
        _score("lo_u", s[A], -1, N_U, norm_u, phi),
        _score("hi_u", s[A], 1, N_U, norm_u, phi),
        _score("lo_v", r[A] / beta, -1, N_opt, opt_norm, phi),
        _score("hi_v", r[A] / beta, 1, N_opt, opt_norm, phi),
    )
    pointwise = _pointwise(scores)
    excess_le, quad_le = _excess_le(pointwise), _quad_le()
    return (opt_norm, norm_u, phi, *scores, pointwise, excess_le, quad_le, _main(excess_le, quad_le))


LEMMA = CHAIN.register(
    Lemma(
        name="excess_le_exp_mul_quad_of_min_norm",
        statement="J(w*) - J(w_U) <= (beta/2) e^{2BS/beta} residual^2 lambda_max(Sigma_D(0) - Sigma_S(0)) for the"
        " minimum-norm empirical optimum w_U",
        source="derived here (docs/setting.md, section 3: the covariance-weighted residual)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); expectations by the external fact expect_le_of_le",
        claims=_claims(),
    )
)
