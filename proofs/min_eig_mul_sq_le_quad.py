"""**Rayleigh quotient and spectral theorem** (external fact, taken on trust): a symmetric matrix Sigma has an
orthonormal basis of eigenvectors with eigenvalues lambda_1..lambda_d, every eigenvalue lies in [lambda_min,
lambda_max], and for every vector z, lambda_min ||z||^2 <= z^T Sigma z <= lambda_max ||z||^2.

Roles of the symbols: ``lam`` is lambda_min(Sigma), ``lam_i`` any eigenvalue, ``lam_max`` lambda_max(Sigma), ``D`` is
||z||, ``Q`` is z^T Sigma z. Claims ``quad_ge`` (lambda_min ||z||^2 <= Q), ``quad_le`` (Q <= lambda_max ||z||^2) and
``eig_ge`` (lambda_min <= lambda_i), ``eig_le`` (lambda_i <= lambda_max). Reference: any linear algebra text, e.g.
R. A. Horn, C. R. Johnson, Matrix Analysis, Theorem 4.2.2 (Rayleigh-Ritz).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN

lam, lam_i, lam_max, Q = sp.symbols("lambda lambda_i lambda_max Q", real=True)
D = sp.Symbol("D", nonnegative=True)

LEMMA = CHAIN.register(
    Lemma(
        name="min_eig_mul_sq_le_quad",
        statement="lambda_min ||z||^2 <= z^T Sigma z <= lambda_max ||z||^2; every eigenvalue lies in [lambda_min,"
        " lambda_max]",
        source="Horn and Johnson, Matrix Analysis, Theorem 4.2.2 (Rayleigh-Ritz), taken on trust",
        doc=__doc__,
        scope="every symmetric d x d matrix, every d",
        kind="external",
        claims=(
            Claim.taken_on_trust("quad_ge", lam * D**2, "<=", Q, ()),
            Claim.taken_on_trust("quad_le", Q, "<=", lam_max * D**2, ()),
            Claim.taken_on_trust("eig_ge", lam, "<=", lam_i, ()),
            Claim.taken_on_trust("eig_le", lam_i, "<=", lam_max, ()),
        ),
    )
)
