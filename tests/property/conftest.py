"""The property suite's summary: after the run, one row per search (instances checked, violations, worst ratio,
binomial tests) and the total number of instances checked."""

from __future__ import annotations

import math

from property_suite import RECORDS


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not RECORDS:
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
    for kind, tally in RECORDS:
        totals[kind] += tally.checks
        ratio = None if tally.worst is None else tally.worst.ratio
        worst = "-" if ratio is None else f"{ratio:.4g}" if math.isfinite(ratio) else "inf"
        tests = ", ".join(f"{t['failures']}/{t['trials']} p={t['p_value']:.2g}" for t in tally.tests())
        outside = f"{tally.outside}/{tally.runs}"
        write(f"{kind:9} {tally.theorem:42} {tally.examples:8} {tally.populations:11} {tally.checks:7} "
              f"{tally.skipped:7} {tally.broken:6} {outside:>13} {len(tally.violations):10} {worst:>11}  {tests}")
    write(f"instances checked end to end: {totals['property']} by the properties, {totals['control']} by the "
          f"negative controls ({sum(totals.values())} in total)")
