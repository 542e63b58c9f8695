"""Every rule of the engine states its soundness argument, and docs/engine.md prints exactly that argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from rlhfsym.chain import SOUNDNESS, Rule, citations
from rlhfsym.chain import rules as rules_module

ENGINE_MD = Path(__file__).resolve().parents[2] / "docs" / "engine.md"
RULES = [
    obj for obj in vars(rules_module).values() if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
]


def test_every_rule_class_is_in_the_soundness_table() -> None:
    assert {rule.label for rule in RULES} == set(SOUNDNESS)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.label)
def test_rule_states_its_soundness_argument_and_docs_print_it(rule: type[Rule]) -> None:
    assert rule.__doc__ and rule.soundness
    assert f"| {rule.label} | {rule.soundness} |" in ENGINE_MD.read_text()


def test_the_citation_check_states_its_soundness_argument_and_docs_print_it() -> None:
    assert f"| citation `by=\"lemma#claim\"` | {citations.SOUNDNESS} |" in ENGINE_MD.read_text()


def test_the_definition_check_states_its_soundness_argument_and_docs_print_it() -> None:
    from rlhfsym.chain.definitions import DEFINITIONS_SOUNDNESS

    assert f"| definition `defines=(...)` | {DEFINITIONS_SOUNDNESS} |" in ENGINE_MD.read_text()
