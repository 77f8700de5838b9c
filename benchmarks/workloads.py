"""The measured workloads: one function per table row and side.

Each function runs one measurement in the current process and returns a dict of plain
numbers (JSON-ready). :mod:`benchmarks.worker` calls exactly one of them per fresh process,
so no run inherits another's heap, caches or garbage-collector state. The garbage collector
stays at Python's defaults everywhere a time is taken: that is the cost a user pays.

Both sides of a row do the same computation, and each function returns a number that lets
the runner check it (a loss, a cost, a gradient against its closed form).
"""

from __future__ import annotations

import gc
import itertools
import math
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

Result = dict[str, Any]

#: The MLP row's architecture: 2 inputs, two hidden layers of 16, one output.
MLP_SIZES = (2, 16, 16, 1)
MLP_LR = 0.05
#: The memory and chain rows multiply by this constant at every step: x <- x * CHAIN_FACTOR.
CHAIN_FACTOR = 1.0000001


# ----------------------------------------------------------------------------------------
# a. MLP 2-16-16-1 training step on n samples, mean squared error, SGD.
# ----------------------------------------------------------------------------------------


def mlp_data(samples: int, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """``samples`` points ``x`` uniform in ``[-1, 1]^2`` with targets ``y = x0 * x1``."""
    rng = random.Random(seed)
    xs = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(samples)]
    return xs, [x0 * x1 for x0, x1 in xs]


def mlp_initial_parameters(seed: int = 1) -> list[float]:
    """Initial parameters in micrograd's order (layer by layer, neuron by neuron: its
    weights, then its bias): weights uniform in ``[-1, 1]`` as micrograd draws them,
    biases ``0`` as micrograd sets them. Both sides start from exactly these numbers."""
    rng = random.Random(seed)
    params: list[float] = []
    for nin, nout in itertools.pairwise(MLP_SIZES):
        for _ in range(nout):
            params.extend(rng.uniform(-1.0, 1.0) for _ in range(nin))
            params.append(0.0)
    return params


def _load(parameters: Sequence[Any], values: Sequence[float]) -> None:
    if len(parameters) != len(values):
        raise ValueError(f"model has {len(parameters)} parameters, expected {len(values)}")
    for p, v in zip(parameters, values):
        p.data = v


def _compile_seconds(compiled: Any, *args: Any) -> float:
    """Seconds of a compiled function's first trace, code generation and compile for
    ``args`` (``source_for`` does that work without running the step)."""
    start = time.perf_counter()
    compiled.source_for(*args)
    return time.perf_counter() - start


def _time_steps(step: Any, steps: int, seconds: float) -> Result:
    """One untimed warm-up step, then timed steps, at least ``steps`` of them and for at
    least ``seconds``; the mean seconds per step.

    A time floor gives both sides of a row measuring windows of similar length, so that
    both meet the same machine noise (the fast side would otherwise be timed over a far
    shorter window, and a noisy or a quiet moment would swing its number alone).
    """
    first_loss = step()
    done = 0
    start = time.perf_counter()
    while True:
        step()
        done += 1
        elapsed = time.perf_counter() - start
        if done >= steps and elapsed >= seconds:
            break
    return {"seconds": elapsed / done, "steps": done, "first_loss": first_loss}


def mlp_ours(samples: int, steps: int, seconds: float = 0.0) -> Result:
    """Our engine through the ``nn`` API: ``model(x)`` per sample, ``mse_loss(outputs, ys)``
    (one node), ``opt.zero_grad()``, ``loss.backward()``, ``opt.step()``; relu hidden
    layers and a linear output, as micrograd's MLP."""
    from nn import SGD, mse_loss

    model, params = _mlp_model()
    opt = SGD(params, lr=MLP_LR)
    xs, ys = mlp_data(samples)

    def step() -> float:
        outputs = [model(x) for x in xs]
        loss = mse_loss(outputs, ys, "mean")
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return _time_steps(step, steps, seconds)


def mlp_micrograd(samples: int, steps: int, seconds: float = 0.0) -> Result:
    """micrograd 0.1.0: ``MLP(2, [16, 16, 1])`` (relu hidden, linear output), loss
    ``sum((o - y)**2) / n`` built from its own ops, ``zero_grad``, ``backward``, SGD."""
    from micrograd.nn import MLP

    model = MLP(MLP_SIZES[0], list(MLP_SIZES[1:]))
    params = model.parameters()
    _load(params, mlp_initial_parameters())
    xs, ys = mlp_data(samples)

    def step() -> float:
        outputs = [model(x) for x in xs]
        loss = sum((o - y) ** 2 for o, y in zip(outputs, ys)) / len(xs)
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= MLP_LR * p.grad
        return float(loss.data)

    return _time_steps(step, steps, seconds)


def _mlp_model() -> tuple[Any, list[Any]]:
    from nn import MLP

    # activations given explicitly: relu hidden layers, a linear output (micrograd's MLP)
    model = MLP(MLP_SIZES[0], list(MLP_SIZES[1:]), activation="relu",
                output_activation="linear", seed=0)
    params = model.parameters()
    _load(params, mlp_initial_parameters())
    return model, params


def mlp_compiled(samples: int, steps: int, seconds: float = 0.0) -> Result:
    """Our engine, compiled: ``step = autograd.compile(loss of the batch)``; each step is
    ``opt.zero_grad()``, ``step(xs, ys)``, ``opt.step()``. The first call traces and
    compiles (timed apart, as ``compile_seconds``), then the steps are timed as the others."""
    import autograd
    from nn import SGD, mse_loss

    model, params = _mlp_model()
    opt = SGD(params, lr=MLP_LR)
    xs, ys = mlp_data(samples)
    compiled = autograd.compile(lambda xb, yb: mse_loss([model(x) for x in xb], yb, "mean"))
    compile_seconds = _compile_seconds(compiled, xs, ys)

    def step() -> float:
        opt.zero_grad()
        loss = compiled(xs, ys)
        opt.step()
        return loss

    result = _time_steps(step, steps, seconds)
    return {**result, "compile_seconds": compile_seconds, "traces": compiled.traces}


def mlp_float_layers() -> list[tuple[list[list[float]], list[float]]]:
    """The MLP's initial parameters as ``(weight rows, biases)`` per layer, plain floats."""
    it = iter(mlp_initial_parameters())
    layers = []
    for nin, nout in itertools.pairwise(MLP_SIZES):
        rows: list[list[float]] = []
        biases: list[float] = []
        for _ in range(nout):
            rows.append([next(it) for _ in range(nin)])
            biases.append(next(it))
        layers.append((rows, biases))
    return layers


def mlp_floats(samples: int, steps: int, seconds: float = 0.0) -> Result:
    """The same training step hand-written with floats and lists: per sample a forward
    pass keeping each layer's input, the backward pass of the mean squared error through
    the linear output and the relu layers (delta rule), gradients summed over the batch;
    then the SGD update. No engine. Returns the loss and, as a check, the parameters."""
    layers = mlp_float_layers()
    xs, ys = mlp_data(samples)
    last = len(layers) - 1
    n = len(xs)
    lr = MLP_LR

    def step() -> float:
        grads = [([[0.0] * len(row) for row in rows], [0.0] * len(biases))
                 for rows, biases in layers]
        total = 0.0
        for x, y in zip(xs, ys):
            inputs = []
            h = x
            for k, (rows, biases) in enumerate(layers):
                inputs.append(h)
                z = [sum(w * v for w, v in zip(row, h)) + b for row, b in zip(rows, biases)]
                h = z if k == last else [v if v > 0.0 else 0.0 for v in z]
            error = h[0] - y
            total += error * error
            deltas = [2.0 / n * error]  # dL/dz of the output neuron
            for k in range(last, -1, -1):
                rows, _ = layers[k]
                g_rows, g_biases = grads[k]
                h = inputs[k]
                for j, d in enumerate(deltas):
                    g_biases[j] += d
                    g_row = g_rows[j]
                    for i, v in enumerate(h):
                        g_row[i] += d * v
                if k:  # through the weights, then the relu below (h > 0 where z > 0)
                    deltas = [sum(d * rows[j][i] for j, d in enumerate(deltas))
                              if h[i] > 0.0 else 0.0 for i in range(len(h))]
        for (rows, biases), (g_rows, g_biases) in zip(layers, grads):
            for row, g_row in zip(rows, g_rows):
                for i, g in enumerate(g_row):
                    row[i] -= lr * g
            for j, g in enumerate(g_biases):
                biases[j] -= lr * g
        return total / n

    result = _time_steps(step, steps, seconds)
    return {**result, "parameters": mlp_float_parameters(layers)}


def mlp_float_parameters(layers: Sequence[tuple[list[list[float]], list[float]]]) -> list[float]:
    """The parameters of :func:`mlp_float_layers` in micrograd's (and our) order."""
    return [v for rows, biases in layers for row, b in zip(rows, biases) for v in (*row, b)]


# ----------------------------------------------------------------------------------------
# b. One training iteration of the article's 2-2-2 sigmoid network.
# ----------------------------------------------------------------------------------------

#: The worked example: inputs, targets, w0..w7, b0..b3 and the learning rate.
ARTICLE_X = (0.05, 0.10)
ARTICLE_Y = (0.01, 0.99)
ARTICLE_W = (0.15, 0.25, 0.20, 0.30, 0.40, 0.50, 0.45, 0.55)
ARTICLE_B = (0.35, 0.35, 0.60, 0.60)
ARTICLE_LR = 0.5


def _article_model() -> tuple[Any, list[Any]]:
    """The article's network with the worked example's numbers; its 8 weights in order."""
    from nn import MLP

    model = MLP(2, [2, 2], activation="sigmoid", seed=0)
    hidden, output = model.layers
    # The article's w_(2i + k) is neuron k's weight for input i (net0 = w0 x0 + w2 x1 + b0).
    weights = [layer.neurons[k].w[i] for layer in (hidden, output) for i in (0, 1)
               for k in (0, 1)]
    biases = [layer.neurons[k].b for layer in (hidden, output) for k in (0, 1)]
    _load(weights, ARTICLE_W)
    _load(biases, ARTICLE_B)
    return model, weights


def article_ours(iterations: int, warmup: int = 1, seconds: float = 0.0) -> Result:
    """Our engine through the ``nn`` API: ``model(x)``, ``mse_loss(out, y, "half_sum")``,
    ``opt.zero_grad()``, ``loss.backward()``, ``opt.step()`` (SGD on the 8 weights)."""
    from nn import SGD, mse_loss

    model, weights = _article_model()
    opt = SGD(weights, lr=ARTICLE_LR)
    x = list(ARTICLE_X)
    y = list(ARTICLE_Y)

    def iteration() -> float:
        cost = mse_loss(model(x), y, "half_sum")
        opt.zero_grad()
        cost.backward()
        opt.step()
        return cost.data

    return _time_iterations(iteration, iterations, warmup, seconds,
                            lambda: [p.data for p in weights])


def article_compiled(iterations: int, warmup: int = 1, seconds: float = 0.0) -> Result:
    """Our engine, compiled: ``step = autograd.compile(lambda x, y: mse_loss(model(x), y,
    "half_sum"))`` traced once (timed apart, as ``compile_seconds``); each iteration is
    ``opt.zero_grad()``, ``step(x, y)``, ``opt.step()``."""
    import autograd
    from nn import SGD, mse_loss

    model, weights = _article_model()
    opt = SGD(weights, lr=ARTICLE_LR)
    x = list(ARTICLE_X)
    y = list(ARTICLE_Y)
    compiled = autograd.compile(lambda xs, ys: mse_loss(model(xs), ys, "half_sum"))
    compile_seconds = _compile_seconds(compiled, x, y)

    def iteration() -> float:
        opt.zero_grad()
        cost = compiled(x, y)
        opt.step()
        return cost

    result = _time_iterations(iteration, iterations, warmup, seconds,
                              lambda: [p.data for p in weights])
    return {**result, "compile_seconds": compile_seconds, "traces": compiled.traces}


def article_floor(iterations: int, warmup: int = 1, seconds: float = 0.0) -> Result:
    """The pure-Python floor: the same iteration written by hand with floats (forward,
    the article's delta rule backward, update of the 8 weights)."""
    iteration, w = article_floor_iteration()
    return _time_iterations(iteration, iterations, warmup, seconds, lambda: list(w))


def article_floor_iteration() -> tuple[Callable[[], float], list[float]]:
    """The floor's iteration (returns the cost) and the list of weights it updates."""
    w = list(ARTICLE_W)
    b = list(ARTICLE_B)
    x0, x1 = ARTICLE_X
    y0, y1 = ARTICLE_Y
    lr = ARTICLE_LR
    exp = math.exp

    def iteration() -> float:
        net0 = w[0] * x0 + w[2] * x1 + b[0]
        net1 = w[1] * x0 + w[3] * x1 + b[1]
        a0 = 1.0 / (1.0 + exp(-net0))
        a1 = 1.0 / (1.0 + exp(-net1))
        net2 = w[4] * a0 + w[6] * a1 + b[2]
        net3 = w[5] * a0 + w[7] * a1 + b[3]
        o0 = 1.0 / (1.0 + exp(-net2))
        o1 = 1.0 / (1.0 + exp(-net3))
        cost = 0.5 * ((y0 - o0) ** 2 + (y1 - o1) ** 2)
        # deltas: dJ/dnet_k
        d2 = -(y0 - o0) * o0 * (1.0 - o0)
        d3 = -(y1 - o1) * o1 * (1.0 - o1)
        d0 = (d2 * w[4] + d3 * w[5]) * a0 * (1.0 - a0)
        d1 = (d2 * w[6] + d3 * w[7]) * a1 * (1.0 - a1)
        grads = (d0 * x0, d1 * x0, d0 * x1, d1 * x1, d2 * a0, d3 * a0, d2 * a1, d3 * a1)
        for i, g in enumerate(grads):
            w[i] -= lr * g
        return cost

    return iteration, w


def _time_iterations(
    iteration: Any, iterations: int, warmup: int, seconds: float, weights: Any
) -> Result:
    """``warmup`` untimed iterations, then blocks of ``iterations`` timed ones until the
    blocks add up to at least ``seconds`` (one block at least); microseconds each.

    After the first block it records the cost that block's last iteration computed (before
    its update) and the weights (``weights()``): both sides must agree on them.
    """
    for _ in range(warmup):
        iteration()
    total = 0.0
    done = 0
    checked: Result = {}
    while not checked or total < seconds:
        start = time.perf_counter()
        for _ in range(iterations):
            cost = iteration()
        total += time.perf_counter() - start
        done += iterations
        if not checked:
            checked = {"last_cost": cost, "weights": weights()}
    return {"microseconds": total / done * 1e6, "iterations": done, **checked}


# ----------------------------------------------------------------------------------------
# c. Memory per graph node: a chain x <- x * CHAIN_FACTOR, traced with tracemalloc.
# ----------------------------------------------------------------------------------------


def _traced_chain(start: Any, steps: int) -> tuple[Any, int]:
    """Build the chain under tracemalloc; the end node and the bytes it holds."""
    gc.collect()
    tracemalloc.start()
    try:
        x = start
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            x = x * CHAIN_FACTOR
        gc.collect()  # count only what the graph holds, no pending garbage
        held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    return x, held


def memory_ours(steps: int) -> Result:
    """Bytes held by our graph of ``steps`` multiplications by a number (each step makes
    one mul node; the number is kept as a float, not wrapped into a Value)."""
    from autograd import Value, topological_order

    end, held = _traced_chain(Value(1.0), steps)
    values = len(topological_order(end)) - 1  # not counting the start leaf
    return {"bytes": held, "values": values, "steps": steps}


def memory_micrograd(steps: int) -> Result:
    """Bytes held by micrograd's graph of the same computation."""
    from micrograd.engine import Value

    end, held = _traced_chain(Value(1.0), steps)
    seen = {id(end)}
    stack = [end]
    while stack:  # micrograd's own traversal is recursive; count the nodes iteratively
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return {"bytes": held, "values": len(seen) - 1, "steps": steps}


# ----------------------------------------------------------------------------------------
# d. A long chain: build plus backward time (ours), and micrograd's recursion limit.
# ----------------------------------------------------------------------------------------


def chain_ours(steps: int, collector: bool = True) -> Result:
    """Build ``x_n = x_0 * c^n`` as ``steps`` mul nodes, then ``backward()``; seconds.

    Checks the result: ``d x_n / d x_0 = c^n`` (closed form). ``collector=False`` runs it
    with Python's cyclic garbage collector off, to show the engine's own time: the
    collector scans every live node again and again while a long graph grows.
    """
    from autograd import Value

    if not collector:
        gc.disable()
    try:
        start = time.perf_counter()
        x0 = Value(1.0)
        x = x0
        for _ in range(steps):
            x = x * CHAIN_FACTOR
        built = time.perf_counter()
        x.backward()
        done = time.perf_counter()
    finally:
        gc.enable()
    expected = CHAIN_FACTOR**steps
    return {
        "seconds": done - start,
        "build_seconds": built - start,
        "backward_seconds": done - built,
        "grad_error": abs(x0.grad - expected) / expected,
    }


def chain_floor(steps: int) -> Result:
    """The floor for the chain: plain floats building the same chain as a list of
    ``(value, local derivative)`` tuples, then sweeping it back (``g *= d`` from the end).

    Checks the result against the closed form ``c^n``, as :func:`chain_ours`.
    """
    start = time.perf_counter()
    x = 1.0
    tape = []
    for _ in range(steps):
        x = x * CHAIN_FACTOR
        tape.append((x, CHAIN_FACTOR))
    built = time.perf_counter()
    g = 1.0
    for _, d in reversed(tape):
        g *= d
    done = time.perf_counter()
    expected = CHAIN_FACTOR**steps
    return {
        "seconds": done - start,
        "build_seconds": built - start,
        "backward_seconds": done - built,
        "grad_error": abs(g - expected) / expected,
    }


def chain_micrograd(steps: int) -> Result:
    """Build the same chain with micrograd and call ``backward()`` at Python's default
    recursion limit; reports the exception it raises (``RecursionError``), if any."""
    from micrograd.engine import Value

    x0 = Value(1.0)
    x = x0
    for _ in range(steps):
        x = x * CHAIN_FACTOR
    try:
        x.backward()
    except RecursionError as error:
        return {"error": type(error).__name__, "message": str(error)}
    return {"error": "", "grad": x0.grad}


# ----------------------------------------------------------------------------------------
# e. autograd.compile itself: compile time and peak memory per node; the guards' cost.
# ----------------------------------------------------------------------------------------


def compile_chain(nodes: int) -> Result:
    """Trace and generate code for a chain ``x <- x * w`` of ``nodes`` nodes (``w`` a
    parameter); seconds (a run without tracemalloc), and the peak bytes per node that
    tracing, code generation and CPython's compile take (a second run, tracemalloc), or
    the refusal (``MAX_NODES``)."""
    import warnings

    import autograd
    from autograd import Value
    from autograd.compile import MAX_NODES, CompileWarning

    w = Value(CHAIN_FACTOR, "w")

    def chain(x: Any) -> Any:
        for _ in range(nodes):
            x = x * w
        return x

    def measure(traced: bool) -> tuple[float, int, bool]:
        step = autograd.compile(chain)
        gc.collect()
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CompileWarning)
            compiled = bool(step.source_for(1.0))
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
        return seconds, peak, compiled

    # the time without tracemalloc (which slows every allocation), then the peak with it
    seconds, _, compiled = measure(False)
    _, peak, _ = measure(True)
    return {"seconds": seconds, "peak_bytes_per_node": peak / nodes, "nodes": nodes,
            "compiled": compiled, "max_nodes": MAX_NODES}


def compile_mlp_memory(samples: int) -> Result:
    """The MLP step's trace and code generation: seconds (without tracemalloc) and peak
    bytes per node (a second run, tracemalloc)."""
    import autograd
    from autograd import topological_order
    from nn import mse_loss

    model, _ = _mlp_model()
    xs, ys = mlp_data(samples)
    nodes = len(topological_order(mse_loss([model(x) for x in xs], ys, "mean")))
    def measure(traced: bool) -> tuple[float, int]:
        step = autograd.compile(lambda xb, yb: mse_loss([model(x) for x in xb], yb, "mean"))
        gc.collect()
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        step.source_for(xs, ys)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
        return seconds, peak

    seconds, _ = measure(False)  # without tracemalloc, which slows every allocation
    _, peak = measure(True)
    return {"seconds": seconds, "peak_bytes_per_node": peak / nodes, "nodes": nodes}


def compile_guard_cost(iterations: int) -> Result:
    """The article's compiled call with its structure guard (the module version, the
    registered lists, parameters read through them) and the same trace generated without
    it; microseconds per call each."""
    import autograd
    from autograd.compile import build
    from nn import mse_loss

    model, _ = _article_model()
    x, y = list(ARTICLE_X), list(ARTICLE_Y)
    guarded = autograd.compile(lambda xs, ys: mse_loss(model(xs), ys, "half_sum"))
    guarded(x, y)
    bare = build(article_unguarded_program(model))
    return {"guarded_us": best_microseconds(lambda: guarded(x, y), iterations),
            "unguarded_us": best_microseconds(lambda: bare(*x, *y), iterations)}


def article_unguarded_program(model: Any) -> Any:
    """The article's loss on ``model`` generated as ``step(x0, x1, y0, y1)`` without any
    guard (:func:`autograd.compile.generate`'s default): the numbers as arguments."""
    import autograd
    from autograd.compile import generate
    from nn import mse_loss

    placeholders = [autograd.Value(v, f"x{i}") for i, v in enumerate([*ARTICLE_X, *ARTICLE_Y])]
    loss = mse_loss(model(placeholders[:2]), placeholders[2:], "half_sum")
    return generate(loss, placeholders)


def best_microseconds(call: Callable[[], object], iterations: int, blocks: int = 5) -> float:
    """Microseconds per call: the best of ``blocks`` blocks of ``iterations`` calls."""
    best = math.inf
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - start) / iterations * 1e6)
    return best
