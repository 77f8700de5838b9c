"""Tests written against mutmut's survivors in ``autograd.explore`` (issue 17)."""

from __future__ import annotations

import importlib
import os
import resource
import signal
import stat
import sys
import time
from pathlib import Path

import pytest
from test_explore_student import _fake_dot as _sh_dot  # a "#!/bin/sh" script of body

from autograd import Value, explore, topological_order
from autograd.explore import (
    DOT_MEMORY,
    DotFailed,
    Explorer,
    _dot_child_setup,
    _downstream,
    count_text,
    derived_formulas,
    explorer_data,
    run_dot,
    short_parameter_name,
)

EXPLORE = importlib.import_module("autograd.explore")


def test_save_writes_a_lone_surrogate_as_its_escape(tmp_path: Path) -> None:
    # strict UTF-8 cannot encode U+D800; backslashreplace writes the six characters \ud800
    target = Explorer("a\ud800b", {}).save(tmp_path / "page.html")
    assert target == tmp_path / "page.html"
    assert target.read_bytes() == b"a\\ud800b"


def test_short_parameter_name_joins_only_an_index_to_a_name() -> None:
    assert short_parameter_name("layers.0.neurons.1.w.0") == "L0.n1.w0"
    assert short_parameter_name("bias.weight") == "bias.weight"  # no index: nothing joined
    assert short_parameter_name("w.0.1") == "w0.1"  # "w0" ends in a digit: 1 stays apart
    assert short_parameter_name("ab2.0") == "ab2.0"
    assert short_parameter_name("0.w") == "0.w"


def test_downstream_is_the_nodes_after_start_that_depend_on_it() -> None:
    # 0, 1 leaves; 2 = f(0); 3 = f(1); 4 = f(2, 3); 5 = f(0) (last, reads node 0)
    parents = [[], [], [0], [1], [2, 3], [0]]
    assert _downstream(parents, 0) == [2, 4, 5]
    assert _downstream(parents, 1) == [3, 4]
    assert _downstream(parents, 4) == []
    assert _downstream([[], [0]], 0) == [1]


def _fake_dot(tmp_path: Path, text: str) -> str:
    script = tmp_path / "dot"
    script.write_text(text)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


_REPORT_LIMITS = f"""#!{sys.executable}
import ctypes, resource
signal_number = ctypes.c_int(-1)
ctypes.CDLL(None).prctl(2, ctypes.byref(signal_number), 0, 0, 0)  # PR_GET_PDEATHSIG
print(signal_number.value, *resource.getrlimit(resource.RLIMIT_AS))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and RLIMIT_AS: Linux")
def test_dot_runs_with_the_parent_death_signal_and_the_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fake dot reads back, after exec, what the child setup set before it
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _fake_dot(tmp_path, _REPORT_LIMITS))
    assert run_dot("digraph {}", 30).split() == [
        str(int(signal.SIGKILL)), str(DOT_MEMORY), str(DOT_MEMORY)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the setup is Linux only")
@pytest.mark.parametrize("error", [ValueError, OSError])
def test_dot_runs_when_the_memory_limit_cannot_be_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    # setrlimit refuses (e.g. above a lower hard limit): dot runs all the same
    def refuse(*args: object) -> None:
        raise error("refused")

    monkeypatch.setattr(resource, "setrlimit", refuse)
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _fake_dot(tmp_path, "#!/bin/sh\necho ok\n"))
    assert run_dot("digraph {}", 30) == "ok\n"


def test_no_child_setup_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _dot_child_setup() is None


def test_count_text_from_sixteen_digits_on_is_shortened() -> None:
    assert count_text(10**15 - 1) == "999999999999999"  # 15 digits: in full
    assert count_text(10**15) == "100000…000000 (16 digits)"
    assert count_text(10**15 + 123) == "100000…000123 (16 digits)"
    assert count_text(2**60) == "2^60"


def test_dot_failure_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no stderr: no ": " after the status
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(tmp_path, "exit 3"))
    with pytest.raises(DotFailed) as info:
        run_dot("digraph {}", 30)
    assert str(info.value) == "Graphviz's dot exited with status 3"
    # bytes that are no UTF-8 are shown as U+FFFD, not a UnicodeDecodeError
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(tmp_path, r"printf '\377bad' >&2; exit 4"))
    with pytest.raises(DotFailed) as info:
        run_dot("digraph {}", 30)
    assert str(info.value) == "Graphviz's dot exited with status 4: \ufffdbad"
    # only the last 400 characters of a long stderr
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(
        tmp_path, "printf 'a%.0s' $(seq 100) >&2; printf 'b%.0s' $(seq 400) >&2; exit 5"))
    with pytest.raises(DotFailed) as info:
        run_dot("digraph {}", 30)
    assert str(info.value) == "Graphviz's dot exited with status 5: " + "b" * 400


def test_a_finished_dot_s_group_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # killpg only when dot did not finish: a process dot started and left running (here a
    # sleep, its output elsewhere) is not killed after a normal exit
    pid_file = tmp_path / "pid"
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(
        tmp_path, f"sleep 30 >/dev/null 2>&1 & echo $! > {pid_file}; echo '<svg/>'"))
    assert run_dot("digraph {}", 30) == "<svg/>\n"
    pid = int(pid_file.read_text())
    try:
        time.sleep(0.1)
        status = Path(f"/proc/{pid}/status")
        assert status.exists() and "State:\tZ" not in status.read_text()
    finally:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("error", [ProcessLookupError, PermissionError])
def test_dot_out_of_time_when_its_group_cannot_be_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    # killpg fails (the group gone, or not ours): still DotFailed, after dot's own end
    def refuse(pgid: int, sig: int) -> None:
        raise error("refused")

    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(tmp_path, "sleep 1"))
    monkeypatch.setattr(os, "killpg", refuse)
    with pytest.raises(DotFailed, match=r"^Graphviz's dot did not finish within 0\.2 s$"):
        run_dot("digraph {}", 0.2)


def test_the_svg_starts_at_dot_s_first_svg_element(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an SVG may nest <svg> elements: the page takes dot's output from the first one
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(
        tmp_path, "echo '<?xml version=\"1.0\"?><svg id=\"outer\"><svg id=\"inner\"/></svg>'"))
    x = Value(2.0, "x")
    page = explore(x * x, layout="dot")
    assert page.data["layout"] == "dot"
    assert '<svg id="outer"><svg id="inner"/></svg>' in page.html
    assert "<?xml" not in page.html


@pytest.mark.parametrize("seconds", [0, 0.0, -1.0, True, "5", None])
def test_dot_seconds_must_be_a_positive_number(seconds: object) -> None:
    x = Value(2.0, "x")
    with pytest.raises(ValueError) as info:
        explore(x * x, dot_seconds=seconds)  # type: ignore[arg-type]
    assert str(info.value) == f"dot_seconds must be a number of seconds > 0, not {seconds!r}"


def test_the_builtin_layout_has_no_note_and_its_own_svg() -> None:
    x = Value(2.0, "x")
    page = explore(x * x, layout="builtin")
    assert page.data["layout"] == "builtin"
    assert page.data["layout_note"] == ""
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.html


def test_auto_draws_more_than_dot_limit_values_without_graphviz(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dot is never run (a fake one that fails would show in the note)
    monkeypatch.setattr(EXPLORE, "DOT_PROGRAM", _sh_dot(tmp_path, "exit 9"))
    x = Value(0.5, "x")
    y = x
    for _ in range(EXPLORE.DOT_LIMIT):
        y = y + 1.0  # one Value per step: DOT_LIMIT + 1 in all
    page = explore(y, max_nodes=2000)
    assert len(page.data["nodes"]) == EXPLORE.DOT_LIMIT + 1
    assert page.data["layout"] == "builtin"
    assert page.data["layout_note"] == (
        f"drawn without Graphviz: more than {EXPLORE.DOT_LIMIT} Values")
    assert page.data["layout_note"] == "drawn without Graphviz: more than 1000 Values"
    x = Value(2.0, "x")
    assert explore(x * x).data["layout_note"] == (
        "drawn without Graphviz: Graphviz's dot exited with status 9")


class _Module:
    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        self.pairs = pairs

    def named_parameters(self) -> list[tuple[str, object]]:
        return self.pairs


def test_a_module_s_parameters_outside_the_graph_or_not_leaves_are_left_out() -> None:
    w, x, b = Value(0.5, "w"), Value(2.0, "x"), Value(-1.0, "b")
    h = w * x
    h.label = "h"
    root = h + b
    outside = Value(3.0, "v")
    module = _Module([("layers.0.w", w), ("v", outside), ("h", h), ("again", w), ("bias", b),
                      ("n", 3.0)])
    data = explorer_data(root, params=module)
    order = topological_order(root)
    assert [row["node"] for row in data["params"]] == [order.index(w), order.index(b)]
    assert data["nodes"][order.index(w)]["label"] == "L0.w"
    assert data["nodes"][order.index(b)]["label"] == "bias"


def _labelled_chain(values: int) -> tuple[Value, Value]:
    x = Value(0.5, "x")
    y = x
    for i in range(values - 1):
        y = y + 1.0
        y.label = f"y{i}"
    return x, y


@pytest.mark.parametrize("values", [200, 201])
def test_derived_formulas_up_to_formula_limit_values(values: int) -> None:
    pytest.importorskip("sympy")
    x, root = _labelled_chain(values)
    order = topological_order(root)
    assert len(order) == values
    expected = {x: f"∂y{values - 2}/∂x = 1"} if values <= 200 else {}
    assert derived_formulas(root, order, [x]) == expected


@pytest.mark.parametrize("length", [600, 601])
def test_derived_formulas_up_to_600_characters(length: int) -> None:
    pytest.importorskip("sympy")
    x = Value(2.0, "x")
    c = Value(3.0, "c" * (length - len("∂J/∂x = ")))
    root = x * c
    root.label = "J"
    text = "∂J/∂x = " + c.label
    assert len(text) == length
    expected = {x: text} if length <= 600 else {}
    assert derived_formulas(root, topological_order(root), [x]) == expected
