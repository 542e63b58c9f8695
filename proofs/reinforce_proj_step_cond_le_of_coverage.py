"""**One step of projected REINFORCE SGA, conditionally on the past**: let C = {w : ||w|| <= S/beta} (it contains w*)
and w_{m+1} = P_C(w_m + eta g_m), g_m the REINFORCE estimate at a uniformly drawn training prompt x_i and an action
a ~ pi_{w_m}(.|x_i). Every iterate lies in C, and given w_m,
E[||w_{m+1} - w*||^2 | w_m] <= (1 - 2 eta beta lambda_C) ||w_m - w*||^2 + eta^2 G_C^2 with lambda_C = gamma
e^{-2BS/beta} and G_C = 6 B^2 S (claim ``cond``).

With z = w_m - w*: on every path, ||w_{m+1} - w*|| <= ||w_m + eta g - w*|| (the projection fixes w* in C and is
non-expansive: :mod:`norm_proj_sub_le_of_norm_le`, claim ``main``, with ||w*|| <= S/beta from claim ``opt_norm`` of
:mod:`ga_step_dist_le_of_coverage`), ||z + eta g||^2 = ||z||^2 + 2 eta <g, z> + eta^2 ||g||^2 (:mod:`sq_norm_add_eq`),
and ||g|| <= 2B (S B + 2 beta B S/beta) = 6 B^2 S because ||w_m|| <= S/beta (:mod:`reinforce_norm_le_of_norm_le`;
w_m is a point of C by claim ``mem`` of the projection fact, w_0 = 0 = P_C(0) included): claim
``pathwise``. In expectation over the draw given w_m (:mod:`expect_le_of_le`; ||z|| is fixed given w_m):
E[<g, z>] is the mean over the uniform prompt of E_a[<g, z>], which is d/dt j(w_m + t z; x_i) (REINFORCE is
unbiased: :mod:`reinforce_unbiased_of_loglinear` at u_a = <z, phi_a> = s_a - r_a/beta) = -beta Var_{pi_w}(<w* - w_m,
phi>) (the ascent identity of :mod:`inner_grad_eq_smul_var_of_loglinear`, re-proved here at -u: claim
``prompt_mean``); averaged over the prompt, -beta z^T Sigma_S(w_m) z (claim ``mean``), then the Rayleigh quotient
(:mod:`min_eig_mul_sq_le_quad`) and the coverage transfer at ||w_m|| <= S/beta
(:mod:`min_eig_ge_exp_smul_coverage_of_norm_le`). Every d, K and n. Derived here (docs/setting.md, section 4: the
projected REINFORCE variant).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Lemma, calc, citation

from . import expect_le_of_le as expectation
from . import ga_step_dist_le_of_coverage as ga_step
from . import min_eig_ge_exp_smul_coverage_of_norm_le as coverage_floor
from . import min_eig_mul_sq_le_quad as spectral
from . import norm_proj_sub_le_of_norm_le as projection
from . import reinforce_norm_le_of_norm_le as noise
from . import reinforce_unbiased_of_loglinear as unbiased
from . import sq_norm_add_eq as expansion
from ._chain import CHAIN
from ._family import beta, boltzmann, of, r, reference, s, var
from ._model import B
from .ga_step_dist_le_of_coverage import S
from .ga_step_dist_sq_le_of_coverage import eta, gamma

#: ||w_m - w*||, ||w_{m+1} - w*||, ||w_m + eta g - w*|| (before the projection), ||g|| at the draw, ||w_m||.
N, N_next, U, G = sp.symbols("N N_next U G", nonnegative=True)
W = coverage_floor.W
I = sp.Symbol("I", real=True)  # noqa: E741  <g, w_m - w*> at the draw
#: E[||w_{m+1} - w*||^2 | w_m], E[<g, w_m - w*> | w_m], (w_m - w*)^T Sigma_S(w_m) (w_m - w*).
E_next, E_I = sp.symbols("E_next E_I", real=True)
Q = sp.Symbol("Q", real=True)
lam = coverage_floor.lam
RADIUS = S / beta  # the radius of C
LAMBDA_C = gamma * sp.exp(-2 * B * RADIUS)  # the coverage floor on C
G_C = sp.expand(noise.CAP.xreplace({noise.R: RADIUS}))  # 6 B^2 S
RHO = 1 - 2 * eta * beta * LAMBDA_C

_b = sp.Dummy("b", integer=True)
_REF = reference()
_TOWARDS = lambda a: r[a] / beta - s[a]  # noqa: E731  <w* - w, phi_a>
_DIRECTION = {unbiased.u: sp.Lambda(_b, s[_b] - r[_b] / beta)}  # u_a = <w - w*, phi_a>
_VARIANCE = var(boltzmann(_REF, of(s)), _TOWARDS)  # Var_{pi_w}(<w* - w, phi>) at the drawn prompt

IN_C = citation(projection.LEMMA, "mem", {projection.W_P: W, projection.r: RADIUS}, name="in_c")
OPT = citation(ga_step.LEMMA, "opt_norm", name="opt_norm")


def _prompt_mean() -> Claim:
    unbiased_at = citation(unbiased.LEMMA, "le", _DIRECTION, name="unbiased")
    return Claim(
        "prompt_mean",
        unbiased_at.lhs,
        "<=",
        -beta * _VARIANCE,
        calc(
            ("<=", unbiased_at.rhs, "REINFORCE is unbiased: E_a[<g, z>] = d/dt j(w + t z; x)",
             Algebra(unbiased_at.slack)),
            ("==", -beta * _VARIANCE, "the ascent identity at u = w - w*: d/dt j(w + t u) = -beta Var_{pi_w}(<w* - w,"
             " phi>)"),
        ),
        hypotheses=(unbiased_at,),
    )  # fmt: skip


def _mean(prompt_mean: Claim) -> Claim:
    per_prompt = citation(prompt_mean, name="prompt_mean")
    averaged = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: prompt_mean.lhs, expectation.c: beta, expectation.Y: -_VARIANCE, expectation.b: sp.S.Zero,
         expectation.EX: E_I, expectation.EY: -Q},
        name="average",
    )  # fmt: skip
    return Claim(
        "mean",
        E_I,
        "<=",
        -beta * Q,
        calc(("<=", -beta * Q, "the uniform prompt's mean of Var_{pi_w(x_i)}(<z, phi>) is z^T Sigma_S(w) z = Q",
              Algebra(averaged.slack))),
        hypotheses=(per_prompt, averaged),
    )  # fmt: skip


def _pathwise() -> Claim:
    project = citation(
        projection.LEMMA, "main", {projection.N_P: N_next, projection.N_u: U, projection.N_v: ga_step.N_opt,
                                   projection.r: RADIUS},
        name="projection",
    )  # fmt: skip
    expand = citation(
        expansion.LEMMA, "le", {expansion.N_sum: U, expansion.N_a: N, expansion.N_b: eta * G, expansion.I: eta * I},
        name="expansion",
    )  # fmt: skip
    bounded = citation(noise.LEMMA, "main", {noise.G: G, noise.W: W, noise.R: RADIUS}, name="noise")
    return Claim(
        "pathwise",
        N_next**2,
        "<=",
        N**2 + 2 * eta * I + eta**2 * G_C**2,
        calc(
            ("<=", U**2, "the projection moves no point away from w* in C", Algebra(project.slack * (U + N_next))),
            ("<=", N**2 + 2 * eta * I + eta**2 * G**2, "||z + eta g||^2 = ||z||^2 + 2 eta <g, z> + eta^2 ||g||^2",
             Algebra(expand.slack)),
            ("<=", N**2 + 2 * eta * I + eta**2 * G_C**2, "||g|| <= 6 B^2 S on C",
             Algebra(eta**2 * bounded.slack * (G_C + G))),
        ),
        hypotheses=(OPT, project, expand, IN_C, bounded),
    )  # fmt: skip


def _cond(pathwise: Claim, mean: Claim) -> Claim:
    on_every_path = citation(pathwise, name="pathwise")
    conditional = citation(
        expectation.LEMMA,
        "main",
        {expectation.X: N_next**2, expectation.c: 2 * eta, expectation.Y: I,
         expectation.b: N**2 + eta**2 * G_C**2, expectation.EX: E_next, expectation.EY: E_I},
        name="conditional",
    )  # fmt: skip
    drift = citation(mean, name="mean")
    rayleigh = citation(spectral.LEMMA, "quad_ge", {spectral.lam: lam, spectral.D: N, spectral.Q: Q}, name="rayleigh")
    floor = citation(coverage_floor.LEMMA, "main", {coverage_floor.R: RADIUS}, name="coverage_transfer")
    rest = N**2 + eta**2 * G_C**2
    return Claim(
        "cond",
        E_next,
        "<=",
        RHO * N**2 + eta**2 * G_C**2,
        calc(
            ("<=", 2 * eta * E_I + rest, "the expectation of the pathwise bound given w_m", Algebra(conditional.slack)),
            ("<=", -2 * eta * beta * Q + rest, "E[<g, z> | w_m] <= -beta z^T Sigma_S(w_m) z",
             Algebra(2 * eta * drift.slack)),
            ("<=", -2 * eta * beta * lam * N**2 + rest, "Rayleigh quotient", Algebra(2 * eta * beta * rayleigh.slack)),
            ("<=", RHO * N**2 + eta**2 * G_C**2, "coverage transfer at ||w_m|| <= S/beta",
             Algebra(2 * eta * beta * N**2 * floor.slack)),
        ),
        hypotheses=(OPT, IN_C, on_every_path, conditional, drift, rayleigh, floor),
    )  # fmt: skip


def _claims() -> tuple[Claim, ...]:
    prompt_mean = _prompt_mean()
    mean = _mean(prompt_mean)
    pathwise = _pathwise()
    return prompt_mean, mean, pathwise, _cond(pathwise, mean)


LEMMA = CHAIN.register(
    Lemma(
        name="reinforce_proj_step_cond_le_of_coverage",
        statement="projected REINFORCE SGA on C = {||w|| <= S/beta}: E[||w_{m+1} - w*||^2 | w_m] <="
        " (1 - 2 eta beta gamma e^{-2BS/beta}) ||w_m - w*||^2 + eta^2 (6 B^2 S)^2",
        source="derived here (docs/setting.md, section 4: the projected REINFORCE variant)",
        doc=__doc__,
        scope="every d, K and n",
        constants={"lambda_C": LAMBDA_C, "G_C": G_C},
        claims=_claims(),
    )
)
