"""Every notebook under ``notebooks/`` runs top to bottom without an error.

Each notebook is read, executed in memory with nbclient (kernel ``python3``, which
jupyter_client starts with this interpreter) in the notebooks directory, and checked; the
committed file is never rewritten. The committed copies must carry their outputs, so that
they read on GitHub without running.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
EXPECTED = [
    "01_article_walkthrough.ipynb",
    "02_classifier_from_scratch.ipynb",
    "03_gradient_checking.ipynb",
    "04_from_micrograd.ipynb",
]
CELL_TIMEOUT = 120  # seconds per cell
NOTEBOOK_BUDGET = 60.0  # seconds per notebook (each is meant to run in well under 30 s)


def test_the_four_notebooks_are_there() -> None:
    assert [p.name for p in PATHS] == EXPECTED


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_committed_with_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = _code_cells(nb)
    assert cells, "a notebook without code"
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), f"not executed top to bottom: {counts}"
    for cell in cells:
        assert not any(o.get("output_type") == "error" for o in cell.outputs), cell.source
    assert sum(len(c.outputs) for c in cells) >= len(cells) // 2  # pictures, tables, prints


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_runs_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the kernel inherits this: Hypothesis keeps its files out of notebooks/
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / ".hypothesis"))
    # ... and imports the checkout under test, whatever an editable install points to
    paths = [str(NOTEBOOKS.parent), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    before = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    elapsed = time.perf_counter() - start
    for cell in _code_cells(nb):
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        assert not errors, f"{path.name}: {cell.source[:80]!r} raised {errors[0]['ename']}"
    assert elapsed < NOTEBOOK_BUDGET, f"{path.name} took {elapsed:.1f} s"
    assert path.read_bytes() == before  # the committed file is left alone
