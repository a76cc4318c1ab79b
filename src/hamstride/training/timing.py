"""Rule 1, the time maths: an honest estimate of how long a session takes.

Work time is reps x tempo (``x``, explosive, counts one second), or 3 s a rep where no
tempo is given, or the hold; doubled when done per side. Rests count between sets, and
about 30 s to set up each item. Two items paired as a superset share their rounds, so
the rest after a round counts once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from hamstride.catalogue.model import tempo_seconds
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


@cache
def rep_seconds(tempo: str | None) -> int:
    if tempo is None:
        return DEFAULT_REP_S
    return sum(tempo_seconds(tempo))


def work_seconds(item: Timed) -> int:
    per_rep = rep_seconds(item.tempo)
    total = 0
    for s in item.sets:
        total += s.reps * per_rep if type(s) is RepSet else s.hold_s  # type: ignore[union-attr]
    return total * 2 if item.per_side else total


def estimate_seconds(items: Sequence[Timed]) -> int:
    """Work + set-up per item, rests per group: neighbours with one superset label share
    their rounds, so the rest after a round counts once (one pass, no allocations)."""
    total = 0
    label: str | None = None
    rounds = rest = 0
    for item in items:
        if item.superset is not None and item.superset == label:
            total -= (rounds - 1) * rest  # the group's rest is recounted below
            rounds = max(rounds, len(item.sets))
            rest = max(rest, item.rest_s)
        else:
            rounds, rest = len(item.sets), item.rest_s
        total += work_seconds(item) + SETUP_S + (rounds - 1) * rest
        label = item.superset
    return total


def estimate_minutes(items: Sequence[Timed]) -> float:
    return round(estimate_seconds(items) / 60, 1)
