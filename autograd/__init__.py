"""A scalar reverse-mode automatic-differentiation engine that shows its work.

>>> from autograd import Value
>>> x = Value(2.0, "x")
>>> y = x * x + x.exp()
>>> y.backward()
>>> round(x.grad, 6)  # dy/dx = 2x + e^x
11.389056

A custom operation is one :class:`Op` row (forward and local derivatives), used with
:func:`apply` and optionally added to :data:`OPS` with :func:`register`; see
:mod:`autograd.ops`. :func:`formula` derives ``d root / d wrt`` as a SymPy expression in the
graph's labels (the optional ``symbolic`` extra), see :mod:`autograd.symbolic`.
"""

# first: another distribution's `autograd` or `nn` beside ours is an ImportError
from autograd import _install  # noqa: F401
from autograd.backward import grad, topological_order
from autograd.check import GradcheckError, gradcheck
from autograd.compile import compile
from autograd.draw import draw_dot
from autograd.explore import explore
from autograd.modes import detect_anomaly, enable_grad, is_anomaly_enabled, is_grad_enabled, no_grad
from autograd.ops import OPS, Op, register
from autograd.symbolic import formula  # SymPy is imported when formula() is called
from autograd.value import Value, add_n, apply, squared_error, weighted_sum

__all__ = [
    "OPS",
    "GradcheckError",
    "Op",
    "Value",
    "add_n",
    "apply",
    "compile",
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "explore",
    "formula",
    "grad",
    "gradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "register",
    "squared_error",
    "topological_order",
    "weighted_sum",
]
