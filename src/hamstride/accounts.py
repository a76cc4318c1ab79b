"""Accounts: who may sign in, how they prove it, and what they did with their access.

The use cases here are the only writers of accounts and credentials; the CLI, the API
and the pages call them. Passwords are hashed with argon2 (pwdlib); sessions, API tokens
and reset links are random secrets (``secrets``) of which only a SHA-256 is stored, so a
copy of the database lets nobody in. Every change of access goes to the account's audit
log (``store.accounts.events``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from email_validator import EmailNotValidError, validate_email
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from hamstride.errors import AuthError, InputError, NotFoundError
from hamstride.store import Store
from hamstride.store.accounts import StoredAccount
from hamstride.store.models import EMAIL_MAX, utcnow

ROLES = ("athlete", "coach", "admin")
PASSWORD_MIN = 10  # NIST SP 800-63B asks at least 8; a passphrase is the aim
PASSWORD_MAX = 256  # hashing has a cost: no megabyte passwords
SESSION_DAYS = 30
RESET_MINUTES = 30
INVITE_DAYS = 7
UNSUBSCRIBE_DAYS = 60  # a mail's unsubscribe link outlives the mail by weeks (RFC 8058)
SESSION, TOKEN, RESET, UNSUBSCRIBE = "session", "token", "reset", "unsub"

_HASHER = PasswordHash((Argon2Hasher(),))
# verified when the e-mail is unknown, so that a wrong e-mail costs what a wrong password does
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: an account, its role, and the credential that proved it (None for
    the local owner, whom the CLI and the local server act as without a log-in)."""

    account: int
    role: str
    email: str | None
    credential: int | None = None
    kind: str | None = None

    @property
    def admin(self) -> bool:
        return self.role == "admin"


class Limits(Protocol):
    """What the use cases need of a rate limiter (hamstride.ratelimit.Limiter)."""

    def hit(self, rule: str, key: str) -> object: ...

    def check(self, rule: str, key: str) -> object: ...

    def clear(self, rule: str, key: str) -> None: ...


# -- checking what people type ----------------------------------------------------------

def email_address(text: str, *, field: str = "email") -> str:
    """The address, checked and normalised (the domain lower-cased; the whole address
    too, since people type their address in any case and expect one account)."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{field}: enter your e-mail address.", field=field)
    try:
        found = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InputError(f"{field}: '{text.strip()[:80]}' is not an e-mail address: {exc}",
                         field=field) from exc
    address = found.normalized.lower()
    if len(address) > EMAIL_MAX:
        raise InputError(f"{field}: at most {EMAIL_MAX} characters.", field=field)
    return address


def check_password(password: str, *, field: str = "password") -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InputError(f"{field}: at least {PASSWORD_MIN} characters (a few words you "
                         "remember are strong).", field=field)
    if len(password) > PASSWORD_MAX:
        raise InputError(f"{field}: at most {PASSWORD_MAX} characters.", field=field)
    return password


def role_of(text: str) -> str:
    if text not in ROLES:
        raise InputError(f"role: one of {', '.join(ROLES)}, not '{text}'.", field="role")
    return text


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (the secret has 256 random bits, so no
    slow hash is needed, and the lookup is one indexed query)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


# -- making and removing accounts ---------------------------------------------------------

def add_account(store: Store, *, email: str, password: str | None, role: str = "athlete",
                digest_mail: bool = False, address: str = "cli",
                claim_local: bool = False) -> StoredAccount:
    """A new account. With ``claim_local`` (the CLI's ``user add``), the first account
    takes over the local owner's, so everything made before accounts were on is theirs."""
    email = email_address(email)
    hashed = None if password is None else hash_password(check_password(password))
    account = store.accounts.create(email=email, password_hash=hashed, role=role_of(role),
                                    digest=digest_mail, claim_local=claim_local)
    store.accounts.record(account.id, "account made", address=address, detail=role)
    return account


def delete_account(store: Store, account_id: int) -> None:
    if not store.accounts.delete(account_id):
        raise NotFoundError("no such account.", field="account")


def delete_own_account(store: Store, caller: Caller, *, password: str, address: str,
                       limits: Limits | None = None) -> None:
    """Delete the caller's account and everything it owns (profiles, plans, log, runs,
    credentials, audit log), once their password is checked: a session left open on a
    shared computer is not enough to wipe years of training."""
    _own_password(store, caller, password, field="password",
                  failure="failed account deletion", address=address, limits=limits)
    delete_account(store, caller.account)


# -- proving who one is -------------------------------------------------------------------

def check_login(store: Store, limits: Limits, *, email: str, password: str,
                address: str) -> StoredAccount:
    """The account whose e-mail and password these are, or AuthError. Failures are
    limited per address and per account (RateLimitError once too many), a success forgets
    the account's failures, and both go to the audit log."""
    try:
        email = email_address(email)
    except InputError:
        email = ""
    limits.check("login-address", address)
    if email:
        limits.check("login-account", email)
    account = store.accounts.by_email(email) if email else None
    hashed = account.password_hash if account is not None else None
    ok, updated = _HASHER.verify_and_update(password if isinstance(password, str) else "",
                                            hashed or _DUMMY_HASH)
    if account is None or hashed is None or not ok:
        store.accounts.record(account.id if account else None, "failed log-in",
                              address=address, detail=email)
        limits.hit("login-address", address)
        if email:
            limits.hit("login-account", email)
        raise AuthError("The e-mail or the password is not right.", field="password")
    if updated is not None:
        store.accounts.set_password(account.id, updated)
    limits.clear("login-account", email)
    return account


def open_session(store: Store, account: StoredAccount, *, address: str,
                 label: str) -> str:
    """A new browser session for the account; the secret goes in its cookie."""
    secret = new_secret("s_")
    store.accounts.add_credential(account.id, kind=SESSION, secret_hash=digest(secret),
                                  label=label or "a browser",
                                  expires_at=utcnow() + timedelta(days=SESSION_DAYS))
    store.accounts.record(account.id, "log-in", address=address, detail=label[:100])
    return secret


def make_token(store: Store, account_id: int, *, address: str, label: str) -> str:
    """A new API token; shown once, stored as its digest."""
    secret = new_secret("hs_")
    store.accounts.add_credential(account_id, kind=TOKEN, secret_hash=digest(secret),
                                  label=label or "API token", expires_at=None)
    store.accounts.record(account_id, "token made", address=address, detail=label[:100])
    return secret


def end_credential(store: Store, caller: Caller, credential_id: int, *, kind: str,
                   address: str) -> None:
    """End one of the caller's sessions or tokens (404 if it is not theirs)."""
    if not store.accounts.end_credential(caller.account, credential_id, kind=kind):
        raise NotFoundError(f"no such {kind}.", field="id")
    event = "log-out" if kind == SESSION and credential_id == caller.credential else (
        "session ended" if kind == SESSION else "token revoked")
    store.accounts.record(caller.account, event, address=address)


def caller_of(store: Store, secret: str, *, kind: str) -> Caller | None:
    """Who a session cookie or an API token stands for, or None."""
    if not secret or len(secret) > 200:
        return None
    found = store.accounts.credential(digest(secret), kind=kind)
    if found is None:
        return None
    account, credential = found
    return Caller(account.id, account.role, account.email, credential, kind)


def local_caller(store: Store) -> Caller:
    owner = store.accounts.local_owner()
    return Caller(owner.id, owner.role, owner.email)


# -- passwords ----------------------------------------------------------------------------

def change_password(store: Store, caller: Caller, *, current: str, new: str,
                    address: str, limits: Limits | None = None) -> None:
    """Change the caller's password; every other session of theirs ends."""
    account = _own_password(store, caller, current, field="current_password",
                            failure="failed password change", address=address,
                            limits=limits)
    hashed = hash_password(check_password(new, field="new_password"))
    store.accounts.set_password(account.id, hashed)
    store.accounts.end_credentials(account.id, kind=SESSION, keep=caller.credential)
    store.accounts.record(account.id, "password changed", address=address)


def _own_password(store: Store, caller: Caller, password: str, *, field: str, failure: str,
                  address: str, limits: Limits | None) -> StoredAccount:
    """The caller's account once ``password`` is checked to be its password (AuthError
    otherwise, recorded as ``failure``). With ``limits``, wrong guesses count against the
    account's log-in limit: a stolen session cannot try passwords without end."""
    account = store.accounts.get(caller.account)
    if account is None:
        raise AuthError("This account no longer exists.")
    key = account.email or str(account.id)
    if limits is not None:
        limits.check("login-account", key)
    ok, _ = _HASHER.verify_and_update(password if isinstance(password, str) else "",
                                      account.password_hash or _DUMMY_HASH)
    if not ok or account.password_hash is None:
        store.accounts.record(account.id, failure, address=address)
        if limits is not None:
            limits.hit("login-account", key)
        which = "current password" if field == "current_password" else "password"
        raise AuthError(f"The {which} is not right.", field=field)
    return account


@dataclass(frozen=True, slots=True)
class ResetLink:
    email: str
    secret: str
    expires_at: datetime


def ask_reset(store: Store, limits: Limits, *, email: str, address: str) -> ResetLink | None:
    """A reset link for the account with this e-mail, or None when there is none (the
    caller answers the same either way: nobody learns which addresses have accounts)."""
    limits.hit("reset-address", address)
    email = email_address(email)
    limits.hit("reset-account", email)  # every request counts: each may send a mail
    account = store.accounts.by_email(email)
    if account is None:
        return None
    secret = new_secret("r_")
    expires = utcnow() + timedelta(minutes=RESET_MINUTES)
    store.accounts.add_credential(account.id, kind=RESET, secret_hash=digest(secret),
                                  label="password reset", expires_at=expires)
    store.accounts.record(account.id, "reset asked", address=address)
    return ResetLink(email, secret, expires)


def reset_link_live(store: Store, secret: str) -> bool:
    """Whether this reset link can still be used (known, not used, not expired): the
    page asks before showing its form. Nothing is spent."""
    if not secret or len(secret) > 200:
        return False
    return store.accounts.credential(digest(secret), kind=RESET) is not None


def invite(store: Store, account_id: int, *, address: str = "cli") -> ResetLink:
    """A link with which the account's owner chooses a password (the reset page), for a
    server whose sign-up is by invitation; it works once, for ``INVITE_DAYS``."""
    account = store.accounts.get(account_id)
    if account is None or account.email is None:
        raise NotFoundError("no such account.", field="account")
    secret = new_secret("r_")
    expires = utcnow() + timedelta(days=INVITE_DAYS)
    store.accounts.add_credential(account_id, kind=RESET, secret_hash=digest(secret),
                                  label="invitation", expires_at=expires)
    store.accounts.record(account_id, "invited", address=address)
    return ResetLink(account.email, secret, expires)


def reset_password(store: Store, secret: str, *, new: str, address: str) -> StoredAccount:
    """Set a new password with a live reset link; the link, every other reset link and
    every session end (whoever was signed in must sign in again)."""
    check_password(new, field="new_password")
    found = store.accounts.credential(digest(secret), kind=RESET) if secret else None
    if found is None:
        raise AuthError("This reset link is unknown, used or expired; ask for a new one.",
                        field="token")
    account, _ = found
    store.accounts.set_password(account.id, hash_password(new))
    store.accounts.end_credentials(account.id, kind=RESET)
    store.accounts.end_credentials(account.id, kind=SESSION)
    store.accounts.record(account.id, "password reset", address=address)
    return account


# -- the mails an account asked for ---------------------------------------------------------

def set_mail(store: Store, caller: Caller, *, digest_mail: bool, reminders: bool,
             address: str) -> None:
    """The caller's choice of mails: the weekly digest, the session-day reminders."""
    store.accounts.set_digest(caller.account, digest_mail)
    store.accounts.set_reminders(caller.account, reminders)
    chosen = [n for n, on in (("digest", digest_mail), ("reminders", reminders)) if on]
    store.accounts.record(caller.account, "mail settings changed", address=address,
                          detail=", ".join(chosen) or "no mail")


def unsubscribe_secret(store: Store, account_id: int) -> str:
    """A fresh secret for one mail's unsubscribe link (stored as its digest, for
    ``UNSUBSCRIBE_DAYS``): whoever holds the mail may stop the mails, nothing more."""
    secret = new_secret("u_")
    store.accounts.add_credential(account_id, kind=UNSUBSCRIBE, secret_hash=digest(secret),
                                  label="unsubscribe link",
                                  expires_at=utcnow() + timedelta(days=UNSUBSCRIBE_DAYS))
    return secret


def unsubscribe_account(store: Store, secret: str) -> StoredAccount:
    """The account a live unsubscribe link stands for (NotFoundError otherwise)."""
    found = (store.accounts.credential(digest(secret), kind=UNSUBSCRIBE)
             if 0 < len(secret) <= 200 else None)
    if found is None:
        raise NotFoundError("This unsubscribe link is unknown or expired; turn the mails "
                            "off on the Settings page instead.", field="token")
    return found[0]


def unsubscribe(store: Store, secret: str, *, address: str) -> StoredAccount:
    """Turn the digest and the reminders off for the account of this link; the link
    keeps working (a second click, or the mail provider's and the person's, is fine)."""
    account = unsubscribe_account(store, secret)
    store.accounts.set_digest(account.id, False)
    store.accounts.set_reminders(account.id, False)
    store.accounts.record(account.id, "unsubscribed", address=address)
    return account
