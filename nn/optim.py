"""Optimizers: ``SGD``, ``Adam`` and ``AdamW``, with ``torch.optim``'s update formulas.

Each updates ``p.data`` in plain floats from ``p.grad`` (no graph is recorded), for the
parameter Values it was given, typically ``model.parameters()``. ``SGD`` has PyTorch's
``momentum``, ``dampening``, ``weight_decay`` and ``nesterov``; ``Adam`` its (L2)
``weight_decay``; ``AdamW`` the decoupled one. ``state_dict()``/``load_state_dict()`` save
and restore the hyper-parameters and every buffer, so training resumes bit for bit.

A step is atomic: every gradient is read and checked, every new value and state computed,
and only then is anything assigned, so a step applies to every parameter or to none.
Arithmetic follows IEEE as PyTorch's does (an infinite or NaN gradient gives an infinite or
NaN parameter, ``0/0`` in Adam with ``eps=0`` gives NaN; never a Python exception). A
parameter whose ``.grad`` is ``None`` ("no gradient yet", see ``zero_grad(set_to_none=True)``)
is skipped, and its optimizer state (momentum buffer, Adam's moments and step count) is left
as it was, as in PyTorch; so is a frozen parameter (``p.requires_grad`` False, see
``Value.requires_grad_``), whatever its ``.grad`` holds. Hyper-parameters are checked when
they are set, also after construction (``opt.lr = 0.1``).
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, overload

from autograd import Value
from autograd.ops import float_div
from autograd.value import clear_grads


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


class _Hyper:
    """A hyperparameter attribute: reads the float stored as ``_<name>``; assigning checks
    it with :func:`_hyper` (a finite real number >= 0) first. ``doc`` is its docstring."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.slot = name, "_" + name

    @overload
    def __get__(self, obj: None, owner: type) -> _Hyper: ...
    @overload
    def __get__(self, obj: object, owner: type) -> float: ...
    def __get__(self, obj: object, owner: type) -> float | _Hyper:
        if obj is None:
            return self
        value: float = getattr(obj, self.slot)
        return value

    def __set__(self, obj: object, value: float) -> None:
        setattr(obj, self.slot, _hyper(self.name, value))


def _grads(params: list[Value]) -> list[float | None]:
    """Every parameter's gradient as a float, or None where there is none yet or the
    parameter is frozen (``requires_grad`` False); checked first."""
    out: list[float | None] = []
    for i, p in enumerate(params):
        g: object = p.grad
        if g is None or not p.requires_grad:
            out.append(None)
        elif type(g) is float:
            out.append(g)
        elif isinstance(g, numbers.Real) and not isinstance(g, bool):
            out.append(float(g))
        else:
            raise TypeError(f"parameter {i} has a gradient of type {type(g).__name__} "
                            f"({g!r:.60}); expected a float or None")
    return out


def _state_number(where: str, value: object) -> float:
    """A saved buffer as a float: any real number but a bool (NaN and infinities too: a
    diverged run resumes as it was), else a ``TypeError`` naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} must be a real number, not {type(value).__name__}: "
                        f"{value!r:.60}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{where} is too large for a float: {value!r:.60}") from None


def _state_count(where: str, value: object) -> int:
    """A saved step count: an integer >= 1 (an integral float too, as PyTorch saves it)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{where} must be an integer >= 1, got {value!r:.60}")
    return int(value)


def _index(key: object, n: int) -> int:
    """A key of ``state_dict()["state"]``: a parameter index ``0 <= i < n`` (an int, or its
    decimal string as JSON writes it)."""
    if isinstance(key, str) and key.isdigit():
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < n:
        raise ValueError(f"state_dict 'state' has the key {key!r:.60}; expected parameter "
                         f"indices 0 to {n - 1}")
    return key


class Optimizer:
    """Base class: holds the parameter list; ``zero_grad()`` clears their gradients;
    ``state_dict()``/``load_state_dict()`` save and restore everything a step depends on.

    Args:
        params: the Values to update; each once (a repeated Value is a ``ValueError``
            naming both positions).
    """

    #: The hyper-parameters in ``state_dict()["param_groups"][0]``, read and set as attributes.
    _hyper_names: ClassVar[tuple[str, ...]] = ("lr",)
    #: The per-parameter buffers in ``state_dict()["state"][i]``, with their readers.
    _state_fields: ClassVar[dict[str, Callable[[str, object], Any]]] = {}
    #: Top-level keys besides ``"state"`` and ``"param_groups"``, kept as attributes.
    _extra_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Iterable[Value]) -> None:
        self.params = _params(params)

    _lr: float  # the checked values behind the attributes, read directly by step()
    lr = _Hyper("The learning rate, a finite number >= 0 (checked when set).")

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

    # -- saving and resuming -----------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Everything a step depends on, laid out as ``torch.optim``'s ``state_dict()``.

        ``{"state": {i: {buffer: number}}, "param_groups": [{hyper-parameter: value, ...,
        "params": [0, 1, ...]}]}``: ``i`` is a parameter's position in the list the optimizer
        was given, and only parameters with a buffer have an entry. Plain numbers and
        dicts, so ``json.dumps`` writes it (the indices become strings, which
        :meth:`load_state_dict` reads back).
        """
        group: dict[str, Any] = {name: getattr(self, name) for name in self._hyper_names}
        group["params"] = list(range(len(self.params)))
        out: dict[str, Any] = {"state": self._export_state(), "param_groups": [group]}
        for key in self._extra_keys:
            out[key] = getattr(self, key)
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the hyper-parameters and buffers saved by :meth:`state_dict`, so that the
        next :meth:`step` is exactly the one the saved optimizer would have taken.

        The parameters themselves are the ones this optimizer holds (load the model's own
        ``state_dict`` into the model). Checks first, changes after: another layout, another
        number of parameters, a buffer this optimizer does not have or a value that is not
        a number is an error naming it, and on any error nothing has changed.
        """
        name = type(self).__name__
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{name}.load_state_dict takes a mapping (from state_dict()), "
                            f"not {type(state_dict).__name__}")
        expected = {"state", "param_groups", *self._extra_keys}
        if set(state_dict) != expected:
            raise ValueError(f"not a {name} state_dict: its keys are "
                             f"{sorted(map(str, state_dict))}, expected {sorted(expected)}")
        groups = state_dict["param_groups"]
        if not isinstance(groups, (list, tuple)) or len(groups) != 1 \
                or not isinstance(groups[0], Mapping):
            raise ValueError("state_dict 'param_groups' must be a list of one group (a dict)")
        group = groups[0]
        wanted = {*self._hyper_names, "params"}
        if set(group) != wanted:
            raise ValueError(f"the saved param group has the keys {sorted(map(str, group))}, "
                             f"a {name}'s has {sorted(wanted)}")
        n = len(self.params)
        if list(group["params"]) != list(range(n)):
            raise ValueError(f"the saved optimizer held {len(group['params'])} parameters, "
                             f"this one holds {n}")
        state = state_dict["state"]
        if not isinstance(state, Mapping):
            raise TypeError(f"state_dict 'state' must be a mapping, not {type(state).__name__}")
        buffers: dict[int, dict[str, Any]] = {}
        for key, fields in state.items():
            i = _index(key, n)
            if i in buffers:
                raise ValueError(f"state_dict 'state' holds parameter {i} twice")
            if not isinstance(fields, Mapping) or set(fields) != set(self._state_fields):
                shown = sorted(map(str, fields)) if isinstance(fields, Mapping) else fields
                raise ValueError(f"state_dict 'state'[{i}] must hold "
                                 f"{sorted(self._state_fields)}, not {shown!r:.80}")
            buffers[i] = {field: read(f"state[{i}][{field!r}]", fields[field])
                          for field, read in self._state_fields.items()}
        scratch = copy.copy(self)  # every setter checks its value; self is untouched so far
        for hyper in self._hyper_names:
            setattr(scratch, hyper, group[hyper])
        for key in self._extra_keys:
            setattr(scratch, key, state_dict[key])
        scratch._check()
        scratch._import_state(buffers)
        self.__dict__.update(scratch.__dict__)

    def _check(self) -> None:
        """Check that the hyper-parameters fit together (a ``ValueError`` if not)."""

    def _export_state(self) -> dict[int, dict[str, Any]]:
        """``{i: {buffer: number}}`` for each parameter that has buffers."""
        return {}

    def _import_state(self, state: dict[int, dict[str, Any]]) -> None:
        """Replace every buffer from ``state`` (checked), parameters absent from it fresh."""


class SGD(Optimizer):
    """Stochastic gradient descent, as PyTorch's ``torch.optim.SGD``.

    Plain (the defaults), the article's rule: ``w_i <- w_i - lr * dJ/dw_i``. In general, for
    each parameter ``p`` with gradient ``g``, momentum ``μ``, dampening ``τ`` and weight
    decay ``λ``::

        g   <- g + λ p                           (weight_decay: L2 regularisation)
        buf <- μ buf + (1 - τ) g                 (a parameter's first step: buf = g)
        g   <- g + μ buf   with nesterov, else   g <- buf     (when μ != 0)
        p   <- p - lr g

    Args:
        params: the Values to update.
        lr: the learning rate (the article's ``a``), a finite number >= 0.
        momentum: ``μ``, a finite number >= 0 (``0``: no momentum buffer).
        dampening: ``τ``, a finite number >= 0.
        weight_decay: ``λ``, a finite number >= 0.
        nesterov: Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``, as in
            PyTorch, else a ``ValueError``).
    """

    _hyper_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov")
    _state_fields: ClassVar[dict[str, Callable[[str, object], Any]]] = {
        "momentum_buffer": _state_number}

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params)
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weight_decay = weight_decay
        self.nesterov = nesterov
        self._check()
        self._buffers: list[float | None] = [None] * len(self.params)

    _momentum: float
    _dampening: float
    _weight_decay: float
    momentum = _Hyper("The momentum ``μ``, a finite number >= 0 (checked when set).")

    dampening = _Hyper("The dampening ``τ`` of the momentum buffer, a finite number >= 0.")

    weight_decay = _Hyper("The L2 weight decay ``λ`` added to each gradient as ``λ p``, a "
                          "finite number >= 0.")

    @property
    def nesterov(self) -> bool:
        """Whether the update uses Nesterov momentum, ``g + μ buf`` (a bool)."""
        return self._nesterov

    @nesterov.setter
    def nesterov(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"nesterov must be True or False, not {type(value).__name__}")
        self._nesterov = value

    def _check(self) -> None:
        if self._nesterov and (self._momentum <= 0.0 or self._dampening != 0.0):
            raise ValueError(f"Nesterov momentum requires a momentum > 0 and zero dampening "
                             f"(got momentum={self._momentum!r}, "
                             f"dampening={self._dampening!r})")

    def _export_state(self) -> dict[int, dict[str, Any]]:
        return {i: {"momentum_buffer": buf} for i, buf in enumerate(self._buffers)
                if buf is not None}

    def _import_state(self, state: dict[int, dict[str, Any]]) -> None:
        buffers: list[float | None] = [None] * len(self.params)
        for i, fields in state.items():
            buffers[i] = fields["momentum_buffer"]
        self._buffers = buffers

    def step(self) -> None:
        """One update of every parameter that has a gradient (see the class docstring)."""
        params = self.params
        lr = self._lr
        momentum = self._momentum
        decay = self._weight_decay
        # The common case: plain Values (a subclass may define its own grad or data), read
        # and written through their slots. Only a built-in float slot is a gradient to
        # apply: a None grad is the slot's NO_GRAD_YET, a frozen leaf's slot is a _Frozen
        # (set together with its stamp), and an untouched one is FRESH_GRAD (0.0, where
        # p - lr * 0.0 == p). Float arithmetic cannot fail, so the step is all or nothing.
        if momentum == 0.0 and decay == 0.0 and not self._nesterov:
            for p in params:
                if type(p) is not Value:
                    break
            else:
                for p in params:
                    slot = p._grad
                    if type(slot) is float:
                        p._data -= lr * slot
                return
        self._check()
        grads = _grads(params)
        dampening = self._dampening
        nesterov = self._nesterov
        buffers = list(self._buffers)
        new = [p.data for p in params]
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            g = grad
            if decay != 0.0:
                g = g + decay * new[i]
            if momentum != 0.0:
                old = buffers[i]
                buf = g if old is None else momentum * old + (1.0 - dampening) * g
                buffers[i] = buf
                g = g + momentum * buf if nesterov else buf
            new[i] -= lr * g
        self._buffers = buffers
        for p, given, d in zip(params, grads, new):
            if given is not None:
                p.data = d


class Adam(Optimizer):
    """Adam (Kingma & Ba), with PyTorch's bias-corrected update (``torch.optim.Adam``).

    At a parameter's step ``t = 1, 2, ...`` (counted per parameter: a step where its
    ``.grad`` is None does not count), with gradient ``g`` and weight decay ``λ``::

        g <- g + λ p                         (weight_decay: L2, added to the gradient)
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
        weight_decay: ``λ``, >= 0 (``0``: none). :class:`AdamW` decays the weights instead.

    Attributes:
        t: the number of :meth:`step` calls so far.
    """

    _hyper_names = ("lr", "betas", "eps", "weight_decay")
    _state_fields: ClassVar[dict[str, Callable[[str, object], Any]]] = {
        "step": _state_count, "exp_avg": _state_number, "exp_avg_sq": _state_number}
    _extra_keys = ("t",)
    _t: int
    #: AdamW's decoupled decay ``p <- p (1 - lr λ)`` instead of ``g <- g + λ p``.
    _decoupled = False

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay
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

    _eps: float
    _weight_decay: float
    eps = _Hyper("The denominator's ``eps``, a finite number >= 0 (checked when set).")

    weight_decay = _Hyper("The weight decay ``λ``, a finite number >= 0 (checked when set).")

    @property
    def t(self) -> int:
        """The number of :meth:`step` calls so far (an int >= 0)."""
        return self._t

    @t.setter
    def t(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"t (the number of steps) must be an integer >= 0, "
                             f"got {value!r:.60}")
        self._t = int(value)

    def _export_state(self) -> dict[int, dict[str, Any]]:
        return {i: {"step": t, "exp_avg": m, "exp_avg_sq": v}
                for i, (t, m, v) in enumerate(zip(self._steps, self._m, self._v)) if t > 0}

    def _import_state(self, state: dict[int, dict[str, Any]]) -> None:
        n = len(self.params)
        steps, m, v = [0] * n, [0.0] * n, [0.0] * n
        for i, fields in state.items():
            steps[i], m[i], v[i] = fields["step"], fields["exp_avg"], fields["exp_avg_sq"]
        self._steps, self._m, self._v = steps, m, v

    def step(self) -> None:
        """One Adam update of every parameter that has a gradient."""
        params = self.params
        grads = _grads(params)
        beta1, beta2 = self._betas
        lr = self._lr
        eps = self._eps
        decay = self._weight_decay
        shrink = 1.0 - lr * decay if self._decoupled else 1.0
        sqrt = math.sqrt
        steps = list(self._steps)
        m = list(self._m)
        v = list(self._v)
        new = [p.data for p in params]
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            g = grad
            if decay != 0.0:
                if self._decoupled:
                    new[i] *= shrink
                else:
                    g = g + decay * new[i]
            steps[i] = t = steps[i] + 1
            m[i] = mi = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = vi = beta2 * v[i] + (1.0 - beta2) * g * g
            step_size = float_div(lr, 1.0 - beta1**t)
            denominator = float_div(sqrt(vi), sqrt(1.0 - beta2**t)) + eps
            new[i] -= float_div(step_size * mi, denominator)
        self._steps, self._m, self._v = steps, m, v
        self._t += 1
        for p, given, d in zip(params, grads, new):
            if given is not None:
                p.data = d


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter), as PyTorch's ``torch.optim.AdamW``: Adam whose weight
    decay shrinks the weights instead of entering the gradient::

        p <- p (1 - lr λ)                    (decoupled weight decay)
        then Adam's update of p from g (no λ in g, m or v)

    Args:
        params, lr, betas, eps: as :class:`Adam`.
        weight_decay: ``λ``, >= 0; PyTorch's default ``1e-2``.
    """

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)
