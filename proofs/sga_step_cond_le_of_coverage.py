"""**One step of prompt-sampling SGA, conditionally on the past**: for 0 < eta <= 1/(beta B^2), the step along the
exact gradient of a training prompt x_i never moves away from w* (claim ``prompt_nonexp``), and if
||w_t - w*|| <= S/beta, then E_i ||w_{t+1} - w*||^2 <= rho ||w_t - w*||^2 with rho = 1 - eta beta gamma e^{-4BS/beta}
(claim ``cond``), the expectation over the uniformly drawn prompt given w_t.

With z = w_t - w* the step is w_{t+1} - w* = (I - A_i) z, A_i = eta beta Sigma_{w_t}(x_i). In an orthonormal
eigenbasis of Sigma_{w_t}(x_i) (eigenvalues mu_j, coordinates c_j of z; :mod:`sq_norm_eq_sum_sq_of_eigenbasis`), the
eigenvalues are at most B^2 (claim ``prompt_spectrum``: mu_j = Var_{pi_w(x_i)}(<e_j, phi>) at the unit eigenvector,
:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` at pi_w with the Cauchy-Schwarz claim ``eig_cs_sq`` of
:mod:`ga_step_dist_le_of_coverage`), so a_j = eta beta mu_j <= 1 (claim ``a_le``) and
||w_{t+1} - w*||^2 = sum_j (1 - a_j)^2 c_j^2 <= sum_j (1 - a_j) c_j^2 = ||z||^2 - z^T A_i z
(:mod:`sga_step_dist_sq_le_of_coverage`, claim ``per_prompt``; claim ``prompt_step``). Averaging over the prompt
(:mod:`expect_le_of_le`; z^T Sigma_S(w_t) z is the mean of z^T Sigma_{w_t}(x_i) z) and the Rayleigh quotient with the
coverage transfer inside the ball (:mod:`sga_step_dist_sq_le_of_coverage`, claim ``main``, with claim ``transfer``
of :mod:`ga_step_dist_le_of_coverage`) give ``cond``. Every d, K and n. Derived here (docs/setting.md, section 4: SGA).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, Monotone, calc, citation

from . import cov_quad_le_sq_mul_sq_norm_of_norm_le as ceiling
from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as ga_step
from . import sga_step_dist_sq_le_of_coverage as sga_step
from . import sq_norm_eq_sum_sq_of_eigenbasis as eigenbasis
from ._chain import CHAIN
from ._family import A, B, J, beta, coordinates, family, p
from .ga_step_dist_le_of_coverage import BALL, ETA_LE, FEATURES, GAMMA_LE, POLICY, RADIUS, SQ_PHI, N, eta

#: ||w_{t+1} - w*|| when the prompt x_i is drawn; z^T Sigma_{w_t}(x_i) z; one eigenvalue of Sigma_{w_t}(x_i).
N_i = sp.Symbol("N_i", nonnegative=True)
q_i = sp.Symbol("q_i", real=True)
mu_k = sp.Symbol("mu_k", nonnegative=True)
mu = family("mu", nonnegative=True)  # the eigenvalues of Sigma_{w_t}(x_i)
c = family("c")  # the coordinates of z in that eigenbasis
v = sp.Symbol("v", nonnegative=True)
AT_RADIUS = {sga_step.R: RADIUS}
RHO = sga_step.RHO.xreplace(AT_RADIUS)

_b = sp.Dummy("b", integer=True)
SCALED = sp.Lambda(_b, eta * beta * mu[_b])  # the eigenvalues a_j = eta beta mu_j of A_i


def _prompt_spectrum() -> Claim:
    squared = citation(ga_step.LEMMA, "eig_cs_sq", name="eig_cs_sq_all", forall=(A,))
    bounded = citation(ceiling.LEMMA, "main", {p: POLICY, ceiling.U: sp.S.One, ceiling.n: SQ_PHI}, name="ceiling")
    eig = citation(eigenbasis.LEMMA, "eig_le_quad", {eigenbasis.mu_k: mu_k, eigenbasis.Q_k: bounded.lhs},
                   name="eig_k")
    return Claim(
        "prompt_spectrum",
        mu_k,
        "<=",
        B**2,
        calc(
            ("<=", bounded.lhs, "mu_k = e^T Sigma_w(x_i) e = Var_{pi_w}(<e, phi>) at its unit eigenvector",
             Algebra(eig.slack)),
            ("<=", B**2, "Var_{pi_w}(<e, phi>) <= B^2 ||e||^2", Algebra(bounded.slack)),
        ),
        hypotheses=(squared, FEATURES, bounded, eig),
    )


def _a_le(spectrum: Claim) -> Claim:
    top = citation(spectrum, instance={mu_k: mu[J]}, name="prompt_spectrum_j")
    return Claim(
        "a_le",
        SCALED(J),
        "<=",
        sp.S.One,
        calc(("<=", sp.S.One, "eta beta mu_j <= eta beta B^2 <= 1",
              Algebra(eta * beta * top.slack + beta * B**2 * ETA_LE.slack))),
        hypotheses=(ETA_LE, top),
    )


def _prompt_claims(a_le: Claim) -> tuple[Claim, Claim]:
    every = citation(a_le, name="a_le_all", forall=(J,))
    contraction = citation(sga_step.LEMMA, "per_prompt", {sga_step.scaled: SCALED, sga_step.coords: c},
                           name="per_prompt")
    following = citation(eigenbasis.LEMMA, "step_le", {eigenbasis.N_M: N_i, eigenbasis.mu: SCALED, eigenbasis.c: c},
                         name="next")
    now = citation(eigenbasis.LEMMA, "sq_norm_le", {eigenbasis.N: N, eigenbasis.c: c}, name="now")
    quad = citation(eigenbasis.LEMMA, "quad_le", {eigenbasis.Q_M: eta * beta * q_i, eigenbasis.mu: SCALED,
                                                   eigenbasis.c: c}, name="quad")
    hypotheses = (ETA_LE, every, contraction, following, now, quad)
    step = Claim(
        "prompt_step",
        N_i**2,
        "<=",
        N**2 - eta * beta * q_i,
        calc(("<=", N**2 - eta * beta * q_i,
              "sum (1 - a_j)^2 c_j^2 <= sum (1 - a_j) c_j^2 = ||z||^2 - z^T A_i z",
              Algebra(following.slack + contraction.slack + now.slack + quad.slack))),
        hypotheses=hypotheses,
    )
    moved = coordinates(lambda j: SCALED(j) * c[j] ** 2)  # sum_j a_j c_j^2 >= 0
    nonexp = Claim(
        "prompt_nonexp",
        N_i,
        "<=",
        N,
        calc(("<=", N, "sum (1 - a_j)^2 c_j^2 <= sum (1 - a_j) c_j^2 <= sum c_j^2 = ||z||^2; sqrt is increasing",
              Monotone(sp.sqrt(v), v, N_i**2, N**2,
                       gap_witness=following.slack + contraction.slack + now.slack + moved))),
        hypotheses=hypotheses[:-1],
    )
    return step, nonexp


def _cond(step: Claim) -> Claim:
    prompt = citation(step, name="prompt_step")
    mean = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: N_i**2, expectation.c: eta * beta, expectation.Y: -q_i, expectation.b: N**2,
         expectation.EX: sga_step.following, expectation.EY: -sga_step.quad},
        name="mean",
    )
    floor = citation(ga_step.LEMMA, "transfer", name="transfer")
    rayleigh = citation(sga_step.LEMMA, "main", {sga_step.dz: N**2, **AT_RADIUS}, name="contraction")
    return Claim(
        "cond",
        sga_step.following,
        "<=",
        RHO * N**2,
        calc(("<=", RHO * N**2, "average over the prompt, Rayleigh quotient and coverage transfer",
              Algebra(rayleigh.slack))),
        hypotheses=(ETA_LE, GAMMA_LE, BALL, prompt, mean, floor, rayleigh),
    )


def _claims() -> tuple[Claim, ...]:
    spectrum = _prompt_spectrum()
    a_le = _a_le(spectrum)
    step, nonexp = _prompt_claims(a_le)
    return spectrum, a_le, step, nonexp, _cond(step)


LEMMA = CHAIN.register(
    Lemma(
        name="sga_step_cond_le_of_coverage",
        statement="prompt-sampling SGA, eta <= 1/(beta B^2): ||w_{t+1} - w*|| <= ||w_t - w*|| on every path, and"
        " E_i ||w_{t+1} - w*||^2 <= rho ||w_t - w*||^2 when ||w_t - w*|| <= S/beta",
        source="derived here (docs/setting.md, section 4, lemma 6 and the sharp SGA form)",
        doc=__doc__,
        scope="every d, K and n; the update read in an eigenbasis of Sigma_{w_t}(x_i) (an external fact)",
        constants={"rho": RHO},
        claims=_claims(),
    )
)
