"""The pages of the mails: the unsubscribe link of a digest (a GET shows a button and
changes nothing; the RFC 8058 one-click POST, with no cookie and no Origin, turns the
mails off; an unknown link is a 404 page) and the settings page's E-mail form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride import accounts, digest
from hamstride.mail import ENV as SMTP_ENV
from hamstride.mail import MailSettings
from hamstride.store import Store
from tests.digest_factories import ANN, BASE, CAT, DEE, WEEK, seed
from tests.mail_server import SmtpServer
from tests.web.account_helpers import PASSWORD, accounts_app, sign_in, store_of

ONE_CLICK = {"List-Unsubscribe": "One-Click"}
NEXT = WEEK + timedelta(days=7)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A browser on a server with accounts on (no mail server in the environment)."""
    monkeypatch.delenv(SMTP_ENV, raising=False)
    with TestClient(accounts_app(tmp_path)) as test_client:
        yield test_client


def _store(client: TestClient) -> Store:
    app = client.app
    assert isinstance(app, FastAPI)
    return store_of(app)


def _links(store: Store, server: SmtpServer) -> dict[str, str]:
    """Send the week's mails; each recipient's unsubscribe path."""
    digest.send_due(store, MailSettings.from_url(server.url), week=WEEK, today=WEEK,
                    base_url=BASE)
    return {m["To"]: urlsplit(m["List-Unsubscribe"].strip("<>")).path
            for m in server.messages}


def _mails(store: Store, email: str) -> tuple[bool, bool]:
    found = store.accounts.by_email(email)
    assert found is not None
    return found.digest, found.reminders


def test_a_get_of_the_unsubscribe_link_only_shows_a_button(
        client: TestClient, smtp_server: SmtpServer) -> None:
    store = _store(client)
    seed(store)
    path = _links(store, smtp_server)[ANN]
    for _ in range(2):  # a scanner's prefetch, then the person
        page = client.get(path)
        assert page.status_code == 200
        assert f'action="{path}"' in page.text and ANN in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
    assert _mails(store, ANN) == (True, False)


def test_the_one_click_post_turns_the_mails_off_without_cookie_or_origin(
        client: TestClient, smtp_server: SmtpServer) -> None:
    store = _store(client)
    seeded = seed(store)
    links = _links(store, smtp_server)
    client.cookies.clear()
    done = client.post(links[ANN], data=ONE_CLICK)  # what a mail provider sends
    assert done.status_code == 200 and "gets no more weekly digest" in done.text
    assert _mails(store, ANN) == (False, False)
    assert client.post(links[ANN], data=ONE_CLICK).status_code == 200  # twice is fine
    assert "unsubscribed" in [e.event for e in store.accounts.events(seeded.ids[ANN])]
    store.accounts.set_digest(seeded.ids[DEE], True)
    button = client.post(links[DEE], headers={"Sec-Fetch-Site": "same-origin"})  # the page's
    assert button.status_code == 200 and _mails(store, DEE) == (False, False)
    with SmtpServer() as later:  # next week: only the coach still asks for mail
        digest.send_due(store, MailSettings.from_url(later.url), week=NEXT, today=NEXT,
                        base_url=BASE)
        assert [m["To"] for m in later.messages] == [CAT]


def test_the_unsubscribe_post_still_needs_an_allowed_host(
        client: TestClient, smtp_server: SmtpServer) -> None:
    store = _store(client)
    seed(store)
    path = _links(store, smtp_server)[ANN]
    refused = client.post(path, data=ONE_CLICK, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    cross = client.post(path, data=ONE_CLICK, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert _mails(store, ANN) == (True, False)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("token", ["no-such-link", "u_" + "A" * 43, "x" * 300])
def test_an_unknown_unsubscribe_link_is_a_404_page(client: TestClient, method: str,
                                                   token: str) -> None:
    response = client.request(method, f"/unsubscribe/{token}", data=ONE_CLICK)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "unsubscribe link is unknown or expired" in response.text


def test_the_settings_form_turns_the_digest_and_the_reminders_on_and_off(
        client: TestClient) -> None:
    store = _store(client)
    accounts.add_account(store, email=ANN, password=PASSWORD)
    sign_in(client, ANN, PASSWORD)
    page = client.get("/settings")
    assert 'action="/settings/mail"' in page.text and 'name="digest" value="on">' in page.text
    for form, expected in (({"digest": "on"}, (True, False)),
                           ({"reminders": "on"}, (False, True)),
                           ({"digest": "on", "reminders": "on"}, (True, True)),
                           ({}, (False, False))):
        done = client.post("/settings/mail", data=form, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/settings?done=mail"
        assert _mails(store, ANN) == expected
    client.post("/settings/mail", data={"digest": "on", "reminders": "on"})
    shown = client.get("/settings?done=mail").text
    assert 'name="digest" value="on" checked>' in shown
    assert 'name="reminders" value="on" checked>' in shown
    assert "Your e-mail choices are saved." in shown
    forged = client.post("/settings/mail", data={}, headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and _mails(store, ANN) == (True, True)
