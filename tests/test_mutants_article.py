"""nn.article: tests written for the mutants that survived ``mutmut`` (issue 17); see
docs/mutants/nn.article.md.

The explorer page (``--html``, :func:`nn.article.write_explorer`), the help text, the graph's
edge labels, the source written when Graphviz fails (UTF-8 whatever the locale), the nan-aware
largest difference, a formula that SymPy finds unequal, the progress lines on a terminal,
the hand sigmoid near 0, and that building the network leaves ``random`` alone.
"""

from __future__ import annotations

import io
import json
import locale
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_mutants_article_code import OTHER  # every number differs from Mazur's

from nn import article


def _cost(example: article.WorkedExample) -> float:
    """J = 1/2 Σ (y - o)^2 of the article's network, written out here in plain floats."""
    w, b = example.weights, example.biases
    x0, x1 = example.inputs
    y0, y1 = example.targets

    def s(t: float) -> float:
        return 1.0 / (1.0 + math.exp(-t))

    a0 = s(w["w0"] * x0 + w["w2"] * x1 + b["b0"])
    a1 = s(w["w1"] * x0 + w["w3"] * x1 + b["b1"])
    o0 = s(w["w4"] * a0 + w["w6"] * a1 + b["b2"])
    o1 = s(w["w5"] * a0 + w["w7"] * a1 + b["b3"])
    return 0.5 * (y0 - o0) ** 2 + 0.5 * (y1 - o1) ** 2


def _page_data(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    start = text.index("const D = ") + len("const D = ")
    data, _ = json.JSONDecoder().raw_decode(text[start:])
    return data  # type: ignore[no-any-return]


# -- write_explorer and --html ----------------------------------------------------------------


def test_write_explorer_writes_the_examples_graph_with_its_rate(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    written = article.write_explorer(target, 0.25, OTHER)
    assert Path(written) == target and target.is_file()
    data = _page_data(target)
    assert data["title"] == "The article's network: backpropagation step by step"
    assert data["lr"] == 0.25
    values = {node["label"]: node["value"] for node in data["nodes"]}
    assert values["x0"] == 0.3 and values["x1"] == -0.2
    assert values["y0"] == 0.7 and values["y1"] == 0.1
    assert data["root_before"] == pytest.approx(_cost(OTHER), rel=1e-14)
    expected = [{**OTHER.weights, **OTHER.biases}[name] for name in article.PARAMETER_NAMES]
    assert [p["value"] for p in data["params"]] == expected
    assert [data["nodes"][p["node"]]["label"] for p in data["params"]] == list(
        article.PARAMETER_NAMES)


def test_html_option_writes_the_page_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "explore.html"
    out = io.StringIO()
    assert article.main(["--no-graph", "--lr", "0.125", "--html", str(target)], out) == 0
    assert out.getvalue().endswith(
        f"\nExplorer: wrote the interactive page to {target} (open it in a browser)\n")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    data = _page_data(target)
    assert data["lr"] == 0.125
    assert data["root_before"] == pytest.approx(_cost(article.WORKED_EXAMPLE), rel=1e-14)


def test_html_option_reports_a_failed_write_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object) -> Path:
        raise PermissionError("no room here")

    monkeypatch.setattr(article, "write_explorer", refuse)
    target = tmp_path / "explore.html"
    out = io.StringIO()
    assert article.main(["--no-graph", "--html", str(target)], out) == 1
    captured = capsys.readouterr()
    assert captured.err == f"\nExplorer: could not write {target}: no room here\n"
    assert captured.out == "" and "Explorer" not in out.getvalue()


# -- main's stream and texts ------------------------------------------------------------------


def test_main_writes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert article.main(["--no-graph"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("The article's 2-2-2 sigmoid network on the worked example")
    assert "\nOne update: " in text


def test_training_progress_goes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    # main's `out` is sys.stdout also for train(), whose progress is printed only with a stream
    assert article.main(["--no-graph", "--steps", "3"]) == 0
    text = capsys.readouterr().out
    for k in (1, 2, 3):
        assert f"\n  step {k}/3  J(W) = " in text


def test_show_code_goes_to_the_given_stream(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert article.main(["--no-graph", "--show-code"], out) == 0
    assert capsys.readouterr().out == ""
    assert "def article_loss():" in out.getvalue()


def test_the_published_figure_note_in_full() -> None:
    out = io.StringIO()
    assert article.main(["--no-graph"], out) == 0
    assert ("  The same update computed in plain floats (also from the example's own rounded "
            "weights) agrees with the engine: the published figure is off in its 7th "
            "significant digit.\n") in out.getvalue()


def test_help_names_every_option_with_its_text(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        article.main(["--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal
    for piece in [
        "--html PATH also write the interactive explorer page (autograd.explore) of the "
        "article's graph to PATH (the directory must exist)",
        "--formulas print every dJ/dw_i and dJ/db_i as autograd.formula derives it from the "
        "graph (SymPy, the chain rule in the article's symbols), beside the article's hand "
        "formula, whether SymPy finds them equal, and both numbers (needs: pip install "
        "backprop-lens[symbolic])",
        "--show-code print the forward and backward that autograd.compile generates for the "
        "network, beside the article's delta rule",
    ]:
        assert piece in text, piece


# -- the drawing ----------------------------------------------------------------------------


def _article_pass() -> article.ArticlePass:
    p = article.forward(article.build_network())
    p.J.backward()
    return p


def test_the_drawn_edges_carry_the_local_derivatives() -> None:
    edges = [line for line in article._draw(_article_pass()).source.splitlines()
             if "->" in line]
    labelled = [line for line in edges if "label=" in line]
    assert labelled and any("∂net0/∂w0 = x0" in line for line in labelled)


@contextmanager
def _ascii_locale() -> Iterator[None]:
    """LC_CTYPE = "C": a bare write_text() encodes ASCII there (unless in UTF-8 mode)."""
    old = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
    except locale.Error:
        pytest.skip("no C locale")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


class _DotBroke(RuntimeError):
    pass


def _graph(source: str, fails: bool) -> SimpleNamespace:
    def pipe(format: str) -> bytes:
        if fails:
            raise _DotBroke("dot crashed")
        return b"PICTURE"

    return SimpleNamespace(source=source, pipe=pipe)


SOURCE = 'digraph { a [label="∂J/∂w5 = δ3 · a0, Σ ½"] }\n'


def test_the_graphviz_source_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    with _ascii_locale():
        message = article.write_drawing(_graph(SOURCE, fails=False), tmp_path / "g.dot")
        fallback = article.write_drawing(_graph(SOURCE, fails=True), tmp_path / "g.svg")
    assert message == f"wrote the graph's Graphviz source to {tmp_path / 'g.dot'}"
    assert (tmp_path / "g.dot").read_bytes() == SOURCE.encode("utf-8")
    assert fallback.startswith("Graphviz's `dot` did not work (_DotBroke); wrote the source "
                               f"to {tmp_path / 'g.dot'} instead.")


# -- the numbers ----------------------------------------------------------------------------


def test_a_nan_difference_after_a_number_is_the_largest() -> None:
    p = _article_pass()
    hand = dict(article.hand_gradients())
    hand["w3"] = math.nan  # not the first: max() alone would skip it
    out = io.StringIO()
    worst = article._print_gradients(out, p, hand, article.hand_deltas())
    assert math.isnan(worst)
    assert "  largest |difference|: nan\n" in out.getvalue()


def test_a_formula_sympy_finds_unequal_says_no(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sympy")
    typed = article.article_formulas()
    wrong = {**typed, "w3": typed["w3"] + 1}
    monkeypatch.setattr(article, "article_formulas", lambda: wrong)
    p = _article_pass()
    out = io.StringIO()
    assert article.print_formulas(out, p, article.hand_gradients()) is False
    lines = out.getvalue().splitlines()
    assert lines[1] == ("Formulas: dJ/dp derived from the graph by autograd.formula (the "
                        "chain rule in symbols, SymPy), beside the article's hand formula")
    verdicts = [line for line in lines if line.startswith("    equal (")]
    assert len(verdicts) == 12
    assert verdicts[3] == "    equal (sympy.simplify(derived - article) == 0): NO"
    assert all(v.endswith(": yes") for i, v in enumerate(verdicts) if i != 3)
    assert lines[-1] == "  all 12 equal: NO"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_every_steps_over_200() -> None:
    out = _Terminal()
    article.train(400, out=out)
    # every 400 // 200 = 2 steps (steps 1, 3, ..., 399) and the last one (400)
    lines = out.getvalue().split("\r")[1:]
    assert len(lines) == 200 + 1
    assert lines[0].startswith("  step   1/400  J(W) = ")
    assert lines[1].startswith("  step   3/400  J(W) = ")
    assert lines[-1].startswith("  step 400/400  J(W) = ") and lines[-1].endswith("\n")


def test_the_hand_sigmoid_near_zero_is_the_documented_formula() -> None:
    # for x >= 0 it is 1 / (1 + e^-x); e^x / (1 + e^x) is one ulp off at 0.007
    x = 0.007
    assert article._sigmoid(x) == 1.0 / (1.0 + math.exp(-x))
    assert article._sigmoid(x) != math.exp(x) / (1.0 + math.exp(x))
    assert article._sigmoid(0.0) == 0.5 and article._sigmoid(-0.0) == 0.5


def test_building_the_network_leaves_the_random_module_alone() -> None:
    random.seed(12345)
    expected = random.random()
    random.seed(12345)
    model = article.build_network()
    assert random.random() == expected
    assert model.seed == 0  # type: ignore[attr-defined]
