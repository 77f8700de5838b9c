"""no_grad, enable_grad and detect_anomaly."""

from __future__ import annotations

import asyncio
import math
import re
import threading

import pytest

from autograd import (
    Value,
    add_n,
    detect_anomaly,
    enable_grad,
    grad,
    is_grad_enabled,
    no_grad,
)


def test_no_grad_records_no_parents() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
        assert not is_grad_enabled()
        with enable_grad():
            z = x * 2
    assert is_grad_enabled()
    assert y.data == 7.0 and y.parents == () and y.op == "" and y.local_grads == ()
    assert y.operation is None and not y.requires_grad and y.is_leaf
    # enable_grad() inside records again: z = x * 2 with the parent x (2 is a number)
    assert z.parents == (x,) and z.inputs == (x, 2.0)
    assert z.op == "mul" and z.local_grads == (2.0,) and z.requires_grad
    w = x * 2
    assert w.parents[0] is x and w.op == "mul"


def test_no_grad_is_restored_after_an_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError
    assert is_grad_enabled()


def test_no_grad_is_per_thread() -> None:
    seen: list[bool] = []
    started, release = threading.Event(), threading.Event()

    def other() -> None:
        started.set()
        release.wait(5)
        seen.append(is_grad_enabled())

    t = threading.Thread(target=other)
    with no_grad():
        t.start()
        started.wait(5)
        release.set()
        t.join(5)
    assert seen == [True]


def test_no_grad_is_per_task() -> None:
    async def inside() -> bool:
        with no_grad():
            await asyncio.sleep(0.01)
            return is_grad_enabled()

    async def outside() -> bool:
        await asyncio.sleep(0.005)
        return is_grad_enabled()

    async def both() -> list[bool]:
        return list(await asyncio.gather(inside(), outside()))

    assert asyncio.run(both()) == [False, True]


def test_anomaly_names_the_forward_op_and_operands() -> None:
    x = Value(0.0)
    y = x + 1.0  # fine
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'log'.*-inf.*\(0\.0,\)"):
        x.log()
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'div'.*\(1\.0, 0\.0\)"):
        y / x
    assert math.isinf((y / x).data)  # outside the block: plain IEEE


def test_anomaly_in_backward() -> None:
    x = Value(0.0)
    y = x.sqrt()  # forward 0.0 is fine; the derivative 1/(2 sqrt 0) is inf
    with detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"backward of 'sqrt'.*inf"):
            y.backward()
        with pytest.raises(FloatingPointError, match=r"backward of 'sqrt'"):
            grad(y, [x])


def test_anomaly_passes_clean_computations() -> None:
    with detect_anomaly():
        x = Value(0.5)
        y = (x * x).sigmoid()
        y.backward()
    assert x.grad == pytest.approx(2 * 0.5 * y.data * (1 - y.data), rel=1e-15)


def test_a_no_grad_object_can_be_entered_again_and_nested() -> None:
    from autograd import no_grad as no_grad_class

    ng = no_grad_class()
    with ng:
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with ng:  # a second time
        with ng:  # and nested in itself
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()
    eg = enable_grad()
    with ng, eg:
        assert is_grad_enabled()
        with ng:
            assert not is_grad_enabled()
        assert is_grad_enabled()
    assert is_grad_enabled()


def test_mode_objects_as_decorators() -> None:
    @no_grad()
    def inside(x: Value) -> Value:
        assert not is_grad_enabled()
        return x * 2

    y = inside(Value(1.0))
    assert y.parents == () and is_grad_enabled() and inside.__name__ == "inside"


def test_no_grad_inside_detect_anomaly_keeps_both() -> None:
    from autograd import is_anomaly_enabled

    with detect_anomaly():
        with no_grad():
            assert is_anomaly_enabled() and not is_grad_enabled()
            with pytest.raises(FloatingPointError, match="log"):
                Value(0.0).log()
        assert is_anomaly_enabled() and is_grad_enabled()
    assert not is_anomaly_enabled()


def test_a_shared_no_grad_object_in_two_threads() -> None:
    ng = no_grad()
    barrier = threading.Barrier(2)
    seen: list[tuple[bool, bool]] = []

    def work() -> None:
        with ng:
            barrier.wait(5)
            inside = is_grad_enabled()
            barrier.wait(5)
        seen.append((inside, is_grad_enabled()))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert seen == [(False, True), (False, True)]


def test_anomaly_does_not_check_gradients_of_wrapped_constants() -> None:
    # d(x / c)/dc = -x/c^2 = -inf for c = 1e-300, but c is a number nobody asked about
    with detect_anomaly():
        x = Value(1.0)
        (x / 1e-300).backward()
        assert x.grad == pytest.approx(1e300, rel=1e-15)
        b = Value(0.5)
        (0.0**b).backward()  # d/dbase = b 0^(b-1) = inf, the base is a constant
        assert b.grad == 0.0
        # a user's leaf is still checked
        c = Value(1e-300)
        with pytest.raises(FloatingPointError, match="backward of 'div'"):
            (Value(1.0) / c).backward()
        with pytest.raises(FloatingPointError, match="backward of 'sqrt'"):
            (Value(0.0).sqrt() * 2.0).backward()  # and so is a non-leaf's incoming gradient


def test_tracing_guards_every_read_of_the_number() -> None:
    from autograd.modes import TracingError, tracing

    v = Value(1.5)
    uses = {
        "bool()": lambda: bool(v),
        "comparison (==)": lambda: v == 1.0,
        "comparison (!=)": lambda: v != 1.0,
        "comparison (<)": lambda: v < 1.0,
        "comparison (<=)": lambda: v <= 1.0,
        "comparison (>)": lambda: v > 1.0,
        "comparison (>=)": lambda: v >= 1.0,
        "int()": lambda: int(v),
        "round()": lambda: round(v, 1),
        "float()": lambda: float(v),
        "item()": lambda: v.item(),
        "format()": lambda: f"{v:.2f}",
    }
    with tracing():
        for what, use in uses.items():
            with pytest.raises(TracingError, match="^" + re.escape(what) + " of a Value"):
                use()
        assert f"{v}" == repr(v)  # an empty format spec reads nothing
        w = v * 2.0  # arithmetic records as usual
    assert w.data == 3.0
    assert [use() for use in uses.values()] == [
        True, False, True, False, False, True, True, 1, 1.5, 1.5, 1.5, "1.50"]


def test_mode_objects_repr_and_tracing_message() -> None:
    from autograd.modes import TracingError, tracing

    assert [repr(m) for m in (no_grad(), enable_grad(), detect_anomaly(), tracing())] == [
        "no_grad()", "enable_grad()", "detect_anomaly()", "tracing()"]
    with tracing(), pytest.raises(TracingError) as info:
        bool(Value(1.0))
    assert str(info.value) == (
        "bool() of a Value reads its number, which autograd.compile cannot record: the "
        "compiled code would always take the branch seen while tracing. Call the function "
        "eagerly instead (without compile), or express the branch with relu/abs."
    )


def test_anomaly_messages_show_number_operands_in_place() -> None:
    # 1 / x at x = 1e-300: d/dx = -(1/x)/x = -inf; x is input 1, the number 1.0 is input 0
    x = Value(1e-300)
    with detect_anomaly(), pytest.raises(
            FloatingPointError,
            match=r"backward of 'div' gave gradient -inf for its input 1 "
                  r"\(operands \(1\.0, 1e-300\)\)"):
        (1.0 / x).backward()
    overflow = r"forward of 'mul' gave inf for operands \(100000000\.0, 1e\+308\)"
    with detect_anomaly(), pytest.raises(FloatingPointError, match=overflow):
        Value(1e-300) * 1e308 * 1e308  # the second product overflows


def test_no_grad_drops_number_inputs_too() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 2.0
        z = 3.0 - x
        s = add_n([x, 1.0])
    for node, value in ((y, 4.0), (z, 1.0), (s, 3.0)):
        assert node.data == value and node.is_leaf and not node.requires_grad
        assert node.parents == () and node.inputs == () and node.op == ""
