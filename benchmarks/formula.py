"""How long ``autograd.formula`` takes to derive the chain rule in symbols (needs SymPy).

    python -m benchmarks.formula            # the table (a few seconds)
    python -m benchmarks.formula --quick    # CI smoke mode: one run of each row

Rows (issue 19), each the median of several runs with SymPy's cache cleared before each run
(so every run derives from scratch), in this process:

e1. the article's 2-2-2 network: all 12 partials ``dJ/dw0 .. dJ/db3``, labels form (the
    article's delta rule, in its symbols); target < 1 s for the twelve.
e2. the same 12 partials in the leaves form (everything written in the inputs, weights and
    targets); target < 2 s.
f1. one MLP neuron ``tanh(Σ w_i x_i + b)`` with 16 inputs: the 16 weight partials; target
    < 1 s.
f2. a whole MLP 3-16-16-1 (tanh), about 420 nodes: the partial of one first-layer weight
    (every path through both hidden layers); target < 5 s.

Every row checks its formulas: each, evaluated at the graph's numbers, is ``backward()``'s
gradient to 1e-12 relative, or the run fails loudly (exit status 2). ``--strict`` exits 1
when a target is missed.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd import Value
from autograd.backward import topological_order


@dataclass(frozen=True)
class Case:
    """One row: a graph, the nodes to differentiate by, and the target in seconds."""

    row: str
    title: str
    build: Callable[[], tuple[Value, list[Value]]]
    expand: str
    target: float


@dataclass(frozen=True)
class Timing:
    """The measured row: nodes, partials, median seconds over ``runs``, target met."""

    case: Case
    nodes: int
    partials: int
    seconds: float
    runs: int

    @property
    def met(self) -> bool:
        return self.seconds < self.case.target


def _article() -> tuple[Value, list[Value]]:
    from nn.article import PARAMETER_NAMES, build_network, forward

    p = forward(build_network())
    return p.J, [p.params[name] for name in PARAMETER_NAMES]


def _neuron() -> tuple[Value, list[Value]]:
    import random

    from nn import Neuron

    neuron = Neuron(16, "tanh", rng=random.Random(0))
    xs = [Value(0.1 * (i - 8), f"x{i}") for i in range(16)]
    return neuron(xs), list(neuron.w)


def _mlp() -> tuple[Value, list[Value]]:
    from nn import MLP

    model = MLP(3, [16, 16, 1], activation="tanh", seed=1)
    result = model([Value(0.5, "x0"), Value(-0.2, "x1"), Value(0.3, "x2")])
    out = result[0] if isinstance(result, list) else result
    return out, [model.layers[0].neurons[0].w[0]]


CASES = (
    Case("e1", "article 2-2-2: 12 partials, labels form (delta rule)", _article, "labels", 1.0),
    Case("e2", "article 2-2-2: 12 partials, leaves form", _article, "leaves", 2.0),
    Case("f1", "MLP neuron, 16 inputs, tanh: 16 weight partials", _neuron, "labels", 1.0),
    Case("f2", "MLP 3-16-16-1 (tanh): one first-layer weight", _mlp, "labels", 5.0),
)


def measure(case: Case, runs: int) -> Timing:
    """Median seconds to derive every partial of ``case``, SymPy's cache cleared before each
    run; each formula checked against ``backward()`` (``RuntimeError`` if one differs)."""
    from sympy.core.cache import clear_cache

    from autograd.symbolic import evaluate, formula

    root, wrts = case.build()
    root.backward()
    times = []
    formulas: list[Any] = []
    for _ in range(runs):
        clear_cache()
        start = time.perf_counter()
        formulas = [formula(root, w, expand=case.expand) for w in wrts]  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    for w, f in zip(wrts, formulas):
        value = evaluate(f, root, expand=case.expand)  # type: ignore[arg-type]
        if not math.isclose(value, w.grad, rel_tol=1e-12, abs_tol=1e-15):
            raise RuntimeError(f"row {case.row}: formula gives {value!r}, backward() "
                               f"{w.grad!r} for {w.label or 'a weight'}")
    return Timing(case, len(topological_order(root)), len(wrts), statistics.median(times), runs)


def table(timings: list[Timing]) -> str:
    """The printed table."""
    import sympy

    lines = [
        f"autograd.formula: the chain rule in symbols (SymPy {sympy.__version__}; median of "
        f"{timings[0].runs} run(s), SymPy's cache cleared before each)",
        f"  {'row':<4} {'graph':<55} {'nodes':>6} {'partials':>9} {'seconds':>9} "
        f"{'target':>8}  met",
    ]
    for t in timings:
        lines.append(f"  {t.case.row:<4} {t.case.title:<55} {t.nodes:>6} {t.partials:>9} "
                     f"{t.seconds:>9.3f} {'< ' + format(t.case.target, 'g') + ' s':>8}  "
                     f"{'yes' if t.met else 'NO'}")
    lines.append("  Every formula, evaluated at the graph's numbers, equals backward()'s "
                 "gradient to 1e-12.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.formula [--quick] [--runs N] [--strict]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.formula",
                                     description="Time autograd.formula (needs SymPy).")
    parser.add_argument("--quick", action="store_true", help="one run per row (CI smoke)")
    parser.add_argument("--runs", type=int, default=5, help="runs per row (default 5)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("argument --runs: must be >= 1")
    runs = 1 if args.quick else args.runs
    try:
        timings = [measure(case, runs) for case in CASES]
    except RuntimeError as error:
        print(f"benchmarks.formula: {error}", file=sys.stderr)
        return 2
    print(table(timings))
    return 1 if args.strict and not all(t.met for t in timings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
