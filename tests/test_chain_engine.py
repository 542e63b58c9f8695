"""Unit tests of the lemma-checking engine (rlhfsym.chain): decision procedures, rules, chains, citations, registry.

Each test is named after the claim about the engine that it checks. The engine must never report something false
as ``verified``; where it cannot decide it must say ``undecided``, and where it finds a counterexample ``failed``.
"""

from __future__ import annotations

import dataclasses
import importlib
from types import ModuleType

import pytest
import sympy as sp

from rlhfsym.chain import (
    FAILED,
    UNDECIDED,
    VERIFIED,
    Algebra,
    Claim,
    FirstDerivativeTest,
    Hypothesis,
    Lemma,
    LemmaReport,
    Monotone,
    Registry,
    RegistryError,
    StepReport,
    calc,
    check_lemma,
    check_lemmas,
    compose_relations,
    decide_nonneg,
    decide_zero,
    is_nonneg,
    worst,
)


def proofs_module(name: str = "") -> ModuleType:
    """A module of the proofs package: ``rlhfsym.proofs`` when it is installed there, else the top-level ``proofs``."""
    try:
        package = importlib.import_module("rlhfsym.proofs")
    except ModuleNotFoundError as err:
        if err.name != "rlhfsym.proofs":
            raise
        package = importlib.import_module("proofs")
    return importlib.import_module(f"{package.__name__}.{name}") if name else package


x = sp.Symbol("x", real=True)
z = sp.Symbol("z", real=True)
v = sp.Symbol("v", real=True)
p = sp.Symbol("p", positive=True)
q = sp.Symbol("q", positive=True)


def lemma(name: str, *claims: Claim, depends_on: tuple[str, ...] = (), hypotheses: tuple = ()) -> Lemma:
    return Lemma(name, f"statement of {name}", "a test", claims=claims, depends_on=depends_on, hypotheses=hypotheses)


def one_step(label: str, lhs, rel: str, rhs, rule=None, hypotheses: tuple = ()) -> Claim:
    link = (rel, rhs, "one step") if rule is None else (rel, rhs, "one step", rule)
    return Claim(label, lhs, rel, rhs, calc(link), hypotheses=hypotheses)


def chain_steps(report: LemmaReport) -> list[StepReport]:
    """The reports of the chain links (not the citations, not the closing checks)."""
    return [s for s in report.steps if s.rule not in ("citation", "conclusion")]


def only(reports: list[StepReport], rule: str) -> StepReport:
    found = [s for s in reports if s.rule == rule]
    assert len(found) == 1, reports
    return found[0]


# --------------------------------------------------------------------------------------- decide_zero / decide_nonneg


@pytest.mark.parametrize(
    "expr",
    [
        (x + 1) ** 2 - x**2 - 2 * x - 1,
        (x**2 - 1) / (x - 1) - x - 1,
        sp.log(sp.exp(x) * p) - x - sp.log(p),
        sp.exp(x) * sp.exp(-x) - 1,
        sp.exp(2 * x) - sp.exp(x) ** 2,
        sp.log(p * q) - sp.log(p) - sp.log(q),
        sp.log(p**2) - 2 * sp.log(p),
        sp.log(p / q) + sp.log(q / p),
        1 / (1 + sp.exp(-x)) - sp.exp(x) / (sp.exp(x) + 1),
    ],
    ids=str,
)
def test_true_identity_is_verified(expr):
    assert decide_zero(expr).status == VERIFIED


@pytest.mark.parametrize(
    "expr",
    [
        (x + 1) ** 2 - x**2 - 1,
        sp.log(sp.exp(x) * p) - x,
        sp.log(p**2) - sp.log(p),
        sp.exp(x) * sp.exp(x) - sp.exp(x),
        sp.log(p + q) - sp.log(p) - sp.log(q),
    ],
    ids=str,
)
def test_false_identity_is_failed_with_counterexample(expr):
    verdict = decide_zero(expr)
    assert verdict.status == FAILED
    assert "residual" in verdict.detail
    assert " at " in verdict.detail and "=" in verdict.detail.split(" at ")[-1]


def test_undecidable_sign_is_undecided_not_verified():
    verdict = decide_nonneg(sp.exp(x) - 1 - x)
    assert verdict.status == UNDECIDED
    assert verdict.detail
    assert not is_nonneg(sp.exp(x) - 1 - x)


def test_sign_implied_by_assumptions_is_verified():
    assert decide_nonneg(x**2 + sp.exp(x)).status == VERIFIED
    assert decide_nonneg(p * q / (p + q)).status == VERIFIED
    assert decide_nonneg((x - z) ** 2 * sp.exp(-x)).status == VERIFIED


def test_negative_somewhere_is_failed_with_point():
    verdict = decide_nonneg(x)
    assert verdict.status == FAILED
    assert "< 0 at x=" in verdict.detail


def test_counterexample_respects_constraints():
    # x - 1 >= 0 under the constraint x - 2 >= 0 is true; the search must not report a point with x < 2.
    verdict = decide_nonneg(x - 1, [x - 2])
    assert verdict.status != FAILED


def test_sign_of_log_of_possibly_negative_argument_is_not_verified():
    # For x real, log(x) is not real when x < 0 (log(-1) = i pi, log(-1)**2 = -pi**2 < 0).
    assert sp.log(-1) ** 2 == -(sp.pi**2)
    assert decide_nonneg(sp.log(x) ** 2).status != VERIFIED


def test_worst_and_compose_relations():
    assert worst([VERIFIED, UNDECIDED, VERIFIED]) == UNDECIDED
    assert worst([UNDECIDED, FAILED, VERIFIED]) == FAILED
    assert worst([]) == VERIFIED
    assert compose_relations(["==", "<=", "=="]) == "<="
    assert compose_relations(["==", "=="]) == "=="
    assert compose_relations([">=", "<="]) is None


# ------------------------------------------------------------------------------------------------------ Algebra rule


def test_equality_step_with_witness_fails():
    claim = one_step("main", x, "==", x, Algebra(sp.S.Zero))
    report = check_lemma(lemma("eq_with_witness", claim))
    assert report.status == FAILED
    assert chain_steps(report)[0].status == FAILED


def test_true_witness_proves_inequality():
    claim = one_step("main", x, "<=", x + z**2, Algebra(z**2))
    assert check_lemma(lemma("le_add_sq", claim)).status == VERIFIED


@pytest.mark.parametrize("witness", [2 * z**2, z**2 + 1, z**2 + sp.exp(x)], ids=str)
def test_witness_must_equal_gap(witness):
    claim = one_step("main", x, "<=", x + z**2, Algebra(witness))
    report = check_lemma(lemma("le_add_sq", claim))
    assert report.status in (FAILED, UNDECIDED)
    step = chain_steps(report)[0]
    assert step.status in (FAILED, UNDECIDED)
    assert "witness does not equal the gap" in step.detail


def test_witness_equal_to_gap_but_of_unknown_sign_is_undecided():
    # exp(x) - 1 - x is the gap, but sympy cannot see its sign: undecided, never verified.
    claim = one_step("main", 1 + x, "<=", sp.exp(x), Algebra(sp.exp(x) - 1 - x))
    report = check_lemma(lemma("one_add_le_exp", claim))
    assert report.status == UNDECIDED
    assert chain_steps(report)[0].status == UNDECIDED


def test_witness_uses_hypothesis_slack():
    h = Hypothesis("hxz", x, "<=", z)
    with_witness = one_step("main", x + sp.exp(v), "<=", z + sp.exp(v), Algebra(h.slack), hypotheses=(h,))
    assert check_lemma(lemma("add_le_add", with_witness)).status == VERIFIED
    without = one_step("main", x + sp.exp(v), "<=", z + sp.exp(v), hypotheses=(h,))
    assert check_lemma(lemma("add_le_add", without)).status != VERIFIED


def test_witness_with_slack_of_a_foreign_hypothesis_is_not_verified():
    # The slack of a hypothesis the claim does not have stands for nothing: it cannot justify the step.
    foreign = Hypothesis("hxz", x, "<=", z)
    claim = one_step("main", x, "<=", z, Algebra(foreign.slack))
    assert check_lemma(lemma("le_of_nothing", claim)).status != VERIFIED


def test_witness_with_slack_of_reversed_hypothesis_fails():
    h = Hypothesis("hzx", x, ">=", z)
    claim = one_step("main", x, "<=", z, Algebra(h.slack), hypotheses=(h,))
    assert check_lemma(lemma("le_of_ge", claim)).status != VERIFIED


# ----------------------------------------------------------------------------------------------------- Monotone rule


def test_monotone_rule_requires_nonnegative_derivative():
    h = Hypothesis("hxz", x, "<=", z)
    increasing = one_step("main", sp.exp(x), "<=", sp.exp(z),
                          Monotone(sp.exp(v), v, x, z, gap_witness=h.slack), hypotheses=(h,))
    assert check_lemma(lemma("exp_le_exp", increasing)).status == VERIFIED

    # -exp is decreasing: the same argument would prove -exp(x) <= -exp(z), which is false for x < z.
    decreasing = one_step("main", -sp.exp(x), "<=", -sp.exp(z),
                          Monotone(-sp.exp(v), v, x, z, gap_witness=h.slack), hypotheses=(h,))
    report = check_lemma(lemma("neg_exp_le_neg_exp", decreasing))
    assert report.status != VERIFIED
    step = chain_steps(report)[0]
    assert step.status != VERIFIED
    assert "d/dv" in step.detail


def test_monotone_rule_requires_ordered_ends():
    h = Hypothesis("hxz", x, "<=", z)
    # exp(z) <= exp(x) presented as f(hi) - f(lo) with lo = z, hi = x: needs x - z >= 0, which is false.
    claim = one_step("main", sp.exp(z), "<=", sp.exp(x), Monotone(sp.exp(v), v, z, x), hypotheses=(h,))
    report = check_lemma(lemma("exp_le_exp_wrong", claim))
    assert report.status != VERIFIED
    step = chain_steps(report)[0]
    assert step.status != VERIFIED
    assert "hi - lo" in step.detail


def test_monotone_rule_requires_gap_to_be_f_hi_minus_f_lo():
    h = Hypothesis("hxz", x, "<=", z)
    claim = one_step("main", sp.exp(x), "<=", 2 * sp.exp(z),
                     Monotone(sp.exp(v), v, x, z, gap_witness=h.slack), hypotheses=(h,))
    report = check_lemma(lemma("exp_le_two_exp", claim))
    assert report.status == FAILED
    assert "f(hi) - f(lo)" in chain_steps(report)[0].detail


def test_monotone_rule_does_not_prove_equality():
    h = Hypothesis("hxz", x, "<=", z)
    claim = one_step("main", sp.exp(x), "==", sp.exp(z),
                     Monotone(sp.exp(v), v, x, z, gap_witness=h.slack), hypotheses=(h,))
    assert check_lemma(lemma("exp_eq_exp", claim)).status == FAILED


def test_monotone_rule_requires_ends_in_the_domain():
    w = sp.Symbol("w", positive=True)
    # log is increasing on w > 0, but the ends x - 1, x are not known to be positive.
    claim = one_step("main", sp.log(x - 1), "<=", sp.log(x), Monotone(sp.log(w), w, x - 1, x))
    report = check_lemma(lemma("log_le_log", claim))
    assert report.status != VERIFIED
    assert "domain" in chain_steps(report)[0].detail


def test_monotone_rule_needs_an_interval_domain():
    # On v != 0, d/dv (-1/v) = 1/v**2 >= 0, yet -1/v jumps down across 0: f(1) - f(-1) = -2 < 0.
    w = sp.Symbol("w", real=True, nonzero=True)
    claim = one_step("main", sp.S.Zero, "<=", sp.S(-2), Monotone(-1 / w, w, sp.S(-1), sp.S.One))
    report = check_lemma(lemma("zero_le_neg_two", claim))
    assert report.status != VERIFIED


def test_monotone_derivative_witness_cannot_use_hypotheses_on_the_variable():
    # The hypothesis 1 <= x says nothing about the points of [lo, hi] = [-3, 1], where d/dx x**2 = 2x changes sign;
    # using its slack for the derivative "proves" 1 - 9 >= 0 under a satisfiable hypothesis (x = 2).
    h = Hypothesis("one_le_x", sp.S.One, "<=", x)
    rule = Monotone(x**2, x, sp.S(-3), sp.S.One, derivative_witness=2 * h.slack + 2)
    claim = one_step("main", sp.S.Zero, "<=", sp.S(-8), rule, hypotheses=(h,))
    report = check_lemma(lemma("zero_le_neg_eight", claim))
    assert report.status != VERIFIED


# ---------------------------------------------------------------------------------------- FirstDerivativeTest rule


def test_first_derivative_test_proves_log_le_sub_one():
    log_lemma = proofs_module("log_le_sub_one").LEMMA
    report = check_lemma(log_lemma)
    assert report.status == VERIFIED
    assert only(list(report.steps), "first-derivative test").status == VERIFIED


def test_first_derivative_test_with_wrong_centre_fails():
    y = sp.Symbol("y", positive=True)
    f = y - 1 - sp.log(y)
    wrong = one_step("main", sp.log(y), "<=", y - 1, FirstDerivativeTest(f, y, sp.S(2)))
    report = check_lemma(lemma("log_le_sub_one_wrong_centre", wrong))
    assert report.status == FAILED
    assert chain_steps(report)[0].status == FAILED

    # With the gap honestly f(y) - f(2), the derivative condition fails: 2 is not where f is smallest.
    honest = one_step("main", f.subs(y, 2), "<=", f, FirstDerivativeTest(f, y, sp.S(2)))
    report = check_lemma(lemma("f_two_le_f", honest))
    assert report.status != VERIFIED
    assert "sign" in chain_steps(report)[0].detail


def test_first_derivative_test_requires_centre_in_the_domain():
    y = sp.Symbol("y", positive=True)
    f = y - 1 - sp.log(y)
    claim = one_step("main", f.subs(y, x), "<=", f, FirstDerivativeTest(f, y, x))
    report = check_lemma(lemma("centre_outside", claim))
    assert report.status != VERIFIED
    assert "domain" in chain_steps(report)[0].detail


def test_first_derivative_test_needs_an_interval_domain():
    # On w != 0, f'(w) (w - 1) = (w - 1)**2 / w**4 >= 0, yet f(-1) = -5/6 < f(1) = -1/6 (f has a pole at 0).
    w = sp.Symbol("w", real=True, nonzero=True)
    f = -1 / (2 * w**2) + 1 / (3 * w**3)
    assert f.subs(w, -1) < f.subs(w, 1)
    claim = one_step("main", f.subs(w, 1), "<=", f, FirstDerivativeTest(f, w, sp.S.One))
    assert check_lemma(lemma("pole_fdt", claim)).status != VERIFIED


# ----------------------------------------------------------------------------------------------------------- chains


def test_chain_of_equalities_and_inequalities_is_verified():
    claim = Claim("main", (x + 1) ** 2, "<=", x**2 + 2 * x + 1 + z**2,
                  calc(("==", x**2 + 2 * x + 1, "expand"),
                       ("<=", x**2 + 2 * x + 1 + z**2, "add a square", Algebra(z**2))))
    report = check_lemma(lemma("sq_le", claim))
    assert report.status == VERIFIED
    assert report.n_steps == 2
    assert [s.index for s in report.steps] == [1, 2, 0]


def test_chain_must_end_at_stated_rhs():
    claim = Claim("main", x, "<=", x + 2, calc(("<=", x + 1, "add one", Algebra(sp.S.One))))
    report = check_lemma(lemma("le_add_two", claim))
    assert report.status == FAILED
    assert all(s.status == VERIFIED for s in chain_steps(report))
    closing = only(list(report.steps), "conclusion")
    assert closing.status == FAILED
    assert "not at the stated rhs" in closing.detail


def test_chain_ending_at_an_equal_form_of_the_rhs_is_verified():
    claim = Claim("main", x, "<=", (x + 1) ** 2 - x**2 - x, calc(("<=", x + 1, "add one", Algebra(sp.S.One))))
    assert check_lemma(lemma("le_add_one", claim)).status == VERIFIED


def test_chain_mixing_le_and_ge_fails():
    claim = Claim("main", x, "<=", x,
                  calc(("<=", x + 1, "add one", Algebra(sp.S.One)),
                       (">=", x, "drop one", Algebra(sp.S.One))))
    report = check_lemma(lemma("mixed", claim))
    assert report.status == FAILED
    assert all(s.status == VERIFIED for s in chain_steps(report))
    assert "mixes" in only(list(report.steps), "conclusion").detail


def test_claim_relation_must_follow_from_chain():
    claim = Claim("main", x, "==", x + z**2, calc(("<=", x + z**2, "add a square", Algebra(z**2))))
    report = check_lemma(lemma("eq_add_sq", claim))
    assert report.status == FAILED
    assert all(s.status == VERIFIED for s in chain_steps(report))
    assert "proves <=" in only(list(report.steps), "conclusion").detail

    opposite = Claim("main", x, ">=", x + z**2, calc(("<=", x + z**2, "add a square", Algebra(z**2))))
    assert check_lemma(lemma("ge_add_sq", opposite)).status == FAILED


def test_chain_of_equalities_proves_an_inequality():
    claim = Claim("main", (x + 1) ** 2, ">=", x**2 + 2 * x + 1, calc(("==", x**2 + 2 * x + 1, "expand")))
    assert check_lemma(lemma("sq_ge", claim)).status == VERIFIED


def test_false_step_in_the_middle_is_reported_with_its_index():
    claim = Claim("main", x, "<=", x + 3,
                  calc(("<=", x + 1, "add one", Algebra(sp.S.One)),
                       ("==", x + 2, "wrong"),
                       ("<=", x + 3, "add one", Algebra(sp.S.One))))
    report = check_lemma(lemma("le_add_three", claim))
    assert report.status == FAILED
    failed = [s for s in report.steps if s.status != VERIFIED]
    assert [(s.index, s.rule) for s in failed] == [(2, "algebra")]
    assert "residual" in failed[0].detail


# ------------------------------------------------------------------------------------------------------- citations


def _log_lemma() -> Lemma:
    return proofs_module("log_le_sub_one").LEMMA


def _check_citing(claim: Claim, cited: Lemma) -> LemmaReport:
    citing = lemma("citing", claim, depends_on=(cited.name,))
    return check_lemma(citing, {cited.name: cited})


def test_citation_that_matches_cited_claim_is_verified():
    log_lemma = _log_lemma()
    (y,) = log_lemma.claims[0].lhs.free_symbols
    h = Hypothesis("tangent", sp.log(p / q), "<=", p / q - 1, by="log_le_sub_one#main", instance={y: p / q})
    claim = one_step("main", sp.log(p / q), "<=", p / q - 1, Algebra(h.slack), hypotheses=(h,))
    report = _check_citing(claim, log_lemma)
    assert report.status == VERIFIED
    assert only(list(report.steps), "citation").status == VERIFIED


def test_citation_must_match_cited_claim():
    log_lemma = _log_lemma()
    (y,) = log_lemma.claims[0].lhs.free_symbols
    # log q <= q - 2 is not the instance y -> q of log y <= y - 1.
    h = Hypothesis("tangent", sp.log(q), "<=", q - 2, by="log_le_sub_one#main", instance={y: q})
    claim = one_step("main", sp.log(q), "<=", q - 2, Algebra(h.slack), hypotheses=(h,))
    report = _check_citing(claim, log_lemma)
    assert report.status != VERIFIED
    citation = only(list(report.steps), "citation")
    assert citation.status != VERIFIED
    assert "not an instance" in citation.detail


def test_citation_in_the_reversed_direction_is_not_verified():
    log_lemma = _log_lemma()
    (y,) = log_lemma.claims[0].lhs.free_symbols
    h = Hypothesis("tangent", sp.log(q), ">=", q - 1, by="log_le_sub_one#main", instance={y: q})
    claim = one_step("main", q - 1, "<=", sp.log(q), Algebra(h.slack), hypotheses=(h,))
    assert _check_citing(claim, log_lemma).status != VERIFIED


def test_citation_outside_domain_is_not_verified():
    log_lemma = _log_lemma()
    (y,) = log_lemma.claims[0].lhs.free_symbols
    # y -> x - 1 with x real: x - 1 may be <= 0, outside the domain y > 0 of the cited claim.
    h = Hypothesis("tangent", sp.log(x - 1), "<=", x - 2, by="log_le_sub_one#main", instance={y: x - 1})
    claim = one_step("main", sp.log(x - 1), "<=", x - 2, Algebra(h.slack), hypotheses=(h,))
    report = _check_citing(claim, log_lemma)
    assert report.status != VERIFIED
    citation = only(list(report.steps), "citation")
    assert citation.status != VERIFIED
    assert "domain" in citation.detail


def test_citation_instance_must_respect_negative_assumption():
    # n < 0 gives n <= 0; the instance n -> 1 is outside the domain and would give 1 <= 0, hence 0 <= -1.
    n = sp.Symbol("n", negative=True)
    neg = lemma("nonpos_of_neg", one_step("main", n, "<=", sp.S.Zero))
    h = Hypothesis("h", sp.S.One, "<=", sp.S.Zero, by="nonpos_of_neg#main", instance={n: sp.S.One})
    claim = one_step("main", sp.S.Zero, "<=", sp.S(-1), Algebra(h.slack), hypotheses=(h,))
    citing = lemma("zero_le_neg_one", claim, depends_on=("nonpos_of_neg",))
    reports = check_lemmas([neg, citing])
    assert reports[0].status == VERIFIED
    assert reports[1].status != VERIFIED


def _nonneg_lemma() -> Lemma:
    """0 <= x**3 for real x, assuming 0 <= x."""
    hx = Hypothesis("hx", sp.S.Zero, "<=", x, "x is nonnegative")
    claim = one_step("main", sp.S.Zero, "<=", x**3, Algebra(hx.slack**3), hypotheses=(hx,))
    return lemma("cube_nonneg_of_nonneg", claim)


def test_claim_with_assumption_is_verified():
    assert check_lemma(_nonneg_lemma()).status == VERIFIED


def test_undischarged_hypothesis_of_cited_claim_is_named():
    cube = _nonneg_lemma()
    cited = Hypothesis("cube", sp.S.Zero, "<=", z**3, by="cube_nonneg_of_nonneg#main", instance={x: z})
    claim = one_step("main", sp.S.Zero, "<=", z**3, Algebra(cited.slack), hypotheses=(cited,))
    report = _check_citing(claim, cube)
    assert report.status == FAILED
    citation = only(list(report.steps), "citation")
    assert citation.status == FAILED
    assert "hx" in citation.detail and "not discharged" in citation.detail

    hz = Hypothesis("hz", sp.S.Zero, "<=", z)
    discharged = one_step("main", sp.S.Zero, "<=", z**3, Algebra(cited.slack), hypotheses=(hz, cited))
    assert _check_citing(discharged, cube).status == VERIFIED


def test_citation_of_an_equality_is_refused():
    eq = lemma("sq_eq", one_step("main", (x + 1) ** 2, "==", x**2 + 2 * x + 1))
    h = Hypothesis("h", (z + 1) ** 2, "<=", z**2 + 2 * z + 1, by="sq_eq#main", instance={x: z})
    claim = one_step("main", (z + 1) ** 2, "<=", z**2 + 2 * z + 1, Algebra(h.slack), hypotheses=(h,))
    report = _check_citing(claim, eq)
    assert report.status == FAILED
    assert "equality" in only(list(report.steps), "citation").detail


def test_citation_of_a_missing_claim_fails():
    log_lemma = _log_lemma()
    h = Hypothesis("h", sp.log(q), "<=", q - 1, by="log_le_sub_one#nope")
    claim = one_step("main", sp.log(q), "<=", q - 1, Algebra(h.slack), hypotheses=(h,))
    report = _check_citing(claim, log_lemma)
    assert report.status == FAILED
    assert "nope" in only(list(report.steps), "citation").detail


def test_citation_of_an_unavailable_lemma_is_undecided():
    h = Hypothesis("h", sp.log(q), "<=", q - 1, by="log_le_sub_one#main")
    claim = one_step("main", sp.log(q), "<=", q - 1, Algebra(h.slack), hypotheses=(h,))
    citing = lemma("citing", claim, depends_on=("log_le_sub_one",))
    report = check_lemma(citing, {})
    assert report.status == UNDECIDED


def test_citation_of_a_later_claim_of_the_same_lemma_fails():
    h = Hypothesis("h", sp.S.Zero, "<=", x**2, by="#later")
    first = one_step("first", sp.S.Zero, "<=", x**2, Algebra(h.slack), hypotheses=(h,))
    later = one_step("later", sp.S.Zero, "<=", x**2, Algebra(x**2))
    report = check_lemma(lemma("forward_citation", first, later))
    assert report.status == FAILED


def test_citation_of_an_earlier_claim_of_the_same_lemma_is_verified():
    earlier = one_step("earlier", sp.S.Zero, "<=", x**2, Algebra(x**2))
    h = Hypothesis("h", sp.S.Zero, "<=", z**2, by="#earlier", instance={x: z})
    second = one_step("second", sp.S.One, "<=", 1 + z**2, Algebra(h.slack), hypotheses=(h,))
    assert check_lemma(lemma("backward_citation", earlier, second)).status == VERIFIED


def test_a_cited_lemma_is_a_dependency_by_construction_and_an_uncited_one_is_prose():
    # depends_on is computed from the citations: a lemma cannot cite what it does not depend on, and a declared
    # dependency that no citation backs is reported as a dependency in prose.
    h = Hypothesis("h", sp.log(q), "<=", q - 1, by="log_le_sub_one#main")
    claim = one_step("main", sp.log(q), "<=", q - 1, Algebra(h.slack), hypotheses=(h,))
    citing = lemma("citing", claim, depends_on=("other",))
    assert citing.depends_on == ("log_le_sub_one", "other")
    assert citing.prose_dependencies == ("other",)
    assert lemma("citing", claim).depends_on == ("log_le_sub_one",)


# ------------------------------------------------------------------------------------------------ check_lemmas


def _false_lemma(name: str = "le_sub_one") -> Lemma:
    return lemma(name, one_step("main", x, "<=", x - 1, Algebra(sp.S.One)))


def _true_lemma(name: str = "le_add_one") -> Lemma:
    return lemma(name, one_step("main", x, "<=", x + 1, Algebra(sp.S.One)))


def test_dependency_not_verified_makes_lemma_undecided():
    dep = _false_lemma()
    user = lemma("user", one_step("main", x, "<=", x + 1, Algebra(sp.S.One)), depends_on=(dep.name,))
    dep_report, user_report = check_lemmas([dep, user])
    assert dep_report.status == FAILED
    assert user_report.status == UNDECIDED
    assert all(s.status == VERIFIED for s in user_report.steps)
    assert any(dep.name in problem and FAILED in problem for problem in user_report.problems)


def test_verified_dependency_keeps_lemma_verified():
    dep = _true_lemma()
    user = lemma("user", one_step("main", x, "<=", x + 2, Algebra(sp.S(2))), depends_on=(dep.name,))
    assert [r.status for r in check_lemmas([dep, user])] == [VERIFIED, VERIFIED]


def test_dependency_checked_after_its_user_leaves_the_user_undecided():
    dep = _true_lemma()
    user = lemma("user", one_step("main", x, "<=", x + 2, Algebra(sp.S(2))), depends_on=(dep.name,))
    reports = {r.name: r for r in check_lemmas([user, dep])}
    assert reports["user"].status == UNDECIDED


def test_check_lemma_without_dependency_status_is_undecided():
    dep = _true_lemma()
    user = lemma("user", one_step("main", x, "<=", x + 2, Algebra(sp.S(2))), depends_on=(dep.name,))
    report = check_lemma(user)
    assert report.status == UNDECIDED
    assert "unknown" in report.problems[0]


def _without_timings(report: LemmaReport) -> LemmaReport:
    return dataclasses.replace(report, seconds=0.0)


def test_parallel_check_equals_serial_check():
    log_lemma = _log_lemma()
    (y,) = log_lemma.claims[0].lhs.free_symbols
    h = Hypothesis("tangent", sp.log(p / q), "<=", p / q - 1, by="log_le_sub_one#main", instance={y: p / q})
    citing = lemma(
        "citing",
        one_step("main", sp.log(p / q), "<=", p / q - 1, Algebra(h.slack), hypotheses=(h,)),
        one_step("other", x, "<=", x + z**2, Algebra(z**2)),
        depends_on=(log_lemma.name,),
    )
    lemmas = [log_lemma, _false_lemma(), _true_lemma(), citing,
              lemma("user", one_step("main", x, "<=", x + 1, Algebra(sp.S.One)), depends_on=("le_sub_one",))]
    serial = check_lemmas(lemmas, jobs=1)
    parallel = check_lemmas(lemmas, jobs=2)
    assert [r.status for r in serial] == [VERIFIED, FAILED, VERIFIED, VERIFIED, UNDECIDED]
    assert [_without_timings(r) for r in parallel] == [_without_timings(r) for r in serial]


def test_report_json_counts_steps_without_closing_checks():
    report = check_lemma(_true_lemma())
    data = report.to_json()
    assert data["status"] == VERIFIED
    assert data["steps"] == 1
    assert data["name"] == "le_add_one"


# ------------------------------------------------------------------------------------------------ statements


def test_statement_objects_refuse_malformed_input():
    with pytest.raises(ValueError, match="relation"):
        Hypothesis("h", x, "==", z)
    with pytest.raises(ValueError, match="citation"):
        Hypothesis("h", x, "<=", z, by="log_le_sub_one")
    with pytest.raises(ValueError, match="relation"):
        calc(("<", x, "no such relation"))
    with pytest.raises(ValueError, match="at least one step"):
        Claim("main", x, "<=", x, ())
    claim = one_step("main", x, "<=", x + 1, Algebra(sp.S.One))
    with pytest.raises(ValueError, match="identifier"):
        Lemma("not a name", "s", "src", claims=(claim,))
    with pytest.raises(ValueError, match="kind"):
        Lemma("ok", "s", "src", claims=(claim,), kind="corollary")
    with pytest.raises(ValueError, match="distinct"):
        Lemma("ok", "s", "src", claims=(claim, claim))


# ---------------------------------------------------------------------------------------------------- registry


def test_registry_refuses_duplicate_registration():
    registry = Registry("test")
    registry.register(_true_lemma())
    with pytest.raises(RegistryError, match="registered twice"):
        registry.register(_true_lemma())
    assert len(registry) == 1


def test_registry_refuses_unknown_dependency():
    registry = Registry("test")
    registry.register(lemma("user", one_step("main", x, "<=", x + 1, Algebra(sp.S.One)), depends_on=("ghost",)))
    with pytest.raises(RegistryError, match="user depends on ghost"):
        registry.ordered()


def test_registry_cycle_error_names_the_cycle():
    registry = Registry("test")
    step = one_step("main", x, "<=", x + 1, Algebra(sp.S.One))
    registry.register(lemma("a", step, depends_on=("b",)))
    registry.register(lemma("b", step, depends_on=("c",)))
    registry.register(lemma("c", step, depends_on=("a",)))
    with pytest.raises(RegistryError, match="cycle") as err:
        registry.ordered()
    assert "a -> b -> c -> a" in str(err.value)


def test_registry_ordered_puts_dependencies_first():
    registry = Registry("test")
    step = one_step("main", x, "<=", x + 1, Algebra(sp.S.One))
    registry.register(lemma("top", step, depends_on=("middle", "base")))
    registry.register(lemma("middle", step, depends_on=("base",)))
    registry.register(lemma("base", step))
    registry.register(lemma("alone", step))
    names = [lem.name for lem in registry.ordered()]
    assert sorted(names) == ["alone", "base", "middle", "top"]
    for dep, user in registry.edges():
        assert names.index(dep) < names.index(user)
    assert names == ["alone", "base", "middle", "top"]  # otherwise by name: not by the order of registration


def test_registry_order_does_not_depend_on_the_order_of_registration():
    step = one_step("main", x, "<=", x + 1, Algebra(sp.S.One))
    lemmas = [lemma("top", step, depends_on=("middle", "base")), lemma("middle", step, depends_on=("base",)),
              lemma("base", step), lemma("alone", step)]  # fmt: skip
    orders = []
    for registration in (lemmas, lemmas[::-1], lemmas[1:] + lemmas[:1]):
        registry = Registry("test")
        for item in registration:
            registry.register(item)
        orders.append([lem.name for lem in registry.ordered()])
    assert orders[0] == orders[1] == orders[2]


def test_registry_lookup():
    registry = Registry("test")
    registry.register(_true_lemma())
    assert "le_add_one" in registry
    assert registry.get("le_add_one").name == "le_add_one"
    with pytest.raises(KeyError, match="le_add_one"):
        registry.get("missing")


# ------------------------------------------------------------------------------- the acceptance tests


def _single_step_report(name: str, claim: Claim) -> LemmaReport:
    return check_lemma(lemma(name, claim))


def _assert_failed_at_step_one(report: LemmaReport, label: str) -> None:
    assert report.status == FAILED
    failed = [s for s in report.steps if s.status == FAILED]
    assert failed, report.steps
    step = failed[0]
    assert (step.claim, step.index, step.rule) == (label, 1, "algebra")
    assert step.detail and "residual" in step.detail


def test_sign_flipped_identity_is_reported_failed_with_the_step():
    grad = proofs_module("grad_eq_cov_mul_of_loglinear")
    family = proofs_module("_family")
    genuine = grad.directional_claim()
    assert _single_step_report("grad_every_k", genuine).status == VERIFIED

    pi = family.boltzmann(family.reference(), family.of(family.s))
    flipped_rhs = family.cov(pi, family.of(family.u), lambda a: family.r[a] + family.beta * family.s[a])
    flipped = Claim(genuine.label, genuine.lhs, "==", flipped_rhs,
                    calc(("==", flipped_rhs, "the policy gradient with the sign of beta flipped")))
    _assert_failed_at_step_one(_single_step_report("grad_flipped", flipped), genuine.label)


def test_sign_flipped_kl_gap_identity_is_reported_failed_with_the_step():
    gap = proofs_module("gap_eq_smul_kl_of_boltzmann_opt")
    genuine = gap.identity_claim()
    assert _single_step_report("gap_every_k", genuine).status == VERIFIED

    flipped_rhs = -genuine.rhs
    flipped = Claim(genuine.label, genuine.lhs, "==", flipped_rhs,
                    calc(("==", flipped_rhs, "the KL-gap identity with the sign flipped")))
    _assert_failed_at_step_one(_single_step_report("gap_flipped", flipped), genuine.label)
