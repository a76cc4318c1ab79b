"""The weekly digest and the reminders (hamstride.digest), sent through a real local SMTP
server: what an athlete's and a coach's digest say, the unsubscribe headers, one reminder
on a session day only, a refused mail retried once, and nothing sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest

from hamstride import accounts, digest
from hamstride.catalogue import load_catalogue
from hamstride.errors import InputError
from hamstride.mail import MailSettings
from hamstride.store import Store
from hamstride.store.models import utcnow
from tests.digest_factories import ANN, BASE, BOB, CAT, COMMENT, DEE, EVE, WEEK, Seeded, seed
from tests.mail_server import SmtpServer


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def seeded(store: Store) -> Seeded:
    return seed(store)


def _send(store: Store, server: SmtpServer, *, today: object = WEEK) -> digest.SendReport:
    return digest.send_due(store, MailSettings.from_url(server.url), week=WEEK,
                           today=today, base_url=BASE)  # type: ignore[arg-type]


def _to(server: SmtpServer, email: str) -> list[EmailMessage]:
    return [m for m in server.messages if m["To"] == email]


def _parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def test_digest_goes_once_to_each_opted_in_account_and_to_nobody_else(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    report = _send(store, smtp_server)
    assert sorted(report.sent) == [("digest", ANN), ("digest", CAT), ("reminder", DEE)]
    assert not report.failed and not report.skipped
    assert not _to(smtp_server, BOB) and not _to(smtp_server, EVE)
    again = _send(store, smtp_server)
    assert again.sent == [] and sorted(again.skipped) == sorted(report.sent)
    assert len(smtp_server.messages) == 3


def test_digest_tells_last_week_this_week_flags_and_the_coachs_comment(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    _send(store, smtp_server)
    [message] = _to(smtp_server, ANN)
    text, html = _parts(message)
    planned = len(seeded.last_week)
    assert f"1 of {planned} planned sessions done" in text
    assert f"<strong>1 of {planned}</strong> planned sessions done" in html
    catalogue = load_catalogue()
    for session in seeded.this_week:
        day = f"{session.date:%a} {session.date.day} {session.date:%b}"
        names = ", ".join(dict.fromkeys(catalogue[i.exercise].name for i in session.items))
        line = f"{day}: {session.title}, ~{round(session.estimated_minutes)} min: {names}"
        assert line in text
        assert f"<strong>{day}</strong>" in html
    assert f"pain 7/10 on {seeded.last_week[0]}" in text and "pain 7/10" in html
    assert f"{CAT}, on" in text and COMMENT in text and COMMENT in html
    assert message["Subject"] == "Your hamstride week of Mon 7 Dec"


def test_every_mail_has_one_click_unsubscribe_headers_and_a_link_in_both_bodies(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    _send(store, smtp_server)
    secrets = set()
    for message in smtp_server.messages:
        header = message["List-Unsubscribe"]
        assert header.startswith(f"<{BASE}/unsubscribe/u_") and header.endswith(">")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = header[1:-1]
        text, html = _parts(message)
        assert url in text and f'href="{url}"' in html
        secrets.add(url.rsplit("/", 1)[1])
        assert accounts.unsubscribe_account(store, url.rsplit("/", 1)[1]).email == message["To"]
    assert len(secrets) == 3  # a secret of its own for each mail
    stored = {c.label for a in seeded.ids.values()
              for c in store.accounts.credentials(a, kind=accounts.UNSUBSCRIBE)}
    assert stored == {"unsubscribe link"}


def test_the_coach_gets_the_roster_flagged_athletes_first(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    _send(store, smtp_server)
    [message] = _to(smtp_server, CAT)
    text, html = _parts(message)
    assert message["Subject"] == "Your athletes, week of Mon 7 Dec"
    assert f"== Ann ({ANN}) ==" in text and f"== Eve ({EVE}) ==" in text
    assert text.index("== Ann") < text.index("== Eve")  # Ann's pain flag puts her first
    assert "pain 7/10" in text and "Adherence:" in html
    assert "Coming up this week" not in text  # a roster, not an athlete's digest


def test_a_reminder_goes_on_a_session_day_only_and_once(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    dee = store.accounts.get(seeded.ids[DEE])
    assert dee is not None
    days = {s.day for _, s in digest.reminder_sessions(store, dee, WEEK)}
    assert days == {WEEK}  # the plans have a Monday session
    rest = WEEK + timedelta(days=1)
    assert digest.reminder_sessions(store, dee, rest) == []
    assert _send(store, smtp_server, today=rest).sent == [("digest", ANN), ("digest", CAT)]
    assert not _to(smtp_server, DEE)
    assert store.coaching.sends(kind="reminder") == []  # nothing claimed on a rest day
    _send(store, smtp_server)
    _send(store, smtp_server)
    [reminder] = _to(smtp_server, DEE)
    text, _ = _parts(reminder)
    [(_, session)] = digest.reminder_sessions(store, dee, WEEK)
    assert text.startswith(f"Today: {session.title}, ~{session.minutes} min: "
                           f"{', '.join(session.exercises)}")
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [s[1:4] for s in store.coaching.sends(kind="reminder")] == [
        ("reminder", WEEK, "sent")]


def test_a_refused_recipient_is_recorded_failed_and_sent_once_by_the_next_run(
        store: Store, seeded: Seeded) -> None:
    with SmtpServer() as first:
        first.refuse(ANN)
        report = _send(store, first)
        assert [f[:2] for f in report.failed] == [("digest", ANN)]
        assert "550" in report.failed[0][2]
        assert sorted(report.sent) == [("digest", CAT), ("reminder", DEE)]
        assert not _to(first, ANN)
    ann = seeded.ids[ANN]
    assert [s[3:] for s in store.coaching.sends(kind="digest") if s[0] == ann] == [
        ("failed", 1)]
    with SmtpServer() as second:
        retried = _send(store, second)
        assert retried.sent == [("digest", ANN)]
        _send(store, second)
        assert [m["To"] for m in second.messages] == [ANN]
    assert [s[3:] for s in store.coaching.sends(kind="digest") if s[0] == ann] == [
        ("sent", 2)]


def test_a_server_that_is_down_fails_every_mail_and_loses_none(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    with SmtpServer() as gone:
        url = gone.url
    down = digest.send_due(store, MailSettings.from_url(url), week=WEEK, today=WEEK,
                           base_url=BASE)
    assert down.sent == [] and len(down.failed) == 3
    assert {s[3] for s in store.coaching.sends()} == {"failed"}
    assert len(_send(store, smtp_server).sent) == 3


def test_expired_unsubscribe_links_are_removed_by_a_run(
        store: Store, seeded: Seeded, smtp_server: SmtpServer) -> None:
    bob = seeded.ids[BOB]
    store.accounts.add_credential(bob, kind=accounts.UNSUBSCRIBE, secret_hash="x" * 64,
                                  label="old", expires_at=utcnow() - timedelta(days=1))
    store.accounts.add_credential(bob, kind=accounts.UNSUBSCRIBE, secret_hash="y" * 64,
                                  label="live", expires_at=utcnow() + timedelta(days=1))
    _send(store, smtp_server)
    assert [c.label for c in store.accounts.credentials(bob, kind=accounts.UNSUBSCRIBE)] == [
        "live"]


@pytest.mark.parametrize("given", ["", "  ", "ftp://h.example", "hamstride.example.org",
                                   "https://", "https://h.example/?a=1", "http://[::1",
                                   "https://user@h.example"])
def test_a_bad_base_url_is_refused_naming_the_option(given: str) -> None:
    with pytest.raises(InputError, match=r"^--base-url: ") as raised:
        digest.base_url(given)
    assert raised.value.field == "base_url"


def test_the_base_url_loses_its_final_slash() -> None:
    assert digest.base_url(" https://h.example/hs/ ") == "https://h.example/hs"
    assert digest.week_of(WEEK + timedelta(days=6)) == WEEK == digest.week_of(WEEK)
