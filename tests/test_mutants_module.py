"""nn.module: tests written for the mutants that survived ``mutmut`` (issue 17).

Each test names the behaviour it pins; docs/mutants/nn.module.md lists the mutants, the ones
these tests kill and the equivalent ones left.
"""

from __future__ import annotations

import contextlib
import json
import locale
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from nn import MLP, Layer, Module, Neuron

# -- tied weights: each Value once, on every walk ---------------------------------------------


def test_a_neuron_with_a_tied_weight_lists_it_once() -> None:
    """The built-in classes' fast path must not hand out a Value twice (n.w[1] = n.w[0])."""
    n = Neuron(2, rng=__import__("random").Random(0))
    n.w[1] = n.w[0]
    ps = n.parameters()
    assert len(ps) == 2 and ps[0] is n.w[0] and ps[1] is n.b
    assert [name for name, _ in n.named_parameters()] == ["w.0", "b"]
    layer = Layer(2, 2, rng=__import__("random").Random(0))
    layer.neurons[1].w[0] = layer.neurons[0].w[0]  # tied across neurons
    assert len(layer.parameters()) == 5
    assert len({id(p) for p in layer.parameters()}) == 5


def test_a_micrograd_style_sub_module_sharing_a_weight_is_listed_once() -> None:
    shared = Value(3.0)

    class Micro(Module):
        def parameters(self) -> list[Value]:
            return [shared, shared]  # the same Value twice

    class Outer(Module):
        def __init__(self) -> None:
            self.w = shared
            self.inner = Micro()
            self.b = Value(1.0)

    outer = Outer()
    assert outer.named_parameters() == [("w", shared), ("b", outer.b)]
    assert outer.parameters() == [shared, outer.b]
    assert Micro().named_parameters() == [("0", shared)]
    assert Micro().state_dict() == {"0": 3.0}


def test_a_micrograd_style_module_holding_itself_is_walked_once() -> None:
    """parameters() of a module whose override calls super().parameters(), and which holds
    itself in a list: the root is walked once (no RecursionError)."""

    class Micro(Module):
        def __init__(self) -> None:
            self.w = Value(1.0)
            self.loop = [self]

        def parameters(self) -> list[Value]:
            return super().parameters()

    m = Micro()
    assert m.parameters() == [m.w]
    assert m.named_parameters() == [("0", m.w)]


def test_parameters_does_not_name_so_a_dotted_name_below_is_not_an_error() -> None:
    """Only the walks that make names refuse a '.' in an attribute name; parameters() and
    zero_grad() list the Values of a sub-module holding one."""

    class Inner(Module):
        def __init__(self) -> None:
            self.w = Value(1.0)
            setattr(self, "a.0", Value(2.0))

    class Outer(Module):
        def __init__(self) -> None:
            self.head = Value(0.5)
            self.inner = Inner()

    outer = Outer()
    assert [p.data for p in outer.parameters()] == [0.5, 1.0, 2.0]
    for p in outer.parameters():
        p.grad = 7.0
    outer.zero_grad()
    assert [p.grad for p in outer.parameters()] == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"^Inner has an attribute named 'a\.0'"):
        outer.named_parameters()


def test_a_module_without_an_instance_dict_has_no_parameters() -> None:
    class Hidden(Module):
        @property
        def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
            raise AttributeError("__dict__")

    m = Hidden()
    assert m.named_parameters() == []
    assert m.parameters() == []
    assert m.state_dict() == {}


# -- messages ------------------------------------------------------------------------------


def test_the_dotted_name_message_in_full() -> None:
    class Dotted(Module):
        def __init__(self) -> None:
            setattr(self, "a.0", Value(2.0))

    with pytest.raises(ValueError) as info:
        Dotted().named_parameters()
    assert str(info.value) == (
        "Dotted has an attribute named 'a.0': a name holding a parameter or a module cannot "
        "contain '.', which separates the parts of a dotted name (as in PyTorch); rename the "
        "attribute"
    )


def test_a_name_given_twice_names_the_class() -> None:
    a, b = Value(1.0), Value(2.0)

    class Twice(Module):
        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("w", a), ("w", b)]

    with pytest.raises(ValueError) as info:
        Twice().state_dict()
    assert str(info.value) == (
        "Twice.named_parameters() gives the name 'w' to two parameters; each parameter "
        "needs its own name to be saved and loaded"
    )


# -- model files --------------------------------------------------------------------------


class _Scaled(Module):
    """A module whose architecture holds a number (as a user's may)."""

    def __init__(self, scale: float) -> None:
        self.w = Value(1.5)
        self.scale = scale

    def architecture(self) -> dict[str, Any]:
        return {"type": "_Scaled", "scale": self.scale}


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), -float("inf")])
def test_a_non_finite_architecture_is_not_saved_and_the_old_file_stays(
    tmp_path: Path, scale: float
) -> None:
    path = tmp_path / "m.json"
    _Scaled(2.0).save(path)
    old = path.read_bytes()
    with pytest.raises(ValueError, match="not JSON compliant"):
        _Scaled(scale).save(path)
    assert path.read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["m.json"]


def test_an_architecture_key_that_only_the_file_has_as_null_is_a_difference(
    tmp_path: Path,
) -> None:
    """{"extra": null} in the file: a key this model does not have (get() gives None for
    both); the model is left unchanged."""
    model = MLP(2, [1], seed=0)
    path = tmp_path / "m.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["architecture"]["extra"] = None
    document["parameters"] = {name: 0.25 for name in document["parameters"]}
    path.write_text(json.dumps(document), encoding="utf-8")
    before = model.state_dict()
    with pytest.raises(ValueError) as info:
        model.load(path)
    assert str(info.value) == f"{path}: the file holds another architecture"
    assert model.state_dict() == before


@contextlib.contextmanager
def _ascii_locale() -> Iterator[None]:
    """LC_CTYPE = "C": a bare open() reads ASCII there (unless Python runs in UTF-8 mode)."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_load_reads_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """A hand-written file with a non-ASCII parameter name loads under an ASCII locale."""

    class Accent(Module):
        def __init__(self) -> None:
            self.café = Value(1.0)

    model = Accent()
    path = tmp_path / "m.json"
    document = {"format": "backprop-lens.nn", "version": 1,
                "architecture": {"type": "Accent"}, "parameters": {"café": -2.5}}
    path.write_bytes(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    with _ascii_locale():
        model.load(path)
    assert model.café.data == -2.5


def test_a_path_ending_in_the_alternative_separator_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is an os.altsep (Windows' '/'; here a stand-in), a path ending in it names
    a directory too, and nothing is written."""
    monkeypatch.setattr(os, "altsep", "|")
    target = str(tmp_path / "model.json") + "|"
    with pytest.raises(IsADirectoryError, match="ends with a separator"):
        MLP(2, [1], seed=0).save(target)
    assert os.listdir(tmp_path) == []


# -- deleting an attribute tells compiled steps ---------------------------------------------


def test_deleting_attributes_is_seen_by_a_compiled_step_every_time() -> None:
    """Each ``del module.attr`` gives a structure version never used before, so a compiled
    step re-traces after each one, also after an assignment in between."""
    import autograd

    class Shifted(Module):
        def __init__(self) -> None:
            self.w = Value(2.0)
            self.shift = Value(10.0)
            self.bias = Value(100.0)

        def forward(self, x: float) -> Value:
            out = self.w * x
            for name in ("shift", "bias"):
                extra = self.__dict__.get(name)
                if extra is not None:
                    out = out + extra
            return out

    m = Shifted()
    step = autograd.compile(lambda: m(3.0))
    assert step() == 2.0 * 3.0 + 10.0 + 100.0
    del m.shift
    assert "shift" not in m.__dict__
    assert step() == 2.0 * 3.0 + 100.0
    m.note = 0
    del m.bias
    assert step() == 2.0 * 3.0
    assert [name for name, _ in m.named_parameters()] == ["w"]


# -- containers: cycles and repeated lists on the naming walks -----------------------------


class _Leaf(Module):
    pass


def test_a_module_holding_itself_is_listed_once_even_without_removing_duplicates() -> None:
    class Selfish(Module):
        def __init__(self) -> None:
            self.leaf = _Leaf()
            self.me = self

    m = Selfish()
    assert names(m.named_modules(remove_duplicate=False)) == [("", "Selfish"), ("leaf", "_Leaf")]
    assert names(m.named_modules()) == [("", "Selfish"), ("leaf", "_Leaf")]
    assert repr(m) == "Selfish(\n  (leaf): _Leaf()\n  (me): Selfish(...)\n)"


def names(pairs: Any) -> list[tuple[str, str]]:
    return [(name, type(m).__name__) for name, m in pairs]


def test_a_list_holding_itself_on_the_naming_walks() -> None:
    class Holder(Module):
        def __init__(self) -> None:
            self.leaf = _Leaf()
            self.items: list[object] = [self.leaf]
            self.items.append(self.items)
            self.items.append([_Leaf()])

    m = Holder()
    assert names(m.named_children()) == [("leaf", "_Leaf"), ("items.2.0", "_Leaf")]
    assert names(m.named_modules(remove_duplicate=False)) == [
        ("", "Holder"), ("leaf", "_Leaf"), ("items.0", "_Leaf"), ("items.2.0", "_Leaf")]
    assert repr(m) == ("Holder(\n  (leaf): _Leaf()\n  (items.0): _Leaf()\n"
                       "  (items.2.0): _Leaf()\n)")


def test_one_list_twice_in_a_list_is_named_at_each_place() -> None:
    """Not a cycle: the same list at two positions gives its modules under both names (as
    a module held under two names is given twice, PyTorch's _modules.items())."""
    import torch

    class Twice(Module):
        def __init__(self) -> None:
            inner = [_Leaf()]
            self.x = [inner, inner]

    class TTwice(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            leaf = torch.nn.Module()
            self.x = torch.nn.ModuleList([torch.nn.ModuleList([leaf]),
                                          torch.nn.ModuleList([leaf])])

    ours = [name for name, _ in Twice().named_modules(remove_duplicate=False)]
    theirs = [name for name, _ in TTwice().named_modules(remove_duplicate=False)]
    assert ours == ["", "x.0.0", "x.1.0"]
    assert theirs == ["", "x", "x.0", "x.0.0", "x.1", "x.1.0"]  # its lists are modules too
    assert [n for n in theirs if n.count(".") == 2] == ours[1:]  # the leaves alike
    assert repr(Twice()) == "Twice(\n  (x.0.0): _Leaf()\n  (x.1.0): _Leaf()\n)"


@pytest.mark.parametrize("extra", ["a=1\nb=2", "scale=2.0, bias=True"])
@pytest.mark.parametrize("with_child", [False, True])
def test_extra_repr_of_several_lines_or_words_as_torch(extra: str, with_child: bool) -> None:
    import torch

    class Settings(Module):
        def __init__(self) -> None:
            if with_child:
                self.leaf = _Leaf()

        def extra_repr(self) -> str:
            return extra

    class TLeaf(torch.nn.Module):
        pass

    class TSettings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            if with_child:
                self.leaf = TLeaf()

        def extra_repr(self) -> str:
            return extra

    TLeaf.__name__ = "_Leaf"
    TSettings.__name__ = "Settings"
    assert repr(Settings()) == repr(TSettings())
