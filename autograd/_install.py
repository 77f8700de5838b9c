"""A safe install: refuse to run from a package folder that another distribution shares.

This project's import packages are ``autograd`` and ``nn``. Two other distributions on PyPI
install packages of the same names: HIPS's ``autograd`` (which other libraries depend on)
and ``nn`` (a TensorFlow wrapper). pip installs both into the same ``site-packages/autograd/``
(or ``nn/``) without a warning: the one installed last overwrites the other's shared files
(``__init__.py``), ``pip check`` finds nothing wrong, and uninstalling either removes files
the other needs. A few ``os.path`` checks at import find the other's files beside ours and
raise an ``ImportError`` that says so, instead of a confusing failure later.
"""

from __future__ import annotations

import os

#: Files or folders of the other distributions that ours never has, per package name.
FOREIGN_MARKERS = {
    "autograd": ("HIPS autograd (PyPI: autograd)", ("numpy", "core.py", "tracer.py")),
    "nn": ("the PyPI package nn", ("core.py", "optimizers.py")),
}

#: A file that only this project's package has, per package name.
OWN_MARKERS = {"autograd": "value.py", "nn": "article.py"}


def clash(folder: str, package: str) -> str | None:
    """The marker path showing that ``folder`` (this project's ``package``) also holds
    another distribution's files, or None when it holds ours only."""
    _, markers = FOREIGN_MARKERS[package]
    for marker in markers:
        path = os.path.join(folder, marker)
        if os.path.exists(path):
            return path
    return None


def check(package_file: str) -> None:
    """Raise ``ImportError`` if this project's ``autograd`` or ``nn``, in the folder that
    holds the package of ``package_file``, shares its package folder with another
    distribution's package of the same name. Runs when this module is first imported
    (``autograd/__init__.py`` and ``nn/__init__.py`` import it first)."""
    folder = os.path.dirname(os.path.abspath(package_file))
    site = os.path.dirname(folder)
    for package in ("autograd", "nn"):
        here = os.path.join(site, package)
        if not os.path.exists(os.path.join(here, OWN_MARKERS[package])):
            continue  # not this project's package (or not installed here)
        found = clash(here, package)
        if found is not None:
            raise ImportError(_message(package, here, found))


def _message(package: str, folder: str, found: str) -> str:
    other, _ = FOREIGN_MARKERS[package]
    return (
        f"backprop-lens: the package folder {folder} holds the files of two distributions: "
        f"this project's `{package}` and {other} (found {found}). Both install the import "
        f"package `{package}` into the same folder, so whichever was installed last has "
        "overwritten the other's shared files and neither works reliably (pip gives no "
        "warning, and uninstalling either removes files the other needs). Fix: install "
        "backprop-lens in a separate virtual environment (python -m venv .venv-lens && "
        ".venv-lens/bin/pip install backprop-lens); to repair this environment, "
        f"`pip uninstall backprop-lens {package}` "
        "and reinstall only the one it needs."
    )


check(__file__)
