"""Dose steps: the planner's progression as a series of values, and the cache key that
relies on it (a larger step past the top of the range gives the same dose)."""

from __future__ import annotations

import pytest

from hamstride.catalogue import load_catalogue
from hamstride.training.plan import HoldSet, RepSet
from hamstride.training.planner.drafts import Role, effective_step, role_item
from hamstride.vocabulary import Level


def _doses(exercise_id: str, level: Level, steps: range) -> list[list[int]]:
    exercise = load_catalogue()[exercise_id]
    out = []
    for step in steps:
        sets = role_item(exercise, Role.HIP, level, step, frozenset()).sets
        out.append([s.reps if isinstance(s, RepSet) else s.hold_s for s in sets
                    if isinstance(s, RepSet | HoldSet)])
    return out


def test_drafts_reps_climb_one_a_week_to_the_top_then_hold() -> None:
    # dumbbell RDL: 3x8-12 in the catalogue
    assert _doses("dumbbell_romanian_deadlift", Level.INTERMEDIATE, range(7)) == [
        [8, 8, 8], [9, 9, 9], [10, 10, 10], [11, 11, 11], [12, 12, 12], [12, 12, 12],
        [12, 12, 12]]


def test_drafts_novices_keep_two_sets_for_four_weeks() -> None:
    series = _doses("dumbbell_romanian_deadlift", Level.NOVICE, range(6))
    assert [len(s) for s in series] == [2, 2, 2, 2, 3, 3]


def test_drafts_holds_grow_five_seconds_every_two_weeks_up_to_a_minute() -> None:
    series = _doses("isometric_bridge_hold", Level.INTERMEDIATE, range(0, 16, 2))
    assert [s[0] for s in series] == [30, 35, 40, 45, 50, 55, 60, 60]


@pytest.mark.parametrize("level", list(Level))
def test_drafts_effective_step_gives_the_same_dose(level: Level) -> None:
    for exercise in load_catalogue().values():
        for step in range(40):
            same = effective_step(exercise, level, step)
            assert same <= step
            real = role_item(exercise, Role.HIP, level, step, frozenset()).sets
            short = role_item(exercise, Role.HIP, level, same, frozenset()).sets
            assert real == short, (exercise.id, level, step)
