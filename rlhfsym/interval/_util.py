"""Small helpers shared by the modules of the interval package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp

from ._enclosure import IntervalError

__all__ = ["resource_errors_as_interval_errors", "shown"]


def shown(node: object, limit: int = 80) -> str:
    """``node`` as text, cut to ``limit`` characters (for error messages; never parsed back)."""
    try:
        text = sp.sstr(node)
    except (ValueError, RecursionError, MemoryError):  # an integer beyond Python's str limit, a very deep tree
        return f"<a {type(node).__name__} too large to print>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@contextmanager
def resource_errors_as_interval_errors(what: str) -> Iterator[None]:
    """Within the block, ``MemoryError``, ``RecursionError`` and ``OverflowError`` (an expression too deep or too
    large for the machine, a float conversion out of range) become :class:`IntervalError` naming ``what``."""
    try:
        yield
    except (MemoryError, RecursionError, OverflowError) as err:
        raise IntervalError(f"{what} ran out of resources ({type(err).__name__})") from err
