"""Certified evaluation of sympy expressions over boxes of exact rationals, and box verification of inequalities.

This engine knows nothing about RLHF. Main objects:

* :class:`Enclosure` -- an interval ``[lower, upper]`` with exact rational (binary) endpoints; ``contains``,
  three-valued comparisons ``le/lt/ge/gt`` answering a :class:`Decision` (TRUE, FALSE or UNDECIDED, never a
  guess), and decimal output rounded outward (``upper_decimal``, ``lower_decimal``, :func:`round_decimal`);
* :func:`enclose` -- an enclosure of an expression over a box, by the compiled arb path (default) or the mpmath
  reference path (``backend="mpmath"``);
* :func:`compile_enclosure` -- the arb evaluator of one expression, compiled once (shared subexpressions by
  ``sympy.cse``) and cached, as a callable :class:`CompiledEnclosure` (``mode="ball"``: plain balls, fastest;
  ``mode="interval"``: end point kernels, as tight as interval arithmetic on wide inputs);
* :func:`prove_le` -- branch and bound (monotonicity, mean value and second-order forms, exact critical points,
  case splits of ``Abs``/``Max``/``Min``, nested searches for the sign of a derivative): ``f <= g`` on a whole box
  is proved, refuted at a certified admissible exact point, or left undecided with the smallest open box
  (:class:`BoxResult`); verdicts depend on box counts only unless a ``max_seconds`` deadline is given;
* :func:`working_precision` -- a context manager for the working precision in bits (default 64);
* :data:`KERNELS` -- the whitelist, one entry per row of the operation table (``rlhfsym.interval._ops``, where each
  operation declares once its sympy node test, domain, arb and mpmath kernels and derivative rule);
* the refusals, all :class:`IntervalError` (a :class:`rlhfsym.errors.RlhfsymError`): :class:`IntervalDomainError`,
  :class:`IntervalOverflowError` (a value beyond ``2**MAX_MAGNITUDE_BITS``) and :class:`IntervalArgumentError`
  (a bad argument; also a :class:`rlhfsym.errors.ParameterError` naming the parameter).

**Soundness contract.** For every assignment of the box's symbols to points of their ranges, the true real value
of the expression lies in the returned enclosure. To keep it: values enter as exact rationals (floats are refused:
``0.1`` is already rounded; numerators and denominators of at most :data:`MAX_INPUT_BITS` bits), rationals and
constants of the expression (``1/3``, ``pi``, ``E``) enter as enclosures rounded outward, every operation is a true
interval or ball kernel from the whitelist (``+ - * /``, integer and rational powers, ``x**y`` for ``x > 0``,
``exp``, ``log``, ``sin``, ``cos``, ``tan``, ``atan``, ``sinh``, ``cosh``, ``tanh``, ``Abs``, ``Max``, ``Min``),
and an operation whose argument's enclosure reaches outside its domain (``log`` of ``<= 0``, a divisor containing
0, ``tan`` across a pole ``pi/2 + k pi``) raises :class:`IntervalDomainError` instead of answering. Anything else
(``Piecewise``, ``floor``, ``asin`` and unknown functions, complex numbers, sympy Floats, a symbol without a value)
raises :class:`IntervalError`. Comparisons of overlapping enclosures answer UNDECIDED. Memory, recursion and
overflow errors inside an evaluation become :class:`IntervalError`.

The two backends are independent: the mpmath path walks the sympy tree in mpmath's interval arithmetic (the
context class of ``mpmath.iv``, a private instance per precision); the arb path runs python-flint ball arithmetic
(about 60 times faster). Where a ball reaches a domain boundary only through rounding (a ball of ``x*y`` on
``[0, 1/3] x [1, 2]`` dips below 0), the arb path hands the evaluation to the mpmath path rather than fail. The
tests check that every path contains 100-digit values at sampled points and that the paths always overlap.

python-flint has one global working precision: it is set for the duration of each call and restored after, so
evaluations at different precisions must not run concurrently in threads.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> e = enclose(x**2, {x: (-1, 1)})
>>> (e.lower, e.contains(1))
(Fraction(0, 1), True)
>>> enclose(sp.Rational(1, 3)).upper_decimal(3), enclose(sp.Rational(1, 3)).lower_decimal(3)
('0.334', '0.333')
>>> prove_le(sp.log(1 + x), x, {x: (0, 10)}).status
'proved'
>>> prove_le(1 + x, sp.exp(x), {x: (-1, 1)}).status  # tight at 0
'proved'
>>> prove_le(sp.sin(x), x - sp.Rational(1, 100), {x: (0, 1)}).counterexample
{x: Fraction(0, 1)}
"""

from __future__ import annotations

from ._arb import BallError
from ._boxes import PROVED, REFUTED, UNDECIDED, BoxResult, prove_le
from ._enclosure import (
    MAX_INPUT_BITS,
    MAX_MAGNITUDE_BITS,
    Decision,
    Enclosure,
    IntervalArgumentError,
    IntervalDomainError,
    IntervalError,
    IntervalOverflowError,
    exact_decimal,
    exact_rational,
    round_decimal,
)
from ._evaluate import Backend, CompiledEnclosure, Mode, compile_enclosure, enclose
from ._ops import KERNELS
from ._values import DEFAULT_PREC, current_precision, working_precision

__all__ = [
    "DEFAULT_PREC",
    "KERNELS",
    "MAX_INPUT_BITS",
    "MAX_MAGNITUDE_BITS",
    "PROVED",
    "REFUTED",
    "UNDECIDED",
    "Backend",
    "BallError",
    "BoxResult",
    "CompiledEnclosure",
    "Decision",
    "Enclosure",
    "IntervalArgumentError",
    "IntervalDomainError",
    "IntervalError",
    "IntervalOverflowError",
    "Mode",
    "compile_enclosure",
    "current_precision",
    "enclose",
    "exact_decimal",
    "exact_rational",
    "prove_le",
    "round_decimal",
    "working_precision",
]
