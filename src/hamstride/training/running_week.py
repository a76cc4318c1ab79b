"""The running week the runner really runs, learned from their activities.

Rules (product choices: EVIDENCE.md says nothing about learning a week; docs/running.md):

- The window is the last ``max_weeks`` complete ISO weeks (Monday to Sunday) before the
  week of ``today``, from the week of the first run in them on; with runs in fewer than
  ``min_weeks`` of them there is nothing to learn (``None``): runs older than the window
  never make a week (a runner who stopped importing keeps the profile's week).
- A weekday is a run day when the runner ran on it in at least half of those weeks.
- A day with several runs counts once, as its key-most run (``runs.PRECEDENCE``).
- A run day's kind is the kind seen there most often; a key kind beats easy on a tie, and
  between key kinds the precedence decides.
- The long-run day is the run day with the most long runs (ties: more weeks run there,
  then the later day): it is ``long`` even when long runs were not its most frequent kind.
  Another day that mostly held long runs stays ``long`` too (back-to-back long runs).
- A run the runner corrected to ``rest`` is not a run here.

``merge_week``: the learned week replaces the profile's, so a day the profile has and the
runner no longer runs becomes a rest day. The profile's dated races are not touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hamstride.errors import InputError
from hamstride.training.activity import Activity
from hamstride.training.analytics import week_start
from hamstride.training.profile import RunningWeek
from hamstride.training.runs import PRECEDENCE, RunKind, classify_runs, run_date
from hamstride.vocabulary import Day, RunType

MIN_WEEKS = 4
MAX_WEEKS = 8
DAY_NAMES = {Day.MON: "Monday", Day.TUE: "Tuesday", Day.WED: "Wednesday",
             Day.THU: "Thursday", Day.FRI: "Friday", Day.SAT: "Saturday", Day.SUN: "Sunday"}
KIND_NAMES = {RunType.REST: "a rest day", RunType.EASY: "an easy run",
              RunType.INTERVALS: "intervals", RunType.TEMPO: "a tempo run",
              RunType.HILLS: "hills", RunType.LONG: "the long run", RunType.RACE: "a race"}
_RANK = {kind: n for n, kind in enumerate(PRECEDENCE)}


@dataclass(frozen=True)
class DayEvidence:
    """What the window showed on one weekday: the "why" of its learned kind."""

    day: Day
    weeks_run: int  # weeks with at least one run on this weekday
    kinds: dict[RunType, int]  # weeks by the kind of that day's (key-most) run

    def to_document(self) -> dict[str, Any]:
        return {"day": self.day.value, "weeks_run": self.weeks_run,
                "kinds": {kind.value: n for kind, n in self.kinds.items()}}


@dataclass(frozen=True)
class LearnedWeek:
    week: RunningWeek
    weeks: int  # complete weeks looked at
    since: date  # the Monday of the first
    days: tuple[DayEvidence, ...]  # Monday first, all seven
    long_day: Day | None

    def evidence(self, day: Day) -> DayEvidence:
        return self.days[day.weekday]

    def to_document(self) -> dict[str, Any]:
        return {"week": self.week.model_dump(mode="json"), "weeks": self.weeks,
                "since": self.since.isoformat(),
                "long_day": None if self.long_day is None else self.long_day.value,
                "days": [d.to_document() for d in self.days]}


def _window(runs: Sequence[RunKind], today: date, min_weeks: int,
            max_weeks: int) -> tuple[date, int] | None:
    """The first Monday and the number of complete weeks to learn from, if enough."""
    this_monday = week_start(today)
    oldest = this_monday - timedelta(weeks=max_weeks)
    # only recent runs: a runner who stopped importing months ago has no learned week
    earlier = [r.date for r in runs if oldest <= r.date < this_monday]
    if not earlier:
        return None
    weeks = min(max_weeks, (this_monday - week_start(min(earlier))).days // 7)
    # weeks with runs, not weeks since the first run: two weeks of runs in the last eight
    # say nothing about the usual week (they would learn a week of rest days)
    if len({week_start(day) for day in earlier}) < min_weeks:
        return None
    return this_monday - timedelta(weeks=weeks), weeks


def _key_most(kinds: Iterable[RunType]) -> RunType:
    return min(kinds, key=_RANK.__getitem__)


def most_frequent(kinds: Mapping[RunType, int]) -> RunType:
    """The kind counted most often (``kinds`` is not empty); on a tie a key kind beats
    easy, then the precedence decides."""
    return max(kinds, key=lambda kind: (kinds[kind], kind.is_key, -_RANK[kind]))


def _evidence(runs: Sequence[RunKind], since: date, weeks: int) -> tuple[DayEvidence, ...]:
    slots: dict[tuple[date, int], list[RunType]] = {}
    end = since + timedelta(weeks=weeks)
    for run in runs:
        if since <= run.date < end and run.kind is not RunType.REST:
            slots.setdefault((week_start(run.date), run.date.weekday()), []).append(run.kind)
    counts: list[Counter[RunType]] = [Counter() for _ in Day]
    for (_, weekday), kinds in slots.items():
        counts[weekday][_key_most(kinds)] += 1
    return tuple(DayEvidence(day, sum(c.values()), dict(sorted(c.items(), key=_by_rank)))
                 for day, c in zip(Day, counts, strict=True))


def _by_rank(item: tuple[RunType, int]) -> int:
    return _RANK[item[0]]


def _long_day(run_days: Sequence[DayEvidence]) -> Day | None:
    with_long = [d for d in run_days if d.kinds.get(RunType.LONG)]
    if not with_long:
        return None
    best = max(with_long, key=lambda d: (d.kinds[RunType.LONG], d.weeks_run, d.day.weekday))
    return best.day


def _kind(evidence: DayEvidence, long_day: Day | None) -> RunType:
    return RunType.LONG if evidence.day is long_day else most_frequent(evidence.kinds)


def learn_week(activities: Iterable[Activity], today: date, *,
               corrections: Mapping[str, RunType] | None = None, min_weeks: int = MIN_WEEKS,
               max_weeks: int = MAX_WEEKS) -> LearnedWeek | None:
    """The running week of the last ``min_weeks`` to ``max_weeks`` complete weeks (rules in
    the module docstring); ``None`` when fewer than ``min_weeks`` weeks have data."""
    if not 1 <= min_weeks <= max_weeks <= 52:
        raise InputError(f"weeks to learn from: 1 <= min_weeks <= max_weeks <= 52, not "
                         f"{min_weeks} and {max_weeks}.", field="min_weeks")
    runs = classify_runs((a for a in activities if run_date(a) <= today), corrections)
    window = _window([r for r in runs if r.kind is not RunType.REST], today, min_weeks,
                     max_weeks)
    if window is None:
        return None
    since, weeks = window
    days = _evidence(runs, since, weeks)
    run_days = [d for d in days if 2 * d.weeks_run >= weeks]
    long_day = _long_day(run_days)
    week = RunningWeek(**{d.day.value: _kind(d, long_day) for d in run_days})
    return LearnedWeek(week, weeks, since, days, long_day)


# -- the profile's week and the learned one --------------------------------------------

def merge_week(profile_week: RunningWeek, learned: LearnedWeek | None) -> RunningWeek:
    """The week a plan should follow: the learned one replaces the profile's entirely (a
    day the runner no longer runs becomes rest); without one, the profile's stands."""
    return profile_week if learned is None else learned.week


@dataclass(frozen=True)
class DayChange:
    day: Day
    before: RunType
    after: RunType

    def to_document(self) -> dict[str, str]:
        return {"day": self.day.value, "before": self.before.value, "after": self.after.value}


def week_changes(old: RunningWeek, new: RunningWeek) -> list[DayChange]:
    """The days whose run changed, Monday first."""
    return [DayChange(day, old.on(day), new.on(day)) for day in Day if old.on(day) != new.on(day)]


def describe(changes: Iterable[DayChange], learned: LearnedWeek) -> list[str]:
    """One plain-English sentence a change, with the weeks that showed it, e.g.
    "Tuesday is now intervals (5 of the last 6 weeks; it was an easy run)"."""
    said = []
    for change in changes:
        seen = learned.evidence(change.day)
        count = (seen.weeks_run if change.after is RunType.REST
                 else seen.kinds.get(change.after, 0))
        shown = f"ran on it {count}" if change.after is RunType.REST else f"{count}"
        said.append(f"{DAY_NAMES[change.day]} is now {KIND_NAMES[change.after]} ({shown} of "
                    f"the last {learned.weeks} weeks; it was {KIND_NAMES[change.before]})")
    return said
