"""How a certified bound is written out: one number format, its named terms, its derived constants, and whether it
is vacuous (above the trivial bound of what it bounds).

Main statements
---------------
* :func:`number` -- the one format of every certified value of every output: at most ``digits`` significant
  digits, rounded outward (an upper end up, a lower end down: the written value is never on the wrong side of the
  exact one), laid out as C's ``%g``: positional when the decimal exponent e has -5 <= e < digits, else
  ``d.ddde+X``, without trailing zeros. A value never shows more digits than it has significant ones
  (``2.64974e+19``, never ``26497400000000000000``).
* :func:`exact_number` -- a given value (a parameter) exactly: the same layout when its decimal has at most 17
  significant digits, else ``p/q`` when that is short, else None (the caller rounds it outward).
* :func:`terms` -- the bound split into its additive terms (sympy's ``Add`` arguments, so their sum *is* the bound),
  each term named by the sizes it depends on: ``statistical`` (the sample size n), ``optimisation`` (the number of
  iterations T), ``statistical-optimisation`` (both), ``bias`` (neither: what no n or T removes).
* :func:`trivial_bounds` -- upper bounds of the bounded quantity that hold from the setting alone (docs/setting.md,
  section 1), whatever the theorem says; a bound above the least of them is vacuous.

The trivial bound of each quantity (docs/setting.md, section 1). Let the iterate w satisfy ||w - w*|| <= r. At the
optimum, j(w*; x) = beta A_x(w*) with |A_x(w*)| <= B ||w*|| <= B S/beta, so j(w*; x) lies in [-S B, S B]; and
j(w; x) = j(w*; x) - beta KL(pi_w || pi_w*) (the KL gap identity) with 0 <= KL(pi_w || pi_v) <= min(2 B ||w - v||,
(B^2/2) ||w - v||^2) (the log-ratio of two log-linear policies is <w - v, phi> - (A(w) - A(v)), each part at most
B ||w - v|| in absolute value; and the quadratic KL bound). So with c = min(2 B r, B^2 r^2/2):

* gap |J(w) - J_S(w)| <= 2 S B + beta c: J and J_S are averages of j(w; .) over prompts, which lies in
  [-S B - beta c, S B]; at the optimum (r = 0) this is the 2 S B of a gap;
* expected gap |E_S[J(w) - J_S(w)]| <= E_S |J(w) - J_S(w)| <= the same;
* excess J(w*) - J(w) = beta E_D KL(pi_w || pi_w*) <= beta c;
* distance ||w - w*|| <= r.

The radius r = k S/beta comes from the theorem (:func:`iterate_radius`): k = 0 for the optimum w* (every sample's
optimum, section 1); k = 1 for the minimum-norm optimum, at distance ||P_perp w*|| <= ||w*|| <= S/beta; the asserted
ball's radius when the theorem declares one (``runs_within``: REINFORCE's iterates); k = 1 for GA and SGA over
prompts when every step is at most 1/(beta B^2) (certified on the parameters, at t = 1 for a schedule, whose steps
decrease): they move by w_{t+1} - w* = (I - eta beta Sigma_{w_t})(w_t - w*) with 0 <= eta beta Sigma <= I, so
||w_t - w*|| never grows from ||w_0 - w*|| = ||w*|| <= S/beta. For any other iterate (REINFORCE without a declared
ball, the projected REINFORCE variant, a step that cannot be certified) the package knows no radius, and without one
no finite trivial bound exists: KL(pi_w || pi_ref) grows with ||w||. Such a bound is never marked vacuous.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import sympy as sp

from .interval import round_decimal
from .setting import SYMBOLS
from .vocabulary import ALGORITHMS, QUANTITIES

__all__ = ["SCHEMAS", "TERM_NAMES", "exact_number", "float_up", "iterate_radius", "latex_number", "number", "terms",
           "trivial_bounds"]  # fmt: skip

#: The schema of each JSON output, ``"rlhfsym.<output>.v<version>"``: the version changes when a key changes.
SCHEMAS = {
    "bound": "rlhfsym.bound.v2",
    "bound-all": "rlhfsym.bound-all.v1",
    "theorems": "rlhfsym.theorems.v2",
    "sample-size": "rlhfsym.sample-size.v2",
    "simulate": "rlhfsym.simulate.v2",
    "tightness": "rlhfsym.tightness.v2",
    "verify": "rlhfsym.verify.v1",
}
#: Significant digits of an exact value written exactly; beyond them it is rounded outward.
EXACT_DIGITS = 17
#: Significant digits of a given value that is not short (a measured parameter's interval, rounded outward).
SHORT_DIGITS = 12


def _layout(negative: bool, mantissa: str, exponent: int, digits: int) -> str:
    """The %g layout of ``(-1)^negative 0.d1d2... * 10^(exponent+1)`` (``mantissa`` without trailing zeros)."""
    sign = "-" if negative else ""
    if -5 <= exponent < digits:
        point = exponent + 1
        if point <= 0:
            return f"{sign}0.{'0' * -point}{mantissa}"
        if point >= len(mantissa):
            return sign + mantissa + "0" * (point - len(mantissa))
        return f"{sign}{mantissa[:point]}.{mantissa[point:]}"
    tail = f".{mantissa[1:]}" if len(mantissa) > 1 else ""
    return f"{sign}{mantissa[0]}{tail}e{exponent:+d}"


def _written(decimal_text: str, digits: int) -> str:
    """A decimal string of at most ``digits`` significant digits in the %g layout, value unchanged."""
    value = Decimal(decimal_text)  # exact: a Decimal built from a string keeps every digit
    if value == 0:
        return "0"
    sign, figures, exponent = value.as_tuple()  # not normalize(): it rounds to the context's 28 digits
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, figures)).lstrip("0")
    stripped = mantissa.rstrip("0")
    exponent += len(mantissa) - len(stripped)
    return _layout(bool(sign), stripped, len(stripped) - 1 + exponent, digits)


def number(x: Fraction | int, digits: int, direction: Literal["up", "down"]) -> str:
    """``x`` rounded outward to ``digits`` significant digits (``"up"``: the result is >= x, ``"down"``: <= x), in
    the one layout of every output. ``number(Fraction(1, 3), 3, "up")`` is ``"0.334"``."""
    return _written(round_decimal(Fraction(x), digits, direction), digits)


def exact_number(x: Fraction | int) -> str | None:
    """``x`` exactly: a decimal of at most :data:`EXACT_DIGITS` significant digits in the same layout, else
    ``p/q`` when it is at most 25 characters, else None."""
    x = Fraction(x)
    if x == 0:
        return "0"
    up = round_decimal(x, EXACT_DIGITS, "up")
    if Fraction(up) == x:
        return _written(up, EXACT_DIGITS)
    text = f"{x.numerator}/{x.denominator}"
    return text if len(text) <= 25 else None


def latex_number(text: str) -> str:
    """A number of the one format as LaTeX: ``2.5e+11`` as ``2.5 \\times 10^{11}``; others as they are."""
    mantissa, sep, exponent = text.partition("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}" if sep else text


def float_up(x: Fraction) -> float:
    """The least float >= x (``inf`` beyond the floats): a certified upper value as a float."""
    try:
        f = float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.nextafter(math.inf, 0)  # pragma: no cover - bounds are >= 0
    return f if Fraction(f) >= x else math.nextafter(f, math.inf)


# ------------------------------------------------------------------------------------------------ terms

#: The names of a bound's terms, by the sizes a term depends on (n: the sample, T: the iterations).
TERM_NAMES = {(True, False): "statistical", (False, True): "optimisation", (True, True): "statistical-optimisation",
              (False, False): "bias"}  # fmt: skip


def terms(bound: sp.Expr) -> list[tuple[str, sp.Expr]]:
    """The bound as a sum of named terms, in the order statistical, optimisation, statistical-optimisation, bias:
    the addends of ``bound`` grouped by whether they involve n and T (their sum is ``bound`` exactly)."""
    n, T = SYMBOLS["n"], SYMBOLS["T"]
    grouped: dict[str, list[sp.Expr]] = {}
    for addend in sp.Add.make_args(bound):
        name = TERM_NAMES[(addend.has(n), addend.has(T))]
        grouped.setdefault(name, []).append(addend)
    return [(name, sp.Add(*grouped[name])) for name in TERM_NAMES.values() if name in grouped]


# ------------------------------------------------------------------------------------------------ trivial bounds


#: The algorithms whose iterates never move away from w* when every step is at most 1/(beta B^2) (those declared
#: ``contracting``: see :class:`rlhfsym.vocabulary.Algorithm`).
CONTRACTING = tuple(algorithm.name for algorithm in ALGORITHMS if algorithm.contracting)


def iterate_radius(declared: object) -> int | None:
    """k with ||w - w*|| <= k S/beta for the iterate a theorem bounds (module docstring), or None when the package
    knows no such k: the iterate's own radius (the optimum, the minimum-norm optimum), the declared ball's radius (an
    asserted condition), 1 for a contracting algorithm -- provided its steps are at most 1/(beta B^2), which the
    caller certifies on the parameters."""
    iterate = getattr(declared, "iterate", None)
    if iterate is not None and iterate.radius is not None:
        return iterate.radius
    ball = getattr(declared, "runs_within", None)
    if ball is not None:
        return int(ball.radius)
    algorithm = getattr(declared, "algorithm", None)
    return 1 if algorithm is not None and algorithm.contracting else None


def trivial_bounds(quantity: str, radius: int) -> tuple[str, list[sp.Expr]] | None:
    """``(formula, candidates)``: upper bounds of ``quantity`` (a Quantity's name) at an iterate with
    ||w - w*|| <= radius S/beta, each valid alone (the least of them is the trivial bound), and the formula in
    words; None for a quantity without one (or not registered)."""
    known = QUANTITIES[quantity] if quantity in QUANTITIES else None
    if known is None or known.trivial is None:
        return None
    B, S, beta = SYMBOLS["B"], SYMBOLS["S"], SYMBOLS["beta"]
    at = "r = 0" if radius == 0 else "r = S/beta" if radius == 1 else f"r = {radius} S/beta"
    formula, candidates = known.trivial(B, S, beta, radius * S / beta)
    return f"{formula}, {at}", candidates
