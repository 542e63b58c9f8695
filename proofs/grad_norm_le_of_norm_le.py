"""**Lipschitz constant of j on a ball**: ||grad_w j(w; x)|| <= G(R) = B^2 (S + beta R) for ||w|| <= R.

grad j(w; x) = Sigma_w(x) v with v = theta* - beta w (:mod:`grad_eq_cov_mul_of_loglinear`). In an eigenbasis of
Sigma_w(x) with eigenvalues 0 <= lambda_i <= B^2 (:mod:`cov_quad_le_sq_mul_sq_norm_of_norm_le`) and coordinates c_i
of v, ||Sigma_w v||^2 = sum_i lambda_i^2 c_i^2 <= B^4 ||v||^2 (claim ``main``, three eigen-coordinates, term by
term), and ||v|| <= S + beta R (triangle inequality, claim ``lipschitz``). At R = 2 S / beta, G = 3 B^2 S: the
constant of the Lipschitz decompositions in :mod:`ga_best_gap_le_of_coverage` and
:mod:`sga_prompt_best_gap_le_of_coverage`. Source: setting.md, section 4, lemma 2 (derived here).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, Monotone, calc
from rlhfsym.setting import symbol

from ._chain import CHAIN
from ._model import B, beta

DIM = 3
S = symbol("S")
R = sp.Symbol("R", nonnegative=True)
eigen = sp.symbols(f"lambda1:{DIM + 1}", nonnegative=True)
coords = sp.symbols(f"c1:{DIM + 1}", real=True)
grad_norm, v_norm = sp.symbols("G_w V", nonnegative=True)
x = sp.Symbol("x", nonnegative=True)
SPECTRUM = tuple(
    Hypothesis(f"spec{i + 1}", eigen[i], "<=", B**2, "eigenvalues of Sigma_w(x) are <= B^2") for i in range(DIM)
)
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
    after = sum((eigen[i] ** 2 * coords[i] ** 2 for i in range(DIM)), sp.S.Zero)
    witness = sum(
        (coords[i] ** 2 * SPECTRUM[i].slack * (2 * eigen[i] + SPECTRUM[i].slack) for i in range(DIM)), sp.S.Zero
    )
    return Claim(
        "main",
        after,
        "<=",
        B**4 * sum((c**2 for c in coords), sp.S.Zero),
        calc(("<=", B**4 * sum((c**2 for c in coords), sp.S.Zero), "lambda_i^2 <= B^4", Algebra(witness))),
        hypotheses=SPECTRUM,
    )


LEMMA = CHAIN.register(
    Lemma(
        name="grad_norm_le_of_norm_le",
        statement="||grad_w j(w; x)|| <= B^2 (S + beta R) for ||w|| <= R",
        source="setting.md, section 4, lemma 2 (derived here)",
        doc=__doc__,
        scope="three eigen-coordinates, term by term (every d); every K",
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
