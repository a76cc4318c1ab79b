"""The PostgreSQL pool: its size from the environment, a pooled connection that died while
idle replaced before use (no ping per request), and the settings for PgBouncer in
transaction mode (no prepared statements kept, the listener around it). On SQLite none
of it applies: the settings are not read."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hamstride.errors import StoreError
from hamstride.store import Store, database
from hamstride.store.watch import LISTEN_ENV, POOLER_ENV


def _postgres(db_url: str) -> bool:
    return db_url.startswith("postgresql")


def test_pool_size_and_overflow_come_from_the_environment(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(database.POOL_SIZE_ENV, "3")
    monkeypatch.setenv(database.MAX_OVERFLOW_ENV, "0")
    engine = database.create(db_url)
    try:
        pool = engine.pool
        if _postgres(db_url):
            assert (pool.size(), pool._max_overflow) == (3, 0)  # type: ignore[attr-defined]
        else:
            assert pool._max_overflow != 0  # type: ignore[attr-defined]
    finally:
        engine.dispose()


@pytest.mark.parametrize(("name", "value"), [(database.POOL_SIZE_ENV, "0"),
                                             (database.MAX_OVERFLOW_ENV, "lots"),
                                             (POOLER_ENV, "session")])
def test_bad_pool_settings_are_refused_in_words(
        db_url: str, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    if not _postgres(db_url):
        database.create(db_url).dispose()  # not read
        return
    with pytest.raises(StoreError, match=name):
        database.create(db_url)


def test_a_connection_that_died_while_idle_is_replaced_before_use(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server ended every pooled connection (a restart, an idle time-out): the next
    transaction after PG_PING_IDLE_S gets a working connection, not an error."""
    with Store.open(db_url) as store, Store.open(db_url) as admin:
        store.save_profile(name="ana", document={"name": "ana"})
        if _postgres(db_url):
            with store.engine.connect() as connection:
                mine = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.engine.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": mine})
            monkeypatch.setattr(database, "PG_PING_IDLE_S", 0.0)
        assert store.has_profile(name="ana")


def test_behind_a_transaction_pooler_nothing_is_prepared_and_the_listener_goes_around(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOLER_ENV, "transaction")
    monkeypatch.delenv(LISTEN_ENV, raising=False)
    if not _postgres(db_url):
        Store.open(db_url).close()  # not read
        return
    with pytest.raises(StoreError, match=LISTEN_ENV):
        Store.open(db_url)
    monkeypatch.setenv(LISTEN_ENV, db_url)
    with Store.open(db_url) as store:
        for _ in range(10):  # psycopg would prepare it after 5
            assert not store.has_profile(name="ana")
        with store.engine.connect() as connection:
            assert connection.connection.driver_connection.prepare_threshold is None  # type: ignore[union-attr]
            prepared = connection.execute(text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar_one() == 0
    monkeypatch.delenv(POOLER_ENV)
    with Store.open(db_url) as store, store.engine.connect() as connection:
        assert connection.connection.driver_connection.prepare_threshold == 5  # type: ignore[union-attr]
