"""Mutation check of the property suite: weaken each derived constant of each theorem by 1/2 and see whether the
suite's search (``rlhfsym.search.search``, the checks of ``tests/property``) finds a measured value above the
weakened bound.

Mutations, per theorem:

* ``term:<i>`` -- each additive term of the composed bound (``theorem_info(name).bound``: the optimisation term,
  the Hoeffding term, ...) multiplied by 1/2;
* ``constant:<name>`` -- each lemma constant of the registry (``lemma.constants``: ``rho``, ``L``, ``L_prime``, ...)
  that occurs in the composed bound as a subexpression, or as a rational multiple of it (``12 B^3 S + 2 B^2 beta``
  is ``2 L``), replaced by half its value wherever it occurs. Step sizes (``eta``, ``eta_t``) are the algorithm's,
  not the bound's, and are left alone. A constant that the composition merged into a monomial (``lipschitz =
  3 B^2 S``, ``radius = 2 S / beta``, ``reinforce_cap = 14 B^2 S``) no longer occurs in the bound; it is listed
  as such and not mutated.

A mutation is *caught* when the search finds a violation of the weakened bound: an instance above it (deterministic
claims), a probability claim whose failing samples weigh more than delta, or a count of exceedances that the
binomial test rejects (expectation claims, independent samples). A halved constant that makes the bound *larger*
somewhere (L in the SGA paper form enters both a numerator and a denominator) is not a weakening; it is reported
with its largest ratio mutated / original and left out of the total.

The slack of an uncaught mutation is ``1 / (worst measured / weakened bound)``: how far the best instance found
stays below the weakened bound.

    python benchmarks/mutation.py                          # ci budget (the suite's examples), prints a table
    python benchmarks/mutation.py --scale 4 --markdown     # four times the budget, the table of docs/mutation.md
    python benchmarks/mutation.py --theorem ga_last_excess_le_of_coverage --json
    python benchmarks/mutation.py --no-pinned              # the drawn instances alone, without the pinned ones
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass

import sympy as sp

from rlhfsym.api import chain
from rlhfsym.bounds import theorem_info, theorems
from rlhfsym.search import plan_of, search

#: Constants that are step sizes of the algorithm, not parts of the bound.
STEPS = ("eta", "eta_t")


@dataclass(frozen=True)
class Mutation:
    """One weakened bound: ``expression`` is the theorem's bound with ``label`` halved."""

    theorem: str
    label: str
    expression: sp.Expr | None
    note: str = ""


def halved(expr: sp.Expr, constant: sp.Expr) -> sp.Expr:
    """``expr`` with every subexpression that is a rational multiple ``q c`` of ``constant`` replaced by ``q c / 2``."""
    if expr.is_Atom:
        return expr
    if isinstance(expr, (sp.Add, sp.Mul)) and constant.free_symbols <= expr.free_symbols:
        ratio = sp.cancel(expr / constant)
        if ratio.is_Rational:
            return expr / 2
    return expr.func(*[halved(arg, constant) for arg in expr.args])


def mutations(theorem: str) -> list[Mutation]:
    """The terms and the occurring constants of ``theorem``'s bound, each halved; absent constants with a note."""
    bound = theorem_info(theorem).bound
    found = []
    terms = sp.Add.make_args(bound)
    for term in terms:
        found.append(Mutation(theorem, f"term:{_short(term)}", bound - term / 2))
    for name, constant in chain().get(theorem).constants.items():
        if name in STEPS:
            continue
        weakened = halved(bound, constant)
        if weakened == bound:
            found.append(Mutation(theorem, f"constant:{name}", None,
                                  f"{sp.sstr(constant)} does not occur in the composed bound (merged into a product)"))
        else:
            found.append(Mutation(theorem, f"constant:{name}", weakened))
    return found


def _short(term: sp.Expr) -> str:
    """A name for an additive term: Hoeffding (it holds delta), residual, or optimisation (the rest)."""
    names = {s.name for s in term.free_symbols}
    return "hoeffding" if "delta" in names else "residual" if "residual" in names else "optimisation"


def _largest_increase(tally, mutation: Mutation) -> float:
    """The largest ratio weakened / original bound (midpoints of their enclosures) at the worst instance found."""
    if tally.worst is None or tally.worst.simulation is None:
        return 0.0
    result = tally.worst.simulation.result
    original = result.enclose(theorem_info(mutation.theorem).bound).midpoint
    weakened = result.enclose(mutation.expression).midpoint
    return float(weakened / original) if original > 0 else 0.0


def run(mutation: Mutation, scale: float, seed: int | None, pinned: bool = True) -> dict:
    """Search the weakened bound with the suite's budget times ``scale`` (and, unless ``pinned`` is False, the
    plan's pinned instances first, as the suite does); the row of the report."""
    row = {"theorem": mutation.theorem, "mutation": mutation.label}
    if mutation.expression is None:
        return {**row, "status": "not mutated", "note": mutation.note}
    plan = plan_of(mutation.theorem)
    started = time.perf_counter()
    tally = search(mutation.theorem, examples=max(1, round(plan.examples * scale)), seed=seed,
                   derandomize=seed is None, expression=mutation.expression, stop=True,
                   examples_pinned=None if pinned else ())
    ratio = 0.0 if tally.worst is None else tally.worst.ratio
    row.update({"examples": tally.examples, "checks": tally.checks, "worst_ratio": ratio,
                "slack": math.inf if ratio == 0 else 1 / ratio, "seconds": round(time.perf_counter() - started, 1)})
    if tally.caught:
        row["status"] = "caught"
        row["how"] = tally.failures()[0][:300]
    else:
        increase = _largest_increase(tally, mutation)
        row["status"] = "not a weakening" if increase > 1 + 1e-9 else "missed"
        if increase > 1 + 1e-9:
            row["note"] = f"the halved constant makes the bound larger (x{increase:.3g} on the worst instance)"
    return row


def table(rows: list[dict], markdown: bool) -> str:
    head = ["theorem", "mutation", "status", "worst ratio", "slack", "examples", "checks"]
    lines = []
    for r in rows:
        ratio = r.get("worst_ratio")
        lines.append([r["theorem"], r["mutation"], r["status"], "" if ratio is None else f"{ratio:.4g}",
                      "" if ratio is None or r["status"] == "caught" else f"{r['slack']:.3g}",
                      str(r.get("examples", "")), str(r.get("checks", ""))])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        out += ["| " + " | ".join(f"`{c}`" if i == 0 else c for i, c in enumerate(line)) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    return "\n".join([fmt.format(*head), *(fmt.format(*line) for line in lines)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--theorem", action="append", help="only this theorem (repeatable)")
    parser.add_argument("--scale", type=float, default=1.0, help="examples = the suite's ci examples x scale")
    parser.add_argument("--seed", type=int, default=None, help="seed of the searches (default: derandomised)")
    parser.add_argument("--no-pinned", action="store_true", help="leave out the pinned instances (search alone)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args(argv)
    names = args.theorem or [row["theorem"] for row in theorems()]
    rows = []
    for name in names:
        for mutation in mutations(name):
            rows.append(run(mutation, args.scale, args.seed, pinned=not args.no_pinned))
            print(f"{name} {mutation.label}: {rows[-1]['status']}", file=sys.stderr, flush=True)
    counted = [r for r in rows if r["status"] in ("caught", "missed")]
    caught = sum(r["status"] == "caught" for r in counted)
    if args.json:
        print(json.dumps({"caught": caught, "total": len(counted), "rows": rows}, indent=2, default=str))
    else:
        print(table(rows, args.markdown))
        print(f"\ncaught {caught} of {len(counted)} weakened bounds ({100 * caught / max(len(counted), 1):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
