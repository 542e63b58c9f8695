"""rlhfsym.interval: the pitfalls it must avoid, what it refuses, three-valued comparisons and precision control.

Each pitfall test first shows the pitfall in the library underneath (so the test fails if the premise changes),
then shows that the engine does not fall into it.
"""

from __future__ import annotations

import inspect
import threading
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from mpmath import iv

from rlhfsym.errors import ParameterError, RlhfsymError
from rlhfsym.interval import (
    KERNELS,
    CompiledEnclosure,
    Decision,
    Enclosure,
    IntervalDomainError,
    IntervalError,
    compile_enclosure,
    current_precision,
    enclose,
    working_precision,
)

x, y = sp.symbols("x y")
p = sp.Symbol("p", positive=True)
BACKENDS = [("arb", "ball"), ("arb", "interval"), ("mpmath", "interval")]


def enc(expr, values=None, backend="arb", mode="interval", **kw):
    if backend == "arb" and mode == "ball":
        return compile_enclosure(expr, sorted(sp.sympify(expr).free_symbols, key=sp.default_sort_key), **kw)(
            values or {}
        )
    return enclose(expr, values, backend=backend, **kw)


# ---- pitfalls ---------------------------------------------------------------------------------------------------


def test_overlapping_mpmath_intervals_compare_to_none_but_max_and_le_stay_sound():
    a, b = iv.mpf([0, 2]), iv.mpf([1, 3])
    assert (a < b) is None  # mpmath 1.3: an undecided comparison answers None ...
    assert max(a, b) is a  # ... so Python's max silently picks a side: [0, 2], whose upper end is wrong
    for backend, mode in BACKENDS:
        m = enc(sp.Max(x, y), {x: (0, 2), y: (1, 3)}, backend, mode)
        assert m.contains(Fraction(3)) and m.contains(Fraction(1)) and not m.contains(Fraction(1, 2))
        lo = enc(sp.Min(x, y), {x: (0, 2), y: (1, 3)}, backend, mode)
        assert lo.contains(0) and lo.contains(2) and not lo.contains(Fraction(5, 2))
    assert Enclosure(Fraction(0), Fraction(2)).le(Enclosure(Fraction(1), Fraction(3))) is Decision.UNDECIDED


def test_default_lambdify_turns_one_third_into_a_float_but_enclosures_contain_one_third():
    source = inspect.getsource(sp.lambdify(x, sp.Rational(1, 3) * x))
    assert "1/3" in source and "mpf" not in source  # Python evaluates 1/3 to the double 0.333...3148
    double = Fraction(1 / 3)
    assert double != Fraction(1, 3)
    for backend, mode in BACKENDS:
        e = enc(sp.Rational(1, 3) * x, {x: 1}, backend, mode)
        assert e.contains(Fraction(1, 3)) and not e.contains(double)
        assert enc(3 * x - sp.Rational(3, 10), {x: "0.1"}, backend, mode).contains(0)
    assert 3 * 0.1 - 0.3 != 0  # the float computation of the same quantity misses 0


def test_iv_mpf_of_a_float_is_the_double_while_exact_inputs_contain_one_tenth():
    a, b = iv.mpf(0.1).a, iv.mpf(0.1).b
    assert a == b and Fraction(float(a)) == Fraction(0.1) != Fraction(1, 10)  # a point interval at the double
    for backend, mode in BACKENDS:
        for value in ("0.1", Fraction(1, 10), sp.Rational(1, 10)):
            assert enc(x, {x: value}, backend, mode).contains(Fraction(1, 10))
    with pytest.raises(ParameterError, match="floats are already rounded"):
        enclose(x, {x: 0.1})


def test_sqrt_and_log_of_an_interval_straddling_zero_raise_a_domain_error_not_complex_result():
    with pytest.raises(mpmath.libmp.ComplexResult):
        iv.sqrt(iv.mpf([-1, 1]))
    with pytest.raises(mpmath.libmp.ComplexResult):
        iv.log(iv.mpf([-1, 1]))
    for backend, mode in BACKENDS:
        with pytest.raises(IntervalDomainError, match="power needs a base >= 0"):
            enc(sp.sqrt(x), {x: (-1, 1)}, backend, mode)
        with pytest.raises(IntervalDomainError, match="log needs an argument > 0"):
            enc(sp.log(x), {x: (-1, 1)}, backend, mode)
        with pytest.raises(IntervalDomainError, match="log needs an argument > 0"):
            enc(sp.log(x), {x: (0, 1)}, backend, mode)  # mpmath alone answers [-inf, 0]
        with pytest.raises(IntervalDomainError, match="divisor"):
            enc(1 / x, {x: (0, 1)}, backend, mode)  # mpmath alone answers [1, inf]


def test_square_of_an_interval_straddling_zero_is_nonnegative_while_x_times_x_is_not():
    assert (iv.mpf([-1, 1]) * iv.mpf([-1, 1])).a == -1
    for backend, mode in BACKENDS:
        square = enc(x**2, {x: (-1, 1)}, backend, mode)
        assert square.lower == 0 and square.contains(1)
        product = enc(sp.Mul(x, x, evaluate=False), {x: (-1, 1)}, backend, mode)
        assert product.lower < 0 and product.contains(-1)  # dependency: x*x is enclosed as a product, soundly
        assert enc(x**4 - 1, {x: (-1, 1)}, backend, mode).lower >= -1
        assert enc(x**3, {x: (-2, 1)}, backend, mode).contains(-8)


def test_sqrt_of_an_interval_touching_zero_is_defined():
    for backend, mode in BACKENDS:
        e = enc(sp.sqrt(x) + x ** sp.Rational(1, 3), {x: (0, Fraction(1, 3))}, backend, mode)
        assert e.lower == 0 and e.upper > Fraction(1)


def test_power_with_a_symbolic_exponent_needs_a_positive_base_and_is_exact_at_integer_exponents():
    for backend, mode in BACKENDS:
        assert enc(2**x, {x: 1}, backend, mode) == Enclosure.point(2)  # not exp(log(2)), which only encloses 2
        assert enc(x**y, {x: 2, y: -2}, backend, mode) == Enclosure.point(Fraction(1, 4))
        e = enc(x**y, {x: (1, 2), y: (Fraction(-1, 2), Fraction(1, 2))}, backend, mode)
        with mpmath.workdps(40):
            assert e.contains(mpmath.sqrt(2)) and e.contains(1 / mpmath.sqrt(2))
        with pytest.raises(IntervalDomainError, match="base > 0"):
            enc(x**y, {x: (0, 1), y: Fraction(1, 2)}, backend, mode)


def test_constants_enter_as_enclosures():
    for backend, mode in BACKENDS:
        e = enc(sp.pi + sp.E + sp.EulerGamma, None, backend, mode)
        with mpmath.workdps(60):
            assert e.contains(mpmath.pi + mpmath.e + mpmath.euler)
        assert e.width > 0


# ---- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.5, [0.1, 1], (Fraction(1), 2.0)])
def test_float_values_are_refused_with_the_rule(value):
    with pytest.raises(ParameterError, match="floats are already rounded") as info:
        enclose(x, {x: value})
    assert info.value.parameter == "x"


def test_interval_with_lo_above_hi_is_refused():
    with pytest.raises(ParameterError, match="interval with lo > hi") as info:
        enclose(x + y, {x: (2, 1), y: 0})
    assert info.value.parameter == "x"


@pytest.mark.parametrize("value", [True, "nan", "inf", "1e999", "x+1", "1/0", [1, 2, 3], object()])
def test_values_that_are_not_exact_finite_rationals_are_refused(value):
    with pytest.raises(ParameterError):
        enclose(x, {x: value})


@pytest.mark.parametrize(
    ("expr", "name"),
    [
        (sp.Piecewise((x, x > 0), (0, True)), "Piecewise"),
        (sp.floor(x), "floor"),
        (sp.Function("f")(x), "f"),
        (sp.asin(x), "asin"),
        (sp.I * x, "complex"),
        (sp.Float("0.1") * x, "Float"),
        (sp.zoo * x, "zoo"),
    ],
)
def test_operations_outside_the_whitelist_are_refused_by_name(expr, name):
    for backend in ("arb", "mpmath"):
        with pytest.raises(IntervalError, match=name):
            enclose(expr, {x: 1}, backend=backend)
    with pytest.raises(IntervalError, match=name):
        compile_enclosure(expr, [x])


def test_symbol_without_a_value_is_refused_by_name():
    with pytest.raises(IntervalError, match="symbol y has no value"):
        enclose(x + y, {x: 1})
    with pytest.raises(IntervalError, match="symbol y has no value"):
        compile_enclosure(x + y, [x])


def test_text_and_float_expressions_are_never_parsed():
    with pytest.raises(ParameterError, match="text is never parsed"):
        enclose("x + 1", {x: 1})  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="floats"):
        enclose(0.5)  # type: ignore[arg-type]


def test_values_violating_a_declared_sign_are_refused():
    with pytest.raises(ParameterError, match="declared positive"):
        enclose(sp.sqrt(p**2), {p: (-1, 1)})  # sympy already simplified sqrt(p**2) to p using p > 0


def test_bad_backend_mode_and_precision_are_refused():
    with pytest.raises(ParameterError, match="backend"):
        enclose(x, {x: 1}, backend="numpy")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="mode"):
        compile_enclosure(x, [x], mode="float")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="prec"):
        enclose(x, {x: 1}, prec=3)
    with pytest.raises(ParameterError, match="lo > hi"):
        Enclosure(Fraction(2), Fraction(1))


def test_every_refusal_is_an_rlhfsym_error():
    assert issubclass(IntervalError, RlhfsymError) and issubclass(IntervalDomainError, IntervalError)
    assert issubclass(ParameterError, RlhfsymError)


def test_whitelist_names_each_kernel_with_its_domain():
    assert set(KERNELS) == {"add", "mul", "pow_int", "pow_rational", "pow_real", "exp", "log", "abs", "max", "min",
                            "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh"}
    assert "> 0" in KERNELS["log"] and "exclude 0" in KERNELS["mul"] and "poles" in KERNELS["tan"]


# ---- three-valued comparisons -----------------------------------------------------------------------------------


def test_comparisons_of_overlapping_enclosures_are_undecided_never_true():
    a = Enclosure(Fraction(0), Fraction(2))
    b = Enclosure(Fraction(1), Fraction(3))
    assert a.le(b) is a.lt(b) is a.ge(b) is a.gt(b) is Decision.UNDECIDED
    assert a.le(Fraction(2)) is Decision.TRUE and a.lt(Fraction(2)) is Decision.UNDECIDED
    assert a.le(Fraction(-1)) is Decision.FALSE and a.gt(Fraction(-1)) is Decision.TRUE
    assert Enclosure.point(1).le(Enclosure.point(1)) is Decision.TRUE
    with pytest.raises(TypeError, match="no truth value"):
        bool(a.le(b))


def test_enclosure_contains_is_exact():
    e = enclose(sp.Rational(1, 3))
    assert e.contains(Fraction(1, 3)) and e.contains(sp.Rational(1, 3))
    assert not e.contains(e.upper + Fraction(1, 10**40)) and e.contains(e)


# ---- backends agree; precision ----------------------------------------------------------------------------------


def test_fast_and_reference_paths_agree_to_a_millionth_of_the_width():
    # On a box, arb carries radii with 30 bits: the end points may differ by ~1e-9 of the width, not more.
    expr = 2 * x * y / (1 + x) * sp.sqrt(sp.log(2 / y) / 1000) + sp.exp(-4 * x * y)
    values = {x: (1, Fraction(1001, 1000)), y: Fraction(1, 20)}
    fast = enclose(expr, values)
    ref = enclose(expr, values, backend="mpmath")
    assert fast.overlaps(ref)
    assert abs(fast.lower - ref.lower) < ref.width / 10**6 and abs(fast.upper - ref.upper) < ref.width / 10**6
    point = {x: 1, y: Fraction(1, 20)}
    point_fast, point_ref = enclose(expr, point), enclose(expr, point, backend="mpmath")
    assert point_fast.width < Fraction(1, 10**17) and point_fast.overlaps(point_ref)


def test_higher_precision_gives_a_narrower_enclosure_inside_the_context_manager_only():
    expr = sp.exp(sp.Rational(1, 3)) * sp.pi
    assert current_precision() == 64
    wide = enclose(expr)
    with working_precision(256):
        assert current_precision() == 256
        narrow = enclose(expr)
        narrow_ref = enclose(expr, backend="mpmath")
    assert current_precision() == 64
    assert narrow.width < Fraction(1, 10**70) < wide.width
    assert wide.contains(narrow) and narrow.overlaps(narrow_ref)
    assert enclose(expr, prec=256) == narrow


def test_working_precision_is_local_to_a_thread():
    seen = []
    with working_precision(128):
        thread = threading.Thread(target=lambda: seen.append(current_precision()))
        thread.start()
        thread.join()
    assert seen == [64]


def test_flint_precision_is_restored_after_an_evaluation():
    from flint import ctx

    before = ctx.prec
    enclose(sp.exp(x), {x: 1}, prec=200)
    compile_enclosure(sp.exp(x), [x], prec=300)({x: 1})
    assert ctx.prec == before


def test_compiled_evaluator_is_built_once_and_shares_subexpressions():
    expr = sp.exp(-x * y) + (x * y) ** 2 + sp.sqrt(x * y)
    a = compile_enclosure(expr, [x, y])
    b = compile_enclosure(expr, [x, y])
    assert isinstance(a, CompiledEnclosure) and a._kernel is b._kernel
    assert a.source.count("a0 * a1") == 1
    assert a([1, 2]) == a({"x": 1, "y": 2}) == a({x: 1, y: 2})


def test_compiled_evaluator_falls_back_to_the_reference_path_where_balls_lose_a_sign():
    # The ball of x*y on [0, 1/3] x [1, 2] reaches below 0 by rounding; the exact-endpoint intervals do not.
    compiled = compile_enclosure(sp.sqrt(x * y), [x, y], mode="ball")
    e = compiled({x: (0, Fraction(1, 3)), y: (1, 2)})
    assert e.lower == 0 and e.contains(Fraction(8, 10))


def test_decimal_strings_of_an_enclosure_round_outward():
    e = enclose(sp.Rational(1, 3))
    assert (e.lower_decimal(3), e.upper_decimal(3)) == ("0.333", "0.334")
    lo, hi = e.to_strings()
    assert Fraction(lo) == e.lower and Fraction(hi) == e.upper
    assert str(e).startswith("[0.33333333333333333, 0.33333333333333334")
