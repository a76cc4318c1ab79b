"""Strava bulk exports: rows read by column position, files read through their row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hamstride.activities.sources import (
    ReadResult,
    collect,
    read_source,
    sources_from_upload,
)
from hamstride.activities.strava import (
    ACTIVITY_DATE,
    ACTIVITY_NAME,
    ACTIVITY_TYPE,
    AVERAGE_HEART_RATE,
    DISTANCE_M,
    ELAPSED_TIME,
    ELAPSED_TIME_S,
    ELEVATION_GAIN,
    FILENAME,
    MAX_HEART_RATE,
    MOVING_TIME,
    PERCEIVED_EXERTION,
    Column,
    strava_sport,
)
from hamstride.training.activity import SourceFormat, Sport
from tests.activities.sample_files import (
    START,
    Row,
    csv_text,
    fit_file,
    gz,
    strava_header,
    write_export_folder,
    write_export_zip,
)

MAY_2 = datetime(2024, 5, 2, 17, 30, 5, tzinfo=UTC)
ROW_ONLY = Row({
    Column(0, "Activity ID"): "111",
    ACTIVITY_DATE: "May 2, 2024, 5:30:05 PM",
    ACTIVITY_NAME: "Evening, \"easy\" run",
    ACTIVITY_TYPE: "Run",
    ELAPSED_TIME: "1800",
    Column(6, "Distance"): "5.02",           # km: must not be read
    Column(7, "Max Heart Rate"): "999.0",    # the first block: must not be read
    ELAPSED_TIME_S: "1800.0",
    MOVING_TIME: "1750.0",
    DISTANCE_M: "5020.5",
    ELEVATION_GAIN: "41.2",
    MAX_HEART_RATE: "171.0",
    AVERAGE_HEART_RATE: "148.4",
    PERCEIVED_EXERTION: "6.0",
})
WITH_FILE = Row({
    ACTIVITY_DATE: "May 1, 2024, 7:00:00 AM",
    ACTIVITY_NAME: "Morning tempo",
    ACTIVITY_TYPE: "Trail Run",
    ELAPSED_TIME: "600",
    FILENAME: "activities/222.fit.gz",
    PERCEIVED_EXERTION: "8",
})

Export = Callable[[Path, str, Mapping[str, bytes]], Path]


def _folder(tmp_path: Path, csv: str, files: Mapping[str, bytes]) -> Path:
    return write_export_folder(tmp_path / "export", csv, files)


def _zip(tmp_path: Path, csv: str, files: Mapping[str, bytes]) -> Path:
    return write_export_zip(tmp_path / "export.zip", csv, files)


def _zip_with_top_folder(tmp_path: Path, csv: str, files: Mapping[str, bytes]) -> Path:
    return write_export_zip(tmp_path / "export.zip", csv, files, top="export_123/")


EXPORTS = pytest.mark.parametrize("export", [_folder, _zip, _zip_with_top_folder],
                                  ids=["folder", "zip", "zip-top-folder"])


def _import(path: Path) -> list[ReadResult]:
    return [read_source(source) for source in collect([path])]


def _short(label: str, root: Path) -> str:
    return label.removeprefix(str(root)).lstrip("/:")


@EXPORTS
@pytest.mark.parametrize("columns", [94, 99, 101, 104])
def test_strava_row_alone_is_read_by_column_position(tmp_path: Path, export: Export,
                                                     columns: int) -> None:
    root = export(tmp_path, csv_text(strava_header(columns), [ROW_ONLY]), {})
    [result] = _import(root)
    assert result.label.endswith("activities.csv row 2") and result.reason is None
    [run] = result.activities
    assert (run.sport, run.start, run.source) == (Sport.RUNNING, MAY_2, SourceFormat.STRAVA_CSV)
    assert (run.duration_s, run.moving_s, run.distance_m) == (1800, 1750, 5020.5)
    assert (run.elevation_gain_m, run.avg_hr, run.max_hr, run.rpe) == (41.2, 148, 171, 6)
    assert run.name == 'Evening, "easy" run'


def test_strava_translated_header_changes_nothing(tmp_path: Path) -> None:
    root = _folder(tmp_path, csv_text(strava_header(94, german=True), [ROW_ONLY]), {})
    [result] = _import(root)
    assert [(a.start, a.distance_m) for a in result.activities] == [(MAY_2, 5020.5)]


@EXPORTS
def test_strava_row_with_its_file_gives_the_file_with_the_row_values(
        tmp_path: Path, export: Export) -> None:
    files = {"activities/222.fit.gz": gz(fit_file()), "activities/333.fit": fit_file()}
    root = export(tmp_path, csv_text(strava_header(), [WITH_FILE, ROW_ONLY]), files)
    results = _import(root)
    assert [_short(r.label, root).rsplit("/", 1)[-1] for r in results] == [
        "activities.csv row 2", "activities.csv row 3", "333.fit"]  # 222 is read once
    [tempo] = results[0].activities
    assert (tempo.source, tempo.start, tempo.distance_m) == (SourceFormat.FIT, START, 1800)
    assert (tempo.name, tempo.sport, tempo.rpe) == ("Morning tempo", Sport.RUNNING, 8)
    assert results[1].activities[0].source is SourceFormat.STRAVA_CSV
    assert results[2].activities[0].name is None


@pytest.mark.parametrize(("activity_type", "sport"), [
    ("Ride", Sport.CYCLING),        # the row's known type wins
    ("Jízda", Sport.RUNNING),       # a translated type keeps the file's sport
    ("", Sport.RUNNING),
])
def test_strava_row_type_is_laid_over_the_file_sport_when_known(
        tmp_path: Path, activity_type: str, sport: Sport) -> None:
    row = Row({**WITH_FILE.values, ACTIVITY_TYPE: activity_type})
    root = _folder(tmp_path, csv_text(strava_header(), [row]),
                   {"activities/222.fit.gz": gz(fit_file())})
    [result] = _import(root)
    assert [a.sport for a in result.activities] == [sport]


@EXPORTS
def test_strava_row_whose_file_is_missing_or_broken_is_read_alone(
        tmp_path: Path, export: Export) -> None:
    broken = Row({**ROW_ONLY.values, FILENAME: "activities/broken.fit.gz"})
    missing = Row({**ROW_ONLY.values, FILENAME: "activities/missing.fit.gz"})
    outside = Row({**ROW_ONLY.values, FILENAME: "../elsewhere.fit"})
    (tmp_path / "elsewhere.fit").write_bytes(fit_file())
    root = export(tmp_path, csv_text(strava_header(), [broken, missing, outside]),
                  {"activities/broken.fit.gz": b"junk"})
    results = _import(root)
    assert [(r.reason, [a.source for a in r.activities]) for r in results] == [
        (None, [SourceFormat.STRAVA_CSV])] * 3


@EXPORTS
@pytest.mark.parametrize(("column", "value", "reason"), [
    (ACTIVITY_DATE, "yesterday", "Activity Date (column 2) is not a date: 'yesterday'."),
    (ACTIVITY_DATE, "", "Activity Date (column 2) is empty."),
    (ACTIVITY_DATE, "Jan 1, 2090, 1:00:00 AM", "is in the future"),
    (ELAPSED_TIME, "", "no Elapsed Time (column 6)."),
    (ELAPSED_TIME, "12:30", "Elapsed Time (column 6) is not a number: '12:30'."),
    (MOVING_TIME, "n/a", "Moving Time (column 17) is not a number: 'n/a'."),
    (DISTANCE_M, "-3", "Distance (column 18) is not a number: '-3'."),
    (PERCEIVED_EXERTION, "11", "Perceived Exertion (column 44) is not between 1 and 10: 11."),
])
def test_strava_unusable_row_is_skipped_naming_the_row_and_column(
        tmp_path: Path, export: Export, column: Column, value: str, reason: str) -> None:
    bad = Row({**ROW_ONLY.values, column: value, ELAPSED_TIME_S: ""})
    root = export(tmp_path, csv_text(strava_header(), [ROW_ONLY, bad]), {})
    good, skipped = _import(root)
    assert good.reason is None
    assert skipped.label.endswith("activities.csv row 3") and skipped.activities == ()
    assert skipped.reason is not None and reason in skipped.reason


def test_strava_row_with_a_bad_date_still_reads_its_file(tmp_path: Path) -> None:
    row = Row({**WITH_FILE.values, ACTIVITY_DATE: "1 mai 2024, 07:00:00"})
    root = _folder(tmp_path, csv_text(strava_header(), [row]),
                   {"activities/222.fit.gz": gz(fit_file())})
    [result] = _import(root)
    assert [(a.start, a.name) for a in result.activities] == [(START, "Morning tempo")]


@pytest.mark.parametrize("text", ["May 2, 2024, 5:30:05 PM", "02.05.2024, 17:30:05",
                                  "2024-05-02 17:30:05", "2024-05-02T17:30:05"])
def test_strava_dates_are_read_as_utc(tmp_path: Path, text: str) -> None:
    row = Row({**ROW_ONLY.values, ACTIVITY_DATE: text})
    [result] = [read_source(s) for s in sources_from_upload(
        "activities.csv", csv_text(strava_header(), [row]).encode())]
    assert [a.start for a in result.activities] == [MAY_2]


@pytest.mark.parametrize(("activity_type", "sport"), [
    ("Run", Sport.RUNNING), ("Trail Run", Sport.RUNNING), ("Virtual Run", Sport.RUNNING),
    ("Ride", Sport.CYCLING), ("Virtual Ride", Sport.CYCLING), ("E-Bike Ride", Sport.CYCLING),
    ("Mountain Bike Ride", Sport.CYCLING), ("Gravel Ride", Sport.CYCLING),
    ("Walk", Sport.WALKING), ("Hike", Sport.HIKING), ("Swim", Sport.SWIMMING),
    ("Weight Training", Sport.STRENGTH), ("Nordic Ski", Sport.SKIING),
    ("Alpine Ski", Sport.SKIING), ("Backcountry Ski", Sport.SKIING),
    ("Yoga", None), ("Workout", None), ("", None),
])
def test_strava_sport_maps_the_activity_type(activity_type: str, sport: Sport | None) -> None:
    assert strava_sport(activity_type) is sport


def test_strava_row_of_an_unknown_type_alone_is_other(tmp_path: Path) -> None:
    row = Row({**ROW_ONLY.values, ACTIVITY_TYPE: "Yoga"})
    root = _folder(tmp_path, csv_text(strava_header(), [row]), {})
    assert [a.sport for r in _import(root) for a in r.activities] == [Sport.OTHER]


@EXPORTS
def test_strava_csv_with_too_few_columns_is_skipped_and_the_files_still_read(
        tmp_path: Path, export: Export) -> None:
    root = export(tmp_path, "Date,Steps\n2024-05-01,1000\n",
                  {"activities/222.fit.gz": gz(fit_file())})
    results = _import(root)
    assert [(r.label.rsplit("/", 1)[-1].rsplit(":", 1)[-1], r.reason is None)
            for r in results] == [("activities.csv", False), ("222.fit.gz", True)]
    assert results[0].reason is not None and "not a Strava activities.csv" in results[0].reason


def test_strava_blank_rows_are_ignored_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    text = csv_text(strava_header(), [ROW_ONLY, Row(), ROW_ONLY])
    root = _folder(tmp_path, text, {})
    assert [r.label.rsplit(" ", 1)[-1] for r in _import(root)] == ["2", "4"]


def test_strava_activities_csv_named_explicitly_reads_its_rows(tmp_path: Path) -> None:
    root = _folder(tmp_path, csv_text(strava_header(), [WITH_FILE]),
                   {"activities/222.fit.gz": gz(fit_file())})
    [result] = _import(root / "activities.csv")
    assert [a.source for a in result.activities] == [SourceFormat.FIT]
