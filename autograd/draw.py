"""Pictures of computation graphs: :func:`draw_dot`.

Every ``Value`` becomes a small table (an HTML-like label: label, data, grad), every text
written as text (:func:`html_text`); every operation becomes a
small oval with the rule table's symbol (``σ``, ``Σ w·x + b``, ...), with edges
``parent -> op -> result``. A number operand (the ``2`` of ``x * 2``: no node of the graph, no
gradient) is a small grey box holding its value, with a plain edge into the op in its operand
place. With ``edge_labels=True`` each ``parent -> op`` edge carries the
local derivative ``d result / d parent`` that the backward sweep multiplies by, and with
``highlight=v`` every path from ``v`` up to the root is drawn bold and coloured: the chain of
the chain rule, whose edge labels multiply (and, over several paths, add up) to
``d root / d v``.

Any text, whatever its characters, gives valid DOT and SVG: control characters are drawn as
visible symbols (``\\x00`` as ``␀``, ESC as ``␛``, DEL as ``␡``; C1 controls, lone surrogates and
the non-characters U+FFFE/U+FFFF as ``\\x85``-style escapes), a label longer than
:data:`MAX_LABEL_CHARS` characters is cut with an ellipsis and the count of characters left out
(Graphviz's ``dot`` rejects a quoted string over 16384 bytes), and path counts too large to
print in full (a doubling chain ``x = x + x`` repeated 15000 times has 2^15000 paths) are
written in scientific form.

``graphviz`` (the Python package) is imported inside :func:`draw_dot` only, so the engine
itself needs nothing beyond the standard library.
"""

from __future__ import annotations

import functools
import math
import subprocess
from typing import TYPE_CHECKING, Any

from autograd.backward import topological_order
from autograd.ops import OPS, Op
from autograd.value import Value, _at_values

if TYPE_CHECKING:
    import graphviz

RANKDIRS = ("TB", "LR", "BT", "RL")
RECORD_LAYOUTS = ("card", "row")

# Readable defaults that survive black-and-white printing: highlighted parts are bold and
# thicker, not only coloured.
FONT = "Helvetica,Arial,sans-serif"
INK = "#333333"
LEAF_FILL = "#eef3fb"
NODE_FILL = "#ffffff"
OP_FILL = "#f3f3f3"
NUMBER_FILL = "#ececec"
NUMBER_INK = "#8a8a8a"
#: A number operand (the ``2`` of ``x * 2``): a small grey box holding its value, no grad.
NUMBER_ATTRS = {
    "shape": "box",
    "style": "filled,rounded",
    "fillcolor": NUMBER_FILL,
    "color": NUMBER_INK,
    "fontcolor": INK,
    "fontsize": "10",
    "height": "0.25",
    "width": "0.3",
    "margin": "0.05,0.02",
}
HIGHLIGHT = "#c0392b"
HIGHLIGHT_FILL = "#fde8e4"
HIGHLIGHT_PEN = "2.8"

#: A node's label is drawn with at most this many characters; a longer one is cut, ending in
#: ``…(+N characters)``. Every other text (an edge label's line, an operation's symbol, the
#: highlight caption) is kept to :data:`MAX_TEXT_CHARS`. Both keep every quoted DOT string far
#: below the 16384 bytes that Graphviz's ``dot`` accepts (at most 4 bytes per character).
MAX_LABEL_CHARS = 500
MAX_TEXT_CHARS = 1500

#: Output formats offered first in error messages (any of ``graphviz.FORMATS`` is accepted).
COMMON_FORMATS = ("svg", "png", "pdf", "jpg", "gif", "eps", "ps", "dot", "gv", "json")
INSTALL_HINT = "install Graphviz: apt-get install graphviz / brew install graphviz"


def visible(text: str) -> str:
    """``text`` with every character that DOT or XML 1.0 cannot carry drawn visibly.

    C0 controls become the Unicode control pictures ``U+2400 + code`` (NUL ``␀``, ESC ``␛``,
    VT ``␋``, FF ``␌``), except line feed, carriage return and tab, which become a space (a
    label is one line); DEL becomes ``␡``; C1 controls (U+0080..U+009F), lone surrogates and
    U+FFFE/U+FFFF become the escape text ``\\x85``, ``\\ud800``, ``\\ufffe``. Other characters
    are kept.
    """
    if text.isprintable():  # the common case: nothing to change
        return text
    return "".join(_visible_char(ch) for ch in text)


def _visible_char(ch: str) -> str:
    code = ord(ch)
    if ch in "\n\r\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return ch


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``text`` if it has at most ``limit`` characters, else its start followed by
    ``…(+N characters)``, ``N`` the number of characters left out, at most ``limit``
    characters in all (for ``limit`` of at least about 20)."""
    if len(text) <= limit:
        return text
    kept = max(0, limit - len(f"…(+{len(text)} characters)"))
    return f"{text[:kept]}…(+{len(text) - kept} characters)"


def format_count(n: int) -> str:
    """A non-negative integer for a caption: in full below 10^15, else in scientific form
    ``1.234e+4515`` (4 significant digits, from ``log10``), so that a count of any size
    prints (Python refuses ``str`` of an int over 4300 digits)."""
    if n < 10**15:
        return str(n)
    exponent = math.floor(math.log10(n))
    mantissa = 10 ** (math.log10(n) - exponent)
    if round(mantissa, 3) >= 10.0:
        mantissa, exponent = mantissa / 10.0, exponent + 1
    return f"{mantissa:.3f}e+{exponent}"


_RECORD_SPECIAL = {
    "\\": "\\\\",
    "|": "\\|",
    "{": "\\{",
    "}": "\\}",
    "<": "\\<",
    ">": "\\>",
    '"': '\\"',
    "\n": " ",
    "\r": " ",
}
_TEXT_SPECIAL = {"\\": "\\\\", '"': '\\"', "\n": " ", "\r": " "}


def escape_record(text: str) -> str:
    """``text`` with Graphviz record syntax (``| { } < >``), quotes and backslashes escaped,
    after :func:`visible` (control characters drawn as symbols)."""
    return "".join(_RECORD_SPECIAL.get(ch, ch) for ch in visible(text))


def escape_text(text: str) -> str:
    """``text`` safe inside a quoted DOT string of a plain (non-record) label, after
    :func:`visible` (control characters drawn as symbols)."""
    return "".join(_TEXT_SPECIAL.get(ch, ch) for ch in visible(text))


def format_number(x: float | None, precision: int | None = 4) -> str:
    """``x`` with ``precision`` significant digits (``0.08217``, ``1.000e-07``), trailing zeros
    kept so that columns read alike; ``precision=None`` gives the shortest text that reads
    back as exactly ``x`` (``repr``). ``inf``, ``-inf`` and ``nan`` print as such, and a
    ``None`` gradient (``zero_grad(set_to_none=True)``: no gradient yet) as ``None``.
    """
    if x is None:
        return "None"
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if precision is None:
        return repr(float(x))
    return f"{x:#.{precision}g}"


def _operand_text(x: Value | float) -> str:
    """How a formula names an operand: a Value by its label (``""`` when it has none), a
    number by its shortest exact text (``0.99``, ``2.0``)."""
    return x.label if isinstance(x, Value) else format_number(x, None)


def symbolic_local_grad(node: Value, index: int) -> str | None:
    """The local derivative ``d node / d node.parents[index]`` written with the article's
    names, e.g. ``"a0"`` for the edge ``w5 -> net3`` (``net3 = w5 a0 + w7 a1 + b3``), or
    ``None`` when the operation or a needed label does not allow a short formula.

    The formula is the node's own row of the rule table (the rule that gives the edge's
    number) run over text terms (:mod:`autograd.text_algebra`, no SymPy needed): the
    sigmoid's ``out * (1 - out)`` reads ``o1(1 - o1)``. The operands are taken in the op's
    order (``node.inputs``, numbers in place), so ``2 - x`` gives ``-1`` for ``x``. A number
    operand is written as its value (``-(0.99 - o1)`` for a target ``0.99``), but a formula
    that would be a number alone (``d (2 x) / d x = 2``) is ``None``: the edge's number
    already says it. ``IndexError`` if ``node`` has no parent ``index``.
    """
    from autograd.text_algebra import local_derivative_texts

    positions = _at_values(node.inputs, range(len(node.inputs)))
    if not -len(positions) <= index < len(positions):
        raise IndexError(
            f"symbolic_local_grad: index {index} is out of range for a node with "
            f"{len(positions)} parent(s)"
        )
    position: int = positions[index]
    return local_derivative_texts(node)[position]


def _reaching(order: list[Value], start: Value) -> set[Value]:
    """The nodes of ``order`` that depend on ``start`` (``start`` included): every node on a
    path from ``start`` up to the root."""
    reach = {start}
    for node in order:
        if node is not start and any(p in reach for p in node.parents):
            reach.add(node)
    return reach


def path_derivative(order: list[Value], start: Value, reach: set[Value]) -> tuple[float, int]:
    """``d root / d start`` by forward accumulation along the paths (the sum over paths of the
    product of their local derivatives), and the number of such paths."""
    deriv: dict[Value, float] = {start: 1.0}
    paths: dict[Value, int] = {start: 1}
    for node in order:
        if node is start or node not in reach:
            continue
        total = 0.0
        count = 0
        for parent, local in zip(node.parents, node.local_grads):
            if parent in reach:
                total += deriv[parent] * float(local)
                count += paths[parent]
        deriv[node] = total
        paths[node] = count
    root = order[-1]
    return deriv[root], paths[root]


MAX_SPELLED_PATHS = 4
MAX_SPELLED_FACTORS = 24


def chain_caption(
    order: list[Value], start: Value, reach: set[Value], precision: int | None = 4
) -> str:
    """The chain rule spelled out for ``d root / d start``.

    One path: ``∂J/∂w5 = ∂J/∂o1 · ∂o1/∂net3 · ∂net3/∂w5 = (-0.2171)(0.1755)(0.5933) =
    -0.02260``, the factors read from the root down. A few paths: the sum of their products,
    ``∂J/∂w1 = (a)(b)(c)(d) + (e)(f)(g)(h) = ...``. Many paths: the number of paths and the
    total.
    """
    root = order[-1]
    value, count = path_derivative(order, start, reach)
    head = f"∂{shorten(root.label or 'root')}/∂{shorten(start.label or 'v')}"
    total = format_number(value, precision)
    if start is root:
        return f"{head} = {total}"
    spelled = _spelled_caption(root, start, reach, count, head, total, precision)
    if spelled is not None and len(spelled) <= MAX_TEXT_CHARS:
        return spelled
    return shorten(
        f"{head} = the sum over the {format_count(count)} highlighted paths of the product of "
        f"the local derivatives along each = {total}",
        MAX_TEXT_CHARS,
    )


def _spelled_caption(
    root: Value,
    start: Value,
    reach: set[Value],
    count: int,
    head: str,
    total: str,
    precision: int | None,
) -> str | None:
    """The caption with every path's factors written out, or ``None`` when the paths are too
    many or too long to list."""
    # Every node of `reach` lies on some path, so the paths hold at least len(reach) - 1
    # factors: a cheap bound that avoids listing long or many paths.
    few = count <= MAX_SPELLED_PATHS and len(reach) - 1 <= MAX_SPELLED_FACTORS
    paths = _paths(root, start, reach) if few else []
    if not paths or sum(len(path) for path in paths) > MAX_SPELLED_FACTORS:
        return None

    def numbers(path: list[tuple[Value, int]]) -> str:
        return "".join(
            f"({format_number(float(node.local_grads[i]), precision)})" for node, i in path
        )

    if count == 1:
        named = all(n.label and n.parents[i].label for n, i in paths[0])
        symbols = " · ".join(f"∂{n.label}/∂{n.parents[i].label}" for n, i in paths[0])
        with_symbols = f"{head} = {symbols} = {numbers(paths[0])} = {total}"
        if named and len(with_symbols) <= MAX_TEXT_CHARS:
            return with_symbols
        return f"{head} = {numbers(paths[0])} = {total}"
    return f"{head} = {' + '.join(numbers(path) for path in paths)} = {total}"


def _paths(root: Value, start: Value, reach: set[Value]) -> list[list[tuple[Value, int]]]:
    """Every path from ``root`` down to ``start`` inside ``reach``, as ``(node, parent index)``
    steps read from the root down (iterative; call it only when there are few paths)."""
    found: list[list[tuple[Value, int]]] = []
    stack: list[tuple[Value, list[tuple[Value, int]]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if node is start:
            found.append(path)
            continue
        for index in reversed(range(len(node.parents))):
            if node.parents[index] in reach:
                stack.append((node.parents[index], [*path, (node, index)]))
    return found


def _check_options(
    root: object,
    rankdir: object,
    highlight: object,
    max_nodes: object,
    precision: object,
    flags: dict[str, object],
) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot() root must be a Value, not {type(root).__name__}")
    if not isinstance(rankdir, str):
        raise TypeError(
            f"rankdir must be a str, one of {', '.join(RANKDIRS)}, not {type(rankdir).__name__}"
        )
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, not {rankdir!r}")
    if highlight is not None and not isinstance(highlight, Value):
        raise TypeError(
            f"highlight must be a Value of the graph or None, not {type(highlight).__name__}"
        )
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes must be an int, not {type(max_nodes).__name__}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if precision is not None and (not isinstance(precision, int) or isinstance(precision, bool)):
        raise TypeError(f"precision must be an int or None, not {type(precision).__name__}")
    if isinstance(precision, int) and not 1 <= precision <= 17:
        raise ValueError(f"precision must be between 1 and 17 significant digits, not {precision}")
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, not {type(flag).__name__}")


def _check_format(format: object) -> None:
    import graphviz  # lazily: the engine itself needs only the standard library

    if not isinstance(format, str):
        raise TypeError(f"format must be a str such as 'svg', not {type(format).__name__}")
    if format not in graphviz.FORMATS:
        hint = f" (did you mean {format.lower()!r}?)" if format.lower() in graphviz.FORMATS else ""
        raise ValueError(
            f"format must be one of Graphviz's output formats, such as "
            f"{', '.join(COMMON_FORMATS)} ({len(graphviz.FORMATS)} in all, see "
            f"graphviz.FORMATS), not {format!r}{hint}"
        )


def without_dot(source: str, error: BaseException) -> str:
    """The text a notebook shows for a graph when Graphviz's ``dot`` cannot render it: the
    reason, :data:`INSTALL_HINT`, and the DOT ``source`` (which ``dot -Tsvg`` renders)."""
    return (
        f"Graphviz's dot program could not draw this graph ({type(error).__name__}: {error}); "
        f"{INSTALL_HINT}. Its DOT source:\n\n{source}"
    )


@functools.cache
def _drawing_class() -> Any:
    """``Drawing``, the ``graphviz.Digraph`` that :func:`draw_dot` returns (made on first use,
    so that ``graphviz`` is imported only when drawing)."""
    import graphviz

    class Drawing(graphviz.Digraph):  # type: ignore[misc]
        """A ``graphviz.Digraph`` that a notebook displays in its ``format`` (svg, png or
        jpeg; svg for other formats) and that shows its DOT source with an install hint,
        instead of raising, when Graphviz's ``dot`` is missing or fails."""

        @property
        def _jupyter_mimetype(self) -> str:
            mimetypes: dict[str, str] = graphviz.jupyter_integration.JUPYTER_FORMATS
            return mimetypes.get(self.format, mimetypes["svg"])

        def _repr_mimebundle_(
            self,
            include: Any = None,
            exclude: Any = None,
            **kwargs: Any,
        ) -> dict[str, bytes | str]:
            try:
                bundle: dict[str, bytes | str] = super()._repr_mimebundle_(
                    include, exclude, **kwargs
                )
            except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as error:
                return {"text/plain": without_dot(self.source, error)}
            return bundle

    Drawing.__module__ = __name__
    Drawing.__qualname__ = "Drawing"
    return Drawing


def __getattr__(name: str) -> Any:
    """``autograd.draw.Drawing``, the class of :func:`draw_dot`'s graphs, made on first use
    (so that importing this module does not import ``graphviz``; pickle finds it here)."""
    if name == "Drawing":
        return _drawing_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def html_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` as the text of a Graphviz HTML-like label: cut to ``limit`` characters
    (:func:`shorten`), control characters drawn visibly (:func:`visible`), then ``& < > "``
    written as entities, so that any string, ``"<B>x</B>"`` or ``"&lt;b&gt;"`` included,
    is drawn literally and never read as markup. A backslash is doubled: Graphviz reads
    ``\\N``, ``\\G`` ... in any label (after decoding entities) as the node's or graph's
    name."""
    return (
        visible(shorten(text, limit))
        .replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _html(*lines: str) -> str:
    """An HTML-like label (``<...>`` for Graphviz) of already-escaped ``lines``."""
    return "<" + "<BR/>".join(lines) + ">"


def _table(fields: list[str], row: bool) -> str:
    """A borderless HTML-like table of already-escaped ``fields``, stacked (a rule between
    them) or side by side (``row``), that reads the same in every ``rankdir``."""
    head = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
    if row:
        return f"<{head}<TR>{'<VR/>'.join(f'<TD>{f}</TD>' for f in fields)}</TR></TABLE>>"
    return f"<{head}{'<HR/>'.join(f'<TR><TD>{f}</TD></TR>' for f in fields)}</TABLE>>"


def is_builtin(op: Op) -> bool:
    """Whether ``op`` is the engine's own row of that name (``OPS[op.name]``, or one of the
    rows ``pow_const(c)`` makes), so that a formula known for the name is its formula; a
    custom ``Op`` that shares a name with a built-in is not."""
    builtin = OPS.get(op.name)
    if builtin is None:
        return False
    if builtin is op:
        return True
    mine, theirs = op.local_grads, builtin.local_grads
    return (
        isinstance(mine, functools.partial)
        and isinstance(theirs, functools.partial)
        and mine.func is theirs.func
    )


def _edge_formula(node: Value, index: int, symbolic: bool) -> str | None:
    """The formula line of the edge ``node.parents[index] -> node``: the rule table's formula
    in the graph's names for a built-in op, the ``Op``'s own ``formula`` text for any other
    (a custom op named like a built-in never gets the built-in's formula)."""
    operation = node.operation
    if not symbolic or operation is None:
        return None
    if is_builtin(operation):
        formula = symbolic_local_grad(node, index)
        if formula is None or formula in ("1", "-1"):
            return None
        parent = node.parents[index]
        lhs = f"∂{node.label}/∂{parent.label} = " if node.label and parent.label else ""
        return lhs + formula
    return operation.formula or None


#: Edge labels are Graphviz ``label``s (placed by the layout) up to this many Values, and
#: ``xlabel``s (placed after it) beyond: ``dot`` lays out labelled edges as extra nodes,
#: which took over 200 s on a 101-Value recurrence, against 0.17 s with ``xlabel``.
EDGE_LABEL_LIMIT = 60
#: A Value used by more edges than this (a recurrence's input, used at every step) is drawn
#: once more per use beyond the first, as a dashed proxy box with the same texts: ``dot``
#: crashed on a 1,001-Value recurrence drawn with the one box, and took 1.0 s with proxies.
PROXY_USES = 24
#: A parent used this many times or more by one op (``add_n([y] * 50)``) gets one edge
#: marked ``×m`` instead of ``m`` parallel edges.
MERGE_USES = 3
#: Past this many Values, ``dot`` is asked for fewer crossing-reduction and positioning
#: passes (``mclimit``, ``nslimit``): about a quarter less time on a 1,000-Value batch of
#: an MLP, a layout hardly worse.
FAST_LAYOUT_FROM = 300
FAST_LAYOUT = {"mclimit": "0.1", "nslimit": "0.5", "nslimit1": "0.5"}


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    edge_labels: bool = False,
    highlight: Value | None = None,
    max_nodes: int = 1000,
    precision: int | None = 4,
    symbolic: bool = True,
    record_layout: str = "card",
    format: str = "svg",
) -> graphviz.Digraph:
    """A ``graphviz.Digraph`` of the computation graph under ``root``.

    * one box per Value (a Graphviz HTML-like table): its label (if any), ``data`` and, with
      ``show_grad``, ``grad`` (the last backward sweep's ``d root / d node``);
      ``record_layout="card"`` stacks the fields (label on top), ``"row"`` puts them side by
      side (micrograd's look), the same in every ``rankdir``; leaves are tinted, the root has
      a double border;
    * one small oval per operation with the rule table's symbol, and edges
      ``parent -> op -> result`` (a parent used twice, as in ``a * a``, gets two edges; one
      used :data:`MERGE_USES` times or more by one op gets one edge marked ``×m``), drawn in
      the op's operand order (``node.inputs``);
    * one small grey box per number operand (``x * 2``, ``weighted_sum(ws, [0.05, 0.1], b)``,
      a loss against float targets), showing the number only: it has no gradient, so its
      edge carries no label;
    * a Value used by more than :data:`PROXY_USES` edges is drawn once per use (a dashed
      copy with the same texts, id ``n<k>_for<j>_<i>`` for the use by node ``j``), so that
      ``dot`` lays out recurrences of any length in seconds;
    * ``edge_labels=True``: each ``parent -> op`` edge shows the local derivative
      ``d result / d parent`` as evaluated in the forward pass, with (``symbolic=True``) its
      formula in the graph's names when one is known, e.g. ``∂net3/∂w5 = a0`` (a number
      operand appears in it as its value: ``∂J/∂o1 = -(0.99 - o1)``); a custom ``Op`` shows
      its own ``formula`` text. Past :data:`EDGE_LABEL_LIMIT` Values the labels are
      Graphviz ``xlabel``s (placed after the layout, which stays fast);
    * ``highlight=v``: every node and edge on every path from ``v`` up to ``root`` drawn bold,
      thick and in colour, with a caption giving
      ``d root / d v = Σ_paths Π (local derivatives on the path)``: the chain rule, e.g. the
      article's ``dJ/dw5 = dJ/do1 · do1/dnet3 · dnet3/dw5``.

    Every text (labels, op symbols and formulas, numbers, the caption) is written as an
    HTML-like label's text with ``& < > "`` as entities (:func:`html_text`), so any string is
    drawn literally, ``"<B>x</B>"`` and ``"&lt;b&gt;"`` included, and nothing in it is read
    as markup. Numbers have ``precision`` significant digits (``None``: full precision).
    ``rankdir`` is one of ``"TB" "LR" "BT" "RL"``. A graph with more than ``max_nodes``
    Values (number boxes not counted) raises ``ValueError``: draw an intermediate node
    instead, or raise ``max_nodes``. Control characters are drawn as visible symbols (see
    :func:`visible`); a label over :data:`MAX_LABEL_CHARS` characters is cut with
    ``…(+N characters)``.

    ``format`` (default ``"svg"``, as micrograd's ``draw_dot``) is the returned graph's
    ``.format``: ``g.render("name")`` writes ``name.svg``; any of ``graphviz.FORMATS``
    (``"png"``, ``"pdf"``, ...) is accepted, anything else is a ``ValueError``. In a notebook
    the graph displays itself in that format when it is ``svg``, ``png`` or ``jpeg``/``jpg``
    (SVG otherwise); without Graphviz's ``dot`` program it displays its DOT source and an
    install hint instead of raising. ``g.pipe(format="png")`` renders to bytes.
    """
    _check_options(
        root,
        rankdir,
        highlight,
        max_nodes,
        precision,
        {"show_grad": show_grad, "edge_labels": edge_labels, "symbolic": symbolic},
    )
    _check_format(format)
    if record_layout not in RECORD_LAYOUTS:
        raise ValueError(
            f"record_layout must be one of {', '.join(RECORD_LAYOUTS)}, not {record_layout!r}"
        )
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph under this root has {len(order)} Values, more than max_nodes="
            f"{max_nodes}; draw a smaller piece (draw_dot on an intermediate node, e.g. one "
            f"neuron's output, or on a smaller batch) or pass max_nodes={len(order)} to draw it all"
        )
    reach: set[Value] = set()
    if highlight is not None:
        if highlight not in set(order):
            what = f" {highlight.label!r}" if highlight.label else ""
            raise ValueError(
                f"highlight Value{what} (data={highlight.data!r}) is not in the graph under the "
                f"root{' ' + repr(root.label) if root.label else ''}: pass one of its nodes"
            )
        reach = _reaching(order, highlight)

    label_key = "xlabel" if len(order) > EDGE_LABEL_LIMIT else "label"
    g = _drawing_class()(
        "autograd",
        format=format,
        graph_attr={
            "rankdir": rankdir,
            "bgcolor": "white",
            "fontname": FONT,
            "fontsize": "12",
            "nodesep": "0.25",
            "ranksep": "0.35",
            "forcelabels": "true",
            **(FAST_LAYOUT if len(order) > FAST_LAYOUT_FROM else {}),
        },
        node_attr={"fontname": FONT, "fontsize": "11", "color": INK, "fontcolor": "black"},
        edge_attr={"fontname": FONT, "fontsize": "10", "color": INK, "arrowsize": "0.7"},
    )
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    on = {"color": HIGHLIGHT, "penwidth": HIGHLIGHT_PEN, "fontcolor": HIGHLIGHT}

    # the edges each Value sends (parallel edges into one op merged past MERGE_USES)
    uses: dict[Value, int] = {}
    for node in order:
        counts: dict[Value, int] = {}
        for parent in node.parents:
            counts[parent] = counts.get(parent, 0) + 1
        for parent, m in counts.items():
            uses[parent] = uses.get(parent, 0) + (1 if m >= MERGE_USES else m)
    boxes: dict[Value, tuple[str, dict[str, str]]] = {}

    for node in order:
        nid = ids[node]
        fields = []
        if node.label:
            fields.append(f"<B>{html_text(node.label, MAX_LABEL_CHARS)}</B>")
        fields.append(f"data {format_number(node.data, precision)}")
        if show_grad:
            fields.append(f"grad {format_number(node.grad, precision)}")
        attrs = {
            "shape": "box",
            "style": "filled",
            "fillcolor": LEAF_FILL if not node.parents else NODE_FILL,
            "margin": "0.06,0.03",
        }
        if node in reach:
            attrs.update(on, style="filled,bold", fillcolor=HIGHLIGHT_FILL, fontcolor="black")
        label = _table(fields, record_layout == "row")
        boxes[node] = (label, dict(attrs, style=attrs["style"] + ",dashed"))
        if node is root:
            attrs["peripheries"] = "2"
        g.node(nid, label=label, **attrs)

        if not node.parents or node.operation is None:
            continue
        op_id = nid + "_op"
        op_attrs = {
            "shape": "ellipse",
            "style": "filled",
            "fillcolor": OP_FILL,
            "fontsize": "10",
            "height": "0.3",
            "margin": "0.04,0.02",
        }
        inputs = node.inputs
        if len(inputs) != len(node.parents):
            # number operands: keep the operands' edges in the op's order (2 - x above x - 2)
            op_attrs["ordering"] = "in"
        op_on = node in reach and node is not highlight
        if op_on:
            op_attrs.update(on, style="filled,bold", fillcolor=HIGHLIGHT_FILL, fontcolor="black")
        g.node(op_id, label=_html(html_text(node.operation.symbol) or " "), **op_attrs)
        g.edge(op_id, nid, **(dict(on, style="bold") if op_on else {}))

        # the operands in the op's order: a Value's edge carries its local derivative; a
        # number (the 2 of x * 2) is a small box of its own, once per use, with a plain edge
        multiplicity: dict[Value, int] = {}
        for parent in node.parents:
            multiplicity[parent] = multiplicity.get(parent, 0) + 1
        merged: set[Value] = set()
        index = 0
        local_grads = node.local_grads
        for position, operand in enumerate(inputs):
            if not isinstance(operand, Value):
                number_id = f"{nid}_num{position}"
                g.node(number_id, label=_html(html_text(format_number(operand, precision))),
                       **NUMBER_ATTRS)
                g.edge(number_id, op_id, color=NUMBER_INK)
                continue
            parent, local = operand, local_grads[index]
            index += 1
            times = multiplicity[parent]
            if times >= MERGE_USES:
                if parent in merged:
                    continue
                merged.add(parent)
            lines = [f"×{times}"] if times >= MERGE_USES else []
            if edge_labels:
                formula = _edge_formula(node, index - 1, symbolic)
                number = format_number(float(local), precision)
                lines += [formula, "= " + number] if formula is not None else [number]
            edge_attrs: dict[str, str] = {}
            if lines:  # one line per entry; the number is always the last line
                edge_attrs[label_key] = _html(*(html_text(line) for line in lines))
            if op_on and parent in reach:
                edge_attrs.update(on, style="bold")
            source = ids[parent]
            if uses[parent] > PROXY_USES:
                uses[parent] = -1  # the first use is the box itself; the others are proxies
            elif uses[parent] == -1:
                source = f"{ids[parent]}_for{nid[1:]}_{index - 1}"
                proxy_label, proxy_attrs = boxes[parent]
                g.node(source, label=proxy_label, **proxy_attrs)
            g.edge(source, op_id, **edge_attrs)

    if highlight is not None:
        caption = chain_caption(order, highlight, reach, precision)
        g.attr(label=_html(html_text(caption)), labelloc="b", fontcolor=HIGHLIGHT)
    return g
