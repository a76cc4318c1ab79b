"""Rule 2: only the equipment the runner has; each item lists what it uses. Required
equipment with a household stand-in in the catalogue (a towel for a slider) may be
left out by a runner who does not own it."""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.vocabulary import Equipment

RULE = "2-equipment"


def check(view: PlanView) -> Iterator[Violation]:
    owned = view.profile.owned
    for s in view.sessions:
        for item, exercise in zip(s.session.items, s.exercises, strict=True):
            listed = set(item.equipment)
            # a household stand-in (a towel for a slider) replaces equipment not owned
            required = set(exercise.needed_equipment) | (set(exercise.equipment) & owned)
            missing_from_list = required - listed
            if missing_from_list:
                yield violation(RULE, s.date, f"{exercise.id} needs "
                                f"{_names(missing_from_list)} but its item does not list it.")
            not_owned = listed - owned
            if not_owned:
                yield violation(RULE, s.date, f"{exercise.id} uses {_names(not_owned)}, "
                                "which the profile does not have.")
            unusable = listed - set(exercise.equipment) - set(exercise.optional_equipment)
            if unusable:
                yield violation(RULE, s.date, f"{exercise.id} lists {_names(unusable)}, "
                                "which that exercise does not use.")


def _names(items: set[Equipment]) -> str:
    return ", ".join(sorted(items))
