"""The ``Value`` node: a scalar that remembers how it was computed.

A ``Value`` holds a float ``data``, its gradient ``grad``, and, when it was computed from
other Values, its ``parents`` and the local derivatives ``d self / d parent`` evaluated at
forward time (``local_grads``). The operators and methods here only dispatch to the rule
table in :mod:`autograd.ops`; the chain rule itself lives in :mod:`autograd.backward`.

Nodes are lean and cycle-free: ``__slots__``, a tuple of parents (``a * a`` lists ``a``
twice), local derivatives stored as floats rather than closures, and a creation stamp that
orders the graph. No node refers back to its children, so a graph is freed by reference
counting alone.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

from autograd import ops
from autograd.modes import DEFAULT_MODE, check_forward, current_mode
from autograd.ops import Op

if TYPE_CHECKING:
    from typing_extensions import Self

Number = float | int

_new = object.__new__
_get_mode = current_mode.get
# Creation stamps: every node is stamped after its parents exist, so sorting by stamp is a
# topological order (leaves share stamp 0). autograd.backward orders its sweeps by them.
_next_stamp = itertools.count(1).__next__


def _as_float(data: object) -> float:
    """``data`` as a float, or a ``TypeError`` that names its type."""
    if isinstance(data, float):
        return float(data)
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int beyond the float range rounds to infinity (IEEE)
            return float("inf") if cast(Any, data) > 0 else float("-inf")
    raise TypeError(
        f"Value data must be a real number (int or float), not {type(data).__name__}: {data!r}"
    )


def _node(data: float, op: Op, parents: tuple[Value, ...], local_grads: tuple[Any, ...]) -> Value:
    """A new node made by ``op`` from ``parents`` (a leaf inside ``no_grad()``)."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.parents = parents
    node.local_grads = local_grads
    node.operation = op
    node._stamp = _next_stamp()
    if _get_mode() is not DEFAULT_MODE:
        _apply_mode(node)
    return node


def _apply_mode(node: Value) -> None:
    """Anomaly checks and ``no_grad()``: the rare path, kept out of ``_node``."""
    mode = _get_mode()
    if mode.anomaly and node.operation is not None:
        check_forward(node.operation.name, [p.data for p in node.parents], node.data)
    if not mode.grad_enabled:
        node.parents = ()
        node.local_grads = ()
        node.operation = None


def apply(op: Op, *inputs: Value) -> Value:
    """Apply the table row ``op`` to Values: ``out = op.forward(x...)``, recorded in the graph."""
    xs = [v.data for v in inputs]
    out = op.forward(*xs)
    return _node(out, op, inputs, op.local_grads(out, *xs))


def _unary(op: Op, x: Value) -> Value:
    d = x.data
    out = op.forward(d)
    return _node(out, op, (x,), op.local_grads(out, d))


def _binary(op: Op, a: Value, b: Value) -> Value:
    da = a.data
    db = b.data
    out = op.forward(da, db)
    return _node(out, op, (a, b), op.local_grads(out, da, db))


def as_value(x: object) -> Value:
    """``x`` itself if it is a Value, else a constant leaf; ``TypeError`` for a non-number."""
    return x if isinstance(x, Value) else Value(_as_float(x))


def _operand(x: object, symbol: str) -> Value:
    """The Value for an operator's other operand; a ``TypeError`` naming a non-number's type.

    Raising here, rather than returning ``NotImplemented``, keeps the message about the
    operand: ``"3" * Value(2)`` would otherwise become a confusing sequence repetition.
    """
    if type(x) is float:  # the common case first, before the slower numbers.Real check
        return Value(x)
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return Value(_as_float(x))
    raise TypeError(
        f"unsupported operand type for {symbol}: Value and {type(x).__name__} "
        f"({x!r:.40}); a Value combines with Values and real numbers"
    )


class Value:
    """A scalar node of a computation graph.

    ``Value(data, label="")`` makes a leaf. Arithmetic with Values and real numbers on
    either side (``+ - * / **``, unary ``-``) and the methods ``exp log tanh sigmoid relu
    sqrt abs sin cos softplus`` make new nodes; ``backward()`` then fills ``.grad`` of every
    node below with ``d self / d node`` by the chain rule.

    Attributes:
        data: the number, a float.
        grad: the gradient, ``0.0`` until a backward sweep reaches this node.
        label: a name for drawings and messages (the article's ``w5``, ``net3``...).
        parents: the Values this node was computed from, in operand order.
        local_grads: ``d self / d parents[i]`` at forward time, one per parent.
        operation: the rule-table row (:class:`autograd.ops.Op`) that made it, or None.
    """

    __slots__ = ("_stamp", "data", "grad", "label", "local_grads", "operation", "parents")

    # NumPy scalars on the left (``np.float64(2) * v``) defer to our reflected operators.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str
    parents: tuple[Value, ...]
    local_grads: tuple[Any, ...]
    operation: Op | None

    def __init__(self, data: Number, label: str = "") -> None:
        if type(data) is not float:
            data = _as_float(data)
        if type(label) is not str:
            raise TypeError(f"Value label must be a str, not {type(label).__name__}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.parents = ()
        self.local_grads = ()
        self.operation = None
        self._stamp = 0

    @property
    def op(self) -> str:
        """The name of the operation that made this node (``""`` for a leaf)."""
        return "" if self.operation is None else self.operation.name

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.operation is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    def __float__(self) -> float:
        return self.data

    # -- arithmetic: each operator dispatches to one row of the table ---------------------

    def __add__(self, other: object) -> Value:
        """``self + other``; d/dself = 1, d/dother = 1."""
        return _binary(ops.ADD, self, _operand(other, "+"))

    def __radd__(self, other: object) -> Value:
        return _binary(ops.ADD, _operand(other, "+"), self)

    def __sub__(self, other: object) -> Value:
        """``self - other``; d/dself = 1, d/dother = -1."""
        return _binary(ops.SUB, self, _operand(other, "-"))

    def __rsub__(self, other: object) -> Value:
        return _binary(ops.SUB, _operand(other, "-"), self)

    def __mul__(self, other: object) -> Value:
        """``self * other``; d/dself = other, d/dother = self."""
        return _binary(ops.MUL, self, _operand(other, "*"))

    def __rmul__(self, other: object) -> Value:
        return _binary(ops.MUL, _operand(other, "*"), self)

    def __truediv__(self, other: object) -> Value:
        """``self / other`` (IEEE: ``1/0 = inf``); d/dself = 1/other, d/dother = -self/other²."""
        return _binary(ops.DIV, self, _operand(other, "/"))

    def __rtruediv__(self, other: object) -> Value:
        return _binary(ops.DIV, _operand(other, "/"), self)

    def __pow__(self, other: object) -> Value:
        """``self ** other``: a number exponent is a constant (d/dx x^c = c x^(c-1)); a
        Value exponent is an input too (d/db a^b = a^b log a)."""
        if isinstance(other, Value):
            return _binary(ops.POW, self, other)
        if isinstance(other, numbers.Real):
            return _unary(ops.pow_const(_as_float(other)), self)
        return _binary(ops.POW, self, _operand(other, "**"))

    def __rpow__(self, other: object) -> Value:
        return _binary(ops.POW, _operand(other, "**"), self)

    def __neg__(self) -> Value:
        """``-self``; d/dself = -1."""
        return _unary(ops.NEG, self)

    def __pos__(self) -> Self:
        return self

    def __abs__(self) -> Value:
        return self.abs()

    def exp(self) -> Value:
        """``e^x``; d/dx = e^x. Overflow gives ``inf`` (``exp(1000) = inf``)."""
        return _unary(ops.EXP, self)

    def log(self) -> Value:
        """Natural log; d/dx = 1/x. ``log(0) = -inf``, ``log(-1) = nan``."""
        return _unary(ops.LOG, self)

    def tanh(self) -> Value:
        """``tanh(x)``; d/dx = 1 - tanh(x)². Exactly ±1 with zero slope far out."""
        return _unary(ops.TANH, self)

    def sigmoid(self) -> Value:
        """``σ(x) = 1 / (1 + e^-x)``; d/dx = σ(x)(1 - σ(x)). ``σ(-1000) == 0.0`` exactly."""
        return _unary(ops.SIGMOID, self)

    def relu(self) -> Value:
        """``max(x, 0)``; d/dx = 1 if x > 0 else 0."""
        return _unary(ops.RELU, self)

    def sqrt(self) -> Value:
        """``√x``; d/dx = 1 / (2√x). ``sqrt(-1) = nan``."""
        return _unary(ops.SQRT, self)

    def abs(self) -> Value:
        """``|x|``; d/dx = sign(x) (0 at 0, as in PyTorch)."""
        return _unary(ops.ABS, self)

    def sin(self) -> Value:
        """``sin(x)``; d/dx = cos(x)."""
        return _unary(ops.SIN, self)

    def cos(self) -> Value:
        """``cos(x)``; d/dx = -sin(x)."""
        return _unary(ops.COS, self)

    def softplus(self) -> Value:
        """``log(1 + e^x)``, computed without overflow; d/dx = σ(x)."""
        return _unary(ops.SOFTPLUS, self)

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from this graph."""
        return Value(self.data, self.label)

    def backward(self, seed: float = 1.0) -> None:
        """Fill ``.grad`` of every node below with ``d self / d node`` (reverse mode).

        Leaves accumulate (calling it twice doubles them, as in PyTorch); every non-leaf's
        ``.grad`` is set afresh, so it shows this sweep's gradients. Iterative: no recursion
        limit at any depth.
        """
        _sweep.backward(self, seed)


_JUST_VALUES = frozenset({Value})
_VALUES_AND_FLOATS = frozenset({Value, float})


def _values(xs: Iterable[object], what: str) -> Sequence[Value]:
    """``xs`` as a sequence of Values (numbers become constant leaves), checked."""
    if type(xs) in (list, tuple):  # the common cases, with the element types checked in C
        kinds = set(map(type, xs))
        if kinds <= _JUST_VALUES:
            return cast(Sequence[Value], xs)
        if kinds <= _VALUES_AND_FLOATS:
            return [x if type(x) is Value else Value(x) for x in xs]  # type: ignore[arg-type]
    if isinstance(xs, (str, bytes)) or not isinstance(xs, Iterable):
        raise TypeError(f"{what} must be a sequence of Values or numbers, not {type(xs).__name__}")
    return [as_value(x) for x in xs]


def add_n(values: Iterable[Value | float]) -> Value:
    """One node for ``x_0 + x_1 + ... + x_n``; d/dx_i = 1 (a single node, not a chain)."""
    return apply(ops.ADD_N, *_values(values, "values"))


def weighted_sum(
    weights: Sequence[Value | float], inputs: Sequence[Value | float], bias: Value | float = 0.0
) -> Value:
    """One node for a neuron's ``net = Σ w_i x_i + b``, the article's ``net``.

    Local derivatives: ``d net/d w_i = x_i``, ``d net/d x_i = w_i``, ``d net/d b = 1``.
    Its parents are ``(w_0..w_n-1, x_0..x_n-1, b)``.
    """
    ws = _values(weights, "weights")
    xs = _values(inputs, "inputs")
    if len(ws) != len(xs):
        raise ValueError(f"weighted_sum got {len(ws)} weights but {len(xs)} inputs")
    return apply(ops.WSUM, *ws, *xs, as_value(bias))


Reduction = Literal["mean", "sum", "half_sum"]
_SQUARED_ERROR_OPS = {"mean": ops.MSE, "sum": ops.SSE, "half_sum": ops.HALF_SSE}


def squared_error(
    outputs: Sequence[Value | float],
    targets: Sequence[Value | float],
    reduction: Reduction = "mean",
) -> Value:
    """One node for the squared error of ``outputs`` against ``targets``.

    * ``"mean"``: ``1/n Σ (o_i - y_i)^2`` (PyTorch's ``MSELoss``);
    * ``"sum"``: ``Σ (o_i - y_i)^2``;
    * ``"half_sum"``: ``1/2 Σ (y_i - o_i)^2``, the article's ``J(W)``, whose derivative is
      the article's ``dJ/do_i = -(y_i - o_i)``.
    """
    try:
        op = _SQUARED_ERROR_OPS[reduction]
    except (KeyError, TypeError):
        raise ValueError(
            f"reduction must be one of {sorted(_SQUARED_ERROR_OPS)}, not {reduction!r}"
        ) from None
    os_ = _values(outputs, "outputs")
    ys = _values(targets, "targets")
    if len(os_) != len(ys):
        raise ValueError(f"got {len(os_)} outputs but {len(ys)} targets")
    if not os_:
        raise ValueError("squared_error needs at least one output")
    return apply(op, *os_, *ys)


# The chain rule lives in autograd.backward, which imports this module; binding the module
# here, once, keeps Value.backward() free of a per-call import.
import autograd.backward as _sweep  # noqa: E402
