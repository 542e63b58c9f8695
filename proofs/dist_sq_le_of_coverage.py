"""**Error bound under coverage**: beta lambda ||w - w*||^2 <= ||grad J_S(w)|| ||w - w*||, where
lambda = lambda_min(Sigma_S(w)) >= exp(-2 B ||w||) gamma.

So ||w - w*|| <= ||grad J_S(w)|| / (beta exp(-2 B ||w||) gamma) and, under coverage (gamma > 0), the only stationary
point of J_S is w*. With z = w* - w: beta lambda ||z||^2 <= beta z^T Sigma_S(w) z (Rayleigh quotient) = <grad J_S(w), z>
(:mod:`inner_grad_eq_smul_var_of_loglinear` at every prompt, an identity the checker's normal forms confirm, averaged
over the sample by :mod:`expect_le_of_le`) <= ||grad J_S(w)|| ||z|| (Cauchy-Schwarz). Stated in the scalars G = ||grad
J_S(w)||, D = ||z||, I = <grad J_S(w), z>, Q = z^T Sigma_S(w) z, lambda; valid in every dimension. Claim ``inner_ge``
stops before Cauchy-Schwarz: beta lambda ||w - w*||^2 <= <grad J_S(w), w* - w>. Claim ``dist_sq``: inside a ball ||w -
w*|| <= r this gives ||w - w*||^2 <= r ||grad J_S(w)|| / (beta lambda), the form the theorems substitute. Source:
docs/setting.md, section 4, lemma 5 (error bound / quadratic growth).
"""

import sympy as sp

from rlhfsym.chain import Algebra, Claim, Hypothesis, Lemma, calc, citation

from . import expect_le_of_le as expectation
from . import inner_grad_eq_smul_var_of_loglinear as ascent_identity
from . import inner_le_norm_mul_norm as cauchy_schwarz
from . import min_eig_mul_sq_le_quad as spectral
from ._chain import CHAIN
from ._model import beta

G, D, r = sp.symbols("G D r", nonnegative=True)
inner, Q = sp.symbols("I Q", real=True)
lam = sp.Symbol("lambda", positive=True)

RAYLEIGH = citation(spectral.LEMMA, "quad_ge", {spectral.lam: lam, spectral.D: D, spectral.Q: Q}, name="rayleigh")
_ascent_derivative, _ascent_variance = ascent_identity._parts()
#: Averaged over the sample (expectation under the empirical distribution): Q <= I / beta, where Q = z^T Sigma_S(w) z
#: is the mean of the per-prompt variances and I = <grad J_S(w), z> the mean of the directional derivatives. Its
#: pathwise premise, beta Var_{pi_w}(<z, phi>) <= <grad j(w; x), z> at every prompt, is the identity of
#: inner_grad_eq_smul_var_of_loglinear: the two sides have the same normal form, so it holds by algebra.
ASCENT = citation(
    expectation.LEMMA,
    "main",
    {expectation.X: _ascent_variance / beta, expectation.c: 1 / beta, expectation.Y: _ascent_derivative,
     expectation.b: sp.S.Zero, expectation.EX: Q, expectation.EY: inner},
    name="ascent",
)
CS = citation(
    cauchy_schwarz.LEMMA, "main", {cauchy_schwarz.inner: inner, cauchy_schwarz.G: G, cauchy_schwarz.D: D}, name="cs"
)
BALL = Hypothesis("ball", D, "<=", r, "||w - w*|| <= r", kind="asserted")
MAIN = Hypothesis("error_bound", beta * lam * D**2, "<=", G * D, by="#main")

LEMMA = CHAIN.register(
    Lemma(
        name="dist_sq_le_of_coverage",
        statement="beta lambda_min(Sigma_S(w)) ||w - w*||^2 <= ||grad J_S(w)|| ||w - w*||; inside ||w - w*|| <= r,"
        " ||w - w*||^2 <= r ||grad J_S(w)|| / (beta lambda)",
        source="docs/setting.md, section 4, lemma 5 (derived here)",
        doc=__doc__,
        scope="every d and K (scalar form; the Rayleigh and Cauchy-Schwarz facts are its hypotheses)",
        hypotheses=(RAYLEIGH, ASCENT, CS),
        claims=(
            Claim(
                "main",
                beta * lam * D**2,
                "<=",
                G * D,
                calc(
                    ("<=", beta * Q, "Rayleigh quotient", Algebra(beta * RAYLEIGH.slack)),
                    ("<=", inner, "the ascent identity", Algebra(beta * ASCENT.slack)),
                    ("<=", G * D, "Cauchy-Schwarz", Algebra(CS.slack)),
                ),
            ),
            Claim(
                "inner_ge",
                beta * lam * D**2,
                "<=",
                inner,
                calc(
                    ("<=", beta * Q, "Rayleigh quotient", Algebra(beta * RAYLEIGH.slack)),
                    ("<=", inner, "the ascent identity", Algebra(beta * ASCENT.slack)),
                ),
            ),
            Claim(
                "dist_sq",
                D**2,
                "<=",
                r * G / (beta * lam),
                calc(
                    (
                        "<=",
                        r * G / (beta * lam),
                        "divide main by beta lambda, then D <= r",
                        Algebra((G * BALL.slack + MAIN.slack) / (beta * lam)),
                    )
                ),
                hypotheses=(BALL, MAIN),
            ),
        ),
    )
)
