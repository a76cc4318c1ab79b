"""Rule 5, frequency: 2-3 sessions a week while building (Blagrove 2018), at least one
in maintenance (Ronnestad 2010), 48 h between heavy eccentric sessions (Behan 2023),
never 14 days without hamstring work (Ripley 2021; up to 20 around an A race), only the
runner's strength days, at most one strength session a day, and at most 2 a week for a
novice (a product choice: the low end of Blagrove 2018's 2-3 while strength is new), the
sessions the log holds in a week a regenerated plan picks up counting too. Askling L-protocol
sessions (Askling 2013) do not count as strength sessions and may add a second bout.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise

from hamstride.training.rules import race_windows
from hamstride.training.rules.base import PlanView, SessionView, Violation, violation
from hamstride.vocabulary import Day, Level, Priority

RULE = "5-frequency"
MIN_BUILD_WEEKS = 8
BUILD_PHASES = frozenset({"build", "deload", "return", "rebuild"})
IN_SEASON = "in-season"  # maintained, not built (rule 14)
RECOVERY = "recovery"
MAX_PER_WEEK = 3
NOVICE_MAX_PER_WEEK = 2
ECCENTRIC_SPACING_DAYS = 2
MAX_GAP_DAYS = 13
MAX_GAP_AROUND_A_RACE = 20


def max_per_week(level: Level) -> int:
    """The most strength sessions a week: 3 (Blagrove 2018), 2 for a novice."""
    return NOVICE_MAX_PER_WEEK if level is Level.NOVICE else MAX_PER_WEEK


def is_building(week_number: int, phase: str) -> bool:
    if phase == IN_SEASON:
        return False
    return week_number <= MIN_BUILD_WEEKS or phase in BUILD_PHASES


def check(view: PlanView) -> Iterator[Violation]:
    yield from _weekly_counts(view)
    yield from _days(view)
    yield from _eccentric_spacing(view)
    yield from _hamstring_gaps(view)


def _open_days(view: PlanView, first: date, last: date) -> list[date]:
    """Strength days in a span that no race closes (rule 3 comes first)."""
    allowed = {d.weekday for d in view.profile.strength_days}
    span = (last - first).days + 1
    days = (first + timedelta(days=i) for i in range(span))
    return [d for d in days if d.weekday() in allowed and view.calendar.blackout(d) is None]


def _recovery_week(view: PlanView, phase: str, first: date) -> bool:
    """A week that opens in the recovery after an A race may rest (rule 11)."""
    return phase == RECOVERY and race_windows.recovering_from(view.calendar, first) is not None


def _weekly_counts(view: PlanView) -> Iterator[Violation]:
    for week in view.plan.weeks:
        first, last = view.week_dates(week)
        count = sum(1 for s in view.in_week(week) if not s.is_l_only)
        count += len(view.logged_in(week))  # what the log holds counts too
        raced = bool(view.calendar.races_between(first, last))
        cap = max_per_week(view.profile.level)
        if count > cap:
            yield violation(RULE, first, f"week {week.week} has {count} strength sessions; "
                            f"at most {cap} a week for a {view.profile.level.value} runner "
                            "(2-3 a week is the evidence, Blagrove 2018).")
        if raced or _recovery_week(view, week.phase, first):
            continue
        # days already past when the plan was made could only be filled by the log
        open_days = len(_open_days(view, max(first, view.planned_from), last))
        if is_building(week.week + view.weeks_done, week.phase) and count < min(2, open_days):
            yield violation(RULE, first, f"week {week.week} is a build week with {count} "
                            "strength session(s); building needs 2-3 (Blagrove 2018).")
        elif count < min(1, open_days):
            yield violation(RULE, first, f"week {week.week} has no strength session; "
                            "maintenance needs at least one (Ronnestad 2010).")


def _days(view: PlanView) -> Iterator[Violation]:
    allowed = set(view.profile.strength_days)
    by_date: dict[date, list[SessionView]] = {}
    for s in view.sessions:
        by_date.setdefault(s.date, []).append(s)
        day = Day.of(s.date.weekday())
        if day not in allowed:
            yield violation(RULE, s.date, f"a session on a {day.value}, which is not one of "
                            "the profile's strength days.")
    for on, sessions in by_date.items():
        strength = [s for s in sessions if not s.is_l_only]
        if len(strength) > 1 or len(sessions) > 2:
            yield violation(RULE, on, f"{len(sessions)} sessions on one day; at most one "
                            "strength session, plus one extra L-protocol bout (Askling 2013).")


def _eccentric_spacing(view: PlanView) -> Iterator[Violation]:
    dates = sorted({s.date for s in view.sessions if s.has_heavy_eccentric})
    carried = view.plan.continues
    if carried is not None and carried.last_heavy_eccentric is not None:
        dates.insert(0, carried.last_heavy_eccentric)
    for before, after in pairwise(dates):
        if (after - before).days < ECCENTRIC_SPACING_DAYS:
            yield violation(RULE, after, f"heavy eccentric hamstring work on {before} and "
                            f"{after}: leave 48 h between them (Behan 2023).")


def _hamstring_gaps(view: PlanView) -> Iterator[Violation]:
    """No 14-day gap (20 around an A race), unless races closed every day that could
    have filled it."""
    last_day = view.plan.start + timedelta(days=7 * len(view.plan.weeks) - 1)
    worked = sorted({s.date for s in view.sessions if s.has_hamstring_work})
    # the plan's first day (or the log's last hamstring work, unless the gap had already
    # opened before the plan began: the past is not the plan's to fix) and its last day
    carried = view.plan.continues
    first = view.planned_from
    last = carried.last_hamstring if carried is not None else None
    if last is not None and (first - last).days <= MAX_GAP_DAYS:
        first = min(first, last)
    dates = [first, *worked, last_day]
    a_races = [r.date for r in view.calendar.races if r.priority is Priority.A]
    for before, after in pairwise(dates):
        gap = (after - before).days
        limit = MAX_GAP_DAYS
        if any(before < race <= after for race in a_races):
            limit = MAX_GAP_AROUND_A_RACE
        # only days inside the plan could have filled it: the past is the log's
        window_start = max(before + timedelta(days=1), view.planned_from)
        if gap > limit and _open_days(view, window_start, before + timedelta(days=limit)):
            yield violation(RULE, after, f"{gap} days without hamstring work since {before}; "
                            "a gap of 14 days or more loses the benefit (Ripley 2021).")
