"""Print the performance table: the eager and the compiled engine against plain floats.

    python -m benchmarks.run            # the full table (about 3-4 minutes on 2 quiet cores)
    python -m benchmarks.run --quick    # CI smoke mode: tiny sizes, one run, no targets

Rows (issue 10), each side measured in the same run as the floor it is divided by:

a. one training iteration of the article's 2-2-2 sigmoid network (forward, J = 1/2 Σ
   (y - o)^2, zero_grad, backward, SGD on the 8 weights) against the same iteration written
   by hand with plain floats (the floor). Eager: ``mse_loss(model(x), y, "half_sum")``,
   ``zero_grad``, ``backward``, ``step``; compiled: ``zero_grad``, ``step(x, y)``,
   ``opt.step()``. Targets: eager <= 4x the floor (stretch 3x), compiled <= 1.5x.
b. an MLP 2-16-16-1 training step (relu hidden, linear output, mean squared error, SGD) on
   100 samples against a hand-written float loop (forward, delta-rule backward, update),
   with micrograd 0.1.0 as a reference column (not a target: its time is mostly its
   garbage collector). Targets: eager <= 2x the float loop, compiled <= 0.6x.
c. a chain of 10^6 ``x * c`` steps, build plus backward, against a plain float loop that
   builds the same chain as a list of (value, local derivative) tuples and sweeps it back
   (target: eager <= 6x); its growth from 10^5 (linear is 10x; target <= 12x); and the
   bytes each op holds (tracemalloc, 100,000 steps; target <= 200 B/op), micrograd beside.
g. pictures (``--rows g``, issue 16): ``draw_dot(edge_labels=True)`` rendered by ``dot``
   and ``explore`` making its page, on chains, fan-in recurrences and MLPs of 100, 1,000
   and 2,000 Values (:mod:`benchmarks.pictures`). Budgets: drawing <= 5 s up to 1,000
   Values; a page <= 5 s at 100, <= 20 s up to 2,000.
e. ``autograd.compile`` itself (``--rows e``, issue 15): compile time and peak bytes per
   node for chains and the MLP step, and the structure guards' cost on the article's call.
d. the compile time of each compiled workload (the first call: trace, generate, compile;
   target < 0.5 s each), from the processes of rows a and b.

Every measurement runs in a fresh process (``python -m benchmarks.worker``); the sides of
a row alternate, the side that goes first rotating every run, and the table shows medians.
Each row also checks that its sides computed the same thing (same loss, same cost and
weights, the closed-form gradient), and fails loudly if not.

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
# *_iterations), so that the fast and the slow sides are timed over windows of similar
# length and meet the same machine noise.
FULL = Sizes(mlp_samples=100, mlp_steps=3, mlp_seconds=2.0, article_iterations=20_000,
             article_seconds=1.5, memory_steps=100_000, chain_small=100_000,
             chain_large=1_000_000, runs=5, chain_runs=3)
QUICK = Sizes(mlp_samples=10, mlp_steps=1, mlp_seconds=0.0, article_iterations=200,
              article_seconds=0.0, memory_steps=2_000, chain_small=2_000, chain_large=20_000,
              runs=1, chain_runs=1)


# ----------------------------------------------------------------------------------------
# Running workers
# ----------------------------------------------------------------------------------------


def run_worker(task: str, *, timeout: float = WORKER_TIMEOUT, **kwargs: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh Python process, within ``timeout`` seconds; its JSON result."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(kwargs)]
    try:
        proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise BenchmarkError(f"{task} {kwargs} took longer than {timeout:.0f} s") from error
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise BenchmarkError(f"{task} {kwargs} failed (exit {proc.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def alternate(
    sides: Sequence[Callable[[], dict[str, Any]]],
    runs: int,
    progress: Callable[[str], None],
    name: str,
) -> list[list[dict[str, Any]]]:
    """Run every side ``runs`` times, interleaved, the side that starts rotating every run
    (A B C, B C A, C A B, ...), so that no side always runs on a warmer or a quieter
    machine; the results per side, in run order."""
    results: list[list[dict[str, Any]]] = [[] for _ in sides]
    for i in range(runs):
        k = i % len(sides)
        for j in [*range(k, len(sides)), *range(k)]:
            results[j].append(sides[j]())
        progress(f"{name}: run {i + 1}/{runs} done")
    return results


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


def _count(results: Sequence[dict[str, Any]], key: str) -> str:
    return _runs(results, key, lambda n: f"{n:,.0f}")


def _check_article(name: str, side: dict[str, Any], floor: dict[str, Any]) -> None:
    same_weights = all(_close(a, b, 1e-12) for a, b in zip(side["weights"], floor["weights"]))
    if not _close(side["last_cost"], floor["last_cost"], 1e-12) or not same_weights:
        raise BenchmarkError(f"article row: {name} and the floats disagree: final cost "
                             f"{side['last_cost']!r} vs {floor['last_cost']!r}, weights "
                             f"{side['weights']} vs {floor['weights']}")


def rows_article(sizes: Sizes, progress: Callable[[str], None]) -> list[RowResult]:
    """a. The article's 2-2-2 network, one training iteration: eager and compiled, each
    against the plain-float floor of the same run."""
    kw = {"iterations": sizes.article_iterations, "seconds": sizes.article_seconds}
    eager, compiled, floor = alternate(
        [lambda: run_worker("article_ours", **kw), lambda: run_worker("article_compiled", **kw),
         lambda: run_worker("article_floor", **kw)], sizes.runs, progress, "a. article")
    _check_article("eager", eager[0], floor[0])
    _check_article("compiled", compiled[0], floor[0])
    t_eager, t_compiled = _median(eager, "microseconds"), _median(compiled, "microseconds")
    t_floor = _median(floor, "microseconds")
    note = (f"(per process: 1 warm-up, then blocks of {sizes.article_iterations:,} iterations "
            f"over at least {sizes.article_seconds:g} s; after the first block all sides agree "
            f"with the floats on the cost, {floor[0]['last_cost']:.15g}, and the weights, to "
            f"1e-12)")
    reference = f"floats {_us(t_floor)}/iter"
    return [
        RowResult("a. article 2-2-2 iteration, eager", f"{_us(t_eager)}/iter", reference,
                  f"{t_eager / t_floor:.2f}x the floats", "<= 4x (stretch 3x)",
                  t_eager / t_floor <= 4.0,
                  [f"eager per iteration: {_runs(eager, 'microseconds', _us)}",
                   f"floats per iteration: {_runs(floor, 'microseconds', _us)}", note]),
        RowResult("a. article 2-2-2 iteration, compiled", f"{_us(t_compiled)}/iter", reference,
                  f"{t_compiled / t_floor:.2f}x the floats", "<= 1.5x",
                  t_compiled / t_floor <= 1.5,
                  [f"compiled per iteration: {_runs(compiled, 'microseconds', _us)}",
                   "(zero_grad, step(x, y), opt.step(); the generated code is "
                   "`python -m nn.article --show-code`)"]),
        _compile_row("article iteration", compiled),
    ]


def rows_mlp(sizes: Sizes, progress: Callable[[str], None]) -> list[RowResult]:
    """b. MLP 2-16-16-1 training step: eager and compiled against the hand-written float
    loop of the same run, micrograd beside."""
    kw = {"samples": sizes.mlp_samples, "steps": sizes.mlp_steps, "seconds": sizes.mlp_seconds}
    eager, compiled, floats, micrograd = alternate(
        [lambda: run_worker("mlp_ours", **kw), lambda: run_worker("mlp_compiled", **kw),
         lambda: run_worker("mlp_floats", **kw), lambda: run_worker("mlp_micrograd", **kw)],
        sizes.runs, progress, "b. MLP step")
    losses = {name: r[0]["first_loss"] for name, r in
              (("eager", eager), ("compiled", compiled), ("floats", floats),
               ("micrograd", micrograd))}
    if not all(_close(loss, losses["floats"], 1e-9) for loss in losses.values()):
        raise BenchmarkError(f"MLP row: the sides disagree on the first loss: {losses}")
    t_eager, t_compiled = _median(eager, "seconds"), _median(compiled, "seconds")
    t_floats, t_micrograd = _median(floats, "seconds"), _median(micrograd, "seconds")
    reference = f"float loop {_ms(t_floats)}; micrograd {_ms(t_micrograd)}"
    name = f"MLP 2-16-16-1 step, {sizes.mlp_samples} samples"
    return [
        RowResult(f"b. {name}, eager", f"{_ms(t_eager)}/step", reference,
                  f"{t_eager / t_floats:.2f}x the loop ({t_micrograd / t_eager:.0f}x faster "
                  f"than micrograd)", "<= 2x the loop", t_eager / t_floats <= 2.0,
                  [f"eager per step: {_runs(eager, 'seconds', _ms)}",
                   f"float loop per step: {_runs(floats, 'seconds', _ms)}",
                   f"micrograd per step: {_runs(micrograd, 'seconds', _ms)}",
                   f"(per process: 1 warm-up step, then at least {sizes.mlp_steps} steps over "
                   f"at least {sizes.mlp_seconds:g} s: eager {_count(eager, 'steps')}, float "
                   f"loop {_count(floats, 'steps')}, micrograd {_count(micrograd, 'steps')}; "
                   f"same data and initial weights, first loss {losses['floats']:.12g} on "
                   f"every side)"]),
        RowResult(f"b. {name}, compiled", f"{_ms(t_compiled)}/step", reference,
                  f"{t_compiled / t_floats:.2f}x the loop ({t_micrograd / t_compiled:.0f}x "
                  f"faster than micrograd)", "<= 0.6x the loop", t_compiled / t_floats <= 0.6,
                  [f"compiled per step: {_runs(compiled, 'seconds', _ms)} "
                   f"({_count(compiled, 'steps')} steps)",
                   "(zero_grad, step(xs, ys), opt.step(); one generated function for the "
                   "whole batch)"]),
        _compile_row(f"MLP step on {sizes.mlp_samples} samples", compiled),
    ]


def _compile_row(what: str, compiled: Sequence[dict[str, Any]]) -> RowResult:
    """d. The compile time of a compiled workload, from its row's processes."""
    seconds = _median(compiled, "compile_seconds")
    return RowResult(f"d. compile time, {what}", _ms(seconds),
                     "first call: trace, generate, compile", f"{seconds / 0.5:.2f}x the budget",
                     "< 0.5 s", seconds < 0.5,
                     [f"compile: {_runs(compiled, 'compile_seconds', _ms)}"])


def rows_chain(sizes: Sizes, progress: Callable[[str], None]) -> list[RowResult]:
    """c. A long chain: build plus backward against the tuple floor, its growth, and the
    memory each op holds."""
    small, large = sizes.chain_small, sizes.chain_large
    big, little, floor = alternate(
        [lambda: run_worker("chain_ours", steps=large),
         lambda: run_worker("chain_ours", steps=small),
         lambda: run_worker("chain_floor", steps=large)], sizes.chain_runs, progress, "c. chain")
    for result in big + little + floor:
        if result["grad_error"] > 1e-9:
            raise BenchmarkError(f"chain row: d x_n / d x_0 is off its closed form c^n by a "
                                 f"relative {result['grad_error']:.3g}")
    probe = run_worker("chain_micrograd", steps=small)
    progress("c. chain: micrograd probe done")
    quiet_big, quiet_little = (run_worker("chain_ours", steps=n, collector=False)["seconds"]
                               for n in (large, small))
    progress("c. chain: the engine with the garbage collector off done")
    micrograd = (f"micrograd: {probe['error']} at {small:,}" if probe["error"]
                 else f"micrograd: ran at {small:,}")
    t_big, t_little, t_floor = (_median(r, "seconds") for r in (big, little, floor))
    mem_ours, mem_theirs = alternate(
        [lambda: run_worker("memory_ours", steps=sizes.memory_steps),
         lambda: run_worker("memory_micrograd", steps=sizes.memory_steps)],
        sizes.runs, progress, "c. memory")
    # ours: one mul node per step (the number c is no node); micrograd: the node and c's Value
    for side, results, per_step in (("ours", mem_ours, 1), ("micrograd", mem_theirs, 2)):
        if results[0]["values"] != per_step * sizes.memory_steps:
            raise BenchmarkError(f"memory row: {side} made {results[0]['values']} Values for "
                                 f"{sizes.memory_steps} steps, expected {per_step} per step")
    per_op = _median(mem_ours, "bytes") / sizes.memory_steps
    per_op_theirs = _median(mem_theirs, "bytes") / sizes.memory_steps
    return [
        RowResult(f"c. chain of {large:,} x*c, eager, build + backward", _s(t_big),
                  f"tuple floor {_s(t_floor)}", f"{t_big / t_floor:.1f}x the floor", "<= 6x",
                  t_big / t_floor <= 6.0,
                  [f"eager at {large:,}: {_runs(big, 'seconds', _s)} (build "
                   f"{_s(_median(big, 'build_seconds'))}, backward "
                   f"{_s(_median(big, 'backward_seconds'))})",
                   f"tuple floor at {large:,}: {_runs(floor, 'seconds', _s)} (build "
                   f"{_s(_median(floor, 'build_seconds'))}, sweep "
                   f"{_s(_median(floor, 'backward_seconds'))})",
                   f"(d x_n/d x_0 matches c^n to "
                   f"{max(r['grad_error'] for r in big + floor):.1g} on both sides)"]),
        RowResult(f"c. chain growth {small:,} -> {large:,}, eager", _s(t_big),
                  f"{small:,} steps {_s(t_little)}; {micrograd}",
                  f"{t_big / t_little:.1f}x for {large // small}x the steps", "<= 12x",
                  t_big / t_little <= 12.0,
                  [f"eager at {small:,}: {_runs(little, 'seconds', _s)}",
                   f"with Python's garbage collector off (one process each): {small:,} in "
                   f"{_s(quiet_little)}, {large:,} in {_s(quiet_big)}, "
                   f"{quiet_big / max(quiet_little, 1e-9):.1f}x (the rest is the collector "
                   "scanning the live chain as it grows)",
                   f"(micrograd's backward() is recursive: {probe.get('message', '')})"]),
        RowResult(f"c. memory per op, chain of {sizes.memory_steps:,} x*c, eager",
                  f"{per_op:.0f} B/op", f"micrograd {per_op_theirs:.0f} B/op",
                  f"{per_op_theirs / per_op:.1f}x less than micrograd", "<= 200 B/op",
                  per_op <= 200.0,
                  [f"eager bytes held: {_runs(mem_ours, 'bytes', lambda b: f'{b:,.0f}')}",
                   f"micrograd bytes held: {_runs(mem_theirs, 'bytes', lambda b: f'{b:,.0f}')}",
                   "(tracemalloc after gc.collect(); each op is one mul node here, the number "
                   "kept as a float; micrograd makes the node and a Value for the number)"]),
    ]


def rows_compile(sizes: Sizes, progress: Callable[[str], None]) -> list[RowResult]:
    """e. autograd.compile itself: compile time and peak bytes per node (trace, code
    generation, CPython's compile) for chains of 10^4, 10^5 and 10^6 nodes and the MLP
    step (target 1 kB/node); the cost of the structure guard on the article's call."""
    quick = sizes.runs == 1
    rows = []
    for nodes in ((200, 2_000, 20_000) if quick else (10_000, 100_000, 1_000_000)):
        # 10^6 nodes: two compiles of about 30 s each, the second under tracemalloc (slower)
        result = run_worker("compile_chain", nodes=nodes,
                            timeout=max(WORKER_TIMEOUT, nodes * 3e-3))
        progress(f"e. compile chain {nodes:,} done")
        per_node = result["peak_bytes_per_node"]
        done = "compiled" if result["compiled"] else \
            f"refused: > MAX_NODES = {result['max_nodes']:,}, runs eagerly"
        rows.append(RowResult(f"e. compile, chain of {nodes:,} x*w", _s(result["seconds"]),
                              done, f"{per_node:,.0f} B/node peak", "<= 1 kB/node",
                              None if quick else per_node <= 1000.0))
    mlp = run_worker("compile_mlp_memory", samples=sizes.mlp_samples)
    progress("e. compile MLP done")
    rows.append(RowResult(f"e. compile, MLP step on {sizes.mlp_samples} samples",
                          _s(mlp["seconds"]), f"{mlp['nodes']:,} nodes",
                          f"{mlp['peak_bytes_per_node']:,.0f} B/node peak", "<= 1 kB/node",
                          None if quick else mlp["peak_bytes_per_node"] <= 1000.0))
    guard = run_worker("compile_guard_cost", iterations=sizes.article_iterations)
    progress("e. guard cost done")
    cost = guard["guarded_us"] - guard["unguarded_us"]
    rows.append(RowResult("e. guards, article call", f"{guard['guarded_us']:.2f} us/call",
                          f"unguarded {guard['unguarded_us']:.2f} us/call",
                          f"+{cost:.2f} us ({cost / guard['unguarded_us']:.0%})", "shown",
                          None,
                          ["guarded: the argument structure, the mode, the module version, "
                           "the registered lists, parameters read through them; unguarded: "
                           "the same trace generated without any guard (best of 5)"]))
    return rows


def rows_pictures(sizes: Sizes, progress: Callable[[str], None]) -> list[RowResult]:
    """g. ``draw_dot`` and ``explore`` on chains, recurrences and MLPs (one fresh process
    per measurement, the median of ``sizes.chain_runs``)."""
    from benchmarks.pictures import KINDS

    counts = (100, 200) if sizes is QUICK else (100, 1000, 2000)
    rows = []
    for task, what in (("draw", "draw_dot + dot"), ("explore", "explore page")):
        for kind in KINDS:
            for n in counts:
                results = [run_worker(task, kind=kind, values=n)
                           for _ in range(max(1, min(sizes.chain_runs, 3)))]
                progress(f"g. {what}, {kind} {n}")
                seconds = _median(results, "seconds")
                size = results[0]["values"]
                if task == "draw":
                    budget = 5.0 if size <= 1000 else None
                else:
                    budget = 5.0 if size <= 200 else 20.0
                layout = f", {results[0]['layout']} layout" if task == "explore" else ""
                rows.append(RowResult(
                    f"g. {what}, {kind} of {size:,} Values", _s(seconds),
                    f"{results[0]['bytes'] / 1e6:.1f} MB{layout}",
                    f"{seconds / budget:.2f}x the budget" if budget else "(no budget)",
                    f"<= {budget:.0f} s" if budget else "-",
                    None if budget is None else seconds <= budget,
                    [f"{what} {kind} {size}: {_runs(results, 'seconds', _s)}"]))
    return rows


ROWS: dict[str, Callable[[Sizes, Callable[[str], None]], list[RowResult]]] = {
    "a": rows_article,
    "b": rows_mlp,
    "c": rows_chain,
    "e": rows_compile,
    "g": rows_pictures,
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
        met = "n/a (quick)" if quick else (
            "-" if row.met is None else ("yes" if row.met else "NO"))
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
    parser.add_argument("--rows", default="abc",
                        help="which rows to run (default abc; d comes with a and b; e, the "
                             "pictures, on request)")
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
                results.extend(ROWS[key](sizes, progress))
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    results.sort(key=lambda row: row.name[:2])  # a, b, c, then the compile times (d)

    mode = "quick smoke mode: tiny sizes, 1 run, targets not judged" if args.quick else (
        f"medians of {sizes.runs} fresh processes per side (chain: {sizes.chain_runs}); "
        "ratios against the floor measured in the same run")
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
    if args.strict and not args.quick and not all(row.met is not False for row in results):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
