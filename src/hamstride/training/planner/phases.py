"""Which phase a plan week is in, and how many strength sessions it aims for.

Build phases last 8 weeks at least (Blagrove 2018: programmes of 6-20 weeks), the full
10 weeks of the Nordic table where Nordics are possible (Mjølsnes 2004), 12 for a
performance goal (Balsalobre-Fernandez 2016: 8-12 weeks). Maintenance is one session a
week (Ronnestad 2010). After a recent strain: 2 weeks of return, 2 of rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hamstride.training.calendar import RunCalendar
from hamstride.training.profile import Profile
from hamstride.training.rules import frequency, nordic, periodisation, race_windows
from hamstride.vocabulary import Equipment, Goal, Level, Priority

RETURN, REBUILD, BUILD, MAINTENANCE, TAPER = "return", "rebuild", "build", "maintenance", "taper"
RECOVERY = "recovery"  # after an A race (rule 11)
DELOAD, IN_SEASON = periodisation.DELOAD, periodisation.IN_SEASON  # rule 14
RETURN_WEEKS = 2
REBUILD_WEEKS = 2


@dataclass(frozen=True)
class PhasePlan:
    recent_strain: bool
    build_weeks: int

    def phase(self, week: int) -> str:
        if self.recent_strain and week <= RETURN_WEEKS:
            return RETURN
        if self.recent_strain and week <= RETURN_WEEKS + REBUILD_WEEKS:
            return REBUILD
        return BUILD if week <= self.build_weeks else MAINTENANCE


def phase_plan(profile: Profile, recent_strain: bool) -> PhasePlan:
    if recent_strain:
        # the Nordic table starts in week 3 and runs its 10 weeks
        build = RETURN_WEEKS + nordic.PROGRAMME_WEEKS
    elif profile.goal is Goal.PERFORMANCE:
        build = 12
    elif Equipment.NORDIC_ANCHOR in profile.owned:
        build = nordic.PROGRAMME_WEEKS
    else:
        build = 8
    return PhasePlan(recent_strain=recent_strain, build_weeks=build)


def week_phase(phases: PhasePlan, week: int, calendar: RunCalendar, first: date,
               last: date) -> str:
    if phases.phase(week) == RETURN:
        return RETURN  # healing comes first, even in a race week
    if any(r.priority is Priority.A for r in calendar.races_between(first, last)):
        return TAPER
    if race_windows.recovering_from(calendar, first) is not None:
        return RECOVERY
    phase = phases.phase(week)
    if phase != REBUILD and periodisation.in_season(calendar, first, last):
        return IN_SEASON
    return phase


def plan_phases(phases: PhasePlan, calendar: RunCalendar, origin: date,
                weeks: int) -> list[str]:
    """The phase of each week 1..``weeks`` of the plan that began on ``origin``: every
    4th build week running is a deload week unless the build ends with it (rule 14)."""
    base = [week_phase(phases, week, calendar, origin + timedelta(days=7 * (week - 1)),
                       origin + timedelta(days=7 * week - 1)) for week in range(1, weeks + 2)]
    found, streak = [], 0
    for week in range(weeks):
        phase = base[week]
        streak = streak + 1 if phase == BUILD else 0
        # not the last week of a build: the drop to maintenance or a taper follows it
        if streak == periodisation.DELOAD_EVERY and base[week + 1] == BUILD:
            phase, streak = DELOAD, 0
        found.append(phase)
    return found


def session_target(phase: str, level: Level) -> int:
    """Strength sessions a week: 2-3 while building (Blagrove 2018), 1 to maintain."""
    if phase in (MAINTENANCE, TAPER, RECOVERY):
        return 1
    if phase == IN_SEASON:
        return min(periodisation.IN_SEASON_MAX, frequency.max_per_week(level))
    return frequency.max_per_week(level)
