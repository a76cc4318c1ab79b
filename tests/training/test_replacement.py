"""What moved between two plans, week by week."""

from __future__ import annotations

from datetime import date, timedelta

from hamstride.training.replacement import Move, moved_sessions
from tests.training.factories import START, make_profile, plan_for, sessions


def test_moved_sessions_is_empty_for_the_same_plan() -> None:
    plan = plan_for(make_profile(week={"tue": "intervals", "sat": "long"}), weeks=3)
    assert moved_sessions(plan, plan, since=START) == []


def test_moved_sessions_pairs_the_days_that_changed_within_a_week() -> None:
    before = plan_for(make_profile(week={"tue": "intervals", "sat": "long"}), weeks=2)
    after = plan_for(make_profile(week={"wed": "intervals", "sun": "long"}), weeks=2)
    moves = moved_sessions(before, after, since=START)
    assert moves
    old, new = {s.date for s in sessions(before)}, {s.date for s in sessions(after)}
    assert {m.before for m in moves if m.before} == old - new
    assert {m.after for m in moves if m.after} == new - old
    for move in moves:  # a move never crosses a calendar week
        if move.before and move.after:
            assert move.before.isocalendar()[:2] == move.after.isocalendar()[:2]


def test_moved_sessions_ignores_the_days_before_since() -> None:
    before = plan_for(make_profile(week={"tue": "intervals", "sat": "long"}), weeks=2)
    after = plan_for(make_profile(week={"wed": "intervals", "sun": "long"}), weeks=2)
    since = START + timedelta(days=7)
    assert all((m.before or m.after or since) >= since
               for m in moved_sessions(before, after, since=since))


def test_move_describes_itself_in_plain_words() -> None:
    day = date(2027, 1, 5)
    assert Move("Strength A", day, day + timedelta(days=1)).describe() == (
        "Strength A: moved from Tue 05 Jan to Wed 06 Jan")
    assert Move("Strength A", None, day).describe() == "Strength A: added on Tue 05 Jan"
    assert Move("Strength A", day, None).describe() == "Strength A: no longer on Tue 05 Jan"


def test_moved_sessions_stops_before_until() -> None:
    before = plan_for(make_profile(week={"tue": "intervals", "sat": "long"}), weeks=2)
    after = plan_for(make_profile(week={"wed": "intervals", "sun": "long"}), weeks=2)
    until = START + timedelta(days=7)
    moves = moved_sessions(before, after, since=START, until=until)
    assert moves and all((m.before or m.after or START) < until for m in moves)
