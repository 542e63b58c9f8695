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

:func:`select` keeps the named lemmas and their citation closure (``rlhfsym latex --lemma``);
:func:`write_chain_latex`, the command's entry point, is the one place that verifies the chain.

**The mathematics.** A statement is generated from the lemma's claims (its claim ``main``, or every claim), after
``If`` and its conditions (the hypotheses that are not citations, with their kind); the ASCII ``statement`` is
kept only as a comment. Terms and factors are written in the paper's order (:class:`PaperPrinter`:
``1 - \eta \beta \gamma e^{...}``). A constant whose name is a symbol (:func:`is_symbol_name`: ``rho``, ``L``)
is written inside the bounds and statements as its symbol macro (``\rlhfRho``), each rewriting kept only when
sympy shows it is the same expression (:func:`with_constants`). A displayed expression is broken into lines of
at most :data:`_WIDTH` estimated glyphs (:meth:`_Math.rows`), so the standalone appendix has no overfull box.

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
from sympy.printing.latex import LatexPrinter

from .chain import Claim, Hypothesis, Lemma, LemmaReport, Registry, trusted_externals
from .rules import RULES

__all__ = [
    "APPENDIX_BODY_FILE",
    "APPENDIX_FILE",
    "LEADING_FACTORS",
    "MACROS_FILE",
    "PARAMETER_SYMBOLS",
    "Evaluate",
    "MacroNameError",
    "PaperPrinter",
    "appendix_body_tex",
    "appendix_tex",
    "escape_text",
    "is_symbol_name",
    "macro_name",
    "macros_tex",
    "named_constants",
    "paper_factors",
    "paper_terms",
    "select",
    "symbol_macro",
    "symbol_tex",
    "with_constants",
    "write_chain_latex",
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
#: Most glyphs (:func:`_glyphs`) of one displayed line before an expression is broken over several lines: about
#: the width of a 10pt line with 2cm margins, less the tag and the relation.
_WIDTH = 56
#: Longest LaTeX source of a relation kept inline in a sentence; longer ones are displayed.
_INLINE = 90
_STATUS_WORDS = {"verified": "verified", "failed": "failed", "undecided": "undecided"}
_UNCHECKED = "not checked"


def _glyphs(tex: str) -> float:
    r"""An estimate of the width of LaTeX math source, in glyphs: a control word or character is one, delimiters'
    sizes, braces and spaces none, a script 0.7 of its contents, a fraction its wider line, ``\sqrt`` one more."""
    width, _ = _group_width(tex, 0)
    return width


_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|[{}^_]|\s+|[^\\{}^_\s]")
_IGNORED = frozenset(r"\left \right \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr \big \Big \bigg \Bigg "
                     r"\mathrm \text \operatorname \displaystyle \quad \, \; \! \cdot".split())  # fmt: skip


def _group_width(tex: str, pos: int) -> tuple[float, int]:
    """The width of ``tex`` from ``pos`` to the end of the current brace group, and the position after it."""
    width = 0.0
    while pos < len(tex):
        match = _TOKEN.match(tex, pos)
        if match is None:  # pragma: no cover - every character matches some token
            break
        token, pos = match.group(), match.end()
        if token == "}":
            return width, pos
        if token.isspace() or token in _IGNORED:
            continue
        if token == "{":
            inner, pos = _group_width(tex, pos)
            width += inner
        elif token in "^_":
            inner, pos = _argument_width(tex, pos)
            width += 0.7 * inner
        elif token == r"\frac":
            top, pos = _argument_width(tex, pos)
            bottom, pos = _argument_width(tex, pos)
            width += max(top, bottom)
        elif token == r"\sqrt":
            if tex.startswith("[", pos):
                pos = tex.index("]", pos) + 1
            inner, pos = _argument_width(tex, pos)
            width += inner + 1
        else:
            width += 1
    return width, pos


def _argument_width(tex: str, pos: int) -> tuple[float, int]:
    """The width of one argument at ``pos``: a brace group, or a single token."""
    while pos < len(tex) and tex[pos].isspace():
        pos += 1
    if tex.startswith("{", pos):
        return _group_width(tex, pos + 1)
    match = _TOKEN.match(tex, pos)
    if match is None:
        return 0.0, pos
    return (0.0 if match.group() in _IGNORED else 1.0), match.end()


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
    move to the subscript) and the parts after underscores are subscripts, separated by commas; a final
    ``_prime`` is a prime (``L_prime`` -> ``L'``).

    >>> symbol_tex("gamma_D"), symbol_tex("phi1_2"), symbol_tex("E_sqrt_g"), symbol_tex("dev")
    ('\\gamma_{D}', '\\phi_{1,2}', 'E_{\\mathrm{sqrt},g}', '\\mathrm{dev}')
    """
    if name in PARAMETER_SYMBOLS:
        return PARAMETER_SYMBOLS[name]
    if name.endswith("_prime") and name != "_prime":
        return symbol_tex(name.removesuffix("_prime")) + "'"
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


#: Symbols that lead a product, in this order, before sympy's order of the other factors: a step size first, as
#: the paper writes ``1 - eta beta gamma e^{...}`` (sympy's own order would give ``beta eta gamma``).
LEADING_FACTORS: tuple[str, ...] = ("eta", "eta_t")


def _leading(factor: sp.Expr) -> int | None:
    """The rank of ``factor`` (a symbol, or a power of one) in :data:`LEADING_FACTORS`, or None."""
    base = factor.base if isinstance(factor, sp.Pow) else factor
    if isinstance(base, sp.Symbol) and base.name in LEADING_FACTORS:
        return LEADING_FACTORS.index(base.name)
    return None


def paper_terms(expr: sp.Add) -> list[sp.Expr]:
    """The terms of a sum in the paper's order: positive numbers, then the other positive terms, then the negative
    terms, then negative numbers (``1 - eta beta gamma e^{...}``, ``y - 1``); sympy's order within each group."""
    terms = expr.as_ordered_terms()

    def group(term: sp.Expr) -> int:
        negative = term.could_extract_minus_sign()
        if term.is_Number:
            return 3 if negative else 0
        return 2 if negative else 1

    return sorted(terms, key=group)  # sorted is stable: sympy's order within a group


def paper_factors(expr: sp.Mul) -> list[sp.Expr]:
    """The factors of a product in the paper's order: numbers, then :data:`LEADING_FACTORS`, then sympy's order."""
    factors = expr.as_ordered_factors()

    def rank(factor: sp.Expr) -> tuple[int, int]:
        if factor.is_Number:
            return (0, 0)
        lead = _leading(factor)
        return (1, lead) if lead is not None else (2, 0)

    return sorted(factors, key=rank)


class PaperPrinter(LatexPrinter):
    r"""sympy's LaTeX printer with the paper's term order (:func:`paper_terms`) and factor order
    (:func:`paper_factors`): ``1 - \eta \beta \gamma e^{...}`` where sympy writes ``- \beta \eta \gamma e^{...} + 1``.
    The printed expression is the same expression: only the order in which its terms and factors are written
    changes.

    >>> eta, beta, gamma, B = sp.symbols("eta beta gamma B", positive=True)
    >>> PaperPrinter().doprint(1 - eta * beta * gamma * sp.exp(-B))
    '1 - \\eta \\beta \\gamma e^{- B}'
    """

    def __init__(self, settings: Mapping[str, object] | None = None) -> None:
        super().__init__({**(settings or {}), "order": "none"})

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        tex = ""
        for i, term in enumerate(paper_terms(expr)):
            if i == 0:
                pass
            elif term.could_extract_minus_sign():
                tex += " - "
                term = -term
            else:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr: sp.Expr) -> str:
        if not isinstance(expr, sp.Mul) or not expr.is_commutative:
            return super()._print_Mul(expr)
        if expr.could_extract_minus_sign():
            rest = -expr
            inner = self._print(rest)
            return rf"- \left({inner}\right)" if rest.is_Add else f"- {inner}"
        # An unevaluated product keeps the order of its arguments (the printer runs with order "none").
        return super()._print_Mul(sp.Mul(*paper_factors(expr), evaluate=False))


class _Math:
    """sympy's ``latex`` with every symbol typeset by name (no Dummy counters) through one fixed mapping, in the
    paper's term order (:class:`PaperPrinter`)."""

    def __init__(self, overrides: Mapping[str, str] | None) -> None:
        self.overrides = dict(overrides or {})
        self._printed: dict[sp.Basic, str] = {}  # breaking a long expression prints its parts again and again

    def naming(self, extra: Mapping[str, str]) -> _Math:
        """This mapping with ``extra`` names added (the symbols of named constants, typeset by their macros)."""
        return _Math({**self.overrides, **extra})

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
        expr = sp.sympify(expr, strict=True)
        if expr not in self._printed:
            plain = self._plain(expr)
            self._printed[expr] = PaperPrinter({"symbol_names": self._names(plain)}).doprint(plain)
        return self._printed[expr]

    def rows(self, expr: sp.Basic) -> list[str]:
        r"""``expr`` as one or more displayed lines of at most about :data:`_WIDTH` glyphs (:func:`_glyphs`): a
        long sum breaks before its terms; a long factor, sum over an index, power or function argument is put in
        ``\biggl( ... \biggr)``, which may span lines, and broken inside; a long fraction ``N/D`` is written
        ``\frac{1}{D} \biggl(N\biggr)``. Only the layout changes, never the expression."""
        return self._rows(self._plain(sp.sympify(expr, strict=True)))

    def _rows(self, expr: sp.Basic) -> list[str]:
        whole = self.tex(expr)
        if _glyphs(whole) <= _WIDTH:
            return [whole]
        if isinstance(expr, sp.Add):
            return self._sum_rows(expr)
        if isinstance(expr, sp.Mul):
            return self._product_rows(expr)
        if isinstance(expr, sp.Sum):
            head = " ".join(
                rf"\sum_{{{self.tex(v)}={self.tex(lo)}}}^{{{self.tex(hi)}}}" for v, lo, hi in reversed(expr.limits)
            )
            return self._wrapped(head + " ", expr.function, "")
        if isinstance(expr, sp.Pow):
            return self._wrapped("", expr.base, f"^{{{self.tex(expr.exp)}}}")
        if isinstance(expr, (sp.log, sp.exp)):
            return self._wrapped(r"\log" if isinstance(expr, sp.log) else r"\exp", expr.args[0], "")
        return [whole]

    def _wrapped(self, head: str, inner: sp.Expr, tail: str) -> list[str]:
        r"""``head \biggl( inner \biggr) tail``, ``inner`` broken over lines."""
        rows = self._rows(inner)
        rows = [rf"\biggl({rows[0]}", *rows[1:]]
        rows[-1] += rf"\biggr){tail}"
        return _prefixed(head, rows)

    def _sum_rows(self, expr: sp.Add) -> list[str]:
        rows: list[str] = []
        for i, term in enumerate(paper_terms(expr)):
            negative = i > 0 and term.could_extract_minus_sign()
            sign = "" if i == 0 else ("- " if negative else "+ ")
            pieces = _prefixed(sign, self._rows(-term if negative else term))
            if len(pieces) == 1 and rows and _glyphs(rows[-1]) + _glyphs(pieces[0]) <= _WIDTH:
                rows[-1] += " " + pieces[0]
            else:
                rows += pieces
        return rows

    def _product_rows(self, expr: sp.Mul) -> list[str]:
        if expr.could_extract_minus_sign():
            rest = -expr
            if isinstance(rest, sp.Add):
                return self._wrapped("- ", rest, "")
            return _prefixed("- ", self._rows(rest))
        numer, denom = sp.fraction(expr)
        if denom != 1:
            below = self.tex(denom)
            if _glyphs(below) <= _WIDTH // 2:
                return self._wrapped(rf"\frac{{1}}{{{below}}} ", numer, "")
            return [*self._wrapped("", numer, r" \Big/"), *self._wrapped("", denom, "")]
        factors = paper_factors(expr)
        big = max(factors, key=lambda f: _glyphs(self.tex(f)))
        others = list(factors)
        others.remove(big)
        rows = self._wrapped("", big, "") if isinstance(big, sp.Add) else self._rows(big)
        if len(rows) == 1:
            return self._factor_rows(factors)
        if not others:
            return rows
        head = self._factor_rows(others)
        if _glyphs(head[-1]) + _glyphs(rows[0]) <= _WIDTH:
            return [*head[:-1], head[-1] + " " + rows[0], *rows[1:]]
        return [*head, r"\times " + rows[0], *rows[1:]]

    def _factor_rows(self, factors: list[sp.Expr]) -> list[str]:
        r"""A product whose factors each fit on a line but not all together: as many factors as fit on each line,
        a new line starting with ``\times``."""
        pieces = [rf"\left({self.tex(f)}\right)" if isinstance(f, sp.Add) else self.tex(f) for f in factors]
        rows = [pieces[0]]
        for piece in pieces[1:]:
            if _glyphs(rows[-1]) + _glyphs(piece) <= _WIDTH:
                rows[-1] += " " + piece
            else:
                rows.append(r"\times " + piece)
        return rows


def _prefixed(head: str, rows: list[str]) -> list[str]:
    """``head`` written before the first of ``rows``, or on a line of its own when the two do not fit on one."""
    if not head.strip() or _glyphs(head) + _glyphs(rows[0]) <= _WIDTH or _glyphs(head) <= 2:
        return [head + rows[0], *rows[1:]]
    return [head.rstrip(), *rows]


# --------------------------------------------------------------------------------------------- named constants

_SYMBOL_TEX = re.compile(r"(\\[A-Za-z]+|[A-Za-z])(_\{[A-Za-z0-9,\\]*\}|')?")


def is_symbol_name(name: str) -> bool:
    """True when a constant's name reads as a symbol of the paper (``rho``, ``L``, ``L_R``, ``L_prime``,
    ``eta_t``): one letter or Greek letter, with an optional subscript or prime; ``lipschitz`` is a word."""
    return _SYMBOL_TEX.fullmatch(symbol_tex(name)) is not None and "mathrm" not in symbol_tex(name)


def symbol_macro(prefix: str, name: str) -> str:
    r"""The control word (no backslash) typesetting a named constant's *symbol*, shared by every lemma with a
    constant of that name: ``rho`` -> ``rlhfRho`` (``\providecommand{\rlhfRho}{\rho}``), so that a paper can
    ``\renewcommand`` it."""
    return macro_name(prefix, name)


def named_constants(lemma: Lemma) -> list[tuple[str, sp.Expr]]:
    """The lemma's constants whose names are symbols (:func:`is_symbol_name`) and whose values are not mere
    symbols, each written with the constants before it: a constant whose value holds (a multiple of) another's
    comes after it (``L`` before ``eta = 1/L``), otherwise the largest first."""
    pending = sorted(
        ((name, sp.sympify(expr, strict=True)) for name, expr in lemma.constants.items() if is_symbol_name(name)),
        key=lambda item: (-sp.count_ops(item[1]), item[0]),
    )
    pending = [(name, value) for name, value in pending if not value.is_Atom]
    done: list[tuple[str, sp.Expr]] = []
    while pending:
        free = [item for item in pending if not any(_holds(item[1], other) for other in pending if other != item)]
        name, value = (free or pending)[0]
        pending.remove((name, value))
        done.append((name, with_constants(value, done)))
    return done


def _holds(value: sp.Expr, other: tuple[str, sp.Expr]) -> bool:
    """True when ``value`` contains (a multiple of) the value of the constant ``other``."""
    return _replace_constant(value, _constant_symbol(other[0]), other[1]) != value


def _constant_symbol(name: str) -> sp.Symbol:
    """The symbol standing for the named constant ``name`` in a rewritten expression (a Dummy-free, fixed name)."""
    return sp.Symbol(f"rlhfsymconst_{name}")


def _replace_constant(expr: sp.Expr, symbol: sp.Symbol, value: sp.Expr) -> sp.Expr:
    """``expr`` with ``value`` replaced by ``symbol``: for a sum, every sum that is a rational multiple ``q value``
    of it becomes ``q symbol``; for a product ``c f_1 ... f_k``, every product holding the factors ``f_1 ... f_k``
    becomes ``q symbol`` times the other factors; otherwise only the very subexpression ``value``."""
    if isinstance(value, sp.Add):
        terms, symbols = len(value.args), value.free_symbols

        def candidate(node: sp.Basic) -> bool:  # q value has as many terms as value, and its symbols
            return isinstance(node, sp.Add) and len(node.args) == terms and node.free_symbols == symbols

        def multiple(node: sp.Expr) -> sp.Expr:
            ratio = sp.cancel(node / value)
            return ratio * symbol if ratio.is_Rational and ratio != 0 else node

        return expr.replace(candidate, multiple)
    if isinstance(value, sp.Mul):
        coefficient, rest = value.as_coeff_Mul()
        wanted = sp.Mul.make_args(rest)

        def factor_of(node: sp.Expr) -> sp.Expr:
            own, others = node.as_coeff_Mul()
            left = list(sp.Mul.make_args(others))
            if not all(f in left and not left.remove(f) for f in wanted):
                return node
            return own / coefficient * symbol * sp.Mul(*left)

        return expr.replace(lambda node: isinstance(node, sp.Mul), factor_of)
    return expr.xreplace({value: symbol})


def _same(rewritten: sp.Expr, expr: sp.Expr) -> bool:
    """True when sympy shows ``rewritten - expr`` to be 0 (expanded, else simplified)."""
    difference = rewritten - expr
    return sp.expand(difference) == 0 or sp.simplify(difference) == 0


def _unfold(expr: sp.Expr, constants: list[tuple[str, sp.Expr]]) -> sp.Expr:
    """``expr`` with every named constant's symbol replaced by its value (the last constant first)."""
    for name, value in reversed(constants):
        expr = expr.xreplace({_constant_symbol(name): value})
    return expr


def with_constants(expr: sp.Expr, constants: list[tuple[str, sp.Expr]]) -> sp.Expr:
    """``expr`` written with the named constants (as :func:`named_constants` orders them), each substitution kept
    only when sympy shows that putting the values back gives ``expr`` again: the rewritten form is the same
    expression, only written with the constants' symbols."""
    expr = sp.sympify(expr, strict=True)
    if not constants:
        return expr
    original = _unfold(expr, constants)
    done: list[tuple[str, sp.Expr]] = []
    for name, value in constants:
        rewritten = _replace_constant(expr, _constant_symbol(name), value)
        done.append((name, value))
        if rewritten != expr and _same(_unfold(rewritten, done), original):
            expr = rewritten
    return expr


def _constant_names(constants: list[tuple[str, sp.Expr]], prefix: str) -> dict[str, str]:
    """How each named constant's symbol is typeset: by its symbol macro."""
    return {_constant_symbol(name).name: "\\" + symbol_macro(prefix, name) for name, _ in constants}


def _symbol_definitions(lemmas: Iterable[Lemma], prefix: str, math: _Math) -> list[str]:
    r"""``\providecommand`` for the symbol macro of every named constant of ``lemmas``, once per name (a paper that
    defines it first keeps its own)."""
    seen: dict[str, str] = {}
    for lemma in lemmas:
        for name, _ in named_constants(lemma):
            seen.setdefault(name, math.overrides.get(name, symbol_tex(name)))
    return [rf"\providecommand{{\{symbol_macro(prefix, name)}}}{{{tex}}}" for name, tex in sorted(seen.items())]


def _relation_rows(math: _Math, lhs: sp.Expr, rel: str, rhs: sp.Expr) -> list[str]:
    """Rows of an ``align*`` showing ``lhs REL rhs``, broken at the terms of long sums."""
    left, right = math.rows(lhs), math.rows(rhs)
    if len(left) == len(right) == 1 and _glyphs(left[0]) + _glyphs(right[0]) <= _WIDTH:
        return [rf"{left[0]} &{_REL_TEX[rel]} {right[0]}"]
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
    """A value from the ``evaluate`` callback: a decimal number in math without trailing zeros (``1.50e-3`` as
    ``1.5 \\times 10^{-3}``), infinity as ``\\infty``, anything else as escaped text."""
    text = value.strip()
    number = _NUMBER.fullmatch(text)
    if number:
        sign, mantissa, exponent = number.groups()
        sign = "-" if sign == "-" else ""
        if "." in mantissa:  # no trailing zeros: 2.50 -> 2.5, 3.000 -> 3 (the value is the same number)
            mantissa = mantissa.rstrip("0").rstrip(".") or "0"
        if mantissa.startswith("."):
            mantissa = "0" + mantissa
        power = rf" \times 10^{{{int(exponent)}}}" if exponent is not None and int(exponent) != 0 else ""
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
    symbols = _symbol_definitions(registry.ordered(), prefix, math)
    entries = _macro_entries(registry, prefix)
    taken = {name for *_, name in entries} | {name + "Value" for *_, name in entries}
    for line in symbols:
        symbol = line.split("{", 1)[1].split("}", 1)[0].lstrip("\\")
        if symbol in taken:
            raise MacroNameError(f"macro \\{symbol} would name both a constant's symbol and a lemma's macro")
    if symbols:
        out += ["", "% The symbols of named constants, used inside the bounds (\\renewcommand one to change it):"]
        out += symbols
    for lemma, constant, expr, name in entries:
        report = by_name.get(lemma.name)
        if constant is None:
            labels = "; ".join(f"{k}: {v}" for k, v in _labels(lemma))
            rates = ", ".join(f"{var}: {computed or stated}" for var, computed, stated in _rates(lemma, report))
            details = "; ".join(x for x in (labels, f"rates {rates}" if rates else "") if x)
            head = f"% theorem {lemma.name}: its bound ({details}); status {_status(report)}"
        else:
            head = f"% {lemma.kind} {lemma.name}: derived constant {constant}; status {_status(report)}"
        if constant is None:
            constants = named_constants(lemma)
            body = math.naming(_constant_names(constants, prefix)).tex(with_constants(expr, constants))
        else:
            body = math.tex(expr)
        out += ["", _comment(head), f"\\newcommand{{\\{name}}}{{\\ensuremath{{{body}}}}}"]
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
        long: list[tuple[sp.Expr, sp.Expr]] = []
        if h.instance:
            subs = sorted(h.instance.items(), key=lambda kv: kv[0].name)
            short = []
            for k, v in subs:
                text = rf"{math.tex(k)} \mapsto {math.tex(v)}"
                if len(text) <= _INLINE:
                    short.append(f"${text}$")
                else:
                    long.append((k, v))
            cite += " with " + ", ".join(short + (["the substitutions displayed below"] if long else []))
        parts.append(f"({cite})")
        if long:
            rows = []
            for k, v in long:
                right = math.rows(v)
                rows.append(rf"{math.tex(k)} \mapsto{{}} & {right[0]}")
                rows += [rf"& \quad {r}" for r in right[1:]]
            parts.append(_align(rows))
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
        named: list[sp.Expr] = []
        detail = step.rule.describe_tex(_short_or_named(math, named))
        text = rf"\item[{{\normalfont[{i}]}}] \emph{{{escape_text(step.rule.label)}}}{detail}: "
        text += rf"{escape_text(step.why)} (\textbf{{{word}}})"
        if checked is not None and checked.status != "verified" and checked.detail:
            text += rf" --- {escape_text(checked.detail)}"
        if named:
            text += ", where" + _align(_named_rows(math, named))
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


#: Most glyphs of an expression set inline in a step's justification; a longer one is named there and displayed.
_INLINE_GLYPHS = 30


def _short_or_named(math: _Math, named: list[sp.Expr]) -> Callable[[sp.Expr], str]:
    r"""A ``tex`` callback for a rule's inline description: a short expression as itself, a long one as the name
    ``\mathcal{E}_{k}`` (appended to ``named``, displayed after the sentence by :func:`_named_rows`)."""

    def tex(expr: sp.Expr) -> str:
        text = math.tex(expr)
        if _glyphs(text) <= _INLINE_GLYPHS:
            return text
        named.append(expr)
        return rf"\mathcal{{E}}_{{{len(named)}}}"

    return tex


def _named_rows(math: _Math, named: list[sp.Expr]) -> list[str]:
    r"""Rows of an ``align*`` defining ``\mathcal{E}_{k}`` = the k-th named expression, broken over lines."""
    rows = []
    for k, expr in enumerate(named, start=1):
        right = math.rows(expr)
        rows.append(rf"\mathcal{{E}}_{{{k}}} &= {right[0]}")
        rows += [rf"& \quad {r}" for r in right[1:]]
    return rows


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
    constants = named_constants(lemma)
    rows = math.naming(_constant_names(constants, prefix)).rows(with_constants(lemma.bound, constants))
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


def _stated_claims(lemma: Lemma) -> tuple[Claim, ...]:
    """The claims a lemma's statement shows: its claim ``main`` if it has one, else every claim."""
    return tuple(c for c in lemma.claims if c.label == "main") or lemma.claims


def _conditions(lemma: Lemma, claims: tuple[Claim, ...]) -> list[Hypothesis]:
    """The statement's conditions: the hypotheses of the lemma and of ``claims`` that are not citations (those are
    the proof's), each once, in order."""
    seen: dict[str, Hypothesis] = {}
    for h in (*lemma.hypotheses, *(h for claim in claims for h in claim.hypotheses)):
        if h.by is None and h.name not in seen:
            seen[h.name] = h
    return list(seen.values())


_CONDITION_KINDS = {"parameter": "a parameter condition", "asserted": "asserted, not checked"}


def _condition(h: Hypothesis, math: _Math) -> str:
    text = _inline_or_display(math, h.lhs, h.rel, h.rhs)
    if h.forall:
        text += " for every " + ", ".join(f"${math.tex(v)}$" for v in h.forall)
    kind = _CONDITION_KINDS.get(h.kind or "")
    return text + (f" ({kind})" if kind else "")


def _statement(lemma: Lemma, math: _Math, constants: list[tuple[str, sp.Expr]]) -> list[str]:
    r"""The lemma's statement as mathematics, generated from its claims: ``If <conditions>, then`` the stated
    claims (:func:`_stated_claims`) as displayed relations written with the named constants, ``where`` each
    constant is defined. Long relations are broken at the terms of their sums."""
    claims = _stated_claims(lemma)
    conditions = [_condition(h, math) for h in _conditions(lemma, claims)]
    if lemma.kind == "external":
        lead = "Taken on trust: " if not conditions else "Taken on trust: if " + _and(conditions) + ", then"
    else:
        lead = "" if not conditions else "If " + _and(conditions) + ", then"
    rows: list[str] = []
    for claim in claims:
        if rows:
            rows[-1] += r" \\"  # one relation per claim, each on its own lines
        lhs, rhs = with_constants(claim.lhs, constants), with_constants(claim.rhs, constants)
        rows += _relation_rows(math, lhs, claim.rel, rhs)
    out = [rf"\item[Statement:] {lead}", _align(rows)]
    if constants:
        defs = [f"${math.tex(_constant_symbol(name))} = {math.tex(value)}$" for name, value in constants]
        out.append("where " + _and(defs) + ".")
    return out


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lemma_section(
    lemma: Lemma, report: LemmaReport | None, math: _Math, value: _Value, prefix: str, registry: Registry
) -> list[str]:
    status = _status(report)
    steps = "" if report is None else f" ({report.n_steps} checked steps)"
    constants = named_constants(lemma)
    stated = math.naming(_constant_names(constants, prefix))
    head = [
        rf"\item[Status:] \textbf{{{escape_text(status)}}}{steps}",
        *_statement(lemma, stated, constants),
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
        _comment(f"% in words: {lemma.statement}"),
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


def _breakable(line: str) -> str:
    r"""A line of the body where a long identifier may break: after every escaped underscore or ``#`` (``\_`` ->
    ``\_\allowbreak{}``); headings, labels and comments are kept as they are."""
    if line.startswith(("%", r"\subsection")):
        return line
    return re.sub(r"\\([_#])", r"\\\1\\allowbreak{}", line)


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
    externals = sum(lemma.kind == "external" for lemma in lemmas)
    tally = ", ".join(f"{n} {word}" for word, n in counts.items()) + (f", {unchecked} not checked" if unchecked else "")
    tally += f", {externals} taken on trust" if externals else ""
    out = [
        f"% {APPENDIX_BODY_FILE}: generated by rlhfsym.latex from the chain {_comment(registry.name)}; do not edit.",
        r"% \input this file where the appendix goes; it needs \usepackage{amsmath,amssymb}.",
        r"\begingroup",
        *_symbol_definitions(lemmas, prefix, math),
        r"\allowdisplaybreaks",
        r"\sloppy",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.6ex plus 0.3ex}",
        rf"This appendix lists the {_count(len(lemmas), 'statement')} of the chain {_tt(registry.name)} "
        f"({_count(len(lemmas) - theorems - externals, 'lemma')}, {_count(externals, 'external fact')}, "
        f"{_count(theorems, 'theorem')}), every dependency before its "
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
    return "\n".join(_breakable(line) for line in out) + "\n"


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


def select(registry: Registry, names: Iterable[str] | None) -> Registry:
    """The lemmas ``names`` and everything they depend on (their citation closure: ``depends_on``, transitively),
    as a registry of their own with the chain's name; ``None`` gives the whole chain. An unknown name raises
    KeyError naming it and the known ones."""
    if names is None:
        return registry
    wanted = [registry.get(name) for name in names]  # KeyError for an unknown name
    needed: set[str] = set()
    stack = [lemma.name for lemma in wanted]
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(registry.get(name).depends_on)
    chosen = Registry(registry.name)
    for lemma in registry.ordered():
        if lemma.name in needed:
            chosen.register(lemma)
    return chosen


def write_chain_latex(
    out_dir: str | Path, *, lemmas: Iterable[str] | None = None, evaluate: Evaluate | None = None
) -> list[Path]:
    """The entry point of ``rlhfsym latex``: the paper's chain (or the theorems ``lemmas`` and what they depend
    on) verified -- this is the one call that verifies -- and written by :func:`write_latex` into ``out_dir``."""
    from .api import chain, verify

    names = None if lemmas is None else list(dict.fromkeys(lemmas))
    result = verify(names)
    return write_latex(select(chain(), names), result.reports, out_dir, evaluate=evaluate)


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
