"""Outgoing mail: where the server is (HAMSTRIDE_SMTP_URL), what a mail says, and sending.

    HAMSTRIDE_SMTP_URL=smtp+starttls://hamstride:s%40cret@mail.example.org?from=hamstride@example.org

The URL's scheme says how the connection is protected:

    smtp://[user:password@]host[:port]           plain (port 25); a password goes unencrypted
    smtp+starttls://[user:password@]host[:port]  STARTTLS after connecting (port 587)
    smtps://[user:password@]host[:port]          TLS from the start (port 465)

A user name or password holding ``: / ? # @ %`` is percent-encoded (``@`` is ``%40``).
The query may give ``from`` (the sender, default ``hamstride@<this machine's name>``)
and ``timeout`` (seconds for each network step, default 10). TLS checks the server's
certificate and name with the system's trusted certificates.

``send`` opens one connection for a batch. Its errors are ``MailError`` (HTTP 503) naming
the server as ``host:port``; no message, ``repr`` or error ever holds the password.
"""

from __future__ import annotations

import email.policy
import math
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from types import MappingProxyType
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from hamstride.errors import InputError, MailError

ENV = "HAMSTRIDE_SMTP_URL"
FORM = "smtp://[user:password@]host[:port]"
ENCODE_HINT = "percent-encode any : / ? # @ % in the user name or password"
DEFAULT_TIMEOUT = 10.0

Security = Literal["plain", "starttls", "tls"]
SCHEMES: Mapping[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}

# Set by ``build`` itself; a mail's extra headers may not replace them.
OWN_HEADERS = frozenset({"from", "to", "subject", "date", "message-id", "mime-version",
                         "content-type", "content-transfer-encoding", "cc", "bcc"})
# Bodies and headers in 7-bit (quoted-printable or base64 where needed): a server
# without 8BITMIME takes them too.
_POLICY = email.policy.default.clone(cte_type="7bit")
# Headers are written with lines up to RFC 5322's hard limit, not folded at 78: a long
# URL (List-Unsubscribe) would otherwise be turned into RFC 2047 encoded words, which
# mail clients do not read as a URL. The bodies are encoded under the 78 above.
_WIRE_POLICY = _POLICY.clone(max_line_length=998)
_HOST_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # printable ASCII without ':' (RFC 5322)


def _machine_name() -> str:
    """This machine's name if it can be a mail domain, else ``localhost`` (no DNS look-up)."""
    name = socket.gethostname().strip().rstrip(".")
    return name if _HOST_NAME.match(name) else "localhost"


def _bad_url(what: str) -> InputError:
    """An error about the URL that quotes nothing from it: a misplaced password
    character can put part of the password into any part of the URL."""
    return InputError(f"{ENV}: {what}.", field=ENV)


def _address(text: str) -> str:
    """The bare address of ``text`` (``Name <a@b>`` or ``a@b``), or "" when there is none."""
    if "\r" in text or "\n" in text:
        return ""
    found = getaddresses([text])
    if len(found) != 1:
        return ""
    address = found[0][1]
    local, at, domain = address.rpartition("@")
    if not (at and local and domain) or any(c.isspace() for c in address):
        return ""
    return address


@dataclass(frozen=True)
class MailSettings:
    """How to reach the mail server. ``password`` is kept out of ``repr``."""

    host: str
    port: int
    security: Security = "plain"
    sender: str = field(default_factory=lambda: f"hamstride@{_machine_name()}")
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if not _address(self.sender):
            raise InputError("from: the sender is not a mail address.", field="from")
        if not 0 < self.port < 65536:
            raise InputError("port: not a number from 1 to 65535.", field="port")

    @property
    def server(self) -> str:
        """``host:port``, as errors name the server (``[::1]:25`` for an IPv6 address)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def envelope_sender(self) -> str:
        """The bare address of ``sender`` (the SMTP ``MAIL FROM``)."""
        return _address(self.sender)

    @classmethod
    def from_url(cls, url: str) -> MailSettings:
        """Parse a ``HAMSTRIDE_SMTP_URL`` (see the module docstring); ``InputError`` names
        the variable and what is wrong, and never quotes the URL."""
        text = url.strip()
        try:
            parts = urlsplit(text)
        except ValueError:  # an unbalanced [ or ] around an IPv6 address
            raise _bad_url(f"the host is not a name or an address ({FORM}; "
                           f"{ENCODE_HINT})") from None
        scheme = SCHEMES.get(parts.scheme.lower())
        if scheme is None or not text.lower().startswith(f"{parts.scheme.lower()}://"):
            raise _bad_url(f"the URL must start with smtp://, smtp+starttls:// or smtps:// "
                           f"({FORM})")
        security, default_port = scheme
        if not parts.hostname:
            raise _bad_url(f"the URL names no host ({FORM})")
        try:
            port = parts.port
        except ValueError:
            port = 0
        if port == 0:
            raise _bad_url(f"the port is not a number from 1 to 65535 ({FORM}; "
                           f"{ENCODE_HINT})")
        if parts.path not in ("", "/") or parts.fragment:
            raise _bad_url(f"nothing may follow the host and port but a query ({FORM}; "
                           f"{ENCODE_HINT})")
        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if password is not None and not username:
            raise _bad_url("a password needs a user name (smtp://user:password@host)")
        if username and password is None:
            raise _bad_url("the user name has no password (smtp://user:password@host)")
        sender, timeout = _query(parts.query)
        return cls(host=parts.hostname, port=port or default_port, security=security,
                   sender=sender or f"hamstride@{_machine_name()}", username=username or None,
                   password=password if username else None, timeout=timeout)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings | None:
        """The settings ``HAMSTRIDE_SMTP_URL`` gives, or None when it is unset or empty."""
        url = (os.environ if environ is None else environ).get(ENV, "").strip()
        return cls.from_url(url) if url else None


def _query(query: str) -> tuple[str | None, float]:
    """The sender and timeout of the URL's query (each at most once)."""
    seen: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _bad_url(f"the query is not name=value pairs ({ENCODE_HINT})") from None
    for name, value in pairs:
        if name not in ("from", "timeout"):
            raise _bad_url(f"the query may only give from= and timeout= ({ENCODE_HINT})")
        if name in seen:
            raise _bad_url(f"the query gives {name}= twice")
        seen[name] = value
    sender = seen.get("from")
    if sender is not None and not _address(sender):
        raise _bad_url("from= is not a mail address (from=hamstride@example.org)")
    timeout = DEFAULT_TIMEOUT
    if "timeout" in seen:
        try:
            timeout = float(seen["timeout"])
        except ValueError:
            timeout = math.nan
        if not (math.isfinite(timeout) and timeout > 0):
            raise _bad_url("timeout= is not a number of seconds greater than 0 (timeout=10)")
    return sender, timeout


@dataclass(frozen=True)
class Mail:
    """One mail to one person: plain text, and optionally the same as HTML.

    ``headers`` adds headers (``List-Unsubscribe``, ``Reply-To``); it may not replace the
    ones ``build`` sets (From, To, Subject, Date, Message-ID and the MIME ones).
    """

    to: str
    subject: str
    text: str
    html: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))


def build(mail: Mail, settings: MailSettings, *, now: datetime | None = None) -> EmailMessage:
    """The message ``send`` sends for ``mail``: multipart/alternative when it has HTML,
    with Date (``now``, default the current time) and a Message-ID in the sender's domain.

    A recipient that is not one address, or a header with a line break, is an
    ``InputError`` naming the field.
    """
    if not _address(mail.to):
        raise InputError("to: not one mail address.", field="to")
    message = EmailMessage(policy=_POLICY)
    domain = settings.envelope_sender.rpartition("@")[2] or "localhost"
    try:
        message["Subject"] = mail.subject
    except ValueError:  # a line break: header injection
        raise InputError("subject: a header may not hold a line break.",
                         field="subject") from None
    message["From"] = settings.sender  # both checked to be one address, on one line
    message["To"] = mail.to
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in mail.headers.items():
        where = f"headers.{name}"
        if not _HEADER_NAME.match(name) or name.lower() in OWN_HEADERS:
            raise InputError(f"{where}: not a header a mail may add.", field=where)
        try:
            message[name] = value
        except ValueError:
            raise InputError(f"{where}: a header may not hold a line break.",
                             field=where) from None
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
    message.policy = _WIRE_POLICY
    return message


def send(settings: MailSettings, mails: Sequence[Mail]) -> list[EmailMessage]:
    """Send ``mails`` over one connection; return the messages sent, in order.

    Every mail is built first, so a bad one (``InputError``) sends none. A recipient or
    message the server refuses does not stop the batch: the others are sent, then a
    ``MailError`` lists the refused ones. A server that cannot be reached, refuses the
    log-in or the sender, or drops the connection stops it with a ``MailError``. Either
    way the error's ``sent`` holds what went out and ``unsent`` the mails that did not.
    """
    messages = [build(mail, settings) for mail in mails]
    if not messages:
        return []
    sent: list[EmailMessage] = []
    unsent: list[Mail] = []
    refused: list[str] = []
    try:
        smtp = _connect(settings)
    except (smtplib.SMTPException, OSError) as exc:
        raise _mail_error(settings, _reason(exc), (), mails) from exc
    try:
        for index, (mail, message) in enumerate(zip(mails, messages, strict=True)):
            try:
                smtp.send_message(message, from_addr=settings.envelope_sender,
                                  to_addrs=[_address(mail.to)])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                    smtplib.SMTPNotSupportedError) as exc:  # this mail, not the batch
                if not _still_connected(smtp):  # 421: the server closed the session
                    raise _mail_error(settings, _reason(exc), sent,
                                      [*unsent, *mails[index:]]) from exc
                unsent.append(mail)
                refused.append(f"{_address(mail.to)} ({_refusal(exc)})")
            except (smtplib.SMTPException, OSError) as exc:
                raise _mail_error(settings, _reason(exc), sent,
                                  [*unsent, *mails[index:]]) from exc
            else:
                sent.append(message)
    finally:
        _close(smtp)
    if refused:
        what = ("the mail to" if len(mails) == 1
                else f"{len(refused)} of {len(mails)} mails, to")
        raise _mail_error(settings, f"the server refused {what} {'; '.join(refused)}",
                          sent, unsent)
    return sent


def _connect(settings: MailSettings) -> smtplib.SMTP:
    """An open, logged-in connection (TLS as the settings ask)."""
    name = _machine_name()  # smtplib would ask DNS for this machine's name
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.security == "tls":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, local_hostname=name,
                                timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, local_hostname=name,
                            timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _still_connected(smtp: smtplib.SMTP) -> bool:
    return smtp.sock is not None


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _reason(exc: BaseException) -> str:
    """What went wrong, in words, with the server's reply when there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = [_reply(code, text) for code, text in exc.recipients.values()]
        return f"recipient refused: {', '.join(replies)}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ("the server refused the user name or password: "
                f"{_reply(exc.smtp_code, exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"sender {exc.sender} refused: {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPDataError):
        return f"message refused: {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # STARTTLS or AUTH
        return str(exc)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, smtplib.SMTPException):
        return str(exc) or type(exc).__name__
    if isinstance(exc, socket.gaierror):
        return "the host name could not be found"
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "nothing accepts connections there (connection refused)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's TLS certificate is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return type(exc).__name__


def _refusal(exc: smtplib.SMTPException) -> str:
    """The server's reply refusing one mail."""
    if isinstance(exc, smtplib.SMTPDataError):
        return f"message refused: {_reply(exc.smtp_code, exc.smtp_error)}"
    if not isinstance(exc, smtplib.SMTPRecipientsRefused):  # an address needing SMTPUTF8
        return str(exc).rstrip(".")
    return ", ".join(_reply(code, text) for code, text in exc.recipients.values())


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def _mail_error(settings: MailSettings, reason: str, sent: Sequence[EmailMessage],
                unsent: Sequence[Mail]) -> MailError:
    message = f"Could not send mail via {settings.server}: {reason.rstrip('.')}."
    if settings.password:  # a server may echo what it was sent; never pass it on
        message = message.replace(settings.password, "***")
    return MailError(message, sent=sent, unsent=unsent)
