"""The ``Store``: open (and migrate) a database, save and find profiles, plans and the
training log, always those of one account.

``Store.open`` acts as the local owner (the CLI, the local server); ``store.scoped(id)``
is the same database seen by another account. Every query that finds a profile by name
also matches its account, so one account never reads or writes another's rows. Accounts
themselves are ``store.accounts`` (store/accounts.py)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import (
    Engine,
)
from sqlalchemy.exc import SQLAlchemyError

from hamstride.errors import StoreError
from hamstride.store import database
from hamstride.store.accounts import Accounts
from hamstride.store.activities import ActivityRepository
from hamstride.store.database import Database
from hamstride.store.migrate import MigrationError, upgrade_to_head
from hamstride.store.plans import PlanRepository
from hamstride.store.profiles import ProfileRepository
from hamstride.store.training_log import LogRepository
from hamstride.store.url import normalize_db_url, safe_url

_OPEN_ERRORS = (SQLAlchemyError, MigrationError, ImportError, ValueError, OSError)


class Store(ProfileRepository, PlanRepository, LogRepository, ActivityRepository):
    """Profiles, plans, training logs and activities of one account in one database, one
    repository per noun (store/profiles.py, plans.py, training_log.py, activities.py, on
    store/scope.py). Open with ``Store.open(url)`` (the local owner's view); close when
    done."""

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
        try:
            db = Database(engine, url=safe_url(url))
        except StoreError:
            engine.dispose()
            raise
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
