"""``autograd.compile``: trace a loss function once, then run it as generated Python.

    step = autograd.compile(loss_fn)   # loss_fn(*args) builds a scalar Value
    loss = step(x, y)                  # a float; every parameter's .grad accumulated

``loss_fn`` builds a scalar loss from Values it captures (the parameters) and from its
arguments (numbers, lists of numbers, lists of lists...). The first call with a given
argument *structure* (how many arguments, number or list, the lengths, the nesting) runs
``loss_fn`` once on placeholder leaf Values under :func:`autograd.modes.tracing`, walks
the recorded graph, and writes ONE straight-line Python function for it: the forward
pass, then the backward pass (the chain rule, node by node, in the engine's own order),
then ``p._grad += dJ/dp`` for every parameter ``p``. It is compiled with :func:`compile`
and ``exec``, cached per structure, and reused by every later call with that structure.

Calling ``step(*args)`` returns the loss as a float and adds into ``.grad`` exactly what
``loss_fn(*args).backward()`` would: the generated code does the same floating-point
operations in the same order (the engine's sweep visits nodes in reverse creation order,
and so does the generated backward), so the numbers are bit for bit the same, NaN and
infinity included (``log(0) = -inf``, ``1/0 = inf``, the ``relu``/``abs``/``pow`` masks).
Parameters' numbers are read on every call, so an optimizer step between calls is seen.
The code reads and writes a parameter's slots directly (``p._data``, ``p._grad``, not the
``data``/``grad`` properties): ``_grad`` always holds a float, and a ``None`` gradient
(``zero_grad(set_to_none=True)``) is the ``-0.0`` sentinel
:data:`autograd.value.NO_GRAD_YET`, which ``+`` turns into the first contribution itself,
as the eager sweep does. A number operand (the ``2.0`` of ``x * 2.0``) is no node: it is
written into the code as a literal, in its place among the op's inputs.

``step.source`` is the generated code. Variables are named after the nodes' labels, so
for the article's network the backward reads as its delta rule::

    g_net3 = g_o1 * (o1 * (1.0 - o1))          # δ3 = dJ/do1 * o1(1 - o1)
    g_w5 = g_net3 * a0                         # dJ/dw5 = δ3 * a0
    g_a0 = g_net3 * w5 + g_net2 * w4

Big batches: when the graph holds many structurally equal subgraphs created one after
another (``[model(x) for x in xs]``), they become one loop over the samples instead of
one copy per sample, so the code (and the time to compile it) stays small; its backward
loop runs the samples in reverse, as the engine's sweep does, and keeps every
parameter's running sum in the engine's order, so the numbers stay bit for bit the same.

What a trace cannot see: Python decisions on a Value's number. While tracing, ``.data``,
``bool()``, comparisons, ``float()`` and friends of a Value raise
:class:`autograd.modes.TracingError`; the trace is abandoned and that argument structure
runs eagerly from then on (``fn(*args).backward()``), with one :class:`CompileWarning`.
Ops with kinks (``relu``, ``abs``) are recorded as ops and are fine; ``detach()`` and
``no_grad()`` inside ``fn`` become stop-gradient nodes, recomputed on every call.

Guards, on every call (see :mod:`autograd.guards`): the argument structure (the unpacking
``x0, x1 = xs`` fails for another length, then one ``if`` tests the rest), that every
number is a built-in float, the mode (under ``no_grad()``/``detect_anomaly()`` ``fn`` runs
eagerly on Values carrying the arguments' numbers), the structure version that
``nn.Module`` bumps on every attribute assignment, and the lists the traced modules hold
(compared with a copy; parameters in them are read through them). Any failed check goes
back to the dispatcher, which converts, re-checks the modules' fingerprint and, if they
changed, traces anew; after :data:`RECOMPILE_LIMIT` traces, new structures run eagerly,
as does a graph of more than :data:`MAX_NODES` nodes. Accumulation into ``.grad`` holds
the engine's sweep lock, so calls from several threads add up exactly as sequential calls.

Names: a node's variable is its label when the label is an ASCII identifier that no other
name of the function uses (``w5``, ``net3``); otherwise a reserved ``v<k>_<slug>`` that no
label is ever given, with the label in a trailing comment.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import itertools
import keyword
import linecache
import math
import numbers
import operator
import re
import sys
import threading
import types
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from autograd import ops
from autograd.backward import _sweep_lock, topological_order
from autograd.guards import STRUCTURE_VERSION, Structure, fingerprint, roots
from autograd.modes import DEFAULT_MODE, TracingError, current_mode, enable_grad, tracing
from autograd.ops import Op
from autograd.value import DETACH, Value, _as_float

#: An argument structure: ``None`` for a number, ``n`` for a list of ``n`` numbers,
#: ``(list or tuple, (key, ...))`` for any other list or tuple.
Key = Any

# ----------------------------------------------------------------------------------------
# The code templates: one row per op of the rule table (autograd.ops).
#
# ``forward(xs, op)`` gives the expression of the op's result from its input atoms ``xs``
# (variable names or literals); ``local(xs, out, op)`` gives d out / d input_i for each
# input, in terms of the inputs and the result ``out``. Every expression does exactly the
# float operations of the Op row's forward and local_grads (same order, same IEEE-safe
# helpers), so the generated code computes the engine's numbers bit for bit. A local
# derivative is an atom or is parenthesised, so ``g * local`` needs no further brackets.
# ----------------------------------------------------------------------------------------

Atoms = Sequence[str]


@dataclass(frozen=True)
class Template:
    """How to write one op as code: its forward expression and its local derivatives."""

    forward: Callable[[Atoms, Op], str]
    local: Callable[[Atoms, str, Op], list[str]]


# CPython 3.12 made sum() of floats compensated (Neumaier); before, it adds left to right.
# The engine's wsum/add_n use sum(), so the generated code must do what sum() does here.
_SUM_IS_PLAIN = sum((1e16, 1.0, -1e16), 0.0) == 0.0


def _wsum_forward(xs: Atoms, op: Op) -> str:
    n = len(xs) // 2
    if _SUM_IS_PLAIN and n < 4:  # sum(map(mul, ws, xs), b) = ((b + w0 x0) + w1 x1) + ...
        return " + ".join([xs[-1], *(f"{w} * {x}" for w, x in zip(xs[:n], xs[n : 2 * n]))])
    # the engine's own expression (compensated where sum() is, CPython 3.12+)
    ws = "".join(w + ", " for w in xs[:n])
    ins = "".join(x + ", " for x in xs[n : 2 * n])
    return f"_sum(map(_mul, ({ws}), ({ins})), {xs[-1]})"


def _wsum_local(xs: Atoms, out: str, op: Op) -> list[str]:
    n = len(xs) // 2
    return [*xs[n : 2 * n], *xs[:n], "1.0"]


def _add_n_forward(xs: Atoms, op: Op) -> str:
    # the row's own forward: fsum for 3+ terms, IEEE's inf/nan where fsum raises, -0.0 kept
    return f"_add_n({''.join(x + ', ' for x in xs)})"


def _squared_error_scale(op: Op) -> float | None:
    return {"mse": None, "sse": 1.0, "half_sse": 0.5}[op.name]


def _squared_error_forward(xs: Atoms, op: Op) -> str:
    n = len(xs) // 2
    # total = 0.0; total += e * e: 0.0 + e*e is e*e (a square is never -0.0)
    total = " + ".join(f"({o} - {y}) * ({o} - {y})" for o, y in zip(xs[:n], xs[n:]))
    scale = _squared_error_scale(op)
    if scale is None:
        return f"({total}) / {n}"
    return f"{_literal(scale)} * ({total})"


def _squared_error_local(xs: Atoms, out: str, op: Op) -> list[str]:
    n = len(xs) // 2
    scale = _squared_error_scale(op)
    factor = 2.0 / n if scale is None else 2.0 * scale
    if factor == 1.0:  # the article's J: dJ/do_i = o_i - y_i = -(y_i - o_i)
        d_outputs = [f"({o} - {y})" for o, y in zip(xs[:n], xs[n:])]
    else:
        d_outputs = [f"({_literal(factor)} * ({o} - {y}))" for o, y in zip(xs[:n], xs[n:])]
    return [*d_outputs, *(f"-{d}" for d in d_outputs)]


def _pow_const_exponent(op: Op) -> float | None:
    """The ``c`` of a ``pow_const(c)`` row (its rule is ``partial(rule, c)``), or None."""
    fn = op.local_grads
    if not isinstance(fn, functools.partial) or fn.func is not ops._pow_const_grads \
            or len(fn.args) != 1:
        return None
    c = fn.args[0]
    if type(c) is not float or ops.pow_const(c) is not op:
        return None
    return c


def _pow_const_forward(xs: Atoms, op: Op) -> str:
    return f"_pow({xs[0]}, {_literal(_exponent(op))})"


def _pow_const_local(xs: Atoms, out: str, op: Op) -> list[str]:
    c = _exponent(op)
    if c == 0.0:
        return ["_MASKED"]
    return [f"({_literal(c)} * _pow({xs[0]}, {_literal(c - 1.0)}))"]


def _exponent(op: Op) -> float:
    c = _pow_const_exponent(op)
    assert c is not None  # _template() only picks this row when it can read c
    return c


def _div_forward(xs: Atoms, op: Op) -> str:
    return f"_div({xs[0]}, {xs[1]})"


# fmt: off
TEMPLATES: dict[str, Template] = {
    "add": Template(lambda xs, op: f"{xs[0]} + {xs[1]}", lambda xs, out, op: ["1.0", "1.0"]),
    "sub": Template(lambda xs, op: f"{xs[0]} - {xs[1]}", lambda xs, out, op: ["1.0", "-1.0"]),
    "mul": Template(lambda xs, op: f"{xs[0]} * {xs[1]}", lambda xs, out, op: [xs[1], xs[0]]),
    "div": Template(_div_forward,
                    lambda xs, out, op: [f"_recip({xs[1]})", f"-_div({out}, {xs[1]})"]),
    "pow": Template(lambda xs, op: f"_pow({xs[0]}, {xs[1]})",
                    lambda xs, out, op: [
                        # as ops._pow_grads: masked only where b == 0 and a^(b-1) is not finite
                        f"(_MASKED if {xs[1]} == 0.0 and not _isfinite(_pow({xs[0]}, "
                        f"{xs[1]} - 1.0)) else {xs[1]} * _pow({xs[0]}, {xs[1]} - 1.0))",
                        f"(_MASKED if {xs[0]} == 0.0 and {xs[1]} >= 0.0 "
                        f"else {out} * _log({xs[0]}))"]),
    "pow_const": Template(_pow_const_forward, _pow_const_local),
    "neg": Template(lambda xs, op: f"-{xs[0]}", lambda xs, out, op: ["-1.0"]),
    "exp": Template(lambda xs, op: f"_exp({xs[0]})", lambda xs, out, op: [out]),
    "log": Template(lambda xs, op: f"_log({xs[0]})", lambda xs, out, op: [f"_recip({xs[0]})"]),
    "tanh": Template(lambda xs, op: f"_tanh({xs[0]})",
                     lambda xs, out, op: [f"(1.0 - {out} * {out})"]),
    # float_sigmoid, inline: 1/(1 + e^-x) for x >= 0; else (and for nan) the helper
    "sigmoid": Template(lambda xs, op: f"1.0 / (1.0 + _math_exp(-{xs[0]})) if {xs[0]} >= 0.0 "
                                       f"else _sigmoid({xs[0]})",
                        lambda xs, out, op: [f"({out} * (1.0 - {out}))"]),
    # float_relu, inline: x if x > 0 or x is nan, else 0.0
    "relu": Template(lambda xs, op: f"{xs[0]} if {xs[0]} > 0.0 or {xs[0]} != {xs[0]} else 0.0",
                     lambda xs, out, op: [f"(_MASKED if {xs[0]} <= 0.0 else 1.0)"]),
    "sqrt": Template(lambda xs, op: f"_sqrt({xs[0]})", lambda xs, out, op: [f"_div(0.5, {out})"]),
    "abs": Template(lambda xs, op: f"abs({xs[0]})",
                    lambda xs, out, op: [f"(1.0 if {xs[0]} > 0.0 else -1.0 if {xs[0]} < 0.0 "
                                         f"else _MASKED)"]),
    "sin": Template(lambda xs, op: f"_sin({xs[0]})", lambda xs, out, op: [f"_cos({xs[0]})"]),
    "cos": Template(lambda xs, op: f"_cos({xs[0]})", lambda xs, out, op: [f"-_sin({xs[0]})"]),
    "softplus": Template(lambda xs, op: f"_softplus({xs[0]})",
                         lambda xs, out, op: [f"_sigmoid({xs[0]})"]),
    "add_n": Template(_add_n_forward, lambda xs, out, op: ["1.0"] * len(xs)),
    "wsum": Template(_wsum_forward, _wsum_local),
    "mse": Template(_squared_error_forward, _squared_error_local),
    "sse": Template(_squared_error_forward, _squared_error_local),
    "half_sse": Template(_squared_error_forward, _squared_error_local),
}
# fmt: on

#: ``detach()`` while tracing: the number is passed on, the gradient is not (the node is
#: never "relevant", so its local derivative is never used).
_DETACH_TEMPLATE = Template(lambda xs, op: xs[0], lambda xs, out, op: ["_MASKED"])

#: The names the generated code calls: the rule table's own IEEE-safe float functions.
HELPERS: dict[str, Any] = {
    "_div": ops.float_div,
    "_recip": ops.reciprocal,
    "_MASKED": ops.MASKED,
    "_add_n": ops.ADD_N.forward,
    "_pow": ops.float_pow,
    "_isfinite": math.isfinite,
    "_exp": ops.float_exp,
    "_math_exp": math.exp,
    "_log": ops.float_log,
    "_sqrt": ops.float_sqrt,
    "_tanh": ops.TANH.forward,
    "_sigmoid": ops.float_sigmoid,
    "_softplus": ops.float_softplus,
    "_sin": ops.float_sin,
    "_cos": ops.float_cos,
    "_fsum": math.fsum,
    "_sum": builtins.sum,
    "_mul": operator.mul,
    "_inf": math.inf,
    "_nan": math.nan,
    "_mode": current_mode.get,
    "_float_type": frozenset({float}),
    "_list_type": frozenset({list}),
    "_from_iterable": itertools.chain.from_iterable,
    "_DEFAULT": DEFAULT_MODE,
    "_custom_forward": lambda op, *xs: _custom_forward(op, *xs),
    "_lock": _sweep_lock,
    "_acquire": _sweep_lock.acquire,
    "_release": _sweep_lock.release,
    "_data_of": operator.attrgetter("_data"),
    "_grad_of": operator.attrgetter("_grad"),
    "_set_grads": lambda ps, gs: _set_grads(ps, gs),
}


def _set_grads(parameters: Sequence[Value], grads: Sequence[float]) -> None:
    """``p._grad = g`` for each parameter and its running sum (many parameters' last line)."""
    for p, g in zip(parameters, grads):
        p._grad = g


def _custom_forward(op: Op, *xs: float) -> float:
    """A custom op's forward as the engine's ``apply`` computes it: ``op.forward(*xs)``
    converted to a built-in float (``numpy.float32`` -> float, a huge int -> ``±inf``)."""
    out = op.forward(*xs)
    return out if type(out) is float else _as_float(out, f"the forward of op {op.name!r}")


def _literal(x: float) -> str:
    """``x`` as Python source that evaluates to the same float (sign of zero included)."""
    if math.isnan(x):
        return "_nan"
    if math.isinf(x):
        return "_inf" if x > 0.0 else "(-_inf)"
    text = repr(float(x))
    return f"({text})" if text.startswith("-") else text


def _row(node: Value) -> Op:
    """The rule-table row that made ``node`` (its ``operation``)."""
    op = getattr(node, "operation", None)
    if isinstance(op, Op):
        return op
    found = ops.OPS.get(node.op)
    if found is None:
        raise TypeError(f"autograd.compile cannot find the op {node.op!r} of {node!r}")
    return found


def _template(op: Op) -> Template | None:
    """The code template for ``op``, or None for an op the table does not know (custom)."""
    if op is DETACH:
        return _DETACH_TEMPLATE
    if op.name == "pow_const":
        return TEMPLATES["pow_const"] if _pow_const_exponent(op) is not None else None
    if ops.OPS.get(op.name) is op:
        return TEMPLATES.get(op.name)
    return None


# ----------------------------------------------------------------------------------------
# Leaves: parameters, constants, placeholders.
# ----------------------------------------------------------------------------------------

# sys.getrefcount counts a local variable's reference exactly up to CPython 3.13 (3.14
# may borrow references); elsewhere every leaf is treated as a parameter.
_REFCOUNTS_EXACT = sys.implementation.name == "cpython" and sys.version_info < (3, 14)


def _private_leaves(order: list[Value], root: Value) -> set[int]:
    """The ids of the leaves that nothing outside the traced graph refers to.

    This is the one place that decides which non-placeholder leaves are *parameters*
    (their number read on every call, their gradient accumulated) and which are
    *constants* (their number written into the code, no gradient). A leaf is a constant
    only when no object but the graph itself holds it: a number that ``loss_fn`` wrapped
    with ``as_value`` or a Value it made and dropped. Nobody can read such a leaf's
    ``.grad`` or change its ``.data``, so freezing it changes nothing anyone can observe.
    Every leaf that anything else holds (a model's weights, a module-level Value, a Value
    the function stored somewhere) stays a parameter, which is always correct. (A plain
    number operand, the ``2.0`` of ``x * 2.0``, is no node at all: it is always a literal.)
    The test is CPython's reference count: the references we know (the graph's
    ``_parents`` slots or tuples, its ``_inputs`` tuples, ``order``, the loop variable,
    ``getrefcount``'s argument) must be all there are.
    """
    if not _REFCOUNTS_EXACT:
        return set()
    uses = _held_references(order)
    private = set()
    for leaf in order:
        if leaf._stamp > 0 or leaf is root:
            continue
        if sys.getrefcount(leaf) == uses.get(id(leaf), 0) + 3:  # + order, leaf, argument
            private.add(id(leaf))
    return private


def _held_references(order: list[Value]) -> dict[int, int]:
    """``id(leaf) -> how many references the nodes of ``order`` hold to ``leaf``: one per bare
    ``_parents`` slot and per place in a ``_parents`` or ``_inputs`` tuple (a leaf holds
    none: its ``_parents`` is ``()``, it has no ``_inputs``; a bare number in ``_inputs``,
    the ``c`` of ``x * c``, holds no Value).

    Every node has tuples of its own. Were a tuple ever shared by two nodes, it would be
    counted twice: more references than there are, so its leaves would stay parameters,
    the safe side. A function of its own, so that no loop variable of it still holds a
    leaf when the caller counts the leaf's references."""
    uses: dict[int, int] = {}
    for node in order:
        held = node._parents
        if type(held) is not tuple:  # one parent, held bare by the slot itself
            held = (held,)
        inputs = getattr(node, "_inputs", ())
        if type(inputs) is not tuple:  # a bare number (Value op number): holds no Value
            inputs = ()
        for x in (*held, *inputs):
            if isinstance(x, Value) and x._stamp <= 0:  # only leaves are asked about
                uses[id(x)] = uses.get(id(x), 0) + 1
    return uses


# ----------------------------------------------------------------------------------------
# Code generation.
# ----------------------------------------------------------------------------------------

#: Names the generated code may not use for nodes (helpers, builtins, keywords, its own).
_RESERVED = frozenset({*HELPERS, *dir(builtins), *keyword.kwlist, "_total", "_retrace", "_v",
                       "_codes", "_code"})
#: Sums of more terms are split into lines (CPython's compiler recurses on long sums).
_CHUNK = 64


def _identifier(text: str) -> str:
    """``text`` as an ASCII Python identifier: other characters become ``_``; never a
    leading ``_`` or digit (``v`` is put in front)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not name or name[0].isdigit() or name[0] == "_":
        name = "v" + name
    return name


#: The reserved form of fallback names: ``v12``, ``v12_w`` (a counter, then an ASCII slug).
#: No node keeps a label of this form, so a fallback name can never meet a label.
_FALLBACK = re.compile(r"v[0-9]+(_[A-Za-z0-9_]*)?")
#: Unlabelled nodes of the table's ops are named ``mul0``, ``sigmoid3``...: a form that no
#: label keeps either.
_OP_STEMS = frozenset({*TEMPLATES, "detach"})
_OP_FORM = re.compile("(" + "|".join(sorted(_OP_STEMS, key=len, reverse=True)) + ")[0-9]+")
#: A generated name (fallback or op form), or one of its derived names that a label could
#: spell: ``g_mul0`` (its gradient), ``local_mul0`` (``_`` + it is ``_local_mul0``). No
#: label of this form is kept, so generated names need no record of their own: they can
#: never meet a label or a name derived from one.
_GENERATED = re.compile(f"(?:g_|local_)?(?:{_FALLBACK.pattern}|{_OP_FORM.pattern})")
#: The longest slug of a label kept in a fallback name.
_SLUG = 24


def _usable_label(label: str) -> bool:
    """Whether ``label`` can be a variable as it is: an ASCII identifier, no keyword, no
    builtin or name the generated code uses, no leading ``_``, not of a generated form
    (``v3``, ``mul0``) nor one's gradient or local name (``g_mul0``, ``local_v3_x``)."""
    return (label.isascii() and label.isidentifier() and not keyword.iskeyword(label)
            and label[0] != "_" and label not in _RESERVED
            and _GENERATED.fullmatch(label) is None)


class _Names:
    """Variable names: for node ``n``, ``n`` (its number), ``g_n`` (its gradient), ``_n``
    (the parameter object) and ``_local_n`` (a custom op's derivatives), all unique.

    A node is named by its label when :func:`_usable_label` accepts it and none of its four
    names is taken; otherwise by a fallback ``v<k>`` or ``v<k>_<slug>`` (``k`` a counter),
    a form no label is given. Python folds identifiers to NFKC (``µ`` and ``μ``, ``ｗ`` and
    ``w`` are one name), so only ASCII labels are used as they are: two nodes can never
    share a variable, whatever their labels. Only the names taken from labels (and the
    fixed ones) are recorded: a generated name is unique by its counter, and its form is
    one no label keeps (:data:`_GENERATED`), so a graph of unlabelled nodes costs no
    memory here."""

    def __init__(self) -> None:
        self.taken: set[str] = set(_RESERVED)
        self.counter = itertools.count()
        self.op_counters: dict[str, Iterator[int]] = {}

    def _free(self, name: str) -> bool:
        taken = self.taken
        return not (name in taken or "g_" + name in taken or "_" + name in taken
                    or "_local_" + name in taken)

    def new(self, label: str, fallback: str) -> str:
        """A fresh name for a node labelled ``label`` (``fallback``, an op or argument name,
        is the slug of an unlabelled node)."""
        if label and _usable_label(label) and self._free(label):
            name = label
        elif not label and fallback in _OP_STEMS:
            counter = self.op_counters.setdefault(fallback, itertools.count())
            while True:
                name = f"{fallback}{next(counter)}"
                if self._free(name):
                    break
        else:
            slug = re.sub(r"[^A-Za-z0-9_]", "_", label or fallback)[:_SLUG].strip("_")
            while True:
                name = f"v{next(self.counter)}" + (f"_{slug}" if slug else "")
                if self._free(name):
                    break
        if _GENERATED.fullmatch(name) is None:  # generated names are unique by their form
            self.taken.update((name, "g_" + name, "_" + name, "_local_" + name))
        # interned: CPython's compiler interns the names of the code it compiles, so a long
        # program's code then shares this string instead of holding a copy of its own
        return sys.intern(name)


def _comment(label: str, name: str) -> str:
    """A trailing comment with the original label when the variable does not show it."""
    if not label or label == name:
        return ""
    text = repr(label[:40] + ("..." if len(label) > 40 else ""))
    return f"  # {text}"


def _times(g: str | None, local: str) -> str:
    """The chain-rule term ``g * local`` (``g`` None is the seed 1.0; 1.0 * x is x)."""
    if g is None:  # the seed: eager computes 1.0 * local, which turns a special number
        # (the mask, a subnormal's reciprocal, a custom rule's result) into a plain one
        special = ("_MASKED" in local or "_recip" in local or "_local_" in local)
        return f"1.0 * {local}" if special else local
    if local == "1.0":
        return g
    if local == "-1.0":
        return f"-{g}"
    return f"{g} * {local}"


Term = tuple[str | None, str]  # a chain-rule term (g, local): g * local, g None = seed 1.0
#: Sums of at least this many terms are written ``sum(map(mul, gs, locals), start)``.
_MAP_MIN = 4


def _sum_lines(target: str, start: str | None, terms: list[Term]) -> list[str]:
    """``target = start + g0 * l0 + g1 * l1 + ...``, added left to right (``start`` None:
    the first term starts the sum), as the engine's ``+=`` adds them.

    Long sums go through ``sum(map(mul, ...), start)``, which adds in that same order
    where ``sum()`` is plain (before CPython 3.12), and costs the compiler far less
    than a chain of ``+``; elsewhere they are split into lines of ``_CHUNK`` terms.
    """
    if _SUM_IS_PLAIN and len(terms) >= _MAP_MIN:
        if start is None:
            start, terms = _times(*terms[0]), terms[1:]
        gs = "".join(f"{g or '1.0'}, " for g, _ in terms)
        ls = "".join(f"{local}, " for _, local in terms)
        return [f"    {target} = _sum(map(_mul, ({gs}), ({ls})), {start})"]
    rendered = [_times(g, local) for g, local in terms]
    lines = []
    for i in range(0, len(rendered), _CHUNK):
        head = [start] if start else []
        lines.append(f"    {target} = {' + '.join(head + rendered[i : i + _CHUNK])}")
        start = target
    return lines


def _container_checks(key: Key, expression: str) -> list[str]:
    """Conditions, each true when a container of ``expression`` (outer ones first) is not
    of the type that ``key`` says. Lengths are not checked here: the unpacking of the
    arguments (``x0, x1 = xs``) raises ``ValueError`` for another length, and ran before.
    """
    if key is None:
        return []
    if isinstance(key, int):
        return [f"type({expression}) is not list"]
    container, inner = key
    checks = [f"type({expression}) is not {container.__name__}"]
    if _rows_of_floats(key):  # a long list of lists of numbers: its lists in one C loop
        return [*checks, f"not _list_type.issuperset(map(type, {expression}))"]
    for i, k in enumerate(inner):
        checks += _container_checks(k, f"{expression}[{i}]")
    return checks


#: A list argument of at least this many numbers has its types checked in one C loop.
_BULK_CHECK = 8
#: More parameters than this are read (and their running sums set) in one line each way.
_BULK_PARAMETERS = 32


def _float_checks(
    arguments: Sequence[tuple[str, Key]], signature: Sequence[str], placeholders: Sequence[Value],
    atom: dict[int, str],
) -> list[str]:
    """Conditions, each true when an argument's number is not a built-in float: ``type(x)
    is not float`` per number, or for a long flat list one test of all its items."""
    checks = []
    leaves = iter(placeholders)
    for (_, key), name in zip(arguments, signature):
        mine = [next(leaves) for _ in _leaf_names(key, "x")]
        if isinstance(key, int) and key >= _BULK_CHECK:
            checks.append(f"not _float_type.issuperset(map(type, {name}))")
        elif _rows_of_floats(key):
            checks.append(f"not _float_type.issuperset(map(type, _from_iterable({name})))")
        else:
            checks += [f"type({atom[id(p)]}) is not float" for p in mine]
    return checks


def _rows_of_floats(key: Key) -> bool:
    """Whether ``key`` is a container of lists of numbers (a batch of samples) holding at
    least :data:`_BULK_CHECK` numbers: its types are then checked in bulk."""
    return (isinstance(key, tuple) and all(type(k) is int for k in key[1])
            and sum(key[1]) >= _BULK_CHECK)


def _guard_lines(conditions: list[str], call: str) -> list[str]:
    """``if not (all conditions): return call``, split over lines of a few conditions."""
    if not conditions:
        return []
    rows = [" or ".join(conditions[i : i + 4]) for i in range(0, len(conditions), 4)]
    return [f"    if ({(' or' + chr(10) + '            ').join(rows)}):", f"        return {call}"]


def _unpack_target(
    key: Key, leaves: Iterator[Value], names: _Names, atom: dict[int, str], top: bool = False
) -> str:
    """The assignment target that unpacks an argument of structure ``key`` into the
    placeholders' variables: ``x0, x1`` or, nested, ``(b0_0, b0_1), (b1_0,)``."""
    if key is None:
        p = next(leaves)
        name = names.new(p.label, "x")
        atom[id(p)] = name
        return name
    children = [None] * key if isinstance(key, int) else list(key[1])
    parts = [_unpack_target(k, leaves, names, atom) for k in children]
    if not parts:
        return "[]"
    text = ", ".join(parts) + ("," if len(parts) == 1 else "")
    return text if top else f"({text})"


def _structure_checks(structure: Structure | None, namespace: dict[str, Any]) -> list[str]:
    """One condition, true when a module may have changed since the trace: the structure
    version moved, or a registered list is not its copy. Both sides are tuples (the live
    version counter and lists; their copies when traced) compared in one C loop, the
    version first (``==`` tests identity first, so an unchanged list costs a pass over
    its items)."""
    if structure is None:
        return []
    # (names with two leading underscores: no node's "_" + name can be one of them)
    for k, items in enumerate(structure.lists):
        namespace[f"__L{k}"] = items  # the parameters are read through these
    namespace["__live"] = (STRUCTURE_VERSION, *structure.lists)
    namespace["__traced"] = (structure.version, *structure.copies)
    return ["__live != __traced"]


@dataclass
class Program:
    """One generated function: its source, the objects it refers to, the placeholders'
    names in argument order."""

    text: str
    namespace: dict[str, Any]
    function_name: str
    #: a chunked program's pieces, compiled (``text`` is then the function that runs them)
    codes: tuple[types.CodeType, ...] = ()
    #: the pieces' source, zlib-compressed (shown by :attr:`source`)
    packed: tuple[bytes, ...] = ()

    @property
    def source(self) -> str:
        """The generated code: the function, then each piece of a chunked program."""
        if not self.packed:
            return self.text
        pieces = [f"\n# piece {k}: run by {self.function_name}() in its globals\n"
                  + zlib.decompress(piece).decode() for k, piece in enumerate(self.packed)]
        return self.text + "".join(pieces)


def generate(
    root: Value,
    placeholders: Sequence[Value],
    arguments: Sequence[tuple[str, Key]] | None = None,
    function_name: str = "step",
    header: str = "",
    guard: bool = False,
    structure: Structure | None = None,
    variadic: bool = False,
) -> Program:
    """Write the forward and backward of ``root``'s graph as one Python function.

    The function takes ``arguments`` (``(name, structure)`` pairs, see :func:`structure`)
    holding the numbers of ``placeholders`` in order (default: one number argument per
    placeholder), adds ``d root / d p`` into ``p.grad`` for every parameter leaf ``p`` and
    returns ``root``'s value. Gradients are computed only for nodes on a path to a
    parameter. With ``guard``, the function first checks that it was called outside any
    mode with arguments of this structure holding floats, and otherwise returns
    ``_retrace(args)`` (a name the caller puts into the namespace). With ``structure``
    (:class:`autograd.guards.Structure`), it also checks that no module changed and the
    registered lists are as traced, and reads the parameters held in those lists through
    the lists. With ``guard`` and ``variadic`` (a function that takes ``*args`` or default
    arguments), the function takes ``*args`` and another number of them is dispatched too.
    Accumulation into ``.grad`` holds the engine's sweep lock.
    """
    if arguments is None:
        arguments = [(p.label, None) for p in placeholders]
    order = topological_order(root)
    placeholder_ids = {id(p) for p in placeholders}
    private = _private_leaves(order, root)
    names = _Names()
    function_name = names.new(function_name, "step")
    namespace: dict[str, Any] = dict(HELPERS)

    # -- classify and name the leaves --------------------------------------------------
    atom: dict[int, str] = {}  # id(node) -> the expression of its number
    signature = []
    unpack = []
    leaves = iter(placeholders)
    for arg_name, key in arguments:
        if key is None:  # a number: the placeholder is the argument itself
            p = next(leaves)
            name = names.new(p.label, "x")
            atom[id(p)] = name
            signature.append(name)
        else:
            name = names.new(arg_name, "arg")
            signature.append(name)
            unpack.append(f"    {_unpack_target(key, leaves, names, atom, top=True)} = {name}")
    parameters: list[tuple[str, Value]] = []  # (name, leaf), in order of first use
    lines: list[str] = []
    leaf_lines: list[str] = []  # the labelled constants
    parameter_lines: list[str] = []
    body_nodes = [n for n in order if n.parents]
    ordered_leaves: list[Value] = []  # the other leaves, in the order the forward uses them
    seen_leaf: set[int] = set(placeholder_ids)
    for node in body_nodes:
        for parent in node.parents:
            if parent._stamp <= 0 and id(parent) not in seen_leaf:
                seen_leaf.add(id(parent))
                ordered_leaves.append(parent)
    if root._stamp <= 0 and id(root) not in seen_leaf:  # fn returned a leaf itself
        ordered_leaves.append(root)
    where = structure.locations() if structure is not None else {}
    read_through: dict[int, dict[int, str]] = {}  # list index -> {position: object name}
    for leaf in ordered_leaves:
        if id(leaf) in private:
            if leaf.label:  # a labelled constant keeps its name: x0 = 0.05
                name = names.new(leaf.label, "c")
                comment = _comment(leaf.label, name)
                leaf_lines.append(f"    {name} = {_literal(leaf._data)}{comment}")
                atom[id(leaf)] = name
            else:
                atom[id(leaf)] = _literal(leaf._data)
        else:
            name = names.new(leaf.label, "p")
            if id(leaf) in where:  # read through its list: a replaced Value is seen
                k, i = where[id(leaf)]
                read_through.setdefault(k, {})[i] = "_" + name
            else:
                namespace["_" + name] = leaf
            parameters.append((name, leaf))
            parameter_lines.append(f"    {name} = _{name}._data{_comment(leaf.label, name)}")
            atom[id(leaf)] = name
    bulk = len(parameters) > _BULK_PARAMETERS
    if bulk:  # one line each way: the per-parameter lines cost CPython's compiler most
        parameter_lines = [
            f"    __P = ({''.join(f'_{name}, ' for name, _ in parameters)})  # the parameters",
            f"    {''.join(f'{name}, ' for name, _ in parameters)}= map(_data_of, __P)"]
    leaf_lines = parameter_lines + leaf_lines

    # -- which nodes need a gradient: those with a path down to a parameter -------------
    parameter_ids = {id(leaf) for _, leaf in parameters}
    relevant: set[int] = set(parameter_ids)
    for node in body_nodes:  # a stop-gradient (detach() while tracing) passes none on
        if _row(node) is not DETACH and any(id(p) in relevant for p in node.parents):
            relevant.add(id(node))
    if any(_row(node) is DETACH for node in body_nodes):
        # ... so a node whose only way to the root is through one gets no gradient
        reached = {id(root)}
        for node in reversed(body_nodes):
            if id(node) in reached and _row(node) is not DETACH:
                reached.update(id(p) for p in node.parents)
        relevant = {i for i in relevant if i in reached}

    # -- repeated subgraphs (one per sample, say) become one loop ------------------------
    def leaf_ref(leaf: Value) -> tuple[Any, ...]:
        if id(leaf) in placeholder_ids:
            return ("x",)
        if id(leaf) in parameter_ids:
            return ("p", id(leaf))
        return ("c", _literal(leaf._data))

    group = _find_group(body_nodes, leaf_ref) if len(body_nodes) >= _ROLL_MIN else None
    if group is not None and not _uniformly_relevant(group, relevant):
        group = None  # one loop body cannot serve instances that need different gradients
    rolled = group is not None
    statements = len(body_nodes)
    if group is not None:
        statements -= group.end - group.start - len(group.instances[0])
    # a long program is compiled piece by piece (see _Chunks); its values live in the
    # function's globals, so the parameters' gradients are running sums, as in a loop
    chunks = _Chunks() if statements > CHUNK_STATEMENTS else None
    running = rolled or chunks is not None

    # -- forward ----------------------------------------------------------------------
    variadic = variadic and guard
    # (names with two leading underscores: no node's "_" + name can be __args)
    header_lines = [f"def {function_name}({'*__args' if variadic else ', '.join(signature)}):"]
    if header:
        header_lines += [f"    # {line}" if line else "    #" for line in header.splitlines()]
    if variadic:  # another number of arguments fails to unpack, and is dispatched anew
        unpack = [f"    [{', '.join(signature)}] = __args", *unpack]
    if guard:  # other structures, non-floats and modes go back to the dispatcher
        retrace = ("_retrace(__args)" if variadic else
                   f"_retrace(({', '.join(signature)}{',' if len(signature) == 1 else ''}))")
        header_lines.append("    # arguments of another structure, or not floats: "
                            "dispatched (and traced) anew")
        if unpack:  # another length (or no sequence) fails to unpack
            header_lines += ["    try:", *("    " + line for line in unpack),
                             "    except (TypeError, ValueError):", f"        return {retrace}"]
        header_lines += _guard_lines(
            ["_mode() is not _DEFAULT"]
            + [c for a, (_, key) in zip(signature, arguments) for c in _container_checks(key, a)]
            + _float_checks(arguments, signature, placeholders, atom)
            + _structure_checks(structure, namespace),
            retrace)
    else:
        header_lines += unpack
    read_lines = []
    if structure is not None:
        for k, objects in sorted(read_through.items()):
            targets = [objects.get(i, "_") for i in range(len(structure.lists[k]))]
            text = ", ".join(targets) + ("," if len(targets) == 1 else "")
            read_lines.append(f"    {text} = __L{k}")
    if chunks is not None:  # the chunks run in the function's globals: they read them there
        lines = chunks
        lines += read_lines
    else:
        header_lines += read_lines
    lines += ["    # forward", *leaf_lines]
    gen = _Emitter(names, namespace, atom)
    position = 0
    while position < len(body_nodes):
        if group is not None and position == group.start:
            lines += gen.rolled_forward(group)
            position = group.end
            continue
        lines.append("    " + gen.forward(body_nodes[position]))
        position += 1

    # -- backward: reverse creation order, as the engine's sweep --------------------------
    remaining: dict[int, int] = {}  # id(parameter) -> contributions still to come
    for node in body_nodes:
        if id(node) not in relevant:
            continue
        for parent in node.parents:
            if id(parent) in parameter_ids:
                remaining[id(parent)] = remaining.get(id(parent), 0) + 1
    backward: list[str] = [] if chunks is None else chunks
    accumulate: list[str] = []
    if running and bulk:  # running sums, in the engine's order: g_p = p.grad, g_p + term...
        backward += [f"    {''.join(f'g_{name}, ' for name, _ in parameters)}= "
                     "map(_grad_of, __P)"]
        accumulate += [f"    _set_grads(__P, ({''.join(f'g_{name}, ' for name, _ in parameters)}))"]
    elif running:
        backward += [f"    g_{name} = _{name}._grad" for name, _ in parameters]
        accumulate += [f"    _{name}._grad = g_{name}" for name, _ in parameters]
    if id(root) in parameter_ids:  # fn returned a parameter itself: d root / d root = 1.0
        accumulate.append(f"    _{atom[id(root)]}._grad += 1.0")

    def to_parameter(parent: Value, term: Term) -> list[str]:
        """A term for a parameter: a running sum (rolled code), or collected until the
        parameter's last term, then one line."""
        name = atom[id(parent)]
        if running:
            return [f"    g_{name} = g_{name} + {_times(*term)}"]
        gen.contributions.setdefault(id(parent), []).append(term)
        remaining[id(parent)] -= 1
        if remaining[id(parent)]:
            return []
        terms = gen.contributions.pop(id(parent))
        if len(terms) == 1:  # one use: its own line, then .grad += it
            accumulate.append(f"    _{name}._grad += g_{name}")
            return [f"    g_{name} = {_times(*terms[0])}"]
        # several: added into .grad one by one, as backward() does
        accumulate.extend(_sum_lines("_total", f"_{name}._grad", terms))
        accumulate.append(f"    _{name}._grad = _total")
        return []

    position = len(body_nodes) - 1
    while position >= 0:
        if group is not None and position == group.end - 1:
            backward += gen.rolled_backward(group, relevant, parameter_ids, _rolled_param_line)
            position = group.start - 1
            continue
        node = body_nodes[position]
        position -= 1
        if id(node) in relevant:
            backward += gen.backward(node, node is root, relevant, parameter_ids, to_parameter)
    if chunks is not None:
        return _chunked_program(chunks, header_lines, accumulate, placeholders, atom, root,
                                namespace, function_name)
    # The sweep lock taken as acquire, try, finally release: a third cheaper than `with`
    # on a call as short as the article's.
    locked = ["    _acquire()  # one sweep at a time, as backward()", "    try:"]
    if rolled and accumulate:  # the running sums read .grad: under the lock from the start
        lines += locked
        indent = "    "
    else:
        indent = ""
    if backward:
        lines += [indent + "    # backward: g_v = d(loss)/dv, the chain rule in reverse creation "
                  "order", *(indent + line for line in backward)]
    if accumulate:
        if not rolled:
            lines += locked
            indent = "    "
        lines += [indent + "    # accumulate into the parameters' .grad",
                  *(indent + line for line in accumulate), "    finally:", "        _release()"]
    lines.append(f"    return {atom[id(root)]}")
    source = "\n".join(header_lines + lines) + "\n"
    return Program(source, namespace, function_name)


#: A program of more top-level statements than this is compiled in pieces of this many.
#: CPython's compiler needs several kB per statement while it works (its syntax tree,
#: symbol table and code of the whole unit at once): pieces keep that bounded, whatever
#: the graph's size.
CHUNK_STATEMENTS = 200


class _Chunks(list[str]):
    """The lines of a long program, compiled as they come, :data:`CHUNK_STATEMENTS`
    top-level statements at a time, as module code (``exec`` runs each piece in the
    generated function's globals, where the pieces leave and read the numbers). Each
    piece's text is kept zlib-compressed only, for :attr:`Program.source`. A line is
    given as in the function's body (four spaces in); a compound statement's inner lines
    stay with it."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[types.CodeType] = []
        self.packed: list[bytes] = []
        self.statements = 0  # top-level statements in the piece being written

    def append(self, line: str) -> None:
        """Add one line; a new top-level statement first closes a full piece."""
        if line[4] != " ":  # a statement of the function's own level
            if self.statements >= CHUNK_STATEMENTS:
                self.flush()
            self.statements += 1
        super().append(line[4:])

    def extend(self, lines: Iterable[str]) -> None:
        """Add each line in turn."""
        for line in lines:
            self.append(line)

    def __iadd__(self, lines: Iterable[str]) -> _Chunks:  # type: ignore[override,misc]
        self.extend(lines)
        return self

    def flush(self) -> None:
        """Compile the piece written so far and keep its text packed."""
        if not self:
            return
        text = "\n".join(self) + "\n"
        self.codes.append(builtins.compile(text, f"<autograd.compile piece {len(self.codes)}>",
                                           "exec"))
        self.packed.append(zlib.compress(text.encode(), 1))
        self.clear()
        self.statements = 0


def _chunked_program(
    chunks: _Chunks, header_lines: list[str], accumulate: list[str],
    placeholders: Sequence[Value], atom: dict[int, str], root: Value, namespace: dict[str, Any],
    function_name: str,
) -> Program:
    """The function that runs a long program's pieces: after its guard, under the sweep
    lock (the pieces keep their numbers in its globals, so calls take turns), it puts the
    arguments' numbers into its globals, runs the pieces and returns the loss."""
    chunks += accumulate
    chunks.flush()
    names = [atom[id(p)] for p in placeholders]
    lines = ["    with _lock:  # one call at a time: the pieces keep their numbers in globals()"]
    if names:
        lines.append(f"        globals().update({', '.join(f'{n}={n}' for n in names)})")
    lines += ["        for _code in _codes:", "            exec(_code, globals())",
              f"    return {atom[id(root)]}"]
    return Program("\n".join(header_lines + lines) + "\n", namespace, function_name,
                   tuple(chunks.codes), tuple(chunks.packed))


def _rolled_param_line(name: str, term: Term) -> list[str]:
    """A parameter's term inside a rolled loop: added to its running sum."""
    return [f"        g_{name} = g_{name} + {_times(*term)}"]


#: At least this many structurally equal subgraphs (one per sample, say) become a loop.
_ROLL_MIN = 8
#: How many candidate shapes are tried before giving up on a loop.
_ROLL_TRIES = 12


@dataclass
class _Group:
    """Repeated subgraphs: ``instances[k]`` is the k-th one's nodes in creation order (its
    root last), ``slots[k]`` its placeholders in order of use; together they fill the
    positions ``start .. end - 1`` of the creation order."""

    instances: list[list[Value]]
    slots: list[list[Value]]
    start: int
    end: int


def _uniformly_relevant(group: _Group, relevant: set[int]) -> bool:
    """Whether every instance needs a gradient at the same positions as the first (not so
    when ``detach()`` cuts some instances' results off the root): the loop's backward
    is written once, from the first instance."""
    first = [id(node) in relevant for node in group.instances[0]]
    return all([id(node) in relevant for node in instance] == first
               for instance in group.instances[1:])


def _find_group(
    body_nodes: list[Value], leaf_ref: Callable[[Value], tuple[Any, ...]]
) -> _Group | None:
    """The largest set of repeated subgraphs that can run as one loop, or None.

    Nodes are hash-consed on (op, inputs' shapes), leaves by ``leaf_ref`` (the same
    parameter, the same constant, any placeholder), number operands by their literal.
    Shapes that occur at least ``_ROLL_MIN`` times are tried in turn (those feeding no
    other repeated shape first, then the most frequent, the latest made); one is taken
    when its instances' subgraphs are disjoint, were created one after another (so a
    loop over them keeps the engine's order), are isomorphic, read only leaves from
    outside, and nothing outside reads their inner nodes.
    """
    # codes: a node's shape (>= 0); a leaf's -1 (placeholder) or another negative number
    codes: dict[int, int] = {}
    leaf_codes: dict[tuple[Any, ...], int] = {("x",): -1}
    shapes: dict[tuple[int, ...], int] = {}
    for node in body_nodes:
        key = [id(_row(node))]
        for x in node.inputs:
            if not isinstance(x, Value):  # a number operand: its literal, in its place
                key.append(leaf_codes.setdefault(("c", _literal(x)), -1 - len(leaf_codes)))
                continue
            if x._stamp <= 0 and id(x) not in codes:
                codes[id(x)] = leaf_codes.setdefault(leaf_ref(x), -1 - len(leaf_codes))
            key.append(codes[id(x)])
        codes[id(node)] = shapes.setdefault(tuple(key), len(shapes))
    shape = codes
    counts: dict[int, int] = {}
    for node in body_nodes:
        counts[shape[id(node)]] = counts.get(shape[id(node)], 0) + 1
    fed: set[int] = set()  # shapes that a repeated shape consumes
    for node in body_nodes:
        if counts[shape[id(node)]] >= _ROLL_MIN:
            fed.update(shape[id(p)] for p in node.parents if p.parents)
    last_of: dict[int, int] = {}  # shape -> the position of its last node
    for i, node in enumerate(body_nodes):
        last_of[codes[id(node)]] = i
    # unfed shapes first (they hold the most), then the most frequent, the latest made
    candidates = sorted((s for s, c in counts.items() if c >= _ROLL_MIN),
                        key=lambda s: (s not in fed, counts[s], last_of[s]), reverse=True)
    position = {id(n): i for i, n in enumerate(body_nodes)}
    for best in candidates[:_ROLL_TRIES]:
        group = _instances(body_nodes, codes, position, best)
        if group is not None:
            return group
    return None


def _instances(
    body_nodes: list[Value], codes: dict[int, int], position: dict[int, int], best: int
) -> _Group | None:
    """The nodes of shape ``best`` as a :class:`_Group`, or None if they cannot be one."""
    shape = codes
    roots = [n for n in body_nodes if shape[id(n)] == best]
    instances = []
    for root in roots:
        members = {id(root): root}
        stack = [root]
        while stack:
            for p in stack.pop().parents:
                if p.parents and id(p) not in members:
                    members[id(p)] = p
                    stack.append(p)
        instances.append(sorted(members.values(), key=lambda n: position[id(n)]))
    size = len(instances[0])
    start = position[id(instances[0][0])]
    for k, instance in enumerate(instances):  # contiguous, in order, hence disjoint
        if [position[id(n)] for n in instance] != list(
                range(start + k * size, start + (k + 1) * size)):
            return None
    end = start + len(instances) * size
    root_ids = {id(r) for r in roots}
    for node in body_nodes[end:]:  # outside, only the roots are read
        for p in node.parents:
            if p.parents and start <= position[id(p)] < end and id(p) not in root_ids:
                return None
    first = instances[0]
    slots: list[list[Value]] = []
    first_slots: dict[int, int] = {}  # id(placeholder) -> its slot, in the first instance
    for instance in instances:  # isomorphic to the first, placeholders in the same slots
        index = {id(n): i for i, n in enumerate(instance)}
        slot_of: dict[int, int] = {}
        these: list[Value] = []
        for n0, n in zip(first, instance):
            if codes[id(n0)] != codes[id(n)]:
                return None
            for p0, p in zip(n0.parents, n.parents):
                if p.parents:
                    if index[id(p)] != position[id(p0)] - start:
                        return None
                elif codes[id(p)] == -1:
                    if id(p) not in slot_of:
                        slot_of[id(p)] = len(these)
                        these.append(p)
                    if slots and slot_of[id(p)] != first_slots[id(p0)]:
                        return None
        if not slots:
            first_slots = slot_of
        elif len(these) != len(slots[0]):
            return None
        slots.append(these)
    return _Group(instances, slots, start, end)


class _Emitter:
    """Writes the lines of nodes: forward expressions, gradient sums, rolled loops."""

    def __init__(self, names: _Names, namespace: dict[str, Any], atom: dict[int, str]) -> None:
        self.names = names
        self.namespace = namespace
        self.atom = atom
        self.custom_ops: dict[int, str] = {}  # id(Op) -> its name in the namespace
        self.contributions: dict[int, list[Term]] = {}
        self.assigned: set[int] = set()  # a rolled loop's root: g is its loop variable
        self.rolled_atoms: dict[int, str] = {}
        self.saved = ""

    def input_atoms(self, node: Value) -> list[str]:
        """The atoms of ``node``'s inputs in the op's order: a Value's variable (or
        literal), a number operand's literal."""
        return [self.atom[id(x)] if isinstance(x, Value) else _literal(x) for x in node.inputs]

    def forward(self, node: Value) -> str:
        """``name = expression`` for ``node`` (its name allocated)."""
        op = _row(node)
        template = _template(op)
        name = self.names.new(node.label, op.name)
        xs = self.input_atoms(node)
        if template is not None:
            expression = template.forward(xs, op)
        else:
            op_name = self.custom_ops.setdefault(
                id(op), f"__op{len(self.custom_ops)}_{_identifier(op.name)[:_SLUG]}")
            self.namespace[op_name] = op
            expression = f"_custom_forward({op_name}, {', '.join(xs)})"
        self.atom[id(node)] = name
        return f"{name} = {expression}{_comment(node.label, name)}"

    def backward(
        self,
        node: Value,
        is_root: bool,
        relevant: set[int],
        parameter_ids: set[int],
        to_parameter: Callable[[Value, Term], list[str]],
        indent: str = "    ",
    ) -> list[str]:
        """``g_node`` from its collected terms, then its terms for its parents (the
        template's local derivatives at the Value positions of the inputs)."""
        lines = []
        g_node = None if is_root else "g_" + self.atom[id(node)]  # the root's: the seed 1.0
        if g_node is not None and id(node) not in self.assigned:
            lines += [indent + line.lstrip() for line in
                      _sum_lines(g_node, None, self.contributions.pop(id(node)))]
        op = _row(node)
        template = _template(op)
        xs = self.input_atoms(node)
        if template is not None:
            locals_ = template.local(xs, self.atom[id(node)], op)
        else:
            local_name = "_local_" + self.atom[id(node)]
            lines.append(f"{indent}{local_name} = {self.custom_ops[id(op)]}.local_grads("
                         f"{', '.join([self.atom[id(node)], *xs])})")
            locals_ = [f"{local_name}[{i}]" for i in range(len(xs))]
        for parent, local in zip(node.inputs, locals_):
            if not isinstance(parent, Value) or id(parent) not in relevant:
                continue
            if id(parent) in parameter_ids:
                lines += to_parameter(parent, (g_node, local))
            else:
                self.contributions.setdefault(id(parent), []).append((g_node, local))
        return lines

    def rolled_forward(self, group: _Group) -> list[str]:
        """The group's forward as a loop over its instances, saving each one's numbers."""
        first = group.instances[0]
        outer = dict(self.atom)
        slots = [self.names.new(f"in{j}", "in") for j in range(len(group.slots[0]))]
        for p, name in zip(group.slots[0], slots):
            self.atom[id(p)] = name
        body = ["        " + self.forward(node) for node in first]
        values = [*slots, *(self.atom[id(node)] for node in first)]
        inputs = ", ".join(
            "(" + "".join(outer[id(p)] + ", " for p in instance_slots) + ")"
            for instance_slots in group.slots)
        saved = self.saved = self.names.new("saved", "saved")
        roots = [self.names.new(inst[-1].label, _row(inst[-1]).name) for inst in group.instances]
        # instance 0's variables now name the loop's; the roots get names of their own
        self.rolled_atoms = {id(node): self.atom[id(node)] for node in first}
        self.rolled_atoms.update({id(p): name for p, name in zip(group.slots[0], slots)})
        for p in group.slots[0]:
            self.atom[id(p)] = outer[id(p)]
        for inst, name in zip(group.instances, roots):
            self.atom[id(inst[-1])] = name
        target = ", ".join(slots) + ("," if len(slots) == 1 else "") if slots else "_"
        source = f"({inputs},)" if slots else f"range({len(group.instances)})"
        return [
            f"    # {len(group.instances)} repeated subgraphs of {len(first)} nodes: one loop",
            f"    {saved} = []",
            f"    for {target} in {source}:",
            *body,
            f"        {saved}.append(({', '.join(values)},))",
            f"    {', '.join(roots)}, = [_v[-1] for _v in {saved}]",
        ]

    def rolled_backward(
        self,
        group: _Group,
        relevant: set[int],
        parameter_ids: set[int],
        param_line: Callable[[str, Term], list[str]],
    ) -> list[str]:
        """Each instance root's gradient, then the group's backward as a loop over the
        instances in reverse (the engine's order), parameters summed as it goes."""
        roots = [inst[-1] for inst in group.instances]
        if id(roots[0]) not in relevant:
            return []
        lines = []
        for root in reversed(roots):
            g = "g_" + self.atom[id(root)]
            lines += _sum_lines(g, None, self.contributions.pop(id(root)))
        first = group.instances[0]
        outer = dict(self.atom)
        self.atom.update(self.rolled_atoms)
        g_root = "g_" + self.atom[id(first[-1])]
        self.assigned.add(id(first[-1]))
        values = [*(self.atom[id(p)] for p in group.slots[0]),
                  *(self.atom[id(node)] for node in first)]
        saved = self.saved
        grads = ", ".join("g_" + outer[id(root)] for root in roots)
        lines += [
            f"    for ({', '.join(values)},), {g_root} in zip(reversed({saved}), "
            f"reversed(({grads},))):",
        ]

        def to_parameter(parent: Value, term: Term) -> list[str]:
            return param_line(outer[id(parent)], term)

        for node in reversed(first):
            if id(node) in relevant:
                lines += self.backward(node, False, relevant, parameter_ids, to_parameter,
                                       indent="        ")
        self.atom.clear()
        self.atom.update(outer)
        return lines


_counter = itertools.count()


def build(program: Program) -> Callable[..., float]:
    """Compile a :class:`Program` into its function (its source shown in tracebacks)."""
    filename = f"<autograd.compile #{next(_counter)}>"
    code = builtins.compile(program.text, filename, "exec")
    linecache.cache[filename] = (len(program.text), None, program.text.splitlines(True),
                                 filename)
    namespace = dict(program.namespace)
    namespace["_codes"] = program.codes
    exec(code, namespace)
    function: Callable[..., float] = namespace[program.function_name]
    return function


# ----------------------------------------------------------------------------------------
# Arguments: structure, flattening, placeholders.
# ----------------------------------------------------------------------------------------

_FLOATS = frozenset({float})


def _to_float(x: Any) -> float:
    try:
        return float(x)
    except OverflowError:  # an int beyond the float range is ±inf, as Value() makes it
        return math.inf if x > 0 else -math.inf


def _walk(x: object, where: str) -> tuple[Key, object]:
    """The structure of one argument and the argument with every number a float."""
    kind = type(x)
    if kind is float:
        return None, x
    if isinstance(x, (list, tuple)):
        container = tuple if isinstance(x, tuple) else list
        if kind is list and _FLOATS.issuperset(map(type, x)):  # (a subclass is copied:
            return len(x), x  # the generated code takes exactly a list, never re-dispatches)
        walked = [_walk(item, f"{where}[{i}]") for i, item in enumerate(x)]
        keys = tuple(k for k, _ in walked)
        items = [v for _, v in walked]
        if container is list and all(k is None for k in keys):
            return len(x), items
        return (container, keys), container(items)
    if isinstance(x, Value):
        raise TypeError(
            f"{where} is a Value: pass numbers (or lists of numbers) to a compiled function; "
            "Values that should receive gradients are captured by the function itself"
        )
    if isinstance(x, numbers.Real):
        return None, _to_float(x)
    raise TypeError(
        f"{where} must be a real number or a list of them, not {kind.__name__}: {x!r:.60}"
    )


def structure(args: Sequence[object]) -> tuple[Key, list[object]]:
    """The structure key of ``args`` and the arguments with every number a float.

    In the key, a number is ``None``, a list of ``n`` numbers is ``n``, and any other
    list or tuple is ``(list or tuple, (key of each item, ...))``.
    """
    walked = [_walk(a, f"argument {i + 1}") for i, a in enumerate(args)]
    return tuple(k for k, _ in walked), [v for _, v in walked]


def _leaf_names(key: Key, name: str) -> list[str]:
    """Placeholder labels: ``x`` for a number, ``x0, x1`` for a list, ``x0_1`` nested."""
    if key is None:
        return [name]
    children = [None] * key if isinstance(key, int) else list(key[1])
    sep = "_" if name[-1].isdigit() else ""
    return [leaf for i, k in enumerate(children) for leaf in _leaf_names(k, f"{name}{sep}{i}")]


def _rebuild(key: Key, leaves: Iterator[Value]) -> object:
    """The argument for structure ``key``, its numbers replaced by ``leaves``."""
    if key is None:
        return next(leaves)
    if isinstance(key, int):
        return [next(leaves) for _ in range(key)]
    container, inner = key
    items = [_rebuild(k, leaves) for k in inner]
    return items if container is list else tuple(items)


def _flatten(key: Key, arg: Any) -> Iterator[float]:
    """The numbers of an argument of structure ``key``, in order."""
    if key is None:
        yield arg
    elif isinstance(key, int):
        yield from arg
    else:
        for k, item in zip(key[1], arg):
            yield from _flatten(k, item)


def _parameters(fn: Callable[..., Any]) -> list[inspect.Parameter] | None:
    """``fn``'s parameters, or None when its signature cannot be read."""
    try:
        return list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None


def _takes_varied_arguments(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` can be called with more than one number of positional arguments
    (``*args``, a default value), or its signature cannot be read."""
    parameters = _parameters(fn)
    if parameters is None:
        return True
    return any(p.kind == p.VAR_POSITIONAL or (
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is not p.empty)
        for p in parameters)


def _argument_names(fn: Callable[..., Any], count: int) -> list[str]:
    """The names of ``fn``'s first ``count`` positional parameters (``arg<i>`` beyond)."""
    found = []
    for p in _parameters(fn) or []:
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            break
        found.append(p.name)
    return [found[i] if i < len(found) else f"arg{i}" for i in range(count)]


def _describe(key: Key) -> str:
    if key is None:
        return "number"
    if isinstance(key, int):
        return f"list[{key}]"
    container, inner = key
    return f"{container.__name__}[{', '.join(_describe(k) for k in inner)}]"


# ----------------------------------------------------------------------------------------
# The compiled function.
# ----------------------------------------------------------------------------------------


#: How many times one compiled function traces (argument structures, and retraces after
#: a module changed) before it runs every new structure eagerly, as ``torch.compile``'s
#: recompile limit (``torch._dynamo.config.recompile_limit``, also 8).
RECOMPILE_LIMIT = 8
#: The most nodes one trace may hold: a bigger graph runs eagerly, with a warning. The
#: trace, the generated code (compiled in pieces of :data:`CHUNK_STATEMENTS` statements)
#: and the compiled pieces take at most about 1 kB per node while compiling (a chain of
#: 10^6 nodes compiles), so the limit refuses a graph before compiling it would take
#: more than about 1.2 GB.
MAX_NODES = 1_200_000


class CompileWarning(RuntimeWarning):
    """``autograd.compile`` runs a call eagerly instead of compiled code (said once per
    compiled function and reason). ``warnings.simplefilter("error", CompileWarning)``
    makes it an error."""


class CacheInfo(NamedTuple):
    """What :meth:`Compiled.cache_info` reports."""

    traces: int  #: traces so far (argument structures, and retraces after a change)
    entries: int  #: argument structures with generated code now
    eager: int  #: argument structures that run eagerly (a read of a number, too big...)
    limit: int  #: RECOMPILE_LIMIT


@dataclass
class _Entry:
    """One argument structure: its generated code, or ``function is None`` (run eagerly)."""

    program: Program | None
    function: Callable[..., float] | None
    structure: Structure | None = None
    fn_roots: list[object] | None = None

    @property
    def source(self) -> str:
        """The generated code ("" for a structure that runs eagerly)."""
        return "" if self.program is None else self.program.source

    def unchanged(self) -> bool:
        """Whether the modules and lists the trace saw are as they were (cheap check
        first; else the fingerprint, which on success renews the cheap check's state)."""
        structure = self.structure
        if structure is None:
            return True
        if structure.version[0] == STRUCTURE_VERSION[0] and all(
                items == copy for items, copy in zip(structure.lists, structure.copies)):
            return True
        version = STRUCTURE_VERSION[0]
        lists: list[list[Any]] = []
        if fingerprint(self.fn_roots or [], lists) != structure.fingerprint:
            return False
        for copy, items in zip(structure.copies, structure.lists):
            copy[:] = items
        structure.version[0] = version
        return True


class Compiled:
    """``loss_fn`` compiled: call it like ``loss_fn``, get the loss as a float.

    Attributes:
        fn: the traced function.
        source: the code generated last ("" before the first call).
        traces: how many times ``fn`` has been traced (once per argument structure, and
            again after a module it uses changed).
    """

    def __init__(self, fn: Callable[..., Value]) -> None:
        if not callable(fn):
            raise TypeError(f"autograd.compile needs a function, not {type(fn).__name__}")
        self.fn = fn
        self._program: Program | None = None
        self.traces = 0
        self._cache: dict[Key, _Entry] = {}
        self._lock = threading.RLock()
        self._warned: set[str] = set()
        self._last: Callable[..., float] = lambda *args: self._dispatch(args)
        self.__doc__ = getattr(fn, "__doc__", None)
        name = getattr(fn, "__name__", "")
        self.__name__ = name if isinstance(name, str) and name.isidentifier() else "step"

    def __repr__(self) -> str:
        return f"autograd.compile({self.fn!r}, traces={self.traces})"

    if TYPE_CHECKING:

        def __call__(self, *args: object) -> float:
            """``fn(*args)``'s loss as a float; ``d loss / d p`` added into each ``p.grad``."""

    else:
        # Calling the instance calls the generated function of the last structure used
        # directly: Python looks ``__call__`` up on the type, and this property hands back
        # that function from C (attrgetter), with no Python frame in between. A call with
        # another structure, inside a mode, or after a module changed is sent on to
        # _dispatch by the function's own guard.
        __call__ = property(operator.attrgetter("_last"))

    @property
    def source(self) -> str:
        """The code generated last ("" before the first trace)."""
        return "" if self._program is None else self._program.source

    def cache_info(self) -> CacheInfo:
        """How many traces, cached structures and eager structures there are, and the
        limit (:data:`RECOMPILE_LIMIT`)."""
        with self._lock:
            compiled = sum(1 for e in self._cache.values() if e.function is not None)
            return CacheInfo(self.traces, compiled, len(self._cache) - compiled,
                             RECOMPILE_LIMIT)

    def _dispatch(self, args: tuple[object, ...]) -> float:
        """The code for ``args``' structure (traced if new or changed), run on ``args``
        as floats; or ``fn`` run eagerly (inside a mode, or for a structure that cannot
        be compiled).

        The generated functions call this when their guard fails; the last one used is
        called first.
        """
        if current_mode.get() is not DEFAULT_MODE:
            return self._eager(args)
        key, converted = structure(args)
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and not entry.unchanged():
                del self._cache[key]  # a module changed: this code is stale
                entry = None
            if entry is None:
                entry = self._trace(key, converted)
        function = entry.function
        if function is None:
            return self._eager(args)
        self._last = function
        return function(*converted)

    def source_for(self, *args: object) -> str:
        """The generated code for the structure of ``args`` (traced now if it is new;
        ``""`` for a structure that runs eagerly)."""
        key, converted = structure(args)
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and not entry.unchanged():
                del self._cache[key]
                entry = None
            if entry is None:
                entry = self._trace(key, converted, run=False)
        return entry.source

    def _eager(self, args: tuple[object, ...]) -> float:
        """``fn`` called as a user calls it eagerly: on Values carrying the arguments'
        numbers (the placeholders a trace would pass), then ``backward()``.

        Under ``no_grad()`` nothing is recorded, so there is nothing to back-propagate: the
        call only evaluates the loss (``backward()`` itself would refuse such a result).
        """
        key, converted = structure(args)
        _, traced_args = self._arguments(key, converted)
        loss = self._check_loss(self.fn(*traced_args))
        if loss.requires_grad:
            loss.backward()
        return loss._data

    def _check_loss(self, loss: object) -> Value:
        if not isinstance(loss, Value):
            raise TypeError(
                f"the compiled function must return a Value (a scalar loss), not "
                f"{type(loss).__name__}"
            )
        return loss

    def _arguments(self, key: Key, args: list[object]) -> tuple[list[Value], list[object]]:
        """Leaf Values for the numbers of ``args`` (labelled after ``fn``'s parameters)
        and the arguments rebuilt from them."""
        names = _argument_names(self.fn, len(key))
        labels = [label for k, name in zip(key, names) for label in _leaf_names(k, name)]
        numbers_ = [x for k, a in zip(key, args) for x in _flatten(k, a)]
        placeholders = [Value(v, label) for v, label in zip(numbers_, labels)]
        leaves = iter(placeholders)
        return placeholders, [_rebuild(k, leaves) for k in key]

    def _warn(self, reason: str, message: str) -> None:
        if reason not in self._warned:
            self._warned.add(reason)
            frame = _user_frame()  # the warning points at the user's line and module
            warnings.warn_explicit(message, CompileWarning, frame.f_code.co_filename,
                                   frame.f_lineno, module=frame.f_globals.get("__name__"))

    def _run_eagerly(self, key: Key, reason: str, message: str) -> _Entry:
        self._warn(reason, f"autograd.compile({self.__name__}): {message}; this argument "
                           "structure runs eagerly (fn(*args).backward()) from now on")
        entry = _Entry(None, None)
        self._cache[key] = entry
        return entry

    def _trace(self, key: Key, args: list[object], run: bool = True) -> _Entry:
        if self.traces >= RECOMPILE_LIMIT:
            return self._run_eagerly(
                key, "limit", f"traced {self.traces} times, the limit RECOMPILE_LIMIT = "
                f"{RECOMPILE_LIMIT} (a new argument structure, or a module that changed, "
                f"traces again)")
        names = _argument_names(self.fn, len(key))
        placeholders, traced_args = self._arguments(key, args)
        fn_roots = roots(self.fn)
        try:
            with enable_grad(), tracing():
                loss = self._check_loss(self.fn(*traced_args))
        except TracingError as error:
            return self._run_eagerly(key, "read", f"while tracing, {error}".replace(
                "Call the function eagerly instead (without compile), or express the "
                "branch with relu/abs.", "Express a branch with relu/abs, or read numbers "
                "for logging after the call"))
        del traced_args
        self.traces += 1
        count = _count_nodes(loss, MAX_NODES)
        if count > MAX_NODES:
            return self._run_eagerly(
                key, "size", f"the traced graph has more than MAX_NODES = {MAX_NODES} "
                f"nodes")
        guards = Structure(fn_roots)
        header = (f"autograd.compile: {getattr(self.fn, '__qualname__', self.__name__)}"
                  f"({', '.join(f'{n}: {_describe(k)}' for n, k in zip(names, key))})")
        program = generate(loss, placeholders, list(zip(names, key)),
                           _identifier(self.__name__), header, guard=True, structure=guards,
                           variadic=_takes_varied_arguments(self.fn))
        del loss, placeholders
        program.namespace["_retrace"] = self._dispatch
        entry = _Entry(program, build(program), guards, fn_roots)
        self._cache[key] = entry
        self._program = program
        return entry


def _ours(frame: types.FrameType) -> bool:
    """Whether ``frame`` runs this module's code or code it generated."""
    filename = frame.f_code.co_filename
    return filename == __file__ or filename.startswith("<autograd.compile #")


def _user_frame() -> types.FrameType:
    """The frame of the user's call into a compiled step: the caller of the outermost
    frame of ours on the stack (wrappers between our frames, such as decorators, are
    passed over whatever their depth)."""
    outermost = frame = sys._getframe()  # this function's own frame is ours
    while (caller := frame.f_back) is not None:
        frame = caller
        if _ours(frame):
            outermost = frame
    return outermost.f_back or outermost


def _count_nodes(root: Value, limit: int) -> int:
    """The number of nodes under ``root``, counted up to ``limit + 1``."""
    seen = {id(root)}
    stack = [root]
    while stack and len(seen) <= limit:
        for parent in stack.pop().parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def compile(fn: Callable[..., Value]) -> Compiled:
    """Compile ``fn`` (args -> scalar loss Value) into straight-line forward+backward code.

    ``step = compile(fn)``; ``step(*args)`` returns ``float(fn(*args))`` and adds
    ``d loss / d p`` into ``p.grad`` for every parameter ``p`` (every leaf Value the loss
    depends on that ``fn`` captures), exactly as ``fn(*args).backward()``. ``fn`` is traced
    once per argument structure (and again when a module it uses changed), at most
    :data:`RECOMPILE_LIMIT` times; ``step.source`` shows the generated code,
    ``step.cache_info()`` the cache. What cannot be compiled (``fn`` reads a number, the
    graph is too big) runs eagerly, with one :class:`CompileWarning`. Usable as a
    decorator. (Inside the ``autograd`` namespace this name shadows the builtin
    ``compile``.)
    """
    return Compiled(fn)
