"""**KL-gap identity**: j(w*; x) - j(w; x) = beta KL(pi_w(.|x) || pi_{w*}(.|x)) >= 0, where w* = theta*/beta.

So the Boltzmann optimum pi_{w*} maximises j(.; x) at every prompt, and the excess objective of any w is beta times a KL
divergence. The identity (claim ``main``) is proved for a symbolic number K of actions with symbolic scores s_a = <w,
phi_a>, rewards r_a = <theta*, phi_a> (so w* has scores r_a / beta), reference weights and beta, hence for every d. The
sign (claim ``nonneg``) is Gibbs' inequality, from log y <= y - 1 (:mod:`log_le_sub_one`, cited at every action with y =
pi_{w*}(a) / pi_w(a)). Claims ``le`` and ``excess_nonneg`` restate the identity as the two inequalities 0 <= j(w*; x) -
j(w; x) <= beta KL that other lemmas cite (an equality cannot be cited). Source: paper, section 3 (reconstructed; see
docs/setting.md).
"""

from functools import cache

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, calc, citation

from . import log_le_sub_one
from ._chain import CHAIN
from ._family import A, beta, boltzmann, kl, objective, of, r, reference, s, total


@cache
def _parts():
    ref = reference()
    optimum = lambda a: r[a] / beta  # noqa: E731
    return ref, optimum, boltzmann(ref, of(s)), boltzmann(ref, optimum)


def identity_claim() -> Claim:
    ref, optimum, pi, pi_opt = _parts()
    gap = objective(ref, optimum, of(r)) - objective(ref, of(s), of(r))
    return Claim(
        "main",
        gap,
        "==",
        beta * kl(pi, pi_opt),
        calc(("==", beta * kl(pi, pi_opt), "log(pi_w/pi_ref) = s - log Z_w and r = beta s*: collect the terms")),
    )


def nonneg_claim() -> Claim:
    _, _, pi, pi_opt = _parts()
    gibbs = citation(
        log_le_sub_one.LEMMA, "main", {log_le_sub_one.y: pi_opt(A) / pi(A)}, name="gibbs", forall=(A,)
    )
    witness = beta * total(lambda a: pi(a) * gibbs.slack, over=A)
    return Claim(
        "nonneg",
        beta * kl(pi, pi_opt),
        ">=",
        sp.S.Zero,
        calc((">=", sp.S.Zero, "Gibbs: sum_a pi_a (y_a - 1 - log y_a) = KL, each term >= 0", Algebra(witness))),
        hypotheses=(gibbs,),
    )


def excess_claims(nonneg: Claim) -> tuple[Claim, Claim]:
    """The identity as the two inequalities a citation can use: j(w*) - j(w) <= beta KL (``le``), and
    j(w*) - j(w) >= 0 (``excess_nonneg``, from Gibbs' inequality)."""
    ref, optimum, pi, pi_opt = _parts()
    gap = objective(ref, optimum, of(r)) - objective(ref, of(s), of(r))
    gibbs = citation(nonneg, name="kl_nonneg")
    le = Claim(
        "le",
        gap,
        "<=",
        beta * kl(pi, pi_opt),
        calc(("<=", beta * kl(pi, pi_opt), "the identity main: the two sides are equal", Algebra(sp.S.Zero))),
    )
    ge = Claim(
        "excess_nonneg",
        gap,
        ">=",
        sp.S.Zero,
        calc(
            ("==", beta * kl(pi, pi_opt), "the identity main"),
            (">=", sp.S.Zero, "Gibbs' inequality (claim nonneg)", Algebra(gibbs.slack)),
        ),
        hypotheses=(gibbs,),
    )
    return le, ge


def _claims() -> tuple[Claim, ...]:
    nonneg = nonneg_claim()
    return (identity_claim(), nonneg, *excess_claims(nonneg))


LEMMA = CHAIN.register(
    Lemma(
        name="gap_eq_smul_kl_of_boltzmann_opt",
        statement="j(w*; x) - j(w; x) = beta KL(pi_w(.|x) || pi_{w*}(.|x)) >= 0 with w* = theta*/beta",
        source="paper, section 3 (reconstructed: docs/setting.md)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        claims=_claims(),
    )
)
