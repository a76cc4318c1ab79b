"""GPX reader: one Activity per recorded track (``<trk>``), GPX 1.0 and 1.1.

One activity per track, not per file: GPS units that log several outings into one
file (GPSBabel "ACTIVE LOG", "ACTIVE LOG #2") write one track each, while Strava and
watches write a single track per file. Segments of a track are pauses, not new
activities; empty segments are ignored.

What is skipped, with the reason the runner sees:
- a file with no ``<trk>``: "no track points" (metadata or waypoints only), or
  "a planned route, not a recorded activity" when it holds only ``<rte>`` routes;
- a track without timestamps (a route drawn in a planner and saved as a track), or
  with timestamps on fewer than half of its points: "no timestamps in the track";
- a track of a single point.
The file is refused when no track is usable; the reason is the one of its largest track.

Values: distance is gpxpy's ``length_2d`` (horizontal, segment by segment, as watches
and Strava report it; GPS altitude noise would inflate a 3-D length); elapsed time runs
from the first to the last timestamp; times without a zone are UTC (the GPX schema says
so); heart rate comes from Garmin's TrackPointExtension (``gpxtpx:hr``) or any ``hr``
extension element (Movescount's ``gpxdata:hr``). GPX has no laps.

Sport (a product choice; GPX has no standard sport field):
1. ``<trk><type>`` when present: Strava's numeric codes "9" (run) and "1" (ride), or a
   word (running, run, cycling, biking, ride, walking, hiking, swimming, skiing...).
   An unknown word or number gives ``other``.
2. Else the creator app: a name with "bike", "biker" or "cycl" (Urban Biker,
   bikerouter) gives cycling.
3. Else the mean moving speed: above ``MAX_RUN_SPEED_MS`` (5.5 m/s, 3:02 min/km held
   for the whole outing) it is a ride; below ``MIN_RUN_SPEED_MS`` (1.8 m/s, 9:16 min/km
   while moving) a walk; in between a run, since runners import runs. Without a moving
   speed the sport is ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

import gpxpy
import gpxpy.gpx

from hamstride.activities.track import (
    Columns,
    check_start,
    clean_name,
    summarise_columns,
    validated,
)
from hamstride.activities.xml import document_text, local_name, parse_xml
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, SourceFormat, Sport

MAX_RUN_SPEED_MS = 5.5
MIN_RUN_SPEED_MS = 1.8
STRAVA_TYPE_CODES = {"1": Sport.CYCLING, "9": Sport.RUNNING}
TYPE_WORDS: dict[str, Sport] = {
    **dict.fromkeys(("running", "run", "trailrunning", "trailrun", "treadmillrunning",
                     "virtualrun", "jogging"), Sport.RUNNING),
    **dict.fromkeys(("cycling", "biking", "bike", "ride", "roadbiking", "mountainbiking",
                     "virtualride", "ebikeride", "gravelride"), Sport.CYCLING),
    **dict.fromkeys(("walking", "walk"), Sport.WALKING),
    **dict.fromkeys(("hiking", "hike"), Sport.HIKING),
    **dict.fromkeys(("swimming", "swim", "openwaterswimming"), Sport.SWIMMING),
    **dict.fromkeys(("skiing", "ski", "crosscountryskiing", "nordicski", "alpineski",
                     "backcountryski"), Sport.SKIING),
    **dict.fromkeys(("strength", "strengthtraining", "weighttraining"), Sport.STRENGTH),
}
CYCLING_CREATOR_WORDS = ("bike", "biker", "cycl")
HR_TAGS = ("hr", "heartrate")


def read_gpx(data: bytes, label: str) -> list[Activity]:
    """Every recorded track of the file as an Activity; ActivityFileError when none is."""
    document = parse_xml(data, label)
    if local_name(document.root.tag) != "gpx":
        raise ActivityFileError(
            f"{label}: not a GPX file (it starts with <{local_name(document.root.tag)}>).")
    gpx = _parse(document_text(document, label), label)
    activities: list[Activity] = []
    reasons: list[tuple[int, str]] = []
    for track in gpx.tracks:
        points = [p for segment in track.segments for p in segment.points]
        reason = _skip_reason(points)
        if reason is None:
            activities.append(_activity(track, gpx, label))
        else:
            reasons.append((len(points), reason))
    if activities:
        return activities
    raise ActivityFileError(f"{label}: {_file_reason(gpx, reasons)}.")


def _parse(text: str, label: str) -> gpxpy.gpx.GPX:
    try:
        return gpxpy.parse(text)
    # gpxpy.gpx.GPXException mostly, but gpxpy raises a bare Exception for some
    # malformed elements, so the one boundary catches both
    except Exception as exc:
        raise ActivityFileError(f"{label}: not a valid GPX file ({exc}).") from exc


def _skip_reason(points: Sequence[gpxpy.gpx.GPXTrackPoint]) -> str | None:
    timed = sum(1 for p in points if p.time is not None)
    if not points:
        return "no track points"
    if len(points) == 1:
        return "only one track point"
    if timed == 0:
        return "no timestamps in the track"
    if timed < 2 or timed * 2 < len(points):
        return f"no timestamps in the track (only {timed} of {len(points)} points have one)"
    return None


def _file_reason(gpx: gpxpy.gpx.GPX, reasons: list[tuple[int, str]]) -> str:
    if reasons:
        return max(reasons, key=lambda item: item[0])[1]
    if gpx.routes:
        return "a planned route, not a recorded activity"
    return "no track points"


def _activity(track: gpxpy.gpx.GPXTrack, gpx: gpxpy.gpx.GPX, label: str) -> Activity:
    _check_coordinates(track, label)
    timed = _timed_points(track)
    start = min(timed.times)
    check_start(start, label)
    summary = summarise_columns(timed.columns(start))
    distance = float(track.length_2d())
    return validated(label, lambda: Activity(
        sport=_sport(track, gpx, distance, summary.moving_s),
        start=start,
        duration_s=(max(timed.times) - start).total_seconds(),
        moving_s=summary.moving_s,
        distance_m=distance,
        elevation_gain_m=summary.elevation_gain_m,
        avg_hr=summary.avg_hr,
        max_hr=summary.max_hr,
        speed_cv=summary.speed_cv,
        name=clean_name(track.name or gpx.name),
        source=SourceFormat.GPX,
    ))


@dataclass
class _Timed:
    """The track's timed points, one list per value (a run has thousands)."""

    times: list[datetime] = field(default_factory=list)        # UTC
    distance_m: list[float] = field(default_factory=list)      # cumulative, 2-D
    altitude_m: list[float | None] = field(default_factory=list)
    hr: list[int | None] = field(default_factory=list)

    def columns(self, start: datetime) -> Columns:
        return Columns(t=[(time - start).total_seconds() for time in self.times],
                       distance_m=self.distance_m, altitude_m=self.altitude_m, hr=self.hr)


def _timed_points(track: gpxpy.gpx.GPXTrack) -> _Timed:
    """The points that carry a time, with the distance walked to each: every point
    counts for the distance, but none is added across a segment break, as in gpxpy's
    ``length_2d``."""
    timed = _Timed()
    total = 0.0
    for segment in track.segments:
        previous: gpxpy.gpx.GPXTrackPoint | None = None
        for point in segment.points:
            if previous is not None:
                total += point.distance_2d(previous) or 0.0
            previous = point
            if point.time is not None:
                timed.times.append(_utc(point.time))
                timed.distance_m.append(total)
                timed.altitude_m.append(point.elevation)
                timed.hr.append(_heart_rate(point.extensions))
    return timed


def _utc(time: datetime) -> datetime:
    return time.astimezone(UTC) if time.tzinfo is not None else time.replace(tzinfo=UTC)


def _check_coordinates(track: gpxpy.gpx.GPXTrack, label: str) -> None:
    """Refuse what gpxpy parses but its distance maths cannot take (NaN, infinity, 400°N)."""
    for segment in track.segments:
        for point in segment.points:
            if not (abs(point.latitude) <= 90 and abs(point.longitude) <= 180):
                raise ActivityFileError(
                    f"{label}: a track point has impossible coordinates "
                    f"({point.latitude}, {point.longitude}).")


def _heart_rate(extensions: Sequence[Element]) -> int | None:
    for extension in extensions:
        for element in extension.iter():
            if local_name(str(element.tag)).lower() in HR_TAGS and element.text:
                try:
                    return round(float(element.text))
                except (ValueError, OverflowError):
                    return None
    return None


def _sport(track: gpxpy.gpx.GPXTrack, gpx: gpxpy.gpx.GPX, distance_m: float,
           moving_s: float | None) -> Sport:
    if track.type and track.type.strip():
        return sport_from_type(track.type)
    creator = (gpx.creator or "").lower()
    if any(word in creator for word in CYCLING_CREATOR_WORDS):
        return Sport.CYCLING
    return sport_from_speed(distance_m, moving_s)


def sport_from_type(text: str) -> Sport:
    """The sport a GPX ``<type>`` names: Strava's numeric code or a word."""
    word = re.sub(r"[^a-z0-9]", "", text.lower())
    if word.isdigit():
        return STRAVA_TYPE_CODES.get(word, Sport.OTHER)
    return TYPE_WORDS.get(word, Sport.OTHER)


def sport_from_speed(distance_m: float, moving_s: float | None) -> Sport:
    """The sport a track of unknown type most likely is, from its mean moving speed."""
    if not moving_s:
        return Sport.OTHER
    speed = distance_m / moving_s
    if speed > MAX_RUN_SPEED_MS:
        return Sport.CYCLING
    if speed < MIN_RUN_SPEED_MS:
        return Sport.WALKING
    return Sport.RUNNING
