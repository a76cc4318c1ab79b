"""Rule 11, the weeks around an A race (Berryman 2020; the lengths are product choices,
docs/rules.md says which):

- the last 7 days before an A race hold no heavy work (heavy eccentric hamstring work or
  barbell lifts): the race is run on fresh legs;
- nothing heavy is new in the last 3 weeks before an A race: a first Nordic bout or a
  first barbell lift brings 2-3 days of soreness (Behan 2023) into the taper;
- after an A race, a recovery block (7 days; 14 after a marathon, 21 after an ultra)
  holds no heavy work and, in each 7 days, at most half the sets of the build weeks
  before the race.

A plan also runs through its A races: one asked to stop before an A race (within the
52-week maximum) is lengthened to hold the race and its recovery block.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from hamstride.catalogue import Exercise
from hamstride.training.calendar import RunCalendar
from hamstride.training.profile import Race
from hamstride.training.rules import races
from hamstride.training.rules.base import NORDIC, PlanView, SessionView, Violation, violation
from hamstride.vocabulary import Equipment, Priority, RaceDistance

RULE = "11-race-windows"
PRE_RACE_DAYS = 7  # EVIDENCE.md 3: reduced volume in the last 7-10 days
NEW_WORK_DAYS = 21  # 3 weeks: the "3-4 weeks", the shorter end (product choice)
RECOVERY_DAYS = 7
LONG_RECOVERY_DAYS = {RaceDistance.MARATHON: 14, RaceDistance.ULTRA: 21}
WINDOW_DAYS = 7


def is_heavy(exercise: Exercise) -> bool:
    """Heavy work for the race windows: eccentric-biased hamstring work or a barbell lift."""
    return exercise.is_heavy_eccentric or Equipment.BARBELL in exercise.equipment


def recovery_days(race: Race) -> int:
    if race.distance is None:
        return RECOVERY_DAYS
    return LONG_RECOVERY_DAYS.get(race.distance, RECOVERY_DAYS)


def a_races(calendar: RunCalendar) -> list[Race]:
    return [r for r in calendar.races if r.priority is Priority.A]


def before_race(calendar: RunCalendar, day: date, within: int) -> Race | None:
    """The first A race 1 to ``within`` days after ``day``."""
    return next((r for r in a_races(calendar) if 0 < (r.date - day).days <= within), None)


def recovering_races(calendar: RunCalendar, day: date) -> list[Race]:
    """Every A race whose recovery block holds ``day`` (recoveries may overlap)."""
    return [r for r in a_races(calendar) if 0 < (day - r.date).days <= recovery_days(r)]


def recovering_from(calendar: RunCalendar, day: date) -> Race | None:
    """The first A race whose recovery block holds ``day``."""
    return next(iter(recovering_races(calendar, day)), None)


def heavy_closed(calendar: RunCalendar, day: date) -> str | None:
    """Why no heavy work may fall on ``day``, or None."""
    race = before_race(calendar, day, PRE_RACE_DAYS)
    if race is not None:
        return f"the last {PRE_RACE_DAYS} days before {race.name} (A race)"
    race = recovering_from(calendar, day)
    if race is not None:
        return f"the recovery after {race.name} (A race, {recovery_days(race)} days)"
    return None


def new_heavy_closed(calendar: RunCalendar, day: date) -> Race | None:
    """The A race that forbids starting heavy work on ``day``, if any."""
    return before_race(calendar, day, NEW_WORK_DAYS)


def recovery_windows(race: Race) -> list[tuple[date, date]]:
    """The recovery block after ``race`` cut into 7-day windows, first and last day."""
    first = race.date + timedelta(days=1)
    return [(first + timedelta(days=k), first + timedelta(days=k + WINDOW_DAYS - 1))
            for k in range(0, recovery_days(race), WINDOW_DAYS)]


def weeks_through(calendar: RunCalendar, start: date, asked: int,
                  most: int) -> tuple[int, list[str]]:
    """How many weeks a plan needs to hold its A races and their recovery, and what to
    tell the runner about it (lengthened, or why not)."""
    weeks, said = asked, []
    end = start + timedelta(days=7 * asked - 1)
    for race in a_races(calendar):
        if race.date <= end:
            continue
        last_day = race.date + timedelta(days=recovery_days(race))
        needed = (last_day - start).days // 7 + 1
        if needed <= most:
            weeks = max(weeks, needed)
        else:
            said.append(f"{race.name} (A race, {race.date}) lies past the {most}-week "
                        "maximum: this plan stops before its taper; make a new plan nearer "
                        "the race.")
    if weeks > asked:
        said.insert(0, f"Lengthened from {asked} to {weeks} weeks so the plan runs through "
                    "your A race, its taper and its recovery (Berryman 2020).")
    return weeks, said


# -- the checker ----------------------------------------------------------------------

def check(view: PlanView) -> Iterator[Violation]:
    yield from _heavy_in_windows(view)
    yield from _new_heavy(view)
    yield from _recovery_volume(view)


def _heavy(s: SessionView) -> list[str]:
    return [e.id for _, e in s.work() if is_heavy(e)]


def _heavy_in_windows(view: PlanView) -> Iterator[Violation]:
    for s in view.sessions:
        heavy = _heavy(s)
        why = heavy_closed(view.calendar, s.date) if heavy else None
        if why is not None:
            yield violation(RULE, s.date, f"{', '.join(heavy)} in {why}: no heavy eccentric "
                            "work or barbell lifts then (Berryman 2020).")


def _new_heavy(view: PlanView) -> Iterator[Violation]:
    """Heavy exercises first met within 3 weeks of an A race. A plan regenerated from
    the log knows only the Nordic history, so its other exercises count as known."""
    carried = view.plan.continues
    seen: set[str] = set()
    if carried is not None and carried.nordic_week > 0:
        seen.add(NORDIC)
    for s in view.sessions:
        race = new_heavy_closed(view.calendar, s.date)
        for _, e in s.work():
            known = e.id in seen or (carried is not None and e.id != NORDIC)
            if race is not None and is_heavy(e) and not known:
                yield violation(RULE, s.date, f"{e.id} is new {(race.date - s.date).days} "
                                f"days before {race.name} (A race): nothing heavy is started "
                                f"in the last {NEW_WORK_DAYS // 7} weeks (Berryman 2020; "
                                "Behan 2023).")
            seen.add(e.id)


def recovery_cap(view: PlanView, race: Race) -> int | None:
    """Most sets in each 7 days of the recovery after ``race``: half the build weeks
    before the race week (as for a taper, rule 3); None with nothing to compare."""
    totals = []
    for week in view.plan.weeks:
        first, last = view.week_dates(week)
        if first > race.date:
            break
        if not view.calendar.races_between(first, last):
            totals.append(sum(s.total_sets() for s in view.in_week(week)))
    return races.taper_cap(totals)


def _recovery_volume(view: PlanView) -> Iterator[Violation]:
    for race in a_races(view.calendar):
        cap = recovery_cap(view, race)
        if cap is None:
            continue
        for first, last in recovery_windows(race):
            total = sum(s.total_sets() for s in view.sessions if first <= s.date <= last)
            if total > cap:
                yield violation(RULE, first, f"{total} sets from {first} to {last}, in the "
                                f"recovery after {race.name} (A race); at most {cap}, half "
                                "the build weeks before it.")
