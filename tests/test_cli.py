"""The command line: what it prints, its exit statuses, and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp

from rlhfsym import api, cli
from rlhfsym.chain import Claim, Lemma, Registry, calc

#: docs/setting.md, section 2, identity by identity, and the lemmas that prove each.
SEVEN_IDENTITIES = {
    "policy gradient": ["grad_eq_cov_mul_of_loglinear"],
    "KL gap": ["gap_eq_smul_kl_of_boltzmann_opt"],
    "ascent toward the optimum": ["inner_grad_eq_smul_var_of_loglinear"],
    "spectral bound": ["cov_quad_le_sq_mul_sq_norm_of_norm_le"],
    "KL as a Bregman divergence": ["kl_eq_bregman_of_loglinear", "kl_le_half_sq_mul_dist_sq_of_norm_le"],
    "coverage moves with w": ["cov_ge_exp_smul_cov_ref_of_norm_le"],
    "REINFORCE": ["reinforce_unbiased_of_loglinear"],
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rlhfsym", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.cost(1)  # with the marked tests, after tests/test_chain_registry_walk.py has written the record
def test_verify_json_lists_the_seven_identities_as_verified(chain_record) -> None:
    # chain_record: the session's complete check is written, and the command reads it (one check per session)
    done = run("verify", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    status = {lemma["name"]: lemma for lemma in report["lemmas"]}
    for identity, names in SEVEN_IDENTITIES.items():
        for name in names:
            assert status[name]["status"] == "verified", identity
            assert status[name]["kind"] == "lemma"
            assert status[name]["steps"] >= 1
    assert report["failed"] == 0 and report["undecided"] == 0
    assert report["verified"] + report["external"] == len(report["lemmas"])
    assert all(lemma["status"] == "external" for lemma in report["lemmas"] if lemma["kind"] == "external")
    first = next(lemma for lemma in report["lemmas"] if lemma["kind"] == "lemma")
    assert set(first) == {"name", "kind", "status", "steps", "depends_on", "seconds", "trusted_base"}


def _failing_registry() -> Registry:
    x = sp.Symbol("x", real=True)
    registry = Registry("test")
    registry.register(
        Lemma("sq_eq_self", "x^2 = x (false)", "test", (Claim("main", x**2, "==", x, calc(("==", x, "wrong"))),))
    )
    return registry


def test_verify_exits_1_and_shows_the_failed_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(api, "chain", _failing_registry)
    assert cli.main(["verify", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "sq_eq_self" in out and "failed" in out and "residual" in out
    assert "0 verified, 1 failed, 0 undecided" in out


def test_verify_json_exit_status_follows_the_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(api, "chain", _failing_registry)
    assert cli.main(["verify", "--json", "--jobs", "1"]) == 1
    assert json.loads(capsys.readouterr().out)["failed"] == 1


def test_verify_one_lemma_checks_its_dependencies_too(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["verify", "--lemma", "cov_quad_le_sq_mul_sq_norm_of_norm_le", "--json", "--jobs", "1"]) == 0
    names = [lemma["name"] for lemma in json.loads(capsys.readouterr().out)["lemmas"]]
    assert names == ["inner_sq_le_sq_norm_mul_sq_norm", "cov_quad_le_sq_mul_sq_norm_of_norm_le"]


def test_verify_steps_prints_every_justification(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["verify", "--lemma", "log_le_sub_one", "--steps", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "first-derivative test" in out and "because:" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["verify", "--jobs", "0"], "--jobs"),
        (["verify", "--jobs", "two"], "--jobs"),
        (["verify", "--lemma", "no_such_lemma"], "no_such_lemma"),
        (["verify", "--frobnicate"], "--frobnicate"),
        (["chain", "--json", "--dot"], "not allowed"),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_bad_arguments_print_one_line_and_exit_2(args: list[str], needle: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rlhfsym: error:") and needle in lines[0]


def test_help_teaches_every_command() -> None:
    done = run("--help")
    assert done.returncode == 0
    for word in ("verify", "chain", "examples:", "exit status", "undecided"):
        assert word in done.stdout


def test_chain_lists_every_lemma_with_its_dependencies(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["chain", "--json"]) == 0
    graph = json.loads(capsys.readouterr().out)
    registry = api.chain()
    assert set(graph) == {lemma.name for lemma in registry}
    for name, entry in graph.items():
        assert entry["depends_on"] == list(registry.get(name).depends_on)


def test_chain_dot_has_one_edge_per_dependency(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["chain", "--dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph chain {") and out.rstrip().endswith("}")
    assert out.count("->") == len(api.chain().edges())


def test_python_dash_m_and_console_script_agree() -> None:
    assert run("--version").stdout.strip().startswith("rlhfsym ")


def test_verify_json_theorems_carry_their_labels(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["verify", "--lemma", "erm_gap_le_of_coverage", "--json", "--jobs", "1"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["lemmas"]}
    t1 = rows["erm_gap_le_of_coverage"]
    assert t1["kind"] == "theorem" and t1["status"] == "verified"
    assert (t1["algorithm"], t1["bounds"], t1["iterate"], t1["holds"]) == ("erm", "gap", "optimum", "probability")
    assert (t1["rate_n"], t1["rate_T"]) == ("n^(-1/2)", None)
    assert all("rate_n" not in row for row in rows.values() if row["kind"] == "lemma")


def test_docs_paper_table_names_every_theorem() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "paper.md").read_text()
    for lemma in api.chain():
        if lemma.kind == "theorem":
            assert f"`{lemma.name}`" in text, lemma.name


def test_verify_steps_lists_what_a_theorem_assumes(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["verify", "--lemma", "erm_gap_le_of_coverage", "--steps", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    theorem_part = out[out.index("erm_gap_le_of_coverage: verified") :]
    # each assumption with its kind: both are parameter conditions, certified before a bound is printed
    assert "assumes    coverage [parameter]:" in theorem_part and "assumes    confidence [parameter]:" in theorem_part
    assert "by abs_mean_sub_le_of_iid_mem_icc#main" in theorem_part  # Hoeffding's inequality, cited
