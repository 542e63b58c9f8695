"""Throughput of the property suite: instances checked end to end per minute, in the ci profile.

Each theorem's search (``rlhfsym.search.search``, derandomised as in the ci profile) runs with its plan's examples
times ``--scale``; an instance counts once per training sample measured against its certified bound (the theorem's
algorithm run, the bounded quantity measured exactly, the bound certified by interval arithmetic), generation of
the instance, its perturbed copies and hypothesis's bookkeeping included. Target: at least 1,000 per minute.

Usage: ``python benchmarks/bench_property.py [--scale 0.25] [--theorem NAME ...]``
"""

from __future__ import annotations

import argparse
import time

from rlhfsym.bounds import theorems
from rlhfsym.search import plan_of, search

TARGET = 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="examples = the ci examples x scale (default 1)")
    parser.add_argument("--theorem", action="append", help="only this theorem (repeatable)")
    args = parser.parse_args(argv)
    theorem_info = theorems()  # load the chain before timing
    names = args.theorem or [row["theorem"] for row in theorem_info]
    print(f"{'theorem':42} {'examples':>8} {'checked':>8} {'seconds':>8} {'per minute':>10}")
    total_checks, total_seconds = 0, 0.0
    for name in names:
        examples = max(1, round(plan_of(name).examples * args.scale))
        started = time.perf_counter()
        tally = search(name, examples=examples, derandomize=True)
        seconds = time.perf_counter() - started
        total_checks += tally.checks
        total_seconds += seconds
        print(f"{name:42} {tally.examples:8} {tally.checks:8} {seconds:8.1f} {60 * tally.checks / seconds:10.0f}")
    rate = 60 * total_checks / total_seconds
    print(f"{'total':42} {'':8} {total_checks:8} {total_seconds:8.1f} {rate:10.0f}")
    print(f"instances checked end to end per minute: {rate:.0f} (target >= {TARGET:.0f}: "
          f"{'met' if rate >= TARGET else 'NOT met'})")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
