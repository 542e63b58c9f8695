"""The composition rule: bounds built by applying facts where the expression is monotone, checked step by step."""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import (
    FAILED,
    VERIFIED,
    Algebra,
    Claim,
    CompositionError,
    Derivation,
    Hypothesis,
    Lemma,
    calc,
    check_lemma,
)

a, b, c, r = sp.symbols("a b c r", positive=True)
u = sp.Symbol("u", real=True)
d = sp.Function("d", nonnegative=True)
t = sp.Symbol("t", integer=True, nonnegative=True)


def _verify(claim: Claim, *, depends_on=(), lookup=None) -> tuple[str, list]:
    lemma = Lemma(name="composed", statement="s", source="test", claims=(claim,), depends_on=depends_on)
    report = check_lemma(lemma, lookup)
    return report.status, list(report.steps)


def test_upper_bound_substituted_where_increasing_is_verified():
    fact = Hypothesis("fact", a, "<=", b)
    derivation = Derivation.of(3 * sp.sqrt(a) + c, (fact,)).apply(fact)
    assert derivation.result == 3 * sp.sqrt(b) + c
    status, steps = _verify(derivation.claim("main"))
    assert status == VERIFIED
    assert steps[0].rule == "substitution"


def test_substituting_an_upper_bound_where_decreasing_is_failed_with_the_derivative():
    fact = Hypothesis("fact", c, "<=", a * b)
    derivation = Derivation.of(sp.sqrt(b) / c, (fact,)).apply(fact)
    status, steps = _verify(derivation.claim("main"))
    assert status == FAILED
    assert steps[0].status == FAILED and "d/d" in steps[0].detail


def test_lower_bound_substituted_where_decreasing_is_verified():
    floor = Hypothesis("floor", a * sp.exp(-b), "<=", c, "c is at least a e^-b")
    derivation = Derivation.of(r / sp.sqrt(c), (floor,)).apply(floor)
    assert derivation.result == r / sp.sqrt(a * sp.exp(-b))
    status, _ = _verify(derivation.claim("main"))
    assert status == VERIFIED


def test_lower_bound_substituted_where_increasing_is_failed():
    floor = Hypothesis("floor", a, "<=", c)
    derivation = Derivation.of(r * c, (floor,)).apply(floor)
    status, _ = _verify(derivation.claim("main"))
    assert status == FAILED


def test_power_target_is_isolated_through_the_root():
    fact = Hypothesis("fact", a**2, "<=", b)
    derivation = Derivation.of(2 * a + c, (fact,)).apply(fact)
    assert derivation.result == 2 * sp.sqrt(b) + c
    assert _verify(derivation.claim("main"))[0] == VERIFIED


def test_applied_function_target_is_substituted():
    fact = Hypothesis("fact", d(t), "<=", r**t)
    derivation = Derivation.of(a * d(t) ** 2, (fact,)).apply(fact)
    assert derivation.result == a * r ** (2 * t)
    assert _verify(derivation.claim("main"))[0] == VERIFIED


def test_whole_expression_fact_is_one_algebra_step():
    fact = Hypothesis("fact", a, "<=", b + c)
    derivation = Derivation.of(a, (fact,)).apply(fact)
    assert derivation.result == b + c and derivation.steps[0].rule == Algebra(fact.slack)


def test_derivative_witness_lets_a_hypothesis_decide_the_slope():
    # d/dM of M sqrt(log(2/q)) is sqrt(log(2/q)): nonnegative only given 0 <= log(2/q).
    q = sp.Symbol("q", positive=True)
    confidence = Hypothesis("confidence", sp.S.Zero, "<=", sp.log(2 / q))
    fact = Hypothesis("range", a, "<=", 2 * b)
    plain = Derivation.of(a * sp.sqrt(sp.log(2 / q)), (confidence, fact)).apply(fact)
    assert _verify(plain.claim("main"))[0] != VERIFIED
    witnessed = Derivation.of(a * sp.sqrt(sp.log(2 / q)), (confidence, fact)).apply(
        fact, derivative_witness=sp.sqrt(confidence.slack)
    )
    assert _verify(witnessed.claim("main"))[0] == VERIFIED


def test_absent_quantity_is_a_composition_error_naming_it():
    fact = Hypothesis("fact", a, "<=", b)
    with pytest.raises(CompositionError, match="does not occur"):
        Derivation.of(c + 1, (fact,)).apply(fact, replace=a)


def test_non_isolable_target_is_a_composition_error():
    fact = Hypothesis("fact", a + c, "<=", b)
    with pytest.raises(CompositionError, match="symbol, an applied function or a power"):
        Derivation.of(sp.sqrt(a + c), (fact,)).apply(fact, replace=a + c)


def test_power_of_a_possibly_negative_quantity_is_refused():
    fact = Hypothesis("fact", u**2, "<=", b)
    with pytest.raises(CompositionError, match="may be negative"):
        Derivation.of(u + u**2, (fact,)).apply(fact)


def _cited_lemma() -> Lemma:
    ball = Hypothesis("ball", a, "<=", r, "a within the ball")
    return Lemma(
        name="square_le_of_ball",
        statement="a^2 <= r a",
        source="test",
        hypotheses=(ball,),
        claims=(Claim("main", a**2, "<=", r * a, calc(("<=", r * a, "a <= r", Algebra(a * ball.slack)))),),
    )


def test_citation_with_its_hypothesis_discharged_is_verified():
    cited = _cited_lemma()
    ball = Hypothesis("ball_here", a, "<=", 2 * c, "a within the ball of radius 2c")
    derivation = Derivation.of(5 * a**2, (ball,)).cite(cited, "main", {r: 2 * c})
    assert derivation.result == 10 * a * c
    status, steps = _verify(
        derivation.claim("main"), depends_on=(cited.name,), lookup={cited.name: cited}
    )
    assert status == VERIFIED
    assert any(s.rule == "citation" and s.status == VERIFIED for s in steps)


def test_citation_with_an_undischarged_hypothesis_is_an_error_that_names_it():
    cited = _cited_lemma()
    with pytest.raises(CompositionError, match=r"not discharged here: ball \(a <= 2\*c\)"):
        Derivation.of(5 * a**2).cite(cited, "main", {r: 2 * c})


def test_citing_an_unknown_claim_is_an_error_that_lists_the_claims():
    with pytest.raises(CompositionError, match="has no claim 'other'; it has main"):
        Derivation.of(a).cite(_cited_lemma(), "other")


def test_empty_derivation_makes_no_claim():
    with pytest.raises(CompositionError, match="nothing was applied"):
        Derivation.of(a).claim("main")


def test_derivations_are_immutable_and_share_prefixes():
    first = Hypothesis("first", a, "<=", b)
    second = Hypothesis("second", b, "<=", c)
    base = Derivation.of(a, (first, second)).apply(first)
    longer = base.apply(second, replace=b)
    assert len(base.steps) == 1 and len(longer.steps) == 2
    assert base.result == b and longer.result == c
