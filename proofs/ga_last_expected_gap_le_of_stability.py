"""**Theorem (Gradient Ascent, stability route: expected generalization gap)**: if every possible training sample
has coverage at least gamma (gamma <= min_x lambda_min(Sigma_0(x)), since n copies of the worst prompt are a possible
sample), GA with 0 < eta <= 1/(beta B^2) from w_0 = 0 satisfies |E_S[J(w_T) - J_S(w_T)]| <= 6 B^2 S^2 rho^T / beta,
rho = 1 - eta beta gamma e^{-4BS/beta}. The expectation is over the training sample S; the bounded quantity is the
expected gap |E_S[J - J_S]|, not E_S|J - J_S|.

Stability implies generalization in expectation (the external fact :mod:`abs_expect_gap_le_of_uniform_stable`,
Bousquet and Elisseeff 2002; Hardt, Recht and Singer 2016, Thm 2.2): for outputs on samples differing in one prompt
at most epsilon apart and a per-prompt objective G-Lipschitz where they lie, |E_S[J(A(S)) - J_S(A(S))]| <= G epsilon.
Here epsilon = 2 rho^T S / beta (:mod:`ga_last_stable_of_coverage`, which runs GA on both samples: hence the
asserted condition that every sample is covered at gamma) and G = 3 B^2 S: every output has ||w_T|| <= 2S/beta
(claim ``radius`` of :mod:`ga_step_dist_le_of_coverage` with claim ``ball`` of :mod:`ga_last_dist_le_of_coverage`) and
the gradient is at most B^2 (S + beta R) on that ball (:mod:`grad_norm_le_of_norm_le`). A user who measures gamma on
the observed sample alone does not meet the condition; the smallest per-prompt coverage does (docs/setting.md,
section 3). This is the paper's framework (algorithmic stability) made explicit; the probability bounds (n^(-1/2))
come from Hoeffding at w* in the other theorems.
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis, citation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import EXPECTATION_OVER_SAMPLE, EXPECTED_GAP, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, claimed_coverage
from rlhfsym.vocabulary.families import CORNER_SMALL, GENERIC_EVERY, RAW_EVERY, RAW_SMALL

from . import abs_expect_gap_le_of_uniform_stable as generalizes
from . import ga_last_dist_le_of_coverage as last_dist
from . import ga_last_stable_of_coverage as stable
from . import ga_step_dist_le_of_coverage as step_lemma
from . import grad_norm_le_of_norm_le as gradient
from ._chain import CHAIN
from ._model import beta
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import RHO
from .ga_last_stable_of_coverage import STABILITY
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE

S, T, gamma = symbol("S"), symbol("T"), symbol("gamma")
expected_gap = sp.Symbol("E_gap", nonnegative=True)
#: The least coverage over every sample the theorem averages over (min_x lambda_min(Sigma_0(x))).
every_coverage = sp.Symbol("lambda_every", real=True)
COVERED = Hypothesis(
    "every_sample_covered",
    gamma,
    "<=",
    every_coverage,
    "every possible training sample has lambda_min(Sigma_S(0)) >= gamma, i.e. gamma <= min_x lambda_min(Sigma_0(x))",
    kind="asserted",
)
RADIUS = 2 * S / beta
IN_BALL = citation(last_dist.LEMMA, "ball", {last_dist.t: T}, name="in_ball")
OUTPUT_NORM = citation(step_lemma.LEMMA, "radius", {step_lemma.N: last_dist.dist(T)}, name="output_norm")
LIPSCHITZ_BOUND = citation(gradient.LEMMA, "lipschitz", {gradient.R: RADIUS}, name="lipschitz")
LIPSCHITZ = gradient.LIPSCHITZ_AT_BALL  # 3 B^2 S
UNIFORM = citation(stable.LEMMA, "main", name="uniform")
GENERALIZES = citation(
    generalizes.LEMMA,
    "main",
    {generalizes.E_gap: expected_gap, generalizes.Lip: gradient.grad_norm, generalizes.apart: stable.apart,
     generalizes.G: LIPSCHITZ, generalizes.epsilon: STABILITY},
    name="stability_generalizes",
)  # fmt: skip
PROOF = Derivation.of(
    expected_gap, (ETA_LE, GAMMA_LE, COVERED, IN_BALL, OUTPUT_NORM, LIPSCHITZ_BOUND, UNIFORM, GENERALIZES)
).apply(GENERALIZES, "stability implies generalization, G = 3 B^2 S, epsilon = 2 rho^T S / beta")
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_expected_gap_le_of_stability",
        statement="GA, eta <= 1/(beta B^2), every possible sample covered at gamma: "
        "|E_S[J(w_T) - J_S(w_T)]| <= 6 B^2 S^2 rho^T / beta",
        source="docs/setting.md, section 4, lemma 8 (stability => generalization), derived here",
        doc=__doc__,
        scope="every d and K; stability => generalization is an external fact; conditional on every sample covered",
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
        establishes=("every_sample_covered",),
        claims=(PROOF.claim("main"),),
    )
)
