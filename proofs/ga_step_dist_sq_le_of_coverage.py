"""**One step of Gradient Ascent contracts toward w***: ||w_{t+1} - w*||^2 <= rho_R^2 ||w_t - w*||^2 with
rho_R = 1 - eta beta gamma exp(-2 B R), for 0 < eta <= 1/(beta B^2) and ||w_t|| <= R.

Since grad J_S(w) = beta Sigma_S(w) (w* - w), w_{t+1} - w* = (I - eta beta Sigma_S(w_t)) (w_t - w*). In an
orthonormal eigenbasis of Sigma_S(w_t) with eigenvalues lambda_i and coordinates c_i of w_t - w*, the new squared
distance is sum_i m_i^2 c_i^2 with m_i = 1 - eta beta lambda_i. Every lambda_i lies in [lambda_min, B^2]
(:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`) and lambda_min >= e^{-2BR} gamma (coverage transfer,
:mod:`cov_ge_exp_smul_cov_ref_of_norm_le`), so 0 <= m_i <= rho_R and the sum is <= rho_R^2 sum_i c_i^2 (claim
``main``, a sum over the d eigen-coordinates, term by term). ``rho_nonneg`` and ``rho_le_one`` give 0 <= rho_R <= 1
(using gamma <= B^2). Claim ``nonexpansive`` is the step without coverage: 0 <= m_i <= 1, so the distance never
grows. Source: docs/setting.md, section 4, lemma 6 (the non-expansion for eta <= 2/(beta B^2) and, under
coverage, the linear contraction of the sharp form)."""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation
from rlhfsym.setting import symbol

from . import min_eig_mul_sq_le_quad as spectral
from ._chain import CHAIN
from ._family import B, J, beta, coordinates, family

eta, gamma = symbol("eta"), symbol("gamma")
R = sp.Symbol("R", nonnegative=True)
lam = sp.Symbol("lambda", positive=True)
v = sp.Symbol("v", real=True)
eigen = family("lambda", nonnegative=True)  # the eigenvalues of Sigma_S(w_t), i = 1..d
coords = family("c")  # the coordinates of w_t - w* in the eigenbasis
TRANSFER_FACTOR = sp.exp(-2 * B * R)
RHO = 1 - eta * beta * gamma * TRANSFER_FACTOR

ETA_LE = Hypothesis("eta_le", eta, "<=", 1 / (beta * B**2), "the step size is at most 1/(beta B^2)", kind="parameter")
GAMMA_LE = Hypothesis(
    "gamma_le", gamma, "<=", B**2, "gamma = lambda_min(Sigma_S(0)) <= lambda_max <= B^2", kind="parameter"
)
EXP_LE = Hypothesis("exp_le", TRANSFER_FACTOR, "<=", sp.S.One, by="#exp_le_one")
TRANSFER = Hypothesis(
    "transfer",
    gamma * TRANSFER_FACTOR,
    "<=",
    lam,
    "lambda_min(Sigma_S(w_t)) >= e^{-2B||w_t||} gamma >= e^{-2BR} gamma (coverage transfer)",
    kind="asserted",
)
SPECTRUM = Hypothesis(
    "spec", eigen[J], "<=", B**2, "eigenvalues of Sigma_S(w_t) are <= B^2", forall=(J,), kind="asserted"
)
ABOVE_MIN = citation(spectral.LEMMA, "eig_ge", {spectral.lam: lam, spectral.lam_i: eigen[J]}, name="eig", forall=(J,))


def _main() -> Claim:
    m = lambda i: 1 - eta * beta * eigen[i]  # noqa: E731
    before = coordinates(lambda i: coords[i] ** 2)
    after = coordinates(lambda i: m(i) ** 2 * coords[i] ** 2)
    gap_to_rho = eta * beta * (ABOVE_MIN.slack + TRANSFER.slack)  # rho - m_i
    floor = eta * beta * SPECTRUM.slack + beta * B**2 * ETA_LE.slack  # m_i
    witness = coordinates(lambda i: coords[i] ** 2 * gap_to_rho * (2 * floor + gap_to_rho), over=J)
    return Claim(
        "main",
        after,
        "<=",
        RHO**2 * before,
        calc(("<=", RHO**2 * before, "0 <= m_i <= rho_R for every eigenvalue: rho^2 - m_i^2 >= 0", Algebra(witness))),
        hypotheses=(ETA_LE, TRANSFER, SPECTRUM, ABOVE_MIN),
    )


def _nonexpansive() -> Claim:
    """Without coverage: 0 <= m_i <= 1, so sum_i m_i^2 c_i^2 <= sum_i c_i^2 (1 - m_i^2 = eta beta lambda_i (2 - eta beta
    lambda_i), and 2 - eta beta lambda_i = 1 + eta beta (B^2 - lambda_i) + beta B^2 (1/(beta B^2) - eta))."""
    m = lambda i: 1 - eta * beta * eigen[i]  # noqa: E731
    before = coordinates(lambda i: coords[i] ** 2)
    after = coordinates(lambda i: m(i) ** 2 * coords[i] ** 2)
    second = 1 + eta * beta * SPECTRUM.slack + beta * B**2 * ETA_LE.slack  # 2 - eta beta lambda_i
    witness = coordinates(lambda i: coords[i] ** 2 * eta * beta * eigen[i] * second, over=J)
    return Claim(
        "nonexpansive",
        after,
        "<=",
        before,
        calc(("<=", before, "0 <= m_i <= 1 for every eigenvalue: 1 - m_i^2 >= 0", Algebra(witness))),
        hypotheses=(ETA_LE, SPECTRUM),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="ga_step_dist_sq_le_of_coverage",
        statement="GA, eta <= 1/(beta B^2): ||w_{t+1} - w*||^2 <= (1 - eta beta gamma e^{-2BR})^2 ||w_t - w*||^2",
        source="docs/setting.md, section 4, lemma 6 (the contraction factor is derived here)",
        doc=__doc__,
        scope="every d (a sum over the eigen-coordinates) and every K",
        constants={"rho_R": RHO},
        claims=(
            Claim(
                "exp_le_one",
                TRANSFER_FACTOR,
                "<=",
                sp.S.One,
                calc(
                    ("<=", sp.S.One, "exp is increasing and -2BR <= 0", Monotone(sp.exp(v), v, -2 * B * R, sp.S.Zero))
                ),
            ),
            Claim(
                "rho_nonneg",
                sp.S.Zero,
                "<=",
                RHO,
                calc(
                    (
                        "<=",
                        RHO,
                        "rho = (1 - eta beta B^2) + eta beta (B^2 - gamma) + eta beta gamma (1 - e^{-2BR})",
                        Algebra(
                            beta * B**2 * ETA_LE.slack + eta * beta * GAMMA_LE.slack + eta * beta * gamma * EXP_LE.slack
                        ),
                    )
                ),
                hypotheses=(ETA_LE, GAMMA_LE, EXP_LE),
            ),
            Claim("rho_le_one", RHO, "<=", sp.S.One, calc(("<=", sp.S.One, "eta beta gamma e^{-2BR} >= 0"))),
            _main(),
            _nonexpansive(),
        ),
    )
)
