"""**Bregman upper bound**: KL(pi_w(.|x) || pi_v(.|x)) <= (B^2 / 2) ||v - w||^2 when ||phi(x,a)|| <= B.

With Delta_a = <v - w, phi_a>, D2 = ||v - w||^2 and the path w + tau (v - w), let
h(tau) = (B^2 D2 / 2) tau^2 - [A(w + tau (v - w)) - A(w) - tau <mu_w, v - w>].
Then h(0) = h'(0) = 0 and h''(tau) = B^2 D2 - Var_{pi_tau}(Delta) >= 0 by
:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le` (cited, with pi = pi_tau and u = v - w). Monotonicity of h' gives
h'(tau) >= 0 for tau >= 0 (claim ``slope``), monotonicity of h gives h(1) >= h(0) = 0, and h(1) is the gap
between (B^2/2) D2 and the Bregman form of the KL (:mod:`kl_eq_bregman_of_loglinear`). Proved for K = 2, 3 with
symbolic entries (every d); the hypotheses Delta_a^2 <= D2 n_a are Cauchy-Schwarz. Source: setting.md, section 2.
"""

import sympy as sp

from rlhfsym.chain import Claim, Hypothesis, Lemma, Monotone, calc

from ._chain import CHAIN
from ._model import B, boltzmann, log_partition, mean, reals, reference, shifted, tau, var
from .cov_quad_le_sq_mul_sq_norm_of_norm_le import U, norms
from .kl_eq_bregman_of_loglinear import bregman

KS_HERE = (2, 3)
D2 = sp.Symbol("D2", positive=True)


def _parts(K: int):
    ref, s, v = reference(K), reals("s", K), reals("v", K)
    delta = [b - a for a, b in zip(s, v, strict=True)]
    pi_s = boltzmann(ref, s)
    path = shifted(s, delta, tau)
    h = B**2 * D2 * tau**2 / 2 - (log_partition(ref, path) - log_partition(ref, s) - tau * mean(pi_s, delta))
    return ref, s, delta, path, h


def _assumptions(K: int, delta) -> tuple[Hypothesis, ...]:
    n = norms(K)
    cs = tuple(
        Hypothesis(f"cs{a + 1}", delta[a] ** 2, "<=", D2 * n[a], "Cauchy-Schwarz: Delta_a^2 <= D2 ||phi_a||^2")
        for a in range(K)
    )
    bounded = tuple(Hypothesis(f"norm{a + 1}", n[a], "<=", B**2, "||phi_a||^2 <= B^2") for a in range(K))
    return cs + bounded


def slope_claim(K: int) -> Claim:
    ref, _, delta, path, h = _parts(K)
    slope = sp.diff(h, tau)
    pi_tau = boltzmann(ref, path)
    p = sp.symbols(f"p1:{K + 1}", positive=True)
    x = reals("x", K)
    instance = {
        **dict(zip(p, [ref[a] * sp.exp(path[a]) for a in range(K)], strict=True)),
        **dict(zip(x, delta, strict=True)),
        U: D2,
    }
    curvature = Hypothesis(
        "curvature",
        var(pi_tau, delta),
        "<=",
        D2 * B**2,
        by=f"cov_quad_le_sq_mul_sq_norm_of_norm_le#K{K}",
        instance=instance,
        forall=(tau,),  # its hypotheses (Cauchy-Schwarz, the norm bounds) do not involve tau
    )
    return Claim(
        f"slope_K{K}",
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
        hypotheses=(*_assumptions(K, delta), curvature),
    )


def bound_claim(K: int) -> Claim:
    _, _, delta, _, h = _parts(K)
    divergence, bregman_form = bregman(K)
    rising = Hypothesis("rising", sp.S.Zero, "<=", sp.diff(h, tau), by=f"#slope_K{K}", forall=(tau,))
    return Claim(
        f"K{K}",
        divergence,
        "<=",
        B**2 * D2 / 2,
        calc(
            ("==", bregman_form, "KL as a Bregman divergence"),
            (
                "<=",
                B**2 * D2 / 2,
                "h(1) - h(0) >= 0 since h' >= 0 on [0, 1]",
                Monotone(h, tau, sp.S.Zero, sp.S.One, derivative_witness=rising.slack),
            ),
        ),
        hypotheses=(*_assumptions(K, delta), rising),
    )


LEMMA = CHAIN.register(
    Lemma(
        name="kl_le_half_sq_mul_dist_sq_of_norm_le",
        statement="KL(pi_w(.|x) || pi_v(.|x)) <= (B^2 / 2) ||v - w||^2 when ||phi(x,a)|| <= B",
        source="setting.md, section 2 (smoothness of the log-partition function)",
        doc=__doc__,
        scope="symbolic for K = 2, 3 and every d (projections); numeric for K = 6, d = 5",
        depends_on=("cov_quad_le_sq_mul_sq_norm_of_norm_le", "kl_eq_bregman_of_loglinear"),
        constants={"smoothness_of_log_partition": B**2},
        claims=tuple(c for K in KS_HERE for c in (slope_claim(K), bound_claim(K))),
    )
)
