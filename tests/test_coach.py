"""The use cases over a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from hamstride import coach
from hamstride.catalogue import load_catalogue
from hamstride.store import Store
from hamstride.training.analytics import progress_report
from hamstride.training.log import LogError, session_from_data
from hamstride.training.plan import Session
from hamstride.training.planner import generate_plan
from tests.training.factories import make_profile

START = date(2027, 1, 4)


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    profile = make_profile(week={"sat": "long"})
    opened.save_profile(name=profile.name, document=profile.to_document())
    made = generate_plan(profile, start=START, weeks=4)
    opened.save_plan(profile_name=profile.name, start=START, weeks=4,
                     document=made.to_document())
    return opened


def first_planned(store: Store, name: str) -> tuple[date, Session]:
    """The first planned strength session from START, and its date."""
    first = coach.today(store, name, START)
    on = first.sessions[0].date if first.sessions else first.next_day
    assert on is not None
    return on, coach.today(store, name, on).sessions[0]


def test_coach_logging_the_planned_session_regenerates_the_plan(store: Store) -> None:
    name = coach.profile_name(store, None)
    planned_day, session = first_planned(store, name)
    entry = coach.as_planned(session, on=planned_day, session_rpe=5, pain=1)
    outcome = coach.log(store, name, [entry], planned_day)
    assert outcome.inserted == (entry.id,)
    assert outcome.replanned is not None
    replanned = outcome.replanned
    assert replanned.continues is not None
    assert replanned.continues.planned_from == planned_day + timedelta(days=1)
    assert [day.date for day in replanned.continues.logged] == [planned_day]
    assert replanned.start <= planned_day  # the original plan's week is kept
    assert all(session.date > planned_day for _, session in replanned.sessions())
    again = coach.log(store, name, [entry], planned_day)
    assert again.unchanged == (entry.id,) and again.replanned is None
    assert len(store.log_sessions(profile_name=name)) == 1
    shown = coach.today(store, name, planned_day)
    assert shown.logged and shown.sessions  # planned and done: both visible


def test_coach_refuses_future_dates_and_unknown_exercises(store: Store) -> None:
    name = coach.profile_name(store, None)
    ahead = session_from_data({"date": "2027-02-01", "sets": [{"exercise": "squat", "reps": 5}]})
    with pytest.raises(LogError, match="future"):
        coach.log(store, name, [ahead], START)
    odd = session_from_data({"date": "2027-01-04", "sets": [{"exercise": "nordic", "reps": 5}]})
    with pytest.raises(LogError, match="unknown exercise"):
        coach.log(store, name, [odd], START)
    assert store.log_sessions(profile_name=name) == []


def test_coach_progress_counts_the_log(store: Store) -> None:
    name = coach.profile_name(store, None)
    on, session = first_planned(store, name)
    coach.log(store, name, [coach.as_planned(session, on=on, session_rpe=6)], on)
    report = coach.progress(store, name, on + timedelta(days=1), weeks=4)
    document = report.to_document()
    assert document["adherence"]["done"] == 1
    assert sum(sum(w["sets"].values()) for w in document["volume"]["weeks"]) > 0


def test_coach_deferred_replan_happens_at_the_next_read(store: Store) -> None:
    name = coach.profile_name(store, None)
    on, session = first_planned(store, name)
    outcome = coach.log(store, name, [coach.as_planned(session, on=on)], on, replan_now=False)
    assert outcome.replanned is None and "next read" in outcome.note
    assert "continues" not in store.active_plan(profile_name=name).document  # type: ignore[union-attr]
    coach.today(store, name, on)
    active = store.active_plan(profile_name=name)
    assert active is not None and "continues" in active.document
    saved_at = active.created_at
    coach.today(store, name, on)  # nothing new: no second replan
    again = store.active_plan(profile_name=name)
    assert again is not None and again.created_at == saved_at


def test_coach_logging_without_a_plan_keeps_the_entry(db_url: str) -> None:
    fresh = Store.open(db_url)
    profile = make_profile()
    fresh.save_profile(name=profile.name, document=profile.to_document())
    entry = session_from_data({"date": "2027-01-04", "sets": [{"exercise": "squat", "reps": 5}]})
    outcome = coach.log(fresh, profile.name, [entry], START)
    assert outcome.inserted == (entry.id,) and outcome.replanned is None
    assert "no plan" in outcome.note
    assert len(fresh.log_sessions(profile_name=profile.name)) == 1


def test_coach_today_answer_follows_the_log_and_the_plan(store: Store) -> None:
    name = coach.profile_name(store, None)
    on, session = first_planned(store, name)
    assert coach.today(store, name, on).logged == ()
    assert coach.today(store, name, on) is coach.today(store, name, on)  # kept while unchanged
    entry = coach.as_planned(session, on=on)
    coach.log(store, name, [entry], on, replan_now=False)
    assert [e.id for e in coach.today(store, name, on).logged] == [entry.id]
    store.delete_log_session(profile_name=name, client_id=entry.id)
    coach.replan(store, name, on)
    assert coach.today(store, name, on).logged == ()


def test_coach_today_never_keeps_an_answer_older_than_a_write_made_meanwhile(
        store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another worker logs the day while this one works out "today": the next read shows
    the entry (the answer is kept under the freshness read before it was worked out)."""
    name = coach.profile_name(store, None)
    on, session = first_planned(store, name)
    other = Store.open(db_url)  # another worker: its own connections
    worked_out = coach._today

    def with_a_write_meanwhile(s: Store, n: str, day: date) -> coach.Today:
        shown = worked_out(s, n, day)
        other.save_log_sessions(profile_name=n, sessions=[coach.as_planned(session, on=on)])
        return shown

    monkeypatch.setattr(coach, "_today", with_a_write_meanwhile)
    store.kept.forget("today")  # first_planned kept the day's answer already
    assert coach.today(store, name, on).logged == ()
    monkeypatch.setattr(coach, "_today", worked_out)
    assert len(coach.today(store, name, on).logged) == 1
    other.close()


def test_coach_a_week_logged_far_beyond_any_plan_is_refused_in_words_not_a_crash(
        store: Store) -> None:
    """Fifteen strength sessions logged in one week (a script gone wrong, say): the plan
    cannot follow it, says so, and keeps the plan it had; reads keep working."""
    name = coach.profile_name(store, None)
    on, session = first_planned(store, name)
    before = coach.plans(store, name).active
    entries = [coach.as_planned(session, on=on).model_copy(update={"id": f"x{n}"})
               for n in range(15)]
    outcome = coach.log(store, name, entries, on)
    assert outcome.replanned is None and "15 strength sessions" in outcome.note
    assert coach.plans(store, name).active == before
    assert len(coach.today(store, name, on).logged) == 15


def _long_way(store: Store, name: str, day: date) -> coach.Today:
    """``today`` as it was before it read the documents: both plans validated."""
    current = coach.fresh_plans(store, name, day)
    planned = coach.planned_history(current)
    return coach.Today(day, tuple(s for _, s in planned.sessions() if s.date == day),
                       tuple(store.log_sessions(profile_name=name, since=day, until=day)),
                       min((s.date for _, s in planned.sessions() if s.date > day),
                           default=None))


def test_coach_today_from_the_documents_is_the_validated_plans_answer(store: Store) -> None:
    name = coach.profile_name(store, None)
    planned_day, session = first_planned(store, name)
    before = {day: coach._today_from_documents(store, name, coach._stored(store, name), day)
              for day in (START + timedelta(days=n) for n in range(-3, 31))}
    assert before == {day: _long_way(store, name, day) for day in before}
    # the log moved on: the plan follows it (the long way), then the documents answer
    coach.log(store, name, [coach.as_planned(session, on=planned_day, pain=1)], planned_day,
              replan_now=False)
    stored = coach._stored(store, name)
    assert coach._today_from_documents(store, name, stored, planned_day) is None
    shown = coach.today(store, name, planned_day)
    assert shown.logged and shown.sessions
    assert store.current_plans(profile_name=name)[1].regenerated  # type: ignore[union-attr]
    stored = coach._stored(store, name)
    # until three weeks with nothing logged overtake the regenerated plan
    lapse = planned_day + timedelta(days=21)
    after = {day: coach._today_from_documents(store, name, stored, day)
             for day in (START + timedelta(days=n) for n in range((lapse - START).days))}
    assert after == {day: _long_way(store, name, day) for day in after}
    assert any(found is not None and found.sessions and found.sessions[0].date > planned_day
               for found in after.values())
    assert coach._today_from_documents(store, name, stored, lapse) is None


def test_coach_today_takes_the_long_way_for_a_document_of_another_shape(store: Store) -> None:
    name = coach.profile_name(store, None)
    stored = coach._stored(store, name)
    broken = {**stored.active.document, "weeks": [{"sessions": [{"date": "soon"}]}]}
    odd = coach._Stored(stored.profile, stored.original,
                        dataclasses.replace(stored.active, document=broken))
    assert coach._today_from_documents(store, name, odd, START) is None
    bad_session = {**stored.active.document}
    bad_session["weeks"] = [{**w, "sessions": [{**s, "items": []} for s in w["sessions"]]}
                            for w in bad_session["weeks"]]
    odd = coach._Stored(stored.profile, stored.original,
                        dataclasses.replace(stored.active, document=bad_session))
    on = coach.today(store, name, START).next_day or START
    assert coach._today_from_documents(store, name, odd, on) is None


def test_coach_progress_from_the_documents_is_the_validated_plans_report(store: Store) -> None:
    """The report read from the stored documents and a part of the log is the report of
    the validated plans and the whole log, before and after the plan follows the log."""
    name = coach.profile_name(store, None)
    planned_day, session = first_planned(store, name)
    early = coach.as_planned(session, on=START - timedelta(days=40), pain=1)  # long before
    coach.log(store, name, [early, coach.as_planned(session, on=planned_day, pain=2)],
              planned_day)
    for day in (planned_day, planned_day + timedelta(days=9), START + timedelta(days=27)):
        for weeks in (1, 4, 12):
            long_way = progress_report(
                store.log_sessions(profile_name=name, until=day),
                [t for t in store.field_tests(profile_name=name) if t.date <= day],
                load_catalogue(), day,
                plan=coach.planned_history(coach.fresh_plans(store, name, day)), weeks=weeks)
            assert coach.progress(store, name, day, weeks=weeks) == long_way
