"""What kind of run an activity was: easy, long, intervals, tempo, hills or a race.

A run is judged by its own structure (laps, pace variability, climbing) and against the
runner's usual running: the median distance, duration and pace of the runs of the
``usual_weeks`` before it, and the highest heart rate seen in them. Pure functions over
``Activity`` values; nothing here reads a clock, a file or the database.

Precedence, first match wins (``PRECEDENCE``)::

    race > intervals > hills > long > tempo > easy

EVIDENCE.md has no rule for classifying runs: every threshold is a product choice, kept
in the one table ``THRESHOLDS`` and listed in docs/running.md. The runner can correct any
run; a correction always wins (``kind_of``, ``classify_runs``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from statistics import median
from typing import Any

from hamstride.training.activity import Activity, Lap
from hamstride.vocabulary import RunType


def _choice(value: float, meaning: str) -> Any:
    """A threshold with the sentence docs/running.md shows for it."""
    return field(default=value, metadata={"meaning": meaning})


@dataclass(frozen=True)
class Thresholds:
    """Every classification threshold: product choices, not evidence."""

    usual_weeks: int = _choice(8, "weeks of runs before a run that make the usual running")
    usual_min_runs: int = _choice(3, "fewer usual runs than this: rules relative to the usual "
                                     "(pace, heart rate, distance) are off")
    race_pace_ratio: float = _choice(0.90, "all-out race: pace at most this share of the usual "
                                           "pace (10% faster) ...")
    race_hr_fraction: float = _choice(0.92, "... and average heart rate at least this share of "
                                            "the highest seen")
    interval_lap_contrast: float = _choice(0.15, "a fast lap is at least 15% faster than the "
                                                 "run's average lap pace")
    interval_rep_min_m: float = _choice(150, "a fast lap covers at least this many metres "
                                             "(not a stride or a GPS glitch)")
    interval_min_reps: int = _choice(3, "intervals: at least this many fast stretches, each "
                                        "separated from the next by a slower lap")
    interval_speed_cv: float = _choice(0.25, "intervals without lap structure: speed varies "
                                             "at least this much (sd / mean), on a run that "
                                             "is not hilly")
    hills_gain_m_per_km: float = _choice(20, "hills: metres climbed per kilometre")
    hills_min_km: float = _choice(1, "hills: shorter runs are never judged on climbing")
    long_ratio: float = _choice(1.5, "long: distance or duration at least this multiple of "
                                     "the usual median")
    long_fallback_min: float = _choice(90, "long, when there is no usual running yet: minutes")
    tempo_hr_fraction: float = _choice(0.85, "tempo: average heart rate at least this share of "
                                             "the highest seen ...")
    tempo_pace_ratio: float = _choice(0.92, "... or pace at most this share of the usual pace "
                                            "(8% faster)")


THRESHOLDS = Thresholds()

# Words that name a race, in the languages runners name their runs in. "race pace" is a
# training target, and "Carrera matutina" (and the like) is Strava's default Spanish name
# for any run, so those are struck out before the race words are looked for.
RACE_NAME = re.compile(r"\brac(?:e|es|ing)\b|parkrun|mara(?:th|t)[oó]n|wettkampf|\bcarrera\b",
                       re.IGNORECASE)
NOT_RACE_NAME = re.compile(
    r"\brace[\s-]*pace\b|\bcarrera\s+(?:matutina|matinal|vespertina|nocturna"
    r"|(?:de|por)\s+la\s+(?:mañana|tarde|noche)|al\s+mediod[ií]a|a\s+la\s+hora\s+del\s+almuerzo)",
    re.IGNORECASE)


def choices(thresholds: Thresholds = THRESHOLDS) -> list[tuple[str, float, str]]:
    """(name, value, meaning) for each threshold: the table of docs/running.md."""
    return [(f.name, getattr(thresholds, f.name), f.metadata["meaning"])
            for f in fields(thresholds)]


# -- the usual running -----------------------------------------------------------------

@dataclass(frozen=True)
class Usual:
    """The runner's usual running before a run; ``None`` where no run gave a value."""

    runs: int
    distance_m: float | None  # median
    duration_s: float | None  # median
    pace_s_per_km: float | None  # median of the runs' paces
    max_hr: int | None  # the highest heart rate seen


def run_date(activity: Activity) -> date:
    """The calendar day of the run where it was run (the start's own UTC offset)."""
    return activity.start.date()


def pace_s_per_km(activity: Activity) -> float | None:
    """Seconds per kilometre over the moving time (the duration when there is none)."""
    seconds = activity.moving_s or activity.duration_s
    if not activity.distance_m or seconds <= 0:
        return None
    return seconds * 1000 / activity.distance_m


def highest_hr(activity: Activity) -> int | None:
    """The highest heart rate the activity or any of its laps recorded."""
    values = [v for v in (activity.max_hr, *(lap.max_hr for lap in activity.laps))
              if v is not None]
    return max(values) if values else None


def _median(values: Iterable[float]) -> float | None:
    found = list(values)
    return float(median(found)) if found else None


def _usual_of(runs: Sequence[Activity]) -> Usual:
    paces = (p for p in map(pace_s_per_km, runs) if p is not None)
    peaks = [h for h in map(highest_hr, runs) if h is not None]
    return Usual(len(runs),
                 _median(r.distance_m for r in runs if r.distance_m),
                 _median(r.duration_s for r in runs if r.duration_s > 0),
                 _median(paces), max(peaks) if peaks else None)


def usual_running(activities: Iterable[Activity], before: date, *,
                  thresholds: Thresholds = THRESHOLDS) -> Usual:
    """The usual running of the ``usual_weeks`` before ``before`` (that day excluded)."""
    since = before - timedelta(weeks=thresholds.usual_weeks)
    return _usual_of([a for a in activities
                      if a.counts_as_running and since <= run_date(a) < before])


# -- the rules -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Reading:
    """One run measured against the usual; ``None`` where a value cannot be judged."""

    pace_ratio: float | None  # this pace / the usual pace: below 1 is faster
    hr_fraction: float | None  # average heart rate / the highest seen
    distance_ratio: float | None
    duration_ratio: float | None
    gain_per_km: float | None
    known: bool  # enough usual runs for the relative rules


def _ratio(value: float | None, usual: float | None) -> float | None:
    return value / usual if value is not None and usual else None


def _read(run: Activity, usual: Usual, t: Thresholds) -> _Reading:
    known = usual.runs >= t.usual_min_runs
    hr_fraction = None
    if known and usual.max_hr and run.avg_hr is not None:
        # a new highest heart rate in this very run raises the reference with it
        hr_fraction = run.avg_hr / max(usual.max_hr, highest_hr(run) or 0)
    km = (run.distance_m or 0) / 1000
    gain = (run.elevation_gain_m / km if run.elevation_gain_m is not None
            and km >= t.hills_min_km else None)
    if not known:
        return _Reading(None, None, None, None, gain, known=False)
    return _Reading(_ratio(pace_s_per_km(run), usual.pace_s_per_km), hr_fraction,
                    _ratio(run.distance_m or None, usual.distance_m),
                    _ratio(run.duration_s, usual.duration_s), gain, known=True)


def is_race_name(name: str | None) -> bool:
    """A name that says race (race, parkrun, marathon, Wettkampf, carrera...)."""
    return bool(name) and RACE_NAME.search(NOT_RACE_NAME.sub(" ", name or "")) is not None


def fast_stretches(laps: Sequence[Lap], t: Thresholds = THRESHOLDS) -> int:
    """How many stretches of fast laps the run had, each ended by a slower lap. A lap is
    fast when it is ``interval_lap_contrast`` faster than the average pace of the laps
    (rest laps with no distance count in that average: they are part of the session)."""
    measured = [lap for lap in laps if lap.distance_m is not None]
    metres = sum(lap.distance_m or 0 for lap in measured)
    seconds = sum(lap.duration_s for lap in measured)
    if metres <= 0 or seconds <= 0:
        return 0
    cut = seconds / metres * (1 - t.interval_lap_contrast)  # seconds a metre
    stretches, in_fast = 0, False
    for lap in laps:
        fast = (lap.distance_m is not None and lap.distance_m >= t.interval_rep_min_m
                and lap.duration_s / lap.distance_m <= cut)
        if fast and not in_fast:
            stretches += 1
        in_fast = fast
    return stretches


def _race(run: Activity, r: _Reading, t: Thresholds) -> bool:
    all_out = (r.pace_ratio is not None and r.pace_ratio <= t.race_pace_ratio
               and r.hr_fraction is not None and r.hr_fraction >= t.race_hr_fraction)
    return all_out or is_race_name(run.name)


def _hilly(r: _Reading, t: Thresholds) -> bool:
    return r.gain_per_km is not None and r.gain_per_km >= t.hills_gain_m_per_km


def _intervals(run: Activity, r: _Reading, t: Thresholds) -> bool:
    if fast_stretches(run.laps, t) >= t.interval_min_reps:
        return True
    # hills vary the pace by themselves: on a hilly run only laps can show intervals
    varied = run.speed_cv is not None and run.speed_cv >= t.interval_speed_cv
    return varied and not _hilly(r, t)


def _long(run: Activity, r: _Reading, t: Thresholds) -> bool:
    if not r.known:
        return run.duration_s >= t.long_fallback_min * 60
    return any(x is not None and x >= t.long_ratio for x in (r.distance_ratio, r.duration_ratio))


def _tempo(r: _Reading, t: Thresholds) -> bool:
    return ((r.hr_fraction is not None and r.hr_fraction >= t.tempo_hr_fraction)
            or (r.pace_ratio is not None and r.pace_ratio <= t.tempo_pace_ratio))


PRECEDENCE = (RunType.RACE, RunType.INTERVALS, RunType.HILLS, RunType.LONG, RunType.TEMPO,
              RunType.EASY)


def classify(activity: Activity, usual: Usual, thresholds: Thresholds = THRESHOLDS) -> RunType:
    """The kind of a run, by the first rule of ``PRECEDENCE`` it meets; easy otherwise.
    Total over running activities: a value a file did not carry switches its rule off."""
    if not activity.counts_as_running:
        raise ValueError(f"{activity.sport.value} is not running: only runs are classified")
    t = thresholds
    r = _read(activity, usual, t)
    if _race(activity, r, t):
        return RunType.RACE
    if _intervals(activity, r, t):
        return RunType.INTERVALS
    if _hilly(r, t):
        return RunType.HILLS
    if _long(activity, r, t):
        return RunType.LONG
    return RunType.TEMPO if _tempo(r, t) else RunType.EASY


def kind_of(activity: Activity, usual: Usual, corrections: Mapping[str, RunType], *,
            thresholds: Thresholds = THRESHOLDS) -> RunType:
    """The runner's correction of this run when there is one, else ``classify``."""
    corrected = corrections.get(activity.id)
    return corrected if corrected is not None else classify(activity, usual, thresholds)


# -- every run at once -----------------------------------------------------------------

@dataclass(frozen=True)
class RunKind:
    """One run's kind, and whether the runner set it."""

    activity_id: str
    date: date
    kind: RunType
    corrected: bool

    def to_document(self) -> dict[str, Any]:
        return {"id": self.activity_id, "date": self.date.isoformat(),
                "kind": self.kind.value, "corrected": self.corrected}


def classify_runs(activities: Iterable[Activity],
                  corrections: Mapping[str, RunType] | None = None, *,
                  thresholds: Thresholds = THRESHOLDS) -> tuple[RunKind, ...]:
    """The kind of every run, oldest first, each judged against its own usual running.
    One sort, then each run looks only at its own window: years of runs stay fast."""
    fixed = corrections or {}
    runs = sorted((a for a in activities if a.counts_as_running),
                  key=lambda a: (run_date(a), a.start))
    days = [run_date(r) for r in runs]
    window = timedelta(weeks=thresholds.usual_weeks)
    found = []
    for run, day in zip(runs, days, strict=True):
        before = runs[bisect_left(days, day - window):bisect_left(days, day)]
        kind = kind_of(run, _usual_of(before), fixed, thresholds=thresholds)
        found.append(RunKind(run.id, day, kind, run.id in fixed))
    return tuple(found)
