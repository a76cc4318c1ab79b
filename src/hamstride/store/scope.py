"""What every repository of the store shares: the database, the account whose rows it
reads and writes, and the one way a profile is found by name (its account and its name,
always together)."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    select,
)
from sqlalchemy.orm import Session

from hamstride.errors import ProfileNotFound, StoreError
from hamstride.store.accounts import Accounts
from hamstride.store.coaching import Coaching
from hamstride.store.database import Database
from hamstride.store.kept import Kept
from hamstride.store.models import (
    PROFILE_NAME_MAX,
    Profile,
)

THE_PROFILE = and_(Profile.account_id == bindparam("account"),
                   Profile.name == bindparam("name"))
PROFILE_ID = select(Profile.id).where(THE_PROFILE)


class Scoped:
    """A view of the database as one account sees it; the repositories build on it."""

    def __init__(self, db: Database, *, account: int, accounts: Accounts) -> None:
        self._db = db
        self._account = account
        self.accounts = accounts
        """Every account of the database, and their credentials (store/accounts.py)."""
        self.coaching = Coaching(db)
        """Coaching links and what hangs on them, across accounts (store/coaching.py):
        only hamstride.coaching calls it, after checking who may."""
        self.url = db.url
        """The database URL with any password masked."""

    @property
    def account(self) -> int:
        """The account whose profiles this store reads and writes."""
        return self._account

    @property
    def kept(self) -> Kept:
        """The database's one cache of worked-out answers (store/kept.py); key what you
        keep by what it depends on, and by the account (``key``)."""
        return self._db.kept

    def data_version(self) -> int | None:
        """A number that changes whenever anything may have been written to the database
        (SQLite's data_version, PostgreSQL's notifications: store/watch.py), or None when
        it cannot tell cheaply: for answers kept across the whole database."""
        return self._db.watch.version()

    @property
    def key(self) -> tuple[str, int]:
        """What tells this store's answers from another's, for a cache: database, account."""
        return self.url, self._account

    def _named(self, name: str) -> ColumnElement[bool]:
        return and_(Profile.account_id == self._account, Profile.name == name)

    def _bind(self, name: str) -> dict[str, Any]:
        return {"account": self._account, "name": name}

    def _connection(self, action: str) -> AbstractContextManager[Connection]:
        return self._db.connection(action)

    def _reading(self, action: str) -> AbstractContextManager[Connection]:
        """A connection for reads only (``Database.reading``)."""
        return self._db.reading(action)

    def _transaction(self, action: str) -> AbstractContextManager[Session]:
        return self._db.transaction(action)


def find_profile_id(db: Session | Connection, account: int, name: str, *,
                    lock: bool = False) -> int:
    """The id of the account's profile with this name; ``lock`` holds its row until commit
    (PostgreSQL), so concurrent writers of one profile's log take turns."""
    query = select(Profile.id).where(Profile.account_id == account, Profile.name == name)
    profile_id = db.scalar(query.with_for_update() if lock else query)
    if profile_id is None:
        raise ProfileNotFound(f"no profile named '{name}'", field="profile")
    return profile_id





def check_name(name: str) -> None:
    if not name.strip() or len(name) > PROFILE_NAME_MAX:
        raise StoreError(
            f"profile name must be 1 to {PROFILE_NAME_MAX} characters, got {name!r}",
            field="name",
        )


def json_document(document: dict[str, Any], *, what: str) -> dict[str, Any]:
    """A JSON round trip: the caller's dict is not aliased, and what we return is what
    a later read returns (tuples become lists, keys become strings)."""
    if not isinstance(document, dict):
        raise StoreError(f"the {what} document must be a JSON object")
    try:
        copied: dict[str, Any] = json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the {what} document is not valid JSON: {exc}") from exc
    return copied
