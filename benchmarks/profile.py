"""Where the time and the memory go: the table's workloads under cProfile and tracemalloc.

    python -m benchmarks.profile a     # article iteration (eager): cProfile, by own time
    python -m benchmarks.profile b     # MLP step (eager): cProfile
    python -m benchmarks.profile c     # memory per op: tracemalloc, bytes by source line

The workloads are the ones :mod:`benchmarks.run` times (:mod:`benchmarks.workloads`), run
here in this process. cProfile adds a fixed cost to every Python call, so its seconds are
inflated; read them as shares of the total, and time changes with ``benchmarks.run``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import linecache
import pstats
import tracemalloc
from typing import Any

from benchmarks import workloads


def profile_calls(row: str, top: int) -> str:
    """cProfile of row ``a`` (2,000 article iterations) or ``b`` (one MLP step), eager."""
    import nn  # noqa: F401  # imported before profiling, so the profile shows no import work

    profiler = cProfile.Profile()
    if row == "b":
        profiler.runcall(workloads.mlp_ours, samples=100, steps=1)
        title = "b. MLP 2-16-16-1 training step on 100 samples (eager): warm-up step + 1 step"
    else:
        profiler.runcall(workloads.article_ours, iterations=2000)
        title = "a. article 2-2-2 iteration (eager): 1 + 2,000 iterations"
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return f"{title}\n{out.getvalue()}"


def profile_memory(steps: int, top: int) -> str:
    """tracemalloc of the memory row (ours): bytes per op held, by the line that made them."""
    from autograd import Value

    x: Any = Value(1.0)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(steps):
            x = x * workloads.CHAIN_FACTOR
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    lines = [f"c. memory held by a chain of {steps:,} x * c steps (ours), per op, by source line"]
    total = 0
    for stat in after.compare_to(before, "lineno"):
        total += stat.size_diff
        if len(lines) <= top and stat.size_diff >= steps:  # at least one byte per op
            frame = stat.traceback[0]
            source = linecache.getline(frame.filename, frame.lineno).strip()
            lines.append(f"{stat.size_diff / steps:8.1f} B/op {stat.count_diff / steps:5.2f} "
                         f"blocks/op  {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}  "
                         f"{source[:70]}")
    lines.append(f"{total / steps:8.1f} B/op in all")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command: print the profile of one row."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("row", choices=["a", "b", "c"], help="the table row to profile")
    parser.add_argument("--top", type=int, default=20, help="lines to show (default 20)")
    parser.add_argument("--steps", type=int, default=100_000,
                        help="chain length for row c (default 100,000)")
    args = parser.parse_args(argv)
    if args.row == "c":
        print(profile_memory(args.steps, args.top))
    else:
        print(profile_calls(args.row, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
