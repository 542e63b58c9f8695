"""**Range of the optimal objective**: -S B <= j(w*; x) <= S B, where w* = theta*/beta.

At w* the scores are r_a / beta, so j(w*; x) = beta log sum_a pi_ref(a) e^{r_a / beta} (claim ``value``), a
log-mean-exp of the rewards, which lies between their extremes: |r_a| = |<theta*, phi_a>| <= S B (Cauchy-Schwarz;
the hypotheses ``lo``, ``hi``, for every action). So the values j(w*; x_i) of a training sample lie in an interval
of length 2 S B (claims ``upper``, ``lower``), which is what Hoeffding's inequality needs. Proved for a symbolic
number K of actions, every d. Source: derived here (docs/setting.md: the range of j).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma, Monotone, calc, citation
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._family import A, B, beta, objective, r, reference, total

S = symbol("S")
M = S * B
v = sp.Symbol("v", real=True)
w = sp.Symbol("w", positive=True)

LO = Hypothesis("lo", r[A], ">=", -M, "<theta*, phi_a> >= -S B (Cauchy-Schwarz)", forall=(A,),
                kind="asserted")
HI = Hypothesis("hi", r[A], "<=", M, "<theta*, phi_a> <= S B (Cauchy-Schwarz)", forall=(A,),
                kind="asserted")


def _mean_exp() -> sp.Expr:
    ref = reference()
    return total(lambda a: ref(a) * sp.exp(r[a] / beta))


def value_claim() -> Claim:
    mean_exp = _mean_exp()
    return Claim(
        "value",
        objective(reference(), lambda a: r[a] / beta, lambda a: r[a]),
        "==",
        beta * sp.log(mean_exp),
        calc(("==", beta * sp.log(mean_exp), "scores r/beta: E r - beta(E[r/beta] - log Z) = beta log Z")),
    )


def exp_claims() -> tuple[Claim, Claim]:
    """e^{-SB/beta} <= e^{r_a/beta} <= e^{SB/beta}, by monotonicity of exp."""
    hi = Claim(
        "exp_hi",
        sp.exp(r[A] / beta),
        "<=",
        sp.exp(M / beta),
        calc(
            (
                "<=",
                sp.exp(M / beta),
                "exp(v / beta) is increasing",
                Monotone(sp.exp(v / beta), v, r[A], M, gap_witness=HI.slack),
            )
        ),
        hypotheses=(HI,),
    )
    lo = Claim(
        "exp_lo",
        sp.exp(-M / beta),
        "<=",
        sp.exp(r[A] / beta),
        calc(
            (
                "<=",
                sp.exp(r[A] / beta),
                "exp(v / beta) is increasing",
                Monotone(sp.exp(v / beta), v, -M, r[A], gap_witness=LO.slack),
            )
        ),
        hypotheses=(LO,),
    )
    return hi, lo


def upper_claim(exp_hi: Claim) -> Claim:
    ref, mean_exp = reference(), _mean_exp()
    fact = citation(exp_hi, name="e_hi", forall=(A,))
    return Claim(
        "upper",
        beta * sp.log(mean_exp),
        "<=",
        M,
        calc(
            (
                "<=",
                beta * sp.log(sp.exp(M / beta)),
                "log is increasing; each e^{r_a/beta} <= e^{SB/beta}",
                Monotone(
                    beta * sp.log(w), w, mean_exp, sp.exp(M / beta), gap_witness=total(lambda a: ref(a) * fact.slack, A)
                ),
            ),
            ("==", M, ""),
        ),
        hypotheses=(LO, HI, fact),
    )


def lower_claim(exp_lo: Claim) -> Claim:
    ref, mean_exp = reference(), _mean_exp()
    fact = citation(exp_lo, name="e_lo", forall=(A,))
    return Claim(
        "lower",
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
                    gap_witness=total(lambda a: ref(a) * fact.slack, A),
                ),
            ),
            ("==", -M, ""),
        ),
        hypotheses=(LO, HI, fact),
    )


def _claims() -> tuple[Claim, ...]:
    hi, lo = exp_claims()
    return value_claim(), hi, lo, upper_claim(hi), lower_claim(lo)


LEMMA = CHAIN.register(
    Lemma(
        name="obj_opt_mem_icc_of_norm_le",
        statement="j(w*; x) = beta log E_{pi_ref}[e^{r*(x,a)/beta}] lies in [-S B, S B]",
        source="derived here (docs/setting.md: the range of j)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length)",
        constants={"range_of_optimal_objective": 2 * M},
        claims=_claims(),
    )
)
