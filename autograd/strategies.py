"""Hypothesis strategies that draw random expression graphs over the rule table.

    >>> from hypothesis import given
    >>> from autograd import gradcheck
    >>> from autograd.strategies import expressions
    >>> @given(expressions())
    ... def test_gradients(expr):
    ...     assert gradcheck(expr, expr.point)

An :class:`Expression` is data, not code: a list of :class:`Step` s, each applying one op of
:data:`autograd.OPS` to earlier nodes (inputs first). A node may be used several times
(``a * a``, ``b = a + a; c = b + b``), so graphs have shared subexpressions. The strategy
draws the point ``expr.point`` too, and only applies an op where it is smooth there
(``Op.smooth_at``: ``log`` of positive numbers, ``relu`` away from its kink, no ``exp`` of
large numbers), and keeps every intermediate value moderate, so finite differences, and
any other reference, are meaningful.

Because an Expression is data, a test can evaluate the same graph with its own arithmetic
(:meth:`Expression.evaluate`), e.g. dual numbers, as an independent check of the engine.

This module is the only one in the package that imports Hypothesis; without it, importing
the module raises an ``ImportError`` that names the extra to install
(``pip install "backprop-lens[hypothesis]"``).

A custom op (an :class:`autograd.Op` of your own) is drawn like a built-in one, either after
``autograd.register(op)`` (every registered row is in the default choice) or, without
touching the table, with ``expressions(ops=[op])``::

    @given(expressions(ops=[CUBIC, "mul", "exp"]))
    def test_cubic(expr):
        assert gradcheck(expr, expr.point, order=2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

try:
    from hypothesis import strategies as st
except ImportError as error:  # tests/test_custom_ops.py hides Hypothesis to check this
    raise ImportError(
        "autograd.strategies needs Hypothesis, which is not installed: "
        'pip install "backprop-lens[hypothesis]" (or pip install hypothesis)'
    ) from error

from autograd import ops
from autograd.ops import OPS, Op
from autograd.value import Value, apply

T = TypeVar("T")

#: Exponents drawn for ``x ** c`` (the ``pow_const`` family).
CONSTANT_EXPONENTS = (2.0, 3.0, 0.5, -1.0, -0.5, 1.5, 0.0)
#: Every intermediate value stays within this magnitude.
MAX_MAGNITUDE = 50.0


@dataclass(frozen=True)
class Step:
    """One node of an expression: ``op`` applied to earlier nodes ``operands`` (indices)."""

    op: str
    operands: tuple[int, ...]
    exponent: float | None = None  # for "pow_const" only
    custom: Op | None = None  # an op given to expressions(ops=...) that is not in OPS

    def row(self) -> Op:
        """The rule-table row this step applies."""
        if self.custom is not None:
            return self.custom
        if self.op == "pow_const":
            assert self.exponent is not None
            return ops.pow_const(self.exponent)
        return OPS[self.op]


@dataclass(frozen=True)
class Expression:
    """A random expression graph: inputs ``v0..v{n-1}``, then one node per step.

    Calling it on Values builds the graph with the engine and returns the last node.
    """

    n_inputs: int
    steps: tuple[Step, ...]
    point: tuple[float, ...]

    def evaluate(self, inputs: Sequence[T], apply_step: Callable[[Step, list[T]], T]) -> T:
        """Run the steps with any arithmetic: ``apply_step(step, operand_values)``."""
        if len(inputs) != self.n_inputs:
            raise ValueError(f"expression takes {self.n_inputs} inputs, got {len(inputs)}")
        pool = list(inputs)
        for step in self.steps:
            pool.append(apply_step(step, [pool[i] for i in step.operands]))
        return pool[-1]

    def __call__(self, *inputs: Value) -> Value:
        return self.evaluate(list(inputs), lambda step, args: apply(step.row(), *args))

    def float_value(self, point: Sequence[float] | None = None) -> float:
        """The expression's value on plain floats (the rows' forward functions)."""
        at = list(self.point if point is None else point)
        return self.evaluate(at, lambda step, args: step.row().forward(*args))

    def ops_used(self) -> set[str]:
        """The names of the ops the expression applies."""
        return {step.op for step in self.steps}

    def __repr__(self) -> str:
        lines = [f"Expression(point={self.point!r})"]
        for k, step in enumerate(self.steps, start=self.n_inputs):
            name = step.op if step.exponent is None else f"pow_const[{step.exponent:g}]"
            args = ", ".join(f"v{i}" for i in step.operands)
            lines.append(f"  v{k} = {name}({args})")
        return "\n".join(lines)


def _arities(op: Op) -> list[int]:
    """The operand counts to try for ``op``: its arity, or 1..3 groups for an n-ary op."""
    if op.arity is not None:
        return [op.arity]
    per_group, extra = op.group
    return [per_group * n + extra for n in (1, 2, 3)]


def _moderate(x: float) -> bool:
    return abs(x) <= MAX_MAGNITUDE


def _choices(
    op_names: Iterable[str] | None, ops: Iterable[Op | str] | None
) -> list[tuple[str, Op | None]]:
    """``(name, row)`` pairs to draw from: ``row`` is None for a row of the table."""
    if op_names is None and ops is None:
        return [(name, None) for name in sorted(OPS)]
    names: set[str] = set()
    customs: dict[str, Op] = {}
    for item in [*(op_names or ()), *(ops or ())]:
        if isinstance(item, Op):
            if OPS.get(item.name) is item:
                names.add(item.name)
            else:
                customs[item.name] = item
        elif isinstance(item, str):
            names.add(item)
        else:
            raise TypeError(f"ops must be Op rows or names, not {type(item).__name__}")
    unknown = sorted(n for n in names if n not in OPS)
    if unknown:
        raise ValueError(f"unknown op names {unknown}; the table has {sorted(OPS)}")
    if not names and not customs:
        raise ValueError("expressions() needs at least one op to draw from")
    return [(n, None) for n in sorted(names)] + [(n, customs[n]) for n in sorted(customs)]


@st.composite
def expressions(
    draw: st.DrawFn,
    *,
    min_inputs: int = 1,
    max_inputs: int = 3,
    max_steps: int = 8,
    op_names: Iterable[str] | None = None,
    ops: Iterable[Op | str] | None = None,
) -> Expression:
    """A strategy for :class:`Expression` s with their points.

    Args:
        min_inputs, max_inputs: how many inputs the expression takes.
        max_steps: at most this many operations (at least one).
        op_names: restrict to these ops of the table (default: every op of
            :data:`autograd.OPS`, user-registered ones included, and the ``pow_const``
            family).
        ops: ops to draw from, as rows (:class:`autograd.Op`, registered or not: a custom
            op is checked this way without touching the table) or names; combined with
            ``op_names`` when both are given. Each row's ``smooth_at`` says where it may be
            applied.
    """
    choices = _choices(op_names, ops)
    n_inputs = draw(st.integers(min_inputs, max_inputs))
    point = tuple(
        draw(st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False), label=f"x{i}")
        for i in range(n_inputs)
    )
    pool = list(point)
    steps: list[Step] = []
    n_steps = draw(st.integers(1, max_steps))
    for _ in range(n_steps):
        # Recent nodes are likelier operands, so graphs grow deep as well as wide.
        def operand() -> int:
            back = draw(st.integers(0, len(pool) - 1))
            return len(pool) - 1 - back

        name, custom = draw(st.sampled_from(choices))
        exponent = draw(st.sampled_from(CONSTANT_EXPONENTS)) if name == "pow_const" else None
        step_row = Step(name, (), exponent, custom).row()
        arity = draw(st.sampled_from(_arities(step_row)))
        operands = tuple(operand() for _ in range(arity))
        args = [pool[i] for i in operands]
        if not step_row.smooth_at(*args):
            continue
        result = step_row.forward(*args)
        if not _moderate(result):
            continue
        steps.append(Step(name, operands, exponent, custom))
        pool.append(result)
    if not steps:  # every drawn op was rejected: fall back to a smooth one
        steps.append(Step("tanh", (len(pool) - 1,)))
    return Expression(n_inputs, tuple(steps), point)


def leaf_values(point: Sequence[float]) -> list[Value]:
    """Leaves ``x0, x1, ...`` at ``point``, for building an expression with the engine."""
    return [Value(x, f"x{i}") for i, x in enumerate(point)]


__all__ = ["CONSTANT_EXPONENTS", "Expression", "Step", "expressions", "leaf_values"]
