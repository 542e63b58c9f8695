"""**Coverage moves with w**: Sigma_w(x) >= exp(-2 B ||w||) Sigma_0(x) >= exp(-4 B ||w||) Sigma_0(x) (PSD order).

With R = ||w||, every score s_a = <w, phi_a> lies in [-B R, B R] (Cauchy-Schwarz; the hypotheses ``lo``, ``hi``,
stated for every action). Then exp(s_a) <= exp(B R) (claim ``exp_hi``), so the likelihood ratio
rho_a = pi_w(a)/pi_ref(a) = e^{s_a} / Z is >= e^{-B R} / e^{B R} = e^{-2 B R} (claim ``ratio``, with
Z = sum_b pi_ref(b) e^{s_b} <= e^{B R}). For a projection x_a = <u, phi_a>:
Var_{pi_w}(x) = sum_a pi_ref(a) rho_a (x_a - m_w)^2 >= e^{-2BR} sum_a pi_ref(a) (x_a - m_w)^2
>= e^{-2BR} Var_{pi_ref}(x) (the mean minimises the second moment; claim ``sharp``). This factor e^{-2BR} is
sharper than the e^{-4BR} of the setting, which follows (claim ``main``). Proved for a symbolic number K of
actions, every d. Source: docs/setting.md (the e^{-4BR} form); the e^{-2BR} form is derived here. Consequence:
lambda_min(Sigma_S(w)) >= e^{-2B||w||} gamma.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation

from ._chain import CHAIN
from ._family import A, B, boltzmann, mean, of, partition, reference, s, total, var, x

R = sp.Symbol("R", nonnegative=True)
v = sp.Symbol("v", real=True)
M = B * R

LO = Hypothesis("lo", s[A], ">=", -M, "<w,phi_a> >= -||w|| B (Cauchy-Schwarz)", forall=(A,),
                kind="asserted")
HI = Hypothesis("hi", s[A], "<=", M, "<w,phi_a> <= ||w|| B (Cauchy-Schwarz)", forall=(A,),
                kind="asserted")


def exp_hi_claim() -> Claim:
    return Claim(
        "exp_hi",
        sp.exp(s[A]),
        "<=",
        sp.exp(M),
        calc(("<=", sp.exp(M), "exp is increasing", Monotone(sp.exp(v), v, s[A], M, gap_witness=HI.slack))),
        hypotheses=(HI,),
    )


def ratio_claim(exp_hi: Claim) -> Claim:
    ref = reference()
    Z = partition(ref, of(s))
    fact = citation(exp_hi, name="exp_hi_all", forall=(A,))
    shrink = sp.exp(-M) / (Z * sp.exp(M)) * total(lambda a: ref(a) * fact.slack, over=A)
    return Claim(
        "ratio",
        sp.exp(s[A]) / Z,
        ">=",
        sp.exp(-2 * M),
        calc(
            (
                ">=",
                sp.exp(-M) / Z,
                "exp is increasing and s_a >= -B R",
                Monotone(sp.exp(v) / Z, v, -M, s[A], gap_witness=LO.slack),
            ),
            (">=", sp.exp(-M) / sp.exp(M), "Z = sum_b pi_ref(b) e^{s_b} <= e^{B R}", Algebra(shrink)),
            ("==", sp.exp(-2 * M), ""),
        ),
        hypotheses=(LO, HI, fact),
    )


def sharp_claim(ratio: Claim) -> Claim:
    ref = reference()
    pi = boltzmann(ref, of(s))
    m = mean(pi, of(x))
    fact = citation(ratio, name="ratio_all", forall=(A,))
    Z = partition(ref, of(s))
    around = total(lambda a: ref(a) * (x[a] - m) ** 2)
    return Claim(
        "sharp",
        var(pi, of(x)),
        ">=",
        sp.exp(-2 * M) * var(ref, of(x)),
        calc(
            ("==", total(lambda a: ref(a) * (sp.exp(s[a]) / Z) * (x[a] - m) ** 2), "pi_w = pi_ref rho"),
            (
                ">=",
                sp.exp(-2 * M) * around,
                "rho_a >= e^{-2BR}",
                Algebra(total(lambda a: (x[a] - m) ** 2 * ref(a) * fact.slack, over=A)),
            ),
            ("==", sp.exp(-2 * M) * (var(ref, of(x)) + (mean(ref, of(x)) - m) ** 2), "second moment about m"),
            (
                ">=",
                sp.exp(-2 * M) * var(ref, of(x)),
                "drop the square",
                Algebra(sp.exp(-2 * M) * (mean(ref, of(x)) - m) ** 2),
            ),
        ),
        hypotheses=(LO, HI, fact),
    )


def weak_claim(sharp: Claim) -> Claim:
    ref = reference()
    pi = boltzmann(ref, of(s))
    fact = citation(sharp, name="sharp_form")
    return Claim(
        "main",
        var(pi, of(x)),
        ">=",
        sp.exp(-4 * M) * var(ref, of(x)),
        calc(
            (">=", sp.exp(-2 * M) * var(ref, of(x)), "the sharp form", Algebra(fact.slack)),
            (
                ">=",
                sp.exp(-4 * M) * var(ref, of(x)),
                "e^{-2BR} >= e^{-4BR} and Var >= 0",
                Monotone(sp.exp(v - 4 * M) * var(ref, of(x)), v, sp.S.Zero, 2 * M),
            ),
        ),
        hypotheses=(LO, HI, fact),
    )


def _claims() -> tuple[Claim, ...]:
    exp_hi = exp_hi_claim()
    ratio = ratio_claim(exp_hi)
    sharp = sharp_claim(ratio)
    return exp_hi, ratio, sharp, weak_claim(sharp)


LEMMA = CHAIN.register(
    Lemma(
        name="cov_ge_exp_smul_cov_ref_of_norm_le",
        statement="Sigma_w(x) >= exp(-2 B ||w||) Sigma_0(x) >= exp(-4 B ||w||) Sigma_0(x) in the PSD order",
        source="docs/setting.md (exp(-4B||w||) form); the exp(-2B||w||) form is derived here",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        constants={"coverage_transfer_factor": sp.exp(-2 * M), "coverage_transfer_factor_setting": sp.exp(-4 * M)},
        claims=_claims(),
    )
)
