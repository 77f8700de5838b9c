"""``Neuron``, ``Layer`` and ``MLP``: the article's network, and bigger ones.

A neuron computes the article's two steps, each ONE graph node::

    net = Σ_i w_i x_i + b        (an n-ary "wsum" node, labelled "net";
                                  d net/d w_i = x_i, d net/d x_i = w_i, d net/d b = 1)
    a   = f(net)                 (the activation node; f = sigmoid, tanh, relu, or none)

so a drawing shows the article's ``net`` with an edge from ``w_5`` labelled ``a_0``, which
is the article's ``d net_3 / d w_5 = a_0``.

Initialisation follows micrograd: every weight is drawn from ``uniform(-1, 1)`` and every
bias starts at ``0``. ``MLP(..., seed=s)`` draws from ``random.Random(s)``, so the same seed
gives the same network; ``Neuron``/``Layer`` take such an ``rng`` (without one they use the
``random`` module's global generator, which ``random.seed`` controls).

The calls are the hot path of training, so they are lean: the parameter list is cached, the
activation method is looked up once at construction, and float inputs are wrapped into
Values once per layer call, not once per neuron.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd import Value, ops
from autograd.value import apply, as_value
from nn.module import Module

#: The activation names and the Value method each one calls (``None``: no activation node).
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "linear": None,
}

_WSUM = ops.WSUM
_Value = Value


def _activation(name: object) -> Callable[[Value], Value] | None:
    """The method for the activation ``name``, or a ``ValueError`` listing the choices."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        choices = ", ".join(repr(a) for a in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}: choose one of {choices}")
    return ACTIVATIONS[name]


def _count(value: object, what: str) -> int:
    """``value`` if it is an int >= 1 (not a bool), else ``TypeError``/``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    return value


def _inputs(x: object, n: int) -> list[Value]:
    """``x`` as a list of ``n`` Values: Values are kept, real numbers become constant leaves.

    A str, a mapping or a non-sequence is a ``TypeError``; the wrong length a ``ValueError``;
    an element that is not a real number or Value a ``TypeError`` naming its type.
    """
    kind = type(x)
    if kind is list or kind is tuple:  # the common case, without the slower ABC checks
        if len(x) != n:  # type: ignore[arg-type]
            raise ValueError(f"expected {n} inputs, got {len(x)}")  # type: ignore[arg-type]
        return [v if type(v) is _Value else as_value(v) for v in x]  # type: ignore[attr-defined]
    if isinstance(x, (str, bytes, Mapping, Value)):
        raise TypeError(_not_a_sequence(x, n))
    try:
        size = len(x)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(_not_a_sequence(x, n)) from None
    if size != n:
        raise ValueError(f"expected {n} inputs, got {size}")
    return [v if type(v) is _Value else as_value(v) for v in x]  # type: ignore[attr-defined]


def _not_a_sequence(x: object, n: int) -> str:
    return f"inputs must be a sequence of {n} numbers or Values, not {type(x).__name__}"


class Neuron(Module):
    """One neuron: ``f(Σ_i w_i x_i + b)``, as one weighted-sum node and one activation node.

    Args:
        nin: the number of inputs.
        activation: ``"sigmoid"`` (the article's), ``"tanh"``, ``"relu"`` or ``"linear"``.
        rng: a ``random.Random`` for the initial weights (``uniform(-1, 1)``; the bias is 0).

    Attributes:
        w: the ``nin`` weight Values (labelled ``w0, w1, ...``).
        b: the bias Value (labelled ``b``).
        activation: the activation's name.
    """

    def __init__(
        self, nin: int, activation: str = "sigmoid", *, rng: random.Random | None = None
    ) -> None:
        self.nin = _count(nin, "nin")
        self._act = _activation(activation)
        self.activation = activation
        uniform = rng.uniform if rng is not None else random.uniform
        self.w = [Value(uniform(-1.0, 1.0), f"w{i}") for i in range(self.nin)]
        self.b = Value(0.0, "b")

    def net(self, x: Sequence[Value | float]) -> Value:
        """The weighted-sum node ``net = Σ_i w_i x_i + b`` (labelled ``"net"``), without ``f``."""
        net = apply(_WSUM, *self.w, *_inputs(x, self.nin), self.b)
        net.label = "net"
        return net

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """``f(net)`` with ``net = Σ_i w_i x_i + b``, for ``nin`` floats or Values ``x``."""
        net = apply(_WSUM, *self.w, *_inputs(x, self.nin), self.b)
        net.label = "net"
        act = self._act
        return net if act is None else act(net)

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``w.0 .. w.{nin-1}`` then ``b``."""
        return [*((f"w.{i}", w) for i, w in enumerate(self.w)), ("b", self.b)]

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Neuron", "nin": ..., "activation": ...}``."""
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; calling it returns a list of ``nout``.

    Args:
        nin: the number of inputs.
        nout: the number of neurons (outputs).
        activation: the activation of every neuron (see :class:`Neuron`).
        rng: a ``random.Random`` for the initial weights.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "sigmoid",
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.nin = _count(nin, "nin")
        self.nout = _count(nout, "nout")
        self._act = _activation(activation)
        self.activation = activation
        self.neurons = [Neuron(nin, activation, rng=rng) for _ in range(self.nout)]
        # Each neuron's (weights, bias), for the hot loop in `_forward`.
        self._rows = [(tuple(n.w), n.b) for n in self.neurons]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """``[f(Σ_i w_ji x_i + b_j) for each neuron j]``: always a list, also for one neuron."""
        return self._forward(_inputs(x, self.nin))

    def _forward(self, xs: list[Value]) -> list[Value]:
        """The layer on a list of ``nin`` Values (no checks: the callers made it)."""
        out: list[Value] = []
        push = out.append
        act = self._act
        for ws, b in self._rows:
            net = apply(_WSUM, *ws, *xs, b)
            net.label = "net"
            push(net if act is None else act(net))
        return out

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``neurons.{j}.w.{i}`` and ``neurons.{j}.b``, neuron by neuron."""
        return [
            (f"neurons.{j}.{name}", p)
            for j, n in enumerate(self.neurons)
            for name, p in n.named_parameters()
        ]

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Layer", "nin": ..., "nout": ..., "activation": ...}``."""
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of ``nouts[0], nouts[1], ...`` neurons.

    Args:
        nin: the number of inputs.
        nouts: the size of each layer, the last one being the output layer.
        activation: the activation of the hidden layers.
        output_activation: the activation of the last layer; ``None`` means ``activation``
            (so ``MLP(2, [2, 2])`` is the article's all-sigmoid network; a regression net is
            ``MLP(2, [16, 16, 1], "relu", "linear")``).
        seed: seeds ``random.Random(seed)`` for the initial weights (``uniform(-1, 1)``,
            biases 0): the same seed gives the same network. ``None``: a fresh random seed.

    Calling it on ``nin`` floats or Values returns the list of the last layer's outputs.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        *,
        seed: int | None = None,
    ) -> None:
        self.nin = _count(nin, "nin")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
            raise TypeError(f"nouts must be a list of layer sizes, not {type(nouts).__name__}")
        if not nouts:
            raise ValueError("nouts must name at least one layer size")
        self.nouts = [_count(n, f"nouts[{i}]") for i, n in enumerate(nouts)]
        _activation(activation)
        if output_activation is None:
            output_activation = activation
        _activation(output_activation)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"seed must be an int or None, not {type(seed).__name__}")
        self.activation = activation
        self.output_activation = output_activation
        self.seed = seed
        rng = random.Random(seed)
        sizes = [self.nin, *self.nouts]
        last = len(self.nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, rng=rng)
            for i in range(len(self.nouts))
        ]
        self._forwards = [layer._forward for layer in self.layers]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """The network's outputs for the inputs ``x``: always a list."""
        xs = _inputs(x, self.nin)
        for forward in self._forwards:
            xs = forward(xs)
        return xs

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``layers.{k}.neurons.{j}.w.{i}`` and ``layers.{k}.neurons.{j}.b``."""
        return [
            (f"layers.{k}.{name}", p)
            for k, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def architecture(self) -> dict[str, Any]:
        """``{"type": "MLP", "nin": ..., "nouts": [...], "activations": [one per layer]}``."""
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activations": [layer.activation for layer in self.layers],
        }

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )
