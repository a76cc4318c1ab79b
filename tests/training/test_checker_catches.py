"""The checker catches each rule broken on purpose.

Every case starts from a generated plan the checker passes, changes it as little as
possible so that one rule breaks, and expects a violation of that rule on the right date.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from hamstride.catalogue import Exercise
from hamstride.catalogue.model import tempo_seconds
from hamstride.training.plan import Plan
from hamstride.training.profile import Profile
from hamstride.training.timing import estimate_seconds
from hamstride.vocabulary import Emphasis, Muscle
from tests.training.factories import (
    GYM,
    KEY_WEEK,
    Doc,
    add_session,
    catalogue,
    day,
    doc_session_on,
    doc_sessions,
    drop_items,
    item_doc,
    make_profile,
    move_session,
    mutate,
    mutate_raw,
    plan_for,
    race,
    rules_of,
    session_doc,
    sessions,
    strain,
    swap_exercise,
    violations,
)

EASY_WEEK = {"mon": "easy", "wed": "easy", "sat": "easy"}

Base = tuple[Profile, Plan]


def _base(profile: Profile, weeks: int = 12) -> Base:
    plan = plan_for(profile, weeks=weeks)
    assert violations(plan, profile) == []
    return profile, plan


@pytest.fixture(scope="module")
def easy() -> Base:
    """Gym and anchor, every day a strength day, no key runs: Nordics Mon/Wed/Sat."""
    return _base(make_profile(week=EASY_WEEK), weeks=14)


@pytest.fixture(scope="module")
def keyed() -> Base:
    """Key runs Tue (intervals), Thu (tempo), Sat (long); sessions on those days."""
    return _base(make_profile(week=KEY_WEEK, level="advanced"))


@pytest.fixture(scope="module")
def raced() -> Base:
    """A B race (Sun wk 5), a C race (Wed wk 8) and an A race (Sun wk 12)."""
    return _base(make_profile(week=KEY_WEEK, races=[
        race(day(34), "B"), race(day(51), "C"), race(day(83), "A")]), weeks=14)


@pytest.fixture(scope="module")
def a_race_maintenance() -> Base:
    """No anchor: 8 build weeks, then one session a week, and an A race on Sun wk 12."""
    equipment = [e for e in GYM if e != "nordic_anchor"]
    return _base(make_profile(week=EASY_WEEK, equipment=equipment,
                              races=[race(day(83), "A")]), weeks=16)


@pytest.fixture(scope="module")
def three_days() -> Base:
    """Strength only on Mon, Wed and Fri."""
    return _base(make_profile(week=EASY_WEEK, strength_days=["mon", "wed", "fri"]))


@pytest.fixture(scope="module")
def novice() -> Base:
    return _base(make_profile(level="novice", week=EASY_WEEK,
                              equipment=["barbell", "dumbbells", "wall", "step"]))


@pytest.fixture(scope="module")
def recent_strain() -> Base:
    return _base(make_profile(goal="return_from_strain", injury=strain(day(-20)),
                              week={"tue": "intervals", "sat": "long"}))


@pytest.fixture(scope="module")
def short() -> Base:
    """15-minute sessions: the accessories are paired as a superset."""
    profile, plan = _base(make_profile(session_minutes=15, week=EASY_WEEK))
    assert any(i.superset for _, s in plan.sessions() for i in s.items)
    return profile, plan


def caught(base: Base, change: Callable[[Doc], object], *, raw: bool = False) -> tuple[
        list[str], set[date | None], set[str]]:
    """Apply ``change``; return the rules broken, their dates, and the messages."""
    profile, plan = base
    changed = (mutate_raw if raw else mutate)(plan, change)
    found = violations(changed, profile)
    return ([v.rule for v in found], {v.date for v in found}, {v.message for v in found})


def expect(base: Base, change: Callable[[Doc], object], rule: str,
           on: date | None = None, *, only: bool = True, raw: bool = False,
           says: str | None = None) -> None:
    profile, plan = base
    changed = (mutate_raw if raw else mutate)(plan, change)
    found = violations(changed, profile)
    mine = [v for v in found if v.rule == rule]
    assert mine, f"expected a {rule} violation, got {found}"
    if on is not None:
        assert on in {v.date for v in mine}, found
    if says is not None:
        assert any(says in v.message for v in mine), found
    if only:
        assert rules_of(found) == {rule}, found


def sessions_in_week(doc: Doc, number: int) -> list[Doc]:
    sessions: list[Doc] = doc["weeks"][number - 1]["sessions"]
    return sessions


# -- rule 1: time ---------------------------------------------------------------------

def test_checker_catches_dishonest_estimate(easy: Base) -> None:
    def lie(doc: Doc) -> None:
        doc_session_on(doc, day(2))["estimated_minutes"] -= 5
    expect(easy, lie, "1-time", day(2), raw=True, says="says")


def test_checker_catches_inflated_estimate(easy: Base) -> None:
    def lie(doc: Doc) -> None:
        doc_session_on(doc, day(2))["estimated_minutes"] += 1
    expect(easy, lie, "1-time", day(2), raw=True)


def test_checker_accepts_estimate_off_by_rounding(easy: Base) -> None:
    def nudge(doc: Doc) -> None:
        doc_session_on(doc, day(2))["estimated_minutes"] += 0.05
    rules, _, _ = caught(easy, nudge, raw=True)
    assert rules == []


def test_checker_catches_session_over_budget(easy: Base) -> None:
    def longer_rests(doc: Doc) -> None:
        for item in doc_session_on(doc, day(2))["items"][1:]:
            item["rest_s"] = 300
    expect(easy, longer_rests, "1-time", day(2), says="more than")


def test_checker_catches_session_over_budget_with_dishonest_estimate(easy: Base) -> None:
    def longer_but_same_estimate(doc: Doc) -> None:
        for item in doc_session_on(doc, day(2))["items"][1:]:
            item["rest_s"] = 300
    rules, dates, _ = caught(easy, longer_but_same_estimate, raw=True)
    assert rules == ["1-time", "1-time"]
    assert dates == {day(2)}


def test_checker_catches_session_one_minute_over_budget() -> None:
    profile, plan = _base(make_profile(session_minutes=20, week=EASY_WEEK))

    def warm_up_longer(doc: Doc) -> None:
        session = doc_sessions(doc)[0]
        minutes = session["estimated_minutes"]
        session["items"][0]["sets"][0]["hold_s"] += int((20 - minutes) * 60) + 60
    expect((profile, plan), warm_up_longer, "1-time", plan.weeks[0].sessions[0].date)


# -- rule 2: equipment ----------------------------------------------------------------

def test_checker_catches_equipment_the_runner_does_not_own() -> None:
    no_barbell = make_profile(week=EASY_WEEK, equipment=[e for e in GYM if e != "barbell"])
    base = _base(no_barbell)
    first = base[1].weeks[0].sessions[0]
    hip = next(i.exercise for i in first.items if i.exercise in
               {"hip_extension_45", "dumbbell_romanian_deadlift"})
    expect(base, lambda doc: swap_exercise(doc_session_on(doc, first.date), hip,
                                           "romanian_deadlift"),
           "2-equipment", first.date, says="does not have")


def test_checker_catches_item_that_does_not_list_its_equipment(easy: Base) -> None:
    def unlisted(doc: Doc) -> None:
        for item in doc_session_on(doc, day(0))["items"]:
            if item["exercise"] == "nordic_hamstring_curl":
                item["equipment"] = []
    expect(easy, unlisted, "2-equipment", day(0), says="does not list")


def test_checker_catches_item_listing_equipment_it_does_not_use(easy: Base) -> None:
    def extra(doc: Doc) -> None:
        doc_session_on(doc, day(0))["items"][1]["equipment"].append("kettlebell")
    expect(easy, extra, "2-equipment", day(0), says="does not use")


def test_checker_catches_body_weight_plan_given_a_machine() -> None:
    base = _base(make_profile(level="novice", equipment=[], week=EASY_WEEK))
    first = base[1].weeks[0].sessions[0]
    knee = next(i.exercise for i in first.items if i.exercise in
                {"bridge_walkout", "isometric_bridge_hold"})
    expect(base, lambda doc: swap_exercise(doc_session_on(doc, first.date), knee,
                                           "seated_leg_curl", sets=[8, 8]),
           "2-equipment", first.date)


# -- rule 3: races --------------------------------------------------------------------

def _run_first(session: Doc) -> None:
    session["notes"] += " Key run today (race): run first, strength after (Doma & Deakin 2013)."


@pytest.mark.parametrize(("move_from", "move_to", "why"), [
    (day(32), day(34), "race day (B race)"),  # Fri -> Sun, the B race
    (day(32), day(33), "day before a B race"),  # Fri -> Sat
    (day(49), day(50), "day before a C race"),  # Mon -> Tue
    (day(49), day(51), "race day (C race)"),  # Mon -> Wed
    (day(78), day(81), "2 days before the A race"),  # Tue -> Fri
    (day(78), day(82), "day before the A race"),  # Tue -> Sat
    (day(78), day(83), "race day (A race)"),  # Tue -> Sun
])
def test_checker_catches_session_in_race_blackout(raced: Base, move_from: date, move_to: date,
                                                  why: str) -> None:
    def move(doc: Doc) -> None:
        _run_first(move_session(doc, move_from, move_to))
    expect(raced, move, "3-races", move_to, only=False)


def test_checker_allows_session_three_days_before_an_a_race(raced: Base) -> None:
    _, plan = raced
    assert [s.date for s in plan.weeks[11].sessions] == [day(78)]
    rules, _, _ = caught(raced, lambda doc: move_session(doc, day(78), day(80)))  # Thu
    assert "3-races" not in rules


def test_checker_allows_session_two_days_before_a_b_race(raced: Base) -> None:
    # week 5: the B race is on Sun (day 34); Wed (day 30) -> Fri is two days before
    _, plan = raced
    assert day(30) in {s.date for s in plan.weeks[4].sessions}
    assert day(32) in {s.date for s in plan.weeks[4].sessions}
    rules, _, _ = caught(raced, lambda doc: move_session(doc, day(32), day(31)))  # Thu
    assert "3-races" not in rules


def test_checker_catches_fat_taper_week(raced: Base) -> None:
    def fatten(doc: Doc) -> None:
        session = doc_session_on(doc, day(78))
        for item in session["items"][1:]:
            item["sets"] = item["sets"][:1] * 4  # 4 items x 4 sets; the cap is 15
    expect(raced, fatten, "3-races", day(83), says="taper")


def test_checker_catches_taper_with_an_extra_session(raced: Base) -> None:
    def extra(doc: Doc) -> None:
        taper = doc_session_on(doc, day(78))
        twin = {**taper, "date": day(80).isoformat(), "items": [
            *taper["items"][:1],
            *(dict(i, sets=i["sets"][:1] * 3) for i in taper["items"][1:])]}
        add_session(doc, twin)
    expect(raced, extra, "3-races", day(83), says="taper", only=False)


# -- rule 4: key runs -----------------------------------------------------------------

def test_checker_catches_nordics_the_day_before_a_key_run(keyed: Base) -> None:
    _, plan = keyed
    week5 = plan.weeks[4].sessions
    tuesday = day(29)
    assert tuesday in {s.date for s in week5}
    assert any(i.exercise == "nordic_hamstring_curl"
               for s in week5 if s.date == tuesday for i in s.items)
    # Tue (intervals) -> Mon: Nordics the day before the intervals
    expect(keyed, lambda doc: move_session(doc, tuesday, day(28)), "4-key-runs", day(28),
           says="day(s) before a key run")


def test_checker_catches_other_eccentric_work_the_day_before_a_key_run(keyed: Base) -> None:
    # advanced runner: the eccentric slider curl is heavy eccentric work too
    def eccentric(doc: Doc) -> None:
        session = move_session(doc, day(29), day(28))
        swap_exercise(session, "nordic_hamstring_curl", "eccentric_slider_leg_curl")
    expect(keyed, eccentric, "4-key-runs", day(28))


def test_checker_catches_nordics_two_days_before_a_key_run_in_table_week_1(keyed: Base) -> None:
    _, plan = keyed
    saturday = day(5)
    assert any(i.exercise == "nordic_hamstring_curl" for s in plan.weeks[0].sessions
               if s.date == saturday for i in s.items)
    # Sat -> Sun: Mon is easy, Tue intervals are 2 days later
    expect(keyed, lambda doc: move_session(doc, saturday, day(6)), "4-key-runs", day(6),
           says="2 days before")


def test_checker_allows_nordics_two_days_before_a_key_run_after_week_2(keyed: Base) -> None:
    # week 8, the same move: Sat -> Sun is fine once the first two Nordic weeks are over
    rules, _, _ = caught(keyed, lambda doc: move_session(doc, day(54), day(55)))
    assert "4-key-runs" not in rules


def test_checker_catches_slow_lowering_the_day_before_a_key_run(keyed: Base) -> None:
    # the Thursday session (Romanian deadlift lowered in 3 s) moved to Friday, the day
    # before the long run: no Nordics in it, but slow lowering is eccentric work
    _, plan = keyed
    thursday = day(3)
    moved = next(s for _, s in plan.sessions() if s.date == thursday)
    assert any(i.exercise == "romanian_deadlift" and i.tempo == "3-0-1" for i in moved.items)
    expect(keyed, lambda doc: move_session(doc, thursday, day(4)), "4-key-runs", day(4),
           says="lowered in 3 s")


def test_planner_lowers_at_a_controlled_tempo_the_day_before_a_key_run() -> None:
    # Mon and Fri are the only strength days, the days before intervals and the long run
    profile = make_profile(week={"tue": "intervals", "sat": "long"},
                           strength_days=["mon", "fri"], level="advanced")
    plan = plan_for(profile, weeks=4)
    assert violations(plan, profile) == []
    cat = catalogue()
    hamstring = [i for _, s in plan.sessions() for i in s.items
                 if cat[i.exercise].is_hamstring_work and i.tempo is not None]
    assert not [(i.exercise, i.tempo) for i in hamstring if tempo_seconds(i.tempo)[0] >= 3]
    # the items the catalogue lowers in 3 s are there, at the controlled tempo
    slow = [i for i in hamstring if tempo_seconds(cat[i.exercise].dose.tempo or "1-0-1")[0] >= 3]
    assert slow and {i.tempo for i in slow} == {"2-0-1"}


def test_checker_catches_key_run_day_without_run_first_note(keyed: Base) -> None:
    def forget(doc: Doc) -> None:
        session = doc_session_on(doc, day(1))
        session["notes"] = session["notes"].replace("run first", "lift first")
    expect(keyed, forget, "4-key-runs", day(1), says="run first")


# -- rule 5: frequency ----------------------------------------------------------------

def _light_session(when: date) -> Doc:
    return session_doc(when, [item_doc("glute_bridge"), item_doc("calf_raise")])


def test_checker_catches_four_sessions_in_a_week(easy: Base) -> None:
    expect(easy, lambda doc: add_session(doc, _light_session(day(11))), "5-frequency",
           day(7), says="4 strength sessions")


def test_checker_catches_one_session_in_a_build_week(easy: Base) -> None:
    def thin(doc: Doc) -> None:
        week = doc["weeks"][1]
        week["sessions"] = week["sessions"][:1]
    expect(easy, thin, "5-frequency", day(7), says="build week")


def test_checker_catches_empty_maintenance_week(easy: Base) -> None:
    def empty(doc: Doc) -> None:
        doc["weeks"][11]["sessions"] = []
    expect(easy, empty, "5-frequency", day(77), says="maintenance")


def test_checker_catches_nordic_sessions_on_consecutive_days(easy: Base) -> None:
    # week 6: Nordics Mon, Wed, Sat -> move Wed to Tue
    expect(easy, lambda doc: move_session(doc, day(37), day(36)), "5-frequency", day(36),
           says="48 h")


def test_checker_catches_fourteen_days_without_hamstring_work(easy: Base) -> None:
    # maintenance: one session a week on Monday; strip the hamstring work of week 12
    def strip(doc: Doc) -> None:
        for s in sessions_in_week(doc, 12):
            drop_items(s, lambda e: not e.is_hamstring_work)
    expect(easy, strip, "5-frequency", day(84), says="14 days")


def test_checker_allows_thirteen_days_without_hamstring_work(easy: Base) -> None:
    def strip(doc: Doc) -> None:
        _strip_hamstrings(doc, 12)
        move_session(doc, day(70), day(71))  # wk 11 Mon -> Tue: Tue to wk 13 Mon is 13 days
    assert caught(easy, strip)[0] == []


def test_checker_catches_twenty_day_gap_without_an_a_race(easy: Base) -> None:
    def strip(doc: Doc) -> None:
        _strip_hamstrings(doc, 12)
        move_session(doc, day(84), day(90))  # wk 13 Mon -> Sun: 20 days after wk 11 Mon
    expect(easy, strip, "5-frequency", day(90), says="20 days")


def _strip_hamstrings(doc: Doc, number: int) -> None:
    for s in sessions_in_week(doc, number):
        drop_items(s, lambda e: not e.is_hamstring_work)


def test_checker_allows_twenty_day_gap_around_an_a_race(a_race_maintenance: Base) -> None:
    _, plan = a_race_maintenance
    before, taper, after = (plan.weeks[n].sessions for n in (10, 11, 12))
    assert len(before) == len(taper) == len(after) == 1

    def gap_of_20(doc: Doc) -> None:
        _strip_hamstrings(doc, 12)
        move_session(doc, before[0].date, day(70))  # wk 11 Mon
        move_session(doc, after[0].date, day(90))  # wk 13 Sun: 20 days later
    rules, _, _ = caught(a_race_maintenance, gap_of_20)
    assert rules == []


def test_checker_catches_twenty_one_day_gap_around_an_a_race(
        a_race_maintenance: Base) -> None:
    _, plan = a_race_maintenance
    (wk10,), (after,) = plan.weeks[9].sessions, plan.weeks[12].sessions

    def gap_of_21(doc: Doc) -> None:
        _strip_hamstrings(doc, 12)
        _strip_hamstrings(doc, 11)
        move_session(doc, wk10.date, day(69))  # wk 10 Sun
        move_session(doc, after.date, day(90))  # wk 13 Sun: 21 days later, A race between
    expect(a_race_maintenance, gap_of_21, "5-frequency", day(90), says="21 days")


def test_checker_catches_session_on_a_non_strength_day(three_days: Base) -> None:
    _, plan = three_days
    monday = plan.weeks[2].sessions[0].date
    assert monday.weekday() == 0
    expect(three_days, lambda doc: move_session(doc, monday, monday + (day(1) - day(0))),
           "5-frequency", monday + (day(1) - day(0)), says="not one of")


def test_checker_catches_two_strength_sessions_on_one_day(novice: Base) -> None:
    _, plan = novice
    first = plan.weeks[2].sessions[0].date
    assert len(plan.weeks[2].sessions) == 2
    expect(novice, lambda doc: add_session(doc, _light_session(first)), "5-frequency",
           first, says="sessions on one day")


def test_checker_allows_an_extra_l_protocol_bout_on_a_strength_day(
        recent_strain: Base) -> None:
    _, plan = recent_strain
    dates = [s.date for s in plan.weeks[0].sessions]
    assert len(dates) > len(set(dates))  # second bouts share the day


def test_checker_catches_a_third_bout_on_one_day(recent_strain: Base) -> None:
    _, plan = recent_strain
    first = plan.weeks[0].sessions[0].date

    def third(doc: Doc) -> None:
        add_session(doc, session_doc(first, [item_doc("askling_extender")],
                                     notes="Extra bout (Askling 2013; Silbernagel 2007)."))
    expect(recent_strain, third, "5-frequency", first, says="sessions on one day",
           only=False)


# -- rule 6: balance ------------------------------------------------------------------

def _not(emphasis: Emphasis) -> Callable[[Exercise], bool]:
    return lambda e: not (e.is_hamstring_work and e.hamstring_emphasis is emphasis)


def _lacks(muscle: Muscle) -> Callable[[Exercise], bool]:
    return lambda e: muscle not in e.muscles.primary


@pytest.mark.parametrize(("keep", "missing"), [
    (_not(Emphasis.KNEE), "knee-dominant"),
    (_not(Emphasis.HIP), "hip-dominant"),
    (_lacks(Muscle.QUADRICEPS), "quadriceps"),
    (_lacks(Muscle.CALVES), "calf"),
])
def test_checker_catches_unbalanced_week(easy: Base, keep: Callable[[Exercise], bool],
                                         missing: str) -> None:
    def strip(doc: Doc) -> None:
        for s in sessions_in_week(doc, 7):
            drop_items(s, keep)
    expect(easy, strip, "6-balance", day(42), says=missing)


def test_checker_does_not_count_article_exercise_as_hip_work(easy: Base) -> None:
    def article(doc: Doc) -> None:
        for s in sessions_in_week(doc, 3):
            s["items"] = [item_doc("standing_leg_curl")
                          if catalogue_emphasis(i["exercise"]) is Emphasis.HIP else i
                          for i in s["items"]]
    expect(easy, article, "6-balance", day(14), says="hip-dominant")


def test_checker_counts_article_exercises_for_what_they_really_train(easy: Base) -> None:
    def article(doc: Doc) -> None:
        for s in sessions_in_week(doc, 3):
            s["items"] = [item_doc("wall_sit", notes="Quadriceps (Blagrove 2018).")
                          if i["exercise"] in {"leg_press", "bulgarian_split_squat"} else i
                          for i in s["items"]]
    rules, _, _ = caught(easy, article)
    assert rules == []


def catalogue_emphasis(exercise_id: str) -> Emphasis:
    exercise = catalogue()[exercise_id]
    return exercise.hamstring_emphasis if exercise.is_hamstring_work else Emphasis.NONE


# -- rule 7: Nordics ------------------------------------------------------------------

def _nordics(session: Doc) -> list[Doc]:
    return [i for i in session["items"] if i["exercise"] == "nordic_hamstring_curl"]


def test_checker_catches_second_nordic_session_in_table_week_1(easy: Base) -> None:
    # week 1: Nordics Mon only; add 2x5 to Sat's session
    def second(doc: Doc) -> None:
        saturday = doc_session_on(doc, day(5))
        assert not _nordics(saturday)
        saturday["items"].insert(1, item_doc("nordic_hamstring_curl", sets=[5, 5]))
    expect(easy, second, "7-nordic", day(0), says="2 Nordic sessions")


def test_checker_catches_six_reps_in_table_week_1(easy: Base) -> None:
    def more(doc: Doc) -> None:
        _nordics(doc_session_on(doc, day(0)))[0]["sets"] = [{"reps": 6}, {"reps": 6}]
    expect(easy, more, "7-nordic", day(0), says="[6, 6]")


def test_checker_catches_third_nordic_set_in_table_week_1(easy: Base) -> None:
    def more(doc: Doc) -> None:
        _nordics(doc_session_on(doc, day(0)))[0]["sets"] = [{"reps": 5}] * 3
    expect(easy, more, "7-nordic", day(0))


@pytest.mark.parametrize(("week", "reps"), [
    (2, [7, 6]),
    (3, [10, 10, 10]),  # table week 4 dose in week 3
    (4, [12, 10, 8]),  # table week 5 dose in week 4
    (6, [12, 12, 8]),
])
def test_checker_catches_nordic_dose_ahead_of_the_table(easy: Base, week: int,
                                                        reps: list[int]) -> None:
    first = day(7 * (week - 1))

    def faster(doc: Doc) -> None:
        _nordics(doc_session_on(doc, first))[0]["sets"] = [{"reps": r} for r in reps]
    expect(easy, faster, "7-nordic", first, says="more than table week")


def test_checker_allows_nordic_dose_below_the_table(easy: Base) -> None:
    def gentler(doc: Doc) -> None:
        _nordics(doc_session_on(doc, day(28)))[0]["sets"] = [{"reps": 6}] * 3
    assert caught(easy, gentler)[0] == []


def test_checker_catches_two_nordic_sessions_in_maintenance(easy: Base) -> None:
    def twice(doc: Doc) -> None:
        add_session(doc, session_doc(day(75), [item_doc("nordic_hamstring_curl",
                                                        sets=[12, 10, 8])]))
    expect(easy, twice, "7-nordic", day(70), says="maintenance", only=False)


def _replace_nordics(doc: Doc, weeks: range) -> None:
    for number in weeks:
        for s in sessions_in_week(doc, number):
            swap_exercise(s, "nordic_hamstring_curl", "lying_leg_curl")


def test_checker_catches_full_dose_after_a_three_week_lapse(easy: Base) -> None:
    # no Nordics in weeks 5-7: Sat wk 4 (day 26) to Mon wk 8 (day 49) is 23 days;
    # week 8 must restart at table week 1, not continue at 3x (12, 10, 8)
    expect(easy, lambda doc: _replace_nordics(doc, range(5, 8)), "7-nordic", day(49),
           says="table week 1")


def test_checker_allows_full_dose_after_a_two_week_break(easy: Base) -> None:
    assert caught(easy, lambda doc: _replace_nordics(doc, range(5, 7)))[0] == []


# -- rule 8: return from a strain -----------------------------------------------------

def test_checker_catches_session_without_pain_monitoring(recent_strain: Base) -> None:
    _, plan = recent_strain
    late = plan.weeks[5].sessions[0].date

    def forget(doc: Doc) -> None:
        session = doc_session_on(doc, late)
        session["notes"] = session["notes"].replace("pain-free", "comfortable")
    expect(recent_strain, forget, "8-return", late, says="pain-monitoring")


def test_checker_catches_nordics_in_the_first_two_weeks_after_a_strain(
        recent_strain: Base) -> None:
    _, plan = recent_strain
    strength = next(s for s in plan.weeks[1].sessions if "glute_bridge" in
                    {i.exercise for i in s.items})

    def nordic(doc: Doc) -> None:
        session = next(s for s in doc_sessions(doc) if s["date"] == strength.date.isoformat()
                       and any(i["exercise"] == "glute_bridge" for i in s["items"]))
        session["items"].append(item_doc("nordic_hamstring_curl", sets=[5, 5]))
    expect(recent_strain, nordic, "8-return", strength.date, says="nordic_hamstring_curl",
           only=False)


def test_checker_catches_l_protocol_after_other_hamstring_work(recent_strain: Base) -> None:
    _, plan = recent_strain
    strength = next(s for s in plan.weeks[0].sessions if "glute_bridge" in
                    {i.exercise for i in s.items})

    def reorder(doc: Doc) -> None:
        session = next(s for s in doc_sessions(doc) if s["date"] == strength.date.isoformat()
                       and any(i["exercise"] == "glute_bridge" for i in s["items"]))
        warm, *work = session["items"]
        protocol = [i for i in work if i["exercise"].startswith("askling_")]
        others = [i for i in work if not i["exercise"].startswith("askling_")]
        session["items"] = [warm, *others, *protocol]
    expect(recent_strain, reorder, "8-return", strength.date, says="must come first")


def test_checker_catches_hamstring_work_without_l_protocol(recent_strain: Base) -> None:
    _, plan = recent_strain
    strength = next(s for s in plan.weeks[0].sessions if "glute_bridge" in
                    {i.exercise for i in s.items})

    def drop(doc: Doc) -> None:
        session = next(s for s in doc_sessions(doc) if s["date"] == strength.date.isoformat()
                       and any(i["exercise"] == "glute_bridge" for i in s["items"]))
        drop_items(session, lambda e: not e.is_l_protocol)
    expect(recent_strain, drop, "8-return", strength.date, says="without the Askling")


@pytest.fixture(scope="module")
def fresh_strain() -> Base:
    """A strain 4 days before the start, a barbell and dumbbells at home."""
    return _base(make_profile(goal="return_from_strain", injury=strain(day(-4)),
                              equipment=["barbell", "dumbbells", "bench", "wall"],
                              week={"tue": "easy", "sat": "easy"}), weeks=4)


@pytest.mark.parametrize(("exercise_id", "reps"), [
    ("romanian_deadlift", [5, 5, 5]),
    ("single_leg_romanian_deadlift", [8, 8, 8]),
])
def test_checker_catches_heavy_hip_hinge_days_after_a_strain(
        fresh_strain: Base, exercise_id: str, reps: list[int]) -> None:
    _, plan = fresh_strain
    strength = next(s for s in plan.weeks[0].sessions if has_item(s, "glute_bridge"))

    def hinge(doc: Doc) -> None:
        session = doc_session_on(doc, strength.date)
        session["items"].append(item_doc(exercise_id, sets=reps))
    expect(fresh_strain, hinge, "8-return", strength.date, says=exercise_id, only=False)


def test_checker_catches_first_two_weeks_without_the_glider(fresh_strain: Base) -> None:
    def no_glider(doc: Doc) -> None:
        for week in doc["weeks"][:2]:
            for session in week["sessions"]:
                session["items"] = [i for i in session["items"]
                                    if i["exercise"] != "askling_glider"]
    expect(fresh_strain, no_glider, "8-return", says="askling_glider")


def has_item(session: object, exercise_id: str) -> bool:
    return any(i.exercise == exercise_id for i in getattr(session, "items", []))


# -- rule 9: level --------------------------------------------------------------------

def test_checker_catches_novice_starting_at_three_sets(novice: Base) -> None:
    def more(doc: Doc) -> None:
        item = doc_session_on(doc, day(0))["items"][-1]
        item["sets"] = item["sets"] + item["sets"][:1]
    expect(novice, more, "9-level", day(0), says="starts a novice at 3 sets")


def test_checker_catches_exercise_above_the_runner_level(novice: Base) -> None:
    def harder(doc: Doc) -> None:
        session = doc_session_on(doc, day(0))
        swap_exercise(session, "dumbbell_romanian_deadlift", "romanian_deadlift",
                      sets=[6, 6])
    expect(novice, harder, "9-level", day(0), says="intermediate exercise")


def test_checker_catches_advanced_exercise_for_intermediate(easy: Base) -> None:
    expect(easy, lambda doc: swap_exercise(doc_session_on(doc, day(0)), "leg_press",
                                           "back_squat"),
           "9-level", day(0), says="advanced exercise")


# -- rule 10: structure ---------------------------------------------------------------

def test_checker_catches_session_without_warm_up(easy: Base) -> None:
    expect(easy, lambda doc: doc_session_on(doc, day(2))["items"].pop(0), "10-structure",
           day(2), says="warm-up")


def test_checker_catches_nordics_before_the_warm_up(easy: Base) -> None:
    def swap(doc: Doc) -> None:
        items = doc_session_on(doc, day(0))["items"]
        items[0], items[1] = items[1], items[0]
        assert items[0]["exercise"] == "nordic_hamstring_curl"
    expect(easy, swap, "10-structure", day(0), says="warm-up")


def _label(positions: list[int], label: str = "B") -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        items = doc_session_on(doc, day(2))["items"]
        for n in positions:
            items[n]["superset"] = label
    return change


@pytest.mark.parametrize("positions", [[2], [2, 3, 4], [2, 4], [1, 2, 3, 4]],
                         ids=["one item", "three items", "not neighbours", "four items"])
def test_checker_catches_bad_superset_label(easy: Base, positions: list[int]) -> None:
    expect(easy, _label(positions), "10-structure", day(2), says="exactly two")


def test_checker_catches_superset_including_the_warm_up(easy: Base) -> None:
    expect(easy, _label([0, 1]), "10-structure", day(2), says="warm-up", only=False)


def test_checker_catches_superset_with_different_rounds(short: Base) -> None:
    _, plan = short
    when = next(s.date for s in sessions(plan) if any(i.superset for i in s.items))

    def uneven(doc: Doc) -> None:
        session = next(s for s in doc_sessions(doc) if s["date"] == when.isoformat())
        paired = [i for i in session["items"] if i["superset"]]
        paired[0]["sets"] = paired[0]["sets"] + paired[0]["sets"][:1]
    expect(short, uneven, "10-structure", when, says="different rounds", only=False)


def test_checker_accepts_neighbouring_pair(easy: Base) -> None:
    assert caught(easy, _label([3, 4]))[0] == []


def test_checker_catches_misnumbered_week(easy: Base) -> None:
    def renumber(doc: Doc) -> None:
        doc["weeks"][2]["week"] = 4
    rules, _, _ = caught(easy, renumber)
    assert "10-structure" in rules


def test_checker_catches_session_outside_its_week(easy: Base) -> None:
    def misplace(doc: Doc) -> None:
        doc["weeks"][2]["sessions"][0]["date"] = day(7).isoformat()
    expect(easy, misplace, "10-structure", day(7), says="sits in week 3", only=False)


def test_checker_base_plans_have_no_violations(easy: Base, keyed: Base, raced: Base,
                                              a_race_maintenance: Base, three_days: Base,
                                              novice: Base, recent_strain: Base,
                                              short: Base) -> None:
    for profile, plan in (easy, keyed, raced, a_race_maintenance, three_days, novice,
                          recent_strain, short):
        assert violations(plan, profile) == []


def test_checker_catches_fourteen_days_without_hamstring_work_at_the_end(easy: Base) -> None:
    # the plan's last two weeks (days 84-97) have no hamstring work: a 20-day stretch
    # after the Monday session of week 12 (day 77). The start of the plan counts as a
    # boundary for the gap; the end must too.
    def strip(doc: Doc) -> None:
        _strip_hamstrings(doc, 13)
        _strip_hamstrings(doc, 14)
    expect(easy, strip, "5-frequency", only=False)


def test_checker_catches_session_a_few_seconds_over_budget() -> None:
    base = _base(make_profile(session_minutes=10, week=EASY_WEEK))
    _, plan = base
    first = plan.weeks[0].sessions[0]

    def stretch(doc: Doc) -> None:
        session = doc_session_on(doc, first.date)
        # the warm-up's hold takes the session to 605 s: 10 min 5 s for a 10 min budget
        session["items"][0]["sets"][0]["hold_s"] += 605 - estimate_seconds(first.items)
    changed = mutate(plan, stretch)
    assert estimate_seconds(changed.weeks[0].sessions[0].items) == 605
    expect(base, stretch, "1-time", first.date, says="more than")


def test_checker_catches_heavy_loading_before_the_return_criteria(recent_strain: Base) -> None:
    from hamstride.training.adaptation import adapt_plan
    from hamstride.training.log import session_from_data

    profile, plan = recent_strain
    log = [session_from_data({"date": day(0).isoformat(), "pain": 0, "morning_pain": 0,
                              "sets": [{"exercise": "askling_extender", "reps": 12}]})]
    adapted = adapt_plan(profile, plan, log, today=day(1))
    assert violations(adapted, profile) == []
    late = next(s for s in sessions(adapted) if s.date >= day(21) and
                any(i.exercise == "glute_bridge" for i in s.items))
    base = (profile, adapted)

    def nordic(doc: Doc) -> None:
        doc_session_on(doc, late.date)["items"].append(
            item_doc("nordic_hamstring_curl", sets=[5, 5]))
    expect(base, nordic, "8-return", late.date, says="before the return criteria", only=False)


# -- rule 13: intensity -----------------------------------------------------------------

def _squats(doc: Doc) -> list[Doc]:
    return [i for s in doc_sessions(doc) for i in s["items"] if i["exercise"] == "back_squat"]


def test_planner_prescribes_heavy_lifts_by_rm_falling_through_the_build(keyed: Base) -> None:
    # the back squat (4-8RM in the catalogue) goes 8RM -> 6RM -> 4RM, never back up,
    # and maintenance keeps the load the build reached (Ronnestad 2010)
    _, plan = keyed
    by_week = [(w.phase, [i.rm for s in w.sessions for i in s.items
                          if i.exercise == "back_squat"]) for w in plan.weeks]
    build = [rm for phase, rms in by_week if phase == "build" for rm in rms]
    assert build[0] == 8 and build[-1] == 4 and sorted(build, reverse=True) == build
    assert all(rm == 4 for phase, rms in by_week if phase == "maintenance" for rm in rms)
    squat = next(i for _, s in plan.sessions() for i in s.items if i.exercise == "back_squat")
    assert all(getattr(x, "reps", None) == squat.rm for x in squat.sets)
    assert "8RM" in squat.notes


def test_checker_catches_a_heavy_lift_without_a_load(keyed: Base) -> None:
    def unloaded(doc: Doc) -> None:
        _squats(doc)[0]["rm"] = None
    expect(keyed, unloaded, "13-intensity", day(1), says="no load")


def test_checker_catches_a_heavy_lift_outside_4_to_10_rm(keyed: Base) -> None:
    def light(doc: Doc) -> None:
        squat = _squats(doc)[0]
        squat["rm"] = 15
        squat["sets"] = [{"reps": 15}] * len(squat["sets"])
    expect(keyed, light, "13-intensity", day(1), says="4-10RM", only=False)


def test_checker_catches_more_reps_than_the_load_allows(keyed: Base) -> None:
    def over(doc: Doc) -> None:
        squat = _squats(doc)[0]
        squat["sets"] = [{"reps": squat["rm"] + 2}] * len(squat["sets"])
    expect(keyed, over, "13-intensity", day(1), says="more than that load allows", only=False)


def test_checker_catches_heavy_lift_reps_rising_in_a_build(keyed: Base) -> None:
    # week 6 back to 8RM after 6RM in week 5 (week 4 is a deload): the wrong direction
    def back_up(doc: Doc) -> None:
        for week in doc["weeks"][5:6]:
            for s in week["sessions"]:
                for i in s["items"]:
                    if i["exercise"] == "back_squat":
                        i["rm"], i["sets"] = 8, [{"reps": 8}] * len(i["sets"])
    expect(keyed, back_up, "13-intensity", day(36), says="goes back up from 6RM to 8RM",
           only=False)


def test_checker_catches_an_rm_load_on_a_body_weight_exercise(keyed: Base) -> None:
    def odd(doc: Doc) -> None:
        item = next(i for s in doc_sessions(doc) for i in s["items"]
                    if i["exercise"] == "single_leg_heel_raise")
        item["rm"] = 10
    expect(keyed, odd, "13-intensity", says="loads it by reps")


# -- rule 14: periodisation -------------------------------------------------------------

def test_planner_deloads_every_fourth_build_week(keyed: Base) -> None:
    _, plan = keyed
    phases = [w.phase for w in plan.weeks]
    assert phases[:8] == ["build"] * 3 + ["deload"] + ["build"] * 3 + ["deload"]
    week3, week4 = plan.weeks[2], plan.weeks[3]
    sets = [sum(len(i.sets) for s in w.sessions for i in s.items
                if i.exercise not in ("dynamic_warm_up", "nordic_hamstring_curl"))
            for w in (week3, week4)]
    assert sets[1] <= 0.6 * sets[0]
    squat = [i.rm for s in week4.sessions for i in s.items if i.exercise == "back_squat"]
    assert squat and set(squat) == {6}  # the load of week 3 kept: intensity stays
    assert all("Deload week" in s.notes for s in week4.sessions)


def test_checker_catches_a_fourth_build_week_at_full_volume(keyed: Base) -> None:
    def no_deload(doc: Doc) -> None:
        deload = doc["weeks"][3]
        deload["phase"] = "build"
        deload["sessions"] = copy.deepcopy(doc["weeks"][2]["sessions"])
        for s in deload["sessions"]:
            s["date"] = (date.fromisoformat(s["date"]) + timedelta(days=7)).isoformat()
    expect(keyed, no_deload, "14-periodisation", day(21), says="4th build week", only=False)


def test_checker_catches_a_deload_week_that_is_not_lighter(keyed: Base) -> None:
    def heavy(doc: Doc) -> None:
        for s in doc["weeks"][3]["sessions"]:
            for i in s["items"]:
                if i["exercise"] not in ("dynamic_warm_up", "nordic_hamstring_curl"):
                    i["sets"] = i["sets"] * 3
    expect(keyed, heavy, "14-periodisation", day(21), says="more than 60%", only=False)


def season_profile() -> Profile:
    races = [race(day(5 + 14 * k), "B") for k in range(4)]
    return make_profile(week=KEY_WEEK, level="advanced", races=races)


def test_planner_racing_every_two_weeks_is_in_season() -> None:
    profile = season_profile()
    plan = plan_for(profile, weeks=10)
    assert violations(plan, profile) == []
    season = [w for w in plan.weeks if w.phase == "in-season"]
    assert [w.week for w in season] == [1, 2, 3, 4, 5, 6, 7]  # to the last race, day 47
    for w in season:
        assert 1 <= len(w.sessions) <= 2
        for s in w.sessions:
            assert "In season" in s.notes
            assert all(len(i.sets) <= 2 for i in s.items)
    rms = [i.rm for w in season for s in w.sessions for i in s.items
           if i.exercise == "back_squat"]
    assert rms and max(rms) <= 6  # high intensity: a rung below the lightest


def test_checker_catches_three_sessions_in_season() -> None:
    profile = season_profile()
    base = (profile, plan_for(profile, weeks=10))

    def crowd(doc: Doc) -> None:
        week = doc["weeks"][1]
        extra = copy.deepcopy(week["sessions"][0])
        extra["date"] = day(9).isoformat()  # Wed: an easy day, no race near
        extra["notes"] = "Extra session (Blagrove 2018)."
        week["sessions"].append(extra)
        week["sessions"].sort(key=lambda s: s["date"])
    expect(base, crowd, "14-periodisation", day(7), says="in season", only=False)
