"""Fixtures for the numerics tests: random instances with K=6, d=5; K=2, d=1; K=8, d=3."""

from __future__ import annotations

import pytest
from numerics_helpers import SHAPES

from rlhfsym.numerics import Instance, random_instance


@pytest.fixture(params=SHAPES)
def inst(request: pytest.FixtureRequest) -> Instance:
    """A random instance of one of the SHAPES."""
    return random_instance(12345, **request.param)
