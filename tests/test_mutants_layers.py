"""nn.layers: tests written for the mutants that survived ``mutmut`` (issue 17).

Mostly the shortcut that ``parameters()`` takes for plain Neurons, Layers and MLPs: it must
give what the general attribute walk gives whenever anything is not as the classes make it
(a tuple, a float weight, a Value subclass, an extra attribute, another module inside).
docs/mutants/nn.layers.md lists the equivalent mutants left.
"""

from __future__ import annotations

import math
import random
import re
from collections import UserList
from typing import Any

import pytest

from autograd import Value
from nn import MLP, Layer, Linear, Neuron, ReLU, Sequential


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def rng() -> random.Random:
    return random.Random(7)


def same(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


class _SubValue(Value):
    pass


# -- the parameters() shortcut against the general walk ------------------------------------


def test_a_one_input_neuron_lists_its_weight_and_bias() -> None:
    n = Neuron(1, rng=rng())
    assert same(n.parameters(), [n.w[0], n.b])
    layer = Layer(1, 1, rng=rng())
    assert same(layer.parameters(), [layer.neurons[0].w[0], layer.neurons[0].b])


def test_weights_in_a_tuple_are_all_listed() -> None:
    n = Neuron(2, rng=rng())
    n.w = tuple(n.w)  # type: ignore[assignment]
    assert same(n.parameters(), [n.w[0], n.w[1], n.b])
    layer = Layer(2, 2, rng=rng())
    first = layer.neurons[0]
    first.w = tuple(first.w)  # type: ignore[assignment]
    second = layer.neurons[1]
    assert same(layer.parameters(), [*first.w, first.b, *second.w, second.b])


def test_weights_frozen_as_plain_floats_are_not_parameters() -> None:
    n = Neuron(2, rng=rng())
    n.w = [0.5, 0.25]  # type: ignore[list-item]
    assert same(n.parameters(), [n.b])
    assert n([2.0, 4.0]).data == 0.5 * 2.0 + 0.25 * 4.0 + 0.0  # relu of 2.0


def test_a_bias_that_is_a_value_subclass_is_listed() -> None:
    n = Neuron(2, rng=rng())
    n.b = _SubValue(1.0)
    assert same(n.parameters(), [n.w[0], n.w[1], n.b])


def test_a_bias_frozen_as_a_float_does_not_hide_the_next_neuron() -> None:
    layer = Layer(2, 2, rng=rng())
    first, second = layer.neurons
    first.b = 0.5  # type: ignore[assignment]
    assert same(layer.parameters(), [*first.w, *second.w, second.b])


def test_a_layer_holding_one_neuron_instead_of_a_list() -> None:
    layer = Layer(2, 1, rng=rng())
    neuron = layer.neurons[0]
    layer.neurons = neuron  # type: ignore[assignment]
    assert same(layer.parameters(), [*neuron.w, neuron.b])


def test_an_mlp_holding_one_layer_instead_of_a_list() -> None:
    mlp = MLP(2, [2], seed=0)
    layer = mlp.layers[0]
    mlp.layers = layer  # type: ignore[assignment]
    assert same(mlp.parameters(), layer.parameters())
    assert len(layer.parameters()) == 6


def test_a_neuron_subclass_in_a_layer_is_asked_for_its_parameters() -> None:
    scale = Value(3.0)

    class Scaled(Neuron):
        def parameters(self) -> list[Value]:
            return [*super().parameters(), scale]

    layer = Layer(2, 1, rng=rng())
    plain = layer.neurons[0]
    scaled = Scaled(2, rng=rng())
    layer.neurons = [plain, scaled]
    assert same(scaled.parameters(), [*scaled.w, scaled.b, scale])
    assert same(layer.parameters(), [*plain.w, plain.b, *scaled.w, scaled.b, scale])


def test_an_extra_attribute_of_a_layer_inside_an_mlp_is_listed() -> None:
    mlp = MLP(2, [2, 1], seed=0)
    extra = Value(9.0)
    mlp.layers[0].extra = extra
    names = [name for name, _ in mlp.named_parameters()]
    assert names[-1] == "layers.1.neurons.0.b" and "layers.0.extra" in names
    ps = mlp.parameters()
    assert len(ps) == 6 + 1 + 3 and any(p is extra for p in ps)
    assert same(ps, [p for _, p in mlp.named_parameters()])


def _hand_layer(layer: Layer, xs: list[float], f: Any) -> list[float]:
    return [f(sum(w.data * x for w, x in zip(n.w, xs)) + n.b.data) for n in layer.neurons]


def test_an_mlp_with_other_modules_among_its_layers() -> None:
    """A ReLU module, then a Neuron (which returns one Value) between two Layers: the
    numbers are the hand-computed ones, and parameters() lists every Value once."""
    mlp = MLP(2, [3, 2], activation="tanh", output_activation="linear", seed=1)
    first, last = mlp.layers
    middle = Neuron(3, "sigmoid", rng=rng())
    after = Layer(1, 2, "linear", rng=rng())
    mlp.layers = [first, ReLU(), middle, after]  # type: ignore[list-item]
    x = [0.3, -0.7]
    h = _hand_layer(first, x, math.tanh)
    r = [max(0.0, v) for v in h]
    m = sigmoid(sum(w.data * v for w, v in zip(middle.w, r)) + middle.b.data)
    expected = _hand_layer(after, [m], lambda v: v)
    out = mlp(x)
    assert isinstance(out, list)
    assert [o.data for o in out] == pytest.approx(expected, rel=1e-15, abs=0.0)
    assert same(mlp.parameters(), [*first.parameters(), *middle.parameters(),
                                   *after.parameters()])
    del last


def test_an_mlp_ending_in_a_neuron_gives_a_list_from_outputs() -> None:
    mlp = MLP(2, [2, 1], seed=3)
    end = Neuron(2, "linear", rng=rng())
    mlp.layers[1] = end  # type: ignore[call-overload]  # it returns one Value
    x = [1.5, -2.0]
    h = _hand_layer(mlp.layers[0], x, lambda v: max(0.0, v))
    expected = sum(w.data * v for w, v in zip(end.w, h)) + end.b.data
    out = mlp.outputs(x)
    assert isinstance(out, list) and len(out) == 1
    assert out[0].data == pytest.approx(expected, rel=1e-15, abs=0.0)


def test_one_output_is_a_value_by_the_last_layer_only() -> None:
    one = MLP(2, [1], seed=0)
    n = one.layers[0].neurons[0]
    out = one([1.0, 2.0])
    assert isinstance(out, Value)
    assert out.data == max(0.0, n.w[0].data + 2.0 * n.w[1].data)
    mlp = MLP(2, [3, 1, 1], seed=0)
    mlp.layers[2] = Linear(1, 1, rng=rng())  # PyTorch's name: always a list
    assert isinstance(mlp([1.0, 2.0]), list)
    mlp2 = MLP(2, [3, 3, 1], seed=0)
    mlp2.layers[2] = Linear(3, 1, rng=rng())
    assert isinstance(mlp2([1.0, 2.0]), list)


def test_a_value_passed_on_in_a_sequential_is_a_list_of_one() -> None:
    seq = Sequential(Neuron(2, rng=rng()), Linear(2, 1, rng=rng()))
    with pytest.raises(ValueError, match=r"^expected 2 inputs, got 1$"):
        seq([1.0, 2.0])


# -- inputs ------------------------------------------------------------------------------


def test_a_tuple_of_floats_or_values() -> None:
    n = Neuron(2, "linear", rng=rng())
    expected = n.w[0].data * 0.5 + n.w[1].data * -1.0
    assert n((0.5, -1.0)).data == expected
    assert n((Value(0.5), Value(-1.0))).data == expected
    assert n.net((0.5, -1.0)).data == expected


def test_a_batch_in_another_sequence_type_is_named_as_one() -> None:
    n = Neuron(2, rng=rng())
    with pytest.raises(TypeError, match="one sample of 2 numbers or Values at a time"):
        n(UserList([[1.0, 2.0], [3.0, 4.0]]))  # type: ignore[list-item]


@pytest.mark.parametrize("size, text", [(1, "a batch of 1 sample (list of lists)"),
                                        (2, "a batch of 2 samples (list of lists)"),
                                        (3, "a batch of 3 samples (list of lists)")])
def test_the_batch_message_counts_samples(size: int, text: str) -> None:
    n = Neuron(2, rng=rng())
    with pytest.raises(TypeError, match="^got " + re.escape(text) + ", "):
        n([[1.0, 2.0]] * size)  # type: ignore[list-item]


class _OnlyGetitem:
    def __getitem__(self, i: int) -> float:
        return 1.0


def test_an_element_without_a_length_is_not_a_sample() -> None:
    n = Neuron(2, rng=rng())
    with pytest.raises(TypeError) as info:
        n([_OnlyGetitem(), _OnlyGetitem()])  # type: ignore[list-item]
    assert "batch" not in str(info.value) and "_OnlyGetitem" in str(info.value)


# -- messages ----------------------------------------------------------------------------


def test_an_unknown_activation_lists_the_choices() -> None:
    with pytest.raises(ValueError) as info:
        Neuron(2, "swish")
    assert str(info.value) == ("unknown activation 'swish': choose one of 'sigmoid', 'tanh', "
                               "'relu', 'linear'")


def test_a_bad_nonlin_names_its_type() -> None:
    with pytest.raises(TypeError, match=r"False is linear\), not int: 1$"):
        Neuron(2, nonlin=1)  # type: ignore[arg-type]


def test_a_neuron_too_big_says_so() -> None:
    n = 10**7 + 1
    with pytest.raises(ValueError, match=rf"^a Neuron would hold {n} \* 1 = {n} weights"):
        Neuron(n)


def test_the_first_layer_of_an_mlp_too_big_is_named_by_position() -> None:
    with pytest.raises(ValueError, match=r"^layer 0 would hold 10001 \* 1000 = 10001000 "):
        MLP(10001, [1000])


def test_sizes_are_checked_pairwise_not_last_against_first() -> None:
    """4000 inputs, 1 hidden neuron, 4000 outputs: 4,000 weights per layer (the last and
    the first size would multiply to 1.6e7, over the limit, but never meet)."""
    mlp = MLP(4000, [1, 4000], seed=0)
    assert mlp.nouts == [1, 4000]


# -- 2026-12-05 re-run: shortcut mutants that only a module of another type can tell apart --


def _walked(module: Any) -> list[Value]:
    """The general attribute walk's answer (named_parameters never takes the shortcut)."""
    return [p for _, p in module.named_parameters()]


def test_a_layer_of_only_a_neuron_subclass_asks_it_for_its_parameters() -> None:
    # _neurons_into__mutmut_7: a non-Neuron first in the list must stop the shortcut
    scale = Value(3.0)

    class Scaled(Neuron):
        def parameters(self) -> list[Value]:
            return [*super().parameters(), scale]

    layer = Layer(2, 1, rng=rng())
    scaled = Scaled(2, rng=rng())
    layer.neurons = [scaled]
    assert same(layer.parameters(), [*scaled.w, scaled.b, scale])
    assert same(layer.parameters(), _walked(layer))


def test_weights_in_a_userlist_are_not_walked_by_either_path() -> None:
    # _neurons_into__mutmut_13: weights in a container that is not a list: the walk decides
    n = Neuron(2, rng=rng())
    n.w = UserList(n.w)  # type: ignore[assignment]
    assert same(_walked(n), [n.b])
    assert same(n.parameters(), [n.b])


def test_a_lone_neuron_whose_bias_is_a_float_lists_only_its_weights() -> None:
    # _neurons_into__mutmut_21: a float bias is no parameter, also with no neuron after it
    n = Neuron(2, rng=rng())
    n.b = 0.5  # type: ignore[assignment]
    assert same(n.parameters(), [n.w[0], n.w[1]])
    assert all(type(p) is Value for p in n.parameters())


def test_an_mlp_of_only_a_layer_subclass_asks_it_for_its_parameters() -> None:
    # _mlp_parameters__mutmut_13: a non-Layer (here a subclass) among the layers
    scale = Value(3.0)

    class ScaledLayer(Layer):
        def parameters(self) -> list[Value]:
            return [*super().parameters(), scale]

    mlp = MLP(2, [1], seed=0)
    inner = ScaledLayer(2, 1, rng=rng())
    mlp.layers = [inner]
    neuron = inner.neurons[0]
    assert same(mlp.parameters(), [*neuron.w, neuron.b, scale])


def test_an_extra_attribute_of_an_mlps_only_layer_is_listed() -> None:
    # _mlp_parameters__mutmut_14: a layer with an extra attribute and no plain layer after it
    mlp = MLP(2, [1], seed=0)
    extra = Value(9.0)
    mlp.layers[0].extra = extra
    neuron = mlp.layers[0].neurons[0]
    assert same(mlp.parameters(), [*neuron.w, neuron.b, extra])
    assert same(mlp.parameters(), _walked(mlp))
