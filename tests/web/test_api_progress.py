"""Progress: the report document and the chart as real PNG and SVG."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import API, RUNNER_PATH, WEB_TODAY, api_error, runner_profile

PROGRESS = f"{RUNNER_PATH}/progress"


def _log_the_first_session(client: TestClient) -> str:
    plan = client.get(f"{RUNNER_PATH}/plan").json()
    session = plan["weeks"][0]["sessions"][0]
    sets = [{"exercise": i["exercise"], "side": "both",
             **({"reps": i["sets"][0]["reps"]} if "reps" in i["sets"][0]
                else {"hold_s": i["sets"][0]["hold_s"]})} for i in session["items"]]
    body = {"date": session["date"], "session_rpe": 6, "duration_min": 30, "sets": sets}
    assert client.post(f"{RUNNER_PATH}/log", json=body).status_code == 201
    return str(session["date"])


def test_api_progress_report_counts_the_log(api_client_with_plan: TestClient) -> None:
    _log_the_first_session(api_client_with_plan)
    response = api_client_with_plan.get(PROGRESS, params={"weeks": 4})
    assert response.status_code == 200
    report = response.json()
    assert report["schema"] == "hamstride.progress/1"
    assert report["today"] == WEB_TODAY.isoformat() and report["weeks"] == 4
    assert len(report["volume"]["weeks"]) == 4
    assert sum(sum(w["sets"].values()) for w in report["volume"]["weeks"]) > 0
    assert report["adherence"]["done"] == 1
    assert [load["rpe"] for load in report["loads"]["sessions"]] == [6]


def test_api_progress_on_a_given_day(api_client_with_plan: TestClient) -> None:
    report = api_client_with_plan.get(PROGRESS, params={"date": "2027-01-20"}).json()
    assert report["today"] == "2027-01-20" and report["weeks"] == 12


@pytest.mark.parametrize(("query", "field"), [
    ({"weeks": 0}, "weeks"), ({"weeks": 521}, "weeks"), ({"weeks": "four"}, "weeks"),
    ({"date": "soon"}, "date"), ({"date": "0001-01-01"}, "date"),
])
@pytest.mark.parametrize("suffix", ["", ".png", ".svg"])
def test_api_progress_bad_query_is_422(api_client_with_plan: TestClient, query: dict[str, Any],
                                       field: str, suffix: str) -> None:
    api_error(api_client_with_plan.get(PROGRESS + suffix, params=query), 422, field)


def test_api_progress_png_is_a_png(api_client_with_plan: TestClient) -> None:
    _log_the_first_session(api_client_with_plan)
    response = api_client_with_plan.get(f"{PROGRESS}.png", params={"weeks": 4})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(response.content) > 10_000


def test_api_progress_svg_is_an_svg(api_client_with_plan: TestClient) -> None:
    response = api_client_with_plan.get(f"{PROGRESS}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    text = response.content.decode()
    assert "<svg" in text and "hamstride progress" in text


@pytest.mark.parametrize("suffix", ["", ".png", ".svg"])
def test_api_progress_needs_a_profile_and_a_plan(api_client: TestClient, suffix: str) -> None:
    api_error(api_client.get(f"{API}/profiles/nobody/progress{suffix}"), 404, "name")
    api_client.put(RUNNER_PATH, json=runner_profile())
    assert api_error(api_client.get(PROGRESS + suffix), 404)["type"] == "NoPlanError"
