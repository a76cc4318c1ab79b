"""``progress``: the report as tables, as hamstride.progress/1 JSON, and as a chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

MARATHONER = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")
TODAY = "2026-12-11"


@pytest.fixture
def logged(invoke: Invoke, db: str, tmp_path: Path) -> None:
    """Two weeks of the marathoner's plan, the first session skipped, plus a field test."""
    made = invoke("plan", str(MARATHONER), "--start", START, "--weeks", "4", "--db", db,
                  "-o", str(tmp_path / "plan.json"), "--format", "json")
    assert made.exit_code == 0, made.output
    for day in ("2026-12-03", "2026-12-06", "2026-12-08", "2026-12-10"):
        result = invoke("log", "--as-planned", "--date", day, "--session-rpe", "6", "--db", db)
        assert result.exit_code == 0, result.output
    result = invoke("field-test", "--kind", "nordic_force", "--left", "300", "--right", "240",
                    "--date", "2026-12-05", "--db", db)
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("logged")
def test_progress_json_is_the_report_document(invoke: Invoke, db: str) -> None:
    result = invoke("progress", "--date", TODAY, "--weeks", "3", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    document: Any = json.loads(result.stdout)
    assert document["schema"] == "hamstride.progress/1"
    assert document["today"] == TODAY and document["weeks"] == 3
    assert (document["adherence"]["planned"], document["adherence"]["done"]) == (5, 4)
    assert document["asymmetry"]["tests"][0]["weaker"] == "right"


@pytest.mark.usefixtures("logged")
def test_progress_tables(invoke: Invoke, db: str) -> None:
    result = invoke("progress", "--date", TODAY, "--weeks", "3", "--db", db)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    for heading in ("Weekly sets by muscle group", "Weekly session load and adherence",
                    "Between-leg asymmetry", "Dose per key exercise", "Foster 2001",
                    "Information, not diagnosis"):
        assert heading in out, heading
    assert "Adherence: 80% (4 of 5 planned sessions done); streak 4, longest 4." in out
    assert "Missed: Tue 1 Dec." in out
    assert "right 20%" in out


@pytest.mark.usefixtures("logged")
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_progress_plot_writes_the_chart(invoke: Invoke, db: str, tmp_path: Path,
                                        suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    result = invoke("progress", "--date", TODAY, "--plot", str(path), "--format", "json",
                    "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema"] == "hamstride.progress/1"
    assert f"Wrote the progress chart to {path}." in result.stderr
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_progress_with_an_empty_log(invoke: Invoke, db: str, tmp_path: Path) -> None:
    invoke("plan", str(MARATHONER), "--start", START, "--weeks", "2", "--db", db,
           "-o", str(tmp_path / "p.md"), "--format", "markdown")
    result = invoke("progress", "--date", START, "--db", db)
    assert result.exit_code == 0, result.output
    assert "no sets logged" in result.stdout and "no field test yet" in result.stdout


@pytest.mark.usefixtures("logged")
@pytest.mark.parametrize(("args", "needles"), [
    (("--plot", "chart.gif"), ("--plot", ".gif", ".png or .svg")),
    (("--plot", "no/such/folder/x.png"), ("does not exist",)),
    (("--weeks", "0"), ("--weeks",)),
    (("--date", "yesterday"), ("--date", "yesterday")),
])
def test_progress_bad_input(invoke: Invoke, db: str, args: tuple[str, ...],
                            needles: tuple[str, ...]) -> None:
    assert_clean_error(invoke("progress", *args, "--db", db), *needles)
