"""**Theorem (partial coverage, covariance-weighted: excess of the minimum-norm optimum)**: without coverage (gamma = 0,
e.g. d > n(K - 1)), let w_U = P_U w* be the minimum-norm empirical maximiser (the limit of GA from w_0 = 0) and
residual = ||P_perp w*||. With probability at least 1 - delta over the n i.i.d. training prompts,
J(w*) - J(w_U) <= (beta/2) e^{2BS/beta} B^2 residual^2 (sqrt(2l/n) + 2l/(3n)),  l = log(1 + d/delta),
which shrinks like n^(-1/2) (the (beta B^2/2) residual^2 of :mod:`erm_min_norm_gap_le_of_partial_coverage` does not).

Proof. :mod:`excess_le_exp_mul_quad_of_min_norm` bounds the excess by (beta/2) e^{2BS/beta} residual^2 lambda_dev,
lambda_dev = lambda_max(Sigma_D(0) - Sigma_S(0)): the direction P_perp w* that the sample does not see costs only what
the population's covariance puts on it, and the sample puts nothing on it. The matrix Bernstein bound
(:mod:`max_eig_sub_le_of_matrix_bernstein`, Tropp 2012, Theorem 1.4) gives lambda_dev <= t with probability at least
1 - d exp(-n t^2/(2B^4 + 2B^2 t/3)); at t = B^2 (sqrt(2l/n) + 2l/(3n)) the exponent is at least l (claim
``bernstein_confidence``: n t^2 - (2/3) B^2 l t - 2 B^4 l = (2/3) B^4 l sqrt(2l/n) >= 0), so the failure probability is
at most d e^{-l} = d delta/(delta + d) <= delta. The level l = log(1 + d/delta) exceeds the usual log(d/delta) by
less than delta/d, and is positive for every delta and d, so the bound needs no parameter condition. Derived here
(docs/setting.md, section 3).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Derivation, Monotone, calc, citation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import ERM, EXCESS, MIN_NORM_OPTIMUM, PROBABILITY

from . import _partial as exercise
from . import excess_le_exp_mul_quad_of_min_norm as weighted
from . import max_eig_sub_le_of_matrix_bernstein as bernstein
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._family import A, B
from ._theorem import theorem

delta, n, d = symbol("delta"), bernstein.n, bernstein.d
excess = weighted.excess
_v = sp.Symbol("v", real=True)


def log_level(confidence: sp.Expr) -> sp.Expr:
    """l = log(1 + d/confidence) > 0: at least log(d/confidence), and positive for every d and confidence."""
    return sp.log(1 + d / confidence)


def level(confidence: sp.Expr) -> sp.Expr:
    """The Bernstein level t = B^2 sqrt(2l/n) + 2 B^2 l/(3n), whose tail is at most ``confidence``."""
    ell = log_level(confidence)
    return B**2 * sp.sqrt(2 * ell / n) + 2 * B**2 * ell / (3 * n)  # a sum: it stays a subtree of the bound


def level_claim(confidence: sp.Expr) -> Claim:
    """0 <= level(confidence)."""
    return Claim("bernstein_level", level(confidence), ">=", sp.S.Zero,
                 calc((">=", sp.S.Zero, "l > 0", Algebra(level(confidence)))))


def confidence_claim(confidence: sp.Expr) -> Claim:
    """d exp(-n t^2/(2B^4 + 2B^2 t/3)) <= confidence at t = level(confidence): the exponent is at least l, and
    d e^{-l} = d/(1 + d/confidence) <= confidence."""
    ell, t = log_level(confidence), level(confidence)
    exponent = n * t**2 / (2 * B**4 + 2 * B**2 * t / 3)
    tail = bernstein.TAIL.xreplace({bernstein.t_b: t})
    above = sp.Rational(2, 3) * B**4 * ell * sp.sqrt(2 * ell / n) / (2 * B**4 + 2 * B**2 * t / 3)
    return Claim(
        "bernstein_confidence",
        tail,
        "<=",
        confidence,
        calc(
            ("<=", d * sp.exp(-ell), "the exponent n t^2/(2B^4 + 2B^2 t/3) is at least l: n t^2 - (2/3) B^2 l t -"
             " 2 B^4 l = (2/3) B^4 l sqrt(2l/n)", Monotone(d * sp.exp(_v), _v, -exponent, -ell, gap_witness=above)),
            ("<=", confidence, "d e^{-l} = d/(1 + d/delta) <= delta",
             Algebra(confidence**2 / (confidence + d))),
        ),
    )


LEVEL_CLAIM, CONFIDENCE_CLAIM = level_claim(delta), confidence_claim(delta)
LEVEL = citation(LEVEL_CLAIM, name="bernstein_level")
CONFIDENCE = citation(CONFIDENCE_CLAIM, name="bernstein_confidence")
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))
EVENT = citation(bernstein.LEMMA, "main", {bernstein.t_b: level(delta), bernstein.delta_b: delta}, name="bernstein")
WEIGHTED = citation(weighted.LEMMA, "main", name="weighted_excess")
PROOF = (
    Derivation.of(excess, (FEATURES, LEVEL, CONFIDENCE, EVENT, WEIGHTED))
    .apply(WEIGHTED, "excess <= (beta/2) e^{2BS/beta} residual^2 lambda_max(Sigma_D(0) - Sigma_S(0))")
    .apply(EVENT, "matrix Bernstein at t = B^2 (sqrt(2l/n) + 2l/(3n)) (probability >= 1 - delta)")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_min_norm_excess_le_of_partial_coverage",
        statement="no coverage, w.p. >= 1 - delta: J(w*) - J(w_U) <= (beta/2) e^{2BS/beta} B^2 residual^2"
        " (sqrt(2l/n) + 2l/(3n)), l = log(1 + d/delta)",
        source="derived here (docs/setting.md, section 3): the covariance-weighted residual and matrix Bernstein",
        doc=__doc__,
        scope="every d, K and n; the probability step is the matrix Bernstein bound (an external fact)",
        constants={"segment_curvature_factor": sp.exp(2 * weighted.M)},
        bound=BOUND,
        bounds=EXCESS,
        iterate=MIN_NORM_OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        form="covariance-weighted",
        plan=exercise.plan(examples=120),
        control=exercise.CONTROL,
        shape=exercise.SHAPE,
        claims=(LEVEL_CLAIM, CONFIDENCE_CLAIM, PROOF.claim("main")),
    )
)
