"""Rule 6, balance: every week with 2+ sessions has hip- and knee-dominant hamstring work
(Bourne 2017, 2018) and some quadriceps and calf work; the source article's mislabelled
exercises never count as hamstring work. A week a regenerated plan picks up part-way,
after sessions the log holds, is not judged: what was done in it is the log's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hamstride.catalogue import Exercise
from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.vocabulary import Emphasis, Muscle

RULE = "6-balance"
NEEDS: tuple[tuple[str, Emphasis | Muscle], ...] = (
    ("hip-dominant hamstring work (Bourne 2017)", Emphasis.HIP),
    ("knee-dominant hamstring work (Bourne 2017)", Emphasis.KNEE),
    ("quadriceps work (Blagrove 2018)", Muscle.QUADRICEPS),
    ("calf work (Blagrove 2018)", Muscle.CALVES),
)


def missing(exercises: Iterable[Exercise]) -> list[Emphasis | Muscle]:
    """The needs of a week that none of its exercises meets."""
    present: set[Emphasis | Muscle] = set()
    for e in exercises:
        if e.is_hamstring_work:
            present.add(e.hamstring_emphasis)
        present.update(e.muscles.primary)
    return [need for _, need in NEEDS if need not in present]


def check(view: PlanView) -> Iterator[Violation]:
    names = {need: name for name, need in NEEDS}
    for week in view.plan.weeks:
        sessions = view.in_week(week)
        if len(sessions) < 2 or view.logged_in(week):
            continue  # the log holds the start of this week, and the plan cannot see it
        lacking = missing(e for s in sessions for _, e in s.work())
        if lacking:
            yield violation(RULE, sessions[0].date, f"week {week.week} has {len(sessions)} "
                            "sessions but no " + "; no ".join(names[n] for n in lacking) + ".")
