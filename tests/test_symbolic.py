"""autograd.formula: the chain rule over the graph, in symbols.

References are independent of the code under test: the article's hand formulas written here
in SymPy, ``sympy.diff`` of expressions this file writes with its own table of forwards,
plain-float gradients (nn.article.hand_gradients, written without the engine) and the
engine's ``backward()`` numbers.
"""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings

import autograd
from autograd import OPS, Op, Value, apply, formula, weighted_sum
from autograd import ops as ops_module
from autograd.strategies import Expression, Step, expressions, leaf_values
from autograd.symbolic import (
    evaluate,
    formula_mathml,
    formula_text,
    local_derivatives,
    number,
    symbolic_forward,
    symbols,
)
from nn.article import (
    PARAMETER_NAMES,
    build_network,
    forward,
    hand_gradients,
)

S = sp.Symbol


# ---------------------------------------------------------------------------------------
# This file's own forwards in SymPy (the reference for sympy.diff)
# ---------------------------------------------------------------------------------------


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + sp.exp(-x))


def _reference_forward(op: Op) -> Callable[..., Any]:
    """Each row's mathematics, written here by hand from the rows' documentation."""
    if op.name == "pow_const":
        c = float(op.symbol[2:])
        exponent = sp.nsimplify(c)
        return lambda x: x**exponent
    half = sp.Rational(1, 2)
    table: dict[str, Callable[..., Any]] = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "pow": lambda a, b: a**b,
        "neg": lambda x: -x,
        "exp": sp.exp,
        "log": sp.log,
        "tanh": sp.tanh,
        "sigmoid": _sigmoid,
        "relu": lambda x: sp.Max(x, 0),
        "sqrt": sp.sqrt,
        "abs": sp.Abs,
        "sin": sp.sin,
        "cos": sp.cos,
        "softplus": lambda x: sp.log(1 + sp.exp(x)),
        "add_n": lambda *xs: sum(xs),
        "wsum": lambda *a: sum(a[i] * a[len(a) // 2 + i] for i in range(len(a) // 2)) + a[-1],
        "mse": lambda *a: sum((a[i] - a[len(a) // 2 + i]) ** 2
                              for i in range(len(a) // 2)) / (len(a) // 2),
        "sse": lambda *a: sum((a[i] - a[len(a) // 2 + i]) ** 2 for i in range(len(a) // 2)),
        "half_sse": lambda *a: half * sum((a[len(a) // 2 + i] - a[i]) ** 2
                                          for i in range(len(a) // 2)),
    }
    return table[op.name]


def _arities(op: Op) -> list[int]:
    if op.arity is not None:
        return [op.arity]
    k, extra = op.group
    return [k * n + extra for n in (1, 2, 3)]


# the built-in rows, read when this file is imported (before any test registers its own)
BUILT_IN = sorted(name for name in OPS if name != "pow_const")
EXPONENTS = (2.0, 3.0, 0.5, -1.0, -0.5, 1.5, 0.0)


def _rows() -> list[Op]:
    return [OPS[name] for name in BUILT_IN] + [ops_module.pow_const(c) for c in EXPONENTS]


# ---------------------------------------------------------------------------------------
# 1. Every row's symbolic rule is sympy.diff of its forward
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("op", _rows(), ids=lambda op: op.name)
def test_every_rows_symbolic_rule_is_the_derivative_of_its_forward(op: Op) -> None:
    for n in _arities(op):
        xs = [S(f"x{i}", real=True) for i in range(n)]
        ref = _reference_forward(op)(*xs)
        # the rule in the output's own symbol o, then o replaced by the forward
        o = S("o", real=True)
        rules = local_derivatives(op, o, xs)
        assert len(rules) == n
        for x, rule in zip(xs, rules):
            expected = sp.diff(ref, x)
            assert sp.simplify(rule.subs(o, ref) - expected) == 0, (op, x, rule)
        # the row's own symbolic forward agrees with this file's
        forward = symbolic_forward(op)
        assert forward is not None
        assert sp.simplify(forward(*xs) - ref) == 0


@pytest.mark.parametrize("op", _rows(), ids=lambda op: op.name)
def test_every_rows_symbolic_rule_gives_the_float_rules_number(op: Op) -> None:
    """At a smooth point, the symbols' rule evaluates to the float rule's number."""
    rng = random.Random(7)
    for n in _arities(op):
        for _ in range(20):
            point = [rng.uniform(0.3, 2.5) for _ in range(n)]
            if op.smooth_at(*point):
                break
        assert op.smooth_at(*point)
        xs = [S(f"x{i}", real=True) for i in range(n)]
        out = op.forward(*point)
        floats = op.local_grads(out, *point)
        at = {x: sp.Rational(v) for x, v in zip(xs, point)}
        forward = symbolic_forward(op)
        assert forward is not None
        for rule, want in zip(local_derivatives(op, forward(*xs), xs), floats):
            assert float(sp.N(rule.xreplace(at), 30)) == pytest.approx(float(want), rel=1e-13)


def test_rules_read_as_the_textbook_writes_them() -> None:
    x, y, o = S("x"), S("y"), S("o")
    assert local_derivatives(OPS["sigmoid"], o, [x]) == [o * (1 - o)]
    assert local_derivatives(OPS["tanh"], o, [x]) == [1 - o**2]
    assert local_derivatives(OPS["mul"], o, [x, y]) == [y, x]
    assert local_derivatives(OPS["exp"], o, [x]) == [o]
    assert local_derivatives(OPS["log"], o, [x]) == [1 / x]
    assert local_derivatives(OPS["sqrt"], o, [x]) == [1 / (2 * o)]
    assert local_derivatives(OPS["div"], o, [x, y]) == [1 / y, -o / y]
    assert local_derivatives(ops_module.pow_const(3.0), o, [x]) == [3 * x**2]
    assert local_derivatives(ops_module.pow_const(0.5), o, [x]) == [1 / (2 * sp.sqrt(x))]
    assert local_derivatives(ops_module.pow_const(0.0), o, [x]) == [0]
    # no float literal survives: 1.0 is 1, 0.5 is 1/2
    assert not local_derivatives(OPS["sigmoid"], o, [x])[0].atoms(sp.Float)
    # a rule that branches on a number (IEEE masks) is read from the forward
    assert local_derivatives(OPS["relu"], o, [x]) == [sp.Heaviside(x)]
    assert local_derivatives(OPS["abs"], o, [x]) == [sp.sign(x)]


# ---------------------------------------------------------------------------------------
# 2. The article: formula(J, w5) is the delta rule; all 12 partials are the hand formulas
# ---------------------------------------------------------------------------------------


def _article_hand_formulas() -> dict[str, Any]:
    """The article's delta rule, typed here from the article's text."""
    x0, x1, y0, y1, a0, a1, o0, o1 = sp.symbols("x0 x1 y0 y1 a0 a1 o0 o1")
    w4, w5, w6, w7 = sp.symbols("w4 w5 w6 w7")
    d2 = -(y0 - o0) * o0 * (1 - o0)
    d3 = -(y1 - o1) * o1 * (1 - o1)
    d0 = (d2 * w4 + d3 * w5) * a0 * (1 - a0)
    d1 = (d2 * w6 + d3 * w7) * a1 * (1 - a1)
    return {
        "w0": d0 * x0, "w1": d1 * x0, "w2": d0 * x1, "w3": d1 * x1,
        "w4": d2 * a0, "w5": d3 * a0, "w6": d2 * a1, "w7": d3 * a1,
        "b0": d0, "b1": d1, "b2": d2, "b3": d3,
    }


def test_formula_of_dJ_dw5_is_the_articles_delta_rule() -> None:
    p = forward(build_network())
    y1, o1, a0 = sp.symbols("y1 o1 a0")
    assert formula(p.J, p.params["w5"]) == -(y1 - o1) * o1 * (1 - o1) * a0
    assert autograd.formula is formula


def test_all_twelve_article_partials_equal_the_hand_formulas() -> None:
    p = forward(build_network())
    p.J.backward()
    hand = _article_hand_formulas()
    numbers = hand_gradients()
    assert len(PARAMETER_NAMES) == 12
    for name in PARAMETER_NAMES:
        derived = formula(p.J, p.params[name])
        assert sp.simplify(derived - hand[name]) == 0, name
        # and the number at the worked example, against the article's formula in plain floats
        assert evaluate(derived, p.J) == pytest.approx(numbers[name], rel=1e-13), name
        assert evaluate(derived, p.J) == pytest.approx(p.params[name].grad, rel=1e-13), name


def test_the_hidden_weight_keeps_the_articles_shape() -> None:
    """dJ/dw1 = (δ2 w6 + δ3 w7) a1(1 - a1) x0: the sum over the two paths is the factor
    in brackets, not expanded."""
    p = forward(build_network())
    x0, y0, y1, a1, o0, o1, w6, w7 = sp.symbols("x0 y0 y1 a1 o0 o1 w6 w7")
    d2 = -(y0 - o0) * o0 * (1 - o0)
    d3 = -(y1 - o1) * o1 * (1 - o1)
    assert formula(p.J, p.params["w1"]) == (d2 * w6 + d3 * w7) * a1 * (1 - a1) * x0


def test_derivative_with_respect_to_an_inner_node_is_its_delta() -> None:
    p = forward(build_network())
    y1, o1 = sp.symbols("y1 o1")
    assert formula(p.J, p.net3) == -(y1 - o1) * o1 * (1 - o1)
    assert formula(p.J, p.o1) == o1 - y1
    assert formula(p.J, p.J) == 1
    assert formula(p.o0, p.params["w5"]) == 0  # o0 does not depend on w5


def test_leaves_form_equals_sympy_diff_of_the_network_written_by_hand() -> None:
    p = forward(build_network())
    p.J.backward()
    names = ["x0", "x1", "y0", "y1", *PARAMETER_NAMES]
    s = {name: S(name) for name in names}
    net0 = s["w0"] * s["x0"] + s["w2"] * s["x1"] + s["b0"]
    net1 = s["w1"] * s["x0"] + s["w3"] * s["x1"] + s["b1"]
    a0, a1 = _sigmoid(net0), _sigmoid(net1)
    o0 = _sigmoid(s["w4"] * a0 + s["w6"] * a1 + s["b2"])
    o1 = _sigmoid(s["w5"] * a0 + s["w7"] * a1 + s["b3"])
    J = sp.Rational(1, 2) * ((s["y0"] - o0) ** 2 + (s["y1"] - o1) ** 2)
    at = {s[n]: sp.Rational(v.data) for n, v in [*p.params.items(), ("x0", p.x0),
                                                  ("x1", p.x1), ("y0", p.y0), ("y1", p.y1)]}
    rng = random.Random(3)
    for name in ("w5", "w1", "b0"):
        derived = formula(p.J, p.params[name], expand="leaves")
        assert derived.free_symbols <= set(s.values())
        reference = sp.diff(J, s[name])
        for trial in range(3):  # the worked example, then random points
            point = at if trial == 0 else {k: sp.Rational(rng.uniform(-1, 1)) for k in at}
            got = sp.N(derived.xreplace(point), 40)
            want = sp.N(reference.xreplace(point), 40)
            assert abs(got - want) <= 1e-30 * max(1, abs(want)), name
        assert evaluate(derived, p.J, expand="leaves") == pytest.approx(
            p.params[name].grad, rel=1e-13)


# ---------------------------------------------------------------------------------------
# 3. Random graphs: leaves form = sympy.diff of the same expression = backward()'s gradient
# ---------------------------------------------------------------------------------------


def _sympy_expression(expr: Expression, xs: list[Any]) -> Any:
    def step(s: Step, args: list[Any]) -> Any:
        return _reference_forward(s.row())(*args)

    return expr.evaluate(xs, step)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(max_steps=6, op_names=[*BUILT_IN, "pow_const"]))
def test_random_graphs_leaves_form_is_sympy_diff_and_backward(expr: Expression) -> None:
    leaves = leaf_values(expr.point)
    root = expr(*leaves)
    root.backward()
    xs = [S(f"x{i}", real=True) for i in range(expr.n_inputs)]  # real: |x|' is sign(x)
    plain = [S(f"x{i}") for i in range(expr.n_inputs)]  # formula's symbols
    reference = _sympy_expression(expr, xs)
    rng = random.Random(5)
    for x, leaf in zip(xs, leaves):
        derived = formula(root, leaf, expand="leaves")
        want_symbolic = sp.diff(reference, x)
        # equal as functions: at the point and at nearby points, to 25 digits
        for trial in range(2):
            point = [v if trial == 0 else v + rng.uniform(-1e-3, 1e-3) for v in expr.point]
            at = {s: sp.Rational(v) for s, v in zip(xs, point)}
            at_plain = {s: sp.Rational(v) for s, v in zip(plain, point)}
            got = sp.N(sp.sympify(derived).xreplace(at_plain), 30)
            want = sp.N(want_symbolic.xreplace(at), 30)
            assert abs(got - want) <= 1e-25 * max(1, abs(want)), (expr, x, derived)
        # the number backward() computed, to 1e-12 relative
        assert math.isclose(evaluate(derived, root, expand="leaves"), leaf.grad,
                            rel_tol=1e-12, abs_tol=1e-12), (expr, x, derived)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(max_steps=6, op_names=[*BUILT_IN, "pow_const"]))
def test_random_labelled_graphs_labels_form_gives_backwards_number(expr: Expression) -> None:
    """Every node labelled: the labels form is in the nodes' own symbols, and evaluates (each
    symbol at its node's number) to the backward gradient."""
    leaves = leaf_values(expr.point)
    nodes: list[Value] = list(leaves)

    def step(s: Step, args: list[Value]) -> Value:
        node = apply(s.row(), *args)
        node.label = f"n{len(nodes)}"
        nodes.append(node)
        return node

    root = expr.evaluate(leaves, step)
    root.backward()
    for leaf in leaves:
        derived = formula(root, leaf)
        assert {str(s) for s in sp.sympify(derived).free_symbols} <= {n.label for n in nodes}
        assert math.isclose(evaluate(derived, root), leaf.grad, rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------------------------------
# Custom ops, names, numbers, errors
# ---------------------------------------------------------------------------------------

CUBIC = Op("cubic", "x³-x", lambda x: x * x * x - x, lambda out, x: (3.0 * x * x - 1.0,),
           "d(x³ - x)/dx = 3x² - 1")


def test_a_custom_op_is_an_undefined_function_with_its_derivative() -> None:
    x = Value(0.7, "x")
    y = apply(CUBIC, x)
    cubic = sp.Function("cubic")
    X = S("x")
    assert formula(y, x) == sp.Derivative(cubic(X), X)
    z = apply(CUBIC, x * 2.0) * x  # an expression inside: a Subs
    derived = formula(z, x, expand="leaves")
    assert (derived - sp.diff(cubic(2 * X) * X, X)).doit() == 0
    assert derived.has(sp.Subs)
    # an unregistered row that takes a built-in's name is not mistaken for it
    fake_exp = Op("exp", "e", math.exp, lambda out, x: (out,), "d e^x/dx = e^x")
    w = apply(fake_exp, x)
    assert formula(w, x) == sp.Derivative(sp.Function("exp")(X), X)
    assert formula(w, x) != sp.exp(X)


def test_same_label_different_nodes_are_never_merged() -> None:
    a, b = Value(2.0, "w"), Value(3.0, "w")
    c = Value(5.0, "w_1")  # a name already taken: the numbering skips it
    root = a * b + c
    table = symbols(root)
    assert [str(table[v]) for v in (a, b, c)] == ["w_2", "w_3", "w_1"]
    assert formula(root, a) == S("w_3")
    assert formula(root, b) == S("w_2")
    assert formula(root, c) == 1
    # unlabelled leaves are v (numbered when several)
    u, t = Value(1.5), Value(-0.5)
    assert formula(u * t, u) == S("v_2") and formula(u * t, t) == S("v_1")
    assert formula(u * u, u) == 2 * S("v")


def test_numbers_are_exact_readable_literals() -> None:
    x = Value(0.3, "x")
    X = S("x")
    assert formula(x * 0.01, x) == sp.Rational(1, 100)
    assert formula(0.99 - x, x) == -1
    assert formula(x**2.0, x) == 2 * X
    assert formula((x * (2 / 3)) ** 2, x, expand="leaves") == sp.Rational(8, 9) * X
    assert number(0.30000000000000004) == sp.Float("0.30000000000000004", 17)
    assert float(number(0.30000000000000004)) == 0.30000000000000004
    assert number(math.inf) == sp.oo and number(-math.inf) == -sp.oo
    assert number(math.nan) is sp.nan
    assert number(-0.0) == 0 and float(number(1e300)) == 1e300
    assert formula(x * math.inf, x) == sp.oo
    # a constant leaf (a number an operator wrapped) is a literal, not a symbol
    assert formula(x * Value(4.0), x) == S("v")
    assert formula(x - 2.0, x) == 1


def test_bad_arguments_name_the_problem() -> None:
    x = Value(1.0, "x")
    with pytest.raises(TypeError, match="takes a Value, not float"):
        formula(1.0, x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="with respect to a Value, not str"):
        formula(x, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expand must be one of"):
        formula(x, x, expand="everything")  # type: ignore[arg-type]


def test_without_sympy_formula_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sympy", None)
    x = Value(1.0, "x")
    with pytest.raises(ImportError, match=r"backprop-lens\[symbolic\]"):
        formula(x * x, x)
    with pytest.raises(ImportError, match=r"backprop-lens\[symbolic\]"):
        formula_text(x * x, x)


@pytest.mark.subprocess
def test_importing_autograd_does_not_import_sympy() -> None:
    code = "import sys, autograd, nn; assert 'sympy' not in sys.modules; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr


# ---------------------------------------------------------------------------------------
# For the explorer: text and MathML
# ---------------------------------------------------------------------------------------


def test_formula_text_and_mathml() -> None:
    p = forward(build_network())
    assert formula_text(p.J, p.params["w5"]) == "∂J/∂w5 = a0*o1*(1 - o1)*(o1 - y1)"
    assert formula_text(p.J, p.net3) == "∂J/∂net3 = o1*(1 - o1)*(o1 - y1)"
    html = formula_mathml(p.J, p.params["w5"])
    assert html.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML">')
    assert "<mfrac>" in html and html.endswith("</math>")
    assert "<msub><mi>w</mi><mi>5</mi></msub>" in html  # ∂w5 with its subscript
    x = Value(2.0)
    assert formula_text(x * x, x) == "∂mul/∂v = 2*v"


# ---------------------------------------------------------------------------------------
# Size: a graph of a few hundred nodes derives in seconds
# ---------------------------------------------------------------------------------------


def test_a_few_hundred_nodes_derive_in_seconds() -> None:
    from autograd.backward import topological_order
    from nn import MLP

    model = MLP(3, [16, 16, 1], activation="tanh", seed=1)
    xs = [Value(0.5, "x0"), Value(-0.2, "x1"), Value(0.3, "x2")]
    result = model(xs)
    out = result[0] if isinstance(result, list) else result
    assert isinstance(out, Value)
    assert len(topological_order(out)) > 400
    out.backward()
    w = model.layers[0].neurons[0].w[0]
    start = time.perf_counter()
    derived = formula(out, w)
    seconds = time.perf_counter() - start
    assert math.isclose(evaluate(derived, out), w.grad, rel_tol=1e-12)
    assert seconds < 30.0  # measured about 0.4 s; benchmarks/ has the timing row


def test_an_mlp_neurons_labels_are_numbered_not_merged() -> None:
    w = [Value(0.5, "w0"), Value(-0.3, "w1")]
    xs = [Value(1.0, "x0"), Value(2.0, "x1")]
    net = weighted_sum(w, xs, Value(0.1, "b"))
    net.label = "net"
    out = net.tanh()
    assert formula(out, w[1]) == S("x1") * (1 - sp.tanh(S("net")) ** 2)


def test_the_benchmark_row_runs_and_checks_its_formulas(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import formula as bench

    assert bench.main(["--quick"]) == 0
    text = capsys.readouterr().out
    for row in ("e1", "e2", "f1", "f2"):
        assert re.search(rf"^  {row} .* \d+\.\d{{3}} +< \d+ s  (yes|NO)$", text, re.MULTILINE), row
    assert "equals backward()'s gradient to 1e-12" in text
