"""Time certified evaluation (mpmath.iv reference path, arb compiled path, numpy float64 for scale) and ``prove_le``.

The evaluated bound has about 40 operations in 8 parameters (the shape of the lemma chain's bounds); every input
is an interval of relative width 1e-3 around a typical value. Rates are evaluations per second on one core, best of
``--repeats`` runs after a warm-up:

* mpmath reference -- ``enclose(..., backend="mpmath")``: exact rationals in, an Enclosure out (tree walk);
* arb end to end -- a ``compile_enclosure`` evaluator called on exact rationals, an Enclosure out;
* arb ball kernel -- the same compiled evaluator on prepared arb balls (``compiled.balls``), in the two modes;
* numpy float64 -- ``lambdify(..., "numpy")`` on arrays (not rigorous, for scale).

Then ``prove_le`` on a set of 4-parameter inequalities, each from a cold start (compilation included).
Targets: >= 100,000/s for the arb ball kernel; median <= 1 s for ``prove_le``.

Usage: ``PYTHONPATH=. python benchmarks/bench_interval.py [--evaluations 20000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import sympy as sp

from rlhfsym.interval import compile_enclosure, enclose, prove_le
from rlhfsym.interval._arb import ball, flint_precision

TARGET_RATE = 100_000
TARGET_MEDIAN_SECONDS = 1.0

B, S, beta, n, delta, gamma, eta, K = sp.symbols("B S beta n delta gamma eta K", positive=True)
SYMBOLS = (B, S, beta, n, delta, gamma, eta, K)
CENTRES = (Fraction(1), Fraction(2), Fraction(1, 10), Fraction(1000), Fraction(1, 20), Fraction(1, 5),
           Fraction(1, 100), Fraction(8))
BOUND = (
    2 * B * S / beta * sp.sqrt(sp.log(2 / delta) / (2 * n))
    + sp.exp(-4 * B * S / beta) * (1 + eta * gamma) ** 2 / (gamma * sp.sqrt(n))
    + sp.log(1 + K / delta) / n
    + B**2 / (beta * gamma) * sp.sqrt(sp.log(K) / n)
    + eta * B**2 * S / (1 - eta * gamma)
)

a, b, c, d = sp.symbols("a b c d", positive=True)
R = sp.Rational
INEQUALITIES = [
    ("log(1+abcd) <= abcd", sp.log(1 + a * b * c * d), a * b * c * d,
     {a: (R(1, 10), 2), b: (R(1, 10), 2), c: (R(1, 2), 1), d: (R(1, 2), 1)}),
    ("exp(-abcd) <= 1/(1+abcd)", sp.exp(-a * b * c * d), 1 / (1 + a * b * c * d),
     {s: (R(1, 2), 2) for s in (a, b, c, d)}),
    ("exp(-abcd) <= 1/(1+abcd), abcd from 1/400 (margin 3e-6)", sp.exp(-a * b * c * d), 1 / (1 + a * b * c * d),
     {a: (R(1, 10), 2), b: (R(1, 10), 2), c: (R(1, 2), 1), d: (R(1, 2), 1)}),
    ("sqrt(ab)+sqrt(cd) <= (a+b+c+d)/2 + 1/20", sp.sqrt(a * b) + sp.sqrt(c * d), (a + b + c + d) / 2 + R(1, 20),
     {s: (1, 2) for s in (a, b, c, d)}),
    ("AM-GM (abcd)^(1/4) <= (a+b+c+d)/4", (a * b * c * d) ** R(1, 4), (a + b + c + d) / 4,
     {a: (1, 2), b: (3, 4), c: (5, 6), d: (7, 9)}),
    ("HM <= AM, margin 1/50", a * b / (a + b) + c * d / (c + d), (a + b + c + d) / 4 + R(1, 50),
     {s: (1, 2) for s in (a, b, c, d)}),
    ("(1-4BS/beta) log(2/delta) <= exp(-4BS/beta) log(2/delta)", (1 - 4 * B * S / beta) * sp.log(2 / delta),
     sp.exp(-4 * B * S / beta) * sp.log(2 / delta), {B: (R(1, 10), 1), S: (R(1, 10), 1), beta: (R(1, 2), 2),
                                                    delta: (R(1, 100), R(1, 2))}),
    ("2BS/beta sqrt(log(2/delta)/2000) <= BS/beta sqrt(log(2/delta))/10",
     2 * B * S / beta * sp.sqrt(sp.log(2 / delta) / 2000), B * S / beta * sp.sqrt(sp.log(2 / delta)) / 10,
     {B: (R(1, 2), 2), S: (R(1, 2), 2), beta: (R(1, 10), 1), delta: (R(1, 100), R(1, 10))}),
    ("a exp(-b) + c exp(-d) <= a + c - (1-exp(-1/10))/10", a * sp.exp(-b) + c * sp.exp(-d),
     a + c - (1 - sp.exp(-R(1, 10))) / 10, {s: (R(1, 10), 1) for s in (a, b, c, d)}),
]


def best_rate(run: Callable[[], object], count: int, repeats: int) -> float:
    """Best rate (calls per second) of ``count`` calls of ``run``, over ``repeats`` runs after a warm-up."""
    run()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            run()
        best = min(best, time.perf_counter() - start)
    return count / best


def evaluation_rates(evaluations: int, reference_evaluations: int, repeats: int) -> list[tuple[str, float, str]]:
    ranges = [(x * (1 - Fraction(1, 2000)), x * (1 + Fraction(1, 2000))) for x in CENTRES]
    values = dict(zip(SYMBOLS, ranges, strict=True))
    rows = []
    rate = best_rate(lambda: enclose(BOUND, values, backend="mpmath"), reference_evaluations, repeats)
    rows.append(("mpmath.iv reference (rationals -> Enclosure)", rate, "rigorous"))
    compiled = compile_enclosure(BOUND, SYMBOLS)
    rate = best_rate(lambda: compiled(ranges), evaluations // 4, repeats)
    rows.append(("arb compiled, end to end (rationals -> Enclosure)", rate, "rigorous"))
    for mode in ("ball", "interval"):
        kernel = compile_enclosure(BOUND, SYMBOLS, mode=mode)
        with flint_precision(kernel.prec):
            balls = [ball(lo, hi) for lo, hi in ranges]
            rate = best_rate(lambda k=kernel, inputs=balls: k.balls(*inputs), evaluations, repeats)
        rows.append((f"arb compiled, {mode} kernel (balls -> ball)", rate, "rigorous"))
    f = sp.lambdify(SYMBOLS, BOUND, "numpy")
    rng = np.random.default_rng(0)
    arrays = [float(x) * (1 + 1e-3 * (rng.random(evaluations) - 0.5)) for x in CENTRES]
    start_arrays = [np.asarray(x) for x in arrays]
    rate = best_rate(lambda: f(*start_arrays), 1, repeats) * evaluations
    rows.append(("numpy float64, vectorised", rate, "NOT rigorous"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=20000, help="evaluations per timed run (arb, numpy)")
    parser.add_argument("--reference-evaluations", type=int, default=500, help="evaluations per run (mpmath)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per measurement (best is kept)")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="time budget of each prove_le")
    args = parser.parse_args(argv)

    print(f"bound: {sp.count_ops(BOUND)} operations in {len(SYMBOLS)} parameters, inputs of relative width 1e-3")
    header = f"{'path':<52} {'evaluations/s':>14}  note"
    print(header)
    print("-" * len(header))
    rows = evaluation_rates(args.evaluations, args.reference_evaluations, args.repeats)
    for name, rate, note in rows:
        print(f"{name:<52} {rate:>14,.0f}  {note}")
    reference_rate = rows[0][1]
    kernel_rate = rows[2][1]
    print(f"arb ball kernel / mpmath reference: {kernel_rate / reference_rate:.0f}x")
    verdict = "met" if kernel_rate >= TARGET_RATE else "NOT met"
    print(f"target: arb ball kernel >= {TARGET_RATE:,}/s: {verdict} ({kernel_rate:,.0f}/s)")
    print()

    header = f"{'inequality (4 parameters)':<66} {'status':>9} {'boxes':>7} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    seconds = []
    for name, f, g, box in INEQUALITIES:
        start = time.perf_counter()
        result = prove_le(f, g, box, max_boxes=10**7, max_seconds=args.max_seconds)
        elapsed = time.perf_counter() - start
        seconds.append(elapsed)
        print(f"{name:<66} {result.status:>9} {result.boxes:>7} {elapsed:>8.3f}")
    median = statistics.median(seconds)
    verdict = "met" if median <= TARGET_MEDIAN_SECONDS else "NOT met"
    print(f"median prove_le time: {median:.3f} s; target <= {TARGET_MEDIAN_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
