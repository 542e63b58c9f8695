"""The command-line reference ``docs/cli.md``, generated from the argparse parser of :mod:`rlhfsym.cli`.

A development script, not part of the package (it is not installed). Regenerate the reference from the root of the
repository with::

    python tools/clidoc.py > docs/cli.md

:func:`render` walks :func:`rlhfsym.cli.build_parser` -- the top-level parser, then every subcommand in the order it
was added -- and renders each command's usage, description, arguments (grouped as in ``--help``, with their help
text, choices and whether they are required) and epilog as Markdown. The output depends on the parser only (never
on the terminal width or the Python version's help layout), so it is byte-identical wherever it is generated, and
``tests/test_docs.py`` compares it with the committed file (and runs these examples).

>>> text = render()
>>> text.startswith("# Command-line reference")
True
>>> "## rlhfsym sample-size" in text and "--solve-for {n,T}" in text
True
"""

from __future__ import annotations

import argparse
import re
import textwrap

__all__ = ["PREAMBLE", "commands", "render"]

#: Width of the wrapped usage lines and descriptions.
WIDTH = 120

PREAMBLE = """\
# Command-line reference

Every command and flag of `rlhfsym`, generated from the parser in `rlhfsym/cli.py` by `tools/clidoc.py`; do not
edit this file by hand. Regenerate it with

```bash
python tools/clidoc.py > docs/cli.md
```

`tests/test_docs.py` fails when this file differs from the parser. `rlhfsym --help` and `rlhfsym COMMAND --help`
print the same information in the terminal. Bad arguments print one line on stderr (`rlhfsym: error: ...`) naming
the flag or parameter and the rule it broke, nothing on stdout, and exit with status 2; flags are spelled in full
(no abbreviations) and given once (only `verify --lemma` and `latex --values` repeat). Worked examples with their
real output are in [quickstart.md](quickstart.md)."""


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def commands(parser: argparse.ArgumentParser | None = None) -> list[tuple[str, argparse.ArgumentParser, str]]:
    """``(name, parser, one-line help)`` for every subcommand, in the order the parser lists them."""
    if parser is None:
        from rlhfsym.cli import build_parser

        parser = build_parser()
    sub = _subparsers(parser)
    if sub is None:
        return []
    helps = {action.dest: action.help or "" for action in sub._choices_actions}
    return [(name, command, helps.get(name, "")) for name, command in sub.choices.items()]


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest if not action.option_strings else action.dest.upper()


def _value(action: argparse.Action) -> str:
    """How the value is written after the flag (or the positional itself), as in argparse's usage."""
    if action.nargs == 0:
        return ""
    metavar = _metavar(action)
    if action.nargs is None:
        return metavar
    if action.nargs == "?":
        return f"[{metavar}]"
    if action.nargs == "+":
        return f"{metavar} [{metavar} ...]"
    if action.nargs == "*":
        return f"[{metavar} ...]"
    if isinstance(action.nargs, int):
        return " ".join([metavar] * action.nargs)
    return metavar


def _usage_item(action: argparse.Action, grouped: bool = False) -> str:
    if not action.option_strings:
        return _value(action)
    value = _value(action)
    text = action.option_strings[0] + (f" {value}" if value else "")
    return text if action.required or grouped else f"[{text}]"


def _usage(prog: str, parser: argparse.ArgumentParser) -> str:
    """``usage: prog [-h] [--flag VALUE] ... POSITIONAL``, wrapped at :data:`WIDTH`."""
    exclusive = {id(a): group for group in parser._mutually_exclusive_groups for a in group._group_actions}
    items: list[str] = []
    done: set[int] = set()
    for action in parser._actions:
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        group = exclusive.get(id(action))
        if group is None:
            items.append(_usage_item(action))
        elif id(group) not in done:
            done.add(id(group))
            inner = " | ".join(_usage_item(a, grouped=True) for a in group._group_actions)
            items.append(f"({inner})" if group.required else f"[{inner}]")
    items += [_usage_item(a) for a in parser._actions if not a.option_strings and a.help != argparse.SUPPRESS]
    lead = f"usage: {prog} "
    lines = [lead.rstrip()]
    for item in items:  # whole items per line: a flag is never split from its value
        if len(lines[-1]) + 1 + len(item) > WIDTH and len(lines[-1]) > len(lead):
            lines.append(" " * (len(lead) - 1))
        lines[-1] += " " + item
    return "\n".join(lines)


def _prose(text: str | None, parser: argparse.ArgumentParser) -> str:
    """A description or epilog as ``--help`` shows it: kept as written by a raw formatter, else refilled."""
    if not text:
        return ""
    if issubclass(parser.formatter_class, argparse.RawDescriptionHelpFormatter):  # line breaks kept; long lines wrapped
        return "\n".join(_wrap_line(line) for line in text.strip("\n").split("\n"))
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(textwrap.fill(" ".join(p.split()), WIDTH, break_on_hyphens=False) for p in paragraphs)


def _wrap_line(line: str) -> str:
    if len(line) <= WIDTH:
        return line
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.fill(line.strip(), WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def _markdown(text: str) -> str:
    """Help text as Markdown: what Markdown would read as markup is escaped (``*``, ``\\``, brackets, ``<`` before
    a tag name, ``_`` unless inside a word); backticks are kept, so `code` stays code."""
    text = " ".join(text.split())
    text = re.sub(r"([\\*\[\]])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)


def _help(action: argparse.Action, prog: str) -> str:
    text = action.help or ""
    if "%(" in text:
        text = text % {**vars(action), "prog": prog}
    return text


def _argument(action: argparse.Action, prog: str) -> str:
    value = _value(action)
    if action.option_strings:
        names = ", ".join(f"`{flag}{' ' + value if value else ''}`" for flag in action.option_strings)
    else:
        names = f"`{value}`"
    notes = []
    if action.required and action.option_strings:
        notes.append("required")
    if not action.option_strings and action.nargs == "?":
        notes.append("optional")
    note = f" ({', '.join(notes)})" if notes else ""
    return f"- {names}{note}: {_markdown(_help(action, prog))}"


def _groups(parser: argparse.ArgumentParser, prog: str) -> list[str]:
    out: list[str] = []
    for group in parser._action_groups:
        actions = [
            a
            for a in group._group_actions
            if a.help != argparse.SUPPRESS and not isinstance(a, argparse._SubParsersAction)
        ]
        if not actions:
            continue
        title = group.title or "arguments"
        out += [f"**{_markdown(title)}**", "", *(_argument(a, prog) for a in actions), ""]
    return out


def _section(prog: str, parser: argparse.ArgumentParser, summary: str, level: str) -> list[str]:
    lines = [f"{level} {prog}", ""]
    if summary:
        lines += [f"{_markdown(summary[0].upper() + summary[1:])}.", ""]
    lines += ["```text", _usage(prog, parser), "```", ""]
    description = _prose(parser.description, parser)
    if description:
        lines += ["```text", description, "```", ""]
    lines += _groups(parser, prog)
    epilog = _prose(parser.epilog, parser)
    if epilog:
        lines += ["```text", epilog, "```", ""]
    return lines


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The Markdown of ``docs/cli.md``: the preamble, an index of the commands, then one section per command."""
    if parser is None:
        from rlhfsym.cli import build_parser

        parser = build_parser()
    prog = parser.prog
    subcommands = commands(parser)
    lines = [PREAMBLE, "", "## Commands", ""]
    lines += [f"- [`{prog} {name}`](#{prog}-{name}): {_markdown(summary)}" for name, _, summary in subcommands]
    lines += [""]
    lines += _section(prog, parser, "", "##")
    for name, command, summary in subcommands:
        lines += _section(f"{prog} {name}", command, summary, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Print the reference (``python tools/clidoc.py > docs/cli.md``)."""
    import sys

    sys.stdout.write(render())


if __name__ == "__main__":
    main()
