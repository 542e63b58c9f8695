"""**KL as a Bregman divergence**: KL(pi_w || pi_v) = A_x(v) - A_x(w) - <mu_w(x), v - w>, A_x = log Z_x.

With scores s_a = <w, phi_a>, t_a = <v, phi_a>: A(v) = log sum_a pi_ref(a) e^{t_a} and <mu_w, v - w> =
E_{pi_w}[t - s]. Proved for K = 2, 3, 4 with symbolic entries (every d). Source: setting.md, section 2 (classical
for exponential families).
"""

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._model import KS, boltzmann, kl, log_partition, mean, reals, reference


def bregman(K: int):
    """(KL(pi_s || pi_t), A(t) - A(s) - E_{pi_s}[t - s]) for K actions."""
    ref, s, t = reference(K), reals("s", K), reals("v", K)
    pi_s = boltzmann(ref, s)
    divergence = log_partition(ref, t) - log_partition(ref, s) - mean(pi_s, [b - a for a, b in zip(s, t, strict=True)])
    return kl(pi_s, boltzmann(ref, t)), divergence


def claim(K: int) -> Claim:
    lhs, rhs = bregman(K)
    return Claim(f"K{K}", lhs, "==", rhs, calc(("==", rhs, "log(pi_s/pi_t) = s - t - log Z_s + log Z_t")))


LEMMA = CHAIN.register(
    Lemma(
        name="kl_eq_bregman_of_loglinear",
        statement="KL(pi_w(.|x) || pi_v(.|x)) = A_x(v) - A_x(w) - <mu_w(x), v - w>",
        source="setting.md, section 2 (classical for exponential families)",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric for K = 6, d = 5",
        claims=tuple(claim(K) for K in KS),
    )
)
