"""autograd.compile: the generated code computes what the eager engine computes, bit for bit.

Every comparison is against the eager engine run on the same numbers (``fn(*args)
.backward()`` on fresh Values), against the article's hand-derived delta rule, or against
closed forms written here; ``same`` means equal floats with the same sign of zero, or both
NaN.
"""

from __future__ import annotations

import contextlib
import math
import random
import re
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Op, Value, detect_anomaly, no_grad
from autograd.compile import TEMPLATES, Compiled, CompileWarning, build, generate, structure
from autograd.ops import pow_const
from autograd.strategies import CONSTANT_EXPONENTS, Expression, expressions
from autograd.value import apply
from nn import MLP, SGD, article, mse_loss

COMPILE_MODULE = __import__("sys").modules["autograd.compile"]
INF = math.inf
NAN = math.nan
TINY = 5e-324  # the smallest subnormal
EDGE = [0.0, -0.0, TINY, -TINY, 2.2e-308, 0.5, -0.5, 1.0, -1.0, 2.5, -3.0, 20.0, 710.0,
        -710.0, 1e308, -1e308, INF, -INF, NAN]


def same(a: float, b: float) -> bool:
    """Equal floats with the same sign (so 0.0 and -0.0 differ), or both NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def assert_same(got: Sequence[float], expected: Sequence[float]) -> None:
    assert len(got) == len(expected)
    bad = [(i, g, e) for i, (g, e) in enumerate(zip(got, expected)) if not same(g, e)]
    assert not bad, f"(index, compiled, eager): {bad[:10]}"


# ----------------------------------------------------------------------------------------
# The article
# ----------------------------------------------------------------------------------------


def test_article_gradients_are_the_engines_and_the_delta_rules() -> None:
    model = article.build_network()
    step = autograd.compile(lambda: article.forward(model).J)
    loss = step()
    params = article.article_parameters(model)
    compiled = {name: p.grad for name, p in params.items()}

    eager_model = article.build_network()
    p = article.forward(eager_model)
    p.J.backward()
    assert same(loss, p.J.data)
    assert_same([compiled[n] for n in article.PARAMETER_NAMES],
                [p.params[n].grad for n in article.PARAMETER_NAMES])
    hand = article.hand_gradients()
    for name in article.PARAMETER_NAMES:
        assert compiled[name] == pytest.approx(hand[name], rel=1e-13, abs=1e-18)
    # Mazur's published figures: E_total = 0.298371109, dE/dw5 (our w4) = 0.082167041
    assert loss == pytest.approx(0.298371109, abs=1e-9)
    assert compiled["w4"] == pytest.approx(0.082167041, abs=1e-9)


def test_article_source_reads_as_the_delta_rule() -> None:
    model = article.build_network()
    step = autograd.compile(lambda: article.forward(model).J)
    step()
    lines = {line.strip() for line in step.source.splitlines()}
    expected = [
        "net3 = b3 + w5 * a0 + w7 * a1",          # net3 = w5 a0 + w7 a1 + b3
        "g_o1 = (o1 - y1)",                       # dJ/do1 = -(y1 - o1)
        "g_net3 = g_o1 * (o1 * (1.0 - o1))",      # δ3 = dJ/do1 * o1(1 - o1)
        "g_w5 = g_net3 * a0",                     # dJ/dw5 = δ3 * a0
        "g_b3 = g_net3",
        "g_a0 = g_net3 * w5 + g_net2 * w4",       # the hidden neuron's sum over its outputs
        "g_net0 = g_a0 * (a0 * (1.0 - a0))",      # δ0 = (δ2 w4 + δ3 w5) a0(1 - a0)
        "g_w0 = g_net0 * x0",
        "_w5._grad += g_w5",                      # the gradient slot, a float
        "x0 = 0.05",                              # labelled constants keep their names
        "return J",
    ]
    for line in expected:
        assert line in lines, f"{line!r} not in\n{step.source}"


def test_article_training_with_sgd_follows_the_eager_engine_step_by_step() -> None:
    x, y = list(article.WORKED_EXAMPLE.inputs), list(article.WORKED_EXAMPLE.targets)
    compiled_model, eager_model = article.build_network(), article.build_network()
    step = autograd.compile(lambda xs, ys: mse_loss(compiled_model(xs), ys, "half_sum"))
    opt_c = SGD(compiled_model.parameters(), lr=0.5)
    opt_e = SGD(eager_model.parameters(), lr=0.5)
    for _ in range(20):
        opt_c.zero_grad()
        loss_c = step(x, y)
        opt_c.step()  # the next call must read the updated .data
        loss_e = mse_loss(eager_model(x), y, "half_sum")
        opt_e.zero_grad()
        loss_e.backward()
        opt_e.step()
        assert same(loss_c, loss_e.data)
    assert_same([p.data for p in compiled_model.parameters()],
                [p.data for p in eager_model.parameters()])
    assert step.traces == 1


# ----------------------------------------------------------------------------------------
# MLPs
# ----------------------------------------------------------------------------------------


def _svm_loss(model: MLP, xs: Sequence[Sequence[Value]], ys: Sequence[Value]) -> Value:
    """micrograd's demo: max-margin loss plus L2 regularisation."""
    scores = [model(x) for x in xs]
    losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss  # type: ignore[no-any-return]


def _moons(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    rng = random.Random(seed)
    xs = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    return xs, [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in xs]


def _eager_run(make: Callable[[], MLP], loss_fn: Callable[..., Value],
               *args: object) -> tuple[float, list[float]]:
    model = make()
    loss = loss_fn(model, *args)
    loss.backward()
    return loss.data, [p.grad for p in model.parameters()]


@pytest.fixture(params=["rolled", "straight"])
def rolling(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with repeated subgraphs rolled into loops, and with straight-line code."""
    if request.param == "straight":
        monkeypatch.setattr(COMPILE_MODULE, "_ROLL_MIN", 10**9)
    return str(request.param)


def test_relu_mlp_with_micrograds_svm_loss_matches_eager_bit_for_bit(rolling: str) -> None:
    def make() -> MLP:
        return MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=3)

    model = make()
    step = autograd.compile(lambda xs, ys: _svm_loss(model, xs, ys))
    for seed in (0, 1):  # the same structure twice: traced once
        xs, ys = _moons(12, seed)
        model.zero_grad()
        loss = step(xs, ys)
        eager_loss, eager_grads = _eager_run(make, _svm_loss, xs, ys)
        assert same(loss, eager_loss)
        assert_same([p.grad for p in model.parameters()], eager_grads)
    assert step.traces == 1
    # the relu kinks were recorded as ops, not as branches
    assert "if" in step.source and "> 0.0" in step.source
    assert ("12 repeated subgraphs" in step.source) == (rolling == "rolled")


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "half_sum"])
def test_smooth_mlps_match_eager(activation: str, reduction: str, rolling: str) -> None:
    def make() -> MLP:
        return MLP(3, [5, 4, 2], activation=activation, seed=7)

    def loss_fn(model: MLP, xs: list[list[float]], ys: list[list[float]]) -> Value:
        outputs = [o for x in xs for o in model(x)]
        return mse_loss(outputs, [t for y in ys for t in y], reduction)

    rng = random.Random(5)
    xs = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(9)]
    ys = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(9)]
    model = make()
    step = autograd.compile(lambda a, b: loss_fn(model, a, b))
    loss = step(xs, ys)
    eager_loss, eager_grads = _eager_run(make, loss_fn, xs, ys)
    assert same(loss, eager_loss)
    assert_same([p.grad for p in model.parameters()], eager_grads)


def test_a_parameter_used_hundreds_of_times_is_summed_in_the_engines_order(
    rolling: str,
) -> None:
    w = Value(0.3, "w")
    step = autograd.compile(lambda xs: autograd.add_n([(w * x).tanh() for x in xs]))
    rng = random.Random(1)
    xs = [rng.uniform(-3, 3) * (i % 7 + 1) for i in range(300)]
    w.grad = 0.1  # accumulation starts from a non-zero .grad
    loss = step(xs)
    ref = Value(0.3)
    ref.grad = 0.1
    eager = autograd.add_n([(ref * x).tanh() for x in xs])
    eager.backward()
    assert same(loss, eager.data) and same(w.grad, ref.grad)
    assert max(line.count(" + ") for line in step.source.splitlines()) <= 64  # sums split


# ----------------------------------------------------------------------------------------
# Random expression graphs and every op at edge points
# ----------------------------------------------------------------------------------------

_points = st.lists(st.one_of(st.sampled_from(EDGE), st.floats(-5.0, 5.0)), min_size=3,
                   max_size=3)


@settings(max_examples=150, deadline=None)
@given(expr=expressions(max_steps=10), n_params=st.integers(0, 3), other=_points)
def test_random_graphs_match_eager_here_and_at_edge_points(
    expr: Expression, n_params: int, other: list[float]
) -> None:
    """Some inputs are parameters (captured), the rest arguments; the compiled step must
    give eager's loss and gradients at the trace point and at a second point (edge values
    included: 0, -0.0, subnormals, inf, nan)."""
    k = min(n_params, expr.n_inputs)

    def run(point: Sequence[float]) -> None:
        got_params = [Value(v, f"x{i}") for i, v in enumerate(point[:k])]
        step = autograd.compile(lambda *args: expr(*got_params, *args))
        # trace at the strategy's own point, then run at `point`
        trace_params = [p.data for p in got_params]
        for p, v in zip(got_params, expr.point[:k]):
            p.data = v
        step.source_for(*expr.point[k:])
        for p, v in zip(got_params, trace_params):
            p.data = v
        ref_params = [Value(v) for v in point[:k]]
        try:
            eager = expr(*ref_params, *[Value(v) for v in point[k:]])
        except (OverflowError, ValueError):  # math.fsum's own errors (add_n): the compiled
            # code raises them too, unless the add_n is not under the loss (eager makes
            # every node of the expression; compiled code only the loss's)
            with contextlib.suppress(OverflowError, ValueError):
                step(*point[k:])
            return
        eager.backward()
        loss = step(*point[k:])
        assert same(loss, eager.data), (loss, eager.data)
        assert_same([p.grad for p in got_params], [p.grad for p in ref_params])

    run(expr.point)
    run([other[i % 3] for i in range(expr.n_inputs)])


def _single_op_rows() -> list[tuple[str, Op, int]]:
    rows = []
    for name, op in sorted(OPS.items()):
        if name == "pow_const":
            continue
        arities = [op.arity] if op.arity is not None else [
            op.group[0] * n + op.group[1] for n in (1, 2, 3)]
        rows += [(f"{name}/{a}", op, a) for a in arities]
    rows += [(f"pow_const[{c:g}]", pow_const(c), 1) for c in (*CONSTANT_EXPONENTS, -2.0, 1e300)]
    return rows


@pytest.mark.parametrize(("name", "op", "arity"), _single_op_rows(),
                         ids=[r[0] for r in _single_op_rows()])
def test_every_template_is_the_op_row_at_edge_points(name: str, op: Op, arity: int) -> None:
    """The generated forward and gradients equal the Op row's forward and local_grads
    (evaluated here directly, not through the engine) at every edge point."""
    params = [Value(1.0, f"p{i}") for i in range(arity)]
    step = autograd.compile(lambda: apply(op, *params))
    step()
    assert ".forward(" not in step.source  # the row's template, not a call of the row
    rng = random.Random(hash(name) & 0xFFFF)
    points = [[v] * arity for v in EDGE] + [
        [rng.choice(EDGE) for _ in range(arity)] for _ in range(150)]
    for point in points:
        for p, v in zip(params, point):
            p.data, p.grad = v, 0.0
        try:
            out = op.forward(*point)
        except (OverflowError, ValueError) as error:  # math.fsum's own errors (add_n)
            with pytest.raises(type(error)):
                step()
            continue
        loss = step()
        assert same(loss, out), (point, loss, out)
        expected = op.local_grads(out, *point)
        # backward() seeds 1.0 and adds into .grad = 0.0: 0.0 + 1.0 * d
        assert_same([p.grad for p in params], [0.0 + 1.0 * d for d in expected])


def test_templates_cover_the_whole_rule_table() -> None:
    assert set(TEMPLATES) == set(OPS)


def test_a_custom_op_without_a_template_is_called_through_its_row() -> None:
    cube = Op("cube", "³", lambda x: x * x * x, lambda out, x: (3.0 * x * x,), "d x³/dx = 3x²")
    w = Value(1.5, "w")
    step = autograd.compile(lambda x: apply(cube, w * x) + w)
    loss = step(2.0)
    assert loss == 1.5 * 2.0 * (1.5 * 2.0) * (1.5 * 2.0) + 1.5
    assert w.grad == 3.0 * 3.0 * 3.0 * 2.0 + 1.0  # d/dw (wx)^3 + w = 3 (wx)^2 x + 1
    assert "__op0_cube" in step.source and ".local_grads(" in step.source


# ----------------------------------------------------------------------------------------
# IEEE edge points, identical to eager
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fn", "x", "loss", "grad"), [
    (lambda w, x: (w * x).relu(), 0.0, 0.0, 0.0),          # relu at its kink: slope 0
    (lambda w, x: (w * x).relu(), -0.0, 0.0, -0.0),        # relu(-0.0) = 0.0; 0 * -0.0 (issue 17)
    (lambda w, x: (w * x).relu(), -INF, 0.0, NAN),         # masked slope 0, then 0 * -inf
    (lambda w, x: (w * x).log(), 0.0, -INF, NAN),          # log(0) = -inf; 1/0 * 0 = nan
    (lambda w, x: 1.0 / (w * x), 0.0, INF, NAN),           # 1/0 = inf; -inf/0 * 0 = nan
    (lambda w, x: w / x, 0.0, INF, INF),                   # w/0 = inf, d/dw = 1/0 = inf
    (lambda w, x: (w * x).exp(), 1000.0, INF, INF),        # overflow is inf
    (lambda w, x: (w * x) ** 0.5, -8.0, NAN, NAN),         # (-8) ** 0.5 = nan
    (lambda w, x: (w * x).abs(), 0.0, 0.0, 0.0),           # |x|' = 0 at 0, as PyTorch
    (lambda w, x: (w * x).sigmoid(), -1000.0, 0.0, -0.0),  # stable sigmoid; 0 * -1000 = -0.0
])
def test_edge_points_are_identical_to_eager(
    fn: Callable[[Value, Value], Value], x: float, loss: float, grad: float
) -> None:
    w = Value(1.0, "w")
    step = autograd.compile(lambda a: fn(w, a))
    got = step(x)
    ref = Value(1.0)
    eager = fn(ref, Value(x))
    eager.backward()
    assert same(got, eager.data) and same(w.grad, ref.grad)
    assert same(got, loss) and same(w.grad, grad)  # the closed forms, by hand


# ----------------------------------------------------------------------------------------
# Tracing and caching
# ----------------------------------------------------------------------------------------


def test_traced_once_per_structure_and_reused() -> None:
    w = Value(2.0, "w")
    calls: list[int] = []

    def fn(xs: list[float], c: float) -> Value:
        calls.append(1)
        return autograd.add_n([w * x for x in xs]) * c

    step = autograd.compile(fn)
    assert step([1.0, 2.0], 3.0) == 2.0 * 3.0 * 3.0
    assert step([4.0, 5.0], 1.0) == 18.0
    assert step.traces == 1 and len(calls) == 1
    assert step([1.0, 2.0, 3.0], 1.0) == 12.0  # a new length: traced again
    assert step.traces == 2
    assert step((1.0, 2.0), 1.0) == 6.0        # a tuple is another structure
    assert step([1, 2], 1) == 6.0              # ints are numbers: the first structure
    assert step.traces == 3 and len(calls) == 3
    assert w.grad == 9.0 + 9.0 + 6.0 + 3.0 + 3.0


def test_nested_lists_and_argument_names() -> None:
    w = Value(0.5, "w")
    step = autograd.compile(lambda batch, t: autograd.add_n(
        [w * x for row in batch for x in row]) - t)
    assert step([[1.0, 2.0], [3.0]], 1.0) == 0.5 * 6.0 - 1.0
    assert "def step(batch, t):" in step.source
    assert "    (batch0_0, batch0_1), (batch1_0,) = batch\n" in step.source
    assert step([[1.0], [2.0, 3.0]], 0.0) == 3.0
    assert step.traces == 2
    assert w.grad == 12.0


def test_source_for_traces_without_running() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x)
    source = step.source_for(3.0)
    assert w.grad == 0.0 and step.traces == 1
    assert "g_w = x" in source and source == step.source
    assert step.source_for(5.0) is source and step.traces == 1


def test_sums_where_sum_is_compensated_are_written_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython 3.12+ sums floats compensated: the code then writes parameter and node sums
    as chains of + (still the engine's order) and wsum as the engine's own sum(); on a
    plain-sum build the result must still equal eager bit for bit."""
    monkeypatch.setattr(COMPILE_MODULE, "_SUM_IS_PLAIN", False)
    monkeypatch.setattr(COMPILE_MODULE, "_ROLL_MIN", 10**9)
    test_smooth_mlps_match_eager("tanh", "mean", "straight")
    test_a_parameter_used_hundreds_of_times_is_summed_in_the_engines_order("straight")
    w = Value(2.0, "w")
    step = autograd.compile(lambda x, y: autograd.add_n([w * x, w * y]).tanh())
    step(0.1, 0.2)
    assert "_add_n(mul0, mul1, )" in step.source  # the row's own forward


@settings(max_examples=60, deadline=None)
@given(expr=expressions(min_inputs=2, max_inputs=3, max_steps=8), copies=st.integers(8, 12),
       n_params=st.integers(1, 2), prior=st.sampled_from([0.0, -0.0, 0.25]))
def test_repeated_random_subgraphs_roll_into_a_loop_that_matches_eager(
    expr: Expression, copies: int, n_params: int, prior: float
) -> None:
    """``copies`` instances of a random expression, each on its own arguments and on the
    same parameters, summed: rolled into one loop, and equal to eager bit for bit."""
    k = min(n_params, expr.n_inputs - 1)
    rng = random.Random(copies)
    rows = [[rng.uniform(-2.0, 2.0) for _ in range(expr.n_inputs - k)] for _ in range(copies)]
    params = [Value(v, f"p{i}") for i, v in enumerate(expr.point[:k])]
    ref = [Value(v) for v in expr.point[:k]]
    for p in params + ref:
        p.grad = prior
    step = autograd.compile(lambda batch: autograd.add_n([expr(*params, *row) for row in batch]))
    try:
        eager = autograd.add_n([expr(*ref, *[Value(v) for v in row]) for row in rows])
    except (OverflowError, ValueError):  # math.fsum's own errors (add_n)
        return
    eager.backward()
    loss = step(rows)
    assert same(loss, eager.data)
    assert_same([p.grad for p in params], [p.grad for p in ref])
    assert f"{copies} repeated subgraphs" in step.source


def test_subgraphs_that_cannot_be_one_loop_are_still_exact() -> None:
    """Repeated shapes that break a loop's conditions: another shape (or none) is rolled,
    and the numbers stay eager's."""
    w = Value(0.5, "w")
    xs = [0.1 * i - 0.3 for i in range(10)]

    def interleaved(batch: list[Value]) -> Value:  # all products first, then all tanh
        products = [w * x for x in batch]
        return autograd.add_n([p.tanh() for p in products])

    def leaky(batch: list[Value]) -> Value:  # an inner node is read outside its instance
        first = []
        outs = []
        for x in batch:
            p = w * x
            first.append(p)
            outs.append(p.tanh())
        return autograd.add_n(outs) * first[0]

    def mixed_slots(batch: list[Value]) -> Value:  # x*w + x, then x*w + another x
        terms = [batch[i] * w + (batch[i] if i < 9 else batch[0]) for i in range(10)]
        return autograd.add_n([t.exp() for t in terms])

    for fn in (interleaved, leaky, mixed_slots):
        w.grad = 0.0
        step = autograd.compile(fn)
        got = step(xs)
        compiled_grad = w.grad
        # the loop never covers the tanh/exp subgraphs: they break a loop's conditions
        assert not re.search(r"for .*:\n(        .*\n)*        \w+ = _(tanh|exp)\(", step.source)
        w.grad = 0.0
        eager = fn([Value(x) for x in xs])
        eager.backward()
        assert same(got, eager.data) and same(compiled_grad, w.grad), fn.__name__


def test_gradients_accumulate_across_calls_as_backward_does() -> None:
    w = Value(0.7, "w")
    step = autograd.compile(lambda x: (w * x).tanh() + w * w)
    ref = Value(0.7)
    for x in (0.3, -1.1, 2.0):
        step(x)
        ((ref * x).tanh() + ref * ref).backward()
        assert same(w.grad, ref.grad)


def test_a_python_branch_on_a_number_runs_eagerly_with_one_warning() -> None:
    # issue 15, case 6: the branch taken at the first call used to be replayed forever
    w = Value(1.0, "w")

    def fn(x: float) -> Value:
        loss = w * x
        if loss > 0:
            return loss * loss
        return -loss

    step = autograd.compile(fn)
    with pytest.warns(CompileWarning, match=r"comparison \(>\) of a Value"):
        assert step(2.0) == 4.0
    assert w.grad == 8.0  # d/dw (wx)^2 = 2 w x^2
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once
        assert step(-3.0) == 3.0  # the other branch: -wx, d/dw = -x
    assert w.grad == 8.0 + 3.0
    assert step.cache_info().eager == 1 and step.traces == 0


def test_captured_numbers_become_literals_and_held_values_stay_parameters() -> None:
    held = Value(3.0, "k")  # referenced from here: a parameter
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x * 10.0 + held * 1.5)
    assert step(1.0) == 2.0 * 1.0 * 10.0 + 4.5
    assert w.grad == 10.0 and held.grad == 1.5  # eager: both are leaves it sweeps into
    assert "10.0" in step.source and "_k._grad += g_k" in step.source
    assert not re.search(r"\b_p\d", step.source)  # the wrapped numbers are not parameters


def test_modes_run_the_function_eagerly() -> None:
    w = Value(0.0, "w")
    step = autograd.compile(lambda x: (w * x).log())
    with detect_anomaly(), pytest.raises(FloatingPointError):
        step(1.0)  # log(0): the anomaly check still works
    assert step.traces == 0
    with no_grad():
        assert step(1.0) == -INF
    assert w.grad == 0.0  # no graph under no_grad: nothing to accumulate
    # once traced, the generated code itself sends calls inside a mode to eager
    w.data = 1.0
    assert step(2.0) == math.log(2.0) and w.grad == 1.0 and step.traces == 1
    with detect_anomaly(), pytest.raises(FloatingPointError):
        step(0.0)
    with no_grad():
        assert step(2.0) == math.log(2.0)
    assert w.grad == 1.0 and step.traces == 1


def test_returned_leaves_and_functions_without_parameters() -> None:
    w = Value(4.0, "w")
    assert autograd.compile(lambda: w)() == 4.0
    assert w.grad == 1.0  # eager: w.backward() seeds a leaf with 1.0
    assert autograd.compile(lambda x: x)(3.0) == 3.0
    assert autograd.compile(lambda x, y: x * y + 1.0)(2.0, 5.0) == 11.0


def test_labels_become_unique_identifiers() -> None:
    a = Value(1.0, "J(W)")
    b = Value(2.0, "if")
    c = Value(3.0, "abs")
    d = Value(4.0, "δ0")
    e = Value(5.0, "_args")
    f = Value(6.0, "2x")
    g = Value(7.0, "g_w")     # would collide with w's gradient variable
    h = Value(8.0, "J(W)")    # the same label twice
    i = Value(9.0, "w")
    j = Value(10.0, "v3")     # the fallback form: never kept
    k = Value(11.0, "mul0")   # the form of unlabelled nodes: never kept
    values = (a, b, c, d, e, f, g, h, i, j, k)
    step = autograd.compile(lambda: autograd.add_n(list(values)).abs())
    assert step() == 66.0
    assert [v.grad for v in values] == [1.0] * 11
    names = re.findall(r"^    (\w+) = _\w+\._data(?:  # (.*))?$", step.source, re.MULTILINE)
    assert len({n for n, _ in names}) == 11, step.source
    kept = {n for n, comment in names if not comment}
    assert kept == {"g_w"}, step.source  # w's g_w is taken: w gets a fallback too
    assert all(re.fullmatch(r"v[0-9]+(_\w*)?", n) for n, comment in names if comment)
    comments = sorted(comment for _, comment in names if comment)
    assert comments == sorted(repr(v.label) for v in values if v is not g)


@pytest.mark.parametrize(("args", "message"), [
    (("1.0",), "argument 1 must be a real number"),
    ((None,), "not NoneType"),
    (([1.0, "x"],), r"argument 1\[1\]"),
    ((Value(1.0),), "is a Value: .* captured by the function itself"),
    (({"a": 1.0},), "not dict"),
])
def test_bad_arguments_are_type_errors(args: tuple[object, ...], message: str) -> None:
    step = autograd.compile(lambda x: Value(1.0, "w") * 1.0)
    with pytest.raises(TypeError, match=message):
        step(*args)


def test_a_non_value_result_or_a_non_function_is_a_type_error() -> None:
    # the trace reads .data (a warning, then the eager call), and the result is a float
    with pytest.raises(TypeError, match="must return a Value"), \
            pytest.warns(CompileWarning, match="while tracing, .data of a Value"):
        autograd.compile(lambda x: 2.0 * x.data)(1.0)
    with pytest.raises(TypeError, match="needs a function"):
        autograd.compile(3.0)  # type: ignore[arg-type]


def test_huge_ints_and_bools_are_numbers_as_in_value() -> None:
    w = Value(1.0, "w")
    step = autograd.compile(lambda x: w * x)
    assert step(10**400) == INF and step(True) == 1.0
    assert structure((10**400, -(10**400), False)) == ((None, None, None), [INF, -INF, 0.0])
    assert structure(([1, 2.0], (3.0,), [[4.0]], [])) == (
        (2, (tuple, (None,)), (list, (1,)), 0), [[1.0, 2.0], (3.0,), [[4.0]], []])


def test_compiled_object_and_generate() -> None:
    def my_loss(x: float) -> Value:
        return Value(1.0, "w") * x

    step = autograd.compile(my_loss)
    assert isinstance(step, Compiled) and step.__name__ == "my_loss"
    assert step.source == "" and "traces=0" in repr(step)
    step(2.0)
    assert step.source.startswith("def my_loss(x):")
    a = Value(2.0, "a")
    root = a * Value(3.0, "b")  # b: held by the graph only, a constant
    program = generate(root, [])
    assert "return mul0" in program.source and program.namespace["_a"] is a
    assert "    b = 3.0\n" in program.source and "_b" not in program.namespace
    # defaults: a function "step" without header or guard, runnable as it is
    assert program.source.startswith("def step():\n    # forward\n")
    assert "_retrace" not in program.source
    assert build(program)() == 6.0 and a.grad == 3.0
    u = Value(0.5)  # an unlabelled parameter: a fallback name v<k>_p, held as _v<k>_p
    program = generate(u * a, [])
    name = re.search(r"(v[0-9]+_p) = _v[0-9]+_p\._data", program.source)
    assert name is not None, program.source
    assert program.namespace["_" + name[1]] is u
    assert f"_{name[1]}._grad += g_{name[1]}" in program.source


# ----------------------------------------------------------------------------------------
# python -m nn.article --show-code
# ----------------------------------------------------------------------------------------


def _printed_function(text: str) -> str:
    start = text.index("def article_loss():")
    end = text.index("    return J\n", start) + len("    return J\n")
    return text[start:end]


def test_show_code_prints_code_whose_gradients_are_the_articles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert article.main(["--show-code", "--no-graph"]) == 0
    text = capsys.readouterr().out
    code = _printed_function(text)
    # Run the printed code itself, on stand-in parameter objects holding the example's numbers.
    from types import SimpleNamespace

    from autograd.compile import HELPERS

    example = article.WORKED_EXAMPLE
    values = {**example.weights, **example.biases}
    # the generated code reads a parameter's slots: _data (its number), _grad (a float)
    params = {name: SimpleNamespace(_data=v, _grad=0.0) for name, v in values.items()}
    namespace = {**HELPERS, **{f"_{name}": p for name, p in params.items()}}
    exec(code, namespace)
    cost = namespace["article_loss"]()
    hand = article.hand_gradients()
    for name in article.PARAMETER_NAMES:
        assert params[name]._grad == pytest.approx(hand[name], rel=1e-12, abs=1e-20), name
    assert cost == pytest.approx(article.hand_forward()["J"], rel=1e-15)
    # each backward line beside the article's formula
    for left, right in [
        ("g_w5 = g_net3 * a0", "dJ/dw5 = -(y1 - o1) * o1(1 - o1) * a0"),
        ("g_net3 = g_o1 * (o1 * (1.0 - o1))", "δ3 = dJ/dnet3 = -(y1 - o1) * o1(1 - o1)"),
        ("g_a0 = g_net3 * w5 + g_net2 * w4", "dJ/da0 = δ2*w4 + δ3*w5"),
        ("g_w0 = g_net0 * x0", "dJ/dw0 = δ0 * x0 = (δ2*w4 + δ3*w5) * a0(1 - a0) * x0"),
    ]:
        assert re.search(rf"^  {re.escape(left)} +<->  {re.escape(right)}$", text, re.MULTILINE)
    assert "_retrace" not in code  # the argument guard is not shown
    worst = float(re.search(r"largest \|difference\| (\S+)\n", text).group(1))  # type: ignore[union-attr]
    assert worst < 1e-15


@pytest.mark.subprocess
def test_show_code_command_line() -> None:
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.run([sys.executable, "-m", "nn.article", "--show-code", "--no-graph"],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "g_w5 = g_net3 * a0" in proc.stdout and "<->" in proc.stdout


# ----------------------------------------------------------------------------------------
# Loops over repeated subgraphs: when they are made, and what they must not merge
# ----------------------------------------------------------------------------------------


def _compiled_and_eager(fn: Callable[[list[Value]], Value], xs: list[float],
                        params: Sequence[Value]) -> str:
    """Run ``fn`` compiled and eagerly on the same numbers; assert the loss and every
    parameter's gradient agree bit for bit; return the generated source."""
    for p in params:
        p.grad = 0.0
    step = autograd.compile(fn)
    got = step(xs)
    compiled_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    eager = fn([Value(x) for x in xs])
    eager.backward()
    assert same(got, eager.data)
    assert_same(compiled_grads, [p.grad for p in params])
    return step.source


def test_a_loop_needs_eight_copies_and_may_start_after_other_nodes() -> None:
    w = Value(0.5, "w")
    for copies, rolled in ((7, False), (8, True)):
        def fn(batch: list[Value]) -> Value:
            extra = w * 3.0  # made before the copies: the loop starts at node 1
            return autograd.add_n([(w * x).tanh() for x in batch]) + extra

        source = _compiled_and_eager(fn, [0.1 * i for i in range(copies)], [w])
        assert (f"{copies} repeated subgraphs of 2 nodes" in source) == rolled, source


def test_copies_with_their_own_parameters_or_ops_are_not_merged() -> None:
    ws = [Value(0.1 * i + 0.2, f"w{i}") for i in range(10)]
    w = Value(0.7, "w")

    def own_parameters(batch: list[Value]) -> Value:
        return autograd.add_n([(wi * x).tanh() for wi, x in zip(ws, batch)])

    def alternating_ops(batch: list[Value]) -> Value:
        return autograd.add_n([(w * x).tanh() if i % 2 else (w * x).sigmoid()
                               for i, x in enumerate(batch)])

    def swapped_reuse(batch: list[Value]) -> Value:  # (a*w + b*w) * a, then ... * b
        pairs = list(zip(batch[::2], batch[1::2]))
        return autograd.add_n([(a * w + b * w) * (a if i else b) for i, (a, b) in
                               enumerate(pairs)])

    same_valued = [Value(0.5, f"v{i}") for i in range(10)]  # equal numbers, other nodes

    def own_equal_parameters(batch: list[Value]) -> Value:
        return autograd.add_n([(vi * x).tanh() for vi, x in zip(same_valued, batch)])

    xs = [0.3 * i - 1.0 for i in range(20)]
    assert "repeated" not in _compiled_and_eager(own_parameters, xs[:10], ws)
    assert "repeated" not in _compiled_and_eager(own_equal_parameters, xs[:10], same_valued)
    assert "10 repeated" not in _compiled_and_eager(alternating_ops, xs[:10], [w])
    assert "10 repeated" not in _compiled_and_eager(swapped_reuse, xs, [w])


def test_copies_without_arguments_and_arguments_also_read_outside() -> None:
    w = Value(0.4, "w")

    def no_arguments(batch: list[Value]) -> Value:
        return autograd.add_n([(w * 2.0).tanh() for _ in range(9)]) * batch[0]

    def argument_read_outside(batch: list[Value]) -> Value:
        return autograd.add_n([(w * x).tanh() for x in batch]) * batch[0] + batch[-1]

    source = _compiled_and_eager(no_arguments, [1.5], [w])
    assert "for _ in range(9):" in source
    source = _compiled_and_eager(argument_read_outside, [0.2 * i + 0.1 for i in range(9)], [w])
    assert "9 repeated subgraphs" in source


def test_an_empty_list_argument() -> None:
    w = Value(1.5, "w")
    step = autograd.compile(lambda xs, y: autograd.add_n([w * x for x in xs] + [w * y]))
    assert step([], 2.0) == 3.0 and w.grad == 2.0
    assert "    [] = xs\n" in step.source


def _pow_const_impostors() -> list[Op]:
    def closure(c: float) -> Op:
        def local_grads(out: float, x: float) -> tuple[float, ...]:
            return (c * x ** (c - 1),)

        return Op("pow_const", "**c", lambda x: x**c, local_grads, "x^c")

    plain = Op("pow_const", "**3", lambda x: x**3, lambda out, x: (3.0 * x * x,), "x^3")
    return [plain, closure(3), closure(3.0)]  # no c; an int c; not the table's own row


@pytest.mark.parametrize("op", _pow_const_impostors())
def test_an_op_named_pow_const_that_is_not_the_tables_runs_its_own_functions(op: Op) -> None:
    w = Value(1.25, "w")
    step = autograd.compile(lambda x: apply(op, w * x))
    assert step(2.0) == 2.5**3 and w.grad == 3.0 * 2.5 * 2.5 * 2.0
    assert "_custom_forward(" in step.source


def test_captured_special_numbers_are_written_as_literals() -> None:
    w = Value(1.5, "w")

    def fn(x: Value) -> Value:
        return w * -2.0 + (w * x) * -INF + (w + NAN) * 0.0 + (w + -0.0) + w * INF

    step = autograd.compile(fn)
    got = step(1.0)
    for literal in ("(-2.0)", "(-_inf)", "_nan", "(-0.0)", "_inf"):
        assert literal in step.source, literal
    ref = Value(1.5)
    eager = ref * -2.0 + (ref * 1.0) * -INF + (ref + NAN) * 0.0 + (ref + -0.0) + ref * INF
    eager.backward()
    assert same(got, eager.data) and same(w.grad, ref.grad)
    w.grad = 0.0
    neg_zero = autograd.compile(lambda: w * -0.0)
    assert same(neg_zero(), -0.0) and same(w.grad, 0.0)  # w.grad = 0.0 + 1.0 * -0.0
    assert "(-0.0)" in neg_zero.source


def test_headers_describe_the_structure_and_tuples_stay_tuples() -> None:
    w = Value(2.0, "w")
    seen: list[type] = []

    def fn(pair: tuple[float, float], rows: list[list[float]], t: float) -> Value:
        seen.extend((type(pair), type(rows)))
        return w * pair[0] + w * pair[1] + autograd.add_n([w * v for r in rows for v in r]) * t

    step = autograd.compile(fn)
    assert step((1.0, 2.0), [[3.0], [4.0, 5.0]], 1.0) == 2.0 * 15.0
    assert seen == [tuple, list]
    assert "fn(pair: tuple[number, number], rows: list[list[1], list[2]], t: number)" in (
        step.source)


def test_the_op_row_is_found_by_name_when_a_node_does_not_carry_it() -> None:
    from types import SimpleNamespace

    assert COMPILE_MODULE._row(SimpleNamespace(op="mul")) is OPS["mul"]
    with pytest.raises(TypeError, match="cannot find the op 'nope'"):
        COMPILE_MODULE._row(SimpleNamespace(op="nope"))


def test_weighted_sums_of_four_or_more_terms_use_the_engines_sum() -> None:
    from nn import Neuron

    for nin, mapped in ((3, False), (4, True)):
        neuron = Neuron(nin, activation="linear", rng=random.Random(nin))
        step = autograd.compile(neuron)
        step([0.5] * nin)
        assert ("_sum(map(_mul," in step.source) == mapped


def test_where_sum_is_compensated_even_short_weighted_sums_use_the_engines_sum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(COMPILE_MODULE, "_SUM_IS_PLAIN", False)
    model = article.build_network()
    step = autograd.compile(lambda: article.forward(model).J)
    step()
    assert "net0 = _sum(map(_mul, (w0, w2, ), (x0, x1, )), b0)" in step.source


# ----------------------------------------------------------------------------------------
# Numbers as operands (not nodes): literals in their place, gradients for the Values only
# ----------------------------------------------------------------------------------------

_NUMBER_OPERANDS = [0.0, -0.0, TINY, -2.5, 3.0, INF, NAN]


@pytest.mark.parametrize(("name", "op", "arity"),
                         [r for r in _single_op_rows() if r[2] >= 2],
                         ids=[r[0] for r in _single_op_rows() if r[2] >= 2])
def test_a_number_operand_in_any_position_is_a_literal_and_gets_no_gradient(
    name: str, op: Op, arity: int
) -> None:
    """``apply(op, ..., number, ...)``: the compiled forward and the Values' gradients equal
    the Op row's own forward and local_grads (evaluated here, on floats) with the number
    in its place, at every edge point; the number is written into the code."""
    rng = random.Random(hash(name) & 0xFFFF)
    for position in range(arity):
        for number in _NUMBER_OPERANDS:
            params = [Value(1.0, f"p{i}") for i in range(arity - 1)]

            def fn(params: list[Value] = params, position: int = position,
                   number: float = number) -> Value:
                operands: list[Value | float] = list(params)
                operands.insert(position, number)
                return apply(op, *operands)

            step = autograd.compile(fn)
            source = step.source_for()
            assert COMPILE_MODULE._literal(number) in source, (position, number, source)
            points = [[v] * (arity - 1) for v in (0.0, -0.0, 1.0, -3.0, INF, NAN)] + [
                [rng.choice(EDGE) for _ in range(arity - 1)] for _ in range(8)]
            for point in points:
                for p, v in zip(params, point):
                    p.data, p.grad = v, 0.0
                inputs = list(point)
                inputs.insert(position, number)
                try:
                    out = op.forward(*inputs)
                except (OverflowError, ValueError) as error:  # math.fsum's own (add_n)
                    with pytest.raises(type(error)):
                        step()
                    continue
                loss = step()
                assert same(loss, out), (position, number, point, loss, out)
                rules = list(op.local_grads(out, *inputs))
                del rules[position]  # the number's entry: no node, no gradient
                assert_same([p.grad for p in params], [0.0 + 1.0 * d for d in rules])


def test_operators_and_layers_with_numbers_match_eager_and_the_closed_forms() -> None:
    from nn import Neuron

    w = Value(0.75, "w")
    ws = [Value(0.15, "wa"), Value(0.2, "wb")]
    b = Value(0.35, "b")
    neuron = Neuron(2, activation="tanh", rng=random.Random(4))

    def fn(x: Value, w: Value = w, ws: list[Value] = ws, b: Value = b,
           neuron: Neuron = neuron) -> Value:
        terms = [2.0 - w, w - 2.0, 2.0 / w, w / 4.0, 2.0 ** w, w ** 3.0, 3.0 * w, w * x,
                 1.0 + w, autograd.weighted_sum(ws, [0.05, 0.1], b),
                 neuron([0.5, -1.5]), mse_loss([w * x, b], [0.01, 0.99], "half_sum")]
        return autograd.add_n(terms)

    step = autograd.compile(fn)
    loss = step(1.25)
    params = [w, *ws, b, *neuron.parameters()]
    compiled = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    eager = fn(Value(1.25))
    eager.backward()
    assert same(loss, eager.data)
    assert_same(compiled, [p.grad for p in params])
    # closed forms, by hand: d/dw of each term that reads w, in order
    x = 1.25
    dw = [-1.0, 1.0, -2.0 / (0.75 * 0.75), 1.0 / 4.0, 2.0**0.75 * math.log(2.0),
          3.0 * 0.75**2, 3.0, x, 1.0, (0.75 * x - 0.01) * x]
    assert compiled[0] == pytest.approx(sum(dw), rel=1e-14)
    assert compiled[1:3] == [0.05, 0.1]
    assert compiled[3] == pytest.approx(1.0 + (0.35 - 0.99), rel=1e-14)
    for literal in ("2.0 - w", "w - 2.0", "0.05", "0.1", "0.99", "0.5", "(-1.5)"):
        assert literal in step.source, literal
    assert not re.search(r"\b_p\d", step.source)  # no number became a parameter


def test_article_with_captured_float_inputs_and_targets_matches_eager() -> None:
    x, y = list(article.WORKED_EXAMPLE.inputs), list(article.WORKED_EXAMPLE.targets)
    model, ref = article.build_network(), article.build_network()
    step = autograd.compile(lambda: mse_loss(model(x), y, "half_sum"))
    loss = step()
    eager = mse_loss(ref(x), y, "half_sum")
    eager.backward()
    assert same(loss, eager.data)
    assert_same([p.grad for p in model.parameters()], [p.grad for p in ref.parameters()])
    assert loss == pytest.approx(0.298371109, abs=1e-9)  # Mazur's published E_total
    assert "0.05" in step.source and "0.99" in step.source


def test_numbers_in_repeated_subgraphs_roll_only_when_they_are_the_same() -> None:
    w = Value(0.6, "w")

    def same_number(batch: list[Value]) -> Value:
        return autograd.add_n([(2.5 - w * x).tanh() for x in batch])

    def alternating_numbers(batch: list[Value]) -> Value:
        return autograd.add_n([(float(i % 2) - w * x).tanh() for i, x in enumerate(batch)])

    def alternating_sides(batch: list[Value]) -> Value:  # 2.5 - wx, then wx - 2.5
        return autograd.add_n([(2.5 - w * x if i % 2 else w * x - 2.5).tanh()
                               for i, x in enumerate(batch)])

    def negative_zero(batch: list[Value]) -> Value:  # 0.0 and -0.0 are different literals
        return autograd.add_n([(w * x + (0.0 if i % 2 else -0.0)).tanh()
                               for i, x in enumerate(batch)])

    xs = [0.25 * i - 1.0 for i in range(10)]
    assert "10 repeated" in _compiled_and_eager(same_number, xs, [w])
    assert "10 repeated" not in _compiled_and_eager(alternating_numbers, xs, [w])
    assert "10 repeated" not in _compiled_and_eager(alternating_sides, xs, [w])
    assert "10 repeated" not in _compiled_and_eager(negative_zero, xs, [w])


def test_constant_leaves_from_as_value_are_still_literals() -> None:
    """A leaf only the graph holds is a constant, however the graph holds it: in a parents
    tuple, bare in a one-parent node's slot, in the inputs of a node that also has
    numbers (each of these references is counted)."""
    from autograd.value import as_value

    w = Value(1.5, "w")

    def fn(x: Value) -> Value:
        c = as_value(4.0)  # w * c: a parents tuple
        k = as_value(0.5)  # k * 2.0: bare parent and inputs (k, 2.0); k.tanh(): bare
        j = Value(0.25, "j")  # weighted_sum: parents (j, w), inputs (j, 2.0, w)
        return (w * c + w * x + (k * 2.0) * w + k.tanh() * w
                + autograd.weighted_sum([j], [2.0], w))

    step = autograd.compile(fn)
    x = 2.0
    assert step(x) == 1.5 * 4.0 + 1.5 * x + 1.0 * 1.5 + math.tanh(0.5) * 1.5 + (0.5 + 1.5)
    assert w.grad == 4.0 + x + 1.0 + math.tanh(0.5) + 1.0
    assert "4.0" in step.source and "    j = 0.25\n" in step.source, step.source
    assert not re.search(r"\b_p\d|_j\b", step.source), step.source  # no constant is a parameter


def test_a_custom_op_with_a_number_operand_gets_it_in_its_place() -> None:
    scaled_diff = Op("scaled_diff", "sd", lambda a, c, b: c * (a - b),
                     lambda out, a, c, b: (c, a - b, -c), "c (a - b)", arity=3)
    w = Value(1.5, "w")
    v = Value(0.5, "v")
    step = autograd.compile(lambda x: apply(scaled_diff, w * x, 3.0, v))
    assert step(2.0) == 3.0 * (3.0 - 0.5)
    assert w.grad == 3.0 * 2.0 and v.grad == -3.0  # d/dw = c x, d/dv = -c
    assert re.search(r"3\.0, v\w*\)", step.source)


# ----------------------------------------------------------------------------------------
# Gradients that start as None, and the argument guard
# ----------------------------------------------------------------------------------------


def test_none_gradients_start_at_zero_and_become_floats_as_in_eager(rolling: str) -> None:
    """After ``zero_grad(set_to_none=True)`` the compiled step gives eager's gradients bit
    for bit: a None gradient counts as -0.0, IEEE's identity of +, so the first
    contribution is taken as it is (``-0.0`` included); no None is left on a parameter
    that got a gradient, and one the loss does not reach keeps its None, as in eager."""
    def make() -> MLP:
        return MLP(2, [3, 1], activation="tanh", seed=11)

    def loss_fn(model: MLP, unused: Value, xs: list[list[float]]) -> Value:
        with no_grad():
            unused * 2.0
        w = model.parameters()[0]
        return autograd.add_n([model(x) for x in xs]) + w * -0.0

    xs = [[0.1 * i, -0.2 * i + 0.3] for i in range(9)]
    model, ref = make(), make()
    unused, ref_unused = Value(1.0, "unused"), Value(1.0)
    step = autograd.compile(lambda batch: loss_fn(model, unused, batch))
    for calls in (1, 2):  # the second call accumulates onto the first
        if calls == 1:
            SGD([*model.parameters(), unused], lr=0.1).zero_grad(set_to_none=True)
            SGD([*ref.parameters(), ref_unused], lr=0.1).zero_grad(set_to_none=True)
        loss = step(xs)
        eager = loss_fn(ref, ref_unused, xs)
        eager.backward()
        assert same(loss, eager.data)
        got = [p.grad for p in model.parameters()]
        assert all(type(g) is float for g in got), got
        assert_same(got, [p.grad for p in ref.parameters()])
        assert unused.grad is None and ref_unused.grad is None
    assert ("9 repeated subgraphs" in step.source) == (rolling == "rolled")
    # the -0.0 start, by hand: None + (1.0 * -0.0) is -0.0, where 0.0 + -0.0 would be 0.0
    w = Value(3.0, "w")
    w.grad = None
    signed = autograd.compile(lambda: w * -0.0)
    assert same(signed(), -0.0) and same(w.grad, -0.0)
    w.grad = 0.0
    signed()
    assert same(w.grad, 0.0)


class _MyFloat(float):
    """A float subclass (as NumPy's float64): converted to a built-in float on the way in."""


def test_the_guard_sends_other_lengths_types_and_containers_back_to_the_dispatcher() -> None:
    w = Value(0.5, "w")
    step = autograd.compile(lambda xs, c: autograd.add_n([w * x for x in xs]) * c)
    xs = [0.25 * i for i in range(10)]
    expected = 0.5 * sum(xs) * 2.0
    assert step(xs, 2.0) == expected and "_float_type.issuperset" in step.source
    mixed = [*xs[:8], 2, xs[9]]  # an int (0.25 * 8) in a long list: the same structure
    assert step(mixed, 2.0) == expected and step.traces == 1
    sub = step([_MyFloat(x) for x in xs], _MyFloat(2.0))
    assert type(sub) is float and sub == expected and type(w.grad) is float
    assert step(xs[:3], 2.0) == 0.5 * sum(xs[:3]) * 2.0 and step.traces == 2  # too short
    assert step([*xs, 1.0], 2.0) == 0.5 * (sum(xs) + 1.0) * 2.0 and step.traces == 3
    assert step(tuple(xs[:3]), 2.0) == 0.5 * sum(xs[:3]) * 2.0 and step.traces == 4
    class MyList(list):  # type: ignore[type-arg]
        pass

    assert step(MyList(xs), 2.0) == expected and step.traces == 4  # as a plain list
    with pytest.raises(TypeError, match="must be a real number or a list of them, not gen"):
        step((x for x in xs), 2.0)
    with pytest.raises(TypeError, match="argument 1 is a Value"):
        step(Value(1.0), 2.0)  # not a sequence: unpacking fails, the dispatcher explains
    nested = autograd.compile(lambda rows: autograd.add_n([w * v for r in rows for v in r]))
    assert nested([[1.0, 2.0], [3.0]]) == 3.0
    assert nested([[1.0], [2.0, 3.0]]) == 3.0 and nested.traces == 2  # inner lengths
    # the same lengths in other containers, each sent to the first structure's own code
    assert nested([[1.0, 2.0], [3.0]]) == 3.0 and nested.traces == 2
    assert nested(([1.0, 2.0], [3.0])) == 3.0 and nested.traces == 3  # an outer tuple
    assert nested([[1.0, 2.0], [3.0]]) == 3.0 and nested.traces == 3
    assert nested([[1.0, 2.0], (3.0,)]) == 3.0 and nested.traces == 4  # an inner tuple
    with pytest.raises(TypeError, match="'Value' object is not iterable"):
        nested([[1.0, 2.0], 3.0])  # a number for a list: traced anew, and fn itself fails
    with no_grad():
        before = w.grad
        assert nested([[1.0, 2.0], [3.0]]) == 3.0 and w.grad == before  # eager, no sweep


def test_a_number_and_a_leaf_in_the_same_place_are_not_merged_into_one_loop() -> None:
    """Instances that read a number where others read a parameter differ (whichever comes
    first); a number and a constant leaf of the same value are the same literal."""
    from autograd.value import as_value

    w = Value(0.6, "w")
    q = Value(2.0, "q")

    def leaf_first(batch: list[Value]) -> Value:
        return autograd.add_n([(w * x * (q if i % 2 == 0 else 2.0)).tanh()
                               for i, x in enumerate(batch)])

    def number_first(batch: list[Value]) -> Value:
        return autograd.add_n([(w * x * (2.0 if i % 2 == 0 else q)).tanh()
                               for i, x in enumerate(batch)])

    def number_or_constant(batch: list[Value]) -> Value:
        return autograd.add_n([(w * x * (2.0 if i % 2 else as_value(2.0))).tanh()
                               for i, x in enumerate(batch)])

    def number_or_argument(batch: list[Value]) -> Value:  # 2.0 where others read an x
        pairs = list(zip(batch[::2], batch[1::2]))
        return autograd.add_n([(w * a * (2.0 if i % 2 == 0 else b)).tanh()
                               for i, (a, b) in enumerate(pairs)])

    def number_before_a_placeholder(batch: list[Value]) -> Value:  # (2.5 - x): x 2nd
        return autograd.add_n([(2.5 - x).tanh() * w for x in batch])

    xs = [0.25 * i - 1.0 for i in range(10)]
    assert "10 repeated" not in _compiled_and_eager(leaf_first, xs, [w, q])
    assert "10 repeated" not in _compiled_and_eager(number_first, xs, [w, q])
    assert "10 repeated" in _compiled_and_eager(number_or_constant, xs, [w])
    assert "repeated" not in _compiled_and_eager(number_or_argument, xs + xs, [w])
    assert "10 repeated" in _compiled_and_eager(number_before_a_placeholder, xs, [w])
