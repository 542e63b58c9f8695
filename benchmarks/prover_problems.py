"""Inequality problems for ``benchmarks/bench_prover.py``, translated by hand (never copied) from two public suites:

* **MetiTarski**'s problem set (L. C. Paulson et al., the ``tptp/Problems`` folder of the MetiTarski distribution;
  each entry names its ``.tptp`` file and ``fof`` name), and
* **Isabelle**'s ``src/HOL/Decision_Procs/ex/Approximation_Ex.thy`` (J. Hoelzl; each entry names the lemma by its
  statement, in the order of the file).

Each problem is ``f <= g`` on a box of exact rationals. Translation rules, stated once: a strict ``<`` becomes
``<=`` on the closure of the domain (a weaker claim where the two sides meet on the boundary, identical elsewhere);
an unbounded variable is given a finite box, named in ``note``; an auxiliary MetiTarski variable defined by an
equation (``S^2 = X``) is replaced by its definition (``sqrt(X)``); a constraint ``X < Y`` becomes ``X = t Y`` with
``t`` in ``[0, 1]``; decimal constants are exact rationals; ``pi/2`` as an end of a box is replaced by a rational
below it. A problem stated with ``abs(...) < eps`` or ``a <= x <= b`` is split into its two inequalities where
that is simpler.

Every true problem has a FALSE variant (a constant perturbed, or the box widened past the validity of the claim) and
a concrete point at which the benchmark confirms, at 100 digits, that the variant fails (``f - g > 0``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

__all__ = ["PROBLEMS", "Problem"]

X, Y, T, A = sp.symbols("X Y T A", real=True)
R = sp.Rational
pi = sp.pi


def q(text: str) -> sp.Rational:
    """An exact rational from a decimal written in this file (never from user input)."""
    return sp.Rational(Fraction(text))


@dataclass(frozen=True)
class Problem:
    """``f <= g`` on ``box``; ``false_f <= false_g`` on ``false_box`` fails at ``counterexample``."""

    name: str
    source: str
    f: sp.Expr
    g: sp.Expr
    box: dict
    false_f: sp.Expr
    false_g: sp.Expr
    counterexample: dict
    false_box: dict | None = None
    note: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def suite(self) -> str:
        return "MetiTarski" if self.source.startswith("MetiTarski") else "Isabelle"


MT = "MetiTarski tptp/Problems/"
ISA = "Isabelle src/HOL/Decision_Procs/ex/Approximation_Ex.thy, lemma "

PROBLEMS: list[Problem] = [
    # ---- exp --------------------------------------------------------------------------------------------------
    Problem("exp-lower-1", MT + "exp-lower-1.tptp (exp_lower_bound_problem_1)",
            1 + X, sp.exp(X), {X: (-10, 10)},
            1 + X + R(1, 100), sp.exp(X), {X: 0}, note="X over all reals; box [-10, 10]; tight at 0"),
    Problem("exp-lower-4", MT + "exp-lower-4.tptp (exp_lower_bound_problem_4)",
            1 - X, sp.exp(-X), {X: (-10, 10)},
            1 - X, sp.exp(-X) - R(1, 100), {X: 0}, note="box [-10, 10]; tight at 0"),
    Problem("exp-lower-3", MT + "exp-lower-3.tptp (exp_lower_bound_problem_3)",
            7 * X / 4, sp.exp(X) - 1, {X: (-10, 0)},
            X / 2, sp.exp(X) - 1, {X: -1}, note="X < 0; box [-10, 0]; tight at 0"),
    Problem("exp-upper-2", MT + "exp-upper-2.tptp (exp_upper_bound_problem_2)",
            sp.exp(X), 1 + X / 4, {X: (q("-3.3"), 0)},
            sp.exp(X), 1 + X / 4, {X: -4}, false_box={X: (-4, 0)}, note="tight at 0; false variant on [-4, 0]"),
    Problem("exp-upper-7", MT + "exp-upper-7.tptp (exp_upper_bound_problem_7)",
            sp.exp(-X), 1 / (1 + X), {X: (R(-9, 10), 10)},
            sp.exp(-X), 1 / (1 + X) - R(1, 1000), {X: 0}, note="X > -1; box [-9/10, 10]; tight at 0 (interior)"),
    Problem("exp-upper-10", MT + "exp-upper-10.tptp (exp_upper_bound_problem_10)",
            sp.exp(X / (X - 1)), 1 - X, {X: (-10, R(9, 10))},
            sp.exp(X / (X - 1)), 1 - X - R(1, 100), {X: 0},
            note="Y = X/(X-1) substituted; X < 1, box [-10, 9/10]; tight at 0 (interior)"),
    Problem("polypaver-bench-exp", MT + "polypaver-bench-exp.tptp (benchexp8)",
            sp.exp(X + Y), sp.exp(X) * sp.exp(Y) + R(1, 2**8), {X: (0, 1), Y: (0, 1)},
            sp.exp(X + Y), sp.exp(X) * sp.exp(Y) - R(1, 2**8), {X: 0, Y: 0},
            note="sympy merges exp(X)*exp(Y) into exp(X+Y)"),
    Problem("abs-problem-10", MT + "abs-problem-10.tptp (abs_problem_10)",
            sp.Abs(sp.exp(X) - 1), 7 * sp.Abs(X) / 4, {X: (-1, 1)},
            sp.Abs(sp.exp(X) - 1), 3 * sp.Abs(X) / 2, {X: 1}, note="|X| < 1, X != 0; closed box; kink at 0"),
    Problem("abs-problem-11", MT + "abs-problem-11.tptp (abs_problem_11: |e^z - 1| <= e^|z| - 1, A&S 4.2.39)",
            sp.Abs(sp.exp(X) - 1), sp.exp(sp.Abs(X)) - 1, {X: (-5, 5)},
            sp.Abs(sp.exp(X) - 1), sp.exp(sp.Abs(X)) - 1 - R(1, 100), {X: 1}, note="box [-5, 5]; equality for X >= 0"),
    Problem("abs-problem-12", MT + "abs-problem-12.tptp (abs_problem_12)",
            sp.exp(sp.Abs(X)) - 1, sp.Abs(X) * sp.exp(sp.Abs(X)), {X: (-5, 5)},
            sp.exp(sp.Abs(X)) - 1, sp.Abs(X) * sp.exp(sp.Abs(X)) - R(1, 100), {X: 0}, note="box [-5, 5]; tight at 0"),
    Problem("abs-problem-14", MT + "abs-problem-14.tptp (abs_problem_14)",
            sp.Abs(sp.exp(sp.Abs(X)) - (1 + sp.Abs(X))), X**2 * sp.exp(sp.Abs(X)) / 2, {X: (-3, 3)},
            sp.Abs(sp.exp(sp.Abs(X)) - (1 + sp.Abs(X))), X**2 * sp.exp(sp.Abs(X)) / 4, {X: 1},
            note="box [-3, 3]; tight at 0"),
    Problem("abs-problem-15", MT + "abs-problem-15.tptp (abs_problem_15)",
            sp.Abs(sp.exp(X) - (1 + X / 2) ** 2), sp.Abs(sp.exp(sp.Abs(X)) - (1 + sp.Abs(X) / 2) ** 2), {X: (-3, 3)},
            sp.Abs(sp.exp(X) - (1 + X / 2) ** 2) + R(1, 100), sp.Abs(sp.exp(sp.Abs(X)) - (1 + sp.Abs(X) / 2) ** 2),
            {X: 1}, note="box [-3, 3]; equality for X >= 0, tight to third order at 0"),
    # ---- log --------------------------------------------------------------------------------------------------
    Problem("log-upper-5", MT + "log-upper-5.tptp (log_upper_bound_problem_5)",
            sp.log(1 + X), X, {X: (R(-99, 100), 100)},
            sp.log(1 + X), X - R(1, 100), {X: 0}, note="X > -1; box [-99/100, 100]; tight at 0"),
    Problem("log-lower-22", MT + "log-lower-22.tptp (log_lower_bound_problem_22)",
            2 * (X / (2 + X) + X**3 / (3 * (2 + X) ** 3)), sp.log(1 + X), {X: (0, 10)},
            2 * (X / (2 + X) + X**3 / (3 * (2 + X) ** 3)) + R(1, 1000), sp.log(1 + X), {X: 0},
            note="0 < X; box [0, 10]; tight to fifth order at 0"),
    Problem("log-lower-23", MT + "log-lower-23.tptp (log_lower_bound_problem_23)",
            X - X**2 / 2 + X**3 / 3 - X**4 / 4, sp.log(1 + X), {X: (0, 10)},
            X - X**2 / 2 + X**3 / 3 - X**4 / 4 + R(1, 1000), sp.log(1 + X), {X: 0},
            note="box [0, 10]; tight to fifth order at 0"),
    Problem("log-lower-24", MT + "log-lower-24.tptp (log_lower_bound_problem_24)",
            X + X**2 / 2 - X**3 / 6, (1 + X) * sp.log(1 + X), {X: (0, 10)},
            X + X**2 / 2 - X**3 / 6 + R(1, 1000), (1 + X) * sp.log(1 + X), {X: 0},
            note="box [0, 10]; tight to fourth order at 0"),
    Problem("log-upper-24", MT + "log-upper-24.tptp (log_upper_bound_problem_24)",
            sp.log(1 + X), X - X**2 / 2 + X**3 / 3, {X: (0, 10)},
            sp.log(1 + X), X - X**2 / 2 + X**3 / 3 - R(1, 1000), {X: 0},
            note="box [0, 10]; tight to fourth order at 0"),
    Problem("log-problem-4", MT + "log-problem-4.tptp (log_problem_4)",
            X * sp.log(1 + X), 1 + X * sp.log(X), {X: (R(1, 100), 13)},
            X * sp.log(1 + X), R(1, 2) + X * sp.log(X), {X: 13},
            note="0 <= X <= 13; box [1/100, 13] (X ln X is not an interval kernel at 0)"),
    Problem("log-3615-sqrt (X >= 1)", MT + "log-3615-sqrt.tptp (log_3615), the branch X > 1",
            sp.log(X), (X - 1) / sp.sqrt(X), {X: (1, 1000)},
            sp.log(X), (X - 1) / sp.sqrt(X) - R(1, 1000), {X: 1},
            note="ln(X)/(X-1) <= 1/sqrt(X) multiplied by X - 1 > 0; tight to third order at 1"),
    Problem("log-3615-sqrt (X <= 1)", MT + "log-3615-sqrt.tptp (log_3615), the branch X < 1",
            (X - 1) / sp.sqrt(X), sp.log(X), {X: (R(1, 1000), 1)},
            (X - 1) / sp.sqrt(X) + R(1, 1000), sp.log(X), {X: 1},
            note="multiplied by X - 1 < 0; box [1/1000, 1]; tight to third order at 1"),
    Problem("log-upper-21-sqrt", MT + "log-upper-21-sqrt.tptp (log_upper_bound_problem_21)",
            sp.log(1 + 1 / X), 1 / sp.sqrt(X**2 + X), {X: (R(1, 10), 100)},
            sp.log(1 + 1 / X), 1 / sp.sqrt(X**2 + X) - R(1, 10**6), {X: 100},
            note="0 < X; box [1/10, 100]"),
    Problem("log-fun-ineq-f2", MT + "log-fun-ineq-f2.tptp (lfi_f, a = 2; Bullen: ln x <= (a/e) x^(1/a))",
            sp.log(X), 2 / sp.E * sp.sqrt(X) + R(1, 1000), {X: (R(1, 10), 100)},
            sp.log(X), 2 / sp.E * sp.sqrt(X) - R(1, 1000), {X: R(739, 100)},
            note="sharp at X = e^2: weakened by 1/1000 (MetiTarski weakens it too)"),
    Problem("log-fun-ineq-fneg3", MT + "log-fun-ineq-fneg3.tptp (lfi_f, a = 3: -ln x <= 1/(e a x^a))",
            -sp.log(X), 1 / (3 * sp.E * X**3) + R(1, 1000), {X: (R(1, 10), 10)},
            -sp.log(X), 1 / (3 * sp.E * X**3) - R(1, 1000), {X: R(7165, 10000)},
            note="sharp at X = e^(-1/3): weakened by 1/1000"),
    # ---- sin, cos, tan ----------------------------------------------------------------------------------------
    Problem("sin-problem-1-weak", MT + "sin-problem-1-weak.tptp (sin_problem_1)",
            2 / pi, sp.sin(X) / X, {X: (R(1, 1000), R(157, 100))},
            2 / pi + R(1, 100), sp.sin(X) / X, {X: R(157, 100)},
            note="|X| < pi/2, X != 0; by symmetry X in [1/1000, 157/100]"),
    Problem("sin-problem-7-weak", MT + "sin-problem-7-weak.tptp (sin_problem_7)",
            T, q("0.0005") + sp.sin(T * Y) / sp.sin(Y), {T: (0, 1), Y: (R(1, 100), R(157, 100))},
            T, sp.sin(T * Y) / sp.sin(Y) - R(1, 100), {T: 1, Y: 1},
            note="X = T*Y with 0 <= T <= 1, Y in [1/100, 157/100]"),
    Problem("sin-problem-8-weak", MT + "sin-problem-8-weak.tptp (sin_problem_8)",
            sp.sin(T * Y) / sp.sin(Y), pi / 2 * T, {T: (0, 1), Y: (R(1, 100), R(157, 100))},
            sp.sin(T * Y) / sp.sin(Y), T + R(1, 100), {T: R(1, 2), Y: R(3, 2)},
            note="X = T*Y; false variant replaces pi/2 by 1"),
    Problem("sin-problem-10", MT + "sin-problem-10.tptp (sin_problem_10)",
            0, sp.sin(1 / (X - 1)) - 2 * sp.sin(1 / X) + sp.sin(1 / (X + 1)), {X: (R(3, 2), 10)},
            0, sp.sin(1 / (X - 1)) - 2 * sp.sin(1 / X) + sp.sin(1 / (X + 1)), {X: R(7, 5)},
            false_box={X: (R(7, 5), 10)}, note="X > 1.475...; box [3/2, 10]; false on [7/5, 10]"),
    Problem("sin-problem-11", MT + "sin-problem-11.tptp (sin_problem_11)",
            0, 2 * sp.cos(1 / X) / X**3 - sp.sin(1 / X) / X**4, {X: (1, 100)},
            R(1, 10**5), 2 * sp.cos(1 / X) / X**3 - sp.sin(1 / X) / X**4, {X: 100}, note="1 < X; box [1, 100]"),
    Problem("sin-3.2-6.2", ISA + '"3.2 <= x <= 6.2 ==> sin x <= 0"',
            sp.sin(X), 0, {X: (q("3.2"), q("6.2"))},
            sp.sin(X), 0, {X: q("3.1")}, false_box={X: (q("3.1"), q("6.2"))}, note="false on [3.1, 6.2]"),
    Problem("cos-problem-1-weak", MT + "cos-problem-1-weak.tptp (cos_problem_1)",
            1 - 2 * X, sp.cos(pi * X), {X: (0, R(1, 2))},
            1 - 2 * X + R(1, 1000), sp.cos(pi * X), {X: 0},
            note="closed box [0, 1/2] (MetiTarski stops 2.1e-8 short of 1/2); tight at both ends"),
    Problem("cos-problem-2-weak", MT + "cos-problem-2-weak.tptp (cos_problem_2)",
            sp.cos(pi * X), 1 - 2 * X, {X: (R(1, 2), 1)},
            sp.cos(pi * X), 1 - 2 * X - R(1, 1000), {X: R(1, 2)}, note="closed box [1/2, 1]; tight at both ends"),
    Problem("cos-problem-3", MT + "cos-problem-3.tptp (cos_problem_3)",
            sp.Abs(sp.cos(X)), 1, {X: (-1, 1)},
            sp.Abs(sp.cos(X)), R(99, 100), {X: 0}, note="|X| < 1"),
    Problem("cos-problem-9", MT + "cos-problem-9.tptp (cos_problem_9)",
            sp.cos(pi / X), sp.cos(pi / (X + 1)) ** 2, {X: (2, 3)},
            sp.cos(pi / X), sp.cos(pi / (X + 1)) ** 2, {X: 4}, false_box={X: (2, 4)},
            note="2 < X <= 3; sharp at X = 3; the inequality reverses for X > 3 (false on [2, 4])"),
    Problem("cos-3411-b-weak", MT + "cos-3411-b-weak.tptp (cos_problem_3411)",
            2 * (sp.cos(A) - sp.sin(A)) ** 2, (sp.cos(A + T) + sp.sin(A + T)) ** 2 + q("2.05"),
            {A: (R(1, 10), R(7, 5)), T: (0, R(7, 5))},
            2 * (sp.cos(A) - sp.sin(A)) ** 2, (sp.cos(A + T) + sp.sin(A + T)) ** 2 + R(1, 10),
            {A: 1, T: R(1356, 1000)}, note="0.1 < A < 1.4, 0 < T < 1.4 (closed)"),
    Problem("tan-problem-1", MT + "tan-problem-1.tptp (tan_problem_1)",
            1 - sp.cos(X), sp.tan(X / 2), {X: (0, R(3, 2))},
            1 - sp.cos(X) + R(1, 1000), sp.tan(X / 2), {X: 0}, note="0 <= X < pi/2; box [0, 3/2]; tight at 0"),
    Problem("tan-problem-8", MT + "tan-problem-8.tptp (tan_problem_8)",
            0, (2 * X - sp.tan(1 / X)) * sp.cos(1 / X) / X**4, {X: (1, 100)},
            R(1, 1000), (2 * X - sp.tan(1 / X)) * sp.cos(1 / X) / X**4, {X: 100}, note="1 < X; box [1, 100]"),
    Problem("tan-3428c", MT + "tan-3428c.tptp (tan_problem_3428)",
            sp.tan(X) - sp.tan(X) ** 3 / 3 + sp.tan(X) ** 5 / 5, sp.tan(X), {X: (0, R(3, 4))},
            sp.tan(X) - sp.tan(X) ** 3 / 3 + sp.tan(X) ** 5 / 5, sp.tan(X) - R(1, 1000), {X: 0},
            note="0 < X < pi/4; box [0, 3/4]"),
    Problem("tan-problem-9 (lower)", MT + "tan-problem-9.tptp (tan_problem_9), T + T^3/3 < tan T",
            T + T**3 / 3, sp.tan(T), {T: (0, R(1, 2))},
            T + T**3 / 3 + R(1, 1000), sp.tan(T), {T: 0}, note="0 < T < pi/6; box [0, 1/2]; tight to fifth order"),
    Problem("tan-problem-9 (upper)", MT + "tan-problem-9.tptp (tan_problem_9), tan T < T + 4 T^3/9",
            sp.tan(T), T + 4 * T**3 / 9, {T: (0, R(1, 2))},
            sp.tan(T), T + 4 * T**3 / 9 - R(1, 1000), {T: 0}, note="box [0, 1/2]; tight to third order at 0"),
    # ---- atan, hyperbolic -------------------------------------------------------------------------------------
    Problem("atan-problem-7", MT + "atan-problem-7.tptp (atan_problem_7)",
            sp.Abs(sp.atan(X)), pi / 2 + R(1, 10**5), {X: (-100, 100)},
            sp.Abs(sp.atan(X)), R(3, 2), {X: 100}, note="X over all reals; box [-100, 100]"),
    Problem("atan-problem-2-weakestT", MT + "atan-problem-2-weakestT.tptp (atan_problem_2)",
            X / sp.sqrt((X**2 + 1) * (4 * X**2 + 1)), R(1, 10**5) + sp.atan(2 * X) - sp.atan(X), {X: (0, 10)},
            X / sp.sqrt((X**2 + 1) * (4 * X**2 + 1)), sp.atan(2 * X) - sp.atan(X) - R(1, 100), {X: 0},
            note="S = sqrt((X^2+1)(4X^2+1)) substituted; 0 < X, box [0, 10]"),
    Problem("tanh-2", MT + "tanh-2.tptp (tanh_2)",
            sp.Abs(sp.tanh(X)), 1, {X: (-20, 20)},
            sp.Abs(sp.tanh(X)), R(99, 100), {X: 20}, note="box [-20, 20]"),
    Problem("tanh-4-weak", MT + "tanh-4-weak.tptp (tanh_4)",
            -sp.tanh(X), sp.tanh(1 - X), {X: (R(-5, 2), R(7, 2))},
            -sp.tanh(X) + R(1, 50), sp.tanh(1 - X), {X: R(7, 2)}, note="-2.5 <= X <= 3.5"),
    Problem("tanh-5b", MT + "tanh-5b.tptp (tanh_5b)",
            sp.tanh(X), sp.sinh(X) * sp.cosh(X), {X: (0, 5)},
            sp.tanh(X) + R(1, 1000), sp.sinh(X) * sp.cosh(X), {X: 0}, note="0 <= X; box [0, 5]; tight at 0"),
    Problem("tanh-9-sinh", MT + "tanh-9-sinh.tptp (tanh_9)",
            sp.Abs((1 - sp.tanh(X) ** 2) * sp.sinh(X) * sp.cosh(X)), 1, {X: (-10, 10)},
            sp.Abs((1 - sp.tanh(X) ** 2) * sp.sinh(X) * sp.cosh(X)), R(9, 10), {X: 10}, note="box [-10, 10]"),
    Problem("cosh-369", MT + "cosh-369.tptp (tanh_3610)",
            sp.cosh(X), (sp.sinh(X) / X) ** 3, {X: (R(1, 10), 4)},
            sp.cosh(X) + R(1, 10), (sp.sinh(X) / X) ** 3, {X: R(1, 10)},
            note="-4 < X < 4, X != 0; by symmetry X in [1/10, 4]"),
    Problem("cosh-3612a-weak", MT + "cosh-3612a-weak.tptp (cosh_3612)",
            (3 + X**2 / 11) * sp.sinh(X) / (2 + sp.cosh(X) + X**2 / 11), X, {X: (0, R(12, 5))},
            (3 + X**2 / 11) * sp.sinh(X) / (2 + sp.cosh(X) + X**2 / 11), X, {X: 6}, false_box={X: (0, 6)},
            note="0 < X < 2.4; valid up to X = 5.1786..., false on [0, 6]"),
    Problem("cosh-3612a", MT + "cosh-3612a.tptp (cosh_3612)",
            (3 + X**2 / 11) * sp.sinh(X) / (2 + sp.cosh(X) + X**2 / 11), X, {X: (0, 5)},
            (3 + X**2 / 11) * sp.sinh(X) / (2 + sp.cosh(X) + X**2 / 11), X, {X: R(26, 5)},
            false_box={X: (0, R(26, 5))}, note="0 < X < 5 (impossible with MetiTarski's bounds); false on [0, 26/5]"),
    Problem("exp-hyperbolic-1", MT + "exp-hyperbolic-1.tptp (exp_hyp)",
            (3 + X**2 / 11) * ((sp.exp(X) - sp.exp(-X)) / 2),
            X * (2 + (sp.exp(X) + sp.exp(-X)) / 2 + X**2 / 11), {X: (R(1, 100), 5)},
            (3 + X**2 / 11) * ((sp.exp(X) - sp.exp(-X)) / 2),
            X * (2 + (sp.exp(X) + sp.exp(-X)) / 2 + X**2 / 11), {X: 6}, false_box={X: (R(1, 100), 6)},
            note="0.01 < X < 5.1785; box [1/100, 5]; false on [1/100, 6]"),
    # ---- sqrt -------------------------------------------------------------------------------------------------
    Problem("sqrt-problem-Melquiond2", MT + "sqrt-problem-Melquiond2.tptp (sqrt_problem_Melquiond)",
            sp.Abs(sp.sqrt(1 + X / sp.sqrt(X + Y)) - q("0.144") * X - q("1.18")), R(71, 32768),
            {X: (R(3, 2), 2), Y: (1, R(33, 32))},
            sp.Abs(sp.sqrt(1 + X / sp.sqrt(X + Y)) - q("0.144") * X - q("1.18")), R(70, 32768),
            {X: R(3, 2), Y: R(33, 32)}, note="SXY = sqrt(X + Y) substituted; closed box; max 70.55/32768"),
    Problem("sqrt-problem-12vars2", MT + "sqrt-problem-12vars2.tptp (sqrt_problem_12)",
            3 * X / (2 + sp.sqrt(1 - X**2)),
            6 * (sp.sqrt(1 + X) - sp.sqrt(1 - X)) / (4 + sp.sqrt(1 + X) + sp.sqrt(1 - X)), {X: (0, 1)},
            3 * X / (2 + sp.sqrt(1 - X**2)) + R(1, 1000),
            6 * (sp.sqrt(1 + X) - sp.sqrt(1 - X)) / (4 + sp.sqrt(1 + X) + sp.sqrt(1 - X)), {X: 0},
            note="SX = sqrt(1 - X^2) substituted; 0 < X <= 1, closed box; tight to fifth order at 0"),
    Problem("sqrt-cos-problem-1", MT + "sqrt-cos-problem-1.tptp (sqrt_cos_problem_1)",
            sp.sqrt(2) / (2 * X) + R(5, 24) * sp.sqrt(2) * X, q("1.00001") / sp.sqrt(1 - sp.cos(X) ** 4),
            {X: (R(1, 10), R(3, 2))},
            sp.sqrt(2) / (2 * X) + R(5, 24) * sp.sqrt(2) * X, q("0.9") / sp.sqrt(1 - sp.cos(X) ** 4),
            {X: 1}, note="0 < X < pi/2 - 1e-6; box [1/10, 3/2]"),
    # ---- Isabelle: constants ----------------------------------------------------------------------------------
    Problem("ln 2", ISA + '"|ln 2 - 544531980202654583340825686620847 / 785593587443817081832229725798400| < 2^-51"',
            sp.Abs(sp.log(2) - R(544531980202654583340825686620847, 785593587443817081832229725798400)),
            R(1, 2**51), {},
            sp.Abs(sp.log(2) - R(544531980202654583340825686620847, 785593587443817081832229725798400)
                   - R(1, 2**50)), R(1, 2**51), {}, note="the false variant shifts the constant by 2^-50"),
    Problem("exp 1.626", ISA + '"|exp 1.626 - 5.083499996273| < 10^-10"',
            sp.Abs(sp.exp(q("1.626")) - q("5.083499996273")), R(1, 10**10), {},
            sp.Abs(sp.exp(q("1.626")) - q("5.083499996473")), R(1, 10**10), {}),
    Problem("sqrt 2", ISA + '"|sqrt 2 - 1.4142135623730951| < 10^-16"',
            sp.Abs(sp.sqrt(2) - q("1.4142135623730951")), R(1, 10**16), {},
            sp.Abs(sp.sqrt(2) - q("1.4142135623730961")), R(1, 10**16), {}),
    Problem("pi", ISA + '"|pi - 3.1415926535897932385| < 10^-18"',
            sp.Abs(pi - q("3.1415926535897932385")), R(1, 10**18), {},
            sp.Abs(pi - q("3.1415926535897932485")), R(1, 10**18), {}),
    Problem("sin 100", ISA + '"|sin 100 + 0.50636564110975879| < 10^-17"',
            sp.Abs(sp.sin(100) + q("0.50636564110975879")), R(1, 10**17), {},
            sp.Abs(sp.sin(100) + q("0.50636564110975979")), R(1, 10**17), {}),
    Problem("arctan 0.5..4.5", ISA + '"0.5 <= x & x <= 4.5 ==> |arctan x - 0.91| < 0.455"',
            sp.Abs(sp.atan(X) - q("0.91")), q("0.455"), {X: (q("0.5"), q("4.5"))},
            sp.Abs(sp.atan(X) - q("0.91")), q("0.44"), {X: q("0.5")}),
    Problem("arctan 0.49..4.49", ISA + '"0.49 <= x & x <= 4.49 ==> |arctan x - 0.91| < 0.455"',
            sp.Abs(sp.atan(X) - q("0.91")), q("0.455"), {X: (q("0.49"), q("4.49"))},
            sp.Abs(sp.atan(X) - q("0.91")), q("0.455"), {X: q("0.48")}, false_box={X: (q("0.48"), q("4.49"))},
            note="margin 6e-4 at x = 0.49; false on [0.48, 4.49]"),
    Problem("g/v tan(35 d) >= 3 d", ISA + '"g / v * tan (35 * d) : {3 * d .. 3.1 * d}", the lower end',
            3 * pi / 180, q("9.80665") / q("128.61") * sp.tan(35 * pi / 180), {},
            q("3.06") * pi / 180, q("9.80665") / q("128.61") * sp.tan(35 * pi / 180), {},
            note="g = 9.80665, v = 128.61, d = pi/180"),
    Problem("g/v tan(35 d) <= 3.1 d", ISA + '"g / v * tan (35 * d) : {3 * d .. 3.1 * d}", the upper end',
            q("9.80665") / q("128.61") * sp.tan(35 * pi / 180), q("3.1") * pi / 180, {},
            q("9.80665") / q("128.61") * sp.tan(35 * pi / 180), q("3.05") * pi / 180, {}),
    Problem("x^2 <= x", ISA + '"x : {0 .. 1} --> x^2 <= x"',
            X**2, X, {X: (0, 1)},
            X**2, X - R(1, 100), {X: 0}, note="tight at both ends"),
]  # fmt: skip
