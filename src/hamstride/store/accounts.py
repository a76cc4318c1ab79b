"""Accounts, the credentials that stand for them (sessions, API tokens, reset links, all
stored as SHA-256 digests) and the audit log: the store's side of "who is asking".

Hashing passwords and making secrets is not done here (hamstride.accounts); this module
only keeps what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hamstride.errors import ConflictError
from hamstride.store.database import Database
from hamstride.store.models import Account, AuditEvent, Credential, Profile, utcnow

_ACCOUNTS = cast(Table, Account.__table__)
_CREDENTIALS = cast(Table, Credential.__table__)
_AUDIT = cast(Table, AuditEvent.__table__)
TOUCH_EVERY = timedelta(minutes=5)  # a credential's "last used" is this precise, not more


@dataclass(frozen=True, slots=True)
class StoredAccount:
    id: int
    email: str | None
    password_hash: str | None
    role: str
    digest: bool
    local_owner: bool
    created_at: datetime
    reminders: bool = False


@dataclass(frozen=True, slots=True)
class StoredCredential:
    id: int
    kind: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    at: datetime
    event: str
    address: str
    detail: str


_ACCOUNT_COLUMNS = (Account.id, Account.email, Account.password_hash, Account.role,
                    Account.digest, Account.local_owner, Account.created_at, Account.reminders)
_N = len(_ACCOUNT_COLUMNS)


class Accounts:
    """The accounts of one database (``store.accounts``)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # in the database's cache, ("credential", kind, digest) -> (data version, account,
        # credential id, last used): a credential is checked on every request, and on
        # nothing need be read while the watch knows nothing was written (store/watch.py)

    # -- accounts -------------------------------------------------------------------------

    def local_owner(self) -> StoredAccount:
        """The account the CLI and the local server act as (made again if deleted)."""
        with self._db.connection("find the local owner") as connection:
            found = connection.execute(
                select(*_ACCOUNT_COLUMNS).where(Account.local_owner)).first()
            if found is None:
                connection.execute(insert(_ACCOUNTS).values(
                    role="admin", digest=False, local_owner=True, created_at=utcnow()))
                found = connection.execute(
                    select(*_ACCOUNT_COLUMNS).where(Account.local_owner)).one()
        return _account(found)

    def create(self, *, email: str, password_hash: str | None, role: str,
               digest: bool = False, claim_local: bool = True) -> StoredAccount:
        """A new account. With ``claim_local``, the first one takes over the local owner's
        account, and so every profile made before accounts were turned on."""
        with self._db.connection(f"create the account {email}") as connection:
            owner = None if not claim_local else connection.execute(
                select(Account.id).where(Account.local_owner, Account.email.is_(None))).first()
            values = {"email": email, "password_hash": password_hash, "role": role,
                      "digest": digest}
            try:
                if owner is not None:
                    connection.execute(update(_ACCOUNTS).where(_ACCOUNTS.c.id == owner[0])
                                       .values(**values))
                else:
                    connection.execute(insert(_ACCOUNTS).values(
                        **values, local_owner=False, created_at=utcnow()))
            except IntegrityError as exc:
                raise ConflictError(f"an account with the e-mail {email} exists already.",
                                    field="email") from exc
            found = connection.execute(
                select(*_ACCOUNT_COLUMNS).where(Account.email == email)).one()
        return _account(found)

    def by_email(self, email: str) -> StoredAccount | None:
        with self._db.connection("find an account") as connection:
            found = connection.execute(
                select(*_ACCOUNT_COLUMNS).where(Account.email == email)).first()
        return None if found is None else _account(found)

    def get(self, account_id: int) -> StoredAccount | None:
        with self._db.connection("find an account") as connection:
            found = connection.execute(
                select(*_ACCOUNT_COLUMNS).where(Account.id == account_id)).first()
        return None if found is None else _account(found)

    def all(self) -> list[tuple[StoredAccount, int]]:
        """Every account with an e-mail, by e-mail, and how many profiles each has."""
        profiles = (select(func.count()).where(Profile.account_id == Account.id)
                    .scalar_subquery())
        with self._db.connection("list the accounts") as connection:
            rows = connection.execute(select(*_ACCOUNT_COLUMNS, profiles)
                                      .where(Account.email.is_not(None))
                                      .order_by(Account.email))
            return [(_account(row[:-1]), int(row[-1])) for row in rows]

    def delete(self, account_id: int) -> bool:
        """Delete the account and everything it owns (the foreign keys cascade)."""
        with self._db.connection("delete an account") as connection:
            done = connection.execute(delete(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id))
        self._db.kept.forget("credential")
        return done.rowcount > 0

    def set_password(self, account_id: int, password_hash: str) -> None:
        with self._db.connection("change a password") as connection:
            connection.execute(update(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id)
                               .values(password_hash=password_hash))

    def set_digest(self, account_id: int, digest: bool) -> None:
        with self._db.connection("change the digest setting") as connection:
            connection.execute(update(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id)
                               .values(digest=digest))

    def set_reminders(self, account_id: int, reminders: bool) -> None:
        with self._db.connection("change the reminder setting") as connection:
            connection.execute(update(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id)
                               .values(reminders=reminders))

    def mailed(self, *, kind: str) -> list[StoredAccount]:
        """The accounts with an e-mail that asked for this mail ("digest", "reminders")."""
        wanted = Account.digest if kind == "digest" else Account.reminders
        with self._db.connection(f"list the accounts that want {kind}") as connection:
            rows = connection.execute(select(*_ACCOUNT_COLUMNS)
                                      .where(wanted, Account.email.is_not(None))
                                      .order_by(Account.id))
            return [_account(row) for row in rows]

    # -- credentials ----------------------------------------------------------------------

    def add_credential(self, account_id: int, *, kind: str, secret_hash: str, label: str,
                       expires_at: datetime | None) -> int:
        with self._db.connection(f"store a {kind}") as connection:
            row_id = connection.execute(insert(_CREDENTIALS).values(
                account_id=account_id, kind=kind, secret_hash=secret_hash, label=label[:200],
                created_at=utcnow(), expires_at=expires_at).returning(_CREDENTIALS.c.id)
            ).scalar_one()
        return int(row_id)

    def kept_credential(self, secret_hash: str, *, kind: str) -> tuple[StoredAccount, int] | None:
        """``credential()``'s answer when it is known without a query (the watch: nothing
        written since it was read, "last used" recent enough), else None."""
        version = self._db.watch.version()
        kept = self._db.kept.get(("credential", kind, secret_hash))
        if (version is None or not isinstance(kept, tuple) or kept[0] != version
                or kept[3] is None or utcnow() - kept[3] >= TOUCH_EVERY):
            return None
        return kept[1], kept[2]

    def credential(self, secret_hash: str, *, kind: str) -> tuple[StoredAccount, int] | None:
        """The account a live credential of this kind stands for, and the credential's
        id; None when unknown, of another kind or expired. Its "last used" is kept to
        within ``TOUCH_EVERY`` (a write at most that often, not on every request)."""
        now = utcnow()
        version = self._db.watch.version()
        with self._db.reading(f"check a {kind}") as connection:
            found = connection.execute(
                select(*_ACCOUNT_COLUMNS, Credential.id, Credential.expires_at,
                       Credential.last_used_at)
                .join(Credential, Credential.account_id == Account.id)
                .where(Credential.secret_hash == secret_hash, Credential.kind == kind)).first()
        if found is None:
            return None
        row: tuple[Any, ...] = tuple(found)
        account, credential_id = _account(row[:_N]), int(row[_N])
        expires, used = _utc(row[_N + 1]), _utc(row[_N + 2])
        if expires is not None and expires <= now:  # expired: gone for good
            with self._db.connection(f"end an expired {kind}") as connection:
                connection.execute(delete(_CREDENTIALS)
                                   .where(_CREDENTIALS.c.id == credential_id))
            return None
        if used is None or now - used >= TOUCH_EVERY:
            # nothing kept depends on "last used" but this answer: the other processes
            # need not hear of it
            with self._db.unwatched(f"note when a {kind} was used") as connection:
                connection.execute(update(_CREDENTIALS)
                                   .where(_CREDENTIALS.c.id == credential_id)
                                   .values(last_used_at=now))
            used = now
            if self._db.watches_unwatched:
                version = None  # our write moved the watch: the next read asks again
        if version is not None and kind != "reset":  # a reset link is used once
            self._db.kept.put(("credential", kind, secret_hash),
                              (version, account, credential_id, used))
        return account, credential_id

    def credentials(self, account_id: int, *, kind: str) -> list[StoredCredential]:
        """The account's credentials of this kind, newest first."""
        with self._db.connection(f"list the {kind}s") as connection:
            rows = connection.execute(
                select(Credential.id, Credential.kind, Credential.label, Credential.created_at,
                       Credential.last_used_at, Credential.expires_at)
                .where(Credential.account_id == account_id, Credential.kind == kind)
                .order_by(Credential.created_at.desc(), Credential.id.desc()))
            return [StoredCredential(row[0], row[1], row[2], _at(row[3]), _utc(row[4]),
                                     _utc(row[5])) for row in rows]

    def end_credential(self, account_id: int, credential_id: int, *, kind: str) -> bool:
        """End one of the account's credentials; False if it has none with this id."""
        with self._db.connection(f"end a {kind}") as connection:
            done = connection.execute(delete(_CREDENTIALS).where(
                _CREDENTIALS.c.id == credential_id, _CREDENTIALS.c.account_id == account_id,
                _CREDENTIALS.c.kind == kind))
        self._db.kept.forget("credential")
        return done.rowcount > 0

    def end_credentials(self, account_id: int, *, kind: str,
                        keep: int | None = None) -> int:
        """End every credential of this kind of the account but ``keep``; how many."""
        query = delete(_CREDENTIALS).where(_CREDENTIALS.c.account_id == account_id,
                                           _CREDENTIALS.c.kind == kind)
        if keep is not None:
            query = query.where(_CREDENTIALS.c.id != keep)
        with self._db.connection(f"end the {kind}s") as connection:
            done = connection.execute(query)
        self._db.kept.forget("credential")
        return int(done.rowcount or 0)

    def end_expired(self, *, kind: str) -> int:
        """Delete every expired credential of this kind; how many."""
        with self._db.connection(f"remove expired {kind}s") as connection:
            done = connection.execute(delete(_CREDENTIALS).where(
                _CREDENTIALS.c.kind == kind, _CREDENTIALS.c.expires_at.is_not(None),
                _CREDENTIALS.c.expires_at <= utcnow()))
        self._db.kept.forget("credential")
        return int(done.rowcount or 0)

    # -- audit log ------------------------------------------------------------------------

    def record(self, account_id: int | None, event: str, *, address: str,
               detail: str = "") -> None:
        with self._db.connection(f"record {event}") as connection:
            connection.execute(insert(_AUDIT).values(account_id=account_id, at=utcnow(),
                                                     event=event, address=address[:64],
                                                     detail=detail[:500]))

    def events(self, account_id: int, *, limit: int = 100) -> list[StoredEvent]:
        """The account's audit log, newest first."""
        with self._db.connection("read the audit log") as connection:
            rows = connection.execute(
                select(AuditEvent.at, AuditEvent.event, AuditEvent.address, AuditEvent.detail)
                .where(AuditEvent.account_id == account_id)
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
            return [StoredEvent(_at(row[0]), row[1], row[2], row[3]) for row in rows]


def _account(row: Sequence[Any]) -> StoredAccount:
    values = tuple(row)
    return StoredAccount(int(values[0]), values[1], values[2], values[3], bool(values[4]),
                         bool(values[5]), _at(values[6]), bool(values[7]))


def _at(moment: datetime) -> datetime:
    found = _utc(moment)
    assert found is not None
    return found


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every timestamp we write is UTC."""
    if moment is None:
        return None
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
