"""Shared test configuration: hypothesis profiles and the import of the proof chain.

Profiles (choose with ``HYPOTHESIS_PROFILE=deep pytest``):
* ``ci`` (default) -- derandomised, no deadline, 100 examples: reproducible runs in CI;
* ``deep`` -- 2,000 examples per property, random seeds, for a long local run;
* ``dev`` -- 20 examples, for quick iteration.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
