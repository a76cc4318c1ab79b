"""Web settings, read once from the environment; bad values fail fast at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from hamstride import clock
from hamstride.errors import InputError
from hamstride.web.guard import HOSTS_ENV, allowed_host_entry

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
ACCOUNTS_ENV = "HAMSTRIDE_ACCOUNTS"
_YES = frozenset({"1", "true", "yes"})
_NO = frozenset({"0", "false", "no"})


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None  # None: the default SQLite file (store.resolve_db_url)
    today: date | None = None  # a fixed "today" for tests and demos; None: the clock
    timer_scale: float = 1.0  # the player's timers run this much faster (tests use ~0.02)
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS  # the Host names answered (web.guard)
    accounts: bool = False  # multi-user mode: every request signs in (docs/deploy.md)
    signup: str = "open"  # with accounts: "open" sign-up, or "invite" (`hamstride user add`)

    @classmethod
    def from_env(cls) -> Settings:
        """``HAMSTRIDE_ALLOWED_HOSTS`` (comma-separated) adds to the local host names;
        ``HAMSTRIDE_ACCOUNTS`` is 1/true/yes or 0/false/no (empty or unset: off)."""
        try:
            scale = float(os.environ.get("HAMSTRIDE_TIMER_SCALE", "1"))
            settings = cls(db_url=os.environ.get("HAMSTRIDE_DB") or None,
                           today=clock.fixed_today(),
                           timer_scale=scale,
                           allowed_hosts=_allowed_hosts(os.environ.get(HOSTS_ENV, "")),
                           accounts=_flag(ACCOUNTS_ENV),
                           signup=os.environ.get("HAMSTRIDE_SIGNUP", "open").strip().lower())
        except ValueError as exc:
            raise InputError(f"web settings: {exc}") from exc
        if not 0 < settings.timer_scale <= 1:
            raise InputError("HAMSTRIDE_TIMER_SCALE: a number above 0 and at most 1.")
        if settings.signup not in ("open", "invite"):
            raise InputError("HAMSTRIDE_SIGNUP: 'open' (anyone may sign up) or 'invite' "
                             "(accounts are made with `hamstride user add`).")
        return settings

    def current_day(self) -> date:
        return self.today or clock.today()


def _allowed_hosts(text: str) -> tuple[str, ...]:
    """The local host names and the ones of ``text``, each once, in order."""
    found = list(LOCAL_HOSTS)
    for item in text.split(","):
        if not item.strip():
            continue  # "a,b," or an empty variable
        try:
            entry = allowed_host_entry(item)
        except ValueError as exc:
            raise InputError(f"{HOSTS_ENV}: {exc}. Give host names separated by commas, "
                             "like `hamstride.lan,.example.org`.", field=HOSTS_ENV) from exc
        if entry not in found:
            found.append(entry)
    return tuple(found)


def _flag(name: str) -> bool:
    given = os.environ.get(name, "").strip()
    if given.lower() in _YES:
        return True
    if not given or given.lower() in _NO:
        return False
    raise InputError(f"{name}: {given!r} is not one of 1, true, yes, 0, false, no.",
                     field=name)
