"""Optimizers: ``SGD`` (with momentum) and ``Adam``, with PyTorch's update formulas.

Both update ``p.data`` in plain floats from ``p.grad`` (no graph is recorded), for the
parameter Values they were given, typically ``model.parameters()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value


def _params(params: Iterable[Value]) -> list[Value]:
    if isinstance(params, Value):
        raise TypeError("params must be an iterable of Values (e.g. model.parameters()), "
                        "not a single Value")
    try:
        ps = list(params)
    except TypeError:
        raise TypeError(f"params must be an iterable of Values, not {type(params).__name__}") \
            from None
    for p in ps:
        if not isinstance(p, Value):
            raise TypeError(f"params must be Values, found {type(p).__name__}: {p!r}")
    if not ps:
        raise ValueError("the optimizer got an empty parameter list")
    return ps


def _hyper(name: str, value: object, *, low: float = 0.0, below: float | None = None) -> float:
    """A finite real ``value`` with ``low <= value`` (and ``value < below``), else an error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}: {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < low or (below is not None and v >= below):
        bound = f"in [{low}, {below})" if below is not None else f">= {low}"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return v


class Optimizer:
    """Base class: holds the parameter list; ``zero_grad()`` clears their gradients."""

    def __init__(self, params: Iterable[Value]) -> None:
        self.params = _params(params)

    def zero_grad(self) -> None:
        """Set ``p.grad = 0.0`` for every parameter."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:  # pragma: no cover - abstract
        """Update every parameter from its gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (PyTorch's ``torch.optim.SGD``).

    Without momentum, the article's rule: ``w_i <- w_i - lr * dJ/dw_i``. With momentum ``μ``::

        buf <- μ * buf + g      (the first step: buf = g)
        p   <- p - lr * buf

    Args:
        params: the Values to update.
        lr: the learning rate (the article's ``a``), a finite number >= 0.
        momentum: ``μ``, a finite number >= 0 (``0``: plain SGD).
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _hyper("lr", lr)
        self.momentum = _hyper("momentum", momentum)
        self._buffers: list[float] | None = None

    def step(self) -> None:
        """One update of every parameter from its ``.grad`` (see the class docstring)."""
        lr = self.lr
        momentum = self.momentum
        if momentum == 0.0:
            for p in self.params:
                p.data -= lr * p.grad
            return
        buffers = self._buffers
        if buffers is None:
            self._buffers = buffers = [p.grad for p in self.params]
        else:
            for i, p in enumerate(self.params):
                buffers[i] = momentum * buffers[i] + p.grad
        for p, buf in zip(self.params, buffers):
            p.data -= lr * buf


class Adam(Optimizer):
    """Adam (Kingma & Ba), with PyTorch's bias-corrected update (``torch.optim.Adam``).

    At step ``t = 1, 2, ...``, for each parameter ``p`` with gradient ``g``::

        m <- β1 m + (1 - β1) g
        v <- β2 v + (1 - β2) g²
        p <- p - (lr / (1 - β1^t)) * m / (sqrt(v) / sqrt(1 - β2^t) + eps)

    which is ``p - lr * m̂ / (sqrt(v̂) + eps)`` with ``m̂ = m/(1 - β1^t)``, ``v̂ = v/(1 - β2^t)``.

    Args:
        params: the Values to update.
        lr: the learning rate, >= 0.
        betas: ``(β1, β2)``, each in ``[0, 1)``.
        eps: added to the denominator, >= 0.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = _hyper("lr", lr)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list)) \
                or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_hyper("betas[0]", betas[0], below=1.0),
                      _hyper("betas[1]", betas[1], below=1.0))
        self.eps = _hyper("eps", eps)
        self.t = 0
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter from its ``.grad``."""
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        step_size = self.lr / (1.0 - beta1**t)
        correction2_sqrt = math.sqrt(1.0 - beta2**t)
        eps = self.eps
        m = self._m
        v = self._v
        sqrt = math.sqrt
        for i, p in enumerate(self.params):
            g = p.grad
            m[i] = mi = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = vi = beta2 * v[i] + (1.0 - beta2) * g * g
            p.data -= step_size * mi / (sqrt(vi) / correction2_sqrt + eps)
