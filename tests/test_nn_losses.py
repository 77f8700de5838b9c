"""mse_loss: the three reductions against plain-float sums, their gradients against the
closed forms, one node each, and bad input."""

from __future__ import annotations

import pytest

from autograd import Value
from nn import mse_loss

OUTS = [0.75136507, 0.772928465, -0.3]
TARGETS = [0.01, 0.99, 0.5]


@pytest.mark.parametrize(
    ("reduction", "scale", "slope"),
    [("mean", 1 / 3, 2 / 3), ("sum", 1.0, 2.0), ("half_sum", 0.5, 1.0)],
)
def test_reductions_and_their_gradients(reduction: str, scale: float, slope: float) -> None:
    os_ = [Value(o) for o in OUTS]
    loss = mse_loss(os_, TARGETS, reduction)  # type: ignore[arg-type]
    squares = [(o - y) ** 2 for o, y in zip(OUTS, TARGETS)]
    assert loss.data == pytest.approx(scale * sum(squares), rel=1e-15)
    loss.backward()
    for o, y, v in zip(OUTS, TARGETS, os_):
        # mean: 2/n (o - y); sum: 2 (o - y); half_sum: the article's -(y - o)
        assert v.grad == pytest.approx(slope * (o - y), rel=1e-15)


def test_the_articles_cost_is_one_node_with_the_articles_value() -> None:
    o = [Value(0.75136507), Value(0.772928465)]
    J = mse_loss(o, [0.01, 0.99], "half_sum")
    assert J.op == "half_sse"
    assert J.parents[:2] == tuple(o)
    # Mazur: E_total = 0.274811083 + 0.023560026 = 0.298371109 (from the rounded outputs)
    assert J.data == pytest.approx(0.298371109, abs=5e-9)


def test_mean_is_the_default_and_matches_pytorch_mseloss() -> None:
    loss = mse_loss([Value(1.0), Value(3.0)], [0.0, 0.0])
    assert loss.op == "mse"
    assert loss.data == 5.0  # (1 + 9) / 2


def test_a_single_output_and_target() -> None:
    o = Value(0.5)
    loss = mse_loss(o, 1.5, "sum")
    assert loss.data == 1.0
    loss.backward()
    assert o.grad == -2.0


def test_targets_may_be_values_and_get_gradients() -> None:
    o, y = Value(2.0), Value(0.5)
    mse_loss([o], [y], "half_sum").backward()
    assert (o.grad, y.grad) == (1.5, -1.5)


def test_length_mismatch_empty_and_unknown_reduction_are_value_errors() -> None:
    with pytest.raises(ValueError, match="2 outputs but 3 targets"):
        mse_loss([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^mse_loss needs at least one output$"):
        mse_loss([], [])
    with pytest.raises(ValueError, match=r"'mean', 'sum', 'half_sum'.*'avg'"):
        mse_loss([Value(1.0)], [1.0], "avg")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outputs", "targets"),
    [("ab", [1.0, 2.0]), ([Value(1.0)], "a"), ([Value(1.0)], ["a"]), (None, [1.0]),
     ([Value(1.0)], [None]), ({"a": Value(1.0)}, [1.0])],
)
def test_non_numbers_are_type_errors(outputs: object, targets: object) -> None:
    with pytest.raises(TypeError):
        mse_loss(outputs, targets)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outputs", "targets", "match"),
    [(True, 1.0, "outputs must be a list of Values or numbers, not bool"),
     (Value(1.0), False, "targets must be a list of Values or numbers, not bool"),
     (Value(1.0), {1.0}, "not set"), ((Value(1.0),), frozenset({1.0}), "not frozenset"),
     (Value(1.0), b"a", "not bytes")],
)
def test_bools_sets_and_bytes_are_type_errors(outputs: object, targets: object,
                                              match: str) -> None:
    with pytest.raises(TypeError, match=match):
        mse_loss(outputs, targets)  # type: ignore[arg-type]


def test_numpy_targets_are_numbers() -> None:
    np = pytest.importorskip("numpy")
    o = Value(1.0)
    loss = mse_loss(o, np.float32(0.5))  # (1 - 0.5)^2
    assert loss.data == 0.25
    loss.backward()
    assert o.grad == 1.0  # 2 (o - y)
    pair = [Value(1.0), Value(3.0)]
    assert mse_loss(pair, np.array([0.0, 1.0]), "sum").data == 1.0 + 4.0
    assert mse_loss(tuple(pair), range(2), "sum").data == 1.0 + 4.0
    with pytest.raises(ValueError, match="2 outputs but 3 targets"):
        mse_loss(pair, np.array([0.0, 1.0, 2.0]))


class Bag:
    """Sized and iterable, but not indexable: not a sequence (its order means nothing)."""

    def __len__(self) -> int:
        return 1

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter([1.0])


def test_a_sized_iterable_without_indexing_is_not_a_sequence() -> None:
    with pytest.raises(TypeError, match="targets must be a list of Values or numbers, not Bag"):
        mse_loss([Value(1.0)], Bag())  # type: ignore[arg-type]
