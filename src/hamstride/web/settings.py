"""Web settings, read once from the environment; bad values fail fast at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from hamstride import clock
from hamstride.errors import InputError


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None  # None: the default SQLite file (store.resolve_db_url)
    today: date | None = None  # a fixed "today" for tests and demos; None: the clock
    timer_scale: float = 1.0  # the player's timers run this much faster (tests use ~0.02)
    accounts: bool = False  # multi-user mode: every request signs in (docs/deploy.md)
    signup: str = "open"  # with accounts: "open" sign-up, or "closed" (`hamstride user add`)

    @classmethod
    def from_env(cls) -> Settings:
        try:
            scale = float(os.environ.get("HAMSTRIDE_TIMER_SCALE", "1"))
            settings = cls(db_url=os.environ.get("HAMSTRIDE_DB") or None,
                           today=clock.fixed_today(),
                           timer_scale=scale,
                           accounts=_flag("HAMSTRIDE_ACCOUNTS"),
                           signup=os.environ.get("HAMSTRIDE_SIGNUP", "open").strip().lower())
        except ValueError as exc:
            raise InputError(f"web settings: {exc}") from exc
        if not 0 < settings.timer_scale <= 1:
            raise InputError("HAMSTRIDE_TIMER_SCALE: a number above 0 and at most 1.")
        if settings.signup not in ("open", "closed"):
            raise InputError("HAMSTRIDE_SIGNUP: 'open' (anyone may sign up) or 'closed' "
                             "(accounts are made with `hamstride user add`).")
        return settings

    def current_day(self) -> date:
        return self.today or clock.today()


def _flag(variable: str) -> bool:
    text = os.environ.get(variable, "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise InputError(f"{variable}: 1 or 0 (yes or no), not '{text}'.")
