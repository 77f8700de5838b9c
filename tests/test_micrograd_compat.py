"""micrograd's ``demo.ipynb`` runs on this library with only its imports changed (issue 9;
since issue 18 without indexing ``model(x)[0]``: ``MLP`` returns the Value for one output, as
micrograd's), and gives micrograd's numbers; so does the training loop of micrograd's lecture.

The demo's code is below once, as text; it is executed twice, with micrograd 0.1.0 (from PyPI)
and with this library, on the same two moons (made here with sklearn's ``make_moons``
formula, so that sklearn is not needed) and the same ``random.seed(1337)``.
"""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

MICROGRAD_IMPORTS = """
from micrograd.engine import Value
from micrograd.nn import Neuron, Layer, MLP
"""
OUR_IMPORTS = """
from autograd import Value
from nn import Neuron, Layer, MLP
"""

# micrograd's demo, cell by cell (plots left out); {imports} is the only change.
DEMO = """
{imports}
np.random.seed(1337)
random.seed(1337)

X, y = make_moons(n_samples=100, noise=0.1)
y = y*2 - 1 # make y be -1 or 1

model = MLP(2, [16, 16, 1]) # 2-layer neural network
n_parameters = len(model.parameters())

def loss(batch_size=None):
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = [list(map(Value, xrow)) for xrow in Xb]
    scores = list(map(model, inputs))
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p*p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)

history = []
for k in range(100):
    total_loss, acc = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9*k/100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    history.append((float(total_loss.data), float(acc)))
final_loss, final_acc = loss()
"""


def make_moons(n_samples: int = 100, noise: float = 0.1) -> tuple[Any, Any]:
    """sklearn's ``make_moons`` formula: two half circles, shuffled, with Gaussian noise,
    drawn from numpy's global generator (as sklearn does with ``random_state=None``)."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n_samples)
    np.random.shuffle(order)
    X, y = X[order], y[order]
    X = X + np.random.normal(scale=noise, size=X.shape)
    return X, y


def run_demo(imports: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"np": np, "random": random, "make_moons": make_moons}
    code = DEMO.format(imports=imports)
    enabled = gc.isenabled()
    gc.disable()  # micrograd's graph is full of reference cycles: 10x faster without the GC
    try:
        exec(compile(code, "<demo>", "exec"), namespace)
    finally:
        if enabled:
            gc.enable()
        gc.collect()
    return namespace


# micrograd runs in a child Python (at the same time as this library runs here): its graph
# of reference cycles takes tens of seconds, and mutation runs leave such tests out.
CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import test_micrograd_compat as t
ns = t.run_demo(t.MICROGRAD_IMPORTS)
print(json.dumps({"X": ns["X"].tolist(), "y": ns["y"].tolist(), "history": ns["history"],
                  "n_parameters": ns["n_parameters"], "final_acc": float(ns["final_acc"])}))
"""


@pytest.fixture(scope="module")
def runs() -> tuple[dict[str, Any], dict[str, Any]]:
    here = Path(__file__).resolve().parent
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(here)], cwd=here.parent,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = random.getstate(), np.random.get_state()
    try:
        ours = run_demo(OUR_IMPORTS)
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])
    out, err = child.communicate(timeout=600)
    assert child.returncode == 0, err
    theirs = json.loads(out)
    theirs["X"] = np.array(theirs["X"])
    theirs["y"] = np.array(theirs["y"])
    theirs["history"] = [tuple(h) for h in theirs["history"]]
    return theirs, ours


def test_the_only_differences_are_the_imports() -> None:
    theirs = DEMO.format(imports=MICROGRAD_IMPORTS).splitlines()
    ours = DEMO.format(imports=OUR_IMPORTS).splitlines()
    changed = [(a, b) for a, b in zip(theirs, ours) if a != b]
    assert len(theirs) == len(ours)
    assert changed == [
        ("from micrograd.engine import Value", "from autograd import Value"),
        ("from micrograd.nn import Neuron, Layer, MLP", "from nn import Neuron, Layer, MLP"),
    ]
    assert "model(x)[0]" not in DEMO


def _normalised(code: str) -> str:
    """``code`` without comments and whitespace (the notebook's layout is its own)."""
    lines = [line.split("#", 1)[0] for line in code.splitlines()]
    return "".join("".join(lines).split())


def test_notebook_04_runs_this_very_demo_without_an_index() -> None:
    import nbformat

    path = Path(__file__).resolve().parent.parent / "notebooks" / "04_from_micrograd.ipynb"
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    code = "\n".join(cells)
    assert "from autograd import Value\nfrom nn import Neuron, Layer, MLP" in code
    assert "model(x)[0]" not in code and "model([a, b])[0]" not in code
    start = DEMO.index("def loss(")
    demo_loss = _normalised(DEMO[start:DEMO.index("history = []")])
    (loss_cell,) = [c for c in cells if c.startswith("def loss(")]
    assert _normalised(loss_cell.split("total_loss, acc = loss()")[0]) == demo_loss
    assert LECTURE_LOOP.strip() in code  # the lecture's loop, as written


@pytest.mark.subprocess
def test_the_same_data_and_the_same_initial_weights(
    runs: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    theirs, ours = runs
    assert np.array_equal(theirs["X"], ours["X"])
    assert np.array_equal(theirs["y"], ours["y"])
    assert sorted(set(ours["y"].tolist())) == [-1, 1]
    assert theirs["n_parameters"] == ours["n_parameters"] == 337


@pytest.mark.subprocess
def test_micrograds_loss_at_step_0_and_99_and_its_accuracy(
    runs: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    theirs, ours = runs
    for k in (0, 99):
        assert ours["history"][k][0] == pytest.approx(theirs["history"][k][0], rel=0, abs=1e-12)
    assert ours["history"][0][0] > 0.5  # it starts untrained ...
    assert ours["history"][99][0] < 0.05  # ... and learns
    assert theirs["final_acc"] == ours["final_acc"] == 1.0
    assert ours["history"][99][1] == theirs["history"][99][1] == 1.0
    every = max(abs(a[0] - b[0]) for a, b in zip(theirs["history"], ours["history"]))
    assert every < 1e-12  # the whole loss curve, not only its ends


# The training loop of micrograd's lecture ("The spelled-out intro to neural networks and
# backpropagation"), on micrograd's MLP: every line as the lecture writes it.
LECTURE_SETUP = """
random.seed(7)
n = MLP(3, [4, 4, 1])
xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]  # desired targets
"""
LECTURE_LOOP = """
for k in range(20):
    # forward pass
    ypred = [n(x) for x in xs]
    loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))

    # backward pass
    for p in n.parameters():
        p.grad = 0.0
    loss.backward()

    # update
    for p in n.parameters():
        p.data += -0.05 * p.grad
"""


def run_lecture(imports: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"random": random, "losses": []}
    code = imports + LECTURE_SETUP + LECTURE_LOOP + "    losses.append(loss.data)\n"
    state = random.getstate()
    try:
        exec(compile(code, "<lecture>", "exec"), namespace)
    finally:
        random.setstate(state)
    return namespace


def test_the_lectures_training_loop_gives_micrograds_numbers() -> None:
    theirs = run_lecture(MICROGRAD_IMPORTS)
    ours = run_lecture(OUR_IMPORTS)
    assert len(ours["losses"]) == len(theirs["losses"]) == 20
    for k, (a, b) in enumerate(zip(ours["losses"], theirs["losses"])):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), k
    assert ours["losses"][-1] < ours["losses"][0] / 10  # it learns
    for a, b in zip(ours["ypred"], theirs["ypred"]):
        assert type(a).__name__ == "Value" and a.data == pytest.approx(b.data, abs=1e-12)
    assert [p.data for p in ours["n"].parameters()] == pytest.approx(
        [p.data for p in theirs["n"].parameters()], abs=1e-12)
