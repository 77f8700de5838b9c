"""Tests of ``autograd.explore``: the page's numbers (pure Python, fast), then the page itself
in headless Chromium driven by Playwright (Debian's ``/usr/bin/chromium``, never a
downloaded browser), checked against the article's delta rule in plain floats and against
``backward()`` on random graphs."""

from __future__ import annotations

import html
import importlib
import importlib.util
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import Value, add_n, explore, topological_order, weighted_sum
from autograd.explore import (
    DOT_LIMIT,
    MAX_LISTED_FACTORS,
    MAX_LISTED_PATHS,
    _depths,
    builtin_layout,
    explorer_data,
    unique_labels,
)
from autograd.strategies import Expression, expressions, leaf_values
from nn.article import PARAMETER_NAMES, build_network, forward
from nn.article import main as article_main

ROOT = Path(__file__).resolve().parent.parent
#: the module itself (``autograd.explore`` names the function, which the package exports)
EXPLORE_MODULE = importlib.import_module("autograd.explore")
DOCS = ROOT / "docs"

# ---------------------------------------------------------------------------------------
# The article's network in plain floats (Mazur's numbers), independent of the engine.
# ---------------------------------------------------------------------------------------

X0, X1, Y0, Y1 = 0.05, 0.10, 0.01, 0.99
W = {"w0": 0.15, "w1": 0.25, "w2": 0.20, "w3": 0.30, "w4": 0.40, "w5": 0.50, "w6": 0.45,
     "w7": 0.55, "b0": 0.35, "b1": 0.35, "b2": 0.60, "b3": 0.60}


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def hand(w: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(values, dJ/dparameter) of the article's network by the delta rule."""
    a0 = _sig(w["w0"] * X0 + w["w2"] * X1 + w["b0"])
    a1 = _sig(w["w1"] * X0 + w["w3"] * X1 + w["b1"])
    o0 = _sig(w["w4"] * a0 + w["w6"] * a1 + w["b2"])
    o1 = _sig(w["w5"] * a0 + w["w7"] * a1 + w["b3"])
    J = 0.5 * (Y0 - o0) ** 2 + 0.5 * (Y1 - o1) ** 2
    d2 = -(Y0 - o0) * o0 * (1 - o0)
    d3 = -(Y1 - o1) * o1 * (1 - o1)
    d0 = (d2 * w["w4"] + d3 * w["w5"]) * a0 * (1 - a0)
    d1 = (d2 * w["w6"] + d3 * w["w7"]) * a1 * (1 - a1)
    grads = {"w0": d0 * X0, "w1": d1 * X0, "w2": d0 * X1, "w3": d1 * X1, "w4": d2 * a0,
             "w5": d3 * a0, "w6": d2 * a1, "w7": d3 * a1, "b0": d0, "b1": d1, "b2": d2,
             "b3": d3, "J": 1.0, "o0": -(Y0 - o0), "o1": -(Y1 - o1), "net2": d2, "net3": d3,
             "net0": d0, "net1": d1, "a0": d2 * w["w4"] + d3 * w["w5"],
             "a1": d2 * w["w6"] + d3 * w["w7"], "x0": d0 * w["w0"] + d1 * w["w1"],
             "x1": d0 * w["w2"] + d1 * w["w3"], "y0": Y0 - o0, "y1": Y1 - o1}
    values = {"a0": a0, "a1": a1, "o0": o0, "o1": o1, "J": J, "x0": X0, "x1": X1, "y0": Y0,
              "y1": Y1, **w}
    return values, grads


HAND_VALUES, HAND_GRADS = hand(W)
# the article's dJ/dw5 = -(y1 - o1) o1 (1 - o1) a0, in plain floats
_O1, _A0 = HAND_VALUES["o1"], HAND_VALUES["a0"]
DJ_DW5 = -(Y1 - _O1) * _O1 * (1 - _O1) * _A0


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def article_explorer(lr: float = 0.5) -> Any:
    p = forward(build_network())
    return explore(p.J, params=[p.params[n] for n in PARAMETER_NAMES], lr=lr, title="article")




def by_label(data: dict[str, Any]) -> dict[str, int]:
    return {n["label"]: k for k, n in enumerate(data["nodes"])}


# ---------------------------------------------------------------------------------------
# The numbers, without a browser.
# ---------------------------------------------------------------------------------------


def test_article_payload_gradients_match_the_delta_rule() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    data = article.data
    index = by_label(data)
    assert len(data["nodes"]) == 25  # 4 inputs/targets + 12 parameters + 4 nets + 4 activations + J
    for name, g in HAND_GRADS.items():
        assert close(data["nodes"][index[name]]["grad"], g), name
    for name, v in HAND_VALUES.items():
        assert close(data["nodes"][index[name]]["value"], v), name
    assert data["root"] == index["J"] == 24
    assert data["title"] == "article"


def test_backward_steps_follow_the_engines_sweep() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    data = article.data
    nodes = data["nodes"]
    names = [n["label"] for n in nodes]
    # the engine's order: the non-leaves in reverse creation (topological) order
    assert [names[s["node"]] for s in data["backward"]] == [
        "J", "o1", "o0", "net3", "net2", "a1", "a0", "net1", "net0"]
    running = dict.fromkeys(range(len(nodes)), 0.0)
    running[data["root"]] = 1.0
    last: dict[int, int] = {}
    for number, s in enumerate(data["backward"], 1):
        assert s["grad"] == running[s["node"]]
        assert [e["parent"] for e in s["edges"]] == nodes[s["node"]]["parents"]
        assert [e["position"] for e in s["edges"]] == list(range(len(s["edges"])))
        for e in s["edges"]:
            assert e["local"] == nodes[s["node"]]["locals"][e["position"]]
            assert e["before"] == running[e["parent"]]
            assert e["contribution"] == s["grad"] * e["local"]
            running[e["parent"]] = e["before"] + e["contribution"]
            assert e["after"] == running[e["parent"]]
            last[e["parent"]] = number
    for k, n in enumerate(nodes):
        assert data["final"][k] == last.get(k, 0)
        assert n["grad"] == running[k]
    index = by_label(data)
    # J's parents o0, o1, y0, y1 get their gradients at the first step; w5's at net3's step
    assert data["final"][index["o1"]] == 1
    assert data["final"][index["w5"]] == 4
    assert data["final"][index["x0"]] == 9


def test_article_paths_are_the_chain_rule() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    data = article.data
    index = by_label(data)
    names = [n["label"] for n in data["nodes"]]
    w5 = data["paths"][index["w5"]]
    assert w5["count"] == "1"
    assert [[names[k] for k in path] for path in w5["listed"]] == [["w5", "net3", "o1", "J"]]
    assert close(w5["products"][0], DJ_DW5)
    assert close(w5["sum"], DJ_DW5)
    w0 = data["paths"][index["w0"]]
    assert w0["count"] == "2"
    assert [[names[k] for k in path] for path in w0["listed"]] == [
        ["w0", "net0", "a0", "net2", "o0", "J"], ["w0", "net0", "a0", "net3", "o1", "J"]]
    d2 = HAND_GRADS["b2"]
    d3 = HAND_GRADS["b3"]
    a0 = HAND_VALUES["a0"]
    assert close(w0["products"][0], d2 * W["w4"] * a0 * (1 - a0) * X0)
    assert close(w0["products"][1], d3 * W["w5"] * a0 * (1 - a0) * X0)
    assert close(w0["sum"], HAND_GRADS["w0"])
    x0 = data["paths"][index["x0"]]
    assert x0["count"] == "4"
    assert close(sum(x0["products"]), HAND_GRADS["x0"])
    root = data["paths"][index["J"]]
    assert root == {"count": "1", "more": "0", "sum": 1.0, "listed": [[24]],
                    "positions": [[]], "products": [1.0]}


def test_parameters_finite_differences_and_one_sgd_step() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    data = article.data
    names = [n["label"] for n in data["nodes"]]
    rows = {names[r["node"]]: r for r in data["params"]}
    assert list(rows) == list(PARAMETER_NAMES)
    assert data["lr"] == 0.5
    for name, r in rows.items():
        assert r["value"] == W[name]
        assert close(r["grad"], HAND_GRADS[name])
        h = 1e-6 * max(1.0, abs(W[name]))
        assert r["h"] == h
        up = hand({**W, name: W[name] + h})[0]["J"]
        down = hand({**W, name: W[name] - h})[0]["J"]
        assert close(r["fd"], (up - down) / ((W[name] + h) - (W[name] - h)), 1e-6)
        assert abs(r["fd"] - HAND_GRADS[name]) < 1e-9
        assert close(r["step"], -0.5 * HAND_GRADS[name])
        assert close(r["after"], W[name] - 0.5 * HAND_GRADS[name])
    stepped = {name: W[name] - 0.5 * HAND_GRADS[name] for name in W}
    assert close(data["root_before"], HAND_VALUES["J"])
    assert close(data["root_after"], hand(stepped)[0]["J"])
    assert data["root_after"] < data["root_before"]
    # Mazur's published updated weight w5 (his w7): 0.511301270
    assert abs(rows["w5"]["after"] - 0.511301270) < 1e-9


def test_no_params_means_no_rows_and_the_root_unchanged() -> None:
    x = Value(3.0, "x")
    y = x * x
    data = explorer_data(y)
    assert data["params"] == []
    assert data["root_after"] == data["root_before"] == 9.0
    assert data["lr"] == 0.1
    assert data["title"] == "Backpropagation through mul#1"


def test_root_after_without_parameters_is_the_recorded_value() -> None:
    x = Value(2.0, "x")
    y = x * x
    x.data = 5.0  # changed after the forward pass: nothing is replayed without parameters
    data = explorer_data(y, max_nodes=2)
    assert data["root_before"] == data["root_after"] == 4.0
    assert explorer_data(Value(1.0), max_nodes=1)["nodes"][0]["value"] == 1.0  # the least


def test_finite_difference_step_scales_with_the_parameter() -> None:
    x = Value(-2000.0, "x")
    y = x * 3.0
    (row,) = explorer_data(y, params=[x, x], lr=0.25)["params"]  # a repeat is listed once
    assert row["h"] == 1e-6 * 2000.0
    assert abs(row["fd"] - 3.0) < 1e-6
    assert row["after"] == -2000.0 - 0.25 * 3.0
    assert explorer_data(y, params=[x], lr=0.25)["root_after"] == (-2000.0 - 0.75) * 3.0


def test_finite_difference_of_the_first_operation() -> None:
    x = Value(0.7, "x")
    (row,) = explorer_data(x.exp(), params=[x])["params"]  # the op right after the leaf
    assert abs(row["fd"] - math.exp(0.7)) < 1e-8


def test_labels_are_unique_and_stable() -> None:
    a = Value(2.0, "x")
    b = Value(3.0, "x")
    c = a * b
    d = c + a
    d.label = "mul#2"
    e = d.tanh()
    e.label = "mul#2"
    order = topological_order(e)
    assert unique_labels(order) == ["x", "x#1", "mul#2", "mul#2#3", "mul#2#4"]
    f = Value(1.0)
    g = Value(1.0, "add#2")
    h = (f + g) * f
    assert unique_labels(topological_order(h)) == ["leaf#0", "add#2", "add#2'", "mul#3"]
    # nothing changed on the Values
    assert [v.label for v in topological_order(h)] == ["", "add#2", "", ""]


def test_the_users_values_are_left_alone() -> None:
    x = Value(0.5)
    y = (x * x).exp()
    x.grad = 7.0
    y.grad = -3.0
    page = explore(y, params=[x])
    assert (x.grad, y.grad, x.label, y.label) == (7.0, -3.0, "", "")
    assert page.data["nodes"][0]["grad"] == 2 * 0.5 * math.exp(0.25)


def test_exponentially_many_paths_are_counted_not_listed() -> None:
    for depth, listed in ((10, MAX_LISTED_PATHS), (60, MAX_LISTED_FACTORS // 60)):
        x = Value(1.0, "x")
        v = x
        for _ in range(depth):
            v = v + v  # every level doubles the paths from x
        data = explorer_data(v)
        p = data["paths"][0]
        # exact: in full up to 15 digits, a power of two as such beyond
        assert p["count"] == (str(2**depth) if depth < 50 else f"2^{depth}")
        assert len(p["listed"]) == listed
        assert p["products"] == [1.0] * listed
        assert p["sum"] == data["nodes"][0]["grad"] == 2.0**depth
        assert all(path == list(range(depth + 1)) for path in p["listed"])
        assert len({tuple(pos) for pos in p["positions"]}) == listed  # all different
        # depth first, the first parent first: 0...00, 0...01, 0...10, ...
        assert p["positions"][:3] == [[0] * depth, [0] * (depth - 1) + [1],
                                      [0] * (depth - 2) + [1, 0]]


def test_long_paths_stop_at_the_factor_budget() -> None:
    x = Value(0.3, "x")
    v = x
    for _ in range(MAX_LISTED_FACTORS + 9):
        v = v * 1.0001
    data = explorer_data(v)
    paths = data["paths"][by_label(data)["x"]]
    assert paths["count"] == "1"
    assert paths["listed"] == []  # one path longer than the budget: summed only
    assert close(paths["sum"], 1.0001 ** (MAX_LISTED_FACTORS + 9))
    # the nodes near the root still list their (short) paths: mul#k is k-th from the root
    assert [len(data["paths"][-k]["listed"][0]) for k in (1, 2, 3)] == [1, 2, 3]


def test_factor_budget_is_exact() -> None:
    # a chain whose single path from x has exactly MAX_LISTED_FACTORS edges is listed, one
    # edge more is not
    for extra, listed in ((0, 1), (1, 0)):
        x = Value(0.3, "x")
        v = x
        for _ in range(MAX_LISTED_FACTORS + extra):
            v = -v
        assert len(explorer_data(v)["paths"][0]["listed"]) == listed


def test_budget_is_shared_by_the_listed_paths() -> None:
    # x feeds two long chains that meet at the root: each path has L edges
    length = MAX_LISTED_FACTORS // 2
    x = Value(1.0, "x")
    a = x
    b = x
    for _ in range(length - 1):
        a = -a
        b = -b
    root = a + b
    assert len(explorer_data(root)["paths"][0]["listed"]) == 2
    x = Value(1.0, "x")
    a = x
    b = x
    for _ in range(length):
        a = -a
        b = -b
    root = a + b  # paths of length + 1 edges: the second no longer fits
    assert len(explorer_data(root)["paths"][0]["listed"]) == 1


def test_a_leaf_root_and_a_node_used_twice() -> None:
    x = Value(4.0, "x")
    data = explorer_data(x, params=[x])
    assert data["nodes"] == [{"label": "x", "op": "", "symbol": "", "formula": "",
                              "value": 4.0, "parents": [], "inputs": [], "locals": [],
                              "grad": 1.0}]
    assert data["root"] == 0 and data["root_before"] == 4.0
    assert data["root_after"] == 4.0 - 0.1 * 1.0  # one step down the gradient d x / d x = 1
    assert data["backward"] == []
    assert data["nodes"][0]["grad"] == 1.0
    assert data["final"] == [0]
    assert data["params"][0]["fd"] == 1.0
    y = x * x
    data = explorer_data(y)
    assert data["nodes"][1] == {"label": "mul#1", "op": "mul", "symbol": "*",
                                "formula": "d(ab)/da = b, d(ab)/db = a", "value": 16.0,
                                "parents": [0, 0], "inputs": [{"node": 0}, {"node": 0}],
                                "locals": [4.0, 4.0], "grad": 1.0}
    assert data["nodes"][0]["grad"] == 8.0
    p = data["paths"][0]
    assert p["count"] == "2" and p["listed"] == [[0, 1], [0, 1]]
    assert p["positions"] == [[0], [1]] and p["products"] == [4.0, 4.0]
    (s,) = data["backward"]
    assert [(e["before"], e["after"]) for e in s["edges"]] == [(0.0, 4.0), (4.0, 8.0)]


def test_number_operands_are_inputs_without_nodes_gradients_or_steps() -> None:
    x = Value(0.5, "x")
    y = 2.0 - x * 3.0  # y = 2 - 3x: the numbers 2 and 3 are operands, not nodes
    data = explorer_data(y, params=[x], lr=0.25)
    assert [n["label"] for n in data["nodes"]] == ["x", "mul#1", "sub#2"]
    mul, sub = data["nodes"][1], data["nodes"][2]
    assert mul["inputs"] == [{"node": 0}, {"number": 3.0}] and mul["parents"] == [0]
    assert sub["inputs"] == [{"number": 2.0}, {"node": 1}] and sub["parents"] == [1]
    assert (mul["locals"], sub["locals"]) == ([3.0], [-1.0])
    # the sweep steps over the Values only: dy/dx = -1 · 3
    assert [[e["parent"] for e in s["edges"]] for s in data["backward"]] == [[1], [0]]
    assert data["nodes"][0]["grad"] == -3.0
    assert [p["count"] for p in data["paths"]] == ["1", "1", "1"]
    # the replayed forward pass keeps the numbers: f(x ± h) = 2 - 3(x ± h)
    (row,) = data["params"]
    assert abs(row["fd"] - -3.0) < 1e-9
    assert row["after"] == 0.5 + 0.25 * 3.0
    assert data["root_after"] == 2.0 - (0.5 + 0.25 * 3.0) * 3.0
    # a weighted sum of number inputs: parents (w0, w1, b), inputs (w0, w1, 0.05, 0.1, b)
    w = [Value(0.4, "w0"), Value(-0.6, "w1")]
    b = Value(0.1, "b")
    net = weighted_sum(w, [0.05, 0.1], b)
    data = explorer_data(net, params=[*w, b])
    node = data["nodes"][-1]
    assert node["inputs"] == [{"node": 0}, {"node": 1}, {"number": 0.05}, {"number": 0.1},
                              {"node": 2}]
    assert node["parents"] == [0, 1, 2] and node["locals"] == [0.05, 0.1, 1.0]
    assert [r["grad"] for r in data["params"]] == [0.05, 0.1, 1.0]
    assert all(abs(r["fd"] - r["grad"]) < 1e-9 for r in data["params"])
    assert data["root_after"] == (0.4 - 0.1 * 0.05) * 0.05 + (-0.6 - 0.1 * 0.1) * 0.1 + (
        0.1 - 0.1 * 1.0)


def test_infinities_and_nans_reach_the_page_as_javascript_numbers() -> None:
    x = Value(0.0, "x")
    y = x.log()  # -inf, local derivative 1/0 = inf
    z = y * 0.0  # nan
    page = explore(z, params=[x])
    assert math.isinf(page.data["nodes"][by_label(page.data)["log#1"]]["value"])
    assert math.isnan(page.data["nodes"][-1]["value"])
    literal = re.search(r"const D = (\{.*?\});\n", page.html)
    assert literal is not None
    assert "-Infinity" in literal.group(1) and "NaN" in literal.group(1)


def test_labels_cannot_break_out_of_the_script() -> None:
    x = Value(1.0, "</script><script>alert(1)</script>")
    y = x.exp()
    y.label = 'a "quoted" & <b>bold</b> label'
    page = explore(y, title="<i>t</i> & co")
    assert page.html.count("</script>") == 1
    assert "<title>&lt;i&gt;t&lt;/i&gt; &amp; co</title>" in page.html
    data = json.loads(re.search(r"const D = (\{.*?\});\n", page.html).group(1))  # type: ignore[union-attr]
    assert data["nodes"][0]["label"] == "</script><script>alert(1)</script>"


def test_save_and_repr_html(tmp_path: Path) -> None:
    x = Value(2.0, "x")
    page = explore(x * x)
    path = page.save(tmp_path / "p.html")
    assert path == tmp_path / "p.html"
    assert path.read_text(encoding="utf-8") == page.html
    assert page.save(str(tmp_path / "q.html")).read_text(encoding="utf-8") == page.html
    frame = page._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;\n&lt;html lang=&quot;en&quot;')
    assert frame.endswith('&lt;/html&gt;\n" style="width: 100%; height: 760px; '
                          'border: 1px solid #ddd" sandbox="allow-scripts" '
                          'title="backprop explorer"></iframe>')
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1)) == page.html  # type: ignore[union-attr]
    assert repr(page) == "<Explorer 'Backpropagation through mul#1': 2 nodes>"


def test_the_page_is_self_contained() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    page = article.html
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "<?xml" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    for marker in ("__TITLE__", "__SVG__", "__DATA__"):
        assert marker not in page
    # Graphviz's node names are draw_dot's: n<k> for the k-th node of the creation order
    # draw_dot's picture with edge labels and the page's labels, 5 significant digits
    assert ">∂net3/∂w5 = a0</text>" in page and ">= 0.59327</text>" in page
    assert ">w5</text>" in page and ">grad &#45;0.022603</text>" in page
    assert ">Σ w·x + b</text>" in page
    titles = re.findall(r"<title>(n\d+)</title>", page)
    assert sorted(titles, key=lambda t: int(t[1:])) == [f"n{k}" for k in range(25)]


def test_graph_size_limit() -> None:
    x = Value(1.0)
    v = x
    for _ in range(9):
        v = v + Value(1.0)  # two Values a step (a number operand would be none)
    with pytest.raises(ValueError) as info:
        explore(v, max_nodes=18)
    assert str(info.value) == (
        "the graph under this root has 19 Values, more than max_nodes=18; explore a smaller "
        "piece (explore an intermediate node, e.g. one neuron's output, or a smaller batch) or "
        "pass max_nodes=19 to show it all")
    assert len(explore(v, max_nodes=19).data["nodes"]) == 19
    with pytest.raises(ValueError, match="more than max_nodes=2000"):
        w = Value(0.0)
        for _ in range(1000):
            w = w * Value(1.0)
        explorer_data(w)  # 2001 Values
    with pytest.raises(ValueError, match="more than max_nodes=2000"):
        explore(w)
    assert len(explorer_data(w, max_nodes=2001)["nodes"]) == 2001
    assert explore(x * x).data["lr"] == 0.1  # explore's own default


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"root": 1.0}, TypeError, "^explore\\(\\) root must be a Value, not float$"),
        ({"params": Value(1.0)}, TypeError,
         r"params must be an iterable of leaf Values \(or None\), not Value$"),
        ({"params": 3}, TypeError,
         r"params must be an iterable of leaf Values \(or None\), not int$"),
        ({"params": [1.0]}, TypeError, "^params must hold Values, not float$"),
        ({"params": [Value(1.0, "z")]}, ValueError,
         "parameter 'z' \\(data=1.0\\) is not in the graph under the root$"),
        ({"params": [Value(1.0)]}, ValueError,
         "^parameter \\(data=1.0\\) is not in the graph under the root$"),
        ({"lr": "0.1"}, TypeError, "^lr must be a real number, not str$"),
        ({"lr": True}, TypeError, "lr must be a real number, not bool"),
        ({"lr": 0.0}, ValueError, "^lr must be a finite number > 0, not 0.0$"),
        ({"lr": -1}, ValueError, "lr must be a finite number > 0"),
        ({"lr": math.inf}, ValueError, "lr must be a finite number > 0"),
        ({"lr": math.nan}, ValueError, "lr must be a finite number > 0"),
        ({"title": 3}, TypeError, "^title must be a str or None, not int$"),
        ({"max_nodes": 2.0}, TypeError, "^max_nodes must be an int, not float$"),
        ({"max_nodes": True}, TypeError, "max_nodes must be an int, not bool"),
        ({"max_nodes": 0}, ValueError, "^max_nodes must be at least 1, not 0$"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    x = Value(1.0, "x")
    options = dict(kwargs)  # the parameter dict is shared between runs: leave it intact
    root = options.pop("root", x * 2.0)
    with pytest.raises(error, match=match):
        explore(root, **options)


def test_a_non_leaf_parameter_is_refused() -> None:
    x = Value(1.0, "x")
    h = x * 2.0
    h.label = "h"
    leaf_only = r"^parameter 'h' is not a leaf: only leaves can be parameters$"
    with pytest.raises(ValueError, match=leaf_only):
        explore(h + 1.0, params=[h])
    m = x * 3.0
    with pytest.raises(ValueError, match="parameter 'mul' is not a leaf"):
        explore(m + 1.0, params=[m])
    assert explorer_data(x * 1.0, lr=1)["lr"] == 1.0


def test_without_graphviz_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EXPLORE_MODULE, "DOT_PROGRAM", "/nonexistent/dot")
    with pytest.raises(RuntimeError) as info:
        explore(Value(1.0, "x") * 2.0, layout="dot")
    assert str(info.value) == (
        "autograd.explore lays the graph out with Graphviz when the page is made: it needs the "
        "graphviz Python package and Graphviz's `dot` program (apt-get install graphviz, brew "
        "install graphviz or conda install graphviz); FileNotFoundError: [Errno 2] No such "
        "file or directory: '/nonexistent/dot'")


def test_nn_article_html_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "article.html"
    assert article_main(["--no-graph", "--html", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Explorer: wrote the interactive page to {target}" in out
    page = target.read_text(encoding="utf-8")
    data = json.loads(re.search(r"const D = (\{.*?\});\n", page).group(1))  # type: ignore[union-attr]
    names = [n["label"] for n in data["nodes"]]
    assert [names[r["node"]] for r in data["params"]] == list(PARAMETER_NAMES)
    assert data["lr"] == 0.5
    assert close(data["nodes"][names.index("w5")]["grad"], DJ_DW5)
    assert article_main(["--no-graph", "--lr", "0.25", "--html", str(target)]) == 0
    assert '"lr":0.25' in target.read_text(encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:  # checked before any work, as --graph (issue 18)
        article_main(["--no-graph", "--html", str(tmp_path / "missing" / "a.html")])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "argument --html: cannot write" in captured.err


def test_committed_page_holds_the_articles_numbers() -> None:
    page = (DOCS / "article_explorer.html").read_text(encoding="utf-8")
    literal = re.search(r"const D = (\{.*?\});\n", page)
    assert literal is not None
    data = json.loads(literal.group(1))
    p = forward(build_network())
    expected = explorer_data(p.J, params=[p.params[n] for n in PARAMETER_NAMES], lr=0.5,
                             title="The article's network: backpropagation step by step")
    assert data == json.loads(json.dumps({**expected, "layout": "dot", "layout_note": ""}))
    assert (DOCS / "article_explorer.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------
# The built-in layout (large graphs, or no Graphviz).
# ---------------------------------------------------------------------------------------

_BOX = re.compile(r'<g class="node"><title>n(\d+)</title><polygon fill="([^"]+)" stroke="[^"]+" '
                  r'points="([-\d.]+),([-\d.]+) ([-\d.]+),[-\d.]+ [-\d.]+,([-\d.]+) [^"]+"/>'
                  r"(.*?)</g>")
_OP = re.compile(r'<title>n(\d+)_op</title><ellipse [^>]*cx="([-\d.]+)" cy="([-\d.]+)" '
                 r'rx="([-\d.]+)" ry="([-\d.]+)"/><text[^>]*>([^<]*)</text>')
_EDGE = re.compile(r'<title>n(\d+)-&gt;n(\d+)_op</title><path fill="none" stroke="[^"]+" '
                   r'd="M([-\d.]+),([-\d.]+) C[-\d.]+,[-\d.]+ [-\d.]+,[-\d.]+ '
                   r'([-\d.]+),([-\d.]+)"/>')
_OUT = re.compile(r'<title>n(\d+)_op-&gt;n(\d+)</title><path fill="none" stroke="[^"]+" '
                  r'd="M([-\d.]+),([-\d.]+) L([-\d.]+),([-\d.]+)"/>')


def check_builtin_svg(data: dict[str, Any]) -> dict[int, tuple[float, float, float, float]]:
    """Parse builtin_layout's SVG and check its geometry; return the boxes."""
    svg = builtin_layout(data)
    nodes = data["nodes"]
    head = re.match(r'<svg [^>]*width="(\d+)pt" height="(\d+)pt" viewBox="0 0 ([\d.]+) ([\d.]+)"',
                    svg)
    assert head is not None
    width, height = float(head.group(3)), float(head.group(4))
    assert abs(float(head.group(1)) - width) <= 0.5 and abs(float(head.group(2)) - height) <= 0.5
    boxes = {}
    for m in _BOX.finditer(svg):
        k = int(m.group(1))
        x0, y0, x1, y1 = (float(m.group(i)) for i in (3, 4, 5, 6))
        boxes[k] = (x0, y0, x1, y1)
        assert m.group(2) == ("#ffffff" if nodes[k]["parents"] else "#eef3fb")
        texts = [html.unescape(t) for t in re.findall(r">([^<]*)</text>", m.group(7))]
        assert texts == [nodes[k]["label"], f"data {nodes[k]['value']!r}",
                         f"grad {nodes[k]['grad']!r}"]
        assert x1 - x0 >= max(len(t) for t in texts) * 6.0 + 8  # the text fits
        ys = [float(v) for v in re.findall(r' y="([-\d.]+)"', m.group(7))]
        assert y0 < ys[0] < ys[1] < ys[2] < y1
        xs = [float(v) for v in re.findall(r' x="([-\d.]+)"', m.group(7))]
        assert all(abs(v - (x0 + x1) / 2) < 0.11 for v in xs)
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    assert sorted(boxes) == list(range(len(nodes)))
    ops = {int(m.group(1)): tuple(float(m.group(i)) for i in (2, 3, 4, 5))
           for m in _OP.finditer(svg)}
    assert sorted(ops) == [k for k, n in enumerate(nodes) if n["parents"]]
    for m in _OP.finditer(svg):
        assert html.unescape(m.group(6)) == nodes[int(m.group(1))]["symbol"]
    # no two boxes or ovals overlap
    rects = list(boxes.values()) + [(cx - rx, cy - ry, cx + rx, cy + ry)
                                    for cx, cy, rx, ry in ops.values()]
    rects.sort()
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            if b[0] >= a[2]:
                break
            assert b[1] >= a[3] or a[1] >= b[3], (a, b)
    # every edge runs from its parent's right side to the left of the op, then into the node
    edges = [(int(m.group(1)), int(m.group(2)), *(float(m.group(i)) for i in (3, 4, 5, 6)))
             for m in _EDGE.finditer(svg)]
    assert sorted((p, k) for p, k, *_ in edges) == sorted(
        (p, k) for k, n in enumerate(nodes) for p in n["parents"])
    for p, k, sx, sy, ex, ey in edges:
        _, py0, px1, py1 = boxes[p]
        cx, cy, rx, _ = ops[k]
        assert abs(sx - px1) < 0.11 and abs(sy - (py0 + py1) / 2) < 0.11
        assert abs(ex - (cx - rx)) < 0.11 and abs(ey - cy) < 0.11
        assert px1 < cx - rx  # parents lie to the left
    outs = {int(m.group(1)): tuple(float(m.group(i)) for i in (3, 4, 5, 6))
            for m in _OUT.finditer(svg)}
    assert sorted(outs) == sorted(ops)
    for k, (sx, sy, ex, ey) in outs.items():
        cx, cy, rx, _ = ops[k]
        x0, y0, x1, y1 = boxes[k]
        assert abs(sx - (cx + rx)) < 0.11 and abs(ex - x0) < 0.11
        assert abs(sy - cy) < 0.11 and abs(ey - cy) < 0.11 and abs(cy - (y0 + y1) / 2) < 0.11
        assert cx + rx < x0
    return boxes


GOLDEN_X_TIMES_Y = "\n".join([
    # x * y: the leaves x, y in column 0 (no ops, so the boxes start at the margin, 10), the
    # product in column 1 after its op's oval (64 wide) and two gaps of 36. Every box is
    # 2·8 + 6.6·8 = 68.8 wide (8 characters: "data 2.0") and 3·15 + 8 = 53 high, rows 53 + 14
    # apart; text baselines at top + 4 + 15·(i + 0.75).
    '<svg xmlns="http://www.w3.org/2000/svg" width="294pt" height="140pt" '
    'viewBox="0 0 293.60 140.00" font-family="Helvetica,Arial,sans-serif" font-size="11">',
    '<g id="graph0" class="graph">',
    '<polygon fill="white" stroke="none" points="0,0 293.60,0 293.60,140.00 0,140.00"/>',
    '<g class="node"><title>n0</title><polygon fill="#eef3fb" stroke="#333333" '
    'points="10.0,10.0 78.8,10.0 78.8,63.0 10.0,63.0"/>'
    '<text text-anchor="middle" x="44.4" y="25.2">x</text>'
    '<text text-anchor="middle" x="44.4" y="40.2">data 2.0</text>'
    '<text text-anchor="middle" x="44.4" y="55.2">grad 3.0</text></g>',
    '<g class="node"><title>n1</title><polygon fill="#eef3fb" stroke="#333333" '
    'points="10.0,77.0 78.8,77.0 78.8,130.0 10.0,130.0"/>'
    '<text text-anchor="middle" x="44.4" y="92.2">y</text>'
    '<text text-anchor="middle" x="44.4" y="107.2">data 3.0</text>'
    '<text text-anchor="middle" x="44.4" y="122.2">grad 2.0</text></g>',
    '<g class="edge"><title>n0-&gt;n2_op</title><path fill="none" stroke="#333333" '
    'd="M78.8,36.5 C105.8,36.5 105.8,36.5 132.8,36.5"/></g>',
    '<g class="edge"><title>n1-&gt;n2_op</title><path fill="none" stroke="#333333" '
    'd="M78.8,103.5 C105.8,103.5 105.8,36.5 132.8,36.5"/></g>',
    '<g class="node"><title>n2_op</title><ellipse fill="#f3f3f3" stroke="#333333" '
    'cx="164.8" cy="36.5" rx="32.0" ry="11.0"/>'
    '<text text-anchor="middle" x="164.8" y="40.5" font-size="10">*</text></g>',
    '<g class="edge"><title>n2_op-&gt;n2</title><path fill="none" stroke="#333333" '
    'd="M196.8,36.5 L214.8,36.5"/></g>',
    '<g class="node"><title>n2</title><polygon fill="#ffffff" stroke="#333333" '
    'points="214.8,10.0 283.6,10.0 283.6,63.0 214.8,63.0"/>'
    '<text text-anchor="middle" x="249.2" y="25.2">mul#2</text>'
    '<text text-anchor="middle" x="249.2" y="40.2">data 6.0</text>'
    '<text text-anchor="middle" x="249.2" y="55.2">grad 1.0</text></g>',
    "</g></svg>",
])


def test_builtin_layout_exactly() -> None:
    x = Value(2.0, "x")
    y = Value(3.0, "y")
    assert builtin_layout(explorer_data(x * y)) == GOLDEN_X_TIMES_Y


def test_builtin_layout_orders_a_column_by_the_parents_rows() -> None:
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    p = c * b  # made first, but its parents (c, b) sit lower than q's (a, b)
    p.label = "p"
    q = a + b
    q.label = "q"
    r = q * p
    r.label = "r"
    data = explorer_data(r)
    assert [n["label"] for n in data["nodes"]] == ["a", "b", "c", "p", "q", "r"]
    boxes = check_builtin_svg(data)
    top = {n["label"]: boxes[k][1] for k, n in enumerate(data["nodes"])}
    # rows 53 + 14 = 67 apart from the margin 10: q (mean row 0.5) above p (1.5); r on top
    assert top == {"a": 10.0, "b": 77.0, "c": 144.0, "q": 10.0, "p": 77.0, "r": 10.0}
    left = {n["label"]: boxes[k][0] for k, n in enumerate(data["nodes"])}
    # column 0: 75.4 wide ("grad 15.0"), narrower boxes centred; column 1 starts after
    # 10 + 75.4 + 36 + 64 + 36
    assert left["b"] == 10.0 and left["a"] == left["c"] == 13.3
    assert left["p"] == left["q"] == 221.4 and left["r"] == 426.2
    assert builtin_layout(data).startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" width="512pt" height="207pt" '
        'viewBox="0 0 511.60 207.00"')


def test_builtin_layout_orders_by_the_mean_not_the_sum() -> None:
    a, b, c, d = (Value(float(i), name) for i, name in enumerate("abcd"))
    v = add_n([a, b, c])  # three parents, mean row 1
    v.label = "v"
    u = d.exp()  # one parent, row 3
    u.label = "u"
    r = v + u
    data = explorer_data(r)
    assert [n["label"] for n in data["nodes"]] == ["a", "b", "c", "d", "v", "u", "add#6"]
    boxes = check_builtin_svg(data)
    assert boxes[4][1] == 10.0 and boxes[5][1] == 77.0  # v above u


def test_dot_layout_passes_max_nodes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import autograd.draw

    calls: list[dict[str, Any]] = []
    original = autograd.draw.draw_dot

    def spy(root: Value, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return original(root, **kwargs)

    monkeypatch.setattr(autograd.draw, "draw_dot", spy)
    x = Value(1.0, "x")
    explore(x * x, max_nodes=700, layout="dot")  # draw_dot's own default is 500
    assert calls == [{"edge_labels": True, "precision": 5, "max_nodes": 700}]


@pytest.mark.parametrize(
    ("parents", "depths"),
    [
        ([[]], [0]),
        ([[], [0]], [0, 1]),
        # a leaf sits one column before its nearest consumer; a non-leaf one past its
        # deepest parent, however far its consumers are
        ([[], [], [0], [2], [2, 3], [1, 4]], [0, 3, 1, 2, 3, 4]),
        ([[], [0], [0], [2], [1, 3]], [0, 1, 1, 2, 3]),
    ],
)
def test_depths(parents: list[list[int]], depths: list[int]) -> None:
    assert _depths(parents) == depths


def test_builtin_layout_geometry() -> None:
    # made in the test body, not a fixture: mutmut maps mutants to the tests that call them
    article = article_explorer()
    boxes = check_builtin_svg(article.data)
    index = by_label(article.data)
    column = {name: round(boxes[k][0] + boxes[k][2]) for name, k in index.items()}
    # the article's layers, one column each; a leaf sits just before its nearest consumer
    for group in (["w0", "w2", "b0", "x0", "x1", "w1", "w3", "b1"], ["net0", "net1"],
                  ["a0", "a1", "w4", "w5", "w6", "w7", "b2", "b3"], ["net2", "net3"],
                  ["o0", "o1", "y0", "y1"]):
        assert len({column[name] for name in group}) == 1, group
    order = ["x0", "net0", "a0", "net2", "o0", "J"]
    assert [column[a] < column[b] for a, b in itertools.pairwise(order)] == [True] * 5
    # within a column, the leaves follow their consumers: w0, w2, b0 (net0) above w1, w3, b1
    assert max(boxes[index[n]][1] for n in ("w0", "w2", "b0")) < min(
        boxes[index[n]][1] for n in ("w1", "w3", "b1"))


def test_builtin_layout_on_random_and_wide_graphs() -> None:
    x = Value(0.5, "x")
    y = Value(-1.5, "y")
    a = x * y
    b = a.tanh() + x
    c = (b * a - y).exp() + b  # leaves used at several depths, a node used twice
    check_builtin_svg(explorer_data(c))
    wide = add = Value(0.0, "s0")
    for i in range(30):
        add = add + Value(float(i), f"t{i}") * Value(2.0, "two") + wide
    boxes = check_builtin_svg(explorer_data(add))
    assert len(boxes) == 1 + 30 * 5  # t_i, two, *, +, +
    check_builtin_svg(explorer_data(Value(3.0, "alone")))
    check_builtin_svg(explorer_data(Value(3.0) * Value(0.0).log()))  # -inf, nan in the boxes


def test_layout_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    x = Value(2.0, "x")
    assert explore(x * x).data["layout"] == "dot"
    assert explore(x * x, layout="builtin").data["layout"] == "builtin"
    assert "<!-- " not in explore(x * x, layout="builtin").html  # no Graphviz comment
    big = x
    while len(topological_order(big)) <= DOT_LIMIT:
        big = big + 1.0
    assert len(topological_order(big)) == DOT_LIMIT + 1
    assert explore(big).data["layout"] == "builtin"
    assert explore(big - 1.0 + 1.0, layout="builtin").data["layout"] == "builtin"
    smaller = x * x
    while len(topological_order(smaller)) < DOT_LIMIT - 1:
        smaller = smaller + 1.0  # one Value a step: 1.0 is a number operand, no node
    assert len(topological_order(smaller)) == DOT_LIMIT - 1
    page = explore(smaller + 1.0)  # exactly DOT_LIMIT Values: still Graphviz
    assert len(page.data["nodes"]) == DOT_LIMIT and page.data["layout"] == "dot"
    for bad in ("graphviz", None, "DOT"):
        message = f"^layout must be one of auto, dot, builtin, not {bad!r}$"
        with pytest.raises(ValueError, match=message):
            explore(x * x, layout=bad)  # type: ignore[arg-type]

    monkeypatch.setattr(EXPLORE_MODULE, "DOT_PROGRAM", "/nonexistent/dot")
    page = explore(x * x)
    assert page.data["layout"] == "builtin"  # auto: falls back
    assert page.data["layout_note"].startswith("drawn without Graphviz: autograd.explore lays")
    with pytest.raises(RuntimeError, match="Graphviz"):
        explore(x * x, layout="dot")


# ---------------------------------------------------------------------------------------
# In the browser.
# ---------------------------------------------------------------------------------------



class Opened:
    """A page loaded from a file, with every request, console error and page error kept."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1400, "height": 850})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate("explorer.state()")
        result.pop("zoom")
        return result

    def hover_text(self, k: int) -> str:
        """The tooltip of node k's box (its <title>): every digit of its numbers."""
        text: str = self.page.evaluate(
            "(k) => document.querySelector(`#graph g.node[data-id=\"n${k}\"] > title`).textContent",
            k)
        return text

    def box_texts(self, k: int) -> list[str]:
        texts: list[str] = self.page.evaluate(
            "(k) => Array.from(document.querySelector(`#graph g.node[data-id=\"n${k}\"]`)"
            ".querySelectorAll('text'), (t) => t.textContent)",
            k,
        )
        return texts

    def close(self) -> None:
        assert self.requests == [self.url], self.requests  # nothing beyond the file itself
        assert self.errors == []
        self.page.close()


def _number(text: str) -> float:
    """The number of a box's ``data ...`` or ``grad ...`` line."""
    return float(text.split(" ", 1)[1])


def close5(shown: float, exact: float) -> bool:
    """``shown`` is ``exact`` rounded to 5 significant digits."""
    return abs(shown - exact) <= 5e-5 * abs(exact) * 1.0000001 + 1e-300


def open_article(browser: Any, tmp_path: Path) -> tuple[Opened, Any]:
    """The article's explorer, made here (in the test's body, for mutmut), saved and opened."""
    article = article_explorer()
    return Opened(browser, article.save(tmp_path / "article.html")), article


def test_browser_forward_then_the_whole_backward_sweep(browser: Any, tmp_path: Path) -> None:
    page, article = open_article(browser, tmp_path)
    data = article.data
    names = [n["label"] for n in data["nodes"]]
    n, m = len(names), len(data["backward"])
    leaves = [k for k, node in enumerate(data["nodes"]) if not node["parents"]]
    ops = [k for k, node in enumerate(data["nodes"]) if node["parents"]]
    assert (len(leaves), len(ops)) == (16, 9)  # the forward pass steps over the 9 operations
    page.page.evaluate("explorer.reset()")
    s = page.state()
    # the leaves (inputs, targets, parameters) are given: their numbers show from the start
    assert s == {"phase": "forward", "index": 0, "grads": {}, "selected": None,
                 "values": {names[k]: data["nodes"][k]["value"] for k in leaves}}
    for k in leaves:
        assert page.box_texts(k)[1:] == [f"data {HAND_VALUES[names[k]]}", "grad ?"]
    for k in ops:
        assert page.box_texts(k) == [names[k], "data ?", "grad ?"]
    for step, k in enumerate(ops):
        page.page.evaluate("explorer.step()")
        s = page.state()
        assert (s["phase"], s["index"]) == ("forward", step + 1)
        assert list(s["values"]) == [names[j] for j in range(n) if j in leaves or
                                     j in ops[: step + 1]]
        assert s["grads"] == {}
        label, data_text, grad_text = page.box_texts(k)
        assert label == names[k] and grad_text == "grad ?"
        shown = _number(data_text)  # 5 significant digits; every digit on hover
        assert close5(shown, s["values"][names[k]]) and len(data_text) <= len("data -0.12345")
        assert page.hover_text(k) == f"{names[k]}: data {s['values'][names[k]]!r}, grad ?"
        if names[k] in HAND_VALUES:
            assert close5(shown, HAND_VALUES[names[k]])
    page.page.evaluate("explorer.step()")
    s = page.state()
    assert (s["phase"], s["index"], s["grads"]) == ("backward", 0, {"J": 1.0})
    seen = {"J"}
    for j in range(m):
        page.page.evaluate("explorer.step()")
        s = page.state()
        assert (s["phase"], s["index"]) == ("backward", j + 1)
        assert len(s["values"]) == n
        newly = set(s["grads"]) - seen
        seen |= newly
        processed = names[data["backward"][j]["node"]]
        assert processed in s["grads"]  # a node is final when the sweep reaches it
        for label, g in s["grads"].items():
            assert close(g, HAND_GRADS[label]), label  # every shown gradient is final
            box = page.box_texts(names.index(label))
            assert close5(_number(box[2]), HAND_GRADS[label]), box
        for k, label in enumerate(names):
            if label not in s["grads"]:
                assert page.box_texts(k)[2] == "grad ?"
        panel = page.page.inner_text("#step")
        name = re.escape(processed)
        head = re.search(rf"node {name}: grad\({name}\) = (\S+)", panel)
        assert head is not None and close5(float(head.group(1)), HAND_GRADS[processed])
        for e in data["backward"][j]["edges"]:
            assert f"grad({names[e['parent']]}) += grad({processed})" in panel
    assert set(s["grads"]) == set(names) and seen == set(names)
    # the same numbers as the engine's own backward(), on a fresh pass
    p = forward(build_network())
    p.J.backward()
    engine = {**p.nodes(), **p.params}
    for label, g in s["grads"].items():
        assert close(g, engine[label].grad), label
    page.page.evaluate("explorer.step()")  # stepping past the end changes nothing
    assert page.state() == s
    page.close()


def test_browser_back_undoes_and_keys_step(browser: Any, tmp_path: Path) -> None:
    page, article = open_article(browser, tmp_path)
    m = len(article.data["backward"])
    states = []
    page.page.evaluate("explorer.goto('forward', 4)")
    for _ in range(12):
        states.append(page.state())
        page.page.evaluate("explorer.step()")
    texts = [page.box_texts(k) for k in range(25)]
    for before in reversed(states):
        page.page.evaluate("explorer.back()")
        assert page.state() == before
    page.page.evaluate("explorer.goto('forward', 4)")
    for _ in range(12):
        page.page.keyboard.press("ArrowRight")
    assert [page.box_texts(k) for k in range(25)] == texts
    page.page.keyboard.press("End")
    assert (page.state()["phase"], page.state()["index"]) == ("backward", m)
    page.page.keyboard.press("ArrowLeft")
    assert (page.state()["phase"], page.state()["index"]) == ("backward", m - 1)
    page.page.keyboard.press("Home")
    assert (page.state()["phase"], page.state()["index"]) == ("forward", 0)
    page.page.keyboard.press("ArrowLeft")  # before the start: nothing happens
    assert (page.state()["phase"], page.state()["index"]) == ("forward", 0)
    page.page.keyboard.press("ArrowRight")
    nodes = article.data["nodes"]
    first = next(k for k, n in enumerate(nodes) if n["parents"])  # the first operation
    assert page.state()["values"] == {n["label"]: n["value"] for k, n in enumerate(nodes)
                                      if not n["parents"] or k == first}
    page.page.click("#b-end")
    assert page.state()["index"] == m
    page.page.click("#b-back")
    page.page.click("#b-back")
    assert page.state()["index"] == m - 2
    page.page.click("#b-step")
    assert page.state()["index"] == m - 1
    page.page.click("#b-home")
    assert page.state()["index"] == 0 and page.state()["phase"] == "forward"
    assert page.page.is_disabled("#b-back") and not page.page.is_disabled("#b-step")
    page.page.evaluate("explorer.goto('backward', 0)")
    page.page.evaluate("explorer.back()")
    assert (page.state()["phase"], page.state()["index"]) == ("forward", 9)
    for bad in ("explorer.goto('sideways', 0)", "explorer.goto('forward', 10)",
                "explorer.goto('backward', -1)", "explorer.goto('backward', 1.5)",
                "explorer.select('nobody')"):
        with pytest.raises(Exception, match=r"phase must be|index must be|no node is labelled"):
            page.page.evaluate(bad)
    page.close()


def test_browser_select_w5_is_the_articles_chain(browser: Any, tmp_path: Path) -> None:
    page, _ = open_article(browser, tmp_path)
    page.page.evaluate("explorer.goto('backward', 4); explorer.select('w5')")
    sel = page.state()["selected"]
    assert sel["label"] == "w5"
    assert sel["paths"] == [["w5", "net3", "o1", "J"]]
    assert len(sel["products"]) == 1
    assert close(sel["products"][0], DJ_DW5)
    assert close(sel["total"], DJ_DW5)
    panel = page.page.inner_text("#selected")
    assert "sum over the 1 path from w5 up to J" in panel
    assert "w5 → net3 → o1 → J" in panel
    # the three factors of the article's chain: a0, o1(1 - o1), -(y1 - o1)
    for factor in (_A0, _O1 * (1 - _O1), -(Y1 - _O1)):
        shown = [float(x) for x in re.findall(r"\(([-0-9.e]+)\)", panel)]
        assert any(close5(f, factor) for f in shown), (factor, shown)
    # click a node in the picture: w0, two paths
    w0 = page.page.evaluate("explorer.data.nodes.findIndex((n) => n.label === 'w0')")
    page.page.click(f"#graph g.node[data-id='n{w0}']")
    assert page.state()["selected"]["total"] is None  # w0's gradient is not final yet
    assert "grad(w0) = ?" in page.page.inner_text("#selected")
    page.page.evaluate("explorer.goto('backward', explorer.data.backward.length)")
    sel = page.state()["selected"]
    assert sel["label"] == "w0" and len(sel["paths"]) == 2
    assert close(sum(sel["products"]), HAND_GRADS["w0"]) and close(sel["total"], HAND_GRADS["w0"])
    page.page.evaluate("explorer.select(null)")
    assert page.state()["selected"] is None
    params = page.page.inner_text("#params")
    # w5 - 0.5 dJ/dw5 to 5 digits, every digit on hover
    assert "w5" in params and "after the step 0.5113" in params
    assert page.page.locator("#params span[title='0.5113012702387375']").count() == 1
    page.close()


def test_browser_screenshot(browser: Any, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_explorer", DOCS / "make_explorer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    html_path = tmp_path / "article_explorer.html"
    module.write_page(html_path)
    shot = Opened(browser, html_path)
    png = tmp_path / "shot.png"
    module.screenshot(shot.page, html_path, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    s = shot.state()
    assert (s["phase"], s["index"], s["selected"]["label"]) == ("backward", 4, "w5")
    shot.requests = [shot.url]  # the page was loaded twice, both times from the file
    shot.close()


@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(expr=expressions(max_inputs=3, max_steps=8))
def test_browser_random_graphs_agree_with_backward(
    expr: Expression, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    inputs = leaf_values(expr.point)
    root = expr(*inputs)
    order = topological_order(root)
    page = explore(root, params=[x for x in inputs if x in set(order)])
    root.backward()  # the engine's own sweep fills .grad (leaves start at 0)
    opened = Opened(browser, page.save(tmp_path_factory.mktemp("random") / "page.html"))
    opened.page.evaluate("explorer.goto('backward', explorer.data.backward.length)")
    s = opened.state()
    labels = [n["label"] for n in page.data["nodes"]]
    assert list(s["grads"]) == labels
    for k, node in enumerate(order):
        assert close(s["grads"][labels[k]], node.grad), (labels[k], node.grad)
        assert s["values"][labels[k]] == node.data
    for x in inputs:
        if x not in set(order):
            continue
        opened.page.evaluate("(l) => explorer.select(l)", labels[order.index(x)])
        sel = opened.state()["selected"]
        p = page.data["paths"][order.index(x)]
        bound = 1e-12 * max(math.fsum(abs(v) for v in p["products"]), abs(x.grad), 1e-300)
        assert abs(sel["total"] - x.grad) <= bound
        assert abs(p["sum"] - x.grad) <= 1e-12 * max(abs(x.grad), 1.0) + bound
        if p["count"] == str(len(p["listed"])):  # every path listed: they add up to the total
            assert abs(math.fsum(sel["products"]) - x.grad) <= bound
        assert all(path[0] == labels[order.index(x)] and path[-1] == labels[-1]
                   for path in sel["paths"])
    opened.close()


def test_browser_a_graph_near_2000_nodes(browser: Any, tmp_path: Path) -> None:
    from nn import MLP, mse_loss

    model = MLP(3, [12, 12, 1], activation="tanh", seed=1)
    xs = [[math.sin(i + j) for j in range(3)] for i in range(35)]  # float inputs: no nodes
    ys = [math.cos(i) for i in range(35)]
    loss = mse_loss([model(x) for x in xs], ys)
    order = topological_order(loss)
    assert 1900 <= len(order) <= 2000
    page = explore(loss, params=model.parameters())
    assert page.data["layout"] == "builtin"
    loss.backward()
    opened = Opened(browser, page.save(tmp_path / "big.html"))
    opened.page.keyboard.press("End")
    s = opened.state()
    assert (s["phase"], s["index"]) == ("backward", len(page.data["backward"]))
    labels = [n["label"] for n in page.data["nodes"]]
    assert len(set(labels)) == len(order)
    for k, node in enumerate(order):
        assert close(s["grads"][labels[k]], node.grad) or abs(node.grad) < 1e-300, labels[k]
    opened.page.keyboard.press("ArrowLeft")
    assert opened.state()["index"] == len(page.data["backward"]) - 1
    opened.page.keyboard.press("End")
    w = model.parameters()[0]
    opened.page.evaluate("(l) => explorer.select(l)", labels[order.index(w)])
    sel = opened.state()["selected"]
    assert close(sel["total"], w.grad)
    assert 1 <= len(sel["paths"]) <= MAX_LISTED_PATHS
    assert int(page.data["paths"][order.index(w)]["count"]) > MAX_LISTED_PATHS
    assert "more paths" in opened.page.inner_text("#selected")
    opened.close()


def test_browser_number_operands_in_the_equation_and_the_picture(
    browser: Any, tmp_path: Path
) -> None:
    w = [Value(0.4, "w0"), Value(-0.6, "w1")]
    b = Value(0.1, "b")
    net = weighted_sum(w, [0.05, 0.1], b)
    net.label = "net"
    y = 2.0 - net * 3.0
    y.label = "y"
    page = explore(y, params=[*w, b])
    assert page.data["layout"] == "dot"
    opened = Opened(browser, page.save(tmp_path / "numbers.html"))
    boxes = opened.page.evaluate(
        "Array.from(document.querySelectorAll('#graph g.node'), (g) => "
        "[g.dataset.id, g.querySelector('text').textContent, "
        "g.classList.contains('pending')])"
        ".filter((t) => t[0].includes('_num'))")
    # net is node 3, mul#4, y node 5; the numbers as Graphviz drew them, waiting with their op
    assert boxes == [["n3_num2", "0.05", True], ["n3_num3", "0.1", True],
                     ["n4_num1", "3.0", True], ["n5_num0", "2.0", True]]
    opened.page.evaluate("explorer.goto('forward', 1)")  # w0, w1, b given, then net
    panel = opened.page.inner_text("#step")
    assert "net = Σ w·x + b = w0·0.05 + w1·0.1 + b = " in panel
    assert "inputs: w0 = 0.4, w1 = -0.6, the number 0.05, the number 0.1, b = 0.1" in panel
    assert "∂net/∂w0 = 0.05" in panel and "∂net/∂b = 1.0" in panel
    assert "a number gets none" in panel
    flow = opened.page.evaluate(
        "Array.from(document.querySelectorAll('#graph g.edge.flow'), "
        "(g) => g.dataset.id)")
    assert sorted(flow) == sorted(["n0->n3_op", "n1->n3_op", "n2->n3_op", "n3_num2->n3_op",
                                   "n3_num3->n3_op", "n3_op->n3"])
    numbers_pending = opened.page.evaluate(
        "Array.from(document.querySelectorAll('#graph g.node.pending'), "
        "(g) => g.dataset.id).filter((t) => t.includes('_num'))")
    assert numbers_pending == ["n4_num1", "n5_num0"]
    opened.page.evaluate("explorer.goto('forward', 3)")
    assert "y = 2.0 - mul#4 = " in opened.page.inner_text("#step")
    # the backward sweep: three steps (y, mul#4, net), none for a number
    opened.page.evaluate("explorer.goto('backward', 3)")
    s = opened.state()
    # dy/dw0 = -3 · 0.05, dy/dw1 = -3 · 0.1, dy/db = -3, by hand
    assert s["grads"]["w0"] == pytest.approx(-0.15, rel=1e-15)
    assert s["grads"]["w1"] == pytest.approx(-0.3, rel=1e-15)
    assert s["grads"]["b"] == -3.0
    assert len(page.data["backward"]) == 3
    opened.page.evaluate("explorer.select('w1')")
    assert opened.state()["selected"]["paths"] == [["w1", "net", "mul#4", "y"]]
    opened.close()
