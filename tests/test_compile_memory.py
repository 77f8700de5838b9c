"""autograd.compile on long programs (issue 15, "Memory and the cache"): compiled in
pieces, eager's numbers bit for bit, at most 1 kB per node while compiling."""

from __future__ import annotations

import gc
import threading
import tracemalloc
import warnings

import pytest
from test_compile import same  # bit for bit: 0.0 != -0.0, nan == nan

import autograd
from autograd import Value

COMPILE = __import__("sys").modules["autograd.compile"]


def mixed_chain(xs: list[Value], w: Value, b: Value, steps: int) -> Value:
    """A long unrolled recurrence touching many ops, two parameters, a number operand,
    a stop-gradient and a list argument (so that each piece reads and writes values that
    other pieces made)."""
    h = xs[0] * w
    for i in range(steps):
        x = xs[i % len(xs)]
        h = (h * w + x).tanh() + b * 0.5
        if i % 7 == 0:
            h = h.relu() + h.detach() * 1e-3
        if i % 11 == 0:
            h = h / (b + 2.0) - (x * x).sin()
    return h * h + b


def eager(fn, *args: object):  # type: ignore[no-untyped-def]
    return fn(*args)


@pytest.mark.parametrize("steps", [30, 900])
def test_a_long_program_is_compiled_in_pieces_with_eagers_numbers(steps: int) -> None:
    w, b = Value(0.9, "w"), Value(-0.25, "b")
    xs = [0.5, -1.0, 0.0, -0.0, 2.0, 1e-310]

    def loss_fn(values: list[Value]) -> Value:
        return mixed_chain(values, w, b, steps)

    step = autograd.compile(loss_fn)
    w2, b2 = Value(0.9), Value(-0.25)
    for call in range(3):  # the second and third calls run the cached pieces again
        loss = step(xs)
        ref = mixed_chain([Value(x) for x in xs], w2, b2, steps)
        ref.backward()
        assert same(loss, ref.data), (call, loss, ref.data)
        assert same(w.grad, w2.grad) and same(b.grad, b2.grad), (call, w.grad, w2.grad)
    pieces = step.source.count("\n# piece ")
    assert (pieces > 1) == (steps > 30), pieces  # 30 steps: one function, as before
    if pieces:
        assert "exec(_code, globals())" in step.source and "mul0 = x0 * w" not in step.source


def test_a_long_chain_over_one_parameter_sums_its_gradient_in_eagers_order() -> None:
    """10,000 terms into w.grad: the running sum adds them as the sweep does, starting from
    the gradient already there (``None`` = the -0.0 sentinel: the first term itself)."""
    w = Value(1.0 + 2.0**-40, "w")

    def chain(x: Value) -> Value:
        for _ in range(10_000):
            x = x * w
        return x

    step = autograd.compile(chain)
    w.grad = None
    loss = step(1.0 + 2.0**-30)
    ref_w = Value(1.0 + 2.0**-40)
    ref = chain.__code__ and Value(1.0 + 2.0**-30)
    x = ref
    for _ in range(10_000):
        x = x * ref_w
    x.backward()
    assert same(loss, x.data) and same(w.grad, ref_w.grad)
    assert step.source.count("\n# piece ") >= 2 * 10_000 // COMPILE.CHUNK_STATEMENTS


def test_threads_calling_a_chunked_program_add_up_exactly() -> None:
    """The pieces keep their numbers in the function's globals: calls take turns (the
    sweep lock), so 32 calls from 4 threads give what 32 calls in a row give."""
    w = Value(0.5, "w")

    def loss_fn(x: Value) -> Value:
        h = x
        for _ in range(600):
            h = (h * w).sin() + 1.0
        return h

    step = autograd.compile(loss_fn)
    assert "piece 1" in step.source_for(0.25)
    one = step(0.25)
    for _ in range(31):  # 32 calls one after another: what the threads must give too
        step(0.25)
    expected = w.grad
    w.grad = 0.0
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(8):
                assert same(step(0.25), one)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert same(w.grad, expected)


def _peak_per_node(fn, nodes: int, *args: object) -> float:  # type: ignore[no-untyped-def]
    step = autograd.compile(fn)
    gc.collect()
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", COMPILE.CompileWarning)
            assert step.source_for(*args)
        return tracemalloc.get_traced_memory()[1] / nodes
    finally:
        tracemalloc.stop()


def test_compiling_a_chain_of_ten_thousand_nodes_peaks_under_one_kilobyte_per_node() -> None:
    """Tracing, code generation and CPython's compile, measured together (tracemalloc)."""
    w = Value(1.0000001, "w")

    def chain(x: Value) -> Value:
        for _ in range(10_000):
            x = x * w
        return x

    assert _peak_per_node(chain, 10_000, 1.0) <= 1000.0


def test_the_node_limit_is_documented_and_named_in_the_warning() -> None:
    assert COMPILE.MAX_NODES >= 1_000_002  # a chain of 10^6 ops (+ x and w) compiles
    assert COMPILE.MAX_NODES * 1000 < 2 * 2**30  # refused before it would take gigabytes
    assert COMPILE.MAX_NODES == 1_200_000 and 0 < COMPILE.CHUNK_STATEMENTS <= 1000


def _batch_loss(model, xb: list[list[Value]], yb: list[Value]) -> Value:  # type: ignore[no-untyped-def]
    from nn import mse_loss

    return mse_loss([model(x) for x in xb], yb, "mean")


def test_many_parameters_and_a_batch_of_samples_are_guarded_and_read_in_bulk() -> None:
    """> 32 parameters: read, summed and written back in one line each way; a batch (a
    list of lists of numbers): its types checked in one C loop. Same numbers as eager;
    another container, a numpy number or a changed weight are still seen."""
    import numpy as np

    from nn import MLP

    model = MLP(2, [8, 8, 1], activation="tanh", output_activation="linear", seed=3)
    twin = MLP(2, [8, 8, 1], activation="tanh", output_activation="linear", seed=3)
    assert len(model.parameters()) > COMPILE._BULK_PARAMETERS
    step = autograd.compile(lambda xb, yb: _batch_loss(model, xb, yb))
    xb = [[0.1 * i - 0.5, 0.3 - 0.05 * i] for i in range(10)]
    yb = [0.01 * i for i in range(10)]

    def check(xs: object, ys: object) -> None:
        loss = step(xs, ys)
        ref = _batch_loss(twin, [[Value(float(v)) for v in x] for x in xs],  # type: ignore[attr-defined]
                          [Value(float(y)) for y in ys])  # type: ignore[attr-defined]
        ref.backward()
        assert same(loss, ref.data)
        for p, q in zip(model.parameters(), twin.parameters()):
            assert same(p.grad, q.grad), (p, q)

    check(xb, yb)
    assert "= map(_data_of, __P)" in step.source and "_set_grads(__P, (g_" in step.source
    assert "_from_iterable(xb)" in step.source and "_list_type.issuperset" in step.source
    check([*xb[:3], [np.float64(0.25), 0.5], *xb[4:]], yb)  # converted, as eager does
    assert step.traces == 1
    check([*xb[:3], (0.25, 0.5), *xb[4:]], yb)  # a tuple sample: another structure
    assert step.traces == 2
    model.parameters()[5].data = twin.parameters()[5].data = 0.75  # an optimizer's step
    check(xb, yb)


def test_many_parameters_without_a_loop_accumulate_as_eager() -> None:
    ws = [Value(0.1 * i - 1.0, f"w{i}") for i in range(40)]
    twins = [Value(w.data) for w in ws]
    for w in ws[::3]:
        w.grad = None  # the first contribution itself, as eager
    for w in twins[::3]:
        w.grad = None

    def loss_fn(xs: list[Value]) -> Value:
        return sum((w * x for w, x in zip(ws, xs)), Value(0.0)) * ws[0]

    step = autograd.compile(loss_fn)
    xs = [(-1.0) ** i * 0.5 * i for i in range(40)]
    loss = step(xs)
    ref = sum((w * Value(x) for w, x in zip(twins, xs)), Value(0.0)) * twins[0]
    ref.backward()
    assert same(loss, ref.data)
    assert all(same(w.grad, t.grad) for w, t in zip(ws, twins))
    assert "= map(_data_of, __P)" in step.source and "_set_grads" not in step.source


def test_compiling_the_mlp_step_peaks_under_one_kilobyte_per_node() -> None:
    from autograd import topological_order
    from benchmarks import workloads

    model, _ = workloads._mlp_model()
    xs, ys = workloads.mlp_data(100)
    nodes = len(topological_order(_batch_loss(model, [[Value(v) for v in x] for x in xs],
                                              [Value(y) for y in ys])))
    assert _peak_per_node(lambda xb, yb: _batch_loss(model, xb, yb), nodes, xs, ys) <= 1000.0
