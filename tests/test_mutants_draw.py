"""Tests that kill ``mutmut``'s surviving mutants of ``autograd.draw`` (issue 17).

Each test checks one documented behaviour against texts written out by hand here (the
escaped DOT text, the number formats, which row of the rule table a custom op is), never
against the code's own output pasted back. See ``docs/mutants/autograd.draw.md``.
"""

from __future__ import annotations

import functools

from autograd import Value
from autograd.draw import _operand_text, escape_record, escape_text, is_builtin
from autograd.ops import OPS, Op, pow_const


def test_escape_record_escapes_the_record_syntax_after_making_controls_visible() -> None:
    # record syntax | { } < >, the quote and the backslash get a backslash; a line feed
    # and a carriage return become a space; NUL is drawn as U+2400; others are kept
    assert escape_record('a|b{c}<d>"e\\f\ng\rh\x00i') == (
        'a\\|b\\{c\\}\\<d\\>\\"e\\\\f g h\u2400i'
    )
    assert escape_record("plain w5") == "plain w5"
    assert escape_record("") == ""


def test_escape_text_escapes_only_quotes_backslashes_and_line_breaks() -> None:
    assert escape_text('a|b{c}<d>"e\\f\ng\rh\x1bi') == 'a|b{c}<d>\\"e\\\\f g h\u241bi'
    assert escape_text("plain") == "plain"
    assert escape_text("") == ""


def test_operand_text_names_a_value_by_its_label_and_a_number_exactly() -> None:
    assert _operand_text(Value(2.0, "w5")) == "w5"
    assert _operand_text(Value(2.0)) == ""
    assert _operand_text(0.99) == "0.99"
    assert _operand_text(2.0) == "2.0"
    assert _operand_text(0.1 + 0.2) == "0.30000000000000004"  # every digit: repr


def _fake_grads(out: float, x: float) -> tuple[float, ...]:
    return (1.0,)


def test_is_builtin_knows_every_pow_const_row_and_no_impostor() -> None:
    # pow_const(c) makes a fresh row per exponent, OPS holds the c = 2 one only: x ** 3's
    # row is the built-in family all the same (same rule function, another exponent)
    assert pow_const(3.0) is not OPS["pow_const"]
    assert is_builtin(pow_const(3.0)) is True
    assert is_builtin(OPS["pow_const"]) is True
    assert is_builtin(OPS["mul"]) is True
    # a custom op named like the family, with a partial of another rule, is not built in
    impostor = Op("pow_const", "**?", functools.partial(pow, 2.0),
                  functools.partial(_fake_grads), "mine")
    assert is_builtin(impostor) is False
    # a custom "mul" whose rule is a partial (the built-in's is a plain function): not built in
    partial_mul = Op("mul", "*", lambda x, y: x * y,
                     functools.partial(lambda out, x, y: (y, x)), "mine", arity=2)
    assert is_builtin(partial_mul) is False
    # a name no row has
    assert is_builtin(Op("no_such_row", "?", abs, _fake_grads, "mine")) is False
