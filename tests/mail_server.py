"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 and a free port, in a thread.

The ``smtp_server`` fixture (registered in tests/conftest.py, so any test can ask for it)
yields a running ``SmtpServer``:

- ``.url``: an ``smtp://`` URL for ``MailSettings.from_url`` (plain, no log-in; the
  sender is ``hamstride@example.org``), e.g.
  ``send(MailSettings.from_url(smtp_server.url), [mail])``;
- ``.messages``: the ``email.message.EmailMessage`` objects received, in order (parsed
  with ``email.policy.default``; the wire's CRLF line ends are LF again, as Python writes them);
- ``.envelopes``: the SMTP ``(MAIL FROM, [RCPT TO, ...])`` of each, in the same order;
- ``.peers``: the client's ``(address, port)`` of each (one connection, one port);
- ``.refuse(address, reply="550 5.1.1 No such user")``: answer that reply to
  ``RCPT TO:<address>`` from now on (the mail is then not received).

For a server that checks a log-in, use ``SmtpServer(logins={"user": "password"})`` as a
context manager: its ``url`` then carries the (percent-encoded) first user and password,
a wrong password is answered 535, and ``.logged_in`` lists the users who logged in.
``SmtpServer(smtputf8=False)`` is a server that cannot take non-ASCII addresses.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator, Mapping
from email.message import EmailMessage
from types import TracebackType
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

SENDER = "hamstride@example.org"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class _Handler:
    """Keeps what arrives; refuses the recipients it is told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.peers: list[object] = []
        self.refusals: dict[str, str] = {}

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        reply = self.refusals.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        self.peers.append(session.peer)
        return "250 Message accepted"


class SmtpServer:
    """An aiosmtpd server on ``127.0.0.1``; see the module docstring."""

    def __init__(self, logins: Mapping[str, str] | None = None, *,
                 smtputf8: bool = True) -> None:
        self._handler = _Handler()
        self._logins = dict(logins or {})
        self.logged_in: list[str] = []
        self.port = free_port()
        options: dict[str, Any] = {"enable_SMTPUTF8": smtputf8}
        if self._logins:
            options |= {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(self._handler, hostname=HOST, port=self.port,
                                      server_hostname="mail.test", **options)
        self.url = f"smtp://{HOST}:{self.port}?from={SENDER}"
        if self._logins:
            user, password = next(iter(self._logins.items()))
            self.url = (f"smtp://{quote(user, safe='')}:{quote(password, safe='')}"
                        f"@{HOST}:{self.port}?from={SENDER}")

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self._handler.envelopes

    @property
    def peers(self) -> list[object]:
        return self._handler.peers

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user") -> None:
        self._handler.refusals[address.lower()] = reply

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: object) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode("utf-8")
        ok = self._logins.get(user) == auth_data.password.decode("utf-8")
        if ok:
            self.logged_in.append(user)
        return AuthResult(success=ok, handled=False)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server that keeps what it receives (see the module docstring)."""
    with SmtpServer() as server:
        yield server
