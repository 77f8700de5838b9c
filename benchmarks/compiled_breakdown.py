"""Where the compiled article iteration's time goes, and how far its pieces can shrink.

    python -m benchmarks.compiled_breakdown          # µs per piece, best of 5 blocks

Row a's compiled iteration is ``opt.zero_grad()``, ``step(x, y)``, ``opt.step()``; its target
is 1.5x the hand-written float iteration. This module times each piece on its own, and then
the smallest iterations the same generated code allows. First the compiled call as it is,
with the gradients cleared and applied by two bare loops over the weights' slots instead of
the optimizer (still skipping frozen and ``None`` gradients); then also the call without
its guards (argument structure, mode, module version and registered lists) and without the
sweep lock. That minimal iteration drops exactly what issue 15 asks the compiled step to
guarantee, so its ratio to the floor is the best this design of generated code can reach.
Each whole iteration is checked against the floor (same cost and weights after the first
block).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from benchmarks.workloads import (
    ARTICLE_LR,
    ARTICLE_X,
    ARTICLE_Y,
    Result,
    _article_model,
    _time_iterations,
    article_floor,
    article_floor_iteration,
)

#: The lock lines of the generated accumulation, and what the lock-free variant puts there.
_LOCKED = "    _acquire()  # one sweep at a time, as backward()\n    try:\n"
_RELEASE = "    finally:\n        _release()\n"


#: The whole iterations, each checked against the floor's cost and weights.
WHOLE = ("floor", "compiled", "guarded call, bare loops", "minimal")


def _best_us(call: Callable[[], object], iterations: int, blocks: int = 5) -> float:
    """Microseconds per call: the best of ``blocks`` blocks of ``iterations`` calls."""
    best = math.inf
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - start) / iterations * 1e6)
    return best


def _without_lock(program: Any) -> Callable[..., float]:
    """The generated function ``program`` with its sweep lock taken out (the accumulation
    runs as the rest of the body)."""
    from autograd.compile import build

    source = program.source
    if _LOCKED not in source or _RELEASE not in source:
        raise RuntimeError("the generated code no longer takes the sweep lock as expected")
    program.text = source.replace(_LOCKED, "    if True:\n").replace(_RELEASE, "")
    return build(program)


def pieces(iterations: int = 20_000) -> dict[str, Result]:
    """Each piece and iteration: ``{"name": {"microseconds": ..., ...}}``; the three whole
    iterations (floor, compiled, minimal) also carry ``last_cost`` and ``weights``."""
    import autograd
    from autograd.compile import generate
    from nn import SGD, mse_loss

    x, y = list(ARTICLE_X), list(ARTICLE_Y)
    lr = ARTICLE_LR

    model, weights = _article_model()
    opt = SGD(weights, lr=lr)
    step = autograd.compile(lambda xs, ys: mse_loss(model(xs), ys, "half_sum"))
    step(x, y)  # trace (its gradient is cleared by the first zero_grad)

    def compiled_iteration() -> float:
        opt.zero_grad()
        cost = step(x, y)
        opt.step()
        return cost

    out: dict[str, Result] = {
        "floor": article_floor(iterations, 1, 0.0),
        "compiled": _time_iterations(compiled_iteration, iterations, 1, 0.0,
                                     lambda: [p.data for p in weights]),
    }

    # the minimal iteration, on a model of its own: the same trace without guards or lock
    bare_model, bare_weights = _article_model()
    placeholders = [autograd.Value(v, f"x{i}") for i, v in enumerate([*x, *y])]
    loss = mse_loss(bare_model(placeholders[:2]), placeholders[2:], "half_sum")
    bare = _without_lock(generate(loss, placeholders))
    x0, x1 = x
    y0, y1 = y

    def minimal_iteration() -> float:
        for p in bare_weights:
            p._grad = 0.0
        cost = bare(x0, x1, y0, y1)
        for p in bare_weights:
            p._data -= lr * p._grad
        return cost

    out["minimal"] = _time_iterations(minimal_iteration, iterations, 1, 0.0,
                                      lambda: [p.data for p in bare_weights])

    # the compiled call as it is, on a model of its own, between two bare loops
    own_model, own_weights = _article_model()
    own_step = autograd.compile(lambda xs, ys: mse_loss(own_model(xs), ys, "half_sum"))
    own_step(x, y)

    def guarded_iteration() -> float:
        for p in own_weights:
            p._grad = 0.0
        cost = own_step(x, y)
        for p in own_weights:
            g = p._grad
            if type(g) is float:
                p._data -= lr * g
        return cost

    out["guarded call, bare loops"] = _time_iterations(
        guarded_iteration, iterations, 1, 0.0, lambda: [p.data for p in own_weights])

    def zero_loop() -> None:
        for p in bare_weights:
            p._grad = 0.0

    def update_loop() -> None:
        for p in bare_weights:
            p._data -= 0.0 * p._grad

    timed: list[tuple[str, Callable[[], object]]] = [
        ("opt.zero_grad()", opt.zero_grad),
        ("step(x, y)", lambda: step(x, y)),
        ("opt.step()", opt.step),
        ("call without guards or lock", lambda: bare(x0, x1, y0, y1)),
        ("bare loop clearing .grad", zero_loop),
        ("bare loop applying .grad", update_loop),
    ]
    for name, call in timed:
        out[name] = {"microseconds": _best_us(call, iterations)}
    whole = {"floor": article_floor_iteration()[0], "compiled": compiled_iteration,
             "guarded call, bare loops": guarded_iteration, "minimal": minimal_iteration}
    for name, iteration in whole.items():  # the whole iterations: best of 5 blocks too
        out[name]["microseconds"] = min(out[name]["microseconds"],
                                        _best_us(iteration, iterations))
    return out


def check(out: dict[str, Result]) -> None:
    """Raise ``RuntimeError`` unless every whole iteration computed the
    floor's cost and weights (to 1e-12) after their first block."""
    floor = out["floor"]
    for name in WHOLE[1:]:
        side = out[name]
        if abs(side["last_cost"] - floor["last_cost"]) > 1e-12 or max(
                abs(a - b) for a, b in zip(side["weights"], floor["weights"])) > 1e-12:
            raise RuntimeError(f"the {name} iteration computed something else than the floor")


def main() -> int:
    """Print each piece in µs and each whole iteration as a multiple of the floor."""
    out = pieces()
    check(out)
    base = out["floor"]["microseconds"]
    print("a. article 2-2-2 iteration, compiled: µs per call, best of 5 blocks of 20,000")
    ordered = [*WHOLE, *(name for name in out if name not in WHOLE)]
    for name in ordered:
        us = out[name]["microseconds"]
        ratio = f"   {us / base:5.2f}x the floor" if name in WHOLE else ""
        print(f"  {name:<30} {us:6.2f} µs{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
