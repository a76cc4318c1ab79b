"""The export of everything an account owns: every file of the zip checked against what
the store holds, for an account with two profiles; another account's export holds none
of it; folder names are safe."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride import account_export, accounts
from hamstride.activities import log_csv
from hamstride.mail import ENV as SMTP_ENV
from hamstride.store import Store
from hamstride.store.activity_rows import activity_document
from tests.activities.sample_files import FitSpec, Leg, fit_file
from tests.web.account_helpers import accounts_app, add, sign_in, store_of
from tests.web.conftest import API, RUNNER, RUNNER_PATH, WEB_TODAY, runner_profile

ANN, BEN = "ann@example.org", "ben@example.org"
TRAIL = "Ána Trail?"  # a second profile whose name is no file name as it is
TRAIL_PATH = f"{API}/profiles/{quote(TRAIL)}"
DAY = WEB_TODAY.isoformat()
FILES = ("profile.json", "plans.json", "log.json", "log.csv", "field_tests.json",
         "activities.json", "comments.json", "prescriptions.json")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    monkeypatch.delenv(SMTP_ENV, raising=False)
    made = accounts_app(tmp_path)
    with TestClient(made):  # the lifespan, once
        yield made


def _entry(entry_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": entry_id, "date": DAY, "duration_min": 30, "session_rpe": 6, "pain": 1,
            "notes": "felt ok, «légère» fatigue",
            "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5},
                     {"exercise": "glute_bridge", "reps": 10, "load_kg": 20, "side": "left"}],
            **fields}


def _ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def ann(app: FastAPI) -> TestClient:
    """Ann, signed in, with two profiles: one with two plans (one superseded), two logged
    sessions, a field test and a run whose kind she corrected; one with a profile only."""
    add(app, ANN)
    client = TestClient(app)
    sign_in(client, ANN)
    _ok(client.put(RUNNER_PATH, json=runner_profile()))
    _ok(client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4}))
    _ok(client.post(f"{RUNNER_PATH}/plans", json={"weeks": 6}))
    _ok(client.post(f"{RUNNER_PATH}/log", json=[_entry("ann-1"),
                                                 _entry("ann-2", sets=[], notes="")]))
    _ok(client.post(f"{RUNNER_PATH}/field-tests", json={
        "id": "t-1", "date": DAY, "kind": "single_leg_bridge", "left": 20, "right": 23}))
    upload = _ok(client.post(f"{RUNNER_PATH}/activities", files=[
        ("files", ("morning.fit", fit_file(FitSpec(legs=(Leg(),)))))]), 200)
    [result] = upload["results"]
    _ok(client.put(f"{RUNNER_PATH}/activities/{result['activity_id']}/kind",
                   json={"kind": "tempo"}), 200)
    _ok(client.put(TRAIL_PATH, json=runner_profile(name=TRAIL)))
    return client


@pytest.fixture
def ben(app: FastAPI) -> TestClient:
    """Ben, signed in, with a profile of the same name as Ann's and one logged session."""
    add(app, BEN)
    client = TestClient(app)
    sign_in(client, BEN)
    _ok(client.put(RUNNER_PATH, json=runner_profile()))
    _ok(client.post(f"{RUNNER_PATH}/log", json=_entry("ben-1", notes="Ben's")))
    return client


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _scoped(app: FastAPI, email: str) -> Store:
    account = store_of(app).accounts.by_email(email)
    assert account is not None
    return store_of(app).scoped(account.id)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _json(files: dict[str, bytes], name: str) -> Any:
    return json.loads(files[name].decode("utf-8"))


def test_export_holds_everything_the_account_stored(app: FastAPI, ann: TestClient,
                                                    ben: TestClient) -> None:
    store = _scoped(app, ANN)
    coach = accounts.add_account(store, email="physio@example.org", password="a physio's "
                                 "password", role="coach")
    store.coaching.link(coach.id, store.account)
    runner_id = store.get_profile(name=RUNNER).id  # type: ignore[union-attr]
    store.coaching.add_comment(profile_id=runner_id, day=date(2027, 1, 4), author_id=coach.id,
                               author="physio@example.org", by_coach=True, body="easy now")
    store.coaching.prescribe(profile_id=runner_id, author_id=coach.id,
                             author="physio@example.org", kind="minutes",
                             value={"minutes": 30}, reason="busy week")
    response = ann.get(f"{API}/account/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    files = _unzip(response.content)
    folders = {RUNNER: "profiles/Test-Runner/", TRAIL: "profiles/Ána-Trail/"}
    assert set(files) == {"README.txt", "account.json", "audit_log.json",
                          *(folder + name for folder in folders.values() for name in FILES)}

    account = store.accounts.get(store.account)
    assert account is not None
    summary = _json(files, "account.json")
    assert summary["format"] == "hamstride.export/1"
    assert (summary["email"], summary["role"]) == (ANN, "athlete")
    assert summary["created_at"] == account.created_at.isoformat()
    assert [(p["name"], p["folder"]) for p in summary["profiles"]] == sorted(folders.items())
    assert [s["label"] for s in summary["sessions"]] == ["testclient"]
    assert all("secret" not in json.dumps(s) for s in summary["sessions"])
    events = [e["event"] for e in _json(files, "audit_log.json")]
    assert events[-1] == "account made" and "log-in" in events

    for name, folder in folders.items():
        profile = store.get_profile(name=name)
        assert profile is not None
        assert _json(files, folder + "profile.json") == profile.document
        assert _json(files, folder + "plans.json") == [
            {"id": p.id, "start": p.start.isoformat(), "weeks": p.weeks,
             "created_at": p.created_at.isoformat(), "active": p.active,
             "regenerated": p.regenerated, "document": p.document}
            for p in store.list_plans(profile_name=name)]
        sessions = store.log_sessions(profile_name=name)
        assert _json(files, folder + "log.json") == [s.to_document() for s in sessions]
        assert files[folder + "log.csv"].decode("utf-8") == log_csv.write(sessions)
        assert _json(files, folder + "field_tests.json") == [
            t.to_document() for t in store.field_tests(profile_name=name)]
        assert _json(files, folder + "activities.json") == [
            {"id": a.activity.id, "kind": a.kind, "source": a.source_label,
             "imported_at": _utc(a.imported_at).isoformat(),
             "activity": activity_document(a.activity)}
            for a in store.activities(profile_name=name)]

    runner = folders[RUNNER]
    plans = _json(files, runner + "plans.json")
    assert [(p["weeks"], p["active"]) for p in plans] == [(6, True), (4, False)]
    assert [e["id"] for e in _json(files, runner + "log.json")] == ["ann-1", "ann-2"]
    rows = list(csv.DictReader(io.StringIO(files[runner + "log.csv"].decode("utf-8"))))
    assert [(r["id"], r["exercise"]) for r in rows] == [
        ("ann-1", "nordic_hamstring_curl"), ("ann-1", "glute_bridge"), ("ann-2", "")]
    [run] = _json(files, runner + "activities.json")
    assert (run["kind"], run["source"]) == ("tempo", "morning.fit")
    assert [t["id"] for t in _json(files, runner + "field_tests.json")] == ["t-1"]
    assert [(c["author"], c["by_coach"], c["body"]) for c in _json(
        files, runner + "comments.json")] == [("physio@example.org", True, "easy now")]
    assert [(p["kind"], p["value"], p["reason"]) for p in _json(
        files, runner + "prescriptions.json")] == [("minutes", {"minutes": 30}, "busy week")]
    assert summary["coaches"][0]["email"] == "physio@example.org"
    assert _json(files, folders[TRAIL] + "comments.json") == []
    assert _json(files, folders[TRAIL] + "log.json") == []
    # the same bytes as the profile's own log exports
    assert files[runner + "log.json"] == ann.get(f"{RUNNER_PATH}/log.json").content
    assert files[runner + "log.csv"] == ann.get(f"{RUNNER_PATH}/log.csv").content
    readme = files["README.txt"].decode("utf-8")
    assert all(name in readme for name in (*FILES, "account.json", "audit_log.json"))
    assert "Original activity files (FIT, GPX, TCX, the Strava export) are not stored" in readme


def test_another_accounts_export_holds_none_of_it(app: FastAPI, ann: TestClient,
                                                  ben: TestClient) -> None:
    files = _unzip(ben.get("/settings/export").content)
    assert set(files) == {"README.txt", "account.json", "audit_log.json",
                          *(f"profiles/Test-Runner/{name}" for name in FILES)}
    assert _json(files, "account.json")["email"] == BEN
    assert [e["id"] for e in _json(files, "profiles/Test-Runner/log.json")] == ["ben-1"]
    assert _json(files, "profiles/Test-Runner/plans.json") == []
    assert _json(files, "profiles/Test-Runner/activities.json") == []
    everything = b"".join(files.values())
    for trace in (ANN.encode(), b"ann-1", "Ána".encode(), b"morning.fit", b"t-1"):
        assert trace not in everything, trace
    # the module itself, on the store as Ben sees it, says the same
    assert set(_unzip(account_export.export_zip(_scoped(app, BEN)))) == set(files)


def test_export_folder_names_are_safe_and_unique() -> None:
    names = ["Ana", "ana", "Ana?", "..", "", "a/b", "Zoë Müller", "x" * 100, "--"]
    folders = account_export.folder_names(names)
    assert [folders[n] for n in names] == [
        "Ana", "ana-2", "Ana-3", "profile", "profile-2", "a-b", "Zoë-Müller", "x" * 60,
        "profile-3"]


def test_export_of_an_empty_account(app: FastAPI) -> None:
    account = add(app, "new@example.org")
    files = _unzip(account_export.export_zip(store_of(app).scoped(account.id)))
    assert set(files) == {"README.txt", "account.json", "audit_log.json"}
    assert _json(files, "account.json")["profiles"] == []
