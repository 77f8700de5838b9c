"""Tests written for mutmut's survivors in autograd/guards.py (docs/mutants/autograd.guards.md).

``_is_module`` caches its answer per type in ``_MODULE_TYPES``; mutmut runs each mutant in a
process forked after the unmutated tests filled that cache, so the tests here use types
defined in this file (unseen by the cache) and clear the cache first.
"""

from __future__ import annotations

import functools
import itertools
import types
from typing import Any

import pytest

import autograd
from autograd import guards
from autograd.guards import Structure, fingerprint, roots, structure_changed
from autograd.value import Value
from nn.module import Module


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    guards._MODULE_TYPES.clear()


class Tiny(Module):
    def __init__(self) -> None:
        self.w = [Value(1.0)]


class Plain:
    pass


def _ids(xs: list[object]) -> list[int]:
    return sorted(id(x) for x in xs)


# -- structure_changed ----------------------------------------------------------------------


def test_structure_changed_bumps_the_version_by_exactly_one() -> None:
    before = guards.STRUCTURE_VERSION[0]
    structure_changed()
    assert guards.STRUCTURE_VERSION[0] == before + 1
    structure_changed()
    assert guards.STRUCTURE_VERSION[0] == before + 2


def test_structure_changed_makes_a_compiled_step_recheck_and_keep_its_trace() -> None:
    w = Value(2.0)
    model = Tiny()
    model.w[0] = w
    step = autograd.compile(lambda x: model.w[0] * x)
    assert step(3.0) == 6.0
    structure_changed()
    assert step(3.0) == 6.0 and step.traces == 1 and w.grad == 6.0


# -- _is_module ------------------------------------------------------------------------------


def test_is_module_recognises_subclasses_by_name_and_module_and_caches_per_type() -> None:
    class Sub(Tiny):
        pass

    fake_name = type("Module", (), {"__module__": "other.module"})
    fake_module = type("Layer", (), {"__module__": "nn.module"})
    assert guards._is_module(Sub()) is True
    assert guards._is_module(Module()) is True
    assert guards._is_module(fake_name()) is False
    assert guards._is_module(fake_module()) is False
    assert guards._is_module(Plain()) is False
    assert guards._is_module([Tiny()]) is False
    assert guards._MODULE_TYPES[Sub] is True and guards._MODULE_TYPES[fake_name] is False
    assert guards._MODULE_TYPES[Plain] is False
    # the cached answer is the one returned (a poisoned cache shows it is read)
    guards._MODULE_TYPES[Plain] = True
    assert guards._is_module(Plain()) is True


# -- roots -----------------------------------------------------------------------------------


def test_roots_of_closures_defaults_kwdefaults_and_globals() -> None:
    a, b, c = Tiny(), Tiny(), Tiny()
    params = [Value(1.0)]
    numbers = [1.0, 2.0]

    def fn(x: Any = b, *, y: Any = c) -> Any:
        return a, params, numbers, x, y

    assert _ids(roots(fn)) == _ids([a, b, c, params])
    g = types.FunctionType(fn.__code__, {"a": a, "params": params}, "g", fn.__defaults__,
                           fn.__closure__)
    assert _ids(roots(g)) == _ids([a, b, params])  # no kwdefaults on g


GLOBAL_MODEL = Tiny()
GLOBAL_TUPLE = (Value(1.0),)


def _reads_globals() -> Any:
    def inner() -> Any:
        return GLOBAL_MODEL  # named only in nested code

    return inner, GLOBAL_TUPLE


def test_roots_follow_global_names_of_nested_code() -> None:
    assert _ids(roots(_reads_globals)) == _ids([GLOBAL_MODEL, GLOBAL_TUPLE])


def test_roots_of_a_partial_and_a_bound_method() -> None:
    a, b, c = Tiny(), Tiny(), Tiny()

    def f(*args: Any, **kwargs: Any) -> None:
        return None

    p = functools.partial(f, a, 1.0, k=b)
    assert _ids(roots(p)) == _ids([a, b])

    class Trainer:
        def __init__(self) -> None:
            self.model = c
            self._hidden = a
            self.name = "t"
            self.helper = Plain()
            self.helper.model = b  # a plain object inside a plain object: not entered

        def step(self) -> None:
            return None

    t = Trainer()
    assert _ids(roots(t.step)) == _ids([c])
    assert _ids(roots(c.__init__)) == _ids([c])  # a Module's method: self is a root


def test_roots_count_a_shared_object_once_and_skip_empty_cells() -> None:
    a = Tiny()

    def make() -> Any:
        def fn() -> Any:
            return later, a, a  # noqa: F821

        later = None
        del later
        return fn

    fn = make()
    with pytest.raises(ValueError):
        _ = fn.__closure__[1].cell_contents  # type: ignore[index]
    assert _ids(roots(fn)) == _ids([a])
    assert _ids(roots(functools.partial(fn, a, a))) == _ids([a])


def _chain(depth: int, leaf: object) -> Any:
    """A function whose closure reaches ``leaf`` through ``depth - 1`` functions."""
    def f0() -> Any:
        return leaf

    fn = f0
    for _ in range(depth - 1):
        fn = (lambda g: (lambda: g))(fn)
    return fn


def test_roots_follow_four_levels_not_five() -> None:
    a = Tiny()
    assert _ids(roots(_chain(4, a))) == _ids([a])  # a at depth 4
    assert roots(_chain(5, a)) == []


def test_plain_objects_are_entered_up_to_depth_two() -> None:
    a = Tiny()
    holder = Plain()
    holder.model = a
    holder.other = [a]  # a list holding a module: walkable
    assert _ids(roots(_chain(1, holder))) == _ids([a, holder.other])  # holder at depth 1
    assert _ids(roots(_chain(2, holder))) == _ids([a, holder.other])  # depth 2
    assert roots(_chain(3, holder)) == []


def test_library_functions_are_not_entered_but_the_compiled_function_is() -> None:
    from autograd import value as value_module

    model = Tiny()
    value_module._TEST_MODEL = model  # type: ignore[attr-defined]
    try:
        code = compile("def lib():\n    return _TEST_MODEL\n", "<lib>", "exec")
        ns: dict[str, Any] = {"_TEST_MODEL": model, "__name__": "autograd.fake"}
        exec(code, ns)
        lib = ns["lib"]
        assert lib.__module__ == "autograd.fake"
        assert _ids(roots(lib)) == _ids([model])  # depth 0: entered
        assert roots(_chain(2, lib)) == []  # found through a closure: not entered
        ns2: dict[str, Any] = {"_TEST_MODEL": model, "__name__": "autograder.x"}
        exec(code, ns2)
        assert _ids(roots(_chain(2, ns2["lib"]))) == _ids([model])
    finally:
        del value_module._TEST_MODEL  # type: ignore[attr-defined]


def test_modules_types_and_scalar_subclasses_are_not_entered() -> None:
    a = Tiny()

    class Tagged(int):
        pass

    tag = Tagged(3)
    tag.model = a  # type: ignore[attr-defined]
    mod = types.ModuleType("user_models")
    mod.model = a  # type: ignore[attr-defined]
    holder = Plain()
    holder.model = a
    for obj in (tag, mod):
        assert roots(_chain(1, obj)) == []
    assert _ids(roots(_chain(1, holder))) == _ids([a])


def test_only_lists_and_tuples_holding_nodes_are_roots() -> None:
    v = Value(1.0)

    class MyList(list):  # type: ignore[type-arg]
        pass

    nested = [[[v]]]
    kept = [v]
    tup = (Tiny(),)
    for obj, found in (([1.0, "a"], False), (kept, True), (tup, True), (nested, True),
                       (MyList([v]), False), ({"v": v}, False)):
        assert _ids(roots(_chain(1, obj))) == (_ids([obj]) if found else [])


# -- _holds_nodes ----------------------------------------------------------------------------


def test_holds_nodes_looks_four_lists_deep() -> None:
    v = Value(1.0)
    assert guards._holds_nodes([1.0, v]) is True
    assert guards._holds_nodes([1.0, Tiny()]) is True
    assert guards._holds_nodes([1.0, (2.0,)]) is False
    assert guards._holds_nodes([]) is False
    assert guards._holds_nodes([[[[[v]]]]]) is True  # the Value in the fifth list
    assert guards._holds_nodes([[[[[[v]]]]]]) is False  # in the sixth: not looked at
    assert guards._holds_nodes([[1.0], (v,)]) is True  # the second nested list
    assert guards._holds_nodes([[1.0], [2.0]]) is False

    class MyList(list):  # type: ignore[type-arg]
        pass

    assert guards._holds_nodes([MyList([v])]) is False
    assert guards._holds_nodes([1.0, 2.0, 3.0, v]) is True


# -- _identity -------------------------------------------------------------------------------


def test_identity_keeps_a_scalars_type_and_repr_and_anything_elses_id() -> None:
    assert guards._identity(1) == ("int", "1")
    assert guards._identity(1.0) == ("float", "1.0")
    assert guards._identity(-0.0) == ("float", "-0.0")
    assert guards._identity(True) == ("bool", "True")
    assert guards._identity(None) == ("NoneType", "None")
    assert guards._identity("tanh") == ("str", "'tanh'")
    v = Value(1.0)
    assert guards._identity(v) == id(v)

    class Tagged(int):
        pass

    t = Tagged(1)
    assert guards._identity(t) == id(t)


# -- fingerprint and Structure ---------------------------------------------------------------


def test_fingerprint_of_a_module_list_and_value_in_full() -> None:
    v, w = Value(1.0), Value(2.0)
    m = Tiny()
    m.w = [v, 1.5]
    m._act = "tanh"
    m.flag = True
    lists: list[list[Any]] = []
    out = fingerprint([m, w], lists)
    assert out == [
        (id(m), "Tiny", (("w", id(m.w)), ("_act", ("str", "'tanh'")), ("flag", ("bool", "True")))),
        (id(m.w), 2, (id(v), ("float", "1.5"))),
        id(w),
    ]
    assert lists == [m.w] and lists[0] is m.w
    assert fingerprint([m, w]) == out  # without a list to fill


def test_fingerprint_enters_public_walkable_attributes_only_in_order() -> None:
    inner, hidden = Tiny(), Tiny()
    m = Tiny()
    m.a = inner
    m._b = hidden
    m.c = (1.0,)
    m.d = Plain()
    out = fingerprint([m])
    assert [x[0] if isinstance(x, tuple) else x for x in out] == [
        id(m), id(m.w), id(inner), id(inner.w), id(m.c)]
    assert out[4] == (id(m.c), 1, (("float", "1.0"),))


def test_fingerprint_marks_a_repeat_and_tuples_are_not_collected_as_lists() -> None:
    v = Value(1.0)
    shared = [v]
    t = (shared, shared)
    lists: list[list[Any]] = []
    out = fingerprint([t, shared], lists)
    assert out == [(id(t), 2, (id(shared), id(shared))), (id(shared), 1, (id(v),)),
                   id(shared), id(shared)]
    assert len(lists) == 1 and lists[0] is shared


def test_fingerprint_stops_at_depth_64() -> None:
    deepest: list[Any] = [Value(1.0)]
    nest: list[Any] = deepest
    for _ in range(64):
        nest = [nest]
    out = fingerprint([nest])
    assert len(out) == 65 and out[-1] == (id(deepest), 1, (id(deepest[0]),))
    out = fingerprint([[nest]])
    assert len(out) == 66 and out[-1] == id(deepest)  # depth 65: its id only


def test_fingerprint_names_a_modules_qualified_type() -> None:
    class Local(Module):
        pass

    s = Local()
    assert fingerprint([s]) == [(id(s), Local.__qualname__, ())]
    assert Local.__qualname__ != Local.__name__


def test_structure_copies_lists_and_locates_items_at_their_first_place() -> None:
    v, w = Value(1.0), Value(2.0)
    a = [v, w, v]
    b = [w]
    m = Tiny()
    m.w = a
    m.z = b
    before = guards.STRUCTURE_VERSION[0]
    s = Structure([m])
    assert s.lists == [a, b] and s.lists[0] is a
    assert s.copies == [a, b] and s.copies[0] is not a and s.copies[1] is not b
    assert s.version == [before]
    assert s.fingerprint == fingerprint([m])
    assert s.locations() == {id(v): (0, 0), id(w): (0, 1)}


# -- second round: the walk's order and depths -----------------------------------------------


def test_a_repeat_skips_only_itself() -> None:
    a = Tiny()
    shared = Plain()

    def f(*args: Any) -> None:
        return None

    # the stack pops the two `shared` first: the repeat must not end the walk
    assert _ids(roots(functools.partial(f, a, shared, shared))) == _ids([a])


def test_a_partial_or_method_inside_another_keeps_the_rest_of_the_walk() -> None:
    a, b, c = Tiny(), Tiny(), Tiny()
    holder = Plain()
    holder.model = c

    def f(*args: Any) -> None:
        return None

    assert _ids(roots(functools.partial(f, a, functools.partial(f, b)))) == _ids([a, b])
    assert _ids(roots(functools.partial(f, a, types.MethodType(f, b)))) == _ids([a, b])
    assert _ids(roots(functools.partial(f, a, holder))) == _ids([a, c])


def _nest(depth: int, wrap: Any, leaf: object) -> object:
    obj = leaf
    for _ in range(depth):
        obj = wrap(obj)
    return obj


def _no_op(*args: Any, **kwargs: Any) -> None:
    return None


def test_each_kind_of_link_counts_one_level() -> None:
    a = Tiny()
    links = {
        "partial arg": lambda x: functools.partial(_no_op, x),
        "method self": lambda x: types.MethodType(_no_op, x),
        "default": lambda x: types.FunctionType(_no_op.__code__, {}, "d", (x,)),
        "global": lambda x: types.FunctionType(_reads_global_x.__code__, {"_x": x}, "g"),
    }
    for name, wrap in links.items():
        assert _ids(roots(_nest(4, wrap, a))) == _ids([a]), name  # a at depth 4
        assert roots(_nest(5, wrap, a)) == [], name  # at depth 5


def test_a_partials_function_counts_one_level() -> None:
    # partial(partial(...)) flattens, so the function link is tested through a closure chain
    a = Tiny()
    assert _ids(roots(functools.partial(_chain(3, a)))) == _ids([a])  # a at depth 4
    assert roots(functools.partial(_chain(4, a))) == []  # at depth 5


def _reads_global_x() -> Any:
    return _x  # type: ignore[name-defined]  # noqa: F821


def test_a_methods_function_counts_one_level() -> None:
    a = Tiny()
    leaf = _chain(1, a)  # a function whose closure holds a: a one level below it
    assert _ids(roots(_nest(3, lambda f: types.MethodType(f, 1.0), leaf))) == _ids([a])
    assert roots(_nest(4, lambda f: types.MethodType(f, 1.0), leaf)) == []


def test_fingerprint_of_a_module_that_hides_its_dict() -> None:
    class Hidden(Module):
        @property  # type: ignore[misc]
        def __dict__(self) -> Any:  # type: ignore[override]
            raise AttributeError("__dict__")

    h = Hidden()
    assert fingerprint([h]) == [(id(h), Hidden.__qualname__, ())]


class Link(Module):
    pass


def test_fingerprint_counts_one_level_per_module_attribute() -> None:
    mods = [Link() for _ in range(66)]
    for m, n in itertools.pairwise(mods):
        m.next = n
    out = fingerprint([mods[0]])
    assert len(out) == 66
    assert [x[0] for x in out[:65]] == [id(m) for m in mods[:65]]  # type: ignore[index]
    assert out[65] == id(mods[65])  # depth 65: its id only
