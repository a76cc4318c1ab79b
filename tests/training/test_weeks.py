"""One rule for what a runner reads as "week 3" (issue 10 item 8): the plan's weeks,
from its start day, for the plan, progress, adherence and load alike."""

from __future__ import annotations

from datetime import date, timedelta

from hamstride.training.analytics import progress_report
from hamstride.training.load import load_report
from hamstride.training.log import LoggedSession, LoggedSet, Side
from hamstride.training.plan import plan_from_data
from hamstride.training.weeks import ISO, Weeks, span_label
from tests.training.factories import catalogue, item_doc, session_doc
from tests.training.test_runs import run

SATURDAY = date(2027, 1, 2)


def test_a_plan_starting_on_saturday_has_saturday_to_friday_weeks() -> None:
    weeks = Weeks.of_plan(SATURDAY)
    assert weeks.dates(date(2027, 1, 20)) == (date(2027, 1, 16), date(2027, 1, 22))
    assert weeks.number(date(2027, 1, 16)) == 3 and weeks.number(date(2027, 1, 15)) == 2
    assert weeks.label(date(2027, 1, 20)) == "week 3 (Sat 16 – Fri 22 Jan)"
    assert weeks.number(SATURDAY - timedelta(days=1)) is None


def test_without_a_plan_weeks_run_monday_to_sunday_and_are_named_by_their_dates() -> None:
    assert ISO.dates(date(2027, 1, 2)) == (date(2026, 12, 28), date(2027, 1, 3))
    assert ISO.label(date(2027, 1, 2)) == "the week of Mon 28 Dec – Sun 3 Jan"
    assert span_label(date(2026, 12, 28), date(2027, 1, 3), year=True) == \
        "Mon 28 Dec 2026 – Sun 3 Jan 2027"


def _plan_from_saturday() -> object:
    days = [SATURDAY + timedelta(days=n) for n in (0, 2, 7, 9)]
    return plan_from_data({"start": SATURDAY.isoformat(), "weeks": [
        {"week": 1, "phase": "build", "sessions": [
            session_doc(d, [item_doc("nordic_hamstring_curl")]) for d in days[:2]]},
        {"week": 2, "phase": "build", "sessions": [
            session_doc(d, [item_doc("nordic_hamstring_curl")]) for d in days[2:]]}]})


def test_progress_and_adherence_count_in_the_plans_weeks() -> None:
    """A session on Sunday 3 Jan and one on Monday 4 Jan are both in plan week 1 (Sat 2 –
    Fri 8); ISO weeks would split them."""
    plan = _plan_from_saturday()
    nordic = LoggedSet(exercise="nordic_hamstring_curl", reps=5, side=Side.BOTH)
    log = [LoggedSession(id=f"s{d}", date=d, sets=[nordic]) for d in
           (date(2027, 1, 2), date(2027, 1, 4))]
    report = progress_report(log, [], catalogue(), date(2027, 1, 8), plan=plan,  # type: ignore[arg-type]
                             weeks=1)
    assert report.since == SATURDAY
    assert [w.week_start for w in report.volume.weeks] == [SATURDAY]
    assert report.volume.weeks[0].sets["hamstrings"] == 2
    assert report.adherence is not None
    assert [(w.week_start, w.planned, w.done) for w in report.adherence.weeks] == [
        (SATURDAY, 2, 2)]
    assert report.to_document()["week_starts_on"] == "sat"


def test_running_load_weeks_follow_the_same_rule() -> None:
    runs = [run(date(2027, 1, 3)), run(date(2027, 1, 4))]
    by_plan = load_report(runs, [], date(2027, 1, 8), weeks=1, by=Weeks.of_plan(SATURDAY))
    assert [(w.week_start, w.runs) for w in by_plan.weeks] == [(SATURDAY, 2)]
    by_iso = load_report(runs, [], date(2027, 1, 8), weeks=2)
    assert [(w.week_start, w.runs) for w in by_iso.weeks] == [
        (date(2026, 12, 28), 1), (date(2027, 1, 4), 1)]
