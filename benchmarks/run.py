"""Print the performance table: this engine against micrograd and against plain floats.

    python -m benchmarks.run            # the full table (about 3 minutes on 2 cores)
    python -m benchmarks.run --quick    # CI smoke mode: tiny sizes, one run, no targets

Rows (issue 5):

a. an MLP 2-16-16-1 training step on 100 samples (forward, mean squared error, zero_grad,
   backward, SGD update) against micrograd 0.1.0 with the same sizes and the same initial
   weights. Target: ours at least 10x faster.
b. one training iteration of the article's 2-2-2 sigmoid network against the same
   iteration written by hand with plain floats (the pure-Python floor). Target: within 6x.
c. memory held per graph op (tracemalloc, a chain of 100,000 ``x * c`` steps) against
   micrograd. Target: at least 3x less.
d. a chain of 10^6 mul nodes, build plus backward, against the same chain of 10^5 (ours
   only: micrograd's recursive backward cannot; the row says what it raises).
   Target: at most 12x the 10^5 time.

Every measurement runs in a fresh process (``python -m benchmarks.worker``); the two sides
alternate, the side that goes first switching every run, and the table shows medians.
Each row also checks that both sides computed the same thing (same loss, same cost, the
closed-form gradient), and fails loudly if not.

Exit status: 0; 2 if a worker failed or a check failed; with ``--strict``, 1 if a target
is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORKER_TIMEOUT = 900.0


class BenchmarkError(RuntimeError):
    """A worker process failed, or two sides did not compute the same thing."""


# ----------------------------------------------------------------------------------------
# Sizes
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Problem sizes and repetitions for one invocation."""

    mlp_samples: int
    mlp_steps: int
    mlp_seconds: float
    article_iterations: int
    article_seconds: float
    memory_steps: int
    chain_small: int
    chain_large: int
    runs: int
    chain_runs: int


# Rows a and b time each process for at least *_seconds (at least *_steps or one block of
# *_iterations), so that the fast and the slow side are timed over windows of similar
# length and meet the same machine noise.
FULL = Sizes(mlp_samples=100, mlp_steps=3, mlp_seconds=3.0, article_iterations=20_000,
             article_seconds=2.0, memory_steps=100_000, chain_small=100_000,
             chain_large=1_000_000, runs=5, chain_runs=3)
QUICK = Sizes(mlp_samples=10, mlp_steps=1, mlp_seconds=0.0, article_iterations=200,
              article_seconds=0.0, memory_steps=2_000, chain_small=2_000, chain_large=20_000,
              runs=1, chain_runs=1)


# ----------------------------------------------------------------------------------------
# Running workers
# ----------------------------------------------------------------------------------------


def run_worker(task: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh Python process; its JSON result."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(kwargs)]
    try:
        proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=WORKER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise BenchmarkError(f"{task} {kwargs} took longer than {WORKER_TIMEOUT:.0f} s") from error
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise BenchmarkError(f"{task} {kwargs} failed (exit {proc.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def alternate(
    first: Callable[[], dict[str, Any]],
    second: Callable[[], dict[str, Any]],
    runs: int,
    progress: Callable[[str], None],
    name: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run both sides ``runs`` times each, alternating, the side that starts switching
    every run (A B, B A, A B, ...), so neither always runs on a warmer machine."""
    results_first: list[dict[str, Any]] = []
    results_second: list[dict[str, Any]] = []
    for i in range(runs):
        order = [(first, results_first), (second, results_second)]
        if i % 2:
            order.reverse()
        for measure, results in order:
            results.append(measure())
        progress(f"{name}: run {i + 1}/{runs} done")
    return results_first, results_second


# ----------------------------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------------------------


@dataclass
class RowResult:
    """One line of the table, plus the per-run numbers and checks behind it."""

    name: str
    ours: str
    reference: str
    ratio: str
    target: str
    met: bool | None  # None: not judged (quick mode)
    details: list[str] = field(default_factory=list)


def _median(results: Sequence[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in results)


def _runs(results: Sequence[dict[str, Any]], key: str, fmt: Callable[[float], str]) -> str:
    return ", ".join(fmt(float(r[key])) for r in results)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _us(microseconds: float) -> str:
    return f"{microseconds:.1f} µs"


def _close(a: float, b: float, rtol: float) -> bool:
    return abs(a - b) <= rtol * max(1.0, abs(a), abs(b))


def row_mlp(sizes: Sizes, progress: Callable[[str], None]) -> RowResult:
    """a. MLP 2-16-16-1 training step, ours against micrograd."""
    kw = {"samples": sizes.mlp_samples, "steps": sizes.mlp_steps, "seconds": sizes.mlp_seconds}
    ours, theirs = alternate(lambda: run_worker("mlp_ours", **kw),
                             lambda: run_worker("mlp_micrograd", **kw),
                             sizes.runs, progress, "a. MLP step")
    loss_ours, loss_theirs = ours[0]["first_loss"], theirs[0]["first_loss"]
    if not _close(loss_ours, loss_theirs, 1e-9):
        raise BenchmarkError(f"MLP row: the two sides disagree on the first loss: "
                             f"{loss_ours!r} (ours) vs {loss_theirs!r} (micrograd)")
    t_ours, t_theirs = _median(ours, "seconds"), _median(theirs, "seconds")
    speedup = t_theirs / t_ours
    return RowResult(
        name=f"a. MLP 2-16-16-1 training step, {sizes.mlp_samples} samples",
        ours=f"{_ms(t_ours)}/step",
        reference=f"micrograd {_ms(t_theirs)}/step",
        ratio=f"{speedup:.1f}x faster",
        target=">= 10x faster",
        met=speedup >= 10.0,
        details=[
            f"ours per step: {_runs(ours, 'seconds', _ms)}",
            f"micrograd per step: {_runs(theirs, 'seconds', _ms)}",
            f"(per process: 1 warm-up step, then the mean of at least {sizes.mlp_steps} "
            f"timed steps over at least {sizes.mlp_seconds:g} s: ours "
            f"{_runs(ours, 'steps', lambda n: f'{n:.0f}')} steps, micrograd "
            f"{_runs(theirs, 'steps', lambda n: f'{n:.0f}')}; same data and initial "
            f"weights; first loss {loss_ours:.12g} (ours) vs {loss_theirs:.12g} (micrograd))",
        ],
    )


def row_article(sizes: Sizes, progress: Callable[[str], None]) -> RowResult:
    """b. The article's 2-2-2 network, one training iteration, ours against floats."""
    kw = {"iterations": sizes.article_iterations, "seconds": sizes.article_seconds}
    ours, floor = alternate(lambda: run_worker("article_ours", **kw),
                            lambda: run_worker("article_floor", **kw),
                            sizes.runs, progress, "b. article iteration")
    cost_ours, cost_floor = ours[0]["last_cost"], floor[0]["last_cost"]
    same_weights = all(_close(a, b, 1e-12) for a, b in zip(ours[0]["weights"],
                                                            floor[0]["weights"]))
    if not _close(cost_ours, cost_floor, 1e-12) or not same_weights:
        raise BenchmarkError(f"article row: the two sides disagree: final cost "
                             f"{cost_ours!r} (ours) vs {cost_floor!r} (floats), weights "
                             f"{ours[0]['weights']} vs {floor[0]['weights']}")
    t_ours, t_floor = _median(ours, "microseconds"), _median(floor, "microseconds")
    slowdown = t_ours / t_floor
    return RowResult(
        name="b. article 2-2-2 network, one training iteration",
        ours=f"{_us(t_ours)}/iter",
        reference=f"plain floats {_us(t_floor)}/iter",
        ratio=f"{slowdown:.1f}x the floats",
        target="<= 6x",
        met=slowdown <= 6.0,
        details=[
            f"ours per iteration: {_runs(ours, 'microseconds', _us)}",
            f"plain floats per iteration: {_runs(floor, 'microseconds', _us)}",
            f"(per process: 1 warm-up, then blocks of {sizes.article_iterations:,} "
            f"iterations over at least {sizes.article_seconds:g} s: ours "
            f"{_runs(ours, 'iterations', lambda n: f'{n:,.0f}')}, floats "
            f"{_runs(floor, 'iterations', lambda n: f'{n:,.0f}')}; after the first block, "
            f"cost {cost_ours:.15g} (ours) vs {cost_floor:.15g} (floats), weights equal "
            f"to 1e-12)",
        ],
    )


def row_memory(sizes: Sizes, progress: Callable[[str], None]) -> RowResult:
    """c. Memory per graph op, ours against micrograd."""
    kw = {"steps": sizes.memory_steps}
    ours, theirs = alternate(lambda: run_worker("memory_ours", **kw),
                             lambda: run_worker("memory_micrograd", **kw),
                             sizes.runs, progress, "c. memory")
    for side, results in (("ours", ours), ("micrograd", theirs)):
        values = results[0]["values"]
        if values != 2 * sizes.memory_steps:
            raise BenchmarkError(f"memory row: {side} made {values} Values for "
                                 f"{sizes.memory_steps} steps, expected 2 per step")
    per_op_ours = _median(ours, "bytes") / sizes.memory_steps
    per_op_theirs = _median(theirs, "bytes") / sizes.memory_steps
    ratio = per_op_theirs / per_op_ours
    return RowResult(
        name=f"c. memory per op, chain of {sizes.memory_steps:,} x*c",
        ours=f"{per_op_ours:.0f} B/op",
        reference=f"micrograd {per_op_theirs:.0f} B/op",
        ratio=f"{ratio:.1f}x less",
        target=">= 3x less",
        met=ratio >= 3.0,
        details=[
            f"ours bytes held: {_runs(ours, 'bytes', lambda b: f'{b:,.0f}')}",
            f"micrograd bytes held: {_runs(theirs, 'bytes', lambda b: f'{b:,.0f}')}",
            "(tracemalloc, after gc.collect(); each op is a mul node plus the constant leaf "
            "that wraps the number, 2 Values per op in both engines: "
            f"{per_op_ours / 2:.0f} B (ours) vs {per_op_theirs / 2:.0f} B (micrograd) per Value)",
        ],
    )


def row_chain(sizes: Sizes, progress: Callable[[str], None]) -> RowResult:
    """d. A long chain: build plus backward, 10x more nodes."""
    small, large = sizes.chain_small, sizes.chain_large
    big, little = alternate(lambda: run_worker("chain_ours", steps=large),
                            lambda: run_worker("chain_ours", steps=small),
                            sizes.chain_runs, progress, "d. chain")
    for result in big + little:
        if result["grad_error"] > 1e-9:
            raise BenchmarkError(f"chain row: d x_n / d x_0 is off its closed form c^n by a "
                                 f"relative {result['grad_error']:.3g}")
    probe = run_worker("chain_micrograd", steps=small)
    progress("d. chain: micrograd probe done")
    micrograd = (f"micrograd: {probe['error']} at {small:,}" if probe["error"]
                 else f"micrograd: ran at {small:,}")
    t_big, t_little = _median(big, "seconds"), _median(little, "seconds")
    growth = t_big / t_little
    return RowResult(
        name=f"d. chain of {large:,} nodes, build + backward",
        ours=_s(t_big),
        reference=f"{small:,} nodes {_s(t_little)}; {micrograd}",
        ratio=f"{growth:.1f}x for {large // small}x nodes",
        target="<= 12x",
        met=growth <= 12.0,
        details=[
            f"ours at {large:,}: {_runs(big, 'seconds', _s)} "
            f"(build {_s(_median(big, 'build_seconds'))}, "
            f"backward {_s(_median(big, 'backward_seconds'))})",
            f"ours at {small:,}: {_runs(little, 'seconds', _s)} "
            f"(build {_s(_median(little, 'build_seconds'))}, "
            f"backward {_s(_median(little, 'backward_seconds'))})",
            f"(x <- x * c, one mul node and one constant leaf per step; "
            f"d x_n/d x_0 matches c^n to {max(r['grad_error'] for r in big + little):.1g}; "
            f"micrograd's backward() is recursive: {probe.get('message', '')})",
        ],
    )


ROWS: dict[str, Callable[[Sizes, Callable[[str], None]], RowResult]] = {
    "a": row_mlp,
    "b": row_article,
    "c": row_memory,
    "d": row_chain,
}


# ----------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------


def machine_info() -> str:
    """One line: CPU model, cores, Python, micrograd version, date."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        micrograd = f"micrograd {version('micrograd')}"
    except Exception:  # not installed: rows a, c and d's probe will say so
        micrograd = "micrograd not installed"
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (f"machine: {cpu}, {os.cpu_count()} cores | "
            f"{platform.python_implementation()} {platform.python_version()} | "
            f"{micrograd} | {now}")


def format_table(rows: Sequence[RowResult], quick: bool) -> str:
    """A Markdown table (it reads in a terminal and pastes into the README)."""
    header = ["benchmark", "ours", "reference", "ratio", "target", "met"]
    lines = [header]
    for row in rows:
        met = "n/a (quick)" if quick or row.met is None else ("yes" if row.met else "NO")
        lines.append([row.name, row.ours, row.reference, row.ratio, row.target, met])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """The command: measure the selected rows and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke mode for CI: tiny sizes, one run, targets not judged")
    parser.add_argument("--runs", type=int, default=None,
                        help="processes per side for rows a-c (default 5, at least 3)")
    parser.add_argument("--chain-runs", type=int, default=None,
                        help="processes per size for row d (default 3, at least 3)")
    parser.add_argument("--rows", default="abcd", help="which rows to run (default abcd)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)

    sizes = QUICK if args.quick else FULL
    minimum = 1 if args.quick else 3
    for option in ("runs", "chain_runs"):
        value = getattr(args, option)
        if value is not None:
            if value < minimum:
                parser.error(f"--{option.replace('_', '-')} must be at least {minimum}")
            sizes = Sizes(**{**sizes.__dict__, option: value})
    unknown = sorted(set(args.rows) - set(ROWS))
    if unknown or not args.rows:
        parser.error(f"--rows takes letters from {''.join(ROWS)}, got {args.rows!r}")

    def progress(message: str) -> None:
        print(f"  [{time.perf_counter() - start:6.1f} s] {message}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    info = machine_info()
    print(info, file=sys.stderr, flush=True)
    results: list[RowResult] = []
    try:
        for key in ROWS:
            if key in args.rows:
                results.append(ROWS[key](sizes, progress))
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start

    mode = "quick smoke mode: tiny sizes, 1 run, targets not judged" if args.quick else (
        f"medians of {sizes.runs} fresh processes per side (row d: {sizes.chain_runs})")
    print(info)
    print(f"python -m benchmarks.run{' --quick' if args.quick else ''} ({mode})")
    print()
    print(format_table(results, args.quick))
    print()
    for row in results:
        print(row.name)
        for detail in row.details:
            print(f"    {detail}")
    print()
    print(f"total time {elapsed:.0f} s")
    if args.strict and not args.quick and not all(row.met for row in results):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
