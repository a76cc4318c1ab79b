"""One athlete at a glance, for the coach's roster: did they do it, does it hurt, did
their running jump, are they lopsided, what is next. Pure: no clock, no store.

Thresholds come from the rules they stand for: pain above 5/10 during, or 5/10 or more
the next morning, is too much (Silbernagel 2007, training/pain.py); a rise of more than
30% in weekly running distance over two weeks is worth a look (Nielsen 2014,
training/load.py); a between-leg difference of 15% or more in a field test went with more
hamstring injuries (Bourne 2015, training/analytics.py). Product choices (docs/rules.md):
the roster looks at the last 4 weeks for adherence and the last 14 days for pain; "rising"
is this week's highest pain above the week before's and above the safe 0-3.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from hamstride.training.analytics import IMBALANCE_PCT, field_test_balance
from hamstride.training.load import spike_percent
from hamstride.training.log import FieldTest, TestKind
from hamstride.training.pain import SETTLED, TOO_MUCH_DURING, TOO_MUCH_MORNING
from hamstride.training.profile import Race

ADHERENCE_DAYS = 28
PAIN_DAYS = 14
WEEK = timedelta(days=7)


class Logged(Protocol):
    """What the roster reads of a logged session: a ``LoggedSession``, or its
    ``SessionPain`` (what a coach's store reads for many athletes at once)."""

    @property
    def date(self) -> date: ...

    @property
    def max_pain(self) -> int | None: ...

    @property
    def morning_pain(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class SessionPain:
    """A logged session as the roster reads it: its day, its highest pain (overall or in
    any set, ``LoggedSession.max_pain``) and the next morning's."""

    date: date
    max_pain: int | None
    morning_pain: int | None


@dataclass(frozen=True, slots=True)
class Flag:
    code: str  # pain_over_5, pain_rising, not_settled, load_spike, asymmetry
    message: str

    def to_document(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class AthleteStatus:
    planned: int  # planned sessions due in the last 4 weeks
    done: int
    last_session: date | None
    pain: tuple[Flag, ...]
    km_week: float  # running distance in the last 7 days
    km_before: float  # in the 7 days before them
    load_spike: Flag | None
    asymmetry: float | None  # the latest strength field test's difference, percent
    asymmetry_flag: Flag | None
    next_race: Race | None

    @property
    def adherence(self) -> float | None:
        return None if not self.planned else round(100 * self.done / self.planned)

    @property
    def load_trend(self) -> str | None:
        """rising, falling or steady, this week against the last (10% either way)."""
        if not self.km_week and not self.km_before:
            return None
        if self.km_week > self.km_before * 1.1:
            return "rising"
        return "falling" if self.km_week < self.km_before * 0.9 else "steady"

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in (*self.pain, self.load_spike, self.asymmetry_flag) if f)

    def to_document(self) -> dict[str, Any]:
        race = self.next_race
        return {"planned": self.planned, "done": self.done, "adherence": self.adherence,
                "last_session": self.last_session.isoformat() if self.last_session else None,
                "pain_flags": [f.to_document() for f in self.pain],
                "km_last_7_days": round(self.km_week, 1),
                "km_7_days_before": round(self.km_before, 1), "load_trend": self.load_trend,
                "load_spike": self.load_spike.to_document() if self.load_spike else None,
                "asymmetry_percent": self.asymmetry,
                "asymmetry_flag": (self.asymmetry_flag.to_document()
                                   if self.asymmetry_flag else None),
                "next_race": None if race is None else {
                    "name": race.name, "date": race.date.isoformat(),
                    "priority": race.priority.value}}


def athlete_status(planned_days: Iterable[date], sessions: Sequence[Logged],
                   tests: Sequence[FieldTest], runs: Iterable[tuple[date, float]],
                   races: Iterable[Race], today: date) -> AthleteStatus:
    """The athlete's status on ``today`` from the days sessions were planned on, the log,
    field tests, runs (day, km) and races."""
    since = today - timedelta(days=ADHERENCE_DAYS - 1)
    logged = [s for s in sessions if s.date <= today]
    unmatched = Counter(s.date for s in logged if s.date >= since)
    due = done = 0
    for day in sorted(d for d in planned_days if since <= d <= today):
        if unmatched[day] > 0:
            unmatched[day] -= 1
            due, done = due + 1, done + 1
        elif day < today:  # today's session is not missed before the day is over
            due += 1
    km_week, km_before, km_base = _km(runs, today)
    spike = spike_percent(km_week, km_base)
    return AthleteStatus(
        planned=due, done=done,
        last_session=max((s.date for s in logged), default=None),
        pain=_pain_flags(logged, today), km_week=km_week, km_before=km_before,
        load_spike=None if spike is None else Flag(
            "load_spike", f"{km_week:.0f} km in the last 7 days, {spike:.0f}% above the "
            f"{km_base:.0f} km two weeks before (over 30% is worth a look, Nielsen 2014)"),
        **_asymmetry(tests, today),
        next_race=min((r for r in races if r.date >= today), key=lambda r: r.date,
                      default=None))


def _km(runs: Iterable[tuple[date, float]], today: date) -> tuple[float, float, float]:
    """Kilometres in the last 7 days, the 7 before, and the 7 two weeks before."""
    totals = [0.0, 0.0, 0.0]
    for day, km in runs:
        back = (today - day).days
        if 0 <= back < 21:
            totals[back // 7] += km
    return totals[0], totals[1], totals[2]


def _pain_flags(logged: Sequence[Logged], today: date) -> tuple[Flag, ...]:
    recent = [s for s in logged if (today - s.date).days < PAIN_DAYS]
    flags = []
    worst = max(recent, key=lambda s: (s.max_pain or 0, s.date), default=None)
    if worst is not None and (worst.max_pain or 0) > TOO_MUCH_DURING:
        flags.append(Flag("pain_over_5", f"pain {worst.max_pain}/10 on {worst.date} (above "
                          "5/10 is too much, Silbernagel 2007)"))
    this_week = [s.max_pain or 0 for s in recent if (today - s.date).days < 7]
    week_before = [s.max_pain or 0 for s in recent if (today - s.date).days >= 7]
    now, before = max(this_week, default=0), max(week_before, default=0)
    if now > SETTLED and now > before and week_before:
        flags.append(Flag("pain_rising", f"pain rising: {before}/10 the week before, "
                          f"{now}/10 this week"))
    unsettled = [s for s in recent if s.morning_pain is not None
                 and s.morning_pain >= TOO_MUCH_MORNING]
    if unsettled:
        last = unsettled[-1]
        flags.append(Flag("not_settled", f"{last.morning_pain}/10 the morning after "
                          f"{last.date}: not settled (Silbernagel 2007)"))
    return tuple(flags)


ASYMMETRY_KINDS = tuple(k.value for k in TestKind if k is not TestKind.SELF_CHECK)
"""The tests the roster's asymmetry reads (its latest one on or before the day): a
roster needs only that one per athlete (store.coaching.latest_field_tests)."""


def _asymmetry(tests: Sequence[FieldTest], today: date) -> dict[str, Any]:
    strength = [t for t in tests if t.date <= today and t.kind is not TestKind.SELF_CHECK]
    if not strength:
        return {"asymmetry": None, "asymmetry_flag": None}
    latest = field_test_balance(max(strength, key=lambda t: (t.date, t.id)))
    flag = None
    if latest.percent is not None and latest.percent >= IMBALANCE_PCT[0] and latest.weaker:
        flag = Flag("asymmetry", f"{latest.weaker.value} {latest.percent:.0f}% weaker in the "
                    f"{latest.kind.value.replace('_', ' ')} test of {latest.date} (15% or more "
                    "went with more hamstring injuries, Bourne 2015)")
    return {"asymmetry": latest.percent, "asymmetry_flag": flag}
