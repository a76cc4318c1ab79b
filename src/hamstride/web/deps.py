"""Request dependencies: the store and "today", both owned by the app instance."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from hamstride.store import Store
from hamstride.web.settings import Settings


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _today(request: Request) -> date:
    return _settings(request).current_day()


StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TodayDep = Annotated[date, Depends(_today)]
