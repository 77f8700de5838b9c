"""Tests written against mutmut's survivors in ``autograd.text_algebra`` (issue 17).

Every expected text is worked out by hand from the writing rules of the module docstring.
"""

from __future__ import annotations

import math

from autograd import Op, Value, apply
from autograd.text_algebra import ADD, NEG, NUM, UNKNOWN, Term, local_derivative_texts

x, y, z = Term.symbol("x"), Term.symbol("y"), Term.symbol("z")
UNKNOWN_TERM = Term(UNKNOWN)


def test_numbers_fold_and_keep_whether_they_are_the_rules() -> None:
    half, quarter = Term.number(0.5, True), Term.number(0.25, True)
    assert str(half + quarter) == "3/4"
    assert str(half + Term.number(0.25)) == "0.75"  # an operand's number: not a rule's
    assert str(half * Term.number(3.0, True)) == "3/2"
    assert str(half * Term.number(0.25)) == "0.125"
    assert str(Term.number(1.0, True) / Term.number(4.0, True)) == "1/4"
    assert str(Term.number(1.0, True) / Term.number(4.0)) == "0.25"
    assert str(Term.number(2.0, True) ** Term.number(3.0, True)) == "8"
    assert str(half ** Term.number(2.0)) == "0.25"


def test_an_unknown_term_makes_every_formula_unknown() -> None:
    assert str(UNKNOWN_TERM) == "?"
    for term in (UNKNOWN_TERM + x, x + UNKNOWN_TERM, UNKNOWN_TERM * x, x * UNKNOWN_TERM,
                 UNKNOWN_TERM / x, x / UNKNOWN_TERM, UNKNOWN_TERM ** x, x ** UNKNOWN_TERM):
        assert term.is_unknown()
        assert str(term) == "?"


def test_sums() -> None:
    assert str(x + 1) == "x + 1"
    assert str(x + 0) == "x"
    assert str(x + (y + z)) == "x + y + z"
    assert str((x + 0.5) + 0.5) == "x + 1"
    assert str((x + 1) + (-1)) == "x"
    assert str(((x + 1) - 1) * 2) == "2·x"  # the sum of one term is that term
    assert str(x + 0.5) == "x + 1/2"
    assert str(y + 0 * x) == "y + 0·x"
    assert str(y + 2 * x) == "y + 2·x"
    assert str(y - 2 * x) == "y - 2·x"
    assert str(y + x * (3 * z)) == "y + x·3·z"


def test_products() -> None:
    assert str(x * x**-1) == "1"
    assert str(x * x**-1 + 1) == "2"
    assert str((-1 * x) * (-1 * y)) == "x·y"
    assert str((-x) * y) == "-x·y"
    assert str(x * (-y)) == "-x·y"
    assert str(x * (y * z)) == "x·y·z"
    assert str(x * (3 * y)) == "x·3·y"
    assert str(-(x * (3 * y))) == "-x·3·y"
    assert str(2 * (3 * y)) == "6·y"
    assert str(2 * (3 * (y * z))) == "6·y·z"
    assert str(x**2 * x) == "x³"
    assert str(x**2 * y) == "x²·y"
    assert str((x / y) * z) == "(x/y)·z"
    assert str(x * (y + 1)) == "x(y + 1)"
    assert str(Term.number(-1.0) * x) == "-x"
    assert str(Term.number(1.0) * x) == "1.0·x"


def test_quotients() -> None:
    assert str(x / 2) == "x/2"
    assert str(x / 1) == "x"
    assert str((-x) / y) == "-x/y"
    assert str(Term.number(0.5) / x) == "0.5/x"  # an operand's number is not rewritten
    assert str(Term.number(0.5, True) / x) == "1/(2·x)"
    assert str(x / 0) == "x/0"
    assert str(x / Term.number(0.25)) == "x/0.25"
    assert str(x / 0.5) == "x/(1/2)"  # a fraction as a divisor is bracketed
    # 1/1001 is no fraction with a denominator up to 1000: its shortest decimal
    assert str(Term.number(1 / 1001, True) / x) == f"{1 / 1001!r}/x"
    assert str(Term.number(1 / 1001, True)) == repr(1 / 1001)


def test_powers() -> None:
    assert str(2**x) == "2^(x)"
    assert str((2 / 3) ** x) == "(2/3)^(x)"
    assert str(x**0) == "1"
    assert str(x**1) == "x"
    assert str(x**99) == "x⁹⁹"
    assert str(x**100) == "x^(100)"


def test_rule_constants_and_operand_numbers() -> None:
    assert str(Term.number(200.0, True)) == "200"
    assert str(Term.number(2.0**53, True)) == "9007199254740992.0"
    assert str(Term.number(2.0**53 - 1, True)) == "9007199254740991"
    assert str(Term.number(math.inf, True)) == "inf"
    assert str(Term.number(math.nan)) == "nan"
    assert str(Term.number(math.inf)) == "inf"
    assert str(Term.number(-math.inf)) == "-inf"
    assert str(Term(NUM, value=0.25)) == "0.25"  # not a rule's constant unless said so


def test_hand_built_sums_are_bracketed_as_written() -> None:
    inner = Term(ADD, (x, y))
    assert str(Term(ADD, (inner, z))) == "(x + y) + z"
    assert str(Term(ADD, (x, inner))) == "x + (x + y)"
    assert str(Term(ADD, (x, Term(NEG, (Term(NEG, (y,)),))))) == "x - -y"
    assert str(Term(ADD, (x, Term.number(0.0)))) == "x + 0.0"


def test_functions_and_repr() -> None:
    assert str(x.exp()) == "exp(x)"
    assert str(x.sqrt()) == "sqrt(x)"
    assert str(x.tanh()) == "tanh(x)"
    assert str(x.sigmoid()) == "σ(x)"
    assert repr(x + 1) == "Term('x + 1')"


def test_is_literal() -> None:
    assert x.is_literal() is False
    assert UNKNOWN_TERM.is_literal() is False
    assert Term.number(2.0, True).exp().is_literal() is True
    assert Term.number(2.0).exp().is_literal() is False


def test_a_rule_with_the_wrong_count_has_no_text() -> None:
    # right on numbers, one derivative short on text terms
    one_for_two = Op("one_for_two", "f", lambda a, b: a + b,
                     lambda out, a, b: (a,) if isinstance(a, Term) else (1.0, 1.0),
                     "wrong on text", arity=2)
    a, b = Value(1.0, "a"), Value(2.0, "b")
    node = apply(one_for_two, a, b)
    node.label = "r"
    assert local_derivative_texts(node) == [None, None]


def test_a_quotient_after_another_factor_is_bracketed() -> None:
    # a bracketed factor follows a name directly (module docstring); z·x/y would read as
    # (z·x)/y, not the product as built
    assert str(z * (x / y)) == "z(x/y)"
    assert str(x * (y / 2)) == "x(y/2)"
