"""The training log: an account's logged sessions with their sets, and field tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from hamstride.errors import EntryNotFound, ProfileNotFound, StoreError
from hamstride.store.log_rows import (
    SESSION_COLUMNS,
    chunks,
    field_test_values,
    load_field_tests,
    load_sessions,
    session_values,
    sessions_of,
    set_rows,
)
from hamstride.store.models import (
    FieldTestRow,
    LogSession,
    LogSet,
    Plan,
    Profile,
    utcnow,
)
from hamstride.store.records import (
    LogSaveResult,
)
from hamstride.store.scope import (
    THE_PROFILE,
    Scoped,
    find_profile_id,
)
from hamstride.training.log import FieldTest, LogError, LoggedSession

_SESSIONS = cast(Table, LogSession.__table__)
_SETS = cast(Table, LogSet.__table__)
_FIELD_TESTS = cast(Table, FieldTestRow.__table__)
# the profile row locked (PostgreSQL; SQLite locks at the first write) and whether it has
# an active plan, in one query: what a log save needs to know before it writes
_PROFILE_LOCKED_PLANNED = (
    select(
        Profile.id,
        select(Plan.id).where(Plan.profile_id == Profile.id, Plan.is_active)
        .limit(1).scalar_subquery(),
    )
    .where(THE_PROFILE)
    .with_for_update()
)

class LogRepository(Scoped):
    """The account's training log."""

    def save_log_sessions(
        self, *, profile_name: str, sessions: Sequence[LoggedSession]
    ) -> LogSaveResult:
        """Upsert logged sessions by id, all or nothing (see ``_save_log_sessions``)."""
        return self._save_log_sessions(profile_name=profile_name, sessions=sessions)

    def _save_log_sessions(
        self, *, profile_name: str, sessions: Sequence[LoggedSession]
    ) -> LogSaveResult:
        """Upsert logged sessions by id, all or nothing; see ``LogSaveResult``.

        A known id with new content replaces the session's fields and all its sets, except
        that an entry without ``morning_pain`` keeps the one already stored (it is usually
        recorded the next day, after the entry was first sent).

        Each id is first inserted as it first appears in the batch, in one statement that
        skips the ids the profile has (``ON CONFLICT DO NOTHING``): a new entry costs one
        insert, and only the known ids are read back to be compared. The insert takes the
        write lock (SQLite) and the profile row is locked (PostgreSQL), so no other save
        of the profile's log comes between the read and the writes.
        """
        batch = list(sessions)
        firsts: dict[str, LoggedSession] = {}
        for entry in batch:
            firsts.setdefault(entry.id, entry)
        with self._connection(f"save the training log of '{profile_name}'") as connection:
            profile_id, planned = _locked_profile(connection, self._bind(profile_name))
            now = utcnow()
            rows = _insert_new_sessions(connection, profile_id, firsts, now)
            new = set(rows)
            stored = _stored_sessions(connection, profile_id, [i for i in firsts if i not in new])
            rows.update((client_id, row) for client_id, (row, _) in stored.items())
            current = {client_id: entry for client_id, (_, entry) in stored.items()}
            changed: dict[str, LoggedSession] = {}
            tally = _Tally()
            for entry in batch:
                before = current.get(entry.id)
                if before is not None:
                    entry = _keep_morning_pain(entry, before)
                if tally.count(entry.id, before=before, after=entry):
                    current[entry.id] = entry
                    if before is not None:
                        changed[entry.id] = entry
            _rewrite_sessions(connection, {rows[i]: e for i, e in changed.items()}, now,
                              stored_rows={row for row, _ in stored.values()})
            written = [i for i in firsts if i in new or i in changed]
            _insert_sets(connection,
                         [row for i in written for row in set_rows(rows[i], current[i])])
            return tally.result(planned=planned)

    def set_morning_pain(
        self, *, profile_name: str, client_id: str | None, on: date | None, pain: int
    ) -> LoggedSession:
        """Record next-morning pain (0-10) on the session with this id, else on the latest
        session dated ``on``, else on the latest session of all. "Latest" is the latest
        date, then the one logged last. Given both, the id and the date must both match."""
        if isinstance(pain, bool) or not 0 <= pain <= 10:
            raise LogError(f"morning pain is 0 to 10, got {pain!r}", field="morning_pain")
        which = _which_session(client_id, on)
        with self._transaction(f"record morning pain for '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name, lock=True)
            query = select(LogSession.id).where(LogSession.profile_id == profile_id)
            if client_id is not None:
                query = query.where(LogSession.client_id == client_id)
            if on is not None:
                query = query.where(LogSession.date == on)
            row_id = db.scalar(
                query.order_by(LogSession.date.desc(), LogSession.id.desc()).limit(1)
            )
            if row_id is None:
                raise EntryNotFound(
                    f"'{profile_name}' has no logged session {which}", field="session"
                )
            db.execute(
                update(LogSession)
                .where(LogSession.id == row_id)
                .values(morning_pain=pain, updated_at=utcnow())
            )
            [(_, entry)] = load_sessions(db.connection(), [LogSession.id == row_id])
            return entry

    def log_sessions(
        self, *, profile_name: str, since: date | None = None, until: date | None = None
    ) -> list[LoggedSession]:
        """The profile's logged sessions dated ``since`` to ``until`` (both inclusive, either
        open), by date then id, each with its sets in order."""
        on_days: list[ColumnElement[bool]] = []
        if since is not None:
            on_days.append(LogSession.date >= since)
        if until is not None:
            on_days.append(LogSession.date <= until)
        # one query finds the profile and its sessions' rows (none: a row of NULLs)
        heads = (select(Profile.id, *SESSION_COLUMNS).select_from(Profile)
                 .outerjoin(LogSession, and_(LogSession.profile_id == Profile.id, *on_days))
                 .where(THE_PROFILE).order_by(LogSession.date, LogSession.client_id))
        with self._reading(f"read the training log of '{profile_name}'") as connection:
            rows = connection.execute(heads, self._bind(profile_name)).all()
            if not rows:
                raise ProfileNotFound(f"no profile named '{profile_name}'", field="profile")
            where = [LogSession.profile_id == rows[0][0], *on_days]
            found = sessions_of(connection, [row[1:] for row in rows if row[1] is not None],
                                where)
        return [entry for _, entry in found]

    def delete_log_session(self, *, profile_name: str, client_id: str) -> bool:
        """Delete the session with this id and its sets; False if there was none."""
        with self._transaction(f"delete log entry '{client_id}' of '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name, lock=True)
            row_id = db.scalar(
                select(LogSession.id).where(
                    LogSession.profile_id == profile_id, LogSession.client_id == client_id
                )
            )
            if row_id is None:
                return False
            db.execute(delete(LogSession).where(LogSession.id == row_id))
            return True

    def save_field_tests(self, *, profile_name: str, tests: Sequence[FieldTest]) -> LogSaveResult:
        """Upsert field-test results by id, all or nothing, like ``save_log_sessions``."""
        return _once_more_on_conflict(
            lambda: self._save_field_tests(profile_name=profile_name, tests=tests))

    def _save_field_tests(self, *, profile_name: str,
                          tests: Sequence[FieldTest]) -> LogSaveResult:
        batch = list(tests)
        with self._transaction(f"save the field tests of '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name, lock=True)
            current: dict[str, FieldTest] = {}
            for ids in chunks({test.id for test in batch}):
                where = [FieldTestRow.profile_id == profile_id, FieldTestRow.client_id.in_(ids)]
                current.update((test.id, test) for test in load_field_tests(db, where))
            known = set(current)
            to_write: dict[str, FieldTest] = {}
            tally = _Tally()
            for test in batch:
                if tally.count(test.id, before=current.get(test.id), after=test):
                    current[test.id] = to_write[test.id] = test
            _write_field_tests(db, profile_id, to_write, known)
            return tally.result()

    def field_tests(self, *, profile_name: str) -> list[FieldTest]:
        """The profile's field-test results, by date then id."""
        with self._reading(f"read the field tests of '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name)
            return load_field_tests(db, [FieldTestRow.profile_id == profile_id])


def _once_more_on_conflict(save: Callable[[], LogSaveResult]) -> LogSaveResult:
    try:
        return save()
    except StoreError as exc:
        if isinstance(exc.__cause__, IntegrityError):
            return save()
        raise


# Core statements on the tables, not ORM bulk ones: those leave out None values, which
# splits a batch into one statement per distinct set of present keys.

def _insert_new_sessions(connection: Connection, profile_id: int,
                         entries: dict[str, LoggedSession], now: datetime) -> dict[str, int]:
    """Insert the entries whose ids the profile does not have yet; their row ids by id."""
    returned = connection.execute(
        _insert_ignoring_known(connection.dialect.name),
        [{"profile_id": profile_id, "client_id": client_id, "created_at": now,
          "updated_at": now, **session_values(entry)} for client_id, entry in entries.items()],
    )
    return {row[0]: row[1] for row in returned}  # client id -> row id


@cache
def _insert_ignoring_known(dialect: str) -> ReturningInsert[str, int]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING, the same SQL on the store's two
    backends (SQLite >= 3.35 and PostgreSQL); built once per backend."""
    from sqlalchemy.dialects import postgresql, sqlite

    make = sqlite.insert if dialect == "sqlite" else postgresql.insert
    return (make(_SESSIONS)
            .on_conflict_do_nothing(index_elements=[_SESSIONS.c.profile_id,
                                                    _SESSIONS.c.client_id])
            .returning(_SESSIONS.c.client_id, _SESSIONS.c.id))


def _stored_sessions(connection: Connection, profile_id: int,
                     client_ids: list[str]) -> dict[str, tuple[int, LoggedSession]]:
    """The profile's stored sessions with these ids: (row id, entry) by id."""
    stored: dict[str, tuple[int, LoggedSession]] = {}
    for ids in chunks(client_ids):
        where = [LogSession.profile_id == profile_id, LogSession.client_id.in_(ids)]
        stored.update((entry.id, (row, entry)) for row, entry in load_sessions(connection, where))
    if len(stored) < len(client_ids):  # skipped by the insert, yet gone: deleted meanwhile
        raise StoreError("the training log changed during the save; send the entries again")
    return stored


def _rewrite_sessions(connection: Connection, entries: dict[int, LoggedSession],
                      now: datetime, *, stored_rows: set[int]) -> None:
    """Replace the fields of these sessions (by row id), and drop the sets of the ones
    stored before this save (their new sets are inserted with the others)."""
    if not entries:
        return
    connection.execute(
        update(_SESSIONS).where(_SESSIONS.c.id == bindparam("row_id")),
        [{"row_id": row_id, "updated_at": now, **session_values(entry)}
         for row_id, entry in entries.items()],
    )
    for ids in chunks(row_id for row_id in entries if row_id in stored_rows):
        connection.execute(delete(_SETS).where(_SETS.c.session_id.in_(ids)))


def _insert_sets(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(_SETS), rows)


def _write_field_tests(
    db: Session, profile_id: int, tests: dict[str, FieldTest], known: set[str]
) -> None:
    """Insert the tests whose ids are not ``known`` and replace the others' fields."""
    connection = db.connection()
    now = utcnow()
    new = [
        {"profile_id": profile_id, "client_id": client_id, "created_at": now,
         **field_test_values(test)}
        for client_id, test in tests.items()
        if client_id not in known
    ]
    changed = [
        {"match_id": client_id, **field_test_values(test)}
        for client_id, test in tests.items()
        if client_id in known
    ]
    if new:
        connection.execute(insert(_FIELD_TESTS), new)
    if changed:
        connection.execute(
            update(_FIELD_TESTS).where(
                _FIELD_TESTS.c.profile_id == profile_id,
                _FIELD_TESTS.c.client_id == bindparam("match_id"),
            ),
            changed,
        )


class _Tally:
    """Classifies a batch entry by entry, as if each were saved on its own."""

    def __init__(self) -> None:
        self.inserted: list[str] = []
        self.updated: list[str] = []
        self.unchanged: list[str] = []

    def count(self, client_id: str, *, before: object | None, after: object) -> bool:
        """Record what saving ``after`` over ``before`` does; True if it writes."""
        if before is None:
            self.inserted.append(client_id)
        elif before == after:
            self.unchanged.append(client_id)
            return False
        else:
            self.updated.append(client_id)
        return True

    def result(self, *, planned: bool | None = None) -> LogSaveResult:
        return LogSaveResult(tuple(self.inserted), tuple(self.updated), tuple(self.unchanged),
                             planned)


def _locked_profile(connection: Connection, bound: dict[str, Any]) -> tuple[int, bool]:
    """``find_profile_id(lock=True)`` on a Core connection, and whether the profile has an
    active plan."""
    found = connection.execute(_PROFILE_LOCKED_PLANNED, bound).first()
    if found is None:
        raise ProfileNotFound(f"no profile named '{bound['name']}'", field="profile")
    return int(found[0]), found[1] is not None


def _keep_morning_pain(entry: LoggedSession, stored: LoggedSession) -> LoggedSession:
    """An entry sent without morning pain keeps the morning pain recorded since."""
    if entry.morning_pain is None and stored.morning_pain is not None:
        return entry.model_copy(update={"morning_pain": stored.morning_pain})
    return entry


def _which_session(client_id: str | None, on: date | None) -> str:
    if client_id is not None:
        return f"'{client_id}'" + ("" if on is None else f" on {on.isoformat()}")
    return "at all" if on is None else f"on {on.isoformat()}"
