"""Activities: the runs (and other sports) imported for an account's profiles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import (
    select,
    update,
)

from hamstride.store.activity_rows import ACTIVITIES, load_activities, save_activities
from hamstride.store.models import utc
from hamstride.store.records import (
    ActivitySave,
    StoredActivity,
)
from hamstride.store.scope import (
    Scoped,
    find_profile_id,
)
from hamstride.training.activity import Activity, Sport


class ActivityRepository(Scoped):
    """The account's imported activities."""

    def save_activities(
        self, *, profile_name: str, activities: Sequence[Activity], label: str
    ) -> list[ActivitySave]:
        """Store one file's activities in one transaction; known ones are duplicates."""
        with self._transaction(f"import {label} for '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name, lock=True)
            return save_activities(db, profile_id, activities, label)

    def activities(self, *, profile_name: str) -> list[StoredActivity]:
        """The profile's activities, oldest first."""
        with self._transaction(f"read the activities of '{profile_name}'") as db:
            return load_activities(db, find_profile_id(db, self._account, profile_name))

    def run_distances(self, *, profile_name: str, since: datetime) -> list[tuple[date, float]]:
        """(day, km) of each run from ``since``: what a running-load glance needs, without
        reading whole activities."""
        with self._transaction(f"read the runs of '{profile_name}'") as db:
            profile_id = find_profile_id(db, self._account, profile_name)
            rows = db.connection().execute(
                select(ACTIVITIES.c.start, ACTIVITIES.c.document)
                .where(ACTIVITIES.c.profile_id == profile_id,
                       ACTIVITIES.c.sport == Sport.RUNNING.value,
                       ACTIVITIES.c.start >= since))
            return [(utc(start).date(), (document.get("distance_m") or 0) / 1000)
                    for start, document in rows]

    def set_activity_kind(
        self, *, profile_name: str, activity_id: str, kind: str | None
    ) -> bool:
        """Record the runner's classification of a run (None: back to automatic)."""
        with self._transaction(f"classify activity {activity_id}") as db:
            profile_id = find_profile_id(db, self._account, profile_name)
            done = db.connection().execute(
                update(ACTIVITIES)
                .where(ACTIVITIES.c.profile_id == profile_id,
                       ACTIVITIES.c.activity_id == activity_id)
                .values(kind=kind)
            )
            return done.rowcount > 0
