"""Row e of the benchmark (``benchmarks.pictures``): the graphs it times have the shapes and
sizes it names, and its workloads run (the budgets are judged by ``benchmarks.run``)."""

from __future__ import annotations

import pytest

from autograd import topological_order
from benchmarks import pictures
from benchmarks.run import QUICK, rows_pictures


@pytest.mark.parametrize("n", [100, 1000, 2000])
def test_graph_sizes_and_shapes(n: int) -> None:
    chain, rec, mlp = (topological_order(pictures.build(kind, n)) for kind in pictures.KINDS)
    assert len(chain) == n
    assert len(rec) == n
    x = rec[0] if rec[0].label == "x" else rec[1]
    assert sum(p is x for node in rec for p in node.parents) == (n - 2) // 2  # fan-in
    assert 0.85 * n <= len(mlp) <= n
    with pytest.raises(ValueError, match="kind must be one of"):
        pictures.build("tree", n)


def test_quick_rows_run() -> None:
    rows = rows_pictures(QUICK, lambda message: None)
    assert len(rows) == 2 * 3 * 2
    assert all(row.met is True for row in rows)  # 100 and 200 Values: well within budget
    assert any("builtin" in row.reference or "dot" in row.reference for row in rows)
