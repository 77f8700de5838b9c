"""The article's network, end to end: ``python -m nn.article``.

The article (a Chinese introduction to backpropagation, described in ``docs/article.md``)
derives, for a 2-2-2 sigmoid network with the cost ``J(W) = 1/2 Σ_i (y_i - o_i)^2``, the
partial derivative ``dJ/dw_i`` of every weight by the chain rule (the "delta rule"), and cites
Matt Mazur's "A Step by Step Backpropagation Example", whose numbers it does not repeat. This
module builds that network with Mazur's numbers and the article's names, lets the engine
compute every gradient, and sets them beside the article's hand formulas evaluated in plain
floats.

The article's notation (weight index = 2 * input + neuron)::

    net0 = w0 x0 + w2 x1 + b0     a0 = Sigmoid(net0)
    net1 = w1 x0 + w3 x1 + b1     a1 = Sigmoid(net1)
    net2 = w4 a0 + w6 a1 + b2     o0 = Sigmoid(net2)
    net3 = w5 a0 + w7 a1 + b3     o1 = Sigmoid(net3)
    J(W) = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2

with ``Sigmoid(x) = 1/(1 + e^-x)``. (The article prints ``1/(1 - e^-x)``, a typo: that
function has a pole at 0 and leaves (0, 1), giving a0 = 3.18 instead of 0.5933. The rule
``f' = f(1 - f)`` the article then uses happens to hold for both.) Its two other slips,
``b1`` for ``b3`` in ``net3`` and ``w1`` sent through ``net0``, are noted in the report.

Public helpers, for the notebooks: :data:`WORKED_EXAMPLE`, :func:`build_network`,
:func:`forward` (an :class:`ArticlePass` of labelled Values), :func:`hand_forward`,
:func:`hand_gradients`, :data:`FORMULAS`, :data:`MAZUR_NAMES`, :func:`article_parameters`
and :func:`main`, the command.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from autograd import Value, draw_dot, explore, squared_error
from nn.layers import MLP
from nn.losses import mse_loss
from nn.optim import SGD

WEIGHT_NAMES = ("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7")
BIAS_NAMES = ("b0", "b1", "b2", "b3")
PARAMETER_NAMES = WEIGHT_NAMES + BIAS_NAMES


@dataclass(frozen=True)
class WorkedExample:
    """The numbers of the worked example (Mazur's), under the article's names.

    Attributes:
        inputs: ``(x0, x1)``.
        targets: ``(y0, y1)``.
        weights: article name (``"w0"``..``"w7"``) -> initial value.
        biases: article name (``"b0"``..``"b3"``) -> value.
        learning_rate: the article's ``a`` in ``w_i <- w_i - a dJ/dw_i``.
    """

    inputs: tuple[float, float]
    targets: tuple[float, float]
    weights: Mapping[str, float]
    biases: Mapping[str, float]
    learning_rate: float


#: Mazur's "A Step by Step Backpropagation Example" in the article's names (see MAZUR_NAMES).
WORKED_EXAMPLE = WorkedExample(
    inputs=(0.05, 0.10),
    targets=(0.01, 0.99),
    weights=MappingProxyType(
        {"w0": 0.15, "w1": 0.25, "w2": 0.20, "w3": 0.30,
         "w4": 0.40, "w5": 0.50, "w6": 0.45, "w7": 0.55}
    ),
    biases=MappingProxyType({"b0": 0.35, "b1": 0.35, "b2": 0.60, "b3": 0.60}),
    learning_rate=0.5,
)

#: Article name -> Mazur's name for the same parameter (Mazur has one bias per layer).
MAZUR_NAMES: Mapping[str, str] = MappingProxyType(
    {"w0": "w1", "w2": "w2", "w1": "w3", "w3": "w4",
     "w4": "w5", "w6": "w6", "w5": "w7", "w7": "w8",
     "b0": "b1", "b1": "b1", "b2": "b2", "b3": "b2"}
)

#: Each parameter's edge in the network: (the input it multiplies, the net it feeds).
EDGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"w0": ("x0", "net0"), "w2": ("x1", "net0"), "w1": ("x0", "net1"), "w3": ("x1", "net1"),
     "w4": ("a0", "net2"), "w6": ("a1", "net2"), "w5": ("a0", "net3"), "w7": ("a1", "net3"),
     "b0": ("1", "net0"), "b1": ("1", "net1"), "b2": ("1", "net2"), "b3": ("1", "net3")}
)

#: The article's deltas (δ = dJ/dnet of a neuron), as text.
DELTAS: Mapping[str, str] = MappingProxyType(
    {
        "δ2": "-(y0 - o0) * o0(1 - o0)",
        "δ3": "-(y1 - o1) * o1(1 - o1)",
        "δ0": "(δ2*w4 + δ3*w5) * a0(1 - a0)",
        "δ1": "(δ2*w6 + δ3*w7) * a1(1 - a1)",
    }
)

#: The article's delta-rule formula for every dJ/dw_i and dJ/db_i, as text.
FORMULAS: Mapping[str, str] = MappingProxyType(
    {
        "w0": "δ0 * x0 = (δ2*w4 + δ3*w5) * a0(1 - a0) * x0",
        "w1": "δ1 * x0 = (δ2*w6 + δ3*w7) * a1(1 - a1) * x0",
        "w2": "δ0 * x1 = (δ2*w4 + δ3*w5) * a0(1 - a0) * x1",
        "w3": "δ1 * x1 = (δ2*w6 + δ3*w7) * a1(1 - a1) * x1",
        "w4": "-(y0 - o0) * o0(1 - o0) * a0",
        "w5": "-(y1 - o1) * o1(1 - o1) * a0",
        "w6": "-(y0 - o0) * o0(1 - o0) * a1",
        "w7": "-(y1 - o1) * o1(1 - o1) * a1",
        "b0": "δ0 = (δ2*w4 + δ3*w5) * a0(1 - a0)",
        "b1": "δ1 = (δ2*w6 + δ3*w7) * a1(1 - a1)",
        "b2": "δ2 = -(y0 - o0) * o0(1 - o0)",
        "b3": "δ3 = -(y1 - o1) * o1(1 - o1)",
    }
)

SIGMOID_NOTE = (
    "Sigmoid(x) = 1/(1 + e^-x). The article prints 1/(1 - e^-x), a typo: that function blows "
    "up at x = 0 and leaves (0, 1), giving a0 = 3.18 instead of 0.5933 (the rule "
    "f' = f(1 - f) it then uses happens to hold for both)."
)

_ARCHITECTURE = {"type": "MLP", "nin": 2, "nouts": [2, 2], "activations": ["sigmoid"] * 2}


# -- the network ---------------------------------------------------------------------------


def article_parameters(model: MLP) -> dict[str, Value]:
    """The article's name -> parameter Value of a 2-2-2 ``MLP``.

    Neuron ``j`` of a layer holds ``w = [w_j, w_{j+2}]`` (the weights from input 0 and 1)
    and bias ``b_j`` (hidden) or ``b_{j+2}`` (output).
    """
    _check_model(model)
    (h0, h1), (o0, o1) = (layer.neurons for layer in model.layers)
    return {
        "w0": h0.w[0], "w1": h1.w[0], "w2": h0.w[1], "w3": h1.w[1],
        "w4": o0.w[0], "w5": o1.w[0], "w6": o0.w[1], "w7": o1.w[1],
        "b0": h0.b, "b1": h1.b, "b2": o0.b, "b3": o1.b,
    }


def build_network(example: WorkedExample = WORKED_EXAMPLE) -> MLP:
    """The article's 2-2-2 sigmoid MLP with the example's weights and biases.

    Its parameters are labelled ``w0``..``w7`` and ``b0``..``b3`` (the article's names).
    """
    model = MLP(2, [2, 2], activation="sigmoid", seed=0)
    values = {**example.weights, **example.biases}
    for name, p in article_parameters(model).items():
        p.data = float(values[name])
        p.label = name
    return model


@dataclass
class ArticlePass:
    """One forward pass of the article's network: every node, labelled with its name.

    ``J.backward()`` then fills every ``.grad``; ``params`` maps ``"w0"``..``"b3"`` to the
    parameter Values (``params["w5"].grad`` is the article's ``dJ/dw5``).
    """

    x0: Value
    x1: Value
    y0: Value
    y1: Value
    net0: Value
    net1: Value
    net2: Value
    net3: Value
    a0: Value
    a1: Value
    o0: Value
    o1: Value
    J: Value
    params: dict[str, Value] = field(default_factory=dict)

    def nodes(self) -> dict[str, Value]:
        """Every node of the pass by its article name (inputs, targets, nets, outputs, J)."""
        names = ("x0", "x1", "y0", "y1", "net0", "net1", "net2", "net3",
                 "a0", "a1", "o0", "o1", "J")
        return {name: getattr(self, name) for name in names}


def forward(
    model: MLP,
    inputs: Sequence[float] = WORKED_EXAMPLE.inputs,
    targets: Sequence[float] = WORKED_EXAMPLE.targets,
) -> ArticlePass:
    """The forward pass of the article's network, with every node named as the article does.

    ``net_j = Σ w x + b`` (one weighted-sum node each), ``a_j``/``o_j = Sigmoid(net_j)``, and
    ``J = 1/2 Σ (y_i - o_i)^2`` (one ``half_sse`` node). ``model`` must be a 2-2-2 sigmoid
    ``MLP`` (``ValueError`` otherwise); ``inputs`` and ``targets`` are two numbers each.
    """
    params = article_parameters(model)
    x0, x1 = _pair(inputs, "inputs", ("x0", "x1"))
    y0, y1 = _pair(targets, "targets", ("y0", "y1"))
    (h0, h1), (n2, n3) = (layer.neurons for layer in model.layers)
    net0 = h0.net([x0, x1])
    net1 = h1.net([x0, x1])
    a0 = net0.sigmoid()
    a1 = net1.sigmoid()
    net2 = n2.net([a0, a1])
    net3 = n3.net([a0, a1])
    o0 = net2.sigmoid()
    o1 = net3.sigmoid()
    J = squared_error([o0, o1], [y0, y1], "half_sum")
    named = {"net0": net0, "net1": net1, "net2": net2, "net3": net3,
             "a0": a0, "a1": a1, "o0": o0, "o1": o1, "J": J}
    for name, node in named.items():
        node.label = name
    return ArticlePass(x0, x1, y0, y1, net0, net1, net2, net3, a0, a1, o0, o1, J, params)


def _check_model(model: object) -> None:
    if not isinstance(model, MLP):
        raise TypeError(
            f"expected the article's MLP(2, [2, 2], activation='sigmoid'), "
            f"not {type(model).__name__}"
        )
    if model.architecture() != _ARCHITECTURE:
        raise ValueError(
            f"the article's network is a 2-2-2 sigmoid MLP, not {model.architecture()}"
        )


def _pair(values: object, what: str, labels: tuple[str, str]) -> tuple[Value, Value]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{what} must be two numbers, not {type(values).__name__}")
    if len(values) != 2:
        raise ValueError(f"{what} must be two numbers, got {len(values)}")
    first, second = (_number(v, f"{what}[{i}]") for i, v in enumerate(values))
    return Value(first, labels[0]), Value(second, labels[1])


def _number(value: object, what: str) -> float:
    if isinstance(value, Value):
        return value.data
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a real number, not {type(value).__name__}: {value!r}")
    return _float(value)


def _float(value: float) -> float:
    """``float(value)``, an int beyond the float range rounding to ``±inf`` (IEEE) instead of
    raising ``OverflowError``."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


# -- the article's formulas in plain floats ------------------------------------------------


def _sigmoid(x: float) -> float:
    """``1 / (1 + e^-x)`` on a float, written ``e^x / (1 + e^x)`` for ``x < 0`` so that
    ``e^-x`` never overflows: ``Sigmoid(-1000) = 0``, ``Sigmoid(±inf) = 1, 0``,
    ``Sigmoid(nan) = nan``."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0 or nan: e <= 1, no overflow
    return e / (1.0 + e)


def hand_forward(
    inputs: Sequence[float] = WORKED_EXAMPLE.inputs,
    targets: Sequence[float] = WORKED_EXAMPLE.targets,
    weights: Mapping[str, float] = WORKED_EXAMPLE.weights,
    biases: Mapping[str, float] = WORKED_EXAMPLE.biases,
) -> dict[str, float]:
    """The forward pass in plain floats: ``net0..net3, a0, a1, o0, o1, J``.

    ``net0 = w0 x0 + w2 x1 + b0``, ``net1 = w1 x0 + w3 x1 + b1``, ``a_j = Sigmoid(net_j)``;
    ``net2 = w4 a0 + w6 a1 + b2``, ``net3 = w5 a0 + w7 a1 + b3``, ``o_j = Sigmoid(net_{j+2})``;
    ``J = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2``. No engine involved. IEEE arithmetic
    throughout: huge numbers give ``inf`` or ``nan``, never ``OverflowError``.
    """
    x0, x1 = (_float(v) for v in inputs)
    y0, y1 = (_float(v) for v in targets)
    w = {name: _float(v) for name, v in weights.items()}
    b = {name: _float(v) for name, v in biases.items()}
    net0 = w["w0"] * x0 + w["w2"] * x1 + b["b0"]
    net1 = w["w1"] * x0 + w["w3"] * x1 + b["b1"]
    a0 = _sigmoid(net0)
    a1 = _sigmoid(net1)
    net2 = w["w4"] * a0 + w["w6"] * a1 + b["b2"]
    net3 = w["w5"] * a0 + w["w7"] * a1 + b["b3"]
    o0 = _sigmoid(net2)
    o1 = _sigmoid(net3)
    e0, e1 = y0 - o0, y1 - o1
    J = 0.5 * (e0 * e0) + 0.5 * (e1 * e1)  # not ** 2, which raises OverflowError on floats
    return {"net0": net0, "net1": net1, "a0": a0, "a1": a1,
            "net2": net2, "net3": net3, "o0": o0, "o1": o1, "J": J}


def hand_gradients(
    inputs: Sequence[float] = WORKED_EXAMPLE.inputs,
    targets: Sequence[float] = WORKED_EXAMPLE.targets,
    weights: Mapping[str, float] = WORKED_EXAMPLE.weights,
    biases: Mapping[str, float] = WORKED_EXAMPLE.biases,
) -> dict[str, float]:
    """The article's delta rule in plain floats: ``{"w0": dJ/dw0, ..., "b3": dJ/db3}``.

    Output neurons: ``δ2 = -(y0 - o0) o0(1 - o0)``, ``δ3 = -(y1 - o1) o1(1 - o1)``; hidden:
    ``δ0 = (δ2 w4 + δ3 w5) a0(1 - a0)``, ``δ1 = (δ2 w6 + δ3 w7) a1(1 - a1)``. Then
    ``dJ/dw = δ(of the net it feeds) * (the input it multiplies)`` and ``dJ/db_j = δ_j``:
    e.g. ``dJ/dw5 = -(y1 - o1) o1(1 - o1) a0``. No engine involved.
    """
    x0, x1 = (_float(v) for v in inputs)
    y0, y1 = (_float(v) for v in targets)
    f = hand_forward(inputs, targets, weights, biases)
    a0, a1, o0, o1 = f["a0"], f["a1"], f["o0"], f["o1"]
    w = {name: _float(v) for name, v in weights.items()}
    d2 = -(y0 - o0) * o0 * (1.0 - o0)
    d3 = -(y1 - o1) * o1 * (1.0 - o1)
    d0 = (d2 * w["w4"] + d3 * w["w5"]) * a0 * (1.0 - a0)
    d1 = (d2 * w["w6"] + d3 * w["w7"]) * a1 * (1.0 - a1)
    return {
        "w0": d0 * x0, "w1": d1 * x0, "w2": d0 * x1, "w3": d1 * x1,
        "w4": d2 * a0, "w5": d3 * a0, "w6": d2 * a1, "w7": d3 * a1,
        "b0": d0, "b1": d1, "b2": d2, "b3": d3,
    }


def hand_deltas(
    inputs: Sequence[float] = WORKED_EXAMPLE.inputs,
    targets: Sequence[float] = WORKED_EXAMPLE.targets,
    weights: Mapping[str, float] = WORKED_EXAMPLE.weights,
    biases: Mapping[str, float] = WORKED_EXAMPLE.biases,
) -> dict[str, float]:
    """The article's ``δ_j = dJ/dnet_j`` in plain floats (``δ_j = dJ/db_j``)."""
    g = hand_gradients(inputs, targets, weights, biases)
    return {"δ0": g["b0"], "δ1": g["b1"], "δ2": g["b2"], "δ3": g["b3"]}


# -- the article's formulas in symbols -------------------------------------------------------


def article_formulas() -> dict[str, Any]:
    """The article's delta rule as SymPy expressions, typed from its text (:data:`FORMULAS`):
    ``{"w5": -(y1 - o1)*o1*(1 - o1)*a0, ...}`` in the symbols ``x0 x1 y0 y1 a0 a1 o0 o1
    w4..w7``. Needs SymPy (``pip install backprop-lens[symbolic]``)."""
    from autograd.symbolic import sympy_module

    sp = sympy_module()
    x0, x1, y0, y1, a0, a1, o0, o1 = sp.symbols("x0 x1 y0 y1 a0 a1 o0 o1")
    w4, w5, w6, w7 = sp.symbols("w4 w5 w6 w7")
    d2 = -(y0 - o0) * o0 * (1 - o0)
    d3 = -(y1 - o1) * o1 * (1 - o1)
    d0 = (d2 * w4 + d3 * w5) * a0 * (1 - a0)
    d1 = (d2 * w6 + d3 * w7) * a1 * (1 - a1)
    return {
        "w0": d0 * x0, "w1": d1 * x0, "w2": d0 * x1, "w3": d1 * x1,
        "w4": d2 * a0, "w5": d3 * a0, "w6": d2 * a1, "w7": d3 * a1,
        "b0": d0, "b1": d1, "b2": d2, "b3": d3,
    }


def print_formulas(out: TextIO, p: ArticlePass, hand: Mapping[str, float]) -> bool:
    """``--formulas``: each ``dJ/dp`` as :func:`autograd.formula` derives it from ``p``'s
    graph, beside the article's hand formula (:data:`FORMULAS`, as :func:`article_formulas`),
    whether ``sympy.simplify(derived - article) == 0``, and the number of each at the pass's
    point (the derived one evaluated at the graph's numbers, the article's in plain floats,
    ``hand``). Returns whether all twelve are equal. ``ImportError`` without SymPy."""
    from autograd.symbolic import evaluate, formula, sympy_module

    sp = sympy_module()
    typed = article_formulas()
    print("\nFormulas: dJ/dp derived from the graph by autograd.formula (the chain rule in "
          "symbols, SymPy), beside the article's hand formula", file=out)
    all_equal = True
    for name in PARAMETER_NAMES:
        derived = formula(p.J, p.params[name])
        equal = sp.simplify(derived - typed[name]) == 0
        all_equal = all_equal and equal
        print(f"  dJ/d{name}", file=out)
        print(f"    derived: {sp.sstr(derived)}", file=out)
        print(f"    article: {FORMULAS[name]}", file=out)
        print(f"    equal (sympy.simplify(derived - article) == 0): {'yes' if equal else 'NO'}",
              file=out)
        print(f"    at the worked example: derived {_fmt(evaluate(derived, p.J))}, "
              f"article {_fmt(hand[name])}", file=out)
    print(f"  all {len(PARAMETER_NAMES)} equal: {'yes' if all_equal else 'NO'}", file=out)
    return all_equal


# -- the command ---------------------------------------------------------------------------


def _fmt(x: float) -> str:
    """12 decimals between 1e-4 and 1e6 (and for 0), else 12 decimals in scientific form;
    ``inf``, ``-inf``, ``nan`` as such."""
    return f"{x:.12f}" if 1e-4 <= abs(x) < 1e6 or x == 0.0 else f"{x:.12e}"


NON_FINITE_NOTE = (
    "Some numbers above are not finite (inf or nan): the arithmetic follows IEEE 754, as "
    "PyTorch's does, so an overflow gives inf and inf - inf or 0 * inf gives nan; a smaller "
    "learning rate (--lr) keeps the numbers finite."
)


def _note_non_finite(out: TextIO, numbers: Iterable[float]) -> bool:
    """Print :data:`NON_FINITE_NOTE` if any of ``numbers`` is ``inf`` or ``nan``; say whether."""
    if all(math.isfinite(x) for x in numbers):
        return False
    print(f"  Note: {NON_FINITE_NOTE}", file=out)
    return True


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0.0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


#: The worked example's published cost after the first update (Mazur's "0.291027924"); the
#: update computed in plain floats gives 0.29102777369..., the engine's number.
PUBLISHED_FIRST_UPDATE_J = "0.291027924"

DEFAULT_GRAPH = "article_graph.svg"
#: Suffixes that write the Graphviz source itself (no `dot` needed).
SOURCE_SUFFIXES = (".dot", ".gv")
#: Suffixes named first in messages; any suffix naming one of Graphviz's output formats works.
COMMON_GRAPH_SUFFIXES = (".svg", ".png", ".pdf", ".jpg", ".dot", ".gv")
#: Graphviz "formats" that open a window instead of writing a file.
_NOT_FILE_FORMATS = frozenset({"gtk", "x11", "xlib"})


def graph_format(path: str | os.PathLike[str]) -> str:
    """The output format that ``path``'s suffix names, as Graphviz's ``render(outfile=...)``
    infers it: the last suffix without its dot, lower-cased (``g.SVG`` and ``g.gv.svg`` give
    ``"svg"``), one of ``graphviz.FORMATS`` that writes a file. ``"dot"`` and ``"gv"`` mean
    the Graphviz source. A missing or unknown suffix is a ``ValueError`` that lists them.
    """
    import graphviz  # only when a picture is asked for

    target = Path(os.fspath(path))
    fmt = target.suffix[1:].lower()
    if fmt in graphviz.FORMATS and fmt not in _NOT_FILE_FORMATS:
        return str(fmt)
    what = (f"the suffix {target.suffix!r} of {os.fspath(path)!r} is not a Graphviz output "
            "format" if target.suffix else f"{os.fspath(path)!r} has no suffix to name a format")
    others = sorted(f".{f}" for f in graphviz.FORMATS
                    if f not in _NOT_FILE_FORMATS and f".{f}" not in COMMON_GRAPH_SUFFIXES)
    raise ValueError(
        f"{what}: use {', '.join(COMMON_GRAPH_SUFFIXES[:-1])} or {COMMON_GRAPH_SUFFIXES[-1]} "
        f"(.dot and .gv write the Graphviz source), or another of Graphviz's formats: "
        f"{', '.join(others)}"
    )


def _graph_path(text: str) -> Path:
    """``--graph PATH``, checked before any work: a known suffix (see :func:`graph_format`)
    and an existing, writable directory."""
    path = Path(text)
    try:
        graph_format(path)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return _writable_path(text, path)


def _html_path(text: str) -> Path:
    """``--html PATH``, checked before any work, as ``--graph``: an existing, writable
    directory, and not a directory itself."""
    return _writable_path(text, Path(text))


def _writable_path(text: str, path: Path) -> Path:
    """``path`` if its directory exists and is writable and it is no directory itself."""
    directory = path.parent
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise argparse.ArgumentTypeError(
            f"cannot write {text!r}: the directory {os.fspath(directory)!r} {what}"
        )
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: it is a directory")
    if not os.access(directory, os.W_OK):
        raise argparse.ArgumentTypeError(
            f"cannot write {text!r}: the directory {os.fspath(directory)!r} is not writable"
        )
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nn.article",
        description="The article's 2-2-2 sigmoid network on the worked example: the forward "
        "pass, J(W), every dJ/dw_i beside the article's delta-rule formula, the weights after "
        "one update, optional training, and a picture of the graph.",
    )
    parser.add_argument("--steps", type=_positive_int, default=0, metavar="N",
                        help="then train for N gradient steps from the initial weights "
                        "(weights only, unless --train-biases; default 0)")
    parser.add_argument("--lr", type=_learning_rate, default=WORKED_EXAMPLE.learning_rate,
                        help="learning rate a in w <- w - a dJ/dw (default 0.5)")
    parser.add_argument("--train-biases", action="store_true",
                        help="update the biases too (the worked example keeps them fixed)")
    graph = parser.add_mutually_exclusive_group()
    graph.add_argument("--graph", type=_graph_path, default=None, metavar="PATH",
                       help="where to write the graph picture, in the format its suffix names "
                       f"({', '.join(COMMON_GRAPH_SUFFIXES)}, or any other Graphviz output "
                       "format; .dot and .gv write the Graphviz source); the directory must "
                       f"exist (default {DEFAULT_GRAPH})")
    graph.add_argument("--no-graph", action="store_true", help="do not draw the graph")
    parser.add_argument("--html", type=_html_path, metavar="PATH",
                        help="also write the interactive explorer page (autograd.explore) of "
                        "the article's graph to PATH (the directory must exist)")
    parser.add_argument("--formulas", action="store_true",
                        help="print every dJ/dw_i and dJ/db_i as autograd.formula derives it "
                        "from the graph (SymPy, the chain rule in the article's symbols), "
                        "beside the article's hand formula, whether SymPy finds them equal, "
                        "and both numbers (needs: pip install backprop-lens[symbolic])")
    parser.add_argument("--show-code", action="store_true",
                        help="print the forward and backward that autograd.compile generates "
                        "for the network, beside the article's delta rule")
    return parser


def _print_names(out: TextIO, example: WorkedExample) -> None:
    print("Parameters: the article's names (Mazur's names in the worked example)", file=out)
    print("  article  Mazur  edge            value", file=out)
    values = {**example.weights, **example.biases}
    for name in ("w0", "w2", "w1", "w3", "w4", "w6", "w5", "w7", "b0", "b1", "b2", "b3"):
        source, target = EDGES[name]
        edge = f"{source} -> {target}"
        print(f"  {name:<8} {MAZUR_NAMES[name]:<6} {edge:<15} {values[name]:g}", file=out)
    x0, x1 = example.inputs
    y0, y1 = example.targets
    print(f"  inputs x0 = {x0:g}, x1 = {x1:g}; targets y0 = {y0:g}, y1 = {y1:g}", file=out)


def _print_forward(out: TextIO, p: ArticlePass) -> None:
    print("\nForward pass", file=out)
    print(f"  {SIGMOID_NOTE}", file=out)
    rows = [
        ("net0", "w0*x0 + w2*x1 + b0", "a0", p.net0, p.a0),
        ("net1", "w1*x0 + w3*x1 + b1", "a1", p.net1, p.a1),
        ("net2", "w4*a0 + w6*a1 + b2", "o0", p.net2, p.o0),
        ("net3", "w5*a0 + w7*a1 + b3", "o1", p.net3, p.o1),
    ]
    for net_name, formula, act_name, net, act in rows:
        print(f"  {net_name} = {formula} = {_fmt(net.data)}    "
              f"{act_name} = Sigmoid({net_name}) = {_fmt(act.data)}", file=out)
    print(f"  J(W) = 1/2 (y0 - o0)^2 + 1/2 (y1 - o1)^2 = {_fmt(p.J.data)}", file=out)
    _note_non_finite(out, [node.data for node in p.nodes().values()])


def _print_gradients(
    out: TextIO, p: ArticlePass, hand: Mapping[str, float], deltas: Mapping[str, float]
) -> float:
    print("\nGradients: the engine's backward() beside the article's delta rule "
          "(plain floats)", file=out)
    print("  δ_j = dJ/dnet_j:", file=out)
    for name, formula in DELTAS.items():
        print(f"  {name} = {formula} = {_fmt(deltas[name])}", file=out)
    print(f"  {'param':<6} {'engine dJ/dp':>19} {'article (hand)':>19} {'difference':>11}"
          f"  article formula", file=out)
    differences = []
    for name in PARAMETER_NAMES:
        engine = p.params[name].grad
        difference = engine - hand[name]
        differences.append(abs(difference))
        print(f"  {name:<6} {_fmt(engine):>19} {_fmt(hand[name]):>19} {difference:>11.1e}"
              f"  {FORMULAS[name]}", file=out)
    # nan-aware: max() would skip a nan that comes after a number
    worst = math.nan if any(math.isnan(d) for d in differences) else max(differences)
    print(f"  largest |difference|: {worst:.1e}", file=out)
    _note_non_finite(out, [p.params[name].grad for name in PARAMETER_NAMES])
    return worst


def _print_update(
    out: TextIO, p: ArticlePass, hand: Mapping[str, float], lr: float, train_biases: bool,
    example: WorkedExample,
) -> None:
    names = PARAMETER_NAMES if train_biases else WEIGHT_NAMES
    fixed = "weights and biases" if train_biases else (
        "weights only; the biases stay fixed, as in the worked example"
    )
    print(f"\nOne update: w_i <- w_i - a * dJ/dw_i with a = {lr:g} ({fixed})", file=out)
    before = {name: p.params[name].data for name in names}
    SGD([p.params[name] for name in names], lr=lr).step()
    print(f"  {'param':<6} {'before':>15} {'after (engine)':>19} {'after (hand)':>19}"
          f" {'difference':>11}", file=out)
    for name in names:
        after = p.params[name].data
        by_hand = before[name] - lr * hand[name]
        print(f"  {name:<6} {_fmt(before[name]):>15} {_fmt(after):>19} {_fmt(by_hand):>19}"
              f" {after - by_hand:>11.1e}", file=out)
    weights = {name: p.params[name].data for name in WEIGHT_NAMES}
    biases = {name: p.params[name].data for name in BIAS_NAMES}
    after_j = hand_forward(example.inputs, example.targets, weights, biases)["J"]
    print(f"  J(W) after the update = {_fmt(after_j)} (was {_fmt(p.J.data)})", file=out)
    _note_non_finite(out, [*weights.values(), *biases.values(), after_j])
    if example is WORKED_EXAMPLE and lr == 0.5 and not train_biases:
        print(f"  The worked example publishes {PUBLISHED_FIRST_UPDATE_J} for this cost; the "
              f"engine's is {after_j:.9f}.", file=out)
        print("  The same update computed in plain floats (also from the example's own rounded "
              "weights) agrees with the engine: the published figure is off in its 7th "
              "significant digit.", file=out)


def train(
    steps: int,
    lr: float = WORKED_EXAMPLE.learning_rate,
    *,
    train_biases: bool = False,
    example: WorkedExample = WORKED_EXAMPLE,
    out: TextIO | None = None,
) -> tuple[MLP, list[float]]:
    """Train the article's network from the example's initial weights for ``steps`` steps.

    Each step: ``J = 1/2 Σ (y - o)^2``, ``zero_grad``, ``backward``, then
    ``w <- w - lr dJ/dw`` for the weights (and the biases with ``train_biases``). Returns the
    model and the cost before each step plus the final cost (``steps + 1`` numbers). With
    ``out``, prints progress: an in-place line on a terminal, else about ten lines.
    """
    model = build_network(example)
    params = article_parameters(model)
    names = PARAMETER_NAMES if train_biases else WEIGHT_NAMES
    optimizer = SGD([params[name] for name in names], lr=lr)
    x = list(example.inputs)
    y = list(example.targets)
    costs: list[float] = []
    tty = out is not None and out.isatty()
    every = max(1, steps // 10) if not tty else max(1, steps // 200)
    for step in range(steps):
        J = mse_loss(model(x), y, "half_sum")
        model.zero_grad()
        J.backward()
        optimizer.step()
        costs.append(J.data)
        if out is not None and (step % every == 0 or step == steps - 1):
            line = f"  step {step + 1:>{len(str(steps))}}/{steps}  J(W) = {_fmt(J.data)}"
            if tty:
                out.write("\r" + line)
                out.flush()
            else:
                print(line, file=out)
    costs.append(mse_loss(model(x), y, "half_sum").data)
    if tty and out is not None:
        out.write("\n")
    return model, costs


def _print_training(out: TextIO, steps: int, lr: float, train_biases: bool,
                    example: WorkedExample) -> None:
    what = "weights and biases" if train_biases else "weights only, biases fixed"
    print(f"\nTraining: {steps} steps from the initial weights, a = {lr:g} ({what})", file=out)
    print("  (J(W) at step k: the cost of the k-th forward pass, before its update)", file=out)
    model, costs = train(steps, lr, train_biases=train_biases, example=example, out=out)
    outputs = model.outputs(list(example.inputs))
    falls = all(b < a for a, b in itertools.pairwise(costs))
    print(f"  after {steps} steps: J(W) = {_fmt(costs[-1])}", file=out)
    print(f"  o0 = {_fmt(outputs[0].data)} (target {example.targets[0]:g}), "
          f"o1 = {_fmt(outputs[1].data)} (target {example.targets[1]:g})", file=out)
    print(f"  J(W) fell at every step: {'yes' if falls else 'no'}", file=out)
    _note_non_finite(out, [*costs, *(o.data for o in outputs)])
    if steps == 10_000 and not train_biases and lr == 0.5:
        print("  The worked example reports J = 0.0000351085 \"after repeating this process "
              "10,000 times\": the cost of the 10,000th forward pass (after 9,999 updates), "
              "the last progress line above.", file=out)


def write_graph(root: Value, highlight: Value | None, path: str | os.PathLike[str]) -> str:
    """Draw the graph under ``root`` and write it to ``path``; return a one-line message.

    The drawing is ``autograd.draw_dot(root, edge_labels=True, highlight=highlight)``; see
    :func:`write_drawing` for the file formats and the fallback without Graphviz.
    """
    return write_drawing(draw_dot(root, edge_labels=True, highlight=highlight), path)


def write_drawing(graph: Any, path: str | os.PathLike[str]) -> str:
    """Write a drawn ``graphviz.Digraph`` to ``path``; return a one-line message.

    The format is the one ``path``'s suffix names (:func:`graph_format`: ``.svg``, ``.png``,
    ``.pdf``, ... any of Graphviz's output formats; another suffix is a ``ValueError``),
    rendered with Graphviz's ``dot``; when ``dot`` is missing or fails, the ``.dot`` source
    is written next to it instead, with a hint to install Graphviz. A ``.dot``/``.gv`` path
    gets the source directly.
    """
    target = Path(os.fspath(path))
    fmt = graph_format(target)
    source: str = graph.source
    if target.suffix.lower() in SOURCE_SUFFIXES:
        target.write_text(source, encoding="utf-8")
        return f"wrote the graph's Graphviz source to {target}"
    try:
        picture: bytes = graph.pipe(format=fmt)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        # graphviz.ExecutableNotFound is a RuntimeError; a broken `dot` a CalledProcessError.
        dot_path = target.with_suffix(".dot")
        dot_path.write_text(source, encoding="utf-8")
        return (
            f"Graphviz's `dot` did not work ({type(error).__name__}); wrote the source to "
            f"{dot_path} instead. Install it (apt-get install graphviz), then run: "
            f"dot -T{fmt} {dot_path} -o {target}"
        )
    target.write_bytes(picture)
    return f"wrote the graph picture to {target}"


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """``python -m nn.article``: the article's worked example, end to end.

    Prints the parameter names, the forward pass and ``J(W)``, every ``dJ/dw_i`` and
    ``dJ/db_i`` from the engine beside the article's formula evaluated by hand, the weights
    after one update, optionally ``--steps N`` of training, and writes the graph picture.
    The report goes to ``out`` (default ``sys.stdout``), errors to ``sys.stderr``.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.no_graph and args.graph is None:
        # the default path is checked like a given one (argparse would check it even with
        # --no-graph, when nothing is written)
        try:
            args.graph = _graph_path(DEFAULT_GRAPH)
        except argparse.ArgumentTypeError as error:
            parser.error(f"argument --graph: {error}")
    out = sys.stdout if out is None else out
    example = WORKED_EXAMPLE
    print("The article's 2-2-2 sigmoid network on the worked example (Matt Mazur, "
          "\"A Step by Step Backpropagation Example\")", file=out)
    print("  J(W) = 1/2 sum_i (y_i - o_i)^2;  w_i <- w_i - a * dJ/dw_i", file=out)
    _print_names(out, example)

    model = build_network(example)
    p = forward(model, example.inputs, example.targets)
    p.J.backward()
    hand = hand_gradients(example.inputs, example.targets, example.weights, example.biases)
    deltas = hand_deltas(example.inputs, example.targets, example.weights, example.biases)
    _print_forward(out, p)
    _print_gradients(out, p, hand, deltas)
    if args.formulas:
        try:
            print_formulas(out, p, hand)
        except ImportError as error:
            print(f"\n--formulas: {error}", file=sys.stderr)
            return 1
    if args.show_code:
        from nn.article_code import print_code

        print_code(out, example)
    graph_message = ""
    graph: Any = None
    if not args.no_graph:
        # Draw now, while the nodes hold this pass's numbers (the update below changes them).
        graph = _draw(p)
    _print_update(out, p, hand, args.lr, args.train_biases, example)
    if args.steps:
        _print_training(out, args.steps, args.lr, args.train_biases, example)
    print("\nNotes on the article's text (docs/article.md describes the article)", file=out)
    print("  - It writes net3 = w5 a0 + w7 a1 + b1; with one bias per neuron (b0..b3) that bias "
          "is b3.", file=out)
    print("  - Its hidden-layer example differentiates w1 through a0 and net0; in its own "
          "notation w1 feeds net1 (x0 -> net1), and the weight from x0 into net0 is w0.",
          file=out)
    if graph is not None:
        try:
            graph_message = write_drawing(graph, args.graph)
        except OSError as error:
            print(f"\nGraph: could not write {args.graph}: {error}", file=sys.stderr)
            return 1
        print(f"\nGraph: {graph_message} (J's graph, edges labelled with local derivatives, "
              "the path from w5 to J highlighted)", file=out)
    if args.html:
        try:
            written = write_explorer(args.html, args.lr, example)
        except OSError as error:
            print(f"\nExplorer: could not write {args.html}: {error}", file=sys.stderr)
            return 1
        print(f"\nExplorer: wrote the interactive page to {written} (open it in a browser)",
              file=out)
    return 0


def write_explorer(
    path: str | os.PathLike[str], lr: float = WORKED_EXAMPLE.learning_rate,
    example: WorkedExample = WORKED_EXAMPLE,
) -> Path:
    """Write ``autograd.explore`` of the article's fresh forward pass to ``path`` (the
    article's names; w0..w7 and b0..b3 marked as parameters, SGD rate ``lr``)."""
    p = forward(build_network(example), example.inputs, example.targets)
    page = explore(p.J, params=[p.params[name] for name in PARAMETER_NAMES], lr=lr,
                   title="The article's network: backpropagation step by step")
    return page.save(path)


def _draw(p: ArticlePass) -> Any:
    return draw_dot(p.J, edge_labels=True, highlight=p.params["w5"])


if __name__ == "__main__":
    raise SystemExit(main())
