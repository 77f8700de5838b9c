"""Training end to end: a network learns XOR, and a broken optimizer would not."""

from __future__ import annotations

import pytest

from nn import MLP, SGD, Adam, mse_loss

XS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
YS = [0.0, 1.0, 1.0, 0.0]


def fit(model: MLP, optimizer: SGD | Adam, steps: int) -> tuple[float, float]:
    """Train full-batch on XOR; return the starting and the final loss."""
    first = last = 0.0
    for k in range(steps):
        loss = mse_loss([model(x) for x in XS], YS)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if k == 0:
            first = loss.data
        last = loss.data
    return first, last


def accuracy(model: MLP) -> float:
    return sum((model(x).data > 0.5) == (y > 0.5) for x, y in zip(XS, YS)) / len(XS)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_mlp_learns_xor_with_sgd_momentum(seed: int) -> None:
    model = MLP(2, [4, 1], "tanh", "sigmoid", seed=seed)
    first, last = fit(model, SGD(model.parameters(), lr=0.5, momentum=0.9), 300)
    assert first > 0.2  # near chance: (0.5 - y)^2 = 0.25 on average
    assert last < 0.01
    assert accuracy(model) == 1.0
    outs = [model(x).data for x in XS]
    assert all(abs(o - y) < 0.15 for o, y in zip(outs, YS)), outs


def test_an_mlp_learns_xor_with_adam() -> None:
    model = MLP(2, [8, 1], "tanh", "sigmoid", seed=3)
    first, last = fit(model, Adam(model.parameters(), lr=0.05), 300)
    assert first > 0.2
    assert last < 0.01
    assert accuracy(model) == 1.0


def test_without_learning_nothing_is_learnt() -> None:
    """The thresholds above are not met by an optimizer that does not move (lr = 0)."""
    model = MLP(2, [4, 1], "tanh", "sigmoid", seed=0)
    first, last = fit(model, SGD(model.parameters(), lr=0.0), 50)
    assert first == last > 0.2
