"""What the store hands back: frozen snapshots, detached from any session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hamstride.training.activity import Activity


@dataclass(frozen=True, slots=True)
class StoredProfile:
    """A saved athlete profile document."""

    id: int
    name: str
    document: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A saved plan document; ``active`` marks the profile's current plan."""

    id: int
    profile_name: str
    start: date
    weeks: int
    document: dict[str, Any]
    created_at: datetime
    active: bool
    regenerated: bool = False  # derived from the log, not made by the runner


@dataclass(frozen=True, slots=True)
class LogSaveResult:
    """What a batch save did, by entry id, in batch order.

    Entries are classified as if saved one at a time: an id the profile did not have is
    ``inserted``; a known id with identical content is ``unchanged``; a known id with new
    content is ``updated``. So ``len(inserted) + len(updated) + len(unchanged)`` is the
    batch size, even when the batch repeats an id.
    """

    inserted: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    # whether the profile had an active plan, read in the save's transaction (a log save
    # only): about the profile, not the save, so equality leaves it out
    planned: bool | None = field(default=None, compare=False)

    @property
    def changed(self) -> bool:
        """Whether the save wrote anything."""
        return bool(self.inserted or self.updated)


@dataclass(frozen=True, slots=True)
class Freshness:
    """What answers about a profile's plan depend on; equal values, equal answers."""

    plan_id: int | None
    plan_saved_at: datetime | None
    log_changed_at: datetime | None
    profile_id: int | None = None  # None: no such profile
    log_sessions: int = 0  # a deletion changes this, not always log_changed_at


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """An imported activity; ``kind`` is the runner's correction of its classification."""

    activity: Activity
    kind: str | None
    source_label: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class ActivitySave:
    """What saving one activity did: ``imported``, or ``duplicate`` of ``activity_id``."""

    status: str
    activity_id: str
