"""The one database a store works on: its engine, sessions, change watch and the one
cache of kept answers, shared by every repository and every account's view of it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hamstride.errors import StoreError
from hamstride.store.kept import Kept
from hamstride.store.watch import POOLER_ENV, ChangeWatch, change_watch, notify_writes

PG_CONNECT_TIMEOUT_S = 10
PG_POOL_SIZE = 5  # connections a process keeps: the web app runs the database work in 4
PG_MAX_OVERFLOW = 10  # more, opened for a burst and closed after it
PG_PING_IDLE_S = 10.0  # a connection idle longer is checked before it is used again
PG_RECYCLE_S = 1800  # and one older than this is replaced (a server or proxy time-out)
POOL_SIZE_ENV = "HAMSTRIDE_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "HAMSTRIDE_DB_MAX_OVERFLOW"


class Database:
    """An open database. ``connection`` and ``transaction`` run one transaction each and
    turn SQLAlchemy's errors into StoreError naming the action."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self.engine = engine
        self.url = url  # with any password masked
        self.watch: ChangeWatch = change_watch(engine)
        """Whether anything may have changed, without a query (store/watch.py)."""
        self.kept = Kept()
        """The one cache of answers worked out from this database (store/kept.py)."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._closed = False
        # SQLite's driver begins a transaction only before a write: its reads need nothing
        self._autocommit_reads = engine.dialect.name == "postgresql"

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        self.watch.close()
        self.engine.dispose()

    @contextmanager
    def connection(self, action: str) -> Iterator[Connection]:
        """One Core connection in one transaction, for the hot paths: an ORM session costs
        more than the few statements it would run."""
        with self.errors(action), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reading(self, action: str) -> Iterator[Connection]:
        """One Core connection for statements that only read. On PostgreSQL it runs in
        autocommit: no BEGIN and no COMMIT, two round trips fewer per read. Nothing is
        lost by that: at READ COMMITTED (the default, and hamstride's) each statement of a
        transaction sees what was committed before it began anyway. Never write through
        it: an autocommitted write would not notify the other processes (watch.py)."""
        with self.errors(action), self.engine.connect() as connection:
            if self._autocommit_reads:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection

    @property
    def watches_unwatched(self) -> bool:
        """Whether an ``unwatched`` write still moves the watch (SQLite: every commit)."""
        return not self._autocommit_reads

    @contextmanager
    def unwatched(self, action: str) -> Iterator[Connection]:
        """One Core connection for a single write that no kept answer depends on (a
        credential's "last used"). On PostgreSQL it is autocommitted and sends no
        notification (one round trip, not four), so it does not make every process work
        its kept answers out again; SQLite's watch counts every commit whatever."""
        with self.errors(action), self.engine.connect() as connection:
            if self._autocommit_reads:
                yield connection.execution_options(isolation_level="AUTOCOMMIT")
            else:
                yield connection
                connection.commit()

    @contextmanager
    def transaction(self, action: str) -> Iterator[Session]:
        """One ORM session in one transaction."""
        with self.errors(action), self._sessions.begin() as session:
            yield session

    @contextmanager
    def errors(self, action: str) -> Iterator[None]:
        """A closed store, and SQLAlchemy's errors, as StoreError naming ``action``."""
        if self._closed:
            raise StoreError(f"cannot {action}: the store for {self.url} is closed")
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {action} in {self.url}: {reason(exc)}") from exc


def create(url: str) -> Engine:
    """The engine for ``url``. On PostgreSQL its pool follows ``pool_settings()`` (the
    environment; docs/deploy.md, "PostgreSQL: processes, pools and PgBouncer"), and
    every write transaction notifies the other processes (store/watch.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    if parsed.get_backend_name() != "postgresql":
        return create_engine(parsed)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    pool_size, max_overflow, pooler = pool_settings()
    if pooler == "transaction":
        # psycopg prepares a statement on a connection after 5 runs and keeps it there:
        # behind a pooler in transaction mode the next transaction may run elsewhere
        connect_args["prepare_threshold"] = None
    engine = create_engine(parsed, pool_size=pool_size, max_overflow=max_overflow,
                           pool_recycle=PG_RECYCLE_S, connect_args=connect_args)
    event.listen(engine, "checkin", _pg_on_checkin)
    event.listen(engine, "checkout", _pg_on_checkout)
    notify_writes(engine)  # every write transaction tells the other processes
    return engine


def pool_settings() -> tuple[int, int, str]:
    """Pool size, overflow and the pooler in front (``""`` or ``"transaction"``), from
    ``HAMSTRIDE_DB_POOL_SIZE``, ``HAMSTRIDE_DB_MAX_OVERFLOW``, ``HAMSTRIDE_DB_POOLER``."""
    def count(name: str, default: int, least: int) -> int:
        given = os.environ.get(name, "").strip()
        if not given:
            return default
        if not given.isdigit() or int(given) < least:
            raise StoreError(f"{name}: a whole number of at least {least}, not '{given}'")
        return int(given)

    pooler = os.environ.get(POOLER_ENV, "").strip().lower()
    if pooler not in ("", "transaction"):
        raise StoreError(f"{POOLER_ENV}: 'transaction' (PgBouncer in transaction mode) or "
                         f"empty, not '{pooler}'")
    return (count(POOL_SIZE_ENV, PG_POOL_SIZE, 1), count(MAX_OVERFLOW_ENV, PG_MAX_OVERFLOW, 0),
            pooler)


_IDLE_SINCE = "hamstride.idle_since"


def _pg_on_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _pg_on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection idle for more than PG_PING_IDLE_S is asked whether it still works
    before it is handed out (a dead one is replaced: SQLAlchemy tries another); one in
    steady use is not, which saves a round trip per request over ``pool_pre_ping``."""
    since = record.info.get(_IDLE_SINCE)
    if since is None or time.monotonic() - since < PG_PING_IDLE_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # any failure: the connection is not to be used
        raise DisconnectionError(f"a pooled connection is gone: {exc}") from exc


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # several web workers share one file: readers never block the writer (WAL), and a
    # writer waits its turn instead of failing at once
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def reason(exc: BaseException) -> str:
    """The first line of the underlying error, without SQLAlchemy's SQL and links."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__
