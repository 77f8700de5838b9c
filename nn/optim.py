"""Optimizers: ``SGD`` (with momentum) and ``Adam``, with PyTorch's update formulas.

Both update ``p.data`` in plain floats from ``p.grad`` (no graph is recorded), for the
parameter Values they were given, typically ``model.parameters()``.

A step is atomic: every gradient is read and checked, every new value and state computed,
and only then is anything assigned, so a step applies to every parameter or to none.
Arithmetic follows IEEE as PyTorch's does (an infinite or NaN gradient gives an infinite or
NaN parameter, ``0/0`` in Adam with ``eps=0`` gives NaN; never a Python exception). A
parameter whose ``.grad`` is ``None`` ("no gradient yet", see ``zero_grad(set_to_none=True)``)
is skipped, and its optimizer state (momentum buffer, Adam's moments and step count) is left
as it was, as in PyTorch. Hyper-parameters are checked when they are set, also after
construction (``opt.lr = 0.1``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from autograd import Value
from autograd.ops import float_div
from autograd.value import NO_GRAD_YET, clear_grads


def _params(params: Iterable[Value]) -> list[Value]:
    """``params`` as a list of distinct Values (by identity), else a clear error."""
    if isinstance(params, Value):
        raise TypeError("params must be an iterable of Values (e.g. model.parameters()), "
                        "not a single Value")
    try:
        ps = list(params)
    except TypeError:
        raise TypeError(f"params must be an iterable of Values, not {type(params).__name__}") \
            from None
    first: dict[int, int] = {}
    for i, p in enumerate(ps):
        if not isinstance(p, Value):
            raise TypeError(f"params must be Values, found {type(p).__name__} at position "
                            f"{i}: {p!r:.60}")
        j = first.setdefault(id(p), i)
        if j != i:
            raise ValueError(f"parameter {i} is the same Value as parameter {j}: each "
                             f"parameter may appear once in an optimizer")
    if not ps:
        raise ValueError("the optimizer got an empty parameter list")
    return ps


def _hyper(name: str, value: object, *, low: float = 0.0, below: float | None = None) -> float:
    """A finite real ``value`` with ``low <= value`` (and ``value < below``), else an error.

    Any ``numbers.Real`` but ``bool`` counts (``numpy.float32(0.1)`` is fine).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}: {value!r:.60}")
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v) or v < low or (below is not None and v >= below):
        bound = f"in [{low}, {below})" if below is not None else f">= {low}"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r:.60}")
    return v


def _grads(params: list[Value]) -> list[float | None]:
    """Every parameter's gradient as a float, or None where there is none yet; checked first."""
    out: list[float | None] = []
    for i, p in enumerate(params):
        g: object = p.grad
        if type(g) is float or g is None:
            out.append(g)
        elif isinstance(g, numbers.Real) and not isinstance(g, bool):
            out.append(float(g))
        else:
            raise TypeError(f"parameter {i} has a gradient of type {type(g).__name__} "
                            f"({g!r:.60}); expected a float or None")
    return out


class Optimizer:
    """Base class: holds the parameter list; ``zero_grad()`` clears their gradients.

    Args:
        params: the Values to update; each once (a repeated Value is a ``ValueError``
            naming both positions).
    """

    def __init__(self, params: Iterable[Value]) -> None:
        self.params = _params(params)

    @property
    def lr(self) -> float:
        """The learning rate, a finite number >= 0 (checked when set)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _hyper("lr", value)

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set ``p.grad = 0.0`` for every parameter (``None`` with ``set_to_none=True``).

        PyTorch's default is ``set_to_none=True``; here it is ``False`` so that ``.grad``
        stays a float to print and compare. ``None`` means "no gradient yet": the next
        :meth:`step` skips that parameter unless a backward pass has given it one.
        """
        clear_grads(self.params, set_to_none)

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (PyTorch's ``torch.optim.SGD``).

    Without momentum, the article's rule: ``w_i <- w_i - lr * dJ/dw_i``. With momentum ``μ``::

        buf <- μ * buf + g      (a parameter's first step: buf = g)
        p   <- p - lr * buf

    Args:
        params: the Values to update.
        lr: the learning rate (the article's ``a``), a finite number >= 0.
        momentum: ``μ``, a finite number >= 0 (``0``: plain SGD).
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = lr
        self.momentum = momentum
        self._buffers: list[float | None] = [None] * len(self.params)

    @property
    def momentum(self) -> float:
        """The momentum ``μ``, a finite number >= 0 (checked when set)."""
        return self._momentum

    @momentum.setter
    def momentum(self, value: float) -> None:
        self._momentum = _hyper("momentum", value)

    def step(self) -> None:
        """One update of every parameter that has a gradient (see the class docstring)."""
        params = self.params
        lr = self._lr
        momentum = self._momentum
        # The common case: plain Values (a subclass may define its own grad or data), read
        # and written through their slots. A None grad is the slot's NO_GRAD_YET and is
        # skipped; float arithmetic cannot fail, so the step is still all or nothing.
        if momentum == 0.0:
            for p in params:
                if type(p) is not Value:
                    break
            else:
                for p in params:
                    g = p._grad
                    if g is not NO_GRAD_YET:
                        p._data -= lr * g
                return
        grads = _grads(params)
        if momentum == 0.0:
            new = [p.data if g is None else p.data - lr * g for p, g in zip(params, grads)]
            for p, d in zip(params, new):
                p.data = d
            return
        buffers = [
            buf if g is None else (g if buf is None else momentum * buf + g)
            for buf, g in zip(self._buffers, grads)
        ]
        new = [p.data if g is None or buf is None else p.data - lr * buf
               for p, g, buf in zip(params, grads, buffers)]
        self._buffers = buffers
        for p, d in zip(params, new):
            p.data = d


class Adam(Optimizer):
    """Adam (Kingma & Ba), with PyTorch's bias-corrected update (``torch.optim.Adam``).

    At a parameter's step ``t = 1, 2, ...`` (counted per parameter: a step where its
    ``.grad`` is None does not count), with gradient ``g``::

        m <- β1 m + (1 - β1) g
        v <- β2 v + (1 - β2) g²
        p <- p - (lr / (1 - β1^t)) * m / (sqrt(v) / sqrt(1 - β2^t) + eps)

    which is ``p - lr * m̂ / (sqrt(v̂) + eps)`` with ``m̂ = m/(1 - β1^t)``, ``v̂ = v/(1 - β2^t)``.
    The divisions are IEEE's: with ``eps = 0`` and ``g = 0`` the update is ``0/0 = nan``.

    Args:
        params: the Values to update.
        lr: the learning rate, >= 0.
        betas: ``(β1, β2)``, each in ``[0, 1)``.
        eps: added to the denominator, >= 0.

    Attributes:
        t: the number of :meth:`step` calls so far.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.t = 0
        n = len(self.params)
        self._steps = [0] * n
        self._m = [0.0] * n
        self._v = [0.0] * n

    @property
    def betas(self) -> tuple[float, float]:
        """``(β1, β2)``, each a number in ``[0, 1)`` (checked when set)."""
        return self._betas

    @betas.setter
    def betas(self, value: tuple[float, float]) -> None:
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) \
                or len(value) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r:.60}")
        self._betas = (_hyper("betas[0]", value[0], below=1.0),
                       _hyper("betas[1]", value[1], below=1.0))

    @property
    def eps(self) -> float:
        """The denominator's ``eps``, a finite number >= 0 (checked when set)."""
        return self._eps

    @eps.setter
    def eps(self, value: float) -> None:
        self._eps = _hyper("eps", value)

    def step(self) -> None:
        """One Adam update of every parameter that has a gradient."""
        params = self.params
        grads = _grads(params)
        beta1, beta2 = self._betas
        lr = self._lr
        eps = self._eps
        sqrt = math.sqrt
        steps = list(self._steps)
        m = list(self._m)
        v = list(self._v)
        new = [p.data for p in params]
        for i, g in enumerate(grads):
            if g is None:
                continue
            steps[i] = t = steps[i] + 1
            m[i] = mi = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = vi = beta2 * v[i] + (1.0 - beta2) * g * g
            step_size = float_div(lr, 1.0 - beta1**t)
            denominator = float_div(sqrt(vi), sqrt(1.0 - beta2**t)) + eps
            new[i] -= float_div(step_size * mi, denominator)
        self._steps, self._m, self._v = steps, m, v
        self.t += 1
        for p, d in zip(params, new):
            p.data = d
