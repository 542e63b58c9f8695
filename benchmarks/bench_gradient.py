"""Time ``weighted_gradient`` against streaming the same feature array twice.

The reference "two-pass read" is the faster of two honest full reads of the (n*K, d) float64 array, each done
twice: (a) two BLAS matvecs ``F2 @ ones(d)`` and (b) two ``np.einsum("md,m->d", F2, ones(n*K))`` reductions.
Every timing is the best of ``--repeats`` runs after one warm-up.  Target: ratio <= 1.5 at the large size.

Usage: ``PYTHONPATH=. python benchmarks/bench_gradient.py [--sizes 1000,8,64 10000,16,256] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from rlhfsym.numerics.policy import weighted_gradient

DEFAULT_SIZES = ((1000, 8, 64), (10000, 16, 256))
TARGET_RATIO = 1.5


def best_time(run: Callable[[], object], repeats: int) -> float:
    """Best wall-clock time of ``repeats`` calls of ``run`` after one warm-up call."""
    run()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def build_problem(n: int, K: int, d: int, seed: int = 0) -> dict[str, np.ndarray | float]:
    """Random float64 features (n,K,d) of norm about 1, weights 1/n, a random theta and log pi_ref."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((n, K, d)) / np.sqrt(d)
    logits = rng.standard_normal((n, K))
    log_ref = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return {
        "features": features,
        "log_ref": log_ref,
        "weights": np.full(n, 1.0 / n),
        "theta": rng.standard_normal(d),
        "beta": 1.0,
        "w": rng.standard_normal(d) / np.sqrt(d),
    }


def two_pass_time(features: np.ndarray, repeats: int) -> tuple[float, str]:
    """The faster honest two-pass read of the features, and its name."""
    n, K, d = features.shape
    flat = features.reshape(n * K, d)
    ones_d, ones_m = np.ones(d), np.ones(n * K)
    candidates = {
        "2x F2 @ ones(d)": lambda: (flat @ ones_d, flat @ ones_d),
        "2x einsum md,m->d": lambda: (np.einsum("md,m->d", flat, ones_m), np.einsum("md,m->d", flat, ones_m)),
    }
    timed = {name: best_time(run, repeats) for name, run in candidates.items()}
    name = min(timed, key=timed.__getitem__)
    return timed[name], name


def run_size(n: int, K: int, d: int, repeats: int) -> tuple[float, float, str]:
    """(gradient time, two-pass time, name of the two-pass reference) for one size."""
    problem = build_problem(n, K, d)
    grad_time = best_time(lambda: weighted_gradient(**problem), repeats)  # type: ignore[arg-type]
    reference, name = two_pass_time(problem["features"], repeats)  # type: ignore[arg-type]
    return grad_time, reference, name


def parse_size(text: str) -> tuple[int, int, int]:
    """``"n,K,d"`` -> (n, K, d)."""
    parts = tuple(int(part) for part in text.split(","))
    if len(parts) != 3 or min(parts) < 1:
        raise argparse.ArgumentTypeError(f"size must be n,K,d with positive integers, got {text!r}")
    return parts  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=parse_size,
        default=list(DEFAULT_SIZES),
        help="sizes n,K,d (default: 1000,8,64 10000,16,256)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measurement (best is kept)")
    args = parser.parse_args(argv)
    header = f"{'n':>7} {'K':>4} {'d':>5} {'MiB':>7} {'gradient ms':>12} {'two-pass ms':>12} {'ratio':>6}  reference"
    print(header)
    print("-" * len(header))
    ratio = float("nan")
    for n, K, d in args.sizes:
        grad_time, reference, name = run_size(n, K, d, args.repeats)
        ratio = grad_time / reference
        mib = n * K * d * 8 / 2**20
        print(
            f"{n:>7} {K:>4} {d:>5} {mib:>7.1f} {grad_time * 1e3:>12.2f} {reference * 1e3:>12.2f} {ratio:>6.2f}  {name}"
        )
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"target: ratio <= {TARGET_RATIO} at the last size: {verdict} (ratio {ratio:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
