"""Every op: value and derivative against closed forms, including IEEE edge cases."""

from __future__ import annotations

import math

import pytest

from autograd import OPS, Value, grad
from autograd.ops import float_div, float_pow

INF = math.inf


def derivative(fn, x0: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    x = Value(x0)
    y = fn(x)
    y.backward()
    return y.data, x.grad


def same(a: float, b: float) -> bool:
    """Equal as IEEE numbers, with nan equal to nan and the sign of zero ignored."""
    return (math.isnan(a) and math.isnan(b)) or a == b


# (op, x, closed-form value, closed-form derivative)
UNARY_CASES = [
    ("exp", lambda x: x.exp(), 0.5, math.e**0.5, math.e**0.5),
    ("log", lambda x: x.log(), 2.0, math.log(2.0), 0.5),
    ("tanh", lambda x: x.tanh(), 0.3, math.tanh(0.3), 1 / math.cosh(0.3) ** 2),
    ("sigmoid", lambda x: x.sigmoid(), 0.2, 1 / (1 + math.e**-0.2), None),
    ("relu+", lambda x: x.relu(), 1.5, 1.5, 1.0),
    ("relu-", lambda x: x.relu(), -1.5, 0.0, 0.0),
    ("sqrt", lambda x: x.sqrt(), 9.0, 3.0, 1 / 6),
    ("abs", lambda x: abs(x), -2.5, 2.5, -1.0),
    ("sin", lambda x: x.sin(), 1.1, math.sin(1.1), math.cos(1.1)),
    ("cos", lambda x: x.cos(), 1.1, math.cos(1.1), -math.sin(1.1)),
    ("softplus", lambda x: x.softplus(), 0.4, math.log(1 + math.e**0.4), 1 / (1 + math.e**-0.4)),
    ("neg", lambda x: -x, 3.0, -3.0, -1.0),
    ("square", lambda x: x**2, -3.0, 9.0, -6.0),
    ("cube", lambda x: x**3, 2.0, 8.0, 12.0),
    ("reciprocal", lambda x: x**-1, 4.0, 0.25, -1 / 16),
    ("rsqrt", lambda x: x**-0.5, 4.0, 0.5, -0.5 * 4.0**-1.5),
    ("number ** x", lambda x: 2**x, 3.0, 8.0, 8.0 * math.log(2.0)),
]


@pytest.mark.parametrize("name, fn, x0, value, slope", UNARY_CASES, ids=[c[0] for c in UNARY_CASES])
def test_unary_closed_forms(name, fn, x0, value, slope) -> None:  # type: ignore[no-untyped-def]
    got_value, got_slope = derivative(fn, x0)
    assert math.isclose(got_value, value, rel_tol=1e-15, abs_tol=1e-300)
    if slope is None:  # sigmoid: σ'(x) = σ(x)(1 - σ(x))
        slope = value * (1 - value)
    assert math.isclose(got_slope, slope, rel_tol=1e-14, abs_tol=1e-300)


def test_binary_closed_forms() -> None:
    a, b = Value(3.0), Value(-2.0)
    for expr, value, da, db in [
        (lambda: a + b, 1.0, 1.0, 1.0),
        (lambda: a - b, 5.0, 1.0, -1.0),
        (lambda: a * b, -6.0, -2.0, 3.0),
        (lambda: a / b, -1.5, -0.5, -3.0 / 4.0),
    ]:
        a.grad = b.grad = 0.0
        out = expr()
        out.backward()
        assert (out.data, a.grad, b.grad) == (value, da, db)


def test_value_exponent() -> None:
    a, b = Value(2.0), Value(3.0)
    out = a**b
    out.backward()
    assert out.data == 8.0
    assert a.grad == 3.0 * 4.0  # b a^(b-1)
    assert math.isclose(b.grad, 8.0 * math.log(2.0), rel_tol=1e-15)  # a^b log a


# -- IEEE and PyTorch edge cases: never a Python math exception --------------------------


@pytest.mark.parametrize(
    "expr, expected",
    [
        (lambda: Value(0.0).log(), -INF),
        (lambda: Value(-1.0).log(), math.nan),
        (lambda: Value(INF).log(), INF),
        (lambda: Value(1000.0).exp(), INF),
        (lambda: Value(-1000.0).exp(), 0.0),
        (lambda: 1 / Value(0.0), INF),
        (lambda: -1 / Value(0.0), -INF),
        (lambda: 1 / Value(-0.0), -INF),
        (lambda: Value(0.0) / 0, math.nan),
        (lambda: Value(-8.0) ** 0.5, math.nan),
        (lambda: Value(0.0) ** -1, INF),
        (lambda: Value(-0.0) ** -1, -INF),
        (lambda: Value(10.0) ** 400, INF),
        (lambda: Value(-10.0) ** 401, -INF),
        (lambda: Value(-1.0).sqrt(), math.nan),
        (lambda: Value(INF).sin(), math.nan),
        (lambda: Value(1000.0).softplus(), 1000.0),
        (lambda: Value(-1000.0).softplus(), 0.0),
        (lambda: Value(math.nan).relu(), math.nan),
        (lambda: Value(-8.0) ** Value(0.5), math.nan),
        (lambda: Value(10**400), INF),
    ],
)
def test_ieee_forward(expr, expected) -> None:  # type: ignore[no-untyped-def]
    assert same(expr().data, expected)


def test_sigmoid_and_tanh_are_exact_and_flat_far_out() -> None:
    for x0, value in [(-1000.0, 0.0), (1000.0, 1.0), (-INF, 0.0), (INF, 1.0)]:
        got, slope = derivative(lambda x: x.sigmoid(), x0)
        assert got == value
        assert slope == 0.0
    for x0, value in [(-1000.0, -1.0), (1000.0, 1.0), (-INF, -1.0), (INF, 1.0)]:
        got, slope = derivative(lambda x: x.tanh(), x0)
        assert got == value
        assert slope == 0.0


def test_sigmoid_symmetry_without_overflow() -> None:
    # σ(-x) = 1 - σ(x), and the tiny tail is represented, not flushed to zero.
    assert Value(-30.0).sigmoid().data == pytest.approx(math.exp(-30.0), rel=1e-12)
    for x in [0.1, 2.0, 15.0, 700.0]:
        closed_form = math.exp(-x) / (1 + math.exp(-x))
        assert Value(-x).sigmoid().data == pytest.approx(closed_form, rel=1e-15)


def test_edge_derivatives_follow_pytorch() -> None:
    # d/dx log x at 0 is inf; d sqrt at 0 is inf; relu' and |x|' at 0 are 0 (PyTorch)
    assert derivative(lambda x: x.log(), 0.0)[1] == INF
    assert derivative(lambda x: x.sqrt(), 0.0)[1] == INF
    assert derivative(lambda x: x.relu(), 0.0)[1] == 0.0
    assert derivative(lambda x: abs(x), 0.0)[1] == 0.0
    # x ** 0 is flat everywhere, also at 0 (no 0 * inf = nan)
    assert derivative(lambda x: x**0, 0.0) == (1.0, 0.0)
    # 1/x at 0: value inf, slope -inf
    assert derivative(lambda x: 1 / x, 0.0) == (INF, -INF)
    # a constant exponent takes no log: (-2) ** 2 has a finite derivative
    assert derivative(lambda x: x**2, -2.0) == (4.0, -4.0)
    # a Value exponent at base 0 with exponent >= 0: d/db is 0, not 0 * -inf
    a, b = Value(0.0), Value(2.0)
    (a**b).backward()
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_float_primitives_never_raise() -> None:
    assert float_div(0.0, 0.0) != float_div(0.0, 0.0)  # nan
    assert float_div(math.nan, 0.0) != float_div(math.nan, 0.0)
    assert float_div(-3.0, -0.0) == INF
    assert float_pow(0.0, -0.5) == INF
    assert float_pow(-0.0, -3.0) == -INF
    assert float_pow(-0.0, -2.0) == INF
    assert float_pow(-2.0, 2000.0) == INF


def test_table_rows_are_complete() -> None:
    for name, op in OPS.items():
        assert op.name == name or name == "pow_const"
        assert op.symbol and op.formula, name
        assert callable(op.forward) and callable(op.local_grads)


def test_table_derivatives_match_finite_differences() -> None:
    """Each row's float rule against a central difference of its own forward, at x = 0.7."""
    eps = 1e-6
    for name, op in OPS.items():
        arity = op.arity if op.arity is not None else op.group[0] + op.group[1]
        point = [0.7 + 0.3 * i for i in range(arity)]
        out = op.forward(*point)
        rules = op.local_grads(out, *point)
        for i in range(arity):
            up, down = list(point), list(point)
            up[i] += eps
            down[i] -= eps
            numeric = (op.forward(*up) - op.forward(*down)) / (2 * eps)
            assert rules[i] == pytest.approx(numeric, rel=1e-6, abs=1e-8), (name, i)


def test_second_derivatives_closed_forms() -> None:
    x = Value(0.4)
    for fn, second in [
        (lambda v: v.sigmoid(), lambda s: s * (1 - s) * (1 - 2 * s)),
        (lambda v: v.tanh(), lambda t: -2 * t * (1 - t * t)),
    ]:
        y = fn(x)
        (d1,) = grad(y, [x], create_graph=True)
        (d2,) = grad(d1, [x])
        assert d2.data == pytest.approx(second(y.data), rel=1e-13)
