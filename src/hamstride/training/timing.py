"""Rule 1, the time maths: an honest estimate of how long a session takes.

Work time is reps x tempo (``x``, explosive, counts one second), or 3 s a rep where no
tempo is given, or the hold; doubled when done per side. Rests count between sets, and
about 30 s to set up each item. Two items paired as a superset share their rounds, so
the rest after a round counts once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hamstride.training.plan import HoldSet, RepSet

SETUP_S = 30
DEFAULT_REP_S = 3


class Timed(Protocol):
    @property
    def sets(self) -> Sequence[RepSet | HoldSet]: ...
    @property
    def per_side(self) -> bool: ...
    @property
    def rest_s(self) -> int: ...
    @property
    def tempo(self) -> str | None: ...
    @property
    def superset(self) -> str | None: ...


def rep_seconds(tempo: str | None) -> int:
    if tempo is None:
        return DEFAULT_REP_S
    return sum(1 if part == "x" else int(part) for part in tempo.split("-"))


def work_seconds(item: Timed) -> int:
    per_rep = rep_seconds(item.tempo)
    total = sum(s.reps * per_rep if isinstance(s, RepSet) else s.hold_s for s in item.sets)
    return total * 2 if item.per_side else total


def _group(items: Sequence[Timed]) -> list[list[Timed]]:
    """Consecutive items with the same superset label form one group."""
    groups: list[list[Timed]] = []
    for item in items:
        if groups and item.superset is not None and groups[-1][0].superset == item.superset:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def estimate_seconds(items: Sequence[Timed]) -> int:
    total = 0
    for group in _group(items):
        rounds = max(len(item.sets) for item in group)
        rest = max(item.rest_s for item in group)
        total += sum(work_seconds(item) for item in group)
        total += (rounds - 1) * rest + SETUP_S * len(group)
    return total


def estimate_minutes(items: Sequence[Timed]) -> float:
    return round(estimate_seconds(items) / 60, 1)
