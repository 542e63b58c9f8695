"""What a lemma is made of: hypotheses, claims proved by ``calc`` chains, and the rules that justify each step.

The engine knows nothing about any paper: a lemma is a set of sympy relations plus the argument for each.

* :class:`Hypothesis` -- a relation ``lhs <= rhs`` (or ``>=``) taken as given, either an assumption of the
  statement or a fact cited from another lemma (``by=``). Each hypothesis owns a nonnegative *slack* symbol that
  stands for ``rhs - lhs``; a step's witness may use it.
* :class:`Step` -- one link ``prev REL rhs`` of a chain with its justification (a rule) and a sentence (``why``).
* :class:`Claim` -- ``lhs REL rhs`` with the chain of steps that proves it (like Lean's ``calc``).
* :class:`Lemma` -- name (mathlib style: conclusion ``_of_`` hypotheses), kind, statement, source, claims.

The rules, each with its soundness argument and its check, live in :mod:`rlhfsym.chain.rules`. Every expression
entering a statement is checked by :func:`~rlhfsym.chain.rules.exact_expr`: exact numbers only (no Floats, no
infinities, no imaginary unit), never parsed from text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import sympy as sp

from .rules import INDUCTION_HYPOTHESIS, Algebra, Box, FirstDerivativeTest, Induction, Monotone, Rule, exact_expr

__all__ = [
    "INDUCTION_HYPOTHESIS",
    "Algebra",
    "Box",
    "Claim",
    "FirstDerivativeTest",
    "Hypothesis",
    "Induction",
    "Lemma",
    "Monotone",
    "Rel",
    "Rule",
    "Step",
    "calc",
]

Rel = Literal["==", "<=", ">="]
_RELS = ("==", "<=", ">=")
KINDS = ("lemma", "theorem", "external")
#: What a hypothesis that is not a citation is: a condition on the parameters alone, certified before a bound is
#: printed ("parameter"), or a condition about the instance or the run that the statement assumes and a user must
#: guarantee ("asserted"; a lemma's asserted hypotheses are discharged by whoever cites it).
HYPOTHESIS_KINDS = ("parameter", "asserted")


def _check_rel(rel: str) -> None:
    if rel not in _RELS:
        raise ValueError(f"relation must be one of {_RELS}, got {rel!r}")


@dataclass(frozen=True)
class Hypothesis:
    """A relation taken as given: ``lhs <= rhs`` or ``lhs >= rhs``, named, with a nonnegative slack symbol.

    ``by`` is ``None`` for an assumption of the statement, or a citation ``"lemma#claim"`` / ``"#claim"`` (a claim
    of a dependency, or an earlier claim of the same lemma): the checker proves that this relation *is* the
    cited claim with ``instance`` substituted for its symbols, that the cited claim's assumptions are among the
    hypotheses here, and that each substituted value lies in its symbol's domain.

    ``forall`` names the variables for which the hypothesis holds at *every* value (a recursion
    ``d(t+1) <= rho d(t)`` for all t); only such hypotheses may be used where a rule needs a fact about every
    value of a variable (a monotonicity derivative, an induction step). In a lemma whose ``domain`` box restricts a
    variable to ``[a, b]``, ``forall`` it means every value in ``[a, b]``, as the lemma's claims do.
    """

    name: str
    lhs: sp.Expr
    rel: Rel
    rhs: sp.Expr
    text: str = ""
    by: str | None = None
    instance: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    forall: tuple[sp.Symbol, ...] = ()
    kind: str | None = None
    slack: sp.Symbol = field(init=False, compare=False)

    @property
    def cited_lemma(self) -> str | None:
        """The lemma a citation points to ('' for the lemma itself), or None for an assumption."""
        return None if self.by is None else self.by.partition("#")[0]

    @property
    def cited_claim(self) -> str | None:
        """The claim label a citation points to, if it names one."""
        return None if self.by is None or "#" not in self.by else self.by.partition("#")[2]

    def __post_init__(self) -> None:
        if self.rel not in ("<=", ">="):
            raise ValueError(f"hypothesis {self.name}: relation must be <= or >=, got {self.rel!r}")
        object.__setattr__(self, "lhs", exact_expr(self.lhs, f"hypothesis {self.name} lhs"))
        object.__setattr__(self, "rhs", exact_expr(self.rhs, f"hypothesis {self.name} rhs"))
        object.__setattr__(self, "slack", sp.Dummy(f"slack_{self.name}", nonnegative=True))
        if self.by is not None and (not isinstance(self.by, str) or "#" not in self.by):
            raise ValueError(
                f"hypothesis {self.name}: a citation names a claim, 'lemma#claim' or '#claim', got {self.by!r}"
            )
        if self.by is not None and self.kind is not None:
            raise ValueError(f"hypothesis {self.name}: a citation (by={self.by!r}) has no other kind")
        if self.kind is not None and self.kind not in HYPOTHESIS_KINDS:
            raise ValueError(f"hypothesis {self.name}: kind must be one of {HYPOTHESIS_KINDS}, got {self.kind!r}")
        if not isinstance(self.forall, tuple) or not all(isinstance(v, sp.Symbol) for v in self.forall):
            raise ValueError(f"hypothesis {self.name}: forall must be a tuple of sympy Symbols, got {self.forall!r}")
        if not isinstance(self.instance, Mapping):
            raise ValueError(f"hypothesis {self.name}: instance must be a mapping {{symbol: expression}}")
        instance = {key: exact_expr(value, f"hypothesis {self.name} instance of {key}")
                    for key, value in self.instance.items()}
        object.__setattr__(self, "instance", instance)

    def renamed(self, mapping: Mapping[sp.Symbol, sp.Symbol]) -> Hypothesis:
        """The same hypothesis (same slack) with symbols renamed, e.g. a variable moved to a domain's interior."""
        moved = Hypothesis(
            self.name,
            self.lhs.xreplace(mapping),
            self.rel,
            self.rhs.xreplace(mapping),
            self.text,
            self.by,
            self.instance,
            tuple(mapping.get(v, v) for v in self.forall),
            self.kind,
        )
        object.__setattr__(moved, "slack", self.slack)
        return moved

    @property
    def role(self) -> str | None:
        """``"citation"`` for a citation, else the declared kind (None when none is declared)."""
        return "citation" if self.by is not None else self.kind

    @cached_property
    def gap(self) -> sp.Expr:
        """The quantity the hypothesis says is nonnegative (``rhs - lhs`` for ``<=``); computed once (its fields
        are frozen)."""
        return self.rhs - self.lhs if self.rel == "<=" else self.lhs - self.rhs

    def __str__(self) -> str:
        return f"{self.name}: {sp.sstr(self.lhs)} {self.rel} {sp.sstr(self.rhs)}"


@dataclass(frozen=True)
class Step:
    """One link ``previous REL rhs`` of a chain, with the rule that justifies it and a sentence."""

    rel: Rel
    rhs: sp.Expr
    why: str
    rule: Rule = field(default_factory=Algebra)

    def __post_init__(self) -> None:
        _check_rel(self.rel)
        object.__setattr__(self, "rhs", exact_expr(self.rhs, "step rhs"))
        if not isinstance(self.rule, Rule):
            raise ValueError(f"step: the rule must be a Rule (Algebra, Monotone, ...), got {self.rule!r}")


def calc(*links: tuple | Step) -> tuple[Step, ...]:
    """Build a chain from tuples ``(rel, rhs, why)`` or ``(rel, rhs, why, rule)`` (or ready-made steps)."""
    return tuple(link if isinstance(link, Step) else Step(*link) for link in links)


@dataclass(frozen=True)
class Claim:
    """``lhs REL rhs``, proved by the chain ``lhs REL_1 e_1 REL_2 e_2 ... e_m`` where ``e_m`` is ``rhs``."""

    label: str
    lhs: sp.Expr
    rel: Rel
    rhs: sp.Expr
    steps: tuple[Step, ...]
    hypotheses: tuple[Hypothesis, ...] = ()
    #: A claim of an external fact: taken on trust, with no steps (:meth:`taken_on_trust`).
    trusted: bool = False

    @classmethod
    def taken_on_trust(
        cls, label: str, lhs: sp.Expr, rel: Rel, rhs: sp.Expr, hypotheses: tuple[Hypothesis, ...] = ()
    ) -> Claim:
        """A claim of an external fact: stated, never proved here (its lemma must be of kind ``external``)."""
        return cls(label, lhs, rel, rhs, (), hypotheses, trusted=True)

    @property
    def gap(self) -> sp.Expr:
        """What the claim says is nonnegative (``rhs - lhs`` for ``<=``); for ``==`` the difference ``lhs - rhs``."""
        return self.rhs - self.lhs if self.rel == "<=" else self.lhs - self.rhs

    def __post_init__(self) -> None:
        _check_rel(self.rel)
        if not self.steps and not self.trusted:
            raise ValueError(f"claim {self.label}: a claim needs at least one step")
        if self.steps and self.trusted:
            raise ValueError(f"claim {self.label}: a claim taken on trust carries no steps")
        object.__setattr__(self, "lhs", exact_expr(self.lhs, f"claim {self.label} lhs"))
        object.__setattr__(self, "rhs", exact_expr(self.rhs, f"claim {self.label} rhs"))


def _rational_range(lemma: str, symbol: sp.Symbol, ends: object) -> tuple[sp.Rational, sp.Rational]:
    """A domain range ``(lo, hi)`` of exact rationals (ints, Fractions, sympy Rationals; floats refused)."""
    rule = f"lemma {lemma}: the domain of {symbol} must be two exact rationals (lo, hi)"
    try:
        ends = tuple(ends)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(rule) from None
    if len(ends) != 2 or any(isinstance(e, (float, sp.Float)) or isinstance(e, bool) for e in ends):
        raise ValueError(rule)
    try:
        lo, hi = (sp.Rational(e) for e in ends)
    except (TypeError, ValueError):
        raise ValueError(rule) from None
    if lo > hi:
        raise ValueError(f"lemma {lemma}: the domain of {symbol} has lo > hi ({lo} > {hi})")
    if not _holds_a_value(symbol, lo, hi):
        raise ValueError(f"lemma {lemma}: the domain [{lo}, {hi}] of {symbol} holds no value {symbol} takes (its"
                         " assumptions); a chain through it would prove anything")
    return lo, hi


def _holds_a_value(symbol: sp.Symbol, lo: sp.Rational, hi: sp.Rational) -> bool:
    """Does ``[lo, hi]`` contain a value the symbol's assumptions admit? (Integers: some integer of the range, of
    the right parity; reals: an end or the midpoint.)"""
    from .domains import admits

    if symbol.is_integer:
        first, last = sp.ceiling(lo), sp.floor(hi)
        return any(admits(sp.Integer(k), symbol) for k in range(int(first), min(int(last), int(first) + 4) + 1))
    return any(admits(v, symbol) for v in (lo, hi, (lo + hi) / 2))


@dataclass(frozen=True)
class Lemma:
    """A named statement with its claims, hypotheses, dependencies and derived constants.

    ``domain`` maps symbols to closed rational ranges ``(lo, hi)``: the box on which :class:`Box` steps (and
    inequality steps sympy leaves undecided) are proved by interval arithmetic.

    ``scope`` says for which sizes the symbolic proof was carried out (for example a finite list of K) and how the
    rest is checked; it is printed beside the status so that nobody mistakes it for a proof in general.

    A theorem also carries ``bound`` (its final bound: the right-hand side of its claim ``main``), ``rates``
    (the stated leading order of the bound in some of its symbols, by symbol name, e.g. ``{"n": "n^(-1/2)"}``,
    which the checker recomputes) and ``meta`` (free-form labels that the paper's chain defines, e.g. what the
    bound bounds; the engine only passes them on).
    """

    name: str
    statement: str
    source: str
    claims: tuple[Claim, ...]
    kind: str = "lemma"
    hypotheses: tuple[Hypothesis, ...] = ()
    depends_on: tuple[str, ...] = ()
    #: Declared dependencies that no citation backs (a dependency "in prose"): computed; the registry walk
    #: requires none.
    prose_dependencies: tuple[str, ...] = field(init=False, default=())
    constants: Mapping[str, sp.Expr] = field(default_factory=dict)
    scope: str = ""
    doc: str = ""
    bound: sp.Expr | None = None
    rates: Mapping[str, str] = field(default_factory=dict)
    meta: Mapping[str, str] = field(default_factory=dict)
    domain: Mapping[sp.Symbol, tuple[sp.Rational, sp.Rational]] = field(default_factory=dict)
    #: The symbols (or indexed families) an external *definition* defines: fixed in every lemma resting on it, so
    #: that no citation gives them a value (:mod:`rlhfsym.chain.definitions`).
    defines: tuple[sp.Basic, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"lemma name must be an identifier, got {self.name!r}")
        if self.kind not in KINDS:
            raise ValueError(f"lemma {self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        for claim in self.claims:
            if self.kind == "external" and not claim.trusted:
                raise ValueError(f"external fact {self.name}: its claims are taken on trust (Claim.taken_on_trust)")
            if self.kind != "external" and claim.trusted:
                raise ValueError(f"lemma {self.name}: claim {claim.label} is taken on trust; only an external fact is")
        if self.defines and self.kind != "external":
            raise ValueError(f"lemma {self.name}: only an external fact is a definition (a lemma's claims hold for "
                             "every value of their symbols)")
        for s in self.defines:
            if not isinstance(s, (sp.Symbol, sp.IndexedBase)):
                raise ValueError(f"external definition {self.name}: defines holds sympy Symbols or IndexedBases, "
                                 f"got {s!r}")
        if self.kind == "external" and any(h.by is not None for h in self.all_hypotheses()):
            raise ValueError(f"external fact {self.name}: its hypotheses are its own, not citations")
        if not self.claims:
            raise ValueError(f"lemma {self.name}: at least one claim is needed")
        labels = [c.label for c in self.claims]
        if len(set(labels)) != len(labels):
            raise ValueError(f"lemma {self.name}: claim labels must be distinct, got {labels}")
        if self.kind == "theorem" and self.bound is None:
            raise ValueError(f"theorem {self.name}: a theorem states its final bound (bound=...)")
        if self.bound is not None and not any(c.label == "main" for c in self.claims):
            raise ValueError(f"lemma {self.name}: the claim proving the bound must be labelled 'main'")
        if self.rates and self.bound is None:
            raise ValueError(f"lemma {self.name}: rates need a bound")
        for claim in self.claims:
            names = [h.name for h in (*self.hypotheses, *claim.hypotheses)]
            if len(set(names)) != len(names):
                raise ValueError(f"lemma {self.name}: hypothesis names must be distinct, got {names}")
        for symbol in self.domain:
            if not isinstance(symbol, sp.Symbol):
                raise ValueError(f"lemma {self.name}: a domain is keyed by sympy Symbols, got {symbol!r}")
        object.__setattr__(self, "domain", {s: _rational_range(self.name, s, ends) for s, ends in self.domain.items()})
        if self.bound is not None:
            object.__setattr__(self, "bound", exact_expr(self.bound, f"theorem {self.name} bound"))
        constants = {k: exact_expr(v, f"lemma {self.name} constant {k}") for k, v in self.constants.items()}
        object.__setattr__(self, "constants", constants)
        # depends_on is computed from the citations (a cited lemma is a dependency by construction); a declared
        # dependency that no citation backs is kept, and listed as a dependency in prose.
        cited: list[str] = []
        for h in self.all_hypotheses():
            if h.cited_lemma and h.cited_lemma != self.name and h.cited_lemma not in cited:
                cited.append(h.cited_lemma)
        declared = tuple(self.depends_on)
        object.__setattr__(self, "depends_on", (*cited, *(d for d in declared if d not in cited)))
        object.__setattr__(self, "prose_dependencies", tuple(d for d in declared if d not in cited))

    def all_hypotheses(self) -> tuple[Hypothesis, ...]:
        """The lemma's hypotheses followed by every claim's own."""
        return self.hypotheses + tuple(h for c in self.claims for h in c.hypotheses)
