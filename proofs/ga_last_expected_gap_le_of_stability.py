"""**Theorem (Gradient Ascent, stability route: expected generalization gap)**: if every training sample has
coverage at least gamma, GA with 0 < eta <= 1/(beta B^2) from w_0 = 0 satisfies
|E_S[J(w_T) - J_S(w_T)]| <= 6 B^2 S rho^T S / beta = 6 B^2 S^2 rho^T / beta, rho = 1 - eta beta gamma e^{-4BS/beta}.

Stability implies generalization in expectation (Bousquet and Elisseeff 2002; Hardt, Recht and Singer 2016, Thm
2.2): for an algorithm whose outputs on neighbouring samples are at most epsilon apart and a per-prompt objective
that is G-Lipschitz on the region they lie in, |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon (hypothesis
``stability_generalizes``, a classical exchangeability argument that sympy does not carry). Here epsilon =
2 rho^T S / beta (:mod:`ga_last_stable_of_coverage`) and G = 3 B^2 S on the ball of radius 2S/beta
(:mod:`grad_norm_le_of_norm_le`). For the empirical optimum epsilon = 0 and the expected gap is 0: J_S(w*) is an
unbiased estimate of J(w*). This is the paper's framework (algorithmic stability) made explicit; the probability
bounds (n^(-1/2)) come from Hoeffding at w* in the other theorems. Source: setting.md, section 4, lemma 8.
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis
from rlhfsym.vocabulary import EXPECTATION_OVER_SAMPLE, EXPECTED_GAP, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, claimed_coverage
from rlhfsym.vocabulary.families import CORNER_SMALL, GENERIC_EVERY, RAW_EVERY, RAW_SMALL

from ._chain import CHAIN
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import RHO
from .ga_last_stable_of_coverage import STABILITY
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE
from .grad_norm_le_of_norm_le import LIPSCHITZ_AT_BALL

expected_gap = sp.Symbol("E_gap", nonnegative=True)
epsilon = sp.Symbol("epsilon", nonnegative=True)
LIPSCHITZ = LIPSCHITZ_AT_BALL  # 3 B^2 S, from grad_norm_le_of_norm_le
GENERALIZES = Hypothesis(
    "stability_generalizes",
    expected_gap,
    "<=",
    LIPSCHITZ * epsilon,
    "|E_S[J(A(S)) - J_S(A(S))]| <= G epsilon for an epsilon-uniformly-stable A and G-Lipschitz j",
)
UNIFORM = Hypothesis(
    "uniform",
    epsilon,
    "<=",
    STABILITY,
    "epsilon = sup over neighbouring samples of ||w_T^S - w_T^S'|| (ga_last_stable_of_coverage)",
)
PROOF = (
    Derivation.of(expected_gap, (ETA_LE, GAMMA_LE, GENERALIZES, UNIFORM))
    .apply(GENERALIZES, "stability implies generalization")
    .apply(UNIFORM, "epsilon <= 2 rho^T S / beta")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_expected_gap_le_of_stability",
        statement="GA, eta <= 1/(beta B^2), every sample covered: |E_S[J(w_T) - J_S(w_T)]| <= 6 B^2 S^2 rho^T / beta",
        source="setting.md, section 4, lemma 8 (stability => generalization), derived here",
        doc=__doc__,
        scope="every d and K; stability => generalization is a classical hypothesis",
        depends_on=("ga_last_stable_of_coverage", "grad_norm_le_of_norm_le"),
        constants={"rho": RHO, "lipschitz": LIPSCHITZ},
        bound=BOUND,
        bounds=EXPECTED_GAP,
        iterate=LAST,
        algorithm=GA,
        holds=EXPECTATION_OVER_SAMPLE,
        rate_n="n^0",
        rate_T="rho^T",
        form="stability",
        plan=Plan((RAW_EVERY, GENERIC_EVERY), T=(1, 20), perturbations=2, examples=200, cost=1.0),
        control=Control(
            "uncovered samples and a claimed gamma", claimed=claimed_coverage(1 - 1 / 1000),
            families=(CORNER_SMALL, RAW_SMALL),
        ),
        shape=Shape(n=3, d=2, N=4),
        claims=(PROOF.claim("main"),),
    )
)
