"""The Value node: construction, type errors, the micrograd-compatible surface."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from autograd import Value


@pytest.mark.parametrize("bad", ["3", None, 1j, [1.0], (1.0,), {"a": 1}, b"1", object()])
def test_constructor_rejects_non_numbers_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]


def test_constructor_accepts_real_numbers() -> None:
    np = pytest.importorskip("numpy")  # numpy is installed with the dev extras
    for x, expected in [
        (3, 3.0),
        (2.5, 2.5),
        (True, 1.0),
        (Fraction(1, 4), 0.25),
        (np.float64(1.5), 1.5),
        (np.float32(0.5), 0.5),
        (np.int64(7), 7.0),
    ]:
        v = Value(x)
        assert v.data == expected
        assert type(v.data) is float
    assert Value(2.0).grad == 0.0


def test_label_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["3", None, 1j, [1.0]])
@pytest.mark.parametrize(
    "operation",
    [
        lambda v, o: v + o,
        lambda v, o: o + v,
        lambda v, o: v - o,
        lambda v, o: o - v,
        lambda v, o: v * o,
        lambda v, o: o * v,
        lambda v, o: v / o,
        lambda v, o: o / v,
        lambda v, o: v**o,
        lambda v, o: o**v,
    ],
)
def test_operators_reject_non_numbers_naming_the_type(bad: object, operation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match=type(bad).__name__):
        operation(Value(2.0), bad)


def test_leaf_fields() -> None:
    v = Value(1.5, "x")
    assert (v.data, v.grad, v.label, v.op, v.parents) == (1.5, 0.0, "x", "", ())


def test_parents_and_op_names() -> None:
    a, b = Value(2.0), Value(3.0)
    assert (a * a).parents == (a, a)
    c = a * b
    assert c.op == "mul" and c.parents == (a, b) and c.local_grads == (3.0, 2.0)
    d = a + 1
    assert d.op == "add" and d.parents[0] is a and d.parents[1].data == 1.0
    e = 2 - a
    assert e.op == "sub" and e.parents[0].data == 2.0 and e.parents[1] is a
    assert (a**2).op == "pow_const" and (a**2).parents == (a,)
    assert (a**b).op == "pow" and (2**a).op == "pow"
    assert (-a).op == "neg"


def test_micrograd_compatible_expression() -> None:
    # The example from micrograd's README, checked against its hand-derived gradients.
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.70408163265306, rel=1e-15)
    assert a.grad == pytest.approx(138.83381924198252, rel=1e-15)
    assert b.grad == pytest.approx(645.5772594752186, rel=1e-15)


def test_numbers_on_the_left_and_numpy_scalars() -> None:
    np = pytest.importorskip("numpy")
    x = Value(3.0)
    y = np.float64(2.0) * x + np.float64(1.0)
    assert isinstance(y, Value) and y.data == 7.0
    y.backward()
    assert x.grad == 2.0
    assert isinstance(np.float64(2.0) - x, Value)


def test_inplace_add_makes_a_new_node() -> None:
    a = Value(1.0)
    b = a
    b += 2
    assert a.data == 1.0 and b.data == 3.0 and b.parents[0] is a


def test_detach() -> None:
    a = Value(2.0, "a")
    b = (a * 3).detach()
    assert b.parents == () and b.op == "" and b.data == 6.0
    (b * a).backward()
    assert a.grad == 6.0  # no gradient flows through the detached branch


def test_repr_and_float() -> None:
    v = Value(0.5, "w5")
    assert repr(v) == "Value(data=0.5, grad=0.0, label='w5')"
    assert "op='exp'" in repr(v.exp())
    assert float(v) == 0.5
    assert math.isnan(float(Value(math.nan)))


def test_values_hash_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert len({a, b}) == 2
