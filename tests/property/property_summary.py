"""The property suite's summary table, from plain rows (tests/property/conftest.py builds them; under pytest-xdist
the workers send them to the controller, whose tests/conftest.py prints them)."""

from __future__ import annotations

import math


def write_summary(terminalreporter, rows: list[dict]) -> None:
    """The summary table of ``rows`` (:func:`_row`), properties first, in the chain's order."""
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.section("property suite: instances checked against their certified bounds")
    write("examples: instances hypothesis drew; populations: with their perturbed copies; checked: instances and")
    write("training samples measured end to end against a certified bound; skipped: samples the theorem does not")
    write("apply to (not covered, or a condition the measured intervals cannot certify);")
    write("broken: samples on which an asserted condition of the theorem broke (a REINFORCE run left the ball")
    write("||w_t - w*|| <= 2S/beta; outside/runs counts those runs): the theorem claims nothing there, so they are")
    write("counted, not checked")
    write(f"{'kind':9} {'theorem':42} {'examples':>8} {'populations':>11} {'checked':>7} {'skipped':>7} "
          f"{'broken':>6} {'outside/runs':>13} {'violations':>10} {'worst ratio':>11}  "
          "binomial tests (failures/trials, p)")
    totals = {"property": 0, "control": 0}
    order = rows[0]["theorems"]
    for row in sorted(rows, key=lambda r: (r["kind"] != "property", order.index(r["theorem"])
                                           if r["theorem"] in order else len(order))):  # fmt: skip
        totals[row["kind"]] += row["checks"]
        ratio = row["ratio"]
        worst = "-" if ratio is None else f"{ratio:.4g}" if math.isfinite(ratio) else "inf"
        outside = f"{row['outside']}/{row['runs']}"
        write(f"{row['kind']:9} {row['theorem']:42} {row['examples']:8} {row['populations']:11} {row['checks']:7} "
              f"{row['skipped']:7} {row['broken']:6} {outside:>13} {row['violations']:10} {worst:>11}  "
              f"{row['tests']}")
    write(f"instances checked end to end: {totals['property']} by the properties, {totals['control']} by the "
          f"negative controls ({sum(totals.values())} in total)")
