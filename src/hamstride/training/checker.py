"""The plan checker: runs every rule on any plan, generated or hand-written."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from hamstride.catalogue import Catalogue
from hamstride.errors import PlanFormatError
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Plan
from hamstride.training.profile import Profile
from hamstride.training.rules import (
    balance,
    care,
    equipment,
    frequency,
    intensity,
    key_runs,
    level,
    nordic,
    pain,
    periodisation,
    plyometrics,
    race_windows,
    races,
    strain,
    structure,
    time,
)
from hamstride.training.rules.base import PlanView, Violation


def _known_exercises(plan: Plan, catalogue: Catalogue, source: str) -> None:
    """Every item names a catalogue exercise; else say where, and what was meant."""
    for w, week in enumerate(plan.weeks):
        for s, session in enumerate(week.sessions):
            for i, item in enumerate(session.items):
                if item.exercise not in catalogue:
                    close = difflib.get_close_matches(item.exercise, list(catalogue), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise PlanFormatError(
                        f"{source}: weeks[{w}].sessions[{s}].items[{i}].exercise: unknown exercise "
                        f"'{item.exercise}'{hint}; it is not in the exercise catalogue.",
                        field=f"weeks[{w}].sessions[{s}].items[{i}].exercise",
                        cli_hint="`hamstride exercises` lists them.")


RULES: tuple[Callable[[PlanView], Iterator[Violation]], ...] = (
    time.check,
    equipment.check,
    races.check,
    race_windows.check,
    key_runs.check,
    frequency.check,
    balance.check,
    nordic.check,
    pain.check,
    strain.check,
    level.check,
    structure.check,
    intensity.check,
    periodisation.check,
    plyometrics.check,
    care.check,
)


def check_plan(plan: Plan, profile: Profile, catalogue: Catalogue, *,
               source: str = "plan") -> list[Violation]:
    """Every violation of every rule, ordered by date then rule.

    Unknown exercise ids raise PlanFormatError (the plan cannot be read, let alone judged).
    """
    _known_exercises(plan, catalogue, source)
    view = PlanView(plan, profile, catalogue, RunCalendar(profile))
    found = [v for rule in RULES for v in rule(view)]
    return sorted(found, key=lambda v: (v.date is not None, v.date or plan.start, v.rule,
                                        v.message))
