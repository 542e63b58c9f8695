"""**Bregman upper bound**: KL(pi_w(.|x) || pi_v(.|x)) <= (B^2 / 2) ||v - w||^2 when ||phi(x,a)|| <= B.

With Delta_a = <v - w, phi_a>, D2 = ||v - w||^2 and the path w + tau (v - w), let
h(tau) = (B^2 D2 / 2) tau^2 - [A(w + tau (v - w)) - A(w) - tau <mu_w, v - w>].
Then h(0) = h'(0) = 0 and h''(tau) = B^2 D2 - Var_{pi_tau}(Delta) >= 0 by
:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` (cited at every tau, with pi = pi_tau and u = v - w). Monotonicity of
h' gives h'(tau) >= 0 for tau >= 0 (claim ``slope``), monotonicity of h gives h(1) >= h(0) = 0, and h(1) is the gap
between (B^2/2) D2 and the Bregman form of the KL (:mod:`kl_eq_bregman_of_loglinear`; claim ``main``). The
hypotheses Delta_a^2 <= D2 n_a are Cauchy-Schwarz, for every action. Proved for a symbolic number K of actions,
every d. Source: docs/setting.md (smoothness of the log-partition function).
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma, Monotone, calc, citation

from . import cov_quad_le_sq_mul_sq_norm_of_norm_le as ceiling
from ._chain import CHAIN
from ._family import A, B, boltzmann, kl, log_partition, mean, n, of, p, reference, s, shifted, tau, v, var

D2 = sp.Symbol("D2", nonnegative=True)
delta = lambda a: v[a] - s[a]  # noqa: E731
CS = Hypothesis("cs", delta(A) ** 2, "<=", D2 * n[A], "Cauchy-Schwarz: Delta_a^2 <= D2 ||phi_a||^2", forall=(A,),
                kind="asserted")
NORM = ceiling.NORM


def _h() -> sp.Expr:
    ref = reference()
    pi_s = boltzmann(ref, of(s))
    path = shifted(of(s), delta, tau)
    return B**2 * D2 * tau**2 / 2 - (log_partition(ref, path) - log_partition(ref, of(s)) - tau * mean(pi_s, delta))


def slope_claim() -> Claim:
    ref = reference()
    slope = sp.diff(_h(), tau)
    b = sp.Dummy("b", integer=True)
    instance = {
        p: sp.Lambda(b, ref(b) * sp.exp(s[b] + tau * delta(b))),
        ceiling.x: sp.Lambda(b, delta(b)),
        ceiling.U: D2,
    }
    curvature = citation(ceiling.LEMMA, "main", instance, name="curvature", forall=(tau,))
    return Claim(
        "slope",
        sp.S.Zero,
        "<=",
        slope,
        calc(
            (
                "<=",
                slope,
                "h'(0) = 0 and h'' = B^2 D2 - Var_tau(Delta) >= 0",
                Monotone(slope, tau, sp.S.Zero, tau, derivative_witness=curvature.slack),
            )
        ),
        hypotheses=(CS, NORM, curvature),
    )


def bound_claim(slope: Claim) -> Claim:
    ref = reference()
    pi_s, pi_v = boltzmann(ref, of(s)), boltzmann(ref, of(v))
    bregman_form = log_partition(ref, of(v)) - log_partition(ref, of(s)) - mean(pi_s, delta)
    rising = citation(slope, name="rising", forall=(tau,))
    return Claim(
        "main",
        kl(pi_s, pi_v),
        "<=",
        B**2 * D2 / 2,
        calc(
            ("==", bregman_form, "KL as a Bregman divergence"),
            (
                "<=",
                B**2 * D2 / 2,
                "h(1) - h(0) >= 0 since h' >= 0 on [0, 1]",
                Monotone(_h(), tau, sp.S.Zero, sp.S.One, derivative_witness=rising.slack),
            ),
        ),
        hypotheses=(CS, NORM, rising),
    )


def _claims() -> tuple[Claim, ...]:
    slope = slope_claim()
    return slope, bound_claim(slope)


_ = var  # the curvature is Var_tau(Delta), the cited claim's left side

LEMMA = CHAIN.register(
    Lemma(
        name="kl_le_half_sq_mul_dist_sq_of_norm_le",
        statement="KL(pi_w(.|x) || pi_v(.|x)) <= (B^2 / 2) ||v - w||^2 when ||phi(x,a)|| <= B",
        source="docs/setting.md (smoothness of the log-partition function)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); numeric for K = 6, d = 5",
        constants={"smoothness_of_log_partition": B**2},
        claims=_claims(),
    )
)
