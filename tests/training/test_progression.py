"""Auto-progression: each progression and pain rule, with a log that triggers it and an
assertion on the next prescribed dose in the plan regenerated from that log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hamstride.catalogue import load_catalogue
from hamstride.errors import PlanError
from hamstride.training.adaptation import adapt_plan
from hamstride.training.log import LoggedSession, session_from_data
from hamstride.training.pain import pain_pause
from hamstride.training.plan import Item, Plan, RepSet
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile
from hamstride.training.progression import Action, current_step, decide, nordic_state
from tests.training.factories import make_profile, violations

START = date(2027, 1, 4)  # a Monday
HIP = "hip_extension_45"  # 3x8-12 in the catalogue, on a hip extension bench (loadable)


def gym() -> Profile:
    return make_profile(week={"sat": "easy"})


def home_novice() -> Profile:
    return make_profile(level="novice", equipment=[], week={"sat": "easy"})


def logged(day: date, exercise: str, reps: list[int], *, rpe: float | None = 6,
           pain: int | None = None, morning: int | None = 0, **extra: Any) -> LoggedSession:
    return session_from_data({
        "date": day.isoformat(), "duration_min": 30, "session_rpe": 6, "pain": pain,
        "morning_pain": morning,
        "sets": [{"exercise": exercise, "reps": r, "rpe": rpe, **extra} for r in reps],
    })


def next_dose(profile: Profile, log: list[LoggedSession], exercise: str,
              today: date) -> tuple[Item, Plan]:
    """The dose ``exercise`` comes back at. Pain above 5/10 (or 5+ the next morning)
    pauses heavy hamstring work (training/pain.py): then a pain-free light session on
    ``today`` settles it first, and the plan is read from the day after."""
    base = generate_plan(profile, start=START, weeks=12)
    if pain_pause(log, lambda s: True) is not None:
        assert _missing_while_paused(profile, base, log, exercise, today)
        log = [*log, logged(today, "glute_bridge", [10, 10], pain=0, morning=0)]
        today += timedelta(days=1)
    plan = adapt_plan(profile, base, log, today=today)
    assert violations(plan, profile) == []  # the adapted plan passes the checker
    for _, session in plan.sessions():
        for item in session.items:
            if item.exercise == exercise:
                return item, plan
    raise AssertionError(f"{exercise} not in the adapted plan")


def _missing_while_paused(profile: Profile, base: Plan, log: list[LoggedSession],
                          exercise: str, today: date) -> bool:
    paused = adapt_plan(profile, base, log, today=today)
    heavy = load_catalogue()[exercise].is_heavy_hamstring
    return not heavy or all(i.exercise != exercise for _, s in paused.sessions()
                            for i in s.items)


def reps(item: Item) -> list[int]:
    return [s.reps for s in item.sets if isinstance(s, RepSet)]


def day(n: int) -> date:
    return START + timedelta(days=n)


# -- double progression -----------------------------------------------------------------

def test_progression_top_of_range_twice_at_easy_rpe_adds_a_set() -> None:
    log = [logged(day(0), HIP, [12, 12, 12]), logged(day(3), HIP, [12, 12, 12])]
    item, _ = next_dose(gym(), log, HIP, day(4))
    assert reps(item) == [12, 12, 12, 12]
    assert "one more set" in item.notes


def test_progression_top_of_range_with_the_extra_set_adds_load() -> None:
    log = [logged(day(0), HIP, [12] * 4), logged(day(3), HIP, [12] * 4)]
    item, _ = next_dose(gym(), log, HIP, day(4))
    assert reps(item) == [12, 12, 12, 12]
    assert "heavier load" in item.notes


def test_progression_top_of_range_without_load_moves_to_the_progression() -> None:
    log = [logged(day(0), "glute_bridge", [15] * 4), logged(day(3), "glute_bridge", [15] * 4)]
    profile = home_novice()
    base = generate_plan(profile, start=START, weeks=12)
    plan = adapt_plan(profile, base, log, today=day(4))
    used = {i.exercise for _, s in plan.sessions() for i in s.items}
    assert "glute_bridge" not in used
    notes = [i.notes for _, s in plan.sessions() for i in s.items
             if i.exercise == "single_leg_glute_bridge"]
    assert any("move on to Single-leg glute bridge" in n for n in notes)


def test_progression_once_at_the_top_is_not_enough_to_advance() -> None:
    log = [logged(day(0), HIP, [10, 10, 10]), logged(day(3), HIP, [12, 12, 12])]
    item, _ = next_dose(gym(), log, HIP, day(4))
    assert reps(item) == [12, 12, 12]


def test_progression_hard_sets_at_the_top_do_not_advance() -> None:
    log = [logged(day(0), HIP, [12] * 3, rpe=8), logged(day(3), HIP, [12] * 3, rpe=8)]
    item, _ = next_dose(gym(), log, HIP, day(4))
    assert reps(item) == [12, 12, 12]


def test_progression_below_the_range_holds_the_dose() -> None:
    log = [logged(day(0), HIP, [10, 10, 7])]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [10, 10, 10]
    assert "fell short" in item.notes


def test_progression_as_planned_when_pain_is_low() -> None:
    log = [logged(day(0), HIP, [9, 9, 9], pain=3)]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [10, 10, 10]


# -- pain monitoring (Silbernagel 2007) -----------------------------------------------------

def test_pain_four_to_five_settled_next_morning_holds() -> None:
    log = [logged(day(0), HIP, [9, 9, 9], pain=5, morning=2)]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [9, 9, 9]
    assert "settled by the next morning" in item.notes


def test_pain_four_without_a_morning_report_holds() -> None:
    log = [logged(day(0), HIP, [9, 9, 9], pain=4, morning=None)]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [9, 9, 9]


def test_pain_above_five_steps_back() -> None:
    log = [logged(day(0), HIP, [10, 10, 10], pain=6)]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [8, 8]
    assert "above 5" in item.notes


def test_pain_not_settled_next_morning_steps_back() -> None:
    log = [logged(day(0), HIP, [10, 10, 10], pain=4, morning=5)]
    item, _ = next_dose(gym(), log, HIP, day(1))
    assert reps(item) == [8, 8]
    assert "had not settled" in item.notes


def test_pain_rising_week_on_week_steps_back() -> None:
    log = [logged(day(0), HIP, [9, 9, 9], pain=2), logged(day(7), HIP, [10, 10, 10], pain=4,
                                                          morning=1)]
    item, _ = next_dose(gym(), log, HIP, day(8))
    assert reps(item) == [8, 8]
    assert "rose week on week" in item.notes


def test_pain_at_the_bottom_of_the_range_steps_back_to_the_regression() -> None:
    log = [logged(day(0), HIP, [8, 8, 8], pain=7)]
    _, plan = next_dose(gym(), log, "dumbbell_romanian_deadlift", day(1))
    used = {i.exercise for _, s in plan.sessions() for i in s.items}
    assert HIP not in used


def test_pain_set_level_report_counts_for_that_exercise_only() -> None:
    log = [session_from_data({"date": day(0).isoformat(), "sets": [
        {"exercise": HIP, "reps": 10, "pain": 6},
        {"exercise": "leg_press", "reps": 9, "pain": 0}]})]
    catalogue = load_catalogue()
    profile = gym()
    hip = decide(catalogue[HIP], [(log[0], list(log[0].sets[:1]))], catalogue, profile.owned,
                 profile.level)
    press = decide(catalogue["leg_press"], [(log[0], list(log[0].sets[1:]))], catalogue,
                   profile.owned, profile.level)
    assert hip.action is Action.STEP_BACK and press.action is Action.PROGRESS


# -- Nordics (Mjølsnes 2004; Ripley 2021) ----------------------------------------------------

NHE = "nordic_hamstring_curl"


def test_nordics_follow_the_table_from_the_weeks_logged() -> None:
    log = [logged(day(0), NHE, [5, 5]), logged(day(7), NHE, [6, 6]),
           logged(day(10), NHE, [6, 6])]
    item, _ = next_dose(make_profile(level="novice", week={"sat": "easy"}), log, NHE, day(14))
    assert reps(item) == [6, 6, 6]  # table week 3, 3x6-8: a novice starts at 6


def test_nordics_restart_at_week_one_after_a_three_week_lapse() -> None:
    log = [logged(day(7 * w), NHE, [12, 10, 8]) for w in range(6)]
    assert nordic_state(log, day(35)).table_week == 6
    item, plan = next_dose(gym(), log, NHE, day(35 + 22))
    assert reps(item) == [5, 5]
    assert any("restarts at week 1" in n for n in plan.notes)


def test_nordics_painful_session_repeats_an_earlier_table_week() -> None:
    log = [logged(day(0), NHE, [5, 5]), logged(day(7), NHE, [6, 6]),
           logged(day(14), NHE, [6, 6, 6], pain=7)]
    item, _ = next_dose(gym(), log, NHE, day(15))
    assert reps(item) == [6, 6]  # back to table week 2


# -- the walker as a value series ------------------------------------------------------------

@pytest.mark.parametrize(("done", "step"), [([8, 8], 0), ([9, 8], 1), ([12, 12], 4),
                                             ([15], 4)])
def test_progression_current_step_series(done: list[int], step: int) -> None:
    exercise = load_catalogue()[HIP]
    sets = logged(day(0), HIP, done).sets
    assert current_step(exercise, sets) == step


def test_adaptation_after_the_plan_end_is_refused() -> None:
    profile = gym()
    base = generate_plan(profile, start=START, weeks=2)
    with pytest.raises(PlanError, match="ended"):
        adapt_plan(profile, base, [], today=day(30))


def test_nordics_pain_change_is_explained() -> None:
    log = [logged(day(0), NHE, [5, 5]), logged(day(7), NHE, [6, 6]),
           logged(day(14), NHE, [6, 6, 6], pain=7)]
    _, plan = next_dose(gym(), log, NHE, day(15))
    assert any(n.startswith("Nordics: pain 7/10") for n in plan.notes)


def test_step_back_to_a_regression_names_what_hurt() -> None:
    log = [logged(day(0), HIP, [8, 8, 8], pain=7)]
    item, _ = next_dose(gym(), log, "dumbbell_romanian_deadlift", day(1))
    assert "45-degree hip extension" in item.notes or "hip extension" in item.notes.lower()


# -- one pain rule after a recent strain (issue 9) ----------------------------------------

def strained_home() -> Profile:
    return make_profile(goal="return_from_strain", injury={
        "hamstring_strain": {"date": (START - timedelta(days=10)).isoformat(),
                             "side": "left"}}, equipment=[], week={"sat": "easy"})


@pytest.mark.parametrize(("pain", "morning"), [(2, 0), (4, 0), (0, 1)])
def test_pain_after_a_recent_strain_steps_hamstring_work_back(pain: int, morning: int) -> None:
    catalogue = load_catalogue()
    bridge = catalogue["glute_bridge"]
    history = [(s, list(s.sets)) for s in [logged(day(0), bridge.id, [12, 12], pain=pain,
                                                  morning=morning)]]
    strict = decide(bridge, history, catalogue, frozenset(), strained_home().level,
                    pain_free=True)
    assert strict.action is Action.STEP_BACK
    assert "pain-free" in strict.reason and "Silbernagel" not in strict.reason
    usual = decide(bridge, history, catalogue, frozenset(), strained_home().level)
    assert usual.action is not Action.STEP_BACK or pain > 5 or morning > 3


def test_pain_after_a_recent_strain_in_the_adapted_plan() -> None:
    log = [logged(day(1), "glute_bridge", [12, 12, 12], pain=3, morning=0)]
    item, plan = next_dose(strained_home(), log, "glute_bridge", day(2))
    assert "pain-free" in item.notes
    assert all("acceptable" not in s.notes and "not for an acute muscle strain" in s.notes
               for _, s in plan.sessions())


# -- heavy lifts: by load at low reps (rule 13) -----------------------------------------

SQUAT = "back_squat"  # 4-8RM in the catalogue


def advanced_gym() -> Profile:
    return make_profile(level="advanced", week={"sat": "easy"})


def test_heavy_lift_done_adds_load_and_never_reps() -> None:
    log = [logged(day(0), SQUAT, [6, 6, 6], load_kg=80, rpe=8)]
    item, _ = next_dose(advanced_gym(), log, SQUAT, day(1))
    assert item.rm is not None and all(r <= 6 for r in reps(item))
    assert "80 kg for 6, 6, 6" in item.notes
    assert "Use a heavier load than last time." in item.notes


def test_heavy_lift_set_short_keeps_the_load() -> None:
    log = [logged(day(0), SQUAT, [6, 6, 4], load_kg=85, rpe=9)]
    item, _ = next_dose(advanced_gym(), log, SQUAT, day(1))
    assert "keep the load" in item.notes and "heavier load" not in item.notes
    assert all(r <= 6 for r in reps(item))


def test_heavy_lift_at_the_top_of_its_range_easily_does_not_add_reps() -> None:
    # double progression would add a set or reps; a heavy lift only adds load
    log = [logged(day(0), SQUAT, [8, 8, 8], load_kg=60, rpe=5),
           logged(day(3), SQUAT, [8, 8, 8], load_kg=60, rpe=5)]
    item, _ = next_dose(advanced_gym(), log, SQUAT, day(4))
    assert len(item.sets) == 3 and max(reps(item)) <= 8
    assert "heavier load" in item.notes
