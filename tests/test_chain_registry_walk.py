"""The real lemma chain, walked through its registry: metadata of every lemma, and every lemma verified.

The registry is the single list of lemmas: these tests are parametrised over it, so a new proof module is checked
without editing this file. The full symbolic check runs once (module-scoped fixture, two worker processes), first in
the session (marker ``cost``), and writes the session's verification record.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from types import ModuleType

import pytest
from session_lock import session_lock

from rlhfsym.chain import EXTERNAL, VERIFIED, LemmaReport, Registry


def proofs_package() -> ModuleType:
    """The proofs package: ``rlhfsym.proofs`` when it is installed there, else the top-level ``proofs``."""
    try:
        return importlib.import_module("rlhfsym.proofs")
    except ModuleNotFoundError as err:
        if err.name != "rlhfsym.proofs":
            raise
        return importlib.import_module("proofs")


PROOFS = proofs_package()
CHAIN: Registry = PROOFS.load_chain()
NAMES = [lemma.name for lemma in CHAIN]
PROOF_MODULES = sorted(info.name for info in pkgutil.iter_modules(PROOFS.__path__) if not info.name.startswith("_"))
MATHLIB_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
#: The complete check of the chain: run first (tests/conftest.py); the record it writes spares the later checks.
pytestmark = pytest.mark.cost(30)


def test_chain_is_not_empty():
    assert len(CHAIN) >= 1
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_lemma_has_doc_source_statement_and_scope(name):
    lemma = CHAIN.get(name)
    for field in ("doc", "source", "statement", "scope"):
        value = getattr(lemma, field)
        assert isinstance(value, str) and value.strip(), f"{name}: empty {field}"
    assert lemma.kind in ("lemma", "theorem", "external")


@pytest.mark.parametrize("name", NAMES)
def test_lemma_name_is_in_mathlib_style(name):
    assert name.isidentifier()
    assert MATHLIB_NAME.fullmatch(name), f"{name!r} is not lowercase words joined by single underscores"


@pytest.mark.parametrize("name", NAMES)
def test_lemma_dependencies_are_registered(name):
    lemma = CHAIN.get(name)
    for dep in lemma.depends_on:
        assert dep in CHAIN, f"{name} depends on {dep}, which is not registered"
        assert dep != name
    for h in lemma.all_hypotheses():
        if h.cited_lemma:
            assert h.cited_lemma in lemma.depends_on


def test_registry_order_puts_dependencies_first():
    order = [lemma.name for lemma in CHAIN.ordered()]
    assert sorted(order) == sorted(NAMES)
    for dep, user in CHAIN.edges():
        assert order.index(dep) < order.index(user)


@pytest.fixture(scope="module")
def reports() -> dict[str, LemmaReport]:
    """Every lemma of the chain checked here, every step (``fresh``: whatever the cache holds), in dependency order,
    on two worker processes. The complete check writes the session's verification record, which the session's later
    `verify` calls read; under the session lock (tests/conftest.py, ``chain_record``) they wait for it rather than
    check the chain again."""
    from rlhfsym import api

    assert api.chain() is CHAIN
    with session_lock("verification"):
        checked = api.verify(fresh=True, jobs=2)
    assert checked.record is None  # checked here, not read from a record
    return {report.name: report for report in checked.reports}


def test_every_lemma_is_reported(reports):
    assert sorted(reports) == sorted(NAMES)


PROVED = [lemma.name for lemma in CHAIN if lemma.kind != "external"]
EXTERNAL_FACTS = [lemma.name for lemma in CHAIN if lemma.kind == "external"]


@pytest.mark.parametrize("name", PROVED)
def test_lemma_is_verified(reports, name):
    report = reports[name]
    bad = [s for s in report.steps if s.status != VERIFIED]
    assert report.status == VERIFIED, (report.problems, bad)
    assert not report.problems
    assert report.n_steps >= 1


@pytest.mark.parametrize("name", EXTERNAL_FACTS)
def test_external_fact_is_taken_on_trust_with_a_reference_and_never_verified(reports, name):
    report = reports[name]
    assert report.status == EXTERNAL
    assert all(s.status == EXTERNAL for s in report.steps)
    assert "trust" in CHAIN.get(name).source


@pytest.mark.parametrize("module_name", PROOF_MODULES)
def test_proof_module_registers_exactly_one_lemma(module_name, monkeypatch):
    # Run the module's code again with a fresh registry in place of CHAIN, and count what it registers.
    # (Its sibling modules are already imported by load_chain, so they do not register again.)
    chain_module = importlib.import_module(f"{PROOFS.__name__}._chain")
    fresh = Registry("fresh")
    monkeypatch.setattr(chain_module, "CHAIN", fresh)
    spec = importlib.util.find_spec(f"{PROOFS.__name__}.{module_name}")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [lemma.name for lemma in fresh] == [module.LEMMA.name]
    assert module.LEMMA.name in CHAIN


def test_registry_holds_one_lemma_per_proof_module():
    assert len(CHAIN) == len(PROOF_MODULES)
    registered_by = {importlib.import_module(f"{PROOFS.__name__}.{m}").LEMMA.name for m in PROOF_MODULES}
    assert registered_by == set(NAMES)
