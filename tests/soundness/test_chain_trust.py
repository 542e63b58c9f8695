"""External facts are taken on trust, never verified; citing one is checked like a lemma citation; every lemma's
trusted base (the external facts it rests on, transitively, and its own asserted conditions) is reported."""

from __future__ import annotations

import pytest
import sympy as sp

from rlhfsym.chain import (
    EXTERNAL,
    FAILED,
    VERIFIED,
    Algebra,
    Claim,
    Hypothesis,
    Lemma,
    calc,
    check_lemmas,
    citation,
)

x, y, M = sp.symbols("x y M", positive=True)

#: A classical fact, stated once: for every x, y > 0 with x <= y, log x <= log y.
LOG_MONO = Lemma(
    "log_le_log_of_le",
    "log is increasing",
    "classical (taken on trust here)",
    kind="external",
    claims=(Claim.taken_on_trust("main", sp.log(x), "<=", sp.log(y), (Hypothesis("le", x, "<=", y),)),),
)


def _user(hypotheses: tuple, name: str = "user", kind: str = "lemma", **kw) -> Lemma:
    h = next(h for h in hypotheses if h.by is not None)
    claim = Claim("main", h.lhs, "<=", h.rhs, calc(("<=", h.rhs, "cited", Algebra(h.slack))), hypotheses=hypotheses)
    return Lemma(name, "uses the external fact", "test", (claim,), kind=kind, depends_on=(LOG_MONO.name,), **kw)


def test_an_external_fact_is_reported_as_external_never_as_verified() -> None:
    (report,) = check_lemmas([LOG_MONO])
    assert report.status == EXTERNAL
    assert all(s.status == EXTERNAL for s in report.steps)


def test_a_citation_of_an_external_fact_is_checked_and_enters_the_trusted_base() -> None:
    le = Hypothesis("le_M", x, "<=", M, kind="asserted")
    cited = citation(LOG_MONO, "main", {y: M}, name="log_mono")
    _, report = check_lemmas([LOG_MONO, _user((le, cited))])
    assert report.status == VERIFIED
    assert report.external == ("log_le_log_of_le",)
    assert report.asserted == ("le_M",)
    assert report.to_json()["trusted_base"] == {"external": ["log_le_log_of_le"], "asserted": ["le_M"]}


def test_a_citation_of_an_external_fact_must_discharge_its_hypotheses() -> None:
    cited = citation(LOG_MONO, "main", {y: M}, name="log_mono")
    _, report = check_lemmas([LOG_MONO, _user((cited,))])
    assert report.status == FAILED
    assert "not discharged" in next(s for s in report.steps if s.rule == "citation").detail


def test_the_trusted_base_is_transitive() -> None:
    le = Hypothesis("le_M", x, "<=", M, kind="asserted")
    middle = _user((le, citation(LOG_MONO, "main", {y: M}, name="log_mono")), name="middle")
    again = Hypothesis("again", sp.log(x), "<=", sp.log(M), by="middle#main")
    step = ("<=", sp.log(M) + 1, "cited", Algebra(again.slack + 1))
    top_claim = Claim("main", sp.log(x), "<=", sp.log(M) + 1, calc(step), hypotheses=(le, again))
    top = Lemma("top", "s", "t", (top_claim,), depends_on=("middle",))
    *_, report = check_lemmas([LOG_MONO, middle, top])
    assert report.status == VERIFIED
    assert report.external == ("log_le_log_of_le",)


def test_an_external_fact_takes_no_proof_and_a_lemma_takes_one() -> None:
    with pytest.raises(ValueError, match="taken on trust"):
        Lemma("f", "s", "t", kind="external", claims=(Claim("main", x, "<=", y, calc(("<=", y, "why"))),))
    with pytest.raises(ValueError, match="only an external fact"):
        Lemma("g", "s", "t", claims=(Claim.taken_on_trust("main", x, "<=", y),))
    with pytest.raises(ValueError, match="needs at least one step"):
        Claim("main", x, "<=", y, ())


def test_a_hypothesis_kind_is_one_of_the_declared_ones_and_a_citation_has_none() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        Hypothesis("h", x, "<=", y, kind="prose")
    with pytest.raises(ValueError, match="no other kind"):
        Hypothesis("h", x, "<=", y, by="l#main", kind="asserted")
