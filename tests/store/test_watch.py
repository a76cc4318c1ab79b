"""Knowing without a query that nothing changed: SQLite's data version, PostgreSQL's
notifications (store/watch.py), and the profile freshness the store keeps with them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from hamstride.errors import StoreError
from hamstride.store import Store, database
from hamstride.store.models import Profile
from hamstride.store.records import Freshness
from hamstride.store.watch import (
    CHANNEL,
    ChangeWatch,
    DataVersionWatch,
    NotifyWatch,
    change_watch,
)
from hamstride.training.log import LoggedSession, session_from_data

DAY = date(2025, 3, 3)


def _entry(client_id: str) -> LoggedSession:
    return session_from_data({"id": client_id, "date": DAY.isoformat(), "session_rpe": 5})


@pytest.fixture
def two_stores(db_url: str) -> Iterator[tuple[Store, Store]]:
    """Two stores on one database, one reads, one writes (in one process: on PostgreSQL
    each sees the other's commits at once, as its own)."""
    with Store.open(db_url) as reader, Store.open(db_url) as writer:
        writer.save_profile(name="ana", document={"name": "ana"})
        writer.save_plan(profile_name="ana", start=DAY, weeks=4, document={"weeks": 4})
        yield reader, writer


def _moved(watch: ChangeWatch, before: int | None) -> int | None:
    """The watch's version once it differs from ``before`` (or after 10 s, the same):
    another engine's notification arrives a little after its commit."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = watch.version()
        if now is not None and now != before:
            return now
        time.sleep(0.001)
    return watch.version()


def _listening(watch: ChangeWatch) -> int:
    """The version once the watch can tell (PostgreSQL: its listener has connected)."""
    found = _moved(watch, None)
    assert found is not None
    return found


def test_watch_version_changes_only_when_another_connection_commits(
    db_url: str, two_stores: tuple[Store, Store]
) -> None:
    reader, writer = two_stores
    engine = database.create(db_url)
    watch = change_watch(engine)
    try:
        before = _listening(watch)
        assert watch.version() == before
        reader.log_sessions(profile_name="ana")  # a read is not a change
        reader.freshness(profile_name="ana")
        assert watch.version() == before
        writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
        assert _moved(watch, before) != before
    finally:
        watch.close()
        engine.dispose()
    assert watch.version() is None


def _as_another_process(db_url: str) -> str:
    """The same PostgreSQL database under another host name: this process counts the
    commits of each (host, port, database) at once, so a store opened with this URL
    writes as another process would, known to the watch only by its notification."""
    url = make_url(db_url)
    return url.set(host="localhost" if url.host != "localhost" else "127.0.0.1"
                   ).render_as_string(hide_password=False)


def test_watch_counts_a_rolled_back_write_as_nothing(
    db_url: str, two_stores: tuple[Store, Store]
) -> None:
    """A write rolled back sends nothing: the one committed after it moves the version
    once (notifications arrive in commit order)."""
    other = db_url if db_url.startswith("sqlite") else _as_another_process(db_url)
    engine = database.create(db_url)
    watch = change_watch(engine)
    try:
        with Store.open(other) as writer:
            before = _listening(watch)
            with pytest.raises(RuntimeError), writer.engine.begin() as connection:
                connection.execute(update(Profile).values(document={"name": "gone"}))
                raise RuntimeError("changed my mind")
            assert watch.version() == before
            writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
            after = _moved(watch, before)
        assert after is not None
        if db_url.startswith("postgresql"):
            assert after == before + 1  # the commit's notification, not the rollback's
    finally:
        watch.close()
        engine.dispose()


def test_watch_hears_another_process_commit(db_url: str, two_stores: tuple[Store, Store]
                                            ) -> None:
    """PostgreSQL: a commit made by another process reaches this one by its notification
    (a little after the commit: ``_moved`` waits for it)."""
    reader, _ = two_stores
    other = db_url if db_url.startswith("sqlite") else _as_another_process(db_url)
    before = _listening(reader._db.watch)
    first = reader.freshness(profile_name="ana")
    with Store.open(other) as writer:
        writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
    assert _moved(reader._db.watch, before) != before
    assert reader.known_freshness(profile_name="ana") is None
    assert reader.freshness(profile_name="ana") != first


def test_watch_sees_its_own_engine_commit_at_once(db_url: str) -> None:
    """A write of this process moves its own watch before the write call returns (no
    waiting for a notification): a client sees its own change on its next request."""
    with Store.open(db_url) as store:
        watch = store._db.watch
        before = _listening(watch)
        store.save_profile(name="ana", document={"name": "ana"})
        after = watch.version()
        assert after is not None and after != before


def test_watch_knows_nothing_while_its_listener_is_lost(db_url: str) -> None:
    """PostgreSQL: a lost listener (its connection dropped, or killed by the server)
    answers None until it has connected again, and then a new number: what was written
    while it could not hear is never served as current."""
    with Store.open(db_url) as store, Store.open(db_url) as writer:
        watch = store._db.watch
        before = _listening(watch)
        if not isinstance(watch, NotifyWatch):  # SQLite: nothing to lose but the file
            watch.close()
            assert watch.version() is None
            return
        watch.lose()
        assert watch.version() is None
        writer.save_profile(name="ana", document={"name": "ana"})  # while deaf
        back = _listening(watch)
        assert back != before and watch.reconnects == 2
        with writer.engine.connect() as connection:  # the server ends the listener
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'hamstride listener' AND datname = current_database()"))
        deadline = time.monotonic() + 10
        while watch.version() is not None and time.monotonic() < deadline:
            time.sleep(0.001)
        assert watch.reconnects >= 2
        again = _listening(watch)
        assert again not in (before, back) and watch.reconnects >= 3


def test_watch_listens_where_it_is_told_and_only_to_the_same_database(db_url: str) -> None:
    engine = database.create(db_url)
    try:
        if not db_url.startswith("postgresql"):
            assert isinstance(change_watch(engine, listen_url="postgresql://x/y"),
                              DataVersionWatch)
            return
        other = make_url(db_url).set(database="elsewhere").render_as_string(
            hide_password=False)
        with pytest.raises(StoreError, match="must be the same database"):
            change_watch(engine, listen_url=other)
        direct = make_url(db_url).set(query={"application_name": "direct"})
        watch = change_watch(engine, listen_url=direct.render_as_string(hide_password=False))
        try:
            _listening(watch)
        finally:
            watch.close()
    finally:
        engine.dispose()


def test_watch_knows_nothing_about_an_in_memory_database() -> None:
    assert change_watch(create_engine("sqlite://")).version() is None
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
    _listening(reader._db.watch)
    first = reader.freshness(profile_name="ana")  # kept under a version the watch knows
    assert reader.known_freshness(profile_name="ana") == first
    writer.save_log_sessions(profile_name="ana", sessions=[_entry("a")])
    assert reader.known_freshness(profile_name="ana") is None  # at once, in one process
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


def test_watch_is_not_moved_by_noting_when_a_credential_was_used(db_url: str) -> None:
    """A credential's "last used" is written at most every few minutes per credential,
    and nothing kept depends on it: on PostgreSQL it sends no notification (with
    thousands of runners it would otherwise undo every process's kept answers), and the
    credential's own answer is kept at once. SQLite's watch counts every commit."""
    with Store.open(db_url) as store:
        account = store.accounts.create(email="a@x.org", password_hash=None, role="athlete")
        store.accounts.add_credential(account.id, kind="token", secret_hash="a" * 64,
                                      label="script", expires_at=None)
        postgres = make_url(db_url).get_backend_name() == "postgresql"
        heard: list[str] = []
        listener = None
        if postgres:
            import psycopg

            listener = psycopg.connect(
                make_url(db_url).set(drivername="postgresql").render_as_string(False),
                autocommit=True)
            listener.execute(f"LISTEN {CHANNEL}")
        try:
            _listening(store._db.watch)
            found = store.accounts.credential("a" * 64, kind="token")
            assert found is not None and found[0].id == account.id
            [listed] = store.accounts.credentials(account.id, kind="token")
            assert listed.last_used_at is not None  # written
            if listener is None:
                assert store.accounts.kept_credential("a" * 64, kind="token") is None
                return
            assert store.accounts.kept_credential("a" * 64, kind="token") == found
            store.save_profile(name="bo", document={"name": "bo"})  # a watched write
            # notifications arrive in commit order: the profile's is the first one heard
            for note in listener.notifies(timeout=10, stop_after=1):
                heard.append(note.payload)
            assert len(heard) == 1
            assert list(listener.notifies(timeout=0.2)) == []
        finally:
            if listener is not None:
                listener.close()


def test_watch_a_commit_that_fails_with_its_notification_fails_as_sqlalchemy_would(
        db_url: str) -> None:
    """On PostgreSQL the notification goes with the COMMIT in one round trip; a COMMIT
    the database refuses (here a deferred constraint) is SQLAlchemy's IntegrityError, as
    any failed commit is (and is on SQLite), nothing is kept, and the pool's connection
    works on."""
    from sqlalchemy.exc import IntegrityError

    with Store.open(db_url) as store:
        engine = store.engine
        with engine.begin() as connection:
            connection.execute(text(
                "CREATE TABLE watch_deferred (id int PRIMARY KEY, parent int REFERENCES "
                "watch_deferred (id) DEFERRABLE INITIALLY DEFERRED)"))
        try:
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(text("INSERT INTO watch_deferred VALUES (1, 2)"))
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO watch_deferred VALUES (1, 1)"))
            with engine.connect() as connection:
                assert connection.execute(text("SELECT id, parent FROM watch_deferred")
                                          ).all() == [(1, 1)]
        finally:
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE watch_deferred"))
