"""The runs endpoints: upload, list, correct a kind, load, the learned week, FIT workouts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fastapi.testclient import TestClient

from hamstride.activities.strava import ACTIVITY_DATE, ACTIVITY_TYPE, ELAPSED_TIME_S, FILENAME
from hamstride.store import Store
from hamstride.training.activity import Sport
from hamstride.web.api import runs as runs_api
from tests.activities.sample_files import (
    START,
    FitSpec,
    Leg,
    Row,
    csv_text,
    fit_file,
    gz,
    strava_header,
    write_export_zip,
)
from tests.training.test_runs import reps, run
from tests.web.conftest import RUNNER, RUNNER_PATH, WEB_TODAY, api_error

ACTIVITIES = f"{RUNNER_PATH}/activities"


def _fit(hours_later: int = 0) -> bytes:
    return fit_file(FitSpec(legs=(Leg(start=START + timedelta(hours=hours_later)),)))


def _upload(client: TestClient, *files: tuple[str, bytes]) -> dict[str, Any]:
    response = client.post(ACTIVITIES, files=[("files", (n, d)) for n, d in files])
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def test_api_runs_upload_reports_each_file(api_client_with_plan: TestClient) -> None:
    body = _upload(api_client_with_plan, ("a.fit", _fit()), ("b.fit.gz", gz(_fit(5))),
                   ("broken.fit", _fit()[:50]), ("notes.txt", b"hello"))
    by_name = {r["path"]: r for r in body["results"]}
    assert by_name["a.fit"]["status"] == by_name["b.fit.gz"]["status"] == "imported"
    assert by_name["broken.fit"]["status"] == "skipped" and by_name["broken.fit"]["reason"]
    assert by_name["notes.txt"]["status"] == "skipped"
    assert body["counts"] == {"imported": 2, "duplicate": 0, "skipped": 2}
    again = _upload(api_client_with_plan, ("copy.fit", _fit()))
    assert [r["status"] for r in again["results"]] == ["duplicate"]
    listed = api_client_with_plan.get(ACTIVITIES).json()
    assert [a["id"] for a in listed] == [by_name["a.fit"]["activity_id"],
                                         by_name["b.fit.gz"]["activity_id"]]
    first = listed[0]
    assert {"id", "sport", "start", "duration_s", "moving_s", "distance_m",
            "elevation_gain_m", "avg_hr", "kind"} <= set(first)
    assert first["sport"] == "running" and first["start"].endswith("+00:00")
    assert first["kind"] in {"easy", "long", "intervals", "tempo", "hills", "race"}


def test_api_runs_upload_reads_a_strava_export_zip(api_client_with_plan: TestClient,
                                                   tmp_path: Path) -> None:
    rows = [Row({ACTIVITY_DATE: "May 1, 2024, 7:00:00 AM", ACTIVITY_TYPE: "Run",
                 ELAPSED_TIME_S: "600", FILENAME: "activities/1.fit.gz"}),
            Row({ACTIVITY_DATE: "May 3, 2024, 6:00:00 PM", ACTIVITY_TYPE: "Ride",
                 ELAPSED_TIME_S: "3600"})]
    archive = write_export_zip(tmp_path / "export.zip", csv_text(strava_header(99), rows),
                               {"activities/1.fit.gz": gz(_fit())})
    body = _upload(api_client_with_plan, ("export.zip", archive.read_bytes()))
    assert [r["status"] for r in body["results"]] == ["imported", "imported"]
    sports = [a["sport"] for a in api_client_with_plan.get(ACTIVITIES).json()]
    assert sports == ["running", "cycling"]


def test_api_runs_upload_refuses_bad_requests(api_client_with_plan: TestClient,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    api_error(api_client_with_plan.post(ACTIVITIES, files={"other": ("a.fit", b"x")}), 422)
    monkeypatch.setattr(runs_api, "MAX_FILES", 1)
    api_error(api_client_with_plan.post(ACTIVITIES, files=[("files", ("a.fit", _fit())),
                                                           ("files", ("b.fit", _fit(3)))]),
              422, "files")
    api_error(api_client_with_plan.post("/api/v1/profiles/nobody/activities",
                                        files=[("files", ("a.fit", _fit()))]), 404, "name")
    assert api_client_with_plan.get(ACTIVITIES).json() == []


def test_api_runs_upload_skips_a_file_over_the_limit(api_client_with_plan: TestClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs_api, "MAX_UPLOAD_BYTES", 100)
    body = _upload(api_client_with_plan, ("a.fit", _fit()))
    assert body["results"][0]["status"] == "skipped"
    assert "larger than" in body["results"][0]["reason"]


def _seed_weeks(client: TestClient) -> list[str]:
    """Six weeks of Monday easy, Wednesday intervals, Sunday long before WEB_TODAY."""
    found = []
    for n in range(1, 7):
        monday = WEB_TODAY - timedelta(weeks=n)
        found += [run(monday, km=8, minutes=45),
                  run(monday + timedelta(days=2), km=8, minutes=40, laps=reps(6)),
                  run(monday + timedelta(days=6), km=26, minutes=150)]
    found.append(run(WEB_TODAY - timedelta(days=3), sport=Sport.CYCLING))
    _store(client).save_activities(profile_name=RUNNER, activities=found, label="seed")
    return [a.id for a in found]


def test_api_runs_kind_correction(api_client_with_plan: TestClient) -> None:
    ids = _seed_weeks(api_client_with_plan)
    url = f"{ACTIVITIES}/{ids[0]}/kind"
    body = api_client_with_plan.put(url, json={"kind": "tempo"}).json()
    assert (body["kind"], body["corrected"]) == ("tempo", True)
    assert isinstance(body["plan_changes"], list)
    body = api_client_with_plan.put(url, json={"kind": None}).json()
    assert (body["kind"], body["corrected"]) == ("easy", False)
    api_error(api_client_with_plan.put(url, json={"kind": "rest"}), 422, "kind")
    api_error(api_client_with_plan.put(url, json={"kind": "fast"}), 422, "kind")
    api_error(api_client_with_plan.put(url, json={"kind": "easy", "x": 1}), 422, "x")
    api_error(api_client_with_plan.put(url, content=b"kind=easy",
                                       headers={"content-type": "text/plain"}), 415)
    api_error(api_client_with_plan.put(f"{ACTIVITIES}/{ids[-1]}/kind", json={"kind": "easy"}),
              422, "id")
    api_error(api_client_with_plan.put(f"{ACTIVITIES}/a-nope/kind", json={"kind": "easy"}),
              404, "id")


def test_api_runs_running_week_and_load(api_client_with_plan: TestClient) -> None:
    assert api_client_with_plan.get(f"{RUNNER_PATH}/running-week").json() == {
        "learned": None, "changes": []}
    _seed_weeks(api_client_with_plan)
    week = api_client_with_plan.get(f"{RUNNER_PATH}/running-week").json()
    assert week["learned"]["week"]["wed"] == "intervals"
    assert week["learned"]["week"]["sun"] == "long"
    assert any(c.startswith("Wednesday is now intervals") for c in week["changes"])
    load = api_client_with_plan.get(f"{RUNNER_PATH}/load", params={"weeks": 4}).json()
    assert load["schema"] == "hamstride.load/1"
    assert [w["runs"] for w in load["weekly"][:3]] == [3, 3, 3]
    assert load["weekly"][-2]["other_activities"] == 1
    assert "disputed" in load["caveat"]
    png = api_client_with_plan.get(f"{RUNNER_PATH}/load.png", params={"weeks": 4})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    svg = api_client_with_plan.get(f"{RUNNER_PATH}/load.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [("load", {"weeks": 0}, 422, "weeks"), ("load", {"rest_hr": 10}, 422, "rest_hr"),
     ("load", {"max_hr": 300}, 422, "max_hr"), ("load", {"date": "2027-13-01"}, 422, "date"),
     ("load.gif", {}, 404, "fmt"), ("running-week", {"date": "x"}, 422, "date")],
)
def test_api_runs_refuses_bad_parameters(api_client_with_plan: TestClient, path: str,
                                         params: dict[str, Any], status: int,
                                         field: str) -> None:
    api_error(api_client_with_plan.get(f"{RUNNER_PATH}/{path}", params=params), status, field)


def _first_session_day(client: TestClient) -> str:
    plan = client.get(f"{RUNNER_PATH}/plan").json()
    day: str = plan["weeks"][0]["sessions"][0]["date"]
    return day


def test_api_runs_workout_fit_decodes(api_client_with_plan: TestClient) -> None:
    day = _first_session_day(api_client_with_plan)
    response = api_client_with_plan.get(f"{RUNNER_PATH}/sessions/{day}/workout.fit")
    assert response.status_code == 200
    assert f'filename="{day}-hamstride.fit"' in response.headers["content-disposition"]
    names = []
    with fitdecode.FitReader(io.BytesIO(response.content)) as reader:
        names = [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    assert names.count("workout") == 1 and names.count("workout_step") > 2


def test_api_runs_workout_fit_refuses_days_without_a_session(
    api_client_with_plan: TestClient
) -> None:
    day = _first_session_day(api_client_with_plan)
    api_error(api_client_with_plan.get(f"{RUNNER_PATH}/sessions/{day}/workout.fit",
                                       params={"n": 3}), 404, "day")
    api_error(api_client_with_plan.get(f"{RUNNER_PATH}/sessions/2031-01-01/workout.fit"),
              404, "day")
    api_error(api_client_with_plan.get(f"{RUNNER_PATH}/sessions/soon/workout.fit"), 422, "day")


def test_api_runs_workout_fit_needs_a_plan(api_client: TestClient) -> None:
    from tests.web.conftest import runner_profile

    assert api_client.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    api_error(api_client.get(f"{RUNNER_PATH}/sessions/2027-01-05/workout.fit"), 404, "plan")


@pytest.mark.parametrize("kind", ["application/json", "text/plain", None])
def test_api_runs_upload_needs_multipart(api_client_with_plan: TestClient,
                                         kind: str | None) -> None:
    headers = {} if kind is None else {"content-type": kind}
    response = api_client_with_plan.post(ACTIVITIES, content=b'{"files": []}',
                                         headers=headers)
    assert api_error(response, 415, "Content-Type")["type"] == "MediaTypeError"
