"""``Module``: the base of every network piece, with parameters, gradients and saving.

It follows PyTorch's ``torch.nn.Module``: ``parameters()``, ``named_parameters()``,
``zero_grad()``, ``state_dict()``, ``load_state_dict()``, ``train()``/``eval()``, ``model(x)``
calling ``forward(x)``, plus ``save(path)`` / ``load(path)`` for a JSON file.

**What a module holds.** Three ways, checked in this order:

1. a subclass that overrides :meth:`Module.named_parameters` says so itself;
2. a subclass that overrides only :meth:`Module.parameters` (micrograd's style) gets the
   names ``"0", "1", ...`` (positions in that list) for ``state_dict``, ``save`` and ``load``;
3. otherwise (``torch.nn.Module``'s style) every public attribute is looked at, in assignment
   order: a ``Value`` is a parameter named after the attribute (``"scale"``), a ``Module`` a
   sub-module whose parameters get the attribute as prefix (``"head.w.0"``), and a list or
   tuple of them gets the position as well (``"layers.0.neurons.1.b"``). Attributes whose name
   starts with ``_`` are private and never looked at (keep a cached output there).

A Value reached twice (a shared weight) is listed once, under its first name, as in PyTorch.
A module or a list reached again (a list holding itself, a module holding its parent) is a
cycle and is walked once. An attribute name holding a ``"."`` (``setattr(m, "a.0", w)``) is
refused by every walk that names parameters (``named_parameters``, ``state_dict``, ``save``,
``load``), with a ``ValueError``, as PyTorch refuses it: ``"."`` separates the parts of a
name, so ``"a.0"`` would collide with the first item of a list ``a``. Names given by an
override of ``named_parameters()`` must be unique, or the same ``ValueError`` is raised.

**No caches.** Names and parameters are computed from the current attributes on every call,
so replacing a layer (``m.layers[0] = Layer(...)``) or a bias (``n.b = Value(1.0)``) is seen at
once by ``parameters()``, ``zero_grad()``, ``state_dict()`` and the forward pass alike.

**Saving** never loses the old file: :meth:`Module.save` writes a temporary file
``.NAME.backprop-lens-tmp-PID-XXXXXXXX`` in the target's directory (created with the right
mode, no umask change), fsyncs it, renames it over the target with :func:`os.replace` (atomic
on POSIX and Windows) and fsyncs the directory. A symlink is followed (its target is
replaced, the link stays). Temporary files of the same target left by a crashed writer (its
process is gone, or the file is over an hour old) are removed by the next save.
:meth:`Module.load_state_dict` and :meth:`Module.load` check every name and number before
they change anything.
"""

from __future__ import annotations

import contextlib
import json
import math
import numbers
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.guards import STRUCTURE_VERSION as _STRUCTURE_VERSION
from autograd.value import clear_grads

#: The ``"format"`` tag of a saved file, and the version of its layout.
FILE_FORMAT = "backprop-lens.nn"
FILE_VERSION = 1

#: The marker in the names of :meth:`Module.save`'s temporary files.
TEMP_MARKER = ".backprop-lens-tmp-"
#: A temporary file older than this (seconds) is stale even if its writer's pid is in use.
STALE_AFTER = 3600.0
#: The longest file name (bytes) the temporary files are kept under (POSIX NAME_MAX).
NAME_MAX = 255
#: Integers in a saved file longer than this many digits are refused, not parsed.
MAX_INT_DIGITS = 400

StrPath = str | os.PathLike[str]



def _check_number(name: str, value: object) -> float:
    """``value`` as a float if it is a finite real number, else a ``TypeError``/``ValueError``.

    Any ``numbers.Real`` counts (int, float, ``numpy.float32``, ``numpy.int64``, Fraction);
    ``bool`` does not (``True`` in a weights file is a mistake, not ``1.0``).
    """
    if isinstance(value, _BigInt):
        raise ValueError(
            f"parameter {name!r} is too large for a float: an integer of {value.digits} digits"
        )
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"parameter {name!r} must be a real number, not {type(value).__name__}: {value!r:.60}"
        )
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"parameter {name!r} is too large for a float: {value!r:.60}") from None
    if not math.isfinite(number):
        raise ValueError(f"parameter {name!r} must be a finite number, not {number!r}")
    return number


class Module:
    """Base class of every network piece (:class:`nn.Neuron`, :class:`nn.Layer`, ``MLP``...).

    Subclass it as in PyTorch (assign Values, Modules and lists of them in ``__init__``, write
    ``forward``) or as in micrograd (override ``parameters()``); see the module docstring for
    how the parameters are found and named.

    Attributes:
        training: ``True`` (the default) or ``False`` after :meth:`eval`; nothing in this
            library behaves differently, but user modules may read it (dropout-like code).
    """

    training: bool = True

    #: A shortcut for :meth:`parameters` of a built-in class (Neuron, Layer, MLP): the same
    #: list as the attribute walk, or None when the instance holds anything unexpected.
    _plain_parameters: Callable[[Any], list[Value] | None] | None = None

    # -- structure -------------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        """Set the attribute, and tell compiled steps (:mod:`autograd.guards`) that this
        module's structure may have changed (a replaced bias, layer or activation)."""
        object.__setattr__(self, name, value)
        _STRUCTURE_VERSION[0] += 1

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)
        _STRUCTURE_VERSION[0] += 1

    # -- calling ---------------------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``module(x)`` is ``module.forward(x)``, as in PyTorch."""
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """What calling the module computes; a subclass defines it."""
        raise NotImplementedError(
            f"{type(self).__name__} has no forward(): define forward() to make it callable"
        )

    # -- parameters ------------------------------------------------------------------------

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, in a fixed order, each Value once.

        For a module that overrides only :meth:`parameters`: ``("0", p0), ("1", p1), ...``.
        Otherwise the attributes, in assignment order (see the module docstring).
        """
        out: list[tuple[str, Value]] = []
        cls = type(self)
        # Reached through super() from an override of named_parameters(), or with nothing
        # overridden: this module's own attributes (never back into the override).
        root = cls.named_parameters is not Module.named_parameters \
            or cls.parameters is Module.parameters
        _collect_module(self, "", out, set(), set(), root=root)
        return out

    def parameters(self) -> list[Value]:
        """The parameter Values (weights and biases), in :meth:`named_parameters` order.

        A new list each call, computed from the current attributes.
        """
        cls = type(self)
        if cls.named_parameters is not Module.named_parameters:
            return [p for _, p in _checked(self.named_parameters(), self)]
        fast = cls._plain_parameters
        if fast is not None:
            found = fast(self)
            if found is not None and len(set(map(id, found))) == len(found):
                return found
        # this module's own attributes (also when reached through super() from an override)
        out: list[Value] = []
        _collect_values(self, out, set(), set())
        return out

    def modules(self) -> Iterator[Module]:
        """This module and every sub-module below it (attributes, lists of them), each once."""
        seen: set[int] = set()
        stack: list[Module] = [self]
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield module
            found: list[Module] = []
            for name, value in _public_attributes(module):
                del name
                _submodules(value, found)
            stack.extend(reversed(found))

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """``(name, module)`` for each immediate sub-module, each once, in assignment order.

        As ``torch.nn.Module.named_children``; a module in a list or tuple attribute is named
        with its position (``"layers.0"``), as in ``named_parameters``, since a plain list
        plays the part of PyTorch's ``ModuleList``.
        """
        seen: set[int] = set()
        for name, child in _child_entries(self):
            if id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        """Each immediate sub-module once (``torch.nn.Module.children``)."""
        for _, child in self.named_children():
            yield child

    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """``(dotted name, module)`` for this module (named ``prefix``, ``""`` by default)
        and every sub-module below it, depth first, as ``torch.nn.Module.named_modules``.

        A module reached twice (a shared layer) is given once, under its first name, unless
        ``remove_duplicate=False``; ``memo`` is a set of modules to leave out (it is added to,
        as PyTorch's is). A module that contains itself is never entered twice.
        """
        if memo is None:
            memo = set()
        yield from self._named_modules(memo, prefix, remove_duplicate, set())

    def _named_modules(
        self, memo: set[Module], prefix: str, remove_duplicate: bool, path: set[int]
    ) -> Iterator[tuple[str, Module]]:
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        if id(self) in path:  # a cycle through this module: already being listed
            return
        yield prefix, self
        path.add(id(self))
        # as PyTorch: every entry (a module held twice is met twice; memo drops the second)
        for name, child in _child_entries(self):
            child_prefix = f"{prefix}.{name}" if prefix else name
            yield from child._named_modules(memo, child_prefix, remove_duplicate, path)
        path.discard(id(self))

    def extra_repr(self) -> str:
        """The text inside ``Name(...)`` in :meth:`__repr__`, before the sub-modules (empty
        here; a subclass may return its settings, as in PyTorch)."""
        return ""

    def __repr__(self) -> str:
        """The module tree, as PyTorch prints it: ``Name(extra)`` for a module without
        sub-modules, else one line per immediate sub-module, indented::

            Net(
              (hidden.0): Layer(2, 8, activation='tanh')
              (out): Neuron(8, activation='linear')
            )
        """
        return _tree_repr(self, set())

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Clear every parameter's gradient: ``p.grad = 0.0`` (or ``None``).

        PyTorch's default is ``set_to_none=True``; here it is ``False``, so ``.grad`` stays a
        float that a reader can print and compare. With ``True``, ``p.grad`` is ``None``,
        which means "no gradient yet": the optimizers skip such a parameter (as PyTorch's do).
        """
        clear_grads(self.parameters(), set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Set ``training = mode`` on this module and every sub-module; returns ``self``."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) takes a bool, not {type(mode).__name__}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """``train(False)``: set ``training = False`` everywhere below; returns ``self``."""
        return self.train(False)

    def architecture(self) -> dict[str, Any]:
        """A JSON-able description of the shape of this module (checked by :meth:`load`).

        The base class describes only its type; subclasses add their sizes and activations.
        """
        return {"type": type(self).__name__}

    # -- state -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """``{name: value}`` for every parameter, with the names of :meth:`named_parameters`."""
        return {name: p.data for name, p in _unique(self.named_parameters(), self)}

    def _validated(self, state: object, where: str = "") -> list[tuple[Value, float]]:
        """Check ``state`` against this module; return the assignments to make.

        Every key must name a parameter, every parameter must be present, and every value
        must be a finite real number. Nothing is changed here. ``where`` (a file name)
        prefixes every message.
        """
        source = f"{where}: 'parameters'" if where else "state_dict"
        if not isinstance(state, Mapping):
            raise TypeError(
                f"{source} must be a mapping of parameter names to numbers, "
                f"not {type(state).__name__}"
            )
        named = _unique(self.named_parameters(), self)
        names = {name for name, _ in named}
        for key in state:
            if not isinstance(key, str):
                raise TypeError(f"{source} keys must be str parameter names, not {key!r}")
        missing = [name for name, _ in named if name not in state]
        unexpected = [key for key in state if key not in names]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {_names(missing)}")
            if unexpected:
                parts.append(f"unexpected {_names(unexpected)}")
            raise ValueError(
                f"{source} does not match this {type(self).__name__} "
                f"({len(named)} parameters): " + "; ".join(parts)
            )
        try:
            return [(p, _check_number(name, state[name])) for name, p in named]
        except (TypeError, ValueError) as error:
            if not where:
                raise
            raise type(error)(f"{where}: {error}") from None

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set every parameter's ``.data`` from ``state`` (as :meth:`state_dict` gives it).

        Checks first, changes after: a missing or unexpected name is a ``ValueError`` naming
        it, a value that is not a real number (a str, None, a bool) a ``TypeError``, a NaN
        or infinity a ``ValueError``; on any error no parameter has changed.
        """
        for p, value in self._validated(state):
            p.data = value

    # -- files -----------------------------------------------------------------------------

    def save(self, path: StrPath) -> None:
        """Write the parameters to ``path`` as JSON, atomically.

        The file holds ``{"format": "backprop-lens.nn", "version": 1, "architecture": ...,
        "parameters": {name: value}}``. It is written to a temporary file in the same
        directory, fsynced, renamed over ``path`` (:func:`os.replace`), and the directory is
        fsynced; if anything fails, the old file is untouched and the temporary file removed.
        A new file gets mode ``0o666`` minus the umask, a replaced file keeps its mode; a
        symlink is followed. Errors, with nothing written: non-finite parameters (a diverged
        model) and a module without parameters are a ``ValueError``; a path ending in a
        separator or naming a directory an ``IsADirectoryError``.
        """
        target = _save_target(path)
        named = _unique(self.named_parameters(), self)
        if not named:
            raise ValueError(
                f"cannot save: this {type(self).__name__} has no parameters (assign Values, "
                f"Modules or lists of them as attributes, or override parameters())"
            )
        state = {name: p.data for name, p in named}
        for name, value in state.items():
            if not math.isfinite(value):
                raise ValueError(
                    f"cannot save: parameter {name!r} is {value!r} (JSON holds finite numbers)"
                )
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "architecture": self.architecture(),
            "parameters": state,
        }
        text = json.dumps(document, indent=1, allow_nan=False) + "\n"
        directory = target.parent
        _remove_stale_temporaries(directory, target.name)
        try:
            old_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            old_mode = None
        temp = directory / _temp_name(target.name)
        # A new file: 0o666 and the kernel applies the umask. A replaced one: private until
        # its old mode is set, before anything is written.
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY,
                     0o666 if old_mode is None else 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                if old_mode is not None:
                    _set_mode(file.fileno(), temp, old_mode)
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        _fsync_directory(directory)

    def load(self, path: StrPath) -> None:
        """Load parameters saved by :meth:`save` into this module, in place.

        Reads and checks everything before changing anything; every message names the file:

        * no file: ``FileNotFoundError``;
        * not JSON (or not UTF-8), a key twice in one object, nesting too deep:
          ``ValueError`` (with the line, or the key);
        * not a saved model, another format version, another architecture (type, sizes,
          activations) or other parameter names: ``ValueError`` naming the key;
        * a value that is not a finite real number (also a huge integer):
          ``TypeError``/``ValueError`` naming the parameter.
        """
        source = os.fspath(path)
        try:
            with open(source, encoding="utf-8") as file:
                text = file.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"no saved model at {source!r}") from None
        except UnicodeDecodeError as error:
            raise ValueError(f"{source}: not a UTF-8 text file ({error.reason})") from None
        document = _parse(text, source)
        if not isinstance(document, dict):
            raise ValueError(f"{source}: expected a JSON object, found {type(document).__name__}")
        if document.get("format") != FILE_FORMAT:
            raise ValueError(
                f"{source}: not a saved model (its 'format' is {document.get('format')!r}, "
                f"expected {FILE_FORMAT!r})"
            )
        if document.get("version") != FILE_VERSION:
            raise ValueError(
                f"{source}: unsupported file version {document.get('version')!r} "
                f"(this library reads version {FILE_VERSION})"
            )
        for key in ("architecture", "parameters"):
            if key not in document:
                raise ValueError(f"{source}: the key {key!r} is missing")
        mine = self.architecture()
        theirs = document["architecture"]
        if theirs != mine:
            raise ValueError(f"{source}: {_architecture_difference(theirs, mine)}")
        assignments = self._validated(document["parameters"], source)
        for p, value in assignments:
            p.data = value


# -- finding the parameters --------------------------------------------------------------------


def _public_attributes(module: Module) -> Iterator[tuple[str, object]]:
    """``(name, value)`` of the module's instance attributes not starting with ``_``."""
    for name, value in getattr(module, "__dict__", {}).items():
        if name[0] != "_":
            yield name, value


def _submodules(value: object, found: list[Module], lists: set[int] | None = None) -> None:
    """Append the Modules in ``value`` (a Module, or a list/tuple holding some) to ``found``;
    a list that holds itself is walked once (``lists``: the ids of those walked)."""
    if isinstance(value, Module):
        found.append(value)
    elif isinstance(value, (list, tuple)):
        lists = set() if lists is None else lists
        if id(value) in lists:
            return
        lists.add(id(value))
        for item in value:
            _submodules(item, found, lists)


def _child_entries(module: Module) -> list[tuple[str, Module]]:
    """``(name, module)`` for every sub-module entry of ``module``'s public attributes, a
    module held under two names given twice (PyTorch's ``_modules.items()``)."""
    out: list[tuple[str, Module]] = []
    for name, value in _public_attributes(module):
        out += _named_submodules(value, name, set())
    return out


def _named_submodules(value: object, name: str, containers: set[int]) -> list[tuple[str, Module]]:
    """``(name, module)`` for ``value`` if it is a Module, or for the Modules in it if it is
    a list or tuple (``name.0``, ``name.1``, ...); a list that contains itself is entered
    once (``containers``: the lists on the current path)."""
    if isinstance(value, Module):
        return [(name, value)]
    if not isinstance(value, (list, tuple)) or id(value) in containers:
        return []
    containers.add(id(value))
    out: list[tuple[str, Module]] = []
    for i, item in enumerate(value):
        out += _named_submodules(item, f"{name}.{i}", containers)
    containers.discard(id(value))
    return out


def _tree_repr(module: Module, path: set[int]) -> str:
    """``repr(module)`` as a tree (see :meth:`Module.__repr__`); a module that contains
    itself is shown as ``Name(...)`` where it recurs."""
    name = type(module).__name__
    if id(module) in path:
        return f"{name}(...)"
    extra = module.extra_repr()
    path.add(id(module))
    children = [
        f"({child_name}): " + (_tree_repr(child, path) if type(child).__repr__ is Module.__repr__
                               else repr(child)).replace("\n", "\n  ")
        for child_name, child in _child_entries(module)  # as PyTorch: each entry
    ]
    path.discard(id(module))
    if not children and "\n" not in extra:
        return f"{name}({extra})"
    lines = [line for line in extra.split("\n") if line] + children
    return f"{name}(\n  " + "\n  ".join(lines) + "\n)"


def _checked(named: object, module: Module) -> list[tuple[str, Value]]:
    """A subclass's ``named_parameters()`` result as a list, checked: str names, Values."""
    out: list[tuple[str, Value]] = list(named)  # type: ignore[call-overload]
    for i, pair in enumerate(out):
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)
                and isinstance(pair[1], Value)):
            raise TypeError(
                f"{type(module).__name__}.named_parameters() must give (str, Value) pairs; "
                f"item {i} is {pair!r:.80}"
            )
    return out


def _unique(named: object, module: Module) -> list[tuple[str, Value]]:
    """:func:`_checked`, and a ``ValueError`` for a name given twice (two parameters cannot
    share a name in ``state_dict``, ``save`` and ``load``)."""
    out = _checked(named, module)
    names: set[str] = set()
    for name, _ in out:
        if name in names:
            raise ValueError(
                f"{type(module).__name__}.named_parameters() gives the name {name!r} to two "
                "parameters; each parameter needs its own name to be saved and loaded"
            )
        names.add(name)
    return out


def _attribute(module: Module, name: str, value: object) -> str:
    """``name``, or a ``ValueError`` if it holds a ``"."`` and ``value`` could hold
    parameters (a ``"."`` joins the parts of a dotted name: ``"a.0"`` is item 0 of ``a``)."""
    if "." in name and isinstance(value, (Value, Module, list, tuple)):
        raise ValueError(
            f"{type(module).__name__} has an attribute named {name!r}: a name holding a "
            "parameter or a module cannot contain '.', which separates the parts of a dotted "
            "name (as in PyTorch); rename the attribute"
        )
    return name


def _collect_module(
    module: Module, prefix: str, out: list[tuple[str, Value]], seen: set[int], visited: set[int],
    *, root: bool = False,
) -> None:
    """Append ``module``'s ``(prefix + name, parameter)`` pairs to ``out``, each Value once.

    A module that overrides ``named_parameters``/``parameters`` is asked through them; with
    ``root``, ``module``'s own attributes are walked whatever it overrides.
    """
    visited.add(id(module))
    cls = type(module)
    if root:
        for name, value in _public_attributes(module):
            _collect_value(value, prefix + _attribute(module, name, value), out, seen, visited)
        return
    if cls.named_parameters is not Module.named_parameters:
        pairs = _checked(module.named_parameters(), module)
    elif cls.parameters is not Module.parameters:
        pairs = []
        for i, p in enumerate(module.parameters()):
            if not isinstance(p, Value):
                raise TypeError(
                    f"{cls.__name__}.parameters() must give Values; item {i} is "
                    f"{type(p).__name__}: {p!r:.60}"
                )
            pairs.append((str(i), p))
    else:
        for name, value in _public_attributes(module):
            _collect_value(value, prefix + _attribute(module, name, value), out, seen, visited)
        return
    for name, p in pairs:
        if id(p) not in seen:
            seen.add(id(p))
            out.append((prefix + name, p))


def _collect_value(
    value: object, name: str, out: list[tuple[str, Value]], seen: set[int], visited: set[int]
) -> None:
    if isinstance(value, Value):
        if id(value) not in seen:
            seen.add(id(value))
            out.append((name, value))
    elif isinstance(value, Module):
        if id(value) not in visited:
            _collect_module(value, name + ".", out, seen, visited)
    elif isinstance(value, (list, tuple)) and id(value) not in visited:
        visited.add(id(value))  # a list that holds itself (or its holder) is walked once
        for i, item in enumerate(value):
            _collect_value(item, f"{name}.{i}", out, seen, visited)


def _collect_values(module: Module, out: list[Value], seen: set[int], visited: set[int]) -> None:
    """``_collect_module(module, ..., root=True)`` without the names, one loop over a stack.

    ``zero_grad()``'s path. Gives the same Values in the same order (depth first, attributes
    in assignment order); sub-modules that override ``parameters``/``named_parameters`` are
    asked through them.
    """
    visited.add(id(module))  # the root: its own attributes, whatever it overrides
    stack: list[object] = [value for _, value in _public_attributes(module)][::-1]
    pop = stack.pop
    push = out.append
    base_named = Module.named_parameters
    base_parameters = Module.parameters
    while stack:
        item = pop()
        kind: Any = type(item)
        if isinstance(item, Value):
            if id(item) not in seen:
                seen.add(id(item))
                push(item)
        elif kind is list or kind is tuple or isinstance(item, (list, tuple)):
            if id(item) not in visited:  # a list that holds itself is walked once
                visited.add(id(item))
                stack.extend(reversed(item))  # type: ignore[call-overload]
        elif isinstance(item, Module) and id(item) not in visited:
            if kind.named_parameters is not base_named or kind.parameters is not base_parameters:
                pairs: list[tuple[str, Value]] = []
                _collect_module(item, "", pairs, seen, visited)
                out.extend(p for _, p in pairs)
                continue
            visited.add(id(item))
            stack.extend(reversed([v for k, v in item.__dict__.items() if k[0] != "_"]))


# -- files -------------------------------------------------------------------------------------


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{shown}{more}"


def _save_target(path: StrPath) -> Path:
    """The file that :meth:`Module.save` replaces: ``path`` with symlinks followed."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save(path) takes a str or path, not {type(path).__name__}")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"save(path) takes a str path, not {type(name).__name__}")
    if not name:
        raise ValueError("save(path) got an empty path")
    if name.endswith(("/", os.sep)) or (os.altsep is not None and name.endswith(os.altsep)):
        raise IsADirectoryError(f"cannot save to {name!r}: the path ends with a separator, "
                                f"so it names a directory; give a file name")
    target = Path(os.path.realpath(name))
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {name!r}: it is a directory")
    return target


def _temp_name(name: str) -> str:
    """``.NAME.backprop-lens-tmp-PID-XXXXXXXX``, with NAME cut so it fits in ``NAME_MAX``."""
    tail = f"{TEMP_MARKER}{os.getpid()}-{secrets.token_hex(4)}"
    room = NAME_MAX - 1 - len(tail)
    head = name
    while len(os.fsencode(head)) > room:  # cut whole characters, never half of one
        head = head[:-1]
    return f".{head}{tail}"


_TEMP = re.compile(r"\.(.*)" + re.escape(TEMP_MARKER) + r"(\d+)-[0-9a-f]{8}", re.DOTALL)


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Remove this target's temporary files whose writer is gone or that are over an hour old."""
    whole = os.fsencode(name)
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = _TEMP.fullmatch(entry)
        if match is None:
            continue
        head = os.fsencode(match[1])
        # this target's: the whole name, or its start when the name was cut to fit NAME_MAX
        if head != whole and not (whole.startswith(head)
                                  and len(os.fsencode(entry)) >= NAME_MAX - 3):
            continue
        path = directory / entry
        try:
            old = now - os.lstat(path).st_mtime > STALE_AFTER
        except OSError:
            continue
        if old or not _alive(int(match[2])):
            with contextlib.suppress(OSError):
                os.unlink(path)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (on Windows, where this cannot be asked safely: yes)."""
    if os.name == "nt":  # pragma: no cover - os.kill would terminate the process there
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _set_mode(fd: int, path: Path, mode: int) -> None:
    """``chmod`` the open temporary file (``fchmod`` where there is one)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows before Python 3.13
        os.chmod(path, mode)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _NonFinite(Exception):
    """A ``NaN``/``Infinity`` literal in a JSON file (Python's json reads them; we refuse)."""


class _DuplicateKey(Exception):
    """A key that appears twice in one JSON object."""


class _BigInt:
    """An integer literal too long to parse (it could never be a float anyway)."""

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"<an integer of {self.digits} digits>"


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


def _parse_int(text: str) -> int | _BigInt:
    return int(text) if len(text) <= MAX_INT_DIGITS else _BigInt(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _parse(text: str, source: str) -> object:
    """The JSON document in ``text``; every error a ``ValueError`` naming ``source``."""
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int,
                          object_pairs_hook=_unique_keys)
    except _NonFinite as error:
        raise ValueError(
            f"{source}: {error} is not a finite number (a saved model holds finite numbers)"
        ) from None
    except _DuplicateKey as error:
        raise ValueError(f"{source}: the key {error.args[0]!r} appears twice in one object") \
            from None
    except RecursionError:
        raise ValueError(f"{source}: the JSON is nested too deeply to be a saved model") \
            from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{source}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}"
        ) from None


def _architecture_difference(theirs: object, mine: dict[str, Any]) -> str:
    """Say which architecture key differs between a file and the module."""
    if not isinstance(theirs, dict):
        return f"'architecture' must be an object, found {theirs!r:.80}"
    for key in ["type", *sorted(set(theirs) | set(mine))]:  # another type says it best
        if theirs.get(key) != mine.get(key):
            return (
                f"the file holds another architecture: its {key!r} is {theirs.get(key)!r:.80}, "
                f"this model's is {mine.get(key)!r}"
            )
    return "the file holds another architecture"  # pragma: no cover - dicts differ somewhere
