"""Checking gradients against central finite differences.

``gradcheck(fn, inputs)`` compares the engine's derivatives of ``fn`` with

    d f / d x_i  ≈  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

and, with ``order=2``, its second derivatives with the same central differences taken of
the (analytic) first derivatives, as PyTorch's ``gradgradcheck`` does.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.backward import grad
from autograd.modes import no_grad
from autograd.value import Value


@dataclass(frozen=True)
class Mismatch:
    """One partial derivative where the engine and finite differences disagree."""

    name: str
    analytic: float
    numeric: float

    def __str__(self) -> str:
        return (
            f"{self.name}: analytic {self.analytic!r} vs numeric {self.numeric!r} "
            f"(difference {abs(self.analytic - self.numeric):.3g})"
        )


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck`; ``.mismatches`` lists every partial that disagrees."""

    def __init__(self, mismatches: Sequence[Mismatch]) -> None:
        self.mismatches = list(mismatches)
        lines = "\n".join(f"  {m}" for m in self.mismatches)
        super().__init__(f"gradcheck found {len(self.mismatches)} mismatching partial(s):\n{lines}")


def _call(fn: Callable[..., Value], values: Sequence[Value]) -> Value:
    out = fn(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, not {type(out).__name__}")
    return out


def _points(inputs: Sequence[float]) -> list[float]:
    if isinstance(inputs, (str, bytes)):
        raise TypeError("gradcheck: inputs must be a sequence of numbers, not a string")
    return [Value(x).data for x in inputs]


def _real(name: str, x: object) -> float:
    """``x`` as a float, or a ``TypeError`` (a bool is not a tolerance)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"gradcheck: {name} must be a real number, not {type(x).__name__}")
    return float(x)


def _step(x: object) -> float:
    """The difference step ``eps``: a finite number ``> 0``."""
    value = _real("eps", x)
    if not 0.0 < value < math.inf:
        raise ValueError(f"gradcheck: eps must be a finite number > 0, not {x!r}")
    return value


def _tolerance(name: str, x: object) -> float:
    """``atol`` or ``rtol``: a number ``>= 0`` (``inf`` accepts everything, nan nothing)."""
    value = _real(name, x)
    if not value >= 0.0:
        raise ValueError(f"gradcheck: {name} must be >= 0, not {x!r}")
    return value


def _close(analytic: float, numeric: float, atol: float, rtol: float) -> bool:
    # A nan on either side makes the comparison false: never a match.
    return abs(analytic - numeric) <= atol + rtol * abs(numeric)


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-5,
    order: int = 1,
) -> bool:
    """Check the gradients of ``fn`` at the point ``inputs`` against finite differences.

    ``fn`` takes one Value per input and returns one Value. A partial passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|``, with ``numeric`` the central
    difference ``(f(x + eps) - f(x - eps)) / (2 eps)``. With ``order=2`` every second
    partial ``d²f / dx_i dx_j`` is checked too, against central differences of the first
    derivatives. Returns ``True``, or raises :class:`GradcheckError` listing each mismatch
    with both numbers. A nan on either side is a mismatch, never a match.

    ``eps`` must be a finite number ``> 0``, ``atol`` and ``rtol`` numbers ``>= 0``
    (``ValueError`` otherwise; ``TypeError`` for a non-number).
    """
    if order not in (1, 2) or type(order) is not int:
        raise ValueError(f"gradcheck: order must be 1 or 2, not {order!r}")
    eps = _step(eps)
    atol = _tolerance("atol", atol)
    rtol = _tolerance("rtol", rtol)
    point = _points(inputs)
    n = len(point)

    def first_derivatives(at: Sequence[float]) -> tuple[Value, ...]:
        xs = [Value(v) for v in at]
        return grad(_call(fn, xs), xs, materialize_grads=True)  # unused: 0

    def value_at(at: Sequence[float]) -> float:
        with no_grad():
            return _call(fn, [Value(v) for v in at]).data

    def central(f: Callable[[list[float]], float], i: int) -> float:
        up = list(point)
        down = list(point)
        up[i] += eps
        down[i] -= eps
        return (f(up) - f(down)) / (2.0 * eps)

    mismatches: list[Mismatch] = []
    analytic = [g.data for g in first_derivatives(point)]
    for i in range(n):
        numeric = central(value_at, i)
        if not _close(analytic[i], numeric, atol, rtol):
            mismatches.append(Mismatch(f"df/dx{i}", analytic[i], numeric))

    if order == 2:
        xs = [Value(v) for v in point]
        firsts = grad(_call(fn, xs), xs, create_graph=True, materialize_grads=True)
        for i in range(n):
            seconds = grad(firsts[i], xs, materialize_grads=True)

            def partial_i(at: list[float], i: int = i) -> float:
                return first_derivatives(at)[i].data

            for j in range(n):
                numeric = central(partial_i, j)
                if not _close(seconds[j].data, numeric, atol, rtol):
                    mismatches.append(Mismatch(f"d2f/dx{i}dx{j}", seconds[j].data, numeric))

    if mismatches:
        raise GradcheckError(mismatches)
    return True
