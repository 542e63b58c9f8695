"""The documentation cannot drift from the code: doctests, the docs' examples, the CLI reference, the plots' names.

* every module of ``rlhfsym`` (``rlhfsym.proofs`` included) whose source has ``>>>`` examples passes its doctests;
* every ``docs/*.md`` with ``>>>`` examples passes them; the ```python blocks of the docs run (or, for the
  fragments of a proof module in ``docs/engine.md``, compile and their imports resolve);
* the ```console blocks of ``docs/quickstart.md`` print what they show (``...`` lines stand for lines left out);
* ``docs/cli.md`` is what ``tools/clidoc.py``'s ``render()`` generates, and every command and flag appears in it
  (the script's own doctests pass too);
* the tables of theorems (README.md, docs/paper.md) and of figures (docs/index.md) are what ``tools/theoremdoc.py``
  generates from the theorems' declarations (its doctests pass too);
  every command appears in ``docs/quickstart.md``;
* ``docs/plots/`` holds exactly the PNG files ``rlhfsym.plots`` writes, and the index links each of them.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import importlib
import importlib.util
import io
import pkgutil
import re
import shlex
from pathlib import Path

import pytest

import rlhfsym
from rlhfsym import cli
from rlhfsym.plots import figure_names

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FLAGS = doctest.ELLIPSIS
REGENERATE = "regenerate it with `python tools/clidoc.py > docs/cli.md` (from the repository root)"


def _load_tool(name: str):
    """``tools/NAME.py``, a generator of a document: a script of the repository, not a module of the package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None, f"tools/{name}.py is missing"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_clidoc = _load_tool("clidoc")
_theoremdoc = _load_tool("theoremdoc")


# ------------------------------------------------------------------------------------------------ module doctests


def _package_modules() -> list[str]:
    """Every module of rlhfsym and of rlhfsym.proofs (shipped from proofs/), except ``__main__`` (it runs the CLI)."""
    names = [m.name for m in pkgutil.walk_packages(rlhfsym.__path__, "rlhfsym.")]
    proofs = importlib.util.find_spec("rlhfsym.proofs")
    assert proofs is not None and proofs.submodule_search_locations is not None
    names += ["rlhfsym.proofs"]
    names += [m.name for m in pkgutil.walk_packages(list(proofs.submodule_search_locations), "rlhfsym.proofs.")]
    return sorted(name for name in set(names) if not name.endswith(".__main__"))


def _has_examples(name: str) -> bool:
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin is not None and ">>>" in Path(spec.origin).read_text(encoding="utf-8")


MODULES_WITH_EXAMPLES = [name for name in _package_modules() if _has_examples(name)]


def _run_doctests(tests: list[doctest.DocTest]) -> tuple[int, int, str]:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out: list[str] = []
    for test in tests:
        runner.run(test, out=out.append)
    return runner.failures, runner.tries, "".join(out)


def test_modules_with_examples_are_found() -> None:
    assert {"rlhfsym.bounds", "rlhfsym.setting", "rlhfsym.interval"} <= set(MODULES_WITH_EXAMPLES)


@pytest.mark.parametrize("tool", [_clidoc, _theoremdoc], ids=["clidoc", "theoremdoc"])
def test_tool_script_doctests_pass(tool) -> None:
    """The tools are not in the package (so the module walk above does not find them); their examples still run."""
    failures, tries, report = _run_doctests(doctest.DocTestFinder().find(tool))
    assert tries > 0 and failures == 0, f"doctests of tools/{tool.__name__}.py failed:\n{report}"


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_module_doctests_pass(name: str) -> None:
    module = importlib.import_module(name)
    failures, tries, report = _run_doctests(doctest.DocTestFinder().find(module))
    assert tries > 0, f"{name} has '>>>' in its source but doctest finds no example (not in a docstring?)"
    assert failures == 0, f"doctests of {name} failed:\n{report}"


# ------------------------------------------------------------------------------------------------ docs/*.md


def _docs() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


DOCS_WITH_EXAMPLES = [path.name for path in _docs() if ">>>" in path.read_text(encoding="utf-8")]


def test_docs_with_examples_are_found() -> None:
    assert "quickstart.md" in DOCS_WITH_EXAMPLES


@pytest.mark.parametrize("name", DOCS_WITH_EXAMPLES)
def test_doc_examples_pass(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {"__name__": f"docs_{name}"}, name, str(DOCS / name), 0)
    failures, tries, report = _run_doctests([test])
    assert tries > 0
    assert failures == 0, f"the examples of docs/{name} failed:\n{report}"


#: How the ```python blocks of a doc are checked when they cannot simply run (a doc not listed here has its blocks
#: run, in order, in one namespace, in a temporary working directory).
PYTHON_BLOCKS = {
    "testing.md": "run, and the tests they define pass, in tests/test_testing_strategies.py::test_docs_examples_run",
    "engine.md": "fragments of a proof module (a relative import, names defined elsewhere): they compile, and "
    "their imports from rlhfsym resolve",
    "latex.md": "verifies the whole chain (about 15 s): run by the slow test below",
}


def _docs_with_python() -> list[str]:
    return [path.name for path in _docs() if _blocks(path, "python")]


def test_doc_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ```python blocks of every doc not listed in PYTHON_BLOCKS run (none today; new docs are covered)."""
    monkeypatch.chdir(tmp_path)
    for name in _docs_with_python():
        if name in PYTHON_BLOCKS:
            continue
        namespace: dict = {"__name__": f"docs_{name}"}
        for block in _blocks(DOCS / name, "python"):
            exec(compile(block, str(DOCS / name), "exec"), namespace)  # our own documentation


def test_testing_md_blocks_are_run_elsewhere() -> None:
    source = (ROOT / "tests" / "test_testing_strategies.py").read_text(encoding="utf-8")
    assert "def test_docs_examples_run" in source and '"testing.md"' in source


def test_engine_md_fragments_compile_and_import() -> None:
    blocks = _blocks(DOCS / "engine.md", "python")
    assert blocks
    for block in blocks:
        compile(block, "docs/engine.md", "exec")
        imports = re.findall(r"^(from rlhfsym[\w.]* import [^\n(]+|import rlhfsym[\w.]*)$", block, flags=re.MULTILINE)
        for statement in imports:
            exec(statement, {})  # e.g. `from rlhfsym.chain import Claim, FirstDerivativeTest, Lemma, calc`


@pytest.mark.slow
def test_latex_md_example_writes_the_three_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "docs_latex_md"}
    for block in _blocks(DOCS / "latex.md", "python"):
        exec(compile(block, "docs/latex.md", "exec"), namespace)
    assert [Path(p).name for p in namespace["paths"]] == [
        "rlhfsym-macros.tex",
        "rlhfsym-appendix-body.tex",
        "rlhfsym-appendix.tex",
    ]
    assert all(Path(p).is_file() for p in namespace["paths"])


# ------------------------------------------------------------------------------------------------ quickstart console


#: Commands of docs/quickstart.md shown with their output but not re-run, and why.
NOT_RERUN = {
    "verify": "its output has wall-clock seconds",
    "latex": "it verifies the whole chain first (12 s); tests/test_latex.py checks the files",
    "report": "it measures and draws every plot (17 s); tests/test_plots.py checks write_plots",
}


def _console_examples() -> list[tuple[str, str]]:
    """``(command line, output shown)`` for every ``$ rlhfsym ...`` line of the console blocks of the quickstart."""
    examples = []
    for block in _blocks(DOCS / "quickstart.md", "console"):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.MULTILINE):
            if chunk.strip():
                command, _, output = chunk.partition("\n")
                examples.append((command.removeprefix("$ "), output))
    return examples


CONSOLE = _console_examples()


def _run_cli(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            cli.main(argv)
        except SystemExit:
            pass
    return out.getvalue()


def _same(shown: str, printed: str) -> bool:
    """Does ``printed`` match ``shown``, line by line, trailing spaces aside, a ``...`` line matching any lines?"""

    def strip(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"

    return doctest.OutputChecker().check_output(strip(shown), strip(printed), doctest.ELLIPSIS)


RERUN = [example for example in CONSOLE if shlex.split(example[0])[1] not in NOT_RERUN]


@pytest.mark.parametrize("command, shown", RERUN, ids=[command for command, _ in RERUN])
def test_quickstart_console_output_is_what_the_command_prints(command: str, shown: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "rlhfsym", f"docs/quickstart.md: console commands must be rlhfsym commands: {command}"
    printed = _run_cli(argv[1:])
    assert _same(shown, printed), f"docs/quickstart.md shows for `{command}`:\n{shown}\nbut it prints:\n{printed}"


# ------------------------------------------------------------------------------------------------ CLI reference


def test_cli_reference_is_up_to_date() -> None:
    path = DOCS / "cli.md"
    assert path.is_file(), f"docs/cli.md is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == _clidoc.render(), f"docs/cli.md differs from the parser: {REGENERATE}"


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [flag for action in parser._actions for flag in action.option_strings]


@pytest.mark.parametrize(
    "path, name", [(path, name) for path, tables in _theoremdoc.SECTIONS.items() for name in tables]
)
def test_generated_tables_of_theorems_and_figures_are_up_to_date(path: str, name: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert _theoremdoc.rewrite(text, path) == text, (
        f"the table {name} of {path} differs from the theorems' declarations: regenerate it with "
        "`python tools/theoremdoc.py --write` (from the repository root)"
    )


def test_every_command_and_flag_is_in_the_cli_reference() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    commands = _clidoc.commands(parser)
    assert [name for name, _, _ in commands] == [
        "verify", "chain", "bound", "sample-size", "simulate", "latex", "report",
    ]  # fmt: skip
    for flag in _options(parser):
        assert f"`{flag}" in text, flag
    for name, command, _ in commands:
        section = text.split(f"\n## rlhfsym {name}\n", 1)
        assert len(section) == 2, f"docs/cli.md has no section for `rlhfsym {name}`: {REGENERATE}"
        body = section[1].split("\n## ", 1)[0]
        for flag in _options(command):
            assert f"`{flag}" in body, f"rlhfsym {name} {flag}"


def test_every_command_is_shown_in_the_quickstart() -> None:
    shown = {shlex.split(command)[1] for command, _ in CONSOLE}
    assert {name for name, _, _ in _clidoc.commands()} <= shown


def test_quickstart_repeats_the_readme_commands_exactly() -> None:
    def quickstart(text: str) -> str:
        return text.split("## Quickstart", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert quickstart(readme) in (DOCS / "quickstart.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------ plots and links


def test_docs_plots_hold_exactly_the_files_write_plots_writes() -> None:
    present = sorted(path.name for path in (DOCS / "plots").glob("*.png"))
    assert present == sorted(figure_names()), "regenerate the plots with `rlhfsym report --plots`"
    for name in figure_names():
        assert (DOCS / "plots" / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name


def test_index_shows_every_plot() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for name in figure_names():
        assert f"(plots/{name})" in index, name


def _links() -> list[tuple[str, str]]:
    links = []
    for name in ("index.md", "quickstart.md", "cli.md"):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", (DOCS / name).read_text(encoding="utf-8")):
            if "://" not in target:
                links.append((name, target))
    return links


@pytest.mark.parametrize("page, target", _links())
def test_relative_links_resolve(page: str, target: str) -> None:
    path = (DOCS / target).resolve()
    assert path.exists(), f"docs/{page} links to {target}, which does not exist"


def test_index_links_every_page_of_docs() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for path in _docs():
        if path.name != "index.md":
            assert f"]({path.name})" in index, f"docs/index.md does not link {path.name}"
