"""Request dependencies: the store (scoped to who is asking) and "today", owned by the
app instance.

They are ``async`` because they only read ``app.state``: FastAPI runs a plain ``def``
dependency in a worker thread, one thread hop (tens of microseconds) per request each.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from hamstride.accounts import Caller
from hamstride.errors import AuthError
from hamstride.store import Store
from hamstride.web.auth import caller
from hamstride.web.settings import Settings


async def _caller(request: Request) -> Caller:
    who = await caller(request)
    if who is None:
        raise AuthError("Log in first: this needs an account.")
    return who


async def _store(request: Request, who: Annotated[Caller, Depends(_caller)]) -> Store:
    """The store as the caller's account sees it: nobody else's rows."""
    store: Store = request.app.state.store
    return store if store.account == who.account else store.scoped(who.account)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _today(request: Request) -> date:
    settings: Settings = request.app.state.settings
    return settings.current_day()


CallerDep = Annotated[Caller, Depends(_caller)]
StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TodayDep = Annotated[date, Depends(_today)]
