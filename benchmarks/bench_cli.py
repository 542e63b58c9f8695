"""Cold wall time of ``rlhfsym --help`` (target <= 0.5 s), ``rlhfsym bound --list`` and ``rlhfsym verify`` (target
<= 3 s on 2 cores), each beside ``python -c "import sympy"`` measured in the same run, so that the ratio is stable on a
shared, noisy machine.

Each command runs in a fresh interpreter (``python -m rlhfsym``), ``--repeat`` times, interleaved with the reference;
the best and the median are printed, and the median's ratio to the reference's median. Run:
``python benchmarks/bench_cli.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

#: Command -> target median in seconds (None: no absolute target, the ratio is reported).
TARGETS: dict[str, float | None] = {"--help": 0.5, "bound --list": None, "verify": 3.0}
REFERENCE = [sys.executable, "-c", "import sympy"]


def wall(argv: list[str]) -> float:
    """Seconds one fresh interpreter takes to run ``argv`` (an error exits with its stderr)."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    times: dict[str, list[float]] = {"import sympy": [], **{command: [] for command in TARGETS}}
    for _ in range(repeat):
        times["import sympy"].append(wall(REFERENCE))
        for command in TARGETS:
            times[command].append(wall([sys.executable, "-m", "rlhfsym", *command.split()]))
    reference = statistics.median(times["import sympy"])
    print(f"{'command':<22} {'best s':>8} {'median s':>9} {'/ sympy':>8} {'target s':>9}  meets")
    for command, samples in times.items():
        best, median = min(samples), statistics.median(samples)
        target = TARGETS.get(command)
        meets = "-" if target is None else ("yes" if median <= target else "NO")
        shown = "-" if target is None else f"{target:.1f}"
        name = command if command == "import sympy" else f"rlhfsym {command}"
        print(f"{name:<22} {best:>8.3f} {median:>9.3f} {median / reference:>8.2f} {shown:>9}  {meets}")


if __name__ == "__main__":
    main()
