"""A safe install (issue 18): another distribution's ``autograd`` or ``nn`` files in our
package folder are an ``ImportError`` that names the clash and the fix.

The subprocess test builds this project's wheel, installs it and HIPS ``autograd`` (from
PyPI) into scratch virtual environments in both orders, and imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import _install

REPO = Path(__file__).resolve().parent.parent


def _package(site: Path, name: str, files: list[str]) -> Path:
    folder = site / name
    for f in files:
        path = folder / f
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return folder / "__init__.py"


@pytest.mark.parametrize(
    ("package", "foreign", "named"),
    [
        ("autograd", "numpy/__init__.py", "HIPS autograd"),
        ("autograd", "core.py", "HIPS autograd"),
        ("autograd", "tracer.py", "HIPS autograd"),
        ("nn", "core.py", "the PyPI package nn"),
        ("nn", "optimizers.py", "the PyPI package nn"),
    ],
)
def test_a_foreign_file_in_our_folder_is_an_import_error_naming_clash_and_fix(
    tmp_path: Path, package: str, foreign: str, named: str
) -> None:
    site = tmp_path / "site-packages"
    init = _package(site, "autograd", ["__init__.py", "value.py"])
    _package(site, "nn", ["__init__.py", "article.py"])
    _install.check(str(init))  # ours only: nothing to say
    _package(site, package, [foreign])
    for package_file in (init, site / "nn" / "__init__.py"):  # from either package
        with pytest.raises(ImportError) as info:
            _install.check(str(package_file))
        message = str(info.value)
        assert named in message and str(site / package) in message
        assert "separate virtual environment" in message
        assert f"pip uninstall backprop-lens {package}" in message


def test_another_distribution_alone_is_not_our_business(tmp_path: Path) -> None:
    # HIPS autograd installed without ours (no value.py): our nn beside it says nothing
    site = tmp_path / "site-packages"
    _package(site, "autograd", ["__init__.py", "core.py", "numpy/__init__.py"])
    init = _package(site, "nn", ["__init__.py", "article.py"])
    _install.check(str(init))


def test_the_repository_itself_has_no_clash() -> None:
    for package in ("autograd", "nn"):
        assert _install.clash(str(REPO / package), package) is None


# -- both installed into one environment, in either order -----------------------------------


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          check=False, env=env)


def _wheel(tmp_path: Path) -> Path:
    """This project's wheel, built from a copy of the sources (no build/ in the repo)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("autograd", "nn"):
        shutil.copytree(REPO / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, src / name)
    dist = tmp_path / "dist"
    result = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                   str(src)], tmp_path)
    assert result.returncode == 0, result.stderr
    (wheel,) = dist.glob("backprop_lens-*.whl")
    return wheel


def _venv(path: Path) -> Path:
    result = _run([sys.executable, "-m", "venv", str(path)], path.parent)
    assert result.returncode == 0, result.stderr
    return path / ("Scripts" if os.name == "nt" else "bin") / "python"


def _pip_install(python: Path, what: str) -> None:
    result = _run([str(python), "-m", "pip", "install", "-q", what], python.parent)
    assert result.returncode == 0, result.stderr


def _import(python: Path, code: str) -> subprocess.CompletedProcess[str]:
    return _run([str(python), "-c", code], python.parent.parent.parent)


@pytest.mark.subprocess
def test_both_installed_in_either_order_is_an_import_error_that_says_so(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)

    # HIPS autograd first, then ours: our __init__.py replaced HIPS's, and it says why
    python = _venv(tmp_path / "hips-then-ours")
    _pip_install(python, "autograd")
    _pip_install(python, str(wheel))
    for code in ("import autograd", "import nn", "from autograd import Value"):
        result = _import(python, code)
        assert result.returncode == 1, (code, result.stderr)
        assert "ImportError: backprop-lens: the package folder" in result.stderr, result.stderr
        assert "HIPS autograd" in result.stderr and "separate virtual environment" in result.stderr

    # ours first, then HIPS autograd: HIPS's __init__.py replaced ours, so `import autograd`
    # is HIPS's (ours never runs); our `nn` is intact and says why
    python = _venv(tmp_path / "ours-then-hips")
    _pip_install(python, str(wheel))
    ok = _import(python, "from autograd import Value; from nn import MLP; print('works alone')")
    assert ok.returncode == 0 and "works alone" in ok.stdout, ok.stderr
    _pip_install(python, "autograd")
    result = _import(python, "import nn")
    assert result.returncode == 1, result.stderr
    assert "ImportError: backprop-lens: the package folder" in result.stderr, result.stderr
    assert "HIPS autograd" in result.stderr
    result = _import(python, "from autograd import Value")
    assert result.returncode == 1 and "cannot import name 'Value'" in result.stderr
