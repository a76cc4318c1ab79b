"""Rule 7: the Nordic hamstring exercise follows the published 10-week table
(Mjølsnes 2004; used by Petersen 2011 and van der Horst 2015), never faster, then a
maintenance dose. A lapse of 3 weeks or more restarts the table (Ripley 2021).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from hamstride.training.dose_text import DoseDescription, SetDose, compact
from hamstride.training.plan import RepSet, Week
from hamstride.training.rules.base import PlanView, SessionView, Violation, violation

RULE = "7-nordic"
LAPSE_DAYS = 21  # Ripley 2021: a gap of 3 weeks or more loses the benefit
PROGRAMME_WEEKS = 10


@dataclass(frozen=True)
class NordicRow:
    """One row of the table: sessions in the week, and the most reps for each set."""

    sessions: int
    max_reps: tuple[int, ...]
    min_reps: tuple[int, ...]

    @property
    def label(self) -> str:
        """The row's dose as the plan tables write one: "2x5", "3x6-8", "12/10/8"."""
        return compact(DoseDescription(tuple(
            SetDose(low, top=high if high != low else None)
            for low, high in zip(self.min_reps, self.max_reps, strict=True))))


_PEAK = NordicRow(3, (12, 10, 8), (12, 10, 8))
MAINTENANCE = NordicRow(1, (12, 10, 8), (12, 10, 8))
_TABLE = {
    1: NordicRow(1, (5, 5), (5, 5)),
    2: NordicRow(2, (6, 6), (6, 6)),
    3: NordicRow(3, (8, 8, 8), (6, 6, 6)),
    4: NordicRow(3, (10, 10, 10), (8, 8, 8)),
}


def row(index: int) -> NordicRow:
    """The table row for the ``index``-th week with Nordics (1-based)."""
    if index > PROGRAMME_WEEKS:
        return MAINTENANCE
    return _TABLE.get(index, _PEAK)


def next_index(previous: int, last_session: date | None, first_this_week: date) -> int:
    """The table week a week of Nordics is at, given the one before it."""
    if last_session is None or (first_this_week - last_session).days >= LAPSE_DAYS:
        return 1
    return previous + 1


def within_row(reps: list[int], table_row: NordicRow) -> bool:
    if len(reps) > len(table_row.max_reps):
        return False
    return all(r <= m for r, m in zip(sorted(reps, reverse=True), table_row.max_reps,
                                      strict=False))


def nordic_weeks(view: PlanView) -> Iterator[tuple[Week, int, list[SessionView]]]:
    """Each week that has Nordics, with its table week and its Nordic sessions; a plan
    regenerated from the log carries on from the table week the log reached (in the week
    the log already holds Nordics, that week's row)."""
    carried = view.plan.continues
    index = carried.nordic_week if carried is not None else 0
    last = carried.last_nordic if carried is not None else None
    for week in view.plan.weeks:
        with_nordics = [s for s in view.in_week(week) if s.has_nordic]
        if with_nordics:
            if not (index and logged_nordics(view, week)):
                index = next_index(index, last, with_nordics[0].date)
            last = with_nordics[-1].date
            yield week, index, with_nordics


def logged_nordics(view: PlanView, week: Week) -> int:
    return sum(d.nordic for d in view.logged_in(week))


def check(view: PlanView) -> Iterator[Violation]:
    for week, index, with_nordics in nordic_weeks(view):
        table_row = row(index)
        count = len(with_nordics) + logged_nordics(view, week)
        if count > table_row.sessions:
            yield violation(RULE, with_nordics[0].date, f"week {week.week} has "
                            f"{count} Nordic sessions; table week {_name(index)} "
                            f"allows {table_row.sessions} (Mjølsnes 2004).")
        for s in with_nordics:
            reps = [st.reps for it, e in s.work() if e.id == "nordic_hamstring_curl"
                    for st in it.sets if isinstance(st, RepSet)]
            if not within_row(reps, table_row):
                yield violation(RULE, s.date, f"Nordics {reps} are more than table week "
                                f"{_name(index)} allows ({table_row.label}; Mjølsnes 2004).")


def _name(index: int) -> str:
    return "maintenance" if index > PROGRAMME_WEEKS else str(index)
