"""Activities between the core's ``Activity`` model and the ``activities`` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from hamstride.store.models import ActivityRow, utcnow
from hamstride.store.records import ActivitySave, StoredActivity
from hamstride.training.activity import Activity

ACTIVITIES = cast(Table, ActivityRow.__table__)
# Two recordings that start within two minutes of each other are one activity (a watch
# file and the Strava row for the same run differ by a few seconds at most); nobody
# starts a second activity that soon after the first.
SAME_ACTIVITY_WINDOW = timedelta(minutes=2)


def save_activities(
    db: Session, profile_id: int, activities: Sequence[Activity], label: str
) -> list[ActivitySave]:
    """Insert the activities not stored yet; the others are reported as duplicates."""
    results: list[ActivitySave] = []
    now = utcnow()
    for activity in activities:
        existing = _same_activity(db, profile_id, activity)
        if existing is not None:
            results.append(ActivitySave("duplicate", existing))
            continue
        db.connection().execute(insert(ACTIVITIES), [{
            "profile_id": profile_id, "activity_id": activity.id,
            "sport": activity.sport.value, "start": _utc(activity),
            "document": activity_document(activity), "kind": None,
            "source_label": label[:1000], "imported_at": now,
        }])
        results.append(ActivitySave("imported", activity.id))
    return results


def _same_activity(db: Session, profile_id: int, activity: Activity) -> str | None:
    start = _utc(activity)
    window = ACTIVITIES.c.start.between(
        start - SAME_ACTIVITY_WINDOW, start + SAME_ACTIVITY_WINDOW
    )
    same_id = ACTIVITIES.c.activity_id == activity.id
    query = select(ACTIVITIES.c.activity_id).where(
        ACTIVITIES.c.profile_id == profile_id, same_id | window
    ).limit(1)
    found: str | None = db.connection().execute(query).scalar()
    return found


def _utc(activity: Activity) -> datetime:
    # SQLite keeps no offset: every stored start is UTC so that comparisons hold
    return activity.start.astimezone(UTC)


def activity_document(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(mode="json", exclude_none=True)


def load_activities(db: Session, profile_id: int) -> list[StoredActivity]:
    rows = db.connection().execute(
        select(ACTIVITIES.c.document, ACTIVITIES.c.kind, ACTIVITIES.c.source_label,
               ACTIVITIES.c.imported_at)
        .where(ACTIVITIES.c.profile_id == profile_id)
        .order_by(ACTIVITIES.c.start, ACTIVITIES.c.id)
    )
    return [
        StoredActivity(Activity.model_validate(document), kind, label, imported_at)
        for document, kind, label, imported_at in rows
    ]
