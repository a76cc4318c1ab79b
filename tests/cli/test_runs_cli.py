"""``hamstride runs ...``: import, list, kind, load and week, as a runner types them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.activities.sample_files import START, FitSpec, Leg, fit_file, gz
from tests.cli.conftest import EXAMPLES, Invoke, assert_clean_error

PROFILE = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")
ON = "2024-06-03"  # the day the commands act on: a few weeks after the generated runs


@pytest.fixture
def runner(invoke: Invoke, db: str) -> str:
    result = invoke("plan", str(PROFILE), "--start", ON, "--db", db, "--weeks", "4")
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder: two runs (one gzipped), the first again under another name, a broken
    file, and a text file that is ignored inside a folder."""
    folder = tmp_path / "watch"
    folder.mkdir()
    first = fit_file(FitSpec(legs=(Leg(seconds=1800),)))
    (folder / "a.fit").write_bytes(first)
    (folder / "b.fit.gz").write_bytes(gz(fit_file(FitSpec(legs=(Leg(
        start=START + timedelta(days=2), seconds=2400, laps=4),)))))
    (folder / "c-copy.fit").write_bytes(first)
    (folder / "d-broken.gpx").write_text("<gpx><trk><trkseg>", encoding="utf-8")
    (folder / "notes.txt").write_text("not an activity", encoding="utf-8")
    return folder


def _import(invoke: Invoke, db: str, *paths: str) -> list[dict[str, str]]:
    result = invoke("runs", "import", *paths, "--format", "json", "--db", db, "--date", ON)
    assert result.exit_code == 0, result.output
    lines: list[dict[str, str]] = json.loads(result.stdout)
    return lines


def test_runs_import_reports_one_result_per_file(invoke: Invoke, runner: str,
                                                 files: Path) -> None:
    lines = _import(invoke, runner, str(files))
    assert [(Path(r["path"]).name, r["status"]) for r in lines] == [
        ("a.fit", "imported"), ("b.fit.gz", "imported"), ("c-copy.fit", "duplicate"),
        ("d-broken.gpx", "skipped")]
    assert all(set(r) == {"path", "status", "reason", "activity_id"} for r in lines)
    assert lines[2]["activity_id"] == lines[0]["activity_id"]
    assert lines[3]["reason"] and lines[3]["activity_id"] is None
    again = _import(invoke, runner, str(files / "a.fit"))
    assert [r["status"] for r in again] == ["duplicate"]


def test_runs_import_table_ends_with_a_summary(invoke: Invoke, runner: str,
                                               files: Path) -> None:
    result = invoke("runs", "import", str(files), "--db", runner, "--date", ON)
    assert result.exit_code == 0, result.output
    assert "4 results: 2 imported, 1 duplicate, 1 skipped." in result.stdout
    assert "skipped    " in result.stdout and "d-broken.gpx" in result.stdout


@pytest.mark.parametrize(
    ("args", "needles"),
    [(("missing-folder",), ("missing-folder",)),
     ((), ("PATH",))],
)
def test_runs_import_refuses_unusable_arguments(invoke: Invoke, runner: str,
                                                args: tuple[str, ...],
                                                needles: tuple[str, ...]) -> None:
    assert_clean_error(invoke("runs", "import", *args, "--db", runner), *needles)


def test_runs_list_shows_the_documented_fields(invoke: Invoke, runner: str,
                                               files: Path) -> None:
    _import(invoke, runner, str(files))
    result = invoke("runs", "list", "--format", "json", "--db", runner)
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) == 2
    for row in listed:
        assert {"id", "sport", "start", "duration_s", "moving_s", "distance_m",
                "elevation_gain_m", "avg_hr", "kind"} <= set(row)
        assert row["start"].endswith("+00:00") and row["sport"] == "running"
    table = invoke("runs", "list", "--db", runner)
    assert listed[0]["id"][:10] in table.stdout and "2024-05-01 07:00" in table.stdout


def test_runs_kind_takes_a_short_id_and_auto_undoes_it(invoke: Invoke, runner: str,
                                                       files: Path) -> None:
    first = _import(invoke, runner, str(files))[0]["activity_id"]
    result = invoke("runs", "kind", first[:10], "tempo", "--db", runner, "--date", ON)
    assert result.exit_code == 0, result.output
    assert f"{first} (2024-05-01 07:00): tempo." in result.stdout
    listed = json.loads(invoke("runs", "list", "--format", "json", "--db", runner).stdout)
    assert (listed[0]["kind"], listed[0]["corrected"]) == ("tempo", True)
    result = invoke("runs", "kind", first, "auto", "--db", runner, "--date", ON)
    assert result.exit_code == 0 and "(the classifier's)" in result.stdout
    listed = json.loads(invoke("runs", "list", "--format", "json", "--db", runner).stdout)
    assert listed[0]["corrected"] is False


@pytest.mark.parametrize(
    ("kind", "activity", "needles"),
    [("rest", "a-", ("rest",)), ("sprint", "a-", ("sprint", "KIND")),
     ("easy", "a-00000000", ("no activity", "a-00000000"))],
)
def test_runs_kind_refuses_bad_values(invoke: Invoke, runner: str, files: Path, kind: str,
                                      activity: str, needles: tuple[str, ...]) -> None:
    _import(invoke, runner, str(files))
    assert_clean_error(invoke("runs", "kind", activity, kind, "--db", runner), *needles)


def test_runs_load_prints_the_weeks_and_draws_the_chart(invoke: Invoke, runner: str,
                                                        files: Path, tmp_path: Path) -> None:
    _import(invoke, runner, str(files))
    chart = tmp_path / "load.png"
    result = invoke("runs", "load", "--weeks", "6", "--format", "json", "--plot", str(chart),
                    "--db", runner, "--date", ON)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "hamstride.load/1" and len(report["weekly"]) == 6
    assert sum(w["runs"] for w in report["weekly"]) == 2
    assert chart.read_bytes().startswith(b"\x89PNG")
    table = invoke("runs", "load", "--weeks", "6", "--db", runner, "--date", ON)
    assert table.exit_code == 0 and "acute:chronic" in table.stdout.lower()
    assert "disputed" in table.stdout
    assert_clean_error(invoke("runs", "load", "--plot", str(tmp_path / "x.gif"),
                              "--db", runner, "--date", ON), ".gif")


def test_runs_week_says_when_there_is_too_little_to_learn(invoke: Invoke, runner: str,
                                                         files: Path) -> None:
    _import(invoke, runner, str(files))
    result = invoke("runs", "week", "--db", runner, "--date", ON)
    assert result.exit_code == 0 and "No running week learned yet" in result.stdout
    shown = json.loads(invoke("runs", "week", "--format", "json", "--db", runner,
                              "--date", ON).stdout)
    assert shown == {"learned": None, "changes": []}
