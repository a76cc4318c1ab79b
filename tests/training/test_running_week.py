"""The learned running week, on synthetic weeks of runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride.errors import InputError
from hamstride.training.activity import Activity
from hamstride.training.profile import Profile, RunningWeek
from hamstride.training.running_week import (
    MAX_WEEKS,
    MIN_WEEKS,
    DayChange,
    describe,
    learn_week,
    merge_week,
    most_frequent,
    week_changes,
)
from hamstride.vocabulary import Day, RunType
from tests.training.factories import plan_for, violations
from tests.training.test_properties import profiles
from tests.training.test_runs import MONDAY, run

THIS_MONDAY = MONDAY + timedelta(weeks=10)
TODAY = THIS_MONDAY + timedelta(days=2)  # a Wednesday: its week is not complete
EASY, INTERVALS, TEMPO, HILLS, LONG, RACE, REST = (
    RunType.EASY, RunType.INTERVALS, RunType.TEMPO, RunType.HILLS, RunType.LONG, RunType.RACE,
    RunType.REST)
MON, TUE, WED, THU, FRI, SAT, SUN = Day

Week = Mapping[Day, RunType]


def history(*weeks: Week) -> tuple[list[Activity], dict[str, RunType]]:
    """One run a scheduled day in each of ``weeks``, the last one the week before today's;
    the corrections give each run its kind, so the learner sees exactly these kinds."""
    first = THIS_MONDAY - timedelta(weeks=len(weeks))
    activities, kinds = [], {}
    for n, week in enumerate(weeks):
        for day, kind in week.items():
            activity = run(first + timedelta(weeks=n, days=day.weekday))
            activities.append(activity)
            kinds[activity.id] = kind
    return activities, kinds


def learned_week(*weeks: Week, **options: int) -> RunningWeek | None:
    activities, kinds = history(*weeks)
    found = learn_week(activities, TODAY, corrections=kinds, **options)
    return None if found is None else found.week


KINDS = [EASY, INTERVALS, TEMPO, HILLS, LONG, RACE]
USUAL_WEEK = {MON: EASY, TUE: INTERVALS, THU: TEMPO, SAT: LONG}


# -- learning --------------------------------------------------------------------------

def test_running_week_consistent_schedule_is_learned_with_its_evidence() -> None:
    activities, kinds = history(*[USUAL_WEEK] * 6)
    found = learn_week(activities, TODAY, corrections=kinds)
    assert found is not None
    assert found.week == RunningWeek(mon=EASY, tue=INTERVALS, thu=TEMPO, sat=LONG)
    assert (found.weeks, found.since, found.long_day) == (6, THIS_MONDAY - timedelta(weeks=6),
                                                          SAT)
    assert found.evidence(TUE).weeks_run == 6 and found.evidence(TUE).kinds == {INTERVALS: 6}
    assert found.evidence(WED).weeks_run == 0


def test_running_week_looks_at_the_last_eight_complete_weeks_only() -> None:
    old, new = {TUE: INTERVALS, SAT: LONG}, {WED: INTERVALS, SAT: LONG}
    # Tuesday: 3 of the 8 weeks in the window
    assert learned_week(*[old] * 5, *[new] * 5) == RunningWeek(wed=INTERVALS, sat=LONG)


def test_running_week_follows_a_changed_schedule_once_it_is_half_the_window() -> None:
    old, new = {TUE: INTERVALS, SAT: LONG}, {THU: INTERVALS, SAT: LONG}
    # Thursday: 3 of 8, then 4 of 8
    assert learned_week(*[old] * 6, *[new] * 3) == RunningWeek(tue=INTERVALS, sat=LONG)
    assert learned_week(*[old] * 4, *[new] * 4) == RunningWeek(tue=INTERVALS, thu=INTERVALS,
                                                               sat=LONG)


@pytest.mark.parametrize(("weeks", "learned"), [(3, False), (4, True)])
def test_running_week_needs_four_complete_weeks(weeks: int, learned: bool) -> None:
    activities, kinds = history(*[USUAL_WEEK] * weeks)
    activities += [run(THIS_MONDAY), run(TODAY)]  # this week is not complete
    found = learn_week(activities, TODAY, corrections=kinds)
    assert (found is not None) is learned


def test_running_week_is_not_learned_from_runs_older_than_the_window() -> None:
    activities, _ = history(*[USUAL_WEEK] * 8)
    stale = [a.model_copy(update={"start": a.start - timedelta(weeks=9)}) for a in activities]
    assert learn_week(stale, TODAY, corrections={a.id: EASY for a in stale}) is None
    recent = [*stale, run(THIS_MONDAY - timedelta(weeks=3))]
    assert learn_week(recent, TODAY) is None  # three weeks of recent data only


def test_running_week_needs_runs_in_four_of_the_weeks() -> None:
    activities, kinds = history(USUAL_WEEK, {}, {}, USUAL_WEEK, {}, {}, USUAL_WEEK, {})
    assert learn_week(activities, TODAY, corrections=kinds) is None  # 3 of 8 weeks
    activities, kinds = history(USUAL_WEEK, {}, USUAL_WEEK, {}, USUAL_WEEK, {}, USUAL_WEEK, {})
    assert learn_week(activities, TODAY, corrections=kinds) is not None


def test_running_week_without_runs_is_not_learned() -> None:
    assert learn_week([], TODAY) is None
    assert learn_week([run(TODAY)], TODAY) is None


@pytest.mark.parametrize(("ran", "kind"), [(2, EASY), (1, REST), (0, REST)])
def test_running_week_run_day_needs_half_the_weeks(ran: int, kind: RunType) -> None:
    weeks = [{SAT: LONG, FRI: EASY} if n < ran else {SAT: LONG} for n in range(4)]
    found = learned_week(*weeks)
    assert found is not None and found.on(FRI) is kind


@pytest.mark.parametrize(("kinds", "expected"), [
    ([EASY, EASY, INTERVALS, INTERVALS], INTERVALS),  # a key kind wins a tie over easy
    ([TEMPO, TEMPO, INTERVALS, INTERVALS], INTERVALS),  # between key kinds, the precedence
    ([HILLS, HILLS, RACE, RACE], RACE),
    ([EASY, EASY, EASY, INTERVALS], EASY),  # no tie: the most frequent
])
def test_running_week_ties(kinds: list[RunType], expected: RunType) -> None:
    found = learned_week(*({TUE: k, SAT: LONG} for k in kinds))
    assert found is not None and found.on(TUE) is expected


def test_running_week_most_frequent_orders_counts_then_key_then_precedence() -> None:
    assert most_frequent({EASY: 3, LONG: 3, TEMPO: 3}) is LONG
    assert most_frequent({EASY: 4, LONG: 3}) is EASY


def test_running_week_long_day_is_the_day_with_most_long_runs() -> None:
    saturdays, sundays = [LONG, LONG, EASY, EASY, EASY, LONG], [EASY, LONG, EASY, EASY, EASY, EASY]
    weeks = [{SAT: sat, SUN: sun} for sat, sun in zip(saturdays, sundays, strict=True)]
    activities, kinds = history(*weeks)
    found = learn_week(activities, TODAY, corrections=kinds)
    assert found is not None
    # Saturday had 3 long runs in 6 weeks, easy runs as often: it is the long-run day
    assert (found.long_day, found.week.on(SAT), found.week.on(SUN)) == (SAT, LONG, EASY)


def test_running_week_back_to_back_long_runs_stay_long() -> None:
    found = learned_week(*[{SAT: LONG, SUN: LONG}] * 4)
    assert found == RunningWeek(sat=LONG, sun=LONG)


def test_running_week_a_day_counts_its_key_most_run_once() -> None:
    activities = []
    for n in range(4):
        tuesday = THIS_MONDAY - timedelta(weeks=n + 1, days=-1)
        activities += [run(tuesday, hour=7), run(tuesday, hour=18, speed_cv=0.5)]
    found = learn_week(activities, TODAY)
    assert found is not None
    assert found.week == RunningWeek(tue=INTERVALS)
    assert found.evidence(TUE).weeks_run == 4 and found.evidence(TUE).kinds == {INTERVALS: 4}


def test_running_week_a_run_corrected_to_rest_is_not_a_run() -> None:
    activities, kinds = history(*[{TUE: INTERVALS, FRI: EASY}] * 4)
    kinds.update({a.id: REST for a in activities if a.start.weekday() == 4})
    found = learn_week(activities, TODAY, corrections=kinds)
    assert found is not None and found.week == RunningWeek(tue=INTERVALS)


def test_running_week_uses_the_classifier_without_corrections() -> None:
    activities = []
    for n in range(1, 5):
        monday = THIS_MONDAY - timedelta(weeks=n)
        activities += [run(monday + timedelta(days=1), speed_cv=0.4),
                       run(monday + timedelta(days=3)),
                       run(monday + timedelta(days=5), name="Saturday parkrun", km=5,
                           minutes=22)]
    found = learn_week(activities, TODAY)
    assert found is not None and found.week == RunningWeek(tue=INTERVALS, thu=EASY, sat=RACE)


@pytest.mark.parametrize(("low", "high"), [(0, 8), (5, 4), (4, 53)])
def test_running_week_refuses_bad_windows(low: int, high: int) -> None:
    with pytest.raises(InputError):
        learn_week([], TODAY, min_weeks=low, max_weeks=high)


# -- merging and telling ---------------------------------------------------------------

PROFILE_WEEK = RunningWeek(tue=EASY, thu=TEMPO, fri=EASY, sat=LONG)
CHANGED = [*[{TUE: INTERVALS, THU: TEMPO, SAT: LONG}] * 5, {TUE: EASY, THU: TEMPO, SAT: LONG,
                                                           FRI: EASY}]


def test_running_week_merge_replaces_the_profile_week() -> None:
    activities, kinds = history(*CHANGED)
    learned = learn_week(activities, TODAY, corrections=kinds)
    assert learned is not None
    merged = merge_week(PROFILE_WEEK, learned)
    assert merged == RunningWeek(tue=INTERVALS, thu=TEMPO, sat=LONG)  # Friday is rest now
    assert merge_week(PROFILE_WEEK, None) == PROFILE_WEEK


def test_running_week_changes_and_their_plain_english() -> None:
    activities, kinds = history(*CHANGED)
    learned = learn_week(activities, TODAY, corrections=kinds)
    assert learned is not None
    changes = week_changes(PROFILE_WEEK, merge_week(PROFILE_WEEK, learned))
    assert changes == [DayChange(TUE, EASY, INTERVALS), DayChange(FRI, EASY, REST)]
    assert describe(changes, learned) == [
        "Tuesday is now intervals (5 of the last 6 weeks; it was an easy run)",
        "Friday is now a rest day (ran on it 1 of the last 6 weeks; it was an easy run)",
    ]
    assert changes[0].to_document() == {"day": "tue", "before": "easy", "after": "intervals"}


def test_running_week_no_change_says_nothing() -> None:
    assert week_changes(PROFILE_WEEK, PROFILE_WEEK) == []


# -- property --------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 * 7 + 2), st.sampled_from(KINDS)), max_size=40))
def test_running_week_learned_days_are_days_with_runs(runs: list[tuple[int, RunType]]) -> None:
    first = THIS_MONDAY - timedelta(weeks=10)
    activities: list[Activity] = []
    kinds: dict[str, RunType] = {}
    for offset, kind in runs:
        activity = run(first + timedelta(days=offset), hour=len(activities) % 24)
        activities.append(activity)
        kinds[activity.id] = kind
    found = learn_week(activities, TODAY, corrections=kinds)
    if found is None:
        return
    window = {a.start.date() for a in activities
              if found.since <= a.start.date() < THIS_MONDAY}
    ran_on = {Day.of(d.weekday()) for d in window}
    assert {d for d in Day if found.week.on(d) is not REST} <= ran_on
    assert 4 <= found.weeks <= 8


# -- every learned week makes safe plans ------------------------------------------------

RUN_KINDS = [k for k in RunType if k is not REST]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=profiles(), weeks=st.lists(
    st.dictionaries(st.sampled_from(list(Day)), st.sampled_from(RUN_KINDS), max_size=7),
    min_size=4, max_size=10))
def test_running_week_any_learned_week_gives_plans_that_pass_the_checker(
    case: tuple[Profile, date, int], weeks: list[dict[Day, RunType]]
) -> None:
    """Whatever the runner really runs (weekly races and seven-day weeks included), the
    plan made on the week learned from it passes every rule."""
    profile, start, length = case
    activities, kinds = history(*weeks)
    learned = learn_week(activities, TODAY, corrections=kinds)
    recent = weeks[-MAX_WEEKS:]
    assert (learned is None) == (sum(1 for w in recent if w) < MIN_WEEKS)
    week = merge_week(profile.running.week, learned)
    following = profile.model_copy(update={
        "running": profile.running.model_copy(update={"week": week})})
    plan = plan_for(following, start=start, weeks=length, verify=False)
    assert violations(plan, following) == [], (week, following.to_document())
