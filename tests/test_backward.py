"""backward(), topological order and grad(): semantics, reuse, depth, higher orders."""

from __future__ import annotations

import math
import sys

import pytest

from autograd import Value, add_n, grad, squared_error, topological_order, weighted_sum


def test_topological_order_puts_parents_first_and_visits_once() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert order[-1] is e


def test_leaves_accumulate_non_leaves_are_set_afresh() -> None:
    x = Value(3.0)
    h = x * x  # non-leaf
    y = h * 2
    y.backward()
    assert x.grad == 12.0 and h.grad == 2.0
    y.backward()
    assert x.grad == 24.0  # leaves accumulate, as in PyTorch
    assert h.grad == 2.0  # non-leaves show this sweep's gradient only


def test_backward_of_a_leaf_and_a_seed() -> None:
    x = Value(1.0)
    x.backward()
    assert x.grad == 1.0
    y = Value(2.0)
    (y * 3).backward(seed=0.5)
    assert y.grad == 1.5


def test_diamond_sums_both_paths() -> None:
    # y = (x + 1)(x - 1) = x^2 - 1, dy/dx = 2x
    x = Value(5.0)
    y = (x + 1) * (x - 1)
    y.backward()
    assert x.grad == 10.0


def test_chain_100000_deep_has_no_recursion_limit() -> None:
    depth = 100_000
    assert sys.getrecursionlimit() < depth
    c = 1.0000001
    x = Value(1.0)
    y = x
    for _ in range(depth):
        y = y * c
    y.backward()
    assert x.grad == pytest.approx(math.exp(depth * math.log(c)), rel=1e-9)
    (g,) = grad(y, [x])
    assert g.data == x.grad


def test_deep_unary_chain_with_grad_of_grad() -> None:
    # y = x^(2^k) by repeated squaring; dy/dx = 2^k x^(2^k - 1)
    x = Value(1.0001)
    y = x
    k = 10
    for _ in range(k):
        y = y * y
    (dy,) = grad(y, [x], create_graph=True)
    n = 2**k
    assert dy.data == pytest.approx(n * 1.0001 ** (n - 1), rel=1e-12)
    (d2y,) = grad(dy, [x])
    assert d2y.data == pytest.approx(n * (n - 1) * 1.0001 ** (n - 2), rel=1e-12)


def test_grad_touches_no_grad_field_and_handles_unused_inputs() -> None:
    x, y, unused = Value(2.0), Value(3.0), Value(4.0)
    z = x * y + x
    gx, gy, gu = grad(z, [x, y, unused])
    assert (gx.data, gy.data, gu.data) == (4.0, 2.0, 0.0)
    assert x.grad == y.grad == unused.grad == z.grad == 0.0


def test_grad_of_output_itself() -> None:
    x = Value(2.0)
    (g,) = grad(x, [x])
    assert g.data == 1.0


def test_hessian_of_two_variables() -> None:
    # f = x^2 y + sin(x y): closed-form Hessian
    x0, y0 = 0.7, -1.3
    x, y = Value(x0), Value(y0)
    f = x**2 * y + (x * y).sin()
    gx, gy = grad(f, [x, y], create_graph=True)
    assert gx.data == pytest.approx(2 * x0 * y0 + y0 * math.cos(x0 * y0), rel=1e-14)
    hxx, hxy = grad(gx, [x, y])
    hyx, hyy = grad(gy, [x, y])
    s, co = math.sin(x0 * y0), math.cos(x0 * y0)
    assert hxx.data == pytest.approx(2 * y0 - y0 * y0 * s, rel=1e-13)
    assert hxy.data == pytest.approx(2 * x0 + co - x0 * y0 * s, rel=1e-13)
    assert hyx.data == pytest.approx(hxy.data, rel=1e-13)
    assert hyy.data == pytest.approx(-x0 * x0 * s, rel=1e-13)


def test_grad_rejects_non_values() -> None:
    with pytest.raises(TypeError, match="float"):
        grad(1.0, [Value(1.0)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        grad(Value(1.0), [1.0])  # type: ignore[list-item]


def test_weighted_sum_is_one_node_with_the_article_local_derivatives() -> None:
    w = [Value(0.40, "w4"), Value(0.45, "w6")]
    a = [Value(0.593269992, "a0"), Value(0.596884378, "a1")]
    b = Value(0.60, "b2")
    net = weighted_sum(w, a, b)
    assert net.op == "wsum" and net.parents == (*w, *a, b)
    assert net.data == pytest.approx(0.40 * 0.593269992 + 0.45 * 0.596884378 + 0.60, rel=1e-15)
    # d net/d w_i = a_i, d net/d a_i = w_i, d net/d b = 1
    assert net.local_grads == (a[0].data, a[1].data, 0.40, 0.45, 1.0)
    net.backward()
    assert (w[0].grad, a[1].grad, b.grad) == (a[0].data, 0.45, 1.0)


def test_weighted_sum_validates() -> None:
    with pytest.raises(ValueError, match="2 weights but 1 inputs"):
        weighted_sum([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(TypeError, match="str"):
        weighted_sum([Value(1.0)], ["x"])
    with pytest.raises(TypeError, match="str"):
        weighted_sum("ab", [1.0, 2.0])  # type: ignore[arg-type]


def test_squared_error_reductions() -> None:
    o = [Value(0.75136507), Value(0.772928465)]
    y = [0.01, 0.99]
    half = squared_error(o, y, "half_sum")
    # the article's J: 1/2 Σ (y - o)^2, dJ/do_i = -(y_i - o_i)
    assert half.data == pytest.approx(0.5 * ((0.01 - 0.75136507) ** 2 + (0.99 - 0.772928465) ** 2))
    half.backward()
    assert o[0].grad == pytest.approx(-(0.01 - 0.75136507), rel=1e-15)
    assert o[1].grad == pytest.approx(-(0.99 - 0.772928465), rel=1e-15)
    mean = squared_error([Value(3.0), Value(1.0)], [1.0, 2.0], "mean")
    assert mean.data == (4.0 + 1.0) / 2
    total = squared_error([Value(3.0), Value(1.0)], [1.0, 2.0], "sum")
    assert total.data == 5.0
    with pytest.raises(ValueError, match="reduction"):
        squared_error(o, y, "median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        squared_error(o, [1.0])


def test_add_n() -> None:
    xs = [Value(float(i)) for i in range(5)]
    s = add_n(xs)
    assert s.data == 10.0 and s.op == "add_n"
    s.backward()
    assert all(x.grad == 1.0 for x in xs)
    s2 = add_n([0.1] * 10)
    assert s2.data == 1.0  # exactly rounded sum (fsum)
