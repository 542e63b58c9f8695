"""The K-parametrised proofs also go through symbolically at K = 5 (slow: run with ``pytest -m slow``).

The default chain proves the identities for K = 2, 3, 4; this re-builds the same claims at K = 5 and checks them
with the same engine, so the symbolic scope is wider than what ``rlhfsym verify`` runs by default.
"""

from __future__ import annotations

import pytest
from rlhfsym.proofs import (
    gap_eq_smul_kl_of_boltzmann_opt as gap,
)
from rlhfsym.proofs import (
    grad_eq_cov_mul_of_loglinear as grad,
)
from rlhfsym.proofs import (
    inner_grad_eq_smul_var_of_loglinear as ascent,
)
from rlhfsym.proofs import (
    kl_eq_bregman_of_loglinear as bregman,
)
from rlhfsym.proofs import (
    reinforce_unbiased_of_loglinear as reinforce,
)

from rlhfsym.api import chain
from rlhfsym.chain import Lemma, check_lemma

K = 5
BUILDERS = {
    "grad_eq_cov_mul_of_loglinear": lambda: [grad.directional_claim(K)],
    "gap_eq_smul_kl_of_boltzmann_opt": lambda: [gap.identity_claim(K), gap.nonneg_claim(K)],
    "inner_grad_eq_smul_var_of_loglinear": lambda: [ascent.identity_claim(K), ascent.nonneg_claim(K)],
    "kl_eq_bregman_of_loglinear": lambda: [bregman.claim(K)],
    "reinforce_unbiased_of_loglinear": lambda: [reinforce.claim(K)],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_identity_holds_symbolically_for_five_actions(name: str) -> None:
    registry = chain()
    original = registry.get(name)
    lemma = Lemma(
        f"{name}_K5",
        original.statement,
        original.source,
        tuple(BUILDERS[name]()),
        depends_on=original.depends_on,
        scope="K = 5",
    )
    lookup = {dep: registry.get(dep) for dep in original.depends_on}
    report = check_lemma(lemma, lookup)
    assert report.status == "verified", [s for s in report.steps if s.status != "verified"]
