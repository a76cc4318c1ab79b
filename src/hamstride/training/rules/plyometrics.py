"""Rule 15, plyometrics: jumps, hops and bounds, the speed-strength that improved running
economy in 6-9 weeks (Spurrs 2003, Turner 2003, Paavolainen 1999; sources added by us,
docs/evidence-added.md). Who, when and how much are product choices:

- for a performance goal at intermediate level or above (pogo jumps; hops and bounding
  are advanced exercises), never after a recent strain before the return criteria allow
  heavy hamstring loading, nor while pain pauses it;
- in build weeks only, in one session a week: none in deload, in-season, maintenance,
  taper, recovery, return or rebuild weeks (Berryman 2020: 4 weeks without explosive
  strength kept the economy gain, so leaving them out there costs little);
- on fresh legs: never on a key-run day or the day before one (Doma & Deakin 2013), in
  the last 7 days before an A race, or in the recovery block after one (rule 11);
- at most 120 ground contacts in a session (each rep is a contact; per side, two).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hamstride.catalogue import Exercise
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Item, RepSet
from hamstride.training.profile import Profile
from hamstride.training.rules import race_windows, strain
from hamstride.training.rules.base import PlanView, SessionView, Violation, violation
from hamstride.vocabulary import Goal, Level

RULE = "15-plyometrics"
MAX_CONTACTS = 120  # ground contacts a session (product choice)
SESSIONS_PER_WEEK = 1
PHASE = "build"
SOURCES_TEXT = "Spurrs 2003, Turner 2003"


def suits(profile: Profile) -> bool:
    """Plyometrics are for a performance goal at intermediate level or above."""
    return profile.goal is Goal.PERFORMANCE and profile.level.rank >= Level.INTERMEDIATE.rank


def contacts(item: Item) -> int:
    """Ground contacts of a plyometric item: every rep lands once (per side: twice)."""
    reps = sum(s.reps for s in item.sets if isinstance(s, RepSet))
    return reps * (2 if item.per_side else 1)


def closed(calendar: RunCalendar, day: date) -> str | None:
    """Why ``day`` takes no plyometrics whatever the phase, or None."""
    today = calendar.run_on(day)
    if today.is_key:
        return f"a {today.value} run the same day: jumps need fresh legs"
    tomorrow = calendar.key_within(day, 1)
    if tomorrow is not None:
        return f"a {calendar.run_on(tomorrow).value} run the next day (Doma & Deakin 2013)"
    race = race_windows.before_race(calendar, day, race_windows.PRE_RACE_DAYS)
    if race is not None:
        return f"the last {race_windows.PRE_RACE_DAYS} days before the A race on {race.date}"
    race = race_windows.recovering_from(calendar, day)
    if race is not None:
        return f"the recovery after the A race on {race.date}"
    return None


def check(view: PlanView) -> Iterator[Violation]:
    for week in view.plan.weeks:
        with_plyo = [s for s in view.in_week(week) if _plyometric(s)]
        if len(with_plyo) > SESSIONS_PER_WEEK:
            yield violation(RULE, with_plyo[1].date, f"week {week.week} has plyometrics in "
                            f"{len(with_plyo)} sessions: one a week is enough "
                            "(a product choice, docs/rules.md).")
        for s in with_plyo:
            yield from _session(view, s)


def _plyometric(s: SessionView) -> list[tuple[Item, Exercise]]:
    return [(i, e) for i, e in s.work() if e.is_plyometric]


def _session(view: PlanView, s: SessionView) -> Iterator[Violation]:
    names = ", ".join(e.name for _, e in _plyometric(s))
    if not suits(view.profile):
        yield violation(RULE, s.date, f"{names} for a {view.profile.level.value} runner with "
                        f"the goal {view.profile.goal.value}: plyometrics are for a "
                        "performance goal at intermediate level or above.")
    if s.week.phase != PHASE:
        yield violation(RULE, s.date, f"{names} in a {s.week.phase} week: plyometrics "
                        "belong in build weeks (Berryman 2020: the gain keeps for weeks "
                        "without them).")
    why = closed(view.calendar, s.date)
    if why is not None:
        yield violation(RULE, s.date, f"{names} on {s.date}: no plyometrics with {why}.")
    held = _held_back(view, s.date)
    if held is not None:
        yield violation(RULE, s.date, f"{names} on {s.date}: {held}.")
    total = sum(contacts(i) for i, _ in _plyometric(s))
    if total > MAX_CONTACTS:
        yield violation(RULE, s.date, f"'{s.session.title}' has {total} ground contacts, "
                        f"more than {MAX_CONTACTS} in a session.")


def _held_back(view: PlanView, day: date) -> str | None:
    """A recent strain whose criteria are not met, or a pain pause, rules them out."""
    carried = view.plan.continues
    if carried is not None and carried.pain_pause_since is not None:
        return "heavy hamstring work is paused by pain, and jumps wait with it"
    if not strain.recent_strain(view.profile, view.original_start):
        return None
    state = carried.return_state if carried is not None else None
    if state is None or state.heavy_from is None or day < state.heavy_from:
        return ("no plyometrics after a recent strain until the return criteria allow heavy "
                "hamstring loading (Askling 2013; Lorenz & Domzalski 2020)")
    return None
