"""Summary maths over a recorded track, and the plausibility checks every reader shares.

The FIT, GPX and TCX readers each turn their points into ``Columns`` (one list per
value; ``summarise`` takes ``Sample`` values instead) and ask ``summarise_columns`` for
what the file does not state itself: moving time, elevation gain, pace variability and
heart rate. Pure functions over plain data; no file, no clock except the ``now`` a caller
may pass to ``check_start``.

The thresholds below are product choices, not published evidence (EVIDENCE.md has no
number for them); they are tuned so GPS noise and pauses do not distort the summary:

- ``MOVING_SPEED_MS`` 0.5 m/s: between two samples the runner counts as moving when the
  speed is at least this. Walking is ~1.3 m/s; a watch standing still at a crossing
  drifts by well under this.
- ``MAX_GAP_S`` 60 s: a longer gap between samples is a pause (auto-pause, stopped
  watch, lost signal) and is not counted as moving, whatever the distance covered.
  Devices record every 1-10 s while moving, so a minute is a clear break.
- ``ELEVATION_HYSTERESIS_M`` 5 m: a climb counts once the altitude has risen this much
  above the last low point (then the whole rise counts); a descent starts once it has
  fallen this much below the last high point. GPS altitude wobbles by a few metres and
  would otherwise add up to hundreds of metres of phantom climbing.
- ``SPEED_WINDOW_S`` 30 s and ``MIN_SPEED_WINDOWS`` 4: pace variability is the
  coefficient of variation (population sd / mean) of the speed over consecutive 30 s
  windows of moving time; under two minutes of moving time it is not given. A value
  above the model's ceiling of 10 means broken data and is not given either.
- Heart rates outside 20-260 bpm are dropped (a strap that loses contact reads 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from hamstride.errors import ActivityFileError

MOVING_SPEED_MS = 0.5
MAX_GAP_S = 60.0
ELEVATION_HYSTERESIS_M = 5.0
SPEED_WINDOW_S = 30.0
MIN_SPEED_WINDOWS = 4
MAX_SPEED_CV = 10.0
HR_MIN, HR_MAX = 20, 260
EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
NAME_MAX = 200

_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Sample:
    t: float                    # seconds since the activity's first sample
    distance_m: float | None    # cumulative distance, metres
    altitude_m: float | None
    hr: int | None


@dataclass(frozen=True, slots=True)
class Columns:
    """A track as one list per value, index = sample (the values of ``Sample``).

    What the readers build: a FIT run holds a record per second, and one object per
    sample (and another per step between two samples) cost more than the maths.
    """

    t: Sequence[float]
    distance_m: Sequence[float | None]
    altitude_m: Sequence[float | None]
    hr: Sequence[int | None]


@dataclass(frozen=True, slots=True)
class TrackSummary:
    moving_s: float | None
    elevation_gain_m: float | None
    speed_cv: float | None
    avg_hr: int | None
    max_hr: int | None


def summarise(samples: Sequence[Sample]) -> TrackSummary:
    """What the samples say beyond the file's own totals; None where they cannot say it."""
    return summarise_columns(Columns(t=[s.t for s in samples],
                                     distance_m=[s.distance_m for s in samples],
                                     altitude_m=[s.altitude_m for s in samples],
                                     hr=[s.hr for s in samples]))


def summarise_columns(track: Columns) -> TrackSummary:
    """``summarise`` over a track held as columns."""
    moving_dt, moving_dd, grew = _moving_steps(track.t, track.distance_m)
    rates = [hr for hr in track.hr if hr is not None and HR_MIN <= hr <= HR_MAX]
    return TrackSummary(
        # a track whose distance never grows (a trainer ride without a speed sensor)
        # says nothing about moving: unknown, not zero
        moving_s=sum(moving_dt) if grew else None,
        elevation_gain_m=elevation_gain([a for a in track.altitude_m
                                         if a is not None and math.isfinite(a)]),
        speed_cv=speed_cv(moving_dt, moving_dd),
        avg_hr=round(sum(rates) / len(rates)) if rates else None,
        max_hr=max(rates) if rates else None,
    )


def _moving_steps(times: Sequence[float], distances: Sequence[float | None]
                  ) -> tuple[list[float], list[float], bool]:
    """The time and distance of each moving step, in order, and whether the distance
    ever grew. A step runs between consecutive samples that carry a usable distance
    (others are skipped); it is moving when 0 < dt <= MAX_GAP_S and its speed is at
    least MOVING_SPEED_MS (a drop in distance counts as no distance)."""
    moving_dt: list[float] = []
    moving_dd: list[float] = []
    grew = False
    last_t = last_d = math.nan
    started = False
    for t, distance in zip(times, distances, strict=True):
        if distance is None or not math.isfinite(distance):
            continue
        if started:
            dt, dd = t - last_t, max(0.0, distance - last_d)
            grew = grew or dd > 0
            if 0 < dt <= MAX_GAP_S and dd >= MOVING_SPEED_MS * dt:
                moving_dt.append(dt)
                moving_dd.append(dd)
        last_t, last_d, started = t, distance, True
    return moving_dt, moving_dd, grew


def elevation_gain(altitudes: Sequence[float]) -> float | None:
    """Total climb with hysteresis: wobbles smaller than ELEVATION_HYSTERESIS_M are ignored."""
    if len(altitudes) < 2:
        return None
    gain, ref, climbing = 0.0, altitudes[0], False
    for altitude in altitudes[1:]:
        if climbing:
            if altitude > ref:
                gain, ref = gain + altitude - ref, altitude
            elif ref - altitude >= ELEVATION_HYSTERESIS_M:
                climbing, ref = False, altitude
        elif altitude < ref:
            ref = altitude
        elif altitude - ref >= ELEVATION_HYSTERESIS_M:
            climbing, gain, ref = True, gain + altitude - ref, altitude
    return gain


def speed_cv(moving_dt: Sequence[float], moving_dd: Sequence[float]) -> float | None:
    """Coefficient of variation of speed over SPEED_WINDOW_S windows of moving time,
    from the moving steps' times and distances."""
    speeds: list[float] = []
    window_t = window_d = 0.0
    for dt, dd in zip(moving_dt, moving_dd, strict=True):
        window_t += dt
        window_d += dd
        if window_t >= SPEED_WINDOW_S:
            speeds.append(window_d / window_t)
            window_t = window_d = 0.0
    if len(speeds) < MIN_SPEED_WINDOWS:
        return None
    mean = sum(speeds) / len(speeds)
    sd = math.sqrt(sum((v - mean) ** 2 for v in speeds) / len(speeds))
    cv = sd / mean
    return cv if cv <= MAX_SPEED_CV else None


def utcnow() -> datetime:
    """The clock ``check_start`` reads (one place, so a test can set it)."""
    return datetime.now(UTC)


def check_start(start: datetime, label: str, *, now: datetime | None = None) -> None:
    """Refuse a start no real recording can have.

    A date before 1990 or days in the future comes from an unset device clock or from a
    parser that returned partial data instead of failing; importing it would put an
    activity decades away and distort every weekly load.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ActivityFileError(f"{label}: the start time has no time zone.")
    if start < EARLIEST_START:
        raise ActivityFileError(
            f"{label}: the start date {start:%Y-%m-%d} is before 1990; "
            "the device clock was not set or the file is corrupt.")
    if start > (now or utcnow()) + FUTURE_SLACK:
        raise ActivityFileError(
            f"{label}: the start date {start:%Y-%m-%d} is in the future; "
            "the device clock is wrong or the file is corrupt.")


def clean_name(text: str | None) -> str | None:
    """A name as the model takes it: stripped, None when blank, cut to NAME_MAX."""
    if text is None or not text.strip():
        return None
    return " ".join(text.split())[:NAME_MAX]


def validated(label: str, build: Callable[[], _Model]) -> _Model:
    """``build()`` (an Activity or a Lap), with the model's range checks turned into a
    reason for the runner."""
    try:
        return build()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "activity"
        raise ActivityFileError(
            f"{label}: implausible values in the file ({where}: {first['msg']}).") from exc
