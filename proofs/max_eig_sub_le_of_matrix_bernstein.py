"""**Matrix Bernstein bound, upper tail** (external fact, taken on trust): for n i.i.d. prompts x_1..x_n of D whose
features have ||phi(x, a)|| <= B, and every t >= 0, with probability at least 1 - d exp(-n t^2 / (2 B^4 + 2 B^2 t/3))
over the sample, lambda_max(Sigma_D(0) - Sigma_S(0)) <= t.

This is J. A. Tropp, "User-friendly tail bounds for sums of random matrices", Found. Comput. Math. 12 (2012),
Theorem 1.4 (matrix Bernstein): for independent random self-adjoint d x d matrices X_k with E X_k = 0 and
lambda_max(X_k) <= R almost surely, and sigma^2 = ||sum_k E X_k^2||, for all t >= 0,
P{lambda_max(sum_k X_k) >= t} <= d exp(-(t^2/2) / (sigma^2 + R t/3)).
Applied to X_k = (Sigma_D(0) - Sigma_0(x_k)) / n: sum_k X_k = Sigma_D(0) - Sigma_S(0) and E X_k = 0. Since
0 <= Sigma_0(x) <= B^2 I (a variance of <u, phi> is at most B^2 ||u||^2: :mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`),
lambda_max(X_k) <= lambda_max(Sigma_D(0))/n <= B^2/n = R, and
sum_k E X_k^2 = (E Sigma_0(x)^2 - Sigma_D(0)^2)/n <= E Sigma_0(x)^2 / n <= B^2 Sigma_D(0) / n <= B^4 I / n, so
sigma^2 <= B^4/n; the tail is then at most d exp(-n t^2 / (2 B^4 + 2 B^2 t/3)).

Roles: ``lambda_dev`` is lambda_max(Sigma_D(0) - Sigma_S(0)) of the drawn sample, ``t_b`` the level, ``delta_b`` the
failure probability the citation grants (hypothesis ``confidence``), at a level t >= 0 (hypothesis
``level``). The hypothesis ``features`` is the feature
bound at every action. The statement is true of the sample's lambda_max and false of most numbers, so it declares
``defines=(lambda_dev,)``.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma
from rlhfsym.setting import symbol

from . import setting_norm_le as norms
from ._chain import CHAIN
from ._family import A, B, coordinates

n, d = symbol("n"), symbol("d")
lam_dev = sp.Symbol("lambda_dev", real=True)
t_b = sp.Symbol("t_b", real=True)
delta_b = sp.Symbol("delta_b", positive=True)
#: Tropp's tail at sigma^2 = B^4/n and R = B^2/n.
TAIL = d * sp.exp(-n * t_b**2 / (2 * B**4 + 2 * B**2 * t_b / 3))

FEATURES = Hypothesis("features", coordinates(lambda i: norms.phi[A, i] ** 2), "<=", B**2,
                      "||phi(x, a)||^2 <= B^2 at every action", forall=(A,))  # fmt: skip
LEVEL = Hypothesis("level", t_b, ">=", sp.S.Zero, "the level t is >= 0")
CONFIDENCE = Hypothesis("confidence", TAIL, "<=", delta_b, "the tail d exp(-n t^2/(2B^4 + 2B^2 t/3)) is at most"
                        " delta_b")  # fmt: skip

LEMMA = CHAIN.register(
    Lemma(
        name="max_eig_sub_le_of_matrix_bernstein",
        statement="matrix Bernstein: w.p. >= 1 - d exp(-n t^2/(2B^4 + 2B^2 t/3)), lambda_max(Sigma_D(0) - Sigma_S(0))"
        " <= t",
        source="J. A. Tropp, Found. Comput. Math. 12 (2012), Theorem 1.4 (matrix Bernstein), taken on trust",
        doc=__doc__,
        scope="every d, n >= 1 and t >= 0; probability over the n i.i.d. prompts",
        kind="external",
        defines=(lam_dev,),
        claims=(Claim.taken_on_trust("main", lam_dev, "<=", t_b, (FEATURES, LEVEL, CONFIDENCE)),),
    )
)
