"""autograd.compile against eager, case by case (issue 15): every case gives eager's numbers
bit for bit, or runs eagerly with one warning.

Each reference is the eager engine run by hand on fresh Values (``fn(...).backward()``),
a closed form written here, or PyTorch float64. ``same`` is equality of floats with the
sign of zero, NaN equal to NaN (payloads aside).
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compile import assert_same, same  # bit for bit: 0.0 != -0.0, nan == nan

import autograd
from autograd import Op, Value, apply, detect_anomaly, no_grad
from autograd.ops import MASKED
from nn import MLP, Neuron, mse_loss

COMPILE = __import__("sys").modules["autograd.compile"]
INF = math.inf
NAN = math.nan


def compile_warning() -> type[Warning]:
    return getattr(COMPILE, "CompileWarning", Warning)


def grads(values: Sequence[Value]) -> list[float]:
    return [v.grad for v in values]


# ----------------------------------------------------------------------------------------
# 1, 2. Labels
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [("µ", "μ"), ("ｗ", "w"), ("ﬁ", "fi")])
def test_labels_python_folds_into_one_name_stay_two_variables(first: str, second: str) -> None:
    # issue 15, case 1: U+00B5 and U+03BC (and fullwidth w, the fi ligature) are one
    # identifier after NFKC: the compiled code used to add m1 twice
    m1, m2 = Value(2.0, first), Value(5.0, second)
    step = autograd.compile(lambda x: m1 * x + m2)
    assert step(1.0) == 7.0
    assert (m1.grad, m2.grad) == (1.0, 1.0)
    for label in (first, second):  # a non-ASCII label is kept in a comment
        assert label.isascii() or f"# {label!r}" in step.source


@pytest.mark.parametrize("label", ["x₀", "w²", "θ₁", "ℓ", "µ", "ｆｌｏａｔ", "float", "type",
                                   "None", "lambda", "_lock", "__version", "g_x", "v0", "a\nb",
                                   "a\x00b", "\u2028", "'''", "# x", ""])
def test_any_label_compiles_to_eagers_numbers(label: str) -> None:
    # issue 15, case 2: SyntaxError, NameError, UnboundLocalError on ordinary math labels
    p = Value(2.0, label)
    q = Value(-1.5, label)
    step = autograd.compile(lambda x: (p * x).tanh() * q + p * p)
    ref_p, ref_q = Value(2.0), Value(-1.5)
    eager = (ref_p * 0.3).tanh() * ref_q + ref_p * ref_p
    eager.backward()
    assert same(step(0.3), eager.data)
    assert_same(grads([p, q]), grads([ref_p, ref_q]))


@settings(max_examples=60, deadline=None)
@given(labels=st.lists(st.text(max_size=6), min_size=4, max_size=4),
       argument=st.floats(-3.0, 3.0))
def test_arbitrary_unicode_labels_give_eagers_numbers(labels: list[str], argument: float) -> None:
    """Hypothesis labels: parameters, intermediate nodes and the loss all labelled."""
    params = [Value(0.5 + i, labels[i]) for i in range(3)]

    def loss_fn(x: Value) -> Value:
        h = params[0] * x + params[1]
        h.label = labels[3]
        out = h.sigmoid() * params[2] - params[0] * params[1]
        out.label = labels[0]
        return out

    step = autograd.compile(loss_fn)
    refs = [Value(p.data) for p in params]
    saved = list(params)
    params[:] = refs
    eager = loss_fn(Value(argument))
    eager.backward()
    params[:] = saved
    assert same(step(argument), eager.data)
    assert_same(grads(params), grads(refs))


# ----------------------------------------------------------------------------------------
# 3. detach() and no_grad() inside the traced function
# ----------------------------------------------------------------------------------------


def test_detach_is_recomputed_on_every_call() -> None:
    # issue 15, case 3: the detached number used to be the first call's forever
    p = Value(1.5, "p")
    step = autograd.compile(lambda x: (p * x - (p * x).detach() * 0.5) ** 2)
    for x in (1.0, 2.0, -3.0):
        p.grad = 0.0
        loss = step(x)
        # closed form: (px - px/2)^2 = (px/2)^2, and d/dp with the detached part constant:
        # 2 (px - px/2) x = p x^2
        assert loss == (p.data * x - p.data * x * 0.5) ** 2
        assert p.grad == 2.0 * (p.data * x - p.data * x * 0.5) * x


def test_no_grad_inside_the_traced_function_is_recomputed_and_stops_the_gradient() -> None:
    w = Value(0.8, "w")

    def loss_fn(x: Value) -> Value:
        with no_grad():
            target = (w * x).tanh()  # a number, no gradient through it
        return (w * x - target) ** 2

    step = autograd.compile(loss_fn)
    for x in (0.5, 2.0):
        w.grad = 0.0
        ref = Value(0.8)
        with no_grad():
            target = (ref * x).tanh()
        eager = (ref * x - target) ** 2
        eager.backward()
        assert same(step(x), eager.data)
        assert same(w.grad, ref.grad)


# ----------------------------------------------------------------------------------------
# 4. Structure guards
# ----------------------------------------------------------------------------------------


def _mlp_pair() -> tuple[MLP, MLP]:
    return (MLP(2, [3, 2], activation="tanh", seed=5),
            MLP(2, [3, 2], activation="tanh", seed=5))


def _loss(model: MLP, x: list[float], y: list[float]) -> Value:
    out = model.outputs(x)
    return mse_loss(out, y[:len(out)])


def _check(step: Callable[..., float], model: MLP, ref: MLP) -> None:
    x, y = [0.5, -0.25], [0.3, -0.1]
    model.zero_grad()
    ref.zero_grad()
    loss = step(x, y)
    eager = _loss(ref, x, y)
    eager.backward()
    assert same(loss, eager.data)
    assert_same(grads(model.parameters()), grads(ref.parameters()))


@pytest.mark.parametrize("change", ["bias", "weight", "weight_same_number", "neuron", "layer",
                                    "activation", "append_layer", "pop_neuron", "w_list"])
def test_a_changed_model_is_noticed_and_retraced(change: str) -> None:
    # issue 15, case 4: the compiled step used to keep the old bias and accumulate into it
    model, ref = _mlp_pair()
    step = autograd.compile(lambda x, y: _loss(model, x, y))
    _check(step, model, ref)
    for m in (model, ref):
        last = m.layers[-1]
        if change == "bias":
            last.neurons[0].b = Value(3.0)
        elif change == "weight":
            last.neurons[1].w[2] = Value(-2.0)
        elif change == "weight_same_number":  # == cannot tell it apart: read through w
            last.neurons[1].w[2] = Value(last.neurons[1].w[2].data)
        elif change == "neuron":
            last.neurons[0] = Neuron(3, "sigmoid", rng=__import__("random").Random(3))
        elif change == "layer":
            m.layers[0] = type(m.layers[0])(2, 3, "relu", rng=__import__("random").Random(4))
        elif change == "activation":
            last.neurons[1].activation = "sigmoid"
        elif change == "append_layer":
            m.layers.append(type(last)(2, 2, "tanh", rng=__import__("random").Random(6)))
        elif change == "pop_neuron":
            last.neurons.pop()
        elif change == "w_list":
            last.neurons[0].w = [Value(0.25), Value(-0.5), Value(1.0)]
    _check(step, model, ref)
    _check(step, model, ref)  # and the new code is reused
    # a Value replaced by one of equal number is read through its list: no retrace needed
    assert step.traces == (1 if change == "weight_same_number" else 2)


def test_unchanged_models_and_harmless_assignments_do_not_retrace() -> None:
    model, ref = _mlp_pair()
    model.train()
    step = autograd.compile(lambda x, y: _loss(model, x, y))
    _check(step, model, ref)
    model.train()  # assigns training = True everywhere again: the fingerprint is the same
    other = MLP(1, [1])  # any module anywhere bumps the version
    del other
    _check(step, model, ref)
    assert step.traces == 1


def test_a_captured_list_of_parameters_is_guarded_and_a_log_list_is_not() -> None:
    params = [Value(1.0, "a"), Value(2.0, "b")]
    log: list[float] = []

    def loss_fn(x: Value) -> Value:
        log.append(1.0)
        return autograd.add_n([p * x for p in params])

    step = autograd.compile(loss_fn)
    assert step(3.0) == 9.0
    params.append(Value(4.0, "c"))
    assert step(3.0) == 21.0 and params[2].grad == 3.0
    assert step(3.0) == 21.0 and step.traces == 2


# ----------------------------------------------------------------------------------------
# 5. Threads
# ----------------------------------------------------------------------------------------


def test_threads_accumulate_exactly_as_sequential_calls() -> None:
    # issue 15, case 5: 4 threads x 100 calls gave 224x-343x one call's gradient
    def make() -> MLP:
        return MLP(2, [8, 1], activation="tanh", seed=2)

    xs = [[0.1 * i, -0.05 * i + 0.2] for i in range(24)]
    ys = [0.5 * x0 - x1 for x0, x1 in xs]
    model, ref = make(), make()
    step = autograd.compile(lambda xb, yb: mse_loss([model(x) for x in xb], yb))
    ref_step = autograd.compile(lambda xb, yb: mse_loss([ref(x) for x in xb], yb))
    step(xs, ys)
    ref_step(xs, ys)
    model.zero_grad()
    ref.zero_grad()
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        for _ in range(100):
            step(xs, ys)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for _ in range(400):
        ref_step(xs, ys)
    assert_same(grads(model.parameters()), grads(ref.parameters()))
    # and one sequential compiled call is one eager sweep
    one = make()
    mse_loss([one(x) for x in xs], ys).backward()
    for p, q in zip(ref.parameters(), one.parameters()):
        assert p.grad == pytest.approx(400.0 * q.grad, rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------------------
# 6. Reading a number while tracing
# ----------------------------------------------------------------------------------------


def test_a_branch_on_data_runs_eagerly_with_one_warning() -> None:
    # issue 15, case 6: "if y.data > 0" replayed the first call's branch forever
    w = Value(1.0, "w")

    def loss_fn(x: Value) -> Value:
        y = w * x
        if y.data > 0:
            return y * y
        return -y

    step = autograd.compile(loss_fn)
    with pytest.warns(compile_warning(), match=r"\.data"):
        assert step(2.0) == 4.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert step(-3.0) == 3.0  # the other branch
        assert step(2.0) == 4.0
    assert w.grad == 8.0 + 3.0 + 8.0


def test_logging_reads_like_micrograds_accuracy_work() -> None:
    model = MLP(2, [4, 1], seed=1)
    accuracy: list[float] = []

    def loss_fn(xb: list[list[Value]], yb: list[Value]) -> Value:
        scores = [model(x) for x in xb]
        losses = [(1 + -y * s).relu() for y, s in zip(yb, scores)]
        accuracy.append(sum((y.data > 0) == (s.data > 0) for y, s in zip(yb, scores)) / 4)
        return autograd.add_n(losses) * 0.25

    xs = [[1.0, 0.5], [-0.5, 1.0], [0.25, -1.0], [-1.0, -1.0]]
    ys = [1.0, -1.0, 1.0, -1.0]
    step = autograd.compile(loss_fn)
    with pytest.warns(compile_warning()):
        step(xs, ys)
    step(xs, ys)
    assert len(accuracy) == 2  # one per call (the trace stopped at the first read)
    ref = MLP(2, [4, 1], seed=1)
    ref_scores = [ref(x).data for x in xs]
    assert accuracy[-1] == sum((y > 0) == (s > 0) for y, s in zip(ys, ref_scores)) / 4


def test_assigning_data_while_tracing_runs_eagerly() -> None:
    w = Value(1.0, "w")

    def loss_fn(x: Value) -> Value:
        w.data = w.data * 0.5  # a side effect on a parameter: replayed only eagerly
        return w * x

    step = autograd.compile(loss_fn)
    with pytest.warns(compile_warning()):
        step(1.0)
    assert step(1.0) == 0.25 and w.data == 0.25


# ----------------------------------------------------------------------------------------
# 7, 9. Bit for bit on special numbers and custom ops
# ----------------------------------------------------------------------------------------


def test_the_first_contribution_takes_eagers_path() -> None:
    # issue 15, case 7: d log(qc)/dq at qc subnormal: eager and PyTorch give inf
    q = Value(1e-305)
    step = autograd.compile(lambda c: (q * c).log())
    step(1e-5)
    ref = Value(1e-305)
    (ref * Value(1e-5)).log().backward()
    assert ref.grad == INF and q.grad == INF
    import torch

    t = torch.tensor(1e-305, dtype=torch.float64, requires_grad=True)
    (t * 1e-5).log().backward()
    assert t.grad is not None and t.grad.item() == INF


def test_a_masked_zero_at_the_root_stays_a_plain_zero() -> None:
    # issue 15, case 7: a custom op whose derivative is the masked zero, at the root over
    # log(p x) at p = 0: eager gives 0 * inf = nan for p, compiled gave 0.0
    mask = Op("mask", "m", lambda x: 0.0, lambda out, x: (MASKED,), "d/dx = 0 (masked)")
    p = Value(0.0, "p")
    step = autograd.compile(lambda x: apply(mask, (p * x).log()))
    ref = Value(0.0)
    eager = apply(mask, (ref * Value(2.0)).log())
    eager.backward()
    assert step(2.0) == 0.0
    assert math.isnan(ref.grad) and math.isnan(p.grad)


def test_custom_op_results_are_converted_to_floats() -> None:
    # issue 15, case 9: numpy.float32 results made compiled calls compute in float32
    f32 = Op("f32", "f", lambda x: np.float32(x) * np.float32(1.1), lambda out, x: (1.5,),
             "d/dx = 1.5")
    big = Op("big", "b", lambda x: 10**400, lambda out, x: (1.0,), "d/dx = 1")
    p = Value(0.3, "p")
    step = autograd.compile(lambda x: apply(f32, p * x) * 3.0)
    loss = step(1.0)
    ref = Value(0.3)
    eager = apply(f32, ref * Value(1.0)) * 3.0
    eager.backward()
    assert type(loss) is float and same(loss, eager.data)
    assert type(p.grad) is float and same(p.grad, ref.grad)
    huge = autograd.compile(lambda x: apply(big, p * x) - 1.0)
    assert huge(1.0) == INF  # eager: Value(10**400) is inf


_EDGE = [0.0, -0.0, 5e-324, -5e-324, 2.2e-308, 1e-305, 0.5, -1.0, 3.0, 710.0, -710.0, 1e308,
         INF, -INF, NAN]


def _relu_like(x: float) -> float:
    return x if x > 0.0 else 0.0


CUBE = Op("cube3", "³", lambda x: x * x * x, lambda out, x: (3.0 * x * x,), "3x²")
CLIP = Op("clip3", "clip", _relu_like, lambda out, x: (1.0 if x > 0.0 else MASKED,),
          "1 or masked 0")


@settings(max_examples=300, deadline=None)
@given(a=st.sampled_from(_EDGE), b=st.sampled_from(_EDGE), x=st.sampled_from(_EDGE),
       shape=st.integers(0, 5))
def test_edge_points_and_custom_ops_are_eagers_bit_for_bit(
        a: float, b: float, x: float, shape: int) -> None:
    def loss_fn(p: Value, q: Value, x: Value) -> Value:
        if shape == 0:
            return apply(CLIP, p * x).log() + q.relu() * p
        if shape == 1:
            return apply(CUBE, (p / x).abs()) + (q ** 0.0) * x
        if shape == 2:
            return (p * q).sqrt().exp() - apply(CLIP, q - x)
        if shape == 3:
            return (x.relu() * p + q.abs()).tanh() * (p ** 2.0)
        if shape == 4:
            return apply(CUBE, x * q).sigmoid() * p.log()
        return (p ** q) + (x / q).softplus()

    p, q = Value(a, "p"), Value(b, "q")
    step = autograd.compile(lambda x: loss_fn(p, q, x))
    ref_p, ref_q = Value(a), Value(b)
    eager = loss_fn(ref_p, ref_q, Value(x))
    eager.backward()
    assert same(step(x), eager.data)
    assert_same(grads([p, q]), grads([ref_p, ref_q]))


# ----------------------------------------------------------------------------------------
# 8. Modes
# ----------------------------------------------------------------------------------------


def test_modes_call_the_function_with_values_as_eager_does() -> None:
    # issue 15, case 8: the fallback passed floats where the trace passes Values
    w = Value(0.5, "w")
    step = autograd.compile(lambda x: x.exp() * w)
    with no_grad():
        assert step(1.0) == math.exp(1.0) * 0.5
    assert w.grad == 0.0
    with detect_anomaly():
        assert step(1.0) == math.exp(1.0) * 0.5
    assert w.grad == math.exp(1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError):
        step(1000.0)  # exp overflows: anomaly mode still checks
    assert step(1.0) == math.exp(1.0) * 0.5  # and compiled again outside
    assert w.grad == 2.0 * math.exp(1.0) and step.traces == 1


# ----------------------------------------------------------------------------------------
# 10, 11. Size and cache limits
# ----------------------------------------------------------------------------------------


def test_the_cache_is_bounded_and_then_runs_eagerly(monkeypatch: pytest.MonkeyPatch) -> None:
    w = Value(1.5, "w")
    step = autograd.compile(lambda xs: autograd.add_n([w * x for x in xs]))
    limit = COMPILE.RECOMPILE_LIMIT
    with pytest.warns(compile_warning(), match="RECOMPILE_LIMIT"):
        for n in range(1, limit + 5):
            assert step([1.0] * n) == 1.5 * n
    assert w.grad == sum(range(1, limit + 5))
    info = step.cache_info()
    assert (info.traces, info.entries, info.eager, info.limit) == (limit, limit, 4, limit)


def test_a_graph_over_the_node_limit_runs_eagerly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(COMPILE, "MAX_NODES", 50)
    w = Value(1.0000001, "w")

    def chain(x: Value) -> Value:
        for _ in range(100):
            x = x * w
        return x

    step = autograd.compile(chain)
    with pytest.warns(compile_warning(), match="MAX_NODES = 50"):
        loss = step(2.0)
    ref = Value(1.0000001)
    eager = chain.__wrapped__(Value(2.0), ref) if hasattr(chain, "__wrapped__") else None
    del eager
    x = Value(2.0)
    for _ in range(100):
        x = x * ref
    x.backward()
    assert same(loss, x.data) and same(w.grad, ref.grad)
