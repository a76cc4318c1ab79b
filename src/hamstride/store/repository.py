"""The ``Store``: open (and migrate) a database, save and find profiles, plans and the
training log, always those of one account.

``Store.open`` acts as the local owner (the CLI, the local server); ``store.scoped(id)``
is the same database seen by another account. Every query that finds a profile by name
also matches its account, so one account never reads or writes another's rows. Accounts
themselves are ``store.accounts`` (store/accounts.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from functools import cache
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from hamstride.errors import EntryNotFound, ProfileNotFound, StoreError
from hamstride.store import database
from hamstride.store.accounts import Accounts
from hamstride.store.activity_rows import ACTIVITIES, load_activities, save_activities
from hamstride.store.database import Database
from hamstride.store.log_rows import (
    chunks,
    field_test_values,
    load_field_tests,
    load_sessions,
    session_values,
    set_rows,
)
from hamstride.store.migrate import MigrationError, upgrade_to_head
from hamstride.store.models import (
    PROFILE_NAME_MAX,
    FieldTestRow,
    LogSession,
    LogSet,
    Plan,
    Profile,
    utcnow,
)
from hamstride.store.records import (
    ActivitySave,
    Freshness,
    LogSaveResult,
    StoredActivity,
    StoredPlan,
    StoredProfile,
)
from hamstride.store.url import normalize_db_url, safe_url
from hamstride.training.activity import Activity
from hamstride.training.log import FieldTest, LogError, LoggedSession

_SESSIONS = cast(Table, LogSession.__table__)
_SETS = cast(Table, LogSet.__table__)
_FIELD_TESTS = cast(Table, FieldTestRow.__table__)
_OPEN_ERRORS = (SQLAlchemyError, MigrationError, ImportError, ValueError, OSError)
_THE_PROFILE = and_(Profile.account_id == bindparam("account"),
                    Profile.name == bindparam("name"))
_PROFILE_ID = select(Profile.id).where(_THE_PROFILE)
_ACTIVE_PLAN_ID = (
    select(Plan.id)
    .join(Profile, Plan.profile_id == Profile.id)
    .where(_THE_PROFILE, Plan.is_active)
    .limit(1)
)
# the profile row locked (PostgreSQL; SQLite locks at the first write) and whether it has
# an active plan, in one query: what a log save needs to know before it writes
_PROFILE_LOCKED_PLANNED = (
    select(
        Profile.id,
        select(Plan.id).where(Plan.profile_id == Profile.id, Plan.is_active)
        .limit(1).scalar_subquery(),
    )
    .where(_THE_PROFILE)
    .with_for_update()
)
# the active plan is unique per profile (a partial unique index), so the join adds no row
_FRESHNESS = (
    select(
        Plan.id,
        Plan.created_at,
        select(func.max(LogSession.updated_at))
        .where(LogSession.profile_id == Profile.id)
        .scalar_subquery(),
        Profile.id,
        select(func.count()).where(LogSession.profile_id == Profile.id).scalar_subquery(),
    )
    .select_from(Profile)
    .outerjoin(Plan, and_(Plan.profile_id == Profile.id, Plan.is_active))
    .where(_THE_PROFILE)
)


class Store:
    """Profiles, plans and training logs of one account in one database. Open with
    ``Store.open(url)`` (the local owner's view); close when done."""

    def __init__(self, db: Database, *, account: int, accounts: Accounts) -> None:
        self._db = db
        self._account = account
        self.accounts = accounts
        """Every account of the database, and their credentials (store/accounts.py)."""
        self.url = db.url
        """The database URL with any password masked."""

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` (a URL or a sqlite file path) and migrate it to head."""
        url = normalize_db_url(url)
        engine = None
        try:
            engine = database.create(url)
            upgrade_to_head(engine)
        except _OPEN_ERRORS as exc:
            if engine is not None:
                engine.dispose()
            raise StoreError(f"cannot open database {safe_url(url)}: "
                             f"{database.reason(exc)}") from exc
        db = Database(engine, url=safe_url(url))
        accounts = Accounts(db)
        try:
            owner = accounts.local_owner()
        except StoreError:
            db.close()
            raise
        return cls(db, account=owner.id, accounts=accounts)

    def scoped(self, account: int) -> Store:
        """The same database as ``account`` sees it: its own profiles and nothing else."""
        return Store(self._db, account=account, accounts=self.accounts)

    @property
    def account(self) -> int:
        """The account whose profiles this store reads and writes."""
        return self._account

    @property
    def key(self) -> tuple[str, int]:
        """What tells this store's answers from another's, for a cache: database, account."""
        return self.url, self._account

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tools that work on whole tables (backup, restore)."""
        if self._db.closed:
            raise StoreError(f"the store for {self.url} is closed")
        return self._db.engine

    def close(self) -> None:
        """Release every pooled connection; the store (and every view of it) cannot be
        used afterwards."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- profiles -------------------------------------------------------------

    def save_profile(self, *, name: str, document: dict[str, Any]) -> StoredProfile:
        """Insert the profile, or replace the document of the profile with that name."""
        _check_name(name)
        doc = _json_document(document, what=f"profile '{name}'")
        with self._transaction(f"save profile '{name}'") as session:
            row = session.scalars(select(Profile).where(self._named(name))).one_or_none()
            now = utcnow()
            if row is None:
                row = Profile(account_id=self._account, name=name, document=doc,
                              created_at=now, updated_at=now)
                session.add(row)
            else:
                row.document = doc
                row.updated_at = now
            session.flush()
            return _stored_profile(row)

    def has_profile(self, *, name: str) -> bool:
        """Whether a profile has this name (one indexed query, no document loaded)."""
        with self._connection(f"read profile '{name}'") as connection:
            return connection.execute(_PROFILE_ID, self._bind(name)).first() is not None

    def get_profile(self, *, name: str) -> StoredProfile | None:
        """The profile with this name, or None."""
        with self._transaction(f"read profile '{name}'") as session:
            row = session.scalars(select(Profile).where(self._named(name))).one_or_none()
            return None if row is None else _stored_profile(row)

    def list_profiles(self) -> list[StoredProfile]:
        """Every profile, by name."""
        with self._transaction("list profiles") as session:
            rows = session.scalars(select(Profile).where(Profile.account_id == self._account)
                                   .order_by(Profile.name))
            return [_stored_profile(row) for row in rows]

    # -- plans ----------------------------------------------------------------

    def save_plan(
        self, *, profile_name: str, start: date, weeks: int, document: dict[str, Any],
        regenerated: bool = False,
    ) -> StoredPlan:
        """Insert a plan as the profile's active one, deactivating the others, atomically.
        ``regenerated``: derived from the log (a continuation), not made by the runner."""
        doc = _json_document(document, what=f"plan for '{profile_name}'")
        with self._transaction(f"save plan for '{profile_name}'") as session:
            profile_id = session.scalar(
                select(Profile.id).where(self._named(profile_name)).with_for_update()
            )
            if profile_id is None:
                raise ProfileNotFound(f"no profile named '{profile_name}'", field="profile")
            session.execute(
                update(Plan)
                .where(Plan.profile_id == profile_id, Plan.is_active)
                .values(is_active=False)
            )
            row = Plan(
                profile_id=profile_id,
                start=start,
                weeks=weeks,
                document=doc,
                created_at=utcnow(),
                is_active=True,
                regenerated=regenerated,
            )
            session.add(row)
            session.flush()
            return _stored_plan(row, profile_name)

    def active_plan(self, *, profile_name: str | None = None) -> StoredPlan | None:
        """The profile's active plan; with no name, the newest active plan of any profile."""
        query = self._plans().where(Plan.is_active).limit(1)
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("read the active plan") as session:
            found = session.execute(query).first()
            return None if found is None else _stored_plan(*found)

    def active_plan_id(self, *, profile_name: str) -> int | None:
        """The id of the profile's active plan, or None: one indexed query, no document."""
        with self._connection(f"read the plan of '{profile_name}'") as connection:
            return connection.execute(_ACTIVE_PLAN_ID, self._bind(profile_name)).scalar()

    def freshness(self, *, profile_name: str) -> Freshness:
        """The profile's active plan (id, when stored) and when its log last changed,
        without loading any document: what a cached answer about the plan depends on.
        One query; on SQLite none while no connection has written since the last one."""
        version = self._db.watch.version()  # before the query: a write between shows next time
        kept = self._db.freshness.get((self._account, profile_name))
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        with self._connection(f"read the plan of '{profile_name}'") as connection:
            found = connection.execute(_FRESHNESS, self._bind(profile_name)).first()
        fresh = Freshness(None, None, None) if found is None else Freshness(*found)
        if version is not None:
            if len(self._db.freshness) >= database.FRESHNESS_KEPT:
                self._db.freshness.clear()
            self._db.freshness[(self._account, profile_name)] = (version, fresh)
        return fresh

    def known_freshness(self, *, profile_name: str) -> Freshness | None:
        """``freshness()`` if it can be answered without a query (SQLite, nothing written
        since it was last read), else None: for callers that must not wait on the database."""
        version = self._db.watch.version()
        kept = self._db.freshness.get((self._account, profile_name))
        if version is None or kept is None or kept[0] != version:
            return None
        return kept[1]

    def get_plan(self, *, plan_id: int) -> StoredPlan | None:
        """The plan with this id, or None."""
        with self._transaction(f"read plan {plan_id}") as session:
            found = session.execute(self._plans().where(Plan.id == plan_id)).first()
            return None if found is None else _stored_plan(*found)

    def list_plans(self, *, profile_name: str | None = None) -> list[StoredPlan]:
        """Plans, newest first, of one profile or of all."""
        query = self._plans()
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("list plans") as session:
            return [_stored_plan(*found) for found in session.execute(query)]

    def delete_plans(self, *, plan_ids: Sequence[int]) -> int:
        """Delete these plans (derived ones the log superseded); how many went."""
        if not plan_ids:
            return 0
        mine = select(Profile.id).where(Profile.account_id == self._account)
        with self._transaction("delete plans") as session:
            result = session.execute(delete(Plan).where(Plan.id.in_(list(plan_ids)),
                                                        Plan.profile_id.in_(mine)))
            return int(getattr(result, "rowcount", 0) or 0)

    # -- training log -----------------------------------------------------------

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
            profile_id = _profile_id(db, self._account, profile_name, lock=True)
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
        with self._transaction(f"read the training log of '{profile_name}'") as db:
            where: list[ColumnElement[bool]] = [
                LogSession.profile_id == _profile_id(db, self._account, profile_name)
            ]
            if since is not None:
                where.append(LogSession.date >= since)
            if until is not None:
                where.append(LogSession.date <= until)
            return [entry for _, entry in load_sessions(db.connection(), where)]

    def log_changed_since(self, *, profile_name: str, since: datetime) -> bool:
        """Whether any logged session of the profile was written after ``since`` (the
        moment a plan was derived from the log): one indexed query, for lazy replanning."""
        with self._transaction(f"read the training log of '{profile_name}'") as db:
            profile_id = _profile_id(db, self._account, profile_name)
            found = db.scalar(
                select(LogSession.id)
                .where(LogSession.profile_id == profile_id, LogSession.updated_at > since)
                .limit(1)
            )
            return found is not None

    def delete_log_session(self, *, profile_name: str, client_id: str) -> bool:
        """Delete the session with this id and its sets; False if there was none."""
        with self._transaction(f"delete log entry '{client_id}' of '{profile_name}'") as db:
            profile_id = _profile_id(db, self._account, profile_name, lock=True)
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
            profile_id = _profile_id(db, self._account, profile_name, lock=True)
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
        with self._transaction(f"read the field tests of '{profile_name}'") as db:
            profile_id = _profile_id(db, self._account, profile_name)
            return load_field_tests(db, [FieldTestRow.profile_id == profile_id])

    # -- activities -----------------------------------------------------------

    def save_activities(
        self, *, profile_name: str, activities: Sequence[Activity], label: str
    ) -> list[ActivitySave]:
        """Store one file's activities in one transaction; known ones are duplicates."""
        with self._transaction(f"import {label} for '{profile_name}'") as db:
            profile_id = _profile_id(db, self._account, profile_name, lock=True)
            return save_activities(db, profile_id, activities, label)

    def activities(self, *, profile_name: str) -> list[StoredActivity]:
        """The profile's activities, oldest first."""
        with self._transaction(f"read the activities of '{profile_name}'") as db:
            return load_activities(db, _profile_id(db, self._account, profile_name))

    def set_activity_kind(
        self, *, profile_name: str, activity_id: str, kind: str | None
    ) -> bool:
        """Record the runner's classification of a run (None: back to automatic)."""
        with self._transaction(f"classify activity {activity_id}") as db:
            profile_id = _profile_id(db, self._account, profile_name)
            done = db.connection().execute(
                update(ACTIVITIES)
                .where(ACTIVITIES.c.profile_id == profile_id,
                       ACTIVITIES.c.activity_id == activity_id)
                .values(kind=kind)
            )
            return done.rowcount > 0

    # -- internals ------------------------------------------------------------

    def _named(self, name: str) -> ColumnElement[bool]:
        return and_(Profile.account_id == self._account, Profile.name == name)

    def _bind(self, name: str) -> dict[str, Any]:
        return {"account": self._account, "name": name}

    def _plans(self) -> Select[Plan, str]:
        """The account's plans with their profile's name, newest first."""
        return (
            select(Plan, Profile.name)
            .join(Profile, Plan.profile_id == Profile.id)
            .where(Profile.account_id == self._account)
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        )

    def _connection(self, action: str) -> AbstractContextManager[Connection]:
        return self._db.connection(action)

    def _transaction(self, action: str) -> AbstractContextManager[Session]:
        return self._db.transaction(action)


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
    """``_profile_id(lock=True)`` on a Core connection, and whether the profile has an
    active plan."""
    found = connection.execute(_PROFILE_LOCKED_PLANNED, bound).first()
    if found is None:
        raise ProfileNotFound(f"no profile named '{bound['name']}'", field="profile")
    return int(found[0]), found[1] is not None


def _profile_id(db: Session, account: int, name: str, *, lock: bool = False) -> int:
    """The id of the account's profile with this name; ``lock`` holds its row until commit
    (PostgreSQL), so concurrent writers of one profile's log take turns."""
    query = select(Profile.id).where(Profile.account_id == account, Profile.name == name)
    profile_id = db.scalar(query.with_for_update() if lock else query)
    if profile_id is None:
        raise ProfileNotFound(f"no profile named '{name}'", field="profile")
    return profile_id


def _keep_morning_pain(entry: LoggedSession, stored: LoggedSession) -> LoggedSession:
    """An entry sent without morning pain keeps the morning pain recorded since."""
    if entry.morning_pain is None and stored.morning_pain is not None:
        return entry.model_copy(update={"morning_pain": stored.morning_pain})
    return entry


def _which_session(client_id: str | None, on: date | None) -> str:
    if client_id is not None:
        return f"'{client_id}'" + ("" if on is None else f" on {on.isoformat()}")
    return "at all" if on is None else f"on {on.isoformat()}"


def _stored_profile(row: Profile) -> StoredProfile:
    return StoredProfile(
        id=row.id,
        name=row.name,
        document=row.document,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _stored_plan(row: Plan, profile_name: str) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        profile_name=profile_name,
        start=row.start,
        weeks=row.weeks,
        document=row.document,
        created_at=_utc(row.created_at),
        active=row.is_active,
        regenerated=row.regenerated,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every timestamp we write is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > PROFILE_NAME_MAX:
        raise StoreError(
            f"profile name must be 1 to {PROFILE_NAME_MAX} characters, got {name!r}",
            field="name",
        )


def _json_document(document: dict[str, Any], *, what: str) -> dict[str, Any]:
    """A JSON round trip: the caller's dict is not aliased, and what we return is what
    a later read returns (tuples become lists, keys become strings)."""
    if not isinstance(document, dict):
        raise StoreError(f"the {what} document must be a JSON object")
    try:
        copied: dict[str, Any] = json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the {what} document is not valid JSON: {exc}") from exc
    return copied
