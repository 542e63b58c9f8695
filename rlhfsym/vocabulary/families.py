"""The instances a search draws: families of hypothesis strategies, and pinned instances checked first.

A theorem's search plan (:class:`~rlhfsym.vocabulary.Plan`) names the :class:`Family` objects it draws from and
the :class:`Pinned` instances it checks first (hypothesis ``@example`` style: regressions and equality cases).

* ``raw*`` -- every number drawn by hypothesis, so that a targeted search can move each one (:func:`_raw_cases`);
* ``corner*`` -- instances near the bounds' equality cases, set by a few numbers (:func:`_corner_cases`);
* ``covered*``, ``partial-small``, ``generic-every`` -- :func:`rlhfsym.testing.instances` in a coverage mode.

"small" keeps every sample of size n enumerable (at most 20); "tiny" at most 6 samples (the SGA paper forms average
seeds on each); "every" has K - 1 >= d, so every sample is covered and the expectation over samples is exact. The
corner families get a double share of a search's examples. hypothesis is imported when a strategy is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .registry import Vocabulary

# The public names are re-exported by rlhfsym.vocabulary (its __all__).


# ============================================================================================ families


def _log_uniform(st: Any, lo: float, hi: float) -> Any:
    """Numbers spread over the decades of [lo, hi], both ends included (hypothesis can climb along them)."""
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi))


def _raw_cases(sizes: tuple[tuple[int, int], ...], every: bool = False) -> Any:
    """Instances whose every number is drawn by hypothesis (so that a targeted search can move each one): features
    in [-1, 1]^d (half of the entries from the corners -1, 0, 1, +-0.99) rescaled to the norm bound B,
    theta* = S u, reference logits in [-8, 8] or uniform, prompt weights in [1/100, 1], beta in [10^-3, 10^3],
    B in [0.1, 10], S in {0} or [10^-4, 10]; the training sample is drawn too (deterministic claims hold for every
    sample). Draws with all-zero features are rejected. ``sizes`` are the (d, K, N, n) ranges; ``every`` keeps
    d <= K - 1, so that every sample is covered."""
    import numpy as np
    from hypothesis import reject
    from hypothesis import strategies as st

    from ..numerics import Instance
    from ..testing import Case

    (d_lo, d_hi), (K_lo, K_hi), (N_lo, N_hi), (n_lo, n_hi) = sizes
    # Corners (antipodal actions, prompts on one level, features confined to an axis) need exact values:
    # half of the entries come from {-1, 0, 1, +-0.99} (a slightly spread level still covers).
    unit = st.one_of(st.sampled_from((-1.0, 0.0, 1.0, -0.99, 0.99)),
                     st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False))

    @st.composite
    def draw_case(draw: Any) -> Case:
        K = draw(st.integers(K_lo, K_hi))
        d = draw(st.integers(d_lo, min(d_hi, K - 1) if every else d_hi))
        N = draw(st.integers(N_lo, N_hi))
        n = draw(st.integers(n_lo, n_hi))
        raw = np.array(draw(st.lists(unit, min_size=N * K * d, max_size=N * K * d))).reshape(N, K, d)
        largest = float(np.max(np.linalg.norm(raw, axis=-1)))
        if not largest > 0:
            reject()
        B = draw(_log_uniform(st, 0.1, 10.0))
        direction = np.array(draw(st.lists(unit, min_size=d, max_size=d)))
        norm = float(np.linalg.norm(direction))
        direction = direction / norm if norm > 0 else np.eye(d)[0]
        S = draw(st.one_of(st.just(0.0), _log_uniform(st, 1e-4, 10.0)))
        beta = draw(_log_uniform(st, 1e-3, 1e3))
        uniform = draw(st.booleans())
        if uniform:
            pi_ref = np.full((N, K), 1.0 / K)
        else:
            logits = np.array(draw(st.lists(st.floats(-8.0, 8.0), min_size=N * K, max_size=N * K))).reshape(N, K)
            pi_ref = np.exp(logits - logits.max(axis=1, keepdims=True))
            pi_ref /= pi_ref.sum(axis=1, keepdims=True)
        weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
        indices = draw(st.lists(st.integers(0, N - 1), min_size=n, max_size=n))
        inst = Instance(raw * (B / largest), weights / weights.sum(), S * direction, pi_ref, beta)
        return Case(inst, np.array(indices), "generic", "uniform" if uniform else "random")

    return draw_case()


def _corner_cases(sizes: tuple[tuple[int, int], tuple[int, int]]) -> Any:
    """Instances near the bounds' equality cases, set by a few numbers that a targeted search climbs easily.

    Each prompt x has two actions ``B (c_x e_1 +- s_x u_x)`` (a centre c_x on the axis of theta* when the angle of
    theta* is 0, a spread s_x along a unit direction u_x), rescaled to the norm bound B, and a reference logit
    difference l_x (0: uniform). With c = 0 and s = 1 the actions are antipodal, where the Bregman bound
    KL <= (B^2/2) ||v - w||^2 and gamma = B^2 are tight; with c = +-1 and a small s the prompts sit on two levels
    of reward +-S B, where Hoeffding's inequality is nearly tight; d = 2 puts some prompts on the second axis.
    ``sizes`` are the (N, n) ranges."""
    import numpy as np
    from hypothesis import reject
    from hypothesis import strategies as st

    from ..numerics import Instance
    from ..testing import Case

    (N_lo, N_hi), (n_lo, n_hi) = sizes

    def corner(values: tuple[float, ...]) -> Any:
        return st.one_of(st.sampled_from(values), st.floats(min(values), max(values)))

    @st.composite
    def draw_case(draw: Any) -> Case:
        d = draw(st.integers(1, 2))
        N = draw(st.integers(N_lo, N_hi))
        n = draw(st.integers(n_lo, n_hi))
        features = np.zeros((N, 2, d))
        logits = np.zeros((N, 2))
        for x in range(N):
            centre = draw(corner((0.0, 1.0, -1.0)))
            spread = draw(st.one_of(st.just(1.0), _log_uniform(st, 1e-3, 1.0)))
            angle = draw(corner((0.0, math.pi / 2))) if d == 2 else 0.0
            u = np.array([math.cos(angle), math.sin(angle)])[:d]
            base = np.eye(d)[0] * centre
            features[x, 0], features[x, 1] = base + spread * u, base - spread * u
            logits[x, 0] = draw(corner((0.0, 2.0, -2.0)))
        largest = float(np.max(np.linalg.norm(features, axis=-1)))
        if not largest > 0:
            reject()
        B = draw(_log_uniform(st, 0.1, 10.0))
        S = draw(_log_uniform(st, 1e-4, 10.0))
        beta = draw(_log_uniform(st, 1e-3, 1e3))
        angle = draw(corner((0.0, math.pi / 2, math.pi))) if d == 2 else draw(st.sampled_from((0.0, math.pi)))
        theta = S * np.array([math.cos(angle), math.sin(angle)])[:d]
        weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=N, max_size=N)))
        pi_ref = np.exp(logits - logits.max(axis=1, keepdims=True))
        pi_ref /= pi_ref.sum(axis=1, keepdims=True)
        indices = draw(st.lists(st.integers(0, N - 1), min_size=n, max_size=n))
        inst = Instance(features * (B / largest), weights / weights.sum(), theta, pi_ref, beta)
        return Case(inst, np.array(indices), "generic", "uniform" if not logits.any() else "random")

    return draw_case()


def _population_cases() -> Any:
    """Two prompts whose population coverage gamma_D is a large fraction of B^2, and samples just large enough that
    the matrix Chernoff condition of the population-coverage theorems, d e^{-c n gamma_D/B^2} <= delta/2, holds at
    every confidence a search draws (delta >= 0.01): n = (1 + u) n_min + 2 with u in [0, 1/2] (so that the n + 1
    samples of two prompts stay enumerable). d = 1: two actions B (c +- s) per prompt (c in [-0.3, 0.3],
    s in [0.7, 1]); d = 2: four actions +-s_1 u, +-s_2 u' on two orthogonal axes turned by an angle; reference
    logits in [-1, 1]; B, S, beta and theta* as in the corner family."""
    import numpy as np
    from hypothesis import reject
    from hypothesis import strategies as st

    from ..numerics import Instance, coverage
    from ..testing import Case

    chernoff_c = (1 - math.log(2)) / 2

    @st.composite
    def draw_case(draw: Any) -> Case:
        d = draw(st.integers(1, 2))
        N = 2
        K = 2 if d == 1 else 4
        features = np.zeros((N, K, d))
        for x in range(N):
            if d == 1:
                c, spread = draw(st.floats(-0.3, 0.3)), draw(st.floats(0.7, 1.0))
                features[x, :, 0] = (c + spread, c - spread)
            else:
                angle = draw(st.floats(0.0, math.pi / 2))
                u, v = np.array([math.cos(angle), math.sin(angle)]), np.array([-math.sin(angle), math.cos(angle)])
                s1, s2 = draw(st.floats(0.7, 1.0)), draw(st.floats(0.7, 1.0))
                features[x] = (s1 * u, -s1 * u, s2 * v, -s2 * v)
        largest = float(np.max(np.linalg.norm(features, axis=-1)))
        if not largest > 0:
            reject()
        logits = np.array(draw(st.lists(st.floats(-1.0, 1.0), min_size=N * K, max_size=N * K))).reshape(N, K)
        pi_ref = np.exp(logits - logits.max(axis=1, keepdims=True))
        pi_ref /= pi_ref.sum(axis=1, keepdims=True)
        B = draw(_log_uniform(st, 0.1, 10.0))
        S = draw(_log_uniform(st, 1e-4, 10.0))
        beta = draw(_log_uniform(st, 1e-3, 1e3))
        angle = draw(st.floats(0.0, 2 * math.pi))
        theta = S * np.array([math.cos(angle), math.sin(angle)])[:d] if d == 2 else np.array([S * math.cos(angle)])
        weights = np.array(draw(st.lists(st.floats(0.1, 1.0), min_size=N, max_size=N)))
        inst = Instance(features * (B / largest), weights / weights.sum(), theta, pi_ref, beta)
        fraction = coverage(inst) / B**2  # gamma_D / B^2
        if not fraction > 0.2:
            reject()
        n_min = math.log(2 * d / 0.01) / (chernoff_c * fraction)
        n = math.ceil((1 + draw(st.floats(0.0, 0.5))) * n_min) + 2
        indices = draw(st.lists(st.integers(0, N - 1), min_size=n, max_size=n))
        return Case(inst, np.array(indices), "generic", "random")

    return draw_case()


@dataclass(frozen=True)
class Family:
    """A family of instances a search draws: ``build()`` returns its hypothesis strategy of
    :class:`rlhfsym.testing.Case` objects; ``weight`` is its share of a search's examples."""

    name: str
    build: Callable[[], Any]
    weight: int = 1

    def strategy(self) -> Any:
        """The hypothesis strategy of the family's cases."""
        return self.build()


def _instances(**knobs: Any) -> Callable[[], Any]:
    """:func:`rlhfsym.testing.instances` with these knobs."""

    def build() -> Any:
        from .. import testing as rt

        return rt.instances(**knobs)

    return build


def _generic_every() -> Any:
    """Generic features with K - 1 >= d (d = 1, or d = 2 with K >= 3): every sample is covered."""
    from hypothesis import strategies as st

    from .. import testing as rt

    return st.one_of(
        rt.instances(coverage="generic", d=1, K=(2, 4), n=(1, 3), N=(1, 4)),
        rt.instances(coverage="generic", d=2, K=(3, 4), n=(1, 3), N=(1, 4)),
    )


#: Every family of instances a plan may draw from.
FAMILIES: Vocabulary[Family] = Vocabulary("family")

RAW = FAMILIES.register(Family("raw", lambda: _raw_cases(((1, 3), (2, 4), (1, 5), (1, 6)))))
RAW_SMALL = FAMILIES.register(Family("raw-small", lambda: _raw_cases(((1, 3), (2, 4), (1, 4), (1, 3)))))
RAW_TINY = FAMILIES.register(Family("raw-tiny", lambda: _raw_cases(((1, 2), (2, 3), (1, 3), (1, 2)))))
RAW_EVERY = FAMILIES.register(Family("raw-every", lambda: _raw_cases(((1, 2), (2, 4), (1, 4), (1, 3)), every=True)))
CORNER = FAMILIES.register(Family("corner", lambda: _corner_cases(((1, 3), (1, 4))), weight=2))
CORNER_SMALL = FAMILIES.register(Family("corner-small", lambda: _corner_cases(((1, 3), (1, 3))), weight=2))
CORNER_TINY = FAMILIES.register(Family("corner-tiny", lambda: _corner_cases(((1, 3), (1, 2))), weight=2))
COVERED = FAMILIES.register(
    Family("covered", _instances(coverage=("full", "tiny"), d=(1, 4), K=(2, 5), n=(1, 8), N=(1, 8)))
)
COVERED_SMALL = FAMILIES.register(
    Family("covered-small", _instances(coverage=("full", "tiny"), d=(1, 3), K=(2, 4), n=(1, 3), N=(1, 4)))
)
COVERED_TINY = FAMILIES.register(
    Family("covered-tiny", _instances(coverage=("full", "tiny"), d=(1, 2), K=(2, 3), n=(1, 2), N=(1, 3)))
)
PARTIAL_SMALL = FAMILIES.register(
    Family("partial-small", _instances(coverage=("none", "full"), d=(1, 4), K=(2, 3), n=(1, 3), N=(2, 4)))
)
GENERIC_EVERY = FAMILIES.register(Family("generic-every", _generic_every))
#: Large samples of well-covered populations: where the population-coverage theorems' n condition holds.
POPULATION_COVERED = FAMILIES.register(Family("population-covered", _population_cases))

#: The usual groups: every sample enumerable (small), at most 6 samples (tiny), larger instances (wide).
SMALL = (RAW_SMALL, CORNER_SMALL, COVERED_SMALL)
TINY = (RAW_TINY, CORNER_TINY, COVERED_TINY)
WIDE = (RAW, CORNER, COVERED)


# ============================================================================================ pinned instances


@dataclass(frozen=True, eq=False)
class Draw:
    """One example of a search: a case (instance and training sample), the steps T, the step factor of the sharp
    forms (eta = eta_factor / (beta B^2 (1 + 1e-9))), the confidence delta, and the seeds and size of the
    perturbed copies."""

    case: Any
    T: int
    eta_factor: float = 1.0
    delta: str = "0.05"
    seeds: tuple[int, ...] = ()
    scale: float = 1e-3


@dataclass(frozen=True)
class Pinned:
    """An instance every search whose plan names it checks first (a hypothesis ``@example``): ``build()`` returns
    its :class:`Draw`; ``text`` says why it is pinned."""

    name: str
    build: Callable[[], Draw]
    text: str

    def draw(self) -> Draw:
        """The pinned draw."""
        return self.build()


def _antipodal(T: int, factor: float) -> Callable[[], Draw]:
    def build() -> Draw:
        import numpy as np

        from ..numerics import Instance
        from ..testing import Case

        inst = Instance(np.array([[[1.0], [-1.0]]]), np.array([1.0]), np.array([1e-3]), np.full((1, 2), 0.5), 1.0)
        return Draw(Case(inst, np.array([0]), "full", "uniform"), T, factor, "0.05", (1, 2), 1e-3)

    return build


def _two_levels() -> Draw:
    import numpy as np

    from ..numerics import Instance
    from ..testing import Case

    features = np.array([[[1.0], [0.98]], [[-1.0], [-0.98]]])
    inst = Instance(features, np.array([0.5, 0.5]), np.array([1e-3]), np.full((2, 2), 0.5), 1000.0)
    return Draw(Case(inst, np.array([0, 1]), "generic", "uniform"), 20, 1.0, "0.2", (1,), 1e-3)


#: Every pinned instance a plan may name.
PINNED: Vocabulary[Pinned] = Vocabulary("pinned instance")

ANTIPODAL = PINNED.register(Pinned(
    "antipodal", _antipodal(1, 0.01),
    "one prompt, d = 1, actions +-B under a uniform reference, so gamma = B^2 exactly: the equality case of the "
    "Bregman bound (the last-iterate excess bounds reach ratio 0.99 at T = 1, eta = 0.01/(beta B^2)); a regression "
    "too: gamma = B^2 once made the interval condition gamma <= B^2 undecidable, so this corner was refused",
))
ANTIPODAL_T5 = PINNED.register(Pinned("antipodal-T5", _antipodal(5, 0.5), "the antipodal instance at T = 5, "
                                                                          "eta = 0.5/(beta B^2)"))
TWO_LEVELS = PINNED.register(Pinned(
    "two-levels", _two_levels,
    "two prompts of equal weight on the reward levels +-S B (actions B (+-1, +-0.98)), n = 2, beta = 1000, "
    "delta = 0.2: Hoeffding's inequality is nearly tight there (the gap is about S B with probability 1/2), and the "
    "optimisation terms are negligible",
))  # fmt: skip

#: The usual groups: the equality cases of the last-iterate bounds, and the two-level instance of the gap bounds.
EQUALITY_CASES = (ANTIPODAL, ANTIPODAL_T5)
TWO_LEVELS_ONLY = (TWO_LEVELS,)
