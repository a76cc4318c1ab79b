"""Request dependencies: the store and "today", both owned by the app instance.

They are ``async`` because they only read ``app.state``: FastAPI runs a plain ``def``
dependency in a worker thread, one thread hop (tens of microseconds) per request each.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from hamstride.store import Store
from hamstride.web.settings import Settings


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _today(request: Request) -> date:
    settings: Settings = request.app.state.settings
    return settings.current_day()


StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TodayDep = Annotated[date, Depends(_today)]
