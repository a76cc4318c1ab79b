"""What the store hands back: frozen snapshots, detached from any session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


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
