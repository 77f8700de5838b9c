"""Modules as people write them (issue 9, item 2) and structure that is never stale (issue 8,
item 9): torch-style attribute registration, micrograd-style ``parameters()``, ``forward``,
``train``/``eval``, ``zero_grad(set_to_none=...)``, replaced layers and biases."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from nn import MLP, SGD, Layer, Module, Neuron, mse_loss

# -- stale structure (issue 8, item 9) -------------------------------------------------------


def test_a_replaced_layer_is_used_by_the_forward_pass_and_gets_gradients() -> None:
    model = MLP(2, [2, 1], activation="sigmoid", seed=0)
    model.parameters()  # whatever was computed before must not matter
    model([1.0, 1.0])
    new = Layer(2, 2, "linear", rng=random.Random(5))
    model.layers[0] = new
    for p in new.parameters():
        p.data = 0.5
    out = model([1.0, 2.0])
    o = model.layers[1].neurons[0]
    hidden = 0.5 * 1.0 + 0.5 * 2.0 + 0.5  # linear: w.x + b with every weight 0.5
    want = 1.0 / (1.0 + math.exp(-(o.w[0].data * hidden + o.w[1].data * hidden + o.b.data)))
    assert out.data == pytest.approx(want, abs=1e-15)
    out.backward()
    assert all(p.grad != 0.0 for p in new.parameters())
    ids = {id(p) for p in model.parameters()}
    assert all(id(p) in ids for p in new.parameters())
    assert model.state_dict()["layers.0.neurons.0.w.0"] == 0.5
    assert model.architecture()["activations"] == ["linear", "sigmoid"]
    model.zero_grad()
    assert all(p.grad == 0.0 for p in new.parameters())


def test_a_replaced_bias_is_used_by_layer_and_neuron_alike() -> None:
    layer = Layer(2, 2, "tanh", rng=random.Random(1))
    layer([0.5, 0.5])
    neuron = layer.neurons[0]
    neuron.b = Value(100.0)
    assert layer([0.5, -0.5])[0].data == neuron([0.5, -0.5]).data
    assert layer([0.5, -0.5])[0].data == pytest.approx(
        math.tanh(neuron.w[0].data * 0.5 - neuron.w[1].data * 0.5 + 100.0), abs=1e-15)
    assert any(p is neuron.b for p in layer.parameters())


def test_a_parameter_added_later_is_seen_everywhere() -> None:
    model = MLP(2, [1], seed=0)
    assert len(model.parameters()) == 3
    model.temperature = Value(2.0)  # type: ignore[attr-defined]
    model.temperature.grad = 5.0  # type: ignore[attr-defined]
    assert model.parameters()[-1] is model.temperature  # type: ignore[attr-defined]
    assert list(model.state_dict())[-1] == "temperature"
    model.zero_grad()
    assert model.temperature.grad == 0.0  # type: ignore[attr-defined]


def test_a_changed_activation_is_used_by_layer_and_neuron() -> None:
    layer = Layer(1, 2, "linear")
    layer.neurons[1].activation = "relu"
    for n in layer.neurons:
        n.w[0].data = -1.0
    assert [v.data for v in layer([2.0])] == [-2.0, 0.0]
    assert layer.activation == "mixed"
    assert layer.architecture()["activation"] == ["linear", "relu"]
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        layer.neurons[0].activation = "swish"
    layer.activation = "tanh"
    assert [n.activation for n in layer.neurons] == ["tanh", "tanh"]
    with pytest.raises(ValueError, match="unknown activation"):
        layer.activation = "gelu"


def test_a_neuron_of_the_wrong_size_in_a_layer_is_an_error_not_a_silent_wrong_sum() -> None:
    layer = Layer(2, 2)
    layer.neurons[1] = Neuron(3)
    with pytest.raises(ValueError, match="neuron 1 of this layer has 3 weights but gets 2"):
        layer([1.0, 2.0])


def test_sizes_follow_the_structure() -> None:
    model = MLP(2, [3, 1], seed=0)
    model.layers.append(Layer(1, 4, rng=random.Random(0)))
    assert model.nouts == [3, 1, 4]
    assert len(model([1.0, 1.0])) == 4
    assert model.architecture()["nouts"] == [3, 1, 4]
    n = Neuron(2)
    n.w.append(Value(0.5))
    assert n.nin == 3
    assert n([1.0, 1.0, 2.0]).data == pytest.approx(
        max(n.w[0].data + n.w[1].data + 1.0, 0.0), abs=1e-15)


# -- torch.nn.Module style (issue 9, item 2) --------------------------------------------------


class TorchStyle(Module):
    """Values, a Neuron, a Layer and a list of Layers assigned in __init__, and a forward."""

    def __init__(self) -> None:
        rng = random.Random(0)
        self.scale = Value(1.0, "scale")
        self.hidden = [Layer(2, 4, "tanh", rng=rng), Layer(4, 4, "tanh", rng=rng)]
        self.head = Layer(4, 1, "linear", rng=rng)
        self.gate = Neuron(2, "sigmoid", rng=rng)
        self.sizes = [2, 4, 4, 1]  # not parameters: ignored
        self._cache: Value | None = None  # private: never a parameter

    def forward(self, x: list[float]) -> Value:
        h: list[Any] = list(x)
        for layer in self.hidden:
            h = layer(h)
        out = self.head(h) * self.scale * self.gate(x)
        self._cache = out
        return out


XS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
YS = [0.0, 1.0, 1.0, 0.0]


def train(model: Module, steps: int) -> float:
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss = math.inf
    for _ in range(steps):
        total = mse_loss([model(x) for x in XS], YS)
        model.zero_grad()
        total.backward()
        opt.step()
        loss = total.data
    return loss


def test_torch_style_names_follow_assignment_order() -> None:
    model = TorchStyle()
    names = [name for name, _ in model.named_parameters()]
    assert names[0] == "scale"
    assert names[1:4] == ["hidden.0.neurons.0.w.0", "hidden.0.neurons.0.w.1",
                          "hidden.0.neurons.0.b"]
    assert "hidden.1.neurons.3.b" in names
    assert names[-4:] == ["head.neurons.0.b", "gate.w.0", "gate.w.1", "gate.b"]
    assert len(names) == 1 + (2 + 1) * 4 + (4 + 1) * 4 + (4 + 1) + (2 + 1)
    assert list(map(id, (p for _, p in model.named_parameters()))) == list(
        map(id, model.parameters()))
    model(XS[0])
    assert model._cache is not None
    assert all(p is not model._cache for p in model.parameters())


def test_a_torch_style_module_trains_zeroes_saves_and_loads(tmp_path: Path) -> None:
    model = TorchStyle()
    start = mse_loss([model(x) for x in XS], YS).data
    loss = train(model, 300)
    assert start > 0.1
    assert loss < 0.02  # a broken optimizer or a missed parameter stays far above
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    path = tmp_path / "torch_style.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert list(document["parameters"]) == [name for name, _ in model.named_parameters()]
    other = TorchStyle()
    other.load(path)
    assert other.state_dict() == model.state_dict()
    assert [other(x).data for x in XS] == [model(x).data for x in XS]


class MicrogradStyle(Module):
    """micrograd's way: the parameters are whatever parameters() returns."""

    def __init__(self) -> None:
        rng = random.Random(1)
        self.layers = [Layer(2, 8, "tanh", rng=rng), Layer(8, 1, "linear", rng=rng)]

    def __call__(self, x: list[float]) -> Value:
        h: Any = list(x)
        for layer in self.layers:
            h = layer(h)
        return h  # the last layer has one neuron: its Value

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]


def test_a_micrograd_style_module_trains_zeroes_saves_and_loads(tmp_path: Path) -> None:
    model = MicrogradStyle()
    names = [name for name, _ in model.named_parameters()]
    assert names == [str(i) for i in range(3 * 8 + 9 * 1)]
    assert list(model.state_dict()) == names
    assert train(model, 300) < 0.02
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    model.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())
    path = tmp_path / "micrograd_style.json"
    model.save(path)
    assert len(json.loads(path.read_text())["parameters"]) == 33
    other = MicrogradStyle()
    for p in other.parameters():
        p.data = 0.0
    other.load(path)
    assert other.state_dict() == model.state_dict()
    assert other(XS[1]).data == model(XS[1]).data


def test_a_module_with_both_styles_inside_another() -> None:
    class Outer(Module):
        def __init__(self) -> None:
            self.inner = MicrogradStyle()
            self.bias = Value(0.5)

    names = [name for name, _ in Outer().named_parameters()]
    assert names[:2] == ["inner.0", "inner.1"]
    assert names[-1] == "bias"
    assert len(names) == 34


def test_parameters_that_are_not_values_are_a_type_error() -> None:
    class Bad(Module):
        def parameters(self) -> list[Value]:
            return [Value(1.0), 2.0]  # type: ignore[list-item]

    class BadNames(Module):
        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("a", Value(1.0)), (3, Value(2.0))]  # type: ignore[list-item]

    with pytest.raises(TypeError, match=r"Bad\.parameters\(\) must give Values; item 1 is float"):
        Bad().state_dict()
    with pytest.raises(TypeError, match=r"BadNames.named_parameters\(\) must give \(str, Value\)"):
        BadNames().parameters()


def test_a_shared_value_or_module_is_listed_once_and_cycles_end() -> None:
    class Tied(Module):
        def __init__(self) -> None:
            self.a = Neuron(2)
            self.b = self.a  # the same module twice
            self.w = self.a.w[0]  # the same Value again
            self.more = [self.a, [self.a.b]]
            self.me = self  # a cycle

    model = Tied()
    assert [name for name, _ in model.named_parameters()] == ["a.w.0", "a.w.1", "a.b"]
    assert list(map(id, model.parameters())) == [id(model.a.w[0]), id(model.a.w[1]),
                                                 id(model.a.b)]
    assert len(list(model.modules())) == 2
    SGD(model.parameters(), lr=0.1)  # no duplicate: the optimizer accepts it


def test_a_neuron_subclass_with_an_extra_parameter() -> None:
    class Scaled(Neuron):
        def __init__(self) -> None:
            super().__init__(2, "linear", rng=random.Random(0))
            self.gain = Value(3.0)

        def forward(self, x: list[float]) -> Value:
            return super().forward(x) * self.gain

    n = Scaled()
    assert [name for name, _ in n.named_parameters()] == ["w.0", "w.1", "b", "gain"]
    assert n.parameters()[-1] is n.gain
    assert n([1.0, 0.0]).data == pytest.approx(3.0 * n.w[0].data, abs=1e-15)
    plain = Neuron(2)
    plain.extra = Value(1.0)  # type: ignore[attr-defined]
    assert plain.parameters()[-1] is plain.extra  # type: ignore[attr-defined]


def test_forward_makes_a_module_callable_and_its_absence_is_clear() -> None:
    class Double(Module):
        def forward(self, x: float, *, times: int = 2) -> float:
            return x * times

    assert Double()(3.0) == 6.0
    assert Double()(3.0, times=3) == 9.0
    with pytest.raises(NotImplementedError, match="Module has no forward"):
        Module()(1.0)
    n = Neuron(2, "linear")
    assert n.forward([1.0, 2.0]).data == n([1.0, 2.0]).data


def test_train_and_eval_set_the_flag_everywhere_and_return_self() -> None:
    model = TorchStyle()
    assert model.training is True
    assert model.eval() is model
    modules = list(model.modules())
    assert len(modules) == 1 + 2 + 1 + 1 + (4 + 4 + 1 + 0)  # self, layers, head, gate, neurons
    assert all(m.training is False for m in modules)
    assert model.train() is model
    assert all(m.training is True for m in modules)
    assert model.train(False).training is False
    with pytest.raises(TypeError, match="bool"):
        model.train("yes")  # type: ignore[arg-type]
    assert len(model.parameters()) == 41  # the flag is not a parameter


def test_module_zero_grad_set_to_none() -> None:
    model = MLP(2, [2, 1], seed=0)
    model([1.0, 2.0]).backward()
    model.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 and type(p.grad) is float for p in model.parameters())


def test_saving_a_module_without_parameters_is_an_error(tmp_path: Path) -> None:
    class Empty(Module):
        def __init__(self) -> None:
            self.size = 3

    with pytest.raises(ValueError, match="Empty has no parameters"):
        Empty().save(tmp_path / "e.json")
    assert list(tmp_path.iterdir()) == []


def test_a_file_written_by_the_previous_release_still_loads(tmp_path: Path) -> None:
    # written by main's code (before modules found their parameters by attribute):
    # MLP(2, [2, 1], activation="sigmoid", seed=0) then .save()
    text = """{
 "format": "backprop-lens.nn",
 "version": 1,
 "architecture": {
  "type": "MLP",
  "nin": 2,
  "nouts": [
   2,
   1
  ],
  "activations": [
   "sigmoid",
   "sigmoid"
  ]
 },
 "parameters": {
  "layers.0.neurons.0.w.0": 0.6888437030500962,
  "layers.0.neurons.0.w.1": 0.515908805880605,
  "layers.0.neurons.0.b": 0.0,
  "layers.0.neurons.1.w.0": -0.15885683833831,
  "layers.0.neurons.1.w.1": -0.4821664994140733,
  "layers.0.neurons.1.b": 0.0,
  "layers.1.neurons.0.w.0": 0.02254944273721704,
  "layers.1.neurons.0.w.1": -0.19013172509917142,
  "layers.1.neurons.0.b": 0.0
 }
}
"""
    path = tmp_path / "old.json"
    path.write_text(text)
    model = MLP(2, [2, 1], activation="sigmoid", seed=1)
    model.load(path)
    assert model.layers[0].neurons[1].w[0].data == -0.15885683833831
    assert model.layers[1].neurons[0].w[1].data == -0.19013172509917142
    assert model.state_dict() == json.loads(text)["parameters"]
    model.save(path)  # and the file this code writes is the same document
    assert json.loads(path.read_text()) == json.loads(text)


# -- PyTorch's names: Linear, Sequential, activation modules -----------------------------------


def test_sequential_of_linear_and_relu_is_the_mlp() -> None:
    from nn import Linear, ReLU, Sequential

    random.seed(3)
    seq = Sequential(Linear(2, 4), ReLU(), Linear(4, 1))
    random.seed(3)
    mlp = MLP(2, [4, 1])  # relu hidden, linear output
    assert [p.data for p in seq.parameters()] == [p.data for p in mlp.parameters()]
    for x in ([0.5, -1.0], [2.0, 0.3]):
        assert seq(x)[0].data == mlp(x).data
    out = seq([0.5, -1.0])[0]
    assert out.op == "wsum" and out.label == "net"  # one net node per neuron, as in MLP
    assert {v.op for v in out.parents[4:8]} <= {"relu"}
    assert [name for name, _ in seq.named_parameters()][:3] == [
        "layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert seq.architecture() == {"type": "Sequential", "layers": [
        {"type": "Linear", "nin": 2, "nout": 4}, {"type": "ReLU"},
        {"type": "Linear", "nin": 4, "nout": 1}]}
    assert repr(seq) == ("Sequential(\n  (layers.0): Linear(2, 4)\n  (layers.1): ReLU()\n"
                         "  (layers.2): Linear(4, 1)\n)")
    with pytest.raises(TypeError, match="argument 1 is builtin_function_or_method"):
        Sequential(Linear(2, 2), math.tanh)  # type: ignore[arg-type]


def test_sequential_trains_and_saves(tmp_path: Path) -> None:
    from nn import Linear, Sequential, Tanh

    rng = random.Random(0)
    model = Sequential(Linear(2, 6, rng=rng), Tanh(), Linear(6, 1, rng=rng))
    assert train(lambda_module(model), 300) < 0.02
    model.save(tmp_path / "s.json")
    rng = random.Random(9)
    other = Sequential(Linear(2, 6, rng=rng), Tanh(), Linear(6, 1, rng=rng))
    other.load(tmp_path / "s.json")
    assert other.state_dict() == model.state_dict()
    rng = random.Random(9)
    wrong = Sequential(Linear(2, 6, rng=rng), Tanh(), Linear(6, 2, rng=rng))
    with pytest.raises(ValueError, match="'layers'"):
        wrong.load(tmp_path / "s.json")


def lambda_module(model: Module) -> Module:
    """``model`` with its first output as the score: ``model(x)[0]``."""

    class First(Module):
        def __init__(self) -> None:
            self.inner = model

        def forward(self, x: list[float]) -> Value:
            out: Value = self.inner(x)[0]
            return out

    return First()


@pytest.mark.parametrize(("name", "f"), [("ReLU", lambda v: max(v, 0.0)), ("Tanh", math.tanh),
                                         ("Sigmoid", lambda v: 1.0 / (1.0 + math.exp(-v)))])
def test_activation_modules(name: str, f: Any) -> None:
    import nn

    act = getattr(nn, name)()
    xs = [-1.5, 0.0, 2.0]
    assert [v.data for v in act(xs)] == pytest.approx([f(x) for x in xs], abs=1e-15)
    assert [v.data for v in act(tuple(Value(x) for x in xs))] == pytest.approx(
        [f(x) for x in xs], abs=1e-15)
    assert act(0.5).data == pytest.approx(f(0.5), abs=1e-15)
    assert act(Value(-0.5)).op == name.lower()
    assert act.parameters() == [] and repr(act) == f"{name}()"
    for bad in ("ab", {1.0}, True, None):
        with pytest.raises(TypeError, match=f"{name} takes a Value") as info:
            act(bad)
        assert str(info.value).endswith(f"not {type(bad).__name__}")


def test_linear_is_a_layer_without_activation() -> None:
    from nn import Linear

    lin = Linear(3, 2, rng=random.Random(4))
    draws = random.Random(4)
    assert [p.data for n in lin.neurons for p in n.w] == [draws.uniform(-1, 1) for _ in range(6)]
    x = [1.0, -2.0, 0.5]
    for out, n in zip(lin(x), lin.neurons):
        assert out.data == pytest.approx(sum(w.data * v for w, v in zip(n.w, x)) + n.b.data,
                                         abs=1e-15)
    assert lin.activation == "linear"
    assert repr(lin) == "Linear(3, 2)"
    lin.activation = "relu"
    assert lin.architecture() == {"type": "Linear", "nin": 3, "nout": 2, "activation": "relu"}


def test_modules_goes_on_after_a_module_seen_twice() -> None:
    class Holder(Module):
        def __init__(self) -> None:
            self.a = Neuron(1)
            self.b = self.a
            self.c = Neuron(2)
            self.d = [Layer(1, 1), self.c]

    h = Holder()
    found = list(h.modules())
    assert found[:3] == [h, h.a, h.c]
    assert len(found) == 5  # h, a, c, the Layer and its neuron
    assert h.d[0] in found and h.d[0].neurons[0] in found


def test_train_rejects_a_non_bool_by_name() -> None:
    with pytest.raises(TypeError, match=r"train\(mode\) takes a bool, not int"):
        MLP(2, [1]).train(1)  # type: ignore[arg-type]


def test_parameters_of_a_plain_module_holding_overriding_modules() -> None:
    class Affine(Module):  # names its own parameters
        def __init__(self) -> None:
            self.scale, self.shift = Value(2.0), Value(-1.0)

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("scale", self.scale), ("shift", self.shift)]

    class Outer(Module):
        def __init__(self) -> None:
            self.first = Value(0.5)
            self.inner = MicrogradStyle()
            self.affine = Affine()
            self.again = [self.inner, self.affine.scale]
            self.last = Value(1.5)

    model = Outer()
    ps = model.parameters()
    want = [model.first, *model.inner.parameters(), model.affine.scale, model.affine.shift,
            model.last]
    assert len(ps) == len(want) == 37
    assert all(p is q for p, q in zip(ps, want))
    assert list(map(id, (p for _, p in model.named_parameters()))) == list(map(id, ps))
    assert [n for n, _ in model.named_parameters()][-3:] == ["affine.scale", "affine.shift",
                                                             "last"]
    for p in ps:
        p.grad = 1.0
    model.zero_grad()
    assert all(p.grad == 0.0 for p in want)


def test_models_deepcopy_and_pickle_into_independent_models() -> None:
    import copy
    import pickle

    from nn import Linear, ReLU, Sequential

    for model in (MLP(2, [3, 1], "tanh", seed=0), TorchStyle(),
                  Sequential(Linear(2, 2, rng=random.Random(0)), ReLU())):
        for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
            assert clone.state_dict() == model.state_dict()
            assert clone.architecture() == model.architecture()
            ours, theirs = model.parameters(), clone.parameters()
            assert not {id(p) for p in ours} & {id(p) for p in theirs}
            assert clone([0.5, -0.5]) is not None
            theirs[0].data += 1.0
            assert clone.state_dict() != model.state_dict()


def test_overrides_that_call_super_do_not_recurse() -> None:
    class MoreParameters(MLP):
        def __init__(self) -> None:
            super().__init__(2, [2, 1], seed=0)
            self._hidden_gain = Value(2.0)  # private: only reachable through the override

        def parameters(self) -> list[Value]:
            return [*super().parameters(), self._hidden_gain]

    class Renamed(Module):
        def __init__(self) -> None:
            self.a = Value(1.0)

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [(f"renamed.{n}", p) for n, p in super().named_parameters()]

    class Both(Module):
        def __init__(self) -> None:
            self.a, self.b = Value(1.0), Value(2.0)

        def parameters(self) -> list[Value]:
            return super().parameters()

        def named_parameters(self) -> list[tuple[str, Value]]:
            return super().named_parameters()

    m = MoreParameters()
    ps = m.parameters()
    assert len(ps) == 10 and ps[-1] is m._hidden_gain
    assert [n for n, _ in m.named_parameters()] == [str(i) for i in range(10)]
    m.zero_grad(set_to_none=True)
    assert m._hidden_gain.grad is None
    r = Renamed()
    assert r.named_parameters() == [("renamed.a", r.a)]
    assert list(map(id, r.parameters())) == [id(r.a)]
    assert r.state_dict() == {"renamed.a": 1.0}
    b = Both()
    assert list(map(id, b.parameters())) == [id(b.a), id(b.b)]
    assert b.state_dict() == {"a": 1.0, "b": 2.0}


def test_a_sub_module_is_asked_through_its_overrides_not_its_attributes() -> None:
    class Secret(Module):  # micrograd style: the parameters live in a private attribute
        def __init__(self) -> None:
            self._w = [Value(1.0), Value(2.0)]
            self.public = Value(99.0)  # not a parameter: parameters() says so

        def parameters(self) -> list[Value]:
            return list(self._w)

    class Named(Module):  # names its parameters itself, a subset of its attributes
        def __init__(self) -> None:
            self.kept, self.ignored = Value(3.0), Value(98.0)

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("kept", self.kept)]

    class Peer(Module):
        def __init__(self) -> None:
            self.v = Value(4.0)

    class Root(Module):
        def __init__(self) -> None:
            self.secret = Secret()
            self.named = Named()
            self.torch_style = TorchStyle()
            a, b = Peer(), Peer()
            a.peer, b.peer = b, a  # type: ignore[attr-defined]  # a cycle below the root
            self.peers = [a]

    root = Root()
    root.torch_style(XS[0])  # leaves a Value in its private _cache
    ps = root.parameters()
    assert [p.data for p in ps[:3]] == [1.0, 2.0, 3.0]
    assert 98.0 not in [p.data for p in ps] and 99.0 not in [p.data for p in ps]
    assert all(p is not root.torch_style._cache for p in ps)
    assert len(ps) == 3 + 41 + 2
    names = [n for n, _ in root.named_parameters()]
    assert names[:3] == ["secret.0", "secret.1", "named.kept"]
    assert names[-2:] == ["peers.0.v", "peers.0.peer.v"]
    assert list(map(id, (p for _, p in root.named_parameters()))) == list(map(id, ps))


def test_extra_parameters_anywhere_in_a_built_in_network_are_found() -> None:
    class Gained(Neuron):
        def __init__(self) -> None:
            super().__init__(2, "linear", rng=random.Random(0))
            self.gain = Value(3.0)

    model = MLP(2, [2, 1], seed=0)
    base = len(model.parameters())
    model.layers[0].neurons[1] = Gained()  # a Neuron subclass inside a plain Layer
    assert any(p is model.layers[0].neurons[1].gain for p in model.layers[0].parameters())
    assert any(p is model.layers[0].neurons[1].gain for p in model.parameters())
    model.layers[1].extra = Value(5.0)  # type: ignore[attr-defined]  # a plain Layer's extra
    ps = model.parameters()
    assert len(ps) == base + 2
    assert any(p is model.layers[1].extra for p in ps)  # type: ignore[attr-defined]
    layer = Layer(2, 2)
    layer.extra = Value(6.0)  # type: ignore[attr-defined]
    assert layer.parameters()[-1] is layer.extra  # type: ignore[attr-defined]
    assert len(layer.parameters()) == 7
    assert [n for n, _ in model.named_parameters()][-1] == "layers.1.extra"


def test_an_mlp_with_an_activation_module_among_its_layers() -> None:
    from nn import ReLU

    model = MLP(2, [2, 2], "linear", seed=0)
    model.layers.append(ReLU())
    out = model([1.0, -1.0])
    plain = [v.data for v in MLP(2, [2, 2], "linear", seed=0)([1.0, -1.0])]
    assert [v.data for v in out] == [max(v, 0.0) for v in plain]


def test_unusual_containers_and_value_subclasses_inside_built_ins_are_found() -> None:
    class MyValue(Value):
        pass

    model = MLP(2, [2, 1], seed=0)
    n = model.layers[0].neurons[0]
    n.w[1] = MyValue(0.5)
    n.b = MyValue(0.25)
    model.layers[0].neurons[1].w = tuple(model.layers[0].neurons[1].w)  # type: ignore[assignment]
    model.layers[1].neurons = tuple(model.layers[1].neurons)  # type: ignore[assignment]
    ps = model.parameters()
    assert len(ps) == 9
    assert any(p is n.w[1] for p in ps) and any(p is n.b for p in ps)
    assert list(map(id, ps)) == list(map(id, (p for _, p in model.named_parameters())))
    assert len(model.layers[1].parameters()) == 3
    assert len(n.parameters()) == 3


@pytest.mark.parametrize(("make", "error", "match"),
                         [(lambda: MLP(0, [1]), ValueError, "^nin must be at least 1, got 0$"),
                          (lambda: MLP(2.5, [1]), TypeError, "^nin must be an int, not float")])
def test_mlp_nin_messages(make: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make()
