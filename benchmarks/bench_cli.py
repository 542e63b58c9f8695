"""Cold wall time of ``rlhfsym --help`` (target <= 0.5 s) and ``rlhfsym verify`` (target <= 3 s on 2 cores).

Each command runs in a fresh interpreter (``python -m rlhfsym``), ``--repeat`` times; the best and the median are
printed. Run: ``python benchmarks/bench_cli.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TARGETS = {"--help": 0.5, "verify": 3.0}


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rlhfsym", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"rlhfsym {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"{'command':<18} {'best s':>8} {'median s':>9} {'target s':>9}  meets")
    for command, target in TARGETS.items():
        times = [wall([command]) for _ in range(repeat)]
        best, median = min(times), statistics.median(times)
        print(
            f"rlhfsym {command:<10} {best:>8.3f} {median:>9.3f} {target:>9.1f}  {'yes' if median <= target else 'NO'}"
        )


if __name__ == "__main__":
    main()
