"""One dose formatter for every interface: what a runner reads for each kind of set."""

from __future__ import annotations

from typing import Any

import pytest

from hamstride.catalogue import load_catalogue
from hamstride.training.dose_text import (
    SetDose,
    compact,
    describe,
    describe_default,
    details,
    duration,
    set_text,
    spoken,
    tempo_words,
)
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
    (item([{"hold_s": 300}]), "1x5 min", "1 × 5 min hold"),
    (item([{"reps": 10}] * 2, per_side=True), "2x10", "2 × 10 reps each side"),
    (item([{"reps": 6}] * 3, rm=6), "3x6RM", "3 × 6 reps at your 6RM load"),
    (item([{"reps": 5}] * 3, rm=6), "3x5 at 6RM", "3 × 5 reps at your 6RM load"),
])
def test_dose_reads_the_same_everywhere(given: Item, short: str, said: str) -> None:
    assert compact(given) == short
    assert spoken(given) == said


def test_a_warm_up_is_timed_not_held_by_its_role_not_its_length() -> None:
    """The catalogue's role decides (issue 10 item 13's rule, kept in the core)."""
    warm_up = Item.model_validate({"exercise": "dynamic_warm_up", "sets": [{"hold_s": 60}]})
    hold = Item.model_validate({"exercise": "wall_sit", "sets": [{"hold_s": 120}]})
    assert spoken(warm_up) == "1 × 60 s" and set_text(describe(warm_up).sets[0],
                                                      held=False) == "60 s"
    assert spoken(hold) == "1 × 2 min hold"


@pytest.mark.parametrize(("tempo", "words"), [
    ("3-1-1", "3 s down, 1 s pause, 1 s up"), ("4-0-x", "4 s down, fast up"),
    ("x-0-x", "fast down, fast up"), ("2-x-2", "2 s down, 2 s up"), (None, "")])
def test_tempo_reads_in_words(tempo: str | None, words: str) -> None:
    assert tempo_words(tempo) == words


def test_the_catalogue_dose_reads_through_the_same_description() -> None:
    catalogue = load_catalogue()
    rdl = describe_default(catalogue["romanian_deadlift"])
    assert rdl.sets[0].top is not None  # a range of reps
    low, high = rdl.sets[0].amount, rdl.sets[0].top
    assert compact(rdl).startswith(f"{len(rdl.sets)}x{low}-{high}")
    assert spoken(rdl).startswith(f"{len(rdl.sets)} × {low}–{high} reps")
    assert details(rdl).endswith(f"rest {duration(rdl.rest_s)}")
    bridge = describe_default(catalogue["isometric_bridge_hold"])
    assert set_text(bridge.sets[0]) == "30 s hold"
    assert set_text(SetDose(8)) == "8 reps" and set_text(SetDose(6, top=8)) == "6–8 reps"
