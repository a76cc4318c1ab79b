"""Rule 6, balance: every week with 2+ sessions has hip- and knee-dominant hamstring work
(Bourne 2017, 2018) and some quadriceps and calf work; the source article's mislabelled
exercises never count as hamstring work.
"""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.vocabulary import Emphasis, Muscle

RULE = "6-balance"
NEEDS: tuple[tuple[str, Emphasis | Muscle], ...] = (
    ("hip-dominant hamstring work (Bourne 2017)", Emphasis.HIP),
    ("knee-dominant hamstring work (Bourne 2017)", Emphasis.KNEE),
    ("quadriceps work (Blagrove 2018)", Muscle.QUADRICEPS),
    ("calf work (Blagrove 2018)", Muscle.CALVES),
)


def check(view: PlanView) -> Iterator[Violation]:
    for week in view.plan.weeks:
        sessions = view.in_week(week)
        if len(sessions) < 2:
            continue
        present: set[Emphasis | Muscle] = set()
        for s in sessions:
            present |= s.emphases() | s.primary_muscles()
        missing = [name for name, need in NEEDS if need not in present]
        if missing:
            yield violation(RULE, sessions[0].date, f"week {week.week} has "
                            f"{len(sessions)} sessions but no " + "; no ".join(missing) + ".")
