"""rlhfsym.latex: the macros file and the proof appendix, generated from the chain and its reports.

Most tests use the real chain, verified once in the session (tests/conftest.py, ``chain_record``); the escaping test
uses a tiny synthetic chain whose free text holds every character LaTeX treats specially. The compile test runs
pdflatex: it skips when pdflatex is missing, unless the environment variable CI is set, where it fails.
"""

from __future__ import annotations

import dataclasses
import doctest
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sympy as sp

from rlhfsym import api, latex
from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Registry, calc, check_lemmas
from rlhfsym.latex import (
    APPENDIX_BODY_FILE,
    APPENDIX_FILE,
    MACROS_FILE,
    MacroNameError,
    appendix_body_tex,
    escape_text,
    macro_name,
    macros_tex,
    write_latex,
)

#: Early in the session (its tests share module fixtures: kept on one worker), after the chain's complete check
#: (tests/test_chain_registry_walk.py), whose record ``checked`` reads.
pytestmark = pytest.mark.cost(20)

NEWCOMMAND = re.compile(r"^\\newcommand\{\\([^}]*)\}", re.MULTILINE)
HOSTILE = r"a_b #1 50% x & y ~z ^2 {set} back\slash <w, v> |w| " + '"q"' + r" `t` -- 1 ‖w‖ ≤ β → ∞ 😀 $x$"


@pytest.fixture(scope="module")
def checked(chain_record) -> tuple[Registry, tuple]:
    """The real chain and its reports (the session's one complete check, tests/conftest.py: it takes seconds)."""
    return api.chain(), chain_record.reports


@pytest.fixture(scope="module")
def written(checked, tmp_path_factory) -> dict[str, bytes]:
    """The three files written for the real chain with values for the constant expressions."""
    registry, reports = checked
    out = tmp_path_factory.mktemp("latex")
    paths = write_latex(registry, reports, out, evaluate=_constant_value)
    return {path.name: path.read_bytes() for path in paths}


def _constant_value(expr: sp.Expr) -> str | None:
    """A stand-in for the certified evaluator: a value only when the expression has no free symbol."""
    return None if expr.free_symbols else "1.5e-3"


def _macro_names(text: str) -> list[str]:
    return NEWCOMMAND.findall(text)


def _theorems(registry: Registry) -> list[Lemma]:
    return [lemma for lemma in registry.ordered() if lemma.kind == "theorem"]


def _hostile_chain() -> tuple[Registry, tuple]:
    """Two lemmas whose names, statements, sources, scopes, hypothesis texts and sentences hold special text."""
    x = sp.Symbol("x", positive=True)
    y = sp.Symbol("y_<odd>", positive=True)
    registry = Registry("hostile & #chain_1")
    registry.register(
        Lemma(
            name="base_lemma_1",
            statement=HOSTILE,
            source="source: " + HOSTILE,
            scope="scope: " + HOSTILE,
            doc="**Bold** ``code_x`` and :mod:`some_module` then " + HOSTILE,
            constants={"c_1": 2 * x, "value": x + 1},
            claims=(Claim("main", x, "<=", x + 1, calc(("<=", x + 1, "why: " + HOSTILE))),),
        )
    )
    cite = Hypothesis("cited_h", y, "<=", y + 1, by="base_lemma_1#main", instance={x: y})
    assume = Hypothesis("assumed_h", y, ">=", sp.S.Zero, text="text: " + HOSTILE)
    registry.register(
        Lemma(
            name="top_theorem",
            kind="theorem",
            statement="the top",
            source="derived here",
            depends_on=("base_lemma_1",),
            hypotheses=(assume,),
            bound=y + 1,
            meta={"bounds": "gap & <more>", "holds": None},
            claims=(Claim("main", y, "<=", y + 1, calc(("<=", y + 1, "cite", Algebra())), hypotheses=(cite,)),),
        )
    )
    return registry, tuple(check_lemmas(registry.ordered()))


def test_macros_are_valid_latex_control_words_and_unique(checked, written):
    registry, _ = checked
    names = _macro_names(written[MACROS_FILE].decode("ascii"))
    assert all(re.fullmatch(r"[A-Za-z]+", name) for name in names), [n for n in names if not n.isalpha()]
    assert len(names) == len(set(names))
    expected = sum(len(lemma.constants) for lemma in registry) + len(_theorems(registry))
    assert len([n for n in names if not n.endswith("Value")]) == expected
    for theorem in _theorems(registry):
        assert macro_name("rlhf", theorem.name, "bound") in names
    # The rule: CamelCase of lemma and constant, digits spelled out, letters kept as they are.
    assert macro_name("rlhf", "ga_last_dist_le_of_coverage", "rho") == "rlhfGaLastDistLeOfCoverageRho"
    assert macro_name("rlhf", "lemma_2", "L_prime", "x10") == "rlhfLemmaTwoLPrimeXOneZero"
    for bad in ("β", "a-b", "", "_"):
        with pytest.raises(MacroNameError):
            macro_name("rlhf", bad)
    with pytest.raises(MacroNameError):
        macro_name("rlhf2", "a")


def test_colliding_macro_names_fail_loudly():
    x = sp.Symbol("x", positive=True)
    claims = (Claim("main", x, "<=", x + 1, calc(("<=", x + 1, "one more"))),)
    twins = Registry("twins")
    twins.register(Lemma(name="a", statement="s", source="s", claims=claims, constants={"b_c": x, "bC": 2 * x}))
    with pytest.raises(MacroNameError, match=r"rlhfABC.*constant b_c of a.*constant bC of a"):
        macros_tex(twins)
    split = Registry("split")
    split.register(Lemma(name="a_b", statement="s", source="s", claims=claims, constants={"c": x}))
    split.register(Lemma(name="a", statement="s", source="s", claims=claims, constants={"b_c": x}))
    with pytest.raises(MacroNameError, match="rlhfABC"):
        macros_tex(split)
    value = Registry("value")  # a constant called "x_value" would collide with the Value twin of "x"
    value.register(Lemma(name="a", statement="s", source="s", claims=claims, constants={"x": x, "x_value": x}))
    with pytest.raises(MacroNameError, match="rlhfAXValue"):
        macros_tex(value)


def test_output_is_byte_identical_across_runs(checked, written, tmp_path):
    registry, reports = checked
    # Another process, with another hash seed (so another set iteration order), writes the same bytes; it runs
    # while this one renders again.
    pickled = tmp_path / "reports.pickle"
    pickled.write_bytes(pickle.dumps(reports))
    script = (
        "import pickle, sys\n"
        "from rlhfsym import api, latex\n"
        "reports = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "value = lambda expr: None if expr.free_symbols else '1.5e-3'\n"
        "latex.write_latex(api.chain(), reports, sys.argv[2], evaluate=value)\n"
    )
    seed = "2424" if os.environ.get("PYTHONHASHSEED") == "4242" else "4242"
    other = tmp_path / "other"
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(pickled), str(other)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        stderr=subprocess.PIPE,
    )
    # Timings differ from run to run and must not reach the output.
    retimed = tuple(dataclasses.replace(r, seconds=r.seconds * 7 + 123.456) for r in reports)
    again = write_latex(registry, retimed, tmp_path / "again", evaluate=_constant_value)
    assert {p.name: p.read_bytes() for p in again} == written
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    assert {p.name: p.read_bytes() for p in sorted(other.iterdir())} == written
    text = b"".join(written.values())
    assert text.isascii()
    assert b"seconds" not in text and b"123.456" not in text


def test_every_lemma_and_theorem_appears_in_the_appendix(checked, written):
    registry, reports = checked
    body = written[APPENDIX_BODY_FILE].decode("ascii")
    positions = []
    for lemma in registry.ordered():
        heading = rf"\subsection{{\texttt{{{escape_text(lemma.name)}}} ({lemma.kind})}}"
        assert body.count(heading) == 1, lemma.name
        positions.append(body.index(heading))
        section = body[positions[-1] :].split(r"\subsection{", 2)[1]
        report = next(r for r in reports if r.name == lemma.name)
        assert rf"\item[Status:] \textbf{{{report.status}}} ({report.n_steps} checked steps)" in section
        assert r"\item[Statement:]" in section  # as mathematics: see test_statements_are_rendered_from_the_claims
        assert rf"\item[Statement:] {escape_text(lemma.statement)}" not in section
        for claim in lemma.claims:
            assert latex._breakable(rf"\paragraph{{Claim \texttt{{{escape_text(claim.label)}}}:}}") in section
        assert section.count(r"\tag*{") == sum(len(claim.steps) for claim in lemma.claims)
        for dep in lemma.depends_on:
            assert rf"\ref{{rlhf:{dep.replace('_', '-')}}}" in section
        if lemma.kind == "theorem":
            for label in ("bounds", "iterate", "algorithm", "holds"):
                assert latex._breakable(f"{label}: \\texttt{{{escape_text(lemma.meta[label])}}}") in section
            for var, rate in report.rates.items():
                assert (
                    latex._breakable(f"in \\texttt{{{escape_text(var)}}}: \\texttt{{{escape_text(rate)}}}") in section
                )
    assert positions == sorted(positions), "lemmas must appear in dependency order"
    labels = set(re.findall(r"\\label\{([^}]*)\}", body))
    assert set(re.findall(r"\\ref\{([^}]*)\}", body)) <= labels
    assert rf"\input{{{APPENDIX_BODY_FILE.removesuffix('.tex')}}}" in written[APPENDIX_FILE].decode("ascii")


def test_free_text_is_escaped():
    registry, reports = _hostile_chain()
    assert [r.status for r in reports] == ["verified", "verified"]
    body = appendix_body_tex(registry, reports)
    escaped = (
        r"a\_b \#1 50\% x \& y \textasciitilde{}z \textasciicircum{}2 \{set\} back\textbackslash{}slash "
        r"\textless{}w, v\textgreater{} \textbar{}w\textbar{} {\ttfamily\char34}q{\ttfamily\char34} "
        r"{\ttfamily\char18}t{\ttfamily\char18} -{}- 1 \ensuremath{\|}w\ensuremath{\|} \ensuremath{\leq} "
        r"\ensuremath{\beta} \ensuremath{\to} \ensuremath{\infty} \texttt{[U+1F600]} \$x\$"
    )
    assert escape_text(HOSTILE) == escaped
    assert body.isascii()
    # In the body an escaped underscore or # may break the line after it.
    for field in ("source: ", "scope: ", "why: ", "text: "):
        assert latex._breakable(escape_text(field) + escaped) in body, field
    assert latex._breakable(escaped) == escaped.replace(r"\_", r"\_\allowbreak{}").replace(r"\#", r"\#\allowbreak{}")
    assert "% in words: " + latex._comment(HOSTILE) in body  # the statement's text survives only as a comment
    assert r"\texttt{base\_\allowbreak{}lemma\_\allowbreak{}1}" in body
    assert r"\texttt{hostile \& \#\allowbreak{}chain\_\allowbreak{}1}" in body
    assert r"\textbf{Bold} \texttt{code\_\allowbreak{}x} and \texttt{some\_\allowbreak{}module}" in body
    assert r"bounds: \texttt{gap \& \textless{}more\textgreater{}}" in body
    assert "holds:" not in body  # a label without a value is left out
    assert r"y_{\text{\textless{}odd\textgreater{}}}" in body  # an odd symbol name, set as text in math
    # No special character survives unescaped outside the commands the renderer writes itself.
    for line in body.splitlines():
        if line.startswith("%") or not any(token in line for token in ("a\\_b", "hostile")):
            continue
        text = re.sub(r"\\[A-Za-z]+|\\[#$%&_{}|\\]|\{|\}|\$[^$]*\$|-\{\}", "", line)
        assert not set(text) & set('#%&~^_<>|\\"`'), (line, text)
    macros = macros_tex(registry, reports)
    assert r"\newcommand{\rlhfBaseLemmaOneCOne}" in macros
    assert r"\newcommand{\rlhfTopTheoremBound}" in macros


def test_values_macros_use_the_evaluate_callback(checked, written, tmp_path):
    registry, reports = checked
    macros = written[MACROS_FILE].decode("ascii")
    valued = [n for n in _macro_names(macros) if n.endswith("Value")]
    for name in valued:
        assert f"\\newcommand{{\\{name}}}{{\\ensuremath{{1.5 \\times 10^{{-3}}}}}}" in macros
    # Only an expression without free symbols gets a value from this callback; a comment says why the others have
    # none.
    constant = {
        macro_name("rlhf", lemma.name, name)
        for lemma in registry.ordered()
        for name, expr in [*lemma.constants.items(), *([("bound", lemma.bound)] if lemma.bound is not None else [])]
        if not sp.sympify(expr).free_symbols
    }
    assert set(valued) == {name + "Value" for name in constant}
    without = len(_macro_names(macros)) - 2 * len(valued)
    assert macros.count("Value: the expression has symbols without values") == without

    calls: Counter = Counter()

    def value(expr: sp.Expr) -> str | None:
        calls[expr] += 1
        return None if "R" in {s.name for s in expr.free_symbols} else "0.25"

    paths = write_latex(registry, reports, tmp_path, evaluate=value)
    assert max(calls.values()) == 1, "evaluate is called once per expression"
    text = paths[0].read_text("ascii")
    names = _macro_names(text)
    for lemma in registry.ordered():
        items = dict(lemma.constants)
        if lemma.kind == "theorem":
            items["bound"] = lemma.bound
        for constant, expr in items.items():
            name = macro_name("rlhf", lemma.name, constant)
            assert (name + "Value" in names) == (value(expr) is not None), name
    assert any(n.endswith("Value") for n in names)
    assert r"{\ensuremath{0.25}}" in text
    assert r"certified upper value \ensuremath{0.25}" in paths[1].read_text("ascii")
    with pytest.raises(TypeError, match="must return a string or None"):
        macros_tex(registry, evaluate=lambda expr: 0.25)
    # Values without trailing zeros (the same numbers, written shortest).
    assert latex._value_tex("-2.50E+07") == r"\ensuremath{-2.5 \times 10^{7}}"
    assert latex._value_tex("2.00000") == r"\ensuremath{2}"
    assert latex._value_tex("0.0123000") == r"\ensuremath{0.0123}"
    assert latex._value_tex("100") == r"\ensuremath{100}"
    assert latex._value_tex("1.50e+00") == r"\ensuremath{1.5}"
    assert latex._value_tex("inf") == r"\ensuremath{\infty}"


def _pdflatex() -> str:
    found = shutil.which("pdflatex")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is missing and CI is set: install texlive-latex-base (.ci/run does)")
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base); with CI set this fails")
    return found


def _compile(pdflatex: str, folder: Path, main: str) -> str:
    """Run pdflatex on ``main`` in ``folder``; no error allowed; returns the log."""
    result = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", main],
        cwd=folder,
        capture_output=True,
        timeout=600,
    )
    log = (folder / main).with_suffix(".log").read_text("latin-1")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    assert result.returncode == 0 and not errors, (main, errors, log[-3000:])
    assert (folder / main).with_suffix(".pdf").stat().st_size > 0
    return log


def _overfull(log: str) -> list[str]:
    """The overfull boxes pdflatex reports (text or display sticking out of the margin), with their context."""
    lines = log.splitlines()
    return [
        " ".join(lines[i : i + 2])
        for i, line in enumerate(lines)
        if line.startswith(("Overfull \\hbox", "Overfull \\vbox"))
    ]


def _uses_every_macro(macros: str) -> str:
    uses = "\n".join(rf"\texttt{{{name}}}: \{name}, and in math $x = \{name}$.\par" for name in _macro_names(macros))
    return (
        "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
        f"\\input{{{MACROS_FILE.removesuffix('.tex')}}}\n"
        f"\\begin{{document}}\n{uses}\n\\end{{document}}\n"
    )


def test_appendix_compiles_with_pdflatex(written, tmp_path):
    pdflatex = _pdflatex()
    real = tmp_path / "real"
    real.mkdir()
    for name, data in written.items():
        (real / name).write_bytes(data)
    (real / "uses-macros.tex").write_text(_uses_every_macro(written[MACROS_FILE].decode("ascii")))
    assert _overfull(_compile(pdflatex, real, APPENDIX_FILE)) == []
    _compile(pdflatex, real, "uses-macros.tex")  # a test page setting every macro inline: only errors count
    # The hostile chain, with values for every macro, and the body \input in a paper of its own.
    registry, reports = _hostile_chain()
    hostile = tmp_path / "hostile"
    write_latex(registry, reports, hostile, evaluate=lambda expr: "2.5e-3")
    macros = (hostile / MACROS_FILE).read_text("ascii")
    assert set(_macro_names(macros)) == {
        *(f"rlhfBaseLemmaOne{name}{value}" for name in ("COne", "Value") for value in ("", "Value")),
        "rlhfTopTheoremBound",
        "rlhfTopTheoremBoundValue",
    }
    (hostile / "uses-macros.tex").write_text(_uses_every_macro(macros))
    (hostile / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
        f"\\appendix\n\\section{{Proofs}}\n\\input{{{APPENDIX_BODY_FILE.removesuffix('.tex')}}}\n\\end{{document}}\n"
    )
    for main in (APPENDIX_FILE, "uses-macros.tex", "paper.tex"):
        _compile(pdflatex, hostile, main)


#: The two theorems of the selected appendix below: a distance bound and a high-probability gap bound.
TWO_THEOREMS = ("ga_last_dist_le_of_coverage", "erm_gap_le_of_coverage")


def test_two_theorem_appendix_compiles_without_overfull_boxes(checked, tmp_path):
    pdflatex = _pdflatex()
    registry, reports = checked
    chosen = latex.select(registry, TWO_THEOREMS)
    write_latex(chosen, [r for r in reports if r.name in chosen], tmp_path, evaluate=_constant_value)
    assert _overfull(_compile(pdflatex, tmp_path, APPENDIX_FILE)) == []
    # A bad box is caught: a line wider than the page is reported by the same parser.
    (tmp_path / "wide.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nx \\rule{2\\textwidth}{1pt}\n\\end{document}\n"
    )
    assert len(_overfull(_compile(pdflatex, tmp_path, "wide.tex"))) == 1


def test_latex_doctests_pass():
    assert doctest.testmod(latex).failed == 0


def _chain_expressions(registry: Registry) -> list[sp.Expr]:
    """Every constant and bound of the chain, and both sides of every stated claim."""
    out = []
    for lemma in registry.ordered():
        out += [sp.sympify(e) for e in lemma.constants.values()]
        out += [lemma.bound] if lemma.bound is not None else []
    return out


def test_paper_term_order_writes_the_same_expression_in_the_papers_order(checked):
    registry, _ = checked
    eta, beta, gamma, B, S, y = sp.symbols("eta beta gamma B S y", positive=True)
    rho = 1 - eta * beta * gamma * sp.exp(-4 * B * S / beta)
    assert sp.latex(rho) == r"- \beta \eta \gamma e^{- \frac{4 B S}{\beta}} + 1"  # sympy's own order
    assert latex.PaperPrinter().doprint(rho) == r"1 - \eta \beta \gamma e^{- \frac{4 B S}{\beta}}"
    assert latex.PaperPrinter().doprint(y - 1) == "y - 1"
    assert latex.PaperPrinter().doprint(2 - y) == "2 - y"
    assert latex.PaperPrinter().doprint(-eta * y) == r"- \eta y"
    # Only the order changes: the terms and factors are those of the expression, for every expression of the chain.
    for expr in _chain_expressions(registry):
        for node in sp.preorder_traversal(expr):
            if isinstance(node, sp.Add):
                assert sp.Add(*latex.paper_terms(node)) == node
                assert sorted(map(sp.srepr, latex.paper_terms(node))) == sorted(map(sp.srepr, node.args))
            elif isinstance(node, sp.Mul):
                assert sp.Mul(*latex.paper_factors(node)) == node
    ga = registry.get("ga_last_dist_le_of_coverage")
    assert latex._Math(None).tex(ga.constants["rho"]) == r"1 - \eta \beta \gamma e^{- \frac{4 B S}{\beta}}"


def test_named_constants_are_macros_inside_the_bounds(checked, written):
    registry, _ = checked
    macros = written[MACROS_FILE].decode("ascii")
    body = written[APPENDIX_BODY_FILE].decode("ascii")
    assert r"\providecommand{\rlhfRho}{\rho}" in macros and r"\providecommand{\rlhfRho}{\rho}" in body
    assert r"\providecommand{\rlhfL}{L}" in macros
    bound = re.search(r"\\newcommand\{\\rlhfGaLastDistLeOfCoverageBound\}\{(.*)\}$", macros, re.MULTILINE)
    assert bound is not None and r"\rlhfRho^{T}" in bound.group(1), bound
    rewritten = 0
    for lemma in registry.ordered():
        named = latex.named_constants(lemma)
        assert all(latex.is_symbol_name(name) for name, _ in named)
        for expr in [lemma.bound] if lemma.bound is not None else []:
            written_with = latex.with_constants(expr, named)
            rewritten += written_with != expr
            # The rewritten bound is the bound: with the constants' values put back, sympy finds no difference.
            assert sp.simplify(latex._unfold(written_with, named) - expr) == 0, lemma.name
    assert rewritten >= 5
    # A substitution that would not be exact is not made; multiples of a sum are found.
    x, z = sp.symbols("x z", positive=True)
    L = latex._constant_symbol("L")
    assert latex.with_constants(2 * x + 2 * z, [("L", x + z)]) == 2 * L
    assert latex.with_constants(sp.sqrt(3 * x + 3 * z) + 1, [("L", x + z)]) == sp.sqrt(3 * L) + 1
    assert latex.with_constants(x + 2 * z, [("L", x + z)]) == x + 2 * z
    assert latex.with_constants(x * z / 2 + 1, [("c", x * z)]) == latex._constant_symbol("c") / 2 + 1
    assert latex.with_constants(x + 1, [("c", x * z)]) == x + 1
    assert [latex.is_symbol_name(n) for n in ("rho", "L_prime", "eta_t", "lipschitz", "floor")] == [
        True, True, True, False, False,
    ]  # fmt: skip


def test_statements_are_rendered_from_the_claims(checked, written):
    registry, _ = checked
    body = written[APPENDIX_BODY_FILE].decode("ascii")
    for lemma in registry.ordered():
        section = body.split(rf"\subsection{{\texttt{{{escape_text(lemma.name)}}} ({lemma.kind})}}", 1)[1]
        statement = section.split(r"\item[Statement:]", 1)[1].split(r"\item[Source:]", 1)[0]
        assert r"\begin{align*}" in statement, lemma.name
        conditions = latex._conditions(lemma, latex._stated_claims(lemma))
        for h in conditions:
            if h.kind == "parameter":
                assert "(a parameter condition)" in statement, (lemma.name, h.name)
            if h.kind == "asserted":
                assert "(asserted, not checked)" in statement, (lemma.name, h.name)
        assert ("If " in statement) == bool(conditions) or lemma.kind == "external"
        for claim in latex._stated_claims(lemma):
            lhs = latex._Math(None).tex(claim.lhs)
            if latex._glyphs(lhs) <= latex._WIDTH // 2:
                assert lhs in statement, (lemma.name, claim.label)
    ga = body.split(r"\subsection{\texttt{ga\_last\_dist\_le\_of\_coverage} (theorem)}", 1)[1]
    statement = ga.split(r"\item[Source:]", 1)[0]
    assert r"\frac{S \rlhfRho^{T}}{\beta}" in statement
    assert r"where $\rlhfRho = 1 - \eta \beta \gamma e^{- \frac{4 B S}{\beta}}$." in statement


def test_long_expressions_are_broken_into_lines_of_bounded_width(checked):
    registry, _ = checked
    math = latex._Math(None)
    longest = 0
    for lemma in registry.ordered():
        for claim in lemma.claims:
            for expr in (claim.lhs, claim.rhs, *(step.rhs for step in claim.steps)):
                rows = math.rows(expr)
                longest = max(longest, latex._glyphs(math.tex(expr)))
                # No row wider than the line (give or take the bracket or sign a break puts in front of it).
                for row in rows:
                    assert latex._glyphs(row) <= 1.1 * latex._WIDTH, (lemma.name, row[:200])
    assert longest > 4 * latex._WIDTH  # the chain has expressions that need breaking


def test_lemma_selection_is_the_citation_closure(checked, written):
    registry, reports = checked
    chosen = latex.select(registry, TWO_THEOREMS)
    names = {lemma.name for lemma in chosen}
    assert set(TWO_THEOREMS) <= names
    for lemma in chosen:  # closed under depends_on
        assert set(lemma.depends_on) <= names, lemma.name
    for name in names - set(TWO_THEOREMS):  # and nothing more: each lemma is needed by a chosen theorem
        assert any(name in _closure(registry, t) for t in TWO_THEOREMS), name
    order = [lemma.name for lemma in chosen.ordered()]
    for lemma in chosen.ordered():  # a dependency order: every dependency before its users
        assert all(order.index(dep) < order.index(lemma.name) for dep in lemma.depends_on), lemma.name
    assert len(chosen) < len(registry)
    assert latex.select(registry, None) is registry
    with pytest.raises(KeyError, match="no lemma 'nope'"):
        latex.select(registry, ["nope"])
    body = appendix_body_tex(chosen, [r for r in reports if r.name in names])
    assert body.count(r"\subsection{") == len(names)
    assert set(re.findall(r"\\ref\{([^}]*)\}", body)) <= set(re.findall(r"\\label\{([^}]*)\}", body))


def _closure(registry: Registry, name: str) -> set[str]:
    lemma = registry.get(name)
    return {name}.union(*(_closure(registry, dep) for dep in lemma.depends_on))


def test_latex_command_refuses_an_unknown_lemma_before_any_work(tmp_path):
    out = tmp_path / "tex"
    result = subprocess.run(
        [sys.executable, "-m", "rlhfsym", "latex", "--out", str(out), "--lemma", "nope"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "unknown lemma nope" in result.stderr, result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_docs_show_a_rendered_page_of_the_two_theorem_appendix():
    docs = Path(__file__).resolve().parent.parent / "docs"
    page = docs / "latex-page.png"
    assert page.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert page.stat().st_size < 200_000
    text = (docs / "latex.md").read_text(encoding="utf-8")
    assert "](latex-page.png)" in text
    assert all(f"--lemma {name}" in text for name in TWO_THEOREMS)


def test_a_long_product_breaks_between_factors_and_a_long_range_is_named():
    x, y = sp.symbols("x y", positive=True)
    factors = [sp.Add(*(sp.Symbol(f"a{i}_{j}") for j in range(12))) for i in range(3)]
    product = sp.Mul(*factors)
    math = latex._Math(None)
    rows = math.rows(product)
    assert len(rows) > 1 and all(latex._glyphs(r) <= latex._WIDTH for r in rows)
    assert all(r.startswith(r"\times ") for r in rows[1:])
    # Factors that fit one by one beside one that must break inside: every line fits.
    wide = sp.Mul(*factors[:2], sp.Add(*(sp.Symbol(f"b_{j}") for j in range(40))))
    assert all(latex._glyphs(r) <= 1.1 * latex._WIDTH for r in math.rows(wide))
    named: list = []
    tex = latex._short_or_named(math, named)
    assert tex(x + y) == "x + y" and named == []
    assert tex(product) == r"\mathcal{E}_{1}" and named == [product]
    shown = latex._named_rows(math, named)
    assert shown[0].startswith(r"\mathcal{E}_{1} &= ") and len(shown) == len(rows)
