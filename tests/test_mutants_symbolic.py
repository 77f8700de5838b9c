"""Tests written against mutmut's survivors in ``autograd.symbolic`` (issue 17)."""

from __future__ import annotations

import math

import pytest

sp = pytest.importorskip("sympy")

from autograd import Value, formula  # noqa: E402
from autograd.ops import OPS  # noqa: E402
from autograd.symbolic import evaluate, formula_mathml, formula_text  # noqa: E402
from autograd.value import apply  # noqa: E402


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


@pytest.mark.parametrize(("name", "articles_order"),
                         [("half_sse", True), ("mse", False), ("sse", False)])
def test_the_squared_errors_are_written_in_their_rows_order(
    name: str, articles_order: bool
) -> None:
    # half_sse is the article's ½ Σ (y - o)² and keeps (y - o); the other rows' forward is
    # (o - y)²
    o, y = Value(0.3, "o"), Value(0.5, "y")
    r = apply(OPS[name], o, y).sigmoid()
    r.label = "r"
    result = formula(r, o, expand="leaves")
    so, sy = sp.Symbol("o"), sp.Symbol("y")
    kept, other = ((sy - so) ** 2, (so - sy) ** 2) if articles_order else \
        ((so - sy) ** 2, (sy - so) ** 2)
    assert result.has(kept)
    assert not result.has(other)


def test_the_exact_fallback_rounds_30_digits_to_the_float() -> None:
    # Heaviside has no quick evaluation: SymPy's N at 30 digits, then float. At SymPy's
    # default 15 digits this sum's float is one ulp off (1.8793872226858177).
    import mpmath

    a = sp.Rational(96789, 180577)
    x = Value(1.0, "x")
    expr = sp.Heaviside(sp.Symbol("x")) * (sp.exp(a) + sp.sin(a) / 3)
    with mpmath.workdps(60):
        q = mpmath.mpf(96789) / 180577
        expected = float(mpmath.exp(q) + mpmath.sin(q) / 3)
    assert expected == 1.879387222685818
    assert evaluate(expr, x) == expected


def test_the_quick_walk_reads_a_float_number() -> None:
    from autograd.symbolic import _evaluate_shared

    s = sp.Symbol("s")
    # 1/2 + 1/3, rounded once
    assert _evaluate_shared(sp.Float(0.25) * s + sp.Rational(1, 3), {s: 2.0}, sp) == 5 / 6


def test_tidy_factors_up_to_tidy_limit_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import symbolic
    from autograd.symbolic import _Measure, _tidy

    x, y, z = sp.symbols("x y z")
    expr = x * y + x * z  # Add, Mul, x, y, Mul, x, z: 7 nodes
    assert _Measure()(expr)[0] == 7
    monkeypatch.setattr(symbolic, "TIDY_LIMIT", 7)  # at the limit: factored
    assert _tidy(expr, sp, _Measure()) == x * (y + z)
    monkeypatch.setattr(symbolic, "TIDY_LIMIT", 6)  # past it: as built
    assert _tidy(expr, sp, _Measure()) is expr


def test_number_writes_a_float_it_cannot_write_as_a_fraction_with_17_digits() -> None:
    from autograd.symbolic import number

    assert str(number(1e-300)) == "1.0000000000000000e-300"  # 17 significant digits
    assert str(number(0.30000000000000004)) == "0.30000000000000004"


def test_a_custom_op_named_pow_const_is_not_read_as_the_pow_const_row() -> None:
    from autograd.ops import Op
    from autograd.symbolic import symbolic_forward

    square = Op("pow_const", "sq", lambda x: x * x, lambda out, x: (2 * x,), "d x²/dx = 2x")
    assert symbolic_forward(square) is None  # not made by ops.pow_const: a custom op


def test_bottom_up_gives_each_shared_subexpression_once() -> None:
    from autograd.symbolic import _bottom_up

    x, y = sp.symbols("x y")
    g = sp.exp(x)
    # exp(x) is an argument of the root and of y·exp(x), which the walk reaches first
    root = g ** (g * y)
    done: dict[int, object] = {}
    seen = []
    for e in _bottom_up(root, done):
        done[id(e)] = e  # as the callers do
        seen.append(e)
    assert len(seen) == len({id(e) for e in seen})
    assert set(seen) == set(sp.preorder_traversal(root))
    assert seen[-1] is root
    assert seen.index(g) < seen.index(g * y)  # arguments first
    assert len(seen) == 5  # x, exp(x), y, y·exp(x), the power


def test_the_quick_walk_evaluates_max_and_min_itself() -> None:
    from autograd.symbolic import _evaluate_shared

    s = sp.Symbol("s")
    assert _evaluate_shared(sp.Max(s, 0) + 1, {s: 2.0}, sp) == 3.0
    assert _evaluate_shared(sp.Min(s, 0) + 1, {s: 2.0}, sp) == 1.0


def test_exact_rewrites_a_repeated_subexpression_each_time() -> None:
    from autograd.symbolic import _exact

    s = sp.Symbol("s")
    half = sp.Rational(1, 2)
    assert _exact(sp.exp(s * 0.5) + sp.sin(s * 0.5), frozenset(), sp) == \
        sp.exp(half * s) + sp.sin(half * s)


def test_tidy_leaves_a_derivative_of_a_custom_function_as_built() -> None:
    # factor_terms pulls 2(x + y) out of the sum, but not inside the derivative's point
    from autograd.symbolic import _Measure, _tidy

    x, y = sp.symbols("x y")
    d = sp.Function("f")(2 * x + 2 * y).diff(x)  # 2·Subs(f'(ξ), ξ, 2x + 2y)
    result = _tidy(d * y + d * x, sp, _Measure())
    (subs,) = result.atoms(sp.Subs)
    assert subs.point == sp.Tuple(2 * x + 2 * y)
    assert sp.simplify(result - 2 * (x + y) * subs) == 0


def test_an_unlabelled_constant_leaf_is_written_as_its_number() -> None:
    # add(1.0, 2.0) has no Value operand: an unlabelled constant leaf with data 3
    c = apply(OPS["add"], 1.0, 2.0)
    assert c.parents == () and c.data == 3.0 and not c.label
    x = Value(0.5, "x")
    J = x * c
    J.label = "J"
    assert formula(J, x) == 3  # d(3x)/dx, the constant as a literal, not a symbol
    assert formula(J, x, expand="leaves") == 3


def test_the_quick_walk_evaluates_powers_and_functions() -> None:
    import mpmath

    from autograd.symbolic import _evaluate_shared

    s = sp.Symbol("s")
    with mpmath.workdps(60):
        expected = float(mpmath.mpf(2) ** 3 + mpmath.exp(2) + mpmath.tanh(2))
    assert _evaluate_shared(s**3 + sp.exp(s) + sp.tanh(s), {s: 2.0}, sp) == expected


def test_evaluate_takes_the_quick_walk_near_a_rounding_midpoint() -> None:
    # r = 1 + 2^-53 + 2^-105 is just above the midpoint of 1 and 1 + 2^-52: the nearest
    # float is 1 + 2^-52 (Fraction's float is correctly rounded). The quick walk (40 digits)
    # gets it; SymPy's 30-digit fallback would round to the midpoint and then to 1.0.
    from fractions import Fraction

    r = 1 + sp.Rational(1, 2**53) + sp.Rational(1, 2**105)
    nearest = float(Fraction(2**105 + 2**52 + 1, 2**105))
    assert nearest == 1 + 2.0**-52
    x = Value(1.0, "x")
    assert evaluate(r * sp.Symbol("x"), x) == nearest
