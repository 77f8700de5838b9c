"""The rule table: every operation's forward and local derivatives, one row per op.

Each row (an :class:`Op`) says what an operation computes on floats and what its local
derivatives are, ``d out / d input_i``, written in terms of the inputs and the result ``out``
(as PyTorch's ``derivatives.yaml`` does: ``exp`` is ``out``, ``mul`` is ``(b, a)``).

The derivative rules use plain arithmetic (``+ - *``) and the generic helpers below
(:func:`div`, :func:`pow`, :func:`log`, ...), which work on floats *and* on
:class:`autograd.Value` objects. So each rule exists once and serves twice:

* on floats, at forward time, giving the numbers that ``backward()`` multiplies along the
  graph (the fast first-order sweep);
* on Values, in ``grad(..., create_graph=True)``, giving derivatives that are themselves
  recorded in a graph and can be differentiated again (Hessians, any order).

Numerics follow IEEE 754 and PyTorch: no Python math exception escapes a forward or a rule
(``log(0) = -inf``, ``exp(1000) = inf``, ``1/0 = inf``, ``(-8) ** 0.5 = nan``).

Two kinds of local derivative are not plain numbers, and the sweep needs no code for them:
each is a ``float`` subclass whose multiplication by the incoming gradient (``g * local``,
the sweep's only use of it) does the right thing.

* :data:`MASKED`, a *structural* zero: the derivative of ``relu`` for ``x <= 0``, of ``abs``
  at 0, of ``x ** c`` for a constant ``c == 0``, and the masks of ``pow`` (``d a^b/da``
  where ``b == 0`` and ``a^(b-1)`` is not finite; ``d a^b/db`` where ``a == 0`` and
  ``b >= 0``). Its contribution is exactly ``+0.0`` whatever the incoming gradient, ``inf``
  and ``nan`` included: ``Value(-0.5).relu().sqrt()`` has the gradient 0, not
  ``0 * inf = nan``. PyTorch writes ``relu``'s and ``pow``'s with ``where`` (select, not
  multiply), and the engine does the same. For ``abs`` at 0 PyTorch multiplies by
  ``sgn(0) = 0`` instead, so ``sqrt(|x|)`` at 0 gets ``inf * 0 = nan`` there; the engine
  selects 0, as for ``relu``'s kink (``|x| = relu(x) + relu(-x)`` has the gradient 0 at 0),
  so a kink never turns an infinite gradient above it into ``nan``.
  Every other zero keeps IEEE arithmetic: ``mul``'s ``d(ab)/da = b = 0`` times an infinite
  gradient is ``nan``, as in PyTorch, and so is ``pow``'s ``d a^b/da = 0 * a^(-1)`` at
  ``b == 0`` with ``a^(-1)`` finite (an exact zero whose derivative in ``b``, ``1/a``, a
  mask would lose).
* :func:`reciprocal` of a subnormal number: ``1/x`` overflows for ``|x| < 5.6e-309``
  although ``g / x`` may be finite, so the rule's ``1/x`` is kept as "divide by ``x``"
  (``g * reciprocal(x) == g / x``), as PyTorch's ``grad / x``. ``log`` and ``div``
  (``d(a/b)/da``) use it; for normal numbers it is the plain float ``1/x``.

Adding an operation
-------------------
An op is one :class:`Op` row: its forward on floats and its local derivatives, written with
``+ - *`` and this module's helpers (:func:`div`, :func:`pow`, :func:`log`, :func:`exp`,
:func:`data`...) so that the same rule serves floats and Values. For ``f(x) = x³ - x``::

    from autograd import Op, Value, apply, gradcheck, register

    CUBIC = register(Op("cubic", "x³-x", lambda x: x * x * x - x,
                        lambda out, x: (3.0 * x * x - 1.0,), "d(x³ - x)/dx = 3x² - 1"))
    x = Value(2.0)
    y = apply(CUBIC, x)                   # one node: y.op == "cubic", y.data == 6.0
    y.backward()                          # x.grad == 11.0
    assert gradcheck(lambda x: apply(CUBIC, x), [0.7], order=2)

``register`` is optional (it adds the row to :data:`OPS`, so ``autograd.strategies`` draws
random graphs with it and the name is unique); ``apply`` works with any row. ``draw_dot``
shows the node with the row's ``symbol``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

#: A float, or a Value: the rules below are written to accept either.
Scalar = Any

INF = math.inf
NAN = math.nan


# ----------------------------------------------------------------------------------------
# IEEE-safe float primitives (Python's float operators and `math` raise where IEEE gives
# inf or nan; these return what C, NumPy and PyTorch return).
# ----------------------------------------------------------------------------------------


def _is_odd_integer(x: float) -> bool:
    return math.isfinite(x) and x == math.floor(x) and math.fmod(x, 2.0) != 0.0


def float_div(a: float, b: float) -> float:
    """IEEE division: ``1/0 = inf``, ``-1/0 = -inf``, ``0/0 = nan``, ``1/-0.0 = -inf``."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def float_pow(a: float, b: float) -> float:
    """IEEE ``pow``: ``(-8) ** 0.5 = nan``, ``0 ** -1 = inf``, overflow gives ``±inf``."""
    try:
        return math.pow(a, b)
    except OverflowError:
        return -INF if a < 0.0 and _is_odd_integer(b) else INF
    except ValueError:
        if a == 0.0:  # a pole: 0 ** negative
            negative_zero = math.copysign(1.0, a) < 0.0
            return -INF if negative_zero and _is_odd_integer(b) else INF
        return NAN  # a negative base with a non-integer exponent


def float_exp(x: float) -> float:
    """``e ** x``, with ``inf`` instead of ``OverflowError`` (``exp(1000) = inf``)."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def float_log(x: float) -> float:
    """Natural logarithm: ``log(0) = -inf``, ``log(x < 0) = nan``, ``log(inf) = inf``."""
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -INF
    return NAN  # negative or nan


def float_sqrt(x: float) -> float:
    """Square root: ``sqrt(x < 0) = nan``."""
    return math.sqrt(x) if x >= 0.0 else NAN


def float_sigmoid(x: float) -> float:
    """The logistic function ``1 / (1 + e^-x)``, evaluated without overflow.

    For ``x < 0`` it uses the equal form ``e^x / (1 + e^x)``, so ``sigmoid(-1000)`` is
    exactly ``0.0`` and ``sigmoid(1000)`` exactly ``1.0``.
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    if x < 0.0:
        z = math.exp(x)
        return z / (1.0 + z)
    return NAN


def float_softplus(x: float) -> float:
    """``log(1 + e^x)``, as ``max(x, 0) + log1p(e^-|x|)`` so it never overflows."""
    if math.isnan(x):
        return NAN
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def float_sin(x: float) -> float:
    """``sin(x)``, with ``nan`` at infinity (as IEEE) instead of ``ValueError``."""
    return math.sin(x) if math.isfinite(x) else NAN


def float_cos(x: float) -> float:
    """``cos(x)``, with ``nan`` at infinity (as IEEE) instead of ``ValueError``."""
    return math.cos(x) if math.isfinite(x) else NAN


# ----------------------------------------------------------------------------------------
# Local derivatives that are not plain numbers (see the module docstring).
# ----------------------------------------------------------------------------------------


class _StructuralZero(float):
    """The float ``0.0`` whose product with any number is exactly ``0.0`` (``inf``, ``nan``
    included): a derivative that is zero by a mask, as PyTorch's ``where(mask, 0, ...)``."""

    __slots__ = ()

    def __new__(cls) -> _StructuralZero:
        return super().__new__(cls, 0.0)

    def __mul__(self, other: object) -> Any:
        if isinstance(other, (float, int)):
            return 0.0
        return NotImplemented

    __rmul__ = __mul__

    def __reduce__(self) -> str:
        return "MASKED"


#: The structural zero: ``g * MASKED == 0.0`` for every float ``g``; ``grad()`` skips it
#: on Values too. Rules return it where PyTorch's formula selects a zero.
MASKED: float = _StructuralZero()


class _Reciprocal(float):
    """``1/x`` of a subnormal ``x`` (a float, ``±inf`` or huge), whose product with ``g`` is
    the quotient ``g / x``: one rounding, no overflow on the way."""

    __slots__ = ("divisor",)

    divisor: float

    def __new__(cls, divisor: float) -> _Reciprocal:
        self = super().__new__(cls, float_div(1.0, divisor))
        self.divisor = divisor
        return self

    def __mul__(self, other: object) -> Any:
        if isinstance(other, (float, int)):
            return float_div(float(other), self.divisor)
        return NotImplemented

    __rmul__ = __mul__


#: The smallest positive normal float; below it ``1/x`` may overflow.
_SMALLEST_NORMAL = 2.2250738585072014e-308


def reciprocal(x: Scalar) -> Scalar:
    """``1/x`` on a float or a Value; for a subnormal ``x``, a number whose product with ``g``
    is ``g / x`` (``d log(x)/dx`` at ``x = 5e-324`` times ``g = x`` gives ``1``, not ``inf``).

    On a Value (``grad(..., create_graph=True)``) the same care holds: for a subnormal
    ``x.data`` it returns the node ``1/x`` whose product with ``g`` is the node ``g / x``, so
    first derivatives on Values equal the float sweep's and the second derivatives are
    those of ``g / x`` (see :func:`autograd.value.reciprocal_node`). On a formula (a SymPy
    expression, an :mod:`autograd.text_algebra` term) it is ``1/x``.
    """
    if type(x) is not float:
        if _is_sympy(x):
            return _symbolic().Integer(1) / x
        try:
            number = data(x)
        except TypeError:  # a text-algebra term holds no number
            return 1.0 / x
        if -_SMALLEST_NORMAL < number < _SMALLEST_NORMAL and number != 0.0:
            from autograd.value import reciprocal_node  # value imports this module

            return reciprocal_node(x)
        return 1.0 / x
    if -_SMALLEST_NORMAL < x < _SMALLEST_NORMAL and x != 0.0:
        return _Reciprocal(x)
    return float_div(1.0, x)


# ----------------------------------------------------------------------------------------
# Generic helpers for the derivative rules: on floats they call the safe float function,
# on Values they build a graph node (through the Value's own method or operator), on SymPy
# expressions they call SymPy's function (autograd.symbolic: the rules written in symbols),
# and on text terms (autograd.text_algebra, which has the Value's method names) they write
# the formula's text. So each rule is written once and read in every algebra.
# ----------------------------------------------------------------------------------------


def _is_sympy(x: object) -> bool:
    """True for a SymPy object (checked by its module, so SymPy is never imported here)."""
    return type(x).__module__.startswith("sympy.")


def _symbolic() -> Any:
    """The ``sympy`` module, imported on first use (only ever called with a SymPy operand,
    so SymPy is imported already)."""
    import sympy

    return sympy


def _is_formula(x: object) -> bool:
    """True for an operand of a formula algebra: a SymPy object or a text term."""
    return _is_sympy(x) or getattr(type(x), "formula_algebra", False) is True


def data(x: Scalar) -> float:
    """The float inside ``x`` (``x`` itself when it is a float). Rules use it for conditions.

    A formula (SymPy expression, text term) holds no number: ``TypeError``, which tells
    :mod:`autograd.symbolic` that the rule branches on a number (``relu``, ``abs``,
    ``pow``'s masks) and is to be read from the row's symbolic forward instead.
    """
    if type(x) is float:
        return x
    try:
        return float(x.data)
    except AttributeError:
        raise TypeError(
            f"a rule's condition needs a number, and a {type(x).__name__} has none"
        ) from None


def div(a: Scalar, b: Scalar) -> Scalar:
    """``a / b`` with IEEE semantics on floats."""
    if type(a) is float and type(b) is float:
        return float_div(a, b)
    return a / b


def pow(a: Scalar, b: Scalar) -> Scalar:
    """``a ** b`` with IEEE semantics on floats."""
    if type(a) is float and type(b) is float:
        return float_pow(a, b)
    return a**b


def negated_difference(y: Scalar, o: Scalar) -> Scalar:
    """``-(y - o)``, the article's ``dJ/do`` of ``J = 1/2 (y - o)^2``.

    On floats and Values it is computed as ``o - y``: the same number, with the sign of zero
    that PyTorch's ``self - target`` gives; a formula (SymPy, text) keeps the article's
    ``-(y - o)``.
    """
    if _is_formula(y) or _is_formula(o):
        return -(y - o)
    return o - y


def _unary_helper(name: str, x: Scalar) -> Scalar:
    """``name(x)`` on a non-float: SymPy's function on a SymPy expression, the method of that
    name on anything else (a Value, a text term)."""
    if _is_sympy(x):
        return getattr(_symbolic(), name)(x)
    return getattr(x, name)()


def log(x: Scalar) -> Scalar:
    """``log(x)`` on a float, a Value or a formula."""
    return float_log(x) if type(x) is float else _unary_helper("log", x)


def exp(x: Scalar) -> Scalar:
    """``exp(x)`` on a float or a Value."""
    return float_exp(x) if type(x) is float else _unary_helper("exp", x)


def sqrt(x: Scalar) -> Scalar:
    """``sqrt(x)`` on a float, a Value or a formula."""
    return float_sqrt(x) if type(x) is float else _unary_helper("sqrt", x)


def tanh(x: Scalar) -> Scalar:
    """``tanh(x)`` on a float, a Value or a formula."""
    return math.tanh(x) if type(x) is float else _unary_helper("tanh", x)


def sigmoid(x: Scalar) -> Scalar:
    """``sigmoid(x)`` on a float or a Value."""
    # on a SymPy expression: 1/(1 + exp(-x)); on a text term: its method
    if type(x) is float:
        return float_sigmoid(x)
    if _is_sympy(x):
        return 1 / (1 + _symbolic().exp(-x))
    return x.sigmoid()


def sin(x: Scalar) -> Scalar:
    """``sin(x)`` on a float, a Value or a formula."""
    return float_sin(x) if type(x) is float else _unary_helper("sin", x)


def cos(x: Scalar) -> Scalar:
    """``cos(x)`` on a float, a Value or a formula."""
    return float_cos(x) if type(x) is float else _unary_helper("cos", x)


# ----------------------------------------------------------------------------------------
# The table.
# ----------------------------------------------------------------------------------------


def _always(*_: float) -> bool:
    return True


@dataclass(frozen=True)
class Op:
    """One row of the rule table; also the way to add an operation of your own.

    A row needs a unique ``name``, a ``symbol`` for drawings, ``forward`` on floats and
    ``local_grads(out, *inputs)`` returning one local derivative per input. Write the rule
    with ``+ - *`` and the helpers of :mod:`autograd.ops` (``div``, ``pow``, ``log``,
    ``exp``, ``sqrt``, ``tanh``, ``sigmoid``, ``sin``, ``cos``, ``reciprocal``, and
    ``data(x)`` for a condition): it then runs on floats for ``backward()`` and on Values for
    ``grad(..., create_graph=True)``, so second derivatives come for free. Return
    :data:`MASKED` for a derivative that is zero by a mask (``relu`` at ``x <= 0``). For
    ``log1p(x) = log(1 + x)``, ``d/dx = 1/(1 + x)``::

        LOG1P = Op("log1p", "log1p",
                   lambda x: math.log1p(x) if x > -1.0 else float_log(1.0 + x),  # IEEE
                   lambda out, x: (div(1.0, 1.0 + x),), "d log(1+x)/dx = 1/(1+x)",
                   smooth_at=lambda x: x > -0.75)
        y = autograd.apply(LOG1P, x)     # a node whose .op is "log1p"

    ``autograd.register(LOG1P)`` adds it to :data:`OPS` (names must be unique), which
    ``autograd.strategies.expressions()`` draws from; ``expressions(ops=[LOG1P])`` uses a
    row without registering it. The forward must not raise for a float input (return
    ``inf``/``nan`` as IEEE does).

    Attributes:
        name: the op's name, the value of ``Value.op`` for the nodes it makes.
        symbol: the short label drawings show on the op's node.
        forward: ``forward(*inputs) -> out`` on floats, never raising for a float input.
        local_grads: ``local_grads(out, *inputs) -> (d out/d input_0, ...)``, one entry per
            input, written with arithmetic and this module's generic helpers so it runs on
            floats and on Values alike.
        formula: the rule in words, for documentation and teaching.
        arity: the number of inputs, or ``None`` for an n-ary op (see ``group``).
        group: for an n-ary op, ``(k, extra)``: the inputs are ``n`` groups of ``k`` plus
            ``extra`` more (``add_n``: ``(1, 0)``; ``wsum``: ``(2, 1)``, n weights, n
            inputs and a bias).
        smooth_at: a predicate on the float inputs, true where the op is smooth with
            moderate derivatives; test generators draw points there, so that finite
            differences are meaningful.
    """

    name: str
    symbol: str
    forward: Callable[..., float]
    local_grads: Callable[..., tuple[Scalar, ...]]
    formula: str
    arity: int | None = 1
    group: tuple[int, int] = (1, 0)
    smooth_at: Callable[..., bool] = field(default=_always)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Op name must be a non-empty str, not {self.name!r}")
        if not isinstance(self.symbol, str) or not isinstance(self.formula, str):
            raise TypeError(f"Op {self.name!r}: symbol and formula must be str")
        if not (callable(self.forward) and callable(self.local_grads)):
            raise TypeError(f"Op {self.name!r}: forward and local_grads must be callable")
        if self.arity is not None and (type(self.arity) is not int or self.arity < 1):
            raise ValueError(f"Op {self.name!r}: arity must be a positive int or None")

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


OPS: dict[str, Op] = {}


def register(op: Op) -> Op:
    """Add ``op`` to the table :data:`OPS` under its name and return it.

    Names are unique: registering an op under a taken name (a custom ``"mul"``) is a
    ``ValueError``, so that the name always means one row (drawings show a custom op's own
    formula, never the built-in's of the same name).
    """
    if not isinstance(op, Op):
        raise TypeError(f"register() takes an Op, not {type(op).__name__}")
    taken = OPS.get(op.name)
    if taken is not None:
        raise ValueError(
            f"an op named {op.name!r} is registered already ({taken!r}, symbol "
            f"{taken.symbol!r}): give your op another name, e.g. {op.name + '_custom'!r}"
        )
    OPS[op.name] = op
    return op


def _add_n_forward(*xs: float) -> float:
    """The correctly rounded sum (``fsum``); IEEE's ``inf``/``nan`` where ``fsum`` raises.

    ``fsum`` raises for ``inf + -inf`` (IEEE: ``nan``) and when a partial sum overflows
    (IEEE: ``±inf``); the plain left-to-right sum gives those, as PyTorch's ``sum`` does.
    """
    if len(xs) <= 2:
        return sum(xs, -0.0)  # -0.0 is the additive identity: add_n([-0.0]) is -0.0
    try:
        return math.fsum(xs)
    except (ValueError, OverflowError):  # the result is inf or nan: no zero, no sign to keep
        return sum(xs)


def _wsum_forward(*args: float) -> float:
    n = len(args) // 2
    return sum(map(operator.mul, args[:n], args[n : 2 * n]), args[-1])


def _wsum_grads(out: Scalar, *args: Scalar) -> tuple[Scalar, ...]:
    n = len(args) // 2
    return (*args[n : 2 * n], *args[:n], 1.0)


def _squared_forward(scale: float | None, *args: float) -> float:
    """``J = c Σ (o_i - y_i)^2`` over inputs ``(o..., y...)``; ``c`` is ``scale``, or
    ``1/n`` when ``scale`` is None (the mean)."""
    n = len(args) // 2
    total = 0.0
    for i in range(n):
        error = args[i] - args[n + i]
        total += error * error
    return total / n if scale is None else scale * total


def _squared_grads(scale: float | None, out: Scalar, *args: Scalar) -> tuple[Scalar, ...]:
    """``dJ/do_i = 2c (o_i - y_i)``, ``dJ/dy_i = -dJ/do_i``."""
    n = len(args) // 2
    factor = 2.0 / n if scale is None else 2.0 * scale
    if factor == 1.0:  # the article's J: dJ/do_i = -(y_i - o_i), with no extra factor
        d_outputs = [negated_difference(args[n + i], args[i]) for i in range(n)]
    else:
        d_outputs = [factor * (args[i] - args[n + i]) for i in range(n)]
    return (*d_outputs, *[-d for d in d_outputs])


def float_relu(x: float) -> float:
    """``max(x, 0)``, keeping ``nan`` (as PyTorch does)."""
    return x if x > 0.0 or x != x else 0.0


def _relu_grad(out: Scalar, x: Scalar) -> tuple[Scalar, ...]:
    # PyTorch's threshold_backward selects: where(x <= 0, 0, grad); a nan passes grad on.
    return (MASKED if data(x) <= 0.0 else 1.0,)


def _abs_grad(out: Scalar, x: Scalar) -> tuple[Scalar, ...]:
    # sign(x), selecting 0 at 0 (and at nan, where the forward is nan already). PyTorch
    # multiplies by sgn(x) instead (grad * 0 at 0: nan for an infinite grad, as sqrt(|x|) at
    # 0); the engine selects, as for relu's kink, so the contribution is 0 whatever grad is.
    v = data(x)
    return (1.0 if v > 0.0 else -1.0 if v < 0.0 else MASKED,)


def _pow_grads(out: Scalar, a: Scalar, b: Scalar) -> tuple[Scalar, ...]:
    # d a^b/da = b a^(b-1) is the product itself wherever it is defined, b == 0 included:
    # there it is the exact zero 0 * a^(-1), whose derivative with respect to b is
    # a^(b-1) (1 + b log a) = 1/a (PyTorch selects a constant 0 for b == 0, so its mixed
    # second derivative is 0). The masked zero is kept only where the product would be
    # 0 * inf or 0 * nan (b == 0 and a^(b-1) not finite: a = ±0, a nan base), where
    # x ** 0 = 1 is flat. Likewise 0 ** b (b >= 0) gets a masked exponent-derivative, not
    # 0 * -inf = nan (PyTorch's pow_backward_exponent).
    power = pow(a, b - 1.0)
    if data(b) == 0.0 and not math.isfinite(data(power)):
        d_base: Scalar = MASKED
    else:
        d_base = b * power
    d_exponent = MASKED if data(a) == 0.0 and data(b) >= 0.0 else out * log(a)
    return (d_base, d_exponent)


# fmt: off
# Op(name, symbol, forward on floats, local derivatives (out, *inputs) -> d out/d input_i, rule)
ADD = register(Op("add", "+", lambda a, b: a + b, lambda out, a, b: (1.0, 1.0),
                  "d(a+b)/da = 1, d(a+b)/db = 1", arity=2))
SUB = register(Op("sub", "-", lambda a, b: a - b, lambda out, a, b: (1.0, -1.0),
                  "d(a-b)/da = 1, d(a-b)/db = -1", arity=2))
MUL = register(Op("mul", "*", lambda a, b: a * b, lambda out, a, b: (b, a),
                  "d(ab)/da = b, d(ab)/db = a", arity=2))
DIV = register(Op("div", "/", float_div, lambda out, a, b: (reciprocal(b), -div(out, b)),
                  "d(a/b)/da = 1/b, d(a/b)/db = -(a/b)/b", arity=2,
                  smooth_at=lambda a, b: abs(b) > 0.25))
POW = register(Op("pow", "**", float_pow, _pow_grads,
                  "d(a^b)/da = b a^(b-1), d(a^b)/db = a^b log(a)", arity=2,
                  smooth_at=lambda a, b: 0.25 < a < 8.0 and abs(b) < 3.0))
NEG = register(Op("neg", "-", lambda x: -x, lambda out, x: (-1.0,),
                  "d(-x)/dx = -1"))
EXP = register(Op("exp", "exp", float_exp, lambda out, x: (out,),
                  "d exp(x)/dx = exp(x)", smooth_at=lambda x: x < 6.0))
LOG = register(Op("log", "log", float_log, lambda out, x: (reciprocal(x),),
                  "d log(x)/dx = 1/x", smooth_at=lambda x: x > 0.25))
TANH = register(Op("tanh", "tanh", math.tanh, lambda out, x: (1.0 - out * out,),
                   "d tanh(x)/dx = 1 - tanh(x)^2"))
SIGMOID = register(Op("sigmoid", "σ", float_sigmoid, lambda out, x: (out * (1.0 - out),),
                      "d σ(x)/dx = σ(x)(1 - σ(x))"))
RELU = register(Op("relu", "ReLU", float_relu, _relu_grad,
                   "d relu(x)/dx = 0 if x <= 0 else 1", smooth_at=lambda x: abs(x) > 0.25))
SQRT = register(Op("sqrt", "√", float_sqrt, lambda out, x: (div(0.5, out),),
                   "d sqrt(x)/dx = 1/(2 sqrt(x))", smooth_at=lambda x: x > 0.25))
ABS = register(Op("abs", "|x|", abs, _abs_grad,
                  "d|x|/dx = sign(x)", smooth_at=lambda x: abs(x) > 0.25))
SIN = register(Op("sin", "sin", float_sin, lambda out, x: (cos(x),),
                  "d sin(x)/dx = cos(x)"))
COS = register(Op("cos", "cos", float_cos, lambda out, x: (-sin(x),),
                  "d cos(x)/dx = -sin(x)"))
SOFTPLUS = register(Op("softplus", "softplus", float_softplus, lambda out, x: (sigmoid(x),),
                       "d log(1+e^x)/dx = σ(x)"))
ADD_N = register(Op("add_n", "Σ", _add_n_forward, lambda out, *xs: (1.0,) * len(xs),
                    "d(x_0 + ... + x_n)/dx_i = 1", arity=None, group=(1, 0)))
WSUM = register(Op("wsum", "Σ w·x + b", _wsum_forward, _wsum_grads,
                   "net = Σ w_i x_i + b: d net/d w_i = x_i, d net/d x_i = w_i, d net/d b = 1",
                   arity=None, group=(2, 1)))
MSE = register(Op("mse", "mean (o-y)²", partial(_squared_forward, None),
                  partial(_squared_grads, None),
                  "J = 1/n Σ (o_i - y_i)^2: dJ/do_i = 2/n (o_i - y_i), dJ/dy_i = -dJ/do_i",
                  arity=None, group=(2, 0)))
SSE = register(Op("sse", "Σ (o-y)²", partial(_squared_forward, 1.0),
                  partial(_squared_grads, 1.0),
                  "J = Σ (o_i - y_i)^2: dJ/do_i = 2 (o_i - y_i), dJ/dy_i = -dJ/do_i",
                  arity=None, group=(2, 0)))
HALF_SSE = register(Op("half_sse", "½ Σ (y-o)²", partial(_squared_forward, 0.5),
                       partial(_squared_grads, 0.5),
                       "J = 1/2 Σ (y_i - o_i)^2: dJ/do_i = -(y_i - o_i), dJ/dy_i = (y_i - o_i)",
                       arity=None, group=(2, 0)))
# fmt: on


@lru_cache(maxsize=256)
def pow_const(exponent: float) -> Op:
    """The op ``x ** c`` for a fixed number ``c`` (PyTorch's ``pow.Tensor_Scalar``).

    A constant exponent is not an input: it gets no gradient, and no ``log(x)`` is taken for
    it, so ``(-2) ** 2`` has the derivative ``-4`` and nothing else. ``d x^c/dx = c x^(c-1)``
    (and ``0`` when ``c == 0``, as in PyTorch). Rows are made on demand, one per exponent.
    """
    c = float(exponent)
    return Op(
        "pow_const",
        f"**{c:g}",
        partial(_pow_const_forward, c),
        partial(_pow_const_grads, c),
        f"d x^{c:g}/dx = {c:g} x^{c - 1:g}",
        smooth_at=partial(_pow_const_smooth_at, c),
    )


def _pow_const_forward(c: float, x: float) -> float:
    return float_pow(x, c)


def _pow_const_grads(c: float, out: Scalar, x: Scalar) -> tuple[Scalar, ...]:
    return (MASKED if c == 0.0 else c * pow(x, c - 1.0),)


def _pow_const_smooth_at(c: float, x: float) -> bool:
    # a fractional or negative power only well inside x > 0; a natural power anywhere moderate
    return 0.25 < x < 8.0 if c != math.floor(c) or c < 0.0 else abs(x) < 8.0


#: ``pow_const`` is a family of rows, one per exponent; this is its representative row.
OPS["pow_const"] = pow_const(2.0)
