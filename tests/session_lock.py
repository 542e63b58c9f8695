"""A lock shared by every process of one test session (the pytest-xdist workers), in the session cache folder that
tests/conftest.py creates: the work one worker does for the whole session (the complete check of the chain, whose
verification record the others then read) is done once, while the others wait for it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def session_lock(name: str) -> Iterator[None]:
    """Hold the session's exclusive lock ``name``: a file of the session cache folder held with ``flock`` (where
    there is no ``fcntl``, no lock: the work is only done more than once)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    with open(Path(os.environ["RLHFSYM_TEST_SESSION_CACHE"]) / f"{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
