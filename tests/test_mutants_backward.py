"""autograd.backward under mutation testing: exact messages, seeds and the sign of zero.

Reference numbers come from PyTorch float64 or closed forms written here.
"""

from __future__ import annotations

import math
import struct

import pytest
import torch

from autograd import Value, detect_anomaly, grad, no_grad, topological_order


def bits(x: float) -> int | str:
    if math.isnan(x):
        return "nan"
    return struct.unpack("<q", struct.pack("<d", x))[0]


def test_input_and_output_checks_name_the_type() -> None:
    x = Value(1.0)
    y = x * 2.0
    with pytest.raises(TypeError) as info:
        grad(y, {x})
    assert str(info.value) == (
        "grad() inputs must be a Value or an ordered sequence of Values, not set"
    )
    with pytest.raises(TypeError) as info:
        grad(y, [x, 1.0])
    assert str(info.value) == "grad() inputs must be Values, not float"
    with pytest.raises(TypeError) as info:
        grad("y", [x])  # type: ignore[arg-type]
    assert str(info.value) == (
        "grad() outputs must be a Value or an ordered sequence of Values, not str"
    )
    with pytest.raises(TypeError) as info:
        grad([y, 2.0], [x])  # type: ignore[list-item]
    assert str(info.value) == "grad() outputs must be Values, not float"
    with pytest.raises(ValueError) as info:
        grad([], [x])
    assert str(info.value) == "grad() needs at least one output"
    with pytest.raises(ValueError) as info:
        grad([y, y], [x], grad_outputs=[1.0])
    assert str(info.value) == "grad() got 1 grad_outputs for 2 output(s); give one each"
    with pytest.raises(TypeError) as info:
        grad(y, [x], grad_outputs="1")
    assert str(info.value) == (
        "grad() grad_outputs must be a number, a Value, or a sequence of them (one per "
        "output), not str"
    )


def test_seeds_and_several_outputs_against_torch() -> None:
    x = Value(1.5)
    y1, y2 = x * x, x.sin()
    got = grad([y1, y2], (v for v in [x]), grad_outputs=[None, Value(-2.0)])
    tx = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    (expected,) = torch.autograd.grad([tx * tx, tx.sin()], [tx],
                                      grad_outputs=[torch.tensor(1.0, dtype=torch.float64),
                                                    torch.tensor(-2.0, dtype=torch.float64)])
    assert math.isclose(got[0].data, expected.item(), rel_tol=1e-15)
    assert grad(y1, x, grad_outputs=3)[0].data == 3 * 2 * 1.5
    (g,) = grad(y1, [x], grad_outputs=3.0)
    assert g.data == 9.0 and type(g.data) is float
    # a Value seed with create_graph stays in the graph: d/ds (s * 2x) = 2x
    s = Value(3.0)
    (g,) = grad(y1, [x], grad_outputs=[s], create_graph=True)
    assert g.data == 9.0
    assert grad(g, [s])[0].data == 3.0
    # the same output twice adds its seeds
    assert grad([y1, y1], [x], grad_outputs=[1.0, 2.0])[0].data == 9.0


def test_unused_inputs() -> None:
    x, z = Value(1.0, "x"), Value(2.0)
    frozen = Value(3.0, "w", requires_grad=False)
    y = x * frozen
    with pytest.raises(RuntimeError) as info:
        grad(y, [x, z])
    assert str(info.value).startswith(
        "grad(): input 1 (Value(data=2.0, grad=0.0)) was not used to compute the output(s)."
    )
    with pytest.raises(RuntimeError) as info:
        grad(y, [frozen])
    assert str(info.value).startswith(
        "grad(): input 0 'w' (Value(data=3.0, grad=0.0, label='w')) does not require grad"
    )
    assert grad(y, [x, z], allow_unused=True)[1] is None
    got = grad(y, [x, z], materialize_grads=True)
    assert got[0].data == 3.0 and bits(got[1].data) == bits(0.0)


def test_roots_that_record_no_graph_raise() -> None:
    with no_grad():
        y = Value(2.0) * 3.0
    for call in (lambda: y.backward(), lambda: grad(y, [y])):
        with pytest.raises(RuntimeError, match=r"this Value does not require grad"):
            call()


def test_sign_of_zero_on_every_path_as_torch() -> None:
    tz = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (tz * -0.0).backward()
    expected = bits(tz.grad.item())
    for create_graph in (False, True):
        z = Value(2.0)
        assert bits(grad(z * -0.0, [z], create_graph=create_graph)[0].data) == expected
    z = Value(2.0)
    (z * -0.0).backward()
    assert bits(z.grad) == expected
    with detect_anomaly():
        z = Value(2.0)
        (z * -0.0).backward()
    assert bits(z.grad) == expected
    # a leaf root: d z/d z is the seed
    z = Value(2.0)
    z.backward(-0.0)
    assert bits(z.grad) == bits(-0.0)
    z.backward(2.5)
    assert z.grad == 2.5


def test_topological_order() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    assert topological_order(a) == [a] and topological_order(a, leaves=False) == []
    order = topological_order(e)
    assert order[-1] is e and len(order) == 5 and set(order) == {a, b, c, d, e}
    assert order.index(c) < order.index(d)
    assert topological_order(e, leaves=False) == [c, d, e]
    f = d.exp()
    assert topological_order(f, leaves=False) == [c, d, f]


def test_unused_input_messages_in_full() -> None:
    x = Value(2.0, "x")
    w = Value(3.0, requires_grad=False)
    y = x * 2.0
    with pytest.raises(RuntimeError) as info:
        grad(y, [x, w])
    assert str(info.value) == (
        "grad(): input 1 (Value(data=3.0, grad=0.0)) does not require grad "
        "(requires_grad=False: a constant here). Pass allow_unused=True to get None for "
        "it, or materialize_grads=True to get 0.0, as in PyTorch"
    )
    z = Value(5.0, "z")
    with pytest.raises(RuntimeError) as info:
        grad(y, [x, z])
    assert str(info.value) == (
        "grad(): input 1 'z' (Value(data=5.0, grad=0.0, label='z')) was not used to compute "
        "the output(s). Pass allow_unused=True to get None for it, or materialize_grads=True "
        "to get 0.0, as in PyTorch"
    )


def test_the_first_node_of_a_process_is_swept_under_anomaly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the process's first node has the creation stamp 1; it is a node, not a leaf
    import autograd.value as value_module

    x = Value(2.0)
    monkeypatch.setattr(value_module, "_next_stamp", lambda: 1)
    y = x * 3.0
    monkeypatch.undo()
    assert y._stamp == 1 and not y.is_leaf
    with detect_anomaly():
        y.backward()
    assert x.grad == 3.0 and y.grad == 1.0


def test_a_masked_zero_adds_no_node_to_a_nonzero_value_gradient() -> None:
    # d/dx [relu(x) + x * w] at x < 0 is w (the relu's kink is a masked zero): with
    # create_graph the gradient is w's own number times 1, one node, no "+ 0.0" node on top
    x = Value(-1.0)
    w = Value(-2.5)
    r = x.relu()
    m = x * w
    (g,) = grad(r + m, [x], create_graph=True)
    assert g.data == -2.5 and g.op == "mul" and g.parents == (w,)
    # when the earlier contribution is -0.0, the mask does add +0.0 (the sign rule)
    v = Value(-0.0)
    r2 = x.relu()
    m2 = x * v
    (g2,) = grad(r2 + m2, [x], create_graph=True)
    assert bits(g2.data) == bits(0.0)
    (g3,) = grad(x * v, [x], create_graph=True)
    assert bits(g3.data) == bits(-0.0)


def test_a_node_with_stamp_one_is_a_node_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    # the process's first node has the creation stamp 1; every sweep treats it as a node
    import autograd.value as value_module

    x = Value(2.0)
    v = Value(5.0)
    monkeypatch.setattr(value_module, "_next_stamp", lambda: 1)
    y = x * 3.0  # one parent, stored bare
    monkeypatch.undo()
    monkeypatch.setattr(value_module, "_next_stamp", lambda: 1)
    t = x * v  # two parents, a tuple
    monkeypatch.undo()
    assert y._stamp == 1 and t._stamp == 1
    assert topological_order(y) == [x, y] and topological_order(y, leaves=False) == [y]
    z = y * 2.0
    assert topological_order(z, leaves=False) == [y, z]
    u = t + 1.0  # a bare parent
    assert topological_order(u, leaves=False) == [t, u]
    s = t + Value(1.0)  # parents in a tuple
    assert topological_order(s, leaves=False) == [t, s]
    y.backward()
    assert x.grad == 3.0
    z.backward()
    assert x.grad == 3.0 + 6.0 and y.grad == 2.0
    assert grad(y, [x])[0].data == 3.0
    assert grad(u, [x, v])[0].data == 5.0


def test_grad_skips_an_unrelated_first_parent_only() -> None:
    c = Value(4.0)  # a leaf that is no input: its branch is not swept
    x = Value(2.0)
    assert [g.data for g in grad(c * x, [x])] == [4.0]
    assert [g.data for g in grad(c * x + c, [x])] == [4.0]


def test_grad_outputs_entries_are_numbers() -> None:
    x = Value(2.0)
    y = x * 3.0
    for create_graph in (False, True):
        with pytest.raises(TypeError) as info:
            grad(y, [x], grad_outputs=["a"], create_graph=create_graph)
        assert str(info.value) == (
            "grad() grad_outputs entry must be a real number (int or float), not str: 'a'"
        )
        (g,) = grad(y, [x], grad_outputs=[2], create_graph=create_graph)
        assert g.data == 6.0 and type(g.data) is float


def test_grad_goes_on_after_a_masked_local_derivative() -> None:
    from autograd import Op, apply, ops

    row = Op("mask_first", "mf", lambda a, b: a + b, lambda out, a, b: (ops.MASKED, 2.0),
             "d/da = 0 (masked), d/db = 2", arity=2)
    a = Value(1.0)
    b = Value(2.0)
    for create_graph in (False, True):
        ga, gb = grad(apply(row, a, b), [a, b], create_graph=create_graph)
        assert ga.data == 0.0 and gb.data == 2.0
