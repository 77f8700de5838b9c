"""``Neuron``, ``Layer`` and ``MLP``: the article's network, and bigger ones.

A neuron computes the article's two steps, each ONE graph node::

    net = Σ_i w_i x_i + b        (an n-ary "wsum" node, labelled "net";
                                  d net/d w_i = x_i, d net/d x_i = w_i, d net/d b = 1)
    a   = f(net)                 (the activation node; f = sigmoid, tanh, relu, or none)

so a drawing shows the article's ``net`` with an edge from ``w_5`` labelled ``a_0``, which
is the article's ``d net_3 / d w_5 = a_0``.

Defaults and initialisation follow micrograd: ``Neuron``/``Layer`` use ReLU, ``MLP(nin,
nouts)`` has ReLU hidden layers and a linear output, every weight is drawn from
``uniform(-1, 1)`` and every bias starts at ``0``, layer by layer, neuron by neuron. Without a
``seed``/``rng`` the draws come from the ``random`` module's global generator, so
``random.seed(1337); MLP(2, [16, 16, 1])`` has exactly micrograd's weights. ``MLP(...,
seed=s)`` draws from ``random.Random(s)`` instead. The article's network is
``MLP(2, [2, 2], activation="sigmoid")``.

Nothing structural is cached: ``layer(x)`` reads ``layer.neurons`` and each neuron's ``w``,
``b`` and ``activation`` at the time of the call, so replacing a neuron, a bias or a layer
is seen at once. The calls are still lean: float inputs are wrapped into Values once per
layer call, not once per neuron, and each neuron is one n-ary node.

Sizes are checked before anything is allocated: a layer holds at most
``MAX_LAYER_WEIGHTS`` (10^7) weights (``nin * nout``), a ``ValueError`` beyond.
"""

from __future__ import annotations

import numbers
import operator
import random
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

from autograd import Value
from autograd.value import _input, _net, as_value
from nn.module import Module

#: The activation names and the Value method each one calls (``None``: no activation node).
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "linear": None,
}

#: The most weights one layer may hold (``nin * nout``); checked before allocating.
MAX_LAYER_WEIGHTS = 10**7



def _activation(name: object) -> Callable[[Value], Value] | None:
    """The method for the activation ``name``, or a ``ValueError`` listing the choices."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        choices = ", ".join(repr(a) for a in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}: choose one of {choices}")
    return ACTIVATIONS[name]


def _choose(activation: object, nonlin: object) -> str:
    """The activation name from ``activation`` and micrograd's ``nonlin`` keyword.

    ``nonlin=True`` is ``"relu"`` and ``nonlin=False`` is ``"linear"`` (micrograd's
    ``Neuron(nin, nonlin=True)``); a bool given as ``activation`` (micrograd's positional
    ``Neuron(2, False)``) means the same. ``activation=None`` with no ``nonlin`` is ``"relu"``.
    Both given and disagreeing is a ``ValueError``; anything else is checked as a name.
    """
    if nonlin is not None and not isinstance(nonlin, bool):
        raise TypeError(f"nonlin must be True or False (micrograd's keyword: True is ReLU, "
                        f"False is linear), not {type(nonlin).__name__}: {nonlin!r:.60}")
    if isinstance(activation, bool):
        if nonlin is not None and nonlin != activation:
            raise ValueError(f"activation={activation!r} and nonlin={nonlin!r} disagree: "
                             f"give one of them")
        nonlin, activation = activation, None
    from_nonlin = None if nonlin is None else ("relu" if nonlin else "linear")
    if activation is None:
        return from_nonlin or "relu"
    _activation(activation)
    if from_nonlin is not None and activation != from_nonlin:
        raise ValueError(
            f"activation={activation!r} and nonlin={nonlin!r} disagree (nonlin={nonlin!r} "
            f"means {from_nonlin!r}): give one of them"
        )
    return str(activation)


def _count(value: object, what: str) -> int:
    """``value`` as an int if it is an integer >= 1 (numpy ints too, not a bool), else an error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}: {value!r:.60}")
    number = int(value)
    if number < 1:
        raise ValueError(f"{what} must be at least 1, got {number}")
    return number


def _check_size(nin: int, nout: int, what: str) -> None:
    """A ``ValueError`` if a layer of ``nin`` inputs and ``nout`` neurons is too big."""
    if nin * nout > MAX_LAYER_WEIGHTS:
        raise ValueError(
            f"{what} would hold {nin} * {nout} = {nin * nout} weights, more than the limit "
            f"MAX_LAYER_WEIGHTS = {MAX_LAYER_WEIGHTS} (a scalar engine is not made for this)"
        )


def _rng(rng: object) -> Callable[[float, float], float]:
    """The ``uniform`` to draw weights with: ``rng.uniform``, or the ``random`` module's."""
    if rng is None:
        return random.uniform
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random or None, not {type(rng).__name__}")
    return rng.uniform


_VALUE_OR_FLOAT = frozenset({Value, float})


def _inputs(x: object, n: int) -> list[Any]:
    """``x`` as a list of ``n`` inputs: Values are kept, real numbers become floats (numbers
    get no gradient, so they are not wrapped into Values).

    ``x`` is a list, tuple or other sequence (a range, a 1-d numpy array), or for ``n == 1``
    also a lone Value or number (the output of a one-neuron layer, as micrograd returns it);
    a str, a mapping, a set, another Value or a non-sequence is a ``TypeError``; a batch (a
    sequence of sequences) a ``TypeError`` that says to call once per sample; the wrong
    length a ``ValueError``; an element that is not a real number or Value a ``TypeError``
    naming its type.
    """
    kind = type(x)
    if kind is list or kind is tuple:  # the common case, without the slower ABC checks
        if len(x) != n:  # type: ignore[arg-type]
            _refuse_a_batch(x, n)
            raise ValueError(f"expected {n} inputs, got {len(x)}")  # type: ignore[arg-type]
        if set(map(type, x)) <= _VALUE_OR_FLOAT:  # type: ignore[call-overload]
            return x if kind is list else list(x)  # type: ignore[return-value,call-overload]
        _refuse_a_batch(x, n)
        return [_input(v) for v in x]  # type: ignore[attr-defined]
    if n == 1 and isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool):
        return [_input(x)]  # one input given bare: what a one-neuron layer returns
    if isinstance(x, (str, bytes, bytearray, Mapping, Set, Value)) \
            or not hasattr(kind, "__getitem__"):
        raise TypeError(_not_a_sequence(x, n))
    try:
        size = len(x)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(_not_a_sequence(x, n)) from None
    _refuse_a_batch(x, n)
    if size != n:
        raise ValueError(f"expected {n} inputs, got {size}")
    return [_input(v) for v in x]  # type: ignore[attr-defined]


def _is_a_sample(item: object) -> bool:
    """Whether ``item`` looks like one sample of a batch: a sequence (list, tuple, numpy row)
    rather than a number or Value."""
    if isinstance(item, (str, bytes, bytearray, Mapping, Set, Value, numbers.Number)):
        return False
    kind = type(item)
    return hasattr(kind, "__getitem__") and hasattr(kind, "__len__")


def _refuse_a_batch(x: Any, n: int) -> None:
    """A ``TypeError`` if ``x`` is a batch (a non-empty sequence whose every element is a
    sequence): the modules take one sample at a time, and the message says how to loop."""
    try:
        size = len(x)
        if size == 0 or not all(_is_a_sample(x[i]) for i in range(size)):
            return
        first = x[0]
    except Exception:  # not indexable as a sequence: the caller's own checks say so
        return
    raise TypeError(
        f"got a batch of {size} sample{'s' * (size != 1)} ({type(x).__name__} of "
        f"{type(first).__name__}s), "
        f"but this model takes one sample of {n} numbers or Values at a time: call it once "
        f"per sample, as in [model(x) for x in xs]"
    )


def _input_data(xs: list[Any]) -> list[float] | None:
    """For :func:`autograd.value._net`: ``xs`` itself if all floats, the numbers of all-Value
    inputs, or None for a mix (the general path)."""
    kinds = set(map(type, xs))
    if kinds == _FLOAT:
        return xs
    if kinds == _VALUE:
        return list(map(_data_of, xs))
    return None


_FLOAT = frozenset({float})
_data_of = operator.attrgetter("_data")
_VALUE = frozenset({Value})


def _not_a_sequence(x: object, n: int) -> str:
    return f"inputs must be a sequence of {n} numbers or Values, not {type(x).__name__}"


# The instance attributes of the built-in classes; anything else (a user's ``n.extra =
# Value(1.0)``) sends ``parameters()`` to the general attribute walk.
_NEURON_KEYS = frozenset({"_act", "_activation", "w", "b", "training"})
_LAYER_KEYS = frozenset({"neurons", "training"})
_MLP_KEYS = frozenset({"seed", "layers", "training"})


def _neurons_into(neurons: object, out: list[Value]) -> bool:
    """Append ``[*n.w, n.b]`` of each plain Neuron in the list ``neurons`` to ``out``.

    False (``out`` then partly filled, to be dropped) if anything is not as Neuron makes it.
    """
    if type(neurons) is not list:
        return False
    push = out.append
    for n in neurons:
        if type(n) is not Neuron or not n.__dict__.keys() <= _NEURON_KEYS:
            return False
        w = n.w
        if type(w) is not list:
            return False
        for p in w:
            if type(p) is not Value:
                return False
            push(p)
        b = n.b
        if type(b) is not Value:
            return False
        push(b)
    return True


def _neuron_parameters(n: object) -> list[Value] | None:
    """``[*n.w, n.b]`` if ``n`` is a plain Neuron holding only Values there, else None."""
    out: list[Value] = []
    return out if _neurons_into([n], out) else None


def _layer_parameters(layer: object) -> list[Value] | None:
    """The neurons' parameters if ``layer`` is a plain Layer of plain Neurons, else None."""
    if type(layer) is not Layer or not layer.__dict__.keys() <= _LAYER_KEYS:
        return None
    out: list[Value] = []
    return out if _neurons_into(layer.neurons, out) else None


def _mlp_parameters(mlp: object) -> list[Value] | None:
    """The layers' parameters if ``mlp`` is a plain MLP of plain Layers, else None."""
    if type(mlp) is not MLP or not mlp.__dict__.keys() <= _MLP_KEYS:
        return None
    layers = mlp.layers
    if type(layers) is not list:
        return None
    out: list[Value] = []
    for layer in layers:
        if type(layer) is not Layer or not layer.__dict__.keys() <= _LAYER_KEYS \
                or not _neurons_into(layer.neurons, out):
            return None
    return out


class Neuron(Module):
    """One neuron: ``f(Σ_i w_i x_i + b)``, as one weighted-sum node and one activation node.

    Args:
        nin: the number of inputs.
        activation: ``"relu"`` (micrograd's default; also when ``None``), ``"sigmoid"`` (the
            article's), ``"tanh"`` or ``"linear"``.
        nonlin: micrograd's keyword: ``True`` is ``"relu"``, ``False`` is ``"linear"``
            (``Neuron(2, nonlin=False)``); giving an ``activation`` that disagrees with it is
            a ``ValueError``.
        rng: a ``random.Random`` for the initial weights (``uniform(-1, 1)``; the bias is 0);
            ``None``: the ``random`` module's global generator.

    Attributes:
        w: the ``nin`` weight Values (labelled ``w0, w1, ...``).
        b: the bias Value (labelled ``b``).
        activation: the activation's name (assigning another one is checked).
    """

    def __init__(
        self,
        nin: int,
        activation: str | bool | None = None,
        *,
        nonlin: bool | None = None,
        rng: random.Random | None = None,
    ) -> None:
        count = _count(nin, "nin")
        _check_size(count, 1, "a Neuron")
        uniform = _rng(rng)
        self.activation = _choose(activation, nonlin)
        self.w = [Value(uniform(-1.0, 1.0), f"w{i}") for i in range(count)]
        self.b = Value(0.0, "b")

    @property
    def activation(self) -> str:
        """The activation's name; setting it checks the name."""
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        self._act = _activation(name)
        self._activation = name

    @property
    def nin(self) -> int:
        """The number of inputs: ``len(self.w)``."""
        return len(self.w)

    def net(self, x: Sequence[Value | float]) -> Value:
        """The weighted-sum node ``net = Σ_i w_i x_i + b`` (labelled ``"net"``), without ``f``."""
        w = self.w
        xs = _inputs(x, len(w))
        return _net(w, xs, _input_data(xs), self.b)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """``self.forward(x)`` (typed: one Value)."""
        out: Value = self.forward(x)
        return out

    def forward(self, x: Sequence[Value | float]) -> Value:
        """``f(net)`` with ``net = Σ_i w_i x_i + b``, for ``nin`` floats or Values ``x``."""
        w = self.w
        xs = _inputs(x, len(w))
        net = _net(w, xs, _input_data(xs), self.b)
        act = self._act
        return net if act is None else act(net)

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Neuron", "nin": ..., "activation": ...}``."""
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs: a list of ``nout`` outputs, and the
    Value itself when ``nout == 1`` (micrograd's ``Layer``).

    ``layer(x)`` equals ``[n(x) for n in layer.neurons]`` (each neuron with its own current
    weights and activation), with the inputs wrapped once; with one neuron it is that
    neuron's output, ``n(x)``, as micrograd's ``outs[0] if len(outs) == 1 else outs``.
    (:class:`Linear`, PyTorch's name, always returns a list.)

    Args:
        nin: the number of inputs.
        nout: the number of neurons (outputs); ``nin * nout <= MAX_LAYER_WEIGHTS``.
        activation: the activation of every neuron (see :class:`Neuron`); ``"relu"`` as
            micrograd's ``Layer`` (also when ``None``).
        nonlin: micrograd's keyword, passed on as micrograd's ``Layer`` does: ``True`` is
            ``"relu"``, ``False`` is ``"linear"``.
        rng: a ``random.Random`` for the initial weights (``None``: the ``random`` module).
    """

    #: Whether one neuron's output is returned as the Value itself (micrograd's convention);
    #: :class:`Linear` (PyTorch's name) says no.
    _one_output_as_value = True

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | bool | None = None,
        *,
        nonlin: bool | None = None,
        rng: random.Random | None = None,
    ) -> None:
        n_in = _count(nin, "nin")
        n_out = _count(nout, "nout")
        _check_size(n_in, n_out, "a Layer")
        name = _choose(activation, nonlin)
        _rng(rng)
        self.neurons = [Neuron(n_in, name, rng=rng) for _ in range(n_out)]

    @property
    def nin(self) -> int:
        """The number of inputs (of the first neuron; every neuron must read as many)."""
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        """The number of neurons: ``len(self.neurons)``."""
        return len(self.neurons)

    @property
    def activation(self) -> str:
        """The neurons' activation, or ``"mixed"`` if they differ; setting it sets every one."""
        names = {n.activation for n in self.neurons}
        return names.pop() if len(names) == 1 else "mixed"

    @activation.setter
    def activation(self, name: str) -> None:
        _activation(name)
        for n in self.neurons:
            n.activation = name

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """``self.forward(x)`` (typed: a Value or a list of Values)."""
        out: Value | list[Value] = self.forward(x)
        return out

    def forward(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """``[f(Σ_i w_ji x_i + b_j) for each neuron j]``; for one neuron its Value itself
        (micrograd's convention), unless the class is :class:`Linear` (always a list)."""
        out = self._forward(_inputs(x, self.nin))
        if len(out) == 1 and self._one_output_as_value:
            return out[0]
        return out

    def outputs(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs as a list, also for one neuron: ``[f(Σ_i w_ji x_i + b_j) for each j]``
        (what :class:`Sequential` and :class:`MLP` pass on to the next layer)."""
        return self._forward(_inputs(x, self.nin))

    def _forward(self, xs: list[Any], xdata: list[float] | None = None) -> list[Value]:
        """The layer on a list of inputs (each neuron's size is checked against it).

        ``xdata``: the numbers of ``xs`` when the caller knows them to be all Values (an
        MLP's previous layer); otherwise they are worked out here.
        """
        out: list[Value] = []
        push = out.append
        size = len(xs)
        if xdata is None:
            xdata = _input_data(xs)
        for j, n in enumerate(self.neurons):
            w = n.w
            if len(w) != size:
                raise ValueError(f"neuron {j} of this layer has {len(w)} weights "
                                 f"but gets {size} inputs")
            net = _net(w, xs, xdata, n.b)
            act = n._act
            push(net if act is None else act(net))
        return out

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Layer", "nin": ..., "nout": ..., "activation": ...}``.

        With neurons of different activations, ``"activation"`` lists them, one per neuron.
        """
        activation: str | list[str] = self.activation
        if activation == "mixed":
            activation = [n.activation for n in self.neurons]
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": activation}

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of ``nouts[0], nouts[1], ...`` neurons.

    Args:
        nin: the number of inputs.
        nouts: the size of each layer, the last one being the output layer.
        activation: with ``output_activation`` also given, the hidden layers' activation;
            alone, the activation of every layer (the article's network is
            ``MLP(2, [2, 2], activation="sigmoid")``); ``None``: ``"relu"`` hidden layers.
        output_activation: the last layer's activation; ``None``: ``activation`` if that
            was given, else ``"linear"``. So ``MLP(2, [16, 16, 1])`` is micrograd's network
            (ReLU hidden layers, linear output).
        seed: ``None`` draws the initial weights (``uniform(-1, 1)``, biases 0) from the
            ``random`` module's global generator in micrograd's order (``random.seed``
            controls it); an int seeds a private ``random.Random(seed)``.

    Calling it on ``nin`` floats or Values returns what its last layer returns: the output
    Value itself when that layer has one neuron (micrograd's ``model(x)``, e.g. for
    ``MLP(2, [16, 16, 1])``), else the list of outputs (the article's two). :meth:`outputs`
    always gives the list.
    """

    def __init__(
        self,
        nin: int,
        nouts: Iterable[int],
        activation: str | None = None,
        output_activation: str | None = None,
        *,
        seed: int | None = None,
    ) -> None:
        n_in = _count(nin, "nin")
        if isinstance(nouts, (str, bytes, Mapping, Set)) or not isinstance(nouts, Iterable):
            raise TypeError(f"nouts must be a list of layer sizes, not {type(nouts).__name__}")
        sizes = [n_in, *(_count(n, f"nouts[{i}]") for i, n in enumerate(nouts))]
        if len(sizes) == 1:
            raise ValueError("nouts must name at least one layer size")
        hidden = "relu" if activation is None else activation
        if output_activation is None:
            output_activation = "linear" if activation is None else activation
        _activation(hidden)
        _activation(output_activation)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise TypeError(f"seed must be an int or None, not {type(seed).__name__}")
        for k in range(1, len(sizes)):  # every size checked before anything is allocated
            _check_size(sizes[k - 1], sizes[k], f"layer {k - 1}")
        self.seed = None if seed is None else int(seed)
        rng = None if seed is None else random.Random(int(seed))
        last = len(sizes) - 2
        self.layers = [
            Layer(sizes[k], sizes[k + 1], output_activation if k == last else hidden, rng=rng)
            for k in range(len(sizes) - 1)
        ]

    @property
    def nin(self) -> int:
        """The number of inputs (of the first layer)."""
        return int(self.layers[0].nin)

    @property
    def nouts(self) -> list[int]:
        """The size of each layer, from the layers themselves."""
        return [int(layer.nout) for layer in self.layers]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """``self.forward(x)`` (typed: a Value or a list of Values)."""
        out: Value | list[Value] = self.forward(x)
        return out

    def forward(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The network's outputs for the inputs ``x``, as its last layer returns them: the
        Value itself for one output of a :class:`Layer` (micrograd's ``model(x)``), else a
        list."""
        out = self._run(x)
        last = self.layers[-1]
        if isinstance(last, Layer) and last._one_output_as_value and len(out) == 1:
            return out[0]  # type: ignore[no-any-return]
        return out  # type: ignore[no-any-return]

    def outputs(self, x: Sequence[Value | float]) -> list[Value]:
        """The network's outputs for the inputs ``x`` as a list, also for one output."""
        out = self._run(x)
        return [out] if isinstance(out, Value) else out

    def _run(self, x: Sequence[Value | float]) -> Any:
        """Every layer in turn; the last one's result (a list from a :class:`Layer`; what a
        module of another kind returns, a lone Value passed on to the next as ``[v]``)."""
        xs: Any = _inputs(x, self.nin)
        xdata = None
        for layer in self.layers:
            if isinstance(xs, Value):
                xs = [xs]
            if isinstance(layer, Layer):
                xs = layer._forward(xs, xdata)
                xdata = list(map(_data_of, xs))  # a layer's outputs are Values
            else:
                xs = layer(xs)
                xdata = None
        return xs

    def architecture(self) -> dict[str, Any]:
        """``{"type": "MLP", "nin": ..., "nouts": [...], "activations": [one per layer]}``."""
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": self.nouts,
            "activations": [layer.architecture()["activation"] for layer in self.layers],
        }


# -- PyTorch's names, thin over the above ---------------------------------------------------


class Linear(Layer):
    """``nn.Linear(nin, nout)``: a :class:`Layer` without activation, ``[Σ_i w_ji x_i + b_j]``.

    Each output is one ``net`` node. Its parameters are named as a Layer's
    (``neurons.{j}.w.{i}``, ``neurons.{j}.b``), not PyTorch's ``weight``/``bias`` matrices.
    Calling it always returns a list, also for ``nout == 1``, as PyTorch's ``Linear``
    returns a tensor of one element.
    """

    _one_output_as_value = False

    def __init__(self, nin: int, nout: int, *, rng: random.Random | None = None) -> None:
        super().__init__(nin, nout, "linear", rng=rng)

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Linear", "nin": ..., "nout": ...}`` (plus the activation if changed)."""
        arch = super().architecture()
        arch["type"] = "Linear"
        if arch["activation"] == "linear":
            del arch["activation"]
        return arch

    def __repr__(self) -> str:
        return f"Linear({self.nin}, {self.nout})"


class _Activation(Module):
    """An activation as a module: applies one Value method to each element of a list."""

    name = "linear"

    def forward(self, x: Value | float | Sequence[Value | float]) -> Any:
        """``f(x_i)`` for each element of a list or tuple (a list), or ``f(x)`` for one."""
        method = ACTIVATIONS[self.name]
        assert method is not None
        if isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool):
            return method(as_value(x))
        if isinstance(x, (str, bytes, bytearray, Mapping, Set)) \
                or not hasattr(type(x), "__getitem__"):
            raise TypeError(f"{type(self).__name__} takes a Value, a number or a list of them, "
                            f"not {type(x).__name__}")
        return [method(as_value(v)) for v in x]  # type: ignore[union-attr]

    def architecture(self) -> dict[str, Any]:
        """``{"type": <the class name>}``."""
        return {"type": type(self).__name__}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """``nn.ReLU()``: ``max(0, x)`` on each element (one ``relu`` node each)."""

    name = "relu"


class Tanh(_Activation):
    """``nn.Tanh()``: ``tanh(x)`` on each element (one ``tanh`` node each)."""

    name = "tanh"


class Sigmoid(_Activation):
    """``nn.Sigmoid()``: ``1 / (1 + e^-x)`` on each element (one ``sigmoid`` node each)."""

    name = "sigmoid"


class Sequential(Module):
    """``nn.Sequential(m1, m2, ...)``: ``x -> m1(x) -> m2(...) -> ...``.

    ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` is ``MLP(2, [16, 1])`` in PyTorch's
    spelling, with the same nodes (one ``net`` per neuron, then its activation). The modules
    are held in ``.layers``, so the parameters are named ``layers.0.neurons.0.w.0``, ...
    """

    def __init__(self, *modules: Module) -> None:
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential takes Modules; argument {i} is "
                                f"{type(m).__name__}")
        self.layers = list(modules)

    def forward(self, x: Any) -> Any:
        """Each module applied to the previous one's output, in order; always a list, as
        PyTorch's ``Sequential`` returns a tensor also for one output.

        A :class:`Layer` or :class:`MLP` inside gives its list (:meth:`Layer.outputs`) also
        for one output, and a lone Value that the last module returns becomes ``[v]``.
        """
        for m in self.layers:
            if isinstance(m, (Layer, MLP)):
                x = m.outputs([x] if isinstance(x, Value) else x)
            else:
                x = m(x)
        return [x] if isinstance(x, Value) else x

    def architecture(self) -> dict[str, Any]:
        """``{"type": "Sequential", "layers": [each module's architecture]}``."""
        return {"type": "Sequential", "layers": [m.architecture() for m in self.layers]}



Neuron._plain_parameters = _neuron_parameters
Layer._plain_parameters = _layer_parameters
MLP._plain_parameters = _mlp_parameters
