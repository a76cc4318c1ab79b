"""Coaching through the pages and the API (accounts on): sign-up as a coach, an athlete's
invitation by e-mail (a real local SMTP server) accepted from the roster, the roster and
prescriptions in JSON, bad input answered 4xx with the field, templates given from the
roster page, comments both ways."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride import accounts
from hamstride.mail import MailSettings
from hamstride.store import Store
from hamstride.web.app import create_app
from hamstride.web.auth import SESSION_COOKIE
from hamstride.web.settings import Settings
from tests.mail_server import SmtpServer
from tests.web.conftest import API, RUNNER, TEST_HOSTS, WEB_TODAY, api_error, runner_profile

PASSWORD = "a long enough password"
COACH, ATHLETE = "coach@example.org", "athlete@example.org"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(Settings(db_url=f"sqlite:///{tmp_path}/c.db", today=WEB_TODAY,
                               accounts=True, allowed_hosts=TEST_HOSTS))


def _client(app: FastAPI, email: str, role: str = "athlete") -> TestClient:
    store: Store = app.state.store
    account = store.accounts.by_email(email) or accounts.add_account(
        store, email=email, password=PASSWORD, role=role)
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, accounts.open_session(store, account, address="t",
                                                             label="test"))
    token = accounts.make_token(store, account.id, address="t", label="test")
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def pair(app: FastAPI) -> Iterator[tuple[TestClient, TestClient, int]]:
    """A coach and an athlete with a plan, linked by the coach's link."""
    with _client(app, COACH, "coach") as coach, _client(app, ATHLETE) as athlete:
        base = f"{API}/profiles/{quote(RUNNER)}"
        assert athlete.put(base, json=runner_profile()).status_code == 201
        assert athlete.post(f"{base}/plans", json={"weeks": 4}).status_code == 201
        made = coach.post("/coach/invite")
        link = re.search(r"/join/(c_[\w-]+)", made.text)
        assert made.status_code == 200 and link is not None
        assert made.headers["cache-control"] == "no-store"
        accepted = athlete.post(f"/join/{link.group(1)}", follow_redirects=False)
        assert accepted.status_code == 303
        [row] = coach.get(f"{API}/coach/roster").json()
        yield coach, athlete, row["profile_id"]


def test_sign_up_as_a_coach_lands_on_the_roster(app: FastAPI) -> None:
    with TestClient(app) as browser:
        made = browser.post("/signup", data={"email": COACH, "password": PASSWORD,
                                             "coach": "on"}, follow_redirects=False)
        assert made.status_code == 303 and made.headers["location"] == "/coach"
        assert "Your athletes" in browser.get("/coach").text
        assert browser.get(f"{API}/auth/me").json()["role"] == "coach"
        browser.cookies.clear()
        runner = browser
        joined = runner.post("/signup", data={"email": ATHLETE, "password": PASSWORD},
                             follow_redirects=False)
        assert joined.status_code == 303, joined.text
        refused = runner.get("/coach")
        assert refused.status_code == 403 and "Only a coach" in refused.text


def test_an_athletes_invitation_by_mail_is_accepted_from_the_roster(app: FastAPI) -> None:
    with SmtpServer() as mail, _client(app, ATHLETE) as athlete, \
            _client(app, COACH, "coach") as coach:
        app.state.mail = MailSettings.from_url(mail.url)
        sent = athlete.post("/coaches/invite", data={"coach_email": COACH})
        assert sent.status_code == 200 and f"Invitation sent to {COACH}" in sent.text
        [message] = mail.messages
        assert message["To"] == COACH and ATHLETE in message["Subject"]
        link = re.search(r"http://testserver(/join/c_[\w-]+)",
                         message.get_body(("plain",)).get_content())
        assert link is not None and link.group(1) not in sent.text  # mailed, not shown
        roster = coach.get("/coach")
        assert ATHLETE in roster.text and "Athletes who invited you" in roster.text
        invitation = re.search(r"/coach/invitations/(\d+)/accept", roster.text)
        assert invitation is not None
        done = coach.post(f"/coach/invitations/{invitation.group(1)}/accept",
                          follow_redirects=False)
        assert done.status_code == 303
        assert COACH in athlete.get("/coaches").text
        # the mailed link was the same invitation: used up now
        again = coach.get(link.group(1))
        assert again.status_code == 404 and "unknown, used or expired" in again.text


def test_bad_invitations_are_clear(app: FastAPI) -> None:
    with _client(app, ATHLETE) as athlete:
        bad = athlete.post("/coaches/invite", data={"coach_email": "not an address"})
        assert bad.status_code == 422 and "is not an e-mail address" in bad.text
        assert 'value="not an address"' in bad.text  # what was typed stays
        assert athlete.get("/join/c_nothing").status_code == 404


def test_roster_and_prescriptions_in_the_api(pair: tuple[TestClient, TestClient, int]) -> None:
    coach, athlete, profile_id = pair
    base = f"{API}/coach/athletes/{profile_id}"
    before = coach.get(f"{base}/plan").json()
    assert any(i["exercise"] == "nordic_hamstring_curl" for w in before["weeks"]
               for s in w["sessions"] for i in s["items"])
    held = coach.post(f"{base}/prescriptions", json={
        "kind": "hold", "exercise": "nordic_hamstring_curl", "reason": "tendon"})
    assert held.status_code == 201, held.text
    after = coach.get(f"{base}/plan").json()
    assert not any(i["exercise"] == "nordic_hamstring_curl" for w in after["weeks"]
                   for s in w["sessions"] for i in s["items"] if s["date"] >= "2027-01-04")
    mine = athlete.get(f"{API}/profiles/{quote(RUNNER)}/prescriptions").json()
    assert [(p["kind"], p["author"], p["reason"]) for p in mine] == [
        ("hold", COACH, "tendon")]
    [row] = coach.get(f"{API}/coach/roster", params={"sort": "name"}).json()
    assert row["held"] == ["nordic_hamstring_curl"] and row["email"] == ATHLETE
    assert api_error(coach.post(f"{base}/prescriptions", json={
        "kind": "hold", "exercise": "dynamic_warm_up"}), 422, "exercise")
    assert api_error(coach.post(f"{base}/prescriptions", json={
        "kind": "minutes", "minutes": 200}), 422, "session_minutes")
    assert api_error(coach.get(f"{API}/coach/roster", params={"sort": "age"}), 422)
    ended = coach.delete(f"{base}/prescriptions/{held.json()['id']}")
    assert ended.status_code == 204
    assert athlete.get(f"{API}/profiles/{quote(RUNNER)}/prescriptions").json() == []
    assert api_error(coach.delete(f"{base}/prescriptions/{held.json()['id']}"), 404)
    # the athlete cannot call the coach side
    assert api_error(athlete.get(f"{API}/coach/roster"), 403)


def test_comments_both_ways_in_pages_and_api(pair: tuple[TestClient, TestClient, int]) -> None:
    coach, athlete, profile_id = pair
    day = WEB_TODAY.isoformat()
    posted = athlete.post(f"{API}/profiles/{quote(RUNNER)}/comments",
                          json={"day": day, "comment": "Hamstring felt tight"})
    assert posted.status_code == 201 and posted.json()["by_coach"] is False
    page = coach.get(f"/coach/athletes/{profile_id}/session/{day}")
    assert "Hamstring felt tight" in page.text
    answer = coach.post(f"/coach/athletes/{profile_id}/comments",
                        data={"day": day, "comment": "Ease off the Nordics today"},
                        follow_redirects=False)
    assert answer.status_code == 303
    seen = athlete.get(f"/session/{day}")
    assert "Ease off the Nordics today" in seen.text and COACH in seen.text
    assert [c["by_coach"] for c in coach.get(
        f"{API}/coach/athletes/{profile_id}/comments").json()] == [False, True]
    empty = coach.post(f"/coach/athletes/{profile_id}/comments",
                       data={"day": day, "comment": "  "})
    assert empty.status_code == 422 and "write something first" in empty.text
    assert api_error(athlete.post(f"{API}/profiles/{quote(RUNNER)}/comments",
                                  json={"day": day, "comment": ""}), 422, "comment")


def test_a_template_from_the_roster_page(pair: tuple[TestClient, TestClient, int]) -> None:
    coach, athlete, profile_id = pair
    saved = coach.post("/coach/templates", data={
        "name": "Winter base", "level": "novice", "goal": "prevent_injury",
        "session_minutes": "25", "equipment": "nordic_anchor, dumbbells",
        "days": ["tue", "fri"]}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    page = coach.get("/coach")
    template = re.search(r'<option value="(\d+)">Winter base', page.text)
    assert template is not None
    given = coach.post("/coach/templates/assign", data={"template": template.group(1),
                                                        "athletes": [str(profile_id)]})
    assert given.status_code == 200 and "Winter base given" in given.text
    profile = athlete.get(f"{API}/profiles/{quote(RUNNER)}").json()
    assert profile["session_minutes"] == 25 and profile["strength_days"] == ["tue", "fri"]
    assert profile["running"]["week"]["sat"] == "long"  # their own running week
    bad = coach.post("/coach/templates", data={"name": "Bad", "level": "novice",
                                               "goal": "prevent_injury",
                                               "session_minutes": "5"})
    assert bad.status_code == 422 and "session_minutes" in bad.text


def test_ending_from_the_coach_side_ends_access(
        pair: tuple[TestClient, TestClient, int]) -> None:
    coach, athlete, profile_id = pair
    assert coach.get(f"/coach/athletes/{profile_id}").status_code == 200
    assert coach.post(f"/coach/athletes/{profile_id}/end",
                      follow_redirects=False).status_code == 303
    assert coach.get(f"/coach/athletes/{profile_id}").status_code == 404
    assert api_error(coach.get(f"{API}/coach/athletes/{profile_id}/plan"), 404)
    assert COACH not in athlete.get("/coaches").text


def test_invitations_by_mail_are_limited_per_account(app: FastAPI) -> None:
    """Each may send a mail to any address: at most 10 an hour from one account."""
    with _client(app, ATHLETE) as athlete:
        for n in range(10):
            sent = athlete.post("/coaches/invite", data={"coach_email": f"c{n}@example.org"})
            assert sent.status_code == 200, sent.text
        refused = athlete.post("/coaches/invite", data={"coach_email": "c10@example.org"})
        assert refused.status_code == 429 and "coach invitations" in refused.text
        assert 'value="c10@example.org"' in refused.text
