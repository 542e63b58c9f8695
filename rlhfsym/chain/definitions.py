"""Definitions: an external fact that defines a parameter fixes its symbols, which no citation may move.

Most external facts are classical results, stated for every value of their symbols under their hypotheses. A
*definition* is different: ``gamma <= lambda_0`` (the coverage parameter is below the smallest eigenvalue of the
training sample's covariance) or ``||phi(x, a)||^2 <= B^2`` (B bounds every feature) is true of the parameter the user
gives and the instance it describes, and false of most other numbers. Such a fact declares the symbols it defines
(``Lemma(kind="external", defines=(gamma, lambda_0))``).

**Soundness argument.** A claim that rests on a definition holds at the values its defined symbols denote, and at
no others that anything guarantees. So a citation may not give a defined symbol a value: not a number (``gamma ->
1``, which with ``lambda_0 -> 0`` would give 1 <= 0), not an expression, not another symbol (``gamma -> gamma_x`` would
assert the definition of a different quantity). A lemma that cites a definition, directly or through other lemmas,
rests on it: the defined symbols are fixed in it too, transitively, and a citation stated ``forall`` a defined
symbol is refused for the same reason. Classical facts define nothing; that a citation of one names the right
quantities is read in its text and belongs to the trusted base.

:func:`defined_in` computes the symbols a lemma's claims fix; :func:`definition_problem` is the check a citation
must pass.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from .registry import rests_on
from .statement import Hypothesis, Lemma

__all__ = ["DEFINITIONS_SOUNDNESS", "defined_in", "definition_problem"]

#: The argument in one line (docs/engine.md prints it beside the rules').
DEFINITIONS_SOUNDNESS = (
    "a symbol defined by an external definition (a parameter, or the quantity it is defined against) keeps its "
    "meaning in every lemma that rests on the definition: no citation gives it a value or binds it with forall"
)


def defined_in(
    lemma: Lemma, lookup: Mapping[str, Lemma], known: dict[str, frozenset[str]] | None = None
) -> frozenset[sp.Basic]:
    """The symbols (and indexed families) fixed in ``lemma``: those it defines, and those every lemma it cites
    fixes, transitively."""
    return frozenset(s for name in rests_on(lemma, lookup, known) for s in (lookup.get(name) or lemma).defines)


def definition_problem(h: Hypothesis, cited: Lemma, lookup: Mapping[str, Lemma]) -> str:
    """'' when the citation ``h`` leaves every symbol fixed in ``cited`` as it is; else the reason."""
    fixed = defined_in(cited, lookup)
    for key, value in h.instance.items():
        if key in fixed and value != key:
            return (f"{key} is defined by an external definition that {cited.name} rests on: a citation cannot give "
                    f"it another value ({sp.sstr(value)})")
    bound = [v for v in h.forall if v in fixed]
    if bound:
        return (f"{bound[0]} is defined by an external definition that {cited.name} rests on: it cannot be bound "
                "(forall)")
    return ""
