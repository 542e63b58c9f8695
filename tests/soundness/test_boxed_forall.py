"""``forall`` over a boxed variable: in a lemma whose domain box restricts ``tau`` to ``[a, b]``, a hypothesis stated
``forall tau`` holds for every ``tau`` in ``[a, b]`` (and nowhere else is it known).

The rules that read such a hypothesis must therefore never use it outside the box. Each attack below builds a
claim that is false, confirms it false by an exact evaluation (with the premises that the false claim assumes shown
true at the points that matter), and asks the engine; none may come back ``verified``:

* a discharger stated ``forall tau`` on a box narrower than the range the cited hypothesis needs
  (:func:`rlhfsym.chain.citations.covers_range`);
* a citation stated ``forall tau`` that moves a boxed symbol of the cited lemma out of its box somewhere on the
  citing box, or by a variable the citing lemma does not box;
* a witness that sums, over an index the box restricts, the slack of a hypothesis stated for every index;
* induction on a boxed variable, whose hypotheses hold only on the box.

The true shapes -- a boxed claim cited ``forall tau`` inside its own lemma to feed a derivative witness (the shape
of the covariance-weighted Bregman bound), a citation whose values stay in the cited box, a discharger on a wider
box -- must verify.
"""

from __future__ import annotations

import sympy as sp

from rlhfsym.chain import VERIFIED, Algebra, Box, Claim, Hypothesis, Induction, Lemma, Monotone, calc, check_lemma
from rlhfsym.chain import citation as cite
from rlhfsym.chain.citations import covers_range

tau = sp.Symbol("tau", nonnegative=True)
s = sp.Symbol("s", real=True)
c = sp.Symbol("c", real=True)
UNIT = (0, 1)


def lemma(name: str, *claims: Claim, domain: dict | None = None, hypotheses: tuple = ()) -> Lemma:
    return Lemma(name, f"statement of {name}", "adversarial test", claims=claims, domain=domain or {},
                 hypotheses=hypotheses)


def one_step(label, lhs, rel, rhs, rule, hypotheses=()) -> Claim:
    return Claim(label, lhs, rel, rhs, calc((rel, rhs, "the step under attack", rule)), hypotheses=hypotheses)


def check(lem: Lemma, *deps: Lemma):
    return check_lemma(lem, {d.name: d for d in deps})


def details(report) -> str:
    return " | ".join(step.detail for step in report.steps if step.status != VERIFIED)


# ------------------------------------------------------------------------------------ the range of a discharger


def _vacuous_beyond(hi: int, box: tuple | None) -> Lemma:
    """If 1 - 2 tau >= 0 for every tau (of the box, if any), then 0 <= f(hi) for f = tau - tau^2 (f' = 1 - 2 tau).
    True: the hypothesis fails at tau = 1 on [0, hi] (hi >= 1), so the claim holds vacuously."""
    f = tau - tau**2
    slope = Hypothesis("slope", sp.S.Zero, "<=", 1 - 2 * tau, "f' >= 0", forall=(tau,))
    claim = one_step("main", f.subs(tau, 0), "<=", f.subs(tau, hi),
                     Monotone(f, tau, sp.S.Zero, sp.S(hi), derivative_witness=slope.slack), hypotheses=(slope,))
    return lemma(f"vacuous_to_{hi}", claim, domain={tau: box} if box else None)


def _citing(cited: Lemma, box: tuple) -> Lemma:
    """Cite ``cited`` with a discharger stated for every tau of ``box``."""
    slope = Hypothesis("slope_here", sp.S.Zero, "<=", 1 - 2 * tau, "f' >= 0 on the box", forall=(tau,))
    fact = cite(cited, "main", name="fact")
    claim = one_step("main", fact.lhs, "<=", fact.rhs, Algebra(fact.slack), hypotheses=(slope, fact))
    return lemma(f"citing_{cited.name}", claim, domain={tau: box})


def test_a_boxed_discharger_does_not_discharge_a_hypothesis_needed_for_every_value() -> None:
    # The cited lemma needs 1 - 2 tau >= 0 for EVERY tau >= 0 (never true, so it holds vacuously); on [0, 1/2] the
    # discharger is true, and the citing claim 0 <= f(3) = -6 would follow. It is false.
    cited = _vacuous_beyond(3, None)
    assert check(cited).status == VERIFIED, details(check(cited))
    f3 = (tau - tau**2).subs(tau, 3)
    assert f3 < 0 and all(1 - 2 * sp.Rational(k, 10) >= 0 for k in range(6))  # premise true on [0, 1/2]
    report = check(_citing(cited, (0, sp.Rational(1, 2))), cited)
    assert report.status != VERIFIED
    assert "wider range" in details(report)


def test_a_discharger_on_a_narrower_box_than_the_cited_box_is_refused() -> None:
    cited = _vacuous_beyond(2, (0, 2))  # needs 1 - 2 tau >= 0 for tau in [0, 2]: vacuous; 0 <= f(2) = -2
    assert check(cited).status == VERIFIED, details(check(cited))
    assert (tau - tau**2).subs(tau, 2) < 0
    report = check(_citing(cited, (0, sp.Rational(1, 2))), cited)
    assert report.status != VERIFIED
    assert "wider range" in details(report)


def test_a_discharger_on_a_wider_box_than_the_cited_box_discharges() -> None:
    cited = _vacuous_beyond(2, (0, 2))
    report = check(_citing(cited, (0, 3)), cited)  # [0, 3] contains [0, 2]: the citing premise is vacuous too
    assert report.status == VERIFIED, details(report)


def test_covers_range_compares_the_ranges() -> None:
    assert covers_range(tau, {}, {})
    assert covers_range(tau, {tau: (0, 1)}, {})
    assert not covers_range(tau, {}, {tau: (0, 1)})
    assert covers_range(tau, {tau: (0, 1)}, {tau: (0, 2)})
    assert not covers_range(tau, {tau: (0, 2)}, {tau: (0, 1)})
    assert not covers_range(tau, {tau: (-1, 1)}, {tau: (0, 1)})


# -------------------------------------------------------------------------- a citation stated forall a boxed tau

#: s - s^2 >= 0 for s in [0, 1] (false at s = 2), by interval subdivision on the box.
BOXED = lemma("boxed_square", one_step("main", s**2, "<=", s, Box()), domain={s: UNIT})


def _cites_forall(value: sp.Expr, box: dict | None) -> Lemma:
    """Cite ``BOXED`` at s = value, stated for every tau, and restate the citation as the claim."""
    fact = cite(BOXED, "main", {s: value}, name="fact", forall=(tau,))
    claim = one_step("main", fact.lhs, "<=", fact.rhs, Algebra(fact.slack), hypotheses=(fact,))
    return lemma("cites_forall", claim, domain=box)


def test_the_boxed_lemma_verifies_on_its_box() -> None:
    assert check(BOXED).status == VERIFIED, details(check(BOXED))


def test_a_citation_for_every_tau_whose_value_leaves_the_cited_box_is_refused() -> None:
    # s = 2 tau for tau in [0, 1] reaches 2, where s^2 <= s is false (4 <= 2).
    assert ((2 * tau) ** 2 - 2 * tau).subs(tau, 1) > 0
    report = check(_cites_forall(2 * tau, {tau: UNIT}), BOXED)
    assert report.status != VERIFIED
    assert "not certified inside it" in details(report)


def test_a_citation_for_every_tau_that_the_citing_lemma_does_not_box_is_refused() -> None:
    # s = tau for every tau >= 0: false at tau = 2.
    assert (tau**2 - tau).subs(tau, 2) > 0
    report = check(_cites_forall(tau, None), BOXED)
    assert report.status != VERIFIED
    assert "does not box" in details(report)


def test_a_citation_for_every_tau_on_a_box_wider_than_the_cited_one_is_refused() -> None:
    # s = tau on [0, 3/2]: false at tau = 3/2 (9/4 > 3/2).
    assert (tau**2 - tau).subs(tau, sp.Rational(3, 2)) > 0
    report = check(_cites_forall(tau, {tau: (0, sp.Rational(3, 2))}), BOXED)
    assert report.status != VERIFIED


def test_a_citation_for_every_tau_whose_value_stays_in_the_cited_box_verifies() -> None:
    for value in (tau, tau**2, 1 - tau, tau / 2 + sp.Rational(1, 4)):
        report = check(_cites_forall(value, {tau: UNIT}), BOXED)
        assert report.status == VERIFIED, (value, details(report))


def test_a_boxed_claim_cited_for_every_tau_feeds_a_derivative_witness() -> None:
    # The shape of the segment argument: on tau in [0, 1], the score (1 - tau) a + tau b stays in [-m, m] when both
    # ends do (a convex combination; claim "score"), and that fact, cited for every tau of the box, is the
    # derivative witness of g(tau) = m tau - integral of the score, so g(1) >= g(0). False without the box.
    a, b, m = (sp.Symbol(n, real=True) for n in "abm")
    lo_a = Hypothesis("lo_a", a, "<=", m, "a <= m")
    lo_b = Hypothesis("lo_b", b, "<=", m, "b <= m")
    score = (1 - tau) * a + tau * b
    score_claim = one_step("score", score, "<=", m, Algebra((1 - tau) * lo_a.slack + tau * lo_b.slack),
                           hypotheses=(lo_a, lo_b))
    every = cite(score_claim, name="score_all", forall=(tau,))
    g = m * tau - sp.integrate(score, tau)
    main = one_step("main", g.subs(tau, 0), "<=", g.subs(tau, 1),
                    Monotone(g, tau, sp.S.Zero, sp.S.One, derivative_witness=every.slack), hypotheses=(lo_a, lo_b,
                                                                                                       every))
    report = check(lemma("segment_shape", score_claim, main, domain={tau: UNIT}))
    assert report.status == VERIFIED, details(report)
    # Without the box the score claim is false (a = b - 1 = m - 1 = 0, tau = 2: score 2 > 1), and nothing verifies.
    assert score.subs({a: 0, b: 1, m: 1, tau: 2}) > 1
    assert check(lemma("segment_shape_unboxed", score_claim, main)).status != VERIFIED


# ------------------------------------------------------------------------------------- sums over a boxed index

k = sp.Symbol("k", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
x, y = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)


def test_a_slack_summed_over_a_boxed_index_does_not_prove_the_sum() -> None:
    # x_k <= y_k for every k in [1, 2] (the box); sum_{k=1}^{K} x_k <= sum y_k is false at K = 3, x = (0, 0, 5),
    # y = 0, where the hypothesis holds at k = 1, 2.
    every = Hypothesis("every", x[k], "<=", y[k], "x_k <= y_k for every k of the box", forall=(k,))
    total, ceiling = sp.Sum(x[k], (k, 1, K)), sp.Sum(y[k], (k, 1, K))
    claim = one_step("main", total, "<=", ceiling, Algebra(sp.Sum(every.slack, (k, 1, K))), hypotheses=(every,))
    at = {x[1]: 0, x[2]: 0, x[3]: 5, y[1]: 0, y[2]: 0, y[3]: 0}
    assert total.subs(K, 3).doit().subs(at) > ceiling.subs(K, 3).doit().subs(at)
    report = check(lemma("boxed_index_sum", claim, domain={k: (1, 2)}))
    assert report.status != VERIFIED
    assert "box restricts k" in details(report)
    assert check(lemma("unboxed_index_sum", claim)).status == VERIFIED  # the hypothesis for every k: true


# ------------------------------------------------------------------------------------ induction on a boxed var

n = sp.Symbol("n", integer=True, nonnegative=True)
f = sp.IndexedBase("f", real=True)


def test_induction_on_a_boxed_variable_is_refused() -> None:
    # f_{n+1} >= f_n for every n in [3, 5] does not give f_n >= f_0 on [3, 5]: f = (0, -1, -2, -3, -3, -3, -3).
    rising = Hypothesis("rising", f[n + 1], ">=", f[n], "f_{n+1} >= f_n for every n of the box", forall=(n,))
    from rlhfsym.chain.rules import INDUCTION_HYPOTHESIS

    claim = one_step("main", f[n], ">=", f[0], Induction(n, INDUCTION_HYPOTHESIS + rising.slack),
                     hypotheses=(rising,))
    values = {f[i]: v for i, v in enumerate((0, -1, -2, -3, -3, -3, -3))}
    assert all(values[f[m + 1]] >= values[f[m]] for m in (3, 4, 5)) and values[f[3]] < values[f[0]]
    report = check(lemma("boxed_induction", claim, domain={n: (3, 5)}))
    assert report.status != VERIFIED
    assert "box restricts n" in details(report)
    assert check(lemma("unboxed_induction", claim)).status == VERIFIED  # for every n >= 0 it is true


def test_the_segment_lemma_verifies_with_its_box_and_not_without() -> None:
    # The chain's covariance-weighted Bregman bound rests on the box: its score claims are false for tau = 2
    # (u_a = -1, v_a = 1, M = 1: the score 3 > 1), so without the box nothing may verify.
    import dataclasses

    from rlhfsym.proofs import load_chain
    from rlhfsym.proofs.kl_le_half_exp_mul_var_ref_of_mem_icc import LEMMA

    chain = load_chain()
    lookup = {lem.name: lem for lem in chain}
    assert check_lemma(LEMMA, lookup).status == VERIFIED
    unboxed = dataclasses.replace(LEMMA, name="segment_unboxed", domain={})
    assert check_lemma(unboxed, lookup).status != VERIFIED
