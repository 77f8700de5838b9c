"""Random graphs at edge points: the engine against an independent IEEE reference.

``autograd.strategies`` draws graphs where every op is smooth, so that finite differences
mean something. This file draws graphs with no such care: inputs at 0, -0.0, subnormals,
±inf, nan, the kinks of relu and abs, huge numbers, and every op applied anywhere. The
reference is a reverse sweep written here over the same steps, with NumPy's IEEE float
functions and each op's derivative as PyTorch defines it (``derivatives.yaml``): ``log``
and ``div`` divide the incoming gradient (``grad / x``), ``relu``, ``abs`` at 0 and the
``pow`` masks *select* a zero (``where``) instead of multiplying by it. It shares no code
with the engine's rule table; it only visits nodes in the same order (reverse creation
order, operands in order), so that sums of several paths agree to rounding, and ``inf``
and ``nan`` (which are not a matter of rounding) agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from autograd import Value, apply, detect_anomaly, grad
from autograd.ops import OPS, pow_const

EDGE_POINTS = [
    0.0, -0.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308, 1.0, -1.0, 0.5, -2.5, 3.0,
    1e300, -1e300, 1.7976931348623157e308, math.inf, -math.inf, math.nan,
]
EXPONENTS = [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, -0.5, 1.5, -2.0]
UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos",
         "softplus", "pow_const"]
BINARY = ["add", "sub", "mul", "div", "pow"]
NARY = ["add_n", "wsum", "mse", "sse", "half_sse"]


def f64(x: object) -> float:
    return float(np.float64(x))




def npf(fn: Callable[..., object]) -> Callable[..., float]:
    def call(*args: float) -> float:
        with np.errstate(all="ignore"):
            return f64(fn(*[np.float64(a) for a in args]))

    return call


# + - * / are correctly rounded in NumPy as in Python; NumPy adds IEEE's inf/nan results.
add, sub, mul, div = npf(np.add), npf(np.subtract), npf(np.multiply), npf(np.divide)


def ieee(fn: Callable[[float], float], at_inf: Callable[[float], float]) -> Callable[..., float]:
    """A ``math`` function with C99's results where ``math`` raises (C99 Annex F)."""

    def call(x: float) -> float:
        if math.isinf(x):
            return at_inf(x)
        if x != x:
            return math.nan
        try:
            return fn(x)
        except OverflowError:
            return math.inf
        except ValueError:  # outside the domain: log/sqrt of a negative, log(0)
            return -math.inf if x == 0 else math.nan

    return call


log = ieee(math.log, lambda x: x if x > 0 else math.nan)
exp = ieee(math.exp, lambda x: x if x > 0 else 0.0)
sqrt = ieee(math.sqrt, lambda x: x if x > 0 else math.nan)
tanh = ieee(math.tanh, lambda x: math.copysign(1.0, x))
sin = ieee(math.sin, lambda x: math.nan)
cos = ieee(math.cos, lambda x: math.nan)
log1p = ieee(math.log1p, lambda x: x)


def power(a: float, b: float) -> float:
    """C99 ``pow``: ``pow(-inf, 0.5) = inf``, ``pow(0, -1) = inf``, ``pow(-8, 0.5) = nan``."""
    odd = math.isfinite(b) and b == int(b) and int(b) % 2 == 1
    try:
        return math.pow(a, b)
    except OverflowError:
        return -math.inf if a < 0 and odd else math.inf
    except ValueError:
        if a == 0:
            return math.copysign(math.inf, a) if odd else math.inf
        return math.nan

# Reference backward rules: (g, out, *inputs) -> contribution to each input (PyTorch's).
Rule = Callable[..., list[float]]


def _relu_bw(g: float, out: float, x: float) -> list[float]:
    return [0.0 if x <= 0 else g]  # threshold_backward: where(x <= 0, 0, grad)


def _abs_bw(g: float, out: float, x: float) -> list[float]:
    # issue 8: abs' at 0 selects 0 (a nan input has a nan forward; we select 0 there too)
    return [0.0 if x == 0 or x != x else mul(g, math.copysign(1.0, x))]


def _pow_bw(g: float, out: float, a: float, b: float) -> list[float]:
    # issue 17: at b == 0 the exact zero b a^(b-1) is multiplied (PyTorch selects 0 there);
    # the select is kept only where that product is 0 * inf or 0 * nan
    pa = power(a, b - 1.0)
    d_a = 0.0 if b == 0 and not math.isfinite(pa) else mul(g, mul(b, pa))
    d_b = 0.0 if (a == 0 and b >= 0) else mul(g, mul(out, log(a)))
    return [d_a, d_b]


def _squared_bw(scale: float | None) -> Rule:
    def rule(g: float, out: float, *args: float) -> list[float]:
        n = len(args) // 2
        c = 2.0 / n if scale is None else 2.0 * scale
        d = [mul(g, mul(c, sub(args[i], args[n + i]))) if c != 1.0
             else mul(g, sub(args[i], args[n + i])) for i in range(n)]
        return d + [-x for x in d]

    return rule


def _wsum_bw(g: float, out: float, *args: float) -> list[float]:
    n = len(args) // 2
    return [mul(g, x) for x in args[n : 2 * n]] + [mul(g, w) for w in args[:n]] + [g]


BACKWARD: dict[str, Rule] = {
    "add": lambda g, out, a, b: [g, g],
    "sub": lambda g, out, a, b: [g, -g],
    "mul": lambda g, out, a, b: [mul(g, b), mul(g, a)],
    "div": lambda g, out, a, b: [div(g, b), -mul(g, div(out, b))],
    "pow": _pow_bw,
    "neg": lambda g, out, x: [-g],
    "exp": lambda g, out, x: [mul(g, out)],
    "log": lambda g, out, x: [div(g, x)],
    "tanh": lambda g, out, x: [mul(g, sub(1.0, mul(out, out)))],
    "sigmoid": lambda g, out, x: [mul(g, mul(out, sub(1.0, out)))],
    "relu": _relu_bw,
    "sqrt": lambda g, out, x: [mul(g, div(0.5, out))],
    "abs": _abs_bw,
    "sin": lambda g, out, x: [mul(g, cos(x))],
    "cos": lambda g, out, x: [mul(g, -sin(x))],
    "softplus": lambda g, out, x: [mul(g, sig(x))],
    "add_n": lambda g, out, *xs: [g] * len(xs),
    "wsum": _wsum_bw,
    "mse": _squared_bw(None),
    "sse": _squared_bw(1.0),
    "half_sse": _squared_bw(0.5),
}


def sig(x: float) -> float:
    """The logistic function, stable on both sides."""
    if x >= 0:
        return div(1.0, add(1.0, exp(-x)))
    if x < 0:
        z = exp(x)
        return div(z, add(1.0, z))
    return math.nan


def _softplus(x: float) -> float:
    if x != x:
        return math.nan
    return add(max(x, 0.0), log1p(exp(-abs(x))))


def _sum(*xs: float) -> float:
    # the correctly rounded sum; IEEE's inf/nan where the exact sum has none
    try:
        return math.fsum(xs)
    except (ValueError, OverflowError):
        with np.errstate(all="ignore"):
            return f64(np.sum(np.array(xs, dtype=np.float64)))


def _wsum(*a: float) -> float:
    # net = ((b + w_0 x_0) + w_1 x_1) + ...: the bias first, then the products in order
    n = len(a) // 2
    total = a[-1]
    for i in range(n):
        total = add(total, mul(a[i], a[n + i]))
    return total


def _squared_fw(scale: float | None) -> Callable[..., float]:
    def forward(*args: float) -> float:
        n = len(args) // 2
        total = 0.0
        for i in range(n):
            e = sub(args[i], args[n + i])
            total = add(total, mul(e, e))
        return div(total, n) if scale is None else mul(scale, total)

    return forward


FORWARD: dict[str, Callable[..., float]] = {
    "add": add, "sub": sub, "mul": mul, "div": div, "pow": power,
    "neg": lambda x: -x, "exp": exp, "log": log, "tanh": tanh, "sigmoid": sig,
    "relu": lambda x: x if (x > 0 or x != x) else 0.0, "sqrt": sqrt, "abs": abs,
    "sin": sin, "cos": cos, "softplus": _softplus,
    "add_n": lambda *xs: xs[0] if len(xs) == 1 else add(xs[0], xs[1]) if len(xs) == 2
    else _sum(*xs),
    "wsum": lambda *a: _wsum(*a),
    "mse": _squared_fw(None), "sse": _squared_fw(1.0), "half_sse": _squared_fw(0.5),
}


@dataclass(frozen=True)
class EdgeStep:
    op: str
    operands: tuple[int, ...]
    exponent: float = 0.0


@st.composite
def edge_graphs(draw: st.DrawFn) -> tuple[list[float], list[EdgeStep]]:
    n_inputs = draw(st.integers(1, 3))
    point = [draw(st.sampled_from(EDGE_POINTS)) for _ in range(n_inputs)]
    steps = []
    for _ in range(draw(st.integers(1, 7))):
        size = n_inputs + len(steps)
        operand = st.integers(0, size - 1).map(lambda back, size=size: size - 1 - back)
        op = draw(st.sampled_from(UNARY + BINARY + NARY))
        if op in UNARY:
            arity = 1
        elif op in BINARY:
            arity = 2
        elif op == "add_n":
            arity = draw(st.integers(1, 4))
        elif op == "wsum":
            arity = 2 * draw(st.integers(1, 2)) + 1
        else:
            arity = 2 * draw(st.integers(1, 2))
        exponent = draw(st.sampled_from(EXPONENTS)) if op == "pow_const" else 0.0
        steps.append(EdgeStep(op, tuple(draw(operand) for _ in range(arity)), exponent))
    return point, steps


def row(step: EdgeStep):  # type: ignore[no-untyped-def]
    return pow_const(step.exponent) if step.op == "pow_const" else OPS[step.op]


def _values(point: list[float], steps: list[EdgeStep]) -> list[float]:
    values = list(point)
    for step in steps:
        args = [values[i] for i in step.operands]
        if step.op == "pow_const":
            values.append(power(args[0], step.exponent))
        else:
            values.append(FORWARD[step.op](*args))
    return values


def _backward_of(step: EdgeStep, g: float, out: float, args: list[float]) -> list[float]:
    if step.op == "pow_const":
        c = step.exponent
        return [0.0 if c == 0 else mul(g, mul(c, power(args[0], c - 1.0)))]
    return BACKWARD[step.op](g, out, *args)


def reference(
    point: list[float], steps: list[EdgeStep]
) -> tuple[float, list[float], list[float]]:
    """Forward, then a reverse sweep over the reachable steps (reverse order).

    Also returns, per input, the sum over paths of |contribution| (the same sweep with
    absolute values): the scale against which rounding differences are judged, so that
    a sum that cancels (``x/x``: ``g/x - g (x/x)/x``) is compared absolutely.
    """
    values = _values(point, steps)
    n = len(point)
    reachable = {len(values) - 1}
    for k in range(len(values) - 1, n - 1, -1):
        if k in reachable:
            reachable.update(steps[k - n].operands)
    # a gradient is the IEEE sum of its contributions from the first one itself (PyTorch's,
    # and autograd.backward's sign rule): None until the first contribution arrives
    grads: list[float | None] = [None] * len(values)
    scales = [0.0] * len(values)
    grads[-1] = scales[-1] = 1.0
    for k in range(len(values) - 1, n - 1, -1):
        if k not in reachable:
            continue
        step = steps[k - n]
        args = [values[i] for i in step.operands]
        g = grads[k]
        assert g is not None  # a reachable node has received a contribution
        contributions = _backward_of(step, g, values[k], args)
        magnitudes = _backward_of(step, scales[k], values[k], args)
        for i, contribution, magnitude in zip(step.operands, contributions, magnitudes):
            previous = grads[i]
            grads[i] = contribution if previous is None else add(previous, contribution)
            scales[i] = add(scales[i], abs(magnitude))
    return values[-1], [0.0 if g is None else g for g in grads[:n]], scales[:n]


def engine(point: list[float], steps: list[EdgeStep]) -> tuple[float, list[Value]]:
    xs = [Value(x) for x in point]
    pool = list(xs)
    for step in steps:
        pool.append(apply(row(step), *[pool[i] for i in step.operands]))
    return pool[-1].data, xs


def same(actual: float, expected: float, scale: float = 0.0) -> bool:
    """IEEE agreement: nan with nan, an infinity with the same infinity, finite numbers to
    rounding (relative, or relative to ``scale`` where terms cancel; the sign of zero is
    ignored)."""
    if math.isnan(expected) or math.isinf(expected):
        return math.isnan(actual) if math.isnan(expected) else actual == expected
    if not math.isfinite(actual):
        return False
    tolerance = 1e-12 * scale if math.isfinite(scale) else 0.0
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=max(tolerance, 1e-300))


@settings(max_examples=600, deadline=None)
@given(edge_graphs())
def test_edge_points_against_the_ieee_reference(graph: tuple[list[float], list[EdgeStep]]) -> None:
    point, steps = graph
    value, xs = engine(point, steps)
    expected_value, expected_grads, scales = reference(point, steps)
    assert same(value, expected_value), (value, expected_value, point, steps)
    # backward() and grad() both give the reference's gradients, as built-in floats
    root = _root(point, steps, xs)
    root.backward()
    assert all(type(x.grad) is float for x in xs)
    got = [x.grad for x in xs]
    for g, e, scale in zip(got, expected_grads, scales):
        assert same(g, e, scale), (got, expected_grads, point, steps)
    _, xs = engine(point, steps)
    root = _root(point, steps, xs)
    by_grad = [g.data for g in grad(root, xs, materialize_grads=True)]
    for g, e, scale in zip(by_grad, expected_grads, scales):
        assert same(g, e, scale), (by_grad, expected_grads, point, steps)


def _root(point: list[float], steps: list[EdgeStep], xs: list[Value]) -> Value:
    pool: list[Value] = list(xs)
    for step in steps:
        pool.append(apply(row(step), *[pool[i] for i in step.operands]))
    return pool[-1]


@settings(max_examples=200, deadline=None)
@given(edge_graphs())
# seed 30: 1/x of a huge x is subnormal; d log/d(1/x) is the float 1/(1/x) = inf, then
# inf * -0.0 = nan, as in PyTorch (the Value sweep once kept the division for a later product)
@example(([1.7976931348623157e308, 0.0],
          [EdgeStep("neg", (1,)), EdgeStep("neg", (2,)), EdgeStep("exp", (3,)),
           EdgeStep("div", (4, 0)), EdgeStep("log", (5,))]))
def test_edge_points_with_create_graph(graph: tuple[list[float], list[EdgeStep]]) -> None:
    """grad(create_graph=True) evaluates the rules on Values; its first derivatives are the
    reference's too (they are formed in another order, so only to rounding)."""
    point, steps = graph
    _, expected, scales = reference(point, steps)
    xs = [Value(x) for x in point]
    firsts = grad(_root(point, steps, xs), xs, create_graph=True,
                  materialize_grads=True)
    # On Values too, 1/x of a subnormal x divides (issue 17): no graph is compared loosely.
    for g, e, scale in zip(firsts, expected, scales):
        assert same(g.data, e, scale), (g.data, e, point, steps)


@pytest.mark.parametrize("x0", [0.0, -0.0, 5e-324, math.inf, -math.inf, math.nan])
def test_no_python_exception_at_edge_points_even_in_anomaly_mode(x0: float) -> None:
    for name in UNARY + BINARY:
        op = row(EdgeStep(name, (), 2.0))
        args = [Value(x0)] * (1 if name in UNARY else 2)
        out = apply(op, *args)
        out.backward()
        if math.isfinite(out.data) and math.isfinite(x0):
            with detect_anomaly():
                try:
                    apply(op, *[Value(x0)] * len(args)).backward()
                except FloatingPointError as error:  # allowed: it names the op
                    assert repr(op.name) in str(error)


def _bits(x: float) -> object:
    """A float as its exact bits would compare: ``-0.0 != 0.0``, every nan alike."""
    return "nan" if x != x else (x, math.copysign(1.0, x))


def _zero_signs_agree(actual: float, expected: float) -> bool:
    """Where both are zeros, the same zero (elsewhere rounding may decide, see ``same``)."""
    return not (actual == 0.0 == expected) or _bits(actual) == _bits(expected)


ZERO_POINTS = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 5e-324, math.inf]


@st.composite
def zero_graphs(draw: st.DrawFn) -> tuple[list[float], list[EdgeStep]]:
    """Edge graphs at points where zeros of both signs abound (0, -0.0, relu's mask...)."""
    point, steps = draw(edge_graphs())
    return [draw(st.sampled_from(ZERO_POINTS)) for _ in point], steps


@settings(max_examples=500, deadline=None)
@given(st.one_of(edge_graphs(), zero_graphs()))
def test_the_sign_of_a_zero_gradient_is_one_rule_on_every_path(
    graph: tuple[list[float], list[EdgeStep]],
) -> None:
    """Issue 17, case 2: backward() on fresh leaves and grad() give the same bits (a zero's
    sign included); grad(create_graph=True) and the reference (the sum of the contributions
    from the first one, a mask counting +0.0) give the same zero wherever the gradient is 0."""
    point, steps = graph
    _, expected, _ = reference(point, steps)
    xs = [Value(x) for x in point]
    _root(point, steps, xs).backward()
    by_backward = [x.grad for x in xs]
    xs = [Value(x) for x in point]
    by_grad = [g.data for g in grad(_root(point, steps, xs), xs, materialize_grads=True)]
    xs = [Value(x) for x in point]
    by_graph = [g.data for g in grad(_root(point, steps, xs), xs, create_graph=True,
                                        materialize_grads=True)]
    assert list(map(_bits, by_backward)) == list(map(_bits, by_grad)), (point, steps)
    for path in (by_backward, by_graph):
        for actual, e in zip(path, expected):
            assert _zero_signs_agree(actual, e), (path, expected, point, steps)
