"""PyTorch's module habits on ``nn`` (issue 18): ``children()``, ``modules()``,
``named_modules()`` and ``repr`` checked against ``torch.nn.Module`` on the same structure;
``nn.MSELoss`` against ``torch.nn.MSELoss``."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
import torch

import nn
from autograd import Value
from nn import MLP, Layer, Linear, Module, MSELoss, Neuron, ReLU, Sequential, Sigmoid, Tanh


def twin_trees() -> tuple[Module, torch.nn.Module]:
    """The same tree twice, ours and torch's: a shared sub-module, a nested module, leaves."""

    class Inner(Module):
        def __init__(self, shared: Module) -> None:
            self.relu = ReLU()
            self.shared = shared  # reached a second time here
            self.sig = Sigmoid()

    class Outer(Module):
        def __init__(self) -> None:
            self.first = Tanh()
            self.inner = Inner(self.first)
            self.last = ReLU()
            self.again = self.inner  # the same module under a second name

    class TInner(torch.nn.Module):
        def __init__(self, shared: torch.nn.Module) -> None:
            super().__init__()
            self.relu = torch.nn.ReLU()
            self.shared = shared
            self.sig = torch.nn.Sigmoid()

    class TOuter(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = torch.nn.Tanh()
            self.inner = TInner(self.first)
            self.last = torch.nn.ReLU()
            self.again = self.inner

    TInner.__name__ = "Inner"
    TOuter.__name__ = "Outer"
    return Outer(), TOuter()


def names_and_types(pairs: Any) -> list[tuple[str, str]]:
    return [(name, type(m).__name__) for name, m in pairs]


def test_named_modules_children_and_modules_as_torch() -> None:
    ours, theirs = twin_trees()
    assert names_and_types(ours.named_modules()) == names_and_types(theirs.named_modules())
    assert [name for name, _ in ours.named_modules()] == [
        "", "first", "inner", "inner.relu", "inner.sig", "last"]  # self first, each once
    assert names_and_types(ours.named_children()) == names_and_types(theirs.named_children())
    assert [type(m).__name__ for m in ours.children()] == \
        [type(m).__name__ for m in theirs.children()] == ["Tanh", "Inner", "ReLU"]
    assert [type(m).__name__ for m in ours.modules()] == \
        [type(m).__name__ for m in theirs.modules()]
    assert next(iter(ours.modules())) is ours
    kw: dict[str, Any] = {"prefix": "model", "remove_duplicate": False}
    assert names_and_types(ours.named_modules(**kw)) == names_and_types(
        theirs.named_modules(**kw))
    skipped = {ours.inner}  # type: ignore[attr-defined]
    tskipped = {theirs.inner}
    assert names_and_types(ours.named_modules(memo=skipped)) == names_and_types(
        theirs.named_modules(memo=tskipped))
    # identities: the shared Tanh is the one under "first"
    found = dict(ours.named_modules())
    assert found["first"] is ours.inner.shared  # type: ignore[attr-defined]


def test_lists_of_modules_play_the_part_of_module_list() -> None:
    model = MLP(2, [3, 3, 1], seed=0)
    assert [name for name, _ in model.named_children()] == ["layers.0", "layers.1", "layers.2"]
    assert list(model.children()) == model.layers
    names = [name for name, _ in model.named_modules()]
    assert names[:3] == ["", "layers.0", "layers.0.neurons.0"]
    assert len(names) == 1 + 3 + (3 + 3 + 1)
    # the names are the prefixes of the parameters' names
    params = {name.rsplit(".", 2)[0] for name, _ in model.named_parameters() if ".w." in name}
    assert params <= set(names)


def test_repr_is_torchs_tree() -> None:
    ours, theirs = twin_trees()
    assert repr(ours) == repr(theirs)
    assert repr(ours) == (
        "Outer(\n"
        "  (first): Tanh()\n"
        "  (inner): Inner(\n"
        "    (relu): ReLU()\n"
        "    (shared): Tanh()\n"
        "    (sig): Sigmoid()\n"
        "  )\n"
        "  (last): ReLU()\n"
        "  (again): Inner(\n"
        "    (relu): ReLU()\n"
        "    (shared): Tanh()\n"
        "    (sig): Sigmoid()\n"
        "  )\n"
        ")"
    )


def test_extra_repr_as_torch() -> None:
    class Scaled(Module):
        def __init__(self, with_child: bool) -> None:
            self.scale = Value(2.0)
            if with_child:
                self.act = ReLU()

        def extra_repr(self) -> str:
            return "scale=2.0"

    class TScaled(torch.nn.Module):
        def __init__(self, with_child: bool) -> None:
            super().__init__()
            if with_child:
                self.act = torch.nn.ReLU()

        def extra_repr(self) -> str:
            return "scale=2.0"

    TScaled.__name__ = "Scaled"
    for with_child in (False, True):
        assert repr(Scaled(with_child)) == repr(TScaled(with_child))
    assert repr(Scaled(False)) == "Scaled(scale=2.0)"


def test_print_of_a_users_module_shows_the_tree_not_an_address() -> None:
    class Net(Module):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = [Layer(2, 8, "tanh"), Layer(8, 8, "tanh")]
            self.out = Neuron(8, "linear")
            self.scale = Value(1.0)

        def forward(self, x: list[float]) -> Value:
            h: Any = x
            for layer in self.hidden:
                h = layer(h)
            out: Value = self.out(h) * self.scale
            return out

    class MicrogradStyle(Module):
        def __init__(self) -> None:
            self.neuron = Neuron(2, "tanh")

        def parameters(self) -> list[Value]:
            return self.neuron.parameters()

    class Empty(Module):
        pass

    assert repr(Net()) == (
        "Net(\n"
        "  (hidden.0): Layer(2, 8, activation='tanh')\n"
        "  (hidden.1): Layer(8, 8, activation='tanh')\n"
        "  (out): Neuron(8, activation='linear')\n"
        ")"
    )
    assert repr(MicrogradStyle()) == "MicrogradStyle(\n  (neuron): Neuron(2, activation='tanh')\n)"
    assert repr(Empty()) == "Empty()"
    for model in (Net(), MicrogradStyle(), Empty(), MLP(2, [2, 1]), Sequential(Linear(2, 1))):
        assert " at 0x" not in repr(model) and " object" not in repr(model)


def test_builtin_reprs() -> None:
    assert repr(MLP(2, [16, 16, 1])) == (
        "MLP(\n"
        "  (layers.0): Layer(2, 16, activation='relu')\n"
        "  (layers.1): Layer(16, 16, activation='relu')\n"
        "  (layers.2): Layer(16, 1, activation='linear')\n"
        ")"
    )
    assert repr(Sequential(Linear(2, 4), ReLU(), Linear(4, 1))) == (
        "Sequential(\n"
        "  (layers.0): Linear(2, 4)\n"
        "  (layers.1): ReLU()\n"
        "  (layers.2): Linear(4, 1)\n"
        ")"
    )
    assert repr(MSELoss()) == "MSELoss()"
    assert repr(MSELoss("half_sum")) == "MSELoss(reduction='half_sum')"


# -- nn.MSELoss ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_loss_module_matches_torch(reduction: str) -> None:
    rng = random.Random(4)
    outs = [Value(rng.uniform(-2, 2)) for _ in range(5)]
    ys = [rng.uniform(-2, 2) for _ in range(5)]
    loss = MSELoss(reduction)(outs, ys)  # type: ignore[arg-type]
    loss.backward()
    t = torch.tensor([o.data for o in outs], dtype=torch.float64, requires_grad=True)
    ref = torch.nn.MSELoss(reduction=reduction)(t, torch.tensor(ys, dtype=torch.float64))
    ref.backward()
    assert loss.data == pytest.approx(ref.item(), rel=1e-14)
    assert t.grad is not None
    for o, g in zip(outs, t.grad.tolist()):
        assert o.grad == pytest.approx(g, rel=1e-14)


def test_mse_loss_module_half_sum_single_value_and_errors() -> None:
    out = Value(0.75)
    assert MSELoss("half_sum")(out, 0.25).data == 0.5 * (0.75 - 0.25) ** 2  # the article's J
    assert MSELoss()(out, 0.25).data == (0.75 - 0.25) ** 2  # one Value and one number
    assert MSELoss().parameters() == []
    assert MSELoss("sum").reduction == "sum"
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'half_sum'"):
        MSELoss("avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        MSELoss()([Value(1.0), Value(2.0)], [1.0])
    assert nn.MSELoss is MSELoss and not math.isnan(MSELoss()([out], [1.0]).data)


@pytest.mark.subprocess
def test_the_readme_networks_block_runs_on_its_own(tmp_path: Any) -> None:
    import re
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
                if "class Net(Module)" in b]
    assert "[0]" not in block  # one output is the Value itself
    script = tmp_path / "networks.py"
    script.write_text(block + "\nassert isinstance(score, Value) and resumed.momentum == 0.9\n"
                      "print('block ran')\n", encoding="utf-8")
    env = {"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Net(\n  (hidden.0): Layer(2, 8, activation='tanh')")
    assert "block ran" in result.stdout
