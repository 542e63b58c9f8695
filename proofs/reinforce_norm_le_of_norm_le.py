"""**The REINFORCE estimate is bounded on a ball**: at every prompt x and every w with ||w|| <= R, every sampled
estimate g = (r*(x,a) - beta log(pi_w(a|x)/pi_ref(a|x))) (phi(x,a) - mu_w(x)) has ||g|| <= 2B (S B + 2 beta B R).

Proof, at the sampled action a. The scores s_b = <w, phi(x,b)> lie in [-B R, B R] (Cauchy-Schwarz: claims
``score_hi``, ``score_lo`` of :mod:`min_eig_ge_exp_smul_coverage_of_norm_le`), so the likelihood ratio
pi_w(a)/pi_ref(a) = e^{s_a}/Z, Z = sum_b pi_ref(b) e^{s_b}, lies in [e^{-2BR}, e^{2BR}] (claim ``ratio`` of
:mod:`cov_ge_exp_smul_cov_ref_of_norm_le` below; claim ``ratio_hi`` above: e^{s_a} <= e^{BR} and Z >= e^{-BR}), and
its log in [-2BR, 2BR] (claims ``log_lo``, ``log_hi``); with |r*(x,a)| <= S B (:mod:`abs_inner_le_of_norm_le`) the
weight c = r*(x,a) - beta log(pi_w(a)/pi_ref(a)) has c^2 <= (S B + 2 beta B R)^2 (claim ``weight_sq``). The direction
has ||phi_a - mu_w||^2 <= 2 ||phi_a||^2 + 2 ||mu_w||^2 <= 4 B^2, since ||mu_w||^2 = sum_i (sum_b pi_b phi_{b,i})^2 <=
sum_b pi_b ||phi_b||^2 <= B^2 (a variance is >= 0 in every coordinate; the feature bound of :mod:`setting_norm_le`;
claim ``direction_sq``). Then ||g|| = sqrt(sum_i c^2 (phi_{a,i} - mu_i)^2) (:mod:`norm_eq_sqrt_sum_sq`) <= 2B (S B + 2
beta B R) (claim ``main``). At R = S/beta (the projected REINFORCE SGA of
:mod:`sga_reinforce_proj_last_excess_le_of_coverage`) the bound is 6 B^2 S; at R = 3S/beta it is the 14 B^2 S of
:mod:`reinforce_noise_le_of_ball`. Every d and K. Derived here (docs/setting.md, section 2: REINFORCE).

Roles: ``G_reinforce`` is ||g|| at one draw, ``W`` is ||w||.
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, Monotone, calc, citation

from . import abs_inner_le_of_norm_le as rewards
from . import cov_ge_exp_smul_cov_ref_of_norm_le as transfer
from . import min_eig_ge_exp_smul_coverage_of_norm_le as coverage_floor
from . import norm_eq_sqrt_sum_sq as coordinates_norm
from . import setting_norm_le as norms
from ._chain import CHAIN
from ._family import A, B, beta, boltzmann, coordinates, index, of, partition, reference, s, total

S = norms.S
G = sp.Symbol("G_reinforce", nonnegative=True)
W, R = coverage_floor.W, transfer.R
BALL = coverage_floor.BALL  # ||w|| <= R
M = B * R
CAP = 2 * B * (S * B + 2 * beta * B * R)
_v, _y = sp.Symbol("v", real=True), sp.Symbol("y", positive=True)
_u = sp.Symbol("u", nonnegative=True)
_b = sp.Dummy("b", integer=True)

_REF = reference()
_Z = partition(_REF, of(s))
_PI = boltzmann(_REF, of(s))
RATIO = sp.exp(s[A]) / _Z  # pi_w(a)/pi_ref(a)
WEIGHT = rewards.REWARD - beta * sp.log(RATIO)  # r*(x,a) - beta log(pi_w(a)/pi_ref(a))
_MU = sp.Lambda(_b, total(lambda a: _PI(a) * norms.phi[a, _b]))  # mu_w(x) in coordinates
_DIRECTION = sp.Lambda(_b, norms.phi[A, _b] - _MU(_b))  # phi_a - mu_w
DIRECTION_SQ = coordinates(lambda i: _DIRECTION(i) ** 2)
ESTIMATE = sp.Lambda(_b, WEIGHT * _DIRECTION(_b))  # g in coordinates
BOUND_C = S * B + 2 * beta * M

_SCORE_HI = citation(coverage_floor.LEMMA, "score_hi", name="score_hi", forall=(A,))
_SCORE_LO = citation(coverage_floor.LEMMA, "score_lo", name="score_lo", forall=(A,))
FEATURES = citation(norms.LEMMA, "features", name="feature_norm", forall=(A,))


def _exp_lo() -> Claim:
    return Claim(
        "exp_lo",
        sp.exp(-M),
        "<=",
        sp.exp(s[A]),
        calc(("<=", sp.exp(s[A]), "exp is increasing and s_a >= -B R",
              Monotone(sp.exp(_v), _v, -M, s[A], gap_witness=_SCORE_LO.slack)),),
        hypotheses=(BALL, FEATURES, _SCORE_LO),
    )  # fmt: skip


def _ratio_hi(exp_lo: Claim) -> Claim:
    every = citation(exp_lo, name="exp_lo_all", forall=(A,))
    grow = sp.exp(M) / (_Z * sp.exp(-M)) * total(lambda a: _REF(a) * every.slack, over=A)
    return Claim(
        "ratio_hi",
        RATIO,
        "<=",
        sp.exp(2 * M),
        calc(
            ("<=", sp.exp(M) / _Z, "exp is increasing and s_a <= B R",
             Monotone(sp.exp(_v) / _Z, _v, s[A], M, gap_witness=_SCORE_HI.slack)),
            ("<=", sp.exp(M) / sp.exp(-M), "Z = sum_b pi_ref(b) e^{s_b} >= e^{-B R}", Algebra(grow)),
            ("==", sp.exp(2 * M), ""),
        ),
        hypotheses=(BALL, FEATURES, _SCORE_HI, _SCORE_LO, every),
    )  # fmt: skip


def _logs(ratio_hi: Claim) -> tuple[Claim, Claim]:
    hi = citation(ratio_hi, name="ratio_hi")
    lo = citation(transfer.LEMMA, "ratio", name="ratio_lo")
    upper = Claim(
        "log_hi",
        sp.log(RATIO),
        "<=",
        2 * M,
        calc(("<=", sp.log(sp.exp(2 * M)), "log is increasing", Monotone(sp.log(_y), _y, RATIO, sp.exp(2 * M),
                                                                         gap_witness=hi.slack)),
             ("==", 2 * M, "")),
        hypotheses=(BALL, FEATURES, _SCORE_HI, _SCORE_LO, hi),
    )  # fmt: skip
    lower = Claim(
        "log_lo",
        -2 * M,
        "<=",
        sp.log(RATIO),
        calc(("==", sp.log(sp.exp(-2 * M)), ""),
             ("<=", sp.log(RATIO), "log is increasing", Monotone(sp.log(_y), _y, sp.exp(-2 * M), RATIO,
                                                                 gap_witness=lo.slack))),
        hypotheses=(BALL, FEATURES, _SCORE_HI, _SCORE_LO, lo),
    )  # fmt: skip
    return upper, lower


def _weight_sq(log_hi: Claim, log_lo: Claim) -> Claim:
    up, down = citation(log_hi, name="log_hi"), citation(log_lo, name="log_lo")
    r_hi = citation(rewards.LEMMA, "hi", name="reward_hi")
    r_lo = citation(rewards.LEMMA, "lo", name="reward_lo")
    above = r_hi.slack + beta * down.slack  # BOUND_C - WEIGHT
    below = r_lo.slack + beta * up.slack  # BOUND_C + WEIGHT
    return Claim(
        "weight_sq",
        WEIGHT**2,
        "<=",
        BOUND_C**2,
        calc(("<=", BOUND_C**2, "|r_a| <= S B and |log(pi_w(a)/pi_ref(a))| <= 2 B R: (K - c)(K + c) >= 0",
              Algebra(above * below)),),
        hypotheses=(BALL, FEATURES, _SCORE_HI, _SCORE_LO, up, down, r_hi, r_lo),
    )  # fmt: skip


def _direction_sq() -> Claim:
    i = index("i")
    spread = coordinates(lambda j: total(lambda a: _PI(a) * (norms.phi[a, j] - _MU(j)) ** 2))  # sum of variances
    mean_sq = coordinates(lambda j: _MU(j) ** 2)
    return Claim(
        "direction_sq",
        DIRECTION_SQ,
        "<=",
        4 * B**2,
        calc(
            ("<=", 2 * coordinates(lambda j: norms.phi[A, j] ** 2) + 2 * mean_sq, "(x - y)^2 <= 2 x^2 + 2 y^2",
             Algebra(coordinates(lambda j: (norms.phi[A, j] + _MU(j)) ** 2, over=i))),
            ("<=", 2 * B**2 + 2 * mean_sq, "||phi_a||^2 <= B^2", Algebra(2 * FEATURES.slack)),
            ("<=", 4 * B**2, "||mu_w||^2 <= sum_b pi_b ||phi_b||^2 <= B^2 (a variance is >= 0 per coordinate)",
             Algebra(2 * spread + 2 * total(lambda a: _PI(a) * FEATURES.slack, over=A))),
        ),
        hypotheses=(FEATURES,),
    )  # fmt: skip


def _main(weight_sq: Claim, direction_sq: Claim) -> Claim:
    root = citation(coordinates_norm.LEMMA, "le", {coordinates_norm.N: G, coordinates_norm.u: ESTIMATE}, name="norm")
    weight, direction = citation(weight_sq, name="weight_sq"), citation(direction_sq, name="direction_sq")
    squares = coordinates(lambda i: ESTIMATE(i) ** 2)
    return Claim(
        "main",
        G,
        "<=",
        CAP,
        calc(
            ("<=", sp.sqrt(squares), "||g|| = sqrt(sum_i g_i^2)", Algebra(root.slack)),
            ("<=", sp.sqrt(4 * B**2 * BOUND_C**2), "sum_i g_i^2 = c^2 ||phi_a - mu_w||^2 <= K^2 4 B^2; sqrt increases",
             Monotone(sp.sqrt(_u), _u, squares, 4 * B**2 * BOUND_C**2,
                      gap_witness=4 * B**2 * weight.slack + WEIGHT**2 * direction.slack)),
            ("==", CAP, "sqrt(4 B^2 K^2) = 2 B K"),
        ),
        hypotheses=(BALL, FEATURES, _SCORE_HI, _SCORE_LO, root, weight, direction),
    )  # fmt: skip


def _claims() -> tuple[Claim, ...]:
    exp_lo = _exp_lo()
    ratio_hi = _ratio_hi(exp_lo)
    log_hi, log_lo = _logs(ratio_hi)
    weight_sq, direction_sq = _weight_sq(log_hi, log_lo), _direction_sq()
    return exp_lo, ratio_hi, log_hi, log_lo, weight_sq, direction_sq, _main(weight_sq, direction_sq)


LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_norm_le_of_norm_le",
        statement="||w|| <= R: every REINFORCE estimate has ||g|| <= 2B (S B + 2 beta B R)",
        source="derived here (docs/setting.md, section 2: REINFORCE)",
        doc=__doc__,
        scope="every d and K; every prompt and every sampled action",
        claims=_claims(),
    )
)
