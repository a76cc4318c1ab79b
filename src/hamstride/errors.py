"""The one exception tree of hamstride.

    HamstrideError                 base; ``status`` is the HTTP status an API maps it to
     +-- InputError                something from outside is malformed (CLI exit 2, HTTP 422)
     |    +-- ProfileError         an athlete profile
     |    +-- PlanFormatError      a plan document handed to the checker
     |    +-- CatalogueError       an exercise data file (a packaging bug, but still input)
     |    +-- MediaTypeError       a request body that is not JSON (HTTP 415)
     |    +-- ActivityFileError    an activity file (FIT, GPX, TCX, Strava) that cannot be used
     +-- AuthError                nobody is signed in, or the e-mail or password is wrong (401)
 +-- ForbiddenError           signed in, but this is not for their role (403)
 +-- NotFoundError            the profile, or a thing asked for in it, does not exist (404)
 |    +-- ProfileNotFound      no profile of the account has this name
 |    +-- EntryNotFound        no logged session matches
     +-- ConflictError            the thing to create exists already (409)
     +-- PlanError                 a valid profile for which no safe plan can be made
     +-- StoreError                the database could not be opened or written
     +-- MailError                 the mail server could not be reached or refused a mail (503)
     +-- RateLimitError            too many attempts; ``retry_after`` seconds to wait (429)

Foreign errors (pydantic, YAML, JSON, SQLAlchemy) are translated into these at the
boundary with ``raise ... from exc``; nothing above the core sees a foreign exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import EmailMessage

    from hamstride.mail import Mail


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field: its path (``running.races[0].date``), the message
    a file's author reads, and the same in plain words for a form."""

    field: str
    message: str
    plain: str


class HamstrideError(Exception):
    """Base of every error hamstride raises on purpose. ``field`` names the first bad
    field; ``problems`` lists every one found at once (a form shows them all)."""

    status: int = 400

    def __init__(self, message: str, *, field: str | None = None,
                 problems: Sequence[Problem] = (), cli_hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems = tuple(problems)
        self.cli_hint = cli_hint
        """What to type next, for the command line only: API clients never see it."""

    def __str__(self) -> str:
        return self.message


class InputError(HamstrideError):
    """Something that came from outside (a file, a flag, a request) is not valid."""

    status = 422


class ProfileError(InputError):
    """An athlete profile is missing, unreadable or invalid."""


class PlanFormatError(InputError):
    """A plan document is not a valid ``hamstride.plan/1`` object."""


class CatalogueError(InputError):
    """An exercise data file is invalid, or an exercise id is unknown."""

    status = 404


class PlanError(HamstrideError):
    """The profile is valid but no safe plan can be generated from it."""

    status = 422


class StoreError(HamstrideError):
    """The database could not be opened, migrated or written."""

    status = 503


class MediaTypeError(InputError):
    """A request body that is not JSON."""

    status = 415


class AuthError(HamstrideError):
    """Nobody is signed in, the credential is unknown or ended, or the e-mail and password
    do not match: the API answers 401 and the pages send the person to log in."""

    status = 401


class ForbiddenError(HamstrideError):
    """The caller is signed in, but what they ask for is not for their role."""

    status = 403


class NotFoundError(HamstrideError):
    """The profile, or the thing asked for in it, does not exist."""

    status = 404


class ProfileNotFound(NotFoundError):
    """The account has no profile with this name (the store's answer; interfaces may
    reword it)."""


class EntryNotFound(NotFoundError):
    """The profile has no logged session that matches."""


class ConflictError(HamstrideError):
    """The thing to create exists already."""

    status = 409


class ActivityFileError(InputError):
    """An activity file cannot be read: corrupt, unsupported, too large or unsafe.

    An import reports it for that one file and goes on with the next.
    """


class MailError(HamstrideError):
    """The mail server could not be reached, or it refused a mail.

    The message names the server (``host:port``), never its password. ``sent`` holds the
    messages of the batch that went out before (or despite) the error, ``unsent`` the
    mails that did not: send those again later.
    """

    status = 503

    def __init__(self, message: str, *, sent: Sequence[EmailMessage] = (),
                 unsent: Sequence[Mail] = ()) -> None:
        super().__init__(message)
        self.sent = tuple(sent)
        self.unsent = tuple(unsent)


class RateLimitError(HamstrideError):
    """Too many attempts of one kind (log-ins, password resets) in a window.

    ``retry_after`` is the whole number of seconds, at least 1, until one more attempt
    is allowed (the API sends it as the ``Retry-After`` header); ``rule`` names the rule.
    """

    status = 429

    def __init__(self, message: str, *, retry_after: int, rule: str) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
        self.rule = rule
