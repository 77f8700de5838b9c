"""The chain rule, applied in reverse topological order.

Every node carries a creation stamp, larger than its parents' stamps, so the order of
stamps is a topological order. :func:`topological_order` (used by ``grad()``, ``draw_dot``
and the anomaly checks) collects the nodes under a root and sorts them by stamp;
``backward()`` sweeps them from the highest stamp down with a heap, in one pass. Both
visit nodes in the same order, so their sums agree to the last bit, and neither recurses,
so a graph a million nodes deep works.

For every node ``n`` with parents ``p_i`` and local derivatives ``d n / d p_i``, the
reverse sweep adds ``grad(n) * d n / d p_i`` to ``grad(p_i)``: the article's
``dJ/dw5 = dJ/do1 * do1/dnet3 * dnet3/dw5`` is exactly this product along the path
``J <- o1 <- net3 <- w5``.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from operator import attrgetter
from typing import Any

from autograd.modes import check_backward, current_mode
from autograd.value import Value

_stamp_of = attrgetter("_stamp")


def topological_order(root: Value, *, leaves: bool = True) -> list[Value]:
    """Every node under ``root`` once, each after all of its parents (``root`` last).

    The nodes are collected breadth first, then sorted by creation stamp (a node is always
    stamped after its parents). With ``leaves=False`` the leaves are left out.
    """
    if not (leaves or root.parents):
        return []
    nodes = [root]
    seen = {root}
    for node in nodes:  # the list grows while it is walked: a breadth-first search
        for parent in node.parents:
            if (leaves or parent.parents) and parent not in seen:
                seen.add(parent)
                nodes.append(parent)
    nodes.sort(key=_stamp_of)
    return nodes


def backward(root: Value, seed: float = 1.0) -> None:
    """Reverse-mode sweep from ``root``: ``node.grad = d root / d node`` for every node.

    ``root`` gets ``seed`` (``d root / d root = 1``). Leaves accumulate into ``.grad``, as in
    PyTorch; every non-leaf's ``.grad`` is set afresh, so it holds this sweep's gradient.

    The sweep pops nodes from a heap, highest creation stamp first. Every consumer of a
    node was created after it, so a node is popped only when all of its consumers under
    ``root`` have passed their gradient on: its own gradient is complete.
    """
    if current_mode.get().anomaly:
        _checked_sweep(root, seed)
        return
    if not root.parents:
        root.grad += seed
        return
    root.grad = seed
    heap = [(-root._stamp, root)]
    queued = {root}
    while heap:
        node = heappop(heap)[1]
        g = node.grad
        for parent, local in zip(node.parents, node.local_grads):
            if not parent.parents or parent in queued:
                parent.grad += g * local
            else:  # a non-leaf's first contribution in this sweep replaces its old .grad
                parent.grad = g * local
                queued.add(parent)
                heappush(heap, (-parent._stamp, parent))


def _checked_sweep(root: Value, seed: float) -> None:
    """``backward()`` under ``detect_anomaly()``: the same order, every gradient checked."""
    order = topological_order(root, leaves=False)
    for node in order:
        node.grad = 0.0
    root.grad += seed
    for node in reversed(order):
        g = node.grad
        for index, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            contribution = g * local
            check_backward(node.op, [p.data for p in node.parents], index, contribution)
            parent.grad += contribution


def _product(g: Any, d: Any) -> Any:
    """``g * d``, skipping exact multiplications by one (no needless nodes in Value mode)."""
    if type(d) is float and d == 1.0:
        return g
    if type(g) is float and g == 1.0:
        return d
    return g * d


def grad(
    output: Value, inputs: Sequence[Value], *, create_graph: bool = False
) -> tuple[Value, ...]:
    """``d output / d x`` for each ``x`` in ``inputs``, as a tuple of Values.

    Touches no ``.grad`` field. Only the part of the graph that leads to ``inputs`` is swept.
    An input that ``output`` does not depend on gets ``0``.

    With ``create_graph=True`` the derivatives are computed with Values, each local
    derivative coming from the same rule-table row as the forward, so the results carry a
    graph of their own and can be differentiated again: ``grad(grad(f, [x], create_graph=
    True)[0], [x])`` is ``d²f/dx²``.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad() output must be a Value, not {type(output).__name__}")
    if isinstance(inputs, Value):
        inputs = (inputs,)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad() inputs must be Values, not {type(x).__name__}")

    order = topological_order(output)
    wanted = set(inputs)
    # `relevant`: nodes with a path down to some input; only these need gradients.
    relevant: set[Value] = set()
    for node in order:
        if node in wanted or any(p in relevant for p in node.parents):
            relevant.add(node)

    anomaly = current_mode.get().anomaly
    grads: dict[Value, Any] = {output: 1.0}
    for node in reversed(order):
        if node not in relevant or not node.parents or node not in grads:
            continue
        g = grads[node]
        op = node.operation
        assert op is not None
        # Value mode: the same table row, evaluated on Values, records a graph of its own.
        local_grads = op.local_grads(node, *node.parents) if create_graph else node.local_grads
        for index, (parent, local) in enumerate(zip(node.parents, local_grads)):
            if parent not in relevant:
                continue
            contribution = _product(g, local)
            if anomaly:
                check_backward(op.name, [p.data for p in node.parents], index, float(contribution))
            grads[parent] = contribution if parent not in grads else grads[parent] + contribution

    result = []
    for x in inputs:
        g = grads.get(x, 0.0)
        result.append(g if isinstance(g, Value) else Value(g))
    return tuple(result)
