"""How tight the theorems are: the worst ratio measured / certified bound a targeted search finds for each.

Main statements
---------------
* :func:`tightness` -- for each theorem, the worst ratio measured / certified bound that its declared search
  (:func:`rlhfsym.search.search`) finds, and the instance that reached it (``rlhfsym report --tightness``). A ratio
  above 1 is a violation.
* :func:`reproduce` -- the ratio of a tightness row, measured again on the instance it describes.

The search, the families of instances and how each kind of claim is judged are in :mod:`rlhfsym.search`; the
statistics in :mod:`rlhfsym.statistics`. hypothesis is a test-time dependency, imported when a search runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import bounds as _bounds
from .errors import ParameterError
from .output import number
from .search import Outcome, case_from_json, plan_of, recheck, require_hypothesis, search
from .vocabulary import Draw

__all__ = ["reproduce", "tightness"]


def tightness(*, examples: int = 200, seed: int = 0, theorems: list[str] | None = None) -> list[dict]:
    """For each theorem, the worst ratio measured / certified bound found by a targeted hypothesis search.

    ``examples`` drawn instances per theorem (divided by the plan's relative cost, at least 10), each checked
    with its perturbed copies; ``seed`` makes the search reproducible. Each row: ``{"theorem", "holds",
    "worst_ratio", "measured", "upper", "examples", "checks", "violations", "instance"}``; ``instance`` rebuilds the
    worst case (:func:`rlhfsym.search.case_from_json`), with T, the eta factor and delta. For a probability claim
    the ratio is the (1 - delta)-quantile of measured / bound over every training sample of size n
    (``instance["indices"]`` is the sample at that quantile). A ratio above 1 is a violation.
    """
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise ParameterError("examples", "must be an integer >= 1", examples)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError("seed", "must be an integer >= 0", seed)
    require_hypothesis()
    known = [row["theorem"] for row in _bounds.theorems()]
    names = known if theorems is None else list(theorems)
    rows = []
    for name in names:
        if name not in known:
            raise ParameterError("theorems", f"no search plan for {name}; known: {', '.join(known)}", name)
        budget = max(10, round(examples / plan_of(name).cost))
        tally = search(name, examples=budget, seed=seed)
        worst = tally.worst
        rows.append({
            "theorem": name,
            "holds": _bounds.theorem_info(name).labels["holds"],
            "worst_ratio": 0.0 if worst is None else worst.ratio,
            "measured": 0.0 if worst is None or not math.isfinite(worst.measured) else worst.measured,
            "upper": _certified_upper(worst),
            "examples": tally.examples,
            "checks": tally.checks,
            "violations": len(tally.violations),
            "outside": tally.outside,
            "runs": tally.runs,
            "instance": {} if worst is None else worst.instance,
        })
    return rows


def _certified_upper(worst: Outcome | None) -> str | None:
    """The certified upper value of the bound at the worst instance, rounded up to 6 significant digits (the one
    format of :func:`rlhfsym.output.number`)."""
    if worst is None or worst.simulation is None:
        return None
    return number(worst.simulation.result.enclosure.upper, 6, "up")


def reproduce(row: Mapping[str, Any]) -> float:
    """The ratio of a :func:`tightness` row, measured again on the instance it describes (no search)."""
    described = row["instance"]
    draw = Draw(case_from_json(described), int(described["T"]), float(described["eta_factor"]), described["delta"])
    outcome = recheck(row["theorem"], draw, int(described.get("population", 0)))
    return 0.0 if outcome is None else outcome.ratio
