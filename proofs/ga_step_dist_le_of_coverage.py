"""**One step of Gradient Ascent, in distances**: for 0 < eta <= 1/(beta B^2), ||w_{t+1} - w*|| <= ||w_t - w*||
(claim ``nonexp``), and if moreover ||w_t - w*|| <= S/beta, then ||w_{t+1} - w*|| <= rho ||w_t - w*|| with
rho = 1 - eta beta gamma e^{-4BS/beta} (claim ``contract``).

Write w = w_t, z = w - w*. A GA step is w_{t+1} - w* = (I - eta beta Sigma_S(w)) z, so in an orthonormal eigenbasis of
Sigma_S(w) (eigenvalues lambda_i, coordinates c_i of z) ||z||^2 = sum_i c_i^2 and ||w_{t+1} - w*||^2 =
sum_i (1 - eta beta lambda_i)^2 c_i^2 (:mod:`sq_norm_eq_sum_sq_of_eigenbasis`). The eigenvalues are at most B^2 (claim
``spectrum``): lambda_i = e_i^T Sigma_S(w) e_i is the sample mean of Var_{pi_w(x)}(<e_i, phi>) <= B^2
(:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` at pi_w, with Cauchy-Schwarz :mod:`inner_le_norm_mul_norm` and the feature
bound :mod:`setting_norm_le`; averaged by :mod:`expect_le_of_le`), so the sum contracts
(:mod:`ga_step_dist_sq_le_of_coverage`, claim ``nonexpansive``) and the square root gives ``nonexp``. Inside the ball:
||w*|| = ||theta*|| / beta <= S / beta (claims ``opt_norm``, ``opt_norm_sq``: :mod:`norm_eq_sqrt_sum_sq` and the reward
bound of :mod:`setting_norm_le`), so ||w|| <= 2S/beta = R (claim ``radius``, the triangle inequality
:mod:`norm_sub_le_norm_add_norm`), and the coverage transfer gives lambda_min(Sigma_S(w)) >= e^{-2BR} gamma
(:mod:`min_eig_ge_exp_smul_coverage_of_norm_le`; claim ``transfer``). Then :mod:`ga_step_dist_sq_le_of_coverage`
(claims ``main`` and ``rho_nonneg``) and the square root give ``contract``. The GA update itself, w_{t+1} - w* =
(I - eta beta Sigma_S(w)) z, is the gradient identity grad J_S(w) = beta Sigma_S(w) (w* - w) (the sample mean of
:mod:`grad_eq_cov_mul_of_loglinear`), read through the eigenbasis fact. Every d and K. Derived here (docs/setting.md,
section 4, lemma 6 and the sharp forms).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation

from . import cov_quad_le_sq_mul_sq_norm_of_norm_le as ceiling
from . import expect_le_of_le as expectation
from . import ga_step_dist_sq_le_of_coverage as one_step
from . import inner_le_norm_mul_norm as cauchy_schwarz
from . import min_eig_ge_exp_smul_coverage_of_norm_le as coverage_floor
from . import norm_eq_sqrt_sum_sq as coordinates_norm
from . import norm_sub_le_norm_add_norm as triangle
from . import setting_norm_le as norms
from . import sq_norm_eq_sum_sq_of_eigenbasis as eigenbasis
from ._chain import CHAIN
from ._family import A, B, J, beta, p, reference, s, x
from ._family import coordinates as total_over_coordinates
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE, coords, eigen, eta, gamma, lam

S = norms.S
#: ||w_t - w*||, ||w_{t+1} - w*||, ||w_t||, ||w*||.
N, N_next, W, N_opt = sp.symbols("N N_next W N_opt", nonnegative=True)
#: The quadratic forms e^T Sigma_S(w) e and e^T Sigma_S(0) e at a unit eigenvector e of Sigma_S(w).
Q_w = sp.Symbol("Q_w", real=True)
#: One eigenvalue of Sigma_S(w).
lam_k = sp.Symbol("lambda_k", nonnegative=True)
v = sp.Symbol("v", nonnegative=True)
RADIUS = 2 * S / beta
AT_RADIUS = {one_step.R: RADIUS}
RHO = one_step.RHO.xreplace(AT_RADIUS)

_b = sp.Dummy("b", integer=True)
SQ_PHI = sp.Lambda(_b, total_over_coordinates(lambda i: norms.phi[_b, i] ** 2))  # ||phi_b||^2 in coordinates
PHI_NORM = sp.sqrt(SQ_PHI(A))  # ||phi_a||
_ref = reference()
POLICY = sp.Lambda(_b, _ref(_b) * sp.exp(s[_b]))  # the weights of pi_w, as the family p of a reference policy

BALL = Hypothesis("ball", N, "<=", S / beta, "||w_t - w*|| <= S/beta", kind="asserted")
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))


def opt_norm_claim() -> Claim:
    """||w*|| <= S/beta: ||w*|| = ||theta*|| / beta in coordinates, and ||theta*|| <= S."""
    root = citation(coordinates_norm.LEMMA, "le", {coordinates_norm.N: N_opt,
                                                   coordinates_norm.u: sp.Lambda(_b, norms.theta[_b] / beta)},
                    name="norm_opt")
    reward = citation(norms.LEMMA, "reward", name="reward_norm")
    squares = total_over_coordinates(lambda i: (norms.theta[i] / beta) ** 2)
    return Claim(
        "opt_norm",
        N_opt,
        "<=",
        S / beta,
        calc(
            ("<=", sp.sqrt(squares), "||w*|| = ||theta*|| / beta in coordinates", Algebra(root.slack)),
            ("<=", S / beta, "||theta*||^2 <= S^2 and sqrt is increasing",
             Monotone(sp.sqrt(v), v, squares, S**2 / beta**2, gap_witness=reward.slack / beta**2)),
        ),
        hypotheses=(root, reward),
    )


def _opt_norm_sq(opt_norm: Claim) -> Claim:
    opt = citation(opt_norm, name="opt_norm")
    return Claim(
        "opt_norm_sq",
        N_opt**2,
        "<=",
        S**2 / beta**2,
        calc(("<=", S**2 / beta**2, "S^2/beta^2 - N^2 = (S/beta - N)(S/beta + N)",
              Algebra(opt.slack * (S / beta + N_opt)))),
        hypotheses=(opt,),
    )


def _radius(opt_norm: Claim) -> Claim:
    split = citation(triangle.LEMMA, "main", {triangle.N_ab: W, triangle.N_ac: N, triangle.N_cb: N_opt},
                     name="triangle")
    opt = citation(opt_norm, name="opt_norm")
    return Claim(
        "radius",
        W,
        "<=",
        RADIUS,
        calc(
            ("<=", N + N_opt, "||w|| <= ||w - w*|| + ||w*||", Algebra(split.slack)),
            ("<=", RADIUS, "||w - w*|| <= S/beta and ||w*|| <= S/beta", Algebra(BALL.slack + opt.slack)),
        ),
        hypotheses=(BALL, split, opt),
    )


def _transfer(radius: Claim) -> Claim:
    ball = citation(radius, name="radius")
    floor = citation(coverage_floor.LEMMA, "main", {coverage_floor.R: RADIUS}, name="coverage_transfer")
    return Claim(
        "transfer",
        gamma * one_step.TRANSFER_FACTOR.xreplace(AT_RADIUS),
        "<=",
        lam,
        calc(("<=", lam, "coverage transfer at ||w|| <= 2S/beta", Algebra(floor.slack))),
        hypotheses=(BALL, ball, floor),
    )


def _spectrum() -> Claim:
    """lambda_k <= B^2 for every eigenvalue: the quadratic form at its unit eigenvector e, x_a = <e, phi_a>."""
    cs = [
        citation(cauchy_schwarz.LEMMA, "main",
                 {cauchy_schwarz.inner: sign * x[A], cauchy_schwarz.G: PHI_NORM, cauchy_schwarz.D: sp.S.One},
                 name=f"cs_eig_{name}", forall=(A,))
        for sign, name in ((1, "hi"), (-1, "lo"))
    ]
    square = Claim(
        "eig_cs_sq", x[A] ** 2, "<=", SQ_PHI(A),
        calc(("<=", SQ_PHI(A), "||phi_a||^2 - x_a^2 = (||phi_a|| - x_a)(||phi_a|| + x_a), ||e|| = 1",
              Algebra(cs[0].slack * cs[1].slack))),
        hypotheses=tuple(cs),
    )
    squared = citation(square, name="eig_cs_sq_all", forall=(A,))
    bounded = citation(ceiling.LEMMA, "main", {p: POLICY, ceiling.U: sp.S.One, ceiling.n: SQ_PHI}, name="ceiling")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: bounded.lhs, expectation.c: sp.S.Zero, expectation.Y: sp.S.Zero, expectation.b: B**2,
         expectation.EX: Q_w, expectation.EY: sp.S.Zero},
        name="mean_ceiling",
    )
    eig = citation(eigenbasis.LEMMA, "eig_le_quad", {eigenbasis.mu_k: lam_k, eigenbasis.Q_k: Q_w}, name="eig_k")
    spectrum = Claim(
        "spectrum",
        lam_k,
        "<=",
        B**2,
        calc(
            ("<=", Q_w, "lambda_k = e^T Sigma_S(w) e at its unit eigenvector", Algebra(eig.slack)),
            ("<=", B**2, "Var_{pi_w}(<e, phi>) <= B^2 ||e||^2 at every prompt, averaged", Algebra(mean.slack)),
        ),
        hypotheses=(*cs, squared, FEATURES, bounded, mean, eig),
    )
    return square, spectrum


def _steps(spectrum: Claim, transfer: Claim) -> tuple[Claim, Claim]:
    every = citation(spectrum, instance={lam_k: eigen[J]}, name="spectrum_all", forall=(J,))
    now = citation(eigenbasis.LEMMA, "sq_norm_le", {eigenbasis.N: N, eigenbasis.c: coords}, name="now")
    following = citation(
        eigenbasis.LEMMA,
        "step_le",
        {eigenbasis.N_M: N_next, eigenbasis.mu: sp.Lambda(_b, eta * beta * eigen[_b]), eigenbasis.c: coords},
        name="next",
    )
    nonexpansive = citation(one_step.LEMMA, "nonexpansive", name="nonexpansive")
    nonexp = Claim(
        "nonexp",
        N_next,
        "<=",
        N,
        calc(("<=", N, "||w_{t+1} - w*||^2 <= sum m_i^2 c_i^2 <= sum c_i^2 = ||w_t - w*||^2; sqrt is increasing",
              Monotone(sp.sqrt(v), v, N_next**2, N**2,
                       gap_witness=following.slack + nonexpansive.slack + now.slack))),
        hypotheses=(ETA_LE, every, now, following, nonexpansive),
    )
    floor = citation(transfer, name="transfer")
    step = citation(one_step.LEMMA, "main", AT_RADIUS, name="contraction")
    rho_nonneg = citation(one_step.LEMMA, "rho_nonneg", AT_RADIUS, name="rho_nonneg")
    sign = rho_nonneg.slack
    contract = Claim(
        "contract",
        N_next,
        "<=",
        RHO * N,
        calc(
            ("<=", sp.sqrt(RHO**2 * N**2), "||w_{t+1} - w*||^2 <= rho^2 sum c_i^2 = rho^2 ||w_t - w*||^2",
             Monotone(sp.sqrt(v), v, N_next**2, RHO**2 * N**2,
                      gap_witness=following.slack + step.slack + RHO**2 * now.slack)),
            # |rho| N = rho N since rho >= 0: the witness is N (s - |s|) with s the slack of rho >= 0 (so 0).
            ("<=", RHO * N, "rho >= 0", Algebra(N * (sign - sp.Abs(sign, evaluate=False)))),
        ),
        hypotheses=(ETA_LE, GAMMA_LE, BALL, floor, every, now, following, step, rho_nonneg),
    )
    return nonexp, contract


def _claims() -> tuple[Claim, ...]:
    opt_norm = opt_norm_claim()
    radius = _radius(opt_norm)
    transfer = _transfer(radius)
    square, spectrum = _spectrum()
    nonexp, contract = _steps(spectrum, transfer)
    return opt_norm, _opt_norm_sq(opt_norm), radius, transfer, square, spectrum, nonexp, contract


LEMMA = CHAIN.register(
    Lemma(
        name="ga_step_dist_le_of_coverage",
        statement="GA, eta <= 1/(beta B^2): ||w_{t+1} - w*|| <= ||w_t - w*||, and <= rho ||w_t - w*|| when"
        " ||w_t - w*|| <= S/beta (rho = 1 - eta beta gamma e^{-4BS/beta})",
        source="derived here (docs/setting.md, section 4, lemma 6 and the sharp forms)",
        doc=__doc__,
        scope="every d and K; the update read in an eigenbasis of Sigma_S(w_t) (an external fact)",
        constants={"rho": RHO},
        claims=_claims(),
    )
)
