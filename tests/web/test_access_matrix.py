"""The authorization table (hamstride/web/access.py) as a matrix of requests.

Every route of the app must have a row, and every row a route. Each row is then tried by
four callers, on SQLite and on PostgreSQL when HAMSTRIDE_TEST_PG_URL is set:

- anonymous: the API answers 401 in the one error shape, a page sends to /login;
- the owner of the data the request names: it works;
- another athlete: what names the owner's profile, entry, run or credential is 404 (its
  existence is not leaked); what names nothing shows the caller's own data, never the
  owner's;
- an admin: like another athlete for an athlete's data; the admin rows work;
- the owner's coach (linked to the owner): the coach rows work on the owner's profile;
  for an athlete's own rows it is another account;
- another coach (not linked): what names the owner's profile, prescription or invitation
  is 404; the coach rows that name nothing work on its own (empty) roster.

Only coaches pass the coach rows (403 for the others).

The API is called with a bearer token, the pages with a session cookie; every case gets
fresh credentials, so a log-out or a password change in one case leaves the others alone.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from hamstride import accounts, coaching
from hamstride.mail import MailSettings
from hamstride.store import Store
from hamstride.web import access
from hamstride.web.app import create_app
from hamstride.web.auth import SESSION_COOKIE
from hamstride.web.settings import Settings
from tests.activities.sample_files import fit_file
from tests.conftest import PG_ENV, _reset_schema
from tests.mail_server import SmtpServer
from tests.web.browser.conftest import onboarding_form
from tests.web.conftest import API, RUNNER, TEST_HOSTS, WEB_TODAY, api_error, runner_profile

PASSWORD = "a long enough password"
OWNER, OTHER, ADMIN = "owner@example.org", "other@example.org", "admin@example.org"
COACH, STRANGER = "coach@example.org", "stranger@example.org"
EMAILS = {"owner": OWNER, "other": OTHER, "admin": ADMIN, "coach": COACH,
          "stranger": STRANGER}
ROLES = {ADMIN: "admin", COACH: "coach", STRANGER: "coach"}
# the owner last: its writes change data
ACTORS = ("anonymous", "other", "admin", "stranger", "coach", "owner")
MARKERS = (RUNNER, OWNER, "Owner Onboarded")  # what only the owner's answers may contain
ENTRY = {"id": "keep-1", "date": WEB_TODAY.isoformat(), "session_rpe": 5,
         "sets": [{"exercise": "nordic_hamstring_curl", "reps": 4}]}
TEST = {"date": WEB_TODAY.isoformat(), "kind": "nordic_angle", "left": 40, "right": 45}


@dataclass
class World:
    client: TestClient
    store: Store
    ids: dict[str, str]  # the owner's things, for the path parameters
    accounts: dict[str, int]


def _backends() -> list[Any]:
    found = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(PG_ENV):
        found.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    return found


@pytest.fixture(scope="module", params=_backends())
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'm.db'}"
    else:
        url = request.getfixturevalue("pg_database_url")
        _reset_schema(url)
    app = create_app(Settings(db_url=url, today=WEB_TODAY, accounts=True,
                              allowed_hosts=TEST_HOSTS))
    with SmtpServer() as mail, TestClient(app) as client:
        app.state.mail = MailSettings.from_url(mail.url)
        store: Store = app.state.store
        made = {email: accounts.add_account(store, email=email, password=PASSWORD,
                                            role=ROLES.get(email, "athlete"))
                for email in EMAILS.values()}
        ids = _owner_data(client, app, made[OWNER].id)
        ids["account_id"] = str(made[COACH].id)
        yield World(client, store, ids, {e: a.id for e, a in made.items()})


def _owner_data(client: TestClient, app: FastAPI, owner: int) -> dict[str, str]:
    store: Store = app.state.store
    token = accounts.make_token(store, owner, address="test", label="seed")
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{API}/profiles/{quote(RUNNER)}"
    assert client.put(base, json=runner_profile(), headers=auth).status_code == 201
    assert client.post(f"{base}/plans", json={"weeks": 4}, headers=auth).status_code == 201
    for entry_id in ("keep-1", "gone-1"):
        sent = client.post(f"{base}/log", json={**ENTRY, "id": entry_id}, headers=auth)
        assert sent.status_code == 201, sent.text
    assert client.post(f"{base}/field-tests", json=TEST, headers=auth).status_code == 201
    imported = client.post(f"{base}/activities", headers=auth,
                           files={"files": ("run.fit", fit_file())})
    assert imported.status_code < 300, imported.text
    [run] = client.get(f"{base}/activities", headers=auth).json()
    stored = store.scoped(owner).get_profile(name=RUNNER)
    assert stored is not None
    return {"name": RUNNER, "entry_id": "keep-1", "activity_id": run["id"],
            "exercise_id": "nordic_hamstring_curl", "day": WEB_TODAY.isoformat(),
            "fmt": "png", "token": "no-such-link", "profile_id": str(stored.id)}


# -- what each route is sent ---------------------------------------------------------------

def _request(method: str, path: str, world: World, actor: str) -> dict[str, Any]:
    """A request the owner's data makes succeed (for the owner)."""
    me = EMAILS.get(actor, "nobody@example.org")
    json_bodies: dict[tuple[str, str], Any] = {
        ("POST", f"{API}/profiles"): runner_profile(name="Second of " + actor),
        ("PUT", f"{API}/profiles/{{name}}"): runner_profile(),
        ("POST", f"{API}/profiles/{{name}}/plans"): {"weeks": 4},
        ("POST", f"{API}/profiles/{{name}}/log"): {**ENTRY, "id": f"new-{actor}"},
        ("PUT", f"{API}/profiles/{{name}}/log/{{entry_id}}/morning"): {"pain": 2},
        ("POST", f"{API}/profiles/{{name}}/field-tests"): TEST,
        ("PUT", f"{API}/profiles/{{name}}/activities/{{activity_id}}/kind"): {"kind": "easy"},
        ("POST", f"{API}/plans/check"): {"plan": {"start": "2027-01-04", "weeks": []},
                                         "profile": runner_profile()},
        ("POST", f"{API}/auth/token"): {"email": me, "password": PASSWORD},
        ("POST", f"{API}/profiles/{{name}}/comments"): {"day": WEB_TODAY.isoformat(),
                                                        "comment": "from " + actor},
        ("POST", f"{API}/coach/athletes/{{profile_id}}/comments"): {
            "day": WEB_TODAY.isoformat(), "comment": "from " + actor},
        ("POST", f"{API}/coach/athletes/{{profile_id}}/prescriptions"): {
            "kind": "minutes", "minutes": 40, "reason": "by " + actor},
    }
    forms: dict[tuple[str, str], Any] = {
        ("POST", "/start"): onboarding_form(name="Owner Onboarded" if actor == "owner"
                                            else "Someone Else"),
        ("POST", "/runs/{activity_id}/kind"): {"kind": "easy"},
        ("POST", "/check"): {"plan_text": _owners_plan(world) if actor == "owner" else
                             '{"schema": "hamstride.plan/1"}', "source": "stored",
                             "profile": RUNNER},
        ("POST", "/login"): {"email": me, "password": PASSWORD, "next": "/"},
        ("POST", "/signup"): {"email": f"new-{actor}@example.org", "password": PASSWORD},
        ("POST", "/reset"): {"email": me},
        ("POST", "/reset/{token}"): {"new_password": PASSWORD},
        ("POST", "/settings/password"): {"current_password": PASSWORD,
                                         "new_password": PASSWORD},
        ("POST", "/settings/tokens"): {"label": "made by " + actor},
        ("POST", "/settings/mail"): {"digest": "on"},
        ("POST", "/unsubscribe/{token}"): {"List-Unsubscribe": "One-Click"},
        ("POST", "/settings/delete"): {"password": PASSWORD},
        ("POST", "/session/{day}/comments"): {"comment": "from " + actor},
        ("POST", "/coaches/invite"): {"coach_email": COACH},
        ("POST", "/coach/templates"): {"name": "Block of " + actor, "level": "novice",
                                       "goal": "prevent_injury", "session_minutes": "30",
                                       "days": ["mon", "thu"]},
        ("POST", "/coach/templates/assign"): {"template": _template(world),
                                              "athletes": [world.ids["profile_id"]]},
        ("POST", "/coach/athletes/{profile_id}/comments"): {
            "day": WEB_TODAY.isoformat(), "comment": "from " + actor},
        ("POST", "/coach/athletes/{profile_id}/prescriptions"): {
            "kind": "minutes", "minutes": "40", "reason": "by " + actor},
    }
    key = (method, path)
    if key in json_bodies:
        return {"json": json_bodies[key]}
    if key in forms:
        return {"data": forms[key]}
    if key in (("POST", f"{API}/profiles/{{name}}/activities"), ("POST", "/runs")):
        return {"files": {"files": ("again.fit", fit_file())}}
    return {}


def _template(world: World) -> str:
    """A template of the owner's coach (made once)."""
    coach_id = world.accounts[COACH]
    found = world.store.coaching.templates(coach_id)
    if not found:
        world.store.coaching.save_template(coach_id, "Matrix block", {
            "level": "novice", "goal": "prevent_injury", "session_minutes": 30})
        found = world.store.coaching.templates(coach_id)
    return str(found[0].id)


def _coached(world: World) -> None:
    """The owner's coach coaches the owner, and no other link exists: a case that ends
    a link, or accepts an invitation, leaves the next case as the world began."""
    coach_id, owner = world.accounts[COACH], world.accounts[OWNER]
    with world.store.engine.begin() as connection:
        connection.execute(text("DELETE FROM coach_links WHERE NOT (coach_id = :c AND "
                                "athlete_id = :a)"), {"c": coach_id, "a": owner})
    world.store.coaching.link(coach_id, owner)


def _owners_plan(world: World) -> str:
    stored = world.store.scoped(world.accounts[OWNER]).active_plan(profile_name=RUNNER)
    assert stored is not None
    return json.dumps(stored.document)


def _url(path: str, world: World) -> str:
    ids = {**world.ids}
    if path.endswith("/log/{entry_id}"):  # the DELETE: its own entry, kept apart
        ids["entry_id"] = "gone-1"
    if "{credential_id}" in path:  # one of the owner's, made now: a password change ends them
        owner = world.accounts[OWNER]
        if "/sessions/" in path:
            found = world.store.accounts.get(owner)
            assert found is not None
            accounts.open_session(world.store, found, address="test", label="target")
            kind = accounts.SESSION
        else:
            accounts.make_token(world.store, owner, address="test", label="target")
            kind = accounts.TOKEN
        ids["credential_id"] = str(world.store.accounts.credentials(owner, kind=kind)[0].id)
    if "{prescription_id}" in path:  # the coach's, made now: ending one uses it up
        theirs = world.store.coaching
        made = theirs.prescribe(profile_id=int(ids["profile_id"]),
                                author_id=world.accounts[COACH], author=COACH, kind="hold",
                                value={"exercise": "kettlebell_swing"}, reason="matrix")
        ids["prescription_id"] = str(made)
    if "{invitation_id}" in path:  # the owner's invitation to the coach, made now
        found = coaching_invite(world, by_owner=True)
        ids["invitation_id"] = str(found)
    if path.startswith("/join/"):  # the coach's link, made now: accepting uses it up
        ids["token"] = coaching_invite(world, by_owner=False)
    return re.sub(r"\{(\w+)\}", lambda m: quote(ids[m.group(1)], safe=""), path)


def coaching_invite(world: World, *, by_owner: bool) -> Any:
    """A live invitation: the owner's to the coach's e-mail (its id), or the coach's
    link (its secret)."""
    if by_owner:
        who = accounts.Caller(world.accounts[OWNER], "athlete", OWNER)
        coaching.invite_coach(world.store, who, email=COACH, address="test")
        return world.store.coaching.invitations_to(COACH)[-1].id
    who = accounts.Caller(world.accounts[COACH], "coach", COACH)
    return coaching.invite_athletes(world.store, who, address="test").secret


def _credentials(world: World, actor: str, *, api: bool,
                 account: int | None = None) -> dict[str, str]:
    if actor == "anonymous":
        return {}
    if account is None:
        account = world.accounts[EMAILS[actor]]
    if api:
        token = accounts.make_token(world.store, account, address="test", label=actor)
        return {"Authorization": f"Bearer {token}"}
    found = world.store.accounts.get(account)
    assert found is not None
    secret = accounts.open_session(world.store, found, address="test", label=actor)
    return {"Cookie": f"{SESSION_COOKIE}={secret}"}


# -- the matrix ----------------------------------------------------------------------------

def _app_routes() -> set[tuple[str, str]]:
    app = create_app(Settings(db_url="sqlite://", accounts=True))
    return {(method, path) for method, path, _ in access.routes(app)}


ROUTES = sorted(_app_routes())
CASES = [(method, path, actor) for method, path in ROUTES for actor in ACTORS]
NAMES_THE_OWNERS = ("{name}", "{entry_id}", "{activity_id}", "{credential_id}",
                    "{profile_id}", "{prescription_id}", "{invitation_id}",
                    "/coaches/{account_id}/")
FRAMEWORK = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"}


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    assert set(access.TABLE) == _app_routes()


def test_the_app_refuses_to_start_with_a_route_missing_from_the_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    table = dict(access.TABLE)
    del table[("GET", "/plan")]
    monkeypatch.setattr(access, "TABLE", table)
    with pytest.raises(RuntimeError, match="GET /plan"):
        create_app(Settings(db_url="sqlite://"))


@pytest.mark.parametrize(("method", "path", "actor"), CASES,
                         ids=[f"{m} {p} {a}" for m, p, a in CASES])
def test_access_matrix(world: World, method: str, path: str, actor: str) -> None:
    rule = access.TABLE[(method, path)]
    api = path.startswith(API)
    if path in FRAMEWORK:
        response = world.client.request(method, path + ("/css/app.css" if path == "/static"
                                                        else ""))
        assert response.status_code == 200
        return
    world.client.cookies.clear()  # a log-in in another case leaves its cookie in the jar
    _coached(world)
    if (method, path) == ("PUT", f"{API}/profiles/{{name}}") and actor not in ("owner",
                                                                              "anonymous"):
        _put_makes_their_own_profile(world, actor)
        return
    doomed = None  # deleting an account: each caller deletes an account made for it
    if path == "/settings/delete" and actor != "anonymous":
        doomed = accounts.add_account(world.store, email=f"doomed-{actor}@example.org",
                                      password=PASSWORD,
                                      role=ROLES.get(EMAILS[actor], "athlete")).id
    response = world.client.request(
        method, _url(path, world), headers=_credentials(world, actor, api=api,
                                                        account=doomed),
        follow_redirects=False, **_request(method, path, world, actor))
    status = response.status_code
    assert status < 500, response.text
    if rule is access.PUBLIC:
        assert status != 403, response.text
        if method == "GET" and "{token}" not in path:
            assert status == 200, response.text
        return
    if actor == "anonymous":
        if api:
            assert api_error(response, 401)["type"] == "AuthError"
            assert response.headers["www-authenticate"].startswith("Bearer")
        else:
            assert status == 303 and response.headers["location"].startswith("/login?next=")
        return
    if rule is access.ADMIN:
        assert status == (200 if actor == "admin" else 403), response.text
        return
    if rule is access.COACH:
        if actor not in ("coach", "stranger"):
            assert status == 403, response.text
            return
        if actor == "coach":
            assert status < 400, response.text
            return
    elif actor == "owner":
        assert status < 400, response.text
        return
    # another athlete, or an admin, on an athlete's data
    if any(part in path for part in NAMES_THE_OWNERS):
        assert status == 404, response.text
        if api:
            assert api_error(response, 404)["type"] in ("NotFoundError", "NoPlanError")
    else:
        assert status not in (401, 403), response.text
    for marker in MARKERS:  # the caller's own words may come back ("no profile named ...")
        if quote(marker) not in _url(path, world):
            assert marker not in response.text, (marker, response.text[:300])


def _put_makes_their_own_profile(world: World, actor: str) -> None:
    """PUT stores a profile by name: another account's PUT makes its own, and the owner's
    stays as it was."""
    owner = world.store.scoped(world.accounts[OWNER])
    before = owner.get_profile(name=RUNNER)
    url = _url(f"{API}/profiles/{{name}}", world)
    changed = runner_profile(session_minutes=20)
    response = world.client.put(url, json=changed, headers=_credentials(world, actor, api=True))
    assert response.status_code == 201, response.text
    assert owner.get_profile(name=RUNNER) == before
    theirs = world.store.scoped(world.accounts[EMAILS[actor]])
    assert theirs.get_profile(name=RUNNER) is not None
    with world.store.engine.begin() as connection:  # gone again, for the other cases
        connection.execute(text("DELETE FROM profiles WHERE account_id = :a"),
                           {"a": theirs.account})


def test_a_revoked_token_and_an_ended_session_answer_401(world: World) -> None:
    api = _credentials(world, "owner", api=True)
    assert world.client.get(f"{API}/auth/me", headers=api).json()["email"] == OWNER
    assert world.client.delete(f"{API}/auth/token", headers=api).status_code == 204
    assert api_error(world.client.get(f"{API}/auth/me", headers=api), 401)
    page = _credentials(world, "owner", api=False)
    assert world.client.get("/plan", headers=page).status_code == 200
    assert world.client.post("/logout", headers=page, follow_redirects=False).status_code == 303
    gone = world.client.get("/plan", headers=page, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    for bad in ("Bearer", "Basic abc", "Bearer nonsense"):
        assert api_error(world.client.get(f"{API}/auth/me", headers={"Authorization": bad}),
                         401)


def test_credentials_are_stored_only_as_digests(world: World) -> None:
    api = _credentials(world, "other", api=True)
    token = api["Authorization"].removeprefix("Bearer ")
    with world.store.engine.connect() as connection:
        stored = [row[0] for row in connection.execute(
            text("SELECT secret_hash FROM credentials"))]
        hashes = [row[0] for row in connection.execute(
            text("SELECT password_hash FROM accounts WHERE email IS NOT NULL"))]
    assert token not in stored and accounts.digest(token) in stored
    assert all(h.startswith("$argon2id$") for h in hashes) and PASSWORD not in hashes


