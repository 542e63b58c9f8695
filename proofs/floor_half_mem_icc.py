"""**The last half of a run** (external definition, taken on trust): the window of the last N = ceil(T/2) steps of a run
of T steps starts after T0 = floor(T/2) steps, and T0 + N = T, T - 1 <= 2 T0 <= T (floor(T/2) is T/2 for an even T and
(T - 1)/2 for an odd one; N >= 1 for T >= 1).

Roles: ``T`` the number of steps, ``T0`` = floor(T/2), ``N`` = ceil(T/2); claims ``split_le`` (T0 + N <= T),
``split_ge`` (T <= T0 + N), ``half_le`` (2 T0 <= T) and ``half_ge`` (T - 1 <= 2 T0). It is a definition: true of these
two integers and false of most others, so it declares ``defines=(T0, N, T)`` and no citation may give any of them a
value. Classical (definition of the floor and the ceiling).
"""

import sympy as sp

from rlhfsym.chain import Claim, Lemma
from rlhfsym.setting import symbol

from ._chain import CHAIN

T = symbol("T")
T0 = sp.Symbol("T0", integer=True, nonnegative=True)
N = sp.Symbol("N_tail", integer=True, positive=True)

LEMMA = CHAIN.register(
    Lemma(
        name="floor_half_mem_icc",
        statement="T0 = floor(T/2), N = ceil(T/2): T0 + N = T and T - 1 <= 2 T0 <= T",
        source="classical (definition of the floor and the ceiling), taken on trust",
        doc=__doc__,
        scope="every number of steps T >= 1",
        kind="external",
        defines=(T0, N, T),
        claims=(
            Claim.taken_on_trust("split_le", T0 + N, "<=", T, ()),
            Claim.taken_on_trust("split_ge", T, "<=", T0 + N, ()),
            Claim.taken_on_trust("half_le", 2 * T0, "<=", T, ()),
            Claim.taken_on_trust("half_ge", T - 1, "<=", 2 * T0, ()),
        ),
    )
)
