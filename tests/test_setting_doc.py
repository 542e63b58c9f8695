"""``docs/setting.md`` cannot drift from the code it describes.

* section 5's parameter table has one row per parameter of :data:`rlhfsym.rules.RULES`, with its meaning and its
  rule as the table states them, and no other row; the cross rules are stated there too;
* section 5 has one table per vocabulary (quantities, iterates, algorithms, holds) with a row per registered name
  and its label, and no other row;
* section 4 has a row for every registered theorem, with the quantity, iterate, algorithm and holds it declares;
* every entry of the chain's registry is named in section 2 or 4, and every lemma-like name there is registered.

Walked over the registries, so a new parameter, label, lemma or theorem fails here until the page describes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rlhfsym.api import chain
from rlhfsym.rules import CROSS_RULES, RULES
from rlhfsym.vocabulary import ALGORITHMS, DECLARED, HOLDS, ITERATES, QUANTITIES

PAGE = Path(__file__).resolve().parents[1] / "docs" / "setting.md"
TEXT = PAGE.read_text(encoding="utf-8")
CHAIN = list(chain())
THEOREMS = [lemma for lemma in CHAIN if lemma.kind == "theorem"]

#: Each vocabulary and the heading of its table in section 5.
VOCABULARIES = {"Quantities": QUANTITIES, "Iterates": ITERATES, "Algorithms": ALGORITHMS, "Holds": HOLDS}


def _section(number: int) -> str:
    """The text of ``## number.`` up to the next level-2 heading (its ``###`` subsections included)."""
    match = re.search(rf"^## {number}\. .*?(?=^## |\Z)", TEXT, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docs/setting.md has no section '## {number}. ...'"
    return match.group(0)


def _subsection(text: str, heading: str) -> str:
    match = re.search(rf"^### {heading}\b.*?(?=^#{{2,3}} |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docs/setting.md has no subsection '### {heading}'"
    return match.group(0)


def _tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables of ``text``, each a list of rows of cells (header and rule rows left out, ``\\|``
    read as ``|``)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if current is None:  # the header row opens a table
            current = []
            tables.append(current)
        elif not all(set(c) <= set("-: ") for c in cells):
            current.append(cells)
    return tables


def _rows_by_name(table: list[list[str]]) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for cells in table:
        name = cells[0].strip("`")
        assert name not in rows, f"docs/setting.md: two rows for {name}"
        rows[name] = cells
    return rows


def _parameter_rows() -> dict[str, list[str]]:
    """The first table of section 5: name, meaning, rule, what it is on an instance."""
    return _rows_by_name(_tables(_section(5).split("\n### ", 1)[0])[0])


def _theorem_rows() -> dict[str, list[str]]:
    """The table of section 4 whose header starts with ``| theorem |``."""
    section = _section(4)
    start = section.index("| theorem |")
    return _rows_by_name(_tables(section[start:])[0])


@pytest.mark.parametrize("name", list(RULES))
def test_every_parameter_of_the_rules_has_a_row_with_its_meaning_and_rule_in_section_5(name: str) -> None:
    rows = _parameter_rows()
    assert name in rows, f"docs/setting.md, section 5: no row for the parameter {name}"
    assert rows[name][1] == RULES[name].meaning, f"{name}: the meaning differs from RULES"
    assert rows[name][2] == RULES[name].rule, f"{name}: the rule differs from RULES"


def test_section_5_lists_no_parameter_the_rules_lack_in_their_order() -> None:
    assert list(_parameter_rows()) == list(RULES)


@pytest.mark.parametrize("cross", CROSS_RULES, ids=lambda cross: cross.name)
def test_every_cross_rule_is_stated_in_section_5(cross) -> None:
    paragraph = " ".join(_section(5).split("Cross rule", 1)[1].split("\n\n", 1)[0].split())
    assert cross.name in paragraph and cross.of in paragraph
    assert cross.rule in paragraph, f"docs/setting.md, section 5: the cross rule of {cross.name} is not stated"


@pytest.mark.parametrize("heading", list(VOCABULARIES))
def test_every_vocabulary_label_has_a_row_with_its_label_in_section_5(heading: str) -> None:
    rows = _rows_by_name(_tables(_subsection(_section(5), heading))[0])
    vocabulary = VOCABULARIES[heading]
    assert list(rows) == list(vocabulary.names()), f"docs/setting.md, section 5, {heading}: names differ"
    for item in vocabulary:
        assert rows[item.name][1] == f"`{item.label}`", f"{heading}: {item.name} is shown with label {item.label}"


@pytest.mark.parametrize("theorem", THEOREMS, ids=lambda lemma: lemma.name)
def test_every_registered_theorem_has_a_row_in_section_4_with_what_it_declares(theorem) -> None:
    rows = _theorem_rows()
    assert theorem.name in rows, f"docs/setting.md, section 4: no row for the theorem {theorem.name}"
    declared = DECLARED[theorem.name]
    shown = rows[theorem.name][1:5]
    assert shown == [declared.bounds.name, declared.iterate.name, declared.algorithm.name, declared.holds.name]


def test_section_4_shows_no_theorem_that_is_not_registered() -> None:
    assert set(_theorem_rows()) == {lemma.name for lemma in THEOREMS}


@pytest.mark.parametrize("lemma", CHAIN, ids=lambda lemma: lemma.name)
def test_every_registered_lemma_and_external_fact_is_named_in_section_2_or_4(lemma) -> None:
    assert f"`{lemma.name}`" in _section(2) + _section(4), f"docs/setting.md does not name {lemma.name}"


def test_every_lemma_name_in_sections_2_and_4_is_registered() -> None:
    named = set(re.findall(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`", _section(2) + _section(4)))
    assert named, "no lemma names found in sections 2 and 4"
    assert named <= {lemma.name for lemma in CHAIN}, sorted(named - {lemma.name for lemma in CHAIN})
