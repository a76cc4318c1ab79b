"""One dose formatter for every interface: what a runner reads for each kind of set."""

from __future__ import annotations

from typing import Any

import pytest

from hamstride.training.dose_text import compact, duration, spoken
from hamstride.training.plan import Item


def item(sets: list[dict[str, int]], **extra: Any) -> Item:
    return Item.model_validate({"exercise": "squat", "sets": sets, **extra})


@pytest.mark.parametrize(("seconds", "text"), [(45, "45 s"), (90, "90 s"), (120, "2 min"),
                                               (150, "2 min 30 s"), (300, "5 min")])
def test_duration_reads_seconds_then_minutes(seconds: int, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize(("given", "short", "said"), [
    (item([{"reps": 8}] * 3), "3x8", "3 × 8 reps"),
    (item([{"reps": 12}, {"reps": 10}, {"reps": 8}]), "12/10/8", "3 sets: 12, 10, 8 reps"),
    (item([{"hold_s": 30}] * 2), "2x30 s", "2 × 30 s hold"),
    (item([{"hold_s": 300}]), "1x5 min", "1 × 5 min"),
    (item([{"reps": 10}] * 2, per_side=True), "2x10", "2 × 10 reps each side"),
    (item([{"reps": 6}] * 3, rm=6), "3x6RM", "3 × 6 reps at your 6RM load"),
    (item([{"reps": 5}] * 3, rm=6), "3x5 at 6RM", "3 × 5 reps at your 6RM load"),
])
def test_dose_reads_the_same_everywhere(given: Item, short: str, said: str) -> None:
    assert compact(given) == short
    assert spoken(given) == said
