"""Rule 3, races (Berryman 2020): no strength on race day, on the 2 days before an A
race or the day before a B or C race; the A-race week carries at most half the volume
(total sets) of the build weeks before it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.vocabulary import Priority

RULE = "3-races"
TAPER_FRACTION = 0.5
REFERENCE_WEEKS = 4  # the build weeks a taper is measured against


def taper_cap(previous_totals: Sequence[int]) -> int | None:
    """Most sets allowed in an A-race week, from the totals of the weeks before it
    (race-free weeks only, the last four); None when there is nothing to compare."""
    reference = [t for t in previous_totals if t > 0][-REFERENCE_WEEKS:]
    if not reference:
        return None
    return int(TAPER_FRACTION * sum(reference) / len(reference))


def check(view: PlanView) -> Iterator[Violation]:
    for s in view.sessions:
        closed = view.calendar.blackout(s.date)
        if closed is not None:
            yield violation(RULE, s.date, f"strength session on {closed.reason}: no strength "
                            "on race day, the 2 days before an A race or the day before a B "
                            "or C race (Berryman 2020).")
    yield from _check_tapers(view)


def _check_tapers(view: PlanView) -> Iterator[Violation]:
    totals: list[int] = []  # per race-free week, in order
    for week in view.plan.weeks:
        first, last = view.week_dates(week)
        races = view.calendar.races_between(first, last)
        total = sum(s.total_sets() for s in view.in_week(week))
        a_races = [r for r in races if r.priority is Priority.A]
        cap = taper_cap(totals)
        if a_races and cap is not None and total > cap:
            race = a_races[0]
            yield violation(RULE, race.date, f"week {week.week} holds {race.name} (A race) "
                            f"but has {total} sets; a taper allows at most {cap}, half the "
                            "weeks before it (Berryman 2020).")
        if not races:
            totals.append(total)
