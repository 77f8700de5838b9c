"""no_grad, enable_grad and detect_anomaly."""

from __future__ import annotations

import asyncio
import math
import threading

import pytest

from autograd import Value, detect_anomaly, enable_grad, grad, is_grad_enabled, no_grad


def test_no_grad_records_no_parents() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
        assert not is_grad_enabled()
        with enable_grad():
            z = x * 2
    assert is_grad_enabled()
    assert y.data == 7.0 and y.parents == () and y.op == ""
    assert z.parents == (x, z.parents[1])
    w = x * 2
    assert w.parents[0] is x


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
