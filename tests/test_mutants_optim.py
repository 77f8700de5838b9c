"""nn.optim: tests written for the mutants that survived ``mutmut`` (issue 17); torch.optim
in float64 is the reference. See docs/mutants/nn.optim.md."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch

from autograd import Value
from nn import SGD, Adam
from nn.optim import _Hyper


def torch_sgd(data: list[float], grads: list[list[float]], **kw: Any) -> list[float]:
    ps = [torch.tensor(d, dtype=torch.float64, requires_grad=True) for d in data]
    opt = torch.optim.SGD(ps, **kw)
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    return [p.item() for p in ps]


def ours_sgd(data: list[float], grads: list[list[float]], **kw: Any) -> list[float]:
    ps = [Value(d) for d in data]
    opt = SGD(ps, **kw)
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = g
        opt.step()
    return [p.data for p in ps]


@pytest.mark.parametrize("kw", [
    {"lr": 0.1, "weight_decay": 1.0},
    {"lr": 0.1, "weight_decay": 1.0, "momentum": 0.9},
    {"lr": 0.1, "weight_decay": 0.5},
])
def test_sgd_weight_decay_of_one_as_torch(kw: dict[str, Any]) -> None:
    data, grads = [1.5, -2.0], [[0.25, -0.5], [0.125, 1.0], [-0.75, 0.0]]
    # torch's foreach kernels may round p - lr g once (fused): equal to the last bit or two
    assert ours_sgd(data, grads, **kw) == pytest.approx(torch_sgd(data, grads, **kw),
                                                        rel=1e-15, abs=0.0)


def test_sgd_reads_an_integer_gradient_of_a_value_subclass() -> None:
    class IntGrad(Value):
        @property
        def grad(self) -> int:
            return 2

        @grad.setter
        def grad(self, value: float | None) -> None:
            pass

    p = IntGrad(1.0)
    SGD([p], lr=0.25, momentum=0.5).step()  # the general path reads every gradient
    assert p.data == 1.0 - 0.25 * 2.0
    assert type(p.data) is float


def test_adam_resumed_state_for_a_parameter_without_one_starts_fresh() -> None:
    """A parameter skipped before saving has no saved state: after loading, its first step
    is a fresh Adam step (step 1, zero moments), as torch's."""
    a, b = Value(1.0), Value(-2.0)
    first = Adam([a, b], lr=0.1)
    a.grad, b.grad = 0.5, None
    first.step()
    saved = first.state_dict()
    assert set(saved["state"]) == {0}
    a2, b2 = Value(a.data), Value(b.data)
    resumed = Adam([a2, b2], lr=0.1)
    resumed.load_state_dict(saved)
    a.grad, b.grad, a2.grad, b2.grad = 0.25, -1.5, 0.25, -1.5
    first.step()
    resumed.step()
    ta = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adam([ta, tb], lr=0.1)
    ta.grad = torch.tensor(0.5, dtype=torch.float64)
    topt.step()
    ta.grad = torch.tensor(0.25, dtype=torch.float64)
    tb.grad = torch.tensor(-1.5, dtype=torch.float64)
    topt.step()
    assert [a2.data, b2.data] == [a.data, b.data] == [ta.item(), tb.item()]


def test_a_hyper_parameter_of_a_new_optimizer_class() -> None:
    class Decayed(SGD):
        floor = _Hyper("The lowest learning rate.")

    opt = Decayed([Value(1.0)], lr=0.1)
    opt.floor = 0.01
    assert opt.floor == 0.01 and opt.__dict__["_floor"] == 0.01
    with pytest.raises(ValueError, match=r"^floor must be a finite number >= 0\.0, got -1$"):
        opt.floor = -1
    assert Decayed.floor.__doc__ == "The lowest learning rate."
    assert SGD.lr.__doc__ == "The learning rate, a finite number >= 0 (checked when set)."


def sgd_state(**change: Any) -> dict[str, Any]:
    opt = SGD([Value(1.0), Value(2.0)], lr=0.1, momentum=0.9)
    state = opt.state_dict()
    state.update(change)
    return state


def load(state: object, n: int = 2) -> SGD:
    opt = SGD([Value(1.0) for _ in range(n)], lr=0.1, momentum=0.9)
    opt.load_state_dict(state)  # type: ignore[arg-type]
    return opt


@pytest.mark.parametrize("state, error, message", [
    ([1, 2], TypeError, "SGD.load_state_dict takes a mapping (from state_dict()), not list"),
    (sgd_state(param_groups=[]), ValueError,
     "state_dict 'param_groups' must be a list of one group (a dict)"),
    (sgd_state(state=[1.0]), TypeError, "state_dict 'state' must be a mapping, not list"),
    (sgd_state(state={0: {"momentum_buffer": 1.0}, "0": {"momentum_buffer": 2.0}}), ValueError,
     "state_dict 'state' holds parameter 0 twice"),
    (sgd_state(state={1: 5}), ValueError,
     "state_dict 'state'[1] must hold ['momentum_buffer'], not 5"),
    (sgd_state(state={1: {"momentum": 1.0, "a": 2}}), ValueError,
     "state_dict 'state'[1] must hold ['momentum_buffer'], not ['a', 'momentum']"),
    (sgd_state(state={2: {"momentum_buffer": 1.0}}), ValueError,
     "state_dict 'state' has the key 2; expected parameter indices 0 to 1"),
    (sgd_state(state={0.0: {"momentum_buffer": 1.0}}), ValueError,
     "state_dict 'state' has the key 0.0; expected parameter indices 0 to 1"),
    (sgd_state(state={0: {"momentum_buffer": 10**400}}), ValueError,
     "state[0]['momentum_buffer'] is too large for a float: 1" + "0" * 59),
])
def test_load_state_dict_messages(state: object, error: type[Exception], message: str) -> None:
    opt = SGD([Value(1.0), Value(2.0)], lr=0.1, momentum=0.9)
    before = opt.state_dict()
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        opt.load_state_dict(state)  # type: ignore[arg-type]
    assert opt.state_dict() == before


def adam_state(step: object) -> dict[str, Any]:
    p = Value(1.0)
    opt = Adam([p], lr=0.1)
    p.grad = 0.5
    opt.step()
    opt.step()
    state = opt.state_dict()
    state["state"][0]["step"] = step
    return state


def test_a_saved_step_count_may_be_an_integral_float() -> None:
    p = Value(1.0)
    opt = Adam([p], lr=0.1)
    opt.load_state_dict(adam_state(2.0))
    assert opt.state_dict()["state"][0]["step"] == 2
    assert type(opt.state_dict()["state"][0]["step"]) is int


@pytest.mark.parametrize("step", [2.5, "2", 0, True])
def test_a_saved_step_count_that_is_not_an_integer_is_refused(step: object) -> None:
    opt = Adam([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match=r"^state\[0\]\['step'\] must be an integer >= 1"):
        opt.load_state_dict(adam_state(step))
