"""The drawing and explorer workloads (row e): ``draw_dot`` rendered by Graphviz's ``dot``,
and ``explore`` making its page, on the graphs that used to hang (issue 16).

Graphs of about ``n`` Values, three kinds:

* ``chain``: ``x``, then ``tanh`` and ``* 1.0001`` in turn (every node used once);
* ``recurrence``: ``y = tanh(y * x)`` unrolled, one input ``x`` used by every step (the
  fan-in that took ``dot`` 35 s at 101 Values with record shapes);
* ``mlp``: one sample through an MLP with two ``tanh`` hidden layers of equal width and a
  squared error, the width chosen for at most (about) ``n`` Values (every hidden unit used by every
  unit of the next layer).

Each function times one call in this fresh process and returns the seconds and the size.
"""

from __future__ import annotations

import math
import time
from typing import Any

Result = dict[str, Any]
KINDS = ("chain", "recurrence", "mlp")


def build(kind: str, n: int) -> Any:
    """The root of a graph of about ``n`` Values of ``kind`` (see the module docstring)."""
    from autograd import Value

    if kind == "chain":
        y = Value(0.5, "x")
        for i in range(n - 1):
            y = y * 1.0001 if i % 2 else y.tanh()
        return y
    if kind == "recurrence":
        x, y = Value(0.5, "x"), Value(0.3, "y0")
        for _ in range((n - 2) // 2):
            y = (y * x).tanh()
        return y
    if kind == "mlp":
        from nn import MLP

        # Values: 4 inputs as numbers; width w: (4+1)w + (w+1)w + (w+1) parameters,
        # 2w + 2w + 2 computed nodes, and the loss: about w^2 + 11 w
        width = max(2, math.floor((-11 + math.sqrt(121 + 4 * n)) / 2))
        model = MLP(4, [width, width, 1], activation="tanh", seed=1)
        out = model.outputs([0.1, -0.2, 0.3, 0.4])[0]
        return (out - 0.5) ** 2
    raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def draw(kind: str, values: int) -> Result:
    """Seconds of ``draw_dot(root, edge_labels=True)`` and rendering it to SVG."""
    from autograd import draw_dot, topological_order

    root = build(kind, values)
    root.backward()
    size = len(topological_order(root))
    start = time.perf_counter()
    svg = draw_dot(root, edge_labels=True, max_nodes=size).pipe(format="svg")
    return {"seconds": time.perf_counter() - start, "values": size, "bytes": len(svg)}


def explore_page(kind: str, values: int) -> Result:
    """Seconds of ``explore(root)`` (the page's numbers, the layout, the page)."""
    from autograd import explore, topological_order

    root = build(kind, values)
    size = len(topological_order(root))
    start = time.perf_counter()
    page = explore(root, max_nodes=max(size, 2000))
    return {"seconds": time.perf_counter() - start, "values": size,
            "layout": page.data["layout"], "bytes": len(page.html)}
