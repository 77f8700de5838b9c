"""Structure guards of ``autograd.compile``: has the structure a trace saw changed?

A trace records operations on numbers. Which parameters it reads, which activation a
neuron applies, how many layers a model has: all of that is Python structure, read once
while tracing and then baked into the generated code. This module tells a compiled step
when that structure may have changed, cheaply enough to be asked on every call:

* :data:`STRUCTURE_VERSION` is a counter that ``nn.Module`` bumps on every attribute
  assignment or deletion (a replaced bias, layer or activation; ``train()``). The
  generated code compares it with the version it last checked: one comparison.
* The *registered lists* (lists reachable from the traced function's modules through
  their public attributes: ``mlp.layers``, ``layer.neurons``, ``neuron.w``) can change
  without an assignment (``append``, ``m.layers[1] = ...``). The generated code compares
  each with a copy (``==``, which tests identity first: a few nanoseconds per item), and
  reads the parameters that sit in such a list through the list itself, so a Value
  replaced by another of equal number (which ``==`` cannot tell apart) is still the one
  that is read and receives the gradient.

When either check fails, :func:`fingerprint` is recomputed from the function's roots (the
Modules, Values and lists its closure, default arguments and global names hold): if it is
the trace's, the step goes on; otherwise it traces again.

Not guarded (the README lists it): dicts and other containers (only lists and tuples are
walked), attributes of objects that are not Modules, a global or closure variable that is
rebound while no Module changes, and the code of the functions the trace called.
"""

from __future__ import annotations

import contextlib
import functools
import types
from collections.abc import Callable, Iterator
from typing import Any

from autograd.value import Value

#: Bumped by ``nn.Module`` on every attribute assignment or deletion (one cell, read by the
#: generated code as ``_version[0]``).
STRUCTURE_VERSION: list[int] = [0]

#: How deep :func:`roots` and :func:`fingerprint` follow containers and objects.
_DEPTH = 64
_SCALARS = (int, float, complex, str, bytes, bool, type(None))


def structure_changed() -> None:
    """Tell compiled steps that some module's structure may have changed."""
    STRUCTURE_VERSION[0] += 1


_MODULE_TYPES: dict[type, bool] = {}


def _is_module(x: object) -> bool:
    """Whether ``x`` is an ``nn.Module``. nn is built on autograd, not the reverse: the
    class is recognised by its name in the MRO (``nn.module.Module``), without importing nn."""
    kind = type(x)
    known = _MODULE_TYPES.get(kind)
    if known is None:
        known = _MODULE_TYPES[kind] = any(
            c.__name__ == "Module" and c.__module__ == "nn.module" for c in kind.__mro__)
    return known


def roots(fn: Callable[..., Any]) -> list[object]:
    """The Modules and lists ``fn`` can reach without arguments: in its closure cells, its
    default arguments, the globals its code names (nested code included), a bound
    method's ``self``, a ``functools.partial``'s arguments, and one level into plain
    objects found there (``self.model`` of a trainer whose method is compiled); also
    through the user's own functions found there (a helper that reads a global model),
    not through the library's."""
    found: list[object] = []
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(fn, 0)]
    while stack:
        obj, depth = stack.pop()
        if id(obj) in seen or depth > 4:
            continue
        seen.add(id(obj))
        if isinstance(obj, functools.partial):
            stack += [(x, depth + 1) for x in (obj.func, *obj.args, *obj.keywords.values())]
        elif isinstance(obj, types.MethodType):
            stack += [(obj.__self__, depth + 1), (obj.__func__, depth + 1)]
        elif isinstance(obj, types.FunctionType):
            if depth and str(getattr(obj, "__module__", "")).split(".")[0] in _LIBRARY:
                continue
            for cell in obj.__closure__ or ():
                with contextlib.suppress(ValueError):  # an empty cell raises
                    stack.append((cell.cell_contents, depth + 1))
            for value in (*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values()):
                stack.append((value, depth + 1))
            namespace = obj.__globals__
            for name in _global_names(obj.__code__):
                if name in namespace:
                    stack.append((namespace[name], depth + 1))
        elif _is_module(obj) or (type(obj) in (list, tuple) and _holds_nodes(obj)):
            found.append(obj)
        elif not isinstance(obj, (types.ModuleType, type, *_SCALARS)) and depth <= 2:
            attributes = getattr(obj, "__dict__", None)
            if isinstance(attributes, dict):  # a plain object holding a model
                stack += [(v, depth + 1) for k, v in attributes.items()
                          if k[:1] != "_" and _walkable(v)]
    return found


#: Functions of these packages are not entered by :func:`roots` (their globals are the
#: library's own tables, not the user's models).
_LIBRARY = frozenset({"autograd", "nn", "builtins", "functools", "math", "operator"})


def _global_names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _global_names(const)


def _identity(x: object) -> object:
    """What a fingerprint keeps of ``x``: a scalar's type and repr, anything else its id."""
    if type(x) in _SCALARS:
        return (type(x).__name__, repr(x))
    return id(x)


class Structure:
    """What a trace depended on: the fingerprint of its roots' modules and lists, and the
    registered lists with a copy of each (the generated code compares them per call)."""

    def __init__(self, fn_roots: list[object]) -> None:
        self.lists: list[list[Any]] = []
        self.copies: list[list[Any]] = []
        self.fingerprint = fingerprint(fn_roots, self.lists)
        self.copies = [list(items) for items in self.lists]
        self.version = [STRUCTURE_VERSION[0]]

    def locations(self) -> dict[int, tuple[int, int]]:
        """``id(item) -> (index of its list, position)`` of every item of the lists (the
        first place an item is found)."""
        where: dict[int, tuple[int, int]] = {}
        for k, items in enumerate(self.lists):
            for i, item in enumerate(items):
                where.setdefault(id(item), (k, i))
        return where


def fingerprint(fn_roots: list[object], lists: list[list[Any]] | None = None) -> list[object]:
    """The identity of everything structural reachable from ``fn_roots``: each Module's
    type and attributes (all of them, private ones included: ``_act`` is a neuron's
    activation), each list's and tuple's items, each root Value. Modules are entered
    through their public attributes and lists/tuples; ``lists`` collects the lists met."""
    out: list[object] = []
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(x, 0) for x in reversed(fn_roots)]
    while stack:
        obj, depth = stack.pop()
        if id(obj) in seen or depth > _DEPTH:
            out.append(_identity(obj))
            continue
        seen.add(id(obj))
        if type(obj) in (list, tuple):
            items: Any = obj
            if type(obj) is list and lists is not None:
                lists.append(items)
            out.append((id(obj), len(items), tuple(map(_identity, items))))
            stack += [(x, depth + 1) for x in reversed(items) if _walkable(x)]
        elif _is_module(obj):
            attributes = getattr(obj, "__dict__", {})
            out.append((id(obj), type(obj).__qualname__,
                        tuple((k, _identity(v)) for k, v in attributes.items())))
            stack += [(v, depth + 1) for k, v in reversed(list(attributes.items()))
                      if k[:1] != "_" and _walkable(v)]
        else:
            out.append(_identity(obj))
    return out


def _holds_nodes(items: Any, depth: int = 0) -> bool:
    """Whether a list or tuple holds a Value or a Module (directly or in nested lists):
    a captured list of parameters is structure, a list the function logs into is not."""
    for x in items:
        if isinstance(x, Value) or _is_module(x):
            return True
        if type(x) in (list, tuple) and depth < 4 and _holds_nodes(x, depth + 1):
            return True
    return False


def _walkable(x: object) -> bool:
    return type(x) in (list, tuple) or _is_module(x)
