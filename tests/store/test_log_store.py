"""The training log in the store, on SQLite always and on PostgreSQL when asked for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from hamstride.errors import EntryNotFound, ProfileNotFound, StoreError
from hamstride.store import LogSaveResult, Store
from hamstride.store.migrate import alembic_config
from hamstride.training.log import (
    FieldTest,
    LogError,
    LoggedSession,
    LoggedSet,
    field_test_from_data,
    session_from_data,
)

DAY = date(2025, 3, 3)


def _session(
    client_id: str | None = None, *, day: date = DAY, sets: int = 2, **fields: Any
) -> LoggedSession:
    data: dict[str, Any] = {
        "date": day.isoformat(),
        "duration_min": 35,
        "session_rpe": 6.5,
        "sets": [
            {"exercise": "nordic_curl", "reps": 5 + n, "side": "both", "rpe": 7}
            for n in range(sets)
        ],
        **fields,
    }
    if client_id is not None:
        data["id"] = client_id
    return session_from_data(data)


def _test(client_id: str, *, day: date = DAY, left: float = 20, right: float = 18) -> FieldTest:
    return field_test_from_data(
        {"id": client_id, "date": day.isoformat(), "kind": "single_leg_bridge",
         "left": left, "right": right}
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        opened.save_profile(name="ana", document={"name": "ana"})
        yield opened


def _count(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def _sql(db_url: str, statement: str) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(text("PRAGMA foreign_keys = ON"))
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_store_log_round_trips_sessions(db_url: str, store: Store) -> None:
    rich = session_from_data(
        {
            "id": "phone:2025-03-04.1",
            "date": "2025-03-04",
            "duration_min": 42.5,
            "session_rpe": 7,
            "pain": 2,
            "morning_pain": 1,
            "notes": "Kald morgen på Ærøy 🏃 — «nordics» felt heavy",
            "sets": [
                {"exercise": "nordic_curl", "reps": 4, "side": "both", "rpe": 8, "pain": 2},
                {"exercise": "single_leg_bridge", "reps": 12, "side": "left", "band": "red"},
                {"exercise": "single_leg_bridge", "reps": 11, "side": "right", "band": "red"},
                {"exercise": "isometric_bridge", "hold_s": 45, "side": "right", "load_kg": 10},
            ],
        }
    )
    bare = session_from_data({"date": "2025-03-01"})
    result = store.save_log_sessions(profile_name="ana", sessions=[rich, bare])
    assert result == LogSaveResult(inserted=(rich.id, bare.id))
    assert result.changed
    with Store.open(db_url) as again:
        assert again.log_sessions(profile_name="ana") == [bare, rich]
    assert _count(db_url, "log_sessions") == 2
    assert _count(db_url, "log_sets") == 4


def test_store_log_save_says_whether_the_profile_has_a_plan(store: Store) -> None:
    """Read in the save's own transaction (the API's POST asks nothing else), and left
    out of the result's equality."""
    first = store.save_log_sessions(profile_name="ana", sessions=[_session("a")])
    assert first.planned is False
    store.save_plan(profile_name="ana", start=DAY, weeks=4, document={"weeks": []})
    again = store.save_log_sessions(profile_name="ana", sessions=[_session("a")])
    assert again.planned is True and again == LogSaveResult(unchanged=("a",))
    assert store.save_field_tests(profile_name="ana", tests=[_test("t1")]).planned is None


def test_store_log_same_entry_twice_stores_one_row(db_url: str, store: Store) -> None:
    entry = _session(sets=3)  # no id given: the content gives one
    assert entry == _session(sets=3)
    first = store.save_log_sessions(profile_name="ana", sessions=[entry])
    second = store.save_log_sessions(profile_name="ana", sessions=[_session(sets=3)])
    assert first.inserted == (entry.id,)
    assert second == LogSaveResult(unchanged=(entry.id,))
    assert not second.changed
    assert _count(db_url, "log_sessions") == 1
    assert _count(db_url, "log_sets") == 3


def test_store_log_edit_by_id_replaces_fields_and_sets(db_url: str, store: Store) -> None:
    store.save_log_sessions(profile_name="ana", sessions=[_session("s1", sets=3, notes="old")])
    edited = _session(
        "s1",
        day=DAY + timedelta(days=1),
        sets=0,
        notes="new",
        session_rpe=None,
    ).model_copy(
        update={"sets": [LoggedSet(exercise="copenhagen", hold_s=20, side="left")]}
    )
    result = store.save_log_sessions(profile_name="ana", sessions=[edited])
    assert result == LogSaveResult(updated=("s1",))
    assert store.log_sessions(profile_name="ana") == [edited]
    assert _count(db_url, "log_sessions") == 1
    assert _count(db_url, "log_sets") == 1


def test_store_log_mixed_batch_counts_each_kind(store: Store) -> None:
    store.save_log_sessions(
        profile_name="ana", sessions=[_session("a"), _session("b", pain=1)]
    )
    batch = [_session("c"), _session("a"), _session("b", pain=3), _session("d", sets=0)]
    result = store.save_log_sessions(profile_name="ana", sessions=batch)
    assert result == LogSaveResult(inserted=("c", "d"), updated=("b",), unchanged=("a",))
    assert {s.id: s.pain for s in store.log_sessions(profile_name="ana")} == {
        "a": None, "b": 3, "c": None, "d": None
    }


def test_store_log_repeated_id_in_one_batch_counts_as_if_saved_in_turn(store: Store) -> None:
    batch = [_session("a", notes="1"), _session("a", notes="1"), _session("a", notes="2")]
    result = store.save_log_sessions(profile_name="ana", sessions=batch)
    assert result == LogSaveResult(inserted=("a",), updated=("a",), unchanged=("a",))
    assert store.log_sessions(profile_name="ana") == [batch[-1]]


def test_store_log_ids_are_per_profile(store: Store) -> None:
    store.save_profile(name="bo", document={"name": "bo"})
    store.save_log_sessions(profile_name="ana", sessions=[_session("x", notes="ana")])
    result = store.save_log_sessions(profile_name="bo", sessions=[_session("x", notes="bo")])
    assert result.inserted == ("x",)
    assert [s.notes for s in store.log_sessions(profile_name="ana")] == ["ana"]
    assert [s.notes for s in store.log_sessions(profile_name="bo")] == ["bo"]


def test_store_log_unknown_profile_writes_nothing(db_url: str, store: Store) -> None:
    with pytest.raises(ProfileNotFound, match="'ghost'") as caught:
        store.save_log_sessions(profile_name="ghost", sessions=[_session("a")])
    assert caught.value.field == "profile"
    with pytest.raises(ProfileNotFound, match="'ghost'"):
        store.log_sessions(profile_name="ghost")
    with pytest.raises(ProfileNotFound, match="'ghost'"):
        store.save_field_tests(profile_name="ghost", tests=[_test("t1")])
    assert _count(db_url, "log_sessions") == 0
    assert _count(db_url, "field_tests") == 0


def test_store_log_failure_mid_batch_rolls_back_everything(db_url: str, store: Store) -> None:
    kept = _session("a", sets=3, notes="kept")
    store.save_log_sessions(profile_name="ana", sessions=[kept])
    broken_set = LoggedSet.model_construct(exercise=None, reps=5)  # bypasses validation
    broken = _session("c").model_copy(update={"sets": [broken_set]})
    batch = [_session("a", sets=1, notes="edited"), _session("b"), broken, _session("d")]
    with pytest.raises(StoreError, match="save the training log of 'ana'") as caught:
        store.save_log_sessions(profile_name="ana", sessions=batch)
    assert "\n" not in str(caught.value)
    assert store.log_sessions(profile_name="ana") == [kept]
    assert _count(db_url, "log_sessions") == 1
    assert _count(db_url, "log_sets") == 3


def test_store_log_failure_in_a_session_row_rolls_back_too(db_url: str, store: Store) -> None:
    no_date = LoggedSession.model_construct(id="z", date=None)  # NOT NULL violation
    with pytest.raises(StoreError):
        store.save_log_sessions(profile_name="ana", sessions=[_session("a"), no_date])
    assert _count(db_url, "log_sessions") == 0
    assert _count(db_url, "log_sets") == 0


def test_store_morning_pain_by_id_by_date_and_latest(store: Store) -> None:
    store.save_log_sessions(
        profile_name="ana",
        sessions=[
            _session("mon", day=DAY),
            _session("wed-am", day=DAY + timedelta(days=2)),
            _session("wed-pm", day=DAY + timedelta(days=2)),  # logged last on that day
            _session("tue", day=DAY + timedelta(days=1)),
        ],
    )
    by_id = store.set_morning_pain(profile_name="ana", client_id="mon", on=None, pain=2)
    by_day = store.set_morning_pain(
        profile_name="ana", client_id=None, on=DAY + timedelta(days=1), pain=3
    )
    latest = store.set_morning_pain(profile_name="ana", client_id=None, on=None, pain=4)
    assert (by_id.id, by_id.morning_pain) == ("mon", 2)
    assert (by_day.id, by_day.morning_pain) == ("tue", 3)
    assert (latest.id, latest.morning_pain) == ("wed-pm", 4)
    assert {s.id: s.morning_pain for s in store.log_sessions(profile_name="ana")} == {
        "mon": 2, "tue": 3, "wed-am": None, "wed-pm": 4
    }
    assert store.log_sessions(profile_name="ana")[-1] == latest


def test_store_morning_pain_without_a_session_raises(store: Store) -> None:
    with pytest.raises(EntryNotFound, match="no logged session at all"):
        store.set_morning_pain(profile_name="ana", client_id=None, on=None, pain=1)
    store.save_log_sessions(profile_name="ana", sessions=[_session("a")])
    with pytest.raises(EntryNotFound, match="no logged session 'zz'"):
        store.set_morning_pain(profile_name="ana", client_id="zz", on=None, pain=1)
    with pytest.raises(EntryNotFound, match="on 2025-03-04"):
        store.set_morning_pain(profile_name="ana", client_id=None, on=DAY + timedelta(1), pain=1)
    with pytest.raises(EntryNotFound, match="'a' on 2025-03-04"):
        store.set_morning_pain(profile_name="ana", client_id="a", on=DAY + timedelta(1), pain=1)
    with pytest.raises(LogError, match="0 to 10"):
        store.set_morning_pain(profile_name="ana", client_id="a", on=None, pain=11)
    assert store.log_sessions(profile_name="ana")[0].morning_pain is None


def test_store_log_resend_without_morning_pain_keeps_it(store: Store) -> None:
    entry = _session(sets=2)
    store.save_log_sessions(profile_name="ana", sessions=[entry])
    store.set_morning_pain(profile_name="ana", client_id=entry.id, on=None, pain=5)
    again = store.save_log_sessions(profile_name="ana", sessions=[entry])
    assert again == LogSaveResult(unchanged=(entry.id,))
    edited = store.save_log_sessions(
        profile_name="ana", sessions=[entry.model_copy(update={"notes": "felt fine"})]
    )
    assert edited.updated == (entry.id,)
    [stored] = store.log_sessions(profile_name="ana")
    assert (stored.notes, stored.morning_pain) == ("felt fine", 5)
    store.save_log_sessions(
        profile_name="ana", sessions=[stored.model_copy(update={"morning_pain": 0})]
    )
    assert store.log_sessions(profile_name="ana")[0].morning_pain == 0


def test_store_log_since_and_until_are_inclusive(store: Store) -> None:
    days = [DAY + timedelta(days=n) for n in range(5)]
    store.save_log_sessions(
        profile_name="ana", sessions=[_session(f"s{n}", day=d) for n, d in enumerate(days)]
    )

    def ids(since: date | None, until: date | None) -> list[str]:
        found = store.log_sessions(profile_name="ana", since=since, until=until)
        return [s.id for s in found]

    assert ids(None, None) == ["s0", "s1", "s2", "s3", "s4"]
    assert ids(days[1], None) == ["s1", "s2", "s3", "s4"]
    assert ids(None, days[1]) == ["s0", "s1"]
    assert ids(days[1], days[3]) == ["s1", "s2", "s3"]
    assert ids(days[2], days[2]) == ["s2"]
    assert ids(days[3], days[1]) == []


def test_store_log_orders_by_date_then_id_and_sets_by_position(store: Store) -> None:
    late = _session("b", day=DAY)
    early = _session("z", day=DAY - timedelta(days=1))
    same_day = _session("a", day=DAY, sets=0).model_copy(
        update={"sets": [LoggedSet(exercise=name, reps=1) for name in ("zz", "aa", "mm")]}
    )
    store.save_log_sessions(profile_name="ana", sessions=[late, early, same_day])
    found = store.log_sessions(profile_name="ana")
    assert [s.id for s in found] == ["z", "a", "b"]
    assert [s.exercise for s in found[1].sets] == ["zz", "aa", "mm"]


def test_store_log_delete_removes_the_session_and_its_sets(db_url: str, store: Store) -> None:
    store.save_log_sessions(profile_name="ana", sessions=[_session("a"), _session("b", sets=3)])
    assert store.delete_log_session(profile_name="ana", client_id="b")
    assert not store.delete_log_session(profile_name="ana", client_id="b")
    assert [s.id for s in store.log_sessions(profile_name="ana")] == ["a"]
    assert _count(db_url, "log_sets") == 2
    with pytest.raises(ProfileNotFound, match="'ghost'"):
        store.delete_log_session(profile_name="ghost", client_id="a")


def test_store_log_goes_with_its_profile(db_url: str, store: Store) -> None:
    store.save_log_sessions(profile_name="ana", sessions=[_session("a")])
    store.save_field_tests(profile_name="ana", tests=[_test("t")])
    _sql(db_url, "DELETE FROM profiles")
    for table in ("log_sessions", "log_sets", "field_tests"):
        assert _count(db_url, table) == 0


def test_store_field_tests_are_idempotent(db_url: str, store: Store) -> None:
    later, earlier = _test("t2", day=DAY + timedelta(days=28)), _test("t1")
    assert store.save_field_tests(profile_name="ana", tests=[later, earlier]) == LogSaveResult(
        inserted=("t2", "t1")
    )
    again = store.save_field_tests(profile_name="ana", tests=[earlier, later])
    assert again == LogSaveResult(unchanged=("t1", "t2"))
    fixed = _test("t2", day=DAY + timedelta(days=28), left=22)
    nordic = field_test_from_data(
        {"date": DAY.isoformat(), "kind": "nordic_angle", "left": 55.5, "right": 60,
         "notes": "vinkel målt med app ✓"}
    )
    mixed = store.save_field_tests(profile_name="ana", tests=[fixed, earlier, nordic])
    assert mixed == LogSaveResult(inserted=(nordic.id,), updated=("t2",), unchanged=("t1",))
    assert store.field_tests(profile_name="ana") == sorted(
        [earlier, nordic, fixed], key=lambda t: (t.date, t.id)
    )
    assert _count(db_url, "field_tests") == 3


def test_store_log_refuses_rows_that_are_not_valid_entries(db_url: str, store: Store) -> None:
    store.save_log_sessions(profile_name="ana", sessions=[_session("a")])
    _sql(db_url, "UPDATE log_sets SET side = 'up'")
    with pytest.raises(StoreError, match="invalid"):
        store.log_sessions(profile_name="ana")


def test_store_log_loads_a_five_year_log(store: Store) -> None:
    start = date(2020, 1, 6)
    log = [
        _session(f"s{n:04d}", day=start + timedelta(days=2 * n), sets=25, pain=n % 4)
        for n in range(800)
    ]
    result = store.save_log_sessions(profile_name="ana", sessions=log)
    assert len(result.inserted) == 800
    found = store.log_sessions(profile_name="ana")
    assert len(found) == 800
    assert sum(len(s.sets) for s in found) == 20_000
    assert found == log
    again = store.save_log_sessions(profile_name="ana", sessions=log)
    assert len(again.unchanged) == 800


def test_store_log_tables_are_keyed_and_downgrade_cleanly(db_url: str) -> None:
    Store.open(db_url).close()
    engine = create_engine(db_url)
    try:
        found = inspect(engine)
        uniques = {
            table: {tuple(u["column_names"]) for u in found.get_unique_constraints(table)}
            for table in ("log_sessions", "log_sets", "field_tests")
        }
        assert uniques == {
            "log_sessions": {("profile_id", "client_id")},
            "log_sets": {("session_id", "position")},
            "field_tests": {("profile_id", "client_id")},
        }
        indexes = {tuple(i["column_names"]) for i in found.get_indexes("log_sessions")}
        assert ("profile_id", "date") in indexes
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert not {"log_sessions", "log_sets", "field_tests"} & set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
    with Store.open(db_url) as store:
        store.save_profile(name="ana", document={})
        assert store.log_sessions(profile_name="ana") == []


def test_store_log_same_new_id_sent_at_once_stores_one_row(db_url: str, store: Store) -> None:
    """A retried request racing the original: both succeed, one row (the insert skips
    an id already stored, under the write lock)."""
    import threading

    entry = _session("race-1")
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def send() -> None:
        start.wait()
        try:
            store.save_log_sessions(profile_name="ana", sessions=[entry])
        except BaseException as exc:  # collected, asserted below
            failures.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _count(db_url, "log_sessions") == 1
