"""**Range of the optimal objective**: -S B <= j(w*; x) <= S B, where w* = theta*/beta.

At w* the scores are r_a / beta, so j(w*; x) = beta log sum_a pi_ref(a) e^{r_a / beta} (claims ``value``), a
log-mean-exp of the rewards, which lies between their extremes: |r_a| = |<theta*, phi_a>| <= S B (Cauchy-Schwarz;
the hypotheses ``lo``, ``hi``). So the values j(w*; x_i) of a training sample lie in an interval of length 2 S B,
which is what Hoeffding's inequality needs in :mod:`erm_gap_le_of_coverage`. Proved for K = 2, 3, 4 with symbolic
entries (every d). Source: derived here (setting.md, section 4, lemma 2: range of j).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma, Monotone, calc
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._model import KS, B, beta, objective, reals, reference

S = symbol("S")
M = S * B
v = sp.Symbol("v", real=True)


def _parts(K: int):
    ref, r = reference(K), reals("r", K)
    lo = tuple(Hypothesis(f"lo{a + 1}", r[a], ">=", -M, "<theta*, phi_a> >= -S B (Cauchy-Schwarz)") for a in range(K))
    hi = tuple(Hypothesis(f"hi{a + 1}", r[a], "<=", M, "<theta*, phi_a> <= S B (Cauchy-Schwarz)") for a in range(K))
    mean_exp = sum((ref[a] * sp.exp(r[a] / beta) for a in range(K)), sp.S.Zero)
    return ref, r, lo, hi, mean_exp


def value_claim(K: int) -> Claim:
    ref, r, _, _, mean_exp = _parts(K)
    optimum = [ra / beta for ra in r]
    return Claim(
        f"value_K{K}",
        objective(ref, optimum, r),
        "==",
        beta * sp.log(mean_exp),
        calc(("==", beta * sp.log(mean_exp), "scores r/beta: E r - beta(E[r/beta] - log Z) = beta log Z")),
    )


def exp_claims(K: int) -> tuple[Claim, ...]:
    """e^{-SB/beta} <= e^{r_a/beta} <= e^{SB/beta}, by monotonicity of exp."""
    _, r, lo, hi, _ = _parts(K)
    claims = []
    for a in range(K):
        claims.append(
            Claim(
                f"exp_hi_K{K}_{a + 1}",
                sp.exp(r[a] / beta),
                "<=",
                sp.exp(M / beta),
                calc(
                    (
                        "<=",
                        sp.exp(M / beta),
                        "exp(v / beta) is increasing",
                        Monotone(sp.exp(v / beta), v, r[a], M, gap_witness=hi[a].slack),
                    )
                ),
                hypotheses=(hi[a],),
            )
        )
        claims.append(
            Claim(
                f"exp_lo_K{K}_{a + 1}",
                sp.exp(-M / beta),
                "<=",
                sp.exp(r[a] / beta),
                calc(
                    (
                        "<=",
                        sp.exp(r[a] / beta),
                        "exp(v / beta) is increasing",
                        Monotone(sp.exp(v / beta), v, -M, r[a], gap_witness=lo[a].slack),
                    )
                ),
                hypotheses=(lo[a],),
            )
        )
    return tuple(claims)


def _facts(K: int, r, which: str) -> tuple[Hypothesis, ...]:
    if which == "hi":
        return tuple(
            Hypothesis(f"e_hi{a + 1}", sp.exp(r[a] / beta), "<=", sp.exp(M / beta), by=f"#exp_hi_K{K}_{a + 1}")
            for a in range(K)
        )
    return tuple(
        Hypothesis(f"e_lo{a + 1}", sp.exp(-M / beta), "<=", sp.exp(r[a] / beta), by=f"#exp_lo_K{K}_{a + 1}")
        for a in range(K)
    )


def upper_claim(K: int) -> Claim:
    ref, r, lo, hi, mean_exp = _parts(K)
    facts = _facts(K, r, "hi")
    w = sp.Symbol("w", positive=True)
    return Claim(
        f"upper_K{K}",
        beta * sp.log(mean_exp),
        "<=",
        M,
        calc(
            (
                "<=",
                beta * sp.log(sp.exp(M / beta)),
                "log is increasing; each e^{r_a/beta} <= e^{SB/beta}",
                Monotone(
                    beta * sp.log(w),
                    w,
                    mean_exp,
                    sp.exp(M / beta),
                    gap_witness=sum((ref[a] * facts[a].slack for a in range(K)), sp.S.Zero),
                ),
            ),
            ("==", M, ""),
        ),
        hypotheses=(*lo, *hi, *facts),
    )


def lower_claim(K: int) -> Claim:
    ref, r, lo, hi, mean_exp = _parts(K)
    facts = _facts(K, r, "lo")
    w = sp.Symbol("w", positive=True)
    return Claim(
        f"lower_K{K}",
        beta * sp.log(mean_exp),
        ">=",
        -M,
        calc(
            (
                ">=",
                beta * sp.log(sp.exp(-M / beta)),
                "log is increasing; each e^{r_a/beta} >= e^{-SB/beta}",
                Monotone(
                    beta * sp.log(w),
                    w,
                    sp.exp(-M / beta),
                    mean_exp,
                    gap_witness=sum((ref[a] * facts[a].slack for a in range(K)), sp.S.Zero),
                ),
            ),
            ("==", -M, ""),
        ),
        hypotheses=(*lo, *hi, *facts),
    )


def _claims(K: int) -> tuple[Claim, ...]:
    return (value_claim(K), *exp_claims(K), upper_claim(K), lower_claim(K))


LEMMA = CHAIN.register(
    Lemma(
        name="obj_opt_mem_icc_of_norm_le",
        statement="j(w*; x) = beta log E_{pi_ref}[e^{r*(x,a)/beta}] lies in [-S B, S B]",
        source="derived here (setting.md, section 4, lemma 2)",
        doc=__doc__,
        scope="symbolic for K = 2, 3, 4 and every d (projections); numeric for K = 6, d = 5",
        constants={"range_of_optimal_objective": 2 * M},
        claims=tuple(c for K in KS for c in _claims(K)),
    )
)
