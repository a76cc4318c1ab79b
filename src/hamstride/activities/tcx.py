"""TCX reader: one Activity per ``<Activity>`` element (Garmin Training Center v2).

A file may hold several activities, directly under ``<Activities>`` or inside a
``<MultiSportSession>``. tcxreader merges whatever sits directly under ``<Activities>``
into one exercise and does not look inside a multi-sport session, so the document is
parsed once, safely, by ``xml.parse_xml``, and each ``<Activity>`` found in it is read
on its own: every ``Lap/Track/Trackpoint`` (TCX namespace, as tcxreader reads them) goes
through tcxreader's track point parser (``TCXReader.trackpoint_parser``), which gives
the point's values; points without a time are left out. Laps come from the ``<Lap>``
elements themselves (tcxreader drops laps without track points and does not read
``StartTime`` or ``TotalTimeSeconds``). Lap values hamstride does not use (calories,
extensions) are not read, so a broken one does not refuse the file.

Values:
- sport: the ``Sport`` attribute, Running -> running, Biking -> cycling, anything else
  (Garmin writes "Other" for swims, paddling, skiing...) -> other;
- start: the first lap's ``StartTime`` (what a FIT file of the same activity gives),
  else the activity ``Id``, else the first track point;
- elapsed time: from the start to the later of the last track point and the end of the
  last lap (lap start + ``TotalTimeSeconds``);
- distance: the sum of the laps' ``DistanceMeters``, else the last track point's
  cumulative distance, else none (a pool swim without distance is still an activity);
- moving time, elevation gain, pace variability and heart rate: ``track.summarise`` over
  the track points; heart rate falls back to the laps' averages and maxima.
An ``<Activity>`` with neither laps nor timed track points (an empty session) is left
out; the file is refused when nothing is left.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from tcxreader import TCXReader
from tcxreader.tcx_track_point import TCXTrackPoint

from hamstride.activities.track import Columns, check_start, summarise_columns, validated
from hamstride.activities.xml import local_name, parse_xml
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, Lap, SourceFormat, Sport

TCX_NAMESPACE = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
SPORTS = {"running": Sport.RUNNING, "biking": Sport.CYCLING}
HR_MIN, HR_MAX = 20, 260
# what tcxreader's code raises on values it cannot use (it has no exception of its own)
_TCXREADER_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError,
                     ArithmeticError)


@dataclass
class _Points:
    """The activity's timed track points, one list per value (a run has thousands)."""

    times: list[datetime] = field(default_factory=list)
    distance_m: list[float | None] = field(default_factory=list)
    altitude_m: list[float | None] = field(default_factory=list)
    hr: list[int | None] = field(default_factory=list)

    def add(self, trackpoint: Any) -> None:
        """tcxreader's untyped track point, as checked plain values."""
        self.times.append(_utc(trackpoint.time))
        self.distance_m.append(_float(trackpoint.distance))
        self.altitude_m.append(_float(trackpoint.elevation))
        self.hr.append(_heart_rate(_float(trackpoint.hr_value)))

    def columns(self) -> Columns:
        """The points as ``summarise_columns`` reads them, timed from the first one."""
        return Columns(t=[(time - self.times[0]).total_seconds() for time in self.times],
                       distance_m=self.distance_m, altitude_m=self.altitude_m, hr=self.hr)


def read_tcx(data: bytes, label: str) -> list[Activity]:
    """Every recorded activity of the file; ActivityFileError when there is none."""
    root = parse_xml(data, label).root
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise ActivityFileError(
            f"{label}: not a TCX file (it starts with <{local_name(root.tag)}>).")
    elements = [e for activities in _children(root, "Activities")
                for e in _activity_elements(activities)]
    if not elements:
        raise ActivityFileError(f"{label}: no activity in the TCX file (a course or workout?).")
    found = [a for a in (_activity(e, label) for e in elements) if a is not None]
    if not found:
        raise ActivityFileError(f"{label}: no recorded data in the activity (no laps or times).")
    return found


def _activity_elements(parent: Element) -> Iterator[Element]:
    """The ``<Activity>`` elements below ``parent`` at any depth (inside a
    ``<MultiSportSession>`` too), without walking through their thousands of points."""
    for child in parent:
        if local_name(child.tag) == "Activity":
            yield child
        else:
            yield from _activity_elements(child)


def _activity(element: Element, label: str) -> Activity | None:
    laps = [lap for lap in (_lap(e, label) for e in _children(element, "Lap")) if lap]
    points = _track_points(element, label)
    start = _start(element, laps, points, label)
    if start is None:
        return None
    check_start(start, label)
    ends = [lap.start + timedelta(seconds=lap.duration_s) for lap in laps]
    if points.times:
        ends.append(max(points.times))
    summary = summarise_columns(points.columns())
    avg_hr, max_hr = summary.avg_hr, summary.max_hr
    if avg_hr is None:
        avg_hr, max_hr = _lap_heart_rate(laps)
    return validated(label, lambda: Activity(
        sport=SPORTS.get(element.get("Sport", "").strip().lower(), Sport.OTHER),
        start=start,
        duration_s=max((end - start).total_seconds() for end in [start, *ends]),
        moving_s=summary.moving_s,
        distance_m=_distance(laps, points),
        elevation_gain_m=summary.elevation_gain_m,
        avg_hr=avg_hr,
        max_hr=max_hr,
        laps=tuple(laps),
        speed_cv=summary.speed_cv,
        source=SourceFormat.TCX,
    ))


def _lap(element: Element, label: str) -> Lap | None:
    """The lap as recorded; None when it lacks its start or its time (both required)."""
    start = _time(element.get("StartTime"), "a lap's StartTime", label)
    duration = _number(_text(element, "TotalTimeSeconds"), "a lap's TotalTimeSeconds", label)
    if start is None or duration is None:
        return None
    distance = _number(_text(element, "DistanceMeters"), "a lap's DistanceMeters", label)
    avg_hr = _number(_text(element, "AverageHeartRateBpm", "Value"), "a lap's heart rate", label)
    max_hr = _number(_text(element, "MaximumHeartRateBpm", "Value"), "a lap's heart rate", label)
    return validated(label, lambda: Lap(start=start, duration_s=duration, distance_m=distance,
                                        avg_hr=_heart_rate(avg_hr), max_hr=_heart_rate(max_hr)))


def _track_points(element: Element, label: str) -> _Points:
    """The activity's timed track points, each read by tcxreader's point parser."""
    reader, points = TCXReader(), _Points()
    try:
        for element_point in _trackpoints(element):
            read = TCXTrackPoint(tpx_ext={})
            reader.trackpoint_parser(read, element_point)
            if isinstance(read.time, datetime):
                points.add(read)
    except _TCXREADER_ERRORS as exc:
        raise ActivityFileError(f"{label}: the track points cannot be read ({exc}).") from exc
    return points


def _trackpoints(activity: Element) -> Iterator[Element]:
    """The points tcxreader reads (Lap/Track/Trackpoint in the TCX namespace), those
    without a time left out: tcxreader fails on them."""
    for lap in activity.iterfind(f"{TCX_NAMESPACE}Lap"):
        for track in lap.iterfind(f"{TCX_NAMESPACE}Track"):
            for point in track.iterfind(f"{TCX_NAMESPACE}Trackpoint"):
                time = point.find(f"{TCX_NAMESPACE}Time")
                if time is not None and time.text and time.text.strip():
                    yield point


def _start(element: Element, laps: list[Lap], points: _Points,
           label: str) -> datetime | None:
    """The first lap's start, else the activity Id, else the first point; None when the
    activity recorded nothing."""
    if laps:
        return min(lap.start for lap in laps)
    if not points.times:
        return None
    return _time(_text(element, "Id"), "the activity Id", label) or points.times[0]


def _distance(laps: list[Lap], points: _Points) -> float | None:
    stated = [lap.distance_m for lap in laps if lap.distance_m is not None]
    if stated:
        return sum(stated)
    walked = [d for d in points.distance_m if d is not None]
    return max(walked) if walked else None


def _lap_heart_rate(laps: list[Lap]) -> tuple[int | None, int | None]:
    """Time-weighted mean of the laps' average heart rates, and the highest lap maximum."""
    timed = [(lap.avg_hr, lap.duration_s) for lap in laps
             if lap.avg_hr is not None and lap.duration_s > 0]
    total = sum(seconds for _, seconds in timed)
    avg = round(sum(hr * seconds for hr, seconds in timed) / total) if total else None
    maxima = [lap.max_hr for lap in laps if lap.max_hr is not None]
    return avg, max(maxima, default=None)


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child.tag) == name]


def _text(element: Element, *path: str) -> str | None:
    """The text at a path of local names below ``element`` (namespaces vary by writer)."""
    for name in path:
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    return element.text.strip() if element.text and element.text.strip() else None


def _number(text: str | None, what: str, label: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise ActivityFileError(f"{label}: {what} is not a number ({text[:40]!r}).") from exc
    if not math.isfinite(value):
        raise ActivityFileError(f"{label}: {what} is not a number ({text[:40]!r}).")
    return value


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _heart_rate(value: float | None) -> int | None:
    """A heart rate in bpm; out-of-range readings (a strap without contact reads 0) are none."""
    return round(value) if value is not None and HR_MIN <= value <= HR_MAX else None


def _time(text: str | None, what: str, label: str) -> datetime | None:
    if text is None:
        return None
    try:
        return _utc(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ActivityFileError(f"{label}: {what} is not a time ({text[:40]!r}).") from exc


def _utc(value: datetime) -> datetime:
    """TCX times are UTC: a time without a zone (tcxreader drops the Z) is read as UTC."""
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
