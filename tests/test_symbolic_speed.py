"""autograd.formula on unlabelled graphs: quick, equal to backward()'s numbers, and a clear
error (never a bare RecursionError) past MAX_DEPTH. Bounds are generous (shared machine)."""

from __future__ import annotations

import math
import time

import pytest
import sympy as sp

from autograd import Value, formula
from autograd.symbolic import MAX_DEPTH, evaluate


def _chain(depth: int, act: str) -> tuple[Value, Value]:
    x = Value(0.3, "x")
    h: Value = x
    for _ in range(depth):
        h = getattr(h * 0.9 + 0.1, act)()
    return x, h


def _closed_form_chain_grad(depth: int, act: str) -> float:
    """d h/d x by hand in floats: Π 0.9 * f'(z_k)."""
    h, g = 0.3, 1.0
    for _ in range(depth):
        z = 0.9 * h + 0.1
        if act == "tanh":
            h = math.tanh(z)
            g *= 0.9 * (1 - h * h)
        else:
            h = 1 / (1 + math.exp(-z))
            g *= 0.9 * h * (1 - h)
    return g


@pytest.mark.parametrize("act", ["tanh", "sigmoid"])
@pytest.mark.parametrize("expand", ["labels", "leaves"])
def test_a_ten_deep_unlabelled_chain_is_quick_and_right(act: str, expand: str) -> None:
    x, h = _chain(10, act)
    start = time.perf_counter()
    f = formula(h, x, expand=expand)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 20.0  # was 44 s for tanh; now well under 1 s
    assert f.free_symbols == {sp.Symbol("x")}
    assert evaluate(f, h, expand=expand) == pytest.approx(_closed_form_chain_grad(10, act),
                                                          rel=1e-12)


def test_two_hundred_steps_derive_in_seconds() -> None:
    x, h = _chain(200, "tanh")
    start = time.perf_counter()
    f = formula(h, x)
    assert time.perf_counter() - start < 60.0  # measured about 1.5 s
    # (the result nests ~600 levels: SymPy's own recursive walks need a raised limit)
    assert isinstance(f, sp.Expr)


def test_too_deep_is_a_clear_error_naming_the_limit() -> None:
    x, h = _chain(1000, "tanh")
    with pytest.raises(ValueError, match=f"MAX_DEPTH = {MAX_DEPTH}"):
        formula(h, x)


def test_one_input_feeding_every_step() -> None:
    x = Value(0.2, "x")
    h = x
    for _ in range(30):
        h = (h * x + 0.5).tanh()
    h.backward()
    f = formula(h, x)
    assert evaluate(f, h) == pytest.approx(x.grad, rel=1e-12)


def test_unicode_labels_and_infinite_literals() -> None:
    α = Value(0.5, "α")
    y = (α * 2.0).tanh() * Value(1.5, "β₁")
    assert formula(y, α) == 2 * sp.Symbol("β₁") * (1 - sp.tanh(2 * sp.Symbol("α")) ** 2)
    z = Value(0.5, "z")
    assert formula(z * math.inf + 1.0, z) == sp.oo
    assert formula(z * math.nan, z) is sp.nan


def test_evaluate_outside_the_quick_walk_falls_back_to_sympy() -> None:
    """relu's and abs's local derivatives are Heaviside and sign, which the quick mpmath walk
    does not know: evaluate() still gives backward()'s number (d/dx relu(x)*|x| = 2x at 1.5)."""
    x = Value(1.5, "x")
    y = x.relu() * abs(x)
    y.backward()
    f = formula(y, x, expand="leaves")
    assert f.has(sp.Heaviside) or f.has(sp.sign)
    assert evaluate(f, y, expand="leaves") == x.grad == 3.0
