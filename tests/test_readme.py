"""The README's Python examples run as pasted: each block on its own, in a fresh namespace,
in a child process whose working directory is an empty temporary directory (so a block
that writes files writes them there, and no name leaks from one block into the next)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

#: What some blocks are expected to leave behind: a check appended to the block itself.
CHECKS = {
    "grad(dy, [x])": "assert abs(d2y.data - (2 + math.exp(2.0))) < 1e-12\n",
    "autograd.compile(": "assert isinstance(loss, float) and 'g_' in step.source\n",
    'g.render("my_graph")': "assert Path('my_graph.svg').exists()\n",
    'page.save("explorer.html")':
        "assert '<svg' in Path('explorer.html').read_text(encoding='utf-8')\n",
}


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_its_examples() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 5
    assert any("autograd.compile" in b for b in blocks)
    assert any("class Net(Module)" in b for b in blocks)
    assert any("def parameters(self)" in b for b in blocks)


def _script(block: str) -> str:
    checks = "".join(check for key, check in CHECKS.items() if key in block)
    return block + "\nimport math\nfrom pathlib import Path\n" + checks + "print('block ran')\n"


@pytest.mark.subprocess
@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_each_python_block_runs_on_its_own(index: int, tmp_path: Path) -> None:
    block = python_blocks()[index]
    script = tmp_path / f"readme_block_{index}.py"
    script.write_text(_script(block), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, check=False, env=_env(),
    )
    assert result.returncode == 0, f"README block {index}:\n{block}\n{result.stderr}"
    assert "block ran" in result.stdout


def _env() -> dict[str, str]:
    """The child's environment: the repository importable (as an install makes it)."""
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def test_every_check_finds_its_block() -> None:
    blocks = python_blocks()
    for key in CHECKS:
        assert any(key in b for b in blocks), key


@pytest.mark.subprocess
def test_a_block_that_uses_a_name_from_an_earlier_one_fails(tmp_path: Path) -> None:
    """The harness itself: each block is run alone, so a name left undefined is an error."""
    script = tmp_path / "block.py"
    script.write_text(_script("for x, y in data:\n    pass\n"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode != 0 and "NameError: name 'data' is not defined" in result.stderr
