"""**Theorem (empirical optimum in the population coverage)**: if the prompt distribution has coverage gamma_D > 0
(gamma_D <= lambda_min(Sigma_D(0))) and d e^{-c n gamma_D / B^2} <= delta/2, c = (1 - log 2)/2, then with probability at
least 1 - delta over the n training prompts, the empirical maximiser w_S of J_S satisfies |J(w_S) - J_S(w_S)| <= 2 S B
sqrt(log(4/delta) / (2 n)).

Proof. The matrix Chernoff bound (:mod:`min_eig_ge_of_matrix_chernoff` at eps = 1/2, failure probability delta/2) gives
lambda_min(Sigma_S(0)) >= gamma_D/2 > 0 with probability >= 1 - delta/2: on that event gamma = gamma_D/2 satisfies the
definition of the sample's coverage (:mod:`coverage_le_min_eig`, restated at gamma_D/2 by that citation: docs/engine.md,
definitions), so :mod:`erm_gap_le_of_coverage` applies at gamma = gamma_D/2 (its coverage transfer makes the empirical
maximiser w*), with its Hoeffding step at delta/2. The union bound joins the two failure events (delta/2 each; not
encoded in the chain: each citation states its own). Unlike gamma, every parameter here is known before the data exist,
so ``rlhfsym sample-size`` answers how many prompts are needed; the matrix Chernoff condition on n is certified at the
answer. Derived here (docs/setting.md, section 4).
"""


from rlhfsym.chain import Derivation
from rlhfsym.vocabulary import ERM, GAP, OPTIMUM, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan, Shape, duplicated
from rlhfsym.vocabulary.families import POPULATION_COVERED
from rlhfsym.vocabulary.figures import Figure, PowerRate

from . import coverage_le_min_eig as coverage
from . import erm_gap_le_of_coverage as sample_form
from ._chain import CHAIN
from ._concentration import gap
from ._theorem import theorem
from .ga_last_gap_le_of_population_coverage import (
    CHERNOFF_C,
    CONFIDENCE,
    ENOUGH,
    EVENT,
    FEATURES,
    GAMMA_D_LE,
    HALF,
    POPULATION,
    delta,
    gamma_D,
)

PROOF = Derivation.of(gap, (GAMMA_D_LE, CONFIDENCE, ENOUGH, FEATURES, POPULATION, EVENT)).cite(
    sample_form.LEMMA, "main", {coverage.gamma: gamma_D * HALF, delta: delta * HALF}, name="sample_form",
    why="erm_gap_le_of_coverage at gamma = gamma_D/2 (the Chernoff event), Hoeffding at delta/2",
)  # fmt: skip
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_gap_le_of_population_coverage",
        statement="d e^{-c n gamma_D/B^2} <= delta/2, w.p. >= 1 - delta: |J(w_S) - J_S(w_S)| <= "
        "2 S B sqrt(log(4/delta)/(2n)) for the empirical optimum",
        source="derived here (docs/setting.md, section 4): erm_gap_le_of_coverage on the matrix Chernoff event",
        doc=__doc__,
        scope="every d and K; the probability steps are Hoeffding's inequality and the matrix Chernoff bound "
        "(external facts), joined by the union bound",
        constants={"chernoff_c": CHERNOFF_C},
        bound=BOUND,
        bounds=GAP,
        iterate=OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        form="population coverage",
        plan=Plan((POPULATION_COVERED,), perturbations=1, examples=20, cost=3.0),
        figure=Figure(
            "erm_gap_population_vs_n.png", "n", (500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000), 0,
            PowerRate("n^(-1/2)", -0.5),
            shows="the gap of the empirical optimum on 10 seeded samples per n, their mean, the bound in the "
            "population coverage gamma_D and the rate n^(-1/2) (from n = 500: the matrix Chernoff condition needs n "
            ">= 369 on this instance; beside the sample form's figure)",
        ),
        shape=Shape(n=400, d=1, N=2),  # n large enough for the matrix Chernoff condition at delta = 0.05
        control=Control("a duplicated sample counted as i.i.d. draws", claimed=duplicated(100)),
        claims=(PROOF.claim("main"),),
    )
)
