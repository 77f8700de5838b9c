"""Tests written against mutmut's survivors in ``autograd.symbolic`` (issue 17)."""

from __future__ import annotations

import math

import pytest

sp = pytest.importorskip("sympy")

from autograd import Value, formula  # noqa: E402
from autograd.ops import OPS  # noqa: E402
from autograd.symbolic import evaluate, formula_mathml, formula_text  # noqa: E402
from autograd.value import apply  # noqa: E402


def test_half_sse_is_written_in_the_articles_order() -> None:
    # ½ Σ (y - o)²: the written-out forward keeps (y - o), not (o - y)
    o, y = Value(0.3, "o"), Value(0.5, "y")
    r = apply(OPS["half_sse"], o, y).sigmoid()
    r.label = "r"
    result = formula(r, o, expand="leaves")
    so, sy = sp.Symbol("o"), sp.Symbol("y")
    assert result.has((sy - so) ** 2)
    assert not result.has((so - sy) ** 2)


def test_evaluate_falls_back_with_an_infinite_number() -> None:
    # relu's derivative is Heaviside(x) (no quick evaluation): SymPy's exact evaluation with
    # x = +inf, where d relu / dx = 1; and at -inf it is 0
    for value, expected in ((math.inf, 1.0), (-math.inf, 0.0)):
        x = Value(value, "x")
        r = x.relu()
        assert evaluate(formula(r, x), r) == expected


def test_formula_text_and_mathml_pass_expand_on() -> None:
    x = Value(0.5, "x")
    h = x.tanh()
    h.label = "h"
    J = h * h
    J.label = "J"
    # with labels, h is a symbol: dJ/dx = 2h(1 - h²); written in the leaves, tanh(x) appears
    assert "tanh" not in formula_text(J, x)
    assert "tanh(x)" in formula_text(J, x, expand="leaves")
    assert "tanh" not in formula_mathml(J, x)
    assert "tanh" in formula_mathml(J, x, expand="leaves")


def test_formula_mathml_writes_the_expression_in_presentation_markup() -> None:
    a, b = Value(2.0, "a"), Value(3.0, "b")
    J = a * b
    J.label = "J"
    page = formula_mathml(J, a)
    expression = page.split("<mo>=</mo>", 1)[1]
    assert expression.startswith("<mi>b</mi>")  # dJ/da = b, presentation MathML
    for content_tag in ("<ci>", "<apply>", "<cn>"):
        assert content_tag not in page
    assert "None" not in page


def test_formula_text_names_a_shared_label_by_its_symbol() -> None:
    # two nodes labelled "w" are the symbols w_1 and w_2 (graph order)
    w1, w2 = Value(1.0, "w"), Value(2.0, "w")
    J = w1 * w2
    J.label = "J"
    assert formula_text(J, w1) == "∂J/∂w_1 = w_2"
    assert formula_text(J, w2) == "∂J/∂w_2 = w_1"
    assert "<msub><mi>w</mi><mi>1</mi></msub>" in formula_mathml(J, w1).split("<mo>=</mo>")[0]


def test_evaluate_max_and_min() -> None:
    # relu(x) = Max(x, 0) written out in the leaves: dJ/dy of J = relu(x)·y is Max(x, 0)
    for value, expected in ((2.0, 2.0), (-1.0, 0.0)):
        x, y = Value(value, "x"), Value(5.0, "y")
        J = x.relu() * y
        J.label = "J"
        assert evaluate(formula(J, y, expand="leaves"), J, expand="leaves") == expected
    x = Value(2.0, "x")
    assert evaluate(sp.Min(sp.Symbol("x"), 0), x) == 0.0
    assert evaluate(sp.Max(sp.Symbol("x"), 0), x) == 2.0


def test_evaluate_minus_infinity() -> None:
    x = Value(1.0, "x")
    J = x * -math.inf
    J.label = "J"
    assert formula(J, x) == -sp.oo
    assert evaluate(formula(J, x), J) == -math.inf


def test_evaluate_uses_the_symbols_of_its_expand() -> None:
    # a leaf and a node labelled "a": with labels they are a_1 and a_2, in the leaves "a"
    a = Value(3.0, "a")
    b = a * a
    b.label = "a"
    J = b * b
    J.label = "J"
    result = formula(J, a, expand="leaves")  # d a^4 / da = 4 a^3
    assert evaluate(result, J, expand="leaves") == 108.0


def test_measure_counts_every_node_and_level() -> None:
    from autograd.symbolic import _Measure

    x, y, z = sp.symbols("x y z")
    assert _Measure()(x) == (1, 1)
    assert _Measure()(sp.Add(sp.Mul(x, y), z)) == (5, 3)  # Add, Mul, x, y, z; 3 levels
    # a shared subtree is counted where it is printed, each time: Add(x*y, exp(x*y))
    assert _Measure()(x * y + sp.exp(x * y)) == (8, 4)


def test_check_depth_bound_and_message() -> None:
    from autograd.symbolic import MAX_DEPTH, _check_depth

    _check_depth(MAX_DEPTH)  # at the bound: allowed
    with pytest.raises(ValueError) as info:
        _check_depth(MAX_DEPTH + 1)
    assert str(info.value) == (
        f"formula: the expression nests {MAX_DEPTH + 1} levels deep, more than "
        f"autograd.symbolic.MAX_DEPTH = {MAX_DEPTH} (SymPy works on it by recursion); "
        "label some intermediate nodes (with expand='labels' a labelled node is a symbol "
        "and its expression is not written out)")
