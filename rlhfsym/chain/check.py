"""The checker: every step of every claim is checked by the rule it names, once, here.

A lemma is ``verified`` when every step of every claim is verified, each chain ends at the stated right-hand side,
the chain's relations compose to the stated relation, and every lemma it depends on is verified. It is ``failed``
when some step is false (the report shows the step and the residual or the counterexample), and ``undecided``
otherwise (a sign or an identity sympy could not settle, or a dependency that is not verified).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import sympy as sp

from .citations import check_citation
from .decide import EXTERNAL, FAILED, UNDECIDED, VERIFIED, Verdict, decide_zero
from .rates import RateError, leading_rate
from .registry import RegistryError, rests_on
from .rules import Algebra, StepContext, StepKind, box_verdict
from .statement import Claim, Hypothesis, Lemma, Step

__all__ = [
    "SOUND",
    "LemmaReport",
    "StepReport",
    "check_lemma",
    "check_lemmas",
    "check_step",
    "compose_relations",
    "trusted_externals",
    "worst",
]

_ORDER = {VERIFIED: 0, EXTERNAL: 0, UNDECIDED: 1, FAILED: 2}
#: Statuses a dependency may have for its users to stay verified.
SOUND = (VERIFIED, EXTERNAL)


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
    kind: StepKind = StepKind.LINK

    def to_json(self) -> dict:
        """``{claim, index, kind, relation, rule, why, status, detail, value}``."""
        return {"claim": self.claim, "index": self.index, "kind": self.kind.value, "relation": self.relation,
                "rule": self.rule, "why": self.why, "status": self.status, "detail": self.detail,
                "value": self.value}  # fmt: skip


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
    domain: tuple[str, ...] = field(default=())
    #: The external facts the lemma rests on, through every citation (transitively), by name.
    external: tuple[str, ...] = field(default=())
    #: The lemma's own hypotheses of kind "asserted" (a theorem's: conditions a user must guarantee).
    asserted: tuple[str, ...] = field(default=())
    #: The lemma's own hypotheses of kind "parameter" (certified on the parameters before a bound is printed).
    conditions: tuple[str, ...] = field(default=())
    #: Hypotheses that are neither a citation nor of a declared kind (prose).
    unclassified: tuple[str, ...] = field(default=())

    @property
    def rates(self) -> dict[str, str]:
        """The leading orders the checker computed for the bound, by symbol name."""
        return {s.claim.removeprefix("rate_"): s.value for s in self.steps if s.kind is StepKind.RATE}

    @property
    def n_steps(self) -> int:
        """Number of checked steps: chain links and citations (closing checks of the chains not counted)."""
        return sum(1 for s in self.steps if s.kind is not StepKind.CONCLUSION)

    def to_json(self, steps: bool = False) -> dict:
        """The lemma's row: name, kind, status, steps, depends_on, seconds; a theorem adds its ``meta`` labels
        and ``rate_<symbol>`` for every computed rate; with ``steps``, ``step_reports`` lists every step, and
        ``assumptions`` and ``problems`` are given."""
        row = {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "steps": self.n_steps,
            "depends_on": list(self.depends_on),
            "seconds": round(self.seconds, 3),
        }
        if self.domain:
            row["domain"] = list(self.domain)
        if self.kind != "external":
            row["trusted_base"] = {"external": list(self.external), "asserted": list(self.asserted)}
        if self.kind == "theorem":
            row.update(self.meta)
            row.update({f"rate_{var}": text for var, text in self.rates.items()})
        if steps:
            row["scope"] = self.scope
            row["assumptions"] = list(self.assumptions)
            row["problems"] = list(self.problems)
            row["step_reports"] = [step.to_json() for step in self.steps]
        return row


Domain = Mapping[sp.Symbol, tuple]
#: The box budget of the fallback that tries an Algebra inequality sympy leaves undecided on the lemma's domain.
FALLBACK_BOXES = 20_000


def check_step(prev: sp.Expr, step: Step, hyps: tuple[Hypothesis, ...], domain: Domain | None = None) -> Verdict:
    """Check ``prev REL step.rhs`` by ``step.rule``; an inequality sympy leaves undecided (an Algebra step without a
    witness) is tried on the lemma's ``domain`` box. A rule that runs out of memory, recursion depth or range is
    ``undecided`` with the reason, never an exception."""
    context = StepContext(prev, step.rel, step.rhs, hyps, domain or {})
    try:
        verdict = step.rule.check(context)
        if (
            verdict.status == UNDECIDED
            and isinstance(step.rule, Algebra)
            and step.rule.witness is None
            and step.rel != "=="
            and context.domain
        ):
            boxed = box_verdict(context, FALLBACK_BOXES)
            if boxed.status != UNDECIDED:
                return boxed
        return verdict
    except (MemoryError, RecursionError, OverflowError) as err:
        return Verdict(UNDECIDED, f"the {step.rule.label} check ran out of resources ({type(err).__name__})")


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
            # A citation is discharged by assumptions, or by citations listed before it: never by itself or by one
            # that it discharges in turn (two citations discharging each other would rest on nothing).
            position = hyps.index(h)
            others = tuple(x for i, x in enumerate(hyps) if x is not h and (x.by is None or i < position))
            try:
                verdict = check_citation(h, cited, target, others, lemma.domain, lookup)
            except (MemoryError, RecursionError, OverflowError) as err:
                verdict = Verdict(UNDECIDED, f"the citation check ran out of resources ({type(err).__name__})")
        text = _relation_text(h.lhs, h.rel, h.rhs)
        reports.append(
            StepReport(claim.label, 0, text, StepKind.CITATION.value, f"by {h.by}", verdict.status, verdict.detail,
                       kind=StepKind.CITATION)
        )
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
    closing = StepReport(claim.label, 0, relation, StepKind.CONCLUSION.value, "the chain composes", verdict.status,
                         verdict.detail, kind=StepKind.CONCLUSION)
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
            StepKind.BOUND.value,
            "the bound is main's rhs",
            same.status,
            same.detail,
            kind=StepKind.BOUND,
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
        return StepReport(label, 0, f"rate in {name}: {computed}", "rate", f"stated {stated}", status, detail, computed,
                          StepKind.RATE)
    try:
        computed = leading_rate(bound, var, names).text
    except RateError as err:
        return StepReport(label, 0, f"rate in {name}", "rate", "", UNDECIDED, str(err), kind=StepKind.RATE)
    status = VERIFIED if computed == stated else FAILED
    detail = "" if status == VERIFIED else f"computed {computed}, stated {stated}"
    return StepReport(label, 0, f"rate in {name}: {computed}", "rate", f"stated {stated}", status, detail, computed,
                      StepKind.RATE)


def _check_claim_timed(lemma: Lemma, index: int, lookup: Mapping[str, Lemma]) -> tuple[list[StepReport], float]:
    """Check claim ``index`` of ``lemma``; index ``len(claims)`` stands for the bound and rate checks."""
    start = time.perf_counter()
    if index == len(lemma.claims):
        steps = _bound_reports(lemma)
    else:
        steps = check_claim(lemma.claims[index], lemma.hypotheses, lemma, lookup)
    return steps, time.perf_counter() - start


def _n_tasks(lemma: Lemma) -> int:
    return 0 if lemma.kind == "external" else len(lemma.claims) + (lemma.bound is not None)


def _external_reports(lemma: Lemma) -> list[StepReport]:
    """An external fact's claims, each reported as taken on trust (never as verified)."""
    return [
        StepReport(c.label, 0, _relation_text(c.lhs, c.rel, c.rhs), StepKind.EXTERNAL.value, lemma.source, EXTERNAL,
                   kind=StepKind.EXTERNAL)
        for c in lemma.claims
    ]


def _assemble(lemma: Lemma, results: Iterable[tuple[list[StepReport], float]]) -> LemmaReport:
    """A lemma's report from the results of its claims (in claim order)."""
    steps: list[StepReport] = [] if lemma.kind != "external" else _external_reports(lemma)
    seconds = 0.0
    for claim_steps, claim_seconds in results:
        steps.extend(claim_steps)
        seconds += claim_seconds
    status = EXTERNAL if lemma.kind == "external" else worst(s.status for s in steps)
    own = {h.name: h for h in lemma.all_hypotheses() if h.by is None}
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
        domain=tuple(f"{s} in [{lo}, {hi}]" for s, (lo, hi) in sorted(lemma.domain.items(), key=lambda kv: str(kv[0]))),
        asserted=tuple(name for name, h in own.items() if h.kind == "asserted"),
        conditions=tuple(name for name, h in own.items() if h.kind == "parameter"),
        unclassified=tuple(name for name, h in own.items() if h.kind is None and lemma.kind != "external"),
    )


def _assumptions(lemma: Lemma) -> tuple[str, ...]:
    """Every hypothesis taken as given (not a citation), once, as ``name [kind]: relation -- reason``."""
    seen: dict[str, str] = {}
    for h in lemma.all_hypotheses():
        if h.by is None and h.name not in seen:
            reason = f" -- {h.text}" if h.text else ""
            kind = f" [{h.kind}]" if h.kind else ""
            seen[h.name] = f"{h.name}{kind}: {_relation_text(h.lhs, h.rel, h.rhs, 100)}{reason}"
    return tuple(seen.values())


def _check_own(lemma: Lemma, lookup: Mapping[str, Lemma]) -> LemmaReport:
    """Check the lemma's own claims and citations, ignoring the status of its dependencies."""
    return _assemble(lemma, (_check_claim_timed(lemma, i, lookup) for i in range(_n_tasks(lemma))))


def _with_dependencies(report: LemmaReport, dependency_status: Mapping[str, str]) -> LemmaReport:
    """A dependency that is not verified makes the lemma at best undecided, and says so."""
    problems = tuple(
        f"depends on {dep}, which is {dependency_status.get(dep) or 'unknown'}"
        for dep in report.depends_on
        if dependency_status.get(dep) not in SOUND
    )
    if not problems:
        return report
    return replace(report, status=worst([report.status, UNDECIDED]), problems=problems)


def _closure(lemma: Lemma, lookup: Mapping[str, Lemma]) -> list[Lemma]:
    """``lemma`` and every lemma of ``lookup`` it depends on, transitively, dependencies first."""
    done: dict[str, Lemma] = {}
    visiting: list[str] = []

    def visit(item: Lemma) -> None:
        if item.name in done:
            return
        if item.name in visiting:
            raise RegistryError(f"dependency cycle: {' -> '.join([*visiting, item.name])}")
        visiting.append(item.name)
        for dep in item.depends_on:
            if dep in lookup:
                visit(lookup[dep])
        visiting.pop()
        done[item.name] = item

    visit(lemma)
    return list(done.values())


def _validated_lookup(lookup: Mapping[str, Lemma] | None) -> dict[str, Lemma]:
    """``lookup`` as a dict, refused unless every value is a Lemma registered under its own name."""
    lookup = dict(lookup or {})
    for key, value in lookup.items():
        if not isinstance(value, Lemma):
            raise TypeError(f"lookup[{key!r}] must be a Lemma, got {type(value).__name__}")
        if value.name != key:
            raise RegistryError(f"lookup key {key!r} holds the lemma {value.name!r}: a citation would check one and "
                                "report the other")
    return lookup


def check_lemma(lemma: Lemma, lookup: Mapping[str, Lemma] | None = None, jobs: int = 1) -> LemmaReport:
    """Check ``lemma`` together with every lemma of ``lookup`` it depends on (each checked here, never taken on
    trust); a dependency missing from ``lookup`` or not verified makes the lemma at best undecided."""
    lookup = _validated_lookup(lookup)
    if lemma.name in lookup and lookup[lemma.name] is not lemma:
        raise RegistryError(f"two different lemmas are called {lemma.name}")
    lookup[lemma.name] = lemma
    return check_lemmas(_closure(lemma, lookup), jobs=jobs)[-1]


# Work shared with forked worker processes (set just before the pool forks, cleared after).
_SHARED: dict[str, object] = {}


def _check_shared(task: tuple[int, int]) -> tuple[list[StepReport], float]:
    lemmas = _SHARED["lemmas"]
    return _check_claim_timed(lemmas[task[0]], task[1], _SHARED["lookup"])  # type: ignore[index]


def _iter_own(lemmas: list[Lemma], lookup: Mapping[str, Lemma], jobs: int) -> Iterator[LemmaReport]:
    """Every lemma's own report, in the order given, each as soon as its claims are checked; with ``jobs > 1`` the
    claims are spread over forked worker processes (results come back in order as they finish)."""
    tasks = [(i, j) for i, lemma in enumerate(lemmas) for j in range(_n_tasks(lemma))]
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for lemma in lemmas:
            yield _check_own(lemma, lookup)
        return
    _SHARED.update(lemmas=lemmas, lookup=lookup)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = pool.map(_check_shared, tasks)
            for lemma in lemmas:
                yield _assemble(lemma, [next(results) for _ in range(_n_tasks(lemma))])
    finally:
        _SHARED.clear()


def iter_check_lemmas(lemmas: Iterable[Lemma], jobs: int = 1) -> Iterator[LemmaReport]:
    """:func:`check_lemmas`, one report at a time in the order given, each as soon as it is known (a progress
    display or a streamed table reads them as they come)."""
    lemmas = list(lemmas)
    for item in lemmas:
        if not isinstance(item, Lemma):
            raise TypeError(f"check_lemmas takes Lemma objects, got {type(item).__name__}")
    names = [lemma.name for lemma in lemmas]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise RegistryError(f"two lemmas are called {', '.join(twice)}: a citation would check one and report the "
                            "other")
    lookup = {lemma.name: lemma for lemma in lemmas}
    status: dict[str, str] = {}
    bases: dict[str, frozenset[str]] = {}
    for own in _iter_own(lemmas, lookup, jobs):
        report = _with_dependencies(own, status)
        base = trusted_externals(lookup[report.name], lookup, bases)
        report = replace(report, external=tuple(sorted(base)))
        status[report.name] = report.status
        yield report


def check_lemmas(lemmas: Iterable[Lemma], jobs: int = 1) -> list[LemmaReport]:
    """Check lemmas given in dependency order (dependencies first), passing each one's status on.

    With ``jobs > 1`` the lemmas' own proofs are checked in that many forked processes (where the platform can
    fork); the reports are identical to a serial run but for the timings.
    """
    return list(iter_check_lemmas(lemmas, jobs))


def trusted_externals(
    lemma: Lemma, lookup: Mapping[str, Lemma], known: dict[str, frozenset[str]] | None = None
) -> frozenset[str]:
    """The external facts ``lemma`` rests on: those it cites, and those every lemma it cites rests on (Lean's
    ``#print axioms``). An external fact rests on itself."""
    return frozenset(name for name in rests_on(lemma, lookup, known)
                     if (lookup.get(name) or lemma).kind == "external")  # fmt: skip
