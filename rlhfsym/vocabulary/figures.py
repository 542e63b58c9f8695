"""The rate plot a theorem declares (``docs/plots``, :mod:`rlhfsym.plots`): the variable on the x-axis, its grid,
the published rate drawn as a reference, and the axes that rate is a straight line on.

>>> PowerRate("n^(-1/2)", -0.5).axes
'log-log axes: a rate x^(-a) is a straight line'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["N_GRID", "Figure", "GeometricRate", "PowerRate", "StretchedRate"]

#: The grid of the figures against n: the decades from 10 to 10^5.
N_GRID = (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


@dataclass(frozen=True)
class PowerRate:
    """A rate x^exponent, drawn on log-log axes (a straight line of slope ``exponent``)."""

    text: str
    exponent: float
    geometric = False
    log_x = True
    axes = "log-log axes: a rate x^(-a) is a straight line"

    def line(self, x: Any, through: tuple[float, float], rho: float | None = None) -> Any:
        """The reference line through the point ``through = (x0, y0)``."""
        x0, y0 = through
        return y0 * (x / x0) ** self.exponent


@dataclass(frozen=True)
class GeometricRate:
    """A rate rho^(power T), drawn on semi-log axes (a straight line); rho is the theorem's chain constant
    ``constant``, evaluated at the parameters measured on the instance."""

    text: str
    power: int
    constant: str = "rho"
    geometric = True
    log_x = False

    @property
    def axes(self) -> str:
        """The caption's sentence on the axes."""
        return f"semi-log axes: the bound C {self.text} is a straight line"

    def line(self, x: Any, through: tuple[float, float], rho: float | None = None) -> Any:
        """The reference line through the point ``through = (x0, y0)``, with base ``rho``."""
        import numpy as np

        assert rho is not None
        x0, y0 = through
        return y0 * np.exp(self.power * (x - x0) * math.log(rho))


@dataclass(frozen=True)
class StretchedRate:
    """A rate exp(-power c sqrt(T + shift)), drawn against sqrt(T) on a log y-axis (a straight line of slope
    -power c); c is the theorem's chain constant ``constant``, evaluated at the parameters measured on the instance."""

    text: str
    power: float
    constant: str = "c"
    shift: int = 1
    geometric = True
    log_x = False
    sqrt_x = True

    @property
    def axes(self) -> str:
        """The caption's sentence on the axes."""
        return f"log y against sqrt(T): the bound C {self.text} is a straight line"

    def line(self, x: Any, through: tuple[float, float], rho: float | None = None) -> Any:
        """The reference line through the point ``through = (x0, y0)``, with the constant ``rho`` (c)."""
        import numpy as np

        assert rho is not None
        x0, y0 = through
        return y0 * np.exp(-self.power * rho * (np.sqrt(x + self.shift) - math.sqrt(x0 + self.shift)))


@dataclass(frozen=True)
class Figure:
    """One figure of ``docs/plots``: the file ``name``, the ``axis`` ("n" or "T") and its ``grid``, the other size
    held ``fixed`` (T for a figure against n, 0 for an algorithm without steps; n for a figure against T), the
    published ``rate``, and the ``theorem`` it shows (filled in when the theorem declares it)."""

    name: str
    axis: str
    grid: tuple[int, ...]
    fixed: int
    rate: PowerRate | GeometricRate | StretchedRate
    theorem: str = ""
    shows: str = ""
