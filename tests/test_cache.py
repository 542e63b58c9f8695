"""The disk cache (rlhfsym.cache) and what reads it: an entry is read back only under the key it was written with,
never trusted when absent, corrupt or written under another key; the verification record holds only complete checks
that verified everything; the theorem catalogue read back equals the one built from the chain."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import sympy as sp

from rlhfsym import api, bounds, cache, cli
from rlhfsym.chain import Claim, Lemma, Registry, calc

x = sp.Symbol("x", real=True)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache on, in a fresh temporary folder."""
    monkeypatch.delenv("RLHFSYM_NO_CACHE", raising=False)
    monkeypatch.setenv("RLHFSYM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _registry(*lemmas: Lemma) -> Registry:
    registry = Registry("test")
    for lemma in lemmas:
        registry.register(lemma)
    return registry


def _as_package_chain(monkeypatch: pytest.MonkeyPatch, *lemmas: Lemma) -> None:
    """Make a small registry play the package's own chain (the record is read only for the package's chain)."""
    fake = lambda: _registry(*lemmas)  # noqa: E731
    monkeypatch.setattr(api, "chain", fake)
    monkeypatch.setattr(api, "_package_chain", fake)


TRUE = Lemma("sq_nonneg", "x^2 >= 0", "test", (Claim("main", x**2, ">=", 0, calc((">=", 0, "square"))),))
FALSE = Lemma("sq_eq_self", "x^2 = x (false)", "test", (Claim("main", x**2, "==", x, calc(("==", x, "wrong"))),))


def test_an_entry_is_read_back_under_the_key_it_was_written_with(folder: Path) -> None:
    assert cache.store("probe", {"a": 1})
    assert cache.load("probe") == {"a": 1}


def test_an_entry_written_under_another_key_is_not_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache.store("probe", 1)
    path = next(folder.glob("probe-*.pickle"))
    with open(path, "rb") as handle:
        _key, value = pickle.load(handle)
    with open(path, "wb") as handle:  # same file name, another key inside: a truncated-hash collision
        pickle.dump(("0" * 64, value), handle)
    assert cache.load("probe") is None


def test_a_corrupt_entry_is_ignored(folder: Path) -> None:
    assert cache.store("probe", 1)
    next(folder.glob("probe-*.pickle")).write_bytes(b"not a pickle")
    assert cache.load("probe") is None


def test_an_unwritable_folder_is_skipped_without_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.delenv("RLHFSYM_NO_CACHE", raising=False)
    monkeypatch.setenv("RLHFSYM_CACHE_DIR", str(blocker / "cache"))
    assert cache.store("probe", 1) is False
    assert cache.load("probe") is None


def test_no_cache_reads_and_writes_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RLHFSYM_NO_CACHE", "1")
    assert cache.store("probe", 1) is False
    assert not folder.exists()


def test_the_key_changes_with_any_source_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lemma.py").write_text("x = 1\n")
    monkeypatch.setattr(cache, "_package_roots", lambda: [tmp_path])
    cache.source_key.cache_clear()
    try:
        before = cache.source_key()
        (tmp_path / "lemma.py").write_text("x = 2\n")
        cache.source_key.cache_clear()
        edited = cache.source_key()
        (tmp_path / "other.py").write_text("")
        cache.source_key.cache_clear()
        added = cache.source_key()
    finally:
        cache.source_key.cache_clear()
    assert len({before, edited, added}) == 3


def test_the_key_covers_the_proof_modules() -> None:
    import rlhfsym.proofs

    roots = cache._package_roots()
    proofs = Path(rlhfsym.proofs.__file__).parent
    assert any(proofs == root or root in proofs.parents for root in roots)


def test_a_complete_verified_check_is_recorded_and_read_back(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as_package_chain(monkeypatch, TRUE)
    first = api.verify(jobs=1)
    assert first.ok and first.record is None
    second = api.verify(jobs=1)
    assert second.record is not None and second.reports == first.reports
    assert api.verify(jobs=1, fresh=True).record is None


def test_a_check_that_fails_is_not_recorded(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as_package_chain(monkeypatch, TRUE, FALSE)
    assert not api.verify(jobs=1).ok
    again = api.verify(jobs=1)
    assert again.record is None and not again.ok


def test_a_partial_check_is_not_recorded(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as_package_chain(monkeypatch, TRUE)
    api.verify(names=["sq_nonneg"], jobs=1)
    assert api.verify(jobs=1).record is None


def test_the_record_is_not_read_for_a_chain_changed_at_run_time(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rlhfsym.proofs  # noqa: F401  (the chain is in memory, as after a user registered a lemma)

    _as_package_chain(monkeypatch, TRUE)
    api.verify(jobs=1)
    _as_package_chain(monkeypatch, TRUE, FALSE)
    changed = api.verify(jobs=1)
    assert changed.record is None and not changed.ok


def test_the_record_is_not_read_for_a_registry_put_in_the_chains_place(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_package_chain(monkeypatch, TRUE)
    assert api.verify(jobs=1).ok
    monkeypatch.setattr(api, "chain", lambda: _registry(TRUE, FALSE))  # the package's chain replaced, as a test does
    replaced = api.verify(jobs=1)
    assert replaced.record is None and not replaced.ok


def test_verify_says_when_it_reads_the_record(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    _as_package_chain(monkeypatch, TRUE)
    assert cli.main(["verify", "--jobs", "1"]) == 0
    assert "verification record" not in capsys.readouterr().out
    assert cli.main(["verify", "--jobs", "1"]) == 0
    assert "from the verification record of" in capsys.readouterr().out
    assert cli.main(["verify", "--json", "--jobs", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["record"]["key"] == cache.source_key()
    assert cli.main(["verify", "--fresh", "--jobs", "1"]) == 0
    assert "verification record" not in capsys.readouterr().out


def _facts(info: bounds.TheoremInfo) -> tuple:
    """Everything an info holds, its expressions as srepr (node for node: the cache rebuilds them unevaluated)."""
    conditions = tuple((h.name, h.kind, sp.srepr(h.gap), h.text) for h in info.conditions)
    asserted = tuple((h.name, h.kind, sp.srepr(h.gap), h.text) for h in info.asserted)
    declared = info.declared
    constants = {key: sp.srepr(value) for key, value in info.constants.items()}
    slopes = {key: sp.srepr(value) for key, value in info.slopes.items()}
    return (info.name, sp.srepr(info.bound), dict(info.labels), info.parameters, conditions, asserted,
            sp.srepr(info.step), dict(info.rates), info.external, constants, slopes, info.statement, declared.bounds,
            declared.iterate, declared.algorithm, declared.holds, declared.shape,
            declared.simulation_assumes)  # fmt: skip


def test_every_slope_is_the_derivative_of_its_bound() -> None:
    """sample_size reads d(bound)/dn and d(bound)/dT from the info: each is sympy's derivative of the bound."""
    for name in bounds.catalogue().names:
        info = bounds.theorem_info(name)
        solvable = [p for p in bounds.SOLVABLE if bounds.SYMBOLS[p] in info.bound.free_symbols]
        assert sorted(info.slopes) == sorted(solvable), name
        for p in solvable:
            assert info.slopes[p] == sp.diff(info.bound, bounds.SYMBOLS[p]), (name, p)


def test_the_catalogue_read_back_equals_the_one_built(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bounds.catalogue.cache_clear()
    try:
        built = bounds.catalogue()
        bounds.catalogue.cache_clear()
        read = bounds.catalogue()
    finally:
        bounds.catalogue.cache_clear()
    assert read is not built and read.names == built.names and read.listing == built.listing
    assert read.external == built.external
    for name in built.names:
        assert _facts(read.info(name)) == _facts(built.info(name)), name
        # The search plan and the negative control do not pickle: read from the chain on first use.
        assert read.info(name).declared.plan is built.info(name).declared.plan
