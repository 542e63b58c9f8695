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
  rlhfsym bound erm_gap_le_of_coverage --B 1 --S 1 --n 1000 --gamma 0.01 --delta 0.05
                                      the certified value of a theorem's bound (upper rounded up)
  rlhfsym bound ga_last_dist_le_of_coverage --B 1 --S 1 --beta 0.5 --gamma [0.01,0.02] --T 100 --eta 1
                                      the same, valid for every gamma in the interval
  rlhfsym sample-size erm_gap_le_of_coverage --epsilon 0.05 --B 1 --S 1 --gamma 0.01 --delta 0.05
                                      the smallest n whose certified bound is <= epsilon
  rlhfsym simulate ga_last_gap_le_of_coverage --seed 3 --T 20
                                      one seeded instance: measured value beside its certified bound
  rlhfsym latex --out paper/ --values B=1 S=1 beta=0.5 gamma=0.01
                                      LaTeX macros (with certified values) and the proof appendix

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
    _add_simulate(commands)
    _add_latex(commands)
    _add_report(commands)
    return parser


def _add_report(commands) -> None:
    report = commands.add_parser(
        "report",
        help="how tight the bounds are on simulated instances, and the rate plots of docs/",
        description="--tightness searches simulated instances (hypothesis, targeting measured/bound) and prints, "
        "for each theorem, the worst ratio found and the instance that reached it. --plots draws, for the main "
        "theorems, the certified bound and the measured value against n and against T (log-log, with the rates), "
        "as PNG files (needs matplotlib: pip install 'rlhfsym[plots]').",
        epilog="exit status: 0 success, 1 when an instance exceeds its bound (a finding), 2 bad arguments.",
    )
    report.add_argument("--tightness", action="store_true", help="search for the worst measured/bound ratios")
    report.add_argument("--plots", action="store_true", help="draw the rate plots")
    report.add_argument("--out", default="docs/plots", metavar="DIR", help="folder of the plots (default docs/plots)")
    report.add_argument(
        "--examples", type=_positive("--examples"), default=200, metavar="N", help="instances per theorem (200)"
    )
    report.add_argument("--seed", type=_natural, default=0, metavar="S", help="seed of the search (default 0)")
    report.add_argument("--json", action="store_true", help="print the tightness table as JSON")
    report.set_defaults(run=_run_report)


def _add_latex(commands) -> None:
    latex = commands.add_parser(
        "latex",
        help="write LaTeX macros for every constant and bound, and the proof appendix",
        description="Write three files generated from the chain (byte-identical across runs): rlhfsym-macros.tex "
        "(one \\newcommand per derived constant and per theorem bound, e.g. \\rlhfGaLastDistLeOfCoverageRho), "
        "rlhfsym-appendix-body.tex (every lemma and theorem: statement, hypotheses, proof steps with their "
        "justification, dependencies, checked status; \\input it in a paper) and rlhfsym-appendix.tex (a "
        "standalone document around the body). The chain is verified first, so the statuses are current. With "
        "--values, each constant and bound whose parameters are all given also gets a ...Value macro holding its "
        "certified upper value, rounded up; values that break a theorem's condition are refused.",
        epilog="exit status: 0 success, 2 bad arguments or values that break an assumption. See docs/latex.md.",
    )
    latex.add_argument("--out", default="rlhfsym-latex", metavar="DIR", help="output folder (default rlhfsym-latex)")
    latex.add_argument(
        "--values", nargs="+", default=(), metavar="PARAM=VALUE", help="parameter values, e.g. B=1 beta=0.5 T=100"
    )
    latex.add_argument("--digits", type=_digits, default=6, metavar="N", help="digits of the values (default 6)")
    latex.set_defaults(run=_run_latex)


def _add_simulate(commands) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="one seeded RLHF instance: the measured value beside the certified bound",
        description="Draw one seeded random instance (features in the unit ball, ||theta*|| = 1, N prompts with "
        "random weights), sample n training prompts, run the theorem's algorithm (GA, SGA over prompts, REINFORCE "
        "SGA; none for the empirical optimum), measure exactly what the theorem bounds at the iterate it names, "
        "and print it beside the bound certified at the parameters measured on the instance. Expectation claims "
        "average --runs seeds (mean and standard error).",
        epilog="exit status: 0 when the measured value is within the bound, 1 when it is not (a finding: please "
        "report it), 2 for bad arguments or an instance that breaks the theorem's assumptions.",
    )
    simulate.add_argument("theorem", metavar="THEOREM", help="a theorem name (see rlhfsym bound --list)")
    simulate.add_argument("--seed", type=_natural, default=0, metavar="S", help="seed of the instance (default 0)")
    simulate.add_argument("--n", type=_positive("--n"), default=None, help="training prompts (default 20)")
    simulate.add_argument("--N", type=_positive("--N"), default=30, help="prompts in the population (default 30)")
    simulate.add_argument("--K", type=_positive("--K"), default=3, help="actions per prompt (default 3)")
    simulate.add_argument("--d", type=_positive("--d"), default=None, help="feature dimension (default 3)")
    simulate.add_argument("--beta", default="1", help="KL coefficient (default 1)")
    simulate.add_argument("--T", type=_positive("--T"), default=50, help="algorithm steps (default 50)")
    simulate.add_argument("--eta", default=None, help="constant step of the sharp forms (default 1/(beta B^2))")
    simulate.add_argument("--delta", default="0.05", help="confidence of probability claims (default 0.05)")
    simulate.add_argument("--runs", type=_positive("--runs"), default=20, help="seeds averaged (default 20)")
    simulate.add_argument("--json", action="store_true", help="print JSON")
    simulate.set_defaults(run=_run_simulate)


def _natural(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be an integer >= 0, got {value}")
    return value


def _positive(flag: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a positive integer, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{flag} must be a positive integer, got {value}")
        return value

    return parse


def _dyadic(name: str, text: str | None) -> float | None:
    """A positive value the simulation runs with, as the float the numerics use (validated exactly first)."""
    if text is None:
        return None
    from .setting import validate_value

    value = validate_value(name, text)
    if not value.is_point:
        _fail(f"parameter {name} = {text}: a simulation needs one value, not an interval")
    return float(value.lo)


VALUE_HELP = """\
values: every parameter is an exact number (1, 0.05, 1/3, 2e-3) or an interval [lo,hi] (quote it in a shell:
'[0.01,0.02]'); an interval gives a bound valid for every value in it. Floats are read as the decimals written,
never rounded. The parameters each theorem takes are listed by `rlhfsym bound --list`."""


def _add_parameters(command: argparse.ArgumentParser) -> None:
    """One option per parameter of the setting (setting.md, section 5), in its order."""
    from .rules import RULES  # the rule table without sympy: building the parser stays cheap

    group = command.add_argument_group("parameters (setting.md, section 5)")
    for name, parameter in RULES.items():
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


def _run_simulate(args: argparse.Namespace) -> int:
    from .setting import validate_value
    from .simulate import simulate

    validate_value("delta", args.delta)
    beta = _dyadic("beta", args.beta)
    result = simulate(
        args.theorem,
        seed=args.seed,
        n=args.n,
        N=args.N,
        K=args.K,
        d=args.d,
        beta=beta,
        T=args.T,
        eta=_dyadic("eta", args.eta),
        delta=args.delta,
        runs=args.runs,
    )
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0 if result.within else 1
    data = result.result.to_json()
    m = result.measured
    print(f"{result.theorem}: {data['bounds']} of the {data['iterate']} iterate ({data['algorithm']}), {_holds(data)}")
    print(f"  instance    seed {args.seed}: N={m['N']}, K={m['K']}, d={m['d']}, n={m['n']}, beta={m['beta']:g}")
    print(f"  measured    B={m['B']:.6g}, S={m['S']:.6g}, gamma={m['gamma']:.6g}, gamma_D={m['gamma_D']:.6g}")
    spread = f" +- {result.stderr:.3g} (mean of {result.runs})" if result.stderr else ""
    print(f"  value       {result.value:.6g}{spread}")
    print(f"  bound       {data['upper']} (certified upper value)")
    print(f"  ratio       {result.ratio:.3g}   {'within the bound' if result.within else 'ABOVE THE BOUND'}")
    if result.note:
        print(f"  note        {result.note}")
    return 0 if result.within else 1


def _assignments(items: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            _fail(f"--values takes PARAM=VALUE pairs, got {item!r}")
        if name in values:
            _fail(f"--values gives {name} twice")
        values[name] = value
    return values


def _run_latex(args: argparse.Namespace) -> int:
    from .api import chain, verify
    from .bounds import certified_evaluator
    from .latex import write_latex

    values = _assignments(args.values)
    evaluate = certified_evaluator(values, args.digits) if values else None
    result = verify()
    for path in write_latex(chain(), result.reports, args.out, evaluate=evaluate):
        print(path)
    return 0


def _run_report(args: argparse.Namespace) -> int:
    if not (args.tightness or args.plots):
        _fail("say what to report: --tightness, --plots, or both")
    status = 0
    if args.tightness:
        from .report import tightness

        rows = tightness(examples=args.examples, seed=args.seed)
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            table = [[r["theorem"], f"{r['worst_ratio']:.4g}", f"{r['measured']:.4g}", str(r["upper"]),
                      str(r["examples"])] for r in rows]  # fmt: skip
            print(_table(table, ["theorem", "worst ratio", "measured", "bound", "instances"]))
        status = 1 if any(r["worst_ratio"] > 1 for r in rows) else 0
    if args.plots:
        from .plots import write_plots

        for path in write_plots(args.out):
            print(path)
    return status


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
