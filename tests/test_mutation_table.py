"""The README's mutation table: one row per module of autograd/ and nn/, each row's numbers
adding up, its score computed from them, and its notes file present and agreeing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(
    r"^\| `(?P<module>[\w.]+)` \| (?P<mutants>\d+) \| (?P<killed>\d+) \| (?P<timeouts>\d+) "
    r"\| (?P<equivalent>\d+) \| (?P<open>\d+) \| (?P<score>[^|]+?) "
    r"\| \[notes\]\((?P<notes>docs/mutants/[\w.]+\.md)\) \|$"
)


def _rows() -> dict[str, dict[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- mutation-table -->")[1].split("<!-- /mutation-table -->")[0]
    lines = [line for line in table.strip().splitlines()[2:]]  # after the header rows
    rows: dict[str, dict[str, str]] = {}
    for line in lines:
        match = ROW.match(line)
        assert match, f"a row the table's format does not allow: {line!r}"
        rows[match["module"]] = match.groupdict()
    return rows


def _modules() -> set[str]:
    return {f"{path.parent.name}.{path.stem}" for package in ("autograd", "nn")
            for path in (ROOT / package).glob("*.py")}


def test_every_module_has_exactly_one_row() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- mutation-table -->")[1].split("<!-- /mutation-table -->")[0]
    assert len(table.strip().splitlines()) - 2 == len(_rows())  # no module listed twice
    assert set(_rows()) == _modules()


def test_each_row_adds_up_and_its_score_follows_from_its_numbers() -> None:
    for module, row in _rows().items():
        mutants, killed, timeouts, equivalent, still_open = (
            int(row[k]) for k in ("mutants", "killed", "timeouts", "equivalent", "open"))
        score = row["score"]
        if score.startswith("partial") or score == "not measured":
            # a run that did not finish: its counts cannot add up to the mutants generated
            assert killed + timeouts + equivalent + still_open <= mutants, module
            continue
        assert killed + timeouts + equivalent + still_open == mutants, module
        if mutants == equivalent:
            assert score == "n/a", module
            continue
        expected = 100.0 * (killed + timeouts) / (mutants - equivalent)
        assert score == f"{expected:.1f}%", (module, score, expected)


def test_each_rows_notes_exist_and_state_its_counts() -> None:
    for module, row in _rows().items():
        assert row["notes"] == f"docs/mutants/{module}.md"
        notes = (ROOT / row["notes"]).read_text(encoding="utf-8")
        assert f"Mutation testing: `{module}`" in notes or f"Mutation testing: {module}" in notes
        if row["score"] == "not measured":
            continue
        for key in ("mutants", "killed"):
            number = int(row[key])
            assert re.search(rf"(?<![\d,]){number:,}(?![\d,])|(?<!\d){number}(?!\d)", notes), (
                module, key, number)
