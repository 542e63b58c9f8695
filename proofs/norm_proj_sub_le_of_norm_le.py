"""**Projection onto a ball** (external fact, taken on trust): let P_C be the Euclidean projection onto the closed
ball C = {w : ||w|| <= r}. Then P_C(u) lies in C for every u (claim ``mem``: ||P_C(u)|| <= r), and for every point v
of C, ||P_C(u) - v|| <= ||u - v|| (claim ``main``: the projection onto a closed convex set is non-expansive, and it
fixes the points of C, so it moves no u away from any point of C).

Roles: ``N_P`` is ||P_C(u) - v||, ``N_u`` is ||u - v||, ``N_v`` is ||v||, ``W_P`` is ||P_C(u)||, ``r`` the radius.
Classical: Bauschke and Combettes, Convex Analysis and Monotone Operator Theory in Hilbert Spaces (2nd ed., 2017),
Proposition 4.16 (the projection onto a nonempty closed convex set is firmly non-expansive) and Proposition 3.19
(P_C v = v for v in C); here P_C(u) = u min(1, r/||u||).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN

N_P, N_u, N_v, W_P = sp.symbols("N_P N_u N_v W_P", nonnegative=True)
r = sp.Symbol("r", nonnegative=True)
MEMBER = Hypothesis("member", N_v, "<=", r, "v lies in the ball C: ||v|| <= r")

LEMMA = CHAIN.register(
    Lemma(
        name="norm_proj_sub_le_of_norm_le",
        statement="P_C the projection onto C = {||w|| <= r}: ||P_C(u)|| <= r, and ||P_C(u) - v|| <= ||u - v|| for"
        " ||v|| <= r",
        source="classical (projection onto a closed convex set: Bauschke and Combettes 2017, Prop. 3.19 and 4.16),"
        " taken on trust",
        doc=__doc__,
        scope="every Euclidean space",
        kind="external",
        claims=(
            Claim.taken_on_trust("mem", W_P, "<=", r, ()),
            Claim.taken_on_trust("main", N_P, "<=", N_u, (MEMBER,)),
        ),
    )
)
