"""The checker: every step of every claim is checked by the rule it names, once, here.

A lemma is ``verified`` when every step of every claim is verified, each chain ends at the stated right-hand side,
the chain's relations compose to the stated relation, and every lemma it depends on is verified. It is ``failed``
when some step is false (the report shows the step and the residual or the counterexample), and ``undecided``
otherwise (a sign or an identity sympy could not settle, or a dependency that is not verified).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction

import sympy as sp

from .decide import FAILED, UNDECIDED, VERIFIED, Verdict, decide_nonneg, decide_zero, is_nonneg, normal_forms_zero
from .rates import RateError, leading_rate
from .statement import (
    INDUCTION_HYPOTHESIS,
    Algebra,
    Box,
    Claim,
    FirstDerivativeTest,
    Hypothesis,
    Induction,
    Lemma,
    Monotone,
    Rule,
    Step,
)

__all__ = ["LemmaReport", "StepReport", "check_lemma", "check_lemmas", "compose_relations", "worst"]

_ORDER = {VERIFIED: 0, UNDECIDED: 1, FAILED: 2}


def worst(statuses: Iterable[str]) -> str:
    """The weakest of several statuses: failed < undecided < verified."""
    return max(statuses, key=_ORDER.__getitem__, default=VERIFIED)


@dataclass(frozen=True)
class StepReport:
    """The outcome of one step (or of a chain's closing check, with ``rule == "conclusion"``)."""

    claim: str
    index: int
    relation: str
    rule: str
    why: str
    status: str
    detail: str = ""
    value: str = ""


@dataclass(frozen=True)
class LemmaReport:
    """The outcome of checking one lemma."""

    name: str
    kind: str
    status: str
    steps: tuple[StepReport, ...]
    depends_on: tuple[str, ...]
    seconds: float
    scope: str = ""
    problems: tuple[str, ...] = field(default=())
    meta: Mapping[str, str] = field(default_factory=dict)
    assumptions: tuple[str, ...] = field(default=())

    @property
    def rates(self) -> dict[str, str]:
        """The leading orders the checker computed for the bound, by symbol name."""
        return {s.claim.removeprefix("rate_"): s.value for s in self.steps if s.rule == "rate"}

    @property
    def n_steps(self) -> int:
        """Number of checked steps: chain links and citations (closing checks of the chains not counted)."""
        return sum(1 for s in self.steps if s.rule != "conclusion")

    def to_json(self) -> dict:
        """The lemma's row: name, kind, status, steps, depends_on, seconds; a theorem adds its ``meta`` labels
        and ``rate_<symbol>`` for every computed rate."""
        row = {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "steps": self.n_steps,
            "depends_on": list(self.depends_on),
            "seconds": round(self.seconds, 3),
        }
        if self.kind == "theorem":
            row.update(self.meta)
            row.update({f"rate_{var}": text for var, text in self.rates.items()})
        return row


def _slack_map(hypotheses: Iterable[Hypothesis]) -> dict[sp.Symbol, sp.Expr]:
    return {h.slack: h.gap for h in hypotheses}


def _gap(rel: str, lhs: sp.Expr, rhs: sp.Expr) -> sp.Expr:
    """The quantity that ``lhs REL rhs`` says is nonnegative."""
    return rhs - lhs if rel == "<=" else lhs - rhs


def _decide_witnessed(gap: sp.Expr, witness: sp.Expr | None, hyps: tuple[Hypothesis, ...]) -> Verdict:
    """``gap >= 0``: ``gap`` equals the witness (slacks substituted) and the witness is >= 0 by assumptions."""
    if witness is None:
        return decide_nonneg(gap, [h.gap for h in hyps])
    witness = sp.sympify(witness, strict=True)
    match = decide_zero(gap - witness.xreplace(_slack_map(hyps)))
    if not match.ok:
        return Verdict(match.status, f"the witness does not equal the gap: {match.detail}")
    if is_nonneg(witness):
        return Verdict(VERIFIED)
    return Verdict(UNDECIDED, f"sympy cannot decide that the witness {sp.sstr(witness)} is >= 0")


def _in_domain(value: sp.Expr, var: sp.Symbol) -> bool:
    """Does ``value`` provably have every property that ``var``'s assumptions give it (sign, integrality, ...)?"""
    value = sp.sympify(value, strict=True)
    return all(getattr(value, f"is_{key}") is True for key, holds in var.assumptions0.items() if holds is True)


def _interval_domain(var: sp.Symbol) -> bool:
    """Is ``var``'s domain an interval of the real line (real, positive, negative, nonnegative or nonpositive)?

    Calculus rules need it: a nonnegative derivative on a punctured line or on the integers proves nothing.
    """
    if (
        var.is_real is not True
        or var.is_zero
        or any(getattr(var, f"is_{k}") for k in ("integer", "rational", "algebraic"))
    ):
        return False
    return var.is_nonzero is not True or bool(var.is_positive or var.is_negative)


def _smooth(f: sp.Expr) -> bool:
    """Is ``f`` built from arithmetic, powers, ``exp`` and ``log`` only (smooth wherever it is defined)?

    sympy differentiates ``Piecewise``, ``Abs``, ``floor``, ``Min``/``Max`` branch by branch and so misses their
    jumps and kinks; calculus rules refuse them.
    """
    return all(isinstance(atom, (sp.exp, sp.log)) for atom in sp.sympify(f, strict=True).atoms(sp.Function))


def _pointwise(hyps: tuple[Hypothesis, ...], var: sp.Symbol) -> set[sp.Symbol]:
    """Slacks of hypotheses known only at the point ``var``: assumptions that mention it without holding for
    every value of it (``forall``), and citations, whose cited assumptions may have been discharged by those."""
    local = {h.slack for h in hyps if h.by is None and var in h.gap.free_symbols and var not in h.forall}
    if local:
        local |= {h.slack for h in hyps if h.by is not None}
    return local


def _uses_pointwise(witness: sp.Expr | None, hyps: tuple[Hypothesis, ...], var: sp.Symbol) -> str:
    """Names of the point-only hypotheses whose slacks ``witness`` uses ('' if none)."""
    if witness is None:
        return ""
    local = _pointwise(hyps, var) & sp.sympify(witness, strict=True).free_symbols
    return ", ".join(h.name for h in hyps if h.slack in local)


def _interior(f: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, sp.Symbol, bool]:
    """``f`` on the open interior of ``var``'s domain, and whether ``f`` is continuous at the closed end 0.

    For a nonnegative (nonpositive) variable the derivative is read on the positive (negative) half-line; the
    mean value theorem then needs continuity at 0 only.
    """
    if var.is_positive or var.is_negative or not (var.is_nonnegative or var.is_nonpositive):
        return f, var, True
    inner = sp.Dummy(var.name, positive=True) if var.is_nonnegative else sp.Dummy(var.name, negative=True)
    side = "+" if var.is_nonnegative else "-"
    try:
        edge = sp.limit(f, var, 0, side)
    except (NotImplementedError, ValueError):
        return f.xreplace({var: inner}), inner, False
    at_zero = f.subs(var, 0)
    continuous = edge.is_finite is True and decide_zero(edge - at_zero).ok
    return f.xreplace({var: inner}), inner, continuous


def _gap_is(prev: sp.Expr, step: Step, low: sp.Expr, high: sp.Expr) -> Verdict:
    """Check that the step's gap (``rhs - prev`` for ``<=``) equals ``high - low``, which the rule shows >= 0."""
    verdict = decide_zero(_gap(step.rel, prev, step.rhs) - (high - low))
    if not verdict.ok:
        return Verdict(verdict.status, f"the step's gap is not f(hi) - f(lo): {verdict.detail}")
    return Verdict(VERIFIED)


def _ends_to_place(rule: Monotone) -> tuple[sp.Expr, ...]:
    """The ends of [lo, hi] whose membership in the domain must be shown, once lo <= hi is proved.

    A domain unbounded above (real, positive, nonnegative) holds hi as soon as it holds lo, and one unbounded
    below holds lo as soon as it holds hi; otherwise (and if the cheap end is not provable) both are checked.
    """
    upward = not (rule.var.is_negative or rule.var.is_nonpositive)
    downward = not (rule.var.is_positive or rule.var.is_nonnegative)
    if upward and _in_domain(rule.lo, rule.var):
        return ()
    if downward and _in_domain(rule.hi, rule.var):
        return ()
    return (rule.lo, rule.hi)


def _check_monotone(prev: sp.Expr, step: Step, rule: Monotone, hyps: tuple[Hypothesis, ...]) -> Verdict:
    if step.rel == "==":
        return Verdict(FAILED, "a monotonicity step proves an inequality, not an equality")
    if not _interval_domain(rule.var):
        return Verdict(UNDECIDED, f"the domain of {rule.var} is not an interval of the real line")
    if not _smooth(rule.f):
        return Verdict(UNDECIDED, "f must be built from arithmetic, powers, exp and log for a calculus rule")
    names = _uses_pointwise(rule.derivative_witness, hyps, rule.var)
    if names:
        return Verdict(UNDECIDED, f"the derivative witness uses {names}, known only at one value of {rule.var}")
    ends = _gap_is(prev, step, rule.f.subs(rule.var, rule.lo), rule.f.subs(rule.var, rule.hi))
    if not ends.ok:
        return ends
    order = _decide_witnessed(rule.hi - rule.lo, rule.gap_witness, hyps)
    if not order.ok:
        return Verdict(order.status, f"hi - lo >= 0: {order.detail}")
    for bound in _ends_to_place(rule):
        if not _in_domain(bound, rule.var):
            return Verdict(UNDECIDED, f"cannot show that {sp.sstr(bound)} lies in the domain of {rule.var}")
    slope = _decide_witnessed(sp.diff(rule.f, rule.var), rule.derivative_witness, hyps)
    if slope.status == UNDECIDED:
        slope = _interior_slope(rule, hyps)
    if not slope.ok:
        return Verdict(slope.status, f"d/d{rule.var} >= 0: {slope.detail}")
    return Verdict(VERIFIED)


def _interior_slope(rule: Monotone, hyps: tuple[Hypothesis, ...]) -> Verdict:
    """The derivative's sign on the open interior of a closed domain, with continuity of f at its end 0."""
    f, var, continuous = _interior(rule.f, rule.var)
    if var is rule.var:
        return Verdict(UNDECIDED, "no interior to fall back to")
    if not continuous:
        return Verdict(UNDECIDED, f"cannot show that f is continuous at the end 0 of the domain of {rule.var}")
    witness = rule.derivative_witness
    witness = None if witness is None else sp.sympify(witness, strict=True).xreplace({rule.var: var})
    return _decide_witnessed(sp.diff(f, var), witness, tuple(_on_interior(h, rule.var, var) for h in hyps))


def _on_interior(h: Hypothesis, var: sp.Symbol, inner: sp.Symbol) -> Hypothesis:
    """``h`` read with ``var`` renamed to its interior variable (same slack)."""
    if inner is var or var not in h.gap.free_symbols:
        return h
    moved = Hypothesis(
        h.name, h.lhs.xreplace({var: inner}), h.rel, h.rhs.xreplace({var: inner}), h.text, h.by, h.instance, h.forall
    )
    object.__setattr__(moved, "slack", h.slack)
    return moved


def _check_induction(prev: sp.Expr, step: Step, rule: Induction, hyps: tuple[Hypothesis, ...]) -> Verdict:
    if step.rel == "==":
        return Verdict(FAILED, "an induction step proves an inequality here, not an equality")
    var = rule.var
    if not (var.is_integer and var.is_nonnegative):
        return Verdict(UNDECIDED, f"induction needs a nonnegative integer variable, {var} is not one")
    names = _uses_pointwise(rule.step_witness, hyps, var)
    if names:
        return Verdict(UNDECIDED, f"the induction step uses {names}, known only at one value of {var}")
    gap = _gap(step.rel, prev, step.rhs)
    base = _decide_witnessed(gap.subs(var, 0), rule.base_witness, hyps)
    if not base.ok:
        return Verdict(base.status, f"base case {var} = 0: {base.detail}")
    witness = sp.sympify(rule.step_witness, strict=True)
    filled = witness.xreplace({**_slack_map(hyps), INDUCTION_HYPOTHESIS: gap})
    match = decide_zero(gap.subs(var, var + 1) - filled)
    if not match.ok:
        return Verdict(match.status, f"the gap at {var} + 1 is not the step witness: {match.detail}")
    if not is_nonneg(witness):
        return Verdict(UNDECIDED, f"sympy cannot decide that the step witness {sp.sstr(witness)} is >= 0")
    return Verdict(VERIFIED)


def _check_first_derivative(prev: sp.Expr, step: Step, rule: FirstDerivativeTest) -> Verdict:
    if step.rel == "==":
        return Verdict(FAILED, "a first-derivative test proves an inequality, not an equality")
    if not _interval_domain(rule.var):
        return Verdict(UNDECIDED, f"the domain of {rule.var} is not an interval of the real line")
    if not _smooth(rule.f):
        return Verdict(UNDECIDED, "f must be built from arithmetic, powers, exp and log for a calculus rule")
    if not _in_domain(rule.c, rule.var):
        return Verdict(UNDECIDED, f"cannot show that {sp.sstr(rule.c)} lies in the domain of {rule.var}")
    ends = _gap_is(prev, step, rule.f.subs(rule.var, rule.c), rule.f)
    if not ends.ok:
        return ends
    if is_nonneg(sp.diff(rule.f, rule.var) * (rule.var - rule.c)):
        return Verdict(VERIFIED)
    return Verdict(UNDECIDED, f"sympy cannot decide the sign of f'({rule.var})*({rule.var} - {rule.c})")


Domain = Mapping[sp.Symbol, tuple]


def _check_box(prev: sp.Expr, step: Step, domain: Domain, max_boxes: int = 20_000) -> Verdict:
    """``prev REL rhs`` on every point of ``domain`` by interval arithmetic with subdivision."""
    if step.rel == "==":
        return Verdict(FAILED, "a box proves an inequality, not an equality")
    small, large = (prev, step.rhs) if step.rel == "<=" else (step.rhs, prev)
    symbols = (small - large).free_symbols
    missing = sorted(str(s) for s in symbols if s not in domain)
    if missing:
        return Verdict(UNDECIDED, f"no box: the lemma declares no range for {', '.join(missing)}")
    from rlhfsym.errors import RlhfsymError
    from rlhfsym.interval import prove_le

    box = {
        s: (Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q)))
        for s, (lo, hi) in domain.items()
        if s in symbols
    }
    try:
        result = prove_le(small, large, box, max_boxes=max_boxes)
    except RlhfsymError as err:  # an operation outside the interval whitelist, a range outside a symbol's sign
        return Verdict(UNDECIDED, f"interval arithmetic cannot check the step on the box: {err}")
    where = ", ".join(f"{s} in [{lo}, {hi}]" for s, (lo, hi) in sorted(box.items(), key=lambda kv: str(kv[0])))
    if result.status == "proved":
        return Verdict(VERIFIED, f"proved on the box {where} by interval subdivision ({result.boxes} boxes)")
    if result.status == "refuted":
        point = ", ".join(f"{s}={v}" for s, v in sorted(result.counterexample.items(), key=lambda kv: str(kv[0])))
        return Verdict(FAILED, f"refuted on the box at {point} (certified)")
    return Verdict(UNDECIDED, f"box {where}: undecided after {result.boxes} boxes ({result.detail})")


def check_step(prev: sp.Expr, step: Step, hyps: tuple[Hypothesis, ...], domain: Domain | None = None) -> Verdict:
    """Check ``prev REL step.rhs`` by ``step.rule``; an inequality sympy leaves undecided is tried on ``domain``."""
    rule: Rule = step.rule
    if isinstance(rule, Box):
        return _check_box(prev, step, domain or {}, rule.max_boxes)
    if isinstance(rule, Algebra):
        if step.rel == "==":
            if rule.witness is not None:
                return Verdict(FAILED, "a witness justifies an inequality, not an equality")
            return decide_zero(prev - step.rhs)
        verdict = _decide_witnessed(_gap(step.rel, prev, step.rhs), rule.witness, hyps)
        if verdict.status == UNDECIDED and domain and rule.witness is None:
            boxed = _check_box(prev, step, domain)
            if boxed.status != UNDECIDED:
                return boxed
        return verdict
    if isinstance(rule, Monotone):
        return _check_monotone(prev, step, rule, hyps)
    if isinstance(rule, FirstDerivativeTest):
        return _check_first_derivative(prev, step, rule)
    if isinstance(rule, Induction):
        return _check_induction(prev, step, rule, hyps)
    return Verdict(FAILED, f"unknown rule {type(rule).__name__}")


def compose_relations(rels: Iterable[str]) -> str | None:
    """The relation a chain proves: ``==`` if all are ``==``, else the one direction used; None if mixed."""
    strict = {r for r in rels if r != "=="}
    if not strict:
        return "=="
    return strict.pop() if len(strict) == 1 else None


def _relation_text(lhs: sp.Expr, rel: str, rhs: sp.Expr, limit: int = 160) -> str:
    text = f"{sp.sstr(lhs)} {rel} {sp.sstr(rhs)}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _conclusion(claim: Claim, last: sp.Expr) -> Verdict:
    """The chain ends at the stated rhs and its relations compose to the stated relation."""
    derived = compose_relations(s.rel for s in claim.steps)
    if derived is None:
        return Verdict(FAILED, "the chain mixes <= and >=, so it proves no relation")
    if derived != "==" and derived != claim.rel:
        return Verdict(FAILED, f"the chain proves {derived}, the claim states {claim.rel}")
    if last != claim.rhs:
        end = decide_zero(last - claim.rhs)
        if not end.ok:
            return Verdict(end.status, f"the chain ends at {sp.sstr(last)}, not at the stated rhs: {end.detail}")
    return Verdict(VERIFIED)


def _discharged(target: sp.Expr, hyps: tuple[Hypothesis, ...]) -> bool:
    """Is ``target >= 0`` one of ``hyps`` (the same gap, structurally or up to a normal form)?"""
    return any(h.gap == target for h in hyps) or any(normal_forms_zero(h.gap - target)[0] for h in hyps)


def _check_citation(h: Hypothesis, cited: Lemma, claim: Claim | None, hyps: tuple[Hypothesis, ...]) -> Verdict:
    """``h`` is the cited claim with ``h.instance`` substituted, in the symbols' domains, hypotheses discharged."""
    if claim is None:
        return Verdict(FAILED, f"{cited.name} has no claim {h.cited_claim!r} (before this one)")
    if claim.rel == "==":
        return Verdict(FAILED, f"{h.by} is an equality; cite inequalities only")
    for symbol, value in h.instance.items():
        if not _in_domain(value, symbol):
            return Verdict(UNDECIDED, f"cannot show that {sp.sstr(value)} lies in the domain of {symbol}")
    match = decide_zero(h.gap - claim.gap.xreplace(dict(h.instance)))
    if not match.ok:
        return Verdict(match.status, f"not an instance of {h.by}: {match.detail}")
    others = tuple(x for x in hyps if x is not h)
    for needed in (*cited.hypotheses, *claim.hypotheses):
        # A variable the needed hypothesis quantifies over (forall) is bound there: the instance leaves it alone.
        free = {k: v for k, v in h.instance.items() if k not in needed.forall}
        if needed.by is None and not _discharged(needed.gap.xreplace(free), others):
            return Verdict(FAILED, f"hypothesis {needed.name} of {h.by} is not discharged here")
    return Verdict(VERIFIED)


def _citation_reports(
    lemma: Lemma, claim: Claim, hyps: tuple[Hypothesis, ...], lookup: Mapping[str, Lemma]
) -> list[StepReport]:
    reports = []
    for h in claim.hypotheses + lemma.hypotheses:
        if h.by is None:
            continue
        cited = lemma if h.cited_lemma == "" else lookup.get(h.cited_lemma)
        if cited is None:
            verdict = Verdict(UNDECIDED, f"{h.cited_lemma} is not available to the checker")
        else:
            pool = cited.claims[: cited.claims.index(claim)] if cited is lemma else cited.claims
            target = next((c for c in pool if c.label == h.cited_claim), None)
            verdict = _check_citation(h, cited, target, hyps)
        text = _relation_text(h.lhs, h.rel, h.rhs)
        reports.append(StepReport(claim.label, 0, text, "citation", f"by {h.by}", verdict.status, verdict.detail))
    return reports


def check_claim(
    claim: Claim, hyps: tuple[Hypothesis, ...], lemma: Lemma | None = None, lookup: Mapping[str, Lemma] | None = None
) -> list[StepReport]:
    """Check the claim's citations, every step of its chain, then the chain's conclusion."""
    hyps = hyps + claim.hypotheses
    reports = _citation_reports(lemma, claim, hyps, lookup or {}) if lemma is not None else []
    prev = claim.lhs
    domain = lemma.domain if lemma is not None else None
    for i, step in enumerate(claim.steps, start=1):
        verdict = check_step(prev, step, hyps, domain)
        relation = _relation_text(prev, step.rel, step.rhs)
        reports.append(StepReport(claim.label, i, relation, step.rule.label, step.why, verdict.status, verdict.detail))
        prev = step.rhs
    verdict = _conclusion(claim, prev)
    relation = _relation_text(claim.lhs, claim.rel, claim.rhs)
    closing = StepReport(claim.label, 0, relation, "conclusion", "the chain composes", verdict.status, verdict.detail)
    reports.append(closing)
    return reports


def _bound_reports(lemma: Lemma) -> list[StepReport]:
    """The stated bound is the rhs of the claim ``main``; each stated rate is the computed leading order."""
    main = next(c for c in lemma.claims if c.label == "main")
    same = decide_zero(lemma.bound - main.rhs)
    reports = [
        StepReport(
            "bound",
            0,
            f"bound = {sp.sstr(lemma.bound)}"[:160],
            "bound",
            "the bound is main's rhs",
            same.status,
            same.detail,
        )
    ]
    names = {value: name for name, value in lemma.constants.items()}
    symbols = {s.name: s for s in lemma.bound.free_symbols}
    for var_name, stated in lemma.rates.items():
        reports.append(_rate_report(lemma.bound, symbols.get(var_name), var_name, stated, names))
    return reports


def _rate_report(bound: sp.Expr, var: sp.Symbol | None, name: str, stated: str, names: dict) -> StepReport:
    label = f"rate_{name}"
    if var is None:
        computed = f"{name}^0"
        status = VERIFIED if computed == stated else FAILED
        detail = "" if status == VERIFIED else f"the bound does not depend on {name}; stated {stated}"
        return StepReport(label, 0, f"rate in {name}: {computed}", "rate", f"stated {stated}", status, detail, computed)
    try:
        computed = leading_rate(bound, var, names).text
    except RateError as err:
        return StepReport(label, 0, f"rate in {name}", "rate", "", UNDECIDED, str(err))
    status = VERIFIED if computed == stated else FAILED
    detail = "" if status == VERIFIED else f"computed {computed}, stated {stated}"
    return StepReport(label, 0, f"rate in {name}: {computed}", "rate", f"stated {stated}", status, detail, computed)


def _check_claim_timed(lemma: Lemma, index: int, lookup: Mapping[str, Lemma]) -> tuple[list[StepReport], float]:
    """Check claim ``index`` of ``lemma``; index ``len(claims)`` stands for the bound and rate checks."""
    start = time.perf_counter()
    if index == len(lemma.claims):
        steps = _bound_reports(lemma)
    else:
        steps = check_claim(lemma.claims[index], lemma.hypotheses, lemma, lookup)
    return steps, time.perf_counter() - start


def _n_tasks(lemma: Lemma) -> int:
    return len(lemma.claims) + (lemma.bound is not None)


def _assemble(lemma: Lemma, results: Iterable[tuple[list[StepReport], float]]) -> LemmaReport:
    """A lemma's report from the results of its claims (in claim order)."""
    steps: list[StepReport] = []
    seconds = 0.0
    for claim_steps, claim_seconds in results:
        steps.extend(claim_steps)
        seconds += claim_seconds
    status = worst(s.status for s in steps)
    return LemmaReport(
        lemma.name,
        lemma.kind,
        status,
        tuple(steps),
        lemma.depends_on,
        seconds,
        lemma.scope,
        meta=dict(lemma.meta),
        assumptions=_assumptions(lemma),
    )


def _assumptions(lemma: Lemma) -> tuple[str, ...]:
    """Every hypothesis taken as given (not a citation), once, as ``name: relation -- reason``."""
    seen: dict[str, str] = {}
    for h in lemma.all_hypotheses():
        if h.by is None and h.name not in seen:
            reason = f" -- {h.text}" if h.text else ""
            seen[h.name] = f"{h.name}: {_relation_text(h.lhs, h.rel, h.rhs, 100)}{reason}"
    return tuple(seen.values())


def _check_own(lemma: Lemma, lookup: Mapping[str, Lemma]) -> LemmaReport:
    """Check the lemma's own claims and citations, ignoring the status of its dependencies."""
    return _assemble(lemma, (_check_claim_timed(lemma, i, lookup) for i in range(_n_tasks(lemma))))


def _with_dependencies(report: LemmaReport, dependency_status: Mapping[str, str]) -> LemmaReport:
    """A dependency that is not verified makes the lemma at best undecided, and says so."""
    problems = tuple(
        f"depends on {dep}, which is {dependency_status.get(dep) or 'unknown'}"
        for dep in report.depends_on
        if dependency_status.get(dep) != VERIFIED
    )
    if not problems:
        return report
    return replace(report, status=worst([report.status, UNDECIDED]), problems=problems)


def check_lemma(
    lemma: Lemma, dependency_status: Mapping[str, str] | None = None, lookup: Mapping[str, Lemma] | None = None
) -> LemmaReport:
    """Check all claims of ``lemma``; a dependency that is not verified makes the lemma at best undecided.

    ``lookup`` maps names to the lemmas that citations point to.
    """
    return _with_dependencies(_check_own(lemma, lookup or {}), dependency_status or {})


# Work shared with forked worker processes (set just before the pool forks, cleared after).
_SHARED: dict[str, object] = {}


def _check_shared(task: tuple[int, int]) -> tuple[list[StepReport], float]:
    lemmas = _SHARED["lemmas"]
    return _check_claim_timed(lemmas[task[0]], task[1], _SHARED["lookup"])  # type: ignore[index]


def _check_all_own(lemmas: list[Lemma], lookup: Mapping[str, Lemma], jobs: int) -> list[LemmaReport]:
    """Every lemma's own report; with ``jobs > 1`` the claims are spread over forked worker processes."""
    tasks = [(i, j) for i, lemma in enumerate(lemmas) for j in range(_n_tasks(lemma))]
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_check_own(lemma, lookup) for lemma in lemmas]
    _SHARED.update(lemmas=lemmas, lookup=lookup)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = dict(zip(tasks, pool.map(_check_shared, tasks), strict=True))
    finally:
        _SHARED.clear()
    return [_assemble(lemma, (results[(i, j)] for j in range(_n_tasks(lemma)))) for i, lemma in enumerate(lemmas)]


def check_lemmas(lemmas: Iterable[Lemma], jobs: int = 1) -> list[LemmaReport]:
    """Check lemmas given in dependency order (dependencies first), passing each one's status on.

    With ``jobs > 1`` the lemmas' own proofs are checked in that many forked processes (where the platform can
    fork); the reports are identical to a serial run but for the timings.
    """
    lemmas = list(lemmas)
    lookup = {lemma.name: lemma for lemma in lemmas}
    reports: list[LemmaReport] = []
    status: dict[str, str] = {}
    for own in _check_all_own(lemmas, lookup, jobs):
        report = _with_dependencies(own, status)
        status[report.name] = report.status
        reports.append(report)
    return reports
