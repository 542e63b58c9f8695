"""Cold wall time of the CLI's commands, each beside ``python -c "import sympy"`` measured in the same run, so that
the ratio is stable on a shared, noisy machine.

Every command runs in a fresh interpreter (``python -m rlhfsym``) in two cache states (:mod:`rlhfsym.cache`):

* ``empty``: an empty cache folder, so the chain's proof modules are imported and built (and ``verify`` checks every
  step, with ``--fresh``); the cache is written as a side effect and emptied again before the next run;
* ``cached``: the cache written by a previous run under the same key (package version, libraries, source files):
  ``bound``, ``sample-size``, ``bound --list`` and ``simulate`` read the theorems' built expressions from it and
  ``verify`` reads the verification record.

Targets (issue 13 and 16): ``verify`` cached <= 3 s; ``bound``, ``sample-size``, ``bound --list`` and ``simulate``
cached <= 2 x ``import sympy``; ``--help`` <= 0.5 s. The ``empty`` times are reported without a target: they are
what a first run after installing or editing the package costs. Run: ``python benchmarks/bench_cli.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BOUND = "erm_gap_le_of_coverage --B 1 --S 1 --gamma 0.01 --delta 0.05"
#: Command -> (target as a ratio to import sympy, target in seconds); None where there is none.
COMMANDS: dict[str, tuple[float | None, float | None]] = {
    "--help": (None, 0.5),
    "bound --list": (2.0, None),
    f"bound {BOUND} --n 1000": (2.0, None),
    f"sample-size {BOUND} --epsilon 0.05": (2.0, None),
    "simulate ga_last_dist_le_of_coverage --runs 5": (2.0, None),
    "verify": (None, 3.0),
}
REFERENCE = [sys.executable, "-c", "import sympy"]


def wall(argv: list[str], env: dict[str, str]) -> float:
    """Seconds one fresh interpreter takes to run ``argv`` (an error exits with its stderr)."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed


def _argv(command: str, state: str) -> list[str]:
    words = command.split()
    if state == "empty" and words[0] == "verify":
        words.append("--fresh")
    return [sys.executable, "-m", "rlhfsym", *words]


def measure(repeat: int) -> dict[tuple[str, str], list[float]]:
    """``{(command, state): [seconds, ...]}``, the reference under ``("import sympy", "-")``, interleaved."""
    folder = tempfile.mkdtemp(prefix="rlhfsym-bench-cache-")
    env = {**os.environ, "RLHFSYM_CACHE_DIR": folder}
    env.pop("RLHFSYM_NO_CACHE", None)
    # The reference reads sympy's bytecode, written when it was installed; the package's modules get theirs on the
    # first run too (an environment that forbids writing it would charge the package, alone, a compile per run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[tuple[str, str], list[float]] = {("import sympy", "-"): []}
    try:
        for _ in range(repeat):
            times[("import sympy", "-")].append(wall(REFERENCE, env))
            for command in COMMANDS:
                shutil.rmtree(folder, ignore_errors=True)
                times.setdefault((command, "empty"), []).append(wall(_argv(command, "empty"), env))
                wall(_argv(command, "empty"), env)  # writes the cache (verify: its record) if the first did not
                times.setdefault((command, "cached"), []).append(wall(_argv(command, "cached"), env))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    times = measure(parser.parse_args().repeat)
    reference = statistics.median(times[("import sympy", "-")])
    width = max(len(f"rlhfsym {command}") for command in COMMANDS)
    print(f"{'command':<{width}} {'cache':<7} {'best s':>7} {'median s':>9} {'/ sympy':>8} {'target':>10}  meets")
    for (command, state), samples in times.items():
        best, median = min(samples), statistics.median(samples)
        ratio_target, seconds_target = COMMANDS.get(command, (None, None))
        target, meets = "-", "-"
        if state != "empty" and ratio_target is not None:
            target, meets = f"{ratio_target:.1f}x", "yes" if median / reference <= ratio_target else "NO"
        elif state != "empty" and seconds_target is not None:
            target, meets = f"{seconds_target:.1f} s", "yes" if median <= seconds_target else "NO"
        name = command if command == "import sympy" else f"rlhfsym {command}"
        print(f"{name:<{width}} {state:<7} {best:>7.3f} {median:>9.3f} {median / reference:>8.2f} {target:>10}  "
              f"{meets}")


if __name__ == "__main__":
    main()
