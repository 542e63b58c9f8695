"""The documents' tables of theorems and figures, generated from the theorems' declarations (``rlhfsym.vocabulary``).

A development script, not part of the package (it is not installed). Each generated table stands in a Markdown file
between two markers, ``<!-- theoremdoc:NAME -->`` and ``<!-- /theoremdoc:NAME -->``; the rest of the file is
written by hand. Regenerate every table from the root of the repository with::

    python tools/theoremdoc.py --write

and check that none is stale with ``python tools/theoremdoc.py --check`` (exit 1 naming the stale ones);
``tests/test_docs.py`` runs the same check, as it does for ``docs/cli.md`` (``tools/clidoc.py``). The tables:

* ``README.md``, ``theorems`` -- every theorem with the labels ``rlhfsym bound --list`` shows (what it bounds, the
  iterate, the algorithm and the step it fixes, how it holds) and the rates its module states;
* ``docs/paper.md``, ``theorems`` -- the same index in words: the quantity, the iterate, the algorithm and how the
  bound holds, as plots and documents write them;
* ``docs/index.md``, ``figures`` -- every figure a theorem declares, with its axes and what it shows, and the images;
* ``docs/quickstart.md``, ``bound-list`` -- the console block of ``rlhfsym bound --list`` with what it prints (the
  tests re-run it too);
* ``docs/setting.md``, ``theorems`` -- section 4's table: the vocabulary names each theorem declares, its form and
  its statement.

>>> text = render("README.md", "theorems")
>>> text.startswith("| theorem | bounds | iterate |") and "`erm_gap_le_of_coverage`" in text
True
>>> sorted(SECTIONS)
['README.md', 'docs/index.md', 'docs/paper.md', 'docs/quickstart.md', 'docs/setting.md']
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["ROOT", "SECTIONS", "render", "rewrite", "stale"]

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> list:
    """Every theorem's declaration and its lemma, in the chain's (dependency) order."""
    from rlhfsym.api import chain
    from rlhfsym.bounds import theorem_info

    return [(theorem_info(lemma.name).declared, lemma) for lemma in chain().ordered() if lemma.kind == "theorem"]


def _cell(text: str) -> str:
    """Text for a Markdown table cell: ``|`` escaped."""
    return text.replace("|", "\\|")


def _name(theorem) -> str:
    return f"`{theorem.name}`" + (f" ({theorem.form})" if theorem.form else "")


def _rates(lemma) -> list[str]:
    return [lemma.rates.get("n") or "—", lemma.rates.get("T") or "—"]


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _readme_theorems() -> str:
    """The README's table: the labels of ``rlhfsym bound --list``, the step a theorem fixes, the stated rates."""
    rows = []
    for theorem, lemma in _declared():
        labels = theorem.labels
        algorithm = labels["algorithm"] + (f", {theorem.step}" if theorem.step else "")
        rows.append([_name(theorem), labels["bounds"], labels["iterate"], _cell(algorithm), labels["holds"],
                     *_rates(lemma)])  # fmt: skip
    return _table(["theorem", "bounds", "iterate", "algorithm", "holds", "rate in n", "rate in T"], rows)


def _paper_theorems() -> str:
    """docs/paper.md's index: what each theorem bounds, for which iterate of which algorithm, how, at which rates."""
    rows = []
    for theorem, lemma in _declared():
        algorithm = theorem.algorithm.text + (f", {theorem.step}" if theorem.step else "")
        holds = theorem.holds.text + (f"; assumes {theorem.runs_within.text}" if theorem.runs_within else "")
        rows.append([_name(theorem), _cell(theorem.bounds.text), _cell(theorem.iterate.text), _cell(algorithm),
                     _cell(holds), *_rates(lemma)])  # fmt: skip
    return _table(["theorem", "what it bounds", "iterate", "algorithm", "how it holds", "rate in n", "rate in T"], rows)


def _setting_theorems() -> str:
    """docs/setting.md's table of the chain: the vocabulary names each theorem declares, its form, its statement."""
    rows = []
    for theorem, lemma in _declared():
        rows.append([f"`{theorem.name}`", theorem.bounds.name, theorem.iterate.name, theorem.algorithm.name,
                     theorem.holds.name, _cell(theorem.form or "—"), _cell(lemma.statement)])  # fmt: skip
    return _table(["theorem", "bounds", "iterate", "algorithm", "holds", "form", "what it says"], rows)


def _index_figures() -> str:
    """docs/index.md's figures: one row per declared figure, then the images."""
    rows, images = [], []
    for theorem, _ in _declared():
        figure = theorem.figure
        if figure is None:
            continue
        stretched = getattr(figure.rate, "sqrt_x", False)
        scale = "log-log" if figure.rate.log_x else "log y, sqrt" if stretched else "semi-log"
        axes = f"{scale}, {figure.axis}"
        rows.append([f"[{figure.name}](plots/{figure.name})", _name(theorem), axes, _cell(figure.shows)])
        images.append(f"![{theorem.name} against {figure.axis}](plots/{figure.name})")
    return _table(["figure", "theorem", "axes", "what it shows"], rows) + "\n\n" + "\n".join(images)


def _bound_list() -> str:
    """The quickstart's console block: ``rlhfsym bound --list`` and what it prints (trailing spaces dropped)."""
    import contextlib
    import io

    from rlhfsym.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["bound", "--list"])
    printed = "\n".join(line.rstrip() for line in out.getvalue().splitlines())
    return f"```console\n$ rlhfsym bound --list\n{printed}\n```"


#: The generated tables: file (from the repository's root) -> {table name: renderer}.
SECTIONS: dict[str, dict[str, Callable[[], str]]] = {
    "README.md": {"theorems": _readme_theorems},
    "docs/paper.md": {"theorems": _paper_theorems},
    "docs/index.md": {"figures": _index_figures},
    "docs/quickstart.md": {"bound-list": _bound_list},
    "docs/setting.md": {"theorems": _setting_theorems},
}


def render(path: str, name: str) -> str:
    """The table ``name`` of the file ``path``, as generated now."""
    return SECTIONS[path][name]()


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- theoremdoc:{name} -->\n)(.*?)(<!-- /theoremdoc:{name} -->)", re.DOTALL)


def rewrite(text: str, path: str) -> str:
    """``text`` (the file ``path``) with every generated table replaced by its current rendering; a missing marker
    is an error that names it."""
    for name, renderer in SECTIONS[path].items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise ValueError(f"{path} has no <!-- theoremdoc:{name} --> ... <!-- /theoremdoc:{name} --> markers")
        text = pattern.sub(lambda m, r=renderer: m.group(1) + r() + "\n" + m.group(3), text, count=1)
    return text


def stale(root: Path = ROOT) -> list[str]:
    """The files whose generated tables differ from what :func:`rewrite` would write."""
    out = []
    for path in SECTIONS:
        text = (root / path).read_text(encoding="utf-8")
        if rewrite(text, path) != text:
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    """``--write`` regenerates the tables in place; ``--check`` exits 1 naming the stale files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate every table in place")
    mode.add_argument("--check", action="store_true", help="exit 1 if a table is stale")
    args = parser.parse_args(argv)
    if args.check:
        files = stale()
        for path in files:
            print(f"{path}: stale; regenerate with `python tools/theoremdoc.py --write`", file=sys.stderr)
        return 1 if files else 0
    for path in SECTIONS:
        target = ROOT / path
        text = target.read_text(encoding="utf-8")
        new = rewrite(text, path)
        if new != text:
            target.write_text(new, encoding="utf-8")
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
