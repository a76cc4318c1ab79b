"""Whether anything may have been written to the database since a moment, without a query.

``version()`` is a number that changes whenever the database may have changed, or None
when the watch cannot tell (then the caller asks the database). An answer worked out
from the database can be kept while the number stays the same.

SQLite (``DataVersionWatch``) counts the commits of *other* connections to a database
file: ``PRAGMA data_version`` on a connection changes whenever any other connection
(another thread of this process, another web worker, the CLI) has committed since that
connection last asked. A connection kept only for that question, and never used to
write, answers it in a few microseconds without reading a table.

PostgreSQL (``NotifyWatch``) has no such counter, so hamstride makes one: every
transaction that wrote through hamstride's engine sends ``pg_notify('hamstride_changes',
...)`` just before its commit (delivered at commit, not at all on rollback), and each
process keeps one connection that LISTENs on that channel and counts what it hears. A
commit of this process counts at once, when its connection goes back to the pool, so a
client's next request to the same process sees its own write with no wait (the commits
are counted per database as the URL names it, host, port and database: every store of
the process on it sees them). Another process hears of it a little after the commit (the
delivery window: well under a millisecond on an idle machine, tens of milliseconds when
every core is busy, since PostgreSQL's listening backend must be scheduled to send it;
bench/RESULTS.md, "PostgreSQL freshness"). While the
listener is not connected (before it first connects, after its connection is lost,
while it reconnects) the watch answers None, and every reconnect moves the number:
what was missed while deaf is never served as current. Writes made outside hamstride
(psql, another program) send nothing and are not seen until a hamstride write follows.

LISTEN is session state: it cannot go through a pooler in transaction mode (PgBouncer).
``HAMSTRIDE_DB_LISTEN_URL`` gives the listener a direct URL to the same database
(default: the database URL; docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import socket
import sqlite3
import threading
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from hamstride.errors import StoreError

CHANNEL = "hamstride_changes"
LISTEN_ENV = "HAMSTRIDE_DB_LISTEN_URL"
POOLER_ENV = "HAMSTRIDE_DB_POOLER"  # "transaction": a pooler in front, LISTEN must go around
LISTEN_POLL_S = 1.0  # the listener thread wakes at least this often (to see close())
RECONNECT_MAX_S = 5.0  # the longest wait between two attempts to connect the listener
# a silent network loss (no reset) is noticed by TCP keepalives: about 5 + 3 x 2 s
LISTEN_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                     "keepalives_count": 3}
PG_CONNECT_TIMEOUT_S = 10

_WROTE = "hamstride.wrote"  # on a connection's info: a statement that may write ran
_NOTIFIED = "hamstride.notified"  # the transaction sent its notification, then committed


class ChangeWatch:
    """A database the watch cannot see into (an in-memory SQLite database, another
    backend): ``version()`` is always None, every caller asks the database."""

    def version(self) -> int | None:
        return None

    def close(self) -> None:
        return None


def change_watch(engine: Engine, *, listen_url: str | None = None) -> ChangeWatch:
    """The watch for this engine's database: ``DataVersionWatch`` on a SQLite file,
    ``NotifyWatch`` on PostgreSQL (listening on ``listen_url``, else
    ``$HAMSTRIDE_DB_LISTEN_URL``, else the engine's own URL), else one that knows nothing."""
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database not in ("", ":memory:"):
        return DataVersionWatch(engine)
    if engine.dialect.name == "postgresql":
        listen_url = listen_url or os.environ.get(LISTEN_ENV, "").strip() or None
        if listen_url is None and os.environ.get(POOLER_ENV, "").strip():
            # LISTEN through a pooler in transaction mode would be lost with the
            # transaction: the watch would go deaf without knowing it
            raise StoreError(f"{POOLER_ENV} is set: set {LISTEN_ENV} too, a direct URL to "
                             "the same database for the change listener (docs/deploy.md)")
        return NotifyWatch(engine, listen_url=listen_url)
    return ChangeWatch()


class DataVersionWatch(ChangeWatch):
    """SQLite: ``PRAGMA data_version`` on a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._enabled = True
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


# -- PostgreSQL ----------------------------------------------------------------------------

class _Commits:
    """How many write transactions on one database have committed in this process
    (through any of its engines), and the mark its notifications carry: the watches of
    this process count these commits at once and skip their own notifications."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        self._nonce = secrets.token_hex(6)

    def sender(self) -> str:
        """With the pid: a forked process has a mark of its own."""
        return f"{os.getpid()}-{self._nonce}"

    def bump(self) -> None:
        with self._lock:
            self.count += 1


# per database as the URL names it (host, port, database): two stores of one process on
# one database (two repositories, a test's "other worker") see each other's commits at
# once; only other processes wait for a notification
_COMMITS: dict[tuple[str | None, int | None, str | None], _Commits] = {}
_NOTIFYING: weakref.WeakSet[Engine] = weakref.WeakSet()
_COMMITS_LOCK = threading.Lock()


def notify_writes(engine: Engine) -> _Commits:
    """Make every write transaction of ``engine`` (PostgreSQL) notify ``CHANNEL`` at its
    commit, and count those commits in this process. Once per engine.

    A transaction is a write when it ran any statement but a SELECT (SAVEPOINT and DDL
    count: a needless notification costs a cache miss, a missing one a stale answer).
    The notification is sent inside the transaction, just before COMMIT: PostgreSQL
    delivers it when the commit succeeds and drops it on rollback. The count moves when
    the connection goes back to the pool, after the COMMIT returned."""
    key = (engine.url.host, engine.url.port, engine.url.database)
    with _COMMITS_LOCK:
        commits = _COMMITS.setdefault(key, _Commits())
        if engine in _NOTIFYING:
            return commits
        _NOTIFYING.add(engine)

    def mark(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info[_WROTE] = True

    def notify(conn: Connection) -> None:
        if conn.info.pop(_WROTE, False):
            # on the DBAPI connection (through SQLAlchemy it would go through these
            # events), and with the COMMIT in the same round trip: the driver's commit
            # that follows finds the transaction ended and sends nothing
            import psycopg  # only PostgreSQL engines notify

            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            statement = _notify_and_commit(commits.sender())
            cursor = dbapi.cursor()
            try:
                cursor.execute(statement)
            except psycopg.Error as exc:  # as SQLAlchemy would have raised it
                raise DBAPIError.instance(statement.as_string(dbapi), None, exc,
                                          psycopg.Error) from exc
            finally:
                cursor.close()
            conn.info[_NOTIFIED] = True

    def forget(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)
        conn.info.pop(_NOTIFIED, None)

    def count(_dbapi: Any, record: Any) -> None:
        info = record.info
        info.pop(_WROTE, None)
        if info.pop(_NOTIFIED, False):
            commits.bump()

    event.listen(engine, "before_cursor_execute", mark)
    event.listen(engine, "commit", notify)
    event.listen(engine, "rollback", forget)
    event.listen(engine, "checkin", count)
    return commits


def _notify_and_commit(sender: str) -> Any:
    """``SELECT pg_notify(...); COMMIT`` as one simple query (no parameters: the values
    are quoted by psycopg as literals)."""
    from psycopg import sql

    return sql.SQL("SELECT pg_notify({}, {}); COMMIT").format(sql.Literal(CHANNEL),
                                                              sql.Literal(sender))


def listen_conninfo(engine: Engine, listen_url: str | None) -> str:
    """The libpq URL the listener connects to: ``listen_url`` (it must name the engine's
    database, else the watch would count another database's writes), else the engine's."""
    url: URL = engine.url
    if listen_url is not None:
        try:
            given = make_url(listen_url if "://" in listen_url else "")
        except Exception as exc:  # ArgumentError, ValueError: any bad URL
            raise StoreError(f"{LISTEN_ENV}: not a PostgreSQL URL ({exc})") from exc
        if given.get_backend_name() != "postgresql":
            raise StoreError(f"{LISTEN_ENV}: not a PostgreSQL URL")
        if given.database != url.database:
            raise StoreError(f"{LISTEN_ENV} names database '{given.database}', but the store "
                             f"opens '{url.database}': it must be the same database")
        url = given
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class NotifyWatch(ChangeWatch):
    """PostgreSQL: this process's own write commits plus what its listener heard (other
    processes' commits, and one for every (re)connection of the listener); None while
    the listener is not connected."""

    def __init__(self, engine: Engine, *, listen_url: str | None = None) -> None:
        self._commits = notify_writes(engine)
        self._conninfo = listen_conninfo(engine, listen_url)
        self._lock = threading.Lock()
        self._heard = 0
        self._connection: Any = None  # a psycopg.Connection while listening, else None
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._closed = False
        self._wake_read, self._wake_write = socket.socketpair()
        self.reconnects = 0
        """How many times the listener connected (the first time included)."""

    def version(self) -> int | None:
        """What this process wrote plus what it heard, after reading any notification
        that has arrived (a non-blocking read: about a microsecond)."""
        if self._connection is None or self._pid != os.getpid():
            self._start()
            return None
        with self._lock:
            if self._connection is None or not self._drain():
                return None
            return self._heard + self._commits.count

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            connection.close()
        self._wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * LISTEN_POLL_S)
        self._wake_read.close()
        self._wake_write.close()

    def lose(self) -> None:
        """Drop the listener's connection as if the network had: the watch answers None
        until the listener has connected again (for tests and the bench)."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
        self._wake()

    def _wake(self) -> None:
        """Wake the listener thread from its wait (it reads the byte back)."""
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def _start(self) -> None:
        """One listener thread per process, started by the first question (a forked worker
        starts its own, and never touches its parent's connection)."""
        with self._lock:
            if self._closed or (self._thread is not None and self._pid == os.getpid()):
                return
            self._pid = os.getpid()
            self._connection = None
            self._thread = threading.Thread(target=self._listen, name="hamstride-listener",
                                            daemon=True)
            self._thread.start()

    def _listen(self) -> None:
        delay = 0.05
        while not self._closed:
            try:
                connection = self._connect()
            except Exception:  # any failure to connect: try again later
                self._wait(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
                continue
            delay = 0.05
            with self._lock:
                if self._closed:
                    connection.close()
                    return
                self._connection = connection
                self._heard += 1  # whatever was missed while deaf is not served as current
                self.reconnects += 1
            self._follow(connection)

    def _connect(self) -> Any:
        import psycopg

        conninfo = psycopg.conninfo.make_conninfo(
            self._conninfo, connect_timeout=PG_CONNECT_TIMEOUT_S,
            application_name="hamstride listener", **LISTEN_KEEPALIVES)
        connection = psycopg.connect(conninfo, autocommit=True)
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _follow(self, connection: Any) -> None:
        """Read notifications as they arrive until the connection is lost or closed."""
        fd = connection.fileno()
        while True:
            try:
                ready, _, _ = select.select([fd, self._wake_read], [], [], LISTEN_POLL_S)
            except (OSError, ValueError):
                ready = [fd]
            if self._wake_read in ready:
                self._wake_read.recv(64)
            with self._lock:
                if self._connection is not connection:  # lost in version(), or closed
                    break
                if fd in ready and not self._drain():
                    break
        if not connection.closed:
            connection.close()

    def _drain(self) -> bool:
        """Count the notifications that have arrived (the lock is held); False, and the
        connection dropped, when it is lost."""
        connection = self._connection
        try:
            pgconn = connection.pgconn
            pgconn.consume_input()
            if pgconn.status != 0:  # CONNECTION_OK
                raise ConnectionError("the listener's connection is lost")
            mine = self._commits.sender().encode()
            while (heard := pgconn.notifies()) is not None:
                if heard.extra != mine:  # ours were counted at commit
                    self._heard += 1
        except Exception:  # psycopg.OperationalError, a closed connection
            self._connection = None
            return False
        return True

    def _wait(self, seconds: float) -> None:
        with contextlib.suppress(OSError, ValueError):
            select.select([self._wake_read], [], [], seconds)
