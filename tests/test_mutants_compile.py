"""Tests written for mutmut's survivors in autograd/compile.py (docs/mutants/autograd.compile.md).

Numbers are checked against the eager engine (``fn(*args).backward()`` on fresh Values) or
closed forms; the generated code's text is checked where the survivor changed only how the
code is written (names, which template, how a check or a sum is spelled, piece sizes).
"""

from __future__ import annotations

import functools
import math
import re
import sys
import warnings
from typing import Any

import pytest

import autograd
from autograd import Op, Value, apply, ops
from autograd.compile import CHUNK_STATEMENTS, RECOMPILE_LIMIT, CompileWarning

CUBE = Op("cube_m", "c", lambda x: x * x * x, lambda out, x: (3.0 * x * x,), "3x^2")


# -- pow_const: the table's row is written with its template, an impostor runs its own code --


def test_the_tables_pow_const_row_is_written_inline() -> None:
    w = Value(3.0, "w")
    step = autograd.compile(lambda x: w**2 * x)
    assert step(2.0) == 18.0 and w.grad == 12.0  # d(w^2 x)/dw = 2 w x
    assert "pow_const0 = _pow(w, 2.0)" in step.source
    assert "(2.0 * _pow(w, 1.0))" in step.source
    assert "_custom_forward" not in step.source


def test_a_pow_const_row_outside_the_registered_table_is_written_inline() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w**3 * x)  # OPS holds pow_const(2.0) only
    assert step(0.5) == 4.0 and w.grad == 3.0 * 4.0 * 0.5
    assert "pow_const0 = _pow(w, 3.0)" in step.source and "_custom_forward" not in step.source


def test_an_impostor_with_the_tables_gradient_rule_runs_its_own_forward() -> None:
    # named pow_const, its rule the table's partial(_pow_const_grads, 2.0), but not the row
    # ops.pow_const(2.0): its forward (x^3) is the one run
    impostor = Op("pow_const", "**", lambda x: x * x * x,
                  functools.partial(ops._pow_const_grads, 2.0), "x^2?")
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: apply(impostor, w * x))
    assert step(1.5) == 27.0  # (2 * 1.5)^3
    assert w.grad == 2.0 * 3.0 * 1.5  # its rule: 2 (w x) * x
    assert "_custom_forward(" in step.source


def test_an_impostor_whose_rule_has_no_exponent_is_a_custom_op() -> None:
    # the table's rule function, but its partial holds no positional c (x given by keyword)
    impostor = Op("pow_const", "**", lambda x: x * x,
                  functools.partial(ops._pow_const_grads, x=1.0), "?")
    w = Value(2.0, "w")
    ref = Value(2.0, "w")
    step = autograd.compile(lambda x: apply(impostor, w * x))
    loss = apply(impostor, ref * 1.5)
    loss.backward()
    assert step(1.5) == loss.data == 9.0
    assert w.grad == ref.grad  # whatever the odd rule gives, eager's number


# -- custom ops ------------------------------------------------------------------------------


def test_a_custom_forward_that_stops_returning_a_number_names_the_op() -> None:
    odd = Op("odd_m", "o", lambda x: "text" if x > 5.0 else x, lambda out, x: (1.0,), "d/dx = 1")
    w = Value(1.0, "w")
    step = autograd.compile(lambda x: apply(odd, w * x))
    assert step(2.0) == 2.0
    with pytest.raises(TypeError, match=r"^the forward of op 'odd_m' must be a real number "
                                        r"\(int or float\), not str: 'text'$"):
        step(10.0)


def test_custom_op_names_become_ascii_identifiers() -> None:
    cases = {"my op-1": "__op0_my_op_1", "Cube": "__op0_Cube", "_x": "__op0_v_x",
             "3d": "__op0_v3d", "ab": "__op0_ab"}
    for op_name, expected in cases.items():
        op = Op(op_name, "o", lambda x: x * x * x, lambda out, x: (3.0 * x * x,), "3x^2")
        w = Value(2.0, "w")
        step = autograd.compile(lambda x, op=op, w=w: apply(op, w * x))
        assert step(1.0) == 8.0 and w.grad == 12.0, op_name
        assert re.search(rf"_custom_forward\({re.escape(expected)}, ", step.source), op_name


def test_a_label_that_spells_a_custom_ops_local_name_is_its_own_variable() -> None:
    def fn(x: Value, w: Value, v: Value) -> Value:
        a = w * x
        a.label = "XX_local_XXy"
        b = a * v
        y = apply(CUBE, w)
        y.label = "y"
        return b + y

    w, v = Value(1.5, "w"), Value(-2.0, "v")
    rw, rv = Value(1.5, "w"), Value(-2.0, "v")
    step = autograd.compile(lambda x: fn(x, w, v))
    eager = fn(Value(3.0), rw, rv)
    eager.backward()
    assert step(3.0) == eager.data
    assert (w.grad, v.grad) == (rw.grad, rv.grad) == (-2.0 * 3.0 + 3 * 1.5**2, 4.5)
    assert "_local_y = " in step.source


# -- how the generated code is written --------------------------------------------------------


def test_a_minus_one_local_derivative_is_a_negation() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: (x - w) * x)
    assert step(3.0) == 3.0 and w.grad == -3.0
    assert "g_w = -g_sub0" in step.source


def test_four_terms_into_one_parameter_are_one_mapped_sum() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x + w * 2.0 + w * w)
    assert step(3.0) == 6.0 + 4.0 + 4.0
    assert w.grad == 3.0 + 2.0 + 2.0 + 2.0
    assert "_total = _sum(map(_mul, " in step.source
    three = autograd.compile(lambda x: w * x + w * 2.0)
    three(3.0)
    assert "_total = _w._grad + " in three.source and "_sum(map" not in three.source


def test_eight_numbers_in_rows_are_type_checked_in_one_loop() -> None:
    w = Value(1.0, "w")

    def fn(rows: list[list[float]]) -> Value:
        return autograd.add_n([w * x for row in rows for x in row])

    step = autograd.compile(fn)
    assert step([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]) == 36.0 and w.grad == 36.0
    assert "not _float_type.issuperset(map(type, _from_iterable(rows)))" in step.source
    seven = autograd.compile(fn)
    assert seven([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]) == 28.0
    assert "_from_iterable" not in seven.source
    assert "type(rows0_0) is not float" in seven.source


def test_a_long_program_is_cut_into_pieces_of_exactly_chunk_statements() -> None:
    w = Value(1.0001, "w")

    def fn(x: Value) -> Value:
        y = x
        for _ in range(700):
            y = y * w
        return y

    step = autograd.compile(fn)
    ref = Value(1.0001)
    y: Value = Value(0.5)
    for _ in range(700):
        y = y * ref
    y.backward()
    assert step(0.5) == y.data and w.grad == ref.grad
    pieces = re.split(r"\n# piece \d+: run by \w+\(\) in its globals\n", step.source)[1:]
    assert len(pieces) >= 3
    # a top-level statement is a line that does not start with a space
    sizes = [sum(1 for line in p.splitlines() if line and line[0] != " ") for p in pieces]
    assert all(s == CHUNK_STATEMENTS for s in sizes[:-1]), sizes
    assert 0 < sizes[-1] <= CHUNK_STATEMENTS


def _repeated() -> tuple[Any, list[Value]]:
    """A loss with two loopable runs: ``tanh(u * y)`` per y (2 nodes each), then ``w * x``
    per x (1 node each), whose results a third run ``m + b`` reads (not loopable)."""
    u, w, b = Value(0.5, "u"), Value(-0.75, "w"), Value(0.25, "b")

    def fn(ys: list[float], xs: list[float]) -> Value:
        firsts = [(u * y).tanh() for y in ys]
        muls = [w * x for x in xs]
        adds = [m + b for m in muls]
        return autograd.add_n(firsts + adds)

    return fn, [u, w, b]


def test_the_unfed_repeated_shape_is_tried_first() -> None:
    # tanh(u y) (fed by nothing repeated) is tried before w x (fed to m + b), although
    # w x comes later: 8 loops of 2 nodes, not 8 loops of 1
    fn, params = _repeated()
    step = autograd.compile(fn)
    ys = [0.1 * k for k in range(8)]
    xs = [0.2 * k - 0.5 for k in range(8)]
    fresh = [Value(p.data) for p in params]
    got = step(ys, xs)
    u, w, b = fresh
    eager = autograd.add_n([(u * y).tanh() for y in ys] + [w * x + b for x in xs])
    eager.backward()
    assert got == eager.data
    assert [p.grad for p in params] == [p.grad for p in fresh]
    assert "8 repeated subgraphs of 2 nodes: one loop" in step.source
    assert "repeated subgraphs of 1 nodes" not in step.source


def test_a_rolled_loops_variables_are_named_in_and_saved() -> None:
    w = Value(0.5, "w")

    def fn(xs: list[float]) -> Value:
        outs = []
        for x in xs:
            o = (w * x).tanh()
            o.label = "out"
            outs.append(o)
        return autograd.add_n(outs)

    step = autograd.compile(fn)
    xs = [0.1 * k for k in range(9)]
    ref = Value(0.5)
    eager = autograd.add_n([(ref * x).tanh() for x in xs])
    eager.backward()
    assert step(xs) == eager.data and w.grad == ref.grad
    src = step.source
    assert "    saved = []\n" in src
    assert re.search(r"\n    for in0, in \(\(xs0, \), \(xs1, \)", src), src
    assert "        saved.append((in0, mul0, out,))\n" in src, src
    # the roots keep their label: "out" is the loop's variable, so they get fallbacks on it
    assert "\n    v0_out, v1_out, v2_out, " in src
    assert re.search(r"\n +for \(in0, mul0, out,\), g_out in zip\(reversed\(saved\), ", src), src


# -- errors and warnings --------------------------------------------------------------------


def test_a_value_argument_is_refused_with_the_full_message() -> None:
    step = autograd.compile(lambda x: x * 2.0)
    message = ("argument 1 is a Value: pass numbers (or lists of numbers) to a compiled "
               "function; Values that should receive gradients are captured by the function "
               "itself")
    with pytest.raises(TypeError, match="^" + re.escape(message) + "$"):
        step(Value(1.0))


def test_an_eager_structure_is_not_traced_again_on_later_calls() -> None:
    w = Value(1.0, "w")
    calls: list[float] = []

    def fn(x: Value) -> Value:
        calls.append(0.0)
        y = w * x
        if y.data > 0:
            return y
        return -y

    step = autograd.compile(fn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CompileWarning)
        step(2.0)
        assert len(calls) == 2  # the abandoned trace, then the eager call
        step(3.0)
        step(4.0)
    assert len(calls) == 4  # eagerly only, once per call
    assert w.grad == 9.0 and step.traces == 0


def test_one_warning_per_reason_each_with_its_full_message() -> None:
    w = Value(1.0, "w")

    def fn(xs: list[float]) -> Value:
        total = w * xs[0]
        if len(xs) == 2 and total.data > 0:
            return total
        return total * 2.0

    step = autograd.compile(fn)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(1, 12):  # 10 structures trace (the limit is 8), one reads .data
            step([1.0] * n)
        step([1.0] * 2)
        step([1.0] * 13)
    messages = [str(c.message) for c in caught if c.category is CompileWarning]
    assert len(messages) == 2, messages
    tail = "; this argument structure runs eagerly (fn(*args).backward()) from now on"
    assert messages[0].startswith("autograd.compile(fn): while tracing, ")
    assert messages[1] == ("autograd.compile(fn): traced 8 times, the limit RECOMPILE_LIMIT = 8 "
                           "(a new argument structure, or a module that changed, traces "
                           "again)" + tail)
    assert all(m.endswith(tail) for m in messages)


def test_a_varargs_function_called_with_another_number_of_arguments() -> None:
    w = Value(1.0, "w")
    step = autograd.compile(lambda *xs: autograd.add_n([w * x for x in xs]))
    assert step(1.0) == 1.0
    assert step(1.0, 2.0) == 3.0
    assert step(4.0) == 4.0  # back to one argument: the first trace again
    assert step.traces == 2 and w.grad == 1.0 + (1.0 + 2.0) + 4.0  # d/dw: x, x1 + x2, x
    assert "def <lambda>" not in step.source and "(*__args):" in step.source


def test_a_function_with_a_default_argument_is_called_with_and_without_it() -> None:
    w = Value(2.0, "w")

    def fn(x: float, scale: float = 3.0) -> Value:
        return w * x * scale

    step = autograd.compile(fn)
    assert step(1.0) == 6.0 and w.grad == 3.0
    assert step(1.0, 5.0) == 10.0 and w.grad == 3.0 + 5.0
    assert step(2.0) == 12.0 and w.grad == 3.0 + 5.0 + 6.0


def test_a_fixed_signature_keeps_its_named_parameters() -> None:
    # the article's step reads as its function: def step(x, y), no *args packing
    w = Value(2.0, "w")
    step = autograd.compile(lambda x, y: w * x + y)
    assert step(1.0, 1.0) == 3.0
    assert "(x, y):" in step.source and "__args" not in step.source
    with pytest.raises(TypeError):
        step(1.0)  # as the function itself: a missing argument


def test_source_for_after_a_module_changed_traces_anew() -> None:
    params = [Value(1.0, "a"), Value(2.0, "b")]
    step = autograd.compile(lambda x: params[0] * x + params[1])
    assert step(3.0) == 5.0
    first = step.source
    params.append(Value(4.0, "c"))  # the captured list changed
    source = step.source_for(3.0)
    assert source and source is not first and step.traces == 2


# -- numbers ----------------------------------------------------------------------------------


def test_huge_int_arguments_are_signed_infinities() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x)
    assert step(10**400) == math.inf and w.grad == math.inf
    w.grad = 0.0
    assert step(-(10**400)) == -math.inf and w.grad == -math.inf


def test_a_rolled_batch_whose_first_result_is_detached() -> None:
    w, ref = Value(0.5, "w"), Value(0.5)
    xs = [0.1 * k + 0.1 for k in range(9)]

    def fn(xs: list[float], w: Value = w) -> Value:
        outs = [(w * x).tanh() for x in xs]
        return outs[0].detach() + autograd.add_n(outs[1:])

    step = autograd.compile(fn)
    eager = fn([Value(x) for x in xs], ref)  # type: ignore[misc]
    eager.backward()
    assert ref.grad == pytest.approx(sum(x * (1 - math.tanh(0.5 * x) ** 2) for x in xs[1:]))
    assert step(xs) == eager.data
    assert w.grad == ref.grad  # compiled: 0.0


def test_a_rolled_batch_whose_later_results_are_detached() -> None:
    w, ref = Value(0.5, "w"), Value(0.5)
    xs = [0.1 * k + 0.1 for k in range(9)]

    def fn(xs: list[float], w: Value = w) -> Value:
        outs = [(w * x).tanh() for x in xs]
        return outs[0] + autograd.add_n([o.detach() for o in outs[1:]])

    step = autograd.compile(fn)
    eager = fn([Value(x) for x in xs], ref)  # type: ignore[misc]
    eager.backward()
    assert step(xs) == eager.data and w.grad == ref.grad


# -- names ------------------------------------------------------------------------------------


def test_each_op_counts_its_own_unlabelled_nodes() -> None:
    w = Value(3.0, "w")
    step = autograd.compile(lambda x: w**2 * x + w * x)
    assert step(2.0) == 24.0 and w.grad == 12.0 + 2.0
    for line in ("pow_const0 = _pow(w, 2.0)", "mul0 = pow_const0 * x", "mul1 = w * x",
                 "add0 = mul0 + mul1"):
        assert f"    {line}\n" in step.source, line


def test_a_label_that_is_a_helpers_name_without_underscore_is_not_used() -> None:
    # a parameter labelled "div" would be the object "_div", the helper's name
    w = Value(4.0, "div")
    ref = Value(4.0)
    step = autograd.compile(lambda x: x / w)
    eager = Value(2.0) / ref
    eager.backward()
    assert step(2.0) == eager.data == 0.5 and w.grad == ref.grad == -2.0 / 16.0
    assert "div = _div._data" not in step.source


def test_a_parameter_labelled_local_y_and_a_custom_node_labelled_y() -> None:
    p = Value(1.5, "local_y")
    rp = Value(1.5)

    def fn(x: Value, p: Value) -> Value:
        y = apply(CUBE, p * x)
        y.label = "y"
        return y * p

    step = autograd.compile(lambda x: fn(x, p))
    eager = fn(Value(2.0), rp)
    eager.backward()
    assert step(2.0) == eager.data and p.grad == rp.grad == 4 * 1.5**3 * 2.0**3


def test_a_label_that_spells_anothers_gradient_is_not_used() -> None:
    # w is named first; in a rolled loop its running sum g_w is set before the loop, which
    # then reads v's number: v must not be the variable g_w
    w, v = Value(1.5, "w"), Value(-2.0, "g_w")
    rw, rv = Value(1.5), Value(-2.0)
    xs = [0.5 * k for k in range(9)]
    step = autograd.compile(lambda xs: autograd.add_n([(w * x) * v for x in xs]))
    eager = autograd.add_n([(rw * x) * rv for x in xs])
    eager.backward()
    assert step(xs) == eager.data
    assert (w.grad, v.grad) == (rw.grad, rv.grad) == (-2.0 * 18.0, 1.5 * 18.0)
    assert "9 repeated subgraphs" in step.source


@pytest.mark.parametrize(("label", "name"), [
    ("a b-", "v0_a_b"), ("-A-B-", "v0_A_B"), ("Xy-", "v0_Xy"), ("-", "v0"), ("é", "v0"),
    ("_X1_", "v0_X1")])
def test_fallback_names_keep_an_ascii_slug_of_the_label(label: str, name: str) -> None:
    w = Value(2.0, label)
    step = autograd.compile(lambda x: w * x)
    assert step(3.0) == 6.0 and w.grad == 3.0
    assert f"\n    {name} = _{name}._data  # {label!r}\n" in step.source, step.source


def test_long_labels_are_cut_to_forty_characters_in_comments() -> None:
    for n, shown in ((39, None), (40, None), (41, "...")):
        label = "w-" + "a" * (n - 2)
        w = Value(2.0, label)
        step = autograd.compile(lambda x, w=w: w * x)
        step(1.0)
        comment = repr(label[:40] + (shown or ""))
        assert f"  # {comment}\n" in step.source, (n, step.source)


def test_a_labelled_private_constant_keeps_its_label_in_a_comment() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x * Value(0.5, "half-c"))
    assert step(3.0) == 3.0 and w.grad == 1.5
    assert "\n    v0_half_c = 0.5  # 'half-c'\n" in step.source, step.source


def test_generate_names_unlabelled_placeholders_and_arguments() -> None:
    from autograd.compile import build, generate

    w = Value(2.0, "w")
    x, y = Value(3.0), Value(5.0)
    root = w * x + w * y
    program = generate(root, [x, y])
    assert program.text.startswith("def step(v0_x, v1_x):\n"), program.text
    assert build(program)(3.0, 5.0) == 16.0 and w.grad == 8.0
    x2, y2 = Value(3.0), Value(5.0)
    root = w * x2 + w * y2
    program = generate(root, [x2, y2], [("", 2)])
    assert program.text.startswith("def step(v0_arg):\n    v1_x, v2_x = v0_arg\n"), program.text
    assert build(program)([3.0, 5.0]) == 16.0 and w.grad == 16.0


# -- checks and bulk forms --------------------------------------------------------------------


def test_a_list_of_eight_numbers_is_type_checked_in_one_loop() -> None:
    w = Value(1.0, "w")

    def fn(xs: list[float]) -> Value:
        return autograd.add_n([w * x for x in xs])

    step = autograd.compile(fn)
    assert step([1.0] * 8) == 8.0
    assert "not _float_type.issuperset(map(type, xs))" in step.source
    assert step([1.0] * 7) == 7.0
    assert "type(xs6) is not float" in step.source


def test_each_guard_condition_is_written_once() -> None:
    w = Value(1.0, "w")
    step = autograd.compile(lambda a, b, c, d, e: w * a * b * c * d * e)
    assert step(1.0, 2.0, 3.0, 4.0, 5.0) == 120.0
    for name in "abcde":
        assert step.source.count(f"type({name}) is not float") == 1, name
    assert step.source.count("_mode() is not _DEFAULT") == 1


def test_thirty_two_parameters_are_read_one_by_one_and_thirty_three_in_bulk() -> None:
    for n, bulk in ((32, False), (33, True)):
        ws = [Value(0.5 + k, f"w{k}") for k in range(n)]
        step = autograd.compile(lambda x, ws=ws: autograd.add_n([w * x for w in ws]))
        assert step(2.0) == sum(0.5 + k for k in range(n)) * 2.0
        assert all(w.grad == 2.0 for w in ws)
        assert ("__P = (" in step.source) is bulk, n


# -- the first node of a process ----------------------------------------------------------------


def test_the_first_node_a_process_makes_can_be_traced() -> None:
    # Value stamps count from 1: the first node ever made is stamp 1, leaves are <= 0.
    # Not marked "subprocess": the child inherits MUTANT_UNDER_TEST and imports the package
    # this test imported, so it also works in mutation runs (0.3 s)
    import os
    import subprocess
    import sys

    code = ("import autograd\nfrom autograd import Value\nw = Value(2.0, 'w')\n"
            "step = autograd.compile(lambda x: w * x)\nprint(step(3.0), w.grad)\n"
            "v = Value(1.5, 'v')\nstep2 = autograd.compile(lambda x: (v * x) * v)\n"
            "print(step2(2.0), v.grad)\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(autograd.__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    for first in ("", "Value(1.0) * 2.0\n"):  # the trace's nodes first, or not
        out = subprocess.run([sys.executable, "-c", "from autograd import Value\n" + first + code],
                             capture_output=True, text=True, env=env, cwd=root, timeout=60)
        assert out.stdout.split() == ["6.0", "3.0", "4.5", "6.0"], out.stderr


# -- when a program is cut into pieces ---------------------------------------------------------


def _chain_and_batch(chain: int, batch: int) -> tuple[Any, list[Value]]:
    """A chain of ``chain`` nodes, then ``batch`` samples of 2 nodes (one loop), summed."""
    w, v, u = Value(1.001, "w"), Value(0.999, "v"), Value(0.5, "u")

    def fn(x: float, xs: list[float]) -> Value:
        c: Any = x * w
        for _ in range(chain - 1):
            c = c * v
        return autograd.add_n([c] + [(u * t).tanh() for t in xs])

    return fn, [w, v, u]


@pytest.mark.parametrize(("chain", "batch", "pieces"), [
    (199, 10, True),   # 220 nodes; rolled: 199 + 2 + 1 = 202 statements > 200
    (150, 30, False),  # 211 nodes; rolled: 153 statements
])
def test_a_rolled_batch_counts_as_one_instance_of_statements(
        chain: int, batch: int, pieces: bool) -> None:
    fn, params = _chain_and_batch(chain, batch)
    step = autograd.compile(fn)
    xs = [0.05 * k for k in range(batch)]
    ref_fn, refs = _chain_and_batch(chain, batch)
    eager = ref_fn(Value(0.75), [Value(t) for t in xs])
    eager.backward()
    assert step(0.75, xs) == eager.data
    assert [p.grad for p in params] == [r.grad for r in refs]
    assert f"{batch} repeated subgraphs of 2 nodes" in step.source
    assert ("# piece 0" in step.source) is pieces


def test_two_hundred_statements_are_one_piece_two_hundred_and_one_are_two() -> None:
    for n, pieces in ((199, False), (200, True)):  # n + 1 nodes with the first x * w
        fn, _ = _chain_and_batch(n, 0)
        step = autograd.compile(lambda x, fn=fn: fn(x, []))
        step(0.5)
        # nodes: x * w, n - 1 products, add_n: n + 1 statements
        assert ("# piece 0" in step.source) is pieces, n


# -- the generated code's comments and read-through lines ---------------------------------------


def test_the_generated_codes_fixed_comments() -> None:
    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x)
    step(1.0)
    assert ("\n    # arguments of another structure, or not floats: dispatched (and traced) "
            "anew\n") in step.source
    assert ("\n        # backward: g_v = d(loss)/dv, the chain rule in reverse creation order\n"
            in step.source or "\n    # backward: g_v = d(loss)/dv, the chain rule in reverse "
            "creation order\n" in step.source)


def test_an_empty_header_line_is_a_bare_comment() -> None:
    from autograd.compile import generate

    w, x = Value(2.0, "w"), Value(3.0, "x")
    program = generate(w * x, [x], header="first\n\nthird")
    assert program.text.startswith("def step(x):\n    # first\n    #\n    # third\n")


def test_parameters_in_a_captured_list_are_read_through_it() -> None:
    params = [Value(1.5, "a"), Value(2.0, "b")]
    step = autograd.compile(lambda x: params[0] * x)
    assert step(3.0) == 4.5 and params[0].grad == 3.0 and params[1].grad == 0.0
    assert "\n    _a, _ = __L0\n" in step.source
    both = autograd.compile(lambda x: params[0] * x + params[1])
    assert both(3.0) == 6.5
    assert "\n    _a, _b = __L0\n" in both.source


# -- more messages, tracebacks, odd signatures ---------------------------------------------------


def test_a_non_value_result_names_its_type() -> None:
    step = autograd.compile(lambda x: 2.0 * x.data if False else 1.5)
    with pytest.raises(TypeError, match=r"^the compiled function must return a Value \(a scalar "
                                        r"loss\), not float$"):
        step(1.0)


def test_the_tracing_warning_suggests_relu_or_logging() -> None:
    w = Value(1.0, "w")

    def fn(x: Value) -> Value:
        return w * x if (w * x).data > 0 else -w

    step = autograd.compile(fn)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step(1.0)
    message = str(caught[0].message)
    assert ("Express a branch with relu/abs, or read numbers for logging after the call; this "
            "argument structure runs eagerly") in message, message
    assert "Call the function eagerly" not in message


def test_generated_code_is_shown_in_tracebacks() -> None:
    import linecache

    w = Value(2.0, "w")
    step = autograd.compile(lambda x: w * x)
    step(1.0)
    code = step.__call__.__code__
    assert linecache.getline(code.co_filename, 1) == "def step(x):\n"
    assert linecache.getlines(code.co_filename) == step.source.splitlines(True)


def test_a_function_whose_signature_cannot_be_read_names_its_arguments_arg0() -> None:
    w = Value(2.0, "w")

    def fn(x: Value) -> Value:
        return w * x

    fn.__signature__ = "not a signature"  # type: ignore[attr-defined]
    step = autograd.compile(fn)
    assert step(3.0) == 6.0 and w.grad == 3.0
    # a signature that cannot be read may take any number of arguments: *__args, unpacked
    assert step.source.startswith("def fn(*__args):\n"), step.source
    assert "        [arg0] = __args\n" in step.source


def test_a_node_with_an_unusable_label_shows_it_in_a_comment() -> None:
    w = Value(2.0, "w")

    def fn(x: Value) -> Value:
        y = w * x
        y.label = "out-1"
        return y

    step = autograd.compile(fn)
    step(1.0)
    assert "\n    v0_out_1 = w * x  # 'out-1'\n" in step.source, step.source
    assert "\n        # accumulate into the parameters' .grad\n" in step.source


# -- the Compiled object --------------------------------------------------------------------------


def test_the_step_keeps_the_functions_doc_and_names() -> None:
    w = Value(2.0, "w")

    def loss_fn(x: Value) -> Value:
        """The loss."""
        return w * x

    step = autograd.compile(loss_fn)
    assert step.__doc__ == "The loss." and step.__name__ == "loss_fn"
    step(1.0)
    assert (f"\n    # autograd.compile: {loss_fn.__qualname__}(x: number)\n") in step.source
    assert "<locals>.loss_fn" in loss_fn.__qualname__


def test_a_partial_is_compiled_as_step() -> None:
    w = Value(2.0, "w")

    def f(x: Value, scale: float) -> Value:
        return w * x * scale

    step = autograd.compile(functools.partial(f, scale=3.0))
    assert step.__name__ == "step"
    assert step(1.0) == 6.0 and w.grad == 3.0
    assert step.source.startswith("def step(x):\n    # autograd.compile: step(x: number)\n")


def test_a_callable_whose_doc_cannot_be_read() -> None:
    w = Value(2.0, "w")

    class Loss:
        @property
        def __doc__(self) -> str:  # type: ignore[override]
            raise AttributeError("__doc__")

        def __call__(self, x: Value) -> Value:
            return w * x

    step = autograd.compile(Loss())
    assert step.__doc__ is None
    assert step(2.0) == 4.0


def test_a_non_callable_is_refused_with_its_type() -> None:
    with pytest.raises(TypeError, match=r"^autograd.compile needs a function, not int$"):
        autograd.compile(3)  # type: ignore[arg-type]


def test_max_nodes_is_the_largest_graph_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    module = __import__("sys").modules["autograd.compile"]
    monkeypatch.setattr(module, "MAX_NODES", 4)
    w = Value(2.0, "w")
    # w * x: 3 nodes (w, x and the product); (w * x) * x: 4; ((w * x) * x) * x: 5
    four = autograd.compile(lambda x: (w * x) * x)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompileWarning)
        assert four(3.0) == 18.0
    assert four.cache_info().entries == 1
    five = autograd.compile(lambda x: ((w * x) * x) * x)
    with pytest.warns(CompileWarning, match="more than MAX_NODES = 4 nodes"):
        assert five(1.0) == 2.0
    assert five(1.0) == 2.0 and five.traces == 1  # not traced again
    info = five.cache_info()
    assert (info.entries, info.eager) == (0, 1)


def test_a_number_operand_and_a_node_input_are_different_shapes() -> None:
    # 2.0 * c (a number where x * y's product is) must not share the shape of (x * y) * c,
    # else the run of (x * y) * c loses its loop
    c, ref = Value(0.5, "c"), Value(0.5)

    def fn(xs: list[Any], ys: list[Any], c: Value = c) -> Value:
        z = xs[0] * ys[0]
        r = apply(ops.OPS["mul"], 2.0, c)
        outs = [(x * y) * c for x, y in zip(xs[1:], ys[1:])]
        return autograd.add_n([z, r, *outs])

    xs = [0.1 * k for k in range(10)]
    ys = [0.3 - 0.05 * k for k in range(10)]
    step = autograd.compile(fn)
    eager = fn([Value(x) for x in xs], [Value(y) for y in ys], ref)
    eager.backward()
    assert step(xs, ys) == eager.data and c.grad == ref.grad
    assert "    # 9 repeated subgraphs of 2 nodes: one loop\n" in step.source


def test_generate_with_an_empty_function_name_uses_a_fallback() -> None:
    from autograd.compile import build, generate

    w, x = Value(2.0, "w"), Value(3.0, "x")
    program = generate(w * x, [x], function_name="")
    assert program.text.startswith("def v0_step(x):\n"), program.text
    assert build(program)(3.0) == 6.0 and w.grad == 3.0


@pytest.mark.parametrize("detached",
                         [set(), {0}, {1}, {8}, {4}, {0, 2, 4, 6, 8}, set(range(9))])
def test_a_rolled_batch_with_any_samples_detached_gives_eagers_numbers(detached: set[int]) -> None:
    # the loop's backward is written once for all samples: it may serve them only when
    # each needs the same gradients (here: which results reach the loss through detach())
    def fn(xs: list[float], w: Value) -> Value:
        outs = [(w * x).tanh() for x in xs]
        return autograd.add_n([o.detach() if k in detached else o for k, o in enumerate(outs)])

    xs = [0.1 * k + 0.1 for k in range(9)]
    w, ref = Value(0.5, "w"), Value(0.5, "w")
    step = autograd.compile(lambda xs: fn(xs, w))
    for call in range(2):  # the traced call, then the compiled code: each as one eager call
        eager = fn([Value(x) for x in xs], ref)
        eager.backward()
        assert step(xs) == eager.data
        assert w.grad == ref.grad, call  # bit for bit, the second added into the first
    expected = sum(x * (1 - math.tanh(0.5 * x) ** 2) for k, x in enumerate(xs)
                   if k not in detached)
    assert ref.grad == pytest.approx(2 * expected, rel=1e-12)


def test_a_compile_warning_points_at_the_users_call() -> None:
    # first call (through the dispatcher), a later one (through the generated code's guard)
    # and source_for: each warning names this file and the line of the call
    w = Value(2.0, "w")

    def reads(x: Value) -> Value:
        return w * x if (w * x).data > 0 else -w * x

    step = autograd.compile(reads)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        step(1.0)
    [first] = [c for c in caught if c.category is CompileWarning]
    assert (first.filename, first.lineno) == (__file__, line)
    with warnings.catch_warnings(record=True) as caught:  # filtered by the user's module
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=CompileWarning,
                                module=re.escape(__name__) + "$")
        autograd.compile(reads)(1.0)
    assert not [c for c in caught if c.category is CompileWarning]

    keep = [Value(1.0, "a")]
    other = autograd.compile(lambda x: keep[0] * x)
    other(1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for k in range(RECOMPILE_LIMIT + 1):
            keep[0] = Value(float(k), "a")  # a changed list: traced again, up to the limit
            line = sys._getframe().f_lineno + 1
            other(1.0)
    [limit] = [c for c in caught if c.category is CompileWarning]
    assert (limit.filename, limit.lineno) == (__file__, line)


def test_generate_with_a_guard_keeps_named_arguments_unless_asked_for_varargs() -> None:
    from autograd.compile import generate

    w, x = Value(2.0, "w"), Value(3.0, "x")
    named = generate(w * x, [x], guard=True).source
    assert named.startswith("def step(x):\n") and "__args" not in named
    packed = generate(w * x, [x], guard=True, variadic=True).source
    assert packed.startswith("def step(*__args):\n") and "        [x] = __args\n" in packed
    assert generate(w * x, [x], variadic=True).source.startswith("def step(x):\n")  # no guard
