"""The error handler: a RateLimitError is a 429 with Retry-After and the one error body."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride.errors import NotFoundError, RateLimitError
from hamstride.web import errors


def _app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.post("/login")
    def login() -> None:
        raise RateLimitError("Too many log-in attempts for this account; try again in "
                             "14 minutes.", retry_after=803, rule="login-account")

    @app.get("/missing")
    def missing() -> None:
        raise NotFoundError("No profile named Ann.", field="name")

    return app


def test_error_rate_limit_is_429_with_retry_after() -> None:
    with TestClient(_app()) as client:
        response = client.post("/login")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "803"
    assert response.json() == {"error": {
        "type": "RateLimitError",
        "message": "Too many log-in attempts for this account; try again in 14 minutes.",
        "field": None, "problems": []}}


def test_error_without_retry_after_has_no_header() -> None:
    with TestClient(_app()) as client:
        response = client.get("/missing")
    assert response.status_code == 404
    assert "Retry-After" not in response.headers
    assert response.json() == {"error": {
        "type": "NotFoundError", "message": "No profile named Ann.", "field": "name",
        "problems": [{"field": "name", "message": "No profile named Ann."}]}}
