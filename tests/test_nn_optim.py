"""SGD (with momentum) and Adam against their formulas written out by hand, over several
steps with changing gradients; hyper-parameter checks."""

from __future__ import annotations

import copy
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


# -- atomic steps, IEEE results, None gradients (issue 8, item 3) ----------------------------


def test_adam_with_eps_zero_and_a_zero_gradient_gives_nan_like_pytorch() -> None:
    p, q = Value(1.0), Value(2.0)
    opt = Adam([p, q], lr=0.1, eps=0.0)
    p.grad, q.grad = 0.0, 4.0
    opt.step()  # m = v = 0 for p: the update is 0 / 0
    assert math.isnan(p.data)
    assert q.data == pytest.approx(2.0 - 0.1, abs=1e-15)  # lr * sign(g) at the first step
    assert opt.t == 1


@pytest.mark.parametrize(
    ("grad", "sgd", "adam"),
    [(math.inf, -math.inf, math.nan), (-math.inf, math.inf, math.nan),
     (math.nan, math.nan, math.nan)],
)
def test_non_finite_gradients_give_ieee_results(grad: float, sgd: float, adam: float) -> None:
    for opt_class, want in ((SGD, sgd), (Adam, adam)):
        p, q = Value(1.0), Value(1.0)
        opt = opt_class([p, q], lr=0.5)
        p.grad, q.grad = grad, 1.0
        opt.step()
        # SGD: 1 - 0.5 * inf = -inf; Adam: m / sqrt(v) = inf / inf = nan (as torch)
        assert (math.isnan(p.data) and math.isnan(want)) or p.data == want
        assert math.isfinite(q.data)


def test_sgd_momentum_with_an_infinite_gradient_and_huge_values() -> None:
    p = Value(1e308)
    opt = SGD([p], lr=1.0, momentum=0.9)
    p.grad = -1e308
    opt.step()
    assert p.data == math.inf  # 1e308 + 1e308 overflows to inf, not OverflowError


class BadGrad(Value):
    """A Value whose gradient reads as a str (the engine refuses to store one; a subclass or
    a bug elsewhere could still hand the optimizer one)."""

    bad = False

    @property  # type: ignore[override]
    def grad(self) -> object:
        return "0.5" if self.bad else 1.0

    @grad.setter
    def grad(self, value: object) -> None:
        pass


@pytest.mark.parametrize("factory", [lambda ps: SGD(ps, lr=0.1),
                                     lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                     lambda ps: Adam(ps, lr=0.1)])
def test_a_bad_gradient_changes_nothing(factory) -> None:  # type: ignore[no-untyped-def]
    ps = [Value(1.0), Value(2.0), BadGrad(3.0)]
    opt = factory(ps)
    for p in ps[:2]:
        p.grad = 1.0
    opt.step()
    state = ([p.data for p in ps], {k: copy.deepcopy(v) for k, v in vars(opt).items()
                                    if k != "params"})
    ps[2].bad = True  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="parameter 2 has a gradient of type str"):
        opt.step()
    after = ([p.data for p in ps], {k: v for k, v in vars(opt).items() if k != "params"})
    assert after == state  # every parameter, every buffer, t: as before the failed step


def test_numpy_gradients_are_read_as_floats() -> None:
    np = pytest.importorskip("numpy")
    p = Value(1.0)
    opt = SGD([p], lr=np.float32(0.5))
    p.grad = np.float32(2.0)
    opt.step()
    assert p.data == 0.0
    assert type(p.data) is float


def test_sgd_skips_parameters_without_a_gradient() -> None:
    p, q = Value(1.0), Value(1.0)
    opt = SGD([p, q], lr=0.5)
    opt.zero_grad(set_to_none=True)
    assert p.grad is None and q.grad is None
    q.grad = 2.0
    opt.step()
    assert p.data == 1.0
    assert q.data == 0.0


def test_sgd_momentum_buffer_starts_at_a_parameters_first_gradient() -> None:
    p, q = Value(0.0), Value(0.0)
    opt = SGD([p, q], lr=1.0, momentum=0.5)
    p.grad, q.grad = 1.0, None  # type: ignore[assignment]
    opt.step()  # p: buf 1; q: skipped, no buffer yet
    p.grad, q.grad = 1.0, 1.0
    opt.step()  # p: buf 1.5; q: buf = g = 1 (its first step), not 0.5 * 0 + 1 by luck only
    p.grad, q.grad = None, 1.0  # type: ignore[assignment]
    opt.step()  # p: skipped, its buffer kept (not decayed); q: buf 1.5
    p.grad, q.grad = 1.0, 1.0
    opt.step()  # p: buf 0.5 * 1.5 + 1 = 1.75; q: buf 1.75
    assert p.data == -(1.0 + 1.5 + 1.75)
    assert q.data == -(1.0 + 1.5 + 1.75)


def test_adam_counts_steps_per_parameter_and_skips_none() -> None:
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    p, q = Value(1.0), Value(1.0)
    opt = Adam([p, q], lr=lr, betas=(b1, b2), eps=eps)
    p.grad, q.grad = 0.5, None  # type: ignore[assignment]
    opt.step()
    assert q.data == 1.0
    p.grad, q.grad = None, -2.0  # type: ignore[assignment]
    opt.step()
    p_after_one = 1.0 - lr * 0.5 / (0.5 + eps)  # t = 1: m_hat = g, v_hat = g^2
    assert p.data == pytest.approx(p_after_one, abs=1e-15)  # untouched at the second step
    # q's first step (t = 1 for q, although the optimizer's second): lr * sign(g)
    assert q.data == pytest.approx(1.0 + lr * 2.0 / (2.0 + eps), abs=1e-15)
    p.grad, q.grad = 0.5, -2.0
    opt.step()
    m = b1 * (1 - b1) * 0.5 + (1 - b1) * 0.5  # p's second step
    v = b2 * (1 - b2) * 0.25 + (1 - b2) * 0.25
    want = p_after_one - lr * (m / (1 - b1**2)) / (math.sqrt(v / (1 - b2**2)) + eps)
    assert p.data == pytest.approx(want, rel=1e-13)
    assert opt.t == 3


def test_zero_grad_set_to_none_and_the_default() -> None:
    ps = [Value(1.0), Value(2.0)]
    for opt in (SGD(ps, lr=0.1), Adam(ps)):
        for p in ps:
            p.grad = 3.0
        opt.zero_grad(set_to_none=True)
        assert [p.grad for p in ps] == [None, None]
        opt.zero_grad()
        assert [p.grad for p in ps] == [0.0, 0.0]
        assert all(type(p.grad) is float for p in ps)


def test_duplicate_parameters_are_rejected_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)  # equal data, different parameters: fine
    SGD([a, b], lr=0.1)
    with pytest.raises(ValueError, match="parameter 2 is the same Value as parameter 0"):
        SGD([a, b, a], lr=0.1)
    with pytest.raises(ValueError, match="parameter 1 is the same Value as parameter 0"):
        Adam([b, b])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda ps: SGD(ps, lr=math.inf), "lr"),
        (lambda ps: SGD(ps, lr=-math.inf), "lr"),
        (lambda ps: SGD(ps, lr=10**400), "lr"),
        (lambda ps: SGD(ps, lr=0.1, momentum=math.nan), "momentum"),
        (lambda ps: Adam(ps, lr=math.nan), "lr"),
        (lambda ps: Adam(ps, betas=(math.nan, 0.9)), r"betas\[0\]"),
        (lambda ps: Adam(ps, betas=(0.9, 1.0)), r"betas\[1\]"),
        (lambda ps: Adam(ps, betas=(-0.1, 0.9)), r"betas\[0\]"),
        (lambda ps: Adam(ps, eps=math.inf), "eps"),
        (lambda ps: Adam(ps, eps=-5e-324), "eps"),
    ],
)
def test_bad_hyper_parameters_at_construction(make, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        make([Value(1.0)])


def test_edge_hyper_parameters_that_are_fine() -> None:
    p = Value(1.0)
    opt = Adam([p], lr=0.0, betas=(0.0, 0.0), eps=0.0)
    assert (opt.lr, opt.betas, opt.eps) == (0.0, (0.0, 0.0), 0.0)
    p.grad = 2.0
    opt.step()  # beta = 0: m = g, v = g^2, no bias correction; lr = 0: no move
    assert p.data == 1.0
    assert SGD([p], lr=1e-300, momentum=0.0).lr == 1e-300


def test_hyper_parameters_are_checked_when_set_later() -> None:
    ps = [Value(1.0)]
    sgd, adam = SGD(ps, lr=0.1, momentum=0.5), Adam(ps)
    for opt, name, bad in ((sgd, "lr", math.nan), (sgd, "momentum", -1.0), (adam, "lr", -0.5),
                           (adam, "eps", math.nan), (adam, "betas", (0.9, 1.5))):
        before = getattr(opt, name)
        with pytest.raises(ValueError, match=name):
            setattr(opt, name, bad)
        assert getattr(opt, name) == before
    adam.betas = [0.5, 0.25]  # type: ignore[assignment]
    assert adam.betas == (0.5, 0.25)


def test_the_base_optimizer_has_no_step() -> None:
    from nn import Optimizer

    with pytest.raises(NotImplementedError, match="Optimizer does not define step"):
        Optimizer([Value(1.0)]).step()


def test_adam_defaults_are_pytorchs() -> None:
    opt = Adam([Value(1.0)])
    assert (opt.lr, opt.betas, opt.eps, opt.t) == (1e-3, (0.9, 0.999), 1e-8, 0)
    assert SGD([Value(1.0)], lr=0.1).momentum == 0.0


def test_momentum_one_keeps_every_gradient() -> None:
    p = Value(0.0)
    opt = SGD([p], lr=1.0, momentum=1.0)
    for _ in range(3):
        p.grad = 1.0
        opt.step()
    assert p.data == -(1.0 + 2.0 + 3.0)  # buffers 1, 2, 3


@pytest.mark.parametrize(
    ("params", "message"),
    [(Value(1.0), "params must be an iterable of Values (e.g. model.parameters()), "
                  "not a single Value"),
     ([], "the optimizer got an empty parameter list"),
     (3, "params must be an iterable of Values, not int")],
)
def test_parameter_list_messages(params: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        SGD(params, lr=0.1)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_sgd_skips_a_none_grad_exactly_even_at_negative_zero() -> None:
    # the slot of a None grad holds a -0.0 sentinel: p - lr * (-0.0) would turn -0.0 into 0.0
    p, q = Value(-0.0), Value(2.0)
    opt = SGD([p, q], lr=0.5)
    opt.zero_grad(set_to_none=True)
    q.grad = 4.0
    opt.step()
    assert math.copysign(1.0, p.data) == -1.0 and p.grad is None
    assert q.data == 2.0 - 0.5 * 4.0
    p.grad = -0.0  # a real zero gradient does update: -0.0 - 0.5 * -0.0 = -0.0 + 0.0 = 0.0
    opt.step()
    assert math.copysign(1.0, p.data) == 1.0


def test_sgd_reads_a_value_subclass_through_its_own_properties() -> None:
    class Scaled(Value):
        @property  # type: ignore[override]
        def grad(self) -> float:
            return 10.0

        @grad.setter
        def grad(self, value: float | None) -> None:
            pass

    p, q = Scaled(1.0), Value(1.0)
    q.grad = 1.0
    SGD([p, q], lr=0.1).step()
    assert (p.data, q.data) == (1.0 - 0.1 * 10.0, 1.0 - 0.1 * 1.0)


def test_sgd_writes_a_value_subclass_through_its_own_data_property() -> None:
    class Frozen(Value):  # a parameter that ignores writes
        @property  # type: ignore[override]
        def data(self) -> float:
            return self._data

        @data.setter
        def data(self, value: float) -> None:
            pass

    p = Frozen(1.0)
    p.grad = 1.0
    SGD([p], lr=0.1).step()
    assert p.data == 1.0


def test_plain_sgd_applies_only_real_gradients() -> None:
    # the fast path of SGD.step: a frozen leaf keeps its number whatever its .grad says, a
    # None grad is skipped (p stays -0.0, where p - lr * -0.0 would give +0.0), an untouched
    # leaf keeps its number, and a real gradient moves its parameter by -lr * g exactly
    from autograd import Value
    from nn import SGD

    frozen = Value(1.5, requires_grad=False)
    frozen.grad = 4.0
    no_grad_yet = Value(-0.0)
    no_grad_yet.grad = None
    untouched = Value(-0.0)
    moved = Value(1.0)
    moved.grad = 0.25
    SGD([frozen, no_grad_yet, untouched, moved], lr=0.5).step()
    assert frozen.data == 1.5 and frozen.grad == 4.0
    assert math.copysign(1.0, no_grad_yet.data) == -1.0 and no_grad_yet.grad is None
    assert math.copysign(1.0, untouched.data) == -1.0
    assert moved.data == 1.0 - 0.5 * 0.25


def test_nesterov_without_momentum_is_refused_at_step_even_on_the_fast_path() -> None:
    from autograd import Value
    from nn import SGD

    opt = SGD([Value(1.0)], lr=0.1, momentum=0.5, nesterov=True)
    opt.momentum = 0.0  # hyper-parameters can be changed between steps, as in PyTorch
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum > 0"):
        opt.step()
