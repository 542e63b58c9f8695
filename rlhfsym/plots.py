"""The rate plots of ``docs/plots/``: each main theorem's certified bound beside the value it bounds, measured.

A theorem that declares a :class:`~rlhfsym.vocabulary.Figure` gets one PNG file (``rlhfsym report --plots [--out
DIR]`` calls :func:`write_plots`; the default folder is ``docs/plots``); :func:`figures` lists them, in the chain's
order. Today: the gap of the empirical optimum and of the last GA iterate against n (log-log, n^(-1/2)), the gap of
the best-gradient iterate of GA and of prompt-sampling SGA against T (the paper forms: T^(-1/4), T^(-1/8)), and the
excess of the last GA iterate against T (semi-log: the bound is C rho^(2T), a straight line on a logarithmic
y-axis). Titles and captions are written from the theorem's declaration (what it bounds, for which iterate of which
algorithm, how it holds, its form and step); nothing here names a theorem.

Every figure uses one fixed seeded instance, the one ``rlhfsym simulate --seed 0`` draws
(:func:`rlhfsym.numerics.random_instance` with seed 0, N = 30 prompts, K = 3 actions, d = 3, beta = 1). The
measured values come from :func:`rlhfsym.simulate.measure`, and the bound drawn is its certified upper value
(:attr:`rlhfsym.bounds.BoundResult.upper`, rounded up) at the parameters measured on the instance. A probability
claim is measured on several seeded training samples per n (each sample's value is drawn; the line is their mean,
the bound the smallest of their certified bounds); an expectation over the algorithm is the mean over seeded runs
(with two standard errors). The rate lines are references of slope only: through the first measured mean
against n, through the first measured value for rho^(2T), and at twice the first bound for the paper forms against
T (whose bounds follow their rates so closely that a line through the bound would hide under it).

The numbers behind each figure come from :func:`plot_data`, which needs numpy and the chain but not matplotlib,
so tests can check them (every measured value within its certified bound) where matplotlib is not installed.
Only :func:`write_plots` imports matplotlib (the ``plots`` extra: ``pip install 'rlhfsym[plots]'``); it draws with
the Agg renderer (no screen), in matplotlib's default style whatever the user's configuration, and writes 256-colour
PNG files (Pillow, median-cut palette, no dithering) with no metadata but the resolution: no version, no date, so
the bytes depend only on the numbers and on the matplotlib and Pillow versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .errors import RlhfsymError
from .vocabulary import Figure, Theorem

__all__ = ["PlotData", "figure_names", "figures", "plot_data", "write_plots"]

#: The instance every figure is measured on: the one ``rlhfsym simulate --seed 0`` draws.
SEED = 0
INSTANCE = {"N": 30, "K": 3, "d": 3, "beta": 1.0}
#: Confidence of the probability claims (as in ``rlhfsym simulate``).
DELTA = "0.05"
#: Seeded training samples per n for the probability claims drawn against n.
SAMPLES = 10
#: Seeded runs averaged for the expectation over the algorithm (SGA).
RUNS = 10
#: Measured excesses at most this are float64 round-off of J(w*) - J(w) (|J| is about 1), and are not drawn.
RESOLUTION = 1e-13
#: Resolution of the PNG files (dots per inch) and their size in inches.
DPI = 100
FIGSIZE = (7.0, 5.0)


def figures() -> tuple[Figure, ...]:
    """The figure of every theorem that declares one, in the chain's order (each with its ``theorem`` filled in)."""
    from .bounds import theorem_info, theorems

    declared = (theorem_info(row["theorem"]).declared for row in theorems())
    return tuple(theorem.figure for theorem in declared if theorem.figure is not None)


def figure_names() -> tuple[str, ...]:
    """The files :func:`write_plots` writes, in order."""
    return tuple(figure.name for figure in figures())


@dataclass(frozen=True)
class PlotData:
    """The numbers of one figure, and the declaration of the theorem it shows.

    ``values[i]`` are the measured values at ``x[i]`` (one per training sample for a probability claim drawn
    against n, else one: a single run, or a mean over runs with ``stderr[i]``); ``measured[i]`` is their mean;
    ``bound[i]`` the certified upper value (for several samples, the smallest of theirs); ``within[i]`` whether
    every measured value at ``x[i]`` is within its own certified bound; ``rate[i]`` the reference line; ``rho`` the
    rate's base for a geometric rate such as rho^(2T) (evaluated from the chain's constant at the measured
    parameters)."""

    spec: Figure
    declared: Theorem
    x: tuple[int, ...]
    values: tuple[tuple[float, ...], ...]
    measured: tuple[float, ...]
    stderr: tuple[float, ...]
    bound: tuple[float, ...]
    within: tuple[bool, ...]
    rate: tuple[float, ...]
    rho: float | None = None


def _instance():
    from .numerics import random_instance

    return random_instance(SEED, **INSTANCE)


def _samples(spec: Figure, inst, n: int) -> list[np.ndarray]:
    """The training samples at size n: several seeded ones for a probability claim against n, else the fixed one."""
    from .numerics import sample_prompts

    if spec.axis == "n":
        return [sample_prompts(inst, n, np.random.default_rng([SEED, n, k])) for k in range(SAMPLES)]
    return [sample_prompts(inst, n, SEED)]


def _rho(theorem: str, constant: str, measured: dict, eta: float | None) -> float:
    """The chain's constant (rho, or c) at the measured parameters (floats: a reference line, not a certified
    value)."""
    from .api import chain
    from .setting import SYMBOLS

    rho = chain().get(theorem).constants[constant]
    values = {**measured, **({} if eta is None else {"eta": eta})}
    return float(rho.subs({SYMBOLS[s.name]: values[s.name] for s in rho.free_symbols}))


@cache
def plot_data(spec: Figure) -> PlotData:
    """Measure ``spec.theorem`` on the fixed instance at every point of ``spec.grid`` and certify its bound.

    Everything is seeded, so the result depends on ``spec`` only; it is cached (a test that checks the numbers and
    one that draws them measure once)."""
    from .bounds import theorem_info
    from .simulate import measure

    inst = _instance()
    declared = theorem_info(spec.theorem).declared
    values, measured, stderr, bound, within = [], [], [], [], []
    rho, simulation = None, None
    for point in spec.grid:
        n, T = (point, spec.fixed) if spec.axis == "n" else (spec.fixed, point)  # T = 0: no algorithm (erm)
        runs = [
            measure(spec.theorem, inst, sample, T=max(T, 1), delta=DELTA, runs=RUNS, seed=SEED)
            for sample in _samples(spec, inst, n)
        ]
        simulation = runs[0]
        values.append(tuple(r.value for r in runs))
        measured.append(float(np.mean(values[-1])))
        stderr.append(runs[0].stderr if len(runs) == 1 else 0.0)
        bound.append(min(r.upper for r in runs))
        within.append(all(r.within for r in runs))
    x = np.array(spec.grid, dtype=float)
    if spec.rate.geometric:
        assert simulation is not None
        rho = _rho(spec.theorem, spec.rate.constant, simulation.measured, simulation.extra.get("eta"))
        shown = [i for i, v in enumerate(measured) if v > RESOLUTION]
        through = (x[shown[0]], measured[shown[0]])
    elif spec.axis == "n":
        through = (x[0], measured[0])
    else:  # the bound follows its rate closely: the reference is drawn twice as high, so that both show
        through = (x[0], 2 * bound[0])
    rate = spec.rate.line(x, through, rho)
    return PlotData(
        spec, declared, spec.grid, tuple(values), tuple(measured), tuple(stderr), tuple(bound), tuple(within),
        tuple(float(r) for r in rate), rho,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------ drawing


def _title(data: PlotData) -> str:
    spec, declared = data.spec, data.declared
    form = f" ({declared.form})" if declared.form else ""
    algorithm = f" of {declared.algorithm.text}" if declared.algorithm.iterative else ""
    holds = declared.holds.title(DELTA)
    return f"{spec.theorem}{form}\n{declared.bounds.text} of {declared.iterate.text}{algorithm}\n{holds}"


def _caption(data: PlotData) -> str:
    from .simulate import DEFAULT_STEP

    spec, declared = data.spec, data.declared
    inst = f"seed {SEED}, N = {INSTANCE['N']}, K = {INSTANCE['K']}, d = {INSTANCE['d']}, beta = {INSTANCE['beta']:g}"
    if spec.axis == "n":
        how = f"T = {spec.fixed}, " if declared.algorithm.iterative else ""
        how += f"{SAMPLES} seeded training samples per n; bound: the smallest of their certified bounds"
    else:
        how = f"one seeded training sample of n = {spec.fixed} prompts"
        if declared.holds.over_algorithm:
            how += f"; mean over {RUNS} seeded runs (bars: 2 standard errors)"
    step = declared.step or (DEFAULT_STEP if declared.algorithm.iterative else "")
    return "\n".join([f"instance: {inst}", how, "; ".join([*([step] if step else []), spec.rate.axes])])


def _draw(data: PlotData, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    spec = data.spec
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.array(data.x, dtype=float)
    ax.plot(x, data.bound, "-o", color="C0", markersize=4, label="certified bound (upper value, rounded up)")
    measured = np.array(data.measured)
    keep = np.ones(len(x), dtype=bool) if spec.rate.log_x else measured > RESOLUTION
    if spec.axis == "n":
        xs = np.repeat(x, [len(v) for v in data.values])
        ys = np.concatenate([np.array(v) for v in data.values])
        ax.plot(xs, ys, ".", color="C1", alpha=0.35, markersize=4, label=f"measured: each of {SAMPLES} samples")
        ax.plot(x, measured, "-s", color="C1", markersize=4, label="measured: mean over the samples")
    elif data.declared.holds.over_algorithm:
        ax.errorbar(x, measured, yerr=2 * np.array(data.stderr), fmt="-s", color="C1", markersize=4, capsize=3,
                    label=f"measured: mean over {RUNS} runs")  # fmt: skip
    else:
        label = "measured" + (f" (values <= {RESOLUTION:g}, float64 round-off, not drawn)" if not keep.all() else "")
        ax.plot(x[keep], measured[keep], "-s", color="C1", markersize=4, label=label)
    if spec.rate.geometric:
        assert data.rho is not None
        constant = f"{spec.rate.constant} = {data.rho:.6g}"
        rate_label = f"rate {spec.rate.text}, {constant} (chain's constant), through the first measured point"
        rate = np.array(data.rate)
        ax.plot(x[rate > RESOLUTION / 10], rate[rate > RESOLUTION / 10], "--", color="0.4", label=rate_label)
    else:
        through = "through the first measured mean" if spec.axis == "n" else "at twice the first bound"
        ax.plot(x, data.rate, "--", color="0.4", label=f"published rate {spec.rate.text} (slope reference, {through})")
    if spec.rate.log_x:
        ax.set_xscale("log")
    elif getattr(spec.rate, "sqrt_x", False):  # a stretched exponential is a straight line against sqrt(T)
        ax.set_xscale("function", functions=(lambda v: np.sqrt(np.maximum(v, 0)), np.square))
    ax.set_yscale("log")
    ax.set_xlabel("n (training prompts)" if spec.axis == "n" else "T (algorithm steps)")
    ax.set_ylabel(data.declared.bounds.text)
    ax.set_title(_title(data), fontsize=9)
    ax.grid(True, which="major", alpha=0.3)
    if spec.axis == "n":  # room below the samples for the legend
        ax.set_ylim(bottom=min(v for values in data.values for v in values if v > 0) / 100)
    ax.legend(fontsize=7.5, loc="center right" if spec.axis == "T" else "lower left")
    fig.text(0.01, 0.005, _caption(data), fontsize=6.5, color="0.3", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.075, 1, 0.925))  # room for the caption
    _save_png(canvas, path)


def _save_png(canvas, path: Path) -> None:
    """The drawn figure as a 256-colour PNG (a third of the RGBA size, the same look) without metadata."""
    from PIL import Image  # a dependency of matplotlib

    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    palette = image.quantize(colors=256, method=0, dither=0)  # median cut, no dithering: deterministic
    palette.save(path, format="png", optimize=True, dpi=(DPI, DPI))


def write_plots(out_dir: str | Path, *, specs: Sequence[Figure] | None = None) -> list[Path]:
    """Measure and draw every figure of :func:`figures` (or of ``specs``) into ``out_dir`` (created if missing);
    returns the paths, in order. About 30 s for all of them on one core.

    Raises :class:`~rlhfsym.errors.RlhfsymError` when matplotlib is not installed.
    """
    try:
        import matplotlib
        import matplotlib.style
    except ImportError:
        raise RlhfsymError("the plots need matplotlib: pip install 'rlhfsym[plots]'") from None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.style.context("default"), matplotlib.rc_context({"font.size": 9}):
        for spec in figures() if specs is None else specs:
            path = out / spec.name
            _draw(plot_data(spec), path)
            paths.append(path)
    return paths
