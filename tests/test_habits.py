"""micrograd's and PyTorch's habits on a Value (issue 18, the autograd side).

* micrograd's own graph-tracing and drawing code reads ``v._prev`` and ``v._op``;
* micrograd's custom-op idiom (``Value(data, (self,), 'exp')`` and a ``_backward``
  closure) is a ``TypeError`` that shows the ``Op``/``apply`` way, which runs;
* ``grad(..., allow_unused, materialize_grads, grad_outputs, retain_graph)``,
  ``backward(gradient=, retain_graph=)``, checked against PyTorch in float64;
* ``requires_grad=False`` and ``requires_grad_()``: a frozen leaf gets no gradient.
"""

from __future__ import annotations

import copy
import math
import pickle
import re
from typing import Any

import pytest
import torch

import autograd
from autograd import Value, apply, grad, no_grad
from autograd.value import add_n, squared_error, weighted_sum


def T(x: float, requires_grad: bool = True) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)


# -- micrograd's trace and draw_dot, as its trace_graph notebook writes them ----------------


def micrograd_trace(root: Any) -> tuple[set[Any], set[tuple[Any, Any]]]:
    """micrograd's ``trace``: every node and edge under ``root``, read from ``_prev``."""
    nodes, edges = set(), set()

    def build(v: Any) -> None:
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def micrograd_draw_dot(root: Any) -> Any:
    """micrograd's ``draw_dot``: a record per node, an op node where ``_op`` is set."""
    from graphviz import Digraph

    dot = Digraph(format="svg", graph_attr={"rankdir": "LR"})
    nodes, edges = micrograd_trace(root)
    for n in nodes:
        uid = str(id(n))
        dot.node(name=uid, label="{ data %.4f | grad %.4f }" % (n.data, n.grad),  # noqa: UP031
                 shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def _expression(V: Any) -> Any:
    """The same expression for micrograd's Value and ours (Value-Value ops only: micrograd
    wraps a number into a leaf, this library keeps it a number)."""
    a, b, c = V(2.0), V(-3.0), V(10.0)
    e = a * b
    d = e + c
    f = d.relu() + (a * a) ** 2
    return f * b


def _shape(root: Any) -> tuple[list[tuple[str, float]], list[tuple[float, str, float]]]:
    nodes, edges = micrograd_trace(root)
    return (sorted((n._op, n.data) for n in nodes),
            sorted((c.data, p._op, p.data) for c, p in edges))


def test_micrograds_trace_sees_the_same_graph_as_in_micrograd() -> None:
    from micrograd.engine import Value as MicrogradValue

    theirs = _expression(MicrogradValue)
    ours = _expression(Value)
    assert _shape(ours) == _shape(theirs)
    ops = {op for op, _ in _shape(ours)[0]}
    assert ops == {"", "+", "*", "**2", "ReLU"}
    theirs.backward()
    ours.backward()
    assert sorted(n.grad for n in micrograd_trace(ours)[0]) == \
        sorted(n.grad for n in micrograd_trace(theirs)[0])


def test_micrograds_draw_dot_runs_on_our_values() -> None:
    x = Value(0.5)
    y = (x * Value(2.0)).tanh() + x.exp()
    y.backward()
    source = micrograd_draw_dot(y).source
    for op in ("tanh", "exp", "+", "*"):
        assert f'label="{op}"' in source or f"label={op}" in source, op
    assert "data 0.5000 | grad" in source


def test_prev_and_op_are_read_only_views() -> None:
    a = Value(3.0)
    sq = a * a
    assert sq._prev == {a} and isinstance(sq._prev, frozenset)  # a set: a once
    assert a._prev == frozenset() and a._op == ""
    assert (a - a)._op == "-" and (a / 2)._op == "/" and (a ** -1)._op == "**-1"
    assert a.exp()._op == "exp" and a.tanh()._op == "tanh" and a.relu()._op == "ReLU"
    assert (a ** 0.5)._op == "**0.5" and (2 ** a)._op == "**" and a.log()._op == "log"
    with pytest.raises(AttributeError):
        sq._prev = {a}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        sq._op = "*"  # type: ignore[misc]


# -- micrograd's custom-op idiom --------------------------------------------------------------


def micrograd_exp(self: Value) -> Value:
    """How micrograd's lecture writes exp()."""
    x = self.data
    out = Value(math.exp(x), (self,), "exp")  # type: ignore[arg-type, call-arg]

    def _backward() -> None:
        self.grad += out.data * out.grad

    out._backward = _backward  # type: ignore[assignment, method-assign]
    return out


def test_micrograds_custom_op_idiom_shows_the_op_and_apply_way_which_runs() -> None:
    with pytest.raises(TypeError, match=r"autograd\.Op\(.*\n.*autograd\.apply\(") as info:
        micrograd_exp(Value(0.5))
    message = str(info.value)
    assert "Custom operations" in message
    # the two lines the message shows run as written, and give exp and its derivative
    lines = [line.strip() for line in message.splitlines() if line.startswith("    ")]
    assert len(lines) == 2
    namespace: dict[str, Any] = {"autograd": autograd, "math": math, "self": Value(0.5)}
    exec("\n".join(lines), namespace)
    out = namespace["out"]
    out.backward()
    assert out.data == math.exp(0.5) and namespace["self"].grad == math.exp(0.5)
    assert out._op == "exp"


def test_micrograds_keywords_and_a_backward_closure_get_the_same_hint() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"autograd\.apply"):
        Value(2.0, _children=(x,), _op="exp")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"autograd\.apply"):
        Value(2.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"(?s)Value._backward cannot be assigned.*autograd\.apply"):
        x._backward = lambda: None  # type: ignore[assignment, method-assign]
    with pytest.raises(AttributeError, match="no _backward closure"):
        x._backward  # noqa: B018
    with pytest.raises(TypeError, match=r"unexpected keyword argument .lable."):
        Value(2.0, lable="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="Value label must be a str, not int"):
        Value(2.0, 3)  # type: ignore[arg-type]


# -- grad() with PyTorch's keywords --------------------------------------------------------


def test_an_unused_input_is_an_error_naming_it_none_or_zero_as_in_torch() -> None:
    x, u = Value(2.0, "x"), Value(5.0, "u")
    y = x * 3.0
    with pytest.raises(RuntimeError, match=r"input 1 'u' .*not used.*allow_unused=True"):
        grad(y, [x, u])
    tx, tu = T(2.0), T(5.0)
    with pytest.raises(RuntimeError, match="index 1 appears to not have been used"):
        torch.autograd.grad(tx * 3.0, [tx, tu])
    gx, gu = grad(y, [x, u], allow_unused=True)
    tgx, tgu = torch.autograd.grad(tx * 3.0, [tx, tu], allow_unused=True)
    assert gu is None and tgu is None and gx.data == tgx.item() == 3.0
    gx, gu = grad(y, [x, u], materialize_grads=True)
    tgx, tgu = torch.autograd.grad(tx * 3.0, [tx, tu], materialize_grads=True)
    assert gu.data == tgu.item() == 0.0 and gx.data == tgx.item()
    # a masked path still counts as used (PyTorch: relu's zero slope is a gradient of 0)
    (g,) = grad(Value(-1.0).relu() + x, [x])
    z = Value(-1.0)
    (gz,) = grad(z.relu() + x, [z])
    assert gz.data == 0.0 and g.data == 1.0


def test_grad_outputs_seed_several_outputs_as_torch_sums_them() -> None:
    a0, b0 = 0.7, -1.3
    a, b = Value(a0), Value(b0)
    f, h = (a * b).tanh(), a.exp() * b
    ta, tb = T(a0), T(b0)
    tf, th = (ta * tb).tanh(), ta.exp() * tb
    for seeds in ([2.0, -0.5], (Value(2.0), None), [None, 3]):
        ours = grad([f, h], [a, b], grad_outputs=seeds)
        tseeds = [torch.tensor(1.0 if s is None else float(s), dtype=torch.float64)
                  for s in seeds]
        theirs = torch.autograd.grad([tf, th], [ta, tb], grad_outputs=tseeds, retain_graph=True)
        for g, t in zip(ours, theirs):
            assert g.data == pytest.approx(t.item(), rel=1e-14)  # summed in another order
    # one output: a bare number seeds it; outputs given twice add up
    (g,) = grad(f, a, grad_outputs=0.25)
    (t,) = torch.autograd.grad(tf, ta, grad_outputs=T(0.25, False), retain_graph=True)
    assert g.data == pytest.approx(t.item(), rel=1e-15)
    (g2,) = grad([f, f], [a])
    (t2,) = torch.autograd.grad([tf, tf], [ta], retain_graph=True)
    assert g2.data == pytest.approx(t2.item(), rel=1e-15)
    with pytest.raises(ValueError, match="2 grad_outputs for 1 output"):
        grad(f, [a], grad_outputs=[1.0, 2.0])
    with pytest.raises(TypeError, match="grad_outputs entry must be a real number"):
        grad(f, [a], grad_outputs=["1"])


def test_a_value_seed_is_part_of_the_graph_with_create_graph_as_in_torch() -> None:
    x, s = Value(0.3), Value(1.7)
    (g,) = grad(x.sin() * x, [x], grad_outputs=[s], create_graph=True)
    (ds,) = grad(g, [s])  # d/ds of s * (sin x + x cos x)
    tx, ts = T(0.3), T(1.7)
    (tg,) = torch.autograd.grad(tx.sin() * tx, [tx], grad_outputs=[ts], create_graph=True)
    (tds,) = torch.autograd.grad(tg, [ts])
    assert g.data == pytest.approx(tg.item(), rel=1e-15)
    assert ds.data == pytest.approx(tds.item(), rel=1e-15)
    # without create_graph, a Value seed counts as its number
    (g1,) = grad(x.sin() * x, [x], grad_outputs=s)
    assert g1.data == pytest.approx(tg.item(), rel=1e-15)


def test_backward_takes_gradient_and_retain_graph_as_torch() -> None:
    x = Value(0.4)
    y = (x * x).sigmoid()
    y.backward(gradient=2.5, retain_graph=True)
    y.backward(retain_graph=False)  # this engine keeps its graphs: a second sweep works
    y.backward(0.5)  # positional, as before
    tx = T(0.4)
    ty = (tx * tx).sigmoid()
    ty.backward(gradient=T(2.5, False), retain_graph=True)
    ty.backward(retain_graph=True)
    ty.backward(T(0.5, False))
    assert tx.grad is not None
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-15)
    with pytest.raises(TypeError, match="seed must be a real number"):
        y.backward(gradient="1")  # type: ignore[arg-type]


# -- requires_grad: frozen leaves -------------------------------------------------------------


def test_a_frozen_leaf_gets_no_gradient_and_keeps_its_grad_as_torch() -> None:
    w, x = Value(2.0, "w", requires_grad=False), Value(3.0, "x")
    assert w.is_leaf and not w.requires_grad and w.grad == 0.0 and x.requires_grad
    w.grad = 0.75  # a gradient of its own (PyTorch: a frozen tensor's .grad stays)
    y = (w * x).tanh() + w * w * x
    assert not y.is_leaf and y.requires_grad
    y.backward()
    tw, tx = T(2.0, False), T(3.0)
    ((tw * tx).tanh() + tw * tw * tx).backward()
    assert w.grad == 0.75 and tw.grad is None
    assert tx.grad is not None and x.grad == pytest.approx(tx.grad.item(), rel=1e-15)
    assert type(w.grad) is float
    # unfrozen, it gets gradients again; frozen again, it keeps the one it has
    assert w.requires_grad_() is w and w.requires_grad
    w.grad = 0.0
    y = w * x
    y.backward()
    assert w.grad == 3.0
    w.requires_grad_(False)
    (w * x).backward()
    assert w.grad == 3.0 and x.grad == pytest.approx(tx.grad.item() + 4.0, rel=1e-15)


def test_a_frozen_none_grad_stays_none_and_zero_grad_keeps_it_frozen() -> None:
    from autograd.value import clear_grads

    w, x = Value(1.5, requires_grad=False), Value(2.0)
    w.grad = None
    (w * x).backward()
    assert w.grad is None
    clear_grads([w, x])
    assert (w.grad, x.grad) == (0.0, 0.0) and not w.requires_grad
    (w * x).backward()
    assert (w.grad, x.grad) == (0.0, 1.5)
    clear_grads([w], set_to_none=True)
    (w * x).backward()
    assert w.grad is None
    w.requires_grad_()
    (w * x).backward()
    assert w.grad == 2.0  # "no gradient yet" became the first contribution


def test_ops_on_frozen_values_only_record_no_graph_as_torch() -> None:
    w = Value(0.5, requires_grad=False)
    v = Value(-1.5, requires_grad=False)
    made = {
        "w + v": w + v, "w + 2": w + 2.0, "2 + w": 2.0 + w, "w - v": w - v, "w - 2": w - 2.0,
        "w * v": w * v, "w * 2": w * 2.0, "w / v": w / v, "w ** 2": w ** 2, "w ** v": w ** v,
        "-w": -w, "tanh": w.tanh(), "sigmoid": w.sigmoid(), "relu": w.relu(), "exp": w.exp(),
        "log": w.log(), "wsum": weighted_sum([w, v], [1.0, 2.0], 0.5),
        "wsum values": weighted_sum([w, v], [v, w], v), "add_n": add_n([w, v, 1.0]),
        "squared error": squared_error([w, v], [0.0, 1.0]),
        "apply": apply(autograd.ops.SIN, w),
    }
    tw = T(0.5, False)
    assert not (tw * 2.0).requires_grad and (tw * 2.0).is_leaf
    for name, node in made.items():
        assert node.is_leaf and not node.requires_grad and node.parents == (), name
        with pytest.raises(RuntimeError, match="does not require grad"):
            node.backward()
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        (tw * 2.0).backward()
    # one Value that requires grad among the operands: a graph, and only it gets a gradient
    x = Value(1.0)
    for node in (w * x, x * w, weighted_sum([w, v], [x, 1.0]), add_n([w, x]), w + x):
        assert not node.is_leaf and node.requires_grad
        node.backward()
    assert w.grad == 0.0 and v.grad == 0.0 and x.grad == 0.5 + 0.5 + 0.5 + 1.0 + 1.0


def test_no_grad_results_are_frozen_leaves_too() -> None:
    x = Value(2.0)
    with no_grad():
        z = x * 3.0
    y = z * x
    y.backward()
    tx = T(2.0)
    with torch.no_grad():
        tz = tx * 3.0
    (tz * tx).backward()
    assert z.grad == 0.0 and tz.grad is None
    assert tx.grad is not None and x.grad == tx.grad.item() == 6.0
    assert (z * 2.0).is_leaf and not (z * 2.0).requires_grad
    z.requires_grad_()  # PyTorch allows it: a leaf that requires grad from now on
    (z * x).backward()
    assert z.grad == 2.0


def test_requires_grad_of_a_non_leaf_as_torch() -> None:
    x = Value(1.0)
    y = x * 2.0
    assert y.requires_grad_(True) is y
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        (T(1.0) * 2.0).requires_grad_(False)
    with pytest.raises(TypeError, match="takes a bool"):
        x.requires_grad_(0)  # type: ignore[arg-type]
    assert y.detach().requires_grad_(False).requires_grad is False


def test_grad_treats_a_frozen_input_as_a_constant() -> None:
    w, x = Value(2.0, "w", requires_grad=False), Value(3.0, "x")
    y = w * x
    with pytest.raises(RuntimeError, match=r"input 0 'w' .*does not require grad"):
        grad(y, [w, x])
    gw, gx = grad(y, [w, x], allow_unused=True)
    assert gw is None and gx.data == 2.0
    gw, gx = grad(y, [w, x], materialize_grads=True)
    assert gw.data == 0.0 and gx.data == 2.0
    with pytest.raises(RuntimeError, match="does not require grad"):
        grad(w * 2.0, [x])


def test_a_frozen_leaf_survives_copy_and_pickle_and_the_compiled_step() -> None:
    w = Value(0.25, "w", requires_grad=False)
    w.grad = 0.5
    for c in (copy.copy(w), copy.deepcopy(w), pickle.loads(pickle.dumps(w))):
        assert not c.requires_grad and c.grad == 0.5 and c.label == "w"
        x = Value(2.0)
        (c * x).backward()
        assert c.grad == 0.5 and x.grad == 0.25
    x = Value(2.0)
    step = autograd.compile(lambda: (w * x).tanh())
    for _ in range(3):
        step()
    assert w.grad == 0.5
    expected = 3 * (1.0 - math.tanh(0.5) ** 2) * 0.25
    assert x.grad == pytest.approx(expected, rel=1e-15)
    # an op on frozen Values alone inside a compiled function reads their current numbers
    x.grad = 0.0
    step = autograd.compile(lambda: ((w * 2.0) * x).tanh())
    assert step() == math.tanh(1.0)
    w.data = 0.125
    assert step() == math.tanh(0.5) and w.grad == 0.5
    expected = (1.0 - math.tanh(1.0) ** 2) * 0.5 + (1.0 - math.tanh(0.5) ** 2) * 0.25
    assert x.grad == pytest.approx(expected, rel=1e-15)


def test_a_frozen_parameter_in_a_model_gets_no_gradient() -> None:
    from nn import MLP, mse_loss

    model = MLP(2, [2, 2], activation="sigmoid", seed=3)
    frozen = model.parameters()[0].requires_grad_(False)
    loss = mse_loss(model([0.05, 0.10]), [0.01, 0.99], "half_sum")
    loss.backward()
    assert frozen.grad == 0.0
    assert all(p.grad != 0.0 for p in model.parameters()[1:])


def test_the_readme_and_docstrings_say_retain_graph_changes_nothing() -> None:
    doc = grad.__doc__ or ""
    assert re.search(r"retain_graph``: accepted and changes nothing", doc)
