"""**Theorem 2 (Gradient Ascent, paper form)**: under coverage, GA on J_S from w_0 = 0 with eta = 1/L,
L = 6 B^3 S + beta B^2, has a best-gradient iterate w_hat (the w_t, 0 <= t <= T, with the smallest
||grad J_S(w_t)||) such that, with probability at least 1 - delta over the sample,
|J(w_hat) - J_S(w_hat)| <= 6 B^2 S sqrt(S^2 B sqrt(L/(beta T)) / (beta^2 gamma e^{-4BS/beta}))
                            + 2 S B sqrt(log(2/delta)/(2n)),
which is O(T^(-1/4) + n^(-1/2)), the published rate.

Proof. GA with eta = 1/L <= 1/(beta B^2) never leaves the ball ||w_t - w*|| <= S/beta: the last-iterate bound ||w_t -
w*|| <= rho^t S/beta of :mod:`ga_last_dist_le_of_coverage` (claim ``all_t`` at eta = 1/L) and 0 <= rho <= 1
(:mod:`ga_step_dist_sq_le_of_coverage`; claim ``power_le``, by induction) give claim ``ball`` at the index t_hat of
w_hat. J_S is L-smooth on the ball of radius 2S/beta (:mod:`hess_quad_abs_le_of_norm_le`), so each step gains ||grad
J_S(w_t)||^2 / (2L) and T g^2 <= 2 L (J_S(w*) - J_S(0)) for g = ||grad J_S(w_hat)|| (the summed ascent lemma,
:mod:`grad_sq_min_le_of_smooth`, cited at its step eta = 1/L), with J_S(w*) - J_S(0) <= B^2 S^2/(2 beta) (claim
``excess_le`` of :mod:`gap_le_dev_add_sq_dist_of_norm_le` at D = ||w*|| = ||theta*||/beta, and ||theta*|| <= S; claim
``initial``). The error bound (:mod:`dist_sq_le_of_coverage`, claim ``dist_sq`` cited with G = g, r = S/beta) gives D^2
<= S g / (beta^2 lambda) for D = ||w_hat - w*||, and lambda = lambda_min(Sigma_S(w_hat)) >= gamma e^{-4BS/beta}
(:mod:`min_eig_ge_exp_smul_coverage_of_norm_le` at R = 2S/beta, since ||w_hat|| <= ||w_hat - w*|| + ||w*|| <= 2S/beta by
the triangle inequality :mod:`norm_sub_le_norm_add_norm` and ||theta*|| <= S from :mod:`setting_norm_le`; claim
``norm_hat``). Finally |J(w_hat) - J_S(w_hat)| <= |J(w*) - J_S(w*)| + beta (B^2/2) D^2
(:mod:`gap_le_dev_add_sq_dist_of_norm_le`) <= 2 G_J D + |J(w*) - J_S(w*)| inside the ball, with G_J = 3 B^2 S the
Lipschitz constant of j there (:mod:`grad_norm_le_of_norm_le`; claim ``decomposition`` keeps this published Lipschitz
form, which the KL form implies), and Hoeffding at w* (:mod:`_concentration`). Bounding D through sqrt(g) (instead of
through g) is what produces the paper's T^(-1/4); :mod:`ga_last_gap_le_of_coverage` is the sharp form (rho^(2T)). The
parameter conditions are gamma <= B^2 (for rho >= 0) and log(2/delta) >= 0. Source: paper, Theorem (Gradient Ascent)
(reconstructed: docs/setting.md, section 4, T2).
"""

from dataclasses import dataclass

import sympy as sp

from rlhfsym.chain import (
    INDUCTION_HYPOTHESIS,
    Algebra,
    Claim,
    CompositionError,
    Derivation,
    Hypothesis,
    Induction,
    Monotone,
    calc,
    citation,
    is_nonneg,
)
from rlhfsym.chain.citations import apply_instance, needed_hypotheses
from rlhfsym.setting import symbol
from rlhfsym.vocabulary import BEST_GRADIENT, GA, GAP, PROBABILITY
from rlhfsym.vocabulary.exercise import Control, Plan
from rlhfsym.vocabulary.families import SMALL, TWO_LEVELS_ONLY
from rlhfsym.vocabulary.figures import Figure, PowerRate

from . import dist_sq_le_of_coverage as error_bound
from . import ga_last_dist_le_of_coverage as last_iterate
from . import ga_step_dist_sq_le_of_coverage as one_step
from . import gap_le_dev_add_sq_dist_of_norm_le as decomposition_lemma
from . import grad_sq_min_le_of_smooth as descent_lemma
from . import min_eig_ge_exp_smul_coverage_of_norm_le as transfer_lemma
from . import norm_sub_le_norm_add_norm as triangle
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._concentration import dev, gap, with_deviation
from ._family import coordinates
from ._model import B, beta
from ._theorem import theorem
from .dist_sq_le_of_coverage import D, G, r
from .grad_norm_le_of_norm_le import LIPSCHITZ as G_R
from .grad_norm_le_of_norm_le import R as R_G
from .hess_quad_abs_le_of_norm_le import SMOOTHNESS_AT_BALL

S, T, gamma = symbol("S"), symbol("T"), symbol("gamma")
g, progress = sp.symbols("g Delta", nonnegative=True)
L = SMOOTHNESS_AT_BALL  # 6 B^3 S + beta B^2, from hess_quad_abs_le_of_norm_le
#: The premises of the error bound's claim ``dist_sq`` other than its ball (which :func:`pathwise` states with
#: r = k S/beta): they become premises of every pathwise bound, with the kinds dist_sq_le_of_coverage gives them.
ERROR_PREMISES = tuple(
    h
    for h in needed_hypotheses(error_bound.LEMMA, next(c for c in error_bound.LEMMA.claims if c.label == "dist_sq"))
    if r not in h.gap.free_symbols
)


_y = sp.Symbol("y", nonnegative=True)
#: ||theta*||^2 and ||w*|| = ||theta*||/beta in coordinates.
THETA_SQ = coordinates(lambda i: norms.theta[i] ** 2)
OPTIMUM_NORM = sp.sqrt(THETA_SQ) / beta


@dataclass(frozen=True)
class Pathwise:
    """The pathwise gap bound at an iterate w_hat with ||w_hat - w*|| <= k S/beta (so ||w_hat|| <= (k+1) S/beta):
    gap <= 2 G D + dev <= 2 G sqrt(k S g/(beta^2 lambda)) + dev <= coefficient sqrt(g) + dev, with G the Lipschitz
    constant of j at that radius (:mod:`grad_norm_le_of_norm_le`; the decomposition is derived from the KL form of
    :mod:`gap_le_dev_add_sq_dist_of_norm_le`, which implies it inside the ball) and the coverage floor
    gamma e^{-2B(k+1)S/beta} (:mod:`min_eig_ge_exp_smul_coverage_of_norm_le`)."""

    derivation: Derivation
    coefficient: sp.Expr
    lipschitz: sp.Expr
    floor: sp.Expr
    #: The claims the derivation cites (``norm_hat``, ``decomposition``): a theorem lists them before its pathwise
    #: claim.
    claims: tuple[Claim, ...] = ()


def _coefficient_of_root(bound: sp.Expr) -> sp.Expr:
    """``c`` with ``bound == c sqrt(g) + dev``."""
    coefficient = sp.powsimp(sp.expand_power_base((bound - dev) / sp.sqrt(g)))
    if coefficient.has(g) or coefficient.has(dev):
        raise CompositionError(f"the pathwise bound {sp.sstr(bound)} is not c sqrt(g) + dev")
    return coefficient


def pathwise(k: int, ball: Hypothesis, premises: tuple[Hypothesis, ...] = ()) -> Pathwise:
    """:class:`Pathwise` for the ball ``ball``: distance <= k S/beta, where the distance ``ball.lhs`` is D or a
    quantity of the algorithm's run (``premises``: the hypotheses the ball rests on, listed before it)."""
    if ball.rhs != k * S / beta:
        raise CompositionError(f"the ball {ball} is not of radius {k} S/beta")
    distance = ball.lhs
    radius = (k + 1) * S / beta
    lipschitz = sp.expand(G_R.subs(R_G, radius))
    floor = gamma * sp.exp(-2 * B * radius)
    at = {D: distance} if distance != D else {}
    error_premises = tuple(
        h if not h.gap.has(D) or not at
        else Hypothesis(h.name, h.lhs.xreplace(at), h.rel, h.rhs.xreplace(at), h.text, forall=h.forall, kind=h.kind)
        for h in ERROR_PREMISES
    )
    # ||w_hat|| <= ||w_hat - w*|| + ||w*|| <= k S/beta + S/beta (triangle inequality through w*, ||theta*|| <= S),
    # then the coverage transfer at that radius (min_eig_ge_exp_smul_coverage_of_norm_le).
    split = citation(
        triangle.LEMMA,
        "main",
        {triangle.N_ab: transfer_lemma.W, triangle.N_ac: distance, triangle.N_cb: OPTIMUM_NORM},
        name="norm_split",
    )
    reward = citation(norms.LEMMA, "reward", name="theta_norm")
    norm_claim = Claim(
        "norm_hat",
        transfer_lemma.W,
        "<=",
        radius,
        calc(
            ("<=", distance + OPTIMUM_NORM, "||w_hat - 0|| <= ||w_hat - w*|| + ||w* - 0||", Algebra(split.slack)),
            ("<=", k * S / beta + OPTIMUM_NORM, f"||w_hat - w*|| <= {k} S/beta", Algebra(ball.slack)),
            (
                "<=",
                radius,
                "||w*|| = ||theta*||/beta <= S/beta",
                Monotone(k * S / beta + sp.sqrt(_y) / beta, _y, THETA_SQ, S**2, gap_witness=reward.slack),
            ),
        ),
        hypotheses=(*premises, ball, split, reward),
    )
    norm_fact = citation(norm_claim, name="norm_hat")
    transfer = citation(transfer_lemma.LEMMA, "main", {transfer_lemma.R: radius}, name="transfer")
    if transfer.lhs != floor:
        raise CompositionError(f"the coverage floor {sp.sstr(transfer.lhs)} is not {sp.sstr(floor)}")
    # |J - J_S| <= dev + beta (B^2/2) D^2 (gap_le_dev_add_sq_dist_of_norm_le), and inside the ball beta (B^2/2) D^2
    # <= (k B^2 S/2) D <= 2 G D: the stated Lipschitz form 2 G D + dev, weaker than the KL form, keeps the constant.
    kl_form = citation(decomposition_lemma.LEMMA, "main", {decomposition_lemma.D: distance}, name="kl_decomposition")
    spare = 2 * lipschitz - k * B**2 * S / 2  # (3k/2 + 2) B^2 S >= 0
    decomposition_claim = Claim(
        "decomposition",
        gap,
        "<=",
        2 * lipschitz * distance + dev,
        calc(
            ("<=", dev + beta * B**2 / 2 * distance**2, "KL gap and Bregman bound at w*", Algebra(kl_form.slack)),
            (
                "<=",
                2 * lipschitz * distance + dev,
                f"D <= {k} S/beta: beta (B^2/2) D^2 <= ({k} B^2 S/2) D <= 2 G D, G = {sp.sstr(lipschitz)}",
                Algebra(distance * (spare + beta * B**2 * ball.slack / 2)),
            ),
        ),
        hypotheses=(*premises, ball, kl_form),
    )
    decomposition = citation(decomposition_claim, name="decomposition")
    derivation = (
        Derivation.of(gap, (*error_premises, *premises, ball, norm_fact, transfer, decomposition))
        .apply(decomposition, "Lipschitz decomposition at w*")
        .cite(
            error_bound.LEMMA,
            "dist_sq",
            {G: g, r: k * S / beta, **at},
            name="error_bound",
            why=f"D^2 <= {k} S g/(beta^2 lambda): error bound inside the ball",
        )
        .apply(transfer, "lambda >= the coverage floor")
    )
    coefficient = _coefficient_of_root(derivation.result)
    return Pathwise(derivation, coefficient, lipschitz, floor, (norm_claim, decomposition_claim))


#: The summed ascent lemma (an external fact) for J_S with L = 6 B^3 S + beta B^2, written with 2 L expanded as the
#: bound has always been written (the checker proves the two forms equal).
DESCENT = Hypothesis(
    "descent",
    g**2,
    "<=",
    2 * L * progress / T,
    "eta = 1/L, L-smoothness on the ball: J_S(w_{t+1}) >= J_S(w_t) + ||grad_t||^2/(2L), summed over t < T;"
    " g is the smallest gradient norm",
    by="grad_sq_min_le_of_smooth#main",
    instance={
        descent_lemma.g: g,
        descent_lemma.Delta: progress,
        descent_lemma.L: L,
        descent_lemma.T: T,
        descent_lemma.eta: 1 / L,  # GA's step 1/L: the fact's step_le and step_ge discharge themselves
    },
)


def initial_progress(progress_symbol: sp.Symbol, name: str = "initial") -> tuple[Claim, Hypothesis]:
    """Claim ``initial`` and its citation: J_S(w*) - J_S(w_0) <= B^2 S^2/(2 beta) from w_0 = 0. The excess of w_0
    under the sample is at most beta (B^2/2) ||0 - w*||^2 (claim ``excess_le`` of gap_le_dev_add_sq_dist_of_norm_le
    at D = ||w*|| = ||theta*||/beta in coordinates), and ||theta*||^2 <= S^2 (setting_norm_le)."""
    excess = citation(
        decomposition_lemma.LEMMA,
        "excess_le",
        {decomposition_lemma.E: progress_symbol, decomposition_lemma.D: OPTIMUM_NORM},
        name="excess_at_0",
    )
    reward = citation(norms.LEMMA, "reward", name="theta_norm")
    claim = Claim(
        "initial",
        progress_symbol,
        "<=",
        B**2 * S**2 / (2 * beta),
        calc(
            ("<=", B**2 / (2 * beta) * THETA_SQ, "beta (B^2/2) ||w*||^2, ||w*|| = ||theta*||/beta",
             Algebra(excess.slack)),
            ("<=", B**2 * S**2 / (2 * beta), "||theta*||^2 <= S^2", Algebra(B**2 / (2 * beta) * reward.slack)),
        ),
        hypotheses=(excess, reward),
    )
    return claim, citation(claim, name=name)


INITIAL_CLAIM, INITIAL = initial_progress(progress)


def _at(h: Hypothesis, instance: dict) -> Hypothesis:
    """``h`` (an assumption) with ``instance`` substituted for its free symbols, same name, kind and quantifier."""
    free = {k: v for k, v in instance.items() if k not in h.forall}
    return Hypothesis(h.name, apply_instance(h.lhs, free), h.rel, apply_instance(h.rhs, free), h.text,
                      forall=h.forall, kind=h.kind)


# The ball of GA's best-gradient iterate w_hat = w_{t_hat}: GA with eta = 1/L is GA with a step <= 1/(beta B^2),
# so its distance to w* is at most rho^t S/beta <= S/beta at every t (ga_last_dist_le_of_coverage, claim all_t).
t_hat = sp.Symbol("t_hat", integer=True, nonnegative=True)  # the index of w_hat among w_0..w_T
m = sp.Symbol("m", integer=True, nonnegative=True)
RUN = {one_step.eta: 1 / L}
RHO = last_iterate.RHO.xreplace(RUN)  # 1 - gamma e^{-4BS/beta} beta / L
#: The premises of the last-iterate bound at eta = 1/L (those the step size 1/L satisfies by the symbols' signs
#: alone, eta <= 1/(beta B^2) among them, are dropped: they discharge themselves).
RUN_PREMISES = tuple(
    h for h in (
        _at(n, RUN)
        for n in needed_hypotheses(last_iterate.LEMMA, next(c for c in last_iterate.LEMMA.claims if c.label == "all_t"))
    )
    if not is_nonneg(h.gap)
)
_STEP_AT = {one_step.R: last_iterate.RADIUS, **RUN}
RHO_NONNEG = citation(one_step.LEMMA, "rho_nonneg", _STEP_AT, name="rho_nonneg")
RHO_LE_ONE = citation(one_step.LEMMA, "rho_le_one", _STEP_AT, name="rho_le_one")
POWER = Claim(
    "power_le",
    RHO**m * S / beta,
    "<=",
    S / beta,
    calc(
        (
            "<=",
            S / beta,
            "0 <= rho <= 1, so rho^m <= 1 (induction on m)",
            Induction(m, RHO_NONNEG.slack * INDUCTION_HYPOTHESIS + RHO_LE_ONE.slack * S / beta),
        )
    ),
    hypotheses=(*RUN_PREMISES, RHO_NONNEG, RHO_LE_ONE),
)
_RUN_AT_HAT = citation(last_iterate.LEMMA, "all_t", {last_iterate.t: t_hat, **RUN}, name="run")
_POWER_AT_HAT = citation(POWER, instance={m: t_hat}, name="power_at")
#: ||w_hat - w*|| = d(t_hat), written |d(t_hat)| (equal, d >= 0) so that the error bound's D^2 <= ... can be taken
#: back through a square root (sympy writes sqrt(d(t)^2) as |d(t)| for an applied function).
DISTANCE = sp.Abs(last_iterate.dist(t_hat))
BALL = Claim(
    "ball",
    DISTANCE,
    "<=",
    S / beta,
    calc(
        ("<=", last_iterate.dist(t_hat), "|d| = d since d >= 0"),
        ("<=", RHO**t_hat * S / beta, "GA's last-iterate bound at t = t_hat", Algebra(_RUN_AT_HAT.slack)),
        ("<=", S / beta, "rho^t_hat <= 1", Algebra(_POWER_AT_HAT.slack)),
    ),
    hypotheses=(*RUN_PREMISES, _RUN_AT_HAT, _POWER_AT_HAT),
)
GA_PATH = pathwise(1, citation(BALL, name="ball"), RUN_PREMISES)
FLOOR, LIPSCHITZ = GA_PATH.floor, GA_PATH.lipschitz  # gamma e^{-4BS/beta}, 3 B^2 S

PROOF = with_deviation(
    GA_PATH.derivation.apply(DESCENT, "g^2 <= 2 L Delta / T").apply(INITIAL, "Delta <= B^2 S^2 / (2 beta)")
)
BOUND = PROOF.result

LEMMA = CHAIN.register(
    theorem(
        name="ga_best_gap_le_of_coverage",
        statement="GA, eta = 1/L, best-gradient iterate, w.p. >= 1 - delta: |J - J_S| = O(T^(-1/4) + n^(-1/2))",
        source="paper, Theorem (Gradient Ascent), O(T^-1/4 + n^-1/2) (reconstructed: docs/setting.md, section 4, T2)",
        doc=__doc__,
        scope="every d and K; the probability step is Hoeffding's inequality (an external fact, cited at w*)",
        constants={"L": L, "lipschitz": LIPSCHITZ, "eta": 1 / L},
        bound=BOUND,
        bounds=GAP,
        iterate=BEST_GRADIENT,
        algorithm=GA,
        holds=PROBABILITY,
        rate_n="n^(-1/2)",
        rate_T="T^(-1/4)",
        form="paper form",
        step="eta = 1/L",
        plan=Plan(SMALL, perturbations=2, examples=300, cost=3.0, pinned=TWO_LEVELS_ONLY),
        control=Control("a step of 300/L instead of 1/L", step_factor=300),
        figure=Figure(
            "ga_best_gap_vs_T.png", "T", (1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000), 100,
            PowerRate("T^(-1/4)", -0.25),
            shows="the gap of the best-gradient GA iterate (eta = 1/L) on one sample of n = 100, against the bound "
            "and the rate T^(-1/4)",
        ),
        claims=(POWER, BALL, INITIAL_CLAIM, *GA_PATH.claims, PROOF.claim("main")),
    )
)
