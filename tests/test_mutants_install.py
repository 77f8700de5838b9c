"""Tests written against mutmut's survivors in ``autograd._install`` (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_install import _package

from autograd import _install


def test_the_message_in_full(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    init = _package(site, "autograd", ["__init__.py", "value.py", "core.py"])
    folder = site / "autograd"
    found = folder / "core.py"
    with pytest.raises(ImportError) as info:
        _install.check(str(init))
    assert str(info.value) == (
        f"backprop-lens: the package folder {folder} holds the files of two distributions: "
        "this project's `autograd` and HIPS autograd (PyPI: autograd) "
        f"(found {found}). Both install the import package `autograd` into the same "
        "folder, so whichever was installed last has overwritten the other's shared files "
        "and neither works reliably (pip gives no warning, and uninstalling either removes "
        "files the other needs). Fix: install backprop-lens in a separate virtual "
        "environment (python -m venv .venv-lens && .venv-lens/bin/pip install "
        "backprop-lens); to repair this environment, `pip uninstall backprop-lens autograd` "
        "and reinstall only the one it needs."
    )


def test_a_clash_in_nn_is_found_when_autograd_is_not_ours(tmp_path: Path) -> None:
    # HIPS autograd alone in autograd/ (no value.py: not ours, skipped), and our nn/
    # holding the PyPI nn's core.py: the check goes on to nn and finds it
    site = tmp_path / "site-packages"
    _package(site, "autograd", ["__init__.py", "numpy/__init__.py"])
    init = _package(site, "nn", ["__init__.py", "article.py", "core.py"])
    with pytest.raises(ImportError, match="the PyPI package nn") as info:
        _install.check(str(init))
    assert f"(found {site / 'nn' / 'core.py'})" in str(info.value)
