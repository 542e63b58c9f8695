"""**Uniform stability of Gradient Ascent under coverage**: if two training samples S, S' differ in one prompt and
both have coverage at least gamma, GA with 0 < eta <= 1/(beta B^2) from w_0 = 0 run on each gives
||w_T^S - w_T^{S'}|| <= 2 rho^T S / beta, rho = 1 - eta beta gamma e^{-4BS/beta}.

Both runs converge to the same point w* = theta*/beta, which maximises j(.; x) at every prompt: by the triangle
inequality (:mod:`norm_sub_le_norm_add_norm`) and :mod:`ga_last_dist_le_of_coverage` cited at each sample (its rho is
largest at the smallest coverage, so gamma may be any common lower bound). The empirical optimum is uniformly stable
with constant 0 (both samples' maximisers are w*, as in :mod:`erm_gap_le_of_coverage`; a remark, not used here). Source:
docs/setting.md, section 4, lemma 7 (uniform stability of the outputs; the common-optimum argument is derived here).
"""

import sympy as sp

from rlhfsym.chain import Derivation, Lemma, citation

from . import ga_last_dist_le_of_coverage as last_dist
from . import norm_sub_le_norm_add_norm as triangle
from ._chain import CHAIN
from .ga_last_dist_le_of_coverage import RHO
from .ga_step_dist_sq_le_of_coverage import ETA_LE, GAMMA_LE

apart = sp.Symbol("stability", nonnegative=True)  # ||w_T^S - w_T^S'||
other = sp.Symbol("sample_prime", real=True)  # the label of the neighbouring sample S'
first, second = last_dist.dist(last_dist.T), last_dist.dist(last_dist.T, other)
TRIANGLE = citation(
    triangle.LEMMA, "main", {triangle.N_ab: apart, triangle.N_ac: first, triangle.N_cb: second}, name="triangle"
)
ON_S = citation(last_dist.LEMMA, "main", name="on_S")
ON_S2 = citation(last_dist.LEMMA, "main", {last_dist.sample: other}, name="on_S2")

PROOF = (
    Derivation.of(apart, (ETA_LE, GAMMA_LE, TRIANGLE, ON_S, ON_S2))
    .apply(TRIANGLE, "triangle inequality through w*: ||w_T^S - w_T^S'|| <= ||w_T^S - w*|| + ||w* - w_T^S'||")
    .apply(ON_S, "the run on S is within rho^T S/beta of w*")
    .apply(ON_S2, "the run on S' is within rho^T S/beta of w*")
)
STABILITY = PROOF.result

LEMMA = CHAIN.register(
    Lemma(
        name="ga_last_stable_of_coverage",
        statement="GA, eta <= 1/(beta B^2), neighbouring covered samples: ||w_T^S - w_T^S'|| <= 2 rho^T S / beta",
        source="docs/setting.md, section 4, lemma 7 (derived here)",
        doc=__doc__,
        scope="every d and K",
        constants={"rho": RHO, "stability": STABILITY},
        claims=(PROOF.claim("main"),),
    )
)
