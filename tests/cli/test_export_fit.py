"""``hamstride export fit``: planned sessions as FIT workout files, decoded back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import fitdecode
import pytest

from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

PROFILE = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")


@pytest.fixture
def planned(invoke: Invoke, db: str) -> str:
    result = invoke("plan", str(PROFILE), "--start", START, "--db", db, "--weeks", "4")
    assert result.exit_code == 0, result.output
    return db


def _workout_steps(data: bytes) -> tuple[str, int]:
    """The workout's sport and its number of steps, read by fitdecode."""
    sport, steps = "", 0
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                if frame.name == "workout":
                    sport = str(frame.get_value("sport"))
                elif frame.name == "workout_step":
                    steps += 1
    return sport, steps


def test_export_fit_writes_the_week_as_workouts(invoke: Invoke, planned: str,
                                                tmp_path: Path) -> None:
    out = tmp_path / "watch"
    out.mkdir()
    result = invoke("export", "fit", "--week", "1", "-o", str(out), "--db", planned,
                    "--date", START)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.fit"))
    assert files and len(files) == result.stdout.count("Wrote ")
    for path in files:
        sport, steps = _workout_steps(path.read_bytes())
        assert sport == "training" and steps > 0


def test_export_fit_writes_one_session_by_date(invoke: Invoke, planned: str,
                                               tmp_path: Path) -> None:
    listing = invoke("today", "--date", START, "--format", "json", "--db", planned)
    assert listing.exit_code == 0, listing.output
    shown = json.loads(listing.stdout)
    day = shown["next"] if shown.get("rest_day") else START
    result = invoke("export", "fit", day, "-o", str(tmp_path), "--db", planned,
                    "--date", START)
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{day}-hamstride.fit").exists()


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        ((), ("SESSION", "--week")),
        (("2026-12-01", "--week", "1"), ("one of them",)),
        (("--week", "99"), ("--week", "99")),
        (("2031-01-01",), ("no strength session", "2031-01-01")),
        (("--week", "1", "-o", "a-file"), ("--output", "a-file", "not a folder")),
        (("--week", "99", "-o", "new-folder"), ("--week", "99")),
    ],
)
def test_export_fit_refuses_what_it_cannot_write(
    invoke: Invoke, planned: str, tmp_path: Path, args: tuple[str, ...],
    needles: tuple[str, ...], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    result = invoke("export", "fit", *args, "--db", planned, "--date", START)
    assert_clean_error(result, *needles)
    assert not list(tmp_path.rglob("*.fit"))
    assert not (tmp_path / "new-folder").exists()


def test_export_fit_after_logging_writes_every_week_into_a_new_folder(
        invoke: Invoke, planned: str, tmp_path: Path) -> None:
    # issue 10 item 5: a logged session made every --week fail; -o watch/ had to exist
    logged = invoke("log", "--as-planned", "--date", "2026-12-01", "--db", planned)
    assert logged.exit_code == 0, logged.output
    out = tmp_path / "watch" / "strength"
    for week in (1, 2, 3, 4):
        result = invoke("export", "fit", "--week", str(week), "-o", str(out), "--db", planned)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Wrote ")
    written = sorted(p.name for p in out.glob("*.fit"))
    assert len(written) >= 8 and "2026-12-01-hamstride.fit" in written
