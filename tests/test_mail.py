"""Outgoing mail: the HAMSTRIDE_SMTP_URL, the messages built, and sending to a real server."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import pytest

from hamstride import mail as mailing
from hamstride.errors import HamstrideError, InputError, MailError
from hamstride.mail import Mail, MailSettings, build, send
from tests.mail_server import HOST, SENDER, SmtpServer, free_port

PASSWORD = "Pa55-w0rd!x"  # unusual enough that finding it in a message is no accident
RESET = Mail(to="Ann Runner <ann@example.org>", subject="Reset your hamstride password",
             text="Open this link to choose a new password:\nhttps://h.example/reset/abc\n",
             html='<p>Open <a href="https://h.example/reset/abc">this link</a>.</p>')


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content: str = part.get_content()  # type: ignore[attr-defined]
    return content


def _html(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return None
    content: str = part.get_content()  # type: ignore[attr-defined]
    return content


# --- HAMSTRIDE_SMTP_URL --------------------------------------------------------------------


def test_mail_url_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mailing.socket, "gethostname", lambda: "box.example.net")
    settings = MailSettings.from_url("smtp://mail.example.org")
    assert settings == MailSettings(host="mail.example.org", port=25, security="plain",
                                    sender="hamstride@box.example.net", timeout=10.0)
    assert settings.username is None and settings.password is None
    assert settings.server == "mail.example.org:25"


def test_mail_url_sender_falls_back_to_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mailing.socket, "gethostname", lambda: "not a_host name")
    assert MailSettings.from_url("smtp://m.example.org").sender == "hamstride@localhost"


@pytest.mark.parametrize(("url", "security", "port"), [
    ("smtp://m.example.org", "plain", 25),
    ("smtp+starttls://m.example.org", "starttls", 587),
    ("smtps://m.example.org", "tls", 465),
    ("SMTPS://M.Example.org:2465/", "tls", 2465),
    ("smtp+starttls://m.example.org:25", "starttls", 25),
    ("smtp://m.example.org:2525", "plain", 2525),
])
def test_mail_url_scheme_gives_security_and_port(url: str, security: str, port: int) -> None:
    settings = MailSettings.from_url(url)
    assert (settings.host, settings.security, settings.port) == ("m.example.org", security, port)


def test_mail_url_ipv6_host() -> None:
    settings = MailSettings.from_url("smtp://[::1]:2525")
    assert (settings.host, settings.server) == ("::1", "[::1]:2525")


def test_mail_url_decodes_user_and_password() -> None:
    url = (f"smtp+starttls://{quote('me@example.org', safe='')}:{quote('p@ss:w/rd?#%', safe='')}"
           "@m.example.org?from=Hamstride%20%3Chi%40example.org%3E&timeout=2.5")
    settings = MailSettings.from_url(url)
    assert (settings.username, settings.password) == ("me@example.org", "p@ss:w/rd?#%")
    assert settings.sender == "Hamstride <hi@example.org>"
    assert settings.envelope_sender == "hi@example.org"
    assert settings.timeout == 2.5


def test_mail_url_empty_password_is_allowed() -> None:
    settings = MailSettings.from_url("smtp://relay:@m.example.org")
    assert (settings.username, settings.password) == ("relay", "")


def test_mail_url_password_may_hold_a_colon() -> None:
    settings = MailSettings.from_url("smtp://me:a:b@m.example.org")
    assert (settings.username, settings.password) == ("me", "a:b")


@pytest.mark.parametrize(("url", "wrong"), [
    ("http://m.example.org", "must start with smtp://, smtp+starttls:// or smtps://"),
    ("smtp:m.example.org", "must start with smtp://"),
    ("m.example.org", "must start with smtp://"),
    ("smtp://", "names no host"),
    ("smtp://:25", "names no host"),
    ("smtp://user:pw@", "names no host"),
    ("smtp://m.example.org:0", "port is not a number from 1 to 65535"),
    ("smtp://m.example.org:65536", "port is not a number from 1 to 65535"),
    ("smtp://m.example.org:smtp", "port is not a number"),
    ("smtp://[::1", "host is not a name or an address"),
    ("smtp://m.example.org/mail", "nothing may follow the host and port but a query"),
    ("smtp://m.example.org#x", "nothing may follow"),
    ("smtp://m.example.org?timeout=soon", "timeout= is not a number of seconds greater than 0"),
    ("smtp://m.example.org?timeout=0", "timeout= is not a number of seconds"),
    ("smtp://m.example.org?timeout=-3", "timeout= is not a number of seconds"),
    ("smtp://m.example.org?timeout=inf", "timeout= is not a number of seconds"),
    ("smtp://m.example.org?timeout=nan", "timeout= is not a number of seconds"),
    ("smtp://m.example.org?timeout=1&timeout=2", "gives timeout= twice"),
    ("smtp://m.example.org?from=hamstride", "from= is not a mail address"),
    ("smtp://m.example.org?from=", "from= is not a mail address"),
    ("smtp://m.example.org?sender=a@b.org", "may only give from= and timeout="),
    ("smtp://m.example.org?oops", "query is not name=value pairs"),
    ("smtp://:pw@m.example.org", "a password needs a user name"),
    ("smtp://me@m.example.org", "the user name has no password"),
])
def test_mail_url_bad_names_the_variable_and_the_problem(url: str, wrong: str) -> None:
    with pytest.raises(InputError) as caught:
        MailSettings.from_url(url)
    assert caught.value.field == "HAMSTRIDE_SMTP_URL"
    assert caught.value.message.startswith("HAMSTRIDE_SMTP_URL: ")
    assert wrong in caught.value.message


@pytest.mark.parametrize("url", [
    f"http://me:{PASSWORD}@m.example.org",
    f"smtp://me:{PASSWORD}@",
    f"smtp://me:{PASSWORD}@m.example.org:x",
    f"smtp://me:{PASSWORD}@m.example.org/x",
    f"smtp://me:{PASSWORD}@m.example.org?timeout=never",
    f"smtp://me:{PASSWORD}@m.example.org?from=x",
    f"smtp://me:{PASSWORD}@m.example.org?what=1",
    # unencoded special characters move the password into other parts of the URL
    f"smtp://me:ab#{PASSWORD}@m.example.org",
    f"smtp://me:ab?{PASSWORD}@m.example.org",
    f"smtp://me:ab/{PASSWORD}@m.example.org",
    f"smtp://me:ab@{PASSWORD}@m.example.org:x",
    f"smtp://{PASSWORD}@m.example.org",
    f"smtp://me:{PASSWORD}@[m.example.org",
])
def test_mail_url_errors_never_show_the_password(url: str) -> None:
    with pytest.raises(InputError) as caught:
        MailSettings.from_url(url)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(caught.value.args)


def test_mail_settings_repr_hides_the_password() -> None:
    settings = MailSettings.from_url(f"smtps://me:{PASSWORD}@m.example.org")
    assert settings.password == PASSWORD
    assert PASSWORD not in repr(settings)


def test_mail_settings_from_env() -> None:
    assert MailSettings.from_env({}) is None
    assert MailSettings.from_env({"HAMSTRIDE_SMTP_URL": "  "}) is None
    settings = MailSettings.from_env({"HAMSTRIDE_SMTP_URL": "smtps://m.example.org"})
    assert settings is not None and settings.port == 465


def test_mail_settings_from_env_reads_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAMSTRIDE_SMTP_URL", raising=False)
    assert MailSettings.from_env() is None
    monkeypatch.setenv("HAMSTRIDE_SMTP_URL", "smtp+starttls://m.example.org?from=a@b.org")
    settings = MailSettings.from_env()
    assert settings is not None and (settings.security, settings.sender) == ("starttls", "a@b.org")
    monkeypatch.setenv("HAMSTRIDE_SMTP_URL", "ftp://m.example.org")
    with pytest.raises(InputError, match="HAMSTRIDE_SMTP_URL"):
        MailSettings.from_env()


# --- building a message --------------------------------------------------------------------

SETTINGS = MailSettings(host="m.example.org", port=25, sender="Hamstride <hamstride@example.org>")


@pytest.mark.parametrize(("values", "field"), [
    ({"sender": "hamstride"}, "from"), ({"sender": "a@b.org\nBcc: c@d.org"}, "from"),
    ({"port": 0}, "port"), ({"port": 70000}, "port"),
])
def test_mail_settings_checks_what_it_is_given(values: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        MailSettings(**{"host": "m.example.org", "port": 25, **values})
    assert caught.value.field == field


def test_mail_build_text_only_is_one_plain_part() -> None:
    now = datetime(2027, 1, 4, 7, 30, tzinfo=UTC)
    message = build(Mail(to="ann@example.org", subject="Hi", text="Plain words.\n"), SETTINGS,
                    now=now)
    assert message.get_content_type() == "text/plain"
    assert not message.is_multipart()
    assert _text(message) == "Plain words.\n"
    assert message["From"] == "Hamstride <hamstride@example.org>"
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Hi"
    assert parsedate_to_datetime(message["Date"]) == now
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@example.org>")


def test_mail_build_with_html_is_multipart_alternative() -> None:
    message = build(RESET, SETTINGS)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert _text(message) == RESET.text
    assert _html(message) == RESET.html + "\n"
    assert abs(parsedate_to_datetime(message["Date"]) - datetime.now(UTC)).total_seconds() < 60


def test_mail_build_each_message_has_its_own_id() -> None:
    assert build(RESET, SETTINGS)["Message-ID"] != build(RESET, SETTINGS)["Message-ID"]


def test_mail_build_adds_extra_headers_and_encodes_words() -> None:
    mail = Mail(to="Zoë Läufer <zoe@example.org>", subject="Deine Woche – 3 Einheiten",
                text="Gut gemacht, Zoë!\n",
                headers={"List-Unsubscribe": "<https://h.example/unsubscribe/x>",
                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message = build(mail, SETTINGS)
    assert message["List-Unsubscribe"] == "<https://h.example/unsubscribe/x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    wire = message.as_bytes()
    assert wire.isascii()  # non-ASCII words are encoded (RFC 2047, a charset for the body)
    assert message["Subject"] == "Deine Woche – 3 Einheiten"
    assert _text(message) == "Gut gemacht, Zoë!\n"


def test_mail_headers_cannot_be_changed_afterwards() -> None:
    headers = {"X-Test": "1"}
    mail = Mail(to="a@example.org", subject="s", text="t", headers=headers)
    headers["X-Test"] = "2"
    assert mail.headers["X-Test"] == "1"
    with pytest.raises(TypeError):
        mail.headers["X-Test"] = "3"  # type: ignore[index]


@pytest.mark.parametrize(("mail", "field"), [
    (Mail(to="not an address", subject="s", text="t"), "to"),
    (Mail(to="", subject="s", text="t"), "to"),
    (Mail(to="a@example.org, b@example.org", subject="s", text="t"), "to"),
    (Mail(to="Runner, Ann <ann@example.org>", subject="s", text="t"), "to"),
    (Mail(to="a@b@example.org", subject="s", text="t"), "to"),
    (Mail(to="a@example.org\r\nBcc: x@evil.example", subject="s", text="t"), "to"),
    (Mail(to="a@example.org", subject="Hi\r\nBcc: x@evil.example", text="t"), "subject"),
    (Mail(to="a@example.org", subject="s", text="t", headers={"X-A": "1\nBcc: x@e.org"}),
     "headers.X-A"),
    (Mail(to="a@example.org", subject="s", text="t", headers={"From": "boss@e.org"}),
     "headers.From"),
    (Mail(to="a@example.org", subject="s", text="t", headers={"bcc": "x@e.org"}), "headers.bcc"),
    (Mail(to="a@example.org", subject="s", text="t", headers={"Bad Name": "x"}),
     "headers.Bad Name"),
])
def test_mail_build_refuses_what_could_inject_headers(mail: Mail, field: str) -> None:
    with pytest.raises(InputError) as caught:
        build(mail, SETTINGS)
    assert caught.value.field == field


# --- sending to a real server --------------------------------------------------------------


def test_mail_send_delivers_one_mail(smtp_server: SmtpServer) -> None:
    mail = Mail(to=RESET.to, subject=RESET.subject, text=RESET.text, html=RESET.html,
                headers={"List-Unsubscribe": "<mailto:unsubscribe@example.org>"})
    sent = send(MailSettings.from_url(smtp_server.url), [mail])
    assert len(sent) == 1 and len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert smtp_server.envelopes == [(SENDER, ["ann@example.org"])]
    assert received["To"] == "Ann Runner <ann@example.org>"
    assert received["From"] == SENDER
    assert received["Subject"] == "Reset your hamstride password"
    assert received["List-Unsubscribe"] == "<mailto:unsubscribe@example.org>"
    assert received["Message-ID"] == sent[0]["Message-ID"]
    assert received["Message-ID"].endswith("@example.org>")
    assert parsedate_to_datetime(received["Date"]) == parsedate_to_datetime(sent[0]["Date"])
    assert received.get_content_type() == "multipart/alternative"
    assert _text(received) == RESET.text
    assert _html(received) == f"{RESET.html}\n"


def test_mail_send_a_batch_over_one_connection(smtp_server: SmtpServer) -> None:
    mails = [Mail(to=f"runner{i}@example.org", subject=f"Week {i}", text=f"Digest {i}\n")
             for i in range(3)]
    sent = send(MailSettings.from_url(smtp_server.url), mails)
    assert [m["To"] for m in sent] == [m.to for m in mails]
    assert [m["Subject"] for m in smtp_server.messages] == ["Week 0", "Week 1", "Week 2"]
    assert [rcpt for _, rcpt in smtp_server.envelopes] == [[m.to] for m in mails]
    assert [_text(m) for m in smtp_server.messages] == ["Digest 0\n", "Digest 1\n", "Digest 2\n"]
    assert len(set(smtp_server.peers)) == 1  # one connection


def test_mail_send_nothing_connects_to_nothing() -> None:
    settings = MailSettings(host=HOST, port=free_port())
    assert send(settings, []) == []


def test_mail_send_refused_recipient_is_a_mail_error(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("gone@example.org")
    mails = [Mail(to=f"{who}@example.org", subject=who, text="t")
             for who in ("first", "gone", "last")]
    with pytest.raises(MailError) as caught:
        send(MailSettings.from_url(smtp_server.url), mails)
    error = caught.value
    assert isinstance(error, HamstrideError) and error.status == 503
    assert f"{HOST}:{smtp_server.port}" in error.message
    assert "gone@example.org" in error.message and "550" in error.message
    assert error.message == (f"Could not send mail via {HOST}:{smtp_server.port}: the server "
                             "refused 1 of 3 mails, to gone@example.org (550 5.1.1 No such user).")
    # the batch went on past the refusal: the others arrived, and the error says which
    assert [m["Subject"] for m in smtp_server.messages] == ["first", "last"]
    assert [m["To"] for m in error.sent] == ["first@example.org", "last@example.org"]
    assert error.unsent == (mails[1],)


def test_mail_send_one_refused_mail(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("ann@example.org", "550 5.7.1 Mailbox disabled")
    with pytest.raises(MailError) as caught:
        send(MailSettings.from_url(smtp_server.url), [RESET])
    assert caught.value.message == (f"Could not send mail via {HOST}:{smtp_server.port}: the "
                                    "server refused the mail to ann@example.org "
                                    "(550 5.7.1 Mailbox disabled).")
    assert caught.value.sent == () and caught.value.unsent == (RESET,)


def test_mail_send_an_address_the_server_cannot_take() -> None:
    """A non-ASCII address needs SMTPUTF8; a server without it refuses that mail only."""
    mails = [Mail(to="zoë@example.org", subject="one", text="t"),
             Mail(to="ann@example.org", subject="two", text="t")]
    with SmtpServer(smtputf8=False) as server:
        with pytest.raises(MailError, match=r"refused 1 of 2 mails, to zoë@example\.org") as caught:
            send(MailSettings.from_url(server.url), mails)
        assert [m["Subject"] for m in server.messages] == ["two"]
    assert caught.value.unsent == (mails[0],)
    assert "SMTPUTF8" in caught.value.message


def test_mail_send_a_non_ascii_address_with_smtputf8(smtp_server: SmtpServer) -> None:
    send(MailSettings.from_url(smtp_server.url), [Mail(to="zoë@example.org", subject="s",
                                                        text="t")])
    assert smtp_server.envelopes[0][1] == ["zoë@example.org"]
    assert smtp_server.messages[0]["To"] == "zoë@example.org"


def test_mail_send_with_nothing_listening_names_the_server() -> None:
    port = free_port()
    mails = [Mail(to="ann@example.org", subject="s", text="t")]
    with pytest.raises(MailError) as caught:
        send(MailSettings(host=HOST, port=port, timeout=2), mails)
    assert f"Could not send mail via {HOST}:{port}: " in caught.value.message
    assert "connection refused" in caught.value.message
    assert caught.value.sent == () and caught.value.unsent == tuple(mails)


def test_mail_send_unknown_host_is_a_mail_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS in a test
    settings = MailSettings(host="mail.invalid", port=25, timeout=2)
    with pytest.raises(MailError) as caught:
        send(settings, [RESET])
    assert caught.value.message == ("Could not send mail via mail.invalid:25: "
                                    "the host name could not be found.")


def test_mail_send_stops_when_the_server_closes_the_session(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("second@example.org", "421 4.3.2 Shutting down")
    mails = [Mail(to=f"{who}@example.org", subject=who, text="t")
             for who in ("first", "second", "third")]
    with pytest.raises(MailError, match=r"421 4\.3\.2 Shutting down") as caught:
        send(MailSettings.from_url(smtp_server.url), mails)
    assert [m["Subject"] for m in smtp_server.messages] == ["first"]
    assert [m["Subject"] for m in caught.value.sent] == ["first"]
    assert caught.value.unsent == tuple(mails[1:])


def test_mail_send_starttls_when_the_server_has_none(smtp_server: SmtpServer) -> None:
    settings = MailSettings(host=HOST, port=smtp_server.port, security="starttls", timeout=2)
    with pytest.raises(MailError, match="STARTTLS") as caught:
        send(settings, [RESET])
    assert f"{HOST}:{smtp_server.port}" in caught.value.message
    assert smtp_server.messages == []


def test_mail_send_tls_to_a_plain_server(smtp_server: SmtpServer) -> None:
    settings = MailSettings(host=HOST, port=smtp_server.port, security="tls", timeout=2)
    with pytest.raises(MailError, match=f"via {HOST}:{smtp_server.port}: "):
        send(settings, [RESET])
    assert smtp_server.messages == []


def test_mail_a_bad_mail_in_a_batch_sends_none(smtp_server: SmtpServer) -> None:
    mails = [RESET, Mail(to="nobody", subject="s", text="t")]
    with pytest.raises(InputError, match="to: not one mail address"):
        send(MailSettings.from_url(smtp_server.url), mails)
    assert smtp_server.messages == []


def test_mail_send_logs_in_with_the_decoded_password() -> None:
    password = f"{PASSWORD}@:/?#%"
    with SmtpServer(logins={"coach@example.org": password}) as server:
        settings = MailSettings.from_url(server.url)
        assert settings.password == password
        send(settings, [RESET])
        assert server.logged_in == ["coach@example.org"]
        assert len(server.messages) == 1


def test_mail_errors_never_show_the_password() -> None:
    with SmtpServer(logins={"coach": "right"}) as server:
        wrong = MailSettings(host=HOST, port=server.port, username="coach", password=PASSWORD)
        with pytest.raises(MailError) as refused:
            send(wrong, [RESET])
        assert "refused the user name or password" in refused.value.message
        assert "535" in refused.value.message
        assert server.messages == [] and server.logged_in == []
    nothing = MailSettings(host=HOST, port=free_port(), username="coach", password=PASSWORD)
    with pytest.raises(MailError) as unreachable:
        send(nothing, [RESET])
    for error in (refused.value, unreachable.value):
        assert f"{HOST}:" in error.message
        assert PASSWORD not in str(error) and PASSWORD not in repr(error.args)
        assert all(PASSWORD not in str(m) for m in error.sent)


def test_mail_error_scrubs_a_password_the_server_echoes() -> None:
    settings = MailSettings(host=HOST, port=25, username="u", password=PASSWORD)
    error = mailing._mail_error(settings, f"535 no user u with {PASSWORD}", (), ())
    assert PASSWORD not in error.message and "***" in error.message


def test_mail_a_long_unsubscribe_url_goes_on_the_wire_as_it_is() -> None:
    """Folded at 78 columns, a URL longer than a line became RFC 2047 encoded words
    (=?utf-8?q?=3Chttp...), which mail clients do not read as a URL (RFC 2369)."""
    url = "<https://hamstride.example.org/unsubscribe/u_" + "A1b2C3d4" * 6 + ">"
    message = build(Mail(to="ann@example.org", subject="Your week", text="line\n" * 3,
                         headers={"List-Unsubscribe": url}), SETTINGS)
    assert f"List-Unsubscribe: {url}\n".encode() in message.as_bytes()
    assert b"=?utf-8?" not in message.as_bytes()
