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
  rlhfsym bound --list                the theorems, what each bounds, its parameters and rates
  rlhfsym bound erm_gap_le_of_coverage --B 1 --S 1 --n 1000 --delta 0.05
                                      the certified value of a theorem's bound (upper rounded up)
  rlhfsym bound ga_last_dist_le_of_coverage --B 1 --S 1 --beta 0.5 --gamma [0.01,0.02] --T 100 --eta 1
                                      the same, valid for every gamma in the interval
  rlhfsym sample-size erm_gap_le_of_coverage --epsilon 0.05 --B 1 --S 1 --delta 0.05
                                      the smallest n whose certified bound is <= epsilon

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
    _add_bound(commands)
    _add_sample_size(commands)
    return parser


VALUE_HELP = """\
values: every parameter is an exact number (1, 0.05, 1/3, 2e-3) or an interval [lo,hi] (quote it in a shell:
'[0.01,0.02]'); an interval gives a bound valid for every value in it. Floats are read as the decimals written,
never rounded. The parameters each theorem takes are listed by `rlhfsym bound --list`."""


def _add_parameters(command: argparse.ArgumentParser) -> None:
    """One option per parameter of the setting (setting.md, section 5), in its order."""
    from .setting import PARAMETERS

    group = command.add_argument_group("parameters (setting.md, section 5)")
    for name, parameter in PARAMETERS.items():
        flags = [f"--{name}"] + ([f"--{name.replace('_', '-')}"] if "_" in name else [])
        group.add_argument(
            *flags, dest=f"param_{name}", metavar="VALUE", help=f"{parameter.meaning} ({parameter.rule})"
        )


def _given(args: argparse.Namespace) -> dict[str, str]:
    return {
        key.removeprefix("param_"): v for key, v in vars(args).items() if key.startswith("param_") and v is not None
    }


def _add_bound(commands) -> None:
    bound = commands.add_parser(
        "bound",
        help="the certified value of a theorem's bound at given parameters",
        description="Evaluate a theorem's bound with interval arithmetic (outward rounding): the printed upper "
        "value is never below the true bound, for every parameter value in the intervals given. The theorem's "
        "conditions on the parameters (a step size at most 1/(beta B^2), delta in (0,1), ...) are certified "
        "first; values that break one are refused.",
        epilog=VALUE_HELP + "\n\nexit status: 0 success, 2 bad arguments or values that break an assumption.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bound.add_argument("theorem", nargs="?", metavar="THEOREM", help="a theorem name (see --list)")
    bound.add_argument("--list", action="store_true", help="list the theorems and their parameters")
    bound.add_argument("--digits", type=_digits, default=6, metavar="N", help="significant digits (default 6)")
    bound.add_argument("--json", action="store_true", help="print JSON")
    _add_parameters(bound)
    bound.set_defaults(run=_run_bound)


def _add_sample_size(commands) -> None:
    size = commands.add_parser(
        "sample-size",
        help="the smallest n (or T) whose certified bound is <= epsilon",
        description="Find the smallest n (or T with --solve-for T) at which the theorem's certified upper bound is "
        "<= epsilon. Certified: the bound at the answer is <= epsilon for every parameter value given, and at the "
        "answer minus one it is certainly above epsilon ('exceeds') or its enclosure straddles epsilon "
        "('undecided'); with the derivative certified <= 0 up to the answer, the answer is the smallest.",
        epilog=VALUE_HELP + "\n\nexit status: 0 success, 2 bad arguments, values that break an assumption, or an "
        "epsilon that no n (or T) reaches.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    size.add_argument("theorem", metavar="THEOREM", help="a theorem name (see rlhfsym bound --list)")
    size.add_argument("--epsilon", required=True, metavar="E", help="the target value of the bound (> 0)")
    size.add_argument("--solve-for", choices=("n", "T"), default="n", help="the quantity to solve for (default n)")
    size.add_argument("--json", action="store_true", help="print JSON")
    _add_parameters(size)
    size.set_defaults(run=_run_sample_size)


def _digits(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--digits must be an integer in [1, 50], got {text!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"--digits must be an integer in [1, 50], got {value}")
    return value


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


def _run_bound(args: argparse.Namespace) -> int:
    from .bounds import bound, theorems

    if args.list:
        if args.theorem is not None or _given(args):
            _fail("--list takes no THEOREM and no parameters")
        rows = theorems()
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            table = [
                [
                    r["theorem"],
                    r["bounds"],
                    r["iterate"],
                    r["algorithm"],
                    r["holds"],
                    r["rate_n"] or "-",
                    r["rate_T"] or "-",
                    " ".join(r["parameters"]),
                ]
                for r in rows
            ]
            print(
                _table(table, ["theorem", "bounds", "iterate", "algorithm", "holds", "rate n", "rate T", "parameters"])
            )
        return 0
    if args.theorem is None:
        _fail("give a THEOREM (see `rlhfsym bound --list`)")
    result = bound(args.theorem, digits=args.digits, **_given(args))
    data = result.to_json()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"{data['theorem']}: {data['bounds']} of the {data['iterate']} iterate ({data['algorithm']}), {_holds(data)}")
    print(f"  parameters  {', '.join(f'{k}={v}' for k, v in data['parameters'].items())}")
    if data["eta"] is not None:
        print(f"  step size   eta = {data['eta']}")
    print(f"  enclosure   [{data['lower']}, {data['upper']}]")
    print(f"  upper       {data['upper']}   (rounded up to {args.digits} significant digits; certified)")
    print(f"  rates       n: {data['rate_n'] or '-'}, T: {data['rate_T'] or '-'}")
    return 0


def _holds(data: dict) -> str:
    if data["holds"] == "probability":
        return f"with probability >= 1 - delta = 1 - {data['delta']} over the sample"
    if data["holds"] == "expectation":
        return "in expectation" + (
            f"; with probability >= 1 - {data['delta']} over the sample" if data["delta"] else ""
        )
    return "deterministically"


def _run_sample_size(args: argparse.Namespace) -> int:
    from .bounds import sample_size

    result = sample_size(args.theorem, args.epsilon, solve_for=args.solve_for, **_given(args))
    data = result.to_json()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    var = data["solve_for"]
    print(f"{data['theorem']}: smallest {var} = {data[var]} with bound <= {data['epsilon']}")
    print(f"  at {var} = {data[var]}: bound <= {data['upper_at_value']} (certified)")
    if data["previous"] == "none":
        print(f"  {var} = {data[var]} is the least value allowed")
    else:
        shown = "certainly exceeds" if data["previous"] == "exceeds" else "cannot be certified either way against"
        print(f"  at {var} = {data[var] - 1}: bound >= {data['lower_at_previous']}, which {shown} epsilon")
    print(f"  smallest: {'certified' if data['smallest'] else 'not certified (monotonicity not proved)'}")
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
