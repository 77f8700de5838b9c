"""The article's network as generated code: ``python -m nn.article --show-code``.

:func:`autograd.compile` traces the article's forward pass (:func:`nn.article.forward`,
whose nodes carry the article's names) and writes its forward and backward as one Python
function. Its backward *is* the delta rule, line by line: ``g_v`` is ``dJ/dv``, so
``g_net3`` is the article's ``δ3`` and ``g_w5 = g_net3 * a0`` is ``dJ/dw5 = δ3 * a0``.
:func:`print_code` prints that function and then each backward line beside the article's
formula (:data:`nn.article.DELTAS`, :data:`nn.article.FORMULAS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TextIO

import autograd
from autograd.compile import Compiled
from nn.article import (
    DELTAS,
    FORMULAS,
    PARAMETER_NAMES,
    WORKED_EXAMPLE,
    WorkedExample,
    article_parameters,
    build_network,
    forward,
    hand_gradients,
)

#: d J / d (an output or hidden activation), as the article writes them.
ACTIVATION_FORMULAS: Mapping[str, str] = {
    "o0": "-(y0 - o0)",
    "o1": "-(y1 - o1)",
    "a0": "δ2*w4 + δ3*w5",
    "a1": "δ2*w6 + δ3*w7",
}


def article_step(example: WorkedExample = WORKED_EXAMPLE) -> tuple[Compiled, dict[str, float]]:
    """The compiled article iteration (no arguments: the example's inputs and targets are
    constants) and the gradients its first call accumulated, by parameter name."""
    model = build_network(example)

    def article_loss() -> autograd.Value:
        return forward(model, example.inputs, example.targets).J

    step = autograd.compile(article_loss)
    step()
    return step, {name: p.grad for name, p in article_parameters(model).items()}


def generated_code(source: str) -> str:
    """The function of ``source`` without the argument guard (the part a reader reads)."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "# forward")
    return "\n".join([lines[0], *lines[start:]]) + "\n"


def _formula(variable: str) -> str | None:
    """The article's formula for the gradient variable ``g_<name>``, if it has one."""
    name = variable.removeprefix("g_")
    if name in FORMULAS:
        return f"dJ/d{name} = {FORMULAS[name]}"
    if name.startswith("net") and f"δ{name[3:]}" in DELTAS:
        return f"δ{name[3:]} = dJ/d{name} = {DELTAS['δ' + name[3:]]}"
    if name in ACTIVATION_FORMULAS:
        return f"dJ/d{name} = {ACTIVATION_FORMULAS[name]}"
    return None


def print_code(out: TextIO, example: WorkedExample = WORKED_EXAMPLE) -> float:
    """Print the generated code, the delta-rule mapping and a check; the largest
    ``|dJ/dp (generated code) - dJ/dp (article's formula)|``."""
    step, grads = article_step(example)
    code = generated_code(step.source)
    print("\nGenerated code: autograd.compile(article_loss).source, the forward and the "
          "backward as one Python function", file=out)
    print("  (forward: one line per node; backward: g_v = dJ/dv, in reverse creation order; "
          "_w5 is the parameter Value w5,\n   _w5._data its number, _w5._grad its gradient)\n",
          file=out)
    print(code, file=out)
    print("The backward beside the article's delta rule (g_v = dJ/dv):", file=out)
    rows = []
    for line in code.splitlines():
        match = re.match(r"\s+(g_\w+) = (.+)$", line)
        if match:
            formula = _formula(match.group(1))
            if formula is not None:
                rows.append((f"{match.group(1)} = {match.group(2)}", formula))
    width = max(len(left) for left, _ in rows)
    for left, right in rows:
        print(f"  {left:<{width}}  <->  {right}", file=out)
    hand = hand_gradients(example.inputs, example.targets, example.weights, example.biases)
    worst = max(abs(grads[name] - hand[name]) for name in PARAMETER_NAMES)
    print(f"  running it: dJ/dp from the generated code vs the article's formulas in plain "
          f"floats, largest |difference| {worst:.1e}", file=out)
    return worst
