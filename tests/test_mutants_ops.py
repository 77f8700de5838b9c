"""autograd.ops under mutation testing: the cases mutmut showed no other test pins down.

Every number comes from an independent source: PyTorch float64 (IEEE arithmetic on the same
edge points), the ``math`` module, or a float computation written out here.
"""

from __future__ import annotations

import math
import struct

import pytest
import torch

from autograd import Op, Value, apply, grad, ops, register
from autograd.ops import (
    MASKED,
    OPS,
    float_cos,
    float_div,
    float_exp,
    float_log,
    float_pow,
    float_relu,
    float_sigmoid,
    float_sin,
    float_softplus,
    float_sqrt,
)

INF = math.inf
NAN = math.nan
TINY = 5e-324  # the smallest subnormal
SUB = 1e-310  # a subnormal whose reciprocal overflows

#: Edge points: zeros of both signs, subnormals, the normal range's ends, infinities, nan,
#: integers (odd and even) and fractions of both signs.
EDGES = [0.0, -0.0, TINY, -TINY, SUB, -SUB, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5, -0.5,
         2.5, -2.5, 1e308, -1e308, 1e-300, 700.0, -700.0, 1000.0, -1000.0, INF, -INF, NAN]


def bits(x: float) -> int | str:
    """The float's bit pattern (every nan counts as one), to compare signs of zeros too."""
    if math.isnan(x):
        return "nan"
    return struct.unpack("<q", struct.pack("<d", x))[0]


def t(x: float) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


PAIRS = [(a, b) for a in EDGES for b in EDGES]
A = torch.tensor([a for a, _ in PAIRS], dtype=torch.float64)
B = torch.tensor([b for _, b in PAIRS], dtype=torch.float64)


def test_float_div_is_ieee_division() -> None:
    for (a, b), expected in zip(PAIRS, (A / B).tolist()):
        assert bits(float_div(a, b)) == bits(expected), (a, b)


def test_float_pow_is_ieee_pow() -> None:
    for (a, b), expected in zip(PAIRS, torch.pow(A, B).tolist()):
        got = float_pow(a, b)
        if math.isfinite(expected) and expected != 0.0:  # libm and torch may differ by 1 ulp
            assert math.isclose(got, expected, rel_tol=1e-15), (a, b)
        else:
            assert bits(got) == bits(expected), (a, b)


def test_float_pow_odd_and_even_exponents_at_the_poles() -> None:
    # 0 ** negative: +inf, except -0.0 ** (negative odd integer) = -inf (IEEE pow)
    cases = [(-0.0, -3.0, -INF), (-0.0, -2.0, INF), (-0.0, -0.5, INF), (0.0, -3.0, INF),
             (-0.0, -1.0, -INF), (-0.0, -4.0, INF), (-0.0, -1e300, INF)]
    # overflow: a negative base keeps its sign for an odd integer exponent only
    cases += [(-10.0, 401.0, -INF), (-10.0, 400.0, INF), (10.0, 401.0, INF),
              (-1e200, 3.0, -INF), (-1e200, 2.0, INF), (-0.1, -401.0, -INF),
              (-0.1, -400.0, INF)]
    for a, b, expected in cases:
        assert bits(float_pow(a, b)) == bits(expected), (a, b)
        assert bits(torch.pow(t(a), t(b)).item()) == bits(expected), (a, b)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (float_exp, torch.exp),
        (float_log, torch.log),
        (float_sqrt, torch.sqrt),
        (float_sin, torch.sin),
        (float_cos, torch.cos),
    ],
    ids=["exp", "log", "sqrt", "sin", "cos"],
)
def test_float_unary_is_torch_float64(ours, theirs) -> None:  # type: ignore[no-untyped-def]
    for x, expected in zip(EDGES, theirs(torch.tensor(EDGES, dtype=torch.float64)).tolist()):
        got = ours(x)
        if math.isfinite(expected) and expected != 0.0:
            assert math.isclose(got, expected, rel_tol=1e-15), x
        else:
            assert bits(got) == bits(expected), x


def test_float_relu() -> None:
    # max(x, 0) with nan kept; a zero input gives +0.0 (torch.relu keeps -0.0's sign: the
    # engine's relu is the row "x if x > 0 else 0")
    for x in EDGES:
        expected = NAN if math.isnan(x) else (x if x > 0.0 else 0.0)
        assert bits(float_relu(x)) == bits(expected), x


def test_float_sigmoid_everywhere() -> None:
    for x in EDGES:
        expected = torch.sigmoid(t(x)).item()
        got = float_sigmoid(x)
        if math.isnan(expected):
            assert math.isnan(got)
        else:
            assert math.isclose(got, expected, rel_tol=4e-16, abs_tol=0.0), x
    # both branches written out: 1/(1 + e^-x) for x >= 0, e^x/(1 + e^x) below
    assert float_sigmoid(0.0) == 0.5
    assert float_sigmoid(-0.0) == 0.5
    assert float_sigmoid(-40.0) == math.exp(-40.0) / (1.0 + math.exp(-40.0))
    assert float_sigmoid(40.0) == 1.0 / (1.0 + math.exp(-40.0))
    assert float_sigmoid(-800.0) == 0.0  # e^-800 underflows: exactly 0, not nan
    assert float_sigmoid(800.0) == 1.0
    assert float_sigmoid(-INF) == 0.0
    assert float_sigmoid(INF) == 1.0
    assert math.isnan(float_sigmoid(NAN))


def test_float_softplus_everywhere() -> None:
    for x in [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 10.0, -10.0, 30.0, -30.0]:
        assert math.isclose(float_softplus(x), math.log1p(math.exp(x)), rel_tol=1e-15), x
    assert float_softplus(0.0) == math.log(2.0)
    assert float_softplus(1000.0) == 1000.0
    assert float_softplus(-1000.0) == 0.0
    assert float_softplus(-700.0) == math.exp(-700.0)  # log1p(e^-700), the tail kept
    assert float_softplus(INF) == INF
    assert float_softplus(-INF) == 0.0
    assert math.isnan(float_softplus(NAN))


# -- the special local derivatives ------------------------------------------------------


def test_masked_zero_absorbs_every_float_and_pickles_to_itself() -> None:
    import pickle

    for g in [INF, -INF, NAN, 2.0, -0.0, 7]:
        product = g * MASKED
        assert bits(product) == bits(0.0) and type(product) is float, g
        assert bits(MASKED * g) == bits(0.0), g
    assert MASKED.__mul__("x") is NotImplemented
    assert pickle.loads(pickle.dumps(MASKED)) is MASKED


def test_reciprocal_of_a_subnormal_divides() -> None:
    r = ops.reciprocal(TINY)
    assert float(r) == INF  # 1/5e-324 overflows
    assert r * TINY == 1.0  # but g * (1/x) is g / x
    assert TINY * r == 1.0
    assert r * 1 == 1.0 / TINY  # an int factor too (1 / 5e-324 = inf)
    assert ops.reciprocal(-SUB) * 1e-10 == 1e-10 / -SUB
    assert r.__mul__("x") is NotImplemented
    assert (r * 2.5e-323) == 5.0  # 2.5e-323 / 5e-324, one rounding
    # normal numbers, zeros and infinities: the plain float 1/x
    for x, expected in [(2.0, 0.5), (-4.0, -0.25), (0.0, INF), (-0.0, -INF), (INF, 0.0),
                        (-INF, -0.0), (2.2250738585072014e-308, 2.0**1022),
                        (-2.2250738585072014e-308, -(2.0**1022))]:
        got = ops.reciprocal(x)
        assert type(got) is float and bits(got) == bits(expected), x
    # just below the smallest normal number it is the dividing kind
    below = 2.225073858507201e-308
    assert type(ops.reciprocal(below)) is not float
    assert type(ops.reciprocal(-below)) is not float
    assert ops.reciprocal(below) * below == 1.0


def test_reciprocal_on_values_and_formulas() -> None:
    import sympy

    from autograd.text_algebra import Term

    x = Value(4.0)
    r = ops.reciprocal(x)
    assert isinstance(r, Value) and r.data == 0.25 and r.op == "div"
    s = Value(SUB)
    rs = ops.reciprocal(s)
    assert rs.data == INF and (rs * 1e-10).data == 1e-10 / SUB  # 1e300, not inf
    assert (ops.reciprocal(Value(-SUB)) * 1e-10).data == -1e-10 / SUB
    assert ops.reciprocal(Value(0.0)).data == INF  # zero: the plain node 1/0
    assert type(ops.reciprocal(Value(0.0)) * 1e-10) is Value
    assert (ops.reciprocal(Value(0.0)) * 0.0).data != (ops.reciprocal(Value(0.0)) * 0.0).data
    sym = sympy.Symbol("b")
    assert ops.reciprocal(sym) == 1 / sym
    assert isinstance(ops.reciprocal(sym), sympy.Pow)
    assert str(ops.reciprocal(Term.symbol("b"))) == "1/b"  # a text term: 1/x, no number


def test_is_sympy_and_is_formula() -> None:
    import sympy

    class Fake:
        formula_algebra = 1  # not True: not a formula

    Fake.__module__ = "sympyish"
    assert ops._is_sympy(sympy.Symbol("x")) and ops._is_sympy(sympy.Integer(2))
    assert not ops._is_sympy(Fake()) and not ops._is_sympy(1.0) and not ops._is_sympy(Value(1))
    assert ops._is_formula(sympy.Symbol("x"))
    assert not ops._is_formula(Fake()) and not ops._is_formula(1.0)
    assert not ops._is_formula(Value(1.0))

    class Text:
        formula_algebra = True

    assert ops._is_formula(Text())


def test_data_reads_numbers_and_names_what_has_none() -> None:
    assert ops.data(2.5) == 2.5
    got = ops.data(Value(3))
    assert got == 3.0 and type(got) is float
    with pytest.raises(TypeError) as info:
        ops.data(object())
    assert str(info.value) == "a rule's condition needs a number, and a object has none"
    assert info.value.__suppress_context__


# -- the generic helpers: one rule, three algebras ---------------------------------------


def test_div_and_pow_helpers_on_floats_values_and_mixed() -> None:
    assert ops.div(1.0, 0.0) == INF and ops.div(-1.0, 0.0) == -INF
    assert math.isnan(ops.div(0.0, 0.0))
    assert ops.div(3.0, 4.0) == 0.75
    v = ops.div(Value(3.0), 4.0)
    assert isinstance(v, Value) and v.data == 0.75
    assert ops.div(3.0, Value(4.0)).data == 0.75
    assert ops.pow(0.0, -1.0) == INF and math.isnan(ops.pow(-8.0, 0.5))
    assert ops.pow(2.0, 10.0) == 1024.0
    assert ops.pow(Value(2.0), 10.0).data == 1024.0
    assert ops.pow(2.0, Value(10.0)).data == 1024.0
    assert ops.pow(Value(-8.0), 0.5).data != ops.pow(Value(-8.0), 0.5).data  # nan


def test_negated_difference_keeps_the_sign_of_zero_as_torch() -> None:
    import sympy

    # o - y: at y == o the zero is +0.0 (torch's self - target), -(y - o) would be -0.0
    assert bits(ops.negated_difference(1.5, 1.5)) == bits(0.0)
    assert ops.negated_difference(1.0, 3.0) == 2.0
    got = ops.negated_difference(Value(1.5), Value(1.5))
    assert bits(got.data) == bits(0.0) and got.op == "sub"
    assert got.parents[0].data == 1.5
    assert bits((torch.tensor(1.5, dtype=torch.float64) - 1.5).item()) == bits(0.0)
    y, o = sympy.symbols("y o")
    assert ops.negated_difference(y, o) == -(y - o)
    assert ops.negated_difference(y, 2.0) == -(y - 2.0)
    assert ops.negated_difference(2.0, o) == -(2.0 - o)


HELPERS = [
    ("log", 2.0, math.log(2.0)),
    ("exp", 0.5, math.exp(0.5)),
    ("sqrt", 2.0, math.sqrt(2.0)),
    ("tanh", 0.3, math.tanh(0.3)),
    ("sigmoid", 0.3, 1.0 / (1.0 + math.exp(-0.3))),
    ("sin", 1.1, math.sin(1.1)),
    ("cos", 1.1, math.cos(1.1)),
]


@pytest.mark.parametrize("name, x, expected", HELPERS, ids=[h[0] for h in HELPERS])
def test_each_helper_in_each_algebra(name: str, x: float, expected: float) -> None:
    import sympy

    from autograd.text_algebra import Term

    helper = getattr(ops, name)
    got = helper(x)
    assert type(got) is float and math.isclose(got, expected, rel_tol=1e-15)
    node = helper(Value(x))
    assert isinstance(node, Value) and node.op == name
    assert math.isclose(node.data, expected, rel_tol=1e-15)
    s = sympy.Symbol("s")
    symbolic = helper(s)
    reference = 1 / (1 + sympy.exp(-s)) if name == "sigmoid" else getattr(sympy, name)(s)
    assert sympy.simplify(symbolic - reference) == 0
    assert math.isclose(float(symbolic.subs(s, x)), expected, rel_tol=1e-14)
    assert str(helper(Term.symbol("s"))) == ("σ(s)" if name == "sigmoid" else f"{name}(s)")


def test_helpers_give_ieee_on_floats_instead_of_raising() -> None:
    assert ops.log(0.0) == -INF and math.isnan(ops.log(-1.0))
    assert ops.exp(1000.0) == INF
    assert math.isnan(ops.sqrt(-1.0))
    assert math.isnan(ops.sin(INF)) and math.isnan(ops.cos(-INF))
    assert ops.sigmoid(-1000.0) == 0.0
    assert ops.tanh(INF) == 1.0


# -- the rows -------------------------------------------------------------------------


def test_op_rows_refuse_bad_fields_with_clear_messages() -> None:
    def f(x: float) -> float:
        return x

    def rule(out: float, x: float) -> tuple[float]:
        return (1.0,)

    with pytest.raises(TypeError, match=r"^Op name must be a non-empty str, not ''$"):
        Op("", "s", f, rule, "r")
    with pytest.raises(TypeError, match=r"^Op name must be a non-empty str, not 3$"):
        Op(3, "s", f, rule, "r")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Op 'a': symbol and formula must be str$"):
        Op("a", 1, f, rule, "r")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Op 'a': symbol and formula must be str$"):
        Op("a", "s", f, rule, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Op 'a': forward and local_grads must be callable$"):
        Op("a", "s", 1, rule, "r")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Op 'a': forward and local_grads must be callable$"):
        Op("a", "s", f, 1, "r")  # type: ignore[arg-type]
    for arity in [0, -1, 1.0, True]:
        with pytest.raises(ValueError, match=r"^Op 'a': arity must be a positive int or None$"):
            Op("a", "s", f, rule, "r", arity=arity)  # type: ignore[arg-type]
    assert Op("a", "s", f, rule, "r", arity=None).arity is None
    assert Op("a", "s", f, rule, "r", arity=1).smooth_at(123.0) is True
    assert repr(Op("a", "s", f, rule, "r")) == "Op('a')"


def test_register_refuses_a_taken_name_and_a_non_op() -> None:
    with pytest.raises(TypeError, match=r"^register\(\) takes an Op, not str$"):
        register("mul")  # type: ignore[arg-type]
    mine = Op("mul", "×", lambda a, b: a * b, lambda out, a, b: (b, a), "r", arity=2)
    with pytest.raises(ValueError) as info:
        register(mine)
    assert str(info.value) == (
        "an op named 'mul' is registered already (Op('mul'), symbol '*'): give your op "
        "another name, e.g. 'mul_custom'"
    )
    assert OPS["mul"] is ops.MUL
    fresh = Op("mutants_ops_tmp", "t", lambda x: x, lambda out, x: (1.0,), "r")
    try:
        assert register(fresh) is fresh and OPS["mutants_ops_tmp"] is fresh
    finally:
        del OPS["mutants_ops_tmp"]


def test_add_n_forward_sums_exactly_with_ieee_specials() -> None:
    f = ops.ADD_N.forward
    assert bits(f(-0.0)) == bits(-0.0) and bits(f(-0.0, -0.0)) == bits(-0.0)
    assert bits(f(-0.0, 0.0)) == bits(0.0)
    assert f(0.1, 0.2) == 0.1 + 0.2
    assert f(1e16, 1.0, -1e16) == 1.0  # fsum: correctly rounded (left to right gives 0.0)
    assert f(1.0, 1e100, 1.0, -1e100) == 2.0
    assert f(1e308, 1e308, -1e308) == INF  # the partial sum overflows, as torch's sum
    assert math.isnan(f(INF, -INF, 1.0))
    assert f(INF, 1.0, 2.0) == INF


def test_wsum_and_squared_rows_in_closed_form() -> None:
    w0, w1, x0, x1, b = 0.5, -2.0, 3.0, 0.25, 0.125
    assert ops.WSUM.forward(w0, w1, x0, x1, b) == w0 * x0 + w1 * x1 + b
    assert ops.WSUM.local_grads(0.0, w0, w1, x0, x1, b) == (x0, x1, w0, w1, 1.0)
    o0, o1, y0, y1 = 0.75, 0.25, 0.01, 0.99
    e0, e1 = o0 - y0, o1 - y1
    assert ops.MSE.forward(o0, o1, y0, y1) == (e0 * e0 + e1 * e1) / 2
    assert ops.SSE.forward(o0, o1, y0, y1) == e0 * e0 + e1 * e1
    assert ops.HALF_SSE.forward(o0, o1, y0, y1) == 0.5 * (e0 * e0 + e1 * e1)
    assert ops.MSE.local_grads(0.0, o0, o1, y0, y1) == (e0, e1, -e0, -e1)  # 2/n = 1
    assert ops.SSE.local_grads(0.0, o0, o1, y0, y1) == (2 * e0, 2 * e1, -2 * e0, -2 * e1)
    assert ops.HALF_SSE.local_grads(0.0, o0, o1, y0, y1) == (e0, e1, -e0, -e1)
    assert ops.MSE.local_grads(0.0, o0, y0) == (2 * e0, -2 * e0)  # n = 1: 2/n = 2
    assert ops.MSE.forward(o0, o1, o1, y0, y1, y1) == (e0 * e0 + 2 * e1 * e1) / 3
    third = ops.MSE.local_grads(0.0, o0, o1, o1, y0, y1, y1)
    assert third[:3] == ((2 / 3) * e0, (2 / 3) * e1, (2 / 3) * e1)
    assert third[3:] == (-(2 / 3) * e0, -(2 / 3) * e1, -(2 / 3) * e1)


def test_kink_and_pow_rules() -> None:
    assert ops.RELU.local_grads(0.0, 0.0)[0] is MASKED
    assert ops.RELU.local_grads(0.0, -0.0)[0] is MASKED
    assert ops.RELU.local_grads(TINY, TINY) == (1.0,)
    assert ops.RELU.local_grads(NAN, NAN) == (1.0,)
    assert ops.ABS.local_grads(0.0, 0.0)[0] is MASKED
    assert ops.ABS.local_grads(TINY, TINY) == (1.0,)
    assert ops.ABS.local_grads(TINY, -TINY) == (-1.0,)
    assert ops.ABS.local_grads(NAN, NAN)[0] is MASKED
    # d a^b/da = b a^(b-1), d a^b/db = a^b log a (torch float64 as the reference)
    for a, b in [(1.7, 0.0), (2.0, 3.0), (0.5, -1.5), (0.0, 2.0), (0.0, 0.0), (-0.0, 0.0),
                 (NAN, 0.0), (3.0, 0.5), (0.0, 0.5)]:
        da, db = ops._pow_grads(float_pow(a, b), a, b)
        ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        ga, gb = torch.autograd.grad(ta**tb, [ta, tb])
        assert same_or_close(float(da), ga.item()), (a, b)
        assert same_or_close(float(db), gb.item()), (a, b)
    assert ops._pow_grads(1.0, 0.0, 0.0)[0] is MASKED  # 0 * inf would be nan
    assert ops._pow_grads(1.0, 0.0, 0.0)[1] is MASKED
    assert ops._pow_grads(1.0, 1.7, 0.0)[0] is not MASKED  # exact 0 whose d/db is 1/a
    assert ops._pow_grads(0.0, 0.0, 0.5)[1] is MASKED
    assert ops._pow_grads(INF, 0.0, -1.0)[1] is not MASKED
    # the mixed second derivative at b = 0: a^(b-1) (1 + b log a) = 1/a
    x, y = Value(1.7), Value(0.0)
    (dx,) = grad(x**y, [x], create_graph=True)
    (dxy,) = grad(dx, [y])
    assert math.isclose(dxy.data, 1 / 1.7, rel_tol=1e-15)


def same_or_close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-15)


def test_pow_const_rows() -> None:
    cube = ops.pow_const(3.0)
    assert cube is ops.pow_const(3.0) and cube.name == "pow_const" and cube.symbol == "**3"
    assert cube.formula == "d x^3/dx = 3 x^2"
    assert cube.forward(-2.0) == -8.0 and cube.local_grads(-8.0, -2.0) == (12.0,)
    assert ops.pow_const(0.0).local_grads(1.0, 0.0)[0] is MASKED
    assert ops.pow_const(-1.0).forward(-0.0) == -INF
    assert ops.pow_const(-1.0).local_grads(-INF, -0.0) == (-INF,)  # -1 * (-0)^-2
    y = apply(ops.pow_const(0.5), Value(4.0))
    y.backward()
    assert y.data == 2.0 and y.parents[0].grad == 0.25
    half = ops.pow_const(0.5).smooth_at
    inverse = ops.pow_const(-1.0).smooth_at
    square = ops.pow_const(2.0).smooth_at
    assert half(0.26) and not half(0.25) and not half(8.0) and half(7.99)
    assert inverse(0.26) and not inverse(-2.0) and not inverse(8.0)
    assert square(-7.99) and square(0.0) and not square(8.0) and not square(-8.0)
    assert OPS["pow_const"] is ops.pow_const(2.0)


def test_negated_difference_keeps_the_articles_text_for_a_text_term() -> None:
    from autograd.text_algebra import Term

    y, o = Term.symbol("y"), Term.symbol("o")
    # a formula on either side (or both) keeps the article's -(y - o), never o - y
    assert str(ops.negated_difference(y, o)) == "-(y - o)"
    assert str(ops.negated_difference(y, 2.0)) == "-(y - 2)"
    assert str(ops.negated_difference(2.0, o)) == "-(2 - o)"


def test_reciprocal_of_a_value_is_special_only_strictly_below_the_smallest_normal() -> None:
    smallest_normal = 2.2250738585072014e-308
    assert smallest_normal == 2.0 ** -1022
    for number in (3.0, -3.0, smallest_normal, -smallest_normal, 0.0, -0.0, math.inf):
        x = Value(number)
        r = ops.reciprocal(x)
        assert type(r) is Value and r.op == "div" and r.parents == (x,)
        assert bits(r.data) == bits(ops.float_div(1.0, number))
        assert (r * Value(3.0)).op == "mul"  # a plain node: its product is a product
    for number in (1e-310, -1e-310, 5e-324):
        x = Value(number)
        r = ops.reciprocal(x)
        assert type(r) is not Value and (r * Value(3.0)).op == "div"  # 3 / x
