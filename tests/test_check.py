"""gradcheck: passes right rules, catches wrong ones and lists every mismatch."""

from __future__ import annotations

import dataclasses
import math
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


def test_string_inputs_are_rejected() -> None:
    with pytest.raises(TypeError, match="string"):
        gradcheck(lambda x: x, "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="string"):
        gradcheck(lambda x: x, b"1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"eps": 0.0}, "eps must be a finite number > 0"),
        ({"eps": 0}, "eps must be a finite number > 0"),
        ({"eps": -1e-6}, "eps must be a finite number > 0"),
        ({"eps": math.inf}, "eps must be a finite number > 0"),
        ({"eps": math.nan}, "eps must be a finite number > 0"),
        ({"atol": -1e-9}, "atol must be >= 0"),
        ({"atol": math.nan}, "atol must be >= 0"),
        ({"rtol": -1e-9}, "rtol must be >= 0"),
        ({"rtol": math.nan}, "rtol must be >= 0"),
        ({"order": 0}, "order must be 1 or 2"),
        ({"order": 2.0}, "order must be 1 or 2"),
    ],
)
def test_bad_steps_and_tolerances_are_value_errors(kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=re.escape(message)):
        gradcheck(lambda x: x * x, [1.0], **kwargs)


def test_non_number_tolerances_are_type_errors() -> None:
    for kwargs in ({"eps": "1e-6"}, {"atol": None}, {"rtol": [0.1]}, {"eps": True}):
        with pytest.raises(TypeError, match="must be a real number"):
            gradcheck(lambda x: x * x, [1.0], **kwargs)  # type: ignore[arg-type]


def test_zero_tolerances_and_numpy_steps_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    # f = 3x: the central difference is exact for a linear function (up to rounding)
    assert gradcheck(lambda x: x * 4.0, [0.5], eps=np.float64(0.125), atol=0, rtol=0)
    assert gradcheck(lambda x: x * x, [0.75], eps=1e-3, atol=0.0, rtol=1e-12)  # exact for x^2


def test_nan_is_a_mismatch_not_a_match() -> None:
    nan_rule = _with_rule("exp", lambda out, x: (math.nan,))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: apply(nan_rule, x), [0.5])
    (m,) = info.value.mismatches
    assert math.isnan(m.analytic) and m.numeric == pytest.approx(math.exp(0.5), rel=1e-8)
    # nan on the numeric side: sqrt just left of 0 is nan
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: x.sqrt(), [0.0])


@pytest.mark.parametrize("factor", [1.05, 0.95, 1.0001])
def test_default_tolerances_catch_a_rule_slightly_off(factor: float) -> None:
    off = _with_rule("sin", lambda out, x: (factor * ops_module.cos(x),))
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: apply(off, x), [0.3])
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: apply(off, x) * 1.0, [2.0], order=2)
    assert gradcheck(lambda x: x.sin(), [0.3]) and gradcheck(lambda x: x.sin(), [2.0], order=2)


def test_the_tolerance_formula() -> None:
    # analytic 3.0 vs numeric 3.0 * (1 + d): |diff| <= atol + rtol |numeric|
    off = _with_rule("mul", lambda out, a, b: (b * (1.0 + 1e-3), a))
    fn = lambda x, y: apply(off, x, y)  # noqa: E731
    with pytest.raises(GradcheckError):
        gradcheck(fn, [2.0, 3.0], atol=0.0, rtol=5e-4)
    assert gradcheck(fn, [2.0, 3.0], atol=0.0, rtol=2e-3)
    assert gradcheck(fn, [2.0, 3.0], atol=4e-3, rtol=0.0)
    with pytest.raises(GradcheckError):
        gradcheck(fn, [2.0, 3.0], atol=2e-3, rtol=0.0)
    # both together: 3e-3 is needed, 1.5e-3 + 1.5e-3 (rtol 5e-4 of 3.0) suffices
    assert gradcheck(fn, [2.0, 3.0], atol=1.6e-3, rtol=5e-4)


def test_the_error_lists_one_mismatch_per_line() -> None:
    wrong = _with_rule("mul", lambda out, a, b: (2 * b, 2 * a))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: apply(wrong, x, y), [1.5, 2.0])
    lines = str(info.value).split("\n")
    assert lines[0] == "gradcheck found 2 mismatching partial(s):"
    number = r"(\d\.\d+)"
    first = re.fullmatch(rf"  df/dx0: analytic 4\.0 vs numeric {number} \(difference 2\)", lines[1])
    second = re.fullmatch(
        rf"  df/dx1: analytic 3\.0 vs numeric {number} \(difference 1\.5\)", lines[2]
    )
    assert first and float(first[1]) == pytest.approx(2.0, rel=1e-8)
    assert second and float(second[1]) == pytest.approx(1.5, rel=1e-8)
    assert len(lines) == 3


def test_argument_messages() -> None:
    message = r"^gradcheck: inputs must be a sequence of numbers, not a string$"
    with pytest.raises(TypeError, match=message):
        gradcheck(lambda x: x, "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^gradcheck: atol must be a real number, not str$"):
        gradcheck(lambda x: x, [1.0], atol="0")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^gradcheck: eps must be a real number, not NoneType$"):
        gradcheck(lambda x: x, [1.0], eps=None)  # type: ignore[arg-type]


def test_infinite_tolerances_accept_and_nan_still_fails() -> None:
    off = _with_rule("exp", lambda out, x: (out * 2.0,))
    assert gradcheck(lambda x: apply(off, x), [0.5], atol=math.inf)
    assert gradcheck(lambda x: apply(off, x), [0.5], rtol=math.inf)
    nan_rule = _with_rule("exp", lambda out, x: (math.nan,))
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: apply(nan_rule, x), [0.5], atol=math.inf)


def test_second_order_mismatch_in_a_mixed_partial() -> None:
    # f = x y with a rule whose first derivatives are right on floats but whose Value-mode
    # derivative of d/dx is 2y: only the mixed partials d2f/dx0dx1 and d2f/dx1dx0... differ
    def rule(out, a, b):  # type: ignore[no-untyped-def]
        if isinstance(b, float):
            return (b, a)
        return (b * 2.0, a)

    bad = _with_rule("mul", rule)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: apply(bad, x, y), [1.5, 2.0], order=2)
    names = [m.name for m in info.value.mismatches]
    assert names == ["d2f/dx0dx1"]
    (m,) = info.value.mismatches
    assert m.analytic == 2.0 and m.numeric == pytest.approx(1.0, rel=1e-6)
