"""autograd.modes and autograd.check under mutation testing: exact messages and boundaries.

Reference numbers are closed forms written here.
"""

from __future__ import annotations

import math

import pytest

from autograd import GradcheckError, Value, detect_anomaly, gradcheck, no_grad
from autograd.check import Mismatch
from autograd.modes import (
    TracingError,
    check_backward,
    check_forward,
    check_tracing,
    current_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    tracing,
)


def test_mode_switches_nest_and_restore() -> None:
    ng = no_grad()
    assert repr(ng) == "no_grad()" and repr(detect_anomaly()) == "detect_anomaly()"
    before = current_mode.get()
    with ng:
        assert not is_grad_enabled()
        with detect_anomaly():
            assert is_anomaly_enabled() and not is_grad_enabled()
            with ng:
                assert not is_grad_enabled()
            assert is_anomaly_enabled()
        assert not is_anomaly_enabled() and not is_grad_enabled()
    assert current_mode.get() is before


def test_check_messages() -> None:
    check_forward("exp", [1.0], 2.0)
    check_backward("log", [1.0], 0, -1.0)
    with pytest.raises(FloatingPointError) as info:
        check_forward("exp", [1000.0], math.inf)
    assert str(info.value) == "detect_anomaly: forward of 'exp' gave inf for operands (1000.0,)"
    with pytest.raises(FloatingPointError) as info:
        check_backward("log", [0.0], 0, math.nan)
    assert str(info.value) == (
        "detect_anomaly: backward of 'log' gave gradient nan for its input 0 (operands (0.0,))"
    )
    check_tracing("bool()")
    with tracing(), pytest.raises(TracingError) as error:
        check_tracing("bool()")
    assert str(error.value).startswith("bool() of a Value reads its number, which")


def test_gradcheck_boundaries_and_messages() -> None:
    assert gradcheck(lambda x, y: x * y.exp(), [0.3, -0.2], order=2)
    for order in (0, 3, 1.0, True):
        with pytest.raises(ValueError, match=r"^gradcheck: order must be 1 or 2, not "):
            gradcheck(lambda x: x, [1.0], order=order)  # type: ignore[arg-type]
    for eps in (0.0, -1e-6, math.inf, math.nan):
        with pytest.raises(ValueError, match=r"^gradcheck: eps must be a finite number > 0"):
            gradcheck(lambda x: x, [1.0], eps=eps)
    with pytest.raises(ValueError, match=r"^gradcheck: atol must be >= 0, not -1.0$"):
        gradcheck(lambda x: x, [1.0], atol=-1.0)
    with pytest.raises(ValueError, match=r"^gradcheck: rtol must be >= 0, not nan$"):
        gradcheck(lambda x: x, [1.0], rtol=math.nan)
    with pytest.raises(TypeError, match=r"^gradcheck: atol must be a real number, not bool$"):
        gradcheck(lambda x: x, [1.0], atol=True)
    with pytest.raises(TypeError, match=r"^gradcheck: inputs must be a sequence of numbers"):
        gradcheck(lambda x: x, "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^gradcheck: fn must return a Value, not float$"):
        gradcheck(lambda x: 1.0, [1.0])  # type: ignore[arg-type,return-value]
    assert gradcheck(lambda x: x * 2.0, [1.0], atol=0.0, rtol=0.0, eps=0.5)  # exact: 2 == 2


def test_gradcheck_reports_each_mismatch() -> None:
    from autograd import Op, apply

    wrong = Op("wrong_sq", "sq", lambda x: x * x, lambda out, x: (3.0 * x,), "wrong: 3x")
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: apply(wrong, x), [2.0], order=2)
    names = [m.name for m in info.value.mismatches]
    assert names == ["df/dx0"]  # d/dx (3x) = 3 on both sides: the second partial agrees
    first = info.value.mismatches[0]
    assert first.analytic == 6.0 and math.isclose(first.numeric, 4.0, rel_tol=1e-8)
    assert str(info.value).startswith("gradcheck found 1 mismatching partial(s):\n  df/dx0: ")
    m = Mismatch("df/dx0", 1.0, 0.5)
    assert str(m) == "df/dx0: analytic 1.0 vs numeric 0.5 (difference 0.5)"
    # the tolerance is atol + rtol * |numeric|: 6 vs 4 passes with rtol 0.5, not with 0.49
    assert gradcheck(lambda x: apply(wrong, x), [2.0], atol=0.0, rtol=0.5)
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: apply(wrong, x), [2.0], atol=0.0, rtol=0.49)
    assert gradcheck(lambda x: apply(wrong, x), [2.0], atol=2.0, rtol=0.0)
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: apply(wrong, x), [2.0], atol=1.99, rtol=0.0)
    # an unused input has the derivative 0 on both sides
    assert gradcheck(lambda x, y: x * 3.0, [1.0, 5.0], order=2)
    assert Value(1.0).data == 1.0
