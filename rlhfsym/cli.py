"""The ``rlhfsym`` command line: it only presents what the chain holds; nothing imports this module.

Bad arguments print one line on stderr and exit with status 2. ``rlhfsym verify`` exits 0 only when every lemma
is verified, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from .errors import RlhfsymError

PROG = "rlhfsym"

DESCRIPTION = """\
rlhfsym turns the generalization theory of KL-regularised RLHF with a linear reward and a Boltzmann policy
("Towards a Theoretical Understanding to the Generalization of RLHF", arXiv:2601.16403) into checked mathematics:
every lemma of the chain is a sympy statement whose proof steps are checked one by one.

A step is 'verified' only when sympy settles it; 'undecided' when it cannot (never counted as verified);
'failed' when a point of the domain refutes it (the step and the counterexample are shown)."""

EPILOG = """\
examples:
  rlhfsym verify                      check every lemma, print a table, exit 0 only if all are verified
  rlhfsym verify --json               the same as JSON: {"lemmas": [...], "verified", "failed", "undecided"}
  rlhfsym verify --lemma log_le_sub_one --steps
                                      one lemma (and what it depends on), with every step and its justification
  rlhfsym chain                       the dependency graph of the lemmas
  rlhfsym chain --dot | dot -Tpng > chain.png

exit status: 0 success, 1 a lemma is failed or undecided, 2 bad arguments."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        _fail(message)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    raise SystemExit(2)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be a positive integer, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    verify = commands.add_parser(
        "verify",
        help="check every lemma of the chain",
        description="Check every lemma of the chain, step by step.",
        epilog="exit status: 0 when every lemma is verified, 1 otherwise, 2 for bad arguments.",
    )
    verify.add_argument("--json", action="store_true", help="print JSON instead of a table")
    verify.add_argument(
        "--lemma", action="append", metavar="NAME", help="check only this lemma and its dependencies (repeatable)"
    )
    verify.add_argument("--steps", action="store_true", help="list every step of every claim with its status")
    verify.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="worker processes (default: the CPUs available, at most 4)",
    )
    verify.set_defaults(run=_run_verify)

    graph = commands.add_parser(
        "chain",
        help="print the dependency graph of the lemmas",
        description="Print the lemmas with what each depends on.",
    )
    shape = graph.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print {name: {kind, statement, depends_on}} as JSON")
    shape.add_argument("--dot", action="store_true", help="print the graph in Graphviz dot")
    graph.set_defaults(run=_run_chain)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def _dependencies(names: Sequence[str], width: int = 60) -> str:
    """The dependency list, cut to ``width`` characters with the number left out (``rlhfsym chain`` has all)."""
    shown: list[str] = []
    for name in names:
        if len(", ".join([*shown, name])) > width:
            return ", ".join(shown) + f" (+{len(names) - len(shown)})"
        shown.append(name)
    return ", ".join(shown) or "-"


def _print_steps(report) -> None:
    print(f"\n{report.name}: {report.status}  [{report.scope}]")
    for assumption in report.assumptions:
        print(f"  {'assumes':<10} {assumption}")
    for step in report.steps:
        where = f"{step.claim}#{step.index}" if step.index else f"{step.claim}"
        print(f"  {step.status:<10} {where:<18} {step.rule:<22} {step.relation}")
        if step.why:
            print(f"  {'':<10} {'':<18} {'':<22} because: {step.why}")
        if step.detail:
            print(f"  {'':<10} {'':<18} {'':<22} {step.detail[:600]}")
    for problem in report.problems:
        print(f"  {'undecided':<10} {problem}")


def _run_verify(args: argparse.Namespace) -> int:
    from .api import verify

    result = verify(names=args.lemma, jobs=args.jobs)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0 if result.ok else 1
    rows = [
        [r.name, r.kind, r.status, str(r.n_steps), _dependencies(r.depends_on), f"{r.seconds:.2f}"]
        for r in result.reports
    ]
    print(_table(rows, ["lemma", "kind", "status", "steps", "depends on", "seconds"]))
    for report in result.reports:
        if args.steps or report.status != "verified":
            _print_steps(report)
    counts = result.counts()
    print(f"\n{counts['verified']} verified, {counts['failed']} failed, {counts['undecided']} undecided")
    return 0 if result.ok else 1


def _run_chain(args: argparse.Namespace) -> int:
    from .api import chain

    lemmas = chain().ordered()
    if args.json:
        print(
            json.dumps(
                {
                    lemma.name: {"kind": lemma.kind, "statement": lemma.statement, "depends_on": list(lemma.depends_on)}
                    for lemma in lemmas
                },
                indent=2,
            )
        )
    elif args.dot:
        print("digraph chain {\n  rankdir=BT;")
        for lemma in lemmas:
            shape = "box" if lemma.kind == "theorem" else "ellipse"
            print(f'  {lemma.name} [shape={shape}, tooltip="{lemma.statement}"];')
            for dep in lemma.depends_on:
                print(f"  {dep} -> {lemma.name};")
        print("}")
    else:
        for lemma in lemmas:
            uses = f"  <- {', '.join(lemma.depends_on)}" if lemma.depends_on else ""
            print(f"{lemma.name} ({lemma.kind}){uses}\n    {lemma.statement}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except RlhfsymError as err:
        _fail(str(err))
    except BrokenPipeError:  # the reader (e.g. `head`) closed the pipe: stop quietly
        sys.stdout = None
        return 0
