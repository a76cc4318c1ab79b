"""The running use cases over a real database: import, list, correct, load, and the plan
following the running week the activities show."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from hamstride import coach, running
from hamstride.activities.sources import collect
from hamstride.errors import InputError, NotFoundError
from hamstride.store import Store
from hamstride.training.activity import Activity, Sport
from hamstride.training.checker import check_plan
from hamstride.training.planner import generate_plan
from hamstride.training.rules.key_runs import RULE as KEY_RUNS
from hamstride.vocabulary import Day, RunType
from tests.activities.sample_files import FitSpec, Leg, fit_file
from tests.training.factories import catalogue, make_profile
from tests.training.test_runs import at, reps, run

START = date(2027, 1, 4)  # the plan's Monday
TODAY = START + timedelta(days=9)  # a Wednesday of week 2
TYPED_WEEK = {"tue": "intervals", "thu": "easy", "sat": "long"}


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    profile = make_profile(week=TYPED_WEEK)
    opened.save_profile(name=profile.name, document=profile.to_document())
    made = generate_plan(profile, start=START, weeks=8)
    opened.save_plan(profile_name=profile.name, start=START, weeks=8,
                     document=made.to_document())
    return opened


NAME = make_profile().name


def real_weeks(weeks: int = 6) -> list[Activity]:
    """What the runner really ran: Monday easy, Wednesday intervals, Sunday long."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    found = []
    for n in range(1, weeks + 1):
        week = monday - timedelta(weeks=n)
        found += [run(week, km=8, minutes=45),
                  run(week + timedelta(days=2), km=8, minutes=40, laps=reps(6)),
                  run(week + timedelta(days=6), km=26, minutes=150)]
    return found


def test_running_plan_follows_the_real_week_and_says_what_moved(store: Store) -> None:
    before = coach.plans(store, NAME).active
    typed = coach.followed_week(store, NAME, TODAY)
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    changes, note = running.follow_running_week(store, NAME, TODAY, typed)
    assert note == ""
    learned = coach.learned_week(store, NAME, TODAY)
    assert learned is not None
    assert (learned.week.on(Day.WED), learned.week.on(Day.SUN)) == (RunType.INTERVALS,
                                                                    RunType.LONG)
    assert learned.week.on(Day.TUE) is RunType.REST
    assert any(c.startswith("Wednesday is now intervals") for c in changes)
    assert any("moved from" in c or "added on" in c for c in changes)
    after = coach.plans(store, NAME).active
    assert after != before
    # every rule of the planner holds for the week the runner really runs
    effective = coach.following_runs(store, NAME, coach.plans(store, NAME).profile, TODAY)
    assert effective.running.week == learned.week
    assert check_plan(after, effective, catalogue()) == []
    # and the old plan breaks the key-run rule on the real week: that is why it moved
    assert KEY_RUNS in {v.rule for v in check_plan(before, effective, catalogue())}


def test_running_plan_keeps_the_typed_week_without_enough_runs(store: Store) -> None:
    typed = coach.followed_week(store, NAME, TODAY)
    store.save_activities(profile_name=NAME, activities=real_weeks(3), label="watch")
    before = coach.plans(store, NAME).active
    changes, _ = running.follow_running_week(store, NAME, TODAY, typed)
    assert changes == ()
    assert coach.learned_week(store, NAME, TODAY) is None
    assert coach.plans(store, NAME).active == before  # nothing to regenerate


def test_running_plan_goes_back_to_the_typed_week_when_runs_stop(store: Store) -> None:
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    running.follow_running_week(store, NAME, TODAY, coach.followed_week(store, NAME, START))
    later = TODAY + timedelta(weeks=5)  # runs in only one of the last eight weeks
    learned = coach.followed_week(store, NAME, TODAY)
    changes, _ = running.follow_running_week(store, NAME, later, learned)
    assert changes and changes[0].startswith("Your plan follows the running week of your "
                                             "profile again")
    assert coach.followed_week(store, NAME, later) == make_profile(week=TYPED_WEEK).running.week


def test_running_import_of_the_same_week_again_changes_nothing(store: Store) -> None:
    typed = coach.followed_week(store, NAME, TODAY)
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    first, _ = running.follow_running_week(store, NAME, TODAY, typed)
    assert first
    again, note = running.follow_running_week(store, NAME, TODAY,
                                              coach.followed_week(store, NAME, TODAY))
    assert (again, note) == ((), "")


def test_running_replan_before_the_plan_begins_keeps_its_start(store: Store) -> None:
    replanned, _ = coach.replan(store, NAME, START - timedelta(days=5))
    assert replanned is not None and replanned.start == START


def test_running_kind_correction_is_listed_and_moves_the_plan(store: Store) -> None:
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    sunday_runs = [v for v in running.listing(store, NAME) if v.start.weekday() == 6]
    assert {v.kind for v in sunday_runs} == {RunType.LONG}
    target = sunday_runs[-1]
    done = running.set_kind(store, NAME, target.id[:8], RunType.RACE, TODAY)  # a short id
    assert done.activity.id == target.id
    shown = {v.id: v for v in running.listing(store, NAME)}[target.id]
    assert (shown.kind, shown.corrected) == (RunType.RACE, True) == (
        done.activity.kind, done.activity.corrected)
    running.set_kind(store, NAME, target.id, None, TODAY)
    shown = {v.id: v for v in running.listing(store, NAME)}[target.id]
    assert (shown.kind, shown.corrected) == (RunType.LONG, False)


@pytest.mark.parametrize(
    ("activity_id", "kind", "error", "needle"),
    [("a-0000000000000000", RunType.EASY, NotFoundError, "no activity"),
     ("a-", RunType.EASY, NotFoundError, "no activity"),  # too short to be a start
     ("ride", RunType.EASY, InputError, "not a run"),
     ("run", RunType.REST, InputError, "cannot be a rest day")],
)
def test_running_kind_correction_refuses_what_cannot_be(
    store: Store, activity_id: str, kind: RunType, error: type[Exception], needle: str
) -> None:
    ride = run(TODAY - timedelta(days=1), sport=Sport.CYCLING)
    a_run = run(TODAY - timedelta(days=2))
    store.save_activities(profile_name=NAME, activities=[ride, a_run], label="x")
    ids = {"ride": ride.id, "run": a_run.id}
    with pytest.raises(error, match=needle):
        running.set_kind(store, NAME, ids.get(activity_id, activity_id), kind, TODAY)


def test_running_import_reports_each_file_and_stores_each_activity_once(
    store: Store, tmp_path: Path
) -> None:
    good = tmp_path / "a.fit"
    good.write_bytes(fit_file(FitSpec(legs=(Leg(start=at(date(2024, 5, 1), 7)),))))
    (tmp_path / "copy.fit").write_bytes(good.read_bytes())
    (tmp_path / "broken.fit").write_bytes(good.read_bytes()[:40])
    seen: list[str] = []
    report = running.import_sources(store, NAME, collect([tmp_path]), TODAY,
                                    after_each=lambda line: seen.append(line.status))
    by_file = {Path(line.path).name: line for line in report.lines}
    assert by_file["a.fit"].status == "imported"
    assert by_file["copy.fit"].status == "duplicate"
    assert by_file["copy.fit"].activity_id == by_file["a.fit"].activity_id
    assert by_file["broken.fit"].status == "skipped" and by_file["broken.fit"].reason
    assert seen == [line.status for line in report.lines]
    assert report.counts == {"imported": 1, "duplicate": 1, "skipped": 1}
    assert len(store.activities(profile_name=NAME)) == 1


def test_running_load_counts_runs_and_strength_together(store: Store) -> None:
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    report = running.load(store, NAME, TODAY, weeks=4)
    document = report.to_document()
    assert document["schema"] == "hamstride.load/1"
    assert [w["runs"] for w in document["weekly"][:3]] == [3, 3, 3]
    assert document["weekly"][0]["running_km"] == pytest.approx(42)


def test_running_too_short_activities_are_stored_but_not_runs(store: Store) -> None:
    # issue 10 item 6: a corrupt-header FIT read as a 14-second run, 0.1 km "runs"
    monday = TODAY - timedelta(days=TODAY.weekday())
    glitches = [run(monday, km=0.0, minutes=14 / 60), run(monday + timedelta(days=1), km=0.2,
                                                          minutes=2)]
    store.save_activities(profile_name=NAME, activities=[*glitches, *real_weeks(2)],
                          label="watch")
    listed = {v.id: v for v in running.listing(store, NAME)}
    for glitch in glitches:
        view = listed[glitch.id]
        assert view.kind is None
        assert view.to_document()["not_a_run"].startswith("too short to be a run")
    document = running.load(store, NAME, TODAY, weeks=4).to_document()
    assert document["weekly"][0]["runs"] == 0  # this week holds only the glitches
    assert [w["runs"] for w in document["weekly"][1:3]] == [3, 3]


def test_running_import_says_why_a_short_activity_is_not_a_run(store: Store,
                                                                 tmp_path: Path) -> None:
    short = tmp_path / "short.fit"
    start = at(date(2024, 5, 1), 7)
    short.write_bytes(fit_file(FitSpec(legs=(Leg(start=start, seconds=14, speed_ms=0.2),))))
    [line] = running.import_sources(store, NAME, collect([tmp_path]), TODAY).lines
    assert line.status == "imported"
    assert line.reason is not None and "14 s, 0.0 km" in line.reason
    assert "not counted as running" in line.reason


def test_running_a_new_plan_follows_the_imported_runs_and_the_first_log_keeps_it(
        store: Store) -> None:
    """Made after the runs were imported (the CLI's `plan`, the API and the onboarding
    form all call coach.make_plan), a plan already sits around the week they show: it
    passes the key-run rule on that week, and logging the first session does not move
    its later sessions."""
    store.save_activities(profile_name=NAME, activities=real_weeks(), label="watch")
    learned = coach.learned_week(store, NAME, TODAY)
    assert learned is not None
    profile = make_profile(week=TYPED_WEEK)
    made, saved = coach.make_plan(store, profile, start=TODAY, weeks=8, today=TODAY)
    assert saved.active and not saved.regenerated
    effective = coach.following_runs(store, NAME, profile, TODAY)
    assert check_plan(made, effective, catalogue()) == []
    assert KEY_RUNS in {v.rule for v in check_plan(
        generate_plan(profile, start=TODAY, weeks=8), effective, catalogue())}
    first = next(s for _, s in made.sessions())
    entry = coach.as_planned(first, on=first.date)
    coach.log(store, NAME, [entry], first.date)
    later = [s.date for _, s in made.sessions() if s.date > first.date]
    after = [s.date for _, s in coach.plans(store, NAME).active.sessions()
             if s.date > first.date]
    assert after[:4] == later[:4]


def test_running_make_plan_that_no_safe_plan_fits_stores_nothing(store: Store) -> None:
    from hamstride.errors import PlanError

    before = store.list_plans()
    profile = make_profile(name="Nobody Fits", week=TYPED_WEEK)
    with pytest.raises(PlanError):
        coach.make_plan(store, profile, start=TODAY, weeks=0, today=TODAY)
    assert store.get_profile(name="Nobody Fits") is None and store.list_plans() == before
