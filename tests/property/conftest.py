"""The property suite's summary: after the run, one row per search (instances checked, violations, worst ratio,
binomial tests) and the total number of instances checked.

Under pytest-xdist the searches run in worker processes: each worker sends its rows to the controller when it
finishes, and the controller (tests/conftest.py, the one conftest it loads) prints the one summary and holds the suite
to its size: when every theorem's property ran, at least ``CI_FLOOR`` (times the profile's scale) instances must
have been checked, else the session fails (tests/property/test_property_total.py makes the same check when the whole
folder runs in one process)."""

from __future__ import annotations

import pytest
from property_suite import CI_FLOOR, RECORDS, THEOREMS, scale
from property_summary import write_summary

KEY = "rlhfsym_property_rows"


def _row(kind: str, tally) -> dict:
    """One search's summary row (plain data: it crosses from an xdist worker to the controller)."""
    ratio = None if tally.worst is None else tally.worst.ratio
    return {
        "kind": kind, "theorem": tally.theorem, "examples": tally.examples, "populations": tally.populations,
        "checks": tally.checks, "skipped": tally.skipped, "broken": tally.broken, "outside": tally.outside,
        "runs": tally.runs, "violations": len(tally.violations), "ratio": ratio,
        "tests": ", ".join(f"{t['failures']}/{t['trials']} p={t['p_value']:.2g}" for t in tally.tests()),
        "floor": CI_FLOOR * scale(), "theorems": list(THEOREMS),
    }  # fmt: skip


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: hand the rows to the controller (tests/conftest.py)
        config.workeroutput[KEY] = [_row(kind, tally) for kind, tally in RECORDS]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if hasattr(config, "workeroutput"):
        return  # the controller prints the summary of every worker
    write_summary(terminalreporter, [_row(kind, tally) for kind, tally in RECORDS])
