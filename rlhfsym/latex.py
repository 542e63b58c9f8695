r"""LaTeX for any lemma chain: a macros file and a proof appendix, generated from the chain and its check reports.

Produced (by :func:`write_latex`, or as text by the pure functions):

* ``rlhfsym-macros.tex`` (:func:`macros_tex`) -- one ``\newcommand`` per derived constant of every lemma
  (``Lemma.constants``) and one per theorem bound (``Lemma.bound``), each preceded by a ``%`` comment naming the
  lemma, what the macro holds, the checker's status and, for a theorem, its labels and rates. Each body is
  wrapped in ``\ensuremath``, so a macro works in text and in math. With an ``evaluate`` callback a second
  macro ``...Value`` holds the certified upper value the callback returns.
* ``rlhfsym-appendix-body.tex`` (:func:`appendix_body_tex`) -- every lemma and theorem in dependency order:
  kind, status, statement, source, scope, dependencies (``\ref``), constants, bound, labels and rates,
  hypotheses (assumptions, and citations ``by=lemma#claim`` with their substitution), each claim's proof as an
  aligned calc chain ``lhs REL e_1 REL e_2 ...`` with the rule, the sentence and the status of every step, and
  the lemma's notes (its docstring). A paper ``\input``-s it (it needs ``amsmath`` and ``amssymb``).
* ``rlhfsym-appendix.tex`` (:func:`appendix_tex`) -- a standalone ``article`` that ``\input``-s the body.

**Macro naming rule.** ``\`` + prefix (default ``rlhf``) + CamelCase(lemma name) + CamelCase(constant name), or
+ ``Bound`` for a theorem's bound; + ``Value`` for the certified value. CamelCase splits an identifier at
underscores, writes every digit as its English word (``0`` -> ``Zero``, ..., ``9`` -> ``Nine``), capitalises the
first letter of each piece (and of letters that follow a digit) and keeps the other letters as they are:
``ga_last_dist_le_of_coverage`` + ``rho`` gives ``\rlhfGaLastDistLeOfCoverageRho``, ``L_prime`` gives ``LPrime``,
``x2`` gives ``XTwo``. The result has letters only, so it is a valid control word. Two macros with one name, or
a name that cannot be written with ASCII letters, raise :class:`MacroNameError` naming both sources.

**Symbols.** A symbol is rendered from its name, never from sympy's internal counters: a parameter of the RLHF
setting by :data:`PARAMETER_SYMBOLS`, the TeX column of the parameter table (``beta`` -> ``\beta``, ``gamma_D`` ->
``\gamma_{D}``, ``residual`` -> ``r_{\perp}``), any other name by :func:`symbol_tex` (a Greek name becomes its
letter, trailing digits and the parts after underscores become subscripts, other words are set upright).

Every piece of free text (names, statements, sentences) goes through :func:`escape_text`. The output is plain
ASCII and byte-identical across runs and processes: no timestamps, no timings, no floats, no set order.

>>> escape_text("a_b <= 50% & c~d")
'a\\_b \\textless{}= 50\\% \\& c\\textasciitilde{}d'
>>> macro_name("rlhf", "ga_last_dist_le_of_coverage", "rho")
'rlhfGaLastDistLeOfCoverageRho'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import sympy as sp

from .chain import Claim, Hypothesis, Lemma, LemmaReport, Registry, trusted_externals
from .rules import RULES

__all__ = [
    "APPENDIX_BODY_FILE",
    "APPENDIX_FILE",
    "MACROS_FILE",
    "PARAMETER_SYMBOLS",
    "Evaluate",
    "MacroNameError",
    "appendix_body_tex",
    "appendix_tex",
    "escape_text",
    "macro_name",
    "macros_tex",
    "symbol_tex",
    "write_latex",
]

MACROS_FILE = "rlhfsym-macros.tex"
APPENDIX_BODY_FILE = "rlhfsym-appendix-body.tex"
APPENDIX_FILE = "rlhfsym-appendix.tex"

#: A callback giving a certified upper value of an expression, already rounded up, as a decimal string
#: (``"0.0123"``, ``"1.5e-3"``), or None when the expression has symbols without values.
Evaluate = Callable[[sp.Expr], "str | None"]

#: How the parameters of the RLHF setting are typeset (by symbol name; the ``tex`` column of the parameter table
#: :data:`rlhfsym.rules.RULES`); other names follow :func:`symbol_tex`.
PARAMETER_SYMBOLS: Mapping[str, str] = {name: rule.tex for name, rule in RULES.items()}

_REL_TEX = {"==": "=", "<=": r"\leq", ">=": r"\geq"}
_DIGITS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
_GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi psi "
    "omega varepsilon vartheta varpi varrho varsigma varphi".split()
)
_GREEK_UPPER = frozenset("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split())
_GREEK_AS_LATIN = {
    "Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I", "Kappa": "K", "Mu": "M",
    "Nu": "N", "Omicron": "O", "omicron": "o", "Rho": "P", "Tau": "T", "Chi": "X",
}  # fmt: skip
#: Longest LaTeX source of one displayed line before a sum is broken over several lines (at its terms).
_LINE = 220
#: Longest LaTeX source of a relation kept inline in a sentence; longer ones are displayed.
_INLINE = 160
_STATUS_WORDS = {"verified": "verified", "failed": "failed", "undecided": "undecided"}
_UNCHECKED = "not checked"


class MacroNameError(ValueError):
    """Two macros would get the same name, or a name cannot be written as a LaTeX control word."""


# --------------------------------------------------------------------------------------------- names and text


def _camel(identifier: str) -> str:
    """CamelCase of an identifier, letters only: pieces split at non-alphanumerics, digits spelled out."""
    out = []
    for piece in re.split(r"[^0-9A-Za-z]+", identifier):
        words = re.findall(r"[A-Za-z]+|[0-9]", piece)
        out.extend(_DIGITS[int(w)] if w.isdigit() else w[0].upper() + w[1:] for w in words)
    return "".join(out)


def macro_name(prefix: str, *parts: str) -> str:
    """The control word (without the backslash) ``prefix`` + CamelCase of every part; see the module docstring.

    Raises :class:`MacroNameError` if a part has characters other than ASCII letters, digits and underscores or
    gives no letters at all.
    """
    if not re.fullmatch(r"[A-Za-z]+", prefix):
        raise MacroNameError(f"macro prefix {prefix!r}: must be ASCII letters only")
    for part in parts:
        if not re.fullmatch(r"[0-9A-Za-z_]*[0-9A-Za-z][0-9A-Za-z_]*", part):
            raise MacroNameError(f"{part!r} cannot be part of a LaTeX control word (ASCII letters, digits, _ only)")
    return prefix + "".join(_camel(part) for part in parts)


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"{\ttfamily\char34}",
    "`": r"{\ttfamily\char18}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
# Non-ASCII characters that may appear in docstrings; anything else is written as its code point.
_UNICODE = {
    "\u2016": r"\ensuremath{\|}",
    "\u2225": r"\ensuremath{\|}",
    "\u2264": r"\ensuremath{\leq}",
    "\u2265": r"\ensuremath{\geq}",
    "\u2260": r"\ensuremath{\neq}",
    "\u2208": r"\ensuremath{\in}",
    "\u2192": r"\ensuremath{\to}",
    "\u21a6": r"\ensuremath{\mapsto}",
    "\u00d7": r"\ensuremath{\times}",
    "\u00b7": r"\ensuremath{\cdot}",
    "\u2212": "-",
    "\u2013": "--",
    "\u2014": "---",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2026": r"\ldots{}",
    "\u221e": r"\ensuremath{\infty}",
    "\u221a": r"\ensuremath{\surd}",
    "\u27e8": r"\ensuremath{\langle}",
    "\u27e9": r"\ensuremath{\rangle}",
    "\u22a5": r"\ensuremath{\perp}",
    "\u2211": r"\ensuremath{\sum}",
    "\u00a0": "~",
}
_GREEK_CHARS = {
    chr(0x3B1 + i): name
    for i, name in enumerate(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma sigma tau "
        "upsilon phi chi psi omega".split()
    )
}


def _escape_char(ch: str) -> str:
    if ch in _TEXT_ESCAPES:
        return _TEXT_ESCAPES[ch]
    if " " <= ch <= "~":
        return ch
    if ch in _UNICODE:
        return _UNICODE[ch]
    if ch in _GREEK_CHARS:
        name = _GREEK_CHARS[ch]
        return name if name == "o" else rf"\ensuremath{{\{name}}}"
    if ch < " " or ch == "\x7f":
        return " "
    return rf"\texttt{{[U+{ord(ch):04X}]}}"


def escape_text(text: str) -> str:
    """``text`` safe in LaTeX text mode: special characters escaped, ``<``, ``>``, ``|`` as text symbols,
    ``--`` kept as two hyphens, line breaks as spaces, non-ASCII characters as commands (the result is ASCII)."""
    out = "".join(_escape_char(ch) for ch in text)
    return re.sub(r"-(?=-)", "-{}", out)


def _comment(text: str) -> str:
    """One line of a ``%`` comment: control characters and line breaks become spaces (the text is kept as is)."""
    return "".join(ch if " " <= ch <= "~" else " " for ch in text).rstrip()


def _tt(text: str) -> str:
    return rf"\texttt{{{escape_text(text)}}}"


def _label_tt(text: str) -> str:
    """A ``description`` label: the text in typewriter, upright and not bold (no bullet, no text-companion font)."""
    return rf"{{\normalfont\texttt{{{escape_text(text)}}}}}"


def _label(prefix: str, lemma: str) -> str:
    return f"{prefix}:{lemma.replace('_', '-')}"


# --------------------------------------------------------------------------------------------- symbols and math


_ALNUM = re.compile(r"[A-Za-z0-9]+")


def _piece_tex(piece: str) -> str:
    """One piece of a symbol name: a Greek name, a letter, digits, a word (upright), or letters then digits."""
    if piece.isdigit() or len(piece) == 1:
        return piece
    if piece in _GREEK or piece in _GREEK_UPPER:
        return "\\" + piece
    if piece in _GREEK_AS_LATIN:
        return _GREEK_AS_LATIN[piece]
    split = re.fullmatch(r"([A-Za-z]+)([0-9]+)", piece)
    if split:
        return _piece_tex(split.group(1)) + split.group(2)
    return rf"\mathrm{{{piece}}}"


def symbol_tex(name: str) -> str:
    r"""How a symbol called ``name`` is typeset: :data:`PARAMETER_SYMBOLS` first; otherwise the part before the
    first underscore is the base (a Greek name becomes its letter, a longer word is set upright, trailing digits
    move to the subscript) and the parts after underscores are subscripts, separated by commas.

    >>> symbol_tex("gamma_D"), symbol_tex("phi1_2"), symbol_tex("E_sqrt_g"), symbol_tex("dev")
    ('\\gamma_{D}', '\\phi_{1,2}', 'E_{\\mathrm{sqrt},g}', '\\mathrm{dev}')
    """
    if name in PARAMETER_SYMBOLS:
        return PARAMETER_SYMBOLS[name]
    base, *subs = [p for p in name.split("_") if p] or [name]
    digits = re.fullmatch(r"(.*[A-Za-z])([0-9]+)", base)
    if digits:
        base, subs = digits.group(1), [digits.group(2), *subs]
    tex = _piece_tex(base) if _ALNUM.fullmatch(base) else rf"\text{{{escape_text(base)}}}"
    if subs:
        tex += (
            "_{" + ",".join(_piece_tex(s) if _ALNUM.fullmatch(s) else rf"\text{{{escape_text(s)}}}" for s in subs) + "}"
        )
    return tex


class _Math:
    """sympy's ``latex`` with every symbol typeset by name (no Dummy counters) through one fixed mapping."""

    def __init__(self, overrides: Mapping[str, str] | None) -> None:
        self.overrides = dict(overrides or {})

    def _names(self, expr: sp.Basic) -> dict[sp.Symbol, str]:
        symbols = (s for s in expr.free_symbols if isinstance(s, sp.Symbol))
        return {s: self.overrides.get(s.name, symbol_tex(s.name)) for s in symbols}

    @staticmethod
    def _plain(expr: sp.Basic) -> sp.Basic:
        """Dummies replaced by symbols numbered 1, 2, ... in their order of creation within ``expr`` (their base
        name kept, ``i7`` -> ``i1``), so that nothing depends on global counters or on the order of imports."""
        dummies = sorted(expr.atoms(sp.Dummy), key=lambda d: d.dummy_index)
        if not dummies:
            return expr
        names = {d: f"{d.name.rstrip('0123456789') or 'i'}{k}" for k, d in enumerate(dummies, start=1)}
        return expr.xreplace({d: sp.Symbol(names[d], **d.assumptions0) for d in dummies})

    def tex(self, expr: sp.Basic) -> str:
        expr = self._plain(sp.sympify(expr, strict=True))
        return sp.latex(expr, symbol_names=self._names(expr))

    def rows(self, expr: sp.Basic) -> list[str]:
        """``expr`` as one or more lines: a long sum is broken before its terms (at most about ``_LINE`` chars)."""
        expr = self._plain(sp.sympify(expr, strict=True))
        whole = self.tex(expr)
        if len(whole) <= _LINE or not isinstance(expr, sp.Add):
            return [whole]
        rows: list[str] = []
        for i, term in enumerate(expr.as_ordered_terms()):
            if i == 0:
                piece = self.tex(term)
            elif term.could_extract_minus_sign():
                piece = "- " + self.tex(-term)
            else:
                piece = "+ " + self.tex(term)
            if rows and len(rows[-1]) + len(piece) + 1 <= _LINE and i > 0:
                rows[-1] += " " + piece
            else:
                rows.append(piece)
        return rows


def _relation_rows(math: _Math, lhs: sp.Expr, rel: str, rhs: sp.Expr) -> list[str]:
    """Rows of an ``align*`` showing ``lhs REL rhs``, broken at the terms of long sums."""
    left, right = math.rows(lhs), math.rows(rhs)
    rows = [f"& {left[0]}"] + [rf"& \quad {r}" for r in left[1:]]
    rows.append(rf"{{}}{_REL_TEX[rel]}{{}} & {right[0]}")
    rows += [rf"& \quad {r}" for r in right[1:]]
    return rows


def _align(rows: list[str]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _inline_or_display(math: _Math, lhs: sp.Expr, rel: str, rhs: sp.Expr) -> str:
    """``$lhs REL rhs$`` when short, else a displayed ``align*`` broken at the terms of long sums."""
    text = f"{math.tex(lhs)} {_REL_TEX[rel]} {math.tex(rhs)}"
    if len(text) <= _INLINE:
        return f"${text}$"
    return _align(_relation_rows(math, lhs, rel, rhs))


def _expr_inline_or_display(math: _Math, expr: sp.Expr) -> str:
    """``$= expr$`` when short, else a displayed ``align*`` starting with ``=``, broken at the terms of sums."""
    text = math.tex(expr)
    if len(text) <= _INLINE:
        return f"$= {text}$"
    rows = math.rows(expr)
    return _align([f"{{}}={{}} & {rows[0]}"] + [rf"& \quad {r}" for r in rows[1:]])


_NUMBER = re.compile(r"([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?")


def _value_tex(value: str) -> str:
    """A value from the ``evaluate`` callback: a decimal number in math (``1.5e-3`` as ``1.5 \\times 10^{-3}``),
    infinity as ``\\infty``, anything else as escaped text."""
    text = value.strip()
    number = _NUMBER.fullmatch(text)
    if number:
        sign, mantissa, exponent = number.groups()
        sign = "-" if sign == "-" else ""
        power = rf" \times 10^{{{int(exponent)}}}" if exponent is not None else ""
        return rf"\ensuremath{{{sign}{mantissa}{power}}}"
    if text.lower().lstrip("+") in ("inf", "infinity", "oo"):
        return r"\ensuremath{\infty}"
    return escape_text(text)


# --------------------------------------------------------------------------------------------- inputs


def _report_map(registry: Registry, reports: Iterable[LemmaReport]) -> dict[str, LemmaReport]:
    """Reports by lemma name; a report for an unknown lemma, or two for one lemma, is an error."""
    found: dict[str, LemmaReport] = {}
    for report in reports:
        if not isinstance(report, LemmaReport):
            raise TypeError(f"reports: expected LemmaReport objects, got {type(report).__name__}")
        if report.name not in registry:
            raise ValueError(f"reports: a report for {report.name!r}, which is not in chain {registry.name}")
        if report.name in found:
            raise ValueError(f"reports: two reports for {report.name!r}")
        found[report.name] = report
    return found


_Value = Callable[[str, sp.Expr], "str | None"]


def _valued(evaluate: Evaluate | None) -> _Value:
    """``value(macro, expr)``: ``evaluate(expr)`` checked to be a string or None, once per expression."""
    if evaluate is not None and not callable(evaluate):
        raise TypeError(f"evaluate must be a callable or None, got {type(evaluate).__name__}")
    cache: dict[sp.Expr, str | None] = {}

    def value(what: str, expr: sp.Expr) -> str | None:
        if evaluate is None:
            return None
        if expr not in cache:
            result = evaluate(expr)
            if result is not None and not isinstance(result, str):
                raise TypeError(f"evaluate({what}) must return a string or None, got {type(result).__name__}")
            cache[expr] = result
        return cache[expr]

    return value


def _memo(evaluate: Evaluate) -> Evaluate:
    """``evaluate`` called at most once per expression (the macros and the appendix show the same values)."""
    if not callable(evaluate):
        raise TypeError(f"evaluate must be a callable or None, got {type(evaluate).__name__}")
    cache: dict[sp.Expr, object] = {}

    def cached(expr: sp.Expr) -> str | None:
        if expr not in cache:
            cache[expr] = evaluate(expr)
        return cache[expr]  # type: ignore[return-value]

    return cached


_META_ORDER = ("bounds", "iterate", "algorithm", "holds")


def _labels(lemma: Lemma) -> list[tuple[str, str]]:
    """A theorem's labels that have a value: the usual ones first, then the others by name."""
    meta = {k: v for k, v in lemma.meta.items() if v is not None and str(v) != ""}
    keys = [k for k in _META_ORDER if k in meta] + sorted(k for k in meta if k not in _META_ORDER)
    return [(k, str(meta[k])) for k in keys]


def _rates(lemma: Lemma, report: LemmaReport | None) -> list[tuple[str, str, str]]:
    """``(variable, computed, stated)`` for every stated rate, in the lemma's order (computed '' if unchecked)."""
    computed = report.rates if report is not None else {}
    return [(var, computed.get(var, ""), stated) for var, stated in lemma.rates.items()]


def _status(report: LemmaReport | None) -> str:
    return _UNCHECKED if report is None else _STATUS_WORDS.get(report.status, report.status)


# --------------------------------------------------------------------------------------------- macros


def _macro_entries(registry: Registry, prefix: str) -> list[tuple[Lemma, str | None, sp.Expr, str]]:
    """``(lemma, constant name or None for the bound, expression, macro name)`` in dependency order, every name
    (and its ``Value`` twin) checked to be unique."""
    entries = []
    owners: dict[str, str] = {}
    for lemma in registry.ordered():
        items: list[tuple[str | None, sp.Expr]] = list(lemma.constants.items())
        if lemma.kind == "theorem" and lemma.bound is not None:
            items.append((None, lemma.bound))
        for constant, expr in items:
            name = macro_name(prefix, lemma.name, "bound" if constant is None else constant)
            what = f"the bound of {lemma.name}" if constant is None else f"constant {constant} of {lemma.name}"
            for taken in (name, name + "Value"):
                if taken in owners:
                    raise MacroNameError(f"macro \\{taken} would name both {owners[taken]} and {what}")
                owners[taken] = what
            entries.append((lemma, constant, sp.sympify(expr, strict=True), name))
    return entries


def macros_tex(
    registry: Registry,
    reports: Iterable[LemmaReport] = (),
    *,
    evaluate: Evaluate | None = None,
    prefix: str = "rlhf",
    symbol_names: Mapping[str, str] | None = None,
) -> str:
    r"""The macros file: ``\newcommand`` per derived constant and per theorem bound (and per value with
    ``evaluate``), each after a comment naming its lemma, what it is, the status and a theorem's labels."""
    by_name = _report_map(registry, reports)
    value = _valued(evaluate)
    math = _Math(symbol_names)
    out = [
        f"% {MACROS_FILE}: generated by rlhfsym.latex from the chain {_comment(registry.name)}; do not edit.",
        f"% One macro per derived constant, \\{prefix}<Lemma><Constant>, and per theorem bound, \\{prefix}<Lemma>Bound",
        "% (CamelCase of the names, digits spelled out); <...>Value holds a certified upper value, rounded up.",
        r"% Every body is wrapped in \ensuremath: use the macros in text or in math. Needs amsmath and amssymb.",
    ]
    for lemma, constant, expr, name in _macro_entries(registry, prefix):
        report = by_name.get(lemma.name)
        if constant is None:
            labels = "; ".join(f"{k}: {v}" for k, v in _labels(lemma))
            rates = ", ".join(f"{var}: {computed or stated}" for var, computed, stated in _rates(lemma, report))
            details = "; ".join(x for x in (labels, f"rates {rates}" if rates else "") if x)
            head = f"% theorem {lemma.name}: its bound ({details}); status {_status(report)}"
        else:
            head = f"% {lemma.kind} {lemma.name}: derived constant {constant}; status {_status(report)}"
        out += ["", _comment(head), f"\\newcommand{{\\{name}}}{{\\ensuremath{{{math.tex(expr)}}}}}"]
        result = value(name, expr)
        if result is None:
            if evaluate is not None:
                out.append(f"% no \\{name}Value: the expression has symbols without values")
        else:
            out.append(f"% certified upper value of \\{name}, rounded up")
            out.append(f"\\newcommand{{\\{name}Value}}{{{_value_tex(result)}}}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------- appendix


_RST = re.compile(r"\*\*(?P<bold>[^*]+)\*\*|``(?P<code>[^`]+)``|:[a-z]+:`~?(?P<ref>[^`]+)`|`(?P<tick>[^`]+)`")


def _prose(text: str) -> str:
    """A docstring paragraph: ``**bold**``, ````code```` and ``:role:`target``` turned into LaTeX, the rest escaped."""
    out, last = [], 0
    for match in _RST.finditer(text):
        out.append(escape_text(text[last : match.start()]))
        if match.group("bold") is not None:
            out.append(rf"\textbf{{{escape_text(match.group('bold'))}}}")
        elif match.group("ref") is not None:
            out.append(_tt(match.group("ref")))
        else:
            out.append(_tt(match.group("code") or match.group("tick")))
        last = match.end()
    out.append(escape_text(text[last:]))
    return "".join(out)


def _notes(doc: str) -> list[str]:
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", doc)]
    return [_prose(p) for p in paragraphs if p.strip()]


def _ref(prefix: str, name: str, registry: Registry) -> str:
    if name in registry:
        return rf"{_tt(name)}~(\ref{{{_label(prefix, name)}}})"
    return _tt(name)


def _hypothesis(h: Hypothesis, math: _Math, prefix: str, registry: Registry, owner: str) -> str:
    parts = [rf"\item[{_label_tt(h.name)}] {_inline_or_display(math, h.lhs, h.rel, h.rhs)}"]
    if h.forall:
        parts.append("for every " + ", ".join(f"${math.tex(v)}$" for v in h.forall))
    if h.text:
        parts.append(rf"--- {escape_text(h.text)}")
    if h.by is not None:
        lemma = h.cited_lemma or owner
        target = _ref(prefix, lemma, registry) if h.cited_lemma else "this lemma"
        cite = rf"\emph{{cited}}: claim {_tt(h.cited_claim or '')} of {target}"
        if h.instance:
            subs = sorted(h.instance.items(), key=lambda kv: kv[0].name)
            cite += " with " + ", ".join(rf"${math.tex(k)} \mapsto {math.tex(v)}$" for k, v in subs)
        parts.append(f"({cite})")
    return " ".join(parts)


def _hypotheses(
    title: str, hyps: tuple[Hypothesis, ...], math: _Math, prefix: str, registry: Registry, owner: str
) -> list[str]:
    if not hyps:
        return []
    items = [_hypothesis(h, math, prefix, registry, owner) for h in hyps]
    return [rf"\textbf{{{title}.}}", r"\begin{description}", *items, r"\end{description}"]


def _trusted_claim(lemma: Lemma, claim: Claim, math: _Math, prefix: str, registry: Registry) -> list[str]:
    """A claim of an external fact: its statement, its hypotheses, and the word that it is taken on trust."""
    out = [rf"\paragraph{{Claim {_tt(claim.label)}:}} an external fact, \textbf{{taken on trust}} (not checked here)."]
    out += [""] if claim.hypotheses else []
    out += _hypotheses("Hypotheses of this claim", claim.hypotheses, math, prefix, registry, lemma.name)
    out.append(_align([rf"& {math.tex(claim.lhs)} {_REL_TEX[claim.rel]} {math.tex(claim.rhs)}"]))
    return out


def _claim(
    lemma: Lemma, claim: Claim, report: LemmaReport | None, math: _Math, prefix: str, registry: Registry
) -> list[str]:
    if claim.trusted:
        return _trusted_claim(lemma, claim, math, prefix, registry)
    steps = {} if report is None else {s.index: s for s in report.steps if s.claim == claim.label}
    checks = [] if report is None else [s for s in report.steps if s.claim == claim.label]
    conclusion = next((s for s in checks if s.rule == "conclusion"), None)
    citations = [s for s in checks if s.rule == "citation"]
    status = _UNCHECKED if conclusion is None else conclusion.status
    out = [
        rf"\paragraph{{Claim {_tt(claim.label)}:}} the first line ${_REL_TEX[claim.rel]}$ the last line of the chain "
        rf"below (that the chain composes to this: \textbf{{{status}}}).",
    ]
    out += [""] if claim.hypotheses else []
    out += _hypotheses("Hypotheses of this claim", claim.hypotheses, math, prefix, registry, lemma.name)
    rows = [f"& {r}" if i == 0 else rf"& \quad {r}" for i, r in enumerate(math.rows(claim.lhs))]
    for i, step in enumerate(claim.steps, start=1):
        right = math.rows(step.rhs)
        rows.append(rf"{{}}{_REL_TEX[step.rel]}{{}} & {right[0]} \tag*{{[{i}]}}")
        rows += [rf"& \quad {r}" for r in right[1:]]
    out.append(_align(rows))
    items = []
    for i, step in enumerate(claim.steps, start=1):
        checked = steps.get(i)
        word = _UNCHECKED if checked is None else checked.status
        detail = step.rule.describe_tex(math.tex)
        text = rf"\item[{{\normalfont[{i}]}}] \emph{{{escape_text(step.rule.label)}}}{detail}: "
        text += rf"{escape_text(step.why)} (\textbf{{{word}}})"
        if checked is not None and checked.status != "verified" and checked.detail:
            text += rf" --- {escape_text(checked.detail)}"
        items.append(text)
    out += [r"\begin{description}", *items, r"\end{description}"]
    if citations:
        cites = []
        for c in citations:
            text = rf"{escape_text(c.why)} (\textbf{{{c.status}}})"
            if c.status != "verified" and c.detail:
                text += rf" --- {escape_text(c.detail)}"
            cites.append(text)
        out.append("Citations checked for this claim: " + "; ".join(cites) + ".")
    return out


def _constants_block(lemma: Lemma, math: _Math, value: _Value, prefix: str) -> list[str]:
    if not lemma.constants:
        return []
    items = []
    for constant, expr in lemma.constants.items():
        item = rf"\item[{_label_tt(constant)}] {_expr_inline_or_display(math, expr)}"
        result = value(macro_name(prefix, lemma.name, constant), expr)
        if result is not None:
            item += rf" (certified upper value {_value_tex(result)})"
        items.append(item)
    return [r"\textbf{Derived constants.}", r"\begin{description}", *items, r"\end{description}"]


def _theorem_block(lemma: Lemma, report: LemmaReport | None, math: _Math, value: _Value, prefix: str) -> list[str]:
    if lemma.kind != "theorem" or lemma.bound is None:
        return []
    out = []
    labels = _labels(lemma)
    if labels:
        out.append(r"\textbf{Labels.} " + "; ".join(f"{escape_text(k)}: {_tt(v)}" for k, v in labels) + ".")
        out.append("")
    rates = _rates(lemma, report)
    if rates:
        shown = []
        for var, computed, stated in rates:
            if computed:
                shown.append(f"in {_tt(var)}: {_tt(computed)} (recomputed by the checker; stated {_tt(stated)})")
            else:
                shown.append(f"in {_tt(var)}: {_tt(stated)} (stated; not checked)")
        out.append(r"\textbf{Rates.} " + "; ".join(shown) + ".")
        out.append("")
    bound_check = None if report is None else next((s for s in report.steps if s.rule == "bound"), None)
    status = _UNCHECKED if bound_check is None else bound_check.status
    out.append(rf"\textbf{{Bound}} (the right-hand side of claim {_tt('main')}: \textbf{{{status}}}):")
    rows = math.rows(lemma.bound)
    out.append(_align([f"& {rows[0]}"] + [rf"& \quad {r}" for r in rows[1:]]))
    result = value(macro_name(prefix, lemma.name, "bound"), lemma.bound)
    if result is not None:
        out.append(rf"Certified upper value of the bound: {_value_tex(result)}.")
        out.append("")
    return out


def _trusted_base(lemma: Lemma, prefix: str, registry: Registry) -> str:
    """What a theorem rests on unchecked: the external facts reached through its citations (taken on trust) and
    its asserted conditions (a user guarantees them)."""
    facts = sorted(trusted_externals(lemma, {other.name: other for other in registry}))
    asserted = [h for h in lemma.all_hypotheses() if h.kind == "asserted"]
    external = ", ".join(_ref(prefix, f, registry) for f in facts) if facts else "none"
    conditions = "; ".join(rf"{_tt(h.name)} ({escape_text(h.text)})" for h in asserted) if asserted else "none"
    return f"external facts (taken on trust): {external}. Asserted conditions (not checked): {conditions}."


def _lemma_section(
    lemma: Lemma, report: LemmaReport | None, math: _Math, value: _Value, prefix: str, registry: Registry
) -> list[str]:
    status = _status(report)
    steps = "" if report is None else f" ({report.n_steps} checked steps)"
    head = [
        rf"\item[Status:] \textbf{{{escape_text(status)}}}{steps}",
        rf"\item[Statement:] {escape_text(lemma.statement)}",
        rf"\item[Source:] {escape_text(lemma.source)}",
    ]
    if lemma.scope:
        head.append(rf"\item[Scope:] {escape_text(lemma.scope)}")
    if lemma.depends_on:
        head.append(r"\item[Depends on:] " + ", ".join(_ref(prefix, d, registry) for d in lemma.depends_on))
    if lemma.kind == "theorem":
        head.append(r"\item[Trusted base:] " + _trusted_base(lemma, prefix, registry))
    if report is not None and report.problems:
        head.append(r"\item[Problems:] " + "; ".join(escape_text(p) for p in report.problems))
    out = [
        "",
        f"% ---- {lemma.kind} {lemma.name}",
        rf"\subsection{{{_tt(lemma.name)} ({escape_text(lemma.kind)})}}\label{{{_label(prefix, lemma.name)}}}",
        r"\begin{description}",
        *head,
        r"\end{description}",
    ]
    out += _theorem_block(lemma, report, math, value, prefix)
    out += _constants_block(lemma, math, value, prefix)
    out += _hypotheses("Hypotheses", lemma.hypotheses, math, prefix, registry, lemma.name)
    for claim in lemma.claims:
        out += _claim(lemma, claim, report, math, prefix, registry)
    notes = _notes(lemma.doc)
    if notes:
        out += ["", r"\textbf{Notes} (from the lemma's documentation)."]
        for paragraph in notes:
            out += [paragraph, ""]
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def appendix_body_tex(
    registry: Registry,
    reports: Iterable[LemmaReport],
    *,
    evaluate: Evaluate | None = None,
    prefix: str = "rlhf",
    symbol_names: Mapping[str, str] | None = None,
) -> str:
    r"""The appendix body, to ``\input`` in a paper (needs ``amsmath``, ``amssymb``): every lemma and theorem in
    dependency order as a ``\subsection`` labelled ``prefix:lemma-name`` (underscores as hyphens)."""
    macro_name(prefix)  # validates the prefix
    by_name = _report_map(registry, reports)
    value = _valued(evaluate)
    math = _Math(symbol_names)
    lemmas = registry.ordered()
    counts = {word: sum(_status(by_name.get(lemma.name)) == word for lemma in lemmas) for word in _STATUS_WORDS}
    unchecked = sum(lemma.name not in by_name for lemma in lemmas)
    theorems = sum(lemma.kind == "theorem" for lemma in lemmas)
    tally = ", ".join(f"{n} {word}" for word, n in counts.items()) + (f", {unchecked} not checked" if unchecked else "")
    out = [
        f"% {APPENDIX_BODY_FILE}: generated by rlhfsym.latex from the chain {_comment(registry.name)}; do not edit.",
        r"% \input this file where the appendix goes; it needs \usepackage{amsmath,amssymb}.",
        r"\begingroup",
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.6ex plus 0.3ex}",
        rf"This appendix lists the {_count(len(lemmas), 'statement')} of the chain {_tt(registry.name)} "
        f"({_count(len(lemmas) - theorems, 'lemma')}, {_count(theorems, 'theorem')}), every dependency before its "
        "users, as checked by "
        f"\\texttt{{rlhfsym}}: {tally}. Each claim is proved by a chain of steps; each step names the rule that "
        "justifies it and its status. A step sympy cannot settle is undecided, never verified.",
        "",
        r"\begin{enumerate}",
    ]
    for lemma in lemmas:
        word = _status(by_name.get(lemma.name))
        out.append(rf"\item{{}} {_ref(prefix, lemma.name, registry)}, {escape_text(lemma.kind)}: \textbf{{{word}}}")
    out.append(r"\end{enumerate}")
    for lemma in lemmas:
        out += _lemma_section(lemma, by_name.get(lemma.name), math, value, prefix, registry)
    out += [r"\endgroup"]
    return "\n".join(out) + "\n"


def appendix_tex(registry: Registry, *, body_file: str = APPENDIX_BODY_FILE) -> str:
    r"""The standalone appendix: an ``article`` that ``\input``-s ``body_file`` (written beside it)."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", body_file):
        raise ValueError(f"body_file {body_file!r}: letters, digits, '.', '_' and '-' only")
    stem = body_file.removesuffix(".tex")
    return (
        "\n".join(
            [
                f"% {APPENDIX_FILE}: generated by rlhfsym.latex from the chain {_comment(registry.name)}; do not edit.",
                r"\documentclass[10pt]{article}",
                r"\usepackage[margin=2cm]{geometry}",
                r"\usepackage{amsmath,amssymb}",
                r"\usepackage{hyperref}",
                rf"\title{{The lemma chain {_tt(registry.name)}, as checked by \texttt{{rlhfsym}}}}",
                r"\author{}",
                r"\date{}",
                r"\begin{document}",
                r"\maketitle",
                r"\section{Lemmas and theorems}",
                rf"\input{{{stem}}}",
                r"\end{document}",
            ]
        )
        + "\n"
    )


def write_latex(
    registry: Registry,
    reports: Iterable[LemmaReport],
    out_dir: str | Path,
    *,
    evaluate: Evaluate | None = None,
    prefix: str = "rlhf",
    symbol_names: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the macros file, the appendix body and the standalone appendix into ``out_dir`` (created if
    missing); returns their paths in that order. ``evaluate`` is called at most once per expression."""
    reports = tuple(reports)
    cached = None if evaluate is None else _memo(evaluate)
    texts = {
        MACROS_FILE: macros_tex(registry, reports, evaluate=cached, prefix=prefix, symbol_names=symbol_names),
        APPENDIX_BODY_FILE: appendix_body_tex(
            registry, reports, evaluate=cached, prefix=prefix, symbol_names=symbol_names
        ),
        APPENDIX_FILE: appendix_tex(registry),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = out / name
        path.write_bytes(text.encode("ascii"))
        paths.append(path)
    return paths
