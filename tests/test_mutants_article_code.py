"""nn.article_code: tests written for the mutants that survived ``mutmut`` (issue 17).

``print_code`` writes only to the stream it is given, with its headings in full; a worked
example other than Mazur's reaches ``article_step`` and ``print_code`` whole (targets and
biases too), checked against PyTorch float64. docs/mutants/nn.article_code.md lists the
equivalent mutants left.
"""

from __future__ import annotations

import io
import re
from types import MappingProxyType

import pytest

from nn import article
from nn.article_code import _formula, article_step, print_code

#: Every number differs from Mazur's, so a default silently used shows.
OTHER = article.WorkedExample(
    inputs=(0.3, -0.2),
    targets=(0.7, 0.1),
    weights=MappingProxyType({"w0": -0.4, "w1": 0.35, "w2": 0.6, "w3": -0.15,
                              "w4": 0.8, "w5": -0.55, "w6": 0.25, "w7": 0.9}),
    biases=MappingProxyType({"b0": 0.2, "b1": -0.3, "b2": 0.45, "b3": -0.6}),
    learning_rate=0.5,
)


def _torch_gradients(example: article.WorkedExample) -> dict[str, float]:
    """dJ/dp of the article's 2-2-2 sigmoid network, J = 1/2 Σ (y - o)^2, by torch float64.

    net0 = w0 x0 + w2 x1 + b0, net1 = w1 x0 + w3 x1 + b1, net2 = w4 a0 + w6 a1 + b2,
    net3 = w5 a0 + w7 a1 + b3 (the article's wiring, docs/article)."""
    torch = pytest.importorskip("torch")
    p = {name: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for name, v in {**example.weights, **example.biases}.items()}
    x0, x1 = example.inputs
    y0, y1 = example.targets
    a0 = torch.sigmoid(p["w0"] * x0 + p["w2"] * x1 + p["b0"])
    a1 = torch.sigmoid(p["w1"] * x0 + p["w3"] * x1 + p["b1"])
    o0 = torch.sigmoid(p["w4"] * a0 + p["w6"] * a1 + p["b2"])
    o1 = torch.sigmoid(p["w5"] * a0 + p["w7"] * a1 + p["b3"])
    J = 0.5 * (y0 - o0) ** 2 + 0.5 * (y1 - o1) ** 2
    J.backward()
    return {name: t.grad.item() for name, t in p.items()}  # type: ignore[union-attr]


def test_article_step_uses_the_examples_targets() -> None:
    # article_step__mutmut_8: forward() without the example's targets (Mazur's by default)
    _step, grads = article_step(OTHER)
    expected = _torch_gradients(OTHER)
    assert set(grads) == set(article.PARAMETER_NAMES)
    for name in article.PARAMETER_NAMES:
        assert grads[name] == pytest.approx(expected[name], rel=1e-12, abs=1e-15), name


def test_print_code_checks_another_example_against_its_own_biases() -> None:
    # print_code__mutmut_68: the hand gradients without the example's biases
    out = io.StringIO()
    worst = print_code(out, OTHER)
    assert worst < 1e-15
    text = out.getvalue()
    assert "    x0 = 0.3\n" in text and "    y1 = 0.1\n" in text
    last = text.splitlines()[-1]
    assert re.fullmatch(r"  running it: dJ/dp from the generated code vs the article's "
                        r"formulas in plain floats, largest \|difference\| \d\.\de[-+]\d\d",
                        last), last
    assert float(last.rsplit(" ", 1)[1]) < 1e-15


def test_print_code_writes_to_its_stream_only(capsys: pytest.CaptureFixture[str]) -> None:
    # print_code mutants that print to sys.stdout (file=None, file dropped)
    out = io.StringIO()
    print_code(out)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    text = out.getvalue()
    assert "def article_loss():" in text and "  g_w5 = g_net3 * a0" in text
    assert text.count("<->") == 20  # 12 parameters, 4 nets, o0, o1, a0, a1: a row each
    assert text.rstrip("\n").splitlines()[-1].startswith("  running it: ")


def test_print_code_headings_in_full() -> None:
    # print_code mutants that change or drop a heading
    out = io.StringIO()
    print_code(out)
    lines = out.getvalue().split("\n")
    assert lines[:6] == [
        "",
        "Generated code: autograd.compile(article_loss).source, the forward and the backward "
        "as one Python function",
        "  (forward: one line per node; backward: g_v = dJ/dv, in reverse creation order; "
        "_w5 is the parameter Value w5,",
        "   _w5._data its number, _w5._grad its gradient)",
        "",
        "def article_loss():",
    ]
    end = lines.index("    return J")
    assert lines[end + 1:end + 3] == [
        "",  # the code ends in a newline, print adds one: one empty line
        "The backward beside the article's delta rule (g_v = dJ/dv):",
    ]
    assert lines[end + 3].startswith("  g_o1 = ")


def test_formula_only_for_the_articles_names() -> None:
    # _formula__mutmut_7: `or` for `and` gives a delta to a name not starting with "net"
    assert _formula("g_xyz2") is None
    assert _formula("g_net9") is None
    assert _formula("g_J") is None
    assert _formula("g_net2") == "δ2 = dJ/dnet2 = -(y0 - o0) * o0(1 - o0)"
    assert _formula("g_a1") == "dJ/da1 = δ2*w6 + δ3*w7"
