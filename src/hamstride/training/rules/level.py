"""Rule 9, level: exercises within the runner's level, and novices start gently
(2 sets an item in week 1; Presland 2018 and Lacome 2020: low volume works)."""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.vocabulary import Level

RULE = "9-level"
NOVICE_START_SETS = 2


def check(view: PlanView) -> Iterator[Violation]:
    level = view.profile.level
    for s in view.sessions:
        for item, exercise in s.work():
            if exercise.level.rank > level.rank:
                yield violation(RULE, s.date, f"{exercise.id} is a {exercise.level} exercise; "
                                f"the runner is {level} (use a regression).")
            if (level is Level.NOVICE and s.week.week == 1 and view.weeks_done == 0
                    and not exercise.is_l_protocol
                    and len(item.sets) > NOVICE_START_SETS):
                yield violation(RULE, s.date, f"{exercise.id} starts a novice at "
                                f"{len(item.sets)} sets; start at {NOVICE_START_SETS} or fewer.")
