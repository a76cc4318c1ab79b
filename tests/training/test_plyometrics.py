"""Rule 15, plyometrics: who gets jumps, when, and how much; the planner and the checker.

The added sources (Spurrs 2003, Turner 2003, Paavolainen 1999) are not in EVIDENCE.md,
so they must be documented where we added them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hamstride.evidence import ADDED_SOURCES, SOURCES
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Plan, Session
from hamstride.training.profile import Profile
from hamstride.training.rules import plyometrics
from hamstride.training.rules.base import NORDIC
from tests.training.factories import (
    KEY_WEEK,
    Doc,
    add_session,
    catalogue,
    day,
    doc_session_on,
    doc_sessions,
    item_doc,
    make_profile,
    mutate,
    plan_for,
    race,
    session_doc,
    strain,
    violations,
)

ROOT = Path(__file__).resolve().parents[2]
RULE = plyometrics.RULE
EASY_WEEK = {"mon": "easy", "wed": "easy", "sat": "easy"}
DRILLS = ("pogo_jumps", "single_leg_hops", "bounding")


def _jumps(session: Session) -> list[str]:
    return [i.exercise for i in session.items if catalogue()[i.exercise].is_plyometric]


def _by_week(plan: Plan) -> list[tuple[str, list[tuple[date, list[str]]]]]:
    return [(w.phase, [(s.date, _jumps(s)) for s in w.sessions if _jumps(s)])
            for w in plan.weeks]


def _rule(plan: Plan, profile: Profile) -> list[tuple[date | None, str]]:
    return [(v.date, v.message) for v in violations(plan, profile) if v.rule == RULE]


@pytest.fixture(scope="module")
def performer() -> tuple[Profile, Plan]:
    profile = make_profile(week=EASY_WEEK, goal="performance", level="advanced")
    plan = plan_for(profile, weeks=16)
    assert violations(plan, profile) == []
    return profile, plan


# -- the catalogue and the sources ---------------------------------------------------------

def test_the_drills_are_plyometric_catalogue_exercises_citing_the_added_sources() -> None:
    for drill in DRILLS:
        exercise = catalogue()[drill]
        assert exercise.is_plyometric and not exercise.is_hamstring_work
        assert set(exercise.evidence.sources) <= set(ADDED_SOURCES)
        assert exercise.level.value != "novice"


def test_added_sources_are_ours_and_written_down() -> None:
    evidence = (ROOT.parent / "shared" / "EVIDENCE.md")
    written = (ROOT / "docs" / "evidence-added.md").read_text(encoding="utf-8")
    for key in ADDED_SOURCES:
        assert key in SOURCES
        author, year = key.rsplit(" ", 1)
        assert f"{author} ({year})" in written or key in written
        if evidence.is_file():  # where the shared file is present, it must lack them
            assert key not in evidence.read_text(encoding="utf-8")


# -- the planner ---------------------------------------------------------------------

def test_one_session_a_build_week_and_none_outside_the_build(
        performer: tuple[Profile, Plan]) -> None:
    _, plan = performer
    weeks = _by_week(plan)
    assert any(found for phase, found in weeks if phase == "build")
    for phase, found in weeks:
        if phase == "build":
            assert len(found) == 1, found  # every build week here has a free day
        else:
            assert found == [], (phase, found)


def test_an_advanced_runner_progresses_from_pogo_jumps_to_hops_to_bounds(
        performer: tuple[Profile, Plan]) -> None:
    _, plan = performer
    order = [jumps[0] for phase, found in _by_week(plan) for _, jumps in found]
    assert order[0] == "pogo_jumps" and order[-1] == "bounding"
    assert [d for i, d in enumerate(order) if i == 0 or order[i - 1] != d] == list(DRILLS)
    pogo = [i for s in plan.sessions() for i in s[1].items if i.exercise == "pogo_jumps"]
    assert [i.sets[0].reps for i in pogo] == sorted(i.sets[0].reps for i in pogo)  # type: ignore[union-attr]
    assert pogo[-1].sets[0].reps > pogo[0].sets[0].reps  # type: ignore[union-attr]


def test_jumps_open_the_session_after_the_warm_up_away_from_the_nordics(
        performer: tuple[Profile, Plan]) -> None:
    _, plan = performer
    for _, s in plan.sessions():
        if _jumps(s):
            assert catalogue()[s.items[0].exercise].is_warm_up
            assert catalogue()[s.items[1].exercise].is_plyometric
            assert "Spurrs 2003" in s.items[1].notes


def test_an_intermediate_runner_stays_on_pogo_jumps() -> None:
    profile = make_profile(week=EASY_WEEK, goal="performance")
    plan = plan_for(profile, weeks=12)
    found = {j for _, s in plan.sessions() for j in _jumps(s)}
    assert found == {"pogo_jumps"}


def test_no_bounding_after_any_strain() -> None:
    profile = make_profile(week=EASY_WEEK, goal="performance", level="advanced",
                           injury=strain(day(-400)))
    plan = plan_for(profile, weeks=16)
    found = {j for _, s in plan.sessions() for j in _jumps(s)}
    assert "single_leg_hops" in found and "bounding" not in found


@pytest.mark.parametrize("overrides", [
    {"goal": "prevent_injury"},
    {"goal": "performance", "level": "novice"},
    {"goal": "return_from_strain", "injury": strain(day(-5))},
])
def test_no_jumps_where_the_goal_or_the_level_does_not_allow(overrides: Doc) -> None:
    profile = make_profile(week=EASY_WEEK, **overrides)
    plan = plan_for(profile, weeks=16)
    assert all(not _jumps(s) for _, s in plan.sessions())


def test_no_jumps_on_or_before_a_key_run_nor_around_an_a_race() -> None:
    a_race = day(55)
    week = {"mon": "easy", "tue": "intervals", "thu": "easy", "sat": "long"}
    profile = make_profile(week=week, goal="performance", races=[race(a_race)],
                           strength_days=["tue", "thu", "sat"])
    plan = plan_for(profile, weeks=16)
    placed = [s.date for _, s in plan.sessions() if _jumps(s)]
    assert placed, "Thursdays are free of key runs that day and the next"
    for when in placed:
        assert plyometrics.closed(RunCalendar(profile), when) is None
        assert not 0 < (a_race - when).days <= 7
        assert not 0 < (when - a_race).days <= 7


def test_a_week_with_no_free_day_says_which_day_would_allow_jumps() -> None:
    profile = make_profile(week=KEY_WEEK, goal="performance",
                           strength_days=["tue", "wed", "thu"])
    plan = plan_for(profile, weeks=12)
    assert all(not _jumps(s) for _, s in plan.sessions())
    note = next(n for n in plan.notes if n.startswith("Plyometrics"))
    assert "adding Sun to your strength days" in note


# -- the checker -----------------------------------------------------------------------

def _plant(plan: Plan, when: date, drill: str = "pogo_jumps",
           sets: list[int] | None = None) -> Plan:
    def change(doc: Doc) -> None:
        found = [s for s in doc_sessions(doc) if s["date"] == when.isoformat()]
        if found:
            found[0]["items"].insert(1, item_doc(drill, sets=sets))
        else:
            add_session(doc, session_doc(when, [item_doc(drill, sets=sets)]))
    return mutate(plan, change)


def _first_with_jumps(plan: Plan) -> date:
    return next(s.date for _, s in plan.sessions() if _jumps(s))


def test_checker_flags_jumps_for_a_goal_or_level_that_does_not_allow() -> None:
    profile = make_profile(week=EASY_WEEK)  # prevent_injury
    plan = plan_for(profile, weeks=8)
    when = plan.weeks[0].sessions[0].date
    found = _rule(_plant(plan, when), profile)
    assert [d for d, _ in found] == [when] and "performance goal" in found[0][1]


def test_checker_flags_jumps_outside_a_build_week(performer: tuple[Profile, Plan]) -> None:
    profile, plan = performer
    deload = next(w for w in plan.weeks if w.phase == "deload")
    when = deload.sessions[0].date
    found = _rule(_plant(plan, when), profile)
    assert [d for d, _ in found] == [when] and "deload week" in found[0][1]


def test_checker_flags_jumps_the_day_before_or_on_a_key_run() -> None:
    profile = make_profile(week=KEY_WEEK, goal="performance")
    plan = plan_for(profile, weeks=12)
    assert violations(plan, profile) == []
    monday, tuesday = day(14), day(15)  # week 3: build; Tuesday intervals
    for when, words in ((monday, "next day"), (tuesday, "same day")):
        planted = _plant(plan, when)
        messages = [m for d, m in _rule(planted, profile) if d == when]
        assert any(words in m for m in messages), messages


def test_checker_flags_jumps_in_two_sessions_of_a_week(performer: tuple[Profile, Plan]) -> None:
    profile, plan = performer
    first = _first_with_jumps(plan)
    week = next(w for w in plan.weeks if any(s.date == first for s in w.sessions))
    other = next(s.date for s in week.sessions if s.date != first)
    found = _rule(_plant(plan, other), profile)
    assert any("2 sessions" in m for _, m in found), found


def test_checker_flags_too_many_ground_contacts(performer: tuple[Profile, Plan]) -> None:
    profile, plan = performer
    when = _first_with_jumps(plan)

    def heavier(doc: Doc) -> None:
        item = next(i for i in doc_session_on(doc, when)["items"]
                    if i["exercise"] == "pogo_jumps")
        item["sets"] = [{"reps": 45}] * 3  # 135 contacts
    found = _rule(mutate(plan, heavier), profile)
    assert any("135 ground contacts" in m for _, m in found), found


def test_checker_flags_jumps_after_a_recent_strain_before_the_criteria() -> None:
    profile = make_profile(week=EASY_WEEK, goal="performance", injury=strain(day(-20)))
    plan = plan_for(profile, weeks=16)
    assert violations(plan, profile) == []
    build = next(w for w in plan.weeks if w.phase == "build")
    when = next(s.date for s in build.sessions if NORDIC not in [i.exercise for i in s.items])
    found = _rule(_plant(plan, when), profile)
    assert any("return criteria" in m for d, m in found if d == when), found


def test_checker_accepts_the_generated_plans(performer: tuple[Profile, Plan]) -> None:
    profile, plan = performer
    assert _rule(plan, profile) == []
