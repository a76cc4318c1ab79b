"""Running load, strength load, the acute:chronic ratio and the distance spike flag.

Pure functions over activities (``Activity``) and the strength log (``LoggedSession``);
``today`` is passed in. ``load_report`` bundles everything into the document of
``hamstride.load/1``.

- A run's load is session RPE x minutes (Foster 2001) when it carries an RPE. Without
  one, a heart-rate load: Banister's TRIMP, minutes x HRr x 0.64 e^(1.92 HRr) with
  HRr = (average - rest) / (max - rest). TRIMP is NOT in EVIDENCE.md and its units are
  not those of RPE x minutes, so every load, daily and weekly sum carries its ``Basis``.
  A run with neither an RPE nor a usable heart rate is counted as unscored, never as 0.
- Minutes are the activity's duration, stops included, as Foster's session duration.
- A strength session's load is ``LoggedSession.load`` (session RPE x minutes).
- Only ``Sport.RUNNING`` counts as running; other sports are listed, never counted.
- Acute:chronic ratio in the EWMA form (Williams 2017): lambda = 2 / (N + 1) with N = 7
  and 28 days over the daily running load (0 on days without a run), both averages
  starting at 0 the day before the first run. Undefined until there are 28 days of
  running history. It describes, it never stops anything (``CAVEAT``). Strength load is
  shown beside it but left out: adding RPE x minutes to heart-rate loads mixes units.
- Spike: a week's running distance more than 30% above the week two weeks before it
  (Nielsen 2014). There is no 10% rule: it did not reduce injuries (Buist 2008).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hamstride.errors import InputError
from hamstride.training.activity import Activity
from hamstride.training.log import LoggedSession
from hamstride.training.runs import RunKind, classify_runs, highest_hr, run_date
from hamstride.training.weeks import ISO, Weeks
from hamstride.vocabulary import RunType

SCHEMA = "hamstride.load/1"
ACUTE_DAYS = 7  # Williams 2017
CHRONIC_DAYS = 28  # Williams 2017
MIN_HISTORY_DAYS = CHRONIC_DAYS  # no ratio from less history than the chronic window
SPIKE_PERCENT = 30.0  # Nielsen 2014
SPIKE_WEEKS = 2  # Nielsen 2014: the rise over two weeks
RATIO_HIGH = 1.5  # Gabbett 2016's "danger" line, disputed (Impellizzeri 2020, 2021)
TREND_DAYS = 7  # product choice: the trend compares the ratio with a week before
TREND_STEP = 0.1  # product choice: a smaller change than this is "steady"
DEFAULT_REST_HR = 60  # product choice: a common resting heart rate; pass the runner's own
REST_HR_LIMITS = (25, 120)
TRIMP_WEIGHT = (0.64, 1.92)  # Banister's TRIMP weighting, as commonly given; not evidence here
DEFAULT_WEEKS = 12
MAX_WEEKS = 520

CAVEAT = ("The acute:chronic ratio describes how the last week's running load compares with "
          "the last four weeks (EWMA, Williams 2017). It is not a prediction and never a "
          "reason to stop by itself: the 0.8-1.3 'sweet spot' and the 1.5 'danger' line "
          "(Gabbett 2016) are disputed (Impellizzeri 2020, Impellizzeri 2021).")
HEART_RATE_NOTE = ("Runs without an RPE get a heart-rate load, Banister's TRIMP (minutes x "
                   "HRr x 0.64 e^(1.92 HRr)). TRIMP is not in hamstride's evidence base and "
                   "its numbers are not comparable with RPE x minutes (Foster 2001): each "
                   "load says which one it is.")


class Basis(StrEnum):
    """What a load number is made of."""

    RPE = "rpe"  # session RPE x minutes (Foster 2001)
    HEART_RATE = "heart_rate"  # Banister TRIMP, not in EVIDENCE.md
    MIXED = "mixed"  # a sum over loads of both kinds


def combined_basis(bases: Iterable[Basis]) -> Basis | None:
    """The basis of a sum of loads: one kind, ``MIXED``, or ``None`` for no load."""
    found = set(bases)
    if not found:
        return None
    return found.pop() if len(found) == 1 else Basis.MIXED


# -- one session -----------------------------------------------------------------------

def heart_rate_reserve(avg_hr: float, *, rest_hr: float, max_hr: float) -> float:
    """HRr = (average - rest) / (max - rest), kept within 0..1."""
    return min(1.0, max(0.0, (avg_hr - rest_hr) / (max_hr - rest_hr)))


def trimp(minutes: float, avg_hr: float, *, rest_hr: float, max_hr: float) -> float:
    """Banister's TRIMP: minutes x HRr x 0.64 e^(1.92 HRr). Not in EVIDENCE.md."""
    a, b = TRIMP_WEIGHT
    hrr = heart_rate_reserve(avg_hr, rest_hr=rest_hr, max_hr=max_hr)
    return minutes * hrr * a * math.exp(b * hrr)


@dataclass(frozen=True)
class RunLoad:
    load: float
    basis: Basis


def run_load(activity: Activity, *, max_hr: int | None,
             rest_hr: int = DEFAULT_REST_HR) -> RunLoad | None:
    """RPE x minutes when the run has an RPE (Foster 2001), else TRIMP from its average
    heart rate; ``None`` when it has neither (or no maximum above the resting rate)."""
    minutes = activity.duration_s / 60
    if activity.rpe is not None:
        return RunLoad(activity.rpe * minutes, Basis.RPE)
    if activity.avg_hr is None or max_hr is None or max_hr <= rest_hr:
        return None
    return RunLoad(trimp(minutes, activity.avg_hr, rest_hr=rest_hr, max_hr=max_hr),
                   Basis.HEART_RATE)


def max_hr_seen(activities: Iterable[Activity]) -> int | None:
    """The highest heart rate any run recorded: the maximum TRIMP uses when none is given."""
    peaks = [h for a in activities if a.counts_as_running and (h := highest_hr(a)) is not None]
    return max(peaks) if peaks else None


# -- the acute:chronic ratio -----------------------------------------------------------

def ewma(loads: Iterable[float], days: int) -> list[float]:
    """Williams 2017: today = load x lambda + yesterday x (1 - lambda), lambda = 2/(N+1);
    the average is 0 before the first load."""
    weight = 2 / (days + 1)
    value = 0.0
    series = []
    for load in loads:
        value = load * weight + (1 - weight) * value
        series.append(value)
    return series


@dataclass(frozen=True)
class RatioPoint:
    acute: float
    chronic: float
    ratio: float | None  # None before MIN_HISTORY_DAYS of history, or with no chronic load
    recent: bool = True  # a run with a load in the last CHRONIC_DAYS days


def acute_chronic(loads: Sequence[float]) -> list[RatioPoint]:
    """The 7-day and 28-day EWMA and their ratio for each day of ``loads``, which start
    on the first day of history and hold one load a day (0 without a run)."""
    points = []
    last_load: int | None = None
    for n, (acute, chronic) in enumerate(zip(ewma(loads, ACUTE_DAYS), ewma(loads, CHRONIC_DAYS),
                                             strict=True)):
        if loads[n] > 0:
            last_load = n
        # runs months ago leave EWMAs of 1e-24, not a ratio: it needs a run in the window
        recent = last_load is not None and n - last_load < CHRONIC_DAYS
        defined = n + 1 >= MIN_HISTORY_DAYS and chronic > 0 and recent
        points.append(RatioPoint(acute, chronic, acute / chronic if defined else None, recent))
    return points


def trend(now: float | None, week_before: float | None) -> str | None:
    """"rising", "falling" or "steady" against the ratio a week before (a product choice:
    changes under ``TREND_STEP`` are steady); ``None`` without both values."""
    if now is None or week_before is None:
        return None
    change = round(now - week_before, 9)  # 1.1 - 1.2 is -0.0999...: a 0.1 fall all the same
    if change >= TREND_STEP:
        return "rising"
    return "falling" if change <= -TREND_STEP else "steady"


# -- the spike flag --------------------------------------------------------------------

def spike_percent(km: float, base_km: float) -> float | None:
    """The rise over ``base_km`` in percent when it is more than 30% (Nielsen 2014);
    ``None`` otherwise, and when there was no distance to rise from."""
    if base_km <= 0 or km * 100 <= base_km * (100 + SPIKE_PERCENT):  # exact at 30%
        return None
    return (km / base_km - 1) * 100


@dataclass(frozen=True)
class Spike:
    week_start: date
    compared_with: date  # the week two weeks before
    km: float
    base_km: float
    percent: float
    source: str = "Nielsen 2014"

    @property
    def message(self) -> str:
        return (f"Running distance in the week of {self.week_start} ({self.km:.1f} km) is "
                f"{self.percent:.1f}% above the week of {self.compared_with} "
                f"({self.base_km:.1f} km). A rise of more than {SPIKE_PERCENT:.0f}% over two "
                "weeks is worth a look (Nielsen 2014): a flag, not a rule.")

    def to_document(self) -> dict[str, Any]:
        return {"code": "distance_spike", "week_start": self.week_start.isoformat(),
                "compared_with": self.compared_with.isoformat(), "km": round(self.km, 2),
                "base_km": round(self.base_km, 2), "percent": round(self.percent, 1),
                "message": self.message, "source": self.source}


def spikes(weekly_km: Mapping[date, float], weeks: Iterable[date]) -> tuple[Spike, ...]:
    """The spike flag of each of ``weeks`` (their first days), against the week two
    weeks before."""
    found = []
    for monday in weeks:
        before = monday - timedelta(weeks=SPIKE_WEEKS)
        km, base = weekly_km.get(monday, 0.0), weekly_km.get(before, 0.0)
        percent = spike_percent(km, base)
        if percent is not None:
            found.append(Spike(monday, before, km, base, percent))
    return tuple(found)


# -- the report ------------------------------------------------------------------------

@dataclass(frozen=True)
class ScoredRun:
    """One run: its kind, distance, minutes and load (``None``: unscored)."""

    kind: RunKind
    km: float | None
    minutes: float
    load: RunLoad | None

    def to_document(self) -> dict[str, Any]:
        return {**self.kind.to_document(),
                "km": None if self.km is None else round(self.km, 2),
                "minutes": round(self.minutes, 1),
                "load": None if self.load is None else round(self.load.load, 1),
                "basis": None if self.load is None else self.load.basis.value}


@dataclass
class _Tally:
    """What a day or a week held."""

    km: float = 0.0
    minutes: float = 0.0
    runs: int = 0
    loads: list[RunLoad] = field(default_factory=list)
    unscored: int = 0
    other: dict[str, int] = field(default_factory=dict)
    strength_sessions: int = 0
    strength_load: float = 0.0

    def add_run(self, run: ScoredRun) -> None:
        self.runs += 1
        self.km += run.km or 0.0
        self.minutes += run.minutes
        if run.load is None:
            self.unscored += 1
        else:
            self.loads.append(run.load)

    def add_other(self, activity: Activity) -> None:
        sport = activity.sport.value
        self.other[sport] = self.other.get(sport, 0) + 1

    def add_session(self, session: LoggedSession) -> None:
        self.strength_sessions += 1
        self.strength_load += session.load or 0.0

    @property
    def running_load(self) -> float:
        return sum(load.load for load in self.loads)

    @property
    def basis(self) -> Basis | None:
        return combined_basis(load.basis for load in self.loads)


@dataclass(frozen=True)
class WeekRow:
    """One ISO week (Monday start). Only running counts; ``other`` lists the rest."""

    week_start: date
    running_km: float
    running_minutes: float
    runs: int
    running_load: float
    running_basis: Basis | None
    unscored_runs: int
    other: dict[str, int]  # sport -> activities: listed, not counted
    strength_sessions: int
    strength_load: float  # session RPE x minutes of the logged sessions that have both

    @classmethod
    def of(cls, monday: date, t: _Tally) -> WeekRow:
        return cls(monday, t.km, t.minutes, t.runs, t.running_load, t.basis, t.unscored,
                   dict(sorted(t.other.items())), t.strength_sessions, t.strength_load)

    @property
    def other_activities(self) -> int:
        return sum(self.other.values())

    def to_document(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "running_km": round(self.running_km, 2),
                "running_minutes": round(self.running_minutes, 1), "runs": self.runs,
                "running_load": round(self.running_load, 1),
                "running_basis": _value(self.running_basis), "unscored_runs": self.unscored_runs,
                "other_activities": self.other_activities, "other": dict(self.other),
                "strength_sessions": self.strength_sessions,
                "strength_load": round(self.strength_load, 1)}


@dataclass(frozen=True)
class DayRow:
    date: date
    running_load: float
    running_basis: Basis | None
    unscored_runs: int
    strength_load: float
    acute: float | None  # None before the first run
    chronic: float | None
    ratio: float | None  # None until MIN_HISTORY_DAYS of running history

    def to_document(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "running_load": round(self.running_load, 1),
                "running_basis": _value(self.running_basis),
                "unscored_runs": self.unscored_runs,
                "strength_load": round(self.strength_load, 1), "acute": _round(self.acute, 1),
                "chronic": _round(self.chronic, 1), "ratio": _round(self.ratio, 2)}


@dataclass(frozen=True)
class RatioNow:
    """Today's acute:chronic ratio as a value, a trend and a flag; never a stop."""

    date: date
    value: float | None
    trend: str | None
    high: bool  # at or above RATIO_HIGH (Gabbett 2016, disputed)
    history_days: int  # days since the first run, that one included
    recent: bool = True  # a run with a load in the last CHRONIC_DAYS days

    @property
    def message(self) -> str:
        if self.history_days < MIN_HISTORY_DAYS:
            return (f"No acute:chronic ratio yet: it needs {MIN_HISTORY_DAYS} days of running "
                    f"history, there are {self.history_days}.")
        if not self.recent:
            return (f"No acute:chronic ratio: not enough recent running (no run with a load "
                    f"in the last {CHRONIC_DAYS} days).")
        if self.value is None:
            return "No acute:chronic ratio: no run has a load yet (an RPE or a heart rate)."
        said = f"Acute:chronic ratio {self.value:.2f}"
        said += f", {self.trend} over the last week." if self.trend else "."
        if self.high:
            said += (f" At or above {RATIO_HIGH}, the line Gabbett 2016 called a danger zone; "
                     "that line is disputed (Impellizzeri 2020, 2021). A flag, not a stop.")
        return said

    def to_document(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "value": _round(self.value, 2),
                "trend": self.trend, "high": self.high, "history_days": self.history_days,
                "defined": self.value is not None, "recent": self.recent,
                "message": self.message}


def _value(basis: Basis | None) -> str | None:
    return None if basis is None else basis.value


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class LoadReport:
    today: date
    since: date  # the first day of the window's first week (training/weeks.py)
    weeks: tuple[WeekRow, ...]  # oldest first, empty weeks included
    days: tuple[DayRow, ...]  # every day from ``since`` to ``today``
    ratio: RatioNow
    flags: tuple[Spike, ...]  # distance spikes in the window
    runs: tuple[ScoredRun, ...]  # the runs of the window, oldest first
    rest_hr: int
    max_hr: int | None  # the maximum TRIMP used; None: no heart rate seen or given
    max_hr_given: bool
    caveat: str = CAVEAT
    heart_rate_note: str = HEART_RATE_NOTE

    @property
    def has_running(self) -> bool:
        """Whether the window holds any run: without one a chart has nothing to draw."""
        return bool(self.runs)

    @property
    def basis(self) -> Basis | None:
        """What the running loads of the window are made of."""
        return combined_basis(r.load.basis for r in self.runs if r.load is not None)

    def to_document(self) -> dict[str, Any]:
        max_from = None if self.max_hr is None else ("given" if self.max_hr_given else "seen")
        return {"schema": SCHEMA, "today": self.today.isoformat(),
                "since": self.since.isoformat(), "weeks": len(self.weeks),
                "basis": _value(self.basis),
                "sources": {"rpe": "Foster 2001", "heart_rate": "Banister TRIMP, not in "
                            "EVIDENCE.md", "ratio": "Williams 2017", "spike": "Nielsen 2014"},
                "heart_rate": {"rest": self.rest_hr, "max": self.max_hr, "max_from": max_from},
                "weekly": [w.to_document() for w in self.weeks],
                "daily": [d.to_document() for d in self.days],
                "ratio": self.ratio.to_document(), "flags": [f.to_document() for f in self.flags],
                "caveat": self.caveat, "heart_rate_note": self.heart_rate_note,
                "runs": [r.to_document() for r in self.runs]}


def _check(rest_hr: int, max_hr: int | None, weeks: int) -> None:
    low, high = REST_HR_LIMITS
    if not low <= rest_hr <= high:
        raise InputError(f"rest_hr: a resting heart rate of {low} to {high}, not {rest_hr}.",
                         field="rest_hr")
    if max_hr is not None and not rest_hr < max_hr <= 260:
        raise InputError(f"max_hr: above the resting heart rate ({rest_hr}) and at most 260, "
                         f"not {max_hr}.", field="max_hr")
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"weeks: 1 to {MAX_WEEKS} weeks, not {weeks}.", field="weeks")


def score_runs(activities: Sequence[Activity], corrections: Mapping[str, RunType] | None, *,
               max_hr: int | None, rest_hr: int = DEFAULT_REST_HR) -> tuple[ScoredRun, ...]:
    """Every run with its kind and its load, oldest first."""
    by_id = {a.id: a for a in activities if a.counts_as_running}
    scored = []
    for kind in classify_runs(by_id.values(), corrections):
        run = by_id[kind.activity_id]
        scored.append(ScoredRun(kind, run.distance_m / 1000 if run.distance_m else None,
                                run.duration_s / 60, run_load(run, max_hr=max_hr,
                                                              rest_hr=rest_hr)))
    return tuple(scored)


@dataclass
class _Tallies:
    """What each day, and each ISO week, held."""

    days: dict[date, _Tally] = field(default_factory=dict)
    weeks: dict[date, _Tally] = field(default_factory=dict)

    by: Weeks = ISO

    def on(self, day: date) -> tuple[_Tally, _Tally]:
        return (self.days.setdefault(day, _Tally()),
                self.weeks.setdefault(self.by.start(day), _Tally()))


def _tally(runs: Iterable[ScoredRun], others: Iterable[Activity],
           sessions: Iterable[LoggedSession], today: date, by: Weeks) -> _Tallies:
    found = _Tallies(by=by)
    for run in runs:
        for t in found.on(run.kind.date):
            t.add_run(run)
    for activity in others:
        for t in found.on(run_date(activity)):
            t.add_other(activity)
    for session in sessions:
        if session.date <= today:
            for t in found.on(session.date):
                t.add_session(session)
    return found


def _daily(days: Mapping[date, _Tally], first_run: date | None, since: date,
           today: date) -> tuple[tuple[DayRow, ...], RatioNow]:
    """The window's days with the EWMAs run from the first run on, and today's ratio."""
    history: list[date] = []
    if first_run is not None:
        history = [first_run + timedelta(days=n) for n in range((today - first_run).days + 1)]
    loads = [days[d].running_load if d in days else 0.0 for d in history]
    points = dict(zip(history, acute_chronic(loads), strict=True))
    rows = []
    for n in range((today - since).days + 1):
        day = since + timedelta(days=n)
        t, p = days.get(day, _Tally()), points.get(day)
        acute, chronic, ratio = (p.acute, p.chronic, p.ratio) if p and p.recent \
            else (None, None, None)
        rows.append(DayRow(day, t.running_load, t.basis, t.unscored, t.strength_load,
                           acute, chronic, ratio))
    now = points.get(today)
    value = now.ratio if now else None
    before = points.get(today - timedelta(days=TREND_DAYS))
    now_ratio = RatioNow(today, value, trend(value, before.ratio if before else None),
                         value is not None and value >= RATIO_HIGH, len(history),
                         now is not None and now.recent)
    return tuple(rows), now_ratio


def load_report(activities: Iterable[Activity], sessions: Iterable[LoggedSession], today: date,
                *, corrections: Mapping[str, RunType] | None = None,
                rest_hr: int = DEFAULT_REST_HR, max_hr: int | None = None,
                weeks: int = DEFAULT_WEEKS, by: Weeks = ISO) -> LoadReport:
    """Running and strength load for the last ``weeks`` weeks up to ``today`` (``by``'s:
    the plan's weeks, training/weeks.py): weekly
    rows, the daily series with the acute:chronic ratio (run from the first run, so the
    averages are warm), spike flags and each run's kind. ``max_hr`` defaults to the
    highest heart rate of any run; ``rest_hr`` to ``DEFAULT_REST_HR``."""
    _check(rest_hr, max_hr, weeks)
    done = [a for a in activities if run_date(a) <= today]
    peak = max_hr if max_hr is not None else max_hr_seen(done)
    runs = score_runs(done, corrections, max_hr=peak, rest_hr=rest_hr)
    found = _tally(runs, (a for a in done if not a.counts_as_running), sessions, today, by)
    since = by.start(today) - timedelta(weeks=weeks - 1)
    mondays = [since + timedelta(weeks=n) for n in range(weeks)]
    rows = tuple(WeekRow.of(m, found.weeks.get(m, _Tally())) for m in mondays)
    days, ratio = _daily(found.days, runs[0].kind.date if runs else None, since, today)
    flags = spikes({m: t.km for m, t in found.weeks.items()}, mondays)
    return LoadReport(today, since, rows, days, ratio, flags,
                      tuple(r for r in runs if r.kind.date >= since), rest_hr, peak,
                      max_hr is not None)
