"""Typed factories for the reader tests: small FIT activity files written with fit-tool,
Strava activities.csv rows and exports (folder or zip), so the tests need no corpus.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

from hamstride.activities.strava import Column

START = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
FIT_EPOCH_UNIX_S = 631065600  # 1989-12-31T00:00:00Z


@dataclass(frozen=True)
class Leg:
    """One session of a generated FIT file: a steady effort with a surge per minute."""

    sport: Sport = Sport.RUNNING
    sub_sport: SubSport | None = None
    start: datetime = START
    seconds: int = 600
    speed_ms: float = 3.0
    hr: int | None = 140
    laps: int = 2
    totals: bool = True        # write timer time, ascent and heart rate in the session
    records: bool = True

    @property
    def distance_m(self) -> float:
        return self.seconds * self.speed_ms


@dataclass(frozen=True)
class FitSpec:
    legs: Sequence[Leg] = (Leg(),)
    file_type: FileType = FileType.ACTIVITY
    activity_local: datetime | None = None   # the activity message's local_timestamp
    clock_shift_s: int = 0   # subtracted from every time: a device clock since power-on


def _ms(moment: datetime, shift_s: int = 0) -> int:
    return round((moment.timestamp() - shift_s) * 1000)


def fit_file(spec: FitSpec = FitSpec()) -> bytes:
    """A FIT file: file_id, then per leg its records, laps and session, then activity."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = spec.file_type
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.time_created = _ms(spec.legs[0].start if spec.legs else START, spec.clock_shift_s)
    builder.add(file_id)
    for leg in spec.legs:
        if leg.records:
            builder.add_all(_records(leg, spec.clock_shift_s))
        builder.add_all(_laps(leg, spec.clock_shift_s))
        builder.add(_session(leg, spec.clock_shift_s))
    if spec.legs:
        builder.add(_activity(spec))
    data: bytes = builder.build().to_bytes()
    return data


def _records(leg: Leg, shift: int) -> list[RecordMessage]:
    """A record every 5 s; the first 15 s of each minute are a 1.5x surge (pace varies)."""
    records = []
    distance = 0.0
    for second in range(0, leg.seconds + 1, 5):
        record = RecordMessage()
        record.timestamp = _ms(leg.start + timedelta(seconds=second), shift)
        record.distance = round(distance, 2)
        record.altitude = 100.0 + 20.0 * second / max(leg.seconds, 1)
        if leg.hr is not None:
            record.heart_rate = leg.hr
        records.append(record)
        distance += 5 * leg.speed_ms * (1.5 if second % 60 < 15 else 1.0)
    return records


def _laps(leg: Leg, shift: int) -> list[LapMessage]:
    laps = []
    each = leg.seconds / max(leg.laps, 1)
    for index in range(leg.laps):
        lap = LapMessage()
        lap.start_time = _ms(leg.start + timedelta(seconds=index * each), shift)
        lap.timestamp = _ms(leg.start + timedelta(seconds=(index + 1) * each), shift)
        lap.total_elapsed_time = each
        lap.total_timer_time = each
        lap.total_distance = each * leg.speed_ms
        if leg.hr is not None:
            lap.avg_heart_rate = leg.hr
            lap.max_heart_rate = leg.hr + 10
        laps.append(lap)
    return laps


def _session(leg: Leg, shift: int) -> SessionMessage:
    session = SessionMessage()
    session.start_time = _ms(leg.start, shift)
    session.timestamp = _ms(leg.start + timedelta(seconds=leg.seconds), shift)
    session.sport = leg.sport
    if leg.sub_sport is not None:
        session.sub_sport = leg.sub_sport
    session.total_elapsed_time = float(leg.seconds)
    session.total_distance = leg.distance_m
    if leg.totals:
        session.total_timer_time = float(leg.seconds - 10)
        session.total_ascent = 20
        if leg.hr is not None:
            session.avg_heart_rate = leg.hr
            session.max_heart_rate = leg.hr + 10
    return session


def _activity(spec: FitSpec) -> ActivityMessage:
    last = spec.legs[-1]
    activity = ActivityMessage()
    activity.timestamp = _ms(last.start + timedelta(seconds=last.seconds), spec.clock_shift_s)
    activity.num_sessions = len(spec.legs)
    if spec.activity_local is not None:
        # fit-tool takes this one as raw FIT seconds, not Unix milliseconds
        activity.local_timestamp = round(spec.activity_local.timestamp()) - FIT_EPOCH_UNIX_S
    return activity


def power_on_shift(moment: datetime, since_power_on_s: int) -> int:
    """The clock shift that makes ``moment`` read as ``since_power_on_s`` seconds after
    the device was switched on (a FIT date_time below 0x10000000)."""
    return round(moment.timestamp()) - FIT_EPOCH_UNIX_S - since_power_on_s


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# -- Strava exports ---------------------------------------------------------------------

_ENGLISH_94 = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,"
    "Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,"
    "Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,"
    "From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,"
    "Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,"
    "Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,"
    "Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,"
    "UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,"
    "Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,"
    "Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,"
    "Average Grade Adjusted Pace,Timer Time,Total Cycles,Media"
)
ENGLISH_94 = _ENGLISH_94.split(",")
# newer exports append columns before Media
EXTRA_COLUMNS = ("Recovery", "With Pet", "Competition", "Long Run", "For a Cause", "With Kid",
                 "Downhill Distance")
# the German header's first 44 columns (a translated export; the rest stays as is)
_GERMAN_44 = (
    "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart,Aktivitätsbeschreibung,"
    "Verstrichene Zeit,Distanz,Max. Herzfrequenz,Relative Leistung,Pendeln,"
    "Hinweis zur Privatsphäre für Aktivitäten,Aktivitätsausrüstung,Dateiname,"
    "Sportlergewicht,Fahrradgewicht,Verstrichene Zeit,Bewegungszeit,Distanz,Höchstgeschw.,"
    "Durchschnittliche Geschwindigkeit,Höhenzunahme,Höhenunterschied,Min. Höhe,Max. Höhe,"
    "Max. Steigung,Durchschnittliche Steigung,Durchschnittliche positive Steigung,"
    "Durchschnittliche negative Steigung,Max. Tritt-/Schrittfrequenz,"
    "Durchschnittliche Trittfrequenz,Max. Herzfrequenz,Durchschnittliche Herzfrequenz,"
    "Max. Watt,Durchschnittliche Watt,Kalorien,Max. Temperatur,Durchschnittliche Temperatur,"
    "Relative Leistung,Gesamtarbeit,Anzahl Läufe,Bergaufzeit,Bergabzeit,Andere Zeit,"
    "Gefühlte Anstrengung"
)
GERMAN_44 = _GERMAN_44.split(",")


def strava_header(columns: int = 94, *, german: bool = False) -> list[str]:
    """An activities.csv header of ``columns`` columns (94 as in the corpus; more adds the
    newer exports' columns before Media, fewer drops from the end)."""
    header = list(ENGLISH_94)
    if columns > len(header):
        extra = [*EXTRA_COLUMNS, *(f"Extra {i}" for i in range(columns))]
        header[-1:-1] = extra[: columns - len(header)]
    header = header[:columns]
    if german:
        header[: len(GERMAN_44)] = GERMAN_44
    return header


@dataclass(frozen=True)
class Row:
    """A data row: values by column; every other cell empty."""

    values: Mapping[Column, str] = field(default_factory=dict)

    def cells(self, columns: int) -> list[str]:
        cells = [""] * columns
        for column, value in self.values.items():
            cells[column.index] = value
        return cells


def csv_text(header: Sequence[str], rows: Sequence[Row]) -> str:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell
    lines = [",".join(quoted(c) for c in header)]
    lines += [",".join(quoted(c) for c in row.cells(len(header))) for row in rows]
    return "\n".join(lines) + "\n"


def write_export_folder(root: Path, csv: str, files: Mapping[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "activities.csv").write_text(csv, encoding="utf-8")
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_export_zip(path: Path, csv: str, files: Mapping[str, bytes], top: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(top + "activities.csv", csv)
        for name, data in files.items():
            archive.writestr(top + name, data)
    return path
