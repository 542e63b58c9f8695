"""The expectation half shared by the SGA paper forms: from the pathwise bound gap <= C sqrt(g) + dev at the best
full-gradient iterate to E gap <= C ((2 L_s Delta + L_s^2 noise) / (2 L_s eta_sum))^(1/4) + Hoeffding's term.

E gap <= C E sqrt(g) + dev: the expectation of the pathwise claim (cited as ``#pathwise``, so the claim ``main`` carries
every hypothesis of the pathwise bound) by :mod:`expect_le_of_le` (c = C >= 0, b = dev fixed given the sample); E
sqrt(g) = E (g^2)^(1/4) <= (E g^2)^(1/4) by Jensen (:mod:`mean_rpow_le_rpow_mean`, p = 1/4, Y = g^2); and the ascent
lemma in expectation summed over a window of steps (:mod:`expect_grad_sq_min_le_of_smooth`, smoothness L_s): E g^2 = E
min_t ||grad J_S(w_t)||^2 <= min_t E||grad J_S(w_t)||^2 <= (Delta + (L_s/2) noise) / eta_sum, where Delta bounds the
progress J_S(w*) - E J_S(w_start) (the caller's ``progress_fact``). The caller gives the window as an instance of the
ascent lemma: its step family, its ends, the lower bound ``eta_sum`` of the step sum and the upper bound ``noise`` of
sum eta_t^2 E||g_t||^2 (expressions, so they enter the bound directly), and the estimate's conditional mean and
directional derivative; the ascent lemma's premises under that instance (unbiasedness, the two window sums, nonnegative
steps) must be discharged by the caller's ``premises``, listed before it.
"""

from dataclasses import dataclass

import sympy as sp

from rlhfsym.chain import Claim, Derivation, Hypothesis, Monotone, calc, citation

from . import expect_grad_sq_min_le_of_smooth as ascent_lemma
from . import expect_le_of_le as expectation
from . import mean_rpow_le_rpow_mean as jensen_lemma
from ._concentration import HYPOTHESES as CONCENTRATION
from ._concentration import dev, with_deviation
from .ga_best_gap_le_of_coverage import Pathwise, g

mean_gap, mean_root, mean_square = sp.symbols("E_gap E_sqrt_g E_g2", nonnegative=True)
progress = sp.Symbol("Delta_E", nonnegative=True)  # J_S(w*) - E J_S(w_start)


@dataclass(frozen=True)
class ExpectedGap:
    """The bound and the two claims (``pathwise``, ``main``) of an SGA paper form."""

    bound: sp.Expr
    claims: tuple[Claim, ...]


def schedule(L: sp.Expr, step: sp.Symbol) -> tuple[sp.Lambda, Claim, Hypothesis]:
    """The paper forms' step eta_t = 1/(2 L sqrt t), the claim ``step_antitone`` that it does not increase
    (eta_{t+1} <= eta_t, by the mean value theorem on u -> -1/(2L sqrt u)), and its citation for every t."""
    u = sp.Symbol("u", positive=True)
    rate = sp.Lambda(step, 1 / (2 * L * sp.sqrt(step)))
    why = "1/(2L sqrt u) decreases in u > 0"
    claim = Claim("step_antitone", rate(step + 1), "<=", rate(step),
                  calc(("<=", rate(step), why, Monotone(-1 / (2 * L * sp.sqrt(u)), u, step, step + 1)),))  # fmt: skip
    return rate, claim, citation(claim, name="step_antitone", forall=(step,))


def expected_gap(
    path: Pathwise,
    smoothness: sp.Expr,
    progress_fact: Hypothesis,
    window: dict,
    premises: tuple[Hypothesis, ...] = (),
    ascent_reason: str = "",
    claims: tuple[Claim, ...] = (),
) -> ExpectedGap:
    """Claims ``pathwise`` and ``main``. ``window`` instantiates the ascent lemma's window (its step family ``eta``,
    per-step noise ``V``, start ``t0`` and length ``N``, the lower bound ``eta_sum`` of the step sum, the upper bound
    ``noise`` of the noise sum, and the estimate's conditional mean ``mean_g`` and directional derivative ``grad_g``);
    ``premises``
    are the hypotheses that discharge the ascent lemma's premises under that instance (listed before it);
    ``progress_fact`` bounds Delta_E; ``claims`` are the caller's claims they cite (listed first)."""
    coefficient = path.coefficient
    pathwise = path.derivation.claim("pathwise")
    on_every_path = citation(pathwise, name="on_every_path")
    expect = citation(
        expectation.LEMMA,
        "main",
        {
            expectation.X: pathwise.lhs,
            expectation.Y: sp.sqrt(g),
            expectation.c: coefficient,
            expectation.b: dev,
            expectation.EX: mean_gap,
            expectation.EY: mean_root,
        },
        name="expectation",
    )
    jensen = citation(
        jensen_lemma.LEMMA,
        "main",
        {jensen_lemma.m_p: mean_root, jensen_lemma.m_1: mean_square, jensen_lemma.p: sp.Rational(1, 4)},
        name="jensen",
    )
    instance = {
        ascent_lemma.m2: mean_square,
        ascent_lemma.Delta_E: progress,
        ascent_lemma.L: smoothness,
        **window,
    }
    steps, noise_bound = window[ascent_lemma.eta_sum], window[ascent_lemma.noise]
    # The cited claim under the instance, written with L_s / 2 distributed as the bound has always been written (the
    # checker proves the two forms equal).
    ascent = Hypothesis(
        "ascent_sum",
        mean_square,
        "<=",
        (progress + smoothness / 2 * noise_bound) / steps,
        ascent_reason,
        by="expect_grad_sq_min_le_of_smooth#main",
        instance=instance,
    )
    derivation = (
        Derivation.of(
            mean_gap,
            (*pathwise.hypotheses, on_every_path, expect, jensen, *premises, ascent, progress_fact, *CONCENTRATION),
        )
        .apply(expect, "expectation of the pathwise claim")
        .apply(jensen, "Jensen")
        .apply(ascent, "the ascent lemma in expectation, summed over the window")
        .apply(progress_fact)
    )
    main = with_deviation(derivation)
    return ExpectedGap(main.result, (*claims, *path.claims, pathwise, main.claim("main")))
