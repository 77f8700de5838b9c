"""Packaging: the licence, the extras, and static tools finding the packages after install."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_license_file_is_the_licence_the_metadata_names() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "WITHOUT WARRANTY OF ANY KIND" in text


def test_the_hypothesis_extra_brings_hypothesis() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(req.startswith("hypothesis") for req in extras["hypothesis"])


def test_the_engine_needs_nothing_beyond_the_standard_library() -> None:
    # graphviz is the only runtime dependency, and only draw_dot imports it (lazily)
    assert [re.split(r"[<>=!~ ]", d)[0] for d in PYPROJECT["project"]["dependencies"]] == [
        "graphviz"
    ]


def test_an_editable_install_is_a_plain_path_entry() -> None:
    # package-dir {"" = "."} makes setuptools write a .pth with the repository's path
    # rather than an import-hook finder that mypy cannot follow
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"": "."}


@pytest.mark.subprocess
def test_mypy_finds_the_packages_from_a_script_outside_the_repository(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(
        "from autograd import Value\n"
        "from nn import MLP\n"
        "x = Value(2.0)\n"
        "reveal_type(x.data)\n"
        "m = MLP(2, [2, 1])\n"
        "y: int = x * 3  # a deliberate type error: mypy must know what Value * int is\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", str(script)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    out = result.stdout
    assert 'Revealed type is "builtins.float"' in out or 'Revealed type is "float"' in out, out
    assert "Incompatible types in assignment" in out and '"Value"' in out, out
    assert "Cannot find implementation or library stub" not in out, out


#: What the tests read beside the packages: each folder must be in the sdist whole.
TEST_DATA = ("tests", "docs", "notebooks", "benchmarks")
_NOT_SHIPPED = ("__pycache__", ".ipynb_checkpoints")


def _shipped_files(root: Path, folder: str) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in (root / folder).rglob("*")
        if path.is_file() and not any(part in _NOT_SHIPPED for part in path.parts)
        and path.suffix not in (".pyc", ".pyo")
    }


@pytest.mark.subprocess
def test_the_sdist_ships_what_its_tests_read(tmp_path: Path) -> None:
    """The sdist holds tests/ and every file they read: docs/, notebooks/, benchmarks/.
    Built from a copy of the sources (so no egg-info lands in the repository)."""
    import shutil
    import tarfile

    src = tmp_path / "src"
    ignore = shutil.ignore_patterns(*_NOT_SHIPPED, "*.pyc")
    for name in ("autograd", "nn", *TEST_DATA):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(REPO / name, src / name)
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-c",
         f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})"],
        cwd=src, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    (sdist,) = dist.glob("backprop_lens-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for folder in TEST_DATA:
        expected = _shipped_files(src, folder)
        assert expected, folder
        assert expected <= names, sorted(expected - names)
    assert "nn/article.py" in names and "autograd/value.py" in names
    assert not any("__pycache__" in name for name in names)
