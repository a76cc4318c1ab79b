"""Whether anything may have been written to the database since a moment: cheap on SQLite.

SQLite counts the commits of *other* connections to a database file: ``PRAGMA
data_version`` on a connection changes whenever any other connection (another thread of
this process, another web worker, the CLI) has committed since that connection last asked.
A connection kept only for that question, and never used to write, answers it in a few
microseconds without reading a table, so an answer derived from the database can be kept
while the number stays the same. PostgreSQL has no such counter: there the watch knows
nothing and the callers query.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError


class ChangeWatch:
    """``version()``: a number that changes when the database may have changed, or None
    when this database cannot tell cheaply (PostgreSQL, an in-memory SQLite database)."""

    def __init__(self, engine: Engine) -> None:
        database = engine.url.database or ""
        self._engine = engine
        self._enabled = engine.dialect.name == "sqlite" and database not in ("", ":memory:")
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one sqlite3 connection, several threads

    def version(self) -> int | None:
        """The kept connection's data version. It never waits for a lock (a reader in WAL
        mode does not, and its busy timeout is 0): a busy database answers None, "ask it"."""
        if not self._enabled:
            return None
        with self._lock:
            try:
                connection = self._connection or self._connect()
                row = connection.execute("PRAGMA data_version").fetchone()
            except (sqlite3.Error, SQLAlchemyError):
                return None
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._enabled = False
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _connect(self) -> sqlite3.Connection:
        """A connection made like the pool's (same file, same pragmas), then detached from
        the pool: it is ours for good, and the pool makes another when it needs one."""
        pooled = self._engine.raw_connection()
        pooled.detach()
        connection = pooled.dbapi_connection
        assert isinstance(connection, sqlite3.Connection)
        connection.execute("PRAGMA busy_timeout = 0")
        self._connection = connection
        return connection
