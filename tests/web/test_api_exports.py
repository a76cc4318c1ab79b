"""Exports: the plan as iCalendar, the log as CSV and JSON."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from hamstride.training.dose_text import duration, spoken, tempo_words
from hamstride.training.plan import Item
from tests.web.conftest import API, RUNNER_PATH, api_error, runner_profile

ICS = f"{RUNNER_PATH}/calendar.ics"
CSV_HEADER = ("id,date,duration_min,session_rpe,pain,morning_pain,notes,exercise,reps,hold_s,"
              "load_kg,band,side,rpe,set_pain")


def _events(client: TestClient) -> list[Any]:
    response = client.get(ICS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_api_calendar_has_one_event_per_planned_session(api_client_with_plan: TestClient,
                                                        ) -> None:
    plan = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    events = _events(api_client_with_plan)
    assert len(events) == len(sessions) > 0
    for event, session in zip(events, sessions, strict=True):
        assert str(event["SUMMARY"]) == session["title"]
        start = event.decoded("DTSTART")
        assert isinstance(start, date) and start.isoformat() == session["date"]
        assert event.decoded("DTEND") == start + timedelta(days=1)  # all day
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_api_calendar_description_lists_each_item(api_client_with_plan: TestClient) -> None:
    plan = api_client_with_plan.get(f"{RUNNER_PATH}/plan").json()
    exercises = {e["id"]: e["name"] for e in api_client_with_plan.get(f"{API}/exercises").json()}
    session = plan["weeks"][0]["sessions"][0]
    description = str(_events(api_client_with_plan)[0]["DESCRIPTION"])
    for item in session["items"]:
        line = next(x for x in description.splitlines()
                    if x.startswith(f"- {exercises[item['exercise']]}: "))
        assert line.split(": ", 1)[1].startswith(spoken(Item.model_validate(item)))
        if item["tempo"]:
            assert f"tempo {tempo_words(item['tempo'])}" in line
        if item["rest_s"]:
            assert f"rest {duration(item['rest_s'])}" in line
        if item["per_side"]:
            assert "each side" in line
        if item["notes"]:
            assert f"  {item['notes']}" in description.splitlines()
    assert f"about {session['estimated_minutes']:.0f} min" in description


def test_api_calendar_uids_are_stable(api_client_with_plan: TestClient) -> None:
    first = [str(e["UID"]) for e in _events(api_client_with_plan)]
    assert [str(e["UID"]) for e in _events(api_client_with_plan)] == first
    api_client_with_plan.post(f"{RUNNER_PATH}/plans", json={"weeks": 4})  # the same plan anew
    assert [str(e["UID"]) for e in _events(api_client_with_plan)] == first


def test_api_calendar_download_is_an_attachment(api_client_with_plan: TestClient) -> None:
    assert "content-disposition" not in api_client_with_plan.get(ICS).headers
    download = api_client_with_plan.get(ICS, params={"download": 1})
    assert download.headers["content-disposition"] == (
        'attachment; filename="hamstride-Test-Runner.ics"')
    api_error(api_client_with_plan.get(ICS, params={"download": "perhaps"}), 422, "download")


def test_api_calendar_needs_a_profile_and_a_plan(api_client: TestClient) -> None:
    api_error(api_client.get(f"{API}/profiles/nobody/calendar.ics"), 404, "name")
    api_client.put(RUNNER_PATH, json=runner_profile())
    assert api_error(api_client.get(ICS), 404)["type"] == "NoPlanError"


LOGGED = [
    {"id": "a", "date": "2027-01-02", "duration_min": 30, "session_rpe": 6, "pain": 1,
     "notes": 'sore, "a bit"\nnext line',
     "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5, "rpe": 8},
              {"exercise": "glute_bridge", "hold_s": 30, "band": "red", "side": "left",
               "pain": 2}]},
    {"id": "b", "date": "2027-01-03", "notes": "rest day walk"},
]


def test_api_log_csv_has_one_row_per_set(api_client_with_plan: TestClient) -> None:
    api_client_with_plan.post(f"{RUNNER_PATH}/log", json=LOGGED)
    api_client_with_plan.put(f"{RUNNER_PATH}/log/a/morning", json={"pain": 3})
    response = api_client_with_plan.get(f"{RUNNER_PATH}/log.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.text.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["id"], r["exercise"]) for r in rows] == [
        ("a", "nordic_hamstring_curl"), ("a", "glute_bridge"), ("b", "")]
    first, second, walk = rows
    assert first["reps"] == "5" and first["hold_s"] == "" and first["rpe"] == "8.0"
    assert first["notes"] == 'sore, "a bit"\nnext line' and first["morning_pain"] == "3"
    assert second["hold_s"] == "30" and second["band"] == "red" and second["side"] == "left"
    assert second["set_pain"] == "2" and second["session_rpe"] == "6.0"
    assert walk["notes"] == "rest day walk" and walk["reps"] == walk["side"] == ""


def test_api_log_json_is_the_log_as_a_download(api_client_with_plan: TestClient) -> None:
    api_client_with_plan.post(f"{RUNNER_PATH}/log", json=LOGGED)
    response = api_client_with_plan.get(f"{RUNNER_PATH}/log.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        'attachment; filename="hamstride-Test-Runner-log.json"')
    documents = response.json()
    assert documents == api_client_with_plan.get(f"{RUNNER_PATH}/log").json()
    assert [d["id"] for d in documents] == ["a", "b"]
    again = api_client_with_plan.post(f"{RUNNER_PATH}/log", json=documents)  # it round-trips
    assert again.json()["unchanged"] == ["a", "b"]


@pytest.mark.parametrize("export", ["log.csv", "log.json"])
def test_api_log_exports_of_an_empty_log_and_an_unknown_profile(api_client: TestClient,
                                                                export: str) -> None:
    api_error(api_client.get(f"{API}/profiles/nobody/{export}"), 404, "name")
    api_client.put(RUNNER_PATH, json=runner_profile())
    response = api_client.get(f"{RUNNER_PATH}/{export}")
    assert response.status_code == 200
    if export == "log.csv":
        assert response.text.splitlines() == [CSV_HEADER]
    else:
        assert response.json() == []


def test_api_export_file_names_are_safe(api_client: TestClient) -> None:
    name = "Zoë 李"
    api_client.put(f"{API}/profiles/Zo%C3%AB%20%E6%9D%8E", json=runner_profile(name=name))
    listed = api_client.get(f"{API}/profiles").json()
    assert [p["name"] for p in listed] == [name]
    response = api_client.get(f"{API}/profiles/Zo%C3%AB%20%E6%9D%8E/log.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'attachment; filename="hamstride-Zo-log.csv"')
