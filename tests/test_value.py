"""The Value node: construction, type errors, the micrograd-compatible surface."""

from __future__ import annotations

import math
import operator
import re
from fractions import Fraction

import pytest

from autograd import Value, add_n, squared_error, weighted_sum


@pytest.mark.parametrize("bad", ["3", None, 1j, [1.0], (1.0,), {"a": 1}, b"1", object()])
def test_constructor_rejects_non_numbers_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Value data must be a real number"):
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
    assert d.op == "add" and d.parents == (a,) and d.inputs == (a, 1.0)
    assert type(d.inputs[1]) is float and d.local_grads == (1.0,)
    e = 2 - a
    assert e.op == "sub" and e.parents == (a,) and e.inputs == (2.0, a)
    assert e.local_grads == (-1.0,)
    assert c.inputs == c.parents and (a * a).inputs == (a, a)
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


# -- issue 8 item 8: data, grad and seeds are built-in floats ---------------------------------


def test_data_and_grad_assignments_convert_real_numbers_to_float() -> None:
    np = pytest.importorskip("numpy")
    w = Value(1.0)
    for x, expected in [(np.float64(0.5), 0.5), (np.float32(0.25), 0.25), (3, 3.0),
                        (np.int64(-2), -2.0), (Fraction(1, 8), 0.125), (True, 1.0)]:
        w.data = x
        assert type(w.data) is float and w.data == expected
        w.grad = x
        assert type(w.grad) is float and w.grad == expected
    w.data = np.float64(0.5)
    assert w.relu().data == 0.5  # was an unrelated ValueError with a numpy scalar in .data
    w.data = 3  # an int in .data broke relu/abs/div
    assert (w.relu().data, abs(-w).data, (w / 0).data) == (3.0, 3.0, math.inf)
    w.data = -(10**400)
    assert w.data == -math.inf


@pytest.mark.parametrize("bad", ["1", 1j, [1.0], object()])
def test_data_and_grad_reject_non_numbers_naming_the_type(bad: object) -> None:
    w = Value(1.0)
    with pytest.raises(TypeError, match=r"Value\.data.*" + type(bad).__name__):
        w.data = bad  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"Value\.grad.*" + type(bad).__name__):
        w.grad = bad  # type: ignore[assignment]
    with pytest.raises(TypeError):
        w.data = None  # type: ignore[assignment]
    assert (w.data, w.grad) == (1.0, 0.0)


def test_grad_none_means_no_gradient_yet() -> None:
    w = Value(2.0)
    w.grad = None
    assert w.grad is None
    (w * 3).backward()
    assert w.grad == 3.0 and type(w.grad) is float
    w.grad = None
    w.backward()  # a leaf root
    assert w.grad == 1.0
    u = Value(1.0)
    u.grad = None
    (u * u).backward()  # two contributions: the first replaces None, the second adds
    assert u.grad == 2.0


def test_big_integers_round_to_infinity_with_their_sign() -> None:
    assert Value(10**400).data == math.inf
    assert Value(-(10**400)).data == -math.inf


# -- issue 8 item 13 / issue 9 item 3: PyTorch habits --------------------------------------


def test_comparisons_read_the_numbers_and_return_bools() -> None:
    np = pytest.importorskip("numpy")
    a, b = Value(1.0), Value(2.0)
    pairs = [(a, b), (a, 2.0), (a, 2), (1.0, b), (a, Fraction(3, 2)), (a, np.float32(2))]
    for left, right in pairs:
        results = (left == right, left != right, left < right, left <= right,
                   left > right, left >= right)
        assert results == (False, True, True, True, False, False)
        assert all(type(r) is bool for r in results)
    assert Value(1.0) == 1.0 and Value(1.0) == Value(1.0) and Value(1.0) == 1
    assert (Value(1.0) != 1.0) is False
    assert (Value(3.0) <= 3.0, Value(3.0) >= 3.0, Value(3.0) < 3.0, Value(3.0) > 3.0) == (
        True, True, False, False)
    assert (np.float64(2.0) > a) is True
    nan = Value(math.nan)
    assert (nan == nan, nan != nan, nan < 1.0, nan >= 1.0) == (False, True, False, False)
    assert Value(-0.0) == 0.0
    # against an int beyond the float range, exactly as Python compares float and int
    assert (Value(1.0) == 10**400) is False and (Value(math.inf) > 10**400) is True


def test_comparisons_with_non_numbers() -> None:
    v = Value(1.0)
    assert (v == "1.0") is False and (v != "1.0") is True and (v == None) is False  # noqa: E711
    for bad in ["a", None, [1.0]]:
        for compare in (operator.lt, operator.le, operator.gt, operator.ge):
            with pytest.raises(TypeError):
                compare(v, bad)


def test_values_hash_by_identity_even_when_equal() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == b and hash(a) != hash(b) and hash(a) == object.__hash__(a)
    assert len({a, b}) == 2
    assert {a: 1, b: 2}[a] == 1


def test_bool_int_round_float_item_format() -> None:
    assert bool(Value(0.0)) is False and bool(Value(-0.0)) is False
    assert bool(Value(0.5)) is True and bool(Value(math.nan)) is True
    assert bool(Value(-math.inf)) is True
    assert int(Value(2.9)) == 2 and int(Value(-2.9)) == -2 and type(int(Value(2.0))) is int
    assert round(Value(2.5)) == 2 and round(Value(3.5)) == 4 and type(round(Value(1.2))) is int
    assert round(Value(2.567), 2) == 2.57 and round(Value(1234.5), -2) == 1200.0
    assert float(Value(0.25)) == 0.25 and Value(0.25).item() == 0.25
    assert type(Value(3).item()) is float
    with pytest.raises(ValueError):
        int(Value(math.nan))
    with pytest.raises(OverflowError):
        round(Value(math.inf))
    v = Value(1.0 / 3.0, "w")
    assert f"{v:.3f}" == "0.333" and f"{v:8.2e}" == "3.33e-01" and format(v, "g") == "0.333333"
    assert f"{v}" == str(v) == repr(v) and format(v, "") == repr(v)


def test_is_leaf_and_requires_grad_are_read_only_views() -> None:
    from autograd import no_grad

    x = Value(1.0)
    y = x * 2
    with no_grad():
        z = x * 2
    assert (x.is_leaf, y.is_leaf, z.is_leaf) == (True, False, True)
    assert (x.requires_grad, y.requires_grad, z.requires_grad) == (True, True, False)
    assert y.detach().requires_grad and y.parents == (x,)
    with pytest.raises(AttributeError):
        x.is_leaf = False  # type: ignore[misc]
    with pytest.raises(AttributeError):
        x.requires_grad = False  # type: ignore[misc]


def test_pos_returns_the_value_itself() -> None:
    x = Value(-2.0)
    assert +x is x


def test_reflected_operators_keep_the_operand_order() -> None:
    x = Value(2.0)
    for expr, value, slope in [
        (lambda: 3 - x, 1.0, -1.0),
        (lambda: 3 / x, 1.5, -0.75),
        (lambda: 3**x, 9.0, 9.0 * math.log(3.0)),
        (lambda: 3 + x, 5.0, 1.0),
        (lambda: 3 * x, 6.0, 3.0),
    ]:
        x.grad = 0.0
        out = expr()
        assert out.parents == (x,) and out.inputs == (3.0, x)
        out.backward()
        assert out.data == value
        assert x.grad == pytest.approx(slope, rel=1e-15)


def test_detach_keeps_the_label() -> None:
    a = Value(2.0, "a")
    d = (a * 3).detach()
    assert d.label == ""
    d2 = a.detach()
    assert d2.label == "a" and d2 is not a and d2.data == 2.0


# -- issue 8 item 6: copies and pickles -----------------------------------------------------


def test_copies_and_pickles_of_a_leaf_are_new_leaves() -> None:
    import copy
    import pickle

    v = Value(1.5, "w1")
    v.grad = -0.25
    for c in (copy.copy(v), copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert c is not v and type(c) is Value
        assert (c.data, c.grad, c.label, c.parents, c.op) == (1.5, -0.25, "w1", (), "")
        (c * 2).backward()
        assert c.grad == 1.75 and v.grad == -0.25  # independent
    v.grad = None
    assert copy.deepcopy(v).grad is None
    from autograd import no_grad

    with no_grad():
        frozen = v * 2
    assert not copy.copy(frozen).requires_grad
    assert not pickle.loads(pickle.dumps(frozen)).requires_grad
    assert copy.copy(v).requires_grad


def test_deepcopy_keeps_shared_leaves_shared() -> None:
    import copy

    w = Value(0.5)
    pair = copy.deepcopy([w, w])
    assert pair[0] is pair[1] and pair[0] is not w


def test_copies_of_a_non_leaf_raise_and_say_detach() -> None:
    import copy
    import pickle

    n = Value(2.0) * 3
    for make in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(RuntimeError, match=r"detach\(\)"):
            make(n)
    assert copy.copy(n.detach()).data == 6.0


def test_copying_a_deep_chain_never_recurses() -> None:
    import copy
    import pickle

    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    for make in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(RuntimeError, match="leaf"):
            make(y)
    leaves = [Value(float(i)) for i in range(100_000)]
    assert copy.deepcopy(leaves)[-1].data == 99_999.0


def test_a_model_of_values_pickles_and_deepcopies() -> None:
    import copy
    import pickle

    from nn import MLP

    model = MLP(2, [3, 1], seed=0)
    x = [0.5, -1.0]
    expected = model(x).data
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone(x).data == expected
        params = clone.parameters()
        assert all(p is not q for p, q in zip(params, model.parameters()))
        assert [p.data for p in params] == [p.data for p in model.parameters()]
        clone(x).backward()
        assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    "symbol, operation",
    [
        ("+", operator.add), ("-", operator.sub), ("*", operator.mul), ("/", operator.truediv),
        ("**", operator.pow),
    ],
)
def test_operator_errors_name_the_operator_on_both_sides(symbol: str, operation) -> None:  # type: ignore[no-untyped-def]
    message = "^unsupported operand type for " + re.escape(symbol) + ": Value and str"
    with pytest.raises(TypeError, match=message):
        operation(Value(2.0), "x")
    with pytest.raises(TypeError, match=message):
        operation("x", Value(2.0))


def test_repr_of_an_unlabelled_leaf_and_a_node() -> None:
    assert repr(Value(1.0)) == "Value(data=1.0, grad=0.0)"
    assert repr(Value(2.0) * 3.0) == "Value(data=6.0, grad=0.0, op='mul')"
    w = Value(0.5)
    w.grad = None
    assert repr(w) == "Value(data=0.5, grad=None)"


class _Reflecting:
    """A type that answers comparisons with a Value itself (a reflected operand)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, Value)  # False: distinguishable from float's default

    def __lt__(self, other: object) -> bool:
        return isinstance(other, Value)

    def __le__(self, other: object) -> bool:
        return isinstance(other, Value)

    def __gt__(self, other: object) -> bool:
        return isinstance(other, Value)

    def __ge__(self, other: object) -> bool:
        return isinstance(other, Value)

    __hash__ = object.__hash__


def test_comparisons_defer_to_the_other_operand() -> None:
    # NotImplemented lets the other type's reflected method answer (here: True each time)
    v, r = Value(1.0), _Reflecting()
    assert (v == r) is True and (v != r) is False
    assert (v < r) is True and (v <= r) is True and (v > r) is True and (v >= r) is True


def test_sums_of_values_mixed_with_numbers() -> None:
    x = Value(2.0)
    s = add_n([x, 3.0, 4])
    assert s.data == 9.0 and s.parents == (x,) and s.inputs == (x, 3.0, 4.0)
    s.backward()
    assert x.grad == 1.0
    w = Value(0.5)
    net = weighted_sum([w, 2.0], [4.0, x])  # no bias: 0
    assert net.data == 0.5 * 4.0 + 2.0 * 2.0 and net.parents == (w, x)
    assert net.inputs == (w, 2.0, 4.0, x, 0.0) and net.local_grads == (4.0, 2.0)
    net.backward()
    assert (w.grad, x.grad) == (4.0, 1.0 + 2.0)
    e = squared_error([x, 1.0], [0.0, 1.0], "sum")
    assert e.data == 4.0


@pytest.mark.parametrize(
    "call, what",
    [
        (lambda: add_n(3.0), "values"),  # type: ignore[arg-type]
        (lambda: weighted_sum(1.0, [1.0]), "weights"),  # type: ignore[arg-type]
        (lambda: weighted_sum([1.0], 1.0), "inputs"),  # type: ignore[arg-type]
        (lambda: squared_error(1.0, [1.0]), "outputs"),  # type: ignore[arg-type]
        (lambda: squared_error([1.0], 1.0), "targets"),  # type: ignore[arg-type]
    ],
)
def test_sequence_errors_name_the_argument(call, what: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="^" + what + " must be an ordered sequence"):
        call()


# -- the inline fast paths give the numbers of their rule-table rows, bit for bit ----------

_EDGE_POINTS = [0.0, -0.0, 5e-324, -5e-324, 1e-300, 0.5, -2.0, 3.0, 1e308, -1e308,
                math.inf, -math.inf, math.nan, 710.0, -745.0]


def _same(a: float, b: float) -> bool:
    """Equal as IEEE bit patterns would be: nan equals nan, 0.0 differs from -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@pytest.mark.parametrize("a", _EDGE_POINTS)
def test_inline_activations_are_their_rows(a: float) -> None:
    from autograd import ops

    for method, op in ((Value.sigmoid, ops.SIGMOID), (Value.tanh, ops.TANH),
                       (Value.relu, ops.RELU)):
        node = method(Value(a))
        out = op.forward(a)
        (local,) = op.local_grads(out, a)
        assert node.operation is op and _same(node.data, out), (op.name, a)
        assert _same(node.local_grads[0], local) and type(node.local_grads[0]) is type(local)


@pytest.mark.parametrize("a", _EDGE_POINTS)
@pytest.mark.parametrize("b", [0.0, -0.0, 5e-324, 2.0, -math.inf, math.nan])
def test_inline_operators_are_their_rows(a: float, b: float) -> None:
    from autograd import ops

    for op, make in ((ops.ADD, lambda x, y: x + y), (ops.SUB, lambda x, y: x - y),
                     (ops.MUL, lambda x, y: x * y)):
        out = op.forward(a, b)
        locals_ = op.local_grads(out, a, b)
        x, y = Value(a), Value(b)
        both = make(x, y)  # two Values
        assert both.operation is op and _same(both.data, out)
        assert both.parents == (x, y) and all(map(_same, both.local_grads, locals_))
        right = make(x, b)  # Value (op) number: the number is an input, not a parent
        assert _same(right.data, out) and right.parents == (x,) and right.inputs == (x, b)
        assert _same(right.local_grads[0], locals_[0])
        left = make(a, y)  # number (op) Value, through the row
        assert _same(left.data, out) and left.parents == (y,) and left.inputs == (a, y)
        assert _same(left.local_grads[0], locals_[1])


def test_a_neuron_net_node_is_the_wsum_row() -> None:
    from autograd import ops
    from autograd.value import _net

    w = [Value(0.1), Value(-0.0), Value(1e308)]
    b = Value(-0.0)
    for xs in ([0.5, -0.0, 1e308], [Value(0.5), Value(-0.0), Value(2.0)]):
        xdata = [x.data if isinstance(x, Value) else x for x in xs]
        args = [p.data for p in w] + xdata + [b.data]
        out = ops.WSUM.forward(*args)
        rules = ops.WSUM.local_grads(out, *args)
        numbers = all(type(x) is float for x in xs)
        node = _net(w, xs, xs if numbers else xdata, b)
        assert _same(node.data, out) and node.label == "net" and node.op == "wsum"
        values = [i for i, x in enumerate((*w, *xs, b)) if isinstance(x, Value)]
        assert node.parents == tuple((*w, *xs, b)[i] for i in values)
        assert all(map(_same, node.local_grads, [rules[i] for i in values]))
        assert node.inputs == (*w, *xs, b)
    mixed = _net(w, [0.5, Value(2.0), 3.0], None, b)  # a mix: the general path
    assert mixed.data == ops.WSUM.forward(0.1, -0.0, 1e308, 0.5, 2.0, 3.0, -0.0)
    assert mixed.label == "net" and mixed.parents == (*w, mixed.inputs[4], b)


@pytest.mark.parametrize("reduction", ["mean", "sum", "half_sum"])
def test_the_squared_error_node_is_its_row(reduction: str) -> None:
    from autograd import ops

    row = {"mean": ops.MSE, "sum": ops.SSE, "half_sum": ops.HALF_SSE}[reduction]
    for outs, ys in (([0.75, -0.0, 1e308], [0.01, 0.0, -1e308]),
                     ([5e-324, math.inf, 2.0], [0.0, 1.0, math.nan]),
                     ([0.1], [0.3])):
        values = [Value(o) for o in outs]
        node = squared_error(values, ys, reduction)  # type: ignore[arg-type]
        args = [*outs, *ys]
        out = row.forward(*args)
        rules = row.local_grads(out, *args)
        assert node.operation is row and _same(node.data, out)
        assert node.parents == tuple(values) and node.inputs == (*values, *ys)
        assert all(map(_same, node.local_grads, rules[:len(outs)]))


def _fast_paths(x: Value, y: Value) -> dict[str, Value]:
    """One node from each path that builds its node inline, on the operands given."""
    from autograd.value import _net, as_value

    return {
        "x + y": x + y, "x + 2": x + 2.0, "x - y": x - y, "x - 2": x - 2.0,
        "x * y": x * y, "x * 2": x * 2.0, "tanh": x.tanh(), "sigmoid": x.sigmoid(),
        "relu": x.relu(), "relu(-x)": (-x).relu(),
        "net on numbers": _net([x, y], [0.5, 2.0], [0.5, 2.0], y),
        "net on Values": _net([x], [y], [y.data], x),
        "squared error": squared_error([x, y], [0.5, 2.0], "half_sum"),
        "2 - x": 2.0 - x, "x / y": x / y, "x ** 2": x**2,
        "constant": as_value(3.0),
    }


def test_every_new_node_starts_unlabelled_with_a_zero_float_grad() -> None:
    for name, node in _fast_paths(Value(0.75), Value(-1.5)).items():
        assert node.label == ("net" if name.startswith("net") else ""), name
        assert node.grad == 0.0 and type(node.grad) is float, name


def test_no_grad_turns_every_fast_path_into_a_leaf() -> None:
    from autograd import no_grad

    x, y = Value(0.75), Value(-1.5)
    with no_grad():
        made = _fast_paths(x, y)
    for name, node in made.items():
        assert node.is_leaf and node.parents == () and node.op == "", name
        if name != "constant":
            assert not node.requires_grad, name
    expected = _fast_paths(x, y)  # and the numbers are the same as with recording
    for name, node in made.items():
        assert _same(node.data, expected[name].data), name


def test_detect_anomaly_checks_every_fast_path() -> None:
    from autograd import detect_anomaly

    nan, inf = Value(math.nan), Value(math.inf)
    with detect_anomaly():
        for _, make in [("x + y", lambda: inf + Value(-math.inf)), ("x + 2", lambda: nan + 2.0),
                           ("x - y", lambda: inf - inf), ("x - 2", lambda: nan - 2.0),
                           ("x * y", lambda: inf * Value(0.0)), ("x * 2", lambda: inf * 2.0),
                           ("tanh", nan.tanh), ("sigmoid", nan.sigmoid), ("relu", nan.relu),
                           ("squared error", lambda: squared_error([inf], [1.0]))]:
            with pytest.raises(FloatingPointError, match="detect_anomaly: forward"):
                make()


def test_apply_names_what_it_got_instead_of_an_op() -> None:
    from autograd import apply

    with pytest.raises(TypeError, match=r"^apply\(\) takes an Op first, not str$"):
        apply("mul", Value(1.0))  # type: ignore[arg-type]


def test_number_operands_are_kept_as_built_in_floats() -> None:
    w, x = Value(0.5), Value(2.0)
    net = weighted_sum([w], [x], 1)  # an int bias
    assert net.inputs == (w, x, 1.0) and type(net.inputs[-1]) is float
    s = add_n([x, 3])
    assert type(s.inputs[1]) is float
    e = squared_error([x], [1])
    assert type(e.inputs[1]) is float and e.data == 1.0


def test_the_no_gradient_yet_marker_survives_copy_and_pickle_as_itself() -> None:
    import copy
    import pickle

    from autograd.value import NO_GRAD_YET

    assert pickle.loads(pickle.dumps(NO_GRAD_YET)) is NO_GRAD_YET
    assert copy.deepcopy(NO_GRAD_YET) is NO_GRAD_YET
    v = Value(1.0)
    v.grad = None
    assert v._grad is NO_GRAD_YET and pickle.loads(pickle.dumps(v)).grad is None


def test_a_label_that_is_not_a_str_is_named() -> None:
    with pytest.raises(TypeError, match=r"^Value label must be a str, not int$"):
        Value(1.0, 3)  # type: ignore[arg-type]


def test_as_value_makes_a_constant_leaf() -> None:
    from autograd.value import as_value

    c = as_value(2)
    assert c.data == 2.0 and type(c.data) is float and c.is_leaf and c.requires_grad
    assert c.parents == () and c.local_grads == () and c.inputs == () and c.label == ""
    x = Value(1.0)
    assert as_value(x) is x
