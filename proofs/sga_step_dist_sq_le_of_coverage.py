"""**One step of prompt-sampling SGA contracts in mean square**: E_i ||w_{t+1} - w*||^2 <= rho_R ||w_t - w*||^2 with
rho_R = 1 - eta beta gamma exp(-2 B R), for 0 < eta <= 1/(beta B^2) and ||w_t|| <= R, where the step uses the
exact gradient of one training prompt x_i drawn uniformly from the sample.

w_{t+1} - w* = (I - A_i) z with z = w_t - w* and A_i = eta beta Sigma_{w_t}(x_i), whose eigenvalues a_j lie in [0, 1]
(hypothesis ``a_le``). In an eigenbasis of A_i, ||(I - A_i) z||^2 = sum_j (1 - a_j)^2 c_j^2 <= sum_j (1 - a_j) c_j^2 =
z^T (I - A_i) z (claim ``per_prompt``, a sum over the d eigen-coordinates, term by term). Averaging over the uniform
prompt gives ||z||^2 - eta beta z^T Sigma_S(w_t) z (hypothesis ``mean``), then the Rayleigh quotient
(:mod:`min_eig_mul_sq_le_quad`) and the coverage transfer (hypothesis ``transfer``) give claim ``main``. The
hypotheses ``a_le``, ``mean`` and ``transfer`` are discharged where the lemma is cited
(:mod:`sga_step_cond_le_of_coverage`: the eigenvalues from :mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`, the mean by
:mod:`expect_le_of_le`, the transfer from :mod:`ga_step_dist_le_of_coverage`).
Source: docs/setting.md, section 4, lemma 6 (SGA pathwise ball) and the sharp SGA form (derived here)."""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc, citation

from . import min_eig_mul_sq_le_quad as spectral
from ._chain import CHAIN
from ._family import J, beta, coordinates, family
from .ga_step_dist_sq_le_of_coverage import GAMMA_LE, TRANSFER_FACTOR, R, eta, gamma, lam

RHO = 1 - eta * beta * gamma * TRANSFER_FACTOR
scaled = family("alpha", nonnegative=True)  # eigenvalues of A_i = eta beta Sigma_{w_t}(x_i), j = 1..d
coords = family("c")
dz = sp.Symbol("z2", nonnegative=True)  # ||w_t - w*||^2
following, quad = sp.symbols("E_next q", nonnegative=True)  # E_i ||w_{t+1} - w*||^2, z^T Sigma_S(w_t) z

AT_MOST_ONE = Hypothesis(
    "a_le", scaled[J], "<=", sp.S.One, "eta beta lambda_j(Sigma_{w_t}(x_i)) <= eta beta B^2 <= 1", forall=(J,),
    kind="asserted",
)
MEAN = Hypothesis(
    "mean",
    following,
    "<=",
    dz - eta * beta * quad,
    "average of per_prompt over the uniform prompt: E_i z^T (I - A_i) z = ||z||^2 - eta beta z^T Sigma_S z",
    kind="asserted",
)
#: z^T Sigma_S(w_t) z >= lambda_min ||z||^2 (Rayleigh), with ||z|| = sqrt(z2).
RAYLEIGH = citation(spectral.LEMMA, "quad_ge", {spectral.lam: lam, spectral.D: sp.sqrt(dz), spectral.Q: quad},
                    name="rayleigh")
TRANSFER = Hypothesis("transfer", gamma * TRANSFER_FACTOR, "<=", lam, "coverage transfer at ||w_t|| <= R",
                      kind="asserted")


def _per_prompt() -> Claim:
    after = coordinates(lambda j: (1 - scaled[j]) ** 2 * coords[j] ** 2)
    linear = coordinates(lambda j: (1 - scaled[j]) * coords[j] ** 2)
    witness = coordinates(lambda j: coords[j] ** 2 * scaled[j] * AT_MOST_ONE.slack, over=J)
    return Claim(
        "per_prompt",
        after,
        "<=",
        linear,
        calc(("<=", linear, "(1 - a)^2 <= 1 - a for a in [0, 1]", Algebra(witness))),
        hypotheses=(AT_MOST_ONE,),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="sga_step_dist_sq_le_of_coverage",
        statement="prompt-sampling SGA, eta <= 1/(beta B^2): E_i ||w_{t+1} - w*||^2 <= rho_R ||w_t - w*||^2",
        source="docs/setting.md, section 4, lemma 6 and sharp forms (derived here)",
        doc=__doc__,
        scope="every d (a sum over the eigen-coordinates per prompt), every K and n",
        constants={"rho_R": RHO},
        claims=(
            _per_prompt(),
            Claim(
                "main",
                following,
                "<=",
                RHO * dz,
                calc(
                    ("<=", dz - eta * beta * quad, "average over the sampled prompt", Algebra(MEAN.slack)),
                    ("<=", dz - eta * beta * lam * dz, "Rayleigh quotient", Algebra(eta * beta * RAYLEIGH.slack)),
                    ("<=", RHO * dz, "coverage transfer", Algebra(eta * beta * dz * TRANSFER.slack)),
                ),
                hypotheses=(MEAN, RAYLEIGH, TRANSFER),
            ),
        ),
    )
)
_ = (GAMMA_LE, R)  # rho_R >= 0 is ga_step_dist_sq_le_of_coverage#rho_nonneg (same rho_R)
