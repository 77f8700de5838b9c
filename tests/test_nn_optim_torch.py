"""``SGD`` (momentum, dampening, weight decay, Nesterov), ``Adam`` (weight decay) and
``AdamW`` against ``torch.optim`` itself, in float64, over several steps (issue 18); frozen
parameters and ``None`` gradients skipped as PyTorch skips them; ``state_dict()`` and
``load_state_dict()`` resume a run bit for bit."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
import torch

from autograd import Value, no_grad
from nn import MLP, SGD, Adam, AdamW, Optimizer, mse_loss

START = [0.5, -1.25, 3.0, 0.0, -0.0]
GRADS = [  # a different gradient at every step: sign changes, zeros, a large one, a tiny one
    [0.1, -0.4, 2.0, 0.0, 1e-300],
    [0.3, 0.0, -1.0, 5.0, -0.0],
    [-0.2, 0.7, 0.5, -3.0, 0.25],
    [0.05, -0.1, 0.0, 0.0, -1.0],
    [1.5, 0.2, -0.3, 1e-3, 2.0],
    [-0.9, 0.6, 0.1, 0.4, -0.5],
    [0.0, 0.0, 0.0, 0.0, 0.0],
    [0.7, -0.8, 0.9, -1.0, 1.1],
]

SGD_CASES: list[dict[str, Any]] = [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.1, "weight_decay": 0.05},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    {"lr": 0.2, "momentum": 0.5, "weight_decay": 0.01, "nesterov": True},
    {"lr": 0.3, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.02},
    {"lr": 0.1, "momentum": 1.0, "dampening": 1.0},  # the buffer never moves from g1
]
ADAM_CASES: list[dict[str, Any]] = [
    {},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.5},
    {"lr": 0.1, "betas": (0.0, 0.0), "eps": 0.0},
]
ADAMW_CASES: list[dict[str, Any]] = [
    {},  # PyTorch's default weight_decay, 1e-2
    {"lr": 0.01, "weight_decay": 0.3},
    {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-6, "weight_decay": 0.0},
]

CASES: list[tuple[type[Optimizer], Any, dict[str, Any]]] = [
    *((SGD, torch.optim.SGD, kw) for kw in SGD_CASES),
    *((Adam, torch.optim.Adam, kw) for kw in ADAM_CASES),
    *((AdamW, torch.optim.AdamW, kw) for kw in ADAMW_CASES),
]
IDS = [f"{ours.__name__}-{kw}" for ours, _, kw in CASES]


def torch_params(values: list[float]) -> list[torch.Tensor]:
    return [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]


def assert_close(ours: list[float], theirs: list[torch.Tensor], what: str) -> None:
    for i, (a, t) in enumerate(zip(ours, theirs)):
        b = t.item()
        assert a == pytest.approx(b, rel=1e-12, abs=1e-300) or (math.isnan(a) and math.isnan(b)), \
            (what, i, a, b)


@pytest.mark.parametrize(("ours_cls", "theirs_cls", "kwargs"), CASES, ids=IDS)
def test_matches_torch_optim_over_several_steps(
    ours_cls: Any, theirs_cls: Any, kwargs: dict[str, Any]
) -> None:
    ours = [Value(v) for v in START]
    theirs = torch_params(START)
    opt = ours_cls(ours, **kwargs)
    ref = theirs_cls(theirs, **kwargs)
    for k, grads in enumerate(GRADS):
        for p, t, g in zip(ours, theirs, grads):
            p.grad = g
            t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        ref.step()
        assert_close([p.data for p in ours], theirs, f"step {k + 1}")
    # the buffers too, under PyTorch's names
    state = opt.state_dict()["state"]
    their_state = ref.state_dict()["state"]
    assert sorted(state) == sorted(their_state)
    for i, fields in state.items():
        assert set(fields) == set(their_state[i])
        for name, value in fields.items():
            assert value == pytest.approx(float(their_state[i][name]), rel=1e-12, abs=1e-300), \
                (i, name)


@pytest.mark.parametrize(("ours_cls", "theirs_cls", "kwargs"), CASES, ids=IDS)
def test_matches_torch_when_training_a_network(
    ours_cls: Any, theirs_cls: Any, kwargs: dict[str, Any]
) -> None:
    """Gradients from a real loss (they depend on where the parameters went), handed to
    both optimizers; the parameters agree after every one of 10 steps."""
    model = MLP(2, [4, 1], "tanh", "linear", seed=3)
    params = model.parameters()
    theirs = torch_params([p.data for p in params])
    opt = ours_cls(params, **kwargs)
    ref = theirs_cls(theirs, **kwargs)
    data = [([0.5, -0.2], 0.3), ([0.1, 0.4], -0.1), ([-0.7, 0.9], 0.8)]
    for k in range(10):
        loss = mse_loss([model(x) for x, _ in data], [y for _, y in data])
        opt.zero_grad()
        loss.backward()
        for p, t in zip(params, theirs):
            t.grad = torch.tensor(p.grad, dtype=torch.float64)
        opt.step()
        ref.step()
        assert_close([p.data for p in params], theirs, f"step {k + 1}")


def frozen(data: float) -> Value:
    """A leaf with ``requires_grad == False`` (``Value(..., requires_grad=False)`` where the
    engine takes it; else a result made under ``no_grad()``, the same kind of leaf)."""
    try:
        return Value(data, requires_grad=False)  # type: ignore[call-arg]
    except TypeError:
        with no_grad():
            return Value(data) + 0.0


@pytest.mark.parametrize(("ours_cls", "theirs_cls", "kwargs"), CASES, ids=IDS)
def test_none_grads_and_frozen_parameters_are_skipped_as_in_torch(
    ours_cls: Any, theirs_cls: Any, kwargs: dict[str, Any]
) -> None:
    ours = [Value(1.5), frozen(-2.0), Value(0.25)]
    assert ours[1].requires_grad is False
    theirs = torch_params([1.5, -2.0, 0.25])
    theirs[1].requires_grad_(False)
    opt = ours_cls(ours, **kwargs)
    ref = theirs_cls(theirs, **kwargs)
    for k, grads in enumerate(GRADS):
        for i, (p, t, g) in enumerate(zip(ours, theirs, grads)):
            missing = i == 2 and k % 3 == 1  # no gradient at some steps: grad None in both
            p.grad = None if missing else g  # the frozen one holds a number: still skipped
            t.grad = None if missing or i == 1 else torch.tensor(g, dtype=torch.float64)
        opt.step()
        ref.step()
        assert_close([p.data for p in ours], theirs, f"step {k + 1}")
    assert ours[1].data == -2.0  # untouched, also by weight decay
    assert 1 not in opt.state_dict()["state"]


def test_sgd_plain_path_skips_a_frozen_parameter() -> None:
    ps = [Value(1.0), frozen(1.0)]
    opt = SGD(ps, lr=0.5)
    ps[0].grad = ps[1].grad = 2.0
    opt.step()
    assert [p.data for p in ps] == [0.0, 1.0]


def test_nesterov_needs_momentum_and_no_dampening_as_torch() -> None:
    for kwargs in ({"nesterov": True}, {"momentum": 0.9, "dampening": 0.1, "nesterov": True}):
        with pytest.raises(ValueError, match="Nesterov momentum requires"):
            torch.optim.SGD(torch_params([1.0]), lr=0.1, **kwargs)
        with pytest.raises(ValueError, match="Nesterov momentum requires a momentum > 0 and "
                                             "zero dampening"):
            SGD([Value(1.0)], lr=0.1, **kwargs)
    opt = SGD([Value(1.0)], lr=0.1, momentum=0.9, nesterov=True)
    opt.momentum = 0.0  # made inconsistent later: the step says so
    opt.params[0].grad = 1.0
    with pytest.raises(ValueError, match="Nesterov"):
        opt.step()
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        SGD([Value(1.0)], lr=0.1, momentum=0.9, nesterov=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1, dampening=-0.5),
    lambda ps: SGD(ps, lr=0.1, weight_decay=math.nan),
    lambda ps: Adam(ps, weight_decay=-1.0),
    lambda ps: AdamW(ps, weight_decay=math.inf),
])
def test_bad_new_hyper_parameters(make: Callable[[list[Value]], Optimizer]) -> None:
    with pytest.raises(ValueError, match="must be a finite number >= 0"):
        make([Value(1.0)])


def test_adamw_defaults_are_torchs() -> None:
    ours = AdamW([Value(1.0)])
    theirs = torch.optim.AdamW(torch_params([1.0])).defaults
    assert (ours.lr, ours.betas, ours.eps, ours.weight_decay) == (
        theirs["lr"], theirs["betas"], theirs["eps"], theirs["weight_decay"])
    plain = torch.optim.Adam(torch_params([1.0])).defaults
    assert Adam([Value(1.0)]).weight_decay == plain["weight_decay"] == 0


# -- state_dict / load_state_dict: resuming exactly -----------------------------------------------

FACTORIES: list[Callable[[list[Value]], Optimizer]] = [
    lambda ps: SGD(ps, lr=0.1),
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01),
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    lambda ps: Adam(ps, lr=0.02, weight_decay=0.01),
    lambda ps: AdamW(ps, lr=0.02, betas=(0.8, 0.99)),
]


def training(steps: int, resume_at: int | None, factory: Callable[[list[Value]], Optimizer],
             through_json: bool) -> list[float]:
    """Train an MLP for ``steps`` steps; with ``resume_at``, the optimizer is replaced there
    by a fresh one (other hyper-parameters) that loads the first one's state_dict."""
    model = MLP(2, [4, 1], "tanh", "linear", seed=8)
    params = model.parameters()
    opt = factory(params)
    data = [([0.5, -0.2], 0.3), ([0.1, 0.4], -0.1), ([-0.7, 0.9], 0.8)]
    for k in range(steps):
        if k == resume_at:
            saved = opt.state_dict()
            if through_json:
                saved = json.loads(json.dumps(saved))
            fresh = type(opt)(params, lr=0.5)
            fresh.load_state_dict(saved)
            opt = fresh
        if k % 4 == 2:  # a step where one parameter has no gradient: its state must be kept
            params[0].grad = None
        loss = mse_loss([model(x) for x, _ in data], [y for _, y in data])
        opt.zero_grad(set_to_none=k % 4 == 2)
        loss.backward()
        if k % 4 == 2:
            params[0].grad = None
        opt.step()
    return [p.data for p in params]


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("through_json", [False, True])
def test_a_resumed_run_is_the_uninterrupted_run_bit_for_bit(
    factory: Callable[[list[Value]], Optimizer], through_json: bool
) -> None:
    whole = training(12, None, factory, through_json)
    for k in (1, 3, 7):
        assert training(12, k, factory, through_json) == whole  # exact, not approx
    assert training(12, 7, lambda ps: type(factory(ps))(ps, lr=0.5), through_json) != whole


def test_state_dict_is_torchs_layout_and_plain_numbers() -> None:
    ps = [Value(1.0), Value(2.0)]
    opt = SGD(ps, lr=0.1, momentum=0.9)
    ps[0].grad = 0.5
    ps[1].grad = None
    opt.step()
    assert opt.state_dict() == {
        "state": {0: {"momentum_buffer": 0.5}},
        "param_groups": [{"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0,
                          "nesterov": False, "params": [0, 1]}],
    }
    adam = Adam(ps, lr=0.1)
    ps[0].grad, ps[1].grad = 0.5, None
    adam.step()
    m, v = 0.9 * 0.0 + (1 - 0.9) * 0.5, 0.999 * 0.0 + (1 - 0.999) * 0.5 * 0.5  # first step
    assert adam.state_dict() == {
        "state": {0: {"step": 1, "exp_avg": m, "exp_avg_sq": v}},
        "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                          "params": [0, 1]}],
        "t": 1,
    }


def good_adam_state() -> dict[str, Any]:
    opt = Adam([Value(1.0), Value(2.0)], lr=0.1)
    for p in opt.params:
        p.grad = 0.5
    opt.step()
    return opt.state_dict()


@pytest.mark.parametrize(("change", "error", "match"), [
    (lambda d: d.pop("t"), ValueError, "not a Adam state_dict"),
    (lambda d: d["param_groups"][0].update(params=[0]), ValueError,
     "held 1 parameters, this one holds 2"),
    (lambda d: d["param_groups"][0].pop("eps"), ValueError, "param group has the keys"),
    (lambda d: d["param_groups"][0].update(lr=-1.0), ValueError, "lr must be"),
    (lambda d: d["param_groups"][0].update(betas=(0.9,)), ValueError, "betas must be a pair"),
    (lambda d: d["state"].update({5: d["state"][0]}), ValueError, "indices 0 to 1"),
    (lambda d: d["state"][0].update(exp_avg="0.1"), TypeError,
     r"state\[0\]\['exp_avg'\] must be a real number, not str"),
    (lambda d: d["state"][0].update(step=0), ValueError, "integer >= 1"),
    (lambda d: d["state"][0].pop("exp_avg_sq"), ValueError, "must hold"),
    (lambda d: d.update(param_groups=[]), ValueError, "a list of one group"),
    (lambda d: d.update(t=-1), ValueError, "t \\(the number of steps\\)"),
])
def test_a_bad_state_dict_changes_nothing(change: Any, error: type[Exception], match: str) -> None:
    target = Adam([Value(1.0), Value(2.0)], lr=0.3)
    before = target.state_dict()
    bad = good_adam_state()
    change(bad)
    with pytest.raises(error, match=match):
        target.load_state_dict(bad)
    assert target.state_dict() == before
    with pytest.raises(TypeError, match="takes a mapping"):
        target.load_state_dict([("state", {})])  # type: ignore[arg-type]


def test_an_sgd_state_dict_does_not_load_into_adam() -> None:
    sgd = SGD([Value(1.0)], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="not a Adam state_dict"):
        Adam([Value(1.0)]).load_state_dict(sgd)
    with pytest.raises(ValueError, match="param group has the keys"):
        SGD([Value(1.0)], lr=0.1).load_state_dict(
            {"state": {}, "param_groups": [{"lr": 0.1, "params": [0]}]})
