"""Recording modes: ``no_grad`` and ``detect_anomaly``, per thread and per asyncio task.

Both live in one :class:`contextvars.ContextVar`, so the engine reads a single variable per
operation, and a ``with no_grad():`` in one thread or task does not leak into another.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, replace
from typing import ClassVar, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Mode:
    """What the engine does while computing: record the graph? check every number?"""

    grad_enabled: bool = True
    anomaly: bool = False
    tracing: bool = False


DEFAULT_MODE = Mode()
current_mode: ContextVar[Mode] = ContextVar("autograd_mode", default=DEFAULT_MODE)


_saved_tokens: ContextVar[tuple[Token[Mode], ...]] = ContextVar("autograd_saved_modes", default=())


class _ModeSwitch:
    """A re-usable, re-entrant context manager (and decorator) that changes the mode.

    Each ``with`` pushes the mode it replaces onto a per-context stack (a ContextVar, so
    threads and asyncio tasks sharing one object do not mix), and restores it on exit: the
    same object can be entered again, also while it is active (nested).
    """

    __slots__ = ()
    _changes: ClassVar[dict[str, bool]] = {}

    def __enter__(self) -> None:
        token = current_mode.set(replace(current_mode.get(), **self._changes))
        _saved_tokens.set((*_saved_tokens.get(), token))

    def __exit__(self, *exc_info: object) -> None:
        saved = _saved_tokens.get()
        _saved_tokens.set(saved[:-1])
        current_mode.reset(saved[-1])

    def __call__(self, fn: Callable[P, R]) -> Callable[P, R]:
        """Use as a decorator: ``fn`` runs inside this mode, as ``@torch.no_grad()``."""

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with self:
                return fn(*args, **kwargs)

        return wrapper

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class no_grad(_ModeSwitch):
    """Context manager: Values computed inside record no parents (they are leaves).

    Use it for work that must not be differentiated, such as an optimizer's update
    ``w = w - lr * dJ/dw``. Like ``torch.no_grad()``, it holds for the current thread or
    asyncio task only, and also works as a decorator. One object may be entered any number
    of times, also nested. ``backward()`` from a result computed inside raises.
    """

    __slots__ = ()
    _changes: ClassVar[dict[str, bool]] = {"grad_enabled": False}


class enable_grad(_ModeSwitch):
    """Context manager: record the graph again inside a ``no_grad()`` block."""

    __slots__ = ()
    _changes: ClassVar[dict[str, bool]] = {"grad_enabled": True}


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return current_mode.get().grad_enabled


class detect_anomaly(_ModeSwitch):
    """Context manager: the first NaN or infinity raises ``FloatingPointError``.

    Inside it, every forward result and every gradient that ``backward()`` or ``grad()``
    computes is checked (except a gradient that reaches a number an operator wrapped, which
    nothing asked for); the error names the operation and its operand values, so the
    place where a number went bad is found at once instead of at the loss.
    """

    __slots__ = ()
    _changes: ClassVar[dict[str, bool]] = {"anomaly": True}


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return current_mode.get().anomaly


class TracingError(RuntimeError):
    """Python control flow on a Value's number while ``autograd.compile`` traces a function.

    A trace records operations, not Python decisions: ``if loss > 0:`` or ``bool(x)`` would
    freeze one branch into the compiled code. Run the function eagerly (without compile),
    or express the branch with an op that has a kink (``relu``, ``abs``).
    """


class tracing(_ModeSwitch):
    """Context manager used by ``autograd.compile`` while it records a function.

    Inside it, ``bool()``, comparisons, ``int()``, ``round()``, ``float()``, ``item()`` and
    ``format()`` of a Value raise :class:`TracingError` instead of reading its number.
    """

    __slots__ = ()
    _changes: ClassVar[dict[str, bool]] = {"tracing": True}


def is_tracing() -> bool:
    """True while ``autograd.compile`` traces a function."""
    return current_mode.get().tracing


def check_tracing(what: str) -> None:
    """Raise :class:`TracingError` if a trace is being recorded (``what`` names the use)."""
    if current_mode.get().tracing:
        raise TracingError(
            f"{what} of a Value reads its number, which autograd.compile cannot record: the "
            "compiled code would always take the branch seen while tracing. Call the function "
            "eagerly instead (without compile), or express the branch with relu/abs."
        )


def check_forward(op_name: str, operands: Sequence[float], result: float) -> None:
    """Raise ``FloatingPointError`` if ``result`` is NaN or infinite (anomaly mode)."""
    if not math.isfinite(result):
        raise FloatingPointError(
            f"detect_anomaly: forward of {op_name!r} gave {result!r} "
            f"for operands {tuple(operands)!r}"
        )


def check_backward(op_name: str, operands: Sequence[float], index: int, gradient: float) -> None:
    """Raise ``FloatingPointError`` if ``gradient`` is NaN or infinite (anomaly mode)."""
    if not math.isfinite(gradient):
        raise FloatingPointError(
            f"detect_anomaly: backward of {op_name!r} gave gradient {gradient!r} "
            f"for its input {index} (operands {tuple(operands)!r})"
        )
