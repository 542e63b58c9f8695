"""Benchmark ``prove_le`` on public inequality suites (MetiTarski's problems, Isabelle's Approximation_Ex.thy),
translated in ``benchmarks/prover_problems.py``.

For every problem: the true inequality must be proved (or left undecided; never refuted), and its FALSE variant
must never be proved. Before anything is timed, the benchmark checks its own data at 100 digits (mpmath,
independent of the interval code): each false variant's counterexample lies in its box and violates it
(``f - g > 0``), and each true problem holds (``f - g <= 0``) at the corners and 64 seeded points of its box.

Reported per suite: proved / undecided / refused (an IntervalError) / refuted counts, median and max seconds
(wall clock, cold: compilation included). Targets: >= 85% of the true problems proved, no false variant proved,
median time <= 0.2 s.

Usage: ``PYTHONPATH=. python benchmarks/bench_prover.py [--max-boxes 20000] [--verbose]``
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prover_problems import PROBLEMS, Problem

from rlhfsym.interval import IntervalError, prove_le

TARGET_PROVED = 0.85
TARGET_MEDIAN_SECONDS = 0.2


def _value(expr: sp.Expr, point: dict) -> mpmath.mpf:
    """``expr`` at an exact point, by mpmath at 100 digits."""
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    fn = sp.lambdify(symbols, expr, "mpmath")
    with mpmath.workdps(100):
        args = [mpmath.mpf(Fraction(point[s]).numerator) / Fraction(point[s]).denominator for s in symbols]
        return +fn(*args)


def _inside(point: dict, box: dict) -> bool:
    for s, v in point.items():
        lo, hi = box[s] if isinstance(box[s], tuple) else (box[s], box[s])
        if not Fraction(lo) <= Fraction(v) <= Fraction(hi):
            return False
    return set(point) == set(box)


def check_data(problem: Problem, rng: random.Random) -> list[str]:
    """The problem's own claims, checked at 100 digits: the counterexample violates the false variant inside its
    box, and the true inequality holds at the corners and at 64 points of its box."""
    errors = []
    false_box = problem.false_box if problem.false_box is not None else problem.box
    if not _inside(problem.counterexample, false_box):
        errors.append("counterexample outside the false variant's box")
    elif not _value(problem.false_f - problem.false_g, problem.counterexample) > 0:
        errors.append("the false variant holds at its counterexample")
    symbols = sorted(problem.box, key=sp.default_sort_key)
    ranges = [tuple(Fraction(v) for v in problem.box[s]) for s in symbols]
    corners = list(itertools.product(*[sorted(set(r)) for r in ranges]))
    inside = [tuple(lo + (hi - lo) * Fraction(rng.randint(0, 10**6), 10**6) for lo, hi in ranges) for _ in range(64)]
    h = problem.f - problem.g
    for point in corners + inside:
        try:
            value = _value(h, dict(zip(symbols, point, strict=True)))
        except (ZeroDivisionError, ValueError):
            continue
        if not isinstance(value, mpmath.mpf) or value > mpmath.mpf(10) ** -90:
            errors.append(f"the true inequality fails at {point}: f - g = {value}")
            break
    return errors


def run(problem_f: sp.Expr, problem_g: sp.Expr, box: dict, max_boxes: int) -> tuple[str, float, str]:
    start = time.perf_counter()
    try:
        result = prove_le(problem_f, problem_g, box, max_boxes=max_boxes)
        status, detail = result.status, result.detail
    except IntervalError as err:
        status, detail = "refused", str(err)
    return status, time.perf_counter() - start, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-boxes", type=int, default=20_000, help="box budget of each prove_le")
    parser.add_argument("--verbose", action="store_true", help="print the detail of every undecided problem")
    parser.add_argument("--only", default="", help="run only the problems whose name contains this text")
    args = parser.parse_args(argv)
    rng = random.Random(20240607)
    problems = [p for p in PROBLEMS if args.only in p.name]
    bad = {p.name: e for p in problems if (e := check_data(p, rng))}
    for name, errors in bad.items():
        print(f"DATA ERROR in {name}: {'; '.join(errors)}")
    if bad:
        return 2
    print(f"{len(problems)} problems, data checked at 100 digits (every false variant fails at its point)")
    header = f"{'problem':<34} {'suite':<10} {'true':>9} {'s':>7}   {'false':>9} {'s':>7}"
    print(header)
    print("-" * len(header))
    rows = []
    for p in problems:
        status, seconds, detail = run(p.f, p.g, p.box, args.max_boxes)
        fbox = p.false_box if p.false_box is not None else p.box
        fstatus, fseconds, _ = run(p.false_f, p.false_g, fbox, args.max_boxes)
        rows.append((p, status, seconds, fstatus, fseconds))
        flag = "  <-- FALSE VARIANT PROVED" if fstatus == "proved" else ""
        flag += "  <-- TRUE PROBLEM REFUTED" if status == "refuted" else ""
        print(f"{p.name[:34]:<34} {p.suite:<10} {status:>9} {seconds:>7.3f}   {fstatus:>9} {fseconds:>7.3f}{flag}")
        if args.verbose and status != "proved":
            print(f"    {detail[:160]}")
    print()
    header = f"{'suite':<12} {'problems':>8} {'proved':>7} {'undecided':>9} {'refused':>7} {'refuted':>7} " \
             f"{'median s':>9} {'max s':>7} {'false: proved':>13} {'refuted':>7} {'other':>5}"
    print(header)
    print("-" * len(header))
    for suite in ("MetiTarski", "Isabelle", "all"):
        chosen = [r for r in rows if suite == "all" or r[0].suite == suite]
        if not chosen:
            continue
        counts = {s: sum(1 for r in chosen if r[1] == s) for s in ("proved", "undecided", "refused", "refuted")}
        times = [r[2] for r in chosen]
        fproved = sum(1 for r in chosen if r[3] == "proved")
        frefuted = sum(1 for r in chosen if r[3] == "refuted")
        print(f"{suite:<12} {len(chosen):>8} {counts['proved']:>7} {counts['undecided']:>9} {counts['refused']:>7} "
              f"{counts['refuted']:>7} {statistics.median(times):>9.3f} {max(times):>7.3f} {fproved:>13} "
              f"{frefuted:>7} {len(chosen) - fproved - frefuted:>5}")
    proved = sum(1 for r in rows if r[1] == "proved") / len(rows)
    median = statistics.median(r[2] for r in rows)
    false_proved = sum(1 for r in rows if r[3] == "proved")
    true_refuted = sum(1 for r in rows if r[1] == "refuted")
    print()
    print(f"true problems proved: {proved:.0%} (target >= {TARGET_PROVED:.0%}); median {median:.3f} s "
          f"(target <= {TARGET_MEDIAN_SECONDS} s); false variants proved: {false_proved} (must be 0); "
          f"true problems refuted: {true_refuted} (must be 0)")
    return 1 if false_proved or true_refuted else 0


if __name__ == "__main__":
    raise SystemExit(main())
