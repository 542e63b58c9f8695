"""The vocabularies a theorem is declared in: small registered objects that measure, run, judge and print
themselves, so that the application reads them and never switches on a label or a theorem's name.

* :class:`Quantity` (:data:`QUANTITIES`: gap, expected gap, excess, distance) -- what a bound bounds;
* :class:`Iterate` (:data:`ITERATES`: optimum, min-norm optimum, last, best-gradient) -- at which iterate;
* :class:`Algorithm` (:data:`ALGORITHMS`: erm, ga, sga-prompt, sga-reinforce) -- of which algorithm;
* :class:`Holds` (:data:`HOLDS`: deterministic, probability, expectation over the algorithm or the sample) -- how;
* :class:`Plan`, :class:`Control`, :class:`Figure`, :class:`Shape`, :class:`Ball` -- how a theorem is exercised,
  with the :class:`Family` and :class:`Pinned` instances its plan draws;
* :class:`Theorem` (:data:`DECLARED`) -- a theorem's declaration: all of the above, in its own proof module.

The parameters are the fifth vocabulary: one table, :data:`rlhfsym.rules.RULES`. Importing this package loads
neither numpy nor hypothesis: they are imported when something runs.
"""

from .algorithms import ALGORITHMS, ERM, GA, SGA_PROMPT, SGA_REINFORCE, SGA_REINFORCE_PROJ, Algorithm, EmpiricalOptima
from .exercise import DEFAULT_N, Ball, Control, Plan, Shape, claimed_coverage, duplicated, rho_zero, shrunk
from .families import (
    ANTIPODAL,
    ANTIPODAL_T5,
    CORNER,
    CORNER_SMALL,
    CORNER_TINY,
    COVERED,
    COVERED_SMALL,
    COVERED_TINY,
    EQUALITY_CASES,
    FAMILIES,
    GENERIC_EVERY,
    PARTIAL_SMALL,
    PINNED,
    POPULATION_COVERED,
    RAW,
    RAW_EVERY,
    RAW_SMALL,
    RAW_TINY,
    SMALL,
    TINY,
    TWO_LEVELS,
    TWO_LEVELS_ONLY,
    WIDE,
    Draw,
    Family,
    Pinned,
)
from .figures import N_GRID, Figure, GeometricRate, PowerRate, StretchedRate
from .holds import (
    DETERMINISTIC,
    EXPECTATION_OVER_ALGORITHM,
    EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY,
    EXPECTATION_OVER_SAMPLE,
    HOLDS,
    PROBABILITY,
    Holds,
)
from .iterates import BEST_GRADIENT, ITERATES, LAST, MIN_NORM_OPTIMUM, OPTIMUM, Iterate
from .quantities import DISTANCE, EXCESS, EXPECTED_GAP, GAP, QUANTITIES, Quantity
from .registry import Vocabulary
from .theorems import DECLARED, Theorem, declare

__all__ = [
    "ALGORITHMS",
    "ANTIPODAL",
    "ANTIPODAL_T5",
    "BEST_GRADIENT",
    "CORNER",
    "CORNER_SMALL",
    "CORNER_TINY",
    "COVERED",
    "COVERED_SMALL",
    "COVERED_TINY",
    "DECLARED",
    "DEFAULT_N",
    "DETERMINISTIC",
    "DISTANCE",
    "EQUALITY_CASES",
    "ERM",
    "EXCESS",
    "EXPECTATION_OVER_ALGORITHM",
    "EXPECTATION_OVER_ALGORITHM_WITH_PROBABILITY",
    "EXPECTATION_OVER_SAMPLE",
    "EXPECTED_GAP",
    "FAMILIES",
    "GA",
    "GAP",
    "GENERIC_EVERY",
    "HOLDS",
    "ITERATES",
    "LAST",
    "MIN_NORM_OPTIMUM",
    "N_GRID",
    "OPTIMUM",
    "PARTIAL_SMALL",
    "PINNED",
    "POPULATION_COVERED",
    "PROBABILITY",
    "QUANTITIES",
    "RAW",
    "RAW_EVERY",
    "RAW_SMALL",
    "RAW_TINY",
    "SGA_PROMPT",
    "SGA_REINFORCE",
    "SGA_REINFORCE_PROJ",
    "SMALL",
    "TINY",
    "TWO_LEVELS",
    "TWO_LEVELS_ONLY",
    "WIDE",
    "Algorithm",
    "Ball",
    "Control",
    "Draw",
    "EmpiricalOptima",
    "Family",
    "Figure",
    "GeometricRate",
    "Holds",
    "Iterate",
    "Pinned",
    "Plan",
    "PowerRate",
    "Quantity",
    "Shape",
    "StretchedRate",
    "Theorem",
    "Vocabulary",
    "claimed_coverage",
    "declare",
    "duplicated",
    "rho_zero",
    "shrunk",
]
