"""The rate plots of docs/plots: rlhfsym.plots and `rlhfsym report --plots`.

The numbers behind every figure are checked without matplotlib (so in CI, which installs ``.[test]`` only): every
measured value lies within its own certified bound, and each bound falls at its published rate. Drawing the PNG
files needs matplotlib (the ``plots`` extra); those tests skip when it is not installed, and only then.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rlhfsym.plots import figure_names, figures, plot_data, write_plots
from rlhfsym.vocabulary import Figure, GeometricRate, StretchedRate

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
needs_matplotlib = pytest.mark.skipif(
    not HAS_MATPLOTLIB, reason="matplotlib is not installed (pip install 'rlhfsym[plots]'); CI installs .[test] only"
)

#: Early, so that no worker steals part of the module: the figures' data are computed once (plot_data's cache) for
#: every test of the module, on one worker.
pytestmark = pytest.mark.cost(15)

PLOTS = figures()
#: Exponent of each published power rate.
EXPONENT = {"n^(-1/2)": -0.5, "T^(-1/4)": -0.25, "T^(-1/8)": -0.125}


def _form(spec: Figure) -> str:
    from rlhfsym.bounds import theorem_info

    return theorem_info(spec.theorem).declared.form


def test_every_theorem_that_declares_a_figure_has_one_file() -> None:
    assert len(set(figure_names())) == len(PLOTS) >= 5
    assert all(name.endswith(".png") for name in figure_names())


@pytest.mark.parametrize("spec", PLOTS, ids=figure_names())
def test_every_plotted_value_is_within_its_certified_bound(spec: Figure) -> None:
    data = plot_data(spec)
    assert data.x == spec.grid and len(data.bound) == len(data.measured) == len(data.rate) == len(spec.grid)
    assert all(data.within), [x for x, ok in zip(data.x, data.within, strict=True) if not ok]
    assert all(math.isfinite(b) and b > 0 for b in data.bound)
    assert all(v <= b * (1 + 1e-9) for values, b in zip(data.values, data.bound, strict=True) for v in values)
    assert data.bound[-1] < data.bound[0]


@pytest.mark.parametrize(
    "spec", [s for s in PLOTS if not s.rate.geometric and _form(s) != "sharp form"], ids=lambda s: s.name
)
def test_bound_falls_at_the_published_rate(spec: Figure) -> None:
    """Between the ends of the grid, the bound's log-log slope is the rate's exponent (the n-term of the paper
    forms, a constant in T, bends it by less than 0.01 here)."""
    data = plot_data(spec)
    slope = math.log(data.bound[-1] / data.bound[0]) / math.log(data.x[-1] / data.x[0])
    assert slope == pytest.approx(EXPONENT[spec.rate.text], abs=0.01)
    assert spec.rate.exponent == EXPONENT[spec.rate.text]
    rate = np.array(data.rate)
    assert np.log(rate[-1] / rate[0]) / np.log(data.x[-1] / data.x[0]) == pytest.approx(EXPONENT[spec.rate.text])


def test_sharp_form_bound_is_a_straight_line_on_semilog_axes() -> None:
    """ga_last_excess: bound = C rho^(2T), so log(bound) falls by 2 log(rho) per step, rho from the chain."""
    (spec,) = [s for s in PLOTS if isinstance(s.rate, GeometricRate)]
    data = plot_data(spec)
    assert data.rho is not None and 0 < data.rho < 1
    slopes = np.diff(np.log(data.bound)) / np.diff(np.array(data.x, dtype=float))
    assert np.allclose(slopes, 2 * math.log(data.rho), rtol=1e-6)


def test_stretched_form_bound_is_a_straight_line_against_sqrt_T() -> None:
    """sga_prompt_paper_step_last_excess: bound = C e^{-2c(sqrt(T+1) - 1)}, so log(bound) falls by 2c per unit of
    sqrt(T + 1), c from the chain; the reference line has the same slope."""
    (spec,) = [s for s in PLOTS if isinstance(s.rate, StretchedRate)]
    data = plot_data(spec)
    assert data.rho is not None and data.rho > 0
    root = np.sqrt(np.array(data.x, dtype=float) + 1)
    assert np.allclose(np.diff(np.log(data.bound)) / np.diff(root), -2 * data.rho, rtol=1e-6)
    assert np.allclose(np.diff(np.log(np.array(data.rate))) / np.diff(root), -2 * data.rho, rtol=1e-9)


def test_ga_last_gap_bound_flattens_at_the_optimisation_term() -> None:
    """At fixed T the sharp form's gap bound is rho^(2T) C + O(n^(-1/2)): it falls slower than n^(-1/2)."""
    (spec,) = [s for s in PLOTS if s.theorem == "ga_last_gap_le_of_coverage"]
    data = plot_data(spec)
    slope = math.log(data.bound[-1] / data.bound[0]) / math.log(data.x[-1] / data.x[0])
    assert -0.5 < slope < -0.2


@needs_matplotlib
def test_write_plots_writes_every_png(tmp_path: Path) -> None:
    from PIL import Image

    paths = write_plots(tmp_path / "plots")
    assert [p.name for p in paths] == list(figure_names())
    for path in paths:
        content = path.read_bytes()
        assert content.startswith(PNG_SIGNATURE), path.name
        assert 5_000 < len(content) < 100_000, (path.name, len(content))
        with Image.open(path) as image:
            assert image.size == (700, 500)
            assert "Software" not in image.info


@needs_matplotlib
def test_a_figure_is_byte_identical_when_drawn_twice(tmp_path: Path) -> None:
    (first,) = write_plots(tmp_path / "a", specs=PLOTS[:1])
    (second,) = write_plots(tmp_path / "b", specs=PLOTS[:1])
    assert first.read_bytes() == second.read_bytes()


def test_missing_matplotlib_gives_the_install_hint(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from rlhfsym.cli import main\n"
        f"raise SystemExit(main(['report', '--plots', '--out', {str(tmp_path)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "rlhfsym: error: the plots need matplotlib: pip install 'rlhfsym[plots]'"
    ]
    assert not list(tmp_path.iterdir())
