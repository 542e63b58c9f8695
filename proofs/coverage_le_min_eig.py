"""**The setting's coverage** (external fact: the definition of gamma, taken on trust): the coverage parameter is a
lower bound of the smallest eigenvalue of the feature covariance of the training sample under the reference
policy, gamma <= lambda_min(Sigma_S(0)), Sigma_S(0) = (1/n) sum_i Sigma_0(x_i).

Roles: ``lam0`` is lambda_min(Sigma_S(0)) of the sample the theorem is applied to. A user who gives gamma asserts
exactly this about the sample, as a user who gives B and S asserts :mod:`setting_norm_le`; the simulations measure
gamma on the observed sample so that it holds. Reference: docs/setting.md (the parameter gamma, feature coverage).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

gamma = symbol("gamma")
lam0 = sp.Symbol("lambda_0", real=True)

LEMMA = CHAIN.register(
    Lemma(
        name="coverage_le_min_eig",
        statement="gamma <= lambda_min(Sigma_S(0)) (the definition of the coverage parameter gamma)",
        source="docs/setting.md: the definition of the parameter gamma (taken on trust)",
        doc=__doc__,
        scope="the training sample the theorem is applied to",
        kind="external",
        defines=(gamma, lam0),
        claims=(Claim.taken_on_trust("main", gamma, "<=", lam0, ()),),
    )
)
