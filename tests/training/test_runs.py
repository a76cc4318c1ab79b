"""Run classification: each rule with a run that meets it and one just short of it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamstride.training.activity import MIN_RUN_M, MIN_RUN_S, Activity, Lap, SourceFormat, Sport
from hamstride.training.runs import (
    PRECEDENCE,
    THRESHOLDS,
    Usual,
    choices,
    classify,
    classify_runs,
    fast_stretches,
    is_race_name,
    kind_of,
    pace_s_per_km,
    usual_running,
)
from hamstride.vocabulary import RunType

TZ = timezone(timedelta(hours=1))
MONDAY = date(2027, 3, 1)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "running.md"


# -- factories (the load and running-week tests use them too) ---------------------------

def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def laps_of(start: datetime, parts: Sequence[tuple[float | None, float]]) -> tuple[Lap, ...]:
    """Laps from (metres, seconds) pairs, one after the other."""
    found = []
    for metres, seconds in parts:
        found.append(Lap(start=start, duration_s=seconds, distance_m=metres))
        start += timedelta(seconds=seconds)
    return tuple(found)


def run(day: date, *, km: float | None = 10.0, minutes: float = 55.0, hour: int = 7,
        sport: Sport = Sport.RUNNING, avg_hr: int | None = None, max_hr: int | None = None,
        gain: float | None = None, laps: Sequence[tuple[float | None, float]] = (),
        speed_cv: float | None = None, rpe: int | None = None,
        name: str | None = None) -> Activity:
    """An activity; by default an easy 10 km in 55 minutes (5:30 a km)."""
    start = at(day, hour)
    return Activity(sport=sport, start=start, duration_s=minutes * 60,
                    distance_m=None if km is None else km * 1000, elevation_gain_m=gain,
                    avg_hr=avg_hr, max_hr=max_hr, laps=laps_of(start, laps),
                    speed_cv=speed_cv, rpe=rpe, name=name, source=SourceFormat.FIT)


def usual(*, runs: int = 10, km: float = 10.0, minutes: float = 55.0,
          max_hr: int | None = 200) -> Usual:
    """Usual running of 10 km in 55 minutes (330 s a km), highest heart rate 200."""
    return Usual(runs, km * 1000, minutes * 60, minutes * 60 / km, max_hr)


USUAL = usual()
# intervals: 2 km warm-up, reps of 1 km in 4:00 with 90 s standing rests, 2 km cool-down
WARM = (2000.0, 720.0)
REP, REST = (1000.0, 240.0), (0.0, 90.0)


def reps(count: int) -> list[tuple[float | None, float]]:
    middle: list[tuple[float | None, float]] = []
    for _ in range(count):
        middle += [REP, REST]
    return [WARM, *middle, WARM]


# -- the usual running -----------------------------------------------------------------

def test_usual_running_takes_medians_and_max_of_the_eight_weeks_before() -> None:
    day = MONDAY + timedelta(weeks=9)
    activities = [
        run(day - timedelta(weeks=8), km=8, minutes=40, max_hr=180),  # first day in
        run(day - timedelta(days=3), km=10, minutes=60, max_hr=185),
        run(day - timedelta(days=1), km=20, minutes=120, max_hr=None),
        run(day - timedelta(weeks=8, days=1), km=50, max_hr=199),  # one day too early
        run(day, km=42, max_hr=198),  # the day itself is not before
        run(day - timedelta(days=2), sport=Sport.CYCLING, km=60, max_hr=197),
    ]
    found = usual_running(activities, day)
    assert (found.runs, found.distance_m, found.duration_s, found.max_hr) == (
        3, 10_000, 3600, 185)
    assert found.pace_s_per_km == 360  # median of 300, 360 and 360 s a km


def test_usual_running_of_nothing_is_unknown() -> None:
    assert usual_running([], MONDAY) == Usual(0, None, None, None, None)


def test_pace_uses_moving_time_and_needs_a_distance() -> None:
    moving = run(MONDAY, km=10, minutes=60).model_copy(update={"moving_s": 3000.0})
    assert pace_s_per_km(moving) == 300
    assert pace_s_per_km(run(MONDAY, km=None)) is None


# -- race ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "race"), [
    ("Race", True), ("Sunday parkrun #312", True), ("Berlin Marathon", True),
    ("Halbmarathon Köln", True), ("10k race", True), ("5K Race!", True),
    ("Wettkampf Stadtlauf", True), ("Carrera popular San Silvestre", True),
    ("Maratón de Madrid", True), ("racing the bus", True),
    ("Morning Run", False), ("Race pace intervals", False), ("race-pace 3x3k", False),
    ("Carrera matutina", False), ("Carrera por la tarde", False), ("Embrace the hills", False),
    ("Tracey's easy run", False), ("", False), (None, False),
])
def test_runs_race_name(name: str | None, race: bool) -> None:
    assert is_race_name(name) is race
    assert (classify(run(MONDAY, name=name), USUAL) is RunType.RACE) is race


# all-out: usual pace 330 s/km, so 10% faster is 297 s/km (49.5 min for 10 km); 92% of
# the highest heart rate 200 is 184
@pytest.mark.parametrize(("minutes", "avg_hr", "kind"), [
    (49.5, 184, RunType.RACE),
    (49.6, 184, RunType.TEMPO),  # pace just short of all-out: still hard
    (49.5, 183, RunType.TEMPO),  # heart rate just short
    (49.5, None, RunType.TEMPO),  # no heart rate: a fast run is not a race without a name
])
def test_runs_race_all_out_pace_and_heart_rate(minutes: float, avg_hr: int | None,
                                               kind: RunType) -> None:
    assert classify(run(MONDAY, minutes=minutes, avg_hr=avg_hr), USUAL) is kind


def test_runs_new_highest_heart_rate_raises_the_reference() -> None:
    # 184 of a usual 200 would be all-out, but this run reached 210 itself
    assert classify(run(MONDAY, minutes=49.5, avg_hr=184, max_hr=210), USUAL) is RunType.TEMPO


# -- intervals -------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "kind"), [(3, RunType.INTERVALS), (5, RunType.INTERVALS),
                                             (2, RunType.EASY), (1, RunType.EASY)])
def test_runs_intervals_need_three_fast_stretches(count: int, kind: RunType) -> None:
    laps = reps(count)
    metres = sum(m or 0 for m, _ in laps)
    seconds = sum(s for _, s in laps)
    activity = run(MONDAY, km=metres / 1000, minutes=seconds / 60, laps=laps)
    assert fast_stretches(activity.laps) == count
    assert classify(activity, usual(runs=0)) is kind


# three 1 km fast laps alternating with three 1 km laps of 400 s: the average is
# (a + 400) / 2 s a km, and a fast lap needs a <= 0.85 x that, so a <= 295.65 s
@pytest.mark.parametrize(("fast_s", "stretches"), [(295.0, 3), (297.0, 0)])
def test_runs_fast_lap_contrast_threshold(fast_s: float, stretches: int) -> None:
    laps = laps_of(at(MONDAY), [(1000.0, fast_s), (1000.0, 400.0)] * 3)
    assert fast_stretches(laps) == stretches


@pytest.mark.parametrize(("metres", "stretches"), [(150.0, 3), (140.0, 0)])
def test_runs_fast_laps_must_cover_the_minimum_distance(metres: float, stretches: int) -> None:
    laps = laps_of(at(MONDAY), [(metres, metres * 0.2), (200.0, 90.0)] * 3)
    assert fast_stretches(laps) == stretches


def test_runs_fast_laps_in_one_block_are_one_stretch() -> None:
    progression = laps_of(at(MONDAY), [(1000.0, s) for s in (360, 350, 340, 270, 260, 250)])
    assert fast_stretches(progression) == 1


@pytest.mark.parametrize(("cv", "gain", "kind"), [
    (0.25, None, RunType.INTERVALS), (0.24, None, RunType.EASY),
    (0.40, 200.0, RunType.HILLS),  # on a hilly run pace varies by itself
])
def test_runs_intervals_from_speed_variability(cv: float, gain: float | None,
                                               kind: RunType) -> None:
    assert classify(run(MONDAY, speed_cv=cv, gain=gain), USUAL) is kind


# -- hills, long, tempo ----------------------------------------------------------------

@pytest.mark.parametrize(("km", "gain", "kind"), [
    (10.0, 200.0, RunType.HILLS), (10.0, 199.0, RunType.EASY),
    (0.9, 100.0, RunType.EASY),  # too short to judge on climbing
    (10.0, None, RunType.EASY),
])
def test_runs_hills_from_climbing_per_km(km: float, gain: float | None, kind: RunType) -> None:
    assert classify(run(MONDAY, km=km, minutes=km * 5.5, gain=gain), USUAL) is kind


@pytest.mark.parametrize(("km", "minutes", "kind"), [
    (15.0, 82.5, RunType.LONG),  # 1.5 x the usual distance, same pace
    (14.9, 81.95, RunType.EASY),
    (None, 82.5, RunType.LONG),  # no distance: 1.5 x the usual duration
    (None, 82.4, RunType.EASY),
])
def test_runs_long_relative_to_usual(km: float | None, minutes: float, kind: RunType) -> None:
    assert classify(run(MONDAY, km=km, minutes=minutes), USUAL) is kind


@pytest.mark.parametrize(("minutes", "kind"), [(90.0, RunType.LONG), (89.9, RunType.EASY)])
def test_runs_long_without_usual_running(minutes: float, kind: RunType) -> None:
    assert classify(run(MONDAY, km=12, minutes=minutes), usual(runs=2)) is kind


@pytest.mark.parametrize(("minutes", "avg_hr", "kind"), [
    (55.0, 170, RunType.TEMPO), (55.0, 169, RunType.EASY),  # 85% of 200
    (50.5, None, RunType.TEMPO), (50.8, None, RunType.EASY),  # 92% of 330 s a km: 303.6
])
def test_runs_tempo_from_heart_rate_or_pace(minutes: float, avg_hr: int | None,
                                            kind: RunType) -> None:
    assert classify(run(MONDAY, minutes=minutes, avg_hr=avg_hr), USUAL) is kind


def test_runs_relative_rules_are_off_without_enough_usual_runs() -> None:
    hard = run(MONDAY, minutes=45, avg_hr=195)
    assert classify(hard, usual(runs=THRESHOLDS.usual_min_runs)) is RunType.RACE
    assert classify(hard, usual(runs=THRESHOLDS.usual_min_runs - 1)) is RunType.EASY


# -- precedence and corrections --------------------------------------------------------

EVERYTHING: dict[str, Any] = {"name": "parkrun", "laps": reps(3), "gain": 400.0, "km": 20.0,
                              "minutes": 110.0, "avg_hr": 180}


@pytest.mark.parametrize(("without", "kind"), [
    ((), RunType.RACE),
    (("name",), RunType.INTERVALS),
    (("name", "laps"), RunType.HILLS),
    (("name", "laps", "gain"), RunType.LONG),
    (("name", "laps", "gain", "km", "minutes"), RunType.TEMPO),
    (("name", "laps", "gain", "km", "minutes", "avg_hr"), RunType.EASY),
])
def test_runs_precedence_race_intervals_hills_long_tempo_easy(without: tuple[str, ...],
                                                              kind: RunType) -> None:
    features = {k: v for k, v in EVERYTHING.items() if k not in without}
    assert classify(run(MONDAY, **features), USUAL) is kind
    assert kind in PRECEDENCE


def test_runs_correction_wins() -> None:
    activity = run(MONDAY, name="Race")
    assert kind_of(activity, USUAL, {activity.id: RunType.EASY}) is RunType.EASY
    assert kind_of(activity, USUAL, {"a-other": RunType.EASY}) is RunType.RACE


def test_runs_only_runs_are_classified() -> None:
    with pytest.raises(ValueError, match="cycling is not running"):
        classify(run(MONDAY, sport=Sport.CYCLING), USUAL)


def test_classify_runs_judges_each_run_against_its_own_past() -> None:
    easy = [run(MONDAY + timedelta(days=n)) for n in range(4)]
    fast = run(MONDAY + timedelta(days=4), minutes=45, avg_hr=170, max_hr=180)
    ride = run(MONDAY + timedelta(days=5), sport=Sport.CYCLING, name="Race")
    found = classify_runs([fast, ride, *easy], {easy[0].id: RunType.HILLS})
    assert [(k.activity_id, k.kind, k.corrected) for k in found] == [
        (easy[0].id, RunType.HILLS, True),
        *((e.id, RunType.EASY, False) for e in easy[1:]),
        (fast.id, RunType.TEMPO, False),  # the first 4 runs gave it a usual pace
    ]


# -- the table of choices is documented ------------------------------------------------

@pytest.mark.parametrize(("name", "value", "meaning"), choices())
def test_runs_every_threshold_is_documented_with_its_value(name: str, value: float,
                                                           meaning: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert re.search(rf"^\| `{name}` \| {value:g} \|", text, re.MULTILINE), name
    assert meaning


# -- property: total over valid runs ---------------------------------------------------

maybe = st.none() | st.floats(0, 50_000)
laps_strategy = st.lists(st.tuples(st.none() | st.floats(0, 20_000), st.floats(0, 20_000)),
                         max_size=12)


@st.composite
def activities(draw: st.DrawFn) -> Activity:
    start = at(MONDAY) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 60)))
    duration = draw(st.floats(MIN_RUN_S, 50_000))  # long enough to be a run
    return Activity(
        sport=Sport.RUNNING, start=start, duration_s=duration,
        moving_s=draw(st.none() | st.floats(0, duration)),
        distance_m=draw(st.none() | st.floats(MIN_RUN_M, 50_000)),
        elevation_gain_m=draw(st.none() | st.floats(0, 20_000)),
        avg_hr=draw(st.none() | st.integers(20, 260)),
        max_hr=draw(st.none() | st.integers(20, 260)),
        laps=laps_of(start, draw(laps_strategy)),
        speed_cv=draw(st.none() | st.floats(0, 10)), rpe=draw(st.none() | st.integers(1, 10)),
        name=draw(st.none() | st.text(max_size=40)), source=SourceFormat.GPX)


usuals = st.builds(Usual, st.integers(0, 100), maybe, maybe, st.none() | st.floats(0, 5000),
                   st.none() | st.integers(20, 260))


@settings(max_examples=300, deadline=None)
@given(activities(), usuals)
def test_runs_classify_is_total(activity: Activity, found: Usual) -> None:
    assert classify(activity, found) in PRECEDENCE


@settings(max_examples=50, deadline=None)
@given(st.lists(activities(), max_size=15))
def test_runs_classify_runs_is_total_and_ordered(runs: list[Activity]) -> None:
    glitch = run(MONDAY, km=0.2, minutes=1)  # too short to be a run: left out
    found = classify_runs([*runs, glitch])
    assert len(found) == len(runs)
    assert [k.date for k in found] == sorted(k.date for k in found)


@pytest.mark.parametrize(("km", "minutes", "short"), [
    (0.0, 14 / 60, True), (0.2, 10.0, True), (5.0, 2.9, True), (None, 2.9, True),
    (0.5, 3.0, False), (None, 30.0, False), (10.0, 55.0, False),
])
def test_runs_too_short_is_a_written_rule(km: float | None, minutes: float,
                                          short: bool) -> None:
    activity = run(MONDAY, km=km, minutes=minutes)
    assert (activity.too_short is not None) is short
    assert activity.counts_as_running is not short
    assert run(MONDAY, km=0.1, minutes=1, sport=Sport.CYCLING).too_short is None
