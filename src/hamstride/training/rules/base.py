"""What every rule shares: the violation record and a view of a plan with its catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from hamstride.catalogue import Catalogue, Exercise
from hamstride.catalogue.model import slow_lowering
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Item, LoggedDay, Plan, Session, Week
from hamstride.training.profile import Profile
from hamstride.vocabulary import Emphasis, Muscle


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: which, on what date (if any), and why."""

    date: date | None
    rule: str
    message: str

    def to_document(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "date": self.date.isoformat() if self.date else None,
            "message": self.message,
        }


def violation(rule: str, day: date | None, message: str) -> Violation:
    return Violation(date=day, rule=rule, message=message)


@dataclass(frozen=True)
class SessionView:
    """A session with its catalogue entries looked up once."""

    week: Week
    session: Session
    exercises: tuple[Exercise, ...]

    @property
    def date(self) -> date:
        return self.session.date

    def work(self) -> list[tuple[Item, Exercise]]:
        """The items that are not the warm-up."""
        return self._work

    @cached_property
    def _work(self) -> list[tuple[Item, Exercise]]:
        return [(i, e) for i, e in zip(self.session.items, self.exercises, strict=True)
                if not e.is_warm_up]

    @cached_property
    def is_l_only(self) -> bool:
        """Only Askling L-protocol work: exempt from the session count (rule 5)."""
        work = self.work()
        return bool(work) and all(e.is_l_protocol for _, e in work)

    @cached_property
    def has_hamstring_work(self) -> bool:
        return any(e.is_hamstring_work for _, e in self.work())

    @cached_property
    def has_heavy_eccentric(self) -> bool:
        return any(e.is_heavy_eccentric for _, e in self.work())

    @cached_property
    def slow_lowering(self) -> list[str]:
        """Hamstring items lowered slowly (3 s or more): eccentric work all the same."""
        return [e.name for i, e in self.work()
                if e.is_hamstring_work and not e.is_l_protocol and slow_lowering(i.tempo)]

    @cached_property
    def has_nordic(self) -> bool:
        return any(e.id == NORDIC for _, e in self.work())

    def total_sets(self) -> int:
        """Sets of loading work: the low-load Askling L-protocol (rehabilitation, twice a
        day in the first weeks) does not count towards volume caps (rules 3, 11)."""
        return sum(len(item.sets) for item, e in self.work() if not e.is_l_protocol)

    def emphases(self) -> set[Emphasis]:
        return {e.hamstring_emphasis for _, e in self.work() if e.is_hamstring_work}

    def primary_muscles(self) -> set[Muscle]:
        return {m for _, e in self.work() for m in e.muscles.primary}


NORDIC = "nordic_hamstring_curl"


@dataclass
class PlanView:
    """A plan read against a profile and the catalogue; what the rules look at."""

    plan: Plan
    profile: Profile
    catalogue: Catalogue
    calendar: RunCalendar
    sessions: list[SessionView] = field(init=False)

    _by_week: dict[int, list[SessionView]] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = [
            SessionView(week, session, tuple(self.catalogue[i.exercise] for i in session.items))
            for week, session in self.plan.sessions()
        ]
        self._by_week = {id(week): [] for week in self.plan.weeks}
        for s in self.sessions:
            self._by_week[id(s.week)].append(s)

    @property
    def original_start(self) -> date:
        """The start of the plan this one continues (itself, for a fresh plan)."""
        carried = self.plan.continues
        return carried.original_start if carried is not None else self.plan.start

    @property
    def planned_from(self) -> date:
        """The first day the plan plans (later than its start for a plan regenerated
        from the log part-way through a week: the days before are the log's)."""
        carried = self.plan.continues
        if carried is None or carried.planned_from is None:
            return self.plan.start
        return carried.planned_from

    @property
    def weeks_done(self) -> int:
        """Whole weeks of the original plan that lie before this plan's start."""
        return max(0, (self.plan.start - self.original_start).days // 7)

    def week_dates(self, week: Week) -> tuple[date, date]:
        first = self.plan.start + timedelta(days=7 * (week.week - 1))
        return first, first + timedelta(days=6)

    def in_week(self, week: Week) -> list[SessionView]:
        return self._by_week[id(week)]

    def logged_in(self, week: Week) -> list[LoggedDay]:
        """Strength sessions the log holds in ``week`` before the plan planned it."""
        carried = self.plan.continues
        if carried is None or not carried.logged:
            return []
        first, last = self.week_dates(week)
        return [d for d in carried.logged if first <= d.date <= last]
