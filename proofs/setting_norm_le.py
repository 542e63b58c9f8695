"""**The setting's norm bounds** (external fact: the definitions of B and S, taken on trust): every feature
vector has ||phi(x, a)|| <= B and the reward parameter has ||theta*|| <= S; in coordinates, sum_i phi_{a,i}^2 <= B^2
for every action a of every prompt (claim ``features``) and sum_i theta_i^2 <= S^2 (claim ``reward``).

A user who gives B and S asserts exactly this about the instance; the simulations measure B and S so that it holds.
Reference: docs/setting.md (the parameters B and S).
"""

from rlhfsym.chain import Claim, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._family import A, B, coordinates, family

S = symbol("S")
phi, theta = family("phi"), family("theta")

LEMMA = CHAIN.register(
    Lemma(
        name="setting_norm_le",
        statement="||phi(x, a)||^2 <= B^2 for every prompt and action, ||theta*||^2 <= S^2 (definitions of B and S)",
        source="docs/setting.md: the definitions of the parameters B and S (taken on trust)",
        doc=__doc__,
        scope="every prompt, action and dimension d",
        kind="external",
        defines=(B, S, phi, theta),
        claims=(
            Claim.taken_on_trust("features", coordinates(lambda i: phi[A, i] ** 2), "<=", B**2, ()),
            Claim.taken_on_trust("reward", coordinates(lambda i: theta[i] ** 2), "<=", S**2, ()),
        ),
    )
)
