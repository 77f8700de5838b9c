"""Every op: value and derivative against closed forms, including IEEE edge cases."""

from __future__ import annotations

import math
import re

import pytest

from autograd import OPS, Op, Value, apply, grad, ops
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


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# Independent closed forms, written here: name -> (f(*args), [df/dargs_k](*args)).
CLOSED_FORMS = {
    "add": (lambda a, b: a + b, lambda a, b: [1.0, 1.0]),
    "sub": (lambda a, b: a - b, lambda a, b: [1.0, -1.0]),
    "mul": (lambda a, b: a * b, lambda a, b: [b, a]),
    "div": (lambda a, b: a / b, lambda a, b: [1 / b, -a / b**2]),
    "pow": (lambda a, b: a**b, lambda a, b: [b * a ** (b - 1), a**b * math.log(a)]),
    "neg": (lambda x: -x, lambda x: [-1.0]),
    "exp": (math.exp, lambda x: [math.exp(x)]),
    "log": (math.log, lambda x: [1 / x]),
    "tanh": (math.tanh, lambda x: [1 / math.cosh(x) ** 2]),
    "sigmoid": (_sig, lambda x: [math.exp(-x) / (1 + math.exp(-x)) ** 2]),
    "relu": (lambda x: max(x, 0.0), lambda x: [1.0 if x > 0 else 0.0]),
    "sqrt": (math.sqrt, lambda x: [0.5 / math.sqrt(x)]),
    "abs": (abs, lambda x: [math.copysign(1.0, x)]),
    "sin": (math.sin, lambda x: [math.cos(x)]),
    "cos": (math.cos, lambda x: [-math.sin(x)]),
    "softplus": (lambda x: math.log(1 + math.exp(x)), lambda x: [_sig(x)]),
    "pow_const": (lambda x: x**2, lambda x: [2 * x]),
    "add_n": (lambda *xs: sum(xs), lambda *xs: [1.0] * len(xs)),
    "wsum": (
        lambda *a: sum(a[i] * a[len(a) // 2 + i] for i in range(len(a) // 2)) + a[-1],
        lambda *a: [*a[len(a) // 2 : -1], *a[: len(a) // 2], 1.0],
    ),
}
for _name, _scale in [("mse", None), ("sse", 1.0), ("half_sse", 0.5)]:

    def _f(*a: float, s: float | None = _scale) -> float:
        n = len(a) // 2
        c = 1 / n if s is None else s
        return c * sum((a[i] - a[n + i]) ** 2 for i in range(n))

    def _d(*a: float, s: float | None = _scale) -> list[float]:
        n = len(a) // 2
        c = 1 / n if s is None else s
        d = [2 * c * (a[i] - a[n + i]) for i in range(n)]
        return d + [-x for x in d]

    CLOSED_FORMS[_name] = (_f, _d)


def test_every_row_has_a_closed_form_here() -> None:
    assert set(CLOSED_FORMS) == set(OPS)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_table_rows_against_closed_forms_at_several_points(name: str) -> None:
    """Each row's forward and float rule against this file's closed forms, at several points
    (positive, negative, fractional, both sides of kinks) and several n-ary sizes."""
    op = OPS[name]
    f, df = CLOSED_FORMS[name]
    sizes = [op.arity] if op.arity is not None else [
        op.group[0] * n + op.group[1] for n in (1, 2, 3)
    ]
    for size in sizes:
        for base in (0.7, 1.3, 2.9, -0.45, -1.7):
            point = [base + 0.37 * i for i in range(size)]
            if name in ("log", "sqrt", "pow") and point[0] <= 0:
                point[0] = -point[0]
            out = op.forward(*point)
            assert out == pytest.approx(f(*point), rel=1e-13, abs=1e-15), (name, point)
            rules = op.local_grads(out, *point)
            assert len(rules) == size
            for k, (got, expected) in enumerate(zip(rules, df(*point))):
                assert float(got) == pytest.approx(expected, rel=1e-12, abs=1e-15), (name, point, k)
                assert float(got * 1.0) == pytest.approx(expected, rel=1e-12, abs=1e-15)


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


# -- the rule table's special derivatives, the table's API ---------------------------------


def test_nan_goes_through_every_unary_op() -> None:
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus",
                 "neg"):
        assert math.isnan(OPS[name].forward(math.nan)), name
    assert math.isnan(Value(math.nan).sigmoid().data)
    assert math.isnan(ops.float_sigmoid(math.nan)) and math.isnan(ops.float_softplus(math.nan))


def test_sigmoid_both_branches_and_the_boundary() -> None:
    assert ops.float_sigmoid(0.0) == 0.5 and ops.float_sigmoid(-0.0) == 0.5
    assert ops.float_sigmoid(2.0) == 1.0 / (1.0 + math.exp(-2.0))
    assert ops.float_sigmoid(-2.0) == math.exp(-2.0) / (1.0 + math.exp(-2.0))
    assert ops.float_sigmoid(-745.0) > 0.0  # the tail is represented, not flushed


def test_masked_is_a_zero_that_annihilates_everything() -> None:
    m = ops.MASKED
    assert m == 0.0 and isinstance(m, float) and repr(m) == "0.0"
    for g in (INF, -INF, math.nan, 1e308, -2.0, 0.0, 3):
        assert g * m == 0.0 and m * g == 0.0
        assert type(g * m) is float and type(m * g) is float
    assert m + 1.0 == 1.0 and -m == 0.0
    v = Value(2.0)
    assert isinstance(v * m, Value) and (v * m).data == 0.0  # on Values: an ordinary 0
    assert isinstance(m * v, Value)
    import copy
    import pickle

    assert copy.copy(m) is m and copy.deepcopy(m) is m and pickle.loads(pickle.dumps(m)) is m


def test_reciprocal_divides_for_subnormals_only() -> None:
    tiny = 5e-324
    r = ops.reciprocal(tiny)
    assert r == INF and isinstance(r, float)
    assert tiny * r == 1.0 and r * tiny == 1.0 and 2.5e-323 * r == 5.0
    assert type(tiny * r) is float and (3 * r) == INF
    assert ops.reciprocal(-tiny) == -INF and -tiny * ops.reciprocal(-tiny) == 1.0
    smallest_normal = 2.2250738585072014e-308
    assert type(ops.reciprocal(smallest_normal)) is float  # normal: the plain 1/x
    sub = ops.reciprocal(smallest_normal / 2)  # the largest subnormals divide
    assert type(sub) is not float and smallest_normal * sub == 2.0
    assert type(ops.reciprocal(4.0)) is float and ops.reciprocal(4.0) == 0.25
    assert ops.reciprocal(0.0) == INF and ops.reciprocal(-0.0) == -INF
    assert ops.reciprocal(INF) == 0.0 and math.isnan(ops.reciprocal(math.nan))
    x = Value(2.0)
    assert isinstance(ops.reciprocal(x), Value) and ops.reciprocal(x).data == 0.5
    assert isinstance(Value(3.0) * r, Value) and isinstance(r * Value(3.0), Value)


def test_generic_helpers_on_floats_and_values() -> None:
    for name, fn in [("exp", math.exp), ("log", math.log), ("sqrt", math.sqrt),
                     ("tanh", math.tanh), ("sin", math.sin), ("cos", math.cos)]:
        helper = getattr(ops, name)
        assert helper(0.7) == fn(0.7)
        v = helper(Value(0.7))
        assert isinstance(v, Value) and v.op == name and v.data == fn(0.7)
    assert ops.sigmoid(0.0) == 0.5 and ops.sigmoid(Value(0.0)).op == "sigmoid"
    assert ops.div(1.0, 0.0) == INF and ops.div(Value(1.0), 2.0).data == 0.5
    assert ops.pow(0.0, -1.0) == INF and ops.pow(Value(2.0), 3.0).data == 8.0
    assert ops.data(2.5) == 2.5 and ops.data(Value(2.5)) == 2.5
    assert ops.exp(1000.0) == INF and math.isnan(ops.sqrt(-1.0))


def test_registering_a_taken_name_is_an_error() -> None:
    row = Op("neg", "-", lambda x: -x, lambda out, x: (-1.0,), "d(-x)/dx = -1")
    with pytest.raises(ValueError, match="'neg' is registered already"):
        ops.register(row)
    assert OPS["neg"] is ops.NEG
    with pytest.raises(TypeError, match="Op"):
        ops.register("neg")  # type: ignore[arg-type]
    fresh = Op("twice_for_test", "2x", lambda x: 2 * x, lambda out, x: (2.0,), "d 2x/dx = 2")
    try:
        assert ops.register(fresh) is fresh and OPS["twice_for_test"] is fresh
        with pytest.raises(ValueError, match="registered already"):
            ops.register(fresh)
    finally:
        del OPS["twice_for_test"]


def test_op_rows_are_validated() -> None:
    rule = lambda out, x: (1.0,)  # noqa: E731
    with pytest.raises(TypeError, match="name"):
        Op("", "s", abs, rule, "f")
    with pytest.raises(TypeError, match="name"):
        Op(3, "s", abs, rule, "f")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="symbol and formula"):
        Op("x", 3, abs, rule, "f")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="symbol and formula"):
        Op("x", "s", abs, rule, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        Op("x", "s", "abs", rule, "f")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        Op("x", "s", abs, (1.0,), "f")  # type: ignore[arg-type]
    for bad in (0, -1, 1.0, True):
        with pytest.raises(ValueError, match="arity"):
            Op("x", "s", abs, rule, "f", arity=bad)  # type: ignore[arg-type]
    assert Op("x", "s", abs, rule, "f", arity=None).arity is None
    assert repr(Op("x", "s", abs, rule, "f")) == "Op('x')"


def test_apply_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="Op first"):
        apply("exp", Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'mul' takes 2 input\(s\), got 1"):
        apply(ops.MUL, Value(1.0))
    with pytest.raises(TypeError, match="str"):
        apply(ops.EXP, "1")  # type: ignore[arg-type]
    short = Op("short_rule", "s", lambda a, b: a + b, lambda out, a, b: (1.0,), "f", arity=2)
    with pytest.raises(ValueError, match=r"gave 1 local derivative\(s\) for 2 input\(s\)"):
        apply(short, Value(1.0), Value(2.0))
    ints = Op("int_forward", "i", lambda x: 3, lambda out, x: (0,), "f")
    y = apply(ints, Value(1.0))
    assert type(y.data) is float and y.data == 3.0
    bad_forward = Op("str_forward", "s", lambda x: "3", lambda out, x: (0.0,), "f")
    with pytest.raises(TypeError, match="forward of op 'str_forward'"):
        apply(bad_forward, Value(1.0))
    three = Value(3.0)
    z = apply(ops.MUL, 2.0, three)  # a number stays a number: an input, not a parent
    assert z.data == 6.0 and z.parents == (three,) and z.inputs == (2.0, three)
    assert z.local_grads == (2.0,)  # d(ab)/db = a
    s = apply(ops.ADD_N, Value(1.0), 2.0, 3)
    assert s.data == 6.0 and len(s.parents) == 1 and s.inputs[1:] == (2.0, 3.0)
    assert type(s.inputs[2]) is float
    c = apply(ops.MUL, 2.0, 3)  # numbers only: a constant leaf holding the result
    assert c.data == 6.0 and c.is_leaf and c.parents == () and c.op == ""
    assert c.local_grads == () and c.inputs == ()
    c.backward()
    assert c.grad == 1.0


# -- the table's metadata: symbols shown by drawings, formulas, where test graphs go ---------

SYMBOLS = {
    "add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "neg": "-", "exp": "exp",
    "log": "log", "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "sqrt": "√", "abs": "|x|",
    "sin": "sin", "cos": "cos", "softplus": "softplus", "add_n": "Σ", "wsum": "Σ w·x + b",
    "mse": "mean (o-y)²", "sse": "Σ (o-y)²", "half_sse": "½ Σ (y-o)²", "pow_const": "**2",
}


def test_symbols_that_drawings_show() -> None:
    assert {name: op.symbol for name, op in OPS.items()} == SYMBOLS
    assert ops.pow_const(0.5).symbol == "**0.5" and ops.pow_const(-1.0).symbol == "**-1"


def test_formulas_are_written_as_derivatives() -> None:
    for name, op in OPS.items():
        assert re.fullmatch(r"(d[ (|].*|net = .*|J = .*)/d.* = .*", op.formula), name
    assert ops.pow_const(3.0).formula == "d x^3/dx = 3 x^2"
    assert ops.pow_const(0.5).formula == "d x^0.5/dx = 0.5 x^-0.5"


def test_arities_and_groups() -> None:
    fixed = {name: op.arity for name, op in OPS.items() if op.arity is not None}
    assert fixed == {"add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "neg": 1, "exp": 1,
                     "log": 1, "tanh": 1, "sigmoid": 1, "relu": 1, "sqrt": 1, "abs": 1,
                     "sin": 1, "cos": 1, "softplus": 1, "pow_const": 1}
    groups = {name: op.group for name, op in OPS.items() if op.arity is None}
    assert groups == {"add_n": (1, 0), "wsum": (2, 1), "mse": (2, 0), "sse": (2, 0),
                      "half_sse": (2, 0)}


@pytest.mark.parametrize(
    "name, inside, outside",
    [
        ("div", [(1.0, 0.26), (1.0, -0.26), (9.0, 5.0)], [(1.0, 0.24), (1.0, -0.24), (1.0, 0.0)]),
        ("pow", [(0.26, 2.9), (7.9, -2.9), (1.0, 0.0)],
         [(0.24, 1.0), (8.1, 1.0), (1.0, 3.1), (1.0, -3.1)]),
        ("exp", [(5.9,), (-100.0,)], [(6.1,)]),
        ("log", [(0.26,), (100.0,)], [(0.24,), (-1.0,)]),
        ("relu", [(0.26,), (-0.26,)], [(0.24,), (-0.24,), (0.0,)]),
        ("sqrt", [(0.26,)], [(0.24,), (0.0,)]),
        ("abs", [(0.26,), (-0.26,)], [(0.24,), (-0.24,)]),
        ("tanh", [(0.0,), (-50.0,)], []),
        ("add", [(1e6, -1e6)], []),
    ],
)
def test_where_test_graphs_may_apply_each_op(name: str, inside, outside) -> None:  # type: ignore[no-untyped-def]
    op = OPS[name]
    for point in inside:
        assert op.smooth_at(*point), point
    for point in outside:
        assert not op.smooth_at(*point), point


def test_where_test_graphs_may_apply_constant_powers() -> None:
    square, root, inverse = ops.pow_const(2.0), ops.pow_const(0.5), ops.pow_const(-1.0)
    assert square.smooth_at(-7.9) and square.smooth_at(0.0) and not square.smooth_at(8.1)
    assert not square.smooth_at(-8.1)
    assert root.smooth_at(0.26) and root.smooth_at(7.9)
    assert not root.smooth_at(0.24) and not root.smooth_at(8.1) and not root.smooth_at(-1.0)
    assert inverse.smooth_at(0.26) and not inverse.smooth_at(0.0) and not inverse.smooth_at(-2.0)
    assert ops.pow_const(2.0) is square  # rows are cached per exponent
    assert ops.pow_const(0.0).local_grads(1.0, 3.0) == (0.0,)
    assert ops.pow_const(0.0).local_grads(1.0, 3.0)[0] is ops.MASKED


def test_float_primitive_branches() -> None:
    # pow: odd integer exponents keep the sign at overflow and at the pole of -0.0
    assert float_pow(-10.0, 401.0) == -INF and float_pow(-10.0, 400.0) == INF
    assert float_pow(10.0, 401.0) == INF and float_pow(-10.0, 400.5) != float_pow(-10.0, 400.5)
    assert float_pow(-0.0, -1.0) == -INF and float_pow(0.0, -1.0) == INF
    assert float_pow(-0.0, -2.0) == INF and float_pow(-0.0, -0.5) == INF
    assert math.isnan(float_pow(-8.0, 1.0 / 3.0))
    assert float_pow(-INF, 3.0) == -INF and float_pow(2.0, 0.5) == math.sqrt(2.0)
    assert float_pow(0.5, -1075.0) == INF  # overflow of a positive base: +inf, odd or not
    assert not ops._is_odd_integer(INF) and not ops._is_odd_integer(2.0)
    assert ops._is_odd_integer(-3.0) and not ops._is_odd_integer(2.5)
    # div
    assert float_div(3.0, 0.0) == INF and float_div(-3.0, 0.0) == -INF
    assert float_div(3.0, -0.0) == -INF and float_div(6.0, 3.0) == 2.0
    assert math.isnan(float_div(0.0, -0.0))
    # log and sqrt
    assert ops.float_log(1.0) == 0.0 and ops.float_log(-0.0) == -INF
    assert math.isnan(ops.float_log(-1e-300)) and math.isnan(ops.float_log(math.nan))
    assert ops.float_sqrt(0.0) == 0.0 and ops.float_sqrt(4.0) == 2.0
    assert math.isnan(ops.float_sqrt(-1e-300)) and ops.float_sqrt(INF) == INF
    assert ops.float_exp(709.0) == math.exp(709.0) and ops.float_exp(710.0) == INF
    # softplus on both sides of 0, exactly as log1p(e^-|x|) + max(x, 0)
    assert ops.float_softplus(0.0) == math.log(2.0)
    assert ops.float_softplus(3.0) == 3.0 + math.log1p(math.exp(-3.0))
    assert ops.float_softplus(-3.0) == math.log1p(math.exp(-3.0))
    assert ops.float_softplus(INF) == INF and ops.float_softplus(-INF) == 0.0
    # relu keeps nan; sin/cos of inf are nan, of finite numbers math's
    assert ops.float_relu(-0.0) == 0.0 and ops.float_relu(2.0) == 2.0
    assert ops.float_sin(1.0) == math.sin(1.0) and ops.float_cos(1.0) == math.cos(1.0)
    assert math.isnan(ops.float_cos(-INF)) and math.isnan(ops.float_sin(math.nan))
    assert ops.log.__name__ == "log"
    assert ops.sigmoid.__doc__ == "``sigmoid(x)`` on a float or a Value."
    assert ops.exp.__doc__ == "``exp(x)`` on a float or a Value."


def test_constant_power_smoothness_at_its_boundaries() -> None:
    for c in (0.5, -1.0, -2.0):  # fractional or negative: only inside (0.25, 8)
        row = ops.pow_const(c)
        assert not row.smooth_at(0.25) and not row.smooth_at(8.0) and row.smooth_at(7.99)
    for c in (0.0, 1.0, 2.0):  # natural: |x| < 8, also at and below 0
        row = ops.pow_const(c)
        assert row.smooth_at(-1.0) and row.smooth_at(0.0) and not row.smooth_at(8.0)
        assert row.smooth_at(-7.99) and not row.smooth_at(-8.0)


def test_register_names_the_wrong_type() -> None:
    with pytest.raises(TypeError, match=r"^register\(\) takes an Op, not str$"):
        ops.register("neg")  # type: ignore[arg-type]


# -- issue 17, case 4: x ** y at y = 0 --------------------------------------------------


def _mixed_and_first(a0: float, b0: float) -> tuple[float, float, float]:
    """d/db (d/da a^b), d/da (d/db a^b) and d/da a^b at (a0, b0), by grad()."""
    a, b = Value(a0), Value(b0)
    d_a, d_b = grad(a**b, [a, b], create_graph=True)
    return grad(d_a, [b])[0].data, grad(d_b, [a])[0].data, d_a.data


@pytest.mark.parametrize("a0", [1.7, 0.3, 2.0, 1.0, 1e-300, 1e300])
def test_pow_mixed_second_derivative_is_exact_at_exponent_zero(a0: float) -> None:
    """d/db (b a^(b-1)) = a^(b-1) (1 + b log a), which is 1/a at b = 0 (1/1.7 at 1.7; the
    old row masked the whole term and gave 0). The first derivative there is the exact
    zero 0 * a^(-1)."""
    mixed, mixed_other_order, first = _mixed_and_first(a0, 0.0)
    assert mixed == 1.0 / a0
    # d/da (a^b log a) = b a^(b-1) log a + a^(b-1) = 1/a at b = 0
    assert mixed_other_order == pytest.approx(1.0 / a0, rel=1e-15)
    assert first == 0.0


def test_pow_mixed_second_derivative_of_a_negative_base_is_undefined() -> None:
    """For a < 0, a^(b-1) is not a real function of b near 0: nan (no derivative exists)."""
    mixed, mixed_other_order, first = _mixed_and_first(-2.0, 0.0)
    assert math.isnan(mixed) and math.isnan(mixed_other_order) and first == 0.0


def test_pow_mixed_second_derivative_against_central_differences() -> None:
    x0 = 1.7
    mixed, _, _ = _mixed_and_first(x0, 0.0)
    assert mixed == pytest.approx(1.0 / 1.7, rel=1e-15)
    # central differences of d/da a^b = b a^(b-1) in b, by hand
    h = 1e-6
    numeric = ((h * x0 ** (h - 1)) - (-h * x0 ** (-h - 1))) / (2 * h)
    assert mixed == pytest.approx(numeric, rel=1e-8)


def test_pow_keeps_its_mask_only_where_the_product_is_zero_times_inf() -> None:
    """At a = ±0 (or a nan base) and b = 0, b * a^(b-1) would be 0 * inf: the masked zero
    stays, so x ** 0 is flat and an infinite gradient above gives 0, not nan."""
    for a0 in (0.0, -0.0, math.nan):
        a, b = Value(a0), Value(0.0)
        y = (a**b).sqrt() * 1.0
        y.backward()
        assert a.grad == 0.0
        assert ops.POW.local_grads(1.0, a0, 0.0)[0] is ops.MASKED
    # elsewhere at b = 0 the rule is the plain zero b a^(b-1): an infinite gradient gives nan
    # (as mul's zero does), not a select
    a, b = Value(2.0), Value(0.0)
    assert ops.POW.local_grads(1.0, 2.0, 0.0)[0] is not ops.MASKED
    (a**b * math.inf).backward()
    assert math.isnan(a.grad)
