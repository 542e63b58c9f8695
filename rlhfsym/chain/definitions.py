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

**Restating a definition.** The one way to move a defined symbol: the citing claim states the definition itself at
the moved values. A claim that rests on a definition uses it only as a hypothesis (a citation of its claim, which
cannot move it), so the claim holds at every point where the definition's claim holds -- at the values the user
gave, and equally at any other values that satisfy it. A citation that gives ``gamma`` the value ``gamma_D / 2``
is therefore admitted when, and only when, every claim of the definition of ``gamma`` under that substitution
(``gamma_D / 2 <= lambda_0``) is a hypothesis of the citing claim, discharged like any other (a citation of a
probability bound, an asserted condition): the definition is then a premise there, no longer taken on trust at the
new value. Only a definition whose claims have no hypotheses and no variables besides the symbols it defines can
be restated (``||phi(x, a)||^2 <= B^2`` for every action a cannot: its action is a variable); the others stay fixed.

:func:`defined_in` computes the symbols a lemma's claims fix; :func:`definition_problem` is the check a citation
must pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy as sp

from .registry import rests_on
from .statement import Hypothesis, Lemma

__all__ = ["DEFINITIONS_SOUNDNESS", "defined_in", "definition_problem"]

#: The argument in one line (docs/engine.md prints it beside the rules').
DEFINITIONS_SOUNDNESS = (
    "a symbol defined by an external definition (a parameter, or the quantity it is defined against) keeps its "
    "meaning in every lemma that rests on the definition: no citation gives it a value or binds it with forall, "
    "unless the citing claim states every claim of the definition at the new values as a hypothesis (a definition "
    "without hypotheses or variables of its own)"
)

#: ``restated(gap)``: does the citing claim hold the hypothesis ``gap >= 0`` (before the citation)?
Restated = Callable[[sp.Expr], bool]


def defined_in(
    lemma: Lemma, lookup: Mapping[str, Lemma], known: dict[str, frozenset[str]] | None = None
) -> frozenset[sp.Basic]:
    """The symbols (and indexed families) fixed in ``lemma``: those it defines, and those every lemma it cites
    fixes, transitively."""
    return frozenset(s for name in rests_on(lemma, lookup, known) for s in (lookup.get(name) or lemma).defines)


def _free(expr: sp.Expr) -> set[sp.Basic]:
    """The symbols and indexed families of ``expr`` (an indexed entry counts as its family and its indices)."""
    out: set[sp.Basic] = set()
    for s in expr.free_symbols:
        if isinstance(s, sp.Indexed):
            out |= {s.base} | set().union(*(i.free_symbols for i in s.indices))
        elif not isinstance(s, sp.IndexedBase):
            out.add(s)
    return out


def _restatement_problem(definition: Lemma, moved: Mapping[sp.Basic, sp.Expr], restated: Restated | None) -> str:
    """'' when every claim of ``definition`` under ``moved`` is a hypothesis of the citing claim; else the reason."""
    shown = ", ".join(f"{k} -> {sp.sstr(v)}" for k, v in moved.items())
    refusal = (f"{', '.join(map(str, moved))} defined by the external definition {definition.name}: a citation "
               f"cannot give it another value ({shown})")
    for claim in definition.claims:
        if claim.hypotheses or not _free(claim.gap) <= set(definition.defines):
            return f"{refusal}; this definition cannot be restated (claim {claim.label} has variables of its own)"
        target = claim.gap.xreplace(dict(moved))
        if restated is None or not restated(target):
            return (f"{refusal} unless the citing claim states {definition.name}#{claim.label} at the new values "
                    f"({sp.sstr(target)} >= 0) as a hypothesis")
    return ""


def definition_problem(
    h: Hypothesis, cited: Lemma, lookup: Mapping[str, Lemma], restated: Restated | None = None
) -> str:
    """'' when the citation ``h`` leaves every symbol fixed in ``cited`` as it is, or moves symbols of definitions
    that the citing claim restates at the new values (``restated``, see the module docstring); else the reason."""
    fixed = defined_in(cited, lookup)
    moved = {key: value for key, value in h.instance.items() if key in fixed and value != key}
    if moved:
        definitions = [lookup.get(name) or cited for name in rests_on(cited, lookup)]
        covered: set[sp.Basic] = set()
        for definition in definitions:
            # A definition that merely mentions a moved symbol is used at the old value too: it must be restated
            # at the new one as well (and can be only if it defines everything its claims mention).
            mentioned = set(definition.defines).union(*(_free(c.gap) for c in definition.claims))
            mine = {k: v for k, v in moved.items() if k in mentioned} if definition.defines else {}
            if mine:
                problem = _restatement_problem(definition, mine, restated)
                if problem:
                    return problem
                covered |= set(mine)
        if set(moved) - covered:  # defensive: every fixed symbol comes from a definition
            return f"{', '.join(map(str, set(moved) - covered))} is fixed in {cited.name}: it cannot be moved"
    bound = [v for v in h.forall if v in fixed]
    if bound:
        return (f"{bound[0]} is defined by an external definition that {cited.name} rests on: it cannot be bound "
                "(forall)")
    return ""
