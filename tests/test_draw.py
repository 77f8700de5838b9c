"""Tests of ``autograd.draw_dot``: the DOT source is parsed back and checked against numbers
computed independently here (closed forms and plain-float arithmetic), then rendered with
Graphviz's ``dot``."""

from __future__ import annotations

import html
import importlib.util
import math
import re
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, draw_dot, squared_error, topological_order, weighted_sum
from autograd.draw import MERGE_USES
from autograd.strategies import Expression, expressions, leaf_values
from autograd.value import apply

# ---------------------------------------------------------------------------------------
# A small reader for the DOT source that graphviz (the Python package) writes.
# ---------------------------------------------------------------------------------------

_NODE = re.compile(r"^\t(\w+) \[(.*)\]$")
_EDGE = re.compile(r"^\t(\w+) -> (\w+)(?: \[(.*)\])?$")


def _unquote(text: str) -> str:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('\\"', '"')  # the DOT lexer's only escape in a string
    return text


def _attrs(text: str | None) -> dict[str, str]:
    """``key=value`` pairs of a DOT attribute list; a value is a quoted string, an
    HTML-like label ``<...>`` (kept with its brackets, balanced: user text inside has its
    ``<`` and ``>`` written as entities) or a bare word."""
    out: dict[str, str] = {}
    text = text or ""
    i = 0
    while i < len(text):
        m = re.compile(r"\s*(\w+)=").match(text, i)
        if m is None:
            break
        key, i = m.group(1), m.end()
        if text[i] == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            value = text[i:j]
            # a plain HTML-like label reads as the lines it draws, joined by DOT's "\\n"
            plain = value if value.startswith("<<TABLE") else "\\n".join(label_lines(value))
            out[key], i = plain, j
        elif text[i] == '"':
            q = re.compile(r'"(?:[^"\\]|\\.)*"').match(text, i)
            assert q is not None, text[i:]
            out[key], i = _unquote(q.group(0)), q.end()
        else:
            w = re.compile(r"[^\s\]]+").match(text, i)
            assert w is not None
            out[key], i = w.group(0), w.end()
    return out


def _text(markup: str) -> str:
    """The text an HTML-like label's ``markup`` draws: tags dropped, entities decoded once."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup)).replace("\\\\", "\\")


def label_lines(label: str) -> list[str]:
    """The lines of an HTML-like label ``<a<BR/>b>`` (or a plain one), as drawn."""
    if label.startswith("<") and label.endswith(">"):
        return [_text(line) for line in label[1:-1].split("<BR/>")]
    return label.split("\\n")


def record_fields(label: str) -> list[str]:
    """The fields (table cells) of a Value's HTML-like label, as drawn."""
    assert label.startswith("<<TABLE") and label.endswith("</TABLE>>"), label
    cells = re.findall(r"<TD>(.*?)</TD>", label)
    return [_text(cell) for cell in cells]


@dataclass
class Dot:
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    graph: dict[str, str] = field(default_factory=dict)

    def records(self) -> dict[str, dict[str, str]]:
        """The Values' boxes (``n<k>``; proxies ``n<k>_for...`` left out)."""
        return {k: a for k, a in self.nodes.items() if re.fullmatch(r"n\d+", k)}

    def proxies(self) -> dict[str, dict[str, str]]:
        return {k: a for k, a in self.nodes.items() if re.fullmatch(r"n\d+_for\d+_\d+", k)}

    def ops(self) -> dict[str, dict[str, str]]:
        return {k: a for k, a in self.nodes.items() if a.get("shape") == "ellipse"}

    def numbers(self) -> dict[str, dict[str, str]]:
        """The boxes of number operands (the ``2`` of ``x * 2``)."""
        return {k: a for k, a in self.nodes.items() if "_num" in k}

    def record_by_name(self) -> dict[str, tuple[str, list[str]]]:
        """label text -> (node id, fields), for records that carry a label."""
        out = {}
        for nid, a in self.records().items():
            fields = record_fields(a["label"])
            if not fields[0].startswith("data "):
                out[fields[0]] = (nid, fields)
        return out


def parse(source: str) -> Dot:
    dot = Dot()
    for line in source.splitlines():
        if m := _EDGE.match(line):
            dot.edges.append((m.group(1), m.group(2), _attrs(m.group(3))))
        elif m := _NODE.match(line):
            if m.group(1) == "graph":
                dot.graph.update(_attrs(m.group(2)))
            elif m.group(1) not in ("node", "edge"):
                dot.nodes[m.group(1)] = _attrs(m.group(2))
        elif line.startswith("\t") and "=" in line:
            dot.graph.update(_attrs(line))
    return dot


def field_number(fields: list[str], name: str) -> float:
    (text,) = [f[len(name) + 1 :] for f in fields if f.startswith(name + " ")]
    return float(text)


def close4(shown: float, exact: float) -> bool:
    """``shown`` is ``exact`` to 4 significant digits."""
    return math.isclose(shown, exact, rel_tol=6e-4, abs_tol=1e-300)


def label_number(label: str) -> float:
    """The number of an edge label: its last line, after an optional ``= ``."""
    last = label_lines(label)[-1]
    return float(last.removeprefix("= "))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# ---------------------------------------------------------------------------------------
# The article's network, built from the engine alone, and its plain-float twin.
# ---------------------------------------------------------------------------------------

W = {"w0": 0.15, "w1": 0.25, "w2": 0.20, "w3": 0.30, "w4": 0.40, "w5": 0.50, "w6": 0.45, "w7": 0.55}
B = {"b0": 0.35, "b1": 0.35, "b2": 0.60, "b3": 0.60}
X = (0.05, 0.10)
Y = (0.01, 0.99)


def named(v: Value, name: str) -> Value:
    v.label = name
    return v


def article_graph() -> dict[str, Value]:
    v = {k: Value(x, k) for k, x in {**W, **B}.items()}
    v["x0"], v["x1"] = Value(X[0], "x0"), Value(X[1], "x1")
    v["y0"], v["y1"] = Value(Y[0], "y0"), Value(Y[1], "y1")
    x = [v["x0"], v["x1"]]
    v["net0"] = named(weighted_sum([v["w0"], v["w2"]], x, v["b0"]), "net0")
    v["net1"] = named(weighted_sum([v["w1"], v["w3"]], x, v["b1"]), "net1")
    v["a0"] = named(v["net0"].sigmoid(), "a0")
    v["a1"] = named(v["net1"].sigmoid(), "a1")
    a = [v["a0"], v["a1"]]
    v["net2"] = named(weighted_sum([v["w4"], v["w6"]], a, v["b2"]), "net2")
    v["net3"] = named(weighted_sum([v["w5"], v["w7"]], a, v["b3"]), "net3")
    v["o0"] = named(v["net2"].sigmoid(), "o0")
    v["o1"] = named(v["net3"].sigmoid(), "o1")
    v["J"] = named(
        squared_error([v["o0"], v["o1"]], [v["y0"], v["y1"]], reduction="half_sum"), "J"
    )
    return v


def article_floats() -> dict[str, float]:
    """The article's forward pass and delta rule in plain floats."""
    f: dict[str, float] = {}
    f["net0"] = W["w0"] * X[0] + W["w2"] * X[1] + B["b0"]
    f["net1"] = W["w1"] * X[0] + W["w3"] * X[1] + B["b1"]
    f["a0"], f["a1"] = sigmoid(f["net0"]), sigmoid(f["net1"])
    f["net2"] = W["w4"] * f["a0"] + W["w6"] * f["a1"] + B["b2"]
    f["net3"] = W["w5"] * f["a0"] + W["w7"] * f["a1"] + B["b3"]
    f["o0"], f["o1"] = sigmoid(f["net2"]), sigmoid(f["net3"])
    f["J"] = 0.5 * (Y[0] - f["o0"]) ** 2 + 0.5 * (Y[1] - f["o1"]) ** 2
    # dJ/d(node) for every node, by the article's delta rule
    g = f  # "dJ/d<name>" entries
    g["dJ/dJ"] = 1.0
    g["dJ/do0"], g["dJ/do1"] = -(Y[0] - f["o0"]), -(Y[1] - f["o1"])
    g["dJ/dy0"], g["dJ/dy1"] = Y[0] - f["o0"], Y[1] - f["o1"]
    d2 = g["dJ/dnet2"] = g["dJ/do0"] * f["o0"] * (1 - f["o0"])  # δ2
    d3 = g["dJ/dnet3"] = g["dJ/do1"] * f["o1"] * (1 - f["o1"])  # δ3
    g["dJ/da0"] = d2 * W["w4"] + d3 * W["w5"]
    g["dJ/da1"] = d2 * W["w6"] + d3 * W["w7"]
    d0 = g["dJ/dnet0"] = g["dJ/da0"] * f["a0"] * (1 - f["a0"])  # δ0
    d1 = g["dJ/dnet1"] = g["dJ/da1"] * f["a1"] * (1 - f["a1"])  # δ1
    g["dJ/dx0"] = d0 * W["w0"] + d1 * W["w1"]
    g["dJ/dx1"] = d0 * W["w2"] + d1 * W["w3"]
    g["dJ/dw0"], g["dJ/dw2"], g["dJ/dw1"], g["dJ/dw3"] = d0 * X[0], d0 * X[1], d1 * X[0], d1 * X[1]
    g["dJ/dw4"], g["dJ/dw6"] = d2 * f["a0"], d2 * f["a1"]
    g["dJ/dw5"], g["dJ/dw7"] = d3 * f["a0"], d3 * f["a1"]
    g["dJ/db0"], g["dJ/db1"], g["dJ/db2"], g["dJ/db3"] = d0, d1, d2, d3
    f.update({"x0": X[0], "x1": X[1], "y0": Y[0], "y1": Y[1], **W, **B})
    return f


# ---------------------------------------------------------------------------------------
# Records: label, data, grad
# ---------------------------------------------------------------------------------------


def test_every_record_shows_label_data_and_grad_of_a_small_graph() -> None:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = named(a * b, "c")
    d = named(c + a, "d")
    e = named(d.tanh(), "e")
    e.backward()
    t = math.tanh(2.0 * -3.0 + 2.0)
    expected = {  # (data, grad) by hand: e = tanh(ab + a)
        "a": (2.0, (1 - t * t) * (-3.0 + 1.0)),
        "b": (-3.0, (1 - t * t) * 2.0),
        "c": (-6.0, 1 - t * t),
        "d": (-4.0, 1 - t * t),
        "e": (t, 1.0),
    }
    dot = parse(draw_dot(e).source)
    records = dot.record_by_name()
    assert set(records) == set(expected)
    assert len(dot.records()) == 5
    for name, (data, grad) in expected.items():
        _, fields = records[name]
        assert close4(field_number(fields, "data"), data), (name, fields)
        assert close4(field_number(fields, "grad"), grad), (name, fields)


def test_the_article_graph_records_match_plain_float_forward_pass() -> None:
    v = article_graph()
    v["J"].backward()
    f = article_floats()
    records = parse(draw_dot(v["J"]).source).record_by_name()
    assert set(records) == set(v)  # every article name, nothing unlabelled
    for name in ("net0", "net1", "a0", "a1", "net2", "net3", "o0", "o1", "J"):
        assert close4(field_number(records[name][1], "data"), f[name]), name
    for name, value in {**W, **B}.items():
        assert close4(field_number(records[name][1], "data"), value)
    assert close4(field_number(records["w5"][1], "grad"), f["dJ/dw5"])
    assert close4(field_number(records["w1"][1], "grad"), f["dJ/dw1"])
    assert field_number(records["J"][1], "grad") == 1.0


def test_full_precision_reads_back_exactly() -> None:
    a = Value(1.0 / 3.0, "a")
    b = named(a.exp(), "b")
    b.backward()
    records = parse(draw_dot(b, precision=None).source).record_by_name()
    assert field_number(records["a"][1], "data") == 1.0 / 3.0
    assert field_number(records["b"][1], "data") == math.exp(1.0 / 3.0)
    assert field_number(records["a"][1], "grad") == math.exp(1.0 / 3.0)


def test_precision_sets_significant_digits() -> None:
    a = Value(math.pi, "a")
    fields = parse(draw_dot(a, precision=2).source).record_by_name()["a"][1]
    assert fields[1] == "data 3.1"
    fields = parse(draw_dot(a).source).record_by_name()["a"][1]
    assert fields[1] == "data 3.142"
    tiny = Value(1.5e-9, "tiny")
    assert field_number(parse(draw_dot(tiny).source).record_by_name()["tiny"][1], "data") == 1.5e-9


def test_show_grad_false_leaves_grad_out() -> None:
    a = Value(1.0, "a")
    b = named(a * a, "b")
    dot = parse(draw_dot(b, show_grad=False).source)
    for attrs in dot.records().values():
        fields = record_fields(attrs["label"])
        assert not any(f.startswith("grad") for f in fields)
        assert any(f.startswith("data") for f in fields)


def test_inf_and_nan_are_printed_as_such() -> None:
    zero, neg = Value(0.0, "zero"), Value(-1.0, "neg")
    lz = named(zero.log(), "lz")  # log 0 = -inf, gradient 1/0 = inf
    ln = named(neg.log(), "ln")  # log -1 = nan
    s = named(lz + ln, "s")
    s.backward()
    records = parse(draw_dot(s).source).record_by_name()
    assert records["lz"][1][1] == "data -inf"
    assert records["ln"][1][1] == "data nan"
    assert records["zero"][1][2] == "grad inf"
    assert records["s"][1][1] == "data nan"


def test_record_special_characters_are_escaped() -> None:
    odd = 'a|b{c}<d>"e\\f'
    x = Value(1.0, odd)
    y = named(x * 2.0, "y = 2x")
    src = draw_dot(y).source
    records = parse(src).record_by_name()
    assert odd in records  # read back whole: one field, not split at | { } < >
    assert len(records[odd][1]) == 3
    svg = draw_dot(y).pipe(format="svg").decode()
    assert "a|b{c}&lt;d&gt;&quot;e\\f" in svg or 'a|b{c}&lt;d&gt;"e\\f' in svg


def test_unlabelled_constants_get_a_record_without_a_name() -> None:
    from autograd.value import as_value

    x = Value(3.0, "x")
    y = named(x * as_value(2.0), "y")  # a constant leaf Value, not a number
    dot = parse(draw_dot(y).source)
    fields = [record_fields(a["label"]) for a in dot.records().values()]
    assert ["data 2.000", "grad 0.000"] in fields
    assert dot.numbers() == {}


def test_a_number_operand_is_a_small_box_with_a_plain_edge() -> None:
    x = Value(3.0, "x")
    y = named(x * 2.0, "y")  # 2.0 is no node of the graph: parents (x,), inputs (x, 2.0)
    y.backward()
    dot = parse(draw_dot(y, edge_labels=True).source)
    fields = [record_fields(a["label"]) for a in dot.records().values()]
    assert sorted(fields) == [["x", "data 3.000", "grad 2.000"], ["y", "data 6.000", "grad 1.000"]]
    ((box, attrs),) = dot.numbers().items()
    assert attrs["label"] == "2.000"  # the number alone: no name, no grad
    assert "grad" not in attrs["label"] and attrs["style"] == "filled,rounded"
    (op,) = dot.ops()
    into = [(src, a) for src, dst, a in dot.edges if dst == op]
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    # operand order (x, 2.0); only x's edge has a local derivative, d(2x)/dx = 2
    assert [src for src, _ in into] == [rid["x"], box]
    assert label_number(into[0][1]["label"]) == 2.0
    assert "label" not in into[1][1]
    # Graphviz keeps the edges into an op with a number in that order (ordering=in); an op on
    # Values only is drawn as before
    assert dot.ops()[op]["ordering"] == "in"
    assert "ordering" not in parse(draw_dot(x * x).source).ops()[op]
    # the same number used twice is drawn twice, once per operand
    z = named(x * 2.0 + 2.0, "z")
    assert sorted(a["label"] for a in parse(draw_dot(z).source).numbers().values()) == [
        "2.000", "2.000"]


# ---------------------------------------------------------------------------------------
# Op nodes and edges
# ---------------------------------------------------------------------------------------


def test_one_op_node_per_computed_value_with_the_rule_symbol_and_its_edges() -> None:
    a, b = Value(0.5, "a"), Value(1.5, "b")
    c = named(a * b, "c")
    d = named(c.sigmoid(), "d")
    e = named(d + b, "e")
    dot = parse(draw_dot(e).source)
    recs = dot.record_by_name()
    rid = {name: nid for name, (nid, _) in recs.items()}
    ops = dot.ops()
    assert sorted(a["label"] for a in ops.values()) == sorted(["*", "σ", "+"])
    # each op node: edges from its operands and one edge into its result
    expected_in = {"c": ["a", "b"], "d": ["c"], "e": ["d", "b"]}
    for result, operands in expected_in.items():
        (op,) = [src for src, dst, _ in dot.edges if dst == rid[result]]
        assert op in ops
        into = sorted(src for src, dst, _ in dot.edges if dst == op)
        assert into == sorted(rid[o] for o in operands)
    assert len(dot.edges) == 3 + 5


def test_a_parent_used_twice_gets_two_edges() -> None:
    a = Value(3.0, "a")
    sq = named(a * a, "sq")
    sq.backward()
    dot = parse(draw_dot(sq, edge_labels=True).source)
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    (op,) = dot.ops()
    into = [attrs for src, dst, attrs in dot.edges if dst == op]
    assert [rid["a"]] * 2 == [src for src, dst, _ in dot.edges if dst == op]
    # d(a*a)/d(first a) = a and d/d(second a) = a; together 2a = 6 = a.grad
    assert [label_number(e["label"]) for e in into] == [3.0, 3.0]
    assert close4(field_number(dot.record_by_name()["a"][1], "grad"), 6.0)


def test_edge_labels_are_the_local_derivatives() -> None:
    a, b = Value(1.25, "a"), Value(-0.75, "b")
    c = named(a * b, "c")  # dc/da = b, dc/db = a
    d = named(c.exp(), "d")  # dd/dc = e^c
    e = named(d / b, "e")  # de/dd = 1/b, de/db = -d/b^2
    dot = parse(draw_dot(e, edge_labels=True, precision=None).source)
    recs = dot.record_by_name()
    rid = {name: nid for name, (nid, _) in recs.items()}
    result_of_op = {src: dst for src, dst, _ in dot.edges if src in dot.ops()}
    got: dict[tuple[str, str], list[float]] = {}
    name_of = {nid: name for name, nid in rid.items()}
    for src, dst, attrs in dot.edges:
        if dst in dot.ops():
            key = (name_of[result_of_op[dst]], name_of[src])
            got.setdefault(key, []).append(label_number(attrs["label"]))
    cd = 1.25 * -0.75
    expected = {
        ("c", "a"): [-0.75],
        ("c", "b"): [1.25],
        ("d", "c"): [math.exp(cd)],
        ("e", "d"): [1 / -0.75],
        ("e", "b"): [-math.exp(cd) / 0.75**2],
    }
    assert set(got) == set(expected)
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, rel=1e-15), key


def test_edge_labels_on_the_article_graph_show_the_article_factors() -> None:
    v = article_graph()
    f = article_floats()
    dot = parse(draw_dot(v["J"], edge_labels=True).source)
    labels = {}
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    name_of = {nid: name for name, nid in rid.items()}
    result_of_op = {src: dst for src, dst, _ in dot.edges if src in dot.ops()}
    for src, dst, attrs in dot.edges:
        if dst in dot.ops():
            labels[(name_of[result_of_op[dst]], name_of[src])] = attrs["label"]
    # dnet3/dw5 = a0, do1/dnet3 = o1(1 - o1), dJ/do1 = -(y1 - o1)
    assert close4(label_number(labels[("net3", "w5")]), f["a0"])
    assert close4(label_number(labels[("o1", "net3")]), f["o1"] * (1 - f["o1"]))
    assert close4(label_number(labels[("J", "o1")]), -(Y[1] - f["o1"]))
    assert close4(label_number(labels[("net3", "a0")]), W["w5"])
    assert label_number(labels[("net3", "b3")]) == 1.0
    # the formulas in the article's names
    assert labels[("net3", "w5")].startswith("∂net3/∂w5 = a0\\n")
    assert labels[("o1", "net3")].startswith("∂o1/∂net3 = o1(1 - o1)\\n")
    assert labels[("J", "o1")].startswith("∂J/∂o1 = -(y1 - o1)\\n")
    plain = parse(draw_dot(v["J"], edge_labels=True, symbolic=False).source)
    assert all("∂" not in attrs.get("label", "") for _, _, attrs in plain.edges)


def test_no_edge_labels_by_default() -> None:
    v = article_graph()
    dot = parse(draw_dot(v["J"]).source)
    assert all("label" not in attrs for _, _, attrs in dot.edges)


# ---------------------------------------------------------------------------------------
# highlight: the chain of the chain rule
# ---------------------------------------------------------------------------------------


def _is_highlighted(attrs: dict[str, str]) -> bool:
    return "penwidth" in attrs


def test_highlight_marks_exactly_the_paths_to_the_root() -> None:
    # root = (x*y + exp(y)) * k ; paths from x: x -> u -> w -> root. y, v, k are off the path.
    x, y, k = Value(0.5, "x"), Value(-1.0, "y"), Value(2.0, "k")
    u = named(x * y, "u")
    v = named(y.exp(), "v")
    w = named(u + v, "w")
    root = named(w * k, "root")
    root.backward()
    dot = parse(draw_dot(root, edge_labels=True, highlight=x).source)
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    ops = dot.ops()
    op_of = {dst: src for src, dst, _ in dot.edges if src in ops}  # result id -> its op id
    on_records = {rid[n] for n in ("x", "u", "w", "root")}
    on_ops = {op_of[rid[n]] for n in ("u", "w", "root")}
    on_edges = {
        (rid["x"], op_of[rid["u"]]), (op_of[rid["u"]], rid["u"]),
        (rid["u"], op_of[rid["w"]]), (op_of[rid["w"]], rid["w"]),
        (rid["w"], op_of[rid["root"]]), (op_of[rid["root"]], rid["root"]),
    }
    assert {n for n, a in dot.nodes.items() if _is_highlighted(a)} == on_records | on_ops
    assert {(s, d) for s, d, a in dot.edges if _is_highlighted(a)} == on_edges
    # drawn bold and thick as well as in colour, so it reads in black and white
    for nid in on_records | on_ops:
        assert "bold" in dot.nodes[nid]["style"] and float(dot.nodes[nid]["penwidth"]) >= 2
    for s, d, a in dot.edges:
        if (s, d) in on_edges:
            assert a["style"] == "bold" and float(a["penwidth"]) >= 2
            assert a["color"] != "#333333"
    # the caption: d root / d x = k * y, the product of the highlighted edge labels
    caption = dot.graph["label"]
    assert caption.startswith("∂root/∂x = ∂root/∂w · ∂w/∂u · ∂u/∂x = (2.000)(1.000)(-1.000)")
    assert close4(float(caption.rsplit("= ", 1)[1]), 2.0 * -1.0)

    # From the intermediate u: u's own op node and the edges into it are below u, not on
    # the path from u up to the root.
    dot = parse(draw_dot(root, highlight=u).source)
    assert {n for n, a in dot.nodes.items() if _is_highlighted(a)} == (
        {rid[n] for n in ("u", "w", "root")} | {op_of[rid[n]] for n in ("w", "root")}
    )
    assert {(s, d) for s, d, a in dot.edges if _is_highlighted(a)} == on_edges - {
        (rid["x"], op_of[rid["u"]]), (op_of[rid["u"]], rid["u"])
    }
    assert close4(float(dot.graph["label"].rsplit("= ", 1)[1]), 2.0)  # d root/du = k


def test_highlight_of_a_node_with_two_paths_sums_them() -> None:
    v = article_graph()
    v["J"].backward()
    f = article_floats()
    dot = parse(draw_dot(v["J"], edge_labels=True, highlight=v["w1"]).source)
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    on = {name for name, nid in rid.items() if _is_highlighted(dot.nodes[nid])}
    # w1 -> net1 -> a1 -> (net2 -> o0, net3 -> o1) -> J
    assert on == {"w1", "net1", "a1", "net2", "net3", "o0", "o1", "J"}
    caption = dot.graph["label"]
    assert caption.count(" + ") == 1  # two paths: a sum of two products
    assert close4(float(caption.rsplit("= ", 1)[1]), f["dJ/dw1"])


def test_highlight_w5_in_the_article_graph_multiplies_to_its_gradient() -> None:
    v = article_graph()
    v["J"].backward()
    f = article_floats()
    dot = parse(draw_dot(v["J"], edge_labels=True, highlight=v["w5"], precision=None).source)
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    name_of = {nid: name for name, nid in rid.items()}
    on = {name for name, nid in rid.items() if _is_highlighted(dot.nodes[nid])}
    assert on == {"w5", "net3", "o1", "J"}
    factors = [
        label_number(a["label"])
        for s, d, a in dot.edges
        if _is_highlighted(a) and "label" in a and s in name_of
    ]
    assert len(factors) == 3
    assert math.prod(factors) == pytest.approx(f["dJ/dw5"], rel=1e-12)
    assert dot.graph["label"].startswith("∂J/∂w5 = ∂J/∂o1 · ∂o1/∂net3 · ∂net3/∂w5 = ")


def test_highlight_must_be_in_the_graph() -> None:
    a = Value(1.0, "a")
    b = named(a.exp(), "b")
    stranger = Value(2.0, "stranger")
    with pytest.raises(ValueError, match="not in the graph"):
        draw_dot(b, highlight=stranger)
    with pytest.raises(TypeError, match="highlight must be a Value"):
        draw_dot(b, highlight=1.0)  # type: ignore[arg-type]


def test_highlighting_the_root_marks_only_the_root() -> None:
    a = Value(1.0, "a")
    b = named(a.exp(), "b")
    dot = parse(draw_dot(b, highlight=b).source)
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    assert {n for n, at in dot.nodes.items() if _is_highlighted(at)} == {rid["b"]}
    assert not any(_is_highlighted(at) for _, _, at in dot.edges)


# ---------------------------------------------------------------------------------------
# Guard, bad input, laziness
# ---------------------------------------------------------------------------------------


def _chain(n: int) -> Value:
    """A graph of exactly ``n`` Values: x, x+1, (x+1)+1, ... (each 1.0 a number, no Value)."""
    v = Value(0.0, "x")
    for _ in range(n - 1):
        v = v + 1.0
    return v


def test_size_guard_says_how_many_and_what_to_do() -> None:
    big = _chain(1001)
    with pytest.raises(ValueError) as info:
        draw_dot(big)
    message = str(info.value)
    assert "1001 Values" in message and "max_nodes=1000" in message
    assert "intermediate node" in message and "max_nodes=1001" in message
    drawn = parse(draw_dot(big, max_nodes=1001).source)
    assert len(drawn.records()) == 1001
    assert len(drawn.numbers()) == 1000  # number boxes are drawn, but are no Values
    draw_dot(_chain(11), max_nodes=11)
    with pytest.raises(ValueError, match="13 Values"):
        draw_dot(_chain(13), max_nodes=11)


def test_a_deep_graph_is_drawn_without_recursion() -> None:
    deep = _chain(2 * sys.getrecursionlimit() + 1)
    dot = parse(draw_dot(deep, max_nodes=10**6).source)
    assert len(dot.records()) == 2 * sys.getrecursionlimit() + 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rankdir": "XY"}, ValueError, "rankdir must be one of TB, LR, BT, RL"),
        ({"rankdir": "lr"}, ValueError, "rankdir must be one of"),
        ({"rankdir": 1}, TypeError, "rankdir must be a str"),
        ({"max_nodes": 0}, ValueError, "max_nodes must be at least 1"),
        ({"max_nodes": 2.5}, TypeError, "max_nodes must be an int"),
        ({"precision": 0}, ValueError, "precision"),
        ({"precision": "4"}, TypeError, "precision must be an int or None"),
        ({"show_grad": "yes"}, TypeError, "show_grad must be True or False"),
        ({"edge_labels": 1}, TypeError, "edge_labels must be True or False"),
    ],
)
def test_bad_options(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        draw_dot(Value(1.0, "a"), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("root", [1.0, "x", None, [Value(1.0)]])
def test_root_must_be_a_value(root: object) -> None:
    with pytest.raises(TypeError, match=f"root must be a Value, not {type(root).__name__}"):
        draw_dot(root)  # type: ignore[arg-type]


@pytest.mark.subprocess
def test_graphviz_is_imported_only_when_drawing() -> None:
    code = (
        "import sys, autograd\n"
        "assert 'graphviz' not in sys.modules, 'imported early'\n"
        "autograd.draw_dot(autograd.Value(1.0))\n"
        "assert 'graphviz' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------
# Rendering with Graphviz's dot
# ---------------------------------------------------------------------------------------


def test_renders_to_svg_with_the_labels() -> None:
    v = article_graph()
    v["J"].backward()
    svg = draw_dot(v["J"], edge_labels=True, highlight=v["w5"]).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for name in [*W, *B, "x0", "x1", "net0", "net3", "a0", "o1", "J", "σ", "Σ w·x + b"]:
        assert name in texts, name
    assert "grad 1.000" in texts  # dJ/dJ
    assert any(t.startswith("∂net3/∂w5 = a0") for t in texts)
    assert any(t.startswith("∂J/∂w5 = ∂J/∂o1") for t in texts)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature and its CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    body = png[16 : 16 + length]
    (crc,) = struct.unpack(">I", png[16 + length : 20 + length])
    assert zlib.crc32(kind + body) == crc
    width, height = struct.unpack(">II", body[:8])
    return width, height


def _svg_size_pt(svg: str) -> tuple[float, float]:
    root = _svg_tree(svg.encode())
    view = [float(v) for v in root.attrib["viewBox"].split()]
    width = float(root.attrib["width"].removesuffix("pt"))
    height = float(root.attrib["height"].removesuffix("pt"))
    assert abs(view[2] - width) <= 1 and abs(view[3] - height) <= 1  # dot rounds the size
    return width, height


def test_renders_svg_and_png_files_of_the_same_size(tmp_path: Path) -> None:
    a = Value(0.3, "a")
    b = named(a.sigmoid(), "b")
    b.backward()
    sizes = []
    for root in (b, named(b * b, "c"), named(b * b * b * b, "d")):
        g = draw_dot(root, edge_labels=True, highlight=a)
        svg = Path(g.render(str(tmp_path / "g"), format="svg"))
        png = Path(g.render(str(tmp_path / "g"), format="png"))
        assert svg.suffix == ".svg" and png.suffix == ".png"
        svg_text = svg.read_text(encoding="utf-8")
        assert "data 0.3000" in _all_svg_texts(_svg_tree(svg_text.encode()))
        width_pt, height_pt = _svg_size_pt(svg_text)
        width_px, height_px = _png_size(png.read_bytes())
        # dot draws PNG at 96 pixels per inch and SVG in points (72 per inch)
        assert abs(width_px - width_pt * 96 / 72) <= 2 and abs(height_px - height_pt * 96 / 72) <= 2
        assert 50 <= width_px <= 5000 and 20 <= height_px <= 2000
        sizes.append((width_px, height_px))
    # left to right: a bigger graph is a wider picture
    assert sizes[0][0] < sizes[1][0] < sizes[2][0]


def _text_positions(svg: str) -> dict[str, tuple[float, float]]:
    pattern = r'<text[^>]* x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)</text>'
    return {text: (float(x), float(y)) for x, y, text in re.findall(pattern, svg)}


@pytest.mark.parametrize("rankdir", ["TB", "LR", "BT", "RL"])
def test_record_layouts_look_the_same_in_every_direction(rankdir: str) -> None:
    a = Value(0.5, "a")
    b = named(a.exp(), "b")
    b.backward()
    # "row": label, data and grad side by side on one baseline, in this order
    row = _text_positions(draw_dot(b, rankdir=rankdir, record_layout="row").pipe("svg").decode())
    (xl, yl), (xd, yd), (xg, yg) = row["a"], row["data 0.5000"], row["grad 1.649"]
    assert abs(yl - yd) <= 1.5 and yd == yg and xl < xd < xg
    # "card" (the default): stacked, label on top (SVG y grows downwards)
    card = _text_positions(draw_dot(b, rankdir=rankdir).pipe("svg").decode())
    (xl, yl), (xd, yd), (xg, yg) = card["a"], card["data 0.5000"], card["grad 1.649"]
    # one column (SVG gives each text's left end: the short label starts further right)
    assert abs(xd - xg) <= 6 and xl > xd and yl < yd < yg
    assert parse(draw_dot(b, rankdir=rankdir).source).graph["rankdir"] == rankdir


def test_unknown_record_layout() -> None:
    with pytest.raises(ValueError, match="record_layout must be one of card, row"):
        draw_dot(Value(1.0), record_layout="column")


# ---------------------------------------------------------------------------------------
# Random expression graphs (autograd.strategies): structure, edge labels, highlight
# ---------------------------------------------------------------------------------------


def _build(expr: Expression) -> list[Value]:
    """The expression built with the engine; node k labelled v{k} (inputs x0, x1, ...)."""
    pool: list[Value] = leaf_values(expr.point)
    for step in expr.steps:
        node = apply(step.row(), *(pool[i] for i in step.operands))
        node.label = f"v{len(pool)}"
        pool.append(node)
    return pool


def _depends_on(expr: Expression, k: int, target: int) -> bool:
    """Whether node k is computed from node target, by a search down the operand lists."""
    n = expr.n_inputs
    stack, seen = [k], set()
    while stack:
        i = stack.pop()
        if i == target:
            return True
        if i >= n and i not in seen:
            seen.add(i)
            stack.extend(expr.steps[i - n].operands)
    return False


def _finite_difference(expr: Expression, step_index: int, slot: int) -> float:
    """d step / d operand[slot] by a central difference of the row's float forward."""
    pool = list(expr.point)
    for step in expr.steps[:step_index]:
        pool.append(step.row().forward(*(pool[i] for i in step.operands)))
    step = expr.steps[step_index]
    args = [pool[i] for i in step.operands]
    h = 1e-6 * max(1.0, abs(args[slot]))
    up, down = list(args), list(args)
    up[slot] += h
    down[slot] -= h
    return (step.row().forward(*up) - step.row().forward(*down)) / (2 * h)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions(max_inputs=3, max_steps=8), data=st.data())
def test_random_graphs_structure_edge_labels_and_highlight(
    expr: Expression, data: st.DataObject
) -> None:
    pool = _build(expr)
    root = pool[-1]
    last = len(pool) - 1
    n = expr.n_inputs
    in_graph = {k for k in range(len(pool)) if _depends_on(expr, last, k)}
    label_of = {k: pool[k].label for k in in_graph}

    dot = parse(draw_dot(root, edge_labels=True, precision=None, symbolic=False).source)
    recs = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    assert set(recs) == set(label_of.values())  # one record per Value of the graph
    # edges into each op: one per operand (repeats included), labelled d step / d operand
    ops = dot.ops()
    op_of = {dst: src for src, dst, _ in dot.edges if src in ops}
    for k in in_graph - set(range(n)):
        step = expr.steps[k - n]
        op_id = op_of[recs[label_of[k]]]
        incoming = [(src, a) for src, dst, a in dot.edges if dst == op_id]
        # an operand used MERGE_USES times or more: one edge marked "×m", at its first slot
        times = {i: step.operands.count(i) for i in step.operands}
        slots = [slot for slot, i in enumerate(step.operands)
                 if times[i] < MERGE_USES or step.operands.index(i) == slot]
        assert [src for src, _ in incoming] == [recs[label_of[step.operands[s]]] for s in slots]
        for slot, (_, attrs) in zip(slots, incoming):
            if times[step.operands[slot]] >= MERGE_USES:
                assert label_lines(attrs["label"])[0] == f"×{times[step.operands[slot]]}"
            fd = _finite_difference(expr, k - n, slot)
            assert label_number(attrs["label"]) == pytest.approx(fd, rel=1e-4, abs=1e-5)

    # highlight a random node: exactly the nodes that depend on it are marked
    target = data.draw(st.sampled_from(sorted(in_graph)))
    dot = parse(draw_dot(root, highlight=pool[target]).source)
    marked = {nid for nid, a in dot.records().items() if _is_highlighted(a)}
    assert marked == {recs[label_of[k]] for k in in_graph if _depends_on(expr, k, target)}


# ---------------------------------------------------------------------------------------
# The committed picture docs/article_graph.svg and the script that makes it
# ---------------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARTICLE_NAMES = [*W, *B, "x0", "x1", "y0", "y1", "net0", "net1", "net2", "net3",
                 "a0", "a1", "o0", "o1", "J"]


@dataclass
class SvgPart:
    texts: list[str]
    highlighted: bool


def svg_parts(svg: str, kind: str) -> dict[str, SvgPart]:
    """The ``node`` or ``edge`` groups of a dot-made SVG, by title."""
    parts = {}
    pattern = rf'<g id="{kind}\d+" class="{kind}">\s*<title>([^<]*)</title>(.*?)</g>'
    for title, body in re.findall(pattern, svg, flags=re.S):
        texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body)]
        parts[html.unescape(title)] = SvgPart(texts, 'stroke="#c0392b"' in body)
    return parts


def svg_texts(svg: str) -> list[str]:
    return sorted(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_committed_article_graph_shows_every_name_value_and_gradient() -> None:
    svg = (DOCS / "article_graph.svg").read_text(encoding="utf-8")
    f = article_floats()
    records = {}
    for part in svg_parts(svg, "node").values():
        if len(part.texts) == 3 and part.texts[1].startswith("data "):
            records[part.texts[0]] = part
    assert sorted(records) == sorted(ARTICLE_NAMES)
    for name, part in records.items():
        data = float(part.texts[1].removeprefix("data "))
        grad_ = float(part.texts[2].removeprefix("grad "))
        assert close4(data, f[name]), (name, data, f[name])
        assert close4(grad_, f["dJ/d" + name]), (name, grad_, f["dJ/d" + name])
    # the path of w5 is highlighted, and nothing else
    assert {n for n, part in records.items() if part.highlighted} == {"w5", "net3", "o1", "J"}


def test_committed_article_graph_lets_a_reader_follow_dJ_dw5() -> None:
    svg = (DOCS / "article_graph.svg").read_text(encoding="utf-8")
    f = article_floats()
    edges = svg_parts(svg, "edge")
    on = [part for part in edges.values() if part.highlighted]
    assert len(on) == 6  # w5 -> op -> net3 -> op -> o1 -> op -> J
    labelled = sorted(part.texts[0] for part in on if part.texts)
    assert labelled == ["∂J/∂o1 = -(y1 - o1)", "∂net3/∂w5 = a0", "∂o1/∂net3 = o1(1 - o1)"]
    factors = [float(part.texts[1].removeprefix("= ")) for part in on if part.texts]
    assert close4(factors[0] * factors[1] * factors[2], f["dJ/dw5"]) or math.isclose(
        math.prod(factors), f["dJ/dw5"], rel_tol=2e-3
    )
    (caption,) = [t for t in svg_texts(svg) if t.startswith("∂J/∂w5 = ")]
    assert caption.startswith("∂J/∂w5 = ∂J/∂o1 · ∂o1/∂net3 · ∂net3/∂w5 = ")
    assert close4(float(caption.rsplit("= ", 1)[1]), f["dJ/dw5"])


@pytest.mark.subprocess
def test_the_script_regenerates_the_committed_picture(tmp_path: Path) -> None:
    script = DOCS / "make_pictures.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    fresh = (tmp_path / "article_graph.svg").read_text(encoding="utf-8")
    committed = (DOCS / "article_graph.svg").read_text(encoding="utf-8")
    # the same words and numbers (the layout may differ between Graphviz versions)
    assert svg_texts(fresh) == svg_texts(committed)


# ---------------------------------------------------------------------------------------
# Any label renders: control characters, very long labels, astronomically many paths
# ---------------------------------------------------------------------------------------


def _svg_tree(svg: bytes) -> ET.Element:
    """The SVG parsed as XML (raises on anything XML 1.0 forbids)."""
    return ET.fromstring(svg)


def _all_svg_texts(root: ET.Element) -> list[str]:
    """Every text of the SVG; dot writes a run of spaces as space + no-break spaces."""
    return ["".join(t.itertext()).replace("\xa0", " ")
            for t in root.iter("{http://www.w3.org/2000/svg}text")]


# character -> how the picture must show it (written out here, not computed by draw.py)
CONTROL_SHOWN = {
    "\x00": "␀",
    "\x01": "␁",
    "\x07": "␇",
    "\x08": "␈",
    "\x0b": "␋",
    "\x0c": "␌",
    "\x1b": "␛",
    "\x1f": "␟",
    "\x7f": "␡",
    "\x85": "\\x85",
    "\x9f": "\\x9f",
    chr(0xD800): "\\ud800",  # lone surrogates (chr(): ruff cannot hash them as literals)
    chr(0xDFFF): "\\udfff",
    "\ufffe": "\\ufffe",
    "\uffff": "\\uffff",
    "\t": " ",
    "\n": " ",
    "\r": " ",
}


@pytest.mark.parametrize("ch", sorted(CONTROL_SHOWN))
def test_control_characters_in_labels_give_valid_dot_and_svg(ch: str) -> None:
    x = Value(0.25, f"x{ch}in")
    t = named(x.tanh(), f"t{ch}")
    s = named(t * x, f"s{ch}end")
    s.backward()
    g = draw_dot(s, edge_labels=True, highlight=x)
    source = g.source
    source.encode("utf-8")  # no lone surrogate left
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in source)
    svg = subprocess.run(["dot", "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                         check=True).stdout
    texts = _all_svg_texts(_svg_tree(svg))
    shown = CONTROL_SHOWN[ch]
    assert f"x{shown}in" in texts
    assert f"s{shown}end" in texts
    assert any(text.startswith(f"∂t{shown}/∂x{shown}in = 1 - t{shown}²") for text in texts)
    (caption,) = [text for text in texts
                  if text.startswith(f"∂s{shown}end/∂x{shown}in = (") and " + " in text]
    # d/dx (tanh(x) x) = (1 - tanh²x) x + tanh x, the sum over the two highlighted paths
    want = (1 - math.tanh(0.25) ** 2) * 0.25 + math.tanh(0.25)
    assert close4(float(caption.rsplit("= ", 1)[1]), want)


def test_every_control_character_at_once_renders_in_a_record_and_an_edge() -> None:
    odd = "".join(chr(c) for c in range(0x20)) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))
    x = Value(2.0, odd)
    y = named(x.log(), odd + "|{<>}")
    y.backward()
    svg = draw_dot(y, edge_labels=True, highlight=x).pipe(format="svg")
    # dot shows a run of spaces as one space in a record and keeps it elsewhere
    texts = [re.sub(" +", " ", text) for text in _all_svg_texts(_svg_tree(svg))]
    c0 = "".join(chr(0x2400 + c) if c not in (9, 10, 13) else " " for c in range(0x20))
    c0 = re.sub(" +", " ", c0)
    c1 = "".join(f"\\x{c:02x}" for c in range(0x80, 0xA0))
    assert c0 + "␡" + c1 in texts
    assert c0 + "␡" + c1 + "|{<>}" in texts
    assert f"∂{c0}␡{c1}|{{<>}}/∂{c0}␡{c1} = 1/{c0}␡{c1}" in texts  # d log x / dx = 1/x
    assert "= 0.5000" in texts


@pytest.mark.parametrize(("unit", "count"), [("a", 20_000), ("😀", 9_000), ('"', 9_000),
                                             ("\\", 9_000), ("|", 9_000), ("\x00", 9_000)])
def test_labels_over_8k_characters_are_cut_and_render(unit: str, count: int) -> None:
    label = unit * count
    x = Value(1.5, label)
    y = named(x * x, "y" + label)
    z = named(y.sigmoid(), "z" + label)
    z.backward()
    g = draw_dot(z, edge_labels=True, highlight=x)
    svg = g.pipe(format="svg")  # dot rejects a quoted string over 16384 bytes
    texts = _all_svg_texts(_svg_tree(svg))
    shown = {"\x00": "␀"}.get(unit, unit)
    cut = re.compile(rf"(?:{re.escape(shown)})+…\(\+\d+ characters\)")
    records = [t for t in texts if cut.fullmatch(t)]
    assert records, texts[:5]
    for text in records:
        kept = text.index("…")
        left_out = int(re.search(r"\+(\d+) characters", text)[1])  # type: ignore[index]
        assert kept + left_out == count  # the count is of the characters not shown
        assert len(text) <= 500  # MAX_LABEL_CHARS, as documented
        assert kept >= 450
    (caption,) = [t for t in texts if t.startswith("∂z") and " + " in t]  # x * x: two paths
    assert close4(float(caption.rsplit("= ", 1)[1]), _sigmoid_grad_of_square(1.5))


def _sigmoid_grad_of_square(x: float) -> float:
    s = sigmoid(x * x)
    return s * (1 - s) * 2 * x


def test_a_label_of_exactly_the_limit_is_kept_whole() -> None:
    for n, cut in ((500, False), (501, True)):
        x = Value(1.0, "b" * n)
        records = parse(draw_dot(x).source).records().values()
        (fields,) = [record_fields(a["label"]) for a in records]
        assert (fields[0] == "b" * n) is not cut
        assert len(fields[0]) <= 500


def _scientific(k: int) -> str:
    """2^k as ``m.mmme+E``, from k log10(2) (exact enough for 4 digits at k ~ 10^4)."""
    e = k * math.log10(2.0)
    exponent = math.floor(e)
    return f"{10 ** (e - exponent):.3f}e+{exponent}"


@pytest.mark.parametrize("k", [49, 50, 15_000])
def test_a_highlight_with_astronomically_many_paths(k: int) -> None:
    # x, 2x, 4x, ...: each `v + v` doubles the number of paths from x: 2^k paths to the root.
    x = Value(1.0, "x")
    v = x
    for _ in range(k):
        v = v + v
    v.label = "r"
    v.backward()
    dot = parse(draw_dot(v, highlight=x, max_nodes=k + 1).source)
    caption = dot.graph["label"]
    count = 2**k
    shown = str(count) if count < 10**15 else _scientific(k)
    assert f"the sum over the {shown} highlighted paths" in caption
    # d r / d x = 2^k: a float up to 2^1023, inf beyond
    total = caption.rsplit("= ", 1)[1]
    assert total == ("inf" if k > 1023 else f"{float(count):#.4g}")


def test_the_count_of_paths_in_scientific_form_rounds_up_across_a_power_of_ten() -> None:
    from autograd.draw import format_count

    assert format_count(10**15 - 1) == "999999999999999"
    assert format_count(10**15) == "1.000e+15"
    assert format_count(99_999_999 * 10**20) == "1.000e+28"  # 9.9999999 rounds to 10.000
    assert format_count(12_345 * 10**4996) == "1.234e+5000" or format_count(
        12_345 * 10**4996
    ) == "1.235e+5000"
    assert format_count(0) == "0"


# ---------------------------------------------------------------------------------------
# format= (as micrograd's draw_dot), and notebooks without Graphviz's dot
# ---------------------------------------------------------------------------------------


def _small() -> Value:
    a = Value(0.5, "a")
    b = named(a.exp(), "b")
    b.backward()
    return b


def test_format_is_the_graphs_format_svg_by_default(tmp_path: Path) -> None:
    assert draw_dot(_small()).format == "svg"
    g = draw_dot(_small(), format="png")
    assert g.format == "png"
    written = Path(g.render(str(tmp_path / "pic")))
    assert written.name == "pic.png"
    assert written.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = Path(draw_dot(_small()).render(str(tmp_path / "pic")))
    assert svg.name == "pic.svg"
    assert "data 0.5000" in _all_svg_texts(_svg_tree(svg.read_bytes()))


@pytest.mark.parametrize(("fmt", "mimetype"), [("svg", "image/svg+xml"), ("png", "image/png"),
                                               ("jpg", "image/jpeg"), ("pdf", "image/svg+xml")])
def test_a_notebook_shows_the_graph_in_its_format(fmt: str, mimetype: str) -> None:
    bundle = draw_dot(_small(), format=fmt)._repr_mimebundle_()
    assert list(bundle) == [mimetype]
    data = bundle[mimetype]
    if mimetype == "image/svg+xml":
        assert "data 0.5000" in _all_svg_texts(_svg_tree(data.encode()))
    elif mimetype == "image/png":
        assert data.startswith(b"\x89PNG")
    else:
        assert data.startswith(b"\xff\xd8")  # JPEG's start-of-image marker


@pytest.mark.parametrize(
    ("fmt", "error", "match"),
    [("SVG", ValueError, r"not 'SVG' \(did you mean 'svg'\?\)"),
     ("bmpx", ValueError, "such as svg, png, pdf, jpg"),
     ("", ValueError, "Graphviz's output formats"),
     (None, TypeError, "format must be a str"),
     (b"svg", TypeError, "not bytes")],
)
def test_bad_format(fmt: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        draw_dot(_small(), format=fmt)  # type: ignore[arg-type]


def test_without_dot_a_notebook_shows_the_source_and_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = draw_dot(_small(), format="png")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` anywhere
    bundle = g._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    text = bundle["text/plain"]
    assert "apt-get install graphviz" in text and "brew install graphviz" in text
    assert text.endswith(g.source)
    assert "ExecutableNotFound" in text
    with pytest.raises(graphviz.ExecutableNotFound):
        g.pipe()  # explicit rendering still raises: only the notebook display falls back


def test_a_failing_dot_shows_the_source_too(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    text = draw_dot(_small())._repr_mimebundle_()["text/plain"]
    assert "CalledProcessError" in text and "install Graphviz" in text


def test_the_drawing_class_is_a_digraph_and_pickles() -> None:
    import pickle

    from autograd import draw

    g = draw_dot(_small(), format="pdf")
    assert isinstance(g, graphviz.Digraph)
    assert type(g) is draw.Drawing
    again = pickle.loads(pickle.dumps(g))
    assert again.source == g.source and again.format == "pdf"
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        draw.Nothing  # noqa: B018


# ---------------------------------------------------------------------------------------
# Edge labels of every op with a formula: the formula's text and its number, by hand
# ---------------------------------------------------------------------------------------


def _edge_labels(root: Value, **kwargs: object) -> dict[tuple[str, str], list[str]]:
    """(result label, parent label) -> the labels of the edges between them."""
    dot = parse(draw_dot(root, edge_labels=True, **kwargs).source)  # type: ignore[arg-type]
    name_of = {nid: name for name, (nid, _) in dot.record_by_name().items()}
    result_of_op = {src: dst for src, dst, _ in dot.edges if src in dot.ops()}
    out: dict[tuple[str, str], list[str]] = {}
    for src, dst, attrs in dot.edges:
        if dst in dot.ops() and src not in dot.numbers():  # a number's edge has no label
            key = (name_of.get(result_of_op[dst], "?"), name_of.get(src, "?"))
            out.setdefault(key, []).append(attrs["label"])
    return out


def _formula_and_number(label: str) -> tuple[str | None, float]:
    lines = label.split("\\n")
    if len(lines) == 1:
        return None, float(lines[0])
    assert len(lines) == 2 and lines[1].startswith("= ")
    return lines[0], float(lines[1][2:])


X0 = 0.3


@pytest.mark.parametrize(
    ("method", "formula", "derivative"),
    [
        ("tanh", "∂r/∂x = 1 - r²", 1 - math.tanh(X0) ** 2),
        ("log", "∂r/∂x = 1/x", 1 / X0),
        ("exp", "∂r/∂x = r", math.exp(X0)),
        ("sigmoid", "∂r/∂x = r(1 - r)", math.exp(-X0) / (1 + math.exp(-X0)) ** 2),
    ],
)
def test_unary_edge_labels(method: str, formula: str, derivative: float) -> None:
    x = Value(X0, "x")
    r = named(getattr(x, method)(), "r")
    (label,) = _edge_labels(r)[("r", "x")]
    text, number = _formula_and_number(label)
    assert text == formula
    assert close4(number, derivative)
    # without names there is no formula, only the number
    bare = draw_dot(getattr(Value(X0), method)(), edge_labels=True).source
    (unnamed,) = [a["label"] for _, _, a in parse(bare).edges if "label" in a]
    assert _formula_and_number(unnamed) == (None, number)


def test_sub_neg_and_add_edges_show_plus_or_minus_one() -> None:
    from autograd.draw import symbolic_local_grad

    a, b = Value(1.5, "a"), Value(-2.5, "b")
    d = named(a - b, "d")
    n = named(-a, "n")
    s = named(a + b, "s")
    labels = _edge_labels(named(d + n + s, "top"))
    assert labels[("d", "a")] == ["1.000"] and labels[("d", "b")] == ["-1.000"]
    assert labels[("n", "a")] == ["-1.000"]
    assert labels[("s", "a")] == ["1.000"] and labels[("s", "b")] == ["1.000"]
    assert [symbolic_local_grad(d, i) for i in (0, 1)] == ["1", "-1"]
    assert symbolic_local_grad(n, 0) == "-1"
    assert [symbolic_local_grad(s, i) for i in (0, 1)] == ["1", "1"]


@pytest.mark.parametrize("reduction", ["mean", "sum", "half_sum"])
def test_squared_error_edge_labels(reduction: str) -> None:
    from autograd.draw import symbolic_local_grad

    outs = [0.2, 0.7, -0.4]
    targets = [0.5, 0.1, 0.0]
    os_ = [Value(v, f"o{k}") for k, v in enumerate(outs)]
    ys = [Value(v, f"y{k}") for k, v in enumerate(targets)]
    J = named(squared_error(os_, ys, reduction=reduction), "J")  # type: ignore[arg-type]
    labels = _edge_labels(J, precision=None)
    n = len(outs)
    for k, (o, y) in enumerate(zip(outs, targets)):
        if reduction == "mean":  # J = 1/n Σ (o - y)²: dJ/do = 2/n (o - y)
            do, fo, fy = 2 / n * (o - y), f"2/{n}·(o{k} - y{k})", f"-2/{n}·(o{k} - y{k})"
        elif reduction == "sum":  # J = Σ (o - y)²: dJ/do = 2 (o - y)
            do, fo, fy = 2 * (o - y), f"2(o{k} - y{k})", f"-2(o{k} - y{k})"
        else:  # J = 1/2 Σ (y - o)²: dJ/do = -(y - o)
            do, fo, fy = -(y - o), f"-(y{k} - o{k})", f"y{k} - o{k}"
        text_o, number_o = _formula_and_number(labels[("J", f"o{k}")][0])
        text_y, number_y = _formula_and_number(labels[("J", f"y{k}")][0])
        assert text_o == f"∂J/∂o{k} = {fo}"
        assert text_y == f"∂J/∂y{k} = {fy}"
        assert number_o == pytest.approx(do, rel=1e-15, abs=1e-17)
        assert number_y == pytest.approx(-do, rel=1e-15, abs=1e-17)
        assert symbolic_local_grad(J, k) == fo
        assert symbolic_local_grad(J, k + n) == fy
    # a target Value without a name: no formula for that output's pair
    unnamed = squared_error([Value(0.2, "o")], [Value(0.5)], reduction=reduction)  # type: ignore[arg-type]
    assert symbolic_local_grad(unnamed, 0) is None
    assert symbolic_local_grad(unnamed, 1) is None
    # a number target is no parent, and the formula writes it as its value
    number = squared_error([Value(0.2, "o")], [0.5], reduction=reduction)  # type: ignore[arg-type]
    assert number.parents == (number.inputs[0],)
    expected = {"mean": "2(o - 0.5)", "sum": "2(o - 0.5)", "half_sum": "-(0.5 - o)"}  # 2/n, n = 1
    assert symbolic_local_grad(number, 0) == expected[reduction]
    with pytest.raises(IndexError, match="index 1 is out of range for a node with 1 parent"):
        symbolic_local_grad(number, 1)


def test_weighted_sum_and_mul_edges_name_the_other_factor() -> None:
    from autograd.draw import symbolic_local_grad

    w = [Value(0.4, "w0"), Value(-0.6, "w1")]
    x = [Value(1.5, "x0"), Value(2.5, "x1")]
    b = Value(0.1, "b")
    net = named(weighted_sum(w, x, b), "net")
    m = named(net * w[0], "m")
    labels = _edge_labels(m)
    assert _formula_and_number(labels[("net", "w1")][0]) == ("∂net/∂w1 = x1", 2.5)
    assert _formula_and_number(labels[("net", "x0")][0]) == ("∂net/∂x0 = w0", 0.4)
    assert labels[("net", "b")] == ["1.000"]
    assert _formula_and_number(labels[("m", "net")][0]) == ("∂m/∂net = w0", 0.4)
    text, number = _formula_and_number(labels[("m", "w0")][0])
    assert text == "∂m/∂w0 = net" and close4(number, 0.4 * 1.5 - 0.6 * 2.5 + 0.1)
    assert [symbolic_local_grad(net, i) for i in range(5)] == ["x0", "x1", "w0", "w1", "1"]
    anonymous = weighted_sum([Value(1.0)], [Value(2.0)], Value(0.0))
    assert symbolic_local_grad(anonymous, 0) is None
    assert symbolic_local_grad(Value(2.0) * Value(3.0), 1) is None
    assert symbolic_local_grad(Value(2.0).relu(), 0) is None  # no formula for relu


# ---------------------------------------------------------------------------------------
# docs/make_pictures.py leaves the committed picture alone unless its content changes
# ---------------------------------------------------------------------------------------


def _make_pictures() -> Any:
    spec = importlib.util.spec_from_file_location("make_pictures", DOCS / "make_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shift_layout(svg: str) -> str:
    """The same picture with every x coordinate moved by 3.5 points, as other fonts do."""
    return re.sub(r' x="(-?[\d.]+)"', lambda m: f' x="{float(m[1]) + 3.5:.2f}"', svg)


def test_the_committed_picture_carries_no_graphviz_version_and_no_doctype() -> None:
    svg = (DOCS / "article_graph.svg").read_text(encoding="utf-8")
    assert "Generated by graphviz" not in svg and "<!DOCTYPE" not in svg
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n')
    _svg_tree(svg.encode())  # still well-formed XML


def test_the_committed_picture_has_the_content_the_script_makes_now() -> None:
    mp = _make_pictures()
    fresh = mp.article_graph().pipe(format="svg").decode()
    committed = (DOCS / "article_graph.svg").read_text(encoding="utf-8")
    texts, highlighted = mp.picture_content(committed)
    assert (texts, highlighted) == mp.picture_content(fresh)
    # w5 -> op -> net3 -> op -> o1 -> op -> J: 4 records, 3 op nodes and 6 edges
    assert len(highlighted) == 13
    assert ("w5", "data 0.5000", "grad 0.08217") not in highlighted  # w5's grad is -0.0226
    assert ("w5", "data 0.5000", "grad -0.02260") in highlighted
    assert texts == svg_texts(committed)


def test_make_pictures_leaves_a_layout_only_difference_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mp = _make_pictures()
    target = tmp_path / "article_graph.svg"
    assert mp.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    made = target.read_text(encoding="utf-8")
    assert "Generated by graphviz" not in made and "<!DOCTYPE" not in made
    assert svg_texts(made) == svg_texts((DOCS / "article_graph.svg").read_text(encoding="utf-8"))

    assert mp.main(["--out", str(tmp_path)]) == 0  # byte for byte the same
    assert capsys.readouterr().out == f"unchanged: {target}\n"

    # another layout and another Graphviz version: the file stays as it is
    moved = _shift_layout(made).replace(
        "<!-- Title:", "<!-- Generated by graphviz version 9.0.0 (0)\n -->\n<!-- Title:")
    assert moved != made
    target.write_text(moved, encoding="utf-8")
    assert mp.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"unchanged: {target} (the same texts and highlight; only the layout")
    assert target.read_text(encoding="utf-8") == moved

    assert mp.main(["--out", str(tmp_path), "--force"]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == made


@pytest.mark.parametrize(
    "change",
    [
        lambda svg: svg.replace(">data 0.5000<", ">data 0.5001<", 1),  # a number
        lambda svg: svg.replace(">w5<", ">w6<", 1),  # a name
        lambda svg: svg.replace('stroke="#c0392b"', 'stroke="#333333"', 1),  # the highlight
    ],
)
def test_make_pictures_rewrites_a_picture_whose_content_changed(
    change: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mp = _make_pictures()
    target = tmp_path / "article_graph.svg"
    mp.main(["--out", str(tmp_path)])
    made = target.read_text(encoding="utf-8")
    stale = change(made)
    assert stale != made
    target.write_text(stale, encoding="utf-8")
    capsys.readouterr()
    assert mp.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == made


# ---------------------------------------------------------------------------------------
# Details that a reader of the picture relies on (each pinned by a test)
# ---------------------------------------------------------------------------------------


def test_visible_keeps_every_printable_character_next_to_a_control() -> None:
    from autograd.draw import visible

    # one control character forces the slow path; everything else must come through as is
    kept = "X\xa0\u00a1\ue000\U0001f600 ab"
    assert visible(kept + "\x00") == kept + "␀"
    assert visible("\x00\x9f\xa0") == "␀\\x9f\xa0"
    assert visible("\ud7ff\ud800\udfff\ue000") == "\ud7ff\\ud800\\udfff\ue000"
    assert visible("plain") == "plain"


def test_shorten_counts_what_it_leaves_out() -> None:
    from autograd.draw import shorten

    assert shorten("abc", 3) == "abc"
    assert shorten("abcd", 3) == "…(+4 characters)"  # the limit is below the tail's length
    text = "0123456789" * 10
    cut = shorten(text, 40)
    assert cut == text[:22] + "…(+78 characters)" and len(cut) == 39


def test_format_count_and_number_edges() -> None:
    from autograd.draw import format_count, format_number

    assert format_count(99_996 * 10**20) == "1.000e+25"  # 9.9996 shows as 10.000: carry
    assert format_count(99_994 * 10**20) == "9.999e+24"
    assert format_count(96 * 10**20) == "9.600e+21"
    assert format_number(math.pi) == "3.142"  # 4 significant digits by default
    assert format_number(-math.inf) == "-inf" and format_number(math.inf) == "inf"
    assert format_number(-0.5, None) == "-0.5"


def test_add_n_edges_are_one() -> None:
    from autograd import add_n
    from autograd.draw import symbolic_local_grad

    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    s = named(add_n([a, b, c]), "s")
    assert [symbolic_local_grad(s, i) for i in range(3)] == ["1", "1", "1"]
    labels = _edge_labels(s)
    assert labels[("s", "a")] == ["1.000"] and labels[("s", "c")] == ["1.000"]


def _caption(root: Value, highlight: Value, **kwargs: Any) -> str:
    return parse(draw_dot(root, highlight=highlight, **kwargs).source).graph["label"]


def test_captions_of_unnamed_nodes_and_their_precision() -> None:
    from autograd.draw import _reaching, chain_caption

    x = Value(0.5)
    r = x.exp().exp()  # no labels anywhere: d r / d x = e^(e^x) e^x
    want = math.exp(math.exp(0.5)) * math.exp(0.5)
    ex = math.exp(0.5)
    assert _caption(r, x) == (f"∂root/∂v = ({math.exp(ex):#.4g})({ex:#.4g}) = {want:#.4g}")
    assert _caption(r, x, precision=2) == (
        f"∂root/∂v = ({math.exp(ex):#.2g})({ex:#.2g}) = {want:#.2g}"
    )
    order = topological_order(r)
    assert chain_caption(order, x, _reaching(order, x)).endswith(f" = {want:#.4g}")
    # a path with one unnamed step is written with its numbers only
    y = Value(0.5, "y")
    mid = y.exp()
    top = named(mid.exp(), "top")
    assert _caption(top, y) == f"∂top/∂y = ({math.exp(ex):#.4g})({ex:#.4g}) = {want:#.4g}"


def test_captions_of_several_paths_are_sums_of_products() -> None:
    x = Value(1.5, "x")
    s = named(x * x, "s")
    assert _caption(s, x) == "∂s/∂x = (1.500) + (1.500) = 3.000"
    # four paths: x*x*x*x as (x*x)*(x*x) with a shared x
    sq = named(x * x, "sq")
    q = named(sq * sq, "q")  # dq/dx = 4x^3; paths: 2 (into q) * 2 (into sq) = 4
    caption = _caption(q, x)
    products = caption.split(" = ")[1].split(" + ")
    assert len(products) == 4
    assert close4(float(caption.rsplit("= ", 1)[1]), 4 * 1.5**3)
    assert all(re.fullmatch(r"\([\d.]+\)\([\d.]+\)", p) for p in products)
    five = named(q * x, "five")  # 5 paths: spelled no more
    assert "the sum over the 5 highlighted paths" in _caption(five, x)


def _unary_chain(n: int) -> tuple[Value, Value]:
    x = Value(0.1, "x")
    v = x
    for k in range(n):
        v = named(v * 1.0 if k % 2 else v + 0.0, f"v{k}")
    return x, v


def test_a_single_path_of_24_factors_is_spelled_and_of_25_is_not() -> None:
    x, v = _unary_chain(24)
    caption = _caption(v, x, max_nodes=100)
    assert caption.count("∂") == 2 + 2 * 24 and caption.endswith("= 1.000")
    x, v = _unary_chain(25)
    assert "the sum over the 1 highlighted paths" in _caption(v, x, max_nodes=100)


def test_the_spelled_caption_may_fill_exactly_the_text_limit() -> None:
    from autograd.draw import MAX_TEXT_CHARS

    def caption_for(shape: int, root_name: str) -> str:
        x = Value(1.0, "x" * 500)
        if shape == 1:  # one factor: (2.718) = 2.718
            return _caption(named(x.exp(), root_name), x)
        m = named(x * 0.5, "m")  # two factors: (1.649)(0.5000) = 0.8244
        return _caption(named(m.exp(), root_name), x)

    # the caption grows by 2 characters per character of the root's name (it appears twice);
    # one of the two shapes reaches the limit exactly
    for shape in (1, 2):
        base = len(caption_for(shape, "r")) - 2
        if (MAX_TEXT_CHARS - base) % 2 == 0:
            break
    name = "r" * ((MAX_TEXT_CHARS - base) // 2)
    at_limit = caption_for(shape, name)
    assert len(at_limit) == MAX_TEXT_CHARS
    assert at_limit.count("∂") == 2 * (1 + shape)  # spelled with symbols
    over = caption_for(shape, name + "r")
    assert over.count("∂") == 2  # one character more: numbers only
    assert over.endswith(at_limit[at_limit.rindex(" = (") :])


def test_a_long_caption_keeps_its_total() -> None:
    x = Value(1.5, "x" * 400)
    sq = named(x * x, "s" * 400)
    q = named(sq * sq * x, "q" * 400)  # several paths, long names
    caption = _caption(q, x)
    assert len(caption) <= 1500
    assert close4(float(caption.rsplit("= ", 1)[1]), 5 * 1.5**4)


def test_many_paths_through_a_few_nodes_are_counted_not_listed() -> None:
    x = Value(1.0, "x")
    v = x
    for _ in range(22):  # 23 nodes, 2^22 = 4194304 paths
        v = v + v
    v.label = "r"
    started = time.perf_counter()
    caption = _caption(v, x)
    assert time.perf_counter() - started < 2.0  # no listing of four million paths
    assert "the sum over the 4194304 highlighted paths" in caption
    assert caption.endswith(f"= {2.0**22:#.4g}")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rankdir": 1}, "rankdir must be a str, one of TB, LR, BT, RL, not int"),
        ({"highlight": 1.0}, "highlight must be a Value of the graph or None, not float"),
        ({"max_nodes": 2.5}, "max_nodes must be an int, not float"),
        ({"max_nodes": True}, "max_nodes must be an int, not bool"),
        ({"precision": "4"}, "precision must be an int or None, not str"),
        ({"precision": 18}, "precision must be between 1 and 17 significant digits, not 18"),
        ({"show_grad": "yes"}, "show_grad must be True or False, not str"),
        ({"symbolic": 1}, "symbolic must be True or False, not int"),
        ({"format": "bmpx"}, None),
    ],
)
def test_bad_option_messages_in_full(kwargs: dict[str, object], message: str | None) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        draw_dot(Value(1.0, "a"), **kwargs)  # type: ignore[arg-type]
    if message is None:  # no "did you mean" when no format matches
        assert str(info.value).endswith("graphviz.FORMATS), not 'bmpx'")
    else:
        assert str(info.value) == message


def test_option_limits_are_inclusive() -> None:
    a = Value(math.pi, "a")
    assert len(parse(draw_dot(a, max_nodes=1).source).records()) == 1
    fields = parse(draw_dot(a, precision=1).source).record_by_name()["a"][1]
    assert fields[1] == "data 3."
    fields = parse(draw_dot(a, precision=17).source).record_by_name()["a"][1]
    assert fields[1] == f"data {math.pi:#.17g}"


def test_the_highlight_error_names_both_values() -> None:
    b = named(Value(1.0, "a").exp(), "b")
    with pytest.raises(ValueError) as info:
        draw_dot(b, highlight=Value(2.0, "stranger"))
    assert str(info.value) == ("highlight Value 'stranger' (data=2.0) is not in the graph under "
                               "the root 'b': pass one of its nodes")
    with pytest.raises(ValueError) as info:
        draw_dot(Value(1.0).exp(), highlight=Value(2.5))
    assert str(info.value) == ("highlight Value (data=2.5) is not in the graph under the root: "
                               "pass one of its nodes")


def test_the_graph_name_and_default_look() -> None:
    source = draw_dot(_small()).source
    assert source.startswith("digraph autograd {\n")
    lines = {line.split(" ", 1)[0].strip(): _attrs(line.split("[", 1)[1].rstrip("]"))
             for line in source.splitlines()[1:4]}
    assert lines["graph"] == {"bgcolor": "white", "fontname": "Helvetica,Arial,sans-serif",
                              "fontsize": "12", "nodesep": "0.25", "rankdir": "LR",
                              "ranksep": "0.35", "forcelabels": "true"}
    assert lines["node"] == {"color": "#333333", "fontcolor": "black",
                             "fontname": "Helvetica,Arial,sans-serif", "fontsize": "11"}
    assert lines["edge"] == {"arrowsize": "0.7", "color": "#333333",
                             "fontname": "Helvetica,Arial,sans-serif", "fontsize": "10"}


def test_record_and_operation_attributes() -> None:
    # leaves tinted, computed nodes white, the root with a double border; op nodes small
    # grey ovals; the highlighted path bold, thick and red with black text on a pale red fill
    x, k = Value(0.5, "x"), Value(2.0, "k")
    u = named(x * k, "u")
    root = named(u.exp(), "root")
    root.backward()
    dot = parse(draw_dot(root, highlight=u).source)
    recs = {name: dot.nodes[nid] for name, (nid, _) in dot.record_by_name().items()}
    assert record_fields(recs["x"]["label"]) == ["x", "data 0.5000", "grad 5.437"]
    assert {k: v for k, v in recs["x"].items() if k != "label"} == {
        "shape": "box", "style": "filled", "fillcolor": "#eef3fb", "margin": "0.06,0.03"}
    assert recs["k"]["fillcolor"] == "#eef3fb" and "peripheries" not in recs["k"]
    highlighted = {"shape": "box", "style": "filled,bold", "fillcolor": "#fde8e4",
                   "color": "#c0392b", "penwidth": "2.8", "fontcolor": "black",
                   "margin": "0.06,0.03"}
    assert {k: v for k, v in recs["u"].items() if k != "label"} == highlighted
    assert {k: v for k, v in recs["root"].items() if k != "label"} == {**highlighted,
                                                                        "peripheries": "2"}
    plain = parse(draw_dot(root).source)
    prec = {name: plain.nodes[nid] for name, (nid, _) in plain.record_by_name().items()}
    assert {k: v for k, v in prec["u"].items() if k != "label"} == {
        "shape": "box", "style": "filled", "fillcolor": "#ffffff", "margin": "0.06,0.03"}
    assert prec["root"]["peripheries"] == "2"
    op_attrs = {"shape": "ellipse", "style": "filled", "fillcolor": "#f3f3f3",
                "fontsize": "10", "height": "0.3", "margin": "0.04,0.02"}
    ops = plain.ops()
    assert sorted(a["label"] for a in ops.values()) == ["*", "exp"]
    for attrs in ops.values():
        assert {k: v for k, v in attrs.items() if k != "label"} == op_attrs
    # on the highlighted path (above u): the exp op is marked, the * op below u is not
    marked = {a["label"]: a for a in dot.ops().values()}
    assert {k: v for k, v in marked["exp"].items() if k != "label"} == {
        **op_attrs, "style": "filled,bold", "fillcolor": "#fde8e4", "color": "#c0392b",
        "penwidth": "2.8", "fontcolor": "black"}
    assert {k: v for k, v in marked["*"].items() if k != "label"} == op_attrs
    # a highlighted edge label is red too
    edges = parse(draw_dot(root, highlight=u, edge_labels=True).source).edges
    (on_edge,) = [a for _, _, a in edges if "label" in a and "penwidth" in a]
    assert (on_edge["color"], on_edge["fontcolor"], on_edge["style"]) == (
        "#c0392b", "#c0392b", "bold")


def test_an_edge_formula_without_both_names_has_no_left_side() -> None:
    from autograd.value import as_value

    x = Value(0.5, "x")
    y = named(x * as_value(2.0), "y")  # d y / d 2.0 = x; the constant Value has no name
    labels = [a["label"] for _, _, a in parse(draw_dot(y, edge_labels=True).source).edges
              if "label" in a]
    assert sorted(labels) == ["2.000", "x\\n= 0.5000"]
    # with a number instead, only x's edge is labelled: a number gets no derivative
    z = named(x * 2.0, "z")
    labels = [a["label"] for _, _, a in parse(draw_dot(z, edge_labels=True).source).edges
              if "label" in a]
    assert labels == ["2.000"]


def test_long_edge_label_lines_are_cut_at_the_text_limit() -> None:
    x = Value(1.5, "a" * 2000)
    y = named(x * x, "b" * 2000)
    lines = [line for _, _, a in parse(draw_dot(y, edge_labels=True).source).edges
             if "label" in a for line in a["label"].split("\\n")]
    assert max(len(line) for line in lines) == 1500


def test_a_none_gradient_is_drawn_as_none() -> None:
    from autograd.draw import format_number

    # zero_grad(set_to_none=True) leaves .grad None: "no gradient yet", drawn as such
    x = Value(1.5, "x")
    y = x * 2.0
    y.label = "y"
    x.grad = None
    source = draw_dot(y).source
    x_record = next(line for line in source.splitlines() if "<B>x</B>" in line)
    assert "None" in x_record
    assert format_number(None) == "None"


# ---------------------------------------------------------------------------------------
# Number operands (no nodes of the graph since the lean layout): boxes, operand order, and
# formulas that index the operands, not the parents
# ---------------------------------------------------------------------------------------


def _into_op(dot: Dot, result: str) -> list[tuple[str, dict[str, str]]]:
    """The edges into the op node of the record named ``result``, in declaration order."""
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    (op,) = [src for src, dst, _ in dot.edges if dst == rid[result] and src in dot.ops()]
    return [(src, a) for src, dst, a in dot.edges if dst == op]


def test_a_number_on_the_left_keeps_its_operand_place_and_sign() -> None:
    from autograd.draw import symbolic_local_grad

    x = Value(3.0, "x")
    z = named(2.0 - x, "z")  # d z / d x = -1: x is the second operand
    dot = parse(draw_dot(z, edge_labels=True).source)
    ((box, attrs),) = dot.numbers().items()
    assert attrs["label"] == "2.000"
    into = _into_op(dot, "z")
    assert [src for src, _ in into] == [box, dot.record_by_name()["x"][0]]
    assert "label" not in into[0][1] and into[1][1]["label"] == "-1.000"
    assert symbolic_local_grad(z, 0) == "-1"
    assert symbolic_local_grad(named(x - 2.0, "w"), 0) == "1"


def test_weighted_sum_of_number_inputs() -> None:
    from autograd.draw import symbolic_local_grad

    w = [Value(0.4, "w0"), Value(-0.6, "w1")]
    b = Value(0.1, "b")
    net = named(weighted_sum(w, [0.05, 0.1], b), "net")  # parents (w0, w1, b)
    dot = parse(draw_dot(net, edge_labels=True, precision=None).source)
    into = _into_op(dot, "net")
    rid = {name: nid for name, (nid, _) in dot.record_by_name().items()}
    boxes = dot.numbers()
    # operands in the row's order: w0, w1, 0.05, 0.1, b
    assert [src for src, _ in into][:2] == [rid["w0"], rid["w1"]]
    assert [boxes[src]["label"] for src, _ in into[2:4]] == ["0.05", "0.1"]
    assert into[4][0] == rid["b"]
    # d net / d w_i = x_i, a number: no formula beside it; d net / d b = 1
    assert [label_number(a["label"]) for _, a in into if "label" in a] == [0.05, 0.1, 1.0]
    assert [a["label"] for _, a in into if "label" in a] == ["0.05", "0.1", "1.0"]
    assert [symbolic_local_grad(net, i) for i in range(3)] == [None, None, "1"]
    assert symbolic_local_grad(net, -1) == "1"
    assert symbolic_local_grad(net, -3) is None  # w0, as a sequence index counts back
    with pytest.raises(IndexError, match="index 3 is out of range for a node with 3 parent"):
        symbolic_local_grad(net, 3)
    with pytest.raises(IndexError, match="index -4"):
        symbolic_local_grad(net, -4)
    # with Value inputs the same weights name their inputs
    xs = [Value(0.05, "x0"), Value(0.1, "x1")]
    full = named(weighted_sum(w, xs, b), "net")
    assert [symbolic_local_grad(full, i) for i in range(5)] == ["x0", "x1", "w0", "w1", "1"]


def test_number_targets_of_the_loss_are_boxes_and_written_into_the_formula() -> None:
    o = [Value(0.75, "o0"), Value(0.25, "o1")]
    J = named(squared_error(o, [0.01, 0.99], reduction="half_sum"), "J")
    labels = _edge_labels(J, precision=None)
    assert set(labels) == {("J", "o0"), ("J", "o1")}
    # dJ/do_i = -(y_i - o_i), by hand
    assert _formula_and_number(labels[("J", "o0")][0]) == ("∂J/∂o0 = -(0.01 - o0)", -(0.01 - 0.75))
    assert _formula_and_number(labels[("J", "o1")][0]) == ("∂J/∂o1 = -(0.99 - o1)", -(0.99 - 0.25))
    boxes = parse(draw_dot(J, edge_labels=True, precision=None).source).numbers()
    assert sorted(a["label"] for a in boxes.values()) == ["0.01", "0.99"]


def test_numbers_are_never_highlighted_and_print_inf_and_nan() -> None:
    x = Value(0.5, "x")
    y = named(x / 4.0 + math.inf, "y")
    z = named(y * math.nan, "z")
    dot = parse(draw_dot(z, highlight=x, edge_labels=True).source)
    assert sorted(a["label"] for a in dot.numbers().values()) == ["4.000", "inf", "nan"]
    assert not any(_is_highlighted(a) for a in dot.numbers().values())
    boxes = set(dot.numbers())
    for src, _, attrs in dot.edges:
        if src in boxes:
            assert attrs == {"color": "#8a8a8a"}  # plain grey, no label, never bold
    # d (x / 4) / d x = 1/4, by hand
    (label,) = _edge_labels(z)[("?", "x")]
    assert label_number(label) == 0.25
    # the caption's chain rule runs over Values only: dz/dx = nan * 1 * 1/4
    assert dot.graph["label"].endswith("= nan")


def test_the_drawing_of_number_operands_renders() -> None:
    x = Value(3.0, "x")
    y = named(x * 2.0 + 1.0, "y")
    svg = draw_dot(y, edge_labels=True).pipe(format="svg").decode()
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = [t.text for t in root.iterfind(".//s:g[@class='node']/s:title", ns)]
    assert sorted(t for t in titles if t and "_num" in t) == ["n1_num1", "n2_num1"]
    texts = [t.text for t in root.iterfind(".//s:text", ns)]
    assert texts.count("2.000") == 2  # the box 2 and the edge label d(2x)/dx = 2
    assert "1.000" in texts


def test_a_custom_op_with_a_number_and_a_long_symbol() -> None:
    from autograd.ops import Op

    # op symbols are cut at MAX_TEXT_CHARS = 1500: 2000 characters keep 1500 - len("…(+2000
    # characters)") = 1481 of them, then "…(+519 characters)"
    for length, shown in ((1000, 1000), (2000, 1481 + len("…(+519 characters)"))):
        op = Op("scaled", "s" * length, lambda a, c: a * c, lambda out, a, c: (c, a),
                "d(a c)/da = c", arity=2)
        x = Value(1.5, "x")
        y = named(apply(op, x, 4.0), "y")
        assert (y.parents, y.inputs, y.local_grads) == ((x,), (x, 4.0), (4.0,))
        dot = parse(draw_dot(y, edge_labels=True).source)
        (symbol,) = [a["label"] for a in dot.ops().values()]
        assert len(symbol) == shown and symbol.startswith("sss") and len(symbol) <= 1500
        assert [a["label"] for a in dot.numbers().values()] == ["4.000"]
        # a custom op's edge shows its own Op.formula text
        assert _edge_labels(y) == {("y", "x"): ["d(a c)/da = c\\n= 4.000"]}


def test_the_chain_rule_caption_sits_below_in_the_highlight_colour() -> None:
    x = Value(0.5, "x")
    y = named(x * 3.0, "y")
    dot = parse(draw_dot(y, highlight=x).source)
    assert (dot.graph["labelloc"], dot.graph["fontcolor"]) == ("b", "#c0392b")
    assert dot.graph["label"] == "∂y/∂x = ∂y/∂x = (3.000) = 3.000"
