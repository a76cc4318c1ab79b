"""Today, the log and the field tests: content, idempotency, all-or-nothing batches, and
every field of every body validated."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import (
    API,
    RUNNER_PATH,
    WEB_TODAY,
    api_error,
    make_web_app,
    runner_profile,
)

LOG = f"{RUNNER_PATH}/log"
TESTS = f"{RUNNER_PATH}/field-tests"
DAY = WEB_TODAY.isoformat()


def entry(**fields: Any) -> dict[str, Any]:
    """A valid log entry for today, without an id."""
    return {"date": DAY, "duration_min": 30, "session_rpe": 6, "pain": 1,
            "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5},
                     {"exercise": "glute_bridge", "reps": 10, "load_kg": 20, "side": "left"}],
            **fields}


def field_test(**fields: Any) -> dict[str, Any]:
    return {"date": DAY, "kind": "single_leg_bridge", "left": 22, "right": 25, **fields}


def stored(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(LOG)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()
    return found


# -- today ----------------------------------------------------------------------------------

def test_api_today_shows_the_planned_session(api_client_with_plan: TestClient) -> None:
    plan = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    planned = [s for w in plan["weeks"] for s in w["sessions"]]
    first = planned[0]
    shown = api_client_with_plan.get(f"{RUNNER_PATH}/today",
                                     params={"date": first["date"]}).json()
    assert shown["date"] == first["date"]
    assert shown["rest_day"] is False
    assert shown["sessions"] == [first]
    assert shown["logged"] == []
    assert shown["next"] == planned[1]["date"]


def test_api_today_defaults_to_today_and_knows_rest_days(api_client_with_plan: TestClient,
                                                         ) -> None:
    plan = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    days = {s["date"] for w in plan["weeks"] for s in w["sessions"]}
    assert api_client_with_plan.get(f"{RUNNER_PATH}/today").json()["date"] == DAY
    rest = next(WEB_TODAY + timedelta(days=n) for n in range(14)
                if (WEB_TODAY + timedelta(days=n)).isoformat() not in days)
    shown = api_client_with_plan.get(f"{RUNNER_PATH}/today",
                                     params={"date": rest.isoformat()}).json()
    assert shown["rest_day"] is True and shown["sessions"] == [] and shown["next"] > str(rest)


def test_api_today_shows_what_is_logged(api_client_with_plan: TestClient) -> None:
    api_client_with_plan.post(LOG, json=entry(id="done-1"))
    shown = api_client_with_plan.get(f"{RUNNER_PATH}/today").json()
    assert [e["id"] for e in shown["logged"]] == ["done-1"]
    assert shown["rest_day"] is False


@pytest.mark.parametrize("query", [{"date": "tomorrow"}, {"date": "2027-13-01"},
                                   {"date": "0001-01-01"}, {"date": ""}])
def test_api_today_bad_date_is_422(api_client_with_plan: TestClient,
                                   query: dict[str, str]) -> None:
    api_error(api_client_with_plan.get(f"{RUNNER_PATH}/today", params=query), 422, "date")


def test_api_today_needs_a_profile_and_a_plan(api_client: TestClient) -> None:
    api_error(api_client.get(f"{API}/profiles/nobody/today"), 404, "name")
    api_client.put(RUNNER_PATH, json=runner_profile())
    error = api_error(api_client.get(f"{RUNNER_PATH}/today"), 404)
    assert error["type"] == "NoPlanError"


def test_api_today_sees_at_once_what_another_worker_logged(tmp_path: Path) -> None:
    """Two apps on one database, as `hamstride serve --workers 2` runs them: an answer one
    keeps is dropped as soon as the other writes."""
    url = f"sqlite:///{tmp_path}/t.db"
    with TestClient(make_web_app(url)) as writer, TestClient(make_web_app(url)) as reader:
        writer.put(RUNNER_PATH, json=runner_profile())
        writer.post(f"{RUNNER_PATH}/plans", json={"weeks": 4})
        shown = [reader.get(f"{RUNNER_PATH}/today").json() for _ in range(2)]
        assert shown[0] == shown[1] and shown[0]["logged"] == []
        assert writer.post(LOG, json=entry(id="w-1")).status_code == 201
        assert [e["id"] for e in reader.get(f"{RUNNER_PATH}/today").json()["logged"]] == ["w-1"]
        assert writer.delete(f"{LOG}/w-1").status_code == 204
        assert reader.get(f"{RUNNER_PATH}/today").json()["logged"] == []


def test_api_today_forgets_an_entry_deleted_after_the_plan_ended(tmp_path: Path) -> None:
    """No plan is regenerated after its end, and the entry deleted is not the one changed
    last: the answer kept for the day must still go."""
    late = date(2027, 3, 1)
    with TestClient(make_web_app(f"sqlite:///{tmp_path}/t.db", today=late)) as client:
        client.put(RUNNER_PATH, json=runner_profile())
        client.post(f"{RUNNER_PATH}/plans", json={"start": DAY, "weeks": 4})
        client.post(LOG, json=[entry(id="now", date=late.isoformat()),
                               entry(id="before", date="2027-02-27")])
        client.post(LOG, json=entry(id="before", date="2027-02-27", notes="edited last"))
        assert [e["id"] for e in client.get(f"{RUNNER_PATH}/today").json()["logged"]] == ["now"]
        assert client.delete(f"{LOG}/now").status_code == 204
        assert client.get(f"{RUNNER_PATH}/today").json()["logged"] == []


# -- logging --------------------------------------------------------------------------------

def test_api_log_stores_an_entry_and_updates_the_plan(api_client_with_plan: TestClient) -> None:
    before = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    response = api_client_with_plan.post(f"{LOG}?replan=now", json=entry(notes="felt good"))
    assert response.status_code == 201
    result = response.json()
    assert len(result["inserted"]) == 1 and result["updated"] == result["unchanged"] == []
    assert result["plan_updated"] is True and result["note"] == ""
    [saved] = stored(api_client_with_plan)
    assert saved["id"] == result["inserted"][0]
    assert saved["notes"] == "felt good" and saved["session_rpe"] == 6
    assert [s["exercise"] for s in saved["sets"]] == ["nordic_hamstring_curl", "glute_bridge"]
    assert saved["sets"][1]["side"] == "left" and saved["sets"][1]["load_kg"] == 20
    assert api_client_with_plan.get(f"{RUNNER_PATH}/plan").json() != before


def test_api_log_defers_the_replan_to_the_next_read(api_client_with_plan: TestClient) -> None:
    before = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    result = api_client_with_plan.post(LOG, json=entry()).json()
    assert result["plan_updated"] is False and "next read" in result["note"]
    after = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    assert after != before and "continues" in after


def test_api_same_entry_twice_stores_one_row(api_client_with_plan: TestClient) -> None:
    first = api_client_with_plan.post(LOG, json=entry())
    again = api_client_with_plan.post(LOG, json=entry())
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["unchanged"] == first.json()["inserted"]
    assert again.json()["plan_updated"] is False
    assert len(stored(api_client_with_plan)) == 1
    twice = api_client_with_plan.post(LOG, json=[entry(notes="x"), entry(notes="x")])
    assert twice.status_code == 201
    assert len(stored(api_client_with_plan)) == 2


def test_api_idempotency_key_becomes_the_entry_id(api_client_with_plan: TestClient) -> None:
    headers = {"Idempotency-Key": "phone-2027-01-04.1"}
    first = api_client_with_plan.post(LOG, json=entry(), headers=headers)
    assert first.json()["inserted"] == ["phone-2027-01-04.1"]
    retried = api_client_with_plan.post(LOG, json=entry(), headers=headers)
    assert retried.status_code == 200 and retried.json()["unchanged"] == ["phone-2027-01-04.1"]
    edited = api_client_with_plan.post(LOG, json=entry(session_rpe=8), headers=headers)
    assert edited.status_code == 200 and edited.json()["updated"] == ["phone-2027-01-04.1"]
    [saved] = stored(api_client_with_plan)
    assert saved["id"] == "phone-2027-01-04.1" and saved["session_rpe"] == 8


def test_api_idempotency_key_gives_way_to_an_id_and_to_lists(api_client_with_plan: TestClient,
                                                             ) -> None:
    headers = {"Idempotency-Key": "key-1"}
    own = api_client_with_plan.post(LOG, json=entry(id="own-1"), headers=headers)
    assert own.json()["inserted"] == ["own-1"]
    listed = api_client_with_plan.post(LOG, json=[entry(notes="b")], headers=headers)
    assert listed.json()["inserted"] != ["key-1"]
    assert "key-1" not in {e["id"] for e in stored(api_client_with_plan)}


@pytest.mark.parametrize("key", ["", "-starts-with-dash", "has space", "x" * 65, "é".encode()])
def test_api_bad_idempotency_key_is_422_naming_the_header(api_client_with_plan: TestClient,
                                                          key: str | bytes) -> None:
    response = api_client_with_plan.post(LOG, json=entry(), headers={"Idempotency-Key": key})
    api_error(response, 422, "Idempotency-Key")
    assert stored(api_client_with_plan) == []


def test_api_a_list_with_one_bad_entry_stores_nothing(api_client_with_plan: TestClient) -> None:
    body = [entry(id="good-1"), entry(id="good-2", date="2027-01-03"),
            entry(id="bad-3", sets=[{"exercise": "glute_bridge", "reps": 5, "hold_s": 10}])]
    error = api_error(api_client_with_plan.post(LOG, json=body), 422, "entries[2].sets[0]")
    assert error["type"] == "LogError"
    assert error["message"].startswith("entries[2]: ")
    assert stored(api_client_with_plan) == []
    future = [entry(id="good-1"), entry(id="later", date="2027-01-05")]
    api_error(api_client_with_plan.post(LOG, json=future), 422, "entries[1].date")
    unknown = [entry(id="good-1"), entry(sets=[{"exercise": "nordic", "reps": 5}])]
    api_error(api_client_with_plan.post(LOG, json=unknown), 422, "entries[1].sets[0].exercise")
    assert stored(api_client_with_plan) == []


def _set(**fields: Any) -> dict[str, Any]:
    return entry(sets=[{"exercise": "glute_bridge", "reps": 8, **fields}])


BAD_ENTRIES = [
    pytest.param(entry(date="yesterday"), "date", id="date-text"),
    pytest.param(entry(date="2027-02-29"), "date", id="date-no-such-day"),
    pytest.param(entry(date="2027-01-05"), "date", id="date-future"),
    pytest.param(entry(duration_min=-1), "duration_min", id="duration-negative"),
    pytest.param(entry(duration_min=601), "duration_min", id="duration-high"),
    pytest.param(entry(duration_min="long"), "duration_min", id="duration-text"),
    pytest.param(entry(session_rpe=11), "session_rpe", id="rpe-high"),
    pytest.param(entry(pain=-1), "pain", id="pain-negative"),
    pytest.param(entry(pain=2.5), "pain", id="pain-fraction"),
    pytest.param(entry(morning_pain=11), "morning_pain", id="morning-pain-high"),
    pytest.param(entry(notes="x" * 2001), "notes", id="notes-long"),
    pytest.param(entry(notes=5), "notes", id="notes-number"),
    pytest.param(entry(id="bad id"), "id", id="id-pattern"),
    pytest.param(entry(sets="all"), "sets", id="sets-text"),
    pytest.param(entry(sets=[{"exercise": "glute_bridge"}] * 201), "sets", id="sets-too-many"),
    pytest.param(_set(exercise="nordic"), "sets[0].exercise", id="set-unknown-exercise"),
    pytest.param(_set(exercise="Not An Id"), "sets[0].exercise", id="set-exercise-pattern"),
    pytest.param(_set(reps=-1), "sets[0].reps", id="set-reps-negative"),
    pytest.param(_set(reps="ten"), "sets[0].reps", id="set-reps-text"),
    pytest.param(_set(hold_s=30), "sets[0]", id="set-reps-and-hold"),
    pytest.param(_set(reps=None), "sets[0]", id="set-no-measure"),
    pytest.param(_set(hold_s=None, reps=None, load_kg=5), "sets[0]", id="set-load-only"),
    pytest.param(_set(load_kg=501), "sets[0].load_kg", id="set-load-high"),
    pytest.param(_set(band="purple"), "sets[0].band", id="set-band"),
    pytest.param(_set(band="red", load_kg=5), "sets[0]", id="set-band-and-load"),
    pytest.param(_set(side="middle"), "sets[0].side", id="set-side"),
    pytest.param(_set(rpe=10.5), "sets[0].rpe", id="set-rpe"),
    pytest.param(_set(pain=11), "sets[0].pain", id="set-pain"),
    pytest.param(_set(tempo="3-1-1"), "sets[0].tempo", id="set-unknown-field"),
    pytest.param(entry(mood="great"), "mood", id="unknown-field"),
    pytest.param({"sets": []}, "date", id="missing-date"),
    pytest.param("ran", "(top level)", id="a-string"),
    pytest.param(7, "(top level)", id="a-number"),
]


@pytest.mark.parametrize(("body", "field"), BAD_ENTRIES)
def test_api_bad_log_entry_is_422_naming_the_field(api_client_with_plan: TestClient, body: Any,
                                                   field: str) -> None:
    single = api_error(api_client_with_plan.post(LOG, json=body), 422, field)
    assert single["type"] == "LogError"
    listed = api_client_with_plan.post(LOG, json=[entry(id="ok-1"), body])
    expected = "entries[1]" if field == "(top level)" else f"entries[1].{field}"
    api_error(listed, 422, expected)
    assert stored(api_client_with_plan) == []


@pytest.mark.parametrize(("body", "field"), [
    pytest.param([], "entries", id="empty-list"),
    pytest.param([entry()] * 1001, "entries", id="too-many"),
])
def test_api_bad_log_batch_is_422(api_client_with_plan: TestClient, body: Any,
                                  field: str) -> None:
    api_error(api_client_with_plan.post(LOG, json=body), 422, field)


def test_api_log_without_a_plan_stores_and_says_so(api_client: TestClient) -> None:
    api_client.put(RUNNER_PATH, json=runner_profile())
    response = api_client.post(LOG, json=entry())
    assert response.status_code == 201
    assert response.json()["plan_updated"] is False and "no plan" in response.json()["note"]
    assert len(stored(api_client)) == 1


def test_api_log_body_must_be_json(api_client_with_plan: TestClient) -> None:
    plain = api_client_with_plan.post(LOG, content="squats", headers={"content-type": "text/csv"})
    api_error(plain, 415, "Content-Type")
    broken = api_client_with_plan.post(LOG, content="[{", headers={"content-type":
                                                                   "application/json"})
    api_error(broken, 422)
    api_error(api_client_with_plan.post(LOG), 422)
    assert stored(api_client_with_plan) == []


def test_api_log_unknown_profile_is_404(api_client: TestClient) -> None:
    api_error(api_client.post(f"{API}/profiles/nobody/log", json=entry()), 404, "name")
    bad = entry(session_rpe=11)  # an unknown profile is 404 before a bad entry is 422
    api_error(api_client.post(f"{API}/profiles/nobody/log", json=[bad]), 404, "name")
    api_error(api_client.post(f"{API}/profiles/nobody/log", json=[]), 404, "name")
    api_error(api_client.post(f"{API}/profiles/nobody/log?replan=now", json=entry()), 404,
              "name")
    api_error(api_client.get(f"{API}/profiles/nobody/log"), 404, "name")


# -- reading, deleting, morning pain ------------------------------------------------------

def test_api_read_log_between_dates(api_client_with_plan: TestClient) -> None:
    days = ["2026-12-30", "2027-01-01", "2027-01-03"]
    api_client_with_plan.post(LOG, json=[entry(id=f"e{n}", date=d) for n, d in enumerate(days)])
    assert [e["date"] for e in stored(api_client_with_plan)] == days
    window = api_client_with_plan.get(LOG, params={"since": "2027-01-01", "until": "2027-01-02"})
    assert [e["id"] for e in window.json()] == ["e1"]
    since = api_client_with_plan.get(LOG, params={"since": "2027-01-01"}).json()
    assert [e["id"] for e in since] == ["e1", "e2"]


@pytest.mark.parametrize(("query", "field"), [
    ({"since": "new year"}, "since"), ({"until": "2027-1-1x"}, "until"),
    ({"since": "2027-01-03", "until": "2027-01-01"}, "until"),
])
def test_api_read_log_bad_dates_are_422(api_client_with_plan: TestClient,
                                        query: dict[str, str], field: str) -> None:
    api_error(api_client_with_plan.get(LOG, params=query), 422, field)


def test_api_delete_log_entry(api_client_with_plan: TestClient) -> None:
    api_client_with_plan.post(LOG, json=[entry(id="keep"), entry(id="drop", notes="x")])
    response = api_client_with_plan.delete(f"{LOG}/drop")
    assert response.status_code == 204 and response.content == b""
    assert [e["id"] for e in stored(api_client_with_plan)] == ["keep"]
    api_error(api_client_with_plan.delete(f"{LOG}/drop"), 404, "entry_id")
    api_error(api_client_with_plan.delete(f"{LOG}/bad%20id"), 422, "entry_id")


def test_api_morning_pain_is_recorded_on_the_entry(api_client_with_plan: TestClient) -> None:
    api_client_with_plan.post(LOG, json=entry(id="mon"))
    response = api_client_with_plan.put(f"{LOG}/mon/morning", json={"pain": 4})
    assert response.status_code == 200
    assert response.json()["id"] == "mon" and response.json()["morning_pain"] == 4
    assert stored(api_client_with_plan)[0]["morning_pain"] == 4
    resent = api_client_with_plan.post(LOG, json=entry(id="mon"))  # sent again: pain kept
    assert resent.json()["unchanged"] == ["mon"]
    assert stored(api_client_with_plan)[0]["morning_pain"] == 4
    api_error(api_client_with_plan.put(f"{LOG}/nope/morning", json={"pain": 1}), 404,
              "entry_id")


@pytest.mark.parametrize(("body", "field"), [
    ({"pain": 11}, "pain"), ({"pain": -1}, "pain"), ({"pain": "sore"}, "pain"),
    ({"pain": 2.5}, "pain"), ({}, "pain"), ({"pain": 1, "when": "am"}, "when"),
    ([1], "(request)"),
])
def test_api_bad_morning_pain_is_422(api_client_with_plan: TestClient, body: Any,
                                     field: str) -> None:
    api_client_with_plan.post(LOG, json=entry(id="mon"))
    api_error(api_client_with_plan.put(f"{LOG}/mon/morning", json=body), 422, field)
    assert stored(api_client_with_plan)[0]["morning_pain"] is None


# -- field tests ----------------------------------------------------------------------------

def test_api_field_tests_are_recorded_once(api_client_with_plan: TestClient) -> None:
    first = api_client_with_plan.post(TESTS, json=field_test())
    assert first.status_code == 201 and first.json()["recorded"] == 1
    again = api_client_with_plan.post(TESTS, json=[field_test()])
    assert again.status_code == 200 and again.json() == {"ids": first.json()["ids"],
                                                         "recorded": 0}
    keyed = api_client_with_plan.post(TESTS, json=field_test(left=30),
                                      headers={"Idempotency-Key": "t-key"})
    assert keyed.json()["ids"] == ["t-key"]
    saved = api_client_with_plan.get(TESTS).json()
    assert sorted(t["id"] for t in saved) == sorted([*first.json()["ids"], "t-key"])
    assert {t["left"] for t in saved} == {22, 30}


@pytest.mark.parametrize(("body", "field"), [
    pytest.param(field_test(kind="plank"), "kind", id="kind"),
    pytest.param(field_test(left=-1), "left", id="left-negative"),
    pytest.param(field_test(right="many"), "right", id="right-text"),
    pytest.param(field_test(left=500), "(top level)", id="implausible"),
    pytest.param(field_test(date="2027-01-05"), "date", id="date-future"),
    pytest.param(field_test(date="someday"), "date", id="date-text"),
    pytest.param(field_test(extra=1), "extra", id="unknown-field"),
    pytest.param({"date": DAY, "left": 1, "right": 1}, "kind", id="missing-kind"),
])
def test_api_bad_field_test_is_422_and_stores_nothing(api_client_with_plan: TestClient,
                                                      body: Any, field: str) -> None:
    single = api_error(api_client_with_plan.post(TESTS, json=body), 422)
    assert single["field"] == field
    listed = api_client_with_plan.post(TESTS, json=[field_test(), body])
    expected = "entries[1]" if field == "(top level)" else f"entries[1].{field}"
    api_error(listed, 422, expected)
    assert api_client_with_plan.get(TESTS).json() == []


def test_api_field_tests_unknown_profile_is_404(api_client: TestClient) -> None:
    api_error(api_client.post(f"{API}/profiles/nobody/field-tests", json=field_test()), 404)
    api_error(api_client.get(f"{API}/profiles/nobody/field-tests"), 404, "name")


def test_api_today_carries_the_return_stage_after_a_strain(api_client: TestClient) -> None:
    strain = {"hamstring_strain": {"date": (WEB_TODAY - timedelta(days=5)).isoformat(),
                                   "side": "left"}}
    profile = runner_profile(goal="return_from_strain", injury=strain)
    assert api_client.put(RUNNER_PATH, json=profile).status_code == 201
    assert api_client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4}).status_code == 201
    shown = api_client.get(f"{RUNNER_PATH}/today").json()["return_stage"]
    assert shown["stage"] == "protect" and shown["heavy_from"] is None
    assert "long" in shown["keep_easy"] and "intervals" in shown["keep_easy"]
    tests = [field_test(kind="self_check", left=0, right=0),
             field_test(kind="single_leg_bridge", left=18, right=20)]
    assert api_client.post(f"{RUNNER_PATH}/field-tests", json=tests).status_code == 201
    bouts = [entry(date=(WEB_TODAY - timedelta(days=n)).isoformat(), pain=0, morning_pain=0,
                   sets=[{"exercise": "askling_extender", "reps": 12}]) for n in (1, 2, 3)]
    assert api_client.post(LOG, json=bouts).status_code == 201
    later = api_client.get(f"{RUNNER_PATH}/today").json()["return_stage"]
    assert later["stage"] == "speed"
    assert later["heavy_from"] == (WEB_TODAY + timedelta(days=14)).isoformat()
    plan = api_client.get(f"{RUNNER_PATH}/plan").json()
    assert plan["continues"]["return_state"] == {"stage": "speed",
                                                 "heavy_from": later["heavy_from"]}
    nordic_days = [s["date"] for w in plan["weeks"] for s in w["sessions"]
                   if any(i["exercise"] == "nordic_hamstring_curl" for i in s["items"])]
    assert nordic_days and min(nordic_days) >= later["heavy_from"]


def test_api_today_without_a_strain_has_no_return_stage(
        api_client_with_plan: TestClient) -> None:
    assert api_client_with_plan.get(f"{RUNNER_PATH}/today").json()["return_stage"] is None
