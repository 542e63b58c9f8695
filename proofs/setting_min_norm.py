"""**The minimum-norm empirical optimum and its residual** (external fact: definitions, taken on trust): let
U_S = range(Sigma_S(0)), w_U = P_U w* the orthogonal projection of w* onto U_S, and r = P_perp w* = w* - w_U. Then
||w_U|| <= ||w*|| (claim ``norm_le``: Pythagoras, ||w*||^2 = ||w_U||^2 + ||r||^2) and r^T Sigma_S(0) r <= 0 (claim
``main``; it is = 0: r is orthogonal to U_S, the range of the symmetric Sigma_S(0), so it lies in its kernel).

Roles: ``N_U`` is ||w_U||, ``N_opt`` ||w*||, ``Q_S`` is r^T Sigma_S(0) r for the sample the theorem is applied to;
the residual parameter is ||r|| (docs/setting.md, section 3, partial coverage). Both claims are true of these
quantities and false of most numbers, so the lemma declares ``defines=(N_U, Q_S)``: no citation of a lemma resting on
it may give them other values. Reference: any linear algebra text (orthogonal projection onto a subspace; the range
of a symmetric matrix is the orthogonal complement of its kernel).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma

from ._chain import CHAIN
from .ga_step_dist_le_of_coverage import N_opt

N_U = sp.Symbol("N_U", nonnegative=True)
Q_S = sp.Symbol("Q_S", real=True)

LEMMA = CHAIN.register(
    Lemma(
        name="setting_min_norm",
        statement="w_U = P_U w*, r = P_perp w*: ||w_U|| <= ||w*|| and r^T Sigma_S(0) r <= 0 (definitions of the"
        " minimum-norm optimum and the residual)",
        source="docs/setting.md, section 3 (partial coverage): definitions; linear algebra, taken on trust",
        doc=__doc__,
        scope="every d and every sample",
        kind="external",
        defines=(N_U, Q_S),
        claims=(
            Claim.taken_on_trust("norm_le", N_U, "<=", N_opt, ()),
            Claim.taken_on_trust("main", Q_S, "<=", sp.S.Zero, ()),
        ),
    )
)
