"""Rule 14, periodisation (product choices; EVIDENCE.md has no deload or in-season
numbers): no more than 3 build weeks running at full volume, the 4th is a deload week (unless
the build ends with it: maintenance or a taper follows) at
most 60% of the sets of the heaviest of the 3 before it (or every item at a single set),
intensity kept and the Nordic table unchanged; in season (3 or
more races with at most 16 days between each), 1-2 strength sessions a week at half the
build volume, the load kept: strength is maintained, not built (Ronnestad 2010 kept it
with one session a week).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from hamstride.catalogue import Exercise
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Item, Week
from hamstride.training.rules.base import NORDIC, PlanView, Violation, violation

RULE = "14-periodisation"
BUILD, DELOAD, IN_SEASON = "build", "deload", "in-season"
DELOAD_EVERY = 4  # the 4th build week is a deload week
DELOAD_SHARE = 0.6  # of the heaviest of the 3 weeks before it
SEASON_GAP_DAYS = 16  # races this close run as one season (every 2 weeks, give or take)
SEASON_RACES = 3
SEASON_LEAD_DAYS = 7  # the season starts the week before its first race
IN_SEASON_MAX = 2
IN_SEASON_SHARE = 0.5  # half the build volume
IN_SEASON_RM_STEP = 2  # heavy lifts one rung below their lightest (rules 13, 14)
HEALING = frozenset({"return", "rebuild"})  # after a strain: rule 8 rules those weeks


def _lightened(view: PlanView, week: Week) -> list[tuple[Item, Exercise]]:
    """The items a deload or the season halves: not the warm-up, the L-protocol or the
    Nordics, whose table runs through them (its volumes are low already; Mjølsnes 2004)."""
    return [(i, e) for s in view.in_week(week) for i, e in s.work()
            if not (e.is_warm_up or e.is_l_protocol or e.id == NORDIC)]


def seasons(calendar: RunCalendar) -> list[tuple[date, date]]:
    """Spans of racing every 2 weeks: runs of 3+ races no more than 16 days apart, from
    the week before the first to the last."""
    found: list[tuple[date, date]] = []
    run: list[date] = []
    for day in sorted({r.date for r in calendar.races}):
        if run and (day - run[-1]).days > SEASON_GAP_DAYS:
            if len(run) >= SEASON_RACES:
                found.append((run[0] - timedelta(days=SEASON_LEAD_DAYS), run[-1]))
            run = []
        run.append(day)
    if len(run) >= SEASON_RACES:
        found.append((run[0] - timedelta(days=SEASON_LEAD_DAYS), run[-1]))
    return found


def in_season(calendar: RunCalendar, first: date, last: date) -> bool:
    return any(start <= last and first <= end for start, end in seasons(calendar))


def check(view: PlanView) -> Iterator[Violation]:
    streak = 0  # full-volume build weeks running
    volumes: list[int] = []  # their sets (weeks the log began are not comparable)
    heaviest_build = 0
    weeks = view.plan.weeks
    for n, week in enumerate(weeks):
        first, last = view.week_dates(week)
        total = sum(len(i.sets) for i, _ in _lightened(view, week))
        if week.phase == BUILD:
            streak += 1
            if not view.logged_in(week):
                volumes.append(total)
                heaviest_build = max(heaviest_build, total)
            ends_build = n + 1 == len(weeks) or weeks[n + 1].phase != BUILD
            if streak >= DELOAD_EVERY and not ends_build:
                yield violation(RULE, first, f"week {week.week} is a 4th build week running "
                                "at full volume: every 4th week of a build is a deload week "
                                "(a product choice, docs/rules.md).")
                streak, volumes = 0, []
            continue
        single = all(len(i.sets) <= 1 for i, _ in _lightened(view, week))  # nothing to halve
        if week.phase == DELOAD and volumes and total > DELOAD_SHARE * max(volumes) \
                and not single:
            yield violation(RULE, first, f"deload week {week.week} has {total} sets, more "
                            f"than 60% of the {max(volumes)} of the build weeks before it.")
        streak, volumes = 0, []
        sessions = [s for s in view.in_week(week) if not s.is_l_only]
        if (week.phase not in HEALING and len(sessions) > IN_SEASON_MAX
                and in_season(view.calendar, first, last)):
            yield violation(RULE, first, f"week {week.week} is in season (a race every 2 "
                            f"weeks) with {len(sessions)} strength sessions: 1-2 keep the "
                            "strength without tiring the legs for the races (Ronnestad 2010).")
        if week.phase == IN_SEASON and heaviest_build and not single and \
                total > IN_SEASON_SHARE * heaviest_build:
            yield violation(RULE, first, f"in-season week {week.week} has {total} sets, more "
                            f"than half the {heaviest_build} of the heaviest build week.")
