"""**Lipschitz constant of j on a ball**: ||grad_w j(w; x)|| <= G(R) = B^2 (S + beta R) for ||w|| <= R.

grad j(w; x) = Sigma_w(x) v with v = theta* - beta w (:mod:`grad_eq_cov_mul_of_loglinear`). In an orthonormal
eigenbasis of Sigma_w(x) with eigenvalues 0 <= lambda_i <= B^2 (claim ``spectrum`` of
:mod:`ga_step_dist_le_of_coverage`, for the one-prompt sample {x}) and coordinates c_i of v, ||Sigma_w v||^2 =
sum_i lambda_i^2 c_i^2 and ||v||^2 = sum_i c_i^2 (:mod:`sq_norm_eq_sum_sq_of_eigenbasis`, with M = I - Sigma_w(x)),
and sum_i lambda_i^2 c_i^2 <= B^4 sum_i c_i^2 (claim ``main``, a sum over the d eigen-coordinates, term by term), so
||grad||^2 <= B^4 ||v||^2 (claim ``square``). Then ||v|| <= ||theta*|| + beta ||w|| (the triangle inequality,
:mod:`norm_sub_le_norm_add_norm`, through 0) <= S + beta R (||theta*|| <= S in coordinates, :mod:`setting_norm_le`;
claim ``lipschitz``). The one assumption is ``ball``: ||w|| <= R. At R = 2 S / beta, G = 3 B^2 S.
Source: docs/setting.md, section 4, lemma 2 (derived here).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc, citation
from rlhfsym.setting import symbol

from . import ga_step_dist_le_of_coverage as distance_step
from . import norm_sub_le_norm_add_norm as triangle
from . import setting_norm_le as norms
from . import sq_norm_eq_sum_sq_of_eigenbasis as eigenbasis
from ._chain import CHAIN
from ._family import B, J, beta, coordinates, family

S = symbol("S")
R = sp.Symbol("R", nonnegative=True)
eigen = family("lambda", nonnegative=True)  # the eigenvalues of Sigma_w(x), i = 1..d
coords = family("c")  # the coordinates of v in the eigenbasis
grad_norm, v_norm, w_norm = sp.symbols("G_w V W", nonnegative=True)  # ||grad j(w; x)||, ||theta* - beta w||, ||w||
x = sp.Symbol("x", nonnegative=True)
_b = sp.Dummy("b", integer=True)
SPECTRUM = Hypothesis("spec", eigen[J], "<=", B**2, "eigenvalues of Sigma_w(x) are <= B^2", forall=(J,),
                      kind="asserted")
#: ||theta*|| in coordinates.
THETA_NORM = sp.sqrt(coordinates(lambda i: norms.theta[i] ** 2))
LIPSCHITZ = B**2 * (S + beta * R)
#: G at the iterates' ball R = 2S/beta: 3 B^2 S.
LIPSCHITZ_AT_BALL = sp.expand(LIPSCHITZ.subs(R, 2 * S / beta))


def _main() -> Claim:
    after = coordinates(lambda i: eigen[i] ** 2 * coords[i] ** 2)
    witness = coordinates(lambda i: coords[i] ** 2 * SPECTRUM.slack * (2 * eigen[i] + SPECTRUM.slack), over=J)
    squares = coordinates(lambda i: coords[i] ** 2)
    return Claim(
        "main",
        after,
        "<=",
        B**4 * squares,
        calc(("<=", B**4 * squares, "lambda_i^2 <= B^4", Algebra(witness))),
        hypotheses=(SPECTRUM,),
    )


def _square(main: Claim) -> Claim:
    """||grad||^2 = sum_i lambda_i^2 c_i^2 <= B^4 sum_i c_i^2 = B^4 ||v||^2 in an orthonormal eigenbasis of
    Sigma_w(x), every eigenvalue at most B^2."""
    after = coordinates(lambda i: eigen[i] ** 2 * coords[i] ** 2)
    squares = coordinates(lambda i: coords[i] ** 2)
    # Sigma_w(x) is the covariance of the one-prompt sample {x}: its eigenvalues are <= B^2 (claim spectrum).
    spectrum = citation(
        distance_step.LEMMA, "spectrum", {distance_step.lam_k: eigen[J]}, name="spec_all", forall=(J,)
    )
    ceiling = citation(main, name="eigen_sum")
    # grad j = Sigma_w(x) v = (I - M) v with M = I - Sigma_w(x), whose eigenvalues are 1 - lambda_i (same basis).
    grad_coords = citation(
        eigenbasis.LEMMA,
        "step_le",
        {eigenbasis.N_M: grad_norm, eigenbasis.mu: sp.Lambda(_b, 1 - eigen[_b]), eigenbasis.c: coords},
        name="grad_coords",
    )
    v_coords = citation(eigenbasis.LEMMA, "sq_norm_le", {eigenbasis.N: v_norm, eigenbasis.c: coords}, name="v_coords")
    return Claim(
        "square",
        grad_norm**2,
        "<=",
        B**4 * v_norm**2,
        calc(
            ("<=", after, "the gradient in the eigenbasis", Algebra(grad_coords.slack)),
            ("<=", B**4 * squares, "claim main", Algebra(ceiling.slack)),
            ("<=", B**4 * v_norm**2, "Parseval", Algebra(B**4 * v_coords.slack)),
        ),
        hypotheses=(spectrum, ceiling, grad_coords, v_coords),
    )


def _lipschitz(square: Claim) -> Claim:
    squared = citation(square, name="square_form")
    split = citation(
        triangle.LEMMA, "main", {triangle.N_ab: v_norm, triangle.N_ac: THETA_NORM, triangle.N_cb: beta * w_norm},
        name="triangle",
    )
    reward = citation(norms.LEMMA, "reward", name="theta_norm")
    ball = Hypothesis("ball", w_norm, "<=", R, "||w|| <= R", kind="asserted")
    sq_theta = coordinates(lambda i: norms.theta[i] ** 2)
    return Claim(
        "lipschitz",
        grad_norm,
        "<=",
        LIPSCHITZ,
        calc(
            (
                "<=",
                sp.sqrt(B**4 * v_norm**2),
                "||grad||^2 <= B^4 ||v||^2 (claim square)",
                Monotone(sp.sqrt(x), x, grad_norm**2, B**4 * v_norm**2, gap_witness=squared.slack),
            ),
            (
                "<=",
                B**2 * (THETA_NORM + beta * w_norm),
                "||theta* - beta w|| <= ||theta* - 0|| + ||0 - beta w||",
                Algebra(B**2 * split.slack),
            ),
            (
                "<=",
                B**2 * (S + beta * w_norm),
                "||theta*||^2 <= S^2 and sqrt is increasing",
                Monotone(B**2 * (sp.sqrt(x) + beta * w_norm), x, sq_theta, S**2, gap_witness=reward.slack),
            ),
            ("<=", LIPSCHITZ, "||w|| <= R", Algebra(B**2 * beta * ball.slack)),
        ),
        hypotheses=(*_needed(square), squared, split, reward, ball),
    )


def _needed(claim: Claim) -> tuple[Hypothesis, ...]:
    return tuple(h for h in claim.hypotheses if h.by is None)


def _claims() -> tuple[Claim, ...]:
    main = _main()
    square = _square(main)
    return main, square, _lipschitz(square)


LEMMA = CHAIN.register(
    Lemma(
        name="grad_norm_le_of_norm_le",
        statement="||grad_w j(w; x)|| <= B^2 (S + beta R) for ||w|| <= R",
        source="docs/setting.md, section 4, lemma 2 (derived here)",
        doc=__doc__,
        scope="every d (a sum over the eigen-coordinates) and every K",
        constants={"G_R": LIPSCHITZ, "G": LIPSCHITZ_AT_BALL},
        claims=_claims(),
    )
)
