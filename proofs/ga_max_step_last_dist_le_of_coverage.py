"""**Corollary (Gradient Ascent at its largest step, sharp form: distance)**: under coverage (gamma > 0), GA on J_S
from w_0 = 0 with the constant step eta = 1/(beta B^2) -- the largest step :mod:`ga_last_dist_le_of_coverage`
allows, so there is no step size to tune -- satisfies, deterministically,
||w_T - w*|| <= (1 - (gamma / B^2) e^{-4BS/beta})^T S / beta.

Proof. Claim ``main`` of :mod:`ga_last_dist_le_of_coverage` at eta = 1/(beta B^2): its step condition eta <= 1/(beta
B^2) holds with equality (so it discharges itself), and its other premise is the parameter condition gamma <= B^2. The
rate in T is rho^T with rho = 1 - (gamma / B^2) e^{-4BS/beta}, the contraction factor at the largest step. Derived here
(docs/setting.md, section 4, sharp forms).
"""

from rlhfsym.chain import Derivation
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import DETERMINISTIC, DISTANCE, GA, LAST
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import EQUALITY_CASES, WIDE

from . import ga_last_dist_le_of_coverage as last_dist
from ._chain import CHAIN
from ._model import B, beta
from ._theorem import theorem
from .ga_last_dist_le_of_coverage import T, dist
from .ga_step_dist_sq_le_of_coverage import GAMMA_LE

eta = symbol("eta")
MAX_STEP = 1 / (beta * B**2)
AT_MAX_STEP = {eta: MAX_STEP}
RHO = last_dist.RHO.xreplace(AT_MAX_STEP)  # 1 - (gamma / B^2) e^{-4BS/beta}

ASSUMPTIONS = (GAMMA_LE,)
PROOF = Derivation.of(dist(T), ASSUMPTIONS).cite(
    last_dist.LEMMA, "main", AT_MAX_STEP, name="at_max_step", why="ga_last_dist_le_of_coverage at eta = 1/(beta B^2)"
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_max_step_last_dist_le_of_coverage",
        statement="GA, eta = 1/(beta B^2): ||w_T - w*|| <= (1 - (gamma/B^2) e^{-4BS/beta})^T S/beta",
        source="derived here (docs/setting.md, section 4, sharp forms): ga_last_dist_le_of_coverage at its "
        "largest step",
        doc=__doc__,
        scope="every d and K",
        constants={"rho": RHO, "eta": MAX_STEP},
        bound=BOUND,
        bounds=DISTANCE,
        iterate=LAST,
        algorithm=GA,
        holds=DETERMINISTIC,
        rate_n="n^0",
        rate_T="rho^T",
        form="sharp form",
        step="eta = 1/(beta B^2)",
        plan=Plan(WIDE, perturbations=2, examples=300, pinned=EQUALITY_CASES),
        control=Control("steps 5/2 times the largest admissible step 1/(beta B^2)", step_factor=5 / 2),
        claims=(PROOF.claim("main"),),
    )
)
