"""The README's Python examples run as written (in one namespace, in order, in a child process)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

#: What the examples leave to the reader: a few (x, y) samples for the training loops.
PRELUDE = "data = [([0.5, -0.2], 0.3), ([0.1, 0.4], -0.1)]\n"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_its_examples() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 5
    assert any("autograd.compile" in b for b in blocks)
    assert any("class Net(Module)" in b for b in blocks)
    assert any("def parameters(self)" in b for b in blocks)


@pytest.mark.subprocess
def test_every_python_example_runs(tmp_path: Path) -> None:
    script = tmp_path / "readme_examples.py"
    checks = (
        "\nassert abs(d2y.data - (2 + math.exp(2.0))) < 1e-12\n"
        "assert isinstance(loss, float)\n"
        "assert (tmp / 'my_graph.svg').exists()\n"
        "assert '<svg' in (tmp / 'explorer.html').read_text(encoding='utf-8')\n"
        "assert 'g_' in step.source\n"
        "print('README examples ran')\n"
    )
    script.write_text(
        "import math\nfrom pathlib import Path\ntmp = Path.cwd()\n" + PRELUDE
        + "\n".join(python_blocks()) + checks,
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "README examples ran" in result.stdout
