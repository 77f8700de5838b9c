"""autograd.value under mutation testing: frozen leaves, modes, copies, exact messages.

Reference numbers are closed forms or plain float arithmetic written here; the frozen-leaf
rules are PyTorch's (``requires_grad=False`` leaves receive no gradient, results computed
from them only record no graph).
"""

from __future__ import annotations

import copy
import math
import pickle
from typing import Any, ClassVar

import pytest

import autograd.value as value_module
from autograd import Op, Value, apply, detect_anomaly, grad, no_grad, ops
from autograd.modes import tracing
from autograd.value import (
    FROZEN_NONE,
    _Frozen,
    _net,
    _thaw,
    clear_grads,
    reciprocal_node,
)


def test_constructor_errors_in_full() -> None:
    hint = value_module._CUSTOM_OP_HINT
    x = Value(1.0)
    for call in (lambda: Value(2.0, (x,), "exp"),  # type: ignore[arg-type]
                 lambda: Value(2.0, "y", "exp"),
                 lambda: Value(2.0, [x]),  # type: ignore[arg-type]
                 lambda: Value(2.0, _children=(x,))):  # type: ignore[call-arg]
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == f"Value(data, label='', *, requires_grad=True): {hint}"
    with pytest.raises(TypeError) as info:
        Value(2.0, 3)  # type: ignore[arg-type]
    assert str(info.value) == "Value label must be a str, not int"


def test_frozen_only_results_are_frozen_leaves() -> None:
    w = Value(3.0, requires_grad=False)
    v = Value(-2.0, requires_grad=False)
    x = Value(0.5)
    for y in (w * 2.0, w * v, w + v, w.relu(), w.tanh(), w.sigmoid(), w.exp(), -w,
              w ** 2, apply(ops.ADD_N, w, v), apply(ops.MUL, w, 2.0)):
        assert y.is_leaf and not y.requires_grad and y.parents == () and y.op == ""
        assert y.grad == 0.0 and type(y.grad) is float
        z = y * x
        z.backward()
        assert y.grad == 0.0  # a frozen leaf receives nothing
        with pytest.raises(RuntimeError):
            y.backward()
    # one Value that requires grad is enough to record the graph
    for y in (w * x, w + x, w - x, apply(ops.ADD_N, w, x), apply(ops.MUL, w, x)):
        assert not y.is_leaf and y.requires_grad
    x = Value(0.5)
    y = w * x
    y.backward()
    assert x.grad == 3.0 and w.grad == 0.0
    assert x.relu().requires_grad and x.tanh().requires_grad and x.sigmoid().requires_grad


def test_the_first_node_of_a_process_is_no_leaf(monkeypatch: pytest.MonkeyPatch) -> None:
    # the process's first node has the creation stamp 1: a node like any other
    w = Value(3.0, requires_grad=False)
    x = Value(2.0)
    monkeypatch.setattr(value_module, "_next_stamp", lambda: 1)
    frozen = w * 2.0
    node = x * 3.0
    monkeypatch.undo()
    assert frozen.is_leaf and not frozen.requires_grad
    assert node._stamp == 1 and not node.is_leaf
    with pytest.raises(RuntimeError, match=r"^only leaf Values"):
        copy.copy(node)
    with pytest.raises(RuntimeError, match=r"^you can only change requires_grad flags"):
        node.requires_grad_(False)
    assert node.requires_grad and node._stamp == 1


def test_freezing_and_thawing_keep_the_gradient() -> None:
    w = Value(1.5)
    w.grad = 4.0
    assert w.requires_grad_(False) is w
    assert not w.requires_grad and w.grad == 4.0 and type(w._grad) is _Frozen
    y = w * Value(2.0)
    y.backward()
    assert w.grad == 4.0  # unchanged: frozen
    assert w.requires_grad_(False) is w and w.grad == 4.0  # freezing twice changes nothing
    assert w.requires_grad_(True) is w
    assert w.requires_grad and w.is_leaf and w.grad == 4.0 and type(w._grad) is float
    (w * Value(2.0)).backward()
    assert w.grad == 6.0  # accumulates again
    assert w.requires_grad_() is w and w.grad == 6.0  # thawing a live leaf changes nothing
    # a None gradient stays None through freezing and thawing
    n = Value(1.0)
    n.grad = None
    n.requires_grad_(False)
    assert n.grad is None and n._grad is FROZEN_NONE
    (n * Value(3.0)).backward()
    assert n.grad is None
    n.requires_grad_(True)
    assert n.grad is None
    (n * Value(3.0)).backward()
    assert n.grad == 3.0
    # _thaw and _Frozen's pickling, on their own
    assert _thaw(FROZEN_NONE) is value_module.NO_GRAD_YET
    assert _thaw(2.0) == 2.0 and type(_thaw(_Frozen(2.0))) is float
    assert pickle.loads(pickle.dumps(FROZEN_NONE)) is FROZEN_NONE
    back = pickle.loads(pickle.dumps(_Frozen(2.5)))
    assert type(back) is _Frozen and back == 2.5


def test_requires_grad_messages() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError) as info:
        x.requires_grad_(1)  # type: ignore[arg-type]
    assert str(info.value) == "requires_grad_() takes a bool, not int"
    y = x * 2.0
    with pytest.raises(RuntimeError) as info:
        y.requires_grad_(False)
    assert str(info.value) == (
        "you can only change requires_grad flags of leaf Values (as in PyTorch); this one "
        "was made by 'mul'. To use its number without a gradient, take "
        "v.detach().requires_grad_(False)"
    )
    assert y.requires_grad_(True) is y and y.requires_grad and not y.is_leaf
    assert x.requires_grad and x._stamp == 0


def test_clear_grads_keeps_frozen_leaves_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tracked(Value):
        __slots__ = ()
        set_to: ClassVar[list[Any]] = []

        @property
        def grad(self) -> float:
            return Value.grad.fget(self)  # type: ignore[attr-defined,no-any-return]

        @grad.setter
        def grad(self, value: float | None) -> None:
            Tracked.set_to.append(value)
            Value.grad.fset(self, value)  # type: ignore[attr-defined]

    for seen in (False, True):
        monkeypatch.setattr(value_module, "_frozen_seen", seen)
        a = Value(1.0)
        a.grad = 5.0
        t = Tracked(2.0)
        Tracked.set_to.clear()
        clear_grads([a, t])
        assert a.grad == 0.0 and type(a._grad) is float and Tracked.set_to == [0.0]
        clear_grads([a, t], set_to_none=True)
        assert a.grad is None and t.grad is None and Tracked.set_to == [0.0, None]
    w = Value(1.0, requires_grad=False)
    w.grad = 7.0
    clear_grads([w])
    assert w.grad == 0.0 and not w.requires_grad
    (w * Value(2.0)).backward()
    assert w.grad == 0.0  # still frozen


def test_freeze_marks_that_a_frozen_leaf_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    # clear_grads' fast loop is only taken while no frozen gradient exists
    monkeypatch.setattr(value_module, "_frozen_seen", False)
    w = Value(1.0, requires_grad=False)
    w.grad = 3.0
    clear_grads([w])
    (w * Value(2.0)).backward()
    assert w.grad == 0.0


def test_detach_outside_and_inside_modes() -> None:
    x = Value(2.0, "x")
    y = x * 3.0
    for mode in (no_grad, detect_anomaly):
        with mode():
            d = y.detach()
        assert d.is_leaf and d.requires_grad and d.op == "" and d.label == ""
        assert d.data == 6.0
    y.label = "y"
    with tracing():
        d = y.detach()
        z = d * x
    assert d.op == "detach" and d.parents == (y,) and d.label == "y"
    assert d.local_grads == (ops.MASKED,) and d.data == 6.0 and not d.is_leaf
    z.backward()
    assert x.grad == 6.0  # only the direct branch: d(6 * x)/dx with 6 held fixed
    assert y.grad == 0.0


def test_no_grad_while_tracing_is_a_stop_gradient() -> None:
    x = Value(2.0)
    v = Value(5.0)
    with tracing():
        y = x * v  # recorded as usual: tracing alone changes nothing
        with no_grad():
            s = x * 3.0
            t = x * v
    assert y.op == "mul" and y.parents == (x, v)
    for node, inner_inputs, number in ((s, (x, 3.0), 6.0), (t, (x, v), 10.0)):
        assert node.op == "detach" and node.local_grads == (ops.MASKED,)
        (inner,) = node.parents
        assert node.inputs == (inner,)
        assert inner.op == "mul" and inner.inputs == inner_inputs and inner.data == number
        assert inner.parents == tuple(p for p in inner_inputs if isinstance(p, Value))
        assert inner.grad == 0.0 and inner.label == "" and node.data == number
        assert 0 < inner._stamp < node._stamp
        node.backward()
        assert x.grad == 0.0 and v.grad == 0.0 and node.grad == 1.0


def test_net_takes_the_general_path_for_non_value_weights() -> None:
    xs = [Value(1.5), Value(-2.0)]
    b = Value(0.25)
    # float weights: the general weighted_sum path (numbers among the operands)
    net = _net([0.5, 4.0], xs, [1.5, -2.0], b)  # type: ignore[list-item]
    assert net.data == 0.5 * 1.5 + 4.0 * -2.0 + 0.25 and net.label == "net"
    assert net.parents == (*xs, b)
    w = [Value(0.5), Value(4.0)]
    net = _net(w, xs, [1.5, -2.0], b)
    assert net.data == 0.5 * 1.5 + 4.0 * -2.0 + 0.25 and net.parents == (*w, *xs, b)
    net = _net(w, [1.5, -2.0], None, b)
    assert net.data == 0.5 * 1.5 + 4.0 * -2.0 + 0.25
    floats = [1.5, -2.0]
    net = _net(w, floats, floats, b)
    assert net.data == 0.5 * 1.5 + 4.0 * -2.0 + 0.25 and net.inputs == (*w, *floats, b)
    # all frozen: a frozen leaf, as PyTorch records no graph
    fw = [Value(0.5, requires_grad=False), Value(4.0, requires_grad=False)]
    fx = [Value(1.5, requires_grad=False), Value(-2.0, requires_grad=False)]
    fb = Value(0.25, requires_grad=False)
    net = _net(fw, fx, [1.5, -2.0], fb)
    assert net.is_leaf and not net.requires_grad and net.label == "net"
    assert net.data == 0.5 * 1.5 + 4.0 * -2.0 + 0.25
    net = _net(fw, xs, [1.5, -2.0], fb)  # trainable inputs: a graph
    assert not net.is_leaf and net.requires_grad


def test_a_rule_mixing_a_mask_and_an_int_keeps_the_mask() -> None:
    row = Op("mask_int", "mi", lambda a, b: a + b, lambda out, a, b: (ops.MASKED, 1),
             "d/da = 0 (masked), d/db = 1", arity=2)
    a = Value(1.0)
    b = Value(2.0)
    y = apply(row, a, b)
    assert y.local_grads[0] is ops.MASKED and y.local_grads[1] == 1.0
    assert type(y.local_grads[1]) is float
    y.backward(math.inf)
    assert a.grad == 0.0 and b.grad == math.inf  # 0 * inf would be nan
    tiny = 1e-310
    row2 = Op("recip_int", "ri", lambda a, b: a + b,
              lambda out, a, b: (ops.reciprocal(a), 1), "1/a and 1", arity=2)
    c = Value(tiny)
    y = apply(row2, c, b)
    assert type(y.local_grads[0]) is ops._Reciprocal
    y.backward(tiny)
    assert c.grad == 1.0  # tiny / tiny, not tiny * inf


def test_a_rule_returning_a_complex_names_the_op() -> None:
    row = Op("cplx", "c", lambda x: x, lambda out, x: (1j,), "complex")
    with pytest.raises(TypeError) as info:
        apply(row, Value(1.0))
    assert str(info.value) == (
        "the rule of op 'cplx' returned a local derivative of type complex (1j) for float "
        "inputs; a rule on floats must return real numbers (a Value or a complex would make "
        ".grad a non-float)"
    )


def test_reciprocal_node_holds_one_over_x() -> None:
    x = Value(1e-308)  # subnormal: 1/x is finite, 2/x is not
    r = reciprocal_node(x)
    assert r.data == 1.0 / 1e-308 and r.parents == (x,) and r.op == "div"
    assert (r + 0.0).data == 1.0 / 1e-308
    q = r * Value(3e-308)
    assert q.op == "div" and q.data == 3e-308 / 1e-308
    with pytest.raises(TypeError) as info:
        r * "a"  # type: ignore[operator]
    assert str(info.value) == (
        "unsupported operand type for *: Value and str ('a'); a Value combines with Values "
        "and real numbers"
    )
    assert ops.reciprocal(x).data == 1.0 / 1e-308
    (g,) = grad(x.log(), [x], create_graph=True)
    assert g.data == 1.0 / 1e-308


def test_a_leaf_has_no_parents_and_no_local_derivatives() -> None:
    for leaf in (Value(1.0), Value(1.0, requires_grad=False)):
        assert leaf.parents == () and leaf.local_grads == () and leaf.inputs == ()
        assert leaf.operation is None and leaf.is_leaf
