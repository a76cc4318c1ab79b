"""Imported activities in the store, on SQLite always and on PostgreSQL when asked for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from hamstride.errors import ProfileNotFound, StoreError
from hamstride.store import Store
from hamstride.training.activity import Activity, Lap, SourceFormat, Sport

START = datetime(2026, 10, 4, 7, 30, tzinfo=UTC)


def _activity(start: datetime = START, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "sport": Sport.RUNNING, "start": start, "duration_s": 3000.0, "moving_s": 2950.0,
        "distance_m": 10_000.0, "source": SourceFormat.FIT,
        "laps": (Lap(start=start, duration_s=3000.0, distance_m=10_000.0),),
        **fields,
    }
    return Activity(**values)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        opened.save_profile(name="ana", document={"name": "ana"})
        yield opened


def _count(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM activities")).scalar_one())
    finally:
        engine.dispose()


def test_activity_store_round_trips_every_field(store: Store) -> None:
    run = _activity(avg_hr=151, max_hr=178, elevation_gain_m=85.0, speed_cv=0.12, rpe=4,
                    name="Sunday long")
    [saved] = store.save_activities(profile_name="ana", activities=[run], label="a.fit")
    assert (saved.status, saved.activity_id) == ("imported", run.id)
    [stored] = store.activities(profile_name="ana")
    assert stored.activity == run
    assert stored.source_label == "a.fit"
    assert stored.kind is None


def test_activity_store_keeps_the_offset_of_a_local_start(store: Store) -> None:
    local = START.astimezone(timezone(timedelta(hours=-5)))
    store.save_activities(profile_name="ana", activities=[_activity(local)], label="a.gpx")
    [stored] = store.activities(profile_name="ana")
    assert stored.activity.start == START
    assert stored.activity.start.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("shift_s", "sport", "expected"),
    [
        (0, Sport.RUNNING, "duplicate"),  # the same file twice
        (5, Sport.RUNNING, "duplicate"),  # the FIT file and the Strava row of one run
        (0, Sport.OTHER, "duplicate"),  # a generic sport in one source, run in the other
        (119, Sport.RUNNING, "duplicate"),
        (121, Sport.RUNNING, "imported"),  # a second activity, two minutes later
        (-3600, Sport.CYCLING, "imported"),
    ],
)
def test_activity_store_stores_one_activity_once(
    store: Store, db_url: str, shift_s: int, sport: Sport, expected: str
) -> None:
    store.save_activities(profile_name="ana", activities=[_activity()], label="a.fit")
    again = _activity(START + timedelta(seconds=shift_s), sport=sport,
                      source=SourceFormat.STRAVA_CSV)
    [result] = store.save_activities(profile_name="ana", activities=[again], label="csv")
    assert result.status == expected
    assert _count(db_url) == (1 if expected == "duplicate" else 2)
    if expected == "duplicate":
        assert result.activity_id == _activity().id


def test_activity_store_saves_one_file_in_one_transaction(store: Store, db_url: str) -> None:
    first, second = _activity(), _activity(START + timedelta(hours=3))
    results = store.save_activities(profile_name="ana", activities=[first, second],
                                    label="multi.tcx")
    assert [r.status for r in results] == ["imported", "imported"]
    with pytest.raises(ProfileNotFound):
        store.save_activities(profile_name="nobody", activities=[_activity()], label="x")
    assert _count(db_url) == 2


def test_activity_store_lists_oldest_first_and_per_profile(store: Store) -> None:
    store.save_profile(name="ben", document={"name": "ben"})
    late, early = _activity(START + timedelta(days=2)), _activity()
    store.save_activities(profile_name="ana", activities=[late, early], label="x")
    store.save_activities(profile_name="ben", activities=[_activity()], label="y")
    assert [s.activity for s in store.activities(profile_name="ana")] == [early, late]
    assert len(store.activities(profile_name="ben")) == 1


def test_activity_store_records_and_clears_a_kind_correction(store: Store) -> None:
    run = _activity()
    store.save_activities(profile_name="ana", activities=[run], label="x")
    assert store.set_activity_kind(profile_name="ana", activity_id=run.id, kind="tempo")
    assert store.activities(profile_name="ana")[0].kind == "tempo"
    assert store.set_activity_kind(profile_name="ana", activity_id=run.id, kind=None)
    assert store.activities(profile_name="ana")[0].kind is None
    assert not store.set_activity_kind(profile_name="ana", activity_id="a-nope", kind="easy")


def test_activity_store_a_failure_mid_file_leaves_nothing_of_it(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from hamstride.store import activity_rows

    real = activity_rows.activity_document
    calls: list[Activity] = []

    def fail_on_second(activity: Activity) -> dict[str, Any]:
        calls.append(activity)
        if len(calls) == 2:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(activity)

    monkeypatch.setattr(activity_rows, "activity_document", fail_on_second)
    with pytest.raises(StoreError, match=r"import multi\.fit"):
        store.save_activities(profile_name="ana", label="multi.fit",
                              activities=[_activity(), _activity(START + timedelta(hours=2))])
    assert _count(db_url) == 0
