"""Module: state_dict / load_state_dict, and save / load that lose nothing: every failure
leaves the model and the old file unchanged, also a crash in the middle of writing."""

from __future__ import annotations

import json
import math
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import nn.module
from autograd import Value
from nn import MLP, Layer, Module, Neuron


def snapshot(model: Module) -> dict[str, float]:
    return dict(model.state_dict())


def test_state_dict_names_and_values() -> None:
    model = MLP(2, [2, 1], seed=0)
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert state["layers.0.neurons.1.w.0"] == model.layers[0].neurons[1].w[0].data
    assert state["layers.1.neurons.0.b"] == model.layers[1].neurons[0].b.data


def test_load_state_dict_round_trip_keeps_the_same_value_objects() -> None:
    a, b = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    before = b.parameters()
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert all(p is q for p, q in zip(before, b.parameters()))  # changed in place
    assert b([0.3, 0.4]).data == a([0.3, 0.4]).data


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (lambda s: s.pop("layers.1.neurons.0.b"), ValueError, "missing 'layers.1.neurons.0.b'"),
        (lambda s: s.update({"layers.2.neurons.0.b": 1.0}), ValueError,
         "unexpected 'layers.2.neurons.0.b'"),
        (lambda s: s.update({"layers.0.neurons.0.w.0": "0.5"}), TypeError,
         "'layers.0.neurons.0.w.0' must be a real number, not str"),
        (lambda s: s.update({"layers.0.neurons.0.w.1": None}), TypeError, "not NoneType"),
        (lambda s: s.update({"layers.0.neurons.0.b": True}), TypeError, "not bool"),
        (lambda s: s.update({"layers.0.neurons.0.b": [1.0]}), TypeError, "not list"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": math.nan}), ValueError,
         "'layers.1.neurons.0.w.2' must be a finite number, not nan"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": -math.inf}), ValueError, "-inf"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": 10**400}), ValueError, "too large"),
        (lambda s: s.update({7: 1.0}), TypeError, "keys must be str"),
    ],
)
def test_load_state_dict_checks_everything_before_changing_anything(
    change: Any, error: type[Exception], match: str
) -> None:
    model = MLP(2, [3, 1], seed=1)
    state = {name: value + 1.0 for name, value in model.state_dict().items()}
    change(state)
    before = snapshot(model)
    with pytest.raises(error, match=match):
        model.load_state_dict(state)
    assert snapshot(model) == before


def test_load_state_dict_needs_a_mapping() -> None:
    with pytest.raises(TypeError, match=r"^state_dict must be a mapping .*, not list$"):
        MLP(2, [1]).load_state_dict([("layers.0.neurons.0.b", 1.0)])  # type: ignore[arg-type]


def test_save_load_round_trip_is_exact(tmp_path: Path) -> None:
    a = MLP(2, [4, 3, 1], "tanh", "linear", seed=5)
    a.layers[0].neurons[0].w[0].data = 0.1 + 0.2  # a float with no short decimal
    path = tmp_path / "model.json"
    a.save(path)
    b = MLP(2, [4, 3, 1], "tanh", "linear", seed=6)
    b.load(str(path))
    assert b.state_dict() == a.state_dict()  # JSON floats round-trip exactly (repr)
    document = json.loads(path.read_text())
    assert document["format"] == "backprop-lens.nn"
    assert document["version"] == 1
    assert document["architecture"] == {
        "type": "MLP", "nin": 2, "nouts": [4, 3, 1], "activations": ["tanh", "tanh", "linear"]}
    assert document["parameters"] == a.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    MLP(2, [1], seed=0).save(path)
    assert json.loads(path.read_text())["format"] == "backprop-lens.nn"
    assert (path.stat().st_mode & 0o777) == 0o640


def test_a_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        MLP(2, [1], seed=0).save(tmp_path / "m.json")
    finally:
        os.umask(umask)
    assert ((tmp_path / "m.json").stat().st_mode & 0o777) == 0o644


def test_save_in_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    MLP(2, [1], seed=0).save("m.json")
    assert os.listdir(tmp_path) == ["m.json"]


@pytest.fixture
def saved(tmp_path: Path) -> tuple[MLP, Path, bytes]:
    """A model saved to a file: (the model, the path, the file's bytes)."""
    model = MLP(2, [2, 1], seed=0)
    path = tmp_path / "model.json"
    model.save(path)
    return model, path, path.read_bytes()


def crash(*_: Any, **__: Any) -> None:
    raise OSError("simulated crash")


class HalfWriter:
    """A file whose write() writes half of the text, then fails."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *_: Any) -> None:
        self.file.close()

    def fileno(self) -> int:
        return int(self.file.fileno())

    def write(self, text: str) -> None:
        self.file.write(text[: len(text) // 2])
        self.file.flush()
        raise OSError("simulated crash in the middle of writing")


REAL_FDOPEN = os.fdopen


def half_write_then_crash(fd: int, *args: Any, **kwargs: Any) -> HalfWriter:
    return HalfWriter(REAL_FDOPEN(fd, *args, **kwargs))


@pytest.mark.parametrize(
    ("target", "replacement"),
    [("os.fdopen", half_write_then_crash), ("os.replace", crash), ("os.fsync", crash),
     ("os.fchmod", crash)],
)
def test_a_crash_while_saving_leaves_the_old_file_and_no_temporary(
    saved: tuple[MLP, Path, bytes], monkeypatch: pytest.MonkeyPatch,
    target: str, replacement: Any,
) -> None:
    model, path, old = saved
    for p in model.parameters():
        p.data += 1.0  # the model now differs from the file
    module, name = target.split(".")
    monkeypatch.setattr(getattr(nn.module, module), name, replacement)
    with pytest.raises(OSError, match="simulated crash"):
        model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_keyboard_interrupt_while_saving_also_cleans_up(
    saved: tuple[MLP, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    model, path, old = saved

    def interrupt(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(nn.module.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_saving_a_non_finite_parameter_writes_nothing(saved: tuple[MLP, Path, bytes]) -> None:
    model, path, old = saved
    model.layers[1].neurons[0].b.data = math.nan
    with pytest.raises(ValueError, match=r"'layers\.1\.neurons\.0\.b' is nan"):
        model.save(path)
    assert path.read_bytes() == old
    assert os.listdir(path.parent) == [path.name]


def test_saving_into_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        MLP(2, [1]).save(tmp_path / "no" / "such" / "m.json")


def rewrite(path: Path, change: Any) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def set_param(name: str, value: Any) -> Any:
    return lambda d: d["parameters"].__setitem__(name, value)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (lambda d: d.__setitem__("format", "pickle"), ValueError, "not a saved model"),
        (lambda d: d.pop("format"), ValueError, "not a saved model"),
        (lambda d: d.__setitem__("version", 2), ValueError, "unsupported file version 2"),
        (lambda d: d.pop("architecture"), ValueError, "'architecture' is missing"),
        (lambda d: d.pop("parameters"), ValueError, "'parameters' is missing"),
        (lambda d: d["architecture"].__setitem__("nouts", [3, 1]), ValueError,
         r"its 'nouts' is \[3, 1\], this model's is \[2, 1\]"),
        (lambda d: d["architecture"].__setitem__("activations", ["tanh", "sigmoid"]),
         ValueError, "'activations'"),
        (lambda d: d["architecture"].__setitem__("type", "Layer"), ValueError, "'type'"),
        (lambda d: d.__setitem__("architecture", [2, 1]), ValueError, "must be an object"),
        (lambda d: d.__setitem__("parameters", [1.0, 2.0]), TypeError, "mapping"),
        (lambda d: d["parameters"].pop("layers.0.neurons.1.w.1"), ValueError,
         "missing 'layers.0.neurons.1.w.1'"),
        (lambda d: d["parameters"].__setitem__("layers.0.neurons.2.b", 0.0), ValueError,
         "unexpected 'layers.0.neurons.2.b'"),
        (set_param("layers.1.neurons.0.w.1", "0.3"), TypeError, "not str"),
        (set_param("layers.1.neurons.0.w.1", None), TypeError, "not NoneType"),
        (set_param("layers.1.neurons.0.w.1", False), TypeError, "not bool"),
        (set_param("layers.1.neurons.0.w.1", {"x": 1}), TypeError, "not dict"),
    ],
)
def test_load_rejects_a_wrong_file_and_changes_nothing(
    saved: tuple[MLP, Path, bytes], change: Any, error: type[Exception], match: str
) -> None:
    model, path, _ = saved
    rewrite(path, change)
    content = path.read_bytes()
    for p in model.parameters():
        p.data += 1.0
    before = snapshot(model)
    with pytest.raises(error, match=match):
        model.load(path)
    assert snapshot(model) == before
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{\n "format": "backprop-lens.nn",\n "version": 1,,\n}', "line 3"),
        ("", "line 1"),
        ("[1, 2", "line 1"),
    ],
)
def test_load_names_the_file_and_line_of_bad_json(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    model = MLP(2, [1], seed=0)
    before = snapshot(model)
    with pytest.raises(ValueError, match=match) as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert "not valid JSON" in str(info.value)
    assert snapshot(model) == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_load_rejects_non_finite_numbers(
    saved: tuple[MLP, Path, bytes], literal: str
) -> None:
    model, path, old = saved
    text = old.decode().replace(
        f'"layers.1.neurons.0.b": {model.layers[1].neurons[0].b.data!r}',
        f'"layers.1.neurons.0.b": {literal}')
    assert text != old.decode()
    path.write_text(text)
    before = snapshot(model)
    with pytest.raises(ValueError, match="finite"):
        model.load(path)
    assert snapshot(model) == before


def test_load_a_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not a UTF-8 text file") as info:
        MLP(2, [1]).load(path)
    assert str(path) in str(info.value)


def test_load_a_json_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="expected a JSON object, found list"):
        MLP(2, [1]).load(path)


def test_load_a_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    model = MLP(2, [1], seed=0)
    before = snapshot(model)
    with pytest.raises(FileNotFoundError, match=r"nowhere\.json"):
        model.load(path)
    assert snapshot(model) == before


def test_neuron_and_layer_save_and_load_too(tmp_path: Path) -> None:
    a = Neuron(3, "tanh")
    a.save(tmp_path / "n.json")
    b = Neuron(3, "tanh")
    b.load(tmp_path / "n.json")
    assert b.state_dict() == a.state_dict()
    with pytest.raises(ValueError, match="'activation'"):
        Neuron(3, "relu").load(tmp_path / "n.json")
    with pytest.raises(ValueError, match="'nin'"):
        Neuron(2, "tanh").load(tmp_path / "n.json")

    layer = Layer(2, 3, "sigmoid")
    layer.neurons[2].b.data = 0.75
    layer.save(tmp_path / "l.json")
    document = json.loads((tmp_path / "l.json").read_text())
    assert document["architecture"] == {"type": "Layer", "nin": 2, "nout": 3,
                                        "activation": "sigmoid"}
    assert list(document["parameters"]) == [
        f"neurons.{j}.{p}" for j in range(3) for p in ("w.0", "w.1", "b")]
    assert document["parameters"]["neurons.2.b"] == 0.75
    other = Layer(2, 3, "sigmoid")
    other.load(tmp_path / "l.json")
    assert other.state_dict() == layer.state_dict()
    assert [v.data for v in other([0.3, -0.2])] == [v.data for v in layer([0.3, -0.2])]
    for wrong, key in ((Layer(2, 2, "sigmoid"), "'nout'"), (Layer(2, 3, "tanh"), "'activation'"),
                       (Layer(3, 3, "sigmoid"), "'nin'"), (Neuron(2, "sigmoid"), "'type'")):
        before = snapshot(wrong)
        with pytest.raises(ValueError, match=key):
            wrong.load(tmp_path / "l.json")
        assert snapshot(wrong) == before


def test_a_user_module_with_its_own_parameters(tmp_path: Path) -> None:
    class Affine(Module):
        def __init__(self) -> None:
            self.scale = Value(2.0)
            self.shift = Value(-1.0)

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("scale", self.scale), ("shift", self.shift)]

    m = Affine()
    assert list(map(id, m.parameters())) == [id(m.scale), id(m.shift)]
    assert m.state_dict() == {"scale": 2.0, "shift": -1.0}
    m.save(tmp_path / "a.json")
    m.scale.data = 5.0
    m.load(tmp_path / "a.json")
    assert m.scale.data == 2.0
    assert Module().parameters() == []
    assert Module().architecture() == {"type": "Module"}


# -- save/load edges (issue 8, item 12) -------------------------------------------------------

TEMP = re.compile(r"\.model\.json\.backprop-lens-tmp-(\d+)-[0-9a-f]{8}")


def test_save_never_touches_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_umask(_: int) -> int:
        raise AssertionError("save() changed the process umask")

    monkeypatch.setattr(nn.module.os, "umask", no_umask)
    model = MLP(2, [1], seed=0)
    model.save(tmp_path / "new.json")
    model.save(tmp_path / "new.json")  # replacing too
    assert json.loads((tmp_path / "new.json").read_text())["format"] == "backprop-lens.nn"


def test_the_temporary_file_has_a_recognisable_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        seen.append(os.path.basename(src))
        assert os.path.dirname(src) == str(tmp_path)
        real_replace(src, dst)

    monkeypatch.setattr(nn.module.os, "replace", spy)
    MLP(2, [1], seed=0).save(tmp_path / "model.json")
    (name,) = seen
    match = TEMP.fullmatch(name)
    assert match is not None, name
    assert int(match[1]) == os.getpid()


def dead_pid() -> int:
    return 10**9  # beyond any pid_max (at most 2**22 on Linux): no such process


def test_stale_temporaries_of_the_same_target_are_removed(tmp_path: Path) -> None:
    def temp(name: str, age: float = 0.0) -> Path:
        path = tmp_path / name
        path.write_text("{half a file")
        if age:
            os.utime(path, (time.time() - age, time.time() - age))
        return path

    gone = [
        temp(f".model.json.backprop-lens-tmp-{dead_pid()}-0123abcd"),  # its writer is dead
        temp(f".model.json.backprop-lens-tmp-{os.getpid()}-89abcdef", age=7200.0),  # old
    ]
    kept = [
        temp(f".model.json.backprop-lens-tmp-{os.getpid()}-00000000"),  # a live writer (us)
        temp(f".other.json.backprop-lens-tmp-{dead_pid()}-22222222"),  # another target's
        temp(f".model.json.backprop-lens-tmp-{dead_pid()}-xyz"),  # not our pattern
        temp(f"model.json.backprop-lens-tmp-{dead_pid()}-33333333"),  # no leading dot
        temp(".model.json.bak"),
    ]
    MLP(2, [1], seed=0).save(tmp_path / "model.json")
    assert not any(p.exists() for p in gone)
    assert all(p.exists() for p in kept)
    assert sorted(os.listdir(tmp_path)) == sorted(["model.json", *(p.name for p in kept)])


def test_an_unreadable_directory_listing_does_not_stop_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_listing(_: Any) -> list[str]:
        raise PermissionError("no listing")

    monkeypatch.setattr(nn.module.os, "listdir", no_listing)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert (tmp_path / "m.json").exists()


@pytest.mark.parametrize("name", ["m" * 250 + ".json", "é" * 125 + ".json",
                                  "x" * 255])
def test_a_file_name_at_the_os_limit_works(tmp_path: Path, name: str) -> None:
    assert len(name.encode()) == 255
    a = MLP(2, [2, 1], seed=0)
    a.save(tmp_path / name)
    assert os.listdir(tmp_path) == [name]
    b = MLP(2, [2, 1], seed=1)
    b.load(tmp_path / name)
    assert b.state_dict() == a.state_dict()
    with pytest.MonkeyPatch.context() as patch:  # a temporary left by a dead writer
        patch.setattr(nn.module.os, "getpid", dead_pid)
        stale = tmp_path / nn.module._temp_name(name)
    assert str(dead_pid()) in stale.name
    assert 252 <= len(stale.name.encode()) <= 255
    stale.write_text("{")
    a.save(tmp_path / name)  # the long name's stale temporary is recognised and removed
    assert os.listdir(tmp_path) == [name]


def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "weights.json"
    target.write_text("old")
    os.chmod(target, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    model = MLP(2, [1], seed=0)
    model.save(link)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_text())["parameters"] == model.state_dict()
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(os.listdir(real_dir)) == ["weights.json"]
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "later.json")
    MLP(2, [1], seed=0).save(link)
    assert link.is_symlink()
    assert json.loads((tmp_path / "later.json").read_text())["format"] == "backprop-lens.nn"


@pytest.mark.parametrize("suffix", ["/", "//"])
def test_a_path_ending_in_a_separator_is_an_error(tmp_path: Path, suffix: str) -> None:
    path = str(tmp_path / "m.json") + suffix
    with pytest.raises(IsADirectoryError, match=re.escape(repr(path))):
        MLP(2, [1]).save(path)
    assert os.listdir(tmp_path) == []


def test_saving_onto_a_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        MLP(2, [1]).save(tmp_path / "d")
    assert os.listdir(tmp_path / "d") == []


@pytest.mark.parametrize(("path", "error", "match"),
                         [("", ValueError, r"^save\(path\) got an empty path$"),
                          (3, TypeError, "not int"),
                          (b"m.json", TypeError, "not bytes")])
def test_save_path_types(path: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        MLP(2, [1]).save(path)


def test_the_directory_is_fsynced_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(nn.module.os, "fsync", fsync)
    monkeypatch.setattr(nn.module.os, "replace", replace)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert calls == ["file", "replace", "dir"]


def test_a_directory_that_cannot_be_fsynced_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError("EINVAL")
        real_fsync(fd)

    monkeypatch.setattr(nn.module.os, "fsync", fsync)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert os.listdir(tmp_path) == ["m.json"]


UMASK_CHILD = """
import os, stat, sys
os.umask(int(sys.argv[1], 8))
from nn import MLP
MLP(2, [1], seed=0).save(sys.argv[2])
print(oct(stat.S_IMODE(os.stat(sys.argv[2]).st_mode)))
"""


@pytest.mark.subprocess
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o027, 0o000])
def test_a_new_file_has_0666_minus_the_umask(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "m.json"
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", UMASK_CHILD, oct(umask), str(path)],
                          cwd=root, capture_output=True, text=True, check=True)
    assert int(done.stdout.strip(), 8) == 0o666 & ~umask
    assert (path.stat().st_mode & 0o777) == 0o666 & ~umask


def test_a_replaced_file_keeps_a_private_mode_while_written(
    saved: tuple[MLP, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    model, path, _ = saved
    os.chmod(path, 0o600)
    modes: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(nn.module.os, "fsync", fsync)
    model.save(path)
    assert modes[0] == 0o600
    assert (path.stat().st_mode & 0o777) == 0o600


def test_deeply_nested_json_is_a_clear_error(saved: tuple[MLP, Path, bytes]) -> None:
    model, path, _ = saved
    path.write_text('{"format": ' + "[" * 200_000 + "]" * 200_000 + "}")
    before = snapshot(model)
    with pytest.raises(ValueError, match="nested too deeply") as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert snapshot(model) == before


@pytest.mark.parametrize("digits", [5000, 401])
def test_a_huge_integer_names_the_file_and_the_parameter(
    saved: tuple[MLP, Path, bytes], digits: int
) -> None:
    model, path, old = saved
    text = old.decode().replace(
        f'"layers.1.neurons.0.b": {model.layers[1].neurons[0].b.data!r}',
        '"layers.1.neurons.0.b": ' + "9" * digits)
    path.write_text(text)
    before = snapshot(model)
    with pytest.raises(ValueError, match=f"integer of {digits} digits") as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert "'layers.1.neurons.0.b'" in str(info.value)
    assert snapshot(model) == before


def test_a_long_but_parsable_integer_is_too_large_for_a_float(
    saved: tuple[MLP, Path, bytes]
) -> None:
    model, path, old = saved
    text = old.decode().replace(
        f'"layers.1.neurons.0.b": {model.layers[1].neurons[0].b.data!r}',
        '"layers.1.neurons.0.b": 1' + "0" * 399)  # 400 digits: parsed, then too large
    path.write_text(text)
    with pytest.raises(ValueError, match="too large for a float") as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert "an integer of" not in str(info.value)  # parsed, then found too large


def test_an_integer_parameter_loads_as_a_float(saved: tuple[MLP, Path, bytes]) -> None:
    model, path, old = saved
    text = old.decode().replace(
        f'"layers.1.neurons.0.b": {model.layers[1].neurons[0].b.data!r}',
        '"layers.1.neurons.0.b": -3')
    path.write_text(text)
    model.load(path)
    assert model.layers[1].neurons[0].b.data == -3.0
    assert type(model.layers[1].neurons[0].b.data) is float


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('"layers.0.neurons.0.b": 0.0,\n  "layers.0.neurons.0.b": 5.0,', "layers.0.neurons.0.b"),
        ('"format": "backprop-lens.nn",', "format"),
    ],
)
def test_a_duplicate_key_is_an_error_naming_it(
    saved: tuple[MLP, Path, bytes], text: str, key: str
) -> None:
    model, path, old = saved
    document = old.decode()
    if key == "format":
        document = document.replace('"version": 1,', '"version": 1,\n ' + text)
    else:
        document = document.replace(f'"{key}": 0.0,', text)
    assert document != old.decode()
    path.write_text(document)
    before = snapshot(model)
    with pytest.raises(ValueError, match=f"the key '{re.escape(key)}' appears twice") as info:
        model.load(path)
    assert str(path) in str(info.value)
    assert snapshot(model) == before


def test_a_bad_value_in_a_file_names_the_file_and_the_parameter(
    saved: tuple[MLP, Path, bytes]
) -> None:
    model, path, _ = saved
    rewrite(path, set_param("layers.0.neurons.1.w.0", "1.5"))
    with pytest.raises(TypeError, match=r"model\.json: parameter 'layers\.0\.neurons\.1\.w\.0' "
                                        r"must be a real number, not str"):
        model.load(path)


def test_load_state_dict_accepts_numpy_numbers() -> None:
    np = pytest.importorskip("numpy")
    model = MLP(2, [1], seed=0)
    model.load_state_dict({"layers.0.neurons.0.w.0": np.float32(0.5),
                           "layers.0.neurons.0.w.1": np.int64(-2),
                           "layers.0.neurons.0.b": np.float64(0.25)})
    assert model.state_dict() == {"layers.0.neurons.0.w.0": 0.5,
                                  "layers.0.neurons.0.w.1": -2.0,
                                  "layers.0.neurons.0.b": 0.25}
    assert all(type(v) is float for v in model.state_dict().values())


class FakeProcesses:
    """``os.kill(pid, 0)`` for made-up pids: 100 lives, 200 is someone else's, others are gone."""

    ALIVE, FOREIGN = 100, 200

    def __init__(self) -> None:
        self.signals: list[tuple[int, int]] = []

    def kill(self, pid: int, sig: int) -> None:
        self.signals.append((pid, sig))
        if pid == self.ALIVE:
            return
        if pid == self.FOREIGN:
            raise PermissionError("not yours")
        raise ProcessLookupError(pid)


def test_alive_asks_with_signal_zero_only(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeProcesses()
    monkeypatch.setattr(nn.module.os, "kill", fake.kill)
    assert nn.module._alive(fake.ALIVE) is True
    assert nn.module._alive(fake.FOREIGN) is True  # exists, but belongs to another user
    assert nn.module._alive(300) is False
    assert nn.module._alive(os.getpid()) is True  # ourselves: never signalled
    assert fake.signals == [(100, 0), (200, 0), (300, 0)]


def test_alive_never_signals_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeProcesses()
    monkeypatch.setattr(nn.module.os, "kill", fake.kill)
    monkeypatch.setattr(nn.module.os, "name", "nt")
    alive = nn.module._alive(300)
    monkeypatch.undo()
    assert alive is True  # only the age rule applies there
    assert fake.signals == []


def test_stale_temporaries_by_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeProcesses()
    monkeypatch.setattr(nn.module.os, "kill", fake.kill)
    names = {pid: tmp_path / f".m.json.backprop-lens-tmp-{pid}-abcdef01"
             for pid in (fake.ALIVE, fake.FOREIGN, 300)}
    for path in names.values():
        path.write_text("{")
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert names[fake.ALIVE].exists() and names[fake.FOREIGN].exists()
    assert not names[300].exists()


def test_without_fchmod_the_mode_is_set_by_path(
    saved: tuple[MLP, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    model, path, _ = saved
    os.chmod(path, 0o640)
    monkeypatch.delattr(nn.module.os, "fchmod")
    model.save(path)
    assert (path.stat().st_mode & 0o777) == 0o640


def test_a_file_with_other_names_says_so(saved: tuple[MLP, Path, bytes]) -> None:
    model, path, _ = saved
    rewrite(path, lambda d: d["parameters"].pop("layers.1.neurons.0.b"))
    with pytest.raises(ValueError) as info:
        model.load(path)
    assert str(info.value) == (f"{path}: 'parameters' does not match this MLP (9 parameters): "
                               "missing 'layers.1.neurons.0.b'")
    rewrite(path, lambda d: d.__setitem__("format", "pickle"))
    with pytest.raises(ValueError, match=r"its 'format' is 'pickle', expected 'backprop-lens\.nn'"):
        model.load(path)


def test_bad_named_parameters_are_named_when_loading() -> None:
    class BadNames(Module):
        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("a", 1.0)]  # type: ignore[list-item]

    with pytest.raises(TypeError, match=r"^BadNames\.named_parameters\(\) must give"):
        BadNames().load_state_dict({})


@pytest.mark.parametrize("name", ["m" * 250 + ".json", "m" * 249 + ".json", "é" * 125 + ".json"])
def test_a_long_names_temporary_uses_every_byte_it_may(name: str) -> None:
    temp = nn.module._temp_name(name)
    size = len(os.fsencode(temp))
    assert size == 255 if name.isascii() else 254 <= size <= 255
    assert name.startswith(temp[1:temp.index(".backprop-lens-tmp-")])
    assert nn.module._temp_name("m.json").startswith(".m.json.backprop-lens-tmp-")


def test_a_missing_architecture_key_is_named(saved: tuple[MLP, Path, bytes]) -> None:
    model, path, _ = saved
    rewrite(path, lambda d: d["architecture"].pop("nouts"))
    with pytest.raises(ValueError, match=r"its 'nouts' is None, this model's is \[2, 1\]"):
        model.load(path)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_literal_is_named(saved: tuple[MLP, Path, bytes], literal: str) -> None:
    model, path, old = saved
    path.write_text(old.decode().replace('"version": 1', f'"version": {literal}'))
    with pytest.raises(ValueError, match=f"{literal} is not a finite number"):
        model.load(path)


def test_many_missing_names_are_counted() -> None:
    model = MLP(2, [3, 1], seed=0)  # 13 parameters
    with pytest.raises(ValueError) as info:
        model.load_state_dict({"layers.0.neurons.0.w.0": 1.0})
    message = str(info.value)
    assert message.startswith("state_dict does not match this MLP (13 parameters): missing")
    assert "missing 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b', " \
           "'layers.0.neurons.1.w.0', 'layers.0.neurons.1.w.1', 'layers.0.neurons.1.b', " \
           "'layers.0.neurons.2.w.0' and 6 more" in message
    state = model.state_dict()
    state.update({f"extra{i}": 0.0 for i in range(6)})
    with pytest.raises(ValueError) as info:
        model.load_state_dict(state)
    assert str(info.value).endswith(
        "unexpected 'extra0', 'extra1', 'extra2', 'extra3', 'extra4', 'extra5'")
    with pytest.raises(ValueError, match=r"missing 'layers\.1\.neurons\.0\.b'; unexpected 'x'"):
        model.load_state_dict({**{k: v for k, v in model.state_dict().items()
                                  if k != "layers.1.neurons.0.b"}, "x": 1.0})


def test_the_saved_file_is_indented_one_entry_per_line(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    MLP(2, [1], seed=0).save(path)
    lines = path.read_text().splitlines()
    assert lines[:3] == ["{", ' "format": "backprop-lens.nn",', ' "version": 1,']
    assert '  "layers.0.neurons.0.b": 0.0' in lines
    assert path.read_text().endswith("}\n")


def test_temporary_files_are_created_private_or_with_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_fdopen = os.fdopen

    def spy(fd: int, *args: Any, **kwargs: Any) -> Any:
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(nn.module.os, "fdopen", spy)
    umask = os.umask(0o022)
    try:
        model = MLP(2, [1], seed=0)
        model.save(tmp_path / "m.json")  # new: 0o666 minus the umask, at once
        os.chmod(tmp_path / "m.json", 0o644)
        model.save(tmp_path / "m.json")  # replaced: private until the old mode is set
    finally:
        os.umask(umask)
    assert modes == [0o644, 0o600]


def test_a_failed_replace_whose_temporary_is_gone_raises_the_original_error(
    saved: tuple[MLP, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    model, path, old = saved

    def vanish_then_fail(src: Any, dst: Any) -> None:
        os.unlink(src)
        raise OSError("simulated: the disk went away")

    monkeypatch.setattr(nn.module.os, "replace", vanish_then_fail)
    with pytest.raises(OSError, match="the disk went away"):
        model.save(path)
    assert path.read_bytes() == old


def test_a_path_like_giving_bytes_is_refused() -> None:
    class BytesPath:
        def __fspath__(self) -> bytes:
            return b"m.json"

    with pytest.raises(TypeError, match="takes a str path, not bytes"):
        MLP(2, [1]).save(BytesPath())  # type: ignore[arg-type]


def test_save_names_a_module_with_bad_named_parameters(tmp_path: Path) -> None:
    class BadNames(Module):
        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("a", "1.0")]  # type: ignore[list-item]

    with pytest.raises(TypeError, match=r"^BadNames\.named_parameters\(\) must give"):
        BadNames().save(tmp_path / "b.json")
    with pytest.raises(TypeError, match=r"^BadNames\.named_parameters\(\) must give"):
        BadNames().state_dict()

    class Holder(Module):
        def __init__(self) -> None:
            self.inner = BadNames()

    for call in (Holder().named_parameters, Holder().parameters, Holder().state_dict):
        with pytest.raises(TypeError, match=r"^BadNames\.named_parameters\(\) must give"):
            call()


def put_temp(directory: Path, head: str, pid: int) -> Path:
    path = directory / f".{head}.backprop-lens-tmp-{pid}-abcdef01"
    path.write_text("{")
    return path


def test_temporaries_of_a_target_whose_name_is_a_prefix_are_not_ours(tmp_path: Path) -> None:
    other = put_temp(tmp_path, "m.jso", dead_pid())  # the temporary of 'm.jso', not 'm.json'
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert other.exists()


def test_a_cut_temporary_is_recognised_by_its_length(tmp_path: Path) -> None:
    whole = "b" * 255
    tail = len(f".backprop-lens-tmp-{dead_pid()}-abcdef01")
    cut_252 = put_temp(tmp_path, whole[: 252 - 1 - tail], dead_pid())  # cut: ours
    uncut_251 = put_temp(tmp_path, whole[: 251 - 1 - tail], dead_pid())  # another target's
    assert (len(cut_252.name), len(uncut_251.name)) == (252, 251)
    MLP(2, [1], seed=0).save(tmp_path / whole)
    assert not cut_252.exists()
    assert uncut_251.exists()


def test_every_entry_is_looked_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = put_temp(tmp_path, "m.json", dead_pid())
    (tmp_path / "unrelated.txt").write_text("x")
    put_temp(tmp_path, "other.json", dead_pid())
    order = ["unrelated.txt", f".other.json.backprop-lens-tmp-{dead_pid()}-abcdef01",
             ".m.json.backprop-lens-tmp-7-abcdef01",  # ours by name, but gone by now
             stale.name]
    monkeypatch.setattr(nn.module.os, "listdir", lambda _: list(order))
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert not stale.exists()


def test_the_age_rule_is_strictly_over_an_hour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temps = [put_temp(tmp_path, "m.json", os.getpid())]
    mtime = temps[0].stat().st_mtime
    monkeypatch.setattr(nn.module.time, "time", lambda: mtime + 3600.0)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert temps[0].exists()  # exactly an hour: not yet stale (and its writer, we, lives)
    monkeypatch.setattr(nn.module.time, "time", lambda: mtime + 3600.5)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert not temps[0].exists()


def test_a_stale_temporary_that_cannot_be_removed_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = put_temp(tmp_path, "m.json", dead_pid())

    def no_unlink(path: Any) -> None:
        raise PermissionError(path)

    monkeypatch.setattr(nn.module.os, "unlink", no_unlink)
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert stale.exists()
    assert (tmp_path / "m.json").exists()


# -- issue 17, cases 5 and 6: dotted attribute names, and lists that hold themselves ------


class _Dotted(Module):
    """A list ``a`` beside an attribute named ``"a.0"``: both would be named ``a.0``."""

    def __init__(self) -> None:
        self.a = [Value(1.0)]
        setattr(self, "a.0", Value(2.0))


def test_a_dotted_attribute_name_is_refused_wherever_names_are_made(tmp_path: Path) -> None:
    """Issue 17, case 5: refused (as PyTorch's register_parameter refuses '.') instead of two
    parameters named 'a.0' of which state_dict/save kept one and load wrote one number into
    both."""
    model = _Dotted()
    before = [p.data for p in model.parameters()]
    assert before == [1.0, 2.0]  # unnamed, nothing is ambiguous: both are listed
    for call in (model.named_parameters, model.state_dict,
                 lambda: model.load_state_dict({"a.0": 5.0}),
                 lambda: model.save(tmp_path / "m.json")):
        with pytest.raises(ValueError, match=r"'a\.0'.*cannot contain '\.'"):
            call()
    assert not (tmp_path / "m.json").exists()
    assert [p.data for p in model.parameters()] == before  # load changed nothing


def test_load_of_a_file_refuses_a_dotted_attribute_name(tmp_path: Path) -> None:
    model = _Dotted()
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"format": "backprop-lens.nn", "version": 1,
                                "architecture": model.architecture(),
                                "parameters": {"a.0": 9.0}}))
    with pytest.raises(ValueError, match=r"cannot contain '\.'"):
        model.load(path)
    assert [p.data for p in model.parameters()] == [1.0, 2.0]


def test_a_dotted_name_in_a_sub_module_is_refused_too() -> None:
    class Outer(Module):
        def __init__(self) -> None:
            self.inner = _Dotted()

    with pytest.raises(ValueError, match=r"_Dotted has an attribute named 'a\.0'"):
        Outer().state_dict()


def test_a_dotted_name_holding_no_parameters_is_left_alone() -> None:
    class Notes(Module):
        def __init__(self) -> None:
            self.w = Value(1.0)
            setattr(self, "lr.note", 0.1)  # a number: no parameter, no name made

    assert Notes().state_dict() == {"w": 1.0}


def test_an_override_giving_one_name_twice_is_refused(tmp_path: Path) -> None:
    a, b = Value(1.0), Value(2.0)

    class Twice(Module):
        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("w", a), ("w", b)]

    model = Twice()
    for call in (model.state_dict, lambda: model.load_state_dict({"w": 3.0}),
                 lambda: model.save(tmp_path / "t.json")):
        with pytest.raises(ValueError, match="gives the name 'w' to two parameters"):
            call()
    assert (a.data, b.data) == (1.0, 2.0)


class _Loop(Module):
    """Issue 17, case 6: a module holding a list that holds itself (and the module)."""

    def __init__(self) -> None:
        self.w = Value(1.0)
        self.items: list[object] = [Value(2.0)]
        self.items.append(self.items)
        self.items.append(self)
        pair: tuple[object, ...] = ([Value(3.0)], Value(4.0))
        pair[0].append(pair)  # type: ignore[attr-defined]  # a tuple inside its own list
        self.pair = pair


def test_a_list_holding_itself_is_walked_once(tmp_path: Path) -> None:
    model = _Loop()
    expected = ["w", "items.0", "pair.0.0", "pair.1"]
    assert [name for name, _ in model.named_parameters()] == expected
    assert [p.data for p in model.parameters()] == [1.0, 2.0, 3.0, 4.0]
    assert list(model.modules()) == [model]
    assert model.state_dict() == {"w": 1.0, "items.0": 2.0, "pair.0.0": 3.0, "pair.1": 4.0}
    model.save(tmp_path / "loop.json")
    other = _Loop()
    other.load(tmp_path / "loop.json")
    assert other.state_dict() == model.state_dict()
    for p in model.parameters():
        p.grad = 5.0
    model.zero_grad()
    assert [p.grad for p in model.parameters()] == [0.0] * 4


def test_a_list_holding_itself_inside_a_sub_module() -> None:
    class Outer(Module):
        def __init__(self) -> None:
            self.head = _Loop()
            self.layers = [self.head, [self.head]]

    outer = Outer()
    assert [name for name, _ in outer.named_parameters()] == \
        ["head.w", "head.items.0", "head.pair.0.0", "head.pair.1"]
    assert len(outer.parameters()) == 4 and list(outer.modules()) == [outer, outer.head]


def test_a_tuple_subclass_is_a_container_on_every_walk() -> None:
    """parameters() (zero_grad's walk) and named_parameters() agree on a namedtuple."""
    from collections import namedtuple

    Pair = namedtuple("Pair", "w b")

    class Holder(Module):
        def __init__(self) -> None:
            self.pair = Pair(Value(1.0), Value(2.0))

    holder = Holder()
    assert [name for name, _ in holder.named_parameters()] == ["pair.0", "pair.1"]
    assert [p.data for p in holder.parameters()] == [1.0, 2.0]
