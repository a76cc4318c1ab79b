"""Replanning from the log keeps the plan's weeks: a runner who logs each session and
gets a regenerated plan after each one sees the same limits as in the plan they began
with (issue 9 item 10): sessions a week, the Nordic table, 48 h between Nordic bouts and
no slow-lowered hamstring work the day before a key run."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hamstride.catalogue import load_catalogue
from hamstride.coach import as_planned
from hamstride.training.adaptation import adapt_plan, is_strength_session, plan_end
from hamstride.training.log import LoggedSession
from hamstride.training.plan import Continues, LoggedDay, Plan, Session
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile
from hamstride.training.rules.frequency import ECCENTRIC_SPACING_DAYS, max_per_week
from tests.training.factories import make_profile, violations
from tests.training.test_properties import profiles

START = date(2027, 1, 4)  # a Monday
NORDIC = "nordic_hamstring_curl"
CATALOGUE = load_catalogue()


def next_session(plan: Plan, today: date) -> Session | None:
    """The first strength session the plan holds from ``today`` on."""
    for _, session in plan.sessions():
        if session.date >= today:
            return session
    return None


def follow(profile: Profile, base: Plan, steps: int) -> tuple[Plan, list[LoggedSession]]:
    """Log the next planned session as done, regenerate, ``steps`` times: what a runner
    who follows the app session by session sees."""
    plan, log = base, []
    today = base.start
    for _ in range(steps):
        session = next_session(plan, today)
        if session is None or session.date + timedelta(days=1) >= plan_end(base):
            break
        log.append(as_planned(session, on=session.date, session_rpe=5, pain=0))
        today = session.date + timedelta(days=1)
        plan = adapt_plan(profile, plan, log, today=today, catalogue=CATALOGUE)
    return plan, log


def everything(plan: Plan, log: list[LoggedSession]) -> list[LoggedSession]:
    """The log and the rest of the plan, as one history."""
    ahead = [as_planned(s, on=s.date) for _, s in plan.sessions()
             if not log or s.date > log[-1].date]
    return [*log, *ahead]


def weekly_counts(history: list[LoggedSession], start: date) -> Counter[int]:
    """Strength sessions in each week of the original plan."""
    return Counter((s.date - start).days // 7 for s in history
                   if is_strength_session(CATALOGUE, s))


def nordic_days(history: list[LoggedSession]) -> list[date]:
    return sorted({s.date for s in history if any(x.exercise == NORDIC for x in s.sets)})


def nordic_reps(session: LoggedSession) -> list[int]:
    return [x.reps or 0 for x in session.sets if x.exercise == NORDIC]


def test_replanned_novice_week_keeps_the_novice_limit() -> None:
    # a novice with every day a strength day and a Saturday long run: logging the first
    # session used to open a new 7-day week the day after, with room for a third session
    profile = make_profile(level="novice", week={"tue": "easy", "thu": "easy", "sat": "long"})
    base = generate_plan(profile, start=START, weeks=8)
    plan, log = follow(profile, base, 6)
    counts = weekly_counts(everything(plan, log), START)
    assert max(counts.values()) <= 2, counts
    assert plan.start == START + timedelta(days=7 * ((log[-1].date - START).days // 7))
    assert violations(plan, profile) == []


def test_replanned_nordic_shares_the_table_row_of_the_logged_bout() -> None:
    # table week 2 has two bouts (Mon, Wed): the Monday one logged, the Wednesday one in
    # the regenerated plan is the same table week, not the next one
    profile = make_profile(week={"sat": "easy"})
    base = generate_plan(profile, start=START, weeks=10)
    plan, log = follow(profile, base, 4)
    monday = log[-1]
    assert monday.date == START + timedelta(days=7) and nordic_reps(monday) == [6, 6]
    same_week = [as_planned(s, on=s.date) for _, s in plan.sessions()
                 if (s.date - START).days // 7 == 1 and any(i.exercise == NORDIC
                                                            for i in s.items)]
    assert [nordic_reps(s) for s in same_week] == [[6, 6]]
    days = nordic_days(everything(plan, log))
    assert all((b - a).days >= ECCENTRIC_SPACING_DAYS for a, b in pairwise(days))


def test_checker_counts_logged_sessions_towards_the_week() -> None:
    profile = make_profile(level="novice", week={"sat": "long"})
    plan = generate_plan(profile, start=START, weeks=4)
    assert violations(plan, profile) == []
    # a session the log holds in week 1 on top of the 2 planned ones: 3 for a novice
    crowded = plan.model_copy(update={"continues": Continues(
        original_start=START, logged=[LoggedDay(date=START)])})
    found = [v for v in violations(crowded, profile) if v.rule == "5-frequency"]
    assert [v.date for v in found] == [START], found
    assert "at most 2 a week for a novice" in found[0].message


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=profiles(), steps=st.integers(2, 12))
def test_following_the_app_session_by_session_keeps_every_limit(
        case: tuple[Profile, date, int], steps: int) -> None:
    profile, start, weeks = case
    base = generate_plan(profile, start=start, weeks=max(weeks, 3), verify=False)
    plan, log = follow(profile, base, steps)
    event(f"{len(log)} session(s) logged")
    assert violations(plan, profile) == []
    history = everything(plan, log)
    counts = weekly_counts(history, start)
    assert not counts or max(counts.values()) <= max_per_week(profile.level), counts
    days = nordic_days(history)
    assert all((b - a).days >= ECCENTRIC_SPACING_DAYS for a, b in pairwise(days)), days
