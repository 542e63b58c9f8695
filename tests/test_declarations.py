"""The registry walk over what every theorem declares (``rlhfsym.vocabulary``): one unit per theorem, read by the
application and never retyped.

* every theorem of the chain has a declaration, with a search plan and a negative control (a theorem without one
  cannot be declared), an iterate its algorithm produces, labels equal to its lemma's ``meta``;
* every vocabulary object (quantity, iterate, algorithm, holds, family, pinned instance) is registered once, with a
  text, and works on a small instance: an algorithm runs and produces its iterates, a quantity measures, a family
  draws a case, a pinned instance builds its draw;
* no module of the application switches on a theorem's name or a label: no comparison, membership test or dict
  key in ``rlhfsym/`` (outside the vocabularies) is a theorem name or a label.
"""

from __future__ import annotations

import ast
import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find
from hypothesis import settings as hsettings

import rlhfsym
from rlhfsym.api import chain
from rlhfsym.bounds import theorem_info, theorems
from rlhfsym.numerics import random_instance, sample_prompts
from rlhfsym.vocabulary import (
    ALGORITHMS,
    DECLARED,
    FAMILIES,
    GA,
    GAP,
    HOLDS,
    ITERATES,
    LAST,
    OPTIMUM,
    PINNED,
    PROBABILITY,
    QUANTITIES,
    SMALL,
    Control,
    Draw,
    Plan,
    Theorem,
)

NAMES = [row["theorem"] for row in theorems()]
PACKAGE = Path(rlhfsym.__file__).resolve().parent
VOCABULARIES = {"quantity": QUANTITIES, "iterate": ITERATES, "algorithm": ALGORITHMS, "holds": HOLDS}
SEARCH = hsettings(max_examples=50, database=None, phases=[Phase.generate], deadline=None,
                   suppress_health_check=list(HealthCheck))


def test_every_theorem_of_the_chain_is_declared_and_nothing_else_is() -> None:
    assert set(DECLARED.names()) == set(NAMES)
    assert len(DECLARED) == len(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_theorem_declares_a_search_plan_a_negative_control_and_its_labels(name: str) -> None:
    declared = theorem_info(name).declared
    assert declared.name == name
    assert isinstance(declared.plan, Plan) and declared.plan.families and declared.plan.examples >= 1
    assert isinstance(declared.control, Control) and declared.control.broken
    broken = declared.control.options()
    assert broken["claimed"] is not None or not broken["conditions"] or broken["step_factor"] != 1.0 or (
        broken["eta_factor"] is not None
    ), "a negative control must break something"
    assert declared.iterate in declared.algorithm.iterates
    assert dict(chain().get(name).meta, rate_n=None, rate_T=None) == {**declared.labels, "rate_n": None,
                                                                      "rate_T": None}
    if declared.figure is not None:
        assert declared.figure.theorem == name and declared.figure.name.endswith(".png")


def test_a_theorem_without_a_plan_or_a_control_or_with_a_foreign_iterate_cannot_be_declared() -> None:
    plan, control = Plan(SMALL), Control("nothing", conditions=False)
    with pytest.raises(TypeError, match="plan"):
        Theorem("t", GAP, LAST, GA, PROBABILITY, None, control)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="control"):
        Theorem("t", GAP, LAST, GA, PROBABILITY, plan, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not produce the optimum iterate"):
        Theorem("t", GAP, OPTIMUM, GA, PROBABILITY, plan, control)
    with pytest.raises(TypeError):
        from rlhfsym.proofs._theorem import theorem

        theorem(bounds=GAP, iterate=LAST, algorithm=GA, holds=PROBABILITY, rate_n="n^0", rate_T=None)


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_every_vocabulary_object_has_a_name_a_label_and_a_text(kind: str) -> None:
    vocabulary = VOCABULARIES[kind]
    assert len(vocabulary) >= 4
    for item in vocabulary:
        assert item.name and item.label and item.text, item
        assert vocabulary[item.name] is item
    assert len(set(vocabulary.names())) == len(vocabulary)


def test_an_unknown_name_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(rlhfsym.ParameterError, match="unknown algorithm; known: erm, ga"):
        ALGORITHMS["adam"]


@pytest.mark.parametrize("algorithm", list(ALGORITHMS), ids=ALGORITHMS.names())
def test_every_algorithm_runs_and_produces_its_iterates_and_every_quantity_measures_them(algorithm) -> None:
    inst = random_instance(0, N=4, K=3, d=2)
    indices = sample_prompts(inst, 5, 0)
    step = (lambda t: 0.5) if algorithm.schedule else 0.5
    run = algorithm.run(inst, indices, step, 3, 0)
    for iterate in algorithm.iterates:
        w = iterate.select(run)
        assert w.shape == (inst.d,)
        for quantity in QUANTITIES:
            assert math.isfinite(quantity.measure(inst, indices, w)) and quantity.scale(inst, w) >= 0


@pytest.mark.parametrize("family", list(FAMILIES), ids=FAMILIES.names())
def test_every_family_draws_cases(family) -> None:
    from rlhfsym.testing import Case

    case = find(family.strategy(), lambda c: True, settings=SEARCH, random=random.Random(0))
    assert isinstance(case, Case) and case.n >= 1


@pytest.mark.parametrize("pinned", list(PINNED), ids=PINNED.names())
def test_every_pinned_instance_builds_its_draw(pinned) -> None:
    draw = pinned.draw()
    assert isinstance(draw, Draw) and draw.T >= 1 and pinned.text
    assert np.all(draw.case.indices < draw.case.instance.N)


def _labels() -> set[str]:
    words = {item.name for vocabulary in VOCABULARIES.values() for item in vocabulary}
    return words | {item.label for vocabulary in VOCABULARIES.values() for item in vocabulary}


def _switches(path: Path, words: set[str]) -> list[str]:
    """String constants in ``path`` that a comparison, a membership test or a dict key compares with ``words``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def strings(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [s for element in node.elts for s in strings(element)]
        return []

    for node in ast.walk(tree):
        candidates: list[str] = []
        if isinstance(node, ast.Compare):
            candidates = [s for side in (node.left, *node.comparators) for s in strings(side)]
        elif isinstance(node, ast.Dict):
            candidates = [s for key in node.keys if key is not None for s in strings(key)]
        found += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {word!r}" for word in candidates if word in words]
    return found


def test_no_module_of_the_application_switches_on_a_theorem_or_a_label() -> None:
    words = set(NAMES) | _labels()
    offending = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "vocabulary" in path.relative_to(PACKAGE).parts or "proofs" in path.relative_to(PACKAGE).parts:
            continue
        offending += _switches(path, words)
    assert not offending, offending


def test_the_vocabularies_load_neither_numpy_nor_hypothesis_nor_sympy() -> None:
    """Declaring a theorem is cheap: numpy and hypothesis are imported when something runs."""
    import subprocess
    import sys

    code = "import sys, rlhfsym.vocabulary; print(sorted({'numpy', 'hypothesis', 'sympy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
