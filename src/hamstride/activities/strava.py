"""Strava bulk exports' ``activities.csv``: its rows as activities, or laid over the
activities of the files they name.

The columns are read by position, not by name: names repeat with different
units ("Distance" is km in column 7 and metres in column 18), exports are translated,
and they have 86-104 columns, the newer ones adding columns at the end. The positions
are the ``Column`` constants below (docs/activities.md lists them); ``Activity Date`` is
UTC ("May 29, 2022, 3:53:35 PM"; ``20.09.2026, 14:12:12`` and ISO dates are read too).
A row whose file exists and reads well gives the file's activities, the one starting
nearest the row's date taking the row's name, RPE and sport (when the row's activity
type is one hamstride knows: a translated type keeps the file's sport). A row without a
usable file gives an activity from the row alone (``source=strava_csv``); a row that
cannot give one (no date, a bad number) is skipped naming the column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from hamstride.activities.track import HR_MAX, HR_MIN, check_start, clean_name, validated
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, SourceFormat, Sport

STRAVA_CSV = "activities.csv"


@dataclass(frozen=True)
class Column:
    """A Strava activities.csv column: 0-based position and the English header."""

    index: int
    title: str

    def describe(self) -> str:
        return f"{self.title} (column {self.index + 1})"

    def text(self, row: Sequence[str]) -> str:
        return row[self.index].strip() if self.index < len(row) else ""


ACTIVITY_DATE = Column(1, "Activity Date")
ACTIVITY_NAME = Column(2, "Activity Name")
ACTIVITY_TYPE = Column(3, "Activity Type")
ELAPSED_TIME = Column(5, "Elapsed Time")
FILENAME = Column(12, "Filename")
ELAPSED_TIME_S = Column(15, "Elapsed Time")       # the second block: plain seconds
MOVING_TIME = Column(16, "Moving Time")
DISTANCE_M = Column(17, "Distance")               # metres (column 7 is km or miles)
ELEVATION_GAIN = Column(20, "Elevation Gain")
MAX_HEART_RATE = Column(30, "Max Heart Rate")
AVERAGE_HEART_RATE = Column(31, "Average Heart Rate")
PERCEIVED_EXERTION = Column(43, "Perceived Exertion")
STRAVA_MIN_COLUMNS = PERCEIVED_EXERTION.index + 1
STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%d.%m.%Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S",
                       "%Y-%m-%dT%H:%M:%S")
STRAVA_SPORTS = {"run": Sport.RUNNING, "trail run": Sport.RUNNING,
                 "virtual run": Sport.RUNNING, "walk": Sport.WALKING, "hike": Sport.HIKING,
                 "swim": Sport.SWIMMING, "weight training": Sport.STRENGTH}


def strava_rows(data: bytes, label: str) -> list[tuple[int, tuple[str, ...]]]:
    """The data rows with their spreadsheet row numbers (the header is row 1)."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ActivityFileError(f"{label}: not a readable CSV file ({exc}).") from exc
    if not rows or len(rows[0]) < STRAVA_MIN_COLUMNS:
        found = len(rows[0]) if rows else 0
        raise ActivityFileError(
            f"{label}: not a Strava activities.csv (it has {found} columns; a Strava "
            f"export has at least {STRAVA_MIN_COLUMNS}).")
    return [(number, tuple(row)) for number, row in enumerate(rows[1:], start=2)
            if any(cell.strip() for cell in row)]


def overlaid(activities: list[Activity], row: tuple[str, ...], label: str) -> list[Activity]:
    """The activity starting nearest the row's date takes its name, sport and RPE."""
    try:
        date: datetime | None = _row_date(row, label)
    except ActivityFileError:
        date = None  # the file has the date; a translated format does not matter here
    nearest = 0 if date is None else min(
        range(len(activities)), key=lambda i: abs((activities[i].start - date).total_seconds()))
    update: dict[str, object] = {"rpe": _row_rpe(row, label)}
    name = clean_name(ACTIVITY_NAME.text(row))
    if name is not None:
        update["name"] = name
    sport = strava_sport(ACTIVITY_TYPE.text(row))
    if sport is not None:
        update["sport"] = sport
    chosen = activities[nearest]
    activities[nearest] = validated(label, lambda: Activity.model_validate(
        {**chosen.model_dump(), **update}))
    return activities


def row_activity(row: Sequence[str], label: str) -> Activity:
    """An activity from the row's own values (no file, or a file that cannot be read)."""
    start = _row_date(row, label)
    check_start(start, label)
    elapsed = _first(_row_number(row, ELAPSED_TIME, label),
                     _row_number(row, ELAPSED_TIME_S, label))
    if elapsed is None:
        raise ActivityFileError(f"{label}: no {ELAPSED_TIME.describe()}.")
    moving = _row_number(row, MOVING_TIME, label)
    return validated(label, lambda: Activity(
        sport=strava_sport(ACTIVITY_TYPE.text(row)) or Sport.OTHER,
        start=start,
        duration_s=elapsed,
        moving_s=None if moving is None else min(moving, elapsed),
        distance_m=_row_number(row, DISTANCE_M, label),
        elevation_gain_m=_row_number(row, ELEVATION_GAIN, label),
        avg_hr=_row_heart_rate(row, AVERAGE_HEART_RATE, label),
        max_hr=_row_heart_rate(row, MAX_HEART_RATE, label),
        rpe=_row_rpe(row, label),
        name=clean_name(ACTIVITY_NAME.text(row)),
        source=SourceFormat.STRAVA_CSV,
    ))


def strava_sport(activity_type: str) -> Sport | None:
    """The family of a Strava activity type; None for a type hamstride does not know."""
    key = " ".join(activity_type.lower().split())
    if not key:
        return None
    if key in STRAVA_SPORTS:
        return STRAVA_SPORTS[key]
    if "ride" in key or key in ("velomobile", "handcycle"):
        return Sport.CYCLING
    if "ski" in key:
        return Sport.SKIING
    return None


def _row_date(row: Sequence[str], label: str) -> datetime:
    text = ACTIVITY_DATE.text(row)
    for shape in STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(text, shape).replace(tzinfo=UTC)
        except ValueError:
            continue
    what = f"is not a date: {text!r}" if text else "is empty"
    raise ActivityFileError(f"{label}: {ACTIVITY_DATE.describe()} {what}.")


def _row_number(row: Sequence[str], column: Column, label: str) -> float | None:
    text = column.text(row)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise ActivityFileError(f"{label}: {column.describe()} is not a number: {text!r}.")
    return number


def _row_heart_rate(row: Sequence[str], column: Column, label: str) -> int | None:
    number = _row_number(row, column, label)
    return round(number) if number is not None and HR_MIN <= number <= HR_MAX else None


def _row_rpe(row: Sequence[str], label: str) -> int | None:
    number = _row_number(row, PERCEIVED_EXERTION, label)
    if number is None or number == 0:
        return None
    if not 1 <= number <= 10:
        raise ActivityFileError(
            f"{label}: {PERCEIVED_EXERTION.describe()} is not between 1 and 10: {number:g}.")
    return round(number)


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)
