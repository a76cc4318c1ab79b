"""Return from a strain by criteria: the stage follows what the runner recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hamstride.training.log import FieldTest, LoggedSession, field_test_from_data, session_from_data
from hamstride.training.profile import Clearance, Strain
from hamstride.training.return_stages import Stage, return_status
from hamstride.vocabulary import RunType, Side

START = date(2027, 1, 4)
STRAIN = Strain(date=START - timedelta(days=5), side=Side.LEFT)


def bout(day: int, pain: int = 0, morning: int | None = 0) -> LoggedSession:
    return session_from_data({"date": (START + timedelta(days=day)).isoformat(), "pain": pain,
                              "morning_pain": morning,
                              "sets": [{"exercise": "askling_extender", "reps": 12}]})


def result(day: int, kind: str, left: float, right: float) -> FieldTest:
    return field_test_from_data({"date": (START + timedelta(days=day)).isoformat(),
                                 "kind": kind, "left": left, "right": right})


def status(log: list[LoggedSession], tests: list[FieldTest], today: int = 20) -> Stage:
    return return_status(STRAIN, START, log, tests, START + timedelta(days=today)).stage


CLEAN = [bout(1), bout(3), bout(5)]


@pytest.mark.parametrize(("log", "tests", "stage"), [
    ([], [], Stage.PROTECT),
    (CLEAN, [result(6, "self_check", 0, 0)], Stage.PROTECT),  # no strength test
    (CLEAN, [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 13, 20)],
     Stage.PROTECT),  # 65%
    (CLEAN, [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 14, 20)],
     Stage.WALK_JOG),  # 70%
    (CLEAN, [result(6, "self_check", 2, 0), result(6, "single_leg_bridge", 20, 20)],
     Stage.PROTECT),  # the self-check hurt
    ([bout(1), bout(3, pain=2), bout(5)], [result(6, "self_check", 0, 0),
                                           result(6, "single_leg_bridge", 20, 20)],
     Stage.PROTECT),  # the L-protocol hurt
    ([bout(1), bout(3), bout(5, morning=None)], [result(6, "self_check", 0, 0),
                                                 result(6, "single_leg_bridge", 20, 20)],
     Stage.PROTECT),  # next morning not recorded
    (CLEAN, [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 17, 20)],
     Stage.SPEED),  # 85%
    (CLEAN, [result(6, "self_check", 0, 0), result(6, "nordic_force", 300, 300)],
     Stage.PROTECT),  # a Nordic test is not the low-load test
])
def test_return_stage_follows_the_criteria(log: list[LoggedSession], tests: list[FieldTest],
                                           stage: Stage) -> None:
    assert status(log, tests) is stage


def test_return_heavy_loading_never_before_the_protected_weeks() -> None:
    tests = [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 20, 20)]
    found = return_status(STRAIN, START, CLEAN, tests, START + timedelta(days=7))
    assert found.stage is Stage.SPEED
    assert found.heavy_from == START + timedelta(days=14)
    late = [result(20, "self_check", 0, 0), result(20, "single_leg_bridge", 20, 20)]
    assert return_status(STRAIN, START, CLEAN, late,
                         START + timedelta(days=21)).heavy_from == START + timedelta(days=21)


def test_return_protect_stage_keeps_key_runs_easy_and_says_when_to_retry() -> None:
    tests = [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 10, 20)]
    found = return_status(STRAIN, START, CLEAN, tests, START + timedelta(days=8))
    assert found.heavy_from is None
    assert {RunType.INTERVALS, RunType.HILLS, RunType.RACE} <= set(found.keep_easy)
    assert found.retry_on == START + timedelta(days=13)
    assert "50%" in found.advice() and "Lorenz & Domzalski 2020" in found.advice()


def test_a_physiotherapists_clearance_moves_the_stage_from_its_day_never_into_the_protected_weeks(
        ) -> None:
    cleared = Clearance(stage="walk_jog", on=START + timedelta(days=3), by="physio@example.org",
                        reason="pain-free on assessment")
    before = return_status(STRAIN, START, [], [], START + timedelta(days=2), cleared=cleared)
    assert before.stage is Stage.PROTECT  # not yet its day
    found = return_status(STRAIN, START, [], [], START + timedelta(days=5), cleared=cleared)
    assert found.stage is Stage.WALK_JOG
    assert any(c.name == "cleared" and "physio@example.org" in c.detail for c in found.criteria)
    # the two protected weeks after the strain still hold (Askling 2013)
    assert found.heavy_from == START + timedelta(days=14)
    later = Clearance(stage="speed", on=START + timedelta(days=20))
    assert return_status(STRAIN, START, [], [], START + timedelta(days=21),
                         cleared=later).heavy_from == START + timedelta(days=21)


def test_a_clearance_below_what_the_records_show_changes_nothing() -> None:
    tests = [result(6, "self_check", 0, 0), result(6, "single_leg_bridge", 18, 20)]
    cleared = Clearance(stage="walk_jog", on=START + timedelta(days=7))
    on_records = return_status(STRAIN, START, CLEAN, tests, START + timedelta(days=20))
    assert on_records.stage is Stage.SPEED
    assert return_status(STRAIN, START, CLEAN, tests, START + timedelta(days=20),
                         cleared=cleared) == on_records
