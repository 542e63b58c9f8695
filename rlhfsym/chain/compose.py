"""The composition rule: a bound is *built* by applying facts to an expression, one checked step per fact.

cvxpy's DCP rule (``Atom.is_incr``), read for upper bounds. Given a fact ``a <= b``:

* ``a`` may be replaced by ``b`` inside an expression ``E`` only where ``E`` is increasing in ``a``;
* ``b`` may be replaced by ``a`` only where ``E`` is decreasing in ``b``.

Each replacement becomes one :class:`Substitute` step, which the checker verifies as a :class:`~.Monotone` step:
``E`` written as ``f(x)`` with ``x`` in place of the replaced quantity, the fact's slack as the witness that the two
ends are ordered, and the sign of ``df/dx`` decided under the symbols' assumptions (or from a stated derivative
witness). A :class:`Derivation` starts at the quantity to bound and applies facts in turn; its
:attr:`~Derivation.result` *is* the bound (never retyped by hand), and :meth:`~Derivation.claim` turns it into a
claim. Facts are hypotheses: assumptions of the statement, or citations of another lemma's claim made with
:meth:`~Derivation.cite`, which raises :class:`CompositionError` naming every hypothesis of the cited claim that
the derivation's context does not discharge.

>>> import sympy as sp
>>> from rlhfsym.chain import Hypothesis
>>> a, b = sp.symbols("a b", positive=True)
>>> fact = Hypothesis("fact", a, "<=", b, "a is at most b")
>>> Derivation.of(sp.sqrt(a) + 1, (fact,)).apply(fact).result
sqrt(b) + 1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sympy as sp

from .citations import apply_instance, undischarged
from .statement import Algebra, Claim, Hypothesis, Lemma, Monotone, Step

__all__ = ["CompositionError", "Derivation", "Substitute", "as_function_of", "citation"]


class CompositionError(ValueError):
    """A fact cannot be applied: its quantity is absent or cannot be isolated, or a cited hypothesis is missing."""


@dataclass(frozen=True)
class Substitute(Monotone):
    """A step made by the composition rule: a bound substituted where the expression is monotone in it.

    Checked exactly as :class:`~.Monotone` (``f(hi) - f(lo)`` is the step's gap, ``hi - lo >= 0`` by the fact's
    slack, ``df/dvar >= 0`` on ``var``'s domain); ``target`` is the quantity that was replaced, for the reports.
    """

    target: sp.Expr = sp.S.Zero
    label = "substitution"


def _leaf(target: sp.Expr) -> sp.Expr | None:
    """The symbol or applied function that ``target`` is (or is a power of), or None."""
    if isinstance(target, (sp.Symbol, sp.core.function.AppliedUndef)):
        return target
    if target.is_Pow and isinstance(target.base, (sp.Symbol, sp.core.function.AppliedUndef)):
        return target.base
    return None


def _variable(template: sp.Expr, name: str = "x", negate: bool = False) -> sp.Dummy:
    """A real variable whose domain (an interval) holds ``template`` (or ``-template`` with ``negate``)."""
    if template.is_real is not True:
        raise CompositionError(f"{sp.sstr(template)} is not known to be real: a calculus rule needs a real domain")
    positive, nonnegative = template.is_positive, template.is_nonnegative
    if negate:
        sign = "negative" if positive else "nonpositive" if nonnegative else "real"
    else:
        sign = "positive" if positive else "nonnegative" if nonnegative else "real"
    return sp.Dummy(name, **{sign: True})


def as_function_of(expr: sp.Expr, target: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``f`` with ``f(target) == expr`` and no other occurrence of ``target``'s quantity.

    ``target`` is a symbol, an applied function such as ``d(T)``, or a power ``v**p`` of one; for a power, the
    other occurrences of ``v`` are written ``x**(1/p)``, which needs ``v >= 0``.
    """
    leaf = _leaf(target)
    if leaf is None:
        raise CompositionError(
            f"cannot substitute for {sp.sstr(target)}: the replaced quantity must be a symbol, an applied function"
            " or a power of one"
        )
    if not expr.has(leaf):
        raise CompositionError(f"{sp.sstr(target)} does not occur in {sp.sstr(expr)}")
    f = expr.xreplace({target: x})
    if f.has(leaf) and target is not leaf:
        if leaf.is_nonnegative is not True:
            raise CompositionError(f"cannot write {sp.sstr(expr)} through {sp.sstr(target)}: {leaf} may be negative")
        f = expr.xreplace({leaf: x ** (1 / target.exp)})
    if f.has(leaf):
        raise CompositionError(f"cannot isolate {sp.sstr(target)} in {sp.sstr(expr)}")
    return f


def citation(
    cited: Lemma | Claim,
    claim: str = "main",
    instance: Mapping[sp.Basic, sp.Expr] | None = None,
    name: str = "",
    forall: tuple[sp.Symbol, ...] = (),
) -> Hypothesis:
    """The hypothesis ``lhs REL rhs`` of claim ``claim`` of lemma ``cited`` with ``instance`` substituted (stated
    for every value of the variables ``forall``, which the checker then requires of its dischargers too).

    ``cited`` may also be an earlier :class:`~.Claim` of the lemma being written (a citation ``#label``).
    """
    instance = dict(instance or {})
    target = cited if isinstance(cited, Claim) else _claim_of(cited, claim)
    by = f"#{target.label}" if isinstance(cited, Claim) else f"{cited.name}#{claim}"
    if target.rel == "==":
        raise CompositionError(f"{by} is an equality; cite inequalities only")
    return Hypothesis(
        name or (target.label if isinstance(cited, Claim) else f"{cited.name}_{claim}"),
        apply_instance(target.lhs, instance),
        target.rel,
        apply_instance(target.rhs, instance),
        by=by,
        instance=instance,
        forall=tuple(forall),
    )


def _claim_of(lemma: Lemma, label: str) -> Claim:
    for c in lemma.claims:
        if c.label == label:
            return c
    raise CompositionError(f"{lemma.name} has no claim {label!r}; it has {', '.join(c.label for c in lemma.claims)}")


def _ends(fact: Hypothesis) -> tuple[sp.Expr, sp.Expr]:
    """``(small, large)`` with ``small <= large`` the fact."""
    return (fact.lhs, fact.rhs) if fact.rel == "<=" else (fact.rhs, fact.lhs)


@dataclass(frozen=True)
class Derivation:
    """An upper bound under construction: ``start <= ... <= current``, each step made by applying a fact.

    Immutable: every method returns a new derivation, so a common prefix can be shared by several theorems.
    ``context`` holds the hypotheses the steps may use; :meth:`claim` puts them on the claim.
    """

    start: sp.Expr
    current: sp.Expr
    steps: tuple[Step, ...] = ()
    context: tuple[Hypothesis, ...] = field(default=())

    @classmethod
    def of(cls, start: sp.Expr, context: Iterable[Hypothesis] = ()) -> Derivation:
        """Begin bounding ``start`` from above, with the hypotheses ``context``."""
        start = sp.sympify(start, strict=True)
        return cls(start, start, (), tuple(context))

    @property
    def result(self) -> sp.Expr:
        """The bound reached so far: the right-hand side of :meth:`claim`."""
        return self.current

    def assume(self, *hypotheses: Hypothesis) -> Derivation:
        """The same derivation with more hypotheses in its context."""
        known = {h.name for h in self.context}
        new = tuple(h for h in hypotheses if h.name not in known)
        return Derivation(self.start, self.current, self.steps, self.context + new)

    def _step(self, rel: str, rhs: sp.Expr, why: str, rule: Algebra | Monotone) -> Derivation:
        return Derivation(self.start, rhs, (*self.steps, Step(rel, rhs, why, rule)), self.context)

    def rewrite(self, expr: sp.Expr, why: str) -> Derivation:
        """An equality step: ``current == expr`` (checked by normal forms)."""
        return self._step("==", sp.sympify(expr, strict=True), why, Algebra())

    def apply(
        self,
        fact: Hypothesis,
        why: str = "",
        *,
        replace: sp.Expr | None = None,
        derivative_witness: sp.Expr | None = None,
    ) -> Derivation:
        """Use ``fact`` (``small <= large``): replace ``small`` by ``large`` where the expression increases in it,
        or (when ``replace`` names ``large``, or ``small`` does not occur) ``large`` by ``small`` where it
        decreases. The fact joins the context if it is not there yet."""
        small, large = _ends(fact)
        me = self.assume(fact)
        why = why or fact.text or f"by {fact.name}"
        upward = replace is None and _leaf(small) is not None and self.current.has(_leaf(small))
        if upward or (replace is not None and replace == small):
            return me.bound(small, large, fact.slack, why, derivative_witness=derivative_witness)
        if replace is not None and replace != large:
            raise CompositionError(f"{fact.name} bounds {sp.sstr(small)} by {sp.sstr(large)}, not {sp.sstr(replace)}")
        return me.bound_below(large, small, fact.slack, why, derivative_witness=derivative_witness)

    def bound(
        self, target: sp.Expr, upper: sp.Expr, witness: sp.Expr, why: str, *, derivative_witness: sp.Expr | None = None
    ) -> Derivation:
        """Replace ``target`` by ``upper`` where the expression increases in it; ``witness`` (in hypothesis
        slacks) equals ``upper - target``."""
        target, upper = sp.sympify(target, strict=True), sp.sympify(upper, strict=True)
        if self.current == target:
            return self._step("<=", upper, why, Algebra(witness))
        x = _variable(target)
        f = as_function_of(self.current, target, x)
        rule = Substitute(f, x, target, upper, witness, derivative_witness, target=target)
        return self._step("<=", f.xreplace({x: upper}), why, rule)

    def bound_below(
        self, target: sp.Expr, lower: sp.Expr, witness: sp.Expr, why: str, *, derivative_witness: sp.Expr | None = None
    ) -> Derivation:
        """Replace ``target`` by ``lower`` where the expression decreases in it; ``witness`` equals
        ``target - lower``. Checked as increasing in ``y = -target``, from ``-target`` up to ``-lower``."""
        target, lower = sp.sympify(target, strict=True), sp.sympify(lower, strict=True)
        x = _variable(target)
        f = as_function_of(self.current, target, x)
        y = _variable(lower, "y", negate=True)
        rule = Substitute(f.xreplace({x: -y}), y, -target, -lower, witness, derivative_witness, target=target)
        return self._step("<=", f.xreplace({x: lower}), why, rule)

    def cite(
        self,
        cited: Lemma | Claim,
        claim: str = "main",
        instance: Mapping[sp.Symbol, sp.Expr] | None = None,
        *,
        name: str = "",
        why: str = "",
        replace: sp.Expr | None = None,
        derivative_witness: sp.Expr | None = None,
    ) -> Derivation:
        """Apply claim ``claim`` of ``cited`` with ``instance`` substituted, after checking that every assumption
        of that claim is in this derivation's context (:class:`CompositionError` names the ones that are not)."""
        instance = dict(instance or {})
        fact = citation(cited, claim, instance, name)
        missing = undischarged(cited, claim, instance, self.context)
        if missing:
            raise CompositionError(f"citing {fact.by}: not discharged here: {'; '.join(missing)}")
        return self.apply(fact, why or f"by {fact.by}", replace=replace, derivative_witness=derivative_witness)

    def claim(self, label: str, *, extra: Iterable[Hypothesis] = ()) -> Claim:
        """The claim ``start <= result`` with these steps, its hypotheses the context (and ``extra``)."""
        if not self.steps:
            raise CompositionError(f"claim {label}: nothing was applied to {sp.sstr(self.start)}")
        known = {h.name for h in self.context}
        hypotheses = self.context + tuple(h for h in extra if h.name not in known)
        return Claim(label, self.start, "<=", self.current, self.steps, hypotheses)
