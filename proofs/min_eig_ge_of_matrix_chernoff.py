"""**Matrix Chernoff bound, lower tail** (external fact, taken on trust): for n i.i.d. prompts x_1..x_n of D whose
features have ||phi(x, a)|| <= B, and 0 <= eps <= 1, with probability at least
1 - d [e^{-eps} / (1 - eps)^{1 - eps}]^{n gamma_D / B^2} over the sample,
lambda_min(Sigma_S(0)) >= (1 - eps) gamma_D, for any gamma_D <= lambda_min(Sigma_D(0)).

This is J. A. Tropp, "User-friendly tail bounds for sums of random matrices", Found. Comput. Math. 12 (2012),
Theorem 1.1 (matrix Chernoff): for independent random positive semidefinite d x d matrices X_k with
lambda_max(X_k) <= R almost surely and mu_min = lambda_min(sum_k E X_k),
P{lambda_min(sum_k X_k) <= (1 - eps) mu_min} <= d [e^{-eps} / (1 - eps)^{1 - eps}]^{mu_min / R}, eps in [0, 1].
Applied to X_k = Sigma_0(x_k) / n: sum_k X_k = Sigma_S(0), sum_k E X_k = Sigma_D(0), and R = B^2 / n because
lambda_max(Sigma_0(x)) <= max_a ||phi(x, a)||^2 <= B^2 (proved in the chain as
:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`). For gamma_D <= mu_min the event lambda_min <= (1 - eps) gamma_D is
contained in Tropp's, and the base is < 1, so the tail is at most the same expression at gamma_D.

Roles: ``lambda_0`` is lambda_min(Sigma_S(0)) of the drawn sample, ``lambda_D`` that of the population (hypothesis
``population``: gamma_D <= lambda_D), ``delta_c`` the failure probability the citation grants (hypothesis
``confidence``). The hypothesis ``features`` is the feature bound at every action. Claim ``main`` holds on the
event G = {lambda_0 >= (1 - eps) gamma_D}; claim ``fail`` states Tropp's bound itself, P(not G) <= the tail, with
``p_fail`` the probability P(lambda_0 < (1 - eps) gamma_D) of the drawn sample's failure event (what an expectation
split over G, :mod:`expect_le_add_mul_of_le_on_event`, needs). Both statements are true of these quantities and false
of most numbers, so the lemma declares ``defines=(lambda_0, p_fail)`` (as the definition of gamma does): no citation
of a lemma resting on it may give them other values.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma
from rlhfsym.setting import symbol

from . import coverage_le_min_eig as coverage
from . import population_coverage_le_min_eig as population
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._family import A, B, coordinates

n, d = symbol("n"), symbol("d")
eps = sp.Symbol("epsilon_c", nonnegative=True)
delta_c = sp.Symbol("delta_c", positive=True)
p_fail = sp.Symbol("p_fail", nonnegative=True)
lam0, gamma_D, lam_D = coverage.lam0, population.gamma_D, population.lam_D
#: Tropp's base e^{-eps} / (1 - eps)^{1 - eps}, raised to mu_min / R = n gamma_D / B^2.
BASE = sp.exp(-eps) / (1 - eps) ** (1 - eps)
TAIL = d * BASE ** (n * gamma_D / B**2)

FEATURES = Hypothesis("features", coordinates(lambda i: norms.phi[A, i] ** 2), "<=", B**2,
                      "||phi(x, a)||^2 <= B^2 at every action", forall=(A,))  # fmt: skip
POPULATION = Hypothesis("population", gamma_D, "<=", lam_D, "gamma_D <= lambda_min(Sigma_D(0))")
EPS_LE = Hypothesis("eps_le", eps, "<=", sp.S.One, "the relative deviation is at most 1")
CONFIDENCE = Hypothesis("confidence", TAIL, "<=", delta_c, "the tail d [...]^{n gamma_D/B^2} is at most delta_c")

LEMMA = CHAIN.register(
    Lemma(
        name="min_eig_ge_of_matrix_chernoff",
        statement="matrix Chernoff: w.p. >= 1 - d [e^{-eps}/(1-eps)^{1-eps}]^{n gamma_D/B^2}, "
        "lambda_min(Sigma_S(0)) >= (1 - eps) gamma_D",
        source="J. A. Tropp, Found. Comput. Math. 12 (2012), Theorem 1.1 (matrix Chernoff, lower tail), "
        "taken on trust",
        doc=__doc__,
        scope="every d, n >= 1 and eps in [0, 1]; probability over the n i.i.d. prompts",
        kind="external",
        defines=(lam0, p_fail),
        claims=(
            Claim.taken_on_trust(
                "main", (1 - eps) * gamma_D, "<=", lam0, (FEATURES, POPULATION, EPS_LE, CONFIDENCE)
            ),
            Claim.taken_on_trust("fail", p_fail, "<=", TAIL, (FEATURES, POPULATION, EPS_LE)),
        ),
    )
)
