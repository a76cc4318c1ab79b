"""The plan checker: runs every rule on any plan, generated or hand-written."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hamstride.catalogue import Catalogue
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Plan
from hamstride.training.profile import Profile
from hamstride.training.rules import (
    balance,
    equipment,
    frequency,
    key_runs,
    level,
    nordic,
    races,
    strain,
    structure,
    time,
)
from hamstride.training.rules.base import PlanView, Violation

RULES: tuple[Callable[[PlanView], Iterator[Violation]], ...] = (
    time.check,
    equipment.check,
    races.check,
    key_runs.check,
    frequency.check,
    balance.check,
    nordic.check,
    strain.check,
    level.check,
    structure.check,
)


def check_plan(plan: Plan, profile: Profile, catalogue: Catalogue) -> list[Violation]:
    """Every violation of every rule, ordered by date then rule.

    Unknown exercise ids raise CatalogueError (the plan cannot be read, let alone judged).
    """
    view = PlanView(plan, profile, catalogue, RunCalendar(profile))
    found = [v for rule in RULES for v in rule(view)]
    return sorted(found, key=lambda v: (v.date is not None, v.date or plan.start, v.rule,
                                        v.message))
