"""**Theorem (Gradient Ascent in the population coverage: generalization gap of the last iterate)**: if the prompt
distribution has coverage gamma_D > 0 (gamma_D <= lambda_min(Sigma_D(0))) and n is large enough that
d e^{-c n gamma_D / B^2} <= delta/2, c = (1 - log 2)/2, then GA with 0 < eta <= 1/(beta B^2) from w_0 = 0 satisfies,
with probability at least 1 - delta over the training sample,
|J(w_T) - J_S(w_T)| <= (B^2 S^2 / (2 beta)) rho_D^(2T) + 2 S B sqrt(log(4/delta) / (2n)),
rho_D = 1 - eta beta (gamma_D/2) e^{-4BS/beta}. Every quantity is known before the data exist, so
``rlhfsym sample-size`` answers how many prompts are needed.

Proof. The matrix Chernoff bound (:mod:`min_eig_ge_of_matrix_chernoff`, Tropp 2012, Theorem 1.1, at eps = 1/2, so
that its tail is d (sqrt(2) e^{-1/2})^{n gamma_D / B^2} = d e^{-c n gamma_D/B^2}) gives lambda_min(Sigma_S(0)) >=
gamma_D/2 with probability >= 1 - delta/2: on that event gamma = gamma_D/2 satisfies the definition of the sample's
coverage (:mod:`coverage_le_min_eig`, restated at gamma_D/2 by that citation: docs/engine.md, definitions), so
:mod:`ga_last_gap_le_of_coverage` applies at gamma = gamma_D/2 and at confidence delta/2 for its Hoeffding step. The
two failure events (Chernoff's and Hoeffding's, delta/2 each) are joined by the union bound, which the chain does
not encode: each citation states its own delta/2, and the sum delta is this statement's. Derived here
(docs/setting.md, section 4).
"""

import sympy as sp

from rlhfsym.chain import Derivation, Hypothesis, citation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import GA, GAP, LAST, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, duplicated
from rlhfsym.vocabulary.families import POPULATION_COVERED

from . import coverage_le_min_eig as coverage
from . import ga_last_gap_le_of_coverage as sample_form
from . import min_eig_ge_of_matrix_chernoff as chernoff
from . import population_coverage_le_min_eig as population
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._concentration import gap
from ._family import A
from ._theorem import theorem
from .ga_step_dist_sq_le_of_coverage import ETA_LE, B

delta, gamma_D = symbol("delta"), population.gamma_D
HALF = sp.Rational(1, 2)
CHERNOFF_C = sp.simplify(-sp.log(chernoff.BASE.xreplace({chernoff.eps: HALF})))  # (1 - log 2)/2
TAIL = chernoff.TAIL.xreplace({chernoff.eps: HALF})  # d (sqrt(2) e^{-1/2})^{n gamma_D/B^2} = d e^{-c n gamma_D/B^2}

GAMMA_D_LE = Hypothesis("gamma_D_le", gamma_D * HALF, "<=", B**2,
                        "gamma_D/2 <= B^2 (gamma_D <= lambda_max <= B^2)", kind="parameter")  # fmt: skip
CONFIDENCE = Hypothesis("confidence", sp.S.Zero, "<=", sp.log(4 / delta), "log(4/delta) >= 0: delta <= 4",
                        kind="parameter")  # fmt: skip
ENOUGH = Hypothesis("chernoff_confidence", TAIL, "<=", delta * HALF,
                    "n is large enough: d e^{-c n gamma_D/B^2} <= delta/2, c = (1 - log 2)/2", kind="parameter")
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))
POPULATION = citation(population.LEMMA, "main", name="population")
EVENT = citation(chernoff.LEMMA, "main", {chernoff.eps: HALF, chernoff.delta_c: delta * HALF}, name="chernoff")
CONTEXT = (ETA_LE, GAMMA_D_LE, CONFIDENCE, ENOUGH, FEATURES, POPULATION, EVENT)
PROOF = Derivation.of(gap, CONTEXT).cite(
    sample_form.LEMMA, "main", {coverage.gamma: gamma_D * HALF, delta: delta * HALF},
    name="sample_form", why="ga_last_gap_le_of_coverage at gamma = gamma_D/2 (the Chernoff event), delta/2",
)  # fmt: skip
BOUND = PROOF.result
RHO_D = sample_form.RHO.xreplace({coverage.gamma: gamma_D * HALF})

LEMMA = CHAIN.register(
    theorem(
        name="ga_last_gap_le_of_population_coverage",
        statement="GA, eta <= 1/(beta B^2), d e^{-c n gamma_D/B^2} <= delta/2, w.p. >= 1 - delta: "
        "|J(w_T) - J_S(w_T)| <= (B^2 S^2/(2 beta)) rho_D^(2T) + 2 S B sqrt(log(4/delta)/(2n))",
        source="derived here (docs/setting.md, section 4): ga_last_gap_le_of_coverage on the matrix Chernoff event",
        doc=__doc__,
        scope="every d and K; the probability steps are Hoeffding's inequality and the matrix Chernoff bound "
        "(external facts), joined by the union bound",
        constants={"rho_D": RHO_D, "chernoff_c": CHERNOFF_C},
        bound=BOUND,
        bounds=GAP,
        iterate=LAST,
        algorithm=GA,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T="rho_D^(2*T)",
        form="population coverage",
        plan=Plan((POPULATION_COVERED,), perturbations=1, examples=20, cost=3.0),
        shape=Shape(n=400, d=1, N=2),  # n large enough for the matrix Chernoff condition at delta = 0.05
        control=Control("a duplicated sample counted as i.i.d. draws", claimed=duplicated(100)),
        claims=(PROOF.claim("main"),),
    )
)
