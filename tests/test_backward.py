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
    (y * 3).backward(gradient=0.5)
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
    gx, gy, gu = grad(z, [x, y, unused], materialize_grads=True)
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


# -- issue 8 item 1: a masked (zero) local derivative contributes exactly 0 ---------------

INF = math.inf


def _three_ways(build, x0: float) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """d build(x) / dx by backward(), grad() and grad(create_graph=True)."""
    x = Value(x0)
    build(x).backward()
    (g,) = grad(build(x), [x])
    (h,) = grad(build(x), [x], create_graph=True)
    return x.grad, g.data, h.data


@pytest.mark.parametrize(
    "build, x0",
    [
        (lambda x: x.relu().sqrt(), -0.5),  # relu' = 0 meets sqrt'(0) = inf
        (lambda x: x.relu().sqrt(), 0.0),
        (lambda x: x.relu().sqrt(), -0.0),
        (lambda x: x.relu().log(), -2.0),  # log'(0) = inf
        (lambda x: x.relu() * INF, -1.0),
        (lambda x: abs(x).sqrt(), 0.0),  # |x|' at 0 is 0
        (lambda x: abs(x) * math.nan, 0.0),
        (lambda x: (x**0) * INF, 0.0),  # x ** 0 is flat, also at 0
        (lambda x: (x**0.0) * -INF, 5.0),
        (lambda x: (x - x) ** Value(0.0) * INF, 3.0),  # a ** b at b == 0: d/da masked
        (lambda x: Value(0.0) ** (x * x) * INF, 1.5),  # 0 ** b, b >= 0: d/db masked
        (lambda x: Value(0.0) ** (x - x) * INF, 1.5),  # ... also at b == 0
    ],
)
def test_masked_derivatives_select_instead_of_multiplying(build, x0) -> None:  # type: ignore[no-untyped-def]
    assert _three_ways(build, x0) == (0.0, 0.0, 0.0)


def test_relu_passes_nan_on_as_pytorch() -> None:
    # PyTorch's relu backward is where(x <= 0, 0, grad): at nan (not <= 0) grad passes
    assert _three_ways(lambda x: x.relu() * 2.0, math.nan) == (2.0, 2.0, 2.0)
    assert [math.isnan(d) for d in _three_ways(lambda x: x.relu().sqrt(), math.nan)] == [True] * 3
    assert _three_ways(lambda x: x.relu() * 2.0, 1e-300) == (2.0, 2.0, 2.0)


def test_relu_of_negative_then_sqrt_gives_zero_everywhere() -> None:
    # the case, with the exact answer 0 (PyTorch gives 0 too)
    x = Value(-0.5)
    x.relu().sqrt().backward()
    assert x.grad == 0.0
    (g,) = grad(x.relu().sqrt(), [x])
    x2 = Value(-0.5)
    (g1,) = grad(x2.relu().sqrt(), [x2])
    (g2,) = grad(x2.relu().sqrt(), [x2], create_graph=True)
    # and the second derivative is 0 too (the masked first derivative is a constant 0,
    # which does not depend on x2: 0.0 asked for with materialize_grads)
    (g3,) = grad(g2, [x2], materialize_grads=True)
    assert (g.data, g1.data, g2.data, g3.data) == (0.0, 0.0, 0.0, 0.0)


def test_pow_masks_with_infinite_incoming_gradients() -> None:
    # x ** 0 at x = 0: flat, whatever comes in (here d log(y)/dy at y = 0... scaled to inf)
    x = Value(0.0)
    ((x**0) * INF).backward()
    assert x.grad == 0.0
    # a ** b with a Value exponent: d/da is masked where b == 0 ...
    a, b = Value(0.0), Value(0.0)
    ((a**b) * INF).backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    # ... and d/db where a == 0 and b >= 0 (0 ** b = 0 for b > 0, d/db = 0, not 0 * -inf)
    a, b = Value(0.0), Value(2.0)
    ((a**b) * INF).backward()
    assert b.grad == 0.0 and math.isnan(a.grad)  # d/da = 2 * 0 = 0 (not masked) times inf
    # but a ** b at a == 0, b < 0 is not masked: d/db = inf * log 0 = -inf
    a, b = Value(0.0), Value(-1.0)
    (a**b).backward()
    assert b.grad == -INF


def test_multiplication_keeps_ieee_zero_times_infinity() -> None:
    # mul's zero derivative is not structural: 0 * inf = nan, as in PyTorch
    x = Value(2.0)
    (x * 0.0).sqrt().backward()
    assert math.isnan(x.grad)
    (g,) = grad((x * 0.0).sqrt(), [x])
    assert math.isnan(g.data)


# -- issue 8 item 10: subnormals divide instead of multiplying by a reciprocal -------------

TINY = 5e-324


def test_subnormal_log_times_x() -> None:
    # d/dx (x log x) = log x + 1 = -743.44..., exactly as in PyTorch (grad / x)
    x = Value(TINY)
    (x.log() * x).backward()
    assert x.grad == math.log(TINY) + 1.0
    (g,) = grad(x.log() * x, [x])
    assert g.data == math.log(TINY) + 1.0


def test_subnormal_division() -> None:
    # d/da ((a / b) * b) = 1 at b = 5e-324: (g = b) / b, not b * (1/b) = b * inf
    a, b = Value(1.0), Value(TINY)
    y = (a / b) * b
    y.backward()
    assert a.grad == 1.0
    # d/da (a / b) on its own is 1/b, which overflows: inf, as in PyTorch
    a2 = Value(1.0)
    (a2 / TINY).backward()
    assert a2.grad == INF
    # a normal divisor is the plain reciprocal
    a3 = Value(1.0)
    ((a3 / 3.0) * 3.0).backward()
    assert a3.grad == (1.0 / 3.0) * 3.0


def test_subnormal_sqrt_and_pow() -> None:
    x = Value(TINY)
    x.sqrt().backward()
    assert x.grad == 0.5 / math.sqrt(TINY)  # 1/(2 sqrt x): finite, 2.2e161
    x = Value(TINY)
    (x**0.5).backward()
    assert x.grad == pytest.approx(0.5 * TINY**-0.5, rel=1e-15)
    x = Value(TINY)
    (x**2).backward()
    assert x.grad == 2 * TINY
    x = Value(TINY)
    (x**-1).backward()
    assert x.grad == -INF  # -1/x^2 overflows: exact -4e647


# -- issue 8 items 4, 7, 11, 13 and the mutation survivors -----------------------------------


def test_two_threads_back_propagating_one_graph_match_two_sequential_sweeps() -> None:
    import threading

    def build() -> tuple[list[Value], Value]:
        # every h feeds three consumers: a sweep adds into h.grad several times, so another
        # sweep resetting it in between would lose contributions
        xs = [Value(0.01 * i) for i in range(50)]
        y: Value = xs[0]
        for i in range(3000):
            h = y + xs[i % 50] * xs[(7 * i) % 50]
            y = h + h * 0.5 - h * 0.5  # dy/dh = 1: gradients stay moderate all the way
        return xs, y

    xs, y = build()
    y.backward()
    y.backward()
    expected = [x.grad for x in xs]

    xs, y = build()
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        start = threading.Barrier(2)

        def sweep() -> None:
            start.wait()
            y.backward()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert [x.grad for x in xs] == expected


def test_backward_from_a_no_grad_result_raises() -> None:
    from autograd import no_grad

    x = Value(2.0)
    with no_grad():
        y = x * 3
    with pytest.raises(RuntimeError, match="no_grad"):
        y.backward()
    with pytest.raises(RuntimeError, match="no_grad"):
        grad(y, [x])
    assert x.grad == 0.0
    # a leaf made inside no_grad() is an ordinary leaf
    with no_grad():
        z = Value(1.0)
    z.backward()
    assert z.grad == 1.0


def test_seeds_become_floats() -> None:
    np = pytest.importorskip("numpy")
    for seed, expected in [(np.float32(1.5), 1.5), (2, 2.0), (Value(0.5), 0.5), (True, 1.0)]:
        x = Value(3.0)
        h = x * x
        (h * 2.0).backward(seed)
        assert type(x.grad) is float and type(h.grad) is float
        assert x.grad == 12.0 * expected and h.grad == 2.0 * expected
    with pytest.raises(TypeError, match=r"seed.*str"):
        Value(1.0).backward("1")  # type: ignore[arg-type]


def test_a_leaf_root_accumulates_in_both_sweeps() -> None:
    from autograd import detect_anomaly

    x = Value(1.0)
    x.backward()
    x.backward(2.0)
    assert x.grad == 3.0
    with detect_anomaly():
        x.backward()
    assert x.grad == 4.0


def test_anomaly_sweep_sets_non_leaf_grads_afresh() -> None:
    from autograd import detect_anomaly

    x = Value(3.0)
    h = x * x
    y = h * 2.0
    with detect_anomaly():
        y.backward()
        y.backward()
    assert (x.grad, h.grad, y.grad) == (24.0, 2.0, 1.0)


def test_topological_order_without_leaves() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    assert topological_order(d, leaves=False) == [c, d]
    assert [n is m for n, m in zip(topological_order(d, leaves=False), [c, d])] == [True, True]
    assert topological_order(a, leaves=False) == []
    assert topological_order(a) == [a]


def test_grad_prunes_nodes_that_lead_to_no_input() -> None:
    from autograd import detect_anomaly

    x, c = Value(2.0), Value(0.0)
    y = x * 3.0 + c.sqrt()  # the sqrt branch has an infinite gradient, but x needs none of it
    with detect_anomaly():
        (g,) = grad(y, [x])
        (h,) = grad(y, [x], create_graph=True)
    assert g.data == h.data == 3.0


def test_grad_takes_a_bare_value_a_generator_and_rejects_unordered_inputs() -> None:
    x, w = Value(2.0), Value(3.0)
    y = x * w
    (g,) = grad(y, x)
    assert g.data == 3.0
    gs = grad(y, (v for v in [x, w]))
    assert [g.data for g in gs] == [3.0, 2.0]
    for bad in ({x, w}, {x: 1}, "xw"):
        with pytest.raises(TypeError, match="ordered"):
            grad(y, bad)  # type: ignore[arg-type]


def test_grad_returns_new_nodes_never_the_graphs_own() -> None:
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = x * w
    gx, gw = grad(y, [x, w], create_graph=True)
    assert gw is not x and gx is not w
    assert (gx.data, gw.data) == (3.0, 2.0)
    gw.label = "dy/dw"
    assert x.label == "x"
    # still differentiable: d/dx (dy/dw) = d/dx x = 1
    (h,) = grad(gw, [x])
    assert h.data == 1.0
    (same,) = grad(x, [x], create_graph=True)
    assert same is not x and same.data == 1.0


def test_squared_error_needs_an_output() -> None:
    with pytest.raises(ValueError, match=r"^squared_error needs at least one output$"):
        squared_error([], [])


def test_add_n_keeps_the_ieee_contract() -> None:
    assert math.isnan(add_n([INF, -INF, 0.0]).data)
    assert add_n([1e308] * 3).data == INF
    assert add_n([-1e308] * 3).data == -INF
    assert add_n([INF, 1.0, 2.0]).data == INF
    assert math.isnan(add_n([math.nan, 1.0, 2.0]).data)
    assert add_n([1e308, 1e308, -1e308]).data == INF  # the partial sum overflows, as torch
    assert add_n([1.0, 2.0]).data == 3.0 and add_n([1e16, 1.0, -1e16]).data == 1.0


def test_add_n_rejects_unordered_collections() -> None:
    for bad in ({1.0: 2.0}, {1.0, 2.0}, frozenset({1.0})):
        with pytest.raises(TypeError, match="ordered sequence"):
            add_n(bad)  # type: ignore[arg-type]
    assert add_n(iter([1.0, 2.0, 3.0])).data == 6.0
    assert add_n({1.0: 0}.keys().__iter__()).data == 1.0


def test_a_masked_zero_still_reaches_its_parent_in_grad() -> None:
    # relu(log(0)) = relu(-inf): relu' is masked, so log gets exactly 0; log'(0) = 1/0 = inf,
    # and 0 * inf = nan (as PyTorch: where() gives 0, log's backward gives 0 / 0 = nan).
    # backward() and grad() agree: the zero is passed on, not skipped.
    x = Value(0.0)
    y = x.log().relu()
    y.backward()
    (g,) = grad(y, [x])
    (h,) = grad(y, [x], create_graph=True)
    assert math.isnan(x.grad) and math.isnan(g.data) and math.isnan(h.data)
    # two masked contributions: still 0, once
    z = Value(-1.0)
    (g2,) = grad(z.relu() + z.relu(), [z])
    assert g2.data == 0.0 and g2.data == 0.0


def test_both_sweeps_keep_the_sign_of_a_zero_gradient() -> None:
    from autograd import detect_anomaly

    for anomaly in (False, True):
        x = Value(1.0)
        h = x * 2.0
        y = h * -0.0  # dy/dh = -0.0: the first contribution replaces, it is not 0.0 + -0.0
        if anomaly:
            with detect_anomaly():
                y.backward()
        else:
            y.backward()
        assert h.grad == 0.0 and math.copysign(1.0, h.grad) == -1.0, anomaly


def test_anomaly_sweep_with_none_grads_and_after_an_error() -> None:
    from autograd import detect_anomaly

    x = Value(2.0)
    x.grad = None
    with detect_anomaly():
        x.backward()
        assert x.grad == 1.0
        w = Value(3.0)
        w.grad = None
        (w * w).backward()
        assert w.grad == 6.0
    z = Value(0.0)
    a = z * 1.0
    b = a.sqrt()  # d sqrt/da at 0 is inf
    c = b * 2.0
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"for its input 0 "):
        c.backward()
    assert (c.grad, b.grad, a.grad) == (1.0, 2.0, 0.0)  # a was never reached: 0, not None
    p, q = Value(1.0), Value(1e-200)  # d(p/q)/dq = -(p/q)/q = -1e400: -inf
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'div'.*for its input 1 "):
        (p / q).backward()


def test_sweep_messages() -> None:
    from autograd import no_grad

    with pytest.raises(TypeError, match=r"^backward\(\) seed must be a real number"):
        Value(1.0).backward("1")  # type: ignore[arg-type]
    with no_grad():
        y = Value(1.0) * 2.0
    expected = (
        "backward(): this Value does not require grad, so it records no graph (as in "
        "PyTorch): it was computed under no_grad(), or it is a leaf made with "
        "requires_grad=False (or frozen by requires_grad_(False)), or it was computed "
        "from such leaves only; compute it outside no_grad() from Values that require "
        "grad to differentiate it"
    )
    with pytest.raises(RuntimeError) as info:
        y.backward()
    assert str(info.value) == expected
    with pytest.raises(RuntimeError) as info:
        grad(y, [y])
    assert str(info.value) == expected.replace("backward()", "grad()", 1)


def test_a_grad_set_to_a_str_is_refused_before_any_sweep() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"^Value\.grad must be a real number .*not str"):
        x.grad = "0"  # type: ignore[assignment]
    (x * 2.0).backward()
    assert x.grad == 2.0


def test_grad_builds_no_needless_nodes_with_create_graph() -> None:
    # f = (x + 1) x: df/dx = x + (x + 1). The add node passes x on with local 1.0: the
    # contribution is x itself (no "x * 1.0" node), and the top mul's is the node x + 1.
    x = Value(2.0)
    s = x + 1.0
    (g,) = grad(s * x, [x], create_graph=True)
    assert g.data == 5.0 and g.op == "add"
    assert g.parents[0] is s and g.parents[1] is x
    # x * x: both contributions are x itself, summed once
    (h,) = grad(x * x, [x], create_graph=True)
    assert h.op == "add" and h.parents[0] is x and h.parents[1] is x


def test_a_masked_zero_is_added_as_plus_zero() -> None:
    # the mul node (made last) gives x the contribution -0.0 first; relu's masked +0.0 is
    # then added: -0.0 + 0.0 = +0.0, as backward()'s += does
    x = Value(-1.0)
    (g,) = grad(x.relu() + x * -0.0, [x])
    assert g.data == 0.0 and math.copysign(1.0, g.data) == 1.0
    (h,) = grad(x * -0.0, [x])
    assert math.copysign(1.0, h.data) == -1.0


def test_grad_messages() -> None:
    from autograd import detect_anomaly

    message = r"^grad\(\) inputs must be a Value or an ordered sequence of Values, not set$"
    with pytest.raises(TypeError, match=message):
        grad(Value(1.0), {Value(1.0)})  # type: ignore[arg-type]
    p, q = Value(1.0), Value(1e-200)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'div'.*for its input 1 "):
        grad(p / q, [q])


def test_the_sweep_function_seeds_with_one() -> None:
    from autograd.backward import backward as sweep

    x = Value(3.0)
    sweep(x * x)
    assert x.grad == 6.0


def test_a_masked_input_does_not_stop_the_others() -> None:
    # a ** b at b == 0: d/da is masked (input 0), d/db = a^b log a still flows (input 1)
    for create_graph in (False, True):
        a, b = Value(2.0), Value(0.0)
        ga, gb = grad(a**b, [a, b], create_graph=create_graph)
        assert ga.data == 0.0 and gb.data == math.log(2.0)


def test_add_n_keeps_the_sign_of_zero_for_one_and_two_terms() -> None:
    # -0.0 is the additive identity: a sum of one -0.0 (or of two) is -0.0, as IEEE's -0.0 + -0.0
    assert math.copysign(1.0, add_n([-0.0]).data) == -1.0
    assert math.copysign(1.0, add_n([-0.0, -0.0]).data) == -1.0
    assert math.copysign(1.0, add_n([0.0, -0.0]).data) == 1.0
    assert (1.0 / add_n([Value(-0.0)])).data == -INF


def test_an_interrupted_sweep_leaves_plain_float_gradients() -> None:
    from autograd import Op, apply

    class Exploding(float):
        def __rmul__(self, other: object) -> float:
            raise KeyboardInterrupt

    boom = Op("boom_local", "b", lambda x: x, lambda out, x: (1.0,), "f")
    x = Value(2.0)
    inner = x * 3.0
    middle = inner.exp()
    exploding = apply(boom, middle)
    # apply() turns a rule's numbers into built-in floats (issue 17), so the interrupt is
    # planted in the node's slot: the sweep's product g * local raises mid-sweep
    exploding._locals = Exploding(1.0)
    top = exploding * 2.0 + middle.sin()
    with pytest.raises(KeyboardInterrupt):
        top.backward()
    for node in topological_order(top):
        assert type(node.grad) is float  # no mark of the sweep is left behind
    assert inner.grad == 0.0 and x.grad == 0.0  # not reached: 0, as after a failed sweep
    top2 = (x * 3.0).exp()  # and the next sweep works: d exp(3x)/dx = 3 exp(3x)
    top2.backward()
    assert x.grad == pytest.approx(3.0 * math.exp(6.0), rel=1e-15)


# -- issue 17: exact where the mathematics is defined ------------------------------------


def _bits(x: float) -> tuple[bool, float]:
    """A float's value with its sign bit (``-0.0`` differs from ``0.0``; nan equals nan)."""
    return (math.copysign(1.0, x) < 0.0, 0.0 if math.isnan(x) else x)


def _torch_grads(fn, point, *, order: int = 1):  # type: ignore[no-untyped-def]
    """PyTorch float64: the first derivatives of ``fn`` at ``point`` (``order=1``), or the
    Hessian rows (``order=2``), as floats."""
    import torch

    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    firsts = torch.autograd.grad(fn(*xs), xs, create_graph=order == 2)
    if order == 1:
        return [g.item() for g in firsts]
    return [[h.item() for h in torch.autograd.grad(g, xs, allow_unused=True,
                                                   materialize_grads=True, retain_graph=True)]
            for g in firsts]


def _every_path(fn, point):  # type: ignore[no-untyped-def]
    """The first derivatives by backward(), grad() and grad(create_graph=True)."""
    xs = [Value(v) for v in point]
    fn(*xs).backward()
    by_backward = [x.grad for x in xs]
    xs = [Value(v) for v in point]
    by_grad = [g.data for g in grad(fn(*xs), xs)]
    xs = [Value(v) for v in point]
    by_graph = [g.data for g in grad(fn(*xs), xs, create_graph=True)]
    return by_backward, by_grad, by_graph


@pytest.mark.parametrize(
    ("fn", "point"),
    [
        (lambda x: x.log() * x, [TINY]),  # d/dx x log x = 1 + log x = -743.44 at 5e-324
        (lambda a, b: (a / b) * 1e-10, [1.0, 1e-310]),  # d/da = 1e-10 / b = 1e300
        (lambda a, b: (a / b) * 1e-10, [1.0, -1e-310]),
        (lambda x: x.log() * (x * 3.0), [1e-320]),
        (lambda a: ((a * 1e-312) / 1e-310) * (a * 1e-20), [1.5]),  # a number's reciprocal
    ],
)
def test_subnormal_reciprocals_are_divisions_on_every_path(fn, point) -> None:  # type: ignore[no-untyped-def]
    """Issue 17, case 1: on Values (create_graph=True) too, ``g * (1/x)`` of a subnormal x
    is ``g / x``: the first derivatives are backward()'s and PyTorch's, bit for bit, and so
    are the second derivatives."""
    expected = _torch_grads(fn, point)
    assert math.isfinite(expected[0])
    for path in _every_path(fn, point):
        assert list(map(_bits, path)) == list(map(_bits, expected))
    xs = [Value(v) for v in point]
    firsts = grad(fn(*xs), xs, create_graph=True, materialize_grads=True)
    hessian = [[h.data for h in grad(g, xs, materialize_grads=True)] for g in firsts]
    expected_hessian = _torch_grads(fn, point, order=2)
    assert [list(map(_bits, row)) for row in hessian] == \
        [list(map(_bits, row)) for row in expected_hessian]


def test_subnormal_reciprocal_closed_forms() -> None:
    """The same numbers from closed forms: 1 + log(5e-324) and 1e-10 / 1e-310."""
    x = Value(TINY)
    (g,) = grad(x.log() * x, [x], create_graph=True)
    assert g.data == 1.0 + math.log(TINY) and type(g) is Value
    a, b = Value(1.0), Value(1e-310)
    (ga,) = grad((a / b) * 1e-10, [a], create_graph=True)
    assert ga.data == 1e-10 / 1e-310 and math.isclose(ga.data, 1e300, rel_tol=1e-13)
    # its derivative in b is -1e-10 / b^2, beyond the float range: -inf, as PyTorch
    assert grad(ga, [b])[0].data == -INF


def test_gradcheck_order_two_through_a_subnormal_reciprocal() -> None:
    """f(a) = (a 1e-312 / 1e-310)(a 1e-20) = 1e-22 a^2: f' = 2e-22 a, f'' = 2e-22 (the old
    Value sweep multiplied by 1/1e-310 = inf)."""
    from autograd import gradcheck

    f = lambda a: ((a * 1e-312) / 1e-310) * (a * 1e-20)  # noqa: E731
    assert gradcheck(f, [1.5], order=2, atol=0.0, rtol=1e-6)
    a = Value(1.5)
    (d1,) = grad(f(a), [a], create_graph=True)
    assert math.isclose(d1.data, 3e-22, rel_tol=1e-11)
    assert math.isclose(grad(d1, [a])[0].data, 2e-22, rel_tol=1e-11)


def test_a_reciprocal_node_is_one_over_x_for_every_other_operation() -> None:
    from autograd.value import reciprocal_node

    x = Value(1e-310)
    r = reciprocal_node(x)
    assert r.data == INF and r.op == "div"
    assert (r + 1.0).data == INF and (r * x).data == 1.0  # x / x
    assert (2.0 * r).data == 2.0 / 1e-310 == (r * 2.0).data
    from autograd import no_grad

    with no_grad():  # no graph: a plain leaf holding 1/x
        leaf = reciprocal_node(Value(1e-310))
    assert type(leaf) is Value and leaf.data == INF


def _r_over_x_minus_r(r: Value, x: Value) -> Value:
    return r / x - r


ZERO_SIGN_CASES = [
    # (fn, point): every path and PyTorch give the same bits
    (lambda x: _r_over_x_minus_r(x.relu(), x), [-1.65]),  # -0.0 (div) + 0.0 (mask) = +0.0
    (lambda z: z * -0.0, [2.0]),  # one contribution, -0.0: a fresh leaf gets -0.0
    (lambda z: z * 0.0, [2.0]),
    (lambda z: (z * -0.0) + (z * -0.0), [2.0]),  # -0.0 + -0.0 = -0.0
    (lambda z: (z * -0.0) + (z * 0.0), [2.0]),
    (lambda z: (z * -0.0).relu(), [2.0]),  # masked: +0.0
    (lambda a, b: a * b, [-0.0, 0.0]),
    (lambda a, b: (a * b).sin() * -0.0, [1.0, 3.0]),
    (lambda x: x.relu() * -1.0, [0.0]),
]


@pytest.mark.parametrize(("fn", "point"), ZERO_SIGN_CASES)
def test_the_sign_of_a_zero_gradient_is_one_rule_on_every_path(fn, point) -> None:  # type: ignore[no-untyped-def]
    """Issue 17, case 2 (backward.py's rule): the IEEE sum of the contributions, from the
    first one, a mask counting +0.0; a fresh leaf receives it as it is. PyTorch's bits."""
    expected = list(map(_bits, _torch_grads(fn, point)))
    for path in _every_path(fn, point):
        assert list(map(_bits, path)) == expected, path


def test_abs_at_zero_selects_a_positive_zero_where_pytorch_multiplies() -> None:
    """The one documented difference (ops.py, issue 17 case 7): PyTorch's abs multiplies by
    sgn(0) = 0 (-1 * 0 = -0.0; inf * 0 = nan under sqrt), the engine selects +0.0 as for
    relu's kink, on every path."""
    assert _bits(_torch_grads(lambda x: x.abs() * -1.0, [0.0])[0]) == _bits(-0.0)
    assert math.isnan(_torch_grads(lambda x: x.abs().sqrt(), [0.0])[0])
    for fn in (lambda x: x.abs() * -1.0, lambda x: x.abs().sqrt()):
        for path in _every_path(fn, [0.0]):
            assert list(map(_bits, path)) == [_bits(0.0)]


def test_a_leaf_set_to_zero_accumulates_as_a_number() -> None:
    """A .grad of 0.0 set by zero_grad() or by hand is a number: 0.0 + -0.0 = +0.0 (as
    PyTorch's zero_grad(set_to_none=False)); None and a fresh leaf hold nothing yet."""
    fresh, set_zero, set_none = Value(2.0), Value(2.0), Value(2.0)
    set_zero.grad = 0.0
    set_none.grad = None
    for z in (fresh, set_zero, set_none):
        (z * -0.0).backward()
    assert _bits(fresh.grad) == _bits(-0.0) == _bits(set_none.grad)
    assert _bits(set_zero.grad) == _bits(0.0)
    assert type(Value(1.0).grad) is float and _bits(Value(1.0).grad) == _bits(0.0)
    # a second sweep adds to what the first stored: -0.0 + -0.0
    (fresh * -0.0).backward()
    assert _bits(fresh.grad) == _bits(-0.0)


def test_a_fresh_leaf_stays_fresh_through_copies_and_pickles() -> None:
    import copy
    import pickle

    from autograd.value import FRESH_GRAD

    x = Value(3.0)
    for twin in (copy.copy(x), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert twin.grad == 0.0 and twin._grad is FRESH_GRAD
        (twin * -0.0).backward()
        assert _bits(twin.grad) == _bits(-0.0)
    assert pickle.loads(pickle.dumps(FRESH_GRAD)) is FRESH_GRAD
    x.grad = 0.0
    assert copy.copy(x)._grad is not FRESH_GRAD


def test_fresh_grad_adds_as_the_first_contribution() -> None:
    from autograd.value import FRESH_GRAD

    assert _bits(FRESH_GRAD + -0.0) == _bits(-0.0) == _bits(-0.0 + FRESH_GRAD)
    assert FRESH_GRAD + 2.5 == 2.5 and type(FRESH_GRAD + 2.5) is float
    assert FRESH_GRAD == 0.0 and _bits(FRESH_GRAD * 1.0) == _bits(0.0)
