"""Rule 10, structure: every session opens with a short dynamic warm-up (Nordics only
after one), supersets pair exactly two neighbouring items with the same rounds, and
each week holds the 7 days from start + 7(k-1).
"""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, SessionView, Violation, violation

RULE = "10-structure"


def check(view: PlanView) -> Iterator[Violation]:
    for number, week in enumerate(view.plan.weeks, start=1):
        first, last = view.week_dates(week)
        if week.week != number:
            yield violation(RULE, first, f"week {week.week} is listed as week {number}.")
        for session in week.sessions:
            if not first <= session.date <= last:
                yield violation(RULE, session.date, f"a session dated {session.date} sits in "
                                f"week {week.week}, which covers {first} to {last}.")
    for s in view.sessions:
        yield from _warm_up(s)
        yield from _supersets(s)


def _warm_up(s: SessionView) -> Iterator[Violation]:
    if not s.exercises[0].is_warm_up:
        yield violation(RULE, s.date, f"'{s.session.title}' does not open with a dynamic "
                        "warm-up; Nordics only after one (Mjølsnes 2004).")


def _supersets(s: SessionView) -> Iterator[Violation]:
    items = s.session.items
    labels = [i.superset for i in items]
    for label in sorted({x for x in labels if x is not None}):
        where = [n for n, x in enumerate(labels) if x == label]
        paired = len(where) == 2 and where[1] == where[0] + 1
        if not paired:
            yield violation(RULE, s.date, f"superset {label} must pair exactly two "
                            "neighbouring items.")
            continue
        a, b = (items[n] for n in where)
        if len(a.sets) != len(b.sets) or any(s.exercises[n].is_warm_up for n in where):
            yield violation(RULE, s.date, f"superset {label} pairs items with different "
                            "rounds, or the warm-up.")
