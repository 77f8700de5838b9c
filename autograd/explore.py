"""An interactive, self-contained page that steps through a graph's forward and backward pass.

:func:`explore` returns an :class:`Explorer`; ``.save("page.html")`` writes one HTML file that
opens offline (no external script, style or font), and in Jupyter the object shows itself
inline. The page holds

* the picture: Graphviz's SVG of ``draw_dot(root, edge_labels=True)`` (every node once, every
  edge labelled with its local derivative ``d child / d parent``), laid out when the page is
  made, so Graphviz's ``dot`` must be installed then (not when the page is viewed);
* the numbers, all computed here in Python with the engine, as JSON: the forward values in
  the engine's creation order (:func:`autograd.topological_order`), the backward sweep in the
  engine's own order (the non-leaves in reverse topological order; at each, every edge
  ``grad(parent) += grad(node) × local`` with the numbers before and after), for every node
  the chain rule as the sum over the paths up to the root of the products of the local
  derivatives (the paths counted by dynamic programming, at most
  :data:`MAX_LISTED_PATHS` of them listed), and for the marked parameters a central
  finite-difference check of the gradient and one SGD step ``p <- p - lr · dJ/dp`` with the
  root's value after it;
* a small hand-written script that only shows those numbers (it differentiates nothing).

A number operand (the ``2`` of ``x * 2``, the inputs of ``weighted_sum(ws, [0.05, 0.1], b)``)
is no node: it appears in its node's equation (``net = w0·0.05 + w1·0.1 + b``) and, with
Graphviz, as a small grey box, but it has no gradient, no backward step and no path.

In the page: → and ← step, Home and End jump to the start and the end, the buttons do the
same, and clicking a node selects it. For tests and scripting, ``window.explorer`` has
``step() back() reset() goto(phase, index) select(label)`` and ``state()``, which returns
``{phase: "forward"|"backward", index, values: {label: number}, grads: {label: number},
selected: {label, paths: [[label, ...]], products: [number], total} | null, zoom}`` (the
objects have no prototype, so any label, ``"__proto__"`` included, is a plain key):

* ``phase "forward"``, ``index`` k (0..number of operations, the non-leaves): every leaf
  (input, target, parameter) has its value from the start, and the first k operations of
  the creation order have theirs (``values``); no gradients yet;
* ``phase "backward"``, ``index`` k (0..number of non-leaf nodes): every value, the root's
  seed ``d root / d root = 1`` and the first k nodes of the reverse sweep processed;
  ``grads`` holds the gradients that are final at that point (a node's gradient is final once
  every node that uses it has passed its contribution on), so at the end it holds every
  node's ``d root / d node``;
* ``selected``: the selected node, its listed paths (labels from the node up to the root),
  the product of the local derivatives along each, and ``total``, its gradient
  ``d root / d node`` (which the sum of all the paths' products equals), ``null`` until the
  backward sweep has made it final;
* ``zoom``: the picture's scale (1 is Graphviz's own size); the page opens at the largest
  scale up to 1 that fits, but never one that makes the smallest text under 9.5 px.

Nothing is shown before the step that computes it: a value before its forward step, an edge's
local derivative before its node is computed, a gradient, a finite-difference check or an SGD
step before the backward sweep has finished it. Numbers show 5 significant digits, every
digit on hover and in the selected node's panel; ``Tab`` reaches every node and ``Enter``
selects it.

Nodes without a label get ``op#k`` (``k`` the node's place in the creation order, ``leaf#k``
for a leaf); a label used by several nodes is kept by the first and becomes ``label#k`` on the
others, so every label in the page names one node.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from autograd._explore_page import PAGE
from autograd.backward import topological_order
from autograd.draw import format_number, visible
from autograd.value import Value

#: At most this many paths are listed for a selected node (all are counted and summed).
MAX_LISTED_PATHS = 20
#: At most this many edges, over all listed paths of one node, are listed.
MAX_LISTED_FACTORS = 240

__all__ = [
    "DOT_LIMIT", "DOT_SECONDS", "LAYOUTS", "MAX_LISTED_FACTORS", "MAX_LISTED_PATHS",
    "DotFailed", "Explorer", "builtin_layout", "count_text", "explore", "explorer_data",
    "short_parameter_name",
]


class Explorer:
    """The explorer page of one graph: ``.html`` (the page), ``.data`` (its numbers),
    ``.save(path)``, and ``_repr_html_`` for Jupyter."""

    def __init__(self, page: str, data: dict[str, Any]) -> None:
        self.html = page
        self.data = data

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        target = Path(os.fspath(path))
        # the page carries no lone surrogate (texts are made visible, JSON escapes them);
        # backslashreplace keeps save() from ever raising on one all the same
        target.write_bytes(self.html.encode("utf-8", "backslashreplace"))
        return target

    def _repr_html_(self) -> str:
        """The page inside an ``<iframe srcdoc=...>``, so that its script and styles stay
        apart from the notebook's."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            'style="width: 100%; height: 760px; border: 1px solid #ddd" '
            'sandbox="allow-scripts" title="backprop explorer"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<Explorer {self.data['title']!r}: {len(self.data['nodes'])} nodes>"


def short_parameter_name(name: str) -> str:
    """A module's dotted parameter name made short: ``layers.0.neurons.1.w.0`` becomes
    ``L0.n1.w0`` (a part followed by an index is joined to it, ``layers`` written ``L`` and
    ``neurons`` ``n``)."""
    out: list[str] = []
    for part in name.split("."):
        if part.isdigit() and out and not out[-1][-1:].isdigit():
            out[-1] = {"layers": "L", "neurons": "n"}.get(out[-1], out[-1]) + part
        else:
            out.append(part)
    return ".".join(out)


def unique_labels(order: list[Value], names: dict[Value, str] | None = None) -> list[str]:
    """A label for every node of ``order``, unique among them: ``names[node]`` when given
    (a module's parameter names), else the node's own label if no earlier node has it,
    else ``label#k``; ``op#k`` (``leaf#k`` for a leaf) for an unlabelled node, ``k`` being
    the node's index in ``order``. A taken candidate gets ``'`` appended until it is free."""
    labels: list[str] = []
    used: set[str] = set()
    names = names or {}
    for k, node in enumerate(order):
        if node in names:
            candidate = names[node]
        elif not node.label:
            candidate = f"{node.op or 'leaf'}#{k}"
        elif node.label in used:
            candidate = f"{node.label}#{k}"
        else:
            candidate = node.label
        while candidate in used:
            candidate += "'"
        used.add(candidate)
        labels.append(candidate)
    return labels


def _operands(node: Value, index: dict[Value, int]) -> list[int | float]:
    """``node.inputs`` with each Value replaced by its index in the order: an ``int`` for a
    node, the number itself (a built-in ``float``) for a number operand."""
    return [index[x] if isinstance(x, Value) else x for x in node.inputs]


def _replay(
    order: list[Value], operands: list[list[int | float]], values: list[float],
    run: Iterable[int],
) -> float:
    """The root's value when the forward pass is run again on the nodes ``run`` (indices
    into ``order``, in creation order; each op's forward on floats, a number operand as it
    was) from ``values``, which is overwritten."""
    for k in run:
        op = order[k].operation
        assert op is not None
        values[k] = op.forward(*[values[x] if type(x) is int else x for x in operands[k]])
    return values[-1]


def _downstream(parents: list[list[int]], start: int) -> list[int]:
    """The nodes that depend on node ``start`` (itself left out), in creation order."""
    reached = [False] * len(parents)
    reached[start] = True
    run = []
    for k in range(start + 1, len(parents)):
        if any(reached[p] for p in parents[k]):
            reached[k] = True
            run.append(k)
    return run


def _check_params(
    params: object, index: dict[Value, int]
) -> tuple[list[Value], dict[Value, str]]:
    """The marked leaves, and their short names when ``params`` is a module (anything with
    ``named_parameters()``; its parameters outside the graph are left out)."""
    if params is None:
        return [], {}
    named_parameters = getattr(params, "named_parameters", None)
    if callable(named_parameters):
        names: dict[Value, str] = {}
        for name, p in named_parameters():
            if isinstance(p, Value) and p in index and not p.parents and p not in names:
                names[p] = short_parameter_name(str(name))
        return list(names), names
    if isinstance(params, Value) or not isinstance(params, Iterable):
        raise TypeError(
            f"params must be an iterable of leaf Values (or None), not {type(params).__name__}"
        )
    marked: list[Value] = []
    chosen: set[Value] = set()  # by identity: Values compare by their numbers
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"params must hold Values, not {type(p).__name__}")
        if p not in index:
            what = f" {p.label!r}" if p.label else ""
            raise ValueError(
                f"parameter{what} (data={p.data!r}) is not in the graph under the root"
            )
        if p.parents:
            raise ValueError(
                f"parameter {p.label or p.op!r} is not a leaf: only leaves can be parameters"
            )
        if p not in chosen:
            chosen.add(p)
            marked.append(p)
    return marked, {}


def _check_options(root: object, lr: object, title: object, max_nodes: object) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"explore() root must be a Value, not {type(root).__name__}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(f"lr must be a real number, not {type(lr).__name__}")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0, not {lr!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, not {type(title).__name__}")
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes must be an int, not {type(max_nodes).__name__}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")


def _paths(
    k: int, consumers: list[list[tuple[int, int]]], root: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Up to MAX_LISTED_PATHS paths from node ``k`` up to the root, depth first (consumers
    in creation order), as (nodes, positions): ``nodes`` from ``k`` to the root, and for
    each edge the position of the lower node among the upper node's parents. Stops before
    the listed edges would exceed MAX_LISTED_FACTORS.

    One path is kept and extended or cut back in place (every node reaches the root, so
    every branch ends in a path); a path is copied only when it is listed, so the work is
    at most the listed edges plus one path's length, whatever the number of paths."""
    found_nodes: list[list[int]] = []
    found_pos: list[list[int]] = []
    budget = MAX_LISTED_FACTORS
    nodes: list[int] = [k]
    positions: list[int] = []
    tried: list[int] = [0]
    while nodes and len(found_nodes) < MAX_LISTED_PATHS:
        if len(positions) > budget:
            break
        last = nodes[-1]
        if last == root or tried[-1] >= len(consumers[last]):
            if last == root:
                found_nodes.append(list(nodes))
                found_pos.append(list(positions))
                budget -= len(positions)
            nodes.pop()
            tried.pop()
            if positions:
                positions.pop()
            continue
        consumer, position = consumers[last][tried[-1]]
        tried[-1] += 1
        nodes.append(consumer)
        positions.append(position)
        tried.append(0)
    return found_nodes, found_pos


def count_text(n: int) -> str:
    """A non-negative count, exactly and short: in full up to 15 digits, ``2^k`` for a power
    of two, else its first and last six digits and its number of digits,
    ``123456…654321 (4335 digits)`` (Python refuses ``str`` of an int over 4300 digits;
    this never calls it on one over 15)."""
    if n < 10**15:
        return str(n)
    if n & (n - 1) == 0:
        return f"2^{n.bit_length() - 1}"
    digits = int((n.bit_length() - 1) * math.log10(2)) + 1  # within one of the true count
    while n >= 10**digits:
        digits += 1
    while n < 10 ** (digits - 1):
        digits -= 1
    return f"{n // 10 ** (digits - 6)}…{n % 10**6:06d} ({digits} digits)"


def ieee_sum(terms: Iterable[float]) -> float:
    """The correctly rounded sum (``fsum``), or IEEE's ``inf``/``nan`` where ``fsum`` raises
    (a partial sum overflowing, ``inf + -inf``): the plain left-to-right sum then."""
    xs = list(terms)
    try:
        return math.fsum(xs)
    except (OverflowError, ValueError):
        return sum(xs, 0.0)


#: The largest graph whose marked parameters get a derived formula (SymPy) on the page.
FORMULA_LIMIT = 200

#: The most unlabelled computed nodes a graph may hold and still get derived formulas: each is
#: written out as its op over its inputs, and the expansion grows quickly with depth (a
#: 20-deep unlabelled sigmoid chain gives 70,000 characters in about a second, a 60-deep one
#: two million in 36 s).
FORMULA_UNLABELLED_LIMIT = 20

#: The longest derived formula shown, in characters; a longer one is left out (the path
#: products below it say the same, one line per path).
FORMULA_TEXT_LIMIT = 600


def derived_formulas(root: Value, order: list[Value], marked: list[Value]) -> dict[Value, str]:
    """``d root / d p`` as :func:`autograd.symbolic.formula_text` derives it, for each marked
    parameter ``p``: the chain rule written in the graph's labels (``∂J/∂w5 = a0*o1*(1 -
    o1)*(o1 - y1)``), shown above the path products when ``p`` is selected.

    Only where it is quick and readable: SymPy installed, at most :data:`FORMULA_LIMIT`
    Values of which at most :data:`FORMULA_UNLABELLED_LIMIT` are unlabelled computed nodes
    (written out as their op over their inputs), and a formula at most
    :data:`FORMULA_TEXT_LIMIT` characters long. Otherwise that parameter (or the graph) gets
    no entry: the page shows the path products alone."""
    if not marked or root.operation is None or len(order) > FORMULA_LIMIT:
        return {}
    unlabelled = sum(1 for node in order if node.operation is not None and not node.label)
    if unlabelled > FORMULA_UNLABELLED_LIMIT:
        return {}
    try:
        import sympy  # noqa: F401

        from autograd.symbolic import formula_text
    except ImportError:
        return {}
    derived = {}
    for p in marked:
        try:
            text = visible(formula_text(root, p))
        except (UnicodeError, TypeError, ValueError):  # e.g. a lone surrogate SymPy refuses
            return {}
        if len(text) <= FORMULA_TEXT_LIMIT:
            derived[p] = text
    return derived


def explorer_data(
    root: Value,
    *,
    params: Any = None,
    lr: float = 0.1,
    title: str | None = None,
    max_nodes: int = 2000,
) -> dict[str, Any]:
    """The numbers of the explorer page for ``root``'s graph, as a JSON-ready dict.

    * ``nodes``: in creation order, each ``{label, op, symbol, value, parents, inputs,
      locals, grad}``, ``parents`` (the Values only) as indices into ``nodes``,
      ``inputs`` the operands in the op's order, ``{"node": index}`` for a Value and
      ``{"number": x}`` for a number operand (the ``2`` of ``x * 2``: no node, no gradient,
      no step in the sweep), ``locals[i] = d node / d parents[i]`` as the forward pass
      recorded it, ``grad = d root / d node`` from the sweep below;
    * ``backward``: the engine's sweep, one step per non-leaf in reverse creation order:
      ``{node, grad, edges: [{parent, position, local, before, contribution, after}]}`` with
      ``contribution = grad · local`` and ``after = before + contribution``;
    * ``final``: for every node, the number of backward steps after which its gradient is
      final (0 for the root);
    * ``paths``: for every node, ``count`` (the number of paths up to the root, exactly, as
      :func:`count_text` writes it: decimal up to 15 digits) and ``more`` (the paths not
      listed, the same way), ``sum`` = Σ_paths Π local (by dynamic programming over the
      consumers; IEEE sums, ``inf``/``nan`` instead of an error), and up to
      :data:`MAX_LISTED_PATHS` listed paths with their ``products`` (Π local along the
      path, multiplied from the root down, the order the sweep multiplies in);
    * each node may carry ``derived``, a text shown above the path products when a node is
      selected (left out here: a place for a derived formula added by another tool), and
      ``formula``, its op's rule in words (``""`` for a leaf);
    * ``params``: for each marked leaf ``{node, value, grad, fd, step, after}``: the central
      difference ``fd = (f(p+h) - f(p-h)) / (2h)``, ``h = 1e-6 · max(1, |p|)``, of the
      replayed forward pass, and the SGD step ``after = p - lr · grad``; ``root_after`` is
      the root's value with every marked parameter stepped at once.

    Raises ``TypeError``/``ValueError`` for a bad argument, and ``ValueError`` when the
    graph has more than ``max_nodes`` Values.
    """
    _check_options(root, lr, title, max_nodes)
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph under this root has {len(order)} Values, more than max_nodes="
            f"{max_nodes}; explore a smaller piece (explore an intermediate node, e.g. one "
            f"neuron's output, or a smaller batch) or pass max_nodes={len(order)} to show it all"
        )
    n = len(order)
    index = {node: k for k, node in enumerate(order)}
    marked, names = _check_params(params, index)
    labels = unique_labels(order, names)
    r = n - 1
    locals_ = [[float(d) for d in node.local_grads] for node in order]
    parents = [[index[p] for p in node.parents] for node in order]
    operands = [_operands(node, index) for node in order]

    # The backward sweep, in the engine's order, on a fresh set of gradients.
    grads = [0.0] * n
    grads[r] = 1.0
    final = [0] * n
    steps: list[dict[str, Any]] = []
    sweep = [k for k in reversed(range(n)) if parents[k]]
    for step, k in enumerate(sweep, 1):
        g = grads[k]
        edges = []
        for position, (p, local) in enumerate(zip(parents[k], locals_[k])):
            before = grads[p]
            contribution = g * local
            grads[p] = before + contribution
            final[p] = step
            edges.append(
                {"parent": p, "position": position, "local": local, "before": before,
                 "contribution": contribution, "after": grads[p]}
            )
        steps.append({"node": k, "grad": g, "edges": edges})

    # The chain rule: paths counted and summed by dynamic programming from the root down.
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k in range(n):
        for position, p in enumerate(parents[k]):
            consumers[p].append((k, position))
    count = [0] * n
    total = [0.0] * n
    count[r] = 1
    total[r] = 1.0
    for k in reversed(range(r)):
        count[k] = sum(count[c] for c, _ in consumers[k])
        total[k] = ieee_sum(total[c] * locals_[c][pos] for c, pos in consumers[k])
    paths = []
    for k in range(n):
        listed, positions = _paths(k, consumers, r)
        products = []
        for nodes, pos in zip(listed, positions):
            product = 1.0
            for j in reversed(range(len(pos))):
                product *= locals_[nodes[j + 1]][pos[j]]
            products.append(product)
        paths.append(
            {"count": count_text(count[k]), "more": count_text(count[k] - len(listed)),
             "sum": total[k], "listed": listed, "positions": positions, "products": products}
        )

    # Parameters: finite differences of the replayed forward pass, and one SGD step.
    base = [node.data for node in order]
    rows = []
    stepped = list(base)
    for leaf in marked:
        k = index[leaf]
        x = base[k]
        h = 1e-6 * max(1.0, abs(x))
        run = _downstream(parents, k)
        values = list(base)
        values[k] = x + h
        up = _replay(order, operands, values, run)
        values = list(base)
        values[k] = x - h
        down = _replay(order, operands, values, run)
        fd = (up - down) / ((x + h) - (x - h))
        after = x - lr * grads[k]
        stepped[k] = after
        rows.append({"node": k, "value": x, "grad": grads[k], "fd": fd, "h": h,
                     "step": -lr * grads[k], "after": after})
    everything = [k for k in range(n) if parents[k]]
    root_after = _replay(order, operands, stepped, everything) if marked else root.data

    rows_of_nodes: list[dict[str, Any]] = [
        {"label": labels[k], "op": node.op,
         "symbol": node.operation.symbol if node.operation is not None else "",
         "formula": node.operation.formula if node.operation is not None else "",
         "value": node.data, "parents": parents[k],
         "inputs": [{"node": x} if type(x) is int else {"number": x} for x in operands[k]],
         "locals": locals_[k], "grad": grads[k]}
        for k, node in enumerate(order)
    ]
    for leaf, text in derived_formulas(root, order, marked).items():
        rows_of_nodes[index[leaf]]["derived"] = text
    return {
        "title": title if title is not None else f"Backpropagation through {labels[r]}",
        "lr": float(lr),
        "root": r,
        "nodes": rows_of_nodes,
        "backward": steps,
        "final": final,
        "paths": paths,
        "params": rows,
        "root_before": root.data,
        "root_after": root_after,
    }


class DotFailed(RuntimeError):
    """Graphviz's ``dot`` is installed but did not draw the graph: it failed, crashed or ran
    past its time budget (``reason`` says which)."""


#: The program :func:`explore` runs to lay a graph out (Graphviz's ``dot``).
DOT_PROGRAM = "dot"
#: The time ``dot`` gets by default (seconds); past it, it is killed and the built-in
#: layout draws the page.
DOT_SECONDS = 8.0
#: The address space ``dot`` may use (bytes), where the system allows a limit: a layout
#: that would take more fails at once instead of swapping (``dot`` once took 2.1 GB).
DOT_MEMORY = 1 << 30


def _dot_child_setup() -> Callable[[], None] | None:
    """What the ``dot`` child runs before ``exec`` on Linux: die with its parent
    (``PR_SET_PDEATHSIG``, so that a killed Python leaves no ``dot`` behind) and keep to
    :data:`DOT_MEMORY`. ``None`` elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import resource

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        prctl = None

    def setup() -> None:
        if prctl is not None:
            prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (DOT_MEMORY, DOT_MEMORY))

    return setup


def run_dot(source: str, seconds: float) -> str:
    """``dot -Tsvg`` on ``source``, in its own process group, killed (the whole group) when
    it runs past ``seconds`` or when anything interrupts the wait, so that no ``dot`` is
    left running. Returns the SVG text. ``FileNotFoundError`` when ``dot`` is not installed;
    :class:`DotFailed` when it fails, crashes or runs out of time."""
    process = subprocess.Popen(
        [DOT_PROGRAM, "-Tsvg"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: killed with its children
        preexec_fn=_dot_child_setup(),
    )
    finished = False
    try:
        out, err = process.communicate(source.encode("utf-8"), timeout=seconds)
        finished = True
    except subprocess.TimeoutExpired:
        raise DotFailed(f"Graphviz's dot did not finish within {seconds:g} s") from None
    finally:
        if not finished:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    if process.returncode != 0:
        how = (f"was killed by signal {-process.returncode}" if process.returncode < 0
               else f"exited with status {process.returncode}")
        detail = err.decode("utf-8", "replace").strip()[-400:]
        raise DotFailed(f"Graphviz's dot {how}" + (f": {detail}" if detail else ""))
    return out.decode("utf-8")


def _svg(order: list[Value], data: dict[str, Any], max_nodes: int, seconds: float) -> str:
    """Graphviz's SVG of ``draw_dot`` on a copy of the graph that carries the page's labels
    and gradients (the user's Values are not touched), laid out by :func:`run_dot`."""
    from autograd.draw import draw_dot

    copies: list[Value] = []
    for node, shown in zip(order, data["nodes"]):
        twin = Value(node.data, shown["label"])
        twin.grad = shown["grad"]
        if node.parents:
            twin._parents = tuple(copies[p] for p in shown["parents"])
            twin._locals = node.local_grads
            twin._inputs = tuple(copies[x["node"]] if "node" in x else x["number"]
                                 for x in shown["inputs"])
            twin.operation = node.operation
        twin._stamp = node._stamp
        copies.append(twin)
    try:
        graph = draw_dot(copies[-1], edge_labels=True, precision=5, max_nodes=max_nodes)
        text = run_dot(graph.source, seconds)
    except (ImportError, FileNotFoundError) as error:
        raise RuntimeError(
            "autograd.explore lays the graph out with Graphviz when the page is made: it needs "
            "the graphviz Python package and Graphviz's `dot` program (apt-get install "
            "graphviz, brew install graphviz or conda install graphviz); "
            f"{type(error).__name__}: {error}"
        ) from error
    return text[text.index("<svg"):]


# The built-in layered layout (left to right), for graphs over DOT_LIMIT Values, or when
# Graphviz is missing, fails or runs out of time.
CHAR_WIDTH = 6.6  # px per character of the 11 px font, a generous average
LINE_HEIGHT = 15.0
BOX_PAD = 8.0
OP_WIDTH = 64.0
OP_HEIGHT = 22.0
COLUMN_GAP = 36.0
ROW_GAP = 14.0
MARGIN = 10.0


def _svg_text(text: str) -> str:
    """``text`` as SVG character data: control characters and lone surrogates drawn
    visibly, ``& < > "`` as entities."""
    return html.escape(visible(text))


def _depths(parents: list[list[int]]) -> list[int]:
    """Each node's column: non-leaves one past their deepest parent (leaves count 0), then
    every leaf moved next to its nearest consumer (one column before it)."""
    n = len(parents)
    depth = [0] * n
    for k in range(n):
        if parents[k]:
            depth[k] = 1 + max(depth[p] for p in parents[k])
    nearest = [n] * n
    for k in range(n):
        for p in parents[k]:
            nearest[p] = min(nearest[p], depth[k])
    # (only a leaf root has no consumer: then n == 1 and nearest - 1 == 0)
    return [nearest[k] - 1 if not parents[k] else depth[k] for k in range(n)]


def builtin_layout(data: dict[str, Any]) -> str:
    """An SVG of the graph in ``data`` (see :func:`explorer_data`) drawn without Graphviz:
    column ``d`` holds the nodes of depth ``d`` (a non-leaf sits one column past its deepest
    parent, a leaf one column before its nearest consumer), each non-leaf with its op's oval
    just before it; within a column the non-leaves are ordered by the mean row of their
    parents, the leaves keep their creation order (breadth first from the root). The elements
    carry Graphviz's structure (``g.node`` with ``<title>n<k></title>``, ``n<k>_op`` for ops,
    ``g.edge`` titled ``n<p>->n<k>_op``) so the page's script works on either picture.
    Edges carry no label and number operands (the ``2`` of ``x * 2``) get no box; the panel
    gives the numbers, and its equation writes the number operands in place.
    """
    nodes = data["nodes"]
    n = len(nodes)
    parents = [node["parents"] for node in nodes]
    depth = _depths(parents)
    lines = [[node["label"], f"data {format_number(node['value'], None)}",
              f"grad {format_number(node['grad'], None)}"] for node in nodes]
    width = [2 * BOX_PAD + CHAR_WIDTH * max(len(t) for t in text) for text in lines]
    height = 3 * LINE_HEIGHT + BOX_PAD
    columns: list[list[int]] = [[] for _ in range(max(depth) + 1)]
    for k in range(n):
        columns[depth[k]].append(k)
    row = [0.0] * n
    for column in columns:  # leaves in creation order, non-leaves by their parents' mean row
        for place, k in enumerate(column):
            row[k] = sum(row[p] for p in parents[k]) / len(parents[k]) if parents[k] else place
        column.sort(key=lambda k: (row[k], k))
        for place, k in enumerate(column):
            row[k] = place
    x = [0.0] * n
    y = [0.0] * n
    left = MARGIN
    for column in columns:
        has_ops = any(parents[k] for k in column)
        box_left = left + (OP_WIDTH + COLUMN_GAP if has_ops else 0.0)
        col_width = max(width[k] for k in column)
        for k in column:
            x[k] = box_left + (col_width - width[k]) / 2
            y[k] = MARGIN + row[k] * (height + ROW_GAP)
        left = box_left + col_width + COLUMN_GAP
    total_width = left - COLUMN_GAP + MARGIN
    total_height = MARGIN + max(len(c) for c in columns) * (height + ROW_GAP) - ROW_GAP + MARGIN

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width:.0f}pt" '
           f'height="{total_height:.0f}pt" viewBox="0 0 {total_width:.2f} {total_height:.2f}" '
           'font-family="Helvetica,Arial,sans-serif" font-size="11">',
           '<g id="graph0" class="graph">',
           f'<polygon fill="white" stroke="none" points="0,0 {total_width:.2f},0 '
           f'{total_width:.2f},{total_height:.2f} 0,{total_height:.2f}"/>']
    for k in range(n):
        mid = y[k] + height / 2
        if parents[k]:
            ox = x[k] - COLUMN_GAP / 2 - OP_WIDTH / 2  # the op's centre
            for p in parents[k]:
                sx, sy = x[p] + width[p], y[p] + height / 2
                ex = ox - OP_WIDTH / 2
                out.append(
                    f'<g class="edge"><title>n{p}-&gt;n{k}_op</title><path fill="none" '
                    f'stroke="#333333" d="M{sx:.1f},{sy:.1f} C{(sx + ex) / 2:.1f},{sy:.1f} '
                    f'{(sx + ex) / 2:.1f},{mid:.1f} {ex:.1f},{mid:.1f}"/></g>'
                )
            out.append(
                f'<g class="node"><title>n{k}_op</title><ellipse fill="#f3f3f3" '
                f'stroke="#333333" cx="{ox:.1f}" cy="{mid:.1f}" rx="{OP_WIDTH / 2:.1f}" '
                f'ry="{OP_HEIGHT / 2:.1f}"/><text text-anchor="middle" x="{ox:.1f}" '
                f'y="{mid + 4:.1f}" font-size="10">{_svg_text(nodes[k]["symbol"])}</text></g>'
            )
            out.append(
                f'<g class="edge"><title>n{k}_op-&gt;n{k}</title><path fill="none" '
                f'stroke="#333333" d="M{ox + OP_WIDTH / 2:.1f},{mid:.1f} L{x[k]:.1f},'
                f'{mid:.1f}"/></g>'
            )
        x0, x1, y0, y1 = x[k], x[k] + width[k], y[k], y[k] + height
        fill = "#ffffff" if parents[k] else "#eef3fb"
        texts = "".join(
            f'<text text-anchor="middle" x="{(x0 + x1) / 2:.1f}" '
            f'y="{y0 + BOX_PAD / 2 + LINE_HEIGHT * (i + 0.75):.1f}">{_svg_text(t)}</text>'
            for i, t in enumerate(lines[k])
        )
        out.append(
            f'<g class="node"><title>n{k}</title><polygon fill="{fill}" stroke="#333333" '
            f'points="{x0:.1f},{y0:.1f} {x1:.1f},{y0:.1f} {x1:.1f},{y1:.1f} {x0:.1f},{y1:.1f}"/>'
            f"{texts}</g>"
        )
    out.append("</g></svg>")
    return "\n".join(out)


def _script_json(data: dict[str, Any]) -> str:
    """``data`` as a JavaScript literal safe inside ``<script>``: ``NaN``, ``Infinity`` stay
    numbers (both are JavaScript globals), non-ASCII characters (and so U+2028) become
    ``\\uXXXX``, and ``<`` is escaped so that no label can end the script."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


LAYOUTS = ("auto", "dot", "builtin")
#: With ``layout="auto"``, graphs of more Values than this are drawn by the built-in layout.
DOT_LIMIT = 1000


def explore(
    root: Value,
    *,
    params: Any = None,
    lr: float = 0.1,
    title: str | None = None,
    max_nodes: int = 2000,
    layout: str = "auto",
    dot_seconds: float = DOT_SECONDS,
) -> Explorer:
    """An interactive page that steps through the forward and backward pass of ``root``.

    The backward steps are the engine's sweep: for each non-leaf ``n`` in reverse creation
    order and each parent ``p``, ``grad(p) += grad(n) · d n / d p``; selecting a node shows
    ``d root / d node = Σ_paths Π_edges (local derivative)``, the chain rule. ``params``
    marks leaves (e.g. a network's weights) for a finite-difference check and one SGD step
    ``p <- p - lr · d root / d p``: an iterable of leaf Values, or a module (anything with
    ``named_parameters()``), whose parameters are then named by their short dotted names
    (``L0.n1.w0``, see :func:`short_parameter_name`); ``title`` heads the page. See
    :func:`explorer_data` for every number, the module docstring for the page's
    ``window.explorer`` handle.

    ``layout``: ``"dot"`` draws ``draw_dot(root, edge_labels=True)`` with Graphviz's ``dot``
    (a ``RuntimeError`` naming Graphviz when it is missing, :class:`DotFailed` when ``dot``
    fails, crashes or runs past ``dot_seconds``); ``"builtin"`` draws a plain layered
    picture without Graphviz and without edge labels (:func:`builtin_layout`); ``"auto"``
    tries ``dot`` up to :data:`DOT_LIMIT` Values and falls back to the built-in layout for
    anything else, recording why in ``data["layout_note"]`` (shown on the page). ``dot``
    runs in its own process group and is killed, with nothing left behind, when its time
    is up. More than ``max_nodes`` Values is a ``ValueError``. The Values are not changed
    (their ``.grad`` included).
    """
    if not isinstance(layout, str) or layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    if isinstance(dot_seconds, bool) or not isinstance(dot_seconds, (int, float)) or not (
        dot_seconds > 0
    ):
        raise ValueError(f"dot_seconds must be a number of seconds > 0, not {dot_seconds!r}")
    data = explorer_data(root, params=params, lr=lr, title=title, max_nodes=max_nodes)
    svg = None
    note = ""
    if layout == "dot" or (layout == "auto" and len(data["nodes"]) <= DOT_LIMIT):
        try:
            svg = _svg(topological_order(root), data, max_nodes, float(dot_seconds))
        except RuntimeError as error:  # DotFailed, or Graphviz missing
            if layout == "dot":
                raise
            note = f"drawn without Graphviz: {error}"
    elif layout == "auto":
        note = f"drawn without Graphviz: more than {DOT_LIMIT} Values"
    data["layout"] = "dot" if svg is not None else "builtin"
    data["layout_note"] = note
    if svg is None:
        svg = builtin_layout(data)
    parts = {"__TITLE__": html.escape(visible(data["title"])), "__SVG__": svg,
             "__DATA__": _script_json(data)}
    page = re.sub("__(?:TITLE|SVG|DATA)__", lambda m: parts[m.group(0)], PAGE)
    return Explorer(page, data)
