"""Pain moves the dose: a painful session pauses heavy hamstring work after it, until a
lighter session is pain-free (Silbernagel 2007; training/pain.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hamstride import coach
from hamstride.catalogue import load_catalogue
from hamstride.store import Store
from hamstride.training.checker import check_plan
from hamstride.training.plan import Plan, Session, plan_from_data
from hamstride.training.planner import generate_plan
from tests.coach_factories import START, store_with_plan

NORDIC = "nordic_hamstring_curl"
CATALOGUE = load_catalogue()


def _heavy(session: Session) -> list[str]:
    return [i.exercise for i in session.items if CATALOGUE[i.exercise].is_heavy_hamstring]


def _first_nordic_day(store: Store, name: str, since: date) -> tuple[date, Session]:
    for offset in range(14):
        day = since + timedelta(days=offset)
        for session in coach.today(store, name, day).sessions:
            if any(i.exercise == NORDIC for i in session.items):
                return day, session
    raise AssertionError("no Nordic session")


def _active(store: Store, name: str) -> Plan:
    return coach.plans(store, name).active


@pytest.mark.parametrize("how", ["during", "morning"])
def test_coach_pain_pauses_heavy_hamstring_work_until_it_settles(db_url: str,
                                                                 how: str) -> None:
    store, profile = store_with_plan(db_url)
    name = profile.name
    day, session = _first_nordic_day(store, name, START)
    entry = coach.as_planned(session, on=day, session_rpe=6,
                             pain=6 if how == "during" else 2)
    coach.log(store, name, [entry], day)
    if how == "morning":
        coach.morning(store, name, 6, client_id=None, on=day, today=day + timedelta(days=1))
    paused = _active(store, name)
    soon = [s for _, s in paused.sessions() if s.date <= day + timedelta(days=14)]
    assert soon, "the plan goes on"
    assert not any(_heavy(s) for s in soon), [(s.date, _heavy(s)) for s in soon]
    assert all("bruising" in s.notes and "until it settles" in s.notes for s in soon)
    assert check_plan(paused, profile, CATALOGUE) == []
    # a lighter session logged pain-free, settled next morning, ends the pause
    light_day, light = next((s.date, s) for s in soon)
    coach.log(store, name, [coach.as_planned(light, on=light_day, session_rpe=5, pain=1)],
              light_day)
    coach.morning(store, name, 1, client_id=None, on=light_day,
                  today=light_day + timedelta(days=1))
    resumed = _active(store, name)
    assert resumed.continues is not None and resumed.continues.pain_pause_since is None
    assert any(_heavy(s) for _, s in resumed.sessions())


def test_checker_flags_heavy_work_while_pain_pauses_it(db_url: str) -> None:
    store, profile = store_with_plan(db_url)
    name = profile.name
    day, session = _first_nordic_day(store, name, START)
    coach.log(store, name, [coach.as_planned(session, on=day, session_rpe=6, pain=7)], day)
    paused = _active(store, name)
    assert paused.continues is not None and paused.continues.pain_pause_since == day
    unpaused = generate_plan(profile, start=paused.start, weeks=4)
    planted = plan_from_data({**unpaused.to_document(),
                              "continues": paused.to_document()["continues"]})
    rules = {v.rule for v in check_plan(planted, profile, CATALOGUE)}
    assert "12-pain-pause" in rules
