"""Neuron, Layer, MLP: forward values and gradients against plain-float formulas, structure of
the graph (one weighted-sum node per neuron), seeding, and bad input."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from autograd import Value
from nn import ACTIVATIONS, MLP, Layer, Neuron, mse_loss


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def plain_activation(name: str, x: float) -> float:
    return {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda v: max(v, 0.0),
            "linear": lambda v: v}[name](x)


def plain_slope(name: str, x: float) -> float:
    """d f(x) / dx by the textbook closed forms."""
    if name == "sigmoid":
        return sigmoid(x) * (1.0 - sigmoid(x))
    if name == "tanh":
        return 1.0 - math.tanh(x) ** 2
    if name == "relu":
        return 1.0 if x > 0 else 0.0
    return 1.0


def set_neuron(n: Neuron, ws: list[float], b: float) -> None:
    for p, v in zip(n.w, ws):
        p.data = v
    n.b.data = b


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_neuron_value_and_gradients_match_plain_floats(activation: str) -> None:
    n = Neuron(3, activation)
    ws, b, xs = [0.3, -0.7, 1.1], 0.25, [0.5, 2.0, -0.4]
    set_neuron(n, ws, b)
    x_values = [Value(x) for x in xs]
    out = n(x_values)
    net = sum(w * x for w, x in zip(ws, xs)) + b
    assert out.data == pytest.approx(plain_activation(activation, net), abs=1e-15)
    out.backward()
    slope = plain_slope(activation, net)
    for p, x in zip(n.w, xs):
        assert p.grad == pytest.approx(slope * x, abs=1e-15)  # d f/d w_i = f'(net) x_i
    for xv, w in zip(x_values, ws):
        assert xv.grad == pytest.approx(slope * w, abs=1e-15)  # d f/d x_i = f'(net) w_i
    assert n.b.grad == pytest.approx(slope, abs=1e-15)


def test_neuron_is_one_weighted_sum_node_plus_its_activation() -> None:
    n = Neuron(2, "sigmoid")
    xs = [Value(1.0), Value(2.0)]
    out = n(xs)
    assert out.op == "sigmoid"
    (net,) = out.parents
    assert net.op == "wsum"
    assert net.label == "net"
    assert net.parents == (*n.w, *xs, n.b)
    assert all(p.parents == () for p in net.parents)  # no hidden products or sums below


def test_linear_neuron_returns_the_weighted_sum_node_itself() -> None:
    n = Neuron(2, "linear")
    out = n([1.0, 2.0])
    assert out.op == "wsum"
    assert out.data == pytest.approx(n.w[0].data * 1.0 + n.w[1].data * 2.0 + n.b.data)


def test_neuron_net_is_the_weighted_sum_without_activation() -> None:
    n = Neuron(2)
    set_neuron(n, [0.15, 0.20], 0.35)
    net = n.net([0.05, 0.10])
    assert net.op == "wsum"
    assert net.label == "net"
    assert net.parents == (*n.w, n.b)  # numbers get no gradient: no nodes for them
    assert net.inputs == (*n.w, 0.05, 0.10, n.b)
    assert net.local_grads == (0.05, 0.10, 1.0)  # d net/d w_i = x_i, d net/d b = 1
    assert net.data == pytest.approx(0.3775, abs=1e-15)  # Mazur's net_h1


def test_initialisation_follows_micrograd_uniform_weights_zero_bias() -> None:
    rng = random.Random(123)
    n = Neuron(50, rng=rng)
    expected = random.Random(123)
    assert [w.data for w in n.w] == [expected.uniform(-1.0, 1.0) for _ in range(50)]
    assert n.b.data == 0.0
    assert [w.label for w in n.w[:3]] == ["w0", "w1", "w2"]
    assert n.b.label == "b"


def test_layer_returns_the_value_itself_for_one_neuron_as_micrograd() -> None:
    layer = Layer(3, 1, "linear", rng=random.Random(2))
    out = layer([1.0, 2.0, 3.0])
    assert isinstance(out, Value)  # micrograd: outs[0] if len(outs) == 1 else outs
    n = layer.neurons[0]
    assert out.data == n.b.data + n.w[0].data * 1.0 + n.w[1].data * 2.0 + n.w[2].data * 3.0
    listed = layer.outputs([1.0, 2.0, 3.0])
    assert isinstance(listed, list) and len(listed) == 1 and listed[0].data == out.data
    assert isinstance(Layer(3, 2)([1.0, 2.0, 3.0]), list)


def test_layer_keeps_number_inputs_as_numbers_and_value_inputs_as_parents() -> None:
    layer = Layer(2, 3, "linear")
    out = layer([1, 2.0])  # an int is converted
    for net, n in zip(out, layer.neurons):
        assert net.parents == (*n.w, n.b) and net.inputs == (*n.w, 1.0, 2.0, n.b)
        assert type(net.inputs[2]) is float
    x = [Value(1.0), Value(2.0)]
    for net, n in zip(layer(x), layer.neurons):
        assert net.parents == (*n.w, *x, n.b) and net.inputs == net.parents
        # d net/d w_i = x_i, d net/d x_i = w_i, d net/d b = 1
        assert net.local_grads == (1.0, 2.0, n.w[0].data, n.w[1].data, 1.0)
    mixed = [Value(1.0), 2.0]
    for net, n in zip(layer(mixed), layer.neurons):
        assert net.parents == (*n.w, mixed[0], n.b)
        assert net.local_grads == (1.0, 2.0, n.w[0].data, 1.0)
        assert net.data == n.b.data + n.w[0].data * 1.0 + n.w[1].data * 2.0


def test_layer_matches_its_neurons() -> None:
    layer = Layer(2, 3, "tanh", rng=random.Random(7))
    xs = [0.3, -0.9]
    got = [v.data for v in layer(xs)]
    want = [math.tanh(n.w[0].data * xs[0] + n.w[1].data * xs[1] + n.b.data)
            for n in layer.neurons]
    assert got == pytest.approx(want, abs=1e-15)


def plain_mlp(state: dict[str, float], sizes: list[int], activations: list[str],
              xs: list[float]) -> list[float]:
    """The MLP's forward pass in plain floats, from its state_dict."""
    values = list(xs)
    for k, nout in enumerate(sizes[1:]):
        nxt = []
        for j in range(nout):
            net = state[f"layers.{k}.neurons.{j}.b"]
            for i, v in enumerate(values):
                net += state[f"layers.{k}.neurons.{j}.w.{i}"] * v
            nxt.append(plain_activation(activations[k], net))
        values = nxt
    return values


def test_mlp_forward_matches_a_plain_float_network() -> None:
    model = MLP(3, [4, 4, 2], "relu", "linear", seed=3)
    for p in model.parameters():  # non-zero biases, so they are exercised too
        p.data += 0.1
    xs = [0.5, -1.5, 2.0]
    got = [v.data for v in model(xs)]
    want = plain_mlp(model.state_dict(), [3, 4, 4, 2], ["relu", "relu", "linear"], xs)
    assert got == pytest.approx(want, abs=1e-14)


def test_mlp_gradients_match_central_differences() -> None:
    model = MLP(2, [3, 2], "tanh", "sigmoid", seed=11)
    xs = [0.4, -0.8]
    out = model(xs)
    (out[0] + out[1]).backward()
    names = [name for name, _ in model.named_parameters()]
    state = model.state_dict()
    h = 1e-6
    for name, p in zip(names, model.parameters()):
        plus = dict(state, **{name: state[name] + h})
        minus = dict(state, **{name: state[name] - h})
        f_plus = sum(plain_mlp(plus, [2, 3, 2], ["tanh", "sigmoid"], xs))
        f_minus = sum(plain_mlp(minus, [2, 3, 2], ["tanh", "sigmoid"], xs))
        assert p.grad == pytest.approx((f_plus - f_minus) / (2 * h), abs=1e-8), name


def test_mlp_output_activation_defaults_to_activation() -> None:
    assert MLP(2, [3, 1], "tanh").architecture()["activations"] == ["tanh", "tanh"]
    assert MLP(2, [3, 3, 1], "relu", "linear").architecture()["activations"] == [
        "relu", "relu", "linear"]
    assert MLP(2, [2, 2]).architecture()["activations"] == ["relu", "linear"]  # micrograd's
    assert MLP(2, [3, 3, 1], output_activation="sigmoid").architecture()["activations"] == [
        "relu", "relu", "sigmoid"]
    assert MLP(2, [2, 2], activation="sigmoid").architecture()["activations"] == [
        "sigmoid", "sigmoid"]  # the article's network


def test_mlp_with_a_one_neuron_hidden_layer() -> None:
    model = MLP(2, [1, 2], activation="sigmoid", seed=0)
    out = model([0.5, 0.5])
    assert len(out) == 2
    want = plain_mlp(model.state_dict(), [2, 1, 2], ["sigmoid", "sigmoid"], [0.5, 0.5])
    assert [v.data for v in out] == pytest.approx(want, abs=1e-15)


def test_mlp_seed_makes_initialisation_reproducible() -> None:
    a = MLP(2, [16, 16, 1], seed=42).state_dict()
    b = MLP(2, [16, 16, 1], seed=42).state_dict()
    c = MLP(2, [16, 16, 1], seed=43).state_dict()
    assert a == b
    assert a != c
    rng = random.Random(42)  # uniform(-1, 1) per weight, layer by layer, neuron by neuron
    first_layer = [rng.uniform(-1.0, 1.0) for _ in range(16 * 2)]
    assert [a[f"layers.0.neurons.{j}.w.{i}"] for j in range(16) for i in range(2)] == first_layer
    assert all(a[f"layers.0.neurons.{j}.b"] == 0.0 for j in range(16))


def test_parameters_names_and_order() -> None:
    model = MLP(2, [2, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0", "layers.0.neurons.1.w.1", "layers.0.neurons.1.b",
        "layers.1.neurons.0.w.0", "layers.1.neurons.0.w.1", "layers.1.neurons.0.b",
    ]
    assert list(map(id, (p for _, p in model.named_parameters()))) == list(
        map(id, model.parameters()))  # the same Values (identity, not equal data)
    assert len(MLP(2, [16, 16, 1]).parameters()) == (2 + 1) * 16 + (16 + 1) * 16 + 17


def test_parameters_returns_a_fresh_list_and_zero_grad_clears_every_gradient() -> None:
    model = MLP(2, [3, 1], seed=0)
    ps = model.parameters()
    ps.clear()
    assert len(model.parameters()) == 13
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_inputs_may_be_values_tuples_and_ints() -> None:
    model = MLP(2, [2, 1], seed=1)
    x = Value(0.5)
    a = model((x, 2)).data
    b = model([0.5, 2.0]).data
    assert a == b


@pytest.mark.parametrize("bad", [[1.0], [1.0, 2.0, 3.0], []])
def test_wrong_number_of_inputs_is_a_value_error(bad: list[float]) -> None:
    for f in (Neuron(2), Layer(2, 2), MLP(2, [2, 1])):
        with pytest.raises(ValueError, match=f"expected 2 inputs, got {len(bad)}"):
            f(bad)


@pytest.mark.parametrize("bad", ["ab", b"ab", 1.0, None, Value(1.0), {"a": 1, "b": 2}])
def test_inputs_that_are_not_a_sequence_are_a_type_error(bad: object) -> None:
    for f in (Neuron(2), Layer(2, 2), MLP(2, [2, 1])):
        with pytest.raises(TypeError, match="sequence of 2 numbers or Values"):
            f(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("element", ["1.0", None, [1.0], 1j])
def test_an_input_that_is_not_a_number_is_a_type_error(element: object) -> None:
    with pytest.raises(TypeError, match=type(element).__name__):
        MLP(2, [2, 1])([1.0, element])  # type: ignore[list-item]


def test_unknown_activation_lists_the_choices() -> None:
    for make in (lambda: Neuron(2, "softmax"), lambda: Layer(2, 2, "softmax"),
                 lambda: MLP(2, [2], "softmax"), lambda: MLP(2, [2], "tanh", "softmax")):
        with pytest.raises(ValueError) as info:
            make()
        for name in ACTIVATIONS:
            assert repr(name) in str(info.value)
        assert "'softmax'" in str(info.value)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Neuron(0), ValueError, "nin must be at least 1"),
        (lambda: Neuron(2.0), TypeError, "nin must be an int"),
        (lambda: Neuron(True), TypeError, "nin must be an int"),
        (lambda: Layer(2, 0), ValueError, "nout must be at least 1"),
        (lambda: MLP(2, []), ValueError, "at least one layer"),
        (lambda: MLP(2, "21"), TypeError, "nouts must be a list"),
        (lambda: MLP(2, 3), TypeError, "nouts must be a list"),
        (lambda: MLP(2, [2, 0]), ValueError, r"nouts\[1\] must be at least 1"),
        (lambda: MLP(2, [2], seed="x"), TypeError, "seed must be an int"),
    ],
)
def test_bad_sizes_and_seeds(make: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make()  # type: ignore[operator]


def test_reprs() -> None:
    # an MLP prints its tree of layers, as torch.nn.Module does (issue 18)
    assert repr(MLP(2, [2, 2])) == ("MLP(\n  (layers.0): Layer(2, 2, activation='relu')\n"
                                    "  (layers.1): Layer(2, 2, activation='linear')\n)")
    assert repr(MLP(3, [4])) == "MLP(\n  (layers.0): Layer(3, 4, activation='linear')\n)"
    model = MLP(2, [2, 2, 2], "tanh", "linear")
    model.layers[1].activation = "relu"
    assert "(layers.1): Layer(2, 2, activation='relu')" in repr(model)
    assert repr(Layer(2, 3, "tanh")) == "Layer(2, 3, activation='tanh')"
    assert repr(Neuron(4, "relu")) == "Neuron(4, activation='relu')"


# -- micrograd's defaults and seeds (issue 9, item 1) ------------------------------------------


def test_architectures_name_their_sizes() -> None:
    assert Neuron(3, "tanh").architecture() == {"type": "Neuron", "nin": 3, "activation": "tanh"}
    assert Layer(3, 2).architecture() == {"type": "Layer", "nin": 3, "nout": 2,
                                          "activation": "relu"}
    assert MLP(3, [2, 1]).architecture() == {"type": "MLP", "nin": 3, "nouts": [2, 1],
                                             "activations": ["relu", "linear"]}


def test_defaults_are_micrograds() -> None:
    assert Neuron(2).activation == "relu"
    assert Layer(2, 3).activation == "relu"
    assert MLP(2, [16, 16, 1]).architecture()["activations"] == ["relu", "relu", "linear"]
    assert MLP(2, [3]).architecture()["activations"] == ["linear"]
    assert MLP(2, [3, 1], activation="tanh").architecture()["activations"] == ["tanh", "tanh"]


def test_random_seed_gives_micrograds_exact_weights() -> None:
    from micrograd import nn as micrograd_nn

    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert len(ours.parameters()) == 337
    for x in ([0.5, -1.0], [2.0, 0.25], [-1.5, -0.75]):
        assert ours(x).data == pytest.approx(theirs(x).data, rel=1e-12, abs=1e-15)


def test_without_a_seed_the_random_module_decides() -> None:
    random.seed(7)
    a = MLP(2, [3, 1]).state_dict()
    random.seed(7)
    b = MLP(2, [3, 1]).state_dict()
    assert a == b
    random.seed(7)
    first = random.uniform(-1.0, 1.0)
    assert a["layers.0.neurons.0.w.0"] == first
    random.seed(7)
    assert MLP(2, [3, 1], seed=7).state_dict() == a  # random.Random(7): the same stream
    assert random.uniform(-1.0, 1.0) == first  # ... from its own generator, not the module's


# -- types and sizes (issue 8, item 13) --------------------------------------------------------


@pytest.mark.parametrize("rng", ["x", 3, random])
def test_rng_must_be_a_random_generator(rng: object) -> None:
    for make in (lambda: Neuron(2, rng=rng), lambda: Layer(2, 2, rng=rng)):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"rng must be a random\.Random or None"):
            make()


@pytest.mark.parametrize("bad", [{1.0, 2.0}, frozenset({1.0, 2.0}), {1.0: 0, 2.0: 0},
                                 bytearray(b"ab"), iter([1.0, 2.0]), (x for x in (1.0, 2.0))])
def test_sets_mappings_and_iterators_are_not_inputs(bad: object) -> None:
    for f in (Neuron(2), Layer(2, 2), MLP(2, [2, 1])):
        with pytest.raises(TypeError, match="sequence of 2 numbers or Values") as info:
            f(bad)  # type: ignore[arg-type]
        assert str(info.value).endswith(f"not {type(bad).__name__}")


class Pair:
    """A sequence that is neither a list nor a tuple nor registered as Sequence."""

    def __init__(self, *items: float) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> float:
        return self.items[i]


@pytest.mark.parametrize("make", [lambda n: range(n), lambda n: Pair(*[0.5] * n)])
def test_sequences_that_are_not_lists_are_length_checked(make: Any) -> None:
    for f in (Neuron(2), Layer(2, 2), MLP(2, [2, 1])):
        for n in (1, 3):
            with pytest.raises(ValueError, match=f"expected 2 inputs, got {n}"):
                f(make(n))
        f(make(2))


def test_numpy_inputs_sizes_and_seeds() -> None:
    np = pytest.importorskip("numpy")
    model = MLP(np.int64(2), np.array([3, 1]), seed=np.int64(5))
    assert model.state_dict() == MLP(2, [3, 1], seed=5).state_dict()
    assert model.nouts == [3, 1] and model.nin == 2
    assert type(model.nin) is int
    assert model(np.array([0.5, 2.0])).data == model([0.5, 2.0]).data
    assert model(np.array([0.5, 2.0], dtype=np.float32)).data == model([0.5, 2.0]).data
    assert Neuron(np.int32(3)).nin == 3
    layer = Layer(np.int8(2), np.uint16(4))
    assert (layer.nin, layer.nout) == (2, 4)
    with pytest.raises(TypeError, match="nin must be an int, not float32"):
        Neuron(np.float32(2.0))
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        model(np.array([1.0, 2.0, 3.0]))


def test_layer_sizes_are_limited_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    import nn.layers

    assert nn.layers.MAX_LAYER_WEIGHTS == 10**7
    with pytest.raises(ValueError, match=r"10000 \* 10000 = 100000000 weights"):
        Layer(10_000, 10_000)
    with pytest.raises(ValueError, match="MAX_LAYER_WEIGHTS"):
        Neuron(10**7 + 1)
    with pytest.raises(ValueError, match=r"layer 1 would hold 4000 \* 4000"):
        MLP(2, [4000, 4000, 1])  # checked before the first layer is built
    monkeypatch.setattr(nn.layers, "MAX_LAYER_WEIGHTS", 6)
    assert Layer(2, 3).nout == 3
    assert Layer(6, 1).nin == 6
    assert Neuron(6).nin == 6
    for make in (lambda: Layer(2, 4), lambda: Layer(7, 1), lambda: Neuron(7),
                 lambda: MLP(2, [3, 3])):
        with pytest.raises(ValueError, match="more than the limit"):
            make()


def test_every_neuron_of_a_layer_makes_a_net_node() -> None:
    for activation in ("sigmoid", "linear"):
        layer = Layer(2, 3, activation)
        outs = layer([1.0, 2.0])
        nets = [o.parents[0] if activation == "sigmoid" else o for o in outs]
        assert [net.label for net in nets] == ["net", "net", "net"]
        assert [net.op for net in nets] == ["wsum", "wsum", "wsum"]
    assert MLP(2, [2, 1], "linear")([1.0, 1.0]).label == "net"


class IndexOnly:
    """Indexable but without a length."""

    def __getitem__(self, i: int) -> float:
        raise IndexError(i)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Layer(0, 2), ValueError, "nin must be at least 1, got 0"),
        (lambda: Layer(10_001, 1_000), ValueError,
         "a Layer would hold 10001 * 1000 = 10001000 weights, more than the limit "
         "MAX_LAYER_WEIGHTS = 10000000 (a scalar engine is not made for this)"),
        (lambda: Layer(2, 2, rng="r"), TypeError, "rng must be a random.Random or None, not str"),
        (lambda: MLP(2, {2: 1}), TypeError, "nouts must be a list of layer sizes, not dict"),
        (lambda: MLP(2, []), ValueError, "nouts must name at least one layer size"),
        (lambda: MLP(2, [1], seed=1.5), TypeError, "seed must be an int or None, not float"),
        (lambda: MLP(2, [1])(IndexOnly()), TypeError,
         "inputs must be a sequence of 2 numbers or Values, not IndexOnly"),
    ],
)
def test_exact_messages(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == message


def test_the_seed_is_kept() -> None:
    assert MLP(2, [1], seed=7).seed == 7
    assert MLP(2, [1]).seed is None


# -- micrograd's return convention and keywords (issue 18) -------------------------------------


def test_mlp_with_one_output_returns_the_value_so_micrograds_loss_adds_up() -> None:
    model = MLP(2, [4, 1], "tanh", "linear", seed=4)
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    want = plain_mlp(model.state_dict(), [2, 4, 1], ["tanh", "linear"], [0.5, -1.0])[0]
    assert out.data == pytest.approx(want, abs=1e-15)
    loss = sum((model(x) - y) ** 2 for x, y in [([0.5, -1.0], 1.0), ([0.1, 0.2], -1.0)])
    assert isinstance(loss, Value)  # on the old list return: int + list, a TypeError
    out.backward()  # on the old list return: AttributeError about list
    assert model.layers[1].neurons[0].b.grad == 1.0
    assert isinstance(MLP(2, [4, 2], seed=0)([0.5, -1.0]), list)
    listed = model.outputs([0.5, -1.0])
    assert isinstance(listed, list) and [v.data for v in listed] == [out.data]


def test_linear_and_sequential_always_return_lists_as_pytorch() -> None:
    from nn import Linear, ReLU, Sequential

    assert isinstance(Linear(2, 1)([0.5, 1.0]), list)
    seq = Sequential(Linear(2, 3), ReLU(), Layer(3, 1, "linear"))
    out = seq([0.5, 1.0])
    assert isinstance(out, list) and len(out) == 1
    assert isinstance(Sequential(MLP(2, [3, 1], seed=1))([0.5, 1.0]), list)
    assert isinstance(Sequential(Linear(2, 3), Neuron(3))([0.5, 1.0]), list)
    # a lone Value between modules is passed on to a Layer as a sample of one
    chained = Sequential(Neuron(2, "linear"), Layer(1, 2, "linear"))
    first, second = chained.layers
    got = chained([0.5, 1.0])
    h = first.w[0].data * 0.5 + first.w[1].data * 1.0
    assert [v.data for v in got] == [n.w[0].data * h for n in second.neurons]
    seq_mlp = MLP(2, [3, 1], seed=1)
    seq_mlp.layers[-1] = Linear(3, 1)  # PyTorch's piece as the last layer: its list
    assert isinstance(seq_mlp([0.5, 1.0]), list)


def test_mse_loss_takes_one_value_and_one_number() -> None:
    out = MLP(2, [3, 1], seed=2)([0.5, 1.0])
    for reduction, scale in (("mean", 1.0), ("sum", 1.0), ("half_sum", 0.5)):
        loss = mse_loss(out, 0.25, reduction)  # type: ignore[arg-type]
        assert loss.data == scale * (out.data - 0.25) ** 2


@pytest.mark.parametrize(("nonlin", "activation"), [(True, "relu"), (False, "linear")])
def test_micrograds_nonlin_keyword(nonlin: bool, activation: str) -> None:
    from micrograd import nn as micrograd_nn

    assert Neuron(2, nonlin=nonlin).activation == activation
    assert Neuron(2, nonlin).activation == activation  # micrograd's positional form
    assert Neuron(2, activation, nonlin=nonlin).activation == activation  # agreeing: fine
    assert Layer(2, 3, nonlin=nonlin).activation == activation  # Layer passes it on
    random.seed(5)
    ours = Neuron(3, nonlin=nonlin)
    random.seed(5)
    theirs = micrograd_nn.Neuron(3, nonlin=nonlin)
    for x in ([1.0, -2.0, 0.5], [-1.0, -1.0, -1.0], [0.3, 0.2, 0.1]):
        assert ours(x).data == pytest.approx(theirs(x).data, abs=1e-15)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Neuron(2, "tanh", nonlin=True), ValueError,
         r"activation='tanh' and nonlin=True disagree \(nonlin=True means 'relu'\)"),
        (lambda: Neuron(2, "relu", nonlin=False), ValueError, "disagree"),
        (lambda: Layer(2, 2, "sigmoid", nonlin=False), ValueError, "disagree"),
        (lambda: Neuron(2, True, nonlin=False), ValueError, "disagree"),
        (lambda: Neuron(2, nonlin=1), TypeError, "nonlin must be True or False"),
        (lambda: Neuron(2, nonlin="relu"), TypeError, "nonlin must be True or False"),
    ],
)
def test_nonlin_and_activation_that_conflict(make: Any, error: type[Exception],
                                             match: str) -> None:
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("make", [lambda: Neuron(2), lambda: Layer(2, 3), lambda: MLP(2, [3, 1])])
@pytest.mark.parametrize("batch", [
    [[0.5, 1.0], [0.1, 0.2], [0.3, 0.4]],  # more samples than inputs: was "expected 2 inputs"
    [[0.5, 1.0], [0.1, 0.2]],  # as many samples as inputs: was "not list"
    [(0.5, 1.0)],
    ((0.5, 1.0), (0.1, 0.2)),
])
def test_a_batch_gets_an_error_that_says_so(make: Any, batch: Any) -> None:
    with pytest.raises(TypeError) as info:
        make()(batch)
    message = str(info.value)
    assert f"got a batch of {len(batch)} sample" in message
    assert "[model(x) for x in xs]" in message
    assert "one sample of 2 numbers" in message


def test_a_numpy_batch_gets_the_same_error() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match=r"batch of 100 samples \(ndarray of ndarrays\).*"
                                        r"\[model\(x\) for x in xs\]"):
        MLP(2, [3, 1])(np.zeros((100, 2)))
    with pytest.raises(TypeError, match="not list"):  # a bad sample, not a batch: as before
        MLP(2, [3, 1])([0.5, [1.0]])  # type: ignore[list-item]


def test_a_one_neuron_layers_value_feeds_a_one_input_layer() -> None:
    first = Layer(2, 1, "tanh", rng=random.Random(1))
    second = Layer(1, 3, "linear", rng=random.Random(2))
    h = first([0.5, -0.25])
    assert isinstance(h, Value)
    out = second(h)  # micrograd's Neuron would fail to iterate over the Value
    assert [v.data for v in out] == [n.w[0].data * h.data + n.b.data for n in second.neurons]
    n = Neuron(1, "linear", rng=random.Random(3))
    assert n(2.0).data == n([2.0]).data == n.w[0].data * 2.0 + n.b.data
    with pytest.raises(TypeError, match="sequence of 2 numbers or Values, not Value"):
        Layer(2, 2)(h)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bool"):
        Neuron(1)(True)  # type: ignore[arg-type]
