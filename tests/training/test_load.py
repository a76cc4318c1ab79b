"""Running load: RPE and heart-rate loads, the EWMA ratio, spike flags and the report."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamstride.errors import InputError
from hamstride.training.activity import Activity, Sport
from hamstride.training.load import (
    CAVEAT,
    CHRONIC_DAYS,
    MIN_HISTORY_DAYS,
    SCHEMA,
    Basis,
    acute_chronic,
    combined_basis,
    ewma,
    heart_rate_reserve,
    load_report,
    max_hr_seen,
    run_load,
    spike_percent,
    trend,
    trimp,
)
from hamstride.training.log import LoggedSession
from hamstride.vocabulary import RunType
from tests.training.test_runs import MONDAY, run

TODAY = MONDAY + timedelta(weeks=12, days=2)  # a Wednesday


def strength(day: date, rpe: float | None = 6, minutes: float | None = 40) -> LoggedSession:
    return LoggedSession(id=f"s-{day}-{rpe}", date=day, session_rpe=rpe, duration_min=minutes)


# -- one run ---------------------------------------------------------------------------

def test_load_run_with_rpe_is_rpe_times_minutes() -> None:
    found = run_load(run(MONDAY, minutes=50, rpe=6, avg_hr=150), max_hr=190)
    assert found is not None
    assert (found.load, found.basis) == (300, Basis.RPE)  # Foster 2001, HR ignored


def test_load_run_without_rpe_is_trimp_by_hand() -> None:
    # HRr = (150 - 60) / (190 - 60) = 0.6923; 60 x 0.6923 x 0.64 x e^(1.92 x 0.6923)
    found = run_load(run(MONDAY, minutes=60, avg_hr=150), max_hr=190, rest_hr=60)
    assert found is not None
    assert found.basis is Basis.HEART_RATE
    assert found.load == pytest.approx(100.44, abs=0.01)


@pytest.mark.parametrize(("avg", "hrr"), [(40, 0.0), (60, 0.0), (125, 0.5), (190, 1.0),
                                          (200, 1.0)])
def test_load_heart_rate_reserve_is_kept_within_0_and_1(avg: int, hrr: float) -> None:
    assert heart_rate_reserve(avg, rest_hr=60, max_hr=190) == pytest.approx(hrr)


@pytest.mark.parametrize(("avg_hr", "max_hr"), [(None, 190), (150, None), (150, 60)])
def test_load_run_without_rpe_or_usable_heart_rate_is_unscored(avg_hr: int | None,
                                                              max_hr: int | None) -> None:
    assert run_load(run(MONDAY, avg_hr=avg_hr), max_hr=max_hr, rest_hr=60) is None


def test_load_trimp_grows_with_minutes_and_effort() -> None:
    easy = trimp(60, 130, rest_hr=60, max_hr=190)
    assert trimp(120, 130, rest_hr=60, max_hr=190) == pytest.approx(2 * easy)
    assert trimp(60, 170, rest_hr=60, max_hr=190) > easy


def test_load_max_hr_seen_counts_runs_and_their_laps_only() -> None:
    lapped = run(MONDAY, max_hr=180).model_copy(update={"laps": (
        run(MONDAY, laps=[(1000.0, 300.0)]).laps[0].model_copy(update={"max_hr": 193}),)})
    ride = run(MONDAY, sport=Sport.CYCLING, max_hr=199)
    assert max_hr_seen([lapped, ride, run(MONDAY)]) == 193
    assert max_hr_seen([ride]) is None


@pytest.mark.parametrize(("bases", "combined"), [
    ([], None), ([Basis.RPE, Basis.RPE], Basis.RPE), ([Basis.HEART_RATE], Basis.HEART_RATE),
    ([Basis.RPE, Basis.HEART_RATE], Basis.MIXED),
])
def test_load_combined_basis_says_what_a_sum_is_made_of(bases: list[Basis],
                                                        combined: Basis | None) -> None:
    assert combined_basis(bases) is combined


# -- the EWMA ratio --------------------------------------------------------------------

def test_load_ewma_matches_a_hand_computed_series() -> None:
    # lambda 2/8 = 0.25: 100 x 0.25 = 25; 25 x 0.75 = 18.75; 50 x 0.25 + 18.75 x 0.75
    assert ewma([100, 0, 50], 7) == pytest.approx([25.0, 18.75, 26.5625])
    # lambda 2/29: 6.896552; x 27/29 = 6.420927; 50 x 2/29 + 6.420927 x 27/29
    assert ewma([100, 0, 50], 28) == pytest.approx([6.896552, 6.420927, 9.426381], abs=1e-6)


@pytest.mark.parametrize(("days", "defined"), [(27, False), (28, True), (40, True)])
def test_load_ratio_needs_28_days_of_history(days: int, defined: bool) -> None:
    points = acute_chronic([50.0] * days)
    assert all(p.ratio is None for p in points[:MIN_HISTORY_DAYS - 1])
    assert (points[-1].ratio is not None) is defined


def test_load_ratio_of_steady_load_is_the_ratio_of_the_warm_ups() -> None:
    point = acute_chronic([80.0] * CHRONIC_DAYS)[-1]
    acute, chronic = 1 - 0.75 ** 28, 1 - (27 / 29) ** 28
    assert point.ratio == pytest.approx(acute / chronic)
    assert point.acute == pytest.approx(80 * acute)


def test_load_ratio_without_any_load_is_undefined() -> None:
    assert acute_chronic([0.0] * 40)[-1].ratio is None


@pytest.mark.parametrize(("now", "before", "said"), [
    (1.3, 1.2, "rising"), (1.25, 1.2, "steady"), (1.1, 1.2, "falling"), (None, 1.0, None),
    (1.0, None, None),
])
def test_load_trend_against_a_week_before(now: float | None, before: float | None,
                                          said: str | None) -> None:
    assert trend(now, before) == said


loads = st.lists(st.floats(min_value=0, allow_nan=False, allow_infinity=False), max_size=120)
realistic = st.lists(st.just(0.0) | st.floats(0.1, 5000), min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(loads)
def test_load_ratio_is_finite_and_not_negative(daily: list[float]) -> None:
    for point in acute_chronic(daily):
        assert point.ratio is None or (math.isfinite(point.ratio) and point.ratio >= 0)
        assert math.isfinite(point.acute) and math.isfinite(point.chronic)


@settings(max_examples=200, deadline=None)
@given(realistic)
def test_load_ratio_never_exceeds_the_ratio_of_the_lambdas(daily: list[float]) -> None:
    # each day's weight in the acute average is at most (2/8) / (2/29) its chronic weight
    for point in acute_chronic(daily):
        assert point.ratio is None or point.ratio <= 29 / 8 + 1e-9


# -- the spike flag --------------------------------------------------------------------

@pytest.mark.parametrize(("km", "base", "flagged"), [
    (13.1, 10.0, True), (12.9, 10.0, False), (13.0, 10.0, False),  # more than 30% only
    (12.0, 10.0, False),  # a 20% rise: no 10% rule (Buist 2008)
    (20.0, 0.0, False),  # nothing to rise from
])
def test_load_spike_over_30_percent(km: float, base: float, flagged: bool) -> None:
    assert (spike_percent(km, base) is not None) is flagged


def _weekly_runs(kms: list[float]) -> list[Activity]:
    """One run on the Tuesday of each of the report's 12 weeks, of the given distances."""
    return [run(MONDAY + timedelta(weeks=n, days=1), km=km, minutes=km * 5.5)
            for n, km in enumerate(kms)]


@pytest.mark.parametrize(("third", "percent"), [(13.1, 31.0), (12.9, None)])
def test_load_report_flags_the_week_two_weeks_after(third: float,
                                                    percent: float | None) -> None:
    kms = [10.0, 11.0, third, *[third] * 9]
    report = load_report(_weekly_runs(kms), [], TODAY)
    found = [(f.week_start, round(f.percent, 1)) for f in report.flags]
    assert found == ([] if percent is None else [(MONDAY + timedelta(weeks=2), percent)])


# -- the report ------------------------------------------------------------------------

def test_load_report_counts_only_running() -> None:
    day = TODAY - timedelta(days=1)
    ride = run(day, sport=Sport.CYCLING, km=60, minutes=120, rpe=5)
    swim = run(day, sport=Sport.SWIMMING, km=2, minutes=45, rpe=4, hour=18)
    report = load_report([run(day, rpe=3), ride, swim], [], TODAY)
    week = report.weeks[-1]
    assert (week.runs, week.running_km, week.running_minutes, week.running_load) == (
        1, 10.0, 55.0, 165.0)
    assert week.other == {"cycling": 1, "swimming": 1}
    assert week.other_activities == 2
    assert report.days[-2].running_load == 165.0


def test_load_report_weeks_start_on_monday() -> None:
    sunday, monday = TODAY - timedelta(days=3), TODAY - timedelta(days=2)
    report = load_report([run(sunday, km=5, minutes=30), run(monday, km=8, minutes=45)], [],
                         TODAY)
    assert [(w.week_start, w.running_km) for w in report.weeks[-2:]] == [
        (monday - timedelta(weeks=1), 5.0), (monday, 8.0)]
    assert len(report.weeks) == 12 and report.since == monday - timedelta(weeks=11)


def test_load_report_each_day_carries_its_basis() -> None:
    a, b, c = (TODAY - timedelta(days=n) for n in (3, 2, 1))
    activities = [run(a, rpe=4), run(b, avg_hr=150, max_hr=190), run(c, rpe=4),
                  run(c, avg_hr=150, hour=18), run(TODAY, avg_hr=None)]
    report = load_report(activities, [], TODAY)
    by_day = {d.date: (d.running_basis, d.unscored_runs) for d in report.days}
    assert by_day[a] == (Basis.RPE, 0)
    assert by_day[b] == (Basis.HEART_RATE, 0)
    assert by_day[c] == (Basis.MIXED, 0)
    assert by_day[TODAY] == (None, 1)
    assert report.basis is Basis.MIXED
    assert report.max_hr == 190 and not report.max_hr_given


def test_load_report_given_max_hr_is_used_for_trimp() -> None:
    activity = run(TODAY, minutes=60, avg_hr=150, max_hr=170)
    report = load_report([activity], [], TODAY, max_hr=190, rest_hr=60)
    assert report.runs[0].load is not None
    assert report.runs[0].load.load == pytest.approx(100.44, abs=0.01)
    assert report.to_document()["heart_rate"] == {"rest": 60, "max": 190, "max_from": "given"}


def test_load_report_strength_load_is_beside_the_ratio_not_in_it() -> None:
    sessions = [strength(TODAY - timedelta(days=n)) for n in range(40)]
    sessions.append(strength(TODAY, rpe=None))  # no load, still a session
    report = load_report([], sessions, TODAY)
    assert report.days[-1].strength_load == 240
    assert report.weeks[-1].strength_sessions == 4  # Monday and Tuesday, Wednesday twice
    assert report.weeks[-1].strength_load == 720
    assert (report.days[-1].acute, report.days[-1].ratio, report.ratio.value) == (
        None, None, None)


@pytest.mark.parametrize(("ago", "recent"), [(27, True), (28, False), (4000, False)])
def test_load_report_ratio_needs_a_recent_run(ago: int, recent: bool) -> None:
    # issue 10 item 7: runs long ago left EWMAs of 1e-24 and "ratio 0.00, steady"
    last = TODAY - timedelta(days=ago)
    runs = [run(last - timedelta(days=n), rpe=4) for n in range(0, 60, 2)]
    report = load_report(runs, [], TODAY)
    assert report.ratio.recent is recent
    assert (report.ratio.value is not None) is recent
    assert ("not enough recent running" in report.ratio.message) is not recent
    assert report.to_document()["ratio"]["recent"] is recent
    if not recent:
        assert all(d.acute is None and d.ratio is None for d in report.days
                   if (d.date - last).days >= 28)


@pytest.mark.parametrize(("first", "defined"), [(27, False), (28, True)])
def test_load_report_ratio_needs_28_days_since_the_first_run(first: int, defined: bool) -> None:
    start = TODAY - timedelta(days=first - 1)
    runs = [run(start + timedelta(days=n), rpe=4) for n in range(0, first, 2)]
    report = load_report(runs, [], TODAY)
    assert report.ratio.history_days == first
    assert (report.ratio.value is not None) is defined
    assert (report.days[-1].ratio is not None) is defined
    said = report.ratio.message
    assert ("needs 28 days" in said) is not defined and ("Acute:chronic ratio" in said) is defined


def test_load_report_ratio_is_a_flag_with_its_caveat() -> None:
    start = TODAY - timedelta(weeks=8)
    easy = [run(start + timedelta(days=n), rpe=3, minutes=30) for n in range(0, 49, 2)]
    hard = [run(TODAY - timedelta(days=n), rpe=8, minutes=90) for n in range(7)]
    report = load_report(easy + hard, [], TODAY)
    assert report.ratio.value is not None and report.ratio.value >= 1.5
    assert report.ratio.high and report.ratio.trend == "rising"
    assert "disputed" in report.ratio.message and "not a stop" in report.ratio.message
    assert report.caveat == CAVEAT and "Impellizzeri 2020" in CAVEAT


def test_load_report_document_is_json_with_runs_and_their_kinds() -> None:
    raced = run(TODAY - timedelta(days=1), name="Sunday parkrun", km=5, minutes=20, rpe=9)
    easy = run(TODAY, rpe=3)
    old = run(MONDAY - timedelta(weeks=3), rpe=3)  # before the window
    doc = json.loads(json.dumps(load_report([raced, easy, old], [], TODAY,
                                            corrections={easy.id: RunType.HILLS})
                                .to_document()))
    assert doc["schema"] == SCHEMA == "hamstride.load/1"
    assert [(r["id"], r["kind"], r["corrected"], r["basis"]) for r in doc["runs"]] == [
        (raced.id, "race", False, "rpe"), (easy.id, "hills", True, "rpe")]
    assert doc["caveat"] == CAVEAT
    assert {"weekly", "daily", "ratio", "flags", "heart_rate_note"} <= set(doc)
    assert doc["daily"][-1]["date"] == TODAY.isoformat()


def test_load_report_ignores_what_happens_after_today() -> None:
    later = run(TODAY + timedelta(days=1), rpe=5)
    session = strength(TODAY + timedelta(days=1))
    report = load_report([later], [session], TODAY)
    assert report.runs == () and report.weeks[-1].strength_sessions == 0


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"rest_hr": 10}, "rest_hr"), ({"rest_hr": 130}, "rest_hr"),
    ({"max_hr": 55, "rest_hr": 60}, "max_hr"), ({"max_hr": 300}, "max_hr"),
    ({"weeks": 0}, "weeks"),
])
def test_load_report_refuses_bad_settings(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        load_report([], [], TODAY, **kwargs)
    assert caught.value.field == field
