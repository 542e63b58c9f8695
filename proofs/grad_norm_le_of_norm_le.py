"""**Lipschitz constant of j on a ball**: ||grad_w j(w; x)|| <= G(R) = B^2 (S + beta R) for ||w|| <= R.

grad j(w; x) = Sigma_w(x) v with v = theta* - beta w (:mod:`grad_eq_cov_mul_of_loglinear`). In an eigenbasis of
Sigma_w(x) with eigenvalues 0 <= lambda_i <= B^2 (:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`) and coordinates c_i
of v, ||Sigma_w v||^2 = sum_i lambda_i^2 c_i^2 <= B^4 ||v||^2 (claim ``main``, a sum over the d eigen-coordinates,
term by term), and ||v|| <= S + beta R (triangle inequality, claim ``lipschitz``). At R = 2 S / beta, G = 3 B^2 S: the
constant of the Lipschitz decompositions in :mod:`ga_best_gap_le_of_coverage` and
:mod:`sga_prompt_best_gap_le_of_coverage`. Source: setting.md, section 4, lemma 2 (derived here).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._family import B, J, beta, coordinates, family

S = symbol("S")
R = sp.Symbol("R", nonnegative=True)
eigen = family("lambda", nonnegative=True)  # the eigenvalues of Sigma_w(x), i = 1..d
coords = family("c")  # the coordinates of v in the eigenbasis
grad_norm, v_norm = sp.symbols("G_w V", nonnegative=True)
x = sp.Symbol("x", nonnegative=True)
SPECTRUM = Hypothesis("spec", eigen[J], "<=", B**2, "eigenvalues of Sigma_w(x) are <= B^2", forall=(J,))
SQUARE = Hypothesis(
    "square",
    grad_norm**2,
    "<=",
    B**4 * v_norm**2,
    "claim main read in an eigenbasis of Sigma_w(x): ||Sigma_w v||^2 = sum_i lambda_i^2 c_i^2, ||v||^2 = sum_i c_i^2",
)
TRIANGLE = Hypothesis("triangle", v_norm, "<=", S + beta * R, "||theta* - beta w|| <= ||theta*|| + beta ||w||")
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


LEMMA = CHAIN.register(
    Lemma(
        name="grad_norm_le_of_norm_le",
        statement="||grad_w j(w; x)|| <= B^2 (S + beta R) for ||w|| <= R",
        source="setting.md, section 4, lemma 2 (derived here)",
        doc=__doc__,
        scope="every d (a sum over the eigen-coordinates) and every K",
        depends_on=("grad_eq_cov_mul_of_loglinear", "cov_quad_le_sq_mul_sq_norm_of_norm_le"),
        constants={"G_R": LIPSCHITZ, "G": LIPSCHITZ_AT_BALL},
        claims=(
            _main(),
            Claim(
                "lipschitz",
                grad_norm,
                "<=",
                LIPSCHITZ,
                calc(
                    (
                        "<=",
                        sp.sqrt(B**4 * v_norm**2),
                        "||grad||^2 <= B^4 ||v||^2 (main, with G_w = ||grad||, V = ||v||)",
                        Monotone(sp.sqrt(x), x, grad_norm**2, B**4 * v_norm**2, gap_witness=SQUARE.slack),
                    ),
                    ("<=", LIPSCHITZ, "||v|| <= S + beta R", Algebra(B**2 * TRIANGLE.slack)),
                ),
                hypotheses=(SQUARE, TRIANGLE),
            ),
        ),
    )
)
