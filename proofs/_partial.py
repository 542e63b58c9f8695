"""How the theorems without coverage (the minimum-norm ERM optimum w_U = P_U w*) are exercised: they are searched on
the same instances (the small families and the uncovered one, the two-level instance pinned), with the same negative
control (features above the norm bound B) and the same shape of a simulated instance (d > n(K - 1), so gamma = 0)."""

from rlhfsym.vocabulary.exercise import Control, Plan, Shape, shrunk
from rlhfsym.vocabulary.families import PARTIAL_SMALL, SMALL, TWO_LEVELS_ONLY

#: The negative control: the bound evaluated at a norm bound B 10% below the features' norms must be violated.
CONTROL = Control("features above the norm bound B", claimed=shrunk("B", 0.1))
#: A simulated instance has more dimensions than the sample spans.
SHAPE = Shape(uncovered=True)


def plan(examples: int) -> Plan:
    """The search plan of a theorem without coverage, drawing ``examples`` instances in the ci profile."""
    return Plan((*SMALL, PARTIAL_SMALL), perturbations=2, examples=examples, cost=3.0, pinned=TWO_LEVELS_ONLY)
