"""SGD (with momentum) and Adam against their formulas written out by hand, over several
steps with changing gradients; hyper-parameter checks."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import SGD, Adam

START = [0.5, -1.25, 3.0]
GRADS = [  # a different gradient at every step, including a sign change and a zero
    [0.1, -0.4, 2.0],
    [0.3, 0.0, -1.0],
    [-0.2, 0.7, 0.5],
    [0.05, -0.1, 0.0],
    [1.5, 0.2, -0.3],
]


def run(optimizer_factory, steps: int = len(GRADS)) -> list[float]:  # type: ignore[no-untyped-def]
    params = [Value(v) for v in START]
    opt = optimizer_factory(params)
    for k in range(steps):
        for p, g in zip(params, GRADS[k]):
            p.grad = g
        opt.step()
    return [p.data for p in params]


def test_sgd_is_the_articles_rule() -> None:
    got = run(lambda ps: SGD(ps, lr=0.5))
    want = list(START)
    for grads in GRADS:
        want = [w - 0.5 * g for w, g in zip(want, grads)]  # w <- w - a dJ/dw
    assert got == pytest.approx(want, abs=1e-15)


def test_sgd_momentum_follows_pytorch() -> None:
    lr, mu = 0.1, 0.9
    got = run(lambda ps: SGD(ps, lr=lr, momentum=mu))
    want = list(START)
    buf = [0.0, 0.0, 0.0]
    for k, grads in enumerate(GRADS):
        # torch.optim.SGD: buf = g at the first step, then buf = mu * buf + g; p -= lr * buf
        buf = list(grads) if k == 0 else [mu * b + g for b, g in zip(buf, grads)]
        want = [w - lr * b for w, b in zip(want, buf)]
    assert got == pytest.approx(want, abs=1e-14)


def test_sgd_momentum_first_steps_in_closed_form() -> None:
    p = Value(0.0)
    opt = SGD([p], lr=1.0, momentum=0.5)
    for _ in range(3):
        p.grad = 1.0
        opt.step()
    # buffers 1, 1.5, 1.75 -> p = -(1 + 1.5 + 1.75)
    assert p.data == -4.25


def test_adam_follows_the_bias_corrected_formula() -> None:
    lr, b1, b2, eps = 0.01, 0.8, 0.95, 1e-6
    got = run(lambda ps: Adam(ps, lr=lr, betas=(b1, b2), eps=eps))
    want = list(START)
    m = [0.0] * 3
    v = [0.0] * 3
    for t, grads in enumerate(GRADS, start=1):
        m = [b1 * mi + (1 - b1) * g for mi, g in zip(m, grads)]
        v = [b2 * vi + (1 - b2) * g * g for vi, g in zip(v, grads)]
        m_hat = [mi / (1 - b1**t) for mi in m]
        v_hat = [vi / (1 - b2**t) for vi in v]
        want = [w - lr * mh / (math.sqrt(vh) + eps) for w, mh, vh in zip(want, m_hat, v_hat)]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_adam_first_step_is_lr_times_the_sign() -> None:
    p, q = Value(1.0), Value(1.0)
    opt = Adam([p, q], lr=0.1, eps=0.0)
    p.grad, q.grad = 3.0, -0.001
    opt.step()
    # m_hat = g, v_hat = g^2, so the step is lr * g / |g| = lr * sign(g), whatever |g|
    assert p.data == pytest.approx(0.9, abs=1e-15)
    assert q.data == pytest.approx(1.1, abs=1e-15)


def test_zero_grad() -> None:
    ps = [Value(1.0), Value(2.0)]
    for p in ps:
        p.grad = 5.0
    for opt in (SGD(ps, lr=0.1), Adam(ps)):
        opt.zero_grad()
        assert [p.grad for p in ps] == [0.0, 0.0]
        ps[0].grad = 1.0


def test_a_zero_learning_rate_changes_nothing_and_lr_can_be_changed() -> None:
    p = Value(1.0)
    opt = SGD([p], lr=0.0)
    p.grad = 10.0
    opt.step()
    assert p.data == 1.0
    opt.lr = 0.5
    opt.step()
    assert p.data == -4.0


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda ps: SGD(ps, lr=-0.1), ValueError, "lr must be a finite number >= 0"),
        (lambda ps: SGD(ps, lr=math.nan), ValueError, "lr"),
        (lambda ps: SGD(ps, lr="0.1"), TypeError, "lr must be a real number, not str"),
        (lambda ps: SGD(ps, lr=True), TypeError, "lr must be a real number, not bool"),
        (lambda ps: SGD(ps, lr=0.1, momentum=-0.5), ValueError, "momentum"),
        (lambda ps: Adam(ps, lr=-1.0), ValueError, "lr"),
        (lambda ps: Adam(ps, betas=(1.0, 0.999)), ValueError, r"betas\[0\] .* \[0.0, 1.0\)"),
        (lambda ps: Adam(ps, betas=(0.9, -0.1)), ValueError, r"betas\[1\]"),
        (lambda ps: Adam(ps, betas=(0.9,)), ValueError, "betas must be a pair"),
        (lambda ps: Adam(ps, betas=0.9), ValueError, "betas must be a pair"),
        (lambda ps: Adam(ps, eps=-1e-8), ValueError, "eps"),
        (lambda ps: SGD([], lr=0.1), ValueError, "empty parameter list"),
        (lambda ps: SGD([*ps, 1.0], lr=0.1), TypeError, "params must be Values, found float"),
        (lambda ps: SGD(ps[0], lr=0.1), TypeError, "not a single Value"),
        (lambda ps: Adam(5), TypeError, "iterable of Values, not int"),
    ],
)
def test_bad_arguments(make, error: type[Exception], match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        make([Value(1.0), Value(2.0)])


def test_optimizers_accept_a_generator() -> None:
    ps = [Value(1.0)]
    opt = SGD((p for p in ps), lr=1.0)
    ps[0].grad = 1.0
    opt.step()
    assert ps[0].data == 0.0
