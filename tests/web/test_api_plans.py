"""Plans: make one from the stored profile, read the active one and the history, check any
plan against a profile."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import API, RUNNER, RUNNER_PATH, WEB_TODAY, api_error, runner_profile

CHECK = f"{API}/plans/check"


@pytest.fixture
def client(api_client: TestClient) -> TestClient:
    assert api_client.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    return api_client


def test_api_make_plan_defaults_to_today_and_twelve_weeks(client: TestClient) -> None:
    made = client.post(f"{RUNNER_PATH}/plans")
    assert made.status_code == 201
    plan = made.json()
    assert plan["schema"] == "hamstride.plan/1"
    assert plan["start"] == WEB_TODAY.isoformat()
    assert len(plan["weeks"]) == 12
    assert plan["athlete"] == RUNNER
    assert made.headers["location"] == f"{RUNNER_PATH}/plan"
    assert client.get(f"{RUNNER_PATH}/plan").json() == plan


def test_api_make_plan_with_start_and_weeks_becomes_the_active_plan(client: TestClient) -> None:
    first = client.post(f"{RUNNER_PATH}/plans", json={}).json()
    second = client.post(f"{RUNNER_PATH}/plans", json={"start": "2027-02-01", "weeks": 3})
    assert second.status_code == 201
    assert second.json()["start"] == "2027-02-01" and len(second.json()["weeks"]) == 3
    assert client.get(f"{RUNNER_PATH}/plan").json() == second.json() != first
    listed = client.get(f"{RUNNER_PATH}/plans").json()
    assert [(p["start"], p["weeks"], p["active"], p["regenerated"]) for p in listed] == [
        ("2027-02-01", 3, True, False), ("2027-01-04", 12, False, False)]
    assert set(listed[0]) == {"id", "start", "weeks", "active", "created_at", "regenerated"}


def test_api_plans_list_marks_plans_regenerated_from_the_log(client: TestClient) -> None:
    client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4})
    session = client.get(f"{RUNNER_PATH}/today").json()["sessions"][0]
    entry = {"date": WEB_TODAY.isoformat(), "session_rpe": 6,
             "sets": [{"exercise": i["exercise"], "reps": 5} for i in session["items"]][:2]}
    logged = client.post(f"{RUNNER_PATH}/log?replan=now", json=entry).json()
    assert logged["plan_updated"] is True
    listed = client.get(f"{RUNNER_PATH}/plans").json()
    assert [(p["active"], p["regenerated"]) for p in listed] == [(True, True), (False, False)]
    assert "continues" in client.get(f"{RUNNER_PATH}/plan").json()


def test_api_no_safe_plan_is_422_plan_error(client: TestClient) -> None:
    strained = runner_profile(goal="return_from_strain",
                              injury={"hamstring_strain": {"date": "2027-03-01", "side": "left"}})
    client.put(RUNNER_PATH, json=strained)
    error = api_error(client.post(f"{RUNNER_PATH}/plans", json={"start": "2027-01-04"}), 422,
                      "injury.hamstring_strain.date")
    assert error["type"] == "PlanError"
    assert client.get(f"{RUNNER_PATH}/plans").json() == []


def test_api_a_race_before_the_start_is_422(client: TestClient) -> None:
    past = runner_profile(running={"weekly_km": 30, "week": {"sun": "long"}, "races": [
        {"date": "1999-01-01", "name": "Old 10k", "priority": "A"}]})
    client.put(RUNNER_PATH, json=past)
    error = api_error(client.post(f"{RUNNER_PATH}/plans", json={"start": "2027-01-04"}), 422,
                      "running.races[0].date")
    assert "before the plan starts" in error["message"]
    assert client.get(f"{RUNNER_PATH}/plans").json() == []


@pytest.mark.parametrize(("body", "field"), [
    pytest.param({"weeks": 0}, "weeks", id="weeks-zero"),
    pytest.param({"weeks": 53}, "weeks", id="weeks-above-max"),
    pytest.param({"weeks": "six"}, "weeks", id="weeks-text"),
    pytest.param({"weeks": 2.5}, "weeks", id="weeks-fraction"),
    pytest.param({"weeks": None}, "weeks", id="weeks-null"),
    pytest.param({"start": "next monday"}, "start", id="start-text"),
    pytest.param({"start": "2027-02-30"}, "start", id="start-no-such-day"),
    pytest.param({"start": "1066-10-14"}, "start", id="start-out-of-range"),
    pytest.param({"start": "2027-01-04", "extra": 1}, "extra", id="unknown-field"),
    pytest.param([{"weeks": 4}], "(request)", id="a-list"),
])
def test_api_bad_plan_request_is_422_naming_the_field(client: TestClient, body: Any,
                                                      field: str) -> None:
    api_error(client.post(f"{RUNNER_PATH}/plans", json=body), 422, field)
    assert client.get(f"{RUNNER_PATH}/plans").json() == []


def test_api_plan_endpoints_404(client: TestClient) -> None:
    api_error(client.get(f"{RUNNER_PATH}/plan"), 404, "plan")
    assert client.get(f"{RUNNER_PATH}/plans").json() == []
    api_error(client.post(f"{API}/profiles/nobody/plans", json={}), 404, "name")
    api_error(client.get(f"{API}/profiles/nobody/plan"), 404, "name")
    api_error(client.get(f"{API}/profiles/nobody/plans"), 404, "name")


# -- the checker ----------------------------------------------------------------------------

@pytest.fixture
def plan(client: TestClient) -> dict[str, Any]:
    made: dict[str, Any] = client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4}).json()
    return made


def test_api_check_passes_a_generated_plan(client: TestClient, plan: dict[str, Any]) -> None:
    response = client.post(CHECK, json={"plan": plan, "profile": runner_profile()})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "violations": []}


def test_api_check_lists_violations(client: TestClient, plan: dict[str, Any]) -> None:
    squeezed = runner_profile(session_minutes=10, equipment=[])  # no time, no gym
    response = client.post(CHECK, json={"plan": plan, "profile": squeezed})
    assert response.status_code == 200
    result = response.json()
    assert result["ok"] is False and result["violations"]
    rules = {v["rule"] for v in result["violations"]}
    assert rules >= {"1-time", "2-equipment"}
    for v in result["violations"]:
        assert set(v) == {"rule", "date", "message"} and v["message"]


def _plan_with(plan: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(plan)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


ITEM = ("weeks", 0, "sessions", 0, "items", 0)


@pytest.mark.parametrize(("path", "value", "field"), [
    pytest.param(("start",), "soon", "plan.start", id="start"),
    pytest.param(("schema",), "hamstride.plan/9", "plan.schema", id="schema"),
    pytest.param(("weeks",), "many", "plan.weeks", id="weeks-type"),
    pytest.param(("weeks", 0, "week"), 0, "plan.weeks[0].week", id="week-number"),
    pytest.param((*ITEM, "exercise"), "nordic", "plan.weeks[0].sessions[0].items[0].exercise",
                 id="unknown-exercise"),
    pytest.param((*ITEM, "sets"), [], "plan.weeks[0].sessions[0].items[0].sets", id="no-sets"),
    pytest.param((*ITEM, "rest_s"), 601, "plan.weeks[0].sessions[0].items[0].rest_s",
                 id="rest-high"),
    pytest.param((*ITEM, "colour"), "red", "plan.weeks[0].sessions[0].items[0].colour",
                 id="unknown-field"),
])
def test_api_check_bad_plan_is_422_naming_the_field(client: TestClient, plan: dict[str, Any],
                                                    path: tuple[Any, ...], value: Any,
                                                    field: str) -> None:
    body = {"plan": _plan_with(plan, path, value), "profile": runner_profile()}
    error = api_error(client.post(CHECK, json=body), 422)
    assert error["field"] == field or error["field"].startswith(field), error
    assert error["type"] == "PlanFormatError"
    assert error["message"].startswith("plan: ")


@pytest.mark.parametrize(("profile", "field"), [
    pytest.param(runner_profile(level="pro"), "profile.level", id="level"),
    pytest.param(runner_profile(session_minutes=0), "profile.session_minutes", id="minutes"),
    pytest.param(runner_profile(extra=True), "profile.extra", id="unknown-field"),
    pytest.param([], "profile", id="not-an-object"),
])
def test_api_check_bad_profile_is_422_naming_the_field(client: TestClient, plan: dict[str, Any],
                                                       profile: Any, field: str) -> None:
    api_error(client.post(CHECK, json={"plan": plan, "profile": profile}), 422, field)


@pytest.mark.parametrize(("body", "field"), [
    pytest.param({"profile": {}}, "plan", id="missing-plan"),
    pytest.param({"plan": {}}, "profile", id="missing-profile"),
    pytest.param({"plan": {}, "profile": {}, "more": 1}, "more", id="unknown-field"),
    pytest.param([], "(request)", id="a-list"),
])
def test_api_check_bad_envelope_is_422(client: TestClient, body: Any, field: str) -> None:
    api_error(client.post(CHECK, json=body), 422, field)
