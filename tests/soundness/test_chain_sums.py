"""Sums of symbolic length: false claims aimed at each premise of the sum rules, and true ones of the same shapes.

The rules (rlhfsym/chain/sums.py): linearity (factors free of the index leave the sum), products and Fubini (only
for limits free of the other indices), renaming of bound indices, and the sign of a sum (>= 0 needs every range not
reversed -- sympy follows Karr's convention, in which sum_{a=1}^{-2} counts negatively --, > 0 needs it nonempty).
Each false claim is confirmed false at an explicit point (the sums evaluated with ``doit``) before the engine is
asked; none may come back verified. Each true claim must not come back failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sympy as sp

from rlhfsym.chain import FAILED, VERIFIED, Algebra, Claim, Hypothesis, Lemma, Monotone, calc, check_lemma, citation

a, b, i, j = (sp.Symbol(name, integer=True) for name in "abij")
K = sp.Symbol("K", integer=True, positive=True)
K0 = sp.Symbol("K0", integer=True, nonnegative=True)
Kz = sp.Symbol("Kz", integer=True)
p = sp.IndexedBase("p", positive=True)
x, y = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
v = sp.Symbol("v", real=True)


def S(f, idx=a, hi=K, lo=1):
    return sp.Sum(f, (idx, lo, hi))


def lemma(claim: Claim, **kw) -> Lemma:
    return Lemma("under_attack", "a sum claim", "adversarial test", claims=(claim,), **kw)


def step(lhs, rel, rhs, rule=None, hypotheses=()) -> Claim:
    link = (rel, rhs, "attack") if rule is None else (rel, rhs, "attack", rule)
    return Claim("main", lhs, rel, rhs, calc(link), hypotheses=hypotheses)


def value(expr, point: dict, families: dict) -> sp.Expr:
    """``expr`` at a point: symbols and the limits substituted, sums expanded, indexed entries given values."""
    out = sp.sympify(expr).subs(point).doit()  # subs respects the sums' bound indices
    return out.replace(lambda e: isinstance(e, sp.Indexed), lambda e: families[e.base](*e.indices))


@dataclass(frozen=True)
class Case:
    id: str
    premise: str
    claim: Callable[[], Claim]
    point: dict
    families: dict
    extra: Callable[[], dict] = dict


def false_at(claim: Claim, point: dict, families: dict) -> bool:
    lhs, rhs = value(claim.lhs, point, families), value(claim.rhs, point, families)
    if claim.rel == "==":
        return sp.simplify(lhs - rhs) != 0
    gap = rhs - lhs if claim.rel == "<=" else lhs - rhs
    return bool(sp.nsimplify(gap) < 0)


ones = {p: lambda k: sp.Integer(1)}

FALSE = [
    Case("nonneg_over_a_reversed_range", "a sum of terms >= 0 is >= 0 only over a range that is not reversed",
         lambda: step(sp.S.Zero, "<=", S(p[a], hi=Kz)), {Kz: -2}, ones),
    Case("pos_over_a_possibly_empty_range", "a sum of terms > 0 is > 0 only over a nonempty range",
         lambda: step(sp.S.Zero, "<=", S(p[a], hi=K0) - sp.Rational(1, 2)), {K0: 0}, ones),
    Case("fubini_with_dependent_limits", "Fubini only for limits free of the other indices",
         lambda: step(S(S(x[j], j, i), i), "==", S(S(x[j], i, j), j)), {K: 2}, {x: lambda k: 1 if k == 1 else 0}),
    Case("factor_that_depends_on_the_index", "only factors free of the index leave the sum",
         lambda: step(S(x[a] * y[a]), "==", S(x[a]) * S(y[a]) / K), {K: 2},
         {x: lambda k: k, y: lambda k: k}),
    Case("square_of_a_sum_is_not_the_sum_of_squares", "products of sums become double sums",
         lambda: step(S(x[a]) ** 2, "==", S(x[a] ** 2)), {K: 2}, {x: lambda k: 1}),
    Case("renaming_does_not_capture_a_free_index", "renaming bound indices only",
         lambda: step(S(p[a] * x[b]), "==", S(p[b] * x[b], b)), {K: 2, b: 1},
         {p: lambda k: k, x: lambda k: k}),
    Case("shadowed_index_stays_bound", "an inner sum binds its own index",
         lambda: step(S(x[a] * S(y[a])), "==", K * S(x[a] * y[a])), {K: 2},
         {x: lambda k: 1 if k == 1 else 0, y: lambda k: 0 if k == 1 else 1}),
    Case("count_of_terms", "a summand free of the index is counted, not guessed",
         lambda: step(S(sp.S.One), "==", K + 1), {K: 3}, {}),
    Case("log_of_a_square_inside_a_sum", "logs split only for positive factors",
         lambda: step(S(sp.log(x[a] ** 2)), "==", S(2 * sp.log(x[a]))), {K: 1}, {x: lambda k: -1}),
    Case("sign_of_a_signed_sum", "the sign of a sum is the sign of its terms",
         lambda: step(sp.S.Zero, "<=", S(p[a] * x[a])), {K: 1}, {p: lambda k: 1, x: lambda k: -1}),
    Case("sum_of_squares_is_not_positive", "> 0 needs terms > 0",
         lambda: step(sp.S.Zero, "<=", S(x[a] ** 2) - sp.Rational(1, 10)), {K: 1}, {x: lambda k: 0}),
    Case("weighted_mean_exceeds_max", "normalisation sum p / sum p = 1, not more",
         lambda: step(S(p[a] / S(p[b], b)), "==", sp.S(2)), {K: 2}, {p: lambda k: k}),
    Case("mean_outside_the_range", "a mean of values <= 1 is <= 1",
         lambda: step(S(p[a] * x[a]) / S(p[b], b), "<=", sp.S.Zero), {K: 1}, {p: lambda k: 1, x: lambda k: 1}),
]


@pytest.mark.parametrize("case", FALSE, ids=lambda c: c.id)
def test_a_false_sum_claim_is_never_verified(case: Case) -> None:
    claim = case.claim()
    assert false_at(claim, case.point, case.families), "the counterexample must refute the claim"
    assert check_lemma(lemma(claim)).status != VERIFIED


def test_a_slack_summed_over_an_index_its_hypothesis_holds_at_one_value_of_is_refused() -> None:
    # x[a] <= 1 is known at the single index a of the claim; summing its slack over a claims it for every a.
    once = Hypothesis("once", x[a], "<=", sp.S.One, "x_a <= 1 at this a")
    claim = step(S(x[a]), "<=", K, Algebra(S(once.slack)), hypotheses=(once,))
    assert false_at(claim, {K: 2}, {x: lambda k: 5 * (k - 1)})  # x = (0, 5): x_1 <= 1 holds, the sum is 5 > 2
    report = check_lemma(lemma(claim))
    assert report.status != VERIFIED
    assert "not stated for every" in report.steps[0].detail


def test_a_slack_summed_over_another_index_than_its_own_does_not_prove_the_sum() -> None:
    every = Hypothesis("every", x[a], "<=", sp.S.One, "x_a <= 1 for every a", forall=(a,))
    claim = step(S(x[b], b), "<=", K, Algebra(S(every.slack, b)), hypotheses=(every,))
    # The claim is true under the hypothesis, but the witness sums a constant: the identity fails, never verified.
    assert check_lemma(lemma(claim)).status != VERIFIED


def test_a_family_instance_must_respect_the_familys_assumptions() -> None:
    # sum_a p_a x_a^2 >= 0 holds for positive weights; cited with p -> x (real, possibly negative) it would give
    # sum_a x_a^3 >= 0, false at x = (-1).
    weighted = Lemma("weighted_sq_nonneg", "s", "test",
                     (step(sp.S.Zero, "<=", S(p[a] * x[a] ** 2)),))
    assert check_lemma(weighted).status == VERIFIED
    k = sp.Dummy("k", integer=True)
    cited = citation(weighted, "main", {p: sp.Lambda(k, x[k])}, name="c")
    claim = step(sp.S.Zero, "<=", S(x[a] ** 3), Algebra(cited.slack), hypotheses=(cited,))
    assert false_at(claim, {K: 1}, {x: lambda k: -1})
    report = check_lemma(lemma(claim, depends_on=("weighted_sq_nonneg",)), {"weighted_sq_nonneg": weighted})
    assert report.status != VERIFIED
    assert "domain" in next(s for s in report.steps if s.rule == "citation").detail


def test_a_monotone_step_needs_its_sum_argument_of_log_positive() -> None:
    # log(sum_a x_a^2 + v) is not defined for every v; a derivative reading would say 'increasing'.
    f = sp.log(S(x[a] ** 2) + v)
    claim = step(f.subs(v, -1), "<=", f.subs(v, 1), Monotone(f, v, sp.S(-1), sp.S.One))
    report = check_lemma(lemma(claim))
    assert report.status != VERIFIED


TRUE = [
    ("normalised_weights_sum_to_one", step(S(p[a] / S(p[b], b)), "==", sp.S.One)),
    ("linearity", step(S(x[a] + 2 * y[a]), "==", S(x[a]) + 2 * S(y[b], b))),
    ("square_of_a_sum_is_a_double_sum", step(S(x[a]) ** 2, "==", S(S(x[a] * x[b], b)))),
    ("fubini_for_independent_limits", step(S(S(x[a] * y[b], b)), "==", S(S(x[a] * y[b], a), b))),
    ("renaming", step(S(p[a] * x[a]), "==", S(p[b] * x[b], b))),
    ("positive_over_a_nonempty_range", step(sp.S.Zero, "<=", S(p[a]))),
    ("nonneg_of_squares", step(sp.S.Zero, "<=", S(x[a] ** 2))),
    ("variance_is_second_moment_minus_square_of_mean",
     step(S(p[a] * (x[a] - S(p[b] * x[b], b)) ** 2), "==",
          S(p[a] * x[a] ** 2) - 2 * S(p[a] * x[a]) * S(p[b] * x[b], b) + S(p[b], b) * S(p[b] * x[b], b) ** 2)),
    ("cauchy_schwarz_lagrange",
     step(S(x[a] * y[a]) ** 2, "<=", S(x[a] ** 2) * S(y[a] ** 2),
          Algebra(S(S((x[i] * y[j] - x[j] * y[i]) ** 2, j), i) / 2))),
    ("log_of_positive_products_splits", step(S(sp.log(p[a] * sp.exp(x[a]))), "==", S(sp.log(p[a])) + S(x[a]))),
]


@pytest.mark.parametrize(("name", "claim"), TRUE, ids=[name for name, _ in TRUE])
def test_a_true_sum_claim_is_not_failed(name: str, claim: Claim) -> None:
    report = check_lemma(lemma(claim))
    assert report.status != FAILED
    assert report.status == VERIFIED, [s.detail for s in report.steps]


def test_a_true_sum_claim_under_a_hypothesis_for_every_action_is_not_refuted_at_a_sampled_action() -> None:
    # sum_a x_a <= K holds when x_a <= 1 at every a; a search that checked the hypothesis at one sampled a only
    # would report x = (5/2, 1/10) as a counterexample.
    every = Hypothesis("every", x[a], "<=", sp.S.One, "x_a <= 1 for every a", forall=(a,))
    claim = step(S(x[b], b), "<=", K, hypotheses=(every,))
    assert check_lemma(lemma(claim)).status != FAILED


def test_a_false_sum_identity_is_refuted_at_a_written_out_length() -> None:
    claim = step(S(x[a]) ** 2, "==", S(x[a] ** 2))
    report = check_lemma(lemma(claim))
    assert report.status == FAILED
    assert "K=" in report.steps[0].detail and "x[1]=" in report.steps[0].detail
