"""The weekly digest and the session-day reminders: what each account that asked for them
is mailed, and sending what is due exactly once.

A digest is for a week, Monday to Sunday. An athlete's tells, for each profile, last
week's sessions done against planned, next week's planned sessions (date, exercises,
minutes), the flags the coach's roster would show (training/roster.py) and last week's
comments of their coaches. A coach (role ``coach``) gets the roster instead, flagged
athletes first. A reminder is one short mail on a day a session is planned.

``send_due`` records each mail with its unique key (account, kind, day) *before* sending
it (``store.coaching.claim_send``): of two runs at the same time only one sends it, a run
after it sends nothing, and a send that failed is claimed and sent again by the next run.
Every mail carries its own unsubscribe link (``List-Unsubscribe``, one-click per
RFC 8058), whose secret is stored only as a digest (hamstride.accounts).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from hamstride import accounts, coach, coaching, mail
from hamstride.accounts import Caller
from hamstride.catalogue import load_catalogue
from hamstride.errors import HamstrideError, InputError, MailError
from hamstride.mail import Mail, MailSettings
from hamstride.store import Store
from hamstride.store.accounts import StoredAccount
from hamstride.store.coaching import SharedProfile, StoredComment
from hamstride.store.records import StoredProfile
from hamstride.training.plan import Session
from hamstride.training.roster import Flag, athlete_status

BASE_ENV = "HAMSTRIDE_BASE_URL"
DIGEST, REMINDER = "digest", "reminder"  # the kinds of mail_sends
WEEK = timedelta(days=7)
BATCH = 50  # mails sent over one connection; each batch is claimed just before it goes

_ENV = Environment(loader=PackageLoader("hamstride", "mail_templates"),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                   autoescape=lambda name: bool(name and name.endswith(".html")))


# -- what a mail says ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlannedSession:
    day: date
    title: str
    minutes: int
    exercises: tuple[str, ...]  # their names in the catalogue


@dataclass(frozen=True, slots=True)
class ProfileWeek:
    """One profile in an athlete's digest."""

    name: str
    has_plan: bool
    done: int  # last week's planned sessions done
    planned: int  # last week's planned sessions
    coming: tuple[PlannedSession, ...]  # next week's
    flags: tuple[Flag, ...]
    comments: tuple[StoredComment, ...]  # last week's, by coaches


@dataclass(frozen=True, slots=True)
class AthleteDigest:
    email: str
    week: date
    profiles: tuple[ProfileWeek, ...]


@dataclass(frozen=True, slots=True)
class RosterDigest:
    email: str
    week: date
    rows: tuple[coaching.RosterRow, ...]  # flagged athletes first


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def base_url(text: str | None, *, where: str = "--base-url") -> str:
    """The server's address the links point at (``https://hamstride.example.org``),
    checked, without a final slash; ``where`` names where it came from."""
    given = (text or "").strip()
    if not given:
        raise InputError(f"--base-url: the server's address for the links in the mails is "
                         f"needed, like https://hamstride.example.org; give --base-url or "
                         f"set {BASE_ENV}.", field="base_url")
    if not _http_url(given):
        raise InputError(f"{where}: '{given[:80]}' is not an http:// or https:// address "
                         "of the server, like https://hamstride.example.org.",
                         field="base_url")
    return given.rstrip("/")


def _http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number
    except ValueError:  # an unbalanced [ or ]
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
            and not parts.fragment and "@" not in parts.netloc
            and not any(c.isspace() for c in text))


def base_url_from(option: str | None) -> str:
    """The ``--base-url`` given, else ``HAMSTRIDE_BASE_URL``, checked."""
    if option is not None:
        return base_url(option)
    return base_url(os.environ.get(BASE_ENV), where=BASE_ENV)


def planned_session(session: Session) -> PlannedSession:
    catalogue = load_catalogue()
    names = []
    for item in session.items:
        found = catalogue.get(item.exercise)
        names.append(found.name if found is not None else item.exercise)
    return PlannedSession(session.date, session.title, round(session.estimated_minutes),
                          tuple(dict.fromkeys(names)))


def _planned(store: Store, name: str) -> list[Session] | None:
    """What is planned for each day of the profile (None without a plan)."""
    try:
        history = coach.planned_history(coach.plans(store, name))
    except coach.NoPlanError:
        return None
    return [s for _, s in history.sessions()]


def athlete_digest(store: Store, account: StoredAccount, week: date) -> AthleteDigest:
    """The athlete's digest for the week starting on Monday ``week``."""
    theirs = store.scoped(account.id)
    profiles = theirs.list_profiles()
    comments: dict[int, list[StoredComment]] = {}
    for found in store.coaching.comments([p.id for p in profiles], since=week - WEEK):
        if found.by_coach and found.day < week:
            comments.setdefault(found.profile_id, []).append(found)
    return AthleteDigest(account.email or "", week, tuple(
        _profile_week(store, account, p, week, comments.get(p.id, [])) for p in profiles))


def _profile_week(store: Store, account: StoredAccount, profile: StoredProfile, week: date,
                  comments: list[StoredComment]) -> ProfileWeek:
    theirs = store.scoped(account.id)
    shared = SharedProfile(profile.id, profile.name, account.id, account.email or "",
                           profile.document)
    flags = coaching.profile_status(store, shared, week).flags  # as of the week's Monday
    sessions = _planned(theirs, profile.name)
    if sessions is None:
        return ProfileWeek(profile.name, False, 0, 0, (), flags, tuple(comments))
    last_week = [s.date for s in sessions if week - WEEK <= s.date < week]
    logged = theirs.log_sessions(profile_name=profile.name, since=week - WEEK,
                                 until=week - timedelta(days=1))
    # the roster's own matching of the log to the plan, on last week's days alone
    tally = athlete_status(last_week, logged, (), (), (), week)
    coming = tuple(planned_session(s) for s in sessions if week <= s.date < week + WEEK)
    return ProfileWeek(profile.name, True, tally.done, tally.planned, coming, flags,
                       tuple(comments))


def roster_digest(store: Store, account: StoredAccount, week: date) -> RosterDigest:
    """A coach's digest: every athlete's row of the roster as of the week's Monday."""
    caller = Caller(account.id, account.role, account.email)
    rows = coaching.roster(store, caller, week, sort="flags")
    return RosterDigest(account.email or "", week, tuple(rows))


def reminder_sessions(store: Store, account: StoredAccount,
                      day: date) -> list[tuple[str, PlannedSession]]:
    """The sessions planned on ``day`` for the account's profiles: (profile, session)."""
    theirs = store.scoped(account.id)
    due = []
    for profile in theirs.list_profiles():
        for session in _planned(theirs, profile.name) or []:
            if session.date == day:
                due.append((profile.name, planned_session(session)))
    return due


# -- the mails ------------------------------------------------------------------------------

def _mail(to: str, subject: str, template: str, unsubscribe: str,
          values: dict[str, Any]) -> Mail:
    context = {**values, "unsubscribe": unsubscribe}
    return Mail(to=to, subject=subject,
                text=_ENV.get_template(f"{template}.txt").render(context),
                html=_ENV.get_template(f"{template}.html").render(context),
                headers={"List-Unsubscribe": f"<{unsubscribe}>",
                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def digest_mail(digest: AthleteDigest | RosterDigest, unsubscribe: str, base: str) -> Mail:
    """The digest as a mail, plain text and HTML, with its unsubscribe link."""
    values = {"digest": digest, "day": _day, "base": base, "last_week": digest.week - WEEK,
              "last_week_end": digest.week - timedelta(days=1),
              "week_end": digest.week + timedelta(days=6)}
    if isinstance(digest, RosterDigest):
        return _mail(digest.email, f"Your athletes, week of {_day(digest.week)}",
                     "roster", unsubscribe, values)
    return _mail(digest.email, f"Your hamstride week of {_day(digest.week)}", "digest",
                 unsubscribe, values)


def reminder_mail(email: str, day: date, due: Sequence[tuple[str, PlannedSession]],
                  unsubscribe: str, base: str) -> Mail:
    """The session-day reminder: "Today: <title>, ~N min: exercises"."""
    several = len({name for name, _ in due}) > 1
    return _mail(email, f"Today: {due[0][1].title}", "reminder", unsubscribe,
                 {"due": due, "several": several, "day": _day, "today": day, "base": base})


# -- sending what is due --------------------------------------------------------------------

@dataclass
class SendReport:
    """What a run did: (kind, e-mail) sent and skipped (sent already, or being sent by
    another run), and (kind, e-mail, why) failed (tried again by the next run)."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Due:
    account: StoredAccount
    kind: str
    day: date


@dataclass(frozen=True, slots=True)
class _Claimed:
    send_id: int
    due: _Due
    mail: Mail


def send_due(store: Store, settings: MailSettings, *, week: date, today: date,
             base_url: str) -> SendReport:
    """Send the week's digests (``week``: any day of it) and today's reminders that no
    run has sent yet; each is claimed before it is built and sent, and recorded sent or
    failed after."""
    week = week_of(week)
    store.accounts.end_expired(kind=accounts.UNSUBSCRIBE)
    due = [_Due(a, DIGEST, week) for a in store.accounts.mailed(kind="digest")]
    due += [_Due(a, REMINDER, today) for a in store.accounts.mailed(kind="reminders")
            if reminder_sessions(store, a, today)]
    report = SendReport()
    for start in range(0, len(due), BATCH):
        claimed = [c for c in (_claim(store, settings, d, base_url, report)
                               for d in due[start:start + BATCH]) if c is not None]
        _deliver(store, settings, claimed, report)
    return report


def _claim(store: Store, settings: MailSettings, due: _Due, base: str,
           report: SendReport) -> _Claimed | None:
    """Claim the mail, then build it; None when another run has it or it failed to build
    (recorded failed: the next run tries again)."""
    email = due.account.email or ""
    send_id = store.coaching.claim_send(due.account.id, kind=due.kind, day=due.day)
    if send_id is None:
        report.skipped.append((due.kind, email))
        return None
    try:
        built = _build(store, due, base)
        mail.build(built, settings)  # a bad one fails alone, not its whole batch
    except HamstrideError as exc:
        store.coaching.failed(send_id, exc.message)
        report.failed.append((due.kind, email, exc.message))
        return None
    return _Claimed(send_id, due, built)


def _build(store: Store, due: _Due, base: str) -> Mail:
    account = due.account
    link = f"{base}/unsubscribe/{accounts.unsubscribe_secret(store, account.id)}"
    if due.kind == REMINDER:
        sessions = reminder_sessions(store, account, due.day)
        return reminder_mail(account.email or "", due.day, sessions, link, base)
    digest = (roster_digest(store, account, due.day) if account.role == "coach"
              else athlete_digest(store, account, due.day))
    return digest_mail(digest, link, base)


def _deliver(store: Store, settings: MailSettings, claimed: Sequence[_Claimed],
             report: SendReport) -> None:
    """Send the claimed mails over one connection; record each sent or failed."""
    if not claimed:
        return
    unsent: set[int] = set()
    error = ""
    try:
        mail.send(settings, [c.mail for c in claimed])
    except MailError as exc:
        unsent = {id(m) for m in exc.unsent}
        error = exc.message
    for done in claimed:
        email = done.due.account.email or ""
        if id(done.mail) in unsent:
            store.coaching.failed(done.send_id, error)
            report.failed.append((done.due.kind, email, error))
        else:
            store.coaching.sent(done.send_id)
            report.sent.append((done.due.kind, email))
