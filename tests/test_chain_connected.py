"""The chain is connected: every premise has a kind, every dependency is a citation, every theorem's trusted base
is what it says, and a theorem with an asserted condition is never printed as plainly certified.

Walked over the registry, so a new lemma or theorem is checked without editing this file. The mutation test
(marker ``slow``) removes each citation of each theorem in turn and requires the checker to stop verifying it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from rlhfsym.api import chain
from rlhfsym.bounds import theorem_info
from rlhfsym.chain import EXTERNAL, VERIFIED, check_lemmas, trusted_externals
from rlhfsym.errors import ParameterError
from rlhfsym.setting import SYMBOLS
from rlhfsym.vocabulary import DECLARED

CHAIN = chain()

LOOKUP = {lemma.name: lemma for lemma in CHAIN}
PROVED = [lemma for lemma in CHAIN if lemma.kind != "external"]
THEOREMS = [lemma for lemma in CHAIN if lemma.kind == "theorem"]
EXTERNAL_NAMES = {lemma.name for lemma in CHAIN if lemma.kind == "external"}


@pytest.mark.parametrize("lemma", PROVED, ids=lambda lemma: lemma.name)
def test_every_hypothesis_is_a_citation_a_parameter_condition_or_an_asserted_condition(lemma) -> None:
    unkinded = [h.name for h in lemma.all_hypotheses() if h.by is None and h.kind is None]
    assert not unkinded, f"{lemma.name}: hypotheses without a kind: {unkinded}"


@pytest.mark.parametrize("lemma", PROVED, ids=lambda lemma: lemma.name)
def test_every_dependency_is_backed_by_a_citation(lemma) -> None:
    assert lemma.prose_dependencies == ()
    cited = {h.cited_lemma for h in lemma.all_hypotheses() if h.cited_lemma and h.cited_lemma != lemma.name}
    assert set(lemma.depends_on) == cited


@pytest.mark.parametrize("lemma", THEOREMS, ids=lambda lemma: lemma.name)
def test_a_theorems_parameter_conditions_involve_parameters_only(lemma) -> None:
    parameters = set(SYMBOLS.values())
    for h in lemma.all_hypotheses():
        if h.kind == "parameter":
            assert h.gap.free_symbols <= parameters, (h.name, h.gap.free_symbols - parameters)


@pytest.mark.parametrize("lemma", THEOREMS, ids=lambda lemma: lemma.name)
def test_a_theorems_trusted_base_is_external_facts_and_its_own_asserted_conditions(lemma) -> None:
    base = trusted_externals(lemma, LOOKUP)
    assert base <= EXTERNAL_NAMES
    info = theorem_info(lemma.name)
    assert set(info.external) == base
    own = {h.name for h in lemma.all_hypotheses() if h.kind == "asserted"}
    assert {h.name for h in info.asserted} == own


@pytest.mark.parametrize("lemma", THEOREMS, ids=lambda lemma: lemma.name)
def test_every_asserted_condition_of_a_theorem_is_checked_by_its_simulations(lemma) -> None:
    """A simulation assumes only what it checks on every run: otherwise the property suite would test the bound
    where the theorem does not claim it, or assume something nobody checks."""
    asserted = {h.name for h in theorem_info(lemma.name).asserted}
    assert asserted == set(DECLARED[lemma.name].simulation_assumes)


@pytest.mark.parametrize(
    "lemma", [t for t in THEOREMS if theorem_info(t.name).asserted], ids=lambda lemma: lemma.name
)
def test_a_theorem_with_an_asserted_condition_is_refused_unless_it_is_assumed_by_name(lemma) -> None:
    from rlhfsym.bounds import bound

    info = theorem_info(lemma.name)
    values = _point(info.parameters)
    with pytest.raises(ParameterError, match="asserted condition") as refused:
        bound(lemma.name, **values)
    assert refused.value.parameter == "assume"
    with pytest.raises(ParameterError, match="no asserted condition"):
        bound(lemma.name, assume=[h.name for h in info.asserted] + ["no_such_condition"], **values)
    result = bound(lemma.name, assume=[h.name for h in info.asserted], **values)
    data = result.to_json()
    assert data["conditional_on"] == [h.name for h in info.asserted]
    kinds = {a["name"]: a["kind"] for a in data["assumptions"]}
    assert all(kinds[h.name] == "asserted" for h in info.asserted)


def _point(parameters: tuple[str, ...]) -> dict[str, str]:
    """A point inside every parameter rule and every coverage cross rule (B = 1, coverage 1/10)."""
    chosen = {"B": "1", "S": "1", "beta": "1", "n": "100", "K": "4", "d": "2", "gamma": "0.1", "gamma_D": "0.1",
              "residual": "0", "T": "100", "eta": "0.5", "delta": "0.05"}  # fmt: skip
    return {p: chosen[p] for p in parameters}


def _without(lemma, h):
    """``lemma`` with the citation ``h`` removed from the lemma and from every claim."""
    claims = tuple(replace(c, hypotheses=tuple(x for x in c.hypotheses if x is not h)) for c in lemma.claims)
    return replace(lemma, hypotheses=tuple(x for x in lemma.hypotheses if x is not h), claims=claims,
                   depends_on=())  # fmt: skip


def _citations(theorem) -> list:
    """The theorem's citations, each once (a hypothesis may be shared by several claims)."""
    seen: dict[int, object] = {}
    for h in theorem.all_hypotheses():
        if h.by is not None:
            seen.setdefault(id(h), h)
    return list(seen.values())


CITATIONS = [pytest.param(t, h, id=f"{t.name}-{h.name}") for t in THEOREMS for h in _citations(t)]


@pytest.mark.slow
@pytest.mark.parametrize(("theorem", "citation"), CITATIONS)
def test_removing_any_one_citation_of_a_theorem_stops_it_verifying(theorem, citation) -> None:
    """Every citation a theorem makes is used: without it some step or some discharge is unjustified."""
    try:
        mutated = _without(theorem, citation)
    except ValueError:
        return  # the statement itself refuses the mutilated lemma: it cannot be built, let alone verified
    closure = _closure([LOOKUP[name] for name in mutated.depends_on])  # every lemma it still cites, verified
    [report] = [r for r in check_lemmas([*closure, mutated], jobs=1) if r.name == theorem.name]
    assert report.status not in (VERIFIED, EXTERNAL), citation.name


def _closure(lemmas: list) -> list:
    """The lemmas and everything they depend on, dependencies first."""
    seen: dict[str, object] = {}

    def visit(lemma) -> None:
        if lemma.name in seen:
            return
        for name in lemma.depends_on:
            visit(LOOKUP[name])
        seen[lemma.name] = lemma

    for lemma in lemmas:
        visit(lemma)
    return list(seen.values())
