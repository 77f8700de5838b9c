"""``Module``: the base of every network piece, with parameters, gradients and saving.

It follows PyTorch's names: ``parameters()``, ``zero_grad()``, ``state_dict()``,
``load_state_dict()``, plus ``save(path)`` / ``load(path)`` for a JSON file.

A subclass says what it holds by overriding :meth:`Module.named_parameters` (stable dotted
names such as ``"layers.0.neurons.1.w.0"``) and, to have the architecture checked when a
file is loaded, :meth:`Module.architecture`. The parameter Values are made once, at
construction; training and loading change their ``.data`` in place, so the list that
:meth:`Module.parameters` returns stays valid (and is cached: it is on the hot path of every
training step).

Saving never loses the old file: :meth:`Module.save` writes a temporary file in the same
directory, flushes and fsyncs it, then renames it over the target with :func:`os.replace`
(atomic on POSIX and Windows). :meth:`Module.load_state_dict` and :meth:`Module.load` check
every name, shape and number before they change anything.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd import Value

#: The ``"format"`` tag of a saved file, and the version of its layout.
FILE_FORMAT = "backprop-lens.nn"
FILE_VERSION = 1

StrPath = str | os.PathLike[str]


def _check_number(name: str, value: object) -> float:
    """``value`` as a float if it is a finite real number, else a ``TypeError``/``ValueError``.

    ``bool`` is not a number here (``True`` in a weights file is a mistake, not ``1.0``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"parameter {name!r} must be a real number, not {type(value).__name__}: {value!r}"
        )
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"parameter {name!r} is too large for a float: {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"parameter {name!r} must be a finite number, not {number!r}")
    return number


class Module:
    """Base class of :class:`nn.Neuron`, :class:`nn.Layer` and :class:`nn.MLP`.

    A subclass overrides :meth:`named_parameters` (and, ideally, :meth:`architecture`);
    everything else here is built on those two.
    """

    _parameter_cache: list[Value] | None = None

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its stable dotted name, in a fixed order.

        The base class has none; subclasses override this.
        """
        return []

    def parameters(self) -> list[Value]:
        """The parameter Values (weights and biases), in :meth:`named_parameters` order.

        A new list each call (mutating it does not affect the module), built from a cache.
        """
        cache = self._parameter_cache
        if cache is None:
            cache = self._parameter_cache = [p for _, p in self.named_parameters()]
        return cache.copy()

    def zero_grad(self) -> None:
        """Set ``p.grad = 0.0`` for every parameter ``p`` (gradients accumulate otherwise)."""
        cache = self._parameter_cache
        if cache is None:
            cache = self._parameter_cache = [p for _, p in self.named_parameters()]
        for p in cache:
            p.grad = 0.0

    def architecture(self) -> dict[str, Any]:
        """A JSON-able description of the shape of this module (checked by :meth:`load`).

        The base class describes only its type; subclasses add their sizes and activations.
        """
        return {"type": type(self).__name__}

    # -- state -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """``{name: value}`` for every parameter, with the names of :meth:`named_parameters`."""
        return {name: p.data for name, p in self.named_parameters()}

    def _validated(self, state: object, source: str = "state_dict") -> list[tuple[Value, float]]:
        """Check ``state`` against this module; return the assignments to make.

        Every key must name a parameter, every parameter must be present, and every value
        must be a finite real number. Nothing is changed here.
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"{source} must be a mapping of parameter names to numbers, "
                f"not {type(state).__name__}"
            )
        named = self.named_parameters()
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
        return [(p, _check_number(name, state[name])) for name, p in named]

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
        directory, flushed and fsynced, then renamed over ``path`` (:func:`os.replace`); if
        anything fails, the old file is untouched and the temporary file is removed.
        Non-finite parameters (NaN, infinity: a diverged model) are a ``ValueError`` and
        nothing is written.
        """
        target = Path(os.fspath(path))
        state = self.state_dict()
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
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(document, file, indent=1, allow_nan=False)
                file.write("\n")
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temp_name, _file_mode(target))
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        _fsync_directory(target.parent)

    def load(self, path: StrPath) -> None:
        """Load parameters saved by :meth:`save` into this module, in place.

        Reads and checks everything before changing anything:

        * no file: ``FileNotFoundError`` with the path;
        * not JSON (or not UTF-8): ``ValueError`` naming the file and the line;
        * not a saved model, another format version, another architecture (type, sizes,
          activations) or other parameter names: ``ValueError`` naming the key;
        * a value that is not a finite real number: ``TypeError``/``ValueError`` naming
          the parameter.
        """
        source = os.fspath(path)
        try:
            with open(source, encoding="utf-8") as file:
                text = file.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"no saved model at {source!r}") from None
        except UnicodeDecodeError as error:
            raise ValueError(f"{source}: not a UTF-8 text file ({error.reason})") from None
        try:
            document = json.loads(text, parse_constant=_reject_constant)
        except _NonFinite as error:
            raise ValueError(
                f"{source}: {error} is not a finite number (a saved model holds finite numbers)"
            ) from None
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{source}: not valid JSON at line {error.lineno}, column {error.colno}: "
                f"{error.msg}"
            ) from None
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
        assignments = self._validated(document["parameters"], f"{source}: 'parameters'")
        for p, value in assignments:
            p.data = value


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{shown}{more}"


class _NonFinite(Exception):
    """A ``NaN``/``Infinity`` literal in a JSON file (Python's json reads them; we refuse)."""


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


def _architecture_difference(theirs: object, mine: dict[str, Any]) -> str:
    """Say which architecture key differs between a file and the module."""
    if not isinstance(theirs, dict):
        return f"'architecture' must be an object, found {theirs!r}"
    for key in sorted(set(theirs) | set(mine)):
        if theirs.get(key) != mine.get(key):
            return (
                f"the file holds another architecture: its {key!r} is {theirs.get(key)!r}, "
                f"this model's is {mine.get(key)!r}"
            )
    return "the file holds another architecture"  # pragma: no cover - dicts differ somewhere


def _file_mode(target: Path) -> int:
    """The mode the saved file gets: the old file's, else ``0o666`` minus the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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
