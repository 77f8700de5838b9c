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

import contextlib
import itertools
import math
import numbers
import operator
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Literal, cast

from autograd import ops
from autograd.modes import DEFAULT_MODE, check_forward, check_tracing, current_mode
from autograd.ops import Op

if TYPE_CHECKING:
    from typing_extensions import Self

Number = float | int

_new = object.__new__
_ADD = ops.ADD
_SUB = ops.SUB
_MUL = ops.MUL
_ONES = (1.0, 1.0)
_WSUM = ops.WSUM
_mul = operator.mul
_sub = operator.sub
_data_of = operator.attrgetter("_data")
_TANH = ops.TANH
_SIGMOID = ops.SIGMOID
#: ``detach()`` while ``autograd.compile`` traces: a stop-gradient node, the number passed
#: on and the gradient not (its derivative is the masked zero; the compiler sends none).
DETACH = Op("detach", "detach", lambda x: x, lambda out, x: (ops.MASKED,),
            "stop-gradient: the number passes, d/dx = 0")
_RELU = ops.RELU
_MASKED = ops.MASKED
_tanh = math.tanh
_exp = math.exp
_sigmoid = ops.float_sigmoid
_ONE_MINUS_ONE = (1.0, -1.0)
_get_mode = current_mode.get
# Creation stamps: every node is stamped after its parents exist, so sorting by stamp is a
# topological order (leaves have stamps <= 0). autograd.backward orders its sweeps by them.
_next_stamp = itertools.count(1).__next__


#: ``Value._stamp`` of a result computed under ``no_grad()``: a leaf with
#: ``requires_grad == False``, from which ``backward()`` raises (as in PyTorch).
NO_GRAD_STAMP = -1
#: ``Value._stamp`` of a number that an operator wrapped (the ``2`` of ``x * 2``): a leaf no
#: one asked a gradient of, so ``detect_anomaly()`` does not check the gradient it receives.
CONSTANT_STAMP = -2


def _as_float(data: object, what: str = "Value data") -> float:
    """``data`` as a built-in float, or a ``TypeError`` that names its type.

    Any real number converts (int, bool, ``Fraction``, a float subclass, NumPy scalars); an
    int beyond the float range rounds to ``±inf`` with its sign, as IEEE rounding does.
    """
    if isinstance(data, float):
        return float(data)
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int beyond the float range rounds to infinity (IEEE)
            return math.inf if data > 0 else -math.inf  # type: ignore[operator]
    raise TypeError(
        f"{what} must be a real number (int or float), not {type(data).__name__}: {data!r:.60}"
    )


def _node(data: float, op: Op, parents: Any, local_grads: Any) -> Value:
    """A new node made by ``op`` from Value operands only (a leaf inside ``no_grad()``).

    ``parents`` and ``local_grads`` are bare (a Value and a float) for one parent, else
    tuples of equal length.
    """
    node = _new(Value)
    node._data = data
    node._grad = 0.0
    node.label = ""
    node._parents = parents
    node._locals = local_grads
    node.operation = op
    node._stamp = _next_stamp()
    if _get_mode() is not DEFAULT_MODE:
        _apply_mode(node)
    return node


def _constant(x: float) -> Value:
    """A leaf for a number that :func:`as_value` wrapped (``CONSTANT_STAMP``)."""
    node = _new(Value)
    node._data = x
    node._grad = FRESH_GRAD
    node.label = ""
    node._parents = ()
    node._locals = ()
    node.operation = None
    node._stamp = CONSTANT_STAMP
    return node


def _apply_mode(node: Value) -> None:
    """Anomaly checks and ``no_grad()``: the rare path, kept out of ``_node``."""
    mode = _get_mode()
    if mode.tracing and not mode.grad_enabled:
        _stop_gradient(node)
        return
    if mode.anomaly and node.operation is not None:
        check_forward(node.operation.name, _numbers(node.inputs), node._data)
    if not mode.grad_enabled:
        _make_leaf(node, NO_GRAD_STAMP)


def _stop_gradient(node: Value) -> None:
    """``no_grad()`` while ``autograd.compile`` traces: instead of a leaf (whose number the
    compiled code would freeze), ``node`` becomes a stop-gradient (op ``"detach"``) of a
    copy of itself, so the number is recomputed on every call and no gradient flows."""
    inner = _new(Value)
    inner._data = node._data
    inner._grad = 0.0
    inner.label = ""
    inner._parents = node._parents
    inner._locals = node._locals
    inner.operation = node.operation
    inner._stamp = node._stamp
    with contextlib.suppress(AttributeError):
        inner._inputs = node._inputs
        del node._inputs
    node._parents = inner
    node._locals = _MASKED
    node.operation = DETACH
    node._stamp = _next_stamp()


def _frozen_result(node: Value) -> None:
    """A node computed from frozen Values only (``requires_grad == False``) becomes a frozen
    leaf itself, as PyTorch records no graph for it. The rare path: the builders call it
    when one parent is frozen (the first, or a neuron's bias: all must be, so any will do)."""
    if _get_mode().tracing:
        # autograd.compile records the op, so that the compiled code reads the frozen
        # Values' current numbers at every call (a leaf here would be baked in as a number)
        return
    if node._stamp > 0 and all(p._stamp == NO_GRAD_STAMP for p in node.parents):
        _make_leaf(node, NO_GRAD_STAMP)


def _make_leaf(node: Value, stamp: int) -> None:
    """Turn a freshly made node into a leaf (no parents, no op) with the given stamp (a
    ``NO_GRAD_STAMP`` leaf receives no gradient: its ``_grad`` becomes a :class:`_Frozen`)."""
    node._parents = ()
    node._locals = ()
    node.operation = None
    node._stamp = stamp
    node._grad = FRESH_GRAD
    if stamp == NO_GRAD_STAMP:
        node._grad = _freeze(node._grad)
    with contextlib.suppress(AttributeError):
        del node._inputs


def _record(op: Op, operands: tuple[Any, ...]) -> Value:
    """A node for ``op`` applied to ``operands`` (Values and built-in floats), by the row.

    The forward and the local derivatives come from the row; only the Values among the
    operands become parents (a number gets no gradient), in operand order, and
    ``node.inputs`` keeps the operands with the numbers in place. A node whose operands are
    all numbers is a constant leaf holding the result (as PyTorch's result of an operation
    on tensors that do not require grad).
    """
    xs = _numbers(operands)
    out = op.forward(*xs)
    if type(out) is not float:
        out = _as_float(out, f"the forward of op {op.name!r}")
    rules = tuple(op.local_grads(out, *xs))
    if len(rules) != len(operands):
        raise ValueError(
            f"the rule of op {op.name!r} gave {len(rules)} local derivative(s) "
            f"for {len(operands)} input(s)"
        )
    if not set(map(type, rules)) <= _RULE_TYPES:
        rules = tuple([_rule_float(op, d) for d in rules])
    parents = _at_values(operands, operands)
    if len(parents) == len(operands):  # Values only: inputs and parents are the same
        if len(parents) == 1:
            node = _node(out, op, parents[0], rules[0])
        else:
            node = _node(out, op, operands, rules)
        if parents[0]._stamp == NO_GRAD_STAMP:  # any parent: frozen-only needs all frozen
            _frozen_result(node)
        return node
    if not parents:  # numbers only: nothing to differentiate, a constant leaf
        return _constant(out)
    return _node_with_numbers(out, op, parents, _at_values(operands, rules), operands)


#: What a rule may return on floats and is kept as it is: a built-in float, and the two
#: special local derivatives of :mod:`autograd.ops` (``MASKED`` and a subnormal's
#: ``reciprocal``), whose products with a float are built-in floats.
_RULE_TYPES = frozenset({float, type(ops.MASKED), ops._Reciprocal})


def _rule_float(op: Op, d: object) -> Any:
    """A local derivative from ``op``'s rule on floats as the sweep stores it: a built-in
    float (any real number converts: ``numpy.float32``, ``int``, ``Fraction``, a float
    subclass), or ``TypeError`` naming the op for anything else (a complex, a Value), so that
    ``.grad`` is always a built-in float."""
    if type(d) in _RULE_TYPES:
        return d
    if isinstance(d, numbers.Real) and not isinstance(d, Value):
        return _as_float(d)
    raise TypeError(
        f"the rule of op {op.name!r} returned a local derivative of type "
        f"{type(d).__name__} ({d!r:.40}) for float inputs; a rule on floats must return real "
        "numbers (a Value or a complex would make .grad a non-float)"
    )


def _numbers(inputs: Sequence[Any]) -> list[float]:
    """The numbers of operands: a Value's ``data``, a number itself."""
    return [x._data if isinstance(x, Value) else x for x in inputs]


def _at_values(inputs: Sequence[Any], entries: Sequence[Any]) -> tuple[Any, ...]:
    """The ``entries`` at the places of ``inputs`` that hold Values: from a rule row's one
    derivative per input, the ones per parent (a number operand's entry is dropped)."""
    return tuple(d for x, d in zip(inputs, entries) if isinstance(x, Value))


def _node_with_numbers(data: float, op: Op, parents: Sequence[Value],
                       local_grads: Sequence[Any], inputs: tuple[Any, ...]) -> Value:
    """A new node made by ``op`` from ``inputs`` with numbers among them: ``parents`` are
    its Values, with one local derivative each (stored bare when there is one), and
    ``inputs`` are kept (set before the mode checks, whose messages show them)."""
    node = _new(Value)
    node._data = data
    node._grad = 0.0
    node.label = ""
    if len(parents) == 1:
        node._parents = parents[0]
        node._locals = local_grads[0]
    else:
        node._parents = tuple(parents)
        node._locals = tuple(local_grads)
    node._inputs = inputs
    node.operation = op
    node._stamp = _next_stamp()
    if _get_mode() is not DEFAULT_MODE:
        _apply_mode(node)
    if parents[0]._stamp == NO_GRAD_STAMP:
        _frozen_result(node)
    return node


def _input(x: object) -> Any:
    """An operand as an op keeps it: a Value itself, a real number as a built-in float
    (``TypeError`` naming anything else)."""
    if type(x) is float or isinstance(x, Value):
        return x
    return _as_float(x)


def apply(op: Op, *inputs: Value | float) -> Value:
    """Apply the rule-table row ``op`` to Values: ``out = op.forward(x...)``, recorded.

    This is how a custom operation (an :class:`autograd.Op` of your own) is used: the node
    gets ``op`` as its ``operation``, the Values among ``inputs`` as its parents and their
    entries of ``op.local_grads(out, x...)`` as its local derivatives, so ``backward()``,
    ``grad()`` (any order), ``gradcheck`` and ``draw_dot`` treat it like a built-in op.
    Numbers among ``inputs`` stay numbers: they get no gradient, and ``node.inputs`` lists
    them in place. ``TypeError`` if ``op`` is not an Op or an input is not a number;
    ``ValueError`` if the number of inputs differs from ``op.arity`` or the rule returns a
    different number of derivatives.
    """
    if not isinstance(op, Op):
        raise TypeError(f"apply() takes an Op first, not {type(op).__name__}")
    if op.arity is not None and len(inputs) != op.arity:
        raise ValueError(f"op {op.name!r} takes {op.arity} input(s), got {len(inputs)}")
    if not inputs:  # an n-ary op (arity None) called with nothing
        raise ValueError(f"op {op.name!r} needs at least one input, got none")
    operands = tuple(map(_input, inputs))
    return _record(op, operands)


def _unary(op: Op, x: Value) -> Value:
    d = x._data
    out = op.forward(d)
    node = _node(out, op, x, op.local_grads(out, d)[0])
    if x._stamp == NO_GRAD_STAMP:
        _frozen_result(node)
    return node


def _binary(op: Op, a: object, b: object, symbol: str) -> Value:
    """``op(a, b)`` for an operator: two Values, or a Value and a number (not wrapped)."""
    if type(a) is Value and type(b) is Value:
        da = a._data
        db = b._data
        out = op.forward(da, db)
        node = _node(out, op, (a, b), op.local_grads(out, da, db))
        if a._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node
    operands = (_operand(a, symbol), _operand(b, symbol))
    return _record(op, operands)


def as_value(x: object) -> Value:
    """``x`` itself if it is a Value, else a constant leaf; ``TypeError`` for a non-number."""
    return x if isinstance(x, Value) else _constant(_as_float(x))


def _operand(x: object, symbol: str) -> Any:
    """An operator's operand: a Value, or a real number as a built-in float (not wrapped);
    a ``TypeError`` naming a non-number's type.

    Raising here, rather than returning ``NotImplemented``, keeps the message about the
    operand: ``"3" * Value(2)`` would otherwise become a confusing sequence repetition.
    """
    if type(x) is float or isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return _as_float(x)
    raise _operand_error(x, symbol)


def _operand_error(x: object, symbol: str) -> TypeError:
    return TypeError(
        f"unsupported operand type for {symbol}: Value and {type(x).__name__} "
        f"({x!r:.40}); a Value combines with Values and real numbers"
    )


def _number(other: object) -> Any:
    """The number a comparison reads from ``other``, or ``NotImplemented``."""
    if isinstance(other, Value):
        return other._data
    if isinstance(other, numbers.Real):
        return other
    return NotImplemented


def _restore_leaf(data: float, grad: float | None, label: str, stamp: int) -> Value:
    """Rebuild a leaf from ``copy``/``pickle`` state (see ``Value.__reduce__``)."""
    leaf = Value(data, label)
    leaf._stamp = stamp  # a leaf's: 0, NO_GRAD_STAMP or CONSTANT_STAMP
    if grad is not FRESH_GRAD or stamp == NO_GRAD_STAMP:  # a fresh leaf's copy is fresh too
        leaf.grad = grad  # after the stamp: a NO_GRAD_STAMP leaf keeps its gradient frozen
    return leaf


class _NoGradYet(float):
    """The ``-0.0`` that a leaf's ``_grad`` holds for "no gradient yet" (``grad is None``).

    ``-0.0`` is IEEE addition's exact identity, so the sweep's ``grad += contribution``
    turns it into the contribution itself, as PyTorch's first accumulation into a ``None``
    gradient does, with no test in the sweep.
    """

    __slots__ = ()

    def __reduce__(self) -> str:
        return "NO_GRAD_YET"


#: ``Value._grad`` of a leaf whose ``grad`` is ``None``.
NO_GRAD_YET: float = _NoGradYet(-0.0)

_first_contribution = (-0.0).__add__  # -0.0 + c == c exactly (for every float c)


class _FreshGrad(float):
    """The ``0.0`` that a new leaf's ``_grad`` holds until a sweep reaches it or it is set.

    It reads as ``0.0`` (``Value(2.0).grad == 0.0``) but holds no contribution yet: the
    sweep's ``grad += contribution`` gives the contribution itself (``FRESH_GRAD + -0.0`` is
    ``-0.0``), as PyTorch's first accumulation into a ``None`` gradient does. So ``backward()``
    on fresh leaves gives exactly what ``grad()`` returns, the sign of a zero included (see
    the sign rule in :mod:`autograd.backward`). Any other arithmetic treats it as ``0.0``.
    """

    __slots__ = ()

    def __add__(self, other: float) -> float:
        return _first_contribution(other)

    __radd__ = __add__

    def __reduce__(self) -> str:
        return "FRESH_GRAD"


#: ``Value._grad`` of a leaf that no sweep has reached and no one has set (reads ``0.0``).
FRESH_GRAD: float = _FreshGrad(0.0)


class _Frozen(float):
    """The ``_grad`` of a leaf that does not require grad (``requires_grad=False``, or a
    result computed under ``no_grad()``): its gradient, which ``+`` leaves unchanged.

    Every sweep adds into a parent's ``_grad`` (``backward()``, the anomaly sweep and the
    code ``autograd.compile`` writes), so a gradient that absorbs additions is what keeps
    a frozen leaf's ``.grad`` as it was, as PyTorch does, at no cost to the sweep.
    :data:`FROZEN_NONE` stands for a frozen ``None``.
    """

    __slots__ = ()

    def __add__(self, other: object) -> _Frozen:
        return self

    __radd__ = __add__

    def __reduce__(self) -> tuple[Any, ...]:
        return (_freeze, (None if self is FROZEN_NONE else float(self),))


#: ``Value._grad`` of a frozen leaf whose ``grad`` is ``None``.
FROZEN_NONE: float = _Frozen(-0.0)


#: Whether any frozen gradient was ever made in this process: until then ``zero_grad()``
#: writes every plain Value's slot without looking at it (its hot loop).
_frozen_seen = False


def _freeze(grad: float | None) -> float:
    """A leaf's ``_grad`` (or a ``grad``: a float or None) as a :class:`_Frozen` gradient."""
    global _frozen_seen
    _frozen_seen = True
    if grad is None or grad is NO_GRAD_YET or grad is FROZEN_NONE:
        return FROZEN_NONE
    return grad if type(grad) is _Frozen else _Frozen(grad)


def _thaw(grad: float) -> float:
    """A leaf's ``_grad`` as a plain one again: the inverse of :func:`_freeze`."""
    if type(grad) is not _Frozen:
        return grad
    return NO_GRAD_YET if grad is FROZEN_NONE else float(grad)


#: How micrograd builds an operation, and how it is done here (the TypeError's text).
_CUSTOM_OP_HINT = (
    "an operation is not built by hand from Value(data, children, op) and a _backward "
    "closure here: its local derivatives are data on the node. Write it as one rule row "
    "and apply it (README, \"Custom operations\"):\n"
    "    EXP = autograd.Op('my_exp', 'exp', forward=math.exp, "
    "local_grads=lambda out, x: (out,), formula='d e^x/dx = e^x')\n"
    "    out = autograd.apply(EXP, self)"
)


def _constructor_error(label: object) -> TypeError:
    """The ``TypeError`` of a ``Value(...)`` call other than ``Value(data, label="", *,
    requires_grad=True)``: micrograd's ``Value(data, (self,), 'exp')`` (or its keywords
    ``_children=``, ``_op=``) gets the Op way; a label of another type is named."""
    if type(label) is str or isinstance(label, (tuple, list, set, frozenset)):
        return TypeError(f"Value(data, label='', *, requires_grad=True): {_CUSTOM_OP_HINT}")
    return TypeError(f"Value label must be a str, not {type(label).__name__}")


class Value:
    """A scalar node of a computation graph.

    ``Value(data, label="", *, requires_grad=True)`` makes a leaf (a frozen one, which
    receives no gradient, with ``requires_grad=False``; see :meth:`requires_grad_`).
    Arithmetic with Values and real numbers on either side (``+ - * / **``, unary ``-``)
    and the methods ``exp log tanh sigmoid relu sqrt abs sin cos softplus`` make new nodes;
    ``backward()`` then fills ``.grad`` of every node below with ``d self / d node`` by the
    chain rule.

    Attributes:
        data: the number, always a built-in float (assigning any real number converts it;
            anything else is a ``TypeError``).
        grad: the gradient, a built-in float, ``0.0`` until a backward sweep reaches this
            node; may be set to ``None`` ("no gradient yet", PyTorch's ``set_to_none``),
            which the next sweep treats as ``0``.
        label: a name for drawings and messages (the article's ``w5``, ``net3``...).
        parents: the Values this node was computed from, in operand order (read-only).
        local_grads: ``d self / d parents[i]`` at forward time, one per parent.
        inputs: the operands in the op's order: the parents with any numbers in place
            (``(x * 2).inputs == (x, 2.0)``; a number gets no gradient and is no node).
        operation: the rule-table row (:class:`autograd.ops.Op`) that made it, or None.

    PyTorch habits that work (each reads ``.data``): comparisons ``== != < <= > >=`` with a
    Value or a real number return a bool (with anything else, ``==`` is False and ``<`` a
    ``TypeError``); ``bool(v)`` is ``v.data != 0`` (``nan`` is true); ``int(v)``,
    ``round(v)``, ``round(v, n)``, ``float(v)``, ``v.item()`` and ``f"{v:.3f}"`` act on the
    float (``f"{v}"`` is ``str(v)``). Values still hash by identity, so sets and dicts of
    Values are sets of nodes, not of numbers. ``copy.copy``, ``copy.deepcopy`` and
    ``pickle`` of a leaf give a new leaf with the same data, grad and label; of a non-leaf
    they raise ``RuntimeError`` (``.detach()`` it first), as PyTorch's deepcopy does.
    """

    # One parent is stored bare (a Value and a float), several as tuples; ``_inputs`` is set
    # only on nodes with a number among their operands (a bare float for ``value op number``,
    # the commonest, else the tuple of operands). The properties below give tuples.
    __slots__ = ("_data", "_grad", "_inputs", "_locals", "_parents", "_stamp", "label",
                 "operation")

    # NumPy scalars on the left (``np.float64(2) * v``) defer to our reflected operators.
    __array_ufunc__ = None

    _data: float
    _grad: float
    _stamp: int
    _parents: Any
    _locals: Any
    _inputs: Any
    label: str
    operation: Op | None

    def __init__(self, data: Number, label: str = "", _op: object = None, *,
                 requires_grad: bool = True, _children: object = None) -> None:
        if type(data) is not float:
            data = _as_float(data)
        # micrograd's Value(data, _children, _op) is caught here, to show the Op way
        if type(label) is not str or _op is not None or _children is not None:
            raise _constructor_error(label)
        self._data = data
        self.label = label
        self._parents = ()
        self._locals = ()
        self.operation = None
        if requires_grad:
            self._grad = FRESH_GRAD
            self._stamp = 0
        else:  # frozen: a constant that receives no gradient
            self._grad = _freeze(0.0)
            self._stamp = NO_GRAD_STAMP

    @property
    def data(self) -> float:
        """The number, a built-in float; assigning a real number converts it. (While
        ``autograd.compile`` traces, reading or assigning it raises ``TracingError``.)"""
        if _get_mode() is not DEFAULT_MODE:
            check_tracing(".data")
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        if _get_mode() is not DEFAULT_MODE:
            check_tracing("assigning .data")
        self._data = value if type(value) is float else _as_float(value, "Value.data")

    @property
    def grad(self) -> float:
        """``d root / d self`` from the last sweep (a float), or ``None`` if set so.

        Assigning converts a real number to a float; ``None`` means "no gradient yet"
        (``zero_grad(set_to_none=True)``): the next ``backward()`` starts this leaf at 0.
        """
        g = self._grad
        if type(g) is float:
            return g
        if g is NO_GRAD_YET or g is FROZEN_NONE:
            return None  # type: ignore[return-value]
        return float(g)  # a frozen leaf's (a _Frozen), as a plain float

    @grad.setter
    def grad(self, value: float | None) -> None:
        if value is None:
            g = NO_GRAD_YET
        else:
            g = value if type(value) is float else _as_float(value, "Value.grad")
        self._grad = _freeze(g) if self._stamp == NO_GRAD_STAMP else g

    @property
    def op(self) -> str:
        """The name of the operation that made this node (``""`` for a leaf)."""
        return "" if self.operation is None else self.operation.name

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this node was computed from, in operand order (``()`` for a leaf); a
        Value used twice appears twice (``a * a``). Numbers are not parents: see ``inputs``."""
        ps = self._parents
        return ps if type(ps) is tuple else (ps,)

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """``d self / d parents[i]``, evaluated at forward time, one per parent."""
        ds = self._locals
        return ds if type(ds) is tuple else (ds,)

    @property
    def inputs(self) -> tuple[Any, ...]:
        """The operands in the op's order: the parents, with numbers (floats) in place.

        ``(x * 2).inputs == (x, 2.0)`` while ``(x * 2).parents == (x,)``; the rule row
        ``operation.local_grads(out, *inputs)`` gives one derivative per input.
        """
        try:
            inputs = self._inputs
        except AttributeError:
            return self.parents
        if type(inputs) is float:  # Value (op) number, stored as the bare number
            return (self._parents, inputs)
        return inputs  # type: ignore[no-any-return]

    @property
    def is_leaf(self) -> bool:
        """True for a node without parents (made by ``Value()``, a constant, or under
        ``no_grad()``): ``backward()`` accumulates into the ``.grad`` of leaves."""
        return self._stamp <= 0

    @property
    def requires_grad(self) -> bool:
        """False for a leaf that does not require grad, as in PyTorch: one made with
        ``requires_grad=False`` or frozen by ``requires_grad_(False)``, a result computed
        under ``no_grad()`` and a result computed from such leaves only. It receives no
        gradient (``backward()`` leaves its ``.grad`` as it is, ``grad()`` treats it as a
        constant), and ``backward()`` from it raises. True for every other Value."""
        return self._stamp != NO_GRAD_STAMP

    def requires_grad_(self, requires_grad: bool = True) -> Self:
        """Freeze (``False``) or unfreeze (``True``) a leaf in place and return it, as
        PyTorch's ``Tensor.requires_grad_``: a frozen leaf (a parameter that is not
        trained) receives no gradient, keeps its ``.grad``, and optimizers skip it.

        A non-leaf cannot be frozen (``RuntimeError``: ``.detach()`` gives a leaf);
        ``requires_grad_(True)`` on a non-leaf changes nothing, as in PyTorch.
        """
        if type(requires_grad) is not bool:
            raise TypeError(f"requires_grad_() takes a bool, not {type(requires_grad).__name__}")
        if self._stamp > 0:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf Values (as in PyTorch); "
                    f"this one was made by {self.op!r}. To use its number without a "
                    "gradient, take v.detach().requires_grad_(False)"
                )
            return self
        if not requires_grad:
            self._stamp = NO_GRAD_STAMP
            self._grad = _freeze(self._grad)
        elif self._stamp == NO_GRAD_STAMP:
            self._stamp = 0
            self._grad = _thaw(self._grad)
        return self

    # -- micrograd's names, read-only, so its own graph-tracing and drawing code runs -------

    @property
    def _prev(self) -> frozenset[Value]:
        """micrograd's ``_prev``: the set of parents (``a * a`` has one), read-only."""
        return frozenset(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's ``_op``: the op's short symbol, micrograd's own where it has the op
        (``'+'``, ``'*'``, ``'**2'``, ``'ReLU'``, ``'tanh'``, ``'exp'``), else the symbol
        of the row (``'-'``, ``'/'``, ``'log'``, ``'σ'``, ``'Σ w·x + b'``...); ``''`` for a
        leaf."""
        return "" if self.operation is None else self.operation.symbol

    @property
    def _backward(self) -> None:
        """micrograd keeps a ``_backward`` closure per node; here local derivatives are data
        (``local_grads``) and the sweep is :meth:`backward`. Assigning one is a
        ``TypeError`` that shows how a custom operation is written."""
        raise AttributeError(
            "a Value has no _backward closure: its local derivatives are data (local_grads) "
            "and backward() sweeps them; see the README, \"Custom operations\""
        )

    @_backward.setter
    def _backward(self, closure: object) -> None:
        raise TypeError(f"Value._backward cannot be assigned: {_CUSTOM_OP_HINT}")

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.operation is not None else ""
        return f"Value(data={self._data!r}, grad={self.grad!r}{label}{op})"

    # -- reading the number, as PyTorch's scalar tensors allow -----------------------------

    def item(self) -> float:
        """The number as a built-in float (PyTorch's ``Tensor.item()``): ``v.data``."""
        check_tracing("item()")
        return self._data

    def __float__(self) -> float:
        check_tracing("float()")
        return self._data

    def __int__(self) -> int:
        """``int(v.data)``, truncating; nan and inf raise as for a float."""
        check_tracing("int()")
        return int(self._data)

    def __round__(self, ndigits: int | None = None) -> Any:
        """``round(v.data)`` (an int) or ``round(v.data, ndigits)`` (a float)."""
        check_tracing("round()")
        return round(self._data, ndigits)  # round(x, None) is round(x), an int

    def __bool__(self) -> bool:
        """``v.data != 0``: ``Value(0.0)`` is false, ``Value(nan)`` true (as ``torch``)."""
        check_tracing("bool()")
        return self._data != 0.0

    def __format__(self, spec: str) -> str:
        """``f"{v:.3f}"`` formats the number; ``f"{v}"`` (an empty spec) is ``str(v)``."""
        if not spec:
            return str(self)
        check_tracing("format()")
        return format(self._data, spec)

    # Comparisons read the numbers and return a bool (``v == 1.0``, ``v < w``); hashing
    # stays by identity, so a set or dict of Values holds nodes, never merged by value.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        check_tracing("comparison (==)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data == o)

    def __ne__(self, other: object) -> bool:
        check_tracing("comparison (!=)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data != o)

    def __lt__(self, other: object) -> bool:
        check_tracing("comparison (<)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data < o)

    def __le__(self, other: object) -> bool:
        check_tracing("comparison (<=)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data <= o)

    def __gt__(self, other: object) -> bool:
        check_tracing("comparison (>)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data > o)

    def __ge__(self, other: object) -> bool:
        check_tracing("comparison (>=)")
        o = _number(other)
        return NotImplemented if o is NotImplemented else bool(self._data >= o)

    # -- copies: leaves only, as PyTorch ------------------------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        """``copy``, ``deepcopy`` and ``pickle`` of a leaf: a new leaf with the same data,
        grad and label. A non-leaf raises ``RuntimeError``: copying it would duplicate
        its place in the graph (``.detach()`` gives a leaf to copy)."""
        if self._stamp > 0:
            raise RuntimeError(
                f"only leaf Values (without parents) can be copied or pickled; this one was "
                f"made by {self.op!r}. Call .detach() first to copy its number, as in PyTorch."
            )
        grad = FRESH_GRAD if self._grad is FRESH_GRAD else self.grad
        return (_restore_leaf, (self._data, grad, self.label, self._stamp))

    # -- arithmetic: each operator dispatches to one row of the table ---------------------

    # The four common operators build their node inline for a Value or float operand (the
    # same numbers as their rows: the rule-table tests compare them); anything else goes
    # through the row (_binary).

    def __add__(self, other: object) -> Value:
        """``self + other``; d/dself = 1, d/dother = 1."""
        kind = type(other)
        if kind is float:
            node = _new(Value)
            node._data = self._data + other  # type: ignore[operator]
            node._grad = 0.0
            node.label = ""
            node._parents = self
            node._locals = 1.0
            node._inputs = other  # a bare number: the inputs are (self, other)
            node.operation = _ADD
            node._stamp = _next_stamp()
        elif kind is Value:
            node = _new(Value)
            node._data = self._data + other._data  # type: ignore[attr-defined]
            node._grad = 0.0
            node.label = ""
            node._parents = (self, other)
            node._locals = _ONES
            node.operation = _ADD
            node._stamp = _next_stamp()
        else:
            return _binary(_ADD, self, other, "+")
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

    def __radd__(self, other: object) -> Value:
        return _binary(_ADD, other, self, "+")

    def __sub__(self, other: object) -> Value:
        """``self - other``; d/dself = 1, d/dother = -1."""
        kind = type(other)
        if kind is float:
            node = _new(Value)
            node._data = self._data - other  # type: ignore[operator]
            node._grad = 0.0
            node.label = ""
            node._parents = self
            node._locals = 1.0
            node._inputs = other  # a bare number: the inputs are (self, other)
            node.operation = _SUB
            node._stamp = _next_stamp()
        elif kind is Value:
            node = _new(Value)
            node._data = self._data - other._data  # type: ignore[attr-defined]
            node._grad = 0.0
            node.label = ""
            node._parents = (self, other)
            node._locals = _ONE_MINUS_ONE
            node.operation = _SUB
            node._stamp = _next_stamp()
        else:
            return _binary(_SUB, self, other, "-")
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

    def __rsub__(self, other: object) -> Value:
        return _binary(_SUB, other, self, "-")

    def __mul__(self, other: object) -> Value:
        """``self * other``; d/dself = other, d/dother = self."""
        kind = type(other)
        if kind is float:
            node = _new(Value)
            node._data = self._data * other  # type: ignore[operator]
            node._grad = 0.0
            node.label = ""
            node._parents = self
            node._locals = other
            node._inputs = other  # a bare number: the inputs are (self, other)
            node.operation = _MUL
            node._stamp = _next_stamp()
        elif kind is Value:
            a = self._data
            b = other._data  # type: ignore[attr-defined]
            node = _new(Value)
            node._data = a * b
            node._grad = 0.0
            node.label = ""
            node._parents = (self, other)
            node._locals = (b, a)
            node.operation = _MUL
            node._stamp = _next_stamp()
        else:
            return _binary(_MUL, self, other, "*")
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

    def __rmul__(self, other: object) -> Value:
        return _binary(_MUL, other, self, "*")

    def __truediv__(self, other: object) -> Value:
        """``self / other`` (IEEE: ``1/0 = inf``); d/dself = 1/other, d/dother = -self/other²."""
        return _binary(ops.DIV, self, other, "/")

    def __rtruediv__(self, other: object) -> Value:
        return _binary(ops.DIV, other, self, "/")

    def __pow__(self, other: object) -> Value:
        """``self ** other``: a number exponent is a constant (d/dx x^c = c x^(c-1)); a
        Value exponent is an input too (d/db a^b = a^b log a)."""
        if isinstance(other, Value):
            return _binary(ops.POW, self, other, "**")
        if isinstance(other, numbers.Real):
            return _unary(ops.pow_const(_as_float(other)), self)
        raise _operand_error(other, "**")

    def __rpow__(self, other: object) -> Value:
        return _binary(ops.POW, other, self, "**")

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

    # The activations build their node inline (the numbers of their rows, which the
    # rule-table tests compare), as they run once per neuron.

    def tanh(self) -> Value:
        """``tanh(x)``; d/dx = 1 - tanh(x)². Exactly ±1 with zero slope far out."""
        out = _tanh(self._data)
        node = _new(Value)
        node._data = out
        node._grad = 0.0
        node.label = ""
        node._parents = self
        node._locals = 1.0 - out * out
        node.operation = _TANH
        node._stamp = _next_stamp()
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

    def sigmoid(self) -> Value:
        """``σ(x) = 1 / (1 + e^-x)``; d/dx = σ(x)(1 - σ(x)). ``σ(-1000) == 0.0`` exactly."""
        x = self._data
        # for x < 0 (and nan) the row's e^x / (1 + e^x)
        out = 1.0 / (1.0 + _exp(-x)) if x >= 0.0 else _sigmoid(x)
        node = _new(Value)
        node._data = out
        node._grad = 0.0
        node.label = ""
        node._parents = self
        node._locals = out * (1.0 - out)
        node.operation = _SIGMOID
        node._stamp = _next_stamp()
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

    def relu(self) -> Value:
        """``max(x, 0)``; d/dx = 1 if x > 0 else 0 (a masked zero, see ``ops.MASKED``)."""
        x = self._data
        node = _new(Value)
        if x > 0.0 or x != x:  # nan passes through, with the slope 1 (as the row)
            node._data = x
            node._locals = 1.0
        else:
            node._data = 0.0
            node._locals = _MASKED
        node._grad = 0.0
        node.label = ""
        node._parents = self
        node.operation = _RELU
        node._stamp = _next_stamp()
        if _get_mode() is not DEFAULT_MODE:
            _apply_mode(node)
        if self._stamp == NO_GRAD_STAMP:
            _frozen_result(node)
        return node

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
        """A new leaf with the same data and label, cut off from this graph.

        While ``autograd.compile`` traces, it is a stop-gradient node instead (op
        ``"detach"``: the number passed on, no gradient back), so that the compiled code
        recomputes its number on every call rather than freezing the traced one.
        """
        if _get_mode() is not DEFAULT_MODE and _get_mode().tracing:
            node = _node(self._data, DETACH, self, _MASKED)
            node.label = self.label
            return node
        return Value(self._data, self.label)

    def backward(self, gradient: float | Value | None = None,
                 retain_graph: bool | None = None) -> None:
        """Fill ``.grad`` of every node below with ``d self / d node`` (reverse mode).

        PyTorch's keywords: ``gradient`` is the seed (``None``: 1.0; also positional, as
        ``v.backward(2.0)``); ``retain_graph`` is accepted and changes nothing, since this
        engine never frees a graph (its local derivatives are data on the nodes), so a
        second ``backward()`` through the same graph always works. A frozen leaf
        (``requires_grad == False``) in the graph keeps its ``.grad`` as it is.

        Leaves accumulate (calling it twice doubles them, as in PyTorch); every non-leaf's
        ``.grad`` is set afresh, so it shows this sweep's gradients. Iterative: no recursion
        limit at any depth. The seed (``d self / d self``) is any real number, converted to
        a built-in float (a NumPy ``float32`` seed gives float gradients); a Value seed
        counts as its ``.data`` (no graph is recorded by ``backward()``, so nothing is
        lost). A Value computed under ``no_grad()`` raises ``RuntimeError``, as in PyTorch.
        Sweeps are serialised by a lock: two threads back-propagating one graph give what
        two sequential sweeps give.
        """
        _sweep.backward(self, 1.0 if gradient is None else gradient)


class _ReciprocalNode(Value):
    """The node ``1/x`` of a subnormal ``x`` (its data overflows to ``±inf``), whose product
    with ``g`` is the node ``g / x``: the Value counterpart of ``ops._Reciprocal``.

    ``g * (1/x)`` and ``g / x`` are one function; only the second is finite where ``g / x``
    is, and its own derivatives (``1/x`` and ``-(g/x)/x``) are those of the product. Every
    other operation treats it as the plain node ``1/x``.
    """

    __slots__ = ()

    def __mul__(self, other: object) -> Value:
        divisor: Value = self._parents  # the node is 1.0 / divisor, its one parent
        return _binary(ops.DIV, other, divisor, "*")

    __rmul__ = __mul__


def reciprocal_node(x: Value) -> Value:
    """``1/x`` as a node whose product with ``g`` is ``g / x`` (``x.data`` subnormal).

    Used by :func:`autograd.ops.reciprocal` on Values. Under ``no_grad()`` the node is a
    leaf holding ``1/x`` (no graph, nothing to divide by later).
    """
    node = 1.0 / x
    if node._parents is x:
        node.__class__ = _ReciprocalNode
    return node


def clear_grads(values: Iterable[Value], set_to_none: bool = False) -> None:
    """``v.grad = 0.0`` for each Value (``None``, "no gradient yet", with ``set_to_none``):
    what ``zero_grad()`` of a module and of an optimizer does. A plain Value's slot is
    written directly; a subclass goes through its own ``grad`` property."""
    if set_to_none:
        for v in values:
            v.grad = None
        return
    if not _frozen_seen:  # no frozen leaf exists: the plain loop
        for v in values:
            if type(v) is Value:
                v._grad = 0.0  # a float needs no check
            else:
                v.grad = 0.0
        return
    for v in values:
        if type(v) is Value and v._stamp != NO_GRAD_STAMP:
            v._grad = 0.0
        else:
            v.grad = 0.0  # a frozen leaf's setter keeps it frozen


_VALUES_AND_FLOATS = frozenset({Value, float})


def _values(xs: Iterable[object], what: str) -> Sequence[Any]:
    """``xs`` as a sequence of Values and built-in floats (other numbers converted), checked."""
    # the common cases, with the element types checked in C
    if type(xs) in (list, tuple) and set(map(type, xs)) <= _VALUES_AND_FLOATS:
        return cast(Sequence[Any], xs)
    if isinstance(xs, (str, bytes, AbstractSet, Mapping)) or not isinstance(xs, Iterable):
        raise TypeError(
            f"{what} must be an ordered sequence of Values or numbers, not {type(xs).__name__}"
        )
    return [_input(x) for x in xs]


def add_n(values: Iterable[Value | float]) -> Value:
    """One node for ``x_0 + x_1 + ... + x_n``; d/dx_i = 1 (a single node, not a chain).
    ``ValueError`` for no values (there is no node without inputs)."""
    operands = tuple(_values(values, "values"))
    if not operands:
        raise ValueError("add_n needs at least one value, got none")
    return _record(ops.ADD_N, operands)


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
    b = _input(bias)
    return _record(ops.WSUM, (*ws, *xs, b))


def _net(w: list[Value], xs: Sequence[Any], xdata: Sequence[float] | None, b: Value) -> Value:
    """A neuron's ``net = Σ w_i x_i + b`` node (labelled ``"net"``), as :func:`weighted_sum`
    makes it, for a layer that reads the same inputs in every neuron.

    ``xs`` are all floats (then ``xdata is xs``) or all Values (``xdata`` their numbers,
    read once per layer); ``xdata=None``, or anything not a Value among ``w`` and ``b``,
    takes the general path of :func:`weighted_sum`. The numbers are the row's.
    """
    if xdata is not None:
        try:
            wdata = list(map(_data_of, w))
            out = sum(map(_mul, wdata, xdata), b._data)  # the row's _wsum_forward, bit for bit
        except AttributeError:  # a weight or the bias is not a Value
            xdata = None
    if xdata is None:
        net = weighted_sum(w, xs, b)
    elif xdata is xs:  # numbers: no gradient for them, kept as inputs
        net = _node_with_numbers(out, _WSUM, (*w, b), (*xdata, 1.0), (*w, *xs, b))
    else:
        net = _node(out, _WSUM, (*w, *xs, b), (*xdata, *wdata, 1.0))
        if b._stamp == NO_GRAD_STAMP:
            _frozen_result(net)
    net.label = "net"
    return net


_VALUE_ONLY = frozenset({Value})
_FLOAT_ONLY = frozenset({float})


#: The factor ``c`` of ``J = c Σ (o_i - y_i)^2`` per row (None: ``1/n``, the mean).
_SQUARED_ERROR_SCALE = {ops.MSE: None, ops.SSE: 1.0, ops.HALF_SSE: 0.5}


def _squared_error_node(op: Op, outputs: list[Value], targets: list[float]) -> Value:
    """The node of :func:`squared_error` for Value outputs and number targets.

    The numbers of the row (``ops._squared_forward`` and ``ops._squared_grads``), written
    out in the same order of operations: ``e_i = o_i - y_i``, ``J = c Σ e_i²`` summed left
    to right, ``dJ/do_i = 2c e_i`` (``e_i`` itself when ``2c == 1``, the article's ``J``).
    """
    n = len(outputs)
    scale = _SQUARED_ERROR_SCALE[op]
    errors = list(map(_sub, map(_data_of, outputs), targets))
    total = 0.0
    for error in errors:
        total += error * error
    out = total / n if scale is None else scale * total
    factor = 2.0 / n if scale is None else 2.0 * scale
    rules = errors if factor == 1.0 else [factor * error for error in errors]
    return _node_with_numbers(out, op, outputs, rules, (*outputs, *targets))


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
    if type(outputs) is list and type(targets) is list and len(outputs) == len(targets) \
            and set(map(type, outputs)) == _VALUE_ONLY and set(map(type, targets)) == _FLOAT_ONLY:
        return _squared_error_node(op, outputs, targets)  # Values against numbers: the usual
    os_ = _values(outputs, "outputs")
    ys = _values(targets, "targets")
    if len(os_) != len(ys):
        raise ValueError(f"got {len(os_)} outputs but {len(ys)} targets")
    if not os_:
        raise ValueError("squared_error needs at least one output")
    return _record(op, (*os_, *ys))


# The chain rule lives in autograd.backward, which imports this module; binding the module
# here, once, keeps Value.backward() free of a per-call import.
import autograd.backward as _sweep  # noqa: E402
