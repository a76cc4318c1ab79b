"""Shared fixtures for the web tests: an app on a fresh SQLite file with a fixed "today",
and a client for it. Generic on purpose (the API tests and the browser tests share it):

- ``web_app``: the app (``create_app``) on an empty database, today = ``WEB_TODAY``.
- ``api_client``: a ``TestClient`` on ``web_app``, its lifespan running.
- ``api_client_with_plan``: the same, with ``runner_profile()`` stored and a 4-week plan
  made from ``WEB_TODAY``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride.web.app import create_app
from hamstride.web.settings import LOCAL_HOSTS, Settings
from tests.training.factories import profile_data

WEB_TODAY = date(2027, 1, 4)  # a Monday
API = "/api/v1"
RUNNER = "Test Runner"  # a name with a space: paths must be encoded
RUNNER_PATH = f"{API}/profiles/Test%20Runner"
TEST_HOSTS = (*LOCAL_HOSTS, "testserver")  # TestClient's Host; never a production default


def runner_profile(**overrides: Any) -> dict[str, Any]:
    """A valid profile document named ``RUNNER`` (a long run on Saturdays)."""
    return profile_data(week={"sat": "long"}, **overrides)


def make_web_app(db_url: str, *, today: date = WEB_TODAY, timer_scale: float = 1.0) -> FastAPI:
    return create_app(Settings(db_url=db_url, today=today, timer_scale=timer_scale,
                               allowed_hosts=TEST_HOSTS))


@pytest.fixture
def web_app(tmp_path: Path) -> FastAPI:
    return make_web_app(f"sqlite:///{tmp_path}/t.db")


@pytest.fixture
def api_client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as client:
        yield client


@pytest.fixture
def api_client_with_plan(api_client: TestClient) -> TestClient:
    assert api_client.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    assert api_client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4}).status_code == 201
    return api_client


CLI_WORDS = r"`hamstride |\B--[a-z]"  # a command to type, or a flag


def api_error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """Assert the one error shape with this status (and field); the error object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == {"type", "message", "field", "problems"}, error
    assert all(set(p) == {"field", "message"} for p in error["problems"]), error
    assert error["field"] == (error["problems"][0]["field"] if error["problems"] else None)
    assert isinstance(error["message"], str) and error["message"]
    if error["type"] != "HostError":  # that one is advice for whoever runs the server
        for said in [error["message"], *(p["message"] for p in error["problems"])]:
            ours = re.sub(r"'[^']*'", "''", said)  # without the client's own words, quoted
            assert not re.search(CLI_WORDS, ours), error  # clients get no CLI advice
    if field is not None:
        assert error["field"] == field, error
    return error
