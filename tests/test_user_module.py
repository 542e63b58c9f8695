"""A user's own derivation: `rlhfsym verify --module` checks the example of docs/engine.md ("Check your own
derivation"), a module outside the package that cites a package lemma by name; planted bugs in it are caught."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rlhfsym import api, cli
from rlhfsym.errors import ParameterError

ROOT = Path(__file__).resolve().parent.parent
SECTION = (ROOT / "docs" / "engine.md").read_text().split("## Check your own derivation", 1)[1].split("\n## ", 1)[0]
EXAMPLE = re.search(r"```python\n(.*?)```", SECTION, re.S).group(1)
OWN = ("log_le_two_mul_sqrt_sub_one", "log_le_two_mul_sqrt_sub_one_direct", "young_two")


def _module(tmp_path: Path, text: str = EXAMPLE, name: str = "my_lemmas.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _statuses(path: Path, capsys: pytest.CaptureFixture) -> tuple[int, dict[str, str]]:
    code = cli.main(["verify", "--module", str(path), "--json", "--jobs", "1"])
    rows = json.loads(capsys.readouterr().out)["lemmas"]
    return code, {row["name"]: row["status"] for row in rows}


def test_the_documented_example_verifies_with_the_package_lemma_it_cites(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, status = _statuses(_module(tmp_path), capsys)
    assert code == 0
    assert status == {"log_le_sub_one": "verified", **{name: "verified" for name in OWN}}


@pytest.mark.cost(8)
def test_the_documented_output_is_what_the_command_prints(tmp_path: Path) -> None:
    # Run from outside the source tree, as a user would: the module is not part of the package.
    path = _module(tmp_path)
    done = subprocess.run([sys.executable, "-m", "rlhfsym", "verify", "--module", str(path)], cwd=tmp_path,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = re.search(r"```console\n\$ rlhfsym verify --module my_lemmas.py\n(.*?)```", SECTION, re.S).group(1)
    strip = lambda text: [re.sub(r"\d+\.\d\d$", "", line).rstrip() for line in text.strip().splitlines()]  # noqa: E731
    assert strip(done.stdout) == strip(shown)


@pytest.mark.parametrize(
    ("planted", "old", "new"),
    [
        ("young_two", "Algebra(witness=(a - b) ** 2 / 2)", "Algebra(witness=(a - b) ** 2)"),
        ("log_le_two_mul_sqrt_sub_one", "{log_le_sub_one.y: sp.sqrt(x)}", "{log_le_sub_one.y: x}"),
        ("log_le_two_mul_sqrt_sub_one_direct", "FirstDerivativeTest(f, x, 1,", "FirstDerivativeTest(f, x, 2,"),
    ],
)
def test_a_planted_bug_is_not_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture, planted: str, old: str, new: str
) -> None:
    assert old in EXAMPLE
    code, status = _statuses(_module(tmp_path, EXAMPLE.replace(old, new, 1)), capsys)
    assert code == 1 and status[planted] in ("failed", "undecided")
    assert all(status[name] == "verified" for name in OWN if name != planted)


def test_a_user_lemma_may_not_take_a_package_lemmas_name(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _module(tmp_path, EXAMPLE.replace('name="young_two"', 'name="log_le_sub_one"', 1))
    with pytest.raises(SystemExit) as stop:
        cli.main(["verify", "--module", str(path)])
    assert stop.value.code == 2
    assert "log_le_sub_one is a lemma of the package's chain" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "source", "says"),
    [
        (None, "missing.py", "must be a Python file that exists"),
        ("raise RuntimeError('boom')\n", "bad.py", "importing it raised RuntimeError: boom"),
        ("x = 1\n", "empty.py", "defines no Registry"),
        (EXAMPLE, "my_lemmas.py:OTHER", "has no Registry called OTHER"),
        (None, "json", "must be MODULE:NAME"),
    ],
)
def test_a_bad_module_is_one_clear_error(tmp_path: Path, text: str | None, source: str, says: str) -> None:
    if text is not None:
        _module(tmp_path, text, source.split(":")[0])
    where = source if source == "json" else str(tmp_path / source)
    with pytest.raises(ParameterError, match=re.escape(says)):
        api.load_registry(where)


def test_the_step_printer_is_public(tmp_path: Path) -> None:
    registry = api.load_registry(str(_module(tmp_path)))
    result = api.verify(registry=registry, jobs=1)
    text = api.format_steps(next(r for r in result.reports if r.name == "young_two"))
    assert text.splitlines()[0] == "young_two: verified  []"
    assert "because: the gap is (a - b)^2 / 2" in text


def test_an_importable_module_is_named_module_colon_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _module(tmp_path, EXAMPLE, "rlhfsym_test_user_lemmas.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = api.load_registry("rlhfsym_test_user_lemmas:REGISTRY")
    assert sorted(lemma.name for lemma in registry) == sorted(OWN)
