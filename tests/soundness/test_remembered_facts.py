"""The facts the engine now computes once and remembers, attacked: a hypothesis's gap (``rhs - lhs``, read by every
rule that uses the hypothesis's slack) and an expression's sorted free symbols (the inputs an enclosure is computed
over). Soundness needs the remembered value to be the one its own object would give now: a hypothesis derived from
another (replaced, renamed, copied, unpickled) never carries the other's gap, and two expressions that differ only
in a symbol's assumptions never share their symbols. Each false claim is confirmed false at an exact point first."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
import sympy as sp

from rlhfsym.chain import VERIFIED, Algebra, Claim, Hypothesis, Lemma, calc, check_lemma
from rlhfsym.interval import IntervalError, enclose
from rlhfsym.interval._evaluate import sorted_symbols

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


def _derived(h: Hypothesis) -> dict[str, Hypothesis]:
    return {
        "replaced": dataclasses.replace(h, rhs=sp.S.One),
        "renamed": h.renamed({x: y}),
        "copied": copy.copy(h),
        "unpickled": pickle.loads(pickle.dumps(h)),
    }


def test_every_hypothesis_derived_from_one_whose_gap_was_read_has_its_own_gap() -> None:
    h = Hypothesis("h", x, "<=", sp.S.Zero, "x <= 0")
    assert h.gap == -x  # read first, so that a stale copy would carry it
    for how, derived in _derived(h).items():
        assert derived.gap == derived.rhs - derived.lhs, how


def test_a_replaced_hypothesis_does_not_lend_the_original_s_gap_to_a_false_claim() -> None:
    # x <= 0 is false under x <= 1 at x = 1/2. With the gap of x <= 0 remembered on the replaced hypothesis, the step
    # 0 - x = slack would be an identity and the claim would verify (it does, with that gap planted by hand).
    strong = Hypothesis("h", x, "<=", sp.S.Zero, "x <= 0")
    assert strong.gap == -x
    weak = dataclasses.replace(strong, rhs=sp.S.One, text="x <= 1")
    point = {x: sp.Rational(1, 2)}
    assert (weak.lhs <= weak.rhs).xreplace(point) and not (x <= 0).xreplace(point)
    claim = Claim("main", x, "<=", sp.S.Zero, calc(("<=", sp.S.Zero, "the step under attack", Algebra(weak.slack))),
                  hypotheses=(weak,))  # fmt: skip
    report = check_lemma(Lemma("stale_gap", "x <= 0 from x <= 1 (false)", "adversarial test", claims=(claim,)))
    assert report.status != VERIFIED


def test_expressions_that_differ_only_in_a_symbol_s_assumptions_keep_their_own_symbols() -> None:
    plain, positive = sp.Symbol("t"), sp.Symbol("t", positive=True)
    assert sorted_symbols(plain + 1) == (plain,)
    assert sorted_symbols(positive + 1) == (positive,)
    assert sorted_symbols(positive + 1)[0].is_positive and sorted_symbols(plain + 1)[0].is_positive is None


def test_an_enclosure_of_an_expression_seen_before_still_needs_every_one_of_its_symbols() -> None:
    # x + y evaluated once; x + y + x*y is a different tree: its enclosure must refuse a box without y.
    assert enclose(x + y, {x: 1, y: 2}).contains(3)
    with pytest.raises(IntervalError, match="symbol y has no value"):
        enclose(x + y + x * y, {x: 1})
