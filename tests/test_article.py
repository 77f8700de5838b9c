"""The article's network end to end, against a plain-float implementation of the article's
delta rule written here (independent of nn.article) and Mazur's published figures; the
`python -m nn.article` report parsed and checked, in-process and in a subprocess."""

from __future__ import annotations

import io
import itertools
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import graphviz
import pytest

from autograd import Value, topological_order
from nn import MLP, mse_loss
from nn.article import (
    FORMULAS,
    WORKED_EXAMPLE,
    ArticlePass,
    build_network,
    forward,
    hand_forward,
    hand_gradients,
    main,
    train,
    write_graph,
)

REPO = Path(__file__).resolve().parent.parent

# -- the reference: the article's formulas in plain floats, written for this test ----------

X = (0.05, 0.10)
Y = (0.01, 0.99)
# The article's names; the weight from input i into neuron j of a layer is w_{2i+j}.
W0 = {"w0": 0.15, "w2": 0.20, "w1": 0.25, "w3": 0.30,
      "w4": 0.40, "w6": 0.45, "w5": 0.50, "w7": 0.55}
B0 = {"b0": 0.35, "b1": 0.35, "b2": 0.60, "b3": 0.60}
LR = 0.5


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def reference(w: dict[str, float], b: dict[str, float]) -> tuple[dict[str, float],
                                                                  dict[str, float]]:
    """(forward values, dJ/dparameter) by the article's delta rule."""
    x0, x1 = X
    y0, y1 = Y
    net0 = w["w0"] * x0 + w["w2"] * x1 + b["b0"]
    net1 = w["w1"] * x0 + w["w3"] * x1 + b["b1"]
    a0, a1 = logistic(net0), logistic(net1)
    net2 = w["w4"] * a0 + w["w6"] * a1 + b["b2"]
    net3 = w["w5"] * a0 + w["w7"] * a1 + b["b3"]
    o0, o1 = logistic(net2), logistic(net3)
    J = 0.5 * (y0 - o0) ** 2 + 0.5 * (y1 - o1) ** 2
    # dJ/do_i = -(y_i - o_i); do/dnet = o(1 - o); dnet/dw = the input it multiplies
    delta2 = -(y0 - o0) * o0 * (1 - o0)
    delta3 = -(y1 - o1) * o1 * (1 - o1)
    # dJ/da0 collects both outputs: (dJ_0/da0 + dJ_1/da0) = delta2 w4 + delta3 w5
    delta0 = (delta2 * w["w4"] + delta3 * w["w5"]) * a0 * (1 - a0)
    delta1 = (delta2 * w["w6"] + delta3 * w["w7"]) * a1 * (1 - a1)
    grads = {
        "w0": delta0 * x0, "w2": delta0 * x1, "w1": delta1 * x0, "w3": delta1 * x1,
        "w4": delta2 * a0, "w6": delta2 * a1, "w5": delta3 * a0, "w7": delta3 * a1,
        "b0": delta0, "b1": delta1, "b2": delta2, "b3": delta3,
    }
    values = {"net0": net0, "net1": net1, "a0": a0, "a1": a1, "net2": net2, "net3": net3,
              "o0": o0, "o1": o1, "J": J}
    return values, grads


def reference_training(steps: int, train_biases: bool = False) -> list[float]:
    """The cost at each of `steps` forward passes, then the final cost."""
    w, b = dict(W0), dict(B0)
    costs = []
    for _ in range(steps):
        values, grads = reference(w, b)
        costs.append(values["J"])
        w = {k: v - LR * grads[k] for k, v in w.items()}
        if train_biases:
            b = {k: v - LR * grads[k] for k, v in b.items()}
    costs.append(reference(w, b)[0]["J"])
    return costs


REF_VALUES, REF_GRADS = reference(W0, B0)
REF_UPDATED = {k: v - LR * REF_GRADS[k] for k, v in W0.items()}


def published(text: str) -> tuple[float, float]:
    """A figure as published (Mazur's post) and half a unit of its last digit."""
    decimals = len(text.split(".")[1])
    return float(text), 0.5 * 10.0**-decimals + 1e-15


def assert_published(value: float, text: str) -> None:
    number, tolerance = published(text)
    assert abs(value - number) <= tolerance, (value, text)


# Mazur's names -> the article's: his w1..w8 are the article's w0 w2 w1 w3 w4 w6 w5 w7.
MAZUR = {"w1": "w0", "w2": "w2", "w3": "w1", "w4": "w3",
         "w5": "w4", "w6": "w6", "w7": "w5", "w8": "w7"}


@pytest.fixture
def article() -> ArticlePass:
    p = forward(build_network())
    p.J.backward()
    return p


# -- the network ---------------------------------------------------------------------------


def test_worked_example_constants() -> None:
    assert WORKED_EXAMPLE.inputs == X
    assert WORKED_EXAMPLE.targets == Y
    assert dict(WORKED_EXAMPLE.weights) == W0
    assert dict(WORKED_EXAMPLE.biases) == B0
    assert WORKED_EXAMPLE.learning_rate == LR
    with pytest.raises(AttributeError):
        WORKED_EXAMPLE.learning_rate = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        WORKED_EXAMPLE.weights["w0"] = 1.0  # type: ignore[index]


def test_build_network_is_the_2_2_2_sigmoid_mlp_with_labelled_parameters() -> None:
    model = build_network()
    assert isinstance(model, MLP)
    assert model.architecture()["nouts"] == [2, 2]
    assert model.architecture()["activations"] == ["sigmoid", "sigmoid"]
    (h0, h1), (_n2, n3) = (layer.neurons for layer in model.layers)
    got = {p.label: p.data for p in model.parameters()}
    assert got == {**W0, **B0}
    assert [h0.w[0].label, h0.w[1].label, h1.w[0].label, h1.w[1].label] == ["w0", "w2", "w1", "w3"]
    assert [n3.w[0].label, n3.w[1].label, n3.b.label] == ["w5", "w7", "b3"]


def test_forward_matches_the_reference_and_mazurs_figures(article: ArticlePass) -> None:
    for name, want in REF_VALUES.items():
        assert abs(getattr(article, name).data - want) <= 1e-12, name
    assert_published(article.net0.data, "0.3775")  # net_h1
    assert_published(article.a0.data, "0.593269992")  # out_h1
    assert_published(article.a1.data, "0.596884378")  # out_h2
    assert_published(article.net2.data, "1.105905967")  # net_o1
    assert_published(article.o0.data, "0.75136507")  # out_o1
    assert_published(article.o1.data, "0.772928465")  # out_o2
    assert_published(article.J.data, "0.298371109")  # E_total


def test_all_twelve_gradients_match_the_delta_rule(article: ArticlePass) -> None:
    assert set(article.params) == set(REF_GRADS)
    for name, want in REF_GRADS.items():
        assert abs(article.params[name].grad - want) <= 1e-12, name
    # Mazur: dE/dw5 = 0.082167041 (the article's w4) and dE/dw1 = 0.000438568 (w0)
    assert_published(article.params["w4"].grad, "0.082167041")
    assert_published(article.params["w0"].grad, "0.000438568")


def test_the_articles_w5_chain(article: ArticlePass) -> None:
    # dJ/dw5 = dJ/do1 * do1/dnet3 * dnet3/dw5 = -(y1 - o1) * o1(1 - o1) * a0
    o1, a0, y1 = article.o1.data, article.a0.data, Y[1]
    chain = -(y1 - o1) * (o1 * (1 - o1)) * a0
    assert abs(article.params["w5"].grad - chain) <= 1e-15
    net3 = article.net3
    assert net3.op == "wsum"
    w = article.params
    assert net3.parents == (w["w5"], w["w7"], article.a0, article.a1, w["b3"])
    assert net3.local_grads[0] == article.a0.data  # d net3 / d w5 = a0


def test_one_update_matches_the_reference_and_mazurs_figures(article: ArticlePass) -> None:
    from nn import SGD

    weights = [article.params[name] for name in W0]
    SGD(weights, lr=LR).step()
    for name, want in REF_UPDATED.items():
        assert abs(article.params[name].data - want) <= 1e-12, name
    for name, value in B0.items():
        assert article.params[name].data == value  # biases fixed, as in the worked example
    figures = {"w1": "0.149780716", "w2": "0.19956143", "w3": "0.24975114",
               "w4": "0.29950229", "w5": "0.35891648", "w6": "0.408666186",
               "w7": "0.511301270", "w8": "0.561370121"}
    for mazur_name, text in figures.items():
        assert_published(article.params[MAZUR[mazur_name]].data, text)


def test_every_node_carries_the_articles_name(article: ArticlePass) -> None:
    labels = [node.label for node in topological_order(article.J)]
    expected = {*W0, *B0, "x0", "x1", "y0", "y1", "net0", "net1", "net2", "net3",
                "a0", "a1", "o0", "o1", "J"}
    assert sorted(labels) == sorted(expected)  # each once: 25 nodes, all named
    assert article.J.op == "half_sse"
    assert article.o1.op == "sigmoid"
    assert set(article.nodes()) == expected - set(W0) - set(B0)


def test_hand_helpers_agree_with_the_test_reference() -> None:
    values = hand_forward()
    grads = hand_gradients()
    for name, want in REF_VALUES.items():
        assert abs(values[name] - want) <= 1e-15, name
    for name, want in REF_GRADS.items():
        assert abs(grads[name] - want) <= 1e-15, name
    other_w = {k: v * 1.5 - 0.1 for k, v in W0.items()}
    other_b = {k: v + 0.2 for k, v in B0.items()}
    _, want = reference(other_w, other_b)
    got = hand_gradients(X, Y, other_w, other_b)
    assert all(abs(got[k] - want[k]) <= 1e-15 for k in want)
    assert set(FORMULAS) == set(REF_GRADS)
    assert FORMULAS["w5"] == "-(y1 - o1) * o1(1 - o1) * a0"


def test_forward_on_other_inputs_matches_the_engine_and_hand() -> None:
    p = forward(build_network(), [1.0, -2.0], [0.3, 0.6])
    p.J.backward()
    hand = hand_gradients([1.0, -2.0], [0.3, 0.6])
    assert all(abs(p.params[k].grad - hand[k]) <= 1e-12 for k in hand)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: forward(MLP(2, [3, 2])), ValueError, "2-2-2 sigmoid MLP"),
        (lambda: forward(MLP(2, [2, 2], "tanh")), ValueError, "2-2-2 sigmoid MLP"),
        (lambda: forward("net"), TypeError, "not str"),
        (lambda: forward(build_network(), [0.05]), ValueError, "inputs must be two numbers"),
        (lambda: forward(build_network(), "ab"), TypeError, "inputs must be two numbers"),
        (lambda: forward(build_network(), [0.05, "x"]), TypeError, r"inputs\[1\]"),
        (lambda: forward(build_network(), X, [0.1, 0.2, 0.3]), ValueError, "targets"),
    ],
)
def test_forward_rejects_bad_arguments(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


# -- training ------------------------------------------------------------------------------


def test_training_cost_falls_monotonically_for_1000_steps() -> None:
    model, costs = train(1000, LR)
    assert len(costs) == 1001
    assert all(b < a for a, b in itertools.pairwise(costs))
    want = reference_training(1000)
    assert all(abs(c - w) <= 1e-12 for c, w in zip(costs, want))
    biases = {p.label: p.data for p in model.parameters() if p.label.startswith("b")}
    assert biases == B0  # weight-only updates


def test_ten_thousand_weight_only_updates_drive_the_cost_below_4e_5() -> None:
    _, costs = train(10_000, LR)
    assert costs[-1] < 4e-5
    want = reference_training(10_000)
    assert abs(costs[-1] - want[-1]) <= 1e-12
    # Mazur: "after repeating this process 10,000 times ... the error plummets to
    # 0.0000351085": the cost of the 10,000th forward pass (after 9,999 updates).
    assert_published(costs[9_999], "0.0000351085")


def test_training_the_biases_too() -> None:
    model, costs = train(200, LR, train_biases=True)
    want = reference_training(200, train_biases=True)
    assert all(abs(c - w) <= 1e-12 for c, w in zip(costs, want))
    assert all(p.data != B0[p.label] for p in model.parameters() if p.label in B0)
    assert costs[-1] < reference_training(200)[-1]


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    train(400, LR, out=out)
    text = out.getvalue()
    assert text.count("\r") >= 100
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert "step 400/400" in text


def test_progress_without_a_terminal_prints_about_ten_lines() -> None:
    out = io.StringIO()
    train(1000, LR, out=out)
    lines = out.getvalue().splitlines()
    assert 10 <= len(lines) <= 12
    assert "\r" not in out.getvalue()
    assert lines[-1].strip().startswith("step 1000/1000")


def test_an_mlp_learns_xor() -> None:
    from nn import SGD

    xs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    ys = [0.0, 1.0, 1.0, 0.0]
    for seed in (0, 1, 2):
        model = MLP(2, [4, 1], "tanh", "sigmoid", seed=seed)
        opt = SGD(model.parameters(), lr=0.5, momentum=0.9)
        for _ in range(300):
            loss = mse_loss([model(x) for x in xs], ys)
            opt.zero_grad()
            loss.backward()
            opt.step()
        outs = [model(x).data for x in xs]
        assert all(abs(o - y) < 0.1 for o, y in zip(outs, ys)), (seed, outs)
        again = MLP(2, [4, 1], "tanh", "sigmoid", seed=seed)
        assert again.state_dict() != model.state_dict()  # it trained, from a seeded start


# -- the report ----------------------------------------------------------------------------

NUMBER = r"[-+]?\d+\.\d+(?:e[-+]\d+)?"


def parse_report(text: str) -> dict[str, Any]:
    """The numbers of the `python -m nn.article` report."""
    forward_values: dict[str, float] = {}
    for m in re.finditer(rf"(net\d) = [^=\n]+ = ({NUMBER})\s+([ao]\d) = Sigmoid\(net\d\) = "
                         rf"({NUMBER})", text):
        forward_values[m[1]] = float(m[2])
        forward_values[m[3]] = float(m[4])
    j = re.search(rf"J\(W\) = 1/2 \(y0 - o0\)\^2 \+ 1/2 \(y1 - o1\)\^2 = ({NUMBER})", text)
    assert j is not None
    forward_values["J"] = float(j[1])
    gradient_section = text.split("\nGradients")[1].split("\nOne update")[0]
    gradients = {}
    for m in re.finditer(rf"^  ([wb]\d)\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})\s+(.+)$",
                         gradient_section, re.MULTILINE):
        gradients[m[1]] = (float(m[2]), float(m[3]), float(m[4]), m[5])
    update_section = text.split("\nOne update")[1].split("\n\n")[0]
    updates = {}
    for m in re.finditer(rf"^  ([wb]\d)\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})$",
                         update_section, re.MULTILINE):
        updates[m[1]] = tuple(float(m[i]) for i in range(2, 6))
    final = re.search(rf"after (\d+) steps: J\(W\) = ({NUMBER})", text)
    return {"forward": forward_values, "gradients": gradients, "updates": updates,
            "final": (int(final[1]), float(final[2])) if final else None}


def check_report(text: str) -> dict[str, Any]:
    report = parse_report(text)
    assert set(report["forward"]) == set(REF_VALUES)
    for name, want in REF_VALUES.items():
        assert abs(report["forward"][name] - want) <= 1e-12, name
    assert set(report["gradients"]) == set(REF_GRADS)
    for name, (engine, hand, difference, formula) in report["gradients"].items():
        assert abs(engine - REF_GRADS[name]) <= 1e-12, name
        assert abs(hand - REF_GRADS[name]) <= 1e-12, name
        assert abs(difference) <= 1e-15
        assert formula == FORMULAS[name]
    assert set(report["updates"]) == set(W0)  # weights only by default
    for name, (before, after, by_hand, difference) in report["updates"].items():
        assert before == W0[name]
        assert abs(after - REF_UPDATED[name]) <= 1e-12, name
        assert abs(by_hand - REF_UPDATED[name]) <= 1e-12, name
        assert abs(difference) <= 1e-15
    deltas = dict(re.findall(rf"^  (δ\d) = [^=\n]+ = ({NUMBER})$", text, re.MULTILINE))
    assert {k: float(v) for k, v in deltas.items()} == pytest.approx(
        {"δ0": REF_GRADS["b0"], "δ1": REF_GRADS["b1"], "δ2": REF_GRADS["b2"],
         "δ3": REF_GRADS["b3"]}, abs=1e-12)  # δ_j = dJ/dnet_j = dJ/db_j
    assert "1/(1 + e^-x)" in text and "1/(1 - e^-x)" in text  # the sigmoid typo noted
    assert "biases stay fixed" in text
    return report


def test_main_prints_the_full_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--graph", str(tmp_path / "g.svg")]) == 0
    text = capsys.readouterr().out
    report = check_report(text)
    assert report["final"] is None
    assert "w5       w7     a0 -> net3" in text  # the article -> Mazur name mapping
    svg = (tmp_path / "g.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for label in ("net3", "w5", "o1", "J"):
        assert f">{label}<" in svg
    assert "∂J/∂w5" in svg  # the highlighted chain's caption


def test_main_with_steps_and_train_biases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-graph", "--steps", "300", "--train-biases", "--lr", "0.5"]) == 0
    text = capsys.readouterr().out
    report = parse_report(text)
    assert set(report["updates"]) == set(W0) | set(B0)
    for name in B0:
        assert abs(report["updates"][name][1] - (B0[name] - LR * REF_GRADS[name])) <= 1e-12
    steps, final = report["final"]
    assert steps == 300
    assert abs(final - reference_training(300, train_biases=True)[-1]) <= 1e-12
    assert "J(W) fell at every step: yes" in text


def test_main_with_another_learning_rate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-graph", "--lr", "0.1"]) == 0
    report = parse_report(capsys.readouterr().out)
    for name, (_, after, _, _) in report["updates"].items():
        assert abs(after - (W0[name] - 0.1 * REF_GRADS[name])) <= 1e-12


@pytest.mark.parametrize("argv", [["--steps", "-1"], ["--steps", "x"], ["--lr", "0"],
                                  ["--lr", "-0.5"], ["--lr", "nan"], ["--bogus"]])
def test_main_rejects_bad_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_graph_to_a_dot_path_writes_the_source(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--graph", str(tmp_path / "g.dot")]) == 0
    source = (tmp_path / "g.dot").read_text()
    assert source.startswith("digraph") and "net3" in source
    assert "Graphviz source" in capsys.readouterr().out


def test_without_dot_the_source_is_written_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(*_: Any, **__: Any) -> bytes:
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    assert main(["--graph", str(tmp_path / "g.svg")]) == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "g.svg").exists()
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    assert "apt-get install graphviz" in out


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The message of an argparse error (exit code 2), after checking nothing was done."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # rejected before any work: no report printed
    assert captured.err.startswith("usage: python -m nn.article")
    (message,) = re.findall(r"^python -m nn\.article: error: (.*)$", captured.err, re.MULTILINE)
    return str(message)


def test_a_missing_graph_directory_is_an_error_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing" / "g.svg"
    message = usage_error(["--graph", str(missing)], capsys)
    assert message == (f"argument --graph: cannot write {str(missing)!r}: the directory "
                       f"{str(tmp_path / 'missing')!r} does not exist")
    (tmp_path / "file").write_text("x")
    message = usage_error(["--graph", str(tmp_path / "file" / "g.svg")], capsys)
    assert message.endswith(f"the directory {str(tmp_path / 'file')!r} is not a directory")
    (tmp_path / "d.svg").mkdir()
    message = usage_error(["--graph", str(tmp_path / "d.svg")], capsys)
    assert message.endswith("it is a directory")
    assert not list((tmp_path / "d.svg").iterdir())


def test_an_unwritable_graph_directory_is_an_error_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == tmp_path and mode == os.W_OK:
            return False  # as for a read-only directory (root may write anywhere)
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    message = usage_error(["--graph", str(tmp_path / "g.svg")], capsys)
    assert message.endswith(f"the directory {str(tmp_path)!r} is not writable")


@pytest.mark.parametrize("name", ["g.wav", "g", "g.svg.bak", "g.x11", "g.", ".svg"])
def test_an_unknown_graph_suffix_is_an_error_listing_the_formats(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = usage_error(["--graph", str(tmp_path / name)], capsys)
    assert message.startswith("argument --graph: ")
    assert "use .svg, .png, .pdf, .jpg, .dot or .gv" in message
    listed = set(re.findall(r"\.[a-z][\w.-]*", message.split("Graphviz's formats: ")[1]))
    assert {".bmp", ".eps", ".gif", ".jpeg", ".ps", ".svgz", ".webp"} <= listed
    assert ".x11" not in listed and ".gtk" not in listed  # those open a window
    assert not list(tmp_path.iterdir())


def test_graph_and_no_graph_together_are_an_error(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    message = usage_error(["--graph", str(tmp_path / "g.svg"), "--no-graph"], capsys)
    assert message == "argument --no-graph: not allowed with argument --graph"
    message = usage_error(["--no-graph", "--graph", str(tmp_path / "g.svg")], capsys)
    assert message == "argument --graph: not allowed with argument --no-graph"


@pytest.mark.parametrize(
    ("name", "magic"),
    [("G.PNG", b"\x89PNG\r\n\x1a\n"), ("g.gv.pdf", b"%PDF-"), ("g.jpg", b"\xff\xd8\xff"),
     ("g.jpeg", b"\xff\xd8\xff"), ("g.gif", b"GIF8"), ("g.ps", b"%!PS"),
     ("g.svgz", b"\x1f\x8b"), ("g.json", b"{")],
)
def test_the_graph_format_is_the_one_its_suffix_names(
    name: str, magic: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--graph", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_bytes().startswith(magic)
    assert f"wrote the graph picture to {tmp_path / name}" in capsys.readouterr().out


def test_graph_format_follows_graphviz_render() -> None:
    from nn.article import graph_format

    assert graph_format("a.svg") == "svg"
    assert graph_format(Path("dir.png") / "a.PDF") == "pdf"
    assert graph_format("a.gv.svg") == "svg"  # the last suffix, as render(outfile=...)
    assert graph_format("a.gv") == "gv" and graph_format("a.dot") == "dot"
    for bad in ("a", "a.wav", "a.gtk", "a.x11", "a.xlib"):
        with pytest.raises(ValueError, match=re.escape("use .svg, .png, .pdf, .jpg, .dot or .gv")):
            graph_format(bad)


def test_write_drawing_rejects_an_unknown_suffix(tmp_path: Path) -> None:
    from nn.article import write_drawing

    p = forward(build_network())
    with pytest.raises(ValueError, match=re.escape("'.txt'")):
        write_graph(p.J, None, tmp_path / "g.txt")
    with pytest.raises(ValueError, match="no suffix"):
        write_drawing(graphviz.Digraph(), tmp_path / "g")
    assert not list(tmp_path.iterdir())


def test_a_failing_write_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert main(["--graph", str(tmp_path / "g.svg")]) == 1
    assert "could not write" in capsys.readouterr().err


# -- IEEE arithmetic: huge learning rates and numbers end in inf/nan, not in a traceback -----


def stable_logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def test_a_huge_learning_rate_prints_the_ieee_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    lr = 1e7
    assert main(["--no-graph", "--lr", "1e7"]) == 0
    text = capsys.readouterr().out
    report = parse_report(text)
    after = {k: v - lr * REF_GRADS[k] for k, v in W0.items()}
    for name, (before, engine, by_hand, _) in report["updates"].items():
        assert before == W0[name]
        assert engine == pytest.approx(after[name], rel=1e-12)
        assert by_hand == pytest.approx(after[name], rel=1e-12)
    # after the update: net0 = w0 x0 + w2 x1 + b0 is about -1200, where e^-net overflows
    net0 = after["w0"] * X[0] + after["w2"] * X[1] + B0["b0"]
    assert net0 < -710
    a = [stable_logistic(net0),
         stable_logistic(after["w1"] * X[0] + after["w3"] * X[1] + B0["b1"])]
    o0 = stable_logistic(after["w4"] * a[0] + after["w6"] * a[1] + B0["b2"])
    o1 = stable_logistic(after["w5"] * a[0] + after["w7"] * a[1] + B0["b3"])
    j_after = 0.5 * (Y[0] - o0) ** 2 + 0.5 * (Y[1] - o1) ** 2
    (shown,) = re.findall(rf"J\(W\) after the update = ({NUMBER})", text)
    assert float(shown) == pytest.approx(j_after, abs=1e-12)
    assert "not finite" not in text  # the sigmoid saturates: every number stays finite


def test_huge_learning_rate_training_runs_to_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-graph", "--lr", "1e300", "--steps", "20", "--train-biases"]) == 0
    text = capsys.readouterr().out
    assert "after 20 steps: J(W) = " in text
    updates = parse_report(text)["updates"]
    for name, (_, engine, _, _) in updates.items():
        assert engine == pytest.approx(({**W0, **B0})[name] - 1e300 * REF_GRADS[name], rel=1e-12)
    assert "e+29" in text  # big numbers in scientific form, not 300 digits
    update_lines = re.findall(r"^  [wb]\d .*$", text.split("\nOne update")[1].split("\n\n")[0],
                              re.MULTILINE)
    assert len(update_lines) == 12 and max(len(line) for line in update_lines) < 100


def test_non_finite_numbers_are_printed_and_explained(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import nn.article as article_module

    weights = dict(WORKED_EXAMPLE.weights, w0=math.inf, w2=-math.inf)  # inf - inf = nan
    example = article_module.WorkedExample(X, Y, weights, WORKED_EXAMPLE.biases, LR)
    monkeypatch.setattr(article_module, "WORKED_EXAMPLE", example)
    assert main(["--no-graph", "--steps", "3"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"net0 = w0\*x0 \+ w2\*x1 \+ b0 = nan +a0 = Sigmoid\(net0\) = nan", text)
    assert re.search(r"^  w4 +nan +nan +nan ", text, re.MULTILINE)
    assert "largest |difference|: nan" in text
    assert text.count("Note: Some numbers above are not finite (inf or nan)") == 4
    assert "after 3 steps: J(W) = nan" in text


def test_hand_formulas_follow_ieee_instead_of_raising() -> None:
    huge = dict(W0, w0=10**400, w2=-(10**400))  # ints beyond the float range: ±inf
    values = hand_forward(X, Y, huge, B0)
    assert math.isnan(values["net0"]) and math.isnan(values["J"])
    far = dict(W0, w0=-14_000.0, w2=0.0)  # net0 = -700 + 0.35: e^700 would overflow
    values = hand_forward(X, Y, far, B0)
    assert values["a0"] == pytest.approx(math.exp(-699.65), rel=1e-12)
    values = hand_forward(X, (1e200, -1e200), W0, B0)  # (y - o)^2 overflows to inf
    assert values["J"] == math.inf
    grads = hand_gradients(X, (1e200, 0.0), W0, B0)
    assert grads["b2"] == pytest.approx(-(1e200 - REF_VALUES["o0"]) * REF_VALUES["o0"]
                                        * (1 - REF_VALUES["o0"]), rel=1e-12)
    inf_in = hand_forward((math.inf, 0.0), Y, W0, B0)
    assert inf_in["a0"] == 1.0 and inf_in["net0"] == math.inf
    minus = hand_forward((-math.inf, 0.0), Y, W0, B0)
    assert minus["a0"] == 0.0
    assert math.isnan(hand_forward((math.nan, 0.0), Y, W0, B0)["a0"])
    p = forward(build_network(), [10**400, -(10**400)])
    assert p.x0.data == math.inf and p.x1.data == -math.inf


@pytest.mark.subprocess
def test_python_m_nn_article_with_a_huge_learning_rate(tmp_path: Path) -> None:
    for args in (["--lr", "1e7"], ["--lr", "1e7", "--steps", "100"],
                 ["--lr", "1e308", "--steps", "10", "--train-biases"]):
        result = subprocess.run(
            [sys.executable, "-m", "nn.article", "--no-graph", *args], cwd=tmp_path,
            env=subprocess_env(), capture_output=True, text=True, timeout=120, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "Error" not in result.stderr
        assert "J(W) after the update = " in result.stdout


def run_module(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nn.article", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def subprocess_env(**changes: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(changes)
    return env


@pytest.mark.subprocess
def test_python_m_nn_article_in_a_subprocess(tmp_path: Path) -> None:
    text = run_module(["--steps", "1000"], cwd=tmp_path, env=subprocess_env())
    report = check_report(text)
    steps, final = report["final"]
    assert steps == 1000
    assert abs(final - reference_training(1000)[-1]) <= 1e-12
    assert "J(W) fell at every step: yes" in text
    picture = tmp_path / "article_graph.svg"  # the default path, in the current directory
    assert "<svg" in picture.read_text()
    assert f"wrote the graph picture to {picture.name}" in text


@pytest.mark.subprocess
def test_python_m_nn_article_without_dot_on_the_path(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    text = run_module([], cwd=tmp_path, env=subprocess_env(PATH=str(empty)))
    check_report(text)
    assert not (tmp_path / "article_graph.svg").exists()
    assert (tmp_path / "article_graph.dot").read_text().startswith("digraph")
    assert "apt-get install graphviz" in text


def test_write_graph_draws_any_root(tmp_path: Path) -> None:
    p = forward(build_network())
    p.J.backward()
    message = write_graph(p.o1, p.params["w5"], tmp_path / "o1.gv")
    assert "Graphviz source" in message
    source = (tmp_path / "o1.gv").read_text()
    assert "net3" in source and "net2" not in source  # only the graph under o1


def test_value_inputs_are_accepted_by_forward() -> None:
    p = forward(build_network(), [Value(0.05), Value(0.10)])
    assert abs(p.J.data - REF_VALUES["J"]) <= 1e-12


# -- docs/article.md: the article in the repository's own words ----------------------------

ARTICLE_MD = REPO / "docs" / "article.md"


def md_section(heading: str) -> str:
    text = ARTICLE_MD.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    following = re.search(r"\n#{1,3} ", text[start + len(heading) + 2 :])
    end = start + len(heading) + 2 + following.start() if following else len(text)
    return text[start:end]


def md_rows(section: str) -> dict[str, list[str]]:
    """First-column name (in backquotes) -> the other cells, for each table row."""
    rows = {}
    for line in section.splitlines():
        if m := re.fullmatch(r"\| `([^`]+)` \|(.*)\|", line):
            rows[m[1]] = [cell.strip() for cell in m[2].split("|")]
    return rows


def quoted_close(value: float, text: str) -> bool:
    """``text`` is ``value`` rounded to the digits shown (half a unit of the last digit)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(value - float(text)) <= 0.5 * 10.0**-decimals + 1e-15


def test_docs_article_example_table_is_the_worked_example() -> None:
    rows = md_rows(md_section("### The example"))
    params = {**WORKED_EXAMPLE.weights, **WORKED_EXAMPLE.biases}
    expected = {"x0": WORKED_EXAMPLE.inputs[0], "x1": WORKED_EXAMPLE.inputs[1],
                "y0": WORKED_EXAMPLE.targets[0], "y1": WORKED_EXAMPLE.targets[1],
                "a": WORKED_EXAMPLE.learning_rate, **params}
    assert set(rows) == set(expected)
    for name, (mazur, value) in rows.items():
        assert float(value) == expected[name], name
        if name in params:
            from nn.article import MAZUR_NAMES

            assert mazur == MAZUR_NAMES[name], name
    # the test's own copy of the example agrees too
    assert {k: float(rows[k][1]) for k in W0} == W0
    assert {k: float(rows[k][1]) for k in B0} == B0


def test_docs_article_forward_pass_and_gradients_match_hand_formulas() -> None:
    forward_rows = md_rows(md_section("### The forward pass"))
    assert set(forward_rows) == set(REF_VALUES)
    values = hand_forward()
    for name, (text,) in forward_rows.items():
        assert quoted_close(REF_VALUES[name], text), (name, text)  # the test's reference
        assert quoted_close(values[name], text), (name, text)  # and nn.article's
    grad_rows = md_rows(md_section("### The gradients and one update"))
    assert set(grad_rows) == set(W0)  # weights only, as the example updates
    grads = hand_gradients()
    for name, (gradient, updated) in grad_rows.items():
        assert quoted_close(REF_GRADS[name], gradient) and quoted_close(grads[name], gradient)
        assert quoted_close(W0[name] - LR * REF_GRADS[name], updated), name
    section = md_section("### The gradients and one update")
    deltas = dict(re.findall(r"`δ(\d) = (-?[\d.]+)`", section))
    assert {int(k): v for k, v in deltas.items()}.keys() == {0, 1, 2, 3}
    for k, text in deltas.items():
        assert quoted_close(REF_GRADS[f"b{k}"], text)  # δ_j = dJ/db_j
    o1, a0 = REF_VALUES["o1"], REF_VALUES["a0"]
    chain = re.search(r"`∂J/∂o1 = -\(0\.99 - ([\d.]+)\) = (-[\d.]+)`,\s+`∂o1/∂net3 = ([\d.]+)`,"
                      r"\s+`∂net3/∂w5 = a0 = ([\d.]+)`, product `(-[\d.]+)`", section)
    assert chain is not None
    assert quoted_close(o1, chain[1]) and quoted_close(-(Y[1] - o1), chain[2])
    assert quoted_close(o1 * (1 - o1), chain[3]) and quoted_close(a0, chain[4])
    assert quoted_close(REF_GRADS["w5"], chain[5])


def test_docs_article_ten_thousand_updates_figure() -> None:
    text = md_section("### The gradients and one update")
    (figure,) = re.findall(r"`J = (0\.\d+)`", text)
    assert quoted_close(reference_training(10_000)[9_999], figure)


def test_docs_article_states_the_three_slips_with_their_numbers() -> None:
    text = md_section("## Three slips in the article's text")
    net0 = REF_VALUES["net0"]
    typo_a0 = 1 / (1 - math.exp(-net0))  # the printed 1/(1 - e^-x) at net0
    (typo, right) = re.search(r"`a0 = ([\d.]+)` instead of `([\d.]+)`", text).groups()  # type: ignore[union-attr]
    assert quoted_close(typo_a0, typo) and quoted_close(REF_VALUES["a0"], right)
    assert "`Sigmoid(x) = 1/(1 - e^-x)`" in text and "`1/(1 + e^-x)`" in text
    assert "`net3 = w5 a0 + w7 a1 + b1`" in text and "is `b3`" in text
    assert "`∂J/∂w1 = ∂J/∂a0 · ∂a0/∂net0 · ∂net0/∂w1`" in text and "`∂net0/∂w1 = 0`" in text
    # f' = f(1 - f) holds for both: check it numerically for the typo's function too
    for f in (lambda x: 1 / (1 + math.exp(-x)), lambda x: 1 / (1 - math.exp(-x))):
        x, h = 0.7, 1e-6
        assert (f(x + h) - f(x - h)) / (2 * h) == pytest.approx(f(x) * (1 - f(x)), rel=1e-6)


def test_docs_article_agrees_with_the_module_and_the_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import nn.article as article_module

    text = ARTICLE_MD.read_text(encoding="utf-8")
    docstring = article_module.__doc__ or ""
    # the module docstring's forward pass, line for line, in the page's formula block
    lines = [line.strip() for line in docstring.splitlines() if line.strip().startswith("net")]
    assert len(lines) == 4
    for line in lines:
        assert re.sub(r"\s+", " ", line) in re.sub(r" +", " ", text)
    assert "J(W) = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2" in docstring
    assert "J(W) = 1/2 Σ_{i=1..m} (y_i - o_i)^2 = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2" in text
    assert "docs/article.md" in docstring and "a0 = 3.18 instead of 0.5933" in docstring
    for formula in ("-(y1 - o1) · o1(1 - o1) · a0", "(δ2 w4 + δ3 w5) · a0(1 - a0) · x0",
                    "w_i ← w_i - a · ∂J/∂w_i", "w_(2*input+neuron)"):
        assert formula in text
    # the report notes the same slips
    assert main(["--no-graph"]) == 0
    report = capsys.readouterr().out
    assert "docs/article.md" in report
    assert "net3 = w5 a0 + w7 a1 + b1" in report and "that bias is b3" in report
    assert "differentiates w1 through a0 and net0" in report
    assert "1/(1 - e^-x), a typo" in report and "a0 = 3.18 instead of 0.5933" in report
    assert "Matt Mazur" in report and "Matt Mazur" in text


# Links out of the repository: web addresses in links, and paths that climb out of it. XML
# namespace names (xmlns, the SVG DTD) identify a vocabulary, they are not links.
_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink",
               "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd",
               "http://www.w3.org/1998/Math/MathML")
_URL = re.compile(r"(?:https?|ftp)://[^\s\"'<>)\]}]+|www\.[a-z0-9-]+\.[a-z]{2,}[^\s\"'<>)]*")
_CLIMB = re.compile(r"(?<![\w.])\.\./(?:\.\./)*" + "shared" + r"|/work/" + r"shared")
_MD_LINK = re.compile(r"\]\(([^)\s]+)")
_SKIP_DIRS = {".git", ".venv", "mutants", "__pycache__", ".hypothesis", ".mypy_cache",
              ".ruff_cache", ".pytest_cache", "build", "dist"}
# Files owned by others that still link out when this test was written; the lead empties this
# when README.md (its article link -> docs/article.md) and notebook 01 (Mazur cited in words)
# are changed. Anything else that links out fails now.
PENDING_OUTSIDE_LINKS: set[str] = set()  # none left


def _repository_files() -> list[Path]:
    files = []
    for path in REPO.rglob("*"):
        parts = path.relative_to(REPO).parts
        if any(p in _SKIP_DIRS or p.endswith(".egg-info") for p in parts) or not path.is_file():
            continue
        if path.suffix in {".py", ".md", ".ipynb", ".toml", ".txt", ".svg", ".cfg", ".yml",
                           ".yaml", ".json", ".rst", ".html", ""}:
            files.append(path)
    return files


def outside_links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    namespaces = {ns.split("://")[1] for ns in _NAMESPACES}
    # an HTML output (an inline page in a notebook) escapes the quote after a namespace URL
    urls = [re.split(r"&(?:quot|gt|lt|amp|#\d+);", url)[0] for url in _URL.findall(text)]
    found = [url for url in urls if url.rstrip("\\\",.;").split("://")[-1] not in namespaces]
    found += _CLIMB.findall(text)
    for target in _MD_LINK.findall(text):
        if "://" in target or target.startswith(("mailto:", "#")):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        if not resolved.is_relative_to(REPO.resolve()):
            found.append(target)
    return found


def test_nothing_in_the_repository_links_outside_it() -> None:
    files = _repository_files()
    assert REPO / "docs" / "article.md" in files and REPO / "nn" / "article.py" in files
    offenders = {}
    for path in files:
        if links := outside_links(path):
            offenders[path.relative_to(REPO).as_posix()] = links
    assert set(offenders) <= PENDING_OUTSIDE_LINKS, offenders
    assert not outside_links(ARTICLE_MD)


def test_the_link_check_finds_what_it_should(tmp_path: Path) -> None:
    md = REPO / "docs" / "_probe_for_the_link_test.md"  # inside the repository, then removed
    # written in pieces, so that this file itself does not link out
    samples = {
        "[post]" + "(https" + "://example.org/a)": True,
        "see http" + "://example.org": True,
        "[shared]" + "(../../" + "shared/x.txt)": True,
        "[up]" + "(../../outside.md)": True,
        "[doc]" + "(article.md)": False,
        "[code]" + "(../nn/article.py)": False,
        '<svg xmlns="http' + '://www.w3.org/2000/svg">': False,
        "[anchor]" + "(#the-formulas)": False,
    }
    try:
        for sample, links_out in samples.items():
            md.write_text(sample + "\n", encoding="utf-8")
            assert bool(outside_links(md)) is links_out, sample
    finally:
        md.unlink()


def test_the_default_graph_path_is_checked_only_when_drawing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access

    def read_only_here(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path).resolve() == tmp_path.resolve() and mode == os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "access", read_only_here)
    assert main(["--no-graph"]) == 0  # nothing to write: the directory does not matter
    capsys.readouterr()
    message = usage_error([], capsys)
    assert message == ("argument --graph: cannot write 'article_graph.svg': the directory '.' "
                       "is not writable")
    monkeypatch.setattr(os, "access", real_access)
    assert main([]) == 0
    assert (tmp_path / "article_graph.svg").read_text().lstrip().startswith("<?xml")


# The report's text, numbers masked as "#" (the numbers are checked by check_report): the
# wording, the order of the sections and the column layout are part of the command's output.
# (A backslash at the end of a line continues it: long lines are split for the source only.)
REPORT_TEMPLATE = """\
The article's 2-2-2 sigmoid network on the worked example (Matt Mazur, "A Step by Step Backprop\
agation Example")
  J(W) = 1/2 sum_i (y_i - o_i)^2;  w_i <- w_i - a * dJ/dw_i
Parameters: the article's names (Mazur's names in the worked example)
  article  Mazur  edge            value
  w0       w1     x0 -> net0      #
  w2       w2     x1 -> net0      #
  w1       w3     x0 -> net1      #
  w3       w4     x1 -> net1      #
  w4       w5     a0 -> net2      #
  w6       w6     a1 -> net2      #
  w5       w7     a0 -> net3      #
  w7       w8     a1 -> net3      #
  b0       b1     1 -> net0       #
  b1       b1     1 -> net1       #
  b2       b2     1 -> net2       #
  b3       b2     1 -> net3       #
  inputs x0 = #, x1 = #; targets y0 = #, y1 = #

Forward pass
  Sigmoid(x) = 1/(1 + e^-x). The article prints 1/(1 - e^-x), a typo: that function blows up at\
 x = 0 and leaves (0, 1), giving a0 = # instead of # (the rule f' = f(1 - f) it then uses happe\
ns to hold for both).
  net0 = w0*x0 + w2*x1 + b0 = #    a0 = Sigmoid(net0) = #
  net1 = w1*x0 + w3*x1 + b1 = #    a1 = Sigmoid(net1) = #
  net2 = w4*a0 + w6*a1 + b2 = #    o0 = Sigmoid(net2) = #
  net3 = w5*a0 + w7*a1 + b3 = #    o1 = Sigmoid(net3) = #
  J(W) = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2 = #

Gradients: the engine's backward() beside the article's delta rule (plain floats)
  δ_j = dJ/dnet_j:
  δ2 = -(y0 - o0) * o0(1 - o0) = #
  δ3 = -(y1 - o1) * o1(1 - o1) = #
  δ0 = (δ2*w4 + δ3*w5) * a0(1 - a0) = #
  δ1 = (δ2*w6 + δ3*w7) * a1(1 - a1) = #
  param         engine dJ/dp      article (hand)  difference  article formula
  w0          #      #     #  δ0 * x0 = (δ2*w4 + δ3*w5) * a0(1 - a0) * x0
  w1          #      #     #  δ1 * x0 = (δ2*w6 + δ3*w7) * a1(1 - a1) * x0
  w2          #      #     #  δ0 * x1 = (δ2*w4 + δ3*w5) * a0(1 - a0) * x1
  w3          #      #     #  δ1 * x1 = (δ2*w6 + δ3*w7) * a1(1 - a1) * x1
  w4          #      #     #  -(y0 - o0) * o0(1 - o0) * a0
  w5         #     #     #  -(y1 - o1) * o1(1 - o1) * a0
  w6          #      #     #  -(y0 - o0) * o0(1 - o0) * a1
  w7         #     #     #  -(y1 - o1) * o1(1 - o1) * a1
  b0          #      #     #  δ0 = (δ2*w4 + δ3*w5) * a0(1 - a0)
  b1          #      #     #  δ1 = (δ2*w6 + δ3*w7) * a1(1 - a1)
  b2          #      #     #  δ2 = -(y0 - o0) * o0(1 - o0)
  b3         #     #     #  δ3 = -(y1 - o1) * o1(1 - o1)
  largest |difference|: #

One update: w_i <- w_i - a * dJ/dw_i with a = # (weights and biases)
  param           before      after (engine)        after (hand)  difference
  w0      #      #      #     #
  w1      #      #      #     #
  w2      #      #      #     #
  w3      #      #      #     #
  w4      #      #      #     #
  w5      #      #      #     #
  w6      #      #      #     #
  w7      #      #      #     #
  b0      #      #      #     #
  b1      #      #      #     #
  b2      #      #      #     #
  b3      #      #      #     #
  J(W) after the update = # (was #)

Training: 3 steps from the initial weights, a = # (weights and biases)
  (J(W) at step k: the cost of the k-th forward pass, before its update)
  step 1/3  J(W) = #
  step 2/3  J(W) = #
  step 3/3  J(W) = #
  after 3 steps: J(W) = #
  o0 = # (target #), o1 = # (target #)
  J(W) fell at every step: yes

Notes on the article's text (docs/article.md describes the article)
  - It writes net3 = w5 a0 + w7 a1 + b1; with one bias per neuron (b0..b3) that bias is b3.
  - Its hidden-layer example differentiates w1 through a0 and net0; in its own notation w1 feed\
s net1 (x0 -> net1), and the weight from x0 into net0 is w0.

Graph: wrote the graph picture to {path} (J's graph, edges labelled with local derivatives, the\
 path from w5 to J highlighted)
"""


def masked(text: str) -> str:
    return re.sub(r"-?\d+\.\d+(?:e[-+]\d+)?", "#", text)


def test_the_report_reads_as_specified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    path = tmp_path / "g.svg"
    assert main(["--graph", str(path), "--steps", "3", "--train-biases"], out=out) == 0
    assert capsys.readouterr() == ("", "")  # everything went to `out`
    text = out.getvalue()
    assert set(parse_report(text)["updates"]) == set(W0) | set(B0)
    assert masked(text) == REPORT_TEMPLATE.replace("{path}", str(path))
    assert "<svg" in path.read_text()


def test_help_names_every_option(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per option
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: python -m nn.article [-h] [--steps N] [--lr LR] "
                           "[--train-biases] [--graph PATH | --no-graph]")
    assert ("The article's 2-2-2 sigmoid network on the worked example: the forward pass, "
            "J(W), every dJ/dw_i beside the article's delta-rule formula, the weights after one "
            "update, optional training, and a picture of the graph.") in text
    expected = {
        "--steps N": "then train for N gradient steps from the initial weights (weights only, "
                     "unless --train-biases; default 0)",
        "--lr LR": "learning rate a in w <- w - a dJ/dw (default 0.5)",
        "--train-biases": "update the biases too (the worked example keeps them fixed)",
        "--graph PATH": "where to write the graph picture, in the format its suffix names "
                        "(.svg, .png, .pdf, .jpg, .dot, .gv, or any other Graphviz output "
                        "format; .dot and .gv write the Graphviz source); the directory must "
                        "exist (default article_graph.svg)",
        "--no-graph": "do not draw the graph",
    }
    for option, help_text in expected.items():
        assert re.search(rf"^  {re.escape(option)} +{re.escape(help_text)}$", text,
                         re.MULTILINE), option


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--steps", "-1"], "argument --steps: must be >= 0, got -1"),
     (["--steps", "x"], "argument --steps: not an integer: 'x'"),
     (["--lr", "fast"], "argument --lr: not a number: 'fast'"),
     (["--lr", "0"], "argument --lr: must be a finite number > 0, got 0"),
     (["--lr", "inf"], "argument --lr: must be a finite number > 0, got inf")],
)
def test_bad_numbers_are_named(argv: list[str], message: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(argv, capsys) == message


def test_zero_steps_and_the_smallest_positive_rate_are_accepted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--no-graph", "--steps", "0", "--lr", "5e-324"]) == 0
    text = capsys.readouterr().out
    assert "Training" not in text
    assert "a = 4.94066e-324" in text


def test_hand_deltas_follow_the_given_parameters() -> None:
    from nn.article import hand_deltas

    other_w = {k: v * 1.5 - 0.1 for k, v in W0.items()}
    other_b = {k: v + 0.2 for k, v in B0.items()}
    _, want = reference(other_w, other_b)
    got = hand_deltas(X, Y, other_w, other_b)
    assert got == pytest.approx({f"δ{j}": want[f"b{j}"] for j in range(4)}, rel=1e-13)


def test_the_non_finite_note_says_whether_it_printed() -> None:
    from nn.article import _note_non_finite

    out = io.StringIO()
    assert _note_non_finite(out, [0.0, -1e308, 5e-324]) is False
    assert out.getvalue() == ""
    for bad in (math.inf, -math.inf, math.nan):
        out = io.StringIO()
        assert _note_non_finite(out, [1.0, bad]) is True
        assert out.getvalue().startswith("  Note: Some numbers above are not finite")


def test_the_hand_sigmoid_on_both_sides_of_zero() -> None:
    from nn.article import _sigmoid

    for x in (-30.0, -2.0, -0.5, -1e-300, 0.0, 0.25, 0.75, 2.0, 30.0):
        want = 1 / (1 + math.exp(-x))  # no overflow in this range
        assert _sigmoid(x) == pytest.approx(want, rel=1e-15, abs=0)
    assert _sigmoid(-745.0) == pytest.approx(math.exp(-745.0), rel=1e-3)  # subnormal
    assert _sigmoid(-800.0) == 0.0 and _sigmoid(800.0) == 1.0
    assert _sigmoid(-math.inf) == 0.0 and _sigmoid(math.inf) == 1.0
    assert math.isnan(_sigmoid(math.nan))


def test_training_report_lines(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(["--no-graph", "--steps", "2", "--lr", "0.1"], out=out) == 0
    text = out.getvalue()
    assert capsys.readouterr() == ("", "")
    assert ("\nOne update: w_i <- w_i - a * dJ/dw_i with a = 0.1 (weights only; the biases stay "
            "fixed, as in the worked example)\n") in text
    assert ("\nTraining: 2 steps from the initial weights, a = 0.1 (weights only, biases "
            "fixed)\n") in text
    assert "worked example reports" not in text  # only after 10,000 steps at a = 0.5
    w = dict(W0)
    for _ in range(2):
        _, grads = reference(w, B0)
        w = {k: v - 0.1 * grads[k] for k, v in w.items()}
    values, _ = reference(w, B0)
    m = re.search(rf"after 2 steps: J\(W\) = ({NUMBER})\n  o0 = ({NUMBER}) \(target 0\.01\), "
                  rf"o1 = ({NUMBER}) \(target 0\.99\)\n  J\(W\) fell at every step: yes\n", text)
    assert m is not None
    assert float(m[1]) == pytest.approx(values["J"], abs=1e-12)
    assert float(m[2]) == pytest.approx(values["o0"], abs=1e-12)
    assert float(m[3]) == pytest.approx(values["o1"], abs=1e-12)


def test_a_cost_that_stops_falling_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-graph", "--steps", "3", "--lr", "1e7"]) == 0
    assert "J(W) fell at every step: no\n" in capsys.readouterr().out


def test_the_update_of_weights_and_biases_gives_the_next_cost() -> None:
    out = io.StringIO()
    assert main(["--no-graph", "--train-biases"], out=out) == 0
    w = {k: v - LR * REF_GRADS[k] for k, v in W0.items()}
    b = {k: v - LR * REF_GRADS[k] for k, v in B0.items()}
    (shown,) = re.findall(rf"J\(W\) after the update = ({NUMBER})", out.getvalue())
    assert float(shown) == pytest.approx(reference(w, b)[0]["J"], abs=1e-12)


def test_the_ten_thousand_step_note() -> None:
    out = io.StringIO()
    assert main(["--no-graph", "--steps", "10000"], out=out) == 0
    assert out.getvalue().endswith(
        "  The worked example reports J = 0.0000351085 \"after repeating this process 10,000 "
        "times\": the cost of the 10,000th forward pass (after 9,999 updates), the last progress "
        "line above.\n" + out.getvalue().split("the last progress line above.\n")[1])
    for argv in (["--steps", "9999"], ["--steps", "10000", "--train-biases"]):
        other = io.StringIO()
        assert main(["--no-graph", *argv], out=other) == 0
        assert "worked example reports" not in other.getvalue()


def test_non_finite_notes_go_to_the_report_stream(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import nn.article as article_module

    weights = dict(WORKED_EXAMPLE.weights, w0=math.inf, w2=-math.inf)
    example = article_module.WorkedExample(X, Y, weights, WORKED_EXAMPLE.biases, LR)
    monkeypatch.setattr(article_module, "WORKED_EXAMPLE", example)
    out = io.StringIO()
    assert main(["--no-graph", "--steps", "3"], out=out) == 0
    assert capsys.readouterr() == ("", "")
    assert out.getvalue().count("Note: Some numbers above are not finite") == 4


@pytest.mark.parametrize("steps", [15, 300])
def test_progress_lines_counted_exactly(steps: int) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain = io.StringIO()
    train(steps, LR, out=plain)
    every = max(1, steps // 10)
    lines = plain.getvalue().splitlines()
    assert len(lines) == len([s for s in range(steps) if s % every == 0 or s == steps - 1])
    tty = Terminal()
    train(steps, LR, out=tty)
    every = max(1, steps // 200)
    writes = tty.getvalue().split("\r")[1:]
    assert len(writes) == len([s for s in range(steps) if s % every == 0 or s == steps - 1])
    assert all(w.startswith("  step ") for w in writes)


def test_number_formatting_boundaries() -> None:
    from nn.article import _fmt

    assert _fmt(0.0) == "0.000000000000"
    assert _fmt(1e-4) == "0.000100000000"
    assert _fmt(9.9e-5) == "9.900000000000e-05"
    assert _fmt(999999.5) == "999999.500000000000"
    assert _fmt(1e6) == "1.000000000000e+06"
    assert _fmt(math.nan) == "nan" and _fmt(-math.inf) == "-inf"


def test_argument_errors_name_the_argument_and_its_type() -> None:
    from nn.article import graph_format

    with pytest.raises(ValueError) as info:
        forward(build_network(), X, [0.1, 0.2, 0.3])
    assert str(info.value) == "targets must be two numbers, got 3"
    with pytest.raises(TypeError) as info:
        forward(build_network(), 5)  # type: ignore[arg-type]
    assert str(info.value) == "inputs must be two numbers, not int"
    with pytest.raises(TypeError) as info:
        forward(build_network(), [0.05, "x"])  # type: ignore[list-item]
    assert str(info.value) == "inputs[1] must be a real number, not str: 'x'"
    with pytest.raises(ValueError) as info:
        graph_format("g.wav")
    assert str(info.value).startswith(
        "the suffix '.wav' of 'g.wav' is not a Graphviz output format: use .svg")


def test_write_graph_labels_edges_and_highlights(tmp_path: Path) -> None:
    p = forward(build_network())
    p.J.backward()
    write_graph(p.J, p.params["w5"], tmp_path / "g.gv")
    source = (tmp_path / "g.gv").read_text()
    assert "∂net3/∂w5 = a0" in source and "penwidth" in source


# -- --formulas: the partials derived by autograd.formula beside the article's --------------


def _formula_blocks(text: str) -> dict[str, dict[str, str]]:
    """The --formulas section: parameter -> {"derived", "article", "equal", "at"}."""
    section = text.split("\nFormulas: ", 1)[1].split("\nOne update", 1)[0]
    blocks: dict[str, dict[str, str]] = {}
    for chunk in re.split(r"^  dJ/d", section, flags=re.MULTILINE)[1:]:
        lines = chunk.splitlines()
        name = lines[0].strip()
        fields = dict(line.strip().split(": ", 1) for line in lines[1:5])
        blocks[name] = fields
    return blocks


def test_formulas_option_derives_every_partial_beside_the_article() -> None:
    import sympy as sp

    out = io.StringIO()
    assert main(["--formulas", "--no-graph"], out=out) == 0
    text = out.getvalue()
    blocks = _formula_blocks(text)
    assert set(blocks) == set(W0) | set(B0)
    x0, x1, y0, y1, a0, a1, o0, o1, w4, w5, w6, w7 = sp.symbols(
        "x0 x1 y0 y1 a0 a1 o0 o1 w4 w5 w6 w7")
    d2 = -(y0 - o0) * o0 * (1 - o0)
    d3 = -(y1 - o1) * o1 * (1 - o1)
    d0 = (d2 * w4 + d3 * w5) * a0 * (1 - a0)
    d1 = (d2 * w6 + d3 * w7) * a1 * (1 - a1)
    by_hand = {"w0": d0 * x0, "w1": d1 * x0, "w2": d0 * x1, "w3": d1 * x1,
               "w4": d2 * a0, "w5": d3 * a0, "w6": d2 * a1, "w7": d3 * a1,
               "b0": d0, "b1": d1, "b2": d2, "b3": d3}
    for name, block in blocks.items():
        derived = sp.sympify(block["derived"])  # the printed formula reads back
        assert sp.simplify(derived - by_hand[name]) == 0, name
        assert block["article"] == FORMULAS[name]
        assert block["equal (sympy.simplify(derived - article) == 0)"] == "yes"
        numbers = re.fullmatch(r"derived (\S+), article (\S+)", block["at the worked example"])
        assert numbers is not None
        for number in numbers.groups():  # 12 decimals, against this file's float reference
            assert abs(float(number) - REF_GRADS[name]) <= 5e-13, name
    assert blocks["w5"]["derived"] == "a0*o1*(1 - o1)*(o1 - y1)"  # -(y1 - o1) o1(1 - o1) a0
    assert "  all 12 equal: yes" in text
    # the rest of the report is unchanged by the option
    plain = io.StringIO()
    assert main(["--no-graph"], out=plain) == 0
    assert text.replace("\nFormulas: " + text.split("\nFormulas: ", 1)[1].split(
        "\nOne update", 1)[0], "") == plain.getvalue()


def test_formulas_without_sympy_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "sympy", None)
    out = io.StringIO()
    assert main(["--formulas", "--no-graph"], out=out) == 1
    assert "pip install \"backprop-lens[symbolic]\"" in capsys.readouterr().err
    assert "Formulas:" not in out.getvalue()
