"""**Ascent toward the optimum**: <grad j(w; x), w* - w> = beta (w* - w)^T Sigma_w(x) (w* - w) >= 0.

In the direction u = w* - w the scores move by u_a = <w* - w, phi_a> = r_a / beta - s_a, and the directional
derivative d/dt j(w + t u; x) at t = 0 is beta Var_{pi_w}(u) (claim ``main``: differentiate under the finite sum;
r_a - beta s_a = beta u_a), which is >= 0 (claim ``nonneg``). Proved for a symbolic number K of actions, every d.
Source: paper (reconstructed; see docs/setting.md).
"""

from functools import cache

import sympy as sp

from rlhfsym.chain import Claim, Lemma, calc

from ._chain import CHAIN
from ._family import beta, boltzmann, objective, of, r, reference, s, shifted, t, var


@cache
def _parts():
    ref = reference()
    towards = lambda a: r[a] / beta - s[a]  # noqa: E731  <w* - w, phi_a>
    derivative = sp.diff(objective(ref, shifted(of(s), towards, t), of(r)), t).xreplace({t: 0})
    return derivative, beta * var(boltzmann(ref, of(s)), towards)


def identity_claim() -> Claim:
    derivative, ascent = _parts()
    return Claim(
        "main",
        derivative,
        "==",
        ascent,
        calc(("==", ascent, "differentiate under the sum; r_a - beta s_a = beta u_a with u_a = r_a/beta - s_a")),
    )


def nonneg_claim() -> Claim:
    _, ascent = _parts()
    return Claim(
        "nonneg", ascent, ">=", sp.S.Zero, calc((">=", sp.S.Zero, "beta > 0 times a sum of pi_a (u_a - mean)^2"))
    )


LEMMA = CHAIN.register(
    Lemma(
        name="inner_grad_eq_smul_var_of_loglinear",
        statement="<grad j(w; x), w* - w> = beta (w* - w)^T Sigma_w(x) (w* - w) >= 0",
        source="paper (reconstructed: docs/setting.md)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        claims=(identity_claim(), nonneg_claim()),
    )
)
