"""Rule 4, key runs (Doma & Deakin 2013; Behan 2023): no eccentric hamstring work the
day before an interval, tempo, hill, long run or race (a hamstring exercise lowered in
3 s or more counts as eccentric work); in the first two weeks of
Nordics none in the 2 days before one. Same day is allowed: run first, strength after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hamstride.training.rules import nordic
from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "4-key-runs"
EARLY_NORDIC_WEEKS = 2
RUN_FIRST = "run first"


def check(view: PlanView) -> Iterator[Violation]:
    early = _early_nordic_dates(view)
    for s in view.sessions:
        if view.calendar.is_key(s.date) and RUN_FIRST not in s.session.notes.lower():
            yield violation(RULE, s.date, f"'{s.session.title}' falls on a key-run day "
                            "({}); its notes must say to run first, strength after "
                            "(Doma & Deakin 2013).".format(view.calendar.run_on(s.date)))
        tomorrow = view.calendar.key_within(s.date, 1)
        if tomorrow is not None and s.slow_lowering:
            yield violation(RULE, s.date, f"{', '.join(s.slow_lowering)} lowered in 3 s or "
                            f"more the day before a key run ({view.calendar.run_on(tomorrow)}):"
                            " slow lowering is eccentric work; keep the day before free of it"
                            " (Doma & Deakin 2013).")
        if not s.has_heavy_eccentric:
            continue
        horizon = 2 if s.date in early else 1
        key = view.calendar.key_within(s.date, horizon)
        if key is not None:
            yield violation(RULE, s.date, f"eccentric hamstring work {(key - s.date).days} "
                            f"day(s) before a key run ({view.calendar.run_on(key)} on {key}); "
                            + ("no Nordics in the 2 days before one in the first two weeks "
                               "(Behan 2023)." if horizon == 2 else
                               "keep the day before free of it (Doma & Deakin 2013)."))


def _early_nordic_dates(view: PlanView) -> set[date]:
    """Dates of Nordic sessions in table weeks 1-2."""
    return {s.date for _, index, sessions in nordic.nordic_weeks(view)
            if index <= EARLY_NORDIC_WEEKS for s in sessions}
