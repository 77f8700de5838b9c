"""Run one workload in this (fresh) process and print its result as one JSON line.

    python -m benchmarks.worker mlp_ours '{"samples": 100, "steps": 3}'

The runner (:mod:`benchmarks.run`) starts one such process per measurement, so every
measurement starts from a clean interpreter: no shared heap, no warm caches, no garbage
left by the other side.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from benchmarks import pictures, workloads

TASKS: dict[str, Callable[..., workloads.Result]] = {
    "mlp_ours": workloads.mlp_ours,
    "mlp_compiled": workloads.mlp_compiled,
    "mlp_floats": workloads.mlp_floats,
    "mlp_micrograd": workloads.mlp_micrograd,
    "article_ours": workloads.article_ours,
    "article_compiled": workloads.article_compiled,
    "article_floor": workloads.article_floor,
    "memory_ours": workloads.memory_ours,
    "memory_micrograd": workloads.memory_micrograd,
    "chain_ours": workloads.chain_ours,
    "chain_floor": workloads.chain_floor,
    "chain_micrograd": workloads.chain_micrograd,
    "compile_chain": workloads.compile_chain,
    "compile_mlp_memory": workloads.compile_mlp_memory,
    "compile_guard_cost": workloads.compile_guard_cost,
    "draw": pictures.draw,
    "explore": pictures.explore_page,
}


def main(argv: list[str] | None = None) -> int:
    """``worker TASK [JSON_KWARGS]``: run ``TASKS[TASK](**kwargs)``, print its JSON result."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in TASKS:
        print(f"usage: python -m benchmarks.worker {{{','.join(TASKS)}}} [JSON]", file=sys.stderr)
        return 2
    kwargs: dict[str, Any] = json.loads(args[1]) if len(args) > 1 else {}
    result = TASKS[args[0]](**kwargs)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
