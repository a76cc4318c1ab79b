"""The whole API flow on every database backend (SQLite, and PostgreSQL when
HAMSTRIDE_TEST_PG_URL is set): profile, plan, today, log, morning pain, field test,
progress, exports, delete."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.web.conftest import API, RUNNER, RUNNER_PATH, make_web_app, runner_profile


def test_api_whole_flow_on_each_backend(db_url: str) -> None:
    with TestClient(make_web_app(db_url)) as client:
        assert client.post(f"{API}/profiles", json=runner_profile()).status_code == 201
        assert client.post(f"{API}/profiles", json=runner_profile()).status_code == 409
        plan = client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4})
        assert plan.status_code == 201
        today = client.get(f"{RUNNER_PATH}/today").json()
        session = today["sessions"][0]
        sets = [{"exercise": i["exercise"], "reps": 5} for i in session["items"][1:3]]
        entry = {"date": today["date"], "session_rpe": 6, "sets": sets}
        key = {"Idempotency-Key": "flow-1"}
        logged = client.post(f"{RUNNER_PATH}/log?replan=now", json=entry, headers=key)
        assert logged.status_code == 201 and logged.json()["inserted"] == ["flow-1"]
        assert logged.json()["plan_updated"] is True
        assert client.post(f"{RUNNER_PATH}/log", json=entry, headers=key).status_code == 200
        bad = client.post(f"{RUNNER_PATH}/log", json=[{**entry, "id": "flow-2"},
                                                      {**entry, "pain": 11}])
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "entries[1].pain"
        assert [e["id"] for e in client.get(f"{RUNNER_PATH}/log").json()] == ["flow-1"]
        morning = client.put(f"{RUNNER_PATH}/log/flow-1/morning", json={"pain": 2})
        assert morning.json()["morning_pain"] == 2
        test = {"date": today["date"], "kind": "nordic_angle", "left": 50, "right": 55}
        assert client.post(f"{RUNNER_PATH}/field-tests", json=test).status_code == 201
        assert len(client.get(f"{RUNNER_PATH}/field-tests").json()) == 1
        plans = client.get(f"{RUNNER_PATH}/plans").json()
        # the morning pain regenerated the plan again; the superseded regeneration is gone
        assert [p["regenerated"] for p in plans] == [True, False]
        assert client.get(f"{API}/profiles").json()[0]["active_plan"] == plans[0]["id"]
        report = client.get(f"{RUNNER_PATH}/progress", params={"weeks": 4}).json()
        assert report["adherence"]["done"] == 1
        assert report["asymmetry"]["tests"]
        assert client.get(f"{RUNNER_PATH}/progress.svg").content.lstrip().startswith(b"<")
        events = Calendar.from_ical(client.get(f"{RUNNER_PATH}/calendar.ics").content)
        assert len(list(events.walk("VEVENT"))) > 0
        rows = list(csv.DictReader(io.StringIO(client.get(f"{RUNNER_PATH}/log.csv").text)))
        assert len(rows) == 2 and {r["id"] for r in rows} == {"flow-1"}
        assert client.delete(f"{RUNNER_PATH}/log/flow-1").status_code == 204
        assert client.get(f"{RUNNER_PATH}/log.json").json() == []
        assert client.get(RUNNER_PATH).json()["name"] == RUNNER
