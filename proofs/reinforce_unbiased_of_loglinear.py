"""**REINFORCE is unbiased**: with a ~ pi_w(.|x), g = (r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))
has E[g] = grad j(w; x).

In a direction u: E_{a~pi_w}[(r_a - beta log(pi_w(a)/pi_ref(a))) (u_a - E u)] equals the directional derivative
d/dt j(w + t u; x) at t = 0 (log(pi_w/pi_ref) = s - log Z, and the constant log Z drops out against the centred u).
Claims ``le`` and ``ge`` restate the identity as the two inequalities a citation can use. Proved for a symbolic number
K of actions, every d. Source: docs/setting.md (the likelihood-ratio estimator).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, calc

from ._chain import CHAIN
from ._family import beta, boltzmann, mean, objective, of, r, reference, s, shifted, t, u


def _sides() -> tuple[sp.Expr, sp.Expr]:
    """E_{a ~ pi_w}[(r_a - beta log(pi_w(a)/pi_ref(a))) (u_a - E u)] and d/dt j(w + t u; x) at t = 0."""
    ref = reference()
    pi = boltzmann(ref, of(s))
    centre = mean(pi, of(u))
    estimate = mean(pi, lambda a: (r[a] - beta * sp.log(pi(a) / ref(a))) * (u[a] - centre))
    derivative = sp.diff(objective(ref, shifted(of(s), of(u), t), of(r)), t).xreplace({t: 0})
    return estimate, derivative


def claim() -> Claim:
    estimate, derivative = _sides()
    return Claim(
        "main",
        estimate,
        "==",
        derivative,
        calc(("==", derivative, "log(pi_w/pi_ref) = s - log Z; E[c (u - E u)] = 0 for a constant c")),
    )


def inequality_claims() -> tuple[Claim, Claim]:
    """The identity as the two inequalities a citation can use (an equality cannot be cited): ``le`` (the mean of
    the estimate is at most the directional derivative) and ``ge`` (at least)."""
    estimate, derivative = _sides()
    same = "the identity main: the two sides are equal"
    return (
        Claim("le", estimate, "<=", derivative, calc(("<=", derivative, same, Algebra(sp.S.Zero)))),
        Claim("ge", estimate, ">=", derivative, calc((">=", derivative, same, Algebra(sp.S.Zero)))),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_unbiased_of_loglinear",
        statement="E_{a ~ pi_w}[(r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x))] = grad j(w; x)",
        source="docs/setting.md (likelihood-ratio / REINFORCE estimator)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); numeric (exact and Monte Carlo) for K = 6, d = 5",
        claims=(claim(), *inequality_claims()),
    )
)
