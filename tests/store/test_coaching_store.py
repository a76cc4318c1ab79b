"""What a coach's roster reads for many athletes at once (store/coaching.py): the same
answers as each athlete's own repositories give one profile at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from hamstride import coach
from hamstride.accounts import add_account
from hamstride.store import Store
from hamstride.store.models import Plan
from hamstride.store.plans import plan_outline
from hamstride.training.activity import Activity, SourceFormat, Sport
from hamstride.training.log import field_test_from_data, session_from_data
from hamstride.training.profile import profile_from_data
from hamstride.training.roster import ASYMMETRY_KINDS
from tests.training.factories import profile_data

TODAY = date(2027, 1, 4)
START = TODAY - timedelta(weeks=3)
SINCE = TODAY - timedelta(days=28)
RUNS_SINCE = datetime(2026, 12, 14, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def _athlete(store: Store, n: int, *, plan: bool, replan: bool) -> tuple[Store, str, int]:
    account = add_account(store, email=f"a{n}@example.org", password=None)
    theirs = store.scoped(account.id)
    name = f"Athlete {n}"
    profile = profile_from_data(profile_data(name=name, week={"tue": "easy", "sat": "long"}))
    if plan:
        coach.make_plan(theirs, profile, start=START, weeks=6, today=START)
    else:
        theirs.save_profile(name=name, document=profile.to_document())
    theirs.save_log_sessions(profile_name=name, sessions=[
        session_from_data({"id": f"s{n}-{k}", "date": (TODAY - timedelta(days=back)).isoformat(),
                           "pain": pain, "morning_pain": morning,
                           "sets": [{"exercise": "squat", "reps": 8, "pain": set_pain},
                                    {"exercise": "squat", "reps": 8}]})
        for k, (back, pain, set_pain, morning) in enumerate([
            (40, 2, 3, None), (27, 1, 6, 4), (20, None, None, None), (20, 3, None, 1),
            (9, None, 2, None), (2, 7, 1, 5)])])
    theirs.save_field_tests(profile_name=name, tests=[field_test_from_data(
        {"id": f"t{n}-{k}", "date": (TODAY - timedelta(days=back)).isoformat(),
         "kind": "single_leg_bridge", "left": 20 + k, "right": 15})
        for k, back in enumerate((30, 5))])
    late = timezone(timedelta(hours=-8))
    theirs.save_activities(profile_name=name, label="test", activities=[
        Activity(sport=sport, start=start, duration_s=3000, distance_m=metres,
                 source=SourceFormat.FIT)
        for sport, start, metres in [
            (Sport.RUNNING, datetime(2026, 12, 10, 8, tzinfo=UTC), 9000.0),  # before since
            (Sport.RUNNING, datetime(2026, 12, 20, 20, tzinfo=late), 12345.6),  # next day UTC
            (Sport.RUNNING, datetime(2026, 12, 28, 7, tzinfo=UTC), None),
            (Sport.CYCLING, datetime(2026, 12, 29, 7, tzinfo=UTC), 40000.0),
            (Sport.RUNNING, datetime(2027, 1, 2, 7, n, tzinfo=UTC), 21097.5)]])
    if replan:
        coach.replan(theirs, name, TODAY)
    stored = theirs.get_profile(name=name)
    assert stored is not None
    return theirs, name, stored.id


def test_the_bulk_reads_answer_as_each_athletes_repositories(store: Store) -> None:
    athletes = [_athlete(store, 0, plan=True, replan=True),
                _athlete(store, 1, plan=True, replan=False),
                _athlete(store, 2, plan=False, replan=False)]
    ids = [profile_id for *_, profile_id in athletes]
    pairs = store.coaching.plan_pairs(ids)
    planned = coach.planned_days(store, ids)
    assert coach.planned_days(store, ids) == planned  # the kept answer, the same
    pains = store.coaching.session_pains(ids, since=SINCE)
    tests = store.coaching.field_tests(ids)
    latest = store.coaching.latest_field_tests(ids, until=TODAY - timedelta(days=10),
                                               kinds=ASYMMETRY_KINDS)
    runs = store.coaching.run_distances(ids, since=RUNS_SINCE)
    for theirs, name, profile_id in athletes:
        try:
            current = coach.plans(theirs, name)
        except coach.NoPlanError:
            assert profile_id not in pairs and profile_id not in planned
        else:
            assert planned[profile_id] == tuple(
                s.date for _, s in coach.planned_history(current).sessions())
        assert [(s.date, s.max_pain, s.morning_pain) for s in pains[profile_id]] == [
            (s.date, s.max_pain, s.morning_pain)
            for s in theirs.log_sessions(profile_name=name, since=SINCE)]
        assert tests[profile_id] == theirs.field_tests(profile_name=name)
        own = [t for t in theirs.field_tests(profile_name=name)
               if t.date <= TODAY - timedelta(days=10) and t.kind in ASYMMETRY_KINDS]
        assert latest.get(profile_id) == max(own, key=lambda t: (t.date, t.id), default=None)
        assert runs[profile_id] == theirs.run_distances(profile_name=name, since=RUNS_SINCE)
    # the first athlete follows a plan regenerated from the log: both plans count
    first = pairs[ids[0]]
    assert first.original != first.active and planned[ids[0]]
    # the days were read out of the documents (no plan validated), not by the fallback
    documents = store.coaching.plans([first.original[0], first.active[0]])
    assert coach._document_days(documents[first.original[0]].document,
                                documents[first.active[0]].document) == planned[ids[0]]
    both = [first.original[0], first.active[0]]
    outlines = store.coaching.plan_outlines(both)
    assert outlines == {i: plan_outline(documents[i].document) for i in both}  # stored
    assert coach._document_days(outlines[both[0]], outlines[both[1]]) == planned[ids[0]]
    # a plan stored before outlines were (migration 0007): PostgreSQL works it out of the
    # document, SQLite has none (the roster reads the document)
    with store.engine.begin() as connection:
        connection.execute(update(Plan).where(Plan.id.in_(both)).values(outline=None))
    worked_out = store.coaching.plan_outlines(both)
    if store.engine.dialect.name == "postgresql":
        assert worked_out == outlines
    else:
        assert worked_out == {}
    store.kept.forget("planned days")
    assert coach.planned_days(store, [ids[0]]) == {ids[0]: planned[ids[0]]}
    assert store.coaching.session_pains([], since=SINCE) == {}
