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
    article_unguarded_program,
    best_microseconds,
)

#: The lock lines of the generated accumulation, and what the lock-free variant puts there.
_LOCKED = "    _acquire()  # one sweep at a time, as backward()\n    try:\n"
_RELEASE = "    finally:\n        _release()\n"


#: The whole iterations, each checked against the floor's cost and weights.
WHOLE = ("floor", "compiled", "guarded call, bare loops", "minimal")


def _without_lock(program: Any) -> Callable[..., float]:
    """The generated function ``program`` with its sweep lock taken out (the accumulation
    runs as the rest of the body)."""
    from autograd.compile import build

    source = program.source
    if _LOCKED not in source or _RELEASE not in source:
        raise RuntimeError("the generated code no longer takes the sweep lock as expected")
    program.text = source.replace(_LOCKED, "    if True:\n").replace(_RELEASE, "")
    return build(program)


def _compiled_article() -> tuple[list[Any], Callable[..., float]]:
    """A fresh article model's 8 weights and its loss compiled (and traced once)."""
    import autograd
    from nn import mse_loss

    model, weights = _article_model()
    step = autograd.compile(lambda xs, ys: mse_loss(model(xs), ys, "half_sum"))
    step(list(ARTICLE_X), list(ARTICLE_Y))
    return weights, step


def pieces(iterations: int = 20_000) -> dict[str, Result]:
    """Each piece and iteration: ``{"name": {"microseconds": ..., ...}}``; the whole
    iterations (:data:`WHOLE`) also carry ``last_cost`` and ``weights``. Each whole
    iteration runs on a model of its own, from the article's numbers."""
    from nn import SGD

    x, y = list(ARTICLE_X), list(ARTICLE_Y)
    lr = ARTICLE_LR

    weights, step = _compiled_article()
    opt = SGD(weights, lr=lr)  # (the trace's gradient is cleared by the first zero_grad)

    def compiled_iteration() -> float:
        opt.zero_grad()
        cost = step(x, y)
        opt.step()
        return cost

    # the compiled call as it is between two bare loops over the weights' slots
    own_weights, own_step = _compiled_article()

    def guarded_iteration() -> float:
        for p in own_weights:
            p._grad = 0.0
        cost = own_step(x, y)
        for p in own_weights:
            g = p._grad
            if type(g) is float:
                p._data -= lr * g
        return cost

    # the minimal iteration: the same trace without guards or lock
    bare_model, bare_weights = _article_model()
    bare = _without_lock(article_unguarded_program(bare_model))
    x0, x1 = x
    y0, y1 = y

    def minimal_iteration() -> float:
        for p in bare_weights:
            p._grad = 0.0
        cost = bare(x0, x1, y0, y1)
        for p in bare_weights:
            p._data -= lr * p._grad
        return cost

    out: dict[str, Result] = {"floor": article_floor(iterations, 1, 0.0)}
    for name, iteration, ws in (("compiled", compiled_iteration, weights),
                                ("guarded call, bare loops", guarded_iteration, own_weights),
                                ("minimal", minimal_iteration, bare_weights)):
        out[name] = _time_iterations(iteration, iterations, 1, 0.0,
                                     lambda ws=ws: [p.data for p in ws])

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
        out[name] = {"microseconds": best_microseconds(call, iterations)}
    whole = {"floor": article_floor_iteration()[0], "compiled": compiled_iteration,
             "guarded call, bare loops": guarded_iteration, "minimal": minimal_iteration}
    for name, iteration in whole.items():  # the whole iterations: best of 5 blocks too
        out[name]["microseconds"] = min(out[name]["microseconds"],
                                        best_microseconds(iteration, iterations))
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
