"""The account's pages with accounts on: settings (password, sessions, API tokens, the
audit log, the export, deleting the account), the password reset by e-mail (through a
real SMTP server), the header's Settings and Log out, and the same pages with accounts
off."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride import accounts
from hamstride.mail import ENV as SMTP_ENV
from hamstride.store import Store
from hamstride.store.models import utcnow
from hamstride.web.auth import SESSION_COOKIE
from hamstride.web.pages.reset import BAD_LINK, NO_MAIL, SENT
from tests.mail_server import SmtpServer
from tests.web.account_helpers import (
    NEW_PASSWORD,
    PASSWORD,
    accounts_app,
    add,
    owned_rows,
    row_counts,
    sign_in,
    store_of,
)
from tests.web.conftest import (
    API,
    RUNNER,
    RUNNER_PATH,
    WEB_TODAY,
    make_web_app,
    runner_profile,
)

ANN, BEN = "ann@example.org", "ben@example.org"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.delenv(SMTP_ENV, raising=False)
    return accounts_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def _other(app: FastAPI) -> TestClient:
    """A second browser on the same server (its own cookies; the first runs the lifespan)."""
    return TestClient(app)


def _session_ids(app: FastAPI, email: str) -> list[int]:
    account = store_of(app).accounts.by_email(email)
    assert account is not None
    return [c.id for c in store_of(app).accounts.credentials(account.id,
                                                             kind=accounts.SESSION)]


def _events(app: FastAPI, email: str) -> list[str]:
    account = store_of(app).accounts.by_email(email)
    assert account is not None
    return [e.event for e in store_of(app).accounts.events(account.id)]


def _signed_out(client: TestClient, path: str = "/settings") -> bool:
    response = client.get(path, follow_redirects=False)
    return response.status_code == 303 and response.headers["location"].startswith("/login")


# -- the settings page -------------------------------------------------------------------

def test_settings_page_shows_the_account(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    page = client.get("/settings", headers={"user-agent": "Mozilla/5.0 (Linux; Android 14) "
                                            "AppleWebKit/537.36 Chrome/126.0 Mobile"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert ANN in text and "athlete" in text
    assert 'action="/settings/password"' in text and "this one" in text
    assert 'href="/settings/export"' in text and 'action="/settings/delete"' in text
    assert "log-in" in text and "account made" in text  # the audit log
    assert 'href="/settings" aria-current="page"' in text  # the header
    assert 'action="/logout"' in text


def test_settings_needs_a_log_in(client: TestClient) -> None:
    response = client.get("/settings", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fsettings"
    for path in ("/settings/password", "/settings/tokens", "/settings/delete",
                 "/settings/sessions/1/end", "/settings/tokens/1/revoke"):
        assert client.post(path, follow_redirects=False).status_code == 303, path
    assert client.get("/settings/export", follow_redirects=False).status_code == 303


def test_header_shows_settings_and_log_out_only_when_signed_in(app: FastAPI,
                                                             client: TestClient) -> None:
    add(app, ANN)
    assert 'href="/settings"' not in client.get("/exercises").text
    assert 'href="/settings"' not in client.get("/login").text
    sign_in(client, ANN)
    for path in ("/exercises", "/start"):  # a public page, and one of the account's
        text = client.get(path).text
        assert 'href="/settings"' in text and 'action="/logout"' in text, path
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert 'href="/settings"' not in client.get("/exercises").text


# -- the password ------------------------------------------------------------------------

def test_change_password_wrong_current_is_refused(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    response = client.post("/settings/password", data={
        "current_password": "not my password", "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert "The current password is not right." in response.text
    assert "not my password" not in response.text and NEW_PASSWORD not in response.text
    assert 'aria-invalid="true"' in response.text
    assert "failed password change" in _events(app, ANN)
    short = client.post("/settings/password", data={"current_password": PASSWORD,
                                                    "new_password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    assert _signed_out(_other(app)) and not _signed_out(client)
    sign_in(_other(app), ANN, PASSWORD)  # the password is unchanged


def test_change_password_ends_the_other_sessions(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    phone = _other(app)
    sign_in(phone, ANN)
    response = client.post("/settings/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/settings?done=password"
    page = client.get(response.headers["location"])
    assert "Your password is changed" in page.text
    assert "password changed" in page.text  # the audit log on the page
    assert _signed_out(phone) and not _signed_out(client)
    assert _events(app, ANN)[0] == "password changed"
    refused = _other(app).post("/login", data={"email": ANN, "password": PASSWORD})
    assert refused.status_code == 401
    sign_in(_other(app), ANN, NEW_PASSWORD)


def test_change_password_guesses_are_rate_limited(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    for _ in range(5):
        assert client.post("/settings/password", data={
            "current_password": "a guess", "new_password": NEW_PASSWORD}).status_code == 400
    limited = client.post("/settings/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


# -- sessions --------------------------------------------------------------------------

def test_end_another_session(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    phone = _other(app)
    sign_in(phone, ANN, PASSWORD)
    mine, theirs = sorted(_session_ids(app, ANN))
    assert f'action="/settings/sessions/{theirs}/end"' in client.get("/settings").text
    response = client.post(f"/settings/sessions/{theirs}/end", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/settings?done=session"
    assert _signed_out(phone) and not _signed_out(client)
    assert _session_ids(app, ANN) == [mine]
    assert "session ended" in _events(app, ANN)


def test_ending_this_session_logs_out(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    secret = sign_in(client, ANN)
    [mine] = _session_ids(app, ANN)
    response = client.post(f"/settings/sessions/{mine}/end", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    stale = _other(app)
    stale.cookies.set(SESSION_COOKIE, secret)
    assert _signed_out(stale)
    assert "log-out" in _events(app, ANN)


def test_another_accounts_credential_is_not_found(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    ben_account = add(app, BEN)
    ben = _other(app)
    sign_in(ben, BEN)
    [ben_session] = _session_ids(app, BEN)
    ben_token = accounts.make_token(store_of(app), ben_account.id, address="test",
                                    label="ben's script")
    [ben_token_id] = [c.id for c in store_of(app).accounts.credentials(
        ben_account.id, kind=accounts.TOKEN)]
    sign_in(client, ANN)
    for path in (f"/settings/sessions/{ben_session}/end",
                 f"/settings/tokens/{ben_token_id}/revoke",
                 f"/settings/sessions/{ben_token_id}/end",  # a token is not a session
                 "/settings/sessions/999999/end"):
        response = client.post(path, follow_redirects=False)
        assert response.status_code == 404, path
        assert "no such" in response.text
    assert client.post("/settings/sessions/x/end").status_code == 422
    assert not _signed_out(ben)
    me = client.get(f"{API}/auth/me", headers={"authorization": f"Bearer {ben_token}"})
    assert me.status_code == 200 and me.json()["email"] == BEN


# -- API tokens --------------------------------------------------------------------------

def test_token_is_shown_once_works_and_is_revoked(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    made = client.post("/settings/tokens", data={"label": "  my   spreadsheet "},
                       follow_redirects=False)
    assert made.status_code == 200 and "location" not in made.headers
    assert made.headers["cache-control"] == "no-store"
    [token] = re.findall(r">(hs_[A-Za-z0-9_-]+)</textarea>", made.text)
    assert "my spreadsheet" in made.text
    page = client.get("/settings").text
    assert token not in page and "my spreadsheet" in page and "token made" in page
    bearer = {"authorization": f"Bearer {token}"}
    script = _other(app)  # no cookie: the token alone
    me = script.get(f"{API}/auth/me", headers=bearer)
    assert me.status_code == 200
    assert me.json() == {"email": ANN, "role": "athlete", "signed_in_with": "token"}
    account = store_of(app).accounts.by_email(ANN)
    assert account is not None
    [token_id] = [c.id for c in store_of(app).accounts.credentials(
        account.id, kind=accounts.TOKEN)]
    revoked = client.post(f"/settings/tokens/{token_id}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    assert revoked.headers["location"] == "/settings?done=token"
    assert script.get(f"{API}/auth/me", headers=bearer).status_code == 401
    assert "The token is revoked" in client.get("/settings?done=token").text
    assert "token revoked" in _events(app, ANN)


def test_token_label_too_long_keeps_what_was_typed(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    label = "x" * 201
    response = client.post("/settings/tokens", data={"label": label})
    assert response.status_code == 422
    assert "at most 200 characters" in response.text and f'value="{label}"' in response.text
    account = store_of(app).accounts.by_email(ANN)
    assert account is not None
    assert store_of(app).accounts.credentials(account.id, kind=accounts.TOKEN) == []


# -- the export ----------------------------------------------------------------------------

def test_export_is_a_zip_download(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    sign_in(client, ANN)
    assert client.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    for path in ("/settings/export", f"{API}/account/export"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/zip"
        assert re.fullmatch(r'attachment; filename="hamstride-export-\d{4}-\d\d-\d\d\.zip"',
                            response.headers["content-disposition"])
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "account.json" in names and "README.txt" in names
        assert f"profiles/{RUNNER.replace(' ', '-')}/log.csv" in names
    anonymous = _other(app).get(f"{API}/account/export")
    assert anonymous.status_code == 401


# -- deleting the account ------------------------------------------------------------------

def _fill(client: TestClient) -> None:
    """A profile with a plan, a logged session with sets, a field test and a run."""
    from tests.activities.sample_files import FitSpec, Leg, fit_file
    from tests.web.conftest import WEB_TODAY

    day = WEB_TODAY.isoformat()
    assert client.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    assert client.post(f"{RUNNER_PATH}/plans", json={"weeks": 4}).status_code == 201
    assert client.post(f"{RUNNER_PATH}/log", json={
        "date": day, "duration_min": 30, "session_rpe": 6,
        "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5}]}).status_code == 201
    assert client.post(f"{RUNNER_PATH}/field-tests", json={
        "date": day, "kind": "single_leg_bridge", "left": 20, "right": 22}).status_code == 201
    upload = client.post(f"{RUNNER_PATH}/activities",
                         files=[("files", ("run.fit", fit_file(FitSpec(legs=(Leg(),)))))])
    assert upload.status_code == 200 and upload.json()["counts"]["imported"] == 1


def _coaching_rows(store: Store, ann: int, ben: int) -> None:
    """Ann coaches Ben and is coached by Cat: a link each way, an invitation, a comment
    and a prescription on her profile, a template and a digest record. What she wrote on
    Ben's profile stays his (its author is kept by name)."""
    cat = accounts.add_account(store, email="cat@example.org", password=PASSWORD,
                               role="coach").id
    store.coaching.link(ann, ben)
    store.coaching.link(cat, ann)
    store.coaching.invite(coach=ann, athlete=None, email=None, secret_hash="0" * 64,
                          expires_at=utcnow() + timedelta(days=1))
    [mine] = store.scoped(ann).list_profiles()
    store.coaching.add_comment(profile_id=mine.id, day=WEB_TODAY, author_id=cat,
                               author="cat@example.org", by_coach=True, body="well done")
    store.coaching.prescribe(profile_id=mine.id, author_id=cat, author="cat@example.org",
                             kind="minutes", value={"minutes": 30}, reason="")
    store.coaching.save_template(ann, "Base", {"level": "novice"})
    assert store.coaching.claim_send(ann, kind="digest", day=WEB_TODAY) is not None


def test_delete_account_removes_every_row(app: FastAPI, client: TestClient,
                                          tmp_path: Path) -> None:
    ann = add(app, ANN)
    ben = add(app, BEN)
    ben_browser = _other(app)
    sign_in(ben_browser, BEN)
    assert ben_browser.put(RUNNER_PATH, json=runner_profile()).status_code == 201
    secret = sign_in(client, ANN)
    _fill(client)
    _coaching_rows(store_of(app), ann.id, ben.id)
    token = accounts.make_token(store_of(app), ann.id, address="test", label="script")
    owned = owned_rows(tmp_path, ann.id)
    assert all(owned.values()), owned  # something of hers in every table
    before = row_counts(tmp_path)

    wrong = client.post("/settings/delete", data={"password": "not it at all"})
    assert wrong.status_code == 400 and "The password is not right." in wrong.text
    assert owned_rows(tmp_path, ann.id)["profiles"] == 1

    response = client.post("/settings/delete", data={"password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?deleted=1"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    assert "Your account is deleted" in client.get("/login?deleted=1").text

    after = row_counts(tmp_path)
    assert set(owned_rows(tmp_path, ann.id).values()) == {0}
    gone = {name: before[name] - after[name] for name in before}
    assert gone == owned, (gone, owned)  # hers, all of them, and nobody else's
    stale = _other(app)
    stale.cookies.set(SESSION_COOKIE, secret)
    assert _signed_out(stale)
    assert stale.get(f"{API}/auth/me", headers={
        "authorization": f"Bearer {token}"}).status_code == 401
    refused = _other(app).post("/login", data={"email": ANN, "password": PASSWORD})
    assert refused.status_code == 401
    assert ben_browser.get(RUNNER_PATH).status_code == 200
    assert store_of(app).accounts.get(ben.id) is not None


# -- password reset by e-mail -------------------------------------------------------------

@pytest.fixture
def mail_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             smtp_server: SmtpServer) -> FastAPI:
    monkeypatch.setenv(SMTP_ENV, smtp_server.url)
    return accounts_app(tmp_path)


def _link(smtp_server: SmtpServer, to: str) -> str:
    message = smtp_server.messages[-1]
    assert message["To"] == to
    assert message["Subject"] == "Reset your hamstride password"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    [url] = re.findall(r"http://testserver/reset/\S+", text)
    assert url in markup and "30 minutes" in text
    return url.removeprefix("http://testserver")


def test_reset_end_to_end(mail_app: FastAPI, smtp_server: SmtpServer) -> None:
    add(mail_app, ANN)
    with TestClient(mail_app) as browser:
        old = _other(mail_app)
        sign_in(old, ANN)
        assert "Forgot your password" in browser.get("/reset").text
        asked = browser.post("/reset", data={"email": "  Ann@Example.org "})
        assert asked.status_code == 200 and SENT in asked.text
        assert len(smtp_server.messages) == 1
        assert smtp_server.envelopes[0][1] == [ANN]
        path = _link(smtp_server, ANN)

        form = browser.get(path)
        assert form.status_code == 200 and 'name="new_password"' in form.text
        assert form.headers["referrer-policy"] == "no-referrer"
        short = browser.post(path, data={"new_password": "short"})
        assert short.status_code == 422 and 'name="new_password"' in short.text
        done = browser.post(path, data={"new_password": NEW_PASSWORD}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
        assert "Your password is changed" in browser.get("/login?reset=1").text

        again = browser.post(path, data={"new_password": "another fine password"})
        assert again.status_code == 400 and BAD_LINK in again.text
        assert browser.get(path).status_code == 400
        assert _signed_out(old)  # whoever was signed in must sign in again
        assert browser.post("/login", data={"email": ANN, "password": PASSWORD}
                            ).status_code == 401
        sign_in(browser, ANN, NEW_PASSWORD)
        assert {"reset asked", "password reset"} <= set(_events(mail_app, ANN))


def test_reset_for_an_unknown_address_answers_the_same(mail_app: FastAPI,
                                                       smtp_server: SmtpServer) -> None:
    add(mail_app, ANN)
    with TestClient(mail_app) as browser:
        known = browser.post("/reset", data={"email": ANN})
        unknown = browser.post("/reset", data={"email": "nobody@example.org"})
        bad = browser.post("/reset", data={"email": "not an address"})
    assert known.status_code == unknown.status_code == 200
    assert SENT in unknown.text
    assert known.text == unknown.text
    assert len(smtp_server.messages) == 1  # only for the account that exists
    assert bad.status_code == 422 and 'value="not an address"' in bad.text


def test_reset_unknown_link_is_refused(mail_app: FastAPI) -> None:
    with TestClient(mail_app) as browser:
        for response in (browser.get("/reset/r_not-a-link"),
                         browser.post("/reset/r_not-a-link",
                                      data={"new_password": NEW_PASSWORD})):
            assert response.status_code == 400 and BAD_LINK in response.text
            assert 'href="/reset"' in response.text


def test_reset_is_rate_limited(mail_app: FastAPI, smtp_server: SmtpServer) -> None:
    add(mail_app, ANN)
    with TestClient(mail_app) as browser:
        for _ in range(3):
            assert browser.post("/reset", data={"email": ANN}).status_code == 200
        limited = browser.post("/reset", data={"email": ANN})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many password reset requests" in limited.text
    assert len(smtp_server.messages) == 3


def test_reset_without_mail_says_so(app: FastAPI, client: TestClient) -> None:
    add(app, ANN)
    known = client.post("/reset", data={"email": ANN})
    unknown = client.post("/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 503
    assert NO_MAIL in known.text and NO_MAIL in unknown.text
    assert "reset asked" not in _events(app, ANN)


# -- accounts off ------------------------------------------------------------------------

def test_local_mode_settings_offer_only_the_export(tmp_path: Path) -> None:
    with TestClient(make_web_app(f"sqlite:///{tmp_path}/local.db")) as local:
        assert local.put(RUNNER_PATH, json=runner_profile()).status_code == 201
        page = local.get("/settings")
        assert page.status_code == 200
        assert "Accounts are off" in page.text and 'href="/settings/export"' in page.text
        assert 'type="password"' not in page.text
        assert 'action="/logout"' not in page.text
        for path in ("/settings/password", "/settings/tokens", "/settings/delete",
                     "/settings/sessions/1/end", "/settings/tokens/1/revoke"):
            response = local.post(path)
            assert response.status_code == 400, path
            assert "Accounts are off" in response.text
        export = local.get("/settings/export")
        assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
        assert f"profiles/{RUNNER.replace(' ', '-')}/profile.json" in names
        home = local.get("/reset", follow_redirects=False)
        assert home.status_code == 303 and home.headers["location"] == "/"


def test_sign_up_names_every_bad_answer_at_once_and_stores_nothing(client: TestClient,
                                                                   app: FastAPI) -> None:
    answer = client.post("/signup", data={"email": "ana@example", "password": "short"})
    assert answer.status_code == 422
    assert "not an e-mail address" in answer.text and "at least 10 characters" in answer.text
    assert 'value="ana@example"' in answer.text  # what was typed is still there
    assert store_of(app).accounts.all() == []
    made = client.post("/signup", data={"email": "ana@example.org",
                                        "password": "a long enough password"},
                       follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/start"
