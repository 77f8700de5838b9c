"""The chain rule as mathematics: :func:`formula` derives ``d root / d wrt`` in symbols.

The backward sweep multiplies numbers along the graph; :func:`formula` runs the same sweep
over SymPy expressions. Every node gets an expression:

* a leaf, and (with ``expand="labels"``) every labelled node, is a ``sympy.Symbol`` named by
  its label (``w5``, ``a0``, ``o1``);
* an unlabelled node is its op written over its inputs' expressions (``x*y``, ``exp(x)``);
* a number (the ``2`` of ``x * 2``, a constant leaf) is a literal: the simplest fraction
  that reads back as exactly that float (``0.5 -> 1/2``, ``0.01 -> 1/100``, the float of
  ``2/3`` -> ``2/3``), else a 17-digit ``sympy.Float``; ``±inf`` and ``nan`` are ``±oo`` and
  ``nan``.

Each local derivative is the op's own row of :mod:`autograd.ops` (the rule the float sweep
uses) run over those expressions: the sigmoid's ``out * (1 - out)`` becomes ``o1*(1 - o1)``
in its output's own symbol, ``mul``'s ``(b, a)`` the other operand, ``x ** c``'s
``c * x ** (c - 1)``. The rule's float literals (``1.0``, ``0.5``) are made exact numbers the
same way as the graph's. A row whose rule branches on a number (``relu``, ``abs`` and the
masks of ``pow``: IEEE care that has no symbol) is read from its symbolic forward instead,
``sympy.diff`` of it over real symbols (``Heaviside(x)``, ``sign(x)``, ``b*a**b/a``). An op
with no symbolic forward (a custom :class:`autograd.Op`) is an undefined
``sympy.Function`` named by the op, ``cubic(x)``, and its local derivative is that function's
derivative, ``Derivative(cubic(x), x)`` (a ``Subs`` when the input is an expression): never
a wrong expression.

Then ``d root / d wrt`` is the sum over every path from ``wrt`` up to ``root`` of the product
of the local derivatives along it, computed as the backward sweep does (adjoints in reverse
topological order, each node once: no enumeration of paths), and tidied with
``sympy.factor_terms``, which pulls common factors out without expanding. Because the sweep
adds at the node where paths meet, the result already has the article's shape:
``formula(J, w5)`` is ``-(y1 - o1)*o1*(1 - o1)*a0`` (SymPy prints it
``a0*o1*(1 - o1)*(o1 - y1)``) and ``formula(J, w1)`` is
``x0*a1*(1 - a1)*(w6*δ2 + w7*δ3)`` with the deltas written out.

Names. Distinct nodes never share a symbol: when several nodes that become symbols carry
the same label (every neuron of an ``nn.MLP`` has a ``w0`` and a ``net``), each of them is
numbered in graph order, ``w0_1``, ``w0_2``, ... (skipping names already in use), and an
unlabelled leaf is named ``v`` (numbered the same way when there are several).
:func:`symbols` gives the node -> symbol table of a graph.

SymPy is an optional extra (``pip install backprop-lens[symbolic]``); it is imported when
a function here is called, and without it they raise an ``ImportError`` that names the extra.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from functools import partial
from typing import Any, Literal

from autograd import ops
from autograd.backward import topological_order
from autograd.ops import OPS, Op
from autograd.value import CONSTANT_STAMP, Value

Expand = Literal["labels", "leaves"]
EXPANDS = ("labels", "leaves")

#: What to install for :func:`formula`.
INSTALL_HINT = 'pip install "backprop-lens[symbolic]" (or pip install sympy)'

#: The name of an unlabelled leaf's symbol.
UNLABELLED = "v"

#: A fraction whose denominator is at most this is written as a fraction.
MAX_DENOMINATOR = 10**6

#: A result of at most this many nodes is tidied with ``sympy.factor_terms``.
TIDY_LIMIT = 3000

#: The deepest expression (levels of nesting) :func:`formula` writes.
MAX_DEPTH = 3000

#: Python's recursion limit while :func:`formula` works (SymPy recurses over the tree).
RECURSION_LIMIT = 4 * MAX_DEPTH + 2000


def sympy_module() -> Any:
    """The ``sympy`` module, or an ``ImportError`` naming the ``symbolic`` extra."""
    try:
        import sympy
    except ImportError as error:
        raise ImportError(
            f"autograd.formula needs SymPy, which is not installed: {INSTALL_HINT}"
        ) from error
    return sympy


# ----------------------------------------------------------------------------------------
# Numbers
# ----------------------------------------------------------------------------------------


def number(x: float) -> Any:
    """A float as a SymPy literal that reads back as exactly ``x``.

    The fraction with the smallest denominator (at most :data:`MAX_DENOMINATOR`) whose float
    is ``x`` (``0.5 -> 1/2``, ``2.0 -> 2``, ``0.01 -> 1/100``); else ``x`` as a 17-digit
    ``Float`` (``0.30000000000000004``); ``inf -> oo``, ``-inf -> -oo``, ``nan -> nan``.
    """
    sp = sympy_module()
    x = float(x)
    if math.isnan(x):
        return sp.nan
    if math.isinf(x):
        return sp.oo if x > 0 else -sp.oo
    if x == math.floor(x) and abs(x) < 2.0**53:
        return sp.Integer(int(x))
    q = Fraction(x).limit_denominator(MAX_DENOMINATOR)
    if q.numerator / q.denominator == x:
        return sp.Rational(q.numerator, q.denominator)
    return sp.Float(repr(x), 17)


def _exact(expr: Any, known: frozenset[Any], sp: Any) -> Any:
    """``expr`` (a rule's result) with its float literals (Python floats, ``sympy.Float``)
    made :func:`number` s; subexpressions in ``known`` (the rule's operands, exact already)
    are not walked into."""
    if isinstance(expr, (float, int)):
        return number(float(expr))
    memo: dict[Any, Any] = {}

    def walk(e: Any) -> Any:
        if e in known or not e.args:
            return number(float(e)) if isinstance(e, sp.Float) else e
        if e in memo:
            return memo[e]
        args = [walk(a) for a in e.args]
        out = e if all(a is b for a, b in zip(args, e.args)) else e.func(*args)
        memo[e] = out
        return out

    return walk(expr)


# ----------------------------------------------------------------------------------------
# Each row's forward in symbols (written with the rows' helpers where they exist)
# ----------------------------------------------------------------------------------------


def _wsum(sp: Any, *args: Any) -> Any:
    n = len(args) // 2
    return sp.Add(*(w * x for w, x in zip(args[:n], args[n : 2 * n])), args[-1])


def _squares(scale: Any, half_sse: bool, sp: Any, *args: Any) -> Any:
    n = len(args) // 2
    pairs = zip(args[:n], args[n:])
    total = sp.Add(*((y - o) ** 2 if half_sse else (o - y) ** 2 for o, y in pairs))
    return (scale if scale is not None else sp.Rational(1, n)) * total


def _forwards(sp: Any) -> dict[str, Callable[..., Any]]:
    """Op name -> its forward over SymPy expressions, for the built-in rows."""
    return {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": ops.div,
        "pow": ops.pow,
        "neg": lambda x: -x,
        "exp": ops.exp,
        "log": ops.log,
        "tanh": ops.tanh,
        "sigmoid": ops.sigmoid,
        "relu": lambda x: sp.Max(x, 0),
        "sqrt": ops.sqrt,
        "abs": sp.Abs,
        "sin": ops.sin,
        "cos": ops.cos,
        "softplus": lambda x: ops.log(1 + ops.exp(x)),
        "add_n": lambda *xs: sp.Add(*xs),
        "wsum": partial(_wsum, sp),
        "mse": partial(_squares, None, False, sp),
        "sse": partial(_squares, sp.Integer(1), False, sp),
        "half_sse": partial(_squares, sp.Rational(1, 2), True, sp),
    }


def _pow_const_exponent(op: Op) -> float | None:
    """The ``c`` of an ``x ** c`` row made by :func:`autograd.ops.pow_const`, else None."""
    forward = op.forward
    if (op.name == "pow_const" and isinstance(forward, partial)
            and forward.func is ops._pow_const_forward):
        return float(forward.args[0])
    return None


def symbolic_forward(op: Op) -> Callable[..., Any] | None:
    """The forward of a built-in row over SymPy expressions (``sigmoid``:
    ``x -> 1/(1 + exp(-x))``), or None for an op the table does not know (a custom one)."""
    sp = sympy_module()
    c = _pow_const_exponent(op)
    if c is not None:
        exponent = number(c)
        return lambda x: x**exponent
    if OPS.get(op.name) is not op:
        return None
    return _forwards(sp).get(op.name)


def local_derivatives(op: Op, out: Any, inputs: list[Any]) -> list[Any]:
    """``d out / d inputs[i]`` for every input, in symbols: the row's own rule run over the
    expressions ``out`` and ``inputs``; for a rule that branches on a number, ``sympy.diff``
    of the row's symbolic forward; for an op without one, the derivatives of an undefined
    function (see the module docstring)."""
    sp = sympy_module()
    forward = symbolic_forward(op)
    if forward is None:
        function = sp.Function(op.name)(*inputs)
        return [function.fdiff(i + 1) for i in range(len(inputs))]
    try:
        rules = tuple(op.local_grads(out, *inputs))
    except TypeError:  # the rule reads a number (ops.data): no symbolic form of it
        dummies = [sp.Dummy(f"x{i}", real=True) for i in range(len(inputs))]
        at = dict(zip(dummies, inputs))
        f = forward(*dummies)
        return [sp.diff(f, d).xreplace(at) for d in dummies]
    known = frozenset([out, *inputs])
    return [_exact(rule, known, sp) for rule in rules]


# ----------------------------------------------------------------------------------------
# Sizes and depths of expression trees, and cheap substitution (all without recursion)
# ----------------------------------------------------------------------------------------


class _Measure:
    """The size (nodes, repeated subtrees counted each time: what printing writes) and the
    depth (levels of nesting) of expressions, memoised per object and computed without
    Python recursion, so that a tree thousands of levels deep is measured safely."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Any, int, int]] = {}  # id -> (expr kept alive, size, depth)

    def __call__(self, expr: Any) -> tuple[int, int]:
        seen = self._seen
        for e in _bottom_up(expr, seen):
            size, depth = 1, 1
            for a in e.args:
                _, s, d = seen[id(a)]
                size += s
                depth = max(depth, d + 1)
            seen[id(e)] = (e, size, depth)
        _, size, depth = seen[id(expr)]
        return size, depth


def _bottom_up(expr: Any, done: dict[int, Any],
               stop: Callable[[Any], bool] = lambda e: False) -> Iterator[Any]:
    """Every subexpression of ``expr`` not yet in ``done`` (keyed by ``id``), each after its
    arguments, walked without Python recursion. The caller records each one in ``done`` as
    it receives it (that is what makes a shared subexpression come once); one for which
    ``stop(e)`` is true comes without its arguments being walked."""
    stack = [expr]
    while stack:
        e = stack[-1]
        if id(e) in done:
            stack.pop()
            continue
        if e.args and not stop(e):
            pending = [a for a in e.args if id(a) not in done]
            if pending:
                stack.extend(pending)
                continue
        stack.pop()
        yield e


def _construct(e: Any, args: list[Any], sp: Any) -> Any:
    """``e``'s kind of node over new ``args``: ``+ * **`` with SymPy's (cheap) evaluation;
    a function of an expression unevaluated (its automatic simplifications, ``tanh``'s
    search for multiples of ``iπ`` among them, cost seconds on a large argument)."""
    func = e.func
    if func in (sp.Add, sp.Mul, sp.Pow) or not isinstance(e, (sp.Function, sp.Max, sp.Min)):
        return func(*args)
    if all(not a.args for a in args):  # a number or a symbol: SymPy's evaluation is cheap
        return func(*args)
    return func(*args, evaluate=False)


def _rebuild(expr: Any, replace: Callable[[Any], Any], sp: Any) -> Any:
    """``expr`` with every subexpression ``e`` for which ``replace(e)`` is not None replaced
    by it (not walked into), rebuilt bottom-up without recursion, each shared subexpression
    once."""
    done: dict[int, Any] = {}
    replaced: dict[int, Any] = {}

    def stop(e: Any) -> bool:
        new = replace(e)
        if new is not None:
            replaced[id(e)] = new
        return new is not None

    for e in _bottom_up(expr, done, stop):
        if id(e) in replaced:
            done[id(e)] = replaced.pop(id(e))
        elif not e.args:
            done[id(e)] = e if (new := replace(e)) is None else new
        else:
            args = [done[id(a)] for a in e.args]
            same = all(a is b for a, b in zip(args, e.args))
            done[id(e)] = e if same else _construct(e, args, sp)
    return done[id(expr)]


def _substitute(expr: Any, mapping: dict[Any, Any], sp: Any) -> Any:
    """``expr`` with every atom in ``mapping`` replaced by its value; a derivative of an
    undefined function is substituted by SymPy (its variable becomes a ``Subs``)."""

    def replace(e: Any) -> Any:
        if not e.args:
            return mapping.get(e)
        if isinstance(e, (sp.Derivative, sp.Subs)):
            return e.subs([(k, v) for k, v in mapping.items() if e.has(k)])
        return None

    return _rebuild(expr, replace, sp)


def _is_costly(e: Any, sp: Any) -> bool:
    """A function of an expression (``tanh(0.9*tanh(x) + 0.1)``), or a derivative: what
    SymPy must not rebuild with its evaluation."""
    if isinstance(e, (sp.Derivative, sp.Subs)):
        return True
    return isinstance(e, (sp.Function, sp.Max, sp.Min)) and any(a.args for a in e.args)


def _tidy(expr: Any, sp: Any, measure: _Measure) -> Any:
    """``sympy.factor_terms`` (common factors pulled out, nothing expanded), with every
    function of an expression held as a symbol meanwhile, when what remains has at most
    :data:`TIDY_LIMIT` nodes; a larger one is left as the sweep built it."""
    held: dict[Any, Any] = {}

    def hold(e: Any) -> Any:
        if not _is_costly(e, sp):
            return None
        if e not in held:
            held[e] = sp.Dummy("f")
        return held[e]

    masked = _rebuild(expr, hold, sp)
    if measure(masked)[0] > TIDY_LIMIT:
        return expr
    tidied = sp.factor_terms(masked)
    return _substitute(tidied, {d: e for e, d in held.items()}, sp) if held else tidied


# ----------------------------------------------------------------------------------------
# Names and the chain rule
# ----------------------------------------------------------------------------------------


def _check(root: object, expand: object) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"formula() takes a Value, not {type(root).__name__}")
    if expand not in EXPANDS:
        raise ValueError(f"expand must be one of {EXPANDS}, not {expand!r}")


def _is_number(node: Value) -> bool:
    """An unlabelled constant leaf (a number an operator wrapped): written as a literal."""
    return node._stamp == CONSTANT_STAMP and not node.label


def _names(order: list[Value], expand: str) -> dict[Value, str]:
    """node -> symbol name, for the nodes that are symbols (see the module docstring)."""
    chosen = [
        node for node in order
        if (node.is_leaf and not _is_number(node)) or (expand == "labels" and node.label)
    ]
    groups: dict[str, list[Value]] = {}
    for node in chosen:
        groups.setdefault(node.label or UNLABELLED, []).append(node)
    taken = set(groups)
    names: dict[Value, str] = {}
    for base, nodes in groups.items():
        if len(nodes) == 1:
            names[nodes[0]] = base
            continue
        k = 0
        for node in nodes:
            k += 1
            while f"{base}_{k}" in taken:
                k += 1
            names[node] = f"{base}_{k}"
            taken.add(names[node])
    return names


def symbols(root: Value, *, expand: Expand = "labels") -> dict[Value, Any]:
    """The node -> ``sympy.Symbol`` table that :func:`formula` uses for ``root``'s graph:
    every leaf (but a wrapped number) and, with ``expand="labels"``, every labelled node,
    named by its label (numbered ``w0_1, w0_2`` where distinct nodes share one)."""
    sp = sympy_module()
    _check(root, expand)
    return {node: sp.Symbol(name) for node, name in _names(topological_order(root), expand).items()}


def _atoms(order: list[Value], names: dict[Value, str], sp: Any) -> dict[Value, Any]:
    """node -> its atom in the sweep: its symbol, a literal for a number, and for every other
    (written-out) node a ``Dummy`` that stands for its expression until the end."""
    atoms: dict[Value, Any] = {}
    for k, node in enumerate(order):
        name = names.get(node)
        if name is not None:
            atoms[node] = sp.Symbol(name)
        elif node.operation is None:
            atoms[node] = number(node._data)
        else:
            atoms[node] = sp.Dummy(f"n{k}")
    return atoms


def _inputs(node: Value, atoms: dict[Value, Any]) -> list[Any]:
    return [atoms[x] if isinstance(x, Value) else number(x) for x in node.inputs]


def _template(node: Value, atoms: dict[Value, Any], sp: Any) -> Any:
    """The node's op over its inputs' atoms (``1/(1 + exp(-n3))``)."""
    op = node.operation
    assert op is not None
    args = _inputs(node, atoms)
    forward = symbolic_forward(op)
    if forward is None:
        return sp.Function(op.name)(*args)
    return forward(*args)


def _dummies_in(expr: Any, dummies: set[Any]) -> set[Any]:
    """The atoms of ``expr`` that are in ``dummies`` (walked without recursion)."""
    found: set[Any] = set()
    seen: set[int] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if e in dummies:
            found.add(e)
        stack.extend(e.args)
    return found


def _written_out(order: list[Value], atoms: dict[Value, Any], needed: set[Any], sp: Any,
                 measure: _Measure) -> dict[Any, Any]:
    """Dummy -> the expression it stands for, for the dummies in ``needed`` and those their
    expressions use: each node's op over its inputs' expressions, built once per node, in
    topological order; ``ValueError`` past :data:`MAX_DEPTH` levels of nesting."""
    dummies = {atoms[node] for node in order if isinstance(atoms[node], sp.Dummy)}
    for node in reversed(order):
        if atoms[node] in needed:
            needed |= {atoms[x] for x in node.parents if atoms[x] in dummies}
    full: dict[Any, Any] = {}
    for node in order:
        atom = atoms[node]
        if atom in needed:
            full[atom] = _substitute(_template(node, atoms, sp), full, sp)
            _check_depth(measure(full[atom])[1])
    return full


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(
            f"formula: the expression nests {depth} levels deep, more than "
            f"autograd.symbolic.MAX_DEPTH = {MAX_DEPTH} (SymPy works on it by recursion); "
            "label some intermediate nodes (with expand='labels' a labelled node is a symbol "
            "and its expression is not written out)")


@contextmanager
def _recursion_room() -> Iterator[None]:
    """Python's recursion limit raised to :data:`RECURSION_LIMIT` meanwhile (SymPy's own
    algorithms recurse over the expression tree)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def formula(root: Value, wrt: Value, *, expand: Expand = "labels") -> Any:
    """``d root / d wrt`` as a SymPy expression, derived from the graph by the chain rule.

    ``d root/d wrt = Σ over paths wrt -> ... -> root of Π (d child / d parent)``, each local
    derivative its op's rule written in symbols, accumulated as the backward sweep does
    (adjoint of a node = Σ over its children of adjoint(child) * d child/d node).

    Args:
        root: the output (``J``).
        wrt: any node of ``root``'s graph, a leaf or not (``w5``, or ``net3`` for the
            article's ``δ3``); ``0`` when ``root`` does not depend on it, ``1`` when it is
            ``root``.
        expand: ``"labels"`` keeps every labelled node a symbol (the article's delta-rule
            form: ``formula(J, w5) == -(y1 - o1)*o1*(1 - o1)*a0``); ``"leaves"`` writes
            every node in the leaves, so the result equals ``sympy.diff`` of ``root``'s
            expression by ``wrt``'s symbol (for a leaf ``wrt``).

    Returns:
        A SymPy expression in the symbols of :func:`symbols` (evaluate it at the graph's
        numbers with :func:`evaluate`).

    Raises:
        ImportError: SymPy is not installed (``pip install backprop-lens[symbolic]``).
        TypeError: ``root`` or ``wrt`` is not a Value.
        ValueError: ``expand`` is neither ``"labels"`` nor ``"leaves"``.
    """
    sp = sympy_module()
    _check(root, expand)
    if not isinstance(wrt, Value):
        raise TypeError(f"formula() differentiates with respect to a Value, not "
                        f"{type(wrt).__name__}")
    order = topological_order(root)
    reach = {wrt}
    for node in order:
        if node is not wrt and any(p in reach for p in node.parents):
            reach.add(node)
    if root not in reach:
        return sp.Integer(0)
    with _recursion_room():
        return _derive(order, reach, root, wrt, expand, sp)


def _derive(order: list[Value], reach: set[Value], root: Value, wrt: Value, expand: str,
            sp: Any) -> Any:
    """The sweep over atoms, then the written-out nodes substituted (see :func:`formula`)."""
    atoms = _atoms(order, _names(order, expand), sp)
    adjoint: dict[Value, Any] = {root: sp.Integer(1)}
    for node in reversed(order):
        if node is wrt:
            break
        if node not in reach:
            continue
        g = adjoint.pop(node)
        op = node.operation
        assert op is not None
        locals_ = local_derivatives(op, atoms[node], _inputs(node, atoms))
        for x, local in zip(node.inputs, locals_):
            if isinstance(x, Value) and x in reach:
                adjoint[x] = adjoint.get(x, sp.Integer(0)) + g * local
    measure = _Measure()
    result = _tidy(adjoint[wrt], sp, measure)
    dummies = {a for a in atoms.values() if isinstance(a, sp.Dummy)}
    needed = _dummies_in(result, dummies)
    if not needed:
        return result
    full = _written_out(order, atoms, needed, sp, measure)
    result = _substitute(result, full, sp)
    _check_depth(measure(result)[1])
    return _tidy(result, sp, measure)


def evaluate(expr: Any, root: Value, *, expand: Expand = "labels") -> float:
    """The number of ``expr`` (a :func:`formula` of ``root``'s graph) at the graph's current
    numbers: every symbol of :func:`symbols` replaced by its node's ``data`` (exactly, as a
    rational), then evaluated to 30 digits and rounded to a float."""
    sp = sympy_module()
    table = symbols(root, expand=expand)
    expr = sp.sympify(expr)
    try:
        return _evaluate_shared(expr, {s: node.data for node, s in table.items()}, sp)
    except (TypeError, ValueError, ZeroDivisionError, KeyError):
        pass  # something the quick walk does not know: SymPy's own, exact, evaluation
    at = {symbol: _exact_data(node.data, sp) for node, symbol in table.items()}
    return float(sp.N(expr.xreplace(at), 30))


_DIGITS = 40  # working precision of the quick walk, in decimal digits


def _evaluate_shared(expr: Any, at: dict[Any, float], sp: Any) -> float:
    """``expr`` at the symbols' numbers in ``at``, by one walk over its *distinct*
    sub-expressions in ``mpmath`` at 40 digits.

    A formula repeats its sub-expressions (the forward expression of a node appears in every
    path through it), so its tree grows much faster than its distinct parts; SymPy's
    ``N(expr.xreplace(...))`` works on the tree, exact rationals first, and took seconds on a
    10-step chain. Here each distinct sub-expression is computed once (iteratively: no
    recursion limit). Anything outside ``Add``/``Mul``/``Pow`` and the elementary functions
    raises, and :func:`evaluate` falls back to SymPy's exact evaluation.
    """
    import mpmath

    ctx = mpmath.mp.clone()
    ctx.dps = _DIGITS
    functions: dict[Any, Callable[..., Any]] = {
        sp.exp: ctx.exp, sp.log: ctx.log, sp.tanh: ctx.tanh, sp.sin: ctx.sin,
        sp.cos: ctx.cos, sp.Abs: abs,
    }
    done: dict[int, Any] = {}
    for e in _bottom_up(expr, done):
        if e.is_Symbol:
            value = ctx.mpf(at[e])
        elif e.is_Number or e is sp.nan:
            value = _mp_number(e, ctx, sp)
        else:
            args = [done[id(a)] for a in e.args]
            if e.is_Add:
                value = ctx.fsum(args)
            elif e.is_Mul:
                value = ctx.fprod(args)
            elif e.is_Pow:
                value = ctx.power(args[0], args[1])
            elif e.func in functions and len(args) == 1:
                value = functions[e.func](args[0])
            elif e.func in (sp.Max, sp.Min):
                value = (max if e.func is sp.Max else min)(args)
            else:
                raise TypeError(f"no quick evaluation of {e.func}")
        done[id(e)] = value
    value = done[id(expr)]
    if isinstance(value, ctx.mpc):
        raise TypeError("a complex value")
    return float(value)


def _mp_number(e: Any, ctx: Any, sp: Any) -> Any:
    """A SymPy number as an mpmath number (``oo``, ``-oo`` and ``nan`` included)."""
    if e is sp.nan:
        return ctx.nan
    if e is sp.oo:
        return ctx.inf
    if e is sp.S.NegativeInfinity:
        return -ctx.inf
    if e is sp.zoo:
        raise ValueError("complex infinity")
    if e.is_Rational:
        return ctx.mpf(e.p) / e.q
    return ctx.mpf(e._mpf_)


def _exact_data(x: float, sp: Any) -> Any:
    if math.isfinite(x):
        return sp.Rational(x)
    return number(x)


# ----------------------------------------------------------------------------------------
# For pages: the formula as text and as MathML
# ----------------------------------------------------------------------------------------


def formula_text(root: Value, node: Value, *, expand: Expand = "labels") -> str:
    """``d root / d node`` as one line of text, ``"∂J/∂w5 = a0*o1*(1 - o1)*(o1 - y1)"``
    (SymPy's ``sstr`` of :func:`formula`; the names are the nodes' symbols)."""
    sp = sympy_module()
    table = symbols(root, expand="labels")
    top = _symbol_name(root, table)
    var = _symbol_name(node, table)
    return f"∂{top}/∂{var} = {sp.sstr(formula(root, node, expand=expand))}"


def formula_mathml(root: Value, node: Value, *, expand: Expand = "labels") -> str:
    """``d root / d node`` as presentation MathML, which browsers render natively:
    ``<math><mfrac>∂J ∂w5</mfrac><mo>=</mo>`` the expression of :func:`formula` ``</math>``
    (labels with digits are subscripted: ``w5`` is ``w`` with subscript ``5``)."""
    sp = sympy_module()
    from sympy.printing.mathml import mathml

    table = symbols(root, expand="labels")

    def partial_of(v: Value) -> str:
        name = mathml(sp.Symbol(_symbol_name(v, table)), printer="presentation")
        return f"<mrow><mo>&#8706;</mo>{name}</mrow>"

    expr = mathml(formula(root, node, expand=expand), printer="presentation")
    return (f'<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mfrac>{partial_of(root)}'
            f"{partial_of(node)}</mfrac><mo>=</mo>{expr}</mrow></math>")


def _symbol_name(node: Value, table: dict[Value, Any]) -> str:
    symbol = table.get(node)
    return str(symbol) if symbol is not None else (node.label or node.op or UNLABELLED)


__all__ = [
    "EXPANDS",
    "INSTALL_HINT",
    "evaluate",
    "formula",
    "formula_mathml",
    "formula_text",
    "local_derivatives",
    "number",
    "symbolic_forward",
    "symbols",
]
