"""Certified values of the chain's theorems: :func:`theorems`, :func:`bound` and :func:`sample_size`.

A user's parameters are validated once (:mod:`rlhfsym.setting`: exact numbers or intervals ``[lo, hi]``, floats
refused), then every *parameter condition* of the theorem (a hypothesis of kind ``parameter``, such as
``eta <= 1/(beta B^2)``) is certified on the whole parameter box by interval arithmetic; a condition that fails, or
that cannot be certified, raises :class:`~rlhfsym.errors.ParameterError` naming the parameter and the rule, so that
no bound is ever given whose assumptions fail. A theorem with an *asserted condition* (kind ``asserted``: about the
instance or the run, which no parameter can certify) is refused unless the caller assumes it by name
(``assume=("ball",)``); the result then says it is conditional on it. The bound itself (the right-hand side the
engine composed and verified) is then enclosed with outward rounding (:mod:`rlhfsym.interval`): the printed upper
value is never below the true value, for every point of the box.

>>> result = bound("erm_gap_le_of_coverage", B=1, S=1, n=1000, gamma="0.01", delta="0.05")
>>> result.lower, result.upper
('0.0858938', '0.0858939')
>>> answer = sample_size("erm_gap_le_of_coverage", "0.05", B=1, S=1, gamma="0.01", delta="0.05")
>>> answer.value, answer.previous, answer.smallest
(2952, 'exceeds', True)
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from functools import cache, cached_property
from typing import Any

import sympy as sp
from sympy.core.parameters import evaluate

from .errors import ParameterError, RlhfsymError
from .interval import PROVED, Decision, Enclosure, enclose, exact_decimal, prove_le
from .output import (
    CONTRACTING,
    SCHEMAS,
    SHORT_DIGITS,
    exact_number,
    float_up,
    iterate_radius,
    latex_number,
    number,
    terms,
    trivial_bounds,
)
from .setting import PARAMETERS, SYMBOLS, Value, parse_number, validate_parameters
from .vocabulary import DECLARED, Theorem

__all__ = [
    "AllBounds",
    "Assumption",
    "BoundResult",
    "SampleSizeResult",
    "Skipped",
    "TheoremInfo",
    "bound",
    "bound_all",
    "certified_evaluator",
    "formula",
    "sample_size",
    "theorem_info",
    "theorems",
]

#: Digits of the printed enclosure unless asked otherwise.
DEFAULT_DIGITS = 6
MAX_DIGITS = 50
#: Digits of the values printed beside a sample size (enough to tell epsilon from a neighbour).
SIZE_DIGITS = 12
#: Largest n or T that sample_size searches (2^64: beyond it no simulation or dataset exists).
MAX_SIZE = 2**64
#: Subdivision budget when a condition is certified on a box of parameters.
CONDITION_BUDGET = 2_000


@dataclass(frozen=True)
class TheoremInfo:
    """What a theorem needs and states: its parameters (in the parameter table's order), the parameter conditions
    certified before evaluating it, the asserted conditions a caller must assume by name, the external facts it
    rests on (taken on trust, through its citations), its step size, and ``declared``: the facts its module declares
    (:class:`rlhfsym.vocabulary.Theorem`: what it bounds, for which iterate of which algorithm, how it holds, how
    it is exercised)."""

    name: str
    bound: sp.Expr
    labels: Mapping[str, Any]
    parameters: tuple[str, ...]
    conditions: tuple[Any, ...]
    asserted: tuple[Any, ...]
    step: sp.Expr | None
    rates: Mapping[str, str | None]
    declared: Theorem
    external: tuple[str, ...] = ()
    #: The theorem's statement (one line) and its derived constants that are expressions of the parameters alone
    #: (``L``, ``rho``, ``eta``: the lemma's ``constants``).
    statement: str = ""
    constants: Mapping[str, sp.Expr] = field(default_factory=dict)
    #: d(bound)/d(var) for each solvable parameter the bound depends on (``SOLVABLE``), differentiated when the
    #: info is built so that a cached ``sample_size`` does not pay for sympy's differentiation.
    slopes: Mapping[str, sp.Expr] = field(default_factory=dict)

    def asserted_named(self, names: object) -> tuple[Any, ...]:
        """The asserted conditions a caller assumes: every one must be named (a ``ParameterError`` naming the
        first missing one), and every name must be one of them."""
        assumed = _assumed_names(names)
        known = {h.name: h for h in self.asserted}
        for name in assumed:
            if name not in known:
                listed = ", ".join(known) if known else "none"
                raise ParameterError("assume", f"{self.name} has no asserted condition {name} (its asserted "
                                     f"conditions: {listed})", name)
        for h in self.asserted:
            if h.name not in assumed:
                raise ParameterError("assume", f"{self.name} rests on the asserted condition {h.name} ({h.text}), "
                                     f"which no parameter can certify; assume it by name (command line: --assume "
                                     f"{h.name}; Python: assume=[{h.name!r}]) for a bound conditional on it")
        return tuple(self.asserted)

    @property
    def states_step(self) -> bool:
        """Does the theorem fix its step size (a paper form's ``eta = 1/L``), rather than take ``eta`` as a
        parameter (a sharp form) or take no steps?"""
        return self.step is not None and "eta" not in self.parameters

    def to_json(self) -> dict:
        """``{"theorem", "algorithm", "bounds", "iterate", "holds", "parameters", "rate_n", "rate_T", "statement",
        "bound", "conditions", "asserted"}``: each condition as ``{"name", "statement", "text"}``."""
        return {
            "theorem": self.name,
            **{key: self.labels[key] for key in ("algorithm", "bounds", "iterate", "holds")},
            "parameters": list(self.parameters),
            "rate_n": self.rates.get("n"),
            "rate_T": self.rates.get("T"),
            "statement": self.statement,
            "bound": sp.sstr(self.bound),
            "conditions": [_condition_json(h) for h in self.conditions],
            "asserted": [_condition_json(h) for h in self.asserted],
        }


def _condition_json(h) -> dict:
    """A parameter or asserted condition: ``{"name", "statement", "text"}`` (``statement``: lhs rel rhs)."""
    return {"name": h.name, "statement": _relation(h), "text": h.text}


def _chain():
    from .api import chain

    return chain()


def _parameters_only(expr: sp.Expr) -> bool:
    """Does ``expr`` involve parameters of the setting and nothing else (no iterates, no functions of t)?"""
    symbols = expr.free_symbols
    return bool(symbols) and symbols <= set(SYMBOLS.values()) and not expr.atoms(sp.core.function.AppliedUndef)


def _step_size(lemma, declared: Theorem) -> sp.Expr | None:
    """The step size the theorem uses: the constant its algorithm states steps in (``eta``, ``eta_t``) if the
    theorem fixes one, the parameter ``eta`` if the user chooses it, None for a theorem without steps."""
    constant = declared.algorithm.step_constant
    if constant is not None and constant in lemma.constants:
        return lemma.constants[constant]
    return SYMBOLS["eta"] if SYMBOLS["eta"] in lemma.bound.free_symbols else None


def _built_info(lemma, registry) -> TheoremInfo:
    """The :class:`TheoremInfo` of the theorem ``lemma``, read from the built chain."""
    name = lemma.name
    assumptions = {h.name: h for h in lemma.all_hypotheses() if h.by is None}
    conditions = tuple(h for h in assumptions.values() if h.kind == "parameter")
    for h in conditions:
        if not _parameters_only(h.gap):
            raise ValueError(f"theorem {name}: parameter condition {h.name} involves more than the parameters")
    # Anything else a theorem assumes is a condition the caller must assume by name (a hypothesis without a kind
    # too: it is never printed as certified).
    asserted = tuple(h for h in assumptions.values() if h.kind != "parameter")
    used = set(lemma.bound.free_symbols)
    for h in conditions:
        used |= h.gap.free_symbols
    parameters = tuple(p for p, s in SYMBOLS.items() if s in used)
    rates = {"n": lemma.rates.get("n"), "T": lemma.rates.get("T")}
    declared = DECLARED[name]
    step = _step_size(lemma, declared)
    from .chain import trusted_externals

    external = tuple(sorted(trusted_externals(lemma, {lemma.name: lemma for lemma in registry})))
    constants = {key: sp.sympify(value) for key, value in lemma.constants.items()
                 if isinstance(value, sp.Basic) and _parameters_only(sp.sympify(value))}  # fmt: skip
    slopes = {p: sp.diff(lemma.bound, SYMBOLS[p]) for p in SOLVABLE if SYMBOLS[p] in lemma.bound.free_symbols}
    return TheoremInfo(
        name, lemma.bound, dict(lemma.meta), parameters, conditions, asserted, step, rates, declared, external,
        lemma.statement, constants, slopes,
    )


class Catalogue:
    """What :func:`bound`, :func:`sample_size` and :func:`theorems` read of the chain: every theorem's
    :class:`TheoremInfo` (in dependency order), its row of :func:`theorems`, and the statement of every external
    fact. Read from the disk cache, each theorem's info is unpickled on first use (rebuilding sympy expressions costs
    about 20 ms a theorem)."""

    def __init__(self, infos: Mapping[str, TheoremInfo | bytes], listing: list[dict], external: Mapping[str, str]):
        self._infos = dict(infos)
        self.listing = listing
        self.external = dict(external)

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def info(self, name: str) -> TheoremInfo:
        value = self._infos[name]
        if isinstance(value, bytes):
            # The pickled expressions are the built ones, already in sympy's canonical form: rebuilt without
            # evaluation they come back node for node (tests/test_cache.py compares every one by srepr), at a
            # fifth of the cost of re-running each constructor's simplifications.
            with evaluate(False):
                value = self._infos[name] = pickle.loads(value)
        return value

    def to_cache(self) -> Catalogue:
        """The same catalogue with every info pickled (declarations without their plan and control)."""
        blobs = {name: pickle.dumps(replace(self.info(name), declared=_CachedDeclaration(self.info(name).declared)),
                                    protocol=pickle.HIGHEST_PROTOCOL) for name in self._infos}  # fmt: skip
        return Catalogue(blobs, self.listing, self.external)


class _CachedDeclaration:
    """A theorem's declaration as the disk cache holds it: every fact but its search plan and negative control
    (functions, which do not pickle); those, and anything else, are read from the chain on first use."""

    #: Every field of the declaration but the functions that do not pickle, and its derived property.
    KEPT = (*(f.name for f in fields(Theorem) if f.name not in ("plan", "control")), "simulation_assumes")

    def __init__(self, declared: Theorem) -> None:
        self.__dict__.update({key: getattr(declared, key) for key in self.KEPT})

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        _chain()
        return getattr(DECLARED[self.__dict__["name"]], attribute)


CATALOGUE = "theorems"


@cache
def catalogue() -> Catalogue:
    """The chain's :class:`Catalogue`: read from the disk cache (:mod:`rlhfsym.cache`, keyed by the package
    version, the libraries and every source file) when an entry exists under the current key, else built from the
    chain and written there. Either way it is what the chain's modules build (the key changes with any of them)."""
    from . import cache as disk

    found = disk.load(CATALOGUE)
    if isinstance(found, Catalogue):
        return found
    registry = _chain()
    ordered = registry.ordered()
    infos = {lemma.name: _built_info(lemma, registry) for lemma in ordered if lemma.kind == "theorem"}
    external = {lemma.name: lemma.statement for lemma in ordered if lemma.kind == "external"}
    built = Catalogue(infos, [info.to_json() for info in infos.values()], external)
    disk.store(CATALOGUE, built.to_cache())
    return built


def theorem_info(name: str) -> TheoremInfo:
    """The :class:`TheoremInfo` of theorem ``name`` (a ``ParameterError`` naming the known ones otherwise)."""
    known = catalogue()
    if name not in known.names:
        raise ParameterError("theorem", f"unknown theorem; known: {', '.join(known.names)}", name)
    return known.info(name)


def _assumed_names(names: object) -> tuple[str, ...]:
    """The names a caller assumes: a string or an iterable of strings."""
    if names is None:
        return ()
    if isinstance(names, str):
        return (names,)
    try:
        out = tuple(names)  # type: ignore[arg-type]
    except TypeError:
        raise ParameterError("assume", "must be a condition's name or a list of names", repr(names)) from None
    for name in out:
        if not isinstance(name, str):
            raise ParameterError("assume", "must be a condition's name or a list of names", repr(name))
    return out


def theorems() -> list[dict]:
    """Every theorem of the chain: ``{"theorem", "algorithm", "bounds", "iterate", "holds", "parameters",
    "rate_n", "rate_T"}``, in dependency order. Names are stable."""
    return [dict(row) for row in catalogue().listing]


# ----------------------------------------------------------------------------------------------- validation


def _check_digits(digits: object) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= MAX_DIGITS:
        raise ParameterError("digits", f"must be an integer in [1, {MAX_DIGITS}]", digits)
    return digits


def _validated(info: TheoremInfo, raw: Mapping[str, object], exclude: tuple[str, ...] = ()) -> dict[str, Value]:
    """The theorem's parameters, validated: every one given, none that it does not use."""
    for name in raw:
        if name in exclude:
            raise ParameterError(name, f"is what is solved for; do not give it (the others: {_others(info, exclude)})")
        if name not in info.parameters:
            if name not in PARAMETERS:
                raise ParameterError(name, f"unknown parameter; known: {', '.join(PARAMETERS)}")
            raise ParameterError(name, f"is not a parameter of {info.name}; it takes {_others(info, ())}", raw[name])
    for name in info.parameters:
        if name not in raw and name not in exclude:
            meaning = PARAMETERS[name].meaning
            raise ParameterError(name, f"is required by {info.name} ({meaning}); give a number or [lo, hi]")
    return validate_parameters(**raw)


def _others(info: TheoremInfo, exclude: tuple[str, ...]) -> str:
    return ", ".join(p for p in info.parameters if p not in exclude)


def _box(values: Mapping[str, Value]) -> dict[sp.Symbol, tuple[Fraction, Fraction]]:
    return {
        SYMBOLS[name]: (Fraction(int(v.lo.p), int(v.lo.q)), Fraction(int(v.hi.p), int(v.hi.q)))
        for name, v in values.items()
    }


#: The parameters ``sample_size`` solves for: what a user raises to meet a condition that mentions them.
SOLVABLE = ("n", "T")


def _blamed(h, values: Mapping[str, Value]) -> str:
    """The parameter a failed condition is reported against: the symbol alone on one side; else the sample size or
    horizon it mentions (``n is large enough``); else the first one."""
    for side in (h.lhs, h.rhs):
        if isinstance(side, sp.Symbol) and side.name in values:
            return side.name
    present = [p for p, s in SYMBOLS.items() if s in h.gap.free_symbols]
    return next((p for p in SOLVABLE if p in present and p in values), present[0])


def _certify_conditions(info: TheoremInfo, values: Mapping[str, Value]) -> None:
    """Every condition holds on the whole box, or a ``ParameterError`` names the parameter and the rule."""
    box = _box(values)
    for h in info.conditions:
        if not h.gap.free_symbols <= set(box):
            continue  # involves the solved-for parameter: certified at the answer
        if _enclosed_nonnegative(h.gap, box):
            continue
        result = prove_le(sp.S.Zero, h.gap, {s: box[s] for s in h.gap.free_symbols}, max_boxes=CONDITION_BUDGET)
        if result.status == PROVED:
            continue
        name = _blamed(h, values)
        rule = f"must satisfy {sp.sstr(h.lhs)} {h.rel} {sp.sstr(h.rhs)} ({h.name}: {h.text})"
        if result.status == "refuted":
            rule += f"; it fails at {_point_text(result.counterexample)}"
        else:
            rule += "; it cannot be certified on the whole interval given (narrow it)"
        raise ParameterError(name, rule, _shown_value(values[name]))


def _enclosed_nonnegative(gap: sp.Expr, box: Mapping[sp.Symbol, tuple[Fraction, Fraction]]) -> bool:
    """The fast path of a condition: one certified enclosure of ``gap`` over the whole box (compiled once and
    cached by :func:`~rlhfsym.interval.enclose`) whose lower end is >= 0 proves it on the box, as
    :func:`~rlhfsym.interval.prove_le` would on its first box; anything else (an enclosure that reaches below 0, a
    domain error) is left to ``prove_le``, which decides, refutes or reports it undecided."""
    try:
        enclosure = enclose(gap, {s: box[s] for s in gap.free_symbols})
    except RlhfsymError:
        return False
    return enclosure.ge(0) is Decision.TRUE


def _point_text(point: Mapping[sp.Symbol, Fraction] | None) -> str:
    if not point:
        return "the values given"
    return ", ".join(f"{s.name}={_fraction_text(v)}" for s, v in sorted(point.items(), key=lambda kv: kv[0].name))


def _fraction_text(x: Fraction) -> str:
    return exact_decimal(x)


def _shown_value(v: Value) -> str:
    """``"0.05"`` (exact decimals where the rational has one, else ``"1/3"``), or ``"[lo, hi]"``."""
    lo, hi = (exact_decimal(Fraction(int(x.p), int(x.q))) for x in (v.lo, v.hi))
    return lo if v.is_point else f"[{lo}, {hi}]"


# ----------------------------------------------------------------------------------------------- bound


@dataclass(frozen=True)
class Assumption:
    """One premise a printed bound rests on, with its kind: ``rule`` (a parameter's own rule, validated),
    ``parameter`` (a parameter condition, certified on the box), ``asserted`` (a condition about the instance or
    the run, assumed by the caller by name) or ``external`` (a classical fact, taken on trust)."""

    name: str
    kind: str
    statement: str
    status: str

    def text(self) -> str:
        """``"name: statement (status)"``."""
        return f"{self.name}: {self.statement} ({self.status})"

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "statement": self.statement, "status": self.status}


def _relation(h) -> str:
    return f"{sp.sstr(h.lhs)} {h.rel} {sp.sstr(h.rhs)}"


def _assumptions(info: TheoremInfo, conditional_on: tuple[Any, ...]) -> list[Assumption]:
    """The parameter rules, the certified parameter conditions, the asserted conditions assumed, then the external
    facts the theorem rests on."""
    out = [Assumption(p, "rule", PARAMETERS[p].rule, "validated") for p in info.parameters]
    out += [Assumption(h.name, "parameter", _relation(h), "certified") for h in info.conditions]
    out += [Assumption(h.name, "asserted", f"{_relation(h)}: {h.text}" if h.text else _relation(h),
                       "assumed by the caller, not checked") for h in conditional_on]  # fmt: skip
    out += [Assumption(name, "external", _external_statement(name), "taken on trust") for name in info.external]
    return out


def _external_statement(name: str) -> str:
    return catalogue().external[name]


@dataclass(frozen=True)
class BoundResult:
    """A theorem's bound, certified at given parameters: ``lower <= bound <= upper`` on the whole box, with
    ``upper`` rounded up and ``lower`` rounded down to ``digits`` significant digits; ``conditional_on`` the
    asserted conditions the caller assumed (the bound holds where they do)."""

    info: TheoremInfo
    parameters: Mapping[str, Value]
    enclosure: Enclosure
    digits: int
    extra: Mapping[str, Any] = field(default_factory=dict)
    conditional_on: tuple[Any, ...] = ()

    @cached_property
    def eta(self) -> str | None:
        """The step size the theorem uses at these parameters (None for a theorem without an algorithm): exact when
        the parameters are points, else symbolic."""
        return _eta_text(self.info, self.parameters)

    @property
    def upper(self) -> str:
        """The certified upper value, rounded up (:func:`rlhfsym.output.number`): the number to put in a paper."""
        return number(self.enclosure.upper, self.digits, "up")

    def __float__(self) -> float:
        """The certified upper value as a float, rounded up: the least float >= the enclosure's upper end."""
        return float_up(self.enclosure.upper)

    def __repr__(self) -> str:
        """``<bound ga_best_gap_le_of_coverage: gap <= 2.57261e+11 (vacuous)>``."""
        flag = " (vacuous)" if self.vacuity["vacuous"] else ""
        return f"<bound {self.info.name}: {self.info.labels['bounds']} <= {self.upper}{flag}>"

    def _repr_latex_(self) -> str:
        """The bound and its certified upper value for a notebook: ``$\\text{gap} \\le 2.57261 \\times 10^{11}$``."""
        return (f"$\\text{{{self.info.labels['bounds']} ({self.info.labels['iterate']} iterate)}} "
                f"\\le {latex_number(self.upper)}$")

    def enclose(self, expr: sp.Expr) -> Enclosure:
        """Another expression of the theorem's parameters (a weakened bound, say) enclosed on the same box."""
        return enclose(expr, _box(self.parameters))

    @property
    def lower(self) -> str:
        """The certified lower end of the enclosure, rounded down."""
        return number(self.enclosure.lower, self.digits, "down")

    def _ends(self, enclosure: Enclosure, exact: bool) -> dict:
        """``{"lower", "upper"}`` rounded outward, with ``{"exact_lower", "exact_upper"}`` on request."""
        out = {"lower": number(enclosure.lower, self.digits, "down"),
               "upper": number(enclosure.upper, self.digits, "up")}  # fmt: skip
        if exact:
            out.update(exact_lower=exact_decimal(enclosure.lower), exact_upper=exact_decimal(enclosure.upper))
        return out

    def terms(self, exact: bool = False) -> list[dict]:
        """The bound's named terms (:func:`rlhfsym.output.terms`): ``{"name", "expression", "lower", "upper"}``;
        their sum is the bound."""
        return [{"name": name, "expression": sp.sstr(expr), **self._ends(self.enclose(expr), exact)}
                for name, expr in terms(self.info.bound)]  # fmt: skip

    def constants(self, exact: bool = False) -> dict:
        """The theorem's derived constants (L, rho, eta, ...) at these parameters: ``{name: {"expression", "lower",
        "upper"}}``."""
        return {name: {"expression": sp.sstr(expr), **self._ends(self.enclose(expr), exact)}
                for name, expr in self.info.constants.items()}  # fmt: skip

    def step(self, exact: bool = False) -> dict | None:
        """The step size the theorem uses: ``{"expression", "lower", "upper"}`` (null ends for a schedule in t),
        None for a theorem without steps."""
        step = self.info.step
        if step is None:
            return None
        if not step.free_symbols <= set(_box(self.parameters)):
            return {"expression": sp.sstr(step), "at_parameters": self.eta, "lower": None, "upper": None}
        return {"expression": sp.sstr(step), **self._ends(self.enclose(step), exact)}

    @cached_property
    def vacuity(self) -> dict:
        """``{"vacuous", "trivial_bound", "formula", "reason"}``: ``vacuous`` is True when the bound's lower end
        exceeds the trivial bound of the quantity (:func:`rlhfsym.output.trivial_bounds`: the bound says nothing
        anywhere on the box), False when its upper end is below it, None when neither is certain (on an interval)
        or the quantity has no finite trivial bound at these parameters."""
        quantity = self.info.labels["bounds"]
        radius = iterate_radius(self.info.declared)
        if radius == 1 and self.info.declared.algorithm.name in CONTRACTING and not self._steps_contract():
            radius = None
        found = None if radius is None else trivial_bounds(quantity, radius)
        box = _box(self.parameters)
        if found is None or any(not c.free_symbols <= set(box) for c in found[1]):
            return {"vacuous": None, "trivial_bound": None, "formula": None,
                    "reason": f"no finite trivial bound of the {quantity} from these parameters"}  # fmt: skip
        formula_text, candidates = found
        upper = min((self.enclose(c) for c in candidates), key=lambda e: e.upper)
        trivial = number(upper.upper, self.digits, "up")
        if self.enclosure.lower > upper.upper:
            return {"vacuous": True, "trivial_bound": trivial, "formula": formula_text,
                    "reason": f"the bound is >= {self.lower}, above {trivial}, which no {quantity} of this iterate "
                              f"exceeds ({formula_text})"}  # fmt: skip
        lowest = min(self.enclose(c).lower for c in candidates)
        if self.enclosure.upper < lowest:
            return {"vacuous": False, "trivial_bound": trivial, "formula": formula_text,
                    "reason": f"the bound is <= {self.upper}, below the trivial bound {trivial} ({formula_text})"}
        return {"vacuous": None, "trivial_bound": trivial, "formula": formula_text,
                "reason": f"the enclosure [{self.lower}, {self.upper}] of the bound contains the trivial bound "
                          f"{trivial} ({formula_text}): not decided at these digits or on this box"}  # fmt: skip

    def assumptions(self) -> list[Assumption]:
        """Every premise of the printed bound with its kind: parameter rules and conditions (certified here),
        asserted conditions (assumed by the caller), external facts (taken on trust)."""
        return _assumptions(self.info, self.conditional_on)

    def _steps_contract(self) -> bool:
        """Is every step at most 1/(beta B^2) on the box, certified? A schedule eta_t is enclosed for every t in
        [1, T] (the steps a run of T iterations takes)."""
        step = self.info.step
        if step is None:
            return False
        box = dict(_box(self.parameters))
        for s in step.free_symbols - set(box):
            if s.name != "t" or SYMBOLS["T"] not in box:
                return False
            box[s] = (Fraction(1), box[SYMBOLS["T"]][1])
        try:
            scaled = enclose(step * SYMBOLS["beta"] * SYMBOLS["B"] ** 2, {s: box[s] for s in
                             (step * SYMBOLS["beta"] * SYMBOLS["B"] ** 2).free_symbols})  # fmt: skip
        except RlhfsymError:
            return False
        return scaled.le(1) is Decision.TRUE

    def to_json(self, exact: bool = False) -> dict:
        """The JSON object of ``rlhfsym bound --json`` (schema ``rlhfsym.bound.v2``): every certified value a decimal
        string in one format, rounded outward (:func:`rlhfsym.output.number`); ``exact=True`` adds the exact ends
        of every enclosure (``exact_lower``, ``exact_upper``) and the exact parameters."""
        labels = self.info.labels
        delta = self.parameters.get("delta")
        vacuity = self.vacuity
        data = {
            "schema": SCHEMAS["bound"],
            "theorem": self.info.name,
            **{key: labels[key] for key in ("algorithm", "bounds", "iterate", "holds")},
            "delta": None if delta is None else _short_value(delta),
            "parameters": {name: _short_value(v) for name, v in self.parameters.items()},
            "digits": self.digits,
            **self._ends(self.enclosure, exact),
            "terms": self.terms(exact),
            "constants": self.constants(exact),
            "step": self.step(exact),
            "vacuous": vacuity["vacuous"],
            "trivial_bound": vacuity["trivial_bound"],
            "vacuous_reason": vacuity["reason"],
            "rate_n": self.info.rates.get("n"),
            "rate_T": self.info.rates.get("T"),
            "conditional_on": [h.name for h in self.conditional_on],
            "assumptions": [a.to_json() for a in self.assumptions()],
            "expression": sp.sstr(self.info.bound),
            "latex": sp.latex(self.info.bound),
        }
        if exact:
            data["exact_parameters"] = {name: _shown_value(v) for name, v in self.parameters.items()}
        return data


def _short_value(v: Value) -> str:
    """A given value in the one format: exact when short (``0.05``, ``1/3``), else its ends rounded outward to
    :data:`rlhfsym.output.SHORT_DIGITS` digits; ``"[lo, hi]"`` for an interval (or a point not written short)."""
    lo, hi = (Fraction(int(x.p), int(x.q)) for x in (v.lo, v.hi))
    exact_lo, exact_hi = exact_number(lo), exact_number(hi)
    if v.is_point and exact_lo is not None:
        return exact_lo
    low = exact_lo if exact_lo is not None else number(lo, SHORT_DIGITS, "down")
    high = exact_hi if exact_hi is not None else number(hi, SHORT_DIGITS, "up")
    return f"[{low}, {high}]"


def _eta_text(info: TheoremInfo, values: Mapping[str, Value]) -> str | None:
    """The step size the theorem uses at these values: exact when the parameters are points, else symbolic."""
    if info.step is None:
        return None
    points = {SYMBOLS[name]: v.lo for name, v in values.items() if v.is_point}
    return sp.sstr(info.step.xreplace(points))  # exact: the values are rationals


def bound(
    theorem: str, *, digits: int = DEFAULT_DIGITS, assume: object = None, **parameters: object
) -> BoundResult:
    """Certified enclosure of ``theorem``'s bound at ``parameters`` (exact numbers or ``[lo, hi]``).

    ``assume`` names the theorem's asserted conditions the caller guarantees (a name or a list of names): a
    theorem with an asserted condition is refused unless every one is named, and the result is conditional on
    them. Raises :class:`~rlhfsym.errors.ParameterError` for an unknown theorem, a missing, unused or invalid
    parameter, a parameter condition that the values break (or that cannot be certified on an interval), or an
    asserted condition not assumed.
    """
    digits = _check_digits(digits)
    info = theorem_info(theorem)
    values = _validated(info, parameters)
    _certify_conditions(info, values)
    conditional_on = info.asserted_named(assume)  # after the values: a bad value is the first thing to hear of
    enclosure = enclose(info.bound, _box(values))
    return BoundResult(info, values, enclosure, digits, conditional_on=conditional_on)


def formula(theorem: str, *, digits: int = DEFAULT_DIGITS, **parameters: object) -> BoundResult:
    """The enclosure of ``theorem``'s bound at ``parameters`` WITHOUT certifying its conditions (parameter or
    asserted): the formula's value where the theorem may not hold. Negative controls break a condition on purpose
    (a step above 1/(beta B^2)) and compare a measured value with it; anything else wants :func:`bound`."""
    digits = _check_digits(digits)
    info = theorem_info(theorem)
    values = _validated(info, parameters)
    return BoundResult(info, values, enclose(info.bound, _box(values)), digits, conditional_on=info.asserted)


@dataclass(frozen=True)
class Skipped:
    """A theorem :func:`bound_all` did not evaluate, and why: a parameter it needs was not given (``missing``), it
    rests on an asserted condition not assumed, or the values break one of its parameter conditions."""

    theorem: str
    reason: str
    missing: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"theorem": self.theorem, "reason": self.reason, "missing": list(self.missing)}


@dataclass(frozen=True)
class AllBounds:
    """Every theorem evaluated at one parameter set (:func:`bound_all`): the certified ``results``, the theorems
    ``skipped`` with the reason, and the given parameters no theorem takes (``unused``)."""

    parameters: Mapping[str, Value]
    results: tuple[BoundResult, ...]
    skipped: tuple[Skipped, ...]
    unused: tuple[str, ...]

    def __repr__(self) -> str:
        return f"<bound_all: {len(self.results)} evaluated, {len(self.skipped)} skipped>"

    def to_json(self, exact: bool = False) -> dict:
        """The JSON object of ``rlhfsym bound --all --json`` (schema ``rlhfsym.bound-all.v1``)."""
        return {
            "schema": SCHEMAS["bound-all"],
            "parameters": {name: _short_value(v) for name, v in self.parameters.items()},
            "bounds": [result.to_json(exact) for result in self.results],
            "skipped": [skip.to_json() for skip in self.skipped],
            "unused": list(self.unused),
        }


def bound_all(*, digits: int = DEFAULT_DIGITS, assume: object = None, **parameters: object) -> AllBounds:
    """Every theorem of the chain that applies to ``parameters``, each evaluated with :func:`bound` on the
    parameters it takes (the others are ignored). A theorem that needs a parameter not given, rests on an asserted
    condition not named in ``assume``, or whose parameter conditions the values break is skipped with the reason.
    A bad value of a given parameter (its own rule, or a cross rule between given parameters) raises
    :class:`~rlhfsym.errors.ParameterError`, as does a name in ``assume`` that is no theorem's asserted condition."""
    digits = _check_digits(digits)
    values = validate_parameters(**parameters)
    assumed = _assumed_names(assume)
    known = catalogue()
    infos = [known.info(name) for name in known.names]
    conditions = {h.name for info in infos for h in info.asserted}
    for name in assumed:
        if name not in conditions:
            raise ParameterError("assume", f"no theorem has the asserted condition {name} (they have: "
                                 f"{', '.join(sorted(conditions)) or 'none'})", name)  # fmt: skip
    results: list[BoundResult] = []
    skipped: list[Skipped] = []
    for info in infos:
        missing = tuple(p for p in info.parameters if p not in values)
        unassumed = [h.name for h in info.asserted if h.name not in assumed]
        if missing:
            skipped.append(Skipped(info.name, f"needs {', '.join(missing)}", missing))
        elif unassumed:
            skipped.append(Skipped(info.name, f"rests on the asserted condition {', '.join(unassumed)}, which no "
                                   f"parameter can certify (assume it by name for a bound conditional on it)"))
        else:
            try:
                results.append(bound(info.name, digits=digits, assume=[h.name for h in info.asserted],
                                     **{p: parameters[p] for p in info.parameters}))  # fmt: skip
            except RlhfsymError as err:  # a parameter condition of this theorem fails (or cannot be certified)
                skipped.append(Skipped(info.name, str(err)))
    used = {p for info in infos for p in info.parameters}
    unused = tuple(p for p in values if p not in used)
    return AllBounds(values, tuple(results), tuple(skipped), unused)


# ----------------------------------------------------------------------------------------------- sample size


@dataclass(frozen=True)
class SampleSizeResult:
    """The smallest ``value`` of ``variable`` (n or T) whose certified upper bound is <= epsilon.

    Certified: the bound at ``value`` is <= epsilon on the whole box (``upper_at_value``); at ``value - 1`` it is
    certainly above epsilon (``previous == "exceeds"``), or the enclosure straddles epsilon (``"undecided"``), or
    ``value`` is the least value allowed (``"none"``). ``monotone`` says whether the derivative of the bound in the
    variable was certified <= 0 on the box for every variable value in [1, value] (interval arithmetic); then
    every smaller value also exceeds epsilon, and ``smallest`` is True when ``previous`` is ``"exceeds"`` too."""

    info: TheoremInfo
    variable: str
    value: int
    epsilon: Fraction
    parameters: Mapping[str, Value]
    at_value: Enclosure
    at_previous: Enclosure | None
    previous: str
    monotone: bool
    conditional_on: tuple[Any, ...] = ()

    @property
    def smallest(self) -> bool:
        """Certified that no smaller value reaches epsilon (monotone, and the previous value exceeds it)."""
        return self.previous == "none" or (self.monotone and self.previous == "exceeds")

    def __int__(self) -> int:
        """The sample size (or number of iterations) found."""
        return self.value

    def __repr__(self) -> str:
        """``<sample-size erm_gap_le_of_coverage: n = 2952, bound <= 0.05>``."""
        return f"<sample-size {self.info.name}: {self.variable} = {self.value}, bound <= {exact_decimal(self.epsilon)}>"

    def _repr_latex_(self) -> str:
        return f"${self.variable} = {self.value}$ (bound $\\le {exact_decimal(self.epsilon)}$)"

    def to_json(self, exact: bool = False) -> dict:
        """The JSON object of ``rlhfsym sample-size --json`` (schema ``rlhfsym.sample-size.v2``): ``{"<variable>":
        int, ...}``, values in the one format of :func:`rlhfsym.output.number`; ``exact=True`` adds the exact ends."""
        labels = self.info.labels
        data = {
            "schema": SCHEMAS["sample-size"],
            self.variable: self.value,
            "theorem": self.info.name,
            **{key: labels[key] for key in ("algorithm", "bounds", "iterate", "holds")},
            "solve_for": self.variable,
            "epsilon": exact_number(self.epsilon) or number(self.epsilon, SIZE_DIGITS, "down"),
            "parameters": {name: _short_value(v) for name, v in self.parameters.items()},
            "upper_at_value": number(self.at_value.upper, SIZE_DIGITS, "up"),
            "previous": self.previous,
            "lower_at_previous": None if self.at_previous is None else number(self.at_previous.lower, SIZE_DIGITS,
                                                                              "down"),
            "monotone": self.monotone,
            "smallest": self.smallest,
            "certified": True,
            "conditional_on": [h.name for h in self.conditional_on],
        }
        if exact:
            data["exact_upper_at_value"] = exact_decimal(self.at_value.upper)
            previous = self.at_previous
            data["exact_lower_at_previous"] = None if previous is None else exact_decimal(previous.lower)
            data["exact_parameters"] = {name: _shown_value(v) for name, v in self.parameters.items()}
        return data


def _at(info: TheoremInfo, box: Mapping[sp.Symbol, tuple], var: sp.Symbol, k: int) -> Enclosure:
    return enclose(info.bound, {**box, var: (Fraction(k), Fraction(k))})


def _conditions_hold(conditions: tuple[Any, ...], box: Mapping[sp.Symbol, tuple], var: sp.Symbol, k: int) -> bool:
    """Is every parameter condition that involves the solved-for ``var`` certified on the box at ``var = k`` (a
    sample size below the one a condition needs, such as the matrix Chernoff bound's, is no answer)?"""
    at = {**box, var: (Fraction(k), Fraction(k))}
    for h in conditions:
        region = {s: at[s] for s in h.gap.free_symbols}
        if not _enclosed_nonnegative(h.gap, region) and prove_le(
            sp.S.Zero, h.gap, region, max_boxes=CONDITION_BUDGET
        ).status != PROVED:
            return False
    return True


def _nonincreasing(info: TheoremInfo, box: Mapping[sp.Symbol, tuple], var: sp.Symbol, upto: int) -> bool:
    """Is d(bound)/d(var) <= 0 certified on the box for var in [1, upto]?"""
    if upto <= 1:
        return True
    slope = info.slopes[var.name]
    region = {s: box[s] for s in slope.free_symbols if s in box}
    region[var] = (Fraction(1), Fraction(upto))
    return prove_le(slope, sp.S.Zero, region, max_boxes=CONDITION_BUDGET).status == PROVED


def sample_size(
    theorem: str, epsilon: object, *, solve_for: str = "n", assume: object = None, **parameters: object
) -> SampleSizeResult:
    """The smallest n (or T, with ``solve_for="T"``) at which ``theorem``'s certified upper bound is <= epsilon
    (``assume``: the asserted conditions the caller guarantees, as for :func:`bound`)."""
    info = theorem_info(theorem)
    if solve_for not in SOLVABLE:
        raise ParameterError("solve_for", "must be n or T", solve_for)
    var = SYMBOLS[solve_for]
    if var not in info.bound.free_symbols:
        raise ParameterError("solve_for", f"the bound of {theorem} does not depend on {solve_for}", solve_for)
    eps = parse_number("epsilon", epsilon)
    if eps <= 0:
        raise ParameterError("epsilon", "must be > 0", epsilon)
    values = _validated(info, parameters, exclude=(solve_for,))
    _certify_conditions(info, values)
    conditional_on = info.asserted_named(assume)
    box = _box(values)
    pending = tuple(h for h in info.conditions if var in h.gap.free_symbols)  # certified at each candidate
    fits = lambda k: _at(info, box, var, k).le(eps) is Decision.TRUE and _conditions_hold(pending, box, var, k)  # noqa: E731
    high = 1
    while not fits(high):
        if high >= MAX_SIZE:
            raise ParameterError("epsilon", _unreachable(info, box, var, eps), _fraction_text(eps))
        high *= 2
    low = high // 2  # fits(low) is False (or low == 0)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if fits(mid) else (mid, high)
    at_value = _at(info, box, var, high)
    previous, at_previous = "none", None
    if high > 1:
        at_previous = _at(info, box, var, high - 1)
        previous = "exceeds" if at_previous.gt(eps) is Decision.TRUE else "undecided"
    monotone = _nonincreasing(info, box, var, high)
    return SampleSizeResult(
        info, solve_for, high, eps, values, at_value, at_previous, previous, monotone, conditional_on
    )


def _unreachable(info: TheoremInfo, box: Mapping[sp.Symbol, tuple], var: sp.Symbol, eps: Fraction) -> str:
    """Why no n (or T) up to MAX_SIZE reaches epsilon: the limit of the bound, when sympy finds it."""
    text = f"no {var} <= 2^{int(math.log2(MAX_SIZE))} brings the bound of {info.name} to <= {_fraction_text(eps)}"
    try:
        limit = sp.limit(info.bound, var, sp.oo)
        floor = enclose(limit, {s: box[s] for s in limit.free_symbols})
    except Exception:
        return text
    return f"{text}: as {var} -> oo it tends to >= {floor.lower_decimal(DEFAULT_DIGITS)}"


# ----------------------------------------------------------------------------------------------- values of constants


def certified_evaluator(values: Mapping[str, object], digits: int = DEFAULT_DIGITS):
    """A function ``expr -> str | None``: the certified upper value of any expression of the chain at
    ``values`` (rounded up to ``digits``, in the one format of :func:`rlhfsym.output.number`), or None when the
    expression has a symbol without a value.

    Every theorem whose parameters are all given is first evaluated with :func:`bound`, so a value that breaks a
    theorem's condition raises ``ParameterError`` here (no value of a bound whose assumptions fail is given).
    """
    digits = _check_digits(digits)
    validated = validate_parameters(**values)
    for lemma in _chain():
        info = theorem_info(lemma.name) if lemma.kind == "theorem" else None
        if info is not None and set(info.parameters) <= set(validated):  # parameter conditions only
            bound(lemma.name, assume=[h.name for h in info.asserted], **{p: values[p] for p in info.parameters})
    box = _box(validated)

    def evaluate(expr: sp.Expr) -> str | None:
        if not expr.free_symbols <= set(box):
            return None
        return number(enclose(expr, {s: box[s] for s in expr.free_symbols}).upper, digits, "up")

    return evaluate
