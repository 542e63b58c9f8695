"""Definitions: a symbol an external definition defines keeps its meaning; no citation may give it a value.

A definition such as ``g <= lambda_0`` (the coverage parameter is below the smallest eigenvalue of the sample's
covariance) is true of the parameter it defines and false of most other pairs of numbers. Each false case below
cites such a definition (directly, or through a lemma that rests on it) so as to reach a closed false statement or a
false statement at an evaluated point; the test evaluates it and requires that it is not verified. The true cases
cite the definition as it stands, or a lemma resting on it without moving what it defines, and must verify.
"""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import VERIFIED, Algebra, Claim, Hypothesis, Lemma, calc, check_lemmas, citation
from rlhfsym.chain.definitions import defined_in, definition_problem

g, lam, a = sp.symbols("g lambda_0 a", real=True)
p, q, y, z = sp.symbols("p q y z", real=True)
t = sp.Symbol("t", integer=True, nonnegative=True)
u = sp.Symbol("u", real=True)
X = sp.IndexedBase("X")
i = sp.Symbol("i", integer=True)

#: A definition of g against the quantity lambda_0.
DEFINITION = Lemma(
    "g_le_lambda", "g <= lambda_0 (a definition)", "test (on trust)", kind="external", defines=(g, lam),
    claims=(Claim.taken_on_trust("main", g, "<=", lam, ()),),
)  # fmt: skip
#: A definition of a bound on a family: X_i <= a for every i (a defined, X defined).
FAMILY = Lemma(
    "family_le", "X_i <= a (a definition)", "test (on trust)", kind="external", defines=(X, a),
    claims=(Claim.taken_on_trust("main", X[1], "<=", a, ()),),
)  # fmt: skip
#: A classical fact (no definition): log is increasing, for every 0 < p <= q.
LOG_MONO = Lemma(
    "log_le_log", "log is increasing", "test (on trust)", kind="external",
    claims=(Claim.taken_on_trust("main", sp.log(y), "<=", sp.log(z), (Hypothesis("le", y, "<=", z),)),),
)  # fmt: skip


def _using(h: Hypothesis, name: str = "user") -> Lemma:
    """A lemma whose only claim is the cited hypothesis itself (its lhs <= its rhs)."""
    claim = Claim("main", h.lhs, "<=", h.rhs, calc(("<=", h.rhs, "cited", Algebra(h.slack))), hypotheses=(h,))
    return Lemma(name, "restates a citation", "test", (claim,))


def _status(*lemmas: Lemma) -> str:
    return check_lemmas(list(lemmas), jobs=1)[-1].status


def _false_at(h: Hypothesis, point: dict) -> None:
    """The cited statement is false at ``point`` (evaluated at 100 digits)."""
    value = sp.N(h.gap.subs(point), 100)
    assert value < 0, (h, value)


# ------------------------------------------------------------------------------------------------- false claims

FALSE = [
    pytest.param({g: sp.Integer(1), lam: sp.Integer(0)}, {}, id="definition-at-numbers"),
    pytest.param({g: sp.Integer(1)}, {lam: 0}, id="defined-parameter-at-a-number"),
    pytest.param({g: y + 1, lam: y}, {y: 0}, id="definition-at-a-compound-expression"),
    pytest.param({g: sp.sin(z) ** 2 + sp.cos(z) ** 2, lam: sp.sin(y) ** 2 + sp.cos(y) ** 2 - 1}, {y: 1, z: 2},
                 id="definition-at-constants-in-disguise"),
    pytest.param({g: p, lam: q}, {p: 1, q: 0}, id="definition-renamed-to-free-symbols"),
    pytest.param({lam: g - 1}, {g: 0}, id="defined-quantity-below-the-parameter"),
]


@pytest.mark.parametrize(("instance", "point"), FALSE)
def test_a_defined_symbol_given_a_value_by_a_citation_is_refused(instance: dict, point: dict) -> None:
    h = citation(DEFINITION, "main", instance, name="cited")
    _false_at(h, point)
    assert definition_problem(h, DEFINITION, {DEFINITION.name: DEFINITION})
    assert _status(DEFINITION, _using(h)) != VERIFIED


def test_a_defined_family_given_other_entries_is_refused() -> None:
    h = citation(FAMILY, "main", {X: sp.Lambda(i, 5 + i), a: sp.Integer(0)}, name="cited")
    _false_at(h, {})
    assert _status(FAMILY, _using(h)) != VERIFIED


def test_a_definition_a_lemma_rests_on_cannot_be_moved_when_the_lemma_is_cited() -> None:
    middle = _using(citation(DEFINITION, "main", name="definition"), name="middle")
    assert defined_in(middle, {DEFINITION.name: DEFINITION}) == {g, lam}
    h = citation(middle, "main", {g: sp.Integer(1), lam: sp.Integer(0)}, name="cited")
    _false_at(h, {})
    assert _status(DEFINITION, middle, _using(h)) != VERIFIED


def test_a_definition_two_lemmas_down_cannot_be_moved() -> None:
    middle = _using(citation(DEFINITION, "main", name="definition"), name="middle")
    upper = _using(citation(middle, "main", name="middle_cited"), name="upper")
    h = citation(upper, "main", {lam: g - 1}, name="cited")
    _false_at(h, {g: 0})
    assert _status(DEFINITION, middle, upper, _using(h)) != VERIFIED


def test_a_citation_stated_for_every_value_of_a_defined_symbol_is_refused() -> None:
    """``forall g`` would claim g <= lambda_0 for every g: false at g = lambda_0 + 1."""
    h = citation(DEFINITION, "main", name="cited", forall=(g,))
    _false_at(h, {g: 1, lam: 0})
    assert "forall" in definition_problem(h, DEFINITION, {DEFINITION.name: DEFINITION})
    assert _status(DEFINITION, _using(h)) != VERIFIED


# ------------------------------------------------------------------------------------------------- true claims


def test_a_definition_cited_as_it_stands_verifies() -> None:
    h = citation(DEFINITION, "main", name="cited")
    assert definition_problem(h, DEFINITION, {DEFINITION.name: DEFINITION}) == ""
    assert _status(DEFINITION, _using(h)) == VERIFIED


def test_a_lemma_resting_on_a_definition_cited_without_moving_it_verifies() -> None:
    cited = citation(DEFINITION, "main", name="definition")
    middle = Lemma("middle", "g - u^2 <= lambda_0", "test", (Claim(
        "main", g - u**2, "<=", lam, calc(("<=", lam, "the definition, u^2 >= 0", Algebra(cited.slack + u**2))),
        hypotheses=(cited,)),))  # fmt: skip
    h = citation(middle, "main", {u: sp.Integer(3)}, name="cited")  # u is not defined by anything: free to move
    assert _status(DEFINITION, middle, _using(h)) == VERIFIED


def test_a_classical_fact_defines_nothing_and_is_cited_at_any_admissible_value() -> None:
    h = citation(LOG_MONO, "main", {y: sp.Integer(2), z: sp.Integer(3)}, name="cited")
    assert defined_in(LOG_MONO, {}) == frozenset()
    le = Hypothesis("le", sp.Integer(2), "<=", sp.Integer(3))
    claim = Claim("main", h.lhs, "<=", h.rhs, calc(("<=", h.rhs, "cited", Algebra(h.slack))), hypotheses=(le, h))
    assert _status(LOG_MONO, Lemma("user", "s", "test", (claim,))) == VERIFIED


def test_only_an_external_fact_is_a_definition() -> None:
    claim = DEFINITION.claims[0]
    with pytest.raises(ValueError, match="only an external fact"):
        Lemma("x", "s", "t", (Claim("main", g, "<=", g, calc(("<=", g, "same", Algebra(0)))),), defines=(g,))
    with pytest.raises(ValueError, match="defines holds"):
        Lemma("x", "s", "t", (claim,), kind="external", defines=("g",))


def _chain_definitions() -> list:
    from rlhfsym.api import chain

    registry = chain()
    return [pytest.param(lemma, s, registry, id=f"{lemma.name}-{s}") for lemma in registry if lemma.defines
            for s in lemma.defines]  # fmt: skip


@pytest.mark.parametrize(("definition", "symbol", "registry"), _chain_definitions())
def test_every_definition_of_the_chain_refuses_to_move_what_it_defines(definition, symbol, registry) -> None:
    """Through the chain's own definitions (B, S, the features, theta*, gamma): moving a defined symbol, at the
    definition or at any lemma resting on it, is refused."""
    fresh = sp.IndexedBase("fresh") if isinstance(symbol, sp.IndexedBase) else sp.Symbol("fresh", positive=True)
    lookup = {lemma.name: lemma for lemma in registry}
    users = [lemma for lemma in registry if symbol in defined_in(lemma, lookup)]
    assert definition in users
    for lemma in users:
        claim = lemma.claims[-1]
        h = Hypothesis("moved", claim.lhs, claim.rel if claim.rel != "==" else "<=", claim.rhs,
                       by=f"{lemma.name}#{claim.label}", instance={symbol: fresh})  # fmt: skip
        assert definition_problem(h, lemma, lookup), lemma.name


# ----------------------------------------------------------------------------------- restating a definition
#
# A citation may move g (defined by g <= lambda_0) only when the citing claim states the definition at the new
# value: p <= lambda_0. Each false case attacks one premise of that rule and reaches a statement false at an
# evaluated point where every hypothesis of the citing claim holds; the true cases must verify.

MIDDLE = _using(citation(DEFINITION, "main", name="definition"), name="middle")  # g <= lambda_0, resting on it


def _citing(h: Hypothesis, *before: Hypothesis, name: str = "user") -> Lemma:
    """A lemma whose claim restates the citation ``h``, with the hypotheses ``before`` listed ahead of it."""
    claim = Claim("main", h.lhs, "<=", h.rhs, calc(("<=", h.rhs, "cited", Algebra(h.slack))),
                  hypotheses=(*before, h))  # fmt: skip
    return Lemma(name, "restates a citation", "test", (claim,))


def _holds_at(hypotheses: tuple[Hypothesis, ...], point: dict) -> None:
    for hyp in hypotheses:
        assert sp.N(hyp.gap.subs(point), 100) >= 0, (hyp, point)


def test_a_restatement_at_another_value_does_not_move_a_defined_symbol() -> None:
    """Moving g to p with q <= lambda_0 stated: p <= lambda_0 is false at p = 1, q = 0, lambda_0 = 0."""
    other = Hypothesis("other", q, "<=", lam, "the definition at q, not at p", kind="asserted")
    h = citation(MIDDLE, "main", {g: p}, name="cited")
    point = {p: 1, q: 0, lam: 0}
    _holds_at((other,), point)
    _false_at(h, point)
    assert _status(DEFINITION, MIDDLE, _citing(h, other)) != VERIFIED


def test_a_restatement_in_the_wrong_direction_does_not_move_a_defined_symbol() -> None:
    """lambda_0 <= p is not p <= lambda_0: at p = 1, lambda_0 = 0 it holds and the citation is false."""
    reversed_ = Hypothesis("reversed", lam, "<=", p, "the definition reversed", kind="asserted")
    h = citation(MIDDLE, "main", {g: p}, name="cited")
    point = {p: 1, lam: 0}
    _holds_at((reversed_,), point)
    _false_at(h, point)
    assert _status(DEFINITION, MIDDLE, _citing(h, reversed_)) != VERIFIED


def test_a_citation_cannot_restate_the_definition_it_moves_by_itself() -> None:
    """The citation's own statement p <= lambda_0 is the restatement needed: it may not discharge itself."""
    h = citation(MIDDLE, "main", {g: p}, name="cited")
    _false_at(h, {p: 1, lam: 0})
    assert _status(DEFINITION, MIDDLE, _citing(h)) != VERIFIED


def test_a_restatement_listed_after_the_citation_does_not_move_it() -> None:
    """A restatement that is itself a citation must come before: here it is a later citation of a lemma that
    rests on the moving one (circular), and p <= lambda_0 is false at p = 1, lambda_0 = 0."""
    h = citation(MIDDLE, "main", {g: p}, name="cited")
    later = Hypothesis("later", p, "<=", lam, by="loop#main")
    loop = _citing(citation(MIDDLE, "main", {g: p}, name="inner"), name="loop")
    claim = Claim("main", h.lhs, "<=", h.rhs, calc(("<=", h.rhs, "cited", Algebra(h.slack))), hypotheses=(h, later))
    _false_at(h, {p: 1, lam: 0})
    assert _status(DEFINITION, MIDDLE, loop, Lemma("user", "s", "test", (claim,))) != VERIFIED


def test_a_definition_with_a_variable_of_its_own_cannot_be_restated() -> None:
    """X_i <= a for every i cannot be restated at one entry: a lemma summing it over i = 1..K, cited at a = 0 with
    X_1 <= 0 stated, would give X_1 + X_2 <= 0, false at X_1 = 0, X_2 = 5."""
    k = sp.Symbol("k", integer=True, positive=True)
    every = Lemma(
        "family_every", "X_i <= a for every i (a definition)", "test (on trust)", kind="external", defines=(X, a),
        claims=(Claim.taken_on_trust("main", X[i], "<=", a, ()),),
    )  # fmt: skip
    each = citation(every, "main", name="each", forall=(i,))
    summed = Lemma("summed", "sum_i X_i <= K a", "test", (Claim(
        "main", sp.Sum(X[i], (i, 1, k)), "<=", k * a,
        calc(("<=", k * a, "the definition at every i", Algebra(sp.Sum(each.slack, (i, 1, k))))),
        hypotheses=(each,)),))  # fmt: skip
    one = Hypothesis("one", X[1], "<=", sp.Integer(0), "the definition at one entry, at a = 0", kind="asserted")
    h = citation(summed, "main", {a: sp.Integer(0)}, name="cited")
    assert "cannot be restated" in definition_problem(h, summed, {every.name: every, summed.name: summed},
                                                      lambda gap: True)
    assert sp.N(h.gap.xreplace({k: 2}).doit().subs({X[1]: 0, X[2]: 5}), 100) < 0  # 0 - (0 + 5) at K = 2
    assert _status(every, summed, _citing(h, one)) != VERIFIED


def test_a_definition_restated_at_the_new_value_moves_it() -> None:
    """p <= lambda_0 stated (an assertion): the lemma resting on g <= lambda_0 holds at g = p."""
    restated = Hypothesis("restated", p, "<=", lam, "the definition at p", kind="asserted")
    h = citation(MIDDLE, "main", {g: p}, name="cited")
    assert _status(DEFINITION, MIDDLE, _citing(h, restated)) == VERIFIED


def test_a_definition_two_lemmas_down_restated_by_an_earlier_citation_moves_it() -> None:
    """The restatement p/2 <= lambda_0 comes from a citation (of an external fact) listed before; the cited lemma
    rests on the definition through another lemma."""
    upper = _using(citation(MIDDLE, "main", name="middle_cited"), name="upper")
    fact = Lemma("half_le", "p/2 <= lambda_0 (a test fact)", "test (on trust)", kind="external",
                 claims=(Claim.taken_on_trust("main", p / 2, "<=", lam, ()),))  # fmt: skip
    restated = citation(fact, "main", name="restated")
    h = citation(upper, "main", {g: p / 2}, name="cited")
    assert _status(DEFINITION, MIDDLE, upper, fact, _citing(h, restated)) == VERIFIED


def test_a_second_definition_that_mentions_the_moved_symbol_keeps_it_fixed() -> None:
    """u <= g (a definition of u, against the parameter g) is used at the old g: restating g <= lambda_0 at p does
    not restate it. The lemma 2u <= g + lambda_0 (from u <= g <= lambda_0) cited at g = p, with p <= lambda_0
    stated, would give 2u <= p + lambda_0: false at u = 0, p = -10, lambda_0 = 0, where p <= lambda_0 holds."""
    below = Lemma(
        "u_le_g", "u <= g (a definition of u)", "test (on trust)", kind="external", defines=(u,),
        claims=(Claim.taken_on_trust("main", u, "<=", g, ()),),
    )  # fmt: skip
    first = citation(below, "main", name="u_le_g")
    second = citation(DEFINITION, "main", name="g_le_lambda")
    both = Lemma("both", "2u <= g + lambda_0", "test", (Claim(
        "main", 2 * u, "<=", g + lam,
        calc(("<=", g + lam, "u <= g and u <= g <= lambda_0", Algebra(2 * first.slack + second.slack))),
        hypotheses=(first, second)),))  # fmt: skip
    restated = Hypothesis("restated", p, "<=", lam, "the definition of g at p", kind="asserted")
    h = citation(both, "main", {g: p}, name="cited")
    point = {u: 0, p: -10, lam: 0}
    _holds_at((restated,), point)
    _false_at(h, point)
    lookup = {below.name: below, DEFINITION.name: DEFINITION, both.name: both}
    assert "cannot be restated" in definition_problem(h, both, lookup, lambda gap: True)
    assert _status(below, DEFINITION, both, _citing(h, restated)) != VERIFIED
    assert _status(below, DEFINITION, both) == VERIFIED  # the lemma itself is true
