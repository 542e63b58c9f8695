"""**The setting's population coverage** (external fact: the definition of gamma_D, taken on trust): the population
coverage parameter is a lower bound of the smallest eigenvalue of the population's feature covariance under the
reference policy, gamma_D <= lambda_min(Sigma_D(0)), Sigma_D(0) = E_{x ~ D} Sigma_0(x).

Roles: ``lambda_D`` is lambda_min(Sigma_D(0)) of the prompt distribution. Unlike gamma, it is known before any data
exist (a planner's assumption about the prompts, or computed exactly on a finite prompt set, as the simulations
do). Reference: docs/setting.md (the parameter gamma_D, population coverage).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

gamma_D = symbol("gamma_D")
lam_D = sp.Symbol("lambda_D", real=True)

LEMMA = CHAIN.register(
    Lemma(
        name="population_coverage_le_min_eig",
        statement="gamma_D <= lambda_min(Sigma_D(0)) (the definition of the population coverage parameter gamma_D)",
        source="docs/setting.md: the definition of the parameter gamma_D (taken on trust)",
        doc=__doc__,
        scope="the prompt distribution D",
        kind="external",
        defines=(gamma_D, lam_D),
        claims=(Claim.taken_on_trust("main", gamma_D, "<=", lam_D, ()),),
    )
)
