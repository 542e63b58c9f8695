"""``rlhfsym.bound`` at the edge of every condition of every theorem of the registry.

For every theorem (walked through ``rlhfsym.theorems()``, never hand-listed) and every rule its parameters obey --
the parameter rules of the setting (``rlhfsym.rules.RULES``), the setting's cross-check gamma <= B^2, and each
condition the theorem states on its parameters (``theorem_info(name).conditions``, e.g. eta <= 1/(beta B^2)) --
the cases put one parameter just outside the edge, on it, just inside, and on an interval that straddles it, with
the other parameters at safe values. An independent oracle decides each case from the rules and conditions alone
(evaluated exactly at the corners of the parameter box: every condition of the chain is monotone in each parameter),
before ``bound`` is called: a value that breaks a rule anywhere on its box must raise ``ParameterError`` naming a
parameter of the theorem; a value that obeys every rule must give a bound with lower <= upper. Exact inputs only
(Fractions and strings); floats are refused by design, also checked here.

KNOWN FAILURES (an interval that straddles the setting's edge gamma <= B^2 gives a bound):

* ``<theorem>-setting-gamma_le_B2-*-straddle`` and ``<theorem>-setting-gamma_le_B2-B-interval-breaks-it`` for the
  theorems that take gamma but do not state gamma <= B^2 among their own conditions (erm_gap_le_of_coverage and the
  two SGA best-gap theorems; ga_best_gap_le_of_coverage states it, through the last-iterate bound it cites):
  ``rlhfsym.setting._cross_checks`` refuses gamma only when *every* point of its interval exceeds B^2
  (``values["gamma"].lo > values["B"].hi ** 2``), so gamma in [1/2, 1 + 10^-6] with B = 1, or B in
  [7/10, 1] with gamma = 3/4, passes, while the GA theorems (which state gamma_le) refuse the same box. A point
  gamma = 1 + 10^-6 is refused everywhere.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import pytest
import sympy as sp

import rlhfsym
from rlhfsym.bounds import theorem_info
from rlhfsym.errors import ParameterError
from rlhfsym.rules import RULES
from rlhfsym.setting import SYMBOLS

F = Fraction
#: How far outside an edge (and how wide a straddling interval) the cases go.
EPS = F(1, 10**6)
#: How far inside an open lower end an *allowed* value goes: 1/1000, not EPS, because the best-gap bounds grow like
#: exp(2 B S / beta), and bound() at beta = 10^-6 (a number of about 10^868588) takes 20 to 100 seconds.
INSIDE = F(1, 1000)

#: Safe values of every parameter of the setting: inside every rule and every condition of the chain.
BASE: dict[str, Fraction] = {
    "B": F(1), "S": F(1), "beta": F(1), "n": F(100), "K": F(2), "d": F(2), "gamma": F(1, 2), "gamma_D": F(1, 2),
    "residual": F(1, 2), "T": F(10), "eta": F(1, 2), "delta": F(1, 20),
}

THEOREMS: list[str] = [row["theorem"] for row in rlhfsym.theorems()]

Value = Fraction | tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Condition:
    """A rule on the parameters: ``gap >= 0`` everywhere on the box."""

    name: str
    gap: sp.Expr


@functools.cache
def _conditions(name: str) -> tuple[Condition, ...]:
    info = theorem_info(name)
    found = [Condition(h.name, h.gap) for h in info.conditions]
    # The setting's cross-check (rlhfsym.setting): a covariance of features of norm <= B has lambda_min <= B^2.
    for cov in ("gamma", "gamma_D"):
        if cov in info.parameters and "B" in info.parameters:
            found.append(Condition(f"setting-{cov}_le_B2", SYMBOLS["B"] ** 2 - SYMBOLS[cov]))
    return tuple(found)


def _ends(value: Value) -> tuple[Fraction, Fraction]:
    return value if isinstance(value, tuple) else (value, value)


def oracle_allows(name: str, values: Mapping[str, Value]) -> bool:
    """Do the values obey every parameter rule at both ends and every condition at every corner of their box?"""
    for param, value in values.items():
        if not all(RULES[param].admits(end) for end in _ends(value)):
            return False
    corners = itertools.product(*[_ends(values[p]) for p in values])
    for corner in corners:
        point = {SYMBOLS[p]: sp.Rational(c.numerator, c.denominator) for p, c in zip(values, corner, strict=True)}
        for condition in _conditions(name):
            if condition.gap.free_symbols <= set(point):
                value = condition.gap.xreplace(point)
                negative = value.is_negative
                if negative is None:
                    negative = bool(sp.N(value, 50) < 0)
                if negative:
                    return False
    return True


@dataclass(frozen=True)
class Edge:
    theorem: str
    label: str
    values: Mapping[str, Value]
    allowed: bool

    @property
    def id(self) -> str:
        return f"{self.theorem}-{self.label}"


def _edge(theorem: str, label: str, **changes: Value) -> Edge:
    params = theorem_info(theorem).parameters
    values: dict[str, Value] = {p: BASE[p] for p in params}
    values.update(changes)
    return Edge(theorem, label, values, oracle_allows(theorem, values))


def _rule_edges(theorem: str) -> list[Edge]:
    edges = []
    for param in theorem_info(theorem).parameters:
        rule = RULES[param]
        low = rule.lowest
        step = F(1) if rule.integer else EPS
        inside = F(1) if rule.integer else INSIDE
        if rule.lowest_open:
            edges += [_edge(theorem, f"{param}-at-open-lower-end", **{param: low}),
                      _edge(theorem, f"{param}-just-inside-lower-end", **{param: low + inside})]
        else:
            edges += [_edge(theorem, f"{param}-at-closed-lower-end", **{param: low})]
        edges += [_edge(theorem, f"{param}-just-below-lower-end", **{param: low - step}),
                  _edge(theorem, f"{param}-straddles-lower-end", **{param: (low - step, low + step)}),
                  _edge(theorem, f"{param}-interval-inside", **{param: (low + inside, low + 2 * inside)})]
        if rule.integer:
            edges += [_edge(theorem, f"{param}-not-an-integer", **{param: low + F(1, 2)})]
        if rule.highest is not None:
            high = rule.highest
            edges += [_edge(theorem, f"{param}-at-upper-end", **{param: high}),
                      _edge(theorem, f"{param}-just-above-upper-end", **{param: high + step}),
                      _edge(theorem, f"{param}-just-inside-upper-end", **{param: high - step}),
                      _edge(theorem, f"{param}-straddles-upper-end", **{param: (high - step, high + step)})]
    return edges


def _rational_near(x: sp.Expr, direction: int) -> Fraction:
    """A rational within about EPS of the real number ``x``, strictly on the side ``direction`` (+1 above)."""
    value = sp.Rational(sp.nsimplify(sp.N(x, 40), rational=True))
    candidate = F(int(value.p), int(value.q)) + direction * EPS
    assert (sp.Rational(candidate.numerator, candidate.denominator) - x) * direction > 0
    return candidate


def _condition_edges(theorem: str) -> list[Edge]:
    params = theorem_info(theorem).parameters
    edges = []
    for condition in _conditions(theorem):
        for symbol in sorted(condition.gap.free_symbols, key=str):
            param = symbol.name
            if param not in params:
                continue
            others = {SYMBOLS[p]: sp.Rational(BASE[p].numerator, BASE[p].denominator) for p in params if p != param}
            gap = condition.gap.xreplace(others)
            roots = [root for root in sp.solve(gap, symbol) if root.is_real and root.is_positive]
            for root in roots:
                slope = sp.diff(gap, symbol).xreplace({symbol: root})
                outward = -1 if slope > 0 else 1  # the side where the gap becomes negative
                outside, inside = _rational_near(root, outward), _rational_near(root, -outward)
                tag = f"{condition.name}-{param}"
                edges += [_edge(theorem, f"{tag}-just-outside", **{param: outside}),
                          _edge(theorem, f"{tag}-just-inside", **{param: inside}),
                          _edge(theorem, f"{tag}-straddle", **{param: tuple(sorted((inside, outside)))})]
                if root.is_Rational:
                    edges.append(_edge(theorem, f"{tag}-on-the-edge", **{param: F(int(root.p), int(root.q))}))
            if param == "gamma" and condition.name.startswith("setting"):
                # B is an interval whose lower end breaks gamma <= B^2: the whole box must obey the rule.
                edges.append(_edge(theorem, f"{condition.name}-B-interval-breaks-it", B=(F(7, 10), F(1)),
                                   gamma=F(3, 4)))
    return edges


EDGES: list[Edge] = []
for _theorem in THEOREMS:
    EDGES += [_edge(_theorem, "base"), *_rule_edges(_theorem), *_condition_edges(_theorem)]


def _as_arguments(values: Mapping[str, Value]) -> dict[str, object]:
    return {p: list(v) if isinstance(v, tuple) else v for p, v in values.items()}


def _assumed(theorem: str) -> dict[str, object]:
    """The asserted conditions of ``theorem`` (REINFORCE's ball), assumed by name: the edges probe its parameters."""
    asserted = [h.name for h in theorem_info(theorem).asserted]
    return {"assume": asserted} if asserted else {}


@pytest.mark.parametrize("edge", EDGES, ids=lambda edge: edge.id)
def test_bound_at_the_edge_of_a_condition(edge: Edge) -> None:
    arguments = _as_arguments(edge.values)
    if edge.allowed:
        result = rlhfsym.bound(edge.theorem, **_assumed(edge.theorem), **arguments)
        assert F(result.lower) <= F(result.upper)
    else:
        with pytest.raises(ParameterError) as err:
            rlhfsym.bound(edge.theorem, **_assumed(edge.theorem), **arguments)
        assert err.value.parameter in theorem_info(edge.theorem).parameters, str(err.value)


@pytest.mark.parametrize("theorem", THEOREMS)
def test_a_float_is_refused_for_every_parameter(theorem: str) -> None:
    for param in theorem_info(theorem).parameters:
        arguments = _as_arguments({p: BASE[p] for p in theorem_info(theorem).parameters})
        arguments[param] = float(BASE[param])
        with pytest.raises(ParameterError) as err:
            rlhfsym.bound(theorem, **_assumed(theorem), **arguments)
        assert err.value.parameter == param


def test_the_edges_cover_every_theorem_and_both_outcomes() -> None:
    assert THEOREMS and {edge.theorem for edge in EDGES} == set(THEOREMS)
    for theorem in THEOREMS:
        outcomes = {edge.allowed for edge in EDGES if edge.theorem == theorem}
        assert outcomes == {True, False}, theorem
    stated = [edge for edge in EDGES if "-just-outside" in edge.label and not edge.label.startswith("setting")]
    assert stated and not any(edge.allowed for edge in stated)
