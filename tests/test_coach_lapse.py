"""A lapse is judged as of the day asked, not as of the last log (Ripley 2021)."""

from __future__ import annotations

from datetime import date, timedelta

from hamstride import coach
from hamstride.store import Store
from hamstride.training.rules import nordic
from tests.coach_factories import START, store_with_plan

NORDIC = "nordic_hamstring_curl"


def _log_weeks(store: Store, name: str, weeks: int) -> date:
    """Log every planned session of the first ``weeks`` weeks as planned; the last
    Nordic day."""
    last_nordic = START
    for offset in range(7 * weeks):
        day = START + timedelta(days=offset)
        for session in coach.today(store, name, day).sessions:
            coach.log(store, name, [coach.as_planned(session, on=day, session_rpe=6,
                                                     pain=0)], day)
            if any(i.exercise == NORDIC for i in session.items):
                last_nordic = day
    return last_nordic


def _next_nordic_sets(store: Store, name: str, since: date) -> tuple[date, list[int]]:
    for offset in range(21):
        day = since + timedelta(days=offset)
        for session in coach.today(store, name, day).sessions:
            for item in session.items:
                if item.exercise == NORDIC:
                    return day, [getattr(s, "reps", 0) for s in item.sets]
    raise AssertionError("no Nordic session planned")


def test_coach_today_restarts_the_nordic_table_after_a_lapse(db_url: str) -> None:
    store, profile = store_with_plan(db_url)
    name = profile.name
    last = _log_weeks(store, name, 4)
    before_day, before = _next_nordic_sets(store, name, last + timedelta(days=1))
    assert before != [5, 5], "the table had moved on before the lapse"
    lapsed = last + timedelta(days=nordic.LAPSE_DAYS)
    day, sets = _next_nordic_sets(store, name, lapsed)
    assert sets == [5, 5], (day, sets)  # table week 1 again, before anything is logged
    assert any("table restarts at week 1" in n for n in coach.plans(store, name).active.notes)
    assert before_day < lapsed <= day
