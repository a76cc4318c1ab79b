"""Profiles: create, replace, read and list; every field of the document validated."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import API, RUNNER, RUNNER_PATH, api_error, runner_profile


def test_api_put_creates_then_replaces_a_profile(api_client: TestClient) -> None:
    created = api_client.put(RUNNER_PATH, json=runner_profile())
    assert created.status_code == 201
    assert created.headers["location"] == RUNNER_PATH
    assert created.json()["name"] == RUNNER
    assert created.json()["injury"] == {"hamstring_strain": None}  # defaults filled in
    replaced = api_client.put(RUNNER_PATH, json=runner_profile(session_minutes=30))
    assert replaced.status_code == 200
    assert api_client.get(RUNNER_PATH).json()["session_minutes"] == 30


def test_api_post_creates_a_profile_and_refuses_a_taken_name(api_client: TestClient) -> None:
    created = api_client.post(f"{API}/profiles", json=runner_profile())
    assert created.status_code == 201
    assert created.json() == api_client.get(RUNNER_PATH).json()
    again = api_client.post(f"{API}/profiles", json=runner_profile(session_minutes=30))
    error = api_error(again, 409, "name")
    assert error["type"] == "ConflictError"
    assert api_client.get(RUNNER_PATH).json()["session_minutes"] == 45  # untouched


def test_api_lists_profiles_with_their_active_plan(api_client: TestClient) -> None:
    assert api_client.get(f"{API}/profiles").json() == []


def test_api_lists_every_bad_field_with_its_path(api_client: TestClient) -> None:
    """Issue 10 item 11: the API keeps its field paths, and names every problem at once."""
    body = runner_profile(session_minutes=5)
    del body["level"]
    body["running"] = {"weekly_km": "lots"}
    error = api_error(api_client.post(f"{API}/profiles", json=body), 422, field="level")
    assert [p["field"] for p in error["problems"]] == [
        "level", "session_minutes", "running.weekly_km"]
    assert all(p["message"] for p in error["problems"])
    assert error["problems"][1]["message"] == "Input should be greater than or equal to 10"
    api_client.put(f"{API}/profiles/Ann", json=runner_profile(name="Ann"))
    api_client.put(RUNNER_PATH, json=runner_profile())
    plan = api_client.post(f"{RUNNER_PATH}/plans", json={"weeks": 2})
    assert plan.status_code == 201
    listed = api_client.get(f"{API}/profiles").json()
    assert [p["name"] for p in listed] == ["Ann", RUNNER]
    assert listed[0]["active_plan"] is None
    plans = api_client.get(f"{RUNNER_PATH}/plans").json()
    assert listed[1]["active_plan"] == plans[0]["id"]
    assert set(listed[0]) == {"name", "created_at", "updated_at", "active_plan"}


def test_api_unknown_profile_is_404(api_client: TestClient) -> None:
    error = api_error(api_client.get(f"{API}/profiles/nobody"), 404, "name")
    assert "nobody" in error["message"]


def test_api_name_in_body_must_match_the_path(api_client: TestClient) -> None:
    response = api_client.put(f"{API}/profiles/Someone", json=runner_profile())
    error = api_error(response, 422, "name")
    assert "Someone" in error["message"] and RUNNER in error["message"]
    assert api_client.get(f"{API}/profiles").json() == []


def _without(key: str) -> dict[str, Any]:
    data = runner_profile()
    del data[key]
    return data


def _running(**fields: Any) -> dict[str, Any]:
    data = runner_profile()
    data["running"] = {**data["running"], **fields}
    return data


BAD_PROFILES = [
    pytest.param(runner_profile(level="pro"), "level", "novice", id="level-unknown"),
    pytest.param(runner_profile(level=3), "level", "", id="level-wrong-type"),
    pytest.param(runner_profile(goal="win"), "goal", "", id="goal-unknown"),
    pytest.param(runner_profile(session_minutes=5), "session_minutes", "10", id="minutes-low"),
    pytest.param(runner_profile(session_minutes=91), "session_minutes", "90", id="minutes-high"),
    pytest.param(runner_profile(session_minutes="long"), "session_minutes", "",
                 id="minutes-wrong-type"),
    pytest.param(runner_profile(equipment=["rocket"]), "equipment[0]", "", id="equipment-unknown"),
    pytest.param(runner_profile(equipment=["box", "box"]), "equipment", "more than once",
                 id="equipment-repeated"),
    pytest.param(runner_profile(equipment="box"), "equipment", "", id="equipment-not-a-list"),
    pytest.param(runner_profile(strength_days=[]), "strength_days", "", id="days-empty"),
    pytest.param(runner_profile(strength_days=["someday"]), "strength_days[0]", "",
                 id="days-unknown"),
    pytest.param(_running(weekly_km=-1), "running.weekly_km", "", id="km-negative"),
    pytest.param(_running(weekly_km=401), "running.weekly_km", "", id="km-high"),
    pytest.param(_running(week={"mon": "marathon"}), "running.week.mon", "", id="run-unknown"),
    pytest.param(_running(week={"funday": "easy"}), "running.week.funday", "unknown field",
                 id="run-day-unknown"),
    pytest.param(_running(races=[{"date": "2027-02-30", "name": "R", "priority": "A"}]),
                 "running.races[0].date", "", id="race-bad-date"),
    pytest.param(_running(races=[{"date": "2027-02-01", "name": "R", "priority": "Z"}]),
                 "running.races[0].priority", "", id="race-priority"),
    pytest.param(_running(races=[{"date": "2027-02-01", "priority": "A"}]),
                 "running.races[0].name", "Field required", id="race-missing-name"),
    pytest.param(runner_profile(goal="return_from_strain"), "injury", "hamstring_strain",
                 id="strain-missing"),
    pytest.param(runner_profile(injury={"hamstring_strain": {"date": "2027-01-01",
                                                             "side": "middle"}}),
                 "injury.hamstring_strain.side", "", id="strain-side"),
    pytest.param(runner_profile(name=""), "name", "", id="name-empty"),
    pytest.param(runner_profile(name="x" * 101), "name", "", id="name-long"),
    pytest.param(runner_profile(name="a/b"), "name", "URL", id="name-slash"),
    pytest.param(runner_profile(name=".."), "name", "URL", id="name-dots"),
    pytest.param(runner_profile(colour="red"), "colour", "unknown field", id="unknown-field"),
    pytest.param(_without("level"), "level", "Field required", id="missing-level"),
    pytest.param(_without("name"), "name", "Field required", id="missing-name"),
    pytest.param(["not", "an", "object"], "(top level)", "", id="a-list"),
    pytest.param("profile", "(top level)", "", id="a-string"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD_PROFILES)
def test_api_bad_profile_field_is_422_naming_it(api_client: TestClient, body: Any, field: str,
                                                words: str) -> None:
    for response in (api_client.post(f"{API}/profiles", json=body),
                     api_client.put(RUNNER_PATH, json=body)):
        if field == "name" and response.request.method == "PUT" and body.get("name") in (
                "", "a/b", ".."):
            continue  # PUT: the path names it; covered by the POST
        error = api_error(response, 422)
        assert error["type"] == "ProfileError"
        assert error["field"] in (field, "name")
        if error["field"] == field:
            assert error["message"].startswith(f"profile: {field}: ")
            assert words in error["message"]
    assert api_client.get(f"{API}/profiles").json() == []


def test_api_profile_body_must_be_json(api_client: TestClient) -> None:
    data = "name = 'Test Runner'"
    plain = api_client.put(RUNNER_PATH, content=data, headers={"content-type": "text/plain"})
    assert api_error(plain, 415, "Content-Type")["type"] == "MediaTypeError"
    bare = api_client.post(f"{API}/profiles", content=data)
    api_error(bare, 415, "Content-Type")
    form = api_client.post(f"{API}/profiles", data={"name": RUNNER})
    api_error(form, 415, "Content-Type")


def test_api_malformed_or_missing_json_is_422(api_client: TestClient) -> None:
    broken = api_client.put(RUNNER_PATH, content='{"name": ',
                            headers={"content-type": "application/json"})
    assert api_error(broken, 422)["type"] == "RequestError"
    empty = api_client.put(RUNNER_PATH, headers={"content-type": "application/json"})
    assert api_error(empty, 422)["type"] == "RequestError"
    null = api_client.put(RUNNER_PATH, json=None)
    api_error(null, 422)
