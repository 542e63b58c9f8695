"""**KL as a Bregman divergence**: KL(pi_w || pi_v) = A_x(v) - A_x(w) - <mu_w(x), v - w>, A_x = log Z_x.

With scores s_a = <w, phi_a>, v_a = <v, phi_a>: A(v) = log sum_a pi_ref(a) e^{v_a} and <mu_w, v - w> =
E_{pi_w}[v - s]. Proved for a symbolic number K of actions (finite sums), every d. Source: docs/setting.md
(classical for exponential families).
"""

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._family import boltzmann, kl, log_partition, mean, of, reference, s, v


def bregman() -> tuple:
    """(KL(pi_s || pi_v), A(v) - A(s) - E_{pi_s}[v - s])."""
    ref = reference()
    pi_s = boltzmann(ref, of(s))
    divergence = log_partition(ref, of(v)) - log_partition(ref, of(s)) - mean(pi_s, lambda a: v[a] - s[a])
    return kl(pi_s, boltzmann(ref, of(v))), divergence


def claim() -> Claim:
    lhs, rhs = bregman()
    return Claim("main", lhs, "==", rhs, calc(("==", rhs, "log(pi_s/pi_v) = s - v - log Z_s + log Z_v")))


LEMMA = CHAIN.register(
    Lemma(
        name="kl_eq_bregman_of_loglinear",
        statement="KL(pi_w(.|x) || pi_v(.|x)) = A_x(v) - A_x(w) - <mu_w(x), v - w>",
        source="docs/setting.md (classical for exponential families)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        claims=(claim(),),
    )
)
