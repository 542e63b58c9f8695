"""**The REINFORCE estimate is bounded on a ball** (external fact: a derivation of this package, not yet checked by
the kernel -- an open obligation, listed in the trusted base of every theorem that cites it): at every prompt x and
every w with ||w|| <= R, every sampled estimate g = (r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))
has ||g|| <= 2B (S B + 2 beta B R).

The argument: |r*(x,a)| <= S B (:mod:`abs_inner_le_of_norm_le`); log(pi_w(a)/pi_ref(a)) = s_a - log sum_b pi_ref(b)
e^{s_b} with every score s_b = <w, phi(x,b)> in [-B R, B R] (Cauchy-Schwarz), so the log-partition term lies in
[-B R, B R] too and |log(pi_w(a)/pi_ref(a))| <= 2 B R; and ||phi(x,a) - mu_w(x)|| <= ||phi(x,a)|| + ||mu_w(x)|| <= 2B
(mu_w(x) is an average of features of norm <= B). The middle bound has no lemma in the chain yet: that is why this
step is taken on trust. At R = S/beta (the projected REINFORCE SGA of
:mod:`sga_reinforce_proj_last_excess_le_of_coverage`) the bound is 6 B^2 S; at R = 3S/beta it is the 14 B^2 S of
:mod:`reinforce_noise_le_of_ball`.

Roles: ``G`` is ||g|| at one draw, ``W`` is ||w||.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma

from ._chain import CHAIN
from ._model import B, beta
from .ga_best_gap_le_of_coverage import S

G, W = sp.symbols("G_reinforce W_reinforce", nonnegative=True)
R = sp.Symbol("R", nonnegative=True)
CAP = 2 * B * (S * B + 2 * beta * B * R)
BALL = Hypothesis("ball", W, "<=", R, "||w|| <= R", kind="asserted")

LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_norm_le_of_norm_le",
        statement="||w|| <= R: every REINFORCE estimate has ||g|| <= 2B (S B + 2 beta B R)",
        source="derived in prose in this module (taken on trust: an open obligation of the chain)",
        doc=__doc__,
        scope="every d and K; every prompt and every sampled action",
        kind="external",
        claims=(Claim.taken_on_trust("main", G, "<=", CAP, (BALL,)),),
    )
)
