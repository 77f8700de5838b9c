"""The smallest eager engine that could meet the article row's target, measured.

    python -m benchmarks.prototype        # prototype vs the float floor vs our engine, in µs

Issue 10 asks the eager article iteration for at most 4x the hand-written floats. Before
calling that out of reach, this module measures the most favourable eager design there is
for this network: a node class with four slots (data, grad, parents, local derivatives),
no modes, no labels, no checks, no modules; the article's nine nodes (four ``net``, four
sigmoid, ``J``) built inline from a flat weight list; and a sweep over the nodes in reverse
creation order (a tape: the graph is built inline, so no traversal or sort is needed). It
still records a graph of node objects that a reader could walk, which is what makes an
engine eager, and it computes the same cost and weights as the floor (checked).

What it shows on this machine: the time of building nine node objects and sweeping their
edges in Python, which no eager engine can go below, against the floor's arithmetic alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from benchmarks.workloads import (
    ARTICLE_B,
    ARTICLE_LR,
    ARTICLE_W,
    ARTICLE_X,
    ARTICLE_Y,
    Result,
    _time_iterations,
    article_floor,
    article_ours,
)


class Node:
    """A graph node: its number, its gradient, its parents and ``d self / d parent``."""

    __slots__ = ("data", "grad", "locals", "parents")

    def __init__(self, data: float, parents: tuple[Node, ...] = (),
                 local_grads: tuple[float, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.locals = local_grads


def prototype_iteration() -> Callable[[], float]:
    """One article iteration on :class:`Node`: forward (nine nodes on a tape), backward
    (the tape reversed), SGD on the eight weights; returns the cost."""
    w = [Node(v) for v in ARTICLE_W]
    b = [Node(v) for v in ARTICLE_B]
    x0, x1 = ARTICLE_X
    y0, y1 = ARTICLE_Y
    lr = ARTICLE_LR
    exp = math.exp

    def neuron(tape: list[Node], wa: Node, wb: Node, xa: float, xb: float, bias: Node,
               na: Node | None, nb: Node | None) -> Node:
        # net = wa*xa + wb*xb + b; inputs that are nodes (the hidden outputs) are parents too
        net_data = wa.data * xa + wb.data * xb + bias.data
        if na is None or nb is None:
            net = Node(net_data, (wa, wb, bias), (xa, xb, 1.0))
        else:
            net = Node(net_data, (wa, wb, na, nb, bias), (xa, xb, wa.data, wb.data, 1.0))
        s = 1.0 / (1.0 + exp(-net_data))
        out = Node(s, (net,), (s * (1.0 - s),))
        tape.append(net)
        tape.append(out)
        return out

    def iteration() -> float:
        tape: list[Node] = []
        a0 = neuron(tape, w[0], w[2], x0, x1, b[0], None, None)
        a1 = neuron(tape, w[1], w[3], x0, x1, b[1], None, None)
        o0 = neuron(tape, w[4], w[6], a0.data, a1.data, b[2], a0, a1)
        o1 = neuron(tape, w[5], w[7], a0.data, a1.data, b[3], a0, a1)
        e0 = o0.data - y0
        e1 = o1.data - y1
        cost = Node(0.5 * (e0 * e0 + e1 * e1), (o0, o1), (e0, e1))
        for p in w:
            p.grad = 0.0
        for node in tape:
            node.grad = 0.0
        cost.grad = 1.0
        tape.append(cost)
        for node in reversed(tape):
            g = node.grad
            for parent, local in zip(node.parents, node.locals):
                parent.grad += g * local
        for p in w:
            p.data -= lr * p.grad
        return cost.data

    iteration.weights = w  # type: ignore[attr-defined]
    return iteration


def time_prototype(iterations: int = 2000, warmup: int = 200, seconds: float = 1.0) -> Result:
    """Microseconds per prototype iteration, the cost of the first timed block's last
    iteration and the weights after it, timed as the article rows are."""
    iteration = prototype_iteration()
    weights = iteration.weights  # type: ignore[attr-defined]
    return _time_iterations(iteration, iterations, warmup, seconds,
                            lambda: [p.data for p in weights])


def main() -> int:
    """Print the prototype, the floor and our eager engine, three rounds, side by side."""
    print("a. article 2-2-2 iteration, µs (median of three rounds, 1 s each)")
    rows: dict[str, list[float]] = {"floats (floor)": [], "prototype": [], "our engine": []}
    for _ in range(3):
        floor = article_floor(2000, 200, 1.0)
        proto = time_prototype()
        ours = article_ours(2000, 200, 1.0)
        if abs(proto["last_cost"] - floor["last_cost"]) > 1e-12 \
                or max(abs(a - b) for a, b in zip(proto["weights"], floor["weights"])) > 1e-12:
            print("the prototype computed something else than the floor")
            return 1
        for name, result in zip(rows, (floor, proto, ours)):
            rows[name].append(float(result["microseconds"]))
    base = sorted(rows["floats (floor)"])[1]
    for name, values in rows.items():
        median = sorted(values)[1]
        print(f"  {name:<16} {median:7.2f} µs   {median / base:5.2f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
