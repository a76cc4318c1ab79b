"""Profiles: an account's athlete profiles, unique by name within it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    select,
)

from hamstride.store.models import (
    Profile,
    utc,
    utcnow,
)
from hamstride.store.records import (
    StoredProfile,
)
from hamstride.store.scope import (
    PROFILE_ID,
    THE_PROFILE,
    Scoped,
    check_name,
    json_document,
)

_PROFILE_ROW = select(Profile.id, Profile.document, Profile.created_at,
                      Profile.updated_at).where(THE_PROFILE)


class ProfileRepository(Scoped):
    """The account's profile documents."""

    def save_profile(self, *, name: str, document: dict[str, Any]) -> StoredProfile:
        """Insert the profile, or replace the document of the profile with that name."""
        check_name(name)
        doc = json_document(document, what=f"profile '{name}'")
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
        with self._reading(f"read profile '{name}'") as connection:
            return connection.execute(PROFILE_ID, self._bind(name)).first() is not None

    def get_profile(self, *, name: str) -> StoredProfile | None:
        """The profile with this name, or None."""
        with self._reading(f"read profile '{name}'") as connection:
            found = connection.execute(_PROFILE_ROW, self._bind(name)).first()
        return None if found is None else StoredProfile(
            id=found[0], name=name, document=found[1], created_at=utc(found[2]),
            updated_at=utc(found[3]))

    def list_profiles(self) -> list[StoredProfile]:
        """Every profile, by name."""
        with self._transaction("list profiles") as session:
            rows = session.scalars(select(Profile).where(Profile.account_id == self._account)
                                   .order_by(Profile.name))
            return [_stored_profile(row) for row in rows]


def _stored_profile(row: Profile) -> StoredProfile:
    return StoredProfile(
        id=row.id,
        name=row.name,
        document=row.document,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )
