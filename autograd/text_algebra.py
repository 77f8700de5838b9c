"""A tiny text algebra: the rule table's derivative rules read as short formulas, no SymPy.

The rows of :mod:`autograd.ops` write their local derivatives with ``+ - * / **`` and the
helpers ``log exp sqrt tanh sigmoid sin cos reciprocal``; a :class:`Term` supports exactly
those (the helpers call its methods, as they call a Value's), so running a row's rule over
Terms writes the rule down: the sigmoid's ``out * (1.0 - out)`` over the term ``o1`` is the
text ``o1(1 - o1)``. :func:`local_derivative_texts` does that for a node, in its labels; it
gives the edge formulas of ``draw_dot(edge_labels=True)``, from the same rules as the
numbers, with only the standard library. (:func:`autograd.formula` reads the same rules in
SymPy, to derive whole chains.)

Writing is kept short: ``x * 1`` is ``x``, ``x * x`` is ``x²``, ``-(-x)`` is ``x``, numbers
fold, a number's coefficient goes first (``2(o - y)``). A rule's own constants are written as
the simplest fraction that reads back as exactly that float (``2/3``), an operand's number
as its shortest text (``0.01``). A node without a label is a Term that makes every formula
it enters unknown, and a rule that branches on a number (``relu``, ``abs``, ``pow``'s masks)
has no text.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from autograd.value import Value

# kinds of term
NUM, SYM, UNKNOWN, ADD, NEG, MUL, DIV, POW, CALL = range(9)

# printing precedence of each kind (atoms bind tightest)
_PRECEDENCE = {ADD: 1, NEG: 2, MUL: 3, DIV: 3, POW: 4, NUM: 5, SYM: 5, CALL: 5, UNKNOWN: 5}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_FUNCTION_NAMES = {"sigmoid": "σ"}


def _fraction_text(x: float) -> str:
    """A rule's constant: an integer, else the simplest fraction (denominator <= 1000) that
    reads back as exactly ``x``, else its shortest decimal."""
    if math.isfinite(x) and x == math.floor(x) and abs(x) < 2.0**53:
        return str(int(x))
    if math.isfinite(x):
        q = Fraction(x).limit_denominator(1000)
        if q.denominator > 1 and q.numerator / q.denominator == x:
            return f"{q.numerator}/{q.denominator}"
    return _operand_text(x)  # 2^53 and beyond as 9007199254740992.0, not as a 16-digit "n/1"


def _operand_text(x: float) -> str:
    """An operand's number: its shortest exact text (``0.01``, ``2.0``, ``inf``, ``nan``)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


class Term:
    """One formula, as a small tree: a number, a name, or an operation over Terms.

    Arithmetic with Terms and numbers (either side) and the methods ``log exp sqrt tanh
    sigmoid sin cos`` give Terms; ``str(term)`` is the text. ``data`` raises ``TypeError``:
    a formula has no number for a rule's condition.
    """

    __slots__ = ("args", "kind", "literal", "value")

    #: Marks a formula algebra for :func:`autograd.ops.negated_difference`, which then keeps
    #: the article's ``-(y - o)``.
    formula_algebra = True

    kind: int
    args: tuple[Term, ...]
    value: Any  # NUM: the float; SYM: the name; CALL: the function's name
    literal: bool  # NUM: a constant of the rule itself (not an operand's number)

    def __init__(self, kind: int, args: tuple[Term, ...] = (), value: Any = None,
                 literal: bool = False) -> None:
        self.kind = kind
        self.args = args
        self.value = value
        self.literal = literal

    # -- making terms ----------------------------------------------------------------

    @staticmethod
    def number(x: float, literal: bool = False) -> Term:
        """A number: a rule's constant (``literal``) or an operand's value."""
        return Term(NUM, value=float(x), literal=literal)

    @staticmethod
    def symbol(name: str) -> Term:
        """A name (a node's label)."""
        return Term(SYM, value=name)

    @property
    def data(self) -> float:
        raise TypeError("a formula has no number for a rule's condition")

    def has_symbol(self) -> bool:
        """Whether a name occurs in the term (else it is a number, however written)."""
        return self.kind == SYM or any(a.has_symbol() for a in self.args)

    def is_literal(self) -> bool:
        """Whether the term is made of the rule's own constants only."""
        if self.kind == NUM:
            return self.literal
        return self.kind != SYM and self.kind != UNKNOWN and all(a.is_literal() for a in self.args)

    def is_unknown(self) -> bool:
        return self.kind == UNKNOWN

    # -- arithmetic ------------------------------------------------------------------

    def __add__(self, other: object) -> Term:
        return _add(self, _term(other))

    def __radd__(self, other: object) -> Term:
        return _add(_term(other), self)

    def __sub__(self, other: object) -> Term:
        return _add(self, _neg(_term(other)))

    def __rsub__(self, other: object) -> Term:
        return _add(_term(other), _neg(self))

    def __mul__(self, other: object) -> Term:
        return _mul(self, _term(other))

    def __rmul__(self, other: object) -> Term:
        return _mul(_term(other), self)

    def __truediv__(self, other: object) -> Term:
        return _div(self, _term(other))

    def __rtruediv__(self, other: object) -> Term:
        return _div(_term(other), self)

    def __pow__(self, other: object) -> Term:
        return _pow(self, _term(other))

    def __rpow__(self, other: object) -> Term:
        return _pow(_term(other), self)

    def __neg__(self) -> Term:
        return _neg(self)

    def _call(self, name: str) -> Term:
        if self.kind == UNKNOWN:
            return self
        return Term(CALL, (self,), name)

    def log(self) -> Term:
        return self._call("log")

    def exp(self) -> Term:
        return self._call("exp")

    def sqrt(self) -> Term:
        return self._call("sqrt")

    def tanh(self) -> Term:
        return self._call("tanh")

    def sigmoid(self) -> Term:
        return self._call("sigmoid")

    def sin(self) -> Term:
        return self._call("sin")

    def cos(self) -> Term:
        return self._call("cos")

    # -- text ------------------------------------------------------------------------

    def __str__(self) -> str:
        return _text(self)

    def __repr__(self) -> str:
        return f"Term({_text(self)!r})"


_UNKNOWN = Term(UNKNOWN)


def _term(x: object) -> Term:
    if isinstance(x, Term):
        return x
    if isinstance(x, (int, float)):
        return Term.number(float(x), literal=True)
    raise TypeError(f"a formula term combines with terms and numbers, not {type(x).__name__}")


def _is_num(t: Term, value: float | None = None) -> bool:
    return t.kind == NUM and (value is None or t.value == value)


def _add(a: Term, b: Term) -> Term:
    if a.kind == UNKNOWN or b.kind == UNKNOWN:
        return _UNKNOWN
    if _is_num(a) and _is_num(b):
        return Term.number(a.value + b.value, a.literal and b.literal)
    if _is_num(a, 0.0):
        return b
    if _is_num(b, 0.0):
        return a
    terms = list((a.args if a.kind == ADD else (a,)) + (b.args if b.kind == ADD else (b,)))
    numbers = [t for t in terms if t.kind == NUM]
    if len(numbers) > 1:  # one constant, where the first one was
        total = Term.number(sum(t.value for t in numbers), all(t.literal for t in numbers))
        first = terms.index(numbers[0])
        terms = [t for t in terms if t.kind != NUM]
        if total.value != 0.0:
            terms.insert(first, total)
    # a sum keeps a term that is not a number (two numbers were folded above), so terms
    # is never empty
    return terms[0] if len(terms) == 1 else Term(ADD, tuple(terms))


def _neg(a: Term) -> Term:
    if a.kind == UNKNOWN:
        return a
    if a.kind == NUM:
        return Term.number(-a.value, a.literal)
    if a.kind == NEG:
        return a.args[0]
    if a.kind == MUL and _is_num(a.args[0]):
        return _mul(_neg(a.args[0]), _product(a.args[1:]))
    return Term(NEG, (a,))


def _product(factors: tuple[Term, ...]) -> Term:
    return factors[0] if len(factors) == 1 else Term(MUL, factors)


def _mul(a: Term, b: Term) -> Term:
    if a.kind == UNKNOWN or b.kind == UNKNOWN:
        return _UNKNOWN
    if _is_num(a) and _is_num(b):
        return Term.number(a.value * b.value, a.literal and b.literal)
    if _is_num(b):  # the number first
        a, b = b, a
    if _is_num(a, 1.0) and a.literal:
        return b
    if _is_num(a, -1.0) and a.literal:
        return _neg(b)
    if a.kind == NEG:
        return _neg(_mul(a.args[0], b))
    if b.kind == NEG:
        return _neg(_mul(a, b.args[0]))
    factors = (a.args if a.kind == MUL else (a,)) + (b.args if b.kind == MUL else (b,))
    # factors has at least 2 entries, and 3 when the first two are numbers (two numbers
    # alone were folded above)
    if _is_num(factors[0]) and _is_num(factors[1]):
        return _mul(_mul(factors[0], factors[1]), _product(factors[2:]))
    return _product(_powers(factors))


def _power_of(t: Term) -> tuple[str, float] | None:
    """``(name, n)`` for a factor ``name`` (n = 1) or ``name^n`` with a number ``n``."""
    if t.kind == SYM:
        return t.value, 1.0
    if t.kind == POW and t.args[0].kind == SYM and _is_num(t.args[1]):
        return t.args[0].value, t.args[1].value
    return None


def _powers(factors: tuple[Term, ...]) -> tuple[Term, ...]:
    """The factors with the powers of one name gathered: ``x·x`` is ``x²``."""
    exponents: dict[str, float] = {}
    for f in factors:
        power = _power_of(f)
        if power is not None:
            exponents[power[0]] = exponents.get(power[0], 0.0) + power[1]
    out: list[Term] = []
    for f in factors:
        power = _power_of(f)
        if power is None:
            out.append(f)
        elif power[0] in exponents:
            n = exponents.pop(power[0])
            if n != 0.0:
                base = Term.symbol(power[0])
                out.append(base if n == 1.0 else Term(POW, (base, Term.number(n, True))))
    if not out:
        return (Term.number(1.0, True),)
    return tuple(out)


def _div(a: Term, b: Term) -> Term:
    if a.kind == UNKNOWN or b.kind == UNKNOWN:
        return _UNKNOWN
    if _is_num(a) and _is_num(b):
        from autograd.ops import float_div

        return Term.number(float_div(a.value, b.value), a.literal and b.literal)
    if _is_num(b, 1.0):
        return a
    if a.kind == NEG:
        return _neg(_div(a.args[0], b))
    if _is_num(a) and a.literal and math.isfinite(a.value) and a.value != 0.0:
        q = Fraction(a.value).limit_denominator(1000)
        if q.denominator > 1 and q.numerator / q.denominator == a.value:  # (1/2)/r = 1/(2r)
            return _div(Term.number(q.numerator, True), _mul(Term.number(q.denominator, True), b))
    return Term(DIV, (a, b))


def _pow(a: Term, b: Term) -> Term:
    if a.kind == UNKNOWN or b.kind == UNKNOWN:
        return _UNKNOWN
    if _is_num(a) and _is_num(b):
        from autograd.ops import float_pow

        return Term.number(float_pow(a.value, b.value), a.literal and b.literal)
    if _is_num(b, 1.0):
        return a
    if _is_num(b, 0.0):
        return Term.number(1.0, b.literal)
    return Term(POW, (a, b))


def _text(t: Term) -> str:
    kind = t.kind
    if kind == NUM:
        return _fraction_text(t.value) if t.literal else _operand_text(t.value)
    if kind == SYM:
        return str(t.value)
    if kind == UNKNOWN:
        return "?"
    if kind == CALL:
        return f"{_FUNCTION_NAMES.get(t.value, t.value)}({_text(t.args[0])})"
    if kind == NEG:
        return "-" + _wrapped(t.args[0], _PRECEDENCE[NEG] + 1)
    if kind == ADD:
        out = _text(t.args[0]) if t.args[0].kind != ADD else f"({_text(t.args[0])})"
        for term in t.args[1:]:
            negative = _negated(term)
            if negative is not None:
                out += " - " + _wrapped(negative, _PRECEDENCE[ADD] + 1)
            else:
                out += " + " + _wrapped(term, _PRECEDENCE[ADD] + 1)
        return out
    if kind == MUL:
        return _product_text(t.args)
    if kind == DIV:
        num, den = t.args
        return f"{_wrapped(num, _PRECEDENCE[DIV])}/{_wrapped(den, _PRECEDENCE[POW])}"
    base, exponent = t.args
    if _is_num(exponent) and exponent.value == math.floor(exponent.value) \
            and abs(exponent.value) < 100:
        return _wrapped(base, _PRECEDENCE[CALL]) + str(int(exponent.value)).translate(
            _SUPERSCRIPT)
    return f"{_wrapped(base, _PRECEDENCE[CALL])}^({_text(exponent)})"


def _negated(t: Term) -> Term | None:
    """``u`` when ``t`` is written ``-u`` (so that a sum writes ``a - u``), else None."""
    if t.kind == NEG:
        return t.args[0]
    if t.kind == NUM and t.value < 0.0:
        return Term.number(-t.value, t.literal)
    if t.kind == MUL and _is_num(t.args[0]) and t.args[0].value < 0.0:
        return _mul(Term.number(-t.args[0].value, t.args[0].literal), _product(t.args[1:]))
    return None


def _wrapped(t: Term, precedence: int) -> str:
    """The text of ``t``, in parentheses when it binds less tightly than ``precedence``."""
    text = _text(t)
    # a rule's constant written as a fraction binds like a division: x/(1/2), (2/3)^(x)
    own = _PRECEDENCE[DIV] if t.kind == NUM and "/" in text else _PRECEDENCE[t.kind]
    if own < precedence or (t.kind == NUM and t.value < 0.0):
        return f"({text})"
    return text


def _product_text(factors: tuple[Term, ...]) -> str:
    """``2(o - y)``, ``r(1 - r)``, ``2/3·(o - y)``, ``w5·a0``: a factor in parentheses follows
    a name or an integer directly, anything else follows a ``·``."""
    out = ""
    previous: Term | None = None
    for factor in factors:
        if previous is None and _is_num(factor) and factor.value == -1.0:
            out = "-"
            continue
        if previous is None:  # the first factor: a coefficient, with its sign
            out += _text(factor) if _is_num(factor) else _wrapped(factor, _PRECEDENCE[MUL] + 1)
            previous = factor
            continue
        text = _wrapped(factor, _PRECEDENCE[MUL] + 1)
        fraction = _is_num(previous) and "/" in _text(previous)
        out += text if text.startswith("(") and not fraction else "·" + text
        previous = factor
    return out


def _input_term(x: object) -> Term:
    if isinstance(x, Value):
        return Term.symbol(x.label) if x.label else _UNKNOWN
    return Term.number(float(x))  # type: ignore[arg-type]


def local_derivative_texts(node: Value) -> list[str | None]:
    """``d node / d input_i`` for each of ``node.inputs`` (numbers included) as text, in the
    labels of the node and its inputs, from the node's row of the rule table; ``None`` where
    there is no short formula: a label it needs is missing, the rule branches on a number,
    or the formula would be a number from an operand alone (the edge's number says it)."""
    op = node.operation
    inputs = node.inputs
    if op is None:
        return []
    out = Term.symbol(node.label) if node.label else _UNKNOWN
    try:
        rules = op.local_grads(out, *map(_input_term, inputs))
        terms = [_term(rule) for rule in rules]
    except (TypeError, ValueError, AttributeError, ArithmeticError):
        return [None] * len(inputs)
    if len(terms) != len(inputs):
        return [None] * len(inputs)
    return [None if t.is_unknown() or (not t.has_symbol() and not t.is_literal()) else _text(t)
            for t in terms]


__all__ = ["Term", "local_derivative_texts"]
