"""The plan generator: a runner's profile in, a dated, progressive, safe plan out.

Deterministic: the same profile, start and length give the same plan, byte for byte.
Every generated plan is run through the checker before it is returned, so a planner
bug surfaces as a PlanError, never as unsafe advice.
"""

from __future__ import annotations

from datetime import date

from hamstride.catalogue import Catalogue, load_catalogue
from hamstride.errors import PlanError, Problem
from hamstride.training.calendar import RunCalendar
from hamstride.training.checker import check_plan
from hamstride.training.plan import Plan
from hamstride.training.planner.weeks import PlanBuilder
from hamstride.training.profile import Profile
from hamstride.training.rules import race_windows

MAX_WEEKS = 52
DEFAULT_WEEKS = 12


def generate_plan(
    profile: Profile,
    *,
    start: date,
    weeks: int = DEFAULT_WEEKS,
    catalogue: Catalogue | None = None,
    verify: bool = True,
) -> Plan:
    """Build the plan; ``verify`` runs the checker on it (always on outside benchmarks).

    A plan asked to stop before an A race is lengthened to hold it and its recovery
    (rule 11); its notes say so, or why not.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise PlanError(f"weeks: a plan has 1 to {MAX_WEEKS} weeks, not {weeks}.", field="weeks")
    found = _dates_before(profile, start)
    if found:
        first = found[0]
        raise PlanError(f"{first.field}: {first.message}", field=first.field, problems=found)
    catalogue = catalogue or load_catalogue()
    weeks, said = race_windows.weeks_through(RunCalendar(profile), start, weeks, MAX_WEEKS)
    plan = PlanBuilder(profile, start, catalogue).build(weeks)
    if said:
        plan = plan.model_copy(update={"notes": [*plan.notes, *said]})
    if verify:
        problems = check_plan(plan, profile, catalogue)
        if problems:
            listed = "; ".join(f"{p.rule} {p.date}: {p.message}" for p in problems[:3])
            raise PlanError(f"no safe plan fits this profile: {listed}")
    return plan


def _dates_before(profile: Profile, start: date) -> list[Problem]:
    """A strain after the plan start, and every race before it (all at once)."""
    found: list[Problem] = []
    strain = profile.strain
    if strain is not None and strain.date > start:
        found.append(_problem("injury.hamstring_strain.date",
                              f"{strain.date} is after the plan start {start}."))
    for i, race in enumerate(profile.running.races):
        if race.date < start:
            found.append(_problem(f"running.races[{i}].date", race.before(start) + "."))
    return found


def _problem(field: str, message: str) -> Problem:
    return Problem(field, message, message)


__all__ = ["DEFAULT_WEEKS", "MAX_WEEKS", "generate_plan"]
