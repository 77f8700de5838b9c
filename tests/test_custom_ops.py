"""Custom operations as a public API: define a row, apply it, draw it, check it.

Two ops a user might add, each as one node: ``cubic(x) = x³ - x`` and ``log1p(x) =
log(1 + x)``. Their derivatives are checked against closed forms written here and against
finite differences (``gradcheck``, orders 1 and 2) at Hypothesis-drawn points and in random
graphs drawn by ``autograd.strategies``.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Op, Value, apply, draw_dot, grad, gradcheck, register
from autograd.ops import data, div, float_log
from autograd.strategies import Expression, expressions

CUBIC = Op(
    "cubic",
    "x³-x",
    lambda x: x * x * x - x,
    lambda out, x: (3.0 * x * x - 1.0,),
    "d(x³ - x)/dx = 3x² - 1",
    smooth_at=lambda x: abs(x) < 3.0,
)


def _log1p(x: float) -> float:
    return math.log1p(x) if x > -1.0 else float_log(1.0 + x)  # -inf at -1, nan below


LOG1P = Op(
    "log1p",
    "log1p",
    _log1p,
    lambda out, x: (div(1.0, 1.0 + x),),
    "d log(1+x)/dx = 1/(1+x)",
    smooth_at=lambda x: x > -0.75,
)


def test_the_public_names() -> None:
    assert autograd.apply is apply and autograd.Op is Op and autograd.register is register
    assert {"apply", "Op", "register", "OPS"} <= set(autograd.__all__)


def test_apply_makes_one_node_with_the_rows_derivative() -> None:
    x = Value(2.0, "x")
    y = apply(CUBIC, x)
    assert (y.data, y.op, y.parents, y.operation) == (6.0, "cubic", (x,), CUBIC)
    assert y.local_grads == (11.0,)
    (y * 2.0).backward()
    assert x.grad == 2.0 * (3 * 2.0**2 - 1)
    z = Value(0.5)
    w = apply(LOG1P, z)
    assert w.data == math.log1p(0.5)
    w.backward()
    assert z.grad == 1 / 1.5


def test_custom_ops_are_ieee_at_the_edges() -> None:
    assert apply(LOG1P, Value(-1.0)).data == -math.inf
    assert math.isnan(apply(LOG1P, Value(-2.0)).data)
    assert apply(CUBIC, Value(1e200)).data == math.inf
    x = Value(-1.0)
    apply(LOG1P, x).backward()
    assert x.grad == math.inf


def test_second_derivatives_come_from_the_same_rule() -> None:
    x = Value(0.7)
    (d1,) = grad(apply(CUBIC, x), [x], create_graph=True)
    (d2,) = grad(d1, [x])
    assert d1.data == pytest.approx(3 * 0.7**2 - 1, rel=1e-15)
    assert d2.data == pytest.approx(6 * 0.7, rel=1e-15)
    (e1,) = grad(apply(LOG1P, x), [x], create_graph=True)
    (e2,) = grad(e1, [x])
    assert e2.data == pytest.approx(-1 / 1.7**2, rel=1e-15)


def test_draw_dot_shows_the_rows_symbol() -> None:
    x = Value(1.5, "x")
    y = apply(LOG1P, apply(CUBIC, x))
    y.label = "y"
    source = draw_dot(y).source
    assert "x³-x" in source and "log1p" in source


@settings(max_examples=60, deadline=None)
@given(st.floats(-2.5, 2.5))
def test_gradcheck_cubic_orders_one_and_two(x0: float) -> None:
    assert gradcheck(lambda x: apply(CUBIC, x), [x0])
    assert gradcheck(lambda x: apply(CUBIC, x), [x0], order=2, atol=1e-5, rtol=1e-4)


@settings(max_examples=60, deadline=None)
@given(st.floats(-0.7, 5.0))
def test_gradcheck_log1p_orders_one_and_two(x0: float) -> None:
    assert gradcheck(lambda x: apply(LOG1P, x), [x0])
    assert gradcheck(lambda x: apply(LOG1P, x), [x0], order=2, atol=1e-5, rtol=1e-4)


def test_gradcheck_catches_a_wrong_custom_rule() -> None:
    wrong = Op("cubic_wrong", "x³-x", CUBIC.forward, lambda out, x: (3.0 * x * x,), "wrong")
    with pytest.raises(autograd.GradcheckError):
        gradcheck(lambda x: apply(wrong, x), [0.5])


@settings(max_examples=80, deadline=None)
@given(expressions(ops=[CUBIC, LOG1P, "mul", "add", "tanh"], max_steps=6, max_inputs=2))
def test_random_graphs_with_unregistered_custom_ops(expr: Expression) -> None:
    assert gradcheck(expr, expr.point, atol=1e-5, rtol=1e-5)
    assert gradcheck(expr, expr.point, order=2, atol=1e-4, rtol=1e-4)
    assert "cubic" not in OPS  # drawn without touching the table


@pytest.fixture
def registered() -> Iterator[None]:
    register(CUBIC)
    register(LOG1P)
    try:
        yield
    finally:
        del OPS["cubic"], OPS["log1p"]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_registered_custom_ops_are_drawn_by_default(data_: st.DataObject) -> None:
    register(CUBIC)
    register(LOG1P)
    try:
        expr = data_.draw(expressions(op_names=["cubic", "log1p"], max_steps=4))
        assert expr.ops_used() <= {"cubic", "log1p", "tanh"}
        assert gradcheck(expr, expr.point, atol=1e-5, rtol=1e-5)
        assert gradcheck(expr, expr.point, order=2, atol=1e-4, rtol=1e-4)
    finally:
        del OPS["cubic"], OPS["log1p"]


def test_the_default_choice_includes_registered_ops(registered: None) -> None:
    from hypothesis import find

    expr = find(expressions(max_steps=3), lambda e: "cubic" in e.ops_used())
    assert "cubic" in expr.ops_used()
    xs = [Value(x) for x in expr.point]
    assert expr(*xs).data == pytest.approx(expr.float_value(), rel=1e-12)


def test_expressions_rejects_bad_op_choices() -> None:
    from hypothesis import find

    with pytest.raises(ValueError, match="unknown op names"):
        find(expressions(ops=["no_such_op"]), lambda e: True)
    with pytest.raises(ValueError, match="unknown op names"):
        find(expressions(op_names=["no_such_op"]), lambda e: True)
    with pytest.raises(TypeError, match="Op rows or names"):
        find(expressions(ops=[3]), lambda e: True)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one op"):
        find(expressions(ops=[]), lambda e: True)
    # a registered row given as an Op is the table's row, drawn by name
    expr = find(expressions(ops=[autograd.ops.EXP]), lambda e: True)
    assert expr.ops_used() <= {"exp", "tanh"} and all(s.custom is None for s in expr.steps)


def test_strategies_without_hypothesis_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing autograd.strategies with Hypothesis hidden: an ImportError naming the extra."""
    for name in list(sys.modules):
        if name == "hypothesis" or name.startswith("hypothesis."):
            monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # type: ignore[arg-type]
    spec = importlib.util.find_spec("autograd.strategies")
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    with pytest.raises(ImportError, match=r'pip install "backprop-lens\[hypothesis\]"'):
        spec.loader.exec_module(fresh)


def test_data_helper_reads_floats_and_values() -> None:
    assert data(1.5) == 1.5 and data(Value(1.5)) == 1.5


def _constant_rule(name: str, local: object) -> Op:
    return Op(name, "c", lambda x: 2.0 * x, lambda out, x: (local,), "d/dx = the constant")


@pytest.mark.parametrize("local", [3, True, 2.5, __import__("fractions").Fraction(1, 4)])
def test_a_rules_real_numbers_become_built_in_floats(local: object) -> None:
    """Issue 17, case 3: .grad is always a built-in float, whatever real the rule returns."""
    x = Value(1.5)
    y = apply(_constant_rule("real_rule", local), x)
    assert all(type(d) is float for d in y.local_grads)
    (y * 3.0).backward()
    assert type(x.grad) is float and x.grad == 3.0 * float(local)  # type: ignore[arg-type]
    (g,) = grad(apply(_constant_rule("real_rule", local), x) * 3.0, [x])
    assert type(g.data) is float and g.data == 3.0 * float(local)  # type: ignore[arg-type]


def test_numpy_scalars_from_a_rule_become_built_in_floats() -> None:
    import numpy as np
    for local in (np.float32(0.5), np.float64(0.25), np.int64(2)):
        x = Value(1.0)
        (apply(_constant_rule("numpy_rule", local), x) * 4.0).backward()
        assert type(x.grad) is float and x.grad == 4.0 * float(local)


@pytest.mark.parametrize("local", [1j, complex(2.0, 0.0), Value(3.0), "1", None])
def test_a_rule_returning_a_non_real_is_refused_at_apply(local: object) -> None:
    with pytest.raises(TypeError, match="'bad_rule'") as error:
        apply(_constant_rule("bad_rule", local), Value(1.0))
    assert type(local).__name__ in str(error.value)


def test_the_engines_own_special_locals_are_kept() -> None:
    """MASKED and a subnormal's reciprocal are floats with a meaning: kept as they are."""
    from autograd.ops import MASKED, reciprocal

    masked = apply(_constant_rule("masked_rule", MASKED), Value(1.0))
    assert masked.local_grads[0] is MASKED
    x = Value(1.0)
    (apply(_constant_rule("masked_rule", MASKED), x) * math.inf).backward()
    assert x.grad == 0.0  # masked: 0, not 0 * inf
    x = Value(1.0)
    tiny = apply(_constant_rule("reciprocal_rule", reciprocal(1e-310)), x)
    (tiny * 1e-10).backward()
    assert x.grad == 1e-10 / 1e-310  # g / 1e-310, not g * inf


def test_an_n_ary_op_and_add_n_refuse_no_inputs_by_name() -> None:
    # a node needs an input (a node without any is a leaf: Value(...)); was an IndexError
    from autograd import add_n

    total = Op("total", "Σ", lambda *xs: float(sum(xs)),
               lambda out, *xs: tuple(1.0 for _ in xs), "d/dx_i = 1", arity=None)
    with pytest.raises(ValueError, match=r"^op 'total' needs at least one input, got none$"):
        apply(total)
    with pytest.raises(ValueError, match=r"^add_n needs at least one value, got none$"):
        add_n([])
    pair = Op("pair", "p", lambda a, b: a * b, lambda out, a, b: (b, a), "d/da = b", arity=2)
    with pytest.raises(ValueError, match=r"^op 'pair' takes 2 input\(s\), got 3$"):
        apply(pair, 1.0, 2.0, 3.0)
    assert apply(total, 2.0).data == 2.0  # one input is enough
    assert add_n([Value(3.0)]).data == 3.0
