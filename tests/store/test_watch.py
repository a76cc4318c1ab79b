"""Knowing without a query that nothing changed: SQLite's data version, and the profile
freshness the store keeps with it (on PostgreSQL the store always asks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine

from hamstride.store import Store
from hamstride.store.records import Freshness
from hamstride.store.watch import ChangeWatch
from hamstride.training.log import LoggedSession, session_from_data

DAY = date(2025, 3, 3)


def _entry(client_id: str) -> LoggedSession:
    return session_from_data({"id": client_id, "date": DAY.isoformat(), "session_rpe": 5})


@pytest.fixture
def two_stores(db_url: str) -> Iterator[tuple[Store, Store]]:
    """Two stores on one database, as two web workers have: one reads, one writes."""
    with Store.open(db_url) as reader, Store.open(db_url) as writer:
        writer.save_profile(name="ana", document={"name": "ana"})
        writer.save_plan(profile_name="ana", start=DAY, weeks=4, document={"weeks": 4})
        yield reader, writer


def test_watch_version_changes_only_when_another_connection_commits(
    db_url: str, two_stores: tuple[Store, Store]
) -> None:
    reader, writer = two_stores
    engine = create_engine(db_url)
    watch = ChangeWatch(engine)
    try:
        before = watch.version()
        if not db_url.startswith("sqlite"):
            assert before is None  # PostgreSQL keeps no such counter
            return
        assert before is not None and watch.version() == before
        reader.log_sessions(profile_name="ana")  # a read is not a change
        assert watch.version() == before
        writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
        assert watch.version() != before
    finally:
        watch.close()
        engine.dispose()
    assert watch.version() is None


def test_watch_knows_nothing_about_an_in_memory_database() -> None:
    assert ChangeWatch(create_engine("sqlite://")).version() is None
    with Store.open("sqlite://") as store:
        store.freshness(profile_name="ana")
        assert store.known_freshness(profile_name="ana") is None


def test_store_freshness_is_known_until_another_store_writes(
    db_url: str, two_stores: tuple[Store, Store]
) -> None:
    reader, writer = two_stores
    first = reader.freshness(profile_name="ana")
    assert first.plan_id is not None and first.profile_id is not None
    assert (first.log_changed_at, first.log_sessions) == (None, 0)
    kept = reader.known_freshness(profile_name="ana")
    assert kept == (first if db_url.startswith("sqlite") else None)
    writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
    assert reader.known_freshness(profile_name="ana") is None
    after = reader.freshness(profile_name="ana")
    assert after.log_sessions == 1 and after.log_changed_at is not None
    assert after != first


@pytest.mark.parametrize("change", ["insert", "edit", "delete", "new plan"])
def test_store_freshness_changes_with_every_kind_of_write(
    two_stores: tuple[Store, Store], change: str
) -> None:
    reader, writer = two_stores
    writer.save_log_sessions(profile_name="ana", sessions=[_entry("a"), _entry("b")])
    writer.save_log_sessions(profile_name="ana", sessions=[_entry("a").model_copy(
        update={"notes": "edited last"})])
    before = reader.freshness(profile_name="ana")
    if change == "insert":
        writer.save_log_sessions(profile_name="ana", sessions=[_entry("c")])
    elif change == "edit":
        writer.save_log_sessions(profile_name="ana", sessions=[_entry("b").model_copy(
            update={"pain": 2})])
    elif change == "delete":  # not the session changed last: the count tells
        assert writer.delete_log_session(profile_name="ana", client_id="b")
    else:
        writer.save_plan(profile_name="ana", start=DAY, weeks=6, document={"weeks": 6})
    assert reader.freshness(profile_name="ana") != before


def test_store_profile_and_plan_checks_without_documents(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert not store.has_profile(name="ana")
        assert store.active_plan_id(profile_name="ana") is None
        assert store.freshness(profile_name="ana") == Freshness(None, None, None)
        store.save_profile(name="ana", document={"name": "ana"})
        assert store.has_profile(name="ana")
        assert store.active_plan_id(profile_name="ana") is None
        plan = store.save_plan(profile_name="ana", start=DAY, weeks=4, document={})
        assert store.active_plan_id(profile_name="ana") == plan.id
        assert store.freshness(profile_name="ana").plan_id == plan.id
