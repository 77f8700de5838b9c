"""The chain rule, applied in reverse topological order.

Every node carries a creation stamp, larger than its parents' stamps, so the order of
stamps is a topological order. :func:`topological_order` (used by ``grad()``, ``draw_dot``
and the anomaly checks) collects the nodes under a root and sorts them by stamp;
``backward()`` sweeps the same list from the highest stamp down, in one pass. Both visit
nodes in the same order, so their sums agree to the last bit, and neither recurses, so a
graph a million nodes deep works. Numbers that entered an operation (the ``2`` of
``x * 2``) are no nodes: they get no gradient and cost the sweep nothing.

For every node ``n`` with parents ``p_i`` and local derivatives ``d n / d p_i``, the
reverse sweep adds ``grad(n) * d n / d p_i`` to ``grad(p_i)`` (a masked zero,
:data:`autograd.ops.MASKED`, contributes exactly 0 whatever ``grad(n)`` is): the article's
``dJ/dw5 = dJ/do1 * do1/dnet3 * dnet3/dw5`` is exactly this product along the path
``J <- o1 <- net3 <- w5``.

The sign of a zero gradient (one rule, PyTorch's, for ``backward()``, ``grad()`` and
``grad(create_graph=True)``):

* a node's gradient is the IEEE sum of its contributions, starting from the first
  contribution itself (no ``+0.0`` is added first), so it is ``-0.0`` exactly when every
  contribution is ``-0.0``; a masked contribution (:data:`autograd.ops.MASKED`) counts as
  ``+0.0``, as PyTorch's ``where`` gives a ``+0.0``. A node reached by no path gets ``+0.0``.
* ``backward()`` adds that sum to a leaf's ``.grad``. A leaf that no sweep has reached yet
  (a new ``Value``, whose ``.grad`` reads ``0.0``) or whose ``.grad`` is ``None`` holds no
  contribution yet, so it receives the sum itself, as PyTorch's ``None`` gradient does
  (``autograd.value.FRESH_GRAD``); a ``.grad`` of ``0.0`` set by ``zero_grad()`` or by hand
  is a number, and ``0.0 + -0.0`` is ``+0.0`` (as PyTorch's ``zero_grad(set_to_none=False)``).

So ``backward()`` on new leaves and ``grad()`` give the same bits, and ``Value(2.0) * -0.0``
has the gradient ``-0.0`` on every path, as in PyTorch.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from math import copysign
from operator import attrgetter
from typing import Any

from autograd.modes import check_backward, current_mode
from autograd.ops import MASKED, _Reciprocal
from autograd.value import NO_GRAD_STAMP, Value, _as_float, _at_values, _next_stamp, _numbers

_stamp_of = attrgetter("_stamp")
# One sweep at a time: a sweep writes every non-leaf's .grad and then reads it back, so two
# interleaved sweeps of one graph would corrupt each other (issue 8, item 4).
_sweep_lock = threading.RLock()


def topological_order(root: Value, *, leaves: bool = True) -> list[Value]:
    """Every node under ``root`` once, each after all of its parents (``root`` last).

    The nodes are collected breadth first, then sorted by creation stamp (a node is always
    stamped after its parents). With ``leaves=False`` the leaves are left out.
    """
    if root._stamp <= 0:  # a leaf
        return [root] if leaves else []
    nodes = [root]
    seen = {root}
    mark = seen.add
    push = nodes.append
    for node in nodes:  # the list grows while it is walked: a breadth-first search
        parents = node._parents
        if type(parents) is tuple:
            for parent in parents:
                if parent not in seen and (leaves or parent._stamp > 0):
                    mark(parent)
                    push(parent)
        elif parents not in seen and (leaves or parents._stamp > 0):  # one parent, bare
            mark(parents)
            push(parents)
    nodes.sort(key=_stamp_of)
    return nodes


def _seed(seed: object) -> float:
    """The seed of a sweep as a built-in float (a Value counts as its number)."""
    if isinstance(seed, Value):
        return seed._data
    return _as_float(seed, "backward() seed")


def _check_root(root: Value, what: str) -> None:
    """``RuntimeError`` for a root that does not require grad (it records no graph)."""
    if root._stamp == NO_GRAD_STAMP:
        raise RuntimeError(
            f"{what}: this Value does not require grad, so it records no graph (as in "
            "PyTorch): it was computed under no_grad(), or it is a leaf made with "
            "requires_grad=False (or frozen by requires_grad_(False)), or it was computed "
            "from such leaves only; compute it outside no_grad() from Values that require "
            "grad to differentiate it"
        )


def backward(root: Value, seed: float | Value = 1.0) -> None:
    """Reverse-mode sweep from ``root``: ``node.grad = d root / d node`` for every node.

    ``root`` gets ``seed`` (``d root / d root = 1``), converted to a built-in float. Leaves
    accumulate into ``.grad`` (a ``None`` grad counts as 0), as in PyTorch; every non-leaf's
    ``.grad`` is set afresh, so it holds this sweep's gradient. A root computed under
    ``no_grad()`` raises ``RuntimeError``.

    The sweep visits the non-leaves under ``root`` once each, highest creation stamp first
    (the order of :func:`topological_order` reversed), and adds ``grad(node) * d node /
    d parent`` into every parent.
    Every consumer of a node was created after it, so when a node is reached all of its
    consumers under ``root`` have passed their gradient on: its own gradient is complete.
    Time and memory are linear in the graph (one sort aside, in C). A lock makes concurrent
    sweeps run one after the other.
    """
    if type(seed) is not float:
        seed = _seed(seed)
    _check_root(root, "backward()")
    with _sweep_lock:
        if current_mode.get().anomaly:
            _checked_sweep(root, seed)
            return
        if root._stamp <= 0:  # a leaf: d root / d root
            root._grad += seed  # a "no gradient yet" -0.0 becomes the seed itself
            return
        order = topological_order(root, leaves=False)
        for node in order:
            # -0.0 is IEEE addition's exact identity (-0.0 + c == c, -0.0 and nan included):
            # a non-leaf's first contribution in this sweep is taken as it is
            node._grad = -0.0
        root._grad = seed
        for node in reversed(order):
            g = node._grad
            parents = node._parents
            if type(parents) is tuple:
                for parent, local in zip(parents, node._locals):
                    parent._grad += g * local
            else:  # one parent, stored bare with its local derivative
                parents._grad += g * node._locals


def _checked_sweep(root: Value, seed: float) -> None:
    """``backward()`` under ``detect_anomaly()``: the same order, every gradient checked.

    As in the fast sweep, a non-leaf's first contribution replaces its old ``.grad`` and
    leaves accumulate. Every contribution is checked: numbers (the ``1e-300`` of
    ``x / 1e-300``) are no nodes and receive none. After an error, non-leaf gradients not
    reached read 0.
    """
    order = topological_order(root, leaves=False)
    for node in order:
        node._grad = None  # type: ignore[assignment]
    if root._stamp <= 0:
        root._grad += seed
        return
    root._grad = seed
    try:
        for node in reversed(order):
            g = node._grad
            op = node.op
            inputs = node.inputs
            operands = _numbers(inputs)
            positions = _at_values(inputs, range(len(inputs)))
            for index, parent, local in zip(positions, node.parents, node.local_grads):
                contribution = g * local
                if parent._stamp >= 0:  # not a constant that as_value() wrapped
                    check_backward(op, operands, index, contribution)
                previous = parent._grad
                parent._grad = contribution if previous is None else previous + contribution
    finally:
        for node in order:
            if node._grad is None:
                node._grad = 0.0


def _is_negative_zero(x: float) -> bool:
    return x == 0.0 and copysign(1.0, x) < 0.0


def _product(g: Any, d: Any) -> Any:
    """``g * d``, skipping exact multiplications of a Value by one (no needless nodes).

    On floats it always multiplies, so a special local derivative (a subnormal's
    :func:`autograd.ops.reciprocal`) acts here exactly as in ``backward()``; so does its
    Value form (``autograd.value.reciprocal_node``): ``1.0 * (1/x)`` is the plain node
    ``1/x``, as ``1.0 * reciprocal(x)`` is the float ``1/x`` in ``backward()``, and a
    subnormal number's reciprocal divides a Value gradient.
    """
    if type(d) is float and d == 1.0:
        return g
    if type(g) is float and g == 1.0 and type(d) is Value:
        return d
    if type(d) is _Reciprocal and isinstance(g, Value):  # 1/c of a subnormal number c
        return g / d.divisor  # (a Value would take d as its float value, inf)
    return g * d


def _inputs(inputs: object) -> tuple[Value, ...]:
    """``grad()``'s inputs as a tuple (a bare Value, any ordered iterable), checked."""
    if isinstance(inputs, Value):
        return (inputs,)
    if isinstance(inputs, (str, bytes, AbstractSet, Mapping)) or not isinstance(inputs, Iterable):
        raise TypeError(
            "grad() inputs must be a Value or an ordered sequence of Values, "
            f"not {type(inputs).__name__}"
        )
    xs = tuple(inputs)  # materialise once: a generator is read a single time
    for x in xs:
        if not isinstance(x, Value):
            raise TypeError(f"grad() inputs must be Values, not {type(x).__name__}")
    return xs


def _outputs(outputs: object) -> tuple[Value, ...]:
    """``grad()``'s outputs as a tuple (a bare Value, or an ordered sequence), checked."""
    if isinstance(outputs, Value):
        return (outputs,)
    if isinstance(outputs, (str, bytes, AbstractSet, Mapping)) or not isinstance(outputs, Iterable):
        raise TypeError(
            "grad() outputs must be a Value or an ordered sequence of Values, "
            f"not {type(outputs).__name__}"
        )
    ys = tuple(outputs)
    for y in ys:
        if not isinstance(y, Value):
            raise TypeError(f"grad() outputs must be Values, not {type(y).__name__}")
    if not ys:
        raise ValueError("grad() needs at least one output")
    return ys


def _seeds(grad_outputs: object, n: int, create_graph: bool) -> list[Any]:
    """One seed ``d output_i`` per output: 1.0 where ``grad_outputs`` is None (or gives
    None), else its number; a Value seed stays a Value with ``create_graph=True`` (so the
    result is differentiable in it, as PyTorch's), else counts as its ``.data``."""
    if grad_outputs is None:
        return [1.0] * n
    if isinstance(grad_outputs, (Value, numbers.Real)):
        given: list[object] = [grad_outputs]
    elif isinstance(grad_outputs, (str, bytes, AbstractSet, Mapping)) \
            or not isinstance(grad_outputs, Iterable):
        raise TypeError(
            "grad() grad_outputs must be a number, a Value, or a sequence of them (one per "
            f"output), not {type(grad_outputs).__name__}"
        )
    else:
        given = list(grad_outputs)
    if len(given) != n:
        raise ValueError(f"grad() got {len(given)} grad_outputs for {n} output(s); give one each")
    seeds: list[Any] = []
    for seed in given:
        if seed is None:
            seeds.append(1.0)
        elif isinstance(seed, Value) and create_graph:
            seeds.append(seed)
        else:
            seeds.append(seed._data if isinstance(seed, Value)
                         else _as_float(seed, "grad() grad_outputs entry"))
    return seeds


def _unused_error(index: int, x: Value) -> RuntimeError:
    """The error for an input that no output depends on (PyTorch's ``allow_unused``)."""
    name = f" {x.label!r}" if x.label else ""
    why = ("does not require grad (requires_grad=False: a constant here)"
           if x._stamp == NO_GRAD_STAMP else "was not used to compute the output(s)")
    return RuntimeError(
        f"grad(): input {index}{name} ({x!r}) {why}. Pass allow_unused=True to get None for "
        "it, or materialize_grads=True to get 0.0, as in PyTorch"
    )


def _order_of(roots: tuple[Value, ...]) -> list[Value]:
    """Every node under any of ``roots`` once, in creation order (a topological order)."""
    if len(roots) == 1:
        return topological_order(roots[0])
    nodes: dict[Value, None] = {}
    for root in roots:
        nodes.update(dict.fromkeys(topological_order(root)))
    return sorted(nodes, key=_stamp_of)


def grad(
    outputs: Value | Iterable[Value],
    inputs: Value | Iterable[Value],
    *,
    create_graph: bool = False,
    retain_graph: bool | None = None,
    allow_unused: bool = False,
    grad_outputs: Any = None,
    materialize_grads: bool = False,
) -> tuple[Value, ...]:
    """``d output / d x`` for each ``x`` in ``inputs``, as a tuple of new Values.

    PyTorch's ``torch.autograd.grad``, keyword for keyword:

    * ``outputs``: a Value, or a sequence of Values; several outputs give the gradient of
      ``Σ_i seed_i · output_i``.
    * ``inputs``: a Value or an ordered iterable of Values (a list, tuple or generator).
    * ``grad_outputs``: the seeds ``seed_i`` (``d L / d output_i``): a number or Value (one
      output) or a sequence with one per output, ``None`` meaning 1.0. With
      ``create_graph=True`` a Value seed is part of the recorded graph.
    * ``allow_unused``: an input that no output depends on (or one with ``requires_grad ==
      False``, a constant here) is a ``RuntimeError`` naming it; with ``allow_unused=True``
      its entry is ``None``; with ``materialize_grads=True`` it is ``Value(0.0)``.
    * ``retain_graph``: accepted and changes nothing: this engine never frees a graph
      (local derivatives are data on the nodes), so any number of sweeps may follow.
    * ``create_graph=True``: the derivatives are computed with Values, each local
      derivative coming from the same rule-table row as the forward, so the results carry
      a graph of their own and can be differentiated again: ``grad(grad(f, [x],
      create_graph=True)[0], [x])`` is ``d²f/dx²``.

    Touches no ``.grad`` field. Only the part of the graph that leads to ``inputs`` is
    swept. Every returned Value is a new node (never one of the graph's own nodes, so
    relabelling it renames nothing else). A masked local derivative
    (:data:`autograd.ops.MASKED`) contributes nothing in either mode (its input still
    counts as used).
    """
    ys = _outputs(outputs)
    xs = _inputs(inputs)
    seeds = _seeds(grad_outputs, len(ys), create_graph)
    for y in ys:
        _check_root(y, "grad()")
    first_new_stamp = _next_stamp()  # nodes made from here on are new

    order = _order_of(ys)
    # `wanted`: the inputs that require grad (a frozen leaf is a constant, like a number)
    wanted = {x for x in xs if x._stamp != NO_GRAD_STAMP}
    # `relevant`: nodes with a path down to some input; only these need gradients.
    relevant: set[Value] = set()
    for node in order:
        if node in wanted or any(p in relevant for p in node.parents):
            relevant.add(node)

    anomaly = current_mode.get().anomaly
    grads: dict[Value, Any] = {}
    for y, seed in zip(ys, seeds):
        if y in relevant:
            grads[y] = seed if y not in grads else grads[y] + seed
    for node in reversed(order):
        if node._stamp <= 0 or node not in grads:
            continue
        g = grads[node]
        op = node.operation
        assert op is not None
        parents = node.parents
        if create_graph:
            # Value mode: the same table row, evaluated on Values (numbers stay numbers),
            # records a graph of its own; a number operand's entry is dropped.
            inputs = node.inputs
            local_grads = _at_values(inputs, op.local_grads(node, *inputs))
        else:
            local_grads = node.local_grads
        for index, (parent, local) in enumerate(zip(parents, local_grads)):
            if parent not in relevant:
                continue
            if local is MASKED:  # exactly +0.0 whatever g is; 0 * inf further down stays nan
                previous = grads.get(parent)
                if previous is None:
                    grads[parent] = 0.0
                elif type(previous) is float or _is_negative_zero(previous._data):
                    # + 0.0 changes nothing but a -0.0 (the sign rule: the sum of -0.0 and
                    # +0.0 is +0.0); on a Value it is a node of derivative 1
                    grads[parent] = previous + 0.0
                continue
            contribution = _product(g, local)
            if anomaly:
                check_backward(op.name, [p._data for p in node.parents], index, float(contribution))
            grads[parent] = contribution if parent not in grads else grads[parent] + contribution

    result: list[Any] = []  # Values, and None for unused inputs with allow_unused=True
    for index, x in enumerate(xs):
        if x not in grads:
            if materialize_grads:
                result.append(Value(0.0))
            elif allow_unused:
                result.append(None)
            else:
                raise _unused_error(index, x)
            continue
        g = grads[x]
        if not isinstance(g, Value):
            g = Value(float(g))
        elif g._stamp < first_new_stamp or type(g) is not Value:
            g = g * 1.0  # a node of the graph itself (d(x*w)/dw is x), or a reciprocal_node
        result.append(g)
    return tuple(result)
