"""`hamstride serve`'s checks before it starts: local mode stays on loopback, and the
workers get the accounts flag and the allowed host names. uvicorn never starts here."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.cli.conftest import Invoke, assert_clean_error


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What uvicorn.run was called with, and the environment then; it returns at once."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    def run(*args: Any, **kwargs: Any) -> None:
        calls.append({**kwargs, "env": {name: os.environ.get(name) for name in (
            "HAMSTRIDE_ACCOUNTS", "HAMSTRIDE_ALLOWED_HOSTS")}})

    monkeypatch.setattr(uvicorn, "run", run)
    for name in ("HAMSTRIDE_ACCOUNTS", "HAMSTRIDE_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)  # restored after the test, whatever serve sets
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "coach.lan"])
def test_a_non_loopback_host_needs_accounts(invoke: Invoke, started: list[dict[str, Any]],
                                            host: str) -> None:
    result = invoke("serve", "--host", host)
    assert_clean_error(result, f"--host {host}", "--accounts", "docs/deploy.md", "log-in")
    assert started == []  # refused before uvicorn


def test_a_bad_accounts_variable_fails_before_starting(
        invoke: Invoke, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMSTRIDE_ACCOUNTS", "perhaps")
    assert_clean_error(invoke("serve"), "HAMSTRIDE_ACCOUNTS", "perhaps")
    assert started == []


def test_a_bad_allowed_host_is_refused(invoke: Invoke, started: list[dict[str, Any]]) -> None:
    assert_clean_error(invoke("serve", "--allowed-host", "http://coach.lan"),
                       "--allowed-host", "http://coach.lan")
    assert started == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "localhost", "::1"])
def test_loopback_hosts_start_in_local_mode(invoke: Invoke, started: list[dict[str, Any]],
                                            host: str) -> None:
    result = invoke("serve", "--host", host, "--port", "8123")
    assert result.exit_code == 0, result.output
    [call] = started
    assert (call["host"], call["port"]) == (host, 8123)
    assert call["env"]["HAMSTRIDE_ACCOUNTS"] is None
    assert call["env"]["HAMSTRIDE_ALLOWED_HOSTS"] == host
    assert "it answers to 127.0.0.1, localhost, ::1" in result.stderr


def test_accounts_and_allowed_hosts_reach_the_workers(
        invoke: Invoke, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMSTRIDE_ALLOWED_HOSTS", "old.lan")
    result = invoke("serve", "--host", "0.0.0.0", "--accounts", "--allowed-host", "Coach.lan",
                    "--allowed-host", ".example.org")
    assert result.exit_code == 0, result.output
    [call] = started
    assert call["env"] == {"HAMSTRIDE_ACCOUNTS": "1",  # 0.0.0.0 is not a host name
                           "HAMSTRIDE_ALLOWED_HOSTS": "old.lan,coach.lan,.example.org"}
    assert "::1, old.lan, coach.lan, .example.org" in result.stderr


def test_the_served_address_is_allowed(invoke: Invoke, started: list[dict[str, Any]]) -> None:
    result = invoke("serve", "--host", "192.168.1.20", "--accounts")
    assert result.exit_code == 0, result.output
    assert started[0]["env"]["HAMSTRIDE_ALLOWED_HOSTS"] == "192.168.1.20"
    assert "http://192.168.1.20:8000/" in result.stderr
