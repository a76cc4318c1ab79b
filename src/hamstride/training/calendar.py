"""The runner's calendar: which run falls on a date, where the races are, which days
are closed to strength work. Shared by the planner and the checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hamstride.training.profile import Profile, Race
from hamstride.vocabulary import Day, Priority, RunType

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Blackout:
    """Why no strength session may fall on a day (rule 3, Berryman 2020)."""

    race: Race
    reason: str


class RunCalendar:
    """Run types by date: the weekly pattern, with races on their dates."""

    def __init__(self, profile: Profile) -> None:
        week = profile.running.week
        self._weekly = tuple(week.on(Day.of(i)) for i in range(7))
        self.races: tuple[Race, ...] = tuple(
            sorted(profile.running.races, key=lambda r: (r.date, r.priority, r.name))
        )
        self._race_on = {race.date: race for race in self.races}
        self._blackouts = self._build_blackouts()

    def run_on(self, day: date) -> RunType:
        return RunType.RACE if day in self._race_on else self._weekly[day.weekday()]

    def is_key(self, day: date) -> bool:
        return self.run_on(day).is_key

    def key_within(self, day: date, days_ahead: int) -> date | None:
        """The first key-run date in the ``days_ahead`` days after ``day``, if any."""
        for ahead in range(1, days_ahead + 1):
            later = day + timedelta(days=ahead)
            if self.is_key(later):
                return later
        return None

    def blackout(self, day: date) -> Blackout | None:
        return self._blackouts.get(day)

    def races_between(self, first: date, last: date) -> list[Race]:
        return [race for race in self.races if first <= race.date <= last]

    def _build_blackouts(self) -> dict[date, Blackout]:
        closed: dict[date, Blackout] = {}
        for race in self.races:
            before = 2 if race.priority is Priority.A else 1
            closed.setdefault(race.date, Blackout(race, f"race day ({race.name})"))
            for n in range(1, before + 1):
                day = race.date - n * ONE_DAY
                reason = f"{n} day{'s' if n > 1 else ''} before {race.name} ({race.priority} race)"
                closed.setdefault(day, Blackout(race, reason))
        return closed
