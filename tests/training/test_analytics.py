"""Progress analytics, checked value by value on small hand-made logs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from hamstride.errors import InputError
from hamstride.training.analytics import (
    CAVEAT,
    SCHEMA,
    Planned,
    adherence,
    asymmetry,
    dose_history,
    field_test_balance,
    key_exercises,
    log_needed_from,
    progress_report,
    session_loads,
    week_start,
    weekly_volume,
)
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet, Side
from hamstride.training.log import TestKind as Kind  # not a test class for pytest
from hamstride.training.plan import Plan, plan_from_data
from tests.training.factories import (
    START,
    catalogue,
    day,
    item_doc,
    make_profile,
    plan_for,
    session_doc,
)
from tests.training.factories import sessions as plan_sessions

CAT = catalogue()


# -- factories -------------------------------------------------------------------------

def lset(exercise: str, reps: int | None = None, *, hold_s: int | None = None,
         side: str = "both", load_kg: float | None = None) -> LoggedSet:
    return LoggedSet(exercise=exercise, reps=reps, hold_s=hold_s, side=Side(side),
                     load_kg=load_kg)


def logged(when: date, *sets: LoggedSet, rpe: float | None = None,
           minutes: float | None = None, sid: str | None = None) -> LoggedSession:
    return LoggedSession(id=sid or f"s-{when}-{len(sets)}", date=when, session_rpe=rpe,
                         duration_min=minutes, sets=list(sets))


def field_test(when: date, kind: Kind, left: float, right: float,
               tid: str | None = None) -> FieldTest:
    return FieldTest(id=tid or f"t-{when}-{kind.value}", date=when, kind=kind, left=left,
                     right=right)


def plan_on(days: Sequence[date]) -> Plan:
    """A small hand-built plan with one Nordic session on each of ``days``."""
    docs = [session_doc(d, [item_doc("nordic_hamstring_curl")]) for d in days]
    return plan_from_data({"start": START.isoformat(),
                           "weeks": [{"week": 1, "phase": "base", "sessions": docs}]})


# -- weekly volume ---------------------------------------------------------------------

def test_analytics_weekly_volume_counts_each_set_once_per_primary_muscle() -> None:
    session = logged(
        START,
        lset("dynamic_warm_up", hold_s=180),  # warm-up: never counts
        *[lset("nordic_hamstring_curl", 5)] * 3,  # hamstrings, knee, tempo 4-0-x = 5 s
        *[lset("glute_bridge", 10)] * 2,  # glutes + hamstrings, hip, 2-1-2 = 5 s
        lset("single_leg_glute_bridge", 8, side="left"),  # one row = one set
        lset("single_leg_glute_bridge", 8, side="right"),
    )
    volume = weekly_volume([session], CAT, 1, START)
    (week,) = volume.weeks
    assert week.week_start == START
    assert volume.muscles == ("hamstrings", "glutes")
    assert week.sets == {"hamstrings": 7, "glutes": 4}
    assert week.tut_s == {"hamstrings": 3 * 5 * 5 + 2 * 10 * 5 + 2 * 8 * 5,
                          "glutes": 2 * 10 * 5 + 2 * 8 * 5}
    assert (week.hip_sets, week.knee_sets) == (4, 3)
    assert week.total_sets == 7  # each set once: the bridges' glutes do not add a set


def test_analytics_weekly_volume_this_week_is_the_week_of_today() -> None:
    # the progress page's "sets this week" tile: the sets of the chart's last bar
    today = day(16)  # a Wednesday, third week
    log = [logged(day(13), lset("squat", 5)),  # the Sunday before: last week
           logged(day(14), lset("dynamic_warm_up", hold_s=180), lset("squat", 5)),
           logged(day(16), lset("romanian_deadlift", 8), lset("retired_exercise", 5)),
           logged(day(17), lset("squat", 5))]  # after today
    volume = weekly_volume(log, CAT, 3, today)
    assert volume.this_week.week_start == day(14) == volume.weeks[-1].week_start
    assert volume.this_week.total_sets == 2
    assert sum(volume.this_week.sets.values()) == 4  # squat and RDL count for two muscles
    assert [w.total_sets for w in volume.weeks] == [0, 1, 2]


def test_analytics_weekly_volume_uses_three_seconds_a_rep_without_tempo_and_holds() -> None:
    session = logged(START, lset("walking_lunge", 10), lset("wall_sit", hold_s=45))
    (week,) = weekly_volume([session], CAT, 1, START).weeks
    assert week.tut_s == {"glutes": 30, "quadriceps": 30 + 45}
    assert week.sets == {"glutes": 1, "quadriceps": 2}


def test_analytics_weekly_volume_article_exercises_are_not_hamstring_work() -> None:
    # standing_leg_curl lists the hamstrings but is one of the article's mislabelled five
    (week,) = weekly_volume([logged(START, lset("standing_leg_curl", 10))], CAT, 1,
                            START).weeks
    assert week.sets["hamstrings"] == 1
    assert (week.hip_sets, week.knee_sets) == (0, 0)


def test_analytics_weekly_volume_lists_the_last_weeks_oldest_first_with_empty_ones() -> None:
    today = day(16)  # a Wednesday, third week
    log = [logged(day(-1), lset("squat", 5)),  # before the window
           logged(day(2), lset("squat", 5)),
           logged(day(16), lset("squat", 5), lset("squat", 5)),
           logged(day(17), lset("squat", 5))]  # after today
    volume = weekly_volume(log, CAT, 3, today)
    assert [w.week_start for w in volume.weeks] == [day(0), day(7), day(14)]
    assert [w.sets.get("quadriceps") for w in volume.weeks] == [1, 0, 2]


def test_analytics_weekly_volume_skips_exercises_missing_from_the_catalogue() -> None:
    (week,) = weekly_volume([logged(START, lset("retired_exercise", 5))], CAT, 1,
                            START).weeks
    assert week.sets == {}


@pytest.mark.parametrize("weeks", [0, -1, 521])
def test_analytics_weekly_volume_refuses_a_silly_window(weeks: int) -> None:
    with pytest.raises(InputError, match="weeks"):
        weekly_volume([], CAT, weeks, START)


def test_analytics_week_start_is_the_iso_monday() -> None:
    assert {week_start(day(n)) for n in range(7)} == {START}
    assert week_start(day(7)) == day(7)


# -- adherence -------------------------------------------------------------------------

PLANNED = [day(0), day(2), day(4), day(7)]


def test_analytics_adherence_three_of_four_is_75_percent_with_the_miss_breaking_streaks(
) -> None:
    done = adherence(plan_on(PLANNED), [logged(d) for d in (day(0), day(4), day(7))],
                     today=day(10))
    assert (done.planned, done.done, done.percent) == (4, 3, 75.0)
    assert done.missed == (day(2),)
    assert (done.current_streak, done.longest_streak) == (2, 2)


def test_analytics_adherence_a_miss_last_ends_the_current_streak() -> None:
    done = adherence(plan_on(PLANNED), [logged(d) for d in PLANNED[:3]], today=day(10))
    assert (done.current_streak, done.longest_streak, done.percent) == (0, 3, 75.0)


def test_analytics_adherence_counts_only_sessions_due_and_todays_once_logged() -> None:
    plan = plan_on(PLANNED)
    pending = adherence(plan, [logged(day(0)), logged(day(2))], today=day(4))
    assert (pending.planned, pending.done, pending.pending) == (2, 2, 1)
    assert pending.current_streak == 2
    logged_today = adherence(plan, [logged(d) for d in PLANNED[:3]], today=day(4))
    assert (logged_today.planned, logged_today.done, logged_today.pending) == (3, 3, 0)


def test_analytics_adherence_one_logged_session_per_planned_one() -> None:
    log = [logged(day(0), sid="a"), logged(day(0), sid="b"), logged(day(1), sid="c")]
    done = adherence(plan_on(PLANNED), log, today=day(3))
    assert (done.planned, done.done, done.unplanned) == (2, 1, 2)
    assert done.missed == (day(2),)


def test_analytics_adherence_groups_by_iso_week() -> None:
    done = adherence(plan_on(PLANNED), [logged(day(0)), logged(day(7))], today=day(8))
    assert [(w.week_start, w.planned, w.done, w.percent) for w in done.weeks] == [
        (day(0), 3, 1, 33.3), (day(7), 1, 1, 100.0)]


def test_analytics_adherence_following_a_generated_plan_is_complete() -> None:
    plan = plan_for(make_profile(strength_days=["mon", "thu"]), weeks=4)
    dates = [s.date for s in plan_sessions(plan)]
    done = adherence(plan, [logged(d) for d in dates], today=dates[-1])
    assert (done.percent, done.current_streak, done.longest_streak) == (
        100.0, len(dates), len(dates))


def test_analytics_adherence_before_the_plan_starts_has_no_percent() -> None:
    done = adherence(plan_on(PLANNED), [], today=day(-1))
    assert (done.planned, done.percent, done.current_streak) == (0, None, 0)


# -- session load ----------------------------------------------------------------------

def test_analytics_session_loads_are_rpe_times_minutes_and_skip_incomplete_sessions(
) -> None:
    log = [logged(day(0), rpe=6, minutes=45, sid="a"),
           logged(day(2), rpe=7, sid="b"),  # no minutes: skipped, not zero
           logged(day(3), minutes=30, sid="c"),  # no RPE: skipped
           logged(day(4), rpe=5, minutes=30.5, sid="d"),
           logged(day(8), rpe=8, minutes=20, sid="e")]
    loads = session_loads(log)
    assert [(s.id, s.load) for s in loads.sessions] == [("a", 270.0), ("d", 152.5),
                                                        ("e", 160.0)]
    assert loads.skipped == 2
    assert [(w.week_start, w.load, w.sessions) for w in loads.weeks] == [
        (day(0), 422.5, 2), (day(7), 160.0, 1)]
    assert loads.to_document()["source"] == "Foster 2001"


# -- asymmetry -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "left", "right", "percent", "weaker", "codes"),
    [
        (Kind.NORDIC_FORCE, 400, 320, 20.0, Side.RIGHT, ["imbalance_15", "imbalance_20"]),
        (Kind.NORDIC_FORCE, 300, 250, 16.7, Side.RIGHT,
         ["imbalance_15", "nordic_force_low"]),
        (Kind.NORDIC_FORCE, 290, 300, 3.3, Side.LEFT, []),
        (Kind.NORDIC_FORCE, 255, 255, 0.0, None, ["nordic_force_low"]),
        (Kind.NORDIC_ANGLE, 50, 42.6, 14.8, Side.RIGHT, []),
        (Kind.ISOMETRIC_HOLD, 100, 80, 20.0, Side.RIGHT,
         ["imbalance_15", "imbalance_20"]),
        (Kind.SINGLE_LEG_BRIDGE, 26, 26, 0.0, None, ["bridge_reference"]),
        (Kind.SINGLE_LEG_BRIDGE, 17, 20, 15.0, Side.LEFT,
         ["imbalance_15", "bridge_reference"]),
        (Kind.ISOMETRIC_HOLD, 0, 0, None, None, []),
    ],
)
def test_analytics_asymmetry_of_a_field_test(kind: Kind, left: float, right: float,
                                             percent: float | None, weaker: Side | None,
                                             codes: list[str]) -> None:
    balance = field_test_balance(field_test(START, kind, left, right))
    assert (balance.percent, balance.weaker) == (percent, weaker)
    assert [f.code for f in balance.flags] == codes


def test_analytics_asymmetry_flags_cite_their_sources_and_say_where_they_come_from() -> None:
    flags = {f.code: f for f in field_test_balance(
        field_test(START, Kind.NORDIC_FORCE, 100, 80)).flags}
    assert "Right is 20.0% weaker" in flags["imbalance_20"].message
    assert "3.4 times" in flags["imbalance_20"].message
    assert "rugby" in flags["imbalance_15"].message
    assert {f.source for f in flags.values()} == {"Bourne 2015", "Opar 2015"}
    assert "Left and right below 256 N" in flags["nordic_force_low"].message
    bridge = field_test_balance(field_test(START, Kind.SINGLE_LEG_BRIDGE, 20, 18))
    assert "26 reps" in bridge.flags[-1].message
    assert bridge.flags[-1].source == "Freckleton 2014"


def test_analytics_asymmetry_carries_the_caveat_even_when_empty() -> None:
    empty = asymmetry([], [], START)
    assert empty.caveat == CAVEAT
    assert empty.to_document()["caveat"].startswith("Information, not diagnosis")
    assert "Green 2018" in CAVEAT


def test_analytics_asymmetry_trend_per_kind_in_date_order() -> None:
    tests = [field_test(day(14), Kind.NORDIC_FORCE, 300, 270),
             field_test(day(0), Kind.NORDIC_FORCE, 300, 240),
             field_test(day(7), Kind.SINGLE_LEG_BRIDGE, 20, 15),
             field_test(day(30), Kind.NORDIC_FORCE, 300, 300)]  # after today: left out
    result = asymmetry(tests, [], today=day(20))
    assert result.trend() == {Kind.NORDIC_FORCE: [(day(0), 20.0), (day(14), 10.0)],
                              Kind.SINGLE_LEG_BRIDGE: [(day(7), 25.0)]}
    assert result.to_document()["trend"]["single_leg_bridge"] == [
        {"date": day(7).isoformat(), "percent": 25.0}]


def test_analytics_asymmetry_compares_the_last_four_weeks_of_per_side_work() -> None:
    today = day(40)
    log = [logged(day(12), lset("single_leg_glute_bridge", 50, side="left")),  # too old
           logged(day(13), *[lset("single_leg_glute_bridge", 10, side="left")] * 3,
                  *[lset("single_leg_glute_bridge", 8, side="right")] * 3,
                  lset("single_leg_glute_bridge", 8),  # both sides: not compared
                  lset("copenhagen_plank", hold_s=20, side="left"),
                  lset("copenhagen_plank", hold_s=30, side="right"))]
    result = asymmetry([], log, today)
    assert result.per_side_since == day(13)
    assert [(w.exercise, w.unit, w.left, w.right, w.percent, w.less)
            for w in result.per_side] == [
        ("copenhagen_plank", "s", 20, 30, 33.3, Side.LEFT),
        ("single_leg_glute_bridge", "reps", 30, 24, 20.0, Side.RIGHT)]


# -- dose history ----------------------------------------------------------------------

def test_analytics_dose_history_totals_top_set_and_heaviest_load_per_date() -> None:
    log = [logged(day(3), lset("romanian_deadlift", 8, load_kg=40),
                  lset("romanian_deadlift", 6, load_kg=50), lset("squat", 5)),
           logged(day(0), *[lset("nordic_hamstring_curl", r) for r in (5, 6, 4)],
                  lset("isometric_bridge_hold", hold_s=30),
                  lset("isometric_bridge_hold", hold_s=45)),
           logged(day(3), lset("nordic_hamstring_curl", 7), sid="second")]
    nordic, rdl, hold, never = dose_history(
        log, ["nordic_hamstring_curl", "romanian_deadlift", "isometric_bridge_hold",
              "lying_leg_curl"], CAT)
    assert [(p.date, p.sets, p.reps, p.top_set_reps, p.max_load_kg) for p in nordic.points] == [
        (day(0), 3, 15, 6, None), (day(3), 1, 7, 7, None)]
    assert [(p.reps, p.top_set_reps, p.max_load_kg) for p in rdl.points] == [(14, 8, 50.0)]
    assert (hold.unit, hold.totals()) == ("s", [(day(0), 75)])
    assert hold.points[0].top_hold_s == 45
    assert (nordic.name, nordic.unit) == ("Nordic hamstring curl", "reps")
    assert never.points == ()


def test_analytics_key_exercises_put_the_nordic_first_then_the_most_frequent() -> None:
    log = [logged(day(n), lset("glute_bridge", 10), lset("glute_bridge", 10),
                  lset("squat", 5), *([lset("nordic_hamstring_curl", 3)] if n == 0 else []),
                  *([lset("slider_leg_curl", 6)] if n < 2 else []))
           for n in range(3)]
    assert key_exercises(log, CAT) == ["nordic_hamstring_curl", "glute_bridge",
                                       "slider_leg_curl"]
    assert key_exercises(log, CAT, limit=1) == ["nordic_hamstring_curl"]


# -- the report ------------------------------------------------------------------------

def test_analytics_progress_report_is_one_json_document() -> None:
    today = day(20)
    log = [logged(day(0), lset("nordic_hamstring_curl", 5), rpe=6, minutes=30),
           logged(day(9), lset("nordic_hamstring_curl", 6), rpe=7, minutes=35),
           logged(day(-30), lset("nordic_hamstring_curl", 3))]  # before the window
    tests = [field_test(day(1), Kind.NORDIC_FORCE, 300, 240)]
    report = progress_report(log, tests, CAT, today, plan=plan_on(PLANNED), weeks=3)
    doc = json.loads(json.dumps(report.to_document()))
    assert doc["schema"] == SCHEMA
    assert (doc["today"], doc["since"], doc["weeks"]) == (today.isoformat(),
                                                          START.isoformat(), 3)
    assert set(doc) == {"schema", "today", "since", "weeks", "volume", "adherence", "loads",
                        "asymmetry", "dose", "week_starts_on"}
    assert len(doc["volume"]["weeks"]) == 3
    assert (doc["adherence"]["planned"], doc["adherence"]["percent"]) == (4, 25.0)
    assert [s["load"] for s in doc["loads"]["sessions"]] == [180.0, 245.0]
    assert doc["asymmetry"]["tests"][0]["percent"] == 20.0
    assert [d["exercise"] for d in doc["dose"]] == ["nordic_hamstring_curl"]
    assert len(doc["dose"][0]["points"]) == 2


def test_analytics_progress_report_without_a_plan_has_no_adherence() -> None:
    report = progress_report([], [], CAT, START)
    assert report.adherence is None
    assert report.to_document()["adherence"] is None
    assert report.dose == ()


def test_analytics_progress_report_of_five_years_covers_every_week() -> None:
    """800 sessions, 20,000 sets over 260 weeks: every week is there and every set
    counted once. (How fast is a benchmark's business, not a test's: a timed assert here
    failed CI on a busy machine.)"""
    ids = [e for e in CAT if not CAT[e].is_warm_up]
    sides = [Side.BOTH, Side.LEFT, Side.RIGHT]
    log = [LoggedSession(id=f"s{n}", date=day(n * 2), session_rpe=6, duration_min=40,
                         sets=[LoggedSet(exercise=ids[(n + k) % len(ids)], reps=8,
                                         side=sides[k % 3]) for k in range(25)])
           for n in range(800)]
    assert sum(len(s.sets) for s in log) == 20_000
    plan = plan_for(make_profile(), start=day(1600 - 7 * 52 + 4), weeks=52)
    report = progress_report(log, [], CAT, day(1600), plan=plan, weeks=260)
    assert len(report.volume.weeks) == 260
    counted = sum(w.total_sets for w in report.volume.weeks)
    in_window = sum(len(s.sets) for s in log if s.date > day(1600) - timedelta(weeks=260))
    assert 0 < counted <= in_window


@pytest.mark.parametrize("weeks", [1, 3, 12, 52])
@pytest.mark.parametrize("plan", [None, "planned", "days"])
def test_analytics_progress_report_needs_the_log_only_from_log_needed_from(
        weeks: int, plan: str | None) -> None:
    """A log cut at ``log_needed_from`` gives the same report as the whole log, a plan as
    its start and days (``Planned``) the same as the validated plan; one day later cut
    would lose something (the first day needed is needed)."""
    sides = [Side.BOTH, Side.LEFT, Side.RIGHT]
    log = [logged(day(n * 3), lset("nordic_hamstring_curl", 4 + n % 3, side=sides[n % 3]),
                  lset("glute_bridge", 10), rpe=6, minutes=30, sid=f"s{n}")
           for n in range(-150, 40)]
    today = day(110)
    validated = plan_on([day(n) for n in range(0, 100, 3)])
    given = {None: None, "planned": validated, "days": Planned.of(validated)}[plan]
    whole = progress_report(log, [], CAT, today, plan=given, weeks=weeks)
    if plan == "days":
        assert whole == progress_report(log, [], CAT, today, plan=validated, weeks=weeks)
    first = log_needed_from(today, weeks, None if given is None else given.start)
    cut = [s for s in log if s.date >= first]
    assert len(cut) < len(log)
    assert progress_report(cut, [], CAT, today, plan=given, weeks=weeks) == whole
    later = [s for s in log if s.date > first]
    if first in {s.date for s in log}:
        assert progress_report(later, [], CAT, today, plan=given, weeks=weeks) != whole


def test_analytics_log_needed_from_refuses_a_window_out_of_range() -> None:
    with pytest.raises(InputError):
        log_needed_from(START, 10**9, None)
