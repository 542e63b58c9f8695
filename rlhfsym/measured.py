"""A value measured by your own code beside the bound a theorem certifies: :func:`check`.

``check(theorem, measured, **parameters)`` takes the value your code measured (the distance of GA's last iterate to
w*, a gap, an excess) and the theorem's parameters as your code measured them, floats included, and returns a
:class:`Check`: the measured value, the certified upper value of the bound, their ratio, and whether the value is
within the bound (``bool(check)``). :func:`rlhfsym.testing.assert_within_bound` is the same as a test assertion.

:func:`rlhfsym.bound` refuses floats (a float is already rounded). :func:`exact_parameters` turns measured floats
into exact values that contain the true ones, so that the bound certified on them holds for the instance:

* a float of a parameter that the parameter table (:data:`rlhfsym.rules.RULES`) gives a *margin* -- a measured
  constant of the instance -- enters as the exact interval ``[x - m, x + m]`` around its binary value, with
  ``m`` = ``1e-12 B`` for ``B``, ``1e-12 S`` for ``S``, ``1e-12 B^2`` for ``gamma`` and ``gamma_D``, and
  ``1e-9 S/beta + 1e-12`` for ``residual``. These are the float64 errors of a norm, an eigenvalue of a covariance
  of features of norm <= B, and a projection, with room to spare for d up to 10^3: the interval contains the true
  value when the float is that accurate (a measurement less accurate than this is yours to give as an interval
  ``(lo, hi)``). The lower end is kept at the rule's lowest value (S, residual >= 0); a value within its margin of
  an open end is refused (gamma <= 1e-12 B^2 is not coverage: a :class:`~rlhfsym.errors.ParameterError`);
* ``gamma`` and ``gamma_D`` are capped just below the square of the lower end of ``B`` (the cross rules
  :data:`rlhfsym.rules.CROSS_RULES`). A covariance of features of norm <= B has gamma <= B^2, but features at the
  norm bound (antipodal actions +-B under a uniform reference have gamma = B^2 exactly) put gamma's interval across
  B's, and gamma <= B^2 could not be certified. Every theorem holds for any gamma' in (0, lambda_min] (gamma enters
  its proof only as a lower bound on lambda_min, and each bound is nonincreasing in it), so the capped interval
  still gives an upper value that bounds the measured quantity;
* a float of any other parameter (``beta``, ``eta``, ``delta``) enters as its exact binary value: the number your
  code used; a float of an integer parameter (``n``, ``K``, ``d``, ``T``) must be a whole number;
* a pair ``(lo, hi)`` of floats is an interval you certify yourself: its ends enter exactly (gamma's capped as
  above); an int, a :class:`~fractions.Fraction` or a string (``"0.05"``, ``"[0.9, 1.1]"``) enters as given.

The measured value is a float too: it is within the bound when ``measured <= upper * (1 + rtol) + atol``, with
``upper`` the certified upper value (rounded up), ``rtol`` = :data:`ROUNDOFF` by default and ``atol`` = 0 (give
the float error of your measurement, say ``1e-12 * ||w*||`` for a distance whose bound can be below float
resolution); NaN and inf (a run that diverged) are never within. How the bound holds -- deterministically, in
expectation, with probability >= 1 - delta -- is the theorem's (``Check.holds_how``): a claim in expectation wants
a mean, not one run.

This module imports sympy only when a bound is certified (:func:`check`), so :mod:`rlhfsym.testing` can import it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import ParameterError
from .rules import CROSS_RULES, RULES, Rule

if TYPE_CHECKING:  # pragma: no cover
    from .bounds import BoundResult

__all__ = ["DIGITS", "ROUNDOFF", "Check", "check", "exact_parameters", "ratio", "upper_float"]

#: A measured float may exceed its bound by this relative amount by default (float64 round-off of J, J_S, norms).
ROUNDOFF = 1e-9
#: Significant digits of the certified upper value (rounded up) a measured value is compared with.
DIGITS = 12
#: A capped gamma is this factor below the cap, so that it is a short binary number strictly below B_lo^2.
_BELOW_CAP = 1 - 1e-15


# --------------------------------------------------------------------------------------------- exact values


def _real_float(name: str, x: object, *, finite: bool = True) -> float | None:
    """``x`` as a float when it is a float (a Python or numpy float, or a 0-d float array), finite unless told
    otherwise; else None."""
    if hasattr(x, "ndim") and getattr(x, "ndim", None) == 0 and hasattr(x, "item"):
        x = x.item()  # type: ignore[union-attr]
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        raise ParameterError(name, "must be a number, not a boolean", x)
    if isinstance(x, numbers.Integral) or isinstance(x, Fraction) or not isinstance(x, numbers.Real):
        return None
    value = float(x)
    if finite and not math.isfinite(value):
        raise ParameterError(name, "must be a finite number", x)
    return value


def _scalar(name: str, x: object) -> object:
    """An exact scalar as it enters a bound: an int stays, a Fraction or a string is passed on as given (bounds
    validate it), a numpy integer becomes an int."""
    if hasattr(x, "ndim") and getattr(x, "ndim", None) == 0 and hasattr(x, "item"):
        x = x.item()  # type: ignore[union-attr]
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        raise ParameterError(name, "must be a number, not a boolean", x)
    if isinstance(x, numbers.Integral):
        return int(x)
    return x


def _size(name: str, value: object) -> float:
    """The magnitude of a parameter for the margins of the others (an interval: its upper end, the larger margin)."""
    x = _real_float(name, value)
    if x is not None:
        return abs(x)
    if isinstance(value, tuple):
        return max(_size(name, end) for end in value)
    from .setting import parse_value  # exact text or numbers: parsed as a bound would

    return float(abs(parse_value(name, value)[1]))


def _sizes(values: Mapping[str, object]) -> dict[str, float]:
    """The magnitude of every given parameter, which the margins of the measured ones are computed from."""
    return {name: _size(name, v) for name, v in values.items() if name in RULES}


def _margin(rule: Rule, sizes: Mapping[str, float]) -> Fraction:
    """The half-width of the interval a measured float of ``rule`` enters as, from the sizes of the others."""
    assert rule.margin is not None

    class _Sizes(dict):
        def __missing__(self, key: str) -> float:
            raise ParameterError(rule.name, f"a measured {rule.name} has a margin that depends on {key}; give {key}")

    return Fraction(rule.margin(_Sizes(sizes)))


def _around(rule: Rule, x: float, sizes: Mapping[str, float]) -> tuple[Fraction, Fraction]:
    """``[x - margin, x + margin]`` around the binary value of ``x``, its lower end kept at the rule's lowest value
    (refused within its margin of an open lowest value: gamma within 1e-12 B^2 of 0 is not coverage)."""
    margin = _margin(rule, sizes)
    lo, hi = Fraction(x) - margin, Fraction(x) + margin
    if rule.lowest_open and lo <= rule.lowest:
        unmet = rule.unmet or rule.rule
        raise ParameterError(rule.name, f"{unmet}: measured {rule.name} = {x:.3g} <= {float(margin):.3g}, its margin")
    return max(lo, rule.lowest), hi


def _pair(name: str, value: tuple) -> tuple[Fraction, Fraction]:
    """An interval ``(lo, hi)`` you certify: float ends entered exactly, other ends parsed."""
    if len(value) != 2:
        raise ParameterError(name, "an interval is a pair (lo, hi)", value)
    ends = []
    for end in value:
        x = _real_float(name, end)
        if x is not None:
            ends.append(Fraction(x))
        else:
            from .setting import parse_number

            ends.append(parse_number(name, _scalar(name, end)))
    if ends[0] > ends[1]:
        raise ParameterError(name, f"interval with lo > hi ({float(ends[0]):g} > {float(ends[1]):g})", value)
    return ends[0], ends[1]


def _lower_end(name: str, value: object) -> Fraction:
    from .setting import parse_value

    return parse_value(name, value)[0]


def _cap(name: str, entered: Mapping[str, object]) -> Fraction | None:
    """Just below the cross rules' cap of ``name`` at the lower end of what caps it (gamma: just below B_lo^2)."""
    caps = [
        Fraction(float(cross.cap(_lower_end(cross.of, entered[cross.of]))) * _BELOW_CAP)
        for cross in CROSS_RULES
        if cross.name == name and cross.of in entered
    ]
    return min(caps) if caps else None


def exact_parameters(values: Mapping[str, object]) -> dict[str, object]:
    """The values :func:`rlhfsym.bound` takes for measured ``values`` (the rules are in the module's docstring): a
    float with a margin becomes an interval ``(lo, hi)`` of Fractions that contains the true value, a float without
    one its exact binary value; ``gamma`` and ``gamma_D`` measured are capped just below B_lo^2.

    >>> exact_parameters({"B": 1.0, "T": 20, "gamma": 1.0})["gamma"][1] < 1
    True
    >>> exact_parameters({"eta": 0.5, "delta": "0.05"})
    {'eta': Fraction(1, 2), 'delta': '0.05'}
    """
    for name in values:
        if name not in RULES:
            raise ParameterError(name, f"unknown parameter; known: {', '.join(RULES)}")
    entered: dict[str, object] = {}
    measured: set[str] = set()
    sizes: dict[str, float] | None = None  # computed once, when the first measured float needs a margin
    for name, value in values.items():
        rule = RULES[name]
        x = _real_float(name, value)
        if isinstance(value, tuple):
            entered[name] = _pair(name, value)
            measured.add(name)
        elif x is None:
            entered[name] = _scalar(name, value)
        elif rule.margin is not None:
            sizes = _sizes(values) if sizes is None else sizes
            entered[name] = _around(rule, x, sizes)
            measured.add(name)
        elif rule.integer:
            if not x.is_integer():
                raise ParameterError(name, rule.rule, value)
            entered[name] = int(x)
        else:
            entered[name] = Fraction(x)
    for name in measured:
        cap = _cap(name, entered)
        if cap is not None:
            lo, hi = entered[name]  # type: ignore[misc]
            entered[name] = (min(lo, cap), min(hi, cap))
    return entered


# --------------------------------------------------------------------------------------------- the check


def upper_float(result: BoundResult) -> float:
    """A certified bound's upper value (rounded up to its digits) as a float rounded up once more (inf beyond the
    float range): a float that is never below the bound."""
    import numpy as np

    try:
        return float(np.nextafter(float(Fraction(result.upper)), np.inf))
    except OverflowError:
        return math.inf


def ratio(value: float, upper: float, atol: float) -> float:
    """``value / upper`` (how close a measured value comes to its bound); at a bound of 0, 0 when the value is at
    most ``atol`` (0 up to float error) and inf otherwise."""
    if upper > 0:
        return value / upper
    return 0.0 if value <= atol else math.inf


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_shown(end) for end in value) + ")"
    x = value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value  # type: ignore[union-attr]
    return repr(x) if isinstance(x, float) else str(x)


def _entered(value: Any) -> str:
    """An entered value, short: a point as given when short, else its ends to 15 digits (the exact values are in
    ``Check.result``)."""
    if value.is_point:
        text = str(value.lo)
        return text if len(text) <= 20 else f"{float(value.lo):.15g}"
    return f"[{float(value.lo):.15g}, {float(value.hi):.15g}]"


@dataclass(frozen=True)
class Check:
    """A measured value beside a theorem's bound certified at the measured parameters.

    ``measured`` is the value your code measured, ``result`` the certified bound
    (:class:`rlhfsym.bounds.BoundResult`, at the exact values ``parameters`` entered as), ``given`` the parameters
    as you gave them; ``holds`` is ``measured <= upper * (1 + rtol) + atol``, and so is ``bool(check)``.
    """

    theorem: str
    measured: float
    result: BoundResult
    given: Mapping[str, object]
    rtol: float = ROUNDOFF
    atol: float = 0.0
    upper: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "upper", upper_float(self.result))

    @property
    def bound(self) -> str:
        """The certified upper value, as the decimal the bound prints (rounded up)."""
        return self.result.upper

    @property
    def ratio(self) -> float:
        """measured / bound: 1 would be tight; 0 when both are 0 up to ``atol``, inf above a bound of 0."""
        return ratio(self.measured, self.upper, self.atol)

    @property
    def holds(self) -> bool:
        """Is the measured value within the bound, up to ``rtol`` (relative) and ``atol`` (absolute)? (Never when it
        is NaN.)"""
        return self.measured <= self.upper * (1 + self.rtol) + self.atol

    def __bool__(self) -> bool:
        return self.holds

    @property
    def bounds(self) -> str:
        """What the theorem bounds, for which iterate of which algorithm (``"distance of the last iterate (ga)"``)."""
        labels = self.result.info.labels
        return f"{labels['bounds']} of the {labels['iterate']} iterate ({labels['algorithm']})"

    @property
    def holds_how(self) -> str:
        """How the bound holds: ``deterministic``, ``expectation`` (over the sample or the algorithm's draws; measure
        a mean) or ``probability`` (>= 1 - delta over the sample)."""
        return str(self.result.info.labels["holds"])

    def parameters_text(self) -> str:
        """``B=1, S=0.5, ...``: the parameters as given."""
        return ", ".join(f"{name}={_shown(value)}" for name, value in self.given.items())

    def __float__(self) -> float:
        """The certified upper value of the bound as a float never below it (:attr:`upper`)."""
        return self.upper

    def _repr_latex_(self) -> str:
        """For a notebook: ``$0.01 \\le 0.31 \\;(\\text{ratio } 0.032)$``, or ``>`` when the value exceeds the bound."""
        from .output import latex_number

        relation = "\\le" if self.holds else ">"
        return (f"$\\text{{{self.result.info.labels['bounds']}: measured }} {self.measured:.6g} {relation} "
                f"{latex_number(self.bound)} \\;(\\text{{ratio }} {self.ratio:.3g})$")

    def __repr__(self) -> str:
        verdict = "within the bound" if self.holds else "ABOVE THE BOUND"
        return (f"Check({self.theorem}: measured {self.measured:.6g}, bound {self.bound}, ratio {self.ratio:.3g}, "
                f"{verdict})")

    def explain(self) -> str:
        """Several lines: the verdict, the measured value and the bound, the parameters given and how they entered,
        the assumptions the bound rests on beyond the parameters (what a failure message shows)."""
        relation = "is within" if self.holds else "is NaN, NOT WITHIN" if math.isnan(self.measured) else "EXCEEDS"
        lines = [
            f"{self.theorem}: the measured {self.result.info.labels['bounds']} {self.measured!r} {relation} the "
            f"certified bound {self.bound} (ratio {self.ratio:.6g}; allowed: bound * (1 + {self.rtol:g}) + "
            f"{self.atol:g})",
            f"  bounds      {self.bounds}, {self.holds_how}",
            f"  parameters  {self.parameters_text()}",
            "  entered as  " + ", ".join(f"{k}={_entered(v)}" for k, v in self.result.parameters.items()),
        ]
        if self.result.conditional_on:
            lines.append("  assumed     " + ", ".join(h.name for h in self.result.conditional_on))
        return "\n".join(lines)

    def to_json(self) -> dict:
        """``{"theorem", "measured", "upper", "ratio", "holds", "rtol", "atol", "given", "bound"}``."""
        return {
            "theorem": self.theorem,
            "measured": self.measured,
            "upper": self.bound,
            "ratio": self.ratio,
            "holds": self.holds,
            "rtol": self.rtol,
            "atol": self.atol,
            "given": {name: _shown(value) for name, value in self.given.items()},
            "bound": self.result.to_json(),
        }


def _tolerance(name: str, value: object) -> float:
    x = _real_float(name, value) if not isinstance(value, numbers.Integral) else float(value)
    if x is None or x < 0:
        raise ParameterError(name, "must be a finite float >= 0", value)
    return x


def _measured_value(value: object) -> float:
    """The value your code measured, as a float: NaN and inf are values too (a diverging run), never within."""
    x = _real_float("measured", value, finite=False)
    if x is None:
        if isinstance(value, numbers.Integral):
            return float(value)
        raise ParameterError("measured", "must be a real number (the value your code measured)", value)
    return x


def check(
    theorem: str,
    measured: float,
    *,
    assume: object = None,
    rtol: float = ROUNDOFF,
    atol: float = 0.0,
    digits: int = DIGITS,
    **parameters: Any,
) -> Check:
    """``measured`` (a float your code measured) beside ``theorem``'s bound certified at ``parameters`` (floats your
    code measured, entered by :func:`exact_parameters`; exact values as given).

    Every parameter of the theorem is required (``rlhfsym bound --list``); ``assume`` names its asserted conditions
    as in :func:`rlhfsym.bound`. Raises :class:`~rlhfsym.errors.ParameterError` for an unknown theorem, a missing,
    unknown or invalid parameter, and a condition of the theorem the values break or that cannot be certified (then
    no bound applies: a measured value above the formula would not be a finding).

    >>> result = check("ga_last_dist_le_of_coverage", 0.01, B=1.0, S=0.5, beta=1.0, gamma=0.25, T=20, eta=0.9)
    >>> result.holds, result.bound
    (True, '0.269383063688')
    """
    from .bounds import bound, theorem_info

    info = theorem_info(theorem)
    value = _measured_value(measured)
    rtol, atol = _tolerance("rtol", rtol), _tolerance("atol", atol)
    for name in parameters:
        if name in RULES and name not in info.parameters:
            raise ParameterError(name, f"is not a parameter of {theorem}; it takes {', '.join(info.parameters)}")
    for name in info.parameters:
        if name not in parameters:
            raise ParameterError(name, f"is required by {theorem} ({RULES[name].meaning}); give the measured value")
    entered = exact_parameters(parameters)
    result = bound(theorem, digits=digits, assume=assume, **entered)
    return Check(theorem, value, result, dict(parameters), rtol, atol)
