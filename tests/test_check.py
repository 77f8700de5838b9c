"""gradcheck: passes right rules, catches wrong ones and lists every mismatch."""

from __future__ import annotations

import dataclasses
import re

import pytest

from autograd import GradcheckError, Value, gradcheck
from autograd import ops as ops_module
from autograd.value import apply


def test_passes_correct_gradients() -> None:
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, 1.7])
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, 1.7], order=2)


def _with_rule(name: str, rule):  # type: ignore[no-untyped-def]
    return dataclasses.replace(ops_module.OPS[name], local_grads=rule)


def test_lists_each_wrong_first_derivative_with_both_numbers() -> None:
    wrong_mul = _with_rule("mul", lambda out, a, b: (b, 2 * a))  # d/db should be a

    def fn(x: Value, y: Value) -> Value:
        return apply(wrong_mul, x, y)

    with pytest.raises(GradcheckError) as info:
        gradcheck(fn, [1.5, 2.0])
    mismatches = info.value.mismatches
    assert [m.name for m in mismatches] == ["df/dx1"]
    assert mismatches[0].analytic == 3.0
    assert mismatches[0].numeric == pytest.approx(1.5, rel=1e-8)
    assert re.search(
        r"df/dx1: analytic 3\.0 vs numeric 1\.4999999\d+ \(difference 1\.5\)", str(info.value)
    )


def test_order_two_catches_a_rule_right_on_floats_but_flat_on_values() -> None:
    # y = x^2 whose rule 2x is read from the float data: the first derivative is right, but
    # on Values it records no graph, so the second derivative comes out 0 instead of 2.
    square = dataclasses.replace(
        ops_module.OPS["neg"],
        forward=lambda x: x * x,
        local_grads=lambda out, x: (2.0 * ops_module.data(x),),
    )
    assert gradcheck(lambda x: apply(square, x), [1.25])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: apply(square, x), [1.25], order=2)
    (m,) = info.value.mismatches
    assert m.name == "d2f/dx0dx0"
    assert m.analytic == 0.0
    assert m.numeric == pytest.approx(2.0, rel=1e-6)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="order"):
        gradcheck(lambda x: x, [1.0], order=3)
    with pytest.raises(TypeError, match="float"):
        gradcheck(lambda x: 2.0, [1.0])  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="str"):
        gradcheck(lambda x: x, ["1"])  # type: ignore[list-item]
