"""**Coverage moves with w**: Sigma_w(x) >= exp(-2 B ||w||) Sigma_0(x) >= exp(-4 B ||w||) Sigma_0(x) (PSD order).

With R = ||w||, every score s_a = <w, phi_a> lies in [-B R, B R] (Cauchy-Schwarz; the hypotheses ``lo``, ``hi``).
Then exp(s_b) <= exp(B R) (claims ``exp_hi``), so the likelihood ratio rho_a = pi_w(a)/pi_ref(a) = e^{s_a} / Z
is >= e^{-B R} / e^{B R} = e^{-2 B R} (claims ``ratio``). For a projection x_a = <u, phi_a>:
Var_{pi_w}(x) = sum_a pi_ref(a) rho_a (x_a - m_w)^2 >= e^{-2BR} sum_a pi_ref(a) (x_a - m_w)^2
>= e^{-2BR} Var_{pi_ref}(x)
(the mean minimises the second moment). This factor e^{-2BR} is sharper than setting.md's e^{-4BR}, which follows
(claim ``K``). Proved for K = 2, 3, 4 with symbolic entries (every d). Source: setting.md, section 2 (the e^{-4BR}
form); the e^{-2BR} form is derived here. Consequence: lambda_min(Sigma_S(w)) >= e^{-2B||w||} gamma.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc

from ._chain import CHAIN
from ._model import KS, B, boltzmann, mean, partition, reals, reference, var

R = sp.Symbol("R", positive=True)
v = sp.Symbol("v", real=True)
M = B * R


def _parts(K: int):
    ref, s, x = reference(K), reals("s", K), reals("x", K)
    lo = tuple(Hypothesis(f"lo{a + 1}", s[a], ">=", -M, "<w,phi_a> >= -||w|| B (Cauchy-Schwarz)") for a in range(K))
    hi = tuple(Hypothesis(f"hi{a + 1}", s[a], "<=", M, "<w,phi_a> <= ||w|| B (Cauchy-Schwarz)") for a in range(K))
    return ref, s, x, lo, hi


def exp_hi_claim(K: int, b: int) -> Claim:
    _, s, _, _, hi = _parts(K)
    return Claim(
        f"exp_hi_K{K}_{b + 1}",
        sp.exp(s[b]),
        "<=",
        sp.exp(M),
        calc(("<=", sp.exp(M), "exp is increasing", Monotone(sp.exp(v), v, s[b], M, gap_witness=hi[b].slack))),
        hypotheses=(hi[b],),
    )


def _exp_hi_facts(K: int, s) -> tuple[Hypothesis, ...]:
    return tuple(
        Hypothesis(f"exp_hi{b + 1}", sp.exp(s[b]), "<=", sp.exp(M), by=f"#exp_hi_K{K}_{b + 1}") for b in range(K)
    )


def ratio_claim(K: int, a: int) -> Claim:
    ref, s, _, lo, hi = _parts(K)
    Z = partition(ref, s)
    facts = _exp_hi_facts(K, s)
    shrink = sp.exp(-M) / (Z * sp.exp(M)) * sum((ref[b] * facts[b].slack for b in range(K)), sp.S.Zero)
    return Claim(
        f"ratio_K{K}_{a + 1}",
        sp.exp(s[a]) / Z,
        ">=",
        sp.exp(-2 * M),
        calc(
            (
                ">=",
                sp.exp(-M) / Z,
                "exp is increasing and s_a >= -B R",
                Monotone(sp.exp(v) / Z, v, -M, s[a], gap_witness=lo[a].slack),
            ),
            (">=", sp.exp(-M) / sp.exp(M), "Z = sum_b pi_ref(b) e^{s_b} <= e^{B R}", Algebra(shrink)),
            ("==", sp.exp(-2 * M), ""),
        ),
        hypotheses=(lo[a], *hi, *facts),
    )


def _ratio_facts(K: int, ref, s) -> tuple[Hypothesis, ...]:
    Z = partition(ref, s)
    return tuple(
        Hypothesis(f"ratio{a + 1}", sp.exp(s[a]) / Z, ">=", sp.exp(-2 * M), by=f"#ratio_K{K}_{a + 1}") for a in range(K)
    )


def sharp_claim(K: int) -> Claim:
    ref, s, x, lo, hi = _parts(K)
    pi = boltzmann(ref, s)
    m = mean(pi, x)
    facts = _ratio_facts(K, ref, s)
    around = sum((ref[a] * (x[a] - m) ** 2 for a in range(K)), sp.S.Zero)
    rho = [sp.exp(s[a]) / partition(ref, s) for a in range(K)]
    return Claim(
        f"sharp_K{K}",
        var(pi, x),
        ">=",
        sp.exp(-2 * M) * var(ref, x),
        calc(
            ("==", sum((ref[a] * rho[a] * (x[a] - m) ** 2 for a in range(K)), sp.S.Zero), "pi_w = pi_ref rho"),
            (
                ">=",
                sp.exp(-2 * M) * around,
                "rho_a >= e^{-2BR}",
                Algebra(sum(((x[a] - m) ** 2 * ref[a] * facts[a].slack for a in range(K)), sp.S.Zero)),
            ),
            ("==", sp.exp(-2 * M) * (var(ref, x) + (mean(ref, x) - m) ** 2), "second moment about m"),
            (">=", sp.exp(-2 * M) * var(ref, x), "drop the square", Algebra(sp.exp(-2 * M) * (mean(ref, x) - m) ** 2)),
        ),
        hypotheses=(*lo, *hi, *facts),
    )


def weak_claim(K: int) -> Claim:
    ref, s, x, lo, hi = _parts(K)
    pi = boltzmann(ref, s)
    sharp = Hypothesis("sharp", var(pi, x), ">=", sp.exp(-2 * M) * var(ref, x), by=f"#sharp_K{K}")
    return Claim(
        f"K{K}",
        var(pi, x),
        ">=",
        sp.exp(-4 * M) * var(ref, x),
        calc(
            (">=", sp.exp(-2 * M) * var(ref, x), "the sharp form", Algebra(sharp.slack)),
            (
                ">=",
                sp.exp(-4 * M) * var(ref, x),
                "e^{-2BR} >= e^{-4BR} and Var >= 0",
                Monotone(sp.exp(v - 4 * M) * var(ref, x), v, sp.S.Zero, 2 * M),
            ),
        ),
        hypotheses=(*lo, *hi, sharp),
    )


def _claims(K: int) -> tuple[Claim, ...]:
    return (
        *(exp_hi_claim(K, b) for b in range(K)),
        *(ratio_claim(K, a) for a in range(K)),
        sharp_claim(K),
        weak_claim(K),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="cov_ge_exp_smul_cov_ref_of_norm_le",
        statement="Sigma_w(x) >= exp(-2 B ||w||) Sigma_0(x) >= exp(-4 B ||w||) Sigma_0(x) in the PSD order",
        source="setting.md, section 2 (exp(-4B||w||) form); the exp(-2B||w||) form is derived here",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric for K = 6, d = 5",
        constants={"coverage_transfer_factor": sp.exp(-2 * M), "coverage_transfer_factor_setting": sp.exp(-4 * M)},
        claims=tuple(c for K in KS for c in _claims(K)),
    )
)
