"""Citations: a hypothesis ``by="lemma#claim"`` is that claim, instantiated, with its own hypotheses discharged.

**Soundness argument.** A verified claim C holds at every point of its symbols' domains (their assumptions and its
lemma's ``domain`` box) where its hypotheses hold and its sides are defined. A citing hypothesis H with the
substitution sigma (``instance``) therefore holds at every point of the citing claim where

1. H is C under sigma: ``H.gap`` is ``sigma(C.gap)`` (the same tree, or an identity of normal forms between trees
   that are both defined everywhere, so that one is defined where the other is);
2. each ``sigma(s)`` is a value ``s`` takes: every assumption of ``s`` is proved of ``sigma(s)``, and if C's lemma
   boxes ``s`` in ``[lo, hi]``, ``sigma(s)`` is certified inside it at every point of the citing lemma's box (for
   a citation stated ``forall`` a variable, every variable it moves ``sigma(s)`` by is boxed by the citing lemma,
   and the enclosure over the box covers every value of it);
3. sigma only renames free symbols of C (keys are symbols of C that no hypothesis of C binds with ``forall``; the
   values do not capture a bound variable);
4. every hypothesis of C (under sigma) holds there: it is a hypothesis of the citing claim (the same tree, or an
   identity between trees defined everywhere) that holds at least as universally -- a hypothesis of C stated
   ``forall`` a variable, or a citing hypothesis stated ``forall`` one, needs a discharger stated ``forall`` it too
   -- and that is an assumption or a citation listed *before* the citing one (so that discharges are well founded:
   two citations may not discharge each other). In a lemma whose box restricts ``v`` to ``[a, b]``, ``forall v``
   means every ``v`` in ``[a, b]``: a discharger stated ``forall v`` must range over at least the range the cited
   hypothesis binds ``v`` over (:func:`covers_range`);
5. sigma moves no symbol that an external definition C rests on defines (:mod:`~.definitions`): a definition is true of
   the parameter it defines, not of every value -- unless the citing claim states that definition at the moved
   values as a hypothesis listed before the citation (the definition is then a premise there, not a trust).

:func:`check_citation` checks 1-5 and answers a :class:`~.decide.Verdict`; :func:`undischarged` is the check 4 that
:class:`~.compose.Derivation` runs when a bound is built, so a missing hypothesis is an error at import time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import sympy as sp

from ..errors import RlhfsymError
from ..interval import Decision, enclose
from .decide import FAILED, UNDECIDED, VERIFIED, Verdict, decide_zero, is_nonneg, normal_forms_zero
from .definitions import definition_problem
from .domains import admits, unproved_condition
from .rules import INDUCTION_HYPOTHESIS
from .statement import Claim, Hypothesis, Lemma

__all__ = [
    "SOUNDNESS",
    "apply_instance",
    "check_citation",
    "discharger",
    "needed_hypotheses",
    "same_gap",
    "undischarged",
]

Box = Mapping[sp.Symbol, tuple[sp.Rational, sp.Rational]]

#: The argument in one line (docs/engine.md prints it beside the rules').
SOUNDNESS = (
    "the hypothesis is the claim under the instance; each value is admitted by its symbol (assumptions, and the "
    "cited lemma's box, at every point of the citing box); the instance renames free symbols only; every "
    "hypothesis of the claim is a hypothesis here, at least as universal (forall v over at least the cited range "
    "of v: a lemma's box restricts its forall too)"
)


def apply_instance(expr: sp.Expr, instance: Mapping[sp.Basic, sp.Expr]) -> sp.Expr:
    """``expr`` with the instance substituted: a symbol by its value; an indexed family (``IndexedBase`` key) entry by
    entry, by another family (``q``: ``p[i] -> q[i]``) or by a ``Lambda`` of the index (``p[i] -> f(i)``)."""
    symbols = {k: v for k, v in instance.items() if not isinstance(k, sp.IndexedBase)}
    families = {k: v for k, v in instance.items() if isinstance(k, sp.IndexedBase)}
    out = expr.xreplace(symbols) if symbols else expr
    if families:
        out = out.replace(
            lambda e: isinstance(e, sp.Indexed) and e.base in families,
            lambda e: families[e.base](*e.indices) if isinstance(families[e.base], sp.Lambda)
            else families[e.base][e.indices],
        )
    return out


def same_gap(a: sp.Expr, b: sp.Expr) -> bool:
    """Do ``a >= 0`` and ``b >= 0`` say the same thing at every point: the same tree, or equal normal forms of two
    trees that are both defined at every point of their symbols' domains?"""
    if a == b:
        return True
    if not normal_forms_zero(a - b)[0]:
        return False
    return unproved_condition(a) is None and unproved_condition(b) is None


def needed_hypotheses(cited: Lemma, claim: Claim | None) -> tuple[Hypothesis, ...]:
    """The assumptions a citation of ``claim`` of ``cited`` must discharge (its own and its lemma's; citations
    inside the cited lemma are proved there from these)."""
    needed = (*cited.hypotheses, *(claim.hypotheses if claim is not None else ()))
    return tuple(h for h in needed if h.by is None)


def discharger(
    needed: Hypothesis,
    instance: Mapping[sp.Symbol, sp.Expr],
    context: Iterable[Hypothesis],
    bound: Iterable = (),
    boxes: tuple[Box, Box] | None = None,
) -> Hypothesis | None:
    """A hypothesis of ``context`` that states ``needed`` under ``instance`` at least as universally: for every
    variable ``needed`` binds (``forall``) and every variable of ``bound`` it mentions, the discharger is stated
    ``forall`` that variable too -- and, with ``boxes`` (the cited lemma's box, the citing lemma's), over at least
    the range ``needed`` binds it over (:func:`covers_range`). A needed hypothesis that the instance makes true by
    the symbols' assumptions alone (``p <= 1`` at ``p = 1/2``) discharges itself."""
    free = {k: v for k, v in instance.items() if k not in needed.forall}
    target = apply_instance(needed.gap, free)
    if is_nonneg(target):
        return needed
    if boxes is not None and not all(covers_range(v, *boxes) for v in needed.forall):
        return None
    universal = set(needed.forall) | (set(bound) & target.free_symbols)
    candidates = [h for h in context if universal <= set(h.forall)]
    exact = next((h for h in candidates if h.gap == target), None)
    if exact is not None:
        return exact
    # Normal forms are costly: only for hypotheses over the same symbols (an incompleteness, never a wrong answer).
    return next((h for h in candidates if _symbols(h.gap) == _symbols(target) and same_gap(h.gap, target)), None)


def covers_range(var: sp.Symbol, cited_box: Box, citing_box: Box) -> bool:
    """Does a hypothesis stated ``forall var`` in the citing lemma hold over the range the cited lemma binds ``var``
    over? In a lemma whose box restricts ``var`` to ``[a, b]``, ``forall var`` means every ``var`` in ``[a, b]``;
    elsewhere every value ``var`` takes. The citing range must contain the cited one."""
    if var not in citing_box:
        return True
    if var not in cited_box:
        return False
    (lo, hi), (c_lo, c_hi) = cited_box[var], citing_box[var]
    return c_lo <= lo and hi <= c_hi


def _symbols(expr: sp.Expr) -> set[sp.Basic]:
    """The free symbols of ``expr`` without indexed entries: sympy counts ``p[a]`` as free even where a sum binds
    ``a``, so two sums that differ only in the name of their index would look like different symbols."""
    return {s for s in expr.free_symbols if not isinstance(s, sp.Indexed)}


def undischarged(
    cited: Lemma | Claim, claim: str, instance: Mapping, context: Iterable[Hypothesis], bound: Iterable = ()
) -> list[str]:
    """Names (with relations) of the assumptions of the cited claim that no hypothesis of ``context`` states."""
    if isinstance(cited, Claim):
        needed = tuple(h for h in cited.hypotheses if h.by is None)
    else:
        target = next((c for c in cited.claims if c.label == claim), None)
        needed = needed_hypotheses(cited, target)
    context = tuple(context)
    missing = []
    for h in needed:
        if discharger(h, instance, context, bound) is None:
            free = {k: v for k, v in instance.items() if k not in h.forall}
            shown = f"{sp.sstr(apply_instance(h.lhs, free))} {h.rel} {sp.sstr(apply_instance(h.rhs, free))}"
            quantifier = f" for every {', '.join(map(str, h.forall))}" if h.forall else ""
            missing.append(f"{h.name} ({shown}{quantifier})")
    return missing


def _families(expr: sp.Expr) -> set[sp.IndexedBase]:
    return {e.base for e in expr.atoms(sp.Indexed)}


def _claim_symbols(cited: Lemma, claim: Claim) -> set[sp.Basic]:
    """The symbols and indexed families that occur free in the cited claim: in its sides, or in a hypothesis that
    does not bind them."""
    symbols = set(claim.lhs.free_symbols | claim.rhs.free_symbols) | _families(claim.lhs) | _families(claim.rhs)
    for h in needed_hypotheses(cited, claim):
        symbols |= (h.gap.free_symbols - set(h.forall)) | _families(h.gap)
    return symbols


def _value_admitted(key: sp.Basic, value: sp.Expr) -> bool:
    """A symbol's value must have every property its assumptions assert; a family's entries must (a family value
    ``q`` entry ``q[i]``, a ``Lambda`` its body at a generic integer index)."""
    if isinstance(key, sp.IndexedBase):
        if isinstance(value, sp.Lambda):
            if len(value.variables) != 1:
                return False
            body = value.expr.xreplace({value.variables[0]: sp.Dummy("i", integer=True)})
            return admits(body, key)
        if isinstance(value, sp.IndexedBase):
            return admits(value[sp.Dummy("i", integer=True)], key)
        return False
    return admits(value, key)


def _instance_problem(h: Hypothesis, cited: Lemma, claim: Claim) -> str:
    """'' when the instance only renames free symbols of the claim to admissible values; else the reason."""
    symbols = _claim_symbols(cited, claim)
    needed = needed_hypotheses(cited, claim)
    for key, value in h.instance.items():
        if not isinstance(key, (sp.Symbol, sp.IndexedBase)):
            return (f"the instance key {sp.sstr(key)} is not a symbol: only symbols (and indexed families) of the"
                    " cited claim are replaced")
        if key not in symbols:
            bound = any(key in n.forall for n in needed)
            where = "is bound (forall) in every hypothesis of" if bound else "is not a symbol of"
            return f"{key} {where} {h.by}: it cannot be given a value"
        if key is INDUCTION_HYPOTHESIS:
            return f"{key} is an internal symbol of the engine"
        for n in needed:
            captured = value.free_symbols & set(n.forall)
            if key in (n.gap.free_symbols | _families(n.gap)) and key not in n.forall and captured:
                return (f"the value of {key} mentions {', '.join(map(str, captured))}, bound (forall) in hypothesis"
                        f" {n.name} of {h.by}")
        if not _value_admitted(key, value):
            return f"cannot show that {sp.sstr(value)} lies in the domain of {key}"
    return ""


def _box_problem(h: Hypothesis, cited: Lemma, claim: Claim, citing_box: Box) -> str:
    """'' when every symbol the cited lemma boxes gets a value certified inside its box; else the reason."""
    symbols = _claim_symbols(cited, claim)
    for s, (lo, hi) in cited.domain.items():
        if s not in symbols:
            continue
        value = h.instance.get(s, s)
        unboxed = sorted(str(m) for m in value.free_symbols & set(h.forall) if m not in citing_box)
        if unboxed:
            return (
                f"{h.by} holds only for {s} in [{lo}, {hi}] (its lemma's domain), and this citation is stated for every"
                f" {', '.join(unboxed)}, which the citing lemma does not box: the value would be certified at no"
                " range of it"
            )
        missing = [str(v) for v in value.free_symbols if v not in citing_box]
        if missing:
            return (
                f"{h.by} holds only for {s} in [{lo}, {hi}] (its lemma's domain); the value {sp.sstr(value)} has"
                f" symbols without a range here ({', '.join(sorted(missing))}): declare a domain inside it"
            )
        box = {v: tuple(_fraction(e) for e in citing_box[v]) for v in value.free_symbols}
        if isinstance(value, sp.Symbol):
            low, high = box[value]
            inside = _fraction(lo) <= low and high <= _fraction(hi)
        else:
            try:  # the reference path: exact interval end points, rounded outward
                enclosure = enclose(value, box, backend="mpmath")
            except RlhfsymError as err:
                return f"cannot enclose the value {sp.sstr(value)} of {s}: {err}"
            inside = enclosure.ge(_fraction(lo)) is Decision.TRUE and enclosure.le(_fraction(hi)) is Decision.TRUE
        if not inside:
            return (
                f"{h.by} holds only for {s} in [{lo}, {hi}] (its lemma's domain), and {s} = {sp.sstr(value)}"
                f" is not certified inside it"
            )
    return ""


def _fraction(x: sp.Rational) -> Fraction:
    x = sp.Rational(x)
    return Fraction(int(x.p), int(x.q))


def _restated_in(context: tuple[Hypothesis, ...]):
    """``gap -> bool``: does a hypothesis of ``context`` state ``gap >= 0`` (the same tree, or an identity of normal
    forms between trees defined everywhere), for every value of its variables or at this point alike?"""

    def restated(gap: sp.Expr) -> bool:
        return is_nonneg(gap) or any(
            c.gap == gap or (_symbols(c.gap) == _symbols(gap) and same_gap(c.gap, gap)) for c in context
        )

    return restated


def check_citation(
    h: Hypothesis,
    cited: Lemma,
    claim: Claim | None,
    context: tuple[Hypothesis, ...],
    citing_box: Box,
    lookup: Mapping[str, Lemma] | None = None,
) -> Verdict:
    """Check the citation ``h`` of ``claim`` of ``cited`` (premises 1-5 of the module docstring) in ``context``
    (the other hypotheses of the citing claim) and on ``citing_box`` (the citing lemma's domain); ``lookup`` holds
    the lemmas ``cited`` rests on, whose roles it inherits."""
    if claim is None:
        return Verdict(FAILED, f"{cited.name} has no claim {h.cited_claim!r} (before this one)")
    if claim.rel == "==":
        return Verdict(FAILED, f"{h.by} is an equality; cite inequalities only")
    problem = _instance_problem(h, cited, claim)
    if problem:
        return Verdict(UNDECIDED, problem)
    problem = definition_problem(h, cited, {cited.name: cited, **(lookup or {})}, _restated_in(context))
    if problem:
        return Verdict(UNDECIDED, problem)
    problem = _box_problem(h, cited, claim, citing_box)
    if problem:
        return Verdict(UNDECIDED, problem)
    instantiated = apply_instance(claim.gap, h.instance)
    if h.gap != instantiated:
        match = decide_zero(h.gap - instantiated)
        if not match.ok:
            return Verdict(match.status, f"not an instance of {h.by}: {match.detail}")
        if not same_gap(h.gap, instantiated):
            return Verdict(
                UNDECIDED,
                f"{h.by} under the instance is not written as this hypothesis, and the two are not shown defined"
                " at the same points",
            )
    for needed in needed_hypotheses(cited, claim):
        if discharger(needed, h.instance, context, h.forall, (cited.domain, citing_box)) is None:
            narrower = [str(v) for v in needed.forall if not covers_range(v, cited.domain, citing_box)]
            if narrower:
                return Verdict(
                    UNDECIDED,
                    f"hypothesis {needed.name} of {h.by} is stated for every {', '.join(narrower)} over a wider range"
                    " than this lemma's box gives it: a hypothesis here holds only on the box",
                )
            return Verdict(FAILED, f"hypothesis {needed.name} of {h.by} is not discharged here")
    return Verdict(VERIFIED)
