"""What a theorem bounds: the gap, the expected gap, the excess and the distance, each measured on an instance.

A :class:`Quantity` measures itself at an iterate ``w`` of an instance and a training sample (exactly: finite
prompt sets make J and J_S sums), says how large the numbers it is computed from are (the scale of its float
error), and writes itself. numpy is imported when a measurement runs, not when a theorem declares its quantity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .registry import Vocabulary

__all__ = ["DISTANCE", "EXCESS", "EXPECTED_GAP", "GAP", "QUANTITIES", "Quantity"]

#: ``(instance, training sample, iterate) -> value``.
Measure = Callable[[Any, Any, Any], float]


def _same(value: float) -> float:
    return value


@dataclass(frozen=True)
class Quantity:
    """A quantity a theorem bounds: ``measure(inst, indices, w)`` at an iterate, ``scale(inst, w)`` the size of the
    numbers it is computed from, ``of_mean`` what a mean of measured values gives (``abs`` for |E[...]|);
    ``label`` is the name the theorem's JSON shows, ``text`` how plots and documents write it; ``trivial(B, S,
    beta, r)``: ``(formula, candidates)``, upper bounds of the quantity at an iterate with ||w - w*|| <= r that hold
    from the setting alone, each valid by itself (docs/setting.md, section 5), or None when it has none."""

    def __reduce__(self) -> tuple:
        """Pickled as its name (the disk cache): read back, it is the registered quantity itself."""
        return (_registered, (self.name,))

    name: str
    label: str
    text: str
    measure: Measure
    scale: Callable[[Any, Any], float]
    of_mean: Callable[[float], float] = _same
    trivial: Callable[..., tuple[str, list[Any]]] | None = None


def _signed_gap(inst: Any, indices: Any, w: Any) -> float:
    from ..numerics import empirical_weights, objective

    return objective(inst, w) - objective(inst, w, empirical_weights(inst, indices))


def _gap(inst: Any, indices: Any, w: Any) -> float:
    return abs(_signed_gap(inst, indices, w))


def _excess(inst: Any, indices: Any, w: Any) -> float:
    from ..numerics import objective

    return objective(inst, inst.w_star) - objective(inst, w)


def _distance(inst: Any, indices: Any, w: Any) -> float:
    import numpy as np

    return float(np.linalg.norm(w - inst.w_star))


def _size(inst: Any, w: Any) -> float:
    """``||w|| + ||w*||``: the size of the numbers a distance is computed from."""
    import numpy as np

    return float(np.linalg.norm(w)) + float(np.linalg.norm(inst.w_star))


def _objective_scale(inst: Any, w: Any) -> float:
    """S B + beta B (||w|| + ||w*||) + beta max |log pi_ref|: the reward, the log-ratios and the reference
    log-probabilities that an objective value adds up."""
    import numpy as np

    size = _size(inst, w)
    B = float(np.max(np.linalg.norm(inst.features, axis=-1)))
    S = float(np.linalg.norm(inst.theta))
    return S * B + inst.beta * (B * size + float(np.max(np.abs(inst.log_pi_ref))))


def _kl_ceilings(B: Any, r: Any) -> list[Any]:
    """KL(pi_w || pi_w*) <= 2 B r and <= B^2 r^2 / 2 when ||w - w*|| <= r (log-ratios within 2 B r; the Bregman
    bound)."""
    return [2 * B * r, B**2 * r**2 / 2]


def _trivial_gap(B: Any, S: Any, beta: Any, r: Any) -> tuple[str, list[Any]]:
    """|J(w) - J_S(w)| <= 2 S B + beta KL: j(w*; x) lies in [-S B, S B] and j(w*; x) - j(w; x) = beta KL."""
    return "2 S B + beta min(2 B r, B^2 r^2/2)", [2 * S * B + beta * c for c in _kl_ceilings(B, r)]


def _trivial_excess(B: Any, S: Any, beta: Any, r: Any) -> tuple[str, list[Any]]:
    """J(w*) - J(w) = beta E_x KL(pi_w || pi_w*)."""
    return "beta min(2 B r, B^2 r^2/2)", [beta * c for c in _kl_ceilings(B, r)]


def _trivial_distance(B: Any, S: Any, beta: Any, r: Any) -> tuple[str, list[Any]]:
    return "r", [r]


#: Every quantity a theorem may bound.
QUANTITIES: Vocabulary[Quantity] = Vocabulary("quantity")

GAP = QUANTITIES.register(
    Quantity("gap", "gap", "gap |J(w) - J_S(w)|", _gap, _objective_scale, trivial=_trivial_gap)
)
EXPECTED_GAP = QUANTITIES.register(
    Quantity("expected-gap", "expected-gap", "expected gap |E_S[J(w) - J_S(w)]|", _signed_gap, _objective_scale, abs,
             trivial=_trivial_gap)
)  # fmt: skip
EXCESS = QUANTITIES.register(
    Quantity("excess", "excess", "excess J(w*) - J(w)", _excess, _objective_scale, trivial=_trivial_excess)
)
DISTANCE = QUANTITIES.register(
    Quantity("distance", "distance", "distance ||w - w*||", _distance, _size, trivial=_trivial_distance)
)


def _registered(name: str) -> Quantity:
    """The quantity registered as ``name`` (what a pickled one reads back as)."""
    return QUANTITIES[name]
