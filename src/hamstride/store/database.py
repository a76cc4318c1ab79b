"""The one database a store works on: its engine, sessions, change watch and the one
cache of kept answers, shared by every repository and every account's view of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hamstride.errors import StoreError
from hamstride.store.kept import Kept
from hamstride.store.watch import ChangeWatch, change_watch, notify_writes

PG_CONNECT_TIMEOUT_S = 10


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
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "postgresql":
        notify_writes(engine)  # every write transaction tells the other processes
    return engine


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
