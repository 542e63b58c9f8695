"""**Bregman upper bound along a segment in a ball**: KL(pi_u(.|x) || pi_v(.|x)) <= (e^{2M} / 2) Var_{pi_ref}(v - u)
when every score of both ends lies in [-M, M] (u_a = <w_U, phi_a>, v_a = <w*, phi_a>, M = B R for ||w_U||, ||w*|| <= R).

Along the segment u + tau (v - u), tau in [0, 1] (the lemma's box), every score (1 - tau) u_a + tau v_a lies in
[-M, M] too (a convex combination; claims ``score_lo``, ``score_hi``). So the coverage transfer from above
(:mod:`cov_le_exp_smul_cov_ref_of_norm_le`, cited at pi = pi_tau for every tau of the box) gives
Var_{pi_tau}(Delta) <= e^{2M} Var_{pi_ref}(Delta), Delta = v - u. With V0 = Var_{pi_ref}(Delta) and
h(tau) = (e^{2M} V0 / 2) tau^2 - [A(u + tau Delta) - A(u) - tau E_{pi_u} Delta], h(0) = h'(0) = 0 and
h''(tau) = e^{2M} V0 - Var_{pi_tau}(Delta) >= 0 on [0, 1]; so h' >= 0 on [0, 1] (claim ``slope``) and
h(1) >= h(0) = 0, which is the bound (:mod:`kl_eq_bregman_of_loglinear`; claim ``main``). Unlike the B^2 ||v - u||^2
form of :mod:`kl_le_half_sq_mul_dist_sq_of_norm_le`, the curvature is read in the direction Delta under pi_ref: a
direction that pi_ref's features do not vary along costs nothing. Proved for a symbolic number K of actions, every
d. Derived here (docs/setting.md, section 3: the covariance-weighted residual).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation

from . import cov_le_exp_smul_cov_ref_of_norm_le as transfer
from ._chain import CHAIN
from ._family import A, boltzmann, kl, log_partition, mean, of, reference, shifted, tau, u, v, var

M = transfer.M
delta = lambda a: v[a] - u[a]  # noqa: E731
LO_U = Hypothesis("lo_u", u[A], ">=", -M, "<w_U, phi_a> >= -B R", forall=(A,), kind="asserted")
HI_U = Hypothesis("hi_u", u[A], "<=", M, "<w_U, phi_a> <= B R", forall=(A,), kind="asserted")
LO_V = Hypothesis("lo_v", v[A], ">=", -M, "<w*, phi_a> >= -B R", forall=(A,), kind="asserted")
HI_V = Hypothesis("hi_v", v[A], "<=", M, "<w*, phi_a> <= B R", forall=(A,), kind="asserted")
ENDS = (LO_U, HI_U, LO_V, HI_V)
#: The score of the generic action on the segment, in the form the coverage transfer is cited at.
PATH = u[A] + tau * delta(A)


def _ref_var() -> sp.Expr:
    return var(reference(), delta)


def _h() -> sp.Expr:
    ref = reference()
    pi_u = boltzmann(ref, of(u))
    path = shifted(of(u), delta, tau)
    return (sp.exp(2 * M) * _ref_var() * tau**2 / 2
            - (log_partition(ref, path) - log_partition(ref, of(u)) - tau * mean(pi_u, delta)))


def score_claims() -> tuple[Claim, Claim]:
    lo = Claim("score_lo", PATH, ">=", -M,
               calc((">=", -M, "a convex combination of two scores >= -M",
                     Algebra((1 - tau) * LO_U.slack + tau * LO_V.slack))),
               hypotheses=(LO_U, LO_V))
    hi = Claim("score_hi", PATH, "<=", M,
               calc(("<=", M, "a convex combination of two scores <= M",
                     Algebra((1 - tau) * HI_U.slack + tau * HI_V.slack))),
               hypotheses=(HI_U, HI_V))
    return lo, hi


def slope_claim(lo: Claim, hi: Claim) -> Claim:
    b = sp.Dummy("b", integer=True)
    on_lo = citation(lo, name="score_lo_all", forall=(A, tau))
    on_hi = citation(hi, name="score_hi_all", forall=(A, tau))
    instance = {transfer.s: sp.Lambda(b, PATH.xreplace({A: b})), transfer.x: sp.Lambda(b, delta(b))}
    curvature = citation(transfer.LEMMA, "main", instance, name="curvature", forall=(tau,))
    slope = sp.diff(_h(), tau)
    return Claim(
        "slope",
        sp.S.Zero,
        "<=",
        slope,
        calc(("<=", slope, "h'(0) = 0 and h'' = e^{2M} V0 - Var_tau(Delta) >= 0 on [0, 1]",
              Monotone(slope, tau, sp.S.Zero, tau, derivative_witness=curvature.slack))),
        hypotheses=(*ENDS, on_lo, on_hi, curvature),
    )


def bound_claim(slope: Claim) -> Claim:
    ref = reference()
    pi_u, pi_v = boltzmann(ref, of(u)), boltzmann(ref, of(v))
    bregman_form = log_partition(ref, of(v)) - log_partition(ref, of(u)) - mean(pi_u, delta)
    rising = citation(slope, name="rising", forall=(tau,))
    return Claim(
        "main",
        kl(pi_u, pi_v),
        "<=",
        sp.exp(2 * M) * _ref_var() / 2,
        calc(
            ("==", bregman_form, "KL as a Bregman divergence"),
            ("<=", sp.exp(2 * M) * _ref_var() / 2, "h(1) - h(0) >= 0 since h' >= 0 on [0, 1]",
             Monotone(_h(), tau, sp.S.Zero, sp.S.One, derivative_witness=rising.slack)),
        ),
        hypotheses=(*ENDS, rising),
    )


def _claims() -> tuple[Claim, ...]:
    lo, hi = score_claims()
    slope = slope_claim(lo, hi)
    return lo, hi, slope, bound_claim(slope)


LEMMA = CHAIN.register(
    Lemma(
        name="kl_le_half_exp_mul_var_ref_of_mem_icc",
        statement="KL(pi_u(.|x) || pi_v(.|x)) <= (e^{2M}/2) Var_{pi_ref}(v - u) when every score of u and v lies in"
        " [-M, M]",
        source="derived here (docs/setting.md, section 3: the covariance-weighted residual)",
        doc=__doc__,
        scope="every K and d (finite sums of symbolic length); the segment variable tau in [0, 1]",
        constants={"segment_curvature_factor": sp.exp(2 * M)},
        domain={tau: (0, 1)},
        claims=_claims(),
    )
)
