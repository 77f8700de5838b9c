"""Loss functions, each ONE graph node (its rule lives in :mod:`autograd.ops`): ``mse_loss``
and its module form ``MSELoss``."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence, Set
from typing import Any

from autograd import Value, squared_error
from autograd.value import Reduction
from nn.module import Module

_REDUCTIONS = ("mean", "sum", "half_sum")


def _as_list(x: object, what: str) -> list[Value | float]:
    """A sequence as a list; one Value or number as a list of one; else ``TypeError``.

    A number is any ``numbers.Real`` but ``bool`` (``numpy.float32`` too); a sequence is a
    list, a tuple or anything indexable with a length (a 1-d numpy array), but not a str,
    bytes, a mapping or a set.
    """
    if isinstance(x, Value):
        return [x]
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return [x]  # type: ignore[list-item]
    if isinstance(x, (str, bytes, bytearray, Mapping, Set)) or not (
        isinstance(x, Sequence) or (hasattr(x, "__getitem__") and hasattr(x, "__len__"))
    ):
        raise TypeError(f"{what} must be a list of Values or numbers, not {type(x).__name__}")
    items: list[Value | float] = list(x)  # type: ignore[call-overload]
    return items


def _check_reduction(reduction: object) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {', '.join(map(repr, _REDUCTIONS))}, "
                         f"not {reduction!r}")


def mse_loss(
    outputs: Sequence[Value] | Value,
    targets: Sequence[Value | float] | Value | float,
    reduction: Reduction = "mean",
) -> Value:
    """The squared error of ``outputs`` against ``targets``, as one node.

    * ``"mean"`` (PyTorch's ``MSELoss``): ``L = 1/n Σ_i (o_i - y_i)^2``;
    * ``"sum"``: ``L = Σ_i (o_i - y_i)^2``;
    * ``"half_sum"``: the article's cost ``J(W) = 1/2 Σ_i (y_i - o_i)^2``, whose derivative
      is the article's ``dJ/do_i = -(y_i - o_i)``.

    ``outputs`` is what a model returns (a list of Values; one Value is a list of one),
    ``targets`` numbers or Values. Lengths that differ, an empty list or an unknown
    ``reduction`` are a ``ValueError``; a str or other non-number a ``TypeError``.
    """
    _check_reduction(reduction)
    # Lists go straight to squared_error, which checks their elements itself.
    os_ = outputs if type(outputs) is list else _as_list(outputs, "outputs")
    ys = targets if type(targets) is list else _as_list(targets, "targets")
    if len(os_) != len(ys):
        raise ValueError(f"mse_loss got {len(os_)} outputs but {len(ys)} targets")
    if not os_:
        raise ValueError("mse_loss needs at least one output")
    return squared_error(os_, ys, reduction)


class MSELoss(Module):
    """``nn.MSELoss(reduction="mean")``, PyTorch's module form of :func:`mse_loss`.

    ``criterion = MSELoss(); loss = criterion(outputs, targets)`` is
    ``mse_loss(outputs, targets, reduction)``: ``L = 1/n Σ_i (o_i - y_i)^2`` for ``"mean"``,
    the sum for ``"sum"``, and the article's ``J(W) = 1/2 Σ_i (y_i - o_i)^2`` for
    ``"half_sum"``. It holds no parameters. An unknown ``reduction`` is a ``ValueError``
    at construction.
    """

    def __init__(self, reduction: Reduction = "mean") -> None:
        _check_reduction(reduction)
        self.reduction = reduction

    def forward(
        self,
        outputs: Sequence[Value] | Value,
        targets: Sequence[Value | float] | Value | float,
    ) -> Value:
        """``mse_loss(outputs, targets, self.reduction)``."""
        return mse_loss(outputs, targets, self.reduction)

    def __call__(
        self,
        outputs: Sequence[Value] | Value,
        targets: Sequence[Value | float] | Value | float,
    ) -> Value:
        """``self.forward(outputs, targets)`` (typed: one Value)."""
        return self.forward(outputs, targets)

    def architecture(self) -> dict[str, Any]:
        """``{"type": "MSELoss", "reduction": ...}``."""
        return {"type": "MSELoss", "reduction": self.reduction}

    def __repr__(self) -> str:
        return f"MSELoss(reduction={self.reduction!r})" if self.reduction != "mean" \
            else "MSELoss()"
