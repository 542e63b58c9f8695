"""The CLI's error contract, one table of bad invocations driving one test (after hypothesis's
``tests/nocover/test_argument_validation.py``): every row is an argv and a fragment of the one stderr line it must
print. For every row the command exits with status 2, prints exactly one line on stderr (``rlhfsym: error: ...``)
that contains the fragment (the flag or parameter it names, often with the rule), prints nothing on stdout, and
never a traceback.

Rows run in-process through :func:`rlhfsym.cli.main` (fast); the rows marked ``subprocess=True`` also run through
``python -m rlhfsym``, to show the real entry point behaves the same. Every row runs in a fresh temporary working
directory; ``{tmp}`` in an argv stands for it, and it holds a regular file ``a-file`` (and the instance files of
:data:`INSTANCE_FILES` that the row names).

To extend the table: a new single-valued flag is covered by the generated rows (given twice, abbreviated, and, for
an integer flag, non-ASCII digits and values out of range) as soon as the parser has it; give it an example value
in :data:`EXAMPLE` if the generic one does not parse. A new command needs a valid invocation in :data:`BASE`.
Hand-written rows go in the ``bad(...)`` blocks below, one block per command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from rlhfsym import cli
from rlhfsym.errors import ParameterError

# ------------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Bad:
    """A bad invocation: ``argv`` (without ``rlhfsym``) and a fragment of the one stderr line it must print."""

    id: str
    argv: tuple[str, ...]
    fragment: str
    subprocess: bool = False


ROWS: list[Bad] = []


def bad(id: str, argv: list[str], fragment: str, **kw: bool) -> None:
    ROWS.append(Bad(id, tuple(argv), fragment, **kw))


#: A valid value of every parameter (each theorem takes the ones `rlhfsym bound --list` shows).
GOOD = {
    "B": "1",
    "S": "1",
    "beta": "0.5",
    "n": "1000",
    "K": "3",
    "d": "3",
    "gamma": "0.01",
    "gamma_D": "0.01",
    "residual": "0.1",
    "T": "100",
    "eta": "1",
    "delta": "0.05",
}
TAKES = {
    "erm_gap_le_of_coverage": "B S n gamma delta",
    "erm_min_norm_gap_le_of_partial_coverage": "B S beta n residual delta",
    "ga_last_dist_le_of_coverage": "B S beta gamma T eta",
    "ga_best_gap_le_of_coverage": "B S beta n gamma T delta",
    "ga_last_excess_le_of_coverage": "B S beta gamma T eta",
    "ga_last_expected_gap_le_of_stability": "B S beta gamma T eta",
    "ga_last_gap_le_of_coverage": "B S beta n gamma T eta delta",
    "sga_prompt_best_gap_le_of_coverage": "B S beta n gamma T delta",
    "sga_prompt_last_dist_le_of_coverage": "B S beta gamma T eta",
    "sga_prompt_last_excess_le_of_coverage": "B S beta gamma T eta",
    "sga_reinforce_best_gap_le_of_coverage": "B S beta n gamma T delta",
}
ERM, DIST, PARTIAL, STABILITY = (
    "erm_gap_le_of_coverage",
    "ga_last_dist_le_of_coverage",
    "erm_min_norm_gap_le_of_partial_coverage",
    "ga_last_expected_gap_le_of_stability",
)


def params(theorem: str, *, drop: tuple[str, ...] = (), **change: str) -> list[str]:
    """``--B 1 --S 1 ...``: the theorem's parameters at valid values, ``change``d or ``drop``ped."""
    values = {name: GOOD[name] for name in TAKES[theorem].split() if name not in drop}
    values.update(change)
    return [item for name, value in values.items() for item in (f"--{name}", value)]


def bound(theorem: str = ERM, *extra: str, drop: tuple[str, ...] = (), **change: str) -> list[str]:
    return ["bound", theorem, *params(theorem, drop=drop, **change), *extra]


def size(theorem: str = ERM, *extra: str, solve: str = "n", **change: str) -> list[str]:
    solving = [] if solve == "n" else ["--solve-for", solve]
    return ["sample-size", theorem, "--epsilon", "0.05", *solving, *params(theorem, drop=(solve,), **change), *extra]


#: A valid, cheap invocation of every command: positionals, then {flag: value (None for a switch)}. The generated
#: rows change one flag of it, so that a regression (the bad flag accepted) would run the command and exit 0.
BASE: dict[str, tuple[list[str], dict[str, str | None]]] = {
    "verify": ([], {"--lemma": "log_le_sub_one", "--jobs": "1"}),
    "chain": ([], {}),
    "bound": ([ERM], dict(zip(params(ERM)[::2], params(ERM)[1::2], strict=True))),
    "sample-size": ([ERM], {"--epsilon": "0.05", **dict(zip(size()[4::2], size()[5::2], strict=True))}),
    "simulate": (["ga_last_gap_le_of_coverage"], {"--T": "5", "--runs": "2"}),
    "latex": ([], {"--out": "{tmp}/tex"}),
    "report": ([], {"--tightness": None, "--examples": "1"}),
}

#: Two different valid values of a flag, where the generic ones (by type) do not fit.
EXAMPLE = {
    "--epsilon": ("0.05", "0.1"),
    "--beta": ("1", "0.5"),
    "--eta": ("1", "0.5"),
    "--delta": ("0.05", "0.1"),
    "--out": ("{tmp}/one", "{tmp}/two"),
    "--lemma": ("log_le_sub_one", "log_le_sub_one"),
}


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in cli.build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no commands")


COMMANDS = _commands()


def _single_valued(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The flags that may be given once: every option but help, version and the append / extend ones."""
    repeatable = (argparse._HelpAction, argparse._VersionAction, argparse._AppendAction, argparse._ExtendAction)
    return [a for a in parser._actions if a.option_strings and not isinstance(a, repeatable)]


def _examples(action: argparse.Action) -> tuple[str, str] | tuple[()]:
    """Two valid values of the flag (``()`` for a switch)."""
    if action.nargs == 0:
        return ()
    flag = action.option_strings[0]
    if flag in EXAMPLE:
        return EXAMPLE[flag]
    if isinstance(action.type, cli._Integer):
        return str(action.type.low), str(action.type.low + 1)
    if action.choices is not None:
        first, *_, last = list(action.choices)
        return str(first), str(last)
    name = action.dest.removeprefix("param_")
    return (GOOD[name], "2") if name in GOOD else ("1", "2")


def _base(command: str, replace: str | None = None, by: list[str] | None = None) -> list[str]:
    """The valid invocation of ``command``, with flag ``replace`` (if it holds it) replaced by ``by``, else ``by``
    appended."""
    positionals, flags = BASE[command]
    argv, placed = [command, *positionals], False
    for flag, value in flags.items():
        if flag == replace and by is not None:
            argv += by
            placed = True
        else:
            argv += [flag] if value is None else [flag, value]
    return argv if placed or by is None else argv + by


def _generated() -> None:
    for command, parser in COMMANDS.items():
        for action in _single_valued(parser):
            flag, values = action.option_strings[0], _examples(action)
            twice = f"{'/'.join(action.option_strings)}: given twice"
            first = [flag, values[0]] if values else [flag]
            second = [flag, values[1]] if values else [flag]
            # class 1: a flag given twice, the last value silently winning
            bad(f"{command}-twice{flag}", _base(command, flag, first + second), twice)
            for other in action.option_strings[1:]:  # the same flag under its other spelling
                again = [other, values[1]] if values else [other]
                bad(f"{command}-twice{flag}-as{other}", _base(command, flag, first + again), twice)
            # class 2: an abbreviation (argparse's allow_abbrev would read --bet as --beta)
            short = flag[:-1]
            known = [f for a in parser._actions for f in a.option_strings]
            if len(short) >= 4 and short not in known and sum(f.startswith(short) for f in known) == 1:
                value = [values[0]] if values else []
                bad(
                    f"{command}-abbrev{short}", _base(command, flag, [short, *value]), f"unrecognized argument: {short}"
                )
            # class 5 and ranges: integer flags take ASCII digits only, within their stated range
            if isinstance(action.type, cli._Integer):
                low, high = action.type.low, action.type.high
                texts = {
                    "arabic-indic": "١",
                    "fullwidth": "１",
                    "devanagari": "१",
                    "underscore": "1_0",
                    "decimal": "1.5",
                    "exponent": "1e3",
                    "empty": "",
                    "word": "two",
                    "below": str(low - 1),
                }
                if high is not None:
                    texts["above"] = str(high + 1)
                for label, text in texts.items():
                    bad(f"{command}{flag}-{label}", _base(command, flag, [flag, text]), f"{flag} must be")


_generated()

# ------------------------------------------------------------------------------------------------ bare rlhfsym

bad("bare", [], "give a COMMAND (verify, chain, bound", subprocess=True)
bad("top-unknown-command", ["no-such-command"], "no-such-command")
bad("top-empty-command", [""], "invalid choice")
bad("top-unknown-flag", ["--verb"], "--verb")
bad("top-abbrev-version", ["--vers"], "--vers")
bad("top-command-flag-before-command", ["--json", "chain"], "--json")

# ------------------------------------------------------------------------------------------------ verify

bad("verify-unknown-lemma", ["verify", "--lemma", "no_such_lemma", "--jobs", "1"], "no_such_lemma")
bad("verify-empty-lemma", ["verify", "--lemma", "", "--jobs", "1"], "lemma")
bad("verify-lemma-without-name", ["verify", "--lemma"], "--lemma: expected one argument")
bad("verify-jobs-too-many", ["verify", "--jobs", "100000"], "--jobs must be a positive integer <= 64")
bad("verify-jobs-arabic-indic", ["verify", "--jobs", "١"], "--jobs must be", subprocess=True)
bad("verify-unknown-flag", ["verify", "--frobnicate"], "--frobnicate")
bad("verify-positional", ["verify", "log_le_sub_one"], "unrecognized arguments: log_le_sub_one")

# ------------------------------------------------------------------------------------------------ chain

bad("chain-json-and-dot", ["chain", "--json", "--dot"], "--dot: not allowed with argument --json")
bad("chain-unknown-flag", ["chain", "--xml"], "--xml")
bad("chain-positional", ["chain", "extra"], "unrecognized arguments: extra")

# ------------------------------------------------------------------------------------------------ bound

bad("bound-no-theorem", ["bound"], "give a THEOREM")
bad("bound-list-with-theorem", ["bound", "--list", ERM], "--list takes no THEOREM")
bad("bound-list-with-parameter", ["bound", "--list", "--B", "1"], "--list takes no THEOREM and no parameters")
bad("bound-unknown-theorem", ["bound", "no_such_theorem", "--B", "1"], "parameter theorem", subprocess=True)
bad("bound-empty-theorem", ["bound", "", "--B", "1"], "parameter theorem")
bad("bound-theorem-wrong-case", ["bound", ERM.upper(), *params(ERM)], "unknown theorem")
bad("bound-lemma-is-not-a-theorem", ["bound", "log_le_sub_one"], "unknown theorem")
bad("bound-two-theorems", [*bound(ERM), DIST], "unrecognized arguments")
bad(
    "bound-repeated-beta",
    bound(DIST, "--beta", "0.25"),
    "--beta: given twice (--beta 0.5, then --beta 0.25)",
    subprocess=True,
)
bad("bound-unknown-parameter", bound(ERM, "--foo", "1"), "unrecognized argument: --foo")
bad("bound-parameter-wrong-case", bound(ERM, "--Beta", "1"), "--Beta")
bad("bound-parameter-not-taken", bound(ERM, "--beta", "0.5"), "parameter beta")
bad("bound-parameter-not-taken-eta", bound(ERM, "--eta", "1"), "parameter eta")
bad("bound-missing-gamma", bound(ERM, drop=("gamma",)), "parameter gamma")
bad("bound-missing-everything", ["bound", DIST], "parameter B")
bad("bound-value-missing", [*bound(ERM, drop=("delta",)), "--delta"], "--delta: expected one argument")
for label, text in {
    "nan": "nan",
    "minus-nan": "-NaN",
    "inf": "inf",
    "minus-inf": "-inf",
    "infinity": "Infinity",
    "huge-exponent": "1e999999",
    "tiny-exponent": "1e-999999",
    "zero-denominator": "1/0",
    "empty": "",
    "space": " ",
    "list": "[1,2,3]",
    "interval-reversed": "[2,1]",
    "interval-open": "[1,",
    "tuple": "(1,2)",
    "comma": "1,2",
    "two-dots": "0.1.2",
    "bare-exponent": "1e",
    "hex": "0x10",
    "underscore": "1_000",
    "word": "abc",
    "boolean": "True",
    "arabic-indic": "١",
    "fullwidth-ratio": "１/２",
    "superscript": "²",
    "negative": "-1",
    "zero": "0",
    "interval-from-zero": "[0,1]",
    "too-long": "1" * 101,
    "double-dash-equals": "--",
}.items():
    bad(f"bound-beta-{label}", [*bound(DIST, drop=("beta",)), f"--beta={text}"], "parameter beta")
bad("bound-beta-double-dash", bound(DIST, beta="--"), "--beta: expected one argument")
bad("bound-beta-minus-inf-as-next-word", bound(DIST, beta="-inf"), "--beta: expected one argument")
bad("bound-beta-empty-as-next-word", bound(DIST, beta=""), "parameter beta")
bad("bound-n-not-integer", bound(ERM, n="1.5"), "parameter n")
bad("bound-n-negative", bound(ERM, n="-5"), "parameter n")
bad("bound-n-zero", bound(ERM, n="0"), "parameter n")
bad("bound-n-negative-exponent", bound(ERM, n="-1e3"), "--n: expected one argument")
bad("bound-T-zero", bound(DIST, T="0"), "parameter T")
bad("bound-T-interval-from-zero", bound(DIST, T="[0,10]"), "parameter T")
bad("bound-S-negative", bound(ERM, S="-1"), "parameter S")
bad("bound-B-zero", bound(ERM, B="0"), "parameter B")
bad("bound-gamma-above-B-squared", bound(ERM, gamma="2"), "parameter gamma")
bad("bound-gamma-interval-above-B-squared", bound(ERM, gamma="[1.5,2]"), "parameter gamma")
bad("bound-delta-one", bound(ERM, delta="1"), "parameter delta")
bad("bound-delta-above-one", bound(ERM, delta="1.5"), "parameter delta")
bad("bound-delta-zero", bound(ERM, delta="0"), "parameter delta")
bad("bound-delta-interval-reaching-one", bound(ERM, delta="[0.5,1]"), "parameter delta")
bad("bound-residual-negative", bound(PARTIAL, residual="-0.1"), "parameter residual")
bad("bound-eta-above-one-over-beta-B2", bound(DIST, eta="5"), "parameter eta")  # 1/(beta B^2) = 2
bad("bound-eta-interval-crossing-the-limit", bound(DIST, eta="[1,3]"), "parameter eta")
bad("bound-eta-above-limit-stability", bound(STABILITY, eta="2.5"), "parameter eta")
bad("bound-eta-above-limit-sga", bound("sga_prompt_last_dist_le_of_coverage", eta="3"), "parameter eta")
bad("bound-digits-zero", bound(ERM, "--digits", "0"), "--digits must be")
# An asserted condition (no parameter can certify it) is refused unless assumed by name; a name that is not one of
# the theorem's asserted conditions is refused too.
bad("bound-asserted-condition-not-assumed", bound(STABILITY), "assume: ga_last_expected_gap_le_of_stability rests "
    "on the asserted condition every_sample_covered")
bad("bound-assume-unknown-condition", bound(ERM, "--assume", "ball"), "has no asserted condition ball")
bad("bound-assume-one-of-two", bound(STABILITY, "--assume", "every_sample_covered", "--assume", "nosuch"),
    "has no asserted condition nosuch")

# bound --all: a theorem a parameter set does not fit is skipped (not an error); a bad value of a given parameter
# still is one, and so is a malformed invocation.
bad("bound-all-bad-value", ["bound", "--all", "--B", "-1", "--S", "1"], "parameter B")
bad("bound-all-bad-gamma", ["bound", "--all", "--B", "1", "--gamma", "0"], "parameter gamma")
bad("bound-all-cross-rule", ["bound", "--all", "--B", "1", "--gamma", "2"], "parameter gamma")
bad("bound-all-with-theorem", ["bound", ERM, "--all", "--B", "1"], "--all takes no THEOREM")
bad("bound-all-and-list", ["bound", "--all", "--list"], "--list and --all")
bad("bound-all-without-parameters", ["bound", "--all"], "--all needs parameters")
bad("bound-all-assume-unknown", ["bound", "--all", "--B", "1", "--assume", "nosuch"], "no theorem has the asserted")
bad("bound-exact-without-json", bound(ERM, "--exact"), "--exact is for --json")
bad("size-exact-without-json", size(ERM, "--exact"), "--exact is for --json")
bad("simulate-exact-without-json", ["simulate", "ga_last_gap_le_of_coverage", "--T", "5", "--exact"],
    "--exact is for --json")

# ------------------------------------------------------------------------------------------------ sample-size

bad("size-missing-epsilon", ["sample-size", ERM, *params(ERM, drop=("n",))], "required: --epsilon")
bad(
    "size-abbrev-eps",
    ["sample-size", ERM, "--eps", "0.05", *params(ERM, drop=("n",))],
    "unrecognized argument: --eps",
    subprocess=True,
)
bad("size-missing-theorem", ["sample-size", "--epsilon", "0.05"], "THEOREM")
bad("size-unknown-theorem", ["sample-size", "no_such_theorem", "--epsilon", "0.05"], "parameter theorem")
for label, text in {
    "nan": "nan",
    "inf": "inf",
    "zero": "0",
    "negative": "-1",
    "empty": "",
    "interval": "[0.1,0.2]",
    "huge-exponent": "1e999999",
    "zero-denominator": "1/0",
    "arabic-indic": "١",
}.items():
    bad(
        f"size-epsilon-{label}", ["sample-size", ERM, "--epsilon", text, *params(ERM, drop=("n",))], "parameter epsilon"
    )
bad(
    "size-epsilon-unreachable",
    ["sample-size", ERM, "--epsilon", "1e-300", *params(ERM, drop=("n",))],
    "parameter epsilon",
)
bad("size-solve-for-unknown", size(ERM, "--solve-for", "x"), "argument --solve-for: invalid choice")
bad("size-solve-for-T-independent", size(ERM, "--solve-for", "T"), "solve_for")
bad("size-gives-the-solved-for-n", size(ERM, "--n", "10"), "parameter n")
bad(
    "size-missing-gamma",
    ["sample-size", ERM, "--epsilon", "0.05", *params(ERM, drop=("n", "gamma"))],
    "parameter gamma",
)
bad("size-parameter-not-taken", size(ERM, "--beta", "1"), "parameter beta")
bad("size-delta-one", size(ERM, delta="1"), "parameter delta")
bad("size-gamma-above-B-squared", size(ERM, gamma="2"), "parameter gamma")
bad("size-eta-above-limit", size(DIST, eta="5", solve="T"), "parameter eta")

# ------------------------------------------------------------------------------------------------ simulate

SIM = "ga_last_gap_le_of_coverage"
bad("simulate-missing-theorem", ["simulate"], "THEOREM")
bad("simulate-unknown-theorem", ["simulate", "no_such_theorem"], "parameter theorem")
bad(
    "simulate-d-huge",
    ["simulate", SIM, "--d", "100000000000"],
    "--d must be a positive integer <= 10^3",
    subprocess=True,
)
bad("simulate-N-huge", ["simulate", SIM, "--N", "10" * 10], "--N must be")
bad("simulate-K-one", ["simulate", SIM, "--K", "1"], "--K must be")
bad("simulate-n-negative", ["simulate", SIM, "--n", "-3"], "--n must be")
bad("simulate-features-over-budget", ["simulate", SIM, "--N", "100000", "--K", "1000"], "--N, --K and --d")
bad("simulate-covariances-over-budget", ["simulate", SIM, "--N", "20000", "--d", "100"], "--N and --d")
bad("simulate-iterates-over-budget", ["simulate", SIM, "--T", "1000000", "--d", "100"], "--T and --d")
bad("simulate-partial-default-d-over-cap", ["simulate", PARTIAL, "--n", "1000"], "--d: ")
bad("simulate-beta-interval", ["simulate", SIM, "--beta", "[0.5,1]"], "parameter beta")
bad("simulate-beta-zero", ["simulate", SIM, "--beta", "0"], "parameter beta")
bad("simulate-beta-nan", ["simulate", SIM, "--beta", "nan"], "parameter beta")
bad("simulate-beta-tiny", ["simulate", SIM, "--beta", "1e-300"], "parameter beta")
bad("simulate-beta-huge", ["simulate", SIM, "--beta", "1e7"], "parameter beta")
bad("simulate-eta-negative", ["simulate", SIM, "--eta", "-1"], "parameter eta")
bad("simulate-eta-interval", ["simulate", SIM, "--eta", "[0.5,1]"], "parameter eta")
bad("simulate-eta-above-limit", ["simulate", SIM, "--eta", "100", "--T", "5"], "parameter eta")
bad("simulate-delta-one", ["simulate", SIM, "--delta", "1"], "parameter delta")
bad("simulate-delta-interval", ["simulate", SIM, "--delta", "[0.01,0.02]"], "parameter delta")
bad("simulate-sample-not-covered", ["simulate", ERM, "--d", "50", "--n", "1"], "parameter gamma")
bad("simulate-parameter-flag-of-bound", ["simulate", SIM, "--gamma", "0.1"], "unrecognized argument: --gamma")


def _arrays(N: int = 2, K: int = 2, d: int = 2, **change: object) -> dict[str, object]:
    """A valid instance file's arrays (N prompts of K actions in dimension d, every sample covered), ``change``d
    (None removes an array)."""
    features = np.zeros((N, K, d))
    for x in range(N):
        features[x, 0, x % d], features[x, 1, x % d] = 1.0, -1.0
    arrays: dict[str, object] = {"features": features, "theta": np.full(d, 0.5), "pi_ref": np.full((N, K), 1 / K),
                                 "weights": np.full(N, 1 / N)}  # fmt: skip
    arrays.update(change)
    return {name: value for name, value in arrays.items() if value is not None}


def _corrupt_npy(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("features.npy", b"not an array")


#: The instance files of the rows of ``simulate --instance``: written into the row's {tmp} when its argv names them
#: (``{tmp}/NAME``), by numpy.savez from arrays, or by a function of the path.
INSTANCE_FILES: dict[str, dict[str, object] | object] = {
    "good.npz": _arrays(),
    "indexed.npz": _arrays(indices=np.array([0, 1, 1]), beta=np.array(0.5)),
    "array.npy": "npy",
    "corrupt.npz": _corrupt_npy,
    "missing-theta.npz": _arrays(theta=None),
    "unknown-array.npz": _arrays(theta_star=np.ones(2)),
    "pickled-features.npz": _arrays(features=np.array([[[1.0, {}]]], dtype=object)),
    "complex-theta.npz": _arrays(theta=np.ones(2, dtype=complex)),
    "text-pi-ref.npz": _arrays(pi_ref=np.array([["a", "b"], ["c", "d"]])),
    "bool-weights.npz": _arrays(weights=np.array([True, False])),
    "float-indices.npz": _arrays(indices=np.array([0.0, 1.0])),
    "features-two-axes.npz": _arrays(features=np.ones((2, 2))),
    "features-one-action.npz": _arrays(features=np.ones((2, 1, 2)), pi_ref=np.ones((2, 1))),
    "theta-wrong-length.npz": _arrays(theta=np.ones(3)),
    "pi-ref-wrong-shape.npz": _arrays(pi_ref=np.full((2, 3), 1 / 3)),
    "weights-wrong-shape.npz": _arrays(weights=np.full((1, 2), 0.5)),
    "beta-vector.npz": _arrays(beta=np.ones(2)),
    "indices-two-axes.npz": _arrays(indices=np.zeros((1, 2), dtype=np.int64)),
    "indices-empty.npz": _arrays(indices=np.zeros(0, dtype=np.int64)),
    "features-nan.npz": _arrays(features=np.full((2, 2, 2), np.nan)),
    "theta-inf.npz": _arrays(theta=np.array([np.inf, 0.0])),
    "pi-ref-zero.npz": _arrays(pi_ref=np.array([[1.0, 0.0], [0.5, 0.5]])),
    "pi-ref-row-sum.npz": _arrays(pi_ref=np.array([[0.5, 0.5], [0.4, 0.5]])),
    "weights-negative.npz": _arrays(weights=np.array([1.5, -0.5])),
    "weights-sum.npz": _arrays(weights=np.array([0.25, 0.25])),
    "indices-outside.npz": _arrays(indices=np.array([0, 2])),
    "indices-negative.npz": _arrays(indices=np.array([-1, 0])),
    "indices-unweighted.npz": _arrays(weights=np.array([1.0, 0.0]), indices=np.array([0, 1])),
    "indices-uncovered.npz": _arrays(indices=np.array([0, 0])),
    "beta-zero.npz": _arrays(beta=np.array(0.0)),
    "beta-nan.npz": _arrays(beta=np.array(np.nan)),
    "beta-huge.npz": _arrays(beta=np.array(1e7)),
    "N-over-cap.npz": _arrays(N=cli.SIMULATE_CAPS["N"] + 1, d=1),
    "K-over-cap.npz": _arrays(N=1, K=cli.SIMULATE_CAPS["K"] + 1, d=1),
    "d-over-cap.npz": _arrays(N=1, d=cli.SIMULATE_CAPS["d"] + 1),
    "n-over-cap.npz": _arrays(indices=np.zeros(cli.SIMULATE_CAPS["n"] + 1, dtype=np.int8)),
    "covariances-over-budget.npz": _arrays(N=1001, d=100),
    "d-at-cap.npz": _arrays(N=1, d=cli.SIMULATE_CAPS["d"]),
}


def _write_instance_files(argv: tuple[str, ...], tmp: Path) -> None:
    for name, content in INSTANCE_FILES.items():
        if not any(arg == f"{{tmp}}/{name}" for arg in argv):
            continue
        path = tmp / name
        if content == "npy":
            np.save(path, np.ones(3))
        elif callable(content):
            content(path)
        else:
            np.savez(path, **content)  # type: ignore[arg-type]


def instance(name: str, *extra: str, T: str = "5") -> list[str]:
    return ["simulate", DIST, "--instance", f"{{tmp}}/{name}", "--T", T, *extra]


for name, fragment in {
    "a-file": "is not an .npz archive of named arrays",
    "array.npy": "is not an .npz archive of named arrays",
    "no-such-file.npz": "cannot read it (No such file or directory)",
    "corrupt.npz": "array features: is not a valid .npy array",
    "missing-theta.npz": "array theta: is missing; an instance file holds features, theta, pi_ref, weights",
    "unknown-array.npz": "array theta_star: unknown array",
    "pickled-features.npz": "array features: holds Python objects",
    "complex-theta.npz": "array theta: must hold real numbers",
    "text-pi-ref.npz": "array pi_ref: must hold real numbers",
    "bool-weights.npz": "array weights: must hold real numbers",
    "float-indices.npz": "array indices: must hold integers",
    "features-two-axes.npz": "array features: must have shape (N, K, d), got (2, 2)",
    "features-one-action.npz": "array features: needs N >= 1, K >= 2, d >= 1",
    "theta-wrong-length.npz": "array theta: must have shape (d,) = (2,), got (3,)",
    "pi-ref-wrong-shape.npz": "array pi_ref: must have shape (N, K) = (2, 2), got (2, 3)",
    "weights-wrong-shape.npz": "array weights: must have shape (N,) = (2,), got (1, 2)",
    "beta-vector.npz": "array beta: must have shape () = (), got (2,)",
    "indices-two-axes.npz": "array indices: must have shape (n,) with n >= 1",
    "indices-empty.npz": "array indices: must have shape (n,) with n >= 1",
    "features-nan.npz": "array features: must be finite",
    "theta-inf.npz": "array theta: must be finite",
    "pi-ref-zero.npz": "array pi_ref: entries must be > 0 (pi_ref[0, 1] = 0)",
    "pi-ref-row-sum.npz": "array pi_ref: every row must sum to 1 (to 1e-09); row 1 sums to 0.9",
    "weights-negative.npz": "array weights: entries must be >= 0 (weights[1] = -0.5)",
    "weights-sum.npz": "array weights: must sum to 1 (to 1e-09); they sum to 0.5",
    "indices-outside.npz": "array indices: entries must lie in [0, N) = [0, 2), got 2",
    "indices-negative.npz": "array indices: entries must lie in [0, N) = [0, 2), got -1",
    "indices-unweighted.npz": "array indices: prompt 1 has weight 0",
    "beta-zero.npz": "array beta: must be > 0",
    "beta-nan.npz": "array beta: must be finite",
    "beta-huge.npz": "array beta: a simulation takes beta in [1e-6, 1e6]",
    "N-over-cap.npz": "array features: N = 100001 is above the limit 100000",
    "K-over-cap.npz": "array features: K = 1001 is above the limit 1000",
    "d-over-cap.npz": "array features: d = 1001 is above the limit 1000",
    "n-over-cap.npz": "array indices: n = 1000001 is above the limit 1000000",
    "covariances-over-budget.npz": "array features: N*d*d = 1001*100*100 = 10010000 entries, above the limit",
}.items():
    bad(f"simulate-instance-{name.rsplit('.', 1)[0]}", instance(name), f"/{name}: {fragment}",
        subprocess=name == "pickled-features.npz")  # fmt: skip
bad("simulate-instance-directory", ["simulate", DIST, "--instance", "{tmp}"], "cannot read it (Is a directory)")
bad("simulate-instance-sample-not-covered", instance("indices-uncovered.npz"), "parameter gamma: the sample is not "
    "covered")  # fmt: skip
bad("simulate-instance-and-beta", instance("indexed.npz", "--beta", "1"), "array beta: is in the file; do not give")
bad("simulate-instance-and-n", instance("indexed.npz", "--n", "3"), "indexed.npz holds the training sample")
for flag in ("--N", "--K", "--d"):
    bad(f"simulate-instance-and{flag}", instance("good.npz", flag, "2"), f"{flag}: the instance file fixes N, K and d")
bad("simulate-instance-iterates-over-budget", instance("d-at-cap.npz", T="10000"), "--T and the file's d")
bad("simulate-instance-unknown-theorem", ["simulate", "nosuch", "--instance", "{tmp}/good.npz"], "parameter theorem")

# ------------------------------------------------------------------------------------------------ latex

bad(
    "latex-out-dev-null",
    ["latex", "--out", "/dev/null"],
    "--out /dev/null: exists and is not a folder",
    subprocess=True,
)
bad("latex-out-empty", ["latex", "--out", ""], "--out must name a folder")
bad("latex-out-space", ["latex", "--out", " "], "--out must name a folder")
bad("latex-out-file", ["latex", "--out", "{tmp}/a-file"], "exists and is not a folder")
bad("latex-out-under-a-file", ["latex", "--out", "{tmp}/a-file/tex"], "is not a folder")
bad("latex-out-missing-parent", ["latex", "--out", "{tmp}/no/such/tex"], "does not exist")
bad("latex-out-proc", ["latex", "--out", "/proc/rlhfsym-tex"], "--out /proc/rlhfsym-tex: cannot write")
# A folder that cannot be written, for every user (a chmod-locked folder is writable by the superuser, so the
# failing write is tested where nobody may create a file: /proc).
bad("latex-out-no-value", ["latex", "--out"], "--out: expected one argument")
bad("latex-values-no-equals", ["latex", "--out", "tex", "--values", "B"], "--values takes PARAM=VALUE")
bad("latex-values-no-name", ["latex", "--out", "tex", "--values", "=1"], "--values takes PARAM=VALUE")
bad("latex-values-no-value", ["latex", "--out", "tex", "--values", "B="], "--values takes PARAM=VALUE")
bad("latex-values-twice-in-one", ["latex", "--out", "tex", "--values", "B=1", "B=2"], "--values gives B twice")
bad(
    "latex-values-twice-across",
    ["latex", "--out", "tex", "--values", "B=1", "--values", "B=2"],
    "--values gives B twice",
)
bad("latex-values-empty", ["latex", "--out", "tex", "--values"], "--values: expected at least one argument")
bad("latex-values-unknown-parameter", ["latex", "--out", "tex", "--values", "foo=1"], "parameter foo")
bad("latex-values-negative-beta", ["latex", "--out", "tex", "--values", "beta=-1"], "parameter beta")
bad("latex-values-delta-one", ["latex", "--out", "tex", "--values", "delta=1"], "parameter delta")
bad("latex-values-nan", ["latex", "--out", "tex", "--values", "B=nan"], "parameter B")
bad("latex-lemma-unknown", ["latex", "--out", "tex", "--lemma", "nosuch"], "unknown lemma nosuch")
bad("latex-lemma-unknown-beside-a-known", ["latex", "--out", "tex", "--lemma", "log_le_sub_one", "--lemma", "x"],
    "unknown lemma x")  # fmt: skip
bad("latex-lemma-empty", ["latex", "--out", "tex", "--lemma", ""], "parameter lemma: unknown lemma")
bad("latex-lemma-no-value", ["latex", "--out", "tex", "--lemma"], "--lemma: expected one argument")
bad("latex-values-gamma-above-B-squared", ["latex", "--out", "tex", "--values", "B=1", "gamma=2"], "parameter gamma")
bad(
    "latex-values-break-a-condition",
    ["latex", "--out", "tex", "--values", "B=1", "S=1", "beta=0.5", "gamma=0.01", "T=100", "eta=5"],
    "parameter eta",
)

# ------------------------------------------------------------------------------------------------ report

bad("report-nothing-to-report", ["report"], "--tightness, --plots, or both")
bad("report-json-alone", ["report", "--json"], "--tightness, --plots, or both")
bad("report-plots-out-dev-null", ["report", "--plots", "--out", "/dev/null"], "--out /dev/null: exists")
bad("report-plots-out-empty", ["report", "--plots", "--out", ""], "--out must name a folder")
bad("report-plots-out-missing-parent", ["report", "--plots", "--out", "{tmp}/no/such/plots"], "does not exist")
bad("report-plots-out-proc", ["report", "--plots", "--out", "/proc/rlhfsym-plots"], "cannot write")
bad("report-plots-default-out-missing", ["report", "--plots"], "--out docs/plots: its parent folder")
bad("report-examples-huge", ["report", "--tightness", "--examples", "10000000"], "--examples must be")
bad("report-seed-negative", ["report", "--tightness", "--seed", "-1"], "--seed must be")


# ------------------------------------------------------------------------------------------------ the test


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory holding ``a-file`` (a regular file)."""
    (tmp_path / "a-file").write_text("not a folder\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _argv(row: Bad, tmp: Path) -> list[str]:
    _write_instance_files(row.argv, tmp)
    return [arg.replace("{tmp}", str(tmp)) for arg in row.argv]


def _check(row: Bad, status: object, out: str, err: str) -> None:
    lines = err.splitlines()
    assert status == 2, f"{row.id}: exit status {status!r}; stderr: {err!r}"
    assert out == "", f"{row.id}: printed on stdout: {out!r}"
    assert "Traceback" not in err, f"{row.id}: {err}"
    assert len(lines) == 1 and err.endswith("\n"), f"{row.id}: stderr must be exactly one line: {err!r}"
    assert lines[0].startswith("rlhfsym: error: "), lines[0]
    assert row.fragment in lines[0], f"{row.id}: {row.fragment!r} not in {lines[0]!r}"


def _params(rows: list[Bad]) -> list:
    return [pytest.param(row, id=row.id) for row in rows]


@pytest.mark.parametrize("row", _params(ROWS))
def test_bad_invocation_is_one_line_on_stderr_and_exit_2(
    row: Bad, workdir: Path, capsys: pytest.CaptureFixture
) -> None:
    try:
        status = cli.main(_argv(row, workdir))
    except SystemExit as done:
        status = done.code
    out, err = capsys.readouterr()
    _check(row, status, out, err)


SUBPROCESS_ROWS = [row for row in ROWS if row.subprocess]


@pytest.mark.parametrize("row", _params(SUBPROCESS_ROWS))
def test_the_real_entry_point_behaves_the_same(row: Bad, workdir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rlhfsym", *_argv(row, workdir)], capture_output=True, text=True, cwd=workdir
    )
    _check(row, done.returncode, done.stdout, done.stderr)


# ------------------------------------------------------------------------------------------------ the table itself


def test_the_table_is_large_and_its_ids_unique() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(ROWS) >= 150
    assert 4 <= len(SUBPROCESS_ROWS) <= 10


def test_every_command_and_the_bare_call_has_rows() -> None:
    commands = {row.argv[0] if row.argv else "" for row in ROWS}
    assert set(COMMANDS) | {""} <= commands
    assert set(BASE) == set(COMMANDS), "give every command a valid invocation in BASE"


def test_every_single_valued_flag_is_refused_twice() -> None:
    """The generated rows cover every single-valued flag of every command, as the parser has them today."""
    twice = {row.id for row in ROWS if "-twice" in row.id}
    for command, parser in COMMANDS.items():
        for action in _single_valued(parser):
            assert f"{command}-twice{action.option_strings[0]}" in twice


def test_the_base_invocations_parse() -> None:
    """The rows change one flag of a valid invocation: each base invocation itself parses."""
    parser = cli.build_parser()
    for command in BASE:
        args = parser.parse_args([arg.replace("{tmp}", "/tmp") for arg in _base(command)])
        assert args.command == command


# ------------------------------------------------------------------------------------------------ errors escaping


ESCAPING = [
    pytest.param(ParameterError("beta", "must be > 0", "-1"), "parameter beta = -1: must be > 0", id="rlhfsym-error"),
    pytest.param(ValueError("a value\nspread over two lines"), "a value spread over two lines", id="value-error"),
    pytest.param(
        OSError(28, "No space left on device", "tex/rlhfsym-macros.tex"),
        "No space left on device: tex/rlhfsym-macros.tex",
        id="os-error",
    ),
    pytest.param(PermissionError(13, "Permission denied", "out"), "Permission denied: out", id="permission-error"),
    pytest.param(OverflowError("integer division result too large for a float"), "too large", id="overflow-error"),
    pytest.param(MemoryError(), "out of memory", id="memory-error"),
]


def _raising(error: BaseException):
    def raise_it(*args: object, **kwargs: object) -> None:
        raise error

    return raise_it


@pytest.mark.parametrize(("error", "fragment"), ESCAPING)
def test_an_error_escaping_a_command_is_one_line(
    error: BaseException, fragment: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Class 7: an RlhfsymError, ValueError, OSError (or arithmetic / memory error) escaping a command."""
    monkeypatch.setattr(cli, "_run_bound", _raising(error))
    with pytest.raises(SystemExit) as done:
        cli.main(bound(ERM))
    out, err = capsys.readouterr()
    _check(Bad(f"escaping-{type(error).__name__}", (), fragment), done.value.code, out, err)


def test_an_oserror_while_writing_the_latex_files_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    """--out passed the door, then the disk refused the write: one line, exit 2 (the chain is not verified here)."""
    import rlhfsym.api
    import rlhfsym.latex

    monkeypatch.setattr(rlhfsym.api, "verify", lambda *a, **k: argparse.Namespace(reports=()))
    monkeypatch.setattr(rlhfsym.api, "chain", lambda: None)
    monkeypatch.setattr(rlhfsym.latex, "write_latex", _raising(OSError(28, "No space left on device", "x.tex")))
    with pytest.raises(SystemExit) as done:
        cli.main(["latex", "--out", str(tmp_path / "tex")])
    out, err = capsys.readouterr()
    _check(Bad("latex-write-time", (), "No space left on device: x.tex"), done.value.code, out, err)


def test_an_interrupt_exits_130_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(cli, "_run_bound", _raising(KeyboardInterrupt()))
    assert cli.main(bound(ERM)) == 130
    assert capsys.readouterr() == ("", "")


def test_a_closed_pipe_stops_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the test: the CLI drops its stdout
    monkeypatch.setattr(cli, "_run_bound", _raising(BrokenPipeError(32, "Broken pipe")))
    assert cli.main(bound(ERM)) == 0
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------------------------------------ flags meant to repeat


def test_the_flags_meant_to_repeat_do() -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["verify", "--lemma", "a", "--lemma", "b"]).lemma == ["a", "b"]
    assert parser.parse_args(["latex", "--values", "B=1", "S=1", "--values", "beta=0.5"]).values == [
        "B=1",
        "S=1",
        "beta=0.5",
    ]


def test_help_still_prints_on_stdout_and_exits_0(capsys: pytest.CaptureFixture) -> None:
    for argv in (["--help"], *([name, "--help"] for name in COMMANDS)):
        with pytest.raises(SystemExit) as done:
            cli.main(argv)
        out, err = capsys.readouterr()
        assert done.value.code == 0 and err == "" and out.startswith("usage: rlhfsym"), argv


def test_the_door_imports_neither_sympy_nor_numpy() -> None:
    """Building the parser, --help and the errors at the door stay cheap (benchmarks/bench_cli.py times --help)."""
    code = """if True:
        import contextlib, io, sys
        from rlhfsym import cli
        for argv in (["--help"], ["bound", "--help"], ["simulate", "--help"], [], ["verify", "--jobs", "\\u0661"],
                     ["bound", "x", "--B", "1", "--B", "2"], ["sample-size", "x", "--eps", "1"],
                     ["simulate", "x", "--d", "100000000000"], ["latex", "--out", "/dev/null"]):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    cli.main(argv)
                except SystemExit:
                    pass
        print(sorted({m.split(".")[0] for m in sys.modules} & {"sympy", "numpy", "mpmath", "flint"}))
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
