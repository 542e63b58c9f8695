"""**Theorem (partial coverage, covariance-weighted: generalization gap of the minimum-norm optimum)**: without
coverage (gamma = 0, e.g. d > n(K - 1)), the minimum-norm empirical maximiser w_U = P_U w* (the limit of GA from
w_0 = 0) satisfies, with probability at least 1 - delta over the n i.i.d. training prompts,
|J(w_U) - J_S(w_U)| <= (beta/2) e^{2BS/beta} B^2 residual^2 (sqrt(2l/n) + 2l/(3n)) + 2 S B sqrt(log(4/delta)/(2n)),
l = log(1 + 2d/delta), residual = ||P_perp w*||: O(n^(-1/2)), where :mod:`erm_min_norm_gap_le_of_partial_coverage`
keeps a residual term (beta B^2/2) residual^2 that does not shrink with n.

Proof. J_S(w_U) = J_S(w*) (claim ``decomposition`` of :mod:`erm_min_norm_gap_le_of_partial_coverage`), so
|J(w_U) - J_S(w_U)| <= |J(w*) - J_S(w*)| + (J(w*) - J(w_U)). The excess is bounded by
:mod:`erm_min_norm_excess_le_of_partial_coverage` at confidence delta/2 (matrix Bernstein), the deviation at w* by
Hoeffding's inequality (:mod:`abs_mean_sub_le_of_iid_mem_icc`) at delta/2. The two failure events (delta/2 each) are
joined by the union bound, which the chain does not encode: each citation states its own delta/2, and the sum delta
is this statement's. The one parameter condition is log(4/delta) >= 0. Derived here (docs/setting.md, section 3).
"""

import sympy as sp

from rlhfsym.chain import Derivation, citation
from rlhfsym.vocabulary import ERM, GAP, MIN_NORM_OPTIMUM, PROBABILITY

from . import _partial as exercise
from . import erm_min_norm_excess_le_of_partial_coverage as excess_form
from . import erm_min_norm_gap_le_of_partial_coverage as partial
from ._chain import CHAIN
from ._concentration import gap, hoeffding_at
from ._theorem import theorem

delta = excess_form.delta
HALF = sp.Rational(1, 2)
#: Hoeffding at w* at delta/2, with its parameter condition log(4/delta) >= 0 and the ranges it rests on.
CONCENTRATION = hoeffding_at(HALF)
HOEFFDING = CONCENTRATION[-1]
DECOMPOSITION = citation(partial.LEMMA, "decomposition", name="decomposition")
EXCESS = citation(excess_form.LEMMA, "main", {delta: delta * HALF}, name="excess_bernstein")
CONTEXT = (*CONCENTRATION, DECOMPOSITION, EXCESS)
PROOF = (
    Derivation.of(gap, CONTEXT)
    .apply(DECOMPOSITION, "J_S(w_U) = J_S(w*): decompose at w*")
    .apply(EXCESS, "the covariance-weighted excess, matrix Bernstein at delta/2")
    .apply(HOEFFDING, "Hoeffding at w* at delta/2")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="erm_min_norm_gap_le_of_partial_coverage_cov",
        statement="no coverage, w.p. >= 1 - delta: |J(w_U) - J_S(w_U)| <= (beta/2) e^{2BS/beta} B^2 residual^2"
        " (sqrt(2l/n) + 2l/(3n)) + 2 S B sqrt(log(4/delta)/(2n)), l = log(1 + 2d/delta)",
        source="derived here (docs/setting.md, section 3): the covariance-weighted residual, matrix Bernstein and"
        " Hoeffding",
        doc=__doc__,
        scope="every d, K and n; the probability steps are the matrix Bernstein bound and Hoeffding's inequality"
        " (external facts), joined by the union bound",
        constants={"segment_curvature_factor": excess_form.LEMMA.constants["segment_curvature_factor"]},
        bound=BOUND,
        bounds=GAP,
        iterate=MIN_NORM_OPTIMUM,
        algorithm=ERM,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T=None,
        form="covariance-weighted",
        plan=exercise.plan(examples=120),
        control=exercise.CONTROL,
        shape=exercise.SHAPE,
        claims=(PROOF.claim("main"),),
    )
)
