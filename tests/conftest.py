"""Shared test configuration: hypothesis profiles, the session cache and its one complete check of the chain, the
order of the tests (the costliest first), and the property suite's summary under pytest-xdist.

Profiles (choose with ``HYPOTHESIS_PROFILE=deep pytest``):
* ``ci`` (default) -- derandomised, no deadline, 100 examples: reproducible runs in CI. The property suite
  (``tests/property``, marker ``property``) runs each theorem's search with the examples of the plan its module
  declares (``rlhfsym.search.plan_of``): about 4 x 10^4 instances checked end to end in about 3.5 minutes on one core;
* ``deep`` -- 3,000 examples per property, random seeds, for a long local run. The property suite scales its
  searches by max_examples / 100 = 30: about 1.2 x 10^6 instances checked, roughly 1.5 hours on one core::

      HYPOTHESIS_PROFILE=deep python -m pytest -m property tests/property

* ``dev`` -- 20 examples, for quick iteration (the property suite at a fifth of its ci size).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings
from session_lock import session_lock

# The disk cache (rlhfsym.cache) lives in a folder of this test session, empty when the session starts (shared by the
# pytest-xdist workers and the subprocesses the tests run, never the user's own cache): the first complete check of
# the chain in the session checks every step (tests/test_chain_registry_walk.py checks every lemma itself, whatever
# the cache holds, and runs first), and later `verify` calls read the record it wrote (``chain_record`` below).
# tests/test_cache.py tests the cache in folders of its own.
if "RLHFSYM_TEST_SESSION_CACHE" not in os.environ:
    os.environ["RLHFSYM_TEST_SESSION_CACHE"] = tempfile.mkdtemp(prefix="rlhfsym-test-cache-")
    atexit.register(shutil.rmtree, os.environ["RLHFSYM_TEST_SESSION_CACHE"], True)
os.environ["RLHFSYM_CACHE_DIR"] = os.environ["RLHFSYM_TEST_SESSION_CACHE"]
os.environ.pop("RLHFSYM_NO_CACHE", None)

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", deadline=None, max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ------------------------------------------------------------------ one complete check of the chain per test session
@pytest.fixture(scope="session")
def chain_record():
    """The verification record of this session's complete check of the chain, for the tests (and the `rlhfsym`
    subprocesses they run) that verify the whole chain: whoever in the session gets the lock first checks every step
    (``api.verify()``, which writes the record; tests/test_chain_registry_walk.py does it with ``fresh=True``), the
    others wait for it and then read the record -- one complete check per session, not one per worker. Returns the
    ``VerifyResult``; a chain that does not verify writes no record, and each test then checks it again."""
    from rlhfsym import api

    with session_lock("verification"):
        return api.verify()


# ---------------------------------------------------------------------------------------- the longest tests first
def _cost(item: pytest.Item) -> float:
    marker = item.get_closest_marker("cost")
    return float(marker.args[0]) if marker is not None else 0.0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that declare a cost (marker ``cost(seconds)``) first, the most costly first; the others keep
    their order. Under ``--dist worksteal`` a worker runs its tests in order and an idle worker steals from the end
    of the other's, so a long test started last would set the wall time alone. The sort is stable: the tests of a
    module that declares its cost once (``pytestmark``) stay together, and its module fixtures are set up once."""
    items.sort(key=lambda item: -_cost(item))


# ----------------------------------------------------------------------------- the property suite under pytest-xdist
# The controller loads only this conftest; tests/property/conftest.py runs in the workers and sends each its rows.
PROPERTY_ROWS: list[dict] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """xdist controller: a worker finished; keep the property suite's rows it checked."""
    PROPERTY_ROWS.extend(getattr(node, "workeroutput", {}).get("rlhfsym_property_rows", []))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """xdist controller: when every theorem's property ran, the properties checked at least the floor."""
    if hasattr(session.config, "workeroutput") or not PROPERTY_ROWS:
        return
    floor, theorems = PROPERTY_ROWS[0]["floor"], set(PROPERTY_ROWS[0]["theorems"])
    ran = {row["theorem"] for row in PROPERTY_ROWS if row["kind"] == "property"}
    checked = sum(row["checks"] for row in PROPERTY_ROWS if row["kind"] == "property")
    if ran == theorems and checked < floor:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        session.config._rlhfsym_below_floor = (checked, floor)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not PROPERTY_ROWS:
        return
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "property"))
    from property_summary import write_summary

    write_summary(terminalreporter, PROPERTY_ROWS)
    below = getattr(config, "_rlhfsym_below_floor", None)
    if below is not None:
        terminalreporter.write_line(f"FAILED: the properties checked {below[0]} instances, below the floor of "
                                    f"{below[1]:.0f} (tests/property/property_suite.py, CI_FLOOR)", red=True)
