"""autograd.text_algebra: the rule table's rules read as text, for draw_dot's edge formulas.

Every text is read back with SymPy and compared with sympy.diff of the op's mathematics
written in this file; the texts the article needs are checked word for word; and the edge
formulas are drawn with SymPy hidden (the text algebra needs only the standard library).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
import sympy as sp

from autograd import OPS, Op, Value, apply, draw_dot, squared_error
from autograd import ops as ops_module
from autograd.draw import symbolic_local_grad
from autograd.text_algebra import Term, local_derivative_texts

_FUNCTIONS = ("log", "exp", "sqrt", "tanh", "sigmoid", "sin", "cos")
_SUPERSCRIPTS = dict(zip("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))


def _read(text: str, names: list[str]) -> Any:
    """A formula's text as a SymPy expression (juxtaposition and · are products)."""
    text = text.replace("σ", "sigmoid").replace("·", "*").replace("^", "**")
    text = re.sub("[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+",
                  lambda m: "**(" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + ")", text)
    # a name or a closing bracket or a digit directly before "(" multiplies, unless a function
    text = re.sub(r"(\b\w+\b|\))\(",
                  lambda m: m.group(0) if m.group(1) in _FUNCTIONS else m.group(1) + "*(", text)
    local = {name: sp.Symbol(name, real=True) for name in names}
    local["sigmoid"] = lambda x: 1 / (1 + sp.exp(-x))  # type: ignore[assignment]
    return sp.sympify(text, locals=local)


def _mathematics(op: Op) -> Callable[..., Any]:
    if op.name == "pow_const":
        exponent = sp.nsimplify(float(op.symbol[2:]))
        return lambda x: x**exponent
    half = sp.Rational(1, 2)
    table: dict[str, Callable[..., Any]] = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "neg": lambda x: -x, "exp": sp.exp, "log": sp.log,
        "tanh": sp.tanh, "sigmoid": lambda x: 1 / (1 + sp.exp(-x)), "sqrt": sp.sqrt,
        "sin": sp.sin, "cos": sp.cos, "softplus": lambda x: sp.log(1 + sp.exp(x)),
        "add_n": lambda *xs: sum(xs),
        "wsum": lambda *a: sum(a[i] * a[len(a) // 2 + i] for i in range(len(a) // 2)) + a[-1],
        "mse": lambda *a: sum((a[i] - a[len(a) // 2 + i]) ** 2
                              for i in range(len(a) // 2)) / (len(a) // 2),
        "sse": lambda *a: sum((a[i] - a[len(a) // 2 + i]) ** 2 for i in range(len(a) // 2)),
        "half_sse": lambda *a: half * sum((a[len(a) // 2 + i] - a[i]) ** 2
                                          for i in range(len(a) // 2)),
    }
    return table[op.name]


_BRANCHING = {"relu", "abs", "pow"}  # rules that read a number: no text
_ROWS = [OPS[name] for name in sorted(OPS) if name != "pow_const"] + [
    ops_module.pow_const(c) for c in (2.0, 3.0, 0.5, -1.0, -0.5, 1.5, 0.0)]


@pytest.mark.parametrize("op", _ROWS, ids=lambda op: op.name)
def test_every_rows_text_means_its_derivative(op: Op) -> None:
    arities = [op.arity] if op.arity is not None else [
        op.group[0] * n + op.group[1] for n in (1, 2)]
    for n in arities:
        names = [f"x{i}" for i in range(n)]
        leaves = [Value(0.5 + 0.25 * i, name) for i, name in enumerate(names)]
        node = apply(op, *leaves)
        node.label = "r"
        texts = local_derivative_texts(node)
        if op.name in _BRANCHING:
            assert texts == [None] * n
            continue
        xs = [sp.Symbol(name, real=True) for name in names]
        forward = _mathematics(op)(*xs)
        for x, text in zip(xs, texts):
            assert text is not None, (op, x)
            read = _read(text, [*names, "r"]).subs(sp.Symbol("r", real=True), forward)
            assert sp.simplify(read - sp.diff(forward, x)) == 0, (op, x, text)


def test_the_texts_read_as_the_article_writes_them() -> None:
    x, y = Value(0.3, "x"), Value(0.6, "y")

    def texts(node: Value, label: str = "r") -> list[str | None]:
        node.label = label
        return local_derivative_texts(node)

    assert texts(x.sigmoid()) == ["r(1 - r)"]
    assert texts(x.tanh()) == ["1 - r²"]
    assert texts(x.exp()) == ["r"]
    assert texts(x.log()) == ["1/x"]
    assert texts(x.sqrt()) == ["1/(2·r)"]
    assert texts(x / y, "q") == ["1/y", "-q/y"]
    assert texts(x**3) == ["3·x²"]
    assert texts(x * y) == ["y", "x"]
    o = [Value(0.2, "o0"), Value(0.7, "o1"), Value(0.1, "o2")]
    t = [Value(0.5, "y0"), Value(0.1, "y1"), Value(0.0, "y2")]
    assert texts(squared_error(o[:2], t[:2], "half_sum"), "J") == [
        "-(y0 - o0)", "-(y1 - o1)", "y0 - o0", "y1 - o1"]
    assert texts(squared_error(o, t, "mean"), "J")[0] == "2/3·(o0 - y0)"
    assert texts(squared_error(o, t, "mean"), "J")[3] == "-2/3·(o0 - y0)"
    assert texts(squared_error(o, t, "sum"), "J")[4] == "-2(o1 - y1)"
    # numbers: an operand's as its shortest text, a rule's constant as a fraction
    assert texts(squared_error([o[0]], [0.01], "half_sum"), "J") == ["-(0.01 - o0)", "0.01 - o0"]
    assert texts(x * 2.0) == [None, "x"]  # d(2x)/dx = 2 is a number alone: the edge says it
    assert texts(2.0 - x)[1] == "-1"  # x is the second operand
    # a missing label makes the formula unknown
    assert local_derivative_texts(x.sigmoid()) == [None]
    assert texts(x * Value(2.0)) == [None, "x"]


def test_terms_write_short_formulas() -> None:
    a, b = Term.symbol("a"), Term.symbol("b")
    assert str(a * 1.0) == "a" and str(1.0 * a) == "a"
    assert str(a * a) == "a²"
    minus_a = -a
    assert str(-minus_a) == "a"
    assert str(-(a - b)) == "-(a - b)"
    assert str(a - (a + b)) == "a - (a + b)"
    assert str(2.0 * (a - b)) == "2(a - b)"
    assert str((a - b) * (a + b)) == "(a - b)(a + b)"
    assert str(a * b) == "a·b"
    assert str(a**0.5) == "a^(1/2)"
    assert str(a ** -2.0) == "a⁻²"
    assert str((a + b).log()) == "log(a + b)"
    assert str(a.sigmoid()) == "σ(a)"
    assert str(2.0 + 3.0 * a - 0.5) == "3/2 + 3·a"
    with pytest.raises(TypeError, match="has no number"):
        _ = a.data
    with pytest.raises(TypeError, match="not str"):
        _ = a + "b"  # type: ignore[operator]


def test_edge_formulas_need_no_sympy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sympy", None)
    x = Value(0.4, "x")
    r = x.sigmoid()
    r.label = "r"
    assert symbolic_local_grad(r, 0) == "r(1 - r)"
    source = draw_dot(r, edge_labels=True).source
    assert "∂r/∂x = r(1 - r)" in source


def test_a_custom_rule_that_cannot_run_on_text_has_no_formula() -> None:
    import math

    opaque = Op("log1p", "log1p", math.log1p, lambda out, x: (1.0 / (1.0 + math.exp(x)),),
                "not a formula")
    node = apply(opaque, Value(0.5, "x"))
    node.label = "r"
    assert local_derivative_texts(node) == [None]
    cubic = Op("cubic", "x³-x", lambda x: x**3 - x, lambda out, x: (3.0 * x * x - 1.0,), "")
    node = apply(cubic, Value(0.5, "x"))
    assert local_derivative_texts(node) == ["3·x² - 1"]
