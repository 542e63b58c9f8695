"""The statistics a search judges its counts by: binomial tails and Student's t tails, in pure Python.

* :func:`binomial_tail` -- ``P(X >= k)`` for ``X ~ Binomial(trials, p)``: how likely k counted violations are when
  each happens with the chance a true claim allows (the one-sided binomial test of :mod:`rlhfsym.search`);
* :func:`t_tail` -- ``P(T > z)`` for Student's t: the chance that a mean of a few seeded runs exceeds its expectation
  by z estimated standard errors (what a true expectation claim still reads as failing on one check).

>>> round(binomial_tail(3, 10, 0.3), 6), round(t_tail(1.0, 1), 6)
(0.617217, 0.25)
"""

from __future__ import annotations

import math

__all__ = ["binomial_tail", "t_tail"]


def binomial_tail(k: int, trials: int, p: float) -> float:
    """``P(X >= k)`` for ``X ~ Binomial(trials, p)`` (summed in log space; exact to float precision)."""
    if k <= 0:
        return 1.0
    if k > trials or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total, i = 0.0, k
    while i <= trials:
        log_ways = math.lgamma(trials + 1) - math.lgamma(i + 1) - math.lgamma(trials - i + 1)
        term = math.exp(log_ways + i * log_p + (trials - i) * log_q)
        total += term
        if term < 1e-18 * total and i > trials * p:
            break
        i += 1
    return min(total, 1.0)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def t_tail(z: float, dof: int) -> float:
    """``P(T > z)`` for Student's t with ``dof`` degrees of freedom (z >= 0): the chance that a mean of dof + 1
    normal values exceeds its expectation by z estimated standard errors."""
    if dof < 1:
        return 1.0
    if z <= 0:
        return 0.5 if z == 0 else 1.0 - t_tail(-z, dof)
    x = dof / (dof + z * z)
    a, b = dof / 2, 0.5
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        incomplete = front * _beta_continued_fraction(a, b, x) / a
    else:
        incomplete = 1 - front * _beta_continued_fraction(b, a, 1 - x) / b
    return 0.5 * incomplete
