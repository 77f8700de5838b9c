"""``python -m nn.article`` slips (issue 18): ``--html`` is checked before any work, and the
worked example's published first-update cost is noted where the demo prints that cost."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest

from nn.article import PUBLISHED_FIRST_UPDATE_J, main


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was computed or printed
    (message,) = re.findall(r"^python -m nn\.article: error: (.*)$", captured.err, re.MULTILINE)
    return str(message)


def test_an_html_path_in_a_missing_directory_fails_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    message = _usage_error(["--no-graph", "--html", "nodir/x.html"], capsys)
    assert message == ("argument --html: cannot write 'nodir/x.html': the directory 'nodir' "
                       "does not exist")
    (tmp_path / "page.html").mkdir()
    message = _usage_error(["--no-graph", "--html", "page.html"], capsys)
    assert message.endswith("it is a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # nothing written


def _first_update_cost_in_plain_floats(weights: list[float]) -> float:
    """Mazur's network (inputs .05, .10; targets .01, .99; biases .35, .60), written out."""
    def s(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-x))

    w1, w2, w3, w4, w5, w6, w7, w8 = weights
    h1, h2 = s(w1 * 0.05 + w2 * 0.10 + 0.35), s(w3 * 0.05 + w4 * 0.10 + 0.35)
    o1, o2 = s(w5 * h1 + w6 * h2 + 0.60), s(w7 * h1 + w8 * h2 + 0.60)
    return 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2


def _first_update_in_plain_floats() -> list[float]:
    """The weights after one update at a = 0.5, by the delta rule in plain floats."""
    def s(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-x))

    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55
    h1, h2 = s(w1 * 0.05 + w2 * 0.10 + 0.35), s(w3 * 0.05 + w4 * 0.10 + 0.35)
    o1, o2 = s(w5 * h1 + w6 * h2 + 0.60), s(w7 * h1 + w8 * h2 + 0.60)
    d1, d2 = -(0.01 - o1) * o1 * (1 - o1), -(0.99 - o2) * o2 * (1 - o2)
    e1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1)
    e2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2)
    grads = [e1 * 0.05, e1 * 0.10, e2 * 0.05, e2 * 0.10, d1 * h1, d1 * h2, d2 * h1, d2 * h2]
    return [w - 0.5 * g for w, g in zip([w1, w2, w3, w4, w5, w6, w7, w8], grads)]


def test_the_published_first_update_cost_is_noted_beside_the_engines() -> None:
    exact = _first_update_cost_in_plain_floats(_first_update_in_plain_floats())
    assert f"{exact:.9f}" == "0.291027774"
    # Mazur's published weights after the first update, as printed (9 decimals)
    published_weights = [0.149780716, 0.19956143, 0.24975114, 0.29950229,
                         0.35891648, 0.408666186, 0.511301270, 0.561370121]
    by_hand = _first_update_cost_in_plain_floats(published_weights)
    assert f"{by_hand:.9f}" == "0.291027774" != PUBLISHED_FIRST_UPDATE_J == "0.291027924"
    out = io.StringIO()
    assert main(["--no-graph"], out=out) == 0
    text = out.getvalue()
    (engine,) = re.findall(r"J\(W\) after the update = ([0-9.]+)", text)
    assert abs(float(engine) - exact) < 1e-12  # printed to 12 places
    assert ("The worked example publishes 0.291027924 for this cost; the engine's is "
            "0.291027774.") in text
    assert "plain floats" in text and "agrees with the engine" in text
    # other learning rates are no longer the worked example: no note
    out = io.StringIO()
    assert main(["--no-graph", "--lr", "0.1"], out=out) == 0
    assert "publishes 0.291027924" not in out.getvalue()
