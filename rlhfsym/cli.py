"""The ``rlhfsym`` command line: it only presents what the chain holds; nothing in the package imports this module.

The error contract: bad input prints exactly one line on stderr (``rlhfsym: error: ...``) naming the flag or
parameter and the rule it broke, prints nothing on stdout and exits with status 2 -- never a traceback, never a
bound whose assumptions fail. Every parser refuses abbreviations (``--eps`` for ``--epsilon``) and a single-valued
flag given twice (``--beta 1 ... --beta 0.5``: only ``verify --lemma``, ``latex --values`` and ``latex --lemma``
repeat); integer flags take ASCII digits only, within stated ranges; ``--out`` is checked before any work.
``rlhfsym verify`` exits 0 only when every lemma is verified, 1 otherwise; an interrupt (Ctrl-C) exits 130 quietly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

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
  rlhfsym verify --trust              each theorem's trusted base: the external facts it takes on trust and the
                                      asserted conditions a user must guarantee (like Lean's #print axioms)
  rlhfsym chain                       the dependency graph of the lemmas
  rlhfsym chain --dot | dot -Tpng > chain.png
  rlhfsym bound --list                the theorems, what each bounds, its parameters and rates
  rlhfsym bound erm_gap_le_of_coverage --B 1 --S 1 --n 1000 --gamma 0.01 --delta 0.05
                                      the certified value of a theorem's bound (upper rounded up)
  rlhfsym bound ga_last_dist_le_of_coverage --B 1 --S 1 --beta 0.5 --gamma [0.01,0.02] --T 100 --eta 1
                                      the same, valid for every gamma in the interval
  rlhfsym bound sga_reinforce_best_gap_le_of_coverage --assume ball --B 1 --S 1 --beta 1 --n 100 --gamma 0.1
          --T 100 --delta 0.05        a bound conditional on an asserted condition, which the output names
  rlhfsym sample-size erm_gap_le_of_coverage --epsilon 0.05 --B 1 --S 1 --gamma 0.01 --delta 0.05
                                      the smallest n whose certified bound is <= epsilon
  rlhfsym simulate ga_last_gap_le_of_coverage --seed 3 --T 20
                                      one seeded instance: measured value beside its certified bound
  rlhfsym latex --out paper/ --values B=1 S=1 beta=0.5 gamma=0.01
                                      LaTeX macros (with certified values) and the proof appendix

bad arguments: one line on stderr naming the flag or parameter and the rule it broke, nothing on stdout, exit
status 2. Flags are spelled in full (no abbreviations) and given once (only verify --lemma, bound --assume,
sample-size --assume, latex --values and latex --lemma repeat).

exit status: 0 success, 1 a lemma is failed or undecided, 2 bad arguments, 130 interrupted."""


# ------------------------------------------------------------------------------------------------ the parser


class _Paragraphs(argparse.HelpFormatter):
    """argparse's formatter, refilling each paragraph of a description or epilog on its own (blank lines kept), as
    ``tools/clidoc.py`` renders them in docs/cli.md."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(super(_Paragraphs, self)._fill_text(p, width, indent) for p in re.split(r"\n\s*\n", text))


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2; it refuses abbreviations of long
    flags and a single-valued flag given twice (only ``append`` / ``extend`` flags may repeat)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        kwargs.setdefault("formatter_class", _Paragraphs)
        super().__init__(*args, **kwargs)
        for name in (None, "store"):
            self.register("action", name, _StoreOnce)
        self.register("action", "store_true", _StoreTrueOnce)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        if args is not None and self._subparsers is None:  # a command's parser: every flag left is its own
            self._refuse_unknown_flags(list(args))
        return super().parse_known_args(args, namespace)

    def _refuse_unknown_flags(self, args: list[str]) -> None:
        """An unknown ``--flag`` is named first (before a missing required one), with the flag it abbreviates."""
        for arg in args:
            if arg == "--":
                return
            flag = arg.split("=", 1)[0]
            if not flag.startswith("--") or len(flag) < 3 or " " in arg or flag in self._option_string_actions:
                continue
            meant = sorted({a.option_strings[0] for f, a in self._option_string_actions.items() if f.startswith(flag)})
            hint = f" (flags are spelled in full: did you mean {' or '.join(meant)}?)" if meant else ""
            _fail(f"unrecognized argument: {flag}{hint}")

    def error(self, message: str) -> NoReturn:
        _fail(re.sub(r"^argument (\S+): (?=\1 )", "", message))  # not "argument --n: --n must be ..."


#: Namespace attribute holding ``{dest: (flag, value)}`` for the flags given so far (one namespace per command).
_SEEN = "_rlhfsym_flags_given"


def _once(action: argparse.Action, namespace: argparse.Namespace, value: object, flag: str | None) -> None:
    """Refuse a flag given a second time, under either of its spellings: the last value would silently win."""
    seen = getattr(namespace, _SEEN, None)
    if seen is None:
        seen = {}
        setattr(namespace, _SEEN, seen)
    if action.dest in seen:
        first = _flag_text(*seen[action.dest])
        raise argparse.ArgumentError(action, f"given twice ({first}, then {_flag_text(flag, value)}); give it once")
    seen[action.dest] = (flag, value)


def _flag_text(flag: str | None, value: object, limit: int = 40) -> str:
    if value is None:
        return str(flag)
    text = str(value)
    text = repr(text) if not text or text != text.strip() or " " in text else text
    return f"{flag} {text if len(text) <= limit else text[: limit - 3] + '...'}"


class _StoreOnce(argparse._StoreAction):
    """``store``, refusing a second occurrence of the flag."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        if option_string is not None:
            _once(self, namespace, values, option_string)
        super().__call__(parser, namespace, values, option_string)


class _StoreTrueOnce(argparse._StoreTrueAction):
    """``store_true``, refusing a second occurrence of the flag."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        _once(self, namespace, None, option_string)
        super().__call__(parser, namespace, values, option_string)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
    raise SystemExit(2)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


#: An integer written in ASCII digits: ``int()`` alone also reads '١' (Arabic-Indic one) or '１' (fullwidth) as 1.
_INTEGER = re.compile(r"[+-]?[0-9]{1,40}", re.ASCII)


class _Integer:
    """The ``type`` of integer flag ``flag``: ASCII digits only, in ``[low, high]`` (``high`` shown as
    ``high_text``); the error reads ``--runs must be a positive integer <= 10^4 (...), got '0'``."""

    def __init__(
        self, flag: str, low: int, high: int | None = None, high_text: str | None = None, why: str = ""
    ) -> None:
        self.flag, self.low, self.high = flag, low, high
        self.__name__ = "integer"
        if high is None:
            self.rule = "a positive integer" if low == 1 else f"an integer >= {low}"
        elif low == 1:
            self.rule = f"a positive integer <= {high_text or high}"
        else:
            self.rule = f"an integer in [{low}, {high_text or high}]"
        self.rule += f" ({why})" if why else ""

    def __call__(self, text: str) -> int:
        match = _INTEGER.fullmatch(text.strip())
        value = int(match.group()) if match else None
        if value is None or value < self.low or (self.high is not None and value > self.high):
            raise argparse.ArgumentTypeError(f"{self.flag} must be {self.rule}, got {text!r}")
        return value


JOBS = _Integer("--jobs", 1, 64)
DIGITS = _Integer("--digits", 1, 50)
SEED = _Integer("--seed", 0, 2**64 - 1, "2^64 - 1")
EXAMPLES = _Integer("--examples", 1, 10**6, "10^6")

#: Caps of ``rlhfsym simulate``'s sizes, each flag alone (checked while parsing).
SIMULATE_CAPS = {"N": 10**5, "K": 10**3, "d": 10**3, "n": 10**6, "T": 10**6, "runs": 10**4}
#: The features (N*K*d), the per-prompt covariances of the coverage (N*d*d) and the iterates ((T+1)*d) of a
#: simulation each hold at most this many float64 entries (80 MB), checked before anything is built.
SIMULATE_ENTRIES = 10**7
#: A simulation's beta and eta are numbers in this range: the numerics run on their float values, whose exact
#: binary values enter the certified bound (1e-300 would be a ratio of 600-digit integers, refused as too long).
SIMULATE_RANGE = ("1e-6", "1e6")


def _cap_text(x: int) -> str:
    text = str(x)
    return f"10^{len(text) - 1}" if x >= 1000 and text == "1" + "0" * (len(text) - 1) else text


def _simulate_size(name: str, low: int) -> _Integer:
    cap = SIMULATE_CAPS[name]
    return _Integer(f"--{name}", low, cap, _cap_text(cap), "the simulation budget")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (cheap: it imports neither sympy nor the chain)."""
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
    verify.add_argument(
        "--steps", action="store_true", help="list every step of every claim with its status (with --json: every "
        "row's step_reports)"
    )
    verify.add_argument(
        "--module",
        metavar="SOURCE",
        help="check your own lemmas instead of the package's chain: SOURCE is a Python file (FILE.py, holding one "
        "Registry or one called REGISTRY; FILE.py:NAME picks one) or an importable MODULE:NAME. Your lemmas may cite "
        "the package's lemmas by name; those they rest on are checked too. The file is run as Python: only give your "
        "own code (docs/engine.md, \"Check your own derivation\")",
    )
    verify.add_argument(
        "--fresh",
        action="store_true",
        help="check every step now, ignoring the verification record (by default a complete check that verified "
        "everything is recorded in the cache folder, keyed by the package version, the libraries' versions and every "
        "source file, and read back while that key is unchanged)",
    )
    verify.add_argument(
        "--trust",
        nargs="*",
        metavar="NAME",
        help="after checking, print the trusted base of every theorem (or of the lemmas NAME): the external facts "
        "it rests on through its citations (taken on trust) and its asserted conditions (a user guarantees them); "
        "with --json, every row carries it as \"trusted_base\"",
    )
    verify.add_argument(
        "--jobs",
        type=JOBS,
        default=None,
        metavar="N",
        help=f"worker processes, {JOBS.rule} (default: the CPUs available, at most 4)",
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


OUT_HELP = "a writable folder, or a new one inside a writable folder; checked before any work"


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
    report.add_argument(
        "--out", default="docs/plots", metavar="DIR", help=f"folder of the plots (default docs/plots); {OUT_HELP}"
    )
    report.add_argument(
        "--examples",
        type=EXAMPLES,
        default=200,
        metavar="N",
        help=f"instances per theorem, {EXAMPLES.rule} (default 200)",
    )
    report.add_argument(
        "--seed", type=SEED, default=0, metavar="S", help=f"seed of the search, {SEED.rule} (default 0)"
    )
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
    latex.add_argument(
        "--out", default="rlhfsym-latex", metavar="DIR", help=f"output folder (default rlhfsym-latex); {OUT_HELP}"
    )
    latex.add_argument(
        "--values",
        action="extend",
        nargs="+",
        default=[],
        metavar="PARAM=VALUE",
        help="parameter values, e.g. B=1 beta=0.5 T=100 (repeatable; a parameter given twice is refused)",
    )
    latex.add_argument(
        "--digits", type=DIGITS, default=6, metavar="N", help=f"digits of the values, {DIGITS.rule} (default 6)"
    )
    latex.add_argument(
        "--lemma",
        action="append",
        metavar="NAME",
        help="write only this theorem or lemma and what it depends on (repeatable; default: the whole chain)",
    )
    latex.set_defaults(run=_run_latex)


SIMULATE_EPILOG = f"""\
sizes: --N <= {_cap_text(SIMULATE_CAPS["N"])}, --K <= {_cap_text(SIMULATE_CAPS["K"])}, \
--d <= {_cap_text(SIMULATE_CAPS["d"])}, --n <= {_cap_text(SIMULATE_CAPS["n"])}, \
--T <= {_cap_text(SIMULATE_CAPS["T"])}, --runs <= {_cap_text(SIMULATE_CAPS["runs"])}; and the largest arrays \
stay within {_cap_text(SIMULATE_ENTRIES)} entries (80 MB): N*K*d (the features), N*d*d (the per-prompt \
covariances) and (T+1)*d (the iterates), with the defaults of d and N the theorem uses. --beta and --eta are \
single numbers in [{SIMULATE_RANGE[0]}, {SIMULATE_RANGE[1]}].

--instance FILE.npz: your own instance (a paper's, say) in place of the random one, as numpy.savez writes it, \
with the arrays features (N, K, d): phi(x, a, :); theta (d,): theta*; pi_ref (N, K): entries > 0, rows summing \
to 1; weights (N,): the prompt distribution, entries >= 0 summing to 1; and optionally indices (n,): the training \
sample (prompt indices in [0, N) of positive weight; else n prompts are drawn from the weights with --seed) and \
beta (): the KL coefficient (else --beta). Any other array is refused; arrays of Python objects are never \
unpickled. N, K, d come from the file (--N, --K, --d are refused) within the caps above, and so does n when the \
file holds indices. A broken rule is one line naming the array and the rule (exit status 2). For example, in \
Python: numpy.savez("mine.npz", features=phi, theta=theta, pi_ref=pi_ref, weights=weights), then \
`rlhfsym simulate ga_last_dist_le_of_coverage --instance mine.npz`.

exit status: 0 when the measured value is within the bound, 1 when it is not (a finding: please report it), 2 for \
bad arguments or an instance that breaks the theorem's assumptions."""


def _add_simulate(commands) -> None:
    from .vocabulary import DEFAULT_N  # a dataclass module: building the parser stays cheap
    simulate = commands.add_parser(
        "simulate",
        help="one seeded RLHF instance: the measured value beside the certified bound",
        description="Draw one seeded random instance (features in the unit ball, ||theta*|| = 1, N prompts with "
        "random weights; or read your own with --instance), sample n training prompts, run the theorem's algorithm "
        "(GA, SGA over prompts, REINFORCE SGA; none for the empirical optimum), measure exactly what the theorem "
        "bounds at the iterate it names, "
        "and print it beside the bound certified at the parameters measured on the instance. Expectation claims "
        "average --runs seeds (mean and standard error).",
        epilog=SIMULATE_EPILOG,
    )
    simulate.add_argument("theorem", metavar="THEOREM", help="a theorem name (see rlhfsym bound --list)")
    simulate.add_argument(
        "--seed", type=SEED, default=0, metavar="S",
        help=f"seed of the instance, its sample and the algorithm's draws (with --instance: of the sample and the "
        f"draws), {SEED.rule} (default 0)",
    )  # fmt: skip
    simulate.add_argument(
        "--instance", metavar="FILE", default=None,
        help="an .npz file holding your own instance (features, theta, pi_ref, weights; optionally indices, beta), "
        "in place of the random one (see below)",
    )  # fmt: skip
    simulate.add_argument("--n", type=_simulate_size("n", 1), default=None, help="training prompts (default 20)")
    simulate.add_argument(
        "--N", type=_simulate_size("N", 1), default=None, help=f"prompts in the population (default {DEFAULT_N})"
    )
    simulate.add_argument("--K", type=_simulate_size("K", 2), default=None, help="actions per prompt (default 3)")
    simulate.add_argument("--d", type=_simulate_size("d", 1), default=None, help="feature dimension (default 3)")
    simulate.add_argument("--beta", default=None, help="KL coefficient (default 1)")
    simulate.add_argument("--T", type=_simulate_size("T", 1), default=50, help="algorithm steps (default 50)")
    simulate.add_argument("--eta", default=None, help="constant step of the sharp forms (default 1/(beta B^2))")
    simulate.add_argument("--delta", default="0.05", help="confidence of probability claims (default 0.05)")
    simulate.add_argument("--runs", type=_simulate_size("runs", 1), default=20, help="seeds averaged (default 20)")
    simulate.add_argument("--json", action="store_true", help="print JSON")
    simulate.add_argument("--exact", action="store_true", help=EXACT_HELP)
    simulate.set_defaults(run=_run_simulate)


VALUE_HELP = """\
values: every parameter is an exact number (1, 0.05, 1/3, 2e-3) or an interval [lo,hi] (quote it in a shell:
'[0.01,0.02]'); an interval gives a bound valid for every value in it. Floats are read as the decimals written,
never rounded. The parameters each theorem takes are listed by `rlhfsym bound --list`."""


def _add_parameters(command: argparse.ArgumentParser) -> None:
    """One option per parameter of the setting (docs/setting.md, section 5), in its order."""
    from .rules import RULES  # the rule table without sympy: building the parser stays cheap

    group = command.add_argument_group("parameters (docs/setting.md, section 5)")
    for name, parameter in RULES.items():
        flags = [f"--{name}"] + ([f"--{name.replace('_', '-')}"] if "_" in name else [])
        group.add_argument(
            *flags, dest=f"param_{name}", metavar="VALUE", help=f"{parameter.meaning} ({parameter.rule})"
        )


def _given(args: argparse.Namespace) -> dict[str, str]:
    return {
        key.removeprefix("param_"): v for key, v in vars(args).items() if key.startswith("param_") and v is not None
    }


ASSUME_HELP = (
    "assume the theorem's asserted condition NAME (repeatable): a condition about the instance or the run that no "
    "parameter can certify, such as REINFORCE's iterates staying in a ball; a theorem with one is refused without "
    "it, and the output says the bound is conditional on it (see `rlhfsym verify --trust THEOREM`)"
)


EXACT_HELP = "with --json: also the exact ends of every enclosure and the exact parameters (long binary decimals)"


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
    bound.add_argument(
        "--all",
        action="store_true",
        help="evaluate every theorem that applies to the parameters given (each takes those it uses); the others "
        "are listed as skipped, with the reason",
    )
    bound.add_argument(
        "--digits", type=DIGITS, default=6, metavar="N", help=f"significant digits, {DIGITS.rule} (default 6)"
    )
    bound.add_argument("--json", action="store_true", help="print JSON")
    bound.add_argument("--exact", action="store_true", help=EXACT_HELP)
    bound.add_argument("--assume", action="append", metavar="NAME", help=ASSUME_HELP)
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
    size.add_argument("--exact", action="store_true", help=EXACT_HELP)
    size.add_argument("--assume", action="append", metavar="NAME", help=ASSUME_HELP)
    _add_parameters(size)
    size.set_defaults(run=_run_sample_size)


def _version() -> str:
    from . import __version__

    return __version__


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


# ------------------------------------------------------------------------------------------------ checks at the door


def _check_out(flag: str, text: str) -> Path:
    """The output folder ``text``, checked before any work: a nonempty path, not an existing non-folder, and a
    writable folder (itself if it exists, else its parent, which must exist)."""
    if not text.strip():
        _fail(f"{flag} must name a folder, got {text!r}")
    path = Path(text)
    if path.exists() and not path.is_dir():
        _fail(f"{flag} {text}: exists and is not a folder")
    target = path if path.is_dir() else path.absolute().parent
    if not path.is_dir() and not target.is_dir():
        what = "is not a folder" if target.exists() else "does not exist"
        _fail(f"{flag} {text}: its parent folder {target} {what} (create it first)")
    try:  # an actual write: os.access says yes to root, even on /proc
        with tempfile.TemporaryFile(dir=target):
            pass
    except OSError as err:
        _fail(f"{flag} {text}: cannot write in the folder {target} ({err.strerror or err})")
    return path


def _simulation_float(name: str, text: str | None) -> float | None:
    """A simulation's beta or eta: one exact number (validated first) in :data:`SIMULATE_RANGE`, as the float the
    numerics use."""
    if text is None:
        return None
    from fractions import Fraction

    from .setting import validate_value

    value = validate_value(name, text)
    if not value.is_point:
        _fail(f"parameter {name} = {text}: a simulation needs one value, not an interval")
    low, high = (Fraction(x) for x in SIMULATE_RANGE)
    if not low <= Fraction(int(value.lo.p), int(value.lo.q)) <= high:
        _fail(f"parameter {name} = {text}: a simulation takes {name} in [{SIMULATE_RANGE[0]}, {SIMULATE_RANGE[1]}]")
    return float(value.lo)


def _simulation_shape(theorem: str, args: argparse.Namespace) -> dict[str, int]:
    """The N, K, d, n, T a simulation of ``theorem`` will use: the flags, else the defaults the theorem declares
    (its :class:`rlhfsym.vocabulary.Shape`, as :func:`rlhfsym.simulate.simulate` reads it)."""
    from .bounds import theorem_info

    shape = theorem_info(theorem).declared.shape.resolve(n=args.n, N=args.N, K=args.K, d=args.d)
    return {**shape, "T": args.T}


def _check_simulation_budget(theorem: str, args: argparse.Namespace) -> None:
    """Refuse a simulation whose arrays would exceed :data:`SIMULATE_ENTRIES`, naming the flags to lower."""
    shape = _simulation_shape(theorem, args)
    N, K, d, T = shape["N"], shape["K"], shape["d"], shape["T"]
    if args.d is None and d > SIMULATE_CAPS["d"]:
        _fail(
            f"--d: {theorem} uses d = 2n(K-1)+2 = {d} by default, above the cap {_cap_text(SIMULATE_CAPS['d'])}; "
            "lower --n or --K, or give --d"
        )
    budget = _cap_text(SIMULATE_ENTRIES)
    for flags, entries, what in (
        ("--N, --K and --d", N * K * d, f"N*K*d = {N}*{K}*{d} (the features)"),
        ("--N and --d", N * d * d, f"N*d*d = {N}*{d}*{d} (the per-prompt covariances)"),
        ("--T and --d", (T + 1) * d, f"(T+1)*d = {T + 1}*{d} (the iterates)"),
    ):
        if entries > SIMULATE_ENTRIES:
            _fail(f"{flags}: {what} = {entries} entries, above the simulation budget of {budget}; lower them")


# ------------------------------------------------------------------------------------------------ the commands


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
    from .api import format_steps

    print("\n" + format_steps(report))


def _run_verify(args: argparse.Namespace) -> int:
    from .api import VerifyResult, start_verify

    names = args.lemma if args.trust is None else [*(args.lemma or ()), *args.trust] or None
    registry = None
    if args.module is not None:
        from .api import load_registry

        registry = load_registry(args.module)
    run = start_verify(names=names, jobs=args.jobs, fresh=args.fresh, registry=registry)
    progress = _Progress(len(run.rows)) if sys.stderr.isatty() else None
    if args.json or args.trust is not None:
        result = VerifyResult(tuple(_shown_progress(run.reports, run.rows, progress)), run.record)
        if args.json:
            print(json.dumps(result.to_json(steps=args.steps), indent=2))
        else:
            _print_trust(result, args.trust, registry)
        return 0 if result.ok else 1
    if run.record is not None:
        print(f"from the verification record of {run.record.written} (key {run.record.key[:12]}): every step was "
              "checked then, under this package version, these libraries and these source files; --fresh checks "
              "again\n")
    table = _StreamedTable(run.rows)
    print(table.header(), flush=True)
    reports = []
    for report in _shown_progress(run.reports, run.rows, progress):
        reports.append(report)
        if progress:
            progress.clear()
        print(table.row(report), flush=True)
    result = VerifyResult(tuple(reports), run.record)
    for report in result.reports:
        if args.steps or report.status != "verified":
            _print_steps(report)
    _print_counts(result)
    return 0 if result.ok else 1


class _Progress:
    """``[k/N] checking NAME`` on a terminal's stderr, rewritten in place (nothing when stderr is not a tty)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.width = 0

    def show(self, done: int, name: str) -> None:
        text = f"[{done}/{self.total}] checking {name} ..."
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()
        self.width = len(text)

    def clear(self) -> None:
        sys.stderr.write("\r" + " " * self.width + "\r")
        sys.stderr.flush()
        self.width = 0


def _shown_progress(reports: Any, rows: Sequence[Any], progress: _Progress | None) -> Any:
    """``reports`` unchanged, announcing on ``progress`` the lemma being checked before each arrives."""
    if progress and rows:
        progress.show(0, rows[0].name)
    for done, report in enumerate(reports):
        yield report
        if progress and done + 1 < len(rows):
            progress.show(done + 1, rows[done + 1].name)
    if progress:
        progress.clear()


class _StreamedTable:
    """The verify table printed row by row as lemmas finish: the columns' widths come from what is known before
    any check (names, kinds, dependencies)."""

    HEADER = ("lemma", "kind", "status", "steps", "depends on", "seconds")

    def __init__(self, rows: Sequence[Any]) -> None:
        known = [(r.name, r.kind, _dependencies(r.depends_on)) for r in rows]
        self.widths = [
            max([len(self.HEADER[0]), *(len(k[0]) for k in known)]),
            max([len(self.HEADER[1]), *(len(k[1]) for k in known)]),
            len("undecided"),
            len(self.HEADER[3]),
            max([len(self.HEADER[4]), *(len(k[2]) for k in known)]),
            len(self.HEADER[5]),
        ]

    def _line(self, cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, self.widths, strict=True)).rstrip()

    def header(self) -> str:
        return self._line(self.HEADER) + "\n" + "  ".join("-" * w for w in self.widths)

    def row(self, r: Any) -> str:
        cells = (r.name, r.kind, r.status, str(r.n_steps), _dependencies(r.depends_on), f"{r.seconds:.2f}")
        return self._line(cells)


def _print_counts(result: Any) -> None:
    """The last line of verify: ``N verified, F failed, U undecided``."""
    counts = result.counts()
    print(f"\n{counts['verified']} verified, {counts['failed']} failed, {counts['undecided']} undecided")


def _print_trust(result: Any, names: list[str], own: Any = None) -> None:
    """Each theorem's (or each named lemma's) status and trusted base, then the statement of every external fact
    named, once (``own``: a user's registry, read together with the package's chain)."""
    from .api import chain, with_chain

    registry = chain() if own is None else with_chain(own)
    everything = (lambda r: r.kind == "theorem") if own is None else (lambda r: r.name in own)
    shown = [r for r in result.reports if (r.name in names if names else everything(r))]
    facts: list[str] = []
    for report in shown:
        print(f"{report.name} ({report.status})")
        print(f"  external  {', '.join(report.external) or '-'}")
        lemma = registry.get(report.name)
        conditions = {h.name: h for h in lemma.all_hypotheses() if h.kind == "asserted"}
        if not conditions:
            print("  asserted  -")
        for name in report.asserted:
            print(f"  asserted  {name}: {conditions[name].text}")
        facts += [f for f in report.external if f not in facts]
    if facts:
        print("\nexternal facts (taken on trust, stated once in the chain):")
        for name in sorted(facts):
            print(f"  {name}: {registry.get(name).statement}")
    _print_counts(result)


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
    if args.list and args.all:
        _fail("--list and --all are alternatives; give one")
    if args.exact and not args.json:
        _fail("--exact is for --json (the exact ends of every enclosure)")
    if args.all:
        return _run_bound_all(args)
    if args.list:
        if args.theorem is not None or _given(args):
            _fail("--list takes no THEOREM and no parameters")
        from .bounds import theorems
        from .output import SCHEMAS

        rows = theorems()
        if args.json:
            print(json.dumps({"schema": SCHEMAS["theorems"], "theorems": rows}, indent=2))
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
    from .bounds import bound

    result = bound(args.theorem, digits=args.digits, assume=args.assume, **_given(args))
    data = result.to_json(exact=args.exact)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"{data['theorem']}: {data['bounds']} of the {data['iterate']} iterate ({data['algorithm']}), "
          f"{_holds(result.info, data)}")
    print(f"  parameters  {', '.join(f'{k}={v}' for k, v in data['parameters'].items())}")
    if result.eta is not None:
        print(f"  step size   eta = {result.eta}")
    print(f"  enclosure   [{data['lower']}, {data['upper']}]")
    print(f"  upper       {data['upper']}   (rounded up to {args.digits} significant digits; {_certified(data)})")
    if len(data["terms"]) > 1:
        split = ", ".join(f"{t['name']} <= {t['upper']}" for t in data["terms"])
        print(f"  terms       {split}")
    _print_vacuity(data)
    print(f"  rates       n: {data['rate_n'] or '-'}, T: {data['rate_T'] or '-'}")
    _print_assumptions(result.assumptions())
    return 0


def _print_vacuity(data: dict) -> None:
    """One line when the bound is vacuous (above the trivial bound of its quantity) or may be on part of the box."""
    if data["vacuous"] is True:
        print(f"  VACUOUS     {data['vacuous_reason']}")
    elif data["vacuous"] is None and data["trivial_bound"] is not None:
        print(f"  vacuous?    {data['vacuous_reason']}")


def _run_bound_all(args: argparse.Namespace) -> int:
    if args.theorem is not None:
        _fail("--all takes no THEOREM (it evaluates every theorem that applies)")
    if not _given(args):
        _fail("--all needs parameters (--B 1 --S 1 ...); each theorem takes those it uses")
    from .bounds import bound_all

    found = bound_all(digits=args.digits, assume=args.assume, **_given(args))
    if args.json:
        print(json.dumps(found.to_json(exact=args.exact), indent=2))
        return 0
    rows = [[r.info.name, r.info.labels["bounds"], r.info.labels["iterate"], r.info.labels["holds"], r.upper,
             "yes" if r.vacuity["vacuous"] else "no" if r.vacuity["vacuous"] is False else "?"]
            for r in found.results]  # fmt: skip
    print(_table(rows, ["theorem", "bounds", "iterate", "holds", "upper", "vacuous"]))
    for skip in found.skipped:
        print(f"skipped {skip.theorem}: {skip.reason}")
    if found.unused:
        print(f"no theorem takes {', '.join(found.unused)}")
    return 0


def _certified(data: dict) -> str:
    """``certified``, or ``certified, conditional on NAME`` when the caller assumed asserted conditions."""
    assumed = data["conditional_on"]
    return "certified" + (f", conditional on {', '.join(assumed)} (assumed)" if assumed else "")


def _print_assumptions(assumptions: list) -> None:
    """The premises that are not parameter rules: certified conditions, assumed conditions, external facts."""
    labels = {"parameter": "certified", "asserted": "assumed"}
    for a in assumptions:
        if a.kind in labels:
            print(f"  {labels[a.kind]:<11} {a.name}: {a.statement}")
    facts = [a.name for a in assumptions if a.kind == "external"]
    if facts:
        print(f"  trusts      {len(facts)} external facts: {', '.join(facts)} (rlhfsym verify --trust)")


def _holds(info: Any, data: dict) -> str:
    """How the bound holds, in the words of the theorem's :class:`rlhfsym.vocabulary.Holds`."""
    return info.declared.holds.say(data["delta"])


def _run_sample_size(args: argparse.Namespace) -> int:
    from .bounds import sample_size

    if args.exact and not args.json:
        _fail("--exact is for --json (the exact ends of every enclosure)")
    result = sample_size(args.theorem, args.epsilon, solve_for=args.solve_for, assume=args.assume, **_given(args))
    data = result.to_json(exact=args.exact)
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
    if data["conditional_on"]:
        print(f"  conditional on {', '.join(data['conditional_on'])} (assumed by --assume, not checked)")
    return 0


def _run_simulate(args: argparse.Namespace) -> int:
    if args.exact and not args.json:
        _fail("--exact is for --json (the exact ends of every enclosure)")
    from .setting import validate_value
    from .vocabulary import DEFAULT_N

    beta = _simulation_float("beta", args.beta)
    eta = _simulation_float("eta", args.eta)
    if not validate_value("delta", args.delta).is_point:
        _fail(f"parameter delta = {args.delta}: a simulation needs one value, not an interval")
    if args.instance is not None:
        result, source = _simulate_file(args, beta, eta)
    else:
        args.N = DEFAULT_N if args.N is None else args.N
        args.K = 3 if args.K is None else args.K
        _check_simulation_budget(args.theorem, args)  # also refuses an unknown theorem

        from .simulate import simulate

        result = simulate(
            args.theorem,
            seed=args.seed,
            n=args.n,
            N=args.N,
            K=args.K,
            d=args.d,
            beta=1.0 if beta is None else beta,
            T=args.T,
            eta=eta,
            delta=args.delta,
            runs=args.runs,
        )
        source = f"seed {args.seed}"
    if args.json:
        print(json.dumps(result.to_json(exact=args.exact), indent=2))
        return 0 if result.within else 1
    data = result.result.to_json()
    m = result.measured
    print(f"{result.theorem}: {data['bounds']} of the {data['iterate']} iterate ({data['algorithm']}), "
          f"{_holds(result.result.info, data)}")
    print(f"  instance    {source}: N={m['N']}, K={m['K']}, d={m['d']}, n={m['n']}, beta={m['beta']:g}")
    print(f"  measured    B={m['B']:.6g}, S={m['S']:.6g}, gamma={m['gamma']:.6g}, gamma_D={m['gamma_D']:.6g}")
    spread = f" +- {result.stderr:.3g} (mean of {result.runs})" if result.stderr else ""
    print(f"  value       {result.value:.6g}{spread}")
    print(f"  bound       {data['upper']} (certified upper value)")
    print(f"  ratio       {result.ratio:.3g}   {'within the bound' if result.within else 'ABOVE THE BOUND'}")
    if result.note:
        print(f"  note        {result.note}")
    return 0 if result.within else 1


def _simulate_file(args: argparse.Namespace, beta: float | None, eta: float | None) -> tuple[Any, str]:
    """``rlhfsym simulate --instance FILE``: the theorem measured on the file's instance (and sample, or n prompts
    drawn with --seed), and how the output names the instance."""
    from .bounds import theorem_info

    info = theorem_info(args.theorem)  # refuses an unknown theorem first, as without --instance
    for flag in ("N", "K", "d"):
        if getattr(args, flag) is not None:
            _fail(f"--{flag}: the instance file fixes N, K and d (the shape of its features); do not give --{flag}")
    loaded = _read_instance_file(args.instance, beta)
    inst, path = loaded.instance, args.instance
    if args.beta is None and not _within_simulation_range(inst.beta):
        _fail(f"--instance {path}: array beta: a simulation takes beta in [{SIMULATE_RANGE[0]}, "
              f"{SIMULATE_RANGE[1]}], got {inst.beta!r}")
    if loaded.indices is not None and args.n is not None:
        _fail(f"--n: the instance file {path} holds the training sample (indices); do not give --n")
    if (args.T + 1) * inst.d > SIMULATE_ENTRIES:
        _fail(f"--T and the file's d: (T+1)*d = {args.T + 1}*{inst.d} = {(args.T + 1) * inst.d} entries (the "
              f"iterates), above the simulation budget of {_cap_text(SIMULATE_ENTRIES)}; lower --T")

    from .numerics import sample_prompts
    from .simulate import measure

    if loaded.indices is not None:
        indices, sample = loaded.indices, "the sample of the file"
    else:
        n = args.n if args.n is not None else info.declared.shape.n
        indices, sample = sample_prompts(inst, n, args.seed), f"n prompts drawn with seed {args.seed}"
    result = measure(args.theorem, inst, indices, T=args.T, eta=eta, delta=args.delta, runs=args.runs, seed=args.seed)
    return result, f"file {path} ({sample})"


def _within_simulation_range(x: float) -> bool:
    from fractions import Fraction

    low, high = (Fraction(t) for t in SIMULATE_RANGE)
    return low <= Fraction(x) <= high


def _read_instance_file(path: str, beta: float | None) -> Any:
    """The file's :class:`rlhfsym.numerics.files.InstanceFile`, or one line naming the file, the array and the rule."""
    from .errors import ParameterError
    from .numerics.files import read_instance

    limits = {name: SIMULATE_CAPS[name] for name in ("N", "K", "d", "n")}
    try:
        return read_instance(path, beta=beta, limits=limits, max_entries=SIMULATE_ENTRIES)
    except ParameterError as err:
        where = "" if err.parameter == "file" else f"array {err.parameter}: "
        _fail(f"--instance {path}: {where}{err.rule}")
    except OSError as err:
        _fail(f"--instance {path}: cannot read it ({err.strerror or err})")


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
    out = _check_out("--out", args.out)
    values = _assignments(args.values)
    from .bounds import certified_evaluator
    from .latex import write_chain_latex

    evaluate = certified_evaluator(values, args.digits) if values else None
    for path in write_chain_latex(out, lemmas=args.lemma, evaluate=evaluate):
        print(path)
    return 0


def _run_report(args: argparse.Namespace) -> int:
    if not (args.tightness or args.plots):
        _fail("say what to report: --tightness, --plots, or both")
    out = _check_out("--out", args.out) if args.plots else None
    status = 0
    if args.tightness:
        from .report import tightness

        rows = tightness(examples=args.examples, seed=args.seed)
        if args.json:
            from .output import SCHEMAS

            print(json.dumps({"schema": SCHEMAS["tightness"], "theorems": rows}, indent=2))
        else:
            table = [[r["theorem"], f"{r['worst_ratio']:.4g}", f"{r['measured']:.4g}", str(r["upper"]),
                      str(r["examples"])] for r in rows]  # fmt: skip
            print(_table(table, ["theorem", "worst ratio", "measured", "bound", "instances"]))
        status = 1 if any(r["worst_ratio"] > 1 for r in rows) else 0
    if out is not None:
        from .plots import write_plots

        for path in write_plots(out):
            print(path)
    return status


# ------------------------------------------------------------------------------------------------ main


def _error_text(err: BaseException) -> str:
    """One line for an error that escaped a command."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror + ("" if err.filename is None else f": {err.filename}")
    if isinstance(err, MemoryError):
        return "out of memory: a value or size is too large to compute with (lower the parameters)"
    return _one_line(err) or type(err).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (bad input: one line on stderr and ``SystemExit(2)``)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C: the conventional 128 + SIGINT, quietly
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        _fail(f"give a COMMAND ({', '.join(_command_names(parser))}); see {PROG} --help")
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader (e.g. `head`) closed the pipe: stop quietly
        sys.stdout = None
        return 0
    except (RlhfsymError, ValueError, ArithmeticError, OSError, MemoryError) as err:
        _fail(_error_text(err))
