"""Tests that kill ``mutmut``'s surviving mutants of ``autograd.draw`` (issue 17).

Each test checks one documented behaviour against texts written out by hand here (the
escaped DOT text, the number formats, which row of the rule table a custom op is), never
against the code's own output pasted back. See ``docs/mutants/autograd.draw.md``.
"""

from __future__ import annotations

import functools
import re

from autograd import Value, add_n, draw_dot
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


def test_html_text_writes_the_quote_as_an_entity() -> None:
    from autograd.draw import html_text

    assert html_text('a"b') == "a&quot;b"


def test_card_and_row_tables_separate_fields_with_rules() -> None:
    from autograd.draw import _table

    head = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
    card = f"<{head}<TR><TD>a</TD></TR><HR/><TR><TD>b</TD></TR></TABLE>>"
    assert _table(["a", "b"], False) == card
    assert _table(["a", "b"], True) == f"<{head}<TR><TD>a</TD><VR/><TD>b</TD></TR></TABLE>>"


def _chain_of(n_values: int) -> Value:
    """A chain x, x+1, (x+1)+1, ... of exactly ``n_values`` Values (numbers are no Values)."""
    v = Value(1.0, "x")
    for _ in range(n_values - 1):
        v = v + 1.0
    return v


def test_edge_labels_become_xlabels_past_60_values_and_the_fast_layout_past_300() -> None:
    import re

    from autograd import draw_dot

    def keys(n: int) -> set[str]:
        source = draw_dot(_chain_of(n), edge_labels=True).source
        return set(re.findall(r"^\tn\d+ -> n\d+_op \[(x?label)=", source, re.M))

    assert keys(60) == {"label"}
    assert keys(61) == {"xlabel"}
    assert "mclimit" not in draw_dot(_chain_of(300)).source
    at_301 = draw_dot(_chain_of(301)).source
    assert "mclimit=0.1" in at_301 and "nslimit=0.5" in at_301 and "nslimit1=0.5" in at_301


def test_an_op_with_an_empty_symbol_is_drawn_with_a_blank() -> None:
    from autograd import draw_dot
    from autograd.value import apply

    blank = Op("blank_symbol_op", "", lambda x: x, lambda out, x: (1.0,), "identity")
    source = draw_dot(apply(blank, Value(1.0, "x"))).source
    assert "label=< >" in source


def _used_by(times: int) -> Value:
    x = Value(2.0, "x")
    s = x * 1.0
    for _ in range(times - 1):
        s = s + x
    return s


def test_proxies_only_past_24_uses_dashed_and_named_by_their_use() -> None:
    import re

    from autograd import draw_dot, topological_order

    assert "_for" not in draw_dot(_used_by(24)).source
    root = _used_by(25)
    order = topological_order(root)
    x_id = f"n{order.index(next(v for v in order if v.label == 'x'))}"
    source = draw_dot(root).source
    proxies = re.findall(rf"^\t({x_id}_for(\d+)_(\d+)) \[(.*)\]$", source, re.M)
    # the first use is the box itself, the other 24 uses are dashed copies
    assert len(proxies) == 24
    for _name, node, index, attrs in proxies:
        user = order[int(node)]
        assert user.parents[int(index)] is order[int(x_id[1:])]
        assert 'style="filled,dashed"' in attrs and "fillcolor=\"#eef3fb\"" in attrs
        assert "shape=box" in attrs


def _used_by_thirteen_ops(times: int) -> Value:
    # x used `times` times by each of 13 ops, the 13 results added
    x = Value(0.5, "x")
    results = [add_n([x] * times) if times > 2 else x * x for _ in range(13)]
    return add_n(results)


def test_two_edges_per_op_count_twice_toward_proxies() -> None:
    # 13 ops × 2 edges (x * x: not merged, below MERGE_USES) = 26 > PROXY_USES = 24 uses:
    # the box serves the first, a dashed proxy each of the other 25
    source = draw_dot(_used_by_thirteen_ops(2)).source
    assert len(set(re.findall(r"n0_for\d+_\d+", source))) == 25


def test_a_merged_edge_counts_once_toward_proxies() -> None:
    # 13 ops × 3 uses, each drawn as one "×3" edge: 13 <= 24 uses, no proxy
    source = draw_dot(_used_by_thirteen_ops(3)).source
    assert "×3" in source
    assert "_for" not in source
