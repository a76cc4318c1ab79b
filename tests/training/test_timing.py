"""Rule 1's time maths, worked out by hand."""

from __future__ import annotations

import pytest

from hamstride.training.plan import HoldSet, Item, RepSet
from hamstride.training.timing import (
    DEFAULT_REP_S,
    SETUP_S,
    estimate_minutes,
    estimate_seconds,
    rep_seconds,
    work_seconds,
)


def reps_item(*reps: int, tempo: str | None = None, rest_s: int = 60, per_side: bool = False,
              superset: str | None = None) -> Item:
    return Item(exercise="squat", sets=[RepSet(reps=r) for r in reps], tempo=tempo,
                rest_s=rest_s, per_side=per_side, superset=superset)


def hold_item(*holds: int, rest_s: int = 60, per_side: bool = False,
              superset: str | None = None) -> Item:
    return Item(exercise="wall_sit", sets=[HoldSet(hold_s=h) for h in holds],
                rest_s=rest_s, per_side=per_side, superset=superset)


def test_timing_constants_match_the_rule() -> None:
    assert (SETUP_S, DEFAULT_REP_S) == (30, 3)


@pytest.mark.parametrize(("tempo", "seconds"), [
    (None, 3),
    ("2-0-1", 3),
    ("3-1-3", 7),
    ("4-0-x", 5),
    ("x-0-x", 2),
    ("x-x-x", 3),
    ("0-0-0", 0),
    ("9-9-9", 27),
])
def test_rep_seconds_sums_the_tempo(tempo: str | None, seconds: int) -> None:
    assert rep_seconds(tempo) == seconds


@pytest.mark.parametrize(("item", "seconds"), [
    (reps_item(10), 30),  # 10 reps x 3 s default
    (reps_item(10, 10, 10), 90),
    (reps_item(8, tempo="3-0-1"), 32),
    (reps_item(5, 5, tempo="4-0-x"), 50),  # x counts one second
    (reps_item(12, 10, 8, tempo="2-1-2"), 150),
    (reps_item(10, per_side=True), 60),  # doubled per side
    (reps_item(6, 6, tempo="3-0-1", per_side=True), 96),
    (hold_item(30), 30),
    (hold_item(30, 45), 75),
    (hold_item(20, 20, per_side=True), 80),
])
def test_work_seconds_counts_reps_tempo_holds_and_sides(item: Item, seconds: int) -> None:
    assert work_seconds(item) == seconds


@pytest.mark.parametrize(("items", "seconds"), [
    ([], 0),
    # one set: work + set-up, no rest
    ([reps_item(10)], 30 + 30),
    # three sets: work 90, rests between sets only (2 x 60), set-up 30
    ([reps_item(10, 10, 10)], 90 + 2 * 60 + 30),
    # tempo and rest: 3 x 8 x 4 s = 96, 2 x 90 rest, 30 set-up
    ([reps_item(8, 8, 8, tempo="3-0-1", rest_s=90)], 96 + 180 + 30),
    # per side: 2 x (2 x 10 x 3) = 120 work, one rest of 45, set-up
    ([reps_item(10, 10, per_side=True, rest_s=45)], 120 + 45 + 30),
    # holds: 3 x 30 s, 2 rests of 60, set-up
    ([hold_item(30, 30, 30)], 90 + 120 + 30),
    # two plain items: each has its own rests and set-up
    ([reps_item(10, 10), hold_item(30, 30, rest_s=30)], (60 + 60 + 30) + (60 + 30 + 30)),
    # zero rest
    ([reps_item(10, 10, 10, rest_s=0)], 90 + 30),
])
def test_estimate_seconds_adds_work_rests_and_setup(items: list[Item], seconds: int) -> None:
    assert estimate_seconds(items) == seconds


def test_estimate_seconds_counts_superset_rest_once_per_round() -> None:
    a = reps_item(10, 10, 10, rest_s=60, superset="A")  # work 90
    b = hold_item(30, 30, 30, rest_s=60, superset="A")  # work 90
    # 3 rounds -> 2 rests after a round (not 4), both items set up
    assert estimate_seconds([a, b]) == 90 + 90 + 2 * 60 + 2 * 30
    apart = [a.model_copy(update={"superset": None}), b.model_copy(update={"superset": None})]
    assert estimate_seconds(apart) == 90 + 90 + 4 * 60 + 2 * 30


def test_estimate_seconds_superset_uses_longest_rest_and_most_rounds() -> None:
    a = reps_item(10, 10, rest_s=45, superset="B")  # work 60, 2 rounds
    b = reps_item(8, 8, 8, rest_s=90, superset="B")  # work 72, 3 rounds
    assert estimate_seconds([a, b]) == 60 + 72 + 2 * 90 + 2 * 30


def test_estimate_seconds_superset_only_groups_neighbours() -> None:
    a = reps_item(10, 10, superset="A")
    middle = reps_item(10, 10)
    b = reps_item(10, 10, superset="A")
    each = 60 + 60 + 30
    assert estimate_seconds([a, middle, b]) == 3 * each


def test_estimate_seconds_supersets_with_different_labels_do_not_merge() -> None:
    a = reps_item(10, 10, superset="A")
    b = reps_item(10, 10, superset="B")
    assert estimate_seconds([a, b]) == 2 * (60 + 60 + 30)


def test_estimate_seconds_with_warm_up_and_nordics_by_hand() -> None:
    warm = hold_item(300, rest_s=0)
    nordic = Item(exercise="nordic_hamstring_curl", sets=[RepSet(reps=r) for r in (12, 10, 8)],
                  tempo="4-0-x", rest_s=60)
    # warm-up 300 + 30; Nordics 30 reps x 5 s = 150, 2 x 60 rest, 30 set-up
    assert estimate_seconds([warm, nordic]) == 330 + 150 + 120 + 30


@pytest.mark.parametrize(("items", "minutes"), [
    ([reps_item(10)], 1.0),
    ([reps_item(10, 10, 10)], 4.0),
    ([hold_item(20)], 0.8),  # 50 s
    ([reps_item(1)], 0.6),  # 33 s
])
def test_estimate_minutes_rounds_to_a_tenth(items: list[Item], minutes: float) -> None:
    assert estimate_minutes(items) == minutes
