"""Decision procedures: is an expression identically zero, is it nonnegative under its symbols' assumptions?

Each procedure answers with a :class:`Verdict`:

* ``verified`` -- sympy reduced the question to a certainty (a normal form equal to 0; a sign implied by the
  assumptions of the symbols);
* ``failed`` -- a point of the domain was found where the claim is false, evaluated to 30 significant digits,
  and the point is shown;
* ``undecided`` -- neither; never reported as verified.

Normal forms for ``== 0`` (cheapest first): the expression itself; the expression with every log argument
factored, logs expanded, and then every ``exp(.)`` and ``log(.)`` replaced by an independent symbol (a sound move:
a rational function that vanishes for independent generators vanishes for any values of them), put over a common
denominator and cancelled; for small expressions also full expansion and ``simplify``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from .domains import admits, conditions, trusted_atoms
from .sums import canonical, generators, has_sums

__all__ = [
    "EXTERNAL",
    "Verdict",
    "decide_nonneg",
    "decide_zero",
    "is_nonneg",
    "is_nonzero",
    "is_pos",
    "normal_forms_zero",
    "random_point",
]

VERIFIED, FAILED, UNDECIDED = "verified", "failed", "undecided"
#: The status of an external fact: taken on trust (stated once, with its reference), never checked.
EXTERNAL = "external"
_TINY = sp.Float("1e-20")
_SAMPLES = 12
_BIG = 400
#: The largest length a counterexample search writes a sum of symbolic length out to (its limits are drawn small).
_MAX_TERMS = 3


@dataclass(frozen=True)
class Verdict:
    """The answer of a decision procedure, with a human-readable detail (residual, counterexample, reason)."""

    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED


def _freeze_transcendentals(expr: sp.Expr) -> sp.Expr:
    """Replace ``exp`` and ``log`` atoms by independent generators.

    ``exp(c_1 m_1 + ... + c_k m_k)`` with integer ``c_i`` becomes ``E_1^c_1 ... E_k^c_k`` (one generator per
    monomial ``m_i``, an identity), so that ``exp(-s)``, ``1/exp(s)`` and ``exp(s + t)`` agree with ``exp(s)``;
    each ``log(.)`` atom becomes a generator. A generator is declared positive (``exp`` of a real) or real (``log``
    of a positive) only when sympy proves it, so that sign readings of frozen forms stay sound.
    """
    generators: dict[sp.Expr, sp.Symbol] = {}

    def gen(monomial: sp.Expr) -> sp.Symbol:
        if monomial not in generators:
            generators[monomial] = sp.Dummy("E", positive=True) if monomial.is_real else sp.Dummy("E")
        return generators[monomial]

    def laurent(arg: sp.Expr) -> sp.Expr:
        factors = []
        for term in sp.Add.make_args(sp.expand(arg)):
            coeff, monomial = term.as_coeff_Mul()
            factors.append(gen(monomial) ** coeff if coeff.is_Integer else gen(term))
        return sp.Mul(*factors)

    mapping: dict[sp.Expr, sp.Expr] = {atom: laurent(atom.args[0]) for atom in expr.atoms(sp.exp)}
    for atom in expr.atoms(sp.log):
        mapping[atom] = sp.Dummy("L", real=True) if atom.args[0].is_positive else sp.Dummy("L")
    return expr.xreplace(mapping) if mapping else expr


def _canonical_logs(expr: sp.Expr) -> sp.Expr:
    """Write every log argument in factored form, so that equal quantities give equal log atoms."""
    return expr.replace(lambda e: isinstance(e, sp.log), lambda e: sp.log(sp.factor(e.args[0])))


def _zero_forms(expr: sp.Expr) -> Iterator[tuple[sp.Expr, bool]]:
    """Equivalent forms of ``expr``, cheapest first, each flagged True when it still has ``expr``'s symbols.

    The expensive forms (full expansion, ``simplify``) are only tried on expressions of at most _BIG operations.
    """
    yield expr, True
    if has_sums(expr):  # finite sums of symbolic length: linearity and renaming, then independent generators
        summed = sp.expand_log(generators(canonical(expr)))
        yield sp.cancel(sp.together(_freeze_transcendentals(summed))), False
        return
    logs = sp.expand_log(_canonical_logs(expr))
    yield sp.cancel(sp.together(_freeze_transcendentals(logs))), False
    if sp.count_ops(expr) > _BIG:
        return
    expanded = sp.expand(sp.expand_log(expr))
    yield expanded, True
    yield sp.cancel(sp.together(_freeze_transcendentals(expanded))), False
    yield sp.simplify(expr), True


def normal_forms_zero(expr: sp.Expr) -> tuple[bool, sp.Expr]:
    """Return ``(True, 0)`` if a normal form of ``expr`` is 0, else ``(False, simplest faithful form)``.

    Forms with frozen ``exp``/``log`` generators prove zero but are never returned: their dummies are not the
    expression's variables, so a counterexample search on them would be meaningless.
    """
    simplest = expr
    for form, faithful in _zero_forms(sp.sympify(expr, strict=True)):
        if form == 0:
            return True, sp.S.Zero
        if faithful and sp.count_ops(form) < sp.count_ops(simplest):
            simplest = form
    return False, simplest


def _candidate(symbol: sp.Symbol, rng: random.Random) -> sp.Rational:
    """A random exact value of the symbol's kind and sign (parity and other assumptions are checked after)."""
    if symbol.is_integer:
        value = sp.Integer(rng.randint(0, 6))
        if symbol.is_odd and value.is_even:
            value += 1
        if symbol.is_even and value.is_odd:
            value += 1
        if symbol.is_positive and value == 0:
            value = sp.Integer(2) if symbol.is_even else sp.Integer(1)
        negative = symbol.is_negative or symbol.is_nonpositive or (
            not (symbol.is_positive or symbol.is_nonnegative) and rng.random() < 0.5
        )
        return -value if negative else value
    value = sp.Rational(rng.randint(1, 2999), 1000)
    if symbol.is_positive or symbol.is_nonnegative:
        return value
    if symbol.is_negative or symbol.is_nonpositive:
        return -value
    return value - sp.Rational(3, 2)


def _sample(symbol: sp.Symbol, rng: random.Random) -> sp.Rational | None:
    """A random exact value that the symbol's assumptions admit (sign, integrality, parity, ...), or None."""
    for _ in range(4):
        value = _candidate(symbol, rng)
        if admits(value, symbol):
            return value
    return None


def random_point(symbols: Iterable[sp.Symbol], rng: random.Random) -> dict[sp.Symbol, sp.Rational] | None:
    """An exact random point that every symbol's assumptions admit, or None when no admissible value was found."""
    point = {}
    for s in sorted(symbols, key=sp.default_sort_key):
        value = _sample(s, rng)
        if value is None:
            return None
        point[s] = value
    return point


def _value(expr: sp.Expr, point: dict) -> sp.Float | None:
    """``expr`` at ``point`` to 30 digits, or None when it is not a finite real number there."""
    try:
        placed = sp.sympify(expr, strict=True).xreplace(point)
        if placed.has(sp.I):  # a node is not real there (sqrt(x) sqrt(y) at x, y < 0 is real, yet undefined)
            return None
        value = placed.evalf(30)
    except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):
        return None
    if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real:
        return None
    return value


def _defined_at(expr: sp.Expr, point: dict) -> bool:
    """Is every node of ``expr`` a finite real at ``point``: each side condition (a denominator nonzero, a log
    argument positive, the base of a fractional power nonnegative) certainly holds there? Read on the tree before
    sympy evaluates it at the point (sqrt(x) sqrt(y) at x, y < 0 evaluates to a real number, yet is undefined)."""
    for condition in conditions(expr, strict=False):
        value = _value(condition.expr, point)
        if value is None:
            return False
        if condition.kind == "nonzero" and not abs(value) > _TINY:
            return False
        if condition.kind == "positive" and not value > _TINY:
            return False
        if condition.kind == "nonnegative" and not value >= 0:
            return False
    return True


def _show_point(point: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _concrete(exprs: Sequence[sp.Expr], point: dict) -> list[sp.Expr] | None:
    """The expressions with the sums' lengths of ``point`` substituted and every sum written out (its limits are
    then numbers), other symbols left as they are; None when a sum cannot be expanded (a limit left symbolic, or a
    length beyond :data:`_MAX_TERMS`)."""
    out = []
    for e in exprs:
        if not e.atoms(sp.Sum):
            out.append(e)
            continue
        try:
            placed = e.subs(point)  # subs, not xreplace: it leaves the sums' bound indices alone
            for s in placed.atoms(sp.Sum):
                for limit in s.limits:
                    low, high = limit[1], limit[2]
                    if not (low.is_Integer and high.is_Integer) or abs(high - low) > _MAX_TERMS:
                        return None
            out.append(placed.doit())
        except (ValueError, TypeError, ArithmeticError):
            return None
    return out


def _entries(exprs: Sequence[sp.Expr], rng: random.Random) -> dict | None:
    """A random value for every entry ``p[k]`` of an indexed family in ``exprs``, admitted by the family's
    assumptions, or None when an entry's index is not a number."""
    values: dict = {}
    for e in exprs:
        for entry in sorted(e.atoms(sp.Indexed), key=sp.default_sort_key):
            if entry in values:
                continue
            if not all(k.is_Integer for k in entry.indices):
                return None
            proxy = sp.Dummy("entry", **{k: v for k, v in entry.base.assumptions0.items() if k == "integer" or (
                k in ("positive", "nonnegative", "negative", "nonpositive", "real") and v)})
            value = _sample(proxy, rng)
            if value is None or not admits(value, entry.base):
                return None
            values[entry] = value
    return values


def _search(
    expr: sp.Expr, bad: Callable[[sp.Float], bool], constraints: Sequence[sp.Expr], seed: int
) -> tuple[dict, sp.Float] | None:
    """Look for an admissible point (every symbol's and every indexed family's assumptions hold; sums written out
    at small lengths) where every constraint is >= 0 (a finite real number, certainly not negative) and
    ``bad(expr(point))`` holds."""
    rng = random.Random(seed)
    exprs = [sp.sympify(expr, strict=True), *constraints]
    labels = {entry.base.label for e in exprs for entry in e.atoms(sp.Indexed)}
    symbols = {s for e in exprs for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    lengths = {v for e in exprs for s in e.atoms(sp.Sum) for limit in s.limits for v in limit[1:] if v.is_Symbol}
    for _ in range(_SAMPLES):
        point = random_point(symbols - lengths, rng)
        if point is None:
            continue
        sizes = {}
        for v in sorted(lengths, key=sp.default_sort_key):  # a sum's length: small, and admitted by its symbol
            sizes[v] = next((k for k in rng.sample(range(_MAX_TERMS + 1), _MAX_TERMS + 1) if admits(sp.Integer(k), v)),
                            None)
        if any(value is None for value in sizes.values()):
            continue
        concrete = _concrete(exprs, sizes)
        if concrete is None:
            continue
        entries = _entries([e.xreplace(point) for e in concrete], rng)
        if entries is None:
            continue
        full = {**point, **sizes, **entries}
        values = [e.xreplace(full) for e in concrete]
        if any(v.free_symbols for v in values) or not all(_defined_at(e, full) for e in concrete):
            continue
        if any((v := _value(c, {})) is None or v < 0 for c in values[1:]):
            continue
        value = _value(values[0], {})
        if value is not None and bad(value):
            return full, value
    return None


def decide_zero(expr: sp.Expr, constraints: Sequence[sp.Expr] = (), seed: int = 0, search: bool = True) -> Verdict:
    """Decide ``expr == 0`` identically in its symbols (under their assumptions); a counterexample must be an
    admissible point where every one of ``constraints`` is >= 0 (the hypotheses of the claim). Without ``search``
    no counterexample is looked for (the answer is verified or undecided)."""
    zero, residual = normal_forms_zero(expr)
    if zero:
        return Verdict(VERIFIED)
    found = _search(residual, lambda v: abs(v) > _TINY, constraints, seed) if search else None
    if found is not None:
        point, value = found
        return Verdict(FAILED, f"residual {sp.sstr(residual)} = {sp.sstr(value.evalf(8))} at {_show_point(point)}")
    return Verdict(UNDECIDED, f"could not reduce the residual {sp.sstr(residual)} to 0, and found no counterexample")


def _sign_forms(expr: sp.Expr) -> Iterator[sp.Expr]:
    """Equivalent forms whose sign sympy may read off, cheapest first; frozen forms are sound for a sign too
    (each ``exp`` generator is positive and each ``log`` generator real, whatever their values)."""
    yield expr
    if has_sums(expr):
        expr = sp.expand_log(generators(canonical(expr)))
        yield expr
    yield sp.cancel(sp.together(_freeze_transcendentals(expr)))
    yield sp.factor(_freeze_transcendentals(expr))
    if sp.count_ops(expr) <= _BIG:
        yield sp.expand(expr)
        yield sp.simplify(expr)


def _reads(candidate: sp.Expr, kind: str) -> bool:
    """Does sympy's assumption system read ``kind`` (nonnegative, positive, nonzero) off ``candidate``?"""
    if getattr(candidate, f"is_{kind}") is True:
        return True
    if not candidate.is_Mul:
        return False
    if kind == "nonzero":
        return all(f.is_nonzero is True for f in candidate.args)
    if kind == "positive":
        signs = [1 if f.is_positive else -1 if f.is_negative else 0 for f in candidate.args]
        return 0 not in signs and signs.count(-1) % 2 == 0
    if all(f.is_nonnegative or f.is_nonpositive for f in candidate.args):
        return sum(1 for f in candidate.args if not f.is_nonnegative) % 2 == 0
    return False


#: The most absolute values a sign reading splits into cases (2^k cases).
_MAX_ABS_SPLITS = 3


def _abs_cases(form: sp.Expr) -> list[sp.Expr] | None:
    """``form`` read in cases that together cover every point, or None when it holds no absolute value to split.

    ``|v|`` of a real *symbol* v: the cases v >= 0 and v <= 0, v replaced by a symbol carrying that sign only (|v| is
    v, resp. -v, there; the cases cover the line). ``|e|`` of another real expression: the forms with ``|e|``
    replaced by ``e`` and by ``-e``, each with no condition (at every point |e| is one of the two values, so a sign
    that holds of both forms everywhere holds of ``form``)."""
    # Compound arguments first: a symbol split renames the symbol, and an atom holding it would no longer match.
    atoms = sorted(
        (a for a in form.atoms(sp.Abs) if a.args[0].is_real),
        key=lambda a: (isinstance(a.args[0], sp.Symbol), sp.default_sort_key(a)),
    )[:_MAX_ABS_SPLITS]
    if not atoms:
        return None
    cases = [form]
    for atom in atoms:
        inner = atom.args[0]
        split = []
        for case in cases:
            if isinstance(inner, sp.Symbol):
                for sign in ("nonnegative", "nonpositive"):
                    split.append(case.xreplace({inner: sp.Dummy(inner.name, **{sign: True})}))
            else:
                split.extend(case.xreplace({atom: value}) for value in (inner, -inner))
        cases = split
    return cases


def _sign(expr: sp.Expr, kind: str) -> bool:
    expr = sp.sympify(expr, strict=True)
    if not trusted_atoms(expr):
        return False
    for form in _sign_forms(expr):
        if _reads(form, kind):
            return True
        cases = _abs_cases(form)
        if cases is not None and all(any(_reads(f, kind) for f in _sign_forms(c)) for c in cases):
            return True
    return False


def is_nonneg(expr: sp.Expr) -> bool:
    """True when sympy's assumptions imply ``expr >= 0`` for one of a few equivalent forms of ``expr``.

    Sound at every point where ``expr`` is defined: two forms that are equal as rational functions of independent
    generators take the same value at every point where both trees are defined, and a form whose sign sympy reads
    is defined at every point of the symbols' domains (a real number is finite in sympy).
    """
    return _sign(expr, "nonnegative")


def is_pos(expr: sp.Expr) -> bool:
    """True when sympy's assumptions imply ``expr > 0`` for one of a few equivalent forms (as :func:`is_nonneg`)."""
    return _sign(expr, "positive")


def is_nonzero(expr: sp.Expr) -> bool:
    """True when sympy's assumptions imply ``expr != 0`` (a real number) for one of a few equivalent forms."""
    return _sign(expr, "nonzero") or _sign(expr, "positive") or _sign(-expr, "positive")


def decide_nonneg(expr: sp.Expr, constraints: Sequence[sp.Expr] = (), seed: int = 0, search: bool = True) -> Verdict:
    """Decide ``expr >= 0`` from the symbols' assumptions; look for a counterexample where ``constraints >= 0``
    (unless ``search`` is off)."""
    if is_nonneg(expr):
        return Verdict(VERIFIED)
    found = _search(expr, lambda v: v < -_TINY, constraints, seed) if search else None
    if found is not None:
        point, value = found
        return Verdict(FAILED, f"{sp.sstr(expr)} = {sp.sstr(value.evalf(8))} < 0 at {_show_point(point)}")
    return Verdict(UNDECIDED, f"sympy cannot decide the sign of {sp.sstr(expr)}, and no counterexample was found")
