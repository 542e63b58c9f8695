"""**Coverage moves with w, from above**: Sigma_w(x) <= exp(2 B ||w||) Sigma_0(x) (PSD order), the other direction
of :mod:`cov_ge_exp_smul_cov_ref_of_norm_le`.

With R = ||w||, every score s_a = <w, phi_a> lies in [-B R, B R] (Cauchy-Schwarz; the hypotheses ``lo``, ``hi``,
stated for every action). Then exp(s_a) >= exp(-B R) (claim ``exp_lo``), so the likelihood ratio
rho_a = pi_w(a)/pi_ref(a) = e^{s_a} / Z is <= e^{B R} / e^{-B R} = e^{2 B R} (claim ``ratio``, with
Z = sum_b pi_ref(b) e^{s_b} >= e^{-B R}). For a projection x_a = <u, phi_a>, with m_0 its mean under pi_ref:
Var_{pi_w}(x) <= sum_a pi_w(a) (x_a - m_0)^2 (the mean minimises the second moment)
= sum_a pi_ref(a) rho_a (x_a - m_0)^2 <= e^{2BR} Var_{pi_ref}(x) (claim ``main``). Proved for a symbolic number K of
actions, every d. Derived here (docs/setting.md, coverage transfer). Consequence: along the segment
w_tau = w_U + tau r of the covariance-weighted partial-coverage bound, r^T Sigma_{w_tau}(x) r <= e^{2B||w_tau||}
r^T Sigma_0(x) r.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, Monotone, calc, citation

from ._chain import CHAIN
from ._family import A, boltzmann, mean, of, partition, reference, s, total, var, x
from .cov_ge_exp_smul_cov_ref_of_norm_le import HI, LO, M, R, v  # noqa: F401 (R: the radius ||w||)


def exp_lo_claim() -> Claim:
    return Claim(
        "exp_lo",
        sp.exp(s[A]),
        ">=",
        sp.exp(-M),
        calc((">=", sp.exp(-M), "exp is increasing", Monotone(sp.exp(v), v, -M, s[A], gap_witness=LO.slack))),
        hypotheses=(LO,),
    )


def ratio_claim(exp_lo: Claim) -> Claim:
    ref = reference()
    Z = partition(ref, of(s))
    fact = citation(exp_lo, name="exp_lo_all", forall=(A,))
    grow = sp.exp(M) / (Z * sp.exp(-M)) * total(lambda a: ref(a) * fact.slack, over=A)
    return Claim(
        "ratio",
        sp.exp(s[A]) / Z,
        "<=",
        sp.exp(2 * M),
        calc(
            (
                "<=",
                sp.exp(M) / Z,
                "exp is increasing and s_a <= B R",
                Monotone(sp.exp(v) / Z, v, s[A], M, gap_witness=HI.slack),
            ),
            ("<=", sp.exp(M) / sp.exp(-M), "Z = sum_b pi_ref(b) e^{s_b} >= e^{-B R}", Algebra(grow)),
            ("==", sp.exp(2 * M), ""),
        ),
        hypotheses=(LO, HI, fact),
    )


def main_claim(ratio: Claim) -> Claim:
    ref = reference()
    pi = boltzmann(ref, of(s))
    m, m0 = mean(pi, of(x)), mean(ref, of(x))
    fact = citation(ratio, name="ratio_all", forall=(A,))
    Z = partition(ref, of(s))
    about_m0 = total(lambda a: pi(a) * (x[a] - m0) ** 2)
    return Claim(
        "main",
        var(pi, of(x)),
        "<=",
        sp.exp(2 * M) * var(ref, of(x)),
        calc(
            ("==", about_m0 - (m - m0) ** 2, "second moment about m_0"),
            ("<=", about_m0, "drop -(m_w - m_0)^2", Algebra((m - m0) ** 2)),
            ("==", total(lambda a: ref(a) * (sp.exp(s[a]) / Z) * (x[a] - m0) ** 2), "pi_w = pi_ref rho"),
            (
                "<=",
                sp.exp(2 * M) * var(ref, of(x)),
                "rho_a <= e^{2BR}",
                Algebra(total(lambda a: (x[a] - m0) ** 2 * ref(a) * fact.slack, over=A)),
            ),
        ),
        hypotheses=(LO, HI, fact),
    )


def _claims() -> tuple[Claim, ...]:
    exp_lo = exp_lo_claim()
    ratio = ratio_claim(exp_lo)
    return exp_lo, ratio, main_claim(ratio)


LEMMA = CHAIN.register(
    Lemma(
        name="cov_le_exp_smul_cov_ref_of_norm_le",
        statement="Sigma_w(x) <= exp(2 B ||w||) Sigma_0(x) in the PSD order",
        source="derived here (docs/setting.md, coverage transfer: the other direction)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        constants={"coverage_transfer_factor_up": sp.exp(2 * M)},
        claims=_claims(),
    )
)
