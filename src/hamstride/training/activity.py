"""A recorded activity (a run, a ride, a swim...) as plain validated data.

The readers in ``hamstride.activities`` turn FIT, GPX, TCX files and Strava exports
into these; the load maths and the running-week learner in the core read them; the
store keeps them. Nothing here knows about files or the database.

Times are timezone-aware; durations are seconds, distances metres. A value a file
does not carry is ``None``, never a made-up zero.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


class Sport(StrEnum):
    """Sport families. Only RUNNING counts as running load."""

    RUNNING = "running"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    WALKING = "walking"
    HIKING = "hiking"
    SKIING = "skiing"
    STRENGTH = "strength"
    OTHER = "other"


class SourceFormat(StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"
    STRAVA_CSV = "strava_csv"


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a timezone (an offset from UTC)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Seconds = Annotated[float, Field(ge=0, le=14 * 24 * 3600)]
Metres = Annotated[float, Field(ge=0, le=2_000_000)]
HeartRate = Annotated[int, Field(ge=20, le=260)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lap(_Frozen):
    """One lap (or split) as the device recorded it."""

    start: AwareDatetime
    duration_s: Seconds
    distance_m: Metres | None = None
    avg_hr: HeartRate | None = None
    max_hr: HeartRate | None = None


class Activity(_Frozen):
    """One activity. ``id`` is derived from the sport family and the start second."""

    sport: Sport
    start: AwareDatetime
    duration_s: Seconds
    moving_s: Seconds | None = None
    distance_m: Metres | None = None
    elevation_gain_m: Annotated[float, Field(ge=0, le=20_000)] | None = None
    avg_hr: HeartRate | None = None
    max_hr: HeartRate | None = None
    laps: tuple[Lap, ...] = Field(default=(), max_length=1000)
    # coefficient of variation of speed over the moving part (sd / mean), from the
    # samples; the classifier reads it as "pace variability"
    speed_cv: Annotated[float, Field(ge=0, le=10)] | None = None
    rpe: Annotated[int, Field(ge=1, le=10)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    source: SourceFormat

    @model_validator(mode="after")
    def _moving_within_elapsed(self) -> Activity:
        if self.moving_s is not None and self.moving_s > self.duration_s + 1:
            raise ValueError("moving_s is longer than duration_s")
        return self

    @property
    def id(self) -> str:
        return activity_id(self.sport, self.start)

    @property
    def too_short(self) -> str | None:
        """Why a running activity is too short to be a run, or None (``MIN_RUN_S``,
        ``MIN_RUN_M``): a mis-started watch, a GPS glitch or a corrupt file."""
        if self.sport is not Sport.RUNNING:
            return None
        if self.duration_s < MIN_RUN_S or (self.distance_m is not None
                                           and self.distance_m < MIN_RUN_M):
            km = "" if self.distance_m is None else f", {self.distance_m / 1000:.1f} km"
            return (f"too short to be a run ({_clock(self.duration_s)}{km}; a run lasts at "
                    f"least {MIN_RUN_S // 60} min and covers at least {MIN_RUN_M / 1000:g} "
                    "km): stored, not counted as running")
        return None

    @property
    def counts_as_running(self) -> bool:
        """Runs are the running load: running activities that are not too short."""
        return self.sport is Sport.RUNNING and self.too_short is None


# A product choice, not evidence (docs/running.md): shorter running activities are kept
# but never count as runs, in the load, the learned running week or the classifier.
MIN_RUN_S = 3 * 60
MIN_RUN_M = 500.0


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def activity_id(sport: Sport, start: datetime) -> str:
    """Content id: the same activity from a FIT file or a Strava row gets the same id."""
    second = start.astimezone(UTC).replace(microsecond=0).isoformat()
    return "a-" + hashlib.sha256(f"{sport.value}|{second}".encode()).hexdigest()[:16]
