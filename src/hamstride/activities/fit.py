"""FIT reader: one Activity per sport session of a FIT activity file.

Decoding: fitdecode reads the file, checksums checked. When it refuses a file, the
official Garmin FIT SDK (``garmin_fit_sdk``) gets a second try; its result counts only
when it decodes the whole file with no error and a good checksum, because on a broken
file it returns what it read up to the break, garbage included (a record dated 2085 in
the corpus), instead of failing.

Chained FIT files (several FIT files one after the other, e.g. a triathlon followed by
the heart-rate strap's stored data) are read part by part. A part counts once its
checksum has been read and matched; when a later part is corrupt, the sessions of the
complete parts before it are kept, and otherwise the file is refused.

What each activity takes from the file:
- the session message: sport, start_time, total_elapsed_time (duration),
  total_timer_time (moving time), total_distance, total_ascent, avg/max heart rate;
- the lap messages that start within the session: its laps;
- the record messages within the session: pace variability (``speed_cv``), and the
  moving time, climb, heart rate or distance when the session lacks them.
Transition sessions of a multisport file are skipped; a session whose sport hamstride
has no family for counts as ``other``. FIT files have no activity name.

What is refused, with the reason the runner sees: not a FIT file, a bad checksum, a
truncated or corrupt file, a FIT file of another kind (a workout, a course, settings),
a file without sessions, and a start no real recording can have (``check_start``).

Device clocks (FIT protocol): a date_time below 0x10000000 counts seconds since the
device was switched on, not since the FIT epoch. Watches without GPS write such times
(the FR70 file in the corpus) together with the activity message's ``local_timestamp``,
the wall-clock time when the activity ended. The times are dated from that anchor. The
file does not say the offset from UTC, so the local time is taken as UTC -- a choice:
such a start may be off by the runner's offset from UTC. A file with such times and no
anchor is refused as having no date.
"""

from __future__ import annotations

import io
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import fitdecode  # type: ignore[import-untyped]
from garmin_fit_sdk import Decoder, Stream

from hamstride.activities.track import (
    HR_MAX,
    HR_MIN,
    Columns,
    check_start,
    summarise_columns,
    validated,
)
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, Lap, SourceFormat, Sport

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SYSTEM_TIME_LIMIT = 0x10000000  # FIT: smaller date_time values are seconds since power-on
MAX_LAPS = 1000  # the model's limit; laps past it are dropped, the activity kept

SPORTS: dict[str, Sport] = {
    "running": Sport.RUNNING,
    "cycling": Sport.CYCLING,
    "e_biking": Sport.CYCLING,
    "swimming": Sport.SWIMMING,
    "walking": Sport.WALKING,
    "hiking": Sport.HIKING,
    "cross_country_skiing": Sport.SKIING,
    "alpine_skiing": Sport.SKIING,
}
STRENGTH_SUB_SPORTS = frozenset({"strength_training"})
SKIPPED_SPORTS = frozenset({"transition"})

# the messages and fields read; everything else in the file is ignored
FIELDS: dict[str, tuple[str, ...]] = {
    "file_id": ("type",),
    "activity": ("timestamp", "local_timestamp"),
    "session": ("sport", "sub_sport", "start_time", "timestamp", "total_elapsed_time",
                "total_timer_time", "total_distance", "total_ascent", "avg_heart_rate",
                "max_heart_rate"),
    "lap": ("start_time", "timestamp", "total_elapsed_time", "total_distance",
            "avg_heart_rate", "max_heart_rate"),
    "record": ("timestamp", "distance", "enhanced_altitude", "altitude", "heart_rate"),
}

Message = dict[str, Any]
_T = TypeVar("_T")


@dataclass
class _Part:
    """The wanted messages of one FIT file of a chain, by message name."""

    messages: dict[str, list[Message]] = field(default_factory=dict)

    def add(self, name: str, values: Message) -> None:
        self.messages.setdefault(name, []).append(values)

    def get(self, name: str) -> list[Message]:
        return self.messages.get(name, [])


@dataclass(frozen=True)
class _Decoding:
    parts: list[_Part]             # complete parts (checksum read and matched)
    failure: Exception | None      # why decoding stopped early, if it did


def read_fit(data: bytes, label: str) -> list[Activity]:
    """Every sport session of the FIT file as an Activity; ActivityFileError when none is."""
    if not data:
        raise ActivityFileError(f"{label}: the file is empty.")
    sessions, laps, records, clock = _activity_messages(_decoded_parts(data, label), label)
    track = _Track.of(records, clock)
    activities = [_activity(window, laps, track, clock, label)
                  for window in _windows(sessions, track, clock, label)]
    if not activities:
        raise ActivityFileError(f"{label}: the FIT file holds only transition sessions.")
    return activities


# -- decoding ---------------------------------------------------------------------------

def _decoded_parts(data: bytes, label: str) -> list[_Part]:
    """The complete parts of the file, from fitdecode or else the FIT SDK."""
    decoding = _run_fitdecode(data)
    if decoding.failure is None or any(p.get("session") for p in decoding.parts):
        return decoding.parts
    fallback = _run_sdk(data)
    if fallback is not None:
        return fallback
    raise ActivityFileError(f"{label}: {_failure_reason(decoding.failure)}") \
        from decoding.failure


def _run_fitdecode(data: bytes) -> _Decoding:
    parts: list[_Part] = []
    current = _Part()
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE,
                                 error_handling=fitdecode.ErrorHandling.IGNORE) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in FIELDS:
                    current.add(frame.name, _fitdecode_values(frame, FIELDS[frame.name]))
                elif isinstance(frame, fitdecode.FitCRC):
                    parts.append(current)
                    current = _Part()
    # fitdecode raises FitError for what it detects, and bare Python errors (struct,
    # index, value...) on some malformed input; all of them mean a corrupt file
    except Exception as exc:
        return _Decoding(parts, exc)
    return _Decoding(parts, None)


def _fitdecode_values(frame: Any, names: tuple[str, ...]) -> Message:
    """The wanted profile fields; developer fields (names chosen by an app, e.g. Stryd's
    "Distance" in its own units) are never read as profile fields, nor are fields the
    profile does not know (no ``field``). Called for every record: kept lean."""
    values: Message = {}
    for item in frame.fields:
        field = item.field
        if field is None or isinstance(field, fitdecode.types.DevField):
            continue
        name = field.name
        if name in names and values.get(name) is None:
            values[name] = item.value
    return values


def _run_sdk(data: bytes) -> list[_Part] | None:
    """The FIT SDK's reading of the whole file, or None when it fails too."""
    try:
        # check_integrity leaves its stream at the end: read with a decoder of its own
        if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():
            return None
        messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    except Exception:  # the SDK collects its own errors; this guards the rest
        return None
    if errors:
        return None
    part = _Part()
    for name, names in FIELDS.items():
        found: Any = messages.get(f"{name}_mesgs") or []
        for message in found:
            part.add(name, {key: message.get(key) for key in names})
    return [part]


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, fitdecode.FitCRCError):
        return "bad file checksum: the FIT file is corrupt."
    if isinstance(exc, fitdecode.FitEOFError):
        return "truncated FIT file (it ends before its last record)."
    if isinstance(exc, fitdecode.FitHeaderError):
        return "not a FIT file (no valid FIT header)."
    if isinstance(exc, fitdecode.FitParseError):
        return f"corrupt FIT data ({exc})."
    return "corrupt FIT data (it cannot be decoded)."


# -- which messages describe activities ---------------------------------------------------

def _activity_messages(parts: Sequence[_Part], label: str
                       ) -> tuple[list[Message], list[Message], list[Message], _Clock]:
    """Sessions, laps and records of the parts that are activity files, and their clock."""
    chosen = [p for p in parts if _file_type(p) in (None, "activity")]
    sessions = [s for p in chosen for s in p.get("session")]
    if not sessions:
        other = sorted({str(t) for p in parts if (t := _file_type(p)) not in (None, "activity")})
        if other:
            raise ActivityFileError(
                f"{label}: a FIT {' / '.join(other)} file, not a recorded activity.")
        raise ActivityFileError(
            f"{label}: the FIT file holds no session (no summary of a recorded activity).")
    laps = [m for p in chosen for m in p.get("lap")]
    records = [m for p in chosen for m in p.get("record")]
    return sessions, laps, records, _Clock.of([m for p in chosen for m in p.get("activity")])


def _file_type(part: _Part) -> object:
    ids = part.get("file_id")
    return ids[0].get("type") if ids else None


# -- times ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Clock:
    """Turns FIT date_time values into seconds since the FIT epoch."""

    offset: int | None  # added to a since-power-on time; None when the file has no anchor

    @staticmethod
    def of(activity_messages: Sequence[Message]) -> _Clock:
        for message in activity_messages:
            device, local = _fit_seconds(message.get("timestamp")), _fit_seconds(
                message.get("local_timestamp"))
            if device is not None and local is not None and device < SYSTEM_TIME_LIMIT \
                    <= local:
                return _Clock(local - device)
        return _Clock(None)

    def seconds(self, value: object) -> int | None:
        raw = _fit_seconds(value)
        if raw is None or raw >= SYSTEM_TIME_LIMIT:
            return raw
        return None if self.offset is None else raw + self.offset


def _fit_seconds(value: object) -> int | None:
    """A date_time as the decoders give it (datetime, or int when not converted)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return math.floor((aware - FIT_EPOCH).total_seconds())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _moment(seconds: float) -> datetime:
    return FIT_EPOCH + timedelta(seconds=seconds)


# -- sessions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Window:
    """A session and the span of time it covers, in seconds since the FIT epoch."""

    session: Message
    sport: Sport
    start: int
    elapsed: float

    @property
    def end(self) -> float:
        return self.start + self.elapsed


def _windows(sessions: Sequence[Message], track: _Track, clock: _Clock,
             label: str) -> list[_Window]:
    """The sport sessions with their spans. A session ends by the next one's start: a
    multisport file in the corpus claims a leg 45 minutes longer than its own end."""
    times = track.times
    spans: list[tuple[int, float, Message]] = []
    for session in sessions:
        start = _session_start(session, clock, times if len(sessions) == 1 else [])
        if start is None:
            raise ActivityFileError(f"{label}: a session of the FIT file has no start time.")
        spans.append((start, _session_elapsed(session, start, clock, times), session))
    spans.sort(key=lambda span: span[0])
    windows = []
    for index, (start, elapsed, session) in enumerate(spans):
        sport = _sport(session)
        if sport is None:
            continue
        if index + 1 < len(spans):  # whole seconds: clip only a real overlap
            gap = max(0.0, spans[index + 1][0] - start)
            elapsed = gap if elapsed > gap + 1 else elapsed
        windows.append(_Window(session, sport, start, elapsed))
    return windows


def _session_start(session: Message, clock: _Clock, times: Sequence[int]) -> int | None:
    start = clock.seconds(session.get("start_time"))
    if start is not None:
        return start
    end, elapsed = clock.seconds(session.get("timestamp")), _number(
        session.get("total_elapsed_time"))
    if end is not None and elapsed is not None:
        return end - math.ceil(elapsed)
    return times[0] if times else None


def _session_elapsed(session: Message, start: int, clock: _Clock,
                     times: Sequence[int]) -> float:
    elapsed = _number(session.get("total_elapsed_time"))
    if elapsed is not None:
        return elapsed
    end = clock.seconds(session.get("timestamp"))
    if end is not None and end >= start:
        return float(end - start)
    return float(times[-1] - start) if times and times[-1] >= start else 0.0


def _sport(session: Message) -> Sport | None:
    """The sport family, or None for a transition (not an activity of its own)."""
    sport, sub_sport = session.get("sport"), session.get("sub_sport")
    if sport in SKIPPED_SPORTS:
        return None
    if sub_sport in STRENGTH_SUB_SPORTS:
        return Sport.STRENGTH
    return SPORTS.get(sport, Sport.OTHER) if isinstance(sport, str) else Sport.OTHER


# -- one activity ---------------------------------------------------------------------------

def _activity(window: _Window, laps: Sequence[Message], track: _Track, clock: _Clock,
              label: str) -> Activity:
    start = _moment(window.start)
    check_start(start, label)
    samples = track.columns(window)
    summary = summarise_columns(samples)
    session = window.session
    moving = _first(_number(session.get("total_timer_time")), summary.moving_s)
    return validated(label, lambda: Activity(
        sport=window.sport,
        start=start,
        duration_s=window.elapsed,
        moving_s=None if moving is None else min(moving, window.elapsed),
        distance_m=_first(_number(session.get("total_distance")),
                          _track_distance(samples.distance_m)),
        elevation_gain_m=_first(_number(session.get("total_ascent")),
                                summary.elevation_gain_m),
        avg_hr=_first(_heart_rate(session.get("avg_heart_rate")), summary.avg_hr),
        max_hr=_first(_heart_rate(session.get("max_heart_rate")), summary.max_hr),
        laps=_laps(window, laps, clock),
        speed_cv=summary.speed_cv,
        source=SourceFormat.FIT,
    ))


@dataclass(frozen=True)
class _Track:
    """The timed records of the file in time order (a session takes its slice)."""

    times: list[int]
    records: list[Message]

    @staticmethod
    def of(records: Sequence[Message], clock: _Clock) -> _Track:
        timed = sorted(((t, r) for r in records
                        if (t := clock.seconds(r.get("timestamp"))) is not None),
                       key=lambda pair: pair[0])
        return _Track([t for t, _ in timed], [r for _, r in timed])

    def columns(self, window: _Window) -> Columns:
        """The session's slice of the records, as the columns ``summarise_columns`` reads."""
        low, high = bisect_left(self.times, window.start), bisect_right(self.times, window.end)
        records = self.records[low:high]
        return Columns(t=[float(t - window.start) for t in self.times[low:high]],
                       distance_m=[_number(r.get("distance")) for r in records],
                       altitude_m=[_altitude(r) for r in records],
                       hr=[_heart_rate(r.get("heart_rate")) for r in records])


def _altitude(record: Message) -> float | None:
    altitude = _number(record.get("enhanced_altitude"))
    return altitude if altitude is not None else _number(record.get("altitude"))


def _track_distance(distances: Sequence[float | None]) -> float | None:
    known = [d for d in distances if d is not None]
    return known[-1] - known[0] if len(known) >= 2 else None


def _laps(window: _Window, laps: Sequence[Message], clock: _Clock) -> tuple[Lap, ...]:
    found: list[Lap] = []
    for lap in laps:
        start = clock.seconds(lap.get("start_time"))
        duration = _number(lap.get("total_elapsed_time"))
        if start is None or duration is None or not window.start <= start < max(
                window.end, window.start + 1):
            continue
        found.append(Lap(start=_moment(start), duration_s=min(duration, window.elapsed),
                         distance_m=_number(lap.get("total_distance")),
                         avg_hr=_heart_rate(lap.get("avg_heart_rate")),
                         max_hr=_heart_rate(lap.get("max_heart_rate"))))
    found.sort(key=lambda lap: lap.start)
    return tuple(found[:MAX_LAPS])


# -- values -------------------------------------------------------------------------------

def _number(value: object) -> float | None:
    """A finite, non-negative number, or None (decoders give None, tuples or junk too)."""
    if type(value) is float:  # the usual case, once per record and field: the short way
        return value if 0 <= value < math.inf else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _heart_rate(value: object) -> int | None:
    number = _number(value)
    return round(number) if number is not None and HR_MIN <= number <= HR_MAX else None


def _first(*values: _T | None) -> _T | None:
    return next((v for v in values if v is not None), None)
