"""Rule 11, the weeks around an A race: the plan runs through it, nothing heavy in its
last 7 days, nothing heavy new in its last 3 weeks, and a recovery block after it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hamstride.errors import ProfileError
from hamstride.training.plan import Plan
from hamstride.training.profile import Profile
from hamstride.training.rules import race_windows
from hamstride.training.rules.race_windows import RULE
from tests.training.factories import (
    KEY_WEEK,
    START,
    Doc,
    add_session,
    dated,
    day,
    exercise_of,
    item_doc,
    make_profile,
    mutate,
    plan_for,
    profile_data,
    remove_session,
    session_doc,
    sessions,
    strain,
    violations,
    work_items,
)

EASY_WEEK = {"tue": "easy", "thu": "easy", "sun": "easy"}


def _a_race(when: date, distance: str | None = None, name: str = "Goal race") -> Doc:
    race: dict[str, Any] = {"date": when.isoformat(), "name": name, "priority": "A"}
    if distance is not None:
        race["distance"] = distance
    return race


def _end(plan: Plan) -> date:
    return plan.start + timedelta(days=7 * len(plan.weeks) - 1)


# -- item 5: the plan runs through its A race --------------------------------------------

def test_race_windows_plan_is_lengthened_to_hold_a_race_past_its_weeks() -> None:
    race_day = day(7 * 13 + 6)  # the Sunday of week 14
    profile = make_profile(week=KEY_WEEK, races=[_a_race(race_day, "10k")])
    plan = plan_for(profile, weeks=12)
    assert _end(plan) >= race_day + timedelta(days=race_windows.RECOVERY_DAYS)
    assert any(w.phase == "taper" for w in plan.weeks)
    assert any("Lengthened from 12" in n for n in plan.notes)
    assert violations(plan, profile) == []


def test_race_windows_plan_says_why_a_race_past_the_maximum_is_not_held() -> None:
    race_day = day(7 * 60)
    profile = make_profile(races=[_a_race(race_day)])
    plan = plan_for(profile, weeks=12)
    assert len(plan.weeks) == 12
    assert any("past the 52-week maximum" in n for n in plan.notes)


# -- item 6: recovery after an A race ----------------------------------------------------

@pytest.mark.parametrize(("distance", "days"), [(None, 7), ("10k", 7), ("half", 7),
                                                ("marathon", 14), ("ultra", 21)])
def test_race_windows_recovery_after_an_a_race_is_light(distance: str | None,
                                                        days: int) -> None:
    race_day = day(7 * 8 + 6)  # Sunday of week 9
    profile = make_profile(week=EASY_WEEK, races=[_a_race(race_day, distance)])
    plan = plan_for(profile, weeks=16)
    after = [s for s in sessions(plan) if 0 < (s.date - race_day).days <= days]
    build = [s for s in sessions(plan) if day(7 * 4) <= s.date < day(7 * 8)]
    weekly_build = sum(len(i.sets) for s in build for i in work_items(s)) / 4
    assert after, "a recovery block keeps some light work"
    for s in after:
        assert not any(race_windows.is_heavy(exercise_of(i)) for i in work_items(s)), s
    for k in range(0, days, 7):
        window = [s for s in after if k < (s.date - race_day).days <= k + 7]
        assert sum(len(i.sets) for s in window for i in work_items(s)) <= weekly_build / 2
    later = [s for s in sessions(plan) if (s.date - race_day).days > days]
    assert any(i.exercise == "nordic_hamstring_curl" for s in later for i in s.items)


def test_race_windows_a_tiny_recovery_cap_keeps_one_hamstring_item_not_a_14_day_gap() -> None:
    # one 10-min strength day before a marathon in week 2: half its volume is 1 set, and
    # a recovery session cut to nothing left 14 days without hamstring work (rule 5)
    start = date(2025, 1, 1)  # a Wednesday; the only strength day is Monday
    race_day = start + timedelta(days=8)
    profile = make_profile(level="novice", session_minutes=10, equipment=[],
                           strength_days=["mon"], week={}, injury=strain(start),
                           races=[_a_race(race_day, "marathon")])
    plan = plan_for(profile, start=start, weeks=4, verify=False)
    assert violations(plan, profile) == []
    recovery = [s for s in sessions(plan) if 7 < (s.date - race_day).days <= 14]
    assert [len(work_items(s)) for s in recovery] == [1]


def _plant(plan: Plan, when: date, items: list[Doc]) -> Plan:
    def change(doc: Doc) -> None:
        remove_session(doc, when)
        add_session(doc, session_doc(when, items))
    return mutate(plan, change)


@pytest.fixture(scope="module")
def marathon() -> tuple[Profile, Plan, date]:
    race_day = day(7 * 10 + 6)  # Sunday of week 11
    profile = make_profile(week=EASY_WEEK, races=[_a_race(race_day, "marathon", "Marathon")])
    plan = plan_for(profile, weeks=16)
    assert violations(plan, profile) == []
    return profile, plan, race_day


def test_race_windows_checker_flags_nordics_two_days_after_a_marathon(
        marathon: tuple[Profile, Plan, date]) -> None:
    profile, plan, race_day = marathon
    when = race_day + timedelta(days=2)
    planted = _plant(plan, when, [item_doc("nordic_hamstring_curl", sets=[12, 10, 8])])
    assert when in dated(violations(planted, profile), RULE)


def test_race_windows_checker_flags_a_full_week_in_the_recovery(
        marathon: tuple[Profile, Plan, date]) -> None:
    profile, plan, race_day = marathon
    light = ["glute_bridge", "split_squat", "calf_raise", "lying_leg_curl", "step_up"]
    planted = plan
    for offset in (2, 4, 6):
        planted = _plant(planted, race_day + timedelta(days=offset),
                         [item_doc(x, sets=[10] * 3) for x in light])
    found = [v for v in violations(planted, profile) if v.rule == RULE]
    assert any("recovery" in v.message and "sets" in v.message for v in found), found


def test_race_windows_recovery_is_longer_after_a_marathon() -> None:
    ten_k = make_profile(races=[_a_race(day(40), "10k")]).running.races[0]
    full = make_profile(races=[_a_race(day(40), "marathon")]).running.races[0]
    assert race_windows.recovery_days(full) > race_windows.recovery_days(ten_k) == 7


def test_race_windows_profile_refuses_an_unknown_race_distance() -> None:
    from hamstride.training.profile import profile_from_data

    data = profile_data(races=[_a_race(day(40), "42km")])
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data)
    assert caught.value.field == "running.races[0].distance"


# -- item 7: the last days before an A race ----------------------------------------------

def test_race_windows_checker_flags_heavy_lifts_three_days_before_a_marathon(
        marathon: tuple[Profile, Plan, date]) -> None:
    profile, plan, race_day = marathon
    when = race_day - timedelta(days=3)
    planted = _plant(plan, when, [item_doc("romanian_deadlift", sets=[5] * 5),
                                  item_doc("back_squat", sets=[5] * 5)])
    found = [v.message for v in violations(planted, profile)
             if v.rule == RULE and v.date == when and "last 7 days" in v.message]
    assert found and "romanian_deadlift" in found[0] and "back_squat" in found[0]


def test_race_windows_checker_flags_nordics_three_days_before_an_a_10k() -> None:
    race_day = day(7 * 10 + 6)
    profile = make_profile(week=EASY_WEEK, races=[_a_race(race_day, "10k")])
    plan = plan_for(profile, weeks=14)
    when = race_day - timedelta(days=3)
    planted = _plant(plan, when, [item_doc("nordic_hamstring_curl", sets=[12, 10, 8])])
    assert when in dated(violations(planted, profile), RULE)


def test_race_windows_no_first_nordic_within_three_weeks_of_a_marathon() -> None:
    race_day = day(20)  # the plan starts 20 days before the marathon
    profile = make_profile(week=KEY_WEEK, races=[_a_race(race_day, "marathon")])
    plan = plan_for(profile, weeks=12)
    before = [s for s in sessions(plan) if s.date < race_day]
    assert before
    assert not any(i.exercise == "nordic_hamstring_curl" for s in before for i in s.items)
    assert not any(race_windows.is_heavy(exercise_of(i)) for s in before
                   for i in work_items(s))
    planted = _plant(plan, race_day - timedelta(days=17),
                     [item_doc("nordic_hamstring_curl", sets=[5, 5])])
    found = [v for v in violations(planted, profile) if v.rule == RULE]
    assert any("new 17 days before" in v.message for v in found), found


def test_race_windows_generated_plans_keep_the_last_week_before_an_a_race_light() -> None:
    race_day = day(7 * 6 + 5)  # Saturday of week 7
    profile = make_profile(week=KEY_WEEK, races=[_a_race(race_day, "half")])
    plan = plan_for(profile, weeks=12)
    last_week = [s for s in sessions(plan) if 0 < (race_day - s.date).days <= 7]
    assert last_week
    for s in last_week:
        assert not any(race_windows.is_heavy(exercise_of(i)) for i in work_items(s)), s
    assert race_day > START
