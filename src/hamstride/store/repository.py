"""The ``Store``: open (and migrate) a database, save and find profiles and plans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from alembic.util import CommandError
from sqlalchemy import Engine, Select, create_engine, event, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hamstride.errors import StoreError
from hamstride.store.migrate import upgrade_to_head
from hamstride.store.models import PROFILE_NAME_MAX, Plan, Profile, utcnow
from hamstride.store.records import StoredPlan, StoredProfile
from hamstride.store.url import normalize_db_url, safe_url

PG_CONNECT_TIMEOUT_S = 10
_OPEN_ERRORS = (SQLAlchemyError, CommandError, ImportError, ValueError, OSError)


class Store:
    """Profiles and plans in one database. Open with ``Store.open(url)``; close when done."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._closed = False
        self.url = url
        """The database URL with any password masked."""

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` (a URL or a sqlite file path) and migrate it to head."""
        url = normalize_db_url(url)
        engine: Engine | None = None
        try:
            engine = _create_engine(url)
            upgrade_to_head(engine)
        except _OPEN_ERRORS as exc:
            if engine is not None:
                engine.dispose()
            raise StoreError(f"cannot open database {safe_url(url)}: {_reason(exc)}") from exc
        return cls(engine, url=safe_url(url))

    def close(self) -> None:
        """Release every pooled connection; the store cannot be used afterwards."""
        self._closed = True
        self._engine.dispose()

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
            row = session.scalars(select(Profile).where(Profile.name == name)).one_or_none()
            now = utcnow()
            if row is None:
                row = Profile(name=name, document=doc, created_at=now, updated_at=now)
                session.add(row)
            else:
                row.document = doc
                row.updated_at = now
            session.flush()
            return _stored_profile(row)

    def get_profile(self, *, name: str) -> StoredProfile | None:
        """The profile with this name, or None."""
        with self._transaction(f"read profile '{name}'") as session:
            row = session.scalars(select(Profile).where(Profile.name == name)).one_or_none()
            return None if row is None else _stored_profile(row)

    def list_profiles(self) -> list[StoredProfile]:
        """Every profile, by name."""
        with self._transaction("list profiles") as session:
            rows = session.scalars(select(Profile).order_by(Profile.name))
            return [_stored_profile(row) for row in rows]

    # -- plans ----------------------------------------------------------------

    def save_plan(
        self, *, profile_name: str, start: date, weeks: int, document: dict[str, Any]
    ) -> StoredPlan:
        """Insert a plan as the profile's active one, deactivating the others, atomically."""
        doc = _json_document(document, what=f"plan for '{profile_name}'")
        with self._transaction(f"save plan for '{profile_name}'") as session:
            profile_id = session.scalar(
                select(Profile.id).where(Profile.name == profile_name).with_for_update()
            )
            if profile_id is None:
                raise StoreError(f"no profile named '{profile_name}'", field="profile")
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
            )
            session.add(row)
            session.flush()
            return _stored_plan(row, profile_name)

    def active_plan(self, *, profile_name: str | None = None) -> StoredPlan | None:
        """The profile's active plan; with no name, the newest active plan of any profile."""
        query = _plans().where(Plan.is_active).limit(1)
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("read the active plan") as session:
            found = session.execute(query).first()
            return None if found is None else _stored_plan(*found)

    def get_plan(self, *, plan_id: int) -> StoredPlan | None:
        """The plan with this id, or None."""
        with self._transaction(f"read plan {plan_id}") as session:
            found = session.execute(_plans().where(Plan.id == plan_id)).first()
            return None if found is None else _stored_plan(*found)

    def list_plans(self, *, profile_name: str | None = None) -> list[StoredPlan]:
        """Plans, newest first, of one profile or of all."""
        query = _plans()
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("list plans") as session:
            return [_stored_plan(*found) for found in session.execute(query)]

    # -- internals ------------------------------------------------------------

    @contextmanager
    def _transaction(self, action: str) -> Iterator[Session]:
        """One session in one transaction; SQLAlchemy errors leave as StoreError."""
        if self._closed:
            raise StoreError(f"cannot {action}: the store for {self.url} is closed")
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {action} in {self.url}: {_reason(exc)}") from exc


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _plans() -> Select[Plan, str]:
    return (
        select(Plan, Profile.name)
        .join(Profile, Plan.profile_id == Profile.id)
        .order_by(Plan.created_at.desc(), Plan.id.desc())
    )


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


def _reason(exc: BaseException) -> str:
    """The first line of the underlying error, without SQLAlchemy's SQL and links."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__
