"""The package around the command line: its public names are discoverable and it ships its type annotations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import rlhfsym

ROOT = Path(__file__).resolve().parents[1]


def test_dir_lists_the_lazy_public_functions() -> None:
    names = dir(rlhfsym)
    for name in ("verify", "bound", "sample_size", "theorems", "ParameterError", "RlhfsymError", "__version__"):
        assert name in names, name
    assert set(rlhfsym.__all__) <= set(names)


def test_dir_loads_nothing_heavy() -> None:
    code = "import sys, rlhfsym; dir(rlhfsym); print('sympy' in sys.modules, 'numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_the_package_ships_py_typed() -> None:
    """PEP 561: ``rlhfsym/py.typed`` exists and is package data, so it lands in the wheel."""
    assert (Path(rlhfsym.__file__).parent / "py.typed").is_file()
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["rlhfsym"]


def test_the_cli_reference_generator_is_not_in_the_package() -> None:
    assert not (Path(rlhfsym.__file__).parent / "_clidoc.py").exists()
    assert (ROOT / "tools" / "clidoc.py").is_file()


def test_every_subpackage_of_rlhfsym_is_shipped_in_the_wheel() -> None:
    """``[tool.setuptools] packages`` lists packages explicitly: a new subpackage (rlhfsym.vocabulary) must be there,
    or the wheel CI installs lacks it."""
    import pkgutil

    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = set(config["tool"]["setuptools"]["packages"])
    found = {"rlhfsym"} | {m.name for m in pkgutil.walk_packages(rlhfsym.__path__, "rlhfsym.") if m.ispkg}
    assert found - {"rlhfsym.proofs"} <= shipped, found - shipped
