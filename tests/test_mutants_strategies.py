"""Tests written against mutmut's survivors in ``autograd.strategies`` (issue 17)."""

from __future__ import annotations

import math

import pytest

from autograd.ops import OPS
from autograd.strategies import (
    MAX_MAGNITUDE,
    Expression,
    Step,
    _arities,
    _choices,
    _moderate,
    leaf_values,
)


def _expr() -> Expression:
    # v2 = mul(v0, v1); v3 = pow_const[0.5](v2); v4 = exp(v3)
    return Expression(2, (Step("mul", (0, 1)), Step("pow_const", (2,), 0.5),
                          Step("exp", (3,))), (2.0, 8.0))


def test_repr_lists_every_step_in_the_inputs_numbering() -> None:
    assert repr(_expr()) == (
        "Expression(point=(2.0, 8.0))\n"
        "  v2 = mul(v0, v1)\n"
        "  v3 = pow_const[0.5](v2)\n"
        "  v4 = exp(v3)"
    )


def test_float_value_at_another_point() -> None:
    e = _expr()
    assert e.float_value() == math.exp(4.0)  # sqrt(2 * 8)
    assert e.float_value([1.0, 9.0]) == math.exp(3.0)  # sqrt(1 * 9)


def test_evaluate_refuses_a_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match=r"^expression takes 2 inputs, got 1$"):
        _expr().evaluate([1.0], lambda step, args: 0.0)


def test_evaluate_returns_the_last_node() -> None:
    # v2 = 2·8 = 16, v3 = 4, v4 = e^4: the last one, not v1 = 8 nor v3 = 4
    assert _expr().evaluate([2.0, 8.0], lambda step, args: step.row().forward(*args)) == \
        math.exp(4.0)


def test_arities() -> None:
    assert _arities(OPS["exp"]) == [1]
    assert _arities(OPS["add_n"]) == [1, 2, 3]  # n groups of 1
    assert _arities(OPS["wsum"]) == [3, 5, 7]  # n weights, n inputs and a bias


def test_moderate_includes_the_bound() -> None:
    assert _moderate(MAX_MAGNITUDE) and _moderate(-MAX_MAGNITUDE)
    assert not _moderate(math.nextafter(MAX_MAGNITUDE, math.inf))


def test_choices_messages() -> None:
    with pytest.raises(TypeError, match=r"^ops must be Op rows or names, not int$"):
        _choices(None, [3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"^expressions\(\) needs at least one op to draw from$"):
        _choices([], [])


def test_leaf_values_are_labelled_in_order() -> None:
    leaves = leaf_values([1.5, -2.0, 0.0])
    assert [(v.data, v.label) for v in leaves] == [(1.5, "x0"), (-2.0, "x1"), (0.0, "x2")]
