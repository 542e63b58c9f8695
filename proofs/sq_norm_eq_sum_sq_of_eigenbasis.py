"""**A symmetric matrix in an orthonormal eigenbasis** (external fact, taken on trust): let M be a symmetric d x d
matrix with an orthonormal basis of eigenvectors e_1..e_d and eigenvalues mu_1..mu_d (spectral theorem), and let
c_i = <z, e_i> be the coordinates of a vector z in that basis. Then ||z||^2 = sum_i c_i^2 (Parseval),
||(I - M) z||^2 = sum_i (1 - mu_i)^2 c_i^2, z^T M z = sum_i mu_i c_i^2, and an eigenvalue is the quadratic form at its
unit eigenvector: mu_k = e_k^T M e_k.

Roles of the symbols: ``N`` is ||z||, ``N_M`` is ||(I - M) z||, ``Q_M`` is z^T M z, the families ``mu`` and ``c``
the eigenvalues of M and the coordinates of z (i = 1..d); ``mu_k`` is one eigenvalue and ``Q_k`` = e_k^T M e_k the
quadratic form at its unit eigenvector. Claims ``sq_norm_le`` (sum_i c_i^2 <= N^2), ``sq_norm_ge``
(N^2 <= sum_i c_i^2), ``step_le`` (N_M^2 <= sum_i (1 - mu_i)^2 c_i^2), ``quad_le`` (Q_M <= sum_i mu_i c_i^2),
``quad_ge`` (sum_i mu_i c_i^2 <= Q_M), ``eig_le_quad`` (mu_k <= Q_k) and ``quad_le_eig`` (Q_k <= mu_k): identities
of the spectral theorem, read as the inequalities a citation can use. The chain reads a step of gradient ascent
through it: w_{t+1} - w* = (I - eta beta Sigma_S(w_t)) (w_t - w*), M = eta beta Sigma_S(w_t). Reference: R. A. Horn,
C. R. Johnson, Matrix Analysis, Theorem 2.5.6 (spectral theorem for real symmetric matrices).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN
from ._family import coordinates, family

N, N_M = sp.symbols("N N_M", nonnegative=True)
Q_M, mu_k, Q_k = sp.symbols("Q_M mu_k Q_k", real=True)
mu, c = family("mu"), family("c")

LEMMA = CHAIN.register(
    Lemma(
        name="sq_norm_eq_sum_sq_of_eigenbasis",
        statement="in an orthonormal eigenbasis of a symmetric M: ||z||^2 = sum c_i^2, ||(I - M) z||^2 ="
        " sum (1 - mu_i)^2 c_i^2, z^T M z = sum mu_i c_i^2, mu_k = e_k^T M e_k",
        source="Horn and Johnson, Matrix Analysis, Theorem 2.5.6 (spectral theorem), taken on trust",
        doc=__doc__,
        scope="every symmetric d x d matrix, every d",
        kind="external",
        claims=(
            Claim.taken_on_trust("sq_norm_le", coordinates(lambda i: c[i] ** 2), "<=", N**2, ()),
            Claim.taken_on_trust("sq_norm_ge", N**2, "<=", coordinates(lambda i: c[i] ** 2), ()),
            Claim.taken_on_trust("step_le", N_M**2, "<=", coordinates(lambda i: (1 - mu[i]) ** 2 * c[i] ** 2), ()),
            Claim.taken_on_trust("quad_le", Q_M, "<=", coordinates(lambda i: mu[i] * c[i] ** 2), ()),
            Claim.taken_on_trust("quad_ge", coordinates(lambda i: mu[i] * c[i] ** 2), "<=", Q_M, ()),
            Claim.taken_on_trust("eig_le_quad", mu_k, "<=", Q_k, ()),
            Claim.taken_on_trust("quad_le_eig", Q_k, "<=", mu_k, ()),
        ),
    )
)
